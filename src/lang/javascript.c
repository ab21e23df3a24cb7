#include "lang/lang_private.h"

const TSLanguage *tree_sitter_javascript(void);

static const char *const extensions[] = { ".js", ".mjs", ".cjs", ".jsx", NULL };
static const char *const interpreters[] = { "node", "nodejs", "deno", "bun", NULL };

/*
 * A string_fragment runs up to a quote, a backslash (escape), `${` (template
 * substitution), `&` (a character reference in a JSX string) or a line
 * break; it starts after a quote, an escape (`\u0041` is the longest),
 * a substitution's `}` or a reference's `;`. TypeScript's is the same.
 */
const pl_node_edges pl_js_node_edges[] = {
	{ "string_fragment", "\"'`};", 6, "\"'`\\$&" },
	{ NULL, NULL, 0, NULL },
};

const pl_language pl_lang_javascript = {
	.name = "javascript",
	.grammar = tree_sitter_javascript,
	.extensions = extensions,
	.shebang_interpreters = interpreters,
	.line_comment = "//",
	.identifier_never_member = true,
	.node_edges = pl_js_node_edges,
};

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
	{ "string_fragment", "\"'`};", 6, "\"'`\\$&", NULL },
	{ NULL, NULL, 0, NULL, NULL },
};

/* Blanks (Unicode's too) and comments, HTML-like ones included: what may
 * stand between two tokens. */
#define GAP                                                                                    \
	"(?:[\\s\\p{Zs}\\x{85}\\x{2028}\\x{2029}\\x{feff}\\x{2060}\\x{200b}]|//[^\\r\\n\\x{2028}\\x{2029}]*" \
	"|/\\*[\\s\\S]*?\\*/|<!--[^\\r\\n]*|-->[^\\r\\n]*)*"

/* An object's key comes before `:`; a called function before its
 * arguments' `(`, a template string, `?.` or (TypeScript) type arguments;
 * a member's name ends its `a.b`. */
const pl_field_edges pl_js_field_edges[] = {
	{ "pair", "key", { NULL, NULL, 0, ":", GAP }, false },
	{ "call_expression", "function", { NULL, NULL, 0, "(`?<", GAP }, false },
	{ "member_expression", "property", { NULL, NULL, 0, NULL, NULL }, true },
	{ NULL, NULL, { NULL, NULL, 0, NULL, NULL }, false },
};

const pl_language pl_lang_javascript = {
	.name = "javascript",
	.grammar = tree_sitter_javascript,
	.extensions = extensions,
	.shebang_interpreters = interpreters,
	.line_comment = "//",
	.identifier_never_member = true,
	.node_edges = pl_js_node_edges,
	.field_edges = pl_js_field_edges,
};

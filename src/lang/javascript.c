#include "lang/lang_private.h"

const TSLanguage *tree_sitter_javascript(void);

static const char *const extensions[] = { ".js", ".mjs", ".cjs", ".jsx", NULL };
static const char *const interpreters[] = { "node", "nodejs", "deno", "bun", NULL };

const pl_language pl_lang_javascript = {
	.name = "javascript",
	.grammar = tree_sitter_javascript,
	.extensions = extensions,
	.shebang_interpreters = interpreters,
	.line_comment = "//",
	.identifier_never_member = true,
};

#include "lang/lang_private.h"

/* One npm package, two grammars: TSX is a superset that allows JSX. */
const TSLanguage *tree_sitter_typescript(void);
const TSLanguage *tree_sitter_tsx(void);

static const char *const ts_extensions[] = { ".ts", ".mts", ".cts", NULL };
static const char *const tsx_extensions[] = { ".tsx", NULL };
static const char *const ts_interpreters[] = { "ts-node", "tsx", NULL };
static const char *const no_interpreters[] = { NULL };

const pl_language pl_lang_typescript = {
	.name = "typescript",
	.grammar = tree_sitter_typescript,
	.extensions = ts_extensions,
	.shebang_interpreters = ts_interpreters,
	.line_comment = "//",
	.identifier_never_member = true,
	.node_edges = pl_js_node_edges,
	.field_edges = pl_js_field_edges,
};

const pl_language pl_lang_tsx = {
	.name = "tsx",
	.grammar = tree_sitter_tsx,
	.extensions = tsx_extensions,
	.shebang_interpreters = no_interpreters,
	.line_comment = "//",
	.identifier_never_member = true,
	.node_edges = pl_js_node_edges,
	.field_edges = pl_js_field_edges,
};

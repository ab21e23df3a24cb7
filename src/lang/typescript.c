#include "lang/lang_private.h"

/* One npm package, two grammars: TSX is a superset that allows JSX. */
const TSLanguage *tree_sitter_typescript(void);
const TSLanguage *tree_sitter_tsx(void);

static const char *const ts_extensions[] = { ".ts", ".mts", ".cts", NULL };
/* Type declarations (tsc's output beside compiled JavaScript, @types
 * packages, hand-written module typings): signatures, no code that runs. */
static const char *const ts_declarations[] = { ".d.ts", ".d.mts", ".d.cts", NULL };
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
	.declaration_suffixes = ts_declarations,
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

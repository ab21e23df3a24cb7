#include "lang/lang_private.h"

const TSLanguage *tree_sitter_python(void);

static const char *const extensions[] = { ".py", ".pyi", ".pyw", NULL };
static const char *const interpreters[] = { "python", "python2", "python3", "pypy", "pypy3", NULL };

/*
 * A string_content node holds the escapes and `{{` `}}` of its string: it
 * runs between the opening quote (or an interpolation's `}`) and the
 * closing quote (or an interpolation's `{`).
 */
static const pl_node_edges node_edges[] = {
	{ "string_content", "\"'`}", 0, "\"'`{}" },
	{ NULL, NULL, 0, NULL },
};

const pl_language pl_lang_python = {
	.name = "python",
	.grammar = tree_sitter_python,
	.extensions = extensions,
	.shebang_interpreters = interpreters,
	.line_comment = "#",
	.node_edges = node_edges,
};

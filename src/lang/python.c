#include "lang/lang_private.h"

const TSLanguage *tree_sitter_python(void);

static const char *const extensions[] = { ".py", ".pyi", ".pyw", NULL };
static const char *const interpreters[] = { "python", "python2", "python3", "pypy", "pypy3", NULL };

const pl_language pl_lang_python = {
	.name = "python",
	.grammar = tree_sitter_python,
	.extensions = extensions,
	.shebang_interpreters = interpreters,
	.line_comment = "#",
};

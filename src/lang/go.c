#include "lang/lang_private.h"

const TSLanguage *tree_sitter_go(void);

static const char *const extensions[] = { ".go", NULL };
static const char *const interpreters[] = { NULL };

const pl_language pl_lang_go = {
	.name = "go",
	.grammar = tree_sitter_go,
	.extensions = extensions,
	.shebang_interpreters = interpreters,
	.line_comment = "//",
};

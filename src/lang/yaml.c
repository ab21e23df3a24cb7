#include "lang/lang_private.h"

const TSLanguage *tree_sitter_yaml(void);

static const char *const extensions[] = { ".yaml", ".yml", NULL };
static const char *const interpreters[] = { NULL };

const pl_language pl_lang_yaml = {
	.name = "yaml",
	.grammar = tree_sitter_yaml,
	.extensions = extensions,
	.shebang_interpreters = interpreters,
	.line_comment = "#",
};

#include "lang/lang_private.h"

const TSLanguage *tree_sitter_toml(void);

static const char *const extensions[] = { ".toml", NULL };
static const char *const interpreters[] = { NULL };

const pl_language pl_lang_toml = {
	.name = "toml",
	.grammar = tree_sitter_toml,
	.extensions = extensions,
	.shebang_interpreters = interpreters,
	.line_comment = "#",
};

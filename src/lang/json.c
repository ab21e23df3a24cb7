#include "lang/lang_private.h"

const TSLanguage *tree_sitter_json(void);

static const char *const extensions[] = { ".json", NULL };
static const char *const interpreters[] = { NULL };

/* JSON has no comments: suppressions go in .prodlint.yaml. */
const pl_language pl_lang_json = {
	.name = "json",
	.grammar = tree_sitter_json,
	.extensions = extensions,
	.shebang_interpreters = interpreters,
	.line_comment = NULL,
};

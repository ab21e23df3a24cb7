#include "lang/lang_private.h"

/* Read by hand (src/config/dockerfile_reader.c): no tree-sitter grammar. */
static const char *const extensions[] = { ".dockerfile", ".containerfile", NULL };
static const char *const filenames[] = { "Dockerfile", "Dockerfile.*", "Containerfile",
					 "Containerfile.*", "*.Dockerfile", NULL };
static const char *const interpreters[] = { NULL };

const pl_language pl_lang_dockerfile = {
	.name = "dockerfile",
	.grammar = NULL,
	.extensions = extensions,
	.filenames = filenames,
	.shebang_interpreters = interpreters,
	.line_comment = "#",
};

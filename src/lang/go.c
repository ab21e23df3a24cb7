#include "lang/lang_private.h"

const TSLanguage *tree_sitter_go(void);

static const char *const extensions[] = { ".go", NULL };
static const char *const interpreters[] = { NULL };

/*
 * An interpreted string's content runs between quotes and escapes
 * (`\U0001F600` is the longest); a raw string's between back quotes.
 */
static const pl_node_edges node_edges[] = {
	{ "interpreted_string_literal_content", "\"", 10, "\"\\", NULL },
	{ "raw_string_literal_content", "`", 0, "`", NULL },
	{ NULL, NULL, 0, NULL, NULL },
};

const pl_language pl_lang_go = {
	.name = "go",
	.grammar = tree_sitter_go,
	.extensions = extensions,
	.shebang_interpreters = interpreters,
	.line_comment = "//",
	.node_edges = node_edges,
};

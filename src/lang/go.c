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

/* What may stand between a node and the token after it: blanks and comments. */
#define GO_GAP "(?:[\\s\\p{Zs}\\x{85}\\x{2028}\\x{2029}\\x{feff}]|//[^\\n]*|/\\*[\\s\\S]*?\\*/)*"

/* A called function comes before its arguments' `(` or its type
 * arguments' `[`, past blanks and comments; a selector's field ends its
 * `a.b`. A composite literal's key comes before its `:`; a literal element
 * wraps one expression, which so spans it (`System` in `System: text`). */
static const pl_field_edges field_edges[] = {
	{ "call_expression", "function", { NULL, NULL, 0, "([", GO_GAP }, false },
	{ "selector_expression", "field", { NULL, NULL, 0, NULL, NULL }, true },
	{ "keyed_element", "key", { NULL, NULL, 0, ":", GO_GAP }, false },
	{ "literal_element", NULL, { NULL, NULL, 0, NULL, NULL }, true },
	{ NULL, NULL, { NULL, NULL, 0, NULL, NULL }, false },
};

const pl_language pl_lang_go = {
	.name = "go",
	.grammar = tree_sitter_go,
	.extensions = extensions,
	.shebang_interpreters = interpreters,
	.line_comment = "//",
	.node_edges = node_edges,
	.field_edges = field_edges,
};

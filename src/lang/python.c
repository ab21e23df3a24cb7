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
	{ "string_content", "\"'`}", 0, "\"'`{}", NULL },
	{ NULL, NULL, 0, NULL, NULL },
};

/* Blanks (Unicode's too), comments and line continuations: what may stand
 * between two tokens. */
#define GAP "(?:[\\s\\p{Zs}\\x{85}\\x{2028}\\x{2029}\\x{feff}\\x{2060}\\x{200b}]|#[^\\r\\n]*|\\\\(?:\\r?\\n|\\x{0}))*"

/* A keyword argument's name comes before `=`, a dict key before `:`, a
 * called function before its arguments' `(`; an attribute's name ends its
 * `a.b`. */
static const pl_field_edges field_edges[] = {
	{ "call", "function", { NULL, NULL, 0, "(", GAP }, false },
	{ "keyword_argument", "name", { NULL, NULL, 0, "=", GAP }, false },
	{ "pair", "key", { NULL, NULL, 0, ":", GAP }, false },
	{ "attribute", "attribute", { NULL, NULL, 0, NULL, NULL }, true },
	{ NULL, NULL, { NULL, NULL, 0, NULL, NULL }, false },
};

const pl_language pl_lang_python = {
	.name = "python",
	.grammar = tree_sitter_python,
	.extensions = extensions,
	.shebang_interpreters = interpreters,
	.line_comment = "#",
	.node_edges = node_edges,
	.field_edges = field_edges,
};

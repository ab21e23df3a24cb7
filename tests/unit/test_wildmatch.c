/*
 * Unit tests for src/util/wildmatch.c: a table of (pattern, text, flags,
 * expected) in git's wildmatch semantics, pl_has_glob_chars, and a
 * pathological pattern that must not backtrack exponentially.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/wildmatch.h"

#define PATH PL_WM_PATHNAME
#define FOLD PL_WM_CASEFOLD

typedef struct wm_case {
	const char *pattern;
	const char *text;
	unsigned flags;
	bool expected;
} wm_case;

static const wm_case cases[] = {
	/* literals */
	{ "foo", "foo", 0, true },
	{ "foo", "fo", 0, false },
	{ "foo", "fooo", 0, false },
	{ "", "", 0, true },
	{ "", "a", 0, false },

	/* ? */
	{ "f?o", "foo", 0, true },
	{ "f?o", "fo", 0, false },
	{ "???", "abc", 0, true },
	{ "a?b", "a/b", 0, true },
	{ "a?b", "a/b", PATH, false },

	/* * */
	{ "*", "", 0, true },
	{ "*", "anything", 0, true },
	{ "*.py", "app.py", 0, true },
	{ "*.py", "app.pyc", 0, false },
	{ "a*b*c", "aXXbYYc", 0, true },
	{ "a*b*c", "aXXbYY", 0, false },
	{ "*a", "bbb", 0, false },
	{ "*", "a/b", 0, true },
	{ "*", "a/b", PATH, false },
	{ "*.py", "dir/app.py", 0, true },
	{ "*.py", "dir/app.py", PATH, false },
	{ "dir/*", "dir/a", PATH, true },
	{ "dir/*", "dir/a/b", PATH, false },
	{ "*/*", "x/y", PATH, true },
	{ "a*", "a/b", PATH, false },

	/* classes */
	{ "[abc]", "b", 0, true },
	{ "[abc]", "d", 0, false },
	{ "[a-c]x", "bx", 0, true },
	{ "[a-c]x", "dx", 0, false },
	{ "[0-9][0-9]", "42", 0, true },
	{ "[!a-c]", "d", 0, true },
	{ "[!a-c]", "b", 0, false },
	{ "[^a-c]", "d", 0, true },
	{ "[^a-c]", "a", 0, false },
	{ "[]]", "]", 0, true },
	{ "[!]]", "]", 0, false },
	{ "[!]]", "x", 0, true },
	{ "[a-c-e]", "-", 0, true },
	{ "[a-c-e]", "e", 0, true },
	{ "[a-c-e]", "d", 0, false },
	{ "[a-]", "-", 0, true },
	{ "[\\]]", "]", 0, true },
	{ "[\\-]", "-", 0, true },
	{ "[/]", "/", 0, true },
	{ "[/]", "/", PATH, false },
	{ "[!a]", "/", PATH, false },
	{ "[abc", "[abc", 0, true },  /* unclosed: '[' is literal */
	{ "[abc", "a", 0, false },
	{ "[a]", "", 0, false },

	/* escapes */
	{ "\\*", "*", 0, true },
	{ "\\*", "x", 0, false },
	{ "\\?", "?", 0, true },
	{ "\\?", "a", 0, false },
	{ "\\[a]", "[a]", 0, true },
	{ "\\[a]", "a", 0, false },
	{ "a\\\\b", "a\\b", 0, true },
	{ "\\a", "a", 0, true },

	/* PL_WM_PATHNAME and ** */
	{ "**", "a/b/c", PATH, true },
	{ "**", "", PATH, true },
	{ "**/x", "x", PATH, true },
	{ "**/x", "a/x", PATH, true },
	{ "**/x", "a/b/c/x", PATH, true },
	{ "**/x", "a/bx", PATH, false },
	{ "**/x", "x/a", PATH, false },
	{ "**/*.py", "app.py", PATH, true },
	{ "**/*.py", "a/b/app.py", PATH, true },
	{ "a/**", "a/b", PATH, true },
	{ "a/**", "a/b/c/d", PATH, true },
	{ "a/**", "a", PATH, false },
	{ "a/**", "b/a/c", PATH, false },
	{ "a/**/b", "a/b", PATH, true },
	{ "a/**/b", "a/x/b", PATH, true },
	{ "a/**/b", "a/x/y/z/b", PATH, true },
	{ "a/**/b", "a/xb", PATH, false },
	{ "a/**/b", "a/x/b/c", PATH, false },
	{ "a/**/b", "ab", PATH, false },
	{ "a/**/b/**/c", "a/b/c", PATH, true },
	{ "a/**/b/**/c", "a/1/b/2/3/c", PATH, true },
	{ "a**b", "a/x/b", PATH, false }, /* not a whole segment: a plain star */
	{ "a**b", "axxb", PATH, true },
	{ "**a", "x/a", PATH, false },
	{ "**a", "xa", PATH, true },
	{ "a/**/b", "a/x/y/b", 0, true },  /* without PATHNAME, stars cross '/' anyway */
	{ "doc/**/gen", "doc/x/gen", PATH, true },

	/* PL_WM_CASEFOLD */
	{ "FOO", "foo", 0, false },
	{ "FOO", "foo", FOLD, true },
	{ "foo", "FoO", FOLD, true },
	{ "*.PY", "app.py", FOLD, true },
	{ "[a-c]", "B", 0, false },
	{ "[a-c]", "B", FOLD, true },
	{ "[A-C]", "b", FOLD, true },
	{ "[!a-c]", "B", FOLD, false },
	{ "\\A", "a", FOLD, true },
	{ "**/READ*", "docs/readme.md", PATH | FOLD, true },
	{ "READ*", "docs/readme.md", PATH | FOLD, false },
};

static void test_table(void **state)
{
	(void)state;
	size_t failures = 0;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const wm_case *c = &cases[i];
		bool got = pl_wildmatch(c->pattern, c->text, c->flags);
		if (got != c->expected) {
			print_error("row %zu: pl_wildmatch(\"%s\", \"%s\", %s%s) = %s, expected %s\n",
				    i, c->pattern, c->text, (c->flags & PATH) ? "PATHNAME " : "",
				    (c->flags & FOLD) ? "CASEFOLD" : "", got ? "true" : "false",
				    c->expected ? "true" : "false");
			failures++;
		}
	}
	if (failures)
		fail_msg("%zu of %zu rows failed", failures, sizeof(cases) / sizeof(cases[0]));
}

static void test_has_glob_chars(void **state)
{
	(void)state;
	assert_false(pl_has_glob_chars(""));
	assert_false(pl_has_glob_chars("plain/path.py"));
	assert_true(pl_has_glob_chars("*.py"));
	assert_true(pl_has_glob_chars("a?c"));
	assert_true(pl_has_glob_chars("[ab]"));
	assert_true(pl_has_glob_chars("dir/**/x"));
	assert_false(pl_has_glob_chars("\\*.py"));
	assert_false(pl_has_glob_chars("a\\?c\\[d"));
	assert_true(pl_has_glob_chars("\\**"));
	assert_false(pl_has_glob_chars("trailing\\"));
	assert_false(pl_has_glob_chars("]{}!^"));
}

/* git's abort trick keeps this linear; naive backtracking would take ages. */
static void test_pathological(void **state)
{
	(void)state;
	size_t n = 20000;
	char *text = malloc(n + 1);
	assert_non_null(text);
	memset(text, 'a', n);
	text[n] = '\0';
	assert_false(pl_wildmatch("*a*a*a*a*a*a*a*a*b", text, 0));
	assert_false(pl_wildmatch("*a*a*a*a*a*a*a*a*b", text, PL_WM_PATHNAME));
	assert_false(pl_wildmatch("**/*a*a*a*a*a*a*a*a*b", text, PL_WM_PATHNAME));
	assert_false(pl_wildmatch("*a*a*a*a*a*a*a*a*b", text, PL_WM_CASEFOLD));
	text[n - 1] = 'b';
	assert_true(pl_wildmatch("*a*a*a*a*a*a*a*a*b", text, 0));

	/* The same with `**` segments over a deep path: a/a/a/.../a. */
	for (size_t i = 1; i < n; i += 2)
		text[i] = '/';
	text[n - 1] = 'a';
	assert_false(pl_wildmatch("**/a/**/a/**/a/**/a/**/a/**/a/**/b", text, PL_WM_PATHNAME));
	assert_false(pl_wildmatch("**/*a*/**/*a*/**/*a*/**/*a*/**/b", text, PL_WM_PATHNAME));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_has_glob_chars),
		cmocka_unit_test(test_pathological),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

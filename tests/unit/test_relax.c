/* Unit tests for src/match/relax.c: regexes to search whole files with. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "match/relax.h"
#include "util/regex.h"

/* The pattern relaxed with `edges` (NULL: none), or "-" when it is not
 * relaxed; nothing is left behind on failure. */
static const char *relaxed_between(const char *re, const pl_node_edges *edges)
{
	static char buf[512];
	pl_strbuf out = PL_STRBUF_INIT;
	pl_strbuf_adds(&out, "kept:");
	bool ok = pl_regex_relax(re, strlen(re), edges, &out);
	if (!ok)
		assert_string_equal(out.buf, "kept:");
	snprintf(buf, sizeof(buf), "%s", ok ? out.buf + 5 : "-");
	pl_strbuf_release(&out);
	return buf;
}

static const char *relaxed(const char *re)
{
	return relaxed_between(re, NULL);
}

/*
 * Each piece is matched as a whole by `re` (as a node's text would be); the
 * pattern relaxed with `edges` must then find a match in every text that
 * puts one of `before` in front of the piece and one of `after` behind it.
 * Pieces the original does not match fail the test.
 */
static void assert_pieces_found(const char *re, const char *const *pieces,
				const pl_node_edges *edges, const char *const *before,
				size_t nbefore, const char *const *after, size_t nafter)
{
	char err[256];
	size_t off;
	pl_regex *orig = pl_regex_compile(re, strlen(re), err, sizeof(err), &off);
	assert_non_null(orig);
	pl_strbuf rel = PL_STRBUF_INIT;
	assert_true(pl_regex_relax(re, strlen(re), edges, &rel));
	pl_regex *relax = pl_regex_compile(rel.buf, rel.len, err, sizeof(err), &off);
	if (!relax)
		fail_msg("%s relaxed to %s, which does not compile: %s", re, rel.buf, err);
	for (size_t t = 0; t < 4 && pieces[t]; t++) {
		const char *piece = pieces[t];
		if (!pl_regex_search(orig, piece, strlen(piece)))
			fail_msg("sample '%s' does not match %s", piece, re);
		for (size_t a = 0; a < nbefore; a++) {
			for (size_t b = 0; b < nafter; b++) {
				char text[256];
				snprintf(text, sizeof(text), "%s%s%s", before[a], piece, after[b]);
				if (!pl_regex_search(relax, text, strlen(text)))
					fail_msg("'%s' holds '%s', which %s matches, but %s finds "
						 "nothing", text, piece, re, rel.buf);
			}
		}
	}
	pl_regex_delete(relax);
	pl_regex_delete(orig);
	pl_strbuf_release(&rel);
}

static void test_assertions_dropped(void **state)
{
	(void)state;
	assert_string_equal(relaxed("^(requests|httpx)\\.get$"), "(requests|httpx)\\.get");
	assert_string_equal(relaxed("(^|[._])(?i:item|call)\\s*\\.\\s*arguments$"),
			    "(|[._])(?i:item|call)\\s*\\.\\s*arguments");
	assert_string_equal(relaxed("\\bgpt-4\\b\\B\\A\\z\\Z\\G"), "gpt-4");
	assert_string_equal(relaxed("^(?:req|body)\\s*\\.\\s*(?!app\\b|state\\b)\\w"),
			    "(?:req|body)\\s*\\.\\s*\\w");
	assert_string_equal(relaxed("(?<=x)y(?<!z)(?=w)"), "y");
	assert_string_equal(relaxed("(?i)^(?!.*system)\\w*?(input|query)s?$"), "(?i)(input|query)s?");
	assert_string_equal(relaxed("(?#a note)abc"), "abc");
}

static void test_what_is_kept(void **state)
{
	(void)state;
	/* classes are copied whole, ^ $ ] ( and \ in them included */
	assert_string_equal(relaxed("[$^]x[]^$(]y[^]a]z[[:alpha:]$]"), "[$^]x[]^$(]y[^]a]z[[:alpha:]$]");
	assert_string_equal(relaxed("\\$\\^\\(\\[a"), "\\$\\^\\(\\[a");
	assert_string_equal(relaxed("(?<name>a)(?P<n2>b)(?:c)(?i)d(?-i:e)(?|f|g)(?>h)"),
			    "(?<name>a)(?P<n2>b)(?:c)(?i)d(?-i:e)(?|f|g)(?>h)");
	assert_string_equal(relaxed("\\c[x\\x{41}\\p{L}a{2,3}"), "\\c[x\\x{41}\\p{L}a{2,3}");
	assert_string_equal(relaxed(""), "");
}

/* Where a match may start, what may match nothing goes: the search then
 * starts at what the pattern needs. */
static void test_optional_leads_dropped(void **state)
{
	(void)state;
	assert_string_equal(relaxed("\\s*[?!]?\\.\\s*choices"), "\\.\\s*choices");
	assert_string_equal(relaxed("(a|\\s*b)c|\\s*d"), "(a|b)c|d");
	assert_string_equal(relaxed("(\\?\\.)?\\.x"), "\\.x");
	assert_string_equal(relaxed("a*?b"), "b");
	assert_string_equal(relaxed("\\s*+x"), "x");
	assert_string_equal(relaxed("(?i)\\s*x"), "(?i)x");
	assert_string_equal(relaxed("(?<n>\\s*a)"), "(?<n>a)");
	assert_string_equal(relaxed("^\\s*x"), "x");
	assert_string_equal(relaxed("(\\s*a)+b"), "(a)+b");
	/* not where a match starts, or not as simple */
	assert_string_equal(relaxed("x(a|\\s*b)"), "x(a|\\s*b)");
	assert_string_equal(relaxed("x\\s*y"), "x\\s*y");
	assert_string_equal(relaxed("(\\s*a){2}b"), "(\\s*a){2}b"); /* the space between the a's stays */
	assert_string_equal(relaxed("\\p{L}*x"), "\\p{L}*x");
	/* a group's end found past \\cX, whose X may be '(' */
	assert_string_equal(relaxed("(\\c(x)?y"), "y");
	assert_string_equal(relaxed("a{0,2}x"), "a{0,2}x");
	assert_string_equal(relaxed("\xc3\xa9?x"), "\xc3\xa9?x");
}

static void test_what_is_not_relaxed(void **state)
{
	(void)state;
	assert_string_equal(relaxed("(a)\\1"), "-");          /* back-references */
	assert_string_equal(relaxed("(?<n>a)\\k<n>"), "-");
	assert_string_equal(relaxed("(a)\\g1"), "-");
	assert_string_equal(relaxed("(?P<n>a)(?P=n)"), "-");
	assert_string_equal(relaxed("a(?R)?b"), "-");         /* recursion, subroutines */
	assert_string_equal(relaxed("(a)(?1)"), "-");
	assert_string_equal(relaxed("(a)(?-1)"), "-");
	assert_string_equal(relaxed("(?&n)"), "-");
	assert_string_equal(relaxed("(?(1)a|b)"), "-");       /* conditionals */
	assert_string_equal(relaxed("(?C1)a"), "-");          /* callouts */
	assert_string_equal(relaxed("\\Qa.b\\E"), "-");        /* quoting */
	assert_string_equal(relaxed("(?x) a b # c"), "-");     /* extended mode */
	assert_string_equal(relaxed("(?ix:a b)"), "-");
	assert_string_equal(relaxed("(*UTF)a"), "-");          /* verbs */
	assert_string_equal(relaxed("(*pla:a)b"), "-");
	assert_string_equal(relaxed("a\\b?"), "-");            /* a quantified assertion */
	assert_string_equal(relaxed("a(?=b)*"), "-");
	assert_string_equal(relaxed("a^{2}"), "-");
	assert_string_equal(relaxed("(\\#?(?#)?|x)"), "-"); /* the ? after a comment is the \\#'s */
	assert_string_equal(relaxed("a[bc"), "-");             /* unterminated */
	assert_string_equal(relaxed("a(?=b"), "-");
	assert_string_equal(relaxed("a\\"), "-");
}

/*
 * The property the prefilter relies on: a text holding a piece the
 * original regex matches holds a match of the relaxed one, wherever that
 * piece sits. Each sample is matched as a whole by the original (as a
 * node's text would be) and searched for inside larger texts by the
 * relaxed one; samples the original does not match check nothing.
 */
static void test_pieces_of_larger_texts(void **state)
{
	(void)state;
	static const struct {
		const char *re;
		const char *pieces[4];
	} cases[] = {
		{ "^(requests|httpx)\\.(get|post)$", { "requests.get", "httpx.post", NULL } },
		{ "\\bopen\\b", { "open", "x = open(p)", NULL } },
		{ "(\\.choices\\s*\\[\\s*\\d+\\s*\\]\\s*\\.\\s*message\\s*\\.\\s*content|\\.output_text)$",
		  { "resp.choices[0].message.content", "r.output_text", NULL } },
		{ "(^|[._])(?i:item|call|fc)\\s*\\.\\s*arguments$", { "call.arguments", "tc.Fc . arguments", NULL } },
		{ "^(?:request|req)\\s*(?:\\.\\s*(?!app\\b|state\\b)\\w|\\[)", { "request.json", "req[0]", NULL } },
		{ "(?i)^(?!.*system)\\w*?(input|query)s?$", { "userInput", "QUERYS", NULL } },
		{ "(?<=\\.)goto$", { "page.goto", NULL } },
		{ "^@\\s*(\\w+\\s*\\.\\s*)*(tool|function_tool)\\b", { "@tool", "@mcp . tool()", NULL } },
		{ "\\s*[?!]?\\.\\s*choices", { " ?. choices", ".choices", NULL } },
		{ "(a|\\s*b)c|\\s*d", { "  bc", "ac", " d", NULL } },
		{ "(\\s*a){2}b", { "a ab", " a ab", NULL } },
		{ "(\\s*a)+b", { "a  ab", " ab", NULL } },
	};
	static const char *const around[] = { "", "x", " ", "\n", "a.b", "__", "(", "é" };
	size_t naround = sizeof(around) / sizeof(around[0]);
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++)
		assert_pieces_found(cases[c].re, cases[c].pieces, NULL, around, naround, around,
				    naround);
}

/* Edges like a JavaScript string_fragment's: after a quote or an escape
 * of up to 6 bytes, before a quote or a backslash. */
static const pl_node_edges quoted = { "string_fragment", "\"'", 6, "\"\\", NULL };

/* With a node's edges, ^ and $ say what stands around the text. */
static void test_anchors_become_edges(void **state)
{
	(void)state;
	assert_string_equal(relaxed_between("^(?:rm|kill)$", &quoted),
			    "(?:[\\x{22}\\x{27}]|\\\\[\\s\\S]{1,5})(?:rm|kill)"
			    "(?=[\\r\\n\\x{22}\\x{5c}]|\\z)");
	assert_string_equal(relaxed_between("\\Arm\\z", &quoted), relaxed_between("^rm$", &quoted));
	/* a ^ that an optional atom follows goes, with the atom: no search
	 * from every letter of the file */
	assert_string_equal(relaxed_between("^(?:\\w+/)*ada$", &quoted),
			    "ada(?=[\\r\\n\\x{22}\\x{5c}]|\\z)");
	/* after an edge, nothing that may match nothing goes */
	assert_string_equal(relaxed_between("^(?:a|\\s*b)", &quoted),
			    "(?:[\\x{22}\\x{27}]|\\\\[\\s\\S]{1,5})(?:a|\\s*b)");
	/* a start edge is matched, once: with two start anchors, none is kept
	 * (`^^a` would want two bytes before the text) */
	assert_string_equal(relaxed_between("^^a", &quoted), "a");
	assert_string_equal(relaxed_between("^a|\\Ab", &quoted), "a|b");
	assert_string_equal(relaxed_between("\\c[^a", &quoted),
			    "\\c[(?:[\\x{22}\\x{27}]|\\\\[\\s\\S]{1,5})a"); /* \\c[ is no class */
	/* nor in a repeated group: (?:^){2} would want two */
	assert_string_equal(relaxed_between("(?:^){2}a", &quoted), "(?:){2}a");
	assert_string_equal(relaxed_between("(?:(?:^a)+|b)c", &quoted), "(?:(?:a)+|b)c");
	/* (?m): anchors hold at line breaks, so they go */
	assert_string_equal(relaxed_between("(?m)^rm$", &quoted), "(?m)rm");
	/* edges that may be anything, or no edges: as before */
	static const pl_node_edges any = { "x", NULL, 0, NULL, NULL };
	assert_string_equal(relaxed_between("^rm$", &any), "rm");
	assert_string_equal(relaxed_between("^rm$", NULL), "rm");
	/* the other assertions still go */
	assert_string_equal(relaxed_between("\\brm\\b", &quoted), "rm");
}

/*
 * The property with edges: where the original matches a node's whole
 * text, the relaxed pattern finds a match in the file around it, whichever
 * allowed bytes stand before and after; and it finds none where only other
 * bytes do (what makes it sharper).
 */
static void test_edges_keep_every_match(void **state)
{
	(void)state;
	static const struct {
		const char *re;
		const char *pieces[4];
	} cases[] = {
		{ "^(?:delete|drop)(?:$|[_A-Z])", { "delete", "drop_table", "deleteUser", NULL } },
		{ "^(?:\\w+/)*(?:ada|babbage)$", { "ada", "openai/babbage", NULL } },
		{ "(?i)(^|/)(chat|assistant)s?$", { "chat", "api/Assistants", NULL } },
		{ "^\\s*sh$", { "sh", "  sh", NULL } },
		{ "^a$|^b", { "a", "b", "bc", NULL } },
		{ "^x$", { "x\n", NULL } }, /* $ before a final line break */
	};
	/* in a file: after a quote or an escape, before a quote, a backslash
	 * or the end */
	static const char *const before[] = { "x = \"", "x = '", "x = \\n", "x = \\u0041",
					      "x = \\x" };
	static const char *const after[] = { "\";", "\\;", "" };
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++)
		assert_pieces_found(cases[c].re, cases[c].pieces, &quoted, before,
				    sizeof(before) / sizeof(before[0]), after,
				    sizeof(after) / sizeof(after[0]));
	/* and what the edges rule out */
	static const struct {
		const char *re, *text;
	} misses[] = {
		{ "^(?:delete|drop)(?:$|[_A-Z])", "undelete_row(x)" },
		{ "^(?:delete|drop)(?:$|[_A-Z])", "x.delete(k)" },
		{ "^(?:\\w+/)*(?:ada|babbage)$", "metadata = \"ok\"" },
		{ "^\\s*sh$", "\"shell\", sh()" },
	};
	for (size_t m = 0; m < sizeof(misses) / sizeof(misses[0]); m++) {
		const char *re = relaxed_between(misses[m].re, &quoted);
		assert_string_not_equal(re, "-");
		char err[256];
		size_t off;
		pl_regex *relax = pl_regex_compile(re, strlen(re), err, sizeof(err), &off);
		assert_non_null(relax);
		if (pl_regex_search(relax, misses[m].text, strlen(misses[m].text)))
			fail_msg("%s (from %s) finds a match in '%s'", re, misses[m].re, misses[m].text);
		pl_regex_delete(relax);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_assertions_dropped),
		cmocka_unit_test(test_what_is_kept),
		cmocka_unit_test(test_optional_leads_dropped),
		cmocka_unit_test(test_what_is_not_relaxed),
		cmocka_unit_test(test_pieces_of_larger_texts),
		cmocka_unit_test(test_anchors_become_edges),
		cmocka_unit_test(test_edges_keep_every_match),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

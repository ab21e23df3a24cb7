/* Unit tests for src/match/needs.c: what a query needs of a file's text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "lang/lang.h"
#include "match/needs.h"
#include "match/pattern.h"

/* The readable form of a query's needs, in a language (NULL: none known). */
static char *described_in(const char *lang, const char *query)
{
	pl_needs *n = pl_needs_of_query(lang ? pl_language_by_name(lang) : NULL, query,
					strlen(query));
	char *text = pl_needs_describe(n);
	pl_needs_delete(n);
	return text;
}

static char *described(const char *query)
{
	return described_in(NULL, query);
}

#define assert_needs(query, expected)                                                       \
	do {                                                                                \
		char *got_ = described(query);                                              \
		assert_string_equal(got_, expected);                                        \
		free(got_);                                                                 \
	} while (0)

static bool met_in(const char *lang, const char *query, const char *text)
{
	pl_needs *n = pl_needs_of_query(lang ? pl_language_by_name(lang) : NULL, query, strlen(query));
	pl_text_probe probe;
	pl_text_probe_init(&probe, text, strlen(text));
	bool ok = pl_needs_met(n, &probe);
	pl_text_probe_release(&probe);
	pl_needs_delete(n);
	return ok;
}

static bool met(const char *query, const char *text)
{
	return met_in(NULL, query, text);
}

static void test_predicates_on_required_captures(void **state)
{
	(void)state;
	/* an identifier's text is a whole token: `w` */
	assert_needs("(call function: (identifier) @f (#eq? @f \"open\"))", "\"open\"w");
	assert_needs("((identifier) @f (#any-of? @f \"get\" \"post\"))", "\"get\"w | \"post\"w");
	assert_needs("((property_identifier) @f (#eq? @f \"a.b\"))", "\"a.b\"");
	assert_needs("((identifier) @f (#match? @f \"^open$\"))", "\"open\"");
	assert_needs("(call function: (attribute object: (_) @o attribute: (_) @a)"
		     " (#eq? @o \"client\") (#match? @a \"^(create|stream)$\"))",
		     "\"client\" & (\"create\" | \"stream\")");
	/* case-insensitive regexes give lower-case literals */
	assert_needs("((identifier) @k (#match? @k \"(?i)model\"))", "\"model\"i");
	/* escapes in query strings are read as tree-sitter reads them */
	assert_needs("((string) @s (#eq? @s \"a\\\"b\\\\c\"))", "\"a\\\"b\\\\c\"");
	/* a predicate written before the capture it names still applies */
	assert_needs("((#eq? @x \"early\") (identifier) @x)", "\"early\"w");
}

static void test_what_adds_nothing(void **state)
{
	(void)state;
	assert_needs("(call function: (identifier) @f)", "nothing");
	/* optional and repeated-or-absent nodes */
	assert_needs("(call (identifier)? @f (#eq? @f \"open\"))", "nothing");
	assert_needs("(block (identifier)* @f (#eq? @f \"open\"))", "nothing");
	assert_needs("(block (identifier)+ @f (#eq? @f \"open\"))", "\"open\"w");
	/* negated, any- and capture-to-capture predicates */
	assert_needs("((identifier) @f (#not-eq? @f \"open\"))", "nothing");
	assert_needs("((identifier) @f (#any-eq? @f \"open\"))", "nothing");
	assert_needs("((identifier) @a (identifier) @b (#eq? @a @b))", "nothing");
	/* anonymous nodes, anchors, negated fields, wildcards */
	assert_needs("(call . \"await\" !arguments (_) _)", "nothing");
	/* a regex without a literal */
	assert_needs("((identifier) @f (#match? @f \"^[a-z]+$\"))", "nothing");
}

static void test_alternations_and_patterns(void **state)
{
	(void)state;
	assert_needs("[((identifier) @a (#eq? @a \"x\")) ((string) @b (#eq? @b \"y\"))]",
		     "\"x\"w | \"y\"");
	/* one branch that needs nothing frees the whole alternation */
	assert_needs("[((identifier) @a (#eq? @a \"x\")) (string)]", "nothing");
	/* the same capture in several branches, each with the predicate */
	assert_needs("(call function: [(identifier) @f (attribute attribute: (identifier) @f)]"
		     " (#eq? @f \"run\") arguments: (argument_list (string) @s (#eq? @s \"q\")))",
		     "\"run\"w & \"q\"");
	/* a query needs one of its top-level patterns */
	assert_needs("((identifier) @a (#eq? @a \"x\"))\n; comment (#eq? @a \"z\")\n"
		     "((identifier) @a (#eq? @a \"y\"))",
		     "\"x\"w | \"y\"w");
	assert_needs("((identifier) @a (#eq? @a \"x\")) (string)", "nothing");
}

static void test_unreadable_queries_need_nothing(void **state)
{
	(void)state;
	assert_needs("((identifier) @a (#eq? @a \"x\")", "nothing");   /* unbalanced */
	assert_needs("((identifier) @a (#eq? @a \"x))", "nothing");    /* open string */
	assert_needs("(call bare (identifier) @a (#eq? @a \"x\"))", "nothing");
	assert_needs("", "nothing");
}

static void test_met(void **state)
{
	(void)state;
	const char *q = "(call function: (attribute object: (_) @o attribute: (_) @a)"
			" (#eq? @o \"client\") (#match? @a \"(?i)^create$\"))";
	assert_true(met(q, "client.chat.CREATE(x)"));
	assert_false(met(q, "client.chat.stream(x)"));
	assert_false(met(q, "Client.create()"));
	assert_true(met("(identifier)", ""));
	/* every byte pair of the literal occurs, the literal does not */
	assert_false(met("((_) @a (#eq? @a \"abc\"))", "ab bc"));
	assert_true(met("((_) @a (#eq? @a \"abc\"))", "xabcx"));
	/* an identifier equal to a literal: only where it is a whole token */
	assert_false(met("((identifier) @a (#eq? @a \"abc\"))", "xabcx abc_ abc1 _abc"));
	assert_true(met("((identifier) @a (#eq? @a \"abc\"))", "xabcx f(abc)"));
	assert_true(met("((identifier) @a (#eq? @a \"abc\"))", "1abc"));
	/* folded text: the Kelvin sign is a k, the long s an s */
	assert_true(met("((identifier) @a (#match? @a \"(?i)kind\"))", "\xe2\x84\xaa" "IND"));
	assert_true(met("((identifier) @a (#match? @a \"(?i)escalate\"))", "e\xc5\xbf" "calate"));
	assert_false(met("((identifier) @a (#match? @a \"(?i)kind\"))", "k ind"));
	/* answers are remembered per literal, also across formulas and cases */
	const char *qa = "((identifier) @a (#eq? @a \"xyz\"))";
	const char *qb = "((identifier) @a (#match? @a \"(?i)XYZ\"))";
	pl_needs *a = pl_needs_of_query(NULL, qa, strlen(qa));
	pl_needs *b = pl_needs_of_query(NULL, qb, strlen(qb));
	pl_text_probe probe;
	pl_text_probe_init(&probe, "fooXYZbar", 9);
	assert_false(pl_needs_met(a, &probe));
	assert_true(pl_needs_met(b, &probe));
	assert_false(pl_needs_met(a, &probe));
	pl_text_probe_release(&probe);
	pl_needs_delete(a);
	pl_needs_delete(b);
}

/* A #match? regex that says more than its literals is a leaf of its own,
 * searched in the whole text without its assertions (relax.h), after the
 * literal sets beside it. */
static void test_regex_leaves(void **state)
{
	(void)state;
	const char *q = "((attribute) @m (#match? @m \"\\\\.choices\\\\s*\\\\[\\\\s*\\\\d+\\\\s*\\\\]$\"))";
	assert_needs(q, "\".choices\" & \"[\" & \"]\" & /\\.choices\\s*\\[\\s*\\d+\\s*\\]/");
	/* the pieces apart: the literals are there, a match is not */
	assert_false(met(q, "x.choices = a[0]"));
	assert_true(met(q, "r = resp.choices [ 12 ].message"));
	/* the end of the node is not the end of the file */
	assert_true(met(q, "resp.choices[0]\n"));
	/* a regex that is its literal set adds no leaf */
	assert_needs("((identifier) @f (#match? @f \"^(get|post)$\"))", "\"get\" | \"post\"");
	/* nor one that cannot be relaxed (a quantified assertion) */
	assert_needs("((identifier) @f (#match? @f \"xyz.(?=a)*\"))", "\"xyz\"");
	/* the literals first: a text without them never reaches the regex */
	pl_needs *n = pl_needs_of_query(NULL, q, strlen(q));
	pl_text_probe probe;
	pl_text_probe_init(&probe, "choices[0]", 10);
	assert_true(pl_needs_met_by_literals(n, &probe) == false);
	pl_text_probe_release(&probe);
	pl_text_probe_init(&probe, "x.choices = a[0]", 16);
	assert_true(pl_needs_met_by_literals(n, &probe));
	assert_false(pl_needs_met(n, &probe));
	assert_false(pl_needs_met(n, &probe)); /* remembered, the same answer */
	pl_text_probe_release(&probe);
	pl_needs_delete(n);
	/* a regex that names no literal set ((?i:...) groups) still spells words */
	const char *ci = "((identifier) @f (#match? @f \"^(?i:delete|drop)\\\\d\"))";
	assert_needs(ci, "/(?i:delete|drop)\\d/");
	assert_false(met(ci, "delete(x); drop; 1"));
	assert_true(met(ci, "def DROP2(): pass"));
	/* ... one that spells none would find a match almost anywhere */
	assert_needs("((identifier) @f (#match? @f \"^[a-z]+\\\\d*$\"))", "nothing");
	/* a pattern that does not compile once relaxed tests nothing */
	assert_true(met("((identifier) @f (#match? @f \"a(?<=b+)\\\\d\"))", "a1"));
}

/* Through patterns: a positive relation's sub-pattern adds its needs, a
 * negative one adds none. */
static void test_pattern_relations(void **state)
{
	(void)state;
	const pl_language *py = pl_language_by_name("python");
	assert_non_null(py);
	const char *q = "(call function: (identifier) @f arguments: (_) @args (#eq? @f \"complete\"))";
	const char *sub = "((identifier) @k (#eq? @k \"max_tokens\"))";
	pl_compile_error err;
	pl_pattern *has = pl_pattern_compile(NULL, py, q, strlen(q), &err);
	pl_pattern *not_has = pl_pattern_compile(NULL, py, q, strlen(q), &err);
	assert_non_null(has);
	assert_non_null(not_has);
	assert_int_equal(pl_pattern_add_relation(has, PL_REL_HAS, "args",
						 pl_pattern_defer(py, sub, strlen(sub)), NULL, 0, &err), 0);
	assert_int_equal(pl_pattern_add_relation(not_has, PL_REL_NOT_HAS, "args",
						 pl_pattern_defer(py, sub, strlen(sub)), NULL, 0, &err), 0);
	const char *without = "complete(prompt)";
	const char *with = "complete(prompt, max_tokens=5)";
	pl_text_probe p1, p2;
	pl_text_probe_init(&p1, without, strlen(without));
	pl_text_probe_init(&p2, with, strlen(with));
	assert_false(pl_pattern_may_match(has, &p1));
	assert_true(pl_pattern_may_match(has, &p2));
	assert_true(pl_pattern_may_match(not_has, &p1));
	assert_true(pl_pattern_may_match(not_has, &p2));
	pl_text_probe_release(&p1);
	pl_text_probe_release(&p2);
	pl_pattern_delete(has);
	pl_pattern_delete(not_has);
}

/* Where captures sit below their pattern's root, as "name@depth" in order. */
static char *sites_of(const char *query)
{
	pl_capture_site *sites;
	size_t n;
	if (!pl_query_capture_sites(query, strlen(query), &sites, &n))
		return NULL;
	static char buf[256];
	size_t at = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n && at < sizeof(buf); i++)
		at += (size_t)snprintf(buf + at, sizeof(buf) - at, "%s%.*s@%u", i ? " " : "",
				       (int)sites[i].name_len, sites[i].name, sites[i].depth);
	free(sites);
	return buf;
}

static bool may_match(const pl_pattern *p, const char *text)
{
	pl_text_probe probe;
	pl_text_probe_init(&probe, text, strlen(text));
	bool ok = pl_pattern_may_match(p, &probe);
	pl_text_probe_release(&probe);
	return ok;
}

/* A not_has whose sub-query restates its target, `(argument_list) @args`,
 * with only negative clauses holds only where one of their sub-queries
 * matches: a match that binds @args needs what one of those needs. */
static pl_pattern *holds_unless(const pl_language *py, const char *restated, pl_relation inner)
{
	const char *q = "[(call function: (identifier) @f arguments: (argument_list) @args"
			" (#eq? @f \"complete\")) ((identifier) @g (#eq? @g \"other\"))]";
	const char *k1 = "((identifier) @k (#eq? @k \"user_input\"))";
	const char *k2 = "((string) @s (#match? @s \"^.request\\\\.\"))";
	pl_compile_error err;
	pl_pattern *p = pl_pattern_compile(NULL, py, q, strlen(q), &err);
	assert_non_null(p);
	pl_pattern *sub = pl_pattern_defer(py, restated, strlen(restated));
	assert_int_equal(pl_pattern_add_relation(sub, inner, "args",
						 pl_pattern_defer(py, k1, strlen(k1)), NULL, 0, &err), 0);
	assert_int_equal(pl_pattern_add_relation(sub, PL_REL_NOT_HAS, "args",
						 pl_pattern_defer(py, k2, strlen(k2)), NULL, 0, &err), 0);
	assert_int_equal(pl_pattern_add_relation(p, PL_REL_NOT_HAS, "args", sub, NULL, 0, &err), 0);
	return p;
}

static void test_relations_that_hold_unless(void **state)
{
	(void)state;
	const pl_language *py = pl_language_by_name("python");
	pl_pattern *p = holds_unless(py, " ( argument_list )  @args ", PL_REL_NOT_HAS);
	assert_false(may_match(p, "complete(prompt)"));
	assert_true(may_match(p, "complete(user_input)"));
	assert_true(may_match(p, "complete('request.x')"));
	assert_false(may_match(p, "complete('requests')")); /* the regex, not only its literal */
	assert_true(may_match(p, "other")); /* the branch that binds no @args needs nothing more */
	pl_pattern_delete(p);
	/* a clause that can fail anywhere (has), a sub-query that may not match
	 * the target itself, or another capture: no more needs */
	p = holds_unless(py, "(argument_list) @args", PL_REL_HAS);
	assert_true(may_match(p, "complete(prompt)"));
	pl_pattern_delete(p);
	p = holds_unless(py, "(call) @args", PL_REL_NOT_HAS);
	assert_true(may_match(p, "complete(prompt)"));
	pl_pattern_delete(p);
	p = holds_unless(py, "(argument_list) @args (#eq? @args \"x\")", PL_REL_NOT_HAS);
	assert_true(may_match(p, "complete(prompt)"));
	pl_pattern_delete(p);

	/* the types a capture is written with */
	const char *q = "[(call arguments: (argument_list) @a) (pair value: (argument_list) @a)"
			" (x (_) @b) [(c) (d)] @e \"str\" @f _ @g [(c) (c (d))] @h [(c) \"x\"] @i"
			" [(c) _] @j [(c) [(d) (_)]] @k]";
	size_t n = strlen(q);
	assert_true(pl_query_capture_of_type(q, n, "a", "argument_list"));
	assert_true(pl_query_capture_of_type(q, n, "a", "_"));
	assert_false(pl_query_capture_of_type(q, n, "a", "call"));
	assert_true(pl_query_capture_of_type(q, n, "b", "_"));
	assert_false(pl_query_capture_of_type(q, n, "b", "x"));
	/* a choice of named nodes is a named node; of one type, that type */
	assert_true(pl_query_capture_of_type(q, n, "e", "_"));
	assert_false(pl_query_capture_of_type(q, n, "e", "c"));
	assert_true(pl_query_capture_of_type(q, n, "h", "c"));
	assert_true(pl_query_capture_of_type(q, n, "k", "_"));
	assert_false(pl_query_capture_of_type(q, n, "k", "c"));
	assert_false(pl_query_capture_of_type(q, n, "i", "_")); /* a branch is anonymous */
	assert_false(pl_query_capture_of_type(q, n, "j", "_")); /* a branch is any node */
	assert_false(pl_query_capture_of_type(q, n, "f", "_")); /* an anonymous node */
	assert_false(pl_query_capture_of_type(q, n, "g", "_")); /* any node, named or not */
	assert_false(pl_query_capture_of_type("(call @a", 8, "a", "_"));
}

static void test_capture_sites(void **state)
{
	(void)state;
	/* fields add no depth; a node's children are one deeper */
	assert_string_equal(sites_of("(call function: (attribute attribute: (identifier) @m)"
				     " (#eq? @m \"create\") arguments: (_) @args) @call"),
			    "m@2 args@1 call@0");
	/* a grouping with one node and predicates is rooted at the node */
	assert_string_equal(sites_of("((call function: (identifier) @f) @c (#eq? @f \"x\"))"),
			    "f@1 c@0");
	/* alternations add no depth; a name at two depths is two sites */
	assert_string_equal(sites_of("[(call (identifier) @x) (call (argument_list (identifier) @x))]"
				     " @call"),
			    "x@1 x@2 call@0");
	/* a grouping of siblings inside a node stays at the node's children */
	assert_string_equal(sites_of("(block ((expression_statement) @a . (return_statement) @b))"),
			    "a@1 b@1");
	/* every top-level pattern counts from its own root */
	assert_string_equal(sites_of("(call (identifier) @f) (assignment left: (identifier) @f)"),
			    "f@1");
	/* not rooted at one node: siblings, quantifiers, anchors at the top */
	assert_null(sites_of("((identifier) @a (identifier) @b)"));
	assert_null(sites_of("(comment)+ @c"));
	assert_null(sites_of("(call) @c (comment)? @d"));
	assert_null(sites_of("(. (identifier) @a)"));
	assert_null(sites_of("(call (identifier) @a"));
}

static bool required(const char *query, const char *a, const char *b)
{
	const char *names[2] = { a, b };
	size_t lens[2] = { strlen(a), b ? strlen(b) : 0 };
	return pl_query_captures_required(query, strlen(query), names, lens, b ? 2 : 1);
}

static void test_captures_required(void **state)
{
	(void)state;
	assert_true(required("(call function: (identifier) @f) @c", "f", NULL));
	assert_true(required("(call function: (identifier) @f) @c", "c", NULL));
	/* optional, or missing from a branch: not every match takes it */
	assert_false(required("(call function: (identifier)? @f)", "f", NULL));
	assert_false(required("(call (comment)* @x)", "x", NULL));
	assert_false(required("[(call (identifier) @v) (call (string) @s)]", "v", NULL));
	/* ... unless the other branch takes the other capture of the set */
	assert_true(required("[(call (identifier) @v) (call (string) @s)]", "v", "s"));
	assert_true(required("(a [(b) @v (c (d) @v)])", "v", NULL));
	/* every top-level pattern must take one */
	assert_false(required("(call (identifier) @v) (assignment (identifier) @w)", "v", NULL));
	assert_true(required("(call (identifier) @v) (assignment (identifier) @w)", "v", "w"));
	/* a name the query does not have, or a query that is not read */
	assert_false(required("(call (identifier) @v)", "nope", NULL));
	assert_false(required("(call (identifier) @v", "v", NULL));
}

/* The naive answer pl_text_probe_find must give. */
static long naive_find(const char *text, size_t len, size_t from, const char *lit, size_t n,
		       unsigned place)
{
	for (size_t i = from; i + n <= len; i++)
		if (memcmp(text + i, lit, n) == 0 && pl_literal_at(text, len, i, n, place))
			return (long)i;
	return -1;
}

/* Places through the byte-pair index equal a plain search, from every
 * offset: overlapping places, pairs sharing a bucket, tokens, names, one-byte
 * literals, literals longer than what is left; literals of either case
 * looked for as they are and (in lower case) in the folded text, also
 * where folding shortens the text (a Kelvin sign), so that the text needs
 * an index of its own; with arrays handed on from probe to probe. */
/* Where a language's member names have a type of their own, a string an
 * `identifier` equals counts only as a plain name (`n`), not after a member
 * access dot; other identifier types and other languages keep tokens. */
static void test_plain_names(void **state)
{
	(void)state;
	/* (not as a called function, which field edges would sharpen) */
	const char *q = "(expression_statement [(identifier) @f (member_expression property:"
			" (property_identifier) @g)] (#eq? @f \"exec\") (#eq? @g \"spawn\"))";
	char *js = described_in("javascript", q), *ts = described_in("typescript", q);
	assert_string_equal(js, "\"exec\"n | \"spawn\"w");
	assert_string_equal(ts, js);
	free(js);
	free(ts);
	const char *py = "(expression_statement (identifier) @f (#eq? @f \"exec\"))";
	char *d = described_in("python", py);
	assert_string_equal(d, "\"exec\"w");
	free(d);
	d = described_in("go", "(expression_statement (identifier) @f (#eq? @f \"exec\"))");
	assert_string_equal(d, "\"exec\"w");
	free(d);
	/* a JavaScript file calling exec only as a method has no call of exec */
	pl_needs *n = pl_needs_of_query(pl_language_by_name("javascript"),
					"(call_expression function: (identifier) @f (#eq? @f \"exec\"))",
					strlen("(call_expression function: (identifier) @f (#eq? @f \"exec\"))"));
	const char *texts[] = { "const m = re.exec(s);", "exec(cmd)", "x = a ?.exec(b)",
				"const { exec } = cp;\nexec(cmd)" };
	bool want[] = { false, true, false, true };
	for (size_t i = 0; i < 4; i++) {
		pl_text_probe probe;
		pl_text_probe_init(&probe, texts[i], strlen(texts[i]));
		assert_int_equal(pl_needs_met(n, &probe), want[i]);
		pl_text_probe_release(&probe);
	}
	pl_needs_delete(n);
}

static void test_probe_find(void **state)
{
	(void)state;
	unsigned seed = 12345;
	static const char alphabet[] = "aAbB_ c.a";
	pl_probe_buffers *buffers = pl_probe_buffers_new();
	char text[600], folded[600], lits[20][8]; /* the probe remembers literals by address */
	for (int round = 0; round < 60; round++) {
		size_t len = 1 + (size_t)(round * 13 % 590);
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			text[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		if (round % 3 == 2 && len > 3)
			memcpy(text + len / 2, "\xE2\x84\xAA", 3); /* KELVIN SIGN, folds onto k */
		size_t folded_len = pl_literals_fold(text, len, folded);
		pl_text_probe probe;
		/* most rounds reuse the arrays of earlier ones, longer or shorter */
		pl_text_probe_init_reusing(&probe, text, len, round % 4 ? buffers : NULL);
		for (int k = 0; k < 20; k++) {
			char *lit = lits[k];
			seed = seed * 1103515245u + 12345u;
			size_t n = 1 + (seed >> 16) % 6;
			bool nocase = k % 4 == 1;
			for (size_t i = 0; i < n; i++) {
				seed = seed * 1103515245u + 12345u;
				char c = (k % 5 == 4 && i == n / 2) ? 'k'
								   : alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
				lit[i] = nocase && c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
			}
			unsigned place = (unsigned)k % 3; /* any, token, name */
			const char *in = nocase ? folded : text;
			size_t in_len = nocase ? folded_len : len;
			for (size_t from = 0; from <= in_len + 1; from++)
				assert_int_equal(pl_text_probe_find(&probe, from, lit, n, nocase, place),
						 from > in_len ? -1
							       : naive_find(in, in_len, from, lit, n, place));
			assert_int_equal(pl_text_probe_has(&probe, lit, n, nocase, place),
					 naive_find(in, in_len, 0, lit, n, place) >= 0);
		}
		pl_text_probe_release(&probe);
	}
	pl_probe_buffers_delete(buffers);
}

/* A predicate on a string's content keeps the edges its regex anchors to
 * (lang.h, relax.h): the text must hold the id between quotes, not inside
 * a word. */
static void test_string_edges(void **state)
{
	(void)state;
	const char *js = "((pair value: (string (string_fragment) @m))"
			 " (#match? @m \"^(?:\\\\w+/)*(?:ada|babbage)$\"))";
	assert_false(met_in("javascript", js, "const metadata = { babbage_x: 1 }"));
	assert_true(met_in("javascript", js, "x = { model: \"ada\" }"));
	assert_true(met_in("javascript", js, "x = { model: 'openai/babbage' }"));
	assert_true(met_in("javascript", js, "x = { model: `ada\\n` }")); /* an escape follows */
	/* without the language, no edges: a word will do */
	assert_true(met_in(NULL, js, "const metadata = { babbage_x: 1 }"));
	/* equality too: "sh" as a whole string's content */
	const char *go = "((interpreted_string_literal_content) @s (#any-of? @s \"sh\" \"bash\"))";
	assert_false(met_in("go", go, "sh := shell(\"shutdown\")"));
	assert_true(met_in("go", go, "exec.Command(\"bash\", \"-c\", s)"));
	assert_true(met_in("go", go, "exec.Command(\"\\tsh\")")); /* after an escape */
	/* a string beyond ASCII is looked for as the text it is (UTF-8), not
	 * byte by byte as code points */
	const char *go_utf8 = "((interpreted_string_literal_content) @s (#eq? @s \"\xc3\xa9t\xc3\xa9\"))";
	assert_true(met_in("go", go_utf8, "var x = \"\xc3\xa9t\xc3\xa9\""));
	assert_false(met_in("go", go_utf8, "var x = \"d\xc3\xa9t\xc3\xa9\""));
	/* a capture of another type keeps no edges */
	const char *id = "((identifier) @s (#match? @s \"^sh$\"))";
	assert_true(met_in("go", id, "x := \"shell\"; sh()"));
	/* field edges: a called name before its `(`, a key before `:`, a
	 * keyword argument's name before `=`, past blanks and comments; a
	 * member's name ends the called a.b */
	const char *js_call = "(call_expression function: [(identifier) @f (member_expression"
			      " property: (property_identifier) @f)] (#eq? @f \"exec\"))";
	assert_true(met_in("javascript", js_call, "exec(cmd)"));
	assert_true(met_in("javascript", js_call, "cp.exec /* why */ (cmd)"));
	assert_true(met_in("javascript", js_call, "cp.exec?.(cmd)"));
	assert_true(met_in("typescript", js_call, "exec<T>(cmd)"));
	assert_false(met_in("javascript", js_call, "const exec = 1; re.exec; exec.bind(x)"));
	const char *py_kw = "(keyword_argument name: (identifier) @k (#eq? @k \"shell\"))";
	assert_true(met_in("python", py_kw, "run(c, shell # why\n = True)"));
	assert_false(met_in("python", py_kw, "shell.run(); x = shell; shell_cmd = 1"));
	const char *py_tail = "(call function: (attribute attribute: (identifier) @m)"
			      " (#eq? @m \"system\"))";
	assert_true(met_in("python", py_tail, "os.system(cmd)"));
	assert_false(met_in("python", py_tail, "platform.system; the system.\n"));
	const char *js_key = "(pair key: (property_identifier) @k (#eq? @k \"name\"))";
	assert_true(met_in("javascript", js_key, "({ name : 'x' })"));
	assert_false(met_in("javascript", js_key, "const name = 'x'"));
	/* a Go composite literal's key, inside the literal element that wraps it */
	const char *go_key = "(keyed_element key: (literal_element (identifier) @k) (#eq? @k \"System\"))";
	assert_true(met_in("go", go_key, "p := Params{System /* why */ : prompt}"));
	assert_false(met_in("go", go_key, "syscall.System(x); var System = 1; m[System]"));
	char *d = described_in("python", "((string (string_content) @c) (#match? @c \"^drop$\"))");
	assert_non_null(strstr(d, "drop(?=["));
	free(d);
}

/* An "all of" asks first the regex that has failed most often: after files
 * that hold alpha but not beta, a file is searched for be+ta before al+pha.
 * The answer is the same in any order. */
static void test_regexes_asked_by_failures(void **state)
{
	(void)state;
	const char *q = "((call function: (identifier) @a arguments: (argument_list (identifier) @b))"
			" (#match? @a \"al+pha\") (#match? @b \"be+ta\"))";
	pl_needs *n = pl_needs_of_query(NULL, q, strlen(q));
	/* their literals there (be, eta), their regex not */
	const char *texts[] = { "alpha(be, eta)", "allpha(eta + be)", "alllpha(be.eta)",
				"alpha(eta(be))" };
	for (size_t i = 0; i < 4; i++) {
		pl_text_probe probe;
		pl_text_probe_init(&probe, texts[i], strlen(texts[i]));
		assert_false(pl_needs_met(n, &probe));
		pl_text_probe_release(&probe);
	}
	const char *t = "alpha(be_eta)";
	pl_text_probe probe;
	pl_text_probe_init(&probe, t, strlen(t));
	assert_false(pl_needs_met(n, &probe));
	/* beta was searched for and missing; alpha never searched for */
	assert_int_equal(*pl_text_probe_memo(&probe, "be+ta", 5, PL_PROBE_REGEX), 0);
	assert_int_equal(*pl_text_probe_memo(&probe, "al+pha", 6, PL_PROBE_REGEX), -1);
	pl_text_probe_release(&probe);
	t = "alpha(beeta)";
	pl_text_probe_init(&probe, t, strlen(t));
	assert_true(pl_needs_met(n, &probe));
	pl_text_probe_release(&probe);
	pl_needs_delete(n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_predicates_on_required_captures),
		cmocka_unit_test(test_what_adds_nothing),
		cmocka_unit_test(test_alternations_and_patterns),
		cmocka_unit_test(test_unreadable_queries_need_nothing),
		cmocka_unit_test(test_met),
		cmocka_unit_test(test_regex_leaves),
		cmocka_unit_test(test_string_edges),
		cmocka_unit_test(test_regexes_asked_by_failures),
		cmocka_unit_test(test_pattern_relations),
		cmocka_unit_test(test_relations_that_hold_unless),
		cmocka_unit_test(test_capture_sites),
		cmocka_unit_test(test_captures_required),
		cmocka_unit_test(test_plain_names),
		cmocka_unit_test(test_probe_find),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

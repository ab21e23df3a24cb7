/* Unit tests for src/match: predicates, relations, metavariables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pthread.h>
#include <time.h>

#include "lang/lang.h"
#include "match/pattern.h"
#include "match/pattern_internal.h" /* lazy compiling's state, to stage another thread */
#include "util/strbuf.h"

typedef struct collected {
	char texts[16][128];
	size_t n;
	const char *source;
	const char *capture;
} collected;

static void collect(void *ctx, const pl_capture *caps, size_t n)
{
	collected *c = ctx;
	const pl_capture *cap = c->capture ? pl_capture_find(caps, n, c->capture)
					   : pl_capture_outermost(caps, n);
	assert_non_null(cap);
	uint32_t s = ts_node_start_byte(cap->node), e = ts_node_end_byte(cap->node);
	if (c->n < 16)
		snprintf(c->texts[c->n], 128, "%.*s", (int)(e - s), c->source + s);
	c->n++;
}

static pl_pattern *compile(const char *lang, const char *q)
{
	pl_compile_error err;
	pl_pattern *p = pl_pattern_compile(NULL, pl_language_by_name(lang), q, strlen(q), &err);
	if (!p)
		fail_msg("compile failed: %s at %u", err.message, err.offset);
	return p;
}

/* Run p over src and collect the text of `capture` (or the outermost) per match. */
static collected run(const char *lang, pl_pattern *p, const char *src, const char *capture)
{
	collected c = { .source = src, .capture = capture };
	TSParser *parser = ts_parser_new();
	ts_parser_set_language(parser, pl_language_by_name(lang)->grammar());
	TSTree *tree = ts_parser_parse_string(parser, NULL, src, (uint32_t)strlen(src));
	pl_source s = { src, strlen(src), tree };
	size_t n = pl_pattern_run(p, &s, collect, &c);
	assert_int_equal(n, c.n);
	ts_tree_delete(tree);
	ts_parser_delete(parser);
	return c;
}

static void relate(pl_pattern *p, pl_relation rel, const char *capture, const char *lang,
		   const char *q)
{
	pl_compile_error err;
	assert_int_equal(pl_pattern_add_relation(p, rel, capture, compile(lang, q), NULL, 0, &err), 0);
}

static const char *py_calls =
	"import re\n"
	"a = client.create(model='m1', max_tokens=5)\n"
	"b = client.create(model='m2')\n"
	"c = other.create(model='m3')\n"
	"d = client.delete(id=7)\n";

static void test_eq_and_any_of(void **state)
{
	(void)state;
	pl_pattern *p = compile("python",
		"(call function: (attribute object: (identifier) @obj attribute: (identifier) @m)"
		" (#eq? @obj \"client\") (#any-of? @m \"create\" \"update\")) @call");
	collected c = run("python", p, py_calls, "call");
	assert_int_equal(c.n, 2);
	assert_string_equal(c.texts[0], "client.create(model='m1', max_tokens=5)");
	assert_string_equal(c.texts[1], "client.create(model='m2')");
	pl_pattern_delete(p);
}

static void test_match_uses_pcre2_syntax(void **state)
{
	(void)state;
	/* \d is a digit class in PCRE2 (POSIX ERE would read it as a literal 'd'). */
	pl_pattern *p = compile("python", "((string) @s (#match? @s \"m\\\\d\"))");
	collected c = run("python", p, py_calls, "s");
	assert_int_equal(c.n, 3);
	pl_pattern_delete(p);
	p = compile("python", "((string) @s (#not-match? @s \"^'m[12]'$\"))");
	c = run("python", p, py_calls, "s");
	assert_int_equal(c.n, 1);
	assert_string_equal(c.texts[0], "'m3'");
	pl_pattern_delete(p);
}

static void test_unknown_predicate_is_rejected(void **state)
{
	(void)state;
	const char *q = "((identifier) @i (#is-shiny? @i))";
	pl_compile_error err;
	assert_null(pl_pattern_compile(NULL, pl_language_by_name("python"), q, strlen(q), &err));
	assert_non_null(strstr(err.message, "unknown predicate '#is-shiny?'"));
	assert_int_equal(err.offset, 18);
}

static void test_predicate_outside_pattern_is_rejected(void **state)
{
	(void)state;
	const char *q = "(assignment left: (identifier) @x)\n(#eq? @x \"zzz\")";
	pl_compile_error err;
	assert_null(pl_pattern_compile(NULL, pl_language_by_name("python"), q, strlen(q), &err));
	assert_non_null(strstr(err.message, "predicate outside of a pattern"));
	assert_int_equal(err.offset, 35);
}

static void test_bad_regex_is_rejected(void **state)
{
	(void)state;
	const char *q = "((identifier) @i (#match? @i \"a(\"))";
	pl_compile_error err;
	assert_null(pl_pattern_compile(NULL, pl_language_by_name("python"), q, strlen(q), &err));
	assert_non_null(strstr(err.message, "bad regex"));
}

static void test_bad_node_type_is_located(void **state)
{
	(void)state;
	const char *q = "(call function: (identifer) @f)";
	pl_compile_error err;
	assert_null(pl_pattern_compile(NULL, pl_language_by_name("python"), q, strlen(q), &err));
	assert_int_equal(err.offset, 17);
	assert_non_null(strstr(err.message, "unknown node type 'identifer'"));
}

static void test_has_and_not_has(void **state)
{
	(void)state;
	const char *call = "(call function: (attribute attribute: (identifier) @m (#eq? @m \"create\"))"
			   " arguments: (argument_list) @args) @call";
	const char *kw = "(keyword_argument name: (identifier) @k (#eq? @k \"max_tokens\"))";
	pl_pattern *p = compile("python", call);
	relate(p, PL_REL_NOT_HAS, "args", "python", kw);
	collected c = run("python", p, py_calls, "call");
	assert_int_equal(c.n, 2);
	assert_string_equal(c.texts[0], "client.create(model='m2')");
	assert_string_equal(c.texts[1], "other.create(model='m3')");
	pl_pattern_delete(p);

	p = compile("python", call);
	relate(p, PL_REL_HAS, "args", "python", kw);
	c = run("python", p, py_calls, "call");
	assert_int_equal(c.n, 1);
	pl_pattern_delete(p);
}

static void test_inside_and_not_inside(void **state)
{
	(void)state;
	const char *src = "def handler():\n    client.create(x=1)\n\nclient.create(x=2)\n";
	pl_pattern *p = compile("python", "(call) @call");
	relate(p, PL_REL_INSIDE, "call", "python", "(function_definition) @fn");
	collected c = run("python", p, src, "call");
	assert_int_equal(c.n, 1);
	assert_string_equal(c.texts[0], "client.create(x=1)");
	pl_pattern_delete(p);

	p = compile("python", "(call) @call");
	relate(p, PL_REL_NOT_INSIDE, "call", "python", "(function_definition) @fn");
	c = run("python", p, src, "call");
	assert_int_equal(c.n, 1);
	assert_string_equal(c.texts[0], "client.create(x=2)");
	pl_pattern_delete(p);
}

/* file_has with a metavariable: the call's receiver must be built with a timeout. */
static void test_metavariable_equality(void **state)
{
	(void)state;
	const char *src =
		"fast = OpenAI(timeout=10)\n"
		"slow = OpenAI()\n"
		"fast.create(x=1)\n"
		"slow.create(x=2)\n";
	pl_pattern *p = compile("python",
		"(call function: (attribute object: (identifier) @client"
		" attribute: (identifier) @m (#eq? @m \"create\"))) @call");
	relate(p, PL_REL_FILE_NOT_HAS, NULL, "python",
	       "(assignment left: (identifier) @client right: (call arguments: (argument_list"
	       " (keyword_argument name: (identifier) @k (#eq? @k \"timeout\")))))");
	collected c = run("python", p, src, "call");
	assert_int_equal(c.n, 1);
	assert_string_equal(c.texts[0], "slow.create(x=2)");
	pl_pattern_delete(p);
}

/*
 * A `has` whose sub-pattern takes a capture the outer match bound (in every
 * branch, at different depths) starts matches only where the bound text
 * occurs in the target: the same answers as a walk of the target, which a
 * branch without the bound capture forces.
 */
static void test_has_from_bound_text(void **state)
{
	(void)state;
	const char *src =
		"def a(url):\n"
		"    u = url.strip()\n"
		"    if u not in ALLOWED:\n"
		"        raise ValueError(u)\n"
		"    fetch(u)\n"
		"def b(url):\n"
		"    v = url\n"
		"    urls.append(v)\n"
		"    fetch(v)\n"
		"def c(url):\n"
		"    w = url\n"
		"    if (w) not in ALLOWED:\n"
		"        return\n"
		"    fetch(w)\n";
	const char *sink = "(call function: (identifier) @f (#eq? @f \"fetch\")"
			   " arguments: (argument_list . (identifier) @var)) @call";
	/* the guard names @var one or two levels down: every branch takes it */
	const char *guard = "(comparison_operator . [(identifier) @var (_ (identifier) @var)]"
			    " [\"in\" \"not in\"])";
	/* ... and with a branch that does not (a walk of the function) */
	const char *guard_or_any = "[(comparison_operator . [(identifier) @var (_ (identifier) @var)]"
				   " [\"in\" \"not in\"]) (raise_statement (call) @never (#eq? @never \"x\"))]";
	const char *guards[2] = { guard, guard_or_any };
	for (int g = 0; g < 2; g++) {
		pl_pattern *p = compile("python", sink);
		pl_pattern *fn = compile("python", "(function_definition) @fn");
		relate(fn, PL_REL_NOT_HAS, "fn", "python", guards[g]);
		assert_int_equal(pl_pattern_add_relation(p, PL_REL_INSIDE, "call", fn, NULL, 0,
							 &(pl_compile_error){ 0 }), 0);
		collected c = run("python", p, src, "call");
		assert_int_equal(c.n, 1);
		assert_string_equal(c.texts[0], "fetch(v)");
		pl_pattern_delete(p);
	}
}

/* Nested relations: inside a function that has a WithTimeout assignment to the same ctx. */
static void test_nested_relations_go(void **state)
{
	(void)state;
	const char *src =
		"package main\n"
		"func a() {\n"
		"\tctx, cancel := context.WithTimeout(context.Background(), time.Second)\n"
		"\tdefer cancel()\n"
		"\tclient.CreateChatCompletion(ctx, req)\n"
		"}\n"
		"func b() {\n"
		"\tctx := context.Background()\n"
		"\tclient.CreateChatCompletion(ctx, req)\n"
		"}\n";
	pl_pattern *p = compile("go",
		"(call_expression function: (selector_expression field: (field_identifier) @m"
		" (#eq? @m \"CreateChatCompletion\")) arguments: (argument_list . (identifier) @ctx)) @call");
	pl_pattern *fn = compile("go", "(function_declaration) @fn");
	relate(fn, PL_REL_NOT_HAS, "fn", "go",
	       "(short_var_declaration left: (expression_list . (identifier) @ctx)"
	       " right: (expression_list (call_expression function: (selector_expression"
	       " field: (field_identifier) @f (#any-of? @f \"WithTimeout\" \"WithDeadline\")))))");
	pl_compile_error err;
	assert_int_equal(pl_pattern_add_relation(p, PL_REL_INSIDE, "call", fn, NULL, 0, &err), 0);
	collected c = run("go", p, src, "call");
	assert_int_equal(c.n, 1);
	assert_string_equal(c.texts[0], "client.CreateChatCompletion(ctx, req)");
	pl_pattern_delete(p);
}

/* Relations remember their answers per file: under the same target, a
 * different metavariable text or a different node a nested relation starts
 * from is a different question. */
static void test_relation_memo_keys(void **state)
{
	(void)state;
	const char *src =
		"def f():\n"
		"    x = 1\n"
		"    g(x)\n"
		"    g(y)\n"
		"    g(x)\n";
	pl_pattern *p = compile("python", "(call function: (identifier) @g (#eq? @g \"g\")"
					  " arguments: (argument_list (identifier) @arg)) @call");
	pl_pattern *fn = compile("python", "(function_definition) @fn");
	relate(fn, PL_REL_HAS, "fn", "python", "(assignment left: (identifier) @arg)");
	pl_compile_error err;
	assert_int_equal(pl_pattern_add_relation(p, PL_REL_INSIDE, "call", fn, NULL, 0, &err), 0);
	collected c = run("python", p, src, "call");
	assert_int_equal(c.n, 2);
	assert_string_equal(c.texts[0], "g(x)");
	assert_string_equal(c.texts[1], "g(x)");
	pl_pattern_delete(p);

	const char *src2 =
		"def f():\n"
		"    g(x)\n"
		"    [g(x)]\n";
	p = compile("python", "(call function: (identifier) @g (#eq? @g \"g\")"
			      " arguments: (argument_list (identifier) @arg)) @call");
	pl_pattern *blk = compile("python", "(block) @blk");
	const pl_pattern *outer[1] = { p };
	assert_int_equal(pl_pattern_add_relation(blk, PL_REL_NOT_INSIDE, "arg",
						 compile("python", "(list) @l"), outer, 1, &err), 0);
	assert_int_equal(pl_pattern_add_relation(p, PL_REL_INSIDE, "call", blk, NULL, 0, &err), 0);
	c = run("python", p, src2, "call");
	assert_int_equal(c.n, 1);
	assert_string_equal(c.texts[0], "g(x)");
	pl_pattern_delete(p);
}

static void test_relation_needs_known_capture(void **state)
{
	(void)state;
	pl_pattern *p = compile("python", "(call) @call");
	pl_compile_error err;
	assert_int_equal(pl_pattern_add_relation(p, PL_REL_HAS, "nope", compile("python", "(identifier) @i"),
						 NULL, 0, &err), -1);
	assert_non_null(strstr(err.message, "'@nope'"));
	pl_pattern_delete(p);
}

/* A set routes each match to its member, with the member's own predicates,
 * relations and metavariables; members that are not live report nothing;
 * the prefilter answers per member. */
typedef struct set_collected {
	size_t member[16];
	uint32_t start[16];
	char texts[16][128];
	size_t n;
	const char *source;
} set_collected;

/* Matches in document order (members run from their anchors come after
 * the merged query's). */
static void sort_collected(set_collected *c)
{
	for (size_t i = 0; i < c->n && i < 16; i++)
		for (size_t k = i + 1; k < c->n && k < 16; k++)
			if (c->start[k] < c->start[i] ||
			    (c->start[k] == c->start[i] && c->member[k] > c->member[i])) {
				size_t m = c->member[i];
				uint32_t st = c->start[i];
				char t[128];
				memcpy(t, c->texts[i], 128);
				c->member[i] = c->member[k];
				c->start[i] = c->start[k];
				memcpy(c->texts[i], c->texts[k], 128);
				c->member[k] = m;
				c->start[k] = st;
				memcpy(c->texts[k], t, 128);
			}
}

static void collect_member(void *ctx, size_t member, const pl_capture *caps, size_t n)
{
	set_collected *c = ctx;
	const pl_capture *cap = pl_capture_outermost(caps, n);
	uint32_t s = ts_node_start_byte(cap->node), e = ts_node_end_byte(cap->node);
	if (c->n < 16) {
		c->member[c->n] = member;
		c->start[c->n] = s;
		snprintf(c->texts[c->n], 128, "%.*s", (int)(e - s), c->source + s);
	}
	c->n++;
}

static void test_pattern_set(void **state)
{
	(void)state;
	const pl_language *py = pl_language_by_name("python");
	const char *q0 = "(call function: (attribute attribute: (identifier) @m) (#eq? @m \"create\")"
			 " arguments: (argument_list) @args) @call ; creates\n";
	const char *q1 = "(assignment left: (identifier) @v (#any-of? @v \"b\" \"d\")) @a";
	const char *q2 = "(call function: (attribute object: (identifier) @obj) (#eq? @obj \"nowhere\")) @c";
	pl_compile_error err;
	pl_pattern *members[3];
	members[0] = pl_pattern_defer(py, q0, strlen(q0));
	members[1] = pl_pattern_defer(py, q1, strlen(q1));
	members[2] = pl_pattern_defer(py, q2, strlen(q2));
	/* member 0 only where the call has no max_tokens (a relation) */
	assert_int_equal(pl_pattern_add_relation(members[0], PL_REL_NOT_HAS, "args",
		pl_pattern_defer(py, "(keyword_argument name: (identifier) @k (#eq? @k \"max_tokens\"))",
				 strlen("(keyword_argument name: (identifier) @k (#eq? @k \"max_tokens\"))")),
		NULL, 0, &err), 0);
	for (int i = 0; i < 3; i++)
		pl_pattern_prepare_lazily(members[i], NULL);
	pl_pattern_set *set = pl_pattern_set_new(py, members, 3, &err);
	assert_non_null(set);
	pl_text_probe probe;
	pl_text_probe_init(&probe, py_calls, strlen(py_calls));
	assert_true(pl_pattern_set_may_match(set, 0, &probe));
	assert_true(pl_pattern_set_may_match(set, 1, &probe));
	assert_false(pl_pattern_set_may_match(set, 2, &probe));
	pl_text_probe_release(&probe);

	TSParser *parser = ts_parser_new();
	ts_parser_set_language(parser, py->grammar());
	TSTree *tree = ts_parser_parse_string(parser, NULL, py_calls, (uint32_t)strlen(py_calls));
	pl_source src = { py_calls, strlen(py_calls), tree };
	bool live[3] = { true, true, true };
	set_collected c = { .source = py_calls };
	assert_int_equal(pl_pattern_set_run(set, &src, live, NULL, NULL, collect_member, &c), 4);
	assert_int_equal(c.n, 4);
	sort_collected(&c);
	/* in document order: b = ..., client.create(m2), c's other.create(m3), d = ... */
	assert_int_equal(c.member[0], 1);
	assert_string_equal(c.texts[0], "b = client.create(model='m2')");
	assert_int_equal(c.member[1], 0);
	assert_string_equal(c.texts[1], "client.create(model='m2')");
	assert_int_equal(c.member[2], 0);
	assert_string_equal(c.texts[2], "other.create(model='m3')");
	assert_int_equal(c.member[3], 1);
	assert_string_equal(c.texts[3], "d = client.delete(id=7)");

	live[1] = false;
	set_collected c2 = { .source = py_calls };
	assert_int_equal(pl_pattern_set_run(set, &src, live, NULL, NULL, collect_member, &c2), 2);
	assert_int_equal(c2.member[0], 0);
	assert_int_equal(c2.member[1], 0);

	ts_tree_delete(tree);
	ts_parser_delete(parser);
	pl_pattern_set_delete(set);
	for (int i = 0; i < 3; i++)
		pl_pattern_delete(members[i]);
}

static void *compiled_in_thread(void *p)
{
	return (void *)pl_pattern_compiled(p);
}

static bool compiled_within(pl_pattern *p, int ms)
{
	for (int i = 0; i < ms && !atomic_load(&p->shared); i++)
		nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
	return atomic_load(&p->shared) != NULL;
}

/* A thread that needs a lazy query another thread is compiling compiles
 * the next relation of the same rule meanwhile, one only, then waits for
 * the query and gets it. */
static void test_lazy_wait_compiles_next_relation(void **state)
{
	(void)state;
	const pl_language *py = pl_language_by_name("python");
	const char *q[] = { "(call) @c", "(identifier) @i", "(string) @s", "(integer) @n" };
	pl_pattern *p[4];
	for (int i = 0; i < 4; i++)
		p[i] = pl_pattern_defer(py, q[i], strlen(q[i]));
	pl_compile_error err;
	assert_int_equal(pl_pattern_add_relation(p[0], PL_REL_HAS, "c", p[1], NULL, 0, &err), 0);
	assert_int_equal(pl_pattern_add_relation(p[0], PL_REL_NOT_HAS, "c", p[2], NULL, 0, &err), 0);
	assert_int_equal(pl_pattern_add_relation(p[0], PL_REL_HAS, "c", p[3], NULL, 0, &err), 0);
	pl_pattern_prepare_lazily(p[0], NULL);
	p[1]->compiling = true; /* as if another thread were compiling it */
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, compiled_in_thread, p[1]), 0);
	assert_true(compiled_within(p[2], 10000));
	assert_false(compiled_within(p[3], 100)); /* one only: it waits now */
	assert_null(atomic_load(&p[1]->shared));
	/* the other thread gives up on p[1] (after a look under the lock, which
	 * orders the write after the waiter's reads); the next query published
	 * wakes the waiter, which compiles p[1] itself */
	assert_true(pl_pattern_compiling(p[1]));
	p[1]->compiling = false;
	assert_non_null(pl_pattern_compiled(p[3]));
	void *got;
	assert_int_equal(pthread_join(t, &got), 0);
	assert_non_null(got);
	assert_ptr_equal(got, atomic_load(&p[1]->shared));
	assert_null(atomic_load(&p[0]->shared)); /* the rule's own query: never asked for */
	pl_pattern_delete(p[0]);
}

/* A member with anchor literals runs from the places they occur: places far
 * apart are separate ranges, a match reached from two places is reported
 * once, and the result is the same as a run over the whole file. */
static void collect_none(void *ctx, const pl_capture *caps, size_t n)
{
	(void)ctx;
	(void)caps;
	(void)n;
}

static void test_pattern_set_anchored(void **state)
{
	(void)state;
	const pl_language *py = pl_language_by_name("python");
	const char *q = "(call function: (attribute attribute: (identifier) @m) (#eq? @m \"create\")"
			" arguments: (argument_list) @args) @call";
	pl_strbuf text = PL_STRBUF_INIT;
	/* the outer call touches two ranges: its own place and last.create's */
	pl_strbuf_adds(&text, "x = client.create(inner.create(1), \"");
	for (int i = 0; i < 300; i++)
		pl_strbuf_addch(&text, 'x');
	pl_strbuf_adds(&text, "\", last.create(2))\n");
	for (int i = 0; i < 40; i++)
		pl_strbuf_adds(&text, "pad = unrelated_function_call(argument_one, argument_two)\n");
	pl_strbuf_adds(&text, "y = other.create(\n    a,\n    b)\nz = create_nothing\n");
	pl_pattern *members[1] = { pl_pattern_defer(py, q, strlen(q)) };
	pl_pattern_prepare_lazily(members[0], NULL);
	pl_compile_error err;
	pl_pattern_set *set = pl_pattern_set_new(py, members, 1, &err);
	assert_non_null(set);
	TSParser *parser = ts_parser_new();
	ts_parser_set_language(parser, py->grammar());
	TSTree *tree = ts_parser_parse_string(parser, NULL, text.buf, (uint32_t)text.len);
	pl_source src = { text.buf, text.len, tree };
	bool live[1] = { true };
	set_collected c = { .source = text.buf };
	assert_int_equal(pl_pattern_set_run(set, &src, live, NULL, NULL, collect_member, &c), 4);
	sort_collected(&c);
	assert_memory_equal(c.texts[0], "client.create(inner.create(1), \"xxx", 35);
	assert_string_equal(c.texts[1], "inner.create(1)");
	assert_string_equal(c.texts[2], "last.create(2)");
	assert_string_equal(c.texts[3], "other.create(\n    a,\n    b)");
	/* the same pattern over the whole file */
	pl_pattern *whole = compile("python", q);
	assert_int_equal(pl_pattern_run(whole, &src, collect_none, NULL), 4);
	pl_pattern_delete(whole);
	ts_tree_delete(tree);
	ts_parser_delete(parser);
	pl_pattern_set_delete(set);
	pl_pattern_delete(members[0]);
	pl_strbuf_release(&text);
}

/*
 * A member whose captures can be tested on a node runs from candidate
 * roots found up the tree from each anchor place: a call wrapped in other
 * calls, a capture two levels below the root, a name at two depths, a
 * regex capture, a regex that may match anywhere. Each query's matches
 * through the set equal a whole-file run of the same query (a member that
 * is not rooted at one node runs by ranges: the same again).
 */
static void test_pattern_set_roots_from_captures(void **state)
{
	(void)state;
	const pl_language *js = pl_language_by_name("javascript");
	const char *src =
		"wrap(function () {\n"
		"  fetch(url);\n"
		"  other.fetch(a.b, 2);\n"
		"  outer(inner(fetch(deep)), fetch);\n"
		"  const x = { fetch: 1 };\n"
		"  prefetch(nope); fetchData(nope);\n"
		"});\n"
		"api.client.fetch(`u/${id}`);\n";
	const char *queries[] = {
		/* the callee (depth 1) by a regex tried at its start */
		"(call_expression function: (_) @f (#match? @f \"^(fetch|\\\\w+\\\\.fetch)$\")"
		" arguments: (arguments . (_) @a)) @c",
		/* the property two levels down, named at two depths */
		"([(call_expression function: (member_expression property: (property_identifier) @p))"
		" (call_expression function: (identifier) @p)] @c (#eq? @p \"fetch\"))",
		/* the first argument's identifier, one or two levels below arguments */
		"(call_expression function: (identifier) @f (#any-of? @f \"fetch\" \"inner\")"
		" arguments: (arguments . [(identifier) @v (_ (identifier) @v)])) @c",
		/* a capture whose regex may match anywhere is no site: roots come from @f */
		"(call_expression function: (_) @f (#eq? @f \"fetch\")"
		" arguments: (arguments . (_) @a (#match? @a \"[a-z]\"))) @c",
		/* a regex that may match anywhere is tried on small nodes only */
		"(call_expression function: (_) @f (#match? @f \"fetch\")) @c",
		/* siblings, not one root: run by ranges */
		"((expression_statement (call_expression function: (identifier) @f"
		" (#eq? @f \"fetch\"))) @s . (expression_statement) @next)",
	};
	const size_t expect[] = { 3, 4, 3, 2, 6, 1 };
	TSParser *parser = ts_parser_new();
	ts_parser_set_language(parser, js->grammar());
	TSTree *tree = ts_parser_parse_string(parser, NULL, src, (uint32_t)strlen(src));
	pl_source source = { src, strlen(src), tree };
	for (size_t q = 0; q < sizeof(queries) / sizeof(queries[0]); q++) {
		pl_pattern *members[1] = { pl_pattern_defer(js, queries[q], strlen(queries[q])) };
		pl_pattern_prepare_lazily(members[0], NULL);
		pl_compile_error err;
		pl_pattern_set *set = pl_pattern_set_new(js, members, 1, &err);
		assert_non_null(set);
		bool live[1] = { true };
		set_collected got = { .source = src };
		assert_int_equal(pl_pattern_set_run(set, &source, live, NULL, NULL, collect_member, &got),
				 expect[q]);
		sort_collected(&got);
		pl_pattern *whole = compile("javascript", queries[q]);
		collected want = run("javascript", whole, src, NULL);
		assert_int_equal(want.n, expect[q]);
		for (size_t i = 0; i < want.n; i++)
			assert_string_equal(got.texts[i], want.texts[i]);
		pl_pattern_delete(whole);
		pl_pattern_set_delete(set);
		pl_pattern_delete(members[0]);
	}
	ts_tree_delete(tree);
	ts_parser_delete(parser);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eq_and_any_of),
		cmocka_unit_test(test_match_uses_pcre2_syntax),
		cmocka_unit_test(test_unknown_predicate_is_rejected),
		cmocka_unit_test(test_predicate_outside_pattern_is_rejected),
		cmocka_unit_test(test_bad_regex_is_rejected),
		cmocka_unit_test(test_bad_node_type_is_located),
		cmocka_unit_test(test_has_and_not_has),
		cmocka_unit_test(test_inside_and_not_inside),
		cmocka_unit_test(test_metavariable_equality),
		cmocka_unit_test(test_nested_relations_go),
		cmocka_unit_test(test_has_from_bound_text),
		cmocka_unit_test(test_relation_needs_known_capture),
		cmocka_unit_test(test_relation_memo_keys),
		cmocka_unit_test(test_pattern_set),
		cmocka_unit_test(test_pattern_set_anchored),
		cmocka_unit_test(test_lazy_wait_compiles_next_relation),
		cmocka_unit_test(test_pattern_set_roots_from_captures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

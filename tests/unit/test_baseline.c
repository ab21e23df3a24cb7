/*
 * Baselines (src/baseline/): a written baseline reads back and matches the
 * findings it was written from; counts of matched and vanished entries;
 * the file does not change when findings move; bad files are refused with
 * located errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baseline/baseline.h"
#include "support.h"
#include "util/fs.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static char *items[] = { "RD3" };
static pl_rule cap = { .id = "budget/cap", .category = "budget", .checklist = items,
		       .checklist_len = 1 };
static pl_rule eval = { .id = "tool-boundary/eval", .category = "tool-boundary",
			.checklist = items, .checklist_len = 1 };

static void add(pl_findings *fs, const pl_rule *rule, const char *path, unsigned line,
		const char *matched)
{
	pl_finding f = { .rule = rule, .path = pl_xstrdup(path), .line = line, .column = 5,
			 .end_line = line, .end_column = 9, .message = pl_xstrdup(matched),
			 .snippet = pl_xstrdup(matched), .matched = pl_xstrdup(matched) };
	pl_findings_push(fs, &f);
}

/* Three findings, finished (sorted and fingerprinted), `shift` lines down. */
static void sample(pl_findings *fs, unsigned shift)
{
	add(fs, &eval, "app/llm.py", 16 + shift, "eval(q)");
	add(fs, &cap, "app/llm.py", 7 + shift, "create(model=m)");
	add(fs, &cap, "web/chat.ts", 6, "create({model})");
	pl_findings_finish(fs);
}

static void test_round_trip(void **state)
{
	(void)state;
	pl_findings fs = PL_FINDINGS_INIT;
	sample(&fs, 0);
	char *tmp = test_tmpdir("baseline");
	char *path = test_join(tmp, "base.json");
	assert_int_equal(pl_baseline_write(&fs, path), 0);

	pl_baseline b = PL_BASELINE_INIT;
	pl_diags diags = PL_DIAGS_INIT;
	assert_int_equal(pl_baseline_load(&b, path, &diags), 0);
	assert_int_equal(b.len, 3);
	for (size_t i = 1; i < b.len; i++)
		assert_true(strcmp(b.items[i - 1].fingerprint, b.items[i].fingerprint) < 0);
	bool found_eval = false;
	for (size_t i = 0; i < b.len; i++)
		if (strcmp(b.items[i].rule, "tool-boundary/eval") == 0) {
			found_eval = true;
			assert_string_equal(b.items[i].path, "app/llm.py");
			assert_string_equal(b.items[i].message, "eval(q)");
		}
	assert_true(found_eval);

	/* The same findings, moved down: all matched, nothing gone, nothing left. */
	pl_findings moved = PL_FINDINGS_INIT;
	sample(&moved, 40);
	assert_int_equal(pl_baseline_apply(&b, &moved), 3);
	assert_int_equal(moved.len, 0);
	assert_int_equal(pl_baseline_gone(&b, NULL, NULL), 0);

	pl_baseline_release(&b);
	pl_diags_release(&diags);
	pl_findings_release(&moved);
	pl_findings_release(&fs);
	test_rm_rf(tmp);
	free(path);
	free(tmp);
}

static void test_file_is_stable_and_sorted(void **state)
{
	(void)state;
	pl_findings a = PL_FINDINGS_INIT, b = PL_FINDINGS_INIT;
	sample(&a, 0);
	sample(&b, 25);
	pl_strbuf ta = PL_STRBUF_INIT, tb = PL_STRBUF_INIT;
	pl_baseline_render(&a, &ta);
	pl_baseline_render(&b, &tb);
	assert_string_equal(ta.buf, tb.buf); /* lines moved: same file */
	assert_non_null(strstr(ta.buf, "\"version\": 1,\n  \"tool\": \"prodlint\""));
	/* Sorted by path, then rule: llm.py's cap, llm.py's eval, chat.ts. */
	const char *p1 = strstr(ta.buf, "budget/cap");
	const char *p2 = strstr(ta.buf, "tool-boundary/eval");
	const char *p3 = strstr(ta.buf, "web/chat.ts");
	assert_true(p1 && p2 && p3 && p1 < p2 && p2 < p3);
	pl_strbuf_release(&ta);
	pl_strbuf_release(&tb);
	pl_findings_release(&a);
	pl_findings_release(&b);
}

static bool only_web(const pl_baseline_entry *e, void *ctx)
{
	(void)ctx;
	return strncmp(e->path, "web/", 4) == 0;
}

static void test_counts(void **state)
{
	(void)state;
	pl_findings old = PL_FINDINGS_INIT;
	sample(&old, 0);
	pl_strbuf text = PL_STRBUF_INIT;
	pl_baseline_render(&old, &text);
	pl_baseline b = PL_BASELINE_INIT;
	pl_diags diags = PL_DIAGS_INIT;
	assert_int_equal(pl_baseline_parse(&b, "b.json", text.buf, text.len, &diags), 0);

	/* Now: the eval was fixed, chat.ts's call was fixed, a new eval appeared,
	 * and the cap finding stayed. */
	pl_findings now = PL_FINDINGS_INIT;
	add(&now, &cap, "app/llm.py", 9, "create(model=m)");
	add(&now, &eval, "app/new.py", 3, "eval(x)");
	pl_findings_finish(&now);
	assert_int_equal(pl_baseline_apply(&b, &now), 1);
	assert_int_equal(now.len, 1);
	assert_string_equal(now.items[0].path, "app/new.py");
	assert_int_equal(pl_baseline_gone(&b, NULL, NULL), 2);
	assert_int_equal(pl_baseline_gone(&b, only_web, NULL), 1);

	pl_baseline_release(&b);
	pl_diags_release(&diags);
	pl_findings_release(&now);
	pl_findings_release(&old);
	pl_strbuf_release(&text);
}

/* A second identical occurrence of a text is a different finding. */
static void test_occurrences_are_distinct(void **state)
{
	(void)state;
	pl_findings two = PL_FINDINGS_INIT;
	add(&two, &cap, "a.py", 3, "create()");
	add(&two, &cap, "a.py", 9, "create()");
	pl_findings_finish(&two);
	pl_strbuf text = PL_STRBUF_INIT;
	pl_findings one = PL_FINDINGS_INIT;
	add(&one, &cap, "a.py", 3, "create()");
	pl_findings_finish(&one);
	pl_baseline_render(&one, &text);
	pl_baseline b = PL_BASELINE_INIT;
	pl_diags diags = PL_DIAGS_INIT;
	assert_int_equal(pl_baseline_parse(&b, "b.json", text.buf, text.len, &diags), 0);
	assert_int_equal(pl_baseline_apply(&b, &two), 1);
	assert_int_equal(two.len, 1);
	assert_int_equal(two.items[0].line, 9);
	pl_baseline_release(&b);
	pl_findings_release(&two);
	pl_findings_release(&one);
	pl_strbuf_release(&text);
}

typedef struct bad_case {
	const char *text;
	unsigned line, col;
	const char *message;
} bad_case;

static void test_bad_files(void **state)
{
	(void)state;
	static const bad_case cases[] = {
		{ "{\n  \"version\": 1,\n  \"findings\": [}\n", 3, 16, "invalid JSON" },
		{ "[]\n", 1, 1, "a baseline file must be a JSON object" },
		{ "{\"tool\": \"prodlint\", \"findings\": []}\n", 1, 1, "baseline is missing \"version\"" },
		{ "{\n  \"version\": 2,\n  \"tool\": \"prodlint\",\n  \"findings\": []\n}\n", 2, 14,
		  "unsupported baseline version" },
		{ "{\"version\": 1, \"tool\": \"other\", \"findings\": []}\n", 1, 24, "not a prodlint baseline" },
		{ "{\"version\": 1, \"tool\": \"prodlint\", \"findings\": {}}\n", 1, 48,
		  "baseline needs a \"findings\" list" },
		{ "{\"version\": 1, \"tool\": \"prodlint\", \"findings\": [\n"
		  "  {\"fingerprint\": \"0123456789abcdef\", \"rule\": \"a/b\", \"path\": \"x\"},\n"
		  "  {\"fingerprint\": \"0123456789ABCDEF\", \"rule\": \"a/b\", \"path\": \"x\"}]}\n",
		  3, 19, "fingerprint '0123456789ABCDEF' is not 16 lowercase hex digits" },
		{ "{\"version\": 1, \"tool\": \"prodlint\", \"findings\": [\n"
		  "  {\"fingerprint\": \"0123456789abcdef\", \"path\": \"x\"}]}\n",
		  2, 3, "baseline entry is missing \"rule\"" },
		{ "{\"version\": 1, \"tool\": \"prodlint\", \"findings\": [\n"
		  "  {\"fingerprint\": \"0123456789abcdef\", \"rule\": 7, \"path\": \"x\"}]}\n",
		  2, 47, "\"rule\" must be a string" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const bad_case *c = &cases[i];
		pl_baseline b = PL_BASELINE_INIT;
		pl_diags diags = PL_DIAGS_INIT;
		assert_int_equal(pl_baseline_parse(&b, "b.json", c->text, strlen(c->text), &diags), -1);
		assert_int_equal(b.len, 0);
		assert_true(diags.len >= 1);
		const pl_diag *d = &diags.items[0];
		if (d->line != c->line || d->col != c->col ||
		    strncmp(d->message, c->message, strlen(c->message)) != 0)
			fail_msg("case %zu: expected %u:%u: %s\n  got %u:%u: %s", i, c->line, c->col,
				 c->message, d->line, d->col, d->message);
		pl_diags_release(&diags);
	}

	/* A missing file names the file. */
	pl_baseline b = PL_BASELINE_INIT;
	pl_diags diags = PL_DIAGS_INIT;
	assert_int_equal(pl_baseline_load(&b, "/nonexistent/base.json", &diags), -1);
	assert_string_equal(diags.items[0].path, "/nonexistent/base.json");
	assert_non_null(strstr(diags.items[0].message, "cannot read baseline"));
	pl_diags_release(&diags);
}

static void test_duplicates_and_unknown_keys(void **state)
{
	(void)state;
	const char *text =
		"{\"version\": 1, \"tool\": \"prodlint\", \"generated\": \"by hand\", \"findings\": [\n"
		"  {\"fingerprint\": \"0123456789abcdef\", \"rule\": \"a/b\", \"path\": \"x\", \"note\": 1},\n"
		"  {\"fingerprint\": \"0123456789abcdef\", \"rule\": \"a/b\", \"path\": \"x\"}]}\n";
	pl_baseline b = PL_BASELINE_INIT;
	pl_diags diags = PL_DIAGS_INIT;
	assert_int_equal(pl_baseline_parse(&b, "b.json", text, strlen(text), &diags), 0);
	assert_int_equal(b.len, 1);
	assert_string_equal(b.items[0].message, "");
	pl_baseline_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_file_is_stable_and_sorted),
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_occurrences_are_distinct),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_duplicates_and_unknown_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

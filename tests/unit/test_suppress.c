/*
 * Unit tests for src/suppress (inline suppressions) and its hook in the
 * scanner (pl_scan_suppress): parsing the directive, dates and today,
 * finding real comments in every language (not markers in strings), what a
 * suppression covers, and the meta findings (malformed, without reason,
 * expired, unused) with the rules that judge "unused".
 *
 * The rule set is a small YAML pack (queries for `ask()` in four languages,
 * `slow()` in Python, a Kubernetes `:latest` check) plus the real meta rule
 * files from rules/meta/ ($PRODLINT_SOURCE_DIR).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lang/lang.h"
#include "rule/rule.h"
#include "scan/scan.h"
#include "suppress/suppress.h"
#include "util/fs.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* ---- the rule set --------------------------------------------------------- */

static const char rules_yaml[] =
	"rules:\n"
	"  - id: budget/ask\n"
	"    title: ask call\n"
	"    severity: warning\n"
	"    category: budget\n"
	"    checklist: [RD3]\n"
	"    rationale: r\n"
	"    remediation: r\n"
	"    match:\n"
	"      - languages: [python]\n"
	"        query: |\n          (call function: (identifier) @f (#eq? @f \"ask\")) @call\n"
	"      - languages: [javascript, typescript]\n"
	"        query: |\n          (call_expression function: (identifier) @f (#eq? @f \"ask\")) @call\n"
	"      - languages: [go]\n"
	"        query: |\n          (call_expression function: (identifier) @f (#eq? @f \"ask\")) @call\n"
	"  - id: reliability/slow\n"
	"    title: slow call\n"
	"    severity: warning\n"
	"    category: reliability\n"
	"    checklist: [RD1]\n"
	"    rationale: r\n"
	"    remediation: r\n"
	"    match:\n"
	"      - languages: [python]\n"
	"        query: |\n          (call function: (identifier) @f (#eq? @f \"slow\")) @call\n"
	"  - id: rollback/latest\n"
	"    title: latest image\n"
	"    severity: warning\n"
	"    category: rollback\n"
	"    checklist: [PB1]\n"
	"    rationale: r\n"
	"    remediation: r\n"
	"    config:\n"
	"      - kinds: [kubernetes]\n"
	"        select: [\"$pod.containers[*]\"]\n"
	"        forbid:\n"
	"          - path: image\n"
	"            matches: \":latest$\"\n";

typedef struct fixture {
	pl_ruleset rules;
	TSParser *parser;
	pl_suppress_config cfg;
} fixture;

static void load_rules(pl_ruleset *rs)
{
	char path[] = "/tmp/prodlint-suppress-XXXXXX.yaml";
	int fd = mkstemps(path, 5);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, rules_yaml, strlen(rules_yaml)), (ssize_t)strlen(rules_yaml));
	close(fd);
	pl_diags diags = PL_DIAGS_INIT;
	int n = pl_ruleset_load_path(rs, path, &diags);
	unlink(path);
	const char *src = getenv("PRODLINT_SOURCE_DIR");
	char *meta = pl_path_join(src ? src : ".", "rules/meta");
	int m = pl_ruleset_load_path(rs, meta, &diags);
	free(meta);
	if (n != 3 || m != 4 || pl_ruleset_finish(rs, &diags) < 0) {
		pl_diags_print(&diags, stderr, "error");
		fail_msg("loading the test rules gave %d + %d", n, m);
	}
	pl_diags_release(&diags);
}

static int setup(void **state)
{
	fixture *fx = pl_xcalloc(1, sizeof(*fx));
	load_rules(&fx->rules);
	fx->parser = ts_parser_new();
	pl_suppress_config_init(&fx->cfg, &fx->rules, 20250601);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	fixture *fx = *state;
	ts_parser_delete(fx->parser);
	pl_ruleset_release(&fx->rules);
	free(fx);
	return 0;
}

/* ---- helpers ---------------------------------------------------------------- */

/* Scan `text` as file `path` with `rules`, apply suppressions with `cfg`, and
 * describe what is left: one "line:col rule-id: message" per finding, sorted. */
static char *run_with(fixture *fx, const pl_ruleset *rules, const pl_suppress_config *cfg,
		      const char *path, const char *text, bool complete, size_t *suppressed)
{
	pl_file file = { (char *)path, (char *)path, pl_language_for_path(path, text, strlen(text)), 0 };
	assert_non_null(file.lang);
	pl_file_output out;
	pl_file_output_init(&out);
	pl_scan_context ctx = { .rules = rules, .parser = fx->parser };
	pl_scan_file_text(&ctx, &file, text, strlen(text), &out);
	assert_int_equal(out.errors.len, 0);
	size_t n = pl_scan_suppress(cfg, fx->parser, &file, text, strlen(text), complete,
				    &out.findings);
	if (suppressed)
		*suppressed = n;
	pl_findings_finish(&out.findings);
	pl_strbuf sb = PL_STRBUF_INIT;
	for (size_t i = 0; i < out.findings.len; i++) {
		const pl_finding *f = &out.findings.items[i];
		pl_strbuf_addf(&sb, "%u:%u %s: %s\n", f->line, f->column, f->rule->id, f->message);
	}
	pl_file_output_release(&out);
	return pl_strbuf_detach(&sb);
}

static char *run(fixture *fx, const char *path, const char *text, size_t *suppressed)
{
	return run_with(fx, &fx->rules, &fx->cfg, path, text, true, suppressed);
}

/* Only "line rule-id" per finding: for tests about which findings remain. */
static char *lines(fixture *fx, const char *path, const char *text)
{
	char *full = run(fx, path, text, NULL);
	pl_strbuf sb = PL_STRBUF_INIT;
	for (char *p = full; *p;) {
		char *nl = strchr(p, '\n');
		char *colon = strchr(p, ':');
		char *space = strchr(p, ' ');
		char *end = strchr(space + 1, ':');
		pl_strbuf_add(&sb, p, (size_t)(colon - p));
		pl_strbuf_add(&sb, space, (size_t)(end - space));
		pl_strbuf_addch(&sb, '\n');
		p = nl + 1;
	}
	free(full);
	return pl_strbuf_detach(&sb);
}

#define assert_lines(fx, path, text, want)                  \
	do {                                                \
		char *got_ = lines((fx), (path), (text));   \
		assert_string_equal(got_, (want));          \
		free(got_);                                 \
	} while (0)

static pl_suppression parse(const char *text)
{
	pl_suppression s;
	memset(&s, 0, sizeof(s));
	pl_suppression_parse(&s, text, strlen(text));
	return s;
}

/* Free one parsed suppression through the list API (it owns what it holds). */
static void release(pl_suppression *s)
{
	pl_suppressions list = { pl_xmalloc(sizeof(*s)), 1, 1 };
	list.items[0] = *s;
	pl_suppressions_release(&list);
	memset(s, 0, sizeof(*s));
}

/* ---- the directive ---------------------------------------------------------- */

static void test_parse_directive(void **state)
{
	(void)state;
	pl_suppression s = parse(" budget/ask -- capped by the gateway");
	assert_null(s.problem);
	assert_int_equal(s.npatterns, 1);
	assert_string_equal(s.patterns[0], "budget/ask");
	assert_string_equal(s.reason, "capped by the gateway");
	assert_int_equal(s.until, 0);
	release(&s);

	/* Lists, with or without blanks after the commas; globs and categories. */
	s = parse(" budget/*,reliability , *timeout* -- why until 2025-12-31  ");
	assert_null(s.problem);
	assert_int_equal(s.npatterns, 3);
	assert_string_equal(s.patterns[0], "budget/*");
	assert_string_equal(s.patterns[1], "reliability");
	assert_string_equal(s.patterns[2], "*timeout*");
	assert_string_equal(s.reason, "why");
	assert_int_equal(s.until, 20251231);
	release(&s);

	/* No reason: fine to parse (reported later), and `until` may stand alone. */
	s = parse(" budget");
	assert_null(s.problem);
	assert_null(s.reason);
	release(&s);
	s = parse(" budget --   ");
	assert_null(s.problem);
	assert_null(s.reason);
	release(&s);
	s = parse(" budget -- until 2025-01-01");
	assert_null(s.problem);
	assert_null(s.reason);
	assert_int_equal(s.until, 20250101);
	release(&s);
	s = parse(" budget until 2025-01-01");
	assert_null(s.problem);
	assert_null(s.reason);
	assert_int_equal(s.until, 20250101);
	release(&s);

	/* `until` in prose is prose: a date starts with a digit. */
	s = parse(" budget -- keep until the gateway ships");
	assert_null(s.problem);
	assert_string_equal(s.reason, "keep until the gateway ships");
	assert_int_equal(s.until, 0);
	release(&s);
	s = parse(" budget --no space needed");
	assert_string_equal(s.reason, "no space needed");
	release(&s);
}

static void test_parse_malformed(void **state)
{
	(void)state;
	static const struct {
		const char *text, *problem;
	} cases[] = {
		{ "", "no rule to suppress" },
		{ "   ", "no rule to suppress" },
		{ " -- because", "no rule to suppress" },
		{ " a,,b -- r", "empty pattern in the list" },
		{ " ,a -- r", "empty pattern in the list" },
		{ " a, -- r", "empty pattern in the list" },
		{ " a,", "the pattern list ends with `,`" },
		{ " budget because the gateway",
		  "expected `,` or `-- <reason>` after `budget`, found `because`" },
		{ " budget reliability -- r",
		  "expected `,` or `-- <reason>` after `budget`, found `reliability`" },
		{ " a -- r until 2025-13-40", "invalid date `2025-13-40` after `until`" },
		{ " a -- r until 2025-02-29", "invalid date `2025-02-29`" },
		{ " a -- r until 2025-1-1", "invalid date `2025-1-1`" },
		{ " a -- r until 2025", "invalid date `2025`" },
		{ " a until", "`until` needs a date" },
		{ " a until 2025-01-01 -- r", "put `until YYYY-MM-DD` after the reason" },
		{ " a until tomorrow", "invalid date `tomorrow`" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		pl_suppression s = parse(cases[i].text);
		if (!s.problem || !strstr(s.problem, cases[i].problem))
			fail_msg("'%s': problem '%s', want '%s'", cases[i].text,
				 s.problem ? s.problem : "(none)", cases[i].problem);
		release(&s);
	}
}

static void test_dates(void **state)
{
	(void)state;
	int d = 0;
	assert_int_equal(pl_date_parse("2024-02-29", 10, &d), 0); /* leap year */
	assert_int_equal(d, 20240229);
	assert_int_equal(pl_date_parse("2000-02-29", 10, &d), 0); /* divisible by 400 */
	assert_int_equal(pl_date_parse("1900-02-29", 10, &d), -1); /* by 100, not 400 */
	assert_int_equal(pl_date_parse("2025-02-29", 10, &d), -1);
	assert_int_equal(pl_date_parse("2025-04-31", 10, &d), -1);
	assert_int_equal(pl_date_parse("2025-12-31", 10, &d), 0);
	assert_int_equal(pl_date_parse("2025-00-10", 10, &d), -1);
	assert_int_equal(pl_date_parse("2025-01-00", 10, &d), -1);
	assert_int_equal(pl_date_parse("0000-01-01", 10, &d), -1);
	assert_int_equal(pl_date_parse("2025/01/01", 10, &d), -1);
	assert_int_equal(pl_date_parse("2025-01-011", 11, &d), -1);
	assert_int_equal(pl_date_parse("２０２５-01-01", 14, &d), -1);

	/* Today: PRODLINT_TODAY when set, the local date otherwise. */
	setenv("PRODLINT_TODAY", "2031-07-04", 1);
	assert_int_equal(pl_suppress_today(&d), 0);
	assert_int_equal(d, 20310704);
	setenv("PRODLINT_TODAY", "July 4th", 1);
	assert_int_equal(pl_suppress_today(&d), -1);
	assert_true(d > 20200101); /* fell back to the local date */
	unsetenv("PRODLINT_TODAY");
	assert_int_equal(pl_suppress_today(&d), 0);
	assert_true(d > 20200101 && d < 99991231);
}

/* ---- finding the comments ------------------------------------------------------ */

typedef struct want_sup {
	unsigned line, column, first, next;
	const char *text;     /* the normalised directive */
	bool malformed;
} want_sup;

static void check_comments(fixture *fx, const char *path, const char *text, const want_sup *want,
			   size_t nwant)
{
	const pl_language *lang = pl_language_for_path(path, text, strlen(text));
	assert_non_null(lang);
	pl_suppressions list = PL_SUPPRESSIONS_INIT;
	pl_suppress_scan_comments(fx->parser, lang, text, strlen(text), &list);
	if (list.len != nwant) {
		for (size_t i = 0; i < list.len; i++)
			fprintf(stderr, "  found %u:%u %s\n", list.items[i].line, list.items[i].column,
				list.items[i].text);
		fail_msg("%s: %zu suppressions, want %zu", path, list.len, nwant);
	}
	for (size_t i = 0; i < nwant; i++) {
		const pl_suppression *s = &list.items[i];
		if (s->line != want[i].line || s->column != want[i].column ||
		    s->first_line != want[i].first || s->next_line != want[i].next ||
		    strcmp(s->text, want[i].text) != 0 || (s->problem != NULL) != want[i].malformed)
			fail_msg("%s #%zu: got %u:%u first %u next %u '%s' %s", path, i, s->line,
				 s->column, s->first_line, s->next_line, s->text,
				 s->problem ? s->problem : "ok");
	}
	pl_suppressions_release(&list);
}

static void test_comments_python(void **state)
{
	fixture *fx = *state;
	const char *py =
		"x = ask()  # prodlint-ignore budget -- r\n"             /* 1: trailing */
		"s = \"# prodlint-ignore budget -- in a string\"\n"      /* 2: string */
		"# prodlint-ignore budget -- above\n"                    /* 3: covers 6 */
		"\n"                                                     /* 4 */
		"# another comment\n"                                    /* 5 */
		"y = ask()\n"                                            /* 6 */
		"doc = '''\n# prodlint-ignore budget\n'''\n"             /* 7-9: string */
		"# see prodlint-ignore in the README\n"                  /* 10: prose */
		"z = 1  # noqa: E501  # prodlint-ignore reliability -- r2\n" /* 11: after another tool */
		"# prodlint-ignored is another word\n"                   /* 12 */
		"#prodlint-ignore budget -- tight\n"                     /* 13: covers 14 */
		"w = ask()\n";
	const want_sup want[] = {
		{ 1, 12, 1, 0, "prodlint-ignore budget -- r", false },
		{ 3, 1, 3, 6, "prodlint-ignore budget -- above", false },
		{ 11, 8, 11, 0, "prodlint-ignore reliability -- r2", false },
		{ 13, 1, 13, 14, "prodlint-ignore budget -- tight", false },
	};
	check_comments(fx, "a.py", py, want, sizeof(want) / sizeof(want[0]));

	/* The last line, and a comment with nothing after it. */
	const want_sup tail[] = { { 2, 1, 2, 0, "prodlint-ignore budget -- r", false } };
	check_comments(fx, "b.py", "x = 1\n# prodlint-ignore budget -- r", tail, 1);

	/* Two suppressions in one comment: each ends where the next begins. */
	const want_sup two[] = {
		{ 1, 11, 1, 0, "prodlint-ignore budget -- a", false },
		{ 1, 11, 1, 0, "prodlint-ignore reliability -- b", false },
	};
	check_comments(fx, "c.py",
		       "x = ask() # prodlint-ignore budget -- a # prodlint-ignore reliability -- b\n",
		       two, 2);
}

static void test_comments_slash_languages(void **state)
{
	fixture *fx = *state;
	const char *ts =
		"const s = \"// prodlint-ignore budget\";\n"                /* 1: string */
		"const t = `\n// prodlint-ignore budget\n`;\n"              /* 2-4: template */
		"const r = /\\/\\/ prodlint-ignore budget/;\n"              /* 5: regex */
		"ask(); // prodlint-ignore budget -- trailing\n"            /* 6 */
		"ask(); /* prodlint-ignore budget -- block */ other();\n"   /* 7 */
		"/** prodlint-ignore budget -- doc style */\n"              /* 8: covers 12 */
		"/*\n * a multi-line\n */\n"                                /* 9-11 */
		"ask();\n"                                                  /* 12 */
		"/* prodlint-ignore budget\n   -- two lines */\n"           /* 13-14: malformed */
		"ask();\n";                                                 /* 15 */
	const want_sup want[] = {
		{ 6, 8, 6, 0, "prodlint-ignore budget -- trailing", false },
		{ 7, 8, 7, 0, "prodlint-ignore budget -- block", false },
		{ 8, 1, 8, 12, "prodlint-ignore budget -- doc style", false },
		{ 13, 1, 13, 15, "prodlint-ignore budget -- two lines", true },
	};
	check_comments(fx, "a.ts", ts, want, sizeof(want) / sizeof(want[0]));

	const char *go =
		"package x\n"
		"// prodlint-ignore budget -- above\n"
		"var a = ask()\n"
		"var s = `\n// prodlint-ignore budget`\n"
		"var b = ask() /* prodlint-ignore budget -- inline */\n"
		"var c = \"// prodlint-ignore budget\"\n";
	const want_sup gowant[] = {
		{ 2, 1, 2, 3, "prodlint-ignore budget -- above", false },
		{ 6, 15, 6, 0, "prodlint-ignore budget -- inline", false },
	};
	check_comments(fx, "a.go", go, gowant, 2);

	/* JavaScript: a `#` is not a comment there. */
	const want_sup js[] = { { 2, 1, 2, 3, "prodlint-ignore budget -- r", false } };
	check_comments(fx, "a.js", "#!/usr/bin/env node\n// prodlint-ignore budget -- r\nask();\n"
		       "const h = '# prodlint-ignore budget';\n", js, 1);
}

static void test_comments_config_formats(void **state)
{
	fixture *fx = *state;
	const char *yaml =
		"a: \"# prodlint-ignore x\"  # prodlint-ignore rollback -- trailing\n"
		"b: |\n"
		"  # prodlint-ignore rollback -- inside a block scalar\n"
		"# prodlint-ignore rollback -- above\n"
		"c: 1\n";
	const want_sup y[] = {
		{ 1, 27, 1, 0, "prodlint-ignore rollback -- trailing", false },
		{ 4, 1, 4, 5, "prodlint-ignore rollback -- above", false },
	};
	check_comments(fx, "a.yaml", yaml, y, 2);

	const want_sup t[] = { { 1, 15, 1, 0, "prodlint-ignore budget -- r", false } };
	check_comments(fx, "a.toml", "a = \"# no\"    # prodlint-ignore budget -- r\n", t, 1);

	/* Dockerfiles: comments are whole lines; a trailing `#` is shell text, reported. */
	const char *docker =
		"# prodlint-ignore rollback -- pinned by the platform\n"
		"FROM python:latest\n"
		"RUN pip install x  # prodlint-ignore rollback -- no\n"
		"  # prodlint-ignore rollback -- indented\n"
		"\n"
		"FROM python:latest\n";
	const want_sup d[] = {
		{ 1, 1, 1, 2, "prodlint-ignore rollback -- pinned by the platform", false },
		{ 3, 20, 3, 0, "prodlint-ignore rollback -- no", true },
		{ 4, 3, 4, 6, "prodlint-ignore rollback -- indented", false },
	};
	check_comments(fx, "Dockerfile", docker, d, 3);

	/* JSON has no comments: nothing, whatever the text says. */
	check_comments(fx, "a.json", "{\"a\": \"# prodlint-ignore budget -- r\"}\n", NULL, 0);
}

/* ---- applying --------------------------------------------------------------------- */

static void test_trailing_and_line_above(void **state)
{
	fixture *fx = *state;
	size_t n = 0;
	char *got = run(fx, "a.py",
			"ask()  # prodlint-ignore budget/ask -- capped by the gateway\n"
			"# prodlint-ignore budget -- capped\n"
			"# an unrelated comment\n"
			"\n"
			"ask()\n"
			"ask()\n"
			"slow()  # prodlint-ignore budget -- wrong rule\n",
			&n);
	assert_int_equal(n, 2);
	assert_string_equal(got,
		"6:1 budget/ask: ask call\n"
		"7:1 reliability/slow: slow call\n"
		"7:9 meta/unused-suppression: suppression of `budget` matches no finding: remove it\n");
	free(got);

	/* Lists and globs; one comment hides findings of several rules on its line. */
	assert_lines(fx, "b.py",
		     "ask(slow())  # prodlint-ignore reliability/slow, budget/* -- both bounded\n"
		     "ask(slow())  # prodlint-ignore *low -- glob over the id\n",
		     "2 budget/ask\n");

	/* Stacked suppressions above one line: each applies to it. */
	assert_lines(fx, "c.py",
		     "# prodlint-ignore budget -- a\n"
		     "# prodlint-ignore reliability -- b\n"
		     "ask(slow())\n",
		     "");

	/* A marker in a string suppresses nothing. */
	assert_lines(fx, "d.py", "ask('# prodlint-ignore budget -- r')\n", "1 budget/ask\n");
}

static void test_code_languages(void **state)
{
	fixture *fx = *state;
	assert_lines(fx, "a.ts",
		     "ask(); // prodlint-ignore budget -- r\n"
		     "// prodlint-ignore budget -- r\n"
		     "ask();\n"
		     "ask(); /* prodlint-ignore budget -- r */\n"
		     "const s = \"// prodlint-ignore budget -- r\"; ask();\n",
		     "5 budget/ask\n");
	assert_lines(fx, "a.js",
		     "/* prodlint-ignore budget -- r */\n"
		     "ask();\n",
		     "");
	assert_lines(fx, "a.go",
		     "package x\n"
		     "func f() {\n"
		     "\t// prodlint-ignore budget -- r\n"
		     "\task()\n"
		     "\task() // prodlint-ignore budget -- r\n"
		     "\task()\n"
		     "}\n",
		     "6 budget/ask\n");
}

static void test_meta_findings(void **state)
{
	fixture *fx = *state;
	char *got = run(fx, "a.py",
			"ask()  # prodlint-ignore budget\n"                           /* 1: no reason */
			"ask()  # prodlint-ignore budget -- r until 2025-05-31\n"     /* 2: expired */
			"ask()  # prodlint-ignore budget -- r until 2025-06-01\n"     /* 3: last day */
			"ask()  # prodlint-ignore budget -- r until 2025-13-40\n"     /* 4: malformed */
			"ask()  # prodlint-ignore\n"                                  /* 5: malformed */
			"x = 1  # prodlint-ignore budget until 2020-01-01\n",         /* 6: both */
			NULL);
	assert_string_equal(got,
		"1:8 meta/suppression-without-reason: suppression of `budget` gives no reason: "
		"add `-- <why it is safe>`\n"
		"2:1 budget/ask: ask call\n"
		"2:8 meta/suppression-expired: suppression of `budget` expired after 2025-05-31: "
		"the finding it hid is reported again\n"
		"4:1 budget/ask: ask call\n"
		"4:8 meta/malformed-suppression: malformed suppression: invalid date `2025-13-40` "
		"after `until`: expected a real date as YYYY-MM-DD\n"
		"5:1 budget/ask: ask call\n"
		"5:8 meta/malformed-suppression: malformed suppression: no rule to suppress: write "
		"`prodlint-ignore <rule id, category or glob> -- <reason>`\n"
		"6:8 meta/suppression-expired: suppression of `budget` expired after 2020-01-01\n"
		"6:8 meta/suppression-without-reason: suppression of `budget` gives no reason: "
		"add `-- <why it is safe>`\n");
	free(got);
}

static void test_today_from_environment(void **state)
{
	fixture *fx = *state;
	/* The scan reads PRODLINT_TODAY through pl_suppress_today. */
	setenv("PRODLINT_TODAY", "2026-01-01", 1);
	int today;
	assert_int_equal(pl_suppress_today(&today), 0);
	unsetenv("PRODLINT_TODAY");
	pl_suppress_config later;
	pl_suppress_config_init(&later, &fx->rules, today);
	char *got = run_with(fx, &fx->rules, &later, "a.py",
			     "ask()  # prodlint-ignore budget -- r until 2025-12-31\n", true, NULL);
	assert_non_null(strstr(got, "1:1 budget/ask"));
	assert_non_null(strstr(got, "meta/suppression-expired"));
	free(got);
}

static void test_unused_judgement(void **state)
{
	fixture *fx = *state;
	/* Judged: the rules the patterns name all ran. */
	assert_lines(fx, "a.py",
		     "x = 1  # prodlint-ignore budget/ask -- r\n"
		     "x = 1  # prodlint-ignore reliability,budget -- r\n"
		     "x = 1  # prodlint-ignore *sl* -- r\n",
		     "1 meta/unused-suppression\n2 meta/unused-suppression\n3 meta/unused-suppression\n");
	/* Not judged: an unknown rule (perhaps a pack loaded elsewhere), or one of them unknown. */
	assert_lines(fx, "b.py",
		     "x = 1  # prodlint-ignore acme/internal -- r\n"
		     "x = 1  # prodlint-ignore budget, acme/* -- r\n",
		     "");
	/* A suppression that hides anything is used, even if another pattern hides nothing. */
	assert_lines(fx, "c.py", "ask()  # prodlint-ignore budget, reliability -- r\n", "");
	/* A rule that cannot fire in this language still ran: useless here, so reported. */
	assert_lines(fx, "d.go", "package x // prodlint-ignore reliability/slow -- r\n",
		     "1 meta/unused-suppression\n");
	/* Incomplete scan: nothing is judged unused. */
	char *got = run_with(fx, &fx->rules, &fx->cfg, "e.py",
			     "x = 1  # prodlint-ignore budget -- r\n", false, NULL);
	assert_string_equal(got, "");
	free(got);
}

static bool keep_budget(const pl_rule *rule, void *ctx)
{
	(void)ctx;
	return strcmp(rule->category, "budget") == 0 || strcmp(rule->category, "meta") == 0;
}

static bool keep_but_one_meta(const pl_rule *rule, void *ctx)
{
	(void)ctx;
	return strcmp(rule->id, PL_RULE_SUPPRESSION_WITHOUT_REASON) != 0;
}

static void test_unused_with_select(void **state)
{
	fixture *fx = *state;
	/* As `--select budget --select meta`: reliability/slow is dropped, not unknown. */
	pl_ruleset rs = PL_RULESET_INIT;
	load_rules(&rs);
	pl_ruleset_filter(&rs, keep_budget, NULL);
	assert_int_equal(rs.ndropped, 2);
	pl_suppress_config cfg;
	pl_suppress_config_init(&cfg, &rs, 20250601);
	char *got = run_with(fx, &rs, &cfg, "a.py",
			     "x = 1  # prodlint-ignore reliability/slow -- r\n"   /* dropped: quiet */
			     "x = 1  # prodlint-ignore budget, reliability -- r\n" /* one dropped: quiet */
			     "x = 1  # prodlint-ignore * -- r\n"                   /* matches dropped */
			     "x = 1  # prodlint-ignore budget -- r\n",             /* judged */
			     true, NULL);
	assert_string_equal(got, "4:8 meta/unused-suppression: suppression of `budget` matches no "
				 "finding: remove it\n");
	free(got);
	pl_ruleset_release(&rs);

	/* As `--ignore meta/suppression-without-reason`: a dropped meta rule never has
	 * findings to hide, so `*` is still judged. */
	rs = (pl_ruleset)PL_RULESET_INIT;
	load_rules(&rs);
	pl_ruleset_filter(&rs, keep_but_one_meta, NULL);
	assert_int_equal(rs.ndropped, 1);
	pl_suppress_config_init(&cfg, &rs, 20250601);
	assert_null(cfg.without_reason);
	got = run_with(fx, &rs, &cfg, "c.py", "x = 1  # prodlint-ignore *\n", true, NULL);
	assert_string_equal(got, "1:8 meta/unused-suppression: suppression of `*` matches no "
				 "finding: remove it\n");
	free(got);

	/* Meta rules filtered out (--ignore meta): suppressions still work, silently. */
	pl_suppress_config none = cfg;
	none.without_reason = none.expired = none.unused = none.malformed = NULL;
	got = run_with(fx, &rs, &none, "b.py",
		       "ask()  # prodlint-ignore budget\n"
		       "ask()  # prodlint-ignore\n"
		       "x = 1  # prodlint-ignore budget -- r\n",
		       true, NULL);
	assert_string_equal(got, "2:1 budget/ask: ask call\n");
	free(got);
	pl_ruleset_release(&rs);
}

static void test_kubernetes_annotation(void **state)
{
	fixture *fx = *state;
	const char *yaml =
		"apiVersion: v1\n"                                               /* 1 */
		"kind: Pod\n"
		"metadata:\n"
		"  name: a\n"
		"  annotations:\n"                                               /* 5 */
		"    prodlint.dev/ignore: \"rollback/latest -- preview pod\"\n"
		"spec:\n"
		"  containers:\n"
		"    - name: a\n"
		"      image: app:latest\n"                                      /* 10: hidden */
		"---\n"
		"apiVersion: v1\n"
		"kind: Pod\n"
		"metadata:\n"
		"  name: b\n"                                                    /* 15 */
		"spec:\n"
		"  containers:\n"
		"    - name: b\n"
		"      image: app:latest\n"                                      /* 19: other document */
		"---\n"
		"apiVersion: v1\n"
		"kind: Pod\n"
		"metadata:\n"
		"  name: c\n"
		"  annotations:\n"                                               /* 25 */
		"    prodlint.dev/ignore: rollback\n"                            /* no reason */
		"spec:\n"
		"  containers:\n"
		"    - name: c\n"
		"      image: app:latest\n"                                      /* 30: hidden */
		"---\n"
		"apiVersion: v1\n"
		"kind: Pod\n"
		"metadata:\n"
		"  name: d\n"                                                    /* 35 */
		"  annotations:\n"
		"    prodlint.dev/ignore: \"budget -- nothing to hide\"\n"       /* unused */
		"spec:\n"
		"  containers:\n"
		"    - name: d\n"                                                /* 40 */
		"      image: app:1.0\n";
	size_t n = 0;
	char *got = run(fx, "pods.yaml", yaml, &n);
	assert_int_equal(n, 2);
	assert_string_equal(got,
		"19:7 rollback/latest: latest image\n"
		"26:5 meta/suppression-without-reason: suppression of `rollback` gives no reason: "
		"add `-- <why it is safe>`\n"
		"37:5 meta/unused-suppression: suppression of `budget` matches no finding in this "
		"document: remove it\n");
	free(got);

	/* JSON manifests have no comments, but they have annotations. */
	const char *json =
		"{\"apiVersion\": \"v1\", \"kind\": \"Pod\",\n"
		" \"metadata\": {\"name\": \"a\",\n"
		"   \"annotations\": {\"prodlint.dev/ignore\": \"rollback -- json\"}},\n"
		" \"spec\": {\"containers\": [{\"name\": \"a\",\n"
		"   \"image\": \"app:latest\"}]}}\n";
	got = run(fx, "pod.json", json, &n);
	assert_int_equal(n, 1);
	assert_string_equal(got, "");
	free(got);

	/* Not a string: malformed, and it hides nothing. */
	assert_lines(fx, "bad.yaml",
		     "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  annotations:\n"
		     "    prodlint.dev/ignore: [rollback]\n"
		     "spec:\n  containers:\n    - name: a\n      image: app:latest\n",
		     "6 meta/malformed-suppression\n10 rollback/latest\n");
}

static void test_no_markers_no_parse(void **state)
{
	fixture *fx = *state;
	/* A file without the marker costs nothing and changes nothing. */
	pl_suppressions list = PL_SUPPRESSIONS_INIT;
	pl_suppress_scan_comments(NULL, pl_language_by_name("python"), "ask()\n", 6, &list);
	assert_int_equal(list.len, 0);
	size_t n = 1;
	char *got = run(fx, "a.py", "ask()\n", &n);
	assert_int_equal(n, 0);
	assert_string_equal(got, "1:1 budget/ask: ask call\n");
	free(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_directive),
		cmocka_unit_test(test_parse_malformed),
		cmocka_unit_test(test_dates),
		cmocka_unit_test_setup_teardown(test_comments_python, setup, teardown),
		cmocka_unit_test_setup_teardown(test_comments_slash_languages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_comments_config_formats, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trailing_and_line_above, setup, teardown),
		cmocka_unit_test_setup_teardown(test_code_languages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_meta_findings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_today_from_environment, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unused_judgement, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unused_with_select, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kubernetes_annotation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_markers_no_parse, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

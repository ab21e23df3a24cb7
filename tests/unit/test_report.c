/*
 * Unit tests for src/report (json and text reporters) and src/scan/finding.c:
 * a small rule set loaded from YAML is run over in-memory Python with
 * pl_scan_buffer, the findings are finished (sorted, fingerprinted) and
 * rendered. The JSON output is parsed back with jansson.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lang/lang.h"
#include "report/report.h"
#include "rule/rule.h"
#include "finding/finding.h"
#include "scan/scan.h"
#include "util/diag.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* ---- the rule set ------------------------------------------------------- */

static const char rules_yaml[] =
	"rules:\n"
	"  - id: budget/ask\n"
	"    title: ask call\n"
	"    severity: warning\n"
	"    category: budget\n"
	"    checklist: [RD3, RD1]\n"
	"    message: '`{{fn}}` called with {{args}}'\n"
	"    rationale: r\n"
	"    remediation: r\n"
	"    match:\n"
	"      - languages: [python]\n"
	"        query: |\n"
	"          (call function: (identifier) @fn (#eq? @fn \"ask\")\n"
	"                arguments: (argument_list) @args) @call\n"
	"  - id: tool-boundary/eval\n"
	"    title: eval call\n"
	"    severity: error\n"
	"    category: tool-boundary\n"
	"    checklist: [HB1]\n"
	"    message: 'eval of `{{arg}}`'\n"
	"    rationale: r\n"
	"    remediation: r\n"
	"    match:\n"
	"      - languages: [python]\n"
	"        query: |\n"
	"          (call function: (identifier) @f (#eq? @f \"eval\")\n"
	"                arguments: (argument_list (_) @arg)) @call\n"
	/* No message: defaults to the title. Reported at a capture (`at`). */
	"  - id: observability/print\n"
	"    title: Print call\n"
	"    severity: note\n"
	"    category: observability\n"
	"    checklist: [OB1]\n"
	"    rationale: r\n"
	"    remediation: r\n"
	"    match:\n"
	"      - languages: [python]\n"
	"        query: |\n"
	"          (call function: (identifier) @p (#eq? @p \"print\")) @call\n"
	"        at: p\n";

typedef struct fixture {
	pl_ruleset rules;
	TSParser *parser;
	const pl_rule *ask, *eval, *print;
} fixture;

static int group_setup(void **state)
{
	fixture *fx = pl_xcalloc(1, sizeof(*fx));
	char path[] = "/tmp/prodlint-report-XXXXXX.yaml";
	int fd = mkstemps(path, 5);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, rules_yaml, strlen(rules_yaml)), (ssize_t)strlen(rules_yaml));
	close(fd);
	pl_ruleset rs = PL_RULESET_INIT;
	pl_diags diags = PL_DIAGS_INIT;
	int n = pl_ruleset_load_path(&rs, path, &diags);
	unlink(path);
	if (n != 3) {
		pl_diags_print(&diags, stderr, "error");
		fail_msg("loading the test rules gave %d", n);
	}
	assert_int_equal(pl_ruleset_finish(&rs, &diags), 0);
	pl_diags_release(&diags);
	fx->rules = rs;
	fx->ask = pl_ruleset_find(&rs, "budget/ask");
	fx->eval = pl_ruleset_find(&rs, "tool-boundary/eval");
	fx->print = pl_ruleset_find(&rs, "observability/print");
	assert_non_null(fx->ask);
	assert_non_null(fx->eval);
	assert_non_null(fx->print);
	fx->parser = ts_parser_new();
	*state = fx;
	return 0;
}

static int group_teardown(void **state)
{
	fixture *fx = *state;
	if (!fx)
		return 0;
	ts_parser_delete(fx->parser);
	pl_ruleset_release(&fx->rules);
	free(fx);
	return 0;
}

/* ---- helpers ------------------------------------------------------------ */

/* Scan Python `text` as `path`, appending to `out` (not finished). */
static void scan_into(fixture *fx, const char *path, const char *text, pl_findings *out)
{
	pl_diags errors = PL_DIAGS_INIT;
	assert_int_equal(pl_scan_buffer(&fx->rules, fx->parser, pl_language_by_name("python"), path,
					text, strlen(text), out, &errors),
			 0);
	assert_int_equal(errors.len, 0);
	pl_diags_release(&errors);
}

/* Scan and finish: sorted and fingerprinted. */
static pl_findings scan(fixture *fx, const char *path, const char *text)
{
	pl_findings f = PL_FINDINGS_INIT;
	scan_into(fx, path, text, &f);
	pl_findings_finish(&f);
	return f;
}

static char *render(const char *format, const pl_ruleset *rules, const pl_scan_result *result,
		    bool show_source)
{
	const pl_reporter *r = pl_reporter_by_name(format);
	assert_non_null(r);
	assert_string_equal(r->name, format);
	pl_report_context ctx = { .rules = rules, .result = result, .show_source = show_source };
	pl_strbuf out = PL_STRBUF_INIT;
	r->render(&ctx, &out);
	return pl_strbuf_detach(&out);
}

static json_t *render_json(const pl_ruleset *rules, const pl_scan_result *result)
{
	char *s = render("json", rules, result, false);
	json_error_t err;
	json_t *root = json_loads(s, 0, &err);
	if (!root)
		fail_msg("json output does not parse: %s at %d:%d\n%s", err.text, err.line,
			 err.column, s);
	free(s);
	return root;
}

static const char *jstr(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_string(v))
		fail_msg("key '%s' is missing or not a string", key);
	return json_string_value(v);
}

static json_int_t jint(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_integer(v))
		fail_msg("key '%s' is missing or not an integer", key);
	return json_integer_value(v);
}

static bool is_fingerprint(const char *s)
{
	if (strlen(s) != 16)
		return false;
	for (; *s; s++)
		if (!isxdigit((unsigned char)*s) || isupper((unsigned char)*s))
			return false;
	return true;
}

/* ---- the JSON reporter -------------------------------------------------- */

static const char sample[] =
	"import os\n"                       /* 1 */
	"x = ask(1)\n"                      /* 2 */
	"def f(code):\n"                    /* 3 */
	"    return eval(code)   \n"        /* 4: trailing blanks are not in the snippet */
	"print('hi')\n"                     /* 5 */
	"y = ask(\n"                        /* 6 */
	"    1,\n"                          /* 7 */
	"    2)\n";                         /* 8 */

typedef struct want_finding {
	const char *rule, *category, *severity;
	const char *checklist[3];
	const char *message, *path;
	int line, column, end_line, end_column;
	const char *snippet;
} want_finding;

static const want_finding sample_findings[] = {
	{ "budget/ask", "budget", "warning", { "RD3", "RD1" }, "`ask` called with (1)",
	  "app/main.py", 2, 5, 2, 11, "x = ask(1)" },
	{ "tool-boundary/eval", "tool-boundary", "error", { "HB1" }, "eval of `code`",
	  "app/main.py", 4, 12, 4, 22, "    return eval(code)" },
	{ "observability/print", "observability", "note", { "OB1" }, "Print call",
	  "app/main.py", 5, 1, 5, 6, "print('hi')" },
	{ "budget/ask", "budget", "warning", { "RD3", "RD1" }, "`ask` called with (...",
	  "app/main.py", 6, 5, 8, 7, "y = ask(" },
};

static void check_finding_json(const json_t *f, const want_finding *w)
{
	static const char *const spec_keys[] = {
		"rule", "category", "severity", "checklist", "message", "path", "line",
		"column", "end_line", "end_column", "snippet", "fingerprint",
	};
	for (size_t k = 0; k < sizeof(spec_keys) / sizeof(spec_keys[0]); k++)
		if (!json_object_get(f, spec_keys[k]))
			fail_msg("finding has no '%s'", spec_keys[k]);
	assert_string_equal(jstr(f, "rule"), w->rule);
	assert_string_equal(jstr(f, "category"), w->category);
	assert_string_equal(jstr(f, "severity"), w->severity);
	json_t *cl = json_object_get(f, "checklist");
	assert_true(json_is_array(cl));
	size_t ncl = 0;
	while (ncl < 3 && w->checklist[ncl])
		ncl++;
	assert_int_equal(json_array_size(cl), ncl);
	for (size_t i = 0; i < ncl; i++) {
		assert_true(json_is_string(json_array_get(cl, i)));
		assert_string_equal(json_string_value(json_array_get(cl, i)), w->checklist[i]);
	}
	assert_string_equal(jstr(f, "message"), w->message);
	assert_string_equal(jstr(f, "path"), w->path);
	assert_int_equal(jint(f, "line"), w->line);
	assert_int_equal(jint(f, "column"), w->column);
	assert_int_equal(jint(f, "end_line"), w->end_line);
	assert_int_equal(jint(f, "end_column"), w->end_column);
	assert_string_equal(jstr(f, "snippet"), w->snippet);
	if (!is_fingerprint(jstr(f, "fingerprint")))
		fail_msg("bad fingerprint '%s'", jstr(f, "fingerprint"));
}

static void test_json(void **state)
{
	fixture *fx = *state;
	pl_scan_result res = PL_SCAN_RESULT_INIT;
	/* Rules run one after the other, so the raw list is by rule, not position. */
	scan_into(fx, "app/main.py", sample, &res.findings);
	assert_int_equal(res.findings.len, 4);
	pl_findings_finish(&res.findings);
	pl_diags_add(&res.errors, "app/broken.py", 0, 0, "the %s parser gave up on this file",
		     "python");
	pl_diags_add(&res.errors, NULL, 0, 0, "no path");
	res.stats.files = 2;
	res.stats.ignored = 3;
	res.stats.binary = 1;
	res.stats.unsupported = 4;
	res.stats.ms = 12.6;

	json_t *root = render_json(&fx->rules, &res);
	assert_true(json_is_object(root));
	assert_int_equal(jint(root, "version"), 1);

	json_t *findings = json_object_get(root, "findings");
	assert_true(json_is_array(findings));
	assert_int_equal(json_array_size(findings), 4);
	for (size_t i = 0; i < 4; i++)
		check_finding_json(json_array_get(findings, i), &sample_findings[i]);
	/* The two ask findings have different text, so different fingerprints. */
	const char *fp0 = jstr(json_array_get(findings, 0), "fingerprint");
	const char *fp3 = jstr(json_array_get(findings, 3), "fingerprint");
	assert_string_not_equal(fp0, fp3);
	assert_string_equal(fp0, res.findings.items[0].fingerprint);

	json_t *errors = json_object_get(root, "errors");
	assert_true(json_is_array(errors));
	assert_int_equal(json_array_size(errors), 2);
	assert_string_equal(jstr(json_array_get(errors, 0), "path"), "app/broken.py");
	assert_string_equal(jstr(json_array_get(errors, 0), "message"),
			    "the python parser gave up on this file");
	assert_true(json_is_null(json_object_get(json_array_get(errors, 1), "path")));
	assert_string_equal(jstr(json_array_get(errors, 1), "message"), "no path");

	json_t *stats = json_object_get(root, "stats");
	assert_true(json_is_object(stats));
	assert_int_equal(jint(stats, "files"), 2);
	assert_int_equal(jint(stats, "rules"), 3);
	assert_int_equal(jint(stats, "ms"), 13);
	json_t *skipped = json_object_get(stats, "skipped");
	assert_true(json_is_object(skipped));
	assert_int_equal(jint(skipped, "ignored"), 3);
	assert_int_equal(jint(skipped, "binary"), 1);
	assert_int_equal(jint(skipped, "too_large"), 0);
	assert_int_equal(jint(skipped, "unsupported"), 4);
	assert_int_equal(jint(skipped, "special"), 0);
	json_decref(root);

	/* An empty result still has every top-level key. */
	pl_scan_result empty = PL_SCAN_RESULT_INIT;
	root = render_json(&fx->rules, &empty);
	assert_int_equal(jint(root, "version"), 1);
	assert_int_equal(json_array_size(json_object_get(root, "findings")), 0);
	assert_true(json_is_array(json_object_get(root, "findings")));
	assert_true(json_is_array(json_object_get(root, "errors")));
	assert_int_equal(json_array_size(json_object_get(root, "errors")), 0);
	assert_int_equal(jint(json_object_get(root, "stats"), "files"), 0);
	assert_int_equal(jint(json_object_get(root, "stats"), "ms"), 0);
	json_decref(root);

	pl_scan_result_release(&res);
}

/* Source that is not UTF-8 (a Latin-1 file) must still give valid JSON with
 * every key: jansson refuses invalid UTF-8 strings. */
static void test_json_non_utf8(void **state)
{
	fixture *fx = *state;
	pl_scan_result res = PL_SCAN_RESULT_INIT;
	scan_into(fx, "latin1.py", "x = ask('caf\xe9')\n", &res.findings);
	pl_findings_finish(&res.findings);
	assert_int_equal(res.findings.len, 1);
	json_t *root = render_json(&fx->rules, &res);
	json_t *f = json_array_get(json_object_get(root, "findings"), 0);
	assert_non_null(f);
	assert_string_equal(jstr(f, "rule"), "budget/ask");
	assert_true(json_is_string(json_object_get(f, "snippet")));
	assert_true(json_is_string(json_object_get(f, "message")));
	json_decref(root);
	pl_scan_result_release(&res);

	/* Valid UTF-8 source whose capture is cut at 60 bytes inside 'é'. */
	pl_strbuf src = PL_STRBUF_INIT;
	pl_strbuf_adds(&src, "ask('x");
	for (int i = 0; i < 40; i++)
		pl_strbuf_adds(&src, "\xc3\xa9");
	pl_strbuf_adds(&src, "')\n");
	scan_into(fx, "utf8.py", src.buf, &res.findings);
	pl_strbuf_release(&src);
	pl_findings_finish(&res.findings);
	assert_int_equal(res.findings.len, 1);
	root = render_json(&fx->rules, &res);
	f = json_array_get(json_object_get(root, "findings"), 0);
	assert_non_null(f);
	assert_true(json_is_string(json_object_get(f, "snippet")));
	assert_true(json_is_string(json_object_get(f, "message")));
	json_decref(root);
	pl_scan_result_release(&res);
}

/* ---- the text reporter -------------------------------------------------- */

static void test_text(void **state)
{
	fixture *fx = *state;
	pl_scan_result res = PL_SCAN_RESULT_INIT;
	res.findings = scan(fx, "app/main.py", sample);
	res.stats.files = 1;
	char *out = render("text", &fx->rules, &res, false);
	assert_string_equal(out,
		"app/main.py:2:5: warning: `ask` called with (1) [budget/ask]\n"
		"app/main.py:4:12: error: eval of `code` [tool-boundary/eval]\n"
		"app/main.py:5:1: note: Print call [observability/print]\n"
		"app/main.py:6:5: warning: `ask` called with (... [budget/ask]\n"
		"4 findings (1 error, 2 warnings, 1 note) in 1 file, 3 rules\n");
	free(out);

	/* With the source line, the span underlined (to the end of the line
	 * when it continues below). */
	out = render("text", &fx->rules, &res, true);
	assert_string_equal(out,
		"app/main.py:2:5: warning: `ask` called with (1) [budget/ask]\n"
		"  x = ask(1)\n"
		"      ^~~~~~\n"
		"app/main.py:4:12: error: eval of `code` [tool-boundary/eval]\n"
		"      return eval(code)\n"
		"             ^~~~~~~~~~\n"
		"app/main.py:5:1: note: Print call [observability/print]\n"
		"  print('hi')\n"
		"  ^~~~~\n"
		"app/main.py:6:5: warning: `ask` called with (... [budget/ask]\n"
		"  y = ask(\n"
		"      ^~~~\n"
		"4 findings (1 error, 2 warnings, 1 note) in 1 file, 3 rules\n");
	free(out);
	pl_scan_result_release(&res);

	/* Singulars; no notes: the note count is left out. */
	pl_scan_result one = PL_SCAN_RESULT_INIT;
	one.findings = scan(fx, "e.py", "eval(x)\n");
	one.stats.files = 1;
	pl_rule *only[] = { fx->rules.rules[0] };
	pl_ruleset one_rule = { .rules = only, .len = 1, .cap = 1 }; /* borrowed: not released */
	out = render("text", &one_rule, &one, false);
	assert_string_equal(out,
		"e.py:1:1: error: eval of `x` [tool-boundary/eval]\n"
		"1 finding (1 error, 0 warnings) in 1 file, 1 rule\n");
	free(out);
	pl_scan_result_release(&one);

	pl_scan_result none = PL_SCAN_RESULT_INIT;
	none.stats.files = 7;
	out = render("text", &fx->rules, &none, false);
	assert_string_equal(out, "0 findings (0 errors, 0 warnings) in 7 files, 3 rules\n");
	free(out);
}

static void test_reporter_lookup(void **state)
{
	(void)state;
	assert_null(pl_reporter_by_name("xml"));
	assert_null(pl_reporter_by_name(""));
	assert_null(pl_reporter_by_name("JSON"));
	pl_strbuf names = PL_STRBUF_INIT;
	pl_reporter_names(&names);
	assert_string_equal(names.buf, "text, json, sarif, github, markdown");
	pl_strbuf_release(&names);
}

/* ---- fingerprints ------------------------------------------------------- */

/* The fingerprint of the only finding of `rule` in a scan of text as path. */
static void fingerprint_of(fixture *fx, const char *path, const char *text, const pl_rule *rule,
			   size_t nth, char out[17], unsigned *line)
{
	pl_findings f = scan(fx, path, text);
	size_t seen = 0;
	for (size_t i = 0; i < f.len; i++) {
		if (f.items[i].rule != rule)
			continue;
		if (seen++ == nth) {
			memcpy(out, f.items[i].fingerprint, 17);
			if (line)
				*line = f.items[i].line;
			pl_findings_release(&f);
			return;
		}
	}
	fail_msg("no finding %zu of %s in %s", nth, rule->id, path);
}

static void test_fingerprints(void **state)
{
	fixture *fx = *state;
	char a[17], b[17], c[17];
	unsigned la, lb;

	/* Moved down by lines inserted above: same fingerprint. */
	fingerprint_of(fx, "m.py", "x = ask(1)\n", fx->ask, 0, a, &la);
	fingerprint_of(fx, "m.py", "import os\n\n# a comment\ndef g():\n    pass\nx = ask(1)\n", fx->ask,
		       0, b, &lb);
	assert_int_equal(la, 1);
	assert_int_equal(lb, 6);
	assert_true(is_fingerprint(a));
	assert_string_equal(a, b);
	/* ... or moved right, or reformatted inside the match. */
	fingerprint_of(fx, "m.py", "if True:\n    x = ask(1)\n", fx->ask, 0, b, NULL);
	assert_string_equal(a, b);
	fingerprint_of(fx, "m.py", "x = ask(1,   2)\n", fx->ask, 0, b, NULL);
	fingerprint_of(fx, "m.py", "x = ask(1,\n        2)\n", fx->ask, 0, c, NULL);
	assert_string_equal(b, c);
	/* Edits elsewhere in the file don't matter either. */
	fingerprint_of(fx, "m.py", "x = ask(1)\ny = 2\nprint(x)\n", fx->ask, 0, b, NULL);
	assert_string_equal(a, b);

	/* Different text: different fingerprint. */
	fingerprint_of(fx, "m.py", "x = ask(2)\n", fx->ask, 0, b, NULL);
	assert_string_not_equal(a, b);

	/* Two identical matches in one file: told apart by occurrence; the
	 * first keeps the fingerprint of a lone one. */
	fingerprint_of(fx, "m.py", "x = ask(1)\ny = ask(1)\n", fx->ask, 0, b, NULL);
	fingerprint_of(fx, "m.py", "x = ask(1)\ny = ask(1)\n", fx->ask, 1, c, NULL);
	assert_string_not_equal(b, c);
	assert_string_equal(a, b);
	/* Same line twice: the occurrence counts matches, not lines. */
	fingerprint_of(fx, "m.py", "x = (ask(1), ask(1))\n", fx->ask, 0, b, NULL);
	fingerprint_of(fx, "m.py", "x = (ask(1), ask(1))\n", fx->ask, 1, c, NULL);
	assert_string_not_equal(b, c);
	assert_string_equal(a, b);
	/* A different match in between doesn't change the count. */
	fingerprint_of(fx, "m.py", "x = ask(1)\nz = ask(3)\ny = ask(1)\n", fx->ask, 2, b, NULL);
	assert_string_equal(b, c);

	/* A different path: a different fingerprint. */
	fingerprint_of(fx, "n.py", "x = ask(1)\n", fx->ask, 0, b, NULL);
	assert_string_not_equal(a, b);
	fingerprint_of(fx, "sub/m.py", "x = ask(1)\n", fx->ask, 0, b, NULL);
	assert_string_not_equal(a, b);

	/* A different rule on the same text: a different fingerprint. */
	fingerprint_of(fx, "m.py", "print(1)\n", fx->print, 0, b, NULL);
	fingerprint_of(fx, "m.py", "eval(1)\n", fx->eval, 0, c, NULL);
	assert_string_not_equal(b, c);

	/* Occurrences are counted per file, in a list holding several files. */
	pl_findings all = PL_FINDINGS_INIT;
	scan_into(fx, "n.py", "x = ask(1)\n", &all);
	scan_into(fx, "m.py", "x = ask(1)\n", &all);
	pl_findings_finish(&all);
	assert_int_equal(all.len, 2);
	assert_string_equal(all.items[0].path, "m.py");
	assert_string_equal(all.items[0].fingerprint, a);
	fingerprint_of(fx, "n.py", "x = ask(1)\n", fx->ask, 0, b, NULL);
	assert_string_equal(all.items[1].fingerprint, b);
	pl_findings_release(&all);
}

/* ---- ordering ----------------------------------------------------------- */

static void push(pl_findings *list, const pl_rule *rule, const char *path, unsigned line,
		 unsigned column)
{
	pl_finding f = {
		.rule = rule,
		.path = pl_xstrdup(path),
		.line = line,
		.column = column,
		.end_line = line,
		.end_column = column + 1,
		.message = pl_xstrdup(rule->message),
		.snippet = pl_xstrdup("snippet"),
		.matched = pl_xstrdup("m"),
	};
	pl_findings_push(list, &f);
}

static void test_order(void **state)
{
	fixture *fx = *state;
	const struct {
		const pl_rule *rule;
		const char *path;
		unsigned line, column;
	} sorted[] = {
		{ fx->eval, "a.py", 1, 1 },
		{ fx->ask, "a.py", 2, 1 },
		{ fx->ask, "a.py", 2, 9 },
		{ fx->ask, "a.py", 2, 10 },   /* 10 after 9: numbers, not strings */
		{ fx->ask, "a.py", 10, 1 },
		{ fx->ask, "a/b.py", 1, 1 },  /* "a.py" < "a/b.py" < "a0.py": bytes */
		{ fx->ask, "a0.py", 1, 1 },
		{ fx->ask, "b.py", 3, 4 },    /* same position: by rule id */
		{ fx->print, "b.py", 3, 4 },
		{ fx->eval, "b.py", 3, 4 },
	};
	size_t n = sizeof(sorted) / sizeof(sorted[0]);
	/* Push in several scrambled orders; an exact duplicate is dropped. */
	static const size_t orders[][11] = {
		{ 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 4 },
		{ 5, 0, 9, 3, 7, 1, 8, 2, 6, 4, 9 },
		{ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0 },
	};
	for (size_t o = 0; o < sizeof(orders) / sizeof(orders[0]); o++) {
		pl_findings list = PL_FINDINGS_INIT;
		for (size_t i = 0; i < 11; i++) {
			size_t k = orders[o][i];
			push(&list, sorted[k].rule, sorted[k].path, sorted[k].line, sorted[k].column);
		}
		pl_findings_finish(&list);
		assert_int_equal(list.len, n);
		for (size_t i = 0; i < n; i++) {
			const pl_finding *f = &list.items[i];
			if (f->rule != sorted[i].rule || strcmp(f->path, sorted[i].path) != 0 ||
			    f->line != sorted[i].line || f->column != sorted[i].column)
				fail_msg("order %zu, item %zu: got %s %s:%u:%u, expected %s %s:%u:%u", o,
					 i, f->rule->id, f->path, f->line, f->column, sorted[i].rule->id,
					 sorted[i].path, sorted[i].line, sorted[i].column);
			assert_true(is_fingerprint(f->fingerprint));
		}
		pl_findings_release(&list);
	}

	/* pl_findings_take moves everything and empties the source. */
	pl_findings to = PL_FINDINGS_INIT, from = PL_FINDINGS_INIT;
	push(&to, fx->ask, "z.py", 1, 1);
	push(&from, fx->ask, "a.py", 1, 1);
	push(&from, fx->eval, "a.py", 1, 1);
	pl_findings_take(&to, &from);
	assert_int_equal(to.len, 3);
	assert_int_equal(from.len, 0);
	assert_null(from.items);
	pl_findings_finish(&to);
	assert_string_equal(to.items[0].rule->id, "budget/ask");
	assert_string_equal(to.items[1].rule->id, "tool-boundary/eval");
	assert_string_equal(to.items[2].path, "z.py");
	pl_findings_release(&to);

	/* Finishing an empty list is fine. */
	pl_findings empty = PL_FINDINGS_INIT;
	pl_findings_finish(&empty);
	assert_int_equal(empty.len, 0);
	pl_findings_release(&empty);
}

/* ---- message interpolation ---------------------------------------------- */

/* The message of the only `ask` finding in `text`. */
static char *ask_message(fixture *fx, const char *text)
{
	pl_findings f = scan(fx, "m.py", text);
	char *msg = NULL;
	for (size_t i = 0; i < f.len; i++)
		if (f.items[i].rule == fx->ask) {
			assert_null(msg);
			msg = pl_xstrdup(f.items[i].message);
		}
	pl_findings_release(&f);
	assert_non_null(msg);
	return msg;
}

static void check_ask_message(fixture *fx, const char *text, const char *want)
{
	char *got = ask_message(fx, text);
	if (strcmp(got, want) != 0)
		fail_msg("message for %s\n  got:      %s\n  expected: %s", text, got, want);
	free(got);
}

static void test_messages(void **state)
{
	fixture *fx = *state;
	check_ask_message(fx, "ask(1)\n", "`ask` called with (1)");
	check_ask_message(fx, "ask()\n", "`ask` called with ()");
	/* Runs of blanks collapse to one space. */
	check_ask_message(fx, "ask(1,    2,\t3)\n", "`ask` called with (1, 2, 3)");
	/* Multi-line captures are cut at the end of the first line. */
	check_ask_message(fx, "ask(\n    1,\n    2)\n", "`ask` called with (...");
	check_ask_message(fx, "ask(1,\n    2)\n", "`ask` called with (1,...");
	check_ask_message(fx, "ask(1,   \n    2)\n", "`ask` called with (1,...");
	check_ask_message(fx, "ask(1,\r\n    2)\r\n", "`ask` called with (1,...");
	/* A multi-line string inside the capture counts too. */
	check_ask_message(fx, "ask('''a\nb''')\n", "`ask` called with ('''a...");

	/* At most 60 bytes of capture text, then "...". */
	char src[128], want[160];
	char sixty[61];
	memset(sixty, 'a', 60);
	sixty[60] = '\0';
	/* "(" + 58 a's + ")" is exactly 60 bytes: kept whole. */
	snprintf(src, sizeof(src), "ask(%.58s)\n", sixty);
	snprintf(want, sizeof(want), "`ask` called with (%.58s)", sixty);
	check_ask_message(fx, src, want);
	/* One more byte: cut after 60. */
	snprintf(src, sizeof(src), "ask(%.59s)\n", sixty);
	snprintf(want, sizeof(want), "`ask` called with (%.59s...", sixty);
	check_ask_message(fx, src, want);
	snprintf(src, sizeof(src), "ask(%.59s 1)\n", sixty);
	snprintf(want, sizeof(want), "`ask` called with (%.59s...", sixty);
	check_ask_message(fx, src, want);

	/* The other rules: a plain capture, and the title as default message. */
	pl_findings f = scan(fx, "m.py", "eval(user_input)\nprint(1)\n");
	assert_int_equal(f.len, 2);
	assert_string_equal(f.items[0].message, "eval of `user_input`");
	assert_string_equal(f.items[1].message, "Print call");
	/* Findings own their strings: they outlive the source buffer. */
	assert_string_equal(f.items[0].snippet, "eval(user_input)");
	assert_string_equal(f.items[0].matched, "eval(user_input)");
	pl_findings_release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_json_non_utf8),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_reporter_lookup),
		cmocka_unit_test(test_fingerprints),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_messages),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

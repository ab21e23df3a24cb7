/*
 * Unit tests for the sarif, github and markdown reporters (src/report/) and
 * the helpers they share (report_util.h, pl_checklist_item_name): a small
 * rule set loaded from YAML runs over in-memory Python with
 * pl_scan_buffer; findings that no parser would produce (odd paths and
 * messages, many of one category) are pushed by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lang/lang.h"
#include "report/report.h"
#include "report/report_util.h"
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
	"    rationale: |\n"
	"      Asking costs money.\n"
	"    remediation: |\n"
	"      Cap it:\n"
	"\n"
	"      ```python\n"
	"      ask(1, cap=10)\n"
	"      ```\n"
	"    match:\n"
	"      - languages: [python]\n"
	"        query: |\n"
	"          (call function: (identifier) @fn (#eq? @fn \"ask\")\n"
	"                arguments: (argument_list) @args) @call\n"
	"  - id: tool-boundary/eval-of-variable\n"
	"    title: eval call\n"
	"    severity: error\n"
	"    category: tool-boundary\n"
	"    checklist: [HB1, RD1]\n"
	"    message: 'eval of `{{arg}}`'\n"
	"    rationale: Model text must not run.\n"
	"    remediation: Do not eval.\n"
	"    match:\n"
	"      - languages: [python]\n"
	"        query: |\n"
	"          (call function: (identifier) @f (#eq? @f \"eval\")\n"
	"                arguments: (argument_list (_) @arg)) @call\n"
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
	"        at: p\n"
	/* Cites RD2 and never fires here: RD2 passes. */
	"  - id: reliability/never\n"
	"    title: Never fires\n"
	"    severity: warning\n"
	"    category: reliability\n"
	"    checklist: [RD2]\n"
	"    rationale: r\n"
	"    remediation: r\n"
	"    match:\n"
	"      - languages: [python]\n"
	"        query: |\n"
	"          (call function: (identifier) @n (#eq? @n \"never_called_anywhere\")) @call\n";

typedef struct fixture {
	pl_ruleset rules;
	TSParser *parser;
	const pl_rule *ask, *eval, *print, *never;
} fixture;

static int group_setup(void **state)
{
	fixture *fx = pl_xcalloc(1, sizeof(*fx));
	char path[] = "/tmp/prodlint-formats-XXXXXX.yaml";
	int fd = mkstemps(path, 5);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, rules_yaml, strlen(rules_yaml)), (ssize_t)strlen(rules_yaml));
	close(fd);
	pl_diags diags = PL_DIAGS_INIT;
	int n = pl_ruleset_load_path(&fx->rules, path, &diags);
	unlink(path);
	if (n != 4) {
		pl_diags_print(&diags, stderr, "error");
		fail_msg("loading the test rules gave %d", n);
	}
	assert_int_equal(pl_ruleset_finish(&fx->rules, &diags), 0);
	pl_diags_release(&diags);
	fx->ask = pl_ruleset_find(&fx->rules, "budget/ask");
	fx->eval = pl_ruleset_find(&fx->rules, "tool-boundary/eval-of-variable");
	fx->print = pl_ruleset_find(&fx->rules, "observability/print");
	fx->never = pl_ruleset_find(&fx->rules, "reliability/never");
	assert_non_null(fx->ask);
	assert_non_null(fx->eval);
	assert_non_null(fx->print);
	assert_non_null(fx->never);
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

static const char sample[] =
	"import os\n"                              /* 1 */
	"x = ask(1)\n"                             /* 2 */
	"def f(code):\n"                           /* 3 */
	"    return eval(code)\n"                  /* 4 */
	"print('hi')\n"                            /* 5 */
	"y = ask(\n"                               /* 6 */
	"    1,\n"                                 /* 7 */
	"    2)\n"                                 /* 8 */
	"s = \"\xc3\xa9\xf0\x9f\x98\x80\"; z = ask(3)\n"; /* 9: é (2 bytes), 😀 (4 bytes) */

/* The sample scanned as app/main.py, finished (sorted, fingerprinted). */
static void scan_sample(fixture *fx, pl_scan_result *res)
{
	pl_diags errors = PL_DIAGS_INIT;
	assert_int_equal(pl_scan_buffer(&fx->rules, fx->parser, pl_language_by_name("python"),
					"app/main.py", sample, strlen(sample), &res->findings,
					&errors),
			 0);
	assert_int_equal(errors.len, 0);
	pl_diags_release(&errors);
	pl_findings_finish(&res->findings);
	assert_int_equal(res->findings.len, 5);
	res->stats.files = 1;
}

static void push(pl_findings *list, const pl_rule *rule, const char *path, unsigned line,
		 unsigned column, unsigned end_line, unsigned end_column, const char *message,
		 const char *snippet)
{
	pl_finding f = {
		.rule = rule,
		.path = pl_xstrdup(path),
		.line = line,
		.column = column,
		.end_line = end_line,
		.end_column = end_column,
		.message = pl_xstrdup(message),
		.snippet = pl_xstrdup(snippet),
		.matched = pl_xstrdup(message),
	};
	pl_findings_push(list, &f);
}

static char *render(const char *format, const pl_ruleset *rules, const pl_scan_result *result)
{
	const pl_reporter *r = pl_reporter_by_name(format);
	assert_non_null(r);
	assert_string_equal(r->name, format);
	pl_report_context ctx = { .rules = rules, .result = result };
	pl_strbuf out = PL_STRBUF_INIT;
	r->render(&ctx, &out);
	return pl_strbuf_detach(&out);
}

/* True if `text` has `line` as a whole line. */
static bool has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	for (const char *p = text; (p = strstr(p, line)) != NULL; p++)
		if ((p == text || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
			return true;
	return false;
}

static void assert_has_line(const char *text, const char *line)
{
	if (!has_line(text, line))
		fail_msg("no line\n  %s\nin\n%s", line, text);
}

/* ---- shared helpers ----------------------------------------------------- */

static void test_utf16_column(void **state)
{
	(void)state;
	assert_int_equal(pl_utf16_column("abc", 1), 1);
	assert_int_equal(pl_utf16_column("abc", 3), 3);
	/* é is 2 bytes, 1 unit; 😀 is 4 bytes, 2 units (a surrogate pair). */
	assert_int_equal(pl_utf16_column("\xc3\xa9x", 3), 2);
	assert_int_equal(pl_utf16_column("\xf0\x9f\x98\x80x", 5), 3);
	assert_int_equal(pl_utf16_column("\xe2\x82\xac=", 4), 2); /* € is 3 bytes */
	/* An invalid byte reads as U+FFFD: one unit. */
	assert_int_equal(pl_utf16_column("\xe9x", 2), 2);
	assert_int_equal(pl_utf16_column("\xff\xfex", 3), 3);
	/* Past the end of the snippet: a byte is a unit. */
	assert_int_equal(pl_utf16_column("\xc3\xa9", 6), 5);
	assert_int_equal(pl_utf16_column("", 4), 4);
	/* Columns 0 ("unknown") and 1 stay as they are. */
	assert_int_equal(pl_utf16_column("\xc3\xa9", 0), 0);
	assert_int_equal(pl_utf16_column("\xc3\xa9", 1), 1);
}

static void test_checklist_names(void **state)
{
	(void)state;
	assert_string_equal(pl_checklist_item_name("RD3"), "Cost");
	assert_string_equal(pl_checklist_item_name("QG1"), "Evaluation before deploy");
	assert_string_equal(pl_checklist_item_name("PB3"), "API edges");
	assert_null(pl_checklist_item_name("XX9"));
	assert_null(pl_checklist_item_name(""));
	assert_null(pl_checklist_item_name("rd3"));
	size_t n;
	const char *const *ids = pl_checklist_ids(&n);
	assert_int_equal(n, 16);
	for (size_t i = 0; i < n; i++) {
		const char *name = pl_checklist_item_name(ids[i]);
		assert_non_null(name);
		assert_true(strlen(name) > 0);
	}
}

static void test_lookup(void **state)
{
	(void)state;
	assert_non_null(pl_reporter_by_name("sarif"));
	assert_non_null(pl_reporter_by_name("github"));
	assert_non_null(pl_reporter_by_name("markdown"));
	assert_null(pl_reporter_by_name("SARIF"));
	assert_null(pl_reporter_by_name("md"));
}

/* ---- github ------------------------------------------------------------- */

static void test_github(void **state)
{
	fixture *fx = *state;
	pl_scan_result res = PL_SCAN_RESULT_INIT;
	scan_sample(fx, &res);
	char *out = render("github", &fx->rules, &res);
	assert_string_equal(out,
		"::warning file=app/main.py,line=2,col=5,endLine=2,endColumn=11,title=budget/ask"
		"::`ask` called with (1)\n"
		"::error file=app/main.py,line=4,col=12,endLine=4,endColumn=22,"
		"title=tool-boundary/eval-of-variable::eval of `code`\n"
		"::notice file=app/main.py,line=5,col=1,endLine=5,endColumn=6,"
		"title=observability/print::Print call\n"
		/* Several lines: no columns (GitHub takes them only on one line). */
		"::warning file=app/main.py,line=6,endLine=8,title=budget/ask"
		"::`ask` called with (...\n"
		/* Columns in UTF-16 units: bytes 19..25 are units 16..22. */
		"::warning file=app/main.py,line=9,col=16,endLine=9,endColumn=22,title=budget/ask"
		"::`ask` called with (3)\n");
	free(out);
	pl_scan_result_release(&res);

	/* Escaping: the message escapes %, CR, LF; properties also : and ,. */
	pl_scan_result odd = PL_SCAN_RESULT_INIT;
	push(&odd.findings, fx->ask, "dir, with: 100%.py", 3, 1, 3, 2,
	     "50% of a:b, c\r\nnext line", "x");
	push(&odd.findings, fx->ask, "\xe9t\xe9.py", 1, 1, 1, 2, "caf\xe9", "x");
	out = render("github", &fx->rules, &odd);
	assert_string_equal(out,
		"::warning file=dir%2C with%3A 100%25.py,line=3,col=1,endLine=3,endColumn=2,"
		"title=budget/ask::50%25 of a:b, c%0D%0Anext line\n"
		/* Not UTF-8: each bad byte becomes U+FFFD, so the log stays valid. */
		"::warning file=\xef\xbf\xbdt\xef\xbf\xbd.py,line=1,col=1,endLine=1,endColumn=2,"
		"title=budget/ask::caf\xef\xbf\xbd\n");
	free(out);
	pl_scan_result_release(&odd);

	/* No findings: nothing at all, not even a summary. */
	pl_scan_result none = PL_SCAN_RESULT_INIT;
	pl_diags_add(&none.errors, "broken.py", 0, 0, "cannot read: Permission denied");
	out = render("github", &fx->rules, &none);
	assert_string_equal(out, "");
	free(out);
	pl_scan_result_release(&none);
}

/* ---- markdown ----------------------------------------------------------- */

static void test_markdown_statuses(void **state)
{
	fixture *fx = *state;
	pl_scan_result res = PL_SCAN_RESULT_INIT;
	scan_sample(fx, &res);
	char *out = render("markdown", &fx->rules, &res);

	assert_true(strncmp(out, "# prodlint scorecard\n\n", 22) == 0);
	assert_has_line(out, "**5 findings** (1 error, 3 warnings, 1 note) in 1 file scanned with "
			     "4 rules; checklist items: 4 fail, 1 pass, 11 not checked.");
	assert_has_line(out, "| id | item | status | findings | rules | worst locations |");
	/* fail: findings cite it; worst first (the error), then output order, at most 3. */
	assert_has_line(out, "| RD1 | Reliability | **fail** | 4 | 2 | `app/main.py:4`, "
			     "`app/main.py:2`, `app/main.py:6` |");
	assert_has_line(out, "| RD3 | Cost | **fail** | 3 | 1 | `app/main.py:2`, `app/main.py:6`, "
			     "`app/main.py:9` |");
	assert_has_line(out, "| HB1 | Tool boundaries | **fail** | 1 | 1 | `app/main.py:4` |");
	assert_has_line(out, "| OB1 | Tracing | **fail** | 1 | 1 | `app/main.py:5` |");
	/* pass: a rule that ran cites it and found nothing. */
	assert_has_line(out, "| RD2 | Latency | pass | 0 | 1 |  |");
	/* not checked: no rule that ran cites it. */
	assert_has_line(out, "| QG1 | Evaluation before deploy | not checked | 0 | 0 |  |");
	assert_has_line(out, "| PB3 | API edges | not checked | 0 | 0 |  |");
	assert_non_null(strstr(out, "_not checked_: no rule that ran cites the item"));
	assert_null(strstr(out, "attested"));
	assert_null(strstr(out, "incomplete"));

	/* Findings by category, in SPEC order (tool-boundary, budget, observability). */
	const char *tb = strstr(out, "\n### tool-boundary (1)\n");
	const char *bu = strstr(out, "\n### budget (3)\n");
	const char *ob = strstr(out, "\n### observability (1)\n");
	assert_non_null(tb);
	assert_non_null(bu);
	assert_non_null(ob);
	assert_true(tb < bu && bu < ob);
	assert_null(strstr(out, "### reliability"));
	assert_has_line(out, "- error `app/main.py:4`: eval of `code` "
			     "(`tool-boundary/eval-of-variable`)");
	assert_has_line(out, "- warning `app/main.py:6`: `ask` called with (... (`budget/ask`)");
	assert_has_line(out, "- note `app/main.py:5`: Print call (`observability/print`)");
	free(out);

	/* Only the rule that never fires: its item passes, nothing fails. */
	pl_rule *only[] = { (pl_rule *)fx->never };
	pl_ruleset one = { .rules = only, .len = 1, .cap = 1 }; /* borrowed: not released */
	pl_scan_result clean = PL_SCAN_RESULT_INIT;
	clean.stats.files = 3;
	out = render("markdown", &one, &clean);
	assert_has_line(out, "**0 findings** (0 errors, 0 warnings, 0 notes) in 3 files scanned "
			     "with 1 rule; checklist items: 0 fail, 1 pass, 15 not checked.");
	assert_has_line(out, "| RD2 | Latency | pass | 0 | 1 |  |");
	assert_has_line(out, "| RD3 | Cost | not checked | 0 | 0 |  |");
	assert_has_line(out, "No findings.");
	free(out);
	pl_scan_result_release(&res);
}

static void test_markdown_escaping(void **state)
{
	fixture *fx = *state;
	pl_scan_result res = PL_SCAN_RESULT_INIT;
	/* A path with a pipe: escaped inside the table's code span. */
	push(&res.findings, fx->eval, "a|b.py", 1, 1, 1, 2, "eval of `x|y`", "x");
	/* Markup outside code spans is escaped; code spans are kept. */
	push(&res.findings, fx->ask, "m.py", 1, 1, 1, 2, "*bold* <b>hi</b> [l](u) `a*b` _x_", "x");
	/* Unpaired backticks (a capture brought one): all escaped. */
	push(&res.findings, fx->ask, "m.py", 2, 1, 2, 2, "`a`b` | c", "x");
	/* Doubled backticks: escaped too. */
	push(&res.findings, fx->ask, "m.py", 3, 1, 3, 2, "``t`` ok", "x");
	/* A newline cannot end the list item early. */
	push(&res.findings, fx->ask, "m.py", 4, 1, 4, 2, "two\nlines", "x");
	/* A path with a backtick is escaped text, not a code span. */
	push(&res.findings, fx->ask, "we`ird.py", 1, 1, 1, 2, "m", "x");
	pl_findings_finish(&res.findings);
	char *out = render("markdown", &fx->rules, &res);
	assert_has_line(out, "| HB1 | Tool boundaries | **fail** | 1 | 1 | `a\\|b.py:1` |");
	assert_has_line(out, "- error `a|b.py:1`: eval of `x|y` (`tool-boundary/eval-of-variable`)");
	assert_has_line(out, "- warning `m.py:1`: \\*bold\\* \\<b\\>hi\\</b\\> \\[l\\](u) `a*b` "
			     "\\_x\\_ (`budget/ask`)");
	assert_has_line(out, "- warning `m.py:2`: \\`a\\`b\\` \\| c (`budget/ask`)");
	assert_has_line(out, "- warning `m.py:3`: \\`\\`t\\`\\` ok (`budget/ask`)");
	assert_has_line(out, "- warning `m.py:4`: two lines (`budget/ask`)");
	assert_has_line(out, "- warning we\\`ird.py:1: m (`budget/ask`)");
	/* The RD3 row: the first three of five warnings, in output order. */
	assert_has_line(out, "| RD3 | Cost | **fail** | 5 | 1 | `m.py:1`, `m.py:2`, `m.py:3` |");
	free(out);
	pl_scan_result_release(&res);

	/* Two rules on one line: the location shows once; the count is of findings. */
	push(&res.findings, fx->ask, "d.py", 1, 1, 1, 2, "m", "x");
	push(&res.findings, fx->eval, "d.py", 1, 5, 1, 6, "e", "x");
	push(&res.findings, fx->ask, "d.py", 2, 1, 2, 2, "m", "x");
	pl_findings_finish(&res.findings);
	out = render("markdown", &fx->rules, &res);
	assert_has_line(out, "| RD1 | Reliability | **fail** | 3 | 2 | `d.py:1`, `d.py:2` |");
	free(out);
	pl_scan_result_release(&res);
}

static void test_markdown_cap_and_errors(void **state)
{
	fixture *fx = *state;
	pl_scan_result res = PL_SCAN_RESULT_INIT;
	for (unsigned i = 1; i <= 53; i++)
		push(&res.findings, fx->ask, "many.py", i, 1, i, 2, "m", "x");
	/* The only error comes last in output order but first in its category. */
	push(&res.findings, fx->eval, "z.py", 1, 1, 1, 2, "e", "x");
	pl_findings_finish(&res.findings);
	pl_diags_add(&res.errors, "broken.py", 0, 0, "cannot read: %s", "Input/output error");
	pl_diags_add(&res.errors, NULL, 0, 0, "no path");
	res.stats.files = 3;
	char *out = render("markdown", &fx->rules, &res);
	assert_has_line(out, "**The scan is incomplete:** 2 files could not be scanned (listed at "
			     "the end), so a pass covers only the files that were.");
	assert_has_line(out, "### budget (53)");
	assert_has_line(out, "- warning `many.py:50`: m (`budget/ask`)");
	assert_false(has_line(out, "- warning `many.py:51`: m (`budget/ask`)"));
	assert_has_line(out, "- and 3 more");
	assert_has_line(out, "| RD1 | Reliability | **fail** | 54 | 2 | `z.py:1`, `many.py:1`, "
			     "`many.py:2` |");
	assert_has_line(out, "## Files that could not be scanned");
	assert_has_line(out, "- `broken.py`: cannot read: Input/output error");
	assert_has_line(out, "- no path");
	free(out);
	pl_scan_result_release(&res);
}

/* ---- sarif -------------------------------------------------------------- */

static json_t *render_sarif(const pl_ruleset *rules, const pl_scan_result *result)
{
	char *s = render("sarif", rules, result);
	json_error_t err;
	json_t *root = json_loads(s, 0, &err);
	if (!root)
		fail_msg("sarif output does not parse: %s at %d:%d\n%s", err.text, err.line,
			 err.column, s);
	free(s);
	return root;
}

/* The value at a path of object keys and array indexes: "runs/0/tool". */
static json_t *at(json_t *v, const char *path)
{
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *tok = strtok(buf, "/"); tok; tok = strtok(NULL, "/")) {
		if (json_is_array(v))
			v = json_array_get(v, strtoul(tok, NULL, 10));
		else
			v = json_object_get(v, tok);
		if (!v)
			fail_msg("no '%s' (at '%s')", path, tok);
	}
	return v;
}

static const char *str_at(json_t *v, const char *path)
{
	json_t *s = at(v, path);
	if (!json_is_string(s))
		fail_msg("'%s' is not a string", path);
	return json_string_value(s);
}

static json_int_t int_at(json_t *v, const char *path)
{
	json_t *i = at(v, path);
	if (!json_is_integer(i))
		fail_msg("'%s' is not an integer", path);
	return json_integer_value(i);
}

static bool has_tag(json_t *rule, const char *tag)
{
	size_t i;
	json_t *t;
	json_array_foreach(at(rule, "properties/tags"), i, t)
		if (strcmp(json_string_value(t), tag) == 0)
			return true;
	return false;
}

static void test_sarif_structure(void **state)
{
	fixture *fx = *state;
	pl_scan_result res = PL_SCAN_RESULT_INIT;
	scan_sample(fx, &res);
	json_t *root = render_sarif(&fx->rules, &res);

	assert_true(strstr(str_at(root, "$schema"), "sarif-schema-2.1.0.json") != NULL);
	assert_string_equal(str_at(root, "version"), "2.1.0");
	assert_int_equal(json_array_size(at(root, "runs")), 1);
	json_t *run = at(root, "runs/0");
	assert_string_equal(str_at(run, "tool/driver/name"), "prodlint");
	assert_string_equal(str_at(run, "tool/driver/version"), PRODLINT_VERSION);
	assert_true(strncmp(str_at(run, "tool/driver/informationUri"), "https://", 8) == 0);
	assert_string_equal(str_at(run, "columnKind"), "utf16CodeUnits");
	assert_true(json_is_object(at(run, "originalUriBaseIds/%SRCROOT%")));

	/* Every rule that ran, in ruleset order, with what GitHub reads. */
	json_t *rules = at(run, "tool/driver/rules");
	assert_int_equal(json_array_size(rules), fx->rules.len);
	for (size_t i = 0; i < fx->rules.len; i++) {
		json_t *r = json_array_get(rules, i);
		const pl_rule *rule = fx->rules.rules[i];
		assert_string_equal(str_at(r, "id"), rule->id);
		assert_string_equal(str_at(r, "shortDescription/text"), rule->title);
		assert_true(strlen(str_at(r, "name")) > 0);
		assert_true(strlen(str_at(r, "fullDescription/text")) > 0);
		assert_true(strlen(str_at(r, "help/text")) > 0);
		assert_true(strlen(str_at(r, "help/markdown")) > 0);
		assert_string_equal(str_at(r, "defaultConfiguration/level"),
				    pl_severity_name(rule->severity));
		assert_string_equal(str_at(r, "properties/precision"), "high");
		assert_true(has_tag(r, rule->category));
		for (size_t k = 0; k < rule->checklist_len; k++)
			assert_true(has_tag(r, rule->checklist[k]));
		bool security = strcmp(rule->category, "tool-boundary") == 0;
		assert_int_equal(has_tag(r, "security"), security);
		assert_int_equal(json_object_get(at(r, "properties"), "security-severity") != NULL,
				 security);
	}
	json_t *ask = json_array_get(rules, 0);
	assert_string_equal(str_at(ask, "id"), "budget/ask");
	assert_string_equal(str_at(ask, "name"), "Ask");
	assert_string_equal(str_at(ask, "fullDescription/text"), "Asking costs money.");
	assert_string_equal(str_at(ask, "help/text"),
			    "Asking costs money.\n\nRemediation:\nCap it:\n\n```python\n"
			    "ask(1, cap=10)\n```");
	assert_string_equal(str_at(ask, "help/markdown"),
			    "Asking costs money.\n\n**Remediation**\n\nCap it:\n\n```python\n"
			    "ask(1, cap=10)\n```");
	assert_string_equal(str_at(ask, "properties/problem.severity"), "warning");
	json_t *print = json_array_get(rules, 1);
	assert_string_equal(str_at(print, "id"), "observability/print");
	assert_string_equal(str_at(print, "defaultConfiguration/level"), "note");
	assert_string_equal(str_at(print, "properties/problem.severity"), "recommendation");
	json_t *eval = json_array_get(rules, 3);
	assert_string_equal(str_at(eval, "id"), "tool-boundary/eval-of-variable");
	assert_string_equal(str_at(eval, "name"), "EvalOfVariable");
	assert_string_equal(str_at(eval, "properties/security-severity"), "8.0");
	assert_string_equal(str_at(eval, "properties/problem.severity"), "error");

	/* Results: one per finding, in output order. */
	json_t *results = at(run, "results");
	assert_int_equal(json_array_size(results), 5);
	for (size_t i = 0; i < 5; i++) {
		json_t *r = json_array_get(results, i);
		const pl_finding *f = &res.findings.items[i];
		assert_string_equal(str_at(r, "ruleId"), f->rule->id);
		json_int_t idx = int_at(r, "ruleIndex");
		assert_true(idx >= 0 && (size_t)idx < fx->rules.len);
		assert_string_equal(str_at(json_array_get(rules, (size_t)idx), "id"), f->rule->id);
		assert_string_equal(str_at(r, "level"), pl_severity_name(f->rule->severity));
		assert_string_equal(str_at(r, "message/text"), f->message);
		assert_string_equal(str_at(r, "locations/0/physicalLocation/artifactLocation/uri"),
				    "app/main.py");
		assert_string_equal(
			str_at(r, "locations/0/physicalLocation/artifactLocation/uriBaseId"),
			"%SRCROOT%");
		json_t *fp = json_object_get(at(r, "partialFingerprints"), "prodlintFingerprint/v1");
		assert_true(json_is_string(fp));
		assert_string_equal(json_string_value(fp), f->fingerprint);
	}
	/* Regions: a one-line finding has both columns ... */
	json_t *reg = at(results, "1/locations/0/physicalLocation/region");
	assert_int_equal(int_at(reg, "startLine"), 4);
	assert_int_equal(int_at(reg, "startColumn"), 12);
	assert_int_equal(int_at(reg, "endLine"), 4);
	assert_int_equal(int_at(reg, "endColumn"), 22);
	/* ... a multi-line one no endColumn (its end line's text is not at hand) ... */
	reg = at(results, "3/locations/0/physicalLocation/region");
	assert_int_equal(int_at(reg, "startLine"), 6);
	assert_int_equal(int_at(reg, "startColumn"), 5);
	assert_int_equal(int_at(reg, "endLine"), 8);
	assert_null(json_object_get(reg, "endColumn"));
	/* ... and columns are UTF-16 code units: bytes 19..25 after é and 😀 are 16..22. */
	reg = at(results, "4/locations/0/physicalLocation/region");
	assert_int_equal(int_at(reg, "startLine"), 9);
	assert_int_equal(int_at(reg, "startColumn"), 16);
	assert_int_equal(int_at(reg, "endColumn"), 22);

	/* A clean scan: executionSuccessful, no notifications. */
	assert_true(json_is_true(at(run, "invocations/0/executionSuccessful")));
	assert_int_equal(json_array_size(at(run, "invocations/0/toolExecutionNotifications")), 0);
	json_decref(root);
	pl_scan_result_release(&res);
}

/* Percent-encoded URIs, non-UTF-8 text, a rule outside the ruleset, scan errors.
 * (at() splits on '/', so the fingerprint key, which holds one, is read directly.) */
static void test_sarif_fingerprints_uris_errors(void **state)
{
	fixture *fx = *state;
	pl_scan_result res = PL_SCAN_RESULT_INIT;
	push(&res.findings, fx->ask, "dir with space/100%\xc3\xa9#?:.py", 1, 1, 1, 2, "m", "x");
	push(&res.findings, fx->ask, "bad\xff.py", 1, 1, 1, 2, "caf\xe9", "x");
	pl_findings_finish(&res.findings);
	pl_diags_add(&res.errors, "broken file.py", 0, 0, "cannot read: %s", "Input/output error");
	pl_diags_add(&res.errors, NULL, 0, 0, "no path");

	/* A ruleset without the finding's rule: no ruleIndex, still a ruleId. */
	pl_rule *only[] = { (pl_rule *)fx->never };
	pl_ruleset one = { .rules = only, .len = 1, .cap = 1 };
	json_t *root = render_sarif(&one, &res);
	json_t *run = at(root, "runs/0");
	json_t *results = at(run, "results");
	assert_int_equal(json_array_size(results), 2);
	json_t *r0 = json_array_get(results, 0), *r1 = json_array_get(results, 1);
	assert_string_equal(str_at(r0, "locations/0/physicalLocation/artifactLocation/uri"),
			    "bad%FF.py");
	assert_string_equal(str_at(r0, "message/text"), "caf\xef\xbf\xbd");
	assert_string_equal(str_at(r1, "locations/0/physicalLocation/artifactLocation/uri"),
			    "dir%20with%20space/100%25%C3%A9%23%3F%3A.py");
	assert_null(json_object_get(r0, "ruleIndex"));
	assert_string_equal(str_at(r0, "ruleId"), "budget/ask");
	for (size_t i = 0; i < 2; i++) {
		json_t *fp = json_object_get(json_array_get(results, i), "partialFingerprints");
		assert_true(json_is_object(fp));
		json_t *v = json_object_get(fp, "prodlintFingerprint/v1");
		assert_true(json_is_string(v));
		assert_string_equal(json_string_value(v), res.findings.items[i].fingerprint);
	}

	/* Errors: executionSuccessful false, one error notification each. */
	assert_true(json_is_false(at(run, "invocations/0/executionSuccessful")));
	json_t *notes = at(run, "invocations/0/toolExecutionNotifications");
	assert_int_equal(json_array_size(notes), 2);
	assert_string_equal(str_at(notes, "0/level"), "error");
	assert_string_equal(str_at(notes, "0/message/text"), "cannot read: Input/output error");
	assert_string_equal(str_at(notes, "0/locations/0/physicalLocation/artifactLocation/uri"),
			    "broken%20file.py");
	assert_string_equal(
		str_at(notes, "0/locations/0/physicalLocation/artifactLocation/uriBaseId"),
		"%SRCROOT%");
	assert_string_equal(str_at(notes, "1/level"), "error");
	assert_string_equal(str_at(notes, "1/message/text"), "no path");
	assert_null(json_object_get(json_array_get(notes, 1), "locations"));
	json_decref(root);
	pl_scan_result_release(&res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf16_column),
		cmocka_unit_test(test_checklist_names),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_github),
		cmocka_unit_test(test_markdown_statuses),
		cmocka_unit_test(test_markdown_escaping),
		cmocka_unit_test(test_markdown_cap_and_errors),
		cmocka_unit_test(test_sarif_structure),
		cmocka_unit_test(test_sarif_fingerprints_uris_errors),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

/*
 * Unit tests for hostile inputs that need a hand inside the scan (the rest
 * are end to end, tests/e2e/hostile.py):
 *   - files that vanish or change between the walk and the read: the walk's
 *     exclude hook, asked about the last file, deletes, replaces or grows
 *     the ones already listed; the scan must go on, name what it could not
 *     read, and never block on a FIFO;
 *   - the matching bounds (pattern.h, scan.h): a syntax tree deeper than
 *     PL_SCAN_MAX_TREE_DEPTH is refused at once, a query run stops at its
 *     deadline and says so;
 *   - the grammars' scanners: deep Python indentation no longer overruns
 *     tree-sitter's state buffer (cmake/TreeSitter.cmake), and YAML past
 *     what tree-sitter-yaml reads faithfully is a limit (yaml_reader.c);
 *   - UTF-16 with a byte order mark reads as UTF-8 (util/utf8.h);
 *   - an in-memory rule file loads like one on disk (pl_ruleset_load_buffer).
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
#include <sys/stat.h>
#include <unistd.h>

#include "config/reader.h"
#include "lang/lang.h"
#include "match/pattern.h"
#include "scan/scan.h"
#include "support.h"
#include "util/strbuf.h"
#include "util/utf8.h"

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
	"        query: |\n          (call function: (identifier) @f (#eq? @f \"ask\")) @call\n";

static void load_rules(const char *dir, pl_ruleset *rules)
{
	test_write_text(dir, "rules.yaml", rules_yaml);
	char *path = test_join(dir, "rules.yaml");
	pl_diags d = PL_DIAGS_INIT;
	assert_int_equal(pl_ruleset_load_path(rules, path, &d), 1);
	assert_int_equal(pl_ruleset_finish(rules, &d), 0);
	pl_diags_release(&d);
	free(path);
}

/* ---- files that change under the scan ---------------------------------------- */

typedef struct meddler {
	const char *root;
	bool done;
} meddler;

/* Asked about z.py, the last file, once a.py .. e.py are already listed. */
static bool meddle(const char *path, bool is_dir, void *ctx)
{
	meddler *m = ctx;
	if (is_dir || m->done || strcmp(path, "z.py") != 0)
		return false;
	m->done = true;
	char *p = test_join(m->root, "a.py");
	assert_int_equal(unlink(p), 0); /* vanished */
	free(p);
	p = test_join(m->root, "b.py");
	assert_int_equal(unlink(p), 0);
	assert_int_equal(mkfifo(p, 0644), 0); /* a FIFO now: must not block */
	free(p);
	p = test_join(m->root, "c.py");
	assert_int_equal(unlink(p), 0);
	assert_int_equal(mkdir(p, 0755), 0); /* a directory now */
	free(p);
	/* d.py grows past --max-file-size: left out as the walker would have. */
	pl_strbuf big = PL_STRBUF_INIT;
	while (big.len < 4096)
		pl_strbuf_adds(&big, "ask(1)\n");
	test_write_text(m->root, "d.py", big.buf);
	pl_strbuf_release(&big);
	test_write_bytes(m->root, "e.py", "ask(1)\n\0\0", 9); /* binary now */
	return false;
}

static void test_files_change_during_scan(void **state)
{
	(void)state;
	char *dir = test_tmpdir("hostile");
	char *root = test_join(dir, "repo");
	const char *names[] = { "a.py", "b.py", "c.py", "d.py", "e.py", "z.py" };
	for (size_t i = 0; i < 6; i++)
		test_write_text(root, names[i], "ask(1)\n");
	pl_ruleset rules = PL_RULESET_INIT;
	load_rules(dir, &rules);
	meddler m = { root, false };
	for (unsigned jobs = 1; jobs <= 4; jobs += 3) {
		m.done = false;
		for (size_t i = 0; i < 6; i++) { /* restore the tree */
			char *p = test_join(root, names[i]);
			test_rm_rf(p);
			free(p);
			test_write_text(root, names[i], "ask(1)\n");
		}
		pl_scan_options opt = PL_SCAN_OPTIONS_INIT;
		opt.jobs = jobs;
		opt.walk.max_file_size = 1024;
		opt.walk.exclude = meddle;
		opt.walk.exclude_ctx = &m;
		pl_scan_result res = PL_SCAN_RESULT_INIT;
		assert_int_equal(pl_scan(&rules, root, NULL, 0, &opt, &res), 0);
		assert_true(m.done);
		/* Only z.py was scanned as it was listed. */
		assert_int_equal(res.findings.len, 1);
		assert_string_equal(res.findings.items[0].path, "z.py");
		/* a.py, b.py and c.py are named: the scan is incomplete. */
		pl_strbuf errs = PL_STRBUF_INIT;
		for (size_t i = 0; i < res.errors.len; i++)
			pl_strbuf_addf(&errs, "%s: %s\n", res.errors.items[i].path,
				       res.errors.items[i].message);
		assert_int_equal(res.errors.len, 3);
		assert_non_null(strstr(errs.buf, "a.py: cannot read: No such file or directory"));
		assert_non_null(strstr(errs.buf, "b.py: cannot read: no longer a regular file"));
		assert_non_null(strstr(errs.buf, "c.py: cannot read: "));
		pl_strbuf_release(&errs);
		assert_int_equal(res.stats.too_large, 1);
		assert_int_equal(res.stats.binary, 1);
		pl_scan_result_release(&res);
	}
	pl_ruleset_release(&rules);
	test_rm_rf(dir);
	free(root);
	free(dir);
}

/* ---- matching bounds ----------------------------------------------------------- */

static char *nested_calls(unsigned depth)
{
	pl_strbuf sb = PL_STRBUF_INIT;
	pl_strbuf_adds(&sb, "x = ");
	for (unsigned i = 0; i < depth; i++)
		pl_strbuf_adds(&sb, "ask(");
	for (unsigned i = 0; i < depth; i++)
		pl_strbuf_addch(&sb, ')');
	pl_strbuf_addch(&sb, '\n');
	return pl_strbuf_detach(&sb);
}

static void test_deep_code_is_refused(void **state)
{
	(void)state;
	char *dir = test_tmpdir("hostile");
	pl_ruleset rules = PL_RULESET_INIT;
	load_rules(dir, &rules);
	const pl_language *python = pl_language_by_name("python");
	TSParser *parser = ts_parser_new();
	/* Just under the limit: matched (two levels per call, plus the statement). */
	char *ok = nested_calls(PL_SCAN_MAX_TREE_DEPTH / 2 - 4);
	pl_findings found = PL_FINDINGS_INIT;
	pl_diags errors = PL_DIAGS_INIT;
	assert_int_equal(pl_scan_buffer(&rules, parser, python, "ok.py", ok, strlen(ok), &found,
					&errors), 0);
	assert_int_equal(errors.len, 0);
	assert_int_equal(found.len, PL_SCAN_MAX_TREE_DEPTH / 2 - 4);
	pl_findings_release(&found);
	/* The limit exactly: x = ask(...) is 3 + 2n levels deep (module,
	 * statement, assignment, then a call and its arguments per level). */
	char *at = nested_calls((PL_SCAN_MAX_TREE_DEPTH - 3) / 2);
	found = (pl_findings)PL_FINDINGS_INIT;
	assert_int_equal(pl_scan_buffer(&rules, parser, python, "at.py", at, strlen(at), &found,
					&errors), 0);
	assert_int_equal(errors.len, 0);
	pl_findings_release(&found);
	free(at);
	at = nested_calls((PL_SCAN_MAX_TREE_DEPTH - 3) / 2 + 1);
	found = (pl_findings)PL_FINDINGS_INIT;
	assert_int_equal(pl_scan_buffer(&rules, parser, python, "past.py", at, strlen(at), &found,
					&errors), -1);
	assert_int_equal(errors.len, 1);
	assert_non_null(strstr(errors.items[0].message, "nested deeper than"));
	pl_findings_release(&found);
	pl_diags_release(&errors);
	errors = (pl_diags)PL_DIAGS_INIT;
	free(at);
	/* 10,000 levels: refused at once, the file named. */
	char *deep = nested_calls(10000);
	found = (pl_findings)PL_FINDINGS_INIT;
	assert_int_equal(pl_scan_buffer(&rules, parser, python, "deep.py", deep, strlen(deep),
					&found, &errors), -1);
	assert_int_equal(found.len, 0);
	assert_int_equal(errors.len, 1);
	assert_string_equal(errors.items[0].path, "deep.py");
	assert_non_null(strstr(errors.items[0].message, "nested deeper than"));
	pl_findings_release(&found);
	pl_diags_release(&errors);
	free(ok);
	free(deep);
	ts_parser_delete(parser);
	pl_ruleset_release(&rules);
	test_rm_rf(dir);
	free(dir);
}

static void count_match(void *ctx, const pl_capture *caps, size_t n)
{
	(void)caps;
	(void)n;
	(*(size_t *)ctx)++;
}

static void test_match_deadline(void **state)
{
	(void)state;
	const pl_language *python = pl_language_by_name("python");
	pl_compile_error err;
	const char *q = "(call function: (identifier) @f) @call";
	pl_pattern *p = pl_pattern_compile(NULL, python, q, strlen(q), &err);
	assert_non_null(p);
	char *text = nested_calls(200);
	TSParser *parser = ts_parser_new();
	assert_true(ts_parser_set_language(parser, python->grammar()));
	TSTree *tree = ts_parser_parse_string(parser, NULL, text, (uint32_t)strlen(text));
	pl_source src = { text, strlen(text), tree };
	/* No deadline: every call. */
	pl_match_budget budget = { 0, false, false, 0 };
	size_t n = 0;
	assert_int_equal(pl_pattern_run_bounded(p, &src, &budget, count_match, &n), 200);
	assert_false(budget.over_time);
	assert_false(budget.over_matches);
	/* A deadline already past: the run stops and says so. */
	budget = (pl_match_budget){ pl_match_clock_ms() - 1, false, false, 0 };
	n = 0;
	pl_pattern_run_bounded(p, &src, &budget, count_match, &n);
	assert_true(budget.over_time);
	assert_true(n < 200);
	/* Once over time, further runs do nothing. */
	n = 0;
	assert_int_equal(pl_pattern_run_bounded(p, &src, &budget, count_match, &n), 0);
	ts_tree_delete(tree);
	ts_parser_delete(parser);
	free(text);
	pl_pattern_delete(p);
}

/* ---- grammar scanners' limits --------------------------------------------------- */

/* 600 indentation levels and an open string: tree-sitter-python's scanner
 * wrote past its state buffer (cmake/TreeSitter.cmake patches it); a debug
 * runtime aborted on its assertion, a release build crashed. */
static void test_python_deep_indentation(void **state)
{
	(void)state;
	pl_strbuf sb = PL_STRBUF_INIT;
	for (unsigned i = 0; i < 600; i++) {
		for (unsigned k = 0; k < i; k++)
			pl_strbuf_addch(&sb, ' ');
		pl_strbuf_adds(&sb, "if 1:\n");
	}
	for (unsigned k = 0; k < 600; k++)
		pl_strbuf_addch(&sb, ' ');
	pl_strbuf_adds(&sb, "'a");
	TSParser *parser = ts_parser_new();
	assert_true(ts_parser_set_language(parser, pl_language_by_name("python")->grammar()));
	TSTree *tree = ts_parser_parse_string(parser, NULL, sb.buf, (uint32_t)sb.len);
	assert_non_null(tree);
	ts_tree_delete(tree);
	ts_parser_delete(parser);
	pl_strbuf_release(&sb);
}

static pl_config_status read_yaml(const char *text, pl_config_error *err)
{
	TSParser *parser = ts_parser_new();
	pl_config cfg = { 0 };
	pl_config_status st = pl_config_read_yaml(&cfg, parser, text, strlen(text), err);
	pl_config_release(&cfg);
	ts_parser_delete(parser);
	return st;
}

/* What tree-sitter-yaml cannot read faithfully is a limit, not a skip. */
static void test_yaml_beyond_parser(void **state)
{
	(void)state;
	pl_config_error err;
	pl_strbuf sb = PL_STRBUF_INIT;
	/* 1,000 levels of block mappings: past the scanner's state buffer. */
	for (unsigned i = 0; i < 1000; i++) {
		for (unsigned k = 0; k < i; k++)
			pl_strbuf_addch(&sb, ' ');
		pl_strbuf_adds(&sb, "k:\n");
	}
	assert_int_equal(read_yaml(sb.buf, &err), PL_CONFIG_LIMIT);
	assert_int_equal(err.line, 122);
	assert_non_null(strstr(err.message, "deeper than prodlint reads"));
	/* Compact sequences nest on one line. */
	pl_strbuf_reset(&sb);
	pl_strbuf_adds(&sb, "a:\n");
	for (unsigned i = 0; i < 70; i++)
		pl_strbuf_adds(&sb, "- ");
	pl_strbuf_adds(&sb, "x\n");
	assert_int_equal(read_yaml(sb.buf, &err), PL_CONFIG_LIMIT);
	assert_int_equal(err.line, 2);
	/* Deep but within bounds: read. */
	pl_strbuf_reset(&sb);
	for (unsigned i = 0; i < 50; i++) {
		for (unsigned k = 0; k < 2 * i; k++)
			pl_strbuf_addch(&sb, ' ');
		pl_strbuf_adds(&sb, "- k:\n");
	}
	assert_int_equal(read_yaml(sb.buf, &err), PL_CONFIG_OK);
	/* 32,769 lines: the scanner's row counter wraps (tree-sitter-yaml#49);
	 * 32,768 are fine. */
	pl_strbuf_reset(&sb);
	for (unsigned i = 0; i < 32768; i++)
		pl_strbuf_addf(&sb, "k%u: %u\n", i, i);
	assert_int_equal(read_yaml(sb.buf, &err), PL_CONFIG_OK);
	pl_strbuf_adds(&sb, "last: 1\n");
	assert_int_equal(read_yaml(sb.buf, &err), PL_CONFIG_LIMIT);
	assert_int_equal(err.line, 32769);
	pl_strbuf_release(&sb);
}

/* ---- encodings ------------------------------------------------------------------- */

static void test_utf16_to_utf8(void **state)
{
	(void)state;
	char *out;
	size_t len;
	assert_false(pl_utf16_to_utf8("ab", 2, &out, &len));
	assert_false(pl_utf16_to_utf8("\xff", 1, &out, &len));
	/* LE: "a\r\n", e-acute, U+1F600 as a surrogate pair. */
	static const char le[] = "\xff\xfe" "a\0\r\0\n\0" "\xe9\0" "\x3d\xd8\x00\xde";
	assert_true(pl_utf16_to_utf8(le, sizeof(le) - 1, &out, &len));
	assert_int_equal(len, 3 + 2 + 4);
	assert_memory_equal(out, "a\r\n\xc3\xa9\xf0\x9f\x98\x80", len);
	assert_int_equal(out[len], '\0');
	free(out);
	/* BE, a lone low surrogate and a trailing odd byte: U+FFFD each. */
	static const char be[] = "\xfe\xff" "\0x" "\xdc\x00" "\x41";
	assert_true(pl_utf16_to_utf8(be, sizeof(be) - 1, &out, &len));
	assert_memory_equal(out, "x\xef\xbf\xbd\xef\xbf\xbd", len);
	free(out);
	/* Only the mark: empty. */
	assert_true(pl_utf16_to_utf8("\xff\xfe", 2, &out, &len));
	assert_int_equal(len, 0);
	free(out);
}

/* ---- rule files from memory ------------------------------------------------------- */

static void test_rule_load_buffer(void **state)
{
	(void)state;
	pl_ruleset rules = PL_RULESET_INIT;
	pl_diags d = PL_DIAGS_INIT;
	/* Not NUL-terminated: the loader reads `len` bytes only. */
	size_t len = strlen(rules_yaml);
	char *copy = malloc(len);
	memcpy(copy, rules_yaml, len);
	assert_int_equal(pl_ruleset_load_buffer(&rules, "mem.yaml", copy, len, &d), 1);
	assert_int_equal(d.len, 0);
	free(copy);
	/* Errors name the given path. */
	assert_int_equal(pl_ruleset_load_buffer(&rules, "bad.yaml", "id: [", 5, &d), -1);
	assert_true(d.len > 0);
	assert_string_equal(d.items[0].path, "bad.yaml");
	pl_diags_release(&d);
	pl_ruleset_release(&rules);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_files_change_during_scan),
		cmocka_unit_test(test_deep_code_is_refused),
		cmocka_unit_test(test_match_deadline),
		cmocka_unit_test(test_python_deep_indentation),
		cmocka_unit_test(test_yaml_beyond_parser),
		cmocka_unit_test(test_utf16_to_utf8),
		cmocka_unit_test(test_rule_load_buffer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

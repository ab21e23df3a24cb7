/*
 * Rule loading: every file in tests/data/rule-errors/ is a broken rule
 * whose first line says `# expect: LINE:COL: message start`. The loader
 * must fail with exactly that location and message. Plus a valid file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rule/rule.h"
#include "util/fs.h"

static char *data_dir(const char *sub)
{
	const char *src = getenv("PRODLINT_SOURCE_DIR");
	char *base = pl_path_join(src ? src : ".", "tests/data");
	char *d = pl_path_join(base, sub);
	free(base);
	return d;
}

static void check_error_case(const char *path)
{
	char *text;
	size_t len;
	assert_int_equal(pl_read_file(path, 1 << 20, &text, &len), PL_READ_OK);
	unsigned line = 0, col = 0;
	char want[256] = "";
	assert_int_equal(sscanf(text, "# expect: %u:%u: %255[^\n]", &line, &col, want), 3);
	free(text);

	pl_ruleset rs = PL_RULESET_INIT;
	pl_diags diags = PL_DIAGS_INIT;
	int rc = pl_ruleset_load_path(&rs, path, &diags);
	if (rc != -1 || diags.len == 0)
		fail_msg("%s: expected a load error", path);
	assert_int_equal(rs.len, 0);
	const pl_diag *d = &diags.items[0];
	if (d->line != line || d->col != col || strncmp(d->message, want, strlen(want)) != 0)
		fail_msg("%s: expected %u:%u: %s\n  got %u:%u: %s", path, line, col, want, d->line,
			 d->col, d->message);
	assert_string_equal(d->path, path);
	pl_diags_release(&diags);
	pl_ruleset_release(&rs);
}

static void test_error_cases(void **state)
{
	(void)state;
	char *dir = data_dir("rule-errors");
	DIR *d = opendir(dir);
	assert_non_null(d);
	struct dirent *de;
	size_t n = 0;
	while ((de = readdir(d)) != NULL) {
		if (!strstr(de->d_name, ".yaml"))
			continue;
		char *path = pl_path_join(dir, de->d_name);
		check_error_case(path);
		free(path);
		n++;
	}
	closedir(d);
	free(dir);
	assert_true(n >= 20);
}

static void test_valid_file_loads_two_rules(void **state)
{
	(void)state;
	char path[] = "/tmp/prodlint-rule-XXXXXX.yaml";
	int fd = mkstemps(path, 5);
	assert_true(fd >= 0);
	const char *yaml =
		"rules:\n"
		"  - id: budget/b\n    title: B\n    severity: note\n    category: budget\n"
		"    checklist: [RD3]\n    rationale: r\n    remediation: r\n"
		"    message: 'call {{c}}'\n"
		"    match:\n      - languages: [javascript, typescript, tsx]\n"
		"        query: (call_expression) @c\n"
		"  - id: budget/a\n    title: A\n    severity: error\n    category: budget\n"
		"    checklist: [RD3, RD1]\n    rationale: r\n    remediation: r\n"
		"    match:\n      - languages: [go]\n        query: (call_expression) @c\n        at: c\n";
	assert_int_equal(write(fd, yaml, strlen(yaml)), (ssize_t)strlen(yaml));
	close(fd);
	pl_ruleset rs = PL_RULESET_INIT;
	pl_diags diags = PL_DIAGS_INIT;
	assert_int_equal(pl_ruleset_load_path(&rs, path, &diags), 2);
	assert_int_equal(diags.len, 0);
	assert_int_equal(pl_ruleset_finish(&rs, &diags), 0);
	assert_string_equal(rs.rules[0]->id, "budget/a");
	assert_int_equal(rs.rules[0]->severity, PL_SEVERITY_ERROR);
	assert_int_equal(rs.rules[0]->checklist_len, 2);
	assert_string_equal(rs.rules[0]->message, "A");
	assert_int_equal(rs.rules[1]->matchers_len, 3);
	assert_true(pl_rule_has_language(rs.rules[1], pl_language_by_name("tsx")));
	assert_false(pl_rule_has_language(rs.rules[1], pl_language_by_name("go")));
	assert_int_equal(rs.rules[1]->source_line, 2);

	/* Loading the same file again: duplicate ids are reported at the second. */
	assert_int_equal(pl_ruleset_load_path(&rs, path, &diags), 2);
	assert_int_equal(pl_ruleset_finish(&rs, &diags), -1);
	assert_int_equal(diags.len, 2);
	assert_non_null(strstr(diags.items[0].message, "duplicate rule id 'budget/a'"));
	pl_diags_release(&diags);
	pl_ruleset_release(&rs);
	unlink(path);
}

static void test_selection_patterns(void **state)
{
	(void)state;
	pl_rule r = { .id = "budget/completion-without-token-cap", .category = "budget" };
	assert_true(pl_rule_pattern_matches("budget", &r));
	assert_true(pl_rule_pattern_matches("budget/*", &r));
	assert_true(pl_rule_pattern_matches("*token*", &r));
	assert_true(pl_rule_pattern_matches("budget/completion-without-token-cap", &r));
	assert_false(pl_rule_pattern_matches("budget/completion", &r));
	assert_false(pl_rule_pattern_matches("reliability/*", &r));
	assert_false(pl_rule_pattern_matches("budge", &r));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_error_cases),
		cmocka_unit_test(test_valid_file_loads_two_rules),
		cmocka_unit_test(test_selection_patterns),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

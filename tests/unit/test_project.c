/*
 * The project configuration (src/project/):
 *   - every file in tests/data/project-errors/ is a broken .prodlint.yaml
 *     whose first line says `# expect: LINE:COL: message start`; loading it
 *     (and, if that succeeds, checking it against a small rule set) must
 *     fail with exactly that location and message;
 *   - a file using every key loads into the expected values, and what it
 *     says is applied: severities, excludes, ignore-findings, attestations;
 *   - `prodlint init`'s template loads, and so does it with every example
 *     uncommented;
 *   - discovery walks up from the root and stops at the repository top.
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

#include "project/project.h"
#include "support.h"
#include "util/fs.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* ---- a rule set without YAML: only ids, categories and checklists matter ---- */

static char *cap_items[] = { "RD3" };
static char *eval_items[] = { "HB1" };
static char *timeout_items[] = { "RD1", "RD2" };
static pl_rule cap_rule = { .id = "budget/completion-without-token-cap", .category = "budget",
			    .checklist = cap_items, .checklist_len = 1,
			    .severity = PL_SEVERITY_WARNING };
static pl_rule eval_rule = { .id = "tool-boundary/eval", .category = "tool-boundary",
			     .checklist = eval_items, .checklist_len = 1,
			     .severity = PL_SEVERITY_ERROR };
static pl_rule timeout_rule = { .id = "reliability/model-call-without-timeout",
				.category = "reliability", .checklist = timeout_items,
				.checklist_len = 2, .severity = PL_SEVERITY_WARNING };
static pl_rule pin_rule = { .id = "rollback/floating-model-alias", .category = "rollback",
			    .checklist = eval_items, .checklist_len = 1,
			    .severity = PL_SEVERITY_NOTE };

static pl_ruleset test_rules(pl_rule **store)
{
	store[0] = &cap_rule;
	store[1] = &eval_rule;
	store[2] = &timeout_rule;
	store[3] = &pin_rule;
	pl_ruleset rs = PL_RULESET_INIT;
	rs.rules = store;
	rs.len = rs.cap = 4;
	return rs;
}

static char *data_dir(const char *sub)
{
	const char *src = getenv("PRODLINT_SOURCE_DIR");
	char *base = pl_path_join(src ? src : ".", "tests/data");
	char *d = pl_path_join(base, sub);
	free(base);
	return d;
}

/* ---- located errors ------------------------------------------------------- */

static void check_error_case(const char *path)
{
	char *text;
	size_t len;
	assert_int_equal(pl_read_file(path, 1 << 20, &text, &len), PL_READ_OK);
	unsigned line = 0, col = 0;
	char want[256] = "";
	assert_int_equal(sscanf(text, "# expect: %u:%u: %255[^\n]", &line, &col, want), 3);
	free(text);

	pl_rule *store[4];
	pl_ruleset rs = test_rules(store);
	pl_project proj = PL_PROJECT_INIT;
	pl_diags diags = PL_DIAGS_INIT;
	int rc = pl_project_load(&proj, path, &diags);
	if (rc == 0)
		rc = pl_project_check_rules(&proj, &rs, &diags);
	if (rc != -1 || diags.len == 0)
		fail_msg("%s: expected an error", path);
	const pl_diag *d = &diags.items[0];
	if (d->line != line || d->col != col || strncmp(d->message, want, strlen(want)) != 0)
		fail_msg("%s: expected %u:%u: %s\n  got %u:%u: %s", path, line, col, want, d->line,
			 d->col, d->message);
	assert_string_equal(d->path, path);
	pl_diags_release(&diags);
	pl_project_release(&proj);
}

static void test_error_cases(void **state)
{
	(void)state;
	char *dir = data_dir("project-errors");
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

/* ---- a valid file ------------------------------------------------------------ */

static const char every_key[] =
	"rules: [extra-rules]\n"
	"builtin-rules: off\n"
	"select: [budget, reliability, tool-boundary]\n"
	"ignore: ['rollback/*']\n"
	"severity:\n"
	"  budget: note\n"
	"  budget/completion-without-token-cap: error   # later entries refine earlier ones\n"
	"  reliability: note\n"
	"exclude:\n"
	"  - vendor/\n"
	"  - '*.generated.py'\n"
	"  - '!keep.generated.py'\n"
	"ignore-findings:\n"
	"  - rule: budget\n"
	"    path: svc/prompts/*.json\n"
	"    line: 12\n"
	"    reason: the prompt runner caps tokens\n"
	"  - rule: tool-boundary/eval\n"
	"    path: svc/legacy/\n"
	"    reason: sandboxed, see ADR-7\n"
	"fail-on: none\n"
	"baseline: .prodlint-baseline.json\n"
	"attest:\n"
	"  - checklist: [RD1, RD2]\n"
	"    rules: [reliability]\n"
	"    reason: the mesh sets timeouts on every egress route\n"
	"  - checklist: [OB1]\n"
	"    reason: tracing is injected by the platform\n";

static pl_finding finding(const pl_rule *rule, const char *path, unsigned line)
{
	pl_finding f = { .rule = rule, .path = pl_xstrdup(path), .line = line, .column = 1,
			 .message = pl_xstrdup("m"), .snippet = pl_xstrdup(""),
			 .matched = pl_xstrdup("x") };
	return f;
}

static void test_every_key(void **state)
{
	(void)state;
	char *tmp = test_tmpdir("project");
	test_write_text(tmp, ".prodlint.yaml", every_key);
	test_mkdirs(tmp, "extra-rules");
	test_mkdirs(tmp, "svc/app");
	char *path = test_join(tmp, ".prodlint.yaml");
	pl_project proj = PL_PROJECT_INIT;
	pl_diags diags = PL_DIAGS_INIT;
	if (pl_project_load(&proj, path, &diags) < 0) {
		pl_diags_print(&diags, stderr, "error");
		fail_msg("the file should load");
	}
	char *rules_dir = test_join(tmp, "extra-rules");
	assert_int_equal(proj.nrules, 1);
	assert_string_equal(proj.rules[0], rules_dir);
	assert_int_equal(proj.builtin_rules, 0);
	assert_int_equal(proj.nselect, 3);
	assert_string_equal(proj.select[1].pattern, "reliability");
	assert_int_equal(proj.select[1].line, 3);
	assert_int_equal(proj.select[1].col, 18);
	assert_int_equal(proj.nignore, 1);
	assert_string_equal(proj.ignore[0].pattern, "rollback/*");
	assert_int_equal(proj.nseverity, 3);
	assert_true(proj.has_fail_on);
	assert_int_equal(proj.fail_on, PL_SEVERITY_NONE);
	char *base = test_join(tmp, ".prodlint-baseline.json");
	assert_string_equal(proj.baseline, base);
	assert_int_equal(proj.nignore_findings, 2);
	assert_int_equal(proj.ignore_findings[0].line, 12);
	assert_int_equal(proj.ignore_findings[1].line, 0);
	assert_int_equal(proj.nattest, 2);
	assert_int_equal(proj.attest[0].nchecklist, 2);
	assert_int_equal(proj.attest[1].nrules, 0);
	assert_true(pl_project_attests(&proj, "OB1"));
	assert_false(pl_project_attests(&proj, "RD3"));

	/* Checked and applied to the rules: severities in file order. */
	pl_rule *store[4];
	pl_ruleset rs = test_rules(store);
	assert_int_equal(pl_project_check_rules(&proj, &rs, &diags), 0);
	pl_severity saved[4];
	for (size_t i = 0; i < 4; i++)
		saved[i] = store[i]->severity;
	pl_project_apply_severity(&proj, &rs);
	assert_int_equal(cap_rule.severity, PL_SEVERITY_ERROR);
	assert_int_equal(timeout_rule.severity, PL_SEVERITY_NOTE);
	assert_int_equal(eval_rule.severity, PL_SEVERITY_ERROR);
	for (size_t i = 0; i < 4; i++)
		store[i]->severity = saved[i];

	/* Excludes: gitignore lines relative to the file's directory, here the
	 * parent of the scan root `svc`. */
	char *root = test_join(tmp, "svc");
	assert_int_equal(pl_project_bind_root(&proj, root), 0);
	assert_true(pl_project_excludes(&proj, "vendor", true));
	assert_false(pl_project_excludes(&proj, "vendor", false)); /* `vendor/`: directories only */
	assert_true(pl_project_excludes(&proj, "vendor/lib/x.py", false));
	assert_true(pl_project_excludes(&proj, "app/schema.generated.py", false));
	assert_false(pl_project_excludes(&proj, "app/keep.generated.py", false));
	assert_false(pl_project_excludes(&proj, "app/main.py", false));

	/* ignore-findings (paths relative to the file: svc/... from root svc)
	 * and attestations. */
	pl_findings fs = PL_FINDINGS_INIT;
	pl_finding f;
	f = finding(&cap_rule, "prompts/a.json", 12);        /* ignored: rule, path, line */
	pl_findings_push(&fs, &f);
	f = finding(&cap_rule, "prompts/a.json", 13);        /* other line: kept */
	pl_findings_push(&fs, &f);
	f = finding(&eval_rule, "legacy/old/run.py", 3);     /* ignored: under svc/legacy/ */
	pl_findings_push(&fs, &f);
	f = finding(&eval_rule, "app/run.py", 3);            /* kept */
	pl_findings_push(&fs, &f);
	f = finding(&timeout_rule, "app/llm.py", 9);         /* attested */
	pl_findings_push(&fs, &f);
	assert_int_equal(pl_project_filter(&proj, &fs), 3);
	assert_int_equal(fs.len, 2);
	assert_int_equal(fs.items[0].line, 13);
	assert_string_equal(fs.items[1].path, "app/run.py");
	assert_int_equal(proj.ignore_findings[0].hits, 1);
	assert_int_equal(proj.ignore_findings[1].hits, 1);
	assert_int_equal(proj.attest[0].hits, 1);
	pl_findings_release(&fs);

	/* A root outside the file's directory: nothing there is matched. */
	assert_int_equal(pl_project_bind_root(&proj, "/"), 0);
	assert_false(pl_project_excludes(&proj, "vendor/x.py", false));

	pl_diags_release(&diags);
	pl_project_release(&proj);
	test_rm_rf(tmp);
	free(root);
	free(base);
	free(rules_dir);
	free(path);
	free(tmp);
}

static void test_empty_files_are_valid(void **state)
{
	(void)state;
	static const char *const texts[] = { "", "# nothing yet\n", "{}\n", "---\n" };
	char *tmp = test_tmpdir("project-empty");
	char *path = test_join(tmp, ".prodlint.yaml");
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		test_write_text(tmp, ".prodlint.yaml", texts[i]);
		pl_project proj = PL_PROJECT_INIT;
		pl_diags diags = PL_DIAGS_INIT;
		if (pl_project_load(&proj, path, &diags) < 0)
			fail_msg("%zu: '%s' should load: %s", i, texts[i], diags.items[0].message);
		assert_int_equal(proj.builtin_rules, -1);
		assert_false(proj.has_fail_on);
		pl_project_release(&proj);
	}
	test_rm_rf(tmp);
	free(path);
	free(tmp);
}

/* ---- the init template --------------------------------------------------------- */

/* The template with its examples uncommented: `# key:` and `#   ...` lines. */
static char *uncomment(const char *text)
{
	pl_strbuf sb = PL_STRBUF_INIT;
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p + 1) : strlen(p);
		bool example = false;
		if (n > 4 && p[0] == '#' && p[1] == ' ') {
			const char *q = p + 2;
			if (q[0] == ' ' && q[1] == ' ')
				example = true;
			while (*q == '-' || (*q >= 'a' && *q <= 'z'))
				q++;
			example |= q > p + 2 && *q == ':';
		}
		pl_strbuf_add(&sb, example ? p + 2 : p, example ? n - 2 : n);
		p += n;
	}
	return pl_strbuf_detach(&sb);
}

static void test_template(void **state)
{
	(void)state;
	char *tmp = test_tmpdir("project-init");
	char *path = test_join(tmp, ".prodlint.yaml");
	pl_rule *store[4];
	pl_ruleset rs = test_rules(store);
	for (int pass = 0; pass < 2; pass++) {
		char *text = pass ? uncomment(pl_project_template()) : pl_xstrdup(pl_project_template());
		test_write_text(tmp, ".prodlint.yaml", text);
		test_mkdirs(tmp, "prodlint-rules");
		pl_project proj = PL_PROJECT_INIT;
		pl_diags diags = PL_DIAGS_INIT;
		int rc = pl_project_load(&proj, path, &diags);
		if (rc == 0)
			rc = pl_project_check_rules(&proj, &rs, &diags);
		if (rc < 0)
			fail_msg("template (pass %d) at %u:%u: %s\n%s", pass, diags.items[0].line,
				 diags.items[0].col, diags.items[0].message, text);
		/* The defaults are written out; the examples are not in effect. */
		assert_int_equal(proj.builtin_rules, 1);
		assert_true(proj.has_fail_on);
		assert_int_equal(proj.fail_on, PL_SEVERITY_WARNING);
		if (pass) {
			/* Every key is shown. */
			assert_int_equal(proj.nrules, 1);
			assert_true(proj.nselect && proj.nignore && proj.nseverity && proj.exclude &&
				    proj.nignore_findings && proj.baseline && proj.nattest);
		} else {
			assert_int_equal(proj.nselect + proj.nattest + proj.nseverity, 0);
		}
		pl_project_release(&proj);
		pl_diags_release(&diags);
		free(text);
	}
	test_rm_rf(tmp);
	free(path);
	free(tmp);
}

/* ---- discovery ------------------------------------------------------------------ */

static void test_discovery(void **state)
{
	(void)state;
	char *tmp = test_tmpdir("project-find");
	test_mkdirs(tmp, "top/repo/svc/app");
	char *app = test_join(tmp, "top/repo/svc/app");
	char *cwd = getcwd(NULL, 0);
	assert_int_equal(chdir(app), 0);

	/* Nothing anywhere up to / (assuming none there): NULL. */
	char *found = pl_project_discover(".");
	if (found && strncmp(found, "../../../../", 12) != 0)
		fail_msg("unexpected config found: %s", found);
	free(found);

	/* Above the root, shown relative to the current directory. */
	test_write_text(tmp, "top/.prodlint.yaml", "");
	found = pl_project_discover(".");
	assert_non_null(found);
	assert_string_equal(found, "../../../.prodlint.yaml");
	free(found);

	/* The repository top ends the search: top's file is not the repo's. */
	test_mkdirs(tmp, "top/repo/.git");
	found = pl_project_discover(".");
	assert_null(found);
	test_write_text(tmp, "top/repo/.prodlint.yaml", ""); /* at the top itself: found */
	found = pl_project_discover("..");
	assert_string_equal(found, "../../.prodlint.yaml");
	free(found);

	/* The nearest one wins; a root below the current directory. */
	test_write_text(tmp, "top/repo/svc/app/.prodlint.yaml", "");
	assert_int_equal(chdir(tmp), 0);
	found = pl_project_discover("top/repo/svc/app");
	assert_string_equal(found, "top/repo/svc/app/.prodlint.yaml");
	free(found);

	assert_int_equal(chdir(cwd), 0);
	test_rm_rf(tmp);
	free(cwd);
	free(app);
	free(tmp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_error_cases),
		cmocka_unit_test(test_every_key),
		cmocka_unit_test(test_empty_files_are_valid),
		cmocka_unit_test(test_template),
		cmocka_unit_test(test_discovery),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

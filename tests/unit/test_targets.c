/*
 * Unit tests for targeted scans: changed-line sets (util/line_range.h), what
 * the git module reports as changed (src/git/: staged content from the
 * index, hunks as line ranges, deletions, untracked and unborn cases), and
 * the scan's filtering (src/scan/: findings only in targets, and only on
 * changed lines when given; repository-level findings attributed to the
 * change).
 *
 * Repositories are made with the git command line in scratch directories,
 * with the caller's git configuration shut out (support.h).
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

#include "git/git.h"
#include "scan/scan.h"
#include "support.h"
#include "util/line_range.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* ---- line ranges ------------------------------------------------------------- */

static char *ranges_text(const pl_line_ranges *r)
{
	pl_strbuf sb = PL_STRBUF_INIT;
	for (size_t i = 0; i < r->len; i++)
		pl_strbuf_addf(&sb, "%s%u-%u", i ? " " : "", r->items[i].first, r->items[i].last);
	return pl_strbuf_detach(&sb);
}

static void test_line_ranges(void **state)
{
	(void)state;
	pl_line_ranges r = PL_LINE_RANGES_INIT;
	assert_false(pl_line_ranges_touch(&r, 1, 100));
	pl_line_ranges_add(&r, 10, 12);
	pl_line_ranges_add(&r, 3, 3);
	pl_line_ranges_add(&r, 20, 18); /* backwards */
	char *t = ranges_text(&r);
	assert_string_equal(t, "3-3 10-12 18-20");
	free(t);
	pl_line_ranges_add(&r, 13, 13); /* adjacent: merged */
	pl_line_ranges_add(&r, 4, 9);   /* fills the gap between two */
	t = ranges_text(&r);
	assert_string_equal(t, "3-13 18-20");
	free(t);
	pl_line_ranges_add(&r, 0, 0); /* 0 is line 1 */
	pl_line_ranges_add(&r, 30, 40);
	pl_line_ranges_add(&r, 15, 35); /* swallows two */
	t = ranges_text(&r);
	assert_string_equal(t, "1-1 3-13 15-40");
	free(t);
	/* Spans: touching means sharing a line. */
	assert_true(pl_line_ranges_touch(&r, 1, 1));
	assert_false(pl_line_ranges_touch(&r, 2, 2));
	assert_true(pl_line_ranges_touch(&r, 2, 3));
	assert_false(pl_line_ranges_touch(&r, 14, 14));
	assert_true(pl_line_ranges_touch(&r, 14, 15));
	assert_true(pl_line_ranges_touch(&r, 40, 50));
	assert_false(pl_line_ranges_touch(&r, 41, 50));
	assert_true(pl_line_ranges_touch(&r, 50, 2)); /* backwards span */
	pl_line_ranges copy;
	pl_line_ranges_copy(&copy, &r);
	char *a = ranges_text(&r), *b = ranges_text(&copy);
	assert_string_equal(a, b);
	free(a);
	free(b);
	pl_line_ranges_release(&copy);
	pl_line_ranges_release(&r);
}

/* ---- git ---------------------------------------------------------------------- */

typedef struct fixture {
	char *dir;               /* scratch */
	char *repo;              /* dir/repo */
	char *home;
} fixture;

static int setup(void **state)
{
	fixture *fx = pl_xcalloc(1, sizeof(*fx));
	fx->dir = test_tmpdir("targets");
	fx->repo = test_join(fx->dir, "repo");
	fx->home = test_join(fx->dir, "home");
	test_mkdirs(fx->dir, "home");
	test_mkdirs(fx->dir, "repo");
	test_isolate_git_env(fx->home);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	fixture *fx = *state;
	test_rm_rf(fx->dir);
	free(fx->dir);
	free(fx->repo);
	free(fx->home);
	free(fx);
	return 0;
}

static void sh(const fixture *fx, const char *cmd)
{
	pl_strbuf sb = PL_STRBUF_INIT;
	pl_strbuf_addf(&sb, "cd '%s' && (%s) >/dev/null 2>&1", fx->repo, cmd);
	int rc = system(sb.buf);
	if (rc != 0)
		fail_msg("command failed (%d): %s", rc, cmd);
	pl_strbuf_release(&sb);
}

static void fresh_repo(const fixture *fx)
{
	test_rm_rf(fx->repo);
	test_mkdirs(fx->dir, "repo");
	sh(fx, "git init -q -b main . && git config user.name t && git config user.email t@t");
}

static bool have_git(void)
{
	return system("git --version >/dev/null 2>&1") == 0;
}

static const pl_git_change *change(const pl_git_changes *ch, const char *path)
{
	for (size_t i = 0; i < ch->len; i++)
		if (strcmp(ch->items[i].path, path) == 0)
			return &ch->items[i];
	return NULL;
}

static const char ten_lines[] = "l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\nl10\n";

static void test_changed_since(void **state)
{
	fixture *fx = *state;
	if (!have_git())
		skip();
	fresh_repo(fx);
	test_write_text(fx->repo, "a.txt", ten_lines);
	test_write_text(fx->repo, "b.txt", "gone\n");
	test_write_text(fx->repo, "c.txt", "same\n");
	sh(fx, "git add -A && git commit -qm one");
	/* line 3 changed, line 6 deleted, two lines added at the end; b deleted;
	 * an untracked file; an ignored one. */
	test_write_text(fx->repo, "a.txt", "l1\nl2\nL3\nl4\nl5\nl7\nl8\nl9\nl10\nn1\nn2\n");
	sh(fx, "git rm -q b.txt");
	test_write_text(fx->repo, "new/d.txt", "new\n");
	test_write_text(fx->repo, ".gitignore", "*.log\n");
	test_write_text(fx->repo, "x.log", "ignored\n");

	pl_diags d = PL_DIAGS_INIT;
	pl_git *g = pl_git_open(fx->repo, &d);
	assert_non_null(g);
	assert_string_equal(pl_git_top(g), fx->repo);
	pl_git_changes ch = PL_GIT_CHANGES_INIT;
	assert_int_equal(pl_git_changed_since(g, "HEAD", &ch, &d), 0);
	assert_int_equal(d.len, 0);
	assert_int_equal(ch.len, 4); /* .gitignore, a.txt, b.txt, new/d.txt */
	assert_string_equal(ch.items[0].path, ".gitignore");

	const pl_git_change *a = change(&ch, "a.txt");
	assert_non_null(a);
	assert_false(a->all_lines);
	assert_false(a->deleted);
	assert_null(a->text); /* the work tree's */
	assert_true(a->has_base);
	assert_string_equal(a->base_text, ten_lines);
	char *t = ranges_text(&a->lines);
	/* 3; the gap where line 6 was (new lines 5 and 6); the two new lines */
	assert_string_equal(t, "3-3 5-6 10-11");
	free(t);

	const pl_git_change *b = change(&ch, "b.txt");
	assert_non_null(b);
	assert_true(b->deleted);
	assert_true(b->has_base);
	assert_string_equal(b->base_text, "gone\n");

	const pl_git_change *n = change(&ch, "new/d.txt");
	assert_non_null(n);
	assert_true(n->all_lines);
	assert_false(n->has_base);
	assert_null(change(&ch, "c.txt"));
	assert_null(change(&ch, "x.log"));
	pl_git_changes_release(&ch);

	/* An unknown revision is an error that names it. */
	assert_int_equal(pl_git_changed_since(g, "no-such-branch", &ch, &d), -1);
	assert_int_equal(d.len, 1);
	assert_non_null(strstr(d.items[0].message, "no-such-branch"));
	pl_diags_release(&d);
	pl_git_close(g);
}

static void test_staged(void **state)
{
	fixture *fx = *state;
	if (!have_git())
		skip();
	fresh_repo(fx);
	/* Unborn branch: every index entry is new. */
	test_write_text(fx->repo, "a.py", "x = 1\n");
	sh(fx, "git add a.py");
	pl_diags d = PL_DIAGS_INIT;
	pl_git *g = pl_git_open(fx->repo, &d);
	assert_non_null(g);
	pl_git_changes ch = PL_GIT_CHANGES_INIT;
	assert_int_equal(pl_git_staged(g, &ch, &d), 0);
	assert_int_equal(ch.len, 1);
	assert_true(ch.items[0].all_lines);
	assert_false(ch.items[0].has_base);
	assert_string_equal(ch.items[0].text, "x = 1\n");
	pl_git_changes_release(&ch);
	char *text = NULL;
	size_t len;
	assert_int_equal(pl_git_read_head(g, "a.py", &text, &len), 0);
	pl_git_close(g);

	sh(fx, "git commit -qm one");
	/* Staged one thing, then edited the work tree again: the index wins. */
	test_write_text(fx->repo, "a.py", "x = 2\n");
	test_write_text(fx->repo, "b.py", "y = 1\n");
	sh(fx, "git add a.py b.py");
	test_write_text(fx->repo, "a.py", "x = 3  # not staged\n");
	test_write_text(fx->repo, "c.py", "untracked = True\n");
	g = pl_git_open(fx->repo, &d);
	assert_int_equal(pl_git_staged(g, &ch, &d), 0);
	assert_int_equal(ch.len, 2);
	const pl_git_change *a = change(&ch, "a.py");
	assert_string_equal(a->text, "x = 2\n");
	assert_true(a->has_base);
	assert_string_equal(a->base_text, "x = 1\n");
	assert_true(a->all_lines);
	const pl_git_change *b = change(&ch, "b.py");
	assert_string_equal(b->text, "y = 1\n");
	assert_false(b->has_base);
	assert_null(change(&ch, "c.py"));
	pl_git_changes_release(&ch);

	/* A staged deletion, the file still on disk (git rm --cached). */
	sh(fx, "git commit -qm two && git rm -q --cached b.py");
	assert_int_equal(pl_git_staged(g, &ch, &d), 0);
	assert_int_equal(ch.len, 1);
	assert_true(ch.items[0].deleted);
	assert_string_equal(ch.items[0].base_text, "y = 1\n");
	pl_git_changes_release(&ch);

	assert_int_equal(pl_git_read_head(g, "a.py", &text, &len), 1);
	assert_string_equal(text, "x = 2\n");
	free(text);
	assert_int_equal(pl_git_read_head(g, "nope.py", &text, &len), 0);
	assert_int_equal(d.len, 0);
	pl_git_close(g);

	/* Outside any work tree. */
	char *outside = test_join(fx->dir, "home");
	assert_null(pl_git_open(outside, &d));
	assert_int_equal(d.len, 1);
	pl_diags_release(&d);
	free(outside);
}

/* ---- the scan ------------------------------------------------------------------- */

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
	"  - id: eval-gate/asks-without-evals\n"
	"    title: asks, no evals\n"
	"    severity: error\n"
	"    category: eval-gate\n"
	"    checklist: [QG1]\n"
	"    rationale: r\n"
	"    remediation: r\n"
	"    repo:\n"
	"      when: [asks]\n"
	"      unless: [has-evals]\n"
	"facts:\n"
	"  - fact: asks\n"
	"    description: asks\n"
	"    match:\n"
	"      - languages: [python]\n"
	"        query: |\n          (call function: (identifier) @f (#eq? @f \"ask\")) @call\n"
	"  - fact: has-evals\n"
	"    description: an eval\n"
	"    match:\n"
	"      - languages: [python]\n"
	"        query: |\n          (call function: (identifier) @f (#eq? @f \"run_evals\")) @call\n";

static const char many_asks[] =
	"ask(1)\n"        /* 1 */
	"\n"
	"x = ask(\n"      /* 3 */
	"    2,\n"        /* 4 */
	"    3)\n"        /* 5 */
	"\n"
	"ask(4)\n";       /* 7 */

/* "path:line rule" per finding, sorted, after a scan of fx->repo. */
static char *scan_text(const fixture *fx, pl_ruleset *rules, const pl_scan_options *opt,
		       const char *const *paths, size_t npaths)
{
	char *cwd = getcwd(NULL, 0);
	assert_int_equal(chdir(fx->repo), 0);
	pl_scan_result res = PL_SCAN_RESULT_INIT;
	assert_int_equal(pl_scan(rules, ".", paths, npaths, opt, &res), 0);
	assert_int_equal(chdir(cwd), 0);
	free(cwd);
	pl_strbuf sb = PL_STRBUF_INIT;
	for (size_t i = 0; i < res.findings.len; i++)
		pl_strbuf_addf(&sb, "%s:%u %s\n", res.findings.items[i].path,
			       res.findings.items[i].line, res.findings.items[i].rule->id);
	pl_scan_result_release(&res);
	return pl_strbuf_detach(&sb);
}

static void load(const fixture *fx, pl_ruleset *rules)
{
	test_write_text(fx->dir, "rules.yaml", rules_yaml);
	char *path = test_join(fx->dir, "rules.yaml");
	pl_diags d = PL_DIAGS_INIT;
	assert_true(pl_ruleset_load_path(rules, path, &d) > 0);
	assert_int_equal(pl_ruleset_finish(rules, &d), 0);
	pl_diags_release(&d);
	free(path);
}

static void test_scan_changed_lines(void **state)
{
	fixture *fx = *state;
	test_rm_rf(fx->repo);
	test_mkdirs(fx->dir, "repo");
	test_write_text(fx->repo, "a.py", many_asks);
	test_write_text(fx->repo, "b.py", many_asks);
	test_write_text(fx->repo, "c.py", many_asks);
	pl_ruleset rules = PL_RULESET_INIT;
	load(fx, &rules);

	/* Full scan: everything, the repo finding at the first evidence. */
	pl_scan_options opt = PL_SCAN_OPTIONS_INIT;
	opt.jobs = 2;
	char *all = scan_text(fx, &rules, &opt, NULL, 0);
	assert_string_equal(all, "a.py:1 budget/ask\na.py:1 eval-gate/asks-without-evals\n"
				 "a.py:3 budget/ask\na.py:7 budget/ask\n"
				 "b.py:1 budget/ask\nb.py:3 budget/ask\nb.py:7 budget/ask\n"
				 "c.py:1 budget/ask\nc.py:3 budget/ask\nc.py:7 budget/ask\n");
	free(all);

	/* b.py, line 4 changed (inside the call spanning 3-5); c.py whole. */
	pl_line_ranges lines = PL_LINE_RANGES_INIT;
	pl_line_ranges_add(&lines, 4, 4);
	pl_scan_target targets[] = { { "b.py", false, NULL, 0, &lines },
				     { "c.py", false, NULL, 0, NULL } };
	opt.targeted = true;
	opt.targets = targets;
	opt.ntargets = 2;
	char *some = scan_text(fx, &rules, &opt, NULL, 0);
	/* a.py is not reported on, though the repo finding's evidence (asks)
	 * is in b.py and c.py too: it is reported, at a.py:1 */
	assert_string_equal(some, "a.py:1 eval-gate/asks-without-evals\n"
				  "b.py:3 budget/ask\n"
				  "c.py:1 budget/ask\nc.py:3 budget/ask\nc.py:7 budget/ask\n");
	free(some);

	/* Given content: the target's text comes from the caller (a staged blob). */
	static const char staged[] = "run_evals()\nask(9)\n";
	pl_scan_target blob[] = { { "b.py", false, staged, sizeof(staged) - 1, NULL } };
	opt.targets = blob;
	opt.ntargets = 1;
	char *st = scan_text(fx, &rules, &opt, NULL, 0);
	/* The eval in the staged b.py silences the repo rule for the whole repository. */
	assert_string_equal(st, "b.py:2 budget/ask\n");
	free(st);

	/* Deleted: gone from the repository even though it is still on disk. */
	pl_scan_target gone[] = { { "c.py", true, NULL, 0, NULL } };
	opt.targets = gone;
	opt.ntargets = 1;
	char *del = scan_text(fx, &rules, &opt, NULL, 0);
	assert_string_equal(del, ""); /* the rule still fires, but the change holds none of it */
	free(del);

	/* Explicit paths: those files, whole. */
	pl_scan_options plain = PL_SCAN_OPTIONS_INIT;
	const char *const named[] = { "c.py" };
	char *one = scan_text(fx, &rules, &plain, named, 1);
	assert_string_equal(one, "a.py:1 eval-gate/asks-without-evals\n"
				 "c.py:1 budget/ask\nc.py:3 budget/ask\nc.py:7 budget/ask\n");
	free(one);
	pl_line_ranges_release(&lines);
	pl_ruleset_release(&rules);
}

/* The base: a repo-level finding the change brought is reported even when
 * none of its evidence is in the changed files. */
typedef struct base_ctx {
	const char *path;
	const char *text;
} base_ctx;

static int read_base(void *ctx, const char *path, char **text, size_t *len)
{
	const base_ctx *b = ctx;
	if (strcmp(path, b->path) != 0)
		return -1;
	if (!b->text)
		return 0;
	*text = pl_xstrdup(b->text);
	*len = strlen(b->text);
	return 1;
}

static void test_scan_base(void **state)
{
	fixture *fx = *state;
	test_rm_rf(fx->repo);
	test_mkdirs(fx->dir, "repo");
	test_write_text(fx->repo, "a.py", "ask(1)\n");
	test_write_text(fx->repo, "evals.py", "print('evals removed')\n");
	pl_ruleset rules = PL_RULESET_INIT;
	load(fx, &rules);
	pl_scan_options opt = PL_SCAN_OPTIONS_INIT;
	pl_scan_target t[] = { { "evals.py", false, NULL, 0, NULL } };
	opt.targeted = true;
	opt.targets = t;
	opt.ntargets = 1;
	/* Without a base: the finding is at a.py, no evidence in evals.py. */
	char *no_base = scan_text(fx, &rules, &opt, NULL, 0);
	assert_string_equal(no_base, "");
	free(no_base);
	/* Before the change evals.py ran the evals: the change brought the finding. */
	base_ctx had_evals = { "evals.py", "run_evals()\n" };
	pl_scan_base base = { read_base, &had_evals };
	opt.base = &base;
	char *brought = scan_text(fx, &rules, &opt, NULL, 0);
	assert_string_equal(brought, "a.py:1 eval-gate/asks-without-evals\n");
	free(brought);
	/* Before, it fired already (evals.py was new): not this change's. */
	base_ctx was_new = { "evals.py", NULL };
	base.ctx = &was_new;
	char *old = scan_text(fx, &rules, &opt, NULL, 0);
	assert_string_equal(old, "");
	free(old);
	pl_ruleset_release(&rules);
}

/* A file that is not a target still suppresses the repository-level finding
 * reported in it, when a target brings that finding. */
static void test_scan_context_suppression(void **state)
{
	fixture *fx = *state;
	test_rm_rf(fx->repo);
	test_mkdirs(fx->dir, "repo");
	test_write_text(fx->repo, "a.py",
			"# prodlint-ignore eval-gate/asks-without-evals -- evals run elsewhere\n"
			"ask(1)\n");
	test_write_text(fx->repo, "c.py", "ask(2)\n");
	pl_ruleset rules = PL_RULESET_INIT;
	load(fx, &rules);
	pl_scan_options opt = PL_SCAN_OPTIONS_INIT;
	const char *const named[] = { "c.py" };
	char *got = scan_text(fx, &rules, &opt, named, 1);
	assert_string_equal(got, "c.py:1 budget/ask\n");
	free(got);
	opt.no_inline_suppressions = true;
	got = scan_text(fx, &rules, &opt, named, 1);
	assert_string_equal(got, "a.py:2 eval-gate/asks-without-evals\nc.py:1 budget/ask\n");
	free(got);
	pl_ruleset_release(&rules);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_ranges),
		cmocka_unit_test(test_changed_since),
		cmocka_unit_test(test_staged),
		cmocka_unit_test(test_scan_changed_lines),
		cmocka_unit_test(test_scan_base),
		cmocka_unit_test(test_scan_context_suppression),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

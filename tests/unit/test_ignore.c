/*
 * Unit tests for src/walk/ignore.c: git itself is the oracle. Each test
 * builds a tree under /tmp, runs `git init -q` there, walks it the way
 * prodlint's walker does (push a scope on descent, never enter an ignored
 * directory) and compares every entry with `git check-ignore --no-index`,
 * both the verdict (-q) and the deciding line (-v -z). .prodlintignore,
 * which git doesn't know, and the no-repository case are checked against
 * fixed expectations instead.
 *
 * HOME and XDG_CONFIG_HOME point at a fresh directory per test so the
 * developer's own global excludes can't leak into either side.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support.h"
#include "util/diag.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "walk/ignore.h"

/* ---- file system helpers ------------------------------------------------ */

typedef struct fixture {
	char *home; /* HOME for this test; XDG_CONFIG_HOME is home/.xdg */
	char *work; /* scratch directory the test builds its trees in */
} fixture;

static void touch(const char *base, const char *rel)
{
	test_write_bytes(base, rel, "", 0);
}

/* ---- running git -------------------------------------------------------- */

static void add_quoted(pl_strbuf *sb, const char *s)
{
	pl_strbuf_addch(sb, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			pl_strbuf_adds(sb, "'\\''");
		else
			pl_strbuf_addch(sb, *s);
	}
	pl_strbuf_addch(sb, '\'');
}

/* Run `git -C dir <args>` (args already shell-quoted); returns its exit code. */
static int git_status(const char *dir, const char *args)
{
	pl_strbuf cmd = PL_STRBUF_INIT;
	pl_strbuf_adds(&cmd, "git -C ");
	add_quoted(&cmd, dir);
	pl_strbuf_addf(&cmd, " %s >/dev/null 2>&1", args);
	int rc = system(cmd.buf);
	pl_strbuf_release(&cmd);
	assert_true(rc != -1 && WIFEXITED(rc));
	return WEXITSTATUS(rc);
}

static void git_ok(const char *dir, const char *args)
{
	assert_int_equal(git_status(dir, args), 0);
}

/* git's verdict: 1 ignored, 0 not. Anything but exit 0/1 fails the test. */
static bool git_ignored(const char *top, const char *path)
{
	pl_strbuf args = PL_STRBUF_INIT;
	pl_strbuf_adds(&args, "check-ignore -q --no-index -- ");
	add_quoted(&args, path);
	int rc = git_status(top, args.buf);
	pl_strbuf_release(&args);
	if (rc != 0 && rc != 1)
		fail_msg("git check-ignore %s exited %d", path, rc);
	return rc == 0;
}

/* The deciding line per `git check-ignore -v -z`: fields "source", "line",
 * "pattern", "path". Returns false when no pattern matched. */
typedef struct git_match {
	char *source;
	unsigned line;
	char *pattern;
} git_match;

static bool git_verbose(const char *top, const char *path, git_match *m)
{
	/* -z needs --stdin: it keeps odd names (tabs, quotes) unquoted. */
	pl_strbuf cmd = PL_STRBUF_INIT;
	pl_strbuf_adds(&cmd, "printf '%s\\000' ");
	add_quoted(&cmd, path);
	pl_strbuf_adds(&cmd, " | git -C ");
	add_quoted(&cmd, top);
	pl_strbuf_adds(&cmd, " check-ignore -v -z --stdin --no-index 2>/dev/null");
	FILE *p = popen(cmd.buf, "r");
	assert_non_null(p);
	char out[3 * 4096 + 64];
	size_t n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	int rc = pclose(p);
	assert_true(WIFEXITED(rc) && WEXITSTATUS(rc) <= 1);
	pl_strbuf_release(&cmd);
	if (n == 0)
		return false;
	/* source NUL line NUL pattern NUL path NUL */
	const char *f1 = out, *f2 = f1 + strlen(f1) + 1, *f3 = f2 + strlen(f2) + 1;
	assert_true(f3 < out + n);
	m->source = pl_xstrdup(f1);
	m->line = (unsigned)strtoul(f2, NULL, 10);
	m->pattern = pl_xstrdup(f3);
	return true;
}

static bool ends_with_path(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);
	if (lx > ls || strcmp(s + ls - lx, suffix))
		return false;
	return lx == ls || suffix[0] == '/' || s[ls - lx - 1] == '/';
}

/* ---- comparing a walk with git ------------------------------------------ */

typedef struct walk_stats {
	int compared, ignored, kept;
} walk_stats;

/* One entry: our verdict and deciding pattern against git's. git_path is
 * the entry relative to `top`, where git runs. */
static void compare_entry(const pl_ignore *ig, const char *top, const char *rel,
			  const char *git_path, bool is_dir, walk_stats *st)
{
	bool ours = pl_ignore_is_ignored(ig, rel, is_dir);
	bool theirs = git_ignored(top, git_path);
	if (ours != theirs) {
		char *why = pl_ignore_explain(ig, rel, is_dir);
		fail_msg("'%s'%s: prodlint says %s (%s), git says %s", rel, is_dir ? " (dir)" : "",
			 ours ? "ignored" : "not ignored", why ? why : "no pattern",
			 theirs ? "ignored" : "not ignored");
	}
	git_match gm;
	const pl_ignore_pattern *pat = pl_ignore_match(ig, rel, is_dir);
	if (!git_verbose(top, git_path, &gm)) {
		if (pat)
			fail_msg("'%s': git has no pattern, prodlint has %s:%u:%s", rel,
				 pat->source, pat->line, pat->text);
	} else {
		if (!pat)
			fail_msg("'%s': git has %s:%u:%s, prodlint none", rel, gm.source, gm.line, gm.pattern);
		if (pat->line != gm.line || strcmp(pat->text, gm.pattern) ||
		    !ends_with_path(pat->source, gm.source))
			fail_msg("'%s': git has %s:%u:%s, prodlint %s:%u:%s", rel, gm.source, gm.line,
				 gm.pattern, pat->source, pat->line, pat->text);
		free(gm.source);
		free(gm.pattern);
	}
	st->compared++;
	if (ours)
		st->ignored++;
	else
		st->kept++;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/*
 * Walk root/rel_dir like the real walker and compare every entry with git.
 * git_prefix is the root relative to top ("" or "sub/").
 */
static void compare_walk(pl_ignore *ig, const char *root, const char *top,
			 const char *git_prefix, const char *rel_dir, walk_stats *st)
{
	char *abs_dir = *rel_dir ? test_join(root, rel_dir) : pl_xstrdup(root);
	struct dirent **names;
	int n = scandir(abs_dir, &names, NULL, by_name);
	assert_true(n >= 0);
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		if (!strcmp(name, ".") || !strcmp(name, "..") || !strcmp(name, ".git")) {
			free(names[i]);
			continue;
		}
		char *rel = *rel_dir ? test_join(rel_dir, name) : pl_xstrdup(name);
		char *abs = test_join(abs_dir, name);
		char *git_path = pl_xstrdup(rel);
		if (*git_prefix) {
			free(git_path);
			pl_strbuf sb = PL_STRBUF_INIT;
			pl_strbuf_addf(&sb, "%s%s", git_prefix, rel);
			git_path = pl_strbuf_detach(&sb);
		}
		struct stat sst;
		assert_int_equal(lstat(abs, &sst), 0);
		bool is_dir = S_ISDIR(sst.st_mode);
		compare_entry(ig, top, rel, git_path, is_dir, st);
		if (is_dir && !pl_ignore_is_ignored(ig, rel, is_dir)) {
			pl_ignore_push_dir(ig, rel);
			compare_walk(ig, root, top, git_prefix, rel, st);
			pl_ignore_pop_dir(ig);
		}
		free(git_path);
		free(abs);
		free(rel);
		free(names[i]);
	}
	free(names);
	free(abs_dir);
}

/* Our verdict for one path, with the scopes of its parent directories
 * pushed as the walker would have them. */
static bool ignored_at(pl_ignore *ig, const char *rel, bool is_dir)
{
	int pushed = 0;
	for (const char *p = rel; (p = strchr(p, '/')); p++) {
		char *dir = pl_xstrndup(rel, (size_t)(p - rel));
		pl_ignore_push_dir(ig, dir);
		free(dir);
		pushed++;
	}
	bool r = pl_ignore_is_ignored(ig, rel, is_dir);
	while (pushed--)
		pl_ignore_pop_dir(ig);
	return r;
}

typedef struct expect {
	const char *path;
	bool is_dir;
	bool ignored;
} expect;

static void check_expectations(pl_ignore *ig, const expect *e, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		bool got = ignored_at(ig, e[i].path, e[i].is_dir);
		if (got != e[i].ignored)
			fail_msg("'%s': expected %s, got %s", e[i].path,
				 e[i].ignored ? "ignored" : "not ignored", got ? "ignored" : "not ignored");
	}
}

/* ---- fixtures ----------------------------------------------------------- */

static int setup(void **state)
{
	fixture *fx = pl_xcalloc(1, sizeof(*fx));
	fx->home = test_tmpdir("ignore");
	fx->work = test_tmpdir("ignore");
	test_isolate_git_env(fx->home);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	fixture *fx = *state;
	test_rm_rf(fx->home);
	test_rm_rf(fx->work);
	free(fx->home);
	free(fx->work);
	free(fx);
	return 0;
}

/* ---- tests -------------------------------------------------------------- */

/* The pattern zoo: every rule of `man gitignore` plus git's glob corners. */
static const char top_gitignore[] =
	"# a comment\n"
	"#comment-file\n"
	"\\#hash-file\n"
	"\\!bang-file\n"
	"*.log\n"
	"!keep.log\n"
	"/anchored.txt\n"
	"build/\n"
	"doc/**/gen\n"
	"**/cache\n"
	"deep/**\n"
	"nested/path.txt\n"
	"a?c.q\n"
	"[bc]at.q\n"
	"[!x]y.z\n"
	"[[:digit:]]num\n"
	"[[:upper:]]up\n"
	"[]]br\n"
	"[a-c-e]rng\n"
	"trail\\ \n"
	"spaces   \n"
	"br[ack\n"
	"back\\\n"
	"*.o\n"
	"!*.o/\n"
	"foo/*/bar\n"
	"**/x/**/y\n"
	"mid**dle\n"
	"lit\\*star\n"
	"tab\t\n"
	"gen**/z\n"
	"/top-only/\n"
	" lead\n"
	"\n"
	"   \n"
	"odd[[:nope:]]\n"
	"sp[[:space:]]c\n"
	"p[[:punct:]]\n"
	"**/mid/**/\n"
	"\n";

/* BOM + CRLF, and a trailing space before the CR. */
static const char sub_gitignore[] =
	"\xEF\xBB\xBF*.tmp\r\n"
	"!keep.tmp\r\n"
	"/local\r\n"
	"!app.log\r\n"
	"inner/\r\n"
	"trailing-cr-space \r\n"
	"nest/only\r\n"
	"**/deepname\r\n";

static const char *const tree_files[] = {
	"#comment-file", "#hash-file", "!bang-file",
	"app.log", "keep.log", "logs/x.log", "logs/keep.log",
	"anchored.txt", "sub/anchored.txt",
	"build/out.c", "sub2/build", "sub2/notbuild",
	"doc/gen", "doc/a/b/gen", "doc/a/genx",
	"cache/x", "src/cache/y", "src/cachefile",
	"deep/z", "deep/sub/w",
	"nested/path.txt", "other/nested/path.txt",
	"abc.q", "ac.q", "bat.q", "cat.q", "dat.q",
	"ay.z", "xy.z", "1num", "anum", "Aup", "aup", "]br",
	"arng", "crng", "drng", "erng", "-rng",
	"trail ", "trail", "spaces", "spaces   ",
	"br[ack", "back\\", "back",
	"lib.o", "dir.o/f",
	"foo/a/bar", "foo/a/b/bar",
	"x/y", "q/x/r/s/y", "q/x/r/s/t",
	"middle", "midXXdle", "mid",
	"lit*star", "litXstar",
	"tab\t", "tab",
	"gen/z", "gen/a/b/z", "gen/a/b/w", "genx/q/z",
	"top-only/f", "sub/top-only/f",
	" lead", "lead",
	"odd[[:nope:]]",
	"sub/a.tmp", "sub/keep.tmp", "sub/local", "sub/x/local",
	"sub/app.log", "sub/other.log", "sub/inner/f", "sub/trailing-cr-space",
	"sub/nest/only", "nest/only", "sub/a/deepname", "deepname",
	"sub/deeper/b.tmp", "sub/deeper/keep.tmp",
	"lnk/a.tmp",
	"sp\tc", "sp c", "sp\vc", "spxc", "p_", "p]", "pa",
	"m/mid/a/b/f", "m/mid/f",
	"allgone/x", "allgone/keep", "allgone/dir/y",
};

static void build_zoo(const char *top)
{
	test_write_text(top, ".gitignore", top_gitignore);
	test_write_text(top, "sub/.gitignore", sub_gitignore);
	test_write_text(top, "sub/deeper/.gitignore", "!*.tmp\nkeep.tmp"); /* no final newline */
	test_write_text(top, "allgone/.gitignore", "*\n!.gitignore\n!keep\n");
	for (size_t i = 0; i < sizeof(tree_files) / sizeof(tree_files[0]); i++)
		touch(top, tree_files[i]);
	test_mkdirs(top, "empty-dir");
	/* git refuses to follow an in-tree .gitignore symlink. */
	char *lnk = test_join(top, "lnk/.gitignore");
	assert_int_equal(symlink("../sub/.gitignore", lnk), 0);
	free(lnk);
	/* A symlink to a directory is not a directory for `build/`. */
	test_mkdirs(top, "sub3");
	lnk = test_join(top, "sub3/build");
	assert_int_equal(symlink("../doc", lnk), 0);
	free(lnk);
	git_ok(top, "init -q");
}

static void test_zoo_matches_git(void **state)
{
	fixture *fx = *state;
	char *top = test_join(fx->work, "repo");
	build_zoo(top);

	pl_diags diags = PL_DIAGS_INIT;
	pl_ignore *ig = pl_ignore_new_with_diags(top, &diags);
	assert_non_null(ig);
	char *real_top = realpath(top, NULL);
	assert_string_equal(pl_ignore_repo_top(ig), real_top);
	assert_string_equal(pl_ignore_root(ig), real_top);

	walk_stats st = { 0, 0, 0 };
	compare_walk(ig, top, top, "", "", &st);
	print_message("compared %d paths with git: %d ignored, %d not\n", st.compared, st.ignored, st.kept);
	assert_true(st.compared >= 60);
	assert_true(st.ignored >= 25);
	assert_true(st.kept >= 25);

	/* The symlinked .gitignore was refused with a warning. */
	bool warned = false;
	for (size_t i = 0; i < diags.len; i++)
		if (diags.items[i].path && strstr(diags.items[i].path, "lnk/.gitignore"))
			warned = true;
	assert_true(warned);

	/* Fixed answers too, so a git that understood nothing would still fail us. */
	static const expect e[] = {
		{ "#hash-file", false, true }, { "#comment-file", false, false },
		{ "!bang-file", false, true }, { "keep.log", false, false },
		{ "logs/x.log", false, true }, { "sub/app.log", false, false },
		{ "sub/anchored.txt", false, false }, { "anchored.txt", false, true },
		{ "build", true, true }, { "sub2/build", false, false },
		{ "deep", true, false }, { "deep/z", false, true }, { "deep/sub", true, true },
		{ "trail ", false, true }, { "trail", false, false },
		{ "spaces", false, true }, { "spaces   ", false, false },
		{ "br[ack", false, false }, { "back\\", false, false },
		{ "1num", false, true }, { "anum", false, false },
		{ "drng", false, false }, { "-rng", false, true },
		{ "dir.o", true, false }, { "lib.o", false, true },
		{ "foo/a/b/bar", false, false }, { "q/x/r/s/y", false, true },
		{ "genx/q/z", false, true }, { "gen/a/b/w", false, false },
		{ "sub/local", false, true }, { "sub/x/local", false, false },
		{ "sub/trailing-cr-space", false, true }, { "sub/a.tmp", false, true },
		{ "sub/deeper/b.tmp", false, false }, { "sub/deeper/keep.tmp", false, true },
		{ "sub/nest/only", false, true }, { "nest/only", false, false },
		{ "lnk/a.tmp", false, false }, { "tab\t", false, true },
		{ " lead", false, true }, { "lead", false, false },
		{ "sp\tc", false, true }, { "sp\vc", false, false }, { "p]", false, true },
		{ "m/mid/a", true, true }, { "m/mid", true, false },
		{ "allgone/keep", false, false }, { "allgone/x", false, true },
		{ "allgone/.gitignore", false, false }, { "sub3/build", false, false },
	};
	check_expectations(ig, e, sizeof(e) / sizeof(e[0]));
	for (size_t i = 0; i < sizeof(e) / sizeof(e[0]); i++)
		assert_int_equal(git_ignored(top, e[i].path), e[i].ignored);

	char *why = pl_ignore_explain(ig, "keep.log", false);
	pl_strbuf want = PL_STRBUF_INIT;
	pl_strbuf_addf(&want, "%s/.gitignore:6: !keep.log", real_top);
	assert_string_equal(why, want.buf);
	free(why);
	assert_null(pl_ignore_explain(ig, "plain-file", false));

	pl_strbuf_release(&want);
	pl_ignore_delete(ig);
	pl_diags_release(&diags);
	free(real_top);
	free(top);
}

/* Scanning a subdirectory: the .gitignore files above the root still count,
 * with their patterns relative to their own directory. */
static void test_root_below_top(void **state)
{
	fixture *fx = *state;
	char *top = test_join(fx->work, "repo");
	test_write_text(top, ".gitignore",
		   "/sub/from-top\n*.gen\nsub/mid.txt\n!/sub/keep.gen\nsub/a/anch/\n");
	test_write_text(top, "sub/.gitignore", "/local.txt\n");
	test_write_text(top, "sub/inner/.gitignore", "!*.gen\n/local.txt\n");
	static const char *const files[] = {
		"sub/from-top", "sub/a/from-top", "sub/x.gen", "sub/keep.gen", "sub/a/keep.gen",
		"sub/mid.txt", "sub/a/mid.txt", "sub/local.txt", "sub/a/local.txt",
		"sub/inner/y.gen", "sub/inner/local.txt", "sub/a/anch/f", "sub/anch/f", "sub/plain",
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		touch(top, files[i]);
	git_ok(top, "init -q");

	/* Through a symlink: the root is resolved before it is placed in the repo. */
	char *link = test_join(fx->work, "link-to-sub");
	char *sub = test_join(top, "sub");
	assert_int_equal(symlink(sub, link), 0);
	pl_ignore *ig = pl_ignore_new(link);
	assert_non_null(ig);
	char *real_top = realpath(top, NULL), *real_sub = realpath(sub, NULL);
	assert_string_equal(pl_ignore_repo_top(ig), real_top);
	assert_string_equal(pl_ignore_root(ig), real_sub);

	walk_stats st = { 0, 0, 0 };
	compare_walk(ig, real_sub, top, "sub/", "", &st);
	assert_true(st.compared >= 15);
	assert_true(st.ignored >= 5 && st.kept >= 5);

	static const expect e[] = {
		{ "from-top", false, true }, { "a/from-top", false, false },
		{ "keep.gen", false, false }, { "a/keep.gen", false, true },
		{ "mid.txt", false, true }, { "a/anch", true, true }, { "anch", true, false },
		{ "inner/y.gen", false, false }, { "inner/local.txt", false, true },
	};
	check_expectations(ig, e, sizeof(e) / sizeof(e[0]));

	/* A path longer than the matcher's stack buffer still gets the prefix. */
	pl_strbuf longp = PL_STRBUF_INIT;
	for (int i = 0; i < 60; i++)
		pl_strbuf_adds(&longp, "directory/");
	pl_strbuf_adds(&longp, "x.gen");
	assert_true(pl_ignore_is_ignored(ig, longp.buf, false));
	pl_strbuf_reset(&longp);
	for (int i = 0; i < 60; i++)
		pl_strbuf_adds(&longp, "directory/");
	pl_strbuf_adds(&longp, "keep.gen");
	/* "!/sub/keep.gen" is anchored: deep down it doesn't re-include. */
	assert_true(pl_ignore_is_ignored(ig, longp.buf, false));
	pl_strbuf_release(&longp);

	pl_ignore_delete(ig);
	free(real_top);
	free(real_sub);
	free(sub);
	free(link);
	free(top);
}

/* info/exclude beats the global file, .gitignore beats both; the global
 * file is $XDG_CONFIG_HOME/git/ignore until core.excludesFile names another. */
static void test_info_exclude_and_global(void **state)
{
	fixture *fx = *state;
	char *top = test_join(fx->work, "repo");
	test_write_text(top, ".gitignore", "!keep.info\n");
	static const char *const files[] = {
		"a.xdg", "a.both", "keep.both", "a.info", "keep.info", "a.glob", "plain.txt",
		"d/a.xdg", "d/a.glob", "d/anch.glob", "anch.glob",
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		touch(top, files[i]);
	git_ok(top, "init -q");
	test_write_text(top, ".git/info/exclude", "*.info\n!keep.both\n");
	test_write_text(fx->home, ".xdg/git/ignore", "*.xdg\n*.both\n");

	pl_ignore *ig = pl_ignore_new(top);
	assert_non_null(ig);
	walk_stats st = { 0, 0, 0 };
	compare_walk(ig, top, top, "", "", &st);
	assert_true(st.compared >= 10);
	static const expect xdg_e[] = {
		{ "a.xdg", false, true }, { "d/a.xdg", false, true }, { "a.both", false, true },
		{ "keep.both", false, false }, { "a.info", false, true },
		{ "keep.info", false, false }, { "a.glob", false, false },
	};
	check_expectations(ig, xdg_e, sizeof(xdg_e) / sizeof(xdg_e[0]));
	char *why = pl_ignore_explain(ig, "a.xdg", false);
	assert_non_null(why);
	assert_non_null(strstr(why, ".xdg/git/ignore:1: *.xdg"));
	free(why);
	why = pl_ignore_explain(ig, "a.info", false);
	assert_non_null(why);
	assert_non_null(strstr(why, ".git/info/exclude:1: *.info"));
	free(why);
	pl_ignore_delete(ig);

	/* core.excludesFile replaces the XDG default; `~/` is the home. */
	test_write_text(fx->home, "global-excludes", "*.glob\n/anch.glob\n!d/anch.glob\n");
	git_ok(top, "config --global core.excludesFile '~/global-excludes'");
	ig = pl_ignore_new(top);
	assert_non_null(ig);
	st = (walk_stats){ 0, 0, 0 };
	compare_walk(ig, top, top, "", "", &st);
	assert_true(st.compared >= 10);
	static const expect cfg_e[] = {
		{ "a.xdg", false, false }, { "a.glob", false, true }, { "d/a.glob", false, true },
		{ "d/anch.glob", false, false }, { "anch.glob", false, true },
	};
	check_expectations(ig, cfg_e, sizeof(cfg_e) / sizeof(cfg_e[0]));
	why = pl_ignore_explain(ig, "a.glob", false);
	pl_strbuf want = PL_STRBUF_INIT;
	pl_strbuf_addf(&want, "%s/global-excludes:1: *.glob", fx->home);
	assert_string_equal(why, want.buf);
	free(why);
	pl_strbuf_release(&want);
	pl_ignore_delete(ig);

	/* Set in the repository's own config, it is honoured too (as by git). */
	git_ok(top, "config --global --unset core.excludesFile");
	test_write_text(top, "local-excludes", "plain.txt\n");
	git_ok(top, "config core.excludesFile local-excludes");
	ig = pl_ignore_new(top);
	assert_non_null(ig);
	assert_true(pl_ignore_is_ignored(ig, "plain.txt", false));
	assert_true(git_ignored(top, "plain.txt"));
	assert_false(pl_ignore_is_ignored(ig, "a.xdg", false));
	pl_ignore_delete(ig);
	free(top);
}

/* .prodlintignore: git doesn't read it, so fixed expectations. */
static void test_prodlintignore(void **state)
{
	fixture *fx = *state;
	char *top = test_join(fx->work, "repo");
	test_write_text(top, ".gitignore", "*.log\nvendor/\n");
	test_write_text(top, ".prodlintignore", "!keep.log\n*.gen\r\n");
	test_write_text(top, "sub/.gitignore", "!*.gen\n");
	test_write_text(top, "sub/.prodlintignore", "debug.log\n!vendor/\nx.gen\n");
	static const char *const files[] = {
		"a.log", "keep.log", "vendor/f", "a.gen", "sub/a.gen", "sub/x.gen",
		"sub/debug.log", "sub/keep.log", "sub/vendor/f", "sub/other.log",
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		touch(top, files[i]);
	git_ok(top, "init -q");

	pl_ignore *ig = pl_ignore_new(top);
	assert_non_null(ig);
	static const expect e[] = {
		{ "a.log", false, true }, { "keep.log", false, false }, { "vendor", true, true },
		{ "a.gen", false, true }, { "sub/a.gen", false, false }, { "sub/x.gen", false, true },
		{ "sub/debug.log", false, true }, { "sub/keep.log", false, false },
		{ "sub/vendor", true, false }, { "sub/other.log", false, true },
	};
	check_expectations(ig, e, sizeof(e) / sizeof(e[0]));
	/* Proof the .prodlintignore lines did the work: git disagrees there. */
	assert_true(git_ignored(top, "keep.log"));
	assert_false(git_ignored(top, "a.gen"));
	assert_false(git_ignored(top, "sub/x.gen"));

	char *real_top = realpath(top, NULL);
	char *why = pl_ignore_explain(ig, "keep.log", false);
	pl_strbuf want = PL_STRBUF_INIT;
	pl_strbuf_addf(&want, "%s/.prodlintignore:1: !keep.log", real_top);
	assert_string_equal(why, want.buf);
	free(why);
	pl_ignore_push_dir(ig, "sub");
	why = pl_ignore_explain(ig, "sub/x.gen", false);
	pl_strbuf_reset(&want);
	pl_strbuf_addf(&want, "%s/sub/.prodlintignore:3: x.gen", real_top);
	assert_string_equal(why, want.buf);
	free(why);
	pl_ignore_pop_dir(ig);
	pl_strbuf_release(&want);
	pl_ignore_delete(ig);
	free(real_top);
	free(top);
}

/* No repository: ignore files from the root down and the global file still
 * count (like ag); there is no info/exclude. */
static void test_outside_repo(void **state)
{
	fixture *fx = *state;
	char *root = test_join(fx->work, "plain");
	test_write_text(root, ".gitignore", "*.o\n!keep.o\n/build/\n");
	test_write_text(root, "sub/.gitignore", "!x.o\n");
	test_write_text(fx->home, ".xdg/git/ignore", "*.glob\n/anch.top\n");
	static const char *const files[] = {
		"a.o", "keep.o", "build/f", "sub/build/f", "sub/x.o", "sub/y.o", "a.glob",
		"anch.top", "sub/anch.top",
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		touch(root, files[i]);

	pl_ignore *ig = pl_ignore_new(root);
	assert_non_null(ig);
	assert_null(pl_ignore_repo_top(ig));
	static const expect e[] = {
		{ "a.o", false, true }, { "keep.o", false, false }, { "build", true, true },
		{ "sub/build", true, false }, { "sub/x.o", false, false }, { "sub/y.o", false, true },
		{ "a.glob", false, true }, { "anch.top", false, true }, { "sub/anch.top", false, false },
	};
	check_expectations(ig, e, sizeof(e) / sizeof(e[0]));
	pl_ignore_delete(ig);
	free(root);
}

/* Scope bookkeeping the walker relies on. */
static void test_scopes(void **state)
{
	fixture *fx = *state;
	char *root = test_join(fx->work, "scopes");
	test_write_text(root, ".gitignore", "*.x\n");
	test_write_text(root, "a/.gitignore", "!*.x\na\nonly-a\n");
	test_mkdirs(root, "b");
	git_ok(root, "init -q");

	pl_ignore_delete(NULL);
	errno = 0;
	assert_null(pl_ignore_new("/nonexistent/pl-ignore-test"));
	assert_int_equal(errno, ENOENT);

	pl_ignore *ig = pl_ignore_new(root);
	assert_non_null(ig);
	pl_ignore_pop_dir(ig); /* nothing pushed: no-op, the root's scope stays */
	assert_true(pl_ignore_is_ignored(ig, "f.x", false));
	assert_false(pl_ignore_is_ignored(ig, "", true));

	pl_ignore_push_dir(ig, ""); /* the root again: balanced, nothing loaded twice */
	pl_ignore_push_dir(ig, "a");
	assert_false(pl_ignore_is_ignored(ig, "a/f.x", false));
	assert_true(pl_ignore_is_ignored(ig, "a/only-a", false));
	/* a's scope speaks only for paths below a: not for a sibling, nor a itself. */
	assert_true(pl_ignore_is_ignored(ig, "b/f.x", false));
	assert_false(pl_ignore_is_ignored(ig, "b/only-a", false));
	assert_false(pl_ignore_is_ignored(ig, "a", true));
	assert_false(pl_ignore_is_ignored(ig, "ab/only-a", false));
	pl_ignore_pop_dir(ig);
	assert_true(pl_ignore_is_ignored(ig, "a/f.x", false));
	assert_false(pl_ignore_is_ignored(ig, "a/only-a", false));
	pl_ignore_pop_dir(ig);
	pl_ignore_pop_dir(ig);
	assert_true(pl_ignore_is_ignored(ig, "f.x", false));

	const pl_ignore_pattern *pat = pl_ignore_match(ig, "f.x", false);
	assert_non_null(pat);
	assert_int_equal(pat->line, 1);
	assert_string_equal(pat->text, "*.x");
	assert_false(pat->negated);
	pl_ignore_delete(ig);
	free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_zoo_matches_git, setup, teardown),
		cmocka_unit_test_setup_teardown(test_root_below_top, setup, teardown),
		cmocka_unit_test_setup_teardown(test_info_exclude_and_global, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prodlintignore, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outside_repo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scopes, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

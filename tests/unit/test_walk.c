/*
 * Unit tests for src/walk/walk.c (pl_walk): each test builds a tree under
 * /tmp and checks which files come back, in which order, with which
 * language, and how the ones left out are counted.
 *
 * HOME and XDG_CONFIG_HOME point at a fresh directory per test so the
 * developer's global git configuration (core.excludesFile, ~/.config/git/
 * ignore) can't leak into the walk.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lang/lang.h"
#include "support.h"
#include "util/diag.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "walk/walk.h"

/* ---- helpers ------------------------------------------------------------ */

typedef struct fixture {
	char *home;         /* HOME; XDG_CONFIG_HOME is home/.xdg */
	char *root;         /* the tree under test */
	char cwd[PATH_MAX]; /* restored after tests that chdir */
} fixture;

static void git_init(const char *dir)
{
	pl_strbuf cmd = PL_STRBUF_INIT;
	pl_strbuf_addf(&cmd, "git init -q '%s' >/dev/null 2>&1", dir);
	int rc = system(cmd.buf);
	pl_strbuf_release(&cmd);
	assert_true(rc != -1 && WIFEXITED(rc) && WEXITSTATUS(rc) == 0);
}

/* Walk root (npaths == 0) or the given paths with default options. */
static int walk(const char *root, const char *const *paths, size_t npaths,
		const pl_walk_options *opt, pl_file_list *out, pl_diags *errors)
{
	pl_walk_options def = PL_WALK_OPTIONS_INIT;
	return pl_walk(root, paths, npaths, opt ? opt : &def, out, errors);
}

/* The listed paths, one per line, to compare with one string. */
static char *listing(const pl_file_list *files)
{
	pl_strbuf sb = PL_STRBUF_INIT;
	for (size_t i = 0; i < files->len; i++)
		pl_strbuf_addf(&sb, "%s\n", files->items[i].path);
	return pl_strbuf_detach(&sb);
}

static void assert_listing(const pl_file_list *files, const char *want)
{
	char *got = listing(files);
	if (strcmp(got, want) != 0)
		fail_msg("walk listed:\n%s-- expected:\n%s--", got, want);
	free(got);
}

static const pl_file *find_file(const pl_file_list *files, const char *path)
{
	for (size_t i = 0; i < files->len; i++)
		if (strcmp(files->items[i].path, path) == 0)
			return &files->items[i];
	return NULL;
}

static void assert_lang(const pl_file_list *files, const char *path, const char *lang)
{
	const pl_file *f = find_file(files, path);
	if (!f)
		fail_msg("'%s' was not listed", path);
	assert_non_null(f->lang);
	if (strcmp(f->lang->name, lang) != 0)
		fail_msg("'%s': language %s, expected %s", path, f->lang->name, lang);
}

/* ---- fixtures ----------------------------------------------------------- */

static int setup(void **state)
{
	fixture *fx = pl_xcalloc(1, sizeof(*fx));
	assert_non_null(getcwd(fx->cwd, sizeof(fx->cwd)));
	fx->home = test_tmpdir("walk");
	fx->root = test_tmpdir("walk");
	test_isolate_git_env(fx->home);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	fixture *fx = *state;
	alarm(0);
	if (chdir(fx->cwd) < 0)
		return -1;
	test_rm_rf(fx->home);
	test_rm_rf(fx->root);
	free(fx->home);
	free(fx->root);
	free(fx);
	return 0;
}

/* ---- tests -------------------------------------------------------------- */

static void test_sorted_and_relative(void **state)
{
	fixture *fx = *state;
	static const char *const files[] = {
		"z/y/x.ts", "b.py", "a/z.py", "a/b/c.py", "a-b/x.py", "A.py",
		"c.go", "a.js", "a/b.py", "aa.py", "a.b/z.go",
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		test_write_text(fx->root, files[i], "x = 1\n");
	const char *want =
		"A.py\n"
		"a-b/x.py\n"
		"a.b/z.go\n"
		"a.js\n"
		"a/b.py\n"
		"a/b/c.py\n"
		"a/z.py\n"
		"aa.py\n"
		"b.py\n"
		"c.go\n"
		"z/y/x.ts\n";

	pl_file_list out = PL_FILE_LIST_INIT;
	pl_diags errors = PL_DIAGS_INIT;
	assert_int_equal(walk(fx->root, NULL, 0, NULL, &out, &errors), 0);
	assert_int_equal(errors.len, 0);
	assert_listing(&out, want);
	/* fs_path opens the file: root joined with the relative path. */
	const pl_file *f = find_file(&out, "a/b/c.py");
	assert_non_null(f);
	char *expect_fs = test_join(fx->root, "a/b/c.py");
	assert_string_equal(f->fs_path, expect_fs);
	free(expect_fs);
	assert_int_equal(out.ignored + out.too_large + out.unsupported + out.special, 0);
	pl_file_list_release(&out);

	/* Root given as "." (the CLI default) and as "./": still no "./" prefix. */
	assert_int_equal(chdir(fx->root), 0);
	assert_int_equal(walk(".", NULL, 0, NULL, &out, &errors), 0);
	assert_listing(&out, want);
	pl_file_list_release(&out);
	assert_int_equal(walk("./", NULL, 0, NULL, &out, &errors), 0);
	assert_listing(&out, want);
	pl_file_list_release(&out);

	/* Explicit paths in any order come back sorted too. */
	const char *const paths[] = { "z", "c.go", "a/b", "A.py" };
	assert_int_equal(walk(".", paths, 4, NULL, &out, &errors), 0);
	assert_listing(&out, "A.py\na/b/c.py\nc.go\nz/y/x.ts\n");
	pl_file_list_release(&out);
	assert_int_equal(errors.len, 0);
	pl_diags_release(&errors);
}

static void test_languages(void **state)
{
	fixture *fx = *state;
	static const struct {
		const char *path, *content, *lang;
	} known[] = {
		{ "m.py", "x = 1\n", "python" },
		{ "m.pyi", "x: int\n", "python" },
		{ "m.pyw", "x = 1\n", "python" },
		{ "m.js", "x\n", "javascript" },
		{ "m.mjs", "x\n", "javascript" },
		{ "m.cjs", "x\n", "javascript" },
		{ "m.jsx", "x\n", "javascript" },
		{ "m.ts", "x\n", "typescript" },
		{ "m.mts", "x\n", "typescript" },
		{ "m.cts", "x\n", "typescript" },
		{ "m.d.ts", "x\n", "typescript" },
		{ "m.tsx", "x\n", "tsx" },
		{ "m.go", "package m\n", "go" },
		/* An extension wins over a shebang. */
		{ "ext.py", "#!/usr/bin/env node\n", "python" },
		/* Extension-less files: by shebang. */
		{ "bin/env-python", "#!/usr/bin/env python3\nprint(1)\n", "python" },
		{ "bin/versioned", "#!/usr/bin/python3.11\nprint(1)\n", "python" },
		{ "bin/plain-python", "#!/usr/bin/python\n", "python" },
		{ "bin/spaced", "#! /usr/bin/env python3 -u\n", "python" },
		{ "bin/env-s-node", "#!/usr/bin/env -S node --flag\nx\n", "javascript" },
		{ "bin/node", "#!/usr/local/bin/node\r\nx\r\n", "javascript" },
		{ "bin/ts-node", "#!/usr/bin/env ts-node\nx\n", "typescript" },
		{ ".hidden-tool", "#!/usr/bin/env python3\n", "python" },
	};
	static const struct {
		const char *path, *content;
	} unknown[] = {
		{ "bin/sh-script", "#!/bin/sh\necho hi\n" },
		{ "bin/bash-env", "#!/usr/bin/env bash\necho hi\n" },
		{ "bin/pythonic", "#!/usr/bin/pythonista\n" },      /* not a version suffix */
		{ "bin/env-only", "#!/usr/bin/env\n" },
		{ "bin/no-shebang", "print(1)\n" },
		{ "bin/empty", "" },
		{ "Makefile", "all:\n\ttrue\n" },
		{ "notes.txt", "#!/usr/bin/env python3\n" },        /* unknown extension: not sniffed */
		{ "README.md", "# hi\n" },
		{ "m.PY", "x = 1\n" },                              /* extensions are case-sensitive */
		{ "m.py.bak", "x = 1\n" },
	};
	size_t nknown = sizeof(known) / sizeof(known[0]);
	size_t nunknown = sizeof(unknown) / sizeof(unknown[0]);
	for (size_t i = 0; i < nknown; i++)
		test_write_text(fx->root, known[i].path, known[i].content);
	for (size_t i = 0; i < nunknown; i++)
		test_write_text(fx->root, unknown[i].path, unknown[i].content);

	pl_file_list out = PL_FILE_LIST_INIT;
	pl_diags errors = PL_DIAGS_INIT;
	assert_int_equal(walk(fx->root, NULL, 0, NULL, &out, &errors), 0);
	assert_int_equal(errors.len, 0);
	for (size_t i = 0; i < nknown; i++)
		assert_lang(&out, known[i].path, known[i].lang);
	for (size_t i = 0; i < nunknown; i++)
		if (find_file(&out, unknown[i].path))
			fail_msg("'%s' should not be listed", unknown[i].path);
	assert_int_equal(out.len, nknown);
	assert_int_equal(out.unsupported, nunknown);
	assert_int_equal(out.ignored + out.too_large + out.special, 0);
	pl_file_list_release(&out);
	pl_diags_release(&errors);
}

static void test_max_file_size(void **state)
{
	fixture *fx = *state;
	char big[201];
	memset(big, '#', sizeof(big));
	test_write_bytes(fx->root, "at-limit.py", big, 100);
	test_write_bytes(fx->root, "over.py", big, 101);
	test_write_bytes(fx->root, "huge.go", big, 200);
	test_write_bytes(fx->root, "huge.txt", big, 200); /* unsupported first */
	test_write_text(fx->root, "small.py", "x = 1\n");

	pl_walk_options opt = PL_WALK_OPTIONS_INIT;
	assert_int_equal(opt.max_file_size, 1u << 20);
	opt.max_file_size = 100;
	pl_file_list out = PL_FILE_LIST_INIT;
	pl_diags errors = PL_DIAGS_INIT;
	assert_int_equal(walk(fx->root, NULL, 0, &opt, &out, &errors), 0);
	assert_listing(&out, "at-limit.py\nsmall.py\n");
	assert_int_equal(out.too_large, 2);
	assert_int_equal(out.unsupported, 1);
	pl_file_list_release(&out);

	/* The limit applies to files named explicitly too. */
	char *over = test_join(fx->root, "over.py");
	const char *const paths[] = { over };
	assert_int_equal(walk(fx->root, paths, 1, &opt, &out, &errors), 0);
	assert_int_equal(out.len, 0);
	assert_int_equal(out.too_large, 1);
	free(over);
	pl_file_list_release(&out);
	assert_int_equal(errors.len, 0);
	pl_diags_release(&errors);
}

/* Minified bundles are left out and counted, unless --no-ignore or named. */
static void test_minified_bundles(void **state)
{
	fixture *fx = *state;
	char line[1203];
	memcpy(line, "var a=", 6);
	memset(line + 6, '1', sizeof(line) - 8);
	line[sizeof(line) - 2] = ';';
	line[sizeof(line) - 1] = '\n';
	test_write_bytes(fx->root, "lib.min.js", line, sizeof(line));
	test_write_bytes(fx->root, "lib.min.cjs", line, sizeof(line));
	test_write_bytes(fx->root, "long.js", line, sizeof(line));          /* not named so */
	test_write_text(fx->root, "short.min.js", "var a = 1;\nvar b = 2;\n"); /* short lines */

	pl_walk_options opt = PL_WALK_OPTIONS_INIT;
	pl_file_list out = PL_FILE_LIST_INIT;
	pl_diags errors = PL_DIAGS_INIT;
	assert_int_equal(walk(fx->root, NULL, 0, &opt, &out, &errors), 0);
	assert_listing(&out, "long.js\nshort.min.js\n");
	assert_int_equal(out.minified, 2);
	pl_file_list_release(&out);

	opt.no_ignore = true;
	assert_int_equal(walk(fx->root, NULL, 0, &opt, &out, &errors), 0);
	assert_listing(&out, "lib.min.cjs\nlib.min.js\nlong.js\nshort.min.js\n");
	assert_int_equal(out.minified, 0);
	pl_file_list_release(&out);

	opt.no_ignore = false;
	char *named = test_join(fx->root, "lib.min.js");
	const char *const paths[] = { named };
	assert_int_equal(walk(fx->root, paths, 1, &opt, &out, &errors), 0);
	assert_listing(&out, "lib.min.js\n");
	free(named);
	pl_file_list_release(&out);
	assert_int_equal(errors.len, 0);
	pl_diags_release(&errors);
}

static void test_gitignore(void **state)
{
	fixture *fx = *state;
	git_init(fx->root);
	test_write_text(fx->root, ".gitignore", "ignored.py\nbuild/\n*.gen.py\n!keep.gen.py\n");
	test_write_text(fx->root, ".prodlintignore", "vendor\n");
	test_write_text(fx->root, "ignored.py", "x\n");
	test_write_text(fx->root, "build/out.py", "x\n");
	test_write_text(fx->root, "build/deep/more.py", "x\n");
	test_write_text(fx->root, "src/a.gen.py", "x\n");
	test_write_text(fx->root, "src/keep.gen.py", "x\n");
	test_write_text(fx->root, "src/main.py", "x\n");
	test_write_text(fx->root, "sub/.gitignore", "local.py\n");
	test_write_text(fx->root, "sub/local.py", "x\n");
	test_write_text(fx->root, "sub/other.py", "x\n");
	test_write_text(fx->root, "local.py", "x\n"); /* sub/.gitignore doesn't reach up */
	test_write_text(fx->root, "vendor/lib.js", "x\n");
	/* .git is never entered, not even with no_ignore. */
	test_write_text(fx->root, ".git/hook.py", "x\n");
	test_write_text(fx->root, "sub/nested/.git/inner.py", "x\n");
	test_write_text(fx->root, "sub/nested/ok.py", "x\n");

	pl_file_list out = PL_FILE_LIST_INIT;
	pl_diags errors = PL_DIAGS_INIT;
	assert_int_equal(walk(fx->root, NULL, 0, NULL, &out, &errors), 0);
	assert_int_equal(errors.len, 0);
	assert_listing(&out,
		       "local.py\n"
		       "src/keep.gen.py\n"
		       "src/main.py\n"
		       "sub/nested/ok.py\n"
		       "sub/other.py\n");
	/* ignored.py, build/, src/a.gen.py, sub/local.py, vendor/ */
	assert_int_equal(out.ignored, 5);
	/* .gitignore x2, .prodlintignore */
	assert_int_equal(out.unsupported, 3);
	pl_file_list_release(&out);

	pl_walk_options opt = PL_WALK_OPTIONS_INIT;
	opt.no_ignore = true;
	assert_int_equal(walk(fx->root, NULL, 0, &opt, &out, &errors), 0);
	assert_listing(&out,
		       "build/deep/more.py\n"
		       "build/out.py\n"
		       "ignored.py\n"
		       "local.py\n"
		       "src/a.gen.py\n"
		       "src/keep.gen.py\n"
		       "src/main.py\n"
		       "sub/local.py\n"
		       "sub/nested/ok.py\n"
		       "sub/other.py\n"
		       "vendor/lib.js\n");
	assert_int_equal(out.ignored, 0);
	pl_file_list_release(&out);

	/* Walking a subdirectory explicitly still applies the root's ignore files
	 * and the ones in between. */
	assert_int_equal(chdir(fx->root), 0);
	const char *const sub[] = { "sub", "src" };
	assert_int_equal(walk(".", sub, 2, NULL, &out, &errors), 0);
	assert_listing(&out,
		       "src/keep.gen.py\n"
		       "src/main.py\n"
		       "sub/nested/ok.py\n"
		       "sub/other.py\n");
	assert_int_equal(out.ignored, 2);
	pl_file_list_release(&out);

	/* Named files are taken even when ignored. */
	const char *const named[] = { "ignored.py", "build/out.py", "sub/local.py" };
	assert_int_equal(walk(".", named, 3, NULL, &out, &errors), 0);
	assert_listing(&out, "build/out.py\nignored.py\nsub/local.py\n");
	assert_int_equal(out.ignored, 0);
	pl_file_list_release(&out);
	assert_int_equal(errors.len, 0);
	pl_diags_release(&errors);
}

/* Outside a repository a fake `.git` directory is still never entered, and
 * the root's .gitignore still applies. */
static void test_git_dir_without_repository(void **state)
{
	fixture *fx = *state;
	test_write_text(fx->root, ".git/objects/x.py", "x\n");
	test_write_text(fx->root, ".git/config.py", "x\n");
	test_write_text(fx->root, ".gitignore", "skip.py\n");
	test_write_text(fx->root, "skip.py", "x\n");
	test_write_text(fx->root, "a.py", "x\n");
	test_write_text(fx->root, ".github/workflows/check.js", "x\n");
	test_write_text(fx->root, "x.git/y.py", "x\n");
	pl_file_list out = PL_FILE_LIST_INIT;
	pl_diags errors = PL_DIAGS_INIT;
	assert_int_equal(walk(fx->root, NULL, 0, NULL, &out, &errors), 0);
	assert_listing(&out, ".github/workflows/check.js\na.py\nx.git/y.py\n");
	assert_int_equal(out.ignored, 1);
	pl_file_list_release(&out);
	pl_walk_options opt = PL_WALK_OPTIONS_INIT;
	opt.no_ignore = true;
	assert_int_equal(walk(fx->root, NULL, 0, &opt, &out, &errors), 0);
	assert_listing(&out, ".github/workflows/check.js\na.py\nskip.py\nx.git/y.py\n");
	pl_file_list_release(&out);
	assert_int_equal(errors.len, 0);
	pl_diags_release(&errors);
}

/* The global excludes file of the (test's) HOME is honoured; nothing else leaks. */
static void test_global_excludes_from_home(void **state)
{
	fixture *fx = *state;
	git_init(fx->root);
	char *xdg = test_join(fx->home, ".xdg");
	test_write_text(xdg, "git/ignore", "*.secret.py\n");
	free(xdg);
	test_write_text(fx->root, "a.secret.py", "x\n");
	test_write_text(fx->root, "a.py", "x\n");
	pl_file_list out = PL_FILE_LIST_INIT;
	pl_diags errors = PL_DIAGS_INIT;
	assert_int_equal(walk(fx->root, NULL, 0, NULL, &out, &errors), 0);
	assert_listing(&out, "a.py\n");
	assert_int_equal(out.ignored, 1);
	pl_file_list_release(&out);
	pl_diags_release(&errors);
}

static void on_alarm(int sig)
{
	(void)sig;
	static const char msg[] = "test_walk: pl_walk blocked (opened a FIFO?)\n";
	ssize_t n = write(2, msg, sizeof(msg) - 1);
	(void)n;
	_exit(1);
}

static void test_special_files(void **state)
{
	fixture *fx = *state;
	test_write_text(fx->root, "a.py", "x\n");
	test_write_text(fx->root, "dir/b.py", "x\n");
	char *p = test_join(fx->root, "link.py");
	assert_int_equal(symlink("a.py", p), 0);
	free(p);
	p = test_join(fx->root, "dirlink");
	assert_int_equal(symlink("dir", p), 0);
	free(p);
	p = test_join(fx->root, "dangling.py");
	assert_int_equal(symlink("nowhere.py", p), 0);
	free(p);
	/* Opening a FIFO for reading blocks until a writer comes: the walker
	 * must not even sniff it. An alarm turns a hang into a failure. */
	p = test_join(fx->root, "pipe.py");
	assert_int_equal(mkfifo(p, 0644), 0);
	free(p);
	p = test_join(fx->root, "tool");
	assert_int_equal(mkfifo(p, 0644), 0); /* extension-less: would be sniffed */
	free(p);
	signal(SIGALRM, on_alarm);
	alarm(20);

	pl_file_list out = PL_FILE_LIST_INIT;
	pl_diags errors = PL_DIAGS_INIT;
	assert_int_equal(walk(fx->root, NULL, 0, NULL, &out, &errors), 0);
	assert_listing(&out, "a.py\ndir/b.py\n");
	assert_int_equal(out.special, 5);
	assert_int_equal(out.unsupported + out.ignored + out.too_large, 0);
	assert_int_equal(errors.len, 0);
	pl_file_list_release(&out);

	/* Named explicitly, a FIFO is still not opened. */
	assert_int_equal(chdir(fx->root), 0);
	const char *const named[] = { "pipe.py", "tool" };
	assert_int_equal(walk(".", named, 2, NULL, &out, &errors), 0);
	assert_int_equal(out.len, 0);
	assert_int_equal(out.special, 2);
	pl_file_list_release(&out);
	alarm(0);
	signal(SIGALRM, SIG_DFL);
	assert_int_equal(errors.len, 0);
	pl_diags_release(&errors);
}

static void test_duplicates(void **state)
{
	fixture *fx = *state;
	test_write_text(fx->root, "a.py", "x\n");
	test_write_text(fx->root, "src/b.py", "x\n");
	test_write_text(fx->root, "src/c.py", "x\n");
	assert_int_equal(chdir(fx->root), 0);
	char *abs = test_join(fx->root, "a.py");
	const char *const paths[] = { "a.py", "./a.py", abs, "src", "src/b.py", "./src/" };
	pl_file_list out = PL_FILE_LIST_INIT;
	pl_diags errors = PL_DIAGS_INIT;
	assert_int_equal(walk(".", paths, 6, NULL, &out, &errors), 0);
	assert_listing(&out, "a.py\nsrc/b.py\nsrc/c.py\n");
	assert_int_equal(errors.len, 0);
	pl_file_list_release(&out);

	/* The same through an absolute root. */
	assert_int_equal(walk(fx->root, paths, 6, NULL, &out, &errors), 0);
	assert_listing(&out, "a.py\nsrc/b.py\nsrc/c.py\n");
	pl_file_list_release(&out);
	free(abs);
	pl_diags_release(&errors);
}

static void test_missing_paths(void **state)
{
	fixture *fx = *state;
	pl_file_list out = PL_FILE_LIST_INIT;
	pl_diags errors = PL_DIAGS_INIT;

	char *missing = test_join(fx->root, "no/such/dir");
	assert_int_equal(walk(missing, NULL, 0, NULL, &out, &errors), -1);
	assert_int_equal(out.len, 0);
	assert_int_equal(errors.len, 1);
	assert_string_equal(errors.items[0].path, missing);
	assert_non_null(strstr(errors.items[0].message, "cannot read scan root"));
	assert_non_null(strstr(errors.items[0].message, strerror(ENOENT)));
	pl_diags_release(&errors);
	pl_file_list_release(&out);
	free(missing);

	/* A root that is a regular file is not a directory. */
	test_write_text(fx->root, "file.py", "x\n");
	char *file = test_join(fx->root, "file.py");
	errno = 0;
	assert_int_equal(walk(file, NULL, 0, NULL, &out, &errors), -1);
	assert_int_equal(errors.len, 1);
	assert_non_null(strstr(errors.items[0].message, "not a directory"));
	pl_diags_release(&errors);
	errno = ENOENT;
	assert_int_equal(walk(file, NULL, 0, NULL, &out, &errors), -1);
	assert_int_equal(errors.len, 1);
	assert_non_null(strstr(errors.items[0].message, "not a directory"));
	pl_diags_release(&errors);
	free(file);

	/* A missing explicit path is an error but the walk goes on. */
	test_write_text(fx->root, "ok.py", "x\n");
	assert_int_equal(chdir(fx->root), 0);
	const char *const paths[] = { "gone.py", "ok.py" };
	assert_int_equal(walk(".", paths, 2, NULL, &out, &errors), 0);
	assert_listing(&out, "ok.py\n");
	assert_int_equal(errors.len, 1);
	assert_string_equal(errors.items[0].path, "gone.py");
	assert_non_null(strstr(errors.items[0].message, "cannot read"));
	pl_file_list_release(&out);
	pl_diags_release(&errors);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sorted_and_relative, setup, teardown),
		cmocka_unit_test_setup_teardown(test_languages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_max_file_size, setup, teardown),
		cmocka_unit_test_setup_teardown(test_minified_bundles, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gitignore, setup, teardown),
		cmocka_unit_test_setup_teardown(test_git_dir_without_repository, setup, teardown),
		cmocka_unit_test_setup_teardown(test_global_excludes_from_home, setup, teardown),
		cmocka_unit_test_setup_teardown(test_special_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_paths, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

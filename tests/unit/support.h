/*
 * Shared helpers for the unit tests that build file trees on disk
 * (test_ignore.c, test_walk.c): scratch directories under /tmp, paths,
 * files, recursive removal, and an environment in which neither git nor
 * libgit2 can see the developer's own configuration.
 *
 * They report trouble through cmocka (assert_* / fail_msg), so call them
 * only from inside a running test, setup or teardown. Every returned string
 * is malloc'd; the caller frees it.
 */
#ifndef PRODLINT_TEST_SUPPORT_H
#define PRODLINT_TEST_SUPPORT_H

#include <stddef.h>

/* A fresh directory /tmp/pl-<tag>-XXXXXX, with symlinks resolved (/tmp may
 * itself be a link, and the walker shows paths relative to the resolved root). */
char *test_tmpdir(const char *tag);

/* "a/b" */
char *test_join(const char *a, const char *b);

/* mkdir -p base/rel (base must exist). */
void test_mkdirs(const char *base, const char *rel);

/* Write base/rel, creating base and rel's parent directories as needed. */
void test_write_bytes(const char *base, const char *rel, const char *data, size_t len);
void test_write_text(const char *base, const char *rel, const char *text);

/* rm -rf path; symlinks are removed, never followed. A missing path is fine. */
void test_rm_rf(const char *path);

/* Point HOME at `home` and XDG_CONFIG_HOME at home/.xdg (created here), set
 * GIT_CONFIG_NOSYSTEM and unset the GIT_* variables that would redirect git
 * or libgit2, so nothing of the caller's git setup reaches a test. */
void test_isolate_git_env(const char *home);

#endif

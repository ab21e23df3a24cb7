/* Shared file-system and environment helpers for the unit tests: support.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

char *test_tmpdir(const char *tag)
{
	pl_strbuf tmpl = PL_STRBUF_INIT;
	pl_strbuf_addf(&tmpl, "/tmp/pl-%s-XXXXXX", tag);
	char *dir = mkdtemp(tmpl.buf);
	assert_non_null(dir);
	char *real = realpath(dir, NULL);
	assert_non_null(real);
	pl_strbuf_release(&tmpl);
	return real;
}

char *test_join(const char *a, const char *b)
{
	pl_strbuf sb = PL_STRBUF_INIT;
	pl_strbuf_addf(&sb, "%s/%s", a, b);
	return pl_strbuf_detach(&sb);
}

void test_mkdirs(const char *base, const char *rel)
{
	char *path = test_join(base, rel);
	for (char *p = path + strlen(base) + 1;; p++) {
		if (*p == '/' || *p == '\0') {
			char saved = *p;
			*p = '\0';
			if (mkdir(path, 0755) < 0 && errno != EEXIST)
				fail_msg("mkdir %s: %s", path, strerror(errno));
			*p = saved;
			if (!saved)
				break;
		}
	}
	free(path);
}

void test_write_bytes(const char *base, const char *rel, const char *data, size_t len)
{
	if (mkdir(base, 0755) < 0 && errno != EEXIST)
		fail_msg("mkdir %s: %s", base, strerror(errno));
	const char *slash = strrchr(rel, '/');
	if (slash) {
		char *dir = pl_xstrndup(rel, (size_t)(slash - rel));
		test_mkdirs(base, dir);
		free(dir);
	}
	char *path = test_join(base, rel);
	FILE *f = fopen(path, "wb");
	if (!f)
		fail_msg("fopen %s: %s", path, strerror(errno));
	if (len)
		assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	free(path);
}

void test_write_text(const char *base, const char *rel, const char *text)
{
	test_write_bytes(base, rel, text, strlen(text));
}

void test_rm_rf(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		assert_non_null(d);
		struct dirent *e;
		while ((e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			char *child = test_join(path, e->d_name);
			test_rm_rf(child);
			free(child);
		}
		closedir(d);
		assert_int_equal(rmdir(path), 0);
	} else {
		assert_int_equal(unlink(path), 0);
	}
}

void test_isolate_git_env(const char *home)
{
	char *xdg = test_join(home, ".xdg");
	assert_int_equal(mkdir(xdg, 0755), 0);
	setenv("HOME", home, 1);
	setenv("XDG_CONFIG_HOME", xdg, 1);
	free(xdg);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	static const char *const unset[] = {
		"GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_INDEX_FILE",
		"GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM", "GIT_CONFIG_PARAMETERS",
		"GIT_CONFIG_COUNT", "GIT_CEILING_DIRECTORIES",
	};
	for (size_t i = 0; i < sizeof(unset) / sizeof(unset[0]); i++)
		unsetenv(unset[i]);
}

#include "util/mem.h"

#include <ctype.h>
#include <errno.h>
#include <git2.h>
#include <git2/sys/alloc.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <tree_sitter/api.h>
#include <unistd.h>

#include "util/xalloc.h"

/* --- libgit2 ---------------------------------------------------------------- */

static void *git_malloc(size_t n, const char *file, int line)
{
	(void)file;
	(void)line;
	return pl_xmalloc(n);
}

static void *git_realloc(void *ptr, size_t size, const char *file, int line)
{
	(void)file;
	(void)line;
	return pl_xrealloc(ptr, size);
}

#if LIBGIT2_VER_MAJOR == 1 && LIBGIT2_VER_MINOR < 7
/* Before 1.7 libgit2 asks for every derived allocation by itself; an overflowing
 * size is a request no allocator can meet, so it is out of memory too. */
static void *git_calloc(size_t nelem, size_t elsize, const char *file, int line)
{
	(void)file;
	(void)line;
	return pl_xcalloc(nelem, elsize);
}

static char *git_strdup(const char *str, const char *file, int line)
{
	(void)file;
	(void)line;
	return pl_xstrdup(str);
}

static char *git_strndup(const char *str, size_t n, const char *file, int line)
{
	(void)file;
	(void)line;
	return pl_xstrndup(str, strnlen(str, n));
}

static char *git_substrdup(const char *str, size_t n, const char *file, int line)
{
	(void)file;
	(void)line;
	if (n == SIZE_MAX)
		pl_oom();
	return pl_xstrndup(str, n);
}

static void *git_reallocarray(void *ptr, size_t nelem, size_t elsize, const char *file, int line)
{
	(void)file;
	(void)line;
	if (elsize && nelem > SIZE_MAX / elsize)
		pl_oom();
	return pl_xrealloc(ptr, nelem * elsize);
}

static void *git_mallocarray(size_t nelem, size_t elsize, const char *file, int line)
{
	return git_reallocarray(NULL, nelem, elsize, file, line);
}
#endif

static void git_free(void *ptr)
{
	free(ptr);
}

static void route_libgit2(void)
{
	git_allocator a;
	memset(&a, 0, sizeof(a));
	a.gmalloc = git_malloc;
	a.grealloc = git_realloc;
	a.gfree = git_free;
#if LIBGIT2_VER_MAJOR == 1 && LIBGIT2_VER_MINOR < 7
	a.gcalloc = git_calloc;
	a.gstrdup = git_strdup;
	a.gstrndup = git_strndup;
	a.gsubstrdup = git_substrdup;
	a.greallocarray = git_reallocarray;
	a.gmallocarray = git_mallocarray;
#endif
	/* Before git_libgit2_init, which keeps an allocator set earlier. */
	git_libgit2_opts(GIT_OPT_SET_ALLOCATOR, &a);
}

/* --- libyaml -------------------------------------------------------------------- */

/*
 * libyaml (read directly for rule positions, and by libcyaml) has no
 * allocator hook, and takes a failed allocation for a syntax error: a rule
 * file would be reported invalid (exit 2) when memory ran out. But it
 * allocates only through these four exported functions, called through
 * the PLT, so defining them here interposes ours (ELF resolves a shared
 * library's calls to the executable's definition first). Where a libyaml
 * build binds them internally, these are simply unused.
 */
void *yaml_malloc(size_t size);
void *yaml_realloc(void *ptr, size_t size);
void yaml_free(void *ptr);
unsigned char *yaml_strdup(const unsigned char *str);

void *yaml_malloc(size_t size)
{
	return pl_xmalloc(size);
}

void *yaml_realloc(void *ptr, size_t size)
{
	return pl_xrealloc(ptr, size);
}

void yaml_free(void *ptr)
{
	free(ptr);
}

unsigned char *yaml_strdup(const unsigned char *str)
{
	return str ? (unsigned char *)pl_xstrdup((const char *)str) : NULL;
}

/* --- the others -------------------------------------------------------------- */

void *pl_mem_cyaml(void *ctx, void *ptr, size_t size)
{
	(void)ctx;
	if (size == 0) {
		free(ptr);
		return NULL;
	}
	return pl_xrealloc(ptr, size);
}

char *pl_xrealpath(const char *path)
{
	char *real = realpath(path, NULL);
	if (!real && errno == ENOMEM)
		pl_oom();
	return real;
}

DIR *pl_xopendir(const char *path)
{
	DIR *d = opendir(path);
	if (!d && errno == ENOMEM)
		pl_oom();
	return d;
}

void pl_mem_init(void)
{
	ts_set_allocator(pl_xmalloc, pl_xcalloc, pl_xrealloc, free);
	json_set_alloc_funcs(pl_xmalloc, free);
	route_libgit2();
	pl_xalloc_set_limit(pl_mem_default_limit());
}

/* --- sizes --------------------------------------------------------------------- */

int pl_mem_parse_size(const char *s, size_t *out)
{
	if (!s || !isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	unsigned shift = 0;
	switch (toupper((unsigned char)*end)) {
	case 'K': shift = 10; break;
	case 'M': shift = 20; break;
	case 'G': shift = 30; break;
	case 'T': shift = 40; break;
	}
	if (shift) {
		end++;
		if (*end && strcasecmp(end, "b") != 0 && strcasecmp(end, "ib") != 0)
			return -1;
	} else if (*end && strcasecmp(end, "b") != 0) {
		return -1;
	}
	if (v > (unsigned long long)(SIZE_MAX >> shift))
		return -1;
	*out = (size_t)v << shift;
	return 0;
}

/* The number in a cgroup limit file; 0 when absent or "max". */
static size_t read_limit_file(const char *path)
{
	FILE *f = fopen(path, "re");
	if (!f) {
		if (errno == ENOMEM)
			pl_oom();
		return 0;
	}
	char buf[64];
	unsigned long long v = 0;
	if (fgets(buf, sizeof(buf), f) && isdigit((unsigned char)buf[0]))
		v = strtoull(buf, NULL, 10);
	fclose(f);
	return v > SIZE_MAX ? SIZE_MAX : (size_t)v;
}

static size_t limit_at(const char *mount, const char *cg, const char *file)
{
	char path[4352];
	snprintf(path, sizeof(path), "%s%s/%s", mount, strcmp(cg, "/") == 0 ? "" : cg, file);
	size_t v = read_limit_file(path);
	if (!v) {
		/* In a container the group is usually the mount's root, its path not visible. */
		snprintf(path, sizeof(path), "%s/%s", mount, file);
		v = read_limit_file(path);
	}
	return v;
}

static bool has_controller(const char *list, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = list; *p;) {
		size_t len = strcspn(p, ",");
		if (len == n && strncmp(p, name, n) == 0)
			return true;
		p += len + (p[len] == ',');
	}
	return false;
}

/* Our cgroup's memory limit (v2 memory.max, v1 memory.limit_in_bytes); 0: none. */
static size_t cgroup_limit(void)
{
	FILE *f = fopen("/proc/self/cgroup", "re");
	if (!f) {
		if (errno == ENOMEM)
			pl_oom();
		return 0;
	}
	char line[4096];
	size_t best = 0;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		/* hierarchy-id:controllers:path */
		char *c1 = strchr(line, ':');
		char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2)
			continue;
		*c2 = '\0';
		size_t v = 0;
		if (strcmp(line, "0:") == 0) /* v2: no controllers listed */
			v = limit_at("/sys/fs/cgroup", c2 + 1, "memory.max");
		else if (has_controller(c1 + 1, "memory"))
			v = limit_at("/sys/fs/cgroup/memory", c2 + 1, "memory.limit_in_bytes");
		if (v && (!best || v < best))
			best = v;
	}
	fclose(f);
	return best;
}

size_t pl_mem_default_limit(void)
{
	size_t cap = (size_t)4 << 30;
	long pages = sysconf(_SC_PHYS_PAGES);
	long page = sysconf(_SC_PAGESIZE);
	size_t avail = pages > 0 && page > 0 ? (size_t)pages * (size_t)page : 0;
	size_t cg = cgroup_limit();
	if (cg && (!avail || cg < avail))
		avail = cg;
	if (avail && avail / 2 < cap)
		cap = avail / 2;
	return cap;
}

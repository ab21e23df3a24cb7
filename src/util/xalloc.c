#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Noreturn void pl_oom(void)
{
	fputs("prodlint: out of memory\n", stderr);
	exit(PL_EXIT_OOM);
}

void *pl_xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		pl_oom();
	return p;
}

void *pl_xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (!p)
		pl_oom();
	return p;
}

void *pl_xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);
	if (!p)
		pl_oom();
	return p;
}

char *pl_xstrndup(const char *s, size_t n)
{
	char *p = pl_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *pl_xstrdup(const char *s)
{
	return pl_xstrndup(s, strlen(s));
}

void pl_grow(void **items, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return;
	size_t n = *cap ? *cap : 8;
	while (n < need)
		n *= 2;
	if (n > (size_t)-1 / elem)
		pl_oom();
	*items = pl_xrealloc(*items, n * elem);
	*cap = n;
}

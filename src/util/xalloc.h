/*
 * xalloc: allocation that cannot fail from the caller's point of view.
 *
 * prodlint treats running out of memory as an incomplete scan: the process
 * prints "prodlint: out of memory" and exits with code 3 (SPEC 1). Every
 * allocation in prodlint's own code goes through these functions, so this is
 * the one place to swap the allocator (tests install a failing one).
 */
#ifndef PL_XALLOC_H
#define PL_XALLOC_H

#include <stddef.h>

/* Report running out of memory and exit with PL_EXIT_OOM. */
_Noreturn void pl_oom(void);

void *pl_xmalloc(size_t size);
void *pl_xcalloc(size_t count, size_t size);
void *pl_xrealloc(void *ptr, size_t size);
char *pl_xstrdup(const char *s);
char *pl_xstrndup(const char *s, size_t n);

/* Grow `*items` (element size `elem`) so it holds at least `need` elements. */
void pl_grow(void **items, size_t *cap, size_t need, size_t elem);

#define PL_GROW(items, cap, need) \
	pl_grow((void **)&(items), &(cap), (need), sizeof(*(items)))

/* Exit code used when memory runs out (an incomplete scan). */
#define PL_EXIT_OOM 3

#endif

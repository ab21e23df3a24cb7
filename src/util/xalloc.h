/*
 * xalloc: allocation that cannot fail from the caller's point of view.
 *
 * prodlint treats running out of memory as an incomplete scan: the process
 * prints "prodlint: out of memory" (naming the file being scanned, if any)
 * and exits with code 3 (SPEC 1). Every allocation in prodlint's own code
 * goes through these functions, and pl_mem_init (mem.h) routes the
 * libraries' allocators here too, so a failure anywhere ends the same way
 * instead of aborting or being mistaken for "no match".
 *
 * The memory ceiling: with a limit set, every allocation counts its size
 * against a per-thread budget, and each time a thread has allocated a
 * step's worth (or asks for one large block) it measures the heap bytes
 * live in the whole process (pl_xalloc_in_use); over the limit is out of
 * memory. Measuring the heap rather than summing our own allocations is
 * deliberate: our code and the libraries free with plain free(), which no
 * counter sees, and memory allocated behind our back (inside glibc, zlib)
 * counts too. The ceiling may be overshot by about one step per thread
 * (at most 16 MiB each).
 *
 * Memory returned here is plain malloc memory: free() releases it, and
 * memory a library allocated may be freed by us and the other way round.
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

/* The ceiling in bytes; 0 = none (the default until pl_mem_init sets one). */
void pl_xalloc_set_limit(size_t bytes);

/* Heap bytes in use by the whole process now (all threads and libraries). */
size_t pl_xalloc_in_use(void);

/*
 * The file this thread is working on, named when memory runs out; NULL:
 * none. The string is borrowed and must outlive the setting (the scan
 * workers set it per file and clear it when they run out of files).
 */
void pl_oom_set_file(const char *path);

#endif

/*
 * failmalloc: an LD_PRELOAD shim that makes one allocation fail (oom.py).
 *
 *   FAILMALLOC_N=n      the n-th call (1-based) to malloc, calloc, realloc,
 *                       posix_memalign, aligned_alloc or memalign returns
 *                       NULL with errno ENOMEM; every other call succeeds
 *   FAILMALLOC_COUNT=1  on a normal exit, print "failmalloc: <calls>" to
 *                       stderr (how many calls a run makes, to spread n over)
 *
 * Calls are counted across threads, so with several workers which call is
 * the n-th varies from run to run; any of them must be survived. The real
 * allocator is reached through glibc's __libc_* entry points (no dlsym,
 * which may allocate itself). Not for sanitizer builds: they own malloc.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *ptr, size_t size);
extern void *__libc_memalign(size_t align, size_t size);
extern void __libc_free(void *ptr);

/* The shim's entry points: declared to keep -Wmissing-prototypes quiet. */
void *malloc(size_t size);
void *calloc(size_t count, size_t size);
void *realloc(void *ptr, size_t size);
void free(void *ptr);
int posix_memalign(void **out, size_t align, size_t size);
void *aligned_alloc(size_t align, size_t size);
void *memalign(size_t align, size_t size);

static atomic_ulong calls;
static unsigned long fail_at; /* 0: never */
static atomic_int ready;

/* getenv does not allocate, so reading it on the first call is safe. */
static void setup(void)
{
	if (atomic_load_explicit(&ready, memory_order_acquire))
		return;
	const char *n = getenv("FAILMALLOC_N");
	fail_at = n ? strtoul(n, NULL, 10) : 0;
	atomic_store_explicit(&ready, 1, memory_order_release);
}

static int fail_now(void)
{
	setup();
	unsigned long n = atomic_fetch_add(&calls, 1) + 1;
	if (fail_at && n == fail_at) {
		errno = ENOMEM;
		return 1;
	}
	return 0;
}

void *malloc(size_t size)
{
	return fail_now() ? NULL : __libc_malloc(size);
}

void *calloc(size_t count, size_t size)
{
	return fail_now() ? NULL : __libc_calloc(count, size);
}

void *realloc(void *ptr, size_t size)
{
	if (ptr && size == 0) { /* a free, which cannot fail */
		__libc_free(ptr);
		return NULL;
	}
	return fail_now() ? NULL : __libc_realloc(ptr, size);
}

void free(void *ptr)
{
	__libc_free(ptr);
}

void *memalign(size_t align, size_t size)
{
	return fail_now() ? NULL : __libc_memalign(align, size);
}

void *aligned_alloc(size_t align, size_t size)
{
	return memalign(align, size);
}

int posix_memalign(void **out, size_t align, size_t size)
{
	if (align < sizeof(void *) || (align & (align - 1)))
		return EINVAL;
	void *p = memalign(align, size);
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}

__attribute__((destructor)) static void report(void)
{
	if (!getenv("FAILMALLOC_COUNT"))
		return;
	char buf[64];
	int len = snprintf(buf, sizeof(buf), "failmalloc: %lu\n", atomic_load(&calls));
	if (len > 0 && write(STDERR_FILENO, buf, (size_t)len) < 0)
		return;
}

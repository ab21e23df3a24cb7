#include "util/xalloc.h"

#include <fcntl.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* How the heap is measured: ASan replaces malloc (glibc's counters would
 * see nothing), glibc 2.33+ counts live bytes over all arenas, and elsewhere
 * the resident set has to do. */
#if defined(__SANITIZE_ADDRESS__)
#define PL_HEAP_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PL_HEAP_ASAN 1
#endif
#endif
#if defined(PL_HEAP_ASAN)
/* From the sanitizer runtime (gcc ships no header for it). */
size_t __sanitizer_get_current_allocated_bytes(void);
#elif defined(__GLIBC__)
#if __GLIBC_PREREQ(2, 33)
#include <malloc.h>
#define PL_HEAP_MALLINFO2 1
#endif
#endif

/*
 * The process's only mutable allocator state (set once at start, read by
 * every thread): the ceiling and how much a thread may allocate between two
 * measurements. A step of 1/64 of the ceiling keeps the overshoot small;
 * its bounds keep measuring rare (mallinfo2 walks the free lists: 0.2 ms
 * with 10,000 free chunks) and still catch a small ceiling early.
 */
static atomic_size_t limit_bytes;
static atomic_size_t step_bytes;
static _Thread_local size_t since_check; /* bytes this thread allocated since it measured */
static _Thread_local const char *current_file;
static atomic_flag dying = ATOMIC_FLAG_INIT;

#define STEP_MIN ((size_t)64 << 10)
#define STEP_MAX ((size_t)16 << 20)

void pl_xalloc_set_limit(size_t bytes)
{
	size_t step = bytes / 64;
	if (step < STEP_MIN)
		step = STEP_MIN;
	if (step > STEP_MAX)
		step = STEP_MAX;
	atomic_store(&step_bytes, step);
	atomic_store(&limit_bytes, bytes);
}

void pl_oom_set_file(const char *path)
{
	current_file = path;
}

size_t pl_xalloc_in_use(void)
{
#if defined(PL_HEAP_ASAN)
	return __sanitizer_get_current_allocated_bytes();
#elif defined(PL_HEAP_MALLINFO2)
	struct mallinfo2 mi = mallinfo2();
	return mi.uordblks + mi.hblkhd;
#else
	/* No allocation here: this runs when memory is short. */
	char buf[128];
	int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	unsigned long size, resident;
	if (sscanf(buf, "%lu %lu", &size, &resident) != 2)
		return 0;
	return (size_t)resident * (size_t)sysconf(_SC_PAGESIZE);
#endif
}

/* "512 MiB", "1.5 GiB": without allocating or floating point. */
static void format_size(size_t bytes, char *out, size_t cap)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB" };
	int u = -1;
	size_t scale = 1;
	while (u < 3 && bytes / scale >= 1024) {
		scale *= 1024;
		u++;
	}
	if (u < 0) {
		snprintf(out, cap, "%zu bytes", bytes);
		return;
	}
	size_t whole = bytes / scale;
	size_t tenths = (size_t)((uint64_t)(bytes % scale) * 10 / scale);
	if (tenths)
		snprintf(out, cap, "%zu.%zu %s", whole, tenths, units[u]);
	else
		snprintf(out, cap, "%zu %s", whole, units[u]);
}

/*
 * Say so once and leave. _exit, not exit: other threads are still running
 * (exit would run atexit handlers and flush stdio under them), no partial
 * report is flushed, and the sanitizers' leak check does not turn exit 3
 * into its own code. A second thread running out meanwhile waits for the
 * first to end the process.
 */
_Noreturn static void die(size_t limit)
{
	if (atomic_flag_test_and_set(&dying))
		for (;;)
			pause();
	char msg[4352], size[48] = "";
	const char *file = current_file;
	if (limit)
		format_size(limit, size, sizeof(size));
	int n = snprintf(msg, sizeof(msg), "prodlint: %s%sout of memory%s%s%s\n", file ? file : "",
			 file ? ": " : "", limit ? " (more than " : "", size,
			 limit ? " in use; see --max-memory)" : "");
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(msg))
		n = (int)sizeof(msg) - 1;
	ssize_t w = write(STDERR_FILENO, msg, (size_t)n);
	(void)w;
	_exit(PL_EXIT_OOM);
}

_Noreturn void pl_oom(void)
{
	die(0);
}

/* Count `n` bytes against this thread's step; measure once it is spent. */
static inline void charge(size_t n)
{
	size_t limit = atomic_load_explicit(&limit_bytes, memory_order_relaxed);
	if (!limit)
		return;
	size_t step = atomic_load_explicit(&step_bytes, memory_order_relaxed);
	if (n < step && since_check + n < step) {
		since_check += n;
		return;
	}
	since_check = 0;
	size_t used = pl_xalloc_in_use();
	if (n > limit || used > limit - n)
		die(limit);
}

void *pl_xmalloc(size_t size)
{
	charge(size);
	void *p = malloc(size ? size : 1);
	if (!p)
		pl_oom();
	return p;
}

void *pl_xcalloc(size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		pl_oom();
	charge(count * size);
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (!p)
		pl_oom();
	return p;
}

void *pl_xrealloc(void *ptr, size_t size)
{
	charge(size);
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

/*
 * strbuf: a growable, always NUL-terminated byte string.
 *
 * Lifecycle (as in git): PL_STRBUF_INIT or pl_strbuf_init(), append, then
 * pl_strbuf_release() to free, or pl_strbuf_detach() to take the buffer.
 * `buf` is never NULL after init, so it can be printed at any time.
 */
#ifndef PL_STRBUF_H
#define PL_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct pl_strbuf {
	char *buf;  /* owned; NUL-terminated; points at a static "" until the first append */
	size_t len;
	size_t cap;
} pl_strbuf;

extern char pl_strbuf_empty[];
#define PL_STRBUF_INIT { pl_strbuf_empty, 0, 0 }

void pl_strbuf_init(pl_strbuf *sb);
void pl_strbuf_release(pl_strbuf *sb);
void pl_strbuf_reset(pl_strbuf *sb);              /* empty it, keep the memory */
char *pl_strbuf_detach(pl_strbuf *sb);            /* caller frees; sb is re-initialised */
void pl_strbuf_add(pl_strbuf *sb, const void *data, size_t len);
void pl_strbuf_adds(pl_strbuf *sb, const char *s);
void pl_strbuf_addch(pl_strbuf *sb, char c);
void pl_strbuf_addf(pl_strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void pl_strbuf_vaddf(pl_strbuf *sb, const char *fmt, va_list ap);

#endif

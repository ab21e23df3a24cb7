#include "util/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

char pl_strbuf_empty[1];

void pl_strbuf_init(pl_strbuf *sb)
{
	sb->buf = pl_strbuf_empty;
	sb->len = 0;
	sb->cap = 0;
}

void pl_strbuf_release(pl_strbuf *sb)
{
	if (sb->cap)
		free(sb->buf);
	pl_strbuf_init(sb);
}

void pl_strbuf_reset(pl_strbuf *sb)
{
	sb->len = 0;
	if (sb->cap)
		sb->buf[0] = '\0';
}

char *pl_strbuf_detach(pl_strbuf *sb)
{
	char *out = sb->cap ? sb->buf : pl_xstrdup("");
	pl_strbuf_init(sb);
	return out;
}

static void reserve(pl_strbuf *sb, size_t extra)
{
	size_t need = sb->len + extra + 1;
	if (need <= sb->cap)
		return;
	size_t n = sb->cap ? sb->cap : 64;
	while (n < need)
		n *= 2;
	char *fresh = sb->cap ? pl_xrealloc(sb->buf, n) : pl_xmalloc(n);
	if (!sb->cap)
		fresh[0] = '\0';
	sb->buf = fresh;
	sb->cap = n;
}

void pl_strbuf_add(pl_strbuf *sb, const void *data, size_t len)
{
	reserve(sb, len);
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void pl_strbuf_adds(pl_strbuf *sb, const char *s)
{
	pl_strbuf_add(sb, s, strlen(s));
}

void pl_strbuf_addch(pl_strbuf *sb, char c)
{
	pl_strbuf_add(sb, &c, 1);
}

void pl_strbuf_vaddf(pl_strbuf *sb, const char *fmt, va_list ap)
{
	va_list copy;
	va_copy(copy, ap);
	int n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n <= 0)
		return;
	reserve(sb, (size_t)n);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void pl_strbuf_addf(pl_strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	pl_strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
}

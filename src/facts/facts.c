#include "facts/facts.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

void pl_facts_add(pl_facts *facts, const char *name, const char *path, unsigned line,
		  unsigned column, const char *fmt, ...)
{
	pl_strbuf detail = PL_STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	pl_strbuf_vaddf(&detail, fmt, ap);
	va_end(ap);
	PL_GROW(facts->items, facts->cap, facts->len + 1);
	pl_fact *f = &facts->items[facts->len++];
	f->name = pl_xstrdup(name);
	f->path = pl_xstrdup(path);
	f->line = line;
	f->column = column;
	f->detail = pl_strbuf_detach(&detail);
}

void pl_facts_take(pl_facts *to, pl_facts *from)
{
	PL_GROW(to->items, to->cap, to->len + from->len);
	if (from->len)
		memcpy(to->items + to->len, from->items, from->len * sizeof(pl_fact));
	to->len += from->len;
	free(from->items);
	memset(from, 0, sizeof(*from));
}

static int cmp_facts(const void *pa, const void *pb)
{
	const pl_fact *a = pa, *b = pb;
	int c = strcmp(a->name, b->name);
	if (!c) c = strcmp(a->path, b->path);
	if (!c) c = (a->line > b->line) - (a->line < b->line);
	if (!c) c = (a->column > b->column) - (a->column < b->column);
	if (!c) c = strcmp(a->detail, b->detail);
	return c;
}

static void free_fact(pl_fact *f)
{
	free(f->name);
	free(f->path);
	free(f->detail);
}

void pl_facts_finish(pl_facts *facts)
{
	if (!facts->len)
		return;
	qsort(facts->items, facts->len, sizeof(pl_fact), cmp_facts);
	size_t k = 0;
	for (size_t i = 0; i < facts->len; i++) {
		if (k && cmp_facts(&facts->items[k - 1], &facts->items[i]) == 0) {
			free_fact(&facts->items[i]);
			continue;
		}
		facts->items[k++] = facts->items[i];
	}
	facts->len = k;
}

void pl_facts_release(pl_facts *facts)
{
	for (size_t i = 0; i < facts->len; i++)
		free_fact(&facts->items[i]);
	free(facts->items);
	memset(facts, 0, sizeof(*facts));
}

const pl_fact *pl_facts_first(const pl_facts *facts, const char *name)
{
	for (size_t i = 0; i < facts->len; i++)
		if (strcmp(facts->items[i].name, name) == 0)
			return &facts->items[i];
	return NULL;
}

size_t pl_facts_count(const pl_facts *facts, const char *name)
{
	size_t n = 0;
	for (size_t i = 0; i < facts->len; i++)
		n += strcmp(facts->items[i].name, name) == 0;
	return n;
}

bool pl_fact_name_valid(const char *name)
{
	if (!*name)
		return false;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
			return false;
	return true;
}

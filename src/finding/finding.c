#include "finding/finding.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "util/xalloc.h"

void pl_findings_push(pl_findings *list, const pl_finding *f)
{
	PL_GROW(list->items, list->cap, list->len + 1);
	list->items[list->len++] = *f;
}

void pl_findings_take(pl_findings *to, pl_findings *from)
{
	PL_GROW(to->items, to->cap, to->len + from->len);
	if (from->len)
		memcpy(to->items + to->len, from->items, from->len * sizeof(pl_finding));
	to->len += from->len;
	free(from->items);
	memset(from, 0, sizeof(*from));
}

static void free_finding(pl_finding *f)
{
	free(f->path);
	free(f->message);
	free(f->snippet);
	free(f->matched);
}

static int cmp_unsigned(unsigned a, unsigned b)
{
	return (a > b) - (a < b);
}

static int by_position(const void *pa, const void *pb)
{
	const pl_finding *a = pa, *b = pb;
	int c = strcmp(a->path, b->path);
	if (!c) c = cmp_unsigned(a->line, b->line);
	if (!c) c = cmp_unsigned(a->column, b->column);
	if (!c) c = strcmp(a->rule->id, b->rule->id);
	if (!c) c = cmp_unsigned(a->end_line, b->end_line);
	if (!c) c = cmp_unsigned(a->end_column, b->end_column);
	if (!c) c = strcmp(a->message, b->message);
	return c;
}

static bool same_finding(const pl_finding *a, const pl_finding *b)
{
	return by_position(a, b) == 0;
}

void pl_findings_finish(pl_findings *list)
{
	if (!list->len)
		return;
	qsort(list->items, list->len, sizeof(pl_finding), by_position);
	size_t k = 0;
	for (size_t i = 0; i < list->len; i++) {
		if (k && same_finding(&list->items[k - 1], &list->items[i])) {
			free_finding(&list->items[i]);
			continue;
		}
		list->items[k++] = list->items[i];
	}
	list->len = k;
	for (size_t i = 0; i < list->len; i++) {
		pl_finding *f = &list->items[i];
		/* Occurrence: how many earlier findings share rule, path and text. */
		unsigned occurrence = 0;
		for (size_t j = i; j-- > 0;) {
			const pl_finding *g = &list->items[j];
			if (strcmp(g->path, f->path) != 0)
				break;
			if (g->rule == f->rule && strcmp(g->matched, f->matched) == 0)
				occurrence++;
		}
		XXH3_state_t *st = XXH3_createState();
		if (!st)
			pl_oom();
		XXH3_64bits_reset(st);
		XXH3_64bits_update(st, f->rule->id, strlen(f->rule->id) + 1);
		XXH3_64bits_update(st, f->path, strlen(f->path) + 1);
		XXH3_64bits_update(st, f->matched, strlen(f->matched) + 1);
		XXH3_64bits_update(st, &occurrence, sizeof(occurrence));
		snprintf(f->fingerprint, sizeof(f->fingerprint), "%016" PRIx64,
			 (uint64_t)XXH3_64bits_digest(st));
		XXH3_freeState(st);
	}
}

size_t pl_findings_filter(pl_findings *list, bool (*keep)(const pl_finding *f, void *ctx),
			  void *ctx)
{
	size_t k = 0;
	for (size_t i = 0; i < list->len; i++) {
		if (keep(&list->items[i], ctx))
			list->items[k++] = list->items[i];
		else
			free_finding(&list->items[i]);
	}
	size_t dropped = list->len - k;
	list->len = k;
	return dropped;
}

void pl_finding_release(pl_finding *f)
{
	free_finding(f);
	memset(f, 0, sizeof(*f));
}

void pl_findings_release(pl_findings *list)
{
	for (size_t i = 0; i < list->len; i++)
		free_finding(&list->items[i]);
	free(list->items);
	memset(list, 0, sizeof(*list));
}

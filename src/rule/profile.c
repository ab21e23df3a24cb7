#include "rule/profile.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

typedef struct entry {
	const pl_rule *rule;
	atomic_ullong us;        /* microseconds */
	atomic_ullong runs;      /* files the rule's matchers ran on */
	atomic_ullong matches;
} entry;

struct pl_rule_profile {
	entry *items;            /* sorted by rule address, for lookup */
	size_t len;
};

static int by_address(const void *a, const void *b)
{
	const pl_rule *x = ((const entry *)a)->rule, *y = ((const entry *)b)->rule;
	return (x > y) - (x < y);
}

pl_rule_profile *pl_rule_profile_new(const pl_ruleset *rs)
{
	pl_rule_profile *p = pl_xcalloc(1, sizeof(*p));
	p->items = pl_xcalloc(rs->len ? rs->len : 1, sizeof(entry));
	for (size_t i = 0; i < rs->len; i++)
		p->items[p->len++].rule = rs->rules[i];
	qsort(p->items, p->len, sizeof(entry), by_address);
	return p;
}

void pl_rule_profile_delete(pl_rule_profile *p)
{
	if (!p)
		return;
	free(p->items);
	free(p);
}

void pl_rule_profile_add(pl_rule_profile *p, const pl_rule *rule, double ms, size_t matches)
{
	entry key = { .rule = rule };
	entry *e = bsearch(&key, p->items, p->len, sizeof(entry), by_address);
	if (!e)
		return;
	atomic_fetch_add(&e->us, (unsigned long long)(ms * 1000.0));
	atomic_fetch_add(&e->runs, 1);
	atomic_fetch_add(&e->matches, matches);
}

static int by_time(const void *a, const void *b)
{
	unsigned long long x = atomic_load(&(*(entry *const *)a)->us);
	unsigned long long y = atomic_load(&(*(entry *const *)b)->us);
	if (x != y)
		return x < y ? 1 : -1;
	return strcmp((*(entry *const *)a)->rule->id, (*(entry *const *)b)->rule->id);
}

void pl_rule_profile_print(const pl_rule_profile *p, FILE *out, size_t top)
{
	entry **order = pl_xcalloc(p->len ? p->len : 1, sizeof(entry *));
	size_t n = 0;
	unsigned long long total = 0;
	for (size_t i = 0; i < p->len; i++) {
		if (atomic_load(&p->items[i].runs) == 0)
			continue;
		order[n++] = &p->items[i];
		total += atomic_load(&p->items[i].us);
	}
	qsort(order, n, sizeof(entry *), by_time);
	fprintf(out, "matching time per rule (each query on its own; %.3f s in all):\n",
		(double)total / 1e6);
	fprintf(out, "%10s %6s %8s %9s  %s\n", "seconds", "share", "files", "matches", "rule");
	for (size_t i = 0; i < n && (top == 0 || i < top); i++) {
		unsigned long long us = atomic_load(&order[i]->us);
		fprintf(out, "%10.3f %5.1f%% %8llu %9llu  %s\n", (double)us / 1e6,
			total ? 100.0 * (double)us / (double)total : 0.0,
			atomic_load(&order[i]->runs), atomic_load(&order[i]->matches),
			order[i]->rule->id);
	}
	free(order);
}

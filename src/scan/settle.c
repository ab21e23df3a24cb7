/*
 * Presence-only facts (scan_private.h): which facts the repo rules of a run
 * ask about only as "is it anywhere", and which of them a file has shown.
 */
#define _GNU_SOURCE
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "scan/scan_private.h"
#include "util/text.h"
#include "util/xalloc.h"

typedef struct settled_fact {
	const char *name;        /* the defining rule's, which outlives the run */
	atomic_bool seen;
} settled_fact;

struct pl_fact_settling {
	settled_fact *facts;
	size_t len;
};

/* Does a {{...}} of the template name the fact (conservatively: hold its
 * name anywhere)? */
static bool template_mentions(const char *tmpl, const char *name)
{
	size_t n = strlen(name);
	for (const char *open = tmpl ? strstr(tmpl, "{{") : NULL; open; open = strstr(open, "{{")) {
		const char *close = strstr(open + 2, "}}");
		if (!close)
			return false;
		const char *hit = memmem(open + 2, (size_t)(close - open - 2), name, n);
		if (hit)
			return true;
		open = close + 2;
	}
	return false;
}

/* No repo rule of the run needs the fact's evidence: it is never a `when`
 * (reported at, or one finding each) and no message shows it. */
static bool presence_only(const pl_ruleset *rules, const char *name)
{
	for (size_t i = 0; i < rules->len; i++) {
		const pl_rule *r = rules->rules[i];
		if (!r->repo)
			continue;
		if (pl_text_listed(r->repo->when, r->repo->nwhen, name) ||
		    (r->repo->at && strcmp(r->repo->at, name) == 0) ||
		    template_mentions(r->message, name))
			return false;
	}
	return true;
}

static settled_fact *find(const pl_fact_settling *s, const char *name)
{
	for (size_t i = 0; s && name && i < s->len; i++)
		if (strcmp(s->facts[i].name, name) == 0)
			return &s->facts[i];
	return NULL;
}

pl_fact_settling *pl_fact_settling_new(const pl_ruleset *rules)
{
	pl_fact_settling *s = pl_xcalloc(1, sizeof(*s));
	s->facts = pl_xcalloc(rules->len ? rules->len : 1, sizeof(settled_fact));
	for (size_t i = 0; i < rules->len; i++) {
		const char *name = rules->rules[i]->fact;
		if (!name || find(s, name) || !presence_only(rules, name))
			continue;
		s->facts[s->len].name = name;
		atomic_init(&s->facts[s->len].seen, false);
		s->len++;
	}
	if (s->len == 0) {
		pl_fact_settling_delete(s);
		return NULL;
	}
	return s;
}

void pl_fact_settling_delete(pl_fact_settling *s)
{
	if (!s)
		return;
	free(s->facts);
	free(s);
}

bool pl_fact_settled(const pl_fact_settling *s, const char *name)
{
	settled_fact *f = find(s, name);
	return f && atomic_load_explicit(&f->seen, memory_order_relaxed);
}

void pl_fact_settling_saw(pl_fact_settling *s, const char *name)
{
	settled_fact *f = find(s, name);
	if (f && !atomic_load_explicit(&f->seen, memory_order_relaxed))
		atomic_store_explicit(&f->seen, true, memory_order_relaxed);
}

void pl_fact_settling_saw_all(pl_fact_settling *s, const pl_facts *facts)
{
	for (size_t i = 0; s && i < facts->len; i++)
		pl_fact_settling_saw(s, facts->items[i].name);
}

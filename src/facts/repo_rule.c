#include "facts/repo_rule.h"

#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "util/text.h"
#include "util/xalloc.h"

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void pl_repo_matcher_release(pl_repo_matcher *m)
{
	free_list(m->when, m->nwhen);
	free_list(m->require, m->nrequire);
	free_list(m->require_any, m->nrequire_any);
	free_list(m->unless, m->nunless);
	free(m->at);
	memset(m, 0, sizeof(*m));
}

bool pl_repo_matcher_fires(const pl_repo_matcher *m, const pl_facts *facts,
			   const pl_fact **evidence)
{
	for (size_t i = 0; i < m->nwhen; i++)
		if (!pl_facts_first(facts, m->when[i]))
			return false;
	for (size_t i = 0; i < m->nunless; i++)
		if (pl_facts_first(facts, m->unless[i]))
			return false;
	bool satisfied = m->nrequire > 0 || m->nrequire_any > 0;
	for (size_t i = 0; i < m->nrequire && satisfied; i++)
		satisfied = pl_facts_first(facts, m->require[i]) != NULL;
	if (m->nrequire_any) {
		bool any = false;
		for (size_t i = 0; i < m->nrequire_any && !any; i++)
			any = pl_facts_first(facts, m->require_any[i]) != NULL;
		satisfied = satisfied && any;
	}
	if ((m->nrequire || m->nrequire_any) && satisfied)
		return false;
	*evidence = pl_facts_first(facts, m->at ? m->at : m->when[0]);
	return *evidence != NULL;
}

/* {{fact}}: first evidence as path:line (+ "and N more"); {{fact.path}};
 * {{fact.detail}}; {{fact.count}}; "nowhere" for a fact with no evidence. */
static void resolve_fact(pl_strbuf *out, const char *expr, size_t len, void *ctxp)
{
	const pl_facts *facts = ctxp;
	char *name = pl_xstrndup(expr, len);
	char *dot = strchr(name, '.');
	const char *field = NULL;
	if (dot) {
		*dot = '\0';
		field = dot + 1;
	}
	const pl_fact *f = pl_facts_first(facts, name);
	size_t count = pl_facts_count(facts, name);
	if (field && strcmp(field, "count") == 0) {
		pl_strbuf_addf(out, "%zu", count);
	} else if (!f) {
		pl_strbuf_adds(out, "nowhere");
	} else if (field && strcmp(field, "detail") == 0) {
		pl_strbuf_adds(out, f->detail);
	} else if (field && strcmp(field, "path") == 0) {
		pl_strbuf_adds(out, f->path);
	} else {
		pl_strbuf_addf(out, "%s:%u", f->path, f->line);
		if (count > 1)
			pl_strbuf_addf(out, " (and %zu more)", count - 1);
	}
	free(name);
}

char *pl_repo_render(const char *tmpl, const pl_facts *facts)
{
	pl_strbuf sb = PL_STRBUF_INIT;
	pl_template_expand(&sb, tmpl, resolve_fact, (void *)facts);
	return pl_strbuf_detach(&sb);
}

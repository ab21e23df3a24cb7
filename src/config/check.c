#include "config/check.h"

#include <stdlib.h>
#include <string.h>

#include "util/wildmatch.h"

/* Node visits one document may cost; generous for real files, finite for bombs. */
#define VISIT_BUDGET 2000000u

void pl_cond_delete(pl_cond *c)
{
	if (!c)
		return;
	pl_path_delete(c->path);
	for (size_t i = 0; i < c->nvalues; i++)
		free(c->values[i]);
	free(c->values);
	pl_regex_delete(c->regex);
	for (size_t i = 0; i < c->nchildren; i++)
		pl_cond_delete(c->children[i]);
	free(c->children);
	free(c);
}

bool pl_path_filter_allows(const pl_path_filter *f, const char *path)
{
	if (f->len == 0)
		return true;
	for (size_t i = 0; i < f->len; i++)
		if (pl_wildmatch(f->globs[i], path, PL_WM_PATHNAME))
			return true;
	return false;
}

void pl_path_filter_release(pl_path_filter *f)
{
	for (size_t i = 0; i < f->len; i++)
		free(f->globs[i]);
	free(f->globs);
	f->globs = NULL;
	f->len = 0;
}

void pl_config_matcher_release(pl_config_matcher *m)
{
	pl_path_filter_release(&m->paths);
	pl_cond_delete(m->when);
	for (size_t i = 0; i < m->nselect; i++)
		pl_path_delete(m->select[i]);
	free(m->select);
	pl_cond_delete(m->require);
	pl_cond_delete(m->forbid);
	free(m->message);
	memset(m, 0, sizeof(*m));
}

typedef struct leaf {
	const pl_cond *cond;
	bool found;              /* some reached node satisfied the test */
	bool reached;            /* the path reached something */
	pl_culprit first;        /* first node reached */
	pl_culprit hit;          /* the node that satisfied the test */
} leaf;

/* Does one reached node satisfy a leaf test? */
static bool node_satisfies(const pl_cond *c, const pl_node *n)
{
	bool scalar = n->kind == PL_NODE_SCALAR;
	switch (c->kind) {
	case PL_COND_EQUALS:
	case PL_COND_IN:
		if (!scalar)
			return false;
		for (size_t i = 0; i < c->nvalues; i++)
			if (strcmp(n->text, c->values[i]) == 0)
				return true;
		return false;
	case PL_COND_NOT_EQUALS:
	case PL_COND_NOT_IN:
		if (!scalar)
			return false;
		for (size_t i = 0; i < c->nvalues; i++)
			if (strcmp(n->text, c->values[i]) == 0)
				return false;
		return true;
	case PL_COND_MATCHES:
		return scalar && pl_regex_search(c->regex, n->text, n->text_len);
	case PL_COND_NOT_MATCHES:
		return scalar && !pl_regex_search(c->regex, n->text, n->text_len);
	case PL_COND_GT:
	case PL_COND_GE:
	case PL_COND_LT:
	case PL_COND_LE:
		if (!scalar || (n->type != PL_SCALAR_INT && n->type != PL_SCALAR_FLOAT))
			return false;
		return c->kind == PL_COND_GT ? n->number > c->number
		     : c->kind == PL_COND_GE ? n->number >= c->number
		     : c->kind == PL_COND_LT ? n->number < c->number
					     : n->number <= c->number;
	default:
		return true; /* PRESENT: reaching it is enough */
	}
}

static bool on_reached(void *ctx, const pl_node *node, const pl_pair *via)
{
	leaf *l = ctx;
	if (!l->reached)
		l->first = (pl_culprit){ node, via };
	l->reached = true;
	if (l->cond->kind == PL_COND_KEY_MATCHES) {
		if (node->kind != PL_NODE_MAPPING)
			return true;
		for (size_t i = 0; i < node->npairs; i++) {
			const pl_pair *p = &node->pairs[i];
			if (pl_regex_search(l->cond->regex, p->key, p->key_len)) {
				l->found = true;
				l->hit = (pl_culprit){ p->value, p };
				return false;
			}
		}
		return true;
	}
	if (node_satisfies(l->cond, node)) {
		l->found = true;
		l->hit = (pl_culprit){ node, via };
		return false; /* one is enough */
	}
	return true;
}

bool pl_cond_eval(const pl_cond *c, const pl_node *base, pl_path_env *env, pl_culprit *culprit)
{
	switch (c->kind) {
	case PL_COND_ALL: {
		pl_culprit each = { base, NULL }, last = { base, NULL };
		bool have_last = false;
		for (size_t i = 0; i < c->nchildren; i++) {
			if (!pl_cond_eval(c->children[i], base, env, &each)) {
				*culprit = each;
				return false;
			}
			/* All held: report at the last positive test, so authors order the
			 * most specific one last; a `not` only exempts and never decides. */
			if (c->children[i]->kind != PL_COND_NOT) {
				last = each;
				have_last = true;
			}
		}
		*culprit = have_last ? last : each;
		return true;
	}
	case PL_COND_ANY: {
		pl_culprit first_failure = { base, NULL }, tmp;
		for (size_t i = 0; i < c->nchildren; i++) {
			if (pl_cond_eval(c->children[i], base, env, &tmp)) {
				*culprit = tmp;
				return true;
			}
			if (i == 0)
				first_failure = tmp;
		}
		*culprit = first_failure;
		return false;
	}
	case PL_COND_NOT: {
		bool r = pl_cond_eval(c->children[0], base, env, culprit);
		return !r;
	}
	default:
		break;
	}
	leaf l = { .cond = c };
	pl_path_each(c->path, base, env, on_reached, &l);
	if (c->kind == PL_COND_ABSENT) {
		if (l.reached) {
			*culprit = l.first;
			return false;
		}
		culprit->node = pl_path_deepest(c->path, base, env, &culprit->via);
		return true;
	}
	if (l.found) {
		*culprit = l.hit;
		return true;
	}
	if (l.reached) {
		*culprit = l.first;
	} else {
		culprit->node = pl_path_deepest(c->path, base, env, &culprit->via);
	}
	return false;
}

typedef struct select_ctx {
	const pl_config_matcher *m;
	const pl_node *doc;
	pl_path_env *env;
	pl_config_hit_fn fn;
	void *ctx;
} select_ctx;

static bool check_selected(void *ctxp, const pl_node *node, const pl_pair *via)
{
	select_ctx *s = ctxp;
	pl_culprit culprit = { node, via };
	if (s->m->require && !pl_cond_eval(s->m->require, node, s->env, &culprit))
		s->fn(s->ctx, s->doc, node, &culprit);
	culprit = (pl_culprit){ node, via };
	if (s->m->forbid && pl_cond_eval(s->m->forbid, node, s->env, &culprit))
		s->fn(s->ctx, s->doc, node, &culprit);
	return s->env->budget > 0;
}

bool pl_config_matcher_run(const pl_config_matcher *m, const pl_config *cfg,
			   pl_config_hit_fn fn, void *ctx)
{
	if (!(m->kinds & (1u << cfg->kind)))
		return true;
	bool complete = true;
	for (size_t d = 0; d < cfg->ndocuments; d++) {
		const pl_node *doc = cfg->documents[d];
		pl_path_env env = { doc, VISIT_BUDGET };
		pl_culprit unused;
		if (m->when && !pl_cond_eval(m->when, doc, &env, &unused))
			continue;
		select_ctx s = { m, doc, &env, fn, ctx };
		if (m->nselect == 0) {
			check_selected(&s, doc, NULL);
		} else {
			for (size_t i = 0; i < m->nselect && env.budget > 0; i++)
				pl_path_each(m->select[i], doc, &env, check_selected, &s);
		}
		if (env.budget == 0)
			complete = false;
	}
	return complete;
}

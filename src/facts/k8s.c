#include "facts/k8s.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

typedef struct label {
	char *key, *value;
} label;

typedef struct expr {
	char *key, *op;
	char **values;
	size_t nvalues;
} expr;

typedef struct workload {
	char *path, *kind, *name, *ns;
	unsigned line, col;
	double replicas;         /* < 0: unset */
	label *labels;
	size_t nlabels;
} workload;

typedef struct pdb {
	char *ns;
	label *match;
	size_t nmatch;
	expr *exprs;
	size_t nexprs;
} pdb;

struct pl_k8s {
	workload *workloads;
	size_t nworkloads, capw;
	pdb *pdbs;
	size_t npdbs, capp;
};

pl_k8s *pl_k8s_new(void)
{
	return pl_xcalloc(1, sizeof(pl_k8s));
}

static void free_labels(label *l, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(l[i].key);
		free(l[i].value);
	}
	free(l);
}

void pl_k8s_delete(pl_k8s *k)
{
	if (!k)
		return;
	for (size_t i = 0; i < k->nworkloads; i++) {
		workload *w = &k->workloads[i];
		free(w->path);
		free(w->kind);
		free(w->name);
		free(w->ns);
		free_labels(w->labels, w->nlabels);
	}
	free(k->workloads);
	for (size_t i = 0; i < k->npdbs; i++) {
		pdb *p = &k->pdbs[i];
		free(p->ns);
		free_labels(p->match, p->nmatch);
		for (size_t e = 0; e < p->nexprs; e++) {
			free(p->exprs[e].key);
			free(p->exprs[e].op);
			for (size_t v = 0; v < p->exprs[e].nvalues; v++)
				free(p->exprs[e].values[v]);
			free(p->exprs[e].values);
		}
		free(p->exprs);
	}
	free(k->pdbs);
	free(k);
}

void pl_k8s_take(pl_k8s *to, pl_k8s *from)
{
	PL_GROW(to->workloads, to->capw, to->nworkloads + from->nworkloads);
	if (from->nworkloads)
		memcpy(to->workloads + to->nworkloads, from->workloads,
		       from->nworkloads * sizeof(workload));
	to->nworkloads += from->nworkloads;
	from->nworkloads = 0;
	PL_GROW(to->pdbs, to->capp, to->npdbs + from->npdbs);
	if (from->npdbs)
		memcpy(to->pdbs + to->npdbs, from->pdbs, from->npdbs * sizeof(pdb));
	to->npdbs += from->npdbs;
	from->npdbs = 0;
}

static label *read_labels(const pl_node *map, size_t *n)
{
	*n = 0;
	if (!map || map->kind != PL_NODE_MAPPING || map->npairs == 0)
		return NULL;
	label *l = pl_xcalloc(map->npairs, sizeof(label));
	for (size_t i = 0; i < map->npairs; i++) {
		if (map->pairs[i].value->kind != PL_NODE_SCALAR)
			continue;
		l[*n].key = pl_xstrdup(map->pairs[i].key);
		l[(*n)++].value = pl_xstrdup(map->pairs[i].value->text);
	}
	return l;
}

static const char *namespace_of(const pl_node *doc)
{
	const char *ns = pl_node_get_text(pl_node_get(doc, "metadata"), "namespace");
	return ns ? ns : "";
}

static void add_workload(pl_k8s *k, const pl_node *doc, const char *kind, const char *path)
{
	const pl_node *spec = pl_node_get(doc, "spec");
	const pl_node *tmpl_labels =
		pl_node_get(pl_node_get(pl_node_get(spec, "template"), "metadata"), "labels");
	const pl_node *replicas = pl_node_get(spec, "replicas");
	PL_GROW(k->workloads, k->capw, k->nworkloads + 1);
	workload *w = &k->workloads[k->nworkloads++];
	memset(w, 0, sizeof(*w));
	const pl_pair *kp = pl_node_get_pair(doc, "kind");
	w->path = pl_xstrdup(path);
	w->kind = pl_xstrdup(kind);
	const char *name = pl_node_get_text(pl_node_get(doc, "metadata"), "name");
	w->name = pl_xstrdup(name ? name : "");
	w->ns = pl_xstrdup(namespace_of(doc));
	w->line = kp ? kp->key_line : doc->line;
	w->col = kp ? kp->key_col : doc->col;
	w->replicas = replicas && (replicas->type == PL_SCALAR_INT) ? replicas->number : -1;
	w->labels = read_labels(tmpl_labels, &w->nlabels);
}

static void add_pdb(pl_k8s *k, const pl_node *doc)
{
	const pl_node *sel = pl_node_get(pl_node_get(doc, "spec"), "selector");
	PL_GROW(k->pdbs, k->capp, k->npdbs + 1);
	pdb *p = &k->pdbs[k->npdbs++];
	memset(p, 0, sizeof(*p));
	p->ns = pl_xstrdup(namespace_of(doc));
	p->match = read_labels(pl_node_get(sel, "matchLabels"), &p->nmatch);
	const pl_node *exprs = pl_node_get(sel, "matchExpressions");
	if (!exprs || exprs->kind != PL_NODE_SEQUENCE || exprs->nitems == 0)
		return;
	p->exprs = pl_xcalloc(exprs->nitems, sizeof(expr));
	for (size_t i = 0; i < exprs->nitems; i++) {
		const char *key = pl_node_get_text(exprs->items[i], "key");
		const char *op = pl_node_get_text(exprs->items[i], "operator");
		if (!key || !op)
			continue;
		expr *e = &p->exprs[p->nexprs++];
		e->key = pl_xstrdup(key);
		e->op = pl_xstrdup(op);
		const pl_node *vals = pl_node_get(exprs->items[i], "values");
		if (vals && vals->kind == PL_NODE_SEQUENCE && vals->nitems) {
			e->values = pl_xcalloc(vals->nitems, sizeof(char *));
			for (size_t v = 0; v < vals->nitems; v++)
				if (vals->items[v]->kind == PL_NODE_SCALAR)
					e->values[e->nvalues++] = pl_xstrdup(vals->items[v]->text);
		}
	}
}

void pl_k8s_collect(pl_k8s *k, const pl_config *cfg, const char *path)
{
	if (cfg->kind != PL_KIND_KUBERNETES)
		return;
	static const char *const kinds[] = { "Deployment", "StatefulSet", "ReplicaSet", "Rollout", NULL };
	for (size_t d = 0; d < cfg->ndocuments; d++) {
		const pl_node *doc = cfg->documents[d];
		const char *kind = pl_node_get_text(doc, "kind");
		if (!kind)
			continue;
		if (strcmp(kind, "PodDisruptionBudget") == 0) {
			add_pdb(k, doc);
			continue;
		}
		for (const char *const *w = kinds; *w; w++)
			if (strcmp(kind, *w) == 0)
				add_workload(k, doc, kind, path);
	}
}

static const char *label_value(const workload *w, const char *key)
{
	for (size_t i = 0; i < w->nlabels; i++)
		if (strcmp(w->labels[i].key, key) == 0)
			return w->labels[i].value;
	return NULL;
}

static bool in_values(const expr *e, const char *v)
{
	for (size_t i = 0; i < e->nvalues; i++)
		if (strcmp(e->values[i], v) == 0)
			return true;
	return false;
}

/* Kubernetes label selector semantics; an empty selector selects nothing
 * for a PDB (policy/v1: it matches every pod, but nobody writes that). */
static bool selects(const pdb *p, const workload *w)
{
	if (strcmp(p->ns, w->ns) != 0 || (p->nmatch == 0 && p->nexprs == 0))
		return false;
	for (size_t i = 0; i < p->nmatch; i++) {
		const char *v = label_value(w, p->match[i].key);
		if (!v || strcmp(v, p->match[i].value) != 0)
			return false;
	}
	for (size_t i = 0; i < p->nexprs; i++) {
		const expr *e = &p->exprs[i];
		const char *v = label_value(w, e->key);
		if (strcmp(e->op, "In") == 0 && !(v && in_values(e, v)))
			return false;
		if (strcmp(e->op, "NotIn") == 0 && v && in_values(e, v))
			return false;
		if (strcmp(e->op, "Exists") == 0 && !v)
			return false;
		if (strcmp(e->op, "DoesNotExist") == 0 && v)
			return false;
	}
	return true;
}

void pl_k8s_analyse(const pl_k8s *k, pl_facts *out)
{
	for (size_t i = 0; i < k->nworkloads; i++) {
		const workload *w = &k->workloads[i];
		if (w->replicas < 2)
			continue; /* single replicas are another rule's business */
		bool covered = false;
		for (size_t p = 0; p < k->npdbs && !covered; p++)
			covered = selects(&k->pdbs[p], w);
		if (!covered)
			pl_facts_add(out, "k8s-workload-without-pdb", w->path, w->line, w->col,
				     "%s `%s` runs %.0f replicas and no PodDisruptionBudget selects its pods",
				     w->kind, w->name, w->replicas);
	}
}

/* --- JSON (the per-file cache) and views ------------------------------------- */

static json_t *labels_json(const label *l, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("[s,s]", l[i].key, l[i].value));
	return a;
}

static int labels_read(const json_t *a, label **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!json_is_array(a))
		return -1;
	size_t len = json_array_size(a);
	if (!len)
		return 0;
	*out = pl_xcalloc(len, sizeof(label));
	for (size_t i = 0; i < len; i++) {
		const char *k, *v;
		if (json_unpack(json_array_get(a, i), "[s,s]", &k, &v) < 0)
			return -1;
		(*out)[*n].key = pl_xstrdup(k);
		(*out)[(*n)++].value = pl_xstrdup(v);
	}
	return 0;
}

json_t *pl_k8s_to_json(const pl_k8s *k)
{
	json_t *ws = json_array(), *ps = json_array();
	for (size_t i = 0; i < k->nworkloads; i++) {
		const workload *w = &k->workloads[i];
		json_array_append_new(ws, json_pack("{s:s,s:s,s:s,s:s,s:I,s:I,s:f,s:o}", "path",
						    w->path, "kind", w->kind, "name", w->name, "ns",
						    w->ns, "line", (json_int_t)w->line, "col",
						    (json_int_t)w->col, "replicas", w->replicas, "labels",
						    labels_json(w->labels, w->nlabels)));
	}
	for (size_t i = 0; i < k->npdbs; i++) {
		const pdb *p = &k->pdbs[i];
		json_t *exprs = json_array();
		for (size_t e = 0; e < p->nexprs; e++) {
			json_t *values = json_array();
			for (size_t v = 0; v < p->exprs[e].nvalues; v++)
				json_array_append_new(values, json_string(p->exprs[e].values[v]));
			json_array_append_new(exprs, json_pack("{s:s,s:s,s:o}", "key", p->exprs[e].key,
							       "op", p->exprs[e].op, "values", values));
		}
		json_array_append_new(ps, json_pack("{s:s,s:o,s:o}", "ns", p->ns, "match",
						    labels_json(p->match, p->nmatch), "exprs", exprs));
	}
	return json_pack("{s:o,s:o}", "workloads", ws, "pdbs", ps);
}

static int read_pdb(pl_k8s *k, const json_t *jp)
{
	const char *ns;
	json_t *match, *exprs;
	if (json_unpack((json_t *)jp, "{s:s,s:o,s:o}", "ns", &ns, "match", &match, "exprs",
			&exprs) < 0 ||
	    !json_is_array(exprs))
		return -1;
	PL_GROW(k->pdbs, k->capp, k->npdbs + 1);
	pdb *p = &k->pdbs[k->npdbs++];
	memset(p, 0, sizeof(*p));
	p->ns = pl_xstrdup(ns);
	if (labels_read(match, &p->match, &p->nmatch) < 0)
		return -1;
	size_t n = json_array_size(exprs);
	if (!n)
		return 0;
	p->exprs = pl_xcalloc(n, sizeof(expr));
	for (size_t i = 0; i < n; i++) {
		const char *key, *op;
		json_t *values;
		if (json_unpack(json_array_get(exprs, i), "{s:s,s:s,s:o}", "key", &key, "op", &op,
				"values", &values) < 0 ||
		    !json_is_array(values))
			return -1;
		expr *e = &p->exprs[p->nexprs++];
		e->key = pl_xstrdup(key);
		e->op = pl_xstrdup(op);
		size_t nv = json_array_size(values);
		e->values = nv ? pl_xcalloc(nv, sizeof(char *)) : NULL;
		for (size_t v = 0; v < nv; v++) {
			const char *s = json_string_value(json_array_get(values, v));
			if (!s)
				return -1;
			e->values[e->nvalues++] = pl_xstrdup(s);
		}
	}
	return 0;
}

int pl_k8s_read_json(pl_k8s *k, const json_t *json)
{
	json_t *ws, *ps;
	if (json_unpack((json_t *)json, "{s:o,s:o}", "workloads", &ws, "pdbs", &ps) < 0 ||
	    !json_is_array(ws) || !json_is_array(ps))
		return -1;
	for (size_t i = 0; i < json_array_size(ws); i++) {
		const char *path, *kind, *name, *ns;
		json_int_t line, col;
		double replicas;
		json_t *labels;
		if (json_unpack(json_array_get(ws, i), "{s:s,s:s,s:s,s:s,s:I,s:I,s:F,s:o}", "path",
				&path, "kind", &kind, "name", &name, "ns", &ns, "line", &line, "col",
				&col, "replicas", &replicas, "labels", &labels) < 0 ||
		    line < 0 || col < 0 || line > 0xffffffffll || col > 0xffffffffll)
			return -1;
		PL_GROW(k->workloads, k->capw, k->nworkloads + 1);
		workload *w = &k->workloads[k->nworkloads++];
		memset(w, 0, sizeof(*w));
		w->path = pl_xstrdup(path);
		w->kind = pl_xstrdup(kind);
		w->name = pl_xstrdup(name);
		w->ns = pl_xstrdup(ns);
		w->line = (unsigned)line;
		w->col = (unsigned)col;
		w->replicas = replicas;
		if (labels_read(labels, &w->labels, &w->nlabels) < 0)
			return -1;
	}
	for (size_t i = 0; i < json_array_size(ps); i++)
		if (read_pdb(k, json_array_get(ps, i)) < 0)
			return -1;
	return 0;
}

pl_k8s *pl_k8s_view_new(const pl_k8s *const *parts, size_t nparts)
{
	pl_k8s *view = pl_k8s_new();
	for (size_t i = 0; i < nparts; i++) {
		const pl_k8s *p = parts[i];
		if (!p)
			continue;
		PL_GROW(view->workloads, view->capw, view->nworkloads + p->nworkloads);
		if (p->nworkloads)
			memcpy(view->workloads + view->nworkloads, p->workloads,
			       p->nworkloads * sizeof(workload));
		view->nworkloads += p->nworkloads;
		PL_GROW(view->pdbs, view->capp, view->npdbs + p->npdbs);
		if (p->npdbs)
			memcpy(view->pdbs + view->npdbs, p->pdbs, p->npdbs * sizeof(pdb));
		view->npdbs += p->npdbs;
	}
	return view;
}

void pl_k8s_view_delete(pl_k8s *view)
{
	if (!view)
		return;
	free(view->workloads); /* the entries are the parts' */
	free(view->pdbs);
	free(view);
}

#include "config/path.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

typedef enum seg_kind { SEG_KEY, SEG_ANY, SEG_ITEMS, SEG_INDEX, SEG_DESCEND } seg_kind;
typedef enum root_kind { ROOT_BASE, ROOT_DOC, ROOT_POD } root_kind;

typedef struct segment {
	seg_kind kind;
	char *key;       /* SEG_KEY: owned */
	size_t index;    /* SEG_INDEX */
} segment;

struct pl_path {
	char *source;
	root_kind root;
	segment *segs;
	size_t nsegs, cap;
};

const char *pl_path_source(const pl_path *p)
{
	return p->source;
}

void pl_path_delete(pl_path *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nsegs; i++)
		free(p->segs[i].key);
	free(p->segs);
	free(p->source);
	free(p);
}

static void push(pl_path *p, seg_kind kind, char *key, size_t index)
{
	PL_GROW(p->segs, p->cap, p->nsegs + 1);
	p->segs[p->nsegs++] = (segment){ kind, key, index };
}

static bool name_char(char c)
{
	return c && c != '.' && c != '[' && c != ']' && c != '"' && c != '*';
}

pl_path *pl_path_compile(const char *src, char *err, size_t err_size, size_t *err_offset)
{
	pl_path *p = pl_xcalloc(1, sizeof(*p));
	p->source = pl_xstrdup(src);
	const char *s = src;
	if (strncmp(s, "$doc", 4) == 0 && (s[4] == '\0' || s[4] == '.' || s[4] == '[')) {
		p->root = ROOT_DOC;
		s += 4;
	} else if (strncmp(s, "$pod", 4) == 0 && (s[4] == '\0' || s[4] == '.' || s[4] == '[')) {
		p->root = ROOT_POD;
		s += 4;
	} else if (*s == '$') {
		snprintf(err, err_size, "unknown path root (known: $doc, $pod)");
		*err_offset = 0;
		goto fail;
	}
	if (strcmp(s, ".") == 0)
		return p;
	bool need_sep = p->root != ROOT_BASE;
	while (*s) {
		if (need_sep) {
			if (*s == '.') {
				s++;
			} else if (*s != '[') {
				snprintf(err, err_size, "expected '.' or '[' here");
				goto fail_at;
			}
		}
		need_sep = true;
		if (s[0] == '*' && s[1] == '*') {
			push(p, SEG_DESCEND, NULL, 0);
			s += 2;
		} else if (*s == '*') {
			push(p, SEG_ANY, NULL, 0);
			s++;
		} else if (*s == '[') {
			s++;
			if (*s == '*' && s[1] == ']') {
				push(p, SEG_ITEMS, NULL, 0);
				s += 2;
			} else if (*s == '"') {
				const char *start = ++s;
				while (*s && *s != '"')
					s++;
				if (*s != '"' || s[1] != ']') {
					snprintf(err, err_size, "unterminated quoted key: expected '\"]'");
					goto fail_at;
				}
				push(p, SEG_KEY, pl_xstrndup(start, (size_t)(s - start)), 0);
				s += 2;
			} else if (*s >= '0' && *s <= '9') {
				size_t v = 0;
				while (*s >= '0' && *s <= '9')
					v = v * 10 + (size_t)(*s++ - '0');
				if (*s != ']') {
					snprintf(err, err_size, "expected ']' after the index");
					goto fail_at;
				}
				push(p, SEG_INDEX, NULL, v);
				s++;
			} else {
				snprintf(err, err_size, "expected '*', a number or a quoted key after '['");
				goto fail_at;
			}
		} else if (name_char(*s)) {
			const char *start = s;
			while (name_char(*s))
				s++;
			push(p, SEG_KEY, pl_xstrndup(start, (size_t)(s - start)), 0);
		} else {
			snprintf(err, err_size, "expected a key, '*', '**' or '[' here");
			goto fail_at;
		}
	}
	return p;
fail_at:
	*err_offset = (size_t)(s - src);
fail:
	pl_path_delete(p);
	return NULL;
}

static const char *const pod_template_kinds[] = {
	"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job",
	"Rollout", NULL,
};

const pl_node *pl_k8s_pod_spec(const pl_node *doc)
{
	const char *kind = pl_node_get_text(doc, "kind");
	if (!kind)
		return NULL;
	const pl_node *spec = pl_node_get(doc, "spec");
	if (strcmp(kind, "Pod") == 0)
		return spec;
	if (strcmp(kind, "CronJob") == 0)
		spec = pl_node_get(pl_node_get(pl_node_get(spec, "jobTemplate"), "spec"), "template");
	else {
		bool known = false;
		for (const char *const *k = pod_template_kinds; *k && !known; k++)
			known = strcmp(kind, *k) == 0;
		if (!known)
			return NULL;
		spec = pl_node_get(spec, "template");
	}
	spec = pl_node_get(spec, "spec");
	return spec && spec->kind == PL_NODE_MAPPING ? spec : NULL;
}

typedef struct walk {
	const pl_path *path;
	pl_path_env *env;
	pl_path_fn fn;
	void *ctx;
	bool stopped;   /* fn asked to stop */
	bool exhausted; /* budget ran out */
} walk;

static bool spend(walk *w)
{
	if (w->env->budget == 0) {
		w->exhausted = true;
		return false;
	}
	w->env->budget--;
	return true;
}

static void step(walk *w, size_t i, const pl_node *node, const pl_pair *via);

static void descend_all(walk *w, size_t i, const pl_node *node, const pl_pair *via)
{
	if (w->stopped || w->exhausted || !spend(w))
		return;
	step(w, i, node, via); /* zero levels */
	if (node->kind == PL_NODE_MAPPING) {
		for (size_t k = 0; k < node->npairs && !w->stopped && !w->exhausted; k++)
			descend_all(w, i, node->pairs[k].value, &node->pairs[k]);
	} else if (node->kind == PL_NODE_SEQUENCE) {
		for (size_t k = 0; k < node->nitems && !w->stopped && !w->exhausted; k++)
			descend_all(w, i, node->items[k], NULL);
	}
}

/* Apply segment i (and the rest) to node. */
static void step(walk *w, size_t i, const pl_node *node, const pl_pair *via)
{
	if (w->stopped || w->exhausted)
		return;
	if (i == w->path->nsegs) {
		if (w->fn && !w->fn(w->ctx, node, via))
			w->stopped = true;
		return;
	}
	if (!spend(w))
		return;
	const segment *s = &w->path->segs[i];
	switch (s->kind) {
	case SEG_KEY: {
		const pl_pair *p = pl_node_get_pair(node, s->key);
		if (p)
			step(w, i + 1, p->value, p);
		break;
	}
	case SEG_ANY:
		if (node->kind == PL_NODE_MAPPING)
			for (size_t k = 0; k < node->npairs && !w->stopped && !w->exhausted; k++)
				step(w, i + 1, node->pairs[k].value, &node->pairs[k]);
		else if (node->kind == PL_NODE_SEQUENCE)
			for (size_t k = 0; k < node->nitems && !w->stopped && !w->exhausted; k++)
				step(w, i + 1, node->items[k], NULL);
		break;
	case SEG_ITEMS:
		if (node->kind == PL_NODE_SEQUENCE)
			for (size_t k = 0; k < node->nitems && !w->stopped && !w->exhausted; k++)
				step(w, i + 1, node->items[k], NULL);
		break;
	case SEG_INDEX:
		if (node->kind == PL_NODE_SEQUENCE && s->index < node->nitems)
			step(w, i + 1, node->items[s->index], NULL);
		break;
	case SEG_DESCEND:
		descend_all(w, i + 1, node, via);
		break;
	}
}

static const pl_node *root_of(const pl_path *p, const pl_node *base, const pl_path_env *env)
{
	switch (p->root) {
	case ROOT_DOC: return env->doc;
	case ROOT_POD: return env->doc ? pl_k8s_pod_spec(env->doc) : NULL;
	default: return base;
	}
}

bool pl_path_each(const pl_path *p, const pl_node *base, pl_path_env *env, pl_path_fn fn, void *ctx)
{
	const pl_node *start = root_of(p, base, env);
	if (!start)
		return true;
	walk w = { p, env, fn, ctx, false, false };
	step(&w, 0, start, NULL);
	return !w.exhausted;
}

const pl_node *pl_path_deepest(const pl_path *p, const pl_node *base, pl_path_env *env,
			       const pl_pair **via)
{
	(void)env;
	const pl_node *node = root_of(p, base, env);
	*via = NULL;
	if (!node)
		return base;
	for (size_t i = 0; i < p->nsegs; i++) {
		const segment *s = &p->segs[i];
		const pl_node *next = NULL;
		const pl_pair *next_via = NULL;
		if (s->kind == SEG_KEY) {
			next_via = pl_node_get_pair(node, s->key);
			next = next_via ? next_via->value : NULL;
		} else if (node->kind == PL_NODE_SEQUENCE && node->nitems &&
			   (s->kind == SEG_ITEMS || s->kind == SEG_ANY)) {
			next = node->items[0];
		} else if (node->kind == PL_NODE_MAPPING && node->npairs && s->kind == SEG_ANY) {
			next_via = &node->pairs[0];
			next = next_via->value;
		} else if (s->kind == SEG_INDEX && node->kind == PL_NODE_SEQUENCE &&
			   s->index < node->nitems) {
			next = node->items[s->index];
		}
		if (!next)
			break;
		node = next;
		*via = next_via;
	}
	return node;
}

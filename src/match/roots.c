#include "match/roots.h"

#include <stdlib.h>
#include <string.h>

#include "match/needs.h"
#include "match/pattern_internal.h"
#include "match/predicate.h"
#include "util/xalloc.h"

static int by_node(const void *a, const void *b)
{
	const TSNode *x = a, *y = b;
	uint32_t xs = ts_node_start_byte(*x), ys = ts_node_start_byte(*y);
	if (xs != ys)
		return (xs > ys) - (xs < ys);
	uintptr_t xi = (uintptr_t)x->id, yi = (uintptr_t)y->id;
	return (xi > yi) - (xi < yi);
}

static int by_place(const void *a, const void *b)
{
	const pl_place *x = a, *y = b;
	if (x->at != y->at)
		return (x->at > y->at) - (x->at < y->at);
	return (x->len > y->len) - (x->len < y->len);
}

static bool holds(TSNode node, uint32_t at, uint32_t end)
{
	return ts_node_start_byte(node) <= at && end <= ts_node_end_byte(node);
}

bool pl_roots_find(const TSTree *tree, const pl_place *places, size_t nplaces,
		   const pl_root_site *sites, size_t nsites, pl_site_test test, void *ctx,
		   size_t max, pl_root_list *roots)
{
	/* In text order, the nodes holding one place mostly hold the next: the
	 * path down to it is kept and only its new part walked and tested. */
	if (nplaces == 0)
		return true; /* no place, no match */
	pl_place *sorted = pl_xmalloc(nplaces * sizeof(pl_place));
	memcpy(sorted, places, nplaces * sizeof(pl_place));
	qsort(sorted, nplaces, sizeof(pl_place), by_place);
	TSNode root = ts_tree_root_node(tree);
	TSTreeCursor tc = ts_tree_cursor_new(root);
	TSNode *path = NULL; /* the nodes holding the place, from the root down */
	size_t path_cap = 0, depth = 0;
	bool ok = true;
	for (size_t i = 0; i < nplaces && ok; i++) {
		uint32_t at = sorted[i].at, end = at + sorted[i].len;
		size_t kept = 1; /* the root holds every place */
		while (kept < depth && holds(path[kept], at, end))
			kept++;
		if (i > 0 && kept == depth && sorted[i - 1].at == at && sorted[i - 1].len == sorted[i].len)
			continue; /* the same place again */
		PL_GROW(path, path_cap, 1);
		path[0] = root;
		depth = kept;
		ts_tree_cursor_reset(&tc, path[depth - 1]);
		while (ts_tree_cursor_goto_first_child_for_byte(&tc, at) >= 0) {
			TSNode node = ts_tree_cursor_current_node(&tc);
			if (!holds(node, at, end))
				break;
			PL_GROW(path, path_cap, depth + 1);
			path[depth++] = node;
		}
		/* nodes kept from the last place were tested then */
		size_t first_new = i == 0 ? 0 : kept;
		for (size_t j = depth; j-- > first_new && ok;) {
			for (size_t k = 0; k < nsites; k++) {
				if (sites[k].depth > j || !test(ctx, sites[k].capture, path[j]))
					continue;
				if (roots->len == max) {
					ok = false;
					break;
				}
				PL_GROW(roots->items, roots->cap, roots->len + 1);
				roots->items[roots->len++] = path[j - sites[k].depth];
			}
		}
	}
	ts_tree_cursor_delete(&tc);
	free(path);
	free(sorted);
	if (!ok) {
		roots->len = 0;
		return false;
	}
	if (roots->len > 1)
		qsort(roots->items, roots->len, sizeof(TSNode), by_node);
	size_t k = 0;
	for (size_t i = 0; i < roots->len; i++)
		if (k == 0 || roots->items[k - 1].id != roots->items[i].id)
			roots->items[k++] = roots->items[i];
	roots->len = k;
	return true;
}

/* --- where a compiled query's roots can be found from ------------------------- */

/* The captures whose predicates may give root anchors. */
typedef struct capture_names {
	const char **names;
	uint32_t *lens;
	size_t n;
} capture_names;

static bool is_site_capture(void *ctx, const char *name, size_t len)
{
	const capture_names *cn = ctx;
	for (size_t i = 0; i < cn->n; i++)
		if (cn->lens[i] == len && memcmp(cn->names[i], name, len) == 0)
			return true;
	return false;
}

/* Sites of the captures that predicates compare with strings (only those
 * tried cheaply on any node if `cheap_only`), with an anchor from their
 * predicates alone: every match then holds one of its literals inside a
 * node that a site's capture takes. Leaves c as it was if there is none. */
static void find_anchor_sites(compiled *c, const pl_capture_site *sites, size_t nsites,
			      bool cheap_only)
{
	uint32_t ncaptures = ts_query_capture_count(c->query);
	pl_root_site *out = NULL;
	size_t len = 0, cap = 0;
	capture_names kept = { pl_xcalloc(ncaptures + 1, sizeof(char *)),
			       pl_xcalloc(ncaptures + 1, sizeof(uint32_t)), 0 };
	for (uint32_t id = 0; id < ncaptures; id++) {
		bool cheaply;
		if (!pl_predicates_capture_filtered(c->preds, id, &cheaply) || (cheap_only && !cheaply))
			continue;
		uint32_t nlen;
		const char *name = ts_query_capture_name_for_id(c->query, id, &nlen);
		bool found = false;
		for (size_t i = 0; i < nsites; i++) {
			if (sites[i].name_len != nlen || memcmp(sites[i].name, name, nlen) != 0)
				continue;
			PL_GROW(out, cap, len + 1);
			out[len++] = (pl_root_site){ id, sites[i].depth };
			found = true;
		}
		if (found) {
			kept.names[kept.n] = name;
			kept.lens[kept.n++] = nlen;
		}
	}
	pl_literals anchor;
	pl_needs *needs = kept.n ? pl_needs_of_query_keeping(c->lang, c->text, c->len, is_site_capture,
							     &kept) : NULL;
	if (needs && pl_needs_anchor(needs, &anchor)) {
		c->root_anchor = pl_xmalloc(sizeof(anchor));
		*c->root_anchor = anchor;
		c->sites = out;
		c->nsites = len;
		out = NULL;
	}
	pl_needs_delete(needs);
	free(out);
	free(kept.names);
	free(kept.lens);
}

void pl_query_find_root_sites(compiled *c)
{
	pl_capture_site *sites;
	size_t nsites;
	if (!pl_query_capture_sites(c->text, c->len, &sites, &nsites))
		return;
	uint32_t ncaptures = ts_query_capture_count(c->query);
	pl_root_site *all = NULL;
	size_t nall = 0, all_cap = 0;
	for (uint32_t id = 0; id < ncaptures; id++) {
		uint32_t nlen;
		const char *name = ts_query_capture_name_for_id(c->query, id, &nlen);
		for (size_t i = 0; i < nsites; i++) {
			if (sites[i].name_len != nlen || memcmp(sites[i].name, name, nlen) != 0)
				continue;
			PL_GROW(all, all_cap, nall + 1);
			all[nall++] = (pl_root_site){ id, sites[i].depth };
		}
	}
	c->capture_sites = all;
	c->ncapture_sites = nall;
	/* Captures whose every regex fails fast on a large node first; if they
	 * give no anchor, all those a predicate compares with strings. */
	for (int cheap_only = 1; cheap_only >= 0 && !c->root_anchor; cheap_only--)
		find_anchor_sites(c, sites, nsites, cheap_only);
	free(sites);
}

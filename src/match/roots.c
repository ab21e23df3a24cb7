#include "match/roots.h"

#include <stdlib.h>
#include <string.h>

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
	pl_place *sorted = pl_xmalloc((nplaces ? nplaces : 1) * sizeof(pl_place));
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

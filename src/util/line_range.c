#include "util/line_range.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

void pl_line_ranges_add(pl_line_ranges *r, unsigned first, unsigned last)
{
	if (first > last) {
		unsigned t = first;
		first = last;
		last = t;
	}
	if (first == 0)
		first = 1;
	if (last == 0)
		last = 1;
	/* Insert in order, then swallow every neighbour it overlaps or touches.
	 * Hunks arrive sorted, so this is an append in practice. */
	size_t i = r->len;
	while (i > 0 && r->items[i - 1].first > first)
		i--;
	PL_GROW(r->items, r->cap, r->len + 1);
	memmove(r->items + i + 1, r->items + i, (r->len - i) * sizeof(pl_line_range));
	r->items[i] = (pl_line_range){ first, last };
	r->len++;
	if (i > 0 && r->items[i - 1].last + 1 >= first)
		i--; /* merge into the previous one */
	size_t k = i + 1;
	while (k < r->len && r->items[k].first <= r->items[i].last + 1) {
		if (r->items[k].last > r->items[i].last)
			r->items[i].last = r->items[k].last;
		if (r->items[k].first < r->items[i].first)
			r->items[i].first = r->items[k].first;
		k++;
	}
	memmove(r->items + i + 1, r->items + k, (r->len - k) * sizeof(pl_line_range));
	r->len -= k - i - 1;
}

bool pl_line_ranges_touch(const pl_line_ranges *r, unsigned first, unsigned last)
{
	if (first > last) {
		unsigned t = first;
		first = last;
		last = t;
	}
	/* The first range that ends at or after `first`; it touches iff it starts by `last`. */
	size_t lo = 0, hi = r->len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r->items[mid].last < first)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->len && r->items[lo].first <= last;
}

void pl_line_ranges_copy(pl_line_ranges *to, const pl_line_ranges *from)
{
	memset(to, 0, sizeof(*to));
	if (!from->len)
		return;
	to->items = pl_xcalloc(from->len, sizeof(pl_line_range));
	memcpy(to->items, from->items, from->len * sizeof(pl_line_range));
	to->len = to->cap = from->len;
}

void pl_line_ranges_release(pl_line_ranges *r)
{
	free(r->items);
	memset(r, 0, sizeof(*r));
}

/*
 * line_range: sets of changed lines, and whether a span touches one.
 *
 * --changed-since keeps a finding only when its span [line, end_line]
 * touches a line the diff changed. The git module (src/git/) produces the
 * ranges from diff hunks; the scan (src/scan/) asks about spans.
 *
 * Invariants: a pl_line_ranges list is sorted by `first`, its ranges do not
 * overlap or touch (pl_line_ranges_add merges them), and first <= last, both
 * 1-based. An empty list touches nothing.
 *
 * Usage:
 *   pl_line_ranges r = PL_LINE_RANGES_INIT;
 *   pl_line_ranges_add(&r, 10, 12);          // any order; merged as they come
 *   if (pl_line_ranges_touch(&r, f->line, f->end_line)) ... keep the finding
 *   pl_line_ranges_release(&r);
 */
#ifndef PL_LINE_RANGE_H
#define PL_LINE_RANGE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct pl_line_range {
	unsigned first, last;    /* 1-based, inclusive */
} pl_line_range;

typedef struct pl_line_ranges {
	pl_line_range *items;    /* owned; sorted, disjoint, not adjacent */
	size_t len, cap;
} pl_line_ranges;

#define PL_LINE_RANGES_INIT { NULL, 0, 0 }

/* Add [first, last] (swapped if given backwards; 0 is taken as 1). */
void pl_line_ranges_add(pl_line_ranges *r, unsigned first, unsigned last);
/* True if some line in [first, last] is in the set (binary search). */
bool pl_line_ranges_touch(const pl_line_ranges *r, unsigned first, unsigned last);
/* Deep copy of `from` into an empty `to`. */
void pl_line_ranges_copy(pl_line_ranges *to, const pl_line_ranges *from);
void pl_line_ranges_release(pl_line_ranges *r);

#endif

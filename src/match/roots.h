/*
 * roots: where the matches of a query can start, found from places in the
 * text instead of by walking the tree. Private to src/match/.
 *
 * A capture site says that every match taking a node with capture
 * `capture` has its root `depth` visible nodes above that node (needs.h,
 * pl_query_capture_sites). If every match of a query takes, with some
 * site's capture, a node that holds one of a set of places (literals its
 * predicates require, or the text a metavariable is bound to), its root is
 * found by going up from each place: at each node that holds the place and
 * that the capture could take (the caller's test), the node `depth` above.
 * A cursor started at each such root only (max start depth 0) then finds
 * every match, while walking only the roots' neighbourhoods.
 */
#ifndef PL_ROOTS_H
#define PL_ROOTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tree_sitter/api.h>

typedef struct pl_root_site {
	uint32_t capture;        /* capture id in the compiled query */
	unsigned depth;
} pl_root_site;

typedef struct pl_place {
	uint32_t at, len;        /* byte offset and length in the text */
} pl_place;

typedef struct pl_root_list {
	TSNode *items;           /* owned */
	size_t len, cap;
} pl_root_list;

/* Could `capture` take `node`? */
typedef bool (*pl_site_test)(void *ctx, uint32_t capture, TSNode node);

/* Fill `roots` (empty on entry) with each candidate root once, in document
 * order. False, leaving it empty, past `max` candidates. */
bool pl_roots_find(const TSTree *tree, const pl_place *places, size_t nplaces,
		   const pl_root_site *sites, size_t nsites, pl_site_test test, void *ctx,
		   size_t max, pl_root_list *roots);

#endif

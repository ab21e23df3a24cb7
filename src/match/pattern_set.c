#define _GNU_SOURCE
#include "match/pattern.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match/literals.h"
#include "match/needs.h"
#include "match/pattern_internal.h"
#include "match/predicate.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

struct pl_pattern_set {
	compiled *merged;        /* owned; the unanchored members' texts; NULL if none */
	pl_pattern *const *members; /* not owned */
	size_t n;
	pl_literals **anchors;   /* per member: run from these literals' places (owned), or NULL */
	uint32_t *member_of;     /* by pattern index of the merged query */
};

/* Mark p and its sub-patterns to compile on first use. */
static void make_lazy(pl_pattern *p, pl_query_cache *cache, pl_pattern *family)
{
	p->lazy = true;
	p->lazy_cache = cache;
	p->family = family;
	for (size_t i = 0; i < p->nrelations; i++)
		make_lazy(p->relations[i].sub, cache, family);
}

void pl_pattern_prepare_lazily(pl_pattern *p, pl_query_cache *cache)
{
	make_lazy(p, cache, p); /* p itself compiles only if a set runs it on its own */
}

/*
 * A member runs on its own, from the places its anchor literals occur
 * (needs.h), when it has such literals; otherwise it joins the merged query.
 * A literal too common to be worth ranges (anchor_ranges) makes it run
 * over the whole file instead.
 */
static pl_literals *anchor_of(const pl_pattern *p)
{
	pl_literals a;
	if (!p->lazy || !pl_needs_anchor(p->needs, &a))
		return NULL;
	pl_literals *out = pl_xmalloc(sizeof(a));
	*out = a;
	return out;
}

pl_pattern_set *pl_pattern_set_new(const pl_language *lang, pl_pattern *const *members, size_t n,
				   pl_compile_error *err)
{
	memset(err, 0, sizeof(*err));
	if (n == 0) {
		snprintf(err->message, sizeof(err->message), "empty pattern set");
		return NULL;
	}
	pl_strbuf text = PL_STRBUF_INIT;
	size_t *starts = pl_xcalloc(n + 1, sizeof(size_t));
	pl_literals **anchors = pl_xcalloc(n, sizeof(pl_literals *));
	for (size_t i = 0; i < n; i++) {
		starts[i] = text.len;
		anchors[i] = anchor_of(members[i]);
		if (anchors[i])
			continue;
		pl_strbuf_add(&text, members[i]->source, members[i]->source_len);
		pl_strbuf_addch(&text, '\n'); /* ends a trailing comment */
	}
	starts[n] = text.len;
	compiled *c = NULL;
	if (text.len) {
		c = pl_query_compile(lang, text.buf, text.len, err);
		if (!c) {
			pl_strbuf_release(&text);
			for (size_t i = 0; i < n; i++)
				free(anchors[i]);
			free(anchors);
			free(starts);
			return NULL;
		}
	}
	pl_strbuf_release(&text);
	pl_pattern_set *set = pl_xcalloc(1, sizeof(*set));
	set->merged = c;
	set->members = members;
	set->n = n;
	set->anchors = anchors;
	uint32_t npat = c ? ts_query_pattern_count(c->query) : 0;
	set->member_of = pl_xcalloc(npat ? npat : 1, sizeof(uint32_t));
	/* Patterns come in text order, so each member's are a run of indexes. */
	size_t member = 0;
	for (uint32_t i = 0; i < npat; i++) {
		uint32_t at = ts_query_start_byte_for_pattern(c->query, i);
		while (member + 1 < n && at >= starts[member + 1])
			member++;
		set->member_of[i] = (uint32_t)member;
	}
	free(starts);
	return set;
}

void pl_pattern_set_delete(pl_pattern_set *set)
{
	if (!set)
		return;
	pl_query_unref(set->merged);
	for (size_t i = 0; i < set->n; i++)
		free(set->anchors[i]);
	free(set->anchors);
	free(set->member_of);
	free(set);
}

bool pl_pattern_set_may_match(const pl_pattern_set *set, size_t member, pl_text_probe *probe)
{
	return pl_pattern_needs_met(set->members[member], probe);
}

/* Matches already seen by an anchored run: a match reached from two places
 * is reported once. Keyed by pattern and captured nodes. */
typedef struct seen_matches {
	uint64_t *hashes;
	uint32_t **keys;         /* [0] = length, then pattern, per capture: index, start, end */
	size_t len, cap;
} seen_matches;

static bool seen_before(seen_matches *seen, const TSQueryMatch *m)
{
	uint32_t n = 2 + 3u * m->capture_count;
	uint32_t *key = pl_xmalloc(n * sizeof(uint32_t));
	key[0] = n;
	key[1] = m->pattern_index;
	uint64_t h = 0xcbf29ce484222325u ^ m->pattern_index;
	for (uint16_t i = 0; i < m->capture_count; i++) {
		key[2 + 3 * i] = m->captures[i].index;
		key[3 + 3 * i] = ts_node_start_byte(m->captures[i].node);
		key[4 + 3 * i] = ts_node_end_byte(m->captures[i].node);
	}
	for (uint32_t i = 1; i < n; i++)
		h = (h ^ key[i]) * 0x100000001b3u;
	for (size_t i = 0; i < seen->len; i++) {
		if (seen->hashes[i] == h && seen->keys[i][0] == n &&
		    memcmp(seen->keys[i], key, n * sizeof(uint32_t)) == 0) {
			free(key);
			return true;
		}
	}
	if (seen->len == seen->cap) {
		seen->cap = seen->cap ? 2 * seen->cap : 16;
		seen->hashes = pl_xrealloc(seen->hashes, seen->cap * sizeof(uint64_t));
		seen->keys = pl_xrealloc(seen->keys, seen->cap * sizeof(uint32_t *));
	}
	seen->hashes[seen->len] = h;
	seen->keys[seen->len++] = key;
	return false;
}

static void seen_release(seen_matches *seen)
{
	for (size_t i = 0; i < seen->len; i++)
		free(seen->keys[i]);
	free(seen->keys);
	free(seen->hashes);
}

typedef struct byte_range {
	uint32_t start, end;
} byte_range;

static int by_start(const void *a, const void *b)
{
	const byte_range *x = a, *y = b;
	return (x->start > y->start) - (x->start < y->start);
}

/* Close places are one range; past this many, one run over the whole file. */
#define ANCHOR_GAP 256
#define ANCHOR_MAX_RANGES 256
/* Past this many places or roots, one run over the whole file. A cursor per
 * root walks that root's neighbourhood only, so even thousands cost less
 * than a walk of a large file. */
#define ANCHOR_MAX_ROOTS 65536

/* Places of the anchor's literals; false when there are more than `max` or
 * case folding moved bytes. */
static bool anchor_places(const pl_literals *anchor, const pl_source *src, pl_text_probe *probe,
			  size_t max, pl_place **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (anchor->nocase) {
		size_t folded_len;
		pl_text_probe_folded(probe, &folded_len);
		if (folded_len != src->len)
			return false; /* folding moved bytes: places would not line up */
	}
	pl_place *r = NULL;
	size_t len = 0, cap = 0;
	for (size_t i = 0; i < anchor->len; i++) {
		if (!pl_text_probe_has(probe, anchor->items[i], anchor->lens[i], anchor->nocase,
				       anchor->place))
			continue;
		long at = -1;
		while ((at = pl_text_probe_find(probe, (size_t)(at + 1), anchor->items[i],
						anchor->lens[i], anchor->nocase, anchor->place)) >= 0) {
			if (len == max) {
				free(r);
				return false;
			}
			PL_GROW(r, cap, len + 1);
			r[len++] = (pl_place){ (uint32_t)at, (uint32_t)anchor->lens[i] };
		}
	}
	*out = r;
	*n = len;
	return true;
}

/* Where the anchor's literals occur, as merged ranges; false when the file
 * is better run whole (too many places, or case folding moved bytes). */
static bool anchor_ranges(const pl_literals *anchor, const pl_source *src, pl_text_probe *probe,
			  byte_range **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	pl_place *places;
	size_t len;
	if (!anchor_places(anchor, src, probe, 4 * ANCHOR_MAX_RANGES, &places, &len))
		return false;
	byte_range *r = pl_xcalloc(len ? len : 1, sizeof(byte_range));
	for (size_t i = 0; i < len; i++)
		r[i] = (byte_range){ places[i].at, places[i].at + places[i].len };
	free(places);
	if (len > 1)
		qsort(r, len, sizeof(byte_range), by_start);
	size_t k = 0;
	for (size_t i = 0; i < len; i++) {
		if (k && r[i].start <= r[k - 1].end + ANCHOR_GAP) {
			if (r[i].end > r[k - 1].end)
				r[k - 1].end = r[i].end;
		} else {
			r[k++] = r[i];
		}
	}
	if (k > ANCHOR_MAX_RANGES) {
		free(r);
		return false;
	}
	*out = r;
	*n = k;
	return true;
}

/* Could the capture take the node: its cheap predicates hold there. */
typedef struct predicate_test {
	const compiled *c;
	const pl_source *src;
	bool valid_utf8;
} predicate_test;

static bool predicates_may_hold(void *ctx, uint32_t capture, TSNode node)
{
	const predicate_test *t = ctx;
	return pl_predicates_capture_may_hold(t->c->preds, capture, node, t->src->text,
					      t->src->len, t->valid_utf8);
}

/*
 * The roots of the matches an anchored member can have (roots.h): every
 * match takes a node holding one of the root anchor's literals with a root
 * site's capture, whose predicates hold there. False (run by ranges
 * instead) when there are too many places or roots.
 */
static bool anchor_roots(const compiled *c, const pl_source *src, pl_text_probe *probe,
			 pl_root_list *roots)
{
	pl_place *places;
	size_t nplaces;
	if (!anchor_places(c->root_anchor, src, probe, ANCHOR_MAX_ROOTS, &places, &nplaces))
		return false;
	predicate_test test = { c, src, pl_text_probe_valid_utf8(probe) };
	bool ok = pl_roots_find(src->tree, places, nplaces, c->sites, c->nsites, predicates_may_hold,
				&test, ANCHOR_MAX_ROOTS, roots);
	free(places);
	return ok;
}

/* Report the matches of one cursor; with `seen`, those no other cursor of
 * the same member reported. */
static size_t report_matches(const pl_pattern *p, const compiled *c, TSQueryCursor *cursor,
			     const search *s, bindings *b, seen_matches *seen, size_t member,
			     pl_set_match_fn fn, void *ctx)
{
	TSNode root = ts_tree_root_node(s->src->tree);
	size_t count = 0;
	TSQueryMatch m;
	while (ts_query_cursor_next_match(cursor, &m)) {
		if (!pl_predicates_hold(c->preds, &m, s->src->text) ||
		    (seen && seen_before(seen, &m)) ||
		    !pl_search_accept(p, c->query, &m, s, b, 0, SCOPE_FILE, root))
			continue;
		fn(ctx, member, b->items, b->len);
		count++;
	}
	pl_search_close_cursor(cursor, s);
	return count;
}

/*
 * Run an anchored member: every match captures a node holding an anchor
 * literal, so it encloses one of their places. With root sites, a cursor
 * per candidate root starts matches there only; otherwise one cursor per
 * range around the places (tree-sitter starts matches only at nodes that
 * touch the range, but carries them into whatever encloses it: every call
 * around a place is walked). Each match once.
 */
static size_t run_anchored(const pl_pattern *p, const pl_literals *anchor, const search *s,
			   pl_text_probe *probe, bindings *b, size_t member, pl_set_match_fn fn,
			   void *ctx)
{
	const compiled *c = pl_pattern_compiled((pl_pattern *)p);
	if (!c)
		return 0;
	size_t count = 0;
	pl_root_list roots = { 0 };
	if (c->root_anchor && anchor_roots(c, s->src, probe, &roots)) {
		/* a match starts at one root: no cursor reaches another's */
		for (size_t i = 0; i < roots.len && !(s->budget && s->budget->over_time); i++) {
			TSQueryCursorOptions options;
			TSQueryCursor *cursor = pl_search_open_root_cursor(c->query, s, roots.items[i],
									   &options);
			count += report_matches(p, c, cursor, s, b, NULL, member, fn, ctx);
		}
		free(roots.items);
		return count;
	}
	free(roots.items);
	seen_matches seen = { 0 };
	byte_range whole = { 0, (uint32_t)s->src->len }, *ranges;
	size_t nranges;
	bool anchored = anchor_ranges(anchor, s->src, probe, &ranges, &nranges);
	if (!anchored) {
		ranges = &whole;
		nranges = 1;
	}
	TSNode root = ts_tree_root_node(s->src->tree);
	for (size_t i = 0; i < nranges && !(s->budget && s->budget->over_time); i++) {
		TSQueryCursorOptions options;
		TSQueryCursor *cursor = pl_search_open_cursor(c->query, s, SCOPE_FILE, root, &options);
		if (anchored)
			ts_query_cursor_set_byte_range(cursor, ranges[i].start, ranges[i].end);
		count += report_matches(p, c, cursor, s, b, nranges > 1 ? &seen : NULL, member, fn,
					ctx);
	}
	seen_release(&seen);
	if (anchored)
		free(ranges);
	return count;
}

size_t pl_pattern_set_run(const pl_pattern_set *set, const pl_source *src, const bool *live,
			  pl_match_budget *budget, pl_text_probe *probe, pl_set_match_fn fn, void *ctx)
{
	if (budget && budget->over_time)
		return 0;
	cursor_pool cursors = { .n = 0 };
	search s = { src, budget, pl_relation_memo_new(), &cursors };
	bindings b = { NULL, 0, 0 };
	size_t count = 0;
	bool merged_live = false;
	for (size_t i = 0; i < set->n; i++)
		merged_live |= live[i] && !set->anchors[i];
	if (set->merged && merged_live) {
		const TSQuery *q = set->merged->query;
		TSNode root = ts_tree_root_node(src->tree);
		TSQueryCursorOptions options;
		TSQueryCursor *cursor = pl_search_open_cursor(q, &s, SCOPE_FILE, root, &options);
		TSQueryMatch m;
		while (ts_query_cursor_next_match(cursor, &m)) {
			uint32_t member = set->member_of[m.pattern_index];
			if (!live[member] || !pl_predicates_hold(set->merged->preds, &m, src->text) ||
			    !pl_search_accept(set->members[member], q, &m, &s, &b, 0, SCOPE_FILE, root))
				continue;
			fn(ctx, member, b.items, b.len);
			count++;
		}
		pl_search_close_cursor(cursor, &s);
	}
	pl_text_probe own;
	if (!probe) {
		pl_text_probe_init(&own, src->text, src->len);
		probe = &own;
	}
	/* Members whose query another thread is compiling come last, so that
	 * this thread works on the others meanwhile instead of waiting. */
	bool *later = NULL;
	for (size_t i = 0; i < set->n; i++) {
		if (!live[i] || !set->anchors[i])
			continue;
		if (pl_pattern_compiling(set->members[i])) {
			if (!later)
				later = pl_xcalloc(set->n, sizeof(bool));
			later[i] = true;
			continue;
		}
		count += run_anchored(set->members[i], set->anchors[i], &s, probe, &b, i, fn, ctx);
	}
	for (size_t i = 0; later && i < set->n; i++)
		if (later[i])
			count += run_anchored(set->members[i], set->anchors[i], &s, probe, &b, i, fn,
					      ctx);
	free(later);
	if (probe == &own)
		pl_text_probe_release(&own);
	free(b.items);
	pl_relation_memo_delete(s.memo);
	pl_cursor_pool_release(&cursors);
	return count;
}

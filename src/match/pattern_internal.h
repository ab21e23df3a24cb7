/*
 * pattern_internal: what pattern.c (patterns, relations, matching) shares
 * with pattern_set.c (merged and anchored runs of many patterns) and
 * roots.c (where a compiled query's matches can start). Private to
 * src/match/; see pattern.h for the public contract.
 */
#ifndef PL_PATTERN_INTERNAL_H
#define PL_PATTERN_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <tree_sitter/api.h>

#include "match/needs.h"
#include "match/pattern.h"
#include "match/predicate.h"
#include "match/roots.h"

/* A capture name a relation's sub-patterns mention: its outer binding can
 * change the relation's answer, by its text (metavariable equality) or, if
 * some nested relation starts from it, by its node. */
typedef struct mention {
	char *name;        /* owned */
	size_t len;
	bool by_node;
} mention;

typedef struct relation {
	pl_relation kind;
	char *capture;     /* owned; NULL for file_ relations */
	pl_pattern *sub;   /* owned */
	_Atomic bool mentions_ready; /* mentions are found on first use (pattern.c, memo) */
	mention *mentions; /* owned */
	size_t nmentions, mentions_cap;
	/* not_has whose sub-query restates its target: what a match that binds
	 * the capture needs for it to hold (pattern.c); owned, NULL: nothing */
	pl_needs *given;
} relation;

/* A compiled query with its predicates, shared between patterns. */
typedef struct compiled {
	const pl_language *lang;
	char *text;              /* owned: the query source, the cache key */
	size_t len;
	TSQuery *query;
	pl_predicates *preds;
	pl_root_site *sites;     /* owned; NULL when roots cannot be found from captures */
	size_t nsites;
	pl_literals *root_anchor; /* owned: the literals the sites' captures hold; NULL with no sites */
	/* Sites of every capture, whatever its predicates: when outer patterns
	 * bind captures that every match takes one of, roots are found from
	 * the bound texts (pattern.c). Owned; NULL if the query is not rooted. */
	pl_root_site *capture_sites;
	size_t ncapture_sites;
	/* Which sets of captures (a bit per capture id) every match takes one
	 * of, as found so far: under pattern.c's lock. */
	struct bound_plan { uint64_t captures; bool required; } plans[8];
	size_t nplans;
	size_t refs;
} compiled;

struct pl_query_cache {
	pthread_mutex_t lock;    /* patterns of different languages prepare in parallel */
	compiled **items;
	size_t len, cap;
};

struct pl_pattern {
	const pl_language *lang;
	char *source;            /* owned: the query text, compiled by pl_pattern_prepare */
	size_t source_len;
	pl_needs *needs;         /* owned: what a file must contain to match (needs.h) */
	/* owned: needs with its positive relations' (needs_formula), made on
	 * first use, once the rule is loaded */
	_Atomic(pl_needs *) formula;
	/* One reference; NULL until prepared. Written once, under lazy_lock when
	 * lazy: matching threads read it without the lock. */
	_Atomic(compiled *) shared;
	bool lazy;               /* compile on first use, with lazy_cache (may be NULL) */
	bool compiling;          /* a thread is compiling it (under pattern.c's lazy_lock) */
	bool failed;             /* ... and it did not compile (likewise) */
	pl_query_cache *lazy_cache;
	/* lazy: the rule's top-level pattern, whose relations hold this one
	 * at some depth (itself at the top) */
	pl_pattern *family;
	relation *relations;
	size_t nrelations, cap;
};

/* Matches of nested patterns accumulate captures here; outer captures come first. */
typedef struct bindings {
	pl_capture *items;
	size_t len, cap;
} bindings;

/* What a nested search is looking for; NULL scope_node means the whole file. */
typedef enum scope_kind { SCOPE_FILE, SCOPE_WITHIN, SCOPE_ENCLOSING } scope_kind;

typedef struct relation_memo relation_memo;

/* Query cursors closed in a search, kept for the next to open: a search
 * opens one per candidate root and per relation asked. */
#define CURSOR_POOL_SIZE 16

typedef struct cursor_pool {
	TSQueryCursor *spare[CURSOR_POOL_SIZE];
	size_t n;
} cursor_pool;

typedef struct search {
	const pl_source *src;
	pl_match_budget *budget; /* NULL: unbounded, limits unrecorded */
	relation_memo *memo;     /* answers of relations in this file (pattern.c) */
	cursor_pool *cursors;    /* NULL: a new cursor each time */
} search;

/* Delete the pool's cursors. */
void pl_cursor_pool_release(cursor_pool *pool);

/* Compile a query and its predicates (one reference); NULL + *err. */
compiled *pl_query_compile(const pl_language *lang, const char *query, size_t len,
			   pl_compile_error *err);
void pl_query_unref(compiled *c);
/* Fill c->sites and c->root_anchor: every capture that predicates compare
 * with strings and that can be tested cheaply on a node, at each depth it
 * sits below its pattern's root, and the anchor literals those captures'
 * predicates give; and c->capture_sites (roots.c). */
void pl_query_find_root_sites(compiled *c);
/* p's compiled query, compiling a lazy pattern now (or, while another
 * thread compiles it, compiling its rule's other relations, then waiting);
 * NULL if never prepared. */
const compiled *pl_pattern_compiled(pl_pattern *p);
/* Is another thread compiling p right now (pl_pattern_compiled would wait)? */
bool pl_pattern_compiling(pl_pattern *p);
/* The prefilter of p and its positive relations. */
bool pl_pattern_needs_met(const pl_pattern *p, pl_text_probe *probe);

relation_memo *pl_relation_memo_new(void);
void pl_relation_memo_delete(relation_memo *m);

/* A cursor for q over the scope, bounded by the search's budget. */
TSQueryCursor *pl_search_open_cursor(const TSQuery *q, const search *s, scope_kind scope,
				     TSNode target, TSQueryCursorOptions *options);
void pl_search_close_cursor(TSQueryCursor *cursor, const search *s);
/* A cursor for q that starts matches at `root` only (roots.h). */
TSQueryCursor *pl_search_open_root_cursor(const TSQuery *q, const search *s, TSNode root,
					  TSQueryCursorOptions *options);
/* Bind m's captures after the first `base` bindings and check p's
 * metavariables, scope and relations. */
bool pl_search_accept(const pl_pattern *p, const TSQuery *q, const TSQueryMatch *m, const search *s,
		      bindings *b, size_t base, scope_kind scope, TSNode target);

#endif

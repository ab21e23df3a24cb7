/*
 * pattern: a tree-sitter query for one language, with the standard text
 * predicates evaluated and "relations" on captures.
 *
 * The tree-sitter C API returns query matches unfiltered and accepts any
 * predicate: this module rejects unknown predicates when the query is
 * compiled and filters matches with the supported ones:
 *   #eq? #not-eq? #any-eq? #any-not-eq?           capture vs capture or string
 *   #match? #not-match? #any-match? #any-not-match? capture vs PCRE2 regex
 *   #any-of? #not-any-of?                           capture vs a list of strings
 * (the plain forms hold for every node of a quantified capture, the any-
 * forms for at least one).
 *
 * A relation (pl_relation) attaches a sub-pattern to a capture:
 *   has / not_has        a match of the sub-pattern lies inside the capture
 *   inside / not_inside  a match of the sub-pattern has a node enclosing it
 *   file_has / file_not_has  the sub-pattern matches somewhere in the file
 * A sub-pattern may name captures of the patterns around it: such a capture
 * must have the same text as the outer one (metavariable equality). Sub-
 * patterns carry relations of their own, to any depth.
 *
 * Compiled patterns are immutable and safe to share between threads; all
 * per-run state (query cursors, regex match data) lives on the stack of
 * pl_pattern_run.
 *
 * Usage:
 *   pl_compile_error err;
 *   pl_pattern *p = pl_pattern_compile(NULL, lang, src, strlen(src), &err);
 *   pl_pattern *sub = pl_pattern_compile(NULL, lang, sub_src, ..., &err);
 *   pl_pattern_add_relation(p, PL_REL_NOT_HAS, "args", sub, NULL, 0, &err);  // p owns sub
 *   pl_pattern_run(p, &source, on_match, ctx);
 *   pl_pattern_delete(p);
 */
#ifndef PL_PATTERN_H
#define PL_PATTERN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tree_sitter/api.h>

#include "lang/lang.h"
#include "match/needs.h"

typedef enum pl_relation {
	PL_REL_HAS,
	PL_REL_NOT_HAS,
	PL_REL_INSIDE,
	PL_REL_NOT_INSIDE,
	PL_REL_FILE_HAS,
	PL_REL_FILE_NOT_HAS,
} pl_relation;

/* True for relations that apply to a capture (has/inside and negations). */
bool pl_relation_needs_capture(pl_relation rel);

typedef struct pl_compile_error {
	uint32_t offset;      /* byte offset in the query text */
	char message[512];
} pl_compile_error;

typedef struct pl_pattern pl_pattern;

/*
 * Compiling a tree-sitter query is costly (it analyses the grammar's parse
 * table), and rule packs repeat the same sub-queries. A cache shares one
 * compiled query per (language, text) between patterns; compiled queries
 * are reference-counted, so the cache may be deleted before the patterns.
 */
typedef struct pl_query_cache pl_query_cache;
pl_query_cache *pl_query_cache_new(void);
void pl_query_cache_delete(pl_query_cache *cache);

/* Returns NULL and fills *err on a query syntax error, an unknown node type,
 * field or capture, an unknown predicate, wrong predicate arguments or a bad
 * regex. `cache` may be NULL. */
pl_pattern *pl_pattern_compile(pl_query_cache *cache, const pl_language *lang, const char *query,
			       size_t len, pl_compile_error *err);
void pl_pattern_delete(pl_pattern *p);

/*
 * Deferred compilation. Startup cost is dominated by tree-sitter's query
 * analysis, so a trusted rule pack (the built-in rules, proven by `rules
 * test`) is loaded with pl_pattern_defer, which only keeps the text, and a
 * scan prepares the languages it meets, one thread per language. Before
 * preparation a pattern matches nothing and answers every capture-name
 * question with yes. pl_pattern_prepare compiles the pattern and its
 * sub-patterns (idempotent; safe in parallel for patterns of different
 * languages sharing one cache).
 */
pl_pattern *pl_pattern_defer(const pl_language *lang, const char *query, size_t len);
int pl_pattern_prepare(pl_pattern *p, pl_query_cache *cache, pl_compile_error *err);
bool pl_pattern_is_prepared(const pl_pattern *p);

/* Attach `sub` (owned by p from now on, even on failure) under `relation`.
 * `capture` names a capture of p or of one of the `outer` patterns that
 * enclose p (needed for has/inside kinds; ignored and may be NULL for file_
 * kinds). Returns 0, or -1 with *err filled (offset 0). */
int pl_pattern_add_relation(pl_pattern *p, pl_relation relation, const char *capture,
			    pl_pattern *sub, const pl_pattern *const *outer, size_t nouter,
			    pl_compile_error *err);

/* True if the query defines a capture with this name. */
bool pl_pattern_has_capture(const pl_pattern *p, const char *name);

/*
 * Bounds on matching one file. tree-sitter's query cursor keeps one partial
 * match per node that starts a pattern until it can finish or fail, so
 * deeply nested or long repetitive code piles them up, and its work grows
 * with the square of the pile. Every cursor holds at most PL_MATCH_LIMIT
 * partial matches with captures (beyond that tree-sitter drops the oldest,
 * so matches may be missed; it also keeps its capture-list ids, 16-bit,
 * from wrapping), and all runs over one file share a deadline. Either
 * limit is recorded in the budget, for the caller to report the file as
 * only partly checked.
 */
#define PL_MATCH_LIMIT 16384u

typedef struct pl_match_budget {
	double deadline_ms;      /* on pl_match_clock_ms() (thread CPU time); 0 = none */
	bool over_matches;       /* set: a cursor dropped partial matches */
	bool over_time;          /* set: the deadline passed; runs stop early */
	unsigned polls;          /* pl_match_budget_expired calls, to read the clock every few */
} pl_match_budget;

/* Milliseconds of the calling thread's CPU time, for deadlines. */
double pl_match_clock_ms(void);
/* Has the deadline passed (sets over_time)? For tree-sitter's progress
 * callbacks, called every hundred steps: the clock (a system call) is read
 * on every sixteenth call only. */
bool pl_match_budget_expired(pl_match_budget *budget);

/* The text and syntax tree of one file. */
typedef struct pl_source {
	const char *text;
	size_t len;
	const TSTree *tree;
} pl_source;

/* One captured node of a successful match. `name` points into the query. */
typedef struct pl_capture {
	const char *name;
	uint32_t name_len;
	TSNode node;
} pl_capture;

/* Called for each match that passes predicates and relations. */
typedef void (*pl_match_fn)(void *ctx, const pl_capture *caps, size_t ncaps);

/* Prefilter: false if no match is possible in this text (what the query
 * and its positive relations need, needs.h), so the caller may skip
 * parsing. True does not promise a match. */
bool pl_pattern_may_match(const pl_pattern *p, pl_text_probe *probe);
/* The same in words, for rule authors: `"openai" & ("create" | "stream")`,
 * or "nothing" (every file of the language is parsed). Caller frees. */
char *pl_pattern_describe_needs(const pl_pattern *p);
/* The anchor literals a set runs p from (pl_pattern_set), as text, or NULL
 * when p has none and joins the merged query. Caller frees. */
char *pl_pattern_describe_anchor(const pl_pattern *p);

/* Run over the whole file. Returns the number of matches reported. */
size_t pl_pattern_run(const pl_pattern *p, const pl_source *src, pl_match_fn fn, void *ctx);

/* The same within a budget: stops at its deadline (at once, reporting
 * nothing, if it has passed) and records which limit was hit. */
size_t pl_pattern_run_bounded(const pl_pattern *p, const pl_source *src, pl_match_budget *budget,
			      pl_match_fn fn, void *ctx);

/*
 * Pattern sets. Every query a cursor runs walks the whole syntax tree, so a
 * file checked by fifty rules would be walked fifty times. A set merges the
 * top-level queries of many patterns of one language into one query, walks
 * the tree once, and routes each match by its pattern index to the member
 * it came from; predicates, relations and metavariables behave as when the
 * member runs alone. The set compiles the members' texts itself: a member
 * of a trusted pack needs no compiling of its own, and its relations can
 * be left to compile on first use (pl_pattern_prepare_lazily: most never
 * run in a scan, as their pattern never matches). Members are not owned
 * and must outlive the set.
 *
 * A lazily prepared member whose every match captures text holding one of
 * a few literals (its anchor, needs.h) stays out of the merged query: it
 * runs on its own, from the roots of its possible matches found up the
 * tree from the places those literals occur (roots.h; byte ranges around
 * the places when it is not rooted at one node), so the code between them
 * is never matched against it. Such members report after the merged
 * query's, so matches do not come in document order.
 */
typedef struct pl_pattern_set pl_pattern_set;

/* Let p's relations compile when first needed (thread-safe), with `cache`.
 * For trusted packs only: a query that does not compile then never matches. */
void pl_pattern_prepare_lazily(pl_pattern *p, pl_query_cache *cache);
pl_pattern_set *pl_pattern_set_new(const pl_language *lang, pl_pattern *const *members, size_t n,
				   pl_compile_error *err);
void pl_pattern_set_delete(pl_pattern_set *set);
/* The prefilter (pl_pattern_may_match) of one member. */
bool pl_pattern_set_may_match(const pl_pattern_set *set, size_t member, pl_text_probe *probe);
/* Called with the index of the member that matched. */
typedef void (*pl_set_match_fn)(void *ctx, size_t member, const pl_capture *caps, size_t ncaps);
/* Run the members whose live[i] is true over the file, within the budget
 * (may be NULL). `probe` (may be NULL) is the prefilter's view of the same
 * text, whose answers the anchored members reuse. Returns the number of
 * matches reported. */
size_t pl_pattern_set_run(const pl_pattern_set *set, const pl_source *src, const bool *live,
			  pl_match_budget *budget, pl_text_probe *probe, pl_set_match_fn fn,
			  void *ctx);

/* Helpers over a match. */
const pl_capture *pl_capture_find(const pl_capture *caps, size_t n, const char *name);
/* The capture spanning the most text (the first such); n must be > 0. */
const pl_capture *pl_capture_outermost(const pl_capture *caps, size_t n);

#endif

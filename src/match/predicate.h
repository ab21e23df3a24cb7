/*
 * predicate: the text predicates of one tree-sitter query, compiled once.
 * Private to src/match/: pattern.c compiles and evaluates them.
 */
#ifndef PL_PREDICATE_H
#define PL_PREDICATE_H

#include <stdbool.h>
#include <tree_sitter/api.h>

#include "match/pattern.h"

typedef struct pl_predicates pl_predicates;

/* Compile the predicates of every pattern in `q` (source text `src` is used
 * to locate errors). NULL + *err on an unknown predicate, bad arguments or
 * a bad regex. */
pl_predicates *pl_predicates_compile(const TSQuery *q, const char *src, size_t len,
				     pl_compile_error *err);
void pl_predicates_delete(pl_predicates *preds);

/* Do the predicates of match->pattern_index hold on this match? */
bool pl_predicates_hold(const pl_predicates *preds, const TSQueryMatch *match,
			const char *text);

/*
 * Prefilter: can any pattern of the query match a file with this text? A
 * pattern needs, for each plain #eq? / #any-of? on a capture that every
 * match has, one of the predicate's strings to occur in the file, and for
 * each such #match?, one of the literals its regex cannot match without
 * (literals.h). False
 * means no match is possible, so the file need not even be parsed.
 */
bool pl_predicates_may_match(const pl_predicates *preds, const char *text, size_t len);
/* The same for the patterns first .. end - 1 only. */
bool pl_predicates_may_match_range(const pl_predicates *preds, uint32_t first, uint32_t end,
				   const char *text, size_t len);

#endif

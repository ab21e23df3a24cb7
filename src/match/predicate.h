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

/* Does some pattern compare the capture with strings (#eq?, #any-of?,
 * #match? in their plain, positive forms)? *cheaply: every such pattern
 * has a comparison or a regex anchored at the start among them. */
bool pl_predicates_capture_filtered(const pl_predicates *preds, uint32_t capture, bool *cheaply);
/* Could the capture take this node: do those predicates hold on it in some
 * pattern that has them? A regex that may match anywhere is tried on nodes
 * of at most PL_PREDICATE_TRY_MAX bytes only (a larger node passes), so the
 * test costs little whatever the node. `valid_utf8`: the whole text is
 * valid UTF-8, so regexes need not check it again. */
#define PL_PREDICATE_TRY_MAX 512
bool pl_predicates_capture_may_hold(const pl_predicates *preds, uint32_t capture, TSNode node,
				    const char *text, size_t text_len, bool valid_utf8);

#endif

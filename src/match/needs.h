/*
 * needs: what text a file must contain for a query to match it, read from
 * the query's source, for the prefilter.
 *
 * A query's needs are a formula over literal sets: each leaf says "one of
 * these strings occurs in the file" (or, for a #match?, "the file holds a
 * match of this regex", relax.h), nodes are "all of" and "one of". It
 * follows the query's structure: a node needs what its children need and
 * what the predicates on its captures require (#eq? and #any-of? with
 * strings, #match? through the regex's literals, literals.h, and the
 * relaxed regex itself); an
 * alternation needs one of its branches; a node under `?` or `*` needs
 * nothing; the query needs one of its top-level patterns. Negated and any-
 * predicates, captures compared with captures, and anonymous nodes add
 * nothing. Anything the reader does not understand makes the whole query
 * need nothing: the formula may be weaker than the query, never stronger,
 * so a file that fails it cannot match.
 *
 * Reading needs no grammar and no compiling, so deferred and lazily
 * compiled patterns have their needs from the start.
 */
#ifndef PL_NEEDS_H
#define PL_NEEDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lang/lang.h"
#include "match/literals.h"
#include "match/probe.h"

typedef struct pl_needs pl_needs;

/* The needs of a query's source text; NULL when it needs nothing. `lang`
 * (NULL: assume nothing of it) tells whether an `identifier` can be a
 * member name (lang.h), so where a string it equals may stand. */
pl_needs *pl_needs_of_query(const pl_language *lang, const char *query, size_t len);
/* The same from the predicates of the captures `keep` accepts only (a
 * weaker formula, whose leaves all come from those captures). */
typedef bool (*pl_needs_keep_fn)(void *ctx, const char *capture, size_t len);
pl_needs *pl_needs_of_query_keeping(const pl_language *lang, const char *query, size_t len,
				    pl_needs_keep_fn keep, void *ctx);
void pl_needs_delete(pl_needs *n);

/* The same, where each match that binds a capture named in `given` also
 * needs what it says (relations that hold unless that node shows
 * something, pattern.c). */
typedef struct pl_capture_needs {
	const char *name;
	const pl_needs *needs;
} pl_capture_needs;
pl_needs *pl_needs_of_query_given(const pl_language *lang, const char *query, size_t len,
				  const pl_capture_needs *given, size_t ngiven);

/* Formulas built by hand: a copy; a and b (takes both; NULL needs
 * nothing); one of n alternatives (takes them). */
pl_needs *pl_needs_copy(const pl_needs *n);
pl_needs *pl_needs_all(pl_needs *a, pl_needs *b);
pl_needs *pl_needs_one(pl_needs **alts, size_t n);

/* Is every node the query captures as `name` of node type `type` (written
 * `(type ...)` at each place; "_": any named node, written `(x ...)`)?
 * False when the text is not read. */
bool pl_query_capture_of_type(const char *query, size_t len, const char *name, const char *type);


/* False if the text cannot satisfy n (NULL needs nothing: true). */
bool pl_needs_met(const pl_needs *n, pl_text_probe *probe);
/* The same with every regex leaf taken as met: literal lookups only, a
 * cheaper first test (false: pl_needs_met is false too). */
bool pl_needs_met_by_literals(const pl_needs *n, pl_text_probe *probe);

/*
 * Anchor literals: a set such that every match of the query captures a node
 * whose text holds one of them (from the predicates, never from relations).
 * A match then encloses an occurrence of one, so matching can start from
 * those places only. False when the needs name no such set.
 */
bool pl_needs_anchor(const pl_needs *n, pl_literals *out);

/*
 * Where each capture sits in its pattern: `depth` nodes below the root of
 * the top-level pattern it belongs to (fields, groupings and alternations
 * add none), once per (name, depth). A match that captures a node at a
 * site then has its root `depth` visible nodes above that node. False
 * when some top-level pattern is not rooted at one node (a grouping of
 * siblings, a quantified or anchored pattern) or the text is not read;
 * *sites (owned by the caller, names pointing into `query`) is set on
 * success only.
 */
typedef struct pl_capture_site {
	const char *name;
	size_t name_len;
	unsigned depth;
} pl_capture_site;

bool pl_query_capture_sites(const char *query, size_t len, pl_capture_site **sites, size_t *n);

/* Does every match of the query take a node with one of these captures
 * (one of them outside every `?` / `*`, in every branch of the
 * alternations)? False when the text is not read. */
bool pl_query_captures_required(const char *query, size_t len, const char *const *names,
				const size_t *lens, size_t n);

/* A readable form for rule authors: `"openai" & ("model"i | "engine")`
 * (`i`: any case; `w`: a whole identifier). Owned by the caller. NULL
 * needs: "nothing". */
char *pl_needs_describe(const pl_needs *n);
/* One set the same way: `"a" | "b"`. Owned by the caller. */
char *pl_literals_describe(const pl_literals *set);

#endif

/*
 * check: conditions over config trees, and the config matcher of a rule.
 *
 * A condition tests nodes reached by a path (path.h) from a base node:
 *   present / absent          the path reaches some node / none
 *   equals / not_equals       a reached scalar's text is / is not the value
 *   matches / not_matches     a reached scalar matches / does not match a regex
 *   key_matches               a reached mapping has a key matching a regex (the
 *                             culprit is that key's pair)
 *   in / not_in               a reached scalar's text is / is not in the list
 *   gt / ge / lt / le         a reached numeric scalar compares so
 *   all / any / not           combine conditions
 * A test on a path that reaches several nodes holds if it holds for any of
 * them ("some container has ..."), except `absent` (none reached) and the
 * negative forms (not_equals, not_matches, not_in), which hold when some
 * reached scalar differs.
 *
 * Every evaluation also names a culprit: the node that decided it, so a
 * finding points at the exact node (`privileged: true`) or, for a missing
 * key, at the deepest node that exists on its path.
 *
 * A config matcher: file kinds, an optional document filter (`when`), the
 * nodes to check (`select`, default the document root) and the conditions
 * each selected node must meet (`require`) or must not meet (`forbid`).
 */
#ifndef PL_CONFIG_CHECK_H
#define PL_CONFIG_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "config/path.h"
#include "config/tree.h"
#include "util/regex.h"

typedef enum pl_cond_kind {
	PL_COND_PRESENT,
	PL_COND_ABSENT,
	PL_COND_EQUALS,
	PL_COND_NOT_EQUALS,
	PL_COND_MATCHES,
	PL_COND_NOT_MATCHES,
	PL_COND_KEY_MATCHES,
	PL_COND_IN,
	PL_COND_NOT_IN,
	PL_COND_GT,
	PL_COND_GE,
	PL_COND_LT,
	PL_COND_LE,
	PL_COND_ALL,
	PL_COND_ANY,
	PL_COND_NOT,
} pl_cond_kind;

typedef struct pl_cond pl_cond;
struct pl_cond {
	pl_cond_kind kind;
	pl_path *path;           /* owned; leaf conditions */
	char **values;           /* owned; EQUALS..NOT_IN */
	size_t nvalues;
	pl_regex *regex;         /* owned; MATCHES / NOT_MATCHES */
	double number;           /* GT..LE */
	pl_cond **children;      /* owned; ALL / ANY / NOT */
	size_t nchildren;
};

void pl_cond_delete(pl_cond *c);

/* The node that decided an evaluation, and the pair it hangs from. */
typedef struct pl_culprit {
	const pl_node *node;
	const pl_pair *via;
} pl_culprit;

/* Evaluate c at `base`. Sets *budget_out true if the visit budget ran out. */
bool pl_cond_eval(const pl_cond *c, const pl_node *base, pl_path_env *env, pl_culprit *culprit);

/* Path globs (gitignore-style `**`) a matcher is limited to; none = every file. */
typedef struct pl_path_filter {
	char **globs;            /* owned */
	size_t len;
} pl_path_filter;

bool pl_path_filter_allows(const pl_path_filter *f, const char *path);
void pl_path_filter_release(pl_path_filter *f);

typedef struct pl_config_matcher {
	unsigned kinds;          /* bit (1 << pl_file_kind) per kind it applies to */
	pl_cond *when;           /* owned; NULL = every document */
	pl_path **select;        /* owned; none = the document root */
	size_t nselect;
	pl_cond *require;        /* owned; may be NULL */
	pl_cond *forbid;         /* owned; may be NULL */
	char *message;           /* owned; this check's own message; NULL = the rule's */
	pl_path_filter paths;
} pl_config_matcher;

void pl_config_matcher_release(pl_config_matcher *m);

/* Called once per violation, with the selected node and the culprit. */
typedef void (*pl_config_hit_fn)(void *ctx, const pl_node *doc, const pl_node *selected,
				 const pl_culprit *culprit);

/*
 * Run the matcher over every document of a file of kind `kind`. Returns
 * false if a visit budget ran out (results may be incomplete).
 */
bool pl_config_matcher_run(const pl_config_matcher *m, const pl_config *cfg,
			   pl_config_hit_fn fn, void *ctx);

#endif

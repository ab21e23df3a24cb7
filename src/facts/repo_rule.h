/*
 * repo_rule: rules about what the repository as a whole lacks.
 *
 * A repo matcher fires when every `when` fact is present, the `require`
 * facts are not all present (or none of `require_any` is), and no `unless`
 * fact is present. It reports once, at the first evidence of the `at` fact
 * (default: the first `when` fact), so a repo-level finding is as stable and
 * as actionable as a line finding.
 *
 * Messages name what was found and where: `{{fact}}` is the first evidence
 * as path:line (with "and N more" when there are several), `{{fact.path}}`
 * just its file, `{{fact.detail}}` its description, `{{fact.count}}` how many
 * there are.
 */
#ifndef PL_REPO_RULE_H
#define PL_REPO_RULE_H

#include <stdbool.h>
#include <stddef.h>

#include "facts/facts.h"

typedef struct pl_repo_matcher {
	char **when;             /* all owned */
	size_t nwhen;
	char **require;
	size_t nrequire;
	char **require_any;
	size_t nrequire_any;
	char **unless;
	size_t nunless;
	char *at;                /* a `when` fact; NULL = the first */
	bool each;               /* one finding per evidence of `at`, not one per repository */
} pl_repo_matcher;

void pl_repo_matcher_release(pl_repo_matcher *m);

/* Sets *evidence to the fact to report at when the rule fires. */
bool pl_repo_matcher_fires(const pl_repo_matcher *m, const pl_facts *facts,
			   const pl_fact **evidence);

/* The message with fact placeholders filled in; caller frees. */
char *pl_repo_render(const char *tmpl, const pl_facts *facts);

#endif

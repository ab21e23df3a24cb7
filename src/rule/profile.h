/*
 * profile: where matching time goes, per rule (--profile-rules). Each
 * query matcher then runs on its own (not merged per language), so its time
 * can be told apart; the sum is therefore more than a normal scan spends.
 * Counters are atomic: scan workers add to them concurrently.
 */
#ifndef PL_PROFILE_H
#define PL_PROFILE_H

#include <stdio.h>

#include "rule/rule.h"

typedef struct pl_rule_profile pl_rule_profile;

/* For the rules of rs as they are now (after --select/--ignore). */
pl_rule_profile *pl_rule_profile_new(const pl_ruleset *rs);
void pl_rule_profile_delete(pl_rule_profile *p);

/* One run of one of the rule's matchers over one file. */
void pl_rule_profile_add(pl_rule_profile *p, const pl_rule *rule, double ms, size_t matches);

/* The `top` slowest rules (0: all), slowest first, as a table. */
void pl_rule_profile_print(const pl_rule_profile *p, FILE *out, size_t top);

#endif

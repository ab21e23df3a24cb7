/*
 * rules_doc: what `prodlint rules list` and `rules show` say about a rule,
 * and the Markdown rule reference (`rules list --format markdown`, written
 * to docs/rule-reference.md and kept current by the docs_up_to_date test).
 *
 * The reference is generated from a loaded rule set and nothing else, so it
 * is deterministic: rules come sorted by id (pl_ruleset_finish), categories
 * and checklist items in their fixed order, facts sorted by name.
 *
 *   # Rule reference
 *   one summary line
 *   ## Checklist coverage: one row per checklist item, the rules citing it (linked)
 *   ## <category> (SPEC order, only those with rules), one ### <rule id> each:
 *     title, severity, checklist, what it reads (for repo rules: the facts),
 *     rule file and fixtures (linked from docs/ for the built-in pack),
 *     rationale, remediation (code indented in the YAML becomes a fenced block)
 *   ## Facts: fact definitions with their descriptions, then the facts repo
 *     rules use that prodlint's own analyses provide
 *
 * Rule text (titles, rationale, remediation) is Markdown written by the rule
 * author and is copied as such; only its code layout is normalised.
 *
 * Usage:
 *   pl_strbuf md = PL_STRBUF_INIT;
 *   pl_rules_markdown(&rs, pl_cli_builtin_rules_dir(), &md);
 *   fputs(md.buf, stdout);
 *   pl_strbuf_release(&md);
 */
#ifndef PL_CLI_RULES_DOC_H
#define PL_CLI_RULES_DOC_H

#include <stddef.h>

#include "rule/rule.h"
#include "util/strbuf.h"

/*
 * What a rule reads: its query languages in matcher order, then the config
 * file kinds it checks, "repo" for a rule over repository facts, or
 * "suppressions" for the suppression engine's meta rules. Fills at most
 * `max` names (static strings) and returns how many.
 */
size_t pl_rule_reads(const pl_rule *rule, const char **names, size_t max);

/*
 * Append the Markdown reference of every rule in `rs` to `out`. Rules whose
 * file lies under `builtin_dir` (may be NULL) are shown with repository
 * paths (`rules/...`, `fixtures/<id>/`) linked relative to docs/; other
 * rules with the path they were loaded from and no links.
 */
void pl_rules_markdown(const pl_ruleset *rs, const char *builtin_dir, pl_strbuf *out);

#endif

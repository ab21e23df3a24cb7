/*
 * rule: the rule model and the rule set of one run.
 *
 * A rule file (YAML, SPEC 3) holds one rule or a `rules:` sequence. Loading
 * validates it strictly and compiles every query once; a pl_ruleset then
 * owns the compiled rules, which are immutable and shared by all scan
 * threads.
 *
 * Usage:
 *   pl_ruleset rs = PL_RULESET_INIT;
 *   pl_diags diags = PL_DIAGS_INIT;
 *   if (pl_ruleset_load_path(&rs, "rules/", &diags) < 0) ... print diags, exit 2
 *   ... rs.rules[i] ...
 *   pl_ruleset_release(&rs);
 */
#ifndef PL_RULE_H
#define PL_RULE_H

#include <stdbool.h>
#include <stddef.h>

#include "config/check.h"
#include "facts/repo_rule.h"
#include "lang/lang.h"
#include "match/pattern.h"
#include "util/diag.h"

/* Ordered: a higher value is more severe. */
typedef enum pl_severity {
	PL_SEVERITY_NONE = 0, /* used by --fail-on none */
	PL_SEVERITY_NOTE,
	PL_SEVERITY_WARNING,
	PL_SEVERITY_ERROR,
} pl_severity;

const char *pl_severity_name(pl_severity s);
/* Returns 0 and sets *out, or -1 for an unknown name. */
int pl_severity_parse(const char *name, pl_severity *out);

/* The categories of SPEC 3, in a fixed order. */
const char *const *pl_rule_categories(size_t *count);
/* The checklist item ids of CHECKLIST.md (QG1 ... PB3). */
const char *const *pl_checklist_ids(size_t *count);
/* The item's short name ("Cost" for RD3), as in docs/checklist.md; NULL for an unknown id. */
const char *pl_checklist_item_name(const char *id);

/* One compiled query of a rule, for one language. */
typedef struct pl_rule_matcher {
	const pl_language *language;
	pl_pattern *pattern;     /* owned */
	char *report_capture;    /* owned; capture to report at; NULL = outermost */
	char *message;           /* owned; this query's own message; NULL = the rule's */
	pl_path_filter paths;    /* files it applies to; empty = all */
} pl_rule_matcher;

typedef struct pl_rule {
	char *id;                /* "category/name"; all strings owned */
	char *title;
	char *category;
	char *message;           /* may hold {{capture}} placeholders; defaults to title */
	char *rationale;
	char *remediation;
	pl_severity severity;
	bool hide_snippet;       /* the rule reports secrets: findings carry no source text */
	char **checklist;
	size_t checklist_len;
	pl_rule_matcher *matchers;
	size_t matchers_len;
	pl_config_matcher *config_matchers; /* owned: checks on config trees (check.h) */
	size_t config_matchers_len;
	unsigned config_kinds;   /* union of the matchers' kinds: 1 << pl_file_kind */
	pl_repo_matcher *repo;   /* owned; a repo rule (facts.h), else NULL */
	char *fact;              /* owned; a fact definition: hits are facts named so,
				  * never findings (id is "fact:<name>") */
	char *source_path;       /* the rule file */
	unsigned source_line;    /* line of the rule's id */
} pl_rule;

/* Fact definitions are loaded as rules but never reported, listed or selected. */
static inline bool pl_rule_is_fact(const pl_rule *rule)
{
	return rule->fact != NULL;
}

/* Does the matcher's query apply to the file at `path` (in its language)?
 * Its `paths` must allow it, and a declaration file (lang.h), where no code
 * runs, only if it has `paths`: a rule about what code does has nothing to
 * find there, and one about types says where it looks. */
bool pl_rule_matcher_applies(const pl_rule_matcher *mt, const char *path);

/* True if the rule has a query matcher for this language. */
bool pl_rule_has_language(const pl_rule *rule, const pl_language *lang);
/* True if the rule could apply to a file in this language: a query for it,
 * or a config matcher for a kind such a file can turn out to be. */
bool pl_rule_applies_to(const pl_rule *rule, const pl_language *lang);

/*
 * Rules whose findings prodlint's suppression engine reports itself
 * (src/suppress, SPEC 6) instead of a matcher. Their rule files
 * (rules/meta/) carry the title, severity, checklist and help text, and no
 * `match` or `config`; only these ids may go without one.
 */
#define PL_RULE_SUPPRESSION_WITHOUT_REASON "meta/suppression-without-reason"
#define PL_RULE_SUPPRESSION_EXPIRED "meta/suppression-expired"
#define PL_RULE_UNUSED_SUPPRESSION "meta/unused-suppression"
#define PL_RULE_MALFORMED_SUPPRESSION "meta/malformed-suppression"

/* True for the ids above. */
bool pl_rule_id_is_engine(const char *id);

/*
 * The query matchers of one language in rule order, run as one pattern set
 * (pattern.h) so a file's tree is walked once for all of them.
 */
typedef struct pl_language_plan {
	pl_pattern_set *set;     /* owned; NULL: each matcher runs on its own */
	pl_pattern **patterns;   /* owned array; member i's pattern */
	const pl_rule **rules;   /* owned array; member i's rule */
	const pl_rule_matcher **matchers; /* owned array; member i's matcher */
	size_t len;
} pl_language_plan;

typedef struct pl_ruleset {
	pl_rule **rules;         /* owned; sorted by id after pl_ruleset_finish */
	size_t len, cap;
	pl_query_cache *cache;   /* owned; compiled queries shared while loading */
	bool defer_queries;      /* load queries without compiling them (trusted packs);
				  * pl_ruleset_prepare compiles what a run needs */
	pl_rule **dropped;       /* owned; rules pl_ruleset_filter removed (--select/--ignore):
				  * never run, but known, so an inline suppression naming one
				  * is not judged unused */
	size_t ndropped, capdropped;
	pl_language_plan *plans; /* owned; one per language (pl_languages() order),
				  * made by pl_ruleset_prepare, dropped by pl_ruleset_filter */
	bool separate_queries;   /* run every matcher's query on its own (no plans'
				  * sets): --separate-queries, for equivalence tests */
	bool compile_each;       /* compile each matcher's own query even when
				  * merged (rules test: errors located per query) */
	struct pl_rule_profile *profile; /* borrowed; set: time each matcher (profile.h) */
} pl_ruleset;

#define PL_RULESET_INIT { .rules = NULL }

/*
 * Load a rule file, or every *.yaml / *.yml file below a directory (in
 * sorted order). Errors go to diags as file:line:col; returns the number of
 * rules added, or -1 if anything was wrong (nothing from a bad file is kept).
 */
int pl_ruleset_load_path(pl_ruleset *rs, const char *path, pl_diags *diags);

/* The same for one rule file already in memory (`len` bytes, no NUL needed);
 * `path` only names it in errors. The fuzz targets use it. */
int pl_ruleset_load_buffer(pl_ruleset *rs, const char *path, const char *data, size_t len,
			   pl_diags *diags);

/*
 * Compile the deferred queries of every rule for the languages whose bit
 * (1 << index in pl_languages()) is set in `langs`, in parallel on up to
 * `max_threads` threads (0: one a CPU), one language per thread, and make each
 * language's plan. Errors (a bad query in a deferred pack) go to diags;
 * returns -1 then.
 */
int pl_ruleset_prepare(pl_ruleset *rs, unsigned langs, unsigned max_threads, pl_diags *diags);
/* The bit of a language in pl_ruleset_prepare's set. */
unsigned pl_language_bit(const pl_language *lang);
/* The matchers of `lang` in rule order, without a set (nothing compiled);
 * pl_language_plan_release frees what a plan holds. */
void pl_language_plan_collect(const pl_ruleset *rs, const pl_language *lang,
			      pl_language_plan *plan);
void pl_language_plan_release(pl_language_plan *plan);
/* Free the plans (a view over another set's rules releases only these). */
void pl_ruleset_drop_plans(pl_ruleset *rs);
/* The language's plan, or NULL if pl_ruleset_prepare has not made one. */
const pl_language_plan *pl_ruleset_plan(const pl_ruleset *rs, const pl_language *lang);

/* Sort by id and reject duplicate ids (reported at the second definition). */
int pl_ruleset_finish(pl_ruleset *rs, pl_diags *diags);

const pl_rule *pl_ruleset_find(const pl_ruleset *rs, const char *id);

/* Keep only the rules for which keep(rule, ctx) is true; the others move to `dropped`. */
void pl_ruleset_filter(pl_ruleset *rs, bool (*keep)(const pl_rule *, void *), void *ctx);

void pl_rule_delete(pl_rule *rule);
void pl_ruleset_release(pl_ruleset *rs);

/*
 * Does `pattern` (as for --select / --ignore / suppressions) select the
 * rule? A pattern is a rule id, a category, or a glob over the id
 * (`budget/` + `*`, `*timeout*`).
 */
bool pl_rule_pattern_matches(const char *pattern, const pl_rule *rule);

#endif

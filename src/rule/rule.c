#include "rule/rule.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/kind.h"
#include "util/wildmatch.h"
#include "util/xalloc.h"

static const char *const severity_names[] = { "none", "note", "warning", "error" };

const char *pl_severity_name(pl_severity s)
{
	return (unsigned)s < 4 ? severity_names[s] : "?";
}

int pl_severity_parse(const char *name, pl_severity *out)
{
	for (int i = 1; i < 4; i++) {
		if (strcmp(name, severity_names[i]) == 0) {
			*out = (pl_severity)i;
			return 0;
		}
	}
	return -1;
}

static const char *const categories[] = {
	"eval-gate", "guardrail", "rollback", "tool-boundary", "data-access",
	"reliability", "budget", "observability", "staleness", "meta",
};

const char *const *pl_rule_categories(size_t *count)
{
	*count = sizeof(categories) / sizeof(categories[0]);
	return categories;
}

static const char *const checklist_ids[] = {
	"QG1", "QG2", "QG3", "HB1", "HB2", "HB3", "RD1", "RD2", "RD3",
	"OB1", "OB2", "OB3", "SA1", "PB1", "PB2", "PB3",
};

const char *const *pl_checklist_ids(size_t *count)
{
	*count = sizeof(checklist_ids) / sizeof(checklist_ids[0]);
	return checklist_ids;
}

/* The "item" column of docs/checklist.md, in the order of checklist_ids. */
static const char *const checklist_names[] = {
	"Evaluation before deploy", "Guardrails", "Rollback criteria",
	"Tool boundaries", "Data access", "Approvals",
	"Reliability", "Latency", "Cost",
	"Tracing", "Incidents", "Human handoff",
	"Stale assumptions",
	"Kubernetes basics", "Docker basics", "API edges",
};

_Static_assert(sizeof(checklist_names) / sizeof(checklist_names[0]) ==
		       sizeof(checklist_ids) / sizeof(checklist_ids[0]),
	       "every checklist id has a name");

const char *pl_checklist_item_name(const char *id)
{
	for (size_t i = 0; i < sizeof(checklist_ids) / sizeof(checklist_ids[0]); i++)
		if (strcmp(checklist_ids[i], id) == 0)
			return checklist_names[i];
	return NULL;
}

bool pl_rule_matcher_applies(const pl_rule_matcher *mt, const char *path)
{
	if (!pl_path_filter_allows(&mt->paths, path))
		return false;
	return mt->paths.len > 0 || !pl_language_is_declaration_file(mt->language, path);
}

bool pl_rule_has_language(const pl_rule *rule, const pl_language *lang)
{
	for (size_t i = 0; i < rule->matchers_len; i++)
		if (rule->matchers[i].language == lang)
			return true;
	return false;
}

bool pl_rule_applies_to(const pl_rule *rule, const pl_language *lang)
{
	return pl_rule_has_language(rule, lang) ||
	       (rule->config_kinds & pl_config_possible_kinds(lang)) != 0;
}

void pl_rule_delete(pl_rule *rule)
{
	if (!rule)
		return;
	free(rule->id);
	free(rule->title);
	free(rule->category);
	free(rule->message);
	free(rule->rationale);
	free(rule->remediation);
	for (size_t i = 0; i < rule->checklist_len; i++)
		free(rule->checklist[i]);
	free(rule->checklist);
	for (size_t i = 0; i < rule->matchers_len; i++) {
		pl_pattern_delete(rule->matchers[i].pattern);
		free(rule->matchers[i].report_capture);
		free(rule->matchers[i].message);
		pl_path_filter_release(&rule->matchers[i].paths);
	}
	free(rule->matchers);
	for (size_t i = 0; i < rule->config_matchers_len; i++)
		pl_config_matcher_release(&rule->config_matchers[i]);
	free(rule->config_matchers);
	if (rule->repo)
		pl_repo_matcher_release(rule->repo);
	free(rule->repo);
	free(rule->fact);
	free(rule->source_path);
	free(rule);
}

void pl_language_plan_collect(const pl_ruleset *rs, const pl_language *lang,
			      pl_language_plan *plan)
{
	memset(plan, 0, sizeof(*plan));
	size_t n = 0;
	for (size_t r = 0; r < rs->len; r++)
		for (size_t m = 0; m < rs->rules[r]->matchers_len; m++)
			n += rs->rules[r]->matchers[m].language == lang;
	if (n == 0)
		return;
	plan->patterns = pl_xcalloc(n, sizeof(*plan->patterns));
	plan->rules = pl_xcalloc(n, sizeof(*plan->rules));
	plan->matchers = pl_xcalloc(n, sizeof(*plan->matchers));
	for (size_t r = 0; r < rs->len; r++) {
		const pl_rule *rule = rs->rules[r];
		for (size_t m = 0; m < rule->matchers_len; m++) {
			if (rule->matchers[m].language != lang)
				continue;
			plan->patterns[plan->len] = rule->matchers[m].pattern;
			plan->rules[plan->len] = rule;
			plan->matchers[plan->len] = &rule->matchers[m];
			plan->len++;
		}
	}
}

void pl_language_plan_release(pl_language_plan *plan)
{
	pl_pattern_set_delete(plan->set);
	free(plan->patterns);
	free(plan->rules);
	free(plan->matchers);
	memset(plan, 0, sizeof(*plan));
}

void pl_ruleset_drop_plans(pl_ruleset *rs)
{
	if (!rs->plans)
		return;
	size_t n;
	pl_languages(&n);
	for (size_t i = 0; i < n; i++) {
		pl_language_plan_release(&rs->plans[i]);
	}
	free(rs->plans);
	rs->plans = NULL;
}

void pl_ruleset_release(pl_ruleset *rs)
{
	pl_ruleset_drop_plans(rs);
	for (size_t i = 0; i < rs->len; i++)
		pl_rule_delete(rs->rules[i]);
	free(rs->rules);
	rs->rules = NULL;
	rs->len = rs->cap = 0;
	for (size_t i = 0; i < rs->ndropped; i++)
		pl_rule_delete(rs->dropped[i]);
	free(rs->dropped);
	rs->dropped = NULL;
	rs->ndropped = rs->capdropped = 0;
	pl_query_cache_delete(rs->cache);
	rs->cache = NULL;
}

unsigned pl_language_bit(const pl_language *lang)
{
	size_t n;
	const pl_language *const *langs = pl_languages(&n);
	for (size_t i = 0; i < n; i++)
		if (langs[i] == lang)
			return 1u << i;
	return 0;
}

typedef struct prepare_job {
	pl_ruleset *rs;
	const pl_language *const *langs;
	size_t nlangs;
	unsigned wanted;
	atomic_size_t next;
	pl_diags *errors;        /* one list per language, merged in order */
} prepare_job;

/*
 * Compile what one language needs and make its plan. A merged set needs
 * only the members' relations compiled; each member's own query is
 * compiled too when the set cannot be used (or is not wanted), as a
 * member alone then runs it.
 */
static void prepare_language(pl_ruleset *rs, const pl_language *lang, pl_language_plan *plan,
			     pl_diags *errors)
{
	pl_language_plan_collect(rs, lang, plan);
	if (plan->len == 0)
		return;
	bool merge = !rs->separate_queries;
	bool each = !merge || rs->compile_each;
	for (size_t i = 0; i < plan->len; i++) {
		pl_compile_error err;
		if (!each) {
			pl_pattern_prepare_lazily(plan->patterns[i], rs->cache);
		} else if (pl_pattern_prepare(plan->patterns[i], rs->cache, &err) < 0) {
			const pl_rule *rule = plan->rules[i];
			pl_diags_add(errors, rule->source_path, rule->source_line, 0, "rule '%s': %s",
				     rule->id, err.message);
			merge = false;
		}
	}
	if (!merge)
		return;
	pl_compile_error err;
	plan->set = pl_pattern_set_new(lang, plan->patterns, plan->len, &err);
	if (!plan->set) {
		/* Every member compiles alone, so this is tree-sitter's limit on
		 * one query; run them one by one. */
		for (size_t i = 0; i < plan->len && !each; i++)
			pl_pattern_prepare(plan->patterns[i], rs->cache, &err);
	}
}

static void *prepare_worker(void *arg)
{
	prepare_job *job = arg;
	for (;;) {
		size_t li = atomic_fetch_add(&job->next, 1);
		if (li >= job->nlangs)
			break;
		if (!(job->wanted & (1u << li)) || job->rs->plans[li].patterns)
			continue;
		prepare_language(job->rs, job->langs[li], &job->rs->plans[li], &job->errors[li]);
	}
	return NULL;
}

int pl_ruleset_prepare(pl_ruleset *rs, unsigned langs, unsigned max_threads, pl_diags *diags)
{
	size_t n;
	const pl_language *const *all = pl_languages(&n);
	prepare_job job = { rs, all, n, langs, 0, pl_xcalloc(n, sizeof(pl_diags)) };
	if (!rs->plans)
		rs->plans = pl_xcalloc(n, sizeof(pl_language_plan));
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t nthreads = max_threads ? max_threads : cpus > 1 ? (size_t)cpus : 1;
	if (nthreads > n)
		nthreads = n;
	pthread_t *threads = pl_xcalloc(nthreads, sizeof(pthread_t));
	size_t started = 0;
	for (; started + 1 < nthreads; started++)
		if (pthread_create(&threads[started], NULL, prepare_worker, &job) != 0)
			break;
	prepare_worker(&job);
	for (size_t t = 0; t < started; t++)
		pthread_join(threads[t], NULL);
	free(threads);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < job.errors[i].len; k++) {
			const pl_diag *d = &job.errors[i].items[k];
			pl_diags_add(diags, d->path, d->line, d->col, "%s", d->message);
			rc = -1;
		}
		pl_diags_release(&job.errors[i]);
	}
	free(job.errors);
	return rc;
}

static int by_id(const void *a, const void *b)
{
	const pl_rule *ra = *(pl_rule *const *)a, *rb = *(pl_rule *const *)b;
	int c = strcmp(ra->id, rb->id);
	if (c)
		return c;
	c = strcmp(ra->source_path, rb->source_path);
	return c ? c : (ra->source_line > rb->source_line) - (ra->source_line < rb->source_line);
}

int pl_ruleset_finish(pl_ruleset *rs, pl_diags *diags)
{
	if (rs->len)
		qsort(rs->rules, rs->len, sizeof(pl_rule *), by_id);
	int rc = 0;
	for (size_t i = 1; i < rs->len; i++) {
		if (strcmp(rs->rules[i - 1]->id, rs->rules[i]->id) == 0) {
			pl_diags_add(diags, rs->rules[i]->source_path, rs->rules[i]->source_line, 0,
				     "duplicate rule id '%s' (first defined at %s:%u)", rs->rules[i]->id,
				     rs->rules[i - 1]->source_path, rs->rules[i - 1]->source_line);
			rc = -1;
		}
	}
	return rc;
}

const pl_rule *pl_ruleset_find(const pl_ruleset *rs, const char *id)
{
	for (size_t i = 0; i < rs->len; i++)
		if (strcmp(rs->rules[i]->id, id) == 0)
			return rs->rules[i];
	return NULL;
}

const pl_language_plan *pl_ruleset_plan(const pl_ruleset *rs, const pl_language *lang)
{
	unsigned bit = pl_language_bit(lang);
	if (!rs->plans || !bit)
		return NULL;
	size_t i = 0;
	while (!(bit & (1u << i)))
		i++;
	return rs->plans[i].patterns ? &rs->plans[i] : NULL;
}

void pl_ruleset_filter(pl_ruleset *rs, bool (*keep)(const pl_rule *, void *), void *ctx)
{
	pl_ruleset_drop_plans(rs); /* they name the rules as they were */
	size_t out = 0;
	for (size_t i = 0; i < rs->len; i++) {
		if (keep(rs->rules[i], ctx)) {
			rs->rules[out++] = rs->rules[i];
		} else {
			PL_GROW(rs->dropped, rs->capdropped, rs->ndropped + 1);
			rs->dropped[rs->ndropped++] = rs->rules[i];
		}
	}
	rs->len = out;
}

bool pl_rule_id_is_engine(const char *id)
{
	static const char *const ids[] = {
		PL_RULE_SUPPRESSION_WITHOUT_REASON, PL_RULE_SUPPRESSION_EXPIRED,
		PL_RULE_UNUSED_SUPPRESSION, PL_RULE_MALFORMED_SUPPRESSION,
	};
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		if (strcmp(id, ids[i]) == 0)
			return true;
	return false;
}

bool pl_rule_pattern_matches(const char *pattern, const pl_rule *rule)
{
	if (strcmp(pattern, rule->id) == 0 || strcmp(pattern, rule->category) == 0)
		return true;
	return pl_has_glob_chars(pattern) && pl_wildmatch(pattern, rule->id, 0);
}

/*
 * facts: what the repository contains, gathered from every file in one pass.
 *
 * A fact is a name ("calls-llm", "ci-deploys", "ci-runs-evals") with the
 * evidence for it: where (path, line, column) and a short description.
 * Facts come from fact definitions in rule files (queries and config checks
 * whose hits become facts instead of findings) and from built-in analyses
 * (the CI model, ci.h). Repo rules (repo_rule.h) then ask which facts are
 * present and report what is missing, at the evidence of what is there.
 *
 * A pl_facts list owns its strings. pl_facts_finish sorts by (name, path,
 * line, column, detail) and drops duplicates, so everything downstream is
 * deterministic whatever order files were scanned in.
 */
#ifndef PL_FACTS_H
#define PL_FACTS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct pl_fact {
	char *name;      /* owned: lowercase-dashed */
	char *path;      /* owned: relative to the scan root */
	unsigned line, column;
	char *detail;    /* owned: e.g. "kubectl apply in job 'deploy'"; may be "" */
} pl_fact;

typedef struct pl_facts {
	pl_fact *items;
	size_t len, cap;
} pl_facts;

#define PL_FACTS_INIT { NULL, 0, 0 }

void pl_facts_add(pl_facts *facts, const char *name, const char *path, unsigned line,
		  unsigned column, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Move every fact of `from` to the end of `to`. */
void pl_facts_take(pl_facts *to, pl_facts *from);
void pl_facts_finish(pl_facts *facts);
void pl_facts_release(pl_facts *facts);

/* The first fact with this name (after finish: the first by path and line), or NULL. */
const pl_fact *pl_facts_first(const pl_facts *facts, const char *name);
size_t pl_facts_count(const pl_facts *facts, const char *name);

/* True if `name` is a valid fact name: lowercase letters, digits and dashes. */
bool pl_fact_name_valid(const char *name);

#endif

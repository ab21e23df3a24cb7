/*
 * scan: run a rule set over files and collect findings.
 *
 * pl_scan walks the paths (walk.h), then worker threads (one tree-sitter
 * parser each) take files from a shared counter; compiled rules are shared
 * read-only. Each file's findings land in its own slot and are merged in
 * file order, so output never depends on -j. A file's inline suppressions
 * (suppress.h) are applied in the worker right after its findings are
 * produced, so results, counts and exit codes only ever see what is
 * reported (plus the meta findings); stats.suppressed counts the rest.
 *
 * pl_scan_buffer runs the rules over one in-memory file; `rules test` and
 * the unit tests use it directly.
 */
#ifndef PL_SCAN_H
#define PL_SCAN_H

#include <stddef.h>
#include <tree_sitter/api.h>

#include "facts/ci.h"
#include "facts/k8s.h"
#include "facts/facts.h"
#include "rule/rule.h"
#include "finding/finding.h"
#include "suppress/suppress.h"
#include "util/diag.h"
#include "walk/walk.h"

typedef struct pl_scan_options {
	unsigned jobs;           /* worker threads; 0 = number of CPUs */
	pl_walk_options walk;
	bool no_inline_suppressions; /* audits: ignore prodlint-ignore comments and annotations */
	int today;               /* YYYYMMDD for suppression expiry; 0 = pl_suppress_today() */
	bool no_prefilter;       /* parse every file (to prove the prefilter drops nothing) */
} pl_scan_options;

#define PL_SCAN_OPTIONS_INIT { 0, PL_WALK_OPTIONS_INIT, false, 0, false }

typedef struct pl_scan_stats {
	size_t files;            /* files parsed and matched */
	size_t binary;           /* skipped: NUL bytes in the first 8 KiB */
	size_t no_rules;         /* skipped: no rule that ran applies to the language */
	size_t too_large, ignored, unsupported, special;
	size_t bytes;
	size_t suppressed;       /* findings hidden by inline suppressions (suppress.h) */
	double ms;
} pl_scan_stats;

typedef struct pl_scan_result {
	pl_findings findings;    /* sorted, fingerprinted; repo rules' findings included */
	pl_facts facts;          /* everything the repository was found to contain */
	pl_diags errors;         /* files that could not be scanned: the scan is incomplete */
	pl_diags skipped;        /* files left out on purpose, with the reason (templates, invalid YAML) */
	pl_scan_stats stats;
} pl_scan_result;

#define PL_SCAN_RESULT_INIT { PL_FINDINGS_INIT, PL_FACTS_INIT, PL_DIAGS_INIT, PL_DIAGS_INIT, { 0 } }

/* Compiles the rules' deferred queries for the languages it meets (rule.h).
 * Returns 0, or -1 if the root cannot be read or a deferred query does not
 * compile (an error is in result->errors). */
int pl_scan(pl_ruleset *rules, const char *root, const char *const *paths, size_t npaths,
	    const pl_scan_options *opt, pl_scan_result *result);

/*
 * Parse `text` as `lang` with `parser` and append the findings of every rule
 * that has a matcher for the language. `path` is copied into findings.
 * Returns 0, or -1 if the parser gave up (an error is added to errors).
 */
int pl_scan_buffer(const pl_ruleset *rules, TSParser *parser, const pl_language *lang,
		   const char *path, const char *text, size_t len, pl_findings *out,
		   pl_diags *errors);

/* What one file contributes: findings, facts, CI workflows, problems. */
typedef struct pl_file_output {
	pl_findings findings;
	pl_facts facts;
	pl_diags errors;         /* the file could not be fully scanned */
	pl_diags skipped;        /* left out on purpose, with the reason (templates, invalid YAML) */
	pl_ci *ci;               /* owned; CI workflows read from this file */
	pl_k8s *k8s;             /* owned; Kubernetes objects for cross-object facts */
} pl_file_output;

void pl_file_output_init(pl_file_output *out);
void pl_file_output_release(pl_file_output *out);

/* Per thread: the rules, a parser, and the shared CI step classifier. */
typedef struct pl_scan_context {
	const pl_ruleset *rules;
	TSParser *parser;
	const pl_ci_classifier *ci;
	bool no_prefilter;
} pl_scan_context;

/* Everything that applies to one file: queries for its language and, for
 * config formats, the config checks and the CI model. */
void pl_scan_file_text(const pl_scan_context *ctx, const pl_file *file, const char *text,
		       size_t len, pl_file_output *out);

/*
 * The repository phase, once every file is in: analyse CI, then run the
 * repo rules over all facts. Facts are finished (sorted) in place and the
 * repo rules' findings appended (not finished).
 */
typedef struct pl_repo_inputs {
	const char *root;              /* the scan root, for CODEOWNERS */
	const char *const *paths;      /* every file seen, parsed or not */
	size_t npaths;
	const pl_ci *ci;
	const pl_k8s *k8s;
} pl_repo_inputs;

void pl_scan_repo_phase(const pl_ruleset *rules, const pl_repo_inputs *in, pl_facts *facts,
			pl_findings *out);

/*
 * Apply one file's inline suppressions (comments and Kubernetes annotations,
 * suppress.h) to its findings, right after they were produced: suppressed
 * findings are removed, meta findings appended. `complete` is false when the
 * file could not be fully scanned or was skipped (unused suppressions are
 * then not judged). Returns the number of findings suppressed.
 */
size_t pl_scan_suppress(const pl_suppress_config *cfg, TSParser *parser, const pl_file *file,
			const char *text, size_t len, bool complete, pl_findings *findings);

void pl_scan_result_release(pl_scan_result *result);

#endif

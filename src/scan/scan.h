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
 * A targeted scan (explicit file arguments, --staged, --changed-since; SPEC
 * 1) reports on its target files only, yet reads every file under the root
 * for facts, so repository-level rules still see the whole repository:
 *   - findings of a target file are reported, and with changed lines
 *     (--changed-since) only those whose span [line, end_line] touches one;
 *   - a repository-level finding is reported when the change is part of it:
 *     it is reported in a target file, or a target file holds evidence for
 *     it (a fact its `when` names), or it would not fire without the change
 *     (the repository before the change, pl_scan_base, shows no such
 *     finding). Without a base only the first two apply;
 *   - files that are not targets contribute facts, the CI and Kubernetes
 *     models and the suppressions of repository-level findings reported in
 *     them; their own findings, errors and skip notes are not reported (a
 *     hook's exit code reflects its files; the full scan reports the rest).
 * Invariant: for explicit file arguments inside the root, the findings
 * reported in those files are exactly those a full scan of the root
 * reports there (same fingerprints); elsewhere only repository-level
 * findings the change is part of appear.
 *
 * Per-file results may come from a cache (pl_scan_cache, src/cache/): what
 * a file yields before suppressions depends only on its path, its content
 * and the rules, so the cache is consulted after reading the file and
 * before parsing it; suppressions are applied afterwards either way, from
 * the text, so their date and --no-inline-suppressions never go stale.
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
#include "match/probe.h"
#include "suppress/suppress.h"
#include "util/diag.h"
#include "util/line_range.h"
#include "walk/walk.h"

/* What one file contributes: findings, facts, CI workflows, problems. */
typedef struct pl_file_output {
	pl_findings findings;
	pl_facts facts;
	pl_diags errors;         /* the file could not be fully scanned */
	pl_diags skipped;        /* left out on purpose, with the reason (templates, invalid YAML) */
	pl_ci *ci;               /* owned; CI workflows read from this file */
	pl_k8s *k8s;             /* owned; Kubernetes objects for cross-object facts */
	bool parsed;             /* its code was parsed for queries (not ruled out by the prefilter) */
	/* Presence-only facts this file was not checked for, because another
	 * file of the run had shown them (pl_scan_context.settling). Owned. */
	char **unchecked;
	size_t nunchecked;
} pl_file_output;

void pl_file_output_init(pl_file_output *out);
void pl_file_output_release(pl_file_output *out);
/* Note a fact the file was not checked for (once). */
void pl_file_output_unchecked(pl_file_output *out, const char *fact);

/*
 * A per-file result cache, consulted by the workers (src/cache/ provides
 * one). load fills a freshly initialised `out` and returns true on a hit;
 * on a miss it leaves `out` as it was (empty). store keeps what a file
 * yielded before suppressions. Both are called from several threads at once.
 */
typedef struct pl_scan_cache {
	bool (*load)(void *ctx, const pl_file *file, const char *text, size_t len,
		     pl_file_output *out);
	void (*store)(void *ctx, const pl_file *file, const char *text, size_t len,
		      const pl_file_output *out);
	void *ctx;
} pl_scan_cache;

/* A file a targeted scan reports on, named by --staged or --changed-since. */
typedef struct pl_scan_target {
	const char *path;          /* borrowed: relative to the root, '/'-separated */
	bool deleted;              /* gone: left out of the repository even if still on disk */
	const char *text;          /* borrowed: content to scan instead of the file's (a
				    * staged blob), or NULL */
	size_t len;
	const pl_line_ranges *lines; /* borrowed: report only findings touching these
				      * lines; NULL = every line */
} pl_scan_target;

/* The repository before the change, for repository-level findings. */
typedef struct pl_scan_base {
	/* `path`'s content before the change: 1 and a malloc'd NUL-terminated copy
	 * (caller frees), 0 when it did not exist, -1 when unknown (then no
	 * comparison is made). Called from the scanning thread only. */
	int (*read)(void *ctx, const char *path, char **text, size_t *len);
	void *ctx;
} pl_scan_base;

/*
 * Bounds on one code file (pattern.h says why): a syntax tree deeper than
 * PL_SCAN_MAX_TREE_DEPTH is not matched at all, and parsing plus matching
 * stop at PL_SCAN_FILE_TIMEOUT_MS. Either, or a query over PL_MATCH_LIMIT,
 * makes the file an error: the scan is incomplete, never silently clean.
 */
#define PL_SCAN_MAX_TREE_DEPTH 4096
#define PL_SCAN_FILE_TIMEOUT_MS 30000

/*
 * The walk of an untargeted scan's root, done already (pl_walk with the
 * scan's walk options and no paths): pl_scan takes its files and
 * diagnostics instead of walking. The command line runs it on a thread of
 * its own while the rules load.
 */
typedef struct pl_walked {
	int rc;                  /* pl_walk's */
	pl_file_list files;
	pl_diags diags;
} pl_walked;

typedef struct pl_scan_options {
	unsigned jobs;           /* worker threads; 0 = number of CPUs */
	pl_walk_options walk;
	bool no_inline_suppressions; /* audits: ignore prodlint-ignore comments and annotations */
	int today;               /* YYYYMMDD for suppression expiry; 0 = pl_suppress_today() */
	bool no_prefilter;       /* parse every file (to prove the prefilter drops nothing) */
	/* Targeted scans (see above). Paths given to pl_scan make a scan targeted
	 * too: what they name are its targets. */
	bool targeted;
	const pl_scan_target *targets; /* borrowed; sorted or not */
	size_t ntargets;
	const pl_scan_base *base;      /* borrowed; NULL: no before/after comparison */
	const pl_scan_cache *cache;    /* borrowed; NULL: scan every file */
	pl_walked *walked;       /* borrowed, emptied by pl_scan; NULL: walk in pl_scan */
} pl_scan_options;

#define PL_SCAN_OPTIONS_INIT                                                                  \
	{ 0, PL_WALK_OPTIONS_INIT, false, 0, false, false, NULL, 0, NULL, NULL, NULL }

/* The worker threads a scan with these options runs: opt->jobs, or the
 * number of CPUs for 0. */
unsigned pl_scan_threads(const pl_scan_options *opt);

typedef struct pl_scan_stats {
	size_t files;            /* files parsed and matched (targeted: those reported on) */
	size_t binary;           /* skipped: NUL bytes in the first 8 KiB */
	size_t no_rules;         /* skipped: no rule that ran applies to the language */
	size_t too_large, ignored, unsupported, special;
	size_t minified;         /* skipped: minified bundles (walk.h) */
	size_t bytes;
	size_t suppressed;       /* findings hidden by inline suppressions (suppress.h) */
	size_t context;          /* targeted: other files read for repository facts */
	size_t cached;           /* results taken from the cache (targets and context) */
	size_t parsed;           /* code files parsed for queries; the prefilter ruled out the rest */
	double ms;
} pl_scan_stats;

typedef struct pl_scan_result {
	pl_findings findings;    /* sorted, fingerprinted; repo rules' findings included */
	pl_facts facts;          /* everything the repository was found to contain */
	pl_diags errors;         /* files that could not be scanned: the scan is incomplete */
	pl_diags skipped;        /* files left out on purpose, with the reason (templates, invalid YAML) */
	pl_scan_stats stats;
	/* A targeted scan: the target files (sorted, owned), and whether findings
	 * were also limited to changed lines. Findings outside them are not known. */
	bool targeted;
	bool line_filtered;
	char **targets;
	size_t ntargets;
} pl_scan_result;

#define PL_SCAN_RESULT_INIT { PL_FINDINGS_INIT, PL_FACTS_INIT, PL_DIAGS_INIT, PL_DIAGS_INIT, { 0 }, false, false, NULL, 0 }

/*
 * Scan everything under `root` (a directory). With `paths` (files or
 * directories, relative to the current directory; shown relative to root
 * when inside it, as given otherwise), or opt->targeted, the scan is
 * targeted: the paths and opt->targets are what it reports on, the rest of
 * the root is read for facts only. Compiles the rules' deferred queries for
 * the languages it meets (rule.h). Returns 0, or -1 if the root cannot be
 * read or a deferred query does not compile (an error is in result->errors).
 */
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


/* Per thread: the rules, a parser, and the shared CI step classifier. */
/* Facts the repo rules ask about only as "is it anywhere" (`unless`,
 * `require`): once a file of the run has shown one, the others need not be
 * checked for it (scan_private.h). */
typedef struct pl_fact_settling pl_fact_settling;

typedef struct pl_scan_context {
	const pl_ruleset *rules;
	TSParser *parser;
	const pl_ci_classifier *ci;
	bool no_prefilter;
	pl_fact_settling *settling; /* NULL: every fact is checked in every file */
	pl_probe_buffers *probe_buffers; /* the thread's, for the prefilter (probe.h); NULL */
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

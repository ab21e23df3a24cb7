/*
 * project: the repository's own settings, `.prodlint.yaml` (SPEC 6).
 *
 * Every key is optional. The file is loaded with libcyaml against a strict
 * schema (project_schema.c) and every value is checked here, each error
 * located as `file:line:col: message` like a rule file's (yaml_doc.h).
 * What needs the rules (does a pattern select any rule?) is checked once
 * they are loaded, with the positions kept from the file.
 *
 *   rules: [paths]            extra rule files or directories
 *   builtin-rules: on | off   a strict word, never a YAML boolean
 *   select: / ignore:         rule patterns, as for --select / --ignore
 *   severity: {pattern: level}  error | warning | note; applied in file
 *                             order, so a later entry refines an earlier one
 *   exclude: [globs]          gitignore lines: files never scanned
 *   ignore-findings: [{rule, path, line?, reason}]
 *                             drop findings in files that cannot carry a
 *                             prodlint-ignore comment (JSON, generated code)
 *   fail-on: error | warning | note | none
 *   baseline: path            as --baseline
 *   attest: [{checklist: [ids], rules?: [patterns], reason}]
 *                             a control provided outside the repository:
 *                             the items show as `attested` in the scorecard,
 *                             and findings of the listed rules that cite one
 *                             of the items are dropped
 *
 * Paths in the file (rules, exclude, ignore-findings paths, baseline) are
 * relative to the file's directory, which is not always the scan root: a
 * configuration at the repository top applies to a scan of a subdirectory.
 * A file outside that directory is never matched by exclude or
 * ignore-findings.
 *
 * Ownership: a pl_project owns every string and list in it; release it
 * with pl_project_release. pl_project_excludes may be called from several
 * threads at once (it only reads).
 *
 * Usage:
 *   char *path = pl_project_discover(root);        // or --config FILE
 *   pl_project proj = PL_PROJECT_INIT;
 *   if (path && pl_project_load(&proj, path, &diags) < 0) ... print diags, exit 2
 *   ... load rules (proj.rules, proj.builtin_rules) ...
 *   if (pl_project_check_rules(&proj, &rules, &diags) < 0) ... exit 2
 *   pl_project_apply_severity(&proj, &rules);
 *   pl_project_bind_root(&proj, root);
 *   walk options: exclude = pl_project_exclude_cb, exclude_ctx = &proj
 *   ... scan ...
 *   pl_project_filter(&proj, &result.findings);   // ignore-findings, attest
 *   pl_project_release(&proj);
 */
#ifndef PL_PROJECT_H
#define PL_PROJECT_H

#include <stdbool.h>
#include <stddef.h>

#include "rule/rule.h"
#include "finding/finding.h"
#include "util/diag.h"
#include "walk/ignore.h"

/* The file name discovery looks for. */
#define PL_PROJECT_FILE ".prodlint.yaml"

/* A rule pattern and where it is written, for errors found after loading. */
typedef struct pl_project_pattern {
	char *pattern;               /* owned */
	unsigned line, col;
} pl_project_pattern;

typedef struct pl_project_severity {
	pl_project_pattern rule;     /* the mapping key */
	pl_severity severity;
} pl_project_severity;

typedef struct pl_project_ignore {
	pl_project_pattern rule;
	char *path;                  /* owned: the glob as written */
	pl_ignore_list *glob;        /* owned: `path` compiled */
	unsigned line;               /* 0: any line */
	char *reason;                /* owned */
	unsigned at_line, at_col;    /* the entry */
	size_t hits;                 /* findings it dropped (pl_project_filter) */
} pl_project_ignore;

typedef struct pl_project_attest {
	char **checklist;            /* owned: known item ids */
	size_t nchecklist;
	pl_project_pattern *rules;   /* owned; may be empty: the scorecard only */
	size_t nrules;
	char *reason;                /* owned */
	unsigned line, col;          /* the entry */
	size_t hits;                 /* findings it dropped (pl_project_filter) */
} pl_project_attest;

typedef struct pl_project {
	char *path;                  /* the file, as shown in messages */
	char *dir;                   /* its directory as shown ("." for the current one) */
	char *dir_real;              /* realpath of dir: paths in the file are relative to it */

	char **rules;                /* joined with dir */
	size_t nrules;
	int builtin_rules;           /* -1 unset, 0 off, 1 on */
	pl_project_pattern *select;  /* empty: unset (the file cannot say "none") */
	size_t nselect;
	pl_project_pattern *ignore;
	size_t nignore;
	pl_project_severity *severity;
	size_t nseverity;
	pl_ignore_list *exclude;     /* NULL: none */
	pl_project_ignore *ignore_findings;
	size_t nignore_findings;
	bool has_fail_on;
	pl_severity fail_on;         /* PL_SEVERITY_NONE for `none` */
	char *baseline;              /* joined with dir; NULL: unset */
	pl_project_attest *attest;
	size_t nattest;

	/* Set by pl_project_bind_root: the scan root relative to dir_real
	 * ("" or "a/b/"), NULL when the root is not inside it. */
	char *root_real;
	char *root_prefix;
} pl_project;

#define PL_PROJECT_INIT { .builtin_rules = -1 }

/*
 * Look for PL_PROJECT_FILE in `root` and each parent up to the file-system
 * root, stopping after a directory that holds `.git` (the repository top):
 * a configuration above the repository is someone else's. Returns the path
 * to show (relative to the current directory when that is shorter, with
 * `..` when the file is above it), or NULL if there is none; caller frees.
 */
char *pl_project_discover(const char *root);

/* Load and check the file. Returns 0, or -1 with located errors in diags
 * (the project is then left empty but releasable). */
int pl_project_load(pl_project *proj, const char *path, pl_diags *diags);

/*
 * The checks that need the loaded rules: every select / ignore / severity /
 * ignore-findings pattern must select a rule (a typo would otherwise do
 * nothing, silently), and every attest pattern must select a rule that cites
 * one of the attested items. Returns 0, or -1 with located errors.
 */
int pl_project_check_rules(const pl_project *proj, const pl_ruleset *rules, pl_diags *diags);

/* Apply `severity:` to the loaded rules, in file order. */
void pl_project_apply_severity(const pl_project *proj, pl_ruleset *rules);

/* Remember the scan root, so paths relative to it can be matched against the
 * file's globs. Returns 0, or -1 with errno if root cannot be resolved. */
int pl_project_bind_root(pl_project *proj, const char *root);

/* Is `path` (relative to the bound root, as the walker and findings show it)
 * excluded, itself or through a parent directory? */
bool pl_project_excludes(const pl_project *proj, const char *path, bool is_dir);

/* pl_project_excludes as a pl_walk_options.exclude callback (ctx: the project). */
bool pl_project_exclude_cb(const char *path, bool is_dir, void *ctx);

/*
 * Drop the findings that `ignore-findings` entries or attestations cover,
 * counting each entry's hits. Returns how many were dropped.
 */
size_t pl_project_filter(pl_project *proj, pl_findings *findings);

/* Does an attestation name checklist item `id`? */
bool pl_project_attests(const pl_project *proj, const char *id);

/* The commented file `prodlint init` writes; it loads as a valid project. */
const char *pl_project_template(void);

void pl_project_release(pl_project *proj);

#endif

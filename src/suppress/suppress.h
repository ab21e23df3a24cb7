/*
 * suppress: inline suppressions (SPEC 6) and the meta findings about them.
 *
 * A suppression is a comment in the file's own comment syntax
 *
 *     prodlint-ignore <pattern>[,<pattern>...] -- <reason> [until YYYY-MM-DD]
 *
 * or, on a Kubernetes object (any YAML or JSON document), the annotation
 * `metadata.annotations["prodlint.dev/ignore"]` holding the same text
 * without the marker. Patterns are those of --select (pl_rule_pattern_matches).
 *
 * What a suppression covers:
 *   - a trailing comment (code before it on its line): findings that start
 *     on that line;
 *   - a comment alone on its line: findings that start on that line or on
 *     the next line that is neither blank nor a comment (so several
 *     suppressions and other comments may be stacked above one line);
 *   - an annotation: findings that start anywhere in its document.
 * Findings are a file's own (queries, config checks) and, in a whole scan,
 * the repository-level findings (SPEC 4.3) reported at evidence in that
 * file, e.g. a Deployment without a PodDisruptionBudget: scan.c keeps a
 * file's suppressions until the repository phase is done. Facts are never
 * suppressed.
 *
 * Rules of judgement (the meta findings, the rules in rules/meta/):
 *   - malformed (meta/malformed-suppression): no pattern, an empty pattern,
 *     text where `,` or `-- reason` belongs, a date that is not a real
 *     YYYY-MM-DD, a block comment over several lines, a Dockerfile trailing
 *     comment. A malformed suppression never suppresses: if prodlint cannot
 *     read an exception exactly, it does not honour it, and says why.
 *   - no reason (meta/suppression-without-reason): still suppresses.
 *   - expired (meta/suppression-expired): `until` is the last day it holds;
 *     from the next day on it suppresses nothing, so the findings it hid are
 *     reported again next to it.
 *   - unused (meta/unused-suppression): it hid no finding although it could
 *     be judged: the file was scanned completely, every pattern selects at
 *     least one rule that ran and whose findings were offered to it (query
 *     and config rules; repo rules in a whole scan), and no pattern selects
 *     a rule that was loaded but dropped by --select / --ignore
 *     (pl_ruleset.dropped). So `--select budget` never
 *     makes the suppressions for other categories look unused, and a
 *     suppression naming an unknown rule is never called unused (the
 *     finding it meant to hide is still reported, which shows the typo).
 * Meta findings are never themselves suppressed inline, and they are only
 * produced when their rule is in the rule set that ran (the built-in pack
 * has them; --ignore meta turns them off).
 *
 * Comments are found on the syntax tree for languages with a tree-sitter
 * grammar (a marker inside a string, template or regex literal is not a
 * comment), and by lines starting with `#` for Dockerfiles (which have no
 * trailing comments). The marker must follow the comment delimiter (`#`,
 * `//`, `/` + `*`), possibly after other text in the same comment (`# noqa #
 * prodlint-ignore ...`), so prose that mentions it is not a suppression.
 * JSON has no comments: use the annotation there.
 *
 * Known limits: in a Dockerfile, a marker after `#` in the middle of a line
 * (shell text, a heredoc) is reported as a malformed trailing comment; a
 * JSX comment (`{` + a block comment + `}`) counts as trailing, since the
 * `{` is code, so it covers its own line only; a multi-line block comment
 * is never a suppression (a marker directly after its opening delimiter is
 * reported as malformed). A repository-level finding moves when its
 * evidence does (the first model call, say): a suppression there then goes
 * unused and says so; `.prodlint.yaml` attestations suit those better.
 *
 * Ownership: a pl_suppressions list owns its suppressions and their strings.
 * Nothing here keeps a pointer into the file text or syntax tree.
 *
 * Usage (per file, after its findings are produced; scan.c does this):
 *   pl_suppress_config cfg;
 *   pl_suppress_config_init(&cfg, rules, today);        once per run
 *   pl_suppressions s = PL_SUPPRESSIONS_INIT;
 *   pl_suppress_scan_comments(parser, lang, text, len, &s);
 *   pl_suppress_add_annotation(&s, doc, text, len);     per config document
 *   n = pl_suppress_apply(&cfg, &s, &findings);
 *   ... (a whole scan: the repo rules' findings in this file, later)
 *   pl_suppress_report(&cfg, &s, path, complete, &findings);
 *   pl_suppressions_release(&s);
 */
#ifndef PL_SUPPRESS_H
#define PL_SUPPRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <tree_sitter/api.h>

#include "config/tree.h"
#include "lang/lang.h"
#include "rule/rule.h"
#include "finding/finding.h"

/* The comment marker and the annotation key. */
#define PL_SUPPRESS_MARKER "prodlint-ignore"
#define PL_SUPPRESS_ANNOTATION "prodlint.dev/ignore"

typedef struct pl_suppression {
	char **patterns;         /* owned */
	size_t npatterns;
	char *reason;            /* owned; NULL when missing or empty */
	int until;               /* last day it holds, as YYYYMMDD; 0 = no end */
	char *problem;           /* owned; non-NULL = malformed (why); never suppresses */
	bool annotation;         /* from prodlint.dev/ignore, not a comment */
	/* Where it is written: meta findings point here. */
	unsigned line, column, end_line, end_column;
	char *snippet;           /* owned: the source line */
	char *text;              /* owned: the directive, whitespace-normalised (fingerprints) */
	/* Findings starting on a line in [first_line, last_line] or on next_line (0 = none). */
	unsigned first_line, last_line, next_line;
	size_t hits;             /* findings it matched, expired or not (pl_suppress_apply) */
} pl_suppression;

typedef struct pl_suppressions {
	pl_suppression *items;
	size_t len, cap;
} pl_suppressions;

#define PL_SUPPRESSIONS_INIT { NULL, 0, 0 }

void pl_suppressions_release(pl_suppressions *list);

/*
 * Parse the text after the marker (or an annotation's value) into `s`'s
 * patterns, reason, until and problem. `s` must be zeroed or freshly
 * released; positions are left alone.
 */
void pl_suppression_parse(pl_suppression *s, const char *text, size_t len);

/*
 * Every suppression comment in a file. Parses the text with `parser` when
 * the language has a grammar, but only if the marker occurs at all (most
 * files have none and cost one memory scan). No-op for languages without
 * comments (JSON).
 */
void pl_suppress_scan_comments(TSParser *parser, const pl_language *lang, const char *text,
			       size_t len, pl_suppressions *out);

/* The annotation of one config document (tree.h), if it has one. `text` is
 * the file, for the snippet. */
void pl_suppress_add_annotation(pl_suppressions *out, const pl_node *doc, const char *text,
				size_t len);

/* Parse exactly `YYYY-MM-DD` (a real calendar date) into YYYYMMDD; -1 if not. */
int pl_date_parse(const char *s, size_t n, int *out);

/*
 * Today for expiry: $PRODLINT_TODAY (YYYY-MM-DD) when set and not empty,
 * else the local date. Returns -1 (and the local date) when PRODLINT_TODAY
 * is set but not a date. Not thread-safe (getenv): call once per run.
 */
int pl_suppress_today(int *out);

/* The rules and the date one run judges suppressions with; immutable, shared by threads. */
typedef struct pl_suppress_config {
	const pl_ruleset *rules;   /* borrowed: the rules that ran */
	/* The meta rules, NULL when not in the rule set (not loaded, or filtered out). */
	const pl_rule *without_reason, *expired, *unused, *malformed;
	int today;                 /* YYYYMMDD */
	bool repo_findings;        /* the repo rules' findings are offered too (a whole scan) */
} pl_suppress_config;

void pl_suppress_config_init(pl_suppress_config *cfg, const pl_ruleset *rules, int today);

/*
 * Hide the findings a file's suppressions cover: they are removed from
 * `findings` and freed; each suppression counts its hits. May be called
 * more than once (the file's own findings, then the repository-level
 * findings reported in it). Returns the number of findings suppressed.
 */
size_t pl_suppress_apply(const pl_suppress_config *cfg, pl_suppressions *list,
			 pl_findings *findings);

/*
 * Append the meta findings about a file's suppressions to `out`, once every
 * finding was offered to them. `complete` says every rule ran over the
 * whole file (no read, parse or limit error, not skipped); unused
 * suppressions are only judged then. Appended unsorted (the caller
 * finishes the list).
 */
void pl_suppress_report(const pl_suppress_config *cfg, const pl_suppressions *list,
			const char *path, bool complete, pl_findings *out);

#endif

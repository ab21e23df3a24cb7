/*
 * baseline: findings accepted as they are, recorded by fingerprint (SPEC 6),
 * so a team can adopt prodlint on an existing service and gate only on what
 * is new, then ratchet the baseline down as findings are fixed.
 *
 * The file (version 1), written atomically:
 *   {"version": 1, "tool": "prodlint",
 *    "findings": [{"fingerprint", "rule", "path", "message"}, ...]}
 * sorted by path, rule and fingerprint, with no line numbers: fingerprints
 * (finding.h: rule id + path + normalised matched text + occurrence) do not
 * change when lines move, so neither does a rewritten baseline, and diffs of
 * it show only findings that came or went. Only `fingerprint` is matched;
 * rule, path and message are there for the people reviewing the file.
 * Readers ignore keys they do not know; a change in meaning bumps `version`.
 *
 * Invariants and ownership: a pl_baseline owns its entries, kept sorted by
 * fingerprint with duplicates dropped; `seen` is set by pl_baseline_apply.
 *
 * Usage:
 *   pl_baseline_write(&result.findings, "base.json");          // --write-baseline
 *
 *   pl_baseline b = PL_BASELINE_INIT;
 *   if (pl_baseline_load(&b, "base.json", &diags) < 0) ... print diags, exit 2
 *   size_t matched = pl_baseline_apply(&b, &result.findings); // drops them
 *   size_t gone = pl_baseline_gone(&b, NULL, NULL);
 *   pl_baseline_release(&b);
 */
#ifndef PL_BASELINE_H
#define PL_BASELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "finding/finding.h"
#include "util/diag.h"
#include "util/strbuf.h"

#define PL_BASELINE_VERSION 1

typedef struct pl_baseline_entry {
	char fingerprint[17];    /* 16 lowercase hex digits */
	char *rule;              /* owned */
	char *path;              /* owned */
	char *message;           /* owned; "" when the file has none */
	bool seen;               /* a finding of this run matched it */
} pl_baseline_entry;

typedef struct pl_baseline {
	pl_baseline_entry *items; /* sorted by fingerprint, unique */
	size_t len, cap;
} pl_baseline;

#define PL_BASELINE_INIT { NULL, 0, 0 }

/* The file's text for these findings (ends with a newline). */
void pl_baseline_render(const pl_findings *findings, pl_strbuf *out);

/* Render and write atomically. Returns 0, or -1 with errno set. */
int pl_baseline_write(const pl_findings *findings, const char *path);

/*
 * Read a baseline file. Returns 0, or -1 with a located error in diags
 * (`path:line:col: message` for bad JSON or a bad value, `path: message`
 * when the file cannot be read); the baseline is then left empty.
 */
int pl_baseline_load(pl_baseline *b, const char *path, pl_diags *diags);

/* pl_baseline_load from memory; `path` only names the file in messages. */
int pl_baseline_parse(pl_baseline *b, const char *path, const char *data, size_t len,
		      pl_diags *diags);

/* Drop every finding whose fingerprint is in the baseline, marking those
 * entries seen. Returns how many findings were dropped. */
size_t pl_baseline_apply(pl_baseline *b, pl_findings *findings);

/*
 * Entries no finding matched, counting only those in_scope accepts (NULL:
 * all). The caller says what this run could have seen: an entry of a rule
 * that did not run, or of a file outside the paths scanned, is not gone.
 */
size_t pl_baseline_gone(const pl_baseline *b, bool (*in_scope)(const pl_baseline_entry *e,
							      void *ctx),
			void *ctx);

void pl_baseline_release(pl_baseline *b);

#endif

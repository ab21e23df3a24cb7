/*
 * finding: one reported problem, and the list a scan produces.
 *
 * Findings own copies of everything they show, so they outlive the file
 * buffers and syntax trees they came from. Rules are borrowed from the
 * ruleset, which outlives every finding list.
 */
#ifndef PL_FINDING_H
#define PL_FINDING_H

#include <stdbool.h>
#include <stddef.h>

#include "rule/rule.h"

typedef struct pl_finding {
	const pl_rule *rule;     /* borrowed */
	char *path;              /* owned: relative to the scan root, '/'-separated */
	unsigned line, column;   /* 1-based; column counts bytes */
	unsigned end_line, end_column;
	char *message;           /* owned: the rule's message with captures filled in */
	char *snippet;           /* owned: the source line where the finding starts */
	char *matched;           /* owned: the matched text, whitespace-normalised */
	char fingerprint[17];    /* hex; set by pl_findings_finish */
} pl_finding;

typedef struct pl_findings {
	pl_finding *items;
	size_t len, cap;
} pl_findings;

#define PL_FINDINGS_INIT { NULL, 0, 0 }

/* Append, taking ownership of the finding's strings. */
void pl_findings_push(pl_findings *list, const pl_finding *f);
/* Move every finding of `from` to the end of `to`; `from` is left empty. */
void pl_findings_take(pl_findings *to, pl_findings *from);
/*
 * Sort (path, line, column, rule id, end, message), drop exact duplicates and
 * compute fingerprints: rule id + path + matched text + occurrence number,
 * so they survive line moves and edits elsewhere in the file.
 */
void pl_findings_finish(pl_findings *list);
/*
 * Keep only the findings for which keep(f, ctx) is true, in order; the
 * others are freed. Returns how many were dropped. Fingerprints are not
 * recomputed: they were fixed by pl_findings_finish over the whole list, so
 * a suppressed or baselined finding does not shift its neighbours' numbers.
 */
size_t pl_findings_filter(pl_findings *list, bool (*keep)(const pl_finding *f, void *ctx),
			  void *ctx);
/* Free one finding's strings (for code that removes findings from a list). */
void pl_finding_release(pl_finding *f);
void pl_findings_release(pl_findings *list);

#endif

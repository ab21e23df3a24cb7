/*
 * report: output formats behind one interface.
 *
 * A reporter renders a finished scan into a string buffer; the CLI decides
 * where it goes (stdout, or a file written atomically). Adding a format is
 * one file defining a pl_reporter plus one line in reporters.c.
 */
#ifndef PL_REPORT_H
#define PL_REPORT_H

#include <stdbool.h>

#include "rule/rule.h"
#include "scan/scan.h"
#include "util/strbuf.h"

/* What a baseline (src/baseline/) took out of the report, when one was used. */
typedef struct pl_report_baseline {
	size_t matched;                  /* findings in the baseline: not reported */
	size_t gone;                     /* baseline entries no finding matched */
} pl_report_baseline;

/* A control attested in .prodlint.yaml (src/project/): provided outside the
 * repository, so the scorecard shows its items as `attested`. */
typedef struct pl_report_attestation {
	char *const *checklist;          /* item ids */
	size_t nchecklist;
	const char *reason;
	const char *source;              /* the config file */
	unsigned line;                   /* where the attestation is written */
	size_t silenced;                 /* findings it dropped */
} pl_report_attestation;

typedef struct pl_report_context {
	const pl_ruleset *rules;         /* the rules that ran */
	const pl_scan_result *result;
	bool color;                      /* ANSI colours */
	bool show_source;                /* text: source line with the span underlined */
	/* Project configuration and baseline (SPEC 6); NULL / 0 when unused.
	 * All borrowed, valid while rendering. */
	const pl_report_baseline *baseline;
	const pl_report_attestation *attestations;
	size_t nattestations;
} pl_report_context;

typedef struct pl_reporter {
	const char *name;                /* the --format value */
	void (*render)(const pl_report_context *ctx, pl_strbuf *out);
} pl_reporter;

const pl_reporter *pl_reporter_by_name(const char *name);
/* Names of all formats, for --help and error messages: "text, json". */
void pl_reporter_names(pl_strbuf *out);

#endif

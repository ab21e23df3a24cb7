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

typedef struct pl_report_context {
	const pl_ruleset *rules;         /* the rules that ran */
	const pl_scan_result *result;
	bool color;                      /* ANSI colours */
	bool show_source;                /* text: source line with the span underlined */
} pl_report_context;

typedef struct pl_reporter {
	const char *name;                /* the --format value */
	void (*render)(const pl_report_context *ctx, pl_strbuf *out);
} pl_reporter;

const pl_reporter *pl_reporter_by_name(const char *name);
/* Names of all formats, for --help and error messages: "text, json". */
void pl_reporter_names(pl_strbuf *out);

#endif

/*
 * github: GitHub Actions workflow commands, one line per finding, so a CI
 * run annotates the pull request:
 *
 *   ::warning file=app/llm.py,line=7,col=12,endLine=7,endColumn=30,title=budget/x::message
 *
 * Nothing else goes to stdout: the runner reads every `::` line as a
 * command and shows the rest in the log, and a summary belongs in the
 * markdown scorecard. Scan errors are printed on stderr by the CLI as for
 * every format.
 *
 * Escaping is the runner's (actions/toolkit, command.ts): the message
 * escapes `%`, CR and LF; property values also `:` and `,`, which would
 * otherwise end the value. Columns are given in UTF-16 code units, as in
 * the SARIF output, and only for a finding on one line: GitHub's check
 * annotations accept columns only when start and end are on the same line.
 */
#include <stdlib.h>

#include "report/report_private.h"
#include "report/report_util.h"
#include "util/utf8.h"

static void escape(pl_strbuf *out, const char *s, bool property)
{
	char *clean = pl_utf8_sanitize(s);
	for (const char *p = clean; *p; p++) {
		switch (*p) {
		case '%': pl_strbuf_adds(out, "%25"); break;
		case '\r': pl_strbuf_adds(out, "%0D"); break;
		case '\n': pl_strbuf_adds(out, "%0A"); break;
		case ':':
			pl_strbuf_adds(out, property ? "%3A" : ":");
			break;
		case ',':
			pl_strbuf_adds(out, property ? "%2C" : ",");
			break;
		default: pl_strbuf_addch(out, *p); break;
		}
	}
	free(clean);
}

static const char *command(pl_severity s)
{
	switch (s) {
	case PL_SEVERITY_ERROR: return "error";
	case PL_SEVERITY_WARNING: return "warning";
	default: return "notice";
	}
}

static void render(const pl_report_context *ctx, pl_strbuf *out)
{
	const pl_findings *fs = &ctx->result->findings;
	for (size_t i = 0; i < fs->len; i++) {
		const pl_finding *f = &fs->items[i];
		pl_strbuf_addf(out, "::%s file=", command(f->rule->severity));
		escape(out, f->path, true);
		pl_strbuf_addf(out, ",line=%u", f->line);
		if (f->end_line == f->line)
			pl_strbuf_addf(out, ",col=%u,endLine=%u,endColumn=%u",
				       pl_utf16_column(f->snippet, f->column), f->end_line,
				       pl_utf16_column(f->snippet, f->end_column));
		else
			pl_strbuf_addf(out, ",endLine=%u", f->end_line);
		pl_strbuf_adds(out, ",title=");
		escape(out, f->rule->id, true);
		pl_strbuf_adds(out, "::");
		escape(out, f->message, false);
		pl_strbuf_addch(out, '\n');
	}
}

const pl_reporter pl_reporter_github = { "github", render };

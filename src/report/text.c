/* text: `path:line:col: severity: message [rule-id]`, as compilers print. */
#include <string.h>

#include "report/report_private.h"

static const char *severity_color(pl_severity s)
{
	switch (s) {
	case PL_SEVERITY_ERROR: return "\033[1;31m";
	case PL_SEVERITY_WARNING: return "\033[1;33m";
	default: return "\033[1;36m";
	}
}

static void underline(pl_strbuf *out, const pl_finding *f, bool color)
{
	pl_strbuf_addf(out, "  %s\n  ", f->snippet);
	size_t snippet_len = strlen(f->snippet);
	size_t start = f->column - 1;
	size_t end = f->end_line == f->line ? f->end_column - 1 : snippet_len;
	if (end > snippet_len)
		end = snippet_len;
	for (size_t i = 0; i < start && i < snippet_len; i++)
		pl_strbuf_addch(out, f->snippet[i] == '\t' ? '\t' : ' ');
	if (color)
		pl_strbuf_adds(out, "\033[1;32m");
	pl_strbuf_addch(out, '^');
	for (size_t i = start + 1; i < end; i++)
		pl_strbuf_addch(out, '~');
	if (color)
		pl_strbuf_adds(out, "\033[0m");
	pl_strbuf_addch(out, '\n');
}

static void render(const pl_report_context *ctx, pl_strbuf *out)
{
	const pl_findings *fs = &ctx->result->findings;
	size_t errors = 0, warnings = 0, notes = 0, files = ctx->result->stats.files;
	for (size_t i = 0; i < fs->len; i++) {
		const pl_finding *f = &fs->items[i];
		errors += f->rule->severity == PL_SEVERITY_ERROR;
		warnings += f->rule->severity == PL_SEVERITY_WARNING;
		notes += f->rule->severity == PL_SEVERITY_NOTE;
		if (ctx->color)
			pl_strbuf_addf(out, "\033[1m%s:%u:%u:\033[0m %s%s:\033[0m %s [%s]\n", f->path,
				       f->line, f->column, severity_color(f->rule->severity),
				       pl_severity_name(f->rule->severity), f->message, f->rule->id);
		else
			pl_strbuf_addf(out, "%s:%u:%u: %s: %s [%s]\n", f->path, f->line, f->column,
				       pl_severity_name(f->rule->severity), f->message, f->rule->id);
		if (ctx->show_source)
			underline(out, f, ctx->color);
	}
	pl_strbuf_addf(out, "%zu finding%s (%zu error%s, %zu warning%s", fs->len,
		       fs->len == 1 ? "" : "s", errors, errors == 1 ? "" : "s", warnings,
		       warnings == 1 ? "" : "s");
	if (notes)
		pl_strbuf_addf(out, ", %zu note%s", notes, notes == 1 ? "" : "s");
	pl_strbuf_addf(out, ") in %zu file%s, %zu rule%s\n", files, files == 1 ? "" : "s",
		       ctx->rules->len, ctx->rules->len == 1 ? "" : "s");
}

const pl_reporter pl_reporter_text = { "text", render };

/*
 * json: the versioned machine format (SPEC 2). Keys listed in the spec keep
 * their meaning; new keys may be added, never renamed.
 */
#include <jansson.h>
#include <stdlib.h>

#include "report/report_private.h"
#include "report/report_util.h"
#include "util/xalloc.h"

static json_t *finding_json(const pl_finding *f)
{
	json_t *checklist = json_array();
	for (size_t i = 0; i < f->rule->checklist_len; i++)
		json_array_append_new(checklist, json_string(f->rule->checklist[i]));
	json_t *o = json_object();
	json_object_set_new(o, "rule", json_string(f->rule->id));
	json_object_set_new(o, "category", json_string(f->rule->category));
	json_object_set_new(o, "severity", json_string(pl_severity_name(f->rule->severity)));
	json_object_set_new(o, "checklist", checklist);
	json_object_set_new(o, "message", pl_json_text(f->message));
	json_object_set_new(o, "path", pl_json_text(f->path));
	json_object_set_new(o, "line", json_integer(f->line));
	json_object_set_new(o, "column", json_integer(f->column));
	json_object_set_new(o, "end_line", json_integer(f->end_line));
	json_object_set_new(o, "end_column", json_integer(f->end_column));
	json_object_set_new(o, "snippet", pl_json_text(f->snippet));
	json_object_set_new(o, "fingerprint", json_string(f->fingerprint));
	return o;
}

static void render(const pl_report_context *ctx, pl_strbuf *out)
{
	const pl_scan_result *r = ctx->result;
	json_t *root = json_object();
	json_object_set_new(root, "version", json_integer(1));
	json_t *findings = json_array();
	for (size_t i = 0; i < r->findings.len; i++)
		json_array_append_new(findings, finding_json(&r->findings.items[i]));
	json_object_set_new(root, "findings", findings);
	json_t *errors = json_array();
	for (size_t i = 0; i < r->errors.len; i++) {
		const pl_diag *d = &r->errors.items[i];
		json_t *e = json_object();
		json_object_set_new(e, "path", d->path ? pl_json_text(d->path) : json_null());
		json_object_set_new(e, "message", pl_json_text(d->message));
		json_array_append_new(errors, e);
	}
	json_object_set_new(root, "errors", errors);
	json_t *stats = json_object();
	json_object_set_new(stats, "files", json_integer((json_int_t)r->stats.files));
	json_object_set_new(stats, "rules", json_integer((json_int_t)ctx->rules->len));
	json_object_set_new(stats, "ms", json_integer((json_int_t)(r->stats.ms + 0.5)));
	/* Findings hidden by inline suppressions: counted, never shown. */
	json_object_set_new(stats, "suppressed", json_integer((json_int_t)r->stats.suppressed));
	json_object_set_new(stats, "skipped", json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I}",
		"ignored", (json_int_t)r->stats.ignored,
		"binary", (json_int_t)r->stats.binary,
		"too_large", (json_int_t)r->stats.too_large,
		"minified", (json_int_t)r->stats.minified,
		"unsupported", (json_int_t)r->stats.unsupported,
		"special", (json_int_t)r->stats.special,
		"no_rules", (json_int_t)r->stats.no_rules));
	if (ctx->baseline) {
		/* Only with a baseline: its absence and "nothing matched" differ. */
		json_object_set_new(stats, "baselined", json_integer((json_int_t)ctx->baseline->matched));
		json_object_set_new(stats, "baseline_fixed", json_integer((json_int_t)ctx->baseline->gone));
	}
	json_object_set_new(root, "stats", stats);
	char *s = json_dumps(root, JSON_INDENT(2));
	if (!s)
		pl_oom();
	pl_strbuf_adds(out, s);
	pl_strbuf_addch(out, '\n');
	free(s);
	json_decref(root);
}

const pl_reporter pl_reporter_json = { "json", render };

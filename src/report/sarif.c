/*
 * sarif: SARIF 2.1.0 (SPEC 2), for GitHub code scanning and SARIF viewers.
 *
 * The log validates against the OASIS schema (tests/data/sarif-schema-2.1.0.json;
 * the sarif_schema test checks it) and carries what GitHub reads: rules with
 * help and tags, `precision` and `problem.severity`, results with
 * partialFingerprints and relative URIs under %SRCROOT%, and the scan's
 * errors as tool execution notifications.
 *
 * Choices worth knowing:
 * - Columns. Findings count columns in bytes (finding.h); SARIF has no byte
 *   unit (columnKind is utf16CodeUnits, the default, or unicodeCodePoints).
 *   Declaring either over byte values would misplace every column after a
 *   non-ASCII character, so we convert to UTF-16 code units, the default
 *   that GitHub and VS Code read, and say so explicitly in `columnKind`. The
 *   conversion needs the text of the line, and a finding carries only the
 *   line it starts on: a region that ends on a later line gets no endColumn,
 *   which SARIF defines as "to the end of endLine" (a slightly wider region,
 *   never a column in the wrong unit).
 * - security-severity. GitHub shows a rule with it (and the `security` tag)
 *   as a security alert ranked critical/high/medium/low. Only tool-boundary
 *   and data-access rules are security problems in that sense (model output
 *   reaching a shell or SQL, secrets, privileges); the other categories are
 *   reliability and cost, which GitHub ranks by `problem.severity`. We map
 *   error to 8.0 (high), warning to 5.0 (medium), note to 2.0 (low), and
 *   never claim critical: a pattern match cannot show exploitability.
 * - precision is "high" for every rule: each is proven against fixtures with
 *   `ok:` cases and a false positive counts as a bug (CONTRIBUTING). A
 *   per-rule value belongs in the rule format when rules start to differ.
 * - %SRCROOT% has no `uri`: the report does not know the absolute root, and
 *   embedding one would make the log differ from machine to machine.
 *   Consumers (GitHub resolves against the repository root) supply it.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_private.h"
#include "report/report_util.h"
#include "util/xalloc.h"

#ifndef PRODLINT_INFORMATION_URI
#define PRODLINT_INFORMATION_URI "https://github.com/prodlint/prodlint"
#endif

#define SARIF_SCHEMA \
	"https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

static const char *level(pl_severity s)
{
	switch (s) {
	case PL_SEVERITY_ERROR: return "error";
	case PL_SEVERITY_WARNING: return "warning";
	default: return "note";
	}
}

/* GitHub's `problem.severity` has "recommendation" where SARIF has "note". */
static const char *problem_severity(pl_severity s)
{
	return s == PL_SEVERITY_NOTE ? "recommendation" : level(s);
}

static const char *security_severity(const pl_rule *rule)
{
	if (strcmp(rule->category, "tool-boundary") != 0 && strcmp(rule->category, "data-access") != 0)
		return NULL;
	switch (rule->severity) {
	case PL_SEVERITY_ERROR: return "8.0";
	case PL_SEVERITY_WARNING: return "5.0";
	default: return "2.0";
	}
}

/* "budget/completion-without-token-cap" -> "CompletionWithoutTokenCap". */
static char *rule_name(const char *id)
{
	const char *slash = strrchr(id, '/');
	const char *s = slash ? slash + 1 : id;
	pl_strbuf sb = PL_STRBUF_INIT;
	bool upper = true;
	for (; *s; s++) {
		if (*s == '-' || *s == '_' || *s == '.' || *s == ' ') {
			upper = true;
			continue;
		}
		char c = *s;
		if (upper && c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		pl_strbuf_addch(&sb, c);
		upper = false;
	}
	if (sb.len == 0)
		pl_strbuf_adds(&sb, id);
	return pl_strbuf_detach(&sb);
}

/* Rule texts come from YAML block scalars: drop the final newlines. */
static void add_trimmed(pl_strbuf *sb, const char *s)
{
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	pl_strbuf_add(sb, s, n);
}

static json_t *message(const char *text)
{
	json_t *m = json_object();
	json_object_set_new(m, "text", pl_json_text(text));
	return m;
}

static void add_tag(json_t *tags, const char *tag)
{
	size_t i;
	json_t *v;
	json_array_foreach(tags, i, v)
		if (strcmp(json_string_value(v), tag) == 0)
			return; /* the schema wants tags unique */
	json_array_append_new(tags, pl_json_text(tag));
}

static json_t *rule_json(const pl_rule *rule)
{
	json_t *r = json_object();
	json_object_set_new(r, "id", pl_json_text(rule->id));
	char *name = rule_name(rule->id);
	json_object_set_new(r, "name", pl_json_text(name));
	free(name);
	json_object_set_new(r, "shortDescription", message(rule->title));
	pl_strbuf sb = PL_STRBUF_INIT;
	add_trimmed(&sb, rule->rationale);
	json_object_set_new(r, "fullDescription", message(sb.buf));

	json_t *help = json_object();
	pl_strbuf_reset(&sb);
	add_trimmed(&sb, rule->rationale);
	pl_strbuf_adds(&sb, "\n\nRemediation:\n");
	add_trimmed(&sb, rule->remediation);
	json_object_set_new(help, "text", pl_json_text(sb.buf));
	pl_strbuf_reset(&sb);
	add_trimmed(&sb, rule->rationale);
	pl_strbuf_adds(&sb, "\n\n**Remediation**\n\n");
	add_trimmed(&sb, rule->remediation);
	json_object_set_new(help, "markdown", pl_json_text(sb.buf));
	json_object_set_new(r, "help", help);
	pl_strbuf_release(&sb);

	json_t *config = json_object();
	json_object_set_new(config, "level", json_string(level(rule->severity)));
	json_object_set_new(r, "defaultConfiguration", config);

	json_t *props = json_object();
	json_t *tags = json_array();
	const char *security = security_severity(rule);
	if (security)
		add_tag(tags, "security");
	add_tag(tags, rule->category);
	for (size_t i = 0; i < rule->checklist_len; i++)
		add_tag(tags, rule->checklist[i]);
	json_object_set_new(props, "tags", tags);
	json_object_set_new(props, "precision", json_string("high"));
	json_object_set_new(props, "problem.severity",
			    json_string(problem_severity(rule->severity)));
	if (security)
		json_object_set_new(props, "security-severity", json_string(security));
	json_object_set_new(r, "properties", props);
	return r;
}

/*
 * A relative URI reference for a '/'-separated path: every byte other than
 * RFC 3986's unreserved characters and '/' is percent-encoded (spaces, '%',
 * '#', '?', ':' which would read as a scheme, non-ASCII bytes one by one).
 */
static char *path_uri(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	pl_strbuf sb = PL_STRBUF_INIT;
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		unsigned char c = *p;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
			pl_strbuf_addch(&sb, (char)c);
		} else {
			pl_strbuf_addch(&sb, '%');
			pl_strbuf_addch(&sb, hex[c >> 4]);
			pl_strbuf_addch(&sb, hex[c & 15]);
		}
	}
	return pl_strbuf_detach(&sb);
}

static json_t *artifact_location(const char *path)
{
	json_t *a = json_object();
	char *uri = path_uri(path);
	json_object_set_new(a, "uri", json_string(uri));
	free(uri);
	json_object_set_new(a, "uriBaseId", json_string("%SRCROOT%"));
	return a;
}

static json_t *region_json(const pl_finding *f)
{
	json_t *r = json_object();
	json_object_set_new(r, "startLine", json_integer(f->line));
	json_object_set_new(r, "startColumn", json_integer(pl_utf16_column(f->snippet, f->column)));
	json_object_set_new(r, "endLine", json_integer(f->end_line));
	if (f->end_line == f->line)
		json_object_set_new(r, "endColumn",
				    json_integer(pl_utf16_column(f->snippet, f->end_column)));
	return r;
}

static json_int_t rule_index(const pl_ruleset *rules, const pl_rule *rule)
{
	for (size_t i = 0; i < rules->len; i++)
		if (rules->rules[i] == rule)
			return (json_int_t)i;
	return -1;
}

static json_t *result_json(const pl_ruleset *rules, const pl_finding *f)
{
	json_t *r = json_object();
	json_object_set_new(r, "ruleId", pl_json_text(f->rule->id));
	json_int_t index = rule_index(rules, f->rule);
	if (index >= 0)
		json_object_set_new(r, "ruleIndex", json_integer(index));
	json_object_set_new(r, "level", json_string(level(f->rule->severity)));
	json_object_set_new(r, "message", message(f->message));
	json_t *physical = json_object();
	json_object_set_new(physical, "artifactLocation", artifact_location(f->path));
	json_object_set_new(physical, "region", region_json(f));
	json_t *location = json_object();
	json_object_set_new(location, "physicalLocation", physical);
	json_t *locations = json_array();
	json_array_append_new(locations, location);
	json_object_set_new(r, "locations", locations);
	json_t *fingerprints = json_object();
	json_object_set_new(fingerprints, "prodlintFingerprint/v1", json_string(f->fingerprint));
	json_object_set_new(r, "partialFingerprints", fingerprints);
	return r;
}

static json_t *notification_json(const pl_diag *d)
{
	json_t *n = json_object();
	json_object_set_new(n, "level", json_string("error"));
	json_object_set_new(n, "message", message(d->message));
	if (d->path) {
		json_t *physical = json_object();
		json_object_set_new(physical, "artifactLocation", artifact_location(d->path));
		if (d->line) {
			/* Diagnostic columns are bytes too, and we have no line text to convert. */
			json_t *region = json_object();
			json_object_set_new(region, "startLine", json_integer(d->line));
			json_object_set_new(physical, "region", region);
		}
		json_t *location = json_object();
		json_object_set_new(location, "physicalLocation", physical);
		json_t *locations = json_array();
		json_array_append_new(locations, location);
		json_object_set_new(n, "locations", locations);
	}
	return n;
}

static void render(const pl_report_context *ctx, pl_strbuf *out)
{
	const pl_scan_result *res = ctx->result;

	json_t *rules = json_array();
	for (size_t i = 0; i < ctx->rules->len; i++)
		json_array_append_new(rules, rule_json(ctx->rules->rules[i]));
	json_t *driver = json_object();
	json_object_set_new(driver, "name", json_string("prodlint"));
	json_object_set_new(driver, "version", json_string(PRODLINT_VERSION));
	json_object_set_new(driver, "semanticVersion", json_string(PRODLINT_VERSION));
	json_object_set_new(driver, "informationUri", json_string(PRODLINT_INFORMATION_URI));
	json_object_set_new(driver, "rules", rules);
	json_t *tool = json_object();
	json_object_set_new(tool, "driver", driver);

	json_t *notifications = json_array();
	for (size_t i = 0; i < res->errors.len; i++)
		json_array_append_new(notifications, notification_json(&res->errors.items[i]));
	json_t *invocation = json_object();
	json_object_set_new(invocation, "executionSuccessful", json_boolean(res->errors.len == 0));
	json_object_set_new(invocation, "toolExecutionNotifications", notifications);
	json_t *invocations = json_array();
	json_array_append_new(invocations, invocation);

	json_t *srcroot = json_object();
	json_object_set_new(srcroot, "description",
			    message("The scan root: the directory prodlint scanned, or the "
				    "working directory when it was given files."));
	json_t *base_ids = json_object();
	json_object_set_new(base_ids, "%SRCROOT%", srcroot);

	json_t *results = json_array();
	for (size_t i = 0; i < res->findings.len; i++)
		json_array_append_new(results, result_json(ctx->rules, &res->findings.items[i]));

	json_t *run = json_object();
	json_object_set_new(run, "tool", tool);
	json_object_set_new(run, "invocations", invocations);
	json_object_set_new(run, "originalUriBaseIds", base_ids);
	json_object_set_new(run, "columnKind", json_string("utf16CodeUnits"));
	json_object_set_new(run, "results", results);
	json_t *runs = json_array();
	json_array_append_new(runs, run);

	json_t *root = json_object();
	json_object_set_new(root, "$schema", json_string(SARIF_SCHEMA));
	json_object_set_new(root, "version", json_string("2.1.0"));
	json_object_set_new(root, "runs", runs);
	char *s = json_dumps(root, JSON_INDENT(2));
	if (!s)
		pl_oom();
	pl_strbuf_adds(out, s);
	pl_strbuf_addch(out, '\n');
	free(s);
	json_decref(root);
}

const pl_reporter pl_reporter_sarif = { "sarif", render };

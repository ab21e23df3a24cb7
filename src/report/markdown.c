/*
 * markdown: the audit scorecard (SPEC 2), GitHub-flavoured, fit for
 * $GITHUB_STEP_SUMMARY and pull-request comments.
 *
 *   # prodlint scorecard
 *   one summary line: findings by severity, files, rules, item tallies
 *   a table: one row per checklist item, its status, counts and up to three
 *     distinct worst locations (errors first, then warnings, then notes)
 *   a note on what the statuses mean
 *   findings grouped by category, at most 50 per category, worst first
 *   the files that could not be scanned, if any
 *
 * Statuses are about the rules that ran, which is all a scan knows: `fail`
 * when a finding cites the item, `pass` when rules that ran cite it and
 * found nothing, `not checked` when no rule that ran cites it. SPEC calls
 * the last "not applicable", but whether an item applies to a repository
 * is not something prodlint can tell yet, so the scorecard does not claim it.
 * `attested` when .prodlint.yaml declares the control provided outside the
 * repository (with a reason, listed under the table) and no finding cites
 * the item: it outranks pass and not checked, but a finding that still
 * cites the item (a rule the attestation does not cover) keeps it `fail`,
 * because a declaration must not hide evidence to the contrary.
 *
 * With a baseline, the findings it matched are left out of every count and
 * list here; one line under the summary says how many, and how many
 * baseline entries no longer occur.
 *
 * Everything that comes from scanned files or rules (paths, messages) is
 * escaped: it could otherwise break the table (`|`), open code spans or
 * emphasis, or inject markup into a PR comment.
 */
#include <stdlib.h>
#include <string.h>

#include "report/report_private.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#define MAX_WORST 3            /* locations per checklist row */
#define MAX_PER_CATEGORY 50    /* findings listed per category */

typedef enum item_status {
	ITEM_NOT_CHECKED,      /* no rule that ran cites the item */
	ITEM_PASS,             /* rules that ran cite it; none found anything */
	ITEM_FAIL,             /* a finding cites it */
	ITEM_ATTESTED,         /* declared provided outside the repository; no finding cites it */
} item_status;

static const char *status_name(item_status s)
{
	switch (s) {
	case ITEM_FAIL: return "**fail**";
	case ITEM_PASS: return "pass";
	case ITEM_ATTESTED: return "attested";
	default: return "not checked";
	}
}

/* ---- escaping ----------------------------------------------------------- */

/* Plain text: every character markdown (or GFM tables, strikethrough,
 * math) could read as syntax is backslash-escaped; line breaks and other
 * control characters become spaces so a value stays on its line. */
static void md_text(pl_strbuf *out, const char *s)
{
	char *clean = pl_utf8_sanitize(s);
	for (const unsigned char *p = (const unsigned char *)clean; *p; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			pl_strbuf_addch(out, ' ');
			continue;
		}
		if (strchr("\\`*_[]<>~|&#!$", *p))
			pl_strbuf_addch(out, '\\');
		pl_strbuf_addch(out, (char)*p);
	}
	free(clean);
}

/* The inside of a code span that has no backtick: backslashes are literal
 * there, but GFM splits table rows on `|` before it reads code spans. */
static void md_code_body(pl_strbuf *out, const char *s, size_t len, bool table)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f)
			c = ' ';
		if (c == '|' && table)
			pl_strbuf_addch(out, '\\');
		pl_strbuf_addch(out, (char)c);
	}
}

/* `s` as a code span, or as escaped text if it holds a backtick. */
static void md_code(pl_strbuf *out, const char *s, bool table)
{
	char *clean = pl_utf8_sanitize(s);
	if (strchr(clean, '`')) {
		md_text(out, clean);
	} else {
		pl_strbuf_addch(out, '`');
		md_code_body(out, clean, strlen(clean), table);
		pl_strbuf_addch(out, '`');
	}
	free(clean);
}

/*
 * A finding message. Rule messages quote code in single backticks
 * ("`{{callee}}` sets no cap"), so when the backticks pair up (an even
 * number, none doubled) those spans are kept as code and the rest is
 * escaped. A capture that brings its own backticks (a JS template literal)
 * can break the pairing; then every backtick is escaped and shows as is.
 */
static void md_message(pl_strbuf *out, const char *msg)
{
	char *clean = pl_utf8_sanitize(msg);
	size_t ticks = 0;
	bool doubled = false;
	for (const char *p = clean; *p; p++) {
		if (*p == '`') {
			ticks++;
			doubled |= p[1] == '`';
		}
	}
	if (ticks == 0 || ticks % 2 || doubled) {
		md_text(out, clean);
		free(clean);
		return;
	}
	pl_strbuf text = PL_STRBUF_INIT;
	const char *p = clean;
	while (*p) {
		const char *open = strchr(p, '`');
		if (!open) {
			md_text(out, p);
			break;
		}
		pl_strbuf_reset(&text);
		pl_strbuf_add(&text, p, (size_t)(open - p));
		md_text(out, text.buf);
		const char *close = strchr(open + 1, '`');
		pl_strbuf_addch(out, '`');
		md_code_body(out, open + 1, (size_t)(close - open - 1), false);
		pl_strbuf_addch(out, '`');
		p = close + 1;
	}
	pl_strbuf_release(&text);
	free(clean);
}

/* ---- counting ----------------------------------------------------------- */

static bool cites(const pl_rule *rule, const char *id)
{
	for (size_t i = 0; i < rule->checklist_len; i++)
		if (strcmp(rule->checklist[i], id) == 0)
			return true;
	return false;
}

static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

/* `path:line` as a code span. */
static void md_location(pl_strbuf *out, const pl_finding *f, bool table)
{
	pl_strbuf loc = PL_STRBUF_INIT;
	pl_strbuf_addf(&loc, "%s:%u", f->path, f->line);
	md_code(out, loc.buf, table);
	pl_strbuf_release(&loc);
}

static bool same_location(const pl_finding *a, const pl_finding *b)
{
	return a->line == b->line && strcmp(a->path, b->path) == 0;
}

/* Up to MAX_WORST distinct locations of findings citing `id`: errors first,
 * then warnings, then notes, each in output order (path, line). Two rules
 * flagging one call show it once. */
static void worst_locations(pl_strbuf *out, const pl_findings *fs, const char *id)
{
	const pl_finding *shown[MAX_WORST];
	size_t nshown = 0;
	for (int s = PL_SEVERITY_ERROR; s >= PL_SEVERITY_NONE && nshown < MAX_WORST; s--) {
		for (size_t i = 0; i < fs->len && nshown < MAX_WORST; i++) {
			const pl_finding *f = &fs->items[i];
			if ((int)f->rule->severity != s || !cites(f->rule, id))
				continue;
			bool seen = false;
			for (size_t k = 0; k < nshown && !seen; k++)
				seen = same_location(shown[k], f);
			if (seen)
				continue;
			if (nshown)
				pl_strbuf_adds(out, ", ");
			shown[nshown++] = f;
			md_location(out, f, true);
		}
	}
}

static bool attested(const pl_report_context *ctx, const char *id)
{
	for (size_t i = 0; i < ctx->nattestations; i++)
		for (size_t k = 0; k < ctx->attestations[i].nchecklist; k++)
			if (strcmp(ctx->attestations[i].checklist[k], id) == 0)
				return true;
	return false;
}

/* ---- sections ----------------------------------------------------------- */

/* The status of checklist item `id`, and the numbers behind it. */
static item_status item_status_of(const pl_report_context *ctx, const char *id,
				  size_t *nfindings, size_t *nrules)
{
	const pl_findings *fs = &ctx->result->findings;
	*nfindings = *nrules = 0;
	for (size_t i = 0; i < ctx->rules->len; i++)
		*nrules += cites(ctx->rules->rules[i], id);
	for (size_t i = 0; i < fs->len; i++)
		*nfindings += cites(fs->items[i].rule, id);
	if (*nfindings)
		return ITEM_FAIL;
	if (attested(ctx, id))
		return ITEM_ATTESTED;
	return *nrules ? ITEM_PASS : ITEM_NOT_CHECKED;
}

static void summary(const pl_report_context *ctx, pl_strbuf *out)
{
	const pl_findings *fs = &ctx->result->findings;
	size_t by_severity[4] = { 0 }, tally[4] = { 0 };
	for (size_t i = 0; i < fs->len; i++)
		by_severity[fs->items[i].rule->severity & 3]++;
	size_t nids, nfindings, nrules;
	const char *const *ids = pl_checklist_ids(&nids);
	for (size_t k = 0; k < nids; k++)
		tally[item_status_of(ctx, ids[k], &nfindings, &nrules)]++;
	size_t files = ctx->result->stats.files, rules = ctx->rules->len;
	pl_strbuf_addf(out,
		       "**%zu finding%s** (%zu error%s, %zu warning%s, %zu note%s) in %zu file%s "
		       "scanned with %zu rule%s; checklist items: %zu fail, %zu pass, %zu not checked",
		       fs->len, plural(fs->len), by_severity[PL_SEVERITY_ERROR],
		       plural(by_severity[PL_SEVERITY_ERROR]), by_severity[PL_SEVERITY_WARNING],
		       plural(by_severity[PL_SEVERITY_WARNING]), by_severity[PL_SEVERITY_NOTE],
		       plural(by_severity[PL_SEVERITY_NOTE]), files, plural(files), rules,
		       plural(rules), tally[ITEM_FAIL], tally[ITEM_PASS], tally[ITEM_NOT_CHECKED]);
	if (tally[ITEM_ATTESTED])
		pl_strbuf_addf(out, ", %zu attested", tally[ITEM_ATTESTED]);
	pl_strbuf_adds(out, ".\n");
	if (ctx->baseline) {
		size_t m = ctx->baseline->matched, g = ctx->baseline->gone;
		pl_strbuf_addf(out, "\n**Baseline:** %zu finding%s matched the baseline and %s not "
				    "counted here; %zu baseline entr%s no longer occur%s",
			       m, plural(m), m == 1 ? "is" : "are", g, g == 1 ? "y" : "ies",
			       g == 1 ? "s" : "");
		if (g)
			pl_strbuf_adds(out, " (rewrite the baseline with `--write-baseline` to "
					    "ratchet it down)");
		pl_strbuf_adds(out, ".\n");
	}
	size_t errors = ctx->result->errors.len;
	if (errors)
		pl_strbuf_addf(out,
			       "\n**The scan is incomplete:** %zu file%s could not be scanned (listed "
			       "at the end), so a pass covers only the files that were.\n",
			       errors, plural(errors));
}

static void checklist_table(const pl_report_context *ctx, pl_strbuf *out)
{
	size_t nids, nfindings, nrules;
	const char *const *ids = pl_checklist_ids(&nids);
	pl_strbuf_adds(out, "\n| id | item | status | findings | rules | worst locations |\n"
			    "|---|---|---|--:|--:|---|\n");
	for (size_t k = 0; k < nids; k++) {
		item_status st = item_status_of(ctx, ids[k], &nfindings, &nrules);
		pl_strbuf_addf(out, "| %s | %s | %s | %zu | %zu | ", ids[k],
			       pl_checklist_item_name(ids[k]), status_name(st), nfindings, nrules);
		worst_locations(out, &ctx->result->findings, ids[k]);
		pl_strbuf_adds(out, " |\n");
	}
	pl_strbuf_adds(out,
		       "\n_fail_: a finding cites the item. _pass_: rules that ran cite the item "
		       "(counted under rules) and found nothing in the files scanned. _not checked_: "
		       "no rule that ran cites the item, so this scan says nothing about it either "
		       "way; the checklist would call such an item not applicable, but prodlint "
		       "cannot yet tell whether an item applies to a repository.");
	if (ctx->nattestations)
		pl_strbuf_adds(out, " _attested_: the project declares the control provided "
				    "outside the repository (below) and no finding cites the item.");
	pl_strbuf_addch(out, '\n');
}

/* Each attestation with its items, reason and place in the config file. */
static void attestations(const pl_report_context *ctx, pl_strbuf *out)
{
	if (!ctx->nattestations)
		return;
	pl_strbuf_adds(out, "\n## Attested controls\n\n");
	for (size_t i = 0; i < ctx->nattestations; i++) {
		const pl_report_attestation *a = &ctx->attestations[i];
		pl_strbuf_adds(out, "- ");
		for (size_t k = 0; k < a->nchecklist; k++) {
			const char *name = pl_checklist_item_name(a->checklist[k]);
			pl_strbuf_addf(out, "%s%s", k ? ", " : "", a->checklist[k]);
			if (name)
				pl_strbuf_addf(out, " (%s)", name);
		}
		pl_strbuf_adds(out, ": ");
		md_text(out, a->reason);
		pl_strbuf_adds(out, " (");
		pl_strbuf loc = PL_STRBUF_INIT;
		pl_strbuf_addf(&loc, "%s:%u", a->source, a->line);
		md_code(out, loc.buf, false);
		pl_strbuf_release(&loc);
		if (a->silenced)
			pl_strbuf_addf(out, "; %zu finding%s not reported", a->silenced,
				       plural(a->silenced));
		pl_strbuf_adds(out, ")\n");
	}
}

static void category_findings(pl_strbuf *out, const pl_findings *fs, const char *category)
{
	size_t total = 0, shown = 0;
	for (size_t i = 0; i < fs->len; i++)
		total += strcmp(fs->items[i].rule->category, category) == 0;
	pl_strbuf_adds(out, "\n### ");
	md_text(out, category);
	pl_strbuf_addf(out, " (%zu)\n\n", total);
	for (int s = PL_SEVERITY_ERROR; s >= PL_SEVERITY_NONE && shown < MAX_PER_CATEGORY; s--) {
		for (size_t i = 0; i < fs->len && shown < MAX_PER_CATEGORY; i++) {
			const pl_finding *f = &fs->items[i];
			if ((int)f->rule->severity != s || strcmp(f->rule->category, category) != 0)
				continue;
			shown++;
			pl_strbuf_addf(out, "- %s ", pl_severity_name(f->rule->severity));
			md_location(out, f, false);
			pl_strbuf_adds(out, ": ");
			md_message(out, f->message);
			pl_strbuf_adds(out, " (");
			md_code(out, f->rule->id, false);
			pl_strbuf_adds(out, ")\n");
		}
	}
	if (total > shown)
		pl_strbuf_addf(out, "- and %zu more\n", total - shown);
}

static void findings_by_category(pl_strbuf *out, const pl_findings *fs)
{
	pl_strbuf_adds(out, "\n## Findings by category\n");
	if (fs->len == 0) {
		pl_strbuf_adds(out, "\nNo findings.\n");
		return;
	}
	/* The categories of SPEC 3 in their order, then any other by first appearance. */
	size_t nknown;
	const char *const *known = pl_rule_categories(&nknown);
	const char **order = pl_xcalloc(nknown + fs->len, sizeof(*order));
	size_t norder = 0;
	for (size_t k = 0; k < nknown; k++)
		for (size_t i = 0; i < fs->len; i++)
			if (strcmp(fs->items[i].rule->category, known[k]) == 0) {
				order[norder++] = known[k];
				break;
			}
	for (size_t i = 0; i < fs->len; i++) {
		const char *c = fs->items[i].rule->category;
		bool seen = false;
		for (size_t k = 0; k < norder && !seen; k++)
			seen = strcmp(order[k], c) == 0;
		if (!seen)
			order[norder++] = c;
	}
	for (size_t k = 0; k < norder; k++)
		category_findings(out, fs, order[k]);
	free(order);
}

static void scan_errors(pl_strbuf *out, const pl_diags *errors)
{
	if (errors->len == 0)
		return;
	pl_strbuf_adds(out, "\n## Files that could not be scanned\n\n");
	for (size_t i = 0; i < errors->len; i++) {
		const pl_diag *d = &errors->items[i];
		pl_strbuf_adds(out, "- ");
		if (d->path) {
			md_code(out, d->path, false);
			pl_strbuf_adds(out, ": ");
		}
		md_text(out, d->message);
		pl_strbuf_addch(out, '\n');
	}
}

static void render(const pl_report_context *ctx, pl_strbuf *out)
{
	pl_strbuf_adds(out, "# prodlint scorecard\n\n");
	summary(ctx, out);
	checklist_table(ctx, out);
	attestations(ctx, out);
	findings_by_category(out, &ctx->result->findings);
	scan_errors(out, &ctx->result->errors);
}

const pl_reporter pl_reporter_markdown = { "markdown", render };

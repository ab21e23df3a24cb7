#include "scan/scan.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "scan/scan_private.h"
#include "config/kind.h"
#include "facts/owners.h"
#include "rule/profile.h"
#include "util/regex.h"
#include "util/strbuf.h"
#include "util/text.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* --- one file ------------------------------------------------------------- */

typedef struct file_ctx {
	const pl_rule *rule;
	const pl_rule_matcher *matcher;
	const char *path;
	const char *text;
	size_t len;
	pl_findings *out;
	pl_facts *facts;         /* where fact definitions' hits go; NULL drops them */
	pl_fact_settling *settling; /* told of each fact seen; may be NULL */
} file_ctx;

/* Capture text for messages: first line, whitespace collapsed, at most 60
 * bytes, never cutting a UTF-8 sequence. */
static void add_capture_text(pl_strbuf *sb, const char *s, size_t n)
{
	size_t start = sb->len;
	bool space = false;
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n' || c == '\r') {
			pl_strbuf_adds(sb, "...");
			return;
		}
		if (isspace(c)) {
			space = true;
			i++;
			continue;
		}
		size_t len = pl_utf8_sequence_length(s + i, n - i);
		if (!len)
			len = 1;
		size_t need = len + (space && sb->len > start);
		if (sb->len - start + need > 60) {
			pl_strbuf_adds(sb, "...");
			return;
		}
		if (space && sb->len > start)
			pl_strbuf_addch(sb, ' ');
		space = false;
		pl_strbuf_add(sb, s + i, len);
		i += len;
	}
}

typedef struct capture_env {
	const pl_capture *caps;
	size_t n;
	const char *text;
} capture_env;

/* {{name}} in a query rule's message: the text of capture @name. */
static void resolve_capture(pl_strbuf *out, const char *name, size_t len, void *ctxp)
{
	const capture_env *env = ctxp;
	char buf[128];
	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;
	memcpy(buf, name, len);
	buf[len] = '\0';
	const pl_capture *c = pl_capture_find(env->caps, env->n, buf);
	if (c) {
		uint32_t s = ts_node_start_byte(c->node), e = ts_node_end_byte(c->node);
		add_capture_text(out, env->text + s, e - s);
	}
}

static char *render_message(const char *tmpl, const pl_capture *caps, size_t n, const char *text)
{
	pl_strbuf sb = PL_STRBUF_INIT;
	capture_env env = { caps, n, text };
	pl_template_expand(&sb, tmpl, resolve_capture, &env);
	return pl_strbuf_detach(&sb);
}

static void on_match(void *ctxp, const pl_capture *caps, size_t n)
{
	file_ctx *ctx = ctxp;
	if (n == 0)
		return;
	const pl_capture *at = NULL;
	if (ctx->matcher->report_capture)
		at = pl_capture_find(caps, n, ctx->matcher->report_capture);
	if (!at)
		at = pl_capture_outermost(caps, n);
	TSPoint sp = ts_node_start_point(at->node), ep = ts_node_end_point(at->node);
	uint32_t sb = ts_node_start_byte(at->node), eb = ts_node_end_byte(at->node);
	if (ctx->rule->fact) {
		pl_fact_settling_saw(ctx->settling, ctx->rule->fact);
		if (ctx->facts) {
			char *detail = render_message(ctx->rule->message, caps, n, ctx->text);
			pl_facts_add(ctx->facts, ctx->rule->fact, ctx->path, sp.row + 1, sp.column + 1,
				     "%s", detail);
			free(detail);
		}
		return;
	}
	pl_finding f = {
		.rule = ctx->rule,
		.path = pl_xstrdup(ctx->path),
		.line = sp.row + 1,
		.column = sp.column + 1,
		.end_line = ep.row + 1,
		.end_column = ep.column + 1,
		.message = render_message(ctx->matcher->message ? ctx->matcher->message
							       : ctx->rule->message,
					  caps, n, ctx->text),
		.snippet = ctx->rule->hide_snippet ? pl_xstrdup("")
						   : pl_text_line_at(ctx->text, ctx->len, sb),
		.matched = pl_text_normalised(ctx->text + sb, eb - sb),
	};
	pl_findings_push(ctx->out, &f);
}

static const char *read_text(void *payload, uint32_t byte, TSPoint point, uint32_t *bytes_read)
{
	const pl_source *src = payload;
	(void)point;
	if (byte >= src->len) {
		*bytes_read = 0;
		return "";
	}
	*bytes_read = (uint32_t)(src->len - byte);
	return src->text + byte;
}

static bool parse_past_deadline(TSParseState *state)
{
	return pl_match_budget_expired(state->payload);
}

/* Parse, giving up (NULL, budget->over_time) at the budget's deadline. */
static TSTree *parse_bounded(TSParser *parser, const char *text, size_t len,
			     pl_match_budget *budget)
{
	pl_source src = { text, len, NULL };
	TSInput input = { &src, read_text, TSInputEncodingUTF8, NULL };
	TSParseOptions options = { budget, parse_past_deadline };
	TSTree *tree = ts_parser_parse_with_options(parser, NULL, input, options);
	if (!tree)
		ts_parser_reset(parser); /* a cancelled parse would resume next time */
	return tree;
}

/*
 * Is the tree more than `limit` levels deep (the root is 1)? A node spanning
 * n bytes heads a subtree at most SPAN_DEPTH * (n + 1) levels tall: below a
 * node, each level either takes in bytes or is one of the grammar's short
 * chains of nodes sharing a span (1.5 at most in 80 MB of Python,
 * TypeScript, JavaScript and Go; zero-width nodes are leaves). A subtree
 * that could not reach past the limit is not walked, so only the spine of
 * large nodes is: walking every node cost as much as a tenth of a scan.
 */
#define SPAN_DEPTH 8u

static bool tree_deeper_than(const TSTree *tree, unsigned limit)
{
	TSTreeCursor cursor = ts_tree_cursor_new(ts_tree_root_node(tree));
	unsigned depth = 1;
	bool deeper = false;
	for (;;) {
		TSNode node = ts_tree_cursor_current_node(&cursor);
		uint64_t span = ts_node_end_byte(node) - ts_node_start_byte(node);
		if (depth + SPAN_DEPTH * (span + 1) > limit && ts_tree_cursor_goto_first_child(&cursor)) {
			if (++depth > limit) {
				deeper = true;
				break;
			}
			continue;
		}
		bool moved = false;
		while (!(moved = ts_tree_cursor_goto_next_sibling(&cursor)) &&
		       ts_tree_cursor_goto_parent(&cursor))
			depth--;
		if (!moved)
			break;
	}
	ts_tree_cursor_delete(&cursor);
	return deeper;
}

typedef struct set_ctx {
	const pl_language_plan *plan;
	file_ctx file;           /* rule and matcher set per match */
} set_ctx;

static void on_set_match(void *ctxp, size_t member, const pl_capture *caps, size_t n)
{
	set_ctx *sc = ctxp;
	sc->file.rule = sc->plan->rules[member];
	sc->file.matcher = sc->plan->matchers[member];
	on_match(&sc->file, caps, n);
}

static void report_limits(const pl_match_budget *budget, const char *path, const char *rule_id,
			  pl_diags *errors)
{
	if (budget->over_time)
		pl_diags_add(errors, path, 0, 0,
			     "only partly checked: matching took longer than %d s%s%s%s",
			     PL_SCAN_FILE_TIMEOUT_MS / 1000, rule_id ? " (stopped in rule " : "",
			     rule_id ? rule_id : "", rule_id ? ")" : "");
	else if (budget->over_matches)
		pl_diags_add(errors, path, 0, 0,
			     "only partly checked: %s%s%smore than %u partial matches at once "
			     "(deeply nested or repetitive code)", rule_id ? "rule " : "",
			     rule_id ? rule_id : "", rule_id ? " had " : "", PL_MATCH_LIMIT);
}

/* The queries of the file's language, with the thread's rules, parser and
 * probe buffers (ctx). With ctx->settling, facts some file has shown
 * already are not looked for; they are noted in *whole as unchecked. */
static int scan_queries(const pl_scan_context *ctx, const pl_language *lang, const char *path,
			const char *text, size_t len, pl_findings *out, pl_facts *facts,
			pl_diags *errors, bool *parsed, pl_file_output *whole)
{
	const pl_ruleset *rules = ctx->rules;
	TSParser *parser = ctx->parser;
	pl_fact_settling *settling = ctx->settling;
	bool prefilter = !ctx->no_prefilter;
	pl_language_plan local;
	const pl_language_plan *plan = pl_ruleset_plan(rules, lang);
	if (!plan) { /* never prepared for this language: each matcher on its own */
		pl_language_plan_collect(rules, lang, &local);
		plan = &local;
	}
	/* Prefilter: a matcher whose required literals are absent cannot match,
	 * and a file no matcher can match is not even parsed. */
	bool *live = pl_xcalloc(plan->len ? plan->len : 1, sizeof(bool));
	bool any = false;
	pl_text_probe probe;
	pl_text_probe_init_reusing(&probe, text, len, ctx->probe_buffers);
	for (size_t i = 0; i < plan->len; i++) {
		const pl_rule_matcher *mt = plan->matchers[i];
		if (!pl_rule_matcher_applies(mt, path))
			continue;
		if (settling && pl_fact_settled(settling, plan->rules[i]->fact)) {
			pl_file_output_unchecked(whole, plan->rules[i]->fact);
			continue;
		}
		live[i] = plan->set ? !prefilter || pl_pattern_set_may_match(plan->set, i, &probe)
				    : pl_pattern_is_prepared(mt->pattern) &&
					      (!prefilter || pl_pattern_may_match(mt->pattern, &probe));
		any |= live[i];
	}
	int rc = 0;
	if (!any)
		goto done;
	if (!ts_parser_set_language(parser, lang->grammar())) {
		pl_diags_add(errors, path, 0, 0, "cannot load the %s grammar", lang->name);
		rc = -1;
		goto done;
	}
	/* One deadline for parsing and matching the file (pattern.h). */
	pl_match_budget budget = { pl_match_clock_ms() + PL_SCAN_FILE_TIMEOUT_MS, false, false, 0 };
	if (parsed)
		*parsed = true;
	TSTree *tree = parse_bounded(parser, text, len, &budget);
	if (!tree) {
		if (budget.over_time)
			pl_diags_add(errors, path, 0, 0, "not checked: the %s parser took longer than %d s",
				     lang->name, PL_SCAN_FILE_TIMEOUT_MS / 1000);
		else
			pl_diags_add(errors, path, 0, 0, "the %s parser gave up on this file", lang->name);
		rc = -1;
		goto done;
	}
	if (tree_deeper_than(tree, PL_SCAN_MAX_TREE_DEPTH)) {
		pl_diags_add(errors, path, 0, 0,
			     "not checked: code nested deeper than %d syntax levels (generated?)",
			     PL_SCAN_MAX_TREE_DEPTH);
		ts_tree_delete(tree);
		rc = -1;
		goto done;
	}
	pl_source src = { text, len, tree };
	file_ctx fctx = { NULL, NULL, path, text, len, out, facts, settling };
	if (plan->set) {
		set_ctx sc = { plan, fctx };
		pl_pattern_set_run(plan->set, &src, live, &budget, &probe, on_set_match, &sc);
		report_limits(&budget, path, NULL, errors);
	} else {
		for (size_t i = 0; i < plan->len && !budget.over_time; i++) {
			if (!live[i])
				continue;
			bool over_matches = budget.over_matches;
			fctx.rule = plan->rules[i];
			fctx.matcher = plan->matchers[i];
			double start = rules->profile ? pl_match_clock_ms() : 0;
			size_t n = pl_pattern_run_bounded(fctx.matcher->pattern, &src, &budget, on_match,
							  &fctx);
			if (rules->profile)
				pl_rule_profile_add(rules->profile, fctx.rule, pl_match_clock_ms() - start, n);
			if (budget.over_time || (budget.over_matches && !over_matches))
				report_limits(&budget, path, fctx.rule->id, errors);
		}
	}
	ts_tree_delete(tree);
	if (budget.over_time || budget.over_matches)
		rc = -1;
done:
	pl_text_probe_release(&probe);
	free(live);
	if (plan == &local)
		pl_language_plan_release(&local);
	return rc;
}

int pl_scan_buffer(const pl_ruleset *rules, TSParser *parser, const pl_language *lang,
		   const char *path, const char *text, size_t len, pl_findings *out,
		   pl_diags *errors)
{
	pl_scan_context ctx = { .rules = rules, .parser = parser };
	return scan_queries(&ctx, lang, path, text, len, out, NULL, errors, NULL, NULL);
}

static bool any_query_for(const pl_ruleset *rules, const pl_language *lang)
{
	for (size_t i = 0; i < rules->len; i++)
		if (pl_rule_has_language(rules->rules[i], lang))
			return true;
	return false;
}

void pl_file_output_init(pl_file_output *out)
{
	memset(out, 0, sizeof(*out));
	out->ci = pl_ci_new();
	out->k8s = pl_k8s_new();
}

void pl_file_output_unchecked(pl_file_output *out, const char *fact)
{
	if (pl_text_listed(out->unchecked, out->nunchecked, fact))
		return;
	out->unchecked = pl_xrealloc(out->unchecked, (out->nunchecked + 1) * sizeof(char *));
	out->unchecked[out->nunchecked++] = pl_xstrdup(fact);
}

void pl_file_output_release(pl_file_output *out)
{
	pl_findings_release(&out->findings);
	pl_facts_release(&out->facts);
	pl_diags_release(&out->errors);
	pl_diags_release(&out->skipped);
	pl_ci_delete(out->ci);
	pl_k8s_delete(out->k8s);
	for (size_t i = 0; i < out->nunchecked; i++)
		free(out->unchecked[i]);
	free(out->unchecked);
	memset(out, 0, sizeof(*out));
}

void pl_scan_file_text(const pl_scan_context *ctx, const pl_file *file, const char *text,
		       size_t len, pl_file_output *out)
{
	pl_regex_take_limit_hits();
	if (file->lang->grammar && any_query_for(ctx->rules, file->lang))
		scan_queries(ctx, file->lang, file->path, text, len, &out->findings, &out->facts,
			     &out->errors, &out->parsed, out);
	if (pl_config_possible_kinds(file->lang))
		pl_scan_config(ctx, file, text, len, out);
	unsigned hits = pl_regex_take_limit_hits();
	if (hits)
		pl_diags_add(&out->errors, file->path, 0, 0,
			     "only partly checked: %u regular expression match%s gave up at PCRE2's "
			     "backtracking limit (a rule's regex is too costly on this text)",
			     hits, hits == 1 ? "" : "es");
}

static void push_repo_finding(const pl_rule *rule, const pl_fact *at, const pl_facts *facts,
			      pl_findings *out)
{
	pl_finding f = {
		.rule = rule,
		.path = pl_xstrdup(at->path),
		.line = at->line,
		.column = at->column,
		.end_line = at->line,
		.end_column = at->column,
		.message = pl_repo_render(rule->message, facts),
		.snippet = pl_xstrdup(at->detail),
			/* Once per repository: the rule id is identity enough, so the
			 * fingerprint survives the evidence moving. Per evidence: its detail. */
		.matched = pl_xstrdup(rule->repo->each ? at->detail : "repo"),
	};
	pl_findings_push(out, &f);
}

void pl_scan_repo_phase(const pl_ruleset *rules, const pl_repo_inputs *in, pl_facts *facts,
			pl_findings *out)
{
	bool any_repo = false;
	for (size_t r = 0; r < rules->len && !any_repo; r++)
		any_repo = rules->rules[r]->repo != NULL;
	if (in->ci)
		pl_ci_analyse(in->ci, facts);
	if (in->k8s)
		pl_k8s_analyse(in->k8s, facts);
	if (any_repo && in->root)
		pl_owners_analyse(in->root, in->paths, in->npaths, facts);
	pl_facts_finish(facts);
	for (size_t r = 0; r < rules->len; r++) {
		const pl_rule *rule = rules->rules[r];
		const pl_fact *at;
		if (!rule->repo || !pl_repo_matcher_fires(rule->repo, facts, &at))
			continue;
		if (!rule->repo->each) {
			push_repo_finding(rule, at, facts, out);
			continue;
		}
		/* One finding per piece of evidence: its message sees that evidence as
		 * the only fact of its name (a shallow view; nothing is freed). */
		pl_facts view = { pl_xcalloc(facts->len, sizeof(pl_fact)), 0, facts->len };
		for (size_t i = 0; i < facts->len; i++) {
			if (strcmp(facts->items[i].name, at->name) != 0)
				continue;
			view.len = 0;
			view.items[view.len++] = facts->items[i];
			for (size_t k = 0; k < facts->len; k++)
				if (strcmp(facts->items[k].name, at->name) != 0)
					view.items[view.len++] = facts->items[k];
			push_repo_finding(rule, &facts->items[i], &view, out);
		}
		free(view.items);
	}
}

void pl_scan_collect_suppressions(TSParser *parser, const pl_file *file, const char *text,
				  size_t len, pl_suppressions *out)
{
	pl_suppress_scan_comments(parser, file->lang, text, len, out);
	pl_scan_config_suppressions(parser, file, text, len, out);
}

size_t pl_scan_suppress(const pl_suppress_config *cfg, TSParser *parser, const pl_file *file,
			const char *text, size_t len, bool complete, pl_findings *findings)
{
	pl_suppressions sups = PL_SUPPRESSIONS_INIT;
	pl_scan_collect_suppressions(parser, file, text, len, &sups);
	size_t n = 0;
	if (sups.len) {
		n = pl_suppress_apply(cfg, &sups, findings);
		pl_suppress_report(cfg, &sups, file->path, complete, findings);
	}
	pl_suppressions_release(&sups);
	return n;
}

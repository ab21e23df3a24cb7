/* Config files: detect the kind, read the tree, run every config matcher. */
#include <stdlib.h>
#include <string.h>

#include "config/kind.h"
#include "config/reader.h"
#include "scan/scan_private.h"
#include "util/strbuf.h"
#include "util/text.h"
#include "util/xalloc.h"

typedef struct hit_ctx {
	const pl_rule *rule;
	const char *message;     /* the check's own, or the rule's */
	const pl_file *file;
	const char *text;
	size_t len;
	pl_file_output *out;
} hit_ctx;

/* Byte offset of the start of a 1-based line. */
static size_t line_offset(const char *text, size_t len, unsigned line)
{
	size_t off = 0;
	for (unsigned l = 1; l < line && off < len; off++)
		if (text[off] == '\n')
			l++;
	return off;
}

static bool take_first(void *ctx, const pl_node *node, const pl_pair *via)
{
	(void)via;
	*(const pl_node **)ctx = node;
	return false;
}

typedef struct config_env {
	const pl_node *doc;
	const pl_node *selected;
	const pl_culprit *culprit;
} config_env;

/* {{path}} is the first node the path reaches from the selected node ($doc
 * and $pod work too); {{.}} is the culprit itself, {{.key}} its key. Only
 * scalars print. */
static void resolve_path(pl_strbuf *out, const char *name, size_t len, void *ctxp)
{
	const config_env *env = ctxp;
	char *expr = pl_xstrndup(name, len);
	const pl_node *n = NULL;
	if (strcmp(expr, ".") == 0) {
		n = env->culprit->node;
	} else if (strcmp(expr, ".key") == 0) {
		const pl_pair *via = env->culprit->via;
		if (via)
			pl_strbuf_add(out, via->key, via->key_len < 80 ? via->key_len : 80);
	} else {
		char err[128];
		size_t off;
		pl_path *path = pl_path_compile(expr, err, sizeof(err), &off);
		if (path) {
			pl_path_env penv = { env->doc, 10000 };
			pl_path_each(path, env->selected, &penv, take_first, &n);
			pl_path_delete(path);
		}
	}
	if (n && n->kind == PL_NODE_SCALAR)
		pl_strbuf_add(out, n->text, n->text_len < 80 ? n->text_len : 80);
	free(expr);
}

static char *render(const char *tmpl, const pl_node *doc, const pl_node *selected,
		    const pl_culprit *culprit)
{
	pl_strbuf sb = PL_STRBUF_INIT;
	config_env env = { doc, selected, culprit };
	pl_template_expand(&sb, tmpl, resolve_path, &env);
	return pl_strbuf_detach(&sb);
}

static void on_hit(void *ctxp, const pl_node *doc, const pl_node *selected,
		   const pl_culprit *culprit)
{
	hit_ctx *ctx = ctxp;
	const pl_node *n = culprit->node ? culprit->node : selected;
	unsigned line = n->line, col = n->col;
	if (culprit->via) { /* point at the key: `privileged: true` reads best from its start */
		line = culprit->via->key_line;
		col = culprit->via->key_col;
	}
	if (line == 0)
		line = col = 1;
	if (ctx->rule->fact) {
		char *detail = render(ctx->message, doc, selected, culprit);
		pl_facts_add(&ctx->out->facts, ctx->rule->fact, ctx->file->path, line, col, "%s", detail);
		free(detail);
		return;
	}
	size_t off = line_offset(ctx->text, ctx->len, line);
	char *snippet = pl_text_line_at(ctx->text, ctx->len, off);
	pl_finding f = {
		.rule = ctx->rule,
		.path = pl_xstrdup(ctx->file->path),
		.line = line,
		.column = col,
		.end_line = n->end_line ? n->end_line : line,
		.end_column = n->end_line ? n->end_col : col,
		.message = render(ctx->message, doc, selected, culprit),
		.snippet = snippet,
		.matched = pl_text_normalised(snippet, strlen(snippet)),
	};
	if (ctx->rule->hide_snippet) { /* keep the text for the fingerprint only */
		f.snippet = pl_xstrdup("");
		free(snippet);
	}
	if (f.end_line < f.line || (f.end_line == f.line && f.end_column < f.column)) {
		f.end_line = f.line;
		f.end_column = f.column;
	}
	pl_findings_push(&ctx->out->findings, &f);
}

static bool any_config_rule_for(const pl_ruleset *rules, unsigned kinds)
{
	for (size_t i = 0; i < rules->len; i++)
		if (rules->rules[i]->config_kinds & kinds)
			return true;
	return false;
}

/* CI files and Kubernetes manifests feed the repo rules' facts even when no
 * config check reads them. */
static bool wants_ci(const pl_ruleset *rules, unsigned kinds)
{
	if (!(kinds & ((1u << PL_KIND_GITHUB_ACTIONS) | (1u << PL_KIND_GITLAB_CI) |
		       (1u << PL_KIND_KUBERNETES))))
		return false;
	for (size_t i = 0; i < rules->len; i++)
		if (rules->rules[i]->repo)
			return true;
	return false;
}

void pl_scan_config(const pl_scan_context *sctx, const pl_file *file, const char *text, size_t len,
		    pl_file_output *out)
{
	const pl_ruleset *rules = sctx->rules;
	const pl_language *lang = file->lang;
	pl_diags *errors = &out->errors, *skipped = &out->skipped;
	unsigned possible = pl_config_possible_kinds(lang);
	if (!any_config_rule_for(rules, possible) && !wants_ci(rules, possible))
		return;
	pl_config cfg = { .kind = pl_config_kind_from_path(file->path, file->fs_path, lang) };
	unsigned tline;
	if (pl_config_template_check(cfg.kind) && pl_config_is_template(file->path, text, len, &tline)) {
		pl_diags_add(skipped, file->path, tline, 0,
			     "skipped: a template (Helm or Go template syntax), not plain %s",
			     lang->name);
		return;
	}
	pl_config_error err;
	pl_config_status st;
	st = pl_config_read(&cfg, lang, sctx->parser, text, len, &err);
	if (st == PL_CONFIG_INVALID) {
		pl_diags_add(skipped, file->path, err.line, err.col, "skipped: %s", err.message);
		pl_config_release(&cfg);
		return;
	}
	if (st == PL_CONFIG_LIMIT) {
		pl_diags_add(errors, file->path, err.line, err.col, "%s", err.message);
		pl_config_release(&cfg);
		return;
	}
	pl_config_refine_kind(&cfg);
	if (out->ci && sctx->ci)
		pl_ci_collect(out->ci, sctx->ci, &cfg, file->path);
	if (out->k8s)
		pl_k8s_collect(out->k8s, &cfg, file->path);
	for (size_t r = 0; r < rules->len; r++) {
		const pl_rule *rule = rules->rules[r];
		hit_ctx ctx = { rule, rule->message, file, text, len, out };
		for (size_t m = 0; m < rule->config_matchers_len; m++) {
			ctx.message = rule->config_matchers[m].message ? rule->config_matchers[m].message
								       : rule->message;
			if (!pl_path_filter_allows(&rule->config_matchers[m].paths, file->path))
				continue;
			if (!pl_config_matcher_run(&rule->config_matchers[m], &cfg, on_hit, &ctx)) {
				pl_diags_add(errors, file->path, 0, 0,
					     "rule %s: too many nodes to visit (YAML aliases?); "
					     "the file was only partly checked", rule->id);
				break;
			}
		}
	}
	pl_config_release(&cfg);
}

/*
 * Suppression annotations (suppress.h): read the file again, but only when
 * the annotation key occurs in it at all, so the config checks above stay
 * untouched and files without one cost a memory scan.
 */
void pl_scan_config_suppressions(TSParser *parser, const pl_file *file, const char *text,
				 size_t len, pl_suppressions *out)
{
	static const char key[] = PL_SUPPRESS_ANNOTATION;
	const pl_language *lang = file->lang;
	if (!lang->grammar || !pl_config_possible_kinds(lang)) /* Dockerfiles have no metadata */
		return;
	bool found = false;
	for (size_t i = 0; i + sizeof(key) - 1 <= len && !found; i++)
		found = text[i] == key[0] && memcmp(text + i, key, sizeof(key) - 1) == 0;
	unsigned tline;
	if (!found || pl_config_is_template(file->path, text, len, &tline))
		return;
	pl_config cfg = { .kind = pl_config_kind_from_path(file->path, file->fs_path, lang) };
	if (pl_config_read(&cfg, lang, parser, text, len, NULL) == PL_CONFIG_OK) {
		pl_config_refine_kind(&cfg);
		for (size_t d = 0; d < cfg.ndocuments; d++)
			pl_suppress_add_annotation(out, cfg.documents[d], text, len);
	}
	pl_config_release(&cfg);
}

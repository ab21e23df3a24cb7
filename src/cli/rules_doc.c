/* rules_doc: what a rule reads, and the Markdown rule reference (rules_doc.h). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cli/rules_doc.h"
#include "util/xalloc.h"

size_t pl_rule_reads(const pl_rule *rule, const char **names, size_t max)
{
	size_t n = 0;
	for (size_t m = 0; m < rule->matchers_len; m++) {
		const char *name = rule->matchers[m].language->name;
		bool seen = false;
		for (size_t i = 0; i < n; i++)
			seen |= strcmp(names[i], name) == 0;
		if (!seen && n < max)
			names[n++] = name;
	}
	for (int k = 1; k < PL_KIND_COUNT; k++)
		if ((rule->config_kinds & (1u << k)) && n < max)
			names[n++] = pl_file_kind_name((pl_file_kind)k);
	if (rule->repo && n < max)
		names[n++] = "repo";
	if (pl_rule_id_is_engine(rule->id) && n < max)
		names[n++] = "suppressions"; /* the meta rules read suppression comments and annotations */
	return n;
}

/* ---- small pieces ------------------------------------------------------- */

static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

/* The anchor GitHub (and pandoc, and Python-Markdown) derive from a heading:
 * lowercase, spaces to dashes, everything but letters, digits, `-` and `_`
 * dropped. Rule ids are ASCII, so this is exact for them. */
static void anchor(pl_strbuf *out, const char *heading)
{
	for (const char *p = heading; *p; p++) {
		char c = *p;
		if (c >= 'A' && c <= 'Z')
			pl_strbuf_addch(out, (char)(c - 'A' + 'a'));
		else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')
			pl_strbuf_addch(out, c);
		else if (c == ' ')
			pl_strbuf_addch(out, '-');
	}
}

static void rule_link(pl_strbuf *out, const char *id)
{
	pl_strbuf_addf(out, "[`%s`](#", id);
	anchor(out, id);
	pl_strbuf_addch(out, ')');
}

/* A table cell or list value: keep it on one line and out of the table syntax. */
static void cell(pl_strbuf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\n' || *s == '\r' || *s == '\t')
			pl_strbuf_addch(out, ' ');
		else if (*s == '|')
			pl_strbuf_adds(out, "\\|");
		else
			pl_strbuf_addch(out, *s);
	}
}

/* The rule file's path inside the built-in pack ("budget/x.yaml"), or NULL
 * for a rule loaded from elsewhere. */
static const char *builtin_relative(const pl_rule *r, const char *builtin_dir)
{
	if (!builtin_dir || !*builtin_dir || !r->source_path)
		return NULL;
	size_t n = strlen(builtin_dir);
	while (n > 1 && builtin_dir[n - 1] == '/')
		n--;
	if (strncmp(r->source_path, builtin_dir, n) != 0 || r->source_path[n] != '/')
		return NULL;
	const char *rest = r->source_path + n;
	while (*rest == '/')
		rest++;
	return rest;
}

/* ---- rule text ---------------------------------------------------------- */

typedef struct line {
	const char *s;
	size_t len;              /* without the newline and trailing blanks */
} line;

static size_t split_lines(const char *text, line **out)
{
	size_t n = 0, cap = 0;
	line *ls = NULL;
	const char *p = text;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		size_t trimmed = len;
		while (trimmed && (p[trimmed - 1] == ' ' || p[trimmed - 1] == '\t' || p[trimmed - 1] == '\r'))
			trimmed--;
		PL_GROW(ls, cap, n + 1);
		ls[n++] = (line){ p, trimmed };
		p += len + (nl ? 1 : 0);
	}
	while (n && ls[n - 1].len == 0)
		n--;
	*out = ls;
	return n;
}

static size_t indent_of(const line *l)
{
	size_t w = 0;
	for (size_t i = 0; i < l->len; i++) {
		if (l->s[i] == ' ')
			w++;
		else if (l->s[i] == '\t')
			w += 4 - w % 4;
		else
			break;
	}
	return w;
}

/* "```" or "~~~" opening (or closing) a fenced block: its marker, else NULL. */
static const char *fence_marker(const line *l)
{
	size_t ind = indent_of(l);
	if (ind >= 4 || ind >= l->len)
		return NULL;
	const char *t = l->s + ind;
	if (l->len - ind >= 3 && strncmp(t, "```", 3) == 0)
		return "```";
	if (l->len - ind >= 3 && strncmp(t, "~~~", 3) == 0)
		return "~~~";
	return NULL;
}

/* The language of an indented block introduced by "Python:", "Go:",
 * "TypeScript (AI SDK):" and the like, for highlighting; "" if unsure. */
static const char *block_language(const line *intro)
{
	static const struct { const char *word, *lang; } known[] = {
		{ "Python", "python" }, { "TypeScript", "ts" }, { "JavaScript", "js" },
		{ "Go", "go" },         { "Dockerfile", "dockerfile" }, { "YAML", "yaml" },
	};
	if (!intro || intro->len == 0 || intro->s[intro->len - 1] != ':')
		return "";
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		size_t wl = strlen(known[i].word);
		if (intro->len > wl && strncmp(intro->s, known[i].word, wl) == 0) {
			char next = intro->s[wl];
			if (next == ' ' || next == ':' || next == '/' || next == ',')
				return known[i].lang;
		}
	}
	return "";
}

/*
 * Rule text as Markdown: fenced blocks are kept; a run of lines indented by
 * four or more (how many rules write code after "Python:"), which Markdown
 * would fold into the paragraph above it, becomes a fenced block with the
 * common indentation removed. Trailing blanks and blank lines at the end go.
 */
static void text_block(pl_strbuf *out, const char *text)
{
	line *ls;
	size_t n = split_lines(text ? text : "", &ls);
	const char *fence = NULL;       /* inside a fenced block opened with this marker */
	bool prev_blank = true;         /* the caller leaves a blank line before the block */
	bool need_blank = false;        /* a converted block was just closed */
	const line *intro = NULL;       /* the last text line outside code */
	for (size_t i = 0; i < n; i++) {
		const line *l = &ls[i];
		if (fence) {
			pl_strbuf_add(out, l->s, l->len);
			pl_strbuf_addch(out, '\n');
			const char *m = fence_marker(l);
			if (m && strcmp(m, fence) == 0)
				fence = NULL;
			prev_blank = false;
			continue;
		}
		if (l->len && !fence_marker(l) && indent_of(l) >= 4) {
			size_t last = i, min = indent_of(l);
			for (size_t j = i + 1; j < n && (ls[j].len == 0 || indent_of(&ls[j]) >= 4); j++) {
				if (ls[j].len) {
					last = j;
					if (indent_of(&ls[j]) < min)
						min = indent_of(&ls[j]);
				}
			}
			if (!prev_blank)
				pl_strbuf_addch(out, '\n');
			pl_strbuf_addf(out, "```%s\n", block_language(intro));
			for (size_t j = i; j <= last; j++) {
				/* Drop `min` columns of indentation (spaces; a tab as up to 4). */
				size_t col = 0, k = 0;
				while (k < ls[j].len && col < min && (ls[j].s[k] == ' ' || ls[j].s[k] == '\t')) {
					col += ls[j].s[k] == '\t' ? 4 - col % 4 : 1;
					k++;
				}
				pl_strbuf_add(out, ls[j].s + k, ls[j].len - k);
				pl_strbuf_addch(out, '\n');
			}
			pl_strbuf_adds(out, "```\n");
			i = last;
			need_blank = true;
			prev_blank = false;
			continue;
		}
		if (l->len == 0) {
			need_blank = false;
		} else if (need_blank) {
			pl_strbuf_addch(out, '\n');
			need_blank = false;
		}
		fence = fence_marker(l);
		if (l->len && !fence)
			intro = l;
		pl_strbuf_add(out, l->s, l->len);
		pl_strbuf_addch(out, '\n');
		prev_blank = l->len == 0;
	}
	if (fence) /* an unclosed fence would swallow the rest of the document */
		pl_strbuf_addf(out, "%s\n", fence);
	free(ls);
}

/* ---- sections ----------------------------------------------------------- */

static bool cites(const pl_rule *r, const char *id)
{
	for (size_t k = 0; k < r->checklist_len; k++)
		if (strcmp(r->checklist[k], id) == 0)
			return true;
	return false;
}

static void checklist_table(pl_strbuf *out, const pl_ruleset *rs)
{
	size_t nids;
	const char *const *ids = pl_checklist_ids(&nids);
	pl_strbuf_adds(out, "## Checklist coverage\n\n"
			    "Each item of the [checklist](checklist.md) and the rules that enforce it.\n\n"
			    "| id | item | rules |\n|---|---|---|\n");
	for (size_t c = 0; c < nids; c++) {
		const char *name = pl_checklist_item_name(ids[c]);
		pl_strbuf_addf(out, "| %s | ", ids[c]);
		cell(out, name ? name : "");
		pl_strbuf_adds(out, " | ");
		size_t shown = 0;
		for (size_t i = 0; i < rs->len; i++) {
			const pl_rule *r = rs->rules[i];
			if (pl_rule_is_fact(r) || !cites(r, ids[c]))
				continue;
			if (shown++)
				pl_strbuf_adds(out, ", ");
			rule_link(out, r->id);
		}
		if (!shown)
			pl_strbuf_adds(out, "*none*");
		pl_strbuf_adds(out, " |\n");
	}
	pl_strbuf_addch(out, '\n');
}

static void fact_list(pl_strbuf *out, const char *label, char *const *names, size_t n, bool *first)
{
	if (!n)
		return;
	pl_strbuf_addf(out, "%s%s ", *first ? "" : "; ", label);
	for (size_t i = 0; i < n; i++)
		pl_strbuf_addf(out, "%s`%s`", i ? ", " : "", names[i]);
	*first = false;
}

static void rule_section(pl_strbuf *out, const pl_rule *r, const char *builtin_dir)
{
	pl_strbuf_addf(out, "### %s\n\n", r->id);
	text_block(out, r->title);
	pl_strbuf_addf(out, "\n- Severity: %s\n- Checklist: ", pl_severity_name(r->severity));
	for (size_t k = 0; k < r->checklist_len; k++) {
		const char *name = pl_checklist_item_name(r->checklist[k]);
		pl_strbuf_addf(out, "%s[%s](#checklist-coverage)", k ? ", " : "", r->checklist[k]);
		if (name)
			pl_strbuf_addf(out, " (%s)", name);
	}
	const char *reads[16];
	size_t nreads = pl_rule_reads(r, reads, 16);
	pl_strbuf_adds(out, "\n- Reads: ");
	for (size_t k = 0; k < nreads; k++)
		pl_strbuf_addf(out, "%s%s", k ? ", " : "", reads[k]);
	if (r->repo) {
		bool first = true;
		pl_strbuf_adds(out, "\n- Facts: ");
		fact_list(out, "applies when all of", r->repo->when, r->repo->nwhen, &first);
		fact_list(out, "fires unless all of", r->repo->require, r->repo->nrequire, &first);
		fact_list(out, "fires unless one of", r->repo->require_any, r->repo->nrequire_any, &first);
		fact_list(out, "silent when one of", r->repo->unless, r->repo->nunless, &first);
	}
	const char *rel = builtin_relative(r, builtin_dir);
	if (rel) {
		pl_strbuf_addf(out, "\n- Rule file: [`rules/%s`](../rules/%s)", rel, rel);
		pl_strbuf_addf(out, "\n- Fixtures: [`fixtures/%s/`](../fixtures/%s/)\n\n", r->id, r->id);
	} else {
		pl_strbuf_addf(out, "\n- Rule file: `%s`", r->source_path ? r->source_path : "");
		pl_strbuf_addf(out, "\n- Fixtures: `fixtures/%s/`\n\n", r->id);
	}
	if (r->rationale && *r->rationale) {
		pl_strbuf_adds(out, "**Why**\n\n");
		text_block(out, r->rationale);
		pl_strbuf_addch(out, '\n');
	}
	if (r->remediation && *r->remediation) {
		pl_strbuf_adds(out, "**How to fix**\n\n");
		text_block(out, r->remediation);
		pl_strbuf_addch(out, '\n');
	}
}

static int compare_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void add_unique(const char ***names, size_t *n, size_t *cap, char *const *add, size_t nadd)
{
	for (size_t i = 0; i < nadd; i++) {
		bool seen = false;
		for (size_t k = 0; k < *n && !seen; k++)
			seen = strcmp((*names)[k], add[i]) == 0;
		if (!seen) {
			PL_GROW(*names, *cap, *n + 1);
			(*names)[(*n)++] = add[i];
		}
	}
}

static void facts_section(pl_strbuf *out, const pl_ruleset *rs, const char *builtin_dir)
{
	size_t ndefs = 0;
	const char **used = NULL;
	size_t nused = 0, capused = 0;
	for (size_t i = 0; i < rs->len; i++) {
		const pl_rule *r = rs->rules[i];
		ndefs += pl_rule_is_fact(r);
		if (r->repo) {
			add_unique(&used, &nused, &capused, r->repo->when, r->repo->nwhen);
			add_unique(&used, &nused, &capused, r->repo->require, r->repo->nrequire);
			add_unique(&used, &nused, &capused, r->repo->require_any, r->repo->nrequire_any);
			add_unique(&used, &nused, &capused, r->repo->unless, r->repo->nunless);
		}
	}
	/* Keep only the facts no rule file defines: prodlint's own analyses provide them. */
	size_t nbuiltin = 0;
	for (size_t k = 0; k < nused; k++) {
		bool defined = false;
		for (size_t i = 0; i < rs->len && !defined; i++)
			defined = pl_rule_is_fact(rs->rules[i]) && strcmp(rs->rules[i]->fact, used[k]) == 0;
		if (!defined)
			used[nbuiltin++] = used[k];
	}
	if (ndefs || nbuiltin) {
		pl_strbuf_adds(out, "## Facts\n\n"
				    "Repo rules work on facts: evidence gathered from the whole repository, "
				    "never reported by itself (see [Writing rules](rules.md)).\n\n");
	}
	if (ndefs) {
		pl_strbuf_adds(out, "| fact | description | reads | defined in |\n|---|---|---|---|\n");
		for (size_t i = 0; i < rs->len; i++) {
			const pl_rule *r = rs->rules[i];
			if (!pl_rule_is_fact(r))
				continue;
			pl_strbuf_addf(out, "| `%s` | ", r->fact);
			cell(out, r->title ? r->title : "");
			pl_strbuf_adds(out, " | ");
			const char *reads[16];
			size_t nreads = pl_rule_reads(r, reads, 16);
			for (size_t k = 0; k < nreads; k++)
				pl_strbuf_addf(out, "%s%s", k ? ", " : "", reads[k]);
			const char *rel = builtin_relative(r, builtin_dir);
			if (rel)
				pl_strbuf_addf(out, " | [`rules/%s`](../rules/%s) |\n", rel, rel);
			else
				pl_strbuf_addf(out, " | `%s` |\n", r->source_path ? r->source_path : "");
		}
		pl_strbuf_addch(out, '\n');
	}
	if (nbuiltin) {
		qsort(used, nbuiltin, sizeof(*used), compare_str);
		pl_strbuf_adds(out, "Provided by prodlint's built-in analyses (CI workflows, Kubernetes "
				    "objects, CODEOWNERS):");
		for (size_t k = 0; k < nbuiltin; k++)
			pl_strbuf_addf(out, "%s`%s`", k ? ", " : " ", used[k]);
		pl_strbuf_adds(out, ".\n\n");
	}
	free(used);
}

void pl_rules_markdown(const pl_ruleset *rs, const char *builtin_dir, pl_strbuf *out)
{
	size_t ncat;
	const char *const *cats = pl_rule_categories(&ncat);
	size_t *per_cat = pl_xcalloc(ncat, sizeof(*per_cat));
	size_t nrules = 0, ncats = 0;
	for (size_t i = 0; i < rs->len; i++) {
		const pl_rule *r = rs->rules[i];
		if (pl_rule_is_fact(r))
			continue;
		nrules++;
		for (size_t c = 0; c < ncat; c++)
			if (strcmp(r->category, cats[c]) == 0)
				ncats += per_cat[c]++ == 0;
	}

	pl_strbuf_adds(out, "# Rule reference\n\n"
			    "<!-- Generated from the rule files by `prodlint rules list --format "
			    "markdown`: do not edit by hand. -->\n\n");
	pl_strbuf_addf(out, "%zu rule%s in %zu categor%s. Each rule cites the items of the "
			    "[checklist](checklist.md) it enforces; [Writing rules](rules.md) "
			    "describes the rule format.\n\n",
		       nrules, plural(nrules), ncats, ncats == 1 ? "y" : "ies");
	if (ncats) {
		pl_strbuf_adds(out, "Categories:");
		size_t shown = 0;
		for (size_t c = 0; c < ncat; c++) {
			if (!per_cat[c])
				continue;
			pl_strbuf_addf(out, "%s [%s](#", shown++ ? "," : "", cats[c]);
			anchor(out, cats[c]);
			pl_strbuf_addf(out, ") (%zu)", per_cat[c]);
		}
		pl_strbuf_adds(out, ".\n\n");
	}
	checklist_table(out, rs);

	for (size_t c = 0; c < ncat; c++) {
		if (!per_cat[c])
			continue;
		pl_strbuf_addf(out, "## %s\n\n", cats[c]);
		for (size_t i = 0; i < rs->len; i++) {
			const pl_rule *r = rs->rules[i];
			if (!pl_rule_is_fact(r) && strcmp(r->category, cats[c]) == 0)
				rule_section(out, r, builtin_dir);
		}
	}
	facts_section(out, rs, builtin_dir);
	/* One trailing newline, as editors and linters want it. */
	while (out->len >= 2 && out->buf[out->len - 1] == '\n' && out->buf[out->len - 2] == '\n')
		out->buf[--out->len] = '\0';
	free(per_cat);
}

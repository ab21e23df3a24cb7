/*
 * Loading and applying `.prodlint.yaml` (project.h): libcyaml for the
 * shape, our own checks for values, the position index to locate both.
 */
#include "project/project.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "project/project_schema.h"
#include "rule/yaml_doc.h"
#include "util/mem.h"
#include "util/fs.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* A configuration this large is a mistake (or hostile). */
#define PROJECT_FILE_MAX_SIZE (1u << 20)

/* ---- discovery ------------------------------------------------------------ */

/* `abs` (absolute, resolved) as shown to the user: relative to the current
 * directory, climbing with `..` when needed; absolute if that is unknown. */
static char *shown_path(const char *abs)
{
	char *cwd = getcwd(NULL, 0);
	if (!cwd)
		return pl_xstrdup(abs);
	/* Length of the common leading components. */
	size_t common = 0;
	for (size_t i = 0;; i++) {
		bool end_a = abs[i] == '/' || !abs[i], end_c = cwd[i] == '/' || !cwd[i];
		if (end_a && end_c)
			common = i;
		if (!abs[i] || !cwd[i] || abs[i] != cwd[i])
			break;
	}
	pl_strbuf sb = PL_STRBUF_INIT;
	for (const char *c = cwd + common; *c; c++)
		if (*c == '/' && c[1])
			pl_strbuf_adds(&sb, "../");
	const char *rest = abs + common;
	while (*rest == '/')
		rest++;
	pl_strbuf_adds(&sb, rest);
	free(cwd);
	return pl_strbuf_detach(&sb);
}

static bool exists(const char *dir, const char *name)
{
	char *p = pl_path_join(dir, name);
	struct stat st;
	bool ok = lstat(p, &st) == 0;
	free(p);
	return ok;
}

char *pl_project_discover(const char *root)
{
	char *dir = pl_xrealpath(root);
	if (!dir)
		return NULL;
	char *found = NULL;
	for (;;) {
		if (exists(dir, PL_PROJECT_FILE)) {
			char *abs = pl_path_join(dir, PL_PROJECT_FILE);
			found = shown_path(abs);
			free(abs);
			break;
		}
		/* The repository top is the last directory that speaks for it. */
		if (exists(dir, ".git") || strcmp(dir, "/") == 0)
			break;
		char *slash = strrchr(dir, '/');
		if (slash == dir)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
	free(dir);
	return found;
}

/* ---- loading ------------------------------------------------------------- */

typedef struct loader {
	pl_yaml_doc doc;
	pl_project *proj;
} loader;

static bool is_blank(const char *s)
{
	if (!s)
		return true;
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			return false;
	return true;
}

/* Where the value at index path `path` is written (1:1 if unknown). */
static void position(const loader *ld, const char *path, unsigned *line, unsigned *col)
{
	const pl_yaml_entry *e = pl_yaml_index_find(&ld->doc.index, path);
	*line = e ? e->line : 1;
	*col = e ? e->col : 1;
}

/* `value` joined to the file's directory, unless absolute. */
static char *in_dir(const pl_project *proj, const char *value)
{
	return value[0] == '/' ? pl_xstrdup(value) : pl_path_join(proj->dir, value);
}

/* The entries of the list of patterns at index path `at`, whose key is
 * `key`; blank ones are errors. */
static pl_project_pattern *patterns(loader *ld, const char *at, const char *key, char **items,
				    unsigned n, size_t *out_n)
{
	pl_project_pattern *out = n ? pl_xcalloc(n, sizeof(*out)) : NULL;
	size_t k = 0;
	for (unsigned i = 0; i < n; i++) {
		char path[256];
		snprintf(path, sizeof(path), "%s[%u]", at, i);
		if (is_blank(items[i])) {
			pl_yaml_doc_error_path(&ld->doc, path, false, "'%s' entries must not be empty",
					       key);
			continue;
		}
		out[k].pattern = pl_xstrdup(items[i]);
		position(ld, path, &out[k].line, &out[k].col);
		k++;
	}
	*out_n = k;
	return out;
}

static void load_rules(loader *ld, const raw_project *raw)
{
	pl_project *proj = ld->proj;
	if (!raw->rules_count)
		return;
	proj->rules = pl_xcalloc(raw->rules_count, sizeof(char *));
	for (unsigned i = 0; i < raw->rules_count; i++) {
		char path[64];
		snprintf(path, sizeof(path), "rules[%u]", i);
		if (is_blank(raw->rules[i])) {
			pl_yaml_doc_error_path(&ld->doc, path, false, "'rules' entries must not be empty");
			continue;
		}
		char *full = in_dir(proj, raw->rules[i]);
		struct stat st;
		if (stat(full, &st) < 0) {
			pl_yaml_doc_error_path(&ld->doc, path, false, "cannot read rules '%s': %s",
					       raw->rules[i], strerror(errno));
			free(full);
			continue;
		}
		proj->rules[proj->nrules++] = full;
	}
}

static void load_words(loader *ld, const raw_project *raw)
{
	pl_project *proj = ld->proj;
	if (raw->builtin_rules) {
		if (strcmp(raw->builtin_rules, "on") == 0)
			proj->builtin_rules = 1;
		else if (strcmp(raw->builtin_rules, "off") == 0)
			proj->builtin_rules = 0;
		else
			pl_yaml_doc_error_path(&ld->doc, "builtin-rules", false,
					       "builtin-rules '%s' is not one of on, off",
					       raw->builtin_rules);
	}
	if (raw->fail_on) {
		if (strcmp(raw->fail_on, "none") == 0) {
			proj->fail_on = PL_SEVERITY_NONE;
			proj->has_fail_on = true;
		} else if (pl_severity_parse(raw->fail_on, &proj->fail_on) == 0) {
			proj->has_fail_on = true;
		} else {
			pl_yaml_doc_error_path(&ld->doc, "fail-on", false,
					       "fail-on '%s' is not one of error, warning, note, none",
					       raw->fail_on);
		}
	}
	if (raw->baseline) {
		if (is_blank(raw->baseline))
			pl_yaml_doc_error_path(&ld->doc, "baseline", false,
					       "'baseline' must not be empty");
		else
			proj->baseline = in_dir(proj, raw->baseline);
	}
}

/* `severity:` is skipped by libcyaml (its keys are free-form); the index
 * holds its entries with their scalar values. */
static void load_severity(loader *ld)
{
	pl_project *proj = ld->proj;
	const pl_yaml_index *ix = &ld->doc.index;
	const pl_yaml_entry *map = pl_yaml_index_find(ix, "severity");
	if (!map)
		return;
	if (map->kind != PL_YAML_MAPPING) {
		pl_yaml_doc_error_at(&ld->doc, map->line, map->col,
				     "'severity' must be a mapping of rule patterns to error, warning "
				     "or note");
		return;
	}
	size_t cap = 0;
	static const char prefix[] = "severity.";
	const size_t plen = sizeof(prefix) - 1;
	for (size_t i = 0; i < ix->len; i++) {
		const pl_yaml_entry *e = &ix->items[i];
		/* Direct children only: their path is the prefix plus their key. */
		if (!e->key || strncmp(e->path, prefix, plen) != 0 || strcmp(e->path + plen, e->key))
			continue;
		if (is_blank(e->key)) {
			pl_yaml_doc_error_at(&ld->doc, e->key_line, e->key_col,
					     "'severity' keys must be rule patterns, not empty");
			continue;
		}
		bool dup = false;
		for (size_t k = 0; k < proj->nseverity && !dup; k++)
			dup = strcmp(proj->severity[k].rule.pattern, e->key) == 0;
		if (dup) {
			pl_yaml_doc_error_at(&ld->doc, e->key_line, e->key_col, "duplicate key '%s'",
					     e->key);
			continue;
		}
		pl_severity sev;
		if (e->kind != PL_YAML_SCALAR) {
			pl_yaml_doc_error_at(&ld->doc, e->line, e->col,
					     "severity for '%s' must be error, warning or note, not %s",
					     e->key, e->kind == PL_YAML_SEQUENCE ? "a list"
						     : e->kind == PL_YAML_MAPPING ? "a mapping"
										   : "an alias");
			continue;
		}
		if (pl_severity_parse(e->value, &sev) < 0) {
			pl_yaml_doc_error_at(&ld->doc, e->line, e->col,
					     "severity '%s' for '%s' is not one of error, warning, note",
					     e->value, e->key);
			continue;
		}
		PL_GROW(proj->severity, cap, proj->nseverity + 1);
		pl_project_severity *s = &proj->severity[proj->nseverity];
		memset(s, 0, sizeof(*s));
		s->rule.pattern = pl_xstrdup(e->key);
		s->rule.line = e->key_line;
		s->rule.col = e->key_col;
		s->severity = sev;
		proj->nseverity++;
	}
}

static void load_exclude(loader *ld, const raw_project *raw)
{
	pl_project *proj = ld->proj;
	for (unsigned i = 0; i < raw->exclude_count; i++) {
		char path[64];
		snprintf(path, sizeof(path), "exclude[%u]", i);
		if (is_blank(raw->exclude[i])) {
			pl_yaml_doc_error_path(&ld->doc, path, false, "'exclude' entries must not be empty");
			continue;
		}
		if (!proj->exclude)
			proj->exclude = pl_ignore_list_new(proj->path);
		unsigned line, col;
		position(ld, path, &line, &col);
		pl_ignore_list_add(proj->exclude, line, raw->exclude[i]);
	}
}

/* A required, non-blank string of an entry at `base`; false if it is not. */
static bool required(loader *ld, const char *base, const char *list, const char *key,
		     const char *value)
{
	char path[256];
	snprintf(path, sizeof(path), "%s.%s", base, key);
	if (!value)
		pl_yaml_doc_error_path(&ld->doc, base, false,
				       "'%s' entry is missing required key '%s'", list, key);
	else if (is_blank(value))
		pl_yaml_doc_error_path(&ld->doc, path, false, "'%s' must not be empty", key);
	return !is_blank(value);
}

static bool parse_line(const char *s, unsigned *out)
{
	if (!*s || *s == '0')
		return false;
	unsigned long v = 0;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return false;
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > UINT_MAX)
			return false;
	}
	*out = (unsigned)v;
	return true;
}

static void load_ignore_findings(loader *ld, const raw_project *raw)
{
	pl_project *proj = ld->proj;
	if (!raw->ignore_findings_count)
		return;
	proj->ignore_findings = pl_xcalloc(raw->ignore_findings_count, sizeof(pl_project_ignore));
	for (unsigned i = 0; i < raw->ignore_findings_count; i++) {
		const raw_ignore_finding *r = &raw->ignore_findings[i];
		char base[64], path[96];
		snprintf(base, sizeof(base), "ignore-findings[%u]", i);
		bool ok = required(ld, base, "ignore-findings", "rule", r->rule);
		ok &= required(ld, base, "ignore-findings", "path", r->path);
		ok &= required(ld, base, "ignore-findings", "reason", r->reason);
		unsigned line = 0;
		if (r->line && !parse_line(r->line, &line)) {
			snprintf(path, sizeof(path), "%s.line", base);
			pl_yaml_doc_error_path(&ld->doc, path, false,
					       "'line' must be a line number (1 or more), not '%s'",
					       r->line);
			ok = false;
		}
		if (r->path && r->path[0] == '!') {
			snprintf(path, sizeof(path), "%s.path", base);
			pl_yaml_doc_error_path(&ld->doc, path, false,
					       "'path' is a glob of files to ignore findings in; '!' "
					       "(re-include) means nothing here");
			ok = false;
		}
		if (!ok)
			continue;
		pl_project_ignore *ig = &proj->ignore_findings[proj->nignore_findings++];
		ig->rule.pattern = pl_xstrdup(r->rule);
		snprintf(path, sizeof(path), "%s.rule", base);
		position(ld, path, &ig->rule.line, &ig->rule.col);
		ig->path = pl_xstrdup(r->path);
		ig->glob = pl_ignore_list_new(proj->path);
		snprintf(path, sizeof(path), "%s.path", base);
		unsigned pl, pc;
		position(ld, path, &pl, &pc);
		pl_ignore_list_add(ig->glob, pl, r->path);
		ig->line = line;
		ig->reason = pl_xstrdup(r->reason);
		position(ld, base, &ig->at_line, &ig->at_col);
	}
}

static void load_attest(loader *ld, const raw_project *raw)
{
	pl_project *proj = ld->proj;
	if (!raw->attest_count)
		return;
	size_t nids;
	const char *const *ids = pl_checklist_ids(&nids);
	proj->attest = pl_xcalloc(raw->attest_count, sizeof(pl_project_attest));
	for (unsigned i = 0; i < raw->attest_count; i++) {
		const raw_attest *r = &raw->attest[i];
		char base[64], path[96];
		snprintf(base, sizeof(base), "attest[%u]", i);
		size_t before = ld->doc.errors;
		snprintf(path, sizeof(path), "%s.checklist", base);
		/* libcyaml leaves an empty list NULL: the index tells it from an absent one. */
		if (!r->checklist_count && !pl_yaml_index_find(&ld->doc.index, path))
			pl_yaml_doc_error_path(&ld->doc, base, false,
					       "'attest' entry is missing required key 'checklist'");
		else if (!r->checklist_count)
			pl_yaml_doc_error_path(&ld->doc, path, false,
					       "'checklist' must name at least one item (QG1 ... PB3)");
		for (unsigned k = 0; k < r->checklist_count; k++) {
			bool known = false;
			for (size_t j = 0; j < nids && !known; j++)
				known = strcmp(r->checklist[k], ids[j]) == 0;
			if (known)
				continue;
			pl_strbuf all = PL_STRBUF_INIT;
			for (size_t j = 0; j < nids; j++)
				pl_strbuf_addf(&all, "%s%s", j ? ", " : "", ids[j]);
			snprintf(path, sizeof(path), "%s.checklist[%u]", base, k);
			pl_yaml_doc_error_path(&ld->doc, path, false,
					       "unknown checklist item '%s' (known: %s)", r->checklist[k],
					       all.buf);
			pl_strbuf_release(&all);
		}
		required(ld, base, "attest", "reason", r->reason);
		snprintf(path, sizeof(path), "%s.rules", base);
		size_t nrules = 0;
		pl_project_pattern *rules = patterns(ld, path, "rules", r->rules, r->rules_count, &nrules);
		if (ld->doc.errors != before) {
			for (size_t k = 0; k < nrules; k++)
				free(rules[k].pattern);
			free(rules);
			continue;
		}
		pl_project_attest *a = &proj->attest[proj->nattest++];
		a->checklist = pl_xcalloc(r->checklist_count, sizeof(char *));
		for (unsigned k = 0; k < r->checklist_count; k++)
			a->checklist[k] = pl_xstrdup(r->checklist[k]);
		a->nchecklist = r->checklist_count;
		a->rules = rules;
		a->nrules = nrules;
		a->reason = pl_xstrdup(r->reason);
		position(ld, base, &a->line, &a->col);
	}
}

static void load_raw(loader *ld, const raw_project *raw)
{
	pl_project *proj = ld->proj;
	load_rules(ld, raw);
	load_words(ld, raw);
	/* libcyaml leaves an empty list NULL: the index tells it from an absent one. */
	if (!raw->select_count && pl_yaml_index_find(&ld->doc.index, "select"))
		pl_yaml_doc_error_path(&ld->doc, "select", false,
				       "'select' must not be empty (leave it out to run every rule)");
	proj->select = patterns(ld, "select", "select", raw->select, raw->select_count, &proj->nselect);
	proj->ignore = patterns(ld, "ignore", "ignore", raw->ignore, raw->ignore_count, &proj->nignore);
	load_exclude(ld, raw);
	load_ignore_findings(ld, raw);
	load_attest(ld, raw);
}

/* The directory part of `path`, as written ("." when there is none). */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return pl_xstrdup(".");
	if (slash == path)
		return pl_xstrdup("/");
	return pl_xstrndup(path, (size_t)(slash - path));
}

int pl_project_load(pl_project *proj, const char *path, pl_diags *diags)
{
	loader ld = { .proj = proj };
	pl_yaml_doc_init(&ld.doc, path, diags);
	proj->path = pl_xstrdup(path);
	proj->dir = dir_of(path);
	char *data = NULL;
	size_t len = 0;
	raw_project *raw = NULL;
	pl_read_status st = pl_read_file(path, PROJECT_FILE_MAX_SIZE, &data, &len);
	if (st != PL_READ_OK) {
		if (st == PL_READ_TOO_LARGE)
			pl_diags_add(diags, path, 0, 0, "config file is larger than %u bytes",
				     PROJECT_FILE_MAX_SIZE);
		else
			pl_diags_add(diags, path, 0, 0, "cannot read config file: %s", strerror(errno));
		ld.doc.errors++;
		goto done;
	}
	proj->dir_real = pl_xrealpath(proj->dir);
	if (pl_yaml_index_build(&ld.doc.index, data, len) < 0) {
		pl_yaml_doc_error_at(&ld.doc, ld.doc.index.error_line, ld.doc.index.error_col,
				     "invalid YAML: %s", ld.doc.index.error);
		goto done;
	}
	if (ld.doc.index.documents > 1) {
		pl_yaml_doc_error_at(&ld.doc, ld.doc.index.second_doc_line,
				     ld.doc.index.second_doc_col,
				     "a config file holds one YAML document; a second one starts here");
		goto done;
	}
	if (ld.doc.index.has_alias) {
		pl_yaml_doc_error_at(&ld.doc, ld.doc.index.alias_line, ld.doc.index.alias_col,
				     "YAML aliases are not allowed in the config file");
		goto done;
	}
	const pl_yaml_entry *root = pl_yaml_index_find(&ld.doc.index, "");
	/* Nothing but comments (what `init` writes, trimmed) is an empty configuration. */
	if (!root || (root->kind == PL_YAML_SCALAR && !*root->value))
		goto done;
	if (root->kind != PL_YAML_MAPPING) {
		pl_yaml_doc_error_at(&ld.doc, root->line, root->col,
				     "a config file must be a mapping of settings (key: value)");
		goto done;
	}
	if (pl_yaml_doc_load(&ld.doc, data, len, &pl_project_schema, (void **)&raw) < 0 || !raw)
		goto done;
	load_raw(&ld, raw);
	load_severity(&ld);

done:
	pl_yaml_doc_free(&pl_project_schema, raw);
	free(data);
	size_t errors = ld.doc.errors;
	pl_yaml_doc_release(&ld.doc);
	if (errors) {
		pl_project_release(proj);
		return -1;
	}
	return 0;
}

/* ---- checks against the rules --------------------------------------------- */

/* Fact definitions (rules/facts/) are plumbing, never selected by users. */
static bool selects(const char *pattern, const pl_rule *rule)
{
	return !pl_rule_is_fact(rule) && pl_rule_pattern_matches(pattern, rule);
}

static bool selects_any(const pl_ruleset *rules, const char *pattern)
{
	for (size_t i = 0; i < rules->len; i++)
		if (selects(pattern, rules->rules[i]))
			return true;
	return false;
}

static bool cites_any(const pl_rule *rule, char *const *ids, size_t n)
{
	for (size_t i = 0; i < rule->checklist_len; i++)
		for (size_t k = 0; k < n; k++)
			if (strcmp(rule->checklist[i], ids[k]) == 0)
				return true;
	return false;
}

static void check_patterns(const pl_project *proj, const pl_ruleset *rules,
			   const pl_project_pattern *pats, size_t n, const char *what,
			   pl_diags *diags, int *rc)
{
	for (size_t i = 0; i < n; i++) {
		if (selects_any(rules, pats[i].pattern))
			continue;
		pl_diags_add(diags, proj->path, pats[i].line, pats[i].col,
			     "%s pattern '%s' matches no rule", what, pats[i].pattern);
		*rc = -1;
	}
}

int pl_project_check_rules(const pl_project *proj, const pl_ruleset *rules, pl_diags *diags)
{
	int rc = 0;
	check_patterns(proj, rules, proj->select, proj->nselect, "select", diags, &rc);
	check_patterns(proj, rules, proj->ignore, proj->nignore, "ignore", diags, &rc);
	for (size_t i = 0; i < proj->nseverity; i++)
		check_patterns(proj, rules, &proj->severity[i].rule, 1, "severity", diags, &rc);
	for (size_t i = 0; i < proj->nignore_findings; i++)
		check_patterns(proj, rules, &proj->ignore_findings[i].rule, 1, "ignore-findings rule",
			       diags, &rc);
	for (size_t i = 0; i < proj->nattest; i++) {
		const pl_project_attest *a = &proj->attest[i];
		for (size_t k = 0; k < a->nrules; k++) {
			const pl_project_pattern *p = &a->rules[k];
			bool any = false;
			for (size_t r = 0; r < rules->len && !any; r++)
				any = selects(p->pattern, rules->rules[r]) &&
				      cites_any(rules->rules[r], a->checklist, a->nchecklist);
			if (any)
				continue;
			pl_strbuf ids = PL_STRBUF_INIT;
			for (size_t j = 0; j < a->nchecklist; j++)
				pl_strbuf_addf(&ids, "%s%s", j ? ", " : "", a->checklist[j]);
			pl_diags_add(diags, proj->path, p->line, p->col,
				     "attest pattern '%s' matches no rule that cites %s (an "
				     "attestation silences only rules for the items it attests)",
				     p->pattern, ids.buf);
			pl_strbuf_release(&ids);
			rc = -1;
		}
	}
	return rc;
}

void pl_project_apply_severity(const pl_project *proj, pl_ruleset *rules)
{
	for (size_t i = 0; i < proj->nseverity; i++)
		for (size_t r = 0; r < rules->len; r++)
			if (selects(proj->severity[i].rule.pattern, rules->rules[r]))
				rules->rules[r]->severity = proj->severity[i].severity;
}

/* ---- paths ------------------------------------------------------------------ */

int pl_project_bind_root(pl_project *proj, const char *root)
{
	free(proj->root_real);
	free(proj->root_prefix);
	proj->root_prefix = NULL;
	proj->root_real = pl_xrealpath(root);
	if (!proj->root_real)
		return -1;
	if (!proj->dir_real)
		return 0;
	size_t n = strlen(proj->dir_real);
	const char *r = proj->root_real;
	if (strcmp(proj->dir_real, "/") == 0)
		n = 0;
	else if (strncmp(r, proj->dir_real, n) != 0 || (r[n] != '/' && r[n] != '\0'))
		return 0;
	pl_strbuf sb = PL_STRBUF_INIT;
	if (r[n] == '/' && r[n + 1])
		pl_strbuf_addf(&sb, "%s/", r + n + 1);
	proj->root_prefix = pl_strbuf_detach(&sb);
	return 0;
}

/* `path` (relative to the root) relative to the file's directory, or NULL
 * when it is outside it. Paths named on the command line outside the root
 * come as written ("../x.py", "/abs/x.py"), so those are resolved. */
static char *project_relative(const pl_project *proj, const char *path)
{
	if (!proj->root_real || !proj->dir_real)
		return NULL;
	bool outside = path[0] == '/' || (path[0] == '.' && path[1] == '.' &&
					  (path[2] == '/' || !path[2]));
	if (!outside) {
		if (!proj->root_prefix)
			return NULL;
		pl_strbuf sb = PL_STRBUF_INIT;
		pl_strbuf_addf(&sb, "%s%s", proj->root_prefix, path);
		return pl_strbuf_detach(&sb);
	}
	char *abs = path[0] == '/' ? pl_xstrdup(path) : pl_path_join(proj->root_real, path);
	/* Resolve the directory part; the last component keeps its own name. */
	char *slash = strrchr(abs, '/');
	char *real = NULL;
	const char *base = slash + 1;
	if (*base && strcmp(base, ".") && strcmp(base, "..")) {
		*slash = '\0';
		char *dir = pl_xrealpath(*abs ? abs : "/");
		if (dir) {
			real = pl_path_join(dir, base);
			free(dir);
		}
	} else {
		real = pl_xrealpath(abs);
	}
	free(abs);
	if (!real)
		return NULL;
	size_t n = strcmp(proj->dir_real, "/") == 0 ? 0 : strlen(proj->dir_real);
	char *out = NULL;
	if (strncmp(real, proj->dir_real, n) == 0 && real[n] == '/')
		out = pl_xstrdup(real + n + 1);
	free(real);
	return out;
}

/* Does `list` match `rel` (relative to the file's directory) or one of its
 * parent directories? As in git, a directory's match covers everything in it. */
static bool list_covers(const pl_ignore_list *list, char *rel, bool is_dir)
{
	for (char *s = rel; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		const pl_ignore_pattern *m = pl_ignore_list_match(list, rel, true);
		*s = '/';
		if (m && !m->negated)
			return true;
	}
	const pl_ignore_pattern *m = pl_ignore_list_match(list, rel, is_dir);
	return m && !m->negated;
}

bool pl_project_excludes(const pl_project *proj, const char *path, bool is_dir)
{
	if (!proj->exclude || !*path)
		return false;
	char *rel = project_relative(proj, path);
	bool out = rel && *rel && list_covers(proj->exclude, rel, is_dir);
	free(rel);
	return out;
}

bool pl_project_exclude_cb(const char *path, bool is_dir, void *ctx)
{
	return pl_project_excludes(ctx, path, is_dir);
}

/* ---- findings ----------------------------------------------------------- */

static bool keep_finding(const pl_finding *f, void *ctx)
{
	pl_project *proj = ctx;
	for (size_t i = 0; i < proj->nattest; i++) {
		pl_project_attest *a = &proj->attest[i];
		if (!cites_any(f->rule, a->checklist, a->nchecklist))
			continue;
		for (size_t k = 0; k < a->nrules; k++) {
			if (pl_rule_pattern_matches(a->rules[k].pattern, f->rule)) {
				a->hits++;
				return false;
			}
		}
	}
	if (!proj->nignore_findings)
		return true;
	char *rel = project_relative(proj, f->path);
	bool keep = true;
	for (size_t i = 0; rel && *rel && i < proj->nignore_findings && keep; i++) {
		pl_project_ignore *ig = &proj->ignore_findings[i];
		if ((ig->line && ig->line != f->line) ||
		    !pl_rule_pattern_matches(ig->rule.pattern, f->rule) ||
		    !list_covers(ig->glob, rel, false))
			continue;
		ig->hits++;
		keep = false;
	}
	free(rel);
	return keep;
}

size_t pl_project_filter(pl_project *proj, pl_findings *findings)
{
	if (!proj->nattest && !proj->nignore_findings)
		return 0;
	return pl_findings_filter(findings, keep_finding, proj);
}

bool pl_project_attests(const pl_project *proj, const char *id)
{
	for (size_t i = 0; i < proj->nattest; i++)
		for (size_t k = 0; k < proj->attest[i].nchecklist; k++)
			if (strcmp(proj->attest[i].checklist[k], id) == 0)
				return true;
	return false;
}

/* ---- the template ------------------------------------------------------------ */

/*
 * Example lines are commented as `# key: value` or `#   more`, prose as
 * `# Text`: the unit test uncomments the examples and loads the result, so
 * the template can never show a key or value the loader would refuse. Keep
 * prose lines from starting with `word:` or two spaces.
 */
static const char template_text[] =
	"# prodlint project configuration. Every key is optional; paths are relative\n"
	"# to this file's directory. Uncomment a line (drop the leading '# ') to use it.\n"
	"# Options given on the command line override what is set here.\n"
	"\n"
	"# Extra rule files or directories, loaded on top of the built-in pack.\n"
	"# rules:\n"
	"#   - prodlint-rules/\n"
	"\n"
	"# The built-in rule pack: on or off (the words, not true/false).\n"
	"builtin-rules: on\n"
	"\n"
	"# Run only the rules matching these patterns: a rule id, a category, or a\n"
	"# glob over ids. --select on the command line replaces this list.\n"
	"# select:\n"
	"#   - budget\n"
	"#   - reliability/model-call-without-timeout\n"
	"\n"
	"# Leave out the rules matching these patterns (--ignore adds to them).\n"
	"# ignore:\n"
	"#   - rollback/*\n"
	"\n"
	"# Change severities: rule pattern, then error, warning or note. Entries\n"
	"# apply in order, so a later, narrower one refines an earlier one.\n"
	"# severity:\n"
	"#   budget: note\n"
	"#   budget/completion-without-token-cap: error\n"
	"\n"
	"# Files never scanned, written as .gitignore lines.\n"
	"# exclude:\n"
	"#   - vendor/\n"
	"#   - \"**/*.generated.py\"\n"
	"\n"
	"# Findings to ignore in files that cannot carry a prodlint-ignore comment\n"
	"# (JSON, generated code): a rule pattern, a path glob as in exclude, an\n"
	"# optional line, and the reason, which is required.\n"
	"# ignore-findings:\n"
	"#   - rule: budget/completion-without-token-cap\n"
	"#     path: prompts/*.json\n"
	"#     line: 12\n"
	"#     reason: the prompt runner applies max_tokens from this file\n"
	"\n"
	"# Exit with status 1 when a finding is at or above this level: error,\n"
	"# warning, note or none. --fail-on overrides it.\n"
	"fail-on: warning\n"
	"\n"
	"# Report only findings that are not in this baseline, written with\n"
	"# prodlint --write-baseline FILE. --baseline overrides it.\n"
	"# baseline: .prodlint-baseline.json\n"
	"\n"
	"# Controls provided outside this repository, each with its reason. The\n"
	"# checklist items (QG1 ... PB3) show as attested in the markdown scorecard,\n"
	"# and findings of the listed rules that cite one of them are not reported.\n"
	"# attest:\n"
	"#   - checklist: [RD3]\n"
	"#     rules: [budget/completion-without-token-cap]\n"
	"#     reason: the API gateway caps output tokens for every model route\n";

const char *pl_project_template(void)
{
	return template_text;
}

/* ---- release -------------------------------------------------------------- */

static void free_patterns(pl_project_pattern *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(p[i].pattern);
	free(p);
}

void pl_project_release(pl_project *proj)
{
	free(proj->path);
	free(proj->dir);
	free(proj->dir_real);
	for (size_t i = 0; i < proj->nrules; i++)
		free(proj->rules[i]);
	free(proj->rules);
	free_patterns(proj->select, proj->nselect);
	free_patterns(proj->ignore, proj->nignore);
	for (size_t i = 0; i < proj->nseverity; i++)
		free(proj->severity[i].rule.pattern);
	free(proj->severity);
	pl_ignore_list_delete(proj->exclude);
	for (size_t i = 0; i < proj->nignore_findings; i++) {
		pl_project_ignore *ig = &proj->ignore_findings[i];
		free(ig->rule.pattern);
		free(ig->path);
		pl_ignore_list_delete(ig->glob);
		free(ig->reason);
	}
	free(proj->ignore_findings);
	free(proj->baseline);
	for (size_t i = 0; i < proj->nattest; i++) {
		pl_project_attest *a = &proj->attest[i];
		for (size_t k = 0; k < a->nchecklist; k++)
			free(a->checklist[k]);
		free(a->checklist);
		free_patterns(a->rules, a->nrules);
		free(a->reason);
	}
	free(proj->attest);
	free(proj->root_real);
	free(proj->root_prefix);
	memset(proj, 0, sizeof(*proj));
	proj->builtin_rules = -1;
}

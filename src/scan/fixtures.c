#include "scan/fixtures.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config/kind.h"
#include "scan/scan.h"
#include "util/mem.h"
#include "util/fs.h"
#include "util/xalloc.h"
#include "walk/walk.h"

static int cmp_paths(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct expectation {
	unsigned line;        /* the code line the annotation points at */
	unsigned note_line;   /* the annotation itself */
	bool fires;           /* ruleid: (true) or ok: (false) */
} expectation;

/* What a rule claims (a language for queries, a file kind for config checks)
 * and whether its fixtures prove it both ways. */
typedef struct lang_coverage {
	const pl_language *lang;   /* NULL for a kind entry */
	pl_file_kind kind;
	bool fires, silent;
} lang_coverage;

static const char *coverage_name(const lang_coverage *c)
{
	if (!c->lang && c->kind == PL_KIND_NONE)
		return "code"; /* the suppression engine's meta rules: any language with comments */
	return c->lang ? c->lang->name : pl_file_kind_name(c->kind);
}

/* Does `rest` (after "ruleid:" / "ok:") name the rule? Ids are comma-separated. */
static bool names_rule(const char *rest, size_t len, const char *id)
{
	size_t idlen = strlen(id), i = 0;
	while (i < len) {
		while (i < len && (isspace((unsigned char)rest[i]) || rest[i] == ','))
			i++;
		size_t s = i;
		while (i < len && !isspace((unsigned char)rest[i]) && rest[i] != ',')
			i++;
		if (i - s == idlen && memcmp(rest + s, id, idlen) == 0)
			return true;
	}
	return false;
}

/* If the line is an annotation comment, return 1 (ruleid) / 0 (ok) / 2 (other rule's); else -1. */
static int annotation(const char *line, size_t len, const pl_language *lang, const char *id)
{
	size_t i = 0;
	while (i < len && isspace((unsigned char)line[i]))
		i++;
	if (!lang->line_comment)
		return -1;
	size_t cl = strlen(lang->line_comment);
	if (len - i < cl || memcmp(line + i, lang->line_comment, cl) != 0)
		return -1;
	i += cl;
	while (i < len && isspace((unsigned char)line[i]))
		i++;
	static const char *const kinds[] = { "ruleid:", "ok:" };
	for (int k = 0; k < 2; k++) {
		size_t kl = strlen(kinds[k]);
		if (len - i >= kl && memcmp(line + i, kinds[k], kl) == 0)
			return names_rule(line + i + kl, len - i - kl, id) ? (k == 0) : 2;
	}
	return -1;
}

static void parse_expectations(const char *text, size_t len, const pl_language *lang,
			       const char *id, expectation **out, size_t *n)
{
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	size_t pending_start = *n;
	unsigned lineno = 0;
	for (size_t pos = 0; pos < len;) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - line) : len - pos;
		lineno++;
		int kind = annotation(line, ll, lang, id);
		if (kind == 0 || kind == 1) {
			PL_GROW(*out, cap, *n + 1);
			(*out)[(*n)++] = (expectation){ 0, lineno, kind == 1 };
		} else if (kind == -1) {
			/* A code line (or blank): it is the target of pending annotations. */
			bool blank = true;
			for (size_t k = 0; k < ll; k++)
				if (!isspace((unsigned char)line[k]))
					blank = false;
			if (!blank) {
				for (size_t k = pending_start; k < *n; k++)
					if ((*out)[k].line == 0)
						(*out)[k].line = lineno;
				pending_start = *n;
			}
		}
		pos += ll + 1;
	}
}

static void fail(pl_strbuf *failures, const char *path, unsigned line, const char *fmt,
		 const char *a, const char *b)
{
	pl_strbuf_addf(failures, "    %s:%u: ", path, line);
	pl_strbuf_addf(failures, fmt, a, b);
	pl_strbuf_addch(failures, '\n');
}

/*
 * Test one file; returns the number of failures. The file is scanned with
 * `scan_rules`, or with the rule alone when NULL, and its inline
 * suppressions are applied as in a real scan (so a fixture can show a
 * `prodlint-ignore` comment silencing an `ok:` line); then only the rule's
 * own findings are compared.
 */
static size_t test_file(const pl_rule *rule, const pl_ruleset *scan_rules, const pl_file *file,
			TSParser *parser, lang_coverage *cov, size_t ncov, pl_strbuf *failures,
			size_t *checked)
{
	char *text;
	size_t len;
	if (pl_read_file(file->fs_path, (size_t)64 << 20, &text, &len) != PL_READ_OK) {
		fail(failures, file->path, 0, "cannot read fixture%s%s", "", "");
		return 1;
	}
	expectation *ex;
	size_t nex;
	parse_expectations(text, len, file->lang, rule->id, &ex, &nex);
	pl_rule *one[1] = { (pl_rule *)rule };
	pl_ruleset single = { .rules = one, .len = 1, .cap = 1 };
	pl_file_output fout;
	pl_file_output_init(&fout);
	if (!scan_rules)
		scan_rules = &single;
	pl_scan_context sctx = { .rules = scan_rules, .parser = parser };
	pl_scan_file_text(&sctx, file, text, len, &fout);
	int today;
	pl_suppress_today(&today);
	pl_suppress_config sup;
	pl_suppress_config_init(&sup, scan_rules, today);
	pl_scan_suppress(&sup, parser, file, text, len, !fout.errors.len && !fout.skipped.len,
			 &fout.findings);
	size_t own = 0;
	for (size_t k = 0; k < fout.findings.len; k++) {
		if (fout.findings.items[k].rule == rule)
			fout.findings.items[own++] = fout.findings.items[k];
		else
			pl_finding_release(&fout.findings.items[k]);
	}
	fout.findings.len = own;
	pl_findings found = fout.findings;
	pl_diags errors = fout.errors;
	fout.findings = (pl_findings)PL_FINDINGS_INIT;
	fout.errors = (pl_diags)PL_DIAGS_INIT;
	pl_file_output_release(&fout);
	pl_findings_finish(&found);
	pl_file_kind kind = pl_config_possible_kinds(file->lang)
				    ? pl_config_detect_kind(file->path, file->fs_path, file->lang, parser,
							    text, len)
				    : PL_KIND_NONE;
	size_t failed = errors.len;
	for (size_t i = 0; i < errors.len; i++)
		fail(failures, file->path, 0, "%s%s", errors.items[i].message, "");
	for (size_t i = 0; i < nex; i++) {
		(*checked)++;
		bool hit = false;
		for (size_t k = 0; k < found.len && !hit; k++)
			hit = found.items[k].line == ex[i].line;
		if (ex[i].line == 0) {
			fail(failures, file->path, ex[i].note_line,
			     "annotation for %s%s is not followed by a code line", rule->id, "");
			failed++;
		} else if (ex[i].fires && !hit) {
			fail(failures, file->path, ex[i].line, "expected %s to fire here, it did not%s",
			     rule->id, "");
			failed++;
		} else if (!ex[i].fires && hit) {
			fail(failures, file->path, ex[i].line, "expected %s to stay silent, it fired%s",
			     rule->id, "");
			failed++;
		}
		for (size_t c = 0; c < ncov; c++) {
			if (cov[c].lang ? cov[c].lang != file->lang : cov[c].kind != kind)
				continue;
			if (ex[i].fires)
				cov[c].fires = true;
			else
				cov[c].silent = true;
		}
	}
	/* Findings nobody asked for: false positives. */
	for (size_t k = 0; k < found.len; k++) {
		bool expected = false;
		for (size_t i = 0; i < nex && !expected; i++) /* ok: lines were reported above */
			expected = ex[i].line == found.items[k].line;
		if (!expected) {
			fail(failures, file->path, found.items[k].line, "unexpected finding: %s [%s]",
			     found.items[k].message, rule->id);
			failed++;
		}
	}
	pl_findings_release(&found);
	pl_diags_release(&errors);
	free(ex);
	free(text);
	return failed;
}

/*
 * Repo rules are proven by small repositories: every sub-directory of the
 * rule's fixture directory is one, scanned whole with the fact definitions
 * and this rule. Annotations work as in file fixtures, across its files; a
 * case without `ruleid:` expects the rule to stay silent.
 */
/* A file of a fixture repository with the expectations it holds. */
typedef struct case_file {
	const char *path;
	const pl_language *lang;   /* for its comment syntax */
	expectation *ex;
	size_t nex;
} case_file;

/* Repo facts about a whole file sit on its line 1, where no annotation can
 * precede them: an annotation on line 1 also covers line 1 itself. */
static bool expectation_covers(const expectation *e, unsigned line)
{
	return e->line == line || (e->note_line == 1 && line == 1);
}

static size_t test_repo_case(const pl_ruleset *all, const pl_rule *rule, const char *case_dir,
			     bool *fires, bool *silent, pl_strbuf *failures, size_t *checked)
{
	pl_ruleset view = PL_RULESET_INIT;
	view.separate_queries = true; /* the queries are compiled: no merged copy per case */
	for (size_t i = 0; i < all->len; i++) {
		if (!pl_rule_is_fact(all->rules[i]) && all->rules[i] != rule)
			continue;
		PL_GROW(view.rules, view.cap, view.len + 1);
		view.rules[view.len++] = all->rules[i];
	}
	pl_scan_options opt = PL_SCAN_OPTIONS_INIT;
	opt.jobs = 1;
	opt.walk.no_ignore = true;
	pl_scan_result res = PL_SCAN_RESULT_INIT;
	size_t failed = 0;
	if (pl_scan(&view, case_dir, NULL, 0, &opt, &res) < 0) {
		pl_strbuf_addf(failures, "    %s: cannot scan\n", case_dir);
		failed++;
	}
	/* Expectations from every annotated file of the case, parsed or not
	 * (prompt files and the like carry `#` comments). */
	pl_file_list files = PL_FILE_LIST_INIT;
	pl_diags werr = PL_DIAGS_INIT;
	pl_walk_options wopt = PL_WALK_OPTIONS_INIT;
	wopt.no_ignore = true;
	pl_walk(case_dir, NULL, 0, &wopt, &files, &werr);
	static const pl_language hash_comments = { .name = "text", .line_comment = "#" };
	size_t nentries = files.len + files.others_len;
	case_file *entries = pl_xcalloc(nentries ? nentries : 1, sizeof(case_file));
	for (size_t i = 0; i < files.len; i++) {
		entries[i].path = files.items[i].path;
		entries[i].lang = files.items[i].lang;
	}
	for (size_t i = 0; i < files.others_len; i++) {
		entries[files.len + i].path = files.others[i];
		entries[files.len + i].lang = &hash_comments;
	}
	bool any_fires = false;
	for (size_t i = 0; i < nentries; i++) {
		char *fs = pl_path_join(case_dir, entries[i].path);
		char *text;
		size_t len;
		if (pl_read_file(fs, (size_t)64 << 20, &text, &len) == PL_READ_OK) {
			parse_expectations(text, len, entries[i].lang, rule->id, &entries[i].ex,
					   &entries[i].nex);
			free(text);
		}
		free(fs);
		for (size_t k = 0; k < entries[i].nex; k++) {
			const expectation *e = &entries[i].ex[k];
			(*checked)++;
			bool hit = false;
			for (size_t f = 0; f < res.findings.len && !hit; f++)
				hit = res.findings.items[f].rule == rule &&
				      expectation_covers(e, res.findings.items[f].line) &&
				      strcmp(res.findings.items[f].path, entries[i].path) == 0;
			if (e->fires) {
				any_fires = true;
				*fires = true;
			} else {
				*silent = true;
			}
			if (e->fires != hit) {
				char *shown = pl_path_join(case_dir, entries[i].path);
				fail(failures, shown, e->line, e->fires
				     ? "expected %s to fire here, it did not%s"
				     : "expected %s to stay silent, it fired%s", rule->id, "");
				free(shown);
				failed++;
			}
		}
	}
	/* Findings nobody annotated. */
	for (size_t f = 0; f < res.findings.len; f++) {
		const pl_finding *fi = &res.findings.items[f];
		if (fi->rule != rule)
			continue;
		bool annotated = false;
		for (size_t i = 0; i < nentries && !annotated; i++) {
			if (strcmp(entries[i].path, fi->path) != 0)
				continue;
			for (size_t k = 0; k < entries[i].nex; k++)
				annotated |= entries[i].ex[k].fires &&
					     expectation_covers(&entries[i].ex[k], fi->line);
		}
		if (!annotated) {
			char *shown = pl_path_join(case_dir, fi->path);
			fail(failures, shown, fi->line, "unexpected finding: %s [%s]", fi->message,
			     rule->id);
			free(shown);
			failed++;
		}
	}
	for (size_t i = 0; i < nentries; i++)
		free(entries[i].ex);
	free(entries);
	if (!any_fires && res.findings.len == 0)
		*silent = true; /* a clean case proves silence by itself */
	pl_file_list_release(&files);
	pl_diags_release(&werr);
	pl_scan_result_release(&res);
	pl_ruleset_drop_plans(&view);
	free(view.rules);
	return failed;
}

static size_t test_repo_rule(const pl_ruleset *all, const pl_rule *rule, const char *dir,
			     pl_strbuf *failures, size_t *checked, size_t *ncases)
{
	DIR *d = pl_xopendir(dir);
	if (!d)
		return 1;
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		char *p = pl_path_join(dir, de->d_name);
		struct stat st;
		if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
			PL_GROW(names, cap, n + 1);
			names[n++] = p;
		} else {
			free(p);
		}
	}
	closedir(d);
	qsort(names, n, sizeof(char *), cmp_paths);
	bool fires = false, silent = false;
	size_t failed = 0;
	for (size_t i = 0; i < n; i++) {
		failed += test_repo_case(all, rule, names[i], &fires, &silent, failures, checked);
		free(names[i]);
	}
	free(names);
	*ncases = n;
	if (!fires || !silent) {
		pl_strbuf_addf(failures, "    %s: needs a case repository where %s fires (ruleid:) "
			       "and one where it stays silent\n", dir, rule->id);
		failed++;
	}
	return failed;
}

static char *fixture_dir_for(const pl_rule *rule, const char *const *dirs, size_t ndirs)
{
	for (size_t i = 0; i < ndirs; i++) {
		char *d = pl_path_join(dirs[i], rule->id);
		struct stat st;
		if (stat(d, &st) == 0 && S_ISDIR(st.st_mode))
			return d;
		free(d);
	}
	return NULL;
}

void pl_fixtures_run(const pl_ruleset *rules, const char *const *dirs, size_t ndirs,
		     pl_strbuf *out, pl_fixture_summary *summary)
{
	memset(summary, 0, sizeof(*summary));
	TSParser *parser = ts_parser_new();
	for (size_t r = 0; r < rules->len; r++) {
		const pl_rule *rule = rules->rules[r];
		if (pl_rule_is_fact(rule))
			continue; /* facts are proven through the repo rules that use them */
		pl_strbuf failures = PL_STRBUF_INIT;
		size_t failed = 0, checked = 0, nfiles = 0;
		lang_coverage cov[16];
		size_t ncov = 0;
		/* The meta rules have no matcher: their fixtures are files with suppression
		 * comments in any language, scanned with every rule loaded. */
		bool engine = pl_rule_id_is_engine(rule->id);
		if (engine)
			cov[ncov++] = (lang_coverage){ NULL, PL_KIND_NONE, false, false };
		for (size_t m = 0; m < rule->matchers_len && ncov < 16; m++) {
			bool seen = false;
			for (size_t c = 0; c < ncov; c++)
				seen |= cov[c].lang == rule->matchers[m].language;
			if (!seen)
				cov[ncov++] = (lang_coverage){ rule->matchers[m].language, PL_KIND_NONE,
							       false, false };
		}
		for (int k = 1; k < PL_KIND_COUNT && ncov < 16; k++)
			if (rule->config_kinds & (1u << k))
				cov[ncov++] = (lang_coverage){ NULL, (pl_file_kind)k, false, false };
		char *dir = fixture_dir_for(rule, dirs, ndirs);
		if (!dir) {
			pl_strbuf_addf(&failures, "    no fixtures: expected a directory %s/%s/\n",
				       ndirs ? dirs[0] : "fixtures", rule->id);
			failed++;
		} else if (rule->repo) {
			failed += test_repo_rule(rules, rule, dir, &failures, &checked, &nfiles);
			free(dir);
		} else {
			pl_file_list files = PL_FILE_LIST_INIT;
			pl_diags werr = PL_DIAGS_INIT;
			pl_walk_options wopt = PL_WALK_OPTIONS_INIT;
			wopt.no_ignore = true;
			const char *paths[1] = { dir };
			pl_walk(".", paths, 1, &wopt, &files, &werr);
			for (size_t i = 0; i < werr.len; i++) {
				pl_strbuf_addf(&failures, "    %s: %s\n", werr.items[i].path,
					       werr.items[i].message);
				failed++;
			}
			for (size_t i = 0; i < files.len; i++) {
				if (!engine && !pl_rule_applies_to(rule, files.items[i].lang))
					continue;
				nfiles++;
				failed += test_file(rule, engine ? rules : NULL, &files.items[i], parser,
						    cov, ncov, &failures, &checked);
			}
			pl_file_list_release(&files);
			pl_diags_release(&werr);
			for (size_t c = 0; c < ncov; c++) {
				if (!cov[c].fires || !cov[c].silent) {
					pl_strbuf_addf(&failures,
						       "    %s: no %s fixture line%s%s%s for %s\n", dir,
						       coverage_name(&cov[c]),
						       !cov[c].fires ? " that fires (ruleid:)" : "",
						       !cov[c].fires && !cov[c].silent ? " and none" : "",
						       !cov[c].silent ? " that stays silent (ok:)" : "",
						       rule->id);
					failed++;
				}
			}
			free(dir);
		}
		summary->expectations += checked;
		if (failed) {
			summary->rules_failed++;
			pl_strbuf_addf(out, "FAIL %s (%zu problem%s)\n%s", rule->id, failed,
				       failed == 1 ? "" : "s", failures.buf);
		} else {
			summary->rules_passed++;
			const char *unit = rule->repo ? "repositor" : "file";
			pl_strbuf_addf(out, "ok   %s (%zu %s%s, %zu expectation%s)\n", rule->id, nfiles,
				       unit, rule->repo ? (nfiles == 1 ? "y" : "ies") : (nfiles == 1 ? "" : "s"),
				       checked, checked == 1 ? "" : "s");
		}
		pl_strbuf_release(&failures);
	}
	ts_parser_delete(parser);
}

/* prodlint [scan]: walk, match, report, and turn the result into an exit code. */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "baseline/baseline.h"
#include "cache/cache.h"
#include "cli/cli.h"
#include "git/git.h"
#include "project/project.h"
#include "report/report.h"
#include "rule/profile.h"
#include "scan/scan.h"
#include "util/fs.h"
#include "util/mem.h"
#include "util/xalloc.h"

typedef struct scan_args {
	pl_rule_sources rules;
	const char *format;
	const char *output;
	const char **select;
	size_t nselect, capselect;
	const char **ignore;
	size_t nignore, capignore;
	pl_severity fail_on;
	const char *color;
	bool quiet, stats;
	pl_scan_options scan;
	/* .prodlint.yaml and baselines (SPEC 6) */
	const char *config;              /* --config; NULL: discover */
	const char *baseline;            /* --baseline */
	const char *write_baseline;      /* --write-baseline */
	bool fail_on_set;                /* --fail-on given: it beats the file's */
	/* What to report on (SPEC 1) and the cache (src/cache/) */
	bool staged;                     /* --staged */
	const char *changed_since;       /* --changed-since REF */
	bool no_cache;                   /* --no-cache, or $PRODLINT_NO_CACHE */
	bool separate_queries;           /* --separate-queries */
	bool profile_rules;              /* --profile-rules */
} scan_args;

enum {
	OPT_RULES = 256, OPT_NO_BUILTIN, OPT_SELECT, OPT_IGNORE, OPT_FAIL_ON, OPT_NO_IGNORE,
	OPT_MAX_FILE_SIZE, OPT_COLOR, OPT_STATS, OPT_NO_PREFILTER, OPT_SEPARATE_QUERIES, OPT_PROFILE_RULES,
	OPT_NO_INLINE_SUPPRESSIONS,
	OPT_CONFIG, OPT_BASELINE, OPT_WRITE_BASELINE,
	OPT_STAGED, OPT_CHANGED_SINCE, OPT_NO_CACHE, OPT_MAX_MEMORY,
};

static const struct option long_options[] = {
	{ "format", required_argument, NULL, 'f' },
	{ "output", required_argument, NULL, 'o' },
	{ "rules", required_argument, NULL, OPT_RULES },
	{ "no-builtin-rules", no_argument, NULL, OPT_NO_BUILTIN },
	{ "select", required_argument, NULL, OPT_SELECT },
	{ "ignore", required_argument, NULL, OPT_IGNORE },
	{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
	{ "jobs", required_argument, NULL, 'j' },
	{ "no-ignore", no_argument, NULL, OPT_NO_IGNORE },
	{ "max-file-size", required_argument, NULL, OPT_MAX_FILE_SIZE },
	{ "color", required_argument, NULL, OPT_COLOR },
	{ "quiet", no_argument, NULL, 'q' },
	{ "stats", no_argument, NULL, OPT_STATS },
	{ "no-prefilter", no_argument, NULL, OPT_NO_PREFILTER },
	{ "separate-queries", no_argument, NULL, OPT_SEPARATE_QUERIES },
	{ "profile-rules", no_argument, NULL, OPT_PROFILE_RULES },
	{ "no-inline-suppressions", no_argument, NULL, OPT_NO_INLINE_SUPPRESSIONS },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "baseline", required_argument, NULL, OPT_BASELINE },
	{ "write-baseline", required_argument, NULL, OPT_WRITE_BASELINE },
	{ "staged", no_argument, NULL, OPT_STAGED },
	{ "changed-since", required_argument, NULL, OPT_CHANGED_SINCE },
	{ "no-cache", no_argument, NULL, OPT_NO_CACHE },
	{ "max-memory", required_argument, NULL, OPT_MAX_MEMORY },
	{ NULL, 0, NULL, 0 },
};

static int parse_count(const char *opt, const char *s, unsigned long long max,
		       unsigned long long *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || v > max) {
		pl_cli_error("invalid value '%s' for %s: expected a number up to %llu", s, opt, max);
		return -1;
	}
	*out = v;
	return 0;
}

static int parse_args(int argc, char **argv, scan_args *a, int *first_path)
{
	opterr = 0;
	optind = 1;
	int c;
	unsigned long long v;
	while ((c = getopt_long(argc, argv, ":f:o:j:q", long_options, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (!pl_reporter_by_name(optarg)) {
				pl_strbuf names = PL_STRBUF_INIT;
				pl_reporter_names(&names);
				pl_cli_error("unknown format '%s' (known: %s)", optarg, names.buf);
				pl_strbuf_release(&names);
				return -1;
			}
			a->format = optarg;
			break;
		case 'o':
			a->output = optarg;
			break;
		case 'j':
			if (parse_count("--jobs", optarg, 1024, &v) < 0)
				return -1;
			a->scan.jobs = (unsigned)v;
			break;
		case 'q':
			a->quiet = true;
			break;
		case OPT_RULES:
			PL_GROW(a->rules.paths, a->rules.cap, a->rules.len + 1);
			a->rules.paths[a->rules.len++] = optarg;
			break;
		case OPT_NO_BUILTIN:
			a->rules.no_builtin = true;
			break;
		case OPT_SELECT:
			PL_GROW(a->select, a->capselect, a->nselect + 1);
			a->select[a->nselect++] = optarg;
			break;
		case OPT_IGNORE:
			PL_GROW(a->ignore, a->capignore, a->nignore + 1);
			a->ignore[a->nignore++] = optarg;
			break;
		case OPT_FAIL_ON:
			if (strcmp(optarg, "none") == 0) {
				a->fail_on = PL_SEVERITY_NONE;
			} else if (pl_severity_parse(optarg, &a->fail_on) < 0) {
				pl_cli_error("invalid value '%s' for --fail-on: expected error, warning, "
					     "note or none", optarg);
				return -1;
			}
			a->fail_on_set = true;
			break;
		case OPT_NO_IGNORE:
			a->scan.walk.no_ignore = true;
			break;
		case OPT_MAX_FILE_SIZE:
			if (parse_count("--max-file-size", optarg, (unsigned long long)1 << 40, &v) < 0)
				return -1;
			a->scan.walk.max_file_size = (size_t)v;
			break;
		case OPT_COLOR:
			if (strcmp(optarg, "auto") && strcmp(optarg, "always") && strcmp(optarg, "never")) {
				pl_cli_error("invalid value '%s' for --color: expected auto, always or never",
					     optarg);
				return -1;
			}
			a->color = optarg;
			break;
		case OPT_STATS:
			a->stats = true;
			break;
		case OPT_NO_PREFILTER:
			a->scan.no_prefilter = true;
			break;
		case OPT_SEPARATE_QUERIES:
			a->separate_queries = true;
			break;
		case OPT_PROFILE_RULES:
			a->profile_rules = a->separate_queries = true;
			break;
		case OPT_NO_INLINE_SUPPRESSIONS:
			a->scan.no_inline_suppressions = true;
			break;
		case OPT_CONFIG:
			a->config = optarg;
			break;
		case OPT_BASELINE:
			a->baseline = optarg;
			break;
		case OPT_WRITE_BASELINE:
			a->write_baseline = optarg;
			break;
		case OPT_STAGED:
			a->staged = true;
			break;
		case OPT_CHANGED_SINCE:
			a->changed_since = optarg;
			break;
		case OPT_NO_CACHE:
			a->no_cache = true;
			break;
		case OPT_MAX_MEMORY: {
			size_t limit;
			if (pl_mem_parse_size(optarg, &limit) < 0) {
				pl_cli_error("invalid value '%s' for --max-memory: expected a size such as "
					     "512M or 2G", optarg);
				return -1;
			}
			pl_xalloc_set_limit(limit); /* the process's ceiling, from here on */
			break;
		}
		case ':':
			pl_cli_error("option '%s' needs a value", argv[optind - 1]);
			return -1;
		default:
			pl_cli_error("unknown option '%s' (see prodlint --help)", argv[optind - 1]);
			return -1;
		}
	}
	*first_path = optind;
	if (a->staged && a->changed_since) {
		pl_cli_error("--staged and --changed-since cannot be combined");
		return -1;
	}
	if ((a->staged || a->changed_since) && a->write_baseline) {
		pl_cli_error("--write-baseline records a full scan: drop %s",
			     a->staged ? "--staged" : "--changed-since");
		return -1;
	}
	return 0;
}

static bool keep_rule(const pl_rule *rule, void *ctx)
{
	const scan_args *a = ctx;
	if (pl_rule_is_fact(rule))
		return true; /* facts feed repo rules whatever is selected */
	bool keep = a->nselect == 0;
	for (size_t i = 0; i < a->nselect && !keep; i++)
		keep = pl_rule_pattern_matches(a->select[i], rule);
	for (size_t i = 0; i < a->nignore && keep; i++)
		keep = !pl_rule_pattern_matches(a->ignore[i], rule);
	return keep;
}

static bool use_color(const scan_args *a)
{
	if (strcmp(a->color, "always") == 0)
		return true;
	if (strcmp(a->color, "never") == 0 || a->output)
		return false;
	const char *no_color = getenv("NO_COLOR");
	const char *term = getenv("TERM");
	return isatty(STDOUT_FILENO) && !(no_color && *no_color) && !(term && strcmp(term, "dumb") == 0);
}

static void print_stats(const pl_scan_result *r, size_t nrules)
{
	const pl_scan_stats *s = &r->stats;
	fprintf(stderr,
		"prodlint: %zu files scanned (%.1f MiB), %zu rules, %.0f ms; skipped: %zu ignored, "
		"%zu binary, %zu too large, %zu minified, %zu unsupported, %zu special, %zu with no "
		"rule for them\n",
		s->files, (double)s->bytes / (1024.0 * 1024.0), nrules, s->ms, s->ignored, s->binary,
		s->too_large, s->minified, s->unsupported, s->special, s->no_rules);
	if (r->targeted)
		fprintf(stderr, "prodlint: reported on %zu file%s%s; %zu other file%s read for "
				"repository facts\n",
			r->ntargets, r->ntargets == 1 ? "" : "s",
			r->line_filtered ? " (changed lines only)" : "", s->context,
			s->context == 1 ? "" : "s");
	fprintf(stderr, "prodlint: %zu code file%s parsed; the prefilter ruled out the others\n",
		s->parsed, s->parsed == 1 ? "" : "s");
}

/* The cache line of --stats: silent when the user turned it off. */
static void print_cache_stats(const pl_cache *cache, const char *off_reason)
{
	if (!cache) {
		if (off_reason)
			fprintf(stderr, "prodlint: cache off: %s\n", off_reason);
		return;
	}
	pl_cache_stats st;
	pl_cache_get_stats(cache, &st);
	fprintf(stderr, "prodlint: cache: %zu hit%s, %zu miss%s, %zu written", st.hits,
		st.hits == 1 ? "" : "s", st.misses, st.misses == 1 ? "" : "es", st.writes);
	if (st.write_errors)
		fprintf(stderr, ", %zu not written", st.write_errors);
	if (st.corrupt)
		fprintf(stderr, ", %zu unusable", st.corrupt);
	fprintf(stderr, " (%s)\n", pl_cache_generation_dir(cache));
}

/* Suppression expiry is judged against $PRODLINT_TODAY (tests) or the local date,
 * read once here so a bad value is a usage error rather than a silent fallback. */
static int suppression_today(scan_args *a)
{
	if (a->scan.no_inline_suppressions)
		return 0;
	int today;
	if (pl_suppress_today(&today) < 0) {
		pl_cli_error("invalid PRODLINT_TODAY '%s': expected a date as YYYY-MM-DD",
			     getenv("PRODLINT_TODAY"));
		return -1;
	}
	a->scan.today = today;
	return 0;
}

static void print_suppression_stats(const pl_scan_result *r, const scan_args *a)
{
	if (a->scan.no_inline_suppressions)
		fprintf(stderr, "prodlint: inline suppressions ignored (--no-inline-suppressions)\n");
	else
		fprintf(stderr, "prodlint: %zu finding%s suppressed inline\n", r->stats.suppressed,
			r->stats.suppressed == 1 ? "" : "s");
}

/* ---- .prodlint.yaml and baselines (SPEC 6) ----------------------------------- */

/*
 * Find and load the project configuration (--config, else discovery from
 * the scan root), then merge it under the command line: where both speak
 * the command line wins (--fail-on, --baseline, --no-builtin-rules),
 * --select replaces the file's list, --ignore and --rules add to the
 * file's. The merged lists borrow strings from proj, which lives until the
 * end of the run. Without a file nothing happens and nothing is printed.
 */
static int project_setup(scan_args *a, const char *root, pl_project *proj)
{
	char *path = a->config ? pl_xstrdup(a->config) : pl_project_discover(root);
	if (!path)
		return 0;
	pl_diags diags = PL_DIAGS_INIT;
	int rc = pl_project_load(proj, path, &diags);
	pl_diags_print(&diags, stderr, "error");
	pl_diags_release(&diags);
	free(path);
	if (rc < 0)
		return -1;
	if (proj->nrules) {
		/* The file's rules first: a duplicate id is then reported at --rules. */
		PL_GROW(a->rules.paths, a->rules.cap, a->rules.len + proj->nrules);
		memmove(a->rules.paths + proj->nrules, a->rules.paths,
			a->rules.len * sizeof(*a->rules.paths));
		for (size_t i = 0; i < proj->nrules; i++)
			a->rules.paths[i] = proj->rules[i];
		a->rules.len += proj->nrules;
	}
	if (proj->builtin_rules == 0)
		a->rules.no_builtin = true;
	if (a->nselect == 0 && proj->nselect) {
		PL_GROW(a->select, a->capselect, proj->nselect);
		for (size_t i = 0; i < proj->nselect; i++)
			a->select[i] = proj->select[i].pattern;
		a->nselect = proj->nselect;
	}
	for (size_t i = 0; i < proj->nignore; i++) {
		PL_GROW(a->ignore, a->capignore, a->nignore + 1);
		a->ignore[a->nignore++] = proj->ignore[i].pattern;
	}
	if (!a->fail_on_set && proj->has_fail_on)
		a->fail_on = proj->fail_on;
	if (!a->baseline)
		a->baseline = proj->baseline;
	/* The root exists (it was stat'ed), so it resolves; if it did not, the
	 * file's paths would simply match nothing. */
	if (pl_project_bind_root(proj, root) == 0 && proj->exclude) {
		a->scan.walk.exclude = pl_project_exclude_cb;
		a->scan.walk.exclude_ctx = proj;
	}
	return 0;
}

/* The config's checks that need the rules, then its severity overrides. */
static int project_rules(pl_project *proj, pl_ruleset *rules)
{
	pl_diags diags = PL_DIAGS_INIT;
	int rc = pl_project_check_rules(proj, rules, &diags);
	pl_diags_print(&diags, stderr, "error");
	pl_diags_release(&diags);
	if (rc == 0)
		pl_project_apply_severity(proj, rules);
	return rc;
}

/* Attestations as the markdown scorecard shows them; caller frees the array. */
static pl_report_attestation *report_attestations(const pl_project *proj)
{
	if (!proj->nattest)
		return NULL;
	pl_report_attestation *out = pl_xcalloc(proj->nattest, sizeof(*out));
	for (size_t i = 0; i < proj->nattest; i++) {
		const pl_project_attest *at = &proj->attest[i];
		out[i] = (pl_report_attestation){
			.checklist = at->checklist,
			.nchecklist = at->nchecklist,
			.reason = at->reason,
			.source = proj->path,
			.line = at->line,
			.silenced = at->hits,
		};
	}
	return out;
}

/* Read the baseline before scanning, so a bad one fails fast. --write-baseline
 * replaces any baseline: the run records the present instead of comparing. */
static int baseline_load(const scan_args *a, pl_baseline *b)
{
	if (a->write_baseline || !a->baseline)
		return 0;
	pl_diags diags = PL_DIAGS_INIT;
	int rc = pl_baseline_load(b, a->baseline, &diags);
	pl_diags_print(&diags, stderr, "error");
	pl_diags_release(&diags);
	return rc;
}

/* What this run could have seen: a baseline entry of a rule that did not
 * run, or of a file outside the paths named, has not gone away. */
typedef struct baseline_scope {
	const pl_ruleset *rules;
	const char *const *paths;
	size_t npaths;
	const pl_scan_result *result;    /* a targeted scan knows whole target files only */
} baseline_scope;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Is `path` (as findings show it) `arg` or below it? `arg` is a path named on
 * the command line, relative to the current directory (the root then). */
static bool path_under(const char *path, const char *arg)
{
	while (arg[0] == '.' && arg[1] == '/')
		arg += 2;
	size_t n = strlen(arg);
	while (n > 0 && arg[n - 1] == '/')
		n--;
	if (n == 0 || (n == 1 && arg[0] == '.'))
		return true;
	return strncmp(path, arg, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static bool baseline_in_scope(const pl_baseline_entry *e, void *ctx)
{
	const baseline_scope *sc = ctx;
	const pl_rule *rule = pl_ruleset_find(sc->rules, e->rule);
	if (!rule)
		return false;
	if (sc->result->targeted) {
		/* Repository-level findings are reported only when a change is part
		 * of them, and with changed lines nothing else is known either. */
		if (rule->repo || sc->result->line_filtered)
			return false;
		const char *path = e->path;
		return sc->result->ntargets &&
		       bsearch(&path, sc->result->targets, sc->result->ntargets, sizeof(char *),
			       cmp_str) != NULL;
	}
	for (size_t i = 0; i < sc->npaths; i++)
		if (path_under(e->path, sc->paths[i]))
			return true;
	return sc->npaths == 0;
}

static bool drop_all(const pl_finding *f, void *ctx)
{
	(void)f;
	(void)ctx;
	return false;
}

/*
 * --write-baseline: record every finding left after suppressions, then
 * report as if that baseline applied (everything is accepted: exit 0 unless
 * the scan is incomplete). Else, with a baseline, drop what it holds and
 * count the entries that went away. *used says whether either happened.
 */
static int baseline_apply(const scan_args *a, pl_baseline *b, const baseline_scope *scope,
			  pl_findings *findings, pl_report_baseline *out, bool *used)
{
	if (a->write_baseline) {
		if (pl_baseline_write(findings, a->write_baseline) < 0) {
			pl_cli_error("cannot write baseline '%s': %s", a->write_baseline,
				     strerror(errno));
			return -1;
		}
		out->matched = pl_findings_filter(findings, drop_all, NULL);
		*used = true;
		return 0;
	}
	if (!a->baseline)
		return 0;
	out->matched = pl_baseline_apply(b, findings);
	out->gone = pl_baseline_gone(b, baseline_in_scope, (void *)scope);
	*used = true;
	return 0;
}

/* After the report, on stderr for every format (stdout stays the format's
 * own, and the text summary line keeps the shape SPEC 2 gives it). */
static void print_baseline_note(const scan_args *a, const pl_report_baseline *b)
{
	if (a->quiet)
		return;
	if (a->write_baseline) {
		fprintf(stderr, "prodlint: wrote %zu finding%s to the baseline '%s'\n", b->matched,
			b->matched == 1 ? "" : "s", a->write_baseline);
		return;
	}
	fprintf(stderr, "prodlint: %zu finding%s matched the baseline", b->matched,
		b->matched == 1 ? "" : "s");
	if (b->gone)
		fprintf(stderr, "; %zu baseline entr%s no longer occur%s: rewrite the baseline with "
				"--write-baseline to ratchet it down",
			b->gone, b->gone == 1 ? "y" : "ies", b->gone == 1 ? "s" : "");
	fputc('\n', stderr);
}

static void print_project_stats(const pl_project *proj)
{
	if (!proj->path)
		return;
	size_t ignored = 0, attested = 0;
	for (size_t i = 0; i < proj->nignore_findings; i++)
		ignored += proj->ignore_findings[i].hits;
	for (size_t i = 0; i < proj->nattest; i++)
		attested += proj->attest[i].hits;
	fprintf(stderr, "prodlint: config '%s': %zu finding%s dropped by ignore-findings, %zu by "
			"attestations\n",
		proj->path, ignored, ignored == 1 ? "" : "s", attested);
}

/* ---- what to report on: --staged, --changed-since, file arguments (SPEC 1) ---- */

/*
 * The earlier content of a target, for the scan's before/after look at
 * repository-level findings (scan.h): from the change list with --staged
 * and --changed-since; from HEAD for file arguments, the repository opened
 * on first use (most runs never ask).
 */
typedef struct base_source {
	const pl_git_changes *changes;   /* git modes; else NULL */
	const char *root;                /* file arguments: the scan root */
	pl_git *git;                     /* owned; opened lazily */
	bool tried;
	char *prefix;                    /* owned: root below the work tree top, "" or "dir/" */
} base_source;

static int cmp_change_path(const void *key, const void *item)
{
	return strcmp(key, ((const pl_git_change *)item)->path);
}

static int read_base(void *ctx, const char *path, char **text, size_t *len)
{
	base_source *b = ctx;
	if (b->changes) {
		const pl_git_change *c = b->changes->len ? bsearch(path, b->changes->items,
								   b->changes->len,
								   sizeof(pl_git_change),
								   cmp_change_path)
							 : NULL;
		if (!c)
			return -1;
		if (!c->has_base)
			return 0;
		*text = pl_xmalloc(c->base_len + 1);
		memcpy(*text, c->base_text, c->base_len + 1);
		*len = c->base_len;
		return 1;
	}
	if (path[0] == '/' || strncmp(path, "../", 3) == 0)
		return -1; /* named outside the root: not part of the repository */
	if (!b->tried) {
		b->tried = true;
		pl_diags ignored = PL_DIAGS_INIT;
		b->git = pl_git_open(b->root, &ignored);
		pl_diags_release(&ignored);
		char *real = b->git ? pl_xrealpath(b->root) : NULL;
		const char *top = b->git ? pl_git_top(b->git) : "";
		size_t n = strlen(top);
		if (real && strncmp(real, top, n) == 0 && (real[n] == '/' || real[n] == '\0')) {
			pl_strbuf sb = PL_STRBUF_INIT;
			if (real[n] == '/')
				pl_strbuf_addf(&sb, "%s/", real + n + 1);
			b->prefix = pl_strbuf_detach(&sb);
		}
		free(real);
	}
	if (!b->git || !b->prefix)
		return -1;
	char *full = pl_xmalloc(strlen(b->prefix) + strlen(path) + 1);
	strcpy(full, b->prefix);
	strcat(full, path);
	int rc = pl_git_read_head(b->git, full, text, len);
	free(full);
	return rc;
}

static void print_git_errors(const char *opt, const pl_diags *d)
{
	for (size_t i = 0; i < d->len; i++) {
		if (d->items[i].path)
			pl_cli_error("%s: '%s': %s", opt, d->items[i].path, d->items[i].message);
		else
			pl_cli_error("%s: %s", opt, d->items[i].message);
	}
}

/*
 * --staged / --changed-since: the changes under the paths named (relative
 * to the current directory; none: all), as scan targets borrowing from
 * `changes`. Returns the targets (caller frees the array) and their number
 * in *ntargets; *ok is false after an error (printed).
 */
static pl_scan_target *git_targets(const scan_args *a, pl_git *git, pl_git_changes *changes,
				   const char *const *paths, size_t npaths, size_t *ntargets,
				   bool *ok)
{
	const char *opt = a->staged ? "--staged" : "--changed-since";
	pl_diags d = PL_DIAGS_INIT;
	int rc = a->staged ? pl_git_staged(git, changes, &d)
			   : pl_git_changed_since(git, a->changed_since, changes, &d);
	print_git_errors(opt, &d);
	pl_diags_release(&d);
	*ok = rc == 0;
	if (rc < 0)
		return NULL;
	const char *top = pl_git_top(git);
	size_t ntop = strlen(top);
	char **prefixes = pl_xcalloc(npaths ? npaths : 1, sizeof(char *));
	for (size_t i = 0; i < npaths && *ok; i++) {
		char *real = pl_xrealpath(paths[i]);
		if (!real || strncmp(real, top, ntop) != 0 || (real[ntop] != '/' && real[ntop])) {
			pl_cli_error("%s: '%s' is outside the repository '%s'", opt, paths[i], top);
			*ok = false;
		} else {
			prefixes[i] = pl_xstrdup(real[ntop] ? real + ntop + 1 : "");
		}
		free(real);
	}
	pl_scan_target *targets = NULL;
	size_t n = 0;
	if (*ok) {
		targets = pl_xcalloc(changes->len ? changes->len : 1, sizeof(pl_scan_target));
		for (size_t i = 0; i < changes->len; i++) {
			const pl_git_change *c = &changes->items[i];
			bool keep = npaths == 0;
			for (size_t k = 0; k < npaths && !keep; k++)
				keep = path_under(c->path, prefixes[k]);
			if (keep)
				targets[n++] = (pl_scan_target){ c->path, c->deleted, c->text, c->len,
								 c->all_lines ? NULL : &c->lines };
		}
	}
	for (size_t i = 0; i < npaths; i++)
		free(prefixes[i]);
	free(prefixes);
	*ntargets = n;
	return targets;
}

static bool env_no_cache(void)
{
	const char *v = getenv("PRODLINT_NO_CACHE");
	return v && *v && strcmp(v, "0") != 0;
}

/* The walk of the root, on a thread of its own while the rules load (the
 * two take about as long), when the scan will use more than one thread. */
typedef struct prewalk {
	pthread_t thread;
	bool started, joined;
	const char *root;
	const pl_walk_options *opt;
	pl_walked out;
} prewalk;

static void *prewalk_run(void *arg)
{
	prewalk *w = arg;
	w->out.rc = pl_walk(w->root, NULL, 0, w->opt, &w->out.files, &w->out.diags);
	return NULL;
}

static void prewalk_start(prewalk *w, const char *root, const pl_scan_options *scan)
{
	if (pl_scan_threads(scan) < 2)
		return;
	w->root = root;
	w->opt = &scan->walk;
	w->started = pthread_create(&w->thread, NULL, prewalk_run, w) == 0;
}

/* The walk, once done; NULL if it was not started. */
static pl_walked *prewalk_join(prewalk *w)
{
	if (!w->started)
		return NULL;
	if (!w->joined) {
		pthread_join(w->thread, NULL);
		w->joined = true;
	}
	return &w->out;
}

int pl_cmd_scan(int argc, char **argv)
{
	scan_args a = {
		.format = "text",
		.fail_on = PL_SEVERITY_WARNING,
		.color = "auto",
		.scan = PL_SCAN_OPTIONS_INIT,
	};
	int first = 0, rc = PL_EXIT_USAGE;
	pl_ruleset rules = PL_RULESET_INIT;
	pl_scan_result result = PL_SCAN_RESULT_INIT;
	pl_strbuf out = PL_STRBUF_INIT;
	pl_project proj = PL_PROJECT_INIT;
	pl_baseline base = PL_BASELINE_INIT;
	pl_report_baseline baseline_counts = { 0, 0 };
	bool baseline_used = false;
	pl_report_attestation *attestations = NULL;
	pl_git *git = NULL;
	pl_git_changes changes = PL_GIT_CHANGES_INIT;
	pl_scan_target *targets = NULL;
	base_source bsrc = { NULL, NULL, NULL, false, NULL };
	pl_scan_base scan_base = { read_base, &bsrc };
	pl_cache *cache = NULL;
	pl_rule_profile *profile = NULL;
	pl_scan_cache cache_hooks;
	const char *cache_off = NULL;
	prewalk walk = { .out = { 0, PL_FILE_LIST_INIT, PL_DIAGS_INIT } };

	if (parse_args(argc, argv, &a, &first) < 0 || suppression_today(&a) < 0)
		goto cleanup;

	/* One directory argument is the scan root; otherwise paths are relative to here. */
	const char *root = ".";
	const char *const *paths = (const char *const *)argv + first;
	size_t npaths = (size_t)(argc - first);
	struct stat st;
	for (size_t i = 0; i < npaths; i++) {
		if (stat(paths[i], &st) < 0) {
			pl_cli_error("cannot read '%s': %s", paths[i], strerror(errno));
			goto cleanup;
		}
	}
	if (a.staged || a.changed_since) {
		/* The repository is the work tree: its top is the root, and the
		 * paths named only narrow what is reported. */
		pl_diags d = PL_DIAGS_INIT;
		git = pl_git_open(".", &d);
		print_git_errors(a.staged ? "--staged" : "--changed-since", &d);
		pl_diags_release(&d);
		if (!git)
			goto cleanup;
		root = pl_git_top(git);
	} else if (npaths == 1 && stat(paths[0], &st) == 0 && S_ISDIR(st.st_mode)) {
		root = paths[0];
		npaths = 0;
	}

	/* The project's configuration is found from the root and may add rules;
	 * its excludes apply to the walk, which an untargeted scan starts now. */
	if (project_setup(&a, root, &proj) < 0)
		goto cleanup;
	if (!git && npaths == 0)
		prewalk_start(&walk, root, &a.scan);
	if (pl_cli_load_rules(&a.rules, &rules) < 0 || project_rules(&proj, &rules) < 0 ||
	    baseline_load(&a, &base) < 0)
		goto cleanup;
	for (size_t i = 0; i < a.nselect; i++) {
		bool any = false;
		for (size_t k = 0; k < rules.len && !any; k++)
			any = !pl_rule_is_fact(rules.rules[k]) &&
			      pl_rule_pattern_matches(a.select[i], rules.rules[k]);
		if (!any) {
			pl_cli_error("--select '%s' matches no rule", a.select[i]);
			goto cleanup;
		}
	}
	pl_ruleset_filter(&rules, keep_rule, &a);
	rules.separate_queries = a.separate_queries;

	/* What to report on. */
	if (git) {
		bool ok;
		targets = git_targets(&a, git, &changes, paths, npaths, &a.scan.ntargets, &ok);
		if (!ok)
			goto cleanup;
		a.scan.targeted = true;
		a.scan.targets = targets;
		paths = NULL;
		npaths = 0;
		bsrc.changes = &changes;
	}
	bsrc.root = root;
	if (a.scan.targeted || npaths)
		a.scan.base = &scan_base;

	/* The cache, keyed by the rules as they run (src/cache/). --no-prefilter
	 * and --separate-queries exist to prove a fresh scan: no cache. */
	if (!a.no_cache && !env_no_cache() && !a.scan.no_prefilter && !a.separate_queries &&
	    !a.profile_rules) {
		char *dir = pl_cache_default_dir();
		cache = pl_cache_open(dir, &rules, root, &cache_off);
		free(dir);
		if (cache) {
			cache_hooks = pl_cache_hooks(cache);
			a.scan.cache = &cache_hooks;
		}
	}

	if (a.profile_rules)
		rules.profile = profile = pl_rule_profile_new(&rules);
	a.scan.walked = prewalk_join(&walk);
	if (pl_scan(&rules, root, paths, npaths, &a.scan, &result) < 0) {
		pl_diags_print(&result.errors, stderr, "error");
		goto cleanup;
	}
	if (profile)
		pl_rule_profile_print(profile, stderr, 25);

	/* Config ignores and attestations, then the baseline, which records and
	 * compares what is left (SPEC 6). */
	pl_project_filter(&proj, &result.findings);
	baseline_scope scope = { &rules, paths, npaths, &result };
	if (baseline_apply(&a, &base, &scope, &result.findings, &baseline_counts, &baseline_used) < 0)
		goto cleanup;
	attestations = report_attestations(&proj);

	/* Reporters see the rules users know; fact definitions are plumbing. */
	pl_ruleset reported = PL_RULESET_INIT;
	for (size_t i = 0; i < rules.len; i++) {
		if (pl_rule_is_fact(rules.rules[i]))
			continue;
		PL_GROW(reported.rules, reported.cap, reported.len + 1);
		reported.rules[reported.len++] = rules.rules[i];
	}
	pl_report_context ctx = {
		.rules = &reported,
		.result = &result,
		.color = use_color(&a),
		.show_source = !a.output && isatty(STDOUT_FILENO),
		.baseline = baseline_used ? &baseline_counts : NULL,
		.attestations = attestations,
		.nattestations = proj.nattest,
	};
	const pl_reporter *reporter = pl_reporter_by_name(a.format);
	reporter->render(&ctx, &out);
	free(reported.rules); /* borrowed rules: only the array is ours */
	if (a.quiet && strcmp(a.format, "text") == 0) {
		/* Drop the summary: the last line. */
		size_t end = out.len > 1 ? out.len - 1 : 0;
		while (end > 0 && out.buf[end - 1] != '\n')
			end--;
		out.len = end;
		out.buf[out.len] = '\0';
	}
	if (a.output) {
		if (pl_write_file_atomic(a.output, out.buf, out.len) < 0) {
			pl_cli_error("cannot write '%s': %s", a.output, strerror(errno));
			goto cleanup;
		}
	} else {
		fwrite(out.buf, 1, out.len, stdout);
		fflush(stdout);
	}
	if (!a.quiet)
		pl_diags_print(&result.skipped, stderr, "note");
	pl_diags_print(&result.errors, stderr, "error");
	if (a.stats) {
		print_stats(&result, rules.len);
		print_suppression_stats(&result, &a);
		print_project_stats(&proj);
		print_cache_stats(cache, cache_off);
	}
	if (baseline_used)
		print_baseline_note(&a, &baseline_counts);

	rc = PL_EXIT_CLEAN;
	if (a.fail_on != PL_SEVERITY_NONE)
		for (size_t i = 0; i < result.findings.len; i++)
			if (result.findings.items[i].rule->severity >= a.fail_on)
				rc = PL_EXIT_FINDINGS;
	if (result.errors.len) {
		if (!a.quiet)
			pl_cli_error("the scan is incomplete: %zu file%s could not be scanned",
				     result.errors.len, result.errors.len == 1 ? "" : "s");
		rc = PL_EXIT_INCOMPLETE;
	}

cleanup:
	if (prewalk_join(&walk)) { /* before the project its excludes read */
		pl_file_list_release(&walk.out.files);
		pl_diags_release(&walk.out.diags);
	}
	pl_rule_profile_delete(profile);
	pl_cache_close(cache);
	free(targets);
	pl_git_changes_release(&changes);
	pl_git_close(bsrc.git);
	free(bsrc.prefix);
	pl_git_close(git);
	free(attestations);
	pl_baseline_release(&base);
	pl_project_release(&proj);
	pl_strbuf_release(&out);
	pl_scan_result_release(&result);
	pl_ruleset_release(&rules);
	free(a.rules.paths);
	free(a.select);
	free(a.ignore);
	return rc;
}

/* prodlint [scan]: walk, match, report, and turn the result into an exit code. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "report/report.h"
#include "scan/scan.h"
#include "util/fs.h"
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
} scan_args;

enum {
	OPT_RULES = 256, OPT_NO_BUILTIN, OPT_SELECT, OPT_IGNORE, OPT_FAIL_ON, OPT_NO_IGNORE,
	OPT_MAX_FILE_SIZE, OPT_COLOR, OPT_STATS,
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
		case ':':
			pl_cli_error("option '%s' needs a value", argv[optind - 1]);
			return -1;
		default:
			pl_cli_error("unknown option '%s' (see prodlint --help)", argv[optind - 1]);
			return -1;
		}
	}
	*first_path = optind;
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
		"%zu binary, %zu too large, %zu unsupported, %zu special, %zu with no rule for them\n",
		s->files, (double)s->bytes / (1024.0 * 1024.0), nrules, s->ms, s->ignored, s->binary,
		s->too_large, s->unsupported, s->special, s->no_rules);
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

	if (parse_args(argc, argv, &a, &first) < 0)
		goto cleanup;
	if (pl_cli_load_rules(&a.rules, &rules) < 0)
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
	if (npaths == 1 && stat(paths[0], &st) == 0 && S_ISDIR(st.st_mode)) {
		root = paths[0];
		npaths = 0;
	}
	if (pl_scan(&rules, root, paths, npaths, &a.scan, &result) < 0) {
		pl_diags_print(&result.errors, stderr, "error");
		goto cleanup;
	}

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
	if (a.stats)
		print_stats(&result, rules.len);

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
	pl_strbuf_release(&out);
	pl_scan_result_release(&result);
	pl_ruleset_release(&rules);
	free(a.rules.paths);
	free(a.select);
	free(a.ignore);
	return rc;
}

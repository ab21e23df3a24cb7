/*
 * prodlint_parse_bench: the cost of parsing every file a scan would look at.
 *
 * The floor a linter that parses everything cannot go below (issue 8): walk
 * DIR with the scan's own walker (same .gitignore / .prodlintignore scopes,
 * .prodlint.yaml excludes and --max-file-size), read each file as a scan
 * does (UTF-16 with a byte order mark as UTF-8, binary files left out), and
 * parse it with its language's tree-sitter grammar; Dockerfiles, which have
 * none, go through the config reader's line parser. TypeScript declaration
 * files are left out: no built-in rule reads them (rule.h). One thread, one
 * parser, each tree freed before the next file. No rules, no matching.
 *
 * Prints one summary line (compare.sh reads it), then a table per language
 * to stderr. Exit 0, or 2 on a usage error or an unreadable DIR.
 *
 * Not installed and not part of the CLI: a benchmark only.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <tree_sitter/api.h>

#include "config/reader.h"
#include "lang/lang.h"
#include "project/project.h"
#include "util/diag.h"
#include "util/fs.h"
#include "util/utf8.h"
#include "walk/walk.h"

typedef struct lang_stats {
	size_t files, bytes, with_errors;
	double cpu_seconds;
} lang_stats;

static double clock_s(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

/* CPU time: on a shared machine, throughput per language is measured in it,
 * since wall time there includes waiting for the CPU. */
static double cpu_now(void)
{
	return clock_s(CLOCK_PROCESS_CPUTIME_ID);
}

/* The scan's test (scan_run.c): a NUL byte in the first 8 KiB. */
static int looks_binary(const char *data, size_t len)
{
	return memchr(data, '\0', len < 8192 ? len : 8192) != NULL;
}

static void usage(FILE *out)
{
	fprintf(out, "usage: prodlint_parse_bench [--no-ignore] [--max-file-size BYTES] DIR\n"
		     "Parse every file a scan of DIR would read, single-threaded; print files,\n"
		     "bytes and seconds, then a per-language table on stderr.\n");
}

/* The root's .prodlint.yaml excludes, as a scan applies them. -1: a bad file. */
static int bind_project(const char *root, pl_project *proj, pl_walk_options *opt)
{
	char *path = pl_project_discover(root);
	if (!path)
		return 0;
	pl_diags diags = PL_DIAGS_INIT;
	int rc = pl_project_load(proj, path, &diags);
	pl_diags_print(&diags, stderr, "error");
	pl_diags_release(&diags);
	free(path);
	if (rc < 0)
		return -1;
	if (pl_project_bind_root(proj, root) == 0 && proj->exclude) {
		opt->exclude = pl_project_exclude_cb;
		opt->exclude_ctx = proj;
	}
	return 0;
}

/* Parse one file's text; returns 1 if the tree has syntax errors. */
static int parse_one(TSParser *parser, const pl_language *lang, const char *text, size_t len)
{
	if (!lang->grammar) {
		/* Dockerfiles: the reader is the parser. */
		pl_config cfg = { 0 };
		pl_config_status st = pl_config_read(&cfg, lang, parser, text, len, NULL);
		pl_config_release(&cfg);
		return st != PL_CONFIG_OK;
	}
	TSTree *tree = ts_parser_parse_string(parser, NULL, text, (uint32_t)len);
	if (!tree) {
		ts_parser_reset(parser);
		return 1;
	}
	int bad = ts_node_has_error(ts_tree_root_node(tree));
	ts_tree_delete(tree);
	return bad;
}

int main(int argc, char **argv)
{
	pl_walk_options opt = PL_WALK_OPTIONS_INIT;
	const char *root = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--no-ignore") == 0) {
			opt.no_ignore = true;
		} else if (strcmp(argv[i], "--max-file-size") == 0 && i + 1 < argc) {
			char *end;
			errno = 0;
			unsigned long long n = strtoull(argv[++i], &end, 10);
			if (errno || *end || end == argv[i]) {
				fprintf(stderr, "prodlint_parse_bench: invalid size '%s'\n", argv[i]);
				return 2;
			}
			opt.max_file_size = (size_t)n;
		} else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		} else if (argv[i][0] == '-' || root) {
			usage(stderr);
			return 2;
		} else {
			root = argv[i];
		}
	}
	if (!root) {
		usage(stderr);
		return 2;
	}

	double t0 = now(), c0 = cpu_now();
	pl_project proj = PL_PROJECT_INIT;
	if (bind_project(root, &proj, &opt) < 0)
		return 2;
	pl_file_list files = PL_FILE_LIST_INIT;
	pl_diags errors = PL_DIAGS_INIT;
	if (pl_walk(root, NULL, 0, &opt, &files, &errors) < 0) {
		pl_diags_print(&errors, stderr, "error");
		fprintf(stderr, "prodlint_parse_bench: cannot read '%s'\n", root);
		pl_diags_release(&errors);
		pl_project_release(&proj);
		return 2;
	}
	double walk_s = now() - t0;

	size_t nlangs;
	const pl_language *const *langs = pl_languages(&nlangs);
	lang_stats *stats = calloc(nlangs, sizeof(*stats));
	TSParser *parser = ts_parser_new();
	if (!stats || !parser) {
		fprintf(stderr, "prodlint_parse_bench: out of memory\n");
		return 3;
	}
	size_t binary = 0, unreadable = 0, too_large = files.too_large, declarations = 0;
	double read_s = 0, parse_s = 0;
	const pl_language *current = NULL;
	for (size_t i = 0; i < files.len; i++) {
		const pl_file *f = &files.items[i];
		if (pl_language_is_declaration_file(f->lang, f->path)) {
			declarations++;
			continue;
		}
		double r0 = now();
		char *data = NULL;
		size_t len = 0;
		pl_read_status st = pl_read_file(f->fs_path, opt.max_file_size, &data, &len);
		if (st != PL_READ_OK) {
			too_large += st == PL_READ_TOO_LARGE;
			unreadable += st == PL_READ_ERROR;
			continue;
		}
		char *utf8;
		size_t utf8_len;
		if (pl_utf16_to_utf8(data, len, &utf8, &utf8_len)) {
			free(data);
			data = utf8;
			len = utf8_len;
		}
		double p0 = now(), pc0 = cpu_now();
		read_s += p0 - r0;
		if (looks_binary(data, len)) {
			binary++;
			free(data);
			continue;
		}
		size_t k = 0;
		while (k < nlangs && langs[k] != f->lang)
			k++;
		if (f->lang->grammar && f->lang != current) {
			if (!ts_parser_set_language(parser, f->lang->grammar())) {
				fprintf(stderr, "prodlint_parse_bench: cannot load the %s grammar\n",
					f->lang->name);
				return 3;
			}
			current = f->lang;
		}
		int bad = parse_one(parser, f->lang, data, len);
		double p1 = now(), pc1 = cpu_now();
		free(data);
		if (k < nlangs) {
			stats[k].files++;
			stats[k].bytes += len;
			stats[k].with_errors += (size_t)bad;
			stats[k].cpu_seconds += pc1 - pc0;
		}
		parse_s += p1 - p0;
	}
	double total_s = now() - t0, cpu_s = cpu_now() - c0;

	size_t nfiles = 0, nbytes = 0;
	for (size_t k = 0; k < nlangs; k++) {
		nfiles += stats[k].files;
		nbytes += stats[k].bytes;
	}
	printf("parse-only: %zu files, %zu bytes, %.3f s, %.3f s CPU "
	       "(wall: walk %.3f s, read %.3f s, parse %.3f s)\n",
	       nfiles, nbytes, total_s, cpu_s, walk_s, read_s, parse_s);
	fflush(stdout);
	fprintf(stderr, "%-12s %8s %12s %11s %8s %12s\n", "language", "files", "bytes",
		"parse CPU s", "MB/s", "with errors");
	for (size_t k = 0; k < nlangs; k++) {
		if (!stats[k].files)
			continue;
		double mbs = stats[k].cpu_seconds > 0
				     ? (double)stats[k].bytes / 1e6 / stats[k].cpu_seconds : 0;
		fprintf(stderr, "%-12s %8zu %12zu %11.3f %8.1f %12zu\n", langs[k]->name,
			stats[k].files, stats[k].bytes, stats[k].cpu_seconds, mbs,
			stats[k].with_errors);
	}
	fprintf(stderr, "skipped: %zu ignored, %zu too large, %zu minified, %zu binary, "
			"%zu unsupported, %zu special, %zu unreadable, %zu declarations\n",
		files.ignored, too_large, files.minified, binary, files.unsupported, files.special,
		unreadable, declarations);
	pl_diags_print(&errors, stderr, "error");

	ts_parser_delete(parser);
	free(stats);
	pl_diags_release(&errors);
	pl_file_list_release(&files);
	pl_project_release(&proj);
	return 0;
}

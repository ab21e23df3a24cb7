/*
 * prodlint init: write a commented .prodlint.yaml into the current directory.
 *
 * The template (project.c) lists every setting with a comment, most of them
 * commented out, and always loads as a valid configuration. An existing
 * file is never replaced, not even one that appears while we write: the
 * file is created by pl_write_file_new (a complete temporary file, then
 * link(), which fails rather than replace), so a concurrent init or an
 * editor saving at the same moment keeps its file, and nobody ever reads a
 * half-written one.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "project/project.h"
#include "util/fs.h"

int pl_cmd_init(int argc, char **argv)
{
	if (argc > 1) {
		if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
			printf("usage: prodlint init\n\nWrite a commented %s into the current directory "
			       "(never replaces one).\n", PL_PROJECT_FILE);
			return PL_EXIT_CLEAN;
		}
		pl_cli_error("init takes no arguments (got '%s'); it writes %s in the current "
			     "directory", argv[1], PL_PROJECT_FILE);
		return PL_EXIT_USAGE;
	}
	const char *text = pl_project_template();
	if (pl_write_file_new(PL_PROJECT_FILE, text, strlen(text)) < 0) {
		if (errno == EEXIST)
			pl_cli_error("'%s' already exists; not replacing it (remove it first to start over)",
				     PL_PROJECT_FILE);
		else
			pl_cli_error("cannot write '%s': %s", PL_PROJECT_FILE, strerror(errno));
		return PL_EXIT_USAGE;
	}
	printf("wrote %s: every setting is listed with a comment; uncomment what you need\n",
	       PL_PROJECT_FILE);
	return PL_EXIT_CLEAN;
}

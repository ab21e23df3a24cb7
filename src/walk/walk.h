/*
 * walk: which files a scan looks at.
 *
 * Directories are walked depth-first in byte order of names, honouring
 * .gitignore / .prodlintignore scopes (ignore.h) unless told not to; `.git`
 * is never entered, and symlinks are not followed (a link to a file inside
 * the root is read through when given explicitly; a link out of the root
 * never is, and counts as special). Files named on the
 * command line are taken even if an ignore file excludes them, as git and
 * ripgrep do. A file is kept only if it is in a language prodlint parses
 * (lang.h); everything else left out is counted, not reported.
 *
 * Usage:
 *   pl_walk_options opt = PL_WALK_OPTIONS_INIT;
 *   pl_file_list files = PL_FILE_LIST_INIT;
 *   pl_walk(root, paths, npaths, &opt, &files, &diags);  // diags: unreadable dirs
 *   ... files.items[i].path ...
 *   pl_file_list_release(&files);
 */
#ifndef PL_WALK_H
#define PL_WALK_H

#include <stdbool.h>
#include <stddef.h>

#include "lang/lang.h"
#include "util/diag.h"

typedef struct pl_walk_options {
	bool no_ignore;         /* do not honour .gitignore / .prodlintignore */
	size_t max_file_size;   /* larger files are counted as skipped */
	/*
	 * The project's excludes (.prodlint.yaml `exclude:`), or NULL. Asked
	 * about every directory and file before it is entered or kept, and
	 * about paths named on the command line too (unlike ignore files: a
	 * pre-commit hook names every staged file, and an exclude is a project
	 * decision); `path` is relative to the root like pl_file.path. A true
	 * answer leaves the path out, counted as ignored. Works with no_ignore.
	 */
	bool (*exclude)(const char *path, bool is_dir, void *ctx);
	void *exclude_ctx;
} pl_walk_options;

#define PL_WALK_OPTIONS_INIT { false, 1u << 20, NULL, NULL }

typedef struct pl_file {
	char *path;             /* owned: as shown to users ('/'-separated, relative to root) */
	char *fs_path;          /* owned: as passed to open() */
	const pl_language *lang;
	size_t size;            /* bytes when walked (0 if not known): larger files are scanned first */
} pl_file;

typedef struct pl_file_list {
	pl_file *items;         /* sorted by path, no duplicates */
	size_t len, cap;
	size_t ignored;         /* excluded by an ignore file */
	size_t too_large;       /* over max_file_size */
	size_t unsupported;     /* no language prodlint parses */
	char **others;          /* owned: their paths (unsorted), for path-based repo facts */
	size_t others_len, others_cap;
	size_t special;         /* FIFOs, sockets, devices, symlinks */
	size_t minified;        /* minified bundles (pl_walk_is_minified_bundle), unless no_ignore */
} pl_file_list;

/*
 * A minified JavaScript bundle (`*.min.js`, `.min.mjs`, `.min.cjs` with a
 * line past 500 bytes in its first 64 KiB): a build artefact, not source
 * anyone reviews, and a worst case for tree-sitter queries (a whole library
 * in a handful of lines). The walk leaves such files out, counted, unless
 * no_ignore, as it leaves out ignored ones; named on the command line they
 * are scanned.
 */
bool pl_walk_is_minified_bundle(const char *path, const char *fs_path);

#define PL_FILE_LIST_INIT { NULL, 0, 0, 0, 0, 0, NULL, 0, 0, 0, 0 }

/*
 * Collect the files under `root` (a directory) or, when npaths > 0, under
 * each of `paths` (files or directories, relative to the current directory;
 * shown relative to root when inside it). Unreadable directories and missing
 * paths are added to `errors` (they make the scan incomplete). Returns 0, or
 * -1 if root itself cannot be read.
 */
int pl_walk(const char *root, const char *const *paths, size_t npaths,
	    const pl_walk_options *opt, pl_file_list *out, pl_diags *errors);

void pl_file_list_release(pl_file_list *list);

#endif

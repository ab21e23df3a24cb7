/*
 * git: what a change touches, read from the repository with libgit2.
 *
 * A hook or a pull-request job wants findings for what changed only, while
 * repository-level rules still need the whole repository (SPEC 1, 4.3).
 * This module says what changed; src/scan/ does the rest.
 *
 *   pl_git_staged        the next commit: every path whose index entry
 *                        differs from HEAD (or every index entry on an
 *                        unborn branch), with the content read from the
 *                        index blob, not the work tree (which may hold
 *                        unstaged edits that will not be committed).
 *   pl_git_changed_since the paths that differ between REF's tree and the
 *                        work tree, as `git diff REF` sees them (through the
 *                        index, so staged and unstaged edits both count),
 *                        plus untracked files that are not ignored; each
 *                        with the lines of the new content the diff hunks
 *                        touch. The new content is the work tree's.
 *   pl_git_read_head     one path's content in HEAD (explicit file
 *                        arguments compare against it).
 * Every change also carries the content before it (HEAD's or REF's blob),
 * so the scan can tell which repository-level findings the change brought.
 *
 * Decisions:
 *   - No rename detection: a rename is the old path deleted and the new one
 *     added, which is exactly what the scan needs (the old path's facts go,
 *     the new path is a new file with every line changed).
 *   - Submodules and symbolic links are left out (the walk never follows
 *     links either); conflicted index entries are left out (git refuses to
 *     commit them anyway).
 *   - Changed lines (context 0): an added or modified line is changed; a
 *     deletion counts as a change of the lines on both sides of the gap, so
 *     a finding that spans it, or that sits right after a removed line (a
 *     deleted suppression comment, a removed `max_tokens=` argument), is
 *     kept.
 *
 * Ownership: a pl_git owns the libgit2 repository (and holds one reference
 * to libgit2's global state). A pl_git_changes list owns its paths, texts
 * and ranges. A pl_git is used from one thread; nothing here is shared with
 * the scan workers.
 *
 * Usage:
 *   pl_git *g = pl_git_open(".", &diags);          // NULL: not in a work tree
 *   pl_git_changes ch = PL_GIT_CHANGES_INIT;
 *   if (pl_git_staged(g, &ch, &diags) < 0) ...      // or pl_git_changed_since(g, "main", ...)
 *   ... pl_git_top(g), ch.items[i].path, .text, .base_text, .lines ...
 *   pl_git_changes_release(&ch);
 *   pl_git_close(g);
 */
#ifndef PL_GIT_H
#define PL_GIT_H

#include <stdbool.h>
#include <stddef.h>

#include "util/diag.h"
#include "util/line_range.h"

typedef struct pl_git pl_git;

/*
 * Open the repository whose work tree holds `path` (searching upwards, as
 * git does). Returns NULL with an error in `errors` when there is none, or
 * when it is bare.
 */
pl_git *pl_git_open(const char *path, pl_diags *errors);
void pl_git_close(pl_git *g); /* NULL is fine */

/* The work tree's top directory: absolute, resolved, no trailing slash. */
const char *pl_git_top(const pl_git *g);

typedef struct pl_git_change {
	char *path;              /* owned: relative to the top, '/'-separated */
	bool deleted;            /* the path is gone in the new state */
	/* The new content when it is not the work tree's (--staged: the index
	 * blob); NULL otherwise. NUL-terminated; len excludes the NUL. */
	char *text;
	size_t len;
	/* The content before the change, when the path existed then. */
	bool has_base;
	char *base_text;         /* owned; NUL-terminated */
	size_t base_len;
	/* Lines of the new content the change touches; meaningful only when
	 * !all_lines. all_lines: an added file, or --staged (whole files). */
	bool all_lines;
	pl_line_ranges lines;
} pl_git_change;

typedef struct pl_git_changes {
	pl_git_change *items;    /* sorted by path, one entry a path */
	size_t len, cap;
} pl_git_changes;

#define PL_GIT_CHANGES_INIT { NULL, 0, 0 }

/* The staged changes (see above). Returns 0, or -1 with an error in `errors`. */
int pl_git_staged(pl_git *g, pl_git_changes *out, pl_diags *errors);

/* The changes since `ref` (any revision git understands: a branch, a tag, a
 * commit, HEAD~3, origin/main). Returns 0, or -1 with an error in `errors`
 * (an unknown revision names it). */
int pl_git_changed_since(pl_git *g, const char *ref, pl_git_changes *out, pl_diags *errors);

/*
 * HEAD's content of `path` (relative to the top): 1 and a fresh
 * NUL-terminated copy in *text (caller frees), 0 when HEAD has no such file
 * (or no commit yet), -1 when the repository cannot be read.
 */
int pl_git_read_head(pl_git *g, const char *path, char **text, size_t *len);

void pl_git_changes_release(pl_git_changes *changes);

#endif

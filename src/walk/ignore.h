/*
 * ignore: git's ignore rules (plus .prodlintignore) as a stack of
 * per-directory scopes, for a walker that pushes a scope when it enters a
 * directory and pops it when it leaves (the_silver_searcher's model).
 *
 * What is loaded, in git's precedence order, lowest first:
 *   1. the global excludes file: core.excludesFile (repository config when
 *      there is a repository, else the user's and system config, read with
 *      libgit2; `~/` expanded; a relative path is taken from the repository
 *      top), or if unset $XDG_CONFIG_HOME/git/ignore, or
 *      $HOME/.config/git/ignore;
 *   2. the repository's info/exclude (in its common git dir, so worktrees
 *      and submodules work);
 *   3. the .gitignore then .prodlintignore of every directory from the
 *      repository top down to and including the scan root;
 *   4. the .gitignore then .prodlintignore of every directory the walker
 *      pushed, deepest last.
 * The repository is found like git does it: walk up from the root to the
 * first directory whose `.git` libgit2 accepts as a repository, stopping at
 * a filesystem boundary unless GIT_DISCOVERY_ACROSS_FILESYSTEM is true.
 * Outside a repository there is no info/exclude and step 3 is just the
 * root's own files; the global excludes file still applies (as in ag).
 *
 * Decision (git's dir.c, last_matching_pattern_from_lists): scopes are
 * searched deepest first, and the first scope holding any matching pattern
 * decides; inside a scope the last matching pattern wins. A matching `!`
 * pattern means "not ignored". .prodlintignore lines come after .gitignore
 * lines of the same directory, so they win there.
 *
 * Invariants and ownership:
 *   - pl_ignore_new() loads steps 1-3 itself; those scopes are permanent.
 *     The walker therefore pushes only the directories *below* the root.
 *     pl_ignore_push_dir(ig, "") is accepted and pushes an empty scope, so a
 *     walker that pushes every directory it enters, root included, stays
 *     balanced.
 *   - Ask about a path only while exactly its ancestor directories are
 *     pushed, i.e. before pushing the directory itself (git decides whether
 *     a directory is ignored without that directory's own .gitignore).
 *     Pushed scopes that do not contain the path are skipped anyway.
 *   - A path inside an ignored directory is not reported as ignored: the
 *     walker must not descend into an ignored directory (git would call
 *     everything below it ignored, and a `!` there cannot re-include).
 *   - Pass is_dir = false for a symbolic link, even one to a directory: git
 *     looks at the link itself (lstat), so `dir/` does not match it.
 *   - Never ask about `.git` itself; git never does.
 *   - Paths are relative to the root, '/'-separated, with no leading "./"
 *     and no trailing slash. Matching is case-sensitive (core.ignoreCase is
 *     not consulted).
 *   - The pl_ignore owns everything; a pl_ignore_pattern returned by
 *     pl_ignore_match() stays valid until the scope it came from is popped
 *     or the pl_ignore is deleted.
 *   - In-tree ignore files that are symbolic links are not read (git opens
 *     them with O_NOFOLLOW since 2.32) and produce a warning.
 *
 * Usage:
 *   pl_diags diags = PL_DIAGS_INIT;
 *   pl_ignore *ig = pl_ignore_new_with_diags(root, &diags); // or pl_ignore_new(root)
 *   if (!ig) ...errno...;
 *   walk(dir_rel):                                  // dir_rel "" for the root
 *     for each entry name in dir_rel (skipping ".git"):
 *       rel = dir_rel + "/" + name;
 *       if (pl_ignore_is_ignored(ig, rel, is_dir))
 *         continue;                                  // and never descend into it
 *       if (is_dir) {
 *         pl_ignore_push_dir(ig, rel);
 *         walk(rel);
 *         pl_ignore_pop_dir(ig);
 *       }
 *   pl_ignore_delete(ig);
 *   // pl_ignore_explain(ig, rel, is_dir) says which line decided, for -v output.
 */
#ifndef PL_IGNORE_H
#define PL_IGNORE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/diag.h"

typedef struct pl_ignore pl_ignore;

/* One pattern line. The first four fields are for callers; the rest is the
 * matcher's own state. */
typedef struct pl_ignore_pattern {
	const char *source; /* absolute path of the file the line came from */
	unsigned line;      /* 1-based, counting comments and blank lines */
	const char *text;   /* the line as git's check-ignore -v shows it: after
			       CR/trailing-space trimming, with `!` and `/` kept */
	bool negated;       /* starts with `!`: a match re-includes */

	/* Matcher state. */
	char *glob;         /* `text` without `!` and the trailing `/`, with
			       bracket classes rewritten into pl_wildmatch syntax */
	size_t prefix;      /* leading bytes of glob with no glob character */
	unsigned flags;     /* PL_IGNORE_PAT_* */
} pl_ignore_pattern;

enum {
	PL_IGNORE_PAT_DIR_ONLY = 1 << 0, /* trailing `/`: matches directories only */
	PL_IGNORE_PAT_BASENAME = 1 << 1, /* no `/` inside: matches the basename at any depth */
	PL_IGNORE_PAT_NEVER = 1 << 2,    /* malformed glob git can never match (unclosed `[`,
					    unknown `[:class:]`, trailing `\`, empty class) */
};

/*
 * Resolve `root` with realpath, find its repository and load the global
 * excludes file, info/exclude and the ignore files from the repository top
 * down to the root. Returns NULL with errno set if root can't be resolved.
 * Unreadable ignore files are skipped; with diags, a warning is added for
 * each (the pl_ignore keeps the pointer and adds later warnings from
 * pl_ignore_push_dir too, so diags must outlive it).
 */
pl_ignore *pl_ignore_new(const char *root);
pl_ignore *pl_ignore_new_with_diags(const char *root, pl_diags *diags);
void pl_ignore_delete(pl_ignore *ig); /* NULL is fine */

/* The resolved (realpath) root, and the repository's top directory or NULL
 * outside a repository. Owned by ig. */
const char *pl_ignore_root(const pl_ignore *ig);
const char *pl_ignore_repo_top(const pl_ignore *ig);

/*
 * Enter rel_dir (relative to root, "" for the root itself, no trailing
 * slash): reads rel_dir/.gitignore then rel_dir/.prodlintignore. Every push
 * needs its pop; popping with nothing pushed does nothing.
 */
void pl_ignore_push_dir(pl_ignore *ig, const char *rel_dir);
/* The same, from a walker that listed the directory: with `listed` false,
 * it holds neither file, so neither is looked for. */
void pl_ignore_push_listed_dir(pl_ignore *ig, const char *rel_dir, bool listed);
void pl_ignore_pop_dir(pl_ignore *ig);

/* Is rel_path (relative to root) ignored? See the invariants above. */
bool pl_ignore_is_ignored(const pl_ignore *ig, const char *rel_path, bool is_dir);

/* The pattern that decides rel_path (possibly a negated one), or NULL if
 * none matches. pl_ignore_is_ignored() is `match && !match->negated`. */
const pl_ignore_pattern *pl_ignore_match(const pl_ignore *ig, const char *rel_path, bool is_dir);

/* "source:line: pattern" for the deciding pattern, or NULL if none
 * matches; caller frees. */
char *pl_ignore_explain(const pl_ignore *ig, const char *rel_path, bool is_dir);

/*
 * A standalone pattern list: gitignore lines relative to one directory, with
 * no files read and no scopes (.prodlint.yaml `exclude:`, src/project/).
 * Lines are parsed and matched exactly as a scope's lines are; the last
 * matching pattern decides, and a `!` pattern means "not matched". Paths are
 * relative to that directory, '/'-separated. As with a scope, a path below a
 * matched directory is not matched by the directory's pattern: the caller
 * asks about the ancestors too (or, walking, never descends).
 */
typedef struct pl_ignore_list pl_ignore_list;

/* `source` names where the lines come from (pl_ignore_pattern.source); copied. */
pl_ignore_list *pl_ignore_list_new(const char *source);
void pl_ignore_list_delete(pl_ignore_list *list); /* NULL is fine */
/* Add one pattern line (no comment or trailing-space handling: it is a value). */
void pl_ignore_list_add(pl_ignore_list *list, unsigned line, const char *pattern);
const pl_ignore_pattern *pl_ignore_list_match(const pl_ignore_list *list, const char *path,
					      bool is_dir);

#endif

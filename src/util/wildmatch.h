/*
 * wildmatch: shell-style glob matching with gitignore's `**` semantics.
 *
 * `?` one character, `*` any run, `[a-z]` / `[!a-z]` classes, `\x` a literal.
 * With PL_WM_PATHNAME, `?`, `*` and classes never match '/', and `**` as a
 * whole path segment matches any number of directories: `**` + `/x` (x in
 * any directory), `a/` + `**` (everything under a), `a/` + `**` + `/b`
 * (a/b, a/x/b, ...). Matching is linear-ish in practice: a failed star
 * search that ran out of text aborts the whole match (git's trick).
 */
#ifndef PL_WILDMATCH_H
#define PL_WILDMATCH_H

#include <stdbool.h>

enum {
	PL_WM_PATHNAME = 1 << 0,
	PL_WM_CASEFOLD = 1 << 1,
};

bool pl_wildmatch(const char *pattern, const char *text, unsigned flags);

/* True if `s` contains an unescaped glob metacharacter. */
bool pl_has_glob_chars(const char *s);

#endif

/*
 * literals: strings a regex cannot match without, for the prefilter.
 *
 * pl_regex_literals reads a PCRE2 pattern and, when it can tell, returns a
 * set of strings such that every match of the regex contains at least one
 * of them: `^(requests|httpx)\.(get|post)$` gives {"requests.get",
 * "requests.post", "httpx.get", "httpx.post"}. A file holding none of them
 * cannot satisfy a #match? on a capture every match has, so it need not be
 * parsed. The analysis is deliberately small and errs towards "no set":
 * classes, `.`, escapes such as \w, back-references, inline flags other
 * than a leading (?i), and anything it does not know end a literal run or
 * give up; it never returns a set that a
 * match could avoid. A leading (?i) gives a `nocase` set, in lower case.
 */
#ifndef PL_LITERALS_H
#define PL_LITERALS_H

#include <stdbool.h>
#include <stddef.h>

#define PL_LITERALS_MAX 64      /* strings in a set */
#define PL_LITERAL_MAX_LEN 64   /* bytes in one string */

typedef struct pl_literals {
	char items[PL_LITERALS_MAX][PL_LITERAL_MAX_LEN + 1]; /* NUL-terminated */
	size_t lens[PL_LITERALS_MAX];
	size_t len;
	bool nocase;             /* look for them in text folded to lower case (ASCII) */
	unsigned char place;     /* PL_PLACE_*: where an occurrence counts */
} pl_literals;

/* Where an occurrence of a literal counts; each place is stricter than the
 * one before. */
enum {
	PL_PLACE_ANY = 0,   /* anywhere, inside other text too */
	PL_PLACE_TOKEN = 1, /* as a whole identifier token */
	PL_PLACE_NAME = 2,  /* ... not right after a member access dot */
};

/* Does the occurrence of a literal at text[at, at + len) stand where
 * `place` asks?
 *   PL_PLACE_TOKEN: no letter or underscore before it, no letter, digit or
 *     underscore after. An identifier node's text never has such
 *     neighbours, so a literal a predicate compares an identifier with
 *     (#eq?, #any-of?) counts only there.
 *   PL_PLACE_NAME: also not right after a lone `.` (spaces or tabs
 *     between; `...` is no member access). In languages whose member
 *     names have a node type of their own (lang.h), an `identifier` node
 *     never stands there: `re.exec(s)` holds no call of a function exec. */
bool pl_literal_at(const char *text, size_t text_len, size_t at, size_t len, unsigned place);

/* True and *out filled with a non-empty set of non-empty strings, or false
 * when the pattern requires no literal prodlint can name. */
bool pl_regex_literals(const char *pattern, size_t len, pl_literals *out);

/* Every set a match requires at once, the most selective first (at most
 * PL_REGEX_CONJUNCTS): `(request|route)_to_(human|operator)` needs one of
 * the first two strings and one of the last two. Returns how many (0: as
 * pl_regex_literals returning false); out[0] is pl_regex_literals's set.
 * *exact (if not NULL) tells whether a text holds a match exactly when it
 * holds a string of out[0] (`^(get|post)$`, anchors aside), so that
 * searching with the regex itself would tell no more. */
#define PL_REGEX_CONJUNCTS 3
size_t pl_regex_conjuncts(const char *pattern, size_t len, pl_literals out[PL_REGEX_CONJUNCTS],
			  bool *exact);

/* Is the string in the set? */
bool pl_literals_has(const pl_literals *set, const char *s, size_t n);
/* Add a string (once); false if it is too long or the set is full. */
bool pl_literals_add(pl_literals *set, const char *s, size_t n);

/* A set that every text holding a string of a or of b satisfies (folded to
 * `nocase` if the two differ, shortened if too large); false if none. */
bool pl_literals_union(const pl_literals *a, const pl_literals *b, pl_literals *out);

/* Text as `nocase` literals are looked for in: ASCII letters in lower case,
 * and the two characters PCRE2 folds onto ASCII ones in UTF mode (the Kelvin
 * sign onto k, the long s onto s) replaced by those. Writes at most `len`
 * bytes to `out`; returns how many. */
size_t pl_literals_fold(const char *text, size_t len, char *out);

#endif

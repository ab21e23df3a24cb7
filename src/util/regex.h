/*
 * regex: PCRE2 with the limits a linter needs.
 *
 * Rule authors write Rust/PCRE-style regexes (`\d`, `(?i)`, lookarounds),
 * which POSIX ERE would silently misread, so every regex in prodlint goes
 * through here: UTF mode that tolerates invalid UTF-8 in scanned files, JIT
 * when available, and match/depth limits so a catastrophic pattern ends
 * (as "no match", counted for the caller to report) instead of hanging.
 * A compiled pl_regex is immutable and shared by all threads.
 */
#ifndef PL_REGEX_H
#define PL_REGEX_H

#include <stdbool.h>
#include <stddef.h>

typedef struct pl_regex pl_regex;

/* NULL on error, with a message and the character offset of the problem. */
pl_regex *pl_regex_compile(const char *pattern, size_t len, char *err, size_t err_size,
			   size_t *err_offset);
void pl_regex_delete(pl_regex *re);

/* Unanchored search. A match that hits the limits counts as no match, and
 * as a limit hit of the calling thread. */
bool pl_regex_search(const pl_regex *re, const char *text, size_t len);

/* Can the regex match only at the start of the text (each alternative
 * starts with ^ or \A, as PCRE2 reads it)? Then a failing search is cheap
 * whatever the text's length. */
bool pl_regex_anchored(const pl_regex *re);

/* The same search, uncounted, telling a limit hit apart: for tests whose
 * "don't know" must not count as "no". */
typedef enum pl_regex_result { PL_REGEX_NO_MATCH, PL_REGEX_MATCH, PL_REGEX_GAVE_UP } pl_regex_result;
pl_regex_result pl_regex_try(const pl_regex *re, const char *text, size_t len);
/* pl_regex_try on text the caller knows to be valid UTF-8 (whole
 * characters): PCRE2 checks the subject's encoding on every call, which
 * costs its whole length even when the regex fails at the first byte. */
pl_regex_result pl_regex_try_valid(const pl_regex *re, const char *text, size_t len);

/* The calling thread's limit hits since the last call; resets them. A scan
 * asks before and after each file: a hit makes the file's scan incomplete. */
unsigned pl_regex_take_limit_hits(void);

#endif

/*
 * regex_syntax: where the pieces of a PCRE2 pattern end, as PCRE2 reads
 * them, for the readers that look into rule regexes without compiling
 * them (literals.c, relax.c). Each returns an index just past the piece,
 * or 0 when the piece does not end or holds what the readers do not follow.
 */
#ifndef PL_REGEX_SYNTAX_H
#define PL_REGEX_SYNTAX_H

#include <stddef.h>

/* The escape at s[i] ('\\'): \cX takes the character after it ('[' and '('
 * too), others one; 0 for \Q...\E quoting, or a '\\' that ends the text. */
size_t pl_regex_escape_end(const char *s, size_t len, size_t i);

/* The class opening at s[i] ('['): a ']' first (or after '^') is a member,
 * as are escapes and POSIX names ([:alpha:]); a '[' that opens no POSIX
 * name is a member too. */
size_t pl_regex_class_end(const char *s, size_t len, size_t i);

/* The group whose '(' (and opener, such as "?=") s[i] follows: past its
 * closing ')', over nested groups, classes and escapes. */
size_t pl_regex_group_end(const char *s, size_t len, size_t i);

#endif

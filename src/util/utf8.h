/*
 * utf8: keep text valid where a format demands UTF-8 (JSON, SARIF).
 * Scanned files may hold any bytes; messages and snippets copy from them.
 */
#ifndef PL_UTF8_H
#define PL_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* Length of the valid UTF-8 sequence at s (1-4), or 0 if it is not one. */
size_t pl_utf8_sequence_length(const char *s, size_t avail);

bool pl_utf8_valid(const char *s, size_t len);

/* Append code point cp as UTF-8; surrogates and values past U+10FFFF become U+FFFD. */
struct pl_strbuf;
void pl_utf8_encode(struct pl_strbuf *sb, unsigned long cp);

/* A copy of s (NUL-terminated) with every invalid byte replaced by U+FFFD; caller frees. */
char *pl_utf8_sanitize(const char *s);

/*
 * Text that starts with a UTF-16 byte order mark (FF FE little-endian, FE FF
 * big-endian) as UTF-8 without the mark: a fresh NUL-terminated buffer in
 * *out (caller frees) and its length in *out_len; unpaired surrogates and a
 * trailing odd byte become U+FFFD. Line numbers are kept; columns count the
 * UTF-8 bytes. Returns false, touching nothing, when there is no such mark.
 */
bool pl_utf16_to_utf8(const char *s, size_t len, char **out, size_t *out_len);

#endif

/*
 * text: small operations on source text and message templates.
 */
#ifndef PL_TEXT_H
#define PL_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "util/strbuf.h"

/* Is `s` one of the n strings of `list`? */
bool pl_text_listed(char *const *list, size_t n, const char *s);

/* Do the `len` bytes at s end with `suffix`? */
bool pl_text_ends_with(const char *s, size_t len, const char *suffix);

/* The line holding `byte`, without its break or trailing blanks, at most 400
 * bytes; caller frees. */
char *pl_text_line_at(const char *text, size_t len, size_t byte);

/* The text with runs of white space collapsed to one space and none at the
 * ends (for fingerprints that survive reformatting); caller frees. */
char *pl_text_normalised(const char *s, size_t n);

/*
 * Expand `{{name}}` placeholders: text outside them is copied to `out`, and
 * for each placeholder `resolve` appends what it stands for (or nothing).
 * `name` is not NUL-terminated. An unterminated `{{` is copied as text.
 */
typedef void (*pl_template_fn)(pl_strbuf *out, const char *name, size_t len, void *ctx);
void pl_template_expand(pl_strbuf *out, const char *tmpl, pl_template_fn resolve, void *ctx);

#endif

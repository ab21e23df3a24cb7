/*
 * diag: located diagnostics, collected rather than printed on the spot.
 *
 * Loaders and the scanner append to a pl_diags list owned by the caller (one
 * per run); the CLI prints them as `path:line:col: message` (git style:
 * lowercase, what failed first, the subject quoted). line/col are 1-based;
 * 0 means "unknown" and is left out when printing.
 */
#ifndef PL_DIAG_H
#define PL_DIAG_H

#include <stddef.h>
#include <stdio.h>

typedef struct pl_diag {
	char *path;     /* owned; may be NULL for messages about no file */
	unsigned line;
	unsigned col;
	char *message;  /* owned */
} pl_diag;

typedef struct pl_diags {
	pl_diag *items;
	size_t len;
	size_t cap;
} pl_diags;

#define PL_DIAGS_INIT { NULL, 0, 0 }

void pl_diags_add(pl_diags *d, const char *path, unsigned line, unsigned col,
		  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void pl_diags_release(pl_diags *d);
/* Print every diagnostic as `path:line:col: <label>: message`. */
void pl_diags_print(const pl_diags *d, FILE *out, const char *label);
/* Format one diagnostic's location prefix into `buf` (`path:line:col`). */
void pl_diag_format_location(const pl_diag *diag, char *buf, size_t size);

#endif

#include "util/diag.h"

#include <stdarg.h>
#include <stdlib.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

void pl_diags_add(pl_diags *d, const char *path, unsigned line, unsigned col,
		  const char *fmt, ...)
{
	pl_strbuf msg = PL_STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	pl_strbuf_vaddf(&msg, fmt, ap);
	va_end(ap);

	PL_GROW(d->items, d->cap, d->len + 1);
	pl_diag *diag = &d->items[d->len++];
	diag->path = path ? pl_xstrdup(path) : NULL;
	diag->line = line;
	diag->col = col;
	diag->message = pl_strbuf_detach(&msg);
}

void pl_diags_release(pl_diags *d)
{
	for (size_t i = 0; i < d->len; i++) {
		free(d->items[i].path);
		free(d->items[i].message);
	}
	free(d->items);
	d->items = NULL;
	d->len = d->cap = 0;
}

void pl_diag_format_location(const pl_diag *diag, char *buf, size_t size)
{
	if (!diag->path)
		snprintf(buf, size, "prodlint");
	else if (diag->line && diag->col)
		snprintf(buf, size, "%s:%u:%u", diag->path, diag->line, diag->col);
	else if (diag->line)
		snprintf(buf, size, "%s:%u", diag->path, diag->line);
	else
		snprintf(buf, size, "%s", diag->path);
}

void pl_diags_print(const pl_diags *d, FILE *out, const char *label)
{
	char loc[4096];
	for (size_t i = 0; i < d->len; i++) {
		pl_diag_format_location(&d->items[i], loc, sizeof(loc));
		fprintf(out, "%s: %s: %s\n", loc, label, d->items[i].message);
	}
}

/*
 * yaml_doc: one YAML file being loaded with libcyaml against a strict
 * schema, with every error located through the position index
 * (yaml_index.h). Rule files (rule_load.c) and the project configuration
 * (src/project/) load this way, so both report `file:line:col: message`
 * with the same wording for the same mistake.
 *
 * libcyaml enforces the shape (unknown key, wrong type, duplicate key) but
 * only logs the position of the last value it parsed; pl_yaml_doc_load()
 * captures that log and turns it into one error at the offending key or
 * value. Value checks are the caller's: they report with
 * pl_yaml_doc_error_path() by index path ("ignore-findings[2].reason"),
 * which falls back to the nearest enclosing node that exists, so a missing
 * key is reported at the mapping that lacks it.
 *
 * Ownership: the doc borrows `path` and `diags` (both must outlive it) and
 * owns the index and libcyaml's log. `errors` counts what this doc added
 * to diags, so a caller can tell whether one step failed.
 *
 * Usage:
 *   pl_yaml_doc doc;
 *   pl_yaml_doc_init(&doc, path, &diags);
 *   if (pl_yaml_index_build(&doc.index, data, len) < 0) ... report doc.index.error
 *   ... reject a second document, aliases, a non-mapping root (caller's wording)
 *   raw_thing *raw = NULL;
 *   if (pl_yaml_doc_load(&doc, data, len, &schema, (void **)&raw) < 0) ... stop
 *   if (!raw->name) pl_yaml_doc_error_path(&doc, "", false, "needs a 'name'");
 *   pl_yaml_doc_free(&schema, raw);
 *   pl_yaml_doc_release(&doc);
 */
#ifndef PL_YAML_DOC_H
#define PL_YAML_DOC_H

#include <cyaml/cyaml.h>
#include <stdbool.h>
#include <stddef.h>

#include "rule/yaml_index.h"
#include "util/diag.h"
#include "util/strbuf.h"

typedef struct pl_yaml_doc {
	const char *path;        /* borrowed: the file, as shown in messages */
	pl_yaml_index index;     /* owned: built by the caller from the same bytes */
	pl_diags *diags;         /* borrowed: where errors go */
	size_t errors;           /* errors this doc added */
	pl_strbuf cyaml_log;     /* owned: libcyaml's error lines */
} pl_yaml_doc;

void pl_yaml_doc_init(pl_yaml_doc *doc, const char *path, pl_diags *diags);
void pl_yaml_doc_release(pl_yaml_doc *doc);

/* An error at (line, col) of the file. */
void pl_yaml_doc_error_at(pl_yaml_doc *doc, unsigned line, unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* An error at the value of index path `path` (at its key when want_key), or
 * at the nearest enclosing path that exists. */
void pl_yaml_doc_error_path(pl_yaml_doc *doc, const char *path, bool want_key, const char *fmt,
			    ...) __attribute__((format(printf, 4, 5)));

/*
 * Load `data` against `schema` (a CYAML_FLAG_POINTER top-level value) into
 * *out. Returns 0 (*out may be NULL for an empty document), or -1 with one
 * located error added. Aliases are refused by libcyaml too, but callers
 * should check doc->index.has_alias first for a better message.
 */
int pl_yaml_doc_load(pl_yaml_doc *doc, const char *data, size_t len,
		     const cyaml_schema_value_t *schema, void **out);

/* Free what pl_yaml_doc_load returned (NULL is fine). */
void pl_yaml_doc_free(const cyaml_schema_value_t *schema, void *data);

#endif

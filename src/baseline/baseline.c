/*
 * Writing, reading and applying baseline files (baseline.h). jansson reads
 * and writes the JSON; for errors in a well-formed file, which jansson
 * cannot place, the YAML position index is built over the same bytes (JSON
 * as this writer emits it is YAML) to point at the offending value.
 */
#include "baseline/baseline.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rule/yaml_index.h"
#include "util/fs.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* A baseline of a large legacy repository can be big, but not this big. */
#define BASELINE_MAX_SIZE ((size_t)256 << 20)

/* ---- writing ------------------------------------------------------------ */

static int by_path_rule_fingerprint(const void *pa, const void *pb)
{
	const pl_finding *a = *(const pl_finding *const *)pa, *b = *(const pl_finding *const *)pb;
	int c = strcmp(a->path, b->path);
	if (!c)
		c = strcmp(a->rule->id, b->rule->id);
	if (!c)
		c = strcmp(a->fingerprint, b->fingerprint);
	return c;
}

/* A JSON string from text that may not be UTF-8 (paths and messages come
 * from scanned files); jansson refuses invalid UTF-8. */
static json_t *text(const char *s)
{
	json_t *j = json_string(s);
	if (j)
		return j;
	char *clean = pl_utf8_sanitize(s);
	j = json_string(clean);
	free(clean);
	return j ? j : json_string("");
}

void pl_baseline_render(const pl_findings *findings, pl_strbuf *out)
{
	const pl_finding **sorted = pl_xcalloc(findings->len ? findings->len : 1, sizeof(*sorted));
	for (size_t i = 0; i < findings->len; i++)
		sorted[i] = &findings->items[i];
	qsort(sorted, findings->len, sizeof(*sorted), by_path_rule_fingerprint);
	json_t *list = json_array();
	for (size_t i = 0; i < findings->len; i++) {
		const pl_finding *f = sorted[i];
		json_t *o = json_object();
		json_object_set_new(o, "fingerprint", json_string(f->fingerprint));
		json_object_set_new(o, "rule", text(f->rule->id));
		json_object_set_new(o, "path", text(f->path));
		json_object_set_new(o, "message", text(f->message));
		json_array_append_new(list, o);
	}
	free(sorted);
	json_t *root = json_object();
	json_object_set_new(root, "version", json_integer(PL_BASELINE_VERSION));
	json_object_set_new(root, "tool", json_string("prodlint"));
	json_object_set_new(root, "findings", list);
	char *s = json_dumps(root, JSON_INDENT(2));
	if (!s)
		pl_oom();
	pl_strbuf_adds(out, s);
	pl_strbuf_addch(out, '\n');
	free(s);
	json_decref(root);
}

int pl_baseline_write(const pl_findings *findings, const char *path)
{
	pl_strbuf sb = PL_STRBUF_INIT;
	pl_baseline_render(findings, &sb);
	int rc = pl_write_file_atomic(path, sb.buf, sb.len);
	int e = errno;
	pl_strbuf_release(&sb);
	errno = e;
	return rc;
}

/* ---- reading ------------------------------------------------------------ */

typedef struct reader {
	const char *path;
	pl_yaml_index index;
	bool indexed;            /* the index could be built */
	pl_diags *diags;
} reader;

/* An error at the value of index path `at` (or the nearest enclosing one). */
static void error_at(reader *rd, const char *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void error_at(reader *rd, const char *at, const char *fmt, ...)
{
	pl_strbuf msg = PL_STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	pl_strbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	unsigned line = 0, col = 0;
	char *p = pl_xstrdup(at);
	while (rd->indexed) {
		const pl_yaml_entry *e = pl_yaml_index_find(&rd->index, p);
		if (e) {
			line = e->line;
			col = e->col;
			break;
		}
		if (!*p)
			break;
		char *cut = strrchr(p, '.'), *br = strrchr(p, '[');
		if (br && (!cut || br > cut))
			cut = br;
		if (cut)
			*cut = '\0';
		else
			*p = '\0';
	}
	free(p);
	pl_diags_add(rd->diags, rd->path, line, col, "%s", msg.buf);
	pl_strbuf_release(&msg);
}

static bool valid_fingerprint(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (!isxdigit((unsigned char)s[n]) || isupper((unsigned char)s[n]))
			return false;
	return n == 16;
}

static int by_fingerprint(const void *a, const void *b)
{
	return strcmp(((const pl_baseline_entry *)a)->fingerprint,
		      ((const pl_baseline_entry *)b)->fingerprint);
}

/* A required string member of finding `i`; NULL (and an error) if absent. */
static const char *member(reader *rd, json_t *o, size_t i, const char *key, bool need)
{
	char at[64];
	snprintf(at, sizeof(at), "findings[%zu]", i);
	json_t *v = json_object_get(o, key);
	if (!v) {
		if (need)
			error_at(rd, at, "baseline entry is missing \"%s\"", key);
		return NULL;
	}
	if (!json_is_string(v)) {
		snprintf(at, sizeof(at), "findings[%zu].%s", i, key);
		error_at(rd, at, "\"%s\" must be a string", key);
		return NULL;
	}
	return json_string_value(v);
}

static int read_entries(pl_baseline *b, reader *rd, json_t *list)
{
	int rc = 0;
	size_t i;
	json_t *o;
	json_array_foreach(list, i, o) {
		char at[64];
		snprintf(at, sizeof(at), "findings[%zu]", i);
		if (!json_is_object(o)) {
			error_at(rd, at, "baseline entries must be objects");
			rc = -1;
			continue;
		}
		const char *fp = member(rd, o, i, "fingerprint", true);
		const char *rule = member(rd, o, i, "rule", true);
		const char *path = member(rd, o, i, "path", true);
		bool has_message = json_object_get(o, "message") != NULL;
		const char *message = member(rd, o, i, "message", false);
		if (!fp || !rule || !path || (has_message && !message)) {
			rc = -1;
			continue;
		}
		if (!valid_fingerprint(fp)) {
			snprintf(at, sizeof(at), "findings[%zu].fingerprint", i);
			error_at(rd, at, "fingerprint '%s' is not 16 lowercase hex digits", fp);
			rc = -1;
			continue;
		}
		PL_GROW(b->items, b->cap, b->len + 1);
		pl_baseline_entry *e = &b->items[b->len++];
		memset(e, 0, sizeof(*e));
		memcpy(e->fingerprint, fp, 17);
		e->rule = pl_xstrdup(rule);
		e->path = pl_xstrdup(path);
		e->message = pl_xstrdup(message ? message : "");
	}
	return rc;
}

int pl_baseline_parse(pl_baseline *b, const char *path, const char *data, size_t len,
		      pl_diags *diags)
{
	reader rd = { .path = path, .diags = diags };
	json_error_t jerr;
	json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		pl_diags_add(diags, path, jerr.line > 0 ? (unsigned)jerr.line : 0,
			     jerr.column > 0 ? (unsigned)jerr.column : 0, "invalid JSON: %s", jerr.text);
		return -1;
	}
	rd.indexed = pl_yaml_index_build(&rd.index, data, len) == 0;
	int rc = -1;
	if (!json_is_object(root)) {
		error_at(&rd, "", "a baseline file must be a JSON object with \"version\", \"tool\" "
				  "and \"findings\" (written by prodlint --write-baseline)");
		goto done;
	}
	json_t *version = json_object_get(root, "version");
	if (!version) {
		error_at(&rd, "", "baseline is missing \"version\"");
		goto done;
	}
	if (!json_is_integer(version) || json_integer_value(version) != PL_BASELINE_VERSION) {
		error_at(&rd, "version",
			 "unsupported baseline version (this prodlint reads version %d)",
			 PL_BASELINE_VERSION);
		goto done;
	}
	json_t *tool = json_object_get(root, "tool");
	if (!json_is_string(tool) || strcmp(json_string_value(tool), "prodlint") != 0) {
		error_at(&rd, tool ? "tool" : "", "not a prodlint baseline: \"tool\" must be \"prodlint\"");
		goto done;
	}
	json_t *list = json_object_get(root, "findings");
	if (!json_is_array(list)) {
		error_at(&rd, list ? "findings" : "", "baseline needs a \"findings\" list");
		goto done;
	}
	rc = read_entries(b, &rd, list);

done:
	if (rc == 0 && b->len) {
		qsort(b->items, b->len, sizeof(*b->items), by_fingerprint);
		/* A hand-merged file may repeat an entry: one finding, one entry. */
		size_t k = 0;
		for (size_t i = 0; i < b->len; i++) {
			pl_baseline_entry *e = &b->items[i];
			if (k && strcmp(b->items[k - 1].fingerprint, e->fingerprint) == 0) {
				free(e->rule);
				free(e->path);
				free(e->message);
				continue;
			}
			b->items[k++] = *e;
		}
		b->len = k;
	}
	if (rc < 0)
		pl_baseline_release(b);
	pl_yaml_index_release(&rd.index); /* also after a failed build: it may hold entries */
	json_decref(root);
	return rc;
}

int pl_baseline_load(pl_baseline *b, const char *path, pl_diags *diags)
{
	char *data;
	size_t len;
	pl_read_status st = pl_read_file(path, BASELINE_MAX_SIZE, &data, &len);
	if (st == PL_READ_TOO_LARGE) {
		pl_diags_add(diags, path, 0, 0, "baseline file is larger than %zu MiB",
			     BASELINE_MAX_SIZE >> 20);
		return -1;
	}
	if (st != PL_READ_OK) {
		pl_diags_add(diags, path, 0, 0, "cannot read baseline: %s", strerror(errno));
		return -1;
	}
	int rc = pl_baseline_parse(b, path, data, len, diags);
	free(data);
	return rc;
}

/* ---- applying ----------------------------------------------------------- */

static bool keep_unbaselined(const pl_finding *f, void *ctx)
{
	pl_baseline *b = ctx;
	pl_baseline_entry key;
	memcpy(key.fingerprint, f->fingerprint, sizeof(key.fingerprint));
	pl_baseline_entry *e = bsearch(&key, b->items, b->len, sizeof(*b->items), by_fingerprint);
	if (!e)
		return true;
	e->seen = true;
	return false;
}

size_t pl_baseline_apply(pl_baseline *b, pl_findings *findings)
{
	if (!b->len)
		return 0;
	return pl_findings_filter(findings, keep_unbaselined, b);
}

size_t pl_baseline_gone(const pl_baseline *b, bool (*in_scope)(const pl_baseline_entry *e,
							      void *ctx),
			void *ctx)
{
	size_t n = 0;
	for (size_t i = 0; i < b->len; i++)
		n += !b->items[i].seen && (!in_scope || in_scope(&b->items[i], ctx));
	return n;
}

void pl_baseline_release(pl_baseline *b)
{
	for (size_t i = 0; i < b->len; i++) {
		free(b->items[i].rule);
		free(b->items[i].path);
		free(b->items[i].message);
	}
	free(b->items);
	memset(b, 0, sizeof(*b));
}

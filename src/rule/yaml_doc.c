/*
 * Locating libcyaml's errors and our own value checks in a YAML file
 * (yaml_doc.h). The libcyaml side reads its log text, which is the only
 * place it says what went wrong and near where.
 */
#include "rule/yaml_doc.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/mem.h"
#include "util/xalloc.h"

void pl_yaml_doc_init(pl_yaml_doc *doc, const char *path, pl_diags *diags)
{
	memset(doc, 0, sizeof(*doc));
	doc->path = path;
	doc->diags = diags;
	pl_strbuf_init(&doc->cyaml_log);
}

void pl_yaml_doc_release(pl_yaml_doc *doc)
{
	pl_yaml_index_release(&doc->index);
	pl_strbuf_release(&doc->cyaml_log);
}

static void verror_at(pl_yaml_doc *doc, unsigned line, unsigned col, const char *fmt, va_list ap)
{
	pl_strbuf msg = PL_STRBUF_INIT;
	pl_strbuf_vaddf(&msg, fmt, ap);
	pl_diags_add(doc->diags, doc->path, line, col, "%s", msg.buf);
	pl_strbuf_release(&msg);
	doc->errors++;
}

void pl_yaml_doc_error_at(pl_yaml_doc *doc, unsigned line, unsigned col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verror_at(doc, line, col, fmt, ap);
	va_end(ap);
}

void pl_yaml_doc_error_path(pl_yaml_doc *doc, const char *path, bool want_key, const char *fmt,
			    ...)
{
	char *p = pl_xstrdup(path);
	const pl_yaml_entry *e = NULL;
	for (;;) {
		e = pl_yaml_index_find(&doc->index, p);
		if (e || !*p)
			break;
		/* Drop the last component: ".key" or "[n]". */
		char *cut = strrchr(p, '.');
		char *br = strrchr(p, '[');
		if (br && (!cut || br > cut))
			cut = br;
		if (cut)
			*cut = '\0';
		else
			*p = '\0';
		want_key = false;
	}
	unsigned line = 1, col = 1;
	if (e) {
		line = want_key && e->key_line ? e->key_line : e->line;
		col = want_key && e->key_line ? e->key_col : e->col;
	}
	va_list ap;
	va_start(ap, fmt);
	verror_at(doc, line, col, fmt, ap);
	va_end(ap);
	free(p);
}

static void cyaml_log_capture(cyaml_log_t level, void *ctx, const char *fmt, va_list args)
{
	pl_yaml_doc *doc = ctx;
	if (level < CYAML_LOG_ERROR)
		return;
	pl_strbuf_vaddf(&doc->cyaml_log, fmt, args);
}

/*
 * Turn libcyaml's log into one located error. libcyaml reports the position
 * of the last value it parsed, which for an unknown key is the value before
 * it; the true position is that of the first such key after the reported one.
 */
static void report_cyaml_error(pl_yaml_doc *doc, cyaml_err_t err)
{
	const char *log = doc->cyaml_log.buf;
	unsigned line = 0, col = 0;
	const char *pos = strstr(log, "(line: ");
	if (pos)
		sscanf(pos, "(line: %u, column: %u)", &line, &col);
	if (!pos && (pos = strstr(log, "line ")))
		sscanf(pos, "line %u, column %u", &line, &col);

	char key[128] = "";
	const char *k = strstr(log, "Unexpected key: ");
	if (k) {
		sscanf(k + strlen("Unexpected key: "), "%127[^\n]", key);
		const pl_yaml_entry *e = pl_yaml_index_find_key_after(&doc->index, key, line, 0);
		if (e) {
			pl_yaml_doc_error_at(doc, e->key_line, e->key_col, "unknown key '%s'", key);
			return;
		}
	}
	k = strstr(log, "already seen: ");
	if (k) {
		sscanf(k + strlen("already seen: "), "%127[^\n]", key);
		const pl_yaml_entry *e = pl_yaml_index_find_key_after(&doc->index, key, line, col + 1);
		if (e) {
			pl_yaml_doc_error_at(doc, e->key_line, e->key_col, "duplicate key '%s'", key);
			return;
		}
	}
	char want[32], got[32];
	k = strstr(log, "xpecting ");
	if (k && sscanf(k, "xpecting %31[A-Za-z], got event: %31[A-Za-z_]", want, got) == 2) {
		const char *what = strcasecmp(got, "sequence_start") == 0 ? "a list"
				   : strcasecmp(got, "mapping_start") == 0 ? "a mapping"
								       : "a single value";
		const char *need = strcasecmp(want, "sequence") == 0 ? "a list"
				   : strcasecmp(want, "mapping") == 0 ? "a mapping"
								  : "a string";
		for (size_t i = 0; i < doc->index.len; i++) {
			const pl_yaml_entry *e = &doc->index.items[i];
			if (e->line == line && e->col == col && e->key) {
				pl_yaml_doc_error_at(doc, line, col, "'%s' must be %s, not %s", e->key,
						     need, what);
				return;
			}
		}
		pl_yaml_doc_error_at(doc, line ? line : 1, col ? col : 1, "expected %s here, not %s",
				     need, what);
		return;
	}
	/* Take the most specific line of the log as the message. */
	char first[512] = "";
	const char *nl = strchr(log, '\n');
	size_t n = nl ? (size_t)(nl - log) : strlen(log);
	if (n >= sizeof(first))
		n = sizeof(first) - 1;
	memcpy(first, log, n);
	first[n] = '\0';
	for (char *c = first; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	const char *msg = first;
	if (strncmp(msg, "load: ", 6) == 0)
		msg += 6;
	if (!*msg)
		msg = cyaml_strerror(err);
	pl_yaml_doc_error_at(doc, line ? line : 1, col ? col : 1, "%s", msg);
}

static const cyaml_config_t *doc_config(pl_yaml_doc *doc, cyaml_config_t *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->log_fn = cyaml_log_capture;
	cfg->log_ctx = doc;
	cfg->mem_fn = pl_mem_cyaml;
	cfg->log_level = CYAML_LOG_ERROR;
	cfg->flags = CYAML_CFG_NO_ALIAS;
	return cfg;
}

int pl_yaml_doc_load(pl_yaml_doc *doc, const char *data, size_t len,
		     const cyaml_schema_value_t *schema, void **out)
{
	cyaml_config_t cfg;
	*out = NULL;
	pl_strbuf_reset(&doc->cyaml_log);
	cyaml_err_t err = cyaml_load_data((const uint8_t *)data, len, doc_config(doc, &cfg), schema,
					  (cyaml_data_t **)out, NULL);
	if (err != CYAML_OK) {
		report_cyaml_error(doc, err);
		*out = NULL;
		return -1;
	}
	return 0;
}

void pl_yaml_doc_free(const cyaml_schema_value_t *schema, void *data)
{
	if (!data)
		return;
	cyaml_config_t cfg = {
		.log_fn = cyaml_log,
		.mem_fn = pl_mem_cyaml,
		.log_level = CYAML_LOG_ERROR,
		.flags = CYAML_CFG_NO_ALIAS,
	};
	cyaml_free(&cfg, schema, data, 0);
}

/*
 * reader: turn a configuration file's bytes into the tree model (tree.h).
 * One reader per format; YAML, JSON and TOML go through tree-sitter (the
 * caller lends a parser, one per thread), Dockerfiles through a small line
 * parser of our own.
 *
 * A reader appends documents to `cfg` (which the caller initialised with
 * `pl_config cfg = { 0 }` and releases). On failure it fills `err` with the
 * position and a short reason and the caller reports the file as skipped
 * (INVALID: the file does not parse, e.g. a Helm template) or as an
 * incomplete scan (LIMIT: nesting, size or alias expansion went over a bound).
 */
#ifndef PL_CONFIG_READER_H
#define PL_CONFIG_READER_H

#include <stddef.h>
#include <tree_sitter/api.h>

#include "config/tree.h"
#include "lang/lang.h"

typedef enum pl_config_status {
	PL_CONFIG_OK = 0,
	PL_CONFIG_INVALID,   /* not well-formed: skip the file, say why */
	PL_CONFIG_LIMIT,     /* over a bound: the scan is incomplete */
} pl_config_status;

typedef struct pl_config_error {
	unsigned line, col;  /* 1-based; 0 if unknown */
	char message[256];
} pl_config_error;

/* Deepest nesting of mappings and sequences a reader accepts. */
#define PL_CONFIG_MAX_DEPTH 256

pl_config_status pl_config_read_yaml(pl_config *cfg, TSParser *parser, const char *text,
				     size_t len, pl_config_error *err);
pl_config_status pl_config_read_json(pl_config *cfg, TSParser *parser, const char *text,
				     size_t len, pl_config_error *err);
pl_config_status pl_config_read_toml(pl_config *cfg, TSParser *parser, const char *text,
				     size_t len, pl_config_error *err);
pl_config_status pl_config_read_dockerfile(pl_config *cfg, const char *text, size_t len,
					   pl_config_error *err);

/* The reader for a format language (yaml, json, toml, dockerfile); err may be NULL. */
pl_config_status pl_config_read(pl_config *cfg, const pl_language *lang, TSParser *parser,
				const char *text, size_t len, pl_config_error *err);

#endif

/*
 * yaml_index: where every key and value of a YAML document sits.
 *
 * libcyaml turns a rule file into C structs but reports positions only
 * through its log callback, and then only the position of the last value it
 * parsed. This index is built with libyaml from the same bytes, so the
 * loader can point at the exact key or value behind any error: by path
 * ("rules[2].match[0].query") or by key name after a position.
 *
 * Lines and columns are 1-based.
 */
#ifndef PL_YAML_INDEX_H
#define PL_YAML_INDEX_H

#include <stdbool.h>
#include <stddef.h>

typedef enum pl_yaml_kind {
	PL_YAML_SCALAR,
	PL_YAML_MAPPING,
	PL_YAML_SEQUENCE,
	PL_YAML_ALIAS,
} pl_yaml_kind;

typedef struct pl_yaml_entry {
	char *path;          /* owned: "rules[0].id"; "" for the document root */
	pl_yaml_kind kind;
	char *value;         /* owned: a scalar's text (NULL for other kinds), for keys
				libcyaml cannot type, such as a map with free-form keys */
	char *key;           /* owned: last key on the path; NULL for sequence items */
	unsigned key_line, key_col;   /* position of the key (0 for sequence items) */
	unsigned line, col;  /* position of the value */
	bool block_scalar;   /* value is a `|` or `>` block: text starts on the next line */
	unsigned indent;     /* block scalars: column of the text, when known */
} pl_yaml_entry;

typedef struct pl_yaml_index {
	pl_yaml_entry *items;
	size_t len, cap;
	unsigned documents;          /* number of documents in the stream */
	unsigned second_doc_line;    /* where the second document starts, if any */
	unsigned second_doc_col;
	bool has_alias;
	unsigned alias_line, alias_col;
	char *error;                 /* owned: libyaml's parse error, if any */
	unsigned error_line, error_col;
} pl_yaml_index;

/* Build the index; returns 0, or -1 with index->error set on a syntax error. */
int pl_yaml_index_build(pl_yaml_index *index, const char *data, size_t len);
void pl_yaml_index_release(pl_yaml_index *index);

const pl_yaml_entry *pl_yaml_index_find(const pl_yaml_index *index, const char *path);

/* The first entry with this key at or after (line, col). */
const pl_yaml_entry *pl_yaml_index_find_key_after(const pl_yaml_index *index, const char *key,
						  unsigned line, unsigned col);

#endif

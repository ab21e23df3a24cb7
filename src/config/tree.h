/*
 * tree: one small model for every configuration format.
 *
 * YAML (all documents of a stream), JSON, TOML and Dockerfiles are turned
 * into documents of mapping / sequence / scalar nodes with exact positions,
 * so one rule style (path selectors and conditions, check.h) serves them
 * all. Scalars are typed as YAML 1.2's core schema reads them (JSON and TOML
 * types map onto the same set) and keep their decoded text.
 *
 * Ownership: a pl_config owns an arena holding every node and string; the
 * whole tree is freed by pl_config_release. Nodes are immutable once built.
 * YAML aliases point at the anchored node itself (the tree is then a DAG,
 * never a copy), so an alias bomb costs no memory; walkers bound their work
 * instead (path.h).
 *
 * Positions are 1-based; columns count bytes. For a mapping value, `key_line`
 * / `key_col` give the key's position, which is where a missing child is
 * reported.
 */
#ifndef PL_CONFIG_TREE_H
#define PL_CONFIG_TREE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"

typedef enum pl_node_kind {
	PL_NODE_SCALAR,
	PL_NODE_MAPPING,
	PL_NODE_SEQUENCE,
} pl_node_kind;

typedef enum pl_scalar_type {
	PL_SCALAR_STRING,
	PL_SCALAR_INT,
	PL_SCALAR_FLOAT,
	PL_SCALAR_BOOL,
	PL_SCALAR_NULL,
} pl_scalar_type;

typedef struct pl_node pl_node;

typedef struct pl_pair {
	const char *key;         /* decoded key text */
	size_t key_len;
	unsigned key_line, key_col;
	pl_node *value;
} pl_pair;

struct pl_node {
	pl_node_kind kind;
	pl_scalar_type type;     /* scalars only */
	const char *text;        /* scalars: decoded value, NUL-terminated */
	size_t text_len;
	double number;           /* INT and FLOAT scalars */
	bool boolean;            /* BOOL scalars */
	unsigned line, col, end_line, end_col;
	pl_pair *pairs;          /* mappings: in source order */
	size_t npairs;
	pl_node **items;         /* sequences */
	size_t nitems;
	bool is_alias;           /* reached through a YAML alias (shared node) */
};

/* The file kinds of SPEC 4.2, decided from path and content (kind.h). */
typedef enum pl_file_kind {
	PL_KIND_NONE = 0,
	PL_KIND_KUBERNETES,
	PL_KIND_GITHUB_ACTIONS,
	PL_KIND_GITLAB_CI,
	PL_KIND_DOCKER_COMPOSE,
	PL_KIND_HELM_VALUES,
	PL_KIND_DOCKERFILE,
	PL_KIND_YAML,
	PL_KIND_JSON,
	PL_KIND_TOML,
	PL_KIND_COUNT,
} pl_file_kind;

const char *pl_file_kind_name(pl_file_kind kind);
/* Returns PL_KIND_NONE for an unknown name. */
pl_file_kind pl_file_kind_parse(const char *name);

typedef struct pl_config {
	pl_arena arena;
	pl_node **documents;     /* arena-owned; a Kubernetes `List` adds its items */
	size_t ndocuments;
	pl_file_kind kind;
} pl_config;

void pl_config_release(pl_config *cfg);

/* --- building (for the format readers) --- */
pl_node *pl_node_new(pl_config *cfg, pl_node_kind kind);
void pl_node_add_pair(pl_config *cfg, pl_node *map, const char *key, size_t key_len,
		      unsigned key_line, unsigned key_col, pl_node *value);
void pl_node_add_item(pl_config *cfg, pl_node *seq, pl_node *item);
void pl_config_add_document(pl_config *cfg, pl_node *root);
/* Type a plain (unquoted) scalar by the YAML 1.2 core schema: null, bool, int, float. */
void pl_node_type_plain_scalar(pl_node *n);

/* --- reading --- */
/* The value under `key` in a mapping, or NULL. */
const pl_node *pl_node_get(const pl_node *map, const char *key);
/* The pair holding `key`, or NULL (for the key's position). */
const pl_pair *pl_node_get_pair(const pl_node *map, const char *key);
/* Scalar text of map[key], or NULL if missing or not a scalar. */
const char *pl_node_get_text(const pl_node *map, const char *key);

#endif

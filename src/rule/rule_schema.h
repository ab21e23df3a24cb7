/*
 * rule_schema: the rule file as libcyaml loads it, before validation.
 * Private to src/rule/. Every field is a string (or a sequence), so that
 * values are checked by our own code with located, specific messages;
 * libcyaml enforces the shape (unknown keys, wrong types, duplicates).
 */
#ifndef PL_RULE_SCHEMA_H
#define PL_RULE_SCHEMA_H

#include <cyaml/cyaml.h>

typedef struct raw_condition {
	char *capture;
	char *has;
	char *not_has;
	char *inside;
	char *not_inside;
	char *file_has;
	char *file_not_has;
	struct raw_condition *where;
	unsigned where_count;
} raw_condition;

typedef struct raw_match {
	char **languages;
	unsigned languages_count;
	char *query;
	char *at;
	raw_condition *where;
	unsigned where_count;
} raw_match;

typedef struct raw_rule {
	char *id;
	char *title;
	char *severity;
	char *category;
	char **checklist;
	unsigned checklist_count;
	char *message;
	char *rationale;
	char *remediation;
	raw_match *match;
	unsigned match_count;
} raw_rule;

/* A file is either one rule (fields at the top) or `rules:` with a list. */
typedef struct raw_file {
	raw_rule single;
	raw_rule *rules;
	unsigned rules_count;
} raw_file;

extern const cyaml_schema_value_t pl_rule_file_schema;

#endif

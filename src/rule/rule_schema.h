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
	char *message;
	char **paths;
	unsigned paths_count;
	raw_condition *where;
	unsigned where_count;
} raw_match;

/* A condition over a config tree (src/config/check.h); one test per mapping. */
typedef struct raw_cond {
	char *path;
	char *present;
	char *absent;
	char *equals;
	char *not_equals;
	char *matches;
	char *not_matches;
	char *key_matches;
	char **in;
	unsigned in_count;
	char **not_in;
	unsigned not_in_count;
	char *gt;
	char *ge;
	char *lt;
	char *le;
	struct raw_cond *all;
	unsigned all_count;
	struct raw_cond *any;
	unsigned any_count;
	struct raw_cond *not_;
} raw_cond;

typedef struct raw_config {
	char **kinds;
	unsigned kinds_count;
	char *message;
	char **paths;
	unsigned paths_count;
	raw_cond *when;
	char **select;
	unsigned select_count;
	raw_cond *require;
	unsigned require_count;
	raw_cond *forbid;
	unsigned forbid_count;
	raw_cond *where;         /* fact definitions: every condition holds -> a fact */
	unsigned where_count;
} raw_config;

/* A repo rule: facts that make it apply, must also hold, or excuse it. */
typedef struct raw_repo {
	char **when;
	unsigned when_count;
	char **require;
	unsigned require_count;
	char **require_any;
	unsigned require_any_count;
	char **unless;
	unsigned unless_count;
	char *at;
	char *report;            /* "once" (default) or "each" */
} raw_repo;

/* A fact definition: queries or config checks whose hits are facts. */
typedef struct raw_factdef {
	char *fact;
	char *description;
	struct raw_match *match;
	unsigned match_count;
	raw_config *config;
	unsigned config_count;
} raw_factdef;

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
	char *snippet;           /* "show" (default) or "hide" (the rule reports secrets) */
	raw_match *match;
	unsigned match_count;
	raw_config *config;
	unsigned config_count;
	raw_repo *repo;
} raw_rule;

/* A file is either one rule (fields at the top) or `rules:` with a list. */
typedef struct raw_file {
	raw_rule single;
	raw_rule *rules;
	unsigned rules_count;
	raw_factdef *facts;
	unsigned facts_count;
} raw_file;

extern const cyaml_schema_value_t pl_rule_file_schema;

#endif

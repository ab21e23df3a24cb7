/*
 * project_schema: `.prodlint.yaml` as libcyaml loads it, before checking.
 * Private to src/project/. As for rule files (rule_schema.h), every value
 * is a string or a list of strings, so that our own code checks values with
 * located, specific messages (an enum, a line number), and libcyaml enforces
 * only the shape: unknown keys, wrong types, duplicates. Required keys are
 * optional here and checked by project.c, which can say which entry lacks
 * what. `severity:` maps free-form keys (rule patterns), which a libcyaml
 * schema cannot express: libcyaml skips it and project.c reads it from the
 * position index, which keeps scalar values.
 */
#ifndef PL_PROJECT_SCHEMA_H
#define PL_PROJECT_SCHEMA_H

#include <cyaml/cyaml.h>

typedef struct raw_ignore_finding {
	char *rule;
	char *path;
	char *line;
	char *reason;
} raw_ignore_finding;

typedef struct raw_attest {
	char **checklist;
	unsigned checklist_count;
	char **rules;
	unsigned rules_count;
	char *reason;
} raw_attest;

typedef struct raw_project {
	char **rules;
	unsigned rules_count;
	char *builtin_rules;
	char **select;
	unsigned select_count;
	char **ignore;
	unsigned ignore_count;
	char **exclude;
	unsigned exclude_count;
	raw_ignore_finding *ignore_findings;
	unsigned ignore_findings_count;
	char *fail_on;
	char *baseline;
	raw_attest *attest;
	unsigned attest_count;
} raw_project;

extern const cyaml_schema_value_t pl_project_schema;

#endif

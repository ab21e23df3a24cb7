#include "project/project_schema.h"

static const cyaml_schema_value_t string_entry = {
	CYAML_VALUE_STRING(CYAML_FLAG_POINTER, char, 0, CYAML_UNLIMITED),
};

/* A list of strings under `key`: present or not, of any length (project.c
 * says which lists must not be empty). */
#define STRING_LIST(key, type, member)                                                   \
	CYAML_FIELD_SEQUENCE(key, CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, type, member, \
			     &string_entry, 0, CYAML_UNLIMITED)

#define STRING(key, type, member) \
	CYAML_FIELD_STRING_PTR(key, CYAML_FLAG_OPTIONAL, type, member, 0, CYAML_UNLIMITED)

static const cyaml_schema_field_t ignore_finding_fields[] = {
	STRING("rule", raw_ignore_finding, rule),
	STRING("path", raw_ignore_finding, path),
	STRING("line", raw_ignore_finding, line),
	STRING("reason", raw_ignore_finding, reason),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t ignore_finding_entry = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, raw_ignore_finding, ignore_finding_fields),
};

static const cyaml_schema_field_t attest_fields[] = {
	STRING_LIST("checklist", raw_attest, checklist),
	STRING_LIST("rules", raw_attest, rules),
	STRING("reason", raw_attest, reason),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t attest_entry = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, raw_attest, attest_fields),
};

static const cyaml_schema_field_t project_fields[] = {
	STRING_LIST("rules", raw_project, rules),
	STRING("builtin-rules", raw_project, builtin_rules),
	STRING_LIST("select", raw_project, select),
	STRING_LIST("ignore", raw_project, ignore),
	CYAML_FIELD_IGNORE("severity", CYAML_FLAG_OPTIONAL),
	STRING_LIST("exclude", raw_project, exclude),
	CYAML_FIELD_SEQUENCE("ignore-findings", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
			     raw_project, ignore_findings, &ignore_finding_entry, 0,
			     CYAML_UNLIMITED),
	STRING("fail-on", raw_project, fail_on),
	STRING("baseline", raw_project, baseline),
	CYAML_FIELD_SEQUENCE("attest", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, raw_project,
			     attest, &attest_entry, 0, CYAML_UNLIMITED),
	CYAML_FIELD_END
};

const cyaml_schema_value_t pl_project_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, raw_project, project_fields),
};

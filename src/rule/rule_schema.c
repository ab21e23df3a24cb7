#include "rule/rule_schema.h"

#include <stddef.h>

static const cyaml_schema_value_t string_entry = {
	CYAML_VALUE_STRING(CYAML_FLAG_POINTER, char, 0, CYAML_UNLIMITED),
};

/* Conditions nest (`where` inside a condition), so the schema refers to itself. */
static const cyaml_schema_value_t condition_entry;

static const cyaml_schema_field_t condition_fields[] = {
	CYAML_FIELD_STRING_PTR("capture", CYAML_FLAG_OPTIONAL, raw_condition, capture, 1, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("has", CYAML_FLAG_OPTIONAL, raw_condition, has, 1, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("not_has", CYAML_FLAG_OPTIONAL, raw_condition, not_has, 1, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("inside", CYAML_FLAG_OPTIONAL, raw_condition, inside, 1, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("not_inside", CYAML_FLAG_OPTIONAL, raw_condition, not_inside, 1, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("file_has", CYAML_FLAG_OPTIONAL, raw_condition, file_has, 1, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("file_not_has", CYAML_FLAG_OPTIONAL, raw_condition, file_not_has, 1, CYAML_UNLIMITED),
	CYAML_FIELD_SEQUENCE("where", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, raw_condition, where,
			     &condition_entry, 1, CYAML_UNLIMITED),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t condition_entry = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, raw_condition, condition_fields),
};

static const cyaml_schema_field_t match_fields[] = {
	CYAML_FIELD_SEQUENCE("languages", CYAML_FLAG_POINTER, raw_match, languages,
			     &string_entry, 1, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("query", CYAML_FLAG_POINTER, raw_match, query, 1, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("at", CYAML_FLAG_OPTIONAL, raw_match, at, 1, CYAML_UNLIMITED),
	CYAML_FIELD_SEQUENCE("where", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, raw_match, where,
			     &condition_entry, 1, CYAML_UNLIMITED),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t match_entry = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, raw_match, match_fields),
};

/* The rule's fields, for a struct `type` whose rule lives at member prefix `m`. */
#define RULE_FIELDS(type, m)                                                                  \
	CYAML_FIELD_STRING_PTR("id", CYAML_FLAG_OPTIONAL, type, m id, 1, CYAML_UNLIMITED),       \
	CYAML_FIELD_STRING_PTR("title", CYAML_FLAG_OPTIONAL, type, m title, 1, CYAML_UNLIMITED), \
	CYAML_FIELD_STRING_PTR("severity", CYAML_FLAG_OPTIONAL, type, m severity, 1, CYAML_UNLIMITED), \
	CYAML_FIELD_STRING_PTR("category", CYAML_FLAG_OPTIONAL, type, m category, 1, CYAML_UNLIMITED), \
	CYAML_FIELD_SEQUENCE("checklist", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, type, m checklist, \
			     &string_entry, 0, CYAML_UNLIMITED),                                    \
	CYAML_FIELD_STRING_PTR("message", CYAML_FLAG_OPTIONAL, type, m message, 1, CYAML_UNLIMITED), \
	CYAML_FIELD_STRING_PTR("rationale", CYAML_FLAG_OPTIONAL, type, m rationale, 1, CYAML_UNLIMITED), \
	CYAML_FIELD_STRING_PTR("remediation", CYAML_FLAG_OPTIONAL, type, m remediation, 1, CYAML_UNLIMITED), \
	CYAML_FIELD_SEQUENCE("match", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, type, m match,      \
			     &match_entry, 0, CYAML_UNLIMITED)

static const cyaml_schema_field_t rule_fields[] = {
	RULE_FIELDS(raw_rule, ),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t rule_entry = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, raw_rule, rule_fields),
};

static const cyaml_schema_field_t file_fields[] = {
	RULE_FIELDS(raw_file, single.),
	CYAML_FIELD_SEQUENCE("rules", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, raw_file, rules,
			     &rule_entry, 1, CYAML_UNLIMITED),
	CYAML_FIELD_END
};

const cyaml_schema_value_t pl_rule_file_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, raw_file, file_fields),
};

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
	CYAML_FIELD_STRING_PTR("message", CYAML_FLAG_OPTIONAL, raw_match, message, 1, CYAML_UNLIMITED),
	CYAML_FIELD_SEQUENCE("paths", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, raw_match, paths,
			     &string_entry, 1, CYAML_UNLIMITED),
	CYAML_FIELD_SEQUENCE("where", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, raw_match, where,
			     &condition_entry, 1, CYAML_UNLIMITED),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t match_entry = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, raw_match, match_fields),
};

/* Config conditions nest (all / any / not), so this schema refers to itself too. */
static const cyaml_schema_value_t cond_entry;

static const cyaml_schema_field_t cond_fields[] = {
	CYAML_FIELD_STRING_PTR("path", CYAML_FLAG_OPTIONAL, raw_cond, path, 0, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("present", CYAML_FLAG_OPTIONAL, raw_cond, present, 0, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("absent", CYAML_FLAG_OPTIONAL, raw_cond, absent, 0, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("equals", CYAML_FLAG_OPTIONAL, raw_cond, equals, 0, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("not_equals", CYAML_FLAG_OPTIONAL, raw_cond, not_equals, 0, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("matches", CYAML_FLAG_OPTIONAL, raw_cond, matches, 1, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("not_matches", CYAML_FLAG_OPTIONAL, raw_cond, not_matches, 1, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("key_matches", CYAML_FLAG_OPTIONAL, raw_cond, key_matches, 1, CYAML_UNLIMITED),
	CYAML_FIELD_SEQUENCE("in", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, raw_cond, in,
			     &string_entry, 1, CYAML_UNLIMITED),
	CYAML_FIELD_SEQUENCE("not_in", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, raw_cond, not_in,
			     &string_entry, 1, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("gt", CYAML_FLAG_OPTIONAL, raw_cond, gt, 1, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("ge", CYAML_FLAG_OPTIONAL, raw_cond, ge, 1, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("lt", CYAML_FLAG_OPTIONAL, raw_cond, lt, 1, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("le", CYAML_FLAG_OPTIONAL, raw_cond, le, 1, CYAML_UNLIMITED),
	CYAML_FIELD_SEQUENCE("all", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, raw_cond, all,
			     &cond_entry, 1, CYAML_UNLIMITED),
	CYAML_FIELD_SEQUENCE("any", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, raw_cond, any,
			     &cond_entry, 1, CYAML_UNLIMITED),
	CYAML_FIELD_MAPPING_PTR("not", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, raw_cond, not_,
				cond_fields),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t cond_entry = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, raw_cond, cond_fields),
};

static const cyaml_schema_field_t config_fields[] = {
	CYAML_FIELD_SEQUENCE("kinds", CYAML_FLAG_POINTER, raw_config, kinds, &string_entry, 1,
			     CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("message", CYAML_FLAG_OPTIONAL, raw_config, message, 1, CYAML_UNLIMITED),
	CYAML_FIELD_SEQUENCE("paths", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, raw_config, paths,
			     &string_entry, 1, CYAML_UNLIMITED),
	CYAML_FIELD_MAPPING_PTR("when", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, raw_config, when,
				cond_fields),
	CYAML_FIELD_SEQUENCE("select", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, raw_config, select,
			     &string_entry, 1, CYAML_UNLIMITED),
	CYAML_FIELD_SEQUENCE("require", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, raw_config, require,
			     &cond_entry, 1, CYAML_UNLIMITED),
	CYAML_FIELD_SEQUENCE("forbid", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, raw_config, forbid,
			     &cond_entry, 1, CYAML_UNLIMITED),
	CYAML_FIELD_SEQUENCE("where", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, raw_config, where,
			     &cond_entry, 1, CYAML_UNLIMITED),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t config_entry = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, raw_config, config_fields),
};

static const cyaml_schema_field_t repo_fields[] = {
	CYAML_FIELD_SEQUENCE("when", CYAML_FLAG_POINTER, raw_repo, when, &string_entry, 1,
			     CYAML_UNLIMITED),
	CYAML_FIELD_SEQUENCE("require", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, raw_repo, require,
			     &string_entry, 1, CYAML_UNLIMITED),
	CYAML_FIELD_SEQUENCE("require_any", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, raw_repo,
			     require_any, &string_entry, 1, CYAML_UNLIMITED),
	CYAML_FIELD_SEQUENCE("unless", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, raw_repo, unless,
			     &string_entry, 1, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("at", CYAML_FLAG_OPTIONAL, raw_repo, at, 1, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("report", CYAML_FLAG_OPTIONAL, raw_repo, report, 1, CYAML_UNLIMITED),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t factdef_fields[] = {
	CYAML_FIELD_STRING_PTR("fact", CYAML_FLAG_POINTER, raw_factdef, fact, 1, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("description", CYAML_FLAG_POINTER, raw_factdef, description, 1,
			       CYAML_UNLIMITED),
	CYAML_FIELD_SEQUENCE("match", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, raw_factdef, match,
			     &match_entry, 1, CYAML_UNLIMITED),
	CYAML_FIELD_SEQUENCE("config", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, raw_factdef, config,
			     &config_entry, 1, CYAML_UNLIMITED),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t factdef_entry = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, raw_factdef, factdef_fields),
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
	CYAML_FIELD_STRING_PTR("snippet", CYAML_FLAG_OPTIONAL, type, m snippet, 1, CYAML_UNLIMITED), \
	CYAML_FIELD_SEQUENCE("match", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, type, m match,      \
			     &match_entry, 0, CYAML_UNLIMITED),                                     \
	CYAML_FIELD_SEQUENCE("config", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, type, m config,    \
			     &config_entry, 0, CYAML_UNLIMITED),                                    \
	CYAML_FIELD_MAPPING_PTR("repo", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, type, m repo,     \
				repo_fields)

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
	CYAML_FIELD_SEQUENCE("facts", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, raw_file, facts,
			     &factdef_entry, 1, CYAML_UNLIMITED),
	CYAML_FIELD_END
};

const cyaml_schema_value_t pl_rule_file_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, raw_file, file_fields),
};

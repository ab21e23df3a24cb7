/*
 * cli: the command line (SPEC 1). main.c dispatches to one file per
 * subcommand; this header is shared by them only.
 */
#ifndef PL_CLI_H
#define PL_CLI_H

#include <stdbool.h>

#include "rule/rule.h"
#include "util/diag.h"

/* Exit codes: the contract scripts and CI depend on. */
enum {
	PL_EXIT_CLEAN = 0,       /* nothing at or above --fail-on */
	PL_EXIT_FINDINGS = 1,    /* findings at or above --fail-on */
	PL_EXIT_USAGE = 2,       /* bad usage, invalid rule or config, unreadable root */
	PL_EXIT_INCOMPLETE = 3,  /* a file in scope could not be scanned */
};

/* Where rules come from: built-in unless disabled, plus --rules paths. */
typedef struct pl_rule_sources {
	bool no_builtin;
	const char **paths;
	size_t len, cap;
} pl_rule_sources;

/* The built-in rule directory: $PRODLINT_RULES_DIR, else the one compiled in. */
const char *pl_cli_builtin_rules_dir(void);

/* Load and finish a rule set; on error print the diagnostics and return -1. */
int pl_cli_load_rules(const pl_rule_sources *src, pl_ruleset *rs);

/* Print `prodlint: <message>` to stderr (git style: lowercase, subject quoted). */
void pl_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int pl_cmd_scan(int argc, char **argv);
int pl_cmd_rules(int argc, char **argv);
int pl_cmd_inspect(int argc, char **argv);
int pl_cmd_init(int argc, char **argv);

#endif

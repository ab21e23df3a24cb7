/*
 * Shared set-up for the libFuzzer targets (tests/fuzz/, built with
 * -DPRODLINT_FUZZ=ON and clang). Everything here is created once per
 * process, on first use, and never freed: libFuzzer runs one input after
 * another in the same process, and leak checking only looks at what an
 * input allocates.
 *
 *   fuzz_rules()      the built-in rule pack ($PRODLINT_RULES_DIR, else the
 *                     source tree's rules/), queries compiled for the
 *                     target's languages (call it from LLVMFuzzerInitialize)
 *   fuzz_parser()     a tree-sitter parser for the current input, deleted
 *                     by fuzz_parser_release() when the input is done (the
 *                     scan and config helpers do): a parser keeps buffers
 *                     between parses, and libFuzzer runs a full leak check,
 *                     costlier than the input, after every input that
 *                     allocates more than it frees
 *   fuzz_suppress_config()  the suppression judge for the loaded rules
 *   fuzz_scan_text()  what a scan does to one file: queries, config checks,
 *                     CI and Kubernetes models, then inline suppressions
 *   fuzz_config_walk() a config tree under a few fixed path selectors
 *                     and conditions, with a visit budget
 */
#ifndef PL_FUZZ_COMMON_H
#define PL_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <tree_sitter/api.h>

#include "config/tree.h"
#include "lang/lang.h"
#include "rule/rule.h"

/* Load once; compile the queries for these languages (by name). */
const pl_ruleset *fuzz_rules(const char *const *langs, size_t nlangs);
TSParser *fuzz_parser(void);
void fuzz_parser_release(void);
/* How a scan judges suppressions with those rules (after fuzz_rules). */
const struct pl_suppress_config *fuzz_suppress_config(void);
const pl_language *fuzz_language(const char *name);

/* Scan `len` bytes as the file `path` in `lang` with the built-in rules. */
void fuzz_scan_text(const char *path, const pl_language *lang, const uint8_t *data, size_t len);

/* Evaluate fixed selectors and conditions over every document of cfg. */
void fuzz_config_walk(const pl_config *cfg);

/* Read `data` as a config of `lang`; on success walk it. Then scan it as
 * the file `path` (which decides the kind: workflow, compose, ...). */
void fuzz_config_input(const char *lang_name, const char *const *paths, size_t npaths,
		       const uint8_t *data, size_t len);

/* LLVMFuzzerInitialize that loads the rules for these languages up front. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
#define FUZZ_INIT_RULES(...)                                                        \
	int LLVMFuzzerInitialize(int *argc, char ***argv)                           \
	{                                                                           \
		static const char *const langs_[] = { __VA_ARGS__ };                \
		(void)argc;                                                         \
		(void)argv;                                                         \
		fuzz_rules(langs_, sizeof(langs_) / sizeof(langs_[0]));             \
		return 0;                                                           \
	}

#endif

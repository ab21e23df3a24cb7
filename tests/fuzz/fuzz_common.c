#include "fuzz_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/check.h"
#include "config/kind.h"
#include "config/path.h"
#include "config/reader.h"
#include "facts/ci.h"
#include "scan/scan.h"
#include "suppress/suppress.h"
#include "util/diag.h"

static pl_ruleset rules = PL_RULESET_INIT;
static bool rules_loaded;
static TSParser *parser;
static pl_ci_classifier *classifier;
static pl_suppress_config suppress;

const pl_ruleset *fuzz_rules(const char *const *langs, size_t nlangs)
{
	if (rules_loaded)
		return &rules;
	const char *dir = getenv("PRODLINT_RULES_DIR");
	if (!dir || !*dir)
		dir = PRODLINT_BUILTIN_RULES_DIR;
	pl_diags diags = PL_DIAGS_INIT;
	/* Compile only the queries of the languages this target feeds in: query
	 * analysis is slow under the fuzzer's instrumentation. */
	unsigned bits = 0;
	for (size_t i = 0; i < nlangs; i++)
		bits |= pl_language_bit(fuzz_language(langs[i]));
	rules.defer_queries = true;
	if (pl_ruleset_load_path(&rules, dir, &diags) < 0 || pl_ruleset_finish(&rules, &diags) < 0 ||
	    pl_ruleset_prepare(&rules, bits, 1, &diags) < 0) {
		pl_diags_print(&diags, stderr, "error");
		fprintf(stderr, "fuzz: cannot load the rules in %s\n", dir);
		abort();
	}
	pl_diags_release(&diags);
	classifier = pl_ci_classifier_new();
	pl_suppress_config_init(&suppress, &rules, 20250101);
	rules_loaded = true;
	return &rules;
}

const pl_suppress_config *fuzz_suppress_config(void)
{
	return &suppress;
}

TSParser *fuzz_parser(void)
{
	if (!parser)
		parser = ts_parser_new();
	return parser;
}

void fuzz_parser_release(void)
{
	ts_parser_delete(parser);
	parser = NULL;
}

const pl_language *fuzz_language(const char *name)
{
	const pl_language *lang = pl_language_by_name(name);
	if (!lang) {
		fprintf(stderr, "fuzz: no language '%s'\n", name);
		abort();
	}
	return lang;
}

void fuzz_scan_text(const char *path, const pl_language *lang, const uint8_t *data, size_t len)
{
	const pl_ruleset *rs = fuzz_rules(&lang->name, 1);
	/* Files are NUL-terminated when read (fs.h); so is the copy. */
	char *text = malloc(len + 1);
	memcpy(text, data, len);
	text[len] = '\0';
	char fs_path[] = "/nonexistent/prodlint-fuzz/file";
	pl_file file = { (char *)path, fs_path, lang, 0 };
	pl_scan_context ctx = { .rules = rs, .parser = fuzz_parser(), .ci = classifier };
	pl_file_output out;
	pl_file_output_init(&out);
	pl_scan_file_text(&ctx, &file, text, len, &out);
	pl_scan_suppress(&suppress, fuzz_parser(), &file, text, len,
			 !out.errors.len && !out.skipped.len, &out.findings);
	pl_file_output_release(&out);
	free(text);
	fuzz_parser_release();
}

/* --- config trees ------------------------------------------------------ */

static bool count_node(void *ctx, const pl_node *node, const pl_pair *via)
{
	(void)via;
	size_t *n = ctx;
	if (node->kind == PL_NODE_SCALAR && node->text)
		*n += node->text_len + strlen(node->text); /* touch the text */
	return true;
}

static const char *const selectors[] = {
	"**", "*", "*.*", "[0]", "[*]", "$doc.**", "$pod.containers[*].image",
	"spec.template.spec.containers[*]", "jobs.*.steps[*].run", "[\"a.b/c\"].*",
};

void fuzz_config_walk(const pl_config *cfg)
{
	static pl_path *paths[sizeof(selectors) / sizeof(selectors[0])];
	static pl_cond *conds[3];
	static bool ready;
	if (!ready) {
		for (size_t i = 0; i < sizeof(selectors) / sizeof(selectors[0]); i++) {
			char err[128];
			size_t off;
			paths[i] = pl_path_compile(selectors[i], err, sizeof(err), &off);
			if (!paths[i]) {
				fprintf(stderr, "fuzz: selector '%s': %s\n", selectors[i], err);
				abort();
			}
		}
		char err[128];
		size_t off;
		pl_cond *present = calloc(1, sizeof(pl_cond));
		present->kind = PL_COND_PRESENT;
		present->path = pl_path_compile("**.securityContext.privileged", err, sizeof(err), &off);
		pl_cond *equals = calloc(1, sizeof(pl_cond));
		equals->kind = PL_COND_NOT_EQUALS;
		equals->path = pl_path_compile("**", err, sizeof(err), &off);
		equals->values = calloc(1, sizeof(char *));
		equals->values[0] = strdup("true");
		equals->nvalues = 1;
		pl_cond *gt = calloc(1, sizeof(pl_cond));
		gt->kind = PL_COND_GT;
		gt->path = pl_path_compile("*.*", err, sizeof(err), &off);
		gt->number = 1.5;
		conds[0] = present;
		conds[1] = equals;
		conds[2] = gt;
		ready = true;
	}
	size_t touched = 0;
	for (size_t d = 0; d < cfg->ndocuments; d++) {
		const pl_node *doc = cfg->documents[d];
		for (size_t i = 0; i < sizeof(selectors) / sizeof(selectors[0]); i++) {
			pl_path_env env = { doc, 20000 };
			pl_path_each(paths[i], doc, &env, count_node, &touched);
			pl_path_env env2 = { doc, 20000 };
			const pl_pair *via = NULL;
			pl_path_deepest(paths[i], doc, &env2, &via);
		}
		for (size_t i = 0; i < sizeof(conds) / sizeof(conds[0]); i++) {
			pl_path_env env = { doc, 20000 };
			pl_culprit culprit = { 0 };
			pl_cond_eval(conds[i], doc, &env, &culprit);
		}
		pl_k8s_pod_spec(doc);
	}
	(void)touched;
}

void fuzz_config_input(const char *lang_name, const char *const *paths, size_t npaths,
		       const uint8_t *data, size_t len)
{
	const pl_language *lang = fuzz_language(lang_name);
	char *text = malloc(len + 1);
	memcpy(text, data, len);
	text[len] = '\0';
	pl_config cfg = { 0 };
	pl_config_error err;
	if (pl_config_read(&cfg, lang, fuzz_parser(), text, len, &err) == PL_CONFIG_OK) {
		pl_config_refine_kind(&cfg);
		fuzz_config_walk(&cfg);
	}
	pl_config_release(&cfg);
	free(text);
	/* The first byte picks the path, so every kind's checks see the input. */
	if (npaths)
		fuzz_scan_text(paths[len ? data[0] % npaths : 0], lang, data, len);
	fuzz_parser_release();
}

/* prodlint rules list|show|test */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/rules_doc.h"
#include "scan/fixtures.h"
#include "util/fs.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static void join(pl_strbuf *sb, const char *const *items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		pl_strbuf_addf(sb, "%s%s", i ? "," : "", items[i]);
}

static int cmd_list(const pl_ruleset *rs, const char *format)
{
	size_t shown = 0;
	for (size_t i = 0; i < rs->len; i++)
		shown += !pl_rule_is_fact(rs->rules[i]);
	if (strcmp(format, "json") == 0) {
		json_t *arr = json_array();
		for (size_t i = 0; i < rs->len; i++) {
			const pl_rule *r = rs->rules[i];
			if (pl_rule_is_fact(r))
				continue;
			const char *langs[16];
			size_t nl = pl_rule_reads(r, langs, 16);
			json_t *ck = json_array(), *jl = json_array();
			for (size_t k = 0; k < r->checklist_len; k++)
				json_array_append_new(ck, json_string(r->checklist[k]));
			for (size_t k = 0; k < nl; k++)
				json_array_append_new(jl, json_string(langs[k]));
			json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s,s:o,s:o}", "id", r->id,
							     "title", r->title, "severity",
							     pl_severity_name(r->severity), "category",
							     r->category, "checklist", ck, "languages", jl));
		}
		json_t *root = json_pack("{s:i,s:o}", "version", 1, "rules", arr);
		char *s = json_dumps(root, JSON_INDENT(2));
		puts(s);
		free(s);
		json_decref(root);
		return PL_EXIT_CLEAN;
	}
	if (strcmp(format, "markdown") == 0) {
		pl_strbuf md = PL_STRBUF_INIT;
		pl_rules_markdown(rs, pl_cli_builtin_rules_dir(), &md);
		fputs(md.buf, stdout);
		pl_strbuf_release(&md);
		return PL_EXIT_CLEAN;
	}
	for (size_t i = 0; i < rs->len; i++) {
		const pl_rule *r = rs->rules[i];
		if (pl_rule_is_fact(r))
			continue;
		const char *langs[16];
		size_t nl = pl_rule_reads(r, langs, 16);
		pl_strbuf ck = PL_STRBUF_INIT, ls = PL_STRBUF_INIT;
		join(&ck, (const char *const *)r->checklist, r->checklist_len);
		join(&ls, langs, nl);
		printf("%-44s %-8s %-14s %-10s %s\n", r->id, pl_severity_name(r->severity), r->category,
		       ck.buf, ls.buf);
		pl_strbuf_release(&ck);
		pl_strbuf_release(&ls);
	}
	printf("%zu rule%s\n", shown, shown == 1 ? "" : "s");
	return PL_EXIT_CLEAN;
}

static int cmd_show(const pl_ruleset *rs, const char *id)
{
	const pl_rule *r = pl_ruleset_find(rs, id);
	if (!r) {
		pl_cli_error("no rule '%s' (see prodlint rules list)", id);
		return PL_EXIT_USAGE;
	}
	const char *langs[16];
	size_t nl = pl_rule_reads(r, langs, 16);
	pl_strbuf ck = PL_STRBUF_INIT, ls = PL_STRBUF_INIT;
	join(&ck, (const char *const *)r->checklist, r->checklist_len);
	join(&ls, langs, nl);
	printf("%s: %s\n\nseverity:   %s\ncategory:   %s\nchecklist:  %s\nreads:      %s\n"
	       "defined in: %s:%u\n\nWhy\n%s\n\nHow to fix\n%s\n",
	       r->id, r->title, pl_severity_name(r->severity), r->category, ck.buf, ls.buf,
	       r->source_path, r->source_line, r->rationale, r->remediation);
	if (r->matchers_len)
		printf("\nPrefilter (what a file must contain before it is parsed for this rule,\n"
		       "and the literals whose places a query is matched from)\n");
	for (size_t i = 0; i < r->matchers_len; i++) {
		char *needs = pl_pattern_describe_needs(r->matchers[i].pattern);
		char *anchor = pl_pattern_describe_anchor(r->matchers[i].pattern);
		printf("query %zu (%s): %s\n", i + 1, r->matchers[i].language->name, needs);
		printf("  matched from: %s\n", anchor ? anchor : "the whole file (merged query)");
		free(needs);
		free(anchor);
	}
	pl_strbuf_release(&ck);
	pl_strbuf_release(&ls);
	return PL_EXIT_CLEAN;
}

/* The built-in fixtures sit beside the built-in rules: <rules>/../fixtures. */
static char *builtin_fixtures_dir(void)
{
	return pl_path_join(pl_cli_builtin_rules_dir(), "../fixtures");
}

static int cmd_test(pl_ruleset *rs, const char *const *dirs, size_t ndirs)
{
	/* Prove every query compiles, in every language (the pack is trusted
	 * elsewhere because this passes). */
	pl_diags diags = PL_DIAGS_INIT;
	rs->compile_each = true;
	if (pl_ruleset_prepare(rs, ~0u, 0, &diags) < 0) {
		pl_diags_print(&diags, stderr, "error");
		pl_diags_release(&diags);
		return PL_EXIT_USAGE;
	}
	pl_diags_release(&diags);
	char *builtin = NULL;
	const char *defaults[1];
	if (ndirs == 0) {
		builtin = builtin_fixtures_dir();
		defaults[0] = builtin;
		dirs = defaults;
		ndirs = 1;
	}
	pl_strbuf out = PL_STRBUF_INIT;
	pl_fixture_summary sum;
	pl_fixtures_run(rs, dirs, ndirs, &out, &sum);
	fputs(out.buf, stdout);
	printf("%zu rule%s passed, %zu failed, %zu expectation%s checked\n", sum.rules_passed,
	       sum.rules_passed == 1 ? "" : "s", sum.rules_failed, sum.expectations,
	       sum.expectations == 1 ? "" : "s");
	pl_strbuf_release(&out);
	free(builtin);
	return sum.rules_failed ? PL_EXIT_FINDINGS : PL_EXIT_CLEAN;
}

static const char rules_usage[] =
	"usage: prodlint rules list [--format text|json|markdown] [--rules PATH] [--no-builtin-rules]\n"
	"       prodlint rules show ID [--rules PATH] [--no-builtin-rules]\n"
	"       prodlint rules test [--rules PATH] [--no-builtin-rules] [FIXTURES_DIR ...]\n";

int pl_cmd_rules(int argc, char **argv)
{
	if (argc < 2) {
		fputs(rules_usage, stderr);
		return PL_EXIT_USAGE;
	}
	const char *sub = argv[1];
	pl_rule_sources src = { 0 };
	const char *format = "text";
	const char **rest = pl_xcalloc((size_t)argc, sizeof(char *));
	size_t nrest = 0;
	int rc = PL_EXIT_USAGE;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		if ((strcmp(a, "--rules") == 0 || strcmp(a, "--format") == 0 || strcmp(a, "-f") == 0) &&
		    i + 1 >= argc) {
			pl_cli_error("option '%s' needs a value", a);
			goto cleanup;
		}
		if (strcmp(a, "--rules") == 0) {
			PL_GROW(src.paths, src.cap, src.len + 1);
			src.paths[src.len++] = argv[++i];
		} else if (strncmp(a, "--rules=", 8) == 0) {
			PL_GROW(src.paths, src.cap, src.len + 1);
			src.paths[src.len++] = a + 8;
		} else if (strcmp(a, "--no-builtin-rules") == 0) {
			src.no_builtin = true;
		} else if (strcmp(a, "--format") == 0 || strcmp(a, "-f") == 0) {
			format = argv[++i];
		} else if (a[0] == '-' && a[1]) {
			pl_cli_error("unknown option '%s'", a);
			goto cleanup;
		} else {
			rest[nrest++] = a;
		}
	}
	bool is_list = strcmp(sub, "list") == 0, is_show = strcmp(sub, "show") == 0,
	     is_test = strcmp(sub, "test") == 0;
	if (!is_list && !is_show && !is_test) {
		pl_cli_error("unknown subcommand 'rules %s'", sub);
		fputs(rules_usage, stderr);
		goto cleanup;
	}
	if (is_list && strcmp(format, "text") != 0 && strcmp(format, "json") != 0 &&
	    strcmp(format, "markdown") != 0) {
		pl_cli_error("invalid value '%s' for --format: expected text, json or markdown", format);
		goto cleanup;
	}
	if ((is_show && nrest != 1) || (is_list && nrest)) {
		fputs(rules_usage, stderr);
		goto cleanup;
	}
	pl_ruleset rs = PL_RULESET_INIT;
	if (pl_cli_load_rules(&src, &rs) < 0)
		goto cleanup;
	if (is_list)
		rc = cmd_list(&rs, format);
	else if (is_show)
		rc = cmd_show(&rs, rest[0]);
	else
		rc = cmd_test(&rs, rest, nrest);
	pl_ruleset_release(&rs);
cleanup:
	free(src.paths);
	free(rest);
	return rc;
}

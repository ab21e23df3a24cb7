/* Helpers shared by the subcommands: errors and rule loading. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"

void pl_cli_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("prodlint: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

const char *pl_cli_builtin_rules_dir(void)
{
	const char *env = getenv("PRODLINT_RULES_DIR");
	return env && *env ? env : PRODLINT_BUILTIN_RULES_DIR;
}

int pl_cli_load_rules(const pl_rule_sources *src, pl_ruleset *rs)
{
	pl_diags diags = PL_DIAGS_INIT;
	int rc = 0;
	/* The built-in pack is proven by `rules test` in CI: its queries compile
	 * lazily, for the languages a scan meets. User rules compile now, so a
	 * bad query is reported at load, located. */
	rs->defer_queries = true;
	int builtin = src->no_builtin ? 0 : pl_ruleset_load_path(rs, pl_cli_builtin_rules_dir(), &diags);
	rs->defer_queries = false;
	if (builtin < 0)
		rc = -1;
	for (size_t i = 0; i < src->len; i++)
		if (pl_ruleset_load_path(rs, src->paths[i], &diags) < 0)
			rc = -1;
	if (rc == 0 && pl_ruleset_finish(rs, &diags) < 0)
		rc = -1;
	pl_diags_print(&diags, stderr, "error");
	pl_diags_release(&diags);
	return rc;
}

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/mem.h"
#include "util/xalloc.h"

static const char usage[] =
	"usage: prodlint [scan] [OPTIONS] [PATH ...]   scan a repository (default: .)\n"
	"       prodlint rules list [--format text|json|markdown]\n"
	"       prodlint rules show ID\n"
	"       prodlint rules test [FIXTURES_DIR ...]\n"
	"       prodlint inspect FILE                  the syntax or config tree rules see\n"
	"       prodlint init                          write a commented .prodlint.yaml here\n"
	"       prodlint --version | --help\n"
	"\n"
	"Scan options:\n"
	"  -f, --format FORMAT     text (default), json, sarif, github or markdown\n"
	"  -o, --output FILE       write the report to FILE (atomically)\n"
	"      --config FILE       settings file (default: .prodlint.yaml found from the root up)\n"
	"      --rules PATH        add rules from a file or directory (repeatable)\n"
	"      --no-builtin-rules  do not load the built-in rules\n"
	"      --select PATTERN    only rules matching an id, category or glob (repeatable)\n"
	"      --ignore PATTERN    drop rules matching an id, category or glob (repeatable)\n"
	"      --fail-on LEVEL     error, warning (default), note or none\n"
	"      --baseline FILE     report only findings not recorded in FILE\n"
	"      --write-baseline FILE  record the current findings in FILE (then report none)\n"
	"      --staged            report on the files staged in git (their staged content);\n"
	"                          facts still come from the whole repository\n"
	"      --changed-since REF report on the lines changed since REF (a branch, tag, commit)\n"
	"      --no-cache          do not read or write the per-file cache ($XDG_CACHE_HOME/prodlint)\n"
	"  -j, --jobs N            worker threads (default: number of CPUs)\n"
	"      --no-ignore         do not honour .gitignore / .prodlintignore; scan minified\n"
	"                          bundles (*.min.js) too\n"
	"      --max-file-size N   skip files larger than N bytes (default 1048576)\n"
	"      --max-memory SIZE   stop with exit 3 past SIZE of memory in use (512M, 2G;\n"
	"                          default: half the RAM, at most 4G; also PRODLINT_MAX_MEMORY)\n"
	"      --color WHEN        auto (default), always or never; NO_COLOR is honoured\n"
	"  -q, --quiet             print findings only, no summary\n"
	"      --stats             print file and timing statistics to stderr\n"
	"      --no-inline-suppressions\n"
	"                          ignore prodlint-ignore comments and annotations (audits)\n"
	"      --no-prefilter      parse every file, even those no rule's literals occur in\n"
	"      --separate-queries  run each rule's query on its own, not merged per language\n"
	"      --profile-rules     print the matching time of the 25 slowest rules to stderr\n"
	"\n"
	"Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage, rule or config error,\n"
	"3 incomplete scan (a file could not be scanned).\n";

/* The libraries' allocators and the memory ceiling, before anything allocates. */
static int memory_setup(void)
{
	pl_mem_init();
	const char *env = getenv("PRODLINT_MAX_MEMORY");
	size_t limit;
	if (env && *env) {
		if (pl_mem_parse_size(env, &limit) < 0) {
			pl_cli_error("invalid PRODLINT_MAX_MEMORY '%s': expected a size such as 512M or 2G",
				     env);
			return -1;
		}
		pl_xalloc_set_limit(limit);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (memory_setup() < 0)
		return PL_EXIT_USAGE;
	if (argc >= 2) {
		if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
		    strcmp(argv[1], "help") == 0) {
			fputs(usage, stdout);
			return PL_EXIT_CLEAN;
		}
		if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
			printf("prodlint %s\n", PRODLINT_VERSION);
			return PL_EXIT_CLEAN;
		}
		if (strcmp(argv[1], "scan") == 0)
			return pl_cmd_scan(argc - 1, argv + 1);
		if (strcmp(argv[1], "rules") == 0)
			return pl_cmd_rules(argc - 1, argv + 1);
		if (strcmp(argv[1], "inspect") == 0)
			return pl_cmd_inspect(argc - 1, argv + 1);
		if (strcmp(argv[1], "init") == 0)
			return pl_cmd_init(argc - 1, argv + 1);
	}
	return pl_cmd_scan(argc, argv);
}

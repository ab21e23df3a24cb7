/* A `.prodlint.yaml`: loading and validation (libyaml index, libcyaml
 * schema, every key's checks), the checks against the built-in rules, then
 * excludes and ignore-findings / attest filtering of a few findings. The
 * loader reads a path, so each input is written to a file in a private
 * temporary directory (on /dev/shm when there is one: no disk traffic). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "project/project.h"
#include "util/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];
static char file[96];

static void cleanup(void)
{
	unlink(file);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_rules(NULL, 0);
	const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(dir, sizeof(dir), "%s/prodlint-fuzz-project.XXXXXX", base);
	if (!mkdtemp(dir)) {
		perror("fuzz: mkdtemp");
		abort();
	}
	snprintf(file, sizeof(file), "%s/%s", dir, PL_PROJECT_FILE);
	atexit(cleanup);
	return 0;
}

/* Paths as the walker and findings show them, inside and outside the root. */
static const char *const paths[] = {
	"app/llm.py", "deploy/k8s/app.yaml", "vendor/lib/x.js", "gen/api.pb.go", "a/b/c/d.ts",
	"prompts/system.txt", "../outside.py", "/etc/passwd", "build", "node_modules/x/y.json",
};
#define NPATHS (sizeof(paths) / sizeof(paths[0]))

static void exercise(pl_project *proj, const pl_ruleset *rs)
{
	pl_diags diags = PL_DIAGS_INIT;
	pl_project_check_rules(proj, rs, &diags);
	pl_diags_release(&diags);
	pl_project_bind_root(proj, dir);
	for (size_t i = 0; i < NPATHS; i++) {
		pl_project_excludes(proj, paths[i], false);
		pl_project_excludes(proj, paths[i], true);
	}
	/* Findings of several rules in each path, on lines 1..3. */
	pl_findings findings = PL_FINDINGS_INIT;
	for (size_t i = 0; i < NPATHS * 3; i++) {
		pl_finding f = {
			.rule = rs->rules[(i * 13) % rs->len],
			.path = pl_xstrdup(paths[i % NPATHS]),
			.line = (unsigned)(i % 3) + 1,
			.column = 1,
			.end_line = (unsigned)(i % 3) + 1,
			.end_column = 2,
			.message = pl_xstrdup("m"),
			.snippet = pl_xstrdup(""),
			.matched = pl_xstrdup(""),
		};
		pl_findings_push(&findings, &f);
	}
	pl_project_filter(proj, &findings);
	pl_findings_release(&findings);
	pl_project_attests(proj, "QG1");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const pl_ruleset *rs = fuzz_rules(NULL, 0);
	FILE *f = fopen(file, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
		perror("fuzz: cannot write the config file");
		abort();
	}
	pl_project proj = PL_PROJECT_INIT;
	pl_diags diags = PL_DIAGS_INIT;
	if (pl_project_load(&proj, file, &diags) == 0)
		exercise(&proj, rs);
	pl_project_release(&proj);
	pl_diags_release(&diags);
	return 0;
}

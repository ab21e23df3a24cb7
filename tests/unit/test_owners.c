/*
 * Unit tests for src/facts/owners.c: which paths steer a model. Every
 * family of ai_config_globs, at the root and below, and paths that only
 * come close, so that the substring search that turns most paths away
 * before any glob is matched never turns away one a glob accepts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>

#include "facts/owners.h"

static void test_ai_config_paths(void **state)
{
	(void)state;
	static const char *const yes[] = {
		"prompts/system.txt", "app/prompts/v2/triage.md", "svc/prompt_templates/a.j2",
		"summarize.prompt", "a/b/summarize.prompt", "x.prompty", "deep/x.prompty",
		"system_prompt.txt", "api/system_prompt.txt", "triage-prompt.md", "a/prompt.j2",
		"b/prompt_v1.jinja", "prompts.yaml", "cfg/prompt.yml", "promptfooconfig.yaml",
		"evals/promptfooconfig.json", "llm.yaml", "config/llm_settings.yml", "llm.json",
		"cfg/llm.toml", "model_config.json", "a/model_config.yaml", "models.yaml",
		"deploy/models.yml", "x/agents/billing/tools/refund.py", "agent/tools/t.ts",
		"prompts.py", "api/prompts.py", "api/support_prompts.py", "web/lib/prompts.ts",
		"prompts.js", "worker/prompts.go",
	};
	static const char *const no[] = {
		"api/main.py", "README.md", "prompt.py", "api/llm.py", "models.py", "model.yaml",
		"agents/billing/refund.py", "agent/tools.py", "docs/Prompts/x.txt", "llm.yamlx",
		"src/prompting.ts", "",
	};
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!pl_owners_is_ai_config(yes[i]))
			fail_msg("%s should steer a model", yes[i]);
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		if (pl_owners_is_ai_config(no[i]))
			fail_msg("%s should not steer a model", no[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ai_config_paths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* A rule file: libyaml index, libcyaml schema, validation, query and regex compilation. */
#include <stdint.h>

#include "fuzz_common.h"
#include "util/diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pl_ruleset rs = PL_RULESET_INIT;
	pl_diags diags = PL_DIAGS_INIT;
	if (pl_ruleset_load_buffer(&rs, "fuzz.yaml", (const char *)data, size, &diags) >= 0)
		pl_ruleset_finish(&rs, &diags);
	pl_ruleset_release(&rs);
	pl_diags_release(&diags);
	return 0;
}

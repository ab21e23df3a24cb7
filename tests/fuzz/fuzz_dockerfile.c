/* Dockerfiles: our line parser (continuations, heredocs, JSON forms), the
 * path selectors and conditions, then a scan. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

FUZZ_INIT_RULES("dockerfile")

static const char *const paths[] = { "Dockerfile", "build/api.Dockerfile" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_config_input("dockerfile", paths, sizeof(paths) / sizeof(paths[0]), data, size);
	return 0;
}

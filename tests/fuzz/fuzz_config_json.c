/* JSON: the reader, the path selectors and conditions, then a scan. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

FUZZ_INIT_RULES("json")

static const char *const paths[] = { "deploy/app.json", "package.json", "config/models.json" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_config_input("json", paths, sizeof(paths) / sizeof(paths[0]), data, size);
	return 0;
}

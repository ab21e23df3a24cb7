/* TOML: the reader (tables, dotted keys, arrays of tables), the path
 * selectors and conditions, then a scan. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

FUZZ_INIT_RULES("toml")

static const char *const paths[] = { "config.toml", "pyproject.toml" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_config_input("toml", paths, sizeof(paths) / sizeof(paths[0]), data, size);
	return 0;
}

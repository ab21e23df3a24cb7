/* A JavaScript file (JSX included) scanned with the built-in rules;
 * TypeScript and TSX are fuzz_scan_ts. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

FUZZ_INIT_RULES("javascript")

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_scan_text("web/llm.js", fuzz_language("javascript"), data, size);
	return 0;
}

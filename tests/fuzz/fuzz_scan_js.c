/* A JavaScript, TypeScript or TSX file (the first byte chooses) scanned
 * with the built-in rules. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

FUZZ_INIT_RULES("javascript", "typescript", "tsx")

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const langs[] = { "javascript", "typescript", "tsx" };
	static const char *const paths[] = { "web/llm.js", "web/llm.ts", "web/Chat.tsx" };
	size_t k = size ? data[0] % 3 : 0;
	fuzz_scan_text(paths[k], fuzz_language(langs[k]), data, size);
	return 0;
}

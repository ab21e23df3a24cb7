/* A Python file scanned with the built-in rules: tree-sitter, queries,
 * predicates, relations, facts, inline suppression comments. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

FUZZ_INIT_RULES("python")

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_scan_text("app/llm.py", fuzz_language("python"), data, size);
	return 0;
}

/* A Go file scanned with the built-in rules: tree-sitter, queries,
 * predicates, relations, facts, inline suppression comments. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

FUZZ_INIT_RULES("go")

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_scan_text("internal/llm/client.go", fuzz_language("go"), data, size);
	return 0;
}

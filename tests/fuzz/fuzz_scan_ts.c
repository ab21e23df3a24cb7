/* A TypeScript or TSX file scanned with the built-in rules. The first byte
 * picks the grammar (even: TypeScript, odd: TSX; seed.sh writes '0' or '1')
 * and is not part of the file: the two disagree on `<T>x` casts and JSX. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

FUZZ_INIT_RULES("typescript", "tsx")

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	if (data[0] & 1)
		fuzz_scan_text("web/Chat.tsx", fuzz_language("tsx"), data + 1, size - 1);
	else
		fuzz_scan_text("web/llm.ts", fuzz_language("typescript"), data + 1, size - 1);
	return 0;
}

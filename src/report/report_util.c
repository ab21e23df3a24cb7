#include "report/report_util.h"

#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"

json_t *pl_json_text(const char *s)
{
	json_t *j = json_string(s);
	if (j)
		return j;
	char *clean = pl_utf8_sanitize(s);
	j = json_string(clean);
	free(clean);
	return j ? j : json_string("");
}

unsigned pl_utf16_column(const char *line, unsigned byte_column)
{
	if (byte_column <= 1)
		return byte_column;
	size_t target = byte_column - 1, len = strlen(line), i = 0;
	unsigned units = 0;
	while (i < target && i < len) {
		size_t n = pl_utf8_sequence_length(line + i, len - i);
		if (n == 0) {
			n = 1;
		} else if (n == 4) {
			units++; /* a surrogate pair */
		}
		units++;
		i += n;
	}
	if (i < target)
		units += (unsigned)(target - i);
	return units + 1;
}

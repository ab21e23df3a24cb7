/*
 * report_util: helpers shared by the reporters, for src/report/ only.
 *
 * Findings copy text out of scanned files, which may hold any bytes, and
 * count columns in bytes (finding.h). Formats read by other tools want
 * valid UTF-8 and, for SARIF and GitHub, columns in UTF-16 code units; the
 * conversions live here once rather than in each reporter.
 */
#ifndef PL_REPORT_UTIL_H
#define PL_REPORT_UTIL_H

#include <jansson.h>

/*
 * A new JSON string (the caller owns the reference) from text that may not
 * be UTF-8: jansson refuses invalid UTF-8, so each bad byte becomes U+FFFD.
 * Never NULL unless out of memory.
 */
json_t *pl_json_text(const char *s);

/*
 * The 1-based column, in UTF-16 code units, of the 1-based byte column
 * `byte_column` on `line` (the text of that source line). A valid UTF-8
 * sequence counts one unit (two outside the BMP), an invalid byte one unit
 * (it reads as U+FFFD). Bytes past the end of `line` count one unit each:
 * exact for what a snippet leaves out at the end of a line (trailing blanks)
 * and an upper bound for text it does not carry (snippets stop at 400 bytes).
 */
unsigned pl_utf16_column(const char *line, unsigned byte_column);

#endif

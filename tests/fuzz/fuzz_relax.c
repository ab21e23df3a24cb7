/* Relaxed regexes (src/match/relax.h): the input is a regex, a NUL byte and
 * a subject (no NUL: the input is both). Where the regex matches inside
 * the subject, so must its relaxed form, or the prefilter would rule out a
 * file a rule matches. Aborts on a counterexample. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match/relax.h"
#include "util/regex.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	const char *nul = memchr(text, '\0', size);
	size_t re_len = nul ? (size_t)(nul - text) : size;
	const char *subject = nul ? nul + 1 : text;
	size_t subject_len = nul ? size - re_len - 1 : size;
	char err[256];
	size_t off;
	pl_regex *orig = pl_regex_compile(text, re_len, err, sizeof(err), &off);
	if (!orig)
		return 0;
	pl_strbuf relaxed = PL_STRBUF_INIT;
	pl_regex *loose = NULL;
	if (pl_regex_relax(text, re_len, &relaxed))
		loose = pl_regex_compile(relaxed.buf, relaxed.len, err, sizeof(err), &off);
	/* not relaxed, or not valid once relaxed: the prefilter tests nothing */
	if (loose && pl_regex_try(orig, subject, subject_len) == PL_REGEX_MATCH &&
	    pl_regex_try(loose, subject, subject_len) == PL_REGEX_NO_MATCH) {
		fprintf(stderr, "fuzz_relax: /%.*s/ matches the subject, its relaxed /%s/ does not\n",
			(int)re_len, text, relaxed.buf);
		abort();
	}
	pl_regex_delete(loose);
	pl_regex_delete(orig);
	pl_strbuf_release(&relaxed);
	pl_regex_take_limit_hits();
	return 0;
}

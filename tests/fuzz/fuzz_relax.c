/* Relaxed regexes (src/match/relax.h): the input is a regex, a NUL byte and
 * a subject (no NUL: the input is both). Where the regex matches inside
 * the subject, so must its relaxed form, or the prefilter would rule out a
 * file a rule matches. Aborts on a counterexample.
 *
 * Both run in PCRE2's interpreter, compiled as pl_regex_compile does: the
 * JIT of PCRE2 10.42 misses some matches the interpreter finds (such as
 * `(?:xAz|)s*A` in "xAz|"), which says nothing of the relaxing. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match/relax.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* 1 a match, 0 none, -1 not compiled or gave up. */
static int search(const char *re, size_t re_len, const char *subject, size_t len)
{
	int code;
	PCRE2_SIZE off;
	pcre2_code *c = pcre2_compile((PCRE2_SPTR)re, re_len, PCRE2_UTF | PCRE2_MATCH_INVALID_UTF,
				      &code, &off, NULL);
	if (!c)
		return -1;
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(c, NULL);
	pcre2_match_context *mc = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(mc, 100000);
	pcre2_set_depth_limit(mc, 1000);
	int rc = md && mc ? pcre2_match(c, (PCRE2_SPTR)subject, len, 0, 0, md, mc) : -1;
	pcre2_match_context_free(mc);
	pcre2_match_data_free(md);
	pcre2_code_free(c);
	return rc >= 0 ? 1 : rc == PCRE2_ERROR_NOMATCH ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	const char *nul = memchr(text, '\0', size);
	size_t re_len = nul ? (size_t)(nul - text) : size;
	const char *subject = nul ? nul + 1 : text;
	size_t subject_len = nul ? size - re_len - 1 : size;
	pl_strbuf relaxed = PL_STRBUF_INIT;
	/* not relaxed, or not valid once relaxed: the prefilter tests nothing */
	if (pl_regex_relax(text, re_len, NULL, &relaxed) &&
	    search(text, re_len, subject, subject_len) == 1 &&
	    search(relaxed.buf, relaxed.len, subject, subject_len) == 0) {
		fprintf(stderr, "fuzz_relax: /%.*s/ matches the subject, its relaxed /%s/ does not\n",
			(int)re_len, text, relaxed.buf);
		abort();
	}
	pl_strbuf_release(&relaxed);

	/* With edges (a node's text between quotes): where the regex matches
	 * the subject as a node's text, the relaxed form matches the quoted
	 * subject. */
	static const pl_node_edges quoted = { "string", "\"", 4, "\"", NULL };
	pl_strbuf edged = PL_STRBUF_INIT;
	if (pl_regex_relax(text, re_len, &quoted, &edged) &&
	    search(text, re_len, subject, subject_len) == 1) {
		char *file = malloc(subject_len + 2);
		if (!file)
			abort();
		file[0] = '"';
		memcpy(file + 1, subject, subject_len);
		file[subject_len + 1] = '"';
		if (search(edged.buf, edged.len, file, subject_len + 2) == 0) {
			fprintf(stderr, "fuzz_relax: /%.*s/ matches the subject, /%s/ misses it quoted\n",
				(int)re_len, text, edged.buf);
			abort();
		}
		free(file);
	}
	pl_strbuf_release(&edged);
	return 0;
}

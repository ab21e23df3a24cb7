#include "util/regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/xalloc.h"

#define MATCH_LIMIT 1000000u
#define DEPTH_LIMIT 10000u

struct pl_regex {
	pcre2_code *code;
};

/* PCRE2 allocates through xalloc (util/mem.h): compiled code, match data and
 * match frames, so running out is exit 3 rather than a "no match". */
static pcre2_general_context *general;
static pcre2_compile_context *compile_context;
static pthread_once_t contexts_once = PTHREAD_ONCE_INIT;

static void *pcre_alloc(PCRE2_SIZE size, void *data)
{
	(void)data;
	return pl_xmalloc(size);
}

static void pcre_free(void *ptr, void *data)
{
	(void)data;
	free(ptr);
}

static void contexts_init(void)
{
	general = pcre2_general_context_create(pcre_alloc, pcre_free, NULL);
	compile_context = general ? pcre2_compile_context_create(general) : NULL;
	if (!compile_context)
		pl_oom();
}

pl_regex *pl_regex_compile(const char *pattern, size_t len, char *err, size_t err_size,
			   size_t *err_offset)
{
	int code;
	PCRE2_SIZE off;
	pthread_once(&contexts_once, contexts_init);
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, len, PCRE2_UTF | PCRE2_MATCH_INVALID_UTF,
				       &code, &off, compile_context);
	if (!re) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(code, msg, sizeof(msg));
		snprintf(err, err_size, "%s", (char *)msg);
		*err_offset = off;
		return NULL;
	}
	pcre2_jit_compile(re, PCRE2_JIT_COMPLETE); /* best effort: the interpreter also works */
	pl_regex *r = pl_xmalloc(sizeof(*r));
	r->code = re;
	return r;
}

void pl_regex_delete(pl_regex *re)
{
	if (!re)
		return;
	pcre2_code_free(re->code);
	free(re);
}

/* Searches of this thread that hit a limit, since it last asked. */
static _Thread_local unsigned limit_hits;

unsigned pl_regex_take_limit_hits(void)
{
	unsigned n = limit_hits;
	limit_hits = 0;
	return n;
}

static pl_regex_result try_match(const pl_regex *re, const char *text, size_t len,
				 uint32_t options)
{
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(re->code, NULL);
	pcre2_match_context *mc = pcre2_match_context_create(general);
	if (!md || !mc)
		pl_oom();
	pcre2_set_match_limit(mc, MATCH_LIMIT);
	pcre2_set_depth_limit(mc, DEPTH_LIMIT);
	int rc = pcre2_match(re->code, (PCRE2_SPTR)text, len, 0, options, md, mc);
	pcre2_match_data_free(md);
	pcre2_match_context_free(mc);
	if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT ||
	    rc == PCRE2_ERROR_JIT_STACKLIMIT)
		return PL_REGEX_GAVE_UP;
	return rc >= 0 ? PL_REGEX_MATCH : PL_REGEX_NO_MATCH;
}

bool pl_regex_anchored(const pl_regex *re)
{
	uint32_t options = 0;
	return pcre2_pattern_info(re->code, PCRE2_INFO_ALLOPTIONS, &options) == 0 &&
	       (options & PCRE2_ANCHORED) != 0;
}

pl_regex_result pl_regex_try(const pl_regex *re, const char *text, size_t len)
{
	return try_match(re, text, len, 0);
}

pl_regex_result pl_regex_try_valid(const pl_regex *re, const char *text, size_t len)
{
	return try_match(re, text, len, PCRE2_NO_UTF_CHECK);
}

bool pl_regex_search(const pl_regex *re, const char *text, size_t len)
{
	pl_regex_result r = pl_regex_try(re, text, len);
	if (r == PL_REGEX_GAVE_UP)
		limit_hits++;
	return r == PL_REGEX_MATCH;
}

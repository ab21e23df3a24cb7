#include "match/predicate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/regex.h"
#include "util/xalloc.h"

typedef enum pred_kind { PRED_EQ, PRED_MATCH, PRED_ANY_OF } pred_kind;

typedef struct predicate {
	pred_kind kind;
	bool negated;      /* not-eq?, not-match?, not-any-of? */
	bool any;          /* any-eq?...: one node of a quantified capture suffices */
	uint32_t capture;
	bool rhs_is_capture;
	uint32_t rhs_capture;
	char **strings;    /* EQ: one string; ANY_OF: the list */
	uint32_t *string_lens;
	size_t nstrings;
	pl_regex *regex;
	bool anchored;     /* MATCH: the regex can match only at the start (pl_regex_anchored) */
} predicate;

typedef struct pattern_preds {
	predicate *items;
	size_t len, cap;
} pattern_preds;

struct pl_predicates {
	pattern_preds *by_pattern;
	uint32_t npatterns;
};

static void free_predicate(predicate *p)
{
	for (size_t i = 0; i < p->nstrings; i++)
		free(p->strings[i]);
	free(p->strings);
	free(p->string_lens);
	pl_regex_delete(p->regex);
}

void pl_predicates_delete(pl_predicates *preds)
{
	if (!preds)
		return;
	for (uint32_t i = 0; i < preds->npatterns; i++) {
		for (size_t k = 0; k < preds->by_pattern[i].len; k++)
			free_predicate(&preds->by_pattern[i].items[k]);
		free(preds->by_pattern[i].items);
	}
	free(preds->by_pattern);
	free(preds);
}

/* Best effort: where in the query text the predicate `#name` first appears
 * at or after the start of pattern `pattern`. */
static uint32_t locate(const TSQuery *q, uint32_t pattern, const char *src, size_t len,
		       const char *name)
{
	uint32_t start = ts_query_start_byte_for_pattern(q, pattern);
	size_t nlen = strlen(name);
	for (size_t i = start; i + nlen + 1 <= len; i++)
		if (src[i] == '#' && memcmp(src + i + 1, name, nlen) == 0)
			return (uint32_t)i;
	return start;
}

static const char *const supported =
	"#eq?, #not-eq?, #any-eq?, #any-not-eq?, #match?, #not-match?, #any-match?, "
	"#any-not-match?, #any-of?, #not-any-of?";

static bool parse_name(const char *name, predicate *p)
{
	static const struct {
		const char *name;
		pred_kind kind;
		bool negated, any;
	} table[] = {
		{ "eq?", PRED_EQ, false, false },
		{ "not-eq?", PRED_EQ, true, false },
		{ "any-eq?", PRED_EQ, false, true },
		{ "any-not-eq?", PRED_EQ, true, true },
		{ "match?", PRED_MATCH, false, false },
		{ "not-match?", PRED_MATCH, true, false },
		{ "any-match?", PRED_MATCH, false, true },
		{ "any-not-match?", PRED_MATCH, true, true },
		{ "any-of?", PRED_ANY_OF, false, false },
		{ "not-any-of?", PRED_ANY_OF, true, false },
	};
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		if (strcmp(table[i].name, name) == 0) {
			p->kind = table[i].kind;
			p->negated = table[i].negated;
			p->any = table[i].any;
			return true;
		}
	}
	return false;
}

static char *step_string(const TSQuery *q, const TSQueryPredicateStep *s, uint32_t *len)
{
	uint32_t n;
	const char *v = ts_query_string_value_for_id(q, s->value_id, &n);
	if (len)
		*len = n;
	return pl_xstrndup(v, n);
}

/* Compile one predicate from steps[0..n) (without the Done step). */
static int compile_one(const TSQuery *q, uint32_t pattern, const TSQueryPredicateStep *steps,
		       uint32_t n, const char *src, size_t len, predicate *out,
		       pl_compile_error *err)
{
	memset(out, 0, sizeof(*out));
	if (n == 0 || steps[0].type != TSQueryPredicateStepTypeString) {
		err->offset = ts_query_start_byte_for_pattern(q, pattern);
		snprintf(err->message, sizeof(err->message), "malformed predicate");
		return -1;
	}
	uint32_t nlen;
	const char *name = ts_query_string_value_for_id(q, steps[0].value_id, &nlen);
	char namebuf[64];
	snprintf(namebuf, sizeof(namebuf), "%.*s", (int)nlen, name);
	uint32_t at = locate(q, pattern, src, len, namebuf);
	err->offset = at;
	if (!parse_name(namebuf, out)) {
		snprintf(err->message, sizeof(err->message),
			 "unknown predicate '#%s' (supported: %s)", namebuf, supported);
		return -1;
	}
	if (n < 3 || steps[1].type != TSQueryPredicateStepTypeCapture) {
		snprintf(err->message, sizeof(err->message),
			 "'#%s' takes a capture and %s", namebuf,
			 out->kind == PRED_ANY_OF ? "one or more strings" :
			 out->kind == PRED_MATCH ? "a regex string" : "a capture or a string");
		return -1;
	}
	out->capture = steps[1].value_id;
	if (out->kind != PRED_ANY_OF && n != 3) {
		snprintf(err->message, sizeof(err->message), "'#%s' takes exactly two arguments", namebuf);
		return -1;
	}
	if (out->kind == PRED_EQ && steps[2].type == TSQueryPredicateStepTypeCapture) {
		out->rhs_is_capture = true;
		out->rhs_capture = steps[2].value_id;
		return 0;
	}
	for (uint32_t i = 2; i < n; i++) {
		if (steps[i].type != TSQueryPredicateStepTypeString) {
			snprintf(err->message, sizeof(err->message),
				 "'#%s' expects string arguments after the capture", namebuf);
			return -1;
		}
	}
	out->nstrings = n - 2;
	out->strings = pl_xcalloc(out->nstrings, sizeof(char *));
	out->string_lens = pl_xcalloc(out->nstrings, sizeof(uint32_t));
	for (uint32_t i = 2; i < n; i++)
		out->strings[i - 2] = step_string(q, &steps[i], &out->string_lens[i - 2]);
	if (out->kind == PRED_MATCH) {
		char msg[256];
		size_t eoff = 0;
		out->regex = pl_regex_compile(out->strings[0], out->string_lens[0], msg, sizeof(msg),
					      &eoff);
		if (!out->regex) {
			snprintf(err->message, sizeof(err->message),
				 "bad regex \"%s\" in '#%s' at character %zu: %s", out->strings[0],
				 namebuf, eoff, msg);
			return -1;
		}
		out->anchored = pl_regex_anchored(out->regex);
	}
	return 0;
}

pl_predicates *pl_predicates_compile(const TSQuery *q, const char *src, size_t len,
				     pl_compile_error *err)
{
	pl_predicates *preds = pl_xcalloc(1, sizeof(*preds));
	preds->npatterns = ts_query_pattern_count(q);
	preds->by_pattern = pl_xcalloc(preds->npatterns ? preds->npatterns : 1, sizeof(pattern_preds));
	for (uint32_t pat = 0; pat < preds->npatterns; pat++) {
		uint32_t nsteps;
		const TSQueryPredicateStep *steps = ts_query_predicates_for_pattern(q, pat, &nsteps);
		uint32_t begin = 0;
		for (uint32_t i = 0; i < nsteps; i++) {
			if (steps[i].type != TSQueryPredicateStepTypeDone)
				continue;
			pattern_preds *pp = &preds->by_pattern[pat];
			PL_GROW(pp->items, pp->cap, pp->len + 1);
			if (compile_one(q, pat, steps + begin, i - begin, src, len,
					&pp->items[pp->len], err) < 0) {
				free_predicate(&pp->items[pp->len]);
				pl_predicates_delete(preds);
				return NULL;
			}
			pp->len++;
			begin = i + 1;
		}
	}
	return preds;
}

static bool text_eq(const char *a, size_t alen, const char *b, size_t blen)
{
	return alen == blen && memcmp(a, b, alen) == 0;
}

static bool node_holds(const predicate *p, TSNode node, const TSQueryMatch *m, const char *text)
{
	uint32_t s = ts_node_start_byte(node), e = ts_node_end_byte(node);
	const char *t = text + s;
	size_t tlen = e - s;
	bool r = false;
	switch (p->kind) {
	case PRED_EQ:
		if (p->rhs_is_capture) {
			r = false;
			for (uint16_t i = 0; i < m->capture_count; i++) {
				if (m->captures[i].index != p->rhs_capture)
					continue;
				TSNode o = m->captures[i].node;
				uint32_t os = ts_node_start_byte(o), oe = ts_node_end_byte(o);
				r = text_eq(t, tlen, text + os, oe - os);
				break;
			}
		} else {
			r = text_eq(t, tlen, p->strings[0], p->string_lens[0]);
		}
		break;
	case PRED_MATCH:
		r = pl_regex_search(p->regex, t, tlen);
		break;
	case PRED_ANY_OF:
		for (size_t i = 0; i < p->nstrings && !r; i++)
			r = text_eq(t, tlen, p->strings[i], p->string_lens[i]);
		break;
	}
	return r != p->negated;
}

static bool predicate_holds(const predicate *p, const TSQueryMatch *m, const char *text)
{
	for (uint16_t i = 0; i < m->capture_count; i++) {
		if (m->captures[i].index != p->capture)
			continue;
		bool ok = node_holds(p, m->captures[i].node, m, text);
		if (p->any && ok)
			return true;
		if (!p->any && !ok)
			return false;
	}
	/* No node captured: the all-forms hold vacuously, the any-forms do not. */
	return !p->any;
}

bool pl_predicates_hold(const pl_predicates *preds, const TSQueryMatch *match, const char *text)
{
	if (match->pattern_index >= preds->npatterns)
		return true;
	const pattern_preds *pp = &preds->by_pattern[match->pattern_index];
	for (size_t i = 0; i < pp->len; i++)
		if (!predicate_holds(&pp->items[i], match, text))
			return false;
	return true;
}

/* A positive, plain predicate comparing the capture with strings: it must
 * hold on every node the capture takes. */
static bool filters(const predicate *p, uint32_t capture)
{
	return p->capture == capture && !p->negated && !p->any && !p->rhs_is_capture;
}

/* Cheap on a large text: a comparison, or a regex tried at its start only. */
static bool cheap(const predicate *p)
{
	return p->kind != PRED_MATCH || p->anchored;
}

bool pl_predicates_capture_filtered(const pl_predicates *preds, uint32_t capture, bool *cheaply)
{
	bool any = false;
	*cheaply = true;
	for (uint32_t pat = 0; pat < preds->npatterns; pat++) {
		const pattern_preds *pp = &preds->by_pattern[pat];
		bool here = false, cheap_here = false;
		for (size_t i = 0; i < pp->len; i++) {
			if (!filters(&pp->items[i], capture))
				continue;
			here = true;
			cheap_here |= cheap(&pp->items[i]);
		}
		any |= here;
		if (here && !cheap_here)
			*cheaply = false;
	}
	return any;
}

/* Does the slice start and end at character boundaries of valid text? */
static bool whole_characters(const char *text, uint32_t start, uint32_t end, size_t text_len)
{
	return ((unsigned char)text[start] & 0xC0) != 0x80 &&
	       (end == text_len || ((unsigned char)text[end] & 0xC0) != 0x80);
}

bool pl_predicates_capture_may_hold(const pl_predicates *preds, uint32_t capture, TSNode node,
				    const char *text, size_t text_len, bool valid_utf8)
{
	for (uint32_t pat = 0; pat < preds->npatterns; pat++) {
		const pattern_preds *pp = &preds->by_pattern[pat];
		bool here = false, holds = true;
		for (size_t i = 0; i < pp->len && holds; i++) {
			const predicate *p = &pp->items[i];
			if (!filters(p, capture))
				continue;
			here = true;
			uint32_t start = ts_node_start_byte(node), end = ts_node_end_byte(node);
			if (!cheap(p) && end - start > PL_PREDICATE_TRY_MAX)
				continue;
			if (p->kind == PRED_MATCH) {
				pl_regex_result r =
					start < end && valid_utf8 &&
							whole_characters(text, start, end, text_len) ?
						pl_regex_try_valid(p->regex, text + start, end - start) :
						pl_regex_try(p->regex, text + start, end - start);
				/* a regex that gives up here may yet hold: the match decides */
				holds = r != PL_REGEX_NO_MATCH;
			} else {
				holds = node_holds(p, node, NULL, text);
			}
		}
		if (here && holds)
			return true;
	}
	return false;
}

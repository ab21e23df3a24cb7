#define _GNU_SOURCE
#include "match/relax.h"

#include <ctype.h>
#include <string.h>

typedef struct relaxer {
	const char *s;
	size_t len, i;
	bool fail;
} relaxer;

static char at(const relaxer *r, size_t i)
{
	return i < r->len ? r->s[i] : '\0';
}

/* Past a character class starting at r->i ('['): a ']' first (or after
 * '^') is a member, as are escapes and POSIX names ([:alpha:]). */
static void skip_class(relaxer *r)
{
	size_t i = r->i + 1;
	if (at(r, i) == '^')
		i++;
	if (at(r, i) == ']')
		i++;
	while (i < r->len) {
		char c = r->s[i];
		if (c == '\\') {
			i += 2;
		} else if (c == '[' && at(r, i + 1) == ':') {
			const char *end = memmem(r->s + i + 2, r->len - i - 2, ":]", 2);
			i = end ? (size_t)(end - r->s) + 2 : i + 1;
		} else if (c == ']') {
			r->i = i + 1;
			return;
		} else {
			i++;
		}
	}
	r->fail = true; /* unterminated */
}

/* Past the group starting at r->i ('('), nested groups and classes too. */
static void skip_group(relaxer *r)
{
	int depth = 0;
	while (r->i < r->len && !r->fail) {
		char c = r->s[r->i];
		if (c == '\\') {
			r->i += 2;
		} else if (c == '[') {
			skip_class(r);
		} else {
			r->i++;
			if (c == '(')
				depth++;
			else if (c == ')' && --depth == 0)
				return;
		}
	}
	r->fail = true;
}

/* A dropped assertion must not carry a quantifier: `\b?` or `(?=x)*`
 * would leave the quantifier on whatever came before. */
static void dropped(relaxer *r)
{
	char c = at(r, r->i);
	if (c == '?' || c == '*' || c == '+' || c == '{')
		r->fail = true;
}

/* "(?" at r->i: a lookaround is dropped, a construct that refers to other
 * groups or changes how the pattern reads fails, the rest is copied. */
static void group_open(relaxer *r, pl_strbuf *out)
{
	char k = at(r, r->i + 2), k2 = at(r, r->i + 3);
	if (k == '=' || k == '!' || (k == '<' && (k2 == '=' || k2 == '!'))) {
		skip_group(r);
		dropped(r);
		return;
	}
	if (k == '#') { /* a comment: up to the first ')' */
		const char *end = memchr(r->s + r->i, ')', r->len - r->i);
		if (!end)
			r->fail = true;
		else
			r->i = (size_t)(end - r->s) + 1;
		return;
	}
	if (k == '(' || k == 'R' || k == '&' || k == 'C' || isdigit((unsigned char)k) ||
	    ((k == '+' || k == '-') && isdigit((unsigned char)k2)) ||
	    (k == 'P' && (k2 == '=' || k2 == '>'))) {
		r->fail = true;
		return;
	}
	/* inline options: (?i) (?i:...) (?-s) (?^); extended mode changes what
	 * white space and '#' mean, which this reader does not follow */
	for (size_t i = r->i + 2; i < r->len && (isalpha((unsigned char)r->s[i]) ||
						  r->s[i] == '-' || r->s[i] == '^'); i++)
		if (r->s[i] == 'x') {
			r->fail = true;
			return;
		}
	pl_strbuf_add(out, r->s + r->i, 2);
	r->i += 2;
}

static void escape(relaxer *r, pl_strbuf *out)
{
	char e = at(r, r->i + 1);
	if (r->i + 1 >= r->len || (e >= '1' && e <= '9') || e == 'g' || e == 'k' || e == 'Q' ||
	    e == 'E') {
		r->fail = true; /* back-references; \Q...\E quoting */
		return;
	}
	if (strchr("bBAzZG", e)) {
		r->i += 2;
		dropped(r);
		return;
	}
	size_t n = e == 'c' ? 3 : 2; /* \cX: X is any character, '[' or '(' too */
	if (r->i + n > r->len) {
		r->fail = true;
		return;
	}
	pl_strbuf_add(out, r->s + r->i, n);
	r->i += n;
}

bool pl_regex_relax(const char *pattern, size_t len, pl_strbuf *out)
{
	relaxer r = { pattern, len, 0, false };
	size_t start = out->len;
	while (r.i < r.len && !r.fail) {
		char c = r.s[r.i];
		if (c == '\\') {
			escape(&r, out);
		} else if (c == '[') {
			size_t from = r.i;
			skip_class(&r);
			if (!r.fail)
				pl_strbuf_add(out, r.s + from, r.i - from);
		} else if (c == '(' && at(&r, r.i + 1) == '*') {
			r.fail = true; /* verbs and (*pla:...) spellings */
		} else if (c == '(' && at(&r, r.i + 1) == '?') {
			group_open(&r, out);
		} else if (c == '^' || c == '$') {
			r.i++;
			dropped(&r);
		} else {
			pl_strbuf_addch(out, c);
			r.i++;
		}
	}
	if (r.fail) {
		out->len = start;
		if (out->cap)
			out->buf[start] = '\0';
		return false;
	}
	return true;
}

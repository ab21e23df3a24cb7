#include "match/relax.h"

#include <string.h>

#include "match/regex_syntax.h"

#define MAX_GROUPS 64

typedef struct relaxer {
	const char *s;
	size_t len, i;
	bool fail;
	/* Where a match may start: the beginning, or an alternative's beginning
	 * in a group that starts there. */
	bool lead;
	bool group_lead[MAX_GROUPS]; /* per open group: its alternatives lead */
	int depth;
} relaxer;

static char at(const relaxer *r, size_t i)
{
	return i < r->len ? r->s[i] : '\0';
}

/* Past the class starting at r->i ('['). */
static void skip_class(relaxer *r)
{
	size_t end = pl_regex_class_end(r->s, r->len, r->i);
	if (end)
		r->i = end;
	else
		r->fail = true;
}

/* Past the group starting at r->i ('('). */
static void skip_group(relaxer *r)
{
	size_t end = pl_regex_group_end(r->s, r->len, r->i + 1);
	if (end)
		r->i = end;
	else
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

/* An opened group: its alternatives lead if it does and repeats only as
 * `?`, `*` or `+` (`(\s*a){2}b` must keep the space between the a's). */
static void group_push(relaxer *r, size_t opener)
{
	if (r->depth == MAX_GROUPS) {
		r->fail = true;
		return;
	}
	relaxer end = *r;
	end.i = opener;
	skip_group(&end);
	r->lead = r->lead && !end.fail && at(r, end.i) != '{';
	r->group_lead[r->depth++] = r->lead;
}

/* "(?" at r->i: a lookaround is dropped, an option setting or a group
 * opener is copied, a construct that refers to other groups or changes how
 * the pattern reads fails. */
static void group_open(relaxer *r, pl_strbuf *out)
{
	size_t open = r->i;
	char k = at(r, r->i + 2), k2 = at(r, r->i + 3);
	if (k == '=' || k == '!' || (k == '<' && (k2 == '=' || k2 == '!'))) {
		skip_group(r);
		dropped(r);
		return;
	}
	if (k == '#') { /* a comment: up to the first ')' */
		const char *end = memchr(r->s + r->i, ')', r->len - r->i);
		if (!end) {
			r->fail = true;
			return;
		}
		r->i = (size_t)(end - r->s) + 1;
		dropped(r); /* a quantifier after it applies to what came before */
		return;
	}
	size_t i = r->i + 2;
	if (k == ':' || k == '|' || k == '>') {
		i++;
	} else if (k == '<' || (k == 'P' && k2 == '<') || k == '\'') { /* a named group */
		const char *end = memchr(r->s + i + 1, k == '\'' ? '\'' : '>', r->len - i - 1);
		if (!end) {
			r->fail = true;
			return;
		}
		i = (size_t)(end - r->s) + 1;
	} else {
		/* inline options: (?i) (?i:...) (?-s) (?^); extended mode (x)
		 * changes what white space and '#' mean, which this reader does
		 * not follow, and other letters are not options */
		while (i < r->len && r->s[i] && strchr("imnsJU-^", r->s[i]))
			i++;
		if (i == r->i + 2 || (at(r, i) != ')' && at(r, i) != ':')) {
			r->fail = true; /* recursion, subroutines, conditionals, callouts */
			return;
		}
		if (at(r, i) == ')') { /* options for what follows: no group */
			pl_strbuf_add(out, r->s + r->i, i + 1 - r->i);
			r->i = i + 1;
			return;
		}
		i++;
	}
	pl_strbuf_add(out, r->s + r->i, i - r->i);
	r->i = i;
	group_push(r, open);
}

/* At a leading place, an atom that may match nothing (`\s*`, `[?!]?`,
 * `(\?\.)?`) is dropped: a text holding a match holds a match of what
 * follows it, and a search then starts only where the characters the
 * pattern cannot do without are, which PCRE2 finds fast. */
static bool drop_optional_lead(relaxer *r)
{
	size_t i = r->i, e;
	char c = r->s[i];
	if (c == '\\') {
		char x = at(r, i + 1);
		if (!x || strchr("pPxoNcQEgkbBAzZGK0123456789", x) || at(r, i + 2) == '{')
			return false;
		e = i + 2;
	} else if (c == '[' || (c == '(' && (at(r, i + 1) != '?' || at(r, i + 2) == ':'))) {
		relaxer end = *r;
		if (c == '[')
			skip_class(&end);
		else
			skip_group(&end);
		if (end.fail)
			return false;
		e = end.i;
	} else if ((unsigned char)c < 0x80 && !strchr("()|*+?{^$", c)) {
		e = i + 1;
	} else {
		return false;
	}
	char q = at(r, e);
	if (q != '*' && q != '?')
		return false;
	e++;
	if (at(r, e) == '?' || at(r, e) == '+') /* lazy, possessive */
		e++;
	r->i = e;
	return true;
}

/* Returns whether it copied something (an assertion is dropped). */
static bool escape(relaxer *r, pl_strbuf *out)
{
	char e = at(r, r->i + 1);
	if (r->i + 1 >= r->len || (e >= '1' && e <= '9') || e == 'g' || e == 'k' || e == 'Q' ||
	    e == 'E') {
		r->fail = true; /* back-references; \Q...\E quoting */
		return false;
	}
	if (strchr("bBAzZG", e)) {
		r->i += 2;
		dropped(r);
		return false;
	}
	size_t end = pl_regex_escape_end(r->s, r->len, r->i);
	if (!end) {
		r->fail = true;
		return false;
	}
	pl_strbuf_add(out, r->s + r->i, end - r->i);
	r->i = end;
	return true;
}

bool pl_regex_relax(const char *pattern, size_t len, pl_strbuf *out)
{
	relaxer r = { .s = pattern, .len = len, .lead = true };
	size_t start = out->len;
	while (r.i < r.len && !r.fail) {
		char c = r.s[r.i];
		if (r.lead && drop_optional_lead(&r))
			continue;
		if (c == '\\') {
			if (escape(&r, out))
				r.lead = false;
		} else if (c == '[') {
			size_t from = r.i;
			skip_class(&r);
			if (!r.fail)
				pl_strbuf_add(out, r.s + from, r.i - from);
			r.lead = false;
		} else if (c == '(' && at(&r, r.i + 1) == '*') {
			r.fail = true; /* verbs and (*pla:...) spellings */
		} else if (c == '(' && at(&r, r.i + 1) == '?') {
			group_open(&r, out);
		} else if (c == '(') {
			pl_strbuf_addch(out, c);
			group_push(&r, r.i++);
		} else if (c == ')') {
			if (r.depth == 0) {
				r.fail = true;
				break;
			}
			r.depth--;
			pl_strbuf_addch(out, c);
			r.i++;
			r.lead = false;
		} else if (c == '|') {
			pl_strbuf_addch(out, c);
			r.i++;
			r.lead = r.depth == 0 || r.group_lead[r.depth - 1];
		} else if (c == '^' || c == '$') {
			r.i++;
			dropped(&r);
		} else {
			pl_strbuf_addch(out, c);
			r.i++;
			r.lead = false;
		}
	}
	if (r.fail || r.depth != 0) {
		out->len = start;
		if (out->cap)
			out->buf[start] = '\0';
		return false;
	}
	return true;
}

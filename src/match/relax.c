#include "match/relax.h"

#include <string.h>

#include "util/strbuf.h"

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
	int repeated_from;       /* the depth of the outermost open group that repeats, or -1 */
	const pl_node_edges *edges; /* of the node tested, or NULL */
	bool multiline;          /* an (?m) option: anchors hold at line breaks */
	bool start_edges;        /* start anchors may become edges */
	unsigned start_edges_added;
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
	char q = at(r, end.i);
	if (r->repeated_from < 0 && (end.fail || (q && strchr("*+?{", q))))
		r->repeated_from = r->depth;
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
		while (i < r->len && r->s[i] && strchr("imnsJU-^", r->s[i])) {
			r->multiline |= r->s[i] == 'm'; /* even as (?-m): not worth telling */
			i++;
		}
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

void pl_regex_add_bytes(pl_strbuf *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		/* in UTF mode \x{e9} is the character é, not the byte: UTF-8
		 * beyond ASCII goes as it is */
		if (c >= 0x80)
			pl_strbuf_addch(out, (char)c);
		else
			pl_strbuf_addf(out, "\\x{%02x}", c);
	}
}

bool pl_regex_add_edge(pl_strbuf *out, const pl_node_edges *edges, bool start)
{
	const char *set = edges ? (start ? edges->before : edges->after) : NULL;
	if (!set)
		return false;
	if (start) {
		/* What comes before is matched, not looked behind at: PCRE2 then
		 * tries only where such a byte is, not at every byte of the file.
		 * A match holds one where the node's text would start. The
		 * nodes with edges never start a file (their quote comes first). */
		pl_strbuf_adds(out, "(?:[");
		pl_regex_add_bytes(out, set, strlen(set));
		pl_strbuf_addch(out, ']');
		/* an escape ending right before: a backslash and 1 to k more bytes */
		if (edges->escape_before > 1)
			pl_strbuf_addf(out, "|\\\\[\\s\\S]{1,%u}", edges->escape_before - 1);
		pl_strbuf_addch(out, ')');
	} else if (edges->gap) {
		/* past blanks and comments; a line break is one */
		pl_strbuf_adds(out, "(?=");
		pl_strbuf_adds(out, edges->gap);
		pl_strbuf_addch(out, '[');
		pl_regex_add_bytes(out, set, strlen(set));
		pl_strbuf_adds(out, "]|\\z)");
	} else {
		/* a line break too: `$` holds before a final one */
		pl_strbuf_adds(out, "(?=[\\r\\n");
		pl_regex_add_bytes(out, set, strlen(set));
		pl_strbuf_adds(out, "]|\\z)");
	}
	return true;
}

/* An anchor at the node's start or end, r->i past it: a lookaround for the
 * node's edges when they are known, else nothing. A start anchor that an
 * optional atom follows goes, so that the atom can (drop_optional_lead). */
static void anchor(relaxer *r, pl_strbuf *out, bool start)
{
	dropped(r);
	/* in a repeated group, a start edge could be wanted twice: (?:^){2} */
	if (r->fail || !r->edges || r->multiline ||
	    (start && (!r->start_edges || r->repeated_from >= 0)))
		return;
	if (start && r->lead && r->i < r->len) {
		relaxer next = *r;
		if (drop_optional_lead(&next))
			return;
	}
	if (pl_regex_add_edge(out, r->edges, start)) {
		r->lead = false; /* what follows must stay: `^\s*x` needs its spaces */
		r->start_edges_added += start;
	}
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
	if (strchr("AzZ", e)) {
		r->i += 2;
		anchor(r, out, e == 'A');
		return false;
	}
	if (strchr("bBG", e)) {
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

static bool relax(const char *pattern, size_t len, const pl_node_edges *edges, bool start_edges,
		  unsigned *start_edges_added, pl_strbuf *out)
{
	relaxer r = { .s = pattern, .len = len, .lead = true, .edges = edges,
		      .start_edges = start_edges, .repeated_from = -1 };
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
			if (r.repeated_from == r.depth)
				r.repeated_from = -1;
			pl_strbuf_addch(out, c);
			r.i++;
			r.lead = false;
		} else if (c == '|') {
			pl_strbuf_addch(out, c);
			r.i++;
			r.lead = r.depth == 0 || r.group_lead[r.depth - 1];
		} else if (c == '^' || c == '$') {
			r.i++;
			anchor(&r, out, c == '^');
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
	*start_edges_added = r.start_edges_added;
	return true;
}

bool pl_regex_relax(const char *pattern, size_t len, const pl_node_edges *edges, pl_strbuf *out)
{
	size_t start = out->len;
	unsigned added = 0;
	if (!relax(pattern, len, edges, true, &added, out))
		return false;
	if (added <= 1)
		return true;
	/* A start edge is matched, not looked behind at, which is sound once
	 * on a path through the pattern: `^^a` would want two bytes before
	 * the text. With more than one, start anchors go. */
	out->len = start;
	out->buf[start] = '\0';
	return relax(pattern, len, edges, false, &added, out);
}

#define _GNU_SOURCE
#include "match/literals.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "match/regex_syntax.h"

/*
 * What a piece of the pattern tells: EXACT, it matches exactly one of the
 * strings in `set`; CONTAINS, each of its matches contains one of them;
 * NONE, nothing usable. The empty string stands for pieces that match
 * nothing but a position (anchors, lookarounds).
 */
typedef enum req_kind { REQ_NONE, REQ_EXACT, REQ_CONTAINS } req_kind;

/* Besides `set`, a CONTAINS piece may require more sets at once: each of
 * its matches contains a string of every one ((request|route)_to_(human|
 * operator) needs one of the first two and one of the last two). */
#define REQ_ALSO (PL_REGEX_CONJUNCTS - 1)

typedef struct req {
	req_kind kind;
	pl_literals set;
	pl_literals also[REQ_ALSO];
	size_t nalso;
} req;

typedef struct parser {
	const char *s;
	size_t len, i;
	bool fail;               /* something it does not read: no set at all */
	int depth;
} parser;

#define MAX_DEPTH 12

bool pl_literals_has(const pl_literals *set, const char *s, size_t n)
{
	for (size_t i = 0; i < set->len; i++)
		if (set->lens[i] == n && memcmp(set->items[i], s, n) == 0)
			return true;
	return false;
}

bool pl_literals_add(pl_literals *set, const char *s, size_t n)
{
	if (n > PL_LITERAL_MAX_LEN)
		return false;
	if (pl_literals_has(set, s, n))
		return true;
	if (set->len == PL_LITERALS_MAX)
		return false;
	memcpy(set->items[set->len], s, n);
	set->items[set->len][n] = '\0';
	set->lens[set->len++] = n;
	return true;
}

static void exact(req *r, const char *s, size_t n)
{
	r->kind = REQ_EXACT;
	r->set.len = 0;
	r->nalso = 0;
	pl_literals_add(&r->set, s, n);
}

static size_t min_len(const pl_literals *set)
{
	size_t m = set->len ? (size_t)-1 : 0;
	for (size_t i = 0; i < set->len; i++)
		if (set->lens[i] < m)
			m = set->lens[i];
	return m;
}

/* a then b, both EXACT: every pairing; false if the set grows too large. */
static bool cross(const req *a, const req *b, req *out)
{
	if (a->set.len * b->set.len > PL_LITERALS_MAX)
		return false;
	out->kind = REQ_EXACT;
	out->set.len = 0;
	out->nalso = 0;
	for (size_t i = 0; i < a->set.len; i++) {
		for (size_t k = 0; k < b->set.len; k++) {
			size_t n = a->set.lens[i] + b->set.lens[k];
			if (n > PL_LITERAL_MAX_LEN)
				return false;
			char buf[2 * PL_LITERAL_MAX_LEN + 1];
			memcpy(buf, a->set.items[i], a->set.lens[i]);
			memcpy(buf + a->set.lens[i], b->set.items[k], b->set.lens[k]);
			if (!pl_literals_add(&out->set, buf, n))
				return false;
		}
	}
	return true;
}

/* In a "contains one of" set, a string holding another member adds nothing:
 * a text with it holds the shorter one too. Returns the new count. */
static size_t prune(char (*items)[PL_LITERAL_MAX_LEN + 1], size_t *lens, size_t n)
{
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		bool redundant = false;
		for (size_t k = 0; k < n && !redundant; k++) {
			if (k == i || lens[k] > lens[i])
				continue;
			if (lens[k] == lens[i] ? k < i && memcmp(items[k], items[i], lens[i]) == 0
					       : memmem(items[i], lens[i], items[k], lens[k]) != NULL)
				redundant = true;
		}
		if (redundant)
			continue;
		if (kept != i) {
			memcpy(items[kept], items[i], lens[i] + 1);
			lens[kept] = lens[i];
		}
		kept++;
	}
	return kept;
}

static void prune_superstrings(pl_literals *set)
{
	set->len = prune(set->items, set->lens, set->len);
}

/*
 * The union of two sets that does not fit: as a "contains" set, each string
 * may stand for itself or for its prefix (a text holding a string holds its
 * prefix). Superstrings go first, then prefixes shorten until it fits.
 */
static bool squeeze_union(const pl_literals *a, const pl_literals *b, pl_literals *out)
{
	static _Thread_local char items[2 * PL_LITERALS_MAX][PL_LITERAL_MAX_LEN + 1];
	size_t lens[2 * PL_LITERALS_MAX];
	for (size_t cut = PL_LITERAL_MAX_LEN; cut >= 3; cut--) {
		size_t n = 0;
		for (int side = 0; side < 2; side++) {
			const pl_literals *s = side ? b : a;
			for (size_t i = 0; i < s->len; i++) {
				size_t len = s->lens[i] < cut ? s->lens[i] : cut;
				if (len == 0)
					return false; /* a branch that may match nothing */
				memcpy(items[n], s->items[i], len);
				items[n][len] = '\0';
				lens[n++] = len;
			}
		}
		n = prune(items, lens, n);
		if (n <= PL_LITERALS_MAX) {
			for (size_t i = 0; i < n; i++) {
				memcpy(out->items[i], items[i], lens[i] + 1);
				out->lens[i] = lens[i];
			}
			out->len = n;
			return true;
		}
		if (cut > 16)
			cut = 17; /* long strings are rare past 16: skip ahead */
	}
	return false;
}

/* Is set a more selective than b: its shortest string longer, or as long
 * with fewer strings? */
static bool more_selective(const pl_literals *a, const pl_literals *b)
{
	size_t ma = min_len(a), mb = min_len(b);
	return ma > mb || (ma == mb && a->len < b->len);
}

/* Add one set a sequence requires: `best` keeps the most selective as its
 * set and the next ones as its other conjuncts. */
static void require_set(req *best, bool *have, const pl_literals *set)
{
	if (set->len == 0 || min_len(set) == 0)
		return;
	if (!*have) {
		best->kind = REQ_CONTAINS;
		best->set = *set;
		best->nalso = 0;
		*have = true;
		return;
	}
	pl_literals moved = *set;
	if (more_selective(set, &best->set)) {
		moved = best->set;
		best->set = *set;
	}
	/* keep the most selective others, in order */
	size_t at = best->nalso;
	while (at > 0 && more_selective(&moved, &best->also[at - 1]))
		at--;
	if (at == REQ_ALSO)
		return;
	size_t keep = best->nalso < REQ_ALSO ? best->nalso : REQ_ALSO - 1;
	memmove(&best->also[at + 1], &best->also[at], (keep - at) * sizeof(pl_literals));
	best->also[at] = moved;
	best->nalso = keep + 1;
}

/* Every set a piece requires goes to the sequence around it. */
static void consider(req *best, bool *have, const req *candidate)
{
	if (candidate->kind == REQ_NONE)
		return;
	require_set(best, have, &candidate->set);
	if (candidate->kind == REQ_CONTAINS)
		for (size_t i = 0; i < candidate->nalso; i++)
			require_set(best, have, &candidate->also[i]);
}

static void parse_alt(parser *p, req *out);

/* After an atom: a quantifier changes what it guarantees. */
static void quantify(parser *p, req *r)
{
	if (p->i >= p->len)
		return;
	char c = p->s[p->i];
	bool at_least_one;
	if (c == '*' || c == '?') {
		p->i++;
		at_least_one = false;
	} else if (c == '+') {
		p->i++;
		at_least_one = true;
	} else if (c == '{') {
		size_t j = p->i + 1, n = 0;
		bool digits = false;
		while (j < p->len && isdigit((unsigned char)p->s[j])) {
			n = n * 10 + (size_t)(p->s[j++] - '0');
			digits = true;
			if (n > 100000)
				break;
		}
		if (!digits) {
			p->fail = true; /* `{` as a literal, or {,n}: not worth reading */
			return;
		}
		while (j < p->len && (isdigit((unsigned char)p->s[j]) || p->s[j] == ','))
			j++;
		if (j >= p->len || p->s[j] != '}') {
			p->fail = true;
			return;
		}
		p->i = j + 1;
		at_least_one = n >= 1;
	} else {
		return;
	}
	if (p->i < p->len && (p->s[p->i] == '?' || p->s[p->i] == '+'))
		p->i++; /* lazy or possessive: the same strings */
	if (c == '?' && r->kind == REQ_EXACT && pl_literals_add(&r->set, "", 0))
		return; /* x? is exactly x or nothing: hand_?off gives handoff, hand_off */
	if (!at_least_one)
		r->kind = REQ_NONE;
	else if (r->kind == REQ_EXACT)
		r->kind = REQ_CONTAINS; /* one repetition at least: contains one of them */
}

/* A character class: skipped, it matches one unknown character. */
static void skip_class(parser *p)
{
	size_t end = pl_regex_class_end(p->s, p->len, p->i);
	if (end)
		p->i = end;
	else
		p->fail = true;
}

static void parse_escape(parser *p, req *r)
{
	if (p->i + 1 >= p->len) {
		p->fail = true;
		return;
	}
	char e = p->s[p->i + 1];
	p->i += 2;
	switch (e) {
	case 'd': case 'D': case 'w': case 'W': case 's': case 'S': case 'h': case 'H':
	case 'v': case 'V': case 'R': case 'X': case 'N': case 'C':
		r->kind = REQ_NONE;
		return;
	case 'p': case 'P':
		if (p->i < p->len && p->s[p->i] == '{') {
			const char *end = memchr(p->s + p->i, '}', p->len - p->i);
			if (!end) {
				p->fail = true;
				return;
			}
			p->i = (size_t)(end - p->s) + 1;
		} else {
			p->i++;
		}
		r->kind = REQ_NONE;
		return;
	case 'b': case 'B': case 'A': case 'z': case 'Z': case 'G': case 'K': case 'E':
		exact(r, "", 0);
		return;
	case 'n':
		exact(r, "\n", 1);
		return;
	case 't':
		exact(r, "\t", 1);
		return;
	case 'r':
		exact(r, "\r", 1);
		return;
	case 'Q': {
		const char *start = p->s + p->i;
		const char *end = NULL;
		for (size_t j = p->i; j + 1 < p->len && !end; j++)
			if (p->s[j] == '\\' && p->s[j + 1] == 'E')
				end = p->s + j;
		size_t n = end ? (size_t)(end - start) : p->len - p->i;
		p->i += n + (end ? 2 : 0);
		r->kind = REQ_EXACT;
		r->set.len = 0;
		r->nalso = 0;
		if (!pl_literals_add(&r->set, start, n))
			r->kind = REQ_NONE;
		return;
	}
	default:
		if (isalnum((unsigned char)e)) {
			p->fail = true; /* \x.., back-references, \g, \k, \c...: not read */
			return;
		}
		exact(r, &e, 1); /* an escaped punctuation character is itself */
		return;
	}
}

/* Past the group whose opener was just read, without reading its content
 * (lookarounds, groups with scoped flags): brackets, escapes and classes
 * are followed only to find the closing parenthesis. */
static void skip_group(parser *p)
{
	size_t end = pl_regex_group_end(p->s, p->len, p->i);
	if (end)
		p->i = end;
	else
		p->fail = true;
}

static void parse_group(parser *p, req *r)
{
	p->i++; /* ( */
	if (p->i < p->len && p->s[p->i] == '?') {
		char k = p->i + 1 < p->len ? p->s[p->i + 1] : '\0';
		char k2 = p->i + 2 < p->len ? p->s[p->i + 2] : '\0';
		if (k == ':' || k == '>') {
			p->i += 2;
		} else if (k == '=' || k == '!' || (k == '<' && (k2 == '=' || k2 == '!'))) {
			/* a lookaround matches no text: what it holds is not required */
			p->i += k == '<' ? 3 : 2;
			skip_group(p);
			exact(r, "", 0);
			return;
		} else if (strchr("imnsxJU-", k) && k != '\0') {
			/* (?i:...) scoped flags: the content may match in any case, so it
			 * tells nothing; a bare (?i) changes the rest of the pattern */
			size_t j = p->i + 1;
			while (j < p->len && strchr("imnsxJU-^", p->s[j]) && p->s[j] != '\0')
				j++;
			if (j < p->len && p->s[j] == ':') {
				p->i = j + 1;
				skip_group(p);
				r->kind = REQ_NONE;
				return;
			}
			p->fail = true;
			return;
		} else if (k == '<' || (k == 'P' && k2 == '<')) {
			const char *end = memchr(p->s + p->i, '>', p->len - p->i);
			if (!end) {
				p->fail = true;
				return;
			}
			p->i = (size_t)(end - p->s) + 1;
		} else {
			p->fail = true; /* inline flags such as (?i), comments, branch resets */
			return;
		}
	}
	if (++p->depth > MAX_DEPTH) {
		p->fail = true;
		return;
	}
	parse_alt(p, r);
	p->depth--;
	if (p->fail || p->i >= p->len || p->s[p->i] != ')') {
		p->fail = true;
		return;
	}
	p->i++;
}

static void parse_atom(parser *p, req *r)
{
	char c = p->s[p->i];
	switch (c) {
	case '(':
		parse_group(p, r);
		return;
	case '[':
		skip_class(p);
		r->kind = REQ_NONE;
		return;
	case '.':
		p->i++;
		r->kind = REQ_NONE;
		return;
	case '^': case '$':
		p->i++;
		exact(r, "", 0);
		return;
	case '\\':
		parse_escape(p, r);
		return;
	case '*': case '+': case '?': case '{':
		p->fail = true;
		return;
	default:
		p->i++;
		exact(r, &c, 1);
		return;
	}
}

/* A sequence: runs of exact pieces multiply out; the best run or
 * contained set anywhere in it is what the whole sequence requires. */
static void parse_seq(parser *p, req *out)
{
	req cur, best, item, joined;
	exact(&cur, "", 0);
	best.nalso = 0;
	bool have_best = false, broken = false;
	while (p->i < p->len && p->s[p->i] != '|' && p->s[p->i] != ')' && !p->fail) {
		parse_atom(p, &item);
		if (p->fail)
			break;
		quantify(p, &item);
		if (p->fail)
			break;
		if (item.kind == REQ_EXACT && cross(&cur, &item, &joined)) {
			cur = joined;
			continue;
		}
		consider(&best, &have_best, &cur);
		broken = true;
		if (item.kind == REQ_EXACT) {
			cur = item; /* the product grew too large: start a new run */
		} else {
			consider(&best, &have_best, &item);
			exact(&cur, "", 0);
		}
	}
	if (p->fail) {
		out->kind = REQ_NONE;
		return;
	}
	if (!broken) {
		*out = cur;
		return;
	}
	consider(&best, &have_best, &cur);
	if (have_best)
		*out = best;
	else
		out->kind = REQ_NONE;
}

/* The k-th set a piece requires: its set, then its other conjuncts; past
 * the last, the last (a piece with fewer conjuncts repeats one). */
static const pl_literals *conjunct(const req *r, size_t k)
{
	if (k == 0 || r->kind != REQ_CONTAINS || r->nalso == 0)
		return &r->set;
	return &r->also[(k <= r->nalso ? k : r->nalso) - 1];
}

/* a | b: a set of a's or of b's strings; false if it does not fit. */
static bool union_sets(const pl_literals *a, const pl_literals *b, pl_literals *out, bool *squeezed)
{
	pl_literals u = *a;
	bool fits = true;
	for (size_t i = 0; i < b->len && fits; i++)
		fits = pl_literals_add(&u, b->items[i], b->lens[i]);
	if (!fits) {
		*squeezed = true;
		return squeeze_union(a, b, out);
	}
	*out = u;
	return true;
}

/*
 * Alternatives: a match contains a string of one branch's set, so of their
 * union. A branch that requires several sets (A1 & A2) | B gives
 * (A1 | B) & (A2 | B): conjunct k is the union of every branch's k-th.
 */
static void parse_alt(parser *p, req *out)
{
	parse_seq(p, out);
	while (!p->fail && p->i < p->len && p->s[p->i] == '|') {
		p->i++;
		req other;
		parse_seq(p, &other);
		if (out->kind == REQ_NONE || other.kind == REQ_NONE || p->fail) {
			out->kind = REQ_NONE;
			continue; /* keep reading: a later ')' must still balance */
		}
		req joined = { .kind = out->kind == REQ_EXACT && other.kind == REQ_EXACT ? REQ_EXACT
											: REQ_CONTAINS };
		bool squeezed = false;
		if (!union_sets(&out->set, &other.set, &joined.set, &squeezed)) {
			out->kind = REQ_NONE;
			continue;
		}
		size_t n = 1 + (out->kind == REQ_CONTAINS ? out->nalso : 0);
		size_t m = 1 + (other.kind == REQ_CONTAINS ? other.nalso : 0);
		for (size_t k = 1; k < (n > m ? n : m); k++) {
			bool also_squeezed = false;
			if (union_sets(conjunct(out, k), conjunct(&other, k),
				       &joined.also[joined.nalso], &also_squeezed))
				joined.nalso++;
		}
		if (squeezed || joined.nalso)
			joined.kind = REQ_CONTAINS;
		*out = joined;
	}
}

/*
 * Under a leading (?i) the literals are read as written and then folded to
 * lower case, to be looked for in text folded by pl_literals_fold. A
 * literal keeps only its longest run of ASCII.
 */
static bool fold_literals(pl_literals *set)
{
	for (size_t i = 0; i < set->len; i++) {
		char *s = set->items[i];
		size_t best = 0, best_at = 0, run = 0;
		for (size_t k = 0; k <= set->lens[i]; k++) {
			unsigned char c = k < set->lens[i] ? (unsigned char)s[k] : 0x80;
			if (c < 0x80) {
				s[k] = (char)tolower(c);
				run++;
				continue;
			}
			if (run > best) {
				best = run;
				best_at = k - run;
			}
			run = 0;
		}
		if (best == 0)
			return false;
		memmove(s, s + best_at, best);
		s[best] = '\0';
		set->lens[i] = best;
	}
	return true;
}

/* Eight bytes at once, when none is past ASCII: a byte in A-Z gets 0x20.
 * No sum carries into the next byte (0x7F + 0x3F < 0x100). */
static uint64_t fold_ascii8(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101u;
	uint64_t upper = ((w + 0x3F * ones) ^ (w + 0x25 * ones)) & (0x80 * ones);
	return w | upper >> 2;
}

size_t pl_literals_fold(const char *text, size_t len, char *out)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		uint64_t w;
		while (i + 8 <= len && (memcpy(&w, text + i, 8), (w & 0x8080808080808080u) == 0)) {
			w = fold_ascii8(w);
			memcpy(out + n, &w, 8);
			n += 8;
			i += 8;
		}
		if (i >= len)
			break;
		unsigned char c = (unsigned char)text[i];
		if (c == 0xE2 && i + 2 < len && (unsigned char)text[i + 1] == 0x84 &&
		    (unsigned char)text[i + 2] == 0xAA) {
			out[n++] = 'k'; /* U+212A KELVIN SIGN */
			i += 2;
		} else if (c == 0xC5 && i + 1 < len && (unsigned char)text[i + 1] == 0xBF) {
			out[n++] = 's'; /* U+017F LATIN SMALL LETTER LONG S */
			i++;
		} else {
			out[n++] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c); /* ASCII only */
		}
	}
	return n;
}

/* A set as returned: folded under (?i), without strings holding others. */
static bool finish_set(pl_literals *set, bool nocase)
{
	if (set->len == 0 || min_len(set) == 0 || (nocase && !fold_literals(set)))
		return false;
	prune_superstrings(set);
	set->nocase = nocase;
	set->place = PL_PLACE_ANY;
	return true;
}

size_t pl_regex_conjuncts(const char *pattern, size_t len, pl_literals out[PL_REGEX_CONJUNCTS],
			  bool *exact)
{
	bool nocase = len >= 4 && memcmp(pattern, "(?i)", 4) == 0;
	size_t skip = nocase ? 4 : 0;
	parser p = { pattern + skip, len - skip, 0, false, 0 };
	static _Thread_local req r;
	parse_alt(&p, &r);
	if (p.fail || p.i != len - skip || r.kind == REQ_NONE || !finish_set(&r.set, nocase))
		return 0;
	out[0] = r.set;
	if (exact)
		*exact = r.kind == REQ_EXACT;
	size_t n = 1;
	for (size_t i = 0; r.kind == REQ_CONTAINS && i < r.nalso; i++)
		if (finish_set(&r.also[i], nocase))
			out[n++] = r.also[i];
	return n;
}

bool pl_regex_literals(const char *pattern, size_t len, pl_literals *out)
{
	static _Thread_local pl_literals sets[PL_REGEX_CONJUNCTS];
	if (!pl_regex_conjuncts(pattern, len, sets, NULL))
		return false;
	*out = sets[0];
	return true;
}

bool pl_literal_at(const char *text, size_t text_len, size_t at, size_t len, unsigned place)
{
	if (place == PL_PLACE_ANY)
		return true;
	if (at > 0) {
		unsigned char c = (unsigned char)text[at - 1];
		if (isalpha(c) || c == '_')
			return false;
	}
	if (at + len < text_len) {
		unsigned char c = (unsigned char)text[at + len];
		if (isalnum(c) || c == '_')
			return false;
	}
	if (place == PL_PLACE_NAME) {
		size_t k = at;
		while (k > 0 && (text[k - 1] == ' ' || text[k - 1] == '\t'))
			k--;
		if (k > 0 && text[k - 1] == '.' && (k == 1 || text[k - 2] != '.'))
			return false;
	}
	return true;
}

bool pl_literals_union(const pl_literals *a, const pl_literals *b, pl_literals *out)
{
	pl_literals x = *a, y = *b;
	/* An occurrence at a stricter place holds at a looser one too: mixed
	 * sets count at the looser. */
	if (x.nocase || y.nocase)
		x.place = y.place = PL_PLACE_ANY;
	else if (x.place != y.place)
		x.place = y.place = x.place < y.place ? x.place : y.place;
	/* Mixed cases: a text holding a string holds it folded in the folded text. */
	if (x.nocase != y.nocase) {
		pl_literals *exact = x.nocase ? &y : &x;
		if (!fold_literals(exact))
			return false;
		exact->nocase = true;
	}
	pl_literals u = x;
	bool fits = true;
	for (size_t i = 0; i < y.len && fits; i++)
		fits = pl_literals_add(&u, y.items[i], y.lens[i]);
	if (!fits) {
		if (!squeeze_union(&x, &y, &u))
			return false;
		x.place = PL_PLACE_ANY; /* prefixes are no tokens */
	}
	u.nocase = x.nocase;
	u.place = x.place;
	if (u.place == PL_PLACE_ANY) /* a token holding another is no occurrence of it */
		prune_superstrings(&u);
	*out = u;
	return u.len > 0 && min_len(&u) > 0;
}

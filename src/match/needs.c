#define _GNU_SOURCE
#include "match/needs.h"

#include <ctype.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "match/literals.h"
#include "match/relax.h"
#include "util/regex.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

typedef enum need_kind { NEED_LITERALS, NEED_REGEX, NEED_ALL, NEED_ONE } need_kind;

struct pl_needs {
	need_kind kind;
	pl_literals *lits;       /* NEED_LITERALS: one of them occurs */
	/* NEED_REGEX: the text holds a match of this (relax.h). Compiled on
	 * first use, by whichever thread gets there first. */
	char *regex;
	size_t regex_len;
	_Atomic(pl_regex *) re;
	pl_needs **kids;         /* NEED_ALL / NEED_ONE */
	size_t n, cap;
	_Atomic signed char holds_regex; /* holds_regex(), once known; -1 before */
	/* Regex passes that asked it and that it failed, over the files so far
	 * (all threads'): an "all of" asks first what fails most often. */
	_Atomic uint32_t asked, failed;
};

/* What `re` holds when the relaxed pattern does not compile: no test. */
static char regex_unusable;
#define REGEX_UNUSABLE ((pl_regex *)(void *)&regex_unusable)

void pl_needs_delete(pl_needs *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n; i++)
		pl_needs_delete(n->kids[i]);
	free(n->kids);
	free(n->lits);
	free(n->regex);
	pl_regex *re = atomic_load(&n->re);
	if (re != REGEX_UNUSABLE)
		pl_regex_delete(re);
	free(n);
}

static pl_needs *node_new(need_kind kind)
{
	pl_needs *n = pl_xcalloc(1, sizeof(*n));
	n->kind = kind;
	atomic_init(&n->holds_regex, -1);
	return n;
}

static void node_add(pl_needs *n, pl_needs *kid)
{
	PL_GROW(n->kids, n->cap, n->n + 1);
	n->kids[n->n++] = kid;
}

static bool needs_equal(const pl_needs *a, const pl_needs *b);

/* Add a requirement to an "all of", once. */
static void all_add(pl_needs *all, pl_needs *kid)
{
	for (size_t i = 0; i < all->n; i++) {
		if (needs_equal(all->kids[i], kid)) {
			pl_needs_delete(kid);
			return;
		}
	}
	node_add(all, kid);
}

/* a and b (either may be NULL: needs nothing). Takes both. */
static pl_needs *all_of(pl_needs *a, pl_needs *b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	if (a->kind != NEED_ALL) {
		pl_needs *all = node_new(NEED_ALL);
		node_add(all, a);
		a = all;
	}
	if (b->kind == NEED_ALL) {
		for (size_t i = 0; i < b->n; i++)
			all_add(a, b->kids[i]);
		b->n = 0;
		pl_needs_delete(b);
	} else {
		all_add(a, b);
	}
	return a;
}

/* Alternatives accumulate here; one that needs nothing makes all of them so. */
typedef struct choice {
	pl_needs *one;
	bool free;               /* some alternative needs nothing */
} choice;

static void choice_add(choice *c, pl_needs *alt)
{
	if (c->free || !alt) {
		c->free = true;
		pl_needs_delete(alt);
		pl_needs_delete(c->one);
		c->one = NULL;
		return;
	}
	if (!c->one)
		c->one = node_new(NEED_ONE);
	node_add(c->one, alt);
}

static bool literals_equal(const pl_literals *a, const pl_literals *b)
{
	if (a->len != b->len || a->nocase != b->nocase || a->place != b->place)
		return false;
	for (size_t i = 0; i < a->len; i++)
		if (a->lens[i] != b->lens[i] || memcmp(a->items[i], b->items[i], a->lens[i]) != 0)
			return false;
	return true;
}

static bool needs_equal(const pl_needs *a, const pl_needs *b)
{
	if (a->kind != b->kind)
		return false;
	if (a->kind == NEED_LITERALS)
		return literals_equal(a->lits, b->lits);
	if (a->kind == NEED_REGEX)
		return a->regex_len == b->regex_len && memcmp(a->regex, b->regex, a->regex_len) == 0;
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (!needs_equal(a->kids[i], b->kids[i]))
			return false;
	return true;
}

/* Every string of a is in b: whatever needs a needs b. */
static bool literals_within(const pl_literals *a, const pl_literals *b)
{
	if (a->nocase != b->nocase || b->place > a->place)
		return false;
	for (size_t i = 0; i < a->len; i++)
		if (!pl_literals_has(b, a->items[i], a->lens[i]))
			return false;
	return true;
}

/* Whatever meets `strong` meets `weak` (a cheap, partial test). */
static bool implies(const pl_needs *strong, const pl_needs *weak)
{
	if (needs_equal(strong, weak))
		return true;
	if (strong->kind == NEED_LITERALS && weak->kind == NEED_LITERALS)
		return literals_within(strong->lits, weak->lits);
	if (strong->kind == NEED_ALL) {
		for (size_t i = 0; i < strong->n; i++)
			if (implies(strong->kids[i], weak))
				return true;
	}
	return false;
}

static void drop_kid(pl_needs *n, size_t i)
{
	pl_needs_delete(n->kids[i]);
	memmove(n->kids + i, n->kids + i + 1, (n->n - i - 1) * sizeof(pl_needs *));
	n->n--;
}

/* Literal sets of one case among the alternatives become one set (while
 * it fits). */
static void merge_literal_sets(pl_needs *one)
{
	for (size_t i = 0; i < one->n; i++) {
		pl_needs *a = one->kids[i];
		if (a->kind != NEED_LITERALS)
			continue;
		for (size_t k = i + 1; k < one->n;) {
			const pl_needs *b = one->kids[k];
			if (b->kind != NEED_LITERALS || b->lits->nocase != a->lits->nocase ||
			    b->lits->place != a->lits->place) {
				k++;
				continue;
			}
			pl_literals merged = *a->lits;
			bool fits = true;
			for (size_t j = 0; j < b->lits->len && fits; j++)
				fits = pl_literals_add(&merged, b->lits->items[j], b->lits->lens[j]);
			if (!fits) {
				k++;
				continue;
			}
			*a->lits = merged;
			drop_kid(one, k);
		}
	}
}

/* Simplify "one of": nested choices are spliced in, literal sets merged,
 * and an alternative that implies another is dropped (x | (x & y) is x). */
static void simplify_choice(pl_needs *one)
{
	for (size_t i = 0; i < one->n;) {
		pl_needs *k = one->kids[i];
		if (k->kind != NEED_ONE) {
			i++;
			continue;
		}
		one->kids[i] = one->kids[one->n - 1];
		one->n--;
		for (size_t j = 0; j < k->n; j++)
			node_add(one, k->kids[j]);
		k->n = 0;
		pl_needs_delete(k);
	}
	merge_literal_sets(one);
	for (size_t i = 0; i < one->n;) {
		bool dropped = false;
		for (size_t k = 0; k < one->n && !dropped; k++)
			if (k != i && implies(one->kids[i], one->kids[k]) &&
			    (!implies(one->kids[k], one->kids[i]) || k < i))
				dropped = true;
		if (dropped)
			drop_kid(one, i);
		else
			i++;
	}
}

/* The choice's formula; an empty choice needs nothing. */
static pl_needs *choice_end(choice *c)
{
	if (c->free || !c->one)
		return NULL;
	simplify_choice(c->one);
	if (c->one->n == 1) {
		pl_needs *only = c->one->kids[0];
		c->one->n = 0;
		pl_needs_delete(c->one);
		return only;
	}
	return c->one;
}

/* --- reading the query ------------------------------------------------------ */

/* What a predicate on a capture requires of every node it captures. */
typedef struct capture_need {
	const char *name;        /* into the query text */
	size_t name_len;
	pl_literals lits;
	bool equals;             /* the capture's text equals one of them (#eq?, #any-of?) */
	pl_literals *also;       /* owned: more sets a #match? regex requires at once */
	size_t nalso;
	char *relaxed;           /* owned: the #match? regex to search the file with (relax.h) */
	size_t relaxed_len;
	char *regex;             /* owned: the #match? regex as written, for edges (relax.h) */
	size_t regex_len;
	size_t plain_len;        /* the length of its relaxed form without edges */
} capture_need;

typedef struct reader {
	const char *s;
	size_t len, i;
	bool fail;
	int depth;
	bool collecting;         /* first pass over a pattern: record predicates only */
	bool regex_leaves;       /* #match? regexes are leaves too (not only their literals) */
	const pl_language *lang; /* for plain names and node edges (lang.h); may be NULL */
	/* The element about to be read: its parent's type and its field, for
	 * field edges (lang.h); NULL when not known or none. parent_edges:
	 * what follows the parent, which a tail field's node inherits. */
	const char *parent, *field;
	size_t parent_len, field_len;
	const pl_node_edges *parent_edges;
	capture_need *preds;     /* of the current top-level pattern */
	size_t npreds, cap;
	/* Where captures sit (pl_query_capture_sites), kept on the first pass. */
	unsigned level;          /* nodes between the top-level pattern's root and here */
	bool rooted;             /* the element just read is one node (or a choice of nodes) */
	bool named;              /* ... a named node pattern (or a choice of them) */
	const char *named_type;  /* ... whose one type this is (NULL: several) */
	size_t named_type_len;
	bool predicate;          /* ... or a predicate */
	size_t group_elements;   /* what the list just read held: patterns ... */
	bool group_rooted, group_anchored; /* ... all rooted; an anchor `.` among them */
	pl_capture_site *sites;
	size_t nsites, sites_cap;
	pl_needs_keep_fn keep;   /* NULL: every capture's predicates count */
	void *keep_ctx;
	const char *const *occurs; /* captures whose occurrences are leaves (pl_query_captures_required) */
	const size_t *occurs_lens;
	size_t noccurs;
	const pl_capture_needs *given; /* more needs of the matches that bind a capture */
	size_t ngiven;
	/* pl_query_capture_of_type: the capture asked about, the node type its
	 * every node must have ("_": any named node), and the answer so far */
	const char *typed_name, *typed_type;
	bool typed_ok;
} reader;

#define MAX_DEPTH 256

static void skip_space(reader *r)
{
	while (r->i < r->len) {
		char c = r->s[r->i];
		if (c == ';') {
			while (r->i < r->len && r->s[r->i] != '\n')
				r->i++;
		} else if (isspace((unsigned char)c)) {
			r->i++;
		} else {
			return;
		}
	}
}

static bool ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-' || c == '.' || c == '/' ||
	       c == '?' || c == '!';
}

/* Past white space: true at `close` (consumed) or at the end of the text
 * (a failure: the list was never closed), false before another item. */
static bool list_ends(reader *r, char close)
{
	skip_space(r);
	if (r->fail || r->i >= r->len) {
		r->fail = true;
		return true;
	}
	if (r->s[r->i] != close)
		return false;
	r->i++;
	return true;
}

/* An identifier at the cursor (node type, field, capture or predicate name). */
static size_t read_ident(reader *r, const char **start)
{
	*start = r->s + r->i;
	size_t n = 0;
	while (r->i < r->len && ident_char(r->s[r->i])) {
		r->i++;
		n++;
	}
	if (n == 0)
		r->fail = true;
	return n;
}

/* A string literal at the cursor, unescaped as tree-sitter does. */
static void read_string(reader *r, pl_strbuf *out)
{
	r->i++; /* " */
	while (r->i < r->len) {
		char c = r->s[r->i++];
		if (c == '"')
			return;
		if (c == '\\' && r->i < r->len) {
			char e = r->s[r->i++];
			c = e == 'n' ? '\n' : e == 'r' ? '\r' : e == 't' ? '\t' : e == '0' ? '\0' : e;
		}
		pl_strbuf_addch(out, c);
	}
	r->fail = true; /* unterminated */
}

static bool set_of_strings(pl_literals *lits, pl_strbuf *strings, size_t nstrings,
			   const size_t *lens)
{
	memset(lits, 0, sizeof(*lits));
	if (nstrings == 0 || nstrings > PL_LITERALS_MAX)
		return false;
	size_t at = 0;
	for (size_t k = 0; k < nstrings; k++) {
		if (lens[k] == 0 || lens[k] > PL_LITERAL_MAX_LEN)
			return false;
		memcpy(lits->items[k], strings->buf + at, lens[k]);
		lits->items[k][lens[k]] = '\0';
		lits->lens[k] = lens[k];
		at += lens[k];
	}
	lits->len = nstrings;
	return true;
}

/* Does the regex spell out three letters or digits in a row (not in a
 * class, not escaped)? One that does not (`[a-z]+`) finds a match in
 * nearly any file: not worth a search. */
static bool spells_a_word(const char *re, size_t len)
{
	size_t run = 0;
	bool in_class = false;
	for (size_t i = 0; i < len; i++) {
		char c = re[i];
		if (c == '\\') {
			i++;
			run = 0;
		} else if (in_class || c == '[') {
			in_class = c != ']' || !in_class;
			run = 0;
		} else if (isalnum((unsigned char)c)) {
			if (++run == 3)
				return true;
		} else {
			run = 0;
		}
	}
	return false;
}

/* After "(#": the predicate up to its ')'. On the first pass, the ones that
 * require text of a capture's every node are recorded. */
static void read_predicate(reader *r)
{
	const char *name;
	r->i++; /* # */
	size_t name_len = read_ident(r, &name);
	const char *capture = NULL;
	size_t capture_len = 0, nargs = 0, nstrings = 0;
	bool capture_first = false, strings_after = true;
	size_t lens[PL_LITERALS_MAX + 1];
	pl_strbuf strings = PL_STRBUF_INIT;
	while (!list_ends(r, ')')) {
		char c = r->s[r->i];
		if (c == '@') {
			r->i++;
			const char *cap;
			size_t n = read_ident(r, &cap);
			if (nargs == 0) {
				capture = cap;
				capture_len = n;
				capture_first = true;
			} else {
				strings_after = false;
			}
		} else if (c == '"') {
			size_t before = strings.len;
			read_string(r, &strings);
			if (nstrings < PL_LITERALS_MAX + 1)
				lens[nstrings] = strings.len - before;
			nstrings++;
		} else {
			const char *word;
			read_ident(r, &word);
			strings_after = false;
		}
		nargs++;
	}
	if (r->collecting && !r->fail && capture_first && strings_after && nstrings > 0 &&
	    nstrings <= PL_LITERALS_MAX) {
		capture_need need = { capture, capture_len, { .len = 0 }, false, NULL, 0, NULL, 0,
				      NULL, 0, 0 };
		bool known = false;
		if (name_len == 3 && memcmp(name, "eq?", 3) == 0 && nstrings == 1) {
			known = need.equals = set_of_strings(&need.lits, &strings, 1, lens);
		} else if (name_len == 7 && memcmp(name, "any-of?", 7) == 0) {
			known = need.equals = set_of_strings(&need.lits, &strings, nstrings, lens);
		} else if (name_len == 6 && memcmp(name, "match?", 6) == 0 && nstrings == 1) {
			pl_literals *sets = pl_xmalloc(PL_REGEX_CONJUNCTS * sizeof(pl_literals));
			bool exact = false;
			size_t n = pl_regex_conjuncts(strings.buf, strings.len, sets, &exact);
			known = n > 0;
			if (known)
				need.lits = sets[0];
			if (n > 1) {
				memmove(sets, sets + 1, (n - 1) * sizeof(pl_literals));
				need.also = sets;
				need.nalso = n - 1;
			} else {
				free(sets);
			}
			/* the regex itself, unless its literals say as much; also
			 * when it names no literal ((?i:...) groups) */
			pl_strbuf relaxed = PL_STRBUF_INIT;
			if (r->regex_leaves && pl_regex_relax(strings.buf, strings.len, NULL, &relaxed) &&
			    (n > 0 || spells_a_word(relaxed.buf, relaxed.len))) {
				/* kept for the node's edges, which even a regex
				 * its literals say all of gains from */
				need.regex = pl_xstrndup(strings.buf, strings.len);
				need.regex_len = strings.len;
				need.plain_len = relaxed.len;
				if (!exact) {
					need.relaxed_len = relaxed.len;
					need.relaxed = pl_strbuf_detach(&relaxed);
				}
				known = true;
			}
			pl_strbuf_release(&relaxed);
		}
		if (known) {
			PL_GROW(r->preds, r->cap, r->npreds + 1);
			r->preds[r->npreds++] = need;
		}
	}
	pl_strbuf_release(&strings);
}

/* Only letters, digits and underscores: a possible identifier's text. */
static bool identifier_like(const pl_literals *lits)
{
	for (size_t i = 0; i < lits->len; i++)
		for (size_t k = 0; k < lits->lens[i]; k++)
			if (!isalnum((unsigned char)lits->items[i][k]) && lits->items[i][k] != '_')
				return false;
	return true;
}

/*
 * A regex leaf for a predicate on a node whose edges are known, or NULL:
 * its #match? regex relaxed with them, or the strings it equals between
 * them (`"sh"` as a Go string's content: a quote before and after).
 */
static pl_needs *edged_leaf(const capture_need *p, const pl_node_edges *edges)
{
	pl_strbuf re = PL_STRBUF_INIT;
	bool ok = false;
	if (p->regex) {
		/* with an edge, it is longer than without */
		ok = pl_regex_relax(p->regex, p->regex_len, edges, &re) && re.len != p->plain_len;
	} else if (p->equals) {
		bool before = pl_regex_add_edge(&re, edges, true);
		pl_strbuf_adds(&re, "(?:");
		for (size_t i = 0; i < p->lits.len; i++) {
			if (i)
				pl_strbuf_addch(&re, '|');
			pl_regex_add_bytes(&re, p->lits.items[i], p->lits.lens[i]);
		}
		pl_strbuf_addch(&re, ')');
		ok = pl_regex_add_edge(&re, edges, false) || before;
	}
	if (!ok) {
		pl_strbuf_release(&re);
		return NULL;
	}
	pl_needs *leaf = node_new(NEED_REGEX);
	leaf->regex_len = re.len;
	leaf->regex = pl_strbuf_detach(&re);
	return leaf;
}

/* What a node captured as `name` must contain: all its predicates' sets.
 * `place`: where a string its text equals stands (PL_PLACE_TOKEN for
 * identifier types, PL_PLACE_NAME for plain names, literals.h). `edges`:
 * those of the node's type (lang.h), or NULL. */
static pl_needs *capture_needs(const reader *r, const char *name, size_t len, unsigned place,
			       const pl_node_edges *edges)
{
	pl_needs *needs = NULL;
	if (r->keep && !r->keep(r->keep_ctx, name, len))
		return NULL;
	for (size_t k = 0; k < r->npreds; k++) {
		const capture_need *p = &r->preds[k];
		if (p->name_len != len || memcmp(p->name, name, len) != 0)
			continue;
		if (p->lits.len) { /* else a regex without literals */
			pl_needs *leaf = node_new(NEED_LITERALS);
			leaf->lits = pl_xmalloc(sizeof(pl_literals));
			*leaf->lits = p->lits;
			leaf->lits->place =
				p->equals && identifier_like(&p->lits) ? place : PL_PLACE_ANY;
			needs = all_of(needs, leaf);
		}
		for (size_t i = 0; i < p->nalso; i++) {
			pl_needs *also = node_new(NEED_LITERALS);
			also->lits = pl_xmalloc(sizeof(pl_literals));
			*also->lits = p->also[i];
			needs = all_of(needs, also);
		}
		pl_needs *edged = r->regex_leaves && edges ? edged_leaf(p, edges) : NULL;
		if (edged) {
			needs = all_of(needs, edged);
		} else if (p->relaxed) {
			pl_needs *re = node_new(NEED_REGEX);
			re->regex = pl_xstrndup(p->relaxed, p->relaxed_len);
			re->regex_len = p->relaxed_len;
			needs = all_of(needs, re);
		}
	}
	for (size_t k = 0; k < r->ngiven; k++)
		if (strlen(r->given[k].name) == len && memcmp(r->given[k].name, name, len) == 0)
			needs = all_of(needs, pl_needs_copy(r->given[k].needs));
	return needs;
}

/* The capture at an element: does its node have the type asked about?
 * `named`: the element is a named node pattern `(type ...)`, or a choice of
 * such patterns; `type` is their one type, NULL when they differ. */
static void check_capture_type(reader *r, const char *name, size_t len, bool named,
			       const char *type, size_t type_len)
{
	if (!r->typed_name || strlen(r->typed_name) != len || memcmp(r->typed_name, name, len) != 0)
		return;
	bool any = strcmp(r->typed_type, "_") == 0;
	if (!named || (!any && (!type || strlen(r->typed_type) != type_len ||
				memcmp(r->typed_type, type, type_len) != 0)))
		r->typed_ok = false;
}

/* Node types whose text is one identifier token (identifier,
 * property_identifier, field_identifier, type_identifier, ...). */
static bool identifier_type(const char *type, size_t len)
{
	static const char suffix[] = "identifier";
	size_t n = sizeof(suffix) - 1;
	return len >= n && memcmp(type + len - n, suffix, n) == 0 &&
	       (len == n || type[len - n - 1] == '_') && memchr(type, '/', len) == NULL;
}

static pl_needs *read_element(reader *r);

/* What follows the element about to be read, from its field (lang.h): the
 * field's edges, or its parent's for a tail field; NULL if not known. */
static const pl_node_edges *field_edges_here(const reader *r)
{
	const pl_field_edges *f =
		pl_language_field_edges(r->lang, r->parent, r->parent_len, r->field, r->field_len);
	if (!f)
		return NULL;
	return f->tail ? r->parent_edges : &f->edges;
}

/* The children of a node or grouping, up to and past its ')'. */
static pl_needs *read_children(reader *r)
{
	pl_needs *needs = NULL;
	size_t elements = 0;
	bool all_rooted = true, anchored = false;
	while (!list_ends(r, ')')) {
		char c = r->s[r->i];
		if (c == '.') { /* anchor */
			r->i++;
			anchored = true;
			continue;
		}
		if (c == '!') { /* negated field */
			r->i++;
			const char *field;
			read_ident(r, &field);
			continue;
		}
		const char *field = NULL;
		size_t field_len = 0;
		if (isalpha((unsigned char)c) || (c == '_' && r->i + 1 < r->len &&
						  ident_char(r->s[r->i + 1]))) {
			field_len = read_ident(r, &field);
			skip_space(r);
			if (r->i >= r->len || r->s[r->i] != ':') {
				r->fail = true; /* a bare word where a pattern belongs */
				break;
			}
			r->i++;
			skip_space(r);
		}
		r->field = field;
		r->field_len = field_len;
		needs = all_of(needs, read_element(r));
		if (!r->predicate) {
			elements++;
			all_rooted &= r->rooted;
		}
	}
	r->group_elements = elements;
	r->group_rooted = all_rooted;
	r->group_anchored = anchored;
	return needs;
}

/* Forget the predicates recorded for a pattern. */
static void clear_preds(reader *r)
{
	for (size_t i = 0; i < r->npreds; i++) {
		free(r->preds[i].also);
		free(r->preds[i].relaxed);
		free(r->preds[i].regex);
	}
	r->npreds = 0;
}

static void add_site(reader *r, const char *name, size_t len)
{
	for (size_t i = 0; i < r->nsites; i++)
		if (r->sites[i].name_len == len && r->sites[i].depth == r->level &&
		    memcmp(r->sites[i].name, name, len) == 0)
			return;
	PL_GROW(r->sites, r->sites_cap, r->nsites + 1);
	r->sites[r->nsites++] = (pl_capture_site){ name, len, r->level };
}

/* One pattern with its quantifier and captures. */
static pl_needs *read_element(reader *r)
{
	if (++r->depth > MAX_DEPTH) {
		r->fail = true;
		return NULL;
	}
	pl_needs *needs = NULL;
	bool pattern = true, rooted = true;
	unsigned place = PL_PLACE_ANY; /* where a string a capture here equals stands */
	/* where this element stands: its own children and alternatives are
	 * given theirs */
	const char *parent = r->parent, *field = r->field;
	size_t parent_len = r->parent_len, field_len = r->field_len;
	const pl_node_edges *parent_edges = r->parent_edges;
	const pl_node_edges *edges = field_edges_here(r); /* else the type's, below */
	r->field = NULL;
	char c = r->i < r->len ? r->s[r->i] : '\0';
	bool named = false;      /* a named node pattern, or a choice of them */
	const char *type = NULL; /* a node pattern's type (a choice's: if one) */
	size_t type_len = 0;
	if (c == '(') {
		r->i++;
		skip_space(r);
		char k = r->i < r->len ? r->s[r->i] : '\0';
		if (k == '#') {
			read_predicate(r);
			pattern = false;
		} else if (k == '(' || k == '[' || k == '"' || k == ')' || k == '.') {
			needs = read_children(r); /* a grouping of siblings */
			rooted = r->group_elements == 1 && r->group_rooted && !r->group_anchored;
		} else {
			type_len = read_ident(r, &type);
			if (identifier_type(type, type_len)) {
				bool plain = r->lang && r->lang->identifier_never_member &&
					     type_len == 10 && memcmp(type, "identifier", 10) == 0;
				place = plain ? PL_PLACE_NAME : PL_PLACE_TOKEN;
			}
			named = true;
			r->level++;
			r->parent = type;
			r->parent_len = type_len;
			r->parent_edges = edges;
			needs = read_children(r);
			r->parent = parent;
			r->parent_len = parent_len;
			r->parent_edges = parent_edges;
			r->level--;
		}
	} else if (c == '[') {
		r->i++;
		choice alts = { NULL, false };
		bool first = true;
		named = true;
		while (!list_ends(r, ']')) {
			r->field = field; /* each alternative stands in the choice's field */
			r->field_len = field_len;
			choice_add(&alts, read_element(r));
			rooted &= r->rooted;
			named &= r->named;
			if (first)
				type = r->named_type, type_len = r->named_type_len;
			else if (type && (!r->named_type || r->named_type_len != type_len ||
					  memcmp(r->named_type, type, type_len) != 0))
				type = NULL;
			first = false;
		}
		needs = choice_end(&alts);
	} else if (c == '"') {
		pl_strbuf ignored = PL_STRBUF_INIT; /* an anonymous node: adds nothing */
		read_string(r, &ignored);
		pl_strbuf_release(&ignored);
	} else if (c == '_') {
		r->i++;
	} else {
		r->fail = true;
	}
	bool optional = false;
	while (pattern && !r->fail) {
		skip_space(r);
		char s = r->i < r->len ? r->s[r->i] : '\0';
		if (s == '?' || s == '*') {
			optional = true;
			rooted = false;
			r->i++;
		} else if (s == '+') {
			rooted = false;
			r->i++;
		} else if (s == '@') {
			r->i++;
			const char *name;
			size_t n = read_ident(r, &name);
			if (!r->collecting)
				needs = all_of(needs, capture_needs(r, name, n, place,
								    edges ? edges
									  : pl_language_node_edges(
										    r->lang, type, type_len)));
			else if (!r->fail)
				add_site(r, name, n);
			if (r->collecting)
				check_capture_type(r, name, n, named, type, type_len);
			for (size_t k = 0; k < r->noccurs && !r->collecting; k++) {
				if (n != r->occurs_lens[k] || memcmp(name, r->occurs[k], n) != 0)
					continue;
				pl_needs *leaf = node_new(NEED_LITERALS);
				leaf->lits = pl_xcalloc(1, sizeof(pl_literals));
				pl_literals_add(leaf->lits, "@", 1);
				needs = all_of(needs, leaf);
				break;
			}
		} else {
			break;
		}
	}
	r->rooted = rooted;
	r->named = named && pattern;
	r->named_type = named ? type : NULL;
	r->named_type_len = named ? type_len : 0;
	r->predicate = !pattern;
	r->depth--;
	if (optional || r->fail || r->collecting) {
		pl_needs_delete(needs);
		return NULL;
	}
	return needs;
}

static pl_needs *read_query(reader *r);

static bool keep_none(void *ctx, const char *capture, size_t len)
{
	(void)ctx;
	(void)capture;
	(void)len;
	return false;
}

bool pl_query_captures_required(const char *query, size_t len, const char *const *names,
				const size_t *lens, size_t n)
{
	reader r = { .s = query, .len = len, .keep = keep_none, .occurs = names,
		     .occurs_lens = lens, .noccurs = n };
	pl_needs *needs = read_query(&r);
	bool required = needs != NULL;
	pl_needs_delete(needs);
	return required;
}

bool pl_query_capture_sites(const char *query, size_t len, pl_capture_site **sites, size_t *n)
{
	reader r = { .s = query, .len = len, .collecting = true };
	bool rooted = true, any = false;
	for (;;) {
		skip_space(&r);
		if (r.i >= r.len)
			break;
		clear_preds(&r);
		read_element(&r);
		if (r.fail)
			break;
		rooted &= r.rooted;
		any = true;
	}
	clear_preds(&r);
	free(r.preds);
	if (r.fail || !rooted || !any) {
		free(r.sites);
		*sites = NULL;
		*n = 0;
		return false;
	}
	*sites = r.sites;
	*n = r.nsites;
	return true;
}

pl_needs *pl_needs_of_query(const pl_language *lang, const char *query, size_t len)
{
	return pl_needs_of_query_keeping(lang, query, len, NULL, NULL);
}

pl_needs *pl_needs_of_query_given(const pl_language *lang, const char *query, size_t len,
				  const pl_capture_needs *given, size_t ngiven)
{
	reader r = { .s = query, .len = len, .regex_leaves = true, .given = given,
		     .ngiven = ngiven, .lang = lang };
	return read_query(&r);
}

bool pl_query_capture_of_type(const char *query, size_t len, const char *name, const char *type)
{
	reader r = { .s = query, .len = len, .keep = keep_none, .typed_name = name,
		     .typed_type = type, .typed_ok = true };
	pl_needs_delete(read_query(&r));
	return !r.fail && r.typed_ok;
}

pl_needs *pl_needs_copy(const pl_needs *n)
{
	if (!n)
		return NULL;
	pl_needs *c = node_new(n->kind);
	if (n->lits) {
		c->lits = pl_xmalloc(sizeof(pl_literals));
		*c->lits = *n->lits;
	}
	if (n->regex) {
		c->regex = pl_xstrndup(n->regex, n->regex_len);
		c->regex_len = n->regex_len;
	}
	for (size_t i = 0; i < n->n; i++)
		node_add(c, pl_needs_copy(n->kids[i]));
	return c;
}

pl_needs *pl_needs_all(pl_needs *a, pl_needs *b)
{
	return all_of(a, b);
}

pl_needs *pl_needs_one(pl_needs **alts, size_t n)
{
	choice c = { NULL, false };
	for (size_t i = 0; i < n; i++)
		choice_add(&c, alts[i]);
	return choice_end(&c);
}

pl_needs *pl_needs_of_query_keeping(const pl_language *lang, const char *query, size_t len,
				    pl_needs_keep_fn keep, void *ctx)
{
	/* Those that keep some captures only are read for their anchors, which
	 * regexes do not give. */
	reader r = { .s = query, .len = len, .keep = keep, .keep_ctx = ctx, .regex_leaves = !keep,
		     .lang = lang };
	return read_query(&r);
}

/* The formula of the whole query: one of its top-level patterns. */
static pl_needs *read_query(reader *r)
{
	choice patterns = { NULL, false };
	for (;;) {
		skip_space(r);
		if (r->i >= r->len)
			break;
		/* Predicates apply to the whole pattern wherever they are written, so
		 * a first pass records them and a second builds the formula. */
		size_t start = r->i;
		r->collecting = true;
		clear_preds(r);
		read_element(r);
		if (r->fail)
			break;
		r->i = start;
		r->collecting = false;
		pl_needs *one = read_element(r);
		if (r->fail) {
			pl_needs_delete(one);
			break;
		}
		choice_add(&patterns, one);
	}
	clear_preds(r);
	free(r->preds);
	free(r->sites);
	pl_needs *needs = choice_end(&patterns);
	if (r->fail) {
		pl_needs_delete(needs);
		return NULL;
	}
	return needs;
}

/* --- testing a file ---------------------------------------------------------- */

/* The leaf's regex, compiled on first use; REGEX_UNUSABLE if it does not
 * compile. Threads racing here compile it twice and keep the first. */
static pl_regex *leaf_regex(const pl_needs *n)
{
	_Atomic(pl_regex *) *slot = (_Atomic(pl_regex *) *)&n->re;
	pl_regex *re = atomic_load(slot);
	if (re)
		return re;
	char err[128];
	size_t off;
	re = pl_regex_compile(n->regex, n->regex_len, err, sizeof(err), &off);
	if (!re)
		re = REGEX_UNUSABLE;
	pl_regex *first = NULL;
	if (!atomic_compare_exchange_strong(slot, &first, re)) {
		if (re != REGEX_UNUSABLE)
			pl_regex_delete(re);
		re = first;
	}
	return re;
}

/* Does the text hold a match of the leaf's regex (searched once per
 * text)? A search that gives up counts as a match. */
static bool regex_found(const pl_needs *n, pl_text_probe *probe)
{
	signed char *answer = pl_text_probe_memo(probe, n->regex, n->regex_len, PL_PROBE_REGEX);
	if (*answer >= 0)
		return *answer;
	pl_regex *re = leaf_regex(n);
	*answer = 1;
	if (re != REGEX_UNUSABLE) {
		pl_regex_result res = pl_text_probe_valid_utf8(probe)
					      ? pl_regex_try_valid(re, probe->text, probe->len)
					      : pl_regex_try(re, probe->text, probe->len);
		*answer = res != PL_REGEX_NO_MATCH;
	}
	return *answer;
}

/* Does the requirement hold a regex leaf? Worked out once (threads racing
 * here agree). */
static bool holds_regex(const pl_needs *n)
{
	_Atomic signed char *slot = (_Atomic signed char *)&n->holds_regex;
	signed char known = atomic_load_explicit(slot, memory_order_relaxed);
	if (known >= 0)
		return known;
	bool holds = n->kind == NEED_REGEX;
	for (size_t i = 0; i < n->n && !holds; i++)
		holds = holds_regex(n->kids[i]);
	atomic_store_explicit(slot, (signed char)holds, memory_order_relaxed);
	return holds;
}

/* How soon an "all of" asks a requirement: 0 a set of a few strings (a
 * few lookups, often settling it), 1 the rest, 2 one holding a regex. */
static int cost_class(const pl_needs *n)
{
	if (n->kind == NEED_LITERALS)
		return n->lits->len <= 4 ? 0 : 1;
	return holds_regex(n) ? 2 : 1;
}

static bool met(const pl_needs *n, pl_text_probe *probe, bool regexes);

/* The requirements of an "all of" that hold regexes, the one that failed
 * most often in earlier files first: a sink that may be any of twenty calls
 * (searched for everywhere) is asked only in the files that hold a rarer
 * source. The answer is the same in any order. */
static bool regexes_met(const pl_needs *n, pl_text_probe *probe)
{
	enum { MAX_ORDERED = 16 };
	size_t order[MAX_ORDERED], k = 0;
	double rate[MAX_ORDERED];
	for (size_t i = 0; i < n->n; i++) {
		const pl_needs *kid = n->kids[i];
		if (cost_class(kid) != 2)
			continue;
		if (k == MAX_ORDERED) { /* not worth ordering: as written */
			if (!met(kid, probe, true))
				return false;
			continue;
		}
		uint32_t asked = atomic_load_explicit(&kid->asked, memory_order_relaxed);
		uint32_t failed = atomic_load_explicit(&kid->failed, memory_order_relaxed);
		double r = (failed + 1.0) / (asked + 2.0);
		size_t at = k++;
		for (; at > 0 && rate[at - 1] < r; at--) { /* stable: ties as written */
			order[at] = order[at - 1];
			rate[at] = rate[at - 1];
		}
		order[at] = i;
		rate[at] = r;
	}
	for (size_t j = 0; j < k; j++) {
		pl_needs *kid = n->kids[order[j]];
		bool ok = met(kid, probe, true);
		atomic_fetch_add_explicit(&kid->asked, 1, memory_order_relaxed);
		if (!ok) {
			atomic_fetch_add_explicit(&kid->failed, 1, memory_order_relaxed);
			return false;
		}
	}
	return true;
}

/* `regexes` false: regex leaves count as met (the cheap first test). Within
 * an "all of", regexes come after the literal sets beside them. */
static bool met(const pl_needs *n, pl_text_probe *probe, bool regexes)
{
	if (!n)
		return true;
	switch (n->kind) {
	case NEED_LITERALS:
		for (size_t i = 0; i < n->lits->len; i++)
			if (pl_text_probe_has(probe, n->lits->items[i], n->lits->lens[i], n->lits->nocase,
					      n->lits->place))
				return true;
		return false;
	case NEED_REGEX:
		return !regexes || regex_found(n, probe);
	case NEED_ALL:
		/* cheapest first: sets of a few strings, then the rest, then regexes */
		for (int pass = 0; pass < 3; pass++) {
			if (pass == 2 && regexes)
				return regexes_met(n, probe);
			for (size_t i = 0; i < n->n; i++)
				if (cost_class(n->kids[i]) == pass && !met(n->kids[i], probe, regexes))
					return false;
		}
		return true;
	case NEED_ONE:
		for (size_t i = 0; i < n->n; i++)
			if (met(n->kids[i], probe, regexes))
				return true;
		return false;
	}
	return true;
}

bool pl_needs_met(const pl_needs *n, pl_text_probe *probe)
{
	return met(n, probe, true);
}

bool pl_needs_met_by_literals(const pl_needs *n, pl_text_probe *probe)
{
	return met(n, probe, false);
}

/* The shortest string of a set: how selective it is. */
static size_t shortest(const pl_literals *set)
{
	size_t m = set->len ? PL_LITERAL_MAX_LEN + 1 : 0;
	for (size_t i = 0; i < set->len; i++)
		if (set->lens[i] < m)
			m = set->lens[i];
	return m;
}

bool pl_needs_anchor(const pl_needs *n, pl_literals *out)
{
	if (!n)
		return false;
	switch (n->kind) {
	case NEED_LITERALS:
		*out = *n->lits;
		return true;
	case NEED_REGEX:
		return false;
	case NEED_ALL: {
		/* any requirement will do: the most selective */
		bool have = false;
		pl_literals cand;
		for (size_t i = 0; i < n->n; i++) {
			if (!pl_needs_anchor(n->kids[i], &cand))
				continue;
			if (!have || shortest(&cand) > shortest(out) ||
			    (shortest(&cand) == shortest(out) &&
			     (cand.place > out->place ||
			      (cand.place == out->place && cand.len < out->len)))) {
				*out = cand;
				have = true;
			}
		}
		return have;
	}
	case NEED_ONE: {
		/* every alternative must name one; the union serves them all */
		pl_literals cand;
		for (size_t i = 0; i < n->n; i++) {
			if (!pl_needs_anchor(n->kids[i], &cand))
				return false;
			if (i == 0)
				*out = cand;
			else if (!pl_literals_union(out, &cand, out))
				return false;
		}
		return out->len > 0;
	}
	}
	return false;
}

static void describe_set(const pl_literals *set, pl_strbuf *out)
{
	for (size_t i = 0; i < set->len; i++) {
		pl_strbuf_adds(out, i ? " | \"" : "\"");
		for (size_t k = 0; k < set->lens[i]; k++) {
			char c = set->items[i][k];
			if (c == '"' || c == '\\')
				pl_strbuf_addch(out, '\\');
			if (c == '\n')
				pl_strbuf_adds(out, "\\n");
			else
				pl_strbuf_addch(out, c);
		}
		pl_strbuf_adds(out, set->nocase			 ? "\"i"
				    : set->place == PL_PLACE_NAME  ? "\"n"
				    : set->place == PL_PLACE_TOKEN ? "\"w"
								   : "\"");
	}
}

char *pl_literals_describe(const pl_literals *set)
{
	pl_strbuf out = PL_STRBUF_INIT;
	describe_set(set, &out);
	return pl_strbuf_detach(&out);
}

static void describe(const pl_needs *n, pl_strbuf *out, bool nested)
{
	if (n->kind == NEED_REGEX) {
		pl_strbuf_addch(out, '/');
		pl_strbuf_add(out, n->regex, n->regex_len);
		pl_strbuf_addch(out, '/');
		return;
	}
	if (n->kind == NEED_LITERALS) {
		bool group = nested && n->lits->len > 1;
		if (group)
			pl_strbuf_addch(out, '(');
		describe_set(n->lits, out);
		if (group)
			pl_strbuf_addch(out, ')');
		return;
	}
	if (nested)
		pl_strbuf_addch(out, '(');
	for (size_t i = 0; i < n->n; i++) {
		if (i)
			pl_strbuf_adds(out, n->kind == NEED_ALL ? " & " : " | ");
		describe(n->kids[i], out, true);
	}
	if (nested)
		pl_strbuf_addch(out, ')');
}

char *pl_needs_describe(const pl_needs *n)
{
	if (!n)
		return pl_xstrdup("nothing");
	pl_strbuf out = PL_STRBUF_INIT;
	describe(n, &out, false);
	return pl_strbuf_detach(&out);
}

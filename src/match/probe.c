#define _GNU_SOURCE
#include "match/probe.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "match/literals.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* Answers per (key, kind) for one file: open addressing on the bytes. */
typedef struct memo_slot {
	const char *lit;
	size_t len;
	unsigned mode;           /* the kind (probe.h) */
	signed char answer;      /* -1 until the asker sets it */
} memo_slot;

struct probe_memo {
	memo_slot *slots;
	size_t cap, used;
};

/*
 * Where each byte pair occurs: its places (the offset of its first byte),
 * in ascending order, grouped by a hash of the pair into PAIR_BUCKETS
 * buckets. Built in two passes over the text; a literal then costs the
 * places of its rarest pair instead of a search of the whole text, which
 * matters when a file is asked for hundreds of literals.
 */
#define PAIR_BUCKETS 1024u

struct pair_index {
	uint32_t first[PAIR_BUCKETS + 1]; /* bucket b's places: at[first[b] .. first[b + 1]) */
	uint32_t *at;
	size_t at_cap;           /* places at can hold */
};

/* What one probe hands the next (probe.h): arrays with their capacities. */
struct pl_probe_buffers {
	memo_slot *slots;
	size_t slots_cap;
	char *lower;
	size_t lower_cap;
	struct pair_index *index;
};

static void pair_index_delete(struct pair_index *x);

pl_probe_buffers *pl_probe_buffers_new(void)
{
	return pl_xcalloc(1, sizeof(pl_probe_buffers));
}

void pl_probe_buffers_delete(pl_probe_buffers *b)
{
	if (!b)
		return;
	free(b->slots);
	free(b->lower);
	pair_index_delete(b->index);
	free(b);
}

void pl_text_probe_init(pl_text_probe *probe, const char *text, size_t len)
{
	pl_text_probe_init_reusing(probe, text, len, NULL);
}

void pl_text_probe_init_reusing(pl_text_probe *probe, const char *text, size_t len,
				pl_probe_buffers *buffers)
{
	memset(probe, 0, sizeof(*probe));
	probe->text = text;
	probe->len = len;
	probe->memo = pl_xcalloc(1, sizeof(struct probe_memo));
	probe->utf8 = -1;
	probe->buffers = buffers;
	if (!buffers)
		return;
	/* take the arrays; pl_text_probe_release hands them back */
	if (buffers->slots) {
		probe->memo->slots = buffers->slots;
		probe->memo->cap = buffers->slots_cap;
		memset(probe->memo->slots, 0, probe->memo->cap * sizeof(memo_slot));
		buffers->slots = NULL;
	}
	probe->lower = buffers->lower;
	probe->lower_cap = buffers->lower_cap;
	probe->lower_pairs = buffers->index;
	buffers->lower = NULL;
	buffers->index = NULL;
}

bool pl_text_probe_valid_utf8(pl_text_probe *probe)
{
	if (probe->utf8 < 0)
		probe->utf8 = pl_utf8_valid(probe->text, probe->len) ? 1 : 0;
	return probe->utf8 == 1;
}

void pl_text_probe_release(pl_text_probe *probe)
{
	pl_probe_buffers *b = probe->buffers;
	if (b) {
		free(b->slots);
		b->slots = probe->memo->slots;
		b->slots_cap = probe->memo->cap;
		free(b->lower);
		b->lower = probe->lower;
		b->lower_cap = probe->lower_cap;
		pair_index_delete(b->index);
		b->index = probe->lower_pairs;
	} else {
		free(probe->memo->slots);
		free(probe->lower);
		pair_index_delete(probe->lower_pairs);
	}
	free(probe->memo);
	pair_index_delete(probe->pairs);
	memset(probe, 0, sizeof(*probe));
}

static uint64_t hash_bytes(const char *s, size_t n, unsigned mode)
{
	uint64_t h = 0xcbf29ce484222325u ^ ((uint64_t)mode * 0x9e3779b97f4a7c15u);
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3u;
	}
	return h;
}

static memo_slot *memo_find(struct probe_memo *m, const char *lit, size_t len, unsigned mode)
{
	size_t mask = m->cap - 1;
	for (size_t i = hash_bytes(lit, len, mode) & mask;; i = (i + 1) & mask) {
		memo_slot *s = &m->slots[i];
		if (!s->lit || (s->len == len && s->mode == mode && memcmp(s->lit, lit, len) == 0))
			return s;
	}
}

static void memo_grow(struct probe_memo *m)
{
	memo_slot *old = m->slots;
	size_t old_cap = m->cap;
	m->cap = old_cap ? old_cap * 2 : 1024;
	m->slots = pl_xcalloc(m->cap, sizeof(memo_slot));
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].lit)
			*memo_find(m, old[i].lit, old[i].len, old[i].mode) = old[i];
	free(old);
}

const char *pl_text_probe_folded(pl_text_probe *probe, size_t *len)
{
	if (!probe->folded) {
		size_t need = probe->len ? probe->len : 1;
		if (probe->lower_cap < need) {
			free(probe->lower);
			probe->lower = pl_xmalloc(need);
			probe->lower_cap = need;
		}
		probe->lower_len = pl_literals_fold(probe->text, probe->len, probe->lower);
		probe->folded = true;
	}
	*len = probe->lower_len;
	return probe->lower;
}

/* A shift and an xor: as even a spread over code as a multiplicative hash
 * (measured), at a fraction of the cost, for every byte of every file. */
static unsigned pair_bucket(unsigned char a, unsigned char b)
{
	return (((unsigned)a << 5) ^ b) & (PAIR_BUCKETS - 1);
}

/* The index of text, in x's arrays (NULL: new ones). */
static struct pair_index *index_pairs(struct pair_index *x, const char *text, size_t len)
{
	if (!x)
		x = pl_xcalloc(1, sizeof(*x));
	else
		memset(x->first, 0, sizeof(x->first));
	size_t n = len > 1 ? len - 1 : 0;
	if (x->at_cap < (n ? n : 1)) {
		free(x->at);
		x->at_cap = n ? n : 1;
		x->at = pl_xmalloc(x->at_cap * sizeof(uint32_t));
	}
	const unsigned char *t = (const unsigned char *)text;
	for (size_t i = 0; i < n; i++)
		x->first[pair_bucket(t[i], t[i + 1]) + 1]++;
	for (unsigned b = 0; b < PAIR_BUCKETS; b++)
		x->first[b + 1] += x->first[b];
	uint32_t fill[PAIR_BUCKETS];
	memcpy(fill, x->first, PAIR_BUCKETS * sizeof(uint32_t));
	for (size_t i = 0; i < n; i++)
		x->at[fill[pair_bucket(t[i], t[i + 1])]++] = (uint32_t)i;
	return x;
}

static void pair_index_delete(struct pair_index *x)
{
	if (x)
		free(x->at);
	free(x);
}

/* Texts past this size are searched without an index (offsets are 32-bit). */
#define INDEX_MAX_LEN ((size_t)1 << 30)

/* The first place of lit in text at or after `from` that stands where
 * `place` asks (literals.h), or NULL. */
static const char *search_literal(const char *text, size_t text_len, size_t from, const char *lit,
				  size_t len, unsigned place)
{
	const char *end = text + text_len;
	for (const char *at = text + from; at < end;) {
		at = memmem(at, (size_t)(end - at), lit, len);
		if (!at || pl_literal_at(text, text_len, (size_t)(at - text), len, place))
			return at;
		at++;
	}
	return NULL;
}

static unsigned char fold_byte(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + ('a' - 'A')) : c;
}

/* The same through an index of `indexed` (the text, or the text folded
 * byte for byte): the places of the literal's rarest pair, checked against
 * `text`. `fold`: the index is of the folded text, so the literal's pairs
 * are folded to find their places. */
static const char *indexed_literal(const struct pair_index *x, const char *text, size_t text_len,
				   size_t from, const char *lit, size_t len, unsigned place, bool fold)
{
	const unsigned char *l = (const unsigned char *)lit;
	size_t k = 0;
	uint32_t fewest = UINT32_MAX;
	unsigned rarest = 0;
	for (size_t i = 0; i + 1 < len; i++) {
		unsigned b = fold ? pair_bucket(fold_byte(l[i]), fold_byte(l[i + 1]))
				  : pair_bucket(l[i], l[i + 1]);
		uint32_t count = x->first[b + 1] - x->first[b];
		if (count < fewest) {
			fewest = count;
			k = i;
			rarest = b;
			if (count == 0)
				return NULL; /* the pair never occurs */
		}
	}
	const uint32_t *lo = x->at + x->first[rarest], *hi = x->at + x->first[rarest + 1];
	const uint32_t *end = hi;
	/* the first place of the pair from which the literal would start at `from` or later */
	while (lo < hi) {
		const uint32_t *mid = lo + (hi - lo) / 2;
		if (*mid < from + k)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (const uint32_t *p = lo; p < end; p++) {
		size_t start = *p - k;
		if (start + len > text_len || memcmp(text + start, lit, len) != 0)
			continue;
		if (pl_literal_at(text, text_len, start, len, place))
			return text + start;
	}
	return NULL;
}

long pl_text_probe_find(pl_text_probe *probe, size_t from, const char *lit, size_t len,
			bool nocase, unsigned place)
{
	const char *text = probe->text;
	size_t text_len = probe->len;
	if (len == 0 || from >= text_len || len > text_len - from)
		return -1;
	if (len < 2 || text_len > INDEX_MAX_LEN) {
		if (nocase)
			text = pl_text_probe_folded(probe, &text_len);
		const char *at = search_literal(text, text_len, from, lit, len, place);
		return at ? (long)(at - text) : -1;
	}
	/* One index serves both kinds of literal: that of the folded text, whose
	 * places are those of the text unless folding shortened it (a Kelvin
	 * sign, a long s), in which case the text gets an index of its own. */
	size_t folded_len;
	const char *folded = pl_text_probe_folded(probe, &folded_len);
	if (!probe->indexed) {
		probe->lower_pairs = index_pairs(probe->lower_pairs, folded, folded_len);
		probe->indexed = true;
	}
	const char *at;
	if (nocase) {
		if (from >= folded_len || len > folded_len - from)
			return -1;
		at = indexed_literal(probe->lower_pairs, folded, folded_len, from, lit, len, place,
				     false);
		text = folded;
	} else if (folded_len == text_len) {
		at = indexed_literal(probe->lower_pairs, text, text_len, from, lit, len, place, true);
	} else {
		if (!probe->pairs)
			probe->pairs = index_pairs(NULL, text, text_len);
		at = indexed_literal(probe->pairs, text, text_len, from, lit, len, place, false);
	}
	return at ? (long)(at - text) : -1;
}

signed char *pl_text_probe_memo(pl_text_probe *probe, const char *key, size_t len,
				unsigned kind)
{
	struct probe_memo *m = probe->memo;
	if (2 * (m->used + 1) > m->cap)
		memo_grow(m);
	memo_slot *slot = memo_find(m, key, len, kind);
	if (!slot->lit) {
		*slot = (memo_slot){ key, len, kind, -1 };
		m->used++;
	}
	return &slot->answer;
}

bool pl_text_probe_has(pl_text_probe *probe, const char *lit, size_t len, bool nocase,
		       unsigned place)
{
	signed char *answer = pl_text_probe_memo(probe, lit, len, (nocase ? 1u : 0u) | place << 1);
	if (*answer < 0)
		*answer = pl_text_probe_find(probe, 0, lit, len, nocase, place) >= 0;
	return *answer;
}

#define _GNU_SOURCE
#include "match/pattern.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "match/needs.h"
#include "match/pattern_internal.h"
#include "match/predicate.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

bool pl_relation_needs_capture(pl_relation rel)
{
	return rel == PL_REL_HAS || rel == PL_REL_NOT_HAS || rel == PL_REL_INSIDE ||
	       rel == PL_REL_NOT_INSIDE;
}

/* has, inside, file_has: the relation holds where its sub-pattern matches. */
static bool positive(pl_relation rel)
{
	return rel == PL_REL_HAS || rel == PL_REL_INSIDE || rel == PL_REL_FILE_HAS;
}

static const char *query_error_name(TSQueryError e)
{
	switch (e) {
	case TSQueryErrorSyntax: return "syntax error";
	case TSQueryErrorNodeType: return "unknown node type";
	case TSQueryErrorField: return "unknown field";
	case TSQueryErrorCapture: return "unknown capture";
	case TSQueryErrorStructure: return "impossible pattern structure";
	case TSQueryErrorLanguage: return "incompatible language";
	default: return "error";
	}
}

void pl_query_unref(compiled *c)
{
	if (!c || --c->refs > 0)
		return;
	pl_predicates_delete(c->preds);
	ts_query_delete(c->query);
	free(c->sites);
	free(c->root_anchor);
	free(c->capture_sites);
	free(c->text);
	free(c);
}

pl_query_cache *pl_query_cache_new(void)
{
	pl_query_cache *c = pl_xcalloc(1, sizeof(pl_query_cache));
	pthread_mutex_init(&c->lock, NULL);
	return c;
}

void pl_query_cache_delete(pl_query_cache *cache)
{
	if (!cache)
		return;
	for (size_t i = 0; i < cache->len; i++)
		pl_query_unref(cache->items[i]);
	free(cache->items);
	pthread_mutex_destroy(&cache->lock);
	free(cache);
}

compiled *pl_query_compile(const pl_language *lang, const char *query, size_t len,
			       pl_compile_error *err)
{
	uint32_t off = 0;
	TSQueryError qerr = TSQueryErrorNone;
	TSQuery *q = ts_query_new(lang->grammar(), query, (uint32_t)len, &off, &qerr);
	if (!q) {
		err->offset = off;
		/* Name the offending token: the identifier-like run at the offset. */
		size_t end = off;
		while (end < len && end - off < 40 &&
		       (query[end] == '_' || query[end] == '-' || query[end] == '.' ||
			(query[end] >= 'a' && query[end] <= 'z') ||
			(query[end] >= 'A' && query[end] <= 'Z') ||
			(query[end] >= '0' && query[end] <= '9')))
			end++;
		if (end > off)
			snprintf(err->message, sizeof(err->message), "bad %s query: %s '%.*s'",
				 lang->name, query_error_name(qerr), (int)(end - off), query + off);
		else
			snprintf(err->message, sizeof(err->message), "bad %s query: %s",
				 lang->name, query_error_name(qerr));
		return NULL;
	}
	if (ts_query_pattern_count(q) == 0) {
		ts_query_delete(q);
		snprintf(err->message, sizeof(err->message), "empty %s query", lang->name);
		return NULL;
	}
	/* tree-sitter takes a predicate written after a pattern, outside its
	 * parentheses, as a pattern of its own that never matches: the predicate
	 * would silently not apply. Reject it. */
	for (uint32_t i = 0; i < ts_query_pattern_count(q); i++) {
		uint32_t at = ts_query_start_byte_for_pattern(q, i);
		while (at < len && (query[at] == ' ' || query[at] == '\t' || query[at] == '\n' ||
				    query[at] == '\r'))
			at++;
		if (at + 1 < len && query[at] == '(' && query[at + 1] == '#') {
			err->offset = at;
			snprintf(err->message, sizeof(err->message),
				 "predicate outside of a pattern would never apply: put it inside the "
				 "pattern's parentheses, as in ((identifier) @x (#eq? @x \"name\"))");
			ts_query_delete(q);
			return NULL;
		}
	}
	pl_predicates *preds = pl_predicates_compile(q, query, len, err);
	if (!preds) {
		ts_query_delete(q);
		return NULL;
	}
	compiled *c = pl_xcalloc(1, sizeof(*c));
	c->lang = lang;
	c->text = pl_xstrndup(query, len);
	c->len = len;
	c->query = q;
	c->preds = preds;
	c->refs = 1;
	pl_query_find_root_sites(c);
	return c;
}

pl_pattern *pl_pattern_defer(const pl_language *lang, const char *query, size_t len)
{
	pl_pattern *p = pl_xcalloc(1, sizeof(*p));
	p->lang = lang;
	p->source = pl_xstrndup(query, len);
	p->source_len = len;
	p->needs = pl_needs_of_query(lang, query, len);
	return p;
}

static void cache_add(pl_query_cache *cache, compiled *c)
{
	pthread_mutex_lock(&cache->lock);
	c->refs++; /* the cache's own reference */
	PL_GROW(cache->items, cache->cap, cache->len + 1);
	cache->items[cache->len++] = c;
	pthread_mutex_unlock(&cache->lock);
}

/* p's text compiled: shared from the cache (*shared set), or compiled now,
 * outside any lock (the costly part). */
static compiled *cached_or_compiled(const pl_pattern *p, pl_query_cache *cache, bool *shared,
				   pl_compile_error *err)
{
	compiled *c = NULL;
	if (cache) {
		pthread_mutex_lock(&cache->lock);
		for (size_t i = 0; i < cache->len && !c; i++) {
			compiled *e = cache->items[i];
			if (e->lang == p->lang && e->len == p->source_len &&
			    memcmp(e->text, p->source, p->source_len) == 0)
				c = e;
		}
		if (c)
			c->refs++;
		pthread_mutex_unlock(&cache->lock);
	}
	*shared = c != NULL;
	return c ? c : pl_query_compile(p->lang, p->source, p->source_len, err);
}

static int prepare_one(pl_pattern *p, pl_query_cache *cache, pl_compile_error *err)
{
	if (p->shared)
		return 0;
	/* Two threads never compile the same text here, as each language is
	 * prepared by one. */
	bool shared;
	compiled *c = cached_or_compiled(p, cache, &shared, err);
	if (!c)
		return -1;
	if (cache && !shared)
		cache_add(cache, c);
	atomic_store_explicit(&p->shared, c, memory_order_release);
	return 0;
}

/* Publishes lazily compiled queries; compiling itself runs unlocked. */
static pthread_mutex_t lazy_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t lazy_published = PTHREAD_COND_INITIALIZER;

/* Compile p, which this thread has claimed (p->compiling), and publish it. */
static compiled *compile_claimed(pl_pattern *p)
{
	pl_compile_error err;
	bool shared;
	compiled *mine = cached_or_compiled(p, p->lazy_cache, &shared, &err);
	if (mine && p->lazy_cache && !shared)
		cache_add(p->lazy_cache, mine);
	pthread_mutex_lock(&lazy_lock);
	if (mine)
		atomic_store_explicit(&p->shared, mine, memory_order_release);
	p->failed = !mine;
	p->compiling = false; /* on failure a waiter tries, and fails, itself */
	pthread_cond_broadcast(&lazy_published);
	pthread_mutex_unlock(&lazy_lock);
	return mine;
}

/* The first pattern after `after` in the pre-order of the tree of p's
 * relations (the order they are asked in: a pattern's relations are
 * asked once it matched) that is lazy and that no thread has compiled or
 * is compiling; NULL if none. *passed: `after` was met. Under lazy_lock. */
static pl_pattern *idle_after(pl_pattern *p, const pl_pattern *after, bool *passed)
{
	for (size_t i = 0; i < p->nrelations; i++) {
		pl_pattern *sub = p->relations[i].sub;
		if (*passed && sub->lazy && !sub->compiling && !sub->failed &&
		    !atomic_load_explicit(&sub->shared, memory_order_relaxed))
			return sub;
		*passed |= sub == after;
		pl_pattern *deeper = idle_after(sub, after, passed);
		if (deeper)
			return deeper;
	}
	return NULL;
}

/* The compiled query of p, compiling a lazy pattern now; NULL if p was never
 * prepared (or, lazily, does not compile: only trusted packs are lazy).
 * The first thread to need a pattern compiles it: at the start of a scan,
 * threads on files alike want the same queries at once, and compiled them
 * all twice. Another that needs it meanwhile first compiles the next
 * relation of the same rule that no thread has started, as it is likely to
 * need that one soon (so is the first thread), then waits. Only one: while
 * a large query compiles, a thread that went on down the rule compiled
 * more relations that no file needed than ones that one did. */
const compiled *pl_pattern_compiled(pl_pattern *p)
{
	compiled *c = atomic_load_explicit(&p->shared, memory_order_acquire);
	if (c || !p->lazy)
		return c;
	pthread_mutex_lock(&lazy_lock);
	bool helped = false;
	while (!(c = atomic_load_explicit(&p->shared, memory_order_relaxed)) && p->compiling) {
		bool passed = p == p->family;
		pl_pattern *relative = helped || !p->family ? NULL : idle_after(p->family, p, &passed);
		if (!relative) {
			pthread_cond_wait(&lazy_published, &lazy_lock);
			continue;
		}
		relative->compiling = true;
		helped = true;
		pthread_mutex_unlock(&lazy_lock);
		compile_claimed(relative);
		pthread_mutex_lock(&lazy_lock);
	}
	if (!c)
		p->compiling = true;
	pthread_mutex_unlock(&lazy_lock);
	return c ? c : compile_claimed(p);
}

bool pl_pattern_compiling(pl_pattern *p)
{
	if (atomic_load_explicit(&p->shared, memory_order_acquire) || !p->lazy)
		return false;
	pthread_mutex_lock(&lazy_lock);
	bool busy = p->compiling;
	pthread_mutex_unlock(&lazy_lock);
	return busy;
}

int pl_pattern_prepare(pl_pattern *p, pl_query_cache *cache, pl_compile_error *err)
{
	memset(err, 0, sizeof(*err));
	if (prepare_one(p, cache, err) < 0)
		return -1;
	for (size_t i = 0; i < p->nrelations; i++)
		if (pl_pattern_prepare(p->relations[i].sub, cache, err) < 0)
			return -1;
	return 0;
}

bool pl_pattern_is_prepared(const pl_pattern *p)
{
	return p->shared != NULL;
}

pl_pattern *pl_pattern_compile(pl_query_cache *cache, const pl_language *lang, const char *query,
			       size_t len, pl_compile_error *err)
{
	memset(err, 0, sizeof(*err));
	pl_pattern *p = pl_pattern_defer(lang, query, len);
	if (prepare_one(p, cache, err) < 0) {
		pl_pattern_delete(p);
		return NULL;
	}
	return p;
}

void pl_pattern_delete(pl_pattern *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nrelations; i++) {
		free(p->relations[i].capture);
		pl_pattern_delete(p->relations[i].sub);
		for (size_t k = 0; k < p->relations[i].nmentions; k++)
			free(p->relations[i].mentions[k].name);
		free(p->relations[i].mentions);
		pl_needs_delete(p->relations[i].given);
	}
	free(p->relations);
	pl_query_unref(p->shared);
	pl_needs_delete(p->needs);
	pl_needs_delete(atomic_load(&p->formula));
	free(p->source);
	free(p);
}

bool pl_pattern_has_capture(const pl_pattern *p, const char *name)
{
	if (!p->shared)
		return true; /* deferred: checked when the rule pack's own tests compile it */
	const TSQuery *q = ((const compiled *)p->shared)->query;
	uint32_t n = ts_query_capture_count(q);
	size_t nlen = strlen(name);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t len;
		const char *c = ts_query_capture_name_for_id(q, i, &len);
		if (len == nlen && memcmp(c, name, len) == 0)
			return true;
	}
	return false;
}

static const char *skip_blank(const char *s, const char *end)
{
	while (s < end && isspace((unsigned char)*s))
		s++;
	return s;
}

/* Is the query `(type) @capture`, and nothing else? Sets *type. */
static bool restates_target(const pl_pattern *sub, const char *capture, char *type, size_t size)
{
	const char *s = sub->source, *end = s + sub->source_len;
	s = skip_blank(s, end);
	if (s == end || *s++ != '(')
		return false;
	s = skip_blank(s, end);
	size_t n = 0;
	while (s + n < end && (isalnum((unsigned char)s[n]) || s[n] == '_'))
		n++;
	if (n == 0 || n >= size)
		return false;
	memcpy(type, s, n);
	type[n] = '\0';
	s = skip_blank(s + n, end);
	if (s == end || *s++ != ')')
		return false;
	s = skip_blank(s, end);
	if (s == end || *s++ != '@')
		return false;
	size_t c = strlen(capture);
	if ((size_t)(end - s) < c || memcmp(s, capture, c) != 0)
		return false;
	return skip_blank(s + c, end) == end;
}

/* What a file must hold for p to match, as one formula (pl_pattern_needs_met). */
static pl_needs *needs_formula(const pl_pattern *p)
{
	pl_needs *f = pl_needs_copy(p->needs);
	for (size_t i = 0; i < p->nrelations; i++)
		if (positive(p->relations[i].kind))
			f = pl_needs_all(f, needs_formula(p->relations[i].sub));
	return f;
}

/*
 * `not_has: (T) @x` with where clauses: the sub-query matches x itself
 * (x is always a T), so the relation holds only where one of the clauses
 * fails there. When all are negative, a clause fails only where its own
 * sub-query matches: a match that binds x needs what one of those needs.
 * (The rule packs say "fires if any of these holds" this way.)
 */
static pl_needs *unless_needs(const pl_pattern *p, const relation *r)
{
	char type[64];
	if (r->kind != PL_REL_NOT_HAS || !r->capture || r->sub->nrelations == 0 ||
	    !restates_target(r->sub, r->capture, type, sizeof(type)) ||
	    !pl_query_capture_of_type(p->source, p->source_len, r->capture, type))
		return NULL;
	size_t n = r->sub->nrelations;
	for (size_t i = 0; i < n; i++)
		if (positive(r->sub->relations[i].kind))
			return NULL; /* it can fail anywhere */
	pl_needs **alts = pl_xcalloc(n, sizeof(pl_needs *));
	for (size_t i = 0; i < n; i++)
		alts[i] = needs_formula(r->sub->relations[i].sub);
	pl_needs *one = pl_needs_one(alts, n);
	free(alts);
	return one;
}

/* p's needs again, with what its relations need of the captures they bind. */
static void add_given_needs(pl_pattern *p)
{
	pl_capture_needs *given = pl_xcalloc(p->nrelations, sizeof(pl_capture_needs));
	size_t n = 0;
	for (size_t i = 0; i < p->nrelations; i++)
		if (p->relations[i].given)
			given[n++] = (pl_capture_needs){ p->relations[i].capture,
							 p->relations[i].given };
	pl_needs_delete(p->needs);
	p->needs = pl_needs_of_query_given(p->lang, p->source, p->source_len, given, n);
	free(given);
}

int pl_pattern_add_relation(pl_pattern *p, pl_relation kind, const char *capture,
			    pl_pattern *sub, const pl_pattern *const *outer, size_t nouter,
			    pl_compile_error *err)
{
	memset(err, 0, sizeof(*err));
	if (pl_relation_needs_capture(kind)) {
		bool known = capture && pl_pattern_has_capture(p, capture);
		for (size_t i = 0; i < nouter && !known; i++)
			known = pl_pattern_has_capture(outer[i], capture);
		if (!known) {
			snprintf(err->message, sizeof(err->message),
				 capture ? "capture '@%s' is not defined by the query it refers to"
					 : "this relation needs a 'capture' naming a capture of the query%s",
				 capture ? capture : "");
			pl_pattern_delete(sub);
			return -1;
		}
	}
	PL_GROW(p->relations, p->cap, p->nrelations + 1);
	relation *r = &p->relations[p->nrelations++];
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->capture = pl_relation_needs_capture(kind) ? pl_xstrdup(capture) : NULL;
	r->sub = sub;
	r->given = unless_needs(p, r);
	if (r->given)
		add_given_needs(p);
	pl_needs_delete(atomic_exchange(&p->formula, NULL)); /* made again on use */
	return 0;
}

const pl_capture *pl_capture_find(const pl_capture *caps, size_t n, const char *name)
{
	size_t nlen = strlen(name);
	/* Search from the end: inner captures shadow outer ones of the same name. */
	for (size_t i = n; i-- > 0;)
		if (caps[i].name_len == nlen && memcmp(caps[i].name, name, nlen) == 0)
			return &caps[i];
	return NULL;
}

const pl_capture *pl_capture_outermost(const pl_capture *caps, size_t n)
{
	const pl_capture *best = &caps[0];
	for (size_t i = 1; i < n; i++) {
		uint32_t bs = ts_node_start_byte(best->node), be = ts_node_end_byte(best->node);
		uint32_t cs = ts_node_start_byte(caps[i].node), ce = ts_node_end_byte(caps[i].node);
		if (ce - cs > be - bs)
			best = &caps[i];
	}
	return best;
}

static bool contains(TSNode outer, TSNode inner)
{
	return ts_node_start_byte(outer) <= ts_node_start_byte(inner) &&
	       ts_node_end_byte(inner) <= ts_node_end_byte(outer);
}

static bool same_text(const pl_source *src, TSNode a, TSNode b)
{
	uint32_t as = ts_node_start_byte(a), ae = ts_node_end_byte(a);
	uint32_t bs = ts_node_start_byte(b), be = ts_node_end_byte(b);
	return ae - as == be - bs && memcmp(src->text + as, src->text + bs, ae - as) == 0;
}

static bool run(const pl_pattern *p, const search *s, bindings *outer, scope_kind scope,
		TSNode target, bool stop_at_first, pl_match_fn fn, void *ctx, size_t *count);

/*
 * Relation memo. Flow rules nest relations several deep (a sink inside a
 * function that has an assignment whose value names a variable assigned in
 * the same function ...), and the inner ones are asked the same question
 * again and again: the same sub-pattern from the same node with the same
 * metavariable texts. Whether a relation holds depends on its target node
 * and on the outer bindings of the captures its sub-patterns mention (by
 * text, or by node where a nested relation starts from one), so each answer
 * is remembered per file under that key.
 */
static pthread_mutex_t mentions_lock = PTHREAD_MUTEX_INITIALIZER;

static void add_mention(relation *r, const char *name, size_t len, bool by_node)
{
	for (size_t i = 0; i < r->nmentions; i++) {
		if (r->mentions[i].len == len && memcmp(r->mentions[i].name, name, len) == 0) {
			r->mentions[i].by_node |= by_node;
			return;
		}
	}
	PL_GROW(r->mentions, r->mentions_cap, r->nmentions + 1);
	r->mentions[r->nmentions++] = (mention){ pl_xstrndup(name, len), len, by_node };
}

/* Every @name in p's query text (a name inside a string only makes the key
 * stricter) and in its nested relations, with their starting captures. */
static void collect_mentions(relation *r, const pl_pattern *p)
{
	for (size_t i = 0; i < p->source_len; i++) {
		if (p->source[i] != '@')
			continue;
		size_t k = i + 1;
		while (k < p->source_len && (p->source[k] == '_' || p->source[k] == '-' ||
					     p->source[k] == '.' ||
					     (p->source[k] >= 'a' && p->source[k] <= 'z') ||
					     (p->source[k] >= 'A' && p->source[k] <= 'Z') ||
					     (p->source[k] >= '0' && p->source[k] <= '9')))
			k++;
		if (k > i + 1)
			add_mention(r, p->source + i + 1, k - i - 1, false);
		i = k - 1;
	}
	for (size_t i = 0; i < p->nrelations; i++) {
		const relation *nested = &p->relations[i];
		if (nested->capture)
			add_mention(r, nested->capture, strlen(nested->capture), true);
		collect_mentions(r, nested->sub);
	}
}

static void ensure_mentions(const relation *cr)
{
	relation *r = (relation *)cr;
	if (atomic_load_explicit(&r->mentions_ready, memory_order_acquire))
		return;
	pthread_mutex_lock(&mentions_lock);
	if (!atomic_load_explicit(&r->mentions_ready, memory_order_relaxed)) {
		collect_mentions(r, r->sub);
		atomic_store_explicit(&r->mentions_ready, true, memory_order_release);
	}
	pthread_mutex_unlock(&mentions_lock);
}

/* Per mention: unbound, or the bound node's byte range. */
#define UNBOUND 0xFFFFFFFFu

typedef struct memo_entry {
	const relation *r;
	uint32_t target_start, target_end;
	uint32_t *spans;         /* owned; 2 per mention */
	uint64_t hash;
	bool found;
	struct memo_entry *next;
} memo_entry;

struct relation_memo {
	memo_entry **buckets;
	size_t nbuckets, len;
};

relation_memo *pl_relation_memo_new(void)
{
	relation_memo *m = pl_xcalloc(1, sizeof(*m));
	m->nbuckets = 256;
	m->buckets = pl_xcalloc(m->nbuckets, sizeof(memo_entry *));
	return m;
}

void pl_relation_memo_delete(relation_memo *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nbuckets; i++) {
		for (memo_entry *e = m->buckets[i], *next; e; e = next) {
			next = e->next;
			free(e->spans);
			free(e);
		}
	}
	free(m->buckets);
	free(m);
}

static uint64_t mix(uint64_t h, uint64_t v)
{
	return (h ^ v) * 0x100000001b3u;
}

/* The key of asking r from target with the bindings b: the spans of the
 * mentioned captures; a text mention hashes its length and a few bytes
 * (entries then compare the whole text). */
static uint64_t memo_key(const relation *r, const search *s, const bindings *b, TSNode target,
			 uint32_t *spans)
{
	uint64_t h = mix(mix(0xcbf29ce484222325u, (uintptr_t)r), ts_node_start_byte(target));
	h = mix(h, ts_node_end_byte(target));
	for (size_t i = 0; i < r->nmentions; i++) {
		const pl_capture *c = pl_capture_find(b->items, b->len, r->mentions[i].name);
		uint32_t a = c ? ts_node_start_byte(c->node) : UNBOUND;
		uint32_t e = c ? ts_node_end_byte(c->node) : UNBOUND;
		spans[2 * i] = a;
		spans[2 * i + 1] = e;
		if (!c) {
			h = mix(h, UNBOUND);
		} else if (r->mentions[i].by_node) {
			h = mix(mix(h, a), e);
		} else {
			uint32_t n = e - a;
			h = mix(h, n);
			for (uint32_t j = 0; j < n && j < 8; j++)
				h = mix(h, (unsigned char)s->src->text[a + j]);
			for (uint32_t j = n > 8 ? n - 8 : n; j < n; j++)
				h = mix(h, (unsigned char)s->src->text[a + j]);
		}
	}
	return h;
}

static bool memo_same(const relation *r, const search *s, const memo_entry *e, TSNode target,
		      const uint32_t *spans)
{
	if (e->r != r || e->target_start != ts_node_start_byte(target) ||
	    e->target_end != ts_node_end_byte(target))
		return false;
	for (size_t i = 0; i < r->nmentions; i++) {
		uint32_t a = spans[2 * i], z = spans[2 * i + 1];
		uint32_t ea = e->spans[2 * i], ez = e->spans[2 * i + 1];
		if ((a == UNBOUND) != (ea == UNBOUND))
			return false;
		if (a == UNBOUND)
			continue;
		if (r->mentions[i].by_node ? a != ea || z != ez
					   : z - a != ez - ea ||
						     memcmp(s->src->text + a, s->src->text + ea, z - a) != 0)
			return false;
	}
	return true;
}

static bool relation_holds(const relation *r, const search *s, bindings *b)
{
	TSNode target = ts_tree_root_node(s->src->tree);
	scope_kind scope = SCOPE_FILE;
	if (r->capture) {
		const pl_capture *c = pl_capture_find(b->items, b->len, r->capture);
		if (!c)
			return r->kind == PL_REL_NOT_HAS || r->kind == PL_REL_NOT_INSIDE;
		target = c->node;
		scope = (r->kind == PL_REL_HAS || r->kind == PL_REL_NOT_HAS) ? SCOPE_WITHIN
									     : SCOPE_ENCLOSING;
	}
	uint32_t *spans = NULL;
	uint64_t hash = 0;
	if (s->memo) {
		ensure_mentions(r);
		spans = pl_xmalloc((2 * r->nmentions + 1) * sizeof(uint32_t));
		hash = memo_key(r, s, b, target, spans);
		for (memo_entry *e = s->memo->buckets[hash % s->memo->nbuckets]; e; e = e->next) {
			if (e->hash == hash && memo_same(r, s, e, target, spans)) {
				free(spans);
				return e->found == positive(r->kind);
			}
		}
	}
	bool found = run(r->sub, s, b, scope, target, true, NULL, NULL, NULL);
	if (s->memo) {
		memo_entry *e = pl_xmalloc(sizeof(*e));
		*e = (memo_entry){ r, ts_node_start_byte(target), ts_node_end_byte(target), spans,
				   hash, found, NULL };
		relation_memo *m = s->memo;
		if (m->len >= 2 * m->nbuckets) { /* grow: rehash the chains */
			size_t nb = 4 * m->nbuckets;
			memo_entry **buckets = pl_xcalloc(nb, sizeof(memo_entry *));
			for (size_t i = 0; i < m->nbuckets; i++) {
				for (memo_entry *x = m->buckets[i], *next; x; x = next) {
					next = x->next;
					x->next = buckets[x->hash % nb];
					buckets[x->hash % nb] = x;
				}
			}
			free(m->buckets);
			m->buckets = buckets;
			m->nbuckets = nb;
		}
		e->next = m->buckets[hash % m->nbuckets];
		m->buckets[hash % m->nbuckets] = e;
		m->len++;
	}
	return found == positive(r->kind);
}

double pl_match_clock_ms(void)
{
	/* The calling thread's CPU time: a deadline then cuts the same files
	 * short on a busy machine as on an idle one. */
	struct timespec ts;
	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
		clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

bool pl_match_budget_expired(pl_match_budget *budget)
{
	if (!budget->over_time && (budget->polls++ & 15) == 0 &&
	    pl_match_clock_ms() > budget->deadline_ms)
		budget->over_time = true;
	return budget->over_time;
}

/* tree-sitter calls this every hundred steps of a cursor; true halts it. */
static bool past_deadline(TSQueryCursorState *state)
{
	return pl_match_budget_expired(state->payload);
}

/* A cursor for `q` over the scope, bounded by the search's budget. */
TSQueryCursor *pl_search_open_cursor(const TSQuery *q, const search *s, scope_kind scope,
				  TSNode target, TSQueryCursorOptions *options)
{
	TSQueryCursor *cursor;
	if (s->cursors && s->cursors->n) {
		cursor = s->cursors->spare[--s->cursors->n];
		ts_query_cursor_set_byte_range(cursor, 0, UINT32_MAX);
		ts_query_cursor_set_max_start_depth(cursor, UINT32_MAX);
	} else {
		cursor = ts_query_cursor_new();
		ts_query_cursor_set_match_limit(cursor, PL_MATCH_LIMIT);
	}
	*options = (TSQueryCursorOptions){ s->budget, past_deadline };
	const TSQueryCursorOptions *opts = s->budget && s->budget->deadline_ms > 0 ? options : NULL;
	if (scope == SCOPE_WITHIN) {
		ts_query_cursor_exec_with_options(cursor, q, target, opts);
	} else {
		ts_query_cursor_exec_with_options(cursor, q, ts_tree_root_node(s->src->tree), opts);
		if (scope == SCOPE_ENCLOSING) /* only matches that touch the target can enclose it */
			ts_query_cursor_set_byte_range(cursor, ts_node_start_byte(target),
						       ts_node_end_byte(target));
	}
	return cursor;
}

TSQueryCursor *pl_search_open_root_cursor(const TSQuery *q, const search *s, TSNode root,
					  TSQueryCursorOptions *options)
{
	TSQueryCursor *cursor = pl_search_open_cursor(q, s, SCOPE_WITHIN, root, options);
	ts_query_cursor_set_max_start_depth(cursor, 0);
	return cursor;
}

void pl_search_close_cursor(TSQueryCursor *cursor, const search *s)
{
	if (s->budget && ts_query_cursor_did_exceed_match_limit(cursor))
		s->budget->over_matches = true;
	if (s->cursors && s->cursors->n < CURSOR_POOL_SIZE)
		s->cursors->spare[s->cursors->n++] = cursor;
	else
		ts_query_cursor_delete(cursor);
}

void pl_cursor_pool_release(cursor_pool *pool)
{
	for (size_t i = 0; i < pool->n; i++)
		ts_query_cursor_delete(pool->spare[i]);
	pool->n = 0;
}

/*
 * Bind the captures of m (a match of q, whose predicates hold) after the
 * first `base` bindings, which belong to enclosing patterns; true if they
 * agree with those (metavariable equality), lie in the scope, and p's
 * relations hold.
 */
bool pl_search_accept(const pl_pattern *p, const TSQuery *q, const TSQueryMatch *m, const search *s,
		   bindings *b, size_t base, scope_kind scope, TSNode target)
{
	b->len = base;
	bool ok = true, encloses = scope != SCOPE_ENCLOSING;
	for (uint16_t i = 0; i < m->capture_count && ok; i++) {
		TSNode node = m->captures[i].node;
		uint32_t nlen;
		const char *name = ts_query_capture_name_for_id(q, m->captures[i].index, &nlen);
		for (size_t k = 0; k < base; k++) {
			if (b->items[k].name_len == nlen && memcmp(b->items[k].name, name, nlen) == 0 &&
			    !same_text(s->src, b->items[k].node, node)) {
				ok = false;
				break;
			}
		}
		if (scope == SCOPE_WITHIN && !contains(target, node))
			ok = false;
		if (scope == SCOPE_ENCLOSING && contains(node, target))
			encloses = true;
		PL_GROW(b->items, b->cap, b->len + 1);
		b->items[b->len++] = (pl_capture){ name, nlen, node };
	}
	if (!ok || !encloses)
		return false;
	for (size_t i = 0; i < p->nrelations && ok; i++)
		ok = relation_holds(&p->relations[i], s, b);
	return ok;
}

/* Report the matches of one cursor (see run); true if some passed. */
static bool run_cursor(const pl_pattern *p, const compiled *c, TSQueryCursor *cursor,
		       const search *s, bindings *outer, size_t base, scope_kind scope,
		       TSNode target, bool stop_at_first, pl_match_fn fn, void *ctx, size_t *count)
{
	bool found = false;
	TSQueryMatch m;
	while (ts_query_cursor_next_match(cursor, &m)) {
		if (!pl_predicates_hold(c->preds, &m, s->src->text) ||
		    !pl_search_accept(p, c->query, &m, s, outer, base, scope, target))
			continue;
		found = true;
		if (fn) {
			fn(ctx, outer->items + base, outer->len - base);
			(*count)++;
		}
		if (stop_at_first)
			break;
	}
	outer->len = base;
	pl_search_close_cursor(cursor, s);
	return found;
}

/* Texts outer patterns bound to captures of a sub-pattern: a node could be
 * taken by one of them if its text is that capture's bound text. */
typedef struct bound_texts {
	const char *text;
	uint32_t capture[64], start[64], len[64];
	size_t n;
} bound_texts;

static bool same_as_bound(void *ctx, uint32_t capture, TSNode node)
{
	const bound_texts *t = ctx;
	uint32_t a = ts_node_start_byte(node), n = ts_node_end_byte(node) - a;
	for (size_t i = 0; i < t->n; i++)
		if (t->capture[i] == capture)
			return n == t->len[i] && memcmp(t->text + a, t->text + t->start[i], n) == 0;
	return false;
}

static pthread_mutex_t plans_lock = PTHREAD_MUTEX_INITIALIZER;

/* Does every match of c take a node with one of these captures? Read from
 * the query text once per set (the answers are kept in c). */
static bool captures_required(const compiled *cc, uint64_t captures)
{
	compiled *c = (compiled *)cc;
	pthread_mutex_lock(&plans_lock);
	for (size_t i = 0; i < c->nplans; i++) {
		if (c->plans[i].captures == captures) {
			bool required = c->plans[i].required;
			pthread_mutex_unlock(&plans_lock);
			return required;
		}
	}
	pthread_mutex_unlock(&plans_lock);
	const char *names[64];
	size_t lens[64], n = 0;
	for (uint32_t id = 0; id < 64; id++) {
		if (!(captures >> id & 1))
			continue;
		uint32_t len;
		names[n] = ts_query_capture_name_for_id(c->query, id, &len);
		lens[n++] = len;
	}
	bool required = pl_query_captures_required(c->text, c->len, names, lens, n);
	pthread_mutex_lock(&plans_lock);
	if (c->nplans < sizeof(c->plans) / sizeof(c->plans[0]))
		c->plans[c->nplans++] = (struct bound_plan){ captures, required };
	pthread_mutex_unlock(&plans_lock);
	return required;
}

/* Places of the bound texts in a sub-tree past this many: walk it instead. */
#define MAX_BOUND_PLACES 256

/*
 * Roots inside `target` of the matches of c when outer patterns bound
 * captures of c and every match takes one of them (metavariable equality:
 * a node of the bound text): found up from the places of those texts
 * (roots.h). False when none is bound, they are not required, or their
 * texts are too common: walk the target.
 */
static bool bound_roots(const compiled *c, const search *s, const bindings *outer, size_t base,
			TSNode target, pl_root_list *roots)
{
	if (!c->ncapture_sites || base == 0 || ts_query_capture_count(c->query) > 64)
		return false;
	bound_texts t = { .text = s->src->text };
	uint64_t captures = 0;
	for (uint32_t id = 0; id < ts_query_capture_count(c->query); id++) {
		uint32_t nlen;
		const char *name = ts_query_capture_name_for_id(c->query, id, &nlen);
		for (size_t k = 0; k < base; k++) {
			const pl_capture *b = &outer->items[k];
			if (b->name_len != nlen || memcmp(b->name, name, nlen) != 0)
				continue;
			uint32_t a = ts_node_start_byte(b->node), len = ts_node_end_byte(b->node) - a;
			if (len == 0)
				return false;
			t.capture[t.n] = id;
			t.start[t.n] = a;
			t.len[t.n++] = len;
			captures |= (uint64_t)1 << id;
			break;
		}
	}
	if (!captures || !captures_required(c, captures))
		return false;
	pl_place places[MAX_BOUND_PLACES];
	size_t nplaces = 0;
	const char *text = s->src->text;
	for (size_t i = 0; i < t.n; i++) {
		const char *from = text + ts_node_start_byte(target), *end = text + ts_node_end_byte(target);
		while (from < end &&
		       (from = memmem(from, (size_t)(end - from), text + t.start[i], t.len[i]))) {
			if (nplaces == MAX_BOUND_PLACES)
				return false;
			places[nplaces++] = (pl_place){ (uint32_t)(from - text), t.len[i] };
			from++;
		}
	}
	if (!pl_roots_find(s->src->tree, places, nplaces, c->capture_sites, c->ncapture_sites,
			   same_as_bound, &t, 4 * MAX_BOUND_PLACES, roots))
		return false;
	/* A cursor on the target starts matches in its sub-tree only: not at an
	 * ancestor of the same span. */
	size_t k = 0;
	for (size_t i = 0; i < roots->len; i++) {
		TSNode r = roots->items[i];
		if (!contains(target, r) ||
		    (!ts_node_eq(r, target) && contains(r, target) &&
		     !ts_node_is_null(ts_node_child_with_descendant(r, target))))
			continue;
		roots->items[k++] = r;
	}
	roots->len = k;
	return true;
}

/*
 * Run p in a scope. Each match that passes predicates, metavariable equality
 * with `outer` and p's relations is reported to fn (if any); with
 * stop_at_first, returns true at the first one.
 */
static bool run(const pl_pattern *p, const search *s, bindings *outer, scope_kind scope,
		TSNode target, bool stop_at_first, pl_match_fn fn, void *ctx, size_t *count)
{
	const compiled *c = pl_pattern_compiled((pl_pattern *)p);
	if (!c)
		return false; /* never prepared (pl_pattern_defer): it cannot match */
	if (s->budget && s->budget->over_time)
		return false;
	size_t base = outer->len;
	TSQueryCursorOptions options;
	pl_root_list roots = { 0 };
	if (scope == SCOPE_WITHIN && bound_roots(c, s, outer, base, target, &roots)) {
		bool found = false;
		for (size_t i = 0; i < roots.len && !(found && stop_at_first); i++) {
			if (s->budget && s->budget->over_time)
				break;
			TSQueryCursor *cursor = pl_search_open_root_cursor(c->query, s, roots.items[i],
									   &options);
			found |= run_cursor(p, c, cursor, s, outer, base, scope, target, stop_at_first,
					    fn, ctx, count);
		}
		free(roots.items);
		return found;
	}
	free(roots.items);
	TSQueryCursor *cursor = pl_search_open_cursor(c->query, s, scope, target, &options);
	return run_cursor(p, c, cursor, s, outer, base, scope, target, stop_at_first, fn, ctx,
			  count);
}

/*
 * The prefilter: p's own needs, and those of its positive relations (has,
 * inside, file_has), whose sub-pattern must match somewhere in the file
 * (recursively); negative ones require nothing. Read from the query texts,
 * so a sub-pattern left to compile on first use filters as well. One "all
 * of" (needs_formula), so that its regexes are asked in the order that
 * rules files out soonest (needs.h); made on first use, after the rule is
 * loaded, and threads racing here keep the first.
 */
static const pl_needs *whole_formula(const pl_pattern *p)
{
	_Atomic(pl_needs *) *slot = (_Atomic(pl_needs *) *)&p->formula;
	pl_needs *f = atomic_load(slot);
	if (f)
		return f;
	f = needs_formula(p);
	if (!f)
		return NULL; /* needs nothing: made again each time, cheaply */
	pl_needs *first = NULL;
	if (!atomic_compare_exchange_strong(slot, &first, f)) {
		pl_needs_delete(f);
		f = first;
	}
	return f;
}

bool pl_pattern_needs_met(const pl_pattern *p, pl_text_probe *probe)
{
	/* every literal lookup before any regex search */
	const pl_needs *f = whole_formula(p);
	return pl_needs_met_by_literals(f, probe) && pl_needs_met(f, probe);
}

bool pl_pattern_may_match(const pl_pattern *p, pl_text_probe *probe)
{
	if (!p->shared)
		return false; /* never prepared: its language was not expected in this scan */
	return pl_pattern_needs_met(p, probe);
}

/* The descriptions of p's needs and of its positive relations'. */
static void collect_needs(const pl_pattern *p, char ***parts, size_t *n, size_t *cap)
{
	if (p->needs) {
		PL_GROW(*parts, *cap, *n + 1);
		(*parts)[(*n)++] = pl_needs_describe(p->needs);
	}
	for (size_t i = 0; i < p->nrelations; i++) {
		const relation *r = &p->relations[i];
		if (positive(r->kind))
			collect_needs(r->sub, parts, n, cap);
	}
}

char *pl_pattern_describe_anchor(const pl_pattern *p)
{
	pl_literals a;
	return pl_needs_anchor(p->needs, &a) ? pl_literals_describe(&a) : NULL;
}

char *pl_pattern_describe_needs(const pl_pattern *p)
{
	char **parts = NULL;
	size_t n = 0, cap = 0;
	collect_needs(p, &parts, &n, &cap);
	pl_strbuf out = PL_STRBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		bool group = n > 1 && strstr(parts[i], " | ");
		pl_strbuf_addf(&out, "%s%s%s%s", i ? " & " : "", group ? "(" : "", parts[i],
			       group ? ")" : "");
		free(parts[i]);
	}
	free(parts);
	if (!n)
		pl_strbuf_adds(&out, "nothing");
	return pl_strbuf_detach(&out);
}

size_t pl_pattern_run(const pl_pattern *p, const pl_source *src, pl_match_fn fn, void *ctx)
{
	return pl_pattern_run_bounded(p, src, NULL, fn, ctx);
}

size_t pl_pattern_run_bounded(const pl_pattern *p, const pl_source *src, pl_match_budget *budget,
			      pl_match_fn fn, void *ctx)
{
	cursor_pool cursors = { .n = 0 };
	search s = { src, budget, pl_relation_memo_new(), &cursors };
	bindings b = { NULL, 0, 0 };
	size_t count = 0;
	run(p, &s, &b, SCOPE_FILE, ts_tree_root_node(src->tree), false, fn, ctx, &count);
	free(b.items);
	pl_relation_memo_delete(s.memo);
	pl_cursor_pool_release(&cursors);
	return count;
}

/*
 * probe: a file's text as the prefilter sees it (needs.h).
 *
 * Each literal is looked for once per file whatever the number of formulas
 * that name it (answers are remembered, and callers may remember answers
 * of their own under other kinds of key), and the lowered copy that
 * case-insensitive literals need is made once, on first use. Not shared
 * between threads.
 */
#ifndef PL_PROBE_H
#define PL_PROBE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct pl_probe_buffers pl_probe_buffers;

typedef struct pl_text_probe {
	const char *text;
	size_t len;
	char *lower;             /* owned; folded for case-insensitive literals */
	size_t lower_len, lower_cap;
	bool folded;             /* lower holds the folded text (made on first use) */
	/* Where byte pairs occur in the folded text: a literal of either kind is
	 * looked for only at the places of its rarest pair (probe.c); the text
	 * has an index of its own (pairs) only when folding shortened it.
	 * Owned; lower_pairs may hold another file's arrays to reuse until
	 * `indexed`; pairs is NULL until needed. */
	struct pair_index *pairs, *lower_pairs;
	bool indexed;            /* lower_pairs indexes this text (made on first use) */
	struct probe_memo *memo; /* owned */
	signed char utf8;        /* the text is valid UTF-8: 1, not: 0, not known yet: -1 */
	pl_probe_buffers *buffers; /* not owned: where the arrays go back to; NULL */
} pl_text_probe;

void pl_text_probe_init(pl_text_probe *probe, const char *text, size_t len);
void pl_text_probe_release(pl_text_probe *probe);

/* Arrays one thread's probes pass on from file to file (the folded text,
 * the pair index, the memo), so that each file does not allocate and free
 * a few times its size: under glibc every such allocation also
 * consolidated the small chunks the parser had just freed. A probe
 * initialised with them takes them and gives them back on release; one
 * probe at a time. */
pl_probe_buffers *pl_probe_buffers_new(void);
void pl_probe_buffers_delete(pl_probe_buffers *buffers);
void pl_text_probe_init_reusing(pl_text_probe *probe, const char *text, size_t len,
				pl_probe_buffers *buffers);

/* Does the literal occur (nocase: in the folded text) where `place` asks
 * (PL_PLACE_*, literals.h)? */
bool pl_text_probe_has(pl_text_probe *probe, const char *lit, size_t len, bool nocase,
		       unsigned place);
/* The offset of its first place at or after `from` (in the folded text if
 * nocase), or -1. */
long pl_text_probe_find(pl_text_probe *probe, size_t from, const char *lit, size_t len,
			bool nocase, unsigned place);
/* Is the text valid UTF-8 (checked on first use)? */
bool pl_text_probe_valid_utf8(pl_text_probe *probe);
/* The folded text (made on first use). */
const char *pl_text_probe_folded(pl_text_probe *probe, size_t *len);

/* The answer remembered for this text under a key (its bytes must outlive
 * the probe) and a kind: -1 until the asker sets it to 0 or 1. Literal
 * lookups use kinds 0-5 (nocase | place << 1), other questions their own,
 * such as PL_PROBE_REGEX. Good until the next call that remembers. */
#define PL_PROBE_REGEX 8u
signed char *pl_text_probe_memo(pl_text_probe *probe, const char *key, size_t len,
				unsigned kind);

#endif

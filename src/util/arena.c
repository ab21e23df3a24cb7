#include "util/arena.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

struct pl_arena_block {
	pl_arena_block *next;
	size_t size, used;
	alignas(max_align_t) unsigned char data[];
};

#define BLOCK_SIZE (64u * 1024u)

void *pl_arena_alloc(pl_arena *a, size_t size)
{
	size_t align = alignof(max_align_t);
	size = (size + align - 1) & ~(align - 1);
	pl_arena_block *b = a->head;
	if (!b || b->size - b->used < size) {
		size_t cap = size > BLOCK_SIZE ? size : BLOCK_SIZE;
		b = pl_xmalloc(sizeof(*b) + cap);
		b->next = a->head;
		b->size = cap;
		b->used = 0;
		a->head = b;
	}
	void *p = b->data + b->used;
	b->used += size;
	a->used += size;
	memset(p, 0, size);
	return p;
}

char *pl_arena_strndup(pl_arena *a, const char *s, size_t n)
{
	char *p = pl_arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void pl_arena_release(pl_arena *a)
{
	pl_arena_block *b = a->head;
	while (b) {
		pl_arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
	a->used = 0;
}

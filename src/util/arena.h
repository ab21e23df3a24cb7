/*
 * arena: bump allocation for data that lives and dies together (one
 * scanned file's config tree). pl_arena_release frees everything at once.
 */
#ifndef PL_ARENA_H
#define PL_ARENA_H

#include <stddef.h>

typedef struct pl_arena_block pl_arena_block;

typedef struct pl_arena {
	pl_arena_block *head;   /* owned chain of blocks, newest first */
	size_t used;            /* bytes handed out, for limits */
} pl_arena;

#define PL_ARENA_INIT { NULL, 0 }

/* Zeroed memory, aligned for any type. */
void *pl_arena_alloc(pl_arena *a, size_t size);
char *pl_arena_strndup(pl_arena *a, const char *s, size_t n);
void pl_arena_release(pl_arena *a);

#endif

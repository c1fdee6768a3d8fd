/*
 * mem: allocation that cannot return NULL. Running out of memory is fatal
 * for a run (exit 1, nothing published), so callers need not check.
 */
#ifndef SKUSCAN_MEM_H
#define SKUSCAN_MEM_H

#include <stddef.h>

/* Ends the run as out of memory (for allocators other than these): exit 1. */
void mem_fail(void) __attribute__((noreturn));
/*
 * What mem_fail does first: the run layer's words for it and its cleanup
 * (outdir_out_of_memory), so that mem, at the bottom of every module,
 * calls nothing above it. Without a hook it says "out of memory".
 */
void mem_on_fail(void (*hook)(void));
void *mem_alloc(size_t n);
void *mem_calloc(size_t count, size_t size);
void *mem_realloc(void *p, size_t n);
/* A NUL-terminated copy of the n bytes at s. */
char *mem_strndup(const char *s, size_t n);
char *mem_strdup(const char *s);
/*
 * An arena: many small allocations freed all at once. For per-run data
 * that is never freed alone (map keys, subscription ids): no per-object
 * header, no free list, and one free per 64 KiB block at the end.
 */
struct arena {
	char *cur;		/* next free byte of the current block */
	size_t left;		/* bytes left in it */
	char **blocks;
	size_t nblocks;
};

/* n bytes from the arena, at an address that is a multiple of 8. */
void *arena_alloc(struct arena *a, size_t n);
/* The same, zeroed. */
void *arena_calloc(struct arena *a, size_t n);
/* A copy of the n bytes at s and a NUL, from the arena. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* Frees every block; the arena can be used again. */
void arena_free(struct arena *a);

/* Grow *v (of *cap elements of size sz) to hold at least need elements. */
void mem_grow(void **v, size_t *cap, size_t need, size_t sz);

#endif

/*
 * mem: allocation that cannot return NULL. Running out of memory is fatal
 * for a run (exit 1, nothing published), so callers need not check.
 */
#ifndef SKUSCAN_MEM_H
#define SKUSCAN_MEM_H

#include <stddef.h>

/* Ends the run as out of memory (for allocators other than these). */
void mem_fail(void) __attribute__((noreturn));
void *mem_alloc(size_t n);
void *mem_calloc(size_t count, size_t size);
void *mem_realloc(void *p, size_t n);
/* A NUL-terminated copy of the n bytes at s. */
char *mem_strndup(const char *s, size_t n);
char *mem_strdup(const char *s);
/* Grow *v (of *cap elements of size sz) to hold at least need elements. */
void mem_grow(void **v, size_t *cap, size_t need, size_t sz);

#endif

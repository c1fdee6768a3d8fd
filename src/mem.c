/* mem: allocation that exits the run cleanly when memory runs out. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "mem.h"

static void (*fail_hook)(void);

void
mem_on_fail(void (*hook)(void))
{
	fail_hook = hook;
}

void
mem_fail(void)
{
	if (fail_hook != NULL) {
		fail_hook();
	} else {
		static const char msg[] = "skuscan: out of memory\n";
		ssize_t r = write(STDERR_FILENO, msg, sizeof(msg) - 1);

		(void)r;
	}
	exit(EXIT_FAILURE);	/* 1: skuscan's EXIT_FATAL, nothing published */
}

void *
mem_alloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		mem_fail();
	return p;
}

/*
 * memset through a pointer the compiler cannot see through: it would turn
 * malloc and memset into calloc, which leaves fresh pages untouched.
 */
static void *(*volatile mem_zero)(void *, int, size_t) = memset;

/*
 * Zeroed memory, every page of it written now. Fresh memory that is read
 * before it is written (a hash table probed, a counter incremented) maps
 * the shared zero page first, and the write after it then costs a copy
 * and a flush of the address translations on every other core running
 * this process: on the benchmark, a few percent of the thread that builds
 * the ledger.
 */
void *
mem_calloc(size_t count, size_t size)
{
	size_t n;
	void *p;

	if (count == 0 || size == 0)
		count = size = 1;
	if (__builtin_mul_overflow(count, size, &n))
		mem_fail();
	p = mem_alloc(n);
	return mem_zero(p, 0, n);
}

void *
mem_realloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		mem_fail();
	return q;
}

char *
mem_strndup(const char *s, size_t n)
{
	char *p = mem_alloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
mem_strdup(const char *s)
{
	return mem_strndup(s, strlen(s));
}

void
mem_grow(void **v, size_t *cap, size_t need, size_t sz)
{
	size_t n = *cap ? *cap : 8;

	if (need <= *cap)
		return;
	while (n < need)
		n *= 2;
	*v = mem_realloc(*v, n * sz);
	*cap = n;
}

/* n bytes from a, at an address that is a multiple of align (a power of two). */
static void *
arena_take(struct arena *a, size_t n, size_t align)
{
	char *p;
	size_t pad = (size_t)(-(uintptr_t)a->cur & (align - 1));

	if (n + pad > a->left) {
		size_t size = n > 65536 / 4 ? n : 65536;

		a->blocks = mem_realloc(a->blocks, (a->nblocks + 1) * sizeof(*a->blocks));
		p = a->blocks[a->nblocks++] = mem_alloc(size);
		/* A large object has a block of its own; the current one stays. */
		if (n > 65536 / 4)
			return p;
		a->cur = p;
		a->left = size;
		pad = 0;
	}
	p = a->cur + pad;
	a->cur += pad + n;
	a->left -= pad + n;
	return p;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	return arena_take(a, n, 8);
}

void *
arena_calloc(struct arena *a, size_t n)
{
	return memset(arena_take(a, n, 8), 0, n);
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_take(a, n + 1, 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void
arena_free(struct arena *a)
{
	for (size_t i = 0; i < a->nblocks; i++)
		free(a->blocks[i]);
	free(a->blocks);
	memset(a, 0, sizeof(*a));
}

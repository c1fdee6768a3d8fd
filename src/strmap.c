/* strmap: open addressing with linear probing; keys are copied once. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "strmap.h"

/* FNV-1a over 8-byte words then bytes: cheap for the short keys used here. */
static inline uint64_t
hash_bytes(const unsigned char *p, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		uint64_t w;

		memcpy(&w, p + i, 8);
		h ^= w;
		h *= 0x100000001b3ULL;
		h ^= h >> 29;
	}
	for (; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	h ^= h >> 32;
	return h;
}

uint64_t
strmap_hash(const void *key, size_t len)
{
	return hash_bytes(key, len);
}

void
strmap_init(struct strmap *m)
{
	memset(m, 0, sizeof(*m));
}

void
strmap_free(struct strmap *m)
{
	free(m->slots);
	arena_free(&m->keys);
	strmap_init(m);
}

void
strmap_drop_index(struct strmap *m)
{
	free(m->slots);
	m->slots = NULL;
	m->cap = 0;
	m->count = 0;
}

static struct strmap_entry *
strmap_slot(const struct strmap *m, const void *key, size_t len, uint64_t h)
{
	size_t mask = m->cap - 1;

	for (size_t i = h & mask;; i = (i + 1) & mask) {
		struct strmap_entry *e = &m->slots[i];

		if (e->key == NULL)
			return e;
		if (e->hash == h && e->len == len && memcmp(e->key, key, len) == 0)
			return e;
	}
}

static void
strmap_rehash(struct strmap *m)
{
	struct strmap old = *m;

	m->cap = old.cap ? old.cap * 2 : 64;
	m->slots = mem_calloc(m->cap, sizeof(*m->slots));
	for (size_t i = 0; i < old.cap; i++) {
		if (old.slots[i].key != NULL)
			*strmap_slot(m, old.slots[i].key, old.slots[i].len,
			    old.slots[i].hash) = old.slots[i];
	}
	free(old.slots);
}

struct strmap_entry *
strmap_find(const struct strmap *m, const void *key, size_t len)
{
	struct strmap_entry *e;

	if (m->cap == 0)
		return NULL;
	e = strmap_slot(m, key, len, strmap_hash(key, len));
	return e->key ? e : NULL;
}

struct strmap_entry *
strmap_put(struct strmap *m, const void *key, size_t len, int *created)
{
	return strmap_put_hashed(m, key, len, strmap_hash(key, len), created);
}

void
strmap_prefetch(const struct strmap *m, uint64_t h, bool entry)
{
	size_t mask = m->cap - 1, i;

	if (m->cap == 0)
		return;
	i = h & mask;
	if (!entry) {
		/* Where probing starts, and the next slots a probe mostly reaches. */
		__builtin_prefetch(&m->slots[i]);
		__builtin_prefetch(&m->slots[(i + 2) & mask]);
		return;
	}
	for (int k = 0; k < 4 && m->slots[i].key != NULL; k++, i = (i + 1) & mask) {
		const struct strmap_entry *e = &m->slots[i];

		if (e->hash == h) {
			__builtin_prefetch(e->key);
			__builtin_prefetch(e->value);
			/* A value is often a struct followed by its own strings. */
			__builtin_prefetch((const char *)e->value + 64);
			__builtin_prefetch((const char *)e->value + 128);
			return;
		}
	}
}

struct strmap_entry *
strmap_put_hashed(struct strmap *m, const void *key, size_t len, uint64_t h, int *created)
{
	struct strmap_entry *e;

	/* At most 4/5 full: linear probing stays short, and tables stay small. */
	if ((m->count + 1) * 5 > m->cap * 4)
		strmap_rehash(m);
	e = strmap_slot(m, key, len, h);
	if (created)
		*created = e->key == NULL;
	if (e->key == NULL) {
		e->key = arena_strndup(&m->keys, key, len);
		e->len = len;
		e->hash = h;
		e->value = NULL;
		m->count++;
	}
	return e;
}

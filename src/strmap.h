/*
 * strmap: a hash map from byte strings to a pointer-sized value.
 * The map owns copies of its keys (in an arena: a key's address never
 * changes, and all go at strmap_free); values are the caller's.
 */
#ifndef SKUSCAN_STRMAP_H
#define SKUSCAN_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mem.h"

struct strmap_entry {
	char *key;		/* NUL-terminated copy, owned by the map */
	size_t len;
	uint64_t hash;
	void *value;
};

struct strmap {
	struct strmap_entry *slots;
	size_t cap;		/* power of two, 0 while empty */
	size_t count;
	struct arena keys;	/* the keys' copies */
};

void strmap_init(struct strmap *m);
/* Free the keys and the table; values are left to the caller. */
void strmap_free(struct strmap *m);
/*
 * Frees the table and keeps the keys: a map no longer looked up, whose
 * keys are still pointed to, gives back most of its memory. The map is
 * then empty.
 */
void strmap_drop_index(struct strmap *m);
/* The entry for key, or NULL. */
struct strmap_entry *strmap_find(const struct strmap *m, const void *key, size_t len);
/* The entry for key, created with value NULL if missing (*created says so). */
struct strmap_entry *strmap_put(struct strmap *m, const void *key, size_t len, int *created);
/* strmap_put given h, strmap_hash(key, len) (computed on another thread). */
struct strmap_entry *strmap_put_hashed(struct strmap *m, const void *key, size_t len,
    uint64_t h, int *created);
/*
 * Asks the processor to fetch what a lookup of hash h will read: the slot
 * where it starts; with entry, what that slot points to, when it holds h.
 * Only a hint, for a caller that knows its lookups ahead.
 */
void strmap_prefetch(const struct strmap *m, uint64_t h, bool entry);
uint64_t strmap_hash(const void *key, size_t len);

#endif

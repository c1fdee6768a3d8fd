/*
 * cache: a fixed number of short byte strings and a short value for each,
 * one slot per hash (direct-mapped): a key whose slot another key takes
 * later is forgotten, and worked out again by the caller. A license
 * export repeats a few license lists over millions of users ("Office 365
 * E3+Dynamics 365 Team Members"), and splitting one and classifying its
 * items cost more than the rest of its row.
 *
 * Keys of more than key_max bytes and values of more than val_max bytes
 * are not kept. Running out of memory ends the run (mem_fail).
 */
#ifndef SKUSCAN_CACHE_H
#define SKUSCAN_CACHE_H

#include <stddef.h>

struct cache;

/* slots: a power of two; key_max and val_max at most 65535. */
struct cache *cache_new(size_t slots, size_t key_max, size_t val_max);
void cache_free(struct cache *c);
/*
 * The value kept for key (its length in *vlen), valid until the next
 * cache_put; NULL when none is.
 */
const void *cache_get(const struct cache *c, const void *key, size_t klen, size_t *vlen);
/* Keeps val for key, in place of whatever its slot held. */
void cache_put(struct cache *c, const void *key, size_t klen, const void *val, size_t vlen);

#endif

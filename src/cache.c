/* cache: direct-mapped slots of one size, in one block. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "mem.h"
#include "strmap.h"

/* A slot: this header, then the key's bytes, then the value's. */
struct slot {
	uint64_t hash;
	uint16_t klen, vlen;
	uint8_t used;
};

struct cache {
	unsigned char *block;
	size_t slots, stride, key_max, val_max;
};

struct cache *
cache_new(size_t slots, size_t key_max, size_t val_max)
{
	struct cache *c = mem_calloc(1, sizeof(*c));

	c->slots = slots;
	c->key_max = key_max;
	c->val_max = val_max;
	/* Whole 8-byte words, so that every slot's header is aligned. */
	c->stride = (sizeof(struct slot) + key_max + val_max + 7) & ~(size_t)7;
	c->block = mem_calloc(slots, c->stride);
	return c;
}

void
cache_free(struct cache *c)
{
	if (c == NULL)
		return;
	free(c->block);
	free(c);
}

static struct slot *
slot_of(const struct cache *c, uint64_t h)
{
	return (struct slot *)(c->block + (h & (c->slots - 1)) * c->stride);
}

const void *
cache_get(const struct cache *c, const void *key, size_t klen, size_t *vlen)
{
	uint64_t h;
	const struct slot *s;
	const unsigned char *k;

	if (klen > c->key_max)
		return NULL;
	h = strmap_hash(key, klen);
	s = slot_of(c, h);
	k = (const unsigned char *)(s + 1);
	if (!s->used || s->hash != h || s->klen != klen || memcmp(k, key, klen) != 0)
		return NULL;
	*vlen = s->vlen;
	return k + klen;
}

void
cache_put(struct cache *c, const void *key, size_t klen, const void *val, size_t vlen)
{
	uint64_t h;
	struct slot *s;
	unsigned char *k;

	if (klen > c->key_max || vlen > c->val_max)
		return;
	h = strmap_hash(key, klen);
	s = slot_of(c, h);
	k = (unsigned char *)(s + 1);
	*s = (struct slot){ .hash = h, .klen = (uint16_t)klen, .vlen = (uint16_t)vlen,
		.used = 1 };
	memcpy(k, key, klen);
	if (vlen > 0)
		memcpy(k + klen, val, vlen);
}

/* idindex: an index of hash tags to items, and a Bloom filter of them. */
#include <stdlib.h>
#include <string.h>

#include "idindex.h"
#include "mem.h"

void
idindex_init(struct idindex *x)
{
	memset(x, 0, sizeof(*x));
}

void
idindex_free(struct idindex *x)
{
	if (x == NULL)
		return;
	free(x->slot);
	free(x->seen);
	idindex_init(x);
}

/* Puts slot value v (tag and item + 1) in the first empty slot from its home. */
static void
slot_put(struct idindex *x, uint64_t v)
{
	size_t i = idindex_home(x, v);

	/* The items are distinct: the first empty slot is the one. */
	while (x->slot[i] != 0)
		i = (i + 1) & (x->cap - 1);
	x->slot[i] = v;
}

void
idindex_grow(struct idindex *x)
{
	uint64_t *old = x->slot;
	size_t old_cap = x->cap;

	if (x->bits >= 32)
		mem_fail();	/* idindex_home takes its bits from a 32-bit tag */
	x->bits = x->bits ? x->bits + 1 : 10;
	x->cap = (size_t)1 << x->bits;
	x->slot = mem_calloc(x->cap, sizeof(*x->slot));
	for (size_t i = 0; i < old_cap; i++)
		if (old[i] != 0)
			slot_put(x, old[i]);
	free(old);
}

static inline void
seen_set(struct idindex *x, uint64_t hash)
{
	uint64_t b, *w = idindex_seen_word(x, hash, &b);

	*w |= b;
}

/*
 * Puts hash in the filter. At more than one hash per 16 bits it has twice
 * the bits, set again from every tag the slots hold: a tag is the top
 * half of the hash, all the filter's positions come from.
 */
static void
seen_add(struct idindex *x, uint64_t hash)
{
	if (++x->seen_count * 16 > x->seen_bits) {
		x->seen_bits = x->seen_bits ? x->seen_bits * 2 : 1 << 16;
		x->seen_wbits = x->seen_wbits ? x->seen_wbits + 1 : 10;
		free(x->seen);
		x->seen = mem_calloc(x->seen_bits / 64, sizeof(*x->seen));
		for (size_t i = 0; i < x->cap; i++)
			if (x->slot[i] != 0)
				seen_set(x, x->slot[i]);
	}
	seen_set(x, hash);
}

void
idindex_take(struct idindex *x, const struct idindex_probe *p, uint32_t item)
{
	seen_add(x, p->tag);
	x->slot[p->at] = p->tag | ((uint64_t)item + 1);
	x->count++;
}

void
idindex_clear(struct idindex *x)
{
	if (x->cap == 0)
		return;
	memset(x->slot, 0, x->cap * sizeof(*x->slot));
	x->count = 0;
}

void
idindex_put(struct idindex *x, uint64_t hash, uint32_t item)
{
	slot_put(x, hash >> 32 << 32 | ((uint64_t)item + 1));
	x->count++;
}

size_t
idindex_longest_run(const struct idindex *x)
{
	size_t longest = 0, run = 0;

	for (size_t i = 0; i < x->cap; i++) {
		run = x->slot[i] != 0 ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	return longest;
}

/*
 * idindex: an index from 64-bit hashes to items (uint32 indexes of the
 * caller's array), and a Bloom filter of the hashes taken. It keeps only
 * a tag of each hash, its top 32 bits, and no keys: a lookup walks the
 * slots whose tag matches the hash's, and the caller compares each
 * slot's item with its key (idindex_probe_start, idindex_probe_next).
 * As the tag gives an item's place, the index grows, and the filter is
 * set again, from the slots alone, without the caller's keys.
 *
 * The index owns its slots and its filter (idindex_free); items are the
 * caller's. Running out of memory ends the run (mem_fail). The lookups
 * are inline: a caller makes millions a second, in another file.
 */
#ifndef SKUSCAN_IDINDEX_H
#define SKUSCAN_IDINDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* All zero (idindex_init) is an index without slots, holding nothing. */
struct idindex {
	/*
	 * Open addressing, linear probing: each slot the tag in its top half
	 * and the item + 1 in its bottom half, 0 when empty. The fields are
	 * for the functions below; a caller may read cap and count.
	 */
	uint64_t *slot;
	size_t cap;		/* 1 << bits slots, 0 until idindex_reserve */
	size_t count;		/* items held */
	unsigned bits;
	/*
	 * The filter: two bits per hash taken, in one 64-bit word, and 16 to
	 * 32 bits in all per hash, so that a hash never taken is mostly told
	 * apart with one memory access. It keeps the bits of items that leave
	 * (idindex_clear) until it next grows, when it is set again from the
	 * slots alone.
	 */
	uint64_t *seen;
	size_t seen_bits;	/* 0 while nothing was taken */
	size_t seen_count;	/* hashes taken, items that left included */
	unsigned seen_wbits;	/* seen_bits / 64 is 1 << seen_wbits */
};

/*
 * A lookup under way: after idindex_probe_next returns true, item is the
 * item of a slot whose tag is the hash's; after it returns false, the
 * walk stands at the empty slot where the hash would go (idindex_take).
 */
struct idindex_probe {
	size_t at;		/* the next slot to look at */
	uint64_t tag;		/* the hash's tag, as the slots keep it */
	uint32_t item;
};

void idindex_init(struct idindex *x);
/*
 * Frees the slots and the filter; x is then as idindex_init leaves it.
 * x may be NULL.
 */
void idindex_free(struct idindex *x);

/* Twice the slots (1024 the first time), the items moved by their tags. */
void idindex_grow(struct idindex *x);

/*
 * Room for one more item: the index grows when it would be more than 4/5
 * full. Call it before a lookup that may end in idindex_take (growing
 * moves the slots, so a probe started before it is no longer valid).
 */
static inline void
idindex_reserve(struct idindex *x)
{
	if ((x->count + 1) * 5 > x->cap * 4)
		idindex_grow(x);
}

/* Where a hash's walk starts: its tag's top bits (bits is at most 32). */
static inline size_t
idindex_home(const struct idindex *x, uint64_t hash)
{
	return (size_t)((hash >> 32) >> (32 - x->bits));
}

/*
 * Starts a lookup of hash. The index must have slots: idindex_reserve
 * was called, or idindex_may_hold said true.
 */
static inline struct idindex_probe
idindex_probe_start(const struct idindex *x, uint64_t hash)
{
	return (struct idindex_probe){ .at = idindex_home(x, hash), .tag = hash >> 32 << 32 };
}

/*
 * The next item whose tag is p's, in p->item: true; false when the walk
 * reaches an empty slot, where it stops. The caller compares each item
 * with its key, and calls again for the next when it differs.
 */
static inline bool
idindex_probe_next(const struct idindex *x, struct idindex_probe *p)
{
	size_t mask = x->cap - 1;

	for (;;) {
		uint64_t v = x->slot[p->at];

		if (v == 0)
			return false;
		p->at = (p->at + 1) & mask;
		if ((v & ~(uint64_t)UINT32_MAX) == p->tag) {
			p->item = (uint32_t)v - 1;
			return true;
		}
	}
}

/*
 * Puts item (below UINT32_MAX) in the empty slot where p's walk ended
 * (idindex_probe_next returned false, after idindex_reserve), and its
 * hash in the filter.
 */
void idindex_take(struct idindex *x, const struct idindex_probe *p, uint32_t item);

/*
 * Empties the index, keeping its slots, so that its items can be placed
 * again by idindex_put after they moved. The filter is kept as it is:
 * it still holds the hashes of every item taken.
 */
void idindex_clear(struct idindex *x);
/*
 * Places an item again after idindex_clear, by its hash, with no lookup:
 * it must be one the index held (the filter has its hash), and not yet
 * placed again.
 */
void idindex_put(struct idindex *x, uint64_t hash, uint32_t item);

/* The filter's word and its two bits for a hash. */
static inline uint64_t *
idindex_seen_word(const struct idindex *x, uint64_t hash, uint64_t *bits)
{
	uint64_t p = (hash >> 32) * 0x9e3779b97f4a7c15ULL;

	*bits = (uint64_t)1 << (p & 63) | (uint64_t)1 << (p >> 6 & 63);
	return &x->seen[p >> (64 - x->seen_wbits)];
}

/*
 * Whether the index may hold an item of this hash: false means surely
 * not (the filter lacks one of its bits), and no lookup is needed.
 */
static inline bool
idindex_may_hold(const struct idindex *x, uint64_t hash)
{
	uint64_t b;
	const uint64_t *w;

	if (x->seen_bits == 0)
		return false;
	w = idindex_seen_word(x, hash, &b);
	return (*w & b) == b;
}

/*
 * A hint that hash is looked up soon: the filter's word is fetched, and
 * with taking (the lookup may end in idindex_take) for writing, and the
 * slot where the walk starts too. Always inlined: GCC takes a function
 * that only prefetches for one that does nothing, and drops the call
 * before it would inline it.
 */
static inline __attribute__((always_inline)) void
idindex_prefetch(const struct idindex *x, uint64_t hash, bool taking)
{
	uint64_t b;

	if (!taking) {
		if (x->seen_bits != 0)
			__builtin_prefetch(idindex_seen_word(x, hash, &b));
		return;
	}
	if (x->slot != NULL)
		__builtin_prefetch(&x->slot[idindex_home(x, hash)]);
	if (x->seen_bits != 0)
		__builtin_prefetch(idindex_seen_word(x, hash, &b), 1);
}

/*
 * The longest run of taken slots, which a lookup may have to walk (for
 * the tests: it stays short when the hashes' tags spread).
 */
size_t idindex_longest_run(const struct idindex *x);

#endif

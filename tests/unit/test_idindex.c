/* test_idindex: the index of hash tags to items, and its filter. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "idindex.h"
#include "mix.h"

enum { N = 40000, PER_TAG = 4 };

/*
 * The hash of key k: PER_TAG keys in a row share its top half, the tag,
 * and differ only in the bottom half, which the index does not keep.
 */
static uint64_t
hash_of(uint64_t k)
{
	return (mix_u64(k / PER_TAG) & ~(uint64_t)UINT32_MAX) | (k & UINT32_MAX);
}

/* Looks h up, the caller's way: the index gives candidates, keys[] decides. */
static bool
find(const struct idindex *x, const uint64_t *keys, uint64_t h, struct idindex_probe *p)
{
	*p = idindex_probe_start(x, h);
	while (idindex_probe_next(x, p))
		if (keys[p->item] == h)
			return true;
	return false;
}

/* Adds h as item *n unless it is there; true when it was new. */
static bool
insert(struct idindex *x, uint64_t *keys, size_t *n, uint64_t h)
{
	struct idindex_probe p;

	idindex_reserve(x);
	if (find(x, keys, h, &p))
		return false;
	idindex_take(x, &p, (uint32_t)*n);
	keys[(*n)++] = h;
	return true;
}

/* How many of keys[0 .. n) are not found as their own item. */
static size_t
missing(const struct idindex *x, const uint64_t *keys, size_t n)
{
	struct idindex_probe p;
	size_t bad = 0;

	for (size_t i = 0; i < n; i++)
		bad += !find(x, keys, keys[i], &p) || p.item != i;
	return bad;
}

/* An empty index holds nothing, and every call on it is safe. */
static void
test_empty(void)
{
	struct idindex x;

	idindex_init(&x);
	CHECK(!idindex_may_hold(&x, hash_of(1)));
	CHECK_INT_EQ(idindex_longest_run(&x), 0);
	idindex_prefetch(&x, hash_of(1), false);
	idindex_prefetch(&x, hash_of(1), true);
	idindex_clear(&x);
	CHECK_INT_EQ(x.count, 0);
	idindex_free(&x);
	idindex_free(&x);	/* twice: it is left empty */
	idindex_free(NULL);
	CHECK(x.cap == 0 && x.count == 0 && !idindex_may_hold(&x, hash_of(1)));
}

/*
 * Items whose tags collide are told apart by the caller's keys, growth
 * keeps every one, the filter has no false negatives and few false
 * positives, and the runs a lookup walks stay short.
 */
static void
test_many(uint64_t *keys)
{
	struct idindex x;
	struct idindex_probe p;
	size_t n = 0, cap = 0, grew = 0, lost = 0, said_no = 0, absent = 0, wrong = 0;

	idindex_init(&x);
	for (uint64_t k = 0; k < N; k++) {
		wrong += !insert(&x, keys, &n, hash_of(k));
		if (x.cap != cap) {
			/* Just grown: what it held before is all found again. */
			cap = x.cap;
			grew++;
			lost += missing(&x, keys, n);
		}
	}
	CHECK_INT_EQ(x.count, N);
	CHECK(grew >= 6);
	CHECK_INT_EQ(lost, 0);
	CHECK(x.cap >= N * 5 / 4 && (x.cap & (x.cap - 1)) == 0);
	CHECK_INT_EQ(missing(&x, keys, n), 0);
	/* Seen again: found, not added. */
	for (uint64_t k = 0; k < N; k += 7)
		wrong += insert(&x, keys, &n, hash_of(k));
	CHECK_INT_EQ(wrong, 0);
	CHECK_INT_EQ(n, N);
	/* A tag some items have, with another bottom half: not found. */
	CHECK(!find(&x, keys, hash_of(5) ^ 0x80000000u, &p));

	for (size_t i = 0; i < n; i++)
		lost += !idindex_may_hold(&x, keys[i]);
	CHECK_INT_EQ(lost, 0);
	/* Keys of tags none has: the filter says no to all but a few. */
	for (uint64_t k = N; k < 11 * (uint64_t)N; k += PER_TAG, absent++)
		said_no += !idindex_may_hold(&x, hash_of(k));
	if (!CHECK(said_no * 100 > absent * 95))
		fprintf(stderr, "     the filter said no to %zu of %zu\n", said_no, absent);
	for (uint64_t k = N; k < 2 * (uint64_t)N; k++)
		lost += find(&x, keys, hash_of(k), &p);
	CHECK_INT_EQ(lost, 0);

	/* 164 slots, for 40000 keys in 10000 tags at 3/5 full; 32 for one a tag. */
	if (!CHECK(idindex_longest_run(&x) < 500))
		fprintf(stderr, "     a run of %zu slots\n", idindex_longest_run(&x));
	idindex_prefetch(&x, keys[0], false);
	idindex_prefetch(&x, keys[0], true);
	idindex_free(&x);
	CHECK(!idindex_may_hold(&x, keys[0]));
}

/*
 * The filter is at its fullest just before it grows (one hash in 16
 * bits): at every size, it says "may hold" for 1.7% of absent tags at
 * most, and for every kept one.
 */
static void
test_filter(uint64_t *keys)
{
	struct idindex x;
	size_t n = 0, lost = 0, worst = 0;

	idindex_init(&x);
	for (uint64_t k = 0; k < 20480; k++) {
		insert(&x, keys, &n, hash_of(k * PER_TAG));
		if (n % 512 == 0) {
			size_t yes = 0;

			for (uint64_t a = 0; a < 20000; a++)
				yes += idindex_may_hold(&x, hash_of((N + a) * PER_TAG));
			worst = yes > worst ? yes : worst;
		}
	}
	for (size_t i = 0; i < n; i++)
		lost += !idindex_may_hold(&x, keys[i]);
	CHECK_INT_EQ(lost, 0);
	if (!CHECK(worst < 20000 * 3 / 100))
		fprintf(stderr, "     %zu of 20000 absent tags said \"may hold\"\n", worst);
	idindex_free(&x);
}

/*
 * The items move (shuffled, the last third gone): the index emptied and
 * placed again finds each at its new place, and takes new ones after.
 */
static void
test_rebuild(uint64_t *keys)
{
	struct idindex x;
	size_t n = 0, lost = 0, wrong = 0, cap;

	idindex_init(&x);
	for (uint64_t k = 0; k < N; k++)
		insert(&x, keys, &n, hash_of(k));
	cap = x.cap;
	srand(7);
	for (size_t i = n - 1; i > 0; i--) {
		size_t j = (size_t)rand() % (i + 1);
		uint64_t t = keys[i];

		keys[i] = keys[j];
		keys[j] = t;
	}
	n -= n / 3;
	idindex_clear(&x);
	CHECK_INT_EQ(x.count, 0);
	CHECK_INT_EQ(idindex_longest_run(&x), 0);
	for (size_t i = 0; i < n; i++)
		idindex_put(&x, keys[i], (uint32_t)i);
	CHECK_INT_EQ(x.count, n);
	CHECK_INT_EQ(x.cap, cap);
	CHECK_INT_EQ(missing(&x, keys, n), 0);
	for (size_t i = 0; i < n; i++)
		lost += !idindex_may_hold(&x, keys[i]);
	CHECK_INT_EQ(lost, 0);
	CHECK(idindex_longest_run(&x) < 500);
	/* Taking goes on after: new keys, and the kept ones not taken twice. */
	for (uint64_t k = 2 * N; k < 3 * (uint64_t)N; k++)
		wrong += !insert(&x, keys, &n, hash_of(k));
	for (size_t i = 0; i < n; i += 5)
		wrong += insert(&x, keys, &n, keys[i]);
	CHECK_INT_EQ(wrong, 0);
	CHECK_INT_EQ(x.count, n);
	CHECK_INT_EQ(missing(&x, keys, n), 0);
	idindex_free(&x);
}

void
test_idindex(void)
{
	uint64_t *keys = calloc(2 * N, sizeof(*keys));

	if (!CHECK(keys != NULL))
		return;
	test_empty();
	test_many(keys);
	test_filter(keys);
	test_rebuild(keys);
	free(keys);
}

/*
 * fpset: a set of 128-bit fingerprints, for telling whether a key was
 * seen before without keeping the key. The ledger counts each licensed
 * user once per customer and pool of seats; a license export of two
 * million users makes millions of such keys, and a set of their copies
 * (a hash table of pointers, and the strings) took 70-80 bytes a key and
 * a string comparison a lookup. A fingerprint takes 16 bytes and one
 * comparison. Two keys whose fingerprints are equal count as one: with
 * the two independent 64-bit hashes of fpset_key, the chance that any
 * two of ten million keys share one is about 1.5e-25.
 *
 * Running out of memory ends the run (mem_fail).
 */
#ifndef SKUSCAN_FPSET_H
#define SKUSCAN_FPSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fpset_print {
	uint64_t a, b;
};

/* All zero (fpset_init) is an empty set. */
struct fpset {
	struct fpset_print *slot;	/* open addressing; {0, 0} is empty */
	size_t cap;			/* a power of two, 0 while empty */
	size_t count;
};

void fpset_init(struct fpset *s);
void fpset_free(struct fpset *s);

/*
 * The fingerprint of a key: its n bytes with ASCII letters in lower case
 * (the key is the same whatever their case). It may be all zero: give
 * fpset_add only what fpset_tag makes of it.
 */
struct fpset_print fpset_key(const char *s, size_t n);
/*
 * The fingerprint of the pair (head, key), from the key's fpset_key: a
 * key is printed once, on whichever thread reads it, and paired with
 * each head it is counted under.
 */
struct fpset_print fpset_tag(struct fpset_print key, uint64_t head);

/* Adds p; true when it was not in the set. */
bool fpset_add(struct fpset *s, struct fpset_print p);

#endif

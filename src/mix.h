/*
 * mix: splitmix64's finalizer, the bit mixer of the ledger's id hashes
 * and of fpset's fingerprints.
 */
#ifndef SKUSCAN_MIX_H
#define SKUSCAN_MIX_H

#include <stdint.h>

/* Every bit of x moves every bit of the result, and no two x give one result. */
static inline uint64_t
mix_u64(uint64_t x)
{
	x = (x ^ x >> 30) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ x >> 27) * 0x94d049bb133111ebULL;
	return x ^ x >> 31;
}

#endif

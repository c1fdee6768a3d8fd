/* fpset: open addressing with linear probing over 16-byte fingerprints. */
#include <stdlib.h>
#include <string.h>

#include "fpset.h"
#include "mem.h"
#include "mix.h"

void
fpset_init(struct fpset *s)
{
	memset(s, 0, sizeof(*s));
}

void
fpset_free(struct fpset *s)
{
	free(s->slot);
	fpset_init(s);
}

/* Eight bytes with A-Z made a-z, all at once (SWAR). */
static uint64_t
lower8(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
	/* 0x80 in each byte from 'A' up, and in each byte above 'Z'. */
	uint64_t ge_a = ((w | high) - ones * 'A') & high;
	uint64_t gt_z = ((w | high) - ones * ('Z' + 1)) & high;
	uint64_t upper = ge_a & ~gt_z & ~w;	/* and not a byte of 0x80 or more */

	return w | upper >> 2;
}

struct fpset_print
fpset_key(const char *s, size_t n)
{
	/* Two lanes from different seeds, each word mixed into both. */
	uint64_t a = mix_u64(0x9e3779b97f4a7c15ULL), b = mix_u64(0xd1b54a32d192ed03ULL + n);
	size_t i = 0;
	uint64_t w;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		w = lower8(w);
		a = mix_u64(a ^ w);
		b = mix_u64(b + w) ^ a;
	}
	if (i < n) {
		w = 0;
		memcpy(&w, s + i, n - i);
		w = lower8(w);
		a = mix_u64(a ^ w ^ (uint64_t)(n - i) << 59);
		b = mix_u64(b + w) ^ a;
	}
	a = mix_u64(a ^ n);
	b = mix_u64(b ^ 0xa0761d6478bd642fULL);
	return (struct fpset_print){ a, b };
}

/*
 * head enters each lane through a bijection (an odd multiplier, then
 * mix): one key under two heads always gives two prints, and two keys
 * share one only if their prints differ by just what the heads make of
 * them, in both lanes at once, as unlikely as a collision of the keys'.
 */
struct fpset_print
fpset_tag(struct fpset_print key, uint64_t head)
{
	uint64_t a = mix_u64(key.a ^ head * 0x9e3779b97f4a7c15ULL);
	uint64_t b = mix_u64(key.b + mix_u64(head ^ 0xd1b54a32d192ed03ULL));

	if (a == 0 && b == 0)
		b = 1;	/* {0, 0} marks an empty slot */
	return (struct fpset_print){ a, b };
}

static struct fpset_print *
slot_of(const struct fpset *s, struct fpset_print p)
{
	size_t mask = s->cap - 1;

	for (size_t i = p.a & mask;; i = (i + 1) & mask) {
		struct fpset_print *e = &s->slot[i];

		if ((e->a == p.a && e->b == p.b) || (e->a == 0 && e->b == 0))
			return e;
	}
}

static void
grow(struct fpset *s)
{
	struct fpset old = *s;

	s->cap = old.cap ? old.cap * 2 : 1024;
	s->slot = mem_calloc(s->cap, sizeof(*s->slot));
	for (size_t i = 0; i < old.cap; i++)
		if (old.slot[i].a != 0 || old.slot[i].b != 0)
			*slot_of(s, old.slot[i]) = old.slot[i];
	free(old.slot);
}

bool
fpset_add(struct fpset *s, struct fpset_print p)
{
	struct fpset_print *e;

	/* At most three quarters full: probes stay short. */
	if ((s->count + 1) * 4 > s->cap * 3)
		grow(s);
	e = slot_of(s, p);
	if (e->a != 0 || e->b != 0)
		return false;
	*e = p;
	s->count++;
	return true;
}

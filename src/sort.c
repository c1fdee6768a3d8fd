/* sort: least-significant-digit radix sort, 11 bits a pass. */
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "sort.h"

#define DIGIT_BITS 11
#define DIGITS ((64 + DIGIT_BITS - 1) / DIGIT_BITS)
#define BUCKETS (1u << DIGIT_BITS)
#define SMALL 48

static unsigned
digit(uint64_t key, int d)
{
	return (unsigned)(key >> (d * DIGIT_BITS)) & (BUCKETS - 1);
}

/* Few items: insertion sort, stable because it moves only past greater keys. */
static void
sort_small(struct sort_item *v, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct sort_item x = v[i];
		size_t j = i;

		for (; j > 0 && v[j - 1].key > x.key; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/*
 * All digits' counts in one pass, then one scatter a digit; a digit all
 * items share (the high bits of small numbers, say) is skipped.
 */
void
sort_items(struct sort_item *v, size_t n)
{
	size_t (*count)[BUCKETS];
	struct sort_item *tmp, *from = v, *to;

	if (n <= SMALL) {
		sort_small(v, n);
		return;
	}
	count = mem_calloc(DIGITS, sizeof(*count));
	tmp = mem_alloc(n * sizeof(*tmp));
	to = tmp;
	for (size_t i = 0; i < n; i++)
		for (int d = 0; d < DIGITS; d++)
			count[d][digit(v[i].key, d)]++;
	for (int d = 0; d < DIGITS; d++) {
		size_t sum = 0;

		if (count[d][digit(v[0].key, d)] == n)
			continue;
		for (unsigned b = 0; b < BUCKETS; b++) {
			size_t c = count[d][b];

			count[d][b] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			to[count[d][digit(from[i].key, d)]++] = from[i];
		{
			struct sort_item *t = from;

			from = to;
			to = t;
		}
	}
	if (from != v)
		memcpy(v, from, n * sizeof(*v));
	free(tmp);
	free(count);
}

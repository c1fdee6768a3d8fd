/*
 * test_sort: sort_items orders by key and keeps equal keys in their order,
 * against a plain comparison sort, for keys that differ in every digit,
 * keys that share most digits (passes skipped), many equal keys, and
 * keys most but not all of which share a digit (that pass not skipped).
 */
#include <stdlib.h>

#include "check.h"
#include "sort.h"

/* Reference: by key, then by the original place (what stability means). */
static int
cmp_ref(const void *a, const void *b)
{
	const struct sort_item *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->at < y->at ? -1 : x->at > y->at;
}

static uint64_t
next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

void
test_sort(void)
{
	static const size_t sizes[] = { 0, 1, 2, 47, 48, 49, 100, 1000, 70000 };
	uint64_t seed = 88172645463325252ULL;

	for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
		for (int kind = 0; kind < 5; kind++) {
			size_t n = sizes[z];
			struct sort_item *v = malloc((n + 1) * sizeof(*v));
			struct sort_item *ref = malloc((n + 1) * sizeof(*ref));
			int bad = 0;

			for (size_t i = 0; i < n; i++) {
				uint64_t r = next(&seed);

				switch (kind) {
				case 0: break;				/* any 64 bits */
				case 1: r &= 0xff; break;			/* many ties */
				case 2: r = 0x0123456700000000ULL | (r & 0xfff000); break;
				case 3: r = (r & 1) ? UINT64_MAX : r >> 1; break;
				default: r = r % 10 ? 5 : r; break;	/* one digit mostly shared */
				}
				v[i] = (struct sort_item){ r, i };
			}
			for (size_t i = 0; i < n; i++)
				ref[i] = v[i];
			if (n > 0)
				qsort(ref, n, sizeof(*ref), cmp_ref);
			sort_items(v, n);
			for (size_t i = 0; i < n; i++)
				if (v[i].key != ref[i].key || v[i].at != ref[i].at)
					bad++;
			CHECK_INT_EQ(bad, 0);
			free(v);
			free(ref);
		}
	}
}

/* test_strmap: the hash map, and the case-folding hash the drop filter uses. */
#include <string.h>

#include "check.h"
#include "strmap.h"

void
test_strmap(void)
{
	struct strmap m;
	int created;
	const char *mixed = "5000000B-2222-4222-8222-00000000000B and Some Tail";
	char low[64];
	size_t n = strlen(mixed);

	/* strmap_hash_lower(x) is strmap_hash(lower(x)), at every length. */
	for (size_t i = 0; i <= n; i++)
		low[i] = (mixed[i] >= 'A' && mixed[i] <= 'Z') ? (char)(mixed[i] + 32) : mixed[i];
	for (size_t k = 0; k <= n; k++)
		CHECK_INT_EQ(strmap_hash_lower(mixed, k), strmap_hash(low, k));
	/* Bytes that are not letters are never folded (0xC3 0x9C is 'Ü'). */
	CHECK(strmap_hash_lower("\xc3\x9c@[`{", 6) == strmap_hash("\xc3\x9c@[`{", 6));
	CHECK(strmap_hash_lower("AZ", 2) == strmap_hash("az", 2));

	strmap_init(&m);
	for (int i = 0; i < 1000; i++) {
		char key[16];
		int len = snprintf(key, sizeof(key), "k%d", i);

		strmap_put(&m, key, (size_t)len, &created)->value = (void *)(intptr_t)(i + 1);
		CHECK(created);
	}
	CHECK_INT_EQ(m.count, 1000);
	strmap_put(&m, "k7", 2, &created);
	CHECK(!created);
	CHECK(strmap_find(&m, "k999", 4) != NULL &&
	    strmap_find(&m, "k999", 4)->value == (void *)(intptr_t)1000);
	CHECK(strmap_find(&m, "k1000", 5) == NULL);
	CHECK(strmap_find(&m, "k9", 1) == NULL);	/* "k" is no key */
	strmap_free(&m);
}

/* test_strmap: the hash map. */
#include <string.h>

#include "check.h"
#include "strmap.h"

void
test_strmap(void)
{
	struct strmap m;
	int created;

	/* The hash of a key is the same wherever the key lies. */
	CHECK(strmap_hash("customer-7", 10) == strmap_hash("a customer-7" + 2, 10));
	CHECK(strmap_hash("customer-7", 10) != strmap_hash("customer-8", 10));

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

/* test_cache: the direct-mapped cache of license lists. */
#include <stdio.h>
#include <string.h>

#include "cache.h"
#include "check.h"

void
test_cache(void)
{
	struct cache *c = cache_new(64, 16, 8);
	const char *v;
	size_t n = 99;
	char key[32], big[17];
	int kept = 0;

	CHECK(cache_get(c, "Office 365 E3", 13, &n) == NULL);
	cache_put(c, "Office 365 E3", 13, "\1\2\3", 3);
	v = cache_get(c, "Office 365 E3", 13, &n);
	CHECK(v != NULL && n == 3 && memcmp(v, "\1\2\3", 3) == 0);
	/* A key's prefix, or the key with a byte more, is another key. */
	CHECK(cache_get(c, "Office 365 E", 12, &n) == NULL);
	CHECK(cache_get(c, "Office 365 E3+", 14, &n) == NULL);
	/* An empty value is a value. */
	cache_put(c, "Unlicensed", 10, "", 0);
	CHECK(cache_get(c, "Unlicensed", 10, &n) != NULL && n == 0);
	/* Too long a key or value is not kept (and keeps nothing out). */
	memset(big, 'x', sizeof(big));
	cache_put(c, big, 17, "v", 1);
	CHECK(cache_get(c, big, 17, &n) == NULL);
	cache_put(c, big, 16, "123456789", 9);
	CHECK(cache_get(c, big, 16, &n) == NULL);
	cache_put(c, big, 16, "12345678", 8);
	v = cache_get(c, big, 16, &n);
	CHECK(v != NULL && n == 8 && memcmp(v, "12345678", 8) == 0);
	cache_free(c);

	/* One slot: each key put forgets the one before, and is found itself. */
	c = cache_new(1, 16, 8);
	cache_put(c, "E3", 2, "a", 1);
	cache_put(c, "E5", 2, "b", 1);
	CHECK(cache_get(c, "E3", 2, &n) == NULL);
	v = cache_get(c, "E5", 2, &n);
	CHECK(v != NULL && n == 1 && v[0] == 'b');
	cache_free(c);

	/* Many keys in few slots: whatever is found is its own key's value. */
	c = cache_new(16, 16, 8);
	for (int i = 0; i < 200; i++) {
		int len = snprintf(key, sizeof(key), "list-%d", i);

		cache_put(c, key, (size_t)len, key + 5, (size_t)len - 5);
	}
	for (int i = 0; i < 200; i++) {
		int len = snprintf(key, sizeof(key), "list-%d", i);

		v = cache_get(c, key, (size_t)len, &n);
		if (v != NULL) {
			kept++;
			CHECK(n == (size_t)len - 5 && memcmp(v, key + 5, n) == 0);
		}
	}
	CHECK(kept > 0 && kept <= 16);
	/* The last key put is always found. */
	CHECK(cache_get(c, "list-199", 8, &n) != NULL && n == 3);
	cache_free(c);
	cache_free(NULL);
}

/* test_fpset: the set of key fingerprints that counts each user once. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "fpset.h"

enum { N = 200000 };

static struct fpset_print
print_of(uint64_t head, const char *s)
{
	return fpset_tag(fpset_key(s, strlen(s)), head);
}

/* A key is the same whatever the case of its ASCII letters, and only then. */
static void
prints_fold_case(void)
{
	static const char *const same[][2] = {
		{ "Ann.Lee@Contoso.onmicrosoft.com", "ann.lee@contoso.onmicrosoft.com" },
		{ "ABCDEFGHIJKLMNOPQRSTUVWXYZ@X", "abcdefghijklmnopqrstuvwxyz@x" },
		{ "Z", "z" },
		{ "", "" },
	};
	/* Bytes next to A-Z, and above 0x7f, keep their identity. */
	static const char *const differ[][2] = {
		{ "@", "`" }, { "[", "{" }, { "a@x", "a`x" }, { "\xc3\x84", "\xc3\xa4" },
		{ "\xc1", "\xe1" }, { "ann", "ann " }, { "ann.lee@x", "ann.lee@y" },
		{ "12345678", "123456789" }, { "a", "" }, { "ab", "ba" },
	};

	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		struct fpset_print a = print_of(7, same[i][0]), b = print_of(7, same[i][1]);

		CHECK(a.a == b.a && a.b == b.b);
	}
	for (size_t i = 0; i < sizeof(differ) / sizeof(differ[0]); i++) {
		struct fpset_print a = print_of(7, differ[i][0]), b = print_of(7, differ[i][1]);

		CHECK(a.a != b.a && a.b != b.b);
	}
	/* The head is part of the key: the same user in two customers. */
	struct fpset_print h1 = print_of(1ULL << 32 | 5, "u@x"), h2 = print_of(2ULL << 32 | 5, "u@x");
	struct fpset_print h3 = print_of(1ULL << 32 | 6, "u@x");

	CHECK(h1.a != h2.a && h1.a != h3.a && h2.a != h3.a);
}

/* Each key is new once, through every growth of the table, and never again. */
static void
adds_each_once(void)
{
	struct fpset s;
	char key[64];
	size_t fresh = 0, again = 0;

	fpset_init(&s);
	for (uint64_t i = 0; i < N; i++) {
		snprintf(key, sizeof(key), "user%llu@tenant%llu.onmicrosoft.com",
		    (unsigned long long)i, (unsigned long long)(i % 97));
		fresh += fpset_add(&s, fpset_tag(fpset_key(key, strlen(key)), i % 5));
	}
	CHECK_INT_EQ(fresh, N);
	CHECK_INT_EQ(s.count, N);
	CHECK(s.count * 4 <= s.cap * 3);
	for (uint64_t i = 0; i < N; i++) {
		snprintf(key, sizeof(key), "USER%llu@TENANT%llu.onmicrosoft.com",
		    (unsigned long long)i, (unsigned long long)(i % 97));
		again += fpset_add(&s, fpset_tag(fpset_key(key, strlen(key)), i % 5));
	}
	CHECK_INT_EQ(again, 0);
	CHECK_INT_EQ(s.count, N);
	/* The same users under another head are other keys. */
	for (uint64_t i = 0; i < 1000; i++) {
		snprintf(key, sizeof(key), "user%llu@tenant%llu.onmicrosoft.com",
		    (unsigned long long)i, (unsigned long long)(i % 97));
		fresh += fpset_add(&s, fpset_tag(fpset_key(key, strlen(key)), i % 5 + 5));
	}
	CHECK_INT_EQ(fresh, N + 1000);
	fpset_free(&s);
	CHECK_INT_EQ(s.count, 0);
	CHECK(s.slot == NULL);

	/* One key under many heads (customers and pools): a print for each. */
	fresh = 0;
	for (uint64_t c = 0; c < 2000; c++)
		for (uint32_t tag = 0; tag < 8; tag++)
			fresh += fpset_add(&s, print_of(c << 32 | tag, "ann@contoso.com"));
	CHECK_INT_EQ(fresh, 16000);
	fpset_free(&s);
}

/* The fingerprint {0, 0} marks an empty slot: no key ever gets it. */
static void
empty_is_never_a_print(void)
{
	struct fpset s;

	fpset_init(&s);
	CHECK(fpset_add(&s, (struct fpset_print){ 0, 1 }));
	CHECK(!fpset_add(&s, (struct fpset_print){ 0, 1 }));
	CHECK(fpset_add(&s, (struct fpset_print){ 1, 0 }));
	CHECK_INT_EQ(s.count, 2);
	fpset_free(&s);
}

void
test_fpset(void)
{
	prints_fold_case();
	adds_each_once();
	empty_is_never_a_print();
}

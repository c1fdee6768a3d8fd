/*
 * fuzz_items: the license-item splitter on arbitrary values. Every item it
 * hands out must lie inside the input, be non-empty and trimmed, hold no
 * ';' and no '+' other than one between two spaces, have lost its tenant
 * prefix (which must lie inside the input and end at a ':'), and not be
 * "Unlicensed". Items come in input order without overlapping. A callback
 * that stops the split must see its value returned.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "items.h"

#define CHECK(c)                                                                       \
	do {                                                                           \
		if (!(c)) {                                                            \
			fprintf(stderr, "fuzz_items: %s:%d: check failed: %s\n", __FILE__, \
			    __LINE__, #c);                                             \
			abort();                                                       \
		}                                                                      \
	} while (0)

struct state {
	const char *s;
	size_t n;
	const char *last_end;	/* end of the previous item */
	size_t count;
	size_t stop_at;		/* 0: never stop */
};

static bool
ieq(const char *s, size_t n, const char *lit)
{
	size_t i;

	for (i = 0; i < n && lit[i] != '\0'; i++) {
		char a = s[i], b = lit[i];

		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (b >= 'A' && b <= 'Z')
			b = (char)(b - 'A' + 'a');
		if (a != b)
			return false;
	}
	return i == n && lit[i] == '\0';
}

static int
on_item(const char *item, size_t n, const char *tenant, size_t tlen, void *arg)
{
	struct state *st = arg;
	const char *end = st->s + st->n;

	CHECK(n > 0);
	CHECK(item >= st->s && item + n <= end);
	CHECK(item >= st->last_end);
	CHECK(item[0] != ' ' && item[0] != '\t');
	CHECK(item[n - 1] != ' ' && item[n - 1] != '\t');
	CHECK(!ieq(item, n, "Unlicensed"));
	for (size_t i = 0; i < n; i++) {
		CHECK(item[i] != ';');
		if (item[i] == '+') {
			const char *p = item + i;

			/* Kept only between two spaces of the input. */
			CHECK(p > st->s && p[-1] == ' ');
			CHECK(p + 1 < end && p[1] == ' ');
		}
	}
	if (tlen > 0) {
		CHECK(tenant != NULL);
		CHECK(tenant >= st->s && tenant + tlen < end);
		CHECK(tenant >= st->last_end);
		CHECK(tenant[tlen] == ':');
		CHECK(tenant + tlen < item);
		for (size_t i = 0; i < tlen; i++) {
			char c = tenant[i];

			CHECK((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    (c >= '0' && c <= '9') || (i > 0 && c == '-'));
		}
	}
	st->last_end = item + n;
	st->count++;
	if (st->stop_at != 0 && st->count == st->stop_at)
		return 7;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct state st = { (const char *)data, size, (const char *)data, 0, 0 };
	size_t all;
	int rc;

	/* The whole split; then again, stopped at an item chosen by the size. */
	rc = items_split(st.s, st.n, on_item, &st);
	CHECK(rc == 0);
	all = st.count;
	if (all == 0)
		return 0;
	st.last_end = st.s;
	st.count = 0;
	st.stop_at = 1 + size % all;
	rc = items_split(st.s, st.n, on_item, &st);
	CHECK(rc == 7);
	CHECK(st.count == st.stop_at);
	return 0;
}

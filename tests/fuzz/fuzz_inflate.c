/*
 * fuzz_inflate: igzip and zlib on the same bytes (one gzip member's deflate
 * data and trailer, then anything), each fed in pieces whose sizes the
 * first byte picks. When both find the member whole, they give the same
 * bytes out and leave the same input over. igzip never refuses what zlib
 * reads; it may read what zlib refuses as invalid (Huffman codes that
 * leave part of the code space unused, see inflate.h), never what zlib
 * finds cut short or failing its trailer check. Other refusals may
 * differ in kind: on data that is both invalid and cut short, igzip can
 * see the invalid code where zlib still waits for input (exports merely
 * cut short are truncated to both).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inflate.h"

#define OUT_CAP (4u << 20)

#define CHECK(c)                                                                        \
	do {                                                                            \
		if (!(c)) {                                                             \
			fprintf(stderr, "fuzz_inflate: %s:%d: check failed: %s\n", __FILE__, \
			    __LINE__, #c);                                              \
			abort();                                                        \
		}                                                                       \
	} while (0)

struct result {
	enum inflate_status st;
	size_t out, left;
};

static struct result
run(enum inflate_engine e, const unsigned char *src, size_t n, size_t step, size_t room,
    unsigned char *out)
{
	struct inflater *z = inflater_new(e);
	struct result r = { INFLATE_MORE, 0, 0 };
	size_t fed = 0, idle = 0;
	unsigned char *op = out;

	while (r.st == INFLATE_MORE && idle < 3 && op < out + OUT_CAP) {
		size_t k = n - fed < step ? n - fed : step;
		size_t ol = (size_t)(out + OUT_CAP - op) < room ? (size_t)(out + OUT_CAP - op) : room;
		const unsigned char *ip = src + fed;
		size_t il = k;
		unsigned char *before = op;

		r.st = inflater_run(z, &ip, &il, &op, &ol);
		fed += k - il;
		idle = (k - il == 0 && op == before) ? idle + 1 : 0;
	}
	r.out = (size_t)(op - out);
	r.left = n - fed;
	inflater_free(z);
	return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned char *a, *b;
	static const size_t steps[] = { 1, 3, 64, 4096, SIZE_MAX };
	size_t step, room;
	struct result ra, rb;

	if (size < 1)
		return 0;
	if (a == NULL) {
		a = malloc(OUT_CAP);
		b = malloc(OUT_CAP);
	}
	step = steps[data[0] % 5];
	room = steps[(data[0] / 5) % 5];
	data++;
	size--;
	ra = run(INFLATE_ISAL, data, size, step, room, a);
	rb = run(INFLATE_ZLIB, data, size, SIZE_MAX, SIZE_MAX, b);
	if (ra.out == OUT_CAP || rb.out == OUT_CAP)
		return 0;	/* a bomb: neither got to the end */
	if (rb.st == INFLATE_END)
		CHECK(ra.st == INFLATE_END);
	if (ra.st == INFLATE_END)
		CHECK(rb.st == INFLATE_END || rb.st == INFLATE_CORRUPT);
	if (ra.st == INFLATE_END && rb.st == INFLATE_END) {
		CHECK(ra.out == rb.out);
		CHECK(memcmp(a, b, ra.out) == 0);
		CHECK(ra.left == rb.left);
	}
	return 0;
}

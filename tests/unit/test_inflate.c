/*
 * test_inflate: igzip and zlib give the same bytes and the same verdicts
 * on one gzip member's deflate data and trailer, however the input and
 * the output room are cut.
 */
#include <stdlib.h>
#include <zlib.h>

#include "check.h"
#include "inflate.h"

#define DATA_SIZE 150000

/* Deflate data of data at level, then its trailer, then two stray bytes. */
static unsigned char *
member(const unsigned char *data, size_t n, int level, size_t *len)
{
	z_stream zs = { 0 };
	size_t cap = compressBound((uLong)n) + 64, k;
	unsigned char *out = malloc(cap);
	uint32_t crc = (uint32_t)crc32(0, data, (uInt)n);

	deflateInit2(&zs, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
	zs.next_in = (Bytef *)data;
	zs.avail_in = (uInt)n;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	deflate(&zs, Z_FINISH);
	k = cap - zs.avail_out;
	deflateEnd(&zs);
	for (int i = 0; i < 4; i++) {
		out[k + i] = (unsigned char)(crc >> 8 * i);
		out[k + 4 + i] = (unsigned char)(n >> 8 * i);
	}
	out[k + 8] = 'X';
	out[k + 9] = 'Y';
	*len = k + 10;
	return out;
}

/*
 * Inflates src in pieces of at most step bytes into room-byte pieces of
 * out (cap bytes). Returns the last status; *got is what came out, *left
 * the input not taken.
 */
static enum inflate_status
run(enum inflate_engine e, const unsigned char *src, size_t n, size_t step, size_t room,
    unsigned char *out, size_t cap, size_t *got, size_t *left)
{
	struct inflater *z = inflater_new(e);
	enum inflate_status st = INFLATE_MORE;
	size_t fed = 0, idle = 0;
	unsigned char *op = out;

	while (st == INFLATE_MORE && idle < 3) {
		size_t k = n - fed < step ? n - fed : step;
		const unsigned char *ip = src + fed;
		size_t il = k, ol = (size_t)(out + cap - op) < room ? (size_t)(out + cap - op) : room;
		unsigned char *before = op;

		st = inflater_run(z, &ip, &il, &op, &ol);
		fed += k - il;
		idle = (k - il == 0 && op == before) ? idle + 1 : 0;
	}
	*got = (size_t)(op - out);
	*left = n - fed;
	inflater_free(z);
	return st;
}

static void
fill(unsigned char *d, size_t n)
{
	uint32_t seed = 99;
	static const char *words[] = { "Contoso", "Fabrikam, Inc.", "Dynamics 365 ",
	    "(Qualified Offer)", ",Active,", "2019-02-28", "\"\"", "Åsa Öberg" };

	for (size_t i = 0; i < n;) {
		seed = seed * 1103515245u + 12345u;
		if (seed >> 28 < 3) {
			d[i++] = (unsigned char)(seed >> 12);	/* a random byte */
		} else {
			const char *w = words[(seed >> 16) % 8];

			for (size_t j = 0; w[j] != '\0' && i < n; j++)
				d[i++] = (unsigned char)w[j];
		}
	}
}

void
test_inflate(void)
{
	static const enum inflate_engine engines[] = { INFLATE_ISAL, INFLATE_ZLIB };
	static const int levels[] = { 0, 1, 6, 9 };
	static const size_t steps[][2] = { { SIZE_MAX, SIZE_MAX }, { 1, 65536 }, { 7, 13 },
	    { 4096, 1 }, { 65536, 300000 } };
	unsigned char *data = malloc(DATA_SIZE), *out = malloc(DATA_SIZE + 16);
	size_t len, got, left;

	fill(data, DATA_SIZE);
	for (size_t l = 0; l < sizeof(levels) / sizeof(levels[0]); l++) {
		unsigned char *m = member(data, DATA_SIZE, levels[l], &len);

		for (size_t e = 0; e < 2; e++)
			for (size_t s = 0; s < sizeof(steps) / sizeof(steps[0]); s++) {
				/* Level 0 byte by byte is slow and adds nothing. */
				if (levels[l] == 0 && steps[s][0] < 4096 && steps[s][1] < 4096)
					continue;
				CHECK_INT_EQ(run(engines[e], m, len, steps[s][0], steps[s][1], out,
				    DATA_SIZE + 16, &got, &left), INFLATE_END);
				CHECK_INT_EQ(got, DATA_SIZE);
				CHECK(memcmp(out, data, DATA_SIZE) == 0);
				CHECK_INT_EQ(left, 2);	/* "XY" after the trailer is not taken */
			}
		free(m);
	}

	/* A wrong CRC, a wrong length, a reserved block type, a cut trailer. */
	{
		unsigned char *m = member(data, 1000, 6, &len);
		size_t tail = len - 10;
		unsigned char first = m[0];

		for (size_t e = 0; e < 2; e++) {
			m[tail] ^= 1;
			CHECK_INT_EQ(run(engines[e], m, len, SIZE_MAX, SIZE_MAX, out, 2000, &got,
			    &left), INFLATE_BAD_CHECK);
			m[tail] ^= 1;
			m[tail + 4] ^= 1;
			CHECK_INT_EQ(run(engines[e], m, len, 5, 5, out, 2000, &got, &left),
			    INFLATE_BAD_CHECK);
			m[tail + 4] ^= 1;
			m[0] |= 6;
			CHECK_INT_EQ(run(engines[e], m, len, SIZE_MAX, SIZE_MAX, out, 2000, &got,
			    &left), INFLATE_CORRUPT);
			m[0] = first;
			CHECK_INT_EQ(run(engines[e], m, tail + 3, SIZE_MAX, SIZE_MAX, out, 2000,
			    &got, &left), INFLATE_MORE);
			CHECK_INT_EQ(got, 1000);
			CHECK_INT_EQ(left, 0);
			CHECK_INT_EQ(run(engines[e], m, len, SIZE_MAX, SIZE_MAX, out, 2000, &got,
			    &left), INFLATE_END);
		}
		free(m);
	}

	/*
	 * A dynamic block whose literal/length code leaves part of its code
	 * space unused, then a trailer that matches: zlib refuses it, igzip
	 * reads it (inflate.h says why that is let be).
	 */
	{
		static const unsigned char lax[] = { 0x05, 0xc0, 0x01, 0x04, 0x00, 0x00, 0x00,
			0x80, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0f, 0x00,
			0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
			0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0e, 0x03,
			0x07, 0x4c, 0x69, 0x30, 0x02, 0x00, 0x00, 0x00 };

		CHECK_INT_EQ(run(INFLATE_ZLIB, lax, sizeof(lax), SIZE_MAX, SIZE_MAX, out, 16, &got,
		    &left), INFLATE_CORRUPT);
		CHECK_INT_EQ(run(INFLATE_ISAL, lax, sizeof(lax), SIZE_MAX, SIZE_MAX, out, 16, &got,
		    &left), INFLATE_END);
		CHECK_INT_EQ(got, 2);
		CHECK_INT_EQ(left, 0);
	}

	/* One inflater, reset between two members. */
	for (size_t e = 0; e < 2; e++) {
		unsigned char *a = member(data, 5000, 9, &len), *o = out;
		size_t alen = len, ol = 20000;
		unsigned char *b = member(data + 5000, 7000, 1, &len);
		const unsigned char *ip = a;
		size_t il = alen;
		struct inflater *z = inflater_new(engines[e]);

		CHECK_INT_EQ(inflater_run(z, &ip, &il, &o, &ol), INFLATE_END);
		inflater_reset(z);
		ip = b;
		il = len;
		CHECK_INT_EQ(inflater_run(z, &ip, &il, &o, &ol), INFLATE_END);
		CHECK_INT_EQ(o - out, 12000);
		CHECK(memcmp(out, data, 12000) == 0);
		inflater_free(z);
		free(a);
		free(b);
	}
	free(data);
	free(out);
}

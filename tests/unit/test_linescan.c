/*
 * Unit tests of linescan.h: where a scan stops, the delimiters, quotes and
 * high bytes it finds, at every offset around the 16-, 32- and 64-byte
 * steps, the same for every block width the machine takes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "linescan.h"

/* What a scan should find, worked out byte by byte. */
struct expect {
	size_t stop, ndpos, dpos[256], q2, nquote;
	bool high;
	size_t hi_first, hi_last;
};

static struct expect
expect_scan(const char *buf, size_t pos, size_t lim, char delim, bool quote_stops, size_t q2)
{
	struct expect e = { .stop = lim, .q2 = q2 };

	for (size_t i = pos; i < lim; i++) {
		char c = buf[i];

		if (c == '\n' || c == '\r' || c == '\0' || (c == '"' && quote_stops)) {
			e.stop = i;
			break;
		}
		if ((unsigned char)c >= 0x80) {
			if (!e.high)
				e.hi_first = i;
			e.hi_last = i;
			e.high = true;
		}
		if (c == '"') {
			e.q2 = i;
			e.nquote++;
		} else if (c == delim && e.ndpos < sizeof(e.dpos) / sizeof(e.dpos[0]))
			e.dpos[e.ndpos++] = i;
	}
	return e;
}

/* The widths to try: bytes, SSE2, and AVX2 where the machine has it. */
static size_t
widths(unsigned w[3])
{
	size_t n = 0;

	w[n++] = 1;
	w[n++] = linescan_vector_bytes(16);
	if (linescan_vector_bytes(0) == 32)
		w[n++] = 32;
	return n;
}

/* Failures told in full so far: the first few are enough. */
static unsigned wrong_told;

/*
 * Scans the n bytes of text from pos to lim in a buffer of exactly n
 * bytes (so that a sanitizer sees any read past it) with every width,
 * and counts each result that differs from expect_scan. q2 starts at
 * SIZE_MAX.
 */
static size_t
scan_wrong(const char *text, size_t n, size_t pos, size_t lim, char delim, bool quote_stops)
{
	char *buf = malloc(n ? n : 1);
	struct expect e;
	unsigned w[3];
	size_t nw = widths(w), wrong = 0;

	memcpy(buf, text, n);
	e = expect_scan(buf, pos, lim, delim, quote_stops, SIZE_MAX);
	for (size_t k = 0; k < nw; k++) {
		struct linescan s;
		size_t stop;
		bool ok;

		linescan_init(&s, delim, w[k]);
		s.q2 = SIZE_MAX;
		stop = linescan_run(&s, buf, pos, lim, quote_stops);
		ok = stop == e.stop && s.ndpos == e.ndpos && s.high == e.high &&
		    (quote_stops || (s.q2 == e.q2 && s.nquote == e.nquote)) &&
		    (!e.high || (s.hi_first == e.hi_first && s.hi_last == e.hi_last));
		for (size_t i = 0; ok && i < e.ndpos; i++)
			ok = s.dpos[i] == e.dpos[i];
		if (!ok) {
			wrong++;
			if (++wrong_told <= 5)
				fprintf(stderr, "     width %u, %zu bytes from %zu to %zu: stop %zu "
				    "after %zu delimiters, expected %zu after %zu\n", w[k], n, pos,
				    lim, stop, s.ndpos, e.stop, e.ndpos);
		}
		linescan_free(&s);
	}
	free(buf);
	return wrong;
}

/* A line of n bytes of 'a' with c at offset at (none when at >= n), ending in LF. */
static size_t
scan_wrong_one(size_t n, size_t at, char c, char delim, bool quote_stops)
{
	char t[200];

	memset(t, 'a', n);
	if (at < n)
		t[at] = c;
	t[n] = '\n';
	return scan_wrong(t, n + 1, 0, n + 1, delim, quote_stops);
}

/*
 * n delimiters, with c at offset at, then a LF: what stops the scan hides
 * the delimiters after it, in its own block and the next.
 */
static size_t
scan_wrong_among(size_t n, size_t at, char c, bool quote_stops)
{
	char t[200];

	memset(t, ',', n);
	if (at < n)
		t[at] = c;
	t[n] = '\n';
	return scan_wrong(t, n + 1, 0, n + 1, ',', quote_stops);
}

/* Every byte of interest at every offset of lines up to 140 bytes long. */
static void
test_every_offset(void)
{
	static const char what[] = { ',', '"', '\n', '\r', '\0', '\x80', '\xff', '\xc3' };
	size_t wrong = 0;

	for (size_t n = 0; n <= 140; n++)
		for (size_t at = 0; at <= n; at++)
			for (size_t c = 0; c < sizeof(what); c++) {
				wrong += scan_wrong_one(n, at, what[c], ',', true);
				wrong += scan_wrong_one(n, at, what[c], ',', false);
				wrong += scan_wrong_among(n, at, what[c], true);
				wrong += scan_wrong_among(n, at, what[c], false);
			}
	CHECK_INT_EQ(wrong, 0);
}

/* Delimiters in every pattern a 16-bit mask gives, over each block edge. */
static void
test_delimiter_patterns(void)
{
	size_t wrong = 0;

	for (size_t base = 0; base < 80; base += 8)
		for (unsigned m = 0; m < 0x10000; m += 7) {
			char t[100];

			memset(t, 'x', sizeof(t));
			for (size_t b = 0; b < 16; b++)
				if (m & 1u << b)
					t[base + b] = ';';
			wrong += scan_wrong(t, sizeof(t), 0, sizeof(t), ';', true);
		}
	CHECK_INT_EQ(wrong, 0);
}

static void
test_line_ends(void)
{
	static const char lf[] = "Contoso,Fabrikam,\"x\"\n";
	static const char crlf[] = "a;b;c\r\nd;e";
	static const char cr[] = "a\tb\rc\td";
	struct linescan s;
	size_t stop;

	linescan_init(&s, ',', linescan_vector_bytes(0));
	stop = linescan_run(&s, lf, 0, sizeof(lf) - 1, true);
	CHECK_INT_EQ(stop, 17);		/* the quote */
	CHECK_INT_EQ(s.ndpos, 2);
	CHECK_INT_EQ(s.dpos[0], 7);
	CHECK_INT_EQ(s.dpos[1], 16);
	/* Past the quote, without quote_stops: on to the LF, noting the last quote. */
	s.q2 = 17;
	stop = linescan_run(&s, lf, 18, sizeof(lf) - 1, false);
	CHECK_INT_EQ(stop, 20);
	CHECK_INT_EQ(s.q2, 19);
	CHECK_INT_EQ(s.ndpos, 2);
	CHECK(!s.high);
	linescan_free(&s);

	linescan_init(&s, ';', 16);
	stop = linescan_run(&s, crlf, 0, sizeof(crlf) - 1, true);
	CHECK_INT_EQ(stop, 5);		/* the CR of the CRLF */
	CHECK_INT_EQ(s.ndpos, 2);
	CHECK_INT_EQ(s.dpos[1], 3);
	/* The next line, from an offset: offsets stay the buffer's. */
	linescan_reset(&s);
	stop = linescan_run(&s, crlf, 7, sizeof(crlf) - 1, true);
	CHECK_INT_EQ(stop, sizeof(crlf) - 1);	/* no line end: lim */
	CHECK_INT_EQ(s.ndpos, 1);
	CHECK_INT_EQ(s.dpos[0], 8);
	linescan_free(&s);

	linescan_init(&s, '\t', 1);
	stop = linescan_run(&s, cr, 0, sizeof(cr) - 1, true);
	CHECK_INT_EQ(stop, 3);		/* a lone CR ends a line too */
	CHECK_INT_EQ(s.ndpos, 1);
	CHECK_INT_EQ(s.dpos[0], 1);
	linescan_free(&s);

	/* A line end past lim is not seen. */
	linescan_init(&s, ',', linescan_vector_bytes(0));
	CHECK_INT_EQ(linescan_run(&s, lf, 0, 5, false), 5);
	linescan_free(&s);
}

static void
test_high_bytes(void)
{
	/* "Müller" in UTF-8 past the first 32 bytes, then a Windows-1252 byte. */
	char t[100];
	struct linescan s;
	size_t stop;

	memset(t, 'a', sizeof(t));
	memcpy(t + 40, "M\xc3\xbcller,", 8);
	t[70] = '\xe9';
	t[80] = '\n';
	t[90] = '\xff';			/* past the line end: not seen */
	linescan_init(&s, ',', linescan_vector_bytes(0));
	stop = linescan_run(&s, t, 0, sizeof(t), true);
	CHECK_INT_EQ(stop, 80);
	CHECK(s.high);
	CHECK_INT_EQ(s.hi_first, 41);
	CHECK_INT_EQ(s.hi_last, 70);
	CHECK_INT_EQ(s.ndpos, 1);
	CHECK_INT_EQ(s.dpos[0], 47);

	/* A second scan adds up: the first high byte stays the first. */
	stop = linescan_run(&s, t, 81, sizeof(t), true);
	CHECK_INT_EQ(stop, sizeof(t));
	CHECK_INT_EQ(s.hi_first, 41);
	CHECK_INT_EQ(s.hi_last, 90);
	CHECK_INT_EQ(s.ndpos, 1);

	/* linescan_reset starts a new line. */
	linescan_reset(&s);
	stop = linescan_run(&s, t, 0, 40, true);
	CHECK_INT_EQ(stop, 40);
	CHECK(!s.high);
	CHECK_INT_EQ(s.ndpos, 0);
	linescan_free(&s);
}

/* A line of many delimiters grows dpos, in order, for every width. */
static void
test_many_delimiters(void)
{
	enum { N = 5000 };
	char *t = malloc(N + 1);
	unsigned w[3];
	size_t nw = widths(w), wrong = 0;

	for (size_t i = 0; i < N; i++)
		t[i] = i % 3 == 0 ? ',' : 'z';
	t[N] = '\n';
	for (size_t k = 0; k < nw; k++) {
		struct linescan s;

		linescan_init(&s, ',', w[k]);
		if (linescan_run(&s, t, 0, N + 1, true) != N || s.ndpos != (N + 2) / 3)
			wrong++;
		for (size_t i = 0; i < s.ndpos; i++)
			if (s.dpos[i] != 3 * i)
				wrong++;
		linescan_free(&s);
		linescan_free(&s);	/* twice is harmless */
	}
	linescan_free(NULL);
	CHECK_INT_EQ(wrong, 0);
	free(t);
}

static void
test_vector_bytes(void)
{
	CHECK_INT_EQ(linescan_vector_bytes(16), 16);
	CHECK(linescan_vector_bytes(0) == 16 || linescan_vector_bytes(0) == 32);
	CHECK_INT_EQ(linescan_vector_bytes(32), linescan_vector_bytes(0));
}

void
test_linescan(void)
{
	test_every_offset();
	test_delimiter_patterns();
	test_line_ends();
	test_high_bytes();
	test_many_delimiters();
	test_vector_bytes();
}

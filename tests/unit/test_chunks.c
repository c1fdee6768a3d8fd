/*
 * test_chunks: where the mapped reader cuts a file (after an LF, a lone
 * CR or a whole CRLF, even when the CRLF straddles a read; never within a
 * line longer than the limit), that the plan covers the bytes in order,
 * and the merge's decisions: apply a chunk, read one again from a record
 * left open, read the rest once when a record stays open over a chunk,
 * and read a record open at the end.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "chunks.h"

static size_t
cut(const char *s, size_t at, size_t max)
{
	struct chunks_mem t = { s, strlen(s) };

	return chunks_cut_after(chunks_read_mem, &t, at, t.n, max);
}

static void
test_cuts(void)
{
	char *big;

	CHECK_INT_EQ(cut("ab\ncd\n", 0, 100), 3);
	CHECK_INT_EQ(cut("ab\ncd\n", 3, 100), 6);
	CHECK_INT_EQ(cut("ab\rcd\r", 0, 100), 3);
	CHECK_INT_EQ(cut("ab\r\ncd", 0, 100), 4);
	CHECK_INT_EQ(cut("ab\r\ncd", 2, 100), 4);
	CHECK_INT_EQ(cut("abcd", 0, 100), 4);	/* the file ends first */
	CHECK_INT_EQ(cut("abcdef\n", 0, 3), SIZE_MAX);	/* no line end within 3 bytes */
	CHECK_INT_EQ(cut("abc", 0, 3), 3);
	/* A CRLF whose CR ends one 4096-byte read and whose LF starts the next. */
	big = malloc(9000);
	memset(big, 'x', 8999);
	big[8999] = '\0';
	big[4095] = '\r';
	big[4096] = '\n';
	CHECK_INT_EQ(cut(big, 0, SIZE_MAX), 4097);
	big[4096] = 'y';	/* a lone CR there */
	CHECK_INT_EQ(cut(big, 0, SIZE_MAX), 4096);
	big[4095] = 'x';
	big[8998] = '\r';	/* a CR that is the file's last byte */
	CHECK_INT_EQ(cut(big, 0, SIZE_MAX), 8999);
	free(big);
}

static void
test_plan(void)
{
	const char *s = "h\n1,a\n2,b\r\n3,c\r4,d\n5,e";
	struct chunks_mem t = { s, strlen(s) };
	struct chunks_span *c;
	size_t n = chunks_plan(chunks_read_mem, &t, 2, t.n, 3, SIZE_MAX, &c);

	CHECK(n >= 3);
	CHECK_INT_EQ(c[0].start, 2);
	for (size_t i = 0; i < n; i++) {
		CHECK(c[i].end > c[i].start);
		if (i > 0)
			CHECK_INT_EQ(c[i].start, c[i - 1].end);
		/* Every cut is just after a line end, never inside a CRLF. */
		if (c[i].end < t.n) {
			CHECK(s[c[i].end - 1] == '\n' || s[c[i].end - 1] == '\r');
			CHECK(!(s[c[i].end - 1] == '\r' && s[c[i].end] == '\n'));
		}
	}
	CHECK_INT_EQ(c[n - 1].end, t.n);
	free(c);
	CHECK_INT_EQ(chunks_plan(chunks_read_mem, &t, 2, t.n, 1, 2, &c), 0);	/* "1,a" is 3 */
	CHECK(c == NULL);
	CHECK_INT_EQ(chunks_plan(chunks_read_mem, &t, t.n, t.n, 3, SIZE_MAX, &c), 0);
}

static void
test_merge(void)
{
	struct chunks_merge m;
	struct chunks_range g, rest;
	struct chunks_parsed a = { .end = 100, .lines = 10 };
	struct chunks_parsed b = { .end = 200, .lines = 9, .ended_inside = true, .open_at = 190,
		.open_line = 8 };
	struct chunks_parsed c = { .end = 300, .lines = 12 };

	chunks_merge_init(&m, 400, 2);
	CHECK(!chunks_merge_next(&m, &a, &g));
	chunks_merge_applied(&m, &a);
	CHECK_INT_EQ(m.line, 12);
	CHECK(!chunks_merge_next(&m, &b, &g));
	chunks_merge_applied(&m, &b);
	CHECK(m.open);
	CHECK_INT_EQ(m.open_at, 190);
	CHECK_INT_EQ(m.open_line, 19);	/* the chunk's line 8, from line 12 */
	CHECK_INT_EQ(m.line, 21);
	/* c starts inside the open record: read again from it, to c's end. */
	CHECK(chunks_merge_next(&m, &c, &g));
	CHECK_INT_EQ(g.from, 190);
	CHECK_INT_EQ(g.to, 300);
	CHECK_INT_EQ(g.line, 19);
	CHECK(g.partial);
	/* That read closed it and ended on line 33 with nothing open. */
	CHECK(!chunks_merge_parsed(&m, &g, false, 0, 0, 33, &rest));
	CHECK(!m.open);
	CHECK_INT_EQ(m.line, 33);
	CHECK(!chunks_merge_end(&m, &g));

	/* A record open over a whole chunk: the rest of the file, once. */
	chunks_merge_init(&m, 400, 2);
	chunks_merge_applied(&m, &b);
	CHECK(chunks_merge_next(&m, &c, &g));
	CHECK(chunks_merge_parsed(&m, &g, true, g.from, g.line, 40, &rest));
	CHECK_INT_EQ(rest.from, 190);
	CHECK_INT_EQ(rest.to, 400);
	CHECK(!rest.partial);
	CHECK(!m.done);
	CHECK(!chunks_merge_parsed(&m, &rest, false, 0, 0, 41, &rest));
	CHECK(m.done);
	CHECK(!chunks_merge_end(&m, &g));

	/* Open at the last chunk's end: read to the end as one reader. */
	chunks_merge_init(&m, 200, 2);
	chunks_merge_applied(&m, &b);
	CHECK(chunks_merge_end(&m, &g));
	CHECK_INT_EQ(g.from, 190);
	CHECK_INT_EQ(g.to, 200);
	CHECK(!g.partial);
	/* Opened anew further on (not stuck): no rest, the next chunk re-reads. */
	chunks_merge_init(&m, 400, 2);
	chunks_merge_applied(&m, &b);
	CHECK(chunks_merge_next(&m, &c, &g));
	CHECK(!chunks_merge_parsed(&m, &g, true, 250, 30, 35, &rest));
	CHECK(m.open);
	CHECK_INT_EQ(m.open_at, 250);
	CHECK_INT_EQ(m.open_line, 30);
}

void
test_chunks(void)
{
	test_cuts();
	test_plan();
	test_merge();
}

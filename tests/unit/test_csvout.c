/*
 * test_csvout: what csvout writes, read back from a file: quoting, the
 * formula guard, UTF-8, numbers, dates, pieces, Excel's form, writes
 * larger than the buffer (through O_DIRECT and the write-behind thread)
 * and a write error.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "csvout.h"
#include "text.h"
#include "values.h"

/* A temporary file for one writer; fd -1 when none could be made. */
struct sink {
	char path[40];
	int fd;
	struct csvout *w;
};

static void
sink_open(struct sink *k, bool excel)
{
	strcpy(k->path, "/tmp/skuscan-unit-csvout-XXXXXX");
	k->fd = mkstemp(k->path);
	k->w = k->fd >= 0 ? csvout_new(k->fd, excel) : NULL;
}

/* Flushes, frees the writer and reads the whole file into out; its flush status. */
static int
sink_close(struct sink *k, struct buf *out)
{
	char chunk[65536];
	ssize_t n;
	int err = csvout_flush(k->w), rd;

	csvout_free(k->w);
	close(k->fd);
	out->len = 0;
	buf_terminate(out);
	/* A descriptor of its own: the writer's may have O_DIRECT set. */
	rd = open(k->path, O_RDONLY | O_CLOEXEC);
	while (rd >= 0 && (n = read(rd, chunk, sizeof(chunk))) > 0)
		buf_add(out, chunk, (size_t)n);
	if (rd >= 0)
		close(rd);
	unlink(k->path);
	return err;
}

/* The file one text field makes, as a row. */
static void
check_text(const char *in, size_t n, const char *want, int line)
{
	struct sink k;
	struct buf out = { 0 };

	sink_open(&k, false);
	if (!CHECK(k.fd >= 0))
		return;
	csvout_text(k.w, in, n);
	csvout_end_row(k.w);
	CHECK_INT_EQ(sink_close(&k, &out), 0);
	if (!(out.len == strlen(want) && memcmp(out.data, want, out.len) == 0))
		fprintf(stderr, "     (text at line %d)\n", line);
	CHECK_MEM_EQ(out.data, out.len, want);
	buf_free(&out);
}

#define TEXT(in, want) check_text(in, strlen(in), want, __LINE__)

static void
test_quoting(void)
{
	TEXT("plain", "plain\n");
	TEXT("", "\n");
	TEXT("a,b", "\"a,b\"\n");
	TEXT("say \"hi\"", "\"say \"\"hi\"\"\"\n");
	TEXT("two\nlines", "\"two\nlines\"\n");
	TEXT("cr\rhere", "\"cr\rhere\"\n");
	TEXT("\"", "\"\"\"\"\n");
	TEXT("in-side=ok", "in-side=ok\n");
}

static void
test_guard(void)
{
	TEXT("=SUM(A1:A9)", "'=SUM(A1:A9)\n");
	TEXT("+1", "'+1\n");
	TEXT("-2", "'-2\n");
	TEXT("@cmd", "'@cmd\n");
	TEXT("\tx", "'\tx\n");
	/* The guard goes inside the quotes. */
	TEXT("\rx", "\"'\rx\"\n");
	TEXT("=A,B", "\"'=A,B\"\n");
	TEXT("=\"x\"", "\"'=\"\"x\"\"\"\n");
	/* Apostrophes before a formula character get one more, so that it can be undone. */
	TEXT("'=x", "''=x\n");
	TEXT("''-x", "'''-x\n");
	TEXT("'x", "'x\n");
	TEXT("'", "'\n");
	TEXT("O'Brien =Co", "O'Brien =Co\n");
}

/* csvout_unguard gives back every text the guard changed, and only those. */
static void
test_unguard(void)
{
	static const char *const texts[] = { "=x", "'=x", "''@x", "'x", "'", "''", "x",
		"-", "'\t", "a=b", "'a=b" };

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		const char *t = texts[i];
		size_t n = strlen(t);
		char g[16];
		size_t gn = 0;

		if (csvout_needs_guard(t, n))
			g[gn++] = '\'';
		memcpy(g + gn, t, n);
		gn += n;
		CHECK(gn - csvout_unguard(g, gn) == n);
		CHECK(memcmp(g + csvout_unguard(g, gn), t, n) == 0);
	}
	CHECK(csvout_needs_guard("'=x", 3));
	CHECK(!csvout_needs_guard("'x=", 3));
	CHECK(csvout_unguard("'x", 2) == 0);
	CHECK(csvout_unguard("''=", 3) == 1);
	CHECK(csvout_unguard("'", 1) == 0);
}

static void
test_utf8(void)
{
	TEXT("M\xc3\xbcller", "M\xc3\xbcller\n");
	/* Windows-1252's é, and a NUL as U+FFFD. */
	TEXT("caf\xe9", "caf\xc3\xa9\n");
	check_text("a\0b", 3, "a\xef\xbf\xbd" "b\n", __LINE__);
	TEXT("\xe9,x", "\"\xc3\xa9,x\"\n");
	TEXT("=\xe9", "'=\xc3\xa9\n");
}

static void
test_fields(void)
{
	struct sink k;
	struct buf out = { 0 }, piece = { 0 };
	const char *f[3] = { "a", "b,c", "=d" };

	sink_open(&k, false);
	if (!CHECK(k.fd >= 0))
		return;
	csvout_int(k.w, 0);
	csvout_int(k.w, -1);
	csvout_int(k.w, 42);
	csvout_int(k.w, INT64_MIN);
	csvout_int(k.w, INT64_MAX);
	csvout_end_row(k.w);
	csvout_date(k.w, values_days(2019, 1, 15));
	csvout_date(k.w, 0);
	csvout_date(k.w, DATE_NONE);
	csvout_date(k.w, values_days(2000, 2, 29));
	csvout_end_row(k.w);
	csvout_file(k.w, "-");
	csvout_file(k.w, "-x.csv");
	csvout_file(k.w, "a,b.csv");
	csvout_empty(k.w);
	csvout_plain(k.w, "2019", 4);
	csvout_str(k.w, "x");
	csvout_end_row(k.w);
	csvout_piece_make(k.w, &piece, f, 3);
	CHECK_MEM_EQ(piece.data, piece.len, "a,\"b,c\",'=d");
	csvout_str(k.w, "first");
	csvout_piece(k.w, &piece);
	csvout_piece(k.w, &piece);
	csvout_end_row(k.w);
	csvout_raw(k.w, "h1,h2", 5);
	csvout_end_row(k.w);
	CHECK_INT_EQ(sink_close(&k, &out), 0);
	CHECK_MEM_EQ(out.data, out.len,
	    "0,-1,42,-9223372036854775808,9223372036854775807\n"
	    "2019-01-15,1970-01-01,,2000-02-29\n"
	    "-,'-x.csv,\"a,b.csv\",,2019,x\n"
	    "first,a,\"b,c\",'=d,a,\"b,c\",'=d\n"
	    "h1,h2\n");
	buf_free(&out);
	buf_free(&piece);
}

static void
test_excel(void)
{
	struct sink k;
	struct buf out = { 0 };

	sink_open(&k, true);
	if (!CHECK(k.fd >= 0))
		return;
	csvout_str(k.w, "a");
	csvout_str(k.w, "b\r\nc");
	csvout_end_row(k.w);
	csvout_int(k.w, 1);
	csvout_end_row(k.w);
	CHECK_INT_EQ(sink_close(&k, &out), 0);
	CHECK_MEM_EQ(out.data, out.len, "\xef\xbb\xbf" "a,\"b\r\nc\"\r\n1\r\n");
	buf_free(&out);
}

/*
 * Rows enough for several buffers, and one field longer than a buffer:
 * the file is byte for byte what was asked, through the direct writes,
 * the write-behind thread and the ordinary tail.
 */
static void
test_large(void)
{
	struct sink k;
	struct buf out = { 0 }, want = { 0 };
	size_t big = CSVOUT_BUF + CSVOUT_BUF / 2 + 3;
	char *long_field = malloc(big);
	char num[24];

	sink_open(&k, false);
	if (!CHECK(k.fd >= 0) || !CHECK(long_field != NULL)) {
		free(long_field);
		return;
	}
	for (size_t i = 0; i < big; i++)
		long_field[i] = (char)('a' + i % 26);
	for (int64_t i = 0; i < 200000; i++) {
		csvout_int(k.w, i * 7919 - 1000000);
		csvout_str(k.w, i % 3 ? "Contoso, Ltd." : "plain name");
		csvout_str(k.w, i % 5 ? "=1+1" : "");
		csvout_end_row(k.w);
		snprintf(num, sizeof(num), "%lld", (long long)(i * 7919 - 1000000));
		buf_adds(&want, num);
		buf_adds(&want, i % 3 ? ",\"Contoso, Ltd.\"" : ",plain name");
		buf_adds(&want, i % 5 ? ",'=1+1\n" : ",\n");
		if (i == 100000) {
			csvout_text(k.w, long_field, big);
			csvout_end_row(k.w);
			buf_add(&want, long_field, big);
			buf_addc(&want, '\n');
		}
	}
	CHECK(want.len > 4 * CSVOUT_BUF);
	CHECK_INT_EQ(sink_close(&k, &out), 0);
	CHECK_INT_EQ(out.len, want.len);
	CHECK(out.len == want.len && memcmp(out.data, want.data, want.len) == 0);
	free(long_field);
	buf_free(&out);
	buf_free(&want);
}

/* A full device: the error comes back from csvout_flush, small or large. */
static void
test_write_error(void)
{
	for (int large = 0; large <= 1; large++) {
		int fd = open("/dev/full", O_WRONLY | O_CLOEXEC);
		struct csvout *w;

		if (!CHECK(fd >= 0))
			return;
		w = csvout_new(fd, false);
		for (int i = 0; i < (large ? 500000 : 1); i++) {
			csvout_str(w, "some text");
			csvout_int(w, i);
			csvout_end_row(w);
		}
		CHECK_INT_EQ(csvout_flush(w), ENOSPC);
		/* The error stays: a later flush says it again. */
		csvout_str(w, "more");
		CHECK_INT_EQ(csvout_flush(w), ENOSPC);
		csvout_free(w);
		close(fd);
	}
	csvout_free(NULL);
}

/* Nothing written but a flush: an empty file, no error. */
static void
test_empty(void)
{
	struct sink k;
	struct buf out = { 0 };

	sink_open(&k, false);
	if (!CHECK(k.fd >= 0))
		return;
	CHECK_INT_EQ(sink_close(&k, &out), 0);
	CHECK_INT_EQ(out.len, 0);
	buf_free(&out);
}

void
test_csvout(void)
{
	test_quoting();
	test_guard();
	test_unguard();
	test_utf8();
	test_fields();
	test_excel();
	test_large();
	test_write_error();
	test_empty();
}

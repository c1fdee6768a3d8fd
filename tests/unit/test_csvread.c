/*
 * test_csvread: the CSV files skuscan wrote, read back: fields kept byte
 * for byte (spaces too), quoted commas, quotes and line ends, --excel's
 * byte order mark and CRLF, the line each record starts on, and a file
 * that is not CSV as skuscan writes it named with its line.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "csvread.h"
#include "text.h"

/* What the callback saw: each record as "line:f1|f2|...\n". */
struct seen {
	struct buf out;
	int stop_at;		/* stop on this record (1-based), 0: never */
	int records;
};

static int
collect(void *arg, const struct csvread_row *row)
{
	struct seen *s = arg;
	char line[24];

	s->records++;
	snprintf(line, sizeof(line), "%llu:", (unsigned long long)row->line);
	buf_adds(&s->out, line);
	for (size_t i = 0; i < row->n; i++) {
		if (i > 0)
			buf_addc(&s->out, '|');
		CHECK(strlen(row->f[i]) == row->len[i]);
		buf_add(&s->out, row->f[i], row->len[i]);
	}
	buf_addc(&s->out, '\n');
	return s->records == s->stop_at ? -1 : 0;
}

/* Reads text as a file; returns csvread's status, the records in s. */
static int
read_text(const char *text, size_t n, struct seen *s, struct diag *d)
{
	char path[] = "/tmp/skuscan-unit-csvread-XXXXXX";
	int fd = mkstemp(path), k;

	if (fd < 0 || write(fd, text, n) != (ssize_t)n) {
		CHECK(!"a temporary file");
		return -2;
	}
	close(fd);
	s->out.len = 0;
	buf_terminate(&s->out);
	s->records = 0;
	k = csvread_file(path, "r.csv", collect, s, d);
	unlink(path);
	return k;
}

#define READ(text, s, d) read_text((text), sizeof(text) - 1, (s), (d))

static void
test_helpers(void)
{
	const char *f[3] = { "a", "b", "" };
	size_t len[3] = { 1, 1, 0 };
	struct csvread_row row = { f, len, 2, 1 };
	uint64_t v;

	CHECK(csvread_header_is(&row, "a,b"));
	CHECK(!csvread_header_is(&row, "a,b,"));
	CHECK(!csvread_header_is(&row, "a"));
	CHECK(!csvread_header_is(&row, "a,bc"));
	row.n = 3;
	CHECK(csvread_header_is(&row, "a,b,"));
	row.n = 0;
	CHECK(!csvread_header_is(&row, ""));
	CHECK(csvread_count("0", &v) && v == 0);
	CHECK(csvread_count("18446744073709551615", &v) && v == UINT64_MAX);
	CHECK(!csvread_count("18446744073709551616", &v));
	CHECK(!csvread_count("", &v));
	CHECK(!csvread_count(" 5", &v));
	CHECK(!csvread_count("-5", &v));
	CHECK(!csvread_count("5x", &v));
}

void
test_csvread(void)
{
	struct seen s = { 0 };
	struct diag d = { 0 };

	CHECK(READ("a,b\n1,2\n", &s, &d) == 0);
	CHECK_STR_EQ(s.out.data, "1:a|b\n2:1|2\n");
	/* Spaces and tabs are data; empty fields are fields. */
	CHECK(READ("a,b,c\n  x ,\t,\n", &s, &d) == 0);
	CHECK_STR_EQ(s.out.data, "1:a|b|c\n2:  x |\t|\n");
	/* Quoted delimiters, quotes and line ends; the next record's line counts them. */
	CHECK(READ("a,b\n\"x,y\",\"say \"\"hi\"\"\"\n\"two\nlines\",z\nlast,1\n", &s, &d) == 0);
	CHECK_STR_EQ(s.out.data, "1:a|b\n2:x,y|say \"hi\"\n3:two\nlines|z\n5:last|1\n");
	/* --excel's form: a byte order mark (not part of the first name) and CRLF. */
	CHECK(READ("\xef\xbb\xbf" "a,b\r\n1,\"x\r\ny\"\r\n2,3\r\n", &s, &d) == 0);
	CHECK_STR_EQ(s.out.data, "1:a|b\n2:1|x\r\ny\n4:2|3\n");
	/* No line end after the last record. */
	CHECK(READ("a\nz", &s, &d) == 0);
	CHECK_STR_EQ(s.out.data, "1:a\n2:z\n");
	/* A stray quote: not CSV as skuscan writes it, named with its line. */
	CHECK(READ("a,b\n1,2\nx\"y,3\n", &s, &d) == -1);
	CHECK_STR_EQ(d.file, "r.csv");
	CHECK(d.line == 3);
	CHECK_CONTAINS(d.msg, "not CSV as skuscan writes it");
	/* A quote never closed. */
	d = (struct diag){ 0 };
	CHECK(READ("a,b\n1,\"open\n", &s, &d) == -1);
	CHECK(d.line == 2);
	CHECK_CONTAINS(d.msg, "not closed");
	/* A NUL byte in a field. */
	d = (struct diag){ 0 };
	CHECK(read_text("a,b\n1,0\0009\n", 10, &s, &d) == -1);
	CHECK(d.line == 2);
	CHECK_CONTAINS(d.msg, "NUL");
	/* The callback stops the read. */
	s.stop_at = 2;
	CHECK(READ("a\nb\nc\n", &s, &d) == -1);
	CHECK(s.records == 2);
	s.stop_at = 0;
	/* A file that cannot be opened. */
	d = (struct diag){ 0 };
	CHECK(csvread_file("/nonexistent/x.csv", "x.csv", collect, &s, &d) == -1);
	CHECK_CONTAINS(d.msg, "cannot open");
	buf_free(&s.out);
	test_helpers();
}

/* Unit tests of records.h over in-memory inputs (input_open_mem). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "input.h"
#include "linescan.h"
#include "records.h"
#include "text.h"

#define MAXREC 16

/* The line scan's block and lazy records for this pass (see test_records). */
static unsigned vector;
static bool lazy;

/* A copy of one record, as the test keeps it after records_next moves on. */
struct rec_copy {
	uint64_t line;
	enum record_problem problem;
	size_t nfields;
	size_t long_field;
	char fields[512];	/* kept fields joined by '|' */
	char raw[512];
};

struct run {
	struct rec_copy rec[MAXREC];
	size_t n;
	int rc;			/* last records_next status */
	char delim;
	uint64_t cp1252;
	uint64_t lines;
	int open_rc;
};

/* Reads all of data with the options; the first record is the header. */
static void
read_all(struct run *out, const char *data, size_t len, const struct records_opts *o)
{
	struct input *in = input_open_mem("mem.csv", data, len);
	struct records *r = NULL;
	struct record *rec;
	struct diag d;

	memset(out, 0, sizeof(*out));
	memset(&d, 0, sizeof(d));
	out->open_rc = records_open(&r, in, "mem.csv", o, &d);
	if (out->open_rc != 0) {
		input_close(in);
		return;
	}
	out->delim = records_delimiter(r);
	records_lazy(r, lazy);
	while ((out->rc = records_next(r, &rec, &d)) == 1) {
		struct rec_copy *c;
		size_t k = 0;

		if (out->n == MAXREC)
			break;
		c = &out->rec[out->n++];
		c->line = rec->line;
		c->problem = rec->problem;
		c->nfields = rec->nfields;
		c->long_field = rec->long_field;
		for (size_t i = 0; i < rec->kept; i++) {
			size_t n;
			const char *f = records_field(rec, i, &n);
			int w = snprintf(c->fields + k, sizeof(c->fields) - k, "%s%.*s",
			    i ? "|" : "", (int)n, f);

			/* Fields are not NUL-terminated: nothing may rely on it. */
			if (w > 0 && (size_t)w < sizeof(c->fields) - k)
				k += (size_t)w;
		}
		snprintf(c->raw, sizeof(c->raw), "%.*s", (int)rec->raw_len, rec->raw);
	}
	out->cp1252 = records_cp1252_fields(r);
	out->lines = records_lines(r);
	records_free(r);
	input_close(in);
}

static void
read_str(struct run *out, const char *data)
{
	struct records_opts o = { 0, 0, true, 0, false, vector };

	read_all(out, data, strlen(data), &o);
}

static void
test_delimiter(void)
{
	struct run *r = calloc(1, sizeof(*r));

	read_str(r, "a,b,c\n1,2,3\n");
	CHECK_INT_EQ(r->delim, ',');
	CHECK_INT_EQ(r->n, 2);
	CHECK_STR_EQ(r->rec[1].fields, "1|2|3");

	read_str(r, "a;b;c\n1;2,5;3\n");
	CHECK_INT_EQ(r->delim, ';');
	CHECK_STR_EQ(r->rec[0].fields, "a|b|c");
	CHECK_STR_EQ(r->rec[1].fields, "1|2,5|3");
	CHECK_INT_EQ(r->rec[1].nfields, 3);

	read_str(r, "a\tb\tc\n1\t2\t3\n");
	CHECK_INT_EQ(r->delim, '\t');
	CHECK_STR_EQ(r->rec[1].fields, "1|2|3");

	/* A tie goes to the comma. */
	read_str(r, "a;b,c\n");
	CHECK_INT_EQ(r->delim, ',');
	read_str(r, "a\tb,c\n");
	CHECK_INT_EQ(r->delim, ',');
	read_str(r, "a;b;c,d,e\n");
	CHECK_INT_EQ(r->delim, ',');

	/* Delimiters inside quotes do not count. */
	read_str(r, "\"a,b,c,d\";x;y\n");
	CHECK_INT_EQ(r->delim, ';');
	CHECK_STR_EQ(r->rec[0].fields, "a,b,c,d|x|y");
	/* Only the header line counts. */
	read_str(r, "a;b\n1,2,3,4,5\n");
	CHECK_INT_EQ(r->delim, ';');

	/* A forced delimiter wins. */
	{
		struct records_opts o = { '|', 0, true, 0, false, vector };
		const char *s = "a,b|c\n1,2|3\n";

		read_all(r, s, strlen(s), &o);
		CHECK_INT_EQ(r->delim, '|');
		CHECK_STR_EQ(r->rec[1].fields, "1,2|3");
		CHECK_INT_EQ(r->rec[1].nfields, 2);
	}
	free(r);
}

static void
test_lines(void)
{
	struct run *r = calloc(1, sizeof(*r));

	/* #TYPE is skipped, still line 1; the delimiter comes from line 2. */
	read_str(r, "#TYPE Selected.Microsoft.Store.PartnerCenter.Models.Subscription\n"
	    "Id;OfferName\n" "s1;Offer, one\n");
	CHECK_INT_EQ(r->n, 2);
	CHECK_INT_EQ(r->delim, ';');
	CHECK_INT_EQ(r->rec[0].line, 2);
	CHECK_STR_EQ(r->rec[0].fields, "Id|OfferName");
	CHECK_INT_EQ(r->rec[1].line, 3);
	CHECK_STR_EQ(r->rec[1].fields, "s1|Offer, one");

	/* #TYPE with CRLF, and with a lone CR. */
	read_str(r, "#TYPE X\r\nId,Name\r\n1,2\r\n");
	CHECK_INT_EQ(r->n, 2);
	CHECK_INT_EQ(r->rec[0].line, 2);
	CHECK_STR_EQ(r->rec[0].fields, "Id|Name");
	CHECK_INT_EQ(r->rec[1].line, 3);
	CHECK_STR_EQ(r->rec[1].raw, "1,2");
	read_str(r, "#TYPE X\rId\tName\r1\t2");
	CHECK_INT_EQ(r->n, 2);
	CHECK_INT_EQ(r->delim, '\t');
	CHECK_INT_EQ(r->rec[0].line, 2);
	CHECK_INT_EQ(r->rec[1].line, 3);
	CHECK_STR_EQ(r->rec[1].fields, "1|2");

	/* Without type_line the #TYPE line is a record. */
	{
		struct records_opts o = { 0, 0, false, 0, false, vector };
		const char *s = "#TYPE X\nId,Name\n";

		read_all(r, s, strlen(s), &o);
		CHECK_INT_EQ(r->n, 2);
		CHECK_STR_EQ(r->rec[0].fields, "#TYPE X");
		CHECK_INT_EQ(r->rec[1].line, 2);
	}
	/* #TYPE only at the very start. */
	read_str(r, "Id,Name\n#TYPE x,y\n");
	CHECK_INT_EQ(r->n, 2);
	CHECK_STR_EQ(r->rec[1].fields, "#TYPE x|y");

	/* Blank lines are skipped and counted. */
	read_str(r, "h1,h2\n\na,b\n\n\nc,d\n");
	CHECK_INT_EQ(r->n, 3);
	CHECK_INT_EQ(r->rec[1].line, 3);
	CHECK_STR_EQ(r->rec[1].fields, "a|b");
	CHECK_INT_EQ(r->rec[2].line, 6);
	CHECK_STR_EQ(r->rec[2].fields, "c|d");
	CHECK_INT_EQ(r->rc, 0);

	/* CRLF, lone CR and LF mixed; a quoted newline spans lines. */
	read_str(r, "h1,h2\r\na,b\rc,\"multi\nline\"\r\nd,e\n\"x\r\ny\",z");
	CHECK_INT_EQ(r->n, 5);
	CHECK_INT_EQ(r->rec[1].line, 2);
	CHECK_STR_EQ(r->rec[1].fields, "a|b");
	CHECK_STR_EQ(r->rec[1].raw, "a,b");
	CHECK_INT_EQ(r->rec[2].line, 3);
	CHECK_STR_EQ(r->rec[2].fields, "c|multi\nline");
	CHECK_STR_EQ(r->rec[2].raw, "c,\"multi\nline\"");
	CHECK_INT_EQ(r->rec[3].line, 5);
	CHECK_STR_EQ(r->rec[3].fields, "d|e");
	CHECK_INT_EQ(r->rec[4].line, 6);
	CHECK_STR_EQ(r->rec[4].fields, "x\r\ny|z");
	CHECK_STR_EQ(r->rec[4].raw, "\"x\r\ny\",z");	/* last record, no line end */
	CHECK_INT_EQ(r->rec[4].problem, RECORD_OK);
	CHECK_INT_EQ(r->rc, 0);

	/* Old Mac files: CR only. */
	read_str(r, "h\r1\r\r2\r");
	CHECK_INT_EQ(r->n, 3);
	CHECK_INT_EQ(r->rec[1].line, 2);
	CHECK_INT_EQ(r->rec[2].line, 4);
	CHECK_STR_EQ(r->rec[2].raw, "2");

	/* Trimming, quoted or not; inner spaces stay. */
	read_str(r, "h1,h2,h3\n  a b ,\t\"  q \" ,\"\"\n");
	CHECK_STR_EQ(r->rec[1].fields, "a b|q|");
	CHECK_INT_EQ(r->rec[1].nfields, 3);
	CHECK_STR_EQ(r->rec[1].raw, "  a b ,\t\"  q \" ,\"\"");
	/* Doubled quotes inside a quoted field. */
	read_str(r, "h\n\"say \"\"hi\"\"\"\n");
	CHECK_STR_EQ(r->rec[1].fields, "say \"hi\"");
	/* Field count, including empty trailing fields. */
	read_str(r, "a,b,c\n1,,\n1,2\n");
	CHECK_INT_EQ(r->rec[1].nfields, 3);
	CHECK_INT_EQ(r->rec[2].nfields, 2);

	/* Empty input: no records. */
	read_str(r, "");
	CHECK_INT_EQ(r->open_rc, 0);
	CHECK_INT_EQ(r->n, 0);
	CHECK_INT_EQ(r->rc, 0);
	free(r);
}

static void
test_problems(void)
{
	struct run *r = calloc(1, sizeof(*r));

	/* A quote inside an unquoted field. */
	read_str(r, "id,name,q\n1,5\" display,3\n2,ok,4\n");
	CHECK_INT_EQ(r->n, 3);
	CHECK_INT_EQ(r->rec[1].problem, RECORD_MALFORMED);
	CHECK_INT_EQ(r->rec[1].line, 2);
	CHECK_STR_EQ(r->rec[1].raw, "1,5\" display,3");
	CHECK_INT_EQ(r->rec[2].problem, RECORD_OK);
	CHECK_INT_EQ(r->rec[2].line, 3);
	CHECK_STR_EQ(r->rec[2].fields, "2|ok|4");

	/* A closing quote followed by text. */
	read_str(r, "id,name\r\n\"x\"y,1\r\n2,ok\r\n");
	CHECK_INT_EQ(r->n, 3);
	CHECK_INT_EQ(r->rec[1].problem, RECORD_MALFORMED);
	CHECK_INT_EQ(r->rec[1].line, 2);
	CHECK_STR_EQ(r->rec[1].raw, "\"x\"y,1");
	CHECK_INT_EQ(r->rec[2].problem, RECORD_OK);
	CHECK_INT_EQ(r->rec[2].line, 3);
	CHECK_STR_EQ(r->rec[2].fields, "2|ok");

	/* A malformed record after a multi-line one keeps the line count. */
	read_str(r, "h1,h2\n\"a\nb\",c\nd\"e,f\ng,h\n");
	CHECK_INT_EQ(r->n, 4);
	CHECK_INT_EQ(r->rec[1].line, 2);
	CHECK_INT_EQ(r->rec[2].line, 4);
	CHECK_INT_EQ(r->rec[2].problem, RECORD_MALFORMED);
	CHECK_INT_EQ(r->rec[3].line, 5);
	CHECK_STR_EQ(r->rec[3].fields, "g|h");

	/* A malformed last line without a line end. */
	read_str(r, "h1,h2\na,b\"c");
	CHECK_INT_EQ(r->n, 2);
	CHECK_INT_EQ(r->rec[1].problem, RECORD_MALFORMED);
	CHECK_STR_EQ(r->rec[1].raw, "a,b\"c");

	/* A quote still open at the end of the file. */
	read_str(r, "h1,h2\nok,1\nbad,\"open\nmore\nrest,2\n");
	CHECK_INT_EQ(r->n, 3);
	CHECK_INT_EQ(r->rec[1].problem, RECORD_OK);
	CHECK_INT_EQ(r->rec[2].problem, RECORD_UNTERMINATED);
	CHECK_INT_EQ(r->rec[2].line, 3);
	CHECK_STR_EQ(r->rec[2].raw, "bad,\"open\nmore\nrest,2");
	CHECK_INT_EQ(r->rc, 0);

	/* A field over the limit rejects its record only. */
	{
		struct records_opts o = { 0, 8, true, 0, false, vector };
		const char *s = "h1,h2,h3\n1,abcdefghijklmnop,3\n2,12345678,4\n\"0123456789\",x,y\n";

		read_all(r, s, strlen(s), &o);
		CHECK_INT_EQ(r->n, 4);
		CHECK_INT_EQ(r->rec[1].problem, RECORD_TOO_LONG);
		CHECK_INT_EQ(r->rec[1].long_field, 1);
		CHECK_INT_EQ(r->rec[1].line, 2);
		CHECK_INT_EQ(r->rec[1].nfields, 3);
		CHECK_STR_EQ(r->rec[1].raw, "1,abcdefghijklmnop,3");
		CHECK_INT_EQ(r->rec[2].problem, RECORD_OK);
		CHECK_STR_EQ(r->rec[2].fields, "2|12345678|4");
		CHECK_INT_EQ(r->rec[2].line, 3);
		CHECK_INT_EQ(r->rec[3].problem, RECORD_TOO_LONG);
		CHECK_INT_EQ(r->rec[3].long_field, 0);
		CHECK_INT_EQ(r->rec[3].line, 4);
	}
	/* A long field (longer than libcsv's block) under a small limit. */
	{
		struct records_opts o = { 0, 16, true, 0, false, vector };
		size_t big = 300000;
		char *s = malloc(big + 64);
		size_t k = 0;

		k += (size_t)sprintf(s, "h1,h2\n1,");
		memset(s + k, 'z', big);
		k += big;
		k += (size_t)sprintf(s + k, "\n2,fine\n");
		read_all(r, s, k, &o);
		CHECK_INT_EQ(r->n, 3);
		CHECK_INT_EQ(r->rec[1].problem, RECORD_TOO_LONG);
		CHECK_INT_EQ(r->rec[1].long_field, 1);
		CHECK_INT_EQ(r->rec[2].problem, RECORD_OK);
		CHECK_INT_EQ(r->rec[2].line, 3);
		CHECK_STR_EQ(r->rec[2].fields, "2|fine");
		free(s);
	}

	/*
	 * The limit measures a field as CSV reads it: without the spaces
	 * around an unquoted field or after a closing quote, also when the
	 * record is still open at the end of a piece of input (the last line
	 * without a line end), through libcsv alone and the fast path alike.
	 */
	for (int only = 0; only < 2; only++) {
		struct records_opts o = { 0, 8, true, 0, only == 1, vector };
		static const char *const fit[] = {
			"h1,h2\n\"q\",12345678   ", "h1,h2\n\"q\",\"12345678\"  \t",
			"h1,h2\nq,12345678 \t ", "h1,h2\n\"q\",\"1234567\"\"\"  ",
		};
		static const char *const over[] = {
			"h1,h2\n\"q\",123456789   ", "h1,h2\n\"q\",\"123456789\"  ",
			"h1,h2\nq,123456789 \t ",
		};

		for (size_t i = 0; i < sizeof(fit) / sizeof(fit[0]); i++) {
			read_all(r, fit[i], strlen(fit[i]), &o);
			CHECK_INT_EQ(r->n, 2);
			CHECK_INT_EQ(r->rec[1].problem, RECORD_OK);
		}
		CHECK_STR_EQ(r->rec[1].fields, "q|1234567\"");
		for (size_t i = 0; i < sizeof(over) / sizeof(over[0]); i++) {
			read_all(r, over[i], strlen(over[i]), &o);
			CHECK_INT_EQ(r->n, 2);
			CHECK_INT_EQ(r->rec[1].problem, RECORD_TOO_LONG);
			CHECK_INT_EQ(r->rec[1].long_field, 1);
		}
	}

	/* Windows-1252 fields are converted and counted. */
	read_str(r, "name,city\nM\xfcller,K\xf6ln\nM\xc3\xbcller,Paris\n\x80 5,x\n");
	CHECK_INT_EQ(r->n, 4);
	CHECK_STR_EQ(r->rec[1].fields, "M\xc3\xbcller|K\xc3\xb6ln");
	CHECK_STR_EQ(r->rec[2].fields, "M\xc3\xbcller|Paris");
	CHECK_STR_EQ(r->rec[3].fields, "\xe2\x82\xac 5|x");
	CHECK_INT_EQ(r->cp1252, 3);
	/* The raw text is kept as read. */
	CHECK_STR_EQ(r->rec[1].raw, "M\xfcller,K\xf6ln");
	/*
	 * A line that is valid UTF-8 as a whole is taken field by field without
	 * a check; one that is not is checked field by field, with or without
	 * quotes, and only its bad fields are converted.
	 */
	read_str(r, "a,b,c\n M\xc3\xbcller ,K\xf6ln,\t\xc3\xa9\t\n"
	    " M\xc3\xbcller ,\"x, \xc3\xa9\"\"\" ,\tz\t\n"
	    "K\xf6ln,\"a\"\"b\",M\xc3\xbc\n"
	    "\xc3\xa9,\"\xf6\",\xc3\n");
	CHECK_INT_EQ(r->n, 5);
	CHECK_STR_EQ(r->rec[1].fields, "M\xc3\xbcller|K\xc3\xb6ln|\xc3\xa9");
	CHECK_STR_EQ(r->rec[2].fields, "M\xc3\xbcller|x, \xc3\xa9\"|z");
	CHECK_STR_EQ(r->rec[3].fields, "K\xc3\xb6ln|a\"b|M\xc3\xbc");
	CHECK_STR_EQ(r->rec[4].fields, "\xc3\xa9|\xc3\xb6|\xc3\x83");
	CHECK_INT_EQ(r->cp1252, 4);
	/*
	 * A line is checked from its first high byte to its last: a bad byte
	 * anywhere after a good one, in any block of the scan, is found.
	 */
	{
		char line[96];
		size_t missed = 0, wrong = 0;

		for (size_t p1 = 0; p1 < 40; p1++)
			for (size_t p2 = p1 + 2; p2 < 80; p2 += 3) {
				memset(line, 'x', sizeof(line));
				memcpy(line, "a\n", 2);
				memcpy(line + 2 + p1, "\xc3\xa9", 2);
				line[2 + p2] = '\xff';
				memcpy(line + 2 + 80, "\n", 2);
				read_all(r, line, 2 + 81, &(struct records_opts){ 0, 0, true, 0, false,
				    vector });
				missed += r->cp1252 != 1;
				/* The same line with the bad byte made part of a good é. */
				memcpy(line + 2 + (p2 == p1 + 2 ? p2 : p2 - 1), "\xc3\xa9", 2);
				read_all(r, line, 2 + 81, &(struct records_opts){ 0, 0, true, 0, false,
				    vector });
				wrong += r->cp1252 != 0;
			}
		CHECK_INT_EQ(missed, 0);
		CHECK_INT_EQ(wrong, 0);
	}
	/* A quoted line's fields past max_kept_fields are counted, not kept. */
	{
		struct records_opts o = { 0, 0, true, 2, false, vector };
		const char *q = "a,b,c,d\n\xc3\xa9,\"2,x\",3,\"4\"\n1,\"2\",3,4\n";

		read_all(r, q, strlen(q), &o);
		CHECK_INT_EQ(r->n, 3);
		CHECK_INT_EQ(r->rec[1].nfields, 4);
		CHECK_STR_EQ(r->rec[1].fields, "\xc3\xa9|2,x");
		CHECK_INT_EQ(r->rec[2].nfields, 4);
		CHECK_STR_EQ(r->rec[2].fields, "1|2");
	}

	/* max_kept_fields bounds what is kept, not what is counted. */
	{
		struct records_opts o = { 0, 0, true, 2, false, vector };
		const char *s = "a,b,c,d\n1,2,3,4\n";

		read_all(r, s, strlen(s), &o);
		CHECK_INT_EQ(r->rec[1].nfields, 4);
		CHECK_STR_EQ(r->rec[1].fields, "1|2");
	}
	free(r);
}

static uint64_t rng = 0x9e3779b97f4a7c15u;

static unsigned
rnd(unsigned n)
{
	return check_random(&rng, n);
}

/*
 * Random lines of every form a field takes, quoted or not, well formed or
 * not, read with the fast paths and through libcsv alone: the same records
 * each way (their lines, problems, fields, raw text), with and without a
 * field limit and a cap on kept fields.
 */
static void
test_quoted_random(void)
{
	static const char *const form[] = {
		"abc", "", "\"x,y\"", "\"a\"\"b\"", "\"\"\"\"", "\"\"", "\"x\" ", " \"x\"",
		"a\"b", "\"x\"y", "\"abc", "\"two\r\nlines\"", "\"lf\nin\"", "caf\xc3\xa9",
		"\"caf\xc3\xa9\"", "\"caf\xe9\"", "caf\xe9", "\"  sp  \"", "  sp  ", "\"\"\"q\"\"\"",
		"\"a;b\"", "\"end\"\"\"", "\"\ttab\t\"", "\ttab\t", "\"x\"\t",
	};
	static const char *const eol[] = { "\n", "\r\n", "\r" };
	struct run *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));

	for (int iter = 0; iter < 4000; iter++) {
		char data[2048];
		size_t len = 0;
		int lines = 1 + (int)rnd(6);
		struct records_opts oa = { 0, 0, true, 0, false, vector }, ob;

		len += (size_t)snprintf(data, sizeof(data), "h1,h2,h3%s", eol[rnd(3)]);
		for (int l = 0; l < lines; l++) {
			int nf = 1 + (int)rnd(5);

			for (int f = 0; f < nf; f++) {
				const char *x = form[rnd(sizeof(form) / sizeof(form[0]))];

				len += (size_t)snprintf(data + len, sizeof(data) - len, "%s%s",
				    f ? "," : "", x);
			}
			if (l + 1 < lines || rnd(2))
				len += (size_t)snprintf(data + len, sizeof(data) - len, "%s",
				    eol[rnd(3)]);
		}
		if (rnd(4) == 0)
			oa.max_field_bytes = 1 + rnd(6);
		if (rnd(4) == 0)
			oa.max_kept_fields = 1 + rnd(3);
		ob = oa;
		ob.libcsv_only = true;
		read_all(a, data, len, &oa);
		read_all(b, data, len, &ob);
		CHECK_INT_EQ(a->n, b->n);
		CHECK_INT_EQ(a->rc, b->rc);
		CHECK_INT_EQ(a->cp1252, b->cp1252);
		CHECK_INT_EQ(a->lines, b->lines);
		for (size_t i = 0; i < a->n && i < b->n; i++) {
			CHECK_INT_EQ(a->rec[i].line, b->rec[i].line);
			CHECK_INT_EQ(a->rec[i].problem, b->rec[i].problem);
			CHECK_INT_EQ(a->rec[i].nfields, b->rec[i].nfields);
			CHECK_INT_EQ(a->rec[i].long_field, b->rec[i].long_field);
			CHECK_STR_EQ(a->rec[i].fields, b->rec[i].fields);
			CHECK_STR_EQ(a->rec[i].raw, b->rec[i].raw);
		}
	}
	free(a);
	free(b);
}

void
test_records(void)
{
	/*
	 * Every test with the widest line scan this processor takes and with
	 * 16 bytes, each with records read lazily and not.
	 */
	unsigned widths[2] = { 0, 16 };

	CHECK(linescan_vector_bytes(16) == 16);
	CHECK(linescan_vector_bytes(0) >= 16);
	for (int i = 0; i < 4; i++) {
		if (i >= 2 && linescan_vector_bytes(0) == 16)
			break;	/* the same scan twice */
		vector = widths[i / 2];
		lazy = i % 2;
		test_delimiter();
		test_lines();
		test_problems();
		test_quoted_random();
	}
}

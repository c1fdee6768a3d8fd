/*
 * fuzz_records: bytes -> records, the whole input layer.
 *
 * Every input is read several ways:
 *  - from memory (input_open_mem) with the command line's defaults, so the
 *    seeds from tests/cases are parsed as skuscan parses them (memory inputs
 *    do not sniff gzip, but BOMs and UTF-16 are still detected); once with
 *    the quote-free fast path and once through libcsv alone;
 *  - as one range and in chunks, as ingest's mapped, parallel reader reads
 *    a large file; all of these must give the same records;
 *  - from a file (input_open on a memfd), which adds gzip and the refusal
 *    of zip/bzip2/xz/zstd, with options chosen by a hash of the input: a
 *    forced or detected delimiter, a small or large field limit, a forced
 *    encoding now and then, the "#TYPE" line on or off.
 * The first record goes through header_map and header_check for both kinds
 * of export, as ingest does, and every record is checked against the
 * contract of records.h (trimmed UTF-8 fields of their length, lines that
 * never go back). A file read to its end must report all of its bytes and
 * their CRC-32.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

#include "chunks.h"
#include "header.h"
#include "input.h"
#include "records.h"
#include "text.h"

#define CHECK(c)                                                                         \
	do {                                                                             \
		if (!(c)) {                                                              \
			fprintf(stderr, "fuzz_records: %s:%d: check failed: %s\n", __FILE__, \
			    __LINE__, #c);                                               \
			abort();                                                         \
		}                                                                        \
	} while (0)

static volatile unsigned sink;
static int memfd = -1;
/* Whether the records after a header are read lazily (records_lazy), as ingest does. */
static bool lazy_pass;
static char memfd_path[64];

/* Touches n bytes so that AddressSanitizer sees any read out of bounds. */
static void
touch(const char *s, size_t n)
{
	unsigned h = 0;

	for (size_t i = 0; i < n; i++)
		h = h * 31 + (unsigned char)s[i];
	sink += h;
}

static void
check_diag(const struct diag *d)
{
	CHECK(memchr(d->msg, '\0', sizeof(d->msg)) != NULL);
	CHECK(memchr(d->file, '\0', sizeof(d->file)) != NULL);
	CHECK(d->msg[0] != '\0');
}

static void
check_record(const struct record *rec, const struct records_opts *o, size_t max_kept,
    uint64_t prev_line)
{
	CHECK(rec->line >= 1);
	CHECK(rec->line >= prev_line);
	CHECK(rec->kept <= rec->nfields);
	if (max_kept > 0)
		CHECK(rec->kept <= max_kept);
	CHECK(rec->raw != NULL || rec->raw_len == 0);
	touch(rec->raw, rec->raw_len);
	if (rec->problem == RECORD_TOO_LONG)
		CHECK(rec->long_field <= rec->nfields);
	for (size_t i = 0; i < rec->kept; i++) {
		size_t n;
		const char *f = records_field(rec, i, &n);

		CHECK(f != NULL);
		touch(f, n);
		CHECK(text_utf8_valid(f, n));
		if (n > 0) {
			CHECK(f[0] != ' ' && f[0] != '\t');
			CHECK(f[n - 1] != ' ' && f[n - 1] != '\t');
		}
		/* Windows-1252 at most triples a field's bytes. */
		if (o->max_field_bytes > 0 && rec->problem == RECORD_OK)
			CHECK(n <= 3 * o->max_field_bytes);
	}
}

/* What one record looked like, to compare two ways of reading a text. */
struct digest {
	uint64_t line;
	int problem;
	size_t nfields, kept, long_field, raw_len;
	bool raw_truncated;
	uint32_t raw_hash, field_hash;
};

struct pass {
	struct digest *v;
	size_t n, cap;
	uint64_t lines;		/* records_lines at the end */
	uint64_t cp1252;	/* fields converted from Windows-1252 */
	int status;		/* 0 read to the end, -1 failed */
};

static uint32_t
hash_add(uint32_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

static void
pass_add(struct pass *p, const struct record *rec)
{
	struct digest *g;

	if (p == NULL)
		return;
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 16;
		p->v = realloc(p->v, p->cap * sizeof(*p->v));
		CHECK(p->v != NULL);
	}
	g = &p->v[p->n++];
	memset(g, 0, sizeof(*g));
	g->line = rec->line;
	g->problem = (int)rec->problem;
	g->nfields = rec->nfields;
	g->kept = rec->kept;
	g->long_field = rec->problem == RECORD_TOO_LONG ? rec->long_field : 0;
	g->raw_len = rec->raw_len;
	g->raw_truncated = rec->raw_truncated;
	g->raw_hash = hash_add(2166136261u, rec->raw, rec->raw_len);
	g->field_hash = 2166136261u;
	for (size_t i = 0; i < rec->kept; i++) {
		size_t n;
		const char *f = records_field(rec, i, &n);

		g->field_hash = hash_add(g->field_hash, &n, sizeof(n));
		g->field_hash = hash_add(g->field_hash, f, n);
	}
}

static void
pass_add_digest(struct pass *p, const struct digest *g)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 16;
		p->v = realloc(p->v, p->cap * sizeof(*p->v));
		CHECK(p->v != NULL);
	}
	p->v[p->n++] = *g;
}

/*
 * The two passes read the same records. With raw_strict false, the raw text
 * of a record is compared only when neither pass cut it short.
 */
static void
pass_compare(const struct pass *a, const struct pass *b, bool raw_strict)
{
	CHECK(a->status == b->status);
	if (a->status != 0)
		return;
	CHECK(a->n == b->n);
	CHECK(a->lines == b->lines);
	for (size_t i = 0; i < a->n; i++) {
		const struct digest *x = &a->v[i], *y = &b->v[i];

		CHECK(x->line == y->line);
		CHECK(x->problem == y->problem);
		CHECK(x->nfields == y->nfields);
		CHECK(x->kept == y->kept);
		CHECK(x->long_field == y->long_field);
		CHECK(x->field_hash == y->field_hash);
		if (raw_strict || (!x->raw_truncated && !y->raw_truncated)) {
			CHECK(x->raw_truncated == y->raw_truncated);
			CHECK(x->raw_len == y->raw_len);
			CHECK(x->raw_hash == y->raw_hash);
		}
	}
}

static void
pass_free(struct pass *p)
{
	free(p->v);
	memset(p, 0, sizeof(*p));
}

/* The header record, as ingest takes it: both alias tables. */
static void
header_try(const struct record *rec, unsigned check_kinds)
{
	int scol[SF_COUNT], lcol[LF_COUNT];
	struct diag hd;

	memset(&hd, 0, sizeof(hd));
	header_map(HEADER_SUBSCRIPTIONS, rec->field, rec->len, rec->kept, scol);
	if ((check_kinds & 1) && header_check(HEADER_SUBSCRIPTIONS, "fuzz", rec->field,
	    rec->len, rec->kept, scol, &hd) != 0)
		check_diag(&hd);
	header_map(HEADER_LICENSES, rec->field, rec->len, rec->kept, lcol);
	if ((check_kinds & 2) && header_check(HEADER_LICENSES, "fuzz", rec->field, rec->len,
	    rec->kept, lcol, &hd) != 0)
		check_diag(&hd);
	for (int i = 0; i < SF_COUNT; i++)
		CHECK(scol[i] >= -1 && scol[i] < (int)rec->kept);
	for (int i = 0; i < LF_COUNT; i++)
		CHECK(lcol[i] >= -1 && lcol[i] < (int)rec->kept);
}

/*
 * Reads the records of r to the end, checking each; the first is the
 * header, after which (with keep) only as many fields are kept as it has,
 * as ingest does. headers says which kinds header_check tries (bit 0:
 * subscriptions, bit 1: licenses; it is most of the cost of a run, and a
 * first record of thousands of fields is no header: only mapped, and only
 * when bit 2 is set). Digests go to p when not NULL. Returns 0 at the end,
 * -1 on an input error. Frees r.
 */
static int
drain(struct records *r, const struct records_opts *o, bool keep, unsigned headers,
    struct pass *p)
{
	struct record *rec;
	struct diag d;
	uint64_t prev = 1, count = 0;
	size_t max_kept = o->max_kept_fields;
	int k;

	memset(&d, 0, sizeof(d));
	CHECK(records_delimiter(r) != '\0');
	if (o->delimiter != 0)
		CHECK(records_delimiter(r) == o->delimiter);
	while ((k = records_next(r, &rec, &d)) == 1) {
		check_record(rec, o, max_kept, prev);
		prev = rec->line;
		pass_add(p, rec);
		if (count++ > 0)
			continue;
		if (headers != 0 && rec->kept <= 256)
			header_try(rec, headers & 3);
		else if (headers & 4)
			header_try(rec, 0);
		if (keep) {
			max_kept = rec->nfields;
			records_keep_fields(r, max_kept);
			records_lazy(r, lazy_pass);
		}
	}
	if (k < 0)
		check_diag(&d);
	CHECK(records_lines(r) >= prev);
	if (p != NULL) {
		p->lines = records_lines(r);
		p->status = k < 0 ? -1 : 0;
	}
	if (p != NULL)
		p->cp1252 = records_cp1252_fields(r);
	records_free(r);
	return k < 0 ? -1 : 0;
}

/* Opens in and drains it; -1 if it cannot be opened or read. */
static int
read_all(struct input *in, const struct records_opts *o, bool keep, unsigned headers,
    struct pass *p)
{
	struct records *r = NULL;
	struct diag d;

	memset(&d, 0, sizeof(d));
	if (records_open(&r, in, "fuzz", o, &d) != 0) {
		CHECK(r == NULL);
		check_diag(&d);
		if (p != NULL)
			p->status = -1;
		return -1;
	}
	return drain(r, o, keep, headers, p);
}

/* The whole text as one range, as the mapped reader sees a file. */
static void
read_range(const char *text, size_t n, const struct records_opts *o, struct pass *p)
{
	struct records *r = NULL;
	struct diag d;

	memset(&d, 0, sizeof(d));
	if (records_open_range(&r, text, n, "fuzz", o, 1, false, &d) != 0) {
		check_diag(&d);
		p->status = -1;
		return;
	}
	CHECK(drain(r, o, true, 0, p) == 0);
}

/*
 * Parses range g of text as ingest's parallel reader does, one chunk or
 * a range the merging thread reads again: lines count from g->line; with
 * g->partial, a record still open at g->to is reported in *c. Adds the
 * records to p.
 */
static void
read_chunk(const char *text, const struct chunks_range *g, const struct records_opts *o,
    size_t ncols, struct chunks_parsed *c, uint64_t *lines, struct pass *p)
{
	struct records *r = NULL;
	struct record *rec;
	struct diag d;
	int k;

	memset(&d, 0, sizeof(d));
	CHECK(records_open_range(&r, text + g->from, g->to - g->from, "fuzz", o, g->line,
	    g->partial, &d) == 0);
	records_keep_fields(r, ncols);
	records_lazy(r, lazy_pass);
	while ((k = records_next(r, &rec, &d)) == 1) {
		check_record(rec, o, ncols, g->line);
		pass_add(p, rec);
	}
	CHECK(k == 0);
	CHECK(records_offset(r) <= g->to - g->from);
	c->end = g->to;
	c->ended_inside = records_ended_inside(r, &c->open_at, &c->open_line);
	if (c->ended_inside) {
		CHECK(g->partial);
		CHECK(c->open_at < g->to - g->from);
		CHECK(c->open_line >= g->line);
		c->open_at += g->from;
	}
	*lines = records_lines(r);
	c->lines = *lines - 1;
	p->cp1252 += records_cp1252_fields(r);
	records_free(r);
}

/*
 * The text as ingest's parallel reader reads a large file: the header on
 * its own, then the chunks ingest would cut (chunks_plan, here of about
 * `size` bytes), each parsed on its own with chunk-relative lines and put
 * back in order by ingest's own merge (chunks_merge_*), which has a chunk
 * that starts inside a record read again from that record's start. Must
 * give what one reader gives.
 */
static void
read_chunked(const char *text, size_t n, const struct records_opts *o, size_t size,
    struct pass *p)
{
	struct records_opts co = *o;
	struct records *r = NULL;
	struct record *rec;
	struct diag d;
	struct chunks_mem src = { text, n };
	struct chunks_span *span;
	struct chunks_merge mg;
	struct chunks_range g, rest;
	size_t nspan, ncols, from;
	uint64_t lines;
	int k;

	memset(&d, 0, sizeof(d));
	if (records_open_range(&r, text, n, "fuzz", o, 1, false, &d) != 0) {
		p->status = -1;
		return;
	}
	k = records_next(r, &rec, &d);
	CHECK(k >= 0);
	if (k == 0) {
		p->lines = records_lines(r);
		records_free(r);
		return;
	}
	pass_add(p, rec);
	p->cp1252 = records_cp1252_fields(r);	/* the header's */
	ncols = rec->nfields;
	from = records_offset(r);
	chunks_merge_init(&mg, n, records_lines(r));
	co.delimiter = records_delimiter(r);
	co.type_line = false;
	records_free(r);
	nspan = chunks_plan(chunks_read_mem, &src, from, n, size, SIZE_MAX, &span);
	CHECK(nspan > 0 || from == n);
	for (size_t i = 0; i < nspan && !mg.done; i++) {
		struct chunks_parsed c = { 0 }, again = { 0 };
		struct pass chunk = { 0 };

		CHECK(span[i].start == (i == 0 ? from : span[i - 1].end));
		CHECK(span[i].end > span[i].start && span[i].end <= n);
		g = (struct chunks_range){ span[i].start, span[i].end, 1, true };
		read_chunk(text, &g, &co, ncols, &c, &lines, &chunk);
		if (chunks_merge_next(&mg, &c, &g)) {
			/* The chunk starts inside a record: read on from its start. */
			read_chunk(text, &g, &co, ncols, &again, &lines, p);
			if (chunks_merge_parsed(&mg, &g, again.ended_inside, again.open_at,
			    again.open_line, lines, &rest)) {
				read_chunk(text, &rest, &co, ncols, &again, &lines, p);
				CHECK(!chunks_merge_parsed(&mg, &rest, again.ended_inside,
				    again.open_at, again.open_line, lines, &rest));
				CHECK(mg.done);
			}
		} else {
			for (size_t j = 0; j < chunk.n; j++) {
				chunk.v[j].line += mg.line - 1;
				pass_add_digest(p, &chunk.v[j]);
			}
			p->cp1252 += chunk.cp1252;
			chunks_merge_applied(&mg, &c);
		}
		pass_free(&chunk);
	}
	free(span);
	if (chunks_merge_end(&mg, &g)) {
		struct chunks_parsed c = { 0 };

		read_chunk(text, &g, &co, ncols, &c, &lines, p);
		(void)chunks_merge_parsed(&mg, &g, c.ended_inside, c.open_at, c.open_line, lines,
		    &rest);
	}
	p->lines = mg.line;
}

static uint32_t
fnv1a(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char delims[] = { 0, 0, 0, 0, ',', ';', '\t', '|' };
	static const size_t limits[] = { 1048576, 64, 1, 1024, 0 };
	static const char *encodings[] = { "UTF-16LE", "UTF-16BE", "WINDOWS-1252", "UTF-8" };
	const char *text = (const char *)data;
	uint32_t h = fnv1a(data, size);
	struct records_opts o = { 0, 1048576, true, 0, false, 0 }, o16;
	struct pass pa = { 0 }, pb = { 0 }, pc = { 0 }, pd = { 0 };
	struct input *in;
	struct diag d;
	const char *enc = NULL;
	bool gzip = size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
	bool bom = size >= 2 && (memcmp(data, "\xfe\xff", 2) == 0 ||
	    memcmp(data, "\xff\xfe", 2) == 0 || (size >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0));

	/*
	 * 1. From memory, as the command line reads a file by default (now
	 * and then with a small field limit); then again through libcsv
	 * alone, which must give the same records as the quote-free fast path.
	 */
	o.max_field_bytes = (h >> 20) % 3 == 0 ? 16 : 1048576;
	lazy_pass = false;
	in = input_open_mem("fuzz", text, size);
	if (read_all(in, &o, true, 7, &pa) == 0)
		CHECK(input_bytes(in) == size);
	(void)input_describe(in);
	input_close(in);
	o.libcsv_only = true;
	in = input_open_mem("fuzz", text, size);
	(void)read_all(in, &o, true, 0, &pb);
	input_close(in);
	o.libcsv_only = false;
	pass_compare(&pa, &pb, true);

	/*
	 * 2. The same text as the mapped reader sees it, whole and in chunks
	 * (ingest hands it UTF-8 only: a file with a byte order mark is read
	 * the other way), with lazy records as ingest reads them; the chunks
	 * with the 16-byte line scan, which must give what the widest one gives.
	 */
	if (!bom) {
		lazy_pass = true;
		read_range(text, size, &o, &pc);
		pass_compare(&pa, &pc, false);
		o16 = o;
		o16.vector_bytes = 16;
		read_chunked(text, size, &o16, 1 + (h >> 22) % 256, &pd);
		pass_compare(&pc, &pd, true);
		/* Each converted field counted once, however the text was cut. */
		if (pc.status == 0 && pd.status == 0)
			CHECK(pc.cp1252 == pd.cp1252);
	}
	pass_free(&pa);
	pass_free(&pb);
	pass_free(&pc);
	pass_free(&pd);

	/* 3. From a file, with options chosen by the hash. */
	if (memfd < 0) {
		memfd = memfd_create("fuzz_records", 0);
		CHECK(memfd >= 0);
		snprintf(memfd_path, sizeof(memfd_path), "/proc/self/fd/%d", memfd);
	}
	CHECK(ftruncate(memfd, 0) == 0);
	CHECK(size == 0 || pwrite(memfd, data, size, 0) == (ssize_t)size);
	o.delimiter = delims[h & 7];
	o.max_field_bytes = limits[(h >> 3) % 5];
	/* No limit on a gzip bomb would only measure libcsv's linear growth. */
	if (o.max_field_bytes == 0 && gzip)
		o.max_field_bytes = 1048576;
	o.type_line = (h >> 6) & 1;
	o.max_kept_fields = ((h >> 7) & 3) == 0 ? 3 : 0;
	o.libcsv_only = (h >> 16) & 1;
	o.vector_bytes = (h >> 17) & 1 ? 16 : 0;
	lazy_pass = (h >> 18) & 1;
	if (((h >> 9) & 7) == 0)
		enc = encodings[(h >> 12) & 3];
	memset(&d, 0, sizeof(d));
	if (input_open(&in, memfd_path, enc, &d) != 0) {
		CHECK(in == NULL);
		check_diag(&d);
		return 0;
	}
	CHECK(size > 0);
	if (read_all(in, &o, ((h >> 14) & 1) != 0, 1u << ((h >> 15) & 1), NULL) == 0) {
		CHECK(input_bytes(in) == size);
		CHECK(input_crc(in) == (uint32_t)crc32(crc32(0, NULL, 0), data, (uInt)size));
	}
	CHECK(input_size(in) == size);
	(void)input_describe(in);
	input_close(in);
	return 0;
}

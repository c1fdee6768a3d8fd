/*
 * fuzz_records: bytes -> records, the whole input layer.
 *
 * Every input is read twice:
 *  - from memory (input_open_mem) with the command line's defaults, so the
 *    seeds from tests/cases are parsed as skuscan parses them (memory inputs
 *    do not sniff gzip, but BOMs and UTF-16 are still detected);
 *  - from a file (input_open on a memfd), which adds gzip and the refusal
 *    of zip/bzip2/xz/zstd, with options chosen by a hash of the input: a
 *    forced or detected delimiter, a small or large field limit, a forced
 *    encoding now and then, the "#TYPE" line on or off.
 * The first record goes through header_map and header_check for both kinds
 * of export, as ingest does, and every record is checked against the
 * contract of records.h (trimmed, NUL-terminated UTF-8 fields, lines that
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
		const char *f = rec->field[i];
		size_t n = rec->len[i];

		CHECK(f != NULL);
		touch(f, n);
		CHECK(f[n] == '\0');
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

/*
 * Reads every record of in; returns 0 at the end, -1 on an input error.
 * check_kinds says which kinds of export header_check tries (bit 0:
 * subscriptions, bit 1: licenses): it is most of the cost of a run.
 */
static int
read_all(struct input *in, const struct records_opts *o, bool keep_after_header,
    unsigned check_kinds)
{
	struct records *r = NULL;
	struct record *rec;
	struct diag d;
	uint64_t prev = 1, count = 0;
	size_t max_kept = o->max_kept_fields;
	int k;

	memset(&d, 0, sizeof(d));
	if (records_open(&r, in, "fuzz", o, &d) != 0) {
		CHECK(r == NULL);
		check_diag(&d);
		return -1;
	}
	CHECK(records_delimiter(r) != '\0');
	if (o->delimiter != 0)
		CHECK(records_delimiter(r) == o->delimiter);
	while ((k = records_next(r, &rec, &d)) == 1) {
		check_record(rec, o, max_kept, prev);
		prev = rec->line;
		if (count++ == 0) {
			int scol[SF_COUNT], lcol[LF_COUNT];
			struct diag hd;

			memset(&hd, 0, sizeof(hd));
			header_map(HEADER_SUBSCRIPTIONS, rec->field, rec->len, rec->kept, scol);
			if ((check_kinds & 1) && header_check(HEADER_SUBSCRIPTIONS, "fuzz",
			    rec->field, rec->len, rec->kept, scol, &hd) != 0)
				check_diag(&hd);
			header_map(HEADER_LICENSES, rec->field, rec->len, rec->kept, lcol);
			if ((check_kinds & 2) && header_check(HEADER_LICENSES, "fuzz",
			    rec->field, rec->len, rec->kept, lcol, &hd) != 0)
				check_diag(&hd);
			for (int i = 0; i < SF_COUNT; i++)
				CHECK(scol[i] >= -1 && scol[i] < (int)rec->kept);
			for (int i = 0; i < LF_COUNT; i++)
				CHECK(lcol[i] >= -1 && lcol[i] < (int)rec->kept);
			if (keep_after_header) {
				max_kept = rec->nfields;
				records_keep_fields(r, max_kept);
			}
		}
	}
	if (k < 0)
		check_diag(&d);
	CHECK(records_lines(r) >= prev);
	(void)records_cp1252_fields(r);
	records_free(r);
	return k < 0 ? -1 : 0;
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
	struct records_opts o = { 0, 1048576, true, 0 };
	struct input *in;
	struct diag d;
	uint32_t h = fnv1a(data, size);
	const char *enc = NULL;
	bool gzip = size >= 2 && data[0] == 0x1f && data[1] == 0x8b;

	/* 1. From memory, as the command line reads a file by default. */
	in = input_open_mem("fuzz", (const char *)data, size);
	if (read_all(in, &o, true, 3) == 0)
		CHECK(input_bytes(in) == size);
	(void)input_describe(in);
	input_close(in);

	/* 2. From a file, with options chosen by the hash. */
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
	if (((h >> 9) & 7) == 0)
		enc = encodings[(h >> 12) & 3];
	memset(&d, 0, sizeof(d));
	if (input_open(&in, memfd_path, enc, &d) != 0) {
		CHECK(in == NULL);
		check_diag(&d);
		return 0;
	}
	CHECK(size > 0);
	if (read_all(in, &o, ((h >> 14) & 1) != 0, 1u << ((h >> 15) & 1)) == 0) {
		CHECK(input_bytes(in) == size);
		CHECK(input_crc(in) == (uint32_t)crc32(crc32(0, NULL, 0), data, (uInt)size));
	}
	CHECK(input_size(in) == size);
	(void)input_describe(in);
	input_close(in);
	return 0;
}

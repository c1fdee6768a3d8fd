/*
 * records: CSV records from an input, parsed by libcsv in strict mode, with
 * the physical line where each record starts and its raw text for
 * rejects.csv. Detects the delimiter from the header line, skips a
 * PowerShell "#TYPE" line, trims every field, reads a field that is not
 * valid UTF-8 as Windows-1252, and bounds the memory one field can take.
 *
 * A struct record returned by records_next is borrowed: it and its fields
 * stay valid until the next call. The struct records owns its buffers but
 * not the input, which the caller closes after records_free.
 */
#ifndef SKUSCAN_RECORDS_H
#define SKUSCAN_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "input.h"

enum record_problem {
	RECORD_OK,
	RECORD_MALFORMED,	/* a stray or misplaced quote */
	RECORD_UNTERMINATED,	/* a quote still open at the end of the file */
	RECORD_TOO_LONG,	/* a field over the limit; its bytes were dropped */
	RECORD_NUL		/* a field holds a NUL byte (binary data) */
};

struct record {
	uint64_t line;		/* physical line where the record starts */
	const char *raw;	/* the record's text, without its line end */
	size_t raw_len;
	bool raw_truncated;	/* raw holds only the first bytes */
	size_t nfields;		/* fields seen (all counted, not all kept) */
	size_t kept;		/* fields kept in field[] and len[] */
	const char **field;	/* trimmed, UTF-8, NOT NUL-terminated: use len */
	size_t *len;
	enum record_problem problem;
	size_t long_field;	/* index of the field too long or holding a NUL */
	bool lazy;		/* field[] and len[] not filled: see records_lazy */
	const struct records *from;	/* the reader, for records_field */
};

struct records_opts {
	char delimiter;			/* 0: detect from the header line */
	size_t max_field_bytes;		/* 0: no limit */
	bool type_line;			/* a file's start: skip a "#TYPE " line, refuse
					   binary data (NUL bytes in the first line) */
	size_t max_kept_fields;		/* keep at most this many fields (0: all) */
	bool libcsv_only;		/* every line through libcsv, no fast path */
	unsigned vector_bytes;		/* the line scan's block: 0 the widest the
					   processor takes, 16 the narrower (tests) */
};

struct records;

/* Start reading in; peeks at the header line to choose the delimiter. */
int records_open(struct records **r, struct input *in, const char *name,
    const struct records_opts *o, struct diag *d);
/*
 * Records of the n bytes at data (not copied: they must outlive r), which
 * start at a record boundary on physical line `line`. With partial, the
 * range may end inside a record: records_next then ends, and
 * records_ended_inside tells where that record started.
 */
int records_open_range(struct records **r, const char *data, size_t n, const char *name,
    const struct records_opts *o, uint64_t line, bool partial, struct diag *d);
/* Bytes of the range or buffer consumed so far (range mode: an offset). */
size_t records_offset(const struct records *r);
/* After the end of a partial range: true, with the open record's start. */
bool records_ended_inside(const struct records *r, size_t *start, uint64_t *line);
/* Fields of the next record are kept up to this many (after the header). */
void records_keep_fields(struct records *r, size_t max_kept_fields);
/*
 * With on, a record that needs no check or conversion (most of them)
 * comes with rec->lazy set and its fields found only when asked for
 * through records_field: for callers that read a few fields of most
 * records. Off by default.
 */
void records_lazy(struct records *r, bool on);
/* Field i (< rec->kept) of a record, lazy or not, and its length. */
const char *records_field(const struct record *rec, size_t i, size_t *len);
/* 1 with *rec set, 0 at the end, -1 with d filled on an input error. */
int records_next(struct records *r, struct record **rec, struct diag *d);
/* The delimiter in use. */
char records_delimiter(const struct records *r);
/*
 * Fields converted from Windows-1252 so far; not those of a record a
 * partial range ended inside, which is read again from its start.
 */
uint64_t records_cp1252_fields(const struct records *r);
/* Physical lines read so far. */
uint64_t records_lines(const struct records *r);
void records_free(struct records *r);

#endif

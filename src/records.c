/*
 * records: libcsv driven one physical line at a time.
 *
 * Feeding libcsv a line (a "segment": up to and including one CR, LF or
 * CRLF) per call lets us count physical lines and know where each record
 * starts and ends in our buffer, which libcsv's callbacks do not tell.
 * The buffer keeps every byte from the start of the record being parsed,
 * so its raw text is at hand for rejects.csv without copying each line.
 */
#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "linescan.h"
#include "mem.h"
#include "records.h"
#include "text.h"

#define READ_SIZE (1024 * 1024)
#define SEG_MAX (64 * 1024)	/* longest piece of a line fed at once */
#define RAW_KEEP (64 * 1024)	/* raw text kept for rejects.csv, at most */

/* libcsv's parser state between records (ROW_NOT_BEGUN in libcsv.c). */
#define CSV_STATE_ROW_NOT_BEGUN 0
#define CSV_STATE_FIELD_NOT_BEGUN 1
#define CSV_STATE_FIELD_BEGUN 2
#define CSV_STATE_FIELD_MIGHT_HAVE_ENDED 3

/* A field as middle_measure finds it: buf[at, at + len), inside its quotes if quoted. */
struct span {
	size_t at, len;
	bool quoted;
	bool pairs;		/* its quote pairs still doubled */
};

struct records {
	struct input *in;
	const char *name;
	struct csv_parser csv;
	unsigned char csv_opts;
	char delim;
	size_t max_field;
	size_t max_kept;
	size_t raw_keep;	/* raw text kept per record, at most */

	char *buf;
	size_t cap, len, pos;
	bool eof;
	bool borrowed;		/* buf is the caller's range: never grown or freed */
	bool partial;		/* the range may end inside a record */
	bool libcsv_only;	/* no quote-free fast path (to compare both) */
	bool lazy;		/* see records_lazy */
	size_t lazy_start, lazy_stop;	/* a lazy record's line, its fields between dpos */
	bool lazy_quoted;	/* each of them quoted whole, with no other quote */
	bool ended_inside;	/* the range ended inside a record */

	uint64_t line;		/* current physical line, 1-based */
	uint64_t cp1252;
	uint64_t cp1252_begin;	/* cp1252 when the open record began */

	/* The record being assembled. */
	bool in_record;
	size_t rec_start;	/* offset in buf while the raw text is kept */
	bool rec_done;
	bool skipping;		/* after a parse error: drop the rest of the line */
	bool discard;		/* callbacks ignore what libcsv hands them */
	struct buf rawhead;	/* first bytes of a record too long to keep */
	bool raw_truncated;
	struct buf fbuf;	/* field bytes, each NUL-terminated */
	size_t *foff, *flen;	/* each field's offset and length */
	bool *fsrc;		/* true: the offset is in buf, else in fbuf */
	size_t fcap;
	struct buf conv;
	struct record rec;
	const char **fptr;
	size_t fptr_cap;
	struct linescan ls;	/* the line scan: the line's delimiters, high bytes */
	/*
	 * A line with quotes that fast_line measured for split_quoted: where
	 * it ends, its last quote, the number of delimiters before its first
	 * quote (dpos[0..pre_nd0)); all its delimiters are in dpos. Only
	 * while pre.
	 */
	bool pre;
	bool pre_high;
	size_t pre_end, pre_term, pre_q2, pre_nd0;
	size_t pre_nquote;	/* the line's quotes */
	/* middle_measure's fields, and a field's value with its quote pairs made one. */
	struct span *span;
	size_t span_cap;
	struct buf unq;
};

/* Room in foff, flen and fsrc for need fields. */
static void
fields_room(struct records *r, size_t need)
{
	if (need > r->fcap) {
		size_t cap = r->fcap;

		mem_grow((void **)&r->foff, &r->fcap, need, sizeof(size_t));
		r->flen = mem_realloc(r->flen, r->fcap * sizeof(size_t));
		mem_grow((void **)&r->fsrc, &cap, need, sizeof(bool));
	}
}

/* Notes the next kept field, f of n bytes: where it is in buf (in_buf), else a copy. */
static void
field_note(struct records *r, const char *f, size_t n, bool in_buf)
{
	struct record *rec = &r->rec;

	fields_room(r, rec->kept + 1);
	r->fsrc[rec->kept] = in_buf;
	r->flen[rec->kept] = n;
	if (in_buf) {
		r->foff[rec->kept] = (size_t)(f - r->buf);
	} else {
		r->foff[rec->kept] = r->fbuf.len;
		buf_add(&r->fbuf, f, n);
	}
	rec->kept++;
}

/*
 * Keeps field f of n bytes: checked against the limit and (may_nul) for NUL bytes,
 * trimmed, read as Windows-1252 unless valid UTF-8 (ascii: known to be
 * ASCII already). A field inside r->buf (in_buf) is kept where it is;
 * others are copied.
 */
static void
field_keep(struct records *r, const char *f, size_t n, bool in_buf, bool ascii, bool may_nul)
{
	struct record *rec = &r->rec;

	rec->nfields++;
	if (r->max_field && n > r->max_field && rec->problem == RECORD_OK) {
		rec->problem = RECORD_TOO_LONG;
		rec->long_field = rec->nfields - 1;
	}
	if (rec->problem != RECORD_OK || (r->max_kept && rec->kept >= r->max_kept))
		return;
	if (may_nul && memchr(f, '\0', n) != NULL) {
		rec->problem = RECORD_NUL;
		rec->long_field = rec->nfields - 1;
		return;
	}
	n = text_trim(&f, n);
	if (!ascii && !text_ascii(f, n) && !text_utf8_valid(f, n)) {
		r->conv.len = 0;
		text_cp1252_to_utf8(&r->conv, f, n);
		f = r->conv.data;
		n = r->conv.len;
		r->cp1252++;
		in_buf = false;
	}
	field_note(r, f, n, in_buf);
}

/* libcsv's field callback: its buffer is reused, so the field is copied. */
static void
on_field(void *s, size_t n, void *data)
{
	struct records *r = data;

	if (!r->discard)
		field_keep(r, s ? s : "", n, false, false, true);
}

static void
on_row(int c, void *data)
{
	struct records *r = data;

	(void)c;
	if (!r->discard)
		r->rec_done = true;
}

/* Puts libcsv back between records, dropping whatever it held. */
static void
parser_reset(struct records *r)
{
	r->discard = true;
	csv_set_opts(&r->csv, r->csv_opts & ~CSV_STRICT_FINI);
	csv_fini(&r->csv, on_field, on_row, r);
	csv_set_opts(&r->csv, r->csv_opts);
	r->discard = false;
}

static void
record_begin(struct records *r, size_t at)
{
	struct record *rec = &r->rec;

	r->in_record = true;
	r->rec_start = at;
	r->rec_done = false;
	r->raw_truncated = false;
	r->rawhead.len = 0;
	r->fbuf.len = 0;
	r->cp1252_begin = r->cp1252;
	memset(rec, 0, sizeof(*rec));
	rec->line = r->line;
}

/* Completes r->rec with its raw text ending at offset end of buf. */
static struct record *
record_finish(struct records *r, size_t end)
{
	struct record *rec = &r->rec;

	if (r->raw_truncated) {
		rec->raw = r->rawhead.data;
		rec->raw_len = r->rawhead.len;
		rec->raw_truncated = true;
	} else {
		rec->raw = r->buf + r->rec_start;
		rec->raw_len = end - r->rec_start;
		if (rec->raw_len > r->raw_keep) {
			/* The same cut whether or not the buffer held it all. */
			rec->raw_len = text_utf8_cut(rec->raw, r->raw_keep);
			rec->raw_truncated = true;
		}
	}
	rec->from = r;
	if (!rec->lazy) {
		if (r->fptr_cap < rec->kept + 1) {
			r->fptr_cap = rec->kept + 1;
			r->fptr = mem_realloc(r->fptr, r->fptr_cap * sizeof(*r->fptr));
		}
		for (size_t i = 0; i < rec->kept; i++)
			r->fptr[i] = (r->fsrc[i] ? r->buf : r->fbuf.data) + r->foff[i];
		rec->field = r->fptr;
		rec->len = r->flen;
	}
	r->in_record = false;
	r->skipping = false;
	return rec;
}

/*
 * Keeps a field over the limit from growing libcsv's buffer: the record is
 * already rejected, so its bytes are dropped while parsing goes on to find
 * where the record ends. libcsv's public entry_pos still holds the spaces
 * after an unquoted field, and after a possibly closed quoted field those
 * and the quote: they are not the field's (libcsv drops them when the
 * field ends), so they do not count against the limit. The reset leaves
 * entry_pos at the smallest value the state allows.
 */
static void
field_limit(struct records *r)
{
	struct csv_parser *p = &r->csv;
	size_t n = p->entry_pos;

	if (p->pstate == CSV_STATE_FIELD_MIGHT_HAVE_ENDED)
		n -= p->spaces + 1;
	else if (p->pstate == CSV_STATE_FIELD_BEGUN && !p->quoted)
		n -= p->spaces;
	if (r->max_field == 0 || n <= r->max_field)
		return;
	if (r->rec.problem == RECORD_OK) {
		r->rec.problem = RECORD_TOO_LONG;
		r->rec.long_field = r->rec.nfields;
	}
	if (p->pstate == CSV_STATE_FIELD_MIGHT_HAVE_ENDED)
		p->entry_pos = p->spaces + 1;
	else if (p->pstate == CSV_STATE_FIELD_BEGUN)
		p->entry_pos = p->quoted ? 0 : p->spaces;
}

/* Reads more input, first moving what must be kept to the front. */
static int
fill(struct records *r, struct diag *d)
{
	size_t keep = r->pos;
	ssize_t n;

	if (r->in_record && !r->raw_truncated) {
		if (r->pos - r->rec_start > r->raw_keep) {
			/* Too long to keep whole: remember its first bytes only. */
			size_t k = text_utf8_cut(r->buf + r->rec_start, r->raw_keep);

			r->rawhead.len = 0;
			buf_add(&r->rawhead, r->buf + r->rec_start, k);
			r->raw_truncated = true;
		} else {
			keep = r->rec_start;
		}
	}
	if (keep > 0) {
		memmove(r->buf, r->buf + keep, r->len - keep);
		r->len -= keep;
		r->pos -= keep;
		if (r->in_record && !r->raw_truncated)
			r->rec_start -= keep;
	}
	if (r->cap - r->len < READ_SIZE) {
		r->cap = r->len + READ_SIZE;
		r->buf = mem_realloc(r->buf, r->cap + 1);
	}
	n = input_read(r->in, r->buf + r->len, READ_SIZE, d);
	if (n < 0)
		return -1;
	if (n == 0)
		r->eof = true;
	r->len += (size_t)n;
	return 0;
}

/*
 * Finds the next segment at r->pos: up to and including a line end, or a
 * piece of at most SEG_MAX bytes of a longer line. Returns 0 with *end and
 * *term (bytes of line end: 0, 1 or 2) set, or 1 when more input is needed.
 */
static int
segment(struct records *r, size_t *end, size_t *term)
{
	const char *b = r->buf;
	size_t lim = r->len - r->pos > SEG_MAX ? r->pos + SEG_MAX : r->len;
	const char *nl = memchr(b + r->pos, '\n', lim - r->pos);
	size_t stop = nl ? (size_t)(nl - b) : lim;
	const char *cr = memchr(b + r->pos, '\r', stop - r->pos);

	if (cr != NULL) {
		size_t i = (size_t)(cr - b);

		if (i + 1 == r->len && !r->eof)
			return 1;	/* a CRLF may be split: read on */
		*end = i + 1;
		*term = 1;
		if (i + 1 < r->len && b[i + 1] == '\n') {
			(*end)++;
			*term = 2;
		}
		return 0;
	}
	if (nl != NULL) {
		*end = stop + 1;
		*term = 1;
		return 0;
	}
	if (lim == r->len && !r->eof && lim - r->pos < SEG_MAX)
		return 1;
	*end = lim;
	*term = 0;
	return 0;
}

/*
 * A whole line without a quote is split on the delimiter directly: for
 * such a line libcsv's strict mode gives exactly these fields (each
 * trimmed of spaces and tabs), and this is several times faster. Returns
 * false for a blank line, which is no record.
 */
/* Keeps the delimiter-separated fields of p[0..end), which hold no quote. */
static void
split_fields(struct records *r, const char *p, const char *end, bool ascii)
{
	for (;;) {
		const char *d = memchr(p, r->delim, (size_t)(end - p));
		const char *fe = d ? d : end;
		const char *f = p;
		size_t n = text_trim(&f, (size_t)(fe - p));

		/* Trimmed first: libcsv measures an unquoted field without its spaces. */
		field_keep(r, f, n, true, ascii, true);
		if (d == NULL)
			break;
		p = d + 1;
	}
}

static bool
split_plain(struct records *r, size_t start, size_t stop)
{
	const char *p = r->buf + start, *end = r->buf + stop;
	bool blank = true;

	for (const char *q = p; q < end && blank; q++)
		blank = *q == ' ' || *q == '\t';
	if (blank && memchr(p, r->delim, (size_t)(end - p)) == NULL)
		return false;
	record_begin(r, start);
	split_fields(r, p, end, text_ascii(p, (size_t)(end - p)));
	return true;
}

/*
 * Copies the fields kept inside buf: the record goes on past this line,
 * and reading more may move or drop the bytes they point at.
 */
static void
fields_detach(struct records *r)
{
	for (size_t i = 0; i < r->rec.kept; i++) {
		if (!r->fsrc[i])
			continue;
		r->fsrc[i] = false;
		{
			size_t at = r->fbuf.len;

			buf_add(&r->fbuf, r->buf + r->foff[i], r->flen[i]);
			r->foff[i] = at;
		}
	}
}

/*
 * The quoted middle of a line, buf[fs, fs + len) (through the delimiter
 * after the last quote), through libcsv, for split_quoted and
 * split_quoted_pre. Returns -1 on libcsv's error; 0 when libcsv is still
 * inside a field there, the record going on through libcsv from *from;
 * 1 when it stands between fields, the rest of the line to be split.
 */
static int
split_quoted_middle(struct records *r, size_t fs, size_t len, size_t *from)
{
	size_t n = csv_parse(&r->csv, r->buf + fs, len, on_field, on_row, r);

	if (n < len)
		return -1;
	*from += len;
	if (r->csv.pstate != CSV_STATE_FIELD_NOT_BEGUN) {
		fields_detach(r);
		return 0;
	}
	parser_reset(r);
	return 1;
}

/*
 * A whole line with quotes: libcsv parses from the field holding the
 * first quote; the quote-free fields before it are split directly, and so
 * are those after the delimiter that follows the last quote, once libcsv
 * stands between fields there (it has then seen every quote of the line).
 * libcsv sees exactly the bytes it would see in the whole line for those
 * fields. Returns 1 when the record is complete, -1 when libcsv reported
 * an error, 0 when the rest of the line from *from must go through libcsv.
 */
static int
split_quoted(struct records *r, size_t start, size_t stop, size_t *from)
{
	const char *line = r->buf + start, *end = r->buf + stop;
	const char *q1 = memchr(line, '"', stop - start);
	const char *q2 = text_last(line, stop - start, '"');
	const char *d0 = text_last(line, (size_t)(q1 - line), r->delim);
	const char *dl = memchr(q2 + 1, r->delim, (size_t)(end - q2 - 1));
	const char *fs = d0 ? d0 + 1 : line;
	size_t len;
	int rc;

	record_begin(r, start);
	if (d0 != NULL)
		split_fields(r, line, d0, false);
	*from = (size_t)(fs - r->buf);
	if (dl == NULL) {
		fields_detach(r);
		return 0;
	}
	len = (size_t)(dl + 1 - fs);
	if ((rc = split_quoted_middle(r, (size_t)(fs - r->buf), len, from)) != 1)
		return rc;
	split_fields(r, dl + 1, end, false);
	return 1;
}

/* The bytes text_trim drops. */
static const unsigned char blank[256] = { [' '] = 1, ['\t'] = 1 };

/* text_trim, after a look at the two ends: most fields have nothing to trim. */
static inline size_t
trim_fast(const char **f, size_t n)
{
	if (n > 0 && (blank[(unsigned char)(*f)[0]] | blank[(unsigned char)(*f)[n - 1]]))
		return text_trim(f, n);
	return n;
}

/*
 * field_keep for the fields between the delimiters dpos[a..b] (from...,
 * ...to) of a clean line: no NUL byte, valid UTF-8, no longer than the
 * field limit. There is nothing to check or convert, only trimming and
 * noting where each field is.
 */
static void
fields_clean(struct records *r, size_t from, size_t a, size_t b, size_t to)
{
	struct record *rec = &r->rec;
	size_t nf = b - a + 1, keep = nf, base = rec->kept;

	if (rec->problem != RECORD_OK)
		keep = 0;
	else if (r->max_kept && base + nf > r->max_kept)
		keep = base < r->max_kept ? r->max_kept - base : 0;
	fields_room(r, base + keep);
	for (size_t k = 0; k < keep; k++) {
		size_t e = a + k < b ? r->ls.dpos[a + k] : to, n = e - from;
		const char *f = r->buf + from;

		r->flen[base + k] = trim_fast(&f, n);
		r->foff[base + k] = (size_t)(f - r->buf);
		r->fsrc[base + k] = true;
		from = e + 1;
	}
	rec->nfields += nf;
	rec->kept = base + keep;
}

/*
 * Whether buf[start, stop), a line without NUL bytes, is clean for
 * fields_clean: a line that is valid UTF-8 as a whole has valid UTF-8
 * fields, since they are cut at ASCII bytes.
 */
static bool
line_clean(const struct records *r, size_t start, size_t stop, bool high)
{
	/* With high bytes, only from the first to the last: the rest is ASCII. */
	return (r->max_field == 0 || stop - start <= r->max_field) &&
	    (!high || text_utf8_valid(r->buf + r->ls.hi_first,
	    r->ls.hi_last + 1 - r->ls.hi_first));
}

/*
 * Keeps the fields between the delimiters dpos[a..b] (from..., ...to) of
 * a line without NUL bytes; clean as line_clean says.
 */
static void
fields_at(struct records *r, size_t from, size_t a, size_t b, size_t to, bool ascii,
    bool clean)
{
	if (clean) {
		fields_clean(r, from, a, b, to);
		return;
	}
	for (size_t k = a; k <= b; k++) {
		size_t e = k < b ? r->ls.dpos[k] : to;
		const char *f = r->buf + from;
		size_t n = text_trim(&f, e - from);

		field_keep(r, f, n, true, ascii, false);
		from = e + 1;
	}
}

/*
 * field_keep for one field that middle_measure found: with clean
 * (line_clean), only trimmed and noted, as fields_clean does. Otherwise
 * its limit is checked before trimming only when it was quoted: libcsv
 * trims an unquoted field but keeps the spaces inside quotes.
 */
static void
field_simple(struct records *r, const char *f, size_t n, bool in_buf, bool clean, bool ascii,
    bool quoted)
{
	struct record *rec = &r->rec;

	if (!clean) {
		if (!quoted)
			n = text_trim(&f, n);
		field_keep(r, f, n, in_buf, ascii, false);
		return;
	}
	rec->nfields++;
	if (rec->problem != RECORD_OK || (r->max_kept && rec->kept >= r->max_kept))
		return;
	n = trim_fast(&f, n);
	field_note(r, f, n, in_buf);
}

/* Notes field k of the stretch middle_measure is measuring. */
static void
span_add(struct records *r, size_t k, size_t at, size_t len, bool quoted, bool pairs)
{
	if (k + 1 > r->span_cap)
		mem_grow((void **)&r->span, &r->span_cap, k + 1, sizeof(*r->span));
	r->span[k] = (struct span){ at, len, quoted, pairs };
}

/*
 * The fields of buf[p, stop), the stretch of a measured line from the
 * field that holds its first quote to the field that holds its last, when
 * each is either without a quote or quoted whole: a quote, bytes in which
 * quotes come only in pairs, a quote, then the delimiter or stop. That is
 * how spreadsheets and PowerShell's Export-Csv quote a field. Notes them
 * in r->span and returns how many, or -1 for any other stretch (a space
 * beside a quoted field, a quote inside an unquoted one or after a
 * closing one, a field that goes on past the line): libcsv reads those.
 */
static long
middle_measure(struct records *r, size_t p, size_t stop)
{
	const char *b = r->buf;
	long nf = 0;

	for (;;) {
		if (p < stop && b[p] == '"') {
			size_t q = p + 1;
			bool pairs = false;

			for (;;) {
				const char *x = memchr(b + q, '"', stop - q);

				if (x == NULL)
					return -1;
				q = (size_t)(x - b);
				if (q + 1 < stop && b[q + 1] == '"') {
					pairs = true;
					q += 2;
					continue;
				}
				break;
			}
			span_add(r, (size_t)nf++, p + 1, q - p - 1, true, pairs);
			if (q + 1 == stop)
				return nf;
			if (b[q + 1] != r->delim)
				return -1;
			p = q + 2;
		} else {
			const char *d = memchr(b + p, r->delim, stop - p);
			size_t e = d != NULL ? (size_t)(d - b) : stop;

			if (memchr(b + p, '"', e - p) != NULL)
				return -1;
			span_add(r, (size_t)nf++, p, e - p, false, false);
			if (e == stop)
				return nf;
			p = e + 1;
		}
	}
}

/*
 * Keeps the nf fields middle_measure found. libcsv gives a quoted field
 * the bytes between its quotes with each pair made one quote; so does
 * this, with no copy when there is no pair.
 */
static void
middle_keep(struct records *r, long nf, bool clean, bool ascii)
{
	const char *b = r->buf;

	for (long k = 0; k < nf; k++) {
		const struct span *f = &r->span[k];

		if (!f->pairs) {
			field_simple(r, b + f->at, f->len, true, clean, ascii, f->quoted);
			continue;
		}
		r->unq.len = 0;
		for (size_t i = f->at, e = f->at + f->len; i < e;) {
			const char *x = memchr(b + i, '"', e - i);
			size_t run = x != NULL ? (size_t)(x - b) + 1 - i : e - i;

			buf_add(&r->unq, b + i, run);	/* through a pair's first quote */
			i += run + (x != NULL);
		}
		field_simple(r, r->unq.data, r->unq.len, false, clean, ascii, true);
	}
}

/*
 * Makes the record begun at start a lazy one: buf[start, stop), a clean
 * line, its fields between its delimiters (quoted: each also between its
 * quotes), found by records_field when asked for.
 */
static void
record_lazy(struct records *r, size_t start, size_t stop, bool quoted)
{
	r->rec.nfields = r->ls.ndpos + 1;
	r->rec.kept = r->max_kept && r->max_kept < r->rec.nfields ? r->max_kept : r->rec.nfields;
	r->rec.lazy = true;
	r->lazy_start = start;
	r->lazy_stop = stop;
	r->lazy_quoted = quoted;
}

/*
 * Whether each field between the delimiters dpos[a..b] (from..., ...to)
 * starts and ends with a quote. When the line has no other quote, those
 * are the fields libcsv finds: each the bytes between its quotes.
 */
static bool
quoted_whole(const struct records *r, size_t from, size_t a, size_t b, size_t to)
{
	for (size_t k = a; k <= b; k++) {
		size_t e = k < b ? r->ls.dpos[k] : to;

		if (e - from < 2 || r->buf[from] != '"' || r->buf[e - 1] != '"')
			return false;
		from = e + 1;
	}
	return true;
}

/* Keeps the fields quoted_whole found, each without its quotes. */
static void
fields_quoted(struct records *r, size_t from, size_t a, size_t b, size_t to, bool clean,
    bool ascii)
{
	for (size_t k = a; k <= b; k++) {
		size_t e = k < b ? r->ls.dpos[k] : to;

		field_simple(r, r->buf + from + 1, e - from - 2, true, clean, ascii, true);
		from = e + 1;
	}
}

/*
 * split_quoted for a line fast_line measured (r->pre): the same steps on
 * the same bytes, with the quotes and delimiters already found. There is
 * no NUL byte in the line. The stretch with the quotes, from the field of
 * the first to the delimiter after the last (or the line's end), is split
 * here when quoted_whole finds its every field quoted and no other quote
 * in the line (in one look at each field's ends), or when middle_measure
 * can (an export quoted throughout: twice as fast as libcsv's
 * byte-by-byte state machine), else through libcsv.
 */
static int
split_quoted_pre(struct records *r, size_t start, size_t stop, size_t *from)
{
	size_t nd0 = r->pre_nd0, q2 = r->pre_q2, dl = SIZE_MAX, k, fs, len, mid;
	bool clean, whole;
	long nf = 0;
	int rc;

	for (k = nd0; k < r->ls.ndpos; k++)
		if (r->ls.dpos[k] > q2) {
			dl = r->ls.dpos[k];
			break;
		}
	fs = nd0 > 0 ? r->ls.dpos[nd0 - 1] + 1 : start;
	/* The stretch's fields are those between dpos[nd0..k]; k is dl's, or ndpos. */
	mid = dl == SIZE_MAX ? stop : dl;
	whole = r->pre_nquote == 2 * (k - nd0 + 1) && quoted_whole(r, fs, nd0, k, mid);
	if (!whole)
		nf = middle_measure(r, fs, mid);
	clean = line_clean(r, start, stop, r->pre_high);
	record_begin(r, start);
	if (whole && clean && r->lazy && nd0 == 0 && dl == SIZE_MAX) {
		/* Quoted throughout: found when asked for, as fast_line's lines. */
		record_lazy(r, start, stop, true);
		return 1;
	}
	if (nd0 > 0)
		fields_at(r, start, 0, nd0 - 1, r->ls.dpos[nd0 - 1], !r->pre_high, clean);
	if (whole || nf >= 0) {
		if (whole)
			fields_quoted(r, fs, nd0, k, mid, clean, !r->pre_high);
		else
			middle_keep(r, nf, clean, !r->pre_high);
		if (dl != SIZE_MAX)
			fields_at(r, dl + 1, k + 1, r->ls.ndpos, stop, !r->pre_high, clean);
		return 1;
	}
	*from = fs;
	if (dl == SIZE_MAX) {
		fields_detach(r);
		return 0;
	}
	len = dl + 1 - fs;
	if ((rc = split_quoted_middle(r, fs, len, from)) != 1)
		return rc;
	fields_at(r, dl + 1, k + 1, r->ls.ndpos, stop, !r->pre_high, clean);
	return 1;
}

/* Chooses among , ; and tab by their count outside quotes in the header. */
static char
detect_delimiter(const char *s, size_t n)
{
	size_t comma = 0, semi = 0, tab = 0;
	bool quoted = false;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (c == '\n' || c == '\r')
			break;
		else if (c == ',')
			comma++;
		else if (c == ';')
			semi++;
		else if (c == '\t')
			tab++;
	}
	if (semi > comma && semi >= tab)
		return semi > tab ? ';' : ',';
	if (tab > comma && tab > semi)
		return '\t';
	return ',';
}

/* True once buf holds a whole first line from pos (or all of the input). */
static bool
have_line(const struct records *r)
{
	for (size_t i = r->pos; i < r->len; i++)
		if (r->buf[i] == '\n' || r->buf[i] == '\r')
			return true;
	return r->eof || r->len - r->pos > 4 * 1024 * 1024;
}

/* Bytes of the first line from pos, without its line end. */
static size_t
first_line_length(const struct records *r)
{
	size_t i = r->pos;

	while (i < r->len && r->buf[i] != '\n' && r->buf[i] != '\r')
		i++;
	return i - r->pos;
}

/* Skips the rest of the current line; 1 if it needs more input. */
static int
skip_line(struct records *r)
{
	size_t end, term;

	if (segment(r, &end, &term) != 0)
		return 1;
	r->pos = end;
	if (term > 0)
		r->line++;
	return 0;
}

static struct records *
records_new(const char *name, const struct records_opts *o)
{
	struct records *r = mem_calloc(1, sizeof(*r));

	r->name = name;
	r->max_field = o->max_field_bytes;
	r->max_kept = o->max_kept_fields;
	r->libcsv_only = o->libcsv_only;
	r->raw_keep = RAW_KEEP;
	r->line = 1;
	return r;
}

/*
 * A line whose scan stopped at a quote (q1): measures the rest of it for
 * split_quoted_pre, through r->pre. Leaves r->pre false when the line
 * does not end inside the buffer or holds a NUL byte (the general path
 * then finds out what it is).
 */
static void
quoted_line(struct records *r, size_t q1, size_t lim)
{
	size_t nd0 = r->ls.ndpos, e;
	char c;

	r->ls.q2 = q1;
	e = linescan_run(&r->ls, r->buf, q1 + 1, lim, false);
	if (e == lim)
		return;
	c = r->buf[e];
	if (c == '\n') {
		r->pre_end = e + 1;
		r->pre_term = 1;
	} else if (c == '\r' && e + 1 < r->len) {
		r->pre_term = r->buf[e + 1] == '\n' ? 2 : 1;
		r->pre_end = e + r->pre_term;
	} else {
		return;
	}
	r->pre = true;
	r->pre_high = r->ls.high;
	r->pre_q2 = r->ls.q2;
	r->pre_nquote = r->ls.nquote + 1;	/* and the one at q1 */
	r->pre_nd0 = nd0;
}

/*
 * The common case in one pass: at a record's start, a line with no quote
 * and no NUL byte that ends (LF, CRLF or CR) inside the buffer. Its fields
 * are exactly what split_plain would make of it. Returns 1 with *out
 * set, 2 for a blank line skipped, 0 when the line needs the general path.
 */
static int
fast_line(struct records *r, struct record **out)
{
	size_t lim = r->len - r->pos > SEG_MAX ? r->pos + SEG_MAX : r->len;
	size_t start = r->pos, stop, end, from;
	bool high;
	char c;

	linescan_reset(&r->ls);
	stop = linescan_run(&r->ls, r->buf, start, lim, true);
	if (stop == lim)
		return 0;
	c = r->buf[stop];
	if (c == '"') {
		quoted_line(r, stop, lim);
		return 0;
	}
	high = r->ls.high;
	if (c == '\n')
		end = stop + 1;
	else if (c == '\r' && stop + 1 < r->len)
		end = stop + (r->buf[stop + 1] == '\n' ? 2 : 1);
	else
		return 0;
	if (r->ls.ndpos == 0) {
		const char *p = r->buf + start;
		bool blank = true;

		for (const char *q = p; q < r->buf + stop && blank; q++)
			blank = *q == ' ' || *q == '\t';
		if (blank) {
			r->pos = end;
			r->line++;
			return 2;
		}
	}
	record_begin(r, start);
	if (!line_clean(r, start, stop, high)) {
		from = start;
		for (size_t k = 0; k <= r->ls.ndpos; k++) {
			size_t to = k < r->ls.ndpos ? r->ls.dpos[k] : stop;
			const char *f = r->buf + from;
			size_t n = text_trim(&f, to - from);

			field_keep(r, f, n, true, !high, false);
			from = to + 1;
		}
	} else if (r->lazy) {
		record_lazy(r, start, stop, false);
	} else {
		fields_clean(r, start, 0, r->ls.ndpos, stop);
	}
	r->pos = end;
	r->line++;
	*out = record_finish(r, stop);
	return 1;
}

/* The delimiter, and libcsv set up for it; the first line is in buf. */
static int
records_start(struct records *r, const struct records_opts *o, struct diag *d)
{
	if (o->type_line && memchr(r->buf + r->pos, '\0', first_line_length(r))) {
		diag_set(d, r->name, 0, "is binary data, not CSV text (NUL bytes in its first line; "
		    "UTF-16 without a byte order mark needs --encoding UTF-16LE)");
		return -1;
	}
	r->delim = o->delimiter ? o->delimiter : detect_delimiter(r->buf + r->pos, r->len - r->pos);
	r->csv_opts = CSV_STRICT | CSV_STRICT_FINI;
	if (csv_init(&r->csv, r->csv_opts) != 0) {
		diag_set(d, r->name, 0, "cannot start the CSV parser");
		return -1;
	}
	csv_set_delim(&r->csv, (unsigned char)r->delim);
	linescan_init(&r->ls, r->delim, linescan_vector_bytes(o->vector_bytes));
	/*
	 * libcsv reports a failed realloc as a parse error, which would read
	 * as "malformed quotes": it allocates through mem_realloc, whose
	 * failure is the run's fatal "out of memory".
	 */
	csv_set_realloc_func(&r->csv, mem_realloc);
	/* libcsv grows its field buffer by this much per realloc. */
	csv_set_blk_size(&r->csv, 64 * 1024);
	return 0;
}

int
records_open(struct records **out, struct input *in, const char *name,
    const struct records_opts *o, struct diag *d)
{
	struct records *r = records_new(name, o);

	*out = NULL;
	r->in = in;
	r->cap = READ_SIZE;
	r->buf = mem_alloc(r->cap + 1);
	do {
		if (fill(r, d) != 0)
			goto fail;
	} while (!have_line(r));
	if (o->type_line && r->len >= 6 && memcmp(r->buf, "#TYPE ", 6) == 0) {
		while (skip_line(r) != 0) {
			if (fill(r, d) != 0)
				goto fail;
		}
		while (!have_line(r))
			if (fill(r, d) != 0)
				goto fail;
	}
	if (records_start(r, o, d) != 0)
		goto fail;
	*out = r;
	return 0;
fail:
	free(r->buf);
	free(r);
	return -1;
}

int
records_open_range(struct records **out, const char *data, size_t n, const char *name,
    const struct records_opts *o, uint64_t line, bool partial, struct diag *d)
{
	struct records *r = records_new(name, o);

	*out = NULL;
	r->buf = (char *)data;
	r->len = r->cap = n;
	r->eof = true;
	r->borrowed = true;
	r->partial = partial;
	r->line = line;
	if (o->type_line && r->len >= 6 && memcmp(r->buf, "#TYPE ", 6) == 0)
		skip_line(r);
	if (records_start(r, o, d) != 0) {
		free(r);
		return -1;
	}
	*out = r;
	return 0;
}

size_t
records_offset(const struct records *r)
{
	return r->pos;
}

bool
records_ended_inside(const struct records *r, size_t *start, uint64_t *line)
{
	if (!r->ended_inside)
		return false;
	*start = r->rec_start;
	*line = r->rec.line;
	return true;
}

void
records_keep_fields(struct records *r, size_t max_kept_fields)
{
	r->max_kept = max_kept_fields;
}

void
records_lazy(struct records *r, bool on)
{
	r->lazy = on;
}

const char *
records_field(const struct record *rec, size_t i, size_t *len)
{
	const struct records *r = rec->from;
	size_t from, to, n;
	const char *f;

	if (!rec->lazy) {
		*len = rec->len[i];
		return rec->field[i];
	}
	/* A clean line's field i: between delimiters i - 1 and i, trimmed. */
	from = i == 0 ? r->lazy_start : r->ls.dpos[i - 1] + 1;
	to = i < r->ls.ndpos ? r->ls.dpos[i] : r->lazy_stop;
	if (r->lazy_quoted) {
		from++;
		to--;
	}
	f = r->buf + from;
	n = to - from;
	*len = trim_fast(&f, n);
	return f;
}

/*
 * Taken when the input has ended (pos at len, eof): ends the record still
 * open, if any. Returns 1 with *out set, or 0 at the end.
 */
static int
next_at_end(struct records *r, struct record **out)
{
	if (!r->in_record)
		return 0;
	/*
	 * The range ended inside a record: its reader will read it again
	 * from its start, and count its converted fields then.
	 */
	if (r->partial) {
		r->ended_inside = true;
		r->cp1252 = r->cp1252_begin;
		return 0;
	}
	if (r->skipping) {
		*out = record_finish(r, r->len);
		return 1;
	}
	if (csv_fini(&r->csv, on_field, on_row, r) != 0) {
		size_t end = r->len;

		/* The file's last line end is not part of the record. */
		if (end > r->rec_start && r->buf[end - 1] == '\n')
			end--;
		if (end > r->rec_start && r->buf[end - 1] == '\r')
			end--;
		r->rec.problem = RECORD_UNTERMINATED;
		parser_reset(r);
		*out = record_finish(r, end);
		return 1;
	}
	if (r->rec_done || r->rec.problem != RECORD_OK) {
		*out = record_finish(r, r->len);
		return 1;
	}
	r->in_record = false;	/* only spaces were left */
	return 0;
}

/*
 * Taken after a parse error, for each segment up to the line end: drops
 * it. Returns 1 with the rejected record in *out at the line end, else 0.
 */
static int
next_skipping(struct records *r, size_t end, size_t term, struct record **out)
{
	r->pos = end;
	if (term == 0)
		return 0;
	r->line++;
	*out = record_finish(r, end - term);
	return 1;
}

/*
 * Taken for a whole line without a quote at a record's start, which
 * fast_line did not take: split directly. Returns 1 with *out set, 0 for
 * a blank line.
 */
static int
next_plain(struct records *r, size_t end, size_t term, struct record **out)
{
	bool any = split_plain(r, r->pos, end - term);

	r->pos = end;
	if (term > 0)
		r->line++;
	if (!any)
		return 0;
	*out = record_finish(r, end - term);
	return 1;
}

/*
 * Taken for a whole line with quotes at a record's start: split_quoted,
 * or split_quoted_pre when fast_line measured the line. Returns 1 with
 * *out set; 0 when the rest of the line from *from goes through libcsv
 * (*malformed when libcsv already failed on it).
 */
static int
next_quoted(struct records *r, size_t end, size_t term, size_t *from, bool *malformed,
    struct record **out)
{
	int k = r->pre ? split_quoted_pre(r, r->pos, end - term, from) :
	    split_quoted(r, r->pos, end - term, from);

	r->pre = false;
	if (k > 0) {
		r->pos = end;
		if (term > 0)
			r->line++;
		*out = record_finish(r, end - term);
		return 1;
	}
	*malformed = k < 0;
	return 0;
}

/*
 * Taken for every other segment (inside a quoted field, a line cut at
 * SEG_MAX, or all of them with libcsv_only), and for the rest of a quoted
 * line: buf[from, end) through libcsv. Returns 1 with *out set when a
 * record ends there, else 0.
 */
static int
next_libcsv(struct records *r, size_t end, size_t term, size_t from, bool malformed,
    struct record **out)
{
	size_t seglen = end - from, n = 0;

	if (!r->in_record || r->csv.pstate == CSV_STATE_ROW_NOT_BEGUN) {
		if (!r->in_record || r->rec.nfields == 0)
			record_begin(r, r->pos);
	}
	if (!malformed)
		n = csv_parse(&r->csv, r->buf + from, seglen, on_field, on_row, r);
	if (malformed || n < seglen) {
		/* A misplaced quote: the record ends with this line. */
		r->rec.problem = RECORD_MALFORMED;
		parser_reset(r);
		r->rec_done = false;
		r->pos = end;
		if (term == 0) {
			r->skipping = true;
			return 0;
		}
		r->line++;
		*out = record_finish(r, end - term);
		return 1;
	}
	r->pos = end;
	if (term > 0)
		r->line++;
	if (r->rec_done) {
		*out = record_finish(r, end - term);
		return 1;
	}
	if (r->csv.pstate == CSV_STATE_ROW_NOT_BEGUN && r->rec.nfields == 0)
		r->in_record = false;	/* a blank line */
	else
		field_limit(r);
	return 0;
}

int
records_next(struct records *r, struct record **out, struct diag *d)
{
	for (;;) {
		size_t end, term, from;
		bool whole, malformed = false;

		if (r->pos == r->len) {
			if (r->eof)
				return next_at_end(r, out);
			if (fill(r, d) != 0)
				return -1;
			continue;
		}
		if (!r->in_record && !r->skipping && !r->libcsv_only) {
			int k = fast_line(r, out);

			if (k == 1)
				return 1;
			if (k == 2)
				continue;
		}
		if (r->pre) {
			end = r->pre_end;
			term = r->pre_term;
		} else if (segment(r, &end, &term) != 0) {
			if (fill(r, d) != 0)
				return -1;
			continue;
		}
		if (r->skipping) {
			if (next_skipping(r, end, term, out))
				return 1;
			continue;
		}
		/* At a record's start, not libcsv_only: a line through its end or the input's. */
		whole = !r->in_record && !r->libcsv_only && (term > 0 || (end == r->len && r->eof));
		if (whole && !r->pre && memchr(r->buf + r->pos, '"', end - term - r->pos) == NULL) {
			if (next_plain(r, end, term, out))
				return 1;
			continue;
		}
		from = r->pos;
		if (whole && next_quoted(r, end, term, &from, &malformed, out))
			return 1;
		if (next_libcsv(r, end, term, from, malformed, out))
			return 1;
	}
}

char
records_delimiter(const struct records *r)
{
	return r->delim;
}

uint64_t
records_cp1252_fields(const struct records *r)
{
	return r->cp1252;
}

uint64_t
records_lines(const struct records *r)
{
	return r->line;
}

void
records_free(struct records *r)
{
	if (r == NULL)
		return;
	csv_free(&r->csv);
	if (!r->borrowed)
		free(r->buf);
	buf_free(&r->rawhead);
	buf_free(&r->fbuf);
	buf_free(&r->conv);
	buf_free(&r->unq);
	free(r->span);
	free(r->foff);
	free(r->flen);
	free(r->fsrc);
	free(r->fptr);
	linescan_free(&r->ls);
	free(r);
}

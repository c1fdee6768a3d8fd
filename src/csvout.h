/*
 * csvout: a CSV file writer for reports. Text fields are made valid UTF-8,
 * guarded against spreadsheet formulas with a leading quote, and quoted
 * when they hold a delimiter, quote or line end; numbers and dates are
 * formatted in place. Rows go through the writer's own buffer straight to
 * write(2): stdio's per-call locking and copying cost more than the
 * formatting on reports of hundreds of megabytes. A file that fills the
 * buffer is written with O_DIRECT from then on, each full buffer on a
 * thread of its own while the next one is filled.
 *
 * The caller owns the descriptor: csvout writes to it and never closes
 * it. The writer owns its buffers; csvout_free frees them. A write error
 * is kept, not reported at once: csvout_flush returns the first one.
 * One writer is used by one thread at a time.
 */
#ifndef SKUSCAN_CSVOUT_H
#define SKUSCAN_CSVOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "text.h"

/* The buffer's size: whole buffers are what goes to the disk. */
#define CSVOUT_BUF (1u << 20)

/*
 * The part of a writer that the inline field calls below use. It is the
 * first member of csvout.c's own struct, which holds the rest.
 */
struct csvout {
	char *out;		/* buffered bytes, out[0..len) */
	size_t len;
	bool first;		/* no field written yet on this row */
	const char *eol;	/* "\n", or "\r\n" for Excel */
	size_t eol_len;
};

/*
 * A writer to fd, an open file that it writes from its current offset.
 * With excel, the file starts with a UTF-8 byte order mark and rows end
 * in CRLF, as Excel reads CSV. Never fails (out of memory is mem_fail).
 */
struct csvout *csvout_new(int fd, bool excel);
/*
 * Writes out every byte buffered and waits for the write in flight.
 * Returns 0, or the errno of the first write that failed since the
 * writer was made (ENOSPC, EIO...): bytes after it are dropped.
 */
int csvout_flush(struct csvout *w);
/* Waits for the write in flight, if any, and frees w (NULL is fine). */
void csvout_free(struct csvout *w);

/* For the inline calls: writes out a full buffer (see csvout_flush). */
void csvout_spill(struct csvout *w);

/*
 * The per-field calls are inline: a report writes hundreds of millions of
 * fields, and most are a few bytes copied.
 */

/* Appends n bytes as they are, outside any field (a header line). */
static inline void
csvout_raw(struct csvout *w, const char *s, size_t n)
{
	while (n > CSVOUT_BUF - w->len) {
		size_t k = CSVOUT_BUF - w->len;

		memcpy(w->out + w->len, s, k);
		w->len = CSVOUT_BUF;
		csvout_spill(w);
		s += k;
		n -= k;
	}
	memcpy(w->out + w->len, s, n);
	w->len += n;
}

static inline void
csvout_byte(struct csvout *w, char c)
{
	if (w->len == CSVOUT_BUF)
		csvout_spill(w);
	w->out[w->len++] = c;
}

/* Starts a field: the comma before every field of a row but its first. */
static inline void
csvout_sep(struct csvout *w)
{
	if (!w->first)
		csvout_byte(w, ',');
	w->first = false;
}

/*
 * A field of n bytes that the caller knows need nothing done: valid
 * UTF-8 without a delimiter, quote or line end, not starting a formula
 * (dates, numbers, GUIDs, texts made by csvout_piece_make). n may be 0.
 */
static inline void
csvout_plain(struct csvout *w, const char *s, size_t n)
{
	csvout_sep(w);
	csvout_raw(w, s, n);
}

/* A text field: made valid UTF-8, guarded and quoted as needed. */
void csvout_text(struct csvout *w, const char *s, size_t n);

/*
 * Whether a text gets the formula guard, a leading "'": when it begins
 * with = + - @ tab or CR, or with apostrophes and then one of those.
 */
bool csvout_needs_guard(const char *s, size_t n);
/* How many bytes of a report's text are the guard (0 or 1): strip them to get the text back. */
size_t csvout_unguard(const char *s, size_t n);

static inline void
csvout_str(struct csvout *w, const char *s)
{
	csvout_text(w, s, strlen(s));
}

static inline void
csvout_int(struct csvout *w, int64_t v)
{
	char tmp[24], *p = tmp + sizeof(tmp);
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--p = '-';
	csvout_plain(w, p, (size_t)(tmp + sizeof(tmp) - p));
}

/* A date as YYYY-MM-DD, or an empty field for DATE_NONE (values.h). */
void csvout_date(struct csvout *w, int32_t days);
/*
 * An input's name, as csvout_str writes it, but "-" (standard input as a
 * command line names it) as it is: the guard's "'-" would name a file.
 */
void csvout_file(struct csvout *w, const char *path);

static inline void
csvout_empty(struct csvout *w)
{
	csvout_sep(w);
}

/*
 * Several text fields formatted once, for a report that repeats them row
 * after row: b gets the n fields as a piece of a row ("a,b,c"), each
 * written as csvout_text would. w lends only its scratch buffers.
 */
void csvout_piece_make(struct csvout *w, struct buf *b, const char *const *fields, size_t n);

/* Writes a piece made by csvout_piece_make: its fields at once. */
static inline void
csvout_piece(struct csvout *w, const struct buf *b)
{
	csvout_plain(w, b->data ? b->data : "", b->len);
}

/* Ends the row: the line end, and the next field is a row's first. */
static inline void
csvout_end_row(struct csvout *w)
{
	csvout_raw(w, w->eol, w->eol_len);
	w->first = true;
}

#endif

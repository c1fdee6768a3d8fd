/*
 * csvread: reads back a CSV file that skuscan wrote (a report of this run
 * or of an earlier one): RFC 4180 as csvout writes it, with or without
 * --excel's byte order mark and CRLF. Every byte of a field is kept (no
 * spaces trimmed); a stray quote is an error. Each record reaches the
 * caller whole, with the physical line it starts on, so that a hand-edited
 * file can be named file:line.
 */
#ifndef SKUSCAN_CSVREAD_H
#define SKUSCAN_CSVREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "mem.h"

#define CSVREAD_MAX_FIELDS 32	/* a record with more is an error */

/* One record: n fields, each NUL-terminated (len[i] bytes). */
struct csvread_row {
	const char *const *f;
	const size_t *len;
	size_t n;
	uint64_t line;		/* where the record starts, from 1 */
};

/*
 * Called for each record, the header included; returns 0 to go on, or
 * -1 to stop the read (having set the diag).
 */
typedef int (*csvread_fn)(void *arg, const struct csvread_row *row);

/*
 * Reads path (opened by csvread_file) or the descriptor fd (csvread_fd:
 * read to its end; the caller closes it), shown in messages as name.
 * Returns 0, or -1 with d set: the file cannot be read, a record is not
 * CSV, or fn said stop.
 */
int csvread_file(const char *path, const char *name, csvread_fn fn, void *arg,
    struct diag *d);
int csvread_fd(int fd, const char *name, csvread_fn fn, void *arg, struct diag *d);

/* Whether the record's fields, joined by commas, are header (a file's first line). */
bool csvread_header_is(const struct csvread_row *row, const char *header);
/* A report's text with the formula guard undone (csvout_unguard), copied into a. */
const char *csvread_text(struct arena *a, const char *s, size_t n);
/* A count as skuscan writes one: ASCII digits only, into *out. */
bool csvread_count(const char *s, uint64_t *out);

#endif

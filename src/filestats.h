/*
 * filestats: what one input file of a run held, for the manifest, the
 * stderr summary and summary.html, and the sums over all of them, counted
 * once. Ingest fills a struct file_stats; the reports only read it.
 */
#ifndef SKUSCAN_FILESTATS_H
#define SKUSCAN_FILESTATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "text.h"

enum file_kind { FILE_SUBSCRIPTIONS, FILE_LICENSES };

/* What one file held, for the manifest and the summary. */
struct file_stats {
	const char *path;
	enum file_kind kind;
	uint64_t bytes;			/* as stored */
	uint32_t crc;
	uint64_t records, rejected, cp1252, unmatched;
	uint64_t repeated_headers;	/* records equal to the header, skipped */
	uint64_t auto_renew_unknown;	/* auto_renew values not understood */
	char auto_renew_first[48];	/* the first of them, cut whole (UTF-8) */
	bool reconciliation;		/* read as a reconciliation file (charges) */
	char hints[1024];		/* header warnings, one per line (header_hints) */
	char hints_shown[1024];		/* the same for stderr, header names escaped */
	const char *format;		/* "text", "gzip", "UTF-16LE", ... */
};

/* The sums over a run's files, as every report that shows them shows them. */
struct filestats_sum {
	size_t files;
	uint64_t bytes, records, rejected, unmatched;
};

/* "subscriptions" or "licenses": the kind's word in the manifest and summaries. */
const char *filestats_kind_word(enum file_kind kind);

/* The sums over files[0..n). */
void filestats_sum(const struct file_stats *files, size_t n, struct filestats_sum *out);

/*
 * What the summary says of a file beyond its counts, one line each (each
 * ending in a newline): read as a reconciliation file, auto_renew values
 * not understood, repeated headers skipped. Appends to out. With escaped,
 * a value quoted from the input is written as text_escape shows it, for
 * stderr; without, as read, for summary.html.
 */
void filestats_notes(const struct file_stats *f, bool escaped, struct buf *out);

#endif

/*
 * context: what every report of a run is written with, beside the ledger's
 * summary: the day days left count from, the horizon, the version, the
 * rules, the input files with their sums, and what the run adds up once
 * its summary is whole (the headline numbers, the changes since an earlier
 * run, the history). The run fills it; report.c, html.c and workbook.c
 * only read it.
 */
#ifndef SKUSCAN_CONTEXT_H
#define SKUSCAN_CONTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "filestats.h"
#include "rules.h"

struct headline;
struct changes;
struct previous;
struct history;

struct report_ctx {
	int32_t as_of;
	int horizon;
	const char *version;
	struct rules *rules;
	const struct file_stats *files;	/* in command-line order */
	size_t nfiles;
	struct filestats_sum sum;	/* over files, counted once */
	bool html;			/* write summary.html (else remove it) */
	bool xlsx;			/* write skuscan.xlsx (else remove it) */
	uint32_t sheet_rows;		/* the workbook's rows per sheet; 0: Excel's */
	bool threads;			/* large reports may be written on threads of their own */
	int64_t run_time;		/* when the run was made: seconds since 1970, UTC */
	/* Counted by the run once its summary is whole, for every place that shows them. */
	const struct headline *headline;
	const struct previous *previous;	/* --previous DIR's run, or NULL */
	const struct changes *changes;		/* since previous (NULL without it) */
	const struct history *history;		/* OUTDIR's, with this run's row */
};

#endif

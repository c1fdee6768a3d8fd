/*
 * context: what every report of a run is written with, beside the ledger's
 * summary: the day days left count from, the horizon, the version, the
 * rules, and the input files with their sums. The run fills it once;
 * report.c and html.c only read it.
 */
#ifndef SKUSCAN_CONTEXT_H
#define SKUSCAN_CONTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "filestats.h"
#include "rules.h"

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
};

#endif

/*
 * run: one run of skuscan, the layer between the command line and the
 * stages (ingest -> ledger -> report). It owns what lives as long as the
 * run: the rules, the ledger, the reports being written, the totals
 * counted once for every place that shows them, the progress bar and the
 * summary on stderr; and, from run_init on, the signal handlers and the
 * out-of-memory hook that remove the run's files. It takes the stages
 * through their phases in the one order that is right, and checks it.
 */
#ifndef SKUSCAN_RUN_H
#define SKUSCAN_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "filestats.h"
#include "ingest.h"

/* What the command line asked for. */
struct run_opts {
	struct file_stats *files;	/* -s and -l in command-line order; filled in */
	size_t nfiles;
	const char *rules;		/* NULL: built-in */
	const char *outdir;
	int32_t as_of;
	int horizon;
	struct ingest_opts in;
	const char *previous;		/* --previous DIR, or NULL */
	int64_t run_time;		/* now, or SOURCE_DATE_EPOCH: for history.csv */
	bool excel, no_html, no_xlsx, quiet, progress;
	uint32_t sheet_rows;		/* the workbook's rows per sheet; 0: Excel's */
	const char *version;		/* for the manifest */
};

/*
 * The handlers that clean up after a fatal signal and a failed
 * allocation: first thing in main, before anything is written.
 */
void run_init(void);

/*
 * Reads every input, writes and publishes the reports, and says the
 * summary on stderr (unless quiet); a failure is said once. Returns the
 * exit status (EXIT_OK, EXIT_REJECTS or EXIT_FATAL).
 */
int run_exec(struct run_opts *o);

#endif

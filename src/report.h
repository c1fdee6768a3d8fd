/*
 * report: the six CSV reports and summary.html, written under temporary
 * names in OUTDIR and renamed into place only when the whole run succeeded.
 * report chooses each report's columns and rows; csvout writes the CSV
 * (formula guard, quoting, buffers) and outdir publishes.
 * rejects.csv is streamed while inputs are read; the others are written
 * from the ledger summary at the end. A failed or interrupted run removes its temporary
 * files and leaves the last good reports as they were.
 *
 * struct report owns its open files and temporary names.
 */
#ifndef SKUSCAN_REPORT_H
#define SKUSCAN_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "context.h"
#include "ledger.h"
#include "rules.h"
#include "text.h"

struct report;

/* Creates OUTDIR if missing and starts rejects.csv. Returns 0 or -1. */
int report_open(struct report **rep, const char *outdir, bool excel, struct diag *d);
/* A reject_fn for ingest: appends one row to rejects.csv. */
void report_reject(void *rep, const char *file, uint64_t line, const char *reason,
    const char *raw, size_t len);
/*
 * Writes the other five reports, and summary.html when ctx->html, under
 * temporary names. Returns 0 or -1. It is report_begin, then report_finish.
 */
int report_write(struct report *rep, const struct ledger_summary *s,
    const struct report_ctx *ctx, struct diag *d);
/*
 * Its first half: opens the reports and starts writing replacements.csv
 * on a thread of its own, which needs only what ledger_order made: s may
 * meanwhile get its customers from ledger_summarize_customers. s and ctx
 * must stay until report_finish (or report_close). Returns 0 or -1.
 */
int report_begin(struct report *rep, const struct ledger_summary *s,
    const struct report_ctx *ctx, struct diag *d);
/* Its second half: the other reports, once s is whole. Returns 0 or -1. */
int report_finish(struct report *rep, const struct ledger_summary *s,
    const struct report_ctx *ctx, struct diag *d);
/* Publishes every report at once (outdir_publish). Returns 0 or -1. */
int report_publish(struct report *rep, struct diag *d);
/* Removes the run's files (when not published), unlocks OUTDIR, frees rep. */
void report_close(struct report *rep);


#endif

/*
 * workbook: skuscan.xlsx, the run's reports as one Excel workbook, for the
 * analysts who open them in a spreadsheet. A "Summary" sheet with the
 * headline numbers comes first, then one sheet per CSV report with the
 * same columns and rows, read back from the CSV just written: so a sheet
 * cannot say anything its CSV does not. Numbers are numbers, dates real
 * dates, every text a text (the CSV's formula guard is undone: a cell is
 * never read as a formula); urgency and status cells wear summary.html's
 * colours. A report longer than a sheet holds continues on "Name (2)".
 *
 * libxlsxwriter writes it in its constant-memory mode (one row in memory
 * per sheet, the rest in temporary files in the directory of the
 * workbook, which it unlinks at once), so memory stays flat however long
 * the reports are.
 */
#ifndef SKUSCAN_WORKBOOK_H
#define SKUSCAN_WORKBOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "context.h"
#include "diag.h"
#include "headline.h"
#include "text.h"

/* The rows a sheet holds below its header: Excel's 1,048,576 less one. */
#define WORKBOOK_SHEET_ROWS 1048575u
/* The characters a cell holds, in UTF-16 units: Excel's limit. */
#define WORKBOOK_CELL_CHARS 32767u

/*
 * What a column holds, one letter per column: 't' text, 'n' a whole
 * number, 'd' a date (YYYY-MM-DD), 'u' an urgency word and 's' a
 * migration status word (texts in their colours).
 */
struct workbook_report {
	const char *title;	/* the sheet's name */
	const char *file;	/* the report's name, for the Summary sheet */
	const char *path;	/* where the CSV was written */
	const char *kinds;	/* one letter per column, as above */
};

/*
 * Loads libxlsxwriter, once: a run that will write a workbook calls it
 * before it reads, so that a missing library stops it before the work.
 * Returns 0, or -1 with d set.
 */
int workbook_load(struct diag *d);

/*
 * Writes the workbook to path from the n reports, in their order, and
 * ctx (its headline numbers) for the Summary sheet (ctx->sheet_rows, when not 0, is the rows
 * a sheet holds). Returns 0, or -1 with d set, naming where (OUTDIR).
 */
int workbook_write(const char *path, const char *where, const struct workbook_report *r,
    size_t n, const struct report_ctx *ctx, struct diag *d);

/*
 * A report's text as a cell holds it, into out: the formula guard
 * undone, and _xHHHH_ escapes (ECMA-376's) for what XML cannot carry or
 * would change: control characters (tab and line feed are kept), the
 * noncharacters U+FFFE and U+FFFF, and a "_" that begins what reads as
 * an escape. Cut, at a character, to WORKBOOK_CELL_CHARS once escaped.
 * Returns whether it was cut. For the tests too.
 */
bool workbook_cell_text(struct buf *out, const char *s, size_t n);

/* Excel's serial number of a day (days since 1970-01-01), or -1 if Excel has no such day. */
double workbook_serial(int32_t days);

#endif

/*
 * html: summary.html, the at-a-glance page of a run: headline numbers,
 * four charts drawn as inline SVG, and the inputs. The page is one
 * self-contained file (inline CSS and SVG, no script, nothing fetched), so
 * that it reads the same when opened from a file share with no network.
 * Every text that came from an input is HTML-escaped. The same summary
 * and context give the same bytes: the only date on the page is as-of.
 *
 * html_write borrows everything it is given and allocates nothing that
 * outlives the call.
 */
#ifndef SKUSCAN_HTML_H
#define SKUSCAN_HTML_H

#include <stdio.h>

#include "context.h"
#include "ledger.h"

/*
 * Writes the page of s (its headline numbers, changes and history in ctx) to fp. Returns 0, or -1 when fp shows a write
 * error (ferror); the caller still flushes and closes fp, and checks that.
 */
int html_write(FILE *fp, const struct ledger_summary *s, const struct report_ctx *ctx);

#endif

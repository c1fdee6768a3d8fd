/*
 * headline: a run's numbers at a glance, counted once from the ledger's
 * summary for every place that shows them (summary.html's tiles and
 * charts, the workbook's Summary sheet): customers, seats, users, the
 * migrations by status, retired seats by urgency and by the month they
 * end in.
 */
#ifndef SKUSCAN_HEADLINE_H
#define SKUSCAN_HEADLINE_H

#include <stdint.h>

#include "context.h"
#include "ledger.h"
#include "notice.h"

#define HEADLINE_MONTHS 12	/* the as-of month and the eleven after it */

struct headline {
	uint64_t customers, active_subs, users, rejected;
	int64_t seats;
	uint64_t status[AUDIT_COUNT];			/* customers */
	int64_t urgency_seats[URGENCY_COUNT];		/* active retired seats */
	int64_t month_seats[HEADLINE_MONTHS];		/* active seats ending then */
	int year0, month0;	/* the as-of month (1-12), the first of the twelve */
};

void headline_compute(struct headline *h, const struct ledger_summary *s,
    const struct report_ctx *ctx);

/* Year and month (1-12) of a day number. */
void headline_year_month(int32_t days, int *y, int *m);

#endif

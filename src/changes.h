/*
 * changes: what changed for each customer since an earlier run
 * (--previous): new and gone customers, migrations completed, moved
 * forward or back by a step of the notice (or, at the same step, by users
 * who depend on retired seats), retired seats changed, an earliest end
 * date that became critical or expired. One row per customer with at
 * least one change, in customer key order, with its state before and
 * after; changes.csv and summary.html's "since last run" are made of it.
 */
#ifndef SKUSCAN_CHANGES_H
#define SKUSCAN_CHANGES_H

#include <stddef.h>
#include <stdint.h>

#include "context.h"
#include "ledger.h"
#include "previous.h"

enum change {
	CHANGE_NEW, CHANGE_GONE, CHANGE_COMPLETED, CHANGE_PROGRESSED, CHANGE_REGRESSED,
	CHANGE_SEATS, CHANGE_CRITICAL, CHANGE_EXPIRED, CHANGE_COUNT
};

struct change_row {
	const char *key, *name;
	unsigned kinds;				/* 1u << enum change */
	const struct prev_customer *before;	/* NULL: new */
	const struct customer_row *after;	/* NULL: gone */
};

struct changes {
	struct change_row *rows;
	size_t n;
	uint64_t count[CHANGE_COUNT];		/* customers per kind */
};

/* The changes from p to the summary s (its customers whole). */
void changes_compute(struct changes *c, struct previous *p, const struct ledger_summary *s,
    const struct report_ctx *ctx);
void changes_free(struct changes *c);

/* "new", "gone", "completed", "progressed", "regressed", "seats_changed", "became_critical", "expired". */
const char *changes_word(enum change k);

/* A customer's first step not done (previous.h's STEP_*), as the audit finds it. */
int changes_step(const struct customer_row *c);

#endif

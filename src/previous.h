/*
 * previous: the reports of an earlier run (--previous DIR), read back so
 * that this run can say what changed since: its as-of date and inputs
 * (manifest.csv) and each affected customer's state (affected_customers.csv
 * and migration_audit.csv). DIR may be this run's own OUTDIR, read under
 * its lock before the new set is published. The three files are taken
 * from one published set even when another run publishes into DIR
 * meanwhile. A DIR that holds no skuscan reports, reports whose columns
 * are not this version's, or a row that is not as skuscan writes it (a
 * report edited by hand) is a fatal error naming the file and line.
 *
 * struct previous owns everything it holds; previous_free frees it.
 */
#ifndef SKUSCAN_PREVIOUS_H
#define SKUSCAN_PREVIOUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "mem.h"
#include "notice.h"
#include "strmap.h"
#include "text.h"

/* The notice's first step not done: 1 buy, 2 move the users, 3 suspend; 4 all done. */
enum { STEP_BUY = 1, STEP_MOVE, STEP_SUSPEND, STEP_DONE };

/* A customer as the earlier reports show it; texts with the formula guard undone. */
struct prev_customer {
	const char *key, *name, *next_action;
	enum audit_status status;
	int step;
	bool users_known;	/* licenses_reassigned was not "unknown": a license export covered it */
	int64_t seats;
	uint64_t users;
	int32_t earliest_end;	/* DATE_NONE: empty */
	int urgency;		/* enum urgency, or -1: empty */
	bool matched;		/* found again by this run */
};

struct prev_input {
	const char *kind, *file;
	uint64_t bytes;
	uint32_t crc;
};

struct previous {
	const char *dir;		/* as given */
	int32_t as_of;			/* DATE_NONE: DIR held no run yet (first_ok) */
	const char *version;
	struct prev_input *inputs;	/* manifest.csv's rows, the rules' last */
	size_t ninputs;
	struct prev_customer *customers;	/* in the order of affected_customers.csv */
	size_t ncustomers;
	struct strmap by_key;		/* key in lower case -> index + 1 into customers */
	struct arena text;
	struct buf fold;		/* previous_find's key in lower case */
};

/*
 * Reads DIR's reports into *out. Returns 0, or -1 with d set. With
 * first_ok (DIR is the run's own OUTDIR), a DIR that holds no reports yet
 * is the first run of a series, not an error: *out is then empty, its
 * as_of DATE_NONE, and every customer of this run is new.
 */
int previous_read(struct previous **out, const char *dir, bool first_ok, struct diag *d);
/* The customer of key (n bytes, compared without case), or NULL. */
struct prev_customer *previous_find(struct previous *p, const char *key, size_t n);
void previous_free(struct previous *p);

/* The first step not done, from the audit's three answers. */
int previous_step(bool purchased, bool reassigned, bool suspended);

#endif

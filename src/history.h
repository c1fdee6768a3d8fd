/*
 * history: history.csv, one row per run into the same OUTDIR, carried
 * forward from run to run so that the migration's burndown can be seen:
 * the as-of date, when the run was made, its inputs' CRC-32s (and the
 * rules'), the customers affected, retired seats, users on retired
 * licenses, and the migrations complete, in progress and not started. A
 * run with the same as-of date and inputs as a row replaces that row
 * instead of adding one. It is read from OUTDIR's published set under the
 * run's lock and published with the new set, so a run that fails or is
 * killed leaves it as it was. A row that is not as skuscan writes it is
 * a fatal error (history is never dropped silently).
 *
 * struct history owns its rows and their texts.
 */
#ifndef SKUSCAN_HISTORY_H
#define SKUSCAN_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "mem.h"

#define HISTORY_HEADER "as_of,run_time,inputs,customers_affected,retired_seats," \
	"users_on_retired,complete,in_progress,not_started"

struct history_row {
	int32_t as_of;
	const char *run_time;	/* YYYY-MM-DDTHH:MM:SSZ, UTC */
	const char *inputs;	/* kind:crc32;... in command-line order, the rules last */
	uint64_t customers;
	int64_t seats;
	uint64_t users, complete, in_progress, not_started;
};

struct history {
	struct history_row *rows;	/* in the order they were first written */
	size_t n, cap;
	struct arena text;
};

/* Reads OUTDIR's history.csv, if it has one, into h (zeroed). Returns 0 or -1 with d set. */
int history_read(struct history *h, const char *outdir, struct diag *d);
/* Adds this run's row (its texts copied), or replaces the one of the same as-of and inputs. */
void history_add(struct history *h, const struct history_row *r);
void history_free(struct history *h);

#endif

/*
 * charges: the rows of a Partner Center reconciliation file, which lists
 * charges rather than subscriptions, folded into the seats each
 * subscription holds at the end of the file's latest charge period.
 *
 * Each charge type's effect on seats follows Microsoft's "charge types in
 * reconciliation files": a full-period charge (Cycle fee, Purchase fee,
 * Renew fee, ...) states the seats of its period; a prorated charge for
 * licenses added later in the period (Cycle instance prorate) adds to
 * them, one for licenses removed (Cancel fee, Cancel instance prorate)
 * takes from them; a cancellation refund (Prorate fees when cancel,
 * Cancel) ends the subscription; discounts, credits and usage fees leave
 * the seats alone.
 */
#ifndef SKUSCAN_CHARGES_H
#define SKUSCAN_CHARGES_H

#include <stddef.h>
#include <stdint.h>

#include "ledger.h"
#include "mem.h"
#include "strmap.h"

enum charge_effect {
	CHARGE_UNKNOWN,		/* not a documented charge type */
	CHARGE_SEATS,		/* states the seats of its period */
	CHARGE_ADD,		/* licenses added from its start */
	CHARGE_REMOVE,		/* licenses removed from its start */
	CHARGE_END,		/* the subscription ends at its start */
	CHARGE_NONE		/* no effect on seats */
};

/* The effect of a charge type as written (case and spaces do not matter). */
enum charge_effect charges_effect(const char *s, size_t n);

struct charge_sub;

struct charges {
	struct strmap ids;		/* subscription id -> struct charge_sub * */
	struct charge_sub **order;	/* in the order first read */
	size_t n, cap;
	struct arena mem;
};

void charges_init(struct charges *c);
/*
 * One matched row: s as read (its strings are copied), the effect of its
 * charge type and its ChargeStartDate (DATE_NONE when empty).
 */
void charges_add(struct charges *c, const struct sub_in *s, enum charge_effect e,
    int32_t start);
/*
 * Calls add with each subscription's folded record, in the order its id
 * was first read. The records live until charges_free.
 */
void charges_fold(struct charges *c, void (*add)(void *arg, const struct sub_in *s),
    void *arg);
void charges_free(struct charges *c);

#endif

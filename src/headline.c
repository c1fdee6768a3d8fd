/* headline: a run's numbers at a glance, counted once (see headline.h). */
#include <stdlib.h>
#include <string.h>

#include "headline.h"
#include "values.h"

/* Through the one date formatter we trust. */
void
headline_year_month(int32_t days, int *y, int *m)
{
	char s[11];

	values_date_format(days, s);
	*y = atoi(s);
	*m = (s[5] - '0') * 10 + (s[6] - '0');
}

/*
 * The seats of one active retired subscription go to its urgency and, when
 * it ends in the as-of month or one of the eleven after it (and not
 * before as-of: those are expired), to that month.
 */
static void
headline_add_sub(struct headline *h, const struct sub_row *r, const struct report_ctx *ctx)
{
	int y, m, k;

	if (!r->active)
		return;
	k = (int)notice_end_urgency(r->end_date, ctx->as_of, ctx->horizon);
	h->urgency_seats[k] = values_seats_add(h->urgency_seats[k], r->quantity);
	if (r->end_date == DATE_NONE || r->end_date < ctx->as_of)
		return;
	headline_year_month(r->end_date, &y, &m);
	k = (y - h->year0) * 12 + (m - h->month0);
	if (k >= 0 && k < HEADLINE_MONTHS)
		h->month_seats[k] = values_seats_add(h->month_seats[k], r->quantity);
}

void
headline_compute(struct headline *h, const struct ledger_summary *s,
    const struct report_ctx *ctx)
{
	memset(h, 0, sizeof(*h));
	headline_year_month(ctx->as_of, &h->year0, &h->month0);
	h->customers = s->ncustomers;
	h->users = s->users_on_retired;
	h->seats = s->retired_seats;
	for (size_t i = 0; i < s->ncustomers; i++) {
		const struct customer_row *c = &s->customers[i];

		h->active_subs += c->active_retired;
		h->status[c->status]++;
	}
	for (size_t i = 0; i < s->nsubs; i++) {
		struct sub_row row = ledger_sub_row(s, i, NULL);

		headline_add_sub(h, &row, ctx);
	}
	h->rejected = ctx->sum.rejected;
}

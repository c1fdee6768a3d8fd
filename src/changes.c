/* changes: each customer's state against an earlier run's (see changes.h). */
#include <stdlib.h>
#include <string.h>

#include "changes.h"
#include "mem.h"
#include "notice.h"
#include "text.h"

static const char *const change_word[CHANGE_COUNT] = {
	"new", "gone", "completed", "progressed", "regressed", "seats_changed",
	"became_critical", "expired",
};

const char *
changes_word(enum change k)
{
	return change_word[k];
}

int
changes_step(const struct customer_row *c)
{
	return previous_step(c->replacement_purchased, c->licenses_reassigned == 1,
	    c->active_retired == 0);
}

/* A customer's urgency as affected_customers.csv writes it: -1 when it is empty. */
static int
urgency_now(const struct customer_row *c, const struct report_ctx *ctx)
{
	return c->any_active ? (int)notice_end_urgency(c->earliest_end, ctx->as_of, ctx->horizon) :
	    -1;
}

/*
 * What changed for a customer in both runs. A step forward is progress
 * (all of them done: completed), a step back a regression; at the same
 * step, fewer users who depend on retired seats is progress and more a
 * regression, when a license export covered the customer both times
 * (without one, its users are not known, not 0).
 */
static unsigned
kinds_of(const struct prev_customer *b, const struct customer_row *a, const struct report_ctx *ctx)
{
	int step = changes_step(a), u = urgency_now(a, ctx);
	bool users = step == b->step && step != STEP_DONE && b->users_known &&
	    a->licenses_reassigned >= 0;
	unsigned k = 0;

	if (step == STEP_DONE && b->step != STEP_DONE)
		k |= 1u << CHANGE_COMPLETED;
	else if (step > b->step || (users && a->users_on_retired < b->users))
		k |= 1u << CHANGE_PROGRESSED;
	else if (step < b->step || (users && a->users_on_retired > b->users))
		k |= 1u << CHANGE_REGRESSED;
	if (a->retired_seats != b->seats)
		k |= 1u << CHANGE_SEATS;
	if (u == URGENCY_CRITICAL && b->urgency != URGENCY_CRITICAL && b->urgency != URGENCY_EXPIRED)
		k |= 1u << CHANGE_CRITICAL;
	if (u == URGENCY_EXPIRED && b->urgency != URGENCY_EXPIRED)
		k |= 1u << CHANGE_EXPIRED;
	return k;
}

/* Rows in key order, bytewise as every report's. */
static int
row_cmp(const void *x, const void *y)
{
	return strcmp(((const struct change_row *)x)->key, ((const struct change_row *)y)->key);
}

static void
add(struct changes *c, size_t *cap, struct change_row r)
{
	if (r.kinds == 0)
		return;
	if (c->n == *cap) {
		*cap = *cap ? 2 * *cap : 64;
		c->rows = mem_realloc(c->rows, *cap * sizeof(*c->rows));
	}
	c->rows[c->n++] = r;
	for (int k = 0; k < CHANGE_COUNT; k++)
		if (r.kinds & (1u << k))
			c->count[k]++;
}

void
changes_compute(struct changes *c, struct previous *p, const struct ledger_summary *s,
    const struct report_ctx *ctx)
{
	struct buf key = { 0 };
	size_t cap = 0;

	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < p->ncustomers; i++)
		p->customers[i].matched = false;
	for (size_t i = 0; i < s->ncustomers; i++) {
		const struct customer_row *a = &s->customers[i];
		const char *k = a->key;
		size_t n = strlen(k);
		struct prev_customer *b;

		/* The earlier report holds the key as made valid UTF-8. */
		if (!text_utf8_valid(k, n)) {
			key.len = 0;
			text_sanitize_utf8(&key, k, n);
			k = key.data;
			n = key.len;
		}
		b = previous_find(p, k, n);
		if (b == NULL) {
			add(c, &cap, (struct change_row){ a->key, a->name, 1u << CHANGE_NEW, NULL, a });
			continue;
		}
		b->matched = true;
		add(c, &cap, (struct change_row){ a->key, a->name, kinds_of(b, a, ctx), b, a });
	}
	for (size_t i = 0; i < p->ncustomers; i++) {
		const struct prev_customer *b = &p->customers[i];

		if (!b->matched)
			add(c, &cap, (struct change_row){ b->key, b->name, 1u << CHANGE_GONE, b, NULL });
	}
	if (c->n > 1)
		qsort(c->rows, c->n, sizeof(*c->rows), row_cmp);
	buf_free(&key);
}

void
changes_free(struct changes *c)
{
	free(c->rows);
	memset(c, 0, sizeof(*c));
}

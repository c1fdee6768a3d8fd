/*
 * test_changes: what changed for a customer between an earlier run's
 * reports and this run's summary: new and gone, a step of the notice
 * forward (progressed, or completed) or back (regressed), fewer or more
 * users at the same step only when a license export covered it both
 * times, seats changed, became critical, expired; rows in key order.
 */
#include <stdlib.h>
#include <string.h>

#include "changes.h"
#include "check.h"
#include "values.h"

#define DAY(m, d) values_days(2019, (m), (d))

/* An earlier run of n customers, found by key. */
static struct previous *
prev_of(struct prev_customer *c, size_t n)
{
	struct previous *p = calloc(1, sizeof(*p));

	strmap_init(&p->by_key);
	p->customers = malloc(n * sizeof(*c));
	memcpy(p->customers, c, n * sizeof(*c));
	p->ncustomers = n;
	p->as_of = DAY(1, 1);
	for (size_t i = 0; i < n; i++) {
		int created;

		/* Keys are kept in lower case: these are. */
		strmap_put(&p->by_key, c[i].key, strlen(c[i].key), &created)->value =
		    (void *)(uintptr_t)(i + 1);
	}
	return p;
}

/* A customer now: its steps done (purchased, reassigned 1/0/-1, suspended), users, seats, end. */
static struct customer_row
now(const char *key, bool purchased, int reassigned, bool suspended, uint64_t users,
    int64_t seats, int32_t end)
{
	struct customer_row c = { .key = key, .name = key, .retired = 1,
		.active_retired = suspended ? 0 : 1, .users_on_retired = users,
		.retired_seats = seats, .earliest_end = end, .any_active = !suspended,
		.replacement_purchased = purchased, .licenses_reassigned = reassigned };

	c.status = notice_audit_status(purchased, reassigned, suspended);
	return c;
}

/* The kinds of the row for key, or ~0u when it has none. */
static unsigned
kinds(const struct changes *c, const char *key)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->rows[i].key, key) == 0)
			return c->rows[i].kinds;
	return ~0u;
}

#define K(k) (1u << (k))

void
test_changes(void)
{
	struct prev_customer before[] = {
		/* key, name, next_action, status, step, users_known, seats, users, end, urgency */
		{ "a-same", "A", "buy replacement", AUDIT_NOT_STARTED, STEP_BUY, true, 10, 1, DAY(6, 1),
		  URGENCY_LATER, false },
		{ "b-done", "B", "suspend 1 subscription", AUDIT_IN_PROGRESS, STEP_SUSPEND, true, 5, 0,
		  DAY(6, 1), URGENCY_LATER, false },
		{ "c-back", "C", "suspend 1 subscription", AUDIT_IN_PROGRESS, STEP_SUSPEND, true, 4, 0,
		  DAY(6, 1), URGENCY_LATER, false },
		{ "d-gone", "D", "buy replacement", AUDIT_NOT_STARTED, STEP_BUY, true, 3, 0, DAY(6, 1),
		  URGENCY_LATER, false },
		{ "f-users", "F", "move 3 users", AUDIT_IN_PROGRESS, STEP_MOVE, true, 7, 3, DAY(6, 1),
		  URGENCY_LATER, false },
		{ "g-unknown", "G", "move 3 users", AUDIT_IN_PROGRESS, STEP_MOVE, true, 7, 3, DAY(6, 1),
		  URGENCY_LATER, false },
		{ "h-critical", "H", "buy replacement", AUDIT_NOT_STARTED, STEP_BUY, true, 8, 0,
		  DAY(1, 20), URGENCY_SOON, false },
		{ "i-expired", "I", "buy replacement", AUDIT_NOT_STARTED, STEP_BUY, true, 6, 0,
		  DAY(1, 10), URGENCY_CRITICAL, false },
		{ "j-still", "J", "buy replacement", AUDIT_NOT_STARTED, STEP_BUY, true, 6, 0, DAY(1, 20),
		  URGENCY_CRITICAL, false },
	};
	struct customer_row rows[] = {
		now("a-same", false, 1, false, 1, 10, DAY(6, 1)),
		now("b-done", true, 1, true, 0, 0, DATE_NONE),
		now("c-back", true, 0, false, 2, 4, DAY(6, 1)),
		now("e-new", false, 1, false, 0, 2, DAY(6, 1)),
		/* The same customer, its key spelt in capitals this time. */
		now("F-USERS", true, 0, false, 1, 9, DAY(6, 1)),
		now("g-unknown", true, -1, false, 0, 7, DAY(6, 1)),
		now("h-critical", false, 1, false, 0, 8, DAY(1, 20)),
		now("i-expired", false, 1, false, 0, 6, DAY(1, 10)),
		now("j-still", false, 1, false, 0, 6, DAY(1, 20)),
	};
	struct ledger_summary s = { .customers = rows, .ncustomers = 9 };
	struct report_ctx ctx = { .as_of = DAY(1, 15), .horizon = 90 };
	struct previous *p = prev_of(before, sizeof(before) / sizeof(before[0]));
	struct changes c;

	changes_compute(&c, p, &s, &ctx);
	CHECK(kinds(&c, "a-same") == ~0u);
	CHECK(kinds(&c, "b-done") == (K(CHANGE_COMPLETED) | K(CHANGE_SEATS)));
	CHECK(kinds(&c, "c-back") == K(CHANGE_REGRESSED));
	CHECK(kinds(&c, "d-gone") == K(CHANGE_GONE));
	CHECK(kinds(&c, "e-new") == K(CHANGE_NEW));
	/* The same step, fewer users on retired seats: progress (and the seats changed). */
	CHECK(kinds(&c, "F-USERS") == (K(CHANGE_PROGRESSED) | K(CHANGE_SEATS)));
	/* No license export now: its users are not known, so not fewer. */
	CHECK(kinds(&c, "g-unknown") == ~0u);
	CHECK(kinds(&c, "h-critical") == K(CHANGE_CRITICAL));
	CHECK(kinds(&c, "i-expired") == K(CHANGE_EXPIRED));
	CHECK(kinds(&c, "j-still") == ~0u);
	CHECK(c.n == 7);
	CHECK(c.count[CHANGE_SEATS] == 2 && c.count[CHANGE_NEW] == 1 && c.count[CHANGE_GONE] == 1);
	/* Rows in key order (bytewise: capitals first), the gone among them. */
	for (size_t i = 1; i < c.n; i++)
		CHECK(strcmp(c.rows[i - 1].key, c.rows[i].key) < 0);
	CHECK(c.rows[3].after == NULL && strcmp(c.rows[3].key, "d-gone") == 0);
	CHECK(c.rows[4].before == NULL && strcmp(c.rows[4].key, "e-new") == 0);
	changes_free(&c);
	CHECK(changes_step(&rows[1]) == STEP_DONE && changes_step(&rows[0]) == STEP_BUY);
	CHECK_STR_EQ(changes_word(CHANGE_CRITICAL), "became_critical");
	previous_free(p);
}

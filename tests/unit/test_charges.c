/* test_charges: charge types and the fold of a reconciliation file's rows. */
#include <string.h>

#include "charges.h"
#include "check.h"
#include "values.h"

static enum charge_effect
eff(const char *s)
{
	return charges_effect(s, strlen(s));
}

struct got {
	struct sub_in s[8];
	int n;
};

static void
collect(void *arg, const struct sub_in *s)
{
	struct got *g = arg;

	if (g->n < 8)
		g->s[g->n++] = *s;
}

static void
row(struct charges *c, const char *id, enum charge_effect e, int32_t start, int64_t q,
    const char *name)
{
	struct sub_in s = { .id = id, .customer_key = "c1", .customer_name = name,
		.customer_domain = "", .offer = "offer", .status = "", .quantity = q,
		.auto_renew = -1, .end_date = DATE_NONE, .status_date = DATE_NONE };

	charges_add(c, &s, e, start);
}

void
test_charges(void)
{
	struct charges c;
	struct got g = { .n = 0 };

	CHECK_INT_EQ(eff("Cycle fee"), CHARGE_SEATS);
	CHECK_INT_EQ(eff("  CYCLE   FEE "), CHARGE_SEATS);
	CHECK_INT_EQ(eff("Cycle instance prorate"), CHARGE_ADD);
	CHECK_INT_EQ(eff("Cancel instance prorate"), CHARGE_REMOVE);
	CHECK_INT_EQ(eff("Cancel fee"), CHARGE_REMOVE);
	CHECK_INT_EQ(eff("Prorate fees when cancel"), CHARGE_END);
	CHECK_INT_EQ(eff("Cycle discount"), CHARGE_NONE);
	CHECK_INT_EQ(eff("Offset a line item"), CHARGE_NONE);
	CHECK_INT_EQ(eff("new"), CHARGE_SEATS);
	CHECK_INT_EQ(eff("addQuantity"), CHARGE_SEATS);
	CHECK_INT_EQ(eff("cancel"), CHARGE_END);
	CHECK_INT_EQ(eff("Cycle"), CHARGE_UNKNOWN);
	CHECK_INT_EQ(eff(""), CHARGE_UNKNOWN);
	CHECK_INT_EQ(eff("Prorate fees when convert away from current offering and more words "
	    "than any charge type has"), CHARGE_UNKNOWN);

	charges_init(&c);
	/* s1: an add listed before its cycle fee, a removal after. */
	row(&c, "s1", CHARGE_ADD, 45, 5, "A");
	row(&c, "s1", CHARGE_SEATS, 31, 20, "A");
	row(&c, "s1", CHARGE_REMOVE, 50, -3, "A2");
	/* s2: last month's add is in this month's fee; two fees, the later wins. */
	row(&c, "s2", CHARGE_ADD, 20, 4, "B");
	row(&c, "s2", CHARGE_SEATS, 0, 10, "B");
	row(&c, "s2", CHARGE_SEATS, 31, 14, "B");
	/* s3: ended; its cancellation before the fee would not count. */
	row(&c, "s3", CHARGE_SEATS, 31, 8, "C");
	row(&c, "s3", CHARGE_END, 40, 8, "C");
	/* s4: a new-commerce refund row is left out; removals never go below 0. */
	row(&c, "s4", CHARGE_SEATS, 10, 10, "D");
	row(&c, "s4", CHARGE_SEATS, 12, -10, "D");
	row(&c, "s4", CHARGE_SEATS, 12, 15, "D");
	row(&c, "s4", CHARGE_REMOVE, 13, 40, "D");
	/* s5: ended before its last fee: the fee states it again. */
	row(&c, "s5", CHARGE_END, 20, 1, "E");
	row(&c, "s5", CHARGE_SEATS, 31, 6, "E");
	charges_fold(&c, collect, &g);
	CHECK_INT_EQ(g.n, 5);
	CHECK_STR_EQ(g.s[0].id, "s1");
	CHECK_INT_EQ(g.s[0].quantity, 22);
	CHECK_STR_EQ(g.s[0].customer_name, "A2");	/* the last row's fields */
	CHECK_STR_EQ(g.s[0].status, "");
	CHECK_INT_EQ(g.s[1].quantity, 14);
	CHECK_INT_EQ(g.s[2].quantity, 8);
	CHECK_STR_EQ(g.s[2].status, "suspended");
	CHECK_INT_EQ(g.s[2].status_date, 40);
	CHECK_INT_EQ(g.s[3].quantity, 0);
	CHECK_STR_EQ(g.s[4].status, "");
	CHECK_INT_EQ(g.s[4].quantity, 6);
	charges_free(&c);
}

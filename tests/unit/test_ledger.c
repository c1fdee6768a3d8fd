/* Unit tests of ledger.h: subscriptions, customers, licenses and totals. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "ledger.h"
#include "values.h"

static int
rule_of(struct rules *r, const char *id)
{
	for (size_t i = 0; i < rules_count(r); i++)
		if (strcmp(rules_get(r, i)->id, id) == 0)
			return (int)i;
	return -1;
}

static int32_t
day(const char *iso)
{
	int32_t v = DATE_NONE;

	values_iso_date(iso, &v);
	return v;
}

/* Adds a subscription with the fields that vary in these tests. */
static void
add(struct ledger *l, struct rules *r, const char *id, const char *key, const char *rule,
    const char *status, int64_t qty, const char *end)
{
	struct sub_in s = {
		.id = id, .customer_key = key, .customer_name = "", .customer_domain = "",
		.offer = rule, .rule = rule_of(r, rule), .status = status, .auto_renew = 0,
		.quantity = qty, .end_date = end ? day(end) : DATE_NONE,
		.status_date = DATE_NONE,
	};

	ledger_add_sub(l, &s);
}

static const struct customer_row *
customer(const struct ledger_summary *s, const char *key)
{
	for (size_t i = 0; i < s->ncustomers; i++)
		if (strcmp(s->customers[i].key, key) == 0)
			return &s->customers[i];
	return NULL;
}

/* Where ledger_sub_row spells a packed id. */
static char idbuf[LEDGER_ID_BUF];

/* Every license_counts row of s, in order, into fams (as many as fit). */
static struct family_row fams[64];

static size_t
families(const struct ledger_summary *s)
{
	size_t n = 0;

	for (size_t i = 0; i < s->nfam_customers; i++) {
		struct family_row rows[16];
		size_t k = ledger_family_rows(s, i, rows);

		for (size_t j = 0; j < k && n < 64; j++)
			fams[n++] = rows[j];
	}
	return n;
}

static const struct family_row *
family(const struct ledger_summary *s, struct rules *r, const char *key, const char *fam)
{
	size_t n = families(s);

	for (size_t i = 0; i < n; i++)
		if (strcmp(fams[i].customer_key, key) == 0 &&
		    strcmp(rules_family(r, fams[i].family), fam) == 0)
			return &fams[i];
	return NULL;
}

#define SALES_QO "Dynamics 365 for Sales (Basic Qualified Offer)"
#define CEP_QO "Dynamics 365 Customer Engagement Plan (Basic Qualified Offer)"
#define SALES_PRO "Dynamics 365 for Sales Professional"
#define TEAM "Dynamics 365 Team Members"

static void
test_subs(struct rules *r)
{
	struct ledger *l = ledger_new(r);
	struct ledger_summary s;
	const struct customer_row *c;
	struct sub_in in;

	ledger_drop_sub(l, "nothing", 7);	/* harmless on an empty ledger */

	/* Last wins, ids compared case-insensitively. */
	add(l, r, "AAAA-1", "c1", "sales-basic-qo", "active", 5, "2019-03-01");
	add(l, r, "aaaa-1", "c1", "cep-basic-qo", "Suspended", 7, "2019-04-01");
	add(l, r, "bbbb-2", "c1", "sales-basic-qo", "Active", 10, "2019-06-01");
	ledger_summarize(l, &s);
	CHECK_INT_EQ(s.nsubs, 2);
	if (s.nsubs == 2) {
		CHECK_STR_EQ(ledger_sub_row(&s, 0, idbuf).id, "aaaa-1");
		CHECK_STR_EQ(ledger_sub_row(&s, 0, idbuf).rule->id, "cep-basic-qo");
		CHECK_STR_EQ(ledger_sub_row(&s, 0, idbuf).status, "suspended");	/* lower case */
		CHECK_INT_EQ(ledger_sub_row(&s, 0, idbuf).quantity, 7);
		CHECK_STR_EQ(ledger_sub_row(&s, 1, idbuf).id, "bbbb-2");
		CHECK_STR_EQ(ledger_sub_row(&s, 1, idbuf).status, "active");
		CHECK(!ledger_sub_row(&s, 0, idbuf).active);
		CHECK(ledger_sub_row(&s, 1, idbuf).active);
		/* Without a buffer: no id, the rest the same. */
		CHECK(ledger_sub_row(&s, 1, NULL).id == NULL);
		CHECK_INT_EQ(ledger_sub_row(&s, 1, NULL).quantity, 10);
		CHECK_STR_EQ(ledger_sub_row(&s, 1, NULL).status, "active");
	}
	c = customer(&s, "c1");
	CHECK(c != NULL);
	if (c != NULL) {
		CHECK_INT_EQ(c->retired, 2);
		CHECK_INT_EQ(c->active_retired, 1);
		CHECK_INT_EQ(c->retired_seats, 10);
		CHECK_INT_EQ(c->earliest_end, day("2019-06-01"));
	}
	ledger_summary_free(&s);
	CHECK(s.subs == NULL && s.nsubs == 0);

	/* A later record that matches no rule takes the subscription away. */
	ledger_drop_sub(l, "BBBB-2", 6);
	ledger_drop_sub(l, "unknown", 7);
	ledger_summarize(l, &s);
	CHECK_INT_EQ(s.nsubs, 1);
	c = customer(&s, "c1");
	CHECK(c != NULL);
	if (c != NULL) {
		CHECK_INT_EQ(c->retired, 1);
		CHECK_INT_EQ(c->active_retired, 0);
		CHECK_INT_EQ(c->retired_seats, 0);
		CHECK(!c->any_active);
		CHECK_INT_EQ(c->earliest_end, DATE_NONE);
	}
	ledger_summary_free(&s);
	/* And comes back when it matches again. */
	add(l, r, "Bbbb-2", "c1", "sales-basic-qo", "active", 3, NULL);
	ledger_summarize(l, &s);
	CHECK_INT_EQ(s.nsubs, 2);
	c = customer(&s, "c1");
	if (CHECK(c != NULL)) {
		CHECK_INT_EQ(c->retired_seats, 3);
		CHECK(c->any_active);
		CHECK_INT_EQ(c->earliest_end, DATE_NONE);	/* unknown end date */
	}
	ledger_summary_free(&s);
	/* A subscription whose last record names another customer moves. */
	add(l, r, "bbbb-2", "c2", "sales-basic-qo", "active", 4, NULL);
	ledger_summarize(l, &s);
	CHECK(customer(&s, "c2") != NULL);
	if ((c = customer(&s, "c1")) != NULL)
		CHECK_INT_EQ(c->retired, 1);
	ledger_summary_free(&s);
	ledger_free(l);

	/* Retired seats saturate instead of overflowing. */
	l = ledger_new(r);
	add(l, r, "big-1", "huge", "sales-basic-qo", "active", INT64_MAX, NULL);
	add(l, r, "big-2", "huge", "sales-basic-qo", "active", INT64_MAX, NULL);
	ledger_summarize(l, &s);
	if (CHECK((c = customer(&s, "huge")) != NULL))
		CHECK_INT_EQ(c->retired_seats, INT64_MAX);
	ledger_summary_free(&s);
	ledger_free(l);

	/* Names: the last non-empty one; retired seats only from active. */
	l = ledger_new(r);
	memset(&in, 0, sizeof(in));
	in = (struct sub_in){ .id = "s1", .customer_key = "k", .customer_name = "First Name",
	    .customer_domain = "k.example", .offer = "o", .rule = rule_of(r, "sales-basic-qo"),
	    .status = "", .auto_renew = -1, .quantity = 3, .end_date = day("2019-05-01"),
	    .status_date = DATE_NONE };
	ledger_add_sub(l, &in);
	in.id = "s2"; in.customer_name = "Second Name"; in.status = "ACTIVE"; in.quantity = 10;
	in.end_date = day("2019-02-01");
	ledger_add_sub(l, &in);
	in.id = "s3"; in.customer_name = ""; in.status = "suspended"; in.quantity = 100;
	in.end_date = day("2019-01-02");
	ledger_add_sub(l, &in);
	in.id = "s4"; in.status = "expired"; in.quantity = 1000; in.end_date = day("2018-01-02");
	ledger_add_sub(l, &in);
	in.id = "s5"; in.status = "active"; in.quantity = 50;
	in.rule = rule_of(r, "sales-professional");	/* not retired: no retired seats */
	in.end_date = day("2018-06-01");
	ledger_add_sub(l, &in);
	ledger_summarize(l, &s);
	CHECK_INT_EQ(s.ncustomers, 1);
	CHECK_INT_EQ(s.nsubs, 4);
	if ((c = customer(&s, "k")) != NULL) {
		CHECK_STR_EQ(c->name, "Second Name");
		CHECK_INT_EQ(c->retired, 4);
		CHECK_INT_EQ(c->active_retired, 2);
		CHECK_INT_EQ(c->retired_seats, 13);
		CHECK_INT_EQ(c->earliest_end, day("2019-02-01"));
		CHECK(c->any_active);
		CHECK(c->replacement_purchased);
	} else {
		CHECK(c != NULL);
	}
	{
		const struct family_row *f = family(&s, r, "k", SALES_QO);

		if (CHECK(f != NULL))
			CHECK_INT_EQ(f->purchased, 13);
		f = family(&s, r, "k", SALES_PRO);
		if (CHECK(f != NULL))
			CHECK_INT_EQ(f->purchased, 50);
	}
	/* Subscription rows carry the customer's name. */
	for (size_t i = 0; i < s.nsubs; i++)
		CHECK_STR_EQ(ledger_sub_row(&s, i, idbuf).customer_name, "Second Name");
	ledger_summary_free(&s);
	/* A second summary counts the seats once, also after reading is done. */
	ledger_done_reading(l);
	ledger_summarize(l, &s);
	{
		const struct family_row *f = family(&s, r, "k", SALES_QO);

		if (CHECK(f != NULL))
			CHECK_INT_EQ(f->purchased, 13);
	}
	ledger_summary_free(&s);
	ledger_free(l);
}

static void
test_order(struct rules *r)
{
	struct ledger *l = ledger_new(r);
	struct ledger_summary s;

	add(l, r, "z-sub", "beta", "sales-basic-qo", "active", 1, "2019-01-10");
	add(l, r, "a-sub", "beta", "cep-basic-qo", "active", 1, "2019-01-20");
	add(l, r, "m-sub", "alpha", "cep-basic-qo", "active", 1, "2019-03-01");
	add(l, r, "rep-1", "gamma", "team-members", "active", 5, NULL);	/* not affected */
	add(l, r, "rep-2", "alpha", "sales-professional", "active", 2, NULL);
	add(l, r, "k-sub", "Delta", "sales-basic-qo", "active", 1, NULL);
	ledger_summarize(l, &s);

	CHECK_INT_EQ(s.ncustomers, 3);
	if (s.ncustomers == 3) {
		/* Byte order: upper case first. */
		CHECK_STR_EQ(s.customers[0].key, "Delta");
		CHECK_STR_EQ(s.customers[1].key, "alpha");
		CHECK_STR_EQ(s.customers[2].key, "beta");
		CHECK_INT_EQ(s.customers[2].earliest_end, day("2019-01-10"));
	}
	CHECK_INT_EQ(s.nsubs, 4);
	if (s.nsubs == 4) {
		CHECK_STR_EQ(ledger_sub_row(&s, 0, idbuf).customer_key, "Delta");
		CHECK_STR_EQ(ledger_sub_row(&s, 1, idbuf).customer_key, "alpha");
		CHECK_STR_EQ(ledger_sub_row(&s, 1, idbuf).id, "m-sub");
		CHECK_STR_EQ(ledger_sub_row(&s, 2, idbuf).id, "a-sub");
		CHECK_STR_EQ(ledger_sub_row(&s, 3, idbuf).id, "z-sub");
		CHECK_INT_EQ(ledger_sub_row(&s, 3, idbuf).end_date, day("2019-01-10"));
	}
	/* Families: by customer key, then family name. */
	CHECK_INT_EQ(families(&s), 6);
	if (families(&s) == 6) {
		static const char *want[6][2] = {
			{ "Delta", SALES_QO },
			{ "alpha", CEP_QO },
			{ "alpha", SALES_PRO },
			{ "beta", CEP_QO },
			{ "beta", SALES_QO },
			{ "gamma", TEAM },
		};

		for (int i = 0; i < 6; i++) {
			CHECK_STR_EQ(fams[i].customer_key, want[i][0]);
			CHECK_STR_EQ(rules_family(r, fams[i].family), want[i][1]);
		}
		CHECK_INT_EQ(fams[5].purchased, 5);
	}
	ledger_summary_free(&s);
	ledger_free(l);
}

/* Licenses of one product are one pool: users fill other seats first. */
static void
test_pooling(struct rules *r)
{
	struct ledger *l = ledger_new(r);
	struct ledger_summary s;
	const struct customer_row *c;
	const struct family_row *f;
	struct buf act = { 0 };
	int plan = rules_item_pool(r, "DYN365_ENTERPRISE_PLAN1", 23);
	int sales = rules_item_pool(r, "DYN365_ENTERPRISE_SALES", 23);
	char user[32];

	/* short: 20 retired + 15 replacement seats of the plan, 20 users on it. */
	add(l, r, "a1", "short", "cep-basic-qo", "active", 20, NULL);
	add(l, r, "a2", "short", "customer-engagement-plan", "active", 15, NULL);
	/* covered: 20 replacement seats for 20 users. */
	add(l, r, "b1", "covered", "cep-basic-qo", "active", 20, NULL);
	add(l, r, "b2", "covered", "customer-engagement-plan", "active", 20, NULL);
	/* nothing: no replacement, 3 users on the plan. */
	add(l, r, "c1", "nothing", "cep-basic-qo", "active", 10, NULL);
	/* full: retired Sales 5, full-price Sales 4, Sales Pro 1; 6 on Sales. */
	add(l, r, "d1", "full", "sales-basic-qo", "active", 5, NULL);
	add(l, r, "d2", "full", "sales-enterprise", "active", 4, NULL);
	add(l, r, "d3", "full", "sales-professional", "active", 1, NULL);
	ledger_cover(l, "short");
	ledger_cover(l, "covered");
	ledger_cover(l, "nothing");
	ledger_cover(l, "full");
	for (int i = 0; i < 20; i++) {
		snprintf(user, sizeof(user), "u%d@x.com", i);
		ledger_add_license(l, "short", user, strlen(user), plan, -1);
		ledger_add_license(l, "covered", user, strlen(user), plan, -1);
		if (i < 3)
			ledger_add_license(l, "nothing", user, strlen(user), plan, -1);
		if (i < 6)
			ledger_add_license(l, "full", user, strlen(user), sales, -1);
	}
	ledger_summarize(l, &s);
	if (CHECK((c = customer(&s, "short")) != NULL)) {
		CHECK_INT_EQ(c->users_on_retired, 5);
		CHECK_INT_EQ(c->licenses_reassigned, 0);
		CHECK_INT_EQ(c->action.more_seats, 5);
		CHECK_INT_EQ(c->action.move_users, 0);
		notice_next_action(&act, &c->action);
		CHECK_STR_EQ(act.data, "buy 5 more seats of Dynamics 365 Customer Engagement Plan");
	}
	if (CHECK((f = family(&s, r, "short", CEP_QO)) != NULL))
		CHECK_INT_EQ(f->assigned, 5);
	if (CHECK((f = family(&s, r, "short", "Dynamics 365 Customer Engagement Plan")) != NULL))
		CHECK_INT_EQ(f->assigned, 15);
	if (CHECK((c = customer(&s, "covered")) != NULL)) {
		CHECK_INT_EQ(c->users_on_retired, 0);
		CHECK_INT_EQ(c->licenses_reassigned, 1);
		notice_next_action(&act, &c->action);
		CHECK_STR_EQ(act.data, "suspend 1 subscription");
	}
	if (CHECK((c = customer(&s, "nothing")) != NULL)) {
		CHECK_INT_EQ(c->users_on_retired, 3);
		CHECK_INT_EQ(c->status, AUDIT_NOT_STARTED);
	}
	if (CHECK((c = customer(&s, "full")) != NULL)) {
		/* 4 users on the full-price seats, 2 depend on the retired ones. */
		CHECK_INT_EQ(c->users_on_retired, 2);
		notice_next_action(&act, &c->action);
		CHECK_STR_EQ(act.data, "move 2 users to Dynamics 365 for Sales Professional");
	}
	if (CHECK((f = family(&s, r, "full", "Dynamics 365 for Sales Enterprise Edition")) != NULL))
		CHECK_INT_EQ(f->assigned, 4);
	if (CHECK((f = family(&s, r, "full", SALES_QO)) != NULL))
		CHECK_INT_EQ(f->assigned, 2);
	buf_free(&act);
	ledger_summary_free(&s);
	ledger_free(l);
}

/* The totals every report shows saturate instead of wrapping. */
static void
test_totals(struct rules *r)
{
	struct ledger *l = ledger_new(r);
	struct ledger_summary s;

	add(l, r, "t1", "big1", "sales-basic-qo", "active", INT64_MAX - 10, NULL);
	add(l, r, "t2", "big2", "sales-basic-qo", "active", INT64_MAX - 10, NULL);
	add(l, r, "t3", "small", "cep-basic-qo", "active", 7, NULL);
	ledger_summarize(l, &s);
	CHECK_INT_EQ(s.ncustomers, 3);
	CHECK(s.retired_seats == INT64_MAX);
	ledger_summary_free(&s);
	ledger_free(l);

	l = ledger_new(r);
	add(l, r, "t3", "small", "cep-basic-qo", "active", 7, NULL);
	add(l, r, "t4", "other", "cep-basic-qo", "active", 5, NULL);
	ledger_summarize(l, &s);
	CHECK_INT_EQ(s.retired_seats, 12);
	ledger_summary_free(&s);
	ledger_free(l);
}

/* Customer keys are GUIDs or domains: one customer in any case, shown as first read. */
static void
test_customer_case(struct rules *r)
{
	struct ledger *l = ledger_new(r);
	struct ledger_summary s;
	const struct customer_row *c;

	add(l, r, "s1", "C0000001-AAAA", "sales-basic-qo", "active", 3, NULL);
	add(l, r, "s2", "c0000001-aaaa", "sales-basic-qo", "active", 4, NULL);
	add(l, r, "s3", "c0000001-AaAa", "sales-professional", "active", 1, NULL);
	ledger_cover(l, "c0000001-aaaa");
	ledger_add_license(l, "C0000001-AAAA", "ann@x.com", 9, -1, rule_of(r, "sales-professional"));
	ledger_summarize(l, &s);
	CHECK_INT_EQ(s.ncustomers, 1);
	if (CHECK((c = customer(&s, "C0000001-AAAA")) != NULL)) {
		CHECK_INT_EQ(c->retired_seats, 7);
		CHECK(c->replacement_purchased);
		CHECK_INT_EQ(c->licenses_reassigned, 1);
	}
	ledger_summary_free(&s);
	ledger_free(l);
}

static void
test_audit(struct rules *r)
{
	struct ledger *l = ledger_new(r);
	struct ledger_summary s;
	const struct customer_row *c;
	struct sub_in in = {
		.id = "x1", .customer_key = "sus", .customer_name = "", .customer_domain = "",
		.offer = "o", .rule = rule_of(r, "sales-basic-qo"), .status = "Suspended",
		.auto_renew = 0, .quantity = 1, .end_date = DATE_NONE,
		.status_date = day("2019-01-05"),
	};

	/* Deprovision: status date + 120 of the latest suspended one. */
	ledger_add_sub(l, &in);
	in.id = "x2";
	in.status_date = day("2018-12-01");
	ledger_add_sub(l, &in);
	in.id = "x3";
	in.status = "expired";
	in.status_date = day("2019-03-01");	/* not suspended: no deprovision */
	ledger_add_sub(l, &in);
	in.id = "y1";
	in.customer_key = "nodate";
	in.status = "suspended";
	in.status_date = DATE_NONE;
	ledger_add_sub(l, &in);

	/* Replacements purchased: active, and suggested by the retired rule. */
	add(l, r, "b1", "bought", "sales-basic-qo", "active", 1, NULL);
	add(l, r, "b2", "bought", "team-members", "ACTIVE", 1, NULL);
	add(l, r, "p1", "pending", "sales-basic-qo", "active", 1, NULL);
	add(l, r, "p2", "pending", "team-members", "pending", 1, NULL);
	add(l, r, "n1", "none", "cep-basic-qo", "active", 1, NULL);

	ledger_summarize(l, &s);
	if (CHECK((c = customer(&s, "sus")) != NULL)) {
		char out[11];

		values_date_format(c->deprovision, out);
		CHECK_STR_EQ(out, "2019-05-05");
		CHECK(!c->any_active);
		CHECK(!c->replacement_purchased);
		CHECK_INT_EQ(c->licenses_reassigned, -1);	/* no license rows */
	}
	if (CHECK((c = customer(&s, "nodate")) != NULL))
		CHECK_INT_EQ(c->deprovision, DATE_NONE);
	if (CHECK((c = customer(&s, "bought")) != NULL)) {
		CHECK(c->replacement_purchased);
		CHECK_INT_EQ(c->deprovision, DATE_NONE);
	}
	if (CHECK((c = customer(&s, "pending")) != NULL))
		CHECK(!c->replacement_purchased);
	if (CHECK((c = customer(&s, "none")) != NULL))
		CHECK(!c->replacement_purchased);
	ledger_summary_free(&s);
	ledger_free(l);
}

/* Rules where the retired rule suggests only one of two replacements. */
static void
test_suggested_only(void)
{
	static const char text[] = "id,kind,pattern,family,suggest\n"
	    "old,retired,^Old$,Old,new-a\n"
	    "new-a,replacement,^A$,Family A,\n"
	    "new-b,replacement,^B$,Family B,\n";
	char path[] = "/tmp/skuscan-unit-ledger-XXXXXX";
	int fd = mkstemp(path);
	struct rules *r = NULL;
	struct diag d;
	struct ledger *l;
	struct ledger_summary s;
	const struct customer_row *c;

	if (!CHECK(fd >= 0))
		return;
	CHECK(write(fd, text, sizeof(text) - 1) == (ssize_t)(sizeof(text) - 1));
	close(fd);
	CHECK_INT_EQ(rules_load(&r, path, &d), 0);
	unlink(path);
	if (r == NULL)
		return;
	l = ledger_new(r);
	add(l, r, "o1", "only-b", "old", "active", 1, NULL);
	add(l, r, "b1", "only-b", "new-b", "active", 1, NULL);
	add(l, r, "o2", "has-a", "old", "active", 1, NULL);
	add(l, r, "a2", "has-a", "new-a", "active", 1, NULL);
	add(l, r, "o3", "suspended-a", "old", "active", 1, NULL);
	add(l, r, "a3", "suspended-a", "new-a", "suspended", 1, NULL);
	ledger_summarize(l, &s);
	if (CHECK((c = customer(&s, "only-b")) != NULL))
		CHECK(!c->replacement_purchased);
	if (CHECK((c = customer(&s, "has-a")) != NULL))
		CHECK(c->replacement_purchased);
	if (CHECK((c = customer(&s, "suspended-a")) != NULL))
		CHECK(!c->replacement_purchased);
	ledger_summary_free(&s);
	ledger_free(l);
	rules_free(r);
}

static void
test_licenses(struct rules *r)
{
	struct ledger *l = ledger_new(r);
	struct ledger_summary s;
	const struct customer_row *c;
	const struct family_row *f;
	int sales = rule_of(r, "sales-basic-qo"), cep = rule_of(r, "cep-basic-qo");
	int pro = rule_of(r, "sales-professional"), team = rule_of(r, "team-members");

	add(l, r, "s1", "c1", "sales-basic-qo", "active", 10, NULL);
	add(l, r, "s2", "c2", "sales-basic-qo", "active", 2, NULL);
	add(l, r, "s3", "c2", "sales-professional", "active", 5, NULL);
	add(l, r, "s4", "c3", "cep-basic-qo", "active", 1, NULL);
	add(l, r, "s5", "c4", "cep-basic-qo", "active", 1, NULL);

	/* c1: users still on the retired offer, counted once each. */
	ledger_cover(l, "c1");
	ledger_add_license(l, "c1", "Ann@contoso.com", 15, -1, sales);
	ledger_add_license(l, "c1", "ann@CONTOSO.com", 15, -1, sales);
	ledger_add_license(l, "c1", "ann@contoso.com", 15, -1, cep);	/* other family */
	ledger_add_license(l, "c1", "bob@contoso.com", 15, -1, sales);
	ledger_add_license(l, "c1", "bob@contoso.com", 15, -1, team);
	/* c2: everyone moved. */
	ledger_cover(l, "c2");
	ledger_add_license(l, "c2", "ann@contoso.com", 15, -1, pro);	/* same UPN, other customer */
	ledger_add_license(l, "c2", "eve@fabrikam.com", 16, -1, pro);
	ledger_add_license(l, "c2", "EVE@fabrikam.com", 16, -1, pro);
	/* c3: covered but nobody holds anything relevant. */
	ledger_cover(l, "c3");
	/* c4: never covered. Unmatched rows count under their own key. */
	ledger_cover(l, "(unmatched)");
	ledger_add_license(l, "(unmatched)", "zed@nowhere.example", 19, -1, pro);
	/* Only the ulen bytes of the user count. */
	ledger_add_license(l, "c2", "eve@fabrikam.comXYZ", 16, -1, pro);

	ledger_summarize(l, &s);
	if (CHECK((c = customer(&s, "c1")) != NULL)) {
		CHECK_INT_EQ(c->users_on_retired, 2);
		CHECK_INT_EQ(c->licenses_reassigned, 0);
	}
	if (CHECK((c = customer(&s, "c2")) != NULL)) {
		CHECK_INT_EQ(c->users_on_retired, 0);
		CHECK_INT_EQ(c->licenses_reassigned, 1);
		CHECK(c->replacement_purchased);
	}
	if (CHECK((c = customer(&s, "c3")) != NULL)) {
		CHECK_INT_EQ(c->users_on_retired, 0);
		CHECK_INT_EQ(c->licenses_reassigned, 0);
	}
	if (CHECK((c = customer(&s, "c4")) != NULL))
		CHECK_INT_EQ(c->licenses_reassigned, -1);
	CHECK(customer(&s, "(unmatched)") == NULL);

	if (CHECK((f = family(&s, r, "c1", SALES_QO)) != NULL)) {
		CHECK_INT_EQ(f->purchased, 10);
		CHECK_INT_EQ(f->assigned, 2);
	}
	if (CHECK((f = family(&s, r, "c1", CEP_QO)) != NULL)) {
		CHECK_INT_EQ(f->purchased, 0);
		CHECK_INT_EQ(f->assigned, 1);
	}
	if (CHECK((f = family(&s, r, "c1", TEAM)) != NULL))
		CHECK_INT_EQ(f->assigned, 1);
	if (CHECK((f = family(&s, r, "c2", SALES_PRO)) != NULL)) {
		CHECK_INT_EQ(f->purchased, 5);
		CHECK_INT_EQ(f->assigned, 2);
	}
	if (CHECK((f = family(&s, r, "c2", SALES_QO)) != NULL)) {
		CHECK_INT_EQ(f->purchased, 2);
		CHECK_INT_EQ(f->assigned, 0);
	}
	if (CHECK((f = family(&s, r, "(unmatched)", SALES_PRO)) != NULL))
		CHECK_INT_EQ(f->assigned, 1);
	CHECK(family(&s, r, "c3", SALES_PRO) == NULL);
	ledger_summary_free(&s);
	ledger_free(l);
}

static void
add_dom(struct ledger *l, struct rules *r, const char *id, const char *key, const char *domain)
{
	struct sub_in s = {
		.id = id, .customer_key = key, .customer_name = "", .customer_domain = domain,
		.offer = "o", .rule = rule_of(r, "sales-basic-qo"), .status = "active",
		.auto_renew = -1, .quantity = 1, .end_date = DATE_NONE, .status_date = DATE_NONE,
	};

	ledger_add_sub(l, &s);
}

/* A join's customer, by its key. */
static const char *
joined_key(const struct customer *c)
{
	return c != NULL ? ledger_customer_key(c) : "(none)";
}

#define JOIN_IS(got, want) CHECK_STR_EQ(joined_key(got), (want))

static void
test_joins(struct rules *r)
{
	struct ledger *l = ledger_new(r);
	struct buf scratch = { 0 };

	ledger_keep_domains(l);

	add_dom(l, r, "1", "k-contoso", "Contoso.onmicrosoft.com");
	add_dom(l, r, "2", "k-contoso-com", "contoso.com");
	add_dom(l, r, "3", "k-fab-2", "fabrikam.de");
	add_dom(l, r, "4", "k-fab-1", "fabrikam.co.uk");
	add_dom(l, r, "5", "k-nodomain", "");
	add_dom(l, r, "6", "k-gone", "gone.com");
	ledger_drop_sub(l, "6", 1);
	ledger_joins_prepare(l);

	JOIN_IS(ledger_join_domain(l, &scratch, "contoso.com", 11), "k-contoso-com");
	JOIN_IS(ledger_join_domain(l, &scratch, "CONTOSO.COM", 11), "k-contoso-com");
	JOIN_IS(ledger_join_domain(l, &scratch, "contoso.onmicrosoft.com", 23), "k-contoso");
	JOIN_IS(ledger_join_domain(l, &scratch, "contoso", 7), "(none)");
	JOIN_IS(ledger_join_domain(l, &scratch, "gone.com", 8), "(none)");

	/* A tenant prefix: name.onmicrosoft.com first, then a domain starting "name.". */
	JOIN_IS(ledger_join_tenant(l, &scratch, "contoso", 7), "k-contoso");
	JOIN_IS(ledger_join_tenant(l, &scratch, "CONTOSO", 7), "k-contoso");
	JOIN_IS(ledger_join_tenant(l, &scratch, "fabrikam", 8), "k-fab-1");	/* the smallest key */
	JOIN_IS(ledger_join_tenant(l, &scratch, "fabrikamXX", 8), "k-fab-1");
	JOIN_IS(ledger_join_tenant(l, &scratch, "fab", 3), "(none)");
	JOIN_IS(ledger_join_tenant(l, &scratch, "northwind", 9), "(none)");

	/* A UPN: its domain, else the domain's first label as a tenant. */
	JOIN_IS(ledger_join_upn(l, &scratch, "ann@contoso.com", 15), "k-contoso-com");
	JOIN_IS(ledger_join_upn(l, &scratch, "Ann@Contoso.Com", 15), "k-contoso-com");
	JOIN_IS(ledger_join_upn(l, &scratch, "bob@contoso.onmicrosoft.com", 27), "k-contoso");
	JOIN_IS(ledger_join_upn(l, &scratch, "eve@fabrikam.com", 16), "k-fab-1");
	JOIN_IS(ledger_join_upn(l, &scratch, "joe@northwind.com", 17), "(none)");
	JOIN_IS(ledger_join_upn(l, &scratch, "no-at-sign", 10), "(none)");
	JOIN_IS(ledger_join_upn(l, &scratch, "trailing@", 9), "(none)");

	/* Through the memo: the same answers, whatever came before. */
	{
		struct ledger_upn_memo m = { 0 };

		JOIN_IS(ledger_join_upn_memo(l, &scratch, &m, "ann@contoso.com", 15), "k-contoso-com");
		JOIN_IS(ledger_join_upn_memo(l, &scratch, &m, "bob@contoso.com", 15), "k-contoso-com");
		JOIN_IS(ledger_join_upn_memo(l, &scratch, &m, "no-at-sign", 10), "(none)");
		JOIN_IS(ledger_join_upn_memo(l, &scratch, &m, "cy@contoso.com", 14), "k-contoso-com");
		JOIN_IS(ledger_join_upn_memo(l, &scratch, &m, "Ann@Contoso.Com", 15), "k-contoso-com");
		JOIN_IS(ledger_join_upn_memo(l, &scratch, &m, "joe@northwind.com", 17), "(none)");
		JOIN_IS(ledger_join_upn_memo(l, &scratch, &m, "kim@northwind.com", 17), "(none)");
		JOIN_IS(ledger_join_upn_memo(l, &scratch, &m, "eve@fabrikam.com", 16), "k-fab-1");
		JOIN_IS(ledger_join_upn_memo(l, &scratch, &m, "trailing@", 9), "(none)");
		JOIN_IS(ledger_join_upn_memo(l, &scratch, &m, "a@b@contoso.com", 15), "k-contoso-com");
		JOIN_IS(ledger_join_upn_memo(l, &scratch, &m, "eve@fabrikam.com", 16), "k-fab-1");
		buf_free(&m.domain);
	}
	ledger_free(l);

	/* Only contoso.com: the tenant falls back to the first label. */
	l = ledger_new(r);
	ledger_keep_domains(l);
	add_dom(l, r, "1", "only", "contoso.com");
	ledger_joins_prepare(l);
	JOIN_IS(ledger_join_tenant(l, &scratch, "contoso", 7), "only");
	JOIN_IS(ledger_join_upn(l, &scratch, "x@contoso.net", 13), "only");
	ledger_free(l);
	buf_free(&scratch);
}

/*
 * GUID ids are kept packed: they must read back as written, in their
 * case, match case-insensitively (also against a GUID kept as text, as
 * one of mixed case is), and sort as their text.
 */
static void
test_guid_ids(struct rules *r)
{
	struct ledger *l = ledger_new(r);
	struct ledger_summary s;
	static const char *const want[] = {
		"0000000A-0000-0000-0000-000000000000",	/* upper: packed */
		"0000000a-0000-0000-0000-00000000000b",	/* lower: packed */
		"0000000a-0000-0000-0000-00000000000c",
		"0000000a-0000-0000-0000-00000000000d",
		"0000000b-Aaaa-0000-0000-000000000000",	/* mixed: text */
		"99999999-9999-9999-9999-999999999999",	/* digits only */
		"9999999g-0000-0000-0000-000000000000",	/* not hex: text */
		"c0000000-0000-0000-0000-00000000000",	/* 35 bytes */
		"{0000000a-0000-0000-0000-000000000000}",
	};
	/* In byte order ('A' < 'a'), with the spellings that won. */
	static const char *const sorted[] = {
		"0000000A-0000-0000-0000-000000000000",
		"0000000A-0000-0000-0000-00000000000C",
		"0000000a-0000-0000-0000-00000000000b",
		"0000000a-0000-0000-0000-00000000000d",
		"0000000b-Aaaa-0000-0000-000000000000",
		"99999999-9999-9999-9999-999999999999",
		"9999999g-0000-0000-0000-000000000000",
		"c0000000-0000-0000-0000-00000000000",
		"{0000000a-0000-0000-0000-000000000000}",
	};
	size_t n = sizeof(want) / sizeof(want[0]);

	/* Added out of order, some in another case first. */
	for (size_t i = n; i-- > 0;)
		add(l, r, want[i], "c1", "sales-basic-qo", "active", 1, NULL);
	add(l, r, "0000000A-0000-0000-0000-00000000000B", "c1", "sales-basic-qo", "active", 1,
	    NULL);
	add(l, r, "0000000a-0000-0000-0000-00000000000b", "c1", "sales-basic-qo", "active", 2,
	    NULL);	/* the last spelling wins */
	add(l, r, "0000000B-AAAA-0000-0000-000000000000", "c1", "sales-basic-qo", "active", 1,
	    NULL);
	add(l, r, "0000000b-Aaaa-0000-0000-000000000000", "c1", "sales-basic-qo", "active", 3,
	    NULL);
	add(l, r, "0000000a-0000-0000-0000-00000000000c", "c1", "sales-basic-qo", "active", 1,
	    NULL);
	add(l, r, "0000000A-0000-0000-0000-00000000000C", "c1", "sales-basic-qo", "active", 4,
	    NULL);
	ledger_drop_sub(l, "0000000A-0000-0000-0000-00000000000d", 36);
	add(l, r, "0000000a-0000-0000-0000-00000000000D", "c2", "sales-basic-qo", "active", 1,
	    NULL);
	ledger_drop_sub(l, "0000000a-0000-0000-0000-00000000000D", 36);
	add(l, r, "0000000a-0000-0000-0000-00000000000d", "c1", "sales-basic-qo", "active", 1,
	    NULL);
	ledger_summarize(l, &s);
	CHECK_INT_EQ(s.nsubs, n);
	for (size_t i = 0; i < n && i < s.nsubs; i++)
		CHECK_STR_EQ(ledger_sub_row(&s, i, idbuf).id, sorted[i]);
	if (s.nsubs == n) {
		CHECK_INT_EQ(ledger_sub_row(&s, 1, idbuf).quantity, 4);
		CHECK_INT_EQ(ledger_sub_row(&s, 2, idbuf).quantity, 2);
		CHECK_INT_EQ(ledger_sub_row(&s, 4, idbuf).quantity, 3);
		CHECK_STR_EQ(ledger_sub_row(&s, 3, idbuf).customer_key, "c1");
	}
	ledger_summary_free(&s);
	ledger_free(l);
}

/*
 * Enough subscriptions for the id index and its filter to grow many times
 * (they are rebuilt from the index's tags): every one is still found,
 * in either case, after the growth.
 */
static void
test_many_ids(struct rules *r)
{
	struct ledger *l = ledger_new(r);
	struct ledger_summary s;
	enum { N = 60000 };
	char id[64];
	size_t live = 0;

	for (int i = 0; i < N; i++) {
		/* GUIDs (packed) and other ids (text), alternately. */
		if (i % 2)
			snprintf(id, sizeof(id), "%08x-1111-4111-8111-%012x", i * 2654435761u, i);
		else
			snprintf(id, sizeof(id), "sub-%d", i);
		add(l, r, id, i % 7 ? "c1" : "c2", "sales-basic-qo", "active", 1, NULL);
	}
	/* Every third taken away, by its id in upper case. */
	for (int i = 0; i < N; i += 3) {
		if (i % 2)
			snprintf(id, sizeof(id), "%08X-1111-4111-8111-%012X", i * 2654435761u, i);
		else
			snprintf(id, sizeof(id), "SUB-%d", i);
		ledger_drop_sub(l, id, strlen(id));
	}
	/* The rest seen again (no new subscriptions), quantity 2. */
	for (int i = 0; i < N; i++) {
		if (i % 3 == 0)
			continue;
		if (i % 2)
			snprintf(id, sizeof(id), "%08X-1111-4111-8111-%012x", i * 2654435761u, i);
		else
			snprintf(id, sizeof(id), "Sub-%d", i);
		add(l, r, id, i % 7 ? "c1" : "c2", "sales-basic-qo", "active", 2, NULL);
		live++;
	}
	ledger_done_reading(l);
	ledger_summarize(l, &s);
	CHECK_INT_EQ(s.nsubs, live);
	if (CHECK(s.ncustomers == 2)) {
		CHECK_INT_EQ(s.customers[0].retired + s.customers[1].retired, live);
		CHECK_INT_EQ(s.customers[0].retired_seats + s.customers[1].retired_seats,
		    2 * (int64_t)live);
	}
	ledger_summary_free(&s);
	ledger_free(l);
}

/*
 * Ids of digits whose length is a multiple of 8 once crowded into a few
 * places of the id index (its positions came from hash bits that such ids
 * hardly change): lookups walked thousands of slots, a 1M-row export took
 * 38 s instead of 2. The runs of taken slots must stay short: 120-260
 * slots for 100k-800k well-spread ids at 4/5 full, tens of thousands when
 * they crowd.
 */
static void
test_index_spread(struct rules *r)
{
	static const char *const formats[] = { "%016d", "sub-%012d", "%08d", "%d" };

	for (size_t f = 0; f < sizeof(formats) / sizeof(formats[0]); f++) {
		struct ledger *l = ledger_new(r);
		char id[32];

		for (int i = 0; i < 100000; i++) {
			snprintf(id, sizeof(id), formats[f], i);
			add(l, r, id, "c1", "sales-basic-qo", "active", 1, NULL);
		}
		if (!CHECK(ledger_index_longest_run(l) < 1000))
			fprintf(stderr, "     ids like %s: a run of %zu slots\n", formats[f],
			    ledger_index_longest_run(l));
		ledger_free(l);
	}
}

/*
 * What other threads compute ahead (the hashes in sub_in) and the hints
 * they give change nothing: a ledger fed them sums up as one fed none,
 * and the filter says "may hold" for every id kept and for few others.
 */
static void
test_hashed(struct rules *r)
{
	struct ledger *a = ledger_new(r), *b = ledger_new(r);
	struct ledger_summary sa, sb;
	char id[48], key[16];
	size_t others = 0, missed = 0, differ = 0;

	ledger_prefetch(b, 1, 2, 0);	/* harmless on an empty ledger */
	ledger_prefetch(b, 1, 0, 0);
	for (int i = 0; i < 3000; i++) {
		struct sub_in in = {
			.id = id, .customer_key = key, .customer_name = i % 2 ? "Even" : "Odd",
			.customer_domain = "", .offer = "x", .rule = rule_of(r, "sales-basic-qo"),
			.status = "Active", .quantity = i, .end_date = DATE_NONE,
			.status_date = DATE_NONE,
		};

		/* Text ids and GUIDs in either case, each seen again in the other. */
		if (i % 2500 % 3 == 0)
			snprintf(id, sizeof(id), "id-%d", i % 2500);
		else
			snprintf(id, sizeof(id), i < 2500 ? "%08x-1111-4111-8111-%012x" :
			    "%08X-1111-4111-8111-%012X", (i % 2500) * 2654435761u, i % 2500);
		snprintf(key, sizeof(key), "k%d", i % 97);
		ledger_add_sub(a, &in);
		in.id_hash = ledger_id_hash(id, strlen(id));
		in.customer_hash = ledger_customer_hash(key, strlen(key));
		in.id_packed = true;
		in.id_form = ledger_id_pack(id, strlen(id), in.id_guid);
		ledger_prefetch(b, in.id_hash, in.customer_hash, i % 2);
		ledger_add_sub(b, &in);
		missed += !ledger_may_hold(b, in.id_hash);
	}
	CHECK_INT_EQ(missed, 0);
	for (int i = 0; i < 1000; i++) {
		snprintf(id, sizeof(id), "other-%d", i);
		others += ledger_may_hold(b, ledger_id_hash(id, strlen(id)));
	}
	CHECK(others < 20);
	ledger_summarize(a, &sa);
	ledger_summarize(b, &sb);
	if (CHECK(sa.nsubs == 2500 && sb.nsubs == 2500 && sa.ncustomers == 97 &&
	    sb.ncustomers == 97)) {
		for (size_t i = 0; i < sa.nsubs; i++) {
			struct sub_row x = ledger_sub_row(&sa, i, NULL), y = ledger_sub_row(&sb, i, NULL);

			char ia[LEDGER_ID_BUF], ib[LEDGER_ID_BUF];
			struct sub_row xa = ledger_sub_row(&sa, i, ia), yb = ledger_sub_row(&sb, i, ib);

			differ += strcmp(x.customer_key, y.customer_key) != 0 ||
			    x.quantity != y.quantity || strcmp(xa.id, yb.id) != 0;
		}
		for (size_t i = 0; i < sa.ncustomers; i++)
			differ += strcmp(sa.customers[i].name, sb.customers[i].name) != 0 ||
			    sa.customers[i].retired_seats != sb.customers[i].retired_seats;
		CHECK_INT_EQ(differ, 0);
	}
	ledger_summary_free(&sa);
	ledger_summary_free(&sb);
	ledger_free(a);
	ledger_free(b);
}

/*
 * Customers in strcmp order whatever their keys share: the sort compares
 * the first 8 bytes as a number, then the keys.
 */
static void
test_key_order(struct rules *r)
{
	static const char *const keys[] = {
		"b", "abcdefgh2", "\xc3\xa9t\xc3\xa9", "abcdefgh", "a", "abcdefgh10",
		"Z", "abc", "abcdefgh1", "ab", "\x7f", "abcdefg", "abcdefgi",
	};
	enum { N = sizeof(keys) / sizeof(keys[0]) };
	struct ledger *l = ledger_new(r);
	struct ledger_summary s;
	const char *want[N];
	char id[16];

	for (int i = 0; i < N; i++) {
		snprintf(id, sizeof(id), "s%d", i);
		add(l, r, id, keys[i], "sales-basic-qo", "active", 1, NULL);
		want[i] = keys[i];
	}
	/* The expected order, by an insertion sort with strcmp. */
	for (int i = 1; i < N; i++)
		for (int j = i; j > 0 && strcmp(want[j - 1], want[j]) > 0; j--) {
			const char *t = want[j];

			want[j] = want[j - 1];
			want[j - 1] = t;
		}
	ledger_summarize(l, &s);
	if (CHECK(s.ncustomers == N))
		for (int i = 0; i < N; i++)
			CHECK_STR_EQ(s.customers[i].key, want[i]);
	ledger_summary_free(&s);
	ledger_free(l);
}

/*
 * The id hash is the same for ids that differ only in the case of ASCII
 * letters, at every length around its 8-byte words, and tells ids apart.
 */
static void
test_id_hash(void)
{
	const char *mixed = "5000000B-2222-4222-8222-00000000000B and Some Tail";
	char low[64], other[64];
	size_t n = strlen(mixed), same = 0, differ = 0;

	for (size_t i = 0; i <= n; i++)
		low[i] = (mixed[i] >= 'A' && mixed[i] <= 'Z') ? (char)(mixed[i] + 32) : mixed[i];
	for (size_t k = 0; k <= n; k++) {
		same += ledger_id_hash(mixed, k) == ledger_id_hash(low, k);
		/* One character changed, anywhere: another hash. */
		for (size_t at = 0; at < k; at++) {
			memcpy(other, low, k);
			other[at] = other[at] == '0' ? '1' : '0';
			differ += ledger_id_hash(other, k) != ledger_id_hash(low, k);
		}
	}
	CHECK_INT_EQ(same, n + 1);
	CHECK_INT_EQ(differ, n * (n + 1) / 2);
}

/*
 * The phases are asserted: in a child, a record after ledger_done_reading
 * and a customer summary without ledger_order first each abort (SIGABRT),
 * while the right order does not.
 */
static int
phase_child(struct rules *r, int which)
{
	pid_t pid = fork();
	int st = 0;

	if (pid == 0) {
		struct ledger *l = ledger_new(r);
		struct ledger_summary s;

		/* The child's own abort is the expected result: no report of it. */
		fclose(stderr);
		add(l, r, "p-1", "c1", "sales-basic-qo", "active", 1, NULL);
		if (which == 0) {
			ledger_done_reading(l);
			add(l, r, "p-2", "c1", "sales-basic-qo", "active", 1, NULL);
		} else if (which == 1) {
			ledger_order(l, &s);
			add(l, r, "p-2", "c1", "sales-basic-qo", "active", 1, NULL);
			ledger_summarize_customers(l, &s);
		} else {
			ledger_done_reading(l);
			ledger_order(l, &s);
			ledger_summarize_customers(l, &s);
			ledger_summary_free(&s);
			ledger_free(l);
		}
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFSIGNALED(st) ? WTERMSIG(st) : 0;
}

static void
test_phases(struct rules *r)
{
	CHECK_INT_EQ(phase_child(r, 0), SIGABRT);
	CHECK_INT_EQ(phase_child(r, 1), SIGABRT);
	CHECK_INT_EQ(phase_child(r, 2), 0);
}

void
test_ledger(void)
{
	struct rules *r = NULL;
	struct diag d;

	if (!CHECK(rules_load(&r, NULL, &d) == 0))
		return;
	test_subs(r);
	test_guid_ids(r);
	test_many_ids(r);
	test_index_spread(r);
	test_id_hash();
	test_hashed(r);
	test_order(r);
	test_customer_case(r);
	test_pooling(r);
	test_totals(r);
	test_key_order(r);
	test_audit(r);
	test_suggested_only();
	test_licenses(r);
	test_joins(r);
	test_phases(r);
	rules_free(r);
	ledger_free(NULL);
}

/* Unit tests of header.h: alias tables, mapping and missing-column messages. */
#include <string.h>

#include "check.h"
#include "header.h"

#define MAXCOL 32

struct hdr {
	const char *names[MAXCOL];
	size_t lens[MAXCOL];
	size_t n;
	int col[SF_COUNT + LF_COUNT];
};

/* Splits a comma-separated header line (literal, no quoting) into h. */
static void
hdr_set(struct hdr *h, enum header_kind kind, const char *line)
{
	static char store[8][1024];
	static int which;
	char *s = store[which++ % 8], *p;

	snprintf(s, sizeof(store[0]), "%s", line);
	memset(h, 0, sizeof(*h));
	for (p = s; h->n < MAXCOL;) {
		char *c = strchr(p, ',');

		h->names[h->n] = p;
		h->lens[h->n] = c ? (size_t)(c - p) : strlen(p);
		h->n++;
		if (c == NULL)
			break;
		p = c + 1;
	}
	header_map(kind, h->names, h->lens, h->n, h->col);
}

static void
test_map(void)
{
	struct hdr h;
	size_t count;
	const struct header_field *f;
	char out[64];

	f = header_fields(HEADER_SUBSCRIPTIONS, &count);
	CHECK_INT_EQ(count, SF_COUNT);
	CHECK_STR_EQ(f[SF_SUBSCRIPTION_ID].aliases[0], "SyndicationPartnerSubscriptionNumber");
	CHECK(f[SF_OFFER_NAME].required);
	CHECK(!f[SF_STATUS].required);
	f = header_fields(HEADER_LICENSES, &count);
	CHECK_INT_EQ(count, LF_COUNT);
	CHECK_STR_EQ(f[LF_USER].aliases[0], "UserPrincipalName");

	header_normalize("Customer_Tenant-Id. X", 21, out, sizeof(out));
	CHECK_STR_EQ(out, "customertenantidx");
	header_normalize("ABCDEFGH", 8, out, 4);		/* bounded */
	CHECK_STR_EQ(out, "abc");

	/* Partner Center's own names. */
	hdr_set(&h, HEADER_SUBSCRIPTIONS,
	    "CustomerId,CustomerName,CustomerDomainName,SubscriptionId,OfferName,OfferId,"
	    "Quantity,Status,AutoRenewEnabled,CommitmentEndDate,SuspensionDate,ChargeType,"
	    "ChargeStartDate");
	for (int i = 0; i < SF_COUNT; i++)
		CHECK_INT_EQ(h.col[i], i);

	/* Other aliases, any order, extra columns ignored. */
	hdr_set(&h, HEADER_SUBSCRIPTIONS,
	    "Extra,Seats,Product Name,Microsoft ID,Company Name,Primary Domain Name,Id,"
	    "SkuId,SubscriptionStatus,Auto Renewal,ExpirationDate,StatusChangedDate");
	CHECK_INT_EQ(h.col[SF_QUANTITY], 1);
	CHECK_INT_EQ(h.col[SF_OFFER_NAME], 2);
	CHECK_INT_EQ(h.col[SF_CUSTOMER_ID], 3);
	CHECK_INT_EQ(h.col[SF_CUSTOMER_NAME], 4);
	CHECK_INT_EQ(h.col[SF_CUSTOMER_DOMAIN], 5);
	CHECK_INT_EQ(h.col[SF_SUBSCRIPTION_ID], 6);
	CHECK_INT_EQ(h.col[SF_OFFER_ID], 7);
	CHECK_INT_EQ(h.col[SF_STATUS], 8);
	CHECK_INT_EQ(h.col[SF_AUTO_RENEW], 9);
	CHECK_INT_EQ(h.col[SF_END_DATE], 10);
	CHECK_INT_EQ(h.col[SF_STATUS_DATE], 11);

	/* Case, spaces, '_', '-' and '.' do not matter. */
	hdr_set(&h, HEADER_SUBSCRIPTIONS,
	    "customer_id,SUBSCRIPTION-ID,offer.name,  Quantity ,commitment end date,AUTO_RENEW");
	CHECK_INT_EQ(h.col[SF_CUSTOMER_ID], 0);
	CHECK_INT_EQ(h.col[SF_SUBSCRIPTION_ID], 1);
	CHECK_INT_EQ(h.col[SF_OFFER_NAME], 2);
	CHECK_INT_EQ(h.col[SF_QUANTITY], 3);
	CHECK_INT_EQ(h.col[SF_END_DATE], 4);
	CHECK_INT_EQ(h.col[SF_AUTO_RENEW], 5);
	CHECK_INT_EQ(h.col[SF_STATUS], -1);
	CHECK_INT_EQ(h.col[SF_CUSTOMER_NAME], -1);
	CHECK_INT_EQ(h.col[SF_STATUS_DATE], -1);

	/* Priority: the alias earlier in the table wins, whatever the order. */
	hdr_set(&h, HEADER_SUBSCRIPTIONS,
	    "SubscriptionId,CustomerId,OfferName,Quantity,SyndicationPartnerSubscriptionNumber");
	CHECK_INT_EQ(h.col[SF_SUBSCRIPTION_ID], 4);
	hdr_set(&h, HEADER_SUBSCRIPTIONS,
	    "SyndicationPartnerSubscriptionNumber,CustomerId,OfferName,Quantity,SubscriptionId");
	CHECK_INT_EQ(h.col[SF_SUBSCRIPTION_ID], 0);
	hdr_set(&h, HEADER_SUBSCRIPTIONS, "Id,Subscription ID,OfferName");
	CHECK_INT_EQ(h.col[SF_SUBSCRIPTION_ID], 1);
	hdr_set(&h, HEADER_SUBSCRIPTIONS, "FriendlyName,SkuName,OfferName");
	CHECK_INT_EQ(h.col[SF_OFFER_NAME], 2);
	hdr_set(&h, HEADER_SUBSCRIPTIONS, "TenantId,CustomerId");
	CHECK_INT_EQ(h.col[SF_CUSTOMER_ID], 1);
	hdr_set(&h, HEADER_SUBSCRIPTIONS, "EndDate,CommitmentEndDateTime");
	CHECK_INT_EQ(h.col[SF_END_DATE], 1);

	/* License exports. */
	hdr_set(&h, HEADER_LICENSES,
	    "Block credential,Display name,Licenses,User principal name,Office");
	CHECK_INT_EQ(h.col[LF_DISPLAY_NAME], 1);
	CHECK_INT_EQ(h.col[LF_LICENSES], 2);
	CHECK_INT_EQ(h.col[LF_USER], 3);
	CHECK_INT_EQ(h.col[LF_CUSTOMER_ID], -1);
	CHECK_INT_EQ(h.col[LF_CUSTOMER_DOMAIN], -1);
	hdr_set(&h, HEADER_LICENSES, "Email,UPN,Product,AccountSkuId,DomainName,TenantId");
	CHECK_INT_EQ(h.col[LF_USER], 1);
	CHECK_INT_EQ(h.col[LF_LICENSES], 3);
	CHECK_INT_EQ(h.col[LF_CUSTOMER_DOMAIN], 4);
	CHECK_INT_EQ(h.col[LF_CUSTOMER_ID], 5);
}

static void
test_check(void)
{
	struct hdr h;
	struct diag d;

	hdr_set(&h, HEADER_SUBSCRIPTIONS, "CustomerId,SubscriptionId,OfferName,Quantity");
	memset(&d, 0, sizeof(d));
	CHECK_INT_EQ(header_check(HEADER_SUBSCRIPTIONS, "a.csv", h.names, h.lens, h.n, h.col, &d), 0);
	/* customer_domain stands in for customer_id. */
	hdr_set(&h, HEADER_SUBSCRIPTIONS, "DomainName,SubscriptionId,OfferName,Quantity");
	CHECK_INT_EQ(header_check(HEADER_SUBSCRIPTIONS, "a.csv", h.names, h.lens, h.n, h.col, &d), 0);

	/* A misspelt required column: named, headers listed, nearest suggested. */
	hdr_set(&h, HEADER_SUBSCRIPTIONS, "CustomerId,SubscriptionId,Offer Nmae,Quantity");
	memset(&d, 0, sizeof(d));
	CHECK_INT_EQ(header_check(HEADER_SUBSCRIPTIONS, "subs.csv", h.names, h.lens, h.n, h.col, &d),
	    -1);
	CHECK_STR_EQ(d.file, "subs.csv");
	CHECK_INT_EQ(d.line, 1);
	CHECK_CONTAINS(d.msg, "offer_name");
	CHECK_CONTAINS(d.msg, "'CustomerId', 'SubscriptionId', 'Offer Nmae', 'Quantity'");
	CHECK_CONTAINS(d.msg, "did you mean 'Offer Name'");
	CHECK(strstr(d.msg, "license export") == NULL);

	/* The first missing field is named; no suggestion when nothing is near. */
	hdr_set(&h, HEADER_SUBSCRIPTIONS, "CustomerId,OfferName,Quantity");
	memset(&d, 0, sizeof(d));
	CHECK_INT_EQ(header_check(HEADER_SUBSCRIPTIONS, "s.csv", h.names, h.lens, h.n, h.col, &d), -1);
	CHECK_CONTAINS(d.msg, "subscription_id");
	CHECK_CONTAINS(d.msg, "SyndicationPartnerSubscriptionNumber");
	CHECK(strstr(d.msg, "did you mean") == NULL);

	hdr_set(&h, HEADER_SUBSCRIPTIONS, "CustomerId,SubscriptionId,OfferName");
	memset(&d, 0, sizeof(d));
	CHECK_INT_EQ(header_check(HEADER_SUBSCRIPTIONS, "s.csv", h.names, h.lens, h.n, h.col, &d), -1);
	CHECK_CONTAINS(d.msg, "no quantity column");

	hdr_set(&h, HEADER_SUBSCRIPTIONS, "CustomerName,SubscriptionId,OfferName,Quantity");
	memset(&d, 0, sizeof(d));
	CHECK_INT_EQ(header_check(HEADER_SUBSCRIPTIONS, "s.csv", h.names, h.lens, h.n, h.col, &d), -1);
	CHECK_CONTAINS(d.msg, "customer_id");
	CHECK_CONTAINS(d.msg, "customer_domain");

	hdr_set(&h, HEADER_SUBSCRIPTIONS, "CustomerId,SubscriptionId,OfferName,Qantity");
	memset(&d, 0, sizeof(d));
	CHECK_INT_EQ(header_check(HEADER_SUBSCRIPTIONS, "s.csv", h.names, h.lens, h.n, h.col, &d), -1);
	CHECK_CONTAINS(d.msg, "did you mean 'Quantity'");

	/* A header read as one field names the delimiter it holds. */
	hdr_set(&h, HEADER_SUBSCRIPTIONS, "CustomerId;SubscriptionId;OfferName;Quantity");
	memset(&d, 0, sizeof(d));
	CHECK_INT_EQ(header_check(HEADER_SUBSCRIPTIONS, "s.csv", h.names, h.lens, h.n, h.col, &d), -1);
	CHECK_CONTAINS(d.msg, "the whole header was one field");
	CHECK_CONTAINS(d.msg, "try -d ';'");
	hdr_set(&h, HEADER_SUBSCRIPTIONS, "CustomerId");
	memset(&d, 0, sizeof(d));
	CHECK_INT_EQ(header_check(HEADER_SUBSCRIPTIONS, "s.csv", h.names, h.lens, h.n, h.col, &d), -1);
	CHECK(strstr(d.msg, "one field") == NULL);

	/* Misspelt optional columns: one warning each, none for real exports. */
	{
		struct buf w = { 0 };

		hdr_set(&h, HEADER_SUBSCRIPTIONS,
		    "CustomerId,SubscriptionId,OfferName,Quantity,Staus,CommitmentEndDte");
		CHECK_INT_EQ(header_hints(HEADER_SUBSCRIPTIONS, h.names, h.lens, h.n, h.col,
		    false, 1000, &w), 2);
		buf_addc(&w, '\0');
		CHECK_CONTAINS(w.data, "column 'Staus' is not read: did you mean 'Status' (status)?");
		CHECK_CONTAINS(w.data, "\ncolumn 'CommitmentEndDte' is not read: did you mean "
		    "'CommitmentEndDate' (end_date)?");
		/* A bound keeps whole warnings only. */
		w.len = 0;
		CHECK_INT_EQ(header_hints(HEADER_SUBSCRIPTIONS, h.names, h.lens, h.n, h.col,
		    false, 80, &w), 1);
		CHECK_MEM_EQ(w.data, w.len, "column 'Staus' is not read: did you mean 'Status' (status)?");
		w.len = 0;
		hdr_set(&h, HEADER_SUBSCRIPTIONS, "PartnerId,CustomerId,CustomerName,MpnId,"
		    "ResellerMpnId,OrderId,SubscriptionId,SyndicationPartnerSubscriptionNumber,"
		    "OfferId,DurableOfferId,OfferName,SubscriptionStartDate,SubscriptionEndDate,"
		    "ChargeStartDate,ChargeEndDate,ChargeType,UnitPrice,Quantity,Amount,"
		    "TotalOtherDiscount,Subtotal,Tax,TotalForCustomer,Currency,DomainName,"
		    "SubscriptionName,SubscriptionDescription,BillingCycleType");
		/* No typo in the documented reconciliation header. */
		CHECK_INT_EQ(header_hints(HEADER_SUBSCRIPTIONS, h.names, h.lens, h.n, h.col,
		    false, 1000, &w), 0);
		CHECK(h.col[SF_CHARGE_TYPE] == 15 && h.col[SF_CHARGE_START] == 13);
		/* State is two edits from Status: a different column, not a typo. */
		hdr_set(&h, HEADER_SUBSCRIPTIONS, "CustomerId,SubscriptionId,OfferName,Quantity,State");
		CHECK_INT_EQ(header_hints(HEADER_SUBSCRIPTIONS, h.names, h.lens, h.n, h.col,
		    false, 1000, &w), 0);
		/* A control character in a name: escaped for stderr, as read for the page. */
		hdr_set(&h, HEADER_SUBSCRIPTIONS,
		    "CustomerId,SubscriptionId,OfferName,Quantity,Sta\x1btus");
		w.len = 0;
		CHECK_INT_EQ(header_hints(HEADER_SUBSCRIPTIONS, h.names, h.lens, h.n, h.col,
		    true, 1000, &w), 1);
		CHECK_MEM_EQ(w.data, w.len,
		    "column 'Sta\\x1btus' is not read: did you mean 'Status' (status)?");
		w.len = 0;
		CHECK_INT_EQ(header_hints(HEADER_SUBSCRIPTIONS, h.names, h.lens, h.n, h.col,
		    false, 1000, &w), 1);
		CHECK_MEM_EQ(w.data, w.len,
		    "column 'Sta\x1btus' is not read: did you mean 'Status' (status)?");
		w.len = 0;
		hdr_set(&h, HEADER_LICENSES, "User principal name,Licenses,Display nam");
		CHECK_INT_EQ(header_hints(HEADER_LICENSES, h.names, h.lens, h.n, h.col,
		    false, 1000, &w), 1);
		buf_free(&w);
	}

	/* A license export given as subscriptions gets a hint. */
	hdr_set(&h, HEADER_SUBSCRIPTIONS, "UserPrincipalName,DisplayName,Licenses");
	memset(&d, 0, sizeof(d));
	CHECK_INT_EQ(header_check(HEADER_SUBSCRIPTIONS, "users.csv", h.names, h.lens, h.n, h.col, &d),
	    -1);
	CHECK_STR_EQ(d.file, "users.csv");
	CHECK_CONTAINS(d.msg, "'UserPrincipalName', 'DisplayName', 'Licenses'");
	CHECK_CONTAINS(d.msg, "license export");
	CHECK_CONTAINS(d.msg, "-l");

	/* And the other way round. */
	hdr_set(&h, HEADER_LICENSES, "CustomerId,SubscriptionId,OfferName,Quantity");
	memset(&d, 0, sizeof(d));
	CHECK_INT_EQ(header_check(HEADER_LICENSES, "subs.csv", h.names, h.lens, h.n, h.col, &d), -1);
	CHECK_CONTAINS(d.msg, "no user column");
	CHECK_CONTAINS(d.msg, "subscription export");
	CHECK_CONTAINS(d.msg, "-s");

	hdr_set(&h, HEADER_LICENSES, "UserPrincipalName,DisplayName,Licenses");
	CHECK_INT_EQ(header_check(HEADER_LICENSES, "u.csv", h.names, h.lens, h.n, h.col, &d), 0);
	hdr_set(&h, HEADER_LICENSES, "UserPrincipalName,DisplayName");
	memset(&d, 0, sizeof(d));
	CHECK_INT_EQ(header_check(HEADER_LICENSES, "u.csv", h.names, h.lens, h.n, h.col, &d), -1);
	CHECK_CONTAINS(d.msg, "no licenses column");

	CHECK_INT_EQ(header_distance("kitten", "sitting"), 3);
	CHECK_INT_EQ(header_distance("", "abc"), 3);
	CHECK_INT_EQ(header_distance("same", "same"), 0);
	CHECK_INT_EQ(header_distance("offernmae", "offername"), 2);
}

void
test_header(void)
{
	test_map();
	test_check();
}

/* header: SPEC's alias tables and the mapping of header lines onto them. */
#include <stdio.h>
#include <string.h>

#include "header.h"
#include "text.h"

static const struct header_field sub_fields[SF_COUNT] = {
	[SF_CUSTOMER_ID] = { "customer_id",
	    { "CustomerId", "Customer ID", "Microsoft ID", "CustomerTenantId", "TenantId" }, false },
	[SF_CUSTOMER_NAME] = { "customer_name",
	    { "CustomerName", "Customer Name", "CustomerCompanyName", "Company Name" }, false },
	[SF_CUSTOMER_DOMAIN] = { "customer_domain",
	    { "CustomerDomainName", "DomainName", "Domain Name", "Primary Domain Name",
	      "DefaultDomainName" }, false },
	[SF_SUBSCRIPTION_ID] = { "subscription_id",
	    { "SyndicationPartnerSubscriptionNumber", "SubscriptionId", "Subscription ID", "Id" },
	    true },
	[SF_OFFER_NAME] = { "offer_name",
	    { "OfferName", "Offer Name", "SkuName", "ProductName", "Product Name",
	      "SubscriptionDescription", "SubscriptionName", "FriendlyName" }, true },
	[SF_OFFER_ID] = { "offer_id",
	    { "OfferId", "DurableOfferId", "ProductId", "SkuId" }, false },
	[SF_QUANTITY] = { "quantity",
	    { "Quantity", "BillableQuantity", "Seats", "Licenses", "LicenseCount" }, true },
	[SF_STATUS] = { "status", { "Status", "SubscriptionStatus" }, false },
	[SF_AUTO_RENEW] = { "auto_renew",
	    { "AutoRenewEnabled", "AutoRenew", "Auto Renew", "Auto Renewal" }, false },
	[SF_END_DATE] = { "end_date",
	    { "CommitmentEndDate", "CommitmentEndDateTime", "SubscriptionEndDate", "EndDate",
	      "End Date", "ExpirationDate" }, false },
	[SF_STATUS_DATE] = { "status_date",
	    { "SuspensionDate", "StatusDate", "StatusChangedDate" }, false },
	[SF_CHARGE_TYPE] = { "charge_type", { "ChargeType", "Charge Type" }, false },
	[SF_CHARGE_START] = { "charge_start", { "ChargeStartDate", "Charge Start Date" }, false },
};

static const struct header_field lic_fields[LF_COUNT] = {
	[LF_CUSTOMER_ID] = { "customer_id",
	    { "CustomerId", "Customer ID", "Microsoft ID", "CustomerTenantId", "TenantId" }, false },
	[LF_CUSTOMER_DOMAIN] = { "customer_domain",
	    { "CustomerDomainName", "DomainName", "Domain Name", "Primary Domain Name",
	      "DefaultDomainName" }, false },
	[LF_USER] = { "user",
	    { "UserPrincipalName", "User Principal Name", "UPN", "User", "UserName", "Email" },
	    true },
	[LF_DISPLAY_NAME] = { "display_name", { "DisplayName", "Display Name" }, false },
	[LF_LICENSES] = { "licenses",
	    { "Licenses", "Assigned Products", "AccountSkuId", "SkuPartNumber", "License",
	      "OfferName", "Product" }, true },
};

const struct header_field *
header_fields(enum header_kind kind, size_t *count)
{
	if (kind == HEADER_SUBSCRIPTIONS) {
		*count = SF_COUNT;
		return sub_fields;
	}
	*count = LF_COUNT;
	return lic_fields;
}

void
header_normalize(const char *s, size_t n, char *out, size_t outsize)
{
	size_t k = 0;

	for (size_t i = 0; i < n && k + 1 < outsize; i++) {
		char c = s[i];

		if (c == ' ' || c == '_' || c == '-' || c == '.' || c == '\t')
			continue;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		out[k++] = c;
	}
	out[k] = '\0';
}

void
header_map(enum header_kind kind, const char *const *names, const size_t *lens,
    size_t n, int *col)
{
	size_t count;
	const struct header_field *f = header_fields(kind, &count);
	char norm[256], alias[256];

	for (size_t i = 0; i < count; i++) {
		col[i] = -1;
		for (size_t a = 0; a < 10 && f[i].aliases[a] && col[i] < 0; a++) {
			header_normalize(f[i].aliases[a], strlen(f[i].aliases[a]), alias, sizeof(alias));
			for (size_t c = 0; c < n; c++) {
				header_normalize(names[c], lens[c], norm, sizeof(norm));
				if (strcmp(norm, alias) == 0) {
					col[i] = (int)c;
					break;
				}
			}
		}
	}
}

size_t
header_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t row[257];

	if (la > 256 || lb > 256)
		return (size_t)-1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0], tmp;

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t best = diag + (a[i - 1] != b[j - 1]);

			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			tmp = row[j];
			row[j] = best;
			diag = tmp;
		}
	}
	return row[lb];
}

/* Lower-cased copy of s[0..n) into out. */
static void
lower_copy(const char *s, size_t n, char *out, size_t outsize)
{
	size_t k = 0;

	for (size_t i = 0; i < n && k + 1 < outsize; i++)
		out[k++] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
	out[k] = '\0';
}

/*
 * The accepted name nearest to one of the headers, or NULL if none is
 * near. Distance counts on normalized names; a tie goes to the alias
 * spelled most like the header as written ("Offer Nmae": "Offer Name").
 */
static const char *
closest(const struct header_field *f, const char *const *names, const size_t *lens, size_t n,
    const int *col, size_t nfields, bool strict, size_t *at)
{
	const char *best = NULL;
	size_t bestd = (size_t)-1, bestraw = (size_t)-1;
	char norm[256], alias[256], rawh[256], rawa[256];

	for (size_t a = 0; a < 10 && f->aliases[a]; a++) {
		header_normalize(f->aliases[a], strlen(f->aliases[a]), alias, sizeof(alias));
		lower_copy(f->aliases[a], strlen(f->aliases[a]), rawa, sizeof(rawa));
		for (size_t c = 0; c < n; c++) {
			size_t dist, raw, limit;
			bool used = false;

			/* A header that already names a field is no typo of another. */
			for (size_t k = 0; k < nfields; k++)
				used = used || col[k] == (int)c;
			if (used)
				continue;
			header_normalize(names[c], lens[c], norm, sizeof(norm));
			lower_copy(names[c], lens[c], rawh, sizeof(rawh));
			dist = header_distance(norm, alias);
			raw = header_distance(rawh, rawa);
			limit = strict ? (strlen(alias) >= 10 ? 2 : 1) : strlen(alias) / 4 + 1;
			if (dist <= limit && (dist < bestd || (dist == bestd && raw < bestraw))) {
				bestd = dist;
				bestraw = raw;
				best = f->aliases[a];
				if (at != NULL)
					*at = c;
			}
		}
	}
	return best;
}

/*
 * A header read as one field usually means the wrong delimiter (-d ';' on a
 * comma file): the hint names the separator the header holds most of.
 */
static const char *
one_field_hint(const char *name, size_t len)
{
	static const char seps[] = { ',', ';', '\t', '|' };
	static const char *const hints[] = {
		" (the whole header was one field: the file looks comma-separated; try -d ',')",
		" (the whole header was one field: the file looks semicolon-separated; try -d ';')",
		" (the whole header was one field: the file looks tab-separated; try -d tab)",
		" (the whole header was one field: the file looks pipe-separated; try -d '|')",
	};
	size_t best = 0, bestn = 0;

	for (size_t i = 0; i < sizeof(seps); i++) {
		size_t k = 0;

		for (size_t c = 0; c < len; c++)
			k += name[c] == seps[i];
		if (k > bestn) {
			bestn = k;
			best = i;
		}
	}
	return bestn > 0 ? hints[best] : "";
}

static bool
has_required(enum header_kind kind, const int *col)
{
	if (kind == HEADER_SUBSCRIPTIONS)
		return (col[SF_CUSTOMER_ID] >= 0 || col[SF_CUSTOMER_DOMAIN] >= 0) &&
		    col[SF_SUBSCRIPTION_ID] >= 0 && col[SF_OFFER_NAME] >= 0 &&
		    col[SF_QUANTITY] >= 0;
	return col[LF_USER] >= 0 && col[LF_LICENSES] >= 0;
}

int
header_check(enum header_kind kind, const char *file, const char *const *names,
    const size_t *lens, size_t n, const int *col, struct diag *d)
{
	size_t count;
	const struct header_field *f = header_fields(kind, &count);
	const struct header_field *missing = NULL;
	struct buf found = { 0 }, accepted = { 0 };
	const char *near, *hint = "";
	int other[(int)SF_COUNT + (int)LF_COUNT];
	enum header_kind okind;

	if (has_required(kind, col))
		return 0;
	if (kind == HEADER_SUBSCRIPTIONS && col[SF_CUSTOMER_ID] < 0 && col[SF_CUSTOMER_DOMAIN] < 0)
		missing = &f[SF_CUSTOMER_ID];
	for (size_t i = 0; i < count && missing == NULL; i++)
		if (f[i].required && col[i] < 0)
			missing = &f[i];
	for (size_t c = 0; c < n; c++) {
		if (c > 0)
			buf_adds(&found, ", ");
		buf_addc(&found, '\'');
		/* Escaped before the message is formatted: a NUL would end it. */
		text_escape(&found, names[c], text_utf8_cut(names[c], lens[c] > 80 ? 80 : lens[c]));
		buf_addc(&found, '\'');
		if (found.len > 600) {
			buf_adds(&found, ", ...");
			break;
		}
	}
	for (size_t a = 0; a < 10 && missing->aliases[a]; a++) {
		if (a > 0)
			buf_adds(&accepted, ", ");
		buf_adds(&accepted, missing->aliases[a]);
	}
	if (missing == &f[SF_CUSTOMER_ID] && kind == HEADER_SUBSCRIPTIONS) {
		buf_adds(&accepted, "; or customer_domain: ");
		for (size_t a = 0; a < 10 && f[SF_CUSTOMER_DOMAIN].aliases[a]; a++) {
			if (a > 0)
				buf_adds(&accepted, ", ");
			buf_adds(&accepted, f[SF_CUSTOMER_DOMAIN].aliases[a]);
		}
	}
	okind = kind == HEADER_SUBSCRIPTIONS ? HEADER_LICENSES : HEADER_SUBSCRIPTIONS;
	header_map(okind, names, lens, n, other);
	if (has_required(okind, other))
		hint = okind == HEADER_LICENSES ?
		    " (this looks like a license export: give it with -l)" :
		    " (this looks like a subscription export: give it with -s)";
	if (n == 1 && *hint == '\0')
		hint = one_field_hint(names[0], lens[0]);
	near = closest(missing, names, lens, n, col, count, false, NULL);
	if (near != NULL)
		diag_set(d, file, 1, "no %s column (accepted: %s); found %s; did you mean '%s'?%s",
		    missing->name, accepted.data, n ? found.data : "none", near, hint);
	else
		diag_set(d, file, 1, "no %s column (accepted: %s); found %s%s",
		    missing->name, accepted.data, n ? found.data : "none", hint);
	buf_free(&found);
	buf_free(&accepted);
	return -1;
}

/*
 * An optional column that is misspelt is not an error, but it changes the
 * results without a word ("Staus": every subscription counts as active),
 * so a header near an accepted name gets a warning. The distance allowed
 * is tighter than for required columns: exports carry many columns skuscan
 * does not read, and a warning on every real export would teach users to
 * ignore it.
 */
size_t
header_hints(enum header_kind kind, const char *const *names, const size_t *lens, size_t n,
    const int *col, bool escaped, size_t max, struct buf *out)
{
	size_t count, found = 0, was, cut;
	const struct header_field *f = header_fields(kind, &count);

	for (size_t i = 0; i < count; i++) {
		const char *near;
		size_t at = 0;

		if (f[i].required || col[i] >= 0)
			continue;
		near = closest(&f[i], names, lens, n, col, count, true, &at);
		if (near == NULL)
			continue;
		was = out->len;
		if (out->len > 0)
			buf_addc(out, '\n');
		buf_adds(out, "column '");
		cut = lens[at] > 80 ? 80 : lens[at];
		/* Escaped here for stderr: a newline in the name would split the warning. */
		if (escaped)
			text_escape(out, names[at], text_utf8_cut(names[at], cut));
		else
			buf_add(out, names[at], cut);
		buf_adds(out, "' is not read: did you mean '");
		buf_adds(out, near);
		buf_adds(out, "' (");
		buf_adds(out, f[i].name);
		buf_adds(out, ")?");
		if (out->len > max)
			out->len = was;
		else
			found++;
	}
	return found;
}

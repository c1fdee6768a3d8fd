/* ingest: from records to the ledger, for subscription and license exports. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "header.h"
#include "ingest.h"
#include "input.h"
#include "items.h"
#include "mem.h"
#include "records.h"
#include "text.h"
#include "values.h"

/* Longest piece of a bad value quoted in a reject reason. */
#define REASON_VALUE_MAX 120

struct reader {
	struct ingest *g;
	struct file_stats *st;
	struct input *in;
	struct records *rd;
	int col[(int)SF_COUNT + (int)LF_COUNT];
	size_t ncols;
	struct buf reason;
	struct buf a, b;	/* scratch */
};

static void
reject(struct reader *r, const struct record *rec, const char *reason)
{
	char cut[96];

	r->st->rejected++;
	if (rec->raw_truncated) {
		/* Says so when rejects.csv holds only the record's first bytes. */
		snprintf(cut, sizeof(cut), " (record text cut to its first %zu bytes)", rec->raw_len);
		if (reason != r->reason.data) {
			r->reason.len = 0;
			buf_adds(&r->reason, reason);
		}
		buf_adds(&r->reason, cut);
		reason = r->reason.data;
	}
	r->g->reject(r->g->reject_arg, r->st->path, rec->line, reason, rec->raw, rec->raw_len);
}

/* Builds "what: value" with the value cut to a readable length. */
static const char *
reason_value(struct reader *r, const char *what, const char *v, size_t n)
{
	size_t k = n > REASON_VALUE_MAX ? text_utf8_cut(v, REASON_VALUE_MAX) : n;

	r->reason.len = 0;
	buf_adds(&r->reason, what);
	buf_add(&r->reason, v, k);
	if (k < n)
		buf_adds(&r->reason, "...");
	return r->reason.data;
}

/* The reason a record cannot be used as a record at all, or NULL. */
static const char *
structure_problem(struct reader *r, const struct record *rec)
{
	char tmp[160];

	if (rec->problem == RECORD_MALFORMED)
		return "malformed quotes";
	if (rec->problem == RECORD_UNTERMINATED)
		return "unterminated quote: a quoted field is still open at the end of the file";
	if (rec->nfields != r->ncols) {
		snprintf(tmp, sizeof(tmp), "wrong number of fields: %zu, header has %zu",
		    rec->nfields, r->ncols);
		r->reason.len = 0;
		buf_adds(&r->reason, tmp);
		return r->reason.data;
	}
	if (rec->problem == RECORD_TOO_LONG) {
		snprintf(tmp, sizeof(tmp), "field too long: field %zu is over %zu bytes",
		    rec->long_field + 1, r->g->opts->max_field_bytes);
		r->reason.len = 0;
		buf_adds(&r->reason, tmp);
		return r->reason.data;
	}
	if (rec->problem == RECORD_NUL) {
		snprintf(tmp, sizeof(tmp), "binary data: field %zu holds a NUL byte",
		    rec->long_field + 1);
		r->reason.len = 0;
		buf_adds(&r->reason, tmp);
		return r->reason.data;
	}
	return NULL;
}

/* Field f of rec, or "" when the file has no such column. */
static const char *
field(const struct reader *r, const struct record *rec, int f, size_t *len)
{
	int c = r->col[f];

	if (c < 0 || (size_t)c >= rec->kept) {
		*len = 0;
		return "";
	}
	*len = rec->len[c];
	return rec->field[c];
}

static const char *
required_empty(struct reader *r, const char *name)
{
	r->reason.len = 0;
	buf_adds(&r->reason, "required field empty: ");
	buf_adds(&r->reason, name);
	return r->reason.data;
}

/* Reads a date field; returns the reject reason or NULL. */
static const char *
date_field(struct reader *r, const struct record *rec, int f, const char *name, int32_t *out)
{
	size_t n;
	const char *v = field(r, rec, f, &n);
	char what[64];

	*out = DATE_NONE;
	switch (values_date(v, n, r->g->opts->day_first, out)) {
	case VALUE_OK:
		return NULL;
	case VALUE_EMPTY:
		*out = DATE_NONE;
		return NULL;
	default:
		snprintf(what, sizeof(what), "date not understood: %s ", name);
		return reason_value(r, what, v, n);
	}
}

static int
classify_error(struct reader *r, const struct record *rec, struct diag *d)
{
	char msg[sizeof(d->msg)];

	snprintf(msg, sizeof(msg), "%s", d->msg);
	diag_set(d, r->st->path, rec->line, "%s", msg);
	return -1;
}

static int
subscription_record(struct reader *r, const struct record *rec, struct diag *d)
{
	struct sub_in s = { 0 };
	const char *reason, *offer, *offer_id, *v;
	size_t nofr, nid, n;
	int rule, keyf;

	if ((reason = structure_problem(r, rec)) != NULL) {
		reject(r, rec, reason);
		return 0;
	}
	offer = field(r, rec, SF_OFFER_NAME, &nofr);
	if (nofr == 0) {
		reject(r, rec, required_empty(r, "offer_name"));
		return 0;
	}
	offer_id = field(r, rec, SF_OFFER_ID, &nid);
	if (rules_classify(r->g->rules, offer, nofr, offer_id, nid, &rule, d) != 0)
		return classify_error(r, rec, d);
	if (rule < 0) {
		/* It may still replace an earlier record of its subscription. */
		v = field(r, rec, SF_SUBSCRIPTION_ID, &n);
		if (n > 0)
			ledger_drop_sub(r->g->ledger, v, n);
		return 0;
	}
	keyf = r->col[SF_CUSTOMER_ID] >= 0 ? SF_CUSTOMER_ID : SF_CUSTOMER_DOMAIN;
	s.customer_key = field(r, rec, keyf, &n);
	if (n == 0) {
		reject(r, rec, required_empty(r, keyf == SF_CUSTOMER_ID ? "customer_id" :
		    "customer_domain"));
		return 0;
	}
	s.id = field(r, rec, SF_SUBSCRIPTION_ID, &n);
	if (n == 0) {
		reject(r, rec, required_empty(r, "subscription_id"));
		return 0;
	}
	v = field(r, rec, SF_QUANTITY, &n);
	switch (values_quantity(v, n, &s.quantity)) {
	case VALUE_EMPTY:
		reject(r, rec, required_empty(r, "quantity"));
		return 0;
	case VALUE_BAD:
		reject(r, rec, reason_value(r, "quantity not a number: ", v, n));
		return 0;
	default:
		break;
	}
	if ((reason = date_field(r, rec, SF_END_DATE, "end_date", &s.end_date)) != NULL ||
	    (reason = date_field(r, rec, SF_STATUS_DATE, "status_date", &s.status_date)) != NULL) {
		reject(r, rec, reason);
		return 0;
	}
	v = field(r, rec, SF_AUTO_RENEW, &n);
	s.auto_renew = values_bool(v, n);
	s.status = field(r, rec, SF_STATUS, &n);
	s.customer_name = field(r, rec, SF_CUSTOMER_NAME, &n);
	s.customer_domain = field(r, rec, SF_CUSTOMER_DOMAIN, &n);
	s.offer = offer;
	s.rule = rule;
	ledger_add_sub(r->g->ledger, &s);
	return 0;
}

/* items_split callback: remembers the first tenant prefix and stops. */
static int
first_tenant(const char *item, size_t n, const char *tenant, size_t tlen, void *arg)
{
	struct buf *out = arg;

	(void)item;
	(void)n;
	if (tlen == 0)
		return 0;
	out->len = 0;
	buf_add(out, tenant, tlen);
	return 1;
}

struct license_row {
	struct reader *r;
	const char *key, *user;
	size_t ulen;
	struct diag *d;
};

/* items_split callback: classifies one item and counts its user. */
static int
license_item(const char *item, size_t n, const char *tenant, size_t tlen, void *arg)
{
	struct license_row *lr = arg;
	int rule;

	(void)tenant;
	(void)tlen;
	if (rules_classify(lr->r->g->rules, item, n, NULL, 0, &rule, lr->d) != 0)
		return -1;
	if (rule >= 0)
		ledger_add_license(lr->r->g->ledger, lr->key, lr->user, lr->ulen, rule);
	return 0;
}

/* The customer key a license row belongs to (SPEC's join). */
static const char *
license_customer(struct reader *r, const struct record *rec, const char *lic, size_t nlic,
    const char *user, size_t ulen)
{
	struct ledger *l = r->g->ledger;
	const char *v, *key;
	size_t n;

	v = field(r, rec, LF_CUSTOMER_ID, &n);
	if (n > 0)
		return v;
	v = field(r, rec, LF_CUSTOMER_DOMAIN, &n);
	if (n > 0) {
		key = ledger_join_domain(l, v, n);
		if (key != NULL)
			return key;
		text_lower(&r->a, v, n);
		return r->a.data;
	}
	r->b.len = 0;
	if (items_split(lic, nlic, first_tenant, &r->b) != 0)
		key = ledger_join_tenant(l, r->b.data, r->b.len);
	else
		key = ledger_join_upn(l, user, ulen);
	return key;
}

static int
license_record(struct reader *r, const struct record *rec, struct diag *d)
{
	struct license_row lr = { r, NULL, NULL, 0, d };
	const char *reason, *lic;
	size_t nlic;

	if ((reason = structure_problem(r, rec)) != NULL) {
		reject(r, rec, reason);
		return 0;
	}
	lr.user = field(r, rec, LF_USER, &lr.ulen);
	if (lr.ulen == 0) {
		reject(r, rec, required_empty(r, "user"));
		return 0;
	}
	lic = field(r, rec, LF_LICENSES, &nlic);
	lr.key = license_customer(r, rec, lic, nlic, lr.user, lr.ulen);
	if (lr.key == NULL) {
		lr.key = "(unmatched)";
		r->st->unmatched++;
	}
	ledger_cover(r->g->ledger, lr.key);
	if (items_split(lic, nlic, license_item, &lr) != 0)
		return classify_error(r, rec, d);
	return 0;
}

/* Reads and maps the header record. */
static int
read_header(struct reader *r, enum header_kind kind, struct diag *d)
{
	struct record *rec;
	int k = records_next(r->rd, &rec, d);

	if (k < 0)
		return -1;
	if (k == 0) {
		diag_set(d, r->st->path, 0, "no header line: the file holds only blank lines");
		return -1;
	}
	if (rec->problem != RECORD_OK) {
		diag_set(d, r->st->path, rec->line, "the header line has %s",
		    rec->problem == RECORD_TOO_LONG ? "a field that is too long" :
		    rec->problem == RECORD_NUL ? "a NUL byte (binary data)" :
		    "malformed quotes");
		return -1;
	}
	r->ncols = rec->nfields;
	header_map(kind, rec->field, rec->len, rec->kept, r->col);
	if (header_check(kind, r->st->path, rec->field, rec->len, rec->kept, r->col, d) != 0) {
		d->line = rec->line;
		return -1;
	}
	records_keep_fields(r->rd, r->ncols);
	return 0;
}

int
ingest_file(struct ingest *g, struct file_stats *st, struct diag *d)
{
	struct records_opts ro = { g->opts->delimiter, g->opts->max_field_bytes, true, 0 };
	struct reader r = { 0 };
	struct record *rec;
	enum header_kind kind = st->kind == FILE_SUBSCRIPTIONS ? HEADER_SUBSCRIPTIONS :
	    HEADER_LICENSES;
	int k, rc = -1;
	uint64_t tick = 0;

	r.g = g;
	r.st = st;
	if (input_open(&r.in, st->path, g->opts->encoding, d) != 0)
		return -1;
	if (records_open(&r.rd, r.in, st->path, &ro, d) != 0)
		goto out;
	if (read_header(&r, kind, d) != 0)
		goto out;
	while ((k = records_next(r.rd, &rec, d)) == 1) {
		st->records++;
		if (kind == HEADER_SUBSCRIPTIONS ? subscription_record(&r, rec, d) != 0 :
		    license_record(&r, rec, d) != 0)
			goto out;
		if (g->progress != NULL && (++tick & 0xfff) == 0)
			g->progress(g->progress_arg, st->path, input_bytes(r.in), input_size(r.in));
	}
	if (k < 0)
		goto out;
	st->bytes = input_bytes(r.in);
	st->crc = input_crc(r.in);
	st->cp1252 = records_cp1252_fields(r.rd);
	st->format = input_describe(r.in);
	rc = 0;
out:
	records_free(r.rd);
	input_close(r.in);
	buf_free(&r.reason);
	buf_free(&r.a);
	buf_free(&r.b);
	return rc;
}

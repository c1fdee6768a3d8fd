/* ledger: subscriptions, customers and licensed users, and their totals. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger.h"
#include "mem.h"
#include "strmap.h"
#include "text.h"
#include "values.h"

struct sub {
	char *id;		/* as read (in the ledger's arena) */
	const char *offer, *status;	/* interned */
	struct customer *customer;
	int rule;
	int auto_renew;
	int64_t quantity;
	int32_t end_date, status_date;
	bool live;
};

struct customer {
	const char *key;	/* the map's copy */
	char *name, *domain;
	size_t rank;		/* its place in key order, for sorting */
	struct famcount **fam;	/* by family index, once looked up */
	bool covered;		/* some license row belongs to it */
	bool replacement_user;
	uint64_t users_on_retired;
};

struct famcount {
	const char *customer_key;
	size_t family;
	int64_t purchased;
	uint64_t assigned;
};

struct ledger {
	struct rules *rules;
	struct sub *subs;
	size_t nsubs, cap;
	struct strmap sub_index;	/* lower-case id -> index + 1 */
	uint64_t *seen;			/* Bloom filter of the ids kept */
	size_t seen_bits, seen_count;
	struct strmap customers;	/* key -> struct customer */
	struct strmap users;		/* key \0 family \0 user, and key \0 user */
	struct strmap famcounts;	/* key \0 family -> struct famcount */
	struct strmap texts;		/* interned offers and statuses */
	struct arena ids;		/* the subscriptions' ids as read */
	const char *last_offer, *last_status;
	struct customer *last_customer;
	bool joins_ready;
	struct strmap by_domain;	/* lower-case domain -> smallest key */
	struct strmap by_label;		/* its first label -> smallest key */
	struct buf tmp;
};

struct ledger *
ledger_new(struct rules *rules)
{
	struct ledger *l = mem_calloc(1, sizeof(*l));

	l->rules = rules;
	strmap_init(&l->sub_index);
	strmap_init(&l->customers);
	strmap_init(&l->users);
	strmap_init(&l->famcounts);
	strmap_init(&l->texts);
	strmap_init(&l->by_domain);
	strmap_init(&l->by_label);
	return l;
}

static void
free_customer(struct strmap_entry *e, void *arg)
{
	struct customer *c = e->value;

	(void)arg;
	free(c->name);
	free(c->domain);
	free(c->fam);
	free(c);
}

static void
free_value(struct strmap_entry *e, void *arg)
{
	(void)arg;
	free(e->value);
}

void
ledger_free(struct ledger *l)
{
	if (l == NULL)
		return;
	arena_free(&l->ids);
	free(l->subs);
	free(l->seen);
	strmap_each(&l->customers, free_customer, NULL);
	strmap_each(&l->famcounts, free_value, NULL);
	strmap_free(&l->sub_index);
	strmap_free(&l->customers);
	strmap_free(&l->users);
	strmap_free(&l->famcounts);
	strmap_free(&l->texts);
	strmap_free(&l->by_domain);
	strmap_free(&l->by_label);
	buf_free(&l->tmp);
	free(l);
}

static struct customer *
customer_get(struct ledger *l, const char *key, bool create)
{
	struct strmap_entry *e;
	int created;

	if (!create)
		return (e = strmap_find(&l->customers, key, strlen(key))) ? e->value : NULL;
	e = strmap_put(&l->customers, key, strlen(key), &created);
	if (created) {
		struct customer *c = mem_calloc(1, sizeof(*c));

		c->key = e->key;
		e->value = c;
	}
	return e->value;
}

/* Replaces *field with a copy of s when s is not empty. */
static void
keep_last(char **field, const char *s)
{
	if (s[0] == '\0' || (*field != NULL && strcmp(*field, s) == 0))
		return;
	free(*field);
	*field = mem_strdup(s);
}

/*
 * A Bloom filter of the ids kept (8 bits per id, two probes): most records
 * that match no rule have an id never kept, and this says so from a small
 * bit array, without building the lower-case key or missing the cache.
 */
static bool
seen_has(const struct ledger *l, uint64_t h)
{
	uint64_t mask = l->seen_bits - 1, a = h & mask, b = (h >> 32 ^ h >> 7) & mask;

	if (l->seen_bits == 0)
		return false;
	return (l->seen[a >> 6] >> (a & 63) & 1) && (l->seen[b >> 6] >> (b & 63) & 1);
}

static void
seen_set(struct ledger *l, uint64_t h)
{
	uint64_t mask = l->seen_bits - 1, a = h & mask, b = (h >> 32 ^ h >> 7) & mask;

	l->seen[a >> 6] |= (uint64_t)1 << (a & 63);
	l->seen[b >> 6] |= (uint64_t)1 << (b & 63);
}

static void
seen_add(struct ledger *l, uint64_t h)
{
	if (++l->seen_count * 8 > l->seen_bits) {
		/* Twice the bits, set again from every id kept. */
		l->seen_bits = l->seen_bits ? l->seen_bits * 2 : 1 << 16;
		free(l->seen);
		l->seen = mem_calloc(l->seen_bits / 64, sizeof(*l->seen));
		for (size_t i = 0; i < l->nsubs; i++)
			if (l->subs[i].id != NULL)
				seen_set(l, strmap_hash_lower(l->subs[i].id, strlen(l->subs[i].id)));
	}
	seen_set(l, h);
}

/*
 * The one copy of a text that many subscriptions share (offer names and
 * statuses: a few dozen distinct ones among thousands of subscriptions).
 */
static const char *
intern(struct ledger *l, const char *s, size_t n, const char **last)
{
	/* Consecutive records mostly repeat the last text: no hashing then. */
	if (*last != NULL && strncmp(*last, s, n) == 0 && (*last)[n] == '\0')
		return *last;
	return *last = strmap_put(&l->texts, s, n, NULL)->key;
}

void
ledger_add_sub(struct ledger *l, const struct sub_in *in)
{
	struct strmap_entry *e;
	struct sub *s;
	size_t li = strlen(in->id);
	int created;

	text_lower(&l->tmp, in->id, li);
	e = strmap_put(&l->sub_index, l->tmp.data, l->tmp.len, &created);
	if (created) {
		seen_add(l, strmap_hash_lower(in->id, li));
		mem_grow((void **)&l->subs, &l->cap, l->nsubs + 1, sizeof(*l->subs));
		e->value = (void *)(uintptr_t)(++l->nsubs);
		memset(&l->subs[l->nsubs - 1], 0, sizeof(*s));
	}
	s = &l->subs[(uintptr_t)e->value - 1];
	if (s->id == NULL || strcmp(s->id, in->id) != 0)
		s->id = arena_strndup(&l->ids, in->id, li);
	s->offer = intern(l, in->offer, strlen(in->offer), &l->last_offer);
	text_lower(&l->tmp, in->status, strlen(in->status));
	s->status = intern(l, l->tmp.data, l->tmp.len, &l->last_status);
	if (l->last_customer == NULL || strcmp(l->last_customer->key, in->customer_key) != 0)
		l->last_customer = customer_get(l, in->customer_key, true);
	s->customer = l->last_customer;
	keep_last(&s->customer->name, in->customer_name);
	keep_last(&s->customer->domain, in->customer_domain);
	s->rule = in->rule;
	s->auto_renew = in->auto_renew;
	s->quantity = in->quantity;
	s->end_date = in->end_date;
	s->status_date = in->status_date;
	s->live = true;
}

void
ledger_drop_sub(struct ledger *l, const char *id, size_t len)
{
	ledger_drop_sub_hashed(l, id, len, strmap_hash_lower(id, len));
}

void
ledger_drop_sub_hashed(struct ledger *l, const char *id, size_t len, uint64_t hash)
{
	struct strmap_entry *e;

	if (!seen_has(l, hash))
		return;
	text_lower(&l->tmp, id, len);
	e = strmap_find(&l->sub_index, l->tmp.data, l->tmp.len);
	if (e != NULL)
		l->subs[(uintptr_t)e->value - 1].live = false;
}

/* Keeps the smallest key for name in m. */
static void
index_smallest(struct strmap *m, const char *name, size_t n, const char *key)
{
	struct strmap_entry *e = strmap_put(m, name, n, NULL);

	if (e->value == NULL || strcmp(key, e->value) < 0)
		e->value = (void *)key;
}

/* The domain indexes, built once every subscription file has been read. */
static void
joins_build(struct ledger *l)
{
	struct buf low = { 0 };

	l->joins_ready = true;
	for (size_t i = 0; i < l->nsubs; i++) {
		struct customer *c = l->subs[i].customer;
		const char *dot;

		if (!l->subs[i].live || c->domain == NULL)
			continue;
		text_lower(&low, c->domain, strlen(c->domain));
		index_smallest(&l->by_domain, low.data, low.len, c->key);
		dot = strchr(low.data, '.');
		if (dot != NULL)
			index_smallest(&l->by_label, low.data, (size_t)(dot - low.data), c->key);
	}
	buf_free(&low);
}

const char *
ledger_join_domain(struct ledger *l, const char *domain, size_t len)
{
	struct strmap_entry *e;

	if (!l->joins_ready)
		joins_build(l);
	text_lower(&l->tmp, domain, len);
	e = strmap_find(&l->by_domain, l->tmp.data, l->tmp.len);
	return e ? e->value : NULL;
}

const char *
ledger_join_tenant(struct ledger *l, const char *tenant, size_t tlen)
{
	struct strmap_entry *e;

	if (!l->joins_ready)
		joins_build(l);
	text_lower(&l->tmp, tenant, tlen);
	buf_adds(&l->tmp, ".onmicrosoft.com");
	e = strmap_find(&l->by_domain, l->tmp.data, l->tmp.len);
	if (e != NULL)
		return e->value;
	e = strmap_find(&l->by_label, l->tmp.data, tlen);
	return e ? e->value : NULL;
}

const char *
ledger_join_upn(struct ledger *l, const char *upn, size_t len)
{
	const char *at = NULL, *domain, *dot, *key;
	size_t dlen;

	for (size_t i = 0; i < len; i++)
		if (upn[i] == '@')
			at = upn + i;
	if (at == NULL || at + 1 == upn + len)
		return NULL;
	domain = at + 1;
	dlen = (size_t)(upn + len - domain);
	key = ledger_join_domain(l, domain, dlen);
	if (key != NULL)
		return key;
	dot = memchr(domain, '.', dlen);
	return ledger_join_tenant(l, domain, dot ? (size_t)(dot - domain) : dlen);
}

void
ledger_cover(struct ledger *l, const char *customer_key)
{
	struct customer *c = customer_get(l, customer_key, false);

	if (c != NULL)
		c->covered = true;
}

static struct famcount *
famcount_get(struct ledger *l, const char *key, size_t family)
{
	struct strmap_entry *e;
	struct famcount *f;
	char suffix[32];
	int created, n = snprintf(suffix, sizeof(suffix), "%zu", family);

	l->tmp.len = 0;
	buf_adds(&l->tmp, key);
	buf_addc(&l->tmp, '\0');
	buf_add(&l->tmp, suffix, (size_t)n);
	e = strmap_put(&l->famcounts, l->tmp.data, l->tmp.len, &created);
	if (created) {
		f = e->value = mem_calloc(1, sizeof(*f));
		f->customer_key = e->key;	/* the key's text up to its NUL */
		f->family = family;
	}
	return e->value;
}

/* famcount_get for a customer of the ledger, remembered in the customer. */
static struct famcount *
customer_famcount(struct ledger *l, struct customer *c, size_t family)
{
	if (c->fam == NULL)
		c->fam = mem_calloc(rules_family_count(l->rules), sizeof(*c->fam));
	if (c->fam[family] == NULL)
		c->fam[family] = famcount_get(l, c->key, family);
	return c->fam[family];
}

/* Adds key \0 [family \0] user to the users set; true when it was new. */
static bool
user_new(struct ledger *l, const char *key, const char *fam, const char *user, size_t ulen)
{
	int created;

	l->tmp.len = 0;
	buf_adds(&l->tmp, key);
	buf_addc(&l->tmp, '\0');
	if (fam != NULL) {
		buf_adds(&l->tmp, fam);
		buf_addc(&l->tmp, '\0');
	}
	for (size_t i = 0; i < ulen; i++) {
		char c = user[i];

		buf_addc(&l->tmp, (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c);
	}
	strmap_put(&l->users, l->tmp.data, l->tmp.len, &created);
	return created;
}

void
ledger_add_license(struct ledger *l, const char *key, const char *user, size_t ulen, int rule)
{
	const struct rule *r = rules_get(l->rules, (size_t)rule);
	struct customer *c = customer_get(l, key, false);
	char fam[32];

	snprintf(fam, sizeof(fam), "%zu", r->family_index);
	if (user_new(l, key, fam, user, ulen))
		famcount_get(l, key, r->family_index)->assigned++;
	if (r->kind == RULE_RETIRED) {
		if (user_new(l, key, NULL, user, ulen) && c != NULL)
			c->users_on_retired++;
	} else if (c != NULL) {
		c->replacement_user = true;
	}
}

static int
cmp_sub(const void *a, const void *b)
{
	const struct sub *x = *(const struct sub *const *)a, *y = *(const struct sub *const *)b;

	if (x->customer != y->customer)
		return x->customer->rank < y->customer->rank ? -1 : 1;
	return strcmp(x->id, y->id);
}

static int
cmp_customer(const void *a, const void *b)
{
	return strcmp((*(struct customer *const *)a)->key, (*(struct customer *const *)b)->key);
}

static void
collect_customer(struct strmap_entry *e, void *arg)
{
	struct customer ***p = arg;

	*(*p)++ = e->value;
}

/* Numbers the customers in key order: subscriptions then sort by number. */
static void
rank_customers(struct ledger *l)
{
	struct customer **v = mem_calloc(l->customers.count, sizeof(*v)), **p = v;

	strmap_each(&l->customers, collect_customer, &p);
	qsort(v, l->customers.count, sizeof(*v), cmp_customer);
	for (size_t i = 0; i < l->customers.count; i++)
		v[i]->rank = i;
	free(v);
}

struct famsort {
	struct famcount **v;
	size_t n;
};

static struct rules *sort_rules;	/* for cmp_family; set only while sorting */

static int
cmp_family(const void *a, const void *b)
{
	const struct family_row *x = a, *y = b;
	int k = strcmp(x->customer_key, y->customer_key);

	return k ? k : strcmp(rules_family(sort_rules, x->family), rules_family(sort_rules, y->family));
}

static void
collect_family(struct strmap_entry *e, void *arg)
{
	struct famsort *fs = arg;

	fs->v[fs->n++] = e->value;
}

/* One customer's retired and replacement subscriptions, s[0..n). */
static void
summarize_customer(struct ledger *l, struct sub **s, size_t n, struct ledger_summary *out,
    bool *suggested, bool *bought)
{
	size_t nrules = rules_count(l->rules);
	struct customer *c = s[0]->customer;
	struct customer_row row = { 0 };

	row.key = c->key;
	row.name = c->name ? c->name : "";
	row.earliest_end = DATE_NONE;
	row.deprovision = DATE_NONE;
	for (size_t i = 0; i < n; i++) {
		const struct rule *r = rules_get(l->rules, (size_t)s[i]->rule);
		bool active = values_status_active(s[i]->status, strlen(s[i]->status));

		if (r->kind == RULE_REPLACEMENT) {
			if (active)
				bought[s[i]->rule] = true;
			continue;
		}
		row.retired++;
		for (size_t k = 0; k < r->nsuggest; k++)
			suggested[r->suggest[k]] = true;
		if (strcmp(s[i]->status, "suspended") == 0 && s[i]->status_date != DATE_NONE &&
		    (row.deprovision == DATE_NONE || s[i]->status_date + 120 > row.deprovision))
			row.deprovision = s[i]->status_date + 120;
		if (!active)
			continue;
		row.any_active = true;
		row.active_retired++;
		if (__builtin_add_overflow(row.retired_seats, s[i]->quantity, &row.retired_seats))
			row.retired_seats = INT64_MAX;
		if (s[i]->end_date != DATE_NONE &&
		    (row.earliest_end == DATE_NONE || s[i]->end_date < row.earliest_end))
			row.earliest_end = s[i]->end_date;
	}
	for (size_t k = 0; k < nrules; k++)
		if (suggested[k] && bought[k])
			row.replacement_purchased = true;
	row.users_on_retired = c->users_on_retired;
	row.licenses_reassigned = !c->covered ? -1 :
	    (c->users_on_retired == 0 && c->replacement_user) ? 1 : 0;
	if (row.retired > 0) {
		mem_grow((void **)&out->customers, &out->customers_cap, out->ncustomers + 1,
		    sizeof(*out->customers));
		out->customers[out->ncustomers++] = row;
	}
	memset(suggested, 0, nrules * sizeof(*suggested));
	memset(bought, 0, nrules * sizeof(*bought));
}

static void
purchased_reset(struct strmap_entry *e, void *arg)
{
	(void)arg;
	((struct famcount *)e->value)->purchased = 0;
}

void
ledger_done_reading(struct ledger *l)
{
	/*
	 * What only reading needs goes before the summary is built, so that
	 * the two are not in memory at once.
	 */
	strmap_free(&l->sub_index);
	strmap_free(&l->users);
	strmap_free(&l->by_domain);
	strmap_free(&l->by_label);
	free(l->seen);
	l->seen = NULL;
	l->seen_bits = l->seen_count = 0;
	l->joins_ready = false;
}

void
ledger_summarize(struct ledger *l, struct ledger_summary *out)
{
	struct sub **live = mem_calloc(l->nsubs, sizeof(*live));
	size_t nlive = 0;
	bool *suggested, *bought;
	struct famsort fs;

	memset(out, 0, sizeof(*out));
	strmap_each(&l->famcounts, purchased_reset, NULL);
	for (size_t i = 0; i < l->nsubs; i++)
		if (l->subs[i].live)
			live[nlive++] = &l->subs[i];
	rank_customers(l);
	qsort(live, nlive, sizeof(*live), cmp_sub);
	out->subs = mem_calloc(nlive, sizeof(*out->subs));
	for (size_t i = 0; i < nlive; i++) {
		struct sub *s = live[i];
		const struct rule *r = rules_get(l->rules, (size_t)s->rule);
		struct famcount *f = customer_famcount(l, s->customer, r->family_index);

		if (values_status_active(s->status, strlen(s->status)) &&
		    __builtin_add_overflow(f->purchased, s->quantity, &f->purchased))
			f->purchased = INT64_MAX;
		if (r->kind != RULE_RETIRED)
			continue;
		out->subs[out->nsubs++] = (struct sub_row){
			.customer_key = s->customer->key,
			.customer_name = s->customer->name ? s->customer->name : "",
			.id = s->id, .offer = s->offer, .status = s->status, .rule = r,
			.auto_renew = s->auto_renew, .quantity = s->quantity,
			.end_date = s->end_date,
		};
	}
	suggested = mem_calloc(rules_count(l->rules), sizeof(*suggested));
	bought = mem_calloc(rules_count(l->rules), sizeof(*bought));
	for (size_t i = 0, j; i < nlive; i = j) {
		for (j = i + 1; j < nlive && live[j]->customer == live[i]->customer; j++)
			;
		summarize_customer(l, live + i, j - i, out, suggested, bought);
	}
	free(suggested);
	free(bought);
	fs.v = mem_calloc(l->famcounts.count, sizeof(*fs.v));
	fs.n = 0;
	strmap_each(&l->famcounts, collect_family, &fs);
	out->families = mem_calloc(fs.n, sizeof(*out->families));
	for (size_t i = 0; i < fs.n; i++)
		out->families[out->nfamilies++] = (struct family_row){
			.customer_key = fs.v[i]->customer_key, .family = fs.v[i]->family,
			.purchased = fs.v[i]->purchased, .assigned = fs.v[i]->assigned,
		};
	sort_rules = l->rules;
	qsort(out->families, out->nfamilies, sizeof(*out->families), cmp_family);
	sort_rules = NULL;
	free(fs.v);
	free(live);
}

void
ledger_summary_free(struct ledger_summary *s)
{
	free(s->customers);
	free(s->subs);
	free(s->families);
	memset(s, 0, sizeof(*s));
}

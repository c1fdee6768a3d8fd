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
	size_t id_len;
	const char *offer, *status;	/* interned */
	struct customer *customer;
	int rule;
	int auto_renew;
	int64_t quantity;
	int32_t end_date, status_date;
	uint32_t seq;		/* the customer's: ranks are looked up without a pointer chase */
	bool live;
	bool active, suspended;	/* what the status says */
};

struct customer {
	const char *key;	/* the map's copy */
	char *name, *domain;
	uint32_t seq;		/* order of creation: index of ledger.rank_of */
	struct famcount *fam;	/* by family index; NULL until one is counted */
	bool covered;		/* some license row belongs to it */
	bool replacement_user;
	uint64_t users_on_retired;
};

/* One customer's seats and users of one family (a row of license_counts). */
struct famcount {
	int64_t purchased;
	uint64_t assigned;
	bool used;		/* some subscription or user counted here */
};

struct ledger {
	struct rules *rules;
	struct sub *subs;
	size_t nsubs, cap;
	/*
	 * The id index: open addressing over the subscriptions, each slot the
	 * top half of the id's strmap_hash_lower and the index + 1 (0: empty).
	 * It holds no copy of the ids: a candidate is compared with its
	 * subscription's id, ignoring case.
	 */
	uint64_t *idx;
	size_t idx_cap;
	uint64_t *seen;			/* Bloom filter of the ids kept */
	size_t seen_bits, seen_count;
	struct strmap customers;	/* key -> struct customer */
	struct strmap users;		/* key \0 family \0 user, and key \0 user */
	struct strmap texts;		/* interned offers and statuses */
	struct arena ids;		/* the subscriptions' ids as read */
	const char *last_offer, *last_status;
	bool last_active, last_suspended;	/* what last_status says */
	uint32_t *rank_of;		/* by customer seq, while summarizing */
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
	strmap_init(&l->customers);
	strmap_init(&l->users);
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

void
ledger_free(struct ledger *l)
{
	if (l == NULL)
		return;
	arena_free(&l->ids);
	free(l->subs);
	free(l->rank_of);
	free(l->seen);
	free(l->idx);
	strmap_each(&l->customers, free_customer, NULL);
	strmap_free(&l->customers);
	strmap_free(&l->users);
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

		if (l->customers.count > UINT32_MAX)
			mem_fail();
		c->key = e->key;
		c->seq = (uint32_t)(l->customers.count - 1);
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
 * A Bloom filter of the ids kept (16 bits per id, two probes in one 64-bit
 * word): most records that match no rule have an id never kept, and this
 * says so from a small bit array with one memory access, without looking
 * the id up.
 */
static uint64_t
seen_bits_of(uint64_t h)
{
	return (uint64_t)1 << (h >> 52 & 63) | (uint64_t)1 << (h >> 58);
}

static bool
seen_has(const struct ledger *l, uint64_t h)
{
	uint64_t b = seen_bits_of(h);

	if (l->seen_bits == 0)
		return false;
	return (l->seen[(h ^ h >> 29) & (l->seen_bits / 64 - 1)] & b) == b;
}

static void
seen_set(struct ledger *l, uint64_t h)
{
	l->seen[(h ^ h >> 29) & (l->seen_bits / 64 - 1)] |= seen_bits_of(h);
}

static void
seen_add(struct ledger *l, uint64_t h)
{
	if (++l->seen_count * 16 > l->seen_bits) {
		/* Twice the bits, set again from every id kept. */
		l->seen_bits = l->seen_bits ? l->seen_bits * 2 : 1 << 16;
		free(l->seen);
		l->seen = mem_calloc(l->seen_bits / 64, sizeof(*l->seen));
		for (size_t i = 0; i < l->nsubs; i++)
			seen_set(l, strmap_hash_lower(l->subs[i].id, l->subs[i].id_len));
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

/* The id index's slot for id: its subscription's, or the empty one to take. */
static uint64_t *
idx_slot(const struct ledger *l, const char *id, size_t len, uint64_t h)
{
	size_t mask = l->idx_cap - 1;
	uint64_t tag = h >> 32 << 32;

	for (size_t i = h & mask;; i = (i + 1) & mask) {
		uint64_t v = l->idx[i];
		const struct sub *s;

		if (v == 0)
			return &l->idx[i];
		if ((v & ~(uint64_t)UINT32_MAX) != tag)
			continue;
		s = &l->subs[(v & UINT32_MAX) - 1];
		if (s->id_len == len && text_ieq(id, len, s->id))
			return &l->idx[i];
	}
}

/* Twice the slots (at least 1024), every subscription placed again. */
static void
idx_grow(struct ledger *l)
{
	free(l->idx);
	l->idx_cap = l->idx_cap ? l->idx_cap * 2 : 1024;
	l->idx = mem_calloc(l->idx_cap, sizeof(*l->idx));
	for (size_t i = 0; i < l->nsubs; i++) {
		const struct sub *s = &l->subs[i];
		uint64_t h = strmap_hash_lower(s->id, s->id_len);

		*idx_slot(l, s->id, s->id_len, h) = (h >> 32 << 32) | (i + 1);
	}
}

void
ledger_add_sub(struct ledger *l, const struct sub_in *in)
{
	struct sub *s;
	size_t li = strlen(in->id);
	uint64_t h = in->id_hash ? in->id_hash : strmap_hash_lower(in->id, li), *slot;

	if ((l->nsubs + 1) * 2 > l->idx_cap)
		idx_grow(l);
	if (l->nsubs >= UINT32_MAX)
		mem_fail();
	slot = idx_slot(l, in->id, li, h);
	if (*slot == 0) {
		seen_add(l, h);
		mem_grow((void **)&l->subs, &l->cap, l->nsubs + 1, sizeof(*l->subs));
		*slot = (h >> 32 << 32) | (++l->nsubs);
		memset(&l->subs[l->nsubs - 1], 0, sizeof(*s));
	}
	s = &l->subs[(*slot & UINT32_MAX) - 1];
	if (s->id == NULL || strcmp(s->id, in->id) != 0) {
		s->id = arena_strndup(&l->ids, in->id, li);
		s->id_len = li;
	}
	s->offer = intern(l, in->offer, strlen(in->offer), &l->last_offer);
	text_lower(&l->tmp, in->status, strlen(in->status));
	{
		const char *was = l->last_status;

		s->status = intern(l, l->tmp.data, l->tmp.len, &l->last_status);
		if (s->status != was || was == NULL) {
			l->last_active = values_status_active(s->status, strlen(s->status));
			l->last_suspended = strcmp(s->status, "suspended") == 0;
		}
		s->active = l->last_active;
		s->suspended = l->last_suspended;
	}
	if (l->last_customer == NULL || strcmp(l->last_customer->key, in->customer_key) != 0)
		l->last_customer = customer_get(l, in->customer_key, true);
	s->customer = l->last_customer;
	s->seq = s->customer->seq;
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
	uint64_t v;

	if (!seen_has(l, hash))
		return;
	v = *idx_slot(l, id, len, hash);
	if (v != 0)
		l->subs[(v & UINT32_MAX) - 1].live = false;
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

/*
 * The count of one family for customer c. License rows may name a key
 * that no subscription has (a domain, "(unmatched)"): those keys are
 * customers too, with counts and no subscriptions.
 */
static struct famcount *
famcount_get(struct ledger *l, struct customer *c, size_t family)
{
	if (c->fam == NULL)
		c->fam = mem_calloc(rules_family_count(l->rules), sizeof(*c->fam));
	c->fam[family].used = true;
	return &c->fam[family];
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
	if (user_new(l, key, fam, user, ulen)) {
		struct customer *k = c ? c : customer_get(l, key, true);

		famcount_get(l, k, r->family_index)->assigned++;
	}
	if (r->kind == RULE_RETIRED) {
		if (user_new(l, key, NULL, user, ulen) && c != NULL)
			c->users_on_retired++;
	} else if (c != NULL) {
		c->replacement_user = true;
	}
}

static int
cmp_sub_id(const void *a, const void *b)
{
	return strcmp((*(const struct sub *const *)a)->id, (*(const struct sub *const *)b)->id);
}

/*
 * The live subscriptions into out, by customer rank then id; returns how
 * many. Ranks are dense, so a counting sort places every subscription in
 * its customer's run in one pass; only the runs (a few subscriptions
 * each) are then sorted by id.
 */
static size_t
sort_live(struct ledger *l, struct sub **out)
{
	size_t nc = l->customers.count, *at = mem_calloc(nc + 1, sizeof(*at)), n;

	for (size_t i = 0; i < l->nsubs; i++)
		if (l->subs[i].live)
			at[l->rank_of[l->subs[i].seq] + 1]++;
	for (size_t k = 0; k < nc; k++)
		at[k + 1] += at[k];
	n = at[nc];
	for (size_t i = 0; i < l->nsubs; i++)
		if (l->subs[i].live)
			out[at[l->rank_of[l->subs[i].seq]]++] = &l->subs[i];
	/* at[k] is now where run k ends. */
	for (size_t k = 0, from = 0; k < nc; from = at[k++]) {
		size_t len = at[k] - from;

		if (len > 32) {
			qsort(out + from, len, sizeof(*out), cmp_sub_id);
			continue;
		}
		for (size_t i = from + 1; i < at[k]; i++) {
			struct sub *x = out[i];
			size_t j = i;

			for (; j > from && strcmp(out[j - 1]->id, x->id) > 0; j--)
				out[j] = out[j - 1];
			out[j] = x;
		}
	}
	free(at);
	return n;
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

/*
 * Ranks the customers in key order (rank_of, by seq: subscriptions then
 * sort by rank) and returns them in that order; the caller frees the array.
 */
static struct customer **
rank_customers(struct ledger *l)
{
	struct customer **v = mem_calloc(l->customers.count + 1, sizeof(*v)), **p = v;

	strmap_each(&l->customers, collect_customer, &p);
	qsort(v, l->customers.count, sizeof(*v), cmp_customer);
	free(l->rank_of);
	l->rank_of = mem_calloc(l->customers.count + 1, sizeof(*l->rank_of));
	for (size_t i = 0; i < l->customers.count; i++)
		l->rank_of[v[i]->seq] = (uint32_t)i;
	return v;
}

static const struct rules *family_rules;	/* for cmp_family_name, while sorting */

static int
cmp_family_name(const void *a, const void *b)
{
	return strcmp(rules_family(family_rules, *(const size_t *)a),
	    rules_family(family_rules, *(const size_t *)b));
}

/* license_counts' rows: by customer key, then family name. */
static void
family_rows(struct ledger *l, struct customer **by_key, struct ledger_summary *out)
{
	size_t nfam = rules_family_count(l->rules), n = 0;
	size_t *order = mem_calloc(nfam + 1, sizeof(*order));

	for (size_t k = 0; k < nfam; k++)
		order[k] = k;
	family_rules = l->rules;
	qsort(order, nfam, sizeof(*order), cmp_family_name);
	family_rules = NULL;
	for (size_t i = 0; i < l->customers.count; i++)
		for (size_t k = 0; by_key[i]->fam != NULL && k < nfam; k++)
			n += by_key[i]->fam[k].used;
	out->families = mem_calloc(n + 1, sizeof(*out->families));
	for (size_t i = 0; i < l->customers.count; i++) {
		const struct customer *c = by_key[i];

		for (size_t k = 0; c->fam != NULL && k < nfam; k++) {
			const struct famcount *f = &c->fam[order[k]];

			if (f->used)
				out->families[out->nfamilies++] = (struct family_row){
					.customer_key = c->key, .family = order[k],
					.purchased = f->purchased, .assigned = f->assigned,
				};
		}
	}
	free(order);
}

/*
 * One customer's retired and replacement subscriptions, s[0..n), in one
 * pass: its family counts, its row, and its retired subscriptions
 * appended to out->subs.
 */
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
		struct famcount *f = famcount_get(l, c, r->family_index);
		bool active = s[i]->active;

		if (active && __builtin_add_overflow(f->purchased, s[i]->quantity, &f->purchased))
			f->purchased = INT64_MAX;
		if (r->kind == RULE_REPLACEMENT) {
			if (active)
				bought[s[i]->rule] = true;
			continue;
		}
		out->subs[out->nsubs++] = s[i];
		row.retired++;
		for (size_t k = 0; k < r->nsuggest; k++)
			suggested[r->suggest[k]] = true;
		if (s[i]->suspended && s[i]->status_date != DATE_NONE &&
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

void
ledger_done_reading(struct ledger *l)
{
	/*
	 * What only reading needs goes before the summary is built, so that
	 * the two are not in memory at once.
	 */
	free(l->idx);
	l->idx = NULL;
	l->idx_cap = 0;
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
	struct sub **live = mem_calloc(l->nsubs + 1, sizeof(*live));
	size_t nlive = 0, nfam = rules_family_count(l->rules);
	bool *suggested, *bought;
	struct customer **by_key;

	memset(out, 0, sizeof(*out));
	out->rules = l->rules;
	by_key = rank_customers(l);
	for (size_t i = 0; i < l->customers.count; i++)
		for (size_t k = 0; by_key[i]->fam != NULL && k < nfam; k++)
			by_key[i]->fam[k].purchased = 0;
	nlive = sort_live(l, live);
	out->subs = mem_calloc(nlive + 1, sizeof(*out->subs));
	suggested = mem_calloc(rules_count(l->rules), sizeof(*suggested));
	bought = mem_calloc(rules_count(l->rules), sizeof(*bought));
	for (size_t i = 0, j; i < nlive; i = j) {
		for (j = i + 1; j < nlive && live[j]->customer == live[i]->customer; j++)
			;
		summarize_customer(l, live + i, j - i, out, suggested, bought);
	}
	free(suggested);
	free(bought);
	free(live);
	free(l->rank_of);
	l->rank_of = NULL;
	family_rows(l, by_key, out);
	free(by_key);
}

struct sub_row
ledger_sub_row(const struct ledger_summary *s, size_t i)
{
	const struct sub *x = s->subs[i];

	/*
	 * Rows are asked for in order, and the subscriptions lie anywhere in
	 * memory: the ones a few rows ahead, and their customers, are fetched
	 * into the cache meanwhile.
	 */
	if (i + 16 < s->nsubs)
		__builtin_prefetch(s->subs[i + 16]);
	if (i + 8 < s->nsubs)
		__builtin_prefetch(s->subs[i + 8]->customer);
	return (struct sub_row){
		.customer_key = x->customer->key,
		.customer_name = x->customer->name ? x->customer->name : "",
		.id = x->id, .offer = x->offer, .status = x->status,
		.rule = rules_get(s->rules, (size_t)x->rule), .auto_renew = x->auto_renew,
		.quantity = x->quantity, .end_date = x->end_date,
	};
}

void
ledger_summary_free(struct ledger_summary *s)
{
	free(s->customers);
	free((void *)s->subs);
	free(s->families);
	memset(s, 0, sizeof(*s));
}

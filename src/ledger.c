/* ledger: subscriptions, customers and licensed users, and their totals. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fpset.h"
#include "idindex.h"
#include "ledger.h"
#include "notice.h"
#include "sort.h"
#include "mem.h"
#include "mix.h"
#include "strmap.h"
#include "text.h"
#include "values.h"

/*
 * How a subscription's id is kept. Most are GUIDs in one case: those are
 * packed into 16 bytes (and spelled again, in their case, when written);
 * any other id is kept as text in the ledger's arena.
 */
enum { ID_TEXT, ID_GUID_LOWER, ID_GUID_UPPER };

/*
 * A subscription: 48 bytes, as a ledger holds hundreds of thousands.
 * Texts and customers are indexes into the ledger's tables.
 */
struct sub {
	union {
		unsigned char guid[16];
		struct {
			const char *text;	/* as read, NUL-terminated */
			uint32_t len;
		} t;
	} id;
	int64_t quantity;
	uint32_t customer;	/* index of ledger.cust, the customer's seq */
	uint32_t offer, status;	/* indexes of ledger.text: interned */
	int32_t end_date, status_date;
	uint32_t rule : 24;	/* rules_load allows no more than RULES_MAX */
	uint32_t id_form : 2;
	uint32_t auto_renew : 2;	/* auto_renew + 1: 0 unknown, 1 false, 2 true */
	uint32_t live : 1;
	uint32_t active : 1, suspended : 1;	/* what the status says */
};

_Static_assert(sizeof(void *) > 8 || sizeof(struct sub) <= 48, "struct sub grew");

struct customer {
	const char *key;	/* the map's copy */
	char *name, *domain;	/* in the ledger's arena, NULL until read */
	uint32_t name_room, domain_room;	/* the bytes each may take, with its NUL */
	uint32_t seq;		/* order of creation: index of ledger.rank_of */
	uint32_t nfam;		/* counts in fam */
	struct famcount *fam;	/* the families counted, in the order first counted */
	uint32_t *pool_users;	/* users by pool of seats; NULL until one is counted */
	uint32_t direct_users;	/* users of an item naming a retired offer, once each */
	bool covered;		/* some license row belongs to it */
	bool allocated;		/* its users are given to families (allocate_users) */
};

/*
 * One customer's seats and users of one family (a row of license_counts).
 * A customer holds one for each family some subscription or user of it
 * was counted in: most hold one or two of the rules' families, so they
 * are kept as a short list rather than an array by family index.
 */
struct famcount {
	int64_t purchased;
	/*
	 * Users given seats of this family (allocate_users), and of them those
	 * whose license item names a retired offer itself. Both stay at
	 * UINT32_MAX once there.
	 */
	uint32_t assigned, direct;
	uint32_t family;	/* its index in the rules */
};

struct ledger {
	struct rules *rules;
	struct sub *subs;
	size_t nsubs, cap;
	/*
	 * The id index: the subscriptions by their ids' ledger_id_hash, and
	 * the filter of the ids kept (most records that match no rule have an
	 * id never kept, which it tells from the hash, without a lookup). It
	 * holds no copy of the ids: a candidate is compared with its
	 * subscription's id, ignoring case (sub_find).
	 */
	struct idindex index;
	struct strmap customers;	/* key -> struct customer */
	struct fpset users;		/* users seen: see user_new */
	struct customer **cust;		/* by seq */
	size_t ncust, cust_cap;		/* ncust stays when the map's index goes */
	struct strmap texts;		/* interned offers and statuses -> index + 1 */
	const char **text;		/* by index: the map's copies */
	unsigned char *audience;	/* by index: enum audience, for an offer */
	size_t audience_cap;
	size_t ntext, text_cap;
	struct arena ids;		/* the ids that are not packed GUIDs */
	struct arena objs;		/* customers, their names and counts */
	bool keep_domains;		/* ledger_keep_domains: a license export comes */
	uint32_t last_offer, last_status;	/* indexes + 1, 0 for none */
	bool last_active, last_suspended;	/* what last_status says */
	uint32_t *rank_of;		/* by customer seq, while summarizing */
	struct customer *last_customer;
	uint64_t last_customer_hash;	/* its sub_in.customer_hash */
	struct customer *last_licensed;	/* the customer of the last license row */
	bool joins_ready;
	/*
	 * The phases, asserted: no record after ledger_done_reading (its
	 * indexes are gone), and no customer summary but right after
	 * ledger_order (the subscriptions must be in its order).
	 */
	bool reading_done, ordered;
	struct strmap by_domain;	/* lower-case domain -> customer of the smallest key */
	struct strmap by_label;		/* its first label -> the same */
	struct buf tmp, fold;
};

struct ledger *
ledger_new(struct rules *rules)
{
	struct ledger *l = mem_calloc(1, sizeof(*l));

	l->rules = rules;
	idindex_init(&l->index);
	strmap_init(&l->customers);
	fpset_init(&l->users);
	strmap_init(&l->texts);
	strmap_init(&l->by_domain);
	strmap_init(&l->by_label);
	return l;
}

void
ledger_free(struct ledger *l)
{
	if (l == NULL)
		return;
	arena_free(&l->ids);
	arena_free(&l->objs);
	free(l->subs);
	free(l->rank_of);
	idindex_free(&l->index);
	free(l->cust);
	free((void *)l->text);
	free(l->audience);
	strmap_free(&l->customers);
	fpset_free(&l->users);
	strmap_free(&l->texts);
	strmap_free(&l->by_domain);
	strmap_free(&l->by_label);
	buf_free(&l->tmp);
	buf_free(&l->fold);
	free(l);
}

/*
 * The customer of key; with create, made when new, h being its hash or 0.
 * Keys are GUIDs or domains, one customer in any case: the map holds them
 * in lower case, and a customer keeps the spelling it was first read in.
 */
static struct customer *
customer_get_hashed(struct ledger *l, const char *key, bool create, uint64_t h)
{
	struct strmap_entry *e;
	size_t len = strlen(key);
	int created;

	text_lower(&l->fold, key, len);
	buf_terminate(&l->fold);
	if (!create)
		return (e = strmap_find(&l->customers, l->fold.data, len)) ? e->value : NULL;
	e = strmap_put_hashed(&l->customers, l->fold.data, len,
	    h ? h : strmap_hash(l->fold.data, len), &created);
	if (created) {
		struct customer *c = arena_calloc(&l->objs, sizeof(*c));

		if (l->ncust >= UINT32_MAX)
			mem_fail();
		c->key = memcmp(e->key, key, len) == 0 ? e->key : arena_strndup(&l->objs, key, len);
		c->seq = (uint32_t)l->ncust++;
		e->value = c;
		mem_grow((void **)&l->cust, &l->cust_cap, l->ncust, sizeof(*l->cust));
		l->cust[c->seq] = c;
	}
	return e->value;
}

uint64_t
ledger_customer_hash(const char *key, size_t len)
{
	char low[64];
	struct buf b = { 0 };
	uint64_t h;

	/* The hash of the key in lower case, as customer_get_hashed keeps it. */
	if (len <= sizeof(low)) {
		for (size_t i = 0; i < len; i++)
			low[i] = (key[i] >= 'A' && key[i] <= 'Z') ? (char)(key[i] + 32) : key[i];
		return strmap_hash(low, len);
	}
	text_lower(&b, key, len);
	h = strmap_hash(b.data, len);
	buf_free(&b);
	return h;
}

/*
 * Replaces *field with a copy of s when s is not empty, in its place when
 * it fits (*room bytes): a name that changes back and forth takes no more
 * room than its longest spelling.
 */
static void
keep_last(struct arena *a, char **field, uint32_t *room, const char *s)
{
	size_t n;

	if (s[0] == '\0' || (*field != NULL && strcmp(*field, s) == 0))
		return;
	n = strlen(s) + 1;
	if (n > *room) {
		if (n > UINT32_MAX)
			mem_fail();
		*field = arena_alloc(a, n);
		*room = (uint32_t)n;
	}
	memcpy(*field, s, n);
}

/* The text of a packed id, in its case: 36 bytes and a NUL into out. */
static void
guid_text(const struct sub *s, char out[LEDGER_ID_BUF])
{
	/* Where each byte's two digits go: the dashes stand at 8, 13, 18 and 23. */
	static const unsigned char at[16] = { 0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28,
		30, 32, 34 };
	const char *digits = s->id_form == ID_GUID_UPPER ? "0123456789ABCDEF" :
	    "0123456789abcdef";

	for (size_t i = 0; i < 16; i++) {
		out[at[i]] = digits[s->id.guid[i] >> 4];
		out[at[i] + 1] = digits[s->id.guid[i] & 15];
	}
	out[8] = out[13] = out[18] = out[23] = '-';
	out[36] = '\0';
}

/*
 * A byte as a hex digit: its value, 0x10 when it is one, and 0x20 for a
 * lower-case letter, 0x40 for an upper-case one.
 */
#define HEX_DIGIT(c, v) [c] = 0x10 | (v)
#define HEX_LOWER(c, v) [c] = 0x30 | (v)
#define HEX_UPPER(c, v) [c] = 0x50 | (v)
static const unsigned char hex_class[256] = {
	HEX_DIGIT('0', 0), HEX_DIGIT('1', 1), HEX_DIGIT('2', 2), HEX_DIGIT('3', 3),
	HEX_DIGIT('4', 4), HEX_DIGIT('5', 5), HEX_DIGIT('6', 6), HEX_DIGIT('7', 7),
	HEX_DIGIT('8', 8), HEX_DIGIT('9', 9),
	HEX_LOWER('a', 10), HEX_LOWER('b', 11), HEX_LOWER('c', 12), HEX_LOWER('d', 13),
	HEX_LOWER('e', 14), HEX_LOWER('f', 15),
	HEX_UPPER('A', 10), HEX_UPPER('B', 11), HEX_UPPER('C', 12), HEX_UPPER('D', 13),
	HEX_UPPER('E', 14), HEX_UPPER('F', 15),
};

/* Where a GUID's 16 bytes begin in its text (two hex digits each). */
static const unsigned char guid_at[16] = {
	0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34,
};

/*
 * Packs id when it is a GUID (8-4-4-4-12 hex digits) into g. Returns
 * ID_TEXT when it is not, ID_GUID_UPPER when its letters are upper case,
 * ID_GUID_LOWER when they are lower case (or it has none), and -1 when
 * they mix cases: such an id is kept as text, to be written as read.
 * Its digits are random: a table, not branches, classifies them.
 */
static int
guid_pack(const char *id, size_t len, unsigned char g[16])
{
	const unsigned char *u = (const unsigned char *)id;
	unsigned all = 0x10, any = 0;

	if (len != 36 || u[8] != '-' || u[13] != '-' || u[18] != '-' || u[23] != '-')
		return ID_TEXT;
	for (size_t i = 0; i < 16; i++) {
		unsigned hi = hex_class[u[guid_at[i]]], lo = hex_class[u[guid_at[i] + 1]];

		all &= hi & lo;
		any |= hi | lo;
		g[i] = (unsigned char)((hi & 15) << 4 | (lo & 15));
	}
	if (all == 0)
		return ID_TEXT;
	return (any & 0x60) == 0x60 ? -1 : (any & 0x40) ? ID_GUID_UPPER : ID_GUID_LOWER;
}

/* s's id as text: its own, or spelled into buf. */
static const char *
sub_id(const struct sub *s, char buf[LEDGER_ID_BUF])
{
	if (s->id_form == ID_TEXT)
		return s->id.t.text;
	guid_text(s, buf);
	return buf;
}

/*
 * An id's hash, the same for ids that differ only in the case of ASCII
 * letters: each byte is taken with its 0x20 bit set, which makes upper-
 * case letters lower case (and folds a few other bytes together, which
 * only makes the ids' comparison tell them apart). Eight bytes at a time,
 * the last eight overlapping the ones before: every record that matches
 * no rule is hashed, on the workers. The result is mixed so that its top
 * half, the index's tag, which gives the index's and the filter's
 * positions, spreads for ids of digits too.
 */
uint64_t
ledger_id_hash(const char *id, size_t len)
{
	const uint64_t fold = 0x2020202020202020ULL;
	uint64_t h = len * 0x9e3779b97f4a7c15ULL, w;
	size_t i = 0;

	if (len < 8) {
		for (; i < len; i++)
			h = (h ^ ((unsigned char)id[i] | 0x20u)) * 0x100000001b3ULL;
		return mix_u64(h);
	}
	for (; i + 8 < len; i += 8) {
		memcpy(&w, id + i, 8);
		h = (h ^ (w | fold)) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 29;
	}
	memcpy(&w, id + len - 8, 8);
	h = (h ^ (w | fold)) * 0x9e3779b97f4a7c15ULL;
	return mix_u64(h ^ h >> 29);
}

static uint64_t
sub_id_hash(const struct sub *s)
{
	char buf[LEDGER_ID_BUF];

	if (s->id_form == ID_TEXT)
		return ledger_id_hash(s->id.t.text, s->id.t.len);
	guid_text(s, buf);
	return ledger_id_hash(buf, 36);
}

/*
 * An id looked up in the index: its text, and (packed on first need)
 * whether it is a GUID of any case and its bytes.
 */
struct id_key {
	const char *s;
	size_t len;
	int form;		/* -2: not yet packed */
	unsigned char g[16];
};

/* Whether s has key's id, ignoring case. */
static bool
sub_id_is(const struct sub *s, struct id_key *key)
{
	if (s->id_form == ID_TEXT)
		return s->id.t.len == key->len && text_ieq(key->s, key->len, s->id.t.text);
	if (key->form == -2)
		key->form = guid_pack(key->s, key->len, key->g);
	return key->form != ID_TEXT && memcmp(s->id.guid, key->g, 16) == 0;
}

int
ledger_id_pack(const char *id, size_t len, unsigned char guid[16])
{
	return guid_pack(id, len, guid);
}

/* Byte order of two subscriptions' ids as read (strcmp's). */
static int
sub_id_cmp(const struct sub *a, const struct sub *b)
{
	char x[LEDGER_ID_BUF], y[LEDGER_ID_BUF];

	/* Hex digits sort as their values in either case. */
	if (a->id_form != ID_TEXT && a->id_form == b->id_form)
		return memcmp(a->id.guid, b->id.guid, 16);
	return strcmp(sub_id(a, x), sub_id(b, y));
}

/*
 * The index + 1 of the one copy of a text that many subscriptions share
 * (offer names and statuses: a few dozen distinct ones among thousands of
 * subscriptions).
 */
static uint32_t
intern(struct ledger *l, const char *s, size_t n, uint32_t *last)
{
	struct strmap_entry *e;
	int created;

	/* Consecutive records mostly repeat the last text: no hashing then. */
	if (*last != 0) {
		const char *t = l->text[*last - 1];

		if (strncmp(t, s, n) == 0 && t[n] == '\0')
			return *last;
	}
	e = strmap_put(&l->texts, s, n, &created);
	if (created) {
		if (l->ntext >= UINT32_MAX)
			mem_fail();
		mem_grow((void **)&l->text, &l->text_cap, l->ntext + 1, sizeof(*l->text));
		mem_grow((void **)&l->audience, &l->audience_cap, l->ntext + 1,
		    sizeof(*l->audience));
		l->audience[l->ntext] = (unsigned char)notice_audience(e->key, n);
		l->text[l->ntext++] = e->key;
		e->value = (void *)(uintptr_t)l->ntext;
	}
	return *last = (uint32_t)(uintptr_t)e->value;
}

/*
 * Looks key up in the id index, h being its ledger_id_hash: true when a
 * subscription has its id, p->item being that one; false when none has,
 * p then standing where one would be taken (idindex_take).
 */
static bool
sub_find(const struct ledger *l, struct id_key *key, uint64_t h, struct idindex_probe *p)
{
	/* A local walk, which the compiler keeps in registers; *p once, at the end. */
	struct idindex_probe q = idindex_probe_start(&l->index, h);
	bool found = false;

	while (!found && idindex_probe_next(&l->index, &q))
		found = sub_id_is(&l->subs[q.item], key);
	*p = q;
	return found;
}

/* Every subscription placed again in the emptied index (after they moved). */
static void
index_place_all(struct ledger *l)
{
	idindex_clear(&l->index);
	for (size_t i = 0; i < l->nsubs; i++)
		idindex_put(&l->index, sub_id_hash(&l->subs[i]), (uint32_t)i);
}

size_t
ledger_index_longest_run(const struct ledger *l)
{
	return idindex_longest_run(&l->index);
}

/* Sets s's id to id as read (the last record's spelling wins). */
static void
sub_set_id(struct ledger *l, struct sub *s, const char *id, size_t len, struct id_key *key)
{
	int form;

	if (key->form == -2)
		key->form = guid_pack(id, len, key->g);
	form = key->form;
	if (form == ID_GUID_LOWER || form == ID_GUID_UPPER) {
		memcpy(s->id.guid, key->g, 16);
		s->id_form = (uint32_t)form & 3;
		return;
	}
	if (s->id_form == ID_TEXT && s->id.t.text != NULL && s->id.t.len == len &&
	    memcmp(s->id.t.text, id, len) == 0)
		return;
	if (len > UINT32_MAX)
		mem_fail();
	s->id.t.text = arena_strndup(&l->ids, id, len);
	s->id.t.len = (uint32_t)len;
	s->id_form = ID_TEXT;
}

void
ledger_add_sub(struct ledger *l, const struct sub_in *in)
{
	struct sub *s;
	size_t li = strlen(in->id);
	uint64_t h = in->id_hash ? in->id_hash : ledger_id_hash(in->id, li);
	struct id_key key = { in->id, li, in->id_packed ? in->id_form : -2, { 0 } };
	struct idindex_probe p;
	struct customer *c;

	assert(!l->reading_done);
	l->ordered = false;
	if (in->id_packed)
		memcpy(key.g, in->id_guid, 16);
	idindex_reserve(&l->index);
	if (l->nsubs >= UINT32_MAX)
		mem_fail();
	if (!sub_find(l, &key, h, &p)) {
		idindex_take(&l->index, &p, (uint32_t)l->nsubs);
		mem_grow((void **)&l->subs, &l->cap, l->nsubs + 1, sizeof(*l->subs));
		memset(&l->subs[l->nsubs], 0, sizeof(*s));
		p.item = (uint32_t)l->nsubs++;
	}
	s = &l->subs[p.item];
	sub_set_id(l, s, in->id, li, &key);
	s->offer = intern(l, in->offer, strlen(in->offer), &l->last_offer) - 1;
	{
		const char *st = in->status;
		size_t sn = values_trim_status(&st, strlen(st));

		text_lower(&l->tmp, st, sn);
		buf_terminate(&l->tmp);
	}
	{
		uint32_t was = l->last_status;
		const char *st;

		s->status = intern(l, l->tmp.data, l->tmp.len, &l->last_status) - 1;
		st = l->text[s->status];
		if (s->status + 1 != was) {
			l->last_active = values_status_active(st, strlen(st));
			l->last_suspended = strcmp(st, "suspended") == 0;
		}
		s->active = l->last_active;
		s->suspended = l->last_suspended;
	}
	if (l->last_customer == NULL ||
	    (in->customer_hash != 0 && in->customer_hash != l->last_customer_hash) ||
	    strcmp(l->last_customer->key, in->customer_key) != 0) {
		l->last_customer = customer_get_hashed(l, in->customer_key, true,
		    in->customer_hash);
		l->last_customer_hash = in->customer_hash;
	}
	c = l->last_customer;
	s->customer = c->seq;
	keep_last(&l->objs, &c->name, &c->name_room, in->customer_name);
	if (l->keep_domains)
		keep_last(&l->objs, &c->domain, &c->domain_room, in->customer_domain);
	s->rule = (uint32_t)in->rule & 0xffffff;
	s->auto_renew = (uint32_t)(in->auto_renew + 1) & 3;
	s->quantity = in->quantity;
	s->end_date = in->end_date;
	s->status_date = in->status_date;
	s->live = 1;
}

void
ledger_drop_sub(struct ledger *l, const char *id, size_t len)
{
	ledger_drop_sub_hashed(l, id, len, ledger_id_hash(id, len));
}

void
ledger_drop_sub_hashed(struct ledger *l, const char *id, size_t len, uint64_t hash)
{
	struct id_key key = { id, len, -2, { 0 } };
	struct idindex_probe p;

	assert(!l->reading_done);
	if (idindex_may_hold(&l->index, hash) && sub_find(l, &key, hash, &p)) {
		l->subs[p.item].live = 0;
		l->ordered = false;
	}
}

bool
ledger_may_hold(const struct ledger *l, uint64_t id_hash)
{
	return idindex_may_hold(&l->index, id_hash);
}

void
ledger_prefetch(const struct ledger *l, uint64_t id_hash, uint64_t customer_hash, int step)
{
	if (customer_hash == 0) {
		/* A record that matched no rule: its lookup starts with the filter. */
		if (step == 0)
			idindex_prefetch(&l->index, id_hash, false);
		return;
	}
	if (step == 0) {
		/* A new subscription sets its bits in the filter. */
		idindex_prefetch(&l->index, id_hash, true);
		strmap_prefetch(&l->customers, customer_hash, false);
	} else {
		strmap_prefetch(&l->customers, customer_hash, true);
	}
}

void
ledger_prefetch_customer(const struct ledger *l, uint64_t customer_hash,
    const struct customer *joined, int step)
{
	if (joined != NULL) {
		if (step == 0)
			__builtin_prefetch(joined);
		return;
	}
	strmap_prefetch(&l->customers, customer_hash, step != 0);
}

/* Keeps the customer of the smallest key for name in m. */
static void
index_smallest(struct strmap *m, const char *name, size_t n, struct customer *c)
{
	struct strmap_entry *e = strmap_put(m, name, n, NULL);
	const struct customer *had = e->value;

	if (had == NULL || strcmp(c->key, had->key) < 0)
		e->value = c;
}

/*
 * The domain indexes, built once every subscription file has been read,
 * of the customers that hold a live subscription: customer by customer,
 * in the order they were made, which is how they lie in memory. (Taken
 * subscription by subscription, each customer was found again for each,
 * anywhere in memory: 0.3 s for 800,000 subscriptions.)
 */
static void
joins_build(struct ledger *l)
{
	struct buf low = { 0 };
	bool *live = mem_calloc(l->ncust + 1, sizeof(*live));

	l->joins_ready = true;
	for (size_t i = 0; i < l->nsubs; i++)
		if (l->subs[i].live)
			live[l->subs[i].customer] = true;
	for (size_t i = 0; i < l->ncust; i++) {
		struct customer *c = l->cust[i];
		const char *dot;

		if (!live[i] || c->domain == NULL)
			continue;
		text_lower(&low, c->domain, strlen(c->domain));
		index_smallest(&l->by_domain, low.data, low.len, c);
		dot = strchr(low.data, '.');
		if (dot != NULL)
			index_smallest(&l->by_label, low.data, (size_t)(dot - low.data), c);
	}
	free(live);
	buf_free(&low);
}

void
ledger_keep_domains(struct ledger *l)
{
	assert(l->nsubs == 0);
	l->keep_domains = true;
}

void
ledger_joins_prepare(struct ledger *l)
{
	assert(!l->reading_done);
	if (!l->joins_ready)
		joins_build(l);
}

const char *
ledger_customer_key(const struct customer *c)
{
	return c->key;
}

const struct customer *
ledger_join_domain(const struct ledger *l, struct buf *scratch, const char *domain, size_t len)
{
	struct strmap_entry *e;

	assert(l->joins_ready);
	text_lower(scratch, domain, len);
	e = strmap_find(&l->by_domain, scratch->data, scratch->len);
	return e ? e->value : NULL;
}

const struct customer *
ledger_join_tenant(const struct ledger *l, struct buf *scratch, const char *tenant, size_t tlen)
{
	struct strmap_entry *e;

	assert(l->joins_ready);
	text_lower(scratch, tenant, tlen);
	buf_adds(scratch, ".onmicrosoft.com");
	e = strmap_find(&l->by_domain, scratch->data, scratch->len);
	if (e != NULL)
		return e->value;
	e = strmap_find(&l->by_label, scratch->data, tlen);
	return e ? e->value : NULL;
}

const struct customer *
ledger_join_upn(const struct ledger *l, struct buf *scratch, const char *upn, size_t len)
{
	const char *at = text_last(upn, len, '@'), *domain, *dot;
	const struct customer *key;
	size_t dlen;

	if (at == NULL || at + 1 == upn + len)
		return NULL;
	domain = at + 1;
	dlen = (size_t)(upn + len - domain);
	key = ledger_join_domain(l, scratch, domain, dlen);
	if (key != NULL)
		return key;
	dot = memchr(domain, '.', dlen);
	return ledger_join_tenant(l, scratch, domain, dot ? (size_t)(dot - domain) : dlen);
}

const struct customer *
ledger_join_upn_memo(const struct ledger *l, struct buf *scratch, struct ledger_upn_memo *m,
    const char *upn, size_t len)
{
	const char *at = text_last(upn, len, '@');
	size_t dlen = at != NULL ? (size_t)(upn + len - at - 1) : 0;

	if (at == NULL)
		return NULL;
	if (m->set && m->domain.len == dlen && memcmp(m->domain.data, at + 1, dlen) == 0)
		return m->joined;
	m->joined = ledger_join_upn(l, scratch, upn, len);
	m->domain.len = 0;
	buf_add(&m->domain, at + 1, dlen);
	m->set = true;
	return m->joined;
}

/*
 * The customer of a license row's key (created when new, with create):
 * a license row looks its customer up once, then once for each item, and
 * consecutive rows mostly belong to one customer.
 */
static struct customer *
licensed_customer(struct ledger *l, const char *key, bool create, uint64_t h)
{
	struct customer *c = l->last_licensed;

	if (c != NULL && (c->key == key || strcmp(c->key, key) == 0))
		return c;
	c = customer_get_hashed(l, key, create, h);
	if (c != NULL)
		l->last_licensed = c;
	return c;
}

void
ledger_cover(struct ledger *l, const char *customer_key)
{
	struct customer *c = licensed_customer(l, customer_key, false, 0);

	assert(!l->reading_done);
	if (c != NULL)
		c->covered = true;
}

/* Customer c's count of one family, NULL when none is counted. */
static struct famcount *
famcount_find(const struct customer *c, size_t family)
{
	for (uint32_t i = 0; i < c->nfam; i++)
		if (c->fam[i].family == family)
			return &c->fam[i];
	return NULL;
}

/*
 * The count of one family for customer c. License rows may name a key
 * that no subscription has (a domain, "(unmatched)"): those keys are
 * customers too, with counts and no subscriptions.
 */
static struct famcount *
famcount_get(struct ledger *l, struct customer *c, size_t family)
{
	struct famcount *f = famcount_find(c, family);

	if (f != NULL)
		return f;
	/* The list's room is the power of two from 2 up that holds nfam. */
	if (c->nfam >= 2 && (c->nfam & (c->nfam - 1)) == 0) {
		struct famcount *more = arena_alloc(&l->objs, 2 * c->nfam * sizeof(*more));

		memcpy(more, c->fam, c->nfam * sizeof(*more));
		c->fam = more;
	} else if (c->fam == NULL) {
		c->fam = arena_alloc(&l->objs, 2 * sizeof(*c->fam));
	}
	f = &c->fam[c->nfam++];
	*f = (struct famcount){ .family = (uint32_t)family };
	return f;
}

/* A users-set tag of a pool of seats, apart from family indexes + 1. */
#define USER_POOL 0x80000000u

/*
 * Adds (customer, tag, user) to the users set, tag being a family index
 * + 1, USER_POOL | a pool, or 0 for "any retired family"; true when it
 * was new. Users are the same whatever the case of their letters.
 */
static bool
user_new(struct ledger *l, const struct customer *c, uint32_t tag, struct fpset_print user)
{
	return fpset_add(&l->users, fpset_tag(user, (uint64_t)c->seq << 32 | tag));
}

static void
license_add(struct ledger *l, struct customer *c, struct fpset_print user, int pool, int rule)
{
	assert(!l->reading_done);
	l->ordered = false;
	if (pool < 0) {
		const struct rule *r = rules_get(l->rules, (size_t)rule);

		if (r->kind == RULE_RETIRED) {
			if (r->family_index >= USER_POOL - 1)
				mem_fail();
			if (user_new(l, c, (uint32_t)r->family_index + 1, user)) {
				struct famcount *f = famcount_get(l, c, r->family_index);

				f->direct += f->direct < UINT32_MAX;
			}
			if (user_new(l, c, 0, user))
				c->direct_users += c->direct_users < UINT32_MAX;
			return;
		}
		pool = (int)r->pool;
	}
	if (c->pool_users == NULL)
		c->pool_users = arena_calloc(&l->objs,
		    rules_pool_count(l->rules) * sizeof(*c->pool_users));
	if (user_new(l, c, USER_POOL | (uint32_t)pool, user))
		c->pool_users[pool] += c->pool_users[pool] < UINT32_MAX;
}

void
ledger_add_license(struct ledger *l, const char *key, const char *user, size_t ulen, int pool,
    int rule)
{
	license_add(l, licensed_customer(l, key, true, 0), fpset_key(user, ulen), pool, rule);
}

void
ledger_add_license_row(struct ledger *l, const char *key, uint64_t key_hash,
    const struct customer *joined, struct fpset_print user, const void *items, size_t n)
{
	/* A joined customer is the ledger's own: it was found, not made. */
	struct customer *c = joined != NULL ? (struct customer *)(uintptr_t)joined :
	    licensed_customer(l, key, false, key_hash);

	assert(!l->reading_done);
	if (c != NULL)
		c->covered = true;
	for (size_t i = 0; i < n; i++) {
		struct ledger_item it;

		memcpy(&it, (const char *)items + i * sizeof(it), sizeof(it));
		if (c == NULL)
			c = licensed_customer(l, key, true, key_hash);
		license_add(l, c, user, it.pool, it.rule);
	}
}

static int
cmp_sub_id(const void *a, const void *b)
{
	return sub_id_cmp(a, b);
}

/*
 * Puts the live subscriptions in report order (by customer rank, then
 * id), and drops the others: summarizing and writing then read them in
 * memory order instead of jumping around the array for each. Ranks are
 * dense, so a counting sort copies every subscription into its customer's
 * run of a new array in one pass; only the runs (a few subscriptions
 * each) are then sorted by id. The copy's writes land anywhere but do not
 * wait on one another, where permuting in place followed a cycle of
 * cache misses one at a time (60 ms for 800,000 subscriptions). Returns
 * how many are live, and in *nretired how many of them are retired.
 */
static size_t
order_subs(struct ledger *l, size_t *nretired)
{
	size_t nc = l->ncust, *at = mem_calloc(nc + 1, sizeof(*at)), n;
	struct sub *to;

	*nretired = 0;
	for (size_t i = 0; i < l->nsubs; i++) {
		const struct sub *s = &l->subs[i];

		if (!s->live)
			continue;
		at[l->rank_of[s->customer] + 1]++;
		*nretired += rules_get(l->rules, s->rule)->kind == RULE_RETIRED;
	}
	for (size_t k = 0; k < nc; k++)
		at[k + 1] += at[k];
	n = at[nc];
	to = mem_alloc((n + 1) * sizeof(*to));
	for (size_t i = 0; i < l->nsubs; i++)
		if (l->subs[i].live)
			to[at[l->rank_of[l->subs[i].customer]]++] = l->subs[i];
	free(l->subs);
	l->subs = to;
	l->nsubs = n;
	l->cap = n + 1;
	/* at[k] is now where run k ends. */
	for (size_t k = 0, start = 0; k < nc; start = at[k++]) {
		struct sub *v = l->subs + start;
		size_t len = at[k] - start;

		if (len > 32) {
			qsort(v, len, sizeof(*v), cmp_sub_id);
			continue;
		}
		for (size_t i = 1; i < len; i++) {
			struct sub x = v[i];
			size_t j = i;

			for (; j > 0 && sub_id_cmp(&v[j - 1], &x) > 0; j--)
				v[j] = v[j - 1];
			v[j] = x;
		}
	}
	free(at);
	/* Summarized while still reading (the unit tests do): re-index. */
	if (l->index.cap != 0)
		index_place_all(l);
	return n;
}

static int
cmp_customer_key(const void *a, const void *b)
{
	return strcmp((*(struct customer *const *)a)->key, (*(struct customer *const *)b)->key);
}

/* The first 8 bytes of s as a number that compares as strcmp does (0 after the end). */
static uint64_t
key_prefix(const char *s)
{
	uint64_t v = 0;
	bool ended = false;

	for (size_t i = 0; i < 8; i++) {
		unsigned char c = ended ? 0 : (unsigned char)s[i];

		ended = c == 0;
		v = v << 8 | c;
	}
	return v;
}

/*
 * Ranks the customers in key order (rank_of, by seq: subscriptions then
 * sort by rank) and returns them in that order; the caller frees the array.
 * Most keys differ in their first 8 bytes, which the sort compares as
 * numbers without reading the keys (each one a cache miss).
 */
static struct customer **
rank_customers(struct ledger *l)
{
	size_t n = l->ncust;
	struct customer **v = mem_calloc(n + 1, sizeof(*v));
	struct sort_item *k = mem_calloc(n + 1, sizeof(*k));

	for (size_t i = 0; i < n; i++)
		k[i] = (struct sort_item){ key_prefix(l->cust[i]->key), i };
	sort_items(k, n);
	for (size_t i = 0; i < n; i++)
		v[i] = l->cust[k[i].at];
	/* Keys that share their first 8 bytes: those runs by the whole key. */
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && k[j].key == k[i].key; j++)
			;
		if (j - i > 1)
			qsort(v + i, j - i, sizeof(*v), cmp_customer_key);
	}
	free(l->rank_of);
	l->rank_of = mem_calloc(n + 1, sizeof(*l->rank_of));
	for (size_t i = 0; i < n; i++)
		l->rank_of[v[i]->seq] = (uint32_t)i;
	free(k);
	return v;
}

static const struct rules *family_rules;	/* for cmp_family_name, while sorting */

static int
cmp_family_name(const void *a, const void *b)
{
	return strcmp(rules_family(family_rules, *(const size_t *)a),
	    rules_family(family_rules, *(const size_t *)b));
}

/*
 * Each family's rank in license_counts' order, by family index: the
 * families sorted by name.
 */
static size_t *
family_rank(const struct rules *rules)
{
	size_t nfam = rules_family_count(rules), *order = mem_calloc(nfam + 1, sizeof(*order));
	size_t *rank = mem_calloc(nfam + 1, sizeof(*rank));

	for (size_t k = 0; k < nfam; k++)
		order[k] = k;
	family_rules = rules;
	qsort(order, nfam, sizeof(*order), cmp_family_name);
	family_rules = NULL;
	for (size_t k = 0; k < nfam; k++)
		rank[order[k]] = k;
	free(order);
	return rank;
}

size_t
ledger_family_rows(const struct ledger_summary *s, size_t i, struct family_row *rows)
{
	const struct customer *c = s->fam_customers[i];
	size_t n = 0;

	/* Asked for in order: the customers a few ahead are fetched meanwhile. */
	if (i + 16 < s->nfam_customers)
		__builtin_prefetch(s->fam_customers[i + 16]);
	if (i + 8 < s->nfam_customers) {
		__builtin_prefetch(s->fam_customers[i + 8]->key);
		if (s->fam_customers[i + 8]->fam != NULL)
			__builtin_prefetch(s->fam_customers[i + 8]->fam);
	}

	/* The customer's few families, in insertion order by their names' rank. */
	for (uint32_t k = 0; k < c->nfam; k++) {
		const struct famcount *f = &c->fam[k];
		size_t at = n++;

		for (; at > 0 && s->fam_rank[rows[at - 1].family] > s->fam_rank[f->family]; at--)
			rows[at] = rows[at - 1];
		rows[at] = (struct family_row){
			.customer_key = c->key, .family = f->family,
			.purchased = f->purchased, .assigned = f->assigned,
		};
	}
	return n;
}

/* Per-rule scratch of summarize_customer, all zero between customers. */
struct scratch {
	bool *suggested, *bought, *held;	/* held: a subscription of it, any status */
	int64_t *seats;				/* on its active subscriptions */
	uint64_t *dep;				/* by pool: users on retired seats */
};

/* n more users of family k for customer c (saturating). */
static void
users_give(struct ledger *l, struct customer *c, size_t k, uint64_t n)
{
	struct famcount *f = famcount_get(l, c, k);
	uint64_t v = (uint64_t)f->assigned + n;

	f->assigned = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/*
 * Gives customer c's users of pool p to the families whose seats they
 * hold: licenses of one product are one pool in a tenant, whichever
 * subscription bought them. Users fill first the seats of active
 * subscriptions that are not retired, in rule order, then the retired
 * ones. Users beyond every seat go to the retired family when c has a
 * retired subscription of the pool (they depend on it), else to the last
 * family with seats, else to the pool's first rule that is not retired.
 * Returns the users who depend on retired seats: those beyond the other
 * seats, when c has a retired subscription of the pool.
 */
static uint64_t
pool_allocate(struct ledger *l, struct customer *c, size_t p, const struct scratch *sc)
{
	size_t nrules = rules_count(l->rules);
	uint64_t left = c->pool_users[p], dep = 0;
	int last = -1, retired = -1, home = -1;

	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < nrules; i++) {
			const struct rule *r = rules_get(l->rules, i);
			uint64_t take;

			if (r->pool != p || (r->kind == RULE_RETIRED) != (pass == 1))
				continue;
			if (home < 0)
				home = (int)i;
			if (pass == 1 && retired < 0 && sc->held[i])
				retired = (int)i;
			if (sc->seats == NULL || sc->seats[i] <= 0)
				continue;
			take = left < (uint64_t)sc->seats[i] ? left : (uint64_t)sc->seats[i];
			users_give(l, c, r->family_index, take);
			left -= take;
			if (pass == 1)
				dep += take;
			else
				last = (int)i;
		}
	}
	if (left == 0)
		return dep;
	if (retired >= 0) {
		dep += left;
		last = retired;
	} else if (last < 0) {
		last = home;
	}
	users_give(l, c, rules_get(l->rules, (size_t)last)->family_index, left);
	return dep;
}

/*
 * All of customer c's users given to families (pool_allocate for each
 * pool, sc->dep filled when it is not NULL), and the users whose item
 * names a retired offer counted where they are.
 */
static void
users_allocate(struct ledger *l, struct customer *c, const struct scratch *sc)
{
	c->allocated = true;
	for (size_t p = 0; c->pool_users != NULL && p < rules_pool_count(l->rules); p++) {
		uint64_t dep = c->pool_users[p] ? pool_allocate(l, c, p, sc) : 0;

		if (sc->dep != NULL)
			sc->dep[p] = dep;
	}
	/* users_give finds the family counted: the list does not move. */
	for (uint32_t i = 0; i < c->nfam; i++)
		if (c->fam[i].direct > 0)
			users_give(l, c, c->fam[i].family, c->fam[i].direct);
}

/*
 * The next action's users (SPEC: the audit never advises suspending while
 * a user depends on retired seats). Users of a pool that a bought
 * replacement provisions too need more seats of it; the others, and those
 * whose item names the retired offer, must move to the first bought
 * replacement in the order the retired rules suggest.
 */
static void
action_users(struct ledger *l, const struct customer *c, const struct scratch *sc,
    struct next_action *a)
{
	size_t nrules = rules_count(l->rules), npools = rules_pool_count(l->rules);

	for (size_t i = 0; i < nrules; i++) {
		const struct rule *r = rules_get(l->rules, i);

		if (r->kind != RULE_RETIRED || !sc->held[i])
			continue;
		for (size_t k = 0; k < r->nsuggest; k++) {
			const struct rule *x = rules_get(l->rules, r->suggest[k]);

			if (!sc->bought[r->suggest[k]])
				continue;
			if (a->move_family == NULL)
				a->move_family = x->family;
			if (sc->dep[x->pool] > 0 && a->more_family == NULL)
				a->more_family = x->family;
		}
	}
	a->move_users += c->direct_users;
	for (size_t p = 0; p < npools; p++) {
		bool same = false;

		for (size_t i = 0; i < nrules && !same; i++)
			same = sc->bought[i] && sc->suggested[i] && rules_get(l->rules, i)->pool == p;
		if (same)
			a->more_seats += sc->dep[p];
		else
			a->move_users += sc->dep[p];
	}
	if (a->more_seats == 0)
		a->more_family = NULL;
	if (a->move_family == NULL)
		a->move_family = "";
	if (a->more_family == NULL)
		a->more_family = "";
}

/*
 * One customer's subscriptions, l->subs[first .. first + n), in one pass:
 * its family counts, its users given to families, its row, and its
 * retired subscriptions appended to out->subs.
 */
static void
summarize_customer(struct ledger *l, size_t first, size_t n, struct ledger_summary *out,
    const struct scratch *sc)
{
	size_t nrules = rules_count(l->rules);
	struct customer *c = l->cust[l->subs[first].customer];
	struct customer_row row = { 0 };
	uint64_t evidence = 0;

	row.key = c->key;
	row.name = c->name ? c->name : "";
	row.earliest_end = DATE_NONE;
	row.deprovision = DATE_NONE;
	for (size_t i = first; i < first + n; i++) {
		const struct sub *s = &l->subs[i];
		const struct rule *r = rules_get(l->rules, s->rule);
		struct famcount *f = famcount_get(l, c, r->family_index);
		bool active = s->active;

		sc->held[s->rule] = true;
		if (active) {
			f->purchased = values_seats_add(f->purchased, s->quantity);
			sc->seats[s->rule] = values_seats_add(sc->seats[s->rule], s->quantity);
		}
		if (r->kind != RULE_RETIRED) {
			if (active && r->kind == RULE_REPLACEMENT)
				sc->bought[s->rule] = true;
			continue;
		}
		row.retired++;
		for (size_t k = 0; k < r->nsuggest; k++)
			sc->suggested[r->suggest[k]] = true;
		if (s->suspended && s->status_date != DATE_NONE &&
		    (row.deprovision == DATE_NONE ||
		    s->status_date + NOTICE_DEPROVISION_DAYS > row.deprovision))
			row.deprovision = s->status_date + NOTICE_DEPROVISION_DAYS;
		if (!active)
			continue;
		row.any_active = true;
		row.active_retired++;
		row.retired_seats = values_seats_add(row.retired_seats, s->quantity);
		if (s->end_date != DATE_NONE &&
		    (row.earliest_end == DATE_NONE || s->end_date < row.earliest_end))
			row.earliest_end = s->end_date;
	}
	for (size_t k = 0; k < nrules; k++)
		if (sc->suggested[k] && sc->bought[k])
			row.replacement_purchased = true;
	users_allocate(l, c, sc);
	for (size_t k = 0; k < rules_pool_count(l->rules); k++)
		row.users_on_retired = values_count_add(row.users_on_retired, sc->dep[k]);
	row.users_on_retired = values_count_add(row.users_on_retired, c->direct_users);
	for (uint32_t i = 0; i < c->nfam; i++)
		if (rules_family_kind(l->rules, c->fam[i].family) == RULE_REPLACEMENT)
			evidence += c->fam[i].assigned;
	row.licenses_reassigned = !c->covered ? -1 :
	    (row.users_on_retired == 0 && evidence > 0) ? 1 : 0;
	row.action.purchased = row.replacement_purchased;
	row.action.reassigned = row.licenses_reassigned;
	row.action.suspend = row.active_retired;
	action_users(l, c, sc, &row.action);
	row.status = notice_audit_status(row.replacement_purchased, row.licenses_reassigned,
	    row.active_retired == 0);
	if (row.retired > 0) {
		mem_grow((void **)&out->customers, &out->customers_cap, out->ncustomers + 1,
		    sizeof(*out->customers));
		out->customers[out->ncustomers++] = row;
		/* The run's totals, which stderr and summary.html both print. */
		out->retired_seats = values_seats_add(out->retired_seats, row.retired_seats);
		out->users_on_retired = values_count_add(out->users_on_retired,
		    row.users_on_retired);
	}
	memset(sc->suggested, 0, nrules * sizeof(*sc->suggested));
	memset(sc->bought, 0, nrules * sizeof(*sc->bought));
	memset(sc->held, 0, nrules * sizeof(*sc->held));
	memset(sc->seats, 0, nrules * sizeof(*sc->seats));
	memset(sc->dep, 0, rules_pool_count(l->rules) * sizeof(*sc->dep));
}

void
ledger_done_reading(struct ledger *l)
{
	/*
	 * What only reading needs goes before the summary is built, so that
	 * the two are not in memory at once.
	 */
	idindex_free(&l->index);
	/* Customers are found by seq from now on; their keys stay. */
	strmap_drop_index(&l->customers);
	l->last_licensed = NULL;
	fpset_free(&l->users);
	strmap_free(&l->by_domain);
	strmap_free(&l->by_label);
	l->joins_ready = false;
	l->reading_done = true;
}

void
ledger_order(struct ledger *l, struct ledger_summary *out)
{
	size_t nlive, nretired;

	memset(out, 0, sizeof(*out));
	out->rules = l->rules;
	out->ledger = l;
	out->fam_customers = rank_customers(l);
	out->nfam_customers = l->ncust;
	out->fam_rank = family_rank(l->rules);
	nlive = order_subs(l, &nretired);
	out->subs = mem_calloc(nretired + 1, sizeof(*out->subs));
	for (size_t i = 0; i < nlive; i++)
		if (rules_get(l->rules, l->subs[i].rule)->kind == RULE_RETIRED)
			out->subs[out->nsubs++] = (uint32_t)i;
	l->ordered = true;
}

void
ledger_summarize_customers(struct ledger *l, struct ledger_summary *out)
{
	size_t nlive = l->nsubs, nrules = rules_count(l->rules);
	struct scratch sc = {
		.suggested = mem_calloc(nrules, sizeof(bool)),
		.bought = mem_calloc(nrules, sizeof(bool)),
		.held = mem_calloc(nrules, sizeof(bool)),
		.seats = mem_calloc(nrules, sizeof(int64_t)),
		.dep = mem_calloc(rules_pool_count(l->rules) + 1, sizeof(uint64_t)),
	};
	struct scratch none = { .held = sc.held };

	assert(l->ordered);
	for (size_t i = 0; i < l->ncust; i++) {
		l->cust[i]->allocated = false;
		for (uint32_t k = 0; k < l->cust[i]->nfam; k++)
			l->cust[i]->fam[k].purchased = l->cust[i]->fam[k].assigned = 0;
	}
	for (size_t i = 0, j; i < nlive; i = j) {
		uint32_t c = l->subs[i].customer;

		/* Customers lie anywhere: those of the runs a few ahead are fetched. */
		if (i + 32 < nlive)
			__builtin_prefetch(l->cust[l->subs[i + 32].customer]);
		if (i + 16 < nlive)
			__builtin_prefetch(l->cust[l->subs[i + 16].customer]->fam);

		for (j = i + 1; j < nlive && l->subs[j].customer == c; j++)
			;
		summarize_customer(l, i, j - i, out, &sc);
	}
	/* Keys that only license rows name: their users hold no seats here. */
	for (size_t i = 0; i < l->ncust; i++)
		if (!l->cust[i]->allocated)
			users_allocate(l, l->cust[i], &none);
	free(sc.suggested);
	free(sc.bought);
	free(sc.held);
	free(sc.seats);
	free(sc.dep);
	l->ordered = false;	/* a summary again needs ledger_order again */
	free(l->rank_of);
	l->rank_of = NULL;
}

void
ledger_summarize(struct ledger *l, struct ledger_summary *out)
{
	ledger_order(l, out);
	ledger_summarize_customers(l, out);
}

struct sub_row
ledger_sub_row(const struct ledger_summary *s, size_t i, char idbuf[LEDGER_ID_BUF])
{
	const struct ledger *l = s->ledger;
	const struct sub *x = &l->subs[s->subs[i]];
	const struct customer *c = l->cust[x->customer];

	/*
	 * Rows are asked for in order, and customers lie anywhere in memory:
	 * those of the rows a few ahead, then their keys and names, are
	 * fetched into the cache meanwhile.
	 */
	if (i + 16 < s->nsubs)
		__builtin_prefetch(l->cust[l->subs[s->subs[i + 16]].customer]);
	if (i + 8 < s->nsubs) {
		const struct customer *a = l->cust[l->subs[s->subs[i + 8]].customer];

		__builtin_prefetch(a->key);
		if (a->name != NULL)
			__builtin_prefetch(a->name);
	}
	return (struct sub_row){
		.customer_key = c->key,
		.customer_name = c->name ? c->name : "",
		.id = idbuf != NULL ? sub_id(x, idbuf) : NULL, .offer = l->text[x->offer], .status = l->text[x->status],
		.active = x->active,
		.rule = rules_get(s->rules, x->rule),
		.audience = (enum audience)l->audience[x->offer], .auto_renew = (int)x->auto_renew - 1,
		.quantity = x->quantity, .end_date = x->end_date,
	};
}

void
ledger_summary_free(struct ledger_summary *s)
{
	free(s->customers);
	free(s->subs);
	free(s->fam_customers);
	free(s->fam_rank);
	memset(s, 0, sizeof(*s));
}

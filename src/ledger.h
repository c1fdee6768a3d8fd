/*
 * ledger: what the reports are made of — the retired and replacement
 * subscriptions (last record wins per subscription id), their customers,
 * and the users holding licenses of a rule's family — and the totals the
 * reports show. Memory grows with those alone, never with rows that match
 * no rule.
 *
 * The ledger owns copies of every string it is given. The rows handed out
 * by ledger_summarize belong to the struct ledger_summary, freed by
 * ledger_summary_free; they point into the ledger, which must outlive them.
 */
#ifndef SKUSCAN_LEDGER_H
#define SKUSCAN_LEDGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fpset.h"
#include "notice.h"
#include "rules.h"

struct ledger;
struct buf;
struct customer;

/* One subscription record that matched a rule, as read. */
struct sub_in {
	const char *id;			/* subscription id as read */
	const char *customer_key;
	const char *customer_name;	/* "" when empty */
	const char *customer_domain;	/* "" when empty */
	const char *offer;
	int rule;
	const char *status;		/* as read, trimmed */
	int auto_renew;			/* 1, 0, -1 unknown */
	int64_t quantity;
	int32_t end_date;		/* DATE_NONE when unknown */
	int32_t status_date;
	uint64_t id_hash;		/* ledger_id_hash(id), or 0: not computed */
	uint64_t customer_hash;		/* ledger_customer_hash(customer_key), or 0 */
	bool id_packed;			/* id_form and id_guid hold ledger_id_pack(id) */
	int id_form;
	unsigned char id_guid[16];
};

/*
 * The longest run of taken slots in the id index, which a lookup may
 * have to walk (for the tests: it stays short for any kind of id).
 */
size_t ledger_index_longest_run(const struct ledger *l);
/* The hash the ledger looks subscription ids up by (on any thread). */
uint64_t ledger_id_hash(const char *id, size_t len);
/* What the ledger keeps of a GUID id, for sub_in.id_form and id_guid (on any thread). */
int ledger_id_pack(const char *id, size_t len, unsigned char guid[16]);
/* The hash the ledger looks customer keys up by (on any thread). */
uint64_t ledger_customer_hash(const char *key, size_t len);
/*
 * A hint that a subscription record with these hashes (customer_hash 0
 * for one that matched no rule) comes soon: step 0 fetches where its
 * lookups start, step 1, a few records later, what those places point to.
 */
void ledger_prefetch(const struct ledger *l, uint64_t id_hash, uint64_t customer_hash,
    int step);

struct ledger *ledger_new(struct rules *rules);
void ledger_free(struct ledger *l);

/* Records a matched subscription; replaces an earlier one of the same id. */
void ledger_add_sub(struct ledger *l, const struct sub_in *s);
/* A record that matched no rule: an earlier subscription of its id leaves. */
void ledger_drop_sub(struct ledger *l, const char *id, size_t len);
/* The same, given ledger_id_hash(id, len) (computed on another thread). */
void ledger_drop_sub_hashed(struct ledger *l, const char *id, size_t len, uint64_t hash);
/*
 * Whether the ledger may hold a subscription whose id has this
 * ledger_id_hash: false means it surely does not, and a drop can be skipped.
 */
bool ledger_may_hold(const struct ledger *l, uint64_t id_hash);

/*
 * The customer a license row without a customer column belongs to: by its
 * tenant prefix when it has one, else by the user's UPN domain, against
 * the subscription customers' domains. NULL when none matches.
 */
const struct customer *ledger_join_tenant(const struct ledger *l, struct buf *scratch,
    const char *tenant, size_t tlen);
const struct customer *ledger_join_upn(const struct ledger *l, struct buf *scratch,
    const char *upn, size_t len);
/*
 * A reading thread's memory of its last UPN domain and what it joined: an
 * admin center export lists one tenant's users, one after another, so
 * most rows repeat the domain of the row before. Zeroed to begin.
 */
struct ledger_upn_memo {
	struct buf domain;		/* as written in the UPN */
	const struct customer *joined;	/* or NULL: it joined none */
	bool set;
};
/* ledger_join_upn, remembering the domain in m. */
const struct customer *ledger_join_upn_memo(const struct ledger *l, struct buf *scratch,
    struct ledger_upn_memo *m, const char *upn, size_t len);
/* The customer whose domain this is (of the smallest key), or NULL. */
const struct customer *ledger_join_domain(const struct ledger *l, struct buf *scratch,
    const char *domain, size_t len);
/* A customer's key, as first read. */
const char *ledger_customer_key(const struct customer *c);
/*
 * Customers' domains are kept for the joins, which only a license export
 * makes: without one they are not kept at all. Before the first
 * subscription.
 */
void ledger_keep_domains(struct ledger *l);
/*
 * Builds the indexes the joins read, once every subscription file is
 * read: before any join. The joins then only read the ledger, and take a
 * scratch buffer of their caller's: threads may join at once, while no
 * thread changes the ledger.
 */
void ledger_joins_prepare(struct ledger *l);

/* A license row belongs to customer_key ("(unmatched)" when none). */
void ledger_cover(struct ledger *l, const char *customer_key);
/*
 * The user holds a license item: of the given pool of seats (the product
 * a rule lists, rules_item_pool), or, with pool -1, one whose text the
 * given rule's pattern matched (a retired rule's: the item names the
 * retired offer itself, and its user is on retired seats).
 */
void ledger_add_license(struct ledger *l, const char *customer_key, const char *user,
    size_t ulen, int pool, int rule);

/* One license item: its pool and rule, as ledger_add_license takes them. */
struct ledger_item {
	int32_t pool, rule;
};

/*
 * A whole license row: ledger_cover, then ledger_add_license for each of
 * its n items (struct ledger_item, one after another at any alignment:
 * read as bytes), its user given as fpset_key(user, ulen). Its customer
 * is joined (a join's result: then customer_key and key_hash are not
 * read), or else customer_key, whose ledger_customer_hash is key_hash (or
 * 0).
 */
void ledger_add_license_row(struct ledger *l, const char *customer_key, uint64_t key_hash,
    const struct customer *joined, struct fpset_print user, const void *items, size_t n);
/* ledger_prefetch for a license row's customer (joined, or by key_hash). */
void ledger_prefetch_customer(const struct ledger *l, uint64_t customer_hash,
    const struct customer *joined, int step);

/* Rows of the reports, sorted as SPEC orders them. */
struct customer_row {
	const char *key, *name;
	uint64_t retired, active_retired, users_on_retired;
	int64_t retired_seats;
	int32_t earliest_end;	/* DATE_NONE: unknown */
	bool any_active;
	bool replacement_purchased;
	int licenses_reassigned;	/* 1 yes, 0 no, -1 unknown */
	int32_t deprovision;	/* DATE_NONE when none */
	enum audit_status status;
	struct next_action action;
};

struct sub_row {
	const char *customer_key, *customer_name, *id, *offer, *status;
	bool active;			/* what the status says */
	const struct rule *rule;
	enum audience audience;		/* of the offer */
	int auto_renew;
	int64_t quantity;
	int32_t end_date;
};

struct family_row {
	const char *customer_key;
	size_t family;
	int64_t purchased;
	uint64_t assigned;
};

struct customer;

struct ledger_summary {
	struct customer_row *customers;	/* affected customers, by key */
	size_t ncustomers, customers_cap;
	/*
	 * Totals over the affected customers, for every place that shows them
	 * (stderr, summary.html): saturating, as a quantity may be 2^63-1.
	 */
	int64_t retired_seats;
	uint64_t users_on_retired;
	/*
	 * Retired subscriptions in report order, as indexes of the ledger's:
	 * read them with ledger_sub_row.
	 */
	uint32_t *subs;
	size_t nsubs;
	const struct ledger *ledger;
	struct rules *rules;
	/*
	 * license_counts' rows, made on demand customer by customer (in key
	 * order) by ledger_family_rows: nfam_customers customers.
	 */
	struct customer **fam_customers;
	size_t nfam_customers;
	size_t *fam_rank;		/* by family index: its place by family name */
};

/*
 * Frees what only reading needs (the id index and filter, the users seen,
 * the join indexes): the ledger takes no more records after this.
 */
void ledger_done_reading(struct ledger *l);
/*
 * Builds the rows of the reports (as often as wished). It puts the
 * ledger's subscriptions in report order: a summary built earlier is no
 * longer valid, and must be freed first. It is ledger_order, then
 * ledger_summarize_customers.
 */
void ledger_summarize(struct ledger *l, struct ledger_summary *out);
/*
 * Its first half: the subscriptions in report order, and subs, nsubs and
 * the license_counts fields of out. What ledger_sub_row reads is then
 * final, so replacements.csv can be written while the second half runs.
 */
void ledger_order(struct ledger *l, struct ledger_summary *out);
/* Its second half: customers and their counts (customers, ncustomers). */
void ledger_summarize_customers(struct ledger *l, struct ledger_summary *out);
void ledger_summary_free(struct ledger_summary *s);
/* Room for the text of a packed subscription id (a GUID) and its NUL. */
#define LEDGER_ID_BUF 37

/*
 * Row i of s->subs. Made on demand from the ledger's own record, so that
 * the summary holds an index per subscription rather than a copy; an id
 * the ledger keeps packed is spelled into idbuf, and row.id points to idbuf
 * exactly then: a GUID of 36 hex digits and dashes. With idbuf NULL,
 * row.id is NULL: for callers that only count. Equal texts of offers and
 * statuses are one copy: the same pointer.
 */
struct sub_row ledger_sub_row(const struct ledger_summary *s, size_t i,
    char idbuf[LEDGER_ID_BUF]);
/*
 * The license_counts rows of customer i of s->fam_customers, by family
 * name, into rows (room for rules_family_count); returns how many.
 */
size_t ledger_family_rows(const struct ledger_summary *s, size_t i, struct family_row *rows);

#endif

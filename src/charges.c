/* charges: folding a reconciliation file's charges into seats. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "charges.h"
#include "text.h"
#include "values.h"

/* One charge row of a subscription. */
struct charge_row {
	enum charge_effect effect;
	int32_t start;
	int64_t quantity;
	struct charge_row *next;
};

struct charge_sub {
	struct sub_in last;		/* the last row read: names, offer, dates */
	struct charge_row *rows;	/* newest first */
};

static const struct {
	const char *name;		/* lower case, single spaces */
	enum charge_effect effect;
} types[] = {
	/* License-based (legacy) charge types. */
	{ "activation fee", CHARGE_SEATS },
	{ "cycle fee", CHARGE_SEATS },
	{ "purchase fee", CHARGE_SEATS },
	{ "renew fee", CHARGE_SEATS },
	{ "prorate fees when activate", CHARGE_SEATS },
	{ "prorate fees when purchase", CHARGE_SEATS },
	{ "prorate fee when renew", CHARGE_SEATS },
	{ "prorate fees when convert to a new offering", CHARGE_SEATS },
	{ "cycle instance prorate", CHARGE_ADD },
	{ "prorate fees on add", CHARGE_ADD },
	{ "cancel fee", CHARGE_REMOVE },
	{ "cancel instance prorate", CHARGE_REMOVE },
	{ "prorate fees when cancel", CHARGE_END },
	{ "prorate fees when convert away from current offering", CHARGE_END },
	{ "activation discount", CHARGE_NONE },
	{ "cycle discount", CHARGE_NONE },
	{ "renew discount", CHARGE_NONE },
	{ "cancel discount", CHARGE_NONE },
	{ "offset a line item", CHARGE_NONE },
	{ "assess usage fee when cancel", CHARGE_NONE },
	{ "assess usage fee for current cycle", CHARGE_NONE },
	/* New-commerce one-time charge types. */
	{ "new", CHARGE_SEATS },
	{ "renew", CHARGE_SEATS },
	{ "convert", CHARGE_SEATS },
	{ "cyclecharge", CHARGE_SEATS },
	{ "addquantity", CHARGE_SEATS },
	{ "removequantity", CHARGE_SEATS },
	{ "cancel", CHARGE_END },
};

enum charge_effect
charges_effect(const char *s, size_t n)
{
	char norm[64];
	size_t k = 0;
	bool space = false;

	n = text_trim(&s, n);
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];

		if (ch == ' ' || ch == '\t') {
			space = true;
			continue;
		}
		if (k + 2 >= sizeof(norm))
			return CHARGE_UNKNOWN;
		if (space && k > 0)
			norm[k++] = ' ';
		space = false;
		norm[k++] = (ch >= 'A' && ch <= 'Z') ? (char)(ch + 32) : ch;
	}
	norm[k] = '\0';
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(norm, types[i].name) == 0)
			return types[i].effect;
	return CHARGE_UNKNOWN;
}

void
charges_init(struct charges *c)
{
	memset(c, 0, sizeof(*c));
	strmap_init(&c->ids);
}

static const char *
copy(struct arena *a, const char *s)
{
	return s == NULL ? NULL : arena_strndup(a, s, strlen(s));
}

void
charges_add(struct charges *c, const struct sub_in *s, enum charge_effect e, int32_t start)
{
	int created;
	struct strmap_entry *en = strmap_put(&c->ids, s->id, strlen(s->id), &created);
	struct charge_sub *cs = en->value;
	struct charge_row *row = arena_alloc(&c->mem, sizeof(*row));

	if (created) {
		cs = arena_calloc(&c->mem, sizeof(*cs));
		en->value = cs;
		mem_grow((void **)&c->order, &c->cap, c->n + 1, sizeof(*c->order));
		c->order[c->n++] = cs;
	}
	cs->last = *s;
	cs->last.id = en->key;
	cs->last.customer_key = copy(&c->mem, s->customer_key);
	cs->last.customer_name = copy(&c->mem, s->customer_name);
	cs->last.customer_domain = copy(&c->mem, s->customer_domain);
	cs->last.offer = copy(&c->mem, s->offer);
	cs->last.status = copy(&c->mem, s->status);
	cs->last.id_hash = 0;
	cs->last.customer_hash = 0;
	cs->last.id_packed = false;
	*row = (struct charge_row){ e, start, s->quantity, cs->rows };
	cs->rows = row;
}

/* Earlier in time; an unknown start counts as the earliest. */
static bool
before(int32_t a, int32_t b)
{
	if (a == DATE_NONE)
		return b != DATE_NONE;
	return b != DATE_NONE && a < b;
}

/*
 * The seats of one subscription: those of its latest full-period charge
 * (a later row wins a tie), plus the licenses added and less those removed
 * after that charge's start. A new-commerce refund row (a negative
 * addQuantity or removeQuantity) takes back the old quantity: the row
 * beside it states the new one.
 */
static void
fold_one(struct charge_sub *cs, struct sub_in *out)
{
	const struct charge_row *base = NULL;
	int64_t seats;
	int32_t ended = DATE_NONE;
	bool has_end = false;

	for (const struct charge_row *r = cs->rows; r != NULL; r = r->next)
		if (r->effect == CHARGE_SEATS && r->quantity >= 0 &&
		    (base == NULL || before(base->start, r->start)))
			base = r;
	seats = base != NULL ? base->quantity : 0;
	for (const struct charge_row *r = cs->rows; r != NULL; r = r->next) {
		int64_t q = r->quantity < 0 ? -r->quantity : r->quantity;
		bool after = base == NULL || before(base->start, r->start);
		bool from_base = base == NULL || !before(r->start, base->start);

		if (r->effect == CHARGE_ADD && after)
			seats = values_seats_add(seats, q);
		else if (r->effect == CHARGE_REMOVE && after)
			seats = values_seats_sub(seats, q);
		else if (r->effect == CHARGE_END && from_base && (!has_end || before(ended, r->start))) {
			has_end = true;
			ended = r->start;
		}
	}
	*out = cs->last;
	out->quantity = seats < 0 ? 0 : seats;
	if (has_end) {
		out->status = "suspended";
		out->status_date = ended;
	}
}

void
charges_fold(struct charges *c, void (*add)(void *arg, const struct sub_in *s), void *arg)
{
	for (size_t i = 0; i < c->n; i++) {
		struct sub_in s;

		fold_one(c->order[i], &s);
		add(arg, &s);
	}
}

void
charges_free(struct charges *c)
{
	strmap_free(&c->ids);
	free(c->order);
	arena_free(&c->mem);
	memset(c, 0, sizeof(*c));
}

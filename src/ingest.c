/*
 * ingest: from records to the ledger, for subscription and license exports.
 *
 * Records are read, checked and classified into events (a reject, a
 * matched subscription, a reconciliation file's matched charge, a
 * subscription id seen again without a match, or a license row joined to
 * its customer) which are applied to the ledger, the file's charges and
 * rejects.csv in reading order. A large plain export is mapped and
 * cut into chunks at line ends that several threads turn into events at
 * once; the calling thread applies each chunk's events in order. (A
 * license export's joins only read the ledger's domain indexes, built
 * before its first row: ledger_joins_prepare.) A chunk that turns out to
 * start inside a quoted field (its predecessor ended inside a record) is
 * parsed again from that record's start, so the result is always that of
 * one reader. The serial reader makes the same events, in batches.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "charges.h"
#include "chunks.h"
#include "crc.h"
#include "header.h"
#include "ingest.h"
#include "input.h"
#include "items.h"
#include "mem.h"
#include "records.h"
#include "strmap.h"
#include "text.h"
#include "values.h"

/* Longest piece of a bad value quoted in a reject reason. */
#define REASON_VALUE_MAX 120

/* Files smaller than this are read by one thread. */
#define BACKGROUND_MIN (1u << 20)	/* ...and this, without a reading thread */
#define PARALLEL_MIN (16u << 20)
#define CHUNK_SIZE (4u << 20)
#define CHUNKS_AHEAD 3
#define PREFETCH_FAR 16		/* see chunk_apply */
#define PREFETCH_NEAR 8
#define PREFETCH_DROPS 16
#define CRC_AHEAD (128u << 10)	/* checksummed ahead of the parser, at most */
#define RELEASE_MIN (8u << 20)	/* mapped bytes let go at once, at least */
#define CUT_SEARCH_MAX (16u << 20)	/* the longest line the mapped reader cuts after */
#define SERIAL_BATCH 16384	/* records the serial reader applies at once, at most */
#define SERIAL_BATCH_BYTES (4u << 20)	/* and their events' bytes, about */
#define LISTS_SLOTS 4096	/* license lists cached per reader (lists_cached) */
#define LISTS_TEXT 160		/* the longest list cached, in bytes */
#define LISTS_ITEMS 8		/* the most counted items of a list cached */

enum event_kind { EV_REJECT, EV_SUB, EV_LICENSE, EV_CHARGE };

/*
 * A chunk's rejects and matched subscriptions are stored one after
 * another in its event stream: the kind (one byte), its fixed part, then
 * its strings. Its drops (records that matched no rule, most of the
 * records) are kept apart, as the hashes of their ids and where those
 * ids are: the applying thread then reads 8 bytes for most of them, and
 * their ids only when the ledger may hold one. Each event counts the
 * drops made before it, which go first.
 */
struct ev_reject {
	uint64_t drops;
	uint64_t line;
	uint32_t reason_len, raw_len;	/* then reason \0 raw */
};

struct ev_sub {
	uint64_t drops;
	uint64_t id_hash;	/* ledger_id_hash of the id */
	uint64_t customer_hash;	/* ledger_customer_hash of the key */
	int64_t quantity;
	int32_t id_form;	/* ledger_id_pack of the id, into id_guid */
	unsigned char id_guid[16];
	int32_t rule, auto_renew, end_date, status_date;
	uint32_t len[6];	/* then id, key, name, domain, offer, status, each \0-ended */
};

/* A reconciliation file's matched row: its subscription as read, then its strings as EV_SUB's. */
struct ev_charge {
	struct ev_sub sub;
	int32_t effect;		/* enum charge_effect */
	int32_t start;		/* its ChargeStartDate, or DATE_NONE */
};

/*
 * A license row: then its nitems struct ledger_item, its key (empty when
 * joined) and its user, each \0-ended.
 */
struct ev_license {
	uint64_t drops;
	const struct customer *joined;	/* the customer a join found, or NULL */
	uint64_t key_hash;	/* without one: ledger_customer_hash of the key */
	struct fpset_print user;	/* fpset_key of the user */
	uint32_t key_len, nitems;
	uint32_t unmatched;	/* 1: the key is an "(unmatched) ..." one */
};

/* Where a drop's id is: in the mapping, or in the chunk's drop_text. */
struct drop_at {
	uint64_t at;		/* offset in the mapping or drop_text */
	uint32_t len;
	uint32_t in_text;
};

/* What a worker makes of a chunk, kept for reuse by later chunks. */
struct chunk_bufs {
	struct buf ev;		/* the events, as above */
	struct buf drop_hash;	/* uint64_t: ledger_id_hash of each drop's id */
	struct buf drop_at;	/* struct drop_at: each drop's id */
	struct buf drop_text;	/* the ids that are not in the mapping */
};

/* A piece of a mapped file and the events a worker made of it. */
struct chunk {
	size_t start, end;	/* offsets in the mapping */
	const char *map;	/* the mapping */
	struct chunk_bufs b;
	uint64_t records, lines, cp1252, repeated_headers;
	uint64_t auto_renew_unknown;
	char auto_renew_first[48];
	bool ended_inside;	/* the last record goes on past end */
	size_t open_at;		/* then: where it starts in the mapping */
	uint64_t open_line;	/* and its line, counted from the chunk's */
	uint32_t crc;
	int failed;		/* a classification error, in d */
	struct diag d;
	bool done;
};

struct reader {
	struct ingest *g;
	enum header_kind kind;	/* the file's: subscriptions or licenses */
	struct file_stats *st;
	struct input *in;
	struct records *rd;
	struct classifier *cls;
	struct chunk *sink;	/* NULL: events are applied at once */
	int col[(int)SF_COUNT + (int)LF_COUNT];
	size_t ncols;
	struct buf *header;	/* the header line as read; owned by ingest_file */
	struct charges *charges;	/* a reconciliation file's rows, or NULL */
	struct charges *charges_room;	/* where charges_start puts them */
	struct buf reason;
	struct buf a, b;	/* scratch */
	/*
	 * A license row's event: room for its struct ev_license, then its
	 * struct ledger_item, one per item (license_item adds them).
	 */
	struct buf items;
	struct buf z[SF_COUNT];	/* NUL-terminated copies of a record's fields */
	struct ledger_upn_memo upn;	/* the last UPN domain joined */
	struct cache *lists;	/* license lists split before: lists_cached */
};

/* A license row as read: its customer, joined or by key, and its user. */
struct license_row {
	struct reader *r;
	const struct customer *joined;	/* the customer a join found, or NULL */
	const char *key, *user;
	size_t ulen;
	struct diag *d;
	const char *tenant;	/* the first item's "tenant:" prefix, in the row */
	size_t tlen;		/* 0 when no item has one */
};

static void
reader_free_bufs(struct reader *r)
{
	buf_free(&r->reason);
	buf_free(&r->a);
	buf_free(&r->b);
	buf_free(&r->items);
	buf_free(&r->upn.domain);
	for (int i = 0; i < SF_COUNT; i++)
		buf_free(&r->z[i]);
	cache_free(r->lists);
	r->lists = NULL;
}

static void
chunk_bufs_free(struct chunk_bufs *b)
{
	buf_free(&b->ev);
	buf_free(&b->drop_hash);
	buf_free(&b->drop_at);
	buf_free(&b->drop_text);
}

/* The drops chunk c holds so far. */
static uint64_t
chunk_drops(const struct chunk *c)
{
	return c->b.drop_hash.len / sizeof(uint64_t);
}

/* Appends one event: its kind, fixed part and n strings, each NUL-ended. */
static void
event_put(struct chunk *c, enum event_kind kind, const void *fixed, size_t size,
    const char *const *str, const size_t *len, size_t n)
{
	buf_addc(&c->b.ev, (char)kind);
	buf_add(&c->b.ev, fixed, size);
	for (size_t i = 0; i < n; i++) {
		buf_add(&c->b.ev, str[i], len[i]);
		buf_addc(&c->b.ev, '\0');
	}
}

static void
emit_reject(struct reader *r, uint64_t line, const char *reason, const char *raw, size_t len)
{
	struct ev_reject e;
	const char *str[2] = { reason, raw };
	size_t n[2] = { strlen(reason), len };

	if (r->sink == NULL) {
		r->st->rejected++;
		r->g->reject(r->g->reject_arg, r->st->path, line, reason, raw, len);
		return;
	}
	if (len > UINT32_MAX || n[0] > UINT32_MAX)
		mem_fail();
	e = (struct ev_reject){ chunk_drops(r->sink), line, (uint32_t)n[0], (uint32_t)len };
	event_put(r->sink, EV_REJECT, &e, sizeof(e), str, n, 2);
}

static void
emit_drop(struct reader *r, const char *id, size_t n)
{
	struct chunk *c = r->sink;
	uint64_t h;
	struct drop_at w;
	uintptr_t v = (uintptr_t)id, from, to;

	if (c == NULL) {
		ledger_drop_sub(r->g->ledger, id, n);
		return;
	}
	if (n > UINT32_MAX)
		mem_fail();
	h = ledger_id_hash(id, n);
	buf_add(&c->b.drop_hash, &h, sizeof(h));
	/* Addresses as numbers: the id may lie in another object than the mapping. */
	from = (uintptr_t)(c->map + c->start);
	to = (uintptr_t)(c->map + c->end);
	if (v >= from && v <= to && n <= to - v) {
		w = (struct drop_at){ (uint64_t)(id - c->map), (uint32_t)n, 0 };
	} else {
		/* Unquoted, or converted: the id is not as it stands in the file. */
		w = (struct drop_at){ c->b.drop_text.len, (uint32_t)n, 1 };
		buf_add(&c->b.drop_text, id, n);
	}
	buf_add(&c->b.drop_at, &w, sizeof(w));
}

/*
 * A matched subscription's event, or with charge (a reconciliation file's
 * row, its effect and start date in it) a charge's, its strings as read.
 */
static void
emit_sub_event(struct reader *r, const struct sub_in *s, const struct ev_charge *charge)
{
	struct ev_sub e;
	const char *v[6] = { s->id, s->customer_key, s->customer_name, s->customer_domain,
		s->offer, s->status };
	size_t n[6];

	e = (struct ev_sub){ .drops = chunk_drops(r->sink), .quantity = s->quantity, .rule = s->rule,
		.auto_renew = s->auto_renew, .end_date = s->end_date,
		.status_date = s->status_date };
	for (int i = 0; i < 6; i++) {
		n[i] = strlen(v[i]);
		if (n[i] > UINT32_MAX)
			mem_fail();
		e.len[i] = (uint32_t)n[i];
	}
	if (charge != NULL) {
		struct ev_charge ec = *charge;

		ec.sub = e;
		event_put(r->sink, EV_CHARGE, &ec, sizeof(ec), v, n, 6);
		return;
	}
	e.id_hash = ledger_id_hash(s->id, n[0]);
	e.customer_hash = ledger_customer_hash(s->customer_key, n[1]);
	e.id_form = ledger_id_pack(s->id, n[0], e.id_guid);
	event_put(r->sink, EV_SUB, &e, sizeof(e), v, n, 6);
}

static void
emit_sub(struct reader *r, const struct sub_in *s)
{
	if (r->sink == NULL)
		ledger_add_sub(r->g->ledger, s);
	else
		emit_sub_event(r, s, NULL);
}

/*
 * A license row, its items in r->items: applied, or an event when a sink
 * takes the events (the key's hash is then made here, off the applying
 * thread).
 */
static void
emit_license(struct reader *r, const struct license_row *lr, bool unmatched)
{
	const char *item = r->items.data + sizeof(struct ev_license);
	size_t nitems = (r->items.len - sizeof(struct ev_license)) / sizeof(struct ledger_item);
	const char *key = lr->joined != NULL ? "" : lr->key;
	size_t klen = strlen(key);
	/* A row of no counted item ("Unlicensed") counts no user: no print. */
	struct fpset_print user = nitems > 0 ? fpset_key(lr->user, lr->ulen) :
	    (struct fpset_print){ 0, 0 };
	struct ev_license e;

	if (r->sink == NULL) {
		/* With a sink, the applying thread counts it (the event says so). */
		r->st->unmatched += unmatched;
		ledger_add_license_row(r->g->ledger, lr->key, 0, lr->joined, user, item, nitems);
		return;
	}
	if (klen > UINT32_MAX || nitems > UINT32_MAX)
		mem_fail();
	e = (struct ev_license){ .drops = chunk_drops(r->sink), .joined = lr->joined,
		.key_hash = lr->joined != NULL ? 0 : ledger_customer_hash(key, klen),
		.user = user, .key_len = (uint32_t)klen, .nitems = (uint32_t)nitems,
		.unmatched = unmatched };
	memcpy(r->items.data, &e, sizeof(e));
	event_put(r->sink, EV_LICENSE, r->items.data, r->items.len, &key, &klen, 1);
}

/*
 * Applies the drops of chunk c from *next up to number upto. Most ids
 * were never kept: the filter says so from the hash alone, and the id
 * itself is read only when the ledger may hold it.
 */
static void
drops_apply(struct ledger *l, const struct chunk *c, uint64_t *next, uint64_t upto)
{
	const uint64_t *hash = (const uint64_t *)(const void *)c->b.drop_hash.data;
	uint64_t n = chunk_drops(c);

	for (uint64_t i = *next; i < upto; i++) {
		struct drop_at w;

		if (i + PREFETCH_DROPS < n)
			ledger_prefetch(l, hash[i + PREFETCH_DROPS], 0, 0);
		if (!ledger_may_hold(l, hash[i]))
			continue;
		memcpy(&w, c->b.drop_at.data + i * sizeof(w), sizeof(w));
		ledger_drop_sub_hashed(l, (w.in_text ? c->b.drop_text.data : c->map) + w.at,
		    w.len, hash[i]);
	}
	*next = upto;
}

/* The bytes of an EV_SUB or EV_CHARGE event's strings. */
static size_t
event_sub_strings(const struct ev_sub *sb)
{
	size_t n = 0;

	for (int i = 0; i < 6; i++)
		n += sb->len[i] + 1;
	return n;
}

/*
 * The subscription of an EV_SUB or EV_CHARGE event, its fixed part sb and
 * its strings from t, as read (no hashes); returns the end of the strings.
 */
static const char *
event_sub(const struct ev_sub *sb, const char *t, struct sub_in *s)
{
	const char *v[6];

	for (int i = 0; i < 6; i++) {
		v[i] = t;
		t += sb->len[i] + 1;
	}
	*s = (struct sub_in){ .id = v[0], .customer_key = v[1], .customer_name = v[2],
		.customer_domain = v[3], .offer = v[4], .status = v[5], .rule = sb->rule,
		.auto_renew = sb->auto_renew, .quantity = sb->quantity,
		.end_date = sb->end_date, .status_date = sb->status_date };
	return t;
}

/*
 * Applies the event at *at of chunk c, after the drops made before it
 * (*drops: the next one not applied), and moves *at past it; lines in
 * chunks count from line_base.
 */
static void
event_apply(struct reader *r, const struct chunk *c, size_t *at, uint64_t *drops,
    uint64_t line_base)
{
	struct ingest *g = r->g;
	struct file_stats *st = r->st;
	const char *t = c->b.ev.data + *at + 1;
	struct ev_reject rj;
	struct ev_sub sb;
	struct ev_charge ch;
	struct ev_license lc;
	struct sub_in s;
	const char *key;

	switch ((enum event_kind)c->b.ev.data[*at]) {
	case EV_REJECT:
		memcpy(&rj, t, sizeof(rj));
		t += sizeof(rj);
		drops_apply(g->ledger, c, drops, rj.drops);
		st->rejected++;
		g->reject(g->reject_arg, st->path, line_base + rj.line - 1, t,
		    t + rj.reason_len + 1, rj.raw_len);
		t += rj.reason_len + 1 + rj.raw_len + 1;
		break;
	case EV_SUB:
		memcpy(&sb, t, sizeof(sb));
		drops_apply(g->ledger, c, drops, sb.drops);
		t = event_sub(&sb, t + sizeof(sb), &s);
		s.id_hash = sb.id_hash;
		s.customer_hash = sb.customer_hash;
		s.id_packed = true;
		s.id_form = sb.id_form;
		memcpy(s.id_guid, sb.id_guid, 16);
		ledger_add_sub(g->ledger, &s);
		break;
	case EV_CHARGE:
		memcpy(&ch, t, sizeof(ch));
		drops_apply(g->ledger, c, drops, ch.sub.drops);
		/* As the serial reader hands it to charges_add: no hashes. */
		t = event_sub(&ch.sub, t + sizeof(ch), &s);
		charges_add(r->charges, &s, (enum charge_effect)ch.effect, ch.start);
		break;
	case EV_LICENSE:
		memcpy(&lc, t, sizeof(lc));
		t += sizeof(lc);
		drops_apply(g->ledger, c, drops, lc.drops);
		st->unmatched += lc.unmatched;
		key = t + lc.nitems * sizeof(struct ledger_item);
		ledger_add_license_row(g->ledger, key, lc.key_hash, lc.joined, lc.user, t,
		    lc.nitems);
		t = key + lc.key_len + 1;
		break;
	}
	*at = (size_t)(t - c->b.ev.data);
}

/*
 * Hints the ledger about the event at at of chunk c (step as for
 * ledger_prefetch) and returns where the next one starts.
 */
static size_t
event_prefetch(const struct ledger *l, const struct chunk *c, size_t at, int step)
{
	const char *t = c->b.ev.data + at + 1;
	struct ev_reject rj;
	struct ev_sub sb;
	size_t next;

	if ((enum event_kind)c->b.ev.data[at] == EV_REJECT) {
		memcpy(&rj, t, sizeof(rj));
		return at + 1 + sizeof(rj) + rj.reason_len + 1 + rj.raw_len + 1;
	}
	if ((enum event_kind)c->b.ev.data[at] == EV_CHARGE) {
		/* charges_add reads no ledger table: only the event's length. */
		memcpy(&sb, t, sizeof(sb));
		return at + 1 + sizeof(struct ev_charge) + event_sub_strings(&sb);
	}
	if ((enum event_kind)c->b.ev.data[at] == EV_LICENSE) {
		struct ev_license lc;

		memcpy(&lc, t, sizeof(lc));
		ledger_prefetch_customer(l, lc.key_hash, lc.joined, step);
		return at + 1 + sizeof(lc) + lc.nitems * sizeof(struct ledger_item) + lc.key_len + 1;
	}
	memcpy(&sb, t, sizeof(sb));
	ledger_prefetch(l, sb.id_hash, sb.customer_hash, step);
	next = at + 1 + sizeof(sb) + event_sub_strings(&sb);
	/* The event's own strings were written on another core: fetched too. */
	if (step == 0)
		for (size_t k = at + 64; k < next; k += 64)
			__builtin_prefetch(c->b.ev.data + k);
	return next;
}

/*
 * Applies chunk c's events and drops in order. The ledger's lookups land
 * anywhere in its tables: a cursor PREFETCH_FAR events ahead has the
 * processor fetch where each starts, and one PREFETCH_NEAR ahead what
 * those places point to, so that most are in the cache by the time the
 * event is applied; drops_apply does the same for the filter.
 */
static void
chunk_apply(struct reader *r, const struct chunk *c, uint64_t line_base)
{
	struct ingest *g = r->g;
	size_t at = 0, a0 = 0, a1 = 0, n = c->b.ev.len;
	uint64_t drops = 0;

	for (int i = 0; i < PREFETCH_FAR && a0 < n; i++)
		a0 = event_prefetch(g->ledger, c, a0, 0);
	for (int i = 0; i < PREFETCH_NEAR && a1 < n; i++)
		a1 = event_prefetch(g->ledger, c, a1, 1);
	while (at < n) {
		if (a0 < n)
			a0 = event_prefetch(g->ledger, c, a0, 0);
		if (a1 < n)
			a1 = event_prefetch(g->ledger, c, a1, 1);
		event_apply(r, c, &at, &drops, line_base);
	}
	drops_apply(g->ledger, c, &drops, chunk_drops(c));
}

/* The file's counts gain what the records of chunk c counted as they were taken. */
static void
taken_count(struct file_stats *st, const struct chunk *c)
{
	st->repeated_headers += c->repeated_headers;
	if (c->auto_renew_unknown > 0 && st->auto_renew_unknown == 0)
		memcpy(st->auto_renew_first, c->auto_renew_first, sizeof(c->auto_renew_first));
	st->auto_renew_unknown += c->auto_renew_unknown;
}

/* The file's counts gain what a chunk's worker counted. */
static void
chunk_count(struct file_stats *st, const struct chunk *c)
{
	st->records += c->records;
	st->cp1252 += c->cp1252;
	taken_count(st, c);
}

static void
reject(struct reader *r, const struct record *rec, const char *reason)
{
	char cut[96];

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
	emit_reject(r, rec->line, reason, rec->raw, rec->raw_len);
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

/* Field f of rec (not NUL-terminated), or "" when the file has no such column. */
static const char *
field(const struct reader *r, const struct record *rec, int f, size_t *len)
{
	int c = r->col[f];
	const char *v;

	if (c < 0 || (size_t)c >= rec->kept) {
		*len = 0;
		return "";
	}
	v = records_field(rec, (size_t)c, len);
	/* The reader trims spaces and tabs; here also Unicode ones (U+00A0, ...). */
	if (*len > 0 && (((unsigned char)v[0] | (unsigned char)v[*len - 1]) & 0x80))
		*len = text_trim_space(&v, *len);
	return v;
}

/* Field f as a NUL-terminated string, valid until the next record. */
static const char *
field_str(struct reader *r, const struct record *rec, int f)
{
	size_t n;
	const char *v = field(r, rec, f, &n);

	r->z[f].len = 0;
	buf_add(&r->z[f], v, n);
	return r->z[f].data;
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
	int32_t other;

	*out = DATE_NONE;
	switch (values_date(v, n, r->g->opts->day_first, out)) {
	case VALUE_OK:
		return NULL;
	case VALUE_EMPTY:
		*out = DATE_NONE;
		return NULL;
	default:
		snprintf(what, sizeof(what), "date not understood: %s ", name);
		reason_value(r, what, v, n);
		/* A date that reads the other way round names the option that reads it. */
		if (values_date(v, n, !r->g->opts->day_first, &other) == VALUE_OK)
			buf_adds(&r->reason, r->g->opts->day_first ?
			    " (month/day? run without --day-first)" :
			    " (day/month? run with --day-first)");
		return r->reason.data;
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

/* Copies the first value not understood into first[48], whole characters. */
static void
first_value(char *first, uint64_t *count, const char *v, size_t n)
{
	if ((*count)++ > 0)
		return;
	n = text_utf8_cut(v, n < 47 ? n : 47);
	memcpy(first, v, n);
	first[n] = '\0';
}

/*
 * An auto_renew value not understood is unknown, as an empty one, but it
 * is counted and the first one named in the summary: it may be a word of
 * a language skuscan does not know yet.
 */
static void
auto_renew_unknown(struct reader *r, const char *v, size_t n)
{
	if (r->sink != NULL)
		first_value(r->sink->auto_renew_first, &r->sink->auto_renew_unknown, v, n);
	else
		first_value(r->st->auto_renew_first, &r->st->auto_renew_unknown, v, n);
}

/*
 * Exports joined with cat (plain or gzip) repeat the header inside the
 * stream, each copy with the byte order mark its file began with. Such a
 * record is counted and skipped: it is neither data nor a reject.
 */
static bool
repeated_header(struct reader *r, const struct record *rec)
{
	const char *raw = rec->raw;
	size_t n = rec->raw_len;

	if (rec->raw_truncated || r->header == NULL || r->header->len == 0)
		return false;
	if (n >= 3 && memcmp(raw, "\xef\xbb\xbf", 3) == 0) {
		raw += 3;
		n -= 3;
	}
	if (n != r->header->len || memcmp(raw, r->header->data, n) != 0)
		return false;
	if (r->sink != NULL)
		r->sink->repeated_headers++;
	else
		r->st->repeated_headers++;
	return true;
}

/*
 * A quantity; in a reconciliation file also a negative one, which the
 * rows that take licenses back carry.
 */
static enum value_result
quantity_field(const struct reader *r, const char *v, size_t n, int64_t *out)
{
	enum value_result k;

	n = text_trim(&v, n);
	if (r->charges == NULL || n < 2 || v[0] != '-')
		return values_quantity(v, n, out);
	k = values_quantity(v + 1, n - 1, out);
	if (k == VALUE_OK)
		*out = -*out;
	return k == VALUE_EMPTY ? VALUE_BAD : k;
}

/* A matched row of a reconciliation file: kept to be folded at its end. */
static int
charge_record(struct reader *r, const struct record *rec, const struct sub_in *s)
{
	size_t n;
	const char *v = field(r, rec, SF_CHARGE_TYPE, &n);
	enum charge_effect e = charges_effect(v, n);
	const char *reason;
	int32_t start;

	if (e == CHARGE_UNKNOWN) {
		reject(r, rec, reason_value(r, "charge type not understood: ", v, n));
		return 0;
	}
	if ((reason = date_field(r, rec, SF_CHARGE_START, "charge_start", &start)) != NULL) {
		reject(r, rec, reason);
		return 0;
	}
	if (r->sink != NULL)
		emit_sub_event(r, s, &(struct ev_charge){ .effect = (int32_t)e, .start = start });
	else
		charges_add(r->charges, s, e, start);
	return 0;
}

static int
subscription_record(struct reader *r, const struct record *rec, struct diag *d)
{
	struct sub_in s = { 0 };
	const char *reason, *offer, *offer_id, *v;
	size_t nofr, nid, n;
	int rule, keyf;

	if (repeated_header(r, rec))
		return 0;
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
	if (rules_classify_with(r->cls, offer, nofr, offer_id, nid, &rule, d) != 0)
		return classify_error(r, rec, d);
	if (rule < 0) {
		/* It may still replace an earlier record of its subscription. */
		v = field(r, rec, SF_SUBSCRIPTION_ID, &n);
		if (n > 0)
			emit_drop(r, v, n);
		return 0;
	}
	keyf = r->col[SF_CUSTOMER_ID] >= 0 ? SF_CUSTOMER_ID : SF_CUSTOMER_DOMAIN;
	s.customer_key = field_str(r, rec, keyf);
	if (s.customer_key[0] == '\0') {
		reject(r, rec, required_empty(r, keyf == SF_CUSTOMER_ID ? "customer_id" :
		    "customer_domain"));
		return 0;
	}
	s.id = field_str(r, rec, SF_SUBSCRIPTION_ID);
	if (s.id[0] == '\0') {
		reject(r, rec, required_empty(r, "subscription_id"));
		return 0;
	}
	v = field(r, rec, SF_QUANTITY, &n);
	switch (quantity_field(r, v, n, &s.quantity)) {
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
	if (s.auto_renew < 0 && n > 0)
		auto_renew_unknown(r, v, n);
	v = field(r, rec, SF_STATUS, &n);
	if (!values_status_known(v, n)) {
		/* An unknown status must not make the seats vanish as "inactive". */
		reject(r, rec, reason_value(r, "status not understood (active, pending, "
		    "suspended, expired, disabled, deleted or none): ", v, n));
		return 0;
	}
	s.status = field_str(r, rec, SF_STATUS);
	s.customer_name = field_str(r, rec, SF_CUSTOMER_NAME);
	s.customer_domain = field_str(r, rec, SF_CUSTOMER_DOMAIN);
	s.offer = field_str(r, rec, SF_OFFER_NAME);
	s.rule = rule;
	if (r->charges != NULL)
		return charge_record(r, rec, &s);
	emit_sub(r, &s);
	return 0;
}

/*
 * items_split callback: counts the item's user, and remembers the first
 * tenant prefix, which may name the row's customer. An item is a product
 * a rule lists (its pool of seats), else whatever rule's pattern it
 * matches.
 */
static int
license_item(const char *item, size_t n, const char *tenant, size_t tlen, void *arg)
{
	struct license_row *lr = arg;
	int rule = -1, pool;

	if (lr->tlen == 0 && tlen > 0) {
		lr->tenant = tenant;
		lr->tlen = tlen;
	}
	pool = rules_item_pool(lr->r->g->rules, item, n);
	if (pool < 0 && rules_classify_with(lr->r->cls, item, n, NULL, 0, &rule, lr->d) != 0)
		return -1;
	if (pool >= 0 || rule >= 0) {
		struct ledger_item it = { pool, rule };

		buf_add(&lr->r->items, &it, sizeof(it));
	}
	return 0;
}

/*
 * A license list's items and first tenant prefix depend on its text
 * alone: a list split before is taken from the cache, with the tenant
 * found again at the same offset in this row's copy of the text.
 */
static bool
lists_cached(struct reader *r, const char *lic, size_t n, struct license_row *lr)
{
	const unsigned char *v;
	uint32_t at[2];
	size_t vlen;

	if (r->lists == NULL || n == 0 ||
	    (v = cache_get(r->lists, lic, n, &vlen)) == NULL)
		return false;
	memcpy(at, v, sizeof(at));
	lr->tenant = at[1] > 0 ? lic + at[0] : NULL;
	lr->tlen = at[1];
	buf_add(&r->items, v + sizeof(at), vlen - sizeof(at));
	return true;
}

/* Keeps what items_split made of a license list (lists_cached). */
static void
lists_keep(struct reader *r, const char *lic, size_t n, const struct license_row *lr)
{
	size_t items = r->items.len - sizeof(struct ev_license);
	uint32_t at[2];
	unsigned char v[sizeof(at) + LISTS_ITEMS * sizeof(struct ledger_item)];

	if (n == 0 || n > LISTS_TEXT || items > LISTS_ITEMS * sizeof(struct ledger_item))
		return;
	at[0] = lr->tlen > 0 ? (uint32_t)(lr->tenant - lic) : 0;
	at[1] = (uint32_t)lr->tlen;
	if (r->lists == NULL)
		r->lists = cache_new(LISTS_SLOTS, LISTS_TEXT, sizeof(v));
	memcpy(v, at, sizeof(at));
	memcpy(v + sizeof(at), r->items.data + sizeof(struct ev_license), items);
	cache_put(r->lists, lic, n, v, sizeof(at) + items);
}

/*
 * The customer a license row belongs to (SPEC's join), once its items are
 * split: lr->joined, when a join found it; else its key, returned (NULL
 * when the row joined none).
 */
static const char *
license_customer(struct reader *r, const struct record *rec, struct license_row *lr)
{
	const struct ledger *l = r->g->ledger;
	const char *v;
	size_t n;

	v = field(r, rec, LF_CUSTOMER_ID, &n);
	if (n > 0)
		return field_str(r, rec, LF_CUSTOMER_ID);
	v = field(r, rec, LF_CUSTOMER_DOMAIN, &n);
	if (n > 0) {
		lr->joined = ledger_join_domain(l, &r->a, v, n);
		if (lr->joined != NULL)
			return NULL;
		text_lower(&r->a, v, n);
		return r->a.data;
	}
	if (lr->tlen > 0)
		lr->joined = ledger_join_tenant(l, &r->a, lr->tenant, lr->tlen);
	else
		lr->joined = ledger_join_upn_memo(l, &r->a, &r->upn, lr->user, lr->ulen);
	return NULL;
}

/*
 * The key a license row that joined no customer counts under:
 * "(unmatched)" and the tenant or domain it was looked up by, in lower
 * case, so that license_counts.csv shows which tenants an export holds
 * that no subscription export names.
 */
static const char *
unmatched_key(struct reader *r, const struct license_row *lr)
{
	const char *from = lr->tenant, *at;
	size_t n = lr->tlen;

	if (n == 0 && (at = text_last(lr->user, lr->ulen, '@')) != NULL) {
		from = at + 1;
		n = (size_t)(lr->user + lr->ulen - from);
	}
	text_lower(&r->a, n > 0 ? from : "", n);
	r->b.len = 0;
	buf_adds(&r->b, "(unmatched)");
	if (r->a.len > 0) {
		buf_addc(&r->b, ' ');
		buf_add(&r->b, r->a.data, r->a.len);
	}
	buf_terminate(&r->b);
	return r->b.data;
}

static int
license_record(struct reader *r, const struct record *rec, struct diag *d)
{
	struct license_row lr = { .r = r, .d = d };
	const char *reason, *lic;
	size_t nlic;
	bool key_unmatched;

	if (repeated_header(r, rec))
		return 0;
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
	/* The event's fixed part first, filled in by emit_license. */
	r->items.len = 0;
	buf_add(&r->items, &(struct ev_license){ 0 }, sizeof(struct ev_license));
	if (!lists_cached(r, lic, nlic, &lr)) {
		if (items_split(lic, nlic, license_item, &lr) != 0)
			return classify_error(r, rec, d);
		lists_keep(r, lic, nlic, &lr);
	}
	lr.key = license_customer(r, rec, &lr);
	key_unmatched = lr.key == NULL && lr.joined == NULL;
	if (key_unmatched)
		lr.key = unmatched_key(r, &lr);
	emit_license(r, &lr, key_unmatched);
	return 0;
}

/*
 * The header warnings of rec into dst (cap bytes, NUL-terminated): twice,
 * as summary.html shows the names (as read) and as stderr does (escaped).
 */
static void
keep_hints(struct reader *r, enum header_kind kind, const struct record *rec, bool escaped,
    char *dst, size_t cap)
{
	struct buf w = { 0 };

	if (header_hints(kind, rec->field, rec->len, rec->kept, r->col, escaped, cap - 1,
	    &w) > 0)
		memcpy(dst, w.data, w.len);
	dst[w.len] = '\0';
	buf_free(&w);
}

/* Maps the header record rec. */
static int
header_take(struct reader *r, enum header_kind kind, const struct record *rec,
    struct diag *d)
{
	if (rec->problem != RECORD_OK) {
		diag_set(d, r->st->path, rec->line, "the header line has %s",
		    rec->problem == RECORD_TOO_LONG ? "a field that is too long" :
		    rec->problem == RECORD_NUL ? "a NUL byte (binary data)" :
		    "malformed quotes");
		return -1;
	}
	r->ncols = rec->nfields;
	if (r->header != NULL && !rec->raw_truncated) {
		r->header->len = 0;
		buf_add(r->header, rec->raw, rec->raw_len);
	}
	header_map(kind, rec->field, rec->len, rec->kept, r->col);
	if (header_check(kind, r->st->path, rec->field, rec->len, rec->kept, r->col, d) != 0) {
		d->line = rec->line;
		return -1;
	}
	keep_hints(r, kind, rec, false, r->st->hints, sizeof(r->st->hints));
	keep_hints(r, kind, rec, true, r->st->hints_shown, sizeof(r->st->hints_shown));
	records_keep_fields(r->rd, r->ncols);
	records_lazy(r->rd, true);
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
	return header_take(r, kind, rec, d);
}

/* One record after the header: a subscription or a license row, by the file's kind. */
static int
record_take(struct reader *r, const struct record *rec, struct diag *d)
{
	return r->kind == HEADER_SUBSCRIPTIONS ? subscription_record(r, rec, d) :
	    license_record(r, rec, d);
}

/*
 * Applies what the serial reader's batch holds, as a worker's chunk is
 * applied (with the ledger's lookups fetched ahead), and empties it.
 */
static void
batch_apply(struct reader *r, struct chunk *c)
{
	struct file_stats *st = r->st;

	/* Lines in its events are the file's own: the base is line 1. */
	chunk_apply(r, c, 1);
	/* records and cp1252 are read_serial's to count. */
	taken_count(st, c);
	c->b.ev.len = c->b.drop_hash.len = c->b.drop_at.len = c->b.drop_text.len = 0;
	c->repeated_headers = c->auto_renew_unknown = 0;
}

/* Whether the serial reader's batch is to be applied now. */
static bool
batch_full(const struct chunk *c, size_t held)
{
	return held == SERIAL_BATCH ||
	    c->b.ev.len + c->b.drop_text.len + c->b.drop_at.len >= SERIAL_BATCH_BYTES;
}

/*
 * Reads the records of r->rd after the header, one thread. Records go
 * into a batch of events, applied when it is full (batch_full): the
 * ledger's lookups then miss the cache in parallel rather than one after
 * another, which a gzipped export of many small customers, read this
 * way, waited on. (Applying each batch on a third thread while the next
 * is parsed, with igzip inflating on a second, was measured 8% slower on
 * two cores.) A reconciliation file's charges are folded as read.
 */
static int
read_serial(struct reader *r, struct diag *d)
{
	static const char nowhere[1];
	struct chunk batch = { .map = nowhere };
	bool batched = r->charges == NULL;
	struct record *rec;
	uint64_t tick = 0;
	size_t held = 0;
	int k;

	r->sink = batched ? &batch : NULL;
	while ((k = records_next(r->rd, &rec, d)) == 1) {
		r->st->records++;
		if (record_take(r, rec, d) != 0) {
			k = -1;
			break;
		}
		if (batched && batch_full(&batch, ++held)) {
			batch_apply(r, &batch);
			held = 0;
		}
		if (r->g->progress != NULL && (++tick & 0xfff) == 0)
			r->g->progress(r->g->progress_arg, r->st->path, input_bytes(r->in),
			    input_size(r->in));
	}
	if (k == 0 && batched)
		batch_apply(r, &batch);
	r->sink = NULL;
	chunk_bufs_free(&batch.b);
	return k < 0 ? -1 : 0;
}

/* What the threads of one mapped file share. */
struct pool {
	const struct records_opts *ro;
	const char *map;
	struct chunk *chunk;
	size_t nchunks, next, applied;
	/*
	 * Event buffers of applied chunks, for the next chunks to reuse:
	 * fresh memory for every chunk would be paged in and zeroed again.
	 */
	struct chunk_bufs spare[CHUNKS_AHEAD + 8];
	size_t nspare;
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

/* Turns the records of chunk c into events (worker threads). */
static void
chunk_parse(struct pool *p, struct reader *r, struct chunk *c)
{
	struct record *rec;
	size_t at;
	uint64_t line;
	int k;

	size_t n = c->end - c->start, crc_done = 0;

	c->crc = 0;
	r->sink = c;
	if (records_open_range(&r->rd, p->map + c->start, n, r->st->path, p->ro, 1, true,
	    &c->d) != 0) {
		c->failed = 1;
		return;
	}
	records_keep_fields(r->rd, r->ncols);
	records_lazy(r->rd, true);
	for (;;) {
		/*
		 * The checksum runs a little ahead of the parsing: it is the
		 * first to read the mapped bytes, and leaves them in the cache
		 * for the parser, which a whole chunk would not fit.
		 */
		if (crc_done < n && records_offset(r->rd) + CRC_AHEAD / 2 >= crc_done) {
			size_t piece = n - crc_done < CRC_AHEAD ? n - crc_done : CRC_AHEAD;

			c->crc = crc_update(c->crc, p->map + c->start + crc_done, piece);
			crc_done += piece;
		}
		if ((k = records_next(r->rd, &rec, &c->d)) != 1)
			break;
		c->records++;
		if (record_take(r, rec, &c->d) != 0) {
			c->failed = 1;
			break;
		}
	}
	if (crc_done < n)
		c->crc = crc_update(c->crc, p->map + c->start + crc_done, n - crc_done);
	if (k < 0)
		c->failed = 1;
	c->lines = records_lines(r->rd) - 1;
	c->cp1252 = records_cp1252_fields(r->rd);
	c->ended_inside = records_ended_inside(r->rd, &at, &line);
	c->open_at = c->start + at;
	c->open_line = line;
	records_free(r->rd);
	r->rd = NULL;
}

/* One worker thread's pool and reader (copied before the thread starts). */
struct worker_arg {
	struct pool *p;
	struct reader r;
};

static void *
worker(void *arg)
{
	struct worker_arg *wa = arg;
	struct pool *p = wa->p;
	struct reader r = wa->r;

	for (;;) {
		size_t k;

		pthread_mutex_lock(&p->mu);
		while (p->next < p->nchunks && p->next >= p->applied + CHUNKS_AHEAD)
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->next >= p->nchunks) {
			pthread_mutex_unlock(&p->mu);
			break;
		}
		k = p->next++;
		p->chunk[k].map = p->map;
		if (p->nspare > 0) {
			p->chunk[k].b = p->spare[--p->nspare];
			p->chunk[k].b.ev.len = 0;
			p->chunk[k].b.drop_hash.len = 0;
			p->chunk[k].b.drop_at.len = 0;
			p->chunk[k].b.drop_text.len = 0;
		}
		pthread_mutex_unlock(&p->mu);
		chunk_parse(p, &r, &p->chunk[k]);
		pthread_mutex_lock(&p->mu);
		p->chunk[k].done = true;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
	rules_classifier_free(r.cls);
	reader_free_bufs(&r);
	return NULL;
}

/*
 * Parses range g of the mapping on this thread, applying events as they
 * come, and tells the merge how it ended. Returns 0, -1 with d filled, or
 * 1 when the merge wants the rest of the file read as one range: *rest.
 */
static int
range_serial(struct reader *r, const char *map, const struct chunks_range *g,
    const struct records_opts *ro, struct chunks_merge *m, struct chunks_range *rest,
    struct diag *d)
{
	struct record *rec;
	size_t open_at = 0;
	uint64_t open_line = 0;
	bool open;
	int k, rc = -1;

	r->sink = NULL;
	if (records_open_range(&r->rd, map + g->from, g->to - g->from, r->st->path, ro, g->line,
	    g->partial, d) != 0)
		return -1;
	records_keep_fields(r->rd, r->ncols);
	records_lazy(r->rd, true);
	while ((k = records_next(r->rd, &rec, d)) == 1) {
		r->st->records++;
		if (record_take(r, rec, d) != 0)
			goto out;
	}
	if (k < 0)
		goto out;
	r->st->cp1252 += records_cp1252_fields(r->rd);
	open = records_ended_inside(r->rd, &open_at, &open_line);
	rc = chunks_merge_parsed(m, g, open, g->from + open_at, open_line, records_lines(r->rd),
	    rest) ? 1 : 0;
out:
	records_free(r->rd);
	r->rd = NULL;
	return rc;
}

/* chunks_read_fn for a file descriptor. */
static size_t
read_fd_at(void *arg, char *buf, size_t len, size_t at)
{
	ssize_t k = pread(*(const int *)arg, buf, len, (off_t)at);

	return k > 0 ? (size_t)k : 0;
}

/*
 * The chunks of the file's bytes [from, n), cut just after line ends
 * (chunks_plan); 0 when a line is too long to cut. The cuts are found
 * with pread rather than through the mapping: the kernel maps whole large
 * pages of the page cache around any byte touched, which would count
 * megabytes per cut as skuscan's memory. A line of over CUT_SEARCH_MAX
 * bytes would hold its chunk's events and mapped pages in memory: the
 * serial reader, whose memory stays flat, reads such a file.
 */
static size_t
chunks_make(int fd, size_t from, size_t n, size_t size, struct chunk **out)
{
	struct chunks_span *span;
	size_t count = chunks_plan(read_fd_at, &fd, from, n, size, CUT_SEARCH_MAX, &span);

	*out = count ? mem_calloc(count, sizeof(**out)) : NULL;
	for (size_t i = 0; i < count; i++) {
		(*out)[i].start = span[i].start;
		(*out)[i].end = span[i].end;
	}
	free(span);
	return count;
}

static void
chunk_release(const char *map, size_t *from, size_t to)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t a = (*from + page - 1) / page * page, b = to / page * page;

	/*
	 * Keeps the resident size flat: these pages are not read again. A
	 * few chunks at a time: each call stops the other cores to drop the
	 * pages from their address translation caches.
	 */
	if (b > a && b - a >= RELEASE_MIN) {
		madvise((void *)(map + a), b - a, MADV_DONTNEED);
		*from = b;
	}
}

static void *
thread_probe(void *arg)
{
	return arg;
}

/*
 * Whether a thread can start now: under a pid limit (a container's, or
 * RLIMIT_NPROC) the mapped reader, whose workers do the parsing, would
 * have none; the serial reader needs none.
 */
static bool
thread_available(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, thread_probe, NULL) != 0)
		return false;
	pthread_join(t, NULL);
	return true;
}

/* A file the threaded reader reads, and where its records start. */
struct mapped {
	const char *map;
	size_t n;
	size_t data;		/* where the records after the header start */
	uint64_t line;		/* the line they start on */
	uint32_t crc;		/* of the bytes merged so far */
	struct records_opts ro;	/* for the chunks: the header's delimiter */
};

/*
 * Maps the file when it is one for the threaded reader: a large plain
 * regular file in UTF-8, with a thread to be had. Returns 0, or 1 when it
 * is not one (the caller reads it serially).
 */
static int
mapped_open(struct reader *r, size_t chunk, struct mapped *m)
{
	struct stat sb;
	const char *map;

	if (fstat(input_fd(r->in), &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size == 0 ||
	    (uint64_t)sb.st_size < (chunk ? chunk : PARALLEL_MIN) || input_is_gzip(r->in))
		return 1;
	if (!thread_available())
		return 1;	/* a pid limit: one thread reads it all */
	map = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, input_fd(r->in), 0);
	if (map == MAP_FAILED)
		return 1;
	if ((unsigned char)map[0] == 0xfe || (unsigned char)map[0] == 0xff) {
		munmap((void *)map, (size_t)sb.st_size);
		return 1;	/* UTF-16: iconv's job */
	}
	m->map = map;
	m->n = (size_t)sb.st_size;
	madvise((void *)map, m->n, MADV_SEQUENTIAL);
	return 0;
}

/*
 * A reconciliation file (its header names ChargeType): its matched rows
 * are kept, in file order, to be folded per subscription at its end.
 * Taken again by the serial reader after a mapped one gave up: once.
 */
static void
charges_start(struct reader *r)
{
	if (r->charges != NULL)
		return;
	charges_init(r->charges_room);
	r->charges = r->charges_room;
	r->st->reconciliation = true;
}

/* Reads the header on this thread. Returns 0, or -1 with d filled. */
static int
mapped_header(struct reader *r, const struct records_opts *ro, struct mapped *m,
    struct diag *d)
{
	size_t bom = m->n >= 3 && memcmp(m->map, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	struct record *rec;
	int k, rc = -1;

	if (records_open_range(&r->rd, m->map + bom, m->n - bom, r->st->path, ro, 1, false,
	    d) != 0)
		return -1;
	k = records_next(r->rd, &rec, d);
	if (k == 0)
		diag_set(d, r->st->path, 0, "no header line: the file holds only blank lines");
	if (k <= 0 || header_take(r, r->kind, rec, d) != 0)
		goto out;
	if (r->kind == HEADER_SUBSCRIPTIONS && r->col[SF_CHARGE_TYPE] >= 0)
		charges_start(r);
	m->data = bom + records_offset(r->rd);
	m->line = records_lines(r->rd);
	m->ro = *ro;
	m->ro.delimiter = records_delimiter(r->rd);
	m->ro.type_line = false;
	m->crc = crc_update(0, m->map, m->data);
	rc = 0;
out:
	records_free(r->rd);
	r->rd = NULL;
	return rc;
}

/*
 * Starts up to `threads` workers (at most 8) on the pool. Returns how many
 * started; 0 with d filled when none could.
 */
static int
pool_start(struct pool *p, struct reader *r, int threads, pthread_t *tid,
    struct worker_arg *wa, struct diag *d)
{
	int started = 0, err = 0;

	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	for (; started < threads && started < 8; started++) {
		wa[started].p = p;
		wa[started].r = *r;
		memset(&wa[started].r.reason, 0, sizeof(wa[started].r.reason));
		memset(&wa[started].r.a, 0, sizeof(wa[started].r.a));
		memset(&wa[started].r.b, 0, sizeof(wa[started].r.b));
		memset(&wa[started].r.items, 0, sizeof(wa[started].r.items));
		memset(wa[started].r.z, 0, sizeof(wa[started].r.z));
		memset(&wa[started].r.upn, 0, sizeof(wa[started].r.upn));
		wa[started].r.lists = NULL;
		wa[started].r.rd = NULL;
		wa[started].r.cls = rules_classifier_new(r->g->rules);
		err = pthread_create(&tid[started], NULL, worker, &wa[started]);
		if (err != 0) {
			rules_classifier_free(wa[started].r.cls);
			break;
		}
	}
	if (started == 0)
		diag_set(d, r->st->path, 0, "cannot start a thread: %s", strerror(err));
	return started;
}

/* Tells the workers to stop, joins them and frees what the pool held. */
static void
pool_stop(struct pool *p, const pthread_t *tid, int started)
{
	pthread_mutex_lock(&p->mu);
	p->next = p->nchunks;	/* no new chunk for the workers */
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	for (int t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
	for (size_t i = 0; i < p->nchunks; i++)
		chunk_bufs_free(&p->chunk[i].b);
	for (size_t i = 0; i < p->nspare; i++)
		chunk_bufs_free(&p->spare[i]);
	free(p->chunk);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
}

static void
chunk_wait(struct pool *p, const struct chunk *c)
{
	pthread_mutex_lock(&p->mu);
	while (!c->done)
		pthread_cond_wait(&p->cv, &p->mu);
	pthread_mutex_unlock(&p->mu);
}

/* A merged chunk's buffers go to the spares, and a worker may start another. */
static void
chunk_recycle(struct pool *p, struct chunk *c)
{
	pthread_mutex_lock(&p->mu);
	if (p->nspare < sizeof(p->spare) / sizeof(p->spare[0]))
		p->spare[p->nspare++] = c->b;
	else
		chunk_bufs_free(&c->b);
	memset(&c->b, 0, sizeof(c->b));
	p->applied++;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

/*
 * Merges chunk c: applies its events, or parses it again from a record
 * left open before it (chunks_merge). Returns 0, -1 with d filled, or 1
 * when the rest of the file was read on this thread and no chunk is left.
 */
static int
chunk_merge(struct reader *r, struct mapped *m, struct chunks_merge *mg,
    const struct chunk *c, struct diag *d)
{
	struct chunks_parsed cp = { c->end, c->lines, c->ended_inside, c->open_at,
		c->open_line };
	struct chunks_range g, rest;
	int k;

	m->crc = crc_combine(m->crc, c->crc, c->end - c->start);
	if (chunks_merge_next(mg, &cp, &g)) {
		k = range_serial(r, m->map, &g, &m->ro, mg, &rest, d);
		if (k <= 0)
			return k;
		m->crc = crc_combine(m->crc, crc_update(0, m->map + c->end, m->n - c->end),
		    m->n - c->end);
		return range_serial(r, m->map, &rest, &m->ro, mg, &rest, d) < 0 ? -1 : 1;
	}
	if (c->failed) {
		*d = c->d;
		d->line += mg->line - 1;
		return -1;
	}
	chunk_apply(r, c, mg->line);
	chunk_count(r->st, c);
	chunks_merge_applied(mg, &cp);
	return 0;
}

/*
 * The merging thread: takes each chunk as its worker finishes it, in file
 * order, merges it and lets its pages go. Returns 0 or -1 with d filled.
 */
static int
pool_merge(struct pool *p, struct reader *r, struct mapped *m, struct diag *d)
{
	struct chunks_merge mg;
	struct chunks_range g, rest;
	size_t released = 0;

	chunks_merge_init(&mg, m->n, m->line);
	for (size_t i = 0; i < p->nchunks; i++) {
		struct chunk *c = &p->chunk[i];
		int k;

		chunk_wait(p, c);
		k = chunk_merge(r, m, &mg, c, d);
		if (k < 0)
			return -1;
		if (k > 0)
			break;
		chunk_release(m->map, &released, c->end);
		chunk_recycle(p, c);
		if (r->g->progress != NULL)
			r->g->progress(r->g->progress_arg, r->st->path, c->end, m->n);
	}
	/* A quote still open at the end: that record, as one reader sees it. */
	if (chunks_merge_end(&mg, &g) && range_serial(r, m->map, &g, &m->ro, &mg, &rest, d) < 0)
		return -1;
	return 0;
}

/*
 * Reads a large plain export with several threads (see the top
 * of this file). Returns 0, -1 with d filled, or 1 when the file is not
 * one to read this way (the caller reads it serially).
 */
static int
read_mapped(struct reader *r, const struct records_opts *ro, int threads, size_t chunk,
    struct diag *d)
{
	struct mapped m = { 0 };
	struct pool p = { 0 };
	pthread_t tid[8];
	struct worker_arg wa[8];
	int rc, started;

	if (mapped_open(r, chunk, &m) != 0)
		return 1;
	rc = mapped_header(r, ro, &m, d);
	if (rc != 0)
		goto out;
	p.ro = &m.ro;
	p.map = m.map;
	p.nchunks = chunks_make(input_fd(r->in), m.data, m.n, chunk ? chunk : CHUNK_SIZE,
	    &p.chunk);
	if (p.nchunks == 0 && m.data < m.n) {
		rc = 1;	/* a line too long to cut: the serial reader's */
		goto out;
	}
	/* What reading the header mapped: unmapped (it stays in the page cache). */
	madvise((void *)m.map, m.n, MADV_DONTNEED);
	started = pool_start(&p, r, threads, tid, wa, d);
	rc = started > 0 ? pool_merge(&p, r, &m, d) : -1;
	pool_stop(&p, tid, started);
	r->st->bytes = m.n;
	r->st->crc = m.crc;
	if (rc == 0 && input_changed(r->in, m.n, d))
		rc = -1;
out:
	munmap((void *)m.map, m.n);
	return rc;
}

/* charges_fold callback: a folded subscription goes to the ledger. */
static void
fold_add(void *arg, const struct sub_in *s)
{
	ledger_add_sub(arg, s);
}

int
ingest_file(struct ingest *g, struct file_stats *st, struct diag *d)
{
	struct records_opts ro = { .delimiter = g->opts->delimiter,
	    .max_field_bytes = g->opts->max_field_bytes, .type_line = true,
	    .libcsv_only = g->opts->libcsv_only, .vector_bytes = g->opts->vector_bytes };
	struct reader r = { 0 };
	struct buf header = { 0 };
	struct charges charges;
	enum header_kind kind = st->kind == FILE_SUBSCRIPTIONS ? HEADER_SUBSCRIPTIONS :
	    HEADER_LICENSES;
	int rc = -1, m = 1;

	r.g = g;
	r.kind = kind;
	r.st = st;
	r.header = &header;
	r.charges_room = &charges;
	r.cls = rules_classifier_new(g->rules);
	if (kind == HEADER_LICENSES)
		ledger_joins_prepare(g->ledger);
	if (input_open(&r.in, st->path, g->opts->encoding, d) != 0)
		goto out;
	input_inflate_with(r.in, g->opts->inflate);
	st->format = input_describe(r.in);
	if (g->opts->threads > 1 && g->opts->encoding == NULL)
		m = read_mapped(&r, &ro, g->opts->threads, g->opts->chunk_bytes, d);
	if (m < 0)
		goto out;
	if (m > 0) {
		/* A small file is read before a thread would have started. */
		if (g->opts->threads > 1 &&
		    (input_size(r.in) == 0 || input_size(r.in) >= BACKGROUND_MIN))
			input_background(r.in);
		if (records_open(&r.rd, r.in, st->path, &ro, d) != 0 ||
		    read_header(&r, kind, d) != 0)
			goto out;
		if (kind == HEADER_SUBSCRIPTIONS && r.col[SF_CHARGE_TYPE] >= 0)
			charges_start(&r);
		if (read_serial(&r, d) != 0)
			goto out;
		st->bytes = input_bytes(r.in);
		st->crc = input_crc(r.in);
		st->cp1252 = records_cp1252_fields(r.rd);
		st->format = input_describe(r.in);
	}
	if (r.charges != NULL)
		charges_fold(r.charges, fold_add, g->ledger);
	rc = 0;
out:
	records_free(r.rd);
	input_close(r.in);
	rules_classifier_free(r.cls);
	reader_free_bufs(&r);
	buf_free(&header);
	if (r.charges != NULL)
		charges_free(r.charges);
	return rc;
}

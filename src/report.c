/* report: CSV writing with the formula guard, and atomic publishing. */
#define _GNU_SOURCE	/* O_DIRECT */
#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "html.h"
#include "mem.h"
#include "notice.h"
#include "outdir.h"
#include "report.h"
#include "sort.h"
#include "text.h"
#include "values.h"

enum {
	R_AFFECTED, R_REPLACEMENTS, R_LICENSES, R_AUDIT, R_REJECTS, R_MANIFEST, R_HTML,
	R_COUNT
};

static const char *const report_name[R_COUNT] = {
	"affected_customers.csv", "replacements.csv", "license_counts.csv",
	"migration_audit.csv", "rejects.csv", "manifest.csv", "summary.html",
};

static const char *const report_header[R_COUNT] = {
	"customer_key,customer_name,retired_subscriptions,active_retired_subscriptions,"
	"retired_seats,users_on_retired,earliest_end_date,days_left,urgency",
	"customer_key,customer_name,subscription_id,offer_name,rule_id,family,audience,"
	"status,auto_renew,quantity,end_date,days_left,urgency,suggested,alternatives",
	"customer_key,family,kind,purchased_seats,assigned_users,unassigned_seats",
	"customer_key,customer_name,replacement_purchased,licenses_reassigned,old_suspended,"
	"status,next_action,deprovision_date",
	"file,line,reason,record",
	"kind,file,bytes,crc32,records,rejected,as_of,horizon,version",
	NULL,	/* summary.html: not a CSV */
};

/*
 * One report file. CSV rows go through the writer's own buffer straight
 * to write(2): stdio's per-call locking and copying cost more than the
 * formatting on replacements.csv's hundreds of megabytes. summary.html
 * is written with stdio (fp), being small and printf-shaped.
 */
struct csvw {
	int fd;			/* -1: not open */
	FILE *fp;		/* summary.html only */
	char *out;		/* buffered bytes, out[0..len) */
	size_t len;
	int err;		/* errno of the first failed write, else 0 */
	bool direct_tried, direct;	/* O_DIRECT asked for; in force */
	char *spare;		/* direct mode: the buffer being written meanwhile */
	struct csvw_io {
		pthread_t tid;
		bool busy;	/* a write of spare is in flight */
		int fd, err;
		const char *data;
		size_t len, done;
	} io;
	bool first;		/* no field written yet on this row */
	const char *eol;
	size_t eol_len;
	struct buf scratch, guarded, quoted;	/* this writer's own */
};

#define CSVW_BUF (1u << 20)
#define DEADLINE_TEXT 40	/* room for deadline_text */
/* Rows of replacements.csv from which it is written on a thread of its own. */
#define REPLACEMENTS_THREAD_MIN 4096
#define CSVW_DIRECT_ALIGN 4096u	/* a multiple of any disk's logical block */

struct replacements_job {
	struct report *rep;
	const struct ledger_summary *s;
	const struct report_ctx *ctx;
};

struct report {
	char *outdir;
	bool excel;
	struct csvw w[R_COUNT];
	struct outdir *dir;	/* lock, generation, publishing */
	bool have[R_COUNT];	/* report i was written by this run */
	struct replacements_job job;	/* replacements.csv's writer, */
	pthread_t job_tid;		/* on this thread when job_running */
	bool job_running;
};

/* write(2) of all n bytes; returns 0 or an errno, *done what was written. */
static int
write_all(int fd, const char *s, size_t n, size_t *done)
{
	*done = 0;
	while (*done < n) {
		ssize_t k = write(fd, s + *done, n - *done);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return k < 0 ? errno : EIO;
		*done += (size_t)k;
	}
	return 0;
}

static void *
io_run(void *arg)
{
	struct csvw_io *io = arg;

	io->err = write_all(io->fd, io->data, io->len, &io->done);
	return NULL;
}

/*
 * Waits for the write in flight, if any. A file system that turns out to
 * refuse direct writes (EINVAL) gets the rest of that buffer written the
 * ordinary way; any other error is kept for temp_close.
 */
static void
csvw_wait(struct csvw *w)
{
	size_t done;

	if (!w->io.busy)
		return;
	pthread_join(w->io.tid, NULL);
	w->io.busy = false;
	if (w->io.err == EINVAL && w->direct && w->err == 0) {
		int fl = fcntl(w->fd, F_GETFL);

		w->direct = false;
		if (fl < 0 || fcntl(w->fd, F_SETFL, fl & ~O_DIRECT) != 0)
			w->err = errno;
		else
			w->err = write_all(w->fd, w->io.data + w->io.done, w->io.len - w->io.done,
			    &done);
	} else if (w->io.err != 0 && w->err == 0) {
		w->err = w->io.err;
	}
}

/*
 * Hands a full buffer to a thread that writes it while the next one is
 * filled: formatting and the disk then overlap. Returns false when no
 * thread could start (the caller writes it itself).
 */
static bool
csvw_write_behind(struct csvw *w)
{
	char *full = w->out;

	csvw_wait(w);
	if (w->err != 0 || !w->direct)
		return false;
	w->out = w->spare;
	w->spare = full;
	w->io = (struct csvw_io){ .fd = w->fd, .data = full, .len = w->len };
	if (pthread_create(&w->io.tid, NULL, io_run, &w->io) != 0) {
		w->spare = w->out;
		w->out = full;
		return false;
	}
	w->io.busy = true;
	w->len = 0;
	return true;
}

/*
 * Writes out the buffered bytes; the first error is kept for temp_close.
 * A report that fills its buffer is written with O_DIRECT from then on:
 * it goes to the disk once, from this buffer, instead of being copied
 * into the page cache and written again by the fsync that publishing
 * needs anyway. Only whole CSVW_DIRECT_ALIGN blocks go that way; the tail
 * and any file system that refuses O_DIRECT get ordinary writes.
 */
static void
csvw_flush(struct csvw *w, bool last)
{
	size_t direct = w->len - w->len % CSVW_DIRECT_ALIGN, done;

	if (w->err != 0 || w->len == 0) {
		w->len = 0;
		return;
	}
	if (!w->direct_tried && !last) {
		int fl = fcntl(w->fd, F_GETFL);

		w->direct_tried = true;
		w->direct = fl >= 0 && fcntl(w->fd, F_SETFL, fl | O_DIRECT) == 0;
		if (w->direct && posix_memalign((void **)&w->spare, CSVW_DIRECT_ALIGN, CSVW_BUF) != 0)
			mem_fail();
	}
	if (w->direct && !last && w->len == CSVW_BUF && csvw_write_behind(w))
		return;
	csvw_wait(w);
	if (w->err != 0) {
		w->len = 0;
		return;
	}
	direct = w->len - w->len % CSVW_DIRECT_ALIGN;
	if (w->direct && direct > 0) {
		int e = write_all(w->fd, w->out, direct, &done);

		/* EINVAL: this file system takes no direct writes after all. */
		if (e != 0 && e != EINVAL) {
			w->err = e;
			w->len = 0;
			return;
		}
		memmove(w->out, w->out + done, w->len - done);
		w->len -= done;
	}
	if (w->len == 0)
		return;
	if (w->direct) {
		int fl = fcntl(w->fd, F_GETFL);

		w->direct = false;
		if (fl < 0 || fcntl(w->fd, F_SETFL, fl & ~O_DIRECT) != 0) {
			w->err = errno;
			w->len = 0;
			return;
		}
	}
	w->err = write_all(w->fd, w->out, w->len, &done);
	w->len = 0;
}

/* Appends n bytes; a full buffer is written out whole (see csvw_flush). */
static void
put_raw(struct csvw *w, const char *s, size_t n)
{
	while (n > CSVW_BUF - w->len) {
		size_t k = CSVW_BUF - w->len;

		memcpy(w->out + w->len, s, k);
		w->len = CSVW_BUF;
		csvw_flush(w, false);
		s += k;
		n -= k;
	}
	memcpy(w->out + w->len, s, n);
	w->len += n;
}

static void
put_byte(struct csvw *w, char c)
{
	if (w->len == CSVW_BUF)
		csvw_flush(w, false);
	w->out[w->len++] = c;
}

/*
 * Opens report i in this run's generation directory (outdir), which no
 * one else writes: O_EXCL only guards against a bug.
 */
static int
temp_open(struct report *rep, int i, struct diag *d)
{
	const char *path = outdir_file(rep->dir, i, report_name[i]);
	struct csvw *w = &rep->w[i];
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);

	if (fd < 0) {
		diag_set(d, rep->outdir, 0, "cannot write in the output directory: %s",
		    strerror(errno));
		return -1;
	}
	rep->have[i] = true;
	w->first = true;
	w->err = 0;
	w->len = 0;
	w->direct_tried = w->direct = false;
	w->io.busy = false;
	if (report_header[i] == NULL) {
		w->fd = -1;
		w->fp = fdopen(fd, "w");
		if (w->fp == NULL) {
			close(fd);
			diag_set(d, path, 0, "cannot open: %s", strerror(errno));
			return -1;
		}
		return 0;
	}
	w->fd = fd;
	if (posix_memalign((void **)&w->out, CSVW_DIRECT_ALIGN, CSVW_BUF) != 0)
		mem_fail();
	w->eol = rep->excel ? "\r\n" : "\n";
	w->eol_len = rep->excel ? 2 : 1;
	if (rep->excel)
		put_raw(w, "\xef\xbb\xbf", 3);
	put_raw(w, report_header[i], strlen(report_header[i]));
	put_raw(w, w->eol, w->eol_len);
	return 0;
}

int
report_open(struct report **out, const char *outdir, bool excel, struct diag *d)
{
	struct report *rep = mem_calloc(1, sizeof(*rep));

	*out = NULL;
	rep->outdir = mem_strdup(outdir);
	rep->excel = excel;
	for (int i = 0; i < R_COUNT; i++)
		rep->w[i].fd = -1;
	if (outdir_open(&rep->dir, outdir, d) != 0 || temp_open(rep, R_REJECTS, d) != 0) {
		report_close(rep);
		return -1;
	}
	*out = rep;
	return 0;
}

static void
sep(struct csvw *w)
{
	if (!w->first)
		put_byte(w, ',');
	w->first = false;
}

/* What a byte asks of a text field: quoting, a UTF-8 check, a rewrite. */
enum { B_QUOTE = 1, B_HIGH = 2, B_NUL = 4 };

static const unsigned char byte_class[256] = {
	[0] = B_NUL, [','] = B_QUOTE, ['"'] = B_QUOTE, ['\n'] = B_QUOTE, ['\r'] = B_QUOTE,
	[0x80 ... 0xff] = B_HIGH,
};

/*
 * A text field as it goes in a report: made valid UTF-8, guarded against
 * formulas with a leading quote, and quoted by libcsv when it holds a
 * delimiter, quote or line end. One pass over the bytes says which of
 * these a field needs; most need none, and then *out is s itself.
 * Otherwise the text is built in w's scratch buffers. Returns its length.
 */
static size_t
field_text(struct csvw *w, const char *s, size_t n, const char **out)
{
	bool guard = n > 0 && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' ||
	    s[0] == '\t' || s[0] == '\r');
	unsigned cls = 0;
	size_t need;

	if (!guard && text_plain(s, n)) {
		*out = s;
		return n;
	}
	for (size_t i = 0; i < n; i++)
		cls |= byte_class[(unsigned char)s[i]];
	if ((cls & B_NUL) || ((cls & B_HIGH) && !text_utf8_valid(s, n))) {
		w->scratch.len = 0;
		text_sanitize_utf8(&w->scratch, s, n);
		s = w->scratch.data;
		n = w->scratch.len;
		cls = 0;
		for (size_t i = 0; i < n; i++)
			cls |= byte_class[(unsigned char)s[i]];
	}
	if (!guard && !(cls & B_QUOTE)) {
		*out = s;
		return n;
	}
	/* The guard goes inside any quotes: '"'=A,B"' would not be text. */
	w->guarded.len = 0;
	if (guard)
		buf_addc(&w->guarded, '\'');
	buf_add(&w->guarded, s, n);
	if (!(cls & B_QUOTE)) {
		*out = w->guarded.data;
		return w->guarded.len;
	}
	need = csv_write(NULL, 0, w->guarded.data, w->guarded.len);
	if (w->quoted.cap < need + 1) {
		w->quoted.data = mem_realloc(w->quoted.data, need + 1);
		w->quoted.cap = need + 1;
	}
	csv_write(w->quoted.data, need, w->guarded.data, w->guarded.len);
	*out = w->quoted.data;
	return need;
}

static void
put_text(struct csvw *w, const char *s, size_t n)
{
	const char *t;
	size_t k = field_text(w, s, n, &t);

	sep(w);
	put_raw(w, t, k);
}

/* Appends the fields to b as a piece of a row ("a,b,c"), for put_piece. */
static void
piece_build(struct csvw *w, struct buf *b, const char *const *fields, size_t n)
{
	b->len = 0;
	for (size_t i = 0; i < n; i++) {
		const char *t;
		size_t k = field_text(w, fields[i], strlen(fields[i]), &t);

		if (i > 0)
			buf_addc(b, ',');
		buf_add(b, t, k);
	}
}

/* Writes a piece made by piece_build: several fields at once. */
static void
put_piece(struct csvw *w, const struct buf *b)
{
	sep(w);
	put_raw(w, b->data ? b->data : "", b->len);
}

static void
put_str(struct csvw *w, const char *s)
{
	put_text(w, s, strlen(s));
}

static void
put_int(struct csvw *w, int64_t v)
{
	char tmp[24], *p = tmp + sizeof(tmp);
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	sep(w);
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--p = '-';
	put_raw(w, p, (size_t)(tmp + sizeof(tmp) - p));
}

static void
put_date(struct csvw *w, int32_t days)
{
	char s[11];

	sep(w);
	if (days == DATE_NONE)
		return;
	values_date_format(days, s);
	put_raw(w, s, 10);
}

/*
 * An input's name. "-" is standard input as the command line and SPEC
 * name it: the formula guard's "'-" would name a file called that.
 */
static void
put_file(struct csvw *w, const char *path)
{
	if (strcmp(path, "-") == 0) {
		sep(w);
		put_byte(w, '-');
		return;
	}
	put_str(w, path);
}

static void
put_empty(struct csvw *w)
{
	sep(w);
}

static void
end_row(struct csvw *w)
{
	put_raw(w, w->eol, w->eol_len);
	w->first = true;
}

void
report_reject(void *arg, const char *file, uint64_t line, const char *reason,
    const char *raw, size_t len)
{
	struct report *rep = arg;
	struct csvw *w = &rep->w[R_REJECTS];

	put_file(w, file);
	put_int(w, (int64_t)line);
	put_str(w, reason);
	put_text(w, raw, len);
	end_row(w);
}

/* An end date's "end_date,days_left,urgency" (",,unknown" without one); its length. */
static size_t
deadline_text(int32_t end, const struct report_ctx *ctx, char out[DEADLINE_TEXT])
{
	char date[11];
	int n;

	if (end == DATE_NONE)
		n = snprintf(out, DEADLINE_TEXT, ",,unknown");
	else {
		values_date_format(end, date);
		n = snprintf(out, DEADLINE_TEXT, "%s,%lld,%s", date, (long long)end - ctx->as_of,
		    notice_urgency_word(notice_urgency((int64_t)end - ctx->as_of, ctx->horizon)));
	}
	/* A date, a number of days and a word always fit. */
	return n < 0 ? 0 : (size_t)n < DEADLINE_TEXT ? (size_t)n : DEADLINE_TEXT - 1;
}

/* end_date, days_left and urgency of one date. */
static void
put_deadline(struct csvw *w, int32_t end, const struct report_ctx *ctx)
{
	char text[DEADLINE_TEXT];
	size_t n = deadline_text(end, ctx, text);

	sep(w);
	put_raw(w, text, n);
}

/*
 * Fetches the key and name of row i of s->customers (or of v, when not
 * NULL) into the cache, for a loop that reaches it a few rows later: they
 * lie anywhere in memory.
 */
static void
customer_row_prefetch(const struct ledger_summary *s, const struct customer_row *const *v,
    size_t i)
{
	const struct customer_row *c;

	if (i >= s->ncustomers)
		return;
	c = v != NULL ? v[i] : &s->customers[i];
	__builtin_prefetch(c->key);
	__builtin_prefetch(c->name);
}

/*
 * affected_customers.csv's order: by earliest end date, customers without
 * one last, ties in key order, which is the summary's order: a stable
 * sort by the date alone.
 */
static uint64_t
affected_order(const struct customer_row *c)
{
	if (!c->any_active || c->earliest_end == DATE_NONE)
		return UINT64_MAX;
	return (uint64_t)((uint32_t)c->earliest_end ^ 0x80000000u);
}

static void
write_affected(struct report *rep, const struct ledger_summary *s, const struct report_ctx *ctx)
{
	struct csvw *w = &rep->w[R_AFFECTED];
	const struct customer_row **v = mem_calloc(s->ncustomers + 1, sizeof(*v));
	struct sort_item *k = mem_calloc(s->ncustomers + 1, sizeof(*k));

	for (size_t i = 0; i < s->ncustomers; i++)
		k[i] = (struct sort_item){ affected_order(&s->customers[i]), i };
	sort_items(k, s->ncustomers);
	for (size_t i = 0; i < s->ncustomers; i++)
		v[i] = &s->customers[k[i].at];
	free(k);
	for (size_t i = 0; i < s->ncustomers; i++) {
		const struct customer_row *c = v[i];

		customer_row_prefetch(s, v, i + 8);
		put_str(w, c->key);
		put_str(w, c->name);
		put_int(w, (int64_t)c->retired);
		put_int(w, (int64_t)c->active_retired);
		put_int(w, c->retired_seats);
		put_int(w, (int64_t)c->users_on_retired);
		if (c->any_active) {
			put_deadline(w, c->earliest_end, ctx);
		} else {
			put_empty(w);
			put_empty(w);
			put_empty(w);
		}
		end_row(w);
	}
	free(v);
}

/*
 * replacements.csv repeats the same texts row after row: a customer's key
 * and name over its subscriptions, an offer's name with its rule and
 * audience, a rule's suggestions. Each is formatted once, as a piece.
 */
struct offer_piece {
	const char *offer;
	const struct rule *rule;
	struct buf text;	/* offer_name,rule_id,family,audience */
};

#define OFFER_PIECES 64
#define DEADLINE_PIECES 1024	/* end dates remembered, by their low bits */

/* An end date's text as deadline_text makes it, remembered. */
struct deadline_piece {
	int32_t end;
	bool set;
	uint8_t len;
	char text[DEADLINE_TEXT];
};

/*
 * put_deadline through a cache: subscriptions share few end dates, and
 * formatting a date costs more than copying its text.
 */
static void
put_deadline_cached(struct csvw *w, struct deadline_piece *dp, int32_t end,
    const struct report_ctx *ctx)
{
	struct deadline_piece *e = &dp[(uint32_t)end % DEADLINE_PIECES];

	if (!e->set || e->end != end) {
		e->len = (uint8_t)deadline_text(end, ctx, e->text);
		e->end = end;
		e->set = true;
	}
	sep(w);
	put_raw(w, e->text, e->len);
}

static const struct buf *
offer_piece(struct csvw *w, struct offer_piece *op, size_t *n, const struct sub_row *r)
{
	size_t k;
	const char *f[4];

	for (k = 0; k < *n; k++)
		if (op[k].offer == r->offer && op[k].rule == r->rule)
			return &op[k].text;
	if (*n < OFFER_PIECES)
		k = (*n)++;
	else
		k = (size_t)((uintptr_t)r->offer / 16 % OFFER_PIECES);
	op[k].offer = r->offer;
	op[k].rule = r->rule;
	f[0] = r->offer;
	f[1] = r->rule->id;
	f[2] = r->rule->family;
	f[3] = notice_audience(r->offer);
	piece_build(w, &op[k].text, f, 4);
	return &op[k].text;
}

static void
write_replacements(struct report *rep, const struct ledger_summary *s,
    const struct report_ctx *ctx)
{
	struct csvw *w = &rep->w[R_REPLACEMENTS];
	size_t nrules = rules_count(ctx->rules), nop = 0;
	struct buf *tail = mem_calloc(nrules, sizeof(*tail)), alt = { 0 }, who = { 0 };
	struct buf status = { 0 };
	struct offer_piece *op = mem_calloc(OFFER_PIECES, sizeof(*op));
	struct deadline_piece *dp = mem_calloc(DEADLINE_PIECES, sizeof(*dp));
	const char *last_key = NULL, *last_status = NULL;

	for (size_t k = 0; k < nrules; k++) {
		const struct rule *r = rules_get(ctx->rules, k);
		const char *f[2];

		alt.len = 0;
		for (size_t j = 1; j < r->nsuggest; j++) {
			if (j > 1)
				buf_addc(&alt, ';');
			buf_adds(&alt, rules_get(ctx->rules, r->suggest[j])->family);
		}
		buf_terminate(&alt);
		f[0] = r->nsuggest > 0 ? rules_get(ctx->rules, r->suggest[0])->family : "";
		f[1] = alt.data;
		piece_build(w, &tail[k], f, 2);
	}
	for (size_t i = 0; i < s->nsubs; i++) {
		char idbuf[LEDGER_ID_BUF];
		const struct sub_row row = ledger_sub_row(s, i, idbuf), *r = &row;

		if (r->customer_key != last_key) {
			const char *f[2] = { r->customer_key, r->customer_name };

			piece_build(w, &who, f, 2);
			last_key = r->customer_key;
		}
		put_piece(w, &who);
		if (r->id == idbuf) {
			/* A GUID the ledger spelled: hex digits and dashes only. */
			sep(w);
			put_raw(w, r->id, LEDGER_ID_BUF - 1);
		} else {
			put_str(w, r->id);
		}
		put_piece(w, offer_piece(w, op, &nop, r));
		if (r->status != last_status) {
			piece_build(w, &status, &r->status, 1);
			last_status = r->status;
		}
		put_piece(w, &status);
		sep(w);
		if (r->auto_renew >= 0)
			put_raw(w, r->auto_renew ? "true" : "false", r->auto_renew ? 4 : 5);
		put_int(w, r->quantity);
		put_deadline_cached(w, dp, r->end_date, ctx);
		/* Rules lie in one array: a rule's place is its distance from the first. */
		put_piece(w, &tail[r->rule - rules_get(ctx->rules, 0)]);
		end_row(w);
	}
	for (size_t k = 0; k < nrules; k++)
		buf_free(&tail[k]);
	for (size_t k = 0; k < OFFER_PIECES; k++)
		buf_free(&op[k].text);
	free(tail);
	free(op);
	free(dp);
	buf_free(&alt);
	buf_free(&who);
	buf_free(&status);
}

static void *
replacements_thread(void *arg)
{
	struct replacements_job *job = arg;

	write_replacements(job->rep, job->s, job->ctx);
	return NULL;
}

static void
write_licenses(struct report *rep, const struct ledger_summary *s, const struct report_ctx *ctx)
{
	struct csvw *w = &rep->w[R_LICENSES];
	size_t nfam = rules_family_count(ctx->rules);
	struct family_row *rows = mem_calloc(nfam + 1, sizeof(*rows));
	/* Each family's "family,kind" and each customer's key, formatted once. */
	struct buf *fam = mem_calloc(nfam + 1, sizeof(*fam)), key = { 0 };

	for (size_t k = 0; k < nfam; k++) {
		const char *f[2] = { rules_family(ctx->rules, k),
			rules_kind_word(rules_family_kind(ctx->rules, k)) };

		piece_build(w, &fam[k], f, 2);
	}
	for (size_t i = 0; i < s->nfam_customers; i++) {
		size_t n = ledger_family_rows(s, i, rows);

		if (n > 0)
			piece_build(w, &key, &rows[0].customer_key, 1);
		for (const struct family_row *f = rows; f < rows + n; f++) {
			put_piece(w, &key);
			put_piece(w, &fam[f->family]);
			put_int(w, f->purchased);
			put_int(w, (int64_t)f->assigned);
			put_int(w, f->purchased - (int64_t)f->assigned);
			end_row(w);
		}
	}
	for (size_t k = 0; k < nfam; k++)
		buf_free(&fam[k]);
	free(fam);
	buf_free(&key);
	free(rows);
}

static void
write_audit(struct report *rep, const struct ledger_summary *s)
{
	struct csvw *w = &rep->w[R_AUDIT];
	struct buf action = { 0 };

	for (size_t i = 0; i < s->ncustomers; i++) {
		const struct customer_row *c = &s->customers[i];
		bool suspended = c->active_retired == 0;

		customer_row_prefetch(s, NULL, i + 8);
		put_str(w, c->key);
		put_str(w, c->name);
		put_str(w, c->replacement_purchased ? "yes" : "no");
		put_str(w, c->licenses_reassigned < 0 ? "unknown" :
		    c->licenses_reassigned ? "yes" : "no");
		put_str(w, suspended ? "yes" : "no");
		put_str(w, notice_audit_word(c->status));
		notice_next_action(&action, &c->action);
		put_text(w, action.data, action.len);
		put_date(w, c->deprovision);
		end_row(w);
	}
	buf_free(&action);
}

static void
manifest_row(struct report *rep, const struct report_ctx *ctx, const char *kind,
    const char *file, uint64_t bytes, uint32_t crc, uint64_t records, uint64_t rejected)
{
	struct csvw *w = &rep->w[R_MANIFEST];
	char hex[9];

	put_str(w, kind);
	put_file(w, file);
	put_int(w, (int64_t)bytes);
	snprintf(hex, sizeof(hex), "%08x", crc);
	put_str(w, hex);
	put_int(w, (int64_t)records);
	put_int(w, (int64_t)rejected);
	put_date(w, ctx->as_of);
	put_int(w, ctx->horizon);
	put_str(w, ctx->version);
	end_row(w);
}

static void
write_manifest(struct report *rep, const struct report_ctx *ctx)
{
	for (size_t i = 0; i < ctx->nfiles; i++) {
		const struct file_stats *f = &ctx->files[i];

		manifest_row(rep, ctx, filestats_kind_word(f->kind),
		    f->path, f->bytes, f->crc, f->records, f->rejected);
	}
	manifest_row(rep, ctx, "rules", rules_source(ctx->rules), rules_bytes(ctx->rules),
	    rules_crc(ctx->rules), rules_count(ctx->rules), 0);
}

/*
 * Flushes, syncs and closes every report; -1 with d filled (the first
 * report in order that failed) on a write error. Every report's writeback
 * is started first (sync_file_range), so that the disk writes them all at
 * once and the first fsync's journal commit can carry the others; the
 * fsyncs then follow one another. Threads for them cost more (a clone and
 * a stack each, 1-2 ms for the seven on this project's machine) than they
 * saved.
 */
static int
temp_close_all(struct report *rep, struct diag *d)
{
	int fd[R_COUNT], err[R_COUNT] = { 0 };

	for (int i = 0; i < R_COUNT; i++) {
		struct csvw *w = &rep->w[i];

		fd[i] = -1;
		if (w->fp != NULL) {
			if (fflush(w->fp) != 0 || ferror(w->fp))
				err[i] = errno ? errno : EIO;
			fd[i] = fileno(w->fp);
		} else if (w->fd >= 0) {
			csvw_flush(w, true);
			err[i] = w->err;
			fd[i] = w->fd;
		}
	}
#ifdef SYNC_FILE_RANGE_WRITE
	/* Only a hint: a file system that refuses it is synced by fsync alone. */
	for (int i = 0; i < R_COUNT; i++)
		if (fd[i] >= 0 && err[i] == 0)
			(void)sync_file_range(fd[i], 0, 0, SYNC_FILE_RANGE_WRITE);
#endif
	for (int i = 0; i < R_COUNT; i++) {
		struct csvw *w = &rep->w[i];

		if (fd[i] >= 0 && err[i] == 0 && fsync(fd[i]) != 0)
			err[i] = errno;
		if (w->fp != NULL) {
			if (fclose(w->fp) != 0 && err[i] == 0)
				err[i] = errno;
			w->fp = NULL;
		} else if (w->fd >= 0) {
			if (close(w->fd) != 0 && err[i] == 0)
				err[i] = errno;
			w->fd = -1;
		}
	}
	for (int i = 0; i < R_COUNT; i++) {
		if (err[i] != 0) {
			diag_set(d, rep->outdir, 0, "cannot write %s: %s", report_name[i],
			    strerror(err[i]));
			return -1;
		}
	}
	return 0;
}

int
report_begin(struct report *rep, const struct ledger_summary *s, const struct report_ctx *ctx,
    struct diag *d)
{
	for (int i = 0; i < R_COUNT; i++)
		if (i != R_REJECTS && (i != R_HTML || ctx->html) && temp_open(rep, i, d) != 0)
			return -1;
	/* replacements.csv, the largest, on a thread of its own. */
	rep->job = (struct replacements_job){ rep, s, ctx };
	rep->job_running = s->nsubs >= REPLACEMENTS_THREAD_MIN &&
	    pthread_create(&rep->job_tid, NULL, replacements_thread, &rep->job) == 0;
	return 0;
}

/* Waits for replacements.csv's writer, or writes it here if none runs. */
static void
replacements_wait(struct report *rep)
{
	if (rep->job_running) {
		pthread_join(rep->job_tid, NULL);
		rep->job_running = false;
	} else {
		write_replacements(rep, rep->job.s, rep->job.ctx);
	}
}

int
report_finish(struct report *rep, const struct ledger_summary *s, const struct report_ctx *ctx,
    struct diag *d)
{
	int html_err = 0;

	write_affected(rep, s, ctx);
	write_licenses(rep, s, ctx);
	write_audit(rep, s);
	write_manifest(rep, ctx);
	if (ctx->html && html_write(rep->w[R_HTML].fp, s, ctx) != 0)
		html_err = errno ? errno : EIO;
	replacements_wait(rep);
	if (html_err != 0) {
		diag_set(d, rep->outdir, 0, "cannot write %s: %s", report_name[R_HTML],
		    strerror(html_err));
		return -1;
	}
	return temp_close_all(rep, d);
}

int
report_write(struct report *rep, const struct ledger_summary *s,
    const struct report_ctx *ctx, struct diag *d)
{
	if (report_begin(rep, s, ctx, d) != 0)
		return -1;
	return report_finish(rep, s, ctx, d);
}

int
report_publish(struct report *rep, struct diag *d)
{
	return outdir_publish(rep->dir, report_name, rep->have, R_COUNT, d);
}

void
report_close(struct report *rep)
{
	if (rep == NULL)
		return;
	if (rep->job_running)
		pthread_join(rep->job_tid, NULL);
	for (int i = 0; i < R_COUNT; i++) {
		if (rep->w[i].fp != NULL)
			fclose(rep->w[i].fp);
		csvw_wait(&rep->w[i]);
		if (rep->w[i].fd >= 0)
			close(rep->w[i].fd);
		free(rep->w[i].out);
		free(rep->w[i].spare);
	}
	outdir_close(rep->dir);
	free(rep->outdir);
	for (int i = 0; i < R_COUNT; i++) {
		buf_free(&rep->w[i].scratch);
		buf_free(&rep->w[i].guarded);
		buf_free(&rep->w[i].quoted);
	}
	free(rep);
}

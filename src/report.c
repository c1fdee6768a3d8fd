/*
 * report: the reports' layouts (which columns, which rows, in which order),
 * written through csvout into temporary files, and their atomic publishing
 * through outdir.
 */
#define _GNU_SOURCE	/* sync_file_range */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvout.h"
#include "changes.h"
#include "history.h"
#include "html.h"
#include "mem.h"
#include "notice.h"
#include "outdir.h"
#include "report.h"
#include "sort.h"
#include "text.h"
#include "values.h"
#include "workbook.h"

enum {
	R_AFFECTED, R_REPLACEMENTS, R_LICENSES, R_AUDIT, R_CHANGES, R_HISTORY, R_REJECTS,
	R_MANIFEST, R_HTML, R_XLSX, R_COUNT
};

static const char *const report_name[R_COUNT] = {
	"affected_customers.csv", "replacements.csv", "license_counts.csv",
	"migration_audit.csv", "changes.csv", "history.csv", "rejects.csv", "manifest.csv",
	"summary.html", "skuscan.xlsx",
};

static const char *const report_header[R_COUNT] = {
	"customer_key,customer_name,retired_subscriptions,active_retired_subscriptions,"
	"retired_seats,users_on_retired,earliest_end_date,days_left,urgency",
	"customer_key,customer_name,subscription_id,offer_name,rule_id,family,audience,"
	"status,auto_renew,quantity,end_date,days_left,urgency,suggested,alternatives",
	"customer_key,family,kind,purchased_seats,assigned_users,unassigned_seats",
	"customer_key,customer_name,replacement_purchased,licenses_reassigned,old_suspended,"
	"status,next_action,deprovision_date",
	"customer_key,customer_name,changes,status_before,status_after,next_action_before,"
	"next_action_after,retired_seats_before,retired_seats_after,users_on_retired_before,"
	"users_on_retired_after,earliest_end_date_before,earliest_end_date_after",
	HISTORY_HEADER,
	"file,line,reason,record",
	"kind,file,bytes,crc32,records,rejected,as_of,horizon,version",
	NULL,	/* summary.html: not a CSV */
	NULL,	/* skuscan.xlsx: neither */
};

/* The CSV reports' sheets in the workbook, and what each column holds (workbook.h). */
static const char *const report_sheet[R_COUNT] = {
	"Affected customers", "Replacements", "License counts", "Migration audit", "Changes",
	"History", "Rejects", "Manifest", NULL, NULL,
};

static const char *const report_kinds[R_COUNT] = {
	"ttnnnndnu", "tttttttttndnutt", "tttnnn", "tttttstd", "tttssttnnnndd", "dttnnnnnn",
	"tntt", "ttntnndnt", NULL, NULL,
};

#define DEADLINE_TEXT 40	/* room for deadline_text */
/* Rows of a report from which it is written on a thread of its own. */
#define JOB_THREAD_MIN 4096

/*
 * A report written on a thread of its own, or by job_wait when no thread
 * was started: replacements.csv, the largest, from when the subscriptions
 * are ordered; affected_customers.csv and migration_audit.csv, from when
 * the customers are summed up, while this thread writes the others (the
 * audit on a thread too: on 292k customers this thread's license_counts.csv
 * then audit were the last to end, A/B wall 0.97).
 */
typedef void report_write_fn(struct report *, const struct ledger_summary *,
    const struct report_ctx *);

struct report_job {
	report_write_fn *write;
	struct report *rep;
	const struct ledger_summary *s;
	const struct report_ctx *ctx;
	pthread_t tid;
	bool running;
};

enum { JOB_REPLACEMENTS, JOB_AFFECTED, JOB_AUDIT, JOB_COUNT };

/*
 * The CSV reports are written through csvout to descriptors held here, so
 * that temp_close_all can sync them all together; summary.html is written
 * with stdio (html), being small and printf-shaped.
 */
struct report {
	char *outdir;
	bool excel;
	int fd[R_COUNT];		/* the CSV reports' files; -1: not open */
	struct csvout *w[R_COUNT];	/* their writers */
	FILE *html;			/* summary.html */
	struct outdir *dir;	/* lock, generation, publishing */
	bool have[R_COUNT];	/* report i was written by this run */
	struct report_job job[JOB_COUNT];
};

/*
 * Opens report i in this run's generation directory (outdir), which no
 * one else writes: O_EXCL only guards against a bug.
 */
static int
temp_open(struct report *rep, int i, struct diag *d)
{
	const char *path = outdir_file(rep->dir, i, report_name[i]);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);

	if (fd < 0) {
		diag_set(d, rep->outdir, 0, "cannot write in the output directory: %s",
		    strerror(errno));
		return -1;
	}
	rep->have[i] = true;
	if (report_header[i] == NULL) {
		rep->html = fdopen(fd, "w");
		if (rep->html == NULL) {
			close(fd);
			diag_set(d, path, 0, "cannot open: %s", strerror(errno));
			return -1;
		}
		return 0;
	}
	rep->fd[i] = fd;
	rep->w[i] = csvout_new(fd, rep->excel);
	csvout_raw(rep->w[i], report_header[i], strlen(report_header[i]));
	csvout_end_row(rep->w[i]);
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
		rep->fd[i] = -1;
	if (outdir_open(&rep->dir, outdir, d) != 0 || temp_open(rep, R_REJECTS, d) != 0) {
		report_close(rep);
		return -1;
	}
	*out = rep;
	return 0;
}

void
report_reject(void *arg, const char *file, uint64_t line, const char *reason,
    const char *raw, size_t len)
{
	struct report *rep = arg;
	struct csvout *w = rep->w[R_REJECTS];

	csvout_file(w, file);
	csvout_int(w, (int64_t)line);
	csvout_str(w, reason);
	csvout_text(w, raw, len);
	csvout_end_row(w);
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
		    notice_urgency_word(notice_end_urgency(end, ctx->as_of, ctx->horizon)));
	}
	/* A date, a number of days and a word always fit. */
	return n < 0 ? 0 : (size_t)n < DEADLINE_TEXT ? (size_t)n : DEADLINE_TEXT - 1;
}

/* end_date, days_left and urgency of one date. */
static void
put_deadline(struct csvout *w, int32_t end, const struct report_ctx *ctx)
{
	char text[DEADLINE_TEXT];
	size_t n = deadline_text(end, ctx, text);

	csvout_plain(w, text, n);
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
	struct csvout *w = rep->w[R_AFFECTED];
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
		csvout_str(w, c->key);
		csvout_str(w, c->name);
		csvout_int(w, (int64_t)c->retired);
		csvout_int(w, (int64_t)c->active_retired);
		csvout_int(w, c->retired_seats);
		csvout_int(w, (int64_t)c->users_on_retired);
		if (c->any_active) {
			put_deadline(w, c->earliest_end, ctx);
		} else {
			csvout_empty(w);
			csvout_empty(w);
			csvout_empty(w);
		}
		csvout_end_row(w);
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
put_deadline_cached(struct csvout *w, struct deadline_piece *dp, int32_t end,
    const struct report_ctx *ctx)
{
	struct deadline_piece *e = &dp[(uint32_t)end % DEADLINE_PIECES];

	if (!e->set || e->end != end) {
		e->len = (uint8_t)deadline_text(end, ctx, e->text);
		e->end = end;
		e->set = true;
	}
	csvout_plain(w, e->text, e->len);
}

static const struct buf *
offer_piece(struct csvout *w, struct offer_piece *op, size_t *n, const struct sub_row *r)
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
	f[3] = notice_audience_word(r->audience);
	csvout_piece_make(w, &op[k].text, f, 4);
	return &op[k].text;
}

static void
write_replacements(struct report *rep, const struct ledger_summary *s,
    const struct report_ctx *ctx)
{
	struct csvout *w = rep->w[R_REPLACEMENTS];
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
		csvout_piece_make(w, &tail[k], f, 2);
	}
	for (size_t i = 0; i < s->nsubs; i++) {
		char idbuf[LEDGER_ID_BUF];
		const struct sub_row row = ledger_sub_row(s, i, idbuf), *r = &row;

		if (r->customer_key != last_key) {
			const char *f[2] = { r->customer_key, r->customer_name };

			csvout_piece_make(w, &who, f, 2);
			last_key = r->customer_key;
		}
		csvout_piece(w, &who);
		if (r->id == idbuf) {
			/* A GUID the ledger spelled: hex digits and dashes only. */
			csvout_plain(w, r->id, LEDGER_ID_BUF - 1);
		} else {
			csvout_str(w, r->id);
		}
		csvout_piece(w, offer_piece(w, op, &nop, r));
		if (r->status != last_status) {
			csvout_piece_make(w, &status, &r->status, 1);
			last_status = r->status;
		}
		csvout_piece(w, &status);
		if (r->auto_renew < 0)
			csvout_empty(w);
		else
			csvout_plain(w, r->auto_renew ? "true" : "false", r->auto_renew ? 4 : 5);
		csvout_int(w, r->quantity);
		put_deadline_cached(w, dp, r->end_date, ctx);
		/* Rules lie in one array: a rule's place is its distance from the first. */
		csvout_piece(w, &tail[r->rule - rules_get(ctx->rules, 0)]);
		csvout_end_row(w);
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
job_run(void *arg)
{
	struct report_job *job = arg;

	job->write(job->rep, job->s, job->ctx);
	return NULL;
}

/*
 * Starts a job's thread when it has rows enough to be worth one, and the
 * run may start threads (not with SKUSCAN_THREADS=1).
 */
static void
job_start(struct report *rep, int k, report_write_fn *write, const struct ledger_summary *s,
    const struct report_ctx *ctx, size_t rows)
{
	struct report_job *job = &rep->job[k];

	*job = (struct report_job){ .write = write, .rep = rep, .s = s, .ctx = ctx };
	job->running = ctx->threads && rows >= JOB_THREAD_MIN &&
	    pthread_create(&job->tid, NULL, job_run, job) == 0;
}

/* Waits for a job's thread, or writes its report here if none runs. */
static void
job_wait(struct report *rep, int k)
{
	struct report_job *job = &rep->job[k];

	if (job->running) {
		pthread_join(job->tid, NULL);
		job->running = false;
	} else {
		job->write(job->rep, job->s, job->ctx);
	}
}

static void
write_licenses(struct report *rep, const struct ledger_summary *s, const struct report_ctx *ctx)
{
	struct csvout *w = rep->w[R_LICENSES];
	size_t nfam = rules_family_count(ctx->rules);
	struct family_row *rows = mem_calloc(nfam + 1, sizeof(*rows));
	/* Each family's "family,kind" and each customer's key, formatted once. */
	struct buf *fam = mem_calloc(nfam + 1, sizeof(*fam)), key = { 0 };

	for (size_t k = 0; k < nfam; k++) {
		const char *f[2] = { rules_family(ctx->rules, k),
			rules_kind_word(rules_family_kind(ctx->rules, k)) };

		csvout_piece_make(w, &fam[k], f, 2);
	}
	for (size_t i = 0; i < s->nfam_customers; i++) {
		size_t n = ledger_family_rows(s, i, rows);

		if (n > 0)
			csvout_piece_make(w, &key, &rows[0].customer_key, 1);
		for (const struct family_row *f = rows; f < rows + n; f++) {
			csvout_piece(w, &key);
			csvout_piece(w, &fam[f->family]);
			csvout_int(w, f->purchased);
			csvout_int(w, (int64_t)f->assigned);
			csvout_int(w, f->purchased - (int64_t)f->assigned);
			csvout_end_row(w);
		}
	}
	for (size_t k = 0; k < nfam; k++)
		buf_free(&fam[k]);
	free(fam);
	buf_free(&key);
	free(rows);
}

static void
write_audit(struct report *rep, const struct ledger_summary *s, const struct report_ctx *ctx)
{
	struct csvout *w = rep->w[R_AUDIT];
	struct buf action = { 0 };

	(void)ctx;

	for (size_t i = 0; i < s->ncustomers; i++) {
		const struct customer_row *c = &s->customers[i];
		bool suspended = c->active_retired == 0;

		customer_row_prefetch(s, NULL, i + 8);
		csvout_str(w, c->key);
		csvout_str(w, c->name);
		csvout_str(w, c->replacement_purchased ? "yes" : "no");
		csvout_str(w, c->licenses_reassigned < 0 ? "unknown" :
		    c->licenses_reassigned ? "yes" : "no");
		csvout_str(w, suspended ? "yes" : "no");
		csvout_str(w, notice_audit_word(c->status));
		notice_next_action(&action, &c->action);
		csvout_text(w, action.data, action.len);
		csvout_date(w, c->deprovision);
		csvout_end_row(w);
	}
	buf_free(&action);
}

/* A number, or an empty field when the customer is not there (has is false). */
static void
put_int_if(struct csvout *w, bool has, int64_t v)
{
	if (has)
		csvout_int(w, v);
	else
		csvout_empty(w);
}

/* A customer's state before (b) and after (a) in changes.csv's order; NULL: none. */
static void
changes_state(struct csvout *w, const struct prev_customer *b, const struct customer_row *a,
    struct buf *action)
{
	csvout_str(w, b != NULL ? notice_audit_word(b->status) : "");
	csvout_str(w, a != NULL ? notice_audit_word(a->status) : "");
	csvout_str(w, b != NULL ? b->next_action : "");
	action->len = 0;
	buf_terminate(action);
	if (a != NULL)
		notice_next_action(action, &a->action);
	csvout_text(w, action->data, action->len);
	put_int_if(w, b != NULL, b != NULL ? b->seats : 0);
	put_int_if(w, a != NULL, a != NULL ? a->retired_seats : 0);
	put_int_if(w, b != NULL, b != NULL ? (int64_t)b->users : 0);
	put_int_if(w, a != NULL, a != NULL ? (int64_t)a->users_on_retired : 0);
	csvout_date(w, b != NULL ? b->earliest_end : DATE_NONE);
	csvout_date(w, a != NULL && a->any_active ? a->earliest_end : DATE_NONE);
}

static void
write_changes(struct report *rep, const struct report_ctx *ctx)
{
	struct csvout *w = rep->w[R_CHANGES];
	struct buf kinds = { 0 }, action = { 0 };

	for (size_t i = 0; i < ctx->changes->n; i++) {
		const struct change_row *c = &ctx->changes->rows[i];

		kinds.len = 0;
		for (int k = 0; k < CHANGE_COUNT; k++) {
			if (!(c->kinds & (1u << k)))
				continue;
			if (kinds.len > 0)
				buf_addc(&kinds, ';');
			buf_adds(&kinds, changes_word((enum change)k));
		}
		buf_terminate(&kinds);
		csvout_str(w, c->key);
		csvout_str(w, c->name);
		csvout_text(w, kinds.data, kinds.len);
		changes_state(w, c->before, c->after, &action);
		csvout_end_row(w);
	}
	buf_free(&kinds);
	buf_free(&action);
}

static void
write_history(struct report *rep, const struct report_ctx *ctx)
{
	struct csvout *w = rep->w[R_HISTORY];

	for (size_t i = 0; i < ctx->history->n; i++) {
		const struct history_row *h = &ctx->history->rows[i];

		csvout_date(w, h->as_of);
		csvout_str(w, h->run_time);
		csvout_str(w, h->inputs);
		csvout_int(w, (int64_t)h->customers);
		csvout_int(w, h->seats);
		csvout_int(w, (int64_t)h->users);
		csvout_int(w, (int64_t)h->complete);
		csvout_int(w, (int64_t)h->in_progress);
		csvout_int(w, (int64_t)h->not_started);
		csvout_end_row(w);
	}
}

static void
manifest_row(struct report *rep, const struct report_ctx *ctx, const char *kind,
    const char *file, uint64_t bytes, uint32_t crc, uint64_t records, uint64_t rejected)
{
	struct csvout *w = rep->w[R_MANIFEST];
	char hex[9];

	csvout_str(w, kind);
	csvout_file(w, file);
	csvout_int(w, (int64_t)bytes);
	snprintf(hex, sizeof(hex), "%08x", crc);
	csvout_str(w, hex);
	csvout_int(w, (int64_t)records);
	csvout_int(w, (int64_t)rejected);
	csvout_date(w, ctx->as_of);
	csvout_int(w, ctx->horizon);
	csvout_str(w, ctx->version);
	csvout_end_row(w);
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
		fd[i] = -1;
		if (i == R_XLSX && rep->have[i]) {
			/* libxlsxwriter closed it: opened again to be synced. */
			fd[i] = open(outdir_file(rep->dir, i, report_name[i]), O_RDONLY | O_CLOEXEC);
			if (fd[i] < 0)
				err[i] = errno;
		} else if (i == R_HTML && rep->html != NULL) {
			if (fflush(rep->html) != 0 || ferror(rep->html))
				err[i] = errno ? errno : EIO;
			fd[i] = fileno(rep->html);
		} else if (rep->fd[i] >= 0) {
			err[i] = csvout_flush(rep->w[i]);
			fd[i] = rep->fd[i];
		}
	}
#ifdef SYNC_FILE_RANGE_WRITE
	/* Only a hint: a file system that refuses it is synced by fsync alone. */
	for (int i = 0; i < R_COUNT; i++)
		if (fd[i] >= 0 && err[i] == 0)
			(void)sync_file_range(fd[i], 0, 0, SYNC_FILE_RANGE_WRITE);
#endif
	for (int i = 0; i < R_COUNT; i++) {
		if (fd[i] >= 0 && err[i] == 0 && fsync(fd[i]) != 0)
			err[i] = errno;
		if (i == R_XLSX && fd[i] >= 0) {
			if (close(fd[i]) != 0 && err[i] == 0)
				err[i] = errno;
		} else if (i == R_HTML && rep->html != NULL) {
			if (fclose(rep->html) != 0 && err[i] == 0)
				err[i] = errno;
			rep->html = NULL;
		} else if (rep->fd[i] >= 0) {
			if (close(rep->fd[i]) != 0 && err[i] == 0)
				err[i] = errno;
			rep->fd[i] = -1;
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
		if (i != R_REJECTS && i != R_XLSX && (i != R_HTML || ctx->html) &&
		    (i != R_CHANGES || ctx->previous != NULL) && temp_open(rep, i, d) != 0)
			return -1;
	job_start(rep, JOB_REPLACEMENTS, write_replacements, s, ctx, s->nsubs);
	return 0;
}

/*
 * skuscan.xlsx, from the CSV reports as written: each is flushed first (a
 * write error there is temp_close_all's to report, and no workbook is
 * made of a report that failed). Returns 0 or -1.
 */
static int
write_workbook(struct report *rep, const struct report_ctx *ctx, struct diag *d)
{
	struct workbook_report wr[R_COUNT];
	size_t n = 0;

	for (int i = 0; i < R_COUNT; i++) {
		if (report_header[i] == NULL || !rep->have[i])
			continue;
		if (csvout_flush(rep->w[i]) != 0)
			return 0;
		wr[n++] = (struct workbook_report){ report_sheet[i], report_name[i],
			outdir_file(rep->dir, i, report_name[i]), report_kinds[i] };
	}
	rep->have[R_XLSX] = true;
	return workbook_write(outdir_file(rep->dir, R_XLSX, report_name[R_XLSX]), rep->outdir,
	    wr, n, ctx, d);
}

int
report_finish(struct report *rep, const struct ledger_summary *s, const struct report_ctx *ctx,
    struct diag *d)
{
	int html_err = 0;

	job_start(rep, JOB_AFFECTED, write_affected, s, ctx, s->ncustomers);
	job_start(rep, JOB_AUDIT, write_audit, s, ctx, s->ncustomers);
	write_licenses(rep, s, ctx);
	if (ctx->changes != NULL)
		write_changes(rep, ctx);
	write_history(rep, ctx);
	write_manifest(rep, ctx);
	if (ctx->html && html_write(rep->html, s, ctx) != 0)
		html_err = errno ? errno : EIO;
	job_wait(rep, JOB_AUDIT);
	job_wait(rep, JOB_AFFECTED);
	job_wait(rep, JOB_REPLACEMENTS);
	if (html_err != 0) {
		diag_set(d, rep->outdir, 0, "cannot write %s: %s", report_name[R_HTML],
		    strerror(html_err));
		return -1;
	}
	if (ctx->xlsx && write_workbook(rep, ctx, d) != 0)
		return -1;
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
	for (int k = 0; k < JOB_COUNT; k++)
		if (rep->job[k].running)
			pthread_join(rep->job[k].tid, NULL);
	if (rep->html != NULL)
		fclose(rep->html);
	for (int i = 0; i < R_COUNT; i++) {
		/* The writer first: a write may be in flight to the descriptor. */
		csvout_free(rep->w[i]);
		if (rep->fd[i] >= 0)
			close(rep->fd[i]);
	}
	outdir_close(rep->dir);
	free(rep->outdir);
	free(rep);
}

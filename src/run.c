/* run: one run of skuscan, its phases in order, and what it owns (see run.h). */
#include <assert.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "changes.h"
#include "diag.h"
#include "headline.h"
#include "history.h"
#include "ledger.h"
#include "mem.h"
#include "outdir.h"
#include "previous.h"
#include "report.h"
#include "rules.h"
#include "run.h"
#include "values.h"
#include "workbook.h"

#define PROGRESS_MIN_BYTES (4u << 20)

/*
 * The phases of a run, in their order. Licenses join the subscription
 * customers, so every subscription file is read before any license file;
 * replacements.csv is begun once the subscriptions are ordered, while the
 * customers are summed up; the rest is written from the whole summary.
 */
enum run_phase {
	PHASE_START,
	PHASE_SUBSCRIPTIONS,	/* each -s file, in command-line order */
	PHASE_LICENSES,		/* each -l file, in command-line order */
	PHASE_ORDERED,		/* ledger_order: replacements.csv may begin */
	PHASE_SUMMARIZED,	/* ledger_summarize_customers: the summary is whole */
	PHASE_WRITTEN,		/* every report written under its temporary name */
	PHASE_PUBLISHED,
};

/* The one-line progress bar on stderr. */
struct progress {
	bool on;
	double start, last;
	bool shown;
};

struct run {
	struct run_opts *o;
	enum run_phase phase;
	struct rules *rules;
	struct ledger *ledger;
	struct report *rep;
	struct ledger_summary s;
	struct report_ctx ctx;
	struct headline headline;
	struct previous *previous;	/* --previous DIR's reports, or NULL */
	struct changes changes;
	struct history history;		/* OUTDIR's, read under its lock */
	struct progress prog;
	struct diag d;
	double start;
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * A run goes forward only: each phase follows the one before it (a
 * reading phase may repeat, and a run without license files goes from
 * the subscriptions to their order). Anything else is a bug in the
 * wiring, not in an input.
 */
static void
phase_enter(struct run *r, enum run_phase p)
{
	bool again = p == r->phase && (p == PHASE_SUBSCRIPTIONS || p == PHASE_LICENSES);
	bool skip = p == PHASE_ORDERED && r->phase == PHASE_SUBSCRIPTIONS;

	assert(p == r->phase + 1 || again || skip);
	(void)again;
	(void)skip;
	r->phase = p;
}

static void
progress_show(void *arg, const char *file, uint64_t done, uint64_t size)
{
	struct progress *p = arg;
	double t = now(), rate;

	if (!p->on || (size > 0 ? size : done) < PROGRESS_MIN_BYTES || t - p->last < 0.25)
		return;
	p->last = t;
	rate = (double)done / (t - p->start + 1e-9);
	if (size > 0)
		diag_status("%s %3.0f%% %.1f MB/s ETA %.0f s", file,
		    100.0 * (double)done / (double)size, rate / 1e6,
		    done < size ? (double)(size - done) / (rate + 1) : 0.0);
	else
		diag_status("%s %.1f MB read, %.1f MB/s", file, (double)done / 1e6, rate / 1e6);
	p->shown = true;
}

static void
progress_clear(struct progress *p)
{
	if (p->shown)
		diag_status_clear();
	p->shown = false;
}

/*
 * Each line of text on stderr as "skuscan: LEAD1LEAD2line": a newline ends
 * a line (the text's own; what an input put inside one is escaped).
 */
static void
print_lines(const char *lead1, const char *lead2, const char *text)
{
	while (*text != '\0') {
		size_t n = strcspn(text, "\n");

		diag_say("%s%s%.*s", lead1, lead2, (int)n, text);
		text += n + (text[n] == '\n');
	}
}

/* "since the run as of DATE in DIR: 2 new, 1 completed" (the kinds that occur). */
static void
summary_changes(const struct run *r)
{
	struct buf line = { 0 };
	char d[11];

	for (int k = 0; k < CHANGE_COUNT; k++) {
		char n[32];

		if (r->changes.count[k] == 0)
			continue;
		snprintf(n, sizeof(n), "%s%llu ", line.len > 0 ? ", " : "",
		    (unsigned long long)r->changes.count[k]);
		buf_adds(&line, n);
		buf_adds(&line, changes_word((enum change)k));
	}
	buf_adds(&line, line.len > 0 ? "" : "no customer changed");
	if (r->previous->as_of == DATE_NONE) {
		diag_say("  %s held no earlier run: %s", r->previous->dir, line.data);
	} else {
		values_date_format(r->previous->as_of, d);
		diag_say("  since the run as of %s in %s: %s", d, r->previous->dir, line.data);
	}
	for (size_t i = 0; i < r->previous->ninputs; i++) {
		const struct prev_input *in = &r->previous->inputs[i];

		diag_say("    that run read %s %s (CRC-32 %08x)", in->kind, in->file,
		    (unsigned)in->crc);
	}
	buf_free(&line);
}

/* The summary on stderr: each file, then the run's totals (ctx.sum, s). */
static void
summary(const struct run *r, double elapsed)
{
	const struct run_opts *o = r->o;
	const struct filestats_sum *t = &r->ctx.sum;
	struct buf notes = { 0 };
	char d[11];

	values_date_format(o->as_of, d);
	diag_say("summary (as of %s)", d);
	for (size_t i = 0; i < o->nfiles; i++) {
		const struct file_stats *f = &o->files[i];

		diag_say("  %s %s: %llu records, %llu rejected, "
		    "%llu Windows-1252 fields converted", filestats_kind_word(f->kind), f->path,
		    (unsigned long long)f->records, (unsigned long long)f->rejected,
		    (unsigned long long)f->cp1252);
		notes.len = 0;
		if (f->hints[0] != '\0')
			buf_adds(&notes, "header warnings: see above\n");
		filestats_notes(f, true, &notes);
		buf_addc(&notes, '\0');
		print_lines("    ", "", notes.data);
	}
	diag_say("  %zu files, %llu bytes, %llu records read, %llu rejected",
	    t->files, (unsigned long long)t->bytes, (unsigned long long)t->records,
	    (unsigned long long)t->rejected);
	diag_say("  %zu customers affected, %lld retired seats, "
	    "%llu users on retired licenses", r->s.ncustomers, (long long)r->s.retired_seats,
	    (unsigned long long)r->s.users_on_retired);
	if (r->previous != NULL)
		summary_changes(r);
	if (t->unmatched > 0)
		diag_say("  %llu license rows joined no customer: counted under "
		    "\"(unmatched) TENANT\" in license_counts.csv",
		    (unsigned long long)t->unmatched);
	diag_say("  %.2f s, %.1f MB/s; reports in %s/", elapsed,
	    (double)t->bytes / 1e6 / (elapsed > 1e-6 ? elapsed : 1e-6), o->outdir);
	buf_free(&notes);
}

/* Reads the files of one kind, in command-line order. Returns 0 or -1. */
static int
read_kind(struct run *r, struct ingest *g, enum file_kind kind)
{
	int k;

	for (size_t i = 0; i < r->o->nfiles; i++) {
		struct file_stats *f = &r->o->files[i];

		if (f->kind != kind)
			continue;
		phase_enter(r, kind == FILE_SUBSCRIPTIONS ? PHASE_SUBSCRIPTIONS : PHASE_LICENSES);
		/* Named if memory runs out, or the file is cut short under a map (SIGBUS). */
		outdir_reading(f->path);
		k = ingest_file(g, f, &r->d);
		outdir_reading(NULL);
		if (k != 0) {
			progress_clear(&r->prog);
			return -1;
		}
		if (f->hints[0] != '\0') {
			/* Header warnings go out at once, even with -q. */
			progress_clear(&r->prog);
			print_lines(f->path, ":1: warning: ", f->hints_shown);
		}
	}
	return 0;
}

/* Every input into the ledger: subscriptions first. Returns 0 or -1. */
static int
run_read(struct run *r)
{
	struct ingest g = { &r->o->in, r->rules, r->ledger, report_reject, r->rep,
		progress_show, &r->prog };

	r->prog.on = r->o->progress || isatty(STDERR_FILENO);
	r->prog.start = r->start;
	for (size_t i = 0; i < r->o->nfiles; i++)
		if (r->o->files[i].kind == FILE_LICENSES)
			ledger_keep_domains(r->ledger);
	if (read_kind(r, &g, FILE_SUBSCRIPTIONS) != 0 || read_kind(r, &g, FILE_LICENSES) != 0)
		return -1;
	progress_clear(&r->prog);
	ledger_done_reading(r->ledger);
	filestats_sum(r->o->files, r->o->nfiles, &r->ctx.sum);
	return 0;
}

/* This run's row of history.csv: its inputs are each file's kind and CRC-32, then the rules'. */
static void
history_row_add(struct run *r)
{
	struct history_row row = { .as_of = r->o->as_of, .customers = r->headline.customers,
		.seats = r->headline.seats, .users = r->headline.users,
		.complete = r->headline.status[AUDIT_COMPLETE],
		.in_progress = r->headline.status[AUDIT_IN_PROGRESS],
		.not_started = r->headline.status[AUDIT_NOT_STARTED] };
	struct buf inputs = { 0 };
	char when[32], piece[64];
	time_t t = (time_t)r->ctx.run_time;
	struct tm tm;

	for (size_t i = 0; i < r->o->nfiles; i++) {
		snprintf(piece, sizeof(piece), "%s:%08x;", filestats_kind_word(r->o->files[i].kind),
		    r->o->files[i].crc);
		buf_adds(&inputs, piece);
	}
	snprintf(piece, sizeof(piece), "rules:%08x", rules_crc(r->rules));
	buf_adds(&inputs, piece);
	if (gmtime_r(&t, &tm) == NULL || strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm) != 20)
		snprintf(when, sizeof(when), "1970-01-01T00:00:00Z");	/* a clock out of range */
	row.run_time = when;
	row.inputs = inputs.data;
	history_add(&r->history, &row);
	buf_free(&inputs);
}

/*
 * What the reports show beyond rows, counted once the summary is whole:
 * the headline numbers, the changes since --previous, and this run's
 * row of the history.
 */
static void
run_count(struct run *r)
{
	headline_compute(&r->headline, &r->s, &r->ctx);
	r->ctx.headline = &r->headline;
	if (r->previous != NULL) {
		changes_compute(&r->changes, r->previous, &r->s, &r->ctx);
		r->ctx.changes = &r->changes;
	}
	history_row_add(r);
	r->ctx.history = &r->history;
}

/*
 * The ledger's summary and the reports made of it: replacements.csv is
 * written on a thread of its own while the customers are summed up (see
 * report.c's jobs). Returns 0 or -1.
 */
static int
run_write(struct run *r)
{
	ledger_order(r->ledger, &r->s);
	phase_enter(r, PHASE_ORDERED);
	if (report_begin(r->rep, &r->s, &r->ctx, &r->d) != 0)
		return -1;
	ledger_summarize_customers(r->ledger, &r->s);
	phase_enter(r, PHASE_SUMMARIZED);
	run_count(r);
	if (report_finish(r->rep, &r->s, &r->ctx, &r->d) != 0)
		return -1;
	phase_enter(r, PHASE_WRITTEN);
	if (report_publish(r->rep, &r->d) != 0)
		return -1;
	phase_enter(r, PHASE_PUBLISHED);
	return 0;
}

/* Whether a and b name one directory (--previous OUTDIR, however spelt). */
static bool
same_dir(const char *a, const char *b)
{
	struct stat x, y;

	return stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev &&
	    x.st_ino == y.st_ino;
}

void
run_init(void)
{
	outdir_signals();
	mem_on_fail(outdir_out_of_memory);
	/*
	 * One malloc arena for every thread: the threads allocate little (a
	 * reader's buffers are kept from chunk to chunk), and a thread's own
	 * arena took fresh pages for what the main one had free, such as a
	 * report writer's sort arrays (3-4 MiB of the 250k budget's peak).
	 */
	mallopt(M_ARENA_MAX, 1);
}

int
run_exec(struct run_opts *o)
{
	struct run r = { .o = o, .phase = PHASE_START, .start = now() };
	int status = EXIT_FATAL;

	/*
	 * OUTDIR's history and the earlier reports are read under OUTDIR's
	 * lock. The workbook's library is loaded first when a workbook is to
	 * be written: a run that cannot write one stops before the work.
	 */
	if ((o->no_xlsx || workbook_load(&r.d) == 0) &&
	    rules_load(&r.rules, o->rules, &r.d) == 0 &&
	    report_open(&r.rep, o->outdir, o->excel, &r.d) == 0 &&
	    history_read(&r.history, o->outdir, &r.d) == 0 &&
	    (o->previous == NULL || previous_read(&r.previous, o->previous,
	    same_dir(o->previous, o->outdir), &r.d) == 0)) {
		/* What every report is written with; its sums once the files are read. */
		r.ctx = (struct report_ctx){ .as_of = o->as_of, .horizon = o->horizon,
			.version = o->version, .rules = r.rules, .files = o->files,
			.nfiles = o->nfiles, .html = !o->no_html, .xlsx = !o->no_xlsx,
			.sheet_rows = o->sheet_rows, .threads = o->in.threads > 1,
			.run_time = o->run_time,
			.previous = r.previous };
		r.ledger = ledger_new(r.rules);
		if (run_read(&r) == 0 && run_write(&r) == 0)
			status = r.ctx.sum.rejected > 0 ? EXIT_REJECTS : EXIT_OK;
	}
	if (status == EXIT_FATAL)
		diag_print(&r.d);
	else if (!o->quiet)
		summary(&r, now() - r.start);
	report_close(r.rep);
	changes_free(&r.changes);
	previous_free(r.previous);
	history_free(&r.history);
	ledger_summary_free(&r.s);
	ledger_free(r.ledger);
	rules_free(r.rules);
	return status;
}

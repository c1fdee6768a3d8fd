/* previous: an earlier run's reports, read back (see previous.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvout.h"
#include "csvread.h"
#include "outdir.h"
#include "previous.h"
#include "values.h"

enum { F_MANIFEST, F_AFFECTED, F_AUDIT, F_COUNT };

static const char *const file_name[F_COUNT] = {
	"manifest.csv", "affected_customers.csv", "migration_audit.csv",
};

/* The headers this version writes, and so reads. */
static const char *const file_header[F_COUNT] = {
	"kind,file,bytes,crc32,records,rejected,as_of,horizon,version",
	"customer_key,customer_name,retired_subscriptions,active_retired_subscriptions,"
	"retired_seats,users_on_retired,earliest_end_date,days_left,urgency",
	"customer_key,customer_name,replacement_purchased,licenses_reassigned,old_suspended,"
	"status,next_action,deprovision_date",
};

/* What a callback reads with: the run being built and where errors go. */
struct reading {
	struct previous *p;
	struct diag *d;
	char name[PATH_MAX];	/* DIR/file, for messages */
	size_t ncols;
	bool header_seen;
	size_t audited;		/* customers that have their audit row */
	struct buf fold;	/* a key in lower case */
	size_t cap;
};

int
previous_step(bool purchased, bool reassigned, bool suspended)
{
	return !purchased ? STEP_BUY : !reassigned ? STEP_MOVE : !suspended ? STEP_SUSPEND :
	    STEP_DONE;
}

/* A whole number of digits (and a sign when signed), in range. */
static bool
whole(const char *s, bool is_signed, long long *out)
{
	char *end;

	if (!((*s >= '0' && *s <= '9') || (is_signed && *s == '-' && s[1] >= '0' && s[1] <= '9')))
		return false;
	errno = 0;
	*out = strtoll(s, &end, 10);
	return errno == 0 && *end == '\0';
}

/* A date as the reports write it, or empty (DATE_NONE) when empty_ok. */
static bool
date_or_empty(const char *s, bool empty_ok, int32_t *out)
{
	if (*s == '\0') {
		*out = DATE_NONE;
		return empty_ok;
	}
	return strlen(s) == 10 && values_iso_date(s, out);
}

static int
word_index(const char *s, const char *(*word)(int), int n)
{
	for (int i = 0; i < n; i++)
		if (strcmp(s, word(i)) == 0)
			return i;
	return -1;
}

static const char *
urgency_word(int i)
{
	return notice_urgency_word((enum urgency)i);
}

static const char *
status_word(int i)
{
	return notice_audit_word((enum audit_status)i);
}

/* "yes" 1, "no" 0, and "unknown" -1 when allowed; else -2. */
static int
yes_no(const char *s, bool unknown_ok)
{
	if (strcmp(s, "yes") == 0)
		return 1;
	if (strcmp(s, "no") == 0)
		return 0;
	return unknown_ok && strcmp(s, "unknown") == 0 ? -1 : -2;
}

/*
 * The header of a file: exactly this version's, or the reports are of
 * another version (or not skuscan's). Returns 0, 1 for a data row (the
 * header was seen), or -1.
 */
static int
header_check(struct reading *r, int which, const struct csvread_row *row)
{
	struct buf got = { 0 };
	bool same;

	if (r->header_seen) {
		if (row->n != r->ncols) {
			diag_set(r->d, r->name, row->line, "%zu fields, the header has %zu: "
			    "not as skuscan writes it (edited by hand?)", row->n, r->ncols);
			return -1;
		}
		return 1;
	}
	r->header_seen = true;
	r->ncols = row->n;
	same = csvread_header_is(row, file_header[which]);
	/* What the header says, for the message. */
	for (size_t i = 0; !same && i < row->n; i++) {
		if (i > 0)
			buf_addc(&got, ',');
		buf_add(&got, row->f[i], row->len[i]);
	}
	buf_terminate(&got);
	if (!same) {
		diag_set(r->d, r->name, row->line, "not the reports of this skuscan version: its "
		    "header is \"%.200s\", this version writes \"%s\"", got.data ? got.data : "",
		    file_header[which]);
		buf_free(&got);
		return -1;
	}
	buf_free(&got);
	return 0;
}

static int
bad(struct reading *r, const struct csvread_row *row, const char *column, const char *why)
{
	diag_set(r->d, r->name, row->line, "%s %s: not as skuscan writes it (edited by hand?)",
	    column, why);
	return -1;
}

static int
on_manifest(void *arg, const struct csvread_row *row)
{
	struct reading *r = arg;
	struct previous *p = r->p;
	struct prev_input *in;
	long long n;
	uint64_t u;
	int32_t as_of;
	int k = header_check(r, F_MANIFEST, row);

	if (k <= 0)
		return k;
	if (strcmp(row->f[0], "subscriptions") != 0 && strcmp(row->f[0], "licenses") != 0 &&
	    strcmp(row->f[0], "rules") != 0)
		return bad(r, row, "kind", "is not subscriptions, licenses or rules");
	if (!csvread_count(row->f[2], &u) || !csvread_count(row->f[4], &u) || !csvread_count(row->f[5], &u))
		return bad(r, row, "bytes, records or rejected", "is not a number");
	if (row->len[3] != 8 || strspn(row->f[3], "0123456789abcdef") != 8)
		return bad(r, row, "crc32", "is not 8 hex digits");
	if (!date_or_empty(row->f[6], false, &as_of) || !whole(row->f[7], false, &n))
		return bad(r, row, "as_of or horizon", "is not a date or a number");
	if (p->ninputs > 0 && as_of != p->as_of)
		return bad(r, row, "as_of", "differs from the first row's");
	p->as_of = as_of;
	p->version = csvread_text(&p->text, row->f[8], row->len[8]);
	p->inputs = mem_realloc(p->inputs, (p->ninputs + 1) * sizeof(*p->inputs));
	in = &p->inputs[p->ninputs++];
	in->kind = csvread_text(&p->text, row->f[0], row->len[0]);
	in->file = csvread_text(&p->text, row->f[1], row->len[1]);
	csvread_count(row->f[2], &in->bytes);
	in->crc = (uint32_t)strtoul(row->f[3], NULL, 16);
	return 0;
}

static int
on_affected(void *arg, const struct csvread_row *row)
{
	struct reading *r = arg;
	struct previous *p = r->p;
	struct prev_customer *c;
	struct strmap_entry *e;
	long long seats, days;
	uint64_t users, subs;
	int created, k = header_check(r, F_AFFECTED, row);

	if (k <= 0)
		return k;
	if (row->len[0] == 0)
		return bad(r, row, "customer_key", "is empty");
	if (!csvread_count(row->f[2], &subs) || !csvread_count(row->f[3], &subs) ||
	    !whole(row->f[4], false, &seats) || !csvread_count(row->f[5], &users))
		return bad(r, row, "a count", "is not a number");
	if (p->ncustomers == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 64;
		p->customers = mem_realloc(p->customers, r->cap * sizeof(*p->customers));
	}
	c = &p->customers[p->ncustomers];
	*c = (struct prev_customer){ .seats = seats, .users = users };
	if (!date_or_empty(row->f[6], true, &c->earliest_end) ||
	    (*row->f[7] != '\0' && !whole(row->f[7], true, &days)))
		return bad(r, row, "earliest_end_date or days_left", "is not a date or a number");
	c->urgency = *row->f[8] == '\0' ? -1 : word_index(row->f[8], urgency_word, URGENCY_COUNT);
	if (*row->f[8] != '\0' && c->urgency < 0)
		return bad(r, row, "urgency", "is not an urgency skuscan writes");
	c->key = csvread_text(&p->text, row->f[0], row->len[0]);
	c->name = csvread_text(&p->text, row->f[1], row->len[1]);
	text_lower(&r->fold, c->key, strlen(c->key));
	e = strmap_put(&p->by_key, r->fold.data, r->fold.len, &created);
	if (!created)
		return bad(r, row, "customer_key", "appears twice");
	e->value = (void *)(uintptr_t)(p->ncustomers + 1);
	p->ncustomers++;
	return 0;
}

static int
on_audit(void *arg, const struct csvread_row *row)
{
	struct reading *r = arg;
	struct prev_customer *c;
	int purchased, reassigned, suspended, status, k = header_check(r, F_AUDIT, row);
	int32_t date;
	size_t g;

	if (k <= 0)
		return k;
	g = csvout_unguard(row->f[0], row->len[0]);
	c = previous_find(r->p, row->f[0] + g, row->len[0] - g);
	if (c == NULL)
		return bad(r, row, "customer_key", "is not in affected_customers.csv");
	if (c->next_action != NULL)
		return bad(r, row, "customer_key", "appears twice");
	purchased = yes_no(row->f[2], false);
	reassigned = yes_no(row->f[3], true);
	suspended = yes_no(row->f[4], false);
	status = word_index(row->f[5], status_word, AUDIT_COUNT);
	if (purchased < -1 || reassigned < -1 || suspended < -1 || status < 0)
		return bad(r, row, "a step or the status", "is not a word skuscan writes");
	if (!date_or_empty(row->f[7], true, &date))
		return bad(r, row, "deprovision_date", "is not a date");
	c->status = (enum audit_status)status;
	c->step = previous_step(purchased == 1, reassigned == 1, suspended == 1);
	c->users_known = reassigned != -1;
	c->next_action = csvread_text(&r->p->text, row->f[6], row->len[6]);
	r->audited++;
	return 0;
}

/*
 * Opens DIR's three files from one published set (outdir_open_published).
 * Returns 0, 1 when DIR holds no reports and first_ok, or -1.
 */
static int
open_set(const char *dir, bool first_ok, int fd[F_COUNT], struct diag *d)
{
	char path[PATH_MAX];
	int err[F_COUNT];

	outdir_open_published(dir, file_name, fd, err, F_COUNT);
	/* The first run into OUTDIR: none of the reports is there yet. */
	if (first_ok && err[F_MANIFEST] == ENOENT && err[F_AFFECTED] == ENOENT &&
	    err[F_AUDIT] == ENOENT)
		return 1;
	if (fd[F_MANIFEST] < 0) {
		if (err[F_MANIFEST] == ENOENT && access(dir, F_OK) == 0)
			diag_set(d, dir, 0, "holds no skuscan reports (no manifest.csv)");
		else
			diag_set(d, dir, 0, "cannot read the earlier reports: %s",
			    strerror(err[F_MANIFEST]));
		return -1;
	}
	for (int i = 0; i < F_COUNT; i++) {
		if (fd[i] < 0) {
			snprintf(path, sizeof(path), "%s/%s", dir, file_name[i]);
			diag_set(d, path, 0, "cannot open: %s", strerror(err[i]));
			return -1;
		}
	}
	return 0;
}

static int
read_one(struct reading *r, int which, int fd, csvread_fn fn)
{
	snprintf(r->name, sizeof(r->name), "%s/%s", r->p->dir, file_name[which]);
	r->header_seen = false;
	if (csvread_fd(fd, r->name, fn, r, r->d) != 0)
		return -1;
	if (!r->header_seen) {
		diag_set(r->d, r->name, 0, "is empty: not a report skuscan wrote");
		return -1;
	}
	return 0;
}

int
previous_read(struct previous **out, const char *dir, bool first_ok, struct diag *d)
{
	struct previous *p = mem_calloc(1, sizeof(*p));
	struct reading r = { .p = p, .d = d };
	int fd[F_COUNT] = { -1, -1, -1 }, k = -1, set;

	*out = NULL;
	strmap_init(&p->by_key);
	p->dir = arena_strndup(&p->text, dir, strlen(dir));
	p->as_of = DATE_NONE;
	set = open_set(dir, first_ok, fd, d);
	if (set == 1) {
		*out = p;	/* the first run into DIR: nothing to compare with */
		return 0;
	}
	if (set == 0 && read_one(&r, F_MANIFEST, fd[F_MANIFEST], on_manifest) == 0 &&
	    read_one(&r, F_AFFECTED, fd[F_AFFECTED], on_affected) == 0 &&
	    read_one(&r, F_AUDIT, fd[F_AUDIT], on_audit) == 0) {
		k = 0;
		if (p->ninputs == 0) {
			diag_set(d, r.name, 0, "lists no inputs: not a manifest skuscan wrote");
			k = -1;
		} else if (r.audited != p->ncustomers) {
			snprintf(r.name, sizeof(r.name), "%s/%s", dir, file_name[F_AUDIT]);
			diag_set(d, r.name, 0, "has %zu customers, affected_customers.csv %zu: "
			    "not as skuscan writes them (edited by hand?)", r.audited, p->ncustomers);
			k = -1;
		}
	}
	for (int i = 0; i < F_COUNT; i++)
		if (fd[i] >= 0)
			close(fd[i]);
	buf_free(&r.fold);
	if (k != 0) {
		previous_free(p);
		return -1;
	}
	*out = p;
	return 0;
}

/* Keys compare without case, as this run's customer keys do (GUIDs). */
struct prev_customer *
previous_find(struct previous *p, const char *key, size_t n)
{
	struct strmap_entry *e;

	text_lower(&p->fold, key, n);
	e = strmap_find(&p->by_key, p->fold.data, p->fold.len);
	return e == NULL ? NULL : &p->customers[(uintptr_t)e->value - 1];
}

void
previous_free(struct previous *p)
{
	if (p == NULL)
		return;
	strmap_free(&p->by_key);
	arena_free(&p->text);
	buf_free(&p->fold);
	free(p->customers);
	free(p->inputs);
	free(p);
}

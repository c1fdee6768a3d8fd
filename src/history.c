/* history: history.csv carried forward (see history.h). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvout.h"
#include "csvread.h"
#include "history.h"
#include "text.h"
#include "outdir.h"
#include "values.h"

#define COLUMNS 9

struct reading {
	struct history *h;
	struct diag *d;
	char name[PATH_MAX];
	bool header_seen;
};

/* YYYY-MM-DDTHH:MM:SSZ, as a run writes its time. */
static bool
run_time_shape(const char *s, size_t n)
{
	static const char form[] = "dddd-dd-ddTdd:dd:ddZ";

	if (n != sizeof(form) - 1)
		return false;
	for (size_t i = 0; i < n; i++)
		if (form[i] == 'd' ? s[i] < '0' || s[i] > '9' : s[i] != form[i])
			return false;
	return true;
}

/* kind:crc32 pieces joined by ';', as a run writes its inputs. */
static bool
inputs_shape(const char *s)
{
	do {
		size_t k = strspn(s, "abcdefghijklmnopqrstuvwxyz");

		if (k == 0 || s[k] != ':' || strspn(s + k + 1, "0123456789abcdef") != 8)
			return false;
		s += k + 9;
	} while (*s++ == ';');
	return s[-1] == '\0';
}

static void
push(struct history *h, const struct history_row *r)
{
	if (h->n == h->cap) {
		h->cap = h->cap ? 2 * h->cap : 16;
		h->rows = mem_realloc(h->rows, h->cap * sizeof(*h->rows));
	}
	h->rows[h->n++] = *r;
}

static int
on_row(void *arg, const struct csvread_row *row)
{
	struct reading *r = arg;
	struct history_row x = { 0 };
	uint64_t n[COLUMNS - 3];	/* the six counts, customers_affected on */
	bool ok;

	if (!r->header_seen) {
		r->header_seen = true;
		if (!csvread_header_is(row, HISTORY_HEADER)) {
			diag_set(r->d, r->name, row->line, "not a history skuscan writes (its header "
			    "is not \"%s\")", HISTORY_HEADER);
			return -1;
		}
		return 0;
	}
	ok = row->n == COLUMNS && row->len[0] == 10 && values_iso_date(row->f[0], &x.as_of) &&
	    row->len[1] > 0;
	ok = ok && run_time_shape(row->f[1], row->len[1]) && inputs_shape(row->f[2]);
	for (int i = 3; ok && i < COLUMNS; i++)
		ok = csvread_count(row->f[i], &n[i - 3]) && n[i - 3] <= INT64_MAX;
	if (!ok) {
		diag_set(r->d, r->name, row->line, "a row not as skuscan writes it (edited by "
		    "hand?): mend or remove it, and the history goes on");
		return -1;
	}
	x.customers = n[0];
	x.seats = (int64_t)n[1];
	x.users = n[2];
	x.complete = n[3];
	x.in_progress = n[4];
	x.not_started = n[5];
	x.run_time = csvread_text(&r->h->text, row->f[1], row->len[1]);
	x.inputs = csvread_text(&r->h->text, row->f[2], row->len[2]);
	push(r->h, &x);
	return 0;
}

int
history_read(struct history *h, const char *outdir, struct diag *d)
{
	static const char *const name[1] = { "history.csv" };
	struct reading r = { .h = h, .d = d };
	int fd, err, k;

	memset(h, 0, sizeof(*h));
	snprintf(r.name, sizeof(r.name), "%s/history.csv", outdir);
	outdir_open_published(outdir, name, &fd, &err, 1);
	if (fd < 0) {
		if (err == ENOENT)
			return 0;	/* the first run with a history */
		diag_set(d, r.name, 0, "cannot open: %s", strerror(err));
		return -1;
	}
	k = csvread_fd(fd, r.name, on_row, &r, d);
	close(fd);
	return k;
}

void
history_add(struct history *h, const struct history_row *r)
{
	struct history_row x = *r;

	x.run_time = arena_strndup(&h->text, r->run_time, strlen(r->run_time));
	x.inputs = arena_strndup(&h->text, r->inputs, strlen(r->inputs));
	for (size_t i = 0; i < h->n; i++) {
		if (h->rows[i].as_of == r->as_of && strcmp(h->rows[i].inputs, r->inputs) == 0) {
			h->rows[i] = x;
			return;
		}
	}
	push(h, &x);
}

void
history_free(struct history *h)
{
	free(h->rows);
	arena_free(&h->text);
	memset(h, 0, sizeof(*h));
}

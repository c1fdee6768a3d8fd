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

static bool
count(const char *s, uint64_t *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno == 0 && *end == '\0';
}

static const char *
text_of(struct history *h, const char *s, size_t n)
{
	size_t g = csvout_unguard(s, n);

	return arena_strndup(&h->text, s + g, n - g);
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
	uint64_t seats;

	if (!r->header_seen) {
		struct buf got = { 0 };
		bool same;

		for (size_t i = 0; i < row->n; i++) {
			if (i > 0)
				buf_addc(&got, ',');
			buf_add(&got, row->f[i], row->len[i]);
		}
		buf_terminate(&got);
		same = got.len > 0 && strcmp(got.data, HISTORY_HEADER) == 0;
		buf_free(&got);
		r->header_seen = true;
		if (!same) {
			diag_set(r->d, r->name, row->line, "not a history skuscan writes (its header "
			    "is not \"%s\")", HISTORY_HEADER);
			return -1;
		}
		return 0;
	}
	if (row->n != COLUMNS || row->len[0] != 10 || !values_iso_date(row->f[0], &x.as_of) ||
	    row->len[1] == 0 || !count(row->f[3], &x.customers) || !count(row->f[4], &seats) ||
	    seats > INT64_MAX || !count(row->f[5], &x.users) || !count(row->f[6], &x.complete) ||
	    !count(row->f[7], &x.in_progress) || !count(row->f[8], &x.not_started)) {
		diag_set(r->d, r->name, row->line, "a row not as skuscan writes it (edited by "
		    "hand?): mend or remove it, and the history goes on");
		return -1;
	}
	x.seats = (int64_t)seats;
	x.run_time = text_of(r->h, row->f[1], row->len[1]);
	x.inputs = text_of(r->h, row->f[2], row->len[2]);
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

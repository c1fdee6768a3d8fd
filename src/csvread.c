/* csvread: a CSV file skuscan wrote, read back record by record (see csvread.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <csv.h>

#include "csvout.h"
#include "csvread.h"
#include "mem.h"
#include "text.h"

#define READ_BYTES (1u << 20)

struct reader {
	const char *name;
	csvread_fn fn;
	void *arg;
	struct diag *d;
	struct buf fields;		/* the record's fields, each with its NUL */
	size_t at[CSVREAD_MAX_FIELDS], len[CSVREAD_MAX_FIELDS];
	const char *f[CSVREAD_MAX_FIELDS];
	size_t n;
	bool too_many, nul, stop;
	uint64_t line, start;		/* the line being read; where the record began */
};

/* Keeps every byte as data: a report's fields are not padded. */
static int
no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static void
on_field(void *s, size_t n, void *arg)
{
	struct reader *r = arg;

	if (r->n == CSVREAD_MAX_FIELDS) {
		r->too_many = true;
		return;
	}
	if (n > 0 && memchr(s, '\0', n) != NULL)
		r->nul = true;
	r->at[r->n] = r->fields.len;
	r->len[r->n] = n;
	buf_add(&r->fields, s, n);
	buf_addc(&r->fields, '\0');
	r->n++;
}

static void
on_row(int c, void *arg)
{
	struct reader *r = arg;
	struct csvread_row row = { r->f, r->len, r->n, r->start };

	(void)c;
	if (r->stop)
		return;
	if (r->too_many || r->nul) {
		diag_set(r->d, r->name, r->start, r->too_many ? "more than %d fields" :
		    "a NUL byte in a field: not CSV as skuscan writes it", CSVREAD_MAX_FIELDS);
		r->stop = true;
		return;
	}
	for (size_t i = 0; i < r->n; i++)
		r->f[i] = r->fields.data + r->at[i];
	if (r->fn(r->arg, &row) != 0)
		r->stop = true;
	r->n = 0;
	r->fields.len = 0;
}

/*
 * Feeds libcsv a line at a time, so that each record knows the line it
 * starts on: a record begins on the line after the one where the last
 * one ended (blank lines give no record, and are counted).
 */
static void
feed(struct reader *r, struct csv_parser *p, const char *s, size_t n)
{
	while (n > 0 && !r->stop) {
		const char *nl = memchr(s, '\n', n);
		size_t k = nl != NULL ? (size_t)(nl - s) + 1 : n;

		/* libcsv's state 0: no record begun (its ROW_NOT_BEGUN). */
		if (p->pstate == 0)
			r->start = r->line;
		if (csv_parse(p, s, k, on_field, on_row, r) != k && !r->stop) {
			diag_set(r->d, r->name, r->line, "not CSV as skuscan writes it: %s",
			    csv_strerror(csv_error(p)));
			r->stop = true;
			return;
		}
		if (nl != NULL)
			r->line++;
		s += k;
		n -= k;
	}
}

int
csvread_fd(int fd, const char *name, csvread_fn fn, void *arg, struct diag *d)
{
	struct reader r = { .name = name, .fn = fn, .arg = arg, .d = d, .line = 1, .start = 1 };
	struct csv_parser p;
	char *buf = mem_alloc(READ_BYTES);
	bool first = true;
	ssize_t got;
	int err = 0;

	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
		mem_fail();
	csv_set_realloc_func(&p, mem_realloc);
	csv_set_space_func(&p, no_space);
	while (!r.stop && (got = read(fd, buf, READ_BYTES)) != 0) {
		size_t skip = 0;

		if (got < 0) {
			if (errno == EINTR)
				continue;
			err = errno;
			break;
		}
		if (first && got >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
			skip = 3;	/* --excel's byte order mark */
		first = false;
		feed(&r, &p, buf + skip, (size_t)got - skip);
	}
	if (err != 0 && !r.stop) {
		diag_set(d, name, 0, "cannot read: %s", strerror(err));
		r.stop = true;
	}
	if (!r.stop && csv_fini(&p, on_field, on_row, &r) != 0 && !r.stop) {
		diag_set(d, name, r.start, "not CSV as skuscan writes it: a quote is not closed");
		r.stop = true;
	}
	csv_free(&p);
	buf_free(&r.fields);
	free(buf);
	return r.stop ? -1 : 0;
}

int
csvread_file(const char *path, const char *name, csvread_fn fn, void *arg, struct diag *d)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), k;

	if (fd < 0) {
		diag_set(d, name, 0, "cannot open: %s", strerror(errno));
		return -1;
	}
	k = csvread_fd(fd, name, fn, arg, d);
	close(fd);
	return k;
}

bool
csvread_header_is(const struct csvread_row *row, const char *header)
{
	size_t at = 0;

	for (size_t i = 0; i < row->n; i++) {
		if (i > 0 && header[at++] != ',')
			return false;
		if (strncmp(header + at, row->f[i], row->len[i]) != 0 ||
		    memchr(header + at, '\0', row->len[i]) != NULL)
			return false;
		at += row->len[i];
	}
	return row->n > 0 && header[at] == '\0';
}

const char *
csvread_text(struct arena *a, const char *s, size_t n)
{
	size_t g = csvout_unguard(s, n);

	return arena_strndup(a, s + g, n - g);
}

bool
csvread_count(const char *s, uint64_t *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno == 0 && *end == '\0';
}

/* csvout: the CSV writer's buffers, its write-behind thread, text fields. */
#define _GNU_SOURCE	/* O_DIRECT */
#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvout.h"
#include "mem.h"
#include "text.h"
#include "values.h"

#define CSVOUT_DIRECT_ALIGN 4096u	/* a multiple of any disk's logical block */

/* A write of one full buffer, on a thread of its own. */
struct csvout_io {
	pthread_t tid;
	bool busy;	/* a write of spare is in flight */
	int fd, err;
	const char *data;
	size_t len, done;
};

struct writer {
	struct csvout pub;	/* first: a struct csvout * is a struct writer * */
	int fd;
	int err;		/* errno of the first failed write, else 0 */
	bool direct_tried, direct;	/* O_DIRECT asked for; in force */
	char *spare;		/* direct mode: the buffer being written meanwhile */
	struct csvout_io io;
	struct buf scratch, guarded, quoted;	/* field_text's */
};

static struct writer *
writer_of(struct csvout *w)
{
	return (struct writer *)w;
}

struct csvout *
csvout_new(int fd, bool excel)
{
	struct writer *v = mem_calloc(1, sizeof(*v));

	v->fd = fd;
	if (posix_memalign((void **)&v->pub.out, CSVOUT_DIRECT_ALIGN, CSVOUT_BUF) != 0)
		mem_fail();
	v->pub.first = true;
	v->pub.eol = excel ? "\r\n" : "\n";
	v->pub.eol_len = excel ? 2 : 1;
	if (excel)
		csvout_raw(&v->pub, "\xef\xbb\xbf", 3);
	return &v->pub;
}

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
	struct csvout_io *io = arg;

	io->err = write_all(io->fd, io->data, io->len, &io->done);
	return NULL;
}

/*
 * Waits for the write in flight, if any. A file system that turns out to
 * refuse direct writes (EINVAL) gets the rest of that buffer written the
 * ordinary way; any other error is kept for csvout_flush.
 */
static void
io_wait(struct writer *v)
{
	size_t done;

	if (!v->io.busy)
		return;
	pthread_join(v->io.tid, NULL);
	v->io.busy = false;
	if (v->io.err == EINVAL && v->direct && v->err == 0) {
		int fl = fcntl(v->fd, F_GETFL);

		v->direct = false;
		if (fl < 0 || fcntl(v->fd, F_SETFL, fl & ~O_DIRECT) != 0)
			v->err = errno;
		else
			v->err = write_all(v->fd, v->io.data + v->io.done, v->io.len - v->io.done,
			    &done);
	} else if (v->io.err != 0 && v->err == 0) {
		v->err = v->io.err;
	}
}

/*
 * Hands a full buffer to a thread that writes it while the next one is
 * filled: formatting and the disk then overlap. Returns false when no
 * thread could start (the caller writes it itself).
 */
static bool
write_behind(struct writer *v)
{
	char *full = v->pub.out;

	io_wait(v);
	if (v->err != 0 || !v->direct)
		return false;
	v->pub.out = v->spare;
	v->spare = full;
	v->io = (struct csvout_io){ .fd = v->fd, .data = full, .len = v->pub.len };
	if (pthread_create(&v->io.tid, NULL, io_run, &v->io) != 0) {
		v->spare = v->pub.out;
		v->pub.out = full;
		return false;
	}
	v->io.busy = true;
	v->pub.len = 0;
	return true;
}

/*
 * Writes out the buffered bytes; the first error is kept for csvout_flush.
 * A file that fills its buffer is written with O_DIRECT from then on: it
 * goes to the disk once, from this buffer, instead of being copied into
 * the page cache and written again by the fsync that publishing a report
 * needs anyway. Only whole CSVOUT_DIRECT_ALIGN blocks go that way; the
 * tail and any file system that refuses O_DIRECT get ordinary writes.
 */
static void
flush(struct writer *v, bool last)
{
	size_t direct, done;

	if (v->err != 0 || v->pub.len == 0) {
		v->pub.len = 0;
		return;
	}
	if (!v->direct_tried && !last) {
		int fl = fcntl(v->fd, F_GETFL);

		v->direct_tried = true;
		v->direct = fl >= 0 && fcntl(v->fd, F_SETFL, fl | O_DIRECT) == 0;
		if (v->direct &&
		    posix_memalign((void **)&v->spare, CSVOUT_DIRECT_ALIGN, CSVOUT_BUF) != 0)
			mem_fail();
	}
	if (v->direct && !last && v->pub.len == CSVOUT_BUF && write_behind(v))
		return;
	io_wait(v);
	if (v->err != 0) {
		v->pub.len = 0;
		return;
	}
	direct = v->pub.len - v->pub.len % CSVOUT_DIRECT_ALIGN;
	if (v->direct && direct > 0) {
		int e = write_all(v->fd, v->pub.out, direct, &done);

		/* EINVAL: this file system takes no direct writes after all. */
		if (e != 0 && e != EINVAL) {
			v->err = e;
			v->pub.len = 0;
			return;
		}
		memmove(v->pub.out, v->pub.out + done, v->pub.len - done);
		v->pub.len -= done;
	}
	if (v->pub.len == 0)
		return;
	if (v->direct) {
		int fl = fcntl(v->fd, F_GETFL);

		v->direct = false;
		if (fl < 0 || fcntl(v->fd, F_SETFL, fl & ~O_DIRECT) != 0) {
			v->err = errno;
			v->pub.len = 0;
			return;
		}
	}
	v->err = write_all(v->fd, v->pub.out, v->pub.len, &done);
	v->pub.len = 0;
}

void
csvout_spill(struct csvout *w)
{
	flush(writer_of(w), false);
}

int
csvout_flush(struct csvout *w)
{
	struct writer *v = writer_of(w);

	flush(v, true);
	io_wait(v);
	return v->err;
}

void
csvout_free(struct csvout *w)
{
	struct writer *v;

	if (w == NULL)
		return;
	v = writer_of(w);
	io_wait(v);
	free(v->pub.out);
	free(v->spare);
	buf_free(&v->scratch);
	buf_free(&v->guarded);
	buf_free(&v->quoted);
	free(v);
}

/* What a byte asks of a text field: quoting, a UTF-8 check, a rewrite. */
enum { B_QUOTE = 1, B_HIGH = 2, B_NUL = 4 };

static const unsigned char byte_class[256] = {
	[0] = B_NUL, [','] = B_QUOTE, ['"'] = B_QUOTE, ['\n'] = B_QUOTE, ['\r'] = B_QUOTE,
	[0x80 ... 0xff] = B_HIGH,
};

/* A formula's first character, as a spreadsheet reads one. */
static bool
formula_char(char c)
{
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

/*
 * A text gets the guard when it begins with a formula character, or with
 * apostrophes and then one: '=x becomes ''=x. So the guard can always be
 * undone (csvout_unguard), and the workbook shows every text as it was.
 */
bool
csvout_needs_guard(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && s[i] == '\'')
		i++;
	return i < n && formula_char(s[i]);
}

size_t
csvout_unguard(const char *s, size_t n)
{
	return n > 1 && s[0] == '\'' && csvout_needs_guard(s + 1, n - 1) ? 1 : 0;
}

/*
 * A text field as it goes in a report: made valid UTF-8, guarded against
 * formulas with a leading quote, and quoted by libcsv when it holds a
 * delimiter, quote or line end. One pass over the bytes says which of
 * these a field needs; most need none, and then *out is s itself.
 * Otherwise the text is built in v's scratch buffers. Returns its length.
 */
static size_t
field_text(struct writer *v, const char *s, size_t n, const char **out)
{
	bool guard = csvout_needs_guard(s, n);
	unsigned cls = 0;
	size_t need;

	if (!guard && text_plain(s, n)) {
		*out = s;
		return n;
	}
	for (size_t i = 0; i < n; i++)
		cls |= byte_class[(unsigned char)s[i]];
	if ((cls & B_NUL) || ((cls & B_HIGH) && !text_utf8_valid(s, n))) {
		v->scratch.len = 0;
		text_sanitize_utf8(&v->scratch, s, n);
		s = v->scratch.data;
		n = v->scratch.len;
		cls = 0;
		for (size_t i = 0; i < n; i++)
			cls |= byte_class[(unsigned char)s[i]];
	}
	if (!guard && !(cls & B_QUOTE)) {
		*out = s;
		return n;
	}
	/* The guard goes inside any quotes: '"'=A,B"' would not be text. */
	v->guarded.len = 0;
	if (guard)
		buf_addc(&v->guarded, '\'');
	buf_add(&v->guarded, s, n);
	if (!(cls & B_QUOTE)) {
		*out = v->guarded.data;
		return v->guarded.len;
	}
	need = csv_write(NULL, 0, v->guarded.data, v->guarded.len);
	if (v->quoted.cap < need + 1) {
		v->quoted.data = mem_realloc(v->quoted.data, need + 1);
		v->quoted.cap = need + 1;
	}
	csv_write(v->quoted.data, need, v->guarded.data, v->guarded.len);
	*out = v->quoted.data;
	return need;
}

void
csvout_text(struct csvout *w, const char *s, size_t n)
{
	const char *t;
	size_t k = field_text(writer_of(w), s, n, &t);

	csvout_sep(w);
	csvout_raw(w, t, k);
}

void
csvout_piece_make(struct csvout *w, struct buf *b, const char *const *fields, size_t n)
{
	b->len = 0;
	for (size_t i = 0; i < n; i++) {
		const char *t;
		size_t k = field_text(writer_of(w), fields[i], strlen(fields[i]), &t);

		if (i > 0)
			buf_addc(b, ',');
		buf_add(b, t, k);
	}
}

void
csvout_date(struct csvout *w, int32_t days)
{
	char s[11];

	csvout_sep(w);
	if (days == DATE_NONE)
		return;
	values_date_format(days, s);
	csvout_raw(w, s, 10);
}

void
csvout_file(struct csvout *w, const char *path)
{
	if (strcmp(path, "-") == 0) {
		csvout_sep(w);
		csvout_byte(w, '-');
		return;
	}
	csvout_str(w, path);
}

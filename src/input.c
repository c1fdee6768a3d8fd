/* input: plain, gzip and stdin bytes, BOMs and encodings, as UTF-8 text. */
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crc.h"
#include "inflate.h"
#include "input.h"
#include "mem.h"

#define RAW_SIZE (256 * 1024)
#define MID_SIZE (256 * 1024)
#define PUMP_SLOTS 4
#define PUMP_SLOT_SIZE (1024 * 1024)

struct pump_slot {
	char *data;
	size_t len;
};

/* The background reader's ring; head and tail count slots filled and used. */
struct pump {
	pthread_t tid;
	bool running;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct pump_slot slot[PUMP_SLOTS];
	size_t head, tail, off;
	bool eof, failed, stop;
	uint64_t stored;	/* stored bytes read, for input_bytes */
	struct diag d;
};

static void pump_free(struct input *in);
static int raw_peek(struct input *in, size_t k, struct diag *d);

struct input {
	const char *path;
	int fd;			/* -1 for memory inputs */
	const unsigned char *mem;
	size_t mem_len;
	uint64_t size;
	struct stat st;		/* a regular file's, when opened */
	uint64_t start;		/* its offset then (stdin may be part read) */

	/* Stored bytes. */
	unsigned char *raw;
	size_t raw_len, raw_pos;
	bool raw_eof;
	uint64_t raw_total;
	uint32_t crc;

	/* gzip */
	bool gzip;
	enum inflate_engine engine;
	struct inflater *z;	/* NULL until the first member */
	bool z_header;		/* a member's header is to be read next */
	bool z_member_end;	/* the last member ended: more may follow */
	bool z_done;

	/* Text stage: BOM and iconv over the decompressed bytes. */
	bool started;
	const char *encoding;	/* forced, or chosen by a BOM; NULL for UTF-8 */
	bool strip_utf8_bom;	/* after iconv, drop a leading U+FEFF */
	iconv_t cd;
	int utf16;		/* 1: UTF-16LE, 2: UTF-16BE (ASCII units taken directly), else 0 */
	unsigned char *mid;	/* decompressed bytes waiting for iconv */
	size_t mid_len, mid_pos;
	bool mid_eof;
	uint64_t mid_total;	/* decompressed bytes handed to iconv */
	const char *what;
	struct pump *pump;	/* background reader, or NULL */
};

/*
 * Reads up to cap stored bytes into dst, counting them and their CRC.
 * Returns the count (0 at the end, which also sets raw_eof) or -1.
 */
static ssize_t
raw_read_into(struct input *in, unsigned char *dst, size_t cap, struct diag *d)
{
	ssize_t n;

	if (in->fd < 0) {
		size_t k = in->mem_len - (size_t)in->raw_total;

		if (k > cap)
			k = cap;
		memcpy(dst, in->mem + in->raw_total, k);
		n = (ssize_t)k;
	} else {
		do
			n = read(in->fd, dst, cap);
		while (n < 0 && errno == EINTR);
	}
	if (n < 0) {
		diag_set(d, in->path, 0, "cannot read: %s", strerror(errno));
		return -1;
	}
	if (n == 0 && input_changed(in, in->raw_total, d))
		return -1;
	if (n == 0)
		in->raw_eof = true;
	in->raw_total += (uint64_t)n;
	in->crc = crc_update(in->crc, dst, (size_t)n);
	return n;
}

/*
 * A regular file that is not as it was when opened (the next export job
 * rewriting it in place, or appending): its size, its modification time
 * or the count of bytes read differ. The reports must describe the bytes read,
 * and a part of a file is not the file.
 */
bool
input_changed(const struct input *in, uint64_t read, struct diag *d)
{
	struct stat now;

	if (in->fd < 0 || !S_ISREG(in->st.st_mode))
		return false;
	if (fstat(in->fd, &now) != 0)
		now.st_size = 0;
	else if (now.st_size == in->st.st_size &&
	    (uint64_t)now.st_size == in->start + read &&
	    now.st_mtim.tv_sec == in->st.st_mtim.tv_sec &&
	    now.st_mtim.tv_nsec == in->st.st_mtim.tv_nsec)
		return false;
	diag_set(d, in->path, 0, "changed while it was read (%llu bytes when opened, "
	    "%llu read, %llu now): nothing published", (unsigned long long)in->st.st_size,
	    (unsigned long long)read, (unsigned long long)now.st_size);
	return true;
}

/* Refills in->raw once it is used up; returns -1 on a read error. */
static int
raw_fill(struct input *in, struct diag *d)
{
	ssize_t n;

	if (in->raw_pos < in->raw_len || in->raw_eof)
		return 0;
	in->raw_pos = in->raw_len = 0;
	n = raw_read_into(in, in->raw, RAW_SIZE, d);
	if (n < 0)
		return -1;
	in->raw_len = (size_t)n;
	return 0;
}

/* Refuses the other compressed formats, which would be read as binary text. */
static int
sniff(struct input *in, struct diag *d)
{
	const unsigned char *p = in->raw;
	size_t n = in->raw_len;

	if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b) {
		in->gzip = true;
		in->what = "gzip";
		return 0;
	}
	if (n >= 4 && memcmp(p, "PK\3\4", 4) == 0)
		diag_set(d, in->path, 0, "is a zip archive, not a CSV or gzip file");
	else if (n >= 3 && memcmp(p, "BZh", 3) == 0)
		diag_set(d, in->path, 0, "is bzip2-compressed; only gzip is read (bunzip2 it first)");
	else if (n >= 6 && memcmp(p, "\xfd" "7zXZ\0", 6) == 0)
		diag_set(d, in->path, 0, "is xz-compressed; only gzip is read (unxz it first)");
	else if (n >= 4 && memcmp(p, "\x28\xb5\x2f\xfd", 4) == 0)
		diag_set(d, in->path, 0, "is zstd-compressed; only gzip is read (unzstd it first)");
	else
		return 0;
	return -1;
}

int
input_open(struct input **out, const char *path, const char *encoding, struct diag *d)
{
	struct input *in;
	struct stat st;
	int fd;

	*out = NULL;
	if (strcmp(path, "-") == 0) {
		fd = STDIN_FILENO;
	} else {
		do
			fd = open(path, O_RDONLY | O_CLOEXEC);
		while (fd < 0 && errno == EINTR);
		if (fd < 0) {
			diag_set(d, path, 0, "cannot open: %s", strerror(errno));
			return -1;
		}
	}
	if (fstat(fd, &st) != 0) {
		diag_set(d, path, 0, "cannot stat: %s", strerror(errno));
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		diag_set(d, path, 0, "is a directory, not a file");
		goto fail;
	}
	in = mem_calloc(1, sizeof(*in));
	in->path = path;
	in->fd = fd;
	in->size = S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
	in->st = st;
	if (S_ISREG(st.st_mode)) {
		off_t at = lseek(fd, 0, SEEK_CUR);

		in->start = at > 0 ? (uint64_t)at : 0;
	}
	in->raw = mem_alloc(RAW_SIZE);
	in->crc = 0;
	in->encoding = encoding;
	in->cd = (iconv_t)-1;
	in->what = "text";
	/* As many bytes as the longest magic number sniff looks for. */
	if (raw_peek(in, 6, d) != 0) {
		input_close(in);
		return -1;
	}
	if (in->raw_len == 0) {
		diag_set(d, path, 0, "is empty (0 bytes)");
		input_close(in);
		return -1;
	}
	if (sniff(in, d) != 0) {
		input_close(in);
		return -1;
	}
	*out = in;
	return 0;
fail:
	if (fd != STDIN_FILENO)
		close(fd);
	return -1;
}

struct input *
input_open_mem(const char *name, const char *data, size_t n)
{
	struct input *in = mem_calloc(1, sizeof(*in));

	in->path = name;
	in->fd = -1;
	in->mem = (const unsigned char *)data;
	in->mem_len = n;
	in->size = n;
	in->raw = mem_alloc(RAW_SIZE);
	in->crc = 0;
	in->cd = (iconv_t)-1;
	in->what = "text";
	return in;
}

/*
 * Makes at least k (at most RAW_SIZE) stored bytes available unless the
 * file ends first: a pipe may hand over a magic number a byte at a time.
 */
static int
raw_peek(struct input *in, size_t k, struct diag *d)
{
	if (raw_fill(in, d) != 0)
		return -1;
	if (in->raw_len - in->raw_pos < k && in->raw_pos > 0) {
		memmove(in->raw, in->raw + in->raw_pos, in->raw_len - in->raw_pos);
		in->raw_len -= in->raw_pos;
		in->raw_pos = 0;
	}
	while (in->raw_len - in->raw_pos < k && !in->raw_eof) {
		ssize_t n = raw_read_into(in, in->raw + in->raw_len, RAW_SIZE - in->raw_len, d);

		if (n < 0)
			return -1;
		in->raw_len += (size_t)n;
	}
	return 0;
}

/* After a gzip member ends: another member, the end, or junk (an error). */
static int
gz_next_member(struct input *in, struct diag *d)
{
	const unsigned char *p;

	if (raw_peek(in, 2, d) != 0)
		return -1;
	if (in->raw_pos == in->raw_len) {
		in->z_done = true;
		return 0;
	}
	p = in->raw + in->raw_pos;
	if (in->raw_len - in->raw_pos < 2 || p[0] != 0x1f || p[1] != 0x8b) {
		diag_set(d, in->path, 0,
		    "unexpected bytes after the gzip data at byte %llu: the file is damaged",
		    (unsigned long long)(in->raw_total - (in->raw_len - in->raw_pos)));
		return -1;
	}
	in->z_member_end = false;
	in->z_header = true;
	return 0;
}

static int
gz_truncated(struct input *in, struct diag *d)
{
	diag_set(d, in->path, 0, "gzip data ends early (truncated file, %llu bytes)",
	    (unsigned long long)in->raw_total);
	return -1;
}

/* The next stored byte into *c; -1 with d filled at the end or on error. */
static int
gz_byte(struct input *in, unsigned char *c, struct diag *d)
{
	if (raw_fill(in, d) != 0)
		return -1;
	if (in->raw_pos == in->raw_len)
		return gz_truncated(in, d);
	*c = in->raw[in->raw_pos++];
	return 0;
}

static int
gz_skip_string(struct input *in, struct diag *d)
{
	unsigned char c;

	do
		if (gz_byte(in, &c, d) != 0)
			return -1;
	while (c != 0);
	return 0;
}

/* A member's header (RFC 1952): the inflater takes the raw deflate data. */
static int
gz_member_header(struct input *in, struct diag *d)
{
	unsigned char h[10], c;

	for (int i = 0; i < 10; i++)
		if (gz_byte(in, &h[i], d) != 0)
			return -1;
	if (h[0] != 0x1f || h[1] != 0x8b || h[2] != 8 || (h[3] & 0xe0) != 0) {
		diag_set(d, in->path, 0, "corrupt gzip data (bad member header)");
		return -1;
	}
	if (h[3] & 4) {		/* FEXTRA */
		unsigned char lo, hi;

		if (gz_byte(in, &lo, d) != 0 || gz_byte(in, &hi, d) != 0)
			return -1;
		for (unsigned k = lo | (unsigned)hi << 8; k > 0; k--)
			if (gz_byte(in, &c, d) != 0)
				return -1;
	}
	if ((h[3] & 8) && gz_skip_string(in, d) != 0)	/* FNAME */
		return -1;
	if ((h[3] & 16) && gz_skip_string(in, d) != 0)	/* FCOMMENT */
		return -1;
	if (h[3] & 2)		/* FHCRC */
		for (int i = 0; i < 2; i++)
			if (gz_byte(in, &c, d) != 0)
				return -1;
	inflater_reset(in->z);
	in->z_header = false;
	return 0;
}

/*
 * Inflated bytes into buf: members one after another, each checked by its
 * trailer. Returns the count, 0 after the last member, or -1.
 */
static ssize_t
gz_read(struct input *in, unsigned char *buf, size_t n, struct diag *d)
{
	unsigned char *out = buf;
	size_t room = n;

	while (room == n && !in->z_done) {
		const unsigned char *ip;
		size_t left;
		enum inflate_status st;

		if (in->z_member_end) {
			if (gz_next_member(in, d) != 0)
				return -1;
			continue;
		}
		if (in->z_header) {
			if (gz_member_header(in, d) != 0)
				return -1;
			continue;
		}
		if (raw_fill(in, d) != 0)
			return -1;
		ip = in->raw + in->raw_pos;
		left = in->raw_len - in->raw_pos;
		/* With no input left the inflater still hands out what it holds. */
		st = inflater_run(in->z, &ip, &left, &out, &room);
		in->raw_pos = in->raw_len - left;
		if (st == INFLATE_END) {
			in->z_member_end = true;
		} else if (st == INFLATE_CORRUPT) {
			diag_set(d, in->path, 0, "corrupt gzip data (invalid compressed data)");
			return -1;
		} else if (st == INFLATE_BAD_CHECK) {
			diag_set(d, in->path, 0,
			    "corrupt gzip data (the CRC-32 or length in its trailer does not match)");
			return -1;
		} else if (room == n && in->raw_pos == in->raw_len && in->raw_eof) {
			return gz_truncated(in, d);
		}
	}
	return (ssize_t)(n - room);
}

/* Decompressed (or plain) bytes into buf; 0 at the end, -1 on error. */
static ssize_t
stored_read(struct input *in, unsigned char *buf, size_t n, struct diag *d)
{
	if (!in->gzip) {
		size_t k;

		if (raw_fill(in, d) != 0)
			return -1;
		k = in->raw_len - in->raw_pos;
		if (k > n)
			k = n;
		memcpy(buf, in->raw + in->raw_pos, k);
		in->raw_pos += k;
		return (ssize_t)k;
	}
	if (in->z == NULL) {
		in->z = inflater_new(in->engine);
		in->z_header = true;
	}
	return gz_read(in, buf, n, d);
}

/* Looks at the first decompressed bytes for a byte order mark. */
static int
text_start(struct input *in, struct diag *d)
{
	ssize_t k;

	in->started = true;
	in->mid = mem_alloc(MID_SIZE);
	while (in->mid_len < 4) {
		k = stored_read(in, in->mid + in->mid_len, MID_SIZE - in->mid_len, d);
		if (k < 0)
			return -1;
		if (k == 0) {
			in->mid_eof = true;
			break;
		}
		in->mid_len += (size_t)k;
	}
	if (in->encoding == NULL) {
		if (in->mid_len >= 3 && memcmp(in->mid, "\xef\xbb\xbf", 3) == 0) {
			in->mid_pos = 3;
		} else if (in->mid_len >= 2 && memcmp(in->mid, "\xff\xfe", 2) == 0) {
			in->encoding = "UTF-16LE";
			in->mid_pos = 2;
		} else if (in->mid_len >= 2 && memcmp(in->mid, "\xfe\xff", 2) == 0) {
			in->encoding = "UTF-16BE";
			in->mid_pos = 2;
		}
	} else {
		in->strip_utf8_bom = true;
	}
	if (in->encoding != NULL) {
		if (strcasecmp(in->encoding, "UTF-16LE") == 0)
			in->utf16 = 1;
		else if (strcasecmp(in->encoding, "UTF-16BE") == 0)
			in->utf16 = 2;
		in->cd = iconv_open("UTF-8", in->encoding);
		if (in->cd == (iconv_t)-1) {
			diag_set(d, in->path, 0, "unknown encoding '%s'", in->encoding);
			return -1;
		}
		in->what = in->encoding;
	}
	return 0;
}

/*
 * The UTF-16 code units below 0x80 at the start of p[0, n) (at most max
 * of them) as bytes into out, 8 at a time: glibc's iconv takes 38% of a
 * run over an export saved as "Unicode text", nearly all of it ASCII.
 * be: big-endian. Returns how many units it took.
 */
static size_t
utf16_ascii(const unsigned char *p, size_t n, char *out, size_t max, bool be)
{
	/* Each unit's high byte, and bit 7 of its low byte, must be 0. */
	static const unsigned char le[8] = { 0x80, 0xff, 0x80, 0xff, 0x80, 0xff, 0x80, 0xff };
	static const unsigned char bem[8] = { 0xff, 0x80, 0xff, 0x80, 0xff, 0x80, 0xff, 0x80 };
	size_t units = n / 2 < max ? n / 2 : max, i = 0;
	uint64_t mask;

	memcpy(&mask, be ? bem : le, 8);	/* in memory order, whatever the host's */

	for (; i + 8 <= units; i += 8) {
		uint64_t a, b;

		memcpy(&a, p + 2 * i, 8);
		memcpy(&b, p + 2 * i + 8, 8);
		if (((a | b) & mask) != 0)
			break;
		for (size_t k = 0; k < 8; k++)
			out[i + k] = (char)p[2 * (i + k) + be];
	}
	for (; i < units && p[2 * i + !be] == 0 && p[2 * i + be] < 0x80; i++)
		out[i] = (char)p[2 * i + be];
	return i;
}

/*
 * How much of p[0, n) to give iconv after utf16_ascii stopped: the units
 * up to the next ASCII one, and that one too, so that a surrogate left
 * unpaired before it is refused as iconv refuses it in a whole text,
 * rather than read as a character cut off; all of it when no ASCII unit
 * follows.
 */
static size_t
utf16_other(const unsigned char *p, size_t n, bool be)
{
	for (size_t i = 2; i + 1 < n; i += 2)
		if (p[i + !be] == 0 && p[i + be] < 0x80)
			return i + 2;
	return n;
}

/*
 * iconv for UTF-16LE or BE, with the runs of ASCII units taken by
 * utf16_ascii and iconv called for the units between them: the same
 * bytes out, and the same errors at the same places, as one iconv call.
 */
static size_t
utf16_convert(struct input *in, char **ip, size_t *il, char **op, size_t *ol)
{
	bool be = in->utf16 == 2;

	for (;;) {
		size_t k = utf16_ascii((unsigned char *)*ip, *il, *op, *ol, be), rest = 0, rc;

		*ip += 2 * k;
		*il -= 2 * k;
		*op += k;
		*ol -= k;
		if (*il == 0)
			return 0;
		if (*ol == 0) {
			errno = E2BIG;
			return (size_t)-1;
		}
		if (*il >= 2)
			rest = *il - utf16_other((unsigned char *)*ip, *il, be);
		*il -= rest;
		rc = iconv(in->cd, ip, il, op, ol);
		*il += rest;
		if (rc == (size_t)-1 || rest == 0)
			return rc;
	}
}

/* iconv from mid into buf; keeps an incomplete sequence for the next call. */
static ssize_t
convert_read(struct input *in, char *buf, size_t n, struct diag *d)
{
	for (;;) {
		char *ip = (char *)in->mid + in->mid_pos, *op = buf;
		size_t il = in->mid_len - in->mid_pos, ol = n;
		size_t rc;

		if (il == 0 && in->mid_eof)
			return 0;
		rc = in->utf16 != 0 ? utf16_convert(in, &ip, &il, &op, &ol) :
		    iconv(in->cd, il ? &ip : NULL, &il, &op, &ol);
		in->mid_total += (uint64_t)((unsigned char *)ip - (in->mid + in->mid_pos));
		in->mid_pos = (size_t)((unsigned char *)ip - in->mid);
		if (rc == (size_t)-1 && errno == EILSEQ) {
			diag_set(d, in->path, 0,
			    "byte %llu of the text is not valid %s",
			    (unsigned long long)in->mid_total + 1, in->encoding);
			return -1;
		}
		if (rc == (size_t)-1 && errno == EINVAL && in->mid_eof) {
			diag_set(d, in->path, 0, "the text ends inside a %s character",
			    in->encoding);
			return -1;
		}
		if (op > buf)
			return op - buf;
		/* Nothing produced: move the leftover down and read more. */
		memmove(in->mid, in->mid + in->mid_pos, in->mid_len - in->mid_pos);
		in->mid_len -= in->mid_pos;
		in->mid_pos = 0;
		if (in->mid_eof)
			continue;
		{
			ssize_t k = stored_read(in, in->mid + in->mid_len, MID_SIZE - in->mid_len, d);

			if (k < 0)
				return -1;
			if (k == 0)
				in->mid_eof = true;
			in->mid_len += (size_t)k;
		}
	}
}

/* input_read's work, on whichever thread reads the stored file. */
static ssize_t
text_read(struct input *in, char *buf, size_t n, struct diag *d)
{
	ssize_t k;

	if (!in->started && text_start(in, d) != 0)
		return -1;
	if (in->encoding == NULL) {
		/* UTF-8: first what text_start buffered, then straight reads. */
		if (in->mid_pos < in->mid_len) {
			size_t m = in->mid_len - in->mid_pos;

			if (m > n)
				m = n;
			memcpy(buf, in->mid + in->mid_pos, m);
			in->mid_pos += m;
			return (ssize_t)m;
		}
		if (in->mid_eof)
			return 0;
		return stored_read(in, (unsigned char *)buf, n, d);
	}
	k = convert_read(in, buf, n, d);
	if (k > 0 && in->strip_utf8_bom) {
		in->strip_utf8_bom = false;
		if (k >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
			memmove(buf, buf + 3, (size_t)k - 3);
			k -= 3;
			if (k == 0)
				return text_read(in, buf, n, d);
		}
	}
	return k;
}

/*
 * The background reader: inflates or converts into a ring of slots while
 * the caller's thread parses, so that a gzip export costs about as long as
 * inflating it alone.
 */
static void *
pump_run(void *arg)
{
	struct input *in = arg;
	struct pump *p = in->pump;

	/*
	 * Cancelled only while reading: input_close may have to stop a read
	 * from a pipe whose writer never ends (a fatal error elsewhere).
	 */
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
	for (;;) {
		struct pump_slot *sl;
		size_t len = 0;
		ssize_t k = 0;
		struct diag d;

		pthread_mutex_lock(&p->mu);
		while (p->head - p->tail == PUMP_SLOTS && !p->stop)
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->stop) {
			pthread_mutex_unlock(&p->mu);
			break;
		}
		sl = &p->slot[p->head % PUMP_SLOTS];
		pthread_mutex_unlock(&p->mu);
		/* One read a slot: what a pipe has so far is passed on at once. */
		pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, NULL);
		k = text_read(in, sl->data, PUMP_SLOT_SIZE, &d);
		pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
		if (k > 0)
			len = (size_t)k;
		pthread_mutex_lock(&p->mu);
		sl->len = len;
		if (len > 0)
			p->head++;
		p->stored = in->raw_total;
		if (k < 0) {
			p->failed = true;
			p->d = d;
		} else if (k == 0) {
			p->eof = true;
		}
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
		if (k <= 0)
			break;
	}
	return NULL;
}

void
input_inflate_with(struct input *in, enum inflate_engine e)
{
	in->engine = e;
}

void
input_background(struct input *in)
{
	struct pump *p;

	if (in->pump != NULL || in->started)
		return;
	p = mem_calloc(1, sizeof(*p));
	for (int i = 0; i < PUMP_SLOTS; i++)
		p->slot[i].data = mem_alloc(PUMP_SLOT_SIZE);
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	in->pump = p;
	if (pthread_create(&p->tid, NULL, pump_run, in) != 0) {
		pump_free(in);	/* read on this thread instead */
		return;
	}
	p->running = true;
}

static void
pump_free(struct input *in)
{
	struct pump *p = in->pump;

	if (p == NULL)
		return;
	if (p->running) {
		bool done;

		pthread_mutex_lock(&p->mu);
		p->stop = true;
		done = p->eof || p->failed;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
		if (!done)
			pthread_cancel(p->tid);
		pthread_join(p->tid, NULL);
	}
	for (int i = 0; i < PUMP_SLOTS; i++)
		free(p->slot[i].data);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p);
	in->pump = NULL;
}

/* Takes the next bytes from the background reader's ring. */
static ssize_t
pump_read(struct input *in, char *buf, size_t n, struct diag *d)
{
	struct pump *p = in->pump;
	struct pump_slot *sl;
	size_t k;

	pthread_mutex_lock(&p->mu);
	while (p->head == p->tail && !p->eof && !p->failed)
		pthread_cond_wait(&p->cv, &p->mu);
	if (p->head == p->tail) {
		bool failed = p->failed;

		if (failed && d != NULL)
			*d = p->d;
		pthread_mutex_unlock(&p->mu);
		return failed ? -1 : 0;
	}
	sl = &p->slot[p->tail % PUMP_SLOTS];
	pthread_mutex_unlock(&p->mu);
	k = sl->len - p->off < n ? sl->len - p->off : n;
	memcpy(buf, sl->data + p->off, k);
	p->off += k;
	if (p->off == sl->len) {
		p->off = 0;
		pthread_mutex_lock(&p->mu);
		p->tail++;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
	return (ssize_t)k;
}

ssize_t
input_read(struct input *in, char *buf, size_t n, struct diag *d)
{
	if (in->pump != NULL)
		return pump_read(in, buf, n, d);
	return text_read(in, buf, n, d);
}

int
input_fd(const struct input *in)
{
	return in->fd;
}

bool
input_is_gzip(const struct input *in)
{
	return in->gzip;
}

uint64_t
input_bytes(const struct input *in)
{
	uint64_t n;

	if (in->pump == NULL)
		return in->raw_total;
	pthread_mutex_lock(&in->pump->mu);
	n = in->pump->stored;
	pthread_mutex_unlock(&in->pump->mu);
	return n;
}

uint32_t
input_crc(const struct input *in)
{
	return in->crc;
}

uint64_t
input_size(const struct input *in)
{
	return in->size;
}

const char *
input_describe(const struct input *in)
{
	return in->what;
}

void
input_close(struct input *in)
{
	if (in == NULL)
		return;
	pump_free(in);
	inflater_free(in->z);
	if (in->cd != (iconv_t)-1)
		iconv_close(in->cd);
	if (in->fd > STDIN_FILENO)
		close(in->fd);
	free(in->raw);
	free(in->mid);
	free(in);
}

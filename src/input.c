/* input: plain, gzip and stdin bytes, BOMs and encodings, as UTF-8 text. */
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "crc.h"
#include "input.h"
#include "mem.h"

#define RAW_SIZE (256 * 1024)
#define MID_SIZE (256 * 1024)

struct input {
	const char *path;
	int fd;			/* -1 for memory inputs */
	const unsigned char *mem;
	size_t mem_len;
	uint64_t size;

	/* Stored bytes. */
	unsigned char *raw;
	size_t raw_len, raw_pos;
	bool raw_eof;
	uint64_t raw_total;
	uint32_t crc;

	/* gzip */
	bool gzip;
	bool z_ready;
	bool z_member_end;	/* the last member ended: more may follow */
	bool z_done;
	z_stream zs;

	/* Text stage: BOM and iconv over the decompressed bytes. */
	bool started;
	const char *encoding;	/* forced, or chosen by a BOM; NULL for UTF-8 */
	bool strip_utf8_bom;	/* after iconv, drop a leading U+FEFF */
	iconv_t cd;
	unsigned char *mid;	/* decompressed bytes waiting for iconv */
	size_t mid_len, mid_pos;
	bool mid_eof;
	uint64_t mid_total;	/* decompressed bytes handed to iconv */
	const char *what;
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
	if (n == 0)
		in->raw_eof = true;
	in->raw_total += (uint64_t)n;
	in->crc = crc_update(in->crc, dst, (size_t)n);
	return n;
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

/* Refuses the compressed formats zlib would otherwise pass through as binary. */
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
	in->raw = mem_alloc(RAW_SIZE);
	in->crc = 0;
	in->encoding = encoding;
	in->cd = (iconv_t)-1;
	in->what = "text";
	if (raw_fill(in, d) != 0) {
		input_close(in);
		return -1;
	}
	if (in->raw_eof) {
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

/* Makes at least two stored bytes available unless the file ends first. */
static int
raw_peek2(struct input *in, struct diag *d)
{
	if (raw_fill(in, d) != 0)
		return -1;
	if (in->raw_len - in->raw_pos == 1 && !in->raw_eof) {
		ssize_t n;

		in->raw[0] = in->raw[in->raw_pos];
		in->raw_pos = 0;
		in->raw_len = 1;
		n = raw_read_into(in, in->raw + 1, RAW_SIZE - 1, d);
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

	if (raw_peek2(in, d) != 0)
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
	if (inflateReset(&in->zs) != Z_OK) {
		diag_set(d, in->path, 0, "gzip: cannot restart inflate");
		return -1;
	}
	in->z_member_end = false;
	return 0;
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
	if (!in->z_ready) {
		memset(&in->zs, 0, sizeof(in->zs));
		if (inflateInit2(&in->zs, 15 + 16) != Z_OK) {
			diag_set(d, in->path, 0, "gzip: cannot start inflate");
			return -1;
		}
		in->z_ready = true;
	}
	if (n > UINT32_MAX)
		n = UINT32_MAX;
	in->zs.next_out = buf;
	in->zs.avail_out = (uInt)n;
	while (in->zs.avail_out == n && !in->z_done) {
		int rc;

		if (in->z_member_end) {
			if (gz_next_member(in, d) != 0)
				return -1;
			continue;
		}
		if (raw_fill(in, d) != 0)
			return -1;
		if (in->raw_pos == in->raw_len && in->raw_eof) {
			diag_set(d, in->path, 0,
			    "gzip data ends early (truncated file, %llu bytes)",
			    (unsigned long long)in->raw_total);
			return -1;
		}
		in->zs.next_in = in->raw + in->raw_pos;
		in->zs.avail_in = (uInt)(in->raw_len - in->raw_pos);
		rc = inflate(&in->zs, Z_NO_FLUSH);
		in->raw_pos = in->raw_len - in->zs.avail_in;
		if (rc == Z_STREAM_END) {
			in->z_member_end = true;
		} else if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT) {
			diag_set(d, in->path, 0, "corrupt gzip data (%s)",
			    in->zs.msg ? in->zs.msg : "data error");
			return -1;
		} else if (rc == Z_MEM_ERROR) {
			diag_set(d, in->path, 0, "out of memory while inflating");
			return -1;
		} else if (rc != Z_OK && rc != Z_BUF_ERROR) {
			diag_set(d, in->path, 0, "gzip error %d", rc);
			return -1;
		}
	}
	return (ssize_t)(n - in->zs.avail_out);
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
		in->cd = iconv_open("UTF-8", in->encoding);
		if (in->cd == (iconv_t)-1) {
			diag_set(d, in->path, 0, "unknown encoding '%s'", in->encoding);
			return -1;
		}
		in->what = in->encoding;
	}
	return 0;
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
		rc = iconv(in->cd, il ? &ip : NULL, &il, &op, &ol);
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

ssize_t
input_read(struct input *in, char *buf, size_t n, struct diag *d)
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
				return input_read(in, buf, n, d);
		}
	}
	return k;
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
	return in->raw_total;
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
	if (in->z_ready)
		inflateEnd(&in->zs);
	if (in->cd != (iconv_t)-1)
		iconv_close(in->cd);
	if (in->fd > STDIN_FILENO)
		close(in->fd);
	free(in->raw);
	free(in->mid);
	free(in);
}

/*
 * test_input: standard input from a pipe that hands over its first byte
 * alone, as a slow writer's does: a gzip stream is still known by its
 * magic number, and an xz one still refused.
 */
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "check.h"
#include "input.h"

/* data as one gzip member (zlib's gzip wrapper); *n its length. */
static unsigned char *
gzip_of(const char *data, size_t *n)
{
	z_stream zs = { 0 };
	size_t cap = strlen(data) + 128;
	unsigned char *out = malloc(cap);

	deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
	zs.next_in = (Bytef *)data;
	zs.avail_in = (uInt)strlen(data);
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	deflate(&zs, Z_FINISH);
	*n = cap - zs.avail_out;
	deflateEnd(&zs);
	return out;
}

/*
 * Opens "-" with a child writing bytes into standard input: the first
 * byte, a pause, then the rest. Returns input_open's status; *text gets
 * what input_read gave (NUL-ended), *msg the diagnostic.
 */
static int
open_dribbled(const unsigned char *bytes, size_t n, char *text, size_t cap, char *msg,
    size_t msgcap)
{
	int p[2], saved = dup(STDIN_FILENO), rc;
	pid_t pid;
	struct input *in = NULL;
	struct diag d;

	memset(&d, 0, sizeof(d));
	text[0] = msg[0] = '\0';
	if (saved < 0 || pipe(p) != 0)
		return -2;
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		if (write(p[1], bytes, 1) != 1)
			_exit(1);
		usleep(50000);
		if (write(p[1], bytes + 1, n - 1) != (ssize_t)(n - 1))
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	dup2(p[0], STDIN_FILENO);
	close(p[0]);
	rc = input_open(&in, "-", NULL, &d);
	if (rc == 0) {
		size_t got = 0;
		ssize_t k;

		while (got + 1 < cap && (k = input_read(in, text + got, cap - 1 - got, &d)) > 0)
			got += (size_t)k;
		text[got] = '\0';
		input_close(in);
	} else {
		snprintf(msg, msgcap, "%s", d.msg);
	}
	dup2(saved, STDIN_FILENO);
	close(saved);
	waitpid(pid, NULL, 0);
	return rc;
}

static uint64_t u16_rng = 0x2545f4914f6cdd1du;

static unsigned
u16_rnd(unsigned n)
{
	return check_random(&u16_rng, n);
}

/* Appends the code unit u to p at *n, in the byte order be says. */
static void
u16_put(unsigned char *p, size_t *n, unsigned u, bool be)
{
	p[(*n)++] = (unsigned char)(be ? u >> 8 : u & 0xff);
	p[(*n)++] = (unsigned char)(be ? u & 0xff : u >> 8);
}

/*
 * UTF-16 with a byte order mark, read as input_read gives it, against one
 * iconv call over the whole text: random mixes of ASCII, other BMP
 * characters, surrogate pairs, NUL, and now and then an unpaired
 * surrogate or an odd last byte; some texts longer than the 256 KiB that
 * input_read converts at a time, read in pieces of every size from 4.
 */
static void
test_utf16_random(void)
{
	static const unsigned other[] = { 0xe9, 0xfc, 0x4e2d, 0xac00, 0xfeff, 0x2028, 0x80, 0x7ff };
	size_t cap = 700000;
	unsigned char *text = malloc(cap);
	char *want = malloc(2 * cap), *got = malloc(2 * cap);

	for (int iter = 0; iter < 300; iter++) {
		bool be = iter % 2, bad = u16_rnd(8) == 0;
		size_t n = 0, units = iter % 25 == 0 ? 200000 + u16_rnd(140000) : u16_rnd(400);
		size_t wantlen, gotlen = 0, piece = 4 + u16_rnd(iter % 3 ? 70000 : 7);
		char msg[4096] = "", wantmsg[256] = "";
		iconv_t cd = iconv_open("UTF-8", be ? "UTF-16BE" : "UTF-16LE");
		char *ip, *op;
		size_t il, ol;
		struct input *in;
		struct diag d;
		ssize_t k;

		u16_put(text, &n, 0xfeff, be);
		for (size_t i = 0; i < units; i++) {
			unsigned r = u16_rnd(100);

			if (r < 80)
				u16_put(text, &n, 32 + u16_rnd(95), be);
			else if (r < 90)
				u16_put(text, &n, other[u16_rnd(8)], be);
			else if (r < 95) {
				u16_put(text, &n, 0xd83d, be);
				u16_put(text, &n, 0xde00 + u16_rnd(64), be);
			} else if (r < 97)
				u16_put(text, &n, '\n', be);
			else if (r < 98)
				u16_put(text, &n, 0, be);
			else if (bad && u16_rnd(4) == 0)
				u16_put(text, &n, u16_rnd(2) ? 0xd800 : 0xdc00, be);
			else
				u16_put(text, &n, 'a', be);
		}
		if (bad && u16_rnd(4) == 0)
			text[n++] = 'x';
		/* What one iconv call makes of the text after its byte order mark. */
		ip = (char *)text + 2;
		il = n - 2;
		op = want;
		ol = 2 * cap;
		if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 && errno == EILSEQ)
			snprintf(wantmsg, sizeof(wantmsg), "mem.csv: byte %zu of the text is not valid %s",
			    (size_t)(ip - (char *)text - 2) + 1, be ? "UTF-16BE" : "UTF-16LE");
		else if (il > 0)
			snprintf(wantmsg, sizeof(wantmsg), "mem.csv: the text ends inside a %s character",
			    be ? "UTF-16BE" : "UTF-16LE");
		wantlen = (size_t)(op - want);
		iconv_close(cd);

		memset(&d, 0, sizeof(d));
		in = input_open_mem("mem.csv", (const char *)text, n);
		while ((k = input_read(in, got + gotlen, piece, &d)) > 0)
			gotlen += (size_t)k;
		if (k < 0)
			snprintf(msg, sizeof(msg), "%s: %s", d.file, d.msg);
		input_close(in);
		if (wantmsg[0] != '\0') {
			CHECK_STR_EQ(msg, wantmsg);
			continue;
		}
		CHECK_STR_EQ(msg, "");
		CHECK_INT_EQ(gotlen, wantlen);
		CHECK(memcmp(got, want, wantlen) == 0);
	}
	free(text);
	free(want);
	free(got);
}

void
test_input(void)
{
	const char *csv = "CustomerId,OfferName\nc1,Dynamics 365\n";
	char text[256], msg[2048];
	size_t n;
	unsigned char *gz = gzip_of(csv, &n);
	static const unsigned char xz[] = { 0xfd, '7', 'z', 'X', 'Z', 0, 1, 2, 3, 4 };

	CHECK_INT_EQ(open_dribbled(gz, n, text, sizeof(text), msg, sizeof(msg)), 0);
	CHECK_STR_EQ(text, csv);
	CHECK_INT_EQ(open_dribbled((const unsigned char *)csv, strlen(csv), text, sizeof(text),
	    msg, sizeof(msg)), 0);
	CHECK_STR_EQ(text, csv);
	CHECK_INT_EQ(open_dribbled(xz, sizeof(xz), text, sizeof(text), msg, sizeof(msg)), -1);
	CHECK_CONTAINS(msg, "xz-compressed");
	/* A file shorter than the longest magic number is read whole. */
	CHECK_INT_EQ(open_dribbled((const unsigned char *)"a,b\n", 4, text, sizeof(text), msg,
	    sizeof(msg)), 0);
	CHECK_STR_EQ(text, "a,b\n");
	free(gz);
	test_utf16_random();
}

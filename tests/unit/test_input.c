/*
 * test_input: standard input from a pipe that hands over its first byte
 * alone, as a slow writer's does: a gzip stream is still known by its
 * magic number, and an xz one still refused.
 */
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
}

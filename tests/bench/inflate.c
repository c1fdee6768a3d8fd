/*
 * inflate: the gzip floor of the benchmark. Reads a gzip file and discards
 * what it inflates, with no parsing, so that skuscan's gzip throughput can be
 * compared with what inflating alone costs.
 *
 *     inflate FILE.gz        zlib inflate(), 256 KiB input and output blocks
 *     inflate -g FILE.gz     zlib gzread() in 256 KiB blocks
 *     inflate -i FILE.gz     ISA-L's isal_inflate(), 256 KiB blocks
 *
 * All check the CRC and read concatenated members whole. Prints the inflated byte count to stdout.
 * Exit 0, or 1 on a read or data error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <isa-l/igzip_lib.h>
#include <zlib.h>

#define BLOCK (256u << 10)

static int
with_gzread(const char *path, unsigned long long *total)
{
	gzFile g = gzopen(path, "rb");
	char *out = malloc(BLOCK);
	int n, rc = 0;

	if (!g || !out) {
		fprintf(stderr, "inflate: cannot open %s\n", path);
		free(out);
		return 1;
	}
	gzbuffer(g, BLOCK);
	while ((n = gzread(g, out, BLOCK)) > 0)
		*total += (unsigned)n;
	if (n < 0) {
		int e;

		fprintf(stderr, "inflate: %s: %s\n", path, gzerror(g, &e));
		rc = 1;
	}
	gzclose(g);
	free(out);
	return rc;
}

static int
with_inflate(const char *path, unsigned long long *total)
{
	FILE *f = fopen(path, "rb");
	unsigned char *in = malloc(BLOCK), *out = malloc(BLOCK);
	z_stream zs;
	int rc = 1, zr = Z_OK;
	size_t got;

	memset(&zs, 0, sizeof zs);
	if (!f || !in || !out || inflateInit2(&zs, 15 + 16) != Z_OK) {
		fprintf(stderr, "inflate: cannot open %s\n", path);
		goto out;
	}
	while ((got = fread(in, 1, BLOCK, f)) > 0) {
		zs.next_in = in;
		zs.avail_in = (uInt)got;
		while (zs.avail_in > 0) {
			if (zr == Z_STREAM_END) {
				/* Another member follows. */
				if (inflateReset(&zs) != Z_OK)
					goto out;
			}
			zs.next_out = out;
			zs.avail_out = BLOCK;
			zr = inflate(&zs, Z_NO_FLUSH);
			if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR) {
				fprintf(stderr, "inflate: %s: %s\n", path,
				    zs.msg ? zs.msg : "data error");
				goto out;
			}
			*total += BLOCK - zs.avail_out;
			if (zr == Z_BUF_ERROR && zs.avail_in == 0)
				break;
		}
	}
	if (ferror(f) || zr != Z_STREAM_END) {
		fprintf(stderr, "inflate: %s: read error or truncated gzip\n", path);
		goto out;
	}
	rc = 0;
out:
	inflateEnd(&zs);
	if (f)
		fclose(f);
	free(in);
	free(out);
	return rc;
}

static int
with_isal(const char *path, unsigned long long *total)
{
	FILE *f = fopen(path, "rb");
	unsigned char *in = malloc(BLOCK), *out = malloc(BLOCK);
	struct inflate_state *st = malloc(sizeof(*st));
	int rc = 1, done = 0;
	size_t got;

	if (!f || !in || !out || !st) {
		fprintf(stderr, "inflate: cannot open %s\n", path);
		goto out;
	}
	isal_inflate_init(st);
	st->crc_flag = ISAL_GZIP;
	while ((got = fread(in, 1, BLOCK, f)) > 0) {
		st->next_in = in;
		st->avail_in = (uint32_t)got;
		for (;;) {
			if (st->block_state == ISAL_BLOCK_FINISH) {
				if (st->avail_in == 0)
					break;
				/* Another member follows. */
				isal_inflate_reset(st);
				st->crc_flag = ISAL_GZIP;
			}
			st->next_out = out;
			st->avail_out = BLOCK;
			if (isal_inflate(st) != ISAL_DECOMP_OK) {
				fprintf(stderr, "inflate: %s: data error\n", path);
				goto out;
			}
			*total += BLOCK - st->avail_out;
			if (st->avail_in == 0 && st->avail_out > 0)
				break;
		}
	}
	done = st->block_state == ISAL_BLOCK_FINISH;
	if (ferror(f) || !done) {
		fprintf(stderr, "inflate: %s: read error or truncated gzip\n", path);
		goto out;
	}
	rc = 0;
out:
	if (f)
		fclose(f);
	free(st);
	free(in);
	free(out);
	return rc;
}

int
main(int argc, char **argv)
{
	unsigned long long total = 0;
	int rc;

	if (argc == 3 && strcmp(argv[1], "-g") == 0)
		rc = with_gzread(argv[2], &total);
	else if (argc == 3 && strcmp(argv[1], "-i") == 0)
		rc = with_isal(argv[2], &total);
	else if (argc == 2)
		rc = with_inflate(argv[1], &total);
	else {
		fprintf(stderr, "usage: inflate [-g | -i] FILE.gz\n");
		return 2;
	}
	if (rc == 0)
		printf("%llu\n", total);
	return rc;
}

/* inflate: one gzip member's deflate data and trailer, by igzip or zlib. */
#include <isa-l/igzip_lib.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "crc.h"
#include "inflate.h"
#include "mem.h"

struct inflater {
	enum inflate_engine engine;
	struct inflate_state *isal;
	/* zlib: the deflate data, then the 8 trailer bytes gathered here. */
	z_stream zs;
	bool in_trailer;
	unsigned char trailer[8];
	size_t trailer_len;
	uint32_t crc, size;
};

struct inflater *
inflater_new(enum inflate_engine e)
{
	struct inflater *z = mem_calloc(1, sizeof(*z));

	z->engine = e;
	if (e == INFLATE_ISAL) {
		z->isal = mem_alloc(sizeof(*z->isal));
	} else if (inflateInit2(&z->zs, -15) != Z_OK) {
		mem_fail();	/* zlib fails to start only for want of memory */
	}
	inflater_reset(z);
	return z;
}

void
inflater_reset(struct inflater *z)
{
	if (z->engine == INFLATE_ISAL) {
		isal_inflate_init(z->isal);
		/* Raw deflate data, then igzip checks the trailer itself. */
		z->isal->crc_flag = ISAL_GZIP_NO_HDR_VER;
		return;
	}
	if (inflateReset(&z->zs) != Z_OK)
		mem_fail();
	z->in_trailer = false;
	z->trailer_len = 0;
	z->crc = 0;
	z->size = 0;
}

static enum inflate_status
isal_run(struct inflater *z, const unsigned char **in, size_t *in_len, unsigned char **out,
    size_t *out_len)
{
	struct inflate_state *s = z->isal;
	uint32_t ni = *in_len > UINT32_MAX ? UINT32_MAX : (uint32_t)*in_len;
	uint32_t no = *out_len > UINT32_MAX ? UINT32_MAX : (uint32_t)*out_len;
	int rc;

	s->next_in = (uint8_t *)*in;
	s->avail_in = ni;
	s->next_out = *out;
	s->avail_out = no;
	rc = isal_inflate(s);
	*in += ni - s->avail_in;
	*in_len -= ni - s->avail_in;
	*out += no - s->avail_out;
	*out_len -= no - s->avail_out;
	if (rc == ISAL_INCORRECT_CHECKSUM)
		return INFLATE_BAD_CHECK;
	if (rc < 0)
		return INFLATE_CORRUPT;
	return s->block_state == ISAL_BLOCK_FINISH ? INFLATE_END : INFLATE_MORE;
}

/* Gathers the trailer's bytes; checks them once all 8 are in. */
static enum inflate_status
zlib_trailer(struct inflater *z, const unsigned char **in, size_t *in_len)
{
	const unsigned char *t = z->trailer;
	size_t k = 8 - z->trailer_len;
	uint32_t crc, size;

	if (k > *in_len)
		k = *in_len;
	memcpy(z->trailer + z->trailer_len, *in, k);
	z->trailer_len += k;
	*in += k;
	*in_len -= k;
	if (z->trailer_len < 8)
		return INFLATE_MORE;
	crc = t[0] | (uint32_t)t[1] << 8 | (uint32_t)t[2] << 16 | (uint32_t)t[3] << 24;
	size = t[4] | (uint32_t)t[5] << 8 | (uint32_t)t[6] << 16 | (uint32_t)t[7] << 24;
	return crc == z->crc && size == z->size ? INFLATE_END : INFLATE_BAD_CHECK;
}

/*
 * zlib on the raw deflate data, with the CRC-32 by crc_update: zlib's own
 * gzip mode spends more time on its CRC than on inflating.
 */
static enum inflate_status
zlib_run(struct inflater *z, const unsigned char **in, size_t *in_len, unsigned char **out,
    size_t *out_len)
{
	uInt ni = *in_len > UINT32_MAX ? UINT32_MAX : (uInt)*in_len;
	uInt no = *out_len > UINT32_MAX ? UINT32_MAX : (uInt)*out_len;
	int rc;

	if (z->in_trailer)
		return zlib_trailer(z, in, in_len);
	z->zs.next_in = (Bytef *)*in;
	z->zs.avail_in = ni;
	z->zs.next_out = *out;
	z->zs.avail_out = no;
	rc = inflate(&z->zs, Z_NO_FLUSH);
	z->crc = crc_update(z->crc, *out, no - z->zs.avail_out);
	z->size += (uint32_t)(no - z->zs.avail_out);
	*in += ni - z->zs.avail_in;
	*in_len -= ni - z->zs.avail_in;
	*out += no - z->zs.avail_out;
	*out_len -= no - z->zs.avail_out;
	switch (rc) {
	case Z_STREAM_END:
		z->in_trailer = true;
		return zlib_trailer(z, in, in_len);
	case Z_OK:
	case Z_BUF_ERROR:
		return INFLATE_MORE;
	case Z_MEM_ERROR:
		mem_fail();
	default:		/* Z_DATA_ERROR, Z_NEED_DICT */
		return INFLATE_CORRUPT;
	}
}

enum inflate_status
inflater_run(struct inflater *z, const unsigned char **in, size_t *in_len, unsigned char **out,
    size_t *out_len)
{
	if (z->engine == INFLATE_ISAL)
		return isal_run(z, in, in_len, out, out_len);
	return zlib_run(z, in, in_len, out, out_len);
}

void
inflater_free(struct inflater *z)
{
	if (z == NULL)
		return;
	if (z->engine == INFLATE_ZLIB)
		inflateEnd(&z->zs);
	free(z->isal);
	free(z);
}

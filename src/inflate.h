/*
 * inflate: the compressed data and trailer of one gzip member (RFC 1951
 * deflate data, then the CRC-32 and length of what it inflates to), by
 * ISA-L's igzip or by zlib. igzip inflates about twice as fast as zlib,
 * which sets the pace of reading a gzipped export; zlib stays as a second
 * engine that the tests hold igzip to: the same bytes from every member
 * both read, and igzip never refuses what zlib reads. igzip is laxer in
 * one way: it takes Huffman codes whose lengths leave part of the code
 * space unused, which zlib (and gzip -t) refuse; no encoder writes them,
 * and the member's CRC-32 and length must still match what it inflated.
 * The member's header is the caller's (input.c reads it).
 */
#ifndef SKUSCAN_INFLATE_H
#define SKUSCAN_INFLATE_H

#include <stddef.h>

enum inflate_engine { INFLATE_ISAL, INFLATE_ZLIB };

enum inflate_status {
	INFLATE_MORE,		/* input used up or output full: call again */
	INFLATE_END,		/* the member's trailer was read and matches */
	INFLATE_CORRUPT,	/* the deflate data is not valid */
	INFLATE_BAD_CHECK,	/* the trailer's CRC-32 or length does not match */
};

struct inflater;

struct inflater *inflater_new(enum inflate_engine e);
/* Starts a new member. */
void inflater_reset(struct inflater *z);
/*
 * Inflates from *in (*in_len bytes) into *out (room for *out_len),
 * advancing both. Called with no input, it hands out what it still holds.
 */
enum inflate_status inflater_run(struct inflater *z, const unsigned char **in, size_t *in_len,
    unsigned char **out, size_t *out_len);
void inflater_free(struct inflater *z);

#endif

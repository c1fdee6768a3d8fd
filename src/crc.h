/*
 * crc: the CRC-32 of gzip and zlib (same values as zlib's crc32), by
 * ISA-L, several times faster than zlib's crc32 on processors with
 * carry-less multiplication. The manifest needs the CRC of every byte of
 * every input, and zlib's table-driven crc32 would cost more than parsing
 * a large export.
 */
#ifndef SKUSCAN_CRC_H
#define SKUSCAN_CRC_H

#include <stddef.h>
#include <stdint.h>

/* Continues crc (0 to start) over n bytes, as zlib's crc32(crc, p, n). */
uint32_t crc_update(uint32_t crc, const void *p, size_t n);
/* The CRC of A followed by B, from crc(A), crc(B) and B's length. */
uint32_t crc_combine(uint32_t a, uint32_t b, uint64_t len_b);

#endif

/*
 * crc: CRC-32 by ISA-L's crc32_gzip_refl, which folds with carry-less
 * multiplication at the widest the processor has (chosen at run time) and
 * gives zlib's values; zlib combines CRCs.
 */
#include <isa-l/crc.h>
#include <zlib.h>

#include "crc.h"

uint32_t
crc_update(uint32_t crc, const void *p, size_t n)
{
	return crc32_gzip_refl(crc, p, n);
}

uint32_t
crc_combine(uint32_t a, uint32_t b, uint64_t len_b)
{
	return (uint32_t)crc32_combine(a, b, (z_off_t)len_b);
}

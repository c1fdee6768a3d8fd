/* test_crc: crc_update gives zlib's values at every length and offset. */
#include <stdlib.h>
#include <zlib.h>

#include "check.h"
#include "crc.h"

void
test_crc(void)
{
	size_t size = 70000;
	unsigned char *b = malloc(size + 64);
	uint32_t seed = 12345;
	int bad = 0;

	for (size_t i = 0; i < size + 64; i++) {
		seed = seed * 1103515245u + 12345u;
		b[i] = (unsigned char)(seed >> 16);
	}
	CHECK_INT_EQ(crc_update(0, b, 0), 0);
	CHECK_INT_EQ(crc_update(0, "123456789", 9), 0xcbf43926u);
	for (size_t n = 0; n < 1200; n++) {
		size_t off = n % 61;
		uint32_t start = (uint32_t)n * 2654435761u;

		if (crc_update(start, b + off, n) != (uint32_t)crc32(start, b + off, (uInt)n))
			bad++;
	}
	CHECK_INT_EQ(bad, 0);
	CHECK_INT_EQ(crc_update(0, b + 3, size), (uint32_t)crc32(0, b + 3, (uInt)size));
	/* Chained pieces and crc_combine give the CRC of the whole. */
	{
		uint32_t a = crc_update(0, b, 1000), c = crc_update(0, b + 1000, size - 1000);

		CHECK_INT_EQ(crc_update(a, b + 1000, size - 1000), (uint32_t)crc32(0, b, (uInt)size));
		CHECK_INT_EQ(crc_combine(a, c, size - 1000), (uint32_t)crc32(0, b, (uInt)size));
	}
	free(b);
}

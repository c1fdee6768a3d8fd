/*
 * crc: CRC-32 by folding with PCLMULQDQ (Intel's "Fast CRC Computation
 * for Generic Polynomials Using PCLMULQDQ Instruction", reflected form),
 * and zlib's crc32 for short inputs, the edges and other processors.
 */
#include <zlib.h>

#include "crc.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <cpuid.h>
#include <immintrin.h>

/*
 * The fold constants for the reflected polynomial 0xEDB88320: x^(4*128
 * +/- 32), x^(128 +/- 32) and x^64 mod P, then P and its Barrett quotient.
 * Needs n >= 64, a multiple of 16; crc is not inverted here.
 */
__attribute__((target("pclmul,sse4.1")))
static uint32_t
crc_fold(uint32_t crc, const unsigned char *p, size_t n)
{
	const __m128i k1k2 = _mm_set_epi64x(0x1c6e41596LL, 0x154442bd4LL);
	const __m128i k3k4 = _mm_set_epi64x(0x0ccaa009eLL, 0x1751997d0LL);
	const __m128i k5 = _mm_set_epi64x(0, 0x163cd6124LL);
	const __m128i poly = _mm_set_epi64x(0x1f7011641LL, 0x1db710641LL);
	const __m128i mask32 = _mm_set_epi32(0, 0, 0, -1);
	__m128i x1, x2, x3, x4, x5, x6, x7, x8;

	x1 = _mm_loadu_si128((const __m128i *)(p + 0x00));
	x2 = _mm_loadu_si128((const __m128i *)(p + 0x10));
	x3 = _mm_loadu_si128((const __m128i *)(p + 0x20));
	x4 = _mm_loadu_si128((const __m128i *)(p + 0x30));
	x1 = _mm_xor_si128(x1, _mm_cvtsi32_si128((int)crc));
	p += 64;
	n -= 64;
	while (n >= 64) {
		x5 = _mm_clmulepi64_si128(x1, k1k2, 0x00);
		x6 = _mm_clmulepi64_si128(x2, k1k2, 0x00);
		x7 = _mm_clmulepi64_si128(x3, k1k2, 0x00);
		x8 = _mm_clmulepi64_si128(x4, k1k2, 0x00);
		x1 = _mm_clmulepi64_si128(x1, k1k2, 0x11);
		x2 = _mm_clmulepi64_si128(x2, k1k2, 0x11);
		x3 = _mm_clmulepi64_si128(x3, k1k2, 0x11);
		x4 = _mm_clmulepi64_si128(x4, k1k2, 0x11);
		x1 = _mm_xor_si128(_mm_xor_si128(x1, x5),
		    _mm_loadu_si128((const __m128i *)(p + 0x00)));
		x2 = _mm_xor_si128(_mm_xor_si128(x2, x6),
		    _mm_loadu_si128((const __m128i *)(p + 0x10)));
		x3 = _mm_xor_si128(_mm_xor_si128(x3, x7),
		    _mm_loadu_si128((const __m128i *)(p + 0x20)));
		x4 = _mm_xor_si128(_mm_xor_si128(x4, x8),
		    _mm_loadu_si128((const __m128i *)(p + 0x30)));
		p += 64;
		n -= 64;
	}
	/* Four lanes into one. */
	x5 = _mm_clmulepi64_si128(x1, k3k4, 0x00);
	x1 = _mm_clmulepi64_si128(x1, k3k4, 0x11);
	x1 = _mm_xor_si128(_mm_xor_si128(x1, x2), x5);
	x5 = _mm_clmulepi64_si128(x1, k3k4, 0x00);
	x1 = _mm_clmulepi64_si128(x1, k3k4, 0x11);
	x1 = _mm_xor_si128(_mm_xor_si128(x1, x3), x5);
	x5 = _mm_clmulepi64_si128(x1, k3k4, 0x00);
	x1 = _mm_clmulepi64_si128(x1, k3k4, 0x11);
	x1 = _mm_xor_si128(_mm_xor_si128(x1, x4), x5);
	while (n >= 16) {
		x2 = _mm_loadu_si128((const __m128i *)p);
		x5 = _mm_clmulepi64_si128(x1, k3k4, 0x00);
		x1 = _mm_clmulepi64_si128(x1, k3k4, 0x11);
		x1 = _mm_xor_si128(_mm_xor_si128(x1, x2), x5);
		p += 16;
		n -= 16;
	}
	/* 128 bits to 64, 64 to 32, then Barrett reduction. */
	x2 = _mm_clmulepi64_si128(x1, k3k4, 0x10);
	x1 = _mm_xor_si128(_mm_srli_si128(x1, 8), x2);
	x2 = _mm_srli_si128(x1, 4);
	x1 = _mm_and_si128(x1, mask32);
	x1 = _mm_clmulepi64_si128(x1, k5, 0x00);
	x1 = _mm_xor_si128(x1, x2);
	x2 = x1;
	x1 = _mm_and_si128(x1, mask32);
	x1 = _mm_clmulepi64_si128(x1, poly, 0x10);
	x1 = _mm_and_si128(x1, mask32);
	x1 = _mm_clmulepi64_si128(x1, poly, 0x00);
	x1 = _mm_xor_si128(x1, x2);
	return (uint32_t)_mm_extract_epi32(x1, 1);
}

static int
crc_have_clmul(void)
{
	static int have = -1;

	/*
	 * One CPUID leaf, not __builtin_cpu_supports: that links libgcc's
	 * start-up probe of every feature, dozens of CPUID instructions, each
	 * a trap to the hypervisor on a virtual machine.
	 */
	if (have < 0) {
		unsigned a, b, c, d;

		have = __get_cpuid(1, &a, &b, &c, &d) && (c & bit_PCLMUL) && (c & bit_SSE4_1);
	}
	return have;
}
#endif

uint32_t
crc_update(uint32_t crc, const void *p, size_t n)
{
	const unsigned char *b = p;

#if defined(__x86_64__) && defined(__GNUC__)
	if (n >= 256 && crc_have_clmul()) {
		size_t k = n & ~(size_t)15;

		crc = ~crc_fold(~crc, b, k);
		b += k;
		n -= k;
	}
#endif
	while (n > 0) {
		uInt k = n > 0x40000000 ? 0x40000000 : (uInt)n;

		crc = (uint32_t)crc32(crc, b, k);
		b += k;
		n -= k;
	}
	return crc;
}

uint32_t
crc_combine(uint32_t a, uint32_t b, uint64_t len_b)
{
	return (uint32_t)crc32_combine(a, b, (z_off_t)len_b);
}

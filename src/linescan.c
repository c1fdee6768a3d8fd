/*
 * linescan: the line scan, by blocks of bytes compared at once.
 *
 * Each block gives four bit masks (stops, quotes, delimiters, high bytes)
 * and scan_take turns them into offsets; scan_take and the block loads
 * are inlined into each block loop, so that a line costs one call here
 * and the loop itself calls nothing but, rarely, mem_grow.
 */
#include <stdint.h>
#include <stdlib.h>
#if defined(__x86_64__)
#include <immintrin.h>
#include <sys/platform/x86.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "linescan.h"
#include "mem.h"

/*
 * What one block of the line scan found, bit k standing for the block's
 * byte k: line ends and NUL bytes (stop), quotes, delimiters, high bytes.
 */
struct scan_block {
	uint64_t stop, quote, delim, high;
};

/* Notes a delimiter at offset at. */
static inline void
dpos_push(struct linescan *s, size_t at)
{
	if (s->ndpos == s->dpos_cap)
		mem_grow((void **)&s->dpos, &s->dpos_cap, s->ndpos + 1, sizeof(*s->dpos));
	s->dpos[s->ndpos++] = at;
}

/* Room in dpos for n more delimiters, so that a block's are stored unchecked. */
static inline void
dpos_room(struct linescan *s, size_t n)
{
	if (s->dpos_cap - s->ndpos < n)
		mem_grow((void **)&s->dpos, &s->dpos_cap, s->ndpos + n, sizeof(*s->dpos));
}

/*
 * Takes one block at offset i: notes its delimiters up to where the scan
 * stops, the last quote passed, and high bytes. Returns true when the
 * scan stops in the block, at *at. dpos has room for the block's
 * delimiters.
 */
static inline __attribute__((always_inline)) bool
scan_take(struct linescan *s, size_t i, struct scan_block m, bool quote_stops, size_t *at)
{
	uint64_t stop = quote_stops ? m.stop | m.quote : m.stop, dm = m.delim, qm = m.quote;
	size_t nd = s->ndpos, *dp = s->dpos;

	if (stop != 0) {
		uint64_t below = (stop & (0 - stop)) - 1;

		dm &= below;
		qm &= below;
		m.high &= below;
	}
	if (!quote_stops && qm != 0) {
		s->q2 = i + 63 - (size_t)__builtin_clzll(qm);
		s->nquote += (size_t)__builtin_popcountll(qm);
	}
	if (m.high != 0) {
		/* The first and last high bytes: the rest of the line is ASCII. */
		if (!s->high)
			s->hi_first = i + (size_t)__builtin_ctzll(m.high);
		s->hi_last = i + 63 - (size_t)__builtin_clzll(m.high);
		s->high = true;
	}
	for (; dm != 0; dm &= dm - 1)
		dp[nd++] = i + (size_t)__builtin_ctzll(dm);
	s->ndpos = nd;
	if (stop == 0)
		return false;
	*at = i + (size_t)__builtin_ctzll(stop);
	return true;
}

/* The bytes from i on that no whole block covers, one by one. */
static size_t
scan_rest(struct linescan *s, const char *buf, size_t i, size_t lim, bool quote_stops)
{
	for (; i < lim; i++) {
		unsigned char c = (unsigned char)buf[i];

		if (c == '\n' || c == '\r' || c == '\0' || (c == '"' && quote_stops))
			break;
		if (c >= 0x80) {
			if (!s->high)
				s->hi_first = i;
			s->hi_last = i;
			s->high = true;
		}
		if (c == '"') {
			s->q2 = i;
			s->nquote++;
		} else if (c == (unsigned char)s->delim)
			dpos_push(s, i);
	}
	return i;
}

#if defined(__x86_64__)
/* What the 32 bytes at p hold, as scan_take wants it (AVX2). */
__attribute__((target("avx2"))) static inline struct scan_block
block_avx2(const char *p, char delim)
{
	const __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)p);
	const __m256i stop = _mm256_or_si256(_mm256_or_si256(
	    _mm256_cmpeq_epi8(v, _mm256_set1_epi8('\n')), _mm256_cmpeq_epi8(v, _mm256_set1_epi8('\r'))),
	    _mm256_cmpeq_epi8(v, _mm256_setzero_si256()));

	return (struct scan_block){
		.stop = (uint32_t)_mm256_movemask_epi8(stop),
		.quote = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('"'))),
		.delim = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8(delim))),
		.high = (uint32_t)_mm256_movemask_epi8(v),
	};
}

/*
 * The scan with AVX2, 64 bytes a step as two 32-byte blocks joined, so
 * that a line of a few hundred bytes takes a few steps, each checked once.
 */
__attribute__((target("avx2"))) static size_t
scan_avx2(struct linescan *s, const char *buf, size_t pos, size_t lim, bool quote_stops)
{
	size_t i = pos, at;

	for (; i + 64 <= lim; i += 64) {
		struct scan_block a = block_avx2(buf + i, s->delim);
		struct scan_block b = block_avx2(buf + i + 32, s->delim);
		struct scan_block m = { a.stop | b.stop << 32, a.quote | b.quote << 32,
			a.delim | b.delim << 32, a.high | b.high << 32 };

		dpos_room(s, 64);
		if (scan_take(s, i, m, quote_stops, &at))
			return at;
	}
	if (i + 32 <= lim) {
		dpos_room(s, 32);
		if (scan_take(s, i, block_avx2(buf + i, s->delim), quote_stops, &at))
			return at;
		i += 32;
	}
	return scan_rest(s, buf, i, lim, quote_stops);
}
#endif

/*
 * The scan with 16-byte blocks (SSE2, which every x86-64 has), or bytes.
 * Not inlined, so that linescan_run stays a plain jump to either loop.
 */
static __attribute__((noinline)) size_t
scan_sse2(struct linescan *s, const char *buf, size_t pos, size_t lim, bool quote_stops)
{
	size_t i = pos;
#if defined(__SSE2__)
	const __m128i nl = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
	const __m128i qu = _mm_set1_epi8('"'), zero = _mm_setzero_si128();
	const __m128i de = _mm_set1_epi8(s->delim);
	size_t at;

	for (; i + 16 <= lim; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(buf + i));
		struct scan_block m = {
			.stop = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(
			    _mm_cmpeq_epi8(v, nl), _mm_cmpeq_epi8(v, cr)), _mm_cmpeq_epi8(v, zero))),
			.quote = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, qu)),
			.delim = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, de)),
			.high = (unsigned)_mm_movemask_epi8(v),
		};

		dpos_room(s, 16);
		if (scan_take(s, i, m, quote_stops, &at))
			return at;
	}
#endif
	return scan_rest(s, buf, i, lim, quote_stops);
}

#if defined(__x86_64__)
/*
 * Whether the processor and the system take AVX2, as glibc found at start
 * (<sys/platform/x86.h>): no CPUID of our own, each one a trap to the
 * hypervisor on a virtual machine, in every run however small.
 */
static bool
have_avx2(void)
{
	return CPU_FEATURE_ACTIVE(AVX2);
}
#endif

unsigned
linescan_vector_bytes(unsigned want)
{
#if defined(__x86_64__)
	if (want != 16 && have_avx2())
		return 32;
#endif
	(void)want;
	return 16;
}

void
linescan_init(struct linescan *s, char delim, unsigned vector_bytes)
{
	*s = (struct linescan){ .delim = delim, .vector_bytes = vector_bytes };
}

size_t
linescan_run(struct linescan *s, const char *buf, size_t pos, size_t lim, bool quote_stops)
{
#if defined(__x86_64__)
	if (s->vector_bytes >= 32)
		return scan_avx2(s, buf, pos, lim, quote_stops);
#endif
	if (s->vector_bytes >= 16)
		return scan_sse2(s, buf, pos, lim, quote_stops);
	return scan_rest(s, buf, pos, lim, quote_stops);
}

void
linescan_free(struct linescan *s)
{
	if (s == NULL)
		return;
	free(s->dpos);
	s->dpos = NULL;
	s->ndpos = s->dpos_cap = 0;
}

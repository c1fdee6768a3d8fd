/* text: UTF-8 validation, Windows-1252 conversion, trimming and case. */
#define _GNU_SOURCE	/* memrchr */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "mem.h"
#include "text.h"

void
buf_grow(struct buf *b, size_t n)
{
	size_t cap = b->cap ? b->cap : 64;

	while (cap < b->len + n + 1)
		cap *= 2;
	b->data = mem_realloc(b->data, cap);
	b->cap = cap;
}

void
buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_terminate(struct buf *b)
{
	buf_add(b, "", 0);
}

void
buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

/* Length of the well-formed UTF-8 sequence at s, or 0 if there is none. */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		if (n >= 2 && (s[1] & 0xc0) == 0x80)
			return 2;
		return 0;
	}
	if (c >= 0xe0 && c <= 0xef) {
		if (n < 3 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if (c == 0xe0 && s[1] < 0xa0)
			return 0;	/* overlong */
		if (c == 0xed && s[1] >= 0xa0)
			return 0;	/* surrogate */
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (n < 4 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
		    (s[3] & 0xc0) != 0x80)
			return 0;
		if (c == 0xf0 && s[1] < 0x90)
			return 0;	/* overlong */
		if (c == 0xf4 && s[1] >= 0x90)
			return 0;	/* above U+10FFFF */
		return 4;
	}
	return 0;
}

bool
text_ascii(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	uint64_t acc = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t w;

		memcpy(&w, p + i, 8);
		acc |= w;
	}
	for (; i < n; i++)
		acc |= p[i];
	return (acc & 0x8080808080808080ULL) == 0;
}

#if defined(__SSE2__)
/* Whether the 16 bytes at p hold none of the bytes text_plain refuses. */
static bool
plain16(const char *p)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i bad = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(',')),
	    _mm_cmpeq_epi8(v, _mm_set1_epi8('"'))), _mm_or_si128(_mm_or_si128(
	    _mm_cmpeq_epi8(v, _mm_set1_epi8('\n')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))),
	    _mm_cmpeq_epi8(v, _mm_setzero_si128())));

	return _mm_movemask_epi8(_mm_or_si128(bad, v)) == 0;
}
#endif

bool
text_plain(const char *s, size_t n)
{
#if defined(__SSE2__)
	char pad[16];
	size_t i = 0;

	if (n < 16) {
		/* Padded with a plain byte, so that one block does. */
		memset(pad, 'a', sizeof(pad));
		if (n > 0)
			memcpy(pad, s, n);
		return plain16(pad);
	}
	for (; i + 16 <= n; i += 16)
		if (!plain16(s + i))
			return false;
	/* The last bytes, in a block that overlaps the one before. */
	return i == n || plain16(s + n - 16);
#else
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x80 || c == ',' || c == '"' || c == '\n' || c == '\r' || c == '\0')
			return false;
	}
	return true;
#endif
}

bool
text_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		size_t k;
		uint64_t w;

		/* Mostly ASCII: eight bytes at a time up to the next high byte. */
		if (i + 8 <= n) {
			memcpy(&w, p + i, 8);
			if ((w & 0x8080808080808080ULL) == 0) {
				i += 8;
				continue;
			}
		}
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		k = utf8_seq(p + i, n - i);
		if (k == 0)
			return false;
		i += k;
	}
	return true;
}

size_t
text_escape_char(const char *s, size_t n, char out[TEXT_ESCAPE_MAX], size_t *used)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t k = utf8_seq(p, n);

	*used = k > 0 ? k : 1;
	if (k == 1 && p[0] >= 0x20 && p[0] != 0x7f) {
		out[0] = (char)p[0];
		return 1;
	}
	if (k == 1 && (p[0] == '\n' || p[0] == '\r' || p[0] == '\t')) {
		out[0] = '\\';
		out[1] = p[0] == '\n' ? 'n' : p[0] == '\r' ? 'r' : 't';
		return 2;
	}
	if (k == 2 && p[0] == 0xc2 && p[1] < 0xa0) {
		/* A C1 control: named by its code point, U+0080-U+009F. */
		memcpy(out, "\\u00", 4);
		out[4] = hex[p[1] >> 4];
		out[5] = hex[p[1] & 15];
		return 6;
	}
	if (k > 1) {
		memcpy(out, s, k);
		return k;
	}
	/* A C0 control, DEL, or a byte that is not UTF-8. */
	out[0] = '\\';
	out[1] = 'x';
	out[2] = hex[p[0] >> 4];
	out[3] = hex[p[0] & 15];
	return 4;
}

void
text_escape(struct buf *out, const char *s, size_t n)
{
	char e[TEXT_ESCAPE_MAX];

	for (size_t i = 0, used; i < n; i += used)
		buf_add(out, e, text_escape_char(s + i, n - i, e, &used));
}

size_t
text_escape_to(char *out, size_t cap, const char *s, size_t n)
{
	size_t len = 0, i = 0, used;
	char e[TEXT_ESCAPE_MAX];

	while (i < n) {
		size_t k = text_escape_char(s + i, n - i, e, &used);

		if (len + k + 1 > cap)
			break;
		memcpy(out + len, e, k);
		len += k;
		i += used;
	}
	out[len] = '\0';
	return i;
}

/*
 * Windows-1252 bytes 0x80-0x9F. The five bytes the code page leaves
 * undefined map to the C1 control of the same value, as Windows itself does
 * when it converts them.
 */
static const uint16_t cp1252_high[32] = {
	0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,
	0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
};

static void
put_cp1252(struct buf *out, unsigned char c)
{
	unsigned cp = c;
	char u[3];

	if (c < 0x80) {
		buf_addc(out, (char)c);
		return;
	}
	if (c < 0xa0)
		cp = cp1252_high[c - 0x80];
	if (cp < 0x800) {
		u[0] = (char)(0xc0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3f));
		buf_add(out, u, 2);
	} else {
		u[0] = (char)(0xe0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		buf_add(out, u, 3);
	}
}

void
text_cp1252_to_utf8(struct buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put_cp1252(out, (unsigned char)s[i]);
	buf_terminate(out);
}

void
text_sanitize_utf8(struct buf *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		size_t k = utf8_seq(p + i, n - i);

		if (k == 0) {
			put_cp1252(out, p[i]);
			i++;
		} else if (p[i] == '\0') {
			buf_add(out, "\xef\xbf\xbd", 3);	/* U+FFFD for a NUL */
			i++;
		} else {
			buf_add(out, p + i, k);
			i += k;
		}
	}
	buf_terminate(out);
}

size_t
text_utf8_cut(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = n;

	/* Step back over continuation bytes to the start of the last sequence. */
	while (i > 0 && n - i < 4 && (p[i - 1] & 0xc0) == 0x80)
		i--;
	if (i > 0 && p[i - 1] >= 0xc0) {
		if (utf8_seq(p + i - 1, n - i + 1) == 0)
			return i - 1;
	}
	return n;
}

size_t
text_trim(const char **s, size_t n)
{
	const char *p = *s;

	while (n > 0 && (*p == ' ' || *p == '\t')) {
		p++;
		n--;
	}
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	*s = p;
	return n;
}

/* Length of the Unicode space that starts at p (n bytes on), or 0. */
static size_t
space_at(const unsigned char *p, size_t n)
{
	if (n > 0 && (p[0] == ' ' || p[0] == '\t'))
		return 1;
	if (n > 1 && p[0] == 0xc2 && p[1] == 0xa0)
		return 2;
	if (n < 3)
		return 0;
	if (p[0] == 0xe1 && p[1] == 0x9a && p[2] == 0x80)		/* U+1680 */
		return 3;
	if (p[0] == 0xe2 && p[1] == 0x80 &&
	    (p[2] <= 0x8a || p[2] == 0xa8 || p[2] == 0xa9 || p[2] == 0xaf))
		return p[2] >= 0x80 ? 3 : 0;				/* U+2000-200A, 2028, 2029, 202F */
	if (p[0] == 0xe2 && p[1] == 0x81 && p[2] == 0x9f)		/* U+205F */
		return 3;
	if (p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80)		/* U+3000 */
		return 3;
	if (p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf)		/* U+FEFF */
		return 3;
	return 0;
}

size_t
text_trim_space(const char **s, size_t n)
{
	const unsigned char *p = (const unsigned char *)*s;
	size_t k;

	while ((k = space_at(p, n)) > 0) {
		p += k;
		n -= k;
	}
	for (;;) {
		if (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		else if (n >= 2 && space_at(p + n - 2, 2) == 2)
			n -= 2;
		else if (n >= 3 && space_at(p + n - 3, 3) == 3)
			n -= 3;
		else
			break;
	}
	*s = (const char *)p;
	return n;
}

static inline char
lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
}

void
text_lower(struct buf *out, const char *s, size_t n)
{
	out->len = 0;
	buf_add(out, s, n);
	for (size_t i = 0; i < n; i++)
		out->data[i] = lower(out->data[i]);
}

const char *
text_last(const char *s, size_t n, char c)
{
	return n > 0 ? memrchr(s, c, n) : NULL;
}

bool
text_ieq(const char *s, size_t n, const char *lit)
{
	size_t m = strlen(lit);

	if (m != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (lower(s[i]) != lower(lit[i]))
			return false;
	return true;
}

bool
text_icontains(const char *s, size_t n, const char *lit)
{
	size_t m = strlen(lit);

	if (m == 0)
		return true;
	for (size_t i = 0; i + m <= n; i++) {
		size_t j = 0;

		while (j < m && lower(s[i + j]) == lower(lit[j]))
			j++;
		if (j == m)
			return true;
	}
	return false;
}

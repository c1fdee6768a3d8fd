/*
 * text: byte-level helpers for UTF-8, Windows-1252 and ASCII case.
 * Functions that build text append to a caller-owned struct buf.
 */
#ifndef SKUSCAN_TEXT_H
#define SKUSCAN_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* A growable byte buffer; the owner frees data. */
struct buf {
	char *data;
	size_t len;
	size_t cap;
};

/* Makes room for n more bytes and the NUL (buf_add's rare path). */
void buf_grow(struct buf *b, size_t n);

/*
 * Inline: events and drops append a few fixed-size pieces per record,
 * which a call and a memcpy of unknown length would cost more than.
 */
static inline void
buf_add(struct buf *b, const void *s, size_t n)
{
	if (b->len + n + 1 > b->cap)
		buf_grow(b, n);
	if (n > 0)
		__builtin_memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void buf_addc(struct buf *b, char c);
void buf_adds(struct buf *b, const char *s);
/* Keep data NUL-terminated past len without counting the NUL. */
void buf_terminate(struct buf *b);
void buf_free(struct buf *b);

/* True when the n bytes are well-formed UTF-8 (no overlongs, no surrogates). */
bool text_utf8_valid(const char *s, size_t n);
/* True when no byte has its high bit set. */
bool text_ascii(const char *s, size_t n);
/*
 * True when s is ASCII without a comma, quote, line end or NUL byte: a
 * CSV field that needs no quoting and no UTF-8 check.
 */
bool text_plain(const char *s, size_t n);
/* Append the n bytes read as Windows-1252, converted to UTF-8. */
void text_cp1252_to_utf8(struct buf *out, const char *s, size_t n);
/*
 * Append s as UTF-8: well-formed sequences are kept, every other byte is
 * read as Windows-1252; a NUL becomes U+FFFD. Used for raw record text,
 * which may mix both, before it reaches a report.
 */
void text_sanitize_utf8(struct buf *out, const char *s, size_t n);
/*
 * Terminal-safe text, for every message on stderr: control characters
 * become visible escapes, so that no byte of an input (a header, a value,
 * a file name) can move the cursor, retitle or clear the terminal, or end
 * a line. A newline, carriage return and tab become \n, \r and \t;
 * every other C0 control (0x00-0x1F) and DEL as \xHH (\x1b for ESC); a C1
 * control U+0080-U+009F written in UTF-8 as \u0080-\u009f; and any byte
 * that is not part of well-formed UTF-8 as \xHH, as a lone 0x9B is CSI to
 * a terminal that reads 8-bit controls. Printable ASCII and well-formed
 * UTF-8 from U+00A0 on (umlauts, Hangul) are kept as they are, and so is
 * the backslash: its output is plain text, so escaping twice changes
 * nothing.
 *
 * text_escape_char writes the first character of s[0..n) (n > 0) so into
 * out, without a NUL, and returns the bytes written (at most
 * TEXT_ESCAPE_MAX); *used gets how many bytes of s it took.
 */
#define TEXT_ESCAPE_MAX 6
size_t text_escape_char(const char *s, size_t n, char out[TEXT_ESCAPE_MAX], size_t *used);
/* Appends s[0..n) escaped as text_escape_char does. */
void text_escape(struct buf *out, const char *s, size_t n);
/*
 * Writes s[0..n) escaped into out, NUL-terminated, as much as fits in cap
 * bytes (cap > 0) without cutting an escape or a character; returns the
 * bytes of s taken. Allocates nothing, for the paths that must not.
 */
size_t text_escape_to(char *out, size_t cap, const char *s, size_t n);
/* Length of the longest prefix of s[0..n) that does not split a UTF-8 sequence. */
size_t text_utf8_cut(const char *s, size_t n);
/* Trim spaces and tabs at both ends: adjusts *s and returns the new length. */
size_t text_trim(const char **s, size_t n);
/*
 * Trim, as text_trim, every Unicode space (White_Space: tab, U+00A0,
 * U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000) and the
 * byte order mark U+FEFF, written in UTF-8, at both ends.
 */
size_t text_trim_space(const char **s, size_t n);
/* ASCII lower-case copy of s into out (replacing its contents). */
void text_lower(struct buf *out, const char *s, size_t n);
/* Case-insensitive (ASCII) equality of s[0..n) and the NUL-terminated lit. */
bool text_ieq(const char *s, size_t n, const char *lit);
/* Case-insensitive (ASCII) search for lit inside s[0..n). */
bool text_icontains(const char *s, size_t n, const char *lit);
/* The last c in s[0..n), or NULL (memrchr, which glibc has only as GNU). */
const char *text_last(const char *s, size_t n, char c);

#endif

/* Unit tests of text.h: UTF-8, Windows-1252, trimming and case. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "text.h"

static bool
valid(const char *s)
{
	return text_utf8_valid(s, strlen(s));
}

static void
test_utf8_valid(void)
{
	CHECK(valid(""));
	CHECK(valid("plain ascii"));
	CHECK(valid("M\xc3\xbcller"));			/* ü, 2 bytes */
	CHECK(valid("\xe2\x82\xac 5"));			/* €, 3 bytes */
	CHECK(valid("\xf0\x9f\x98\x80"));		/* U+1F600, 4 bytes */
	CHECK(valid("\xf4\x8f\xbf\xbf"));		/* U+10FFFF */
	CHECK(valid("\xed\x9f\xbf"));			/* U+D7FF, below the surrogates */
	CHECK(valid("\xee\x80\x80"));			/* U+E000, above them */
	CHECK(valid("\xe0\xa0\x80"));			/* U+0800, shortest 3-byte */

	CHECK(!valid("\xc0\xaf"));			/* overlong '/' */
	CHECK(!valid("\xc1\xbf"));			/* overlong */
	CHECK(!valid("\xe0\x80\xaf"));			/* overlong 3-byte */
	CHECK(!valid("\xf0\x80\x80\xaf"));		/* overlong 4-byte */
	CHECK(!valid("\xed\xa0\x80"));			/* U+D800 surrogate */
	CHECK(!valid("\xed\xbf\xbf"));			/* U+DFFF surrogate */
	CHECK(!valid("\xf4\x90\x80\x80"));		/* above U+10FFFF */
	CHECK(!valid("\xf5\x80\x80\x80"));
	CHECK(!valid("abc\xc3"));			/* truncated 2-byte */
	CHECK(!valid("\xe2\x82"));			/* truncated 3-byte */
	CHECK(!valid("\xf0\x9f\x98"));			/* truncated 4-byte */
	CHECK(!valid("\xe2\x82x"));			/* bad continuation */
	CHECK(!valid("\x80"));				/* lone continuation */
	CHECK(!valid("M\xfcller"));			/* Windows-1252 ü */
	CHECK(!valid("\xff"));
	/* Length bounds the check: the first byte of € alone is truncated. */
	CHECK(!text_utf8_valid("\xe2\x82\xac", 1));
	CHECK(text_utf8_valid("a\xe2\x82\xac", 1));

	CHECK(text_ascii("hello, world 0123456789", 23));
	CHECK(!text_ascii("hello, w\xc3\xb6rld", 13));
	CHECK(!text_ascii("0123456789abcde\x80", 16));	/* past the first 8-byte word */
	CHECK(text_ascii("", 0));

	/* Plain CSV text: every length around the 16-byte blocks, every bad byte anywhere. */
	{
		static const char bad[] = { ',', '"', '\n', '\r', '\0', '\x80', '\xc3', '\xff' };
		char t[40];
		size_t wrong = 0;

		CHECK(text_plain("", 0));
		CHECK(text_plain("Contoso Ltd; 'x' = 1", 20));
		CHECK(text_plain("a,b", 1));	/* the length bounds the check */
		for (size_t n = 1; n <= sizeof(t); n++) {
			memset(t, 'x', sizeof(t));
			wrong += !text_plain(t, n);
			for (size_t at = 0; at < n; at++)
				for (size_t b = 0; b < sizeof(bad); b++) {
					memset(t, 'x', sizeof(t));
					t[at] = bad[b];
					wrong += text_plain(t, n);
				}
		}
		CHECK_INT_EQ(wrong, 0);
	}
}

static void
test_cp1252(void)
{
	struct buf b = { 0 };

	text_cp1252_to_utf8(&b, "\xfc", 1);
	CHECK_STR_EQ(b.data, "\xc3\xbc");		/* ü */
	b.len = 0;
	text_cp1252_to_utf8(&b, "\x80", 1);
	CHECK_STR_EQ(b.data, "\xe2\x82\xac");		/* € */
	b.len = 0;
	text_cp1252_to_utf8(&b, "\x96", 1);
	CHECK_STR_EQ(b.data, "\xe2\x80\x93");		/* en dash */
	b.len = 0;
	text_cp1252_to_utf8(&b, "M\xfcller \x96 5\x80", 11);
	CHECK_STR_EQ(b.data, "M\xc3\xbcller \xe2\x80\x93 5\xe2\x82\xac");
	CHECK_INT_EQ(b.len, strlen("M\xc3\xbcller \xe2\x80\x93 5\xe2\x82\xac"));
	b.len = 0;
	text_cp1252_to_utf8(&b, "\x93quoted\x94 \xe9t\xe9 \xa0", 14);
	CHECK_STR_EQ(b.data, "\xe2\x80\x9cquoted\xe2\x80\x9d \xc3\xa9t\xc3\xa9 \xc2\xa0");
	b.len = 0;
	text_cp1252_to_utf8(&b, "\x9f\xff", 2);
	CHECK_STR_EQ(b.data, "\xc5\xb8\xc3\xbf");	/* Ÿ ÿ */
	/* Appends rather than replaces. */
	b.len = 0;
	buf_adds(&b, "x=");
	text_cp1252_to_utf8(&b, "\xe4", 1);
	CHECK_STR_EQ(b.data, "x=\xc3\xa4");
	/* The result is always valid UTF-8, whatever the bytes. */
	{
		char all[256];

		for (int i = 0; i < 256; i++)
			all[i] = (char)i;
		b.len = 0;
		text_cp1252_to_utf8(&b, all, sizeof(all));
		CHECK(text_utf8_valid(b.data, b.len));
	}

	/* Sanitize keeps good UTF-8 and reads the rest as Windows-1252. */
	b.len = 0;
	text_sanitize_utf8(&b, "caf\xc3\xa9 M\xfcller \x80 ok", 17);
	CHECK_STR_EQ(b.data, "caf\xc3\xa9 M\xc3\xbcller \xe2\x82\xac ok");
	b.len = 0;
	text_sanitize_utf8(&b, "plain", 5);
	CHECK_STR_EQ(b.data, "plain");
	b.len = 0;
	text_sanitize_utf8(&b, "\xed\xa0\x80", 3);	/* a surrogate: three cp1252 bytes */
	CHECK_STR_EQ(b.data, "\xc3\xad\xc2\xa0\xe2\x82\xac");
	b.len = 0;
	text_sanitize_utf8(&b, "end\xc3", 4);		/* truncated at the end */
	CHECK_STR_EQ(b.data, "end\xc3\x83");
	CHECK(text_utf8_valid(b.data, b.len));
	buf_free(&b);
	CHECK(b.data == NULL);
	CHECK_INT_EQ(b.len, 0);
}

static void
test_cut_trim_case(void)
{
	const char *s;
	size_t n;
	struct buf b = { 0 };

	CHECK_INT_EQ(text_utf8_cut("abc", 3), 3);
	CHECK_INT_EQ(text_utf8_cut("", 0), 0);
	CHECK_INT_EQ(text_utf8_cut("a\xc3\xa9", 3), 3);		/* whole é */
	CHECK_INT_EQ(text_utf8_cut("a\xc3\xa9", 2), 1);		/* é split */
	CHECK_INT_EQ(text_utf8_cut("ab\xe2\x82\xac", 5), 5);
	CHECK_INT_EQ(text_utf8_cut("ab\xe2\x82\xac", 4), 2);
	CHECK_INT_EQ(text_utf8_cut("ab\xe2\x82\xac", 3), 2);
	CHECK_INT_EQ(text_utf8_cut("\xf0\x9f\x98\x80", 4), 4);
	CHECK_INT_EQ(text_utf8_cut("\xf0\x9f\x98\x80", 3), 0);
	CHECK_INT_EQ(text_utf8_cut("x\xf0\x9f\x98\x80", 2), 1);
	CHECK_INT_EQ(text_utf8_cut("\xc3\xa9\xc3\xa9", 3), 2);

	s = "  \thello world\t ";
	n = text_trim(&s, strlen(s));
	CHECK_MEM_EQ(s, n, "hello world");
	s = "none";
	n = text_trim(&s, 4);
	CHECK_MEM_EQ(s, n, "none");
	s = " \t \t";
	n = text_trim(&s, 4);
	CHECK_INT_EQ(n, 0);
	s = "\nx\n";				/* only spaces and tabs are trimmed */
	n = text_trim(&s, 3);
	CHECK_INT_EQ(n, 3);
	s = " a b ";
	n = text_trim(&s, 2);			/* bounded by n */
	CHECK_MEM_EQ(s, n, "a");

	/* Unicode spaces: no-break, en quad..hair, narrow, ideographic, BOM. */
	s = "\xc2\xa0\xe2\x80\xaf Active\xe3\x80\x80\xe2\x80\x8a\t";
	n = text_trim_space(&s, strlen(s));
	CHECK_MEM_EQ(s, n, "Active");
	s = "\xef\xbb\xbf" "20\xe1\x9a\x80\xe2\x81\x9f\xe2\x80\x80";
	n = text_trim_space(&s, strlen(s));
	CHECK_MEM_EQ(s, n, "20");
	s = "Act\xc2\xa0ive";			/* inside: kept */
	n = text_trim_space(&s, strlen(s));
	CHECK_INT_EQ(n, 8);
	s = "voil\xc3\xa0";				/* a letter ending in A0: kept */
	n = text_trim_space(&s, strlen(s));
	CHECK_INT_EQ(n, 6);
	s = "x\xe2\x80\x8b";			/* zero-width space: not a space */
	n = text_trim_space(&s, strlen(s));
	CHECK_INT_EQ(n, 4);
	s = "\xc2\xa0\xc2";				/* a cut sequence is not a space */
	n = text_trim_space(&s, strlen(s));
	CHECK_INT_EQ(n, 1);
	s = "\xc2\xa0 \xe2\x80\x83";
	n = text_trim_space(&s, strlen(s));
	CHECK_INT_EQ(n, 0);

	text_lower(&b, "MiXeD 365 \xc3\x9c", 12);
	CHECK_STR_EQ(b.data, "mixed 365 \xc3\x9c");	/* ASCII only */
	text_lower(&b, "AB", 2);
	CHECK_STR_EQ(b.data, "ab");			/* replaces */
	CHECK_INT_EQ(b.len, 2);
	buf_free(&b);

	CHECK(text_ieq("Active", 6, "active"));
	CHECK(text_ieq("ACTIVE", 6, "active"));
	CHECK(text_ieq("", 0, ""));
	CHECK(!text_ieq("Active", 5, "active"));
	CHECK(!text_ieq("Actives", 7, "active"));
	CHECK(!text_ieq("Activf", 6, "active"));
	CHECK(text_ieq("Activexyz", 6, "ACTIVE"));

	CHECK(text_icontains("Government Pricing", 18, "government"));
	CHECK(text_icontains("CRMOL Basic for FACULTY", 23, "Faculty"));
	CHECK(text_icontains("abc", 3, ""));
	CHECK(text_icontains("Student", 7, "student"));
	CHECK(!text_icontains("Students", 8, "studentz"));
	CHECK(!text_icontains("Stud", 4, "student"));
	CHECK(!text_icontains("Student", 6, "student"));	/* bounded by n */
	CHECK(!text_icontains("", 0, "a"));

	{
		const char *upn = "ext_a@b.com#EXT#@contoso.com";

		CHECK(text_last(upn, strlen(upn), '@') == upn + 16);
		CHECK(text_last(upn, 16, '@') == upn + 5);	/* bounded by n */
		CHECK(text_last(upn, 5, '@') == NULL);
		CHECK(text_last("@", 1, '@') != NULL);
		CHECK(text_last("", 0, '@') == NULL);
	}
}

static void
test_buf(void)
{
	struct buf b = { 0 };
	char big[1000];

	buf_adds(&b, "ab");
	buf_addc(&b, 'c');
	buf_add(&b, "de\0f", 4);
	CHECK_INT_EQ(b.len, 7);
	CHECK(memcmp(b.data, "abcde\0f", 8) == 0);	/* NUL kept past len */
	memset(big, 'x', sizeof(big));
	buf_add(&b, big, sizeof(big));
	CHECK_INT_EQ(b.len, 1007);
	CHECK(b.cap > b.len);
	CHECK(b.data[1006] == 'x' && b.data[1007] == '\0');
	b.len = 0;
	buf_terminate(&b);
	CHECK_STR_EQ(b.data, "");
	buf_free(&b);
	buf_free(&b);	/* twice is harmless */
}

/* s (n bytes) as a message shows it. */
static char *
escaped(const char *s, size_t n)
{
	static struct buf b;

	b.len = 0;
	text_escape(&b, s, n);
	buf_addc(&b, '\0');
	return b.data;
}
#define ESC_IS(lit, want) CHECK_STR_EQ(escaped((lit), sizeof(lit) - 1), (want))

static void
test_escape(void)
{
	char out[16];

	/* Printable ASCII, the backslash and well-formed UTF-8 stay as they are. */
	ESC_IS("Contoso Ltd, C:\\x1b", "Contoso Ltd, C:\\x1b");
	ESC_IS("K\xc3\xbcndigung \xea\xb3\xa0\xea\xb0\x9d \xe2\x82\xac \xf0\x9f\x98\x80",
	    "K\xc3\xbcndigung \xea\xb3\xa0\xea\xb0\x9d \xe2\x82\xac \xf0\x9f\x98\x80");
	ESC_IS("\xc2\xa0no-break", "\xc2\xa0no-break");	/* U+00A0: the first kept */
	/* Line ends and tabs by name, so that no message splits. */
	ESC_IS("a\nb\r\nc\td", "a\\nb\\r\\nc\\td");
	/* Every other C0 control and DEL as \xHH: OSC, CSI, BEL, NUL. */
	ESC_IS("\x1b]0;pwned\x07", "\\x1b]0;pwned\\x07");
	ESC_IS("\x1b[2J\x1b[H", "\\x1b[2J\\x1b[H");
	ESC_IS("\x00\x01\x1f\x7f", "\\x00\\x01\\x1f\\x7f");
	ESC_IS(" ~", " ~");
	/* C1 controls in UTF-8 by code point; U+009B is CSI. */
	ESC_IS("\xc2\x80\xc2\x9b" "31m\xc2\x9f", "\\u0080\\u009b31m\\u009f");
	/* Bytes that are not UTF-8, a lone 0x9B among them, as \xHH. */
	ESC_IS("\x9b" "2J", "\\x9b2J");
	ESC_IS("\x80\xff\xc3", "\\x80\\xff\\xc3");
	ESC_IS("\xc0\xaf", "\\xc0\\xaf");		/* overlong */
	ESC_IS("\xed\xa0\x80", "\\xed\\xa0\\x80");	/* surrogate */
	ESC_IS("\xe2\x82", "\\xe2\\x82");		/* cut short */
	/* Escaping twice changes nothing. */
	ESC_IS("\\x1b]0;\\u009b \xc3\xbc", "\\x1b]0;\\u009b \xc3\xbc");
	ESC_IS("", "");

	/* Into a fixed buffer: never an escape or a character cut in two. */
	CHECK_INT_EQ(text_escape_to(out, sizeof(out), "ab\x1b" "cd", 5), 5);
	CHECK_STR_EQ(out, "ab\\x1bcd");
	CHECK_INT_EQ(text_escape_to(out, 5, "ab\x1b" "cd", 5), 2);
	CHECK_STR_EQ(out, "ab");
	CHECK_INT_EQ(text_escape_to(out, 4, "a\xc3\xbc" "b", 4), 3);
	CHECK_STR_EQ(out, "a\xc3\xbc");
	CHECK_INT_EQ(text_escape_to(out, 3, "a\xc3\xbc", 3), 1);
	CHECK_STR_EQ(out, "a");
	CHECK_INT_EQ(text_escape_to(out, 1, "abc", 3), 0);
	CHECK_STR_EQ(out, "");
	/* At every cap: the escape of whole characters only, as long as fits. */
	{
		static const char mix[] = "a\n\x1b\xc3\xbc\xc2\x9b\x9b\xea\xb3\xa0z";
		char cut[sizeof(out)];
		size_t all = strlen(escaped(mix, sizeof(mix) - 1));

		for (size_t cap = 1; cap <= sizeof(out); cap++) {
			size_t took = text_escape_to(cut, cap, mix, sizeof(mix) - 1);
			const char *want = escaped(mix, took);

			CHECK_STR_EQ(cut, want);
			CHECK(strlen(cut) < cap);
			/* Stopped only where the next character's escape did not fit. */
			if (took < sizeof(mix) - 1) {
				char e[TEXT_ESCAPE_MAX];
				size_t used, k = text_escape_char(mix + took, sizeof(mix) - 1 - took,
				    e, &used);

				CHECK(strlen(cut) + k + 1 > cap);
			}
		}
		CHECK(all > sizeof(out));
	}
	/* A NUL inside the bytes given is shown, not an end. */
	CHECK_INT_EQ(text_escape_to(out, sizeof(out), "a\0b", 3), 3);
	CHECK_STR_EQ(out, "a\\x00b");
}

void
test_text(void)
{
	test_escape();
	test_utf8_valid();
	test_cp1252();
	test_cut_trim_case();
	test_buf();
}

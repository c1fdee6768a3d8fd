/*
 * test_workbook: what a report's text and date become in a cell of
 * skuscan.xlsx: the formula guard undone, the _xHHHH_ escapes for what
 * XML cannot carry, the cut at 32,767 UTF-16 units, and Excel's serial
 * numbers of days. The workbooks themselves are checked against the CSV
 * reports by tests/xlsx/check.py.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "text.h"
#include "values.h"
#include "workbook.h"

/* The cell text of s, as a NUL-terminated string in b. */
static const char *
cell(struct buf *b, const char *s, bool *cut)
{
	*cut = workbook_cell_text(b, s, strlen(s));
	return b->data;
}

static void
test_plain_and_guard(void)
{
	struct buf b = { 0 };
	bool cut;

	CHECK_STR_EQ(cell(&b, "Contoso Ltd", &cut), "Contoso Ltd");
	CHECK(!cut);
	CHECK_STR_EQ(cell(&b, "", &cut), "");
	/* The guard csvout put there goes; an apostrophe of the text stays. */
	CHECK_STR_EQ(cell(&b, "'=SUM(A1)", &cut), "=SUM(A1)");
	CHECK_STR_EQ(cell(&b, "''-x", &cut), "'-x");
	CHECK_STR_EQ(cell(&b, "'Quoted'", &cut), "'Quoted'");
	CHECK_STR_EQ(cell(&b, "O'Brien", &cut), "O'Brien");
	CHECK_STR_EQ(cell(&b, "'\tTab", &cut), "\tTab");
	/* Markup is libxlsxwriter's to escape: kept as it is here. */
	CHECK_STR_EQ(cell(&b, "<b>&amp;", &cut), "<b>&amp;");
	buf_free(&b);
}

static void
test_escapes(void)
{
	struct buf b = { 0 };
	bool cut;

	CHECK_STR_EQ(cell(&b, "Bell\aCorp", &cut), "Bell_x0007_Corp");
	CHECK_STR_EQ(cell(&b, "a\rb", &cut), "a_x000D_b");
	CHECK_STR_EQ(cell(&b, "\x1b[31m", &cut), "_x001B_[31m");
	/* Tab and line feed are XML text. */
	CHECK_STR_EQ(cell(&b, "a\tb\nc", &cut), "a\tb\nc");
	/* DEL and the C1 controls are XML characters too. */
	CHECK_STR_EQ(cell(&b, "a\x7f" "b\xc2\x85", &cut), "a\x7f" "b\xc2\x85");
	/* U+FFFE and U+FFFF are not; U+FFFD is. */
	CHECK_STR_EQ(cell(&b, "x\xef\xbf\xbe" "y\xef\xbf\xbf", &cut), "x_xFFFE_y_xFFFF_");
	CHECK_STR_EQ(cell(&b, "\xef\xbf\xbd", &cut), "\xef\xbf\xbd");
	/* A text that reads as an escape keeps its underscore. */
	CHECK_STR_EQ(cell(&b, "_x0041_", &cut), "_x005F_x0041_");
	CHECK_STR_EQ(cell(&b, "a_X00e9_b", &cut), "a_x005F_X00e9_b");
	CHECK_STR_EQ(cell(&b, "_x004_", &cut), "_x004_");
	CHECK_STR_EQ(cell(&b, "_x00G1_", &cut), "_x00G1_");
	CHECK_STR_EQ(cell(&b, "snake_case_x", &cut), "snake_case_x");
	CHECK(!cut);
	buf_free(&b);
}

/* A text of n copies of unit. */
static char *
repeat(const char *unit, size_t n)
{
	size_t k = strlen(unit);
	char *s = malloc(n * k + 1);

	for (size_t i = 0; i < n; i++)
		memcpy(s + i * k, unit, k);
	s[n * k] = '\0';
	return s;
}

static void
test_cut(void)
{
	struct buf b = { 0 };
	bool cut;
	char *s;

	s = repeat("L", WORKBOOK_CELL_CHARS);
	CHECK(strlen(cell(&b, s, &cut)) == WORKBOOK_CELL_CHARS);
	CHECK(!cut);
	free(s);
	s = repeat("L", WORKBOOK_CELL_CHARS + 1);
	CHECK(strlen(cell(&b, s, &cut)) == WORKBOOK_CELL_CHARS);
	CHECK(cut);
	free(s);
	/* Characters past U+FFFF take two units: 16383 of them fit, never half of one. */
	s = repeat("\xf0\x9f\x98\x80", 20000);
	CHECK(strlen(cell(&b, s, &cut)) == 16383 * 4);
	CHECK(cut);
	free(s);
	/* Hangul takes three bytes and one unit. */
	s = repeat("\xed\x95\x9c", 40000);
	CHECK(strlen(cell(&b, s, &cut)) == (size_t)WORKBOOK_CELL_CHARS * 3);
	free(s);
	/* An escape counts its seven characters, and is never split. */
	s = repeat("\a", 5000);
	CHECK(strlen(cell(&b, s, &cut)) == (WORKBOOK_CELL_CHARS / 7) * 7);
	CHECK(cut);
	CHECK(memcmp(b.data + b.len - 7, "_x0007_", 7) == 0);
	free(s);
	buf_free(&b);
}

static void
test_serial(void)
{
	CHECK(workbook_serial(0) == 25569);			/* 1970-01-01 */
	CHECK(workbook_serial(values_days(2019, 3, 31)) == 43555);
	CHECK(workbook_serial(values_days(1900, 3, 1)) == 61);
	/* Before it, Excel counts a 29 February 1900 that never was. */
	CHECK(workbook_serial(values_days(1900, 2, 28)) < 0);
	CHECK(workbook_serial(values_days(1899, 12, 31)) < 0);
	CHECK(workbook_serial(values_days(9999, 12, 31)) == 2958465);
	CHECK(workbook_serial(DATE_NONE) < 0);
}

void
test_workbook(void)
{
	test_plain_and_guard();
	test_escapes();
	test_cut();
	test_serial();
}

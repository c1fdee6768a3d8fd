/* Unit tests of values.h: quantities, dates, booleans, statuses. */
#include <string.h>

#include "check.h"
#include "values.h"

static enum value_result
qty(const char *s, int64_t *out)
{
	return values_quantity(s, strlen(s), out);
}

static enum value_result
date(const char *s, bool day_first, int32_t *out)
{
	return values_date(s, strlen(s), day_first, out);
}

/* The date s is understood as the calendar day y-m-d. */
static void
check_date(const char *s, bool day_first, int y, int m, int d, int line)
{
	int32_t got = 12345;
	enum value_result r = date(s, day_first, &got);

	if (!check_note(r == VALUE_OK && got == values_days(y, m, d), __FILE__, line,
	    "date understood"))
		fprintf(stderr, "     \"%s\": result %d, days %d, expected %d\n", s, (int)r,
		    (int)got, (int)values_days(y, m, d));
}
#define DATE_IS(s, df, y, m, d) check_date((s), (df), (y), (m), (d), __LINE__)

static void
check_date_bad(const char *s, bool day_first, int line)
{
	int32_t got = 0;
	enum value_result r = date(s, day_first, &got);

	if (!check_note(r == VALUE_BAD, __FILE__, line, "date rejected"))
		fprintf(stderr, "     \"%s\": result %d (days %d), expected VALUE_BAD\n", s,
		    (int)r, (int)got);
}
#define DATE_BAD(s, df) check_date_bad((s), (df), __LINE__)

static void
test_quantity(void)
{
	int64_t v = -1;

	CHECK_INT_EQ(qty("42", &v), VALUE_OK);
	CHECK_INT_EQ(v, 42);
	CHECK_INT_EQ(qty("0", &v), VALUE_OK);
	CHECK_INT_EQ(v, 0);
	CHECK_INT_EQ(qty("007", &v), VALUE_OK);
	CHECK_INT_EQ(v, 7);
	CHECK_INT_EQ(qty("  15\t", &v), VALUE_OK);
	CHECK_INT_EQ(v, 15);
	CHECK_INT_EQ(qty("\t 3 ", &v), VALUE_OK);
	CHECK_INT_EQ(v, 3);
	/* Only the n bytes given count. */
	CHECK_INT_EQ(values_quantity("123", 2, &v), VALUE_OK);
	CHECK_INT_EQ(v, 12);

	v = 99;
	CHECK_INT_EQ(qty("", &v), VALUE_EMPTY);
	CHECK_INT_EQ(qty("   ", &v), VALUE_EMPTY);
	CHECK_INT_EQ(qty(" \t ", &v), VALUE_EMPTY);
	CHECK_INT_EQ(v, 99);	/* untouched when not OK */

	CHECK_INT_EQ(qty("+5", &v), VALUE_BAD);
	CHECK_INT_EQ(qty("-3", &v), VALUE_BAD);
	CHECK_INT_EQ(qty("1,000", &v), VALUE_BAD);
	CHECK_INT_EQ(qty("1.0", &v), VALUE_BAD);
	CHECK_INT_EQ(qty("1 000", &v), VALUE_BAD);
	CHECK_INT_EQ(qty("ten", &v), VALUE_BAD);
	CHECK_INT_EQ(qty("5x", &v), VALUE_BAD);
	CHECK_INT_EQ(qty("0x10", &v), VALUE_BAD);
	CHECK_INT_EQ(v, 99);

	CHECK_INT_EQ(qty("9223372036854775807", &v), VALUE_OK);
	CHECK_INT_EQ(v, INT64_MAX);
	CHECK_INT_EQ(qty("0009223372036854775807", &v), VALUE_OK);
	CHECK_INT_EQ(v, INT64_MAX);
	CHECK_INT_EQ(qty("9223372036854775808", &v), VALUE_BAD);
	CHECK_INT_EQ(qty("9223372036854775810", &v), VALUE_BAD);
	CHECK_INT_EQ(qty("18446744073709551616", &v), VALUE_BAD);
	CHECK_INT_EQ(qty("99999999999999999999999", &v), VALUE_BAD);
}

static void
test_date_forms(void)
{
	int32_t v;

	/* ISO, with a T or space time, fractions and zones. */
	DATE_IS("2019-01-31", false, 2019, 1, 31);
	DATE_IS("  2019-01-31\t", false, 2019, 1, 31);
	DATE_IS("2019-01-31T00:00:00Z", false, 2019, 1, 31);
	DATE_IS("2019-01-31T00:00:00.0000000+00:00", false, 2019, 1, 31);
	DATE_IS("2019-01-31T23:59:59.1Z", false, 2019, 1, 31);
	DATE_IS("2019-01-31T23:59:59.123+02:00", false, 2019, 1, 31);
	DATE_IS("2019-01-31T23:59", false, 2019, 1, 31);
	DATE_IS("2019-01-31 10:00:00", false, 2019, 1, 31);
	DATE_IS("2020-05-23 19:59:00Z", false, 2020, 5, 23);
	/* The zone never shifts the date as written. */
	DATE_IS("2019-01-31T23:30:00-05:00", false, 2019, 1, 31);
	DATE_IS("2019-02-01T00:30:00+09:00", false, 2019, 2, 1);
	/* A fraction of up to 7 digits, not 8. */
	DATE_BAD("2019-01-31T00:00:00.00000000Z", false);
	DATE_BAD("2019-01-31T00:00:00.Z", false);

	/* M/D/YYYY with an optional time. */
	DATE_IS("2/28/2019 23:59", false, 2019, 2, 28);
	DATE_IS("1/31/2019 12:00:00 AM", false, 2019, 1, 31);
	DATE_IS("12/31/2019 11:59:59 PM", false, 2019, 12, 31);
	DATE_IS("01/05/2019", false, 2019, 1, 5);
	DATE_IS("1/5/2019", false, 2019, 1, 5);
	DATE_IS("1/5/2019", true, 2019, 5, 1);
	DATE_IS("3/4/2019", false, 2019, 3, 4);
	DATE_IS("3/4/2019", true, 2019, 4, 3);
	DATE_IS("13/1/2019", true, 2019, 1, 13);
	DATE_BAD("13/1/2019", false);
	DATE_BAD("1/13/2019", true);
	DATE_IS("1/13/2019", false, 2019, 1, 13);
	DATE_BAD("1/31/2019 13:00:00 PM", false);
	DATE_BAD("1/31/19", false);

	/* D.M.YYYY, always day first. */
	DATE_IS("31.01.2019", false, 2019, 1, 31);
	DATE_IS("31.01.2019", true, 2019, 1, 31);
	DATE_IS("1.2.2019", false, 2019, 2, 1);
	DATE_IS("31.01.2019 08:15", false, 2019, 1, 31);
	DATE_BAD("01.31.2019", false);

	/* Impossible calendar dates. */
	DATE_BAD("2019-02-30", false);
	DATE_BAD("2019-02-29", false);
	DATE_IS("2020-02-29", false, 2020, 2, 29);
	DATE_IS("2000-02-29", false, 2000, 2, 29);
	DATE_BAD("1900-02-29", false);
	DATE_BAD("2019-13-01", false);
	DATE_BAD("2019-00-10", false);
	DATE_BAD("2019-04-31", false);
	DATE_BAD("2/30/2019", false);
	DATE_BAD("30.02.2019", false);

	/* Year 9999 is "no end". */
	v = 7;
	CHECK_INT_EQ(date("9999-12-31", false, &v), VALUE_OK);
	CHECK_INT_EQ(v, DATE_NONE);
	v = 7;
	CHECK_INT_EQ(date("9999-12-31T23:59:59.9999999Z", false, &v), VALUE_OK);
	CHECK_INT_EQ(v, DATE_NONE);
	v = 7;
	CHECK_INT_EQ(date("12/31/9999 11:59:59 PM", false, &v), VALUE_OK);
	CHECK_INT_EQ(v, DATE_NONE);

	/* Empty and garbage. */
	v = 7;
	CHECK_INT_EQ(date("", false, &v), VALUE_EMPTY);
	CHECK_INT_EQ(date("  \t ", false, &v), VALUE_EMPTY);
	CHECK_INT_EQ(v, 7);
	DATE_BAD("garbage", false);
	DATE_BAD("2019", false);
	DATE_BAD("2019-01", false);
	DATE_BAD("2019-1-5", false);
	DATE_BAD("2019/01/31", false);
	DATE_BAD("2019-01-31X", false);
	DATE_BAD("2019-01-31T", false);
	DATE_BAD("2019-01-31Tnoon", false);
	DATE_BAD("2019-01-31T00:00:00Zjunk", false);
	DATE_BAD("Jan 31, 2019", false);
	DATE_BAD("31-01-2019", false);
	DATE_BAD("-", false);
}

static void
test_days(void)
{
	char out[11];
	int32_t v = 0;

	CHECK_INT_EQ(values_days(1970, 1, 1), 0);
	CHECK_INT_EQ(values_days(1970, 1, 2), 1);
	CHECK_INT_EQ(values_days(1969, 12, 31), -1);
	CHECK_INT_EQ(values_days(2000, 3, 1) - values_days(2000, 2, 28), 2);
	CHECK_INT_EQ(values_days(2019, 3, 1) - values_days(2019, 2, 28), 1);
	CHECK_INT_EQ(values_days(2019, 1, 1), 17897);
	CHECK_INT_EQ(values_days(2019, 1, 5) + 120, values_days(2019, 5, 5));
	CHECK_INT_EQ(values_days(2019, 2, 29), DATE_NONE);
	CHECK_INT_EQ(values_days(2019, 0, 1), DATE_NONE);
	CHECK_INT_EQ(values_days(2019, 1, 0), DATE_NONE);
	CHECK_INT_EQ(values_days(2019, 1, 32), DATE_NONE);

	values_date_format(0, out);
	CHECK_STR_EQ(out, "1970-01-01");
	values_date_format(values_days(2019, 1, 5) + 120, out);
	CHECK_STR_EQ(out, "2019-05-05");
	values_date_format(values_days(2020, 2, 29), out);
	CHECK_STR_EQ(out, "2020-02-29");
	values_date_format(-1, out);
	CHECK_STR_EQ(out, "1969-12-31");
	values_date_format(values_days(9998, 12, 31), out);
	CHECK_STR_EQ(out, "9998-12-31");

	/* Every day of four years, leap year included, round trips. */
	{
		int bad = 0;
		int32_t start = values_days(2019, 1, 1);

		for (int32_t d = start; d < start + 4 * 366; d++) {
			int32_t back = -1;

			values_date_format(d, out);
			if (!values_iso_date(out, &back) || back != d)
				bad++;
		}
		CHECK_INT_EQ(bad, 0);
	}

	/* values_iso_date is strict. */
	CHECK(values_iso_date("2019-01-01", &v));
	CHECK_INT_EQ(v, values_days(2019, 1, 1));
	CHECK(values_iso_date("2020-02-29", &v));
	CHECK(!values_iso_date("2019-02-29", &v));
	CHECK(!values_iso_date("2019-02-30", &v));
	CHECK(!values_iso_date("2019-13-01", &v));
	CHECK(!values_iso_date("2019-1-01", &v));
	CHECK(!values_iso_date("2019-01-1", &v));
	CHECK(!values_iso_date("19-01-01", &v));
	CHECK(!values_iso_date(" 2019-01-01", &v));
	CHECK(!values_iso_date("2019-01-01 ", &v));
	CHECK(!values_iso_date("2019-01-01T00:00:00Z", &v));
	CHECK(!values_iso_date("1/1/2019", &v));
	CHECK(!values_iso_date("2019/01/01", &v));
	CHECK(!values_iso_date("20190101", &v));
	CHECK(!values_iso_date("", &v));
	CHECK(!values_iso_date("yesterday!", &v));
}

static int
b(const char *s)
{
	return values_bool(s, strlen(s));
}

static bool
act(const char *s)
{
	return values_status_active(s, strlen(s));
}

static void
test_bool_status(void)
{
	CHECK_INT_EQ(b("true"), 1);
	CHECK_INT_EQ(b("TRUE"), 1);
	CHECK_INT_EQ(b("True"), 1);
	CHECK_INT_EQ(b("yes"), 1);
	CHECK_INT_EQ(b("YES"), 1);
	CHECK_INT_EQ(b("1"), 1);
	CHECK_INT_EQ(b("on"), 1);
	CHECK_INT_EQ(b("On"), 1);
	CHECK_INT_EQ(b(" true\t"), 1);
	CHECK_INT_EQ(b("false"), 0);
	CHECK_INT_EQ(b("FALSE"), 0);
	CHECK_INT_EQ(b("no"), 0);
	CHECK_INT_EQ(b("No"), 0);
	CHECK_INT_EQ(b("0"), 0);
	CHECK_INT_EQ(b("off"), 0);
	CHECK_INT_EQ(b("OFF"), 0);
	CHECK_INT_EQ(b("  false "), 0);
	CHECK_INT_EQ(b(""), -1);
	CHECK_INT_EQ(b("   "), -1);
	CHECK_INT_EQ(b("maybe"), -1);
	CHECK_INT_EQ(b("2"), -1);
	CHECK_INT_EQ(b("truee"), -1);
	CHECK_INT_EQ(b("t"), -1);
	CHECK_INT_EQ(b("y"), -1);
	CHECK_INT_EQ(b("00"), -1);
	CHECK_INT_EQ(values_bool("true", 3), -1);	/* "tru" */
	/* Excel's localized TRUE and FALSE. */
	CHECK_INT_EQ(b("WAHR"), 1);
	CHECK_INT_EQ(b("FALSCH"), 0);
	CHECK_INT_EQ(b("Vrai"), 1);
	CHECK_INT_EQ(b("FAUX"), 0);
	CHECK_INT_EQ(b("VERDADERO"), 1);
	CHECK_INT_EQ(b("VERDADEIRO"), 1);
	CHECK_INT_EQ(b("FALSO"), 0);
	CHECK_INT_EQ(b("WAAR"), 1);
	CHECK_INT_EQ(b("ONWAAR"), 0);
	CHECK_INT_EQ(b("VERO"), 1);
	CHECK_INT_EQ(b("Ja"), -1);
	CHECK_INT_EQ(b("Sim"), -1);

	CHECK(act("active"));
	CHECK(act("Active"));
	CHECK(act("ACTIVE"));
	CHECK(act("  active\t"));
	CHECK(act(""));
	CHECK(act("   "));
	CHECK(!act("suspended"));
	CHECK(!act("Suspended"));
	CHECK(!act("expired"));
	CHECK(!act("pending"));
	CHECK(!act("disabled"));
	CHECK(!act("deleted"));
	CHECK(!act("none"));
	CHECK(!act("inactive"));
	CHECK(!act("actives"));
	CHECK(!values_status_active("actively", 7));	/* "activel" */
	CHECK(values_status_active("actively", 6));	/* "active" */
	/* No-break spaces around a value, in UTF-8 and as Windows-1252's byte. */
	CHECK(act("Active\xc2\xa0"));
	CHECK(act("\xc2\xa0 active \xa0"));
	CHECK(act("\xa0" "Active"));
	CHECK(!act("Act\xc2\xa0" "ive"));
	CHECK(act("\xe2\x80\xaf" "Active\xe3\x80\x80"));	/* narrow, ideographic */
	CHECK(!values_status_known("Activ\xc3\xa0", 7));	/* A0 ends a letter here */
	/* Known values only: a localized one is not silently inactive. */
	CHECK(values_status_known("", 0));
	CHECK(values_status_known("SUSPENDED", 9));
	CHECK(values_status_known(" none\xc2\xa0", 7));
	CHECK(!values_status_known("Aktiv", 5));
	CHECK(!values_status_known("Activo", 6));
	CHECK(!values_status_known("inactive", 8));
}

/* Sums of seats and counts stop at the ends of their type, never wrap. */
static void
test_saturating(void)
{
	CHECK(values_seats_add(2, 3) == 5);
	CHECK(values_seats_add(INT64_MAX, 0) == INT64_MAX);
	CHECK(values_seats_add(INT64_MAX, 1) == INT64_MAX);
	CHECK(values_seats_add(INT64_MAX, INT64_MAX) == INT64_MAX);
	CHECK(values_seats_add(INT64_MAX - 1, 1) == INT64_MAX);
	CHECK(values_seats_add(INT64_MIN, -1) == INT64_MIN);
	CHECK(values_seats_add(INT64_MAX, -1) == INT64_MAX - 1);
	CHECK(values_seats_sub(5, 7) == -2);
	CHECK(values_seats_sub(-INT64_MAX, INT64_MAX) == INT64_MIN);
	CHECK(values_seats_sub(INT64_MIN, 1) == INT64_MIN);
	CHECK(values_seats_sub(INT64_MAX, -1) == INT64_MAX);
	CHECK(values_seats_sub(0, -INT64_MAX) == INT64_MAX);
	CHECK(values_count_add(1, 2) == 3);
	CHECK(values_count_add(UINT64_MAX, 1) == UINT64_MAX);
	CHECK(values_count_add(UINT64_MAX - 1, 1) == UINT64_MAX);
	CHECK(values_count_add(1, UINT64_MAX) == UINT64_MAX);
}

void
test_values(void)
{
	test_quantity();
	test_saturating();
	test_date_forms();
	test_days();
	test_bool_status();
}

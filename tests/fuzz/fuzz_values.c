/*
 * fuzz_values: the value parsers of values.h on arbitrary bytes, with the
 * invariants SPEC.md implies:
 *  - a quantity that parses is non-negative and its trimmed text is digits;
 *  - a date that parses (and is not year 9999's DATE_NONE) formats back to a
 *    YYYY-MM-DD that values_iso_date and values_date read as the same day;
 *  - --day-first changes nothing for a date without '/';
 *  - values_iso_date accepts exactly the text values_date_format writes;
 *  - "empty" means nothing but spaces and tabs, for every parser.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "values.h"

#define CHECK(c)                                                                        \
	do {                                                                            \
		if (!(c)) {                                                             \
			fprintf(stderr, "fuzz_values: %s:%d: check failed: %s\n", __FILE__, \
			    __LINE__, #c);                                              \
			abort();                                                        \
		}                                                                       \
	} while (0)

static size_t
trim(const char **s, size_t n)
{
	while (n > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		n--;
	}
	while (n > 0 && ((*s)[n - 1] == ' ' || (*s)[n - 1] == '\t'))
		n--;
	return n;
}

/* A date that parsed: it must survive formatting and re-reading. */
static void
check_day(int32_t day)
{
	char iso[11];
	int32_t back = 0, again = 0;

	values_date_format(day, iso);
	CHECK(strlen(iso) == 10);
	CHECK(values_iso_date(iso, &back));
	CHECK(back == day);
	CHECK(values_date(iso, 10, false, &again) == VALUE_OK);
	CHECK(again == day);
	CHECK(memcmp(iso, "0000", 4) != 0 && memcmp(iso, "9999", 4) != 0);
}

static void
check_date(const char *s, size_t n, size_t tn)
{
	int32_t a = 12345, b = 12345;
	enum value_result ra = values_date(s, n, false, &a);
	enum value_result rb = values_date(s, n, true, &b);

	CHECK(ra == VALUE_OK || ra == VALUE_EMPTY || ra == VALUE_BAD);
	CHECK(rb == VALUE_OK || rb == VALUE_EMPTY || rb == VALUE_BAD);
	CHECK((ra == VALUE_EMPTY) == (tn == 0));
	CHECK((rb == VALUE_EMPTY) == (tn == 0));
	if (ra == VALUE_OK && a != DATE_NONE)
		check_day(a);
	if (rb == VALUE_OK && b != DATE_NONE)
		check_day(b);
	if (memchr(s, '/', n) == NULL) {
		CHECK(ra == rb);
		if (ra == VALUE_OK)
			CHECK(a == b);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *t = s;
	size_t tn = trim(&t, size);
	int64_t q = -1;
	enum value_result r;
	int32_t day = 0;
	char *z;

	/* Quantities. */
	r = values_quantity(s, size, &q);
	CHECK((r == VALUE_EMPTY) == (tn == 0));
	if (r == VALUE_OK) {
		CHECK(q >= 0);
		for (size_t i = 0; i < tn; i++)
			CHECK(t[i] >= '0' && t[i] <= '9');
	} else if (r == VALUE_BAD) {
		bool digits = true;

		for (size_t i = 0; i < tn; i++)
			digits = digits && t[i] >= '0' && t[i] <= '9';
		/* All digits is only refused above 2^63-1: 19 digits at least. */
		if (digits) {
			size_t lead = 0;

			while (lead < tn && t[lead] == '0')
				lead++;
			CHECK(tn - lead >= 19);
		}
	}

	/* Dates, both ways round. */
	check_date(s, size, tn);

	/* Unicode trimming stays inside the value and is done in one pass. */
	{
		const char *u = s, *again;
		size_t un = text_trim_space(&u, size);

		CHECK(u >= s && u + un <= s + size);
		again = u;
		CHECK(text_trim_space(&again, un) == un && again == u);
	}

	/* Booleans and statuses. */
	{
		int b = values_bool(s, size);

		CHECK(b == -1 || b == 0 || b == 1);
		if (tn == 0)
			CHECK(b == -1);
		{
			/* A status is trimmed of no-break spaces too. */
			const char *st = s;
			size_t sn = values_trim_status(&st, size);

			CHECK(sn <= tn);
			if (values_status_active(s, size))
				CHECK(sn == 0 || sn == 6);
			if (sn == 0)
				CHECK(values_status_active(s, size));
			if (values_status_active(s, size))
				CHECK(values_status_known(s, size));
		}
	}

	/* The strict --as-of form, on a NUL-terminated copy. */
	z = malloc(size + 1);
	memcpy(z, data, size);
	z[size] = '\0';
	if (values_iso_date(z, &day)) {
		char iso[11];

		int32_t again = 0;

		CHECK(strlen(z) == 10);
		values_date_format(day, iso);
		CHECK(memcmp(iso, z, 10) == 0);
		/* In an export, year 9999 is "no end"; --as-of takes it as a day. */
		CHECK(values_date(z, 10, false, &again) == VALUE_OK);
		if (memcmp(z, "9999", 4) == 0)
			CHECK(again == DATE_NONE);
		else
			check_day(day);
	}
	free(z);

	/* values_days and values_date_format on the first bytes as y, m, d. */
	if (size >= 4) {
		int y = (data[0] | data[1] << 8) % 10001;
		int m = data[2] % 14;
		int d = data[3] % 33;
		int32_t v = values_days(y, m, d);

		if (v != DATE_NONE) {
			char iso[11], want[16];

			values_date_format(v, iso);
			snprintf(want, sizeof(want), "%04d-%02d-%02d", y, m, d);
			CHECK(strcmp(iso, want) == 0);
		} else {
			CHECK(y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 28);
		}
	}
	return 0;
}

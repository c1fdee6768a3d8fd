/* values: parsing of quantities, dates, booleans and statuses. */
#include <string.h>

#include "text.h"
#include "values.h"

enum value_result
values_quantity(const char *s, size_t n, int64_t *out)
{
	uint64_t v = 0;

	n = text_trim(&s, n);
	if (n == 0)
		return VALUE_EMPTY;
	for (size_t i = 0; i < n; i++) {
		unsigned d = (unsigned char)s[i] - '0';

		if (d > 9)
			return VALUE_BAD;
		if (v > (UINT64_C(0x7fffffffffffffff) - d) / 10)
			return VALUE_BAD;
		v = v * 10 + d;
	}
	*out = (int64_t)v;
	return VALUE_OK;
}

int64_t
values_seats_add(int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_add_overflow(a, b, &r))
		return b > 0 ? INT64_MAX : INT64_MIN;
	return r;
}

int64_t
values_seats_sub(int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_sub_overflow(a, b, &r))
		return b < 0 ? INT64_MAX : INT64_MIN;
	return r;
}

uint64_t
values_count_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static bool
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
month_days(int y, int m)
{
	static const int md[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && leap(y) ? 29 : md[m - 1];
}

/* Howard Hinnant's days_from_civil, valid for the whole proleptic calendar. */
int32_t
values_days(int y, int m, int d)
{
	int era, yoe, doy, doe;

	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > month_days(y, m))
		return DATE_NONE;
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int32_t)(era * 146097 + doe - 719468);
}

void
values_date_format(int32_t days, char out[11])
{
	int z = days + 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int y = yoe + era * 400;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	int d = doy - (153 * mp + 2) / 5 + 1;
	int m = mp + (mp < 10 ? 3 : -9);
	unsigned uy = (unsigned)(y + (m <= 2)) % 10000u;

	out[0] = (char)('0' + uy / 1000);
	out[1] = (char)('0' + uy / 100 % 10);
	out[2] = (char)('0' + uy / 10 % 10);
	out[3] = (char)('0' + uy % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
}

/* Reads between min and max digits at *p; returns the value or -1. */
static int
digits(const char **p, const char *end, int min, int max)
{
	int v = 0, k = 0;

	while (*p < end && k < max && **p >= '0' && **p <= '9') {
		v = v * 10 + (**p - '0');
		(*p)++;
		k++;
	}
	return k >= min ? v : -1;
}

static bool
lit(const char **p, const char *end, char c)
{
	if (*p < end && **p == c) {
		(*p)++;
		return true;
	}
	return false;
}

/* [.fraction of 1-7 digits] */
static bool
fraction(const char **p, const char *end)
{
	if (lit(p, end, '.') || lit(p, end, ','))
		return digits(p, end, 1, 7) >= 0;
	return true;
}

/* Time after an ISO date: HH:MM[:SS[.f]] then Z or +HH[:MM] / -HH[:MM]. */
static bool
iso_time(const char *p, const char *end)
{
	int h, mi, se = 0;

	h = digits(&p, end, 1, 2);
	if (h < 0 || h > 24 || !lit(&p, end, ':'))
		return false;
	mi = digits(&p, end, 2, 2);
	if (mi < 0 || mi > 59)
		return false;
	if (lit(&p, end, ':')) {
		se = digits(&p, end, 2, 2);
		if (se < 0 || se > 60 || !fraction(&p, end))
			return false;
	}
	if (p < end && *p == ' ')
		p++;
	if (p == end)
		return true;
	if (lit(&p, end, 'Z') || lit(&p, end, 'z'))
		return p == end;
	if (lit(&p, end, '+') || lit(&p, end, '-')) {
		int zh = digits(&p, end, 2, 2);

		if (zh < 0 || zh > 14)
			return false;
		if (p == end)
			return true;
		lit(&p, end, ':');
		return digits(&p, end, 2, 2) >= 0 && p == end;
	}
	return false;
}

/* Time after a M/D/YYYY or D.M.YYYY date: H:MM[:SS[.f]] [AM|PM]. */
static bool
local_time(const char *p, const char *end)
{
	int h, mi;
	bool ampm = false;

	h = digits(&p, end, 1, 2);
	if (h < 0 || !lit(&p, end, ':'))
		return false;
	mi = digits(&p, end, 2, 2);
	if (mi < 0 || mi > 59)
		return false;
	if (lit(&p, end, ':')) {
		int se = digits(&p, end, 2, 2);

		if (se < 0 || se > 60 || !fraction(&p, end))
			return false;
	}
	while (p < end && *p == ' ')
		p++;
	if (end - p == 2 && (p[0] == 'A' || p[0] == 'a' || p[0] == 'P' || p[0] == 'p') &&
	    (p[1] == 'M' || p[1] == 'm')) {
		ampm = true;
		p += 2;
	}
	if (p != end)
		return false;
	return ampm ? (h >= 1 && h <= 12) : h <= 24;
}

enum value_result
values_date(const char *s, size_t n, bool day_first, int32_t *out)
{
	const char *p, *end;
	int a, b, y, m, d;

	n = text_trim(&s, n);
	if (n == 0)
		return VALUE_EMPTY;
	p = s;
	end = s + n;
	a = digits(&p, end, 1, 4);
	if (a < 0 || p == end)
		return VALUE_BAD;
	if (*p == '-' && p - s == 4) {
		/* YYYY-MM-DD[(T| )time] */
		y = a;
		p++;
		m = digits(&p, end, 2, 2);
		if (m < 0 || !lit(&p, end, '-'))
			return VALUE_BAD;
		d = digits(&p, end, 2, 2);
		if (d < 0)
			return VALUE_BAD;
		if (p < end) {
			if (*p != 'T' && *p != 't' && *p != ' ')
				return VALUE_BAD;
			if (!iso_time(p + 1, end))
				return VALUE_BAD;
		}
	} else if ((*p == '/' || *p == '.') && p - s <= 2) {
		char sep = *p++;

		b = digits(&p, end, 1, 2);
		if (b < 0 || !lit(&p, end, sep))
			return VALUE_BAD;
		{
			const char *ys = p;

			y = digits(&p, end, 4, 4);
			if (y < 0 || p - ys != 4)
				return VALUE_BAD;
		}
		if (sep == '.' || day_first) {
			d = a;
			m = b;
		} else {
			m = a;
			d = b;
		}
		if (p < end) {
			if (*p != ' ' && *p != 'T')
				return VALUE_BAD;
			while (p < end && *p == ' ')
				p++;
			if (p < end && *p == 'T')
				p++;
			if (!local_time(p, end))
				return VALUE_BAD;
		}
	} else {
		return VALUE_BAD;
	}
	if (y == 9999) {
		if (values_days(y, m, d) == DATE_NONE)
			return VALUE_BAD;
		*out = DATE_NONE;
		return VALUE_OK;
	}
	*out = values_days(y, m, d);
	return *out == DATE_NONE ? VALUE_BAD : VALUE_OK;
}

bool
values_iso_date(const char *s, int32_t *out)
{
	size_t n = strlen(s);
	int y, m, d;
	const char *p = s, *end = s + n;

	if (n != 10)
		return false;
	y = digits(&p, end, 4, 4);
	if (y < 0 || !lit(&p, end, '-'))
		return false;
	m = digits(&p, end, 2, 2);
	if (m < 0 || !lit(&p, end, '-'))
		return false;
	d = digits(&p, end, 2, 2);
	if (d < 0 || p != end)
		return false;
	*out = values_days(y, m, d);
	return *out != DATE_NONE;
}

int
values_bool(const char *s, size_t n)
{
	/* With the words Excel writes for TRUE and FALSE in de, fr, es/pt, nl, it. */
	static const char *yes[] = { "true", "yes", "1", "on", "wahr", "vrai", "verdadero",
	    "verdadeiro", "waar", "vero" };
	static const char *no[] = { "false", "no", "0", "off", "falsch", "faux", "falso",
	    "onwaar" };

	n = text_trim(&s, n);
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (text_ieq(s, n, yes[i]))
			return 1;
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (text_ieq(s, n, no[i]))
			return 0;
	return -1;
}

size_t
values_trim_status(const char **s, size_t n)
{
	const unsigned char *p;
	size_t was;

	/*
	 * Also a Windows-1252 no-break space (a lone A0 byte) when the value
	 * did not pass through the reader's conversion; at the end only after
	 * an ASCII byte, where it cannot end a UTF-8 letter such as U+00E0.
	 */
	do {
		was = n;
		n = text_trim_space(s, n);
		p = (const unsigned char *)*s;
		if (n > 0 && p[0] == 0xa0) {
			*s = (const char *)p + 1;
			n--;
		} else if (n > 0 && p[n - 1] == 0xa0 && (n == 1 || p[n - 2] < 0x80)) {
			n--;
		}
	} while (n != was);
	return n;
}

bool
values_status_active(const char *s, size_t n)
{
	n = values_trim_status(&s, n);
	return n == 0 || text_ieq(s, n, "active");
}

bool
values_status_known(const char *s, size_t n)
{
	static const char *const known[] = {
		"active", "pending", "suspended", "expired", "disabled", "deleted", "none",
	};

	n = values_trim_status(&s, n);
	if (n == 0)
		return true;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (text_ieq(s, n, known[i]))
			return true;
	return false;
}

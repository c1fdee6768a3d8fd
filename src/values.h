/*
 * values: the field values of an export — quantities, dates, booleans and
 * statuses — parsed as SPEC.md describes. Pure functions, no allocation.
 */
#ifndef SKUSCAN_VALUES_H
#define SKUSCAN_VALUES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A calendar date as days since 1970-01-01; DATE_NONE when unknown. */
#define DATE_NONE INT32_MIN

enum value_result {
	VALUE_OK,
	VALUE_EMPTY,	/* nothing but spaces */
	VALUE_BAD	/* present but not understood */
};

/* ASCII digits only, at most 2^63-1; spaces and tabs around are ignored. */
enum value_result values_quantity(const char *s, size_t n, int64_t *out);

/*
 * a + b, saturating at INT64_MAX and INT64_MIN: every sum of seats goes
 * through here, as one quantity may be 2^63-1. A total that saturated
 * reads 9223372036854775807 wherever it is shown (stderr, the CSV
 * reports, summary.html), never a wrapped negative number.
 */
int64_t values_seats_add(int64_t a, int64_t b);
/* a - b, saturating the same way (a reconciliation file's removed seats). */
int64_t values_seats_sub(int64_t a, int64_t b);
/* a + b for counts of users or subscriptions, saturating at UINT64_MAX. */
uint64_t values_count_add(uint64_t a, uint64_t b);

/*
 * A date in one of SPEC's forms: ISO (with an optional time and zone),
 * M/D/YYYY (D/M/YYYY when day_first) with an optional time, or D.M.YYYY.
 * Only the calendar date as written is used. A date in year 9999 ("no
 * end") gives VALUE_OK with *out = DATE_NONE.
 */
enum value_result values_date(const char *s, size_t n, bool day_first, int32_t *out);

/* Days since 1970-01-01 of a valid y-m-d, or DATE_NONE if it is impossible. */
int32_t values_days(int y, int m, int d);
/* Writes YYYY-MM-DD and a NUL into out (11 bytes). */
void values_date_format(int32_t days, char out[11]);
/* A strict YYYY-MM-DD, as --as-of takes it. */
bool values_iso_date(const char *s, int32_t *out);

/* 1 true, 0 false, -1 unknown (empty or not a boolean word). */
int values_bool(const char *s, size_t n);

/* True when the status counts as active: "active" in any case, or empty. */
bool values_status_active(const char *s, size_t n);
/*
 * s without the spaces around it, no-break spaces too (U+00A0 in UTF-8,
 * and the byte A0 of Windows-1252): its length.
 */
size_t values_trim_status(const char **s, size_t n);
/* Whether s (trimmed) is empty or one of the API's status values. */
bool values_status_known(const char *s, size_t n);

#endif

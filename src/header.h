/*
 * header: finding the fields of an export by their column names, with
 * SPEC's alias tables. Names compare after lower-casing and deleting
 * spaces, '_', '-' and '.'; when several columns name one field, the alias
 * earlier in the table wins.
 */
#ifndef SKUSCAN_HEADER_H
#define SKUSCAN_HEADER_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "text.h"

enum sub_field {
	SF_CUSTOMER_ID, SF_CUSTOMER_NAME, SF_CUSTOMER_DOMAIN, SF_SUBSCRIPTION_ID,
	SF_OFFER_NAME, SF_OFFER_ID, SF_QUANTITY, SF_STATUS, SF_AUTO_RENEW,
	SF_END_DATE, SF_STATUS_DATE, SF_CHARGE_TYPE, SF_CHARGE_START, SF_COUNT
};

enum lic_field {
	LF_CUSTOMER_ID, LF_CUSTOMER_DOMAIN, LF_USER, LF_DISPLAY_NAME, LF_LICENSES,
	LF_COUNT
};

enum header_kind { HEADER_SUBSCRIPTIONS, HEADER_LICENSES };

struct header_field {
	const char *name;		/* the field's name in SPEC and messages */
	const char *aliases[10];	/* accepted names, canonical first */
	bool required;
};

/* The alias table of a kind of export, and its number of fields. */
const struct header_field *header_fields(enum header_kind kind, size_t *count);

/*
 * Maps the n header names to the kind's fields: col[f] is the column of
 * field f, or -1. col must have room for the kind's field count.
 */
void header_map(enum header_kind kind, const char *const *names, const size_t *lens,
    size_t n, int *col);

/*
 * Checks that the kind's required fields are present. Otherwise fills d
 * with the first missing field, the headers found, the closest accepted
 * name when one is near, and a hint when the file looks like the other
 * kind of export. Returns 0 or -1.
 */
int header_check(enum header_kind kind, const char *file, const char *const *names,
    const size_t *lens, size_t n, const int *col, struct diag *d);

/*
 * Appends to out, one per line, a warning for each optional field that has
 * no column but a header close to one of its names, as long as out stays
 * within max bytes: a warning that does not fit is left out whole.
 * Returns the number appended. With escaped, the header names are written
 * as text_escape shows them, for stderr; without, as read, for
 * summary.html (which escapes them for HTML itself).
 */
size_t header_hints(enum header_kind kind, const char *const *names, const size_t *lens,
    size_t n, const int *col, bool escaped, size_t max, struct buf *out);

/* Edit distance between two short strings (for "did you mean"). */
size_t header_distance(const char *a, const char *b);

/* Normalized form of a header name: lower case without ' ', '_', '-', '.'. */
void header_normalize(const char *s, size_t n, char *out, size_t outsize);

#endif

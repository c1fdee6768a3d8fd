/*
 * items: the license items of one licenses value. Splits on ';' and on a
 * '+' not between two spaces; splits a piece on commas when every part is
 * a tenant:PART item or a bare part number, or every part has a tenant:
 * prefix; trims each item and removes its "tenant:" prefix; drops empty
 * items and "Unlicensed".
 */
#ifndef SKUSCAN_ITEMS_H
#define SKUSCAN_ITEMS_H

#include <stddef.h>

/*
 * Called once per item with the item (not NUL-terminated) and its tenant
 * prefix (tlen 0 when none). A non-zero return stops the split.
 */
typedef int (*items_fn)(const char *item, size_t n, const char *tenant, size_t tlen, void *arg);

/* Returns 0, or the first non-zero value f returned. */
int items_split(const char *s, size_t n, items_fn f, void *arg);

#endif

/*
 * sort: a stable radix sort of items by a 64-bit key. Reports order
 * 100k customers and more by numbers they can compute once (a date, a
 * key's first bytes); qsort's comparisons would each chase pointers into
 * memory the rows no longer have in cache.
 */
#ifndef SKUSCAN_SORT_H
#define SKUSCAN_SORT_H

#include <stddef.h>
#include <stdint.h>

struct sort_item {
	uint64_t key;
	size_t at;		/* the caller's: an index, say */
};

/* Sorts v by key; items with equal keys keep their order. */
void sort_items(struct sort_item *v, size_t n);

#endif

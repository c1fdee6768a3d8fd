/*
 * ingest: one export file read into the ledger — records, header mapping,
 * value checks, classification — with every unusable record handed to the
 * caller's reject function. Subscription files must all be read before
 * license files, whose rows are joined to the subscription customers.
 */
#ifndef SKUSCAN_INGEST_H
#define SKUSCAN_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "filestats.h"
#include "inflate.h"
#include "ledger.h"
#include "rules.h"
#include "text.h"

struct ingest_opts {
	bool day_first;
	const char *encoding;		/* NULL: detect */
	char delimiter;			/* 0: detect */
	size_t max_field_bytes;
	bool libcsv_only;		/* parse every line with libcsv (tests) */
	enum inflate_engine inflate;	/* igzip, or zlib (tests) */
	unsigned vector_bytes;		/* records_opts.vector_bytes (tests) */
	int threads;			/* parsing threads for large plain files */
	size_t chunk_bytes;		/* 0, or chunk size and threshold (tests) */
};

/* Receives a rejected record: its start line, the reason and its raw text. */
typedef void (*reject_fn)(void *arg, const char *file, uint64_t line, const char *reason,
    const char *raw, size_t len);

/* Progress: bytes of the stored file read so far, and its size (0 unknown). */
typedef void (*progress_fn)(void *arg, const char *file, uint64_t done, uint64_t size);

struct ingest {
	const struct ingest_opts *opts;
	struct rules *rules;
	struct ledger *ledger;
	reject_fn reject;
	void *reject_arg;
	progress_fn progress;		/* may be NULL */
	void *progress_arg;
};

/* Reads the file st->path of kind st->kind. Returns 0, or -1 with d filled. */
int ingest_file(struct ingest *g, struct file_stats *st, struct diag *d);

#endif

/*
 * linescan: one pass over the bytes of a line, finding where it stops (a
 * line end, a NUL byte, or with quote_stops the first quote), the
 * delimiters before that, the last quote passed and whether a byte at or
 * above 0x80 was passed. It takes 64 or 32 bytes a step with AVX2, 16
 * with SSE2, or one byte at a time. It knows nothing else of CSV.
 *
 * A struct linescan is the caller's (usually inside a larger struct); it
 * owns its dpos array, freed by linescan_free. The bytes scanned are the
 * caller's and are not kept: dpos holds offsets into them.
 */
#ifndef SKUSCAN_LINESCAN_H
#define SKUSCAN_LINESCAN_H

#include <stdbool.h>
#include <stddef.h>

struct linescan {
	char delim;
	unsigned vector_bytes;	/* the block: 32 (AVX2), 16 (SSE2), 1 (bytes) */
	size_t *dpos;		/* offsets of the delimiters passed, in order */
	size_t ndpos, dpos_cap;
	bool high;		/* a byte >= 0x80 was passed */
	size_t hi_first, hi_last;	/* the first and last such bytes, when high */
	size_t q2;		/* the last quote passed without quote_stops */
	size_t nquote;		/* the quotes passed without quote_stops */
};

/*
 * The block in bytes for a wish: 16 gives 16, anything else 32 where the
 * processor and the system take AVX2, else 16.
 */
unsigned linescan_vector_bytes(unsigned want);
/*
 * Sets up s, holding nothing yet, for the delimiter delim and a block of
 * vector_bytes: as linescan_vector_bytes returned, or 1 for byte by byte.
 */
void linescan_init(struct linescan *s, char delim, unsigned vector_bytes);
/* Forgets the delimiters and high bytes found, for a new line. */
static inline void
linescan_reset(struct linescan *s)
{
	s->ndpos = 0;
	s->nquote = 0;
	s->high = false;
}
/*
 * Scans buf[pos, lim): appends every delimiter's offset to s->dpos and
 * stops at the first LF, CR or NUL byte, and with quote_stops at the
 * first quote too. Returns that byte's offset, or lim when there is none.
 * Without quote_stops, s->q2 becomes the offset of the last quote passed
 * (it is left alone when there is none), and s->nquote counts them. s->high, s->hi_first and
 * s->hi_last take in the high bytes passed. Runs of scans add up until
 * linescan_reset.
 */
size_t linescan_run(struct linescan *s, const char *buf, size_t pos, size_t lim,
    bool quote_stops);
/* Frees what s holds (not s itself); s may be NULL. */
void linescan_free(struct linescan *s);

#endif

/*
 * chunks: how the mapped reader cuts a large file into pieces that
 * threads parse at once, and how the pieces' records are put back in file
 * order so that the result is always that of one reader. Pure logic: no
 * threads, no mapping, no ledger; ingest and the records fuzz target call
 * the same functions.
 *
 * A chunk ends just after a line end. A record may still run on past it
 * (a quoted field holding line ends): the chunk's parse then reports where
 * that record started, and the merge has the next chunk parsed again from
 * there on the merging thread, instead of applying what its worker made.
 */
#ifndef SKUSCAN_CHUNKS_H
#define SKUSCAN_CHUNKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Reads up to len bytes at offset at into buf; returns how many (0: end or error). */
typedef size_t (*chunks_read_fn)(void *arg, char *buf, size_t len, size_t at);

/* A file already in memory, for chunks_read_mem. */
struct chunks_mem {
	const char *s;
	size_t n;
};

/* chunks_read_fn over a struct chunks_mem (the tests cut text in memory). */
size_t chunks_read_mem(void *arg, char *buf, size_t len, size_t at);

/* One piece of the file: bytes [start, end). */
struct chunks_span {
	size_t start, end;
};

/*
 * Where the first line end at or after `at` is in a file of n bytes, read
 * through rd: just after a line feed, a lone carriage return or a CRLF
 * (whose two bytes stay together); n when the file ends first, or when a
 * read fails (the chunk then just runs to the end); SIZE_MAX when no line
 * end comes within max bytes.
 */
size_t chunks_cut_after(chunks_read_fn rd, void *arg, size_t at, size_t n, size_t max);

/*
 * Cuts bytes [from, n) into spans of about size bytes, each ending just
 * after a line end; *out (to free) gets them. Returns how many, or 0 with
 * *out NULL when a line runs on for more than max bytes (or from >= n).
 */
size_t chunks_plan(chunks_read_fn rd, void *arg, size_t from, size_t n, size_t size,
    size_t max, struct chunks_span **out);

/* What the parse of one chunk on its own left for the merge. */
struct chunks_parsed {
	size_t end;		/* the chunk's end */
	uint64_t lines;		/* the line ends it passed */
	bool ended_inside;	/* its last record runs on past end */
	size_t open_at;		/* then: where that record starts */
	uint64_t open_line;	/* and its line, the chunk's first being 1 */
};

/* A range the merging thread parses itself, lines counting from line. */
struct chunks_range {
	size_t from, to;
	uint64_t line;
	bool partial;		/* a record may be left open at `to` */
};

/* The merge's state between chunks. */
struct chunks_merge {
	size_t n;		/* the file's size */
	uint64_t line;		/* the line of the next chunk's first byte */
	bool open;		/* a record runs on from an earlier chunk */
	size_t open_at;
	uint64_t open_line;
	bool done;		/* the rest of the file was read as one range */
};

/* The merge of a file of n bytes whose first chunk starts on line `line`. */
void chunks_merge_init(struct chunks_merge *m, size_t n, uint64_t line);

/*
 * Chunk c's turn. Returns false when its own records are the file's: the
 * caller applies them, their lines counting from m->line, then calls
 * chunks_merge_applied. Returns true when a record open from before covers
 * its start: the caller parses *r instead, then calls chunks_merge_parsed.
 */
bool chunks_merge_next(const struct chunks_merge *m, const struct chunks_parsed *c,
    struct chunks_range *r);
void chunks_merge_applied(struct chunks_merge *m, const struct chunks_parsed *c);

/*
 * After the caller parsed range r: whether a record is still open at its
 * end, and where it starts (offset in the file, and line); end_line is the
 * parse's records_lines. Returns true when the record stayed open over the
 * whole chunk (a stray quote): the caller then parses *rest, the rest of
 * the file as one range, once, rather than again from the same start for
 * every chunk, calls chunks_merge_parsed for it, and merges no more chunks
 * (m->done).
 */
bool chunks_merge_parsed(struct chunks_merge *m, const struct chunks_range *r, bool open,
    size_t open_at, uint64_t open_line, uint64_t end_line, struct chunks_range *rest);

/*
 * After the last chunk: true when a record is still open, with the range
 * that reads it to the end of the file as one reader does (then
 * chunks_merge_parsed once more).
 */
bool chunks_merge_end(const struct chunks_merge *m, struct chunks_range *r);

#endif

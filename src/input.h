/*
 * input: the bytes of one input file as UTF-8 text. Plain files, gzip
 * (recognised by content; concatenated members; trailing junk, truncation
 * and a bad CRC are errors), standard input ("-"); a UTF-8 byte order mark
 * is dropped and a UTF-16 one selects UTF-16; a forced encoding goes
 * through iconv. Also counts the stored bytes and their CRC-32 for the
 * manifest, and the stored position for a progress bar.
 *
 * The struct input owns its descriptor and buffers; input_close frees all.
 */
#ifndef SKUSCAN_INPUT_H
#define SKUSCAN_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "diag.h"
#include "inflate.h"

struct input;

/*
 * Open path ("-" is standard input). encoding, when not NULL, is an iconv
 * name every byte is converted from. Returns 0, or -1 with d filled.
 */
int input_open(struct input **in, const char *path, const char *encoding, struct diag *d);
/* An input that reads the n bytes at data (not copied: they must outlive it). */
struct input *input_open_mem(const char *name, const char *data, size_t n);
/*
 * Read up to n bytes of UTF-8 text into buf, n at least 4 (a converted
 * character may take 4 bytes, and is never cut). Returns the count, 0 at
 * the end, or -1 with d filled (corrupt or truncated gzip, read error,
 * bytes not valid in the input's encoding).
 */
ssize_t input_read(struct input *in, char *buf, size_t n, struct diag *d);
/* Which engine inflates gzip (default: igzip). Call before the first read. */
void input_inflate_with(struct input *in, enum inflate_engine e);
/*
 * Reads (inflates, converts) on a thread of its own from now on, ahead of
 * input_read, which then only copies. Call before the first input_read.
 */
void input_background(struct input *in);
/* Stored bytes read so far and their CRC-32 (the whole file once at the end). */
uint64_t input_bytes(const struct input *in);
uint32_t input_crc(const struct input *in);
/* Size of the stored file when known (regular files), else 0. */
uint64_t input_size(const struct input *in);
/* The descriptor (-1 for memory inputs), for mapping a plain file. */
int input_fd(const struct input *in);
bool input_is_gzip(const struct input *in);
/* "gzip", "UTF-16LE", ...: what the input turned out to be, for messages. */
const char *input_describe(const struct input *in);
void input_close(struct input *in);

/*
 * True, with d filled, when a regular file changed since it was opened
 * (size, modification time, or read bytes other than its size).
 */
bool input_changed(const struct input *in, uint64_t read, struct diag *d);

#endif

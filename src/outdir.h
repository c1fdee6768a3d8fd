/*
 * outdir: the output directory as one unit. A run holds OUTDIR's lock,
 * writes its reports into a fresh generation directory under
 * OUTDIR/.skuscan/, and publishes them all with one rename of the link
 * OUTDIR/.skuscan/current; each report's name in OUTDIR is a fixed link
 * through it. A reader, or a run killed at any instant, sees one whole
 * run's set. Signals that would end the run remove its files and exit 1.
 */
#ifndef SKUSCAN_OUTDIR_H
#define SKUSCAN_OUTDIR_H

#include <stdbool.h>

#include "diag.h"

struct outdir;

/*
 * Handlers for every signal that can end the process: handled ones
 * remove the run's files and exit 1; SIGPIPE and SIGXFSZ are ignored, so
 * that the write fails and is reported. Called once, first thing.
 */
void outdir_signals(void);

/*
 * Creates OUTDIR if missing, takes its lock (waiting up to
 * SKUSCAN_LOCK_WAIT seconds, default 60, for another run), removes what
 * dead runs left and makes this run's generation directory.
 */
int outdir_open(struct outdir **out, const char *path, struct diag *d);
/* The path of a report named name in this run's generation (outdir owns it). */
const char *outdir_file(struct outdir *o, int i, const char *name);
/*
 * Publishes the generation: names[0..n) are the reports, have[i] whether
 * this run wrote report i (a report it did not write is removed).
 */
int outdir_publish(struct outdir *o, const char *const *names, const bool *have, int n,
    struct diag *d);
/*
 * Opens the reports names[0..n) of the set published in dir, for
 * reading, all from that one set even while a run publishes another:
 * the link .skuscan/current is read once and each report opened in the
 * directory it names (which a publishing run removes only after the
 * link has moved, and an open file stays readable), again if it was just
 * removed; without the link (reports copied with cp -L, or written by a
 * version before the generations), dir's own files. fd[i] is -1 and
 * err[i] the errno when report i cannot be opened.
 */
void outdir_open_published(const char *dir, const char *const *names, int *fd, int *err,
    size_t n);
/* Unpublished files are removed; the lock is released. */
void outdir_close(struct outdir *o);

/* Removes the files of the run in progress: for a fatal exit. */
void outdir_abort_cleanup(void);
/* The input being read, named if a signal (SIGBUS: it shrank) ends the run. */
void outdir_reading(const char *path);
/* That input's name escaped for a message (text_escape), or NULL between inputs. */
const char *outdir_input(void);
/*
 * mem_fail's hook (mem_on_fail): removes the run's files and says
 * "FILE: out of memory", naming the input being read.
 */
void outdir_out_of_memory(void);

#endif

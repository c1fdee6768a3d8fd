/*
 * diag: one error, described once by the module that saw it and printed
 * once by the command line as "skuscan: FILE:LINE: message".
 */
#ifndef SKUSCAN_DIAG_H
#define SKUSCAN_DIAG_H

#include <stdint.h>

/* Exit statuses of skuscan(1); the man page's EXIT STATUS lists each. */
enum exit_status {
	EXIT_OK = 0,		/* reports written, nothing rejected */
	EXIT_FATAL = 1,		/* nothing published */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_REJECTS = 3	/* reports written, some records rejected */
};

struct diag {
	char file[1024];	/* path as given, or empty */
	uint64_t line;		/* 0 when no line applies */
	char msg[2048];
};

/* Fill d (when not NULL) with a file, a line (0 for none) and a message. */
void diag_set(struct diag *d, const char *file, uint64_t line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Print d as "skuscan: file:line: msg" on stderr. */
void diag_print(const struct diag *d);

#endif

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

/* Print d as "skuscan: file:line: msg" on stderr, through diag_say. */
void diag_print(const struct diag *d);

/*
 * The one printer of messages on stderr: "skuscan: ", the formatted text
 * with every control character escaped (text_escape_char: ESC reads
 * \x1b, a newline \n), and a newline. Whatever bytes an input's name,
 * header or values hold, a message is one line that starts with
 * "skuscan: " and sends the terminal no command. Allocates only for a
 * message over 4 KiB, with plain malloc, and prints it cut short when that
 * fails: out of memory is reported through here too.
 */
void diag_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * The same as a status line that the next one overwrites: it starts with
 * a carriage return and an erase to the end of the line (skuscan's own
 * two control sequences, the only ones it sends) and ends with no newline.
 */
void diag_status(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Erases a status line diag_status left. */
void diag_status_clear(void);

#endif

/* diag: filling and printing the one error a run stops on, and every message. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "text.h"

#define ERASE_LINE "\r\033[K"

void
diag_set(struct diag *d, const char *file, uint64_t line, const char *fmt, ...)
{
	va_list ap;

	if (d == NULL)
		return;
	snprintf(d->file, sizeof(d->file), "%s", file ? file : "");
	d->line = line;
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
}

void
diag_print(const struct diag *d)
{
	if (d->file[0] != '\0' && d->line > 0)
		diag_say("%s:%llu: %s", d->file, (unsigned long long)d->line, d->msg);
	else if (d->file[0] != '\0')
		diag_say("%s: %s", d->file, d->msg);
	else
		diag_say("%s", d->msg);
}

/* lead, "skuscan: ", the message escaped, then end, on stderr. */
static void
say(const char *lead, const char *end, const char *fmt, va_list ap)
{
	char small[4096], chunk[1024], *text = small, *big = NULL;
	va_list again;
	int n;

	va_copy(again, ap);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	if (n < 0) {
		n = 0;
	} else if ((size_t)n >= sizeof(small)) {
		/* Not mem_alloc: running out of memory is reported through here. */
		big = malloc((size_t)n + 1);
		if (big != NULL && vsnprintf(big, (size_t)n + 1, fmt, again) == n)
			text = big;
		else
			n = (int)strlen(small);
	}
	va_end(again);
	fputs(lead, stderr);
	fputs("skuscan: ", stderr);
	for (size_t i = 0; i < (size_t)n;) {
		i += text_escape_to(chunk, sizeof(chunk), text + i, (size_t)n - i);
		fputs(chunk, stderr);
	}
	fputs(end, stderr);
	free(big);
}

void
diag_say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say("", "\n", fmt, ap);
	va_end(ap);
}

void
diag_status(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(ERASE_LINE, "", fmt, ap);
	va_end(ap);
}

void
diag_status_clear(void)
{
	fputs(ERASE_LINE, stderr);
}

/* diag: filling and printing the one error a run stops on. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"

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
		fprintf(stderr, "skuscan: %s:%llu: %s\n", d->file,
		    (unsigned long long)d->line, d->msg);
	else if (d->file[0] != '\0')
		fprintf(stderr, "skuscan: %s: %s\n", d->file, d->msg);
	else
		fprintf(stderr, "skuscan: %s\n", d->msg);
}

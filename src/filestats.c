#include <stdio.h>
#include <string.h>

#include "filestats.h"
#include "values.h"

const char *
filestats_kind_word(enum file_kind kind)
{
	return kind == FILE_SUBSCRIPTIONS ? "subscriptions" : "licenses";
}

void
filestats_sum(const struct file_stats *files, size_t n, struct filestats_sum *out)
{
	*out = (struct filestats_sum){ .files = n };
	for (size_t i = 0; i < n; i++) {
		out->bytes = values_count_add(out->bytes, files[i].bytes);
		out->records = values_count_add(out->records, files[i].records);
		out->rejected = values_count_add(out->rejected, files[i].rejected);
		out->unmatched = values_count_add(out->unmatched, files[i].unmatched);
	}
}

void
filestats_notes(const struct file_stats *f, bool escaped, struct buf *out)
{
	char n[160];

	if (f->reconciliation)
		buf_adds(out, "read as a reconciliation file: its charges folded into each "
		    "subscription's seats at the end of its latest charge period\n");
	if (f->auto_renew_unknown > 0) {
		snprintf(n, sizeof(n), "%llu auto_renew value%s not understood, read as unknown "
		    "(first: '", (unsigned long long)f->auto_renew_unknown,
		    f->auto_renew_unknown == 1 ? "" : "s");
		buf_adds(out, n);
		/* Escaped here for stderr: a newline in the value would split the note. */
		if (escaped)
			text_escape(out, f->auto_renew_first, strlen(f->auto_renew_first));
		else
			buf_adds(out, f->auto_renew_first);
		buf_adds(out, "')\n");
	}
	if (f->repeated_headers > 0) {
		snprintf(n, sizeof(n), "%llu repeated header line%s skipped (exports joined end "
		    "to end): counted in records, not rejected\n",
		    (unsigned long long)f->repeated_headers, f->repeated_headers == 1 ? "" : "s");
		buf_adds(out, n);
	}
}

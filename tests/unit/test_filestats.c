/*
 * test_filestats: the sums over a run's files (saturating, as the counts
 * of a 2^64-byte run would be), the kind's word, and the notes the
 * summary prints beyond the counts, escaped for stderr and not for the page.
 */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "filestats.h"

void
test_filestats(void)
{
	struct file_stats f[3];
	struct filestats_sum s;
	struct buf b = { 0 };

	memset(f, 0, sizeof(f));
	f[0] = (struct file_stats){ .path = "a.csv", .kind = FILE_SUBSCRIPTIONS, .bytes = 10,
		.records = 4, .rejected = 1 };
	f[1] = (struct file_stats){ .path = "b.csv", .kind = FILE_LICENSES, .bytes = 5,
		.records = 2, .rejected = 2, .unmatched = 7 };
	filestats_sum(f, 2, &s);
	CHECK_INT_EQ(s.files, 2);
	CHECK_INT_EQ(s.bytes, 15);
	CHECK_INT_EQ(s.records, 6);
	CHECK_INT_EQ(s.rejected, 3);
	CHECK_INT_EQ(s.unmatched, 7);
	filestats_sum(f, 0, &s);
	CHECK_INT_EQ(s.files, 0);
	CHECK_INT_EQ(s.bytes, 0);
	f[2] = (struct file_stats){ .bytes = UINT64_MAX - 1, .records = UINT64_MAX };
	filestats_sum(f, 3, &s);
	CHECK(s.bytes == UINT64_MAX);
	CHECK(s.records == UINT64_MAX);

	CHECK_STR_EQ(filestats_kind_word(FILE_SUBSCRIPTIONS), "subscriptions");
	CHECK_STR_EQ(filestats_kind_word(FILE_LICENSES), "licenses");

	filestats_notes(&f[0], true, &b);
	CHECK_INT_EQ(b.len, 0);
	f[0].reconciliation = true;
	f[0].auto_renew_unknown = 2;
	strcpy(f[0].auto_renew_first, "maybe\n\x1b[31m");
	f[0].repeated_headers = 1;
	filestats_notes(&f[0], true, &b);
	buf_addc(&b, '\0');
	CHECK_CONTAINS(b.data, "read as a reconciliation file");
	CHECK_CONTAINS(b.data, "2 auto_renew values not understood, read as unknown "
	    "(first: 'maybe\\n\\x1b[31m')\n");
	CHECK_CONTAINS(b.data, "1 repeated header line skipped");
	CHECK(strchr(b.data, '\x1b') == NULL);
	b.len = 0;
	f[0].auto_renew_unknown = 1;
	filestats_notes(&f[0], false, &b);
	buf_addc(&b, '\0');
	CHECK_CONTAINS(b.data, "1 auto_renew value not understood, read as unknown "
	    "(first: 'maybe\n\x1b[31m')\n");
	buf_free(&b);
}

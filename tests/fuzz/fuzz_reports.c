/*
 * fuzz_reports: the readers of reports an earlier run wrote, which a user
 * may have edited: --previous's three files (previous_read) and
 * history.csv (history_read), on arbitrary bytes. The input is cut at
 * its 0x01 bytes into manifest.csv, affected_customers.csv,
 * migration_audit.csv and history.csv, written to a folder, and read.
 * Invariants: either read succeeds, or it fails with a message that
 * names a file; what succeeds holds as many customers as there are audit
 * rows, each found again by its key, and history rows whose counts fit
 * what history.csv writes back.
 *
 * Not in the default FUZZ_TARGETS (CI's time): make fuzz FUZZ_TARGETS=reports.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "history.h"
#include "previous.h"

#define CHECK(c)                                                                        \
	do {                                                                            \
		if (!(c)) {                                                             \
			fprintf(stderr, "fuzz_reports: %s:%d: check failed: %s\n",      \
			    __FILE__, __LINE__, #c);                                    \
			abort();                                                        \
		}                                                                       \
	} while (0)

static const char *const names[4] = {
	"manifest.csv", "affected_customers.csv", "migration_audit.csv", "history.csv",
};

static char dir[] = "/tmp/skuscan-fuzz-reports-XXXXXX";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int made;
	const uint8_t *at = data, *end = data + size;
	struct previous *p;
	struct history h;
	struct diag d = { 0 };
	char path[96];

	if (!made) {
		CHECK(mkdtemp(dir) != NULL);
		made = 1;
	}
	for (int i = 0; i < 4; i++) {
		const uint8_t *cut = memchr(at, 0x01, (size_t)(end - at));
		size_t n = cut != NULL ? (size_t)(cut - at) : (size_t)(end - at);
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		f = fopen(path, "wb");
		CHECK(f != NULL);
		CHECK(fwrite(at, 1, n, f) == n || n == 0);
		fclose(f);
		at = cut != NULL ? cut + 1 : end;
	}
	if (previous_read(&p, dir, false, &d) == 0) {
		CHECK(p->ninputs > 0);
		for (size_t i = 0; i < p->ncustomers; i++) {
			const struct prev_customer *c = &p->customers[i];

			CHECK(c->next_action != NULL);
			CHECK(c->step >= STEP_BUY && c->step <= STEP_DONE);
			CHECK(previous_find(p, c->key, strlen(c->key)) == c);
		}
		previous_free(p);
	} else {
		CHECK(d.file[0] != '\0' && d.msg[0] != '\0');
	}
	d = (struct diag){ 0 };
	if (history_read(&h, dir, &d) == 0) {
		for (size_t i = 0; i < h.n; i++) {
			CHECK(strlen(h.rows[i].run_time) == 20);
			CHECK(h.rows[i].customers <= INT64_MAX && h.rows[i].users <= INT64_MAX);
			CHECK(h.rows[i].seats >= 0);
		}
	} else {
		CHECK(d.file[0] != '\0' && d.msg[0] != '\0');
	}
	history_free(&h);
	return 0;
}

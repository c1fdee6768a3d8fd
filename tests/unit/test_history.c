/*
 * test_history: history.csv carried forward: read from OUTDIR (plain, or
 * through the published set's link), a run's row added or, for the same
 * as-of and inputs, put in place of the earlier one; a row edited by hand
 * is an error naming its line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "history.h"
#include "values.h"

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	CHECK(f != NULL);
	if (f == NULL)
		return;
	fputs(text, f);
	fclose(f);
}

static void
test_add(void)
{
	struct history h = { 0 };
	struct history_row r = { .as_of = values_days(2019, 1, 1), .run_time = "2019-01-01T09:00:00Z",
		.inputs = "subscriptions:00000001;rules:00000002", .customers = 3 };

	history_add(&h, &r);
	r.as_of = values_days(2019, 1, 8);
	r.customers = 2;
	history_add(&h, &r);
	CHECK(h.n == 2);
	/* The same day and inputs again: its row is replaced, in its place. */
	r.run_time = "2019-01-08T17:00:00Z";
	r.customers = 1;
	history_add(&h, &r);
	CHECK(h.n == 2);
	CHECK(h.rows[1].customers == 1);
	CHECK_STR_EQ(h.rows[1].run_time, "2019-01-08T17:00:00Z");
	/* The same day with other inputs is another run. */
	r.inputs = "subscriptions:00000009;rules:00000002";
	history_add(&h, &r);
	CHECK(h.n == 3);
	CHECK(h.rows[0].customers == 3);
	history_free(&h);
}

static void
test_read(void)
{
	char dir[] = "/tmp/skuscan-unit-history-XXXXXX", path[96], link[96];
	struct history h;
	struct diag d = { 0 };

	if (mkdtemp(dir) == NULL) {
		CHECK(!"a temporary directory");
		return;
	}
	/* No history yet: the first run's. */
	CHECK(history_read(&h, dir, &d) == 0);
	CHECK(h.n == 0);
	history_free(&h);
	snprintf(path, sizeof(path), "%s/history.csv", dir);
	write_file(path, HISTORY_HEADER "\n"
	    "2019-01-01,2019-01-01T09:00:00Z,subscriptions:78c88616;rules:362fd578,6,36,5,0,2,4\n"
	    "2019-01-20,2019-01-20T09:00:00Z,subscriptions:f333124b;licenses:36bcadda;"
	    "rules:362fd578,6,34,6,1,1,4\n");
	CHECK(history_read(&h, dir, &d) == 0);
	CHECK(h.n == 2);
	CHECK(h.rows[1].as_of == values_days(2019, 1, 20));
	CHECK(h.rows[1].seats == 34 && h.rows[1].not_started == 4);
	CHECK_STR_EQ(h.rows[1].inputs, "subscriptions:f333124b;licenses:36bcadda;rules:362fd578");
	history_free(&h);
	/* Rows that are not as a run writes them: each is named by its line. */
	static const char *const bad_rows[] = {
		"2019-01-20,2019-01-20 09:00,rules:362fd578,6,34,6,1,1,4\n",	/* run time */
		"2019-01-20,2019-01-20T09:00:00Z,x,6,34,6,1,1,4\n",		/* inputs */
		"2019-01-20,2019-01-20T09:00:00Z,rules:362fd57,6,34,6,1,1,4\n",
		"2019-01-20,2019-01-20T09:00:00Z,rules:362fd578;,6,34,6,1,1,4\n",
		"2019-01-20,2019-01-20T09:00:00Z,rules:362fd578,9223372036854775808,34,6,1,1,4\n",
		"2019-02-30,2019-01-20T09:00:00Z,rules:362fd578,6,34,6,1,1,4\n",	/* date */
	};
	for (size_t i = 0; i < sizeof(bad_rows) / sizeof(bad_rows[0]); i++) {
		char text[256];

		snprintf(text, sizeof(text), "%s\n%s", HISTORY_HEADER, bad_rows[i]);
		write_file(path, text);
		d = (struct diag){ 0 };
		CHECK(history_read(&h, dir, &d) == -1);
		CHECK(d.line == 2);
		history_free(&h);
	}
	/* A row edited by hand. */
	write_file(path, HISTORY_HEADER "\n"
	    "2019-01-01,2019-01-01T09:00:00Z,rules:362fd578,6,36,5,0,2,4\n"
	    "2019-01-20,2019-01-20T09:00:00Z,rules:362fd578,six,34,6,1,1,4\n");
	CHECK(history_read(&h, dir, &d) == -1);
	CHECK(d.line == 3);
	CHECK_CONTAINS(d.msg, "edited by hand");
	history_free(&h);
	/* Another header. */
	write_file(path, "as_of,run_time\n2019-01-01,x\n");
	CHECK(history_read(&h, dir, &d) == -1);
	CHECK(d.line == 1);
	history_free(&h);
	/* Through the published set: .skuscan/current names the directory that holds it. */
	snprintf(link, sizeof(link), "%s/.skuscan", dir);
	mkdir(link, 0700);
	snprintf(link, sizeof(link), "%s/.skuscan/run.1", dir);
	mkdir(link, 0700);
	snprintf(path, sizeof(path), "%s/.skuscan/run.1/history.csv", dir);
	write_file(path, HISTORY_HEADER "\n2019-03-01,2019-03-01T00:00:00Z,rules:00000000,1,2,3,4,5,6\n");
	snprintf(link, sizeof(link), "%s/.skuscan/current", dir);
	CHECK(symlink("run.1", link) == 0);
	CHECK(history_read(&h, dir, &d) == 0);
	CHECK(h.n == 1 && h.rows[0].not_started == 6);
	history_free(&h);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	CHECK(system(path) == 0);
}

void
test_history(void)
{
	test_add();
	test_read();
}

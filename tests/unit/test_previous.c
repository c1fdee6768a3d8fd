/*
 * test_previous: an earlier run's reports read back for --previous: a
 * whole set, the first run of a series (the run's own OUTDIR, empty), a
 * folder that is not one, a link that points out of it, and a manifest
 * row that is not as skuscan writes it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "previous.h"
#include "values.h"

static const char manifest[] = "kind,file,bytes,crc32,records,rejected,as_of,horizon,version\n"
    "subscriptions,subs.csv,100,1aa9fbe5,3,0,2019-01-01,90,0.1.0\n"
    "rules,builtin,5125,362fd578,7,0,2019-01-01,90,0.1.0\n";
static const char affected[] = "customer_key,customer_name,retired_subscriptions,"
    "active_retired_subscriptions,retired_seats,users_on_retired,earliest_end_date,days_left,"
    "urgency\n"
    "C1,'=Odd Name,1,1,5,0,2019-03-31,89,soon\n";
static const char audit[] = "customer_key,customer_name,replacement_purchased,"
    "licenses_reassigned,old_suspended,status,next_action,deprovision_date\n"
    "C1,'=Odd Name,yes,no,no,in_progress,move 2 users to X,\n";

static void
put(const char *dir, const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (f != NULL) {
		fputs(text, f);
		fclose(f);
	}
}

void
test_previous(void)
{
	char dir[] = "/tmp/skuscan-unit-previous-XXXXXX", sub[128], cmd[160];
	struct previous *p;
	struct prev_customer *c;
	struct diag d = { 0 };

	if (mkdtemp(dir) == NULL) {
		CHECK(!"a temporary directory");
		return;
	}
	/* Empty: the first run of a series when it is OUTDIR, an error otherwise. */
	CHECK(previous_read(&p, dir, true, &d) == 0);
	CHECK(p != NULL && p->as_of == DATE_NONE && p->ncustomers == 0);
	previous_free(p);
	CHECK(previous_read(&p, dir, false, &d) == -1);
	CHECK_CONTAINS(d.msg, "holds no skuscan reports");
	/* Some reports but no manifest: not a first run. */
	put(dir, "affected_customers.csv", affected);
	CHECK(previous_read(&p, dir, true, &d) == -1);
	/* A whole set, as plain files: texts come back without the guard, keys without case. */
	put(dir, "manifest.csv", manifest);
	put(dir, "migration_audit.csv", audit);
	CHECK(previous_read(&p, dir, false, &d) == 0);
	if (p != NULL) {
		CHECK(p->as_of == values_days(2019, 1, 1) && p->ninputs == 2);
		c = previous_find(p, "c1", 2);
		CHECK(c != NULL);
		if (c != NULL) {
			CHECK_STR_EQ(c->name, "=Odd Name");
			CHECK(c->step == STEP_MOVE && c->users_known && c->seats == 5);
			CHECK(c->urgency == URGENCY_SOON);
		}
		previous_free(p);
	}
	/* A CRC-32 that is not 8 lower-case hex digits. */
	put(dir, "manifest.csv", "kind,file,bytes,crc32,records,rejected,as_of,horizon,version\n"
	    "rules,builtin,5125,0x362fd5,7,0,2019-01-01,90,0.1.0\n");
	d = (struct diag){ 0 };
	CHECK(previous_read(&p, dir, false, &d) == -1);
	CHECK(d.line == 2);
	/* A link current that points out of .skuscan is no set skuscan published. */
	put(dir, "manifest.csv", manifest);
	snprintf(sub, sizeof(sub), "%s/.skuscan", dir);
	mkdir(sub, 0700);
	snprintf(sub, sizeof(sub), "%s/.skuscan/current", dir);
	CHECK(symlink("../elsewhere", sub) == 0);
	d = (struct diag){ 0 };
	CHECK(previous_read(&p, dir, false, &d) == -1);
	CHECK_CONTAINS(d.msg, "Invalid argument");
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);
}

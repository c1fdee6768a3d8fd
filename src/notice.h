/*
 * notice: the retirement notice's rules in one place. The three steps and
 * their order (buy the replacement, move the users, suspend the old
 * subscription), what "done" means for each, the next action in words,
 * urgency by days left, the audience of an offer name and the 120 days
 * from suspension to de-provisioning. The ledger computes with these; the
 * reports only spell them.
 */
#ifndef SKUSCAN_NOTICE_H
#define SKUSCAN_NOTICE_H

#include <stdbool.h>
#include <stdint.h>

#include "text.h"

/* A suspended subscription is de-provisioned this many days later. */
#define NOTICE_DEPROVISION_DAYS 120
/* Days left up to this many are critical. */
#define NOTICE_CRITICAL_DAYS 30

enum urgency { URGENCY_EXPIRED, URGENCY_CRITICAL, URGENCY_SOON, URGENCY_LATER,
	URGENCY_UNKNOWN, URGENCY_COUNT };

/* The urgency of a number of days left, soon meaning up to horizon days. */
enum urgency notice_urgency(int64_t days, int horizon);
/* The urgency of an end date (DATE_NONE: unknown) seen from as_of. */
enum urgency notice_end_urgency(int32_t end, int32_t as_of, int horizon);
const char *notice_urgency_word(enum urgency u);

enum audience { AUDIENCE_COMMERCIAL, AUDIENCE_GOVERNMENT, AUDIENCE_FACULTY,
	AUDIENCE_STUDENTS, AUDIENCE_COUNT };

/* Who an offer is sold to, by its name (n bytes). */
enum audience notice_audience(const char *offer, size_t n);
/* "commercial", "government", "faculty" or "students". */
const char *notice_audience_word(enum audience a);

enum audit_status { AUDIT_COMPLETE, AUDIT_IN_PROGRESS, AUDIT_NOT_STARTED, AUDIT_COUNT };

/* reassigned: 1 yes, 0 no, -1 unknown (which is not done). */
enum audit_status notice_audit_status(bool purchased, int reassigned, bool suspended);
const char *notice_audit_word(enum audit_status s);

/*
 * What a customer must do next, as the ledger found it. Steps are taken in
 * the notice's order: the first not done is the one said.
 */
struct next_action {
	bool purchased;		/* step 1 done */
	int reassigned;		/* step 2: 1 yes, 0 no, -1 unknown */
	uint64_t suspend;	/* step 3: active retired subscriptions */
	/*
	 * Users who depend on retired seats, in two kinds: those whose
	 * product the bought replacement provisions too (it lacks seats:
	 * buy more of it), and those who must move to another product.
	 */
	uint64_t more_seats, move_users;
	const char *more_family, *move_family;	/* the replacements meant */
};

/* The next action in words into out (empty when all is done). */
void notice_next_action(struct buf *out, const struct next_action *a);

#endif

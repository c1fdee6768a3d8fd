/* notice: the retirement notice's steps, urgency and audience. */
#include <stdio.h>
#include <string.h>

#include "notice.h"
#include "values.h"

static const char *const urgency_word[URGENCY_COUNT] = {
	"expired", "critical", "soon", "later", "unknown",
};

static const char *const audience_word[AUDIENCE_COUNT] = {
	"commercial", "government", "faculty", "students",
};

static const char *const audit_word[AUDIT_COUNT] = {
	"complete", "in_progress", "not_started",
};

enum urgency
notice_urgency(int64_t days, int horizon)
{
	if (days < 0)
		return URGENCY_EXPIRED;
	if (days <= NOTICE_CRITICAL_DAYS)
		return URGENCY_CRITICAL;
	if (days <= horizon)
		return URGENCY_SOON;
	return URGENCY_LATER;
}

enum urgency
notice_end_urgency(int32_t end, int32_t as_of, int horizon)
{
	if (end == DATE_NONE)
		return URGENCY_UNKNOWN;
	return notice_urgency((int64_t)end - as_of, horizon);
}

const char *
notice_urgency_word(enum urgency u)
{
	return urgency_word[u];
}

enum audience
notice_audience(const char *offer, size_t n)
{
	if (text_icontains(offer, n, "Government Pricing"))
		return AUDIENCE_GOVERNMENT;
	if (text_icontains(offer, n, "Faculty"))
		return AUDIENCE_FACULTY;
	if (text_icontains(offer, n, "Student"))
		return AUDIENCE_STUDENTS;
	return AUDIENCE_COMMERCIAL;
}

const char *
notice_audience_word(enum audience a)
{
	return audience_word[a];
}

enum audit_status
notice_audit_status(bool purchased, int reassigned, bool suspended)
{
	int yes = purchased + (reassigned == 1) + suspended;

	return yes == 3 ? AUDIT_COMPLETE : yes == 0 ? AUDIT_NOT_STARTED : AUDIT_IN_PROGRESS;
}

const char *
notice_audit_word(enum audit_status s)
{
	return audit_word[s];
}

/* "12 users", "1 user": n and a noun in the number n asks for. */
static void
count_of(struct buf *out, uint64_t n, const char *noun)
{
	char tmp[32];

	snprintf(tmp, sizeof(tmp), "%llu ", (unsigned long long)n);
	buf_adds(out, tmp);
	buf_adds(out, noun);
	if (n != 1)
		buf_addc(out, 's');
}

/*
 * Never a step ahead of the users: while any user depends on retired
 * seats, the action is to give them seats of the replacement, and
 * suspending is not said until none does.
 */
void
notice_next_action(struct buf *out, const struct next_action *a)
{
	out->len = 0;
	if (!a->purchased) {
		buf_adds(out, "buy replacement");
	} else if (a->reassigned != 1) {
		if (a->more_seats > 0) {
			buf_adds(out, "buy ");
			count_of(out, a->more_seats, "more seat");
			buf_adds(out, " of ");
			buf_adds(out, a->more_family);
		}
		if (a->move_users > 0) {
			if (a->more_seats > 0)
				buf_adds(out, "; ");
			buf_adds(out, "move ");
			count_of(out, a->move_users, "user");
			buf_adds(out, " to ");
			buf_adds(out, a->move_family);
		}
		if (a->more_seats == 0 && a->move_users == 0)
			buf_adds(out, "reassign licenses");
	} else if (a->suspend > 0) {
		buf_adds(out, "suspend ");
		count_of(out, a->suspend, "subscription");
	}
	buf_terminate(out);
}

/* Unit tests of rules.h: built-in rules, classification, bad rules files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "rules.h"

static const char *retired_names[24] = {
	"Dynamics 365 for Sales Enterprise Edition CRMOL Basic (Qualified Offer)",
	"Dynamics 365 for Sales Enterprise Edition CRMOL Basic (Qualified Offer) for Faculty",
	"Dynamics 365 for Sales Enterprise Edition CRMOL Basic (Qualified Offer) for Students",
	"Dynamics 365 for Sales Enterprise Edition (Government Pricing) CRMOL Basic (Qualified Offer)",
	"Dynamics 365 for Sales Enterprise Edition From SA for CRM Basic (Qualified Offer)",
	"Dynamics 365 for Sales Enterprise Edition From SA for CRM Basic (Qualified Offer) for Faculty",
	"Dynamics 365 for Sales Enterprise Edition From SA for CRM Basic (Qualified Offer) for Students",
	"Dynamics 365 for Sales Enterprise Edition (Government Pricing) From SA for CRM Basic (Qualified Offer)",
	"Dynamics 365 for Sales Enterprise Edition Add-On for CRM Basic (Qualified Offer)",
	"Dynamics 365 for Sales Enterprise Edition Add-On for CRM Basic (Qualified Offer) for Faculty",
	"Dynamics 365 for Sales Enterprise Edition Add-On for CRM Basic (Qualified Offer) for Students",
	"Dynamics 365 for Sales Enterprise Edition (Government Pricing) Add-On for CRM Basic (Qualified Offer)",
	"Dynamics 365 Customer Engagement Plan Enterprise Edition CRMOL Basic (Qualified Offer)",
	"Dynamics 365 Customer Engagement Plan Enterprise Edition (Government Pricing) CRMOL Basic (Qualified Offer)",
	"Dynamics 365 Customer Engagement Plan Enterprise Edition CRMOL Basic (Qualified Offer) for Students",
	"Dynamics 365 Customer Engagement Plan Enterprise Edition CRMOL Basic (Qualified Offer) for Faculty",
	"Dynamics 365 Customer Engagement Plan Enterprise Edition From SA for CRM Basic (Qualified Offer)",
	"Dynamics 365 Customer Engagement Plan Enterprise Edition (Government Pricing) From SA for CRM Basic (Qualified Offer)",
	"Dynamics 365 Customer Engagement Plan Enterprise Edition From SA for CRM Basic (Qualified Offer) for Students",
	"Dynamics 365 Customer Engagement Plan Enterprise Edition From SA for CRM Basic (Qualified Offer) for Faculty",
	"Dynamics 365 Customer Engagement Plan Enterprise Edition Add-On for CRM Basic (Qualified Offer)",
	"Dynamics 365 Customer Engagement Plan Enterprise Edition (Government Pricing) Add-On for CRM Basic (Qualified Offer)",
	"Dynamics 365 Customer Engagement Plan Enterprise Edition Add-On for CRM Basic (Qualified Offer) for Students",
	"Dynamics 365 Customer Engagement Plan Enterprise Edition Add-On for CRM Basic (Qualified Offer) for Faculty",
};

/* The id of the rule name (or else id) matches, "" for none, "ERROR" on failure. */
static const char *
classify2(struct rules *r, const char *name, const char *id)
{
	struct diag d;
	int k = -2;

	memset(&d, 0, sizeof(d));
	if (rules_classify(r, name, strlen(name), id, id ? strlen(id) : 0, &k, &d) != 0)
		return "ERROR";
	if (k == -1)
		return "";
	if (k < 0 || (size_t)k >= rules_count(r))
		return "BAD INDEX";
	return rules_get(r, (size_t)k)->id;
}

static const char *
classify(struct rules *r, const char *name)
{
	return classify2(r, name, NULL);
}

/* name in upper case with every space doubled, into out. */
static void
mangle(const char *name, char *out, size_t size)
{
	size_t k = 0;

	for (; *name && k + 3 < size; name++) {
		char c = *name;

		if (c >= 'a' && c <= 'z')
			c = (char)(c - 32);
		out[k++] = c;
		if (c == ' ')
			out[k++] = ' ';
	}
	out[k] = '\0';
}

static int
find(struct rules *r, const char *id)
{
	for (size_t i = 0; i < rules_count(r); i++)
		if (strcmp(rules_get(r, i)->id, id) == 0)
			return (int)i;
	return -1;
}

static void
test_builtin(void)
{
	struct rules *r = NULL;
	struct diag d;
	const struct rule *ru;
	char big[512];

	memset(&d, 0, sizeof(d));
	CHECK_INT_EQ(rules_load(&r, NULL, &d), 0);
	if (r == NULL)
		return;
	CHECK_INT_EQ(rules_count(r), 7);
	CHECK_STR_EQ(rules_source(r), "builtin");
	{
		size_t len;
		const char *text = rules_builtin_text(&len);

		CHECK_INT_EQ(rules_bytes(r), len);
		CHECK_INT_EQ(len, strlen(text));
	}

	/* Ids, kinds, families and suggestions are fixed by SPEC. */
	ru = rules_get(r, (size_t)find(r, "sales-basic-qo"));
	CHECK(find(r, "sales-basic-qo") >= 0);
	CHECK_INT_EQ(ru->kind, RULE_RETIRED);
	CHECK_STR_EQ(ru->family, "Dynamics 365 for Sales (Basic Qualified Offer)");
	CHECK_INT_EQ(ru->nsuggest, 4);
	if (ru->nsuggest == 4) {
		CHECK_STR_EQ(rules_get(r, ru->suggest[0])->id, "sales-professional");
		CHECK_STR_EQ(rules_get(r, ru->suggest[1])->id, "customer-service");
		CHECK_STR_EQ(rules_get(r, ru->suggest[2])->id, "customer-engagement-plan");
		CHECK_STR_EQ(rules_get(r, ru->suggest[3])->id, "team-members");
	}
	CHECK(find(r, "cep-basic-qo") >= 0);
	ru = rules_get(r, (size_t)find(r, "cep-basic-qo"));
	CHECK_INT_EQ(ru->kind, RULE_RETIRED);
	CHECK_STR_EQ(ru->family, "Dynamics 365 Customer Engagement Plan (Basic Qualified Offer)");
	CHECK_INT_EQ(ru->nsuggest, 4);
	if (ru->nsuggest == 4) {
		CHECK_STR_EQ(rules_get(r, ru->suggest[0])->id, "customer-engagement-plan");
		CHECK_STR_EQ(rules_get(r, ru->suggest[1])->id, "sales-professional");
		CHECK_STR_EQ(rules_get(r, ru->suggest[2])->id, "customer-service");
		CHECK_STR_EQ(rules_get(r, ru->suggest[3])->id, "team-members");
	}
	{
		static const char *rep[4][2] = {
			{ "sales-professional", "Dynamics 365 for Sales Professional" },
			{ "customer-service", "Dynamics 365 for Customer Service" },
			{ "customer-engagement-plan", "Dynamics 365 Customer Engagement Plan" },
			{ "team-members", "Dynamics 365 Team Members" },
		};

		for (int i = 0; i < 4; i++) {
			int k = find(r, rep[i][0]);

			CHECK(k >= 0);
			if (k < 0)
				continue;
			CHECK_INT_EQ(rules_get(r, (size_t)k)->kind, RULE_REPLACEMENT);
			CHECK_STR_EQ(rules_get(r, (size_t)k)->family, rep[i][1]);
			CHECK_INT_EQ(rules_get(r, (size_t)k)->nsuggest, 0);
			CHECK_STR_EQ(rules_family(r, rules_get(r, (size_t)k)->family_index),
			    rep[i][1]);
			CHECK_INT_EQ(rules_family_kind(r, rules_get(r, (size_t)k)->family_index),
			    RULE_REPLACEMENT);
		}
	}
	CHECK_INT_EQ(rules_family_count(r), 7);
	CHECK_STR_EQ(rules_family(r, 0), "Dynamics 365 for Sales (Basic Qualified Offer)");
	CHECK_INT_EQ(rules_family_kind(r, 0), RULE_RETIRED);

	/* Every retired name of the notice, as written, upper-cased, spaced out. */
	for (int i = 0; i < 24; i++) {
		const char *want = i < 12 ? "sales-basic-qo" : "cep-basic-qo";

		CHECK_STR_EQ(classify(r, retired_names[i]), want);
		mangle(retired_names[i], big, sizeof(big));
		CHECK_STR_EQ(classify(r, big), want);
		/* Lower case too. */
		for (char *p = big; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p + 32);
		CHECK_STR_EQ(classify(r, big), want);
	}
	/* Whole names only: a longer or a partial name is another offer. */
	CHECK_STR_EQ(classify(r, "Dynamics 365 for Sales Enterprise Edition CRMOL Basic (Qualified Offer) Trial"), "");
	CHECK_STR_EQ(classify(r, "Dynamics 365 for Sales Enterprise Edition CRMOL Basic"), "");
	CHECK_STR_EQ(classify(r, "Dynamics 365 for Sales Enterprise Edition CRMOL Basic (Qualified Offer) for Nonprofit"), "");

	/* Full price is the other rule of the same product; other products match nothing. */
	CHECK_STR_EQ(classify(r, "Dynamics 365 for Sales Enterprise Edition"), "sales-enterprise");
	CHECK_STR_EQ(classify(r, "Dynamics 365 for Sales Enterprise Edition (Government Pricing)"),
	    "sales-enterprise");
	CHECK_STR_EQ(classify(r, "Office 365 E3"), "");
	CHECK_STR_EQ(classify(r, "DYN365_ENTERPRISE_SALES"), "sales-enterprise");
	/* Replacements in every audience and form. */
	CHECK_STR_EQ(classify(r, "Dynamics 365 for Sales Professional for Government"),
	    "sales-professional");
	CHECK_STR_EQ(classify(r, "D365_SALES_PRO_GOV"), "sales-professional");
	CHECK_STR_EQ(classify(r, "Dynamics 365 for Sales Professional Attach to Qualifying "
	    "Dynamics 365 Base Offer"), "sales-professional");
	CHECK_STR_EQ(classify(r, "Dynamics 365 Customer Service Professional"), "customer-service");
	CHECK_STR_EQ(classify(r, "DYN365_CUSTOMER_SERVICE_PRO"), "customer-service");
	CHECK_STR_EQ(classify(r, "Dynamics 365 for Customer Service, Enterprise Edition for "
	    "Government"), "customer-service");
	CHECK_STR_EQ(classify(r, "DYN365_ENTERPRISE_TEAM_MEMBERS_GOV"), "team-members");
	CHECK_STR_EQ(classify(r, "ENTERPRISEPACK"), "");
	CHECK_STR_EQ(classify(r, ""), "");

	/* Replacement names and part numbers. */
	CHECK_STR_EQ(classify(r, "Dynamics 365 for Sales Professional"), "sales-professional");
	CHECK_STR_EQ(classify(r, "Dynamics 365 Sales Professional"), "sales-professional");
	CHECK_STR_EQ(classify(r, "DYNAMICS 365 FOR SALES PROFESSIONAL"), "sales-professional");
	CHECK_STR_EQ(classify(r, "D365_SALES_PRO"), "sales-professional");
	CHECK_STR_EQ(classify(r, "Dynamics 365 for Customer Service"), "customer-service");
	CHECK_STR_EQ(classify(r, "Dynamics 365 for Customer Service Enterprise Edition"), "customer-service");
	CHECK_STR_EQ(classify(r, "Dynamics 365 Customer Service Enterprise"), "customer-service");
	CHECK_STR_EQ(classify(r, "DYN365_ENTERPRISE_CUSTOMER_SERVICE"), "customer-service");
	CHECK_STR_EQ(classify(r, "Dynamics 365 Customer Engagement Plan"), "customer-engagement-plan");
	CHECK_STR_EQ(classify(r, "Dynamics 365 Customer Engagement Plan Enterprise Edition"), "customer-engagement-plan");
	CHECK_STR_EQ(classify(r, "DYN365_ENTERPRISE_PLAN1"), "customer-engagement-plan");
	CHECK_STR_EQ(classify(r, "Dynamics 365 Team Members"), "team-members");
	CHECK_STR_EQ(classify(r, "Dynamics 365 for Team Members Enterprise Edition"), "team-members");
	CHECK_STR_EQ(classify(r, "DYN365_ENTERPRISE_TEAM_MEMBERS"), "team-members");
	CHECK_STR_EQ(classify(r, "DYN365_TEAM_MEMBERS"), "team-members");
	CHECK_STR_EQ(classify(r, "dyn365_team_members"), "team-members");

	/* "Qualified Offer" never makes a replacement. */
	CHECK_STR_EQ(classify(r, "Dynamics 365 for Sales Professional (Qualified Offer)"), "");
	CHECK_STR_EQ(classify(r, "Dynamics 365 Customer Engagement Plan Qualified Offer"), "");
	CHECK_STR_EQ(classify(r, "Dynamics 365 Team Members (Qualified Offer)"), "");
	CHECK_STR_EQ(classify(r, "Dynamics 365 for Customer Service Qualified Offer"), "");

	/* The offer id is tried when the name does not match. */
	CHECK_STR_EQ(classify2(r, "Some Partner Bundle", "D365_SALES_PRO"), "sales-professional");
	CHECK_STR_EQ(classify2(r, "Legacy CRM", retired_names[13]), "cep-basic-qo");
	CHECK_STR_EQ(classify2(r, "Some Partner Bundle", "0123-ABCD"), "");
	CHECK_STR_EQ(classify2(r, "Some Partner Bundle", ""), "");
	/* Per rule, name then id: the retired rule on the id beats a later rule's name. */
	CHECK_STR_EQ(classify2(r, "Dynamics 365 Team Members", retired_names[0]), "sales-basic-qo");
	CHECK_STR_EQ(classify2(r, retired_names[0], "D365_SALES_PRO"), "sales-basic-qo");

	/* The memo answers the same, and keys on both name and id. */
	for (int i = 0; i < 2; i++) {
		CHECK_STR_EQ(classify(r, retired_names[5]), "sales-basic-qo");
		CHECK_STR_EQ(classify(r, "Office 365 E3"), "");
		CHECK_STR_EQ(classify2(r, "X", "DYN365_ENTERPRISE_PLAN1"), "customer-engagement-plan");
		CHECK_STR_EQ(classify2(r, "X", "DYN365_TEAM_MEMBERS"), "team-members");
		CHECK_STR_EQ(classify2(r, "X", NULL), "");
		CHECK_STR_EQ(classify2(r, "XD", "YN365_TEAM_MEMBERS"), "");
	}
	/* Only the given bytes are classified. */
	{
		int k = -2;

		CHECK_INT_EQ(rules_classify(r, "D365_SALES_PROXXX", 14, NULL, 0, &k, &d), 0);
		CHECK_INT_EQ(k, find(r, "sales-professional"));
		CHECK_INT_EQ(rules_classify(r, "D365_SALES_PROXXX", 17, NULL, 0, &k, &d), 0);
		CHECK_INT_EQ(k, -1);
	}
	rules_free(r);
	rules_free(NULL);
}

/* Writes text to a new temporary file; its path goes into path. */
static int
write_temp(const char *text, char path[64])
{
	int fd;
	size_t n = strlen(text);

	snprintf(path, 64, "/tmp/skuscan-unit-rules-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	if (write(fd, text, n) != (ssize_t)n) {
		close(fd);
		unlink(path);
		return -1;
	}
	close(fd);
	return 0;
}

/* Loads text as a rules file; returns rules_load's status, fills d. */
static int
load_text(const char *text, struct rules **r, struct diag *d, char path[64])
{
	int rc;

	memset(d, 0, sizeof(*d));
	*r = NULL;
	if (!CHECK(write_temp(text, path) == 0))
		return -2;
	rc = rules_load(r, path, d);
	unlink(path);
	return rc;
}

static void
check_bad(const char *text, uint64_t line, const char *id, const char *what, int src_line)
{
	struct rules *r;
	struct diag d;
	char path[64], quoted[128];
	int rc = load_text(text, &r, &d, path);

	snprintf(quoted, sizeof(quoted), "'%s'", id);
	if (!check_note(rc == -1 && r == NULL, __FILE__, src_line, "bad rules file refused"))
		fprintf(stderr, "     rc %d for:\n%s\n", rc, text);
	if (!check_note(strcmp(d.file, path) == 0 && d.line == line &&
	    strstr(d.msg, quoted) != NULL && strstr(d.msg, what) != NULL,
	    __FILE__, src_line, "diag names file, line, rule and problem"))
		fprintf(stderr, "     got %s:%ju: %s; expected %s:%ju, %s, \"%s\"\n", d.file,
		    (uintmax_t)d.line, d.msg, path, (uintmax_t)line, quoted, what);
	rules_free(r);
}
#define BAD(text, line, id, what) check_bad((text), (line), (id), (what), __LINE__)

#define HDR "id,kind,pattern,family,suggest\n"

static void
test_files(void)
{
	struct rules *r;
	struct diag d;
	char path[64];
	size_t len;
	const char *text = rules_builtin_text(&len);

	/* The built-in text, read back as a file, gives the same rules. */
	CHECK_INT_EQ(load_text(text, &r, &d, path), 0);
	if (r != NULL) {
		CHECK_INT_EQ(rules_count(r), 7);
		CHECK_STR_EQ(rules_source(r), path);
		CHECK_INT_EQ(rules_bytes(r), len);
		CHECK_STR_EQ(rules_get(r, 0)->id, "sales-basic-qo");
		CHECK_STR_EQ(rules_get(r, 5)->id, "team-members");
		CHECK_INT_EQ(rules_get(r, 0)->line, 2);
		CHECK_INT_EQ(rules_get(r, 5)->line, 7);
		for (int i = 0; i < 24; i++)
			CHECK_STR_EQ(classify(r, retired_names[i]),
			    i < 12 ? "sales-basic-qo" : "cep-basic-qo");
		CHECK_STR_EQ(classify(r, "DYN365_ENTERPRISE_PLAN1"), "customer-engagement-plan");
		CHECK_STR_EQ(classify(r, "Dynamics 365 for Sales Enterprise Edition"),
		    "sales-enterprise");
		{
			struct rules *b = NULL;

			CHECK_INT_EQ(rules_load(&b, NULL, &d), 0);
			if (b != NULL) {
				CHECK_INT_EQ(rules_crc(b), rules_crc(r));
				CHECK_INT_EQ(rules_bytes(b), rules_bytes(r));
				for (size_t i = 0; i < rules_count(b) && i < rules_count(r); i++) {
					CHECK_STR_EQ(rules_get(b, i)->pattern, rules_get(r, i)->pattern);
					CHECK_STR_EQ(rules_get(b, i)->family, rules_get(r, i)->family);
					CHECK_INT_EQ(rules_get(b, i)->nsuggest, rules_get(r, i)->nsuggest);
				}
			}
			rules_free(b);
		}
	}
	rules_free(r);

	/* A small good file: first match wins, in file order. */
	CHECK_INT_EQ(load_text(HDR
	    "old,retired,^Widget Classic$,Widgets (old),new-a\n"
	    "new-a,replacement,Widget,Widgets,\n"
	    "new-b,replacement,Gadget,Gadgets,\n", &r, &d, path), 0);
	if (r != NULL) {
		CHECK_STR_EQ(classify(r, "widget classic"), "old");
		CHECK_STR_EQ(classify(r, "Widget Pro"), "new-a");
		CHECK_STR_EQ(classify(r, "Widget Gadget"), "new-a");
		CHECK_STR_EQ(classify(r, "Super gadget"), "new-b");
		CHECK_INT_EQ(rules_get(r, 0)->nsuggest, 1);
		CHECK_INT_EQ(rules_family_count(r), 3);
	}
	rules_free(r);

	/* CRLF line ends and a byte order mark. */
	CHECK_INT_EQ(load_text("\xef\xbb\xbfid,kind,pattern,family,suggest\r\n"
	    "old,retired,^Old$,Old,new\r\nnew,replacement,^New$,New,\r\n", &r, &d, path), 0);
	if (r != NULL) {
		CHECK_STR_EQ(rules_get(r, 1)->id, "new");
		CHECK_STR_EQ(rules_get(r, 1)->family, "New");
		CHECK_INT_EQ(rules_get(r, 1)->line, 3);
		CHECK_STR_EQ(classify(r, "new"), "new");
		CHECK_STR_EQ(classify(r, "OLD"), "old");
	}
	rules_free(r);

	/* Columns are found by name. */
	CHECK_INT_EQ(load_text("family,pattern,id,kind\nWidgets,Widget,w,replacement\n",
	    &r, &d, path), 0);
	if (r != NULL)
		CHECK_STR_EQ(classify(r, "Widget"), "w");
	rules_free(r);

	BAD(HDR "a,retired,x,Fa,b\nb,obsolete,y,Fb,\n", 3, "b", "unknown kind");
	BAD(HDR "a,replacement,x,Fa,\nb,replacement,y,Fb,\na,replacement,z,Fc,\n", 4, "a",
	    "duplicate id");
	BAD(HDR "a,replacement,x,Fa,\nBad_Id,replacement,y,Fb,\n", 3, "Bad_Id", "[a-z0-9-]+");
	BAD(HDR "a,replacement,x,Fa,\nb,replacement,,Fb,\n", 3, "b", "empty pattern");
	BAD(HDR "a,replacement,x,Fa,\nb,replacement,  ,Fb,\n", 3, "b", "empty pattern");
	BAD(HDR "a,replacement,x,Fa,\nb,replacement,(abc,Fb,\n", 3, "b", "offset 4");
	BAD(HDR "a,replacement,x,Fa,\nb,replacement,(abc,Fb,\n", 3, "b", "parenthesis");
	BAD(HDR "old,retired,x,Fo,new;nope\nnew,replacement,y,Fn,\n", 2, "old", "'nope'");
	/* A retired rule is no replacement to suggest. */
	BAD(HDR "old,retired,x,Fo,older\nolder,retired,y,Fo2,\n", 2, "old", "'older'");
	BAD(HDR "old,retired,x,Shared,\nnew,replacement,y,Shared,\n", 3, "new", "both");
	BAD(HDR "new,replacement,y,Shared,\nold,retired,x,Shared,\n", 3, "old", "both");
}

/* The built-in rules and a classifier of them; NULL (a failed check) if they do not load. */
static struct classifier *
builtin_classifier(struct rules **r, struct diag *d)
{
	memset(d, 0, sizeof(*d));
	*r = NULL;
	CHECK_INT_EQ(rules_load(r, NULL, d), 0);
	return *r != NULL ? rules_classifier_new(*r) : NULL;
}

/*
 * The memo keeps at most MEMO_PROBES entries in a probe sequence: texts
 * whose hashes collide (same length, same start, middle and end) are then
 * classified by the rules again, never wrongly. 3000 such offer names,
 * none a retired offer, interleaved with a retired one, twice over.
 */
static void
test_memo_collisions(void)
{
	struct rules *r;
	struct diag d;
	struct classifier *c = builtin_classifier(&r, &d);
	const char *retired = "Dynamics 365 for Sales Enterprise Edition CRMOL Basic (Qualified Offer)";
	int want = -2, k, bad = 0;

	if (c == NULL)
		return;
	CHECK_INT_EQ(rules_classify_with(c, retired, strlen(retired), NULL, 0, &want, &d), 0);
	CHECK(want >= 0);
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < 3000; i++) {
			char name[48];

			/* 40 bytes: [0,8) [16,24) [32,40) fixed, the rest varies. */
			snprintf(name, sizeof(name), "Offer 36%08dFixedMid%08dPlan XYZ", i, i);
			if (rules_classify_with(c, name, 40, "ID", 2, &k, &d) != 0 || k != -1)
				bad++;
			if (rules_classify_with(c, retired, strlen(retired), NULL, 0, &k, &d) != 0 ||
			    k != want)
				bad++;
		}
	}
	CHECK_INT_EQ(bad, 0);
	rules_classifier_free(c);
	rules_free(r);
}

/*
 * Many texts through one classifier classify the same, first to last:
 * 600 retired names (with 1 to 4 spaces between words, each with its own
 * offer id, so that the memo does not answer) and 600 that only nearly are.
 */
static void
test_many_texts(void)
{
	struct rules *r;
	struct diag d;
	struct classifier *c = builtin_classifier(&r, &d);
	int want = -2, k, bad = 0;

	if (c == NULL)
		return;
	for (int i = 0; i < 600; i++) {
		char name[160], id[16];
		const char *sp = "    " + 3 - i % 4;	/* 1 to 4 spaces */

		snprintf(name, sizeof(name), "Dynamics%s365 for Sales Enterprise Edition%sCRMOL "
		    "Basic (Qualified Offer)", sp, sp);
		snprintf(id, sizeof(id), "X%d", i);
		if (rules_classify_with(c, name, strlen(name), id, strlen(id), &k, &d) != 0)
			bad++;
		if (i == 0)
			want = k;
		else if (k != want)
			bad++;
		snprintf(name, sizeof(name), "Dynamics%s365 for Sales Enterprise Edition%sCRMOL "
		    "Basic (Qualified Offer) Trial", sp, sp);
		snprintf(id, sizeof(id), "Y%d", i);
		if (rules_classify_with(c, name, strlen(name), id, strlen(id), &k, &d) != 0 ||
		    k != -1)
			bad++;
	}
	CHECK(want >= 0);
	CHECK_INT_EQ(bad, 0);
	rules_classifier_free(c);
	rules_free(r);
}

/* n copies of c then the NUL-terminated tail, into a new string. */
static char *
repeat(char c, size_t n, const char *tail)
{
	char *s = malloc(n + strlen(tail) + 1);

	if (s == NULL)
		abort();
	memset(s, c, n);
	strcpy(s + n, tail);
	return s;
}

/*
 * A pattern that backtracks exponentially gives up, the same on the first
 * text as after hundreds (which once ran interpreted, then JIT-compiled,
 * under limits that count differently), with a message naming the rule,
 * its file and line and quoting the text; linear patterns do not give up,
 * even on a 1 MiB text.
 */
static void
test_match_limit(void)
{
	struct rules *r;
	struct diag d;
	char path[64], want[160];
	char *bad = repeat('a', 22, "b"), *longer = repeat('a', 200, "b");
	int k = -2;

	CHECK_INT_EQ(load_text(HDR "ok,replacement,^Widget$,Widgets,\n"
	    "bad,replacement,^(a+)+$,Bad,\n", &r, &d, path), 0);
	if (r == NULL)
		goto out;
	if (!rules_jit_used(r))
		fprintf(stderr, "note: PCRE2 has no JIT here: the rules are interpreted\n");
	for (int round = 0; round < 2; round++) {
		struct classifier *c = rules_classifier_new(r);

		/* The second time, 300 other texts run the rule first. */
		for (int i = 1; round == 1 && i <= 300; i++) {
			char *s = repeat('a', (size_t)i, "");

			CHECK_INT_EQ(rules_classify_with(c, s, strlen(s), NULL, 0, &k, &d), 0);
			CHECK_INT_EQ(k, 1);
			free(s);
		}
		memset(&d, 0, sizeof(d));
		CHECK_INT_EQ(rules_classify_with(c, bad, strlen(bad), NULL, 0, &k, &d), -1);
		snprintf(want, sizeof(want), "rule 'bad' (%s:3) gives up on \"%s\": its pattern "
		    "backtracks too much; simplify it", path, bad);
		CHECK_STR_EQ(d.msg, want);
		CHECK_STR_EQ(d.file, "");
		CHECK_INT_EQ(d.line, 0);
		/* Not remembered as "no match": it gives up again. */
		CHECK_INT_EQ(rules_classify_with(c, bad, strlen(bad), NULL, 0, &k, &d), -1);
		/* The offer id is matched under the same limit. */
		CHECK_INT_EQ(rules_classify_with(c, "Gadget", 6, bad, strlen(bad), &k, &d), -1);
		/* A long text is quoted in part, up to 60 bytes. */
		CHECK_INT_EQ(rules_classify_with(c, longer, strlen(longer), NULL, 0, &k, &d), -1);
		CHECK_CONTAINS(d.msg, "on \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...\":");
		rules_classifier_free(c);
	}
	/* A control character or a byte not UTF-8 is no part of the message's line. */
	{
		char *s = repeat('a', 30, "\n\xff" "aaaaaaaaaaaaaaaaaaaaaaa\x01");

		CHECK_INT_EQ(rules_classify(r, s, strlen(s), NULL, 0, &k, &d), -1);
		CHECK_CONTAINS(d.msg, "gives up on \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa \xc3\xbf" "aaaa");
		CHECK(strchr(d.msg, '\n') == NULL && strchr(d.msg, '\x01') == NULL);
		free(s);
	}
	/* The first rule still matches what it matches; the memo is kept. */
	CHECK_STR_EQ(classify(r, "widget"), "ok");
	CHECK_STR_EQ(classify(r, "aaaa"), "bad");
	rules_free(r);

	/* The built-in rules on a 1 MiB text: linear, well within the limit. */
	{
		struct classifier *c = builtin_classifier(&r, &d);
		char *big = repeat('x', 1 << 20, " Dynamics 365 for Sales Professional");

		if (c != NULL) {
			CHECK_INT_EQ(rules_classify_with(c, big, strlen(big), NULL, 0, &k, &d), 0);
			CHECK_INT_EQ(k, -1);
			/* "Dynamics", 1 MiB of spaces, "365 for Sales Professional". */
			memcpy(big, "Dynamics", 8);
			memset(big + 8, ' ', (1 << 20) - 8);
			memmove(big + (1 << 20), big + (1 << 20) + 10, strlen(big + (1 << 20) + 10) + 1);
			CHECK_INT_EQ(rules_classify_with(c, big, strlen(big), NULL, 0, &k, &d), 0);
			CHECK(k >= 0 && strcmp(rules_get(r, (size_t)k)->id, "sales-professional") == 0);
		}
		free(big);
		rules_classifier_free(c);
		rules_free(r);
	}
out:
	free(bad);
	free(longer);
}

/* The products column: pools of seats, and what a bad value says. */
static void
test_products(void)
{
	struct rules *r = NULL;
	struct diag d;
	char path[64];
	int plan, sales;

	CHECK_INT_EQ(rules_load(&r, NULL, &d), 0);
	if (r == NULL)
		return;
	/* The retired Customer Engagement Plan seats and the replacement: one product. */
	plan = rules_item_pool(r, "DYN365_ENTERPRISE_PLAN1", 23);
	CHECK(plan >= 0);
	CHECK_INT_EQ(plan, (int)rules_get(r, 1)->pool);
	CHECK_INT_EQ(plan, (int)rules_get(r, 4)->pool);
	/* Retired Sales and full-price Sales Enterprise: one product; Sales Professional another. */
	sales = rules_item_pool(r, "dynamics 365 for sales enterprise edition", 41);
	CHECK_INT_EQ(sales, (int)rules_get(r, 0)->pool);
	CHECK_INT_EQ(sales, (int)rules_get(r, 6)->pool);
	CHECK(rules_item_pool(r, "D365_SALES_PRO", 14) != sales);
	CHECK(rules_item_pool(r, "D365_SALES_PRO_GOV", 18) == (int)rules_get(r, 2)->pool);
	/* Case and spaces (a no-break space too) do not matter. */
	CHECK_INT_EQ(rules_item_pool(r, "DYN365_ ENTERPRISE _PLAN1", 25), plan);
	CHECK_INT_EQ(rules_item_pool(r, "DYN365_\xc2\xa0" "ENTERPRISE_PLAN1", 25), plan);
	CHECK_INT_EQ(rules_item_pool(r, "Office 365 E3", 13), -1);
	CHECK_INT_EQ(rules_pool_count(r), 5);
	rules_free(r);

	/* An old five-column file still loads: every rule its own pool. */
	CHECK_INT_EQ(load_text("id,kind,pattern,family,suggest\n"
	    "a,retired,^A$,Fa,b\nb,replacement,^B$,Fb,\n", &r, &d, path), 0);
	if (r != NULL) {
		CHECK_INT_EQ(rules_pool_count(r), 2);
		CHECK_INT_EQ(rules_item_pool(r, "A", 1), -1);
		rules_free(r);
	}
	/* Shared names join pools; kind other is a kind. */
	CHECK_INT_EQ(load_text("id,kind,pattern,family,suggest,products\n"
	    "a,retired,^A$,Fa,b,P1;p2\nb,replacement,^B$,Fb,,Q\nc,other,^C$,Fc,,P 2\n",
	    &r, &d, path), 0);
	if (r != NULL) {
		CHECK_INT_EQ(rules_pool_count(r), 2);
		CHECK_INT_EQ(rules_get(r, 2)->pool, rules_get(r, 0)->pool);
		CHECK_INT_EQ(rules_get(r, 2)->kind, RULE_OTHER);
		rules_free(r);
	}
	/* A bad value is fatal, naming the line and the rule. */
	CHECK_INT_EQ(load_text("id,kind,pattern,family,suggest,products\n"
	    "a,retired,^A$,Fa,,P1;;P2\n", &r, &d, path), -1);
	CHECK(strstr(d.msg, "rule 'a': products: an empty name") != NULL);
	CHECK_INT_EQ(d.line, 2);
	CHECK_INT_EQ(load_text("id,kind,pattern,family,suggest,products\n"
	    "a,retired,^A$,Fa,,\"P\x01\"\n", &r, &d, path), -1);
	CHECK(strstr(d.msg, "a control character") != NULL);
}

void
test_rules(void)
{
	test_builtin();
	test_products();
	test_files();
	test_memo_collisions();
	test_many_texts();
	test_match_limit();
}

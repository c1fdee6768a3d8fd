/* Unit tests of items.h: splitting a licenses value into items. */
#include <string.h>

#include "check.h"
#include "items.h"

struct got {
	char item[8][128];
	char tenant[8][64];
	size_t n;
	size_t stop_after;	/* 0: never stop */
};

static int
collect(const char *item, size_t n, const char *tenant, size_t tlen, void *arg)
{
	struct got *g = arg;

	if (g->n < 8) {
		snprintf(g->item[g->n], sizeof(g->item[0]), "%.*s", (int)n, item);
		snprintf(g->tenant[g->n], sizeof(g->tenant[0]), "%.*s", (int)tlen, tenant);
	}
	g->n++;
	return g->stop_after && g->n >= g->stop_after ? 7 : 0;
}

static struct got
split(const char *s)
{
	struct got g;

	memset(&g, 0, sizeof(g));
	CHECK_INT_EQ(items_split(s, strlen(s), collect, &g), 0);
	return g;
}

void
test_items(void)
{
	struct got g;

	g = split("A+B");
	CHECK_INT_EQ(g.n, 2);
	CHECK_STR_EQ(g.item[0], "A");
	CHECK_STR_EQ(g.item[1], "B");
	CHECK_STR_EQ(g.tenant[0], "");

	g = split("Dynamics 365 for Sales Enterprise Edition+Office 365 E3");
	CHECK_INT_EQ(g.n, 2);
	CHECK_STR_EQ(g.item[0], "Dynamics 365 for Sales Enterprise Edition");
	CHECK_STR_EQ(g.item[1], "Office 365 E3");

	/* No-break spaces around an item are trimmed as spaces are. */
	g = split("Office 365 E3\xc2\xa0+\xc2\xa0"
	    "Dynamics 365 for Sales Enterprise Edition\xe2\x80\xaf");
	CHECK_INT_EQ(g.n, 2);
	CHECK_STR_EQ(g.item[0], "Office 365 E3");
	CHECK_STR_EQ(g.item[1], "Dynamics 365 for Sales Enterprise Edition");

	g = split("Enterprise Mobility + Security E3");
	CHECK_INT_EQ(g.n, 1);
	CHECK_STR_EQ(g.item[0], "Enterprise Mobility + Security E3");

	g = split("Office 365 E3+Enterprise Mobility + Security E3+Power BI Pro");
	CHECK_INT_EQ(g.n, 3);
	CHECK_STR_EQ(g.item[0], "Office 365 E3");
	CHECK_STR_EQ(g.item[1], "Enterprise Mobility + Security E3");
	CHECK_STR_EQ(g.item[2], "Power BI Pro");

	g = split("contoso:DYN365_ENTERPRISE_SALES;contoso:ENTERPRISEPACK");
	CHECK_INT_EQ(g.n, 2);
	CHECK_STR_EQ(g.item[0], "DYN365_ENTERPRISE_SALES");
	CHECK_STR_EQ(g.tenant[0], "contoso");
	CHECK_STR_EQ(g.item[1], "ENTERPRISEPACK");
	CHECK_STR_EQ(g.tenant[1], "contoso");

	g = split(" fabrikam-eu:D365_SALES_PRO ; ENTERPRISEPACK ");
	CHECK_INT_EQ(g.n, 2);
	CHECK_STR_EQ(g.item[0], "D365_SALES_PRO");
	CHECK_STR_EQ(g.tenant[0], "fabrikam-eu");
	CHECK_STR_EQ(g.item[1], "ENTERPRISEPACK");
	CHECK_STR_EQ(g.tenant[1], "");

	/* A prefix must start with a letter or digit. */
	g = split("-x:PART");
	CHECK_INT_EQ(g.n, 1);
	CHECK_STR_EQ(g.item[0], "-x:PART");
	CHECK_STR_EQ(g.tenant[0], "");

	g = split("SPE_E5, EMSPREMIUM");
	CHECK_INT_EQ(g.n, 2);
	CHECK_STR_EQ(g.item[0], "SPE_E5");
	CHECK_STR_EQ(g.item[1], "EMSPREMIUM");

	/* Parts that all carry a tenant prefix split, whatever follows it. */
	g = split("ul:DYN365_ENTERPRISE_PLAN1, ul:DYN365_ ENTERPRISE _RELATIONSHIP_SALES");
	CHECK_INT_EQ(g.n, 2);
	CHECK_STR_EQ(g.item[0], "DYN365_ENTERPRISE_PLAN1");
	CHECK_STR_EQ(g.item[1], "DYN365_ ENTERPRISE _RELATIONSHIP_SALES");
	CHECK_STR_EQ(g.tenant[1], "ul");
	/* One part without a prefix and with spaces: a name with a comma. */
	g = split("ul:DYN365_ENTERPRISE_PLAN1, Microsoft 365 E5, Developer");
	CHECK_INT_EQ(g.n, 1);

	g = split("contoso:SPE_E5,contoso:EMSPREMIUM, FLOW_FREE");
	CHECK_INT_EQ(g.n, 3);
	CHECK_STR_EQ(g.item[0], "SPE_E5");
	CHECK_STR_EQ(g.tenant[0], "contoso");
	CHECK_STR_EQ(g.item[1], "EMSPREMIUM");
	CHECK_STR_EQ(g.tenant[1], "contoso");
	CHECK_STR_EQ(g.item[2], "FLOW_FREE");
	CHECK_STR_EQ(g.tenant[2], "");

	/* Commas inside a product name do not split it. */
	g = split("Microsoft 365 E5 Developer (without Windows, and Audio Conferencing)");
	CHECK_INT_EQ(g.n, 1);
	CHECK_STR_EQ(g.item[0], "Microsoft 365 E5 Developer (without Windows, and Audio Conferencing)");
	g = split("SPE_E5, Microsoft 365 E5 Developer (without Windows and Audio Conferencing)");
	CHECK_INT_EQ(g.n, 1);
	CHECK_STR_EQ(g.item[0],
	    "SPE_E5, Microsoft 365 E5 Developer (without Windows and Audio Conferencing)");
	g = split("Microsoft 365 E5 Developer (without Windows and Audio Conferencing)+Office 365 E3");
	CHECK_INT_EQ(g.n, 2);
	CHECK_STR_EQ(g.item[0], "Microsoft 365 E5 Developer (without Windows and Audio Conferencing)");
	CHECK_STR_EQ(g.item[1], "Office 365 E3");

	g = split("Unlicensed");
	CHECK_INT_EQ(g.n, 0);
	g = split("  unlicensed ");
	CHECK_INT_EQ(g.n, 0);
	g = split("UNLICENSED;Office 365 E3");
	CHECK_INT_EQ(g.n, 1);
	CHECK_STR_EQ(g.item[0], "Office 365 E3");

	g = split("");
	CHECK_INT_EQ(g.n, 0);
	g = split("   ");
	CHECK_INT_EQ(g.n, 0);
	g = split(";;+ ; ");
	CHECK_INT_EQ(g.n, 0);
	g = split("contoso:");
	CHECK_INT_EQ(g.n, 0);

	/* A non-zero return stops the split and is returned. */
	memset(&g, 0, sizeof(g));
	g.stop_after = 1;
	CHECK_INT_EQ(items_split("A;B;C", 5, collect, &g), 7);
	CHECK_INT_EQ(g.n, 1);
	CHECK_STR_EQ(g.item[0], "A");

	/* Only the n bytes given are split. */
	memset(&g, 0, sizeof(g));
	CHECK_INT_EQ(items_split("A+BCD", 3, collect, &g), 0);
	CHECK_INT_EQ(g.n, 2);
	CHECK_STR_EQ(g.item[1], "B");
}

/* rules: loading, checking and PCRE2 matching of the rules, with a memo. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "header.h"
#include "input.h"
#include "mem.h"
#include "records.h"
#include "rules.h"
#include "strmap.h"
#include "text.h"

/*
 * The notice's 24 retired names are 12 forms each of Sales and Customer
 * Engagement Plan: CRMOL / From SA for CRM / Add-On for CRM, each plain,
 * for Faculty, for Students, or with (Government Pricing). The patterns
 * are anchored so that nothing else matches; spacing is free, even none
 * between words ("Basic (QualifiedOffer)"). Replacement names may start
 * with "Microsoft" and end with "(NEW)", and have their Professional,
 * Attach, Government and education forms. sales-enterprise is Sales
 * Enterprise at full price: the same product as the retired Sales seats.
 *
 * The products column lists the license items a tenant sees for the
 * seats: the Product_Display_Name and String_Id (SKU part number) values
 * of Microsoft's "Product names and service plan identifiers for
 * licensing" CSV (learn.microsoft.com, Entra ID licensing reference),
 * older display names of the same String_Id included. A seat of the
 * retired Sales offer shows as Sales Enterprise (DYN365_ENTERPRISE_SALES),
 * one of the retired Customer Engagement Plan offer as the plan itself
 * (DYN365_ENTERPRISE_PLAN1), which the replacement provisions too. The CSV
 * lists Government products (_GOV) but no Faculty or Students ones: those
 * seats show as the commercial product.
 */
static const char builtin_rules[] =
    "id,kind,pattern,family,suggest,products\n"
    "sales-basic-qo,retired,^Dynamics\\s*365\\s*for\\s*Sales\\s*Enterprise\\s*Edition\\s*(?:\\(\\s*Government\\s*Pricing\\s*\\)\\s*(?:CRMOL|From\\s*SA\\s*for\\s*CRM|Add\\s*-\\s*On\\s*for\\s*CRM)\\s*Basic\\s*\\(\\s*Qualified\\s*Offer\\s*\\)|(?:CRMOL|From\\s*SA\\s*for\\s*CRM|Add\\s*-\\s*On\\s*for\\s*CRM)\\s*Basic\\s*\\(\\s*Qualified\\s*Offer\\s*\\)(?:\\s*for\\s*(?:Faculty|Students))?)$,Dynamics 365 for Sales (Basic Qualified Offer),sales-professional;customer-service;customer-engagement-plan;team-members,\"Dynamics 365 for Sales Enterprise Edition;DYN365_ENTERPRISE_SALES;Dynamics 365 for Sales;Dynamics 365 for Sales, Enterprise Edition for Government;DYN365_ENTERPRISE_SALES_GOV;Dynamics 365 for Sales Enterprise for Government;D365_ENTERPRISE_SALES_GOV\"\n"
    "cep-basic-qo,retired,^Dynamics\\s*365\\s*Customer\\s*Engagement\\s*Plan\\s*Enterprise\\s*Edition\\s*(?:\\(\\s*Government\\s*Pricing\\s*\\)\\s*(?:CRMOL|From\\s*SA\\s*for\\s*CRM|Add\\s*-\\s*On\\s*for\\s*CRM)\\s*Basic\\s*\\(\\s*Qualified\\s*Offer\\s*\\)|(?:CRMOL|From\\s*SA\\s*for\\s*CRM|Add\\s*-\\s*On\\s*for\\s*CRM)\\s*Basic\\s*\\(\\s*Qualified\\s*Offer\\s*\\)(?:\\s*for\\s*(?:Faculty|Students))?)$,Dynamics 365 Customer Engagement Plan (Basic Qualified Offer),customer-engagement-plan;sales-professional;customer-service;team-members,Dynamics 365 Customer Engagement Plan;Dynamics 365 Customer Engagement Plan Enterprise Edition;Dynamics 365 Plan 1 Enterprise Edition;DYN365_ENTERPRISE_PLAN1\n"
    "sales-professional,replacement,\"^(?!.*Qualified\\s*Offer)(?:Microsoft\\s+)?(?:Dynamics\\s*365\\s+(?:for\\s+)?Sales\\s+Professional(?:\\s*,?\\s+Enterprise(?:\\s+Edition)?)?(?:\\s+Attach\\s+to\\s+Qualifying\\s+Dynamics\\s*365\\s+Base\\s+Offer(?:\\s+A)?)?(?:\\s*,?\\s*(?:for\\s+(?:Government|Faculty|Students)|\\(\\s*Government\\s*Pricing\\s*\\)))?(?:\\s*\\(\\s*NEW\\s*\\))?|D365_SALES_PRO(?:_GOV|_ATTACH)?)$\",Dynamics 365 for Sales Professional,,Dynamics 365 for Sales Professional;D365_SALES_PRO;Dynamics 365 for Sales Professional for Government;D365_SALES_PRO_GOV;Dynamics 365 for Sales Professional Attach to Qualifying Dynamics 365 Base Offer;D365_SALES_PRO_ATTACH\n"
    "customer-service,replacement,\"^(?!.*Qualified\\s*Offer)(?:Microsoft\\s+)?(?:Dynamics\\s*365\\s+(?:for\\s+)?Customer\\s+Service(?:\\s+Professional)?(?:\\s*,?\\s+Enterprise(?:\\s+Edition)?)?(?:\\s+Attach\\s+to\\s+Qualifying\\s+Dynamics\\s*365\\s+Base\\s+Offer(?:\\s+A)?)?(?:\\s*,?\\s*(?:for\\s+(?:Government|Faculty|Students)|\\(\\s*Government\\s*Pricing\\s*\\)))?(?:\\s*\\(\\s*NEW\\s*\\))?|DYN365_ENTERPRISE_CUSTOMER_SERVICE(?:_GOV)?|D365_ENTERPRISE_CUSTOMER_SERVICE_GOV|DYN365_CUSTOMER_SERVICE_PRO|D365_CUSTOMER_SERVICE_(?:ENT|PRO)_ATTACH)$\",Dynamics 365 for Customer Service,,\"Dynamics 365 for Customer Service Enterprise Edition;DYN365_ENTERPRISE_CUSTOMER_SERVICE;Dynamics 365 for Customer Service, Enterprise Edition for Government;DYN365_ENTERPRISE_CUSTOMER_SERVICE_GOV;Dynamics 365 for Customer Service Enterprise for Government;D365_ENTERPRISE_CUSTOMER_SERVICE_GOV;Dynamics 365 Customer Service Professional;DYN365_CUSTOMER_SERVICE_PRO;Dynamics 365 for Customer Service Enterprise Attach to Qualifying Dynamics 365 Base Offer A;Dynamics 365 for Customer Service Enterprise Attach to Qualifying Dynamics 365 Base Offer;D365_CUSTOMER_SERVICE_ENT_ATTACH;Dynamics 365 for Customer Service Professional Attach to Qualifying Dynamics 365 Base Offer;D365_CUSTOMER_SERVICE_PRO_ATTACH\"\n"
    "customer-engagement-plan,replacement,\"^(?!.*Qualified\\s*Offer)(?:Microsoft\\s+)?(?:Dynamics\\s*365\\s+(?:for\\s+)?Customer\\s+Engagement\\s+Plan(?:\\s*,?\\s+Enterprise(?:\\s+Edition)?)?(?:\\s+Attach\\s+to\\s+Qualifying\\s+Dynamics\\s*365\\s+Base\\s+Offer(?:\\s+A)?)?(?:\\s*,?\\s*(?:for\\s+(?:Government|Faculty|Students)|\\(\\s*Government\\s*Pricing\\s*\\)))?(?:\\s*\\(\\s*NEW\\s*\\))?|DYN365_ENTERPRISE_PLAN1)$\",Dynamics 365 Customer Engagement Plan,,Dynamics 365 Customer Engagement Plan;Dynamics 365 Customer Engagement Plan Enterprise Edition;Dynamics 365 Plan 1 Enterprise Edition;DYN365_ENTERPRISE_PLAN1\n"
    "team-members,replacement,\"^(?!.*Qualified\\s*Offer)(?:Microsoft\\s+)?(?:Dynamics\\s*365\\s+(?:for\\s+)?Team\\s+Members(?:\\s*,?\\s+Enterprise(?:\\s+Edition)?)?(?:\\s+Attach\\s+to\\s+Qualifying\\s+Dynamics\\s*365\\s+Base\\s+Offer(?:\\s+A)?)?(?:\\s*,?\\s*(?:for\\s+(?:Government|Faculty|Students)|\\(\\s*Government\\s*Pricing\\s*\\)))?(?:\\s*\\(\\s*NEW\\s*\\))?|DYN365_(?:ENTERPRISE_)?TEAM_MEMBERS(?:_GOV)?)$\",Dynamics 365 Team Members,,Dynamics 365 Team Members;Dynamics 365 for Team Members Enterprise Edition;DYN365_ENTERPRISE_TEAM_MEMBERS;Dynamics 365 Team Members_wDynamicsRetail;DYN365_TEAM_MEMBERS;Dynamics 365 for Team Members Enterprise Edition for Government;DYN365_ENTERPRISE_TEAM_MEMBERS_GOV\n"
    "sales-enterprise,other,\"^(?!.*Qualified\\s*Offer)(?:Microsoft\\s+)?(?:Dynamics\\s*365\\s+(?:for\\s+)?Sales\\s*,?\\s+Enterprise(?:\\s+Edition)?(?:\\s*,?\\s*(?:for\\s+(?:Government|Faculty|Students)|\\(\\s*Government\\s*Pricing\\s*\\)))?(?:\\s*\\(\\s*NEW\\s*\\))?|(?:DYN365|D365)_ENTERPRISE_SALES(?:_GOV)?)$\",Dynamics 365 for Sales Enterprise Edition,,\"Dynamics 365 for Sales Enterprise Edition;DYN365_ENTERPRISE_SALES;Dynamics 365 for Sales;Dynamics 365 for Sales, Enterprise Edition for Government;DYN365_ENTERPRISE_SALES_GOV;Dynamics 365 for Sales Enterprise for Government;D365_ENTERPRISE_SALES_GOV\"\n";

/* Distinct texts classified before the memo stops growing. */
#define MEMO_MAX 200000

struct compiled {
	pcre2_code *re;
};

/*
 * Matching state of one thread: PCRE2 match data per rule, a match
 * context (its limits change with the text's length), a JIT stack and the
 * memo. The compiled patterns, JIT code included, are shared read-only by
 * every classifier.
 */
struct classifier {
	const struct rules *rules;
	pcre2_match_data **md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *stack;		/* NULL when the rules are interpreted */
	struct memo_entry *memo;	/* open addressing; key NULL: an empty slot */
	size_t memo_cap, memo_count;
	struct arena keys;		/* the memo's keys: name then id */
	struct buf key;
};

/* What one (offer name, offer id) pair was classified as. */
struct memo_entry {
	uint64_t hash;
	const char *key;
	size_t nlen, idlen;
	int rule;		/* -1: none */
};

struct rules {
	struct rule *v;
	struct compiled *c;
	size_t n;
	char **family;
	enum rule_kind *family_kind;
	size_t nfamily;
	struct strmap items;	/* item_key of a listed product -> rule index + 1 */
	size_t npools;
	char *source;
	uint64_t bytes;
	uint32_t crc;
	uint32_t match_options;	/* PCRE2_NO_JIT when any pattern has no JIT code */
	struct classifier *own;	/* for rules_classify */
};

const char *
rules_builtin_text(size_t *len)
{
	*len = sizeof(builtin_rules) - 1;
	return builtin_rules;
}

size_t
rules_count(const struct rules *r)
{
	return r->n;
}

const struct rule *
rules_get(const struct rules *r, size_t i)
{
	return &r->v[i];
}

size_t
rules_family_count(const struct rules *r)
{
	return r->nfamily;
}

const char *
rules_family(const struct rules *r, size_t i)
{
	return r->family[i];
}

enum rule_kind
rules_family_kind(const struct rules *r, size_t i)
{
	return r->family_kind[i];
}

const char *
rules_kind_word(enum rule_kind kind)
{
	return kind == RULE_RETIRED ? "retired" : kind == RULE_REPLACEMENT ? "replacement" :
	    "other";
}

size_t
rules_pool_count(const struct rules *r)
{
	return r->npools;
}

/* The longest product name a rules file may list, in item_key form. */
#define ITEM_MAX 255

/*
 * The form license items are compared in, into out (ITEM_MAX bytes):
 * ASCII letters in lower case, white space (a no-break space too) left
 * out, so that Microsoft's own "DYN365_ ENTERPRISE _RELATIONSHIP_SALES" is
 * its part number. Its length, or ITEM_MAX + 1 when it does not fit.
 */
static size_t
item_key(char out[ITEM_MAX], const char *s, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == ' ' || c == '\t' || c == 0xa0)
			continue;
		if (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] == 0xa0) {
			i++;
			continue;
		}
		if (k == ITEM_MAX)
			return ITEM_MAX + 1;
		out[k++] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
	}
	return k;
}

int
rules_item_pool(const struct rules *r, const char *item, size_t n)
{
	char key[ITEM_MAX];
	size_t k;
	struct strmap_entry *e;

	if (r->items.count == 0 || (k = item_key(key, item, n)) > ITEM_MAX)
		return -1;
	e = strmap_find(&r->items, key, k);
	return e ? (int)r->v[(size_t)e->value - 1].pool : -1;
}

const char *
rules_source(const struct rules *r)
{
	return r->source;
}

uint64_t
rules_bytes(const struct rules *r)
{
	return r->bytes;
}

uint32_t
rules_crc(const struct rules *r)
{
	return r->crc;
}

static bool
valid_id(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return false;
	}
	return true;
}

static int
find_rule(const struct rules *r, const char *id, size_t n)
{
	for (size_t i = 0; i < r->n; i++)
		if (strlen(r->v[i].id) == n && memcmp(r->v[i].id, id, n) == 0)
			return (int)i;
	return -1;
}

/* Compiles rule i's pattern; PCRE2's message and byte offset on failure. */
static int
rule_compile(struct rules *r, size_t i, struct diag *d)
{
	struct rule *ru = &r->v[i];
	int err;
	PCRE2_SIZE off;
	PCRE2_UCHAR msg[256];

	r->c[i].re = pcre2_compile((PCRE2_SPTR)ru->pattern, PCRE2_ZERO_TERMINATED,
	    PCRE2_CASELESS | PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF, &err, &off, NULL);
	if (r->c[i].re == NULL) {
		pcre2_get_error_message(err, msg, sizeof(msg));
		diag_set(d, r->source, ru->line, "rule '%s': pattern does not compile: %s at offset %zu",
		    ru->id, (char *)msg, (size_t)off);
		return -1;
	}
	return 0;
}

static size_t
family_add(struct rules *r, const char *name, enum rule_kind kind)
{
	for (size_t i = 0; i < r->nfamily; i++)
		if (strcmp(r->family[i], name) == 0)
			return i;
	r->family = mem_realloc(r->family, (r->nfamily + 1) * sizeof(*r->family));
	r->family_kind = mem_realloc(r->family_kind, (r->nfamily + 1) * sizeof(*r->family_kind));
	r->family[r->nfamily] = mem_strdup(name);
	r->family_kind[r->nfamily] = kind;
	return r->nfamily++;
}

enum { RC_ID, RC_KIND, RC_PATTERN, RC_FAMILY, RC_SUGGEST, RC_PRODUCTS, RC_COUNT };

/* Pools are merged as union-find over the rules: the root of rule i's. */
static size_t
pool_root(struct rules *r, size_t i)
{
	while (r->v[i].pool != i) {
		r->v[i].pool = r->v[r->v[i].pool].pool;
		i = r->v[i].pool;
	}
	return i;
}

/*
 * Checks rule i's products ("a;b;c": non-empty names of printable text,
 * at most ITEM_MAX bytes each) and lists each in r->items; a name that
 * another rule lists already puts the two rules in one pool.
 */
static int
rule_products(struct rules *r, size_t i, uint64_t line, struct diag *d)
{
	struct rule *ru = &r->v[i];
	const char *p = ru->products;
	char key[ITEM_MAX];

	ru->pool = i;
	while (*p != '\0') {
		const char *e = strchr(p, ';'), *s = p;
		size_t n = e ? (size_t)(e - p) : strlen(p), k;
		struct strmap_entry *m;
		int created;

		p = e ? e + 1 : p + n;
		n = text_trim(&s, n);
		for (size_t j = 0; j < n; j++)
			if ((unsigned char)s[j] < 0x20 || s[j] == 0x7f) {
				diag_set(d, r->source, line,
				    "rule '%s': products: a control character in '%.*s'", ru->id,
				    (int)n, s);
				return -1;
			}
		k = item_key(key, s, n);
		if (k == 0 || k > ITEM_MAX) {
			diag_set(d, r->source, line, k == 0 ?
			    "rule '%s': products: an empty name (names are separated by ';')" :
			    "rule '%s': products: a name longer than 255 bytes", ru->id);
			return -1;
		}
		m = strmap_put(&r->items, key, k, &created);
		if (created) {
			m->value = (void *)(i + 1);
		} else {
			size_t a = pool_root(r, (size_t)m->value - 1), b = pool_root(r, i);

			/* The older rule's root stays the root: pools keep file order. */
			if (a < b)
				r->v[b].pool = a;
			else
				r->v[a].pool = b;
		}
	}
	return 0;
}

/* Numbers the pools 0, 1, ... in the order of their first rule. */
static void
pools_number(struct rules *r)
{
	size_t *num = mem_calloc(r->n, sizeof(*num));

	for (size_t i = 0; i < r->n; i++) {
		size_t root = pool_root(r, i);

		if (root == i)
			num[i] = r->npools++;
	}
	for (size_t i = 0; i < r->n; i++)
		r->v[i].pool = pool_root(r, i);
	for (size_t i = 0; i < r->n; i++)
		r->v[i].pool = num[r->v[i].pool];
	free(num);
}

/* Makes a new rule of the values v (NUL-terminated, of lengths l). */
static int
rule_make(struct rules *r, const struct record *rec, const char *const *v, const size_t *l,
    char **suggest_text, struct diag *d)
{
	struct rule *ru;

	if (!valid_id(v[RC_ID], l[RC_ID])) {
		diag_set(d, r->source, rec->line, "rule '%s': id must be of [a-z0-9-]+", v[RC_ID]);
		return -1;
	}
	if (find_rule(r, v[RC_ID], l[RC_ID]) >= 0) {
		diag_set(d, r->source, rec->line, "rule '%s': duplicate id", v[RC_ID]);
		return -1;
	}
	if (r->n >= RULES_MAX) {
		diag_set(d, r->source, rec->line, "rule '%s': more than %d rules", v[RC_ID],
		    RULES_MAX);
		return -1;
	}
	r->v = mem_realloc(r->v, (r->n + 1) * sizeof(*r->v));
	r->c = mem_realloc(r->c, (r->n + 1) * sizeof(*r->c));
	*suggest_text = NULL;
	ru = &r->v[r->n];
	memset(ru, 0, sizeof(*ru));
	memset(&r->c[r->n], 0, sizeof(r->c[r->n]));
	ru->id = mem_strndup(v[RC_ID], l[RC_ID]);
	ru->line = rec->line;
	r->n++;
	if (text_ieq(v[RC_KIND], l[RC_KIND], "retired")) {
		ru->kind = RULE_RETIRED;
	} else if (text_ieq(v[RC_KIND], l[RC_KIND], "replacement")) {
		ru->kind = RULE_REPLACEMENT;
	} else if (text_ieq(v[RC_KIND], l[RC_KIND], "other")) {
		ru->kind = RULE_OTHER;
	} else {
		diag_set(d, r->source, rec->line,
		    "rule '%s': unknown kind '%s' (retired, replacement or other)", ru->id,
		    v[RC_KIND]);
		return -1;
	}
	if (l[RC_PATTERN] == 0) {
		diag_set(d, r->source, rec->line, "rule '%s': empty pattern", ru->id);
		return -1;
	}
	if (l[RC_FAMILY] == 0) {
		diag_set(d, r->source, rec->line, "rule '%s': empty family", ru->id);
		return -1;
	}
	ru->pattern = mem_strndup(v[RC_PATTERN], l[RC_PATTERN]);
	ru->family = mem_strndup(v[RC_FAMILY], l[RC_FAMILY]);
	ru->family_index = family_add(r, ru->family, ru->kind);
	if (r->family_kind[ru->family_index] != ru->kind) {
		diag_set(d, r->source, rec->line,
		    "rule '%s': family '%s' is used by both %s and %s rules", ru->id, ru->family,
		    rules_kind_word(r->family_kind[ru->family_index]), rules_kind_word(ru->kind));
		return -1;
	}
	if (rule_compile(r, r->n - 1, d) != 0)
		return -1;
	ru->products = mem_strndup(v[RC_PRODUCTS], l[RC_PRODUCTS]);
	if (rule_products(r, r->n - 1, rec->line, d) != 0)
		return -1;
	if (ru->kind == RULE_RETIRED && l[RC_SUGGEST] > 0)
		*suggest_text = mem_strndup(v[RC_SUGGEST], l[RC_SUGGEST]);
	return 0;
}

/* Reads one data record of the rules file into a new rule. */
static int
rule_add(struct rules *r, const struct record *rec, const int *col, size_t ncol,
    char **suggest_text, struct diag *d)
{
	char *copy[RC_COUNT];
	const char *v[RC_COUNT];
	size_t l[RC_COUNT];
	int rc;

	if (rec->problem != RECORD_OK || rec->nfields != ncol) {
		diag_set(d, r->source, rec->line, "%s",
		    rec->problem == RECORD_MALFORMED ? "malformed quotes" :
		    rec->problem == RECORD_UNTERMINATED ? "unterminated quote" :
		    rec->problem == RECORD_TOO_LONG ? "field too long" :
		    rec->problem == RECORD_NUL ? "a NUL byte in a field" :
		    "wrong number of fields");
		return -1;
	}
	for (int i = 0; i < RC_COUNT; i++) {
		/* NUL-terminated copies, for messages and the rule's strings. */
		l[i] = col[i] >= 0 ? rec->len[col[i]] : 0;
		copy[i] = mem_strndup(col[i] >= 0 ? rec->field[col[i]] : "", l[i]);
		v[i] = copy[i];
	}
	rc = rule_make(r, rec, v, l, suggest_text, d);
	for (int i = 0; i < RC_COUNT; i++)
		free(copy[i]);
	return rc;
}

/* Resolves a retired rule's "a;b;c" to replacement rule indexes. */
static int
rule_suggest(struct rules *r, struct rule *ru, const char *text, struct diag *d)
{
	const char *p = text;

	while (*p != '\0') {
		const char *e = strchr(p, ';');
		const char *s = p;
		size_t n = e ? (size_t)(e - p) : strlen(p);
		int k;

		p = e ? e + 1 : p + n;
		n = text_trim(&s, n);
		if (n == 0)
			continue;
		k = find_rule(r, s, n);
		if (k < 0 || r->v[k].kind != RULE_REPLACEMENT) {
			diag_set(d, r->source, ru->line,
			    "rule '%s': suggest names '%.*s', which is no replacement rule",
			    ru->id, (int)n, s);
			return -1;
		}
		ru->suggest = mem_realloc(ru->suggest, (ru->nsuggest + 1) * sizeof(size_t));
		ru->suggest[ru->nsuggest++] = (size_t)k;
	}
	return 0;
}

/* Reads a whole rules text from in; suggestions are resolved at the end. */
static int
rules_read(struct rules *r, struct input *in, struct diag *d)
{
	struct records_opts o = { .delimiter = ',' };
	struct records *rd = NULL;
	struct record *rec;
	int col[RC_COUNT], rc = -1, k;
	char **sugg = NULL;
	static const char *names[RC_COUNT] = { "id", "kind", "pattern", "family", "suggest",
		"products" };
	size_t ncol = 0;

	if (records_open(&rd, in, r->source, &o, d) != 0)
		return -1;
	k = records_next(rd, &rec, d);
	if (k <= 0) {
		if (k == 0)
			diag_set(d, r->source, 0, "no header line (expected %s)",
			    "id,kind,pattern,family,suggest");
		goto out;
	}
	ncol = rec->nfields;
	for (int i = 0; i < RC_COUNT; i++) {
		col[i] = -1;
		for (size_t c = 0; c < rec->kept; c++)
			if (text_ieq(rec->field[c], rec->len[c], names[i]))
				col[i] = (int)c;
		if (col[i] < 0 && i != RC_SUGGEST && i != RC_PRODUCTS) {
			diag_set(d, r->source, rec->line,
			    "no '%s' column (the header must be id,kind,pattern,family,suggest)",
			    names[i]);
			goto out;
		}
	}
	while ((k = records_next(rd, &rec, d)) == 1) {
		sugg = mem_realloc(sugg, (r->n + 1) * sizeof(*sugg));
		sugg[r->n] = NULL;
		if (rule_add(r, rec, col, ncol, &sugg[r->n], d) != 0) {
			/* A rule added before failing owns its slot: freed below. */
			goto out;
		}
	}
	if (k < 0)
		goto out;
	for (size_t i = 0; i < r->n; i++)
		if (sugg[i] != NULL && rule_suggest(r, &r->v[i], sugg[i], d) != 0)
			goto out;
	if (r->n == 0) {
		diag_set(d, r->source, 0, "no rules");
		goto out;
	}
	pools_number(r);
	rc = 0;
out:
	for (size_t i = 0; sugg != NULL && i < r->n; i++)
		free(sugg[i]);
	free(sugg);
	records_free(rd);
	return rc;
}

/*
 * JIT-compiles every pattern, once, before any is matched: then the whole
 * run matches in one mode, and a rule's match limit (see match_limit)
 * counts the same way for every text, whatever the order of the rows.
 * When a pattern cannot be JIT-compiled (no JIT on this machine, or no
 * memory for it) every pattern is interpreted instead.
 */
static void
rules_jit(struct rules *r)
{
	r->match_options = 0;
	for (size_t i = 0; i < r->n; i++)
		if (pcre2_jit_compile(r->c[i].re, PCRE2_JIT_COMPLETE) != 0) {
			r->match_options = PCRE2_NO_JIT;
			return;
		}
}

int
rules_load(struct rules **out, const char *path, struct diag *d)
{
	struct rules *r = mem_calloc(1, sizeof(*r));
	struct input *in;
	int rc;

	*out = NULL;
	r->source = mem_strdup(path ? path : "builtin");
	strmap_init(&r->items);
	if (path == NULL) {
		in = input_open_mem("builtin", builtin_rules, sizeof(builtin_rules) - 1);
	} else if (input_open(&in, path, NULL, d) != 0) {
		rules_free(r);
		return -1;
	}
	rc = rules_read(r, in, d);
	if (rc == 0) {
		char tail[1];

		ssize_t k;

		/* Read to the end so that bytes and CRC cover the whole file. */
		while ((k = input_read(in, tail, sizeof(tail), d)) > 0)
			;
		rc = k < 0 ? -1 : 0;
		r->bytes = input_bytes(in);
		r->crc = input_crc(in);
	}
	input_close(in);
	if (rc != 0) {
		rules_free(r);
		return -1;
	}
	rules_jit(r);
	r->own = rules_classifier_new(r);
	*out = r;
	return 0;
}

bool
rules_jit_used(const struct rules *r)
{
	return r->match_options == 0;
}

void
rules_free(struct rules *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].id);
		free(r->v[i].pattern);
		free(r->v[i].family);
		free(r->v[i].suggest);
		free(r->v[i].products);
		pcre2_code_free(r->c[i].re);
	}
	for (size_t i = 0; i < r->nfamily; i++)
		free(r->family[i]);
	free(r->family);
	free(r->family_kind);
	strmap_free(&r->items);
	free(r->v);
	free(r->c);
	free(r->source);
	rules_classifier_free(r->own);
	free(r);
}

/*
 * The JIT stack's largest size. PCRE2's default, 32 KiB on the machine
 * stack, gives up where the interpreter does not, on patterns that keep
 * a backtracking point per character ("^(?:a|b)*$" on 2,000 bytes); 8 MiB,
 * reserved but only used as needed, holds about as deep a backtrack as
 * the interpreter's HEAP_LIMIT below.
 */
#define JIT_STACK_MAX (8u << 20)

/* The interpreter's backtracking memory at most, in KiB (PCRE2's unit). */
#define HEAP_LIMIT (64u << 10)

struct classifier *
rules_classifier_new(const struct rules *r)
{
	struct classifier *c = mem_calloc(1, sizeof(*c));

	c->rules = r;
	c->md = mem_calloc(r->n, sizeof(*c->md));
	for (size_t i = 0; i < r->n; i++) {
		c->md[i] = pcre2_match_data_create_from_pattern(r->c[i].re, NULL);
		if (c->md[i] == NULL)
			mem_fail();
	}
	c->mctx = pcre2_match_context_create(NULL);
	if (c->mctx == NULL)
		mem_fail();
	pcre2_set_heap_limit(c->mctx, HEAP_LIMIT);
	if (rules_jit_used(r)) {
		c->stack = pcre2_jit_stack_create(32u << 10, JIT_STACK_MAX, NULL);
		if (c->stack == NULL)
			mem_fail();
		pcre2_jit_stack_assign(c->mctx, NULL, c->stack);
	}
	return c;
}

void
rules_classifier_free(struct classifier *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->rules->n; i++)
		pcre2_match_data_free(c->md[i]);
	free(c->md);
	pcre2_match_context_free(c->mctx);
	pcre2_jit_stack_free(c->stack);
	free(c->memo);
	arena_free(&c->keys);
	buf_free(&c->key);
	free(c);
}

/*
 * The steps (PCRE2's match limit, and its depth limit) one match may
 * take on a text of n bytes. The built-in rules take under 100 on offer
 * names and part numbers, and about one a byte on a long text (their
 * "(?!.*Qualified\s*Offer)" looks at every byte): 100,000 and 16 a byte
 * leave them a wide margin, even on a 1 MiB field, while a pattern that
 * backtracks exponentially ("^(a+)+$") reaches it within a millisecond
 * on a name of 20-odd bytes instead of running for 15 ms or more on each.
 */
#define MATCH_LIMIT_BASE 100000u
#define MATCH_LIMIT_PER_BYTE 16u

static uint32_t
match_limit(size_t n)
{
	uint64_t v = MATCH_LIMIT_BASE + (uint64_t)MATCH_LIMIT_PER_BYTE * n;

	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/* At most this many bytes of a text are quoted in a message. */
#define QUOTE_MAX 60

/*
 * Appends s quoted for a one-line message: valid UTF-8 (other bytes read
 * as Windows-1252), control characters as spaces, cut at a whole
 * character after QUOTE_MAX bytes with "..." to say so.
 */
static void
quote_add(struct buf *out, const char *s, size_t n)
{
	struct buf t = { 0 };
	size_t k;

	text_sanitize_utf8(&t, s, n > QUOTE_MAX * 2 ? QUOTE_MAX * 2 : n);
	k = t.len > QUOTE_MAX ? text_utf8_cut(t.data, QUOTE_MAX) : t.len;
	buf_addc(out, '"');
	for (size_t i = 0; i < k; i++)
		buf_addc(out, (unsigned char)t.data[i] < 0x20 || t.data[i] == 0x7f ? ' ' :
		    t.data[i]);
	buf_adds(out, k < t.len || n > QUOTE_MAX * 2 ? "...\"" : "\"");
	buf_free(&t);
}

/*
 * Fills d for a PCRE2 error of rule i on the text s: a limit reached is
 * the pattern's fault, said so; anything else in PCRE2's words.
 */
static void
rule_error(const struct rules *r, size_t i, int rc, const char *s, size_t n, struct diag *d)
{
	const struct rule *ru = &r->v[i];
	PCRE2_UCHAR msg[256];
	struct buf q = { 0 };

	quote_add(&q, s, n);
	if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
	    rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT) {
		diag_set(d, NULL, 0, "rule '%s' (%s:%llu) gives up on %s: its pattern "
		    "backtracks too much; simplify it", ru->id, r->source,
		    (unsigned long long)ru->line, q.data);
	} else {
		pcre2_get_error_message(rc, msg, sizeof(msg));
		diag_set(d, NULL, 0, "rule '%s' (%s:%llu): matching %s failed: %s", ru->id,
		    r->source, (unsigned long long)ru->line, q.data, (char *)msg);
	}
	buf_free(&q);
}

/* 1 on a match, 0 on none, -1 with d filled on a PCRE2 error. */
static int
rule_match(struct classifier *c, size_t i, const char *s, size_t n, struct diag *d)
{
	const struct rules *r = c->rules;
	uint32_t limit = match_limit(n);
	int rc;

	pcre2_set_match_limit(c->mctx, limit);
	pcre2_set_depth_limit(c->mctx, limit);
	rc = pcre2_match(r->c[i].re, (PCRE2_SPTR)s, n, 0, r->match_options, c->md[i], c->mctx);
	if (rc >= 0)
		return 1;
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	rule_error(r, i, rc, s, n, d);
	return -1;
}

/* Probes of the memo at most: a cache may miss, but never walk far. */
#define MEMO_PROBES 64

/*
 * A hash of a memo text: all of a short one, else its length and three
 * 8-byte samples (start, middle, end). The few dozen offer names and ids
 * of an export differ there; texts that do not merely share a probe
 * sequence, which MEMO_PROBES bounds.
 */
static uint64_t
memo_hash(const char *s, size_t n)
{
	uint64_t a, b, c, h;

	if (n < 24)
		return strmap_hash(s, n);
	memcpy(&a, s, 8);
	memcpy(&b, s + n / 2 - 4, 8);
	memcpy(&c, s + n - 8, 8);
	h = a * 0x9e3779b97f4a7c15ULL ^ b * 0xc2b2ae3d27d4eb4fULL ^ c * 0x165667b19e3779f9ULL ^ n;
	h ^= h >> 31;
	h *= 0xbf58476d1ce4e5b9ULL;
	return h ^ h >> 29;
}

/*
 * The memo's slot for the pair: its entry, or the empty slot to fill;
 * NULL when neither is within MEMO_PROBES slots.
 */
static struct memo_entry *
memo_slot(const struct classifier *c, uint64_t h, const char *name, size_t nlen,
    const char *id, size_t idlen)
{
	size_t mask = c->memo_cap - 1, i = h & mask;

	for (int k = 0; k < MEMO_PROBES; k++, i = (i + 1) & mask) {
		struct memo_entry *e = &c->memo[i];

		if (e->key == NULL || (e->hash == h && e->nlen == nlen && e->idlen == idlen &&
		    memcmp(e->key, name, nlen) == 0 && memcmp(e->key + nlen, id, idlen) == 0))
			return e;
	}
	return NULL;
}

/* Twice the slots (at least 256), every entry placed again. */
static void
memo_grow(struct classifier *c)
{
	struct memo_entry *old = c->memo, *e;
	size_t n = c->memo_cap;

	c->memo_cap = n ? n * 2 : 256;
	c->memo = mem_calloc(c->memo_cap, sizeof(*c->memo));
	for (size_t i = 0; i < n; i++) {
		if (old[i].key == NULL)
			continue;
		e = memo_slot(c, old[i].hash, old[i].key, old[i].nlen, old[i].key + old[i].nlen,
		    old[i].idlen);
		if (e != NULL)
			*e = old[i];
		else
			c->memo_count--;	/* a cache: it may forget */
	}
	free(old);
}

/*
 * Classifies by the memo of pairs already seen, hashed and compared where
 * they lie (no copy), else by the rules: first rule whose pattern matches
 * the name or, failing that, the id.
 */
int
rules_classify_with(struct classifier *c, const char *name, size_t nlen, const char *id,
    size_t idlen, int *out, struct diag *d)
{
	struct memo_entry *e;
	uint64_t h;

	if (id == NULL) {
		id = "";
		idlen = 0;
	}
	h = memo_hash(name, nlen) * 0x9e3779b97f4a7c15ULL ^ memo_hash(id, idlen);
	if (c->memo_cap > 0) {
		e = memo_slot(c, h, name, nlen, id, idlen);
		if (e != NULL && e->key != NULL) {
			*out = e->rule;
			return 0;
		}
	}
	*out = -1;
	for (size_t i = 0; i < c->rules->n && *out < 0; i++) {
		int m = rule_match(c, i, name, nlen, d);

		if (m == 0 && idlen > 0)
			m = rule_match(c, i, id, idlen, d);
		if (m < 0)
			return -1;
		if (m == 1)
			*out = (int)i;
	}
	if (c->memo_count < MEMO_MAX) {
		if ((c->memo_count + 1) * 4 > c->memo_cap * 3)
			memo_grow(c);
		c->key.len = 0;
		buf_add(&c->key, name, nlen);
		buf_add(&c->key, id, idlen);
		e = memo_slot(c, h, name, nlen, id, idlen);
		if (e != NULL) {
			*e = (struct memo_entry){ h, arena_strndup(&c->keys,
			    c->key.data ? c->key.data : "", c->key.len), nlen, idlen, *out };
			c->memo_count++;
		}
	}
	return 0;
}

int
rules_classify(struct rules *r, const char *name, size_t nlen, const char *id,
    size_t idlen, int *out, struct diag *d)
{
	return rules_classify_with(r->own, name, nlen, id, idlen, out, d);
}

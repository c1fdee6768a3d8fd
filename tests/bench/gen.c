/*
 * gen: a deterministic generator of realistic Partner Center subscription
 * exports and Microsoft 365 admin center license exports, for the benchmark.
 *
 *     gen ROWS SEED OUT_SUBS.csv OUT_LICENSES.csv
 *
 * The same ROWS and SEED always give the same bytes (own xorshift64* PRNG,
 * never rand()). About 230 bytes per subscription row, so 5,000,000 rows
 * make about 1.17 GB. Customers come from a pool of max(10, ROWS/50); 35% of
 * their names are quoted and hold a comma and a doubled quote, a third hold
 * non-ASCII UTF-8 (German, Korean, Japanese). 60 distinct offers: 6 retired
 * names spelled exactly as in shared/seed/retirement-notice.txt (about 10%
 * of rows), 4 replacement products (about 6%), 50 others: 49 that match no
 * rule and Sales Enterprise at full price, which the built-in rules keep
 * (kind other: its seats pool with the retired Sales seats).
 * Subscription ids are unique GUIDs: 64 of their bits are a bijection of the
 * row number.
 *
 * BENCH_MATCHED=N in the environment: exactly N rows use a retired offer and
 * every other row matches no rule at all (no replacement offers, and no
 * Sales Enterprise at full price: the ledger would keep those). The N
 * matched rows and their customers are drawn from their own stream, so the
 * truth below is the same for any ROWS >= N: memory can be compared between
 * inputs of different sizes with the same matching subscriptions. They are
 * drawn from max(10, N/5) customers, or from BENCH_MATCHED_CUSTOMERS.
 *
 * BENCH_SHAPE=small in the environment: many small customers, a pool of
 * max(10, ROWS/12) instead of ROWS/50, so that 5M rows give about 290k
 * affected customers with one or two retired subscriptions each (the
 * shape of a partner with many small tenants, where memory per customer
 * counts more than per subscription).
 *
 * BENCH_USERS=N in the environment: the license export holds N users
 * rather than ROWS/10 (the benchmark's shape of a large tenant list: 2M
 * users, joined to their customers by the domain of their UPN). OUT_SUBS
 * may then be /dev/null when the subscription export of the same ROWS and
 * SEED is already made: it is the same.
 *
 * stdout gets the truth, one key=value a line: rows, retired_rows,
 * retired_subscriptions, retired_active_quantity, retired_customers,
 * customers, license_users, license_users_affected (users of a customer
 * with a retired subscription), bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- PRNG: xorshift64*, seeded through splitmix64 ---- */

struct rng {
	uint64_t s;
};

static uint64_t
mix64(uint64_t x)
{
	/* splitmix64's finaliser: a bijection on 64-bit values. */
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

static void
rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
	r->s = mix64(seed * 0x9e3779b97f4a7c15ULL + stream + 0x632be59bd9b4e019ULL);
	if (r->s == 0)
		r->s = 0x2545f4914f6cdd1dULL;
}

static uint64_t
rng_next(struct rng *r)
{
	uint64_t x = r->s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	r->s = x;
	return x * 0x2545f4914f6cdd1dULL;
}

/* Uniform in [0, n). The bias of the multiply-shift is below 2^-32. */
static uint32_t
rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* ---- output buffer for one row ---- */

struct buf {
	char b[4096];
	size_t n;
};

static void
put(struct buf *o, const char *s)
{
	size_t l = strlen(s);

	memcpy(o->b + o->n, s, l);
	o->n += l;
}

static void
putc1(struct buf *o, char c)
{
	o->b[o->n++] = c;
}

static void
putu(struct buf *o, uint64_t v)
{
	char t[24];
	int i = 0;

	do {
		t[i++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (i)
		o->b[o->n++] = t[--i];
}

static void
put2(struct buf *o, unsigned v)
{
	putc1(o, (char)('0' + v / 10 % 10));
	putc1(o, (char)('0' + v % 10));
}

/* A GUID whose first 64 bits are `unique` (already unique per caller) and
 * whose other bits come from `r`; version 4, variant 10. */
static void
put_guid(struct buf *o, uint64_t unique, struct rng *r, int upper)
{
	const char *hex = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	uint64_t lo = rng_next(r);
	unsigned char by[16];
	int i;

	for (i = 0; i < 8; i++)
		by[i] = (unsigned char)(unique >> (56 - 8 * i));
	for (i = 0; i < 8; i++)
		by[8 + i] = (unsigned char)(lo >> (56 - 8 * i));
	/* Version and variant would overwrite unique bits in bytes 6 and 8;
	 * move those bits into bytes 9..10 instead, keeping the map injective. */
	by[9] = (unsigned char)((by[9] & 0x0f) | (by[6] & 0xf0));
	by[10] = (unsigned char)((by[10] & 0x3f) | (by[8] & 0xc0));
	by[6] = (unsigned char)(0x40 | (by[6] & 0x0f));
	by[8] = (unsigned char)(0x80 | (by[8] & 0x3f));
	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			putc1(o, '-');
		putc1(o, hex[by[i] >> 4]);
		putc1(o, hex[by[i] & 15]);
	}
}

/* ---- vocabulary ---- */

#define NRETIRED 6
static const char *const retired_offers[NRETIRED] = {
	"Dynamics 365 for Sales Enterprise Edition CRMOL Basic (Qualified Offer)",
	"Dynamics 365 for Sales Enterprise Edition Add-On for CRM Basic (Qualified Offer)",
	"Dynamics 365 for Sales Enterprise Edition From SA for CRM Basic (Qualified Offer) for Faculty",
	"Dynamics 365 Customer Engagement Plan Enterprise Edition CRMOL Basic (Qualified Offer)",
	"Dynamics 365 Customer Engagement Plan Enterprise Edition (Government Pricing) CRMOL Basic (Qualified Offer)",
	"Dynamics 365 Customer Engagement Plan Enterprise Edition Add-On for CRM Basic (Qualified Offer) for Students",
};

#define NREPL 4
static const char *const replacement_offers[NREPL] = {
	"Dynamics 365 for Sales Professional",
	"Dynamics 365 Team Members",
	"Dynamics 365 for Customer Service",
	"Dynamics 365 Customer Engagement Plan",
};

/* Fifty other offers; earlier ones are drawn more often. One holds a comma
 * and is written quoted, as Partner Center exports do. All but one match no
 * rule: OTHER_KEPT, which the built-in `other` rule keeps. */
#define NOTHER 50
#define OTHER_KEPT 16
static const char *const other_offers[NOTHER] = {
	"Office 365 E3",
	"Microsoft 365 Business Premium",
	"Office 365 E1",
	"Microsoft 365 E3",
	"Exchange Online (Plan 1)",
	"Microsoft 365 Business Basic",
	"Microsoft 365 Business Standard",
	"Office 365 E5",
	"Microsoft 365 E5",
	"Power BI Pro",
	"Enterprise Mobility + Security E3",
	"Microsoft 365 Apps for business",
	"Microsoft 365 Apps for enterprise",
	"Exchange Online (Plan 2)",
	"Project Plan 3",
	"Visio Plan 2",
	"Dynamics 365 for Sales Enterprise Edition",	/* OTHER_KEPT */
	"Azure Active Directory Premium P1",
	"Microsoft Intune",
	"Exchange Online Kiosk",
	"Project Plan 5",
	"Visio Plan 1",
	"Power Apps per user plan",
	"Power Automate per user plan",
	"Enterprise Mobility + Security E5",
	"Azure Active Directory Premium P2",
	"Microsoft Defender for Endpoint P2",
	"Windows 10 Enterprise E3",
	"Microsoft Teams Rooms Standard",
	"Microsoft Teams Phone Standard",
	"Audio Conferencing",
	"Domestic Calling Plan",
	"Office 365 A1 for faculty",
	"Office 365 A3 for students",
	"Microsoft 365 E5 Developer (without Windows and Audio Conferencing)",
	"Dynamics 365 for Field Service",
	"\"Dynamics 365 for Finance and Operations, Enterprise edition\"",
	"Dynamics 365 Business Central Essentials",
	"Dynamics 365 Business Central Premium",
	"Dynamics 365 Marketing",
	"Dynamics 365 Customer Insights",
	"CRM Online Basic",
	"CRM Online Professional",
	"Power BI Premium Per User",
	"Project Online Essentials",
	"SharePoint Online (Plan 1)",
	"OneDrive for Business (Plan 1)",
	"Exchange Online Protection",
	"Microsoft Defender for Office 365 (Plan 1)",
	"Skype for Business Online (Plan 2)",
};

static const char *const name_ascii[] = {
	"Contoso", "Fabrikam", "Northwind", "Adventure Works", "Tailspin",
	"Wingtip", "Litware", "Proseware", "Woodgrove", "Alpine Ski House",
	"Blue Yonder", "Coho Winery", "Fourth Coffee", "Graphic Design",
	"Humongous", "Lucerne Publishing", "Margie Travel", "Trey Research",
	"Wide World", "Relecloud",
};
#define N_ASCII (sizeof name_ascii / sizeof name_ascii[0])

static const char *const name_intl[] = {
	"Müller Bäckerei", "Schäfer Größenbau", "Österreich Küche", "Fußball Zürich",
	"Jäger Möbelhaus", "Brötchen Köln", "삼성전자", "한빛소프트", "대한항공 물류",
	"서울 데이터", "株式会社東京", "日本電気", "ソニー販売", "大阪システム",
	"Gruß Übersee", "Löwen Apotheke",
};
#define N_INTL (sizeof name_intl / sizeof name_intl[0])

static const char *const suffix[] = {
	"Ltd", "GmbH", "Inc", "AG", "LLC", "S.A.", "Corp", "KK", "Co", "plc",
};
#define N_SUFFIX (sizeof suffix / sizeof suffix[0])

static const char *const slug_ascii[] = {
	"contoso", "fabrikam", "northwind", "adventureworks", "tailspin",
	"wingtip", "litware", "proseware", "woodgrove", "alpineskihouse",
	"blueyonder", "cohowinery", "fourthcoffee", "graphicdesign",
	"humongous", "lucernepublishing", "margietravel", "treyresearch",
	"wideworld", "relecloud",
};
static const char *const slug_intl[] = {
	"muellerbaeckerei", "schaefergroessenbau", "oesterreichkueche",
	"fussballzuerich", "jaegermoebelhaus", "broetchenkoeln", "samsungcorp",
	"hanbitsoft", "koreanairlogistics", "seouldata", "tokyokk", "nec",
	"sonyhanbai", "osakasystems", "gruss", "loewenapotheke",
};

static const char *const first_names[] = {
	"Ann", "Raj", "Maria", "Tom", "Jürgen", "Zoë", "Min-jun", "Yuki",
	"Sofia", "Lars", "Chloé", "Hiroshi", "Ji-woo", "Björn", "Amelia", "Noah",
};
static const char *const last_names[] = {
	"Lee", "Patel", "Garcia", "O'Neill", "Schröder", "Kim", "Tanaka",
	"Müller", "Nguyen", "Smith", "Park", "Suzuki", "Larsen", "Dubois",
	"Rossi", "Novak",
};
static const char *const upn_first[] = {
	"ann", "raj", "maria", "tom", "juergen", "zoe", "minjun", "yuki",
	"sofia", "lars", "chloe", "hiroshi", "jiwoo", "bjoern", "amelia", "noah",
};
static const char *const upn_last[] = {
	"lee", "patel", "garcia", "oneill", "schroeder", "kim", "tanaka",
	"mueller", "nguyen", "smith", "park", "suzuki", "larsen", "dubois",
	"rossi", "novak",
};

static const char *const license_items[] = {
	"Office 365 E3", "Enterprise Mobility + Security E3", "Power BI Pro",
	"Microsoft 365 E5 Developer (without Windows and Audio Conferencing)",
	"Dynamics 365 for Sales Enterprise Edition",
	"Dynamics 365 for Sales Professional", "Dynamics 365 Team Members",
	"Dynamics 365 Customer Engagement Plan", "Microsoft 365 Business Premium",
	"Project Plan 3", "Visio Plan 2", "Exchange Online (Plan 1)",
};
#define N_LIC (sizeof license_items / sizeof license_items[0])

/* ---- customers ---- */

struct customer {
	char id[40];
	char name[160];	/* as written in the CSV field, quotes included */
	char domain[96];
	int made;
};

static uint64_t g_seed;

/* Customer c depends only on SEED and c, never on ROWS. */
static void
customer_make(struct customer *cu, uint64_t c)
{
	struct rng r;
	struct buf o;
	int intl, quoted;
	const char *base, *slug;
	unsigned k;

	rng_seed(&r, g_seed, 0x1000000000ULL + c);
	o.n = 0;
	put_guid(&o, mix64(c ^ (g_seed << 32) ^ 0xc0ffee0000000000ULL), &r, 0);
	memcpy(cu->id, o.b, o.n);
	cu->id[o.n] = '\0';

	intl = rng_below(&r, 3) == 0;		/* a third non-ASCII */
	quoted = rng_below(&r, 100) < 35;	/* 35% quoted */
	if (intl) {
		k = rng_below(&r, N_INTL);
		base = name_intl[k];
		slug = slug_intl[k];
	} else {
		k = rng_below(&r, N_ASCII);
		base = name_ascii[k];
		slug = slug_ascii[k];
	}
	o.n = 0;
	if (quoted) {
		/* "Contoso ""Nord"", Ltd" */
		put(&o, "\"");
		put(&o, base);
		put(&o, " \"\"");
		put(&o, (c & 1) ? "Nord" : "West");
		put(&o, "\"\", ");
		put(&o, suffix[rng_below(&r, N_SUFFIX)]);
		put(&o, "\"");
	} else {
		put(&o, base);
		put(&o, " ");
		put(&o, suffix[rng_below(&r, N_SUFFIX)]);
	}
	memcpy(cu->name, o.b, o.n);
	cu->name[o.n] = '\0';

	o.n = 0;
	put(&o, slug);
	putu(&o, c);
	put(&o, ".onmicrosoft.com");
	memcpy(cu->domain, o.b, o.n);
	cu->domain[o.n] = '\0';
	cu->made = 1;
}

static struct customer *customers;
static uint64_t ncustomers_alloc;

static struct customer *
customer_get(uint64_t c)
{
	if (!customers[c].made)
		customer_make(&customers[c], c);
	return &customers[c];
}

/* ---- dates ---- */

static unsigned
month_days(unsigned y, unsigned m)
{
	static const unsigned d[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return d[m - 1];
}

/* A valid date in [y0, y1], written in one of the forms exports use. */
static void
put_date(struct buf *o, struct rng *r, unsigned y0, unsigned y1)
{
	unsigned y = y0 + rng_below(r, y1 - y0 + 1);
	unsigned m = 1 + rng_below(r, 12);
	unsigned d = 1 + rng_below(r, month_days(y, m));

	switch (rng_below(r, 10)) {
	case 0: case 1: case 2:			/* API: 2019-02-28T00:00:00Z */
		putu(o, y); putc1(o, '-'); put2(o, m); putc1(o, '-'); put2(o, d);
		put(o, "T00:00:00Z");
		break;
	case 3:					/* 2019-02-28T00:00:00.0000000+00:00 */
		putu(o, y); putc1(o, '-'); put2(o, m); putc1(o, '-'); put2(o, d);
		put(o, "T00:00:00.0000000+00:00");
		break;
	case 4: case 5: case 6:			/* 2019-02-28 */
		putu(o, y); putc1(o, '-'); put2(o, m); putc1(o, '-'); put2(o, d);
		break;
	case 7: case 8:				/* 2/28/2019 */
		putu(o, m); putc1(o, '/'); putu(o, d); putc1(o, '/'); putu(o, y);
		break;
	default:				/* 2/28/2019 23:59 */
		putu(o, m); putc1(o, '/'); putu(o, d); putc1(o, '/'); putu(o, y);
		put(o, " 23:59");
		break;
	}
}

/* ---- the generator's truth ---- */

static uint64_t t_retired_rows, t_retired_qty, t_retired_customers;
static unsigned char *t_cust_retired;

/* kind: 0 other, 1 replacement, 2 retired, 3 other but never OTHER_KEPT. */
static void
write_row(FILE *f, struct rng *r, uint64_t unique, uint64_t c, int kind)
{
	struct buf o;
	const struct customer *cu = customer_get(c);
	const char *offer;
	unsigned oi, qty, q;
	int active, autorenew;

	if (kind == 2) {
		oi = rng_below(r, NRETIRED);
		offer = retired_offers[oi];
	} else if (kind == 1) {
		oi = NRETIRED + rng_below(r, NREPL);
		offer = replacement_offers[oi - NRETIRED];
	} else {
		/* min of two uniforms: a skew towards the common offers. */
		unsigned a = rng_below(r, NOTHER), b = rng_below(r, NOTHER);
		unsigned k = a < b ? a : b;

		if (kind == 3 && k == OTHER_KEPT)
			k++;	/* what follows it, so that no row matches a rule */
		oi = NRETIRED + NREPL + k;
		offer = other_offers[k];
	}
	q = rng_below(r, 100);
	qty = q < 60 ? 1 + rng_below(r, 25) : q < 90 ? 25 + rng_below(r, 100) : 100 + rng_below(r, 900);
	active = rng_below(r, 100) < 85;
	autorenew = kind == 2 ? 0 : rng_below(r, 100) < 80;

	o.n = 0;
	put(&o, cu->id); putc1(&o, ',');
	put(&o, cu->name); putc1(&o, ',');
	put(&o, cu->domain); putc1(&o, ',');
	put_guid(&o, unique, r, 0); putc1(&o, ',');
	{
		/* One fixed upper-case OfferId per offer. */
		struct rng orng;

		rng_seed(&orng, g_seed, 0x2000000000ULL + oi);
		put_guid(&o, mix64(oi ^ 0x0ffe400000000000ULL ^ g_seed), &orng, 1);
	}
	putc1(&o, ',');
	put(&o, offer); putc1(&o, ',');
	putu(&o, qty); putc1(&o, ',');
	put(&o, active ? "Active" : "Suspended"); putc1(&o, ',');
	put(&o, autorenew ? "True" : "False"); putc1(&o, ',');
	if (kind != 2 && rng_below(r, 50) == 0)
		put(&o, "9999-12-31T00:00:00Z");	/* the API's "no end" */
	else if (kind == 2)
		put_date(&o, r, 2018, 2019);
	else
		put_date(&o, r, 2019, 2021);
	putc1(&o, ',');
	if (!active)
		put_date(&o, r, 2018, 2018);
	putc1(&o, '\n');
	fwrite(o.b, 1, o.n, f);

	if (kind == 2) {
		t_retired_rows++;
		if (active)
			t_retired_qty += qty;
		if (!t_cust_retired[c]) {
			t_cust_retired[c] = 1;
			t_retired_customers++;
		}
	}
}

static void
write_license_row(FILE *f, struct rng *r, uint64_t u, uint64_t c)
{
	struct buf o;
	const struct customer *cu = customer_get(c);
	unsigned fi = rng_below(r, 16), li = rng_below(r, 16);
	unsigned n, i, used = 0;

	o.n = 0;
	if (rng_below(r, 5) == 0) {		/* "Lee, Ann" */
		putc1(&o, '"');
		put(&o, last_names[li]);
		put(&o, ", ");
		put(&o, first_names[fi]);
		putc1(&o, '"');
	} else {
		put(&o, first_names[fi]);
		putc1(&o, ' ');
		put(&o, last_names[li]);
	}
	putc1(&o, ',');
	put(&o, upn_first[fi]); putc1(&o, '.'); put(&o, upn_last[li]);
	putu(&o, u); putc1(&o, '@'); put(&o, cu->domain);
	putc1(&o, ',');
	n = rng_below(r, 5);
	if (n == 0) {
		put(&o, "Unlicensed");
	} else {
		for (i = 0; i < n; i++) {
			unsigned k = rng_below(r, N_LIC);

			if (used & (1u << k))
				continue;
			if (used)
				putc1(&o, '+');
			used |= 1u << k;
			put(&o, license_items[k]);
		}
	}
	putc1(&o, '\n');
	fwrite(o.b, 1, o.n, f);
}

static int
usage(void)
{
	fprintf(stderr, "usage: gen ROWS SEED OUT_SUBS.csv OUT_LICENSES.csv\n"
	    "       (env BENCH_MATCHED=N: exactly N retired rows, the rest match no rule;\n"
	    "        BENCH_USERS=N: N users in the license export)\n");
	return 2;
}

static int
parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	*v = strtoull(s, &end, 10);
	return *end ? -1 : 0;
}

int
main(int argc, char **argv)
{
	uint64_t rows, seed, matched = 0, i, pool, msub = 0, mleft = 0, users, div;
	const char *shape;
	const char *menv, *uenv;
	uint64_t users_affected = 0;
	int matched_mode = 0;
	FILE *fs, *fl;
	struct rng r, mr;
	long long bytes;

	if (argc != 5 || parse_u64(argv[1], &rows) || parse_u64(argv[2], &seed))
		return usage();
	g_seed = seed;
	if (strcmp(other_offers[OTHER_KEPT], "Dynamics 365 for Sales Enterprise Edition") != 0) {
		fprintf(stderr, "gen: OTHER_KEPT does not name Sales Enterprise\n");
		return 2;
	}
	menv = getenv("BENCH_MATCHED");
	if (menv && *menv) {
		if (parse_u64(menv, &matched) || matched > rows) {
			fprintf(stderr, "gen: BENCH_MATCHED must be a number <= ROWS\n");
			return 2;
		}
		matched_mode = 1;
		mleft = matched;
		/* Matched rows use customers 0..msub-1, whatever ROWS is. */
		msub = matched / 5 < 10 ? 10 : matched / 5;
		menv = getenv("BENCH_MATCHED_CUSTOMERS");
		if (menv && *menv && (parse_u64(menv, &msub) || msub == 0 || msub > 0xffffffffULL)) {
			fprintf(stderr, "gen: BENCH_MATCHED_CUSTOMERS must be a number from 1\n");
			return 2;
		}
	}
	shape = getenv("BENCH_SHAPE");
	if (shape != NULL && strcmp(shape, "small") != 0 && shape[0] != '\0') {
		fprintf(stderr, "gen: BENCH_SHAPE must be 'small' or empty\n");
		return 2;
	}
	div = shape != NULL && shape[0] != '\0' ? 12 : 50;
	pool = rows / div < 10 ? 10 : rows / div;
	ncustomers_alloc = pool > msub ? pool : msub;
	customers = calloc(ncustomers_alloc, sizeof *customers);
	t_cust_retired = calloc(ncustomers_alloc, 1);
	if (!customers || !t_cust_retired) {
		fprintf(stderr, "gen: out of memory\n");
		return 1;
	}

	fs = fopen(argv[3], "wb");
	fl = fopen(argv[4], "wb");
	if (!fs || !fl) {
		perror("gen: cannot create output");
		return 1;
	}
	setvbuf(fs, NULL, _IOFBF, 1 << 22);
	setvbuf(fl, NULL, _IOFBF, 1 << 20);

	fputs("CustomerId,CustomerName,CustomerDomainName,SubscriptionId,OfferId,"
	    "OfferName,Quantity,Status,AutoRenew,CommitmentEndDate,SuspensionDate\n", fs);
	rng_seed(&r, seed, 1);
	rng_seed(&mr, seed, 2);
	for (i = 0; i < rows; i++) {
		uint64_t c;

		if (matched_mode) {
			/* Selection sampling (Knuth's Algorithm S): exactly
			 * `matched` rows, spread evenly over the file. The
			 * selection draws from r; the row itself from mr. */
			if (mleft && rng_below(&r, (uint32_t)(rows - i > 0xffffffffULL ? 0xffffffffULL : rows - i)) < mleft) {
				uint64_t k = matched - mleft;

				mleft--;
				c = rng_below(&mr, (uint32_t)msub);
				write_row(fs, &mr, mix64((1ULL << 62 | k) + seed), c, 2);
			} else {
				c = rng_below(&r, (uint32_t)pool);
				write_row(fs, &r, mix64(i + seed), c, 3);
			}
		} else {
			unsigned k = rng_below(&r, 1000);

			c = rng_below(&r, (uint32_t)pool);
			write_row(fs, &r, mix64(i + seed), c, k < 100 ? 2 : k < 160 ? 1 : 0);
		}
	}

	users = rows / 10 < 10 ? 10 : rows / 10;
	uenv = getenv("BENCH_USERS");
	if (uenv && *uenv && parse_u64(uenv, &users)) {
		fprintf(stderr, "gen: BENCH_USERS must be a number\n");
		return 2;
	}
	fputs("Display name,User principal name,Licenses\n", fl);
	for (i = 0; i < users; i++) {
		uint64_t c = rng_below(&r, (uint32_t)pool);

		write_license_row(fl, &r, i, c);
		users_affected += t_cust_retired[c];
	}

	if (fflush(fs) || ferror(fs) || fflush(fl) || ferror(fl)) {
		perror("gen: write error");
		return 1;
	}
	bytes = ftell(fs);
	if (fclose(fs) || fclose(fl)) {
		perror("gen: write error");
		return 1;
	}
	printf("rows=%llu\n", (unsigned long long)rows);
	printf("retired_rows=%llu\n", (unsigned long long)t_retired_rows);
	printf("retired_subscriptions=%llu\n", (unsigned long long)t_retired_rows);
	printf("retired_active_quantity=%llu\n", (unsigned long long)t_retired_qty);
	printf("retired_customers=%llu\n", (unsigned long long)t_retired_customers);
	printf("customers=%llu\n", (unsigned long long)pool);
	printf("license_users=%llu\n", (unsigned long long)users);
	printf("license_users_affected=%llu\n", (unsigned long long)users_affected);
	printf("bytes=%lld\n", bytes);
	free(customers);
	free(t_cust_retired);
	return 0;
}

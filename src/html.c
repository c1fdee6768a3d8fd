/*
 * html: summary.html, one self-contained page of numbers and SVG charts.
 * SVG coordinates are printed with %.1f, which writes a '.' because
 * skuscan never calls setlocale: one that does must keep LC_NUMERIC "C".
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "changes.h"
#include "headline.h"
#include "history.h"
#include "html.h"
#include "mem.h"
#include "notice.h"
#include "palette.h"
#include "text.h"
#include "values.h"

enum { U_COUNT = URGENCY_COUNT, S_COUNT = AUDIT_COUNT };

#define TOP_CUSTOMERS	20
#define NAME_COLUMNS	44	/* a customer name's room in the bar list */

/* The bar list's geometry: its bars run from TOP_X0 to TOP_X1. */
#define TOP_X0		330.0
#define TOP_X1		720.0
#define TOP_Y0		30.0
#define TOP_ROW		26.0
#define TOP_BAR		16.0

static const char *const month_abbr[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

struct page {
	FILE *fp;
	const struct ledger_summary *s;
	const struct report_ctx *ctx;
	struct headline t;
	struct buf tmp;
};

/* One bar of a horizontal bar chart; label and note are fixed text. */
struct bar {
	const char *label, *note, *cls, *id;
	int64_t value;
};

/* A value axis from 0 to max in steps of step (at most five of them). */
struct axis {
	uint64_t max, step;
};

/* A customer's urgency: that of its earliest active end, as in the CSV. */
static const char *
customer_urgency(const struct customer_row *c, const struct report_ctx *ctx)
{
	return notice_urgency_word(c->any_active ?
	    notice_end_urgency(c->earliest_end, ctx->as_of, ctx->horizon) :
	    URGENCY_UNKNOWN);
}

/* Writes valid UTF-8 escaped for HTML text and attribute values alike. */
static void
esc_valid(FILE *fp, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '&':
			fputs("&amp;", fp);
			break;
		case '<':
			fputs("&lt;", fp);
			break;
		case '>':
			fputs("&gt;", fp);
			break;
		case '"':
			fputs("&quot;", fp);
			break;
		case '\'':
			fputs("&#39;", fp);
			break;
		default:
			/* Control characters are not text in HTML: show a space. */
			putc(c < 0x20 || c == 0x7f ? ' ' : c, fp);
		}
	}
}

/* s made valid UTF-8 the way the CSV reports make it (p->tmp may hold it). */
static const char *
valid_text(struct page *p, const char *s, size_t *n)
{
	*n = strlen(s);
	if (text_ascii(s, *n) || text_utf8_valid(s, *n))
		return s;
	p->tmp.len = 0;
	text_sanitize_utf8(&p->tmp, s, *n);
	buf_terminate(&p->tmp);
	*n = p->tmp.len;
	return p->tmp.data;
}

/* An input-derived text, escaped. */
static void
put_esc(struct page *p, const char *s)
{
	size_t n;

	s = valid_text(p, s, &n);
	esc_valid(p->fp, s, n);
}

/*
 * True for the code points that East Asian scripts draw two columns wide
 * (Hangul, CJK, fullwidth forms): enough to keep a truncated name inside
 * its room in an SVG, where text never wraps and cannot be measured.
 */
static bool
wide(uint32_t cp)
{
	return (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
	    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
	    (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
	    (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x20000 && cp <= 0x3fffd);
}

/* Decodes the valid UTF-8 sequence at s; returns its length. */
static size_t
utf8_decode(const unsigned char *s, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] < 0xe0) {
		*cp = (uint32_t)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
		return 2;
	}
	if (s[0] < 0xf0) {
		*cp = (uint32_t)(s[0] & 0x0f) << 12 | (uint32_t)(s[1] & 0x3f) << 6 |
		    (s[2] & 0x3f);
		return 3;
	}
	*cp = (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3f) << 12 |
	    (uint32_t)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);
	return 4;
}

/* An input-derived text, escaped and cut to cols columns with an ellipsis. */
static void
put_esc_cut(struct page *p, const char *s, size_t cols)
{
	size_t n, i = 0, used = 0, cut = SIZE_MAX;
	uint32_t cp;

	s = valid_text(p, s, &n);
	while (i < n) {
		size_t len = utf8_decode((const unsigned char *)s + i, &cp);
		size_t w = wide(cp) ? 2 : 1;

		/* The ellipsis takes one column: remember where it would go. */
		if (used + w + 1 > cols && cut == SIZE_MAX)
			cut = i;
		if (used + w > cols) {
			esc_valid(p->fp, s, cut);
			fputs("&#8230;", p->fp);
			return;
		}
		used += w;
		i += len;
	}
	esc_valid(p->fp, s, n);
}

/*
 * The smallest step of 1, 2 or 5 times a power of ten that covers max in
 * at most five steps, so that tick labels are round numbers. Unsigned,
 * because max may be near 2^63 and the axis a little above it.
 */
static void
axis_fit(struct axis *a, int64_t max)
{
	uint64_t m = max > 0 ? (uint64_t)max : 1, need = m / 5 + (m % 5 != 0);
	uint64_t base = 1;

	for (;;) {
		if (base >= need) {
			a->step = base;
			break;
		}
		if (2 * base >= need) {
			a->step = 2 * base;
			break;
		}
		if (5 * base >= need) {
			a->step = 5 * base;
			break;
		}
		base *= 10;
	}
	a->max = (m / a->step + (m % a->step != 0)) * a->step;
}

static double
axis_scale(const struct axis *a, int64_t v, double len)
{
	return (double)v / (double)a->max * len;
}

static void
svg_open(struct page *p, int w, double h, const char *label)
{
	fprintf(p->fp, "<svg viewBox=\"0 0 %d %.0f\" role=\"img\" aria-label=\"%s\">\n", w, h,
	    label);
}

/* Vertical gridlines and tick labels under a horizontal bar chart. */
static void
axis_x(struct page *p, const struct axis *a, double x0, double x1, double top,
    double bottom, const char *title)
{
	for (uint64_t k = 0; k <= a->max / a->step; k++) {
		double x = x0 + (x1 - x0) * (double)k / (double)(a->max / a->step);

		fprintf(p->fp, "<line class=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
		    "<text class=\"m\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%llu</text>\n",
		    k == 0 ? "ax" : "g", x, top, x, bottom, x, bottom + 15,
		    (unsigned long long)(k * a->step));
	}
	fprintf(p->fp, "<text class=\"m\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n",
	    (x0 + x1) / 2, bottom + 34, title);
}

/* Horizontal gridlines and tick labels left of a column chart. */
static void
axis_y(struct page *p, const struct axis *a, double x0, double x1, double top,
    double bottom, const char *title)
{
	for (uint64_t k = 0; k <= a->max / a->step; k++) {
		double y = bottom - (bottom - top) * (double)k / (double)(a->max / a->step);

		fprintf(p->fp, "<line class=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
		    "<text class=\"m\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%llu</text>\n",
		    k == 0 ? "ax" : "g", x0, y, x1, y, x0 - 8, y + 4,
		    (unsigned long long)(k * a->step));
	}
	fprintf(p->fp, "<text class=\"m\" transform=\"translate(14 %.1f) rotate(-90)\" "
	    "text-anchor=\"middle\">%s</text>\n", (top + bottom) / 2, title);
}

/* A labelled horizontal bar chart, the value written after each bar. */
static void
chart_bars(struct page *p, const char *label, const char *title, const struct bar *b,
    size_t n)
{
	const double x0 = 150, x1 = 480, top = 6, row = 38, bh = 24;
	double bottom = top + row * (double)n;
	int64_t max = 0;
	struct axis a;

	for (size_t i = 0; i < n; i++)
		if (b[i].value > max)
			max = b[i].value;
	axis_fit(&a, max);
	svg_open(p, 560, bottom + 44, label);
	axis_x(p, &a, x0, x1, top, bottom, title);
	for (size_t i = 0; i < n; i++) {
		double y = top + row * (double)i + (row - bh) / 2;
		double w = axis_scale(&a, b[i].value, x1 - x0);

		if (b[i].note != NULL)
			fprintf(p->fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>"
			    "<text class=\"m s\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
			    x0 - 8, y + 10, b[i].label, x0 - 8, y + 23, b[i].note);
		else
			fprintf(p->fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
			    x0 - 8, y + bh / 2 + 4, b[i].label);
		fprintf(p->fp, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\""
		    " rx=\"2\"/><text class=\"v\" id=\"%s\" x=\"%.1f\" y=\"%.1f\">%lld</text>\n",
		    b[i].cls, x0, y, w, bh, b[i].id, x0 + w + 6, y + bh / 2 + 5,
		    (long long)b[i].value);
	}
	fputs("</svg>\n", p->fp);
}

/*
 * The CSS classes of urgency (u- for a bar, k- for its key) and status
 * (s-), in the palette's colours; the month chart's bars are blue.
 */
static void
put_colour_classes(struct page *p)
{
	for (int i = 0; i < U_COUNT; i++)
		fprintf(p->fp, ".u-%s{fill:#%06x}", notice_urgency_word((enum urgency)i),
		    (unsigned)palette_urgency((enum urgency)i));
	fputs("\n", p->fp);
	for (int i = 0; i < U_COUNT; i++)
		fprintf(p->fp, ".k-%s{background:#%06x}", notice_urgency_word((enum urgency)i),
		    (unsigned)palette_urgency((enum urgency)i));
	fputs("\n", p->fp);
	for (int i = 0; i < S_COUNT; i++)
		fprintf(p->fp, ".s-%s{fill:#%06x}", notice_audit_word((enum audit_status)i),
		    (unsigned)palette_status((enum audit_status)i));
	fprintf(p->fp, ".s-month{fill:#2f6fdb}.line{stroke:#%06x;stroke-width:2}.dot{fill:#%06x}"
	    ".k-line{display:inline-block;width:10px;height:10px;background:#%06x}\n",
	    (unsigned)palette_status(AUDIT_NOT_STARTED), (unsigned)palette_status(AUDIT_NOT_STARTED),
	    (unsigned)palette_status(AUDIT_NOT_STARTED));
}

static void
put_head(struct page *p)
{
	char asof[11];

	values_date_format(p->ctx->as_of, asof);
	fprintf(p->fp, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	    "<title>skuscan summary, as of %s</title>\n", asof);
	fputs("<style>\n"
	    ":root{color-scheme:light}\n"
	    "*{box-sizing:border-box}\n"
	    "body{margin:0;background:#f3f4f6;color:#1f2328;"
	    "font:15px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\","
	    "Arial,sans-serif}\n"
	    "main{max-width:1160px;margin:0 auto;padding:24px}\n"
	    "h1{font-size:26px;margin:0 0 4px}\n"
	    "h2{font-size:17px;margin:0 0 2px}\n"
	    "p{margin:0 0 10px}\n"
	    ".sub,.note,footer{color:#57606a}\n"
	    ".note{font-size:13px}\n"
	    ".tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(145px,1fr));"
	    "gap:12px;margin:20px 0}\n"
	    ".tile{background:#fff;border:1px solid #d0d7de;border-top:4px solid #57606a;"
	    "border-radius:8px;padding:10px 14px}\n"
	    ".tile b{display:block;font-size:30px;line-height:1.2;"
	    "font-variant-numeric:tabular-nums}\n"
	    ".tile span{color:#57606a;font-size:13px}\n"
	    , p->fp);
	for (int i = 0; i < S_COUNT; i++)
		fprintf(p->fp, ".tile.t-%s{border-top-color:#%06x}\n", notice_audit_word((enum audit_status)i),
		    (unsigned)palette_status((enum audit_status)i));
	fputs(
	    ".grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(480px,1fr));gap:16px}\n"
	    ".card{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:14px 18px;"
	    "margin-bottom:16px}\n"
	    ".warn{background:#fff8e1;border:1px solid #d4a72c;border-radius:8px;padding:8px 14px}\n"
	    ".key i{display:inline-block;width:10px;height:10px;border-radius:2px;"
	    "margin:0 4px 0 12px}\n"
	    "svg{display:block;width:100%;height:auto;margin-top:6px}\n"
	    "svg text{font-size:12px;fill:#1f2328}\n"
	    "svg .m{fill:#57606a}svg .s{font-size:11px}svg .v{font-weight:600}\n"
	    "svg .h{font-weight:600;fill:#57606a}\n"
	    "svg .g{stroke:#e1e4e8}svg .ax{stroke:#8c959f}svg .st{fill:#f6f8fa}\n"
	    , p->fp);
	put_colour_classes(p);
	fputs(
	    "table{border-collapse:collapse;width:100%;font-size:14px}\n"
	    "th,td{padding:6px 10px;border-bottom:1px solid #e1e4e8;text-align:left}\n"
	    "th{color:#57606a;font-weight:600}\n"
	    "td.f{word-break:break-all}\n"
	    ".r{text-align:right;font-variant-numeric:tabular-nums}\n"
	    "footer{font-size:12px}\n"
	    "@media print{body{background:#fff}.card,.tile{break-inside:avoid}}\n"
	    "</style>\n</head>\n<body>\n<main>\n", p->fp);
	fprintf(p->fp, "<header>\n<h1>Retired subscriptions: summary</h1>\n"
	    "<p class=\"sub\">As of <b id=\"as-of\">%s</b> &middot; <i>soon</i> means an end "
	    "within %d days &middot; details in the CSV reports next to this page</p>\n"
	    "</header>\n", asof, p->ctx->horizon);
	if (p->t.rejected > 0)
		fprintf(p->fp, "<p class=\"warn\"><b id=\"records-rejected\">%llu</b> input "
		    "record%s could not be used and %s left out of every number here: "
		    "see rejects.csv.</p>\n", (unsigned long long)p->t.rejected,
		    p->t.rejected == 1 ? "" : "s", p->t.rejected == 1 ? "is" : "are");
}

static void
tile(struct page *p, const char *cls, const char *id, long long v, const char *label)
{
	fprintf(p->fp, "<div class=\"tile%s%s\"><b id=\"%s\">%lld</b><span>%s</span></div>\n",
	    *cls != '\0' ? " " : "", cls, id, v, label);
}

static void
put_tiles(struct page *p)
{
	const struct headline *t = &p->t;

	fputs("<section class=\"tiles\">\n", p->fp);
	tile(p, "", "customers-affected", (long long)t->customers, "customers affected");
	tile(p, "", "active-retired-subscriptions", (long long)t->active_subs,
	    "active retired subscriptions");
	tile(p, "", "retired-seats", t->seats, "retired seats");
	tile(p, "", "users-on-retired", (long long)t->users, "users on retired licenses");
	tile(p, "t-complete", "migrations-complete", (long long)t->status[AUDIT_COMPLETE],
	    "migrations complete");
	tile(p, "t-in_progress", "migrations-in-progress", (long long)t->status[AUDIT_IN_PROGRESS],
	    "migrations in progress");
	tile(p, "t-not_started", "migrations-not-started", (long long)t->status[AUDIT_NOT_STARTED],
	    "migrations not started");
	fputs("</section>\n", p->fp);
}

static void
chart_urgency(struct page *p)
{
	const int crit = NOTICE_CRITICAL_DAYS, h = p->ctx->horizon;
	char critical[32], soon[32], later[32];
	struct bar b[U_COUNT] = {
		[URGENCY_EXPIRED] = { NULL, "ended before as-of", "u-expired", "seats-expired", 0 },
		[URGENCY_CRITICAL] = { NULL, critical, "u-critical", "seats-critical", 0 },
		[URGENCY_SOON] = { NULL, soon, "u-soon", "seats-soon", 0 },
		[URGENCY_LATER] = { NULL, later, "u-later", "seats-later", 0 },
		[URGENCY_UNKNOWN] = { NULL, "no end date", "u-unknown", "seats-unknown", 0 },
	};

	snprintf(critical, sizeof(critical), "0 to %d days", crit);
	/* With a horizon of no more than the critical days nothing is soon (notice_urgency). */
	if (h > crit + 1)
		snprintf(soon, sizeof(soon), "%d to %d days", crit + 1, h);
	else if (h == crit + 1)
		snprintf(soon, sizeof(soon), "%d days", h);
	else
		snprintf(soon, sizeof(soon), "none (horizon %d)", h);
	snprintf(later, sizeof(later), "over %d days", h > crit ? h : crit);
	for (int i = 0; i < U_COUNT; i++) {
		b[i].label = notice_urgency_word((enum urgency)i);
		b[i].value = p->t.urgency_seats[i];
	}
	fputs("<section class=\"card\">\n<h2>Retired seats by urgency</h2>\n"
	    "<p class=\"note\">Seats of active retired subscriptions, by days from as-of "
	    "to their end date.</p>\n", p->fp);
	chart_bars(p, "Retired seats by urgency", "retired seats", b, U_COUNT);
	fputs("</section>\n", p->fp);
}

static void
chart_status(struct page *p)
{
	struct bar b[S_COUNT] = {
		{ "complete", "all three steps done", "s-complete", "status-complete", 0 },
		{ "in progress", "some steps done", "s-in_progress", "status-in-progress", 0 },
		{ "not started", "no step done", "s-not_started", "status-not-started", 0 },
	};

	for (int i = 0; i < S_COUNT; i++)
		b[i].value = (int64_t)p->t.status[i];
	fputs("<section class=\"card\">\n<h2>Migration status</h2>\n"
	    "<p class=\"note\">Affected customers by the notice's three steps: buy the "
	    "replacement, reassign licenses, suspend the old subscriptions.</p>\n", p->fp);
	chart_bars(p, "Migration status of affected customers", "customers", b, S_COUNT);
	fputs("</section>\n", p->fp);
}

static void
chart_months(struct page *p)
{
	const double x0 = 64, x1 = 1090, top = 24, bottom = 200;
	const double slot = (x1 - x0) / HEADLINE_MONTHS, bw = slot * 0.62;
	int64_t max = 0;
	struct axis a;

	for (int i = 0; i < HEADLINE_MONTHS; i++)
		if (p->t.month_seats[i] > max)
			max = p->t.month_seats[i];
	axis_fit(&a, max);
	fputs("<section class=\"card\">\n<h2>Retired seats ending per month, next 12 months</h2>\n"
	    "<p class=\"note\">Seats of active retired subscriptions by the month of their end "
	    "date, from as-of on. Each one simply expires then: it cannot be renewed.</p>\n",
	    p->fp);
	svg_open(p, 1100, bottom + 62, "Retired seats ending per month");
	axis_y(p, &a, x0, x1, top, bottom, "retired seats");
	for (int i = 0; i < HEADLINE_MONTHS; i++) {
		int m = (p->t.month0 - 1 + i) % 12, y = p->t.year0 + (p->t.month0 - 1 + i) / 12;
		double cx = x0 + slot * i + slot / 2;
		double h = axis_scale(&a, p->t.month_seats[i], bottom - top);

		fprintf(p->fp, "<rect class=\"s-month\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		    "height=\"%.1f\" rx=\"2\"/><text class=\"v%s\" id=\"seats-%04d-%02d\" x=\"%.1f\" "
		    "y=\"%.1f\" text-anchor=\"middle\">%lld</text>\n", cx - bw / 2, bottom - h, bw, h,
		    p->t.month_seats[i] == 0 ? " m" : "", y, m + 1, cx, bottom - h - 6,
		    (long long)p->t.month_seats[i]);
		fprintf(p->fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n", cx,
		    bottom + 16, month_abbr[m]);
		if (i == 0 || m == 0)
			fprintf(p->fp, "<text class=\"m\" x=\"%.1f\" y=\"%.1f\" "
			    "text-anchor=\"middle\">%d</text>\n", cx, bottom + 31, y);
	}
	fprintf(p->fp, "<text class=\"m\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">"
	    "month of the end date</text>\n</svg>\n</section>\n", (x0 + x1) / 2, bottom + 54);
}

/* Most active retired seats first; then by key, so that ties are stable. */
static int
cmp_seats(const void *a, const void *b)
{
	const struct customer_row *x = *(const struct customer_row *const *)a;
	const struct customer_row *y = *(const struct customer_row *const *)b;

	if (x->retired_seats != y->retired_seats)
		return x->retired_seats > y->retired_seats ? -1 : 1;
	/* The summary's rows are in key order: their places compare as their keys. */
	return x < y ? -1 : x > y;
}

/*
 * The first TOP_CUSTOMERS of the customers with active retired seats in
 * cmp_seats order, into v; returns how many. One pass keeping the best
 * so far in order, rather than sorting a hundred thousand customers.
 */
static size_t
top_customers(const struct ledger_summary *s, const struct customer_row **v)
{
	size_t n = 0;

	for (size_t i = 0; i < s->ncustomers; i++) {
		const struct customer_row *c = &s->customers[i];
		size_t j;

		if (c->retired_seats <= 0 ||
		    (n == TOP_CUSTOMERS && cmp_seats(&c, &v[n - 1]) >= 0))
			continue;
		j = n < TOP_CUSTOMERS ? n++ : n - 1;
		for (; j > 0 && cmp_seats(&c, &v[j - 1]) < 0; j--)
			v[j] = v[j - 1];
		v[j] = c;
	}
	return n;
}

/* One row of the bar list: name, bar, seats, next action, earliest end. */
static void
top_row(struct page *p, const struct customer_row *c, size_t i, const struct axis *a,
    struct buf *action)
{
	const double x0 = TOP_X0, row = TOP_ROW, bh = TOP_BAR;
	double y = TOP_Y0 + row * (double)i, w = axis_scale(a, c->retired_seats, TOP_X1 - x0);
	const char *name = c->name[0] != '\0' ? c->name : c->key;
	char end[11];

	fputs("<g><title>", p->fp);
	put_esc(p, c->name);
	fputs(c->name[0] != '\0' ? " (" : "(", p->fp);
	put_esc(p, c->key);
	fprintf(p->fp, ")</title>\n<text x=\"6\" y=\"%.1f\">", y + row / 2 + 4);
	put_esc_cut(p, name, NAME_COLUMNS);
	fprintf(p->fp, "</text><rect class=\"u-%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
	    "height=\"%.1f\" rx=\"2\"/><text class=\"v\" x=\"%.1f\" y=\"%.1f\">%lld</text>\n",
	    customer_urgency(c, p->ctx), x0, y + (row - bh) / 2, w, bh, x0 + w + 6,
	    y + row / 2 + 4, (long long)c->retired_seats);
	notice_next_action(action, &c->action);
	fprintf(p->fp, "<text x=\"790\" y=\"%.1f\">", y + row / 2 + 4);
	if (action->len > 0)
		put_esc(p, action->data);
	else
		fputs("&#8212;", p->fp);
	fprintf(p->fp, "</text><text class=\"m\" x=\"1092\" y=\"%.1f\" text-anchor=\"end\">",
	    y + row / 2 + 4);
	if (c->any_active && c->earliest_end != DATE_NONE) {
		values_date_format(c->earliest_end, end);
		fputs(end, p->fp);
	} else {
		fputs("no end date", p->fp);
	}
	fputs("</text></g>\n", p->fp);
}

static void
chart_top(struct page *p)
{
	const struct customer_row *v[TOP_CUSTOMERS];
	const double x0 = TOP_X0, x1 = TOP_X1, top = TOP_Y0, row = TOP_ROW;
	struct buf action = { 0 };
	size_t n = top_customers(p->s, v);
	struct axis a;

	fprintf(p->fp, "<section class=\"card\">\n<h2>Customers with the most active retired "
	    "seats%s</h2>\n<p class=\"note key\">Bar colour: urgency of the earliest end."
	    "<i class=\"k-expired\"></i>expired<i class=\"k-critical\"></i>critical"
	    "<i class=\"k-soon\"></i>soon<i class=\"k-later\"></i>later"
	    "<i class=\"k-unknown\"></i>unknown</p>\n", n == TOP_CUSTOMERS ? " (top 20)" : "");
	if (n == 0) {
		fputs("<p>No customer has active retired seats.</p>\n</section>\n", p->fp);
		return;
	}
	axis_fit(&a, v[0]->retired_seats);
	svg_open(p, 1100, top + row * (double)n + 44, "Customers with the most active retired seats");
	fprintf(p->fp, "<text class=\"h\" x=\"6\" y=\"16\">customer</text>"
	    "<text class=\"h\" x=\"%.1f\" y=\"16\">active retired seats</text>"
	    "<text class=\"h\" x=\"790\" y=\"16\">next action</text>"
	    "<text class=\"h\" x=\"1092\" y=\"16\" text-anchor=\"end\">earliest end</text>\n", x0);
	/* Stripes, then gridlines, then bars: each drawn over the one before. */
	for (size_t i = 0; i < n; i += 2)
		fprintf(p->fp, "<rect class=\"st\" x=\"0\" y=\"%.1f\" width=\"1100\" "
		    "height=\"%.1f\"/>\n", top + row * (double)i, row);
	axis_x(p, &a, x0, x1, top, top + row * (double)n, "active retired seats");
	for (size_t i = 0; i < n; i++)
		top_row(p, v[i], i, &a, &action);
	fputs("</svg>\n</section>\n", p->fp);
	buf_free(&action);
}

/*
 * "Since last run": the earlier run --previous named (its as-of, its
 * inputs) and how many customers changed in each way; changes.csv has
 * them one by one.
 */
static void
put_since(struct page *p)
{
	static const char *const what[CHANGE_COUNT] = {
		"new: affected now, not then", "gone: affected then, not now",
		"completed: all three steps now done", "progressed: a step further, or fewer users "
		"on retired seats", "regressed: a step back, or more users on retired seats",
		"retired seats changed", "became critical: ends within 30 days",
		"expired: ended before as-of",
	};
	const struct previous *prev = p->ctx->previous;
	const struct changes *ch = p->ctx->changes;
	char d[11];

	if (prev == NULL || ch == NULL)
		return;
	fputs("<section class=\"card\" id=\"since\">\n<h2>Since last run</h2>\n"
	    "<p class=\"note\">", p->fp);
	if (prev->as_of == DATE_NONE) {
		put_esc(p, prev->dir);
		fputs(" held no earlier run: this is the first, and every affected customer is new",
		    p->fp);
	} else {
		values_date_format(prev->as_of, d);
		fputs("Compared with the reports in ", p->fp);
		put_esc(p, prev->dir);
		fprintf(p->fp, ", as of <b id=\"previous-as-of\">%s</b>, made from:", d);
	}
	for (size_t i = 0; i < prev->ninputs; i++) {
		fprintf(p->fp, "%s %s ", i > 0 ? ";" : "", prev->inputs[i].kind);
		put_esc(p, prev->inputs[i].file);
		fprintf(p->fp, " (CRC-32 %08x)", (unsigned)prev->inputs[i].crc);
	}
	fprintf(p->fp, ". <b id=\"customers-changed\">%zu</b> customer%s changed: changes.csv "
	    "lists them.</p>\n<table>\n<thead><tr><th>change</th><th class=\"r\">customers</th>"
	    "</tr></thead>\n<tbody>\n", ch->n, ch->n == 1 ? "" : "s");
	for (int k = 0; k < CHANGE_COUNT; k++)
		fprintf(p->fp, "<tr><td>%s</td><td class=\"r\" id=\"changes-%s\">%llu</td></tr>\n",
		    what[k], changes_word((enum change)k), (unsigned long long)ch->count[k]);
	fputs("</tbody>\n</table>\n</section>\n", p->fp);
}

/* History rows by as-of date, earlier rows first among equals. */
static int
cmp_as_of(const void *a, const void *b)
{
	const struct history_row *x = *(const struct history_row *const *)a;
	const struct history_row *y = *(const struct history_row *const *)b;

	if (x->as_of != y->as_of)
		return x->as_of < y->as_of ? -1 : 1;
	return x < y ? -1 : x > y;
}

#define BURNDOWN_RUNS 24	/* the runs the chart shows at most: the latest */

/* The height of n customers not complete on the line's own scale, up to most. */
static double
line_y(uint64_t n, uint64_t most, double top, double bottom)
{
	return bottom - (most > 0 ? (double)n / (double)most : 0) * (bottom - top);
}

/*
 * The burndown of history.csv: active retired seats (columns, on the
 * axis) and customers whose migration is not complete (a line, each
 * point labelled, on a scale of its own) for the latest runs by as-of.
 */
static void
chart_burndown(struct page *p)
{
	const double x0 = 64, x1 = 1090, top = 24, bottom = 200;
	const struct history *h = p->ctx->history;
	const struct history_row **v = mem_calloc(h->n + 1, sizeof(*v));
	size_t n = h->n, from;
	uint64_t most = 0;
	int64_t max = 0;
	struct axis a;
	double slot, bw;

	for (size_t i = 0; i < n; i++)
		v[i] = &h->rows[i];
	qsort(v, n, sizeof(*v), cmp_as_of);
	from = n > BURNDOWN_RUNS ? n - BURNDOWN_RUNS : 0;
	for (size_t i = from; i < n; i++) {
		if (v[i]->seats > max)
			max = v[i]->seats;
		if (v[i]->in_progress + v[i]->not_started > most)
			most = v[i]->in_progress + v[i]->not_started;
	}
	axis_fit(&a, max);
	slot = (x1 - x0) / (double)(n > from ? n - from : 1);
	bw = slot * 0.5 < 60 ? slot * 0.5 : 60;
	fprintf(p->fp, "<section class=\"card\" id=\"burndown\">\n<h2>Burndown, run by run</h2>\n"
	    "<p class=\"note\">From history.csv: <b id=\"history-runs\">%zu</b> run%s into this "
	    "folder%s. Columns: active retired seats; the line "
	    "<i class=\"k-line\"></i>: customers whose migration is not complete.</p>\n", n,
	    n == 1 ? "" : "s", from > 0 ? ", the latest 24 by as-of date shown" : "");
	svg_open(p, 1100, bottom + 62, "Retired seats and customers not complete, run by run");
	axis_y(p, &a, x0, x1, top, bottom, "retired seats");
	for (size_t i = from; i < n; i++) {
		double cx = x0 + slot * (double)(i - from) + slot / 2;
		double hgt = axis_scale(&a, v[i]->seats, bottom - top);
		uint64_t open = v[i]->in_progress + v[i]->not_started;
		double y = line_y(open, most, top, bottom);
		char d[11];

		values_date_format(v[i]->as_of, d);
		fprintf(p->fp, "<rect class=\"s-month\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		    "height=\"%.1f\" rx=\"2\"/><text class=\"v s\" x=\"%.1f\" y=\"%.1f\" "
		    "text-anchor=\"middle\">%lld</text>\n", cx - bw / 2, bottom - hgt, bw, hgt, cx,
		    bottom - hgt - 4, (long long)v[i]->seats);
		if (i > from)
			fprintf(p->fp, "<line class=\"line\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
			    "y2=\"%.1f\"/>\n", cx - slot, line_y(v[i - 1]->in_progress +
			    v[i - 1]->not_started, most, top, bottom), cx, y);
		fprintf(p->fp, "<circle class=\"dot\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\"/>"
		    "<text class=\"v s\" x=\"%.1f\" y=\"%.1f\">%llu</text>\n"
		    "<text class=\"s\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n",
		    cx, y, cx + 7, y + 14, (unsigned long long)open, cx, bottom + 16, d);
	}
	fprintf(p->fp, "<text class=\"m\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">"
	    "as-of date of the run</text>\n</svg>\n</section>\n", (x0 + x1) / 2, bottom + 54);
	free(v);
}

static void
input_row(struct page *p, const char *kind, const char *file, uint64_t bytes,
    uint64_t records, uint64_t rejected)
{
	fprintf(p->fp, "<tr><td>%s</td><td class=\"f\">", kind);
	put_esc(p, file);
	fprintf(p->fp, "</td><td class=\"r\">%llu</td><td class=\"r\">%llu</td>"
	    "<td class=\"r\">%llu</td></tr>\n", (unsigned long long)bytes,
	    (unsigned long long)records, (unsigned long long)rejected);
}

/* Each line of text (a newline ends a line) as a paragraph naming path. */
static void
put_lines(struct page *p, const char *cls, const char *path, const char *text)
{
	struct buf line = { 0 };

	while (*text != '\0') {
		size_t n = strcspn(text, "\n");

		line.len = 0;
		buf_add(&line, text, n);
		buf_addc(&line, '\0');
		fprintf(p->fp, "<p class=\"%s\">", cls);
		put_esc(p, path);
		fputs(": ", p->fp);
		put_esc(p, line.data);
		fputs("</p>\n", p->fp);
		text += n + (text[n] == '\n');
	}
	buf_free(&line);
}

static void
put_inputs(struct page *p)
{
	const struct report_ctx *ctx = p->ctx;
	struct buf notes = { 0 };

	fputs("<section class=\"card\">\n<h2>Inputs</h2>\n<p class=\"note\">As in manifest.csv, "
	    "which also holds each file's CRC-32. Rules: records are the rules loaded.</p>\n"
	    "<table>\n<thead><tr><th>kind</th><th>file</th><th class=\"r\">bytes</th>"
	    "<th class=\"r\">records</th><th class=\"r\">rejected</th></tr></thead>\n<tbody>\n",
	    p->fp);
	for (size_t i = 0; i < ctx->nfiles; i++) {
		const struct file_stats *f = &ctx->files[i];

		input_row(p, filestats_kind_word(f->kind),
		    f->path, f->bytes, f->records, f->rejected);
	}
	input_row(p, "rules", rules_source(ctx->rules), rules_bytes(ctx->rules),
	    rules_count(ctx->rules), 0);
	fputs("</tbody>\n</table>\n", p->fp);
	for (size_t i = 0; i < ctx->nfiles; i++) {
		const struct file_stats *f = &ctx->files[i];

		notes.len = 0;
		filestats_notes(f, false, &notes);
		buf_addc(&notes, '\0');
		put_lines(p, "warn", f->path, f->hints);
		put_lines(p, "note", f->path, notes.data);
	}
	fputs("</section>\n", p->fp);
	buf_free(&notes);
}

static void
put_foot(struct page *p)
{
	char asof[11];

	values_date_format(p->ctx->as_of, asof);
	fprintf(p->fp, "<footer>Written by skuscan ");
	put_esc(p, p->ctx->version);
	fprintf(p->fp, " with the CSV reports of the same run, as of %s.</footer>\n"
	    "</main>\n</body>\n</html>\n", asof);
}

int
html_write(FILE *fp, const struct ledger_summary *s, const struct report_ctx *ctx)
{
	struct page p = { .fp = fp, .s = s, .ctx = ctx, .t = *ctx->headline };

	put_head(&p);
	put_tiles(&p);
	put_since(&p);
	fputs("<div class=\"grid\">\n", fp);
	chart_urgency(&p);
	chart_status(&p);
	fputs("</div>\n", fp);
	chart_months(&p);
	chart_burndown(&p);
	chart_top(&p);
	put_inputs(&p);
	put_foot(&p);
	buf_free(&p.tmp);
	return ferror(fp) ? -1 : 0;
}

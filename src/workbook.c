/*
 * workbook: skuscan.xlsx from the CSV reports, read back with libcsv and
 * written with libxlsxwriter (see workbook.h).
 */
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <xlsxwriter.h>

#include "changes.h"
#include "csvout.h"
#include "csvread.h"
#include "mem.h"
#include "notice.h"
#include "palette.h"
#include "previous.h"
#include "values.h"
#include "workbook.h"
#include "xlsxcheck.h"


/*
 * libxlsxwriter is loaded when a workbook is to be written, not when
 * skuscan starts: with it comes libcrypto, which Debian builds to bind
 * every symbol at load, and loading the two was 0.8 ms of a 10-row run's
 * 5.8 with --no-xlsx; and a run with --no-xlsx then works where the
 * library is not installed. Its functions are called through this table,
 * each typed from the header it was built against, whose soname it loads.
 */
#define LXW_FUNCS(X) \
	X(format_set_bg_color) \
	X(format_set_bold) \
	X(format_set_bottom) \
	X(format_set_font_color) \
	X(format_set_font_size) \
	X(format_set_italic) \
	X(format_set_num_format) \
	X(format_set_pattern) \
	X(lxw_strerror) \
	X(lxw_worksheet_write_single_row) \
	X(workbook_add_format) \
	X(workbook_add_worksheet) \
	X(workbook_close) \
	X(workbook_new_opt) \
	X(workbook_set_properties) \
	X(worksheet_autofilter) \
	X(worksheet_fit_to_pages) \
	X(worksheet_freeze_panes) \
	X(worksheet_repeat_rows) \
	X(worksheet_set_column) \
	X(worksheet_set_landscape) \
	X(worksheet_write_number) \
	X(worksheet_write_string)
#define LXW_FIELD(f) __typeof__(f) *f;
static struct {
	LXW_FUNCS(LXW_FIELD)
} lxw;
static bool lxw_loaded;

#ifdef LXW_SOVERSION
#define LXW_SONAME "libxlsxwriter.so." LXW_SOVERSION
#define LXW_PACKAGE "libxlsxwriter" LXW_SOVERSION	/* Debian's name for it */
#else
#define LXW_SONAME "libxlsxwriter.so"
#define LXW_PACKAGE "libxlsxwriter"
#endif

/*
 * Symbol name of lib into *out, a function pointer of size bytes: C turns
 * dlsym's void * into one only as bytes. False when lib has none.
 */
static bool
lxw_sym(void *lib, const char *name, void *out, size_t size)
{
	void *sym = dlsym(lib, name);

	memcpy(out, &sym, size);
	return sym != NULL;
}

int
workbook_load(struct diag *d)
{
	const char *missing = NULL;
	void *lib;

	if (lxw_loaded)
		return 0;
	lib = dlopen(LXW_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (lib == NULL) {
		diag_set(d, NULL, 0, "cannot write skuscan.xlsx: %s; install libxlsxwriter "
		    "(Debian: " LXW_PACKAGE "), or give --no-xlsx", dlerror());
		return -1;
	}
#define LXW_SYM(f) \
	if (missing == NULL && !lxw_sym(lib, #f, &lxw.f, sizeof(lxw.f))) \
		missing = #f;
	LXW_FUNCS(LXW_SYM)
#undef LXW_SYM
	if (missing != NULL) {
		diag_set(d, NULL, 0, "cannot write skuscan.xlsx: %s has no %s; install "
		    "libxlsxwriter %s, or give --no-xlsx", LXW_SONAME, missing, LXW_VERSION);
		dlclose(lib);
		return -1;
	}
	lxw_loaded = true;
	return 0;
}

#define MAX_COLS	16	/* the widest report has 15 columns */
#define WIDTH_MIN	8.0	/* a column's width, in characters */
#define WIDTH_MAX	60.0
/*
 * Whole numbers a spreadsheet shows exactly: Excel and LibreOffice show 15
 * significant digits, so larger ones are written as text.
 */
#define EXACT_MAX	999999999999999LL
/* Excel's serial numbers of 1900-03-01 (before it, Excel's calendar is wrong) and 9999-12-31. */
#define SERIAL_MIN	61.0
#define SERIAL_MAX	2958465.0
#define SERIAL_1970	25569	/* 1970-01-01 */

/* The formats a cell can take; made once per workbook. */
struct formats {
	lxw_format *header, *number, *date, *title, *label, *note;
	lxw_format *urgency[URGENCY_COUNT], *status[AUDIT_COUNT];
};

/* One report being copied into its sheets. */
struct sheet {
	const struct workbook_report *rep;
	size_t nkinds;		/* strlen(rep->kinds) */
	lxw_worksheet *ws;
	int part;		/* 1 for the first sheet, 2 for "Title (2)"... */
	uint64_t rows;		/* data rows of the report so far */
	lxw_row_t row;		/* the row being filled in the sheet */
	lxw_col_t col;		/* the next column */
	lxw_col_t ncols;	/* the header's */
	size_t at;		/* the sheet's place in the workbook */
	double width[MAX_COLS];
	struct buf header[MAX_COLS];	/* the header's names, for each sheet */
};

struct book {
	lxw_workbook *wb;
	struct formats f;
	uint32_t sheet_rows;
	struct sheet sh;
	struct buf text;	/* a cell's text */
	uint64_t cut;		/* texts longer than a cell holds */
	lxw_error err;		/* the first libxlsxwriter error */
	int io_err;		/* the first errno of a temporary file */
	int parts[16];		/* sheets per report, for the Summary */
	uint64_t report_rows[16];
	uint64_t *data_bytes;	/* each sheet's rows as XML, in workbook order */
	size_t nsheets;
	const char *where;	/* OUTDIR, for messages */
	FILE *hush;		/* /dev/null, for libxlsxwriter's own messages */
};

/*
 * libxlsxwriter prints its errors on stderr, where every line must be
 * skuscan's: its calls that can fail run with stderr on /dev/null
 * (lib_hush, then lib_unhush with what it returned), and skuscan says
 * what failed once, its own way. Only this thread prints meanwhile.
 */
static FILE *
lib_hush(struct book *b)
{
	FILE *saved = stderr;

	if (b->hush != NULL)
		stderr = b->hush;
	return saved;
}

static void
lib_unhush(FILE *saved)
{
	stderr = saved;
}

double
workbook_serial(int32_t days)
{
	double serial = (double)days + SERIAL_1970;

	return days == DATE_NONE || serial < SERIAL_MIN || serial > SERIAL_MAX ? -1 : serial;
}

/* The length of a valid UTF-8 sequence from its first byte. */
static size_t
utf8_len(unsigned char c)
{
	return c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

static bool
hex_digit(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Whether s[0..n) begins with what a reader takes for an escape: _xHHHH_. */
static bool
looks_escaped(const char *s, size_t n)
{
	if (n < 7 || s[0] != '_' || (s[1] != 'x' && s[1] != 'X') || s[6] != '_')
		return false;
	return hex_digit(s[2]) && hex_digit(s[3]) && hex_digit(s[4]) && hex_digit(s[5]);
}

/* Valid UTF-8 s made safe for a cell (see workbook_cell_text). Returns whether it was cut. */
static bool
escape_text(struct buf *out, const char *s, size_t n)
{
	size_t units = 0;
	char esc[8];

	out->len = 0;
	buf_terminate(out);
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		size_t k = utf8_len(c), u;
		const char *piece = s + i;

		if (i + k > n)
			k = n - i;
		if ((c < 0x20 && c != '\t' && c != '\n') ||
		    (k == 3 && c == 0xef && (unsigned char)s[i + 1] == 0xbf &&
		    ((unsigned char)s[i + 2] == 0xbe || (unsigned char)s[i + 2] == 0xbf))) {
			snprintf(esc, sizeof(esc), "_x%04X_", c < 0x20 ? c :
			    0xff00u | ((unsigned char)s[i + 2] == 0xbe ? 0xfe : 0xff));
			piece = esc;
			u = 7;
		} else if (c == '_' && looks_escaped(s + i, n - i)) {
			piece = "_x005F_";
			u = 7;
			k = 1;
		} else {
			u = k == 4 ? 2 : 1;	/* UTF-16 units */
		}
		if (units + u > WORKBOOK_CELL_CHARS)
			return true;
		units += u;
		buf_add(out, piece, piece == s + i ? k : strlen(piece));
		i += k;
	}
	return false;
}

bool
workbook_cell_text(struct buf *out, const char *s, size_t n)
{
	size_t guard = csvout_unguard(s, n);

	return escape_text(out, s + guard, n - guard);
}

/* A solid fill in colour rgb, with a font that reads on it. */
static lxw_format *
format_fill(lxw_workbook *wb, uint32_t rgb)
{
	lxw_format *f = lxw.workbook_add_format(wb);
	/* Perceived brightness: dark text on light fills (amber), white on the rest. */
	unsigned r = rgb >> 16, g = (rgb >> 8) & 0xff, b = rgb & 0xff;

	lxw.format_set_bg_color(f, (lxw_color_t)rgb);
	lxw.format_set_pattern(f, LXW_PATTERN_SOLID);
	lxw.format_set_font_color(f, 299 * r + 587 * g + 114 * b > 150000 ? 0x1f2328 : 0xffffff);
	return f;
}

static void
formats_make(struct formats *f, lxw_workbook *wb)
{
	f->header = lxw.workbook_add_format(wb);
	lxw.format_set_bold(f->header);
	lxw.format_set_bottom(f->header, LXW_BORDER_THIN);
	f->number = lxw.workbook_add_format(wb);
	lxw.format_set_num_format(f->number, "0");
	f->date = lxw.workbook_add_format(wb);
	lxw.format_set_num_format(f->date, "yyyy-mm-dd");
	f->title = lxw.workbook_add_format(wb);
	lxw.format_set_bold(f->title);
	lxw.format_set_font_size(f->title, 14);
	f->label = lxw.workbook_add_format(wb);
	lxw.format_set_bold(f->label);
	f->note = lxw.workbook_add_format(wb);
	lxw.format_set_italic(f->note);
	for (int i = 0; i < URGENCY_COUNT; i++)
		f->urgency[i] = format_fill(wb, palette_urgency((enum urgency)i));
	for (int i = 0; i < AUDIT_COUNT; i++)
		f->status[i] = format_fill(wb, palette_status((enum audit_status)i));
}

/* The format of an urgency or status word (NULL: none of them). */
static lxw_format *
word_format(const struct book *b, char kind, const char *w)
{
	if (kind == 'u') {
		for (int i = 0; i < URGENCY_COUNT; i++)
			if (strcmp(w, notice_urgency_word((enum urgency)i)) == 0)
				return b->f.urgency[i];
	} else if (kind == 's') {
		for (int i = 0; i < AUDIT_COUNT; i++)
			if (strcmp(w, notice_audit_word((enum audit_status)i)) == 0)
				return b->f.status[i];
	}
	return NULL;
}

static void
note_err(struct book *b, lxw_error e)
{
	if (e != LXW_NO_ERROR && b->err == LXW_NO_ERROR)
		b->err = e;
}

/*
 * The width a text takes, in characters: East Asian wide characters
 * count two, as a spreadsheet draws them.
 */
static double
text_width(const char *s, size_t n)
{
	double w = 0;

	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		size_t k = utf8_len(c);

		w += k == 3 && c >= 0xe1 && c <= 0xed ? 2 : 1;	/* U+1100-U+DFFF: Hangul, CJK */
		i += k;
		if (w > WIDTH_MAX)
			break;
	}
	return w;
}

static void
widen(struct sheet *sh, double w)
{
	if (sh->col < MAX_COLS && w > sh->width[sh->col])
		sh->width[sh->col] = w;
}

/*
 * Whether a cell can take s[0..n) as it is: no byte that escape_text
 * would change (a control character, an underscore, the first byte of
 * U+FFFE or U+FFFF) and short enough. Most texts are, and are not copied.
 */
static bool
cell_plain(const char *s, size_t n)
{
	if (n > WORKBOOK_CELL_CHARS)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == '_' || c == 0xef)
			return false;
	}
	return true;
}

/*
 * A report's text made a cell's (workbook_cell_text), NUL-terminated:
 * s itself (libcsv ends each field with a NUL) when it needs no change.
 */
static const char *
cell_text_of(struct book *b, const char *s, size_t n)
{
	size_t guard = csvout_unguard(s, n);

	if (cell_plain(s + guard, n - guard))
		return s + guard;
	if (workbook_cell_text(&b->text, s, n))
		b->cut++;
	return b->text.data;
}

/* A whole number cell; false when s is not one a spreadsheet shows exactly. */
static bool
cell_number(struct book *b, const char *s, size_t n)
{
	struct sheet *sh = &b->sh;
	char tmp[24], *end;
	long long v;

	if (n == 0 || n >= sizeof(tmp))
		return false;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	errno = 0;
	v = strtoll(tmp, &end, 10);
	if (errno != 0 || *end != '\0' || !(tmp[0] == '-' || (tmp[0] >= '0' && tmp[0] <= '9')) ||
	    v > EXACT_MAX || v < -EXACT_MAX)
		return false;
	widen(sh, (double)n);
	note_err(b, lxw.worksheet_write_number(sh->ws, sh->row, sh->col, (double)v, b->f.number));
	return true;
}

static bool
cell_date(struct book *b, const char *s, size_t n)
{
	struct sheet *sh = &b->sh;
	char tmp[11];
	int32_t days;
	double serial;

	if (n != 10)
		return false;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	if (!values_iso_date(tmp, &days) || (serial = workbook_serial(days)) < 0)
		return false;
	widen(sh, 10);
	note_err(b, lxw.worksheet_write_number(sh->ws, sh->row, sh->col, serial, b->f.date));
	return true;
}

/* One field of the report at the sheet's row and column, by its column's kind. */
static void
cell_put(struct book *b, const char *s, size_t n)
{
	struct sheet *sh = &b->sh;
	char kind = sh->col < sh->nkinds ? sh->rep->kinds[sh->col] : 't';
	const char *text;

	if (n == 0)
		return;	/* an empty field: a blank cell */
	if (kind == 'n' && cell_number(b, s, n))
		return;
	if (kind == 'd' && cell_date(b, s, n))
		return;
	text = cell_text_of(b, s, n);
	widen(sh, text_width(text, strlen(text)));
	note_err(b, lxw.worksheet_write_string(sh->ws, sh->row, sh->col, text,
	    kind == 'u' || kind == 's' ? word_format(b, kind, text) : NULL));
}

/* The sheet's name: the report's title, then "Title (2)" and on. */
static void
sheet_name(const struct sheet *sh, char *out, size_t size)
{
	if (sh->part == 1)
		snprintf(out, size, "%s", sh->rep->title);
	else
		snprintf(out, size, "%s (%d)", sh->rep->title, sh->part);
}

/* A new sheet named name, its place kept for its size (NULL: it could not be made). */
static lxw_worksheet *
sheet_add(struct book *b, const char *name, size_t *at)
{
	FILE *saved = lib_hush(b);
	lxw_worksheet *ws = lxw.workbook_add_worksheet(b->wb, name);

	lib_unhush(saved);
	if (ws == NULL) {
		note_err(b, LXW_ERROR_CREATING_TMPFILE);
		return NULL;
	}
	b->data_bytes = mem_realloc(b->data_bytes, (b->nsheets + 1) * sizeof(*b->data_bytes));
	b->data_bytes[b->nsheets] = 0;
	*at = b->nsheets++;
	return ws;
}

/*
 * The sheet's last row out to its temporary file, whose write errors
 * libxlsxwriter would not see, and its rows' size in XML, which
 * xlsxcheck finds again in the workbook.
 */
static void
sheet_rows_done(struct book *b, lxw_worksheet *ws, size_t at)
{
	FILE *f = ws->optimize_tmpfile;
	off_t size;

	lxw.lxw_worksheet_write_single_row(ws);
	if (f == NULL)
		return;
	if (fflush(f) != 0 || ferror(f) || (size = ftello(f)) < 0) {
		if (b->io_err == 0)
			b->io_err = errno != 0 ? errno : EIO;
		return;
	}
	b->data_bytes[at] = (uint64_t)size;
}

/* Ends the sheet being filled: its column widths, the header's filter and frozen row. */
static void
sheet_end(struct book *b)
{
	struct sheet *sh = &b->sh;

	if (sh->ws == NULL)
		return;
	for (lxw_col_t c = 0; c < sh->ncols && c < MAX_COLS; c++) {
		double w = sh->width[c] + 2;	/* room for the filter's button */

		note_err(b, lxw.worksheet_set_column(sh->ws, c, c,
		    w < WIDTH_MIN ? WIDTH_MIN : w > WIDTH_MAX ? WIDTH_MAX : w, NULL));
	}
	/* sh->row is the row after the last one written. */
	if (sh->ncols > 0)
		note_err(b, lxw.worksheet_autofilter(sh->ws, 0, 0, sh->row - 1, sh->ncols - 1));
	lxw.worksheet_freeze_panes(sh->ws, 1, 0);
	/* Printed: landscape, the header on every page. */
	lxw.worksheet_set_landscape(sh->ws);
	note_err(b, lxw.worksheet_repeat_rows(sh->ws, 0, 0));
	sheet_rows_done(b, sh->ws, sh->at);
	sh->ws = NULL;
}

/* A new sheet for the report, its header in the first row. */
static void
sheet_start(struct book *b)
{
	struct sheet *sh = &b->sh;
	char name[LXW_SHEETNAME_MAX + 16];

	sheet_name(sh, name, sizeof(name));
	sh->ws = sheet_add(b, name, &sh->at);
	if (sh->ws == NULL)
		return;
	memset(sh->width, 0, sizeof(sh->width));
	for (lxw_col_t c = 0; c < sh->ncols; c++) {
		sh->width[c] = text_width(sh->header[c].data, sh->header[c].len);
		note_err(b, lxw.worksheet_write_string(sh->ws, 0, c, sh->header[c].data,
		    b->f.header));
	}
	sh->row = 1;
}

/*
 * A record of the report: the header's names are kept for each of its
 * sheets; a data row that finds its sheet full begins the next one.
 */
static int
on_row(void *arg, const struct csvread_row *row)
{
	struct book *b = arg;
	struct sheet *sh = &b->sh;

	if (sh->part == 0) {
		for (size_t i = 0; i < row->n && i < MAX_COLS; i++) {
			sh->header[i].len = 0;
			buf_add(&sh->header[i], row->f[i], row->len[i]);
		}
		sh->ncols = (lxw_col_t)(row->n < MAX_COLS ? row->n : MAX_COLS);
		sh->part = 1;
		sheet_start(b);
		return 0;
	}
	if (sh->row > b->sheet_rows) {
		sheet_end(b);
		sh->part++;
		sheet_start(b);
	}
	for (sh->col = 0; sh->ws != NULL && sh->col < row->n; sh->col++)
		cell_put(b, row->f[sh->col], row->len[sh->col]);
	sh->rows++;
	sh->row++;
	return 0;
}

/* Copies one CSV report into its sheets. Returns 0, or -1 with d set. */
static int
copy_report(struct book *b, const struct workbook_report *rep, struct diag *d)
{
	char name[PATH_MAX];
	int k;

	for (int i = 0; i < MAX_COLS; i++)
		buf_free(&b->sh.header[i]);
	b->sh = (struct sheet){ .rep = rep, .nkinds = strlen(rep->kinds) };
	snprintf(name, sizeof(name), "%s/%s", b->where, rep->file);
	k = csvread_file(rep->path, name, on_row, b, d);
	sheet_end(b);
	return k;
}

/* Summary rows are written top down: the row being written. */
struct summary {
	struct book *b;
	lxw_worksheet *ws;
	lxw_row_t row;
	struct buf tmp;
};

/* A text of the run's own (a file name: any bytes) at (row, col). */
static void
put_text(struct summary *m, lxw_col_t col, const char *s, lxw_format *f)
{
	size_t n = strlen(s);

	if (!text_utf8_valid(s, n)) {
		m->tmp.len = 0;
		text_sanitize_utf8(&m->tmp, s, n);
		s = m->tmp.data;
		n = m->tmp.len;
	}
	if (escape_text(&m->b->text, s, n))
		m->b->cut++;
	note_err(m->b, lxw.worksheet_write_string(m->ws, m->row, col, m->b->text.data, f));
}

/* A number, as text past what a spreadsheet shows exactly (as in the sheets). */
static void
put_number(struct summary *m, lxw_col_t col, long long v)
{
	char s[24];

	if (v <= EXACT_MAX && v >= -EXACT_MAX) {
		note_err(m->b, lxw.worksheet_write_number(m->ws, m->row, col, (double)v,
		    m->b->f.number));
	} else {
		snprintf(s, sizeof(s), "%lld", v);
		put_text(m, col, s, NULL);
	}
}

/* A row "label  number", the label in format f (NULL: plain). */
static void
put_line(struct summary *m, const char *label, long long v, lxw_format *f)
{
	put_text(m, 0, label, f);
	put_number(m, 1, v);
	m->row++;
}

static void
summary_totals(struct summary *m, const struct headline *h)
{
	const struct formats *f = &m->b->f;
	static const char *const status_label[AUDIT_COUNT] = {
		[AUDIT_COMPLETE] = "migrations complete",
		[AUDIT_IN_PROGRESS] = "migrations in progress",
		[AUDIT_NOT_STARTED] = "migrations not started",
	};

	put_line(m, "customers affected", (long long)h->customers, NULL);
	put_line(m, "active retired subscriptions", (long long)h->active_subs, NULL);
	put_line(m, "retired seats", (long long)h->seats, NULL);
	put_line(m, "users on retired licenses", (long long)h->users, NULL);
	for (int i = 0; i < AUDIT_COUNT; i++)
		put_line(m, status_label[i], (long long)h->status[i], f->status[i]);
	put_line(m, "records rejected (sheet Rejects)", (long long)h->rejected, NULL);
	m->row++;
	put_text(m, 0, "Active retired seats by urgency", f->label);
	m->row++;
	for (int i = 0; i < URGENCY_COUNT; i++)
		put_line(m, notice_urgency_word((enum urgency)i), (long long)h->urgency_seats[i],
		    f->urgency[i]);
	m->row++;
}

/* Since the run --previous named: its as-of, and the customers per kind of change. */
static void
summary_since(struct summary *m, const struct report_ctx *ctx)
{
	char line[96], d[11];

	if (ctx->previous->as_of == DATE_NONE) {
		snprintf(line, sizeof(line), "No earlier run to compare with (sheet Changes)");
	} else {
		values_date_format(ctx->previous->as_of, d);
		snprintf(line, sizeof(line), "Since the run as of %s (sheet Changes)", d);
	}
	put_text(m, 0, line, m->b->f.label);
	m->row++;
	put_line(m, "customers changed", (long long)ctx->changes->n, NULL);
	for (int k = 0; k < CHANGE_COUNT; k++) {
		snprintf(line, sizeof(line), "change: %s", changes_word((enum change)k));
		put_line(m, line, (long long)ctx->changes->count[k], NULL);
	}
	m->row++;
}

/* The inputs, as in manifest.csv: kind, file, bytes, records, rejected. */
static void
summary_input(struct summary *m, const char *kind, const char *file, uint64_t bytes,
    uint64_t records, uint64_t rejected)
{
	put_text(m, 0, kind, NULL);
	put_text(m, 1, file, NULL);
	put_number(m, 2, (long long)bytes);
	put_number(m, 3, (long long)records);
	put_number(m, 4, (long long)rejected);
	m->row++;
}

static void
summary_inputs(struct summary *m, const struct report_ctx *ctx)
{
	static const char *const head[] = { "kind", "file", "bytes", "records", "rejected" };

	put_text(m, 0, "Inputs", m->b->f.label);
	m->row++;
	for (lxw_col_t c = 0; c < 5; c++)
		put_text(m, c, head[c], m->b->f.header);
	m->row++;
	for (size_t i = 0; i < ctx->nfiles; i++) {
		const struct file_stats *fs = &ctx->files[i];

		summary_input(m, filestats_kind_word(fs->kind), fs->path, fs->bytes, fs->records,
		    fs->rejected);
	}
	summary_input(m, "rules", rules_source(ctx->rules), rules_bytes(ctx->rules),
	    rules_count(ctx->rules), 0);
	m->row++;
}

/* Each report's sheets and rows; and what a sheet could not hold. */
static void
summary_sheets(struct summary *m, const struct workbook_report *r, size_t n)
{
	static const char *const head[] = { "sheet", "report", "rows" };
	char note[160];

	put_text(m, 0, "Sheets", m->b->f.label);
	m->row++;
	for (lxw_col_t c = 0; c < 3; c++)
		put_text(m, c, head[c], m->b->f.header);
	m->row++;
	for (size_t i = 0; i < n; i++) {
		put_text(m, 0, r[i].title, NULL);
		put_text(m, 1, r[i].file, NULL);
		put_number(m, 2, (long long)m->b->report_rows[i]);
		m->row++;
	}
	for (size_t i = 0; i < n; i++) {
		if (m->b->parts[i] < 2)
			continue;
		snprintf(note, sizeof(note), "%s continues on the sheets \"%s (2)\" to \"%s (%d)\": "
		    "a sheet holds %lu rows.", r[i].file, r[i].title, r[i].title, m->b->parts[i],
		    (unsigned long)m->b->sheet_rows);
		put_text(m, 0, note, m->b->f.note);
		m->row++;
	}
	if (m->b->cut > 0) {
		snprintf(note, sizeof(note), "%llu texts are longer than the %u characters a cell "
		    "holds: they are cut here, and whole in the CSV reports.",
		    (unsigned long long)m->b->cut, WORKBOOK_CELL_CHARS);
		put_text(m, 0, note, m->b->f.note);
		m->row++;
	}
}

/* The Summary sheet, written last (it comes first in the workbook). */
static void
summary_write(struct book *b, lxw_worksheet *ws, size_t at, const struct workbook_report *r,
    size_t n, const struct headline *h, const struct report_ctx *ctx)
{
	struct summary m = { .b = b, .ws = ws };
	char line[96];

	put_text(&m, 0, "Retired subscriptions: summary", b->f.title);
	m.row++;
	put_text(&m, 0, "as of", NULL);
	note_err(b, lxw.worksheet_write_number(ws, m.row, 1, workbook_serial(ctx->as_of) < 0 ? 0 :
	    workbook_serial(ctx->as_of), b->f.date));
	m.row++;
	snprintf(line, sizeof(line), "soon: an end within this many days");
	put_line(&m, line, ctx->horizon, NULL);
	put_text(&m, 0, "Each report is a sheet here and a CSV file beside this workbook.",
	    b->f.note);
	m.row += 2;
	summary_totals(&m, h);
	if (ctx->changes != NULL)
		summary_since(&m, ctx);
	summary_inputs(&m, ctx);
	summary_sheets(&m, r, n);
	note_err(b, lxw.worksheet_set_column(ws, 0, 0, 36, NULL));
	note_err(b, lxw.worksheet_set_column(ws, 1, 1, 40, NULL));
	note_err(b, lxw.worksheet_set_column(ws, 2, 4, 14, NULL));
	/* Printed on pages one wide. */
	lxw.worksheet_fit_to_pages(ws, 1, 0);
	sheet_rows_done(b, ws, at);
	buf_free(&m.tmp);
}

/* The directory of path, where libxlsxwriter keeps its temporary files. */
static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return mem_strdup(".");
	return mem_strndup(path, (size_t)(slash - path) + (slash == path));
}

/* ZIP64 when the reports are large: a sheet's XML may then pass 4 GiB. */
static bool
reports_large(const struct workbook_report *r, size_t n)
{
	uint64_t sum = 0;
	struct stat st;

	for (size_t i = 0; i < n; i++)
		if (stat(r[i].path, &st) == 0)
			sum += (uint64_t)st.st_size;
	return sum > (512u << 20);
}

int
workbook_write(const char *path, const char *where, const struct workbook_report *r,
    size_t n, const struct report_ctx *ctx, struct diag *d)
{
	const struct headline *h = ctx->headline;
	char *dir = dir_of(path);
	lxw_workbook_options opt = { .constant_memory = LXW_TRUE, .tmpdir = dir,
		.use_zip64 = reports_large(r, n) };
	lxw_doc_properties props = { .title = "skuscan reports", .comments =
		"The reports of one skuscan run: each sheet is the CSV file of the same name." };
	struct book b = { .sheet_rows = ctx->sheet_rows > 0 ? ctx->sheet_rows :
		WORKBOOK_SHEET_ROWS };
	FILE *saved;
	lxw_worksheet *summary;
	size_t summary_at = 0;
	char why[160];
	bool incomplete = false, read_err = false;
	int io_err = 0;
	lxw_error e;

	if (workbook_load(d) != 0) {
		free(dir);
		return -1;
	}
	if (n > sizeof(b.parts) / sizeof(b.parts[0]))
		n = sizeof(b.parts) / sizeof(b.parts[0]);
	b.where = where;
	b.hush = fopen("/dev/null", "w");
	/* The as-of day as the creation time: the same run, the same bytes (0 is "now"). */
	props.created = ctx->as_of != 0 ? (time_t)ctx->as_of * 86400 : 1;
	saved = lib_hush(&b);
	b.wb = lxw.workbook_new_opt(path, &opt);
	lib_unhush(saved);
	if (b.wb == NULL) {
		io_err = errno != 0 ? errno : ENOMEM;
	} else {
		lxw.workbook_set_properties(b.wb, &props);
		formats_make(&b.f, b.wb);
		summary = sheet_add(&b, "Summary", &summary_at);
		for (size_t i = 0; i < n && !read_err; i++) {
			read_err = copy_report(&b, &r[i], d) != 0;
			b.parts[i] = b.sh.part;
			b.report_rows[i] = b.sh.rows;
		}
		if (summary != NULL)
			summary_write(&b, summary, summary_at, r, n, h, ctx);
		if (io_err == 0)
			io_err = b.io_err;
		errno = 0;
		saved = lib_hush(&b);
		e = lxw.workbook_close(b.wb);
		lib_unhush(saved);
		note_err(&b, e);
		if (e != LXW_NO_ERROR && io_err == 0)
			io_err = errno;
		if (b.err == LXW_NO_ERROR && io_err == 0 && !read_err &&
		    xlsxcheck_whole(path, b.data_bytes, b.nsheets, why, sizeof(why)) != 0)
			incomplete = true;
	}
	if (b.hush != NULL)
		fclose(b.hush);
	for (int i = 0; i < MAX_COLS; i++)
		buf_free(&b.sh.header[i]);
	buf_free(&b.text);
	free(b.data_bytes);
	free(dir);
	if (b.err == LXW_NO_ERROR && io_err == 0 && !incomplete && !read_err)
		return 0;
	if (read_err)
		return -1;	/* d says which report and line */
	if (incomplete)
		diag_set(d, where, 0, "cannot write skuscan.xlsx: it reads back incomplete (%s), "
		    "as when the disk fills up", why);
	else if (io_err != 0)
		diag_set(d, where, 0, "cannot write skuscan.xlsx: %s", strerror(io_err));
	else
		diag_set(d, where, 0, "cannot write skuscan.xlsx: %s", lxw.lxw_strerror(b.err));
	return -1;
}

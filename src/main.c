/*
 * skuscan: find the customers of a CSP partner that still hold retired
 * Dynamics 365 "Basic (Qualified Offer)" subscriptions, and report what
 * each must do. main() only reads the command line and wires the modules:
 * input -> records -> rules -> ledger -> report.
 */
#include <errno.h>
#include <getopt.h>
#include <iconv.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "ingest.h"
#include "ledger.h"
#include "mem.h"
#include "outdir.h"
#include "report.h"
#include "rules.h"
#include "values.h"

#ifndef SKUSCAN_VERSION
#define SKUSCAN_VERSION "0.1.0"
#endif

#define PROGRESS_MIN_BYTES (4u << 20)

struct options {
	struct file_stats *files;	/* -s and -l in command-line order */
	size_t nfiles;
	const char *rules;		/* NULL: built-in */
	const char *outdir;
	int32_t as_of;
	int horizon;
	struct ingest_opts in;
	bool excel, no_html, quiet, progress, print_rules;
};

static const char usage_text[] =
    "usage: skuscan -s SUBS.csv[.gz] [-s MORE ...] [-l LICENSES.csv[.gz] ...]\n"
    "               [-r RULES.csv] [-o OUTDIR] [--as-of YYYY-MM-DD] [options]\n"
    "       skuscan --print-rules\n";

static void
usage(FILE *fp)
{
	fputs(usage_text, fp);
}

/*
 * The status of a run whose product is what it wrote on standard output:
 * a write that failed (a full disk, a closed pipe) is a fatal error, said
 * once, never exit 0 with nothing written.
 */
static int
stdout_done(void)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return EXIT_OK;
	diag_say("standard output: %s", strerror(errno ? errno : EIO));
	return EXIT_FATAL;
}

static void
help(void)
{
	usage(stdout);
	fputs("\n"
	    "  -s, --subscriptions FILE  subscription export (CSV or gzip; - is stdin)\n"
	    "  -l, --licenses FILE       license export: users and their licenses\n"
	    "  -r, --rules FILE          rules CSV replacing the built-in rules\n"
	    "      --print-rules         write the built-in rules as CSV and exit\n"
	    "  -o, --out-dir DIR         where the reports go (default skuscan-out)\n"
	    "      --as-of DATE          count days left from DATE (default today, UTC)\n"
	    "      --horizon DAYS        days that count as 'soon' (default 90)\n"
	    "  -d, --delimiter C         , ; \\t | or auto (default auto)\n"
	    "      --day-first           read N/N/YYYY dates as day/month\n"
	    "      --encoding NAME       read every input in this encoding\n"
	    "      --max-field-bytes N   reject records with a longer field (1048576)\n"
	    "      --excel               reports with a byte order mark and CRLF\n"
	    "      --no-html             no summary.html\n"
	    "  -q, --quiet               no summary on stderr\n"
	    "      --progress            progress bar even when stderr is no terminal\n"
	    "  -h, --help                this help\n"
	    "      --version             the version\n"
	    "\n"
	    "Reports: affected_customers.csv replacements.csv license_counts.csv\n"
	    "migration_audit.csv rejects.csv manifest.csv and the page summary.html,\n"
	    "published together.\n"
	    "Exit: 0 done, 1 fatal (nothing published), 2 usage, 3 done with rejects.\n"
	    "See skuscan(1).\n", stdout);
}

/* fmt is one of the messages below, with one %s: the argument as given. */
static int
usage_error(const char *fmt, const char *arg)
{
	diag_say(fmt, arg);
	usage(stderr);
	return EXIT_USAGE;
}

/* A whole decimal number in [min, max], as OpenBSD's strtonum checks it. */
static bool
number(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return false;
	*out = v;
	return true;
}

static bool
delimiter(const char *s, char *out)
{
	if (strcmp(s, "auto") == 0)
		*out = 0;
	else if (strcmp(s, "\\t") == 0 || strcmp(s, "\t") == 0 || strcmp(s, "tab") == 0)
		*out = '\t';
	else if (strlen(s) == 1 && strchr(",;|", s[0]) != NULL)
		*out = s[0];
	else
		return false;
	return true;
}

/* Threads for large plain files: SKUSCAN_THREADS, else one per core. */
static int
parse_threads(void)
{
	const char *env = getenv("SKUSCAN_THREADS");
	long long v;
	long n;

	if (env != NULL && number(env, 1, 8, &v))
		return (int)v;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 8 ? 8 : (int)n;
}

static void
add_file(struct options *o, const char *path, enum file_kind kind)
{
	o->files = mem_realloc(o->files, (o->nfiles + 1) * sizeof(*o->files));
	memset(&o->files[o->nfiles], 0, sizeof(*o->files));
	o->files[o->nfiles].path = path;
	o->files[o->nfiles].kind = kind;
	o->nfiles++;
}

enum {
	OPT_PRINT_RULES = 256, OPT_AS_OF, OPT_HORIZON, OPT_DAY_FIRST, OPT_ENCODING,
	OPT_MAX_FIELD, OPT_EXCEL, OPT_NO_HTML, OPT_PROGRESS, OPT_VERSION
};

/* Returns -1 to go on, or an exit status. */
static int
parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "subscriptions", required_argument, NULL, 's' },
		{ "licenses", required_argument, NULL, 'l' },
		{ "rules", required_argument, NULL, 'r' },
		{ "print-rules", no_argument, NULL, OPT_PRINT_RULES },
		{ "out-dir", required_argument, NULL, 'o' },
		{ "as-of", required_argument, NULL, OPT_AS_OF },
		{ "horizon", required_argument, NULL, OPT_HORIZON },
		{ "delimiter", required_argument, NULL, 'd' },
		{ "day-first", no_argument, NULL, OPT_DAY_FIRST },
		{ "encoding", required_argument, NULL, OPT_ENCODING },
		{ "max-field-bytes", required_argument, NULL, OPT_MAX_FIELD },
		{ "excel", no_argument, NULL, OPT_EXCEL },
		{ "no-html", no_argument, NULL, OPT_NO_HTML },
		{ "quiet", no_argument, NULL, 'q' },
		{ "progress", no_argument, NULL, OPT_PROGRESS },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	int c, stdin_uses = 0;
	long long v;

	o->outdir = "skuscan-out";
	o->as_of = (int32_t)(time(NULL) / 86400);
	o->horizon = 90;
	o->in.max_field_bytes = 1048576;
	o->in.threads = parse_threads();
	o->in.libcsv_only = getenv("SKUSCAN_LIBCSV_ONLY") != NULL;
	if (getenv("SKUSCAN_INFLATE") != NULL && strcmp(getenv("SKUSCAN_INFLATE"), "zlib") == 0)
		o->in.inflate = INFLATE_ZLIB;
	if (getenv("SKUSCAN_VECTOR_BYTES") != NULL &&
	    number(getenv("SKUSCAN_VECTOR_BYTES"), 16, 16, &v))
		o->in.vector_bytes = 16;
	if (getenv("SKUSCAN_CHUNK_BYTES") != NULL &&
	    number(getenv("SKUSCAN_CHUNK_BYTES"), 1, LLONG_MAX, &v))
		o->in.chunk_bytes = (size_t)v;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":s:l:r:o:d:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
		case 'l':
			if (strcmp(optarg, "-") == 0 && ++stdin_uses > 1)
				return usage_error("standard input (-) can be read only once%s", "");
			add_file(o, optarg, c == 's' ? FILE_SUBSCRIPTIONS : FILE_LICENSES);
			break;
		case 'r':
			o->rules = optarg;
			break;
		case OPT_PRINT_RULES:
			o->print_rules = true;
			break;
		case 'o':
			if (optarg[0] == '\0')
				return usage_error("-o needs a directory%s", "");
			o->outdir = optarg;
			break;
		case OPT_AS_OF:
			if (!values_iso_date(optarg, &o->as_of))
				return usage_error("--as-of: '%s' is not a date as YYYY-MM-DD", optarg);
			break;
		case OPT_HORIZON:
			if (!number(optarg, 0, 36500, &v))
				return usage_error("--horizon: '%s' is not a number of days (0-36500)",
				    optarg);
			o->horizon = (int)v;
			break;
		case 'd':
			if (!delimiter(optarg, &o->in.delimiter))
				return usage_error("-d: '%s' is not one of , ; \\t | auto", optarg);
			break;
		case OPT_DAY_FIRST:
			o->in.day_first = true;
			break;
		case OPT_ENCODING: {
			iconv_t cd = iconv_open("UTF-8", optarg);

			if (cd == (iconv_t)-1)
				return usage_error("--encoding: '%s' is not an encoding iconv knows",
				    optarg);
			iconv_close(cd);
			o->in.encoding = optarg;
			break;
		}
		case OPT_MAX_FIELD:
			if (!number(optarg, 1, LLONG_MAX, &v))
				return usage_error("--max-field-bytes: '%s' is not a positive number",
				    optarg);
			o->in.max_field_bytes = (size_t)v;
			break;
		case OPT_EXCEL:
			o->excel = true;
			break;
		case OPT_NO_HTML:
			o->no_html = true;
			break;
		case 'q':
			o->quiet = true;
			break;
		case OPT_PROGRESS:
			o->progress = true;
			break;
		case 'h':
			help();
			return stdout_done();
		case OPT_VERSION:
			printf("skuscan %s\n", SKUSCAN_VERSION);
			return stdout_done();
		case ':':
			return usage_error("option %s needs a value", argv[optind - 1]);
		default:
			return usage_error("unknown option %s", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	if (o->print_rules)
		return -1;
	for (size_t i = 0; i < o->nfiles; i++)
		if (o->files[i].kind == FILE_SUBSCRIPTIONS)
			return -1;
	return usage_error("no subscription export: give at least one -s FILE%s", "");
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The one-line progress bar on stderr. */
struct progress {
	bool on;
	double start, last;
	bool shown;
};

static void
progress_show(void *arg, const char *file, uint64_t done, uint64_t size)
{
	struct progress *p = arg;
	double t = now(), rate;

	if (!p->on || (size > 0 ? size : done) < PROGRESS_MIN_BYTES || t - p->last < 0.25)
		return;
	p->last = t;
	rate = (double)done / (t - p->start + 1e-9);
	if (size > 0)
		diag_status("%s %3.0f%% %.1f MB/s ETA %.0f s", file,
		    100.0 * (double)done / (double)size, rate / 1e6,
		    done < size ? (double)(size - done) / (rate + 1) : 0.0);
	else
		diag_status("%s %.1f MB read, %.1f MB/s", file, (double)done / 1e6, rate / 1e6);
	p->shown = true;
}

static void
progress_clear(struct progress *p)
{
	if (p->shown)
		diag_status_clear();
	p->shown = false;
}

/*
 * Each line of text on stderr as "skuscan: LEAD1LEAD2line": a newline ends
 * a line (the text's own; what an input put inside one is escaped).
 */
static void
print_lines(const char *lead1, const char *lead2, const char *text)
{
	while (*text != '\0') {
		size_t n = strcspn(text, "\n");

		diag_say("%s%s%.*s", lead1, lead2, (int)n, text);
		text += n + (text[n] == '\n');
	}
}

static void
summary(const struct options *o, const struct ledger_summary *s, double elapsed)
{
	uint64_t bytes = 0, records = 0, rejected = 0, users = s->users_on_retired, unmatched = 0;
	int64_t seats = s->retired_seats;
	struct buf notes = { 0 };

	{
		char d[11];

		values_date_format(o->as_of, d);
		diag_say("summary (as of %s)", d);
	}
	for (size_t i = 0; i < o->nfiles; i++) {
		const struct file_stats *f = &o->files[i];

		diag_say("  %s %s: %llu records, %llu rejected, "
		    "%llu Windows-1252 fields converted",
		    f->kind == FILE_SUBSCRIPTIONS ? "subscriptions" : "licenses", f->path,
		    (unsigned long long)f->records, (unsigned long long)f->rejected,
		    (unsigned long long)f->cp1252);
		notes.len = 0;
		if (f->hints[0] != '\0')
			buf_adds(&notes, "header warnings: see above\n");
		ingest_notes(f, true, &notes);
		buf_addc(&notes, '\0');
		print_lines("    ", "", notes.data);
		bytes += f->bytes;
		records += f->records;
		rejected += f->rejected;
		unmatched += f->unmatched;
	}
	diag_say("  %zu files, %llu bytes, %llu records read, %llu rejected",
	    o->nfiles, (unsigned long long)bytes, (unsigned long long)records,
	    (unsigned long long)rejected);
	diag_say("  %zu customers affected, %lld retired seats, "
	    "%llu users on retired licenses", s->ncustomers, (long long)seats,
	    (unsigned long long)users);
	if (unmatched > 0)
		diag_say("  %llu license rows joined no customer: counted under "
		    "\"(unmatched) TENANT\" in license_counts.csv", (unsigned long long)unmatched);
	diag_say("  %.2f s, %.1f MB/s; reports in %s/", elapsed,
	    (double)bytes / 1e6 / (elapsed > 1e-6 ? elapsed : 1e-6), o->outdir);
	buf_free(&notes);
}

/* Reads every input and writes the reports; returns the exit status. */
static int
run(struct options *o)
{
	struct diag d = { 0 };
	struct rules *rules = NULL;
	struct ledger *ledger = NULL;
	struct report *rep = NULL;
	struct ledger_summary s = { 0 };
	struct report_ctx ctx = { 0 };
	struct progress prog = { 0 };
	struct ingest g = { 0 };
	uint64_t rejected = 0;
	double start = now();
	int status = EXIT_FATAL;

	if (rules_load(&rules, o->rules, &d) != 0)
		goto out;
	if (report_open(&rep, o->outdir, o->excel, &d) != 0)
		goto out;
	ledger = ledger_new(rules);
	prog.on = o->progress || isatty(STDERR_FILENO);
	prog.start = start;
	g = (struct ingest){ &o->in, rules, ledger, report_reject, rep, progress_show, &prog };
	/* Licenses join subscription customers: every -s file is read first. */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < o->nfiles; i++) {
			if (o->files[i].kind != (pass == 0 ? FILE_SUBSCRIPTIONS : FILE_LICENSES))
				continue;
			if (ingest_file(&g, &o->files[i], &d) != 0) {
				progress_clear(&prog);
				goto out;
			}
			if (o->files[i].hints[0] != '\0') {
				/* Header warnings go out at once, even with -q. */
				progress_clear(&prog);
				print_lines(o->files[i].path, ":1: warning: ",
				    o->files[i].hints_shown);
			}
			rejected += o->files[i].rejected;
		}
	}
	progress_clear(&prog);
	ledger_done_reading(ledger);
	/* replacements.csv is written while the customers are summed up. */
	ledger_order(ledger, &s);
	ctx = (struct report_ctx){ o->as_of, o->horizon, SKUSCAN_VERSION, rules, o->files,
		o->nfiles, !o->no_html };
	if (report_begin(rep, &s, &ctx, &d) != 0)
		goto out;
	ledger_summarize_customers(ledger, &s);
	if (report_finish(rep, &s, &ctx, &d) != 0 || report_publish(rep, &d) != 0)
		goto out;
	status = rejected > 0 ? EXIT_REJECTS : EXIT_OK;
	if (!o->quiet)
		summary(o, &s, now() - start);
out:
	if (status == EXIT_FATAL)
		diag_print(&d);
	report_close(rep);
	ledger_summary_free(&s);
	ledger_free(ledger);
	rules_free(rules);
	return status;
}

int
main(int argc, char **argv)
{
	struct options o = { 0 };
	int status;

	outdir_signals();
	mem_on_fail(outdir_out_of_memory);
	status = parse_options(argc, argv, &o);

	if (status < 0 && o.print_rules) {
		size_t n;
		const char *text = rules_builtin_text(&n);

		fwrite(text, 1, n, stdout);
		status = stdout_done();
	} else if (status < 0) {
		status = run(&o);
	}
	free(o.files);
	return status;
}

/*
 * skuscan: find the customers of a CSP partner that still hold retired
 * Dynamics 365 "Basic (Qualified Offer)" subscriptions, and report what
 * each must do. main() only reads the command line; run.c takes the run
 * through its stages: input -> records -> rules -> ledger -> report.
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
#include "mem.h"
#include "rules.h"
#include "run.h"
#include "values.h"

#ifndef SKUSCAN_VERSION
#define SKUSCAN_VERSION "0.1.0"
#endif

struct options {
	struct run_opts run;
	bool print_rules;
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
	    "      --previous DIR        changes.csv: what changed since the reports in DIR\n"
	    "  -d, --delimiter C         , ; \\t | or auto (default auto)\n"
	    "      --day-first           read N/N/YYYY dates as day/month\n"
	    "      --encoding NAME       read every input in this encoding\n"
	    "      --max-field-bytes N   reject records with a longer field (1048576)\n"
	    "      --excel               reports with a byte order mark and CRLF\n"
	    "      --no-html             no summary.html\n"
	    "      --no-xlsx             no skuscan.xlsx\n"
	    "  -q, --quiet               no summary on stderr\n"
	    "      --progress            progress bar even when stderr is no terminal\n"
	    "  -h, --help                this help\n"
	    "      --version             the version\n"
	    "\n"
	    "Reports: affected_customers.csv replacements.csv license_counts.csv\n"
	    "migration_audit.csv changes.csv (with --previous) history.csv (one row per\n"
	    "run, carried forward) rejects.csv manifest.csv, the page summary.html and\n"
	    "the workbook skuscan.xlsx (a Summary sheet, then one sheet per report),\n"
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
	o->run.files = mem_realloc(o->run.files, (o->run.nfiles + 1) * sizeof(*o->run.files));
	memset(&o->run.files[o->run.nfiles], 0, sizeof(*o->run.files));
	o->run.files[o->run.nfiles].path = path;
	o->run.files[o->run.nfiles].kind = kind;
	o->run.nfiles++;
}

enum {
	OPT_PRINT_RULES = 256, OPT_AS_OF, OPT_HORIZON, OPT_PREVIOUS, OPT_DAY_FIRST, OPT_ENCODING,
	OPT_MAX_FIELD, OPT_EXCEL, OPT_NO_HTML, OPT_NO_XLSX, OPT_PROGRESS, OPT_VERSION
};

/*
 * The defaults, and the settings the tests give through the environment
 * (SKUSCAN_THREADS, _LIBCSV_ONLY, _INFLATE, _VECTOR_BYTES, _CHUNK_BYTES,
 * _SHEET_ROWS: the workbook's rows per sheet, so that a test can fill one).
 */
static void
options_default(struct options *o)
{
	long long v;

	o->run.outdir = "skuscan-out";
	o->run.version = SKUSCAN_VERSION;
	o->run.run_time = (int64_t)time(NULL);
	/*
	 * The reproducible-builds convention: a fixed "now" for history.csv, up
	 * to 9999-12-31T23:59:59Z (it writes a four-digit year).
	 */
	if (getenv("SOURCE_DATE_EPOCH") != NULL &&
	    number(getenv("SOURCE_DATE_EPOCH"), 0, 253402300799LL, &v))
		o->run.run_time = v;
	o->run.as_of = (int32_t)(time(NULL) / 86400);
	o->run.horizon = 90;
	o->run.in.max_field_bytes = 1048576;
	o->run.in.threads = parse_threads();
	o->run.in.libcsv_only = getenv("SKUSCAN_LIBCSV_ONLY") != NULL;
	if (getenv("SKUSCAN_INFLATE") != NULL && strcmp(getenv("SKUSCAN_INFLATE"), "zlib") == 0)
		o->run.in.inflate = INFLATE_ZLIB;
	if (getenv("SKUSCAN_VECTOR_BYTES") != NULL &&
	    number(getenv("SKUSCAN_VECTOR_BYTES"), 16, 16, &v))
		o->run.in.vector_bytes = 16;
	if (getenv("SKUSCAN_CHUNK_BYTES") != NULL &&
	    number(getenv("SKUSCAN_CHUNK_BYTES"), 1, LLONG_MAX, &v))
		o->run.in.chunk_bytes = (size_t)v;
	if (getenv("SKUSCAN_SHEET_ROWS") != NULL &&
	    number(getenv("SKUSCAN_SHEET_ROWS"), 1, 1048575, &v))
		o->run.sheet_rows = (uint32_t)v;
}

/*
 * Returns -1 to go on, or an exit status. One case per option, in the
 * order of --help, so that the switch reads as the table of options: it
 * runs past 80 lines for that reason.
 */
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
		{ "previous", required_argument, NULL, OPT_PREVIOUS },
		{ "delimiter", required_argument, NULL, 'd' },
		{ "day-first", no_argument, NULL, OPT_DAY_FIRST },
		{ "encoding", required_argument, NULL, OPT_ENCODING },
		{ "max-field-bytes", required_argument, NULL, OPT_MAX_FIELD },
		{ "excel", no_argument, NULL, OPT_EXCEL },
		{ "no-html", no_argument, NULL, OPT_NO_HTML },
		{ "no-xlsx", no_argument, NULL, OPT_NO_XLSX },
		{ "quiet", no_argument, NULL, 'q' },
		{ "progress", no_argument, NULL, OPT_PROGRESS },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	int c, stdin_uses = 0;
	long long v;

	options_default(o);
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
			o->run.rules = optarg;
			break;
		case OPT_PRINT_RULES:
			o->print_rules = true;
			break;
		case 'o':
			if (optarg[0] == '\0')
				return usage_error("-o needs a directory%s", "");
			o->run.outdir = optarg;
			break;
		case OPT_AS_OF:
			if (!values_iso_date(optarg, &o->run.as_of))
				return usage_error("--as-of: '%s' is not a date as YYYY-MM-DD", optarg);
			break;
		case OPT_HORIZON:
			if (!number(optarg, 0, 36500, &v))
				return usage_error("--horizon: '%s' is not a number of days (0-36500)",
				    optarg);
			o->run.horizon = (int)v;
			break;
		case OPT_PREVIOUS:
			if (optarg[0] == '\0')
				return usage_error("--previous needs a directory%s", "");
			o->run.previous = optarg;
			break;
		case 'd':
			if (!delimiter(optarg, &o->run.in.delimiter))
				return usage_error("-d: '%s' is not one of , ; \\t | auto", optarg);
			break;
		case OPT_DAY_FIRST:
			o->run.in.day_first = true;
			break;
		case OPT_ENCODING: {
			iconv_t cd = iconv_open("UTF-8", optarg);

			if (cd == (iconv_t)-1)
				return usage_error("--encoding: '%s' is not an encoding iconv knows",
				    optarg);
			iconv_close(cd);
			o->run.in.encoding = optarg;
			break;
		}
		case OPT_MAX_FIELD:
			if (!number(optarg, 1, LLONG_MAX, &v))
				return usage_error("--max-field-bytes: '%s' is not a positive number",
				    optarg);
			o->run.in.max_field_bytes = (size_t)v;
			break;
		case OPT_EXCEL:
			o->run.excel = true;
			break;
		case OPT_NO_HTML:
			o->run.no_html = true;
			break;
		case OPT_NO_XLSX:
			o->run.no_xlsx = true;
			break;
		case 'q':
			o->run.quiet = true;
			break;
		case OPT_PROGRESS:
			o->run.progress = true;
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
	for (size_t i = 0; i < o->run.nfiles; i++)
		if (o->run.files[i].kind == FILE_SUBSCRIPTIONS)
			return -1;
	return usage_error("no subscription export: give at least one -s FILE%s", "");
}

int
main(int argc, char **argv)
{
	struct options o = { 0 };
	int status;

	run_init();
	status = parse_options(argc, argv, &o);

	if (status < 0 && o.print_rules) {
		size_t n;
		const char *text = rules_builtin_text(&n);

		fwrite(text, 1, n, stdout);
		status = stdout_done();
	} else if (status < 0) {
		status = run_exec(&o.run);
	}
	free(o.run.files);
	return status;
}

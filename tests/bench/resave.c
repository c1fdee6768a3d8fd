/*
 * resave: a comma-separated UTF-8 export as Excel saves it again in a
 * German, French or Dutch locale ("CSV (Trennzeichen-getrennt)"): fields
 * separated by ';', lines ended by CRLF, text in Windows-1252 with '?' for
 * what it cannot hold (Korean, Japanese), and a field quoted only when it
 * holds a ';', a quote or a line end. For the benchmark's Excel shape.
 * With -q, the export as PowerShell's Export-Csv writes it instead (the
 * quoted-throughout shape): ',' between fields, CRLF, UTF-8 as read, and
 * every field quoted.
 *
 *     resave [-q] < IN.csv > OUT.csv
 *
 * Reads RFC 4180 CSV (quoted fields with "" inside). Exit 0, or 1 on a
 * read or write error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *field;
static size_t flen, fcap;
static int quote_all;	/* -q */

static void
field_add(char c)
{
	if (flen == fcap) {
		fcap = fcap ? 2 * fcap : 256;
		if ((field = realloc(field, fcap)) == NULL) {
			perror("resave");
			exit(1);
		}
	}
	field[flen++] = c;
}

/* The field's UTF-8 as Windows-1252: Latin-1 as is, anything else '?'. */
static void
field_to_cp1252(void)
{
	size_t i = 0, o = 0;

	while (i < flen) {
		unsigned char c = (unsigned char)field[i];
		size_t n = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
		unsigned cp = c;

		if (n == 2 && i + 1 < flen)
			cp = (c & 0x1fu) << 6 | ((unsigned char)field[i + 1] & 0x3fu);
		if (i + n > flen)
			n = flen - i;
		field[o++] = n == 1 ? (char)c : n == 2 && cp >= 0xa0 && cp <= 0xff ? (char)cp : '?';
		i += n;
	}
	flen = o;
}

static void
field_put(FILE *out)
{
	int quote = 1;

	if (!quote_all) {
		field_to_cp1252();
		quote = memchr(field, ';', flen) || memchr(field, '"', flen) ||
		    memchr(field, '\n', flen) || memchr(field, '\r', flen);
	}
	if (quote)
		putc('"', out);
	for (size_t i = 0; i < flen; i++) {
		if (field[i] == '"')
			putc('"', out);
		putc(field[i], out);
	}
	if (quote)
		putc('"', out);
	flen = 0;
}

int
main(int argc, char **argv)
{
	int c, quoted = 0, at_start = 1;

	quote_all = argc > 1 && strcmp(argv[1], "-q") == 0;
	while ((c = getchar()) != EOF) {
		if (quoted) {
			if (c != '"') {
				field_add((char)c);
				continue;
			}
			c = getchar();
			if (c == '"') {
				field_add('"');
				continue;
			}
			quoted = 0;
			if (c == EOF)
				break;
		}
		if (c == '"' && at_start) {
			quoted = 1;
			at_start = 0;
		} else if (c == ',') {
			field_put(stdout);
			putchar(quote_all ? ',' : ';');
			at_start = 1;
		} else if (c == '\n') {
			field_put(stdout);
			fputs("\r\n", stdout);
			at_start = 1;
		} else if (c != '\r') {
			field_add((char)c);
			at_start = 0;
		}
	}
	if (flen > 0 || !at_start)
		field_put(stdout);
	if (ferror(stdin) || fflush(stdout) != 0 || ferror(stdout)) {
		perror("resave");
		return 1;
	}
	return 0;
}

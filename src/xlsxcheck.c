/* xlsxcheck: a workbook read back part by part (see xlsxcheck.h). */
#define _GNU_SOURCE	/* memmem */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <minizip/unzip.h>

#include "mem.h"
#include "xlsxcheck.h"

#define READ_BYTES	(1u << 20)
#define HEAD_BYTES	8192	/* the XML declaration, the root, a sheet's <sheetData> */
#define TAIL_BYTES	4096	/* a sheet's </sheetData> and what follows it */

/* What is kept of one part as it is inflated: its first and last bytes. */
struct part {
	char head[HEAD_BYTES], tail[TAIL_BYTES];
	size_t nhead, ntail;
	uint64_t size;
};

static void
part_add(struct part *p, const char *s, size_t n)
{
	size_t k = n < HEAD_BYTES - p->nhead ? n : HEAD_BYTES - p->nhead;

	memcpy(p->head + p->nhead, s, k);
	p->nhead += k;
	if (n >= TAIL_BYTES) {
		memcpy(p->tail, s + n - TAIL_BYTES, TAIL_BYTES);
		p->ntail = TAIL_BYTES;
	} else {
		size_t keep = p->ntail + n > TAIL_BYTES ? TAIL_BYTES - n : p->ntail;

		memmove(p->tail, p->tail + p->ntail - keep, keep);
		memcpy(p->tail + keep, s, n);
		p->ntail = keep + n;
	}
	p->size += n;
}

/* The last place of needle in s[0..n), or NULL. */
static const char *
last_of(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle);

	for (size_t i = n >= k ? n - k + 1 : 0; i-- > 0;)
		if (memcmp(s + i, needle, k) == 0)
			return s + i;
	return NULL;
}

/*
 * An XML document whole at both ends: it begins with its declaration and
 * ends (blanks aside) with the end tag of the element that follows it.
 */
static bool
part_whole(const struct part *p)
{
	const char *s = p->head, *end = p->head + p->nhead, *decl, *name;
	char close[80];
	size_t n = p->ntail, k;

	if (p->nhead < 5 || memcmp(s, "<?xml", 5) != 0 ||
	    (decl = memmem(s, p->nhead, "?>", 2)) == NULL)
		return false;
	for (s = decl + 2; s < end && (*s == '\n' || *s == '\r' || *s == ' '); s++)
		;
	if (s >= end || *s != '<')
		return false;
	name = ++s;
	while (s < end && *s != ' ' && *s != '>' && *s != '/' && *s != '\n')
		s++;
	k = (size_t)(s - name);
	if (k == 0 || k + 4 > sizeof(close))
		return false;
	snprintf(close, sizeof(close), "</%.*s>", (int)k, name);
	while (n > 0 && (p->tail[n - 1] == '\n' || p->tail[n - 1] == '\r' || p->tail[n - 1] == ' '))
		n--;
	k = strlen(close);
	return n >= k && memcmp(p->tail + n - k, close, k) == 0;
}

/* The rows' bytes between <sheetData> and </sheetData>, or -1 if either is missing. */
static int64_t
sheet_rows_bytes(const struct part *p)
{
	const char *open = last_of(p->head, p->nhead, "<sheetData>");
	const char *close = last_of(p->tail, p->ntail, "</sheetData>");
	uint64_t from, to;

	if (open == NULL || close == NULL)
		return -1;
	from = (uint64_t)(open - p->head) + strlen("<sheetData>");
	to = p->size - p->ntail + (uint64_t)(close - p->tail);
	return to >= from ? (int64_t)(to - from) : -1;
}

/* Inflates the current part into p; an unzip error (a CRC, a bad stream) or 0. */
static int
part_read(unzFile z, struct part *p, char *buf)
{
	int got, err;

	memset(p, 0, sizeof(*p));
	if ((err = unzOpenCurrentFile(z)) != UNZ_OK)
		return err;
	while ((got = unzReadCurrentFile(z, buf, READ_BYTES)) > 0)
		part_add(p, buf, (size_t)got);
	err = unzCloseCurrentFile(z);
	return got < 0 ? got : err;
}

int
xlsxcheck_whole(const char *path, const uint64_t *sheet_data, size_t nsheets, char *why,
    size_t whysize)
{
	unzFile z = unzOpen64(path);
	struct part *p = mem_alloc(sizeof(*p));
	char *buf = mem_alloc(READ_BYTES), name[256];
	size_t sheets = 0;
	unsigned idx;
	int err = z == NULL ? UNZ_BADZIPFILE : unzGoToFirstFile(z), bad = 0;

	snprintf(why, whysize, "it is no zip file");
	for (; err == UNZ_OK && !bad; err = unzGoToNextFile(z)) {
		unz_file_info64 info;
		int64_t rows;
		char tail;

		if (unzGetCurrentFileInfo64(z, &info, name, sizeof(name), NULL, 0, NULL, 0) != UNZ_OK)
			break;
		if (part_read(z, p, buf) != UNZ_OK || p->size != info.uncompressed_size) {
			snprintf(why, whysize, "%s does not inflate whole", name);
			bad = 1;
		} else if (!part_whole(p)) {
			snprintf(why, whysize, "%s is cut short", name);
			bad = 1;
		} else if (sscanf(name, "xl/worksheets/sheet%u.xml%c", &idx, &tail) == 1) {
			rows = sheet_rows_bytes(p);
			sheets++;
			if (idx < 1 || idx > nsheets || rows < 0 ||
			    (uint64_t)rows != sheet_data[idx - 1]) {
				snprintf(why, whysize, "%s lacks some of its rows", name);
				bad = 1;
			}
		}
	}
	if (!bad && err != UNZ_END_OF_LIST_OF_FILE) {
		if (z != NULL)
			snprintf(why, whysize, "its zip directory cannot be read");
		bad = 1;
	} else if (!bad && sheets != nsheets) {
		snprintf(why, whysize, "it holds %zu sheets of %zu", sheets, nsheets);
		bad = 1;
	}
	if (z != NULL)
		unzClose(z);
	free(p);
	free(buf);
	return bad ? -1 : 0;
}

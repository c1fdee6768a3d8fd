/*
 * xlsxcheck: reads a workbook back and says whether it is whole.
 * libxlsxwriter writes each part of a workbook into a temporary file
 * first and copies it into the zip without checking those writes, so a
 * disk that fills up (and frees space again as temporaries go) can leave
 * a part cut short, or with a hole, inside a zip that is itself sound. A
 * workbook is published only when every part inflates with its CRC, is
 * an XML document that ends with its root element's end tag, and every
 * sheet's data is as long as skuscan wrote it.
 */
#ifndef SKUSCAN_XLSXCHECK_H
#define SKUSCAN_XLSXCHECK_H

#include <stddef.h>
#include <stdint.h>

/*
 * Checks the workbook at path, whose sheet i (in workbook order) holds
 * sheet_data[i] bytes of rows between <sheetData> and </sheetData>.
 * Returns 0, or -1 with why (a part and what is wrong with it) filled.
 */
int xlsxcheck_whole(const char *path, const uint64_t *sheet_data, size_t nsheets,
    char *why, size_t whysize);

#endif

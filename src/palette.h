/*
 * palette: the colours of urgency and migration status, as 0xRRGGBB, so
 * that summary.html's charts and the workbook's cells say the same thing
 * the same way. Red is expired or not started, orange critical, amber
 * soon or in progress, blue later, grey unknown, green complete.
 */
#ifndef SKUSCAN_PALETTE_H
#define SKUSCAN_PALETTE_H

#include <stdint.h>

#include "notice.h"

static inline uint32_t
palette_urgency(enum urgency u)
{
	static const uint32_t c[URGENCY_COUNT] = {
		[URGENCY_EXPIRED] = 0xb42318, [URGENCY_CRITICAL] = 0xe8590c,
		[URGENCY_SOON] = 0xd4a72c, [URGENCY_LATER] = 0x2f6fdb,
		[URGENCY_UNKNOWN] = 0x8c959f,
	};

	return c[u];
}

static inline uint32_t
palette_status(enum audit_status s)
{
	static const uint32_t c[AUDIT_COUNT] = {
		[AUDIT_COMPLETE] = 0x1a7f37, [AUDIT_IN_PROGRESS] = 0xbf8700,
		[AUDIT_NOT_STARTED] = 0xb42318,
	};

	return c[s];
}

#endif

/*
 * emit_ics: writes a calendar as iCalendar (RFC 5545) through libical, with plain IANA TZIDs
 * and a matching VTIMEZONE for every zone used.
 *
 * Ownership: emit_ics() returns a new NUL-terminated string (caller frees).
 */
#ifndef EVENTCAL_EMIT_ICS_H
#define EVENTCAL_EMIT_ICS_H

#include <stddef.h>
#include <stdint.h>

#include "calendar.h"

typedef struct emit_opts {
    const char *calname;  /* X-WR-CALNAME */
    const char *timezone; /* X-WR-TIMEZONE: the run's zone */
    int64_t now;          /* DTSTAMP, seconds since the epoch (UTC) */
    const char *version;  /* eventcal's version, for PRODID and "generator" */
} emit_opts;

/* Also writes back, verbatim and before END:VCALENDAR, the hand-written events (raw_ics) and
   the calendar's extra components, except a VTIMEZONE for a zone it writes itself. */
char *emit_ics(const calendar *c, const emit_opts *o, size_t *len);

/* The name X-EVENTCAL-PRECISION uses for g: ev_grain_name(), except "part-of-day" for G_POD. */
const char *ics_grain_name(tx_grain g);

#endif

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
#include "util.h"

typedef struct emit_opts {
    const char *calname;  /* X-WR-CALNAME */
    const char *timezone; /* X-WR-TIMEZONE: the run's zone */
    int64_t now;          /* DTSTAMP, seconds since the epoch (UTC) */
    const char *version;  /* eventcal's version, for PRODID and "generator" */
} emit_opts;

/* Also writes back, verbatim and before END:VCALENDAR, the hand-written events (raw_ics) and
   the calendar's extra components, except a VTIMEZONE for a zone it writes itself. */
char *emit_ics(const calendar *c, const emit_opts *o, size_t *len);

/*
 * emit_ics()'s text a piece at a time, for a writer that need not hold all of it (jCal): the
 * calendar's BEGIN line and its own lines (ICS_HEAD, without the closing line), then each
 * component whole (ICS_COMPONENT): the zones, the events, what was kept of another calendar, then "END:VCALENDAR" (ICS_END).  Each piece is
 * appended to sb, and put() called with where it begins; put() may empty sb (sb_reset()).
 */
typedef enum ics_piece { ICS_HEAD, ICS_COMPONENT, ICS_END } ics_piece;
typedef void (*ics_put_fn)(strbuf *sb, size_t from, ics_piece kind, void *arg);
void emit_ics_pieces(const calendar *c, const emit_opts *o, strbuf *sb, ics_put_fn put, void *arg);

/* The name X-EVENTCAL-PRECISION uses for g: ev_grain_name(), except "part-of-day" for G_POD. */
const char *ics_grain_name(tx_grain g);

#endif

/*
 * ics_read: reads calendars back: an iCalendar file (through libical) or an eventcal
 * events.json (through jansson) becomes a calendar of events, for merge, --update and --check.
 *
 * Reading is strict: a file that is not valid UTF-8, has a line that is not an iCalendar
 * content line, a property libical cannot parse, an X-LIC-ERROR, unbalanced BEGIN/END or no
 * END:VCALENDAR (a truncated file) is refused with "file:line: message" and no calendar.
 * eventcal's own events (UID ending in "@eventcal" and an X-EVENTCAL-TYPE property) are
 * rebuilt field by field from the properties emit_ics writes (eventcal(1), ROUND TRIP); every
 * other VEVENT is kept verbatim in event.raw_ics, and other components (VTODO, the VTIMEZONE
 * a hand-written event uses) as calendar extras, so that they are written back untouched.
 *
 * Ownership: the ics_read_* functions that return a calendar return a new one (free it with
 * calendar_free()), or NULL with err set.  They do not call calendar_finish().
 */
#ifndef EVENTCAL_ICS_READ_H
#define EVENTCAL_ICS_READ_H

#include <stddef.h>

#include "calendar.h"
#include "util.h"

/* Reads path ("-" for standard input): eventcal JSON when the first non-blank byte (past a
   UTF-8 byte-order mark, which every reader here passes over) is '{',
   iCalendar otherwise.  max_bytes caps the size read. */
calendar *ics_read_file(const char *path, size_t max_bytes, ec_error *err);

/* Reads iCalendar text; name is used in error messages. */
calendar *ics_read_ics(const char *name, const char *text, size_t len, ec_error *err);

/* Reads an eventcal events.json document; name is used in error messages. */
calendar *ics_read_json(const char *name, const char *text, size_t len, ec_error *err);

/*
 * For --check: reads iCalendar text with libical and appends to out one line per problem,
 * "name:line: message\n" (parse errors, X-LIC-ERROR, missing UID/DTSTART/DTSTAMP, DTEND
 * before DTSTART, a TZID without VTIMEZONE, duplicate UIDs).  Returns the number of problems.
 */
size_t ics_read_check(const char *name, const char *text, size_t len, strbuf *out);

#endif

/*
 * calendar: the set of events a run produces.  Adding an event merges it into an existing
 * entry when both describe the same real-world event (same kind and day, compatible time and
 * place, or a month-precision mention of a day-precision event), so one entry carries every
 * source: so are one article's reports joined, and merge.c joins the articles' calendars.
 * Also gives each event its stable UID.
 *
 * Ownership: calendar_add() takes ownership of the event.  Events returned by calendar_get()
 * are borrowed and stay valid until the next calendar_add() or calendar_free().  An event is
 * in at most one calendar at a time.
 */
#ifndef EVENTCAL_CALENDAR_H
#define EVENTCAL_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"

typedef struct calendar calendar;

calendar *calendar_new(void);
void calendar_free(calendar *c); /* NULL is a no-op */

/* Adds (merging where it can) and takes ownership of e: for the events of one article (a
   run's calendar is the merge of its articles', merge_all()). */
void calendar_add(calendar *c, event *e);
/* What independent reports add to an event's certainty, once a run's calendar is merged: 0.05
   for each article beyond the first that reports it (the same article read twice is one), up
   to 1.  A function of the event's sources alone, so it does not depend on the order the
   reports came in.  `eventcal merge` does not apply it: a calendar read back has it already. */
void calendar_credit_sources(calendar *c);
size_t calendar_count(const calendar *c);
event *calendar_get(const calendar *c, size_t i);

/* Appends e without merging it into anything (takes ownership): for events read back from a
   file, which merge.c combines with its own rules. */
void calendar_append(calendar *c, event *e);
/* Takes event i out of the calendar (the order of the others is kept); the caller owns it.
   Every later event moves up one place, so this costs the number of events after i. */
event *calendar_remove(calendar *c, size_t i);
/* Puts e (taken) in the place of event i, in constant time, and returns that event (the
   caller owns it); NULL, and e is not taken, when there is no event i.  The others keep their
   places, so lookups see e where they saw the old event, which differs from removing it and
   appending e only when another entry ties with e in a lookup or in calendar_finish's sort. */
event *calendar_replace(calendar *c, size_t i, event *e);
/* The order calendar_finish() puts events in (day, time, kind, UID, then place and first
   source), for qsort() over an array of event pointers: <0, 0, >0.  It depends on the events
   alone, not on how they came. */
int event_ptr_cmp(const void *pa, const void *pb);
/* Takes every event out, in calendar order, into a new array (caller frees it and owns the
   events; *n gets their number); the calendar keeps its extras. */
event **calendar_take_all(calendar *c, size_t *n);
/* Where e is in c's order, or SIZE_MAX when it is not in c. */
size_t calendar_index_of(const calendar *c, const event *e);

/*
 * Lookups, through an index by kind, year and month and by UID that the calendar builds on
 * the first lookup and keeps up to date as events come and go, so that adding N events costs
 * about N lookups, not N times the calendar's length.  Code that changes an entry's type, y,
 * m, uid or raw_ics in place calls calendar_rekey() afterwards.
 *
 * calendar_find_uid: the earliest entry (in calendar order) other than `except` whose UID is
 * uid and that is hand-written (raw) or not; NULL when there is none or uid is NULL.
 * calendar_find_same: the entry other than `except`, not hand-written, for which
 * event_same(entry, e) holds, of the finest grain, the earliest of those; or NULL.
 */
event *calendar_find_uid(calendar *c, const char *uid, bool raw, const event *except);
/* The earliest hand-written entry other than `except` with this UID and this recurrence_id
   (NULL: none, the master or a single event); NULL when there is none or uid is NULL. */
event *calendar_find_raw(calendar *c, const char *uid, const char *recurrence_id, const event *except);
/* A hand-written entry other than `except` without a UID whose text is exactly `raw`, or NULL. */
event *calendar_find_raw_text(calendar *c, const char *raw, const event *except);
event *calendar_find_same(calendar *c, const event *e, const event *except);
void calendar_rekey(calendar *c, event *e);

/*
 * Components of a calendar file that eventcal does not understand but must write back: a
 * hand-written VTODO, or the VTIMEZONE a hand-written event refers to.  text is the
 * component's lines, CRLF-terminated (taken: the calendar frees it); tzid is the zone a
 * VTIMEZONE defines, or NULL (copied).  emit_ics() writes them unless it writes its own
 * VTIMEZONE for that zone.
 */
void calendar_add_extra(calendar *c, char *text, const char *tzid);
size_t calendar_extra_count(const calendar *c);
/* The text of extra i; *tzid (may be NULL) gets its zone or NULL.  Borrowed. */
const char *calendar_extra(const calendar *c, size_t i, const char **tzid);
/* True when one of c's extras has exactly this text: through a set of the texts that the
   first call builds and calendar_add_extra() keeps up to date, so that merging N extras costs
   N lookups, not N times the number kept. */
bool calendar_has_extra(calendar *c, const char *text);

/*
 * What a calendar file says of itself, read back so that --update writes it again: its name
 * (X-WR-CALNAME), its zone (X-WR-TIMEZONE) and any other calendar-level property eventcal does
 * not write itself (X-WR-CALDESC, COLOR, ...), each an unfolded content line.  The setters
 * copy; the getters' strings are borrowed, NULL when the file had none.
 */
void calendar_set_name(calendar *c, const char *name, const char *zone);
const char *calendar_name(const calendar *c);
const char *calendar_zone(const calendar *c);
void calendar_add_prop(calendar *c, const char *line);
size_t calendar_prop_count(const calendar *c);
const char *calendar_prop(const calendar *c, size_t i);

/* The publication time of an article ("2024-02-21", "2024-02-21T10:00+01:00") in seconds
   since the epoch, UTC; 0 when there is none or it cannot be read. */
int64_t calendar_published_time(const char *published);

/* Sorts by start, then type and place, and gives every event without one its UID and title. */
void calendar_finish(calendar *c);

/* Whether b is to replace a as what the reports call an event ("vigil for the children
   killed"): a has none; or a is one word, the kind alone ("fair"), and b more ("antiques
   fair"); or both are one word or both more and b is shorter (it says it plainer), then
   smaller in byte order.  A total order, so the choice does not depend on which report came
   first.  One run and merge both ask this. */
bool event_name_better(const char *b, const char *a);

/* True when a and b describe the same real-world event. */
bool event_same(const event *a, const event *b);

/* The stable UID for an event: derived from its kind, day and locality, never from the order
   or the set of sources, so the same event gets the same UID from any article on any run.
   Returns a new string (caller frees). */
char *event_make_uid(const event *e);

#endif

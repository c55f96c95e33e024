/*
 * merge: combines calendars read back from files (`eventcal merge`) and brings a calendar up
 * to date with a new run's events (`--update`).
 *
 * Two entries are one event when event_same() says so (the rule calendar_add() uses), or when
 * they have the same UID and the same kind, day and town: the event at another time or place.  Joining them is a commutative, associative and idempotent
 * operation on the fields (eventcal(1), MERGE): the smaller UID, the union of sources, the
 * highest SEQUENCE, LAST-MODIFIED and confidence, the more precise date; where two reports
 * disagree (a new time, a new place) the more recent version wins, ordered by the newest
 * source's publication date, then SEQUENCE, then LAST-MODIFIED, then the fields themselves.
 * Hand-written events (event.raw_ics) are never joined with eventcal's; of two hand-written
 * events with one UID and one RECURRENCE-ID (or none: an override of one occurrence of a
 * recurring event is another event than its master) the one with the higher SEQUENCE stays.
 *
 * Ownership: merge_add() takes the event; merge_all() and merge_update() take the calendars
 * given and free them.
 */
#ifndef EVENTCAL_MERGE_H
#define EVENTCAL_MERGE_H

#include <stddef.h>
#include <stdint.h>

#include "calendar.h"

/* Adds e to c, joining it with every entry that describes the same event. */
void merge_add(calendar *c, event *e);

/* A new calendar (caller frees) with every event and extra component of cals[0..n), which it
   takes and frees, added with merge_add() in event_ptr_cmp() order: the result does not depend on
   the order of the calendars. */
calendar *merge_all(calendar **cals, size_t n);

typedef struct merge_stats {
    size_t added;     /* new events */
    size_t changed;   /* existing events with a new time, place or status: SEQUENCE + 1 */
    size_t touched;   /* existing events with only new sources or details: new LAST-MODIFIED */
    size_t unchanged; /* existing events the run found again, with nothing new */
    size_t skipped;   /* new events whose UID a hand-written event already has */
} merge_stats;

/*
 * --update: applies a run's events (fresh, after calendar_finish) to cal, the calendar read
 * from the file.  Existing events keep their UID; one that the run changes in time, place or
 * status gets SEQUENCE + 1, and any changed one LAST-MODIFIED = now (seconds since the epoch,
 * UTC).  An event the run finds again unchanged, or found only in articles the file's event
 * already cites, is left exactly as it was.  Frees fresh.
 * st may be NULL.
 */
void merge_update(calendar *cal, calendar *fresh, int64_t now, merge_stats *st);

#endif

/*
 * event: assembles events from an article's triggers, temporal expressions, places and cues:
 * a trigger ("demonstration", "vigil") tied to a resolved date in the same sentence or the
 * next, with the time, place, organiser and status the text states.
 *
 * Ownership: events are heap objects (they outlive the article, for merging); event_free()
 * frees one with everything it holds.  Strings inside an event are owned by it.
 */
#ifndef EVENTCAL_EVENT_H
#define EVENTCAL_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "article.h"
#include "place.h"
#include "rules.h"
#include "timex.h"

typedef enum ev_status { EV_UPCOMING, EV_PAST, EV_CANCELLED, EV_POSTPONED } ev_status;

/*
 * How an event announced as recurring repeats: the subset of an RFC 5545 RRULE the text can
 * state ("every Saturday in June", "every Saturday and Sunday", "the first Sunday of every
 * month from June", "every other Friday until 31 August", "daily from 1 to 7 July").  The
 * event's own start is the first occurrence.  A value, no memory: copied with the event.
 * EV_DAILY is last so that the numbers of the others stay what they were.
 */
typedef enum ev_freq { EV_ONCE, EV_WEEKLY, EV_MONTHLY, EV_DAILY } ev_freq;

/* The bit of ISO weekday wd (1 Monday ... 7 Sunday) in ev_recur's days. */
#define EV_DAY(wd) (1u << ((wd) - 1))

/* The bit of ordinal n (1 to 4: the first to the fourth such weekday of a month, -1 the last)
   in ev_recur's ords. */
#define EV_ORD(n) ((n) < 0 ? 1u << 5 : 1u << (n))
/* The ordinals in the order of a month, i from 0 to EV_NORDS - 1: 1 to 4, then -1. */
enum { EV_NORDS = 5 };
#define EV_ORD_AT(i) ((i) < 4 ? (i) + 1 : -1)

typedef struct ev_recur {
    ev_freq freq;   /* EV_ONCE: a one-off event, and the rest is zero */
    int interval;   /* every 1st or 2nd day, week or month */
    unsigned days;  /* weekly: the weekdays it repeats on (EV_DAY bits, one or more); monthly:
                       the one weekday; daily: none */
    unsigned ords;  /* monthly: which of the month's such weekdays, EV_ORD bits, one or more
                       ("the first and third Mondays" EV_ORD(1) | EV_ORD(3)) */
    bool has_until; /* the last day an occurrence starts on, a local date: */
    int uy, um, ud;
} ev_recur;

typedef struct ev_source {
    char *id, *url, *title, *published;
    char *evidence;         /* the sentence(s) the event came from */
    size_t span_start, span_end; /* byte offsets of the evidence in the article text */
} ev_source;

/* One rule that contributed, for --explain. */
typedef struct ev_reason {
    char *rule;  /* rule name */
    char *what;  /* "trigger", "date", "time", "place", "cue" */
    char *text;  /* the matched text */
    size_t start, end;
    char *source_id;
} ev_reason;

typedef struct event {
    char *uid;
    char *title;
    char *name;        /* what the text calls it, when the type alone says too little; or NULL */
    bool weak;         /* named only by a verb ("we gather at 11"): joins any gathering that day */
    bool listing;      /* from an entry of a listing ("11 a.m.: march in ..."): kept apart from others */
    bool vague;        /* dated only relative to publication, month or coarser ("last month") */
    char *type;        /* demonstration, protest, march, rally, vigil, strike, picket, meeting, vote, ... */
    ev_status status;
    tx_grain grain;    /* G_MONTH ... G_MINUTE */
    int y, m, d;
    bool has_time;
    int hh, mm;
    bool has_end;      /* an end stated in the text */
    int ey, em, ed, eh, emin;
    bool end_has_time;
    bool all_day;
    char pod[3];       /* part of day when stated without a clock time */
    int default_minutes; /* duration to use when no end is stated; 0: not known (120 is used) */
    char *timezone;
    char *loc_name;
    char *loc_locality;
    char *end_point;   /* where a march ends */
    char *organiser;
    char *original_date; /* for a postponed event: the date it was moved from */
    ev_recur recur;      /* a recurring event's rule; freq EV_ONCE for a one-off */
    double confidence;
    bool date_inferred;  /* the publication date was unknown, or the year was chosen by inference */
    int sequence;        /* iCalendar SEQUENCE, for --update */
    char *last_modified; /* UTC stamp "YYYYMMDDTHHMMSSZ", for --update */
    ev_source *sources;
    size_t nsources, sources_cap; /* sources_cap: the room allocated (event_new_source()) */
    ev_reason *reasons;
    size_t nreasons, reasons_cap; /* reasons_cap: the same (event_reserve_reasons()) */
    /* A hand-written VEVENT read back by ics_read (not eventcal's, so nothing in it is
       understood): its original lines from BEGIN:VEVENT to END:VEVENT, CRLF-terminated.
       Such an event is written back exactly so and never merged.  NULL for eventcal's own. */
    char *raw_ics;
    /* ... and its RECURRENCE-ID (value, then ";" and the TZID if it has one), or NULL: an
       override of one occurrence of a recurring event shares the master's UID. */
    char *recurrence_id;
    /* For merging calendars: when the report that gave the time, the end, the place and the
       town was published (seconds since the epoch, UTC; 0 unknown), so that of two reports
       that disagree the later one wins whatever the order of merging. */
    int64_t said_time, said_end, said_place, said_locality, said_recur;
    /* Kept by calendar.c while the event is in a calendar: its place in the calendar's order
       and the keys its index filed it under (calendar_rekey). */
    size_t cal_pos;
    uint64_t cal_kkey, cal_ukey;
    struct ev_source_index *source_index; /* event_has_source()'s, built as sources come */
} event;

void event_free(event *e);
event *event_clone(const event *e);
/* Whether one of e's sources has this id (NULL reads as ""): one article is one source,
   however many of its sentences report the event.  Sources are only ever appended to an
   event, so the lookup indexes the ones added since it last looked, and a report of one
   event by thousands of articles costs a lookup each, not a walk over all the others. */
bool event_has_source(event *e, const char *id);
/* The first of e's sources with this id, or NULL; borrowed, valid until e's sources change. */
ev_source *event_source(event *e, const char *id);
/* A new source, zeroed, at the end of e's; borrowed, valid until e's sources change.  The
   lists grow by doubling: an event reported by thousands of articles gains a source and its
   reasons at each merge, and growing by one each time copied them all again and again. */
ev_source *event_new_source(event *e);
/* Room for `more` reasons after e's nreasons. */
void event_reserve_reasons(event *e, size_t more);
/* Frees e's reasons.  They say which rules made it, for --explain; an event kept for merging
   has no other use for them (pipeline_run() drops them unless told to explain). */
void event_drop_reasons(event *e);

typedef struct event_opts {
    const char *timezone; /* the run's zone, used when the article gives none */
    double min_confidence;
    bool reasons; /* every reason an event has (--explain); else only its trigger's, which
                     assembling reads (a reason is a formatted string and three copies) */
    const char *holidays; /* the title's dates read with timex_opts.holidays, as the text's */
} event_opts;

/*
 * The places where the article names a kind of event (event rules, in text order; of two
 * triggers in a row, "a protest rally", only the second, the head noun), in `ar`.  None: the
 * article names no event, events_extract() would find nothing, and the stages before it can
 * be skipped.  *needed receives the offset after which no text can matter to events_extract()
 * but its places: the end of the last line that names an event (the text's end when such a
 * line ends in a colon and may head a listing).
 */
enum { EVENTS_MAX_TRIGGERS = 1000, EVENTS_MAX_MENTIONS = 1000 };

/* The furthest sentence after a trigger's own that events_extract() takes its dates from (a
   sentence that says dates follow, and then lists them), but for a "When:" field, wherever it
   is (read through *tx_short), and a listing under a header that ends in a colon, which runs
   on to the end of the text (events_triggers() then asks for all of it). */
enum { EVENTS_DATE_REACH = 5 };

/* ... at most EVENTS_MAX_TRIGGERS of them (*capped is set when there were more): an article
   never names that many events, and text that repeats one sentence a million times must not
   make the assembly, which compares mentions with each other, take hours. */
rule_match *events_triggers(const rules *r, rule_scanner *s, const article *a, arena *ar, size_t *n, size_t *needed,
                            bool *capped);

/*
 * The article's places, as events_extract() needs them: found with `scan` (places_find() and
 * places_main_locality(), in the arena given to events_extract()) when the first event is
 * made, since many articles that name a kind of event make none (385 of 1,025 in a sample of
 * news).  Set
 * `scan` and zero the rest for a new article; calls again on the same article reuse them.
 */
typedef struct ev_places {
    rule_scanner *scan;
    const char *home_seat; /* for places_find(): vocab/zone_seat's town for the article's zone */
    bool found;
    const place *pl; /* in text order */
    size_t n;
    const char *main_locality;
} ev_places;

/*
 * Finds the events of one article from its triggers (events_triggers(): in text order, none
 * overlapping another).  Appends
 * heap-allocated events to *out (growing it; the caller owns the array and the events) and
 * returns how many were added.  At most EVENTS_MAX_MENTIONS mentions are made before they
 * merge (*capped is set when more were there): a listing of 30,000 lines, or one sentence
 * listing 8,000 dates, is no diary, and the mentions of an article are compared with each
 * other.
 * `tx_cut` is 0 when `tx` and `cues` cover the whole text; else they were searched only before
 * that offset, and *tx_short is set when an event would have looked at dates after it (dates
 * listed after the sentence that announces them, a "When:" field): the caller must then search
 * the whole text and call again.
 */
size_t events_extract(const rules *r, const article *a, const rule_match *trig, size_t ntrig, const tx_ref *ref,
                      const timex *tx, size_t ntx, size_t tx_cut, bool *tx_short, cue_set *cues,
                      ev_places *places, const event_opts *opts, arena *ar, event ***out, size_t *nout, size_t *cap,
                      bool *capped);

const char *ev_status_name(ev_status s);
const char *ev_grain_name(tx_grain g);

/* The start as an ISO string: "2024-02-24T13:00:00+00:00", "2024-02-24" or "2023-11"
   (written into buf). */
const char *event_start_iso(const event *e, char *buf, size_t size);
const char *event_end_iso(const event *e, char *buf, size_t size);

/*
 * Moves a start or end time that e's zone never shows (the hour skipped when the clocks go
 * forward) on to the time the clocks show at the instant it names, as RFC 5545 3.3.5 reads it:
 * "1:30am" in London on the March change is 01:30 GMT, which the clocks show as 02:30 BST.  So
 * one instant has one wall-clock time in every output and every comparison of events.  Other
 * times, a time shown twice (the hour repeated when the clocks go back, read as the first)
 * among them, are left as they are.  The zone is e->timezone, UTC when it has none.
 */
void event_settle_clock(event *e);

/*
 * Recurrences.  ev_recur_equal: the same rule.  ev_recur_next: the first day an occurrence of
 * r starts on, on or after y-m-d (which need not be one), into *out; false when the rule ends
 * before it.  ev_recur_last: the last occurrence on or before its UNTIL, from the first one
 * (false when it has no UNTIL or none is left).
 */
bool ev_recur_equal(const ev_recur *a, const ev_recur *b);
bool ev_recur_next(const ev_recur *r, int y, int m, int d, int *oy, int *om, int *od);
bool ev_recur_last(const ev_recur *r, int y, int m, int d, int *oy, int *om, int *od);

/*
 * Whether recurring events a and b follow one series: the same rule but for its UNTIL (a later
 * report may move that), and each one's first day one of the other's days, so that two reports
 * of one weekly market published a week apart, whose first occurrences differ, are one.
 */
bool event_same_series(const event *a, const event *b);

/* Two reports a and b of one series (event_same_series), each from its own first day: both
   as of the earlier one, where the series starts, with their ends moved as many days, so that
   their times and ends can be weighed as of one day.  Nothing when either is a one-off. */
void event_series_align(event *a, event *b);

/* The rule a joined event keeps: b's when b recurs and a does not (a recurring report over a
   one-off of the same day: "every Saturday from 1 June" after "on 1 June"), or b is the later
   report, or the same age with the smaller RRULE text; a's otherwise.  Calendar merges and
   `eventcal merge` both choose so, so that one run is the merge of its articles. */
void event_series_rule(event *a, const event *b);

/*
 * The status of recurring event e (one neither cancelled nor postponed) as seen on day y-m-d:
 * upcoming while an occurrence is still to come on or after it, even when the first is past;
 * past once its UNTIL is.
 */
ev_status event_recur_status(const event *e, int y, int m, int d);

/*
 * e's rule as the value of an iCalendar RRULE ("FREQ=WEEKLY;UNTIL=20240629T225959Z;BYDAY=SA,SU",
 * in the order libical writes its parts, the days Monday first), written into buf; NULL for a one-off event.  UNTIL
 * is a DATE for an all-day event and, as RFC 5545 wants beside a DTSTART with a TZID, the
 * UTC instant that ends the last day in e's zone for a timed one.
 */
const char *event_rrule(const event *e, char *buf, size_t size);

/*
 * Reads an RRULE value of that subset into *out for an event in zone tz (NULL: UTC; a UTC
 * UNTIL is the day it falls on there); false for anything else (a COUNT, several weekdays of
 * a month, a yearly rule), which eventcal cannot write back as it was.
 */
bool ev_recur_parse(const char *rrule, const char *tz, ev_recur *out);

/* The two-letter iCalendar name of ISO weekday wd (1 "MO" ... 7 "SU"). */
const char *ev_weekday_code(int wd);

/* The first ISO weekday in a set of EV_DAY bits (Monday first), or 0 for none. */
int ev_days_first(unsigned days);

/* The weekdays of r as an RRULE's BYDAY writes them, Monday first ("SA,SU", "1SU", "-1FR"),
   into buf; "" for a daily rule. */
const char *ev_recur_byday(const ev_recur *r, char *buf, size_t size);

/* (Re)builds e->title from its kind and place: "Demonstration, Queens Park, Bolton". */
void event_set_title(event *e);

/* True when the event ends on a later day than it starts. */
bool event_spans_days(const event *e);

/* True when the event can be a dated calendar entry (day precision or finer). */
bool event_in_calendar(const event *e);

#endif

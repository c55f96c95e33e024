/*
 * timex: finds temporal expressions with the timex rules and normalises them to TIMEX3 values
 * (TimeML, as in TempEval-3) against a reference date, plus the resolved calendar fields the
 * event stage needs.  Also finds context cues (tense, cancellation, ...) with the cue rules,
 * since tense decides which year or which Saturday a phrase means.
 *
 * Ownership: arrays returned here are allocated in the caller's arena and live until it is
 * reset.  `rule` pointers borrow from the rules object.  Nothing here prints or fails: text
 * that matches no rule simply yields no timex.
 */
#ifndef EVENTCAL_TIMEX_H
#define EVENTCAL_TIMEX_H

#include <stdbool.h>
#include <stddef.h>

#include "article.h"
#include "rules.h"
#include "util.h"

typedef enum tx_type { TX_DATE, TX_TIME, TX_DURATION, TX_SET } tx_type;

/* How precise a resolved point in time is, coarsest first. */
typedef enum tx_grain {
    G_NONE,
    G_CENTURY,
    G_DECADE,
    G_YEAR,
    G_HALF,
    G_QUARTER,
    G_SEASON,
    G_MONTH,
    G_WEEK,
    G_DAY,
    G_POD,
    G_HOUR,
    G_MINUTE,
} tx_grain;

typedef enum tense { TENSE_NONE, TENSE_PAST, TENSE_FUTURE } tense;

/* The reference point (document creation time). */
typedef struct tx_ref {
    int y, m, d, hh, mm, ss;
    bool has_time;
    bool known; /* false: the publication date is unknown and this is a stand-in */
} tx_ref;

/*
 * Parses an ISO date or date-time into a reference; false if it is not one.  A date-time with an
 * offset ("2024-03-04T22:00:00Z", "...-05:00") names an instant, and the reference is the date
 * and time it is in zone tz, the article's: "today" in a Sydney paper stamped 22:00Z on 4 March
 * is the 5th there.  With tz NULL or unknown, and for a date or a date-time without an offset,
 * the reference is the date and time as written.
 */
bool tx_ref_parse(const char *s, const char *tz, tx_ref *out);

/*
 * A length of time as written, one count per unit ("1 day 21 hours" is d=1 h=21).  Fractions
 * are carried into the next smaller unit when read ("1.5 hours" is h=1 mi=30).  A vague count
 * ("several weeks") sets `vague` with the unit it counts (`vague_unit`: 'Y', 'M', 'W', 'D',
 * 'h', 'm', 's', 'Q'), and `estimate` when the words suggest a number ("a few" is about 3).
 */
typedef struct tx_span {
    int y, q, mo, w, we, d, h, mi, s; /* q quarters, we weekends: TimeML writes P2Q, P1WE */
    bool vague;
    char vague_unit;
    int estimate; /* 0: none */
    bool workdays; /* "eight trading days", "5 business days": not counted on the calendar */
} tx_span;

typedef struct timex {
    size_t start, end; /* byte offsets into the article text */
    tx_type type;
    char value[48];    /* TIMEX3 value */
    const char *mod;   /* TIMEX3 mod (EARLY, LATE, MID, APPROX, START, END) or NULL */
    const rule *rule;
    size_t sentence;
    tx_grain grain;
    int y, m, d;       /* resolved start date as far as grain allows (G_WEEK: its Monday) */
    bool has_time;
    int hh, mm;
    bool has_seconds;  /* a stated second ("11:00:09", "12 seconds ago") */
    int ss;
    bool has_end_time; /* "from 11am to 3pm", "1-3pm" */
    int eh, em;
    bool has_end_date; /* "24-25 February" */
    int ey, em_, ed;
    char pod[3];       /* MO AF EV NI when a part of day was named */
    bool has_tz;
    int tz_offset_min; /* when a numeric or fixed-offset zone was stated */
    const char *tz_zone; /* IANA zone when a named zone was stated ("ET") */
    bool explicit_year;
    bool year_inferred;
    bool relative;     /* resolved from the reference date or another mention */
    bool anchored;     /* a time whose date came from context */
    bool ampm_guessed; /* "at 7:30", "at 6.30": a 12-hour time with no am/pm stated (hh is then
                          the afternoon's for 1 to 6 without a colon, else as written) */
    bool date_from_context; /* a bare time ("at 2pm"): its text names no day; the day is the
                               last date in its sentence or the reference */
    bool next_day;      /* "12 tonight", "midnight tonight": the small hours after the day named,
                           whose date is the next day's; a day the event stage pairs with the
                           time moves on too */
    bool weekday_mismatch;
    bool future_today;  /* a bare weekday a future tense put on the reference's own day ("will
                           strike Monday" said on a Monday): a time of it gone by is next week's */
    bool duration_like; /* "for months", "since October": not a point an event can happen at */
    bool point_next;    /* "the quarter ended Sept. 30": the period of the date that follows */
    int day_step;      /* "the day before" -1, "the day after" +1: a day counted from the day next to it */
    bool day_step_lost; /* "the day after the inauguration" with no day before it to count from */
    bool day_unknown;   /* "that same day" after "last October": a day of that month, written 1998-10-XX */
    /* The tense of its sentence, read from the words around the match (tense_at; end) and
       the word before tense_lead_at, when first needed (most dates, "May 5, 2024", need none):
       use timex_tense().  tense_known says that tense and tense_firm hold it. */
    bool tense_known;
    tense tense;
    bool tense_firm;   /* after "in": a past tense weighs more against a month ahead */
    bool tense_present; /* no tense, for a present "is" or "are" is nearest: "The rally is in
                           Leeds on Friday" looks ahead (a weekday's), "worth ... in October"
                           does not (a month's) */
    size_t tense_at, tense_end, tense_lead_at;
    /* A SET's rule, for the event stage: the weekdays it repeats on (bit wd-1 for ISO weekday
       wd, as ev_recur's; 0 none), which ones of the month's (bit n for the nth, 1 to 4, bit 5
       for the last, as ev_recur's ords: "the first Sunday of every month" bit 1, "the first and
       third Mondays" bits 1 and 3; 0 every one) and every how many weeks or months ("every
       other Saturday" 2). */
    unsigned set_days, set_ords;
    int set_interval;
    bool set_daily; /* "daily from 1 to 7 July", "every day until Sunday": said of an event's
                       days (slot recur=daily), not "a daily newspaper" */
    bool has_span;     /* a length was written: durations, "two days ago", "+2 months" */
    tx_span span;
    int span_dir;      /* +1 "in/within/for/next/after N units" or "+N", -1 "last/past N", "-N", 0 unknown */
    /* The instant the expression points at, for --timex-style instant: the first day of an
       absolute period, the reference moved by the offset (keeping its finer fields) for a
       relative one, the reference plus or minus the length for a duration with a direction.
       inst_time says a time of day is part of it, inst_sec that its seconds are written. */
    bool has_instant;
    int iy, im, id, ih, imin, isec;
    bool inst_time, inst_sec;
} timex;

/* How --format timex writes values: TIMEX3 (TimeML) or the instant each expression points at. */
typedef enum tx_style { TX_STYLE_TIMEML, TX_STYLE_INSTANT } tx_style;

/*
 * Writes the value of `t` in `style` into buf (size bytes): its TIMEX3 value, or for
 * TX_STYLE_INSTANT "YYYY-MM-DD", "YYYY-MM-DDTHH:MM" or "YYYY-MM-DDTHH:MM:SS" (years before 1
 * as ISO 8601 expanded years, "-0344" for 345 BC) when it points at an instant, and its
 * TIMEX3 value otherwise (sets, "the past", vague lengths).  Returns buf.
 */
const char *timex_value_styled(const timex *t, tx_style style, char *buf, size_t size);

typedef struct cue {
    size_t start, end;
    const char *type; /* the cue rule's type: future, past, cancelled, postponed, negation, ... */
    tense tense;      /* TENSE_FUTURE or TENSE_PAST for those two types, else TENSE_NONE */
    const rule *rule;
    size_t arg_start, arg_end; /* the `cue` or `org` slot when the rule has one */
} cue;

typedef struct timex_opts {
    bool day_first; /* 04/03/2024 is 4 March (en-GB) rather than April 3 (en-US) */
    size_t cut;     /* 0: the whole text; else expressions that start at or after this offset
                       are not looked for (see timex_cut()) */
    const char *holidays; /* the vocabulary of the holidays of the article's country where
                             they differ from vocab/holiday's (timex_zone_holidays()): Mother's
                             Day is Mothering Sunday in Britain; NULL: none */
} timex_opts;

/*
 * True if numeric dates are usually written day-first (4/3/2024 for 4 March) where the IANA
 * zone `zone` is: Europe, Africa, Asia, Australia, New Zealand, and most of Latin America.
 * False for North America (and the Philippines), UTC and unknown names.
 */
bool timex_zone_day_first(const char *zone);

/* The name of the vocabulary of the holidays kept where the IANA zone `zone` is (vocab/
   zone_holidays: "Europe/London" or "Australia" → "holiday_gb", "holiday_au"), for
   timex_opts.holidays; NULL for none, an unknown zone or NULL.  The name is r's. */
const char *timex_zone_holidays(const rules *r, const char *zone);

/*
 * An article's cues, read a sentence at a time when first asked for: most sentences' are
 * never needed (a date's tense, an event's status, the words around a date an event takes).
 * A cue belongs to the sentence it starts in and is matched from that sentence's start (a cue
 * running on into the next sentence does not hide one there).
 */
typedef struct cue_set cue_set;

/* The cues of `a` (which must be split into sentences) that start before `cut` (0: the whole
   text), none read yet; in the arena, with what it reads.  `s` is used to read them. */
cue_set *cues_new(const rules *r, rule_scanner *s, const article *a, size_t cut, arena *ar);

/* The cues of sentence `sent`, in text order, and their number in *n; NULL when none.  They
   stay valid as long as the arena. */
const cue *cues_in(cue_set *cs, size_t sent, size_t *n);

/*
 * The tense around `t`, a date found by timex_find() in `a` with these cues, as its value was
 * weighed (computed when asked, for dates whose value did not need it).
 */
tense timex_tense(const rules *r, const article *a, cue_set *cues, const timex *t);

/*
 * Finds every temporal expression in the article and resolves it against `ref`.
 * `cues` (may be NULL) gives each sentence's tense.
 */
timex *timex_find(const rules *r, rule_scanner *s, const article *a, cue_set *cues,
                  const tx_ref *ref, const timex_opts *opts, arena *ar, size_t *n);

/*
 * Where the search for cues and dates may stop when only those before `needed` matter (the
 * events of an article need nothing after the end of the last line that names one): the end of
 * the next line with text after `needed`'s, so that an expression continued on the next line
 * ("on Saturday" / "at 7pm") is read whole.  Returns len when that is the rest of the text.
 */
size_t timex_cut(const char *text, size_t len, size_t needed);

/*
 * After timex_find() stopped at `cut`: true when the last expression found
 * reaches the cut or is followed, up to it, by at most one word or a sign, so that one after
 * the cut might still be joined to it ("Saturday at" / "7pm"); the caller then reads the whole
 * text.  False when the expressions found are those a search of the whole text gives before
 * `cut`.
 */
bool timex_cut_open(const char *text, size_t len, const timex *tx, size_t n, size_t cut);

/*
 * The expressions with each bare day number listed after a day made a date of its own, as
 * TIMEX3 annotates them: "on April 24 and 25" gives 25 too, "March 3, 9 and 17" gives 9 and 17.
 * A list counts only when "and" or "or" joins its last number and punctuation or the end of the
 * text follows it ("April 24 and 25 delegates" is no list).  The event code reads such lists from
 * the text between dates itself, so this is for the TIMEX3 output.  Returns a new array
 * (free() it) and its length in *nout.
 */
timex *timex_with_list_days(const char *text, size_t len, const timex *tx, size_t n, size_t *nout);

const char *tx_type_name(tx_type t);

#endif

/*
 * date: proleptic Gregorian calendar arithmetic on plain values, and wall-clock to UTC offsets
 * for IANA zones (through libical's zone data).  No allocation; nothing here can fail except
 * parsing, which returns false.
 */
#ifndef EVENTCAL_DATE_H
#define EVENTCAL_DATE_H

#include <stdbool.h>
#include <stdint.h>

typedef struct ymd {
    int y, m, d;
} ymd;

/* The last year a calendar can hold: libical writes any date from 3000 on as 00000000T000000,
   which no reader accepts (its own included). */
enum { DATE_YEAR_MAX = 2999 };

/* Days since 1970-01-01 for a civil date (valid for any int year). */
int64_t date_to_days(int y, int m, int d);
ymd date_from_days(int64_t days);
bool date_is_leap(int y);
int date_days_in_month(int y, int m);
bool date_valid(int y, int m, int d);
/* ISO weekday: 1 = Monday ... 7 = Sunday. */
int date_weekday(int y, int m, int d);
/* The same, of a day counted from 1970-01-01 (date_to_days()). */
int date_weekday_of_days(int64_t days);
ymd date_add_days(ymd a, int64_t n);
/* Adds months, clamping the day to the month's end (Jan 31 + 1 month = Feb 28/29). */
ymd date_add_months(ymd a, int n);
/* ISO 8601 week number and week-based year. */
void date_iso_week(int y, int m, int d, int *week_year, int *week);
/* Monday of the given ISO week. */
ymd date_from_iso_week(int week_year, int week, int weekday);

/* Easter Sunday (Gregorian, anonymous algorithm). */
ymd date_easter(int y);
/* The n-th (1..5, or -1 for last) given ISO weekday of a month. */
ymd date_nth_weekday(int y, int m, int weekday, int n);

/*
 * Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS][.fff][Z|±HH:MM|±HHMM]" or "YYYY-MM-DD HH:MM..." into
 * parts.  has_time/has_offset say what was given; offset is in minutes east of UTC.
 */
typedef struct datetime {
    int y, m, d, hh, mm, ss;
    bool has_time;
    bool has_offset;
    int offset_min;
} datetime;
bool datetime_parse(const char *s, datetime *out);

/* Seconds since the epoch for a UTC date-time. */
int64_t datetime_to_epoch_utc(int y, int m, int d, int hh, int mm, int ss);
void datetime_from_epoch_utc(int64_t t, datetime *out);

/* How a zone's clocks show a wall-clock time: once, never (the hour skipped when they go
   forward) or twice (the hour repeated when they go back). */
typedef enum tz_wall { TZ_WALL_ONCE, TZ_WALL_SKIPPED, TZ_WALL_TWICE } tz_wall;

/*
 * UTC offset in minutes for a local wall-clock time in the IANA zone `tz` (e.g. "Europe/London";
 * NULL is UTC), and into *wall (may be NULL) how the zone's clocks show it.  For a time that
 * falls in a gap or overlap at a clock change, the offset in force before the change is used, as
 * RFC 5545 3.3.5 reads a DTSTART;TZID and tzdata readers do (Python's zoneinfo with fold=0): 01:30
 * on the March change in London is read as GMT (01:30Z, which London's clocks show as 02:30
 * BST), 01:30 on the October change as BST, the first of the two.  Returns false if the zone is
 * unknown.
 */
bool tz_local_offset(const char *tz, int y, int m, int d, int hh, int mm, int *offset_min, tz_wall *wall);
/* tz_local_offset() without *wall. */
bool tz_offset_for_local(const char *tz, int y, int m, int d, int hh, int mm, int *offset_min);
/* The instant (seconds since the epoch) a wall-clock time in zone tz names, read as
   tz_local_offset() reads it; false if the zone is unknown. */
bool tz_local_to_utc(const char *tz, int y, int m, int d, int hh, int mm, int64_t *t);
/* The wall-clock time zone tz shows at the instant t (seconds since the epoch), with its offset
   (has_offset set), into *out; false if the zone is unknown. */
bool tz_utc_to_local(const char *tz, int64_t t, datetime *out);
bool tz_known(const char *tz);
/* The machine's IANA zone from $TZ or /etc/localtime, or "UTC"; a static string. */
const char *tz_system_default(void);

#endif

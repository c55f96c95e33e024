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

/*
 * UTC offset in minutes for a local wall-clock time in the IANA zone `tz` (e.g. "Europe/London").
 * For a time that falls in a gap or overlap at a clock change, the offset in force before the
 * change is used (so 01:30 on the March change in London is read as GMT).  Returns false if the
 * zone is unknown.
 */
bool tz_offset_for_local(const char *tz, int y, int m, int d, int hh, int mm, int *offset_min);
bool tz_known(const char *tz);
/* The machine's IANA zone from $TZ or /etc/localtime, or "UTC"; a static string. */
const char *tz_system_default(void);

#endif

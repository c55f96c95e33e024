#include "date.h"

#include <libical/ical.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

/* Howard Hinnant's days_from_civil: exact for the proleptic Gregorian calendar. */
int64_t date_to_days(int y, int m, int d)
{
    int64_t yy = (int64_t)y - (m <= 2);
    int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
    int64_t yoe = yy - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

ymd date_from_days(int64_t z)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    ymd r = {(int)(y + (m <= 2)), (int)m, (int)d};
    return r;
}

bool date_is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int date_days_in_month(int y, int m)
{
    static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return m == 2 && date_is_leap(y) ? 29 : dim[m - 1];
}

bool date_valid(int y, int m, int d)
{
    return m >= 1 && m <= 12 && d >= 1 && d <= date_days_in_month(y, m);
}

int date_weekday_of_days(int64_t days)
{
    /* 1970-01-01 was a Thursday (4) */
    int64_t w = (days % 7 + 7 + 3) % 7; /* 0 = Monday */
    return (int)w + 1;
}

int date_weekday(int y, int m, int d)
{
    return date_weekday_of_days(date_to_days(y, m, d));
}

ymd date_add_days(ymd a, int64_t n)
{
    return date_from_days(date_to_days(a.y, a.m, a.d) + n);
}

ymd date_add_months(ymd a, int n)
{
    int64_t mi = (int64_t)a.y * 12 + (a.m - 1) + n;
    int y = (int)(mi >= 0 ? mi / 12 : (mi - 11) / 12);
    int m = (int)(mi - (int64_t)y * 12) + 1;
    int dim = date_days_in_month(y, m);
    ymd r = {y, m, a.d > dim ? dim : a.d};
    return r;
}

void date_iso_week(int y, int m, int d, int *week_year, int *week)
{
    int wd = date_weekday(y, m, d);
    /* the Thursday of this week decides the week-based year */
    ymd thu = date_add_days((ymd){y, m, d}, 4 - wd);
    int64_t jan1 = date_to_days(thu.y, 1, 1);
    int64_t t = date_to_days(thu.y, thu.m, thu.d);
    *week_year = thu.y;
    *week = (int)((t - jan1) / 7) + 1;
}

ymd date_from_iso_week(int week_year, int week, int weekday)
{
    /* 4 January is always in week 1 */
    int wd = date_weekday(week_year, 1, 4);
    ymd mon1 = date_add_days((ymd){week_year, 1, 4}, 1 - wd);
    return date_add_days(mon1, (int64_t)(week - 1) * 7 + (weekday - 1));
}

ymd date_easter(int y)
{
    int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4;
    int f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30;
    int i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
    int m = (a + 11 * h + 22 * l) / 451;
    int month = (h + l - 7 * m + 114) / 31;
    int day = ((h + l - 7 * m + 114) % 31) + 1;
    return (ymd){y, month, day};
}

ymd date_nth_weekday(int y, int m, int weekday, int n)
{
    if (n > 0) {
        int wd1 = date_weekday(y, m, 1);
        int d = 1 + (weekday - wd1 + 7) % 7 + (n - 1) * 7;
        if (d > date_days_in_month(y, m))
            d -= 7;
        return (ymd){y, m, d};
    }
    int last = date_days_in_month(y, m);
    int wdl = date_weekday(y, m, last);
    return (ymd){y, m, last - (wdl - weekday + 7) % 7};
}

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

bool datetime_parse(const char *s, datetime *out)
{
    memset(out, 0, sizeof *out);
    if (!s)
        return false;
    while (*s == ' ')
        s++;
    int y = digits(s, 4);
    /* calendars cannot hold years before the Gregorian reform nor past DATE_YEAR_MAX, so such
       a date is not one eventcal can use */
    if (y < 1583 || y > DATE_YEAR_MAX || s[4] != '-')
        return false;
    int m = digits(s + 5, 2);
    if (m < 0 || s[7] != '-')
        return false;
    int d = digits(s + 8, 2);
    if (d < 0 || !date_valid(y, m, d))
        return false;
    out->y = y;
    out->m = m;
    out->d = d;
    const char *p = s + 10;
    if (*p == 'T' || (*p == ' ' && p[1] >= '0' && p[1] <= '9')) {
        int hh = digits(p + 1, 2);
        if (hh < 0 || p[3] != ':')
            return false;
        int mm = digits(p + 4, 2);
        if (mm < 0 || hh > 23 || mm > 59)
            return false;
        out->hh = hh;
        out->mm = mm;
        out->has_time = true;
        p += 6;
        if (*p == ':') {
            int ss = digits(p + 1, 2);
            if (ss < 0 || ss > 60)
                return false;
            out->ss = ss > 59 ? 59 : ss;
            p += 3;
            if (*p == '.' || *p == ',') {
                p++;
                while (*p >= '0' && *p <= '9')
                    p++;
            }
        }
        if (*p == 'Z' || *p == 'z') {
            out->has_offset = true;
            out->offset_min = 0;
            p++;
        } else if (*p == '+' || *p == '-') {
            int sign = *p == '-' ? -1 : 1;
            int oh = digits(p + 1, 2);
            if (oh < 0)
                return false;
            int om = 0;
            if (p[3] == ':')
                om = digits(p + 4, 2), p += 6;
            else if (p[3] >= '0' && p[3] <= '9')
                om = digits(p + 3, 2), p += 5;
            else
                p += 3;
            if (om < 0 || oh > 14)
                return false;
            out->has_offset = true;
            out->offset_min = sign * (oh * 60 + om);
        }
    }
    while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
        p++;
    return *p == '\0';
}

int64_t datetime_to_epoch_utc(int y, int m, int d, int hh, int mm, int ss)
{
    return date_to_days(y, m, d) * 86400 + hh * 3600 + mm * 60 + ss;
}

void datetime_from_epoch_utc(int64_t t, datetime *out)
{
    memset(out, 0, sizeof *out);
    int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    int64_t rem = t - days * 86400;
    ymd a = date_from_days(days);
    out->y = a.y;
    out->m = a.m;
    out->d = a.d;
    out->hh = (int)(rem / 3600);
    out->mm = (int)(rem % 3600 / 60);
    out->ss = (int)(rem % 60);
    out->has_time = true;
    out->has_offset = true;
}

/* libical loads a built-in zone on its first use and its lookup reads the zone list without
   a lock, so two threads (-j N) may race there: every call into it goes through this lock. */
static pthread_mutex_t tz_lock = PTHREAD_MUTEX_INITIALIZER;

bool tz_known(const char *tz)
{
    if (!tz || !*tz)
        return false;
    if (strcmp(tz, "UTC") == 0)
        return true;
    pthread_mutex_lock(&tz_lock);
    bool known = icaltimezone_get_builtin_timezone(tz) != NULL;
    pthread_mutex_unlock(&tz_lock);
    return known;
}

enum { TZ_CYCLE_FROM = 2400 }; /* from here on, libical is asked about y - 400k (see tz_local_offset) */

/* The whole 400-year cycles, in seconds, taken off a time in year y before libical is asked
   about it: none before TZ_CYCLE_FROM. */
static int64_t cycle_seconds(int y)
{
    if (y < TZ_CYCLE_FROM)
        return 0;
    return ((int64_t)(y - TZ_CYCLE_FROM) / 400 + 1) * 146097 * 86400;
}

/* The offset in minutes in force in zone at the UTC instant t (tz_lock held, t already moved
   into libical's years).  Unlike a wall-clock time, an instant has exactly one. */
static int offset_at(icaltimezone *zone, int64_t t)
{
    datetime u;
    datetime_from_epoch_utc(t, &u);
    struct icaltimetype tt = icaltime_null_time();
    tt.year = u.y;
    tt.month = u.m;
    tt.day = u.d;
    tt.hour = u.hh;
    tt.minute = u.mm;
    tt.second = u.ss;
    int is_daylight = 0;
    return icaltimezone_get_utc_offset_of_utc_time(zone, &tt, &is_daylight) / 60;
}

static bool is_utc(const char *tz)
{
    return !tz || strcmp(tz, "UTC") == 0 || strcmp(tz, "Etc/UTC") == 0;
}

bool tz_local_offset(const char *tz, int y, int m, int d, int hh, int mm, int *offset_min, tz_wall *wall)
{
    if (wall)
        *wall = TZ_WALL_ONCE;
    if (is_utc(tz)) {
        *offset_min = 0;
        return true;
    }
    pthread_mutex_lock(&tz_lock);
    icaltimezone *zone = icaltimezone_get_builtin_timezone(tz);
    if (!zone) {
        pthread_mutex_unlock(&tz_lock);
        return false;
    }
    /* libical expands a zone's changes once up to the year asked (and keeps them), but past
       its limit (around 2580) it expands them all again on every call: 16 ms each, so an
       article whose dates run that far ("in 600 years") took seconds.  The Gregorian calendar
       repeats every 400 years to the weekday, and zone rules name weekdays ("the last Sunday
       of March"), so a later year's offset is the same day's 400 years earlier. */
    int64_t local = datetime_to_epoch_utc(y, m, d, hh, mm, 0) - cycle_seconds(y);
    /* libical's own reading of a wall-clock time (icaltimezone_get_utc_offset) puts one the
       clocks skip after the change and one they show twice in standard time, as ical.js
       does: not what RFC 5545 3.3.5 and tzdata readers (Python's zoneinfo, fold=0) say.  So
       the time is tried with the offsets in force a day before and a day after: an offset
       fits when the instant it gives has that offset.  Both fit in the hour the clocks go
       back (the first is the earlier instant), neither in the hour they skip (the offset
       before the change reads it: 02:30 in New York on the March change is 07:30Z). */
    int before = offset_at(zone, local - 86400), after = offset_at(zone, local + 86400);
    bool before_fits = offset_at(zone, local - (int64_t)before * 60) == before;
    bool after_fits = offset_at(zone, local - (int64_t)after * 60) == after;
    pthread_mutex_unlock(&tz_lock);
    *offset_min = before_fits || !after_fits ? before : after;
    if (wall && before != after && before_fits == after_fits)
        *wall = before_fits ? TZ_WALL_TWICE : TZ_WALL_SKIPPED;
    return true;
}

bool tz_offset_for_local(const char *tz, int y, int m, int d, int hh, int mm, int *offset_min)
{
    return tz_local_offset(tz, y, m, d, hh, mm, offset_min, NULL);
}

bool tz_local_to_utc(const char *tz, int y, int m, int d, int hh, int mm, int64_t *t)
{
    int off;
    if (!tz_local_offset(tz, y, m, d, hh, mm, &off, NULL))
        return false;
    *t = datetime_to_epoch_utc(y, m, d, hh, mm, 0) - (int64_t)off * 60;
    return true;
}

bool tz_utc_to_local(const char *tz, int64_t t, datetime *out)
{
    int off = 0;
    if (!is_utc(tz)) {
        pthread_mutex_lock(&tz_lock);
        icaltimezone *zone = icaltimezone_get_builtin_timezone(tz);
        if (zone) {
            datetime u;
            datetime_from_epoch_utc(t, &u);
            off = offset_at(zone, t - cycle_seconds(u.y));
        }
        pthread_mutex_unlock(&tz_lock);
        if (!zone)
            return false;
    }
    datetime_from_epoch_utc(t + (int64_t)off * 60, out);
    out->offset_min = off;
    return true;
}

const char *tz_system_default(void)
{
    static char name[128];
    const char *env = getenv("TZ");
    if (env && *env) {
        if (*env == ':')
            env++;
        if (tz_known(env)) {
            str_copy(name, sizeof name, env);
            return name;
        }
    }
    char link[512];
    ssize_t n = readlink("/etc/localtime", link, sizeof link - 1);
    if (n > 0) {
        link[n] = '\0';
        const char *p = strstr(link, "zoneinfo/");
        if (p && tz_known(p + 9)) {
            snprintf(name, sizeof name, "%s", p + 9);
            return name;
        }
    }
    FILE *f = fopen("/etc/timezone", "r");
    if (f) {
        if (fgets(name, sizeof name, f)) {
            name[strcspn(name, "\r\n ")] = '\0';
            fclose(f);
            if (tz_known(name))
                return name;
        } else {
            fclose(f);
        }
    }
    return "UTC";
}

#include <stdbool.h>

#include "date.h"
#include "test.h"

static void test_leap_and_month_ends(void)
{
    CHECK(date_is_leap(2024), "2024 is a leap year");
    CHECK(!date_is_leap(2023), "2023 is not a leap year");
    CHECK(!date_is_leap(1900), "1900 is not a leap year (century rule)");
    CHECK(date_is_leap(2000), "2000 is a leap year (400-year rule)");
    CHECK(date_days_in_month(2024, 2) == 29, "February 2024 has 29 days");
    CHECK(date_days_in_month(2023, 2) == 28, "February 2023 has 28 days");
    CHECK(date_days_in_month(2024, 4) == 30, "April has 30 days");
    CHECK(!date_valid(2023, 2, 29), "2023-02-29 does not exist");
    CHECK(!date_valid(2024, 2, 30), "February 30 does not exist");
    CHECK(!date_valid(2024, 13, 1), "month 13 does not exist");
}

static void test_days_round_trip(void)
{
    CHECK(date_to_days(1970, 1, 1) == 0, "the epoch is day 0");
    CHECK(date_to_days(2000, 3, 1) - date_to_days(2000, 2, 28) == 2, "leap day counted in 2000");
    bool ok = true;
    for (int64_t d = -800000; d < 800000; d += 997) {
        ymd a = date_from_days(d);
        if (date_to_days(a.y, a.m, a.d) != d || !date_valid(a.y, a.m, a.d))
            ok = false;
    }
    CHECK(ok, "days to date and back is the identity over 4000 years");
}

static void test_weekdays(void)
{
    CHECK(date_weekday(2024, 2, 24) == 6, "2024-02-24 is a Saturday");
    CHECK(date_weekday(2023, 11, 4) == 6, "2023-11-04 is a Saturday");
    CHECK(date_weekday(2018, 2, 24) == 6, "2018-02-24 is a Saturday");
    CHECK(date_weekday_of_days(0) == 4 && date_weekday_of_days(-1) == 3 && date_weekday_of_days(-4) == 7,
          "1970-01-01 is a Thursday, the day before a Wednesday, 1969-12-28 a Sunday");
    CHECK(date_weekday(2029, 2, 24) == 6, "2029-02-24 is a Saturday");
    CHECK(date_weekday(1970, 1, 1) == 4, "1970-01-01 was a Thursday");
    CHECK(date_weekday(1969, 12, 31) == 3, "the day before the epoch was a Wednesday");
}

static void test_arithmetic(void)
{
    ymd a = date_add_days((ymd){2023, 12, 30}, 3);
    CHECK(a.y == 2024 && a.m == 1 && a.d == 2, "adding days crosses the year end");
    a = date_add_months((ymd){2024, 1, 31}, 1);
    CHECK(a.m == 2 && a.d == 29, "Jan 31 + 1 month clamps to Feb 29 in a leap year");
    a = date_add_months((ymd){2023, 1, 31}, 1);
    CHECK(a.m == 2 && a.d == 28, "Jan 31 + 1 month clamps to Feb 28");
    a = date_add_months((ymd){2024, 1, 15}, -1);
    CHECK(a.y == 2023 && a.m == 12, "minus one month crosses the year start");
    int wy, w;
    date_iso_week(2024, 2, 24, &wy, &w);
    CHECK(wy == 2024 && w == 8, "2024-02-24 is in ISO week 8");
    date_iso_week(2021, 1, 1, &wy, &w);
    CHECK(wy == 2020 && w == 53, "2021-01-01 belongs to week 53 of 2020");
    a = date_from_iso_week(2020, 53, 5);
    CHECK(a.y == 2021 && a.m == 1 && a.d == 1, "Friday of 2020-W53 is 2021-01-01");
    a = date_easter(2024);
    CHECK(a.m == 3 && a.d == 31, "Easter 2024 is March 31");
    a = date_easter(2019);
    CHECK(a.m == 4 && a.d == 21, "Easter 2019 is April 21");
    a = date_nth_weekday(2023, 11, 4, 4);
    CHECK(a.d == 23, "Thanksgiving 2023 is November 23");
    a = date_nth_weekday(2024, 5, 1, -1);
    CHECK(a.d == 27, "the last Monday of May 2024 is the 27th");
}

static void test_parse(void)
{
    datetime dt;
    CHECK(datetime_parse("2024-02-24", &dt) && !dt.has_time, "a plain date parses");
    CHECK(datetime_parse("2024-02-24T13:00", &dt) && dt.hh == 13 && !dt.has_offset, "a local date-time parses");
    CHECK(datetime_parse("2024-02-24T13:00:05+01:00", &dt) && dt.offset_min == 60, "an offset parses");
    CHECK(datetime_parse("2024-02-24 13:00:05.123Z", &dt) && dt.has_offset && dt.offset_min == 0, "fractions and Z parse");
    CHECK(!datetime_parse("2024-02-30", &dt), "an impossible date is refused");
    CHECK(!datetime_parse("2024-02-24T25:00", &dt), "hour 25 is refused");
    CHECK(!datetime_parse("24/02/2024", &dt), "only ISO forms are accepted");
    CHECK(!datetime_parse("2024-02-24junk", &dt), "trailing junk is refused");
}

static void test_zones(void)
{
    int off = 99;
    CHECK(tz_offset_for_local("Europe/London", 2024, 1, 15, 12, 0, &off) && off == 0, "London is on GMT in January");
    CHECK(tz_offset_for_local("Europe/London", 2024, 7, 15, 12, 0, &off) && off == 60, "London is on BST in July");
    CHECK(tz_offset_for_local("Europe/London", 2024, 3, 31, 0, 30, &off) && off == 0,
          "before the March change (01:00 GMT on 2024-03-31) London is on GMT");
    CHECK(tz_offset_for_local("Europe/London", 2024, 3, 31, 3, 0, &off) && off == 60,
          "after the March change London is on BST");
    CHECK(tz_offset_for_local("Europe/London", 2024, 10, 27, 3, 0, &off) && off == 0,
          "after the October change London is back on GMT");
    CHECK(tz_offset_for_local("America/New_York", 2024, 7, 4, 12, 0, &off) && off == -240, "New York is on EDT in July");
    CHECK(!tz_offset_for_local("Mars/Olympus", 2024, 1, 1, 0, 0, &off), "an unknown zone is refused");
    /* far years are asked of libical 400 years earlier (it re-expands a zone on every call past
       about 2580): the same answers, the clock changes on the same days */
    CHECK(tz_offset_for_local("Europe/London", 2601, 1, 15, 12, 0, &off) && off == 0, "GMT in January 2601");
    CHECK(tz_offset_for_local("Europe/London", 2601, 7, 15, 12, 0, &off) && off == 60, "BST in July 2601");
    /* ... and libical's own answer past that limit is wrong (no summer time at all): the
       clocks change on the last Sundays of March and October as they do now */
    for (int y = 2581; y <= 2999; y += 139) {
        int mar = 31, oct = 31;
        while (date_weekday(y, 3, mar) != 7)
            mar--;
        while (date_weekday(y, 10, oct) != 7)
            oct--;
        CHECK(tz_offset_for_local("Europe/London", y, 3, mar - 1, 12, 0, &off) && off == 0, "GMT the day before");
        CHECK(tz_offset_for_local("Europe/London", y, 3, mar, 12, 0, &off) && off == 60, "BST from the last Sunday in March");
        CHECK(tz_offset_for_local("Europe/London", y, 10, oct - 1, 12, 0, &off) && off == 60, "BST the day before");
        CHECK(tz_offset_for_local("Europe/London", y, 10, oct, 12, 0, &off) && off == 0, "GMT from the last Sunday in October");
    }
    CHECK(tz_offset_for_local("Europe/London", 2800, 2, 29, 12, 0, &off) && off == 0, "a leap day in a far year");
    CHECK(tz_known("Europe/London") && !tz_known("Europe/Nowhere"), "tz_known tells zones apart");
}

/* RFC 5545 3.3.5 and tzdata readers (Python's zoneinfo, fold=0): a time the clocks skip is read
   with the offset before the change, a time they show twice is the first of the two. */
static void test_clock_changes(void)
{
    int off = 99;
    tz_wall wall = TZ_WALL_ONCE;
    CHECK(tz_local_offset("Europe/London", 2024, 3, 31, 1, 30, &off, &wall) && off == 0 && wall == TZ_WALL_SKIPPED,
          "01:30 on the March change in London is skipped, and read as GMT");
    CHECK(tz_local_offset("Europe/London", 2024, 10, 27, 1, 30, &off, &wall) && off == 60 && wall == TZ_WALL_TWICE,
          "01:30 on the October change in London is shown twice, and read as BST, the first");
    CHECK(tz_local_offset("America/New_York", 2024, 3, 10, 2, 30, &off, &wall) && off == -300 &&
              wall == TZ_WALL_SKIPPED,
          "02:30 on the March change in New York is skipped, and read as EST");
    CHECK(tz_local_offset("America/New_York", 2024, 11, 3, 1, 30, &off, &wall) && off == -240 &&
              wall == TZ_WALL_TWICE,
          "01:30 on the November change in New York is read as EDT, the first");
    CHECK(tz_local_offset("Australia/Sydney", 2024, 4, 7, 2, 30, &off, &wall) && off == 660 && wall == TZ_WALL_TWICE,
          "02:30 on the April change in Sydney is read as AEDT, the first");
    CHECK(tz_local_offset("Australia/Sydney", 2024, 10, 6, 2, 30, &off, &wall) && off == 600 &&
              wall == TZ_WALL_SKIPPED,
          "02:30 on the October change in Sydney is skipped, and read as AEST");
    /* the edges: the hour before a change and the first minute after it are shown once */
    CHECK(tz_local_offset("Europe/London", 2024, 3, 31, 0, 59, &off, &wall) && off == 0 && wall == TZ_WALL_ONCE,
          "00:59 before the March change is GMT, once");
    CHECK(tz_local_offset("Europe/London", 2024, 3, 31, 2, 0, &off, &wall) && off == 60 && wall == TZ_WALL_ONCE,
          "02:00 after the March change is BST, once");
    CHECK(tz_local_offset("Europe/London", 2024, 10, 27, 0, 59, &off, &wall) && off == 60 && wall == TZ_WALL_ONCE,
          "00:59 before the October change is BST, once");
    CHECK(tz_local_offset("Europe/London", 2024, 10, 27, 1, 0, &off, &wall) && off == 60 && wall == TZ_WALL_TWICE,
          "01:00 on the October change is the first of two");
    CHECK(tz_local_offset("Europe/London", 2024, 10, 27, 2, 0, &off, &wall) && off == 0 && wall == TZ_WALL_ONCE,
          "02:00 after the October change is GMT, once");
    CHECK(tz_local_offset("UTC", 2024, 10, 27, 1, 30, &off, &wall) && off == 0 && wall == TZ_WALL_ONCE,
          "UTC has no clock changes");
    CHECK(tz_local_offset("Europe/London", 2601, 10, 25, 1, 30, &off, &wall) && off == 60 && wall == TZ_WALL_TWICE,
          "a far year's October change repeats the hour too");
    CHECK(tz_offset_for_local("Europe/London", 2024, 10, 27, 1, 30, &off) && off == 60,
          "tz_offset_for_local reads the repeated hour as tz_local_offset does");

    int64_t t = 0;
    CHECK(tz_local_to_utc("Europe/London", 2024, 3, 31, 1, 30, &t) &&
              t == datetime_to_epoch_utc(2024, 3, 31, 1, 30, 0),
          "01:30 on the March change in London is 01:30Z");
    CHECK(tz_local_to_utc("America/New_York", 2024, 11, 3, 1, 30, &t) &&
              t == datetime_to_epoch_utc(2024, 11, 3, 5, 30, 0),
          "01:30 on the November change in New York is 05:30Z");
    CHECK(!tz_local_to_utc("Mars/Olympus", 2024, 1, 1, 0, 0, &t), "an unknown zone has no instants");

    datetime dt;
    CHECK(tz_utc_to_local("Europe/London", datetime_to_epoch_utc(2024, 3, 31, 1, 30, 0), &dt) && dt.hh == 2 &&
              dt.mm == 30 && dt.d == 31 && dt.offset_min == 60 && dt.has_offset,
          "London's clocks show 02:30 BST at 01:30Z on the March change");
    CHECK(tz_utc_to_local("Europe/London", datetime_to_epoch_utc(2024, 10, 27, 0, 30, 0), &dt) && dt.hh == 1 &&
              dt.offset_min == 60,
          "and 01:30 BST at 00:30Z on the October change");
    CHECK(tz_utc_to_local("Europe/London", datetime_to_epoch_utc(2024, 10, 27, 1, 30, 0), &dt) && dt.hh == 1 &&
              dt.offset_min == 0,
          "and 01:30 GMT an hour later");
    CHECK(tz_utc_to_local("America/New_York", datetime_to_epoch_utc(2024, 3, 5, 2, 0, 0), &dt) && dt.d == 4 &&
              dt.hh == 21 && dt.offset_min == -300,
          "02:00Z on 5 March is 21:00 on the 4th in New York");
    CHECK(tz_utc_to_local("Australia/Sydney", datetime_to_epoch_utc(2024, 3, 4, 22, 0, 0), &dt) && dt.d == 5 &&
              dt.hh == 9 && dt.offset_min == 660,
          "22:00Z on 4 March is 09:00 on the 5th in Sydney");
    CHECK(tz_utc_to_local("Europe/London", datetime_to_epoch_utc(2601, 7, 15, 12, 0, 0), &dt) && dt.y == 2601 &&
              dt.hh == 13 && dt.offset_min == 60,
          "a far year's summer is BST");
    CHECK(tz_utc_to_local(NULL, 0, &dt) && dt.y == 1970 && dt.offset_min == 0, "no zone is UTC");
    CHECK(!tz_utc_to_local("Mars/Olympus", 0, &dt), "an unknown zone has no wall-clock times");
}

int main(void)
{
    test_leap_and_month_ends();
    test_days_round_trip();
    test_weekdays();
    test_arithmetic();
    test_parse();
    test_zones();
    test_clock_changes();
    return test_report();
}

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

int main(void)
{
    test_leap_and_month_ends();
    test_days_round_trip();
    test_weekdays();
    test_arithmetic();
    test_parse();
    test_zones();
    return test_report();
}

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "pipeline.h"
#include "test.h"

static rules *R;

/* Runs the pipeline on `text` published at `ref`; returns the value of the first timex. */
static const char *first_value(const char *text, const char *ref, bool day_first, char *buf, size_t size)
{
    pipeline_opts o = {.timezone = "Europe/London", .day_first = day_first, .all_timex = true};
    pipeline *p = pipeline_new(R, &o);
    article a = {0};
    a.text = (char *)text;
    a.len = strlen(text);
    a.published = (char *)ref;
    pipeline_result res;
    pipeline_run(p, &a, &res);
    snprintf(buf, size, "%s", res.ntimex ? res.timex[0].value : "none");
    free(a.sentences);
    pipeline_free(p);
    return buf;
}

#define VALUE(text, ref, want) CHECK_STR(first_value(text, ref, true, buf, sizeof buf), want, text " @" ref)

static void test_year_inference(void)
{
    char buf[64];
    /* a stated weekday narrows the year: Saturday 24 February is 2018, 2024 or 2029 */
    VALUE("A march on Saturday February 24.", "2024-02-21", "2024-02-24");
    VALUE("A march on Saturday February 24.", "2018-01-10", "2018-02-24");
    VALUE("A march on Saturday February 24.", "2028-12-01", "2029-02-24");
    /* across the year end: the nearest date, pushed by tense */
    VALUE("The vigil will be held on January 3.", "2023-12-28", "2024-01-03");
    VALUE("They met on December 30.", "2024-01-02", "2023-12-30");
    VALUE("The rally will take place on December 30.", "2024-01-02", "2024-12-30");
    VALUE("In November two grandmothers held a vigil.", "2024-02-21", "2023-11");
    VALUE("A festival is planned for November.", "2024-02-21", "2024-11");
}

static void test_relative(void)
{
    char buf[64];
    VALUE("The protest is tomorrow.", "2023-12-31", "2024-01-01");
    VALUE("It happened yesterday.", "2024-03-01", "2024-02-29");
    VALUE("A march will take place on Saturday.", "2024-02-21", "2024-02-24");
    VALUE("Thousands marched on Saturday.", "2024-02-21", "2024-02-17");
    VALUE("next Saturday", "2023-12-29", "2023-12-30");
    VALUE("last Friday", "2024-01-01", "2023-12-29");
    VALUE("next week", "2023-12-28", "2024-W01");
    VALUE("two days ago", "2024-03-01", "2024-02-28");
    VALUE("in two weeks", "2024-12-25", "2025-01-08");
    VALUE("a week on Friday", "2024-02-21", "2024-03-01");
}

static void test_numeric_order(void)
{
    char buf[64];
    CHECK_STR(first_value("on 04/03/2024", "2024-01-01", true, buf, sizeof buf), "2024-03-04", "day first for en-GB");
    CHECK_STR(first_value("on 04/03/2024", "2024-01-01", false, buf, sizeof buf), "2024-04-03", "month first for en-US");
    CHECK_STR(first_value("on 24/02/2024", "2024-01-01", false, buf, sizeof buf), "2024-02-24",
              "a first number over 12 can only be the day");
    CHECK_STR(first_value("The vote is on 04/03/2024; the count ends 12/25/2024.", "2024-01-01", true, buf, sizeof buf),
              "2024-04-03", "a month-first date elsewhere in the document decides");
    CHECK_STR(first_value("The vote is on 04/03/2024; the count ends 25/12/2024.", "2024-01-01", false, buf, sizeof buf),
              "2024-03-04", "a day-first date elsewhere in the document decides");
}

static void test_times(void)
{
    char buf[64];
    VALUE("starting at 1pm", "2024-02-24", "2024-02-24T13:00");
    VALUE("at 1.30pm", "2024-02-24", "2024-02-24T13:30");
    VALUE("at 13:00", "2024-02-24", "2024-02-24T13:00");
    VALUE("from noon", "2024-02-24", "2024-02-24T12:00");
    VALUE("at 12am", "2024-02-24", "2024-02-24T00:00");
    VALUE("at 12pm", "2024-02-24", "2024-02-24T12:00");
    VALUE("Doors open at 6.30.", "2024-02-24", "2024-02-24T18:30");
    VALUE("On Saturday March 2 the march starts at 11am.", "2024-02-24", "2024-03-02");
}

static void test_negatives(void)
{
    char buf[64];
    VALUE("With 28,000 people now dead, 11,500 children", "2024-02-21", "PRESENT_REF");
    VALUE("the 1-0 win", "2024-02-21", "none");
    VALUE("Section 24 applies", "2024-02-21", "none");
    VALUE("February 30", "2024-02-21", "none");
    VALUE("at 25pm", "2024-02-21", "none");
    VALUE("it may rain", "2024-02-21", "none");
    VALUE("prices have fallen sharply", "2024-02-21", "none");
    VALUE("expansion into Eastern Europe", "2024-02-21", "none");
    VALUE("the blasts killed 12 Americans", "2024-02-21", "none");
}

static void test_tense(void)
{
    char buf[64];
    /* the verb nearest the date decides, the one before it first */
    VALUE("The minister said Friday that talks had failed.", "1998-08-08", "1998-08-07");
    VALUE("The minister will meet them on Friday.", "1998-08-08", "1998-08-14");
    VALUE("Protesters planned a march on Saturday and were hopeful.", "2000-01-07", "2000-01-08");
    /* a tense weighs against the other side of the reference without ruling it out */
    VALUE("The offer was extended to Nov. 21.", "1989-11-02", "1989-11-21");
    VALUE("Sales fell in March.", "1989-10-30", "1989-03");
    /* at the year end: a past December said in January is last year's */
    VALUE("The company reported the loss in December.", "2024-01-10", "2023-12");
    VALUE("The vote will be held on December 30.", "2024-01-02", "2024-12-30");
}

static void test_anchors(void)
{
    char buf[64];
    /* "the quarter" is the last quarter stated, or the last one before the reference */
    VALUE("Earnings for the quarter rose.", "1989-11-02", "1989-Q3");
    VALUE("Earnings for the quarter rose.", "2024-01-15", "2023-Q4");
    VALUE("last May", "1998-02-27", "1997-05");
    VALUE("this September", "1998-02-05", "1998-09");
    VALUE("in January this year", "1998-02-19", "1998-01");
    VALUE("Talks resumed over the weekend.", "1990-08-13", "1990-W32-WE");
    VALUE("the past year", "1989-10-30", "1988");
}

static void test_joined(void)
{
    char buf[64];
    VALUE("at 10 p.m. Wednesday", "1998-02-13", "1998-02-11T22:00");
    VALUE("by noon Thursday", "1998-02-13", "1998-02-12T12:00");
    VALUE("The offer expires at 5 p.m. EST, Nov. 9.", "1989-11-02", "1989-11-09T17:00");
    VALUE("The vote is on 12 July at 19:00.", "2024-02-21", "2024-07-12T19:00");
    VALUE("Polls are open 9am to 5pm, Tuesday 20 May 2025.", "2025-05-01", "2025-05-20T09:00");
    VALUE("The festival runs 22-23 Feb at 7pm.", "2024-02-01", "2024-02-22T19:00");
}

static void test_points_in_minutes(void)
{
    char buf[64];
    VALUE("The doors open in 5 minutes.", "2024-02-21T12:14", "2024-02-21T12:19");
    VALUE("It began 90 minutes ago.", "2024-02-21T00:30", "2024-02-20T23:00");
    VALUE("12 seconds ago", "2024-02-21T12:14", "2024-02-21T12:13:48");
    VALUE("in 12 hours", "2024-12-31T18:00", "2025-01-01T06:00");
}

static void test_tense_clues(void)
{
    char buf[64];
    /* 2000-01-07 is a Friday */
    VALUE("They hope to overturn Wednesday's ruling.", "2000-01-07", "2000-01-05");
    VALUE("``He will leave at dawn Thursday,'' Castro said.", "2000-04-05", "2000-04-06");
    VALUE("Trading will resume soon, perhaps Tuesday.", "1989-10-27", "1989-10-31");
    VALUE("last spring", "1989-10-30", "1989-SP");
}

static void test_spelled_years(void)
{
    char buf[64];
    VALUE("It was built in nineteen ninety-six.", "1998-01-01", "1996");
    VALUE("by the year two thousand", "1998-01-01", "2000");
    VALUE("in the nineties", "1998-01-01", "199");
    VALUE("the 20th century", "1998-01-01", "19");
}

int main(void)
{
    ec_error err;
    ec_error_clear(&err);
    R = rules_load(EVENTCAL_SOURCE_RULES_DIR, &err);
    if (!R) {
        fprintf(stderr, "cannot load rules: %s\n", err.text);
        return 1;
    }
    test_year_inference();
    test_relative();
    test_numeric_order();
    test_times();
    test_negatives();
    test_tense();
    test_anchors();
    test_joined();
    test_points_in_minutes();
    test_spelled_years();
    test_tense_clues();
    rules_free(R);
    return test_report();
}

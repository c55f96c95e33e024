#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "pipeline.h"
#include "test.h"

static rules *R;

/* A pipeline with options o, run on `text` published at `ref` into *res; *a is the article it
   read (the caller frees a->sentences and the pipeline). */
static pipeline *run_on(const pipeline_opts *o, const char *text, const char *ref, article *a, pipeline_result *res)
{
    pipeline *p = pipeline_new(R, o);
    *a = (article){0};
    a->text = (char *)text;
    a->len = strlen(text);
    a->published = (char *)ref;
    pipeline_run(p, a, res);
    return p;
}

/*
 * Runs the pipeline on `text` published at `ref` and writes into buf the value of its first
 * timex (or its last), as TIMEX3 or as the instant meant; "none" when it has none.
 */
static const char *timex_value(const char *text, const char *ref, bool day_first, bool last, tx_style style, char *buf,
                               size_t size)
{
    pipeline_opts o = {.timezone = "Europe/London", .day_first = day_first, .all_timex = true,
                       .date_order_forced = true};
    article a;
    pipeline_result res;
    pipeline *p = run_on(&o, text, ref, &a, &res);
    if (res.ntimex)
        timex_value_styled(&res.timex[last ? res.ntimex - 1 : 0], style, buf, size);
    else
        snprintf(buf, size, "none");
    free(a.sentences);
    pipeline_free(p);
    return buf;
}

static const char *first_value(const char *text, const char *ref, bool day_first, char *buf, size_t size)
{
    return timex_value(text, ref, day_first, false, TX_STYLE_TIMEML, buf, size);
}

static const char *first_instant(const char *text, const char *ref, char *buf, size_t size)
{
    return timex_value(text, ref, true, false, TX_STYLE_INSTANT, buf, size);
}

static const char *last_value(const char *text, const char *ref, char *buf, size_t size)
{
    return timex_value(text, ref, true, true, TX_STYLE_TIMEML, buf, size);
}

#define LAST(text, ref, want) CHECK_STR(last_value(text, ref, buf, sizeof buf), want, text " @" ref " (last)")
#define VALUE(text, ref, want) CHECK_STR(first_value(text, ref, true, buf, sizeof buf), want, text " @" ref)
#define INSTANT(text, ref, want) CHECK_STR(first_instant(text, ref, buf, sizeof buf), want, text " @" ref " (instant)")

/* The rule the first SET of `text` repeats on: *days its weekdays' bits (0 none), and whether
   it is said of an event's days daily; false when the text has no SET. */
static bool first_set(const char *text, unsigned *days, bool *daily)
{
    pipeline_opts o = {.timezone = "Europe/London", .all_timex = true};
    article a;
    pipeline_result res;
    pipeline *p = run_on(&o, text, "2024-05-20", &a, &res);
    bool found = false;
    for (size_t i = 0; i < res.ntimex && !found; i++) {
        if (res.timex[i].type != TX_SET)
            continue;
        found = true;
        *days = res.timex[i].set_days;
        *daily = res.timex[i].set_daily;
    }
    free(a.sentences);
    pipeline_free(p);
    return found;
}

/* Several weekdays are one rule; "daily" and "every day" are an event's days only as adverbs. */
static void test_set_rules(void)
{
    unsigned days;
    bool daily;
    CHECK(first_set("The market is held every Saturday and Sunday.", &days, &daily) && days == (3u << 5),
          "every Saturday and Sunday: both days");
    CHECK(first_set("Classes run on Tuesdays and Thursdays.", &days, &daily) && days == ((1u << 1) | (1u << 3)),
          "on Tuesdays and Thursdays");
    CHECK(first_set("It meets every Monday, Wednesday, and Friday evening.", &days, &daily) && days == 21u,
          "every Monday, Wednesday, and Friday evening");
    CHECK(first_set("The festival runs daily from 1 to 7 July.", &days, &daily) && daily && !days,
          "daily from 1 to 7 July: a daily rule");
    CHECK(first_set("Pickets stand every day until Sunday.", &days, &daily) && daily, "every day until Sunday");
    CHECK(first_set("It is reported in a daily newspaper.", &days, &daily) && !daily, "not a daily newspaper");
    CHECK(first_set("Daily life has changed.", &days, &daily) && !daily, "nor daily life");
    CHECK(first_set("He told the daily.", &days, &daily) && !daily, "nor the daily");
    CHECK(first_set("The council met every day this week.", &days, &daily) && !daily, "nor every day this week");
}

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
    /* a day told in the present is the coming one, as a timetable tells it; not in the past */
    VALUE("The general election is Nov. 5.", "2024-03-01", "2024-11-05");
    VALUE("The festival was Oct. 12.", "2024-03-01", "2023-10-12");
    VALUE("The protest is tomorrow.", "2023-12-31", "2024-01-01");
    VALUE("It happened yesterday.", "2024-03-01", "2024-02-29");
    VALUE("A march will take place on Saturday.", "2024-02-21", "2024-02-24");
    VALUE("Thousands marched on Saturday.", "2024-02-21", "2024-02-17");
    /* a length counted from a day is one date, unless it is how long something lasts from then */
    VALUE("The results are due two days from Friday.", "2024-02-21", "2024-02-25");
    VALUE("Doctors will strike for five days from 7am on June 27.", "2024-05-30", "P5D");
    VALUE("The count ends five days from 7am on June 27.", "2024-05-30", "P5D");
    /* "rally" ends in -ly but is no adverb: "peaked" stays a past verb */
    VALUE("The rally peaked on Friday.", "2024-02-21", "2024-02-16");
    VALUE("The hastily planned rally is on Friday.", "2024-02-21", "2024-02-23");
    /* "next Saturday" is next week's (Monday to Sunday); "this Saturday" the coming one */
    VALUE("next Saturday", "2023-12-29", "2024-01-06");
    VALUE("next Wednesday", "2022-08-02", "2022-08-10");
    VALUE("next Monday", "2024-02-25", "2024-02-26");
    VALUE("this Saturday", "2023-12-29", "2023-12-30");
    VALUE("this coming Saturday", "2024-02-21", "2024-02-24");
    VALUE("last Friday", "2024-01-01", "2023-12-29");
    VALUE("next week", "2023-12-28", "2024-W01");
    VALUE("two days ago", "2024-03-01", "2024-02-28");
    VALUE("in two weeks", "2024-12-25", "2025-01-08");
    VALUE("a week on Friday", "2024-02-21", "2024-03-01");
    /* a weekday's possessive before an event: the verbs place it ("Thursday's closing price" is
       past whatever they say); what is called off now is still to come, not what it is called
       off for */
    VALUE("Police are preparing for Saturday's protest.", "2024-03-01", "2024-03-02");
    VALUE("Thousands joined Saturday's march.", "2024-03-04", "2024-03-02");
    VALUE("Shares are up from Thursday's closing price.", "2024-03-01", "2024-02-29");
    VALUE("Organisers have cancelled Saturday's march.", "2024-03-01", "2024-03-02");
    VALUE("Tuesday's council meeting has been called off.", "2024-03-01", "2024-03-05");
    VALUE("Saturday's march was cancelled.", "2024-03-04", "2024-03-02");
    VALUE("The festival has been cancelled after Monday's clashes.", "2024-03-06", "2024-03-04");
    VALUE("The rally has been cancelled because of clashes on Monday.", "2024-03-06", "2024-03-04");
    VALUE("will strike on Friday next week", "2024-03-01", "2024-03-08");
    /* "last" is past as an adjective ("at its last meeting"), not as a verb after "will" or "to" */
    VALUE("The strike will last from Tuesday until Thursday.", "2024-03-01", "2024-03-05");
    VALUE("The walkout is expected to last all day on Tuesday.", "2024-03-01", "2024-03-05");
    VALUE("At its last meeting on Tuesday the council agreed the budget.", "2024-03-01", "2024-02-27");
    VALUE("From Monday afternoon to last night the roads were shut.", "2017-07-07", "2017-07-03TAF");
    /* what is put off is ahead; the day it was put off on is past */
    VALUE("The hearing was adjourned until Tuesday.", "2024-03-01", "2024-03-05");
    VALUE("The inquest was opened and adjourned on Tuesday.", "2024-03-01", "2024-02-27");
    VALUE("The vote was postponed on Monday until next week.", "2024-03-01", "2024-02-26");
    /* what is announced in the present or the perfect is to come, as what is called off */
    VALUE("Tuesday's residents' meeting at the monastery has been called off.", "2024-05-18", "2024-05-21");
    VALUE("Unions have called a strike on Monday.", "2024-03-01", "2024-03-04");
    VALUE("The RMT has announced two walkouts on Saturday.", "2024-03-01", "2024-03-02");
    VALUE("A march has been organised for Saturday.", "2024-03-01", "2024-03-02");
    VALUE("Unions called a strike on Monday.", "2024-03-01", "2024-02-26");
    VALUE("The union has announced on Tuesday that it will strike.", "2024-03-06", "2024-03-05");
    VALUE("Police have arrested a protester at the march on Saturday.", "2024-03-04", "2024-03-02");
    /* not where the sentence tells a past after the verb, nor in a reported clause */
    VALUE("Police have confirmed that a protest took place on Saturday.", "2024-03-01", "2024-02-24");
    /* an attribution that closes the sentence says when it was said, not when the event is */
    VALUE("The candidates will debate in Ames on Tuesday, the network said.", "2024-03-01", "2024-03-05");
    VALUE("The march took place on Saturday, police said.", "2024-03-04", "2024-03-02");
    VALUE("In September, it announced plans to sell the unit.", "1990-03-01", "1989-09");
    /* a timetable's present looks ahead */
    VALUE("The school board meets Thursday.", "2024-03-01", "2024-03-07");
    VALUE("The festival opens Saturday.", "2024-03-04", "2024-03-09");
    VALUE("The school board met Thursday.", "2024-03-01", "2024-02-29");
    /* a past that tells what happened puts a date without a year behind; a plan told in the
       past does not */
    VALUE("They marched on 3 May.", "2024-03-01", "2023-05-03");
    VALUE("A rally was held in Cardiff on 15 January.", "2024-12-30", "2024-01-15");
    VALUE("In January, junior doctors held their first strike.", "2024-12-30", "2024-01");
    VALUE("The vote was set for Nov. 21.", "2024-11-02", "2024-11-21");
    VALUE("The march was planned for 3 May.", "2024-03-01", "2024-05-03");
    VALUE("The festival started on 3 March this year.", "2024-03-01", "2024-03-03");
    VALUE("Two strikes are to be held on 14 March.", "2024-03-01", "2024-03-14");
    /* a weekday with a bare ordinal names the month where they agree */
    VALUE("Jumble sale, Scout Hut, Saturday 2nd.", "2024-10-18", "2024-11-02");
    VALUE("Sat 9th: Craft fair, Scout Hut.", "2024-03-01", "2024-03-09");
    /* "plans" a noun tells no future */
    VALUE("Parents held a protest outside County Hall on Thursday against plans to close the school.", "2024-09-21",
          "2024-09-19");
    /* a participle after "being", and "followed by", tell no past */
    VALUE("The protest is being held outside the Dail on Thursday.", "2024-03-01", "2024-03-07");
    VALUE("Teachers will meet on Tuesday morning, followed by a march.", "2024-03-01", "2024-03-05TMO");
    VALUE("Police have confirmed the march on Saturday passed off peacefully.", "2024-03-01", "2024-02-24");
    VALUE("The protest, which has been called a success, was held on Saturday.", "2024-03-01", "2024-02-24");
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
    /* the document is read sixteen bytes at a time (eight without SSE2) up to its digits: the
       deciding date at every place in a block of sixteen, after letters and after a non-ASCII
       character */
    bool all = true;
    for (int pad = 0; pad < 40 && all; pad++) {
        char text[160];
        snprintf(text, sizeof text, "The vote is on 04/03/2024; caf\xc3\xa9 %.*s ends 25/12/2024.", pad,
                 "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz");
        all = strcmp(first_value(text, "2024-01-01", false, buf, sizeof buf), "2024-03-04") == 0;
    }
    CHECK(all, "the deciding date is found wherever it sits");
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
    /* a month before a noun names a month ("the October vote"); March and May stay words */
    VALUE("Turnout in the October vote was low.", "2024-02-21", "2023-10");
    VALUE("The May government fell.", "2024-02-21", "none");
    VALUE("The March organisers were pleased.", "2024-02-21", "none");
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
    /* after "in", a past verb puts a month two ahead in the past year; "by" does not */
    VALUE("The charity changed its accounting dates in December.", "1989-10-27", "1988-12");
    VALUE("The talks were meant to end by December.", "1989-10-27", "1989-12");
    /* a date that ends a stretch ("through", "until") may lie ahead of a past-tense verb */
    VALUE("The lenders extended the credit line through January.", "1989-10-30", "1990-01");
    VALUE("The board pushed its deadline back until 9 a.m. Tuesday.", "2000-04-03", "2000-04-04T09:00");
    VALUE("The board met at 9 a.m. Tuesday.", "2000-04-03", "2000-03-28T09:00");
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
    /* "the latest quarter" has ended, whatever quarter was foreseen before it */
    LAST("The storm will cost $9 million in the fourth quarter. Sales fell in the latest quarter.", "1989-11-02",
         "1989-Q3");
    /* "to" or "from" after "the quarter" joins it to a period only when a date follows */
    VALUE("Borrowing shrank in the latest quarter, the lender said.", "1989-11-02", "1989-Q3");
    VALUE("The firm sees costs in the quarter to rise.", "1989-11-02", "1989-Q3");
    VALUE("The club warns of a deficit in the current fiscal year that closes in June.", "1989-11-02", "1989");
    VALUE("last May", "1998-02-27", "1997-05");
    /* "last" or "next" with a month and its day: the latest such day before, the first after */
    VALUE("The clinic was attacked last Oct. 23.", "1999-04-19", "1998-10-23");
    VALUE("The clinic was attacked last April 2.", "1999-04-19", "1999-04-02");
    VALUE("The count is due next Jan. 9.", "1999-04-19", "2000-01-09");
    VALUE("this September", "1998-02-05", "1998-09");
    VALUE("in January this year", "1998-02-19", "1998-01");
    VALUE("Talks resumed over the weekend.", "1990-08-13", "1990-W32-WE");
    /* "the week of" a day is that day's week */
    VALUE("The trial opens the week of May 15.", "2000-04-20", "2000-W20");
    INSTANT("The trial opens the week of May 17.", "2000-04-20", "2000-05-15");
    VALUE("the past year", "1989-10-30", "1988");
    /* "a year earlier" compares what was named last: a quarter, or a run of months */
    LAST("Profit in the third quarter rose from $5 million a year earlier.", "1989-10-26", "1988-Q3");
    LAST("In the third quarter profit rose; for the nine months it rose 10% from a year earlier.", "1989-10-26", "1988");
    /* a quarter still to come is no quarter reported: "a year ago" stays with the third */
    LAST("Third-quarter sales rose. A fourth-quarter charge is likely. Costs fell from a year ago.", "1989-11-02",
         "1988-Q3");
    /* "the 1988 period" after "the nine months" is those months, and the year-ago results
       after it are 1988's, not a year before it */
    LAST("Third-quarter sales rose. For the nine months, profit slid below the 1988 period.", "1989-11-02", "1988");
    LAST("Third-quarter sales rose. Net beat the 1988 period, and year-ago costs were restated.",
         "1989-11-02", "1988-Q3");
    LAST("Third-quarter sales rose. Rivals foresee red ink over the fourth quarter of 1990 as well. Sales slid "
         "below the year-ago period.",
         "1989-11-02", "1988-Q3");
    /* "that same day", "later in the day": the day last written; after a month, a day of it */
    LAST("The shop was raided on May 4. It closed that same day.", "2019-06-10", "2019-05-04");
    LAST("The talks opened on Monday. Later in the day the envoy flew home.", "2024-02-21", "2024-02-19");
    LAST("A fire broke out on May 4. The mill shut last October and was sold that same day.", "2019-02-10",
         "2018-10-XX");
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
    /* irregular past tenses count as past; "had been due" is past, "is to" future */
    VALUE("In January the company brought in a new chief.", "1989-10-27", "1989-01");
    VALUE("The offer had been due to expire Friday.", "1989-10-30", "1989-10-27");
    /* a plan that was: "had been initially set for", "originally scheduled for" */
    VALUE("The ballot had been initially set for January 25.", "1997-04-11", "1997-01-25");
    VALUE("Fans never saw the final originally planned for October 30.", "2005-11-24", "2005-10-30");
    /* a date in a relative clause takes the tense of that clause's verb first */
    VALUE("Aid was promised to the town, where the May 3 floods destroyed 90 homes.", "1998-05-12", "1998-05-03");
    VALUE("The minister will go to the town, where the May 3 storm and the floods after it destroyed 90 homes.",
          "1998-05-12", "1998-05-03");
    /* the relative clause ends at its comma; an "-ed" word before a hyphen is an adjective */
    VALUE("The striker, who injured his knee in November, will miss the cup.", "2006-12-28", "2006-11");
    VALUE("The talks, which hold closed-door sessions and run to Sunday, are open.", "2005-12-03", "2005-12-04");
    /* "since" looks back: a day after it has passed, however far */
    VALUE("The hunt has gone on since just after the Oct. 23 raid.", "1999-05-06", "1998-10-23");
    VALUE("Shares are to resume trading Tuesday.", "1989-10-27", "1989-10-31");
    VALUE("The new pact is effective Feb. 1.", "1989-10-26", "1990-02-01");
    /* "-ed" after an article is an adjective, a past form after "be" a participle */
    VALUE("It would be paid on a still unspecified date in January.", "1989-10-26", "1990-01");
    VALUE("He could not be reached Wednesday.", "2000-01-07", "2000-01-05");
    VALUE("The winners are announced Tuesday.", "2005-12-12", "2005-12-13");
    /* "as expected", "as planned": no tense of their own */
    VALUE("As expected, Tuesday brought a rally.", "2024-02-21", "2024-02-20");
    /* a restrictive relative clause: its own verb, not the main one after it */
    VALUE("Nurses who walked out on Tuesday will strike again.", "2024-03-01", "2024-02-27");
    VALUE("Members who will strike on Tuesday said they had no choice.", "2024-03-01", "2024-03-05");
    /* February 29 beside a year with no leap year near it (1900, 2100): the nearest leap year,
       weighed by the tense (this once looped for ever) */
    VALUE("The vote is on February 29.", "1900-03-10", "1904-02-29");
    VALUE("He was born on February 29.", "2100-03-10", "2096-02-29");
    VALUE("on Monday February 29", "2100-03-10", "2104-02-29"); /* no Monday fits: the nearest */
    /* an ordinary year: the leap years either side compete, weighed by the tense */
    VALUE("He was born on February 29.", "2023-01-15", "2020-02-29");
    VALUE("The party will be on February 29.", "2023-01-15", "2024-02-29");
    /* "a return", "the start": nouns after a determiner, no future verb */
    VALUE("The strike marked a return to the walkouts of early December.", "2000-01-15", "1999-12");
    /* "the previous Friday", "the following year": counted from the last day written */
    VALUE("On Friday, Oct. 27, the index was down from the previous Friday.", "1989-10-30", "1989-10-27");
    /* a time, a parenthesis, then its day */
    VALUE("The blast occurred at 10:35 a.m. (0735 GMT) Friday.", "1998-08-08", "1998-08-07T10:35");
}

static void test_spelled_years(void)
{
    char buf[64];
    /* "early", "late", "mid-" before a month keep the year written after it */
    VALUE("Rents have not been this high since late April 2004.", "2005-12-05", "2004-04");
    VALUE("It was built in nineteen ninety-six.", "1998-01-01", "1996");
    VALUE("by the year two thousand", "1998-01-01", "2000");
    VALUE("in the nineties", "1998-01-01", "199");
    VALUE("the 20th century", "1998-01-01", "19");
}

static void test_lengths(void)
{
    char buf[64];
    /* counts, fractions and compounds, in words, digits and abbreviations */
    VALUE("The flight took 1.5 hours.", "2024-02-21", "PT1H30M");
    VALUE("for 2 1/2 years", "2024-02-21", "P2Y6M");
    VALUE("a minute and a half", "2024-02-21", "PT1M30S");
    VALUE("half an hour", "2024-02-21", "PT30M");
    VALUE("twenty-four hours", "2024-02-21", "PT24H");
    VALUE("1 hour, 5 minutes, and 30 seconds", "2024-02-21", "PT1H5M30S");
    VALUE("two weeks and three days", "2024-02-21", "P17D");
    VALUE("two decades", "2024-02-21", "P20Y");
    VALUE("several quarters", "2024-02-21", "PXQ");
    /* a compound counted back, across midnight and the month end */
    VALUE("2 days 5 hours ago", "2024-03-01T10:30", "2024-02-28T05:30");
    VALUE("4m 27s ago", "2024-03-01T00:02", "2024-02-29T23:57:33");
    VALUE("in 2d 3hr 10min", "2024-02-21T12:40", "2024-02-23T15:50");
    VALUE("+3 months, 4 days", "2024-01-31", "2024-05-04");
    VALUE("-3y", "2024-02-29", "2021");
    /* counted from the story's own events: a length, as TimeML has it */
    VALUE("Three days later, the index had recovered.", "1989-10-30", "P3D");
    VALUE("The second letter to Reno in two weeks was published Tuesday.", "2000-02-16", "P2W");
    INSTANT("4 weeks later", "2019-03-06T15:00", "2019-04-03T15:00");
    /* a fraction of a day carried into hours does not make a time of day */
    VALUE("The council meets again in two and a half weeks.", "2024-02-21T10:00", "2024-03-09");
    /* a vague count is some time before or after */
    VALUE("a few days ago", "2024-02-21", "PAST_REF");
    VALUE("in several weeks", "2024-02-21", "FUTURE_REF");
}

static void test_offsets_from_days(void)
{
    char buf[64];
    /* "the day before" or "after" a day named right after it, or beside it before an event */
    VALUE("The deal was signed the day after Boxing Day.", "2023-12-20", "2023-12-27");
    LAST("The bridge shut on Nov. 9, the day before the storm reached the coast.", "1998-11-20", "1998-11-09");
    LAST("The hearing was on March 9. He resigned the day after the verdict.", "2024-03-20", "2024-03-10");
    VALUE("The march comes the day after the inauguration.", "2017-01-17", "none");
    /* "or so" between a length and "ago" keeps it an offset, not a length */
    VALUE("A month or so ago the plant closed.", "1991-02-25", "1991-01");
    /* 2023-06-14 is a Wednesday; "next Friday" is the Friday of next week */
    VALUE("3 weeks after yesterday", "2023-06-14", "2023-07-04");
    VALUE("3 days after next Friday", "2023-06-14", "2023-06-26");
    VALUE("two days before Christmas", "2023-12-01", "2023-12-23");
    VALUE("3 hours after midnight", "2024-02-21", "2024-02-21T03:00");
    VALUE("next Thursday +5 days", "2023-06-14", "2023-06-27");
    VALUE("2022-05-20 -7days", "2022-05-20", "2022-05-13");
    VALUE("now + 25 minutes", "2021-11-02T14:50", "2021-11-02T15:15");
    /* business days are not calendar days: no date is counted from them */
    VALUE("Eight trading days after Oct. 12 the index recovered.", "1989-10-30", "P8D");
    /* an event is no day to count from: the length stays a length */
    VALUE("two days before the vote", "2024-02-21", "P2D");
}

static void test_years(void)
{
    char buf[64];
    /* eras: ISO 8601 numbering inside (1 BC is year 0), TIMEX3 writes BC */
    VALUE("on May 3, 212 BC", "2019-08-10", "BC0212-05-03");
    VALUE("on 4 July 61 AD", "2019-08-10", "0061-07-04");
    INSTANT("on May 3, 212 BC", "2019-08-10", "-0211-05-03");
    /* years past 2999 when a month and day are stated; not a count of people */
    VALUE("on Feb 2 3100", "2024-01-01", "3100-02-02");
    VALUE("on March 3, 5000 protesters marched", "2024-04-01", "2024-03-03");
    /* two-digit years that cannot be days */
    VALUE("since Jun 97", "2015-08-10", "1997-06");
    /* numeric dates without a year, in a date's context; fractions are not dates */
    CHECK_STR(first_value("The vote is on 9/11.", "2017-08-01", false, buf, sizeof buf), "2017-09-11", "9/11 month first");
    VALUE("The vote is on 9/11.", "2017-08-01", "2017-11-09");
    VALUE("approved by 2/3 of members", "2017-08-01", "none");
}

static void test_instants(void)
{
    char buf[64];
    /* an absolute period: its first day */
    INSTANT("in October 2015", "2024-02-21", "2015-10-01");
    INSTANT("in the 1970s", "2024-02-21", "1970-01-01");
    INSTANT("in the second quarter of 2022", "2024-02-21", "2022-04-01");
    /* a relative one: the reference moved, keeping its finer fields */
    INSTANT("next month", "2019-05-14T09:30", "2019-06-14T09:30");
    INSTANT("next month", "2024-01-31", "2024-02-29");
    INSTANT("this month", "2021-08-23T16:00", "2021-08-01T16:00");
    INSTANT("this month", "2021-08-23", "2021-08-01");
    INSTANT("next year", "2018-03-09T07:45", "2019-03-09T07:45");
    INSTANT("3 years ago", "2019-06-05", "2016-06-05");
    INSTANT("last week", "2023-05-17T12:00", "2023-05-10T12:00");
    INSTANT("next quarter", "2020-07-13", "2020-10-13");
    INSTANT("tomorrow", "2022-12-31T08:00", "2023-01-01T08:00");
    INSTANT("this weekend", "2023-06-14", "2023-06-17");
    /* a length with a direction, counted from the reference */
    INSTANT("within 12 days", "2021-03-25", "2021-04-06");
    INSTANT("within half an hour", "2020-02-03T18:50", "2020-02-03T19:20");
    INSTANT("wait for 7 minutes", "2020-02-03T18:50", "2020-02-03T18:57");
    INSTANT("over the last 3 weeks", "2022-09-28T12:00", "2022-09-07T12:00");
    INSTANT("in the next 4 days", "2022-09-28", "2022-10-02");
    INSTANT("in a few days", "2024-02-21", "2024-02-24");
    INSTANT("1.5 hours", "2024-02-21", "PT1H30M"); /* no direction: the length itself */
    /* times, parts of the day, "now" */
    INSTANT("at 21:47:05", "2019-04-02T08:00", "2019-04-02T21:47:05");
    INSTANT("on Thursday morning", "2019-04-02", "2019-04-04T06:00");
    INSTANT("right now", "2024-02-21T09:15", "2024-02-21T09:15");
    INSTANT("every Monday", "2024-02-21", "XXXX-WXX-1");
    /* a weekday with a plural part of the day recurs */
    VALUE("The club meets on Friday evenings.", "2024-02-21", "XXXX-WXX-5TEV");
    VALUE("The club met on Friday evening.", "2024-02-21", "2024-02-16TEV");
}

/* The first timex value of `text` published at `ref` by an article in zone `zone` (NULL: none
   named), in a run whose zone is London, stated or the machine's. */
static const char *zoned_value(const char *text, const char *ref, const char *zone, bool run_zone_given, char *buf,
                               size_t size)
{
    pipeline_opts o = {.timezone = "Europe/London", .timezone_given = run_zone_given, .all_timex = true};
    article a = {0};
    pipeline_result res;
    pipeline *p = pipeline_new(R, &o);
    a.text = (char *)text;
    a.len = strlen(text);
    a.published = (char *)ref;
    a.timezone = (char *)zone;
    pipeline_run(p, &a, &res);
    snprintf(buf, size, "%s", res.ntimex ? res.timex[0].value : "none");
    free(a.sentences);
    pipeline_free(p);
    return buf;
}

/* Mother's Day is Mothering Sunday in Britain and Ireland, May's second Sunday elsewhere */
static void test_holiday_zones(void)
{
    char buf[64];
    CHECK_STR(zoned_value("A vigil on Mother's Day.", "2024-03-01", "Europe/London", false, buf, sizeof buf), "2024-03-10",
              "Mother's Day in London");
    CHECK_STR(zoned_value("A vigil on Mothers Day.", "2025-01-10", "Europe/Dublin", false, buf, sizeof buf), "2025-03-30",
              "Mothers Day in Dublin");
    CHECK_STR(zoned_value("A vigil on Mother's Day.", "2024-03-01", "America/New_York", false, buf, sizeof buf), "2024-05-12",
              "Mother's Day in New York");
    CHECK_STR(zoned_value("A vigil on Father's Day.", "2024-03-01", "Europe/London", false, buf, sizeof buf), "2024-06-16",
              "Father's Day is the same day");
    CHECK_STR(zoned_value("A vigil on Mother's Day.", "2024-03-01", NULL, true, buf, sizeof buf), "2024-03-10",
              "the zone --timezone states");
    CHECK_STR(zoned_value("A vigil on Mother's Day.", "2024-03-01", NULL, false, buf, sizeof buf), "2024-05-12",
              "not the machine's");
    CHECK_STR(zoned_value("A parade on Labour Day.", "2024-06-26", "America/Toronto", false, buf, sizeof buf), "2024-09-02",
              "Labour Day in Toronto");
    CHECK_STR(zoned_value("A parade on Labour Day.", "2024-06-26", "Pacific/Auckland", false, buf, sizeof buf), "2024-10-28",
              "Labour Day in Auckland");
    CHECK_STR(zoned_value("A concert on the August bank holiday.", "2024-03-13", "Europe/Dublin", false, buf, sizeof buf),
              "2024-08-05", "the August bank holiday in Dublin");
    CHECK_STR(zoned_value("A concert on the August bank holiday.", "2024-03-13", "Europe/London", false, buf, sizeof buf),
              "2024-08-26", "the August bank holiday in London");
    const char *gb = timex_zone_holidays(R, "Europe/London"), *au = timex_zone_holidays(R, "Australia/Perth");
    CHECK(gb && strcmp(gb, "holiday_gb") == 0 && au && strcmp(au, "holiday_au") == 0 &&
              !timex_zone_holidays(R, "Europe/Paris") && !timex_zone_holidays(R, "America/Toronto_Nowhere") &&
              !timex_zone_holidays(R, NULL),
          "zones' holidays");
}

/* A publication instant is the date and time it is where the article is. */
static void test_reference_zone(void)
{
    tx_ref r;
    CHECK(tx_ref_parse("2024-03-04T22:00:00Z", "Australia/Sydney", &r) && r.y == 2024 && r.m == 3 && r.d == 5 &&
              r.hh == 9 && r.mm == 0 && r.has_time && r.known,
          "22:00Z on 4 March is 09:00 on the 5th in Sydney");
    CHECK(tx_ref_parse("2024-03-05T02:00:00Z", "America/New_York", &r) && r.d == 4 && r.hh == 21,
          "02:00Z on 5 March is 21:00 on the 4th in New York");
    CHECK(tx_ref_parse("2024-03-04T21:00:00-05:00", "America/New_York", &r) && r.d == 4 && r.hh == 21,
          "the same instant with its local offset is the same");
    CHECK(tx_ref_parse("2024-03-05T03:00:00+01:00", "America/New_York", &r) && r.d == 4 && r.hh == 21,
          "and with another zone's offset too");
    CHECK(tx_ref_parse("2024-03-04T22:00:00+0100", "Australia/Sydney", &r) && r.d == 5 && r.hh == 8,
          "an offset without a colon is one");
    CHECK(tx_ref_parse("2024-03-04T22:00:00Z", NULL, &r) && r.d == 4 && r.hh == 22, "no zone: as written");
    CHECK(tx_ref_parse("2024-03-04T22:00:00Z", "Mars/Olympus", &r) && r.d == 4 && r.hh == 22,
          "an unknown zone: as written");
    CHECK(tx_ref_parse("2024-03-04T22:00", "Australia/Sydney", &r) && r.d == 4 && r.hh == 22,
          "no offset: the article's local time as written");
    CHECK(tx_ref_parse("2024-03-04", "Australia/Sydney", &r) && r.d == 4 && !r.has_time,
          "a date is the day it names");
    CHECK(tx_ref_parse("2999-12-31T20:00:00Z", "Australia/Sydney", &r) && r.y == 2999 && r.d == 31 && r.hh == 20,
          "an instant whose day there is past the last year a calendar holds: as written");

    char buf[64];
    CHECK_STR(zoned_value("The council will vote today.", "2024-03-04T22:00:00Z", "Australia/Sydney", false, buf,
                          sizeof buf),
              "2024-03-05", "'today' in a Sydney article stamped 22:00Z on 4 March");
    CHECK_STR(zoned_value("The council will vote tomorrow.", "2024-03-05T02:00:00Z", "America/New_York", false, buf,
                          sizeof buf),
              "2024-03-05", "'tomorrow' in a New York article stamped 02:00Z on 5 March");
    CHECK_STR(zoned_value("The council will vote tomorrow.", "2024-03-04T23:30:00Z", NULL, true, buf, sizeof buf),
              "2024-03-05", "no zone of its own: the stated run zone's (23:30Z in March is 23:30 in London)");
    CHECK_STR(zoned_value("The council will vote tomorrow.", "2024-03-04T23:30:00-05:00", NULL, true, buf, sizeof buf),
              "2024-03-06", "the run zone reads an instant from elsewhere: 04:30 on the 5th in London");
    CHECK_STR(zoned_value("The council will vote tomorrow.", "2024-03-04T23:30:00-05:00", NULL, false, buf, sizeof buf),
              "2024-03-05", "the machine's zone says nothing of the article's: as written");
}

/* Where the search may stop when events need nothing after an offset (timex_cut). */
static void test_cut(void)
{
    const char *t = "Rally on Friday.\n\n\nIt began in 2019.\nIt ended in 2021.\n";
    size_t first_end = strlen("Rally on Friday."), second_end = strchr(t + first_end + 3, '\n') - t;
    CHECK(timex_cut(t, strlen(t), first_end) == second_end, "the cut is the end of the next line with text");
    CHECK(timex_cut(t, strlen(t), 5) == second_end, "from inside a line: its end, then the next line's");
    CHECK(timex_cut(t, strlen(t), strlen(t)) == strlen(t), "at the end: the end");
    const char *u = "Vigil on Friday";
    CHECK(timex_cut(u, strlen(u), 3) == strlen(u), "no next line: the end");

    /* a date at the end of the text read: a successor after the cut might be joined to it */
    timex tx = {0};
    const char *w = "March on Saturday\nat\n7pm, then a rally.\nMore.";
    size_t cut = timex_cut(w, strlen(w), strlen("March on Saturday"));
    CHECK(cut == strlen("March on Saturday\nat"), "the line after");
    tx.start = strlen("March on ");
    tx.end = strlen("March on Saturday");
    CHECK(timex_cut_open(w, strlen(w), &tx, 1, cut), "one word after the last date: read on");
    const char *x = "March on Saturday, says the union.\nIt was 2019.\nMore.";
    cut = timex_cut(x, strlen(x), 10);
    CHECK(!timex_cut_open(x, strlen(x), &tx, 1, cut), "words after the last date: nothing to add");
    const char *y = "March on Saturday\n2023-12-29 -\n10days later.";
    cut = timex_cut(y, strlen(y), 10);
    tx.start = strlen("March on Saturday\n");
    tx.end = strlen("March on Saturday\n2023-12-29");
    CHECK(timex_cut_open(y, strlen(y), &tx, 1, cut), "a sign after the last date: read on");
    CHECK(!timex_cut_open(y, strlen(y), &tx, 0, cut), "no date read: nothing to join");
    tx.end = cut + 1;
    CHECK(timex_cut_open(y, strlen(y), &tx, 1, cut), "a date across the cut: read on");
    CHECK(!timex_cut_open(y, strlen(y), &tx, 1, strlen(y)), "cut at the end: nothing after it");
}

/* Runs the pipeline on `text` and writes the values of timex_with_list_days(), joined by spaces. */
static const char *listed_values(const char *text, const char *ref, char *buf, size_t size)
{
    pipeline_opts o = {.timezone = "Europe/London", .all_timex = true};
    article a;
    pipeline_result res;
    pipeline *p = run_on(&o, text, ref, &a, &res);
    size_t n;
    timex *all = timex_with_list_days(a.text, a.len, res.timex, res.ntimex, &n);
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        size_t used = strlen(buf);
        snprintf(buf + used, size - used, "%s%s", i ? " " : "", all[i].value);
    }
    free(all);
    free(a.sentences);
    pipeline_free(p);
    return buf;
}

static void test_list_days(void)
{
    char buf[256];
    /* each bare day listed after a day is a date of its own */
    CHECK_STR(listed_values("The summit meets on April 24 and 25.", "1999-02-10", buf, sizeof buf),
              "1999-04-24 1999-04-25", "day list with and");
    CHECK_STR(listed_values("Strikes fall on June 2, 9 or 16; talks go on.", "1999-02-10", buf, sizeof buf),
              "1999-06-02 1999-06-09 1999-06-16", "day list with or");
    /* no list: a count after the day, a year, no "and", a day the month lacks */
    CHECK_STR(listed_values("On April 24 and 25 delegates met.", "1999-02-10", buf, sizeof buf), "1999-04-24",
              "a count, not a day");
    CHECK_STR(listed_values("On April 24, 1,200 people met.", "1999-02-10", buf, sizeof buf), "1999-04-24",
              "a number with a thousands comma");
    CHECK_STR(listed_values("It rained on April 24, 1998 and 25.", "1999-02-10", buf, sizeof buf), "1998-04-24",
              "the day's text ends with a year");
    CHECK_STR(listed_values("Votes on Feb. 27 and 30.", "1999-02-10", buf, sizeof buf), "1999-02-27",
              "no such day");
    CHECK_STR(listed_values("Raids on May 6 and 9, 1944, hit the port.", "1999-02-10", buf, sizeof buf),
              "1999-05-06 1944",
              "a year after the list");
}

/* A date's tense is read when its value needs it, or when asked: the same either way. */
static void test_tense_on_demand(void)
{
    static const struct {
        const char *text;
        bool needed; /* its value depends on the tense */
        tense want;
    } cases[] = {
        {"The march was held on May 5, 2024 in Leeds.", false, TENSE_PAST},
        {"The march will be held on May 5, 2024 in Leeds.", false, TENSE_FUTURE},
        {"The march will be held on Friday in Leeds.", true, TENSE_FUTURE},
        {"The march was held on Friday in Leeds.", true, TENSE_PAST},
        {"The march on May 5, 2024 in Leeds.", false, TENSE_NONE},
    };
    pipeline_opts o = {.timezone = "Europe/London", .all_timex = true, .date_order_forced = true};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        article a;
        pipeline_result res;
        pipeline *p = run_on(&o, cases[i].text, "2024-05-08", &a, &res);
        CHECK(res.ntimex == 1, cases[i].text);
        if (res.ntimex == 1) {
            CHECK(res.timex[0].tense_known == cases[i].needed, cases[i].text);
            CHECK(timex_tense(R, &a, NULL, &res.timex[0]) == cases[i].want, cases[i].text);
        }
        free(a.sentences);
        pipeline_free(p);
    }
}

/* Cues are read a sentence at a time, in any order, each from its sentence's start. */
static void test_cues_by_sentence(void)
{
    const char *text = "The march will go ahead on Saturday. Last year it was cancelled. "
                       "Organisers said they will gather at noon.";
    article a = {0};
    a.text = (char *)text;
    a.len = strlen(text);
    article_split(&a, R);
    CHECK(a.nsentences == 3, "three sentences");
    rule_scanner *s = rule_scanner_new(R);
    arena *ar = arena_new(4096);
    cue_set *in_order = cues_new(R, s, &a, 0, ar), *backwards = cues_new(R, s, &a, 0, ar);
    size_t n1[3], n2[3];
    const cue *c1[3], *c2[3];
    for (size_t k = 0; k < 3; k++)
        c1[k] = cues_in(in_order, k, &n1[k]);
    for (size_t k = 3; k-- > 0;)
        c2[k] = cues_in(backwards, k, &n2[k]);
    size_t total = 0;
    for (size_t k = 0; k < 3; k++) {
        CHECK(n1[k] == n2[k], "the same cues whatever the order they are read in");
        for (size_t i = 0; i < n1[k] && i < n2[k]; i++) {
            CHECK(c1[k][i].start == c2[k][i].start && c1[k][i].end == c2[k][i].end &&
                      c1[k][i].rule == c2[k][i].rule,
                  "the same cue");
            CHECK(c1[k][i].start >= a.sentences[k].start && c1[k][i].end <= a.sentences[k].end,
                  "a cue lies in its sentence");
        }
        total += n1[k];
    }
    bool future0 = false, cancelled1 = false;
    for (size_t i = 0; i < n1[0]; i++)
        future0 = future0 || c1[0][i].tense == TENSE_FUTURE;
    for (size_t i = 0; i < n1[1]; i++)
        cancelled1 = cancelled1 || strcmp(c1[1][i].type, "cancelled") == 0;
    CHECK(future0 && cancelled1 && total >= 3, "\"will go ahead\" is future, \"was cancelled\" a cancellation");
    /* with a cut, the sentences after it have none ("they will gather" has one) */
    CHECK(n1[2] > 0, "the last sentence has a cue without a cut");
    cue_set *cut = cues_new(R, s, &a, a.sentences[1].start, ar);
    size_t n;
    (void)cues_in(cut, 2, &n);
    CHECK(n == 0, "no cue after the cut");
    (void)cues_in(cut, 0, &n);
    CHECK(n == n1[0], "the cues before it");
    CHECK(!cues_in(cut, 7, &n) && n == 0, "no such sentence");
    arena_free(ar);
    rule_scanner_free(s);
    free(a.sentences);
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
    test_set_rules();
    test_relative();
    test_holiday_zones();
    test_numeric_order();
    test_times();
    test_negatives();
    test_tense();
    test_anchors();
    test_joined();
    test_points_in_minutes();
    test_spelled_years();
    test_tense_clues();
    test_lengths();
    test_instants();
    test_reference_zone();
    test_offsets_from_days();
    test_years();
    test_cut();
    test_list_days();
    test_tense_on_demand();
    test_cues_by_sentence();
    rules_free(R);
    return test_report();
}

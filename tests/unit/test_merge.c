#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "emit_ics.h"
#include "emit_json.h"
#include "ics_read.h"
#include "merge.h"
#include "test.h"

static event *make(const char *type, int d, int hh, const char *where, const char *src, const char *published)
{
    event *e = xcalloc(1, sizeof *e);
    e->type = xstrdup(type);
    e->y = 2024, e->m = 3, e->d = d;
    e->grain = G_DAY;
    if (hh >= 0) {
        e->has_time = true;
        e->hh = hh;
        e->grain = G_MINUTE;
    }
    e->default_minutes = 120;
    e->loc_name = xstrdup(where);
    e->loc_locality = xstrdup("Bolton");
    e->timezone = xstrdup("Europe/London");
    e->confidence = 0.8;
    ev_source *s = event_new_source(e);
    s->id = xstrdup(src);
    s->published = xstrdup(published);
    s->evidence = xstrdup("A march, with \"quotes\"; commas, and\na line break.");
    return e;
}

static const emit_opts EO = {"test", "Europe/London", 1709251200, "test"};

static void test_same_uid_different_times(void)
{
    calendar *c = calendar_new();
    calendar_add(c, make("march", 2, 13, "Victoria Square", "a", "2024-02-28"));
    calendar_add(c, make("march", 2, 11, "Victoria Square", "b", "2024-02-28"));
    calendar_finish(c);
    CHECK(calendar_count(c) == 2, "two marches at two times stay two events");
    char *plain = event_make_uid(calendar_get(c, 0));
    CHECK_STR(calendar_get(c, 0)->uid, plain, "the first keeps the plain UID");
    CHECK(strcmp(calendar_get(c, 1)->uid, plain) != 0, "the second gets another one");
    CHECK(strstr(calendar_get(c, 1)->uid, "-1300@eventcal") != NULL, "with its time in it");
    free(plain);
    calendar_free(c);
}

static calendar *one(event *e)
{
    calendar *c = calendar_new();
    calendar_add(c, e);
    calendar_finish(c);
    return c;
}

/* The later report's time wins, whichever calendar comes first. */
static void test_join_commutes(void)
{
    for (int order = 0; order < 2; order++) {
        calendar *x = one(make("vigil", 9, 18, "Town Hall", "day1", "2024-03-04"));
        calendar *y = one(make("vigil", 9, 19, "Town Hall", "day2", "2024-03-07"));
        calendar *two[2] = {order ? y : x, order ? x : y};
        calendar *all = merge_all(two, 2);
        calendar_finish(all);
        CHECK(calendar_count(all) == 1, "one vigil");
        CHECK(calendar_get(all, 0)->hh == 19, "at the time the later article gives");
        CHECK(calendar_get(all, 0)->nsources == 2, "with both sources");
        calendar_free(all);
    }
}

/* A UID an entry kept from a join (the smaller of two) can be another day's or town's: an event
   that has it is not that entry moved ("a vote in Tel Aviv" is no vote in Washington at another
   time), while the same kind, day and town at another time is. */
static void test_uid_of_another_town(void)
{
    event *w = make("vote", 5, 12, "Parliament", "a", "2024-03-01");
    event *t = make("vote", 9, 15, "Knesset", "b", "2024-03-02");
    free(w->loc_locality);
    w->loc_locality = xstrdup("Washington");
    free(t->loc_locality);
    t->loc_locality = xstrdup("Tel Aviv");
    w->uid = xstrdup("0123456789abcdef@eventcal");
    t->uid = xstrdup("0123456789abcdef@eventcal");
    calendar *x = calendar_new(), *y = calendar_new();
    calendar_append(x, w);
    calendar_append(y, t);
    calendar *two[2] = {x, y};
    calendar *all = merge_all(two, 2);
    calendar_finish(all);
    CHECK(calendar_count(all) == 2, "two votes in two towns on two days stay two, whatever their UIDs");
    calendar_free(all);

    calendar *again[2] = {one(make("vote", 5, 12, "Parliament", "a", "2024-03-01")),
                          one(make("vote", 5, 15, "Town Hall", "b", "2024-03-02"))};
    CHECK_STR(calendar_get(again[0], 0)->uid, calendar_get(again[1], 0)->uid, "one kind, day and town: one UID");
    all = merge_all(again, 2);
    calendar_finish(all);
    CHECK(calendar_count(all) == 1 && calendar_get(all, 0)->hh == 15, "one vote moved to a later report's time and place");
    calendar_free(all);
}

static void test_roundtrip(void)
{
    calendar *c = calendar_new();
    event *e = make("march", 2, 11, "Victoria Square", "a", "2024-02-28");
    e->has_end = true, e->end_has_time = true;
    e->ey = 2024, e->em = 3, e->ed = 2, e->eh = 15, e->emin = 30;
    e->organiser = xstrdup("Friends of the Earth; Bolton");
    free(e->sources[0].id);
    e->sources[0].id = xstrdup("id with \"quotes\", a colon: and ;");
    e->sources[0].title = xstrdup("A title: with, punctuation");
    e->sources[0].url = xstrdup("https://example.org/a?b=1;c=2");
    calendar_add(c, e);
    calendar_finish(c);
    size_t n;
    char *ics = emit_ics(c, &EO, &n);
    ec_error err;
    ec_error_clear(&err);
    calendar *back = ics_read_ics("t.ics", ics, n, &err);
    CHECK(back != NULL, "eventcal's own calendar reads back");
    if (back) {
        calendar_finish(back);
        char *again = emit_ics(back, &EO, NULL);
        CHECK_STR(again, ics, "and writes out the same");
        event *b = calendar_get(back, 0);
        CHECK_STR(b->sources[0].id, "id with \"quotes\", a colon: and ;", "source ids survive quoting");
        CHECK_STR(b->sources[0].evidence, e->sources[0].evidence, "evidence survives escaping");
        CHECK(b->has_end && b->eh == 15 && b->emin == 30, "the stated end survives");
        free(again);
        calendar_free(back);
    }
    free(ics);
    calendar_free(c);
}

/* A time the clocks skip and one they show twice keep one instant in the .ics, the JSON's
   offsets and a calendar read back. */
static void test_clock_changes(void)
{
    event *skipped = make("vigil", 31, 1, "Town Hall", "a", "2024-02-28");
    skipped->mm = 30;
    skipped->default_minutes = 60;
    event_settle_clock(skipped);
    CHECK(skipped->d == 31 && skipped->hh == 2 && skipped->mm == 30, "1:30am on the March change is 02:30 BST");
    event *twice = make("march", 27, 1, "Victoria Square", "a", "2024-02-28");
    twice->m = 10, twice->mm = 30;
    event_settle_clock(twice);
    CHECK(twice->hh == 1 && twice->mm == 30, "1:30am on the October change stays as it is");
    char buf[64];
    CHECK_STR(event_start_iso(twice, buf, sizeof buf), "2024-10-27T01:30:00+01:00", "and is the first of the two");
    calendar *c = calendar_new();
    calendar_add(c, skipped);
    calendar_add(c, twice);
    calendar_finish(c);
    size_t n;
    char *ics = emit_ics(c, &EO, &n);
    CHECK(strstr(ics, "DTSTART;TZID=Europe/London:20240331T023000\r\nDTEND;TZID=Europe/London:20240331T033000\r\n"),
          "an hour from 02:30 BST ends at 03:30 BST");
    CHECK(strstr(ics, "DTSTART:20241027T003000Z\r\nDTEND:20241027T023000Z\r\n"),
          "a time shown twice is written in UTC, and two hours from it pass the change");
    ec_error err;
    ec_error_clear(&err);
    calendar *back = ics_read_ics("t.ics", ics, n, &err);
    CHECK(back != NULL, "the calendar reads back");
    if (back) {
        calendar_finish(back);
        char *again = emit_ics(back, &EO, NULL);
        CHECK_STR(again, ics, "and writes out the same");
        free(again);
        for (size_t i = 0; i < calendar_count(back); i++) {
            const event *b = calendar_get(back, i);
            if (b->m == 10)
                CHECK(b->d == 27 && b->hh == 1 && b->mm == 30, "the UTC time is 01:30 in London again");
        }
        calendar_free(back);
    }
    free(ics);
    calendar_free(c);
}

/* A calendar merged with its own JSON is the calendar: the JSON gives no length, and the
   .ics's (a vigil's 60 minutes) is not traded for a guess. */
static void test_own_json(void)
{
    event *e = make("vigil", 9, 18, "Town Hall", "a", "2024-02-28");
    e->default_minutes = 60;
    calendar *c = one(e);
    size_t ni, nj;
    char *ics = emit_ics(c, &EO, &ni), *json = emit_json(c, &EO, &nj);
    ec_error err;
    ec_error_clear(&err);
    for (int order = 0; order < 2; order++) {
        calendar *a = ics_read_ics("t.ics", ics, ni, &err), *b = ics_read_json("t.json", json, nj, &err);
        CHECK(a && b, "the calendar and its JSON read back");
        if (!a || !b) {
            calendar_free(a);
            calendar_free(b);
            continue;
        }
        calendar *two[2] = {order ? b : a, order ? a : b};
        calendar *all = merge_all(two, 2);
        calendar_finish(all);
        CHECK(calendar_count(all) == 1 && calendar_get(all, 0)->default_minutes == 60, "the vigil keeps its hour");
        char *again = emit_ics(all, &EO, NULL);
        CHECK_STR(again, ics, "and the calendar is written out as it was");
        free(again);
        calendar_free(all);
    }
    free(ics);
    free(json);
    calendar_free(c);
}

static const char HAND[] = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\n"
                           "BEGIN:VEVENT\r\nUID:hand@example.org\r\nDTSTAMP:20240301T000000Z\r\n"
                           "DTSTART;VALUE=DATE:20240305\r\nSUMMARY:By hand\\, folded over \r\n two lines\r\n"
                           "END:VEVENT\r\nEND:VCALENDAR\r\n";

static void test_hand_written(void)
{
    ec_error err;
    ec_error_clear(&err);
    calendar *c = ics_read_ics("hand.ics", HAND, sizeof HAND - 1, &err);
    CHECK(c && calendar_count(c) == 1, "a hand-written event is read");
    if (!c)
        return;
    const char *raw = calendar_get(c, 0)->raw_ics;
    CHECK(raw && strstr(HAND, raw) != NULL, "and kept as it was written");
    calendar_add(c, make("march", 5, 11, "Victoria Square", "a", "2024-02-28"));
    calendar_finish(c);
    CHECK(calendar_count(c) == 2, "it is never merged with an extracted event");
    char *ics = emit_ics(c, &EO, NULL);
    CHECK(raw && strstr(ics, raw) != NULL, "and is written back untouched");
    free(ics);
    calendar_free(c);
}

static void test_refused(void)
{
    /* the calendar, the line of the first problem, what the message says */
    static const char *const bad[][3] = {
        {"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a\r\n", "4", "missing END:VEVENT"},
        {"BEGIN:VCALENDAR\r\nVERSION:2.0\r\ngarbage\r\nEND:VCALENDAR\r\n", "3", "not an iCalendar content line"},
        {"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX-LIC-ERROR:bad\r\nEND:VCALENDAR\r\n", "3", "X-LIC-ERROR"},
        {"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:\xff\r\nEND:VCALENDAR\r\n", "3", "invalid UTF-8"},
        {"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VTODO\r\nEND:VCALENDAR\r\n", "3", "does not close"},
        /* written back as it came, no other reader would see an event there */
        {"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN;VALUE=TEXT:VEVENT\r\nUID:a\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", "3",
         "BEGIN and END take no parameters"},
        {"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a\r\nEND;X-A=b:VEVENT\r\nEND:VCALENDAR\r\n", "5",
         "BEGIN and END take no parameters"},
        {"", "1", "empty file"},
        /* a value libical refuses, inside a component (read by components first, then again
           line by line for the line), in a VALARM, and in a zone that comes before an
           event with a bad line of its own (the zone's, first in the file, is the one told) */
        {"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTAMP:20240301T000000Z\r\n"
         "DTSTART:yesterday\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
         "6", "libical cannot parse 'DTSTART:yesterday'"},
        {"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTAMP:20240301T000000Z\r\n"
         "DTSTART:20240301T100000Z\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:soon\r\nEND:VALARM\r\n"
         "END:VEVENT\r\nEND:VCALENDAR\r\n",
         "9", "libical cannot parse 'TRIGGER:soon'"},
        {"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VTIMEZONE\r\nTZID:X\r\nBEGIN:STANDARD\r\n"
         "DTSTART:epoch\r\nTZOFFSETFROM:+0000\r\nTZOFFSETTO:+0000\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
         "BEGIN:VEVENT\r\nUID:a\r\nDTSTAMP:never\r\nDTSTART;TZID=X:20240301T100000\r\nEND:VEVENT\r\n"
         "END:VCALENDAR\r\n",
         "6", "libical cannot parse 'DTSTART:epoch'"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        ec_error err;
        ec_error_clear(&err);
        calendar *c = ics_read_ics("bad.ics", bad[i][0], strlen(bad[i][0]), &err);
        CHECK(c == NULL, "a corrupt calendar is refused");
        CHECK(err.line == atol(bad[i][1]), "with the line of the problem");
        CHECK(strstr(err.text, bad[i][2]) != NULL, "and says what it is");
        if (err.line != atol(bad[i][1]) || !strstr(err.text, bad[i][2]))
            fprintf(stderr, "  case %zu: line %ld: %s\n", i, err.line, err.text);
        calendar_free(c);
    }
}

static void test_update(void)
{
    calendar *cal = one(make("vigil", 9, 18, "Town Hall", "day1", "2024-03-04"));
    char *uid = xstrdup(calendar_get(cal, 0)->uid);
    merge_stats st;
    merge_update(cal, one(make("vigil", 9, 18, "Town Hall", "day1", "2024-03-04")), 1709856000, &st);
    CHECK(st.unchanged == 1 && calendar_get(cal, 0)->sequence == 0, "the same article again changes nothing");
    merge_update(cal, one(make("vigil", 9, 19, "Town Hall", "day2", "2024-03-07")), 1709856000, &st);
    event *e = calendar_get(cal, 0);
    CHECK(st.changed == 1 && calendar_count(cal) == 1, "a new time changes the event");
    CHECK(e->hh == 19 && e->sequence == 1, "SEQUENCE goes up");
    CHECK_STR(e->last_modified, "20240308T000000Z", "LAST-MODIFIED is the run's clock");
    CHECK_STR(e->uid, uid, "the UID stays");
    event *cancel = make("vigil", 9, -1, NULL, "day3", "2024-03-08");
    cancel->status = EV_CANCELLED;
    merge_update(cal, one(cancel), 1709942400, &st);
    e = calendar_get(cal, 0);
    CHECK(e->status == EV_CANCELLED && e->sequence == 2 && e->hh == 19, "a cancellation keeps the date and time");
    free(uid);
    calendar_free(cal);
}

/* The calendar as --update reads it: c written as .ics and read back (c is freed). */
static calendar *written(calendar *c)
{
    size_t n;
    char *ics = emit_ics(c, &EO, &n);
    calendar_free(c);
    ec_error err;
    ec_error_clear(&err);
    calendar *back = ics_read_ics("t.ics", ics, n, &err);
    free(ics);
    if (back)
        calendar_finish(back);
    return back;
}

/* A later article that repeats an event as the calendar has it is one more source, no change
   (RFC 5545 raises SEQUENCE for a new start, end, status or rule only): with a stated end,
   which the .ics keeps in place of the type's length, and without one. */
static void test_update_repeated(void)
{
    for (int with_end = 0; with_end < 2; with_end++) {
        event *e[2];
        for (int k = 0; k < 2; k++) {
            e[k] = make("vigil", 9, 14, "Town Hall", k ? "day2" : "day1", k ? "2024-03-05" : "2024-03-04");
            e[k]->default_minutes = 60; /* the vigil's length, which "from 2pm to 4pm" overrides */
            if (with_end) {
                e[k]->has_end = e[k]->end_has_time = true;
                e[k]->ey = 2024, e[k]->em = 3, e[k]->ed = 9, e[k]->eh = 16;
            }
        }
        calendar *cal = written(one(e[0]));
        CHECK(cal != NULL, "the calendar reads back");
        if (!cal) {
            event_free(e[1]);
            continue;
        }
        merge_stats st;
        merge_update(cal, one(e[1]), 1709856000, &st);
        event *t = calendar_get(cal, 0);
        CHECK(calendar_count(cal) == 1 && t->nsources == 2, "the repeated event joins the one there");
        CHECK(st.changed == 0 && st.touched == 1, with_end ? "with an end: it is touched, not changed"
                                                          : "without an end: it is touched, not changed");
        CHECK(t->sequence == 0, with_end ? "with an end: SEQUENCE stays" : "without an end: SEQUENCE stays");
        calendar_free(cal);
    }
}

/* A hand-written event (kept as text) with a UID and SEQUENCE, on day d of March 2024. */
static event *raw_event(const char *uid, int seq, int d, const char *summary)
{
    event *e = xcalloc(1, sizeof *e);
    e->raw_ics = xasprintf("BEGIN:VEVENT\r\nUID:%s\r\nSEQUENCE:%d\r\nDTSTART:202403%02dT100000Z\r\nSUMMARY:%s\r\n"
                           "END:VEVENT\r\n",
                           uid, seq, d, summary);
    e->uid = xstrdup(uid);
    e->title = xstrdup(summary);
    e->type = xstrdup("other");
    e->y = 2024, e->m = 3, e->d = d;
    e->grain = G_MINUTE;
    e->has_time = true;
    e->hh = 10;
    e->default_minutes = 120;
    e->confidence = 1.0;
    e->sequence = seq;
    return e;
}

/* A hand-written event replaced by a later SEQUENCE takes the old one's place; that cannot be
   told from removing the old one and appending the new one (what merge_add did), neither by
   the lookups nor in the calendar written.  A calendar that holds one UID twice still gets the
   old treatment: the other entry is found first afterwards. */
static void test_hand_written_replaced(void)
{
    calendar *a = calendar_new(), *b = calendar_new();
    for (int i = 0; i < 2; i++) {
        calendar *c = i ? b : a;
        merge_add(c, raw_event("x@example.org", 0, 4, "Old"));
        merge_add(c, make("march", 4, 10, "Victoria Square", "s1", "2024-02-28"));
        merge_add(c, raw_event("y@example.org", 0, 4, "Other"));
        merge_add(c, make("march", 4, 10, "Victoria Square", "s2", "2024-02-28")); /* joined */
        merge_add(c, raw_event("z@example.org", 0, 4, "Third"));
    }
    event *x1 = raw_event("x@example.org", 1, 4, "New");
    merge_add(a, x1);
    CHECK(calendar_count(a) == 4 && calendar_get(a, 0) == x1, "the new version is where the old one was");
    CHECK(calendar_find_uid(a, "x@example.org", true, NULL) == x1, "and is what a lookup finds");
    merge_add(a, raw_event("x@example.org", 0, 4, "Older"));
    CHECK(calendar_get(a, 0) == x1 && calendar_count(a) == 4, "a lower SEQUENCE does not replace it");
    /* b: what merge_add did before, by hand */
    event_free(calendar_remove(b, 0));
    calendar_append(b, raw_event("x@example.org", 1, 4, "New"));
    calendar_finish(a);
    calendar_finish(b);
    char *ia = emit_ics(a, &EO, NULL), *ib = emit_ics(b, &EO, NULL);
    CHECK_STR(ia, ib, "the calendar written is the same as removing and appending gives");
    free(ia);
    free(ib);
    calendar_free(a);
    calendar_free(b);

    calendar *c = calendar_new();
    event *d1 = raw_event("d@example.org", 0, 5, "First"), *d2 = raw_event("d@example.org", 0, 6, "Second");
    calendar_append(c, d1);
    calendar_append(c, raw_event("e@example.org", 0, 5, "Between"));
    calendar_append(c, d2);
    event *d3 = raw_event("d@example.org", 2, 7, "Third");
    merge_add(c, d3);
    CHECK(calendar_count(c) == 3 && calendar_get(c, 2) == d3, "one UID twice: the first goes, the new one is appended");
    CHECK(calendar_find_uid(c, "d@example.org", true, NULL) == d2, "and the other one is found first");
    calendar_free(c);
}

/* A weekly event by hand and an override of one of its occurrences (same UID, RECURRENCE-ID),
   then the override again with a higher SEQUENCE. */
static const char RECUR[] = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\n"
                            "BEGIN:VEVENT\r\nUID:choir@example.org\r\nDTSTAMP:20240101T000000Z\r\n"
                            "DTSTART:20240105T180000Z\r\nRRULE:FREQ=WEEKLY;COUNT=5\r\nSUMMARY:Choir\r\nEND:VEVENT\r\n"
                            "BEGIN:VEVENT\r\nUID:choir@example.org\r\nDTSTAMP:20240101T000000Z\r\n"
                            "RECURRENCE-ID:20240112T180000Z\r\nDTSTART:20240112T190000Z\r\nSUMMARY:Choir (late)\r\n"
                            "END:VEVENT\r\nEND:VCALENDAR\r\n";
static const char RECUR_MOVED[] = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\n"
                                  "BEGIN:VEVENT\r\nUID:choir@example.org\r\nDTSTAMP:20240102T000000Z\r\n"
                                  "RECURRENCE-ID:20240112T180000Z\r\nSEQUENCE:1\r\nDTSTART:20240112T200000Z\r\n"
                                  "SUMMARY:Choir (later still)\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

static void test_recurrence_override(void)
{
    ec_error err;
    ec_error_clear(&err);
    calendar *all = calendar_new();
    for (int round = 0; round < 2; round++) {
        calendar *c = ics_read_ics("recur.ics", RECUR, sizeof RECUR - 1, &err);
        CHECK(c && calendar_count(c) == 2, "a master and its override are read as two events");
        if (!c)
            return;
        calendar *two[2] = {all, c};
        all = merge_all(two, 2); /* takes both */
    }
    CHECK(calendar_count(all) == 2, "merged, with itself too, both stay: an override is not a duplicate");
    calendar *moved = ics_read_ics("moved.ics", RECUR_MOVED, sizeof RECUR_MOVED - 1, &err);
    if (moved) {
        calendar *two[2] = {all, moved};
        all = merge_all(two, 2);
    }
    calendar_finish(all);
    CHECK(calendar_count(all) == 2, "a newer override replaces the override, not the master");
    char *ics = emit_ics(all, &EO, NULL);
    CHECK(strstr(ics, "SUMMARY:Choir\r\n") && strstr(ics, "SUMMARY:Choir (later still)") &&
              !strstr(ics, "SUMMARY:Choir (late)\r\n"),
          "the master and the newer override are written back");
    free(ics);
    calendar_free(all);
}

/* Rules on several weekdays and daily ones read back from the .ics and the JSON as they were
   written, and two reports of a weekend market from its Saturday and its Sunday are one. */
static void test_recurring_days(void)
{
    static const struct {
        ev_recur r;
        const char *rrule;
    } cases[] = {
        {{.freq = EV_WEEKLY, .interval = 1, .days = EV_DAY(6) | EV_DAY(7), .has_until = true, .uy = 2024, .um = 6,
          .ud = 30},
         "FREQ=WEEKLY;UNTIL=20240630T225959Z;BYDAY=SA,SU"},
        {{.freq = EV_WEEKLY, .interval = 2, .days = EV_DAY(1) | EV_DAY(3) | EV_DAY(5)},
         "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE,FR"},
        {{.freq = EV_DAILY, .interval = 1, .has_until = true, .uy = 2024, .um = 6, .ud = 7}, "FREQ=DAILY;UNTIL=20240607T225959Z"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        event *e = make("festival", 2, 9, "Corn Exchange", "a", "2024-02-28");
        e->recur = cases[i].r;
        e->y = 2024, e->m = 6, e->d = 1;
        calendar *c = one(e);
        size_t n;
        char *ics = emit_ics(c, &EO, &n);
        char line[96];
        snprintf(line, sizeof line, "RRULE:%s\r\n", cases[i].rrule);
        CHECK(strstr(ics, line) != NULL, "the .ics has the rule as eventcal writes it");
        char *json = emit_json(c, &EO, NULL);
        ec_error err;
        ec_error_clear(&err);
        calendar *back = ics_read_ics("t.ics", ics, n, &err);
        if (back)
            calendar_finish(back);
        CHECK(back && ev_recur_equal(&calendar_get(back, 0)->recur, &cases[i].r), "it reads back with its rule");
        calendar *jback = ics_read_json("t.json", json, strlen(json), &err);
        if (jback)
            calendar_finish(jback);
        CHECK(jback && ev_recur_equal(&calendar_get(jback, 0)->recur, &cases[i].r), "so does its JSON");
        if (back) {
            char *again = emit_ics(back, &EO, NULL);
            CHECK_STR(again, ics, "and writes out the same");
            free(again);
        }
        calendar_free(back);
        calendar_free(jback);
        free(ics);
        free(json);
        calendar_free(c);
    }

    ev_recur wkend = cases[0].r;
    wkend.has_until = false;
    event *x = make("festival", 2, 9, "Corn Exchange", "a", "2024-05-20");
    x->y = 2024, x->m = 6, x->d = 1, x->recur = wkend;
    event *y = make("festival", 2, 9, "Corn Exchange", "b", "2024-06-01");
    y->y = 2024, y->m = 6, y->d = 2, y->recur = wkend;
    calendar *two[2] = {one(y), one(x)};
    calendar *all = merge_all(two, 2);
    calendar_finish(all);
    CHECK(calendar_count(all) == 1 && calendar_get(all, 0)->d == 1,
          "a weekend market reported from its Saturday and from its Sunday is one, from the Saturday");
    calendar_free(all);
}

/* A recurring event reads back from its .ics and its JSON with its rule and writes out the
   same; two calendars with it merge into one event, and a later report's rule wins. */
static void test_recurring(void)
{
    ev_recur sat = {.freq = EV_WEEKLY, .interval = 1, .days = EV_DAY(6), .has_until = true, .uy = 2024, .um = 6, .ud = 29};
    event *e = make("festival", 2, 9, "Corn Exchange", "a", "2024-02-28");
    e->recur = sat;
    e->y = 2024, e->m = 6, e->d = 1;
    calendar *c = one(e);
    size_t n;
    char *ics = emit_ics(c, &EO, &n);
    CHECK(strstr(ics, "RRULE:FREQ=WEEKLY;UNTIL=20240629T225959Z;BYDAY=SA\r\n") != NULL, "the .ics has the rule");
    char *json = emit_json(c, &EO, NULL);
    CHECK(strstr(json, "\"rrule\": \"FREQ=WEEKLY;UNTIL=20240629T225959Z;BYDAY=SA\"") != NULL, "so has the JSON");
    ec_error err;
    ec_error_clear(&err);
    calendar *back = ics_read_ics("t.ics", ics, n, &err);
    CHECK(back != NULL, "it reads back");
    if (back) {
        calendar_finish(back);
        CHECK(ev_recur_equal(&calendar_get(back, 0)->recur, &sat), "with its rule");
        char *again = emit_ics(back, &EO, NULL);
        CHECK_STR(again, ics, "and writes out the same");
        free(again);
        calendar_free(back);
    }
    calendar *jback = ics_read_json("t.json", json, strlen(json), &err);
    CHECK(jback != NULL, "its JSON reads back");
    if (jback) {
        calendar_finish(jback);
        CHECK(ev_recur_equal(&calendar_get(jback, 0)->recur, &sat), "with its rule");
        char *again = emit_json(jback, &EO, NULL);
        CHECK_STR(again, json, "and writes out the same");
        free(again);
        calendar_free(jback);
    }
    /* the same rule from two calendars is one event; the later report's UNTIL wins either way */
    for (int order = 0; order < 2; order++) {
        event *x = make("festival", 1, 9, "Corn Exchange", "day1", "2024-05-20");
        x->recur = sat;
        event *y = make("festival", 1, 9, "Corn Exchange", "day2", "2024-05-27");
        y->recur = sat;
        y->recur.um = 8, y->recur.ud = 31;
        event *z = make("festival", 1, 9, "Corn Exchange", "day3", "2024-05-21");
        z->recur = sat;
        calendar *three[3] = {one(order ? y : x), one(z), one(order ? x : y)};
        calendar *all = merge_all(three, 3);
        calendar_finish(all);
        CHECK(calendar_count(all) == 1, "one market");
        CHECK(calendar_count(all) == 1 && calendar_get(all, 0)->recur.um == 8, "until August, as the later report says");
        calendar_free(all);
    }
    /* reports a week apart start the series on two Saturdays: one event, from the first */
    for (int order = 0; order < 2; order++) {
        ev_recur open = {.freq = EV_WEEKLY, .interval = 1, .days = EV_DAY(6)};
        event *x = make("festival", 1, 8, "Kirkgate", "day1", "2024-05-20");
        x->y = 2024, x->m = 5, x->d = 25, x->recur = open;
        event *y = make("festival", 1, 8, "Kirkgate", "day2", "2024-05-27");
        y->y = 2024, y->m = 6, y->d = 1, y->recur = open;
        calendar *two[2] = {one(order ? y : x), one(order ? x : y)};
        calendar *all = merge_all(two, 2);
        calendar_finish(all);
        CHECK(calendar_count(all) == 1, "one weekly market");
        CHECK(calendar_count(all) == 1 && calendar_get(all, 0)->m == 5 && calendar_get(all, 0)->d == 25,
              "from the earlier first Saturday");
        calendar_free(all);
        event *z = make("festival", 1, 8, "Kirkgate", "day3", "2024-05-27");
        z->y = 2024, z->m = 6, z->d = 1, z->recur = open;
        z->recur.interval = 2;
        event *w = make("festival", 1, 8, "Kirkgate", "day4", "2024-05-20");
        w->y = 2024, w->m = 5, w->d = 25, w->recur = z->recur;
        calendar *pair[2] = {one(order ? z : w), one(order ? w : z)};
        all = merge_all(pair, 2);
        CHECK(calendar_count(all) == 2, "every other Saturday from 25 May and from 1 June are two series");
        calendar_free(all);
    }
    /* a report of its first day as past does not end it */
    {
        event *x = make("festival", 1, 9, "Corn Exchange", "day1", "2024-02-20");
        x->recur = sat;
        x->y = 2024, x->m = 3, x->d = 2;
        x->recur.um = 6;
        event *y = make("festival", 2, 9, "Corn Exchange", "day2", "2024-03-04");
        y->status = EV_PAST;
        free(y->uid);
        y->uid = NULL;
        calendar *cx = one(x), *cy = one(y);
        free(calendar_get(cy, 0)->uid);
        calendar_get(cy, 0)->uid = xstrdup(calendar_get(cx, 0)->uid);
        calendar *two[2] = {cx, cy};
        calendar *all = merge_all(two, 2);
        calendar_finish(all);
        CHECK(calendar_count(all) == 1 && calendar_get(all, 0)->recur.freq == EV_WEEKLY,
              "the one-off report under its UID joins the recurring event, which stays recurring");
        CHECK(calendar_count(all) == 1 && calendar_get(all, 0)->status == EV_UPCOMING,
              "and upcoming: Saturdays remain after its newest report");
        calendar_free(all);
    }
    free(ics);
    free(json);
    calendar_free(c);
}

int main(void)
{
    test_same_uid_different_times();
    test_recurrence_override();
    test_join_commutes();
    test_uid_of_another_town();
    test_roundtrip();
    test_recurring();
    test_recurring_days();
    test_clock_changes();
    test_own_json();
    test_hand_written();
    test_hand_written_replaced();
    test_refused();
    test_update();
    test_update_repeated();
    return test_report();
}

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "emit_ics.h"
#include "test.h"

static event *make(const char *type, int y, int m, int d, tx_grain g, int hh, const char *where, const char *town,
                   const char *src)
{
    event *e = xcalloc(1, sizeof *e);
    e->type = xstrdup(type);
    e->y = y, e->m = m, e->d = d;
    e->grain = g;
    if (hh >= 0) {
        e->has_time = true;
        e->hh = hh;
        e->grain = G_MINUTE;
    }
    e->loc_name = xstrdup(where);
    e->loc_locality = xstrdup(town);
    e->timezone = xstrdup("Europe/London");
    e->confidence = 0.8;
    ev_source *s = event_new_source(e);
    s->id = xstrdup(src);
    s->evidence = xstrdup("evidence");
    return e;
}

static void test_merge_month_into_day(void)
{
    calendar *c = calendar_new();
    calendar_add(c, make("vigil", 2023, 11, 1, G_MONTH, -1, "town hall steps", "Bolton", "logan"));
    calendar_add(c, make("vigil", 2023, 11, 4, G_DAY, -1, NULL, "Bolton", "qureshi"));
    calendar_finish(c);
    CHECK(calendar_count(c) == 1, "a month mention and a day mention of one vigil merge");
    event *e = calendar_get(c, 0);
    CHECK(e->grain == G_DAY && e->d == 4, "the merged event keeps the day");
    CHECK_STR(e->loc_name, "town hall steps", "and the place from the other report");
    CHECK(e->nsources == 2, "with both sources");
    calendar_free(c);
}

/* The name two reports give one event: the same whatever order they come in, and one that
   says which kind of fair beats the kind alone. */
static void test_name_choice(void)
{
    static const char *const names[] = {"fair", "antiques fair", "craft fair", "vigil for the children killed",
                                        "vigil for the children caught up", "gala"};
    enum { N = sizeof names / sizeof *names };
    CHECK(event_name_better("antiques fair", "fair") && !event_name_better("fair", "antiques fair"),
          "a name that says which fair beats the kind alone");
    CHECK(event_name_better("vigil for the children killed", "vigil for the children caught up"),
          "of two that say more, the plainer");
    CHECK(event_name_better("fair", NULL) && !event_name_better(NULL, "fair"), "a name beats none");
    /* a strict total order: never both ways, and transitive, so merges do not depend on order */
    bool ok = true;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            bool ij = event_name_better(names[i], names[j]), ji = event_name_better(names[j], names[i]);
            if ((i == j && ij) || (i != j && ij == ji))
                ok = false;
            for (int k = 0; k < N; k++)
                if (ij && event_name_better(names[j], names[k]) && !event_name_better(names[i], names[k]))
                    ok = false;
        }
    CHECK(ok, "the choice is a strict total order");
}

static void test_distinct(void)
{
    calendar *c = calendar_new();
    calendar_add(c, make("march", 2024, 3, 2, G_DAY, 11, "Victoria Square", "Bolton", "a"));
    calendar_add(c, make("march", 2024, 3, 2, G_DAY, 15, "Victoria Square", "Bolton", "b"));
    calendar_add(c, make("rally", 2024, 3, 2, G_DAY, 11, "Victoria Square", "Bolton", "c"));
    calendar_add(c, make("march", 2024, 3, 2, G_DAY, 11, "Queens Park", "Bolton", "d"));
    calendar_add(c, make("march", 2024, 3, 2, G_DAY, 11, "Victoria Square", "Wigan", "e"));
    calendar_finish(c);
    CHECK(calendar_count(c) == 5, "other times, kinds, places and towns stay apart");
    calendar_free(c);
}

/* A festival of three days and a concert of its programme at 6pm on its first: two entries;
   the festival's own first day at 6pm, or "the festival", is the same one. */
static void test_programme_item(void)
{
    calendar *c = calendar_new();
    event *fest = make("festival", 2024, 1, 12, G_DAY, -1, "Town Hall", "Cygnet", "a");
    fest->name = xstrdup("Cygnet Folk Festival");
    fest->has_end = true, fest->ey = 2024, fest->em = 1, fest->ed = 14;
    event *concert = make("festival", 2024, 1, 12, G_DAY, 18, "Town Hall", "Cygnet", "b");
    concert->name = xstrdup("opening concert");
    event *again = make("festival", 2024, 1, 12, G_DAY, 18, "Town Hall", "Cygnet", "c");
    again->name = xstrdup("festival");
    CHECK(!event_same(fest, concert) && !event_same(concert, fest), "a concert of the festival's programme is its own");
    CHECK(event_same(fest, again), "the festival named again at 6pm on its first day is the festival");
    calendar_add(c, fest);
    calendar_add(c, concert);
    calendar_add(c, again);
    calendar_finish(c);
    CHECK(calendar_count(c) == 2, "two entries");
    calendar_free(c);
}

static void test_place_words(void)
{
    /* a town inside another's name is another town; a venue named with more words is the same */
    calendar *c = calendar_new();
    calendar_add(c, make("vigil", 2024, 3, 2, G_DAY, 18, NULL, "York", "a"));
    calendar_add(c, make("vigil", 2024, 3, 2, G_DAY, 18, NULL, "New York", "b"));
    calendar_add(c, make("vigil", 2024, 3, 2, G_DAY, 18, NULL, "Hull", "c"));
    calendar_add(c, make("vigil", 2024, 3, 2, G_DAY, 18, NULL, "Solihull", "d"));
    calendar_finish(c);
    CHECK(calendar_count(c) == 4, "York and New York, Hull and Solihull stay apart");
    calendar_free(c);
    c = calendar_new();
    calendar_add(c, make("rally", 2024, 3, 2, G_DAY, 13, "Queens Park gates", "Bolton", "a"));
    calendar_add(c, make("rally", 2024, 3, 2, G_DAY, 13, "queens park", "Bolton", "b"));
    calendar_add(c, make("rally", 2024, 3, 2, G_DAY, 13, "Park", "Bolton", "c"));
    calendar_add(c, make("rally", 2024, 3, 2, G_DAY, 13, "Parkside", "Bolton", "d"));
    calendar_finish(c);
    CHECK(calendar_count(c) == 2, "a venue named with more words joins it, not one that only shares letters");
    calendar_free(c);
}

static void test_uid_stable(void)
{
    event *a = make("demonstration", 2024, 2, 24, G_DAY, 13, "Queens Park", "Bolton", "x");
    event *b = make("demonstration", 2024, 2, 24, G_DAY, -1, NULL, "Bolton", "y");
    char *ua = event_make_uid(a), *ub = event_make_uid(b);
    CHECK_STR(ua, ub, "the same event from two sources gets the same UID");
    CHECK(strlen(ua) == 16 + strlen("@eventcal"), "a UID is 16 hex digits @eventcal");
    free(ua);
    free(ub);
    event_free(a);
    event_free(b);
    /* the UID is the hash of "kind|date|town in lower case", the date as precise as the event's
       (published calendars hold these UIDs: they must not change) */
    struct {
        int y, m, d;
        tx_grain g;
        const char *town, *key;
    } cases[] = {
        {2024, 2, 24, G_DAY, "Bolton", "vigil|2024-02-24|bolton"},
        {2024, 11, 0, G_MONTH, NULL, "vigil|2024-11|"},
        {987, 3, 1, G_DAY, "Ys", "vigil|0987-03-01|ys"},
        {12000, 3, 1, G_DAY, "ST HELENS", "vigil|12000-03-01|st helens"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        event *e = make("vigil", cases[i].y, cases[i].m, cases[i].d, cases[i].g, -1, NULL, cases[i].town, "z");
        char *uid = event_make_uid(e), want[32];
        snprintf(want, sizeof want, "%016llx@eventcal",
                 (unsigned long long)hash64(cases[i].key, strlen(cases[i].key), 0));
        CHECK_STR(uid, want, cases[i].key);
        free(uid);
        event_free(e);
    }
    a = make("demonstration", 2024, 2, 24, G_DAY, 13, "Queens Park", "Bolton", "x");
    b = make("demonstration", 2024, 2, 24, G_DAY, -1, NULL, "Bolton", "y");
    event_free(a);
    event_free(b);
}

/* Merging any order or subset of reports gives the same UIDs and loses no event. */
static void test_merge_property(void)
{
    enum { N = 8 };
    unsigned seed = 12345;
    char *want[N] = {0};
    size_t nwant = 0;
    {
        calendar *c = calendar_new();
        for (int i = 0; i < N; i++)
            calendar_add(c, make(i % 2 ? "vigil" : "march", 2024, 3, 1 + i / 2, G_DAY, -1, NULL, "Bolton", "s"));
        calendar_finish(c);
        nwant = calendar_count(c);
        for (size_t i = 0; i < nwant; i++)
            want[i] = xstrdup(calendar_get(c, i)->uid);
        calendar_free(c);
    }
    bool all_ok = true;
    for (int round = 0; round < 200; round++) {
        int order[2 * N];
        for (int i = 0; i < 2 * N; i++)
            order[i] = i % N;
        for (int i = 2 * N - 1; i > 0; i--) {
            seed = seed * 1103515245u + 12345u;
            int j = (int)((seed >> 16) % (unsigned)(i + 1));
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        calendar *c = calendar_new();
        char src[16];
        for (int k = 0; k < 2 * N; k++) {
            int i = order[k];
            snprintf(src, sizeof src, "s%d", k);
            calendar_add(c, make(i % 2 ? "vigil" : "march", 2024, 3, 1 + i / 2, G_DAY, -1, NULL, "Bolton", src));
        }
        calendar_finish(c);
        if (calendar_count(c) != nwant)
            all_ok = false;
        for (size_t i = 0; i < calendar_count(c) && all_ok; i++)
            if (strcmp(calendar_get(c, i)->uid, want[i]) != 0)
                all_ok = false;
        calendar_free(c);
    }
    CHECK(all_ok, "200 shuffled, duplicated report orders give the same UIDs in the same order");
    for (size_t i = 0; i < nwant; i++)
        free(want[i]);
}

/* Every physical line of an .ics: CRLF-terminated, at most 75 octets, no stray CR or LF. */
static bool well_folded(const char *ics)
{
    for (const char *p = ics; *p;) {
        const char *e = strstr(p, "\r\n");
        if (!e || e - p > 75)
            return false;
        for (const char *q = p; q < e; q++)
            if (*q == '\r' || *q == '\n')
                return false;
        p = e + 2;
    }
    return true;
}

static void test_folding(void)
{
    /* libical 3.0 folds a value wrongly when the fold falls at its very end ("URL:" and 73
       octets gives "\r\r\n \n"); every length around the fold points must come out right */
    bool all = true;
    for (size_t n = 60; n < 240 && all; n++) {
        calendar *c = calendar_new();
        event *e = make("vigil", 2024, 3, 2, G_DAY, 18, "Victoria Square", "Bolton", "a");
        char *url = xmalloc(n + 1);
        memset(url, 'h', n);
        memcpy(url, "https://", 8);
        url[n] = '\0';
        e->sources[0].url = url;
        calendar_add(c, e);
        calendar_finish(c);
        emit_opts o = {"eventcal", "Europe/London", 1709251200, "test"};
        size_t len;
        char *ics = emit_ics(c, &o, &len);
        all = well_folded(ics) && strstr(ics, "hhhh") != NULL;
        if (!all)
            fprintf(stderr, "  a URL of %zu bytes is folded wrongly\n", n);
        free(ics);
        calendar_free(c);
    }
    CHECK(all, "long values are folded at 75 octets with CRLF, whatever their length");
}

/* The linear scans the index replaced, as the reference the index must agree with. */
static event *scan_same(const calendar *c, const event *e, const event *except)
{
    event *best = NULL;
    for (size_t i = 0; i < calendar_count(c); i++) {
        event *x = calendar_get(c, i);
        if (x == except || x->raw_ics || !event_same(x, e))
            continue;
        if (!best || x->grain > best->grain)
            best = x;
    }
    return best;
}

static event *scan_uid(const calendar *c, const char *uid, bool raw, const event *except)
{
    for (size_t i = 0; uid && i < calendar_count(c); i++) {
        event *x = calendar_get(c, i);
        if (x != except && !x->raw_ics == !raw && x->uid && strcmp(x->uid, uid) == 0)
            return x;
    }
    return NULL;
}

/*
 * Entries are appended, removed, replaced, taken and changed in place (then re-keyed) at random;
 * after every step the index's answers equal those of a walk over the calendar, ties going to the
 * earlier entry.  Few kinds, months and UIDs, so that lookups often have several candidates.
 */
static unsigned rnd_state = 12345;
static int rnd(int n)
{
    rnd_state = rnd_state * 1103515245u + 12345u;
    return (int)((rnd_state >> 16) % (unsigned)n);
}

static void test_index_agrees(void)
{
    static const char *const kinds[] = {"vigil", "march", "rally"};
    static const char *const towns[] = {"Bolton", "Wigan", NULL};
    calendar *c = calendar_new();
    int bad_same = 0, bad_uid = 0, bad_pos = 0;
    for (int step = 0; step < 4000; step++) {
        int op = rnd(10);
        if (op < 5 || calendar_count(c) == 0) {
            event *e = make(kinds[rnd(3)], 2024, 1 + rnd(3), 1 + rnd(4), rnd(2) ? G_DAY : G_MONTH, rnd(3) ? -1 : 10 + rnd(2),
                            NULL, towns[rnd(3)], "s");
            if (rnd(3) == 0)
                e->uid = xasprintf("u%d@example.org", rnd(20));
            if (rnd(20) == 0)
                e->raw_ics = xstrdup("BEGIN:VEVENT\r\nEND:VEVENT\r\n");
            calendar_append(c, e);
        } else if (op < 6) {
            event_free(calendar_remove(c, (size_t)rnd(calendar_count(c))));
        } else if (op < 7) {
            event *e = make(kinds[rnd(3)], 2024, 1 + rnd(3), 1 + rnd(4), rnd(2) ? G_DAY : G_MONTH, -1, NULL, towns[rnd(3)], "r");
            if (rnd(2))
                e->uid = xasprintf("u%d@example.org", rnd(20));
            if (rnd(4) == 0)
                e->raw_ics = xstrdup("BEGIN:VEVENT\r\nEND:VEVENT\r\n");
            size_t i = (size_t)rnd(calendar_count(c));
            event *old = calendar_get(c, i);
            bad_pos += calendar_replace(c, i, e) != old || calendar_get(c, i) != e;
            event_free(old);
        } else if (op < 9) {
            event *x = calendar_get(c, (size_t)rnd(calendar_count(c)));
            x->m = 1 + rnd(3);
            free(x->uid);
            x->uid = rnd(2) ? xasprintf("u%d@example.org", rnd(20)) : NULL;
            calendar_rekey(c, x);
        } else if (step % 50 == 0) {
            size_t n;
            event **all = calendar_take_all(c, &n);
            CHECK(calendar_count(c) == 0, "take_all empties the calendar");
            for (size_t i = 0; i < n; i++)
                calendar_append(c, all[n - 1 - i]); /* back in reverse order */
            free(all);
        }
        event *probe = make(kinds[rnd(3)], 2024, 1 + rnd(3), 1 + rnd(4), rnd(2) ? G_DAY : G_MONTH, -1, NULL, towns[rnd(3)],
                            "p");
        const event *except = calendar_count(c) && rnd(2) ? calendar_get(c, (size_t)rnd(calendar_count(c))) : NULL;
        bad_same += calendar_find_same(c, probe, except) != scan_same(c, probe, except);
        char uid[32];
        snprintf(uid, sizeof uid, "u%d@example.org", rnd(20));
        bool raw = rnd(4) == 0;
        bad_uid += calendar_find_uid(c, uid, raw, except) != scan_uid(c, uid, raw, except);
        event_free(probe);
        for (size_t i = 0; i < calendar_count(c); i++)
            bad_pos += calendar_index_of(c, calendar_get(c, i)) != i;
    }
    CHECK(bad_same == 0, "calendar_find_same agrees with a walk over the calendar");
    CHECK(bad_uid == 0, "calendar_find_uid agrees with a walk over the calendar");
    CHECK(bad_pos == 0, "calendar_index_of gives every entry's place");
    calendar_free(c);
}

static int cmp_source_desc(const void *a, const void *b)
{
    return strcmp(((const ev_source *)b)->id, ((const ev_source *)a)->id);
}

/* Lookups by source id on an event reported by many articles: appended one by one, looked up
   before and after the array is reordered (as calendar_finish sorts it). */
static void test_source_lookup(void)
{
    event *e = make("march", 2024, 3, 2, G_DAY, -1, NULL, "Bolton", "a0");
    int wrong = 0;
    for (int i = 1; i < 300; i++) {
        char id[16];
        snprintf(id, sizeof id, "a%d", i);
        wrong += event_has_source(e, id); /* not there yet */
        event_new_source(e)->id = xstrdup(id);
        wrong += !event_has_source(e, id) || !event_has_source(e, "a0");
    }
    CHECK(wrong == 0, "each source is found once added, and not before");
    qsort(e->sources, e->nsources, sizeof *e->sources, cmp_source_desc);
    wrong = 0;
    for (int i = 0; i < 300; i++) {
        char id[16];
        snprintf(id, sizeof id, "a%d", i);
        ev_source *s = event_source(e, id);
        wrong += !s || strcmp(s->id, id) != 0;
    }
    CHECK(wrong == 0, "after a reordering every source is still found, at its new place");
    CHECK(event_source(e, "b1") == NULL && event_source(e, NULL) == NULL, "unknown and empty ids are not found");
    event *c = event_clone(e);
    CHECK(event_source(c, "a299") && event_source(c, "a299") != event_source(e, "a299"), "a clone looks up its own sources");
    event_free(c);
    event_free(e);
}

/* calendar_has_extra: the same answers as a walk over the extras, for extras added before the
   first lookup and after it. */
static void test_has_extra(void)
{
    calendar *c = calendar_new();
    CHECK(!calendar_has_extra(c, "BEGIN:VTODO\r\nEND:VTODO\r\n"), "an empty calendar has no extras");
    calendar_add_extra(c, xstrdup("BEGIN:VTODO\r\nUID:a\r\nEND:VTODO\r\n"), NULL);
    calendar_add_extra(c, xstrdup("BEGIN:VTIMEZONE\r\nTZID:X\r\nEND:VTIMEZONE\r\n"), "X");
    CHECK(calendar_has_extra(c, "BEGIN:VTODO\r\nUID:a\r\nEND:VTODO\r\n"), "an extra added before the first lookup");
    CHECK(calendar_has_extra(c, "BEGIN:VTIMEZONE\r\nTZID:X\r\nEND:VTIMEZONE\r\n"), "a zone is an extra too");
    CHECK(!calendar_has_extra(c, "BEGIN:VTODO\r\nUID:b\r\nEND:VTODO\r\n"), "not yet added");
    calendar_add_extra(c, xstrdup("BEGIN:VTODO\r\nUID:b\r\nEND:VTODO\r\n"), NULL);
    CHECK(calendar_has_extra(c, "BEGIN:VTODO\r\nUID:b\r\nEND:VTODO\r\n"), "an extra added after the first lookup");
    CHECK(!calendar_has_extra(c, "BEGIN:VTODO\r\nUID:b\r\nEND:VTODO"), "a text that is only a prefix");
    int wrong = 0;
    for (int i = 0; i < 3000; i++) {
        char *t = xasprintf("BEGIN:VTODO\r\nUID:t%d\r\nEND:VTODO\r\n", i);
        wrong += calendar_has_extra(c, t);
        calendar_add_extra(c, t, NULL);
        wrong += !calendar_has_extra(c, t);
    }
    for (int i = 0; i < 3000; i++) {
        char t[64];
        snprintf(t, sizeof t, "BEGIN:VTODO\r\nUID:t%d\r\nEND:VTODO\r\n", i);
        wrong += !calendar_has_extra(c, t);
    }
    CHECK(wrong == 0, "every extra is found once added, and none before");
    CHECK(calendar_extra_count(c) == 3003, "lookups add nothing");
    calendar_free(c);
}

/* Sources and reasons grow by doubling, from their count: a list allocated to its size by
   other code, its room not recorded, grows without being overrun (the ASan build checks). */
static void test_source_room(void)
{
    event *e = make("march", 2024, 3, 2, G_DAY, -1, NULL, "Bolton", "a0");
    size_t reallocs = 0;
    for (int i = 1; i < 1000; i++) {
        char id[16];
        snprintf(id, sizeof id, "a%d", i);
        const ev_source *before = e->sources;
        event_new_source(e)->id = xstrdup(id);
        reallocs += e->sources != before || e->nsources > e->sources_cap;
    }
    CHECK(e->nsources == 1000 && e->sources_cap >= 1000 && reallocs <= 40, "a thousand sources, the room doubling");
    CHECK(strcmp(e->sources[999].id, "a999") == 0 && strcmp(e->sources[0].id, "a0") == 0, "in order");
    event_free(e);

    e = xcalloc(1, sizeof *e);
    e->sources = xcalloc(3, sizeof *e->sources);
    e->nsources = 3;
    for (size_t i = 0; i < 3; i++)
        e->sources[i].id = xstrdup("x");
    ev_source *s = event_new_source(e);
    CHECK(s == &e->sources[3] && !s->id && e->sources_cap >= 4, "a list of unrecorded room is grown, then appended to");
    s->id = xstrdup("y");
    e->reasons = xcalloc(2, sizeof *e->reasons);
    e->nreasons = 2;
    event_reserve_reasons(e, 3);
    CHECK(e->reasons_cap >= 5, "reasons too");
    memset(&e->reasons[2], 0, 3 * sizeof *e->reasons);
    e->nreasons = 5;
    event_free(e);
}

/* The rule of a recurring event: its occurrences, its last day, its RRULE and its status. */
static void test_recurrence_rules(void)
{
    ev_recur sat = {.freq = EV_WEEKLY, .interval = 1, .days = EV_DAY(6), .has_until = true, .uy = 2024, .um = 6, .ud = 30};
    int y, m, d;
    CHECK(ev_recur_next(&sat, 2024, 5, 20, &y, &m, &d) && y == 2024 && m == 5 && d == 25,
          "every Saturday: the first after Monday 20 May is the 25th");
    CHECK(ev_recur_next(&sat, 2024, 6, 1, &y, &m, &d) && m == 6 && d == 1, "a Saturday is its own first");
    CHECK(ev_recur_last(&sat, 2024, 6, 1, &y, &m, &d) && m == 6 && d == 29, "in June: the last is the 29th");
    CHECK(!ev_recur_next(&sat, 2024, 7, 1, &y, &m, &d), "none after its UNTIL");

    ev_recur other = {.freq = EV_WEEKLY, .interval = 2, .days = EV_DAY(5), .has_until = true, .uy = 2024, .um = 8, .ud = 31};
    CHECK(ev_recur_last(&other, 2024, 5, 24, &y, &m, &d) && m == 8 && d == 30,
          "every other Friday from 24 May: the last before 31 August is the 30th");
    ev_recur other2 = other;
    other2.ud = 29;
    CHECK(ev_recur_last(&other2, 2024, 5, 24, &y, &m, &d) && m == 8 && d == 16,
          "and before the 29th the 16th, two weeks earlier");

    ev_recur first_sun = {.freq = EV_MONTHLY, .interval = 1, .days = EV_DAY(7), .ords = EV_ORD(1)};
    CHECK(ev_recur_next(&first_sun, 2024, 5, 20, &y, &m, &d) && m == 6 && d == 2,
          "the first Sunday after 20 May is 2 June (May's was the 5th)");
    ev_recur last_fri = {.freq = EV_MONTHLY, .interval = 1, .days = EV_DAY(5), .ords = EV_ORD(-1), .has_until = true, .uy = 2024, .um = 10, .ud = 31};
    CHECK(ev_recur_next(&last_fri, 2024, 5, 20, &y, &m, &d) && m == 5 && d == 31, "the last Friday of May");
    CHECK(ev_recur_last(&last_fri, 2024, 5, 31, &y, &m, &d) && m == 10 && d == 25, "through October: 25 October");
    ev_recur first_third = {.freq = EV_MONTHLY, .interval = 1, .days = EV_DAY(1), .ords = EV_ORD(1) | EV_ORD(3)};
    CHECK(ev_recur_next(&first_third, 2024, 3, 5, &y, &m, &d) && m == 3 && d == 18,
          "the first and third Mondays: after 4 March the next is the 18th");
    CHECK(ev_recur_next(&first_third, 2024, 3, 19, &y, &m, &d) && m == 4 && d == 1, "then 1 April");
    ev_recur second_last = {.freq = EV_MONTHLY, .interval = 1, .days = EV_DAY(2), .ords = EV_ORD(2) | EV_ORD(-1),
                            .has_until = true, .uy = 2024, .um = 4, .ud = 20};
    CHECK(ev_recur_last(&second_last, 2024, 3, 12, &y, &m, &d) && m == 4 && d == 9,
          "the second and last Tuesdays until 20 April: the last is 9 April");

    event e = {0};
    e.timezone = "Europe/London";
    e.y = 2024, e.m = 6, e.d = 1;
    e.has_time = true, e.hh = 9;
    e.recur = sat;
    e.recur.ud = 29;
    char buf[128];
    CHECK_STR(event_rrule(&e, buf, sizeof buf), "FREQ=WEEKLY;UNTIL=20240629T225959Z;BYDAY=SA",
              "a timed event's UNTIL is the UTC end of its last day (BST)");
    e.has_time = false;
    CHECK_STR(event_rrule(&e, buf, sizeof buf), "FREQ=WEEKLY;UNTIL=20240629;BYDAY=SA", "an all-day one's a DATE");
    e.recur = last_fri;
    e.recur.has_until = false;
    CHECK_STR(event_rrule(&e, buf, sizeof buf), "FREQ=MONTHLY;BYDAY=-1FR", "the last Friday of the month");
    e.recur = other;
    e.recur.ud = 30;
    CHECK_STR(event_rrule(&e, buf, sizeof buf), "FREQ=WEEKLY;UNTIL=20240830;INTERVAL=2;BYDAY=FR", "every other Friday");
    e.recur = first_third;
    CHECK_STR(event_rrule(&e, buf, sizeof buf), "FREQ=MONTHLY;BYDAY=1MO,3MO", "the first and third Mondays");
    e.recur = second_last;
    e.recur.has_until = false;
    CHECK_STR(event_rrule(&e, buf, sizeof buf), "FREQ=MONTHLY;BYDAY=2TU,-1TU", "the second and last Tuesdays");
    e.recur.freq = EV_ONCE;
    CHECK(event_rrule(&e, buf, sizeof buf) == NULL, "a one-off event has none");

    ev_recur r;
    CHECK(ev_recur_parse("FREQ=WEEKLY;UNTIL=20240629T225959Z;BYDAY=SA", "Europe/London", &r) && r.freq == EV_WEEKLY &&
              r.days == EV_DAY(6) && r.has_until && r.um == 6 && r.ud == 29,
          "a UTC UNTIL reads as the day it ends in the event's zone");
    CHECK(ev_recur_parse("FREQ=WEEKLY;UNTIL=20240629T230000Z;BYDAY=SA", "Europe/London", &r) && r.ud == 30,
          "an hour later it is the next day there");
    CHECK(ev_recur_parse("FREQ=MONTHLY;BYDAY=-1FR", NULL, &r) && r.ords == EV_ORD(-1) && r.days == EV_DAY(5), "the last Friday");
    CHECK(ev_recur_parse("FREQ=WEEKLY;INTERVAL=2;BYDAY=FR", NULL, &r) && r.interval == 2, "every other Friday");
    CHECK(!ev_recur_parse("FREQ=WEEKLY;COUNT=4;BYDAY=SA", NULL, &r), "a COUNT is no rule eventcal writes");
    CHECK(ev_recur_parse("FREQ=WEEKLY;BYDAY=SA,SU", NULL, &r) && r.days == (EV_DAY(6) | EV_DAY(7)), "two weekdays");
    CHECK(ev_recur_parse("FREQ=DAILY;UNTIL=20240707", NULL, &r) && r.freq == EV_DAILY && r.days == 0 && r.ud == 7,
          "a daily rule");
    CHECK(!ev_recur_parse("FREQ=DAILY;BYDAY=SA", NULL, &r), "but no daily one on weekdays");
    CHECK(!ev_recur_parse("FREQ=MONTHLY;BYDAY=1SA,1SU", NULL, &r), "nor two weekdays of the month");
    CHECK(ev_recur_parse("FREQ=MONTHLY;BYDAY=1MO,3MO", NULL, &r) && r.ords == (EV_ORD(1) | EV_ORD(3)) &&
              r.days == EV_DAY(1),
          "but two weeks of one weekday are");
    CHECK(!ev_recur_parse("FREQ=MONTHLY;BYDAY=1MO,MO", NULL, &r), "with a week each");
    CHECK(!ev_recur_parse("FREQ=WEEKLY;BYDAY=SA,", NULL, &r), "nor an empty day");
    CHECK(!ev_recur_parse("FREQ=MONTHLY;BYDAY=SU", NULL, &r), "nor a monthly rule without its week");
    CHECK(!ev_recur_parse("FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3", NULL, &r), "nor a yearly one");
    CHECK(!ev_recur_parse("FREQ=WEEKLY;BYDAY=1SA", NULL, &r), "nor a week of the month in a weekly one");

    e.recur = sat;
    e.recur.ud = 29;
    e.y = 2024, e.m = 6, e.d = 1;
    CHECK(event_recur_status(&e, 2024, 6, 20) == EV_UPCOMING, "upcoming while Saturdays remain, its first past");
    CHECK(event_recur_status(&e, 2024, 6, 29) == EV_UPCOMING, "on its last day too");
    CHECK(event_recur_status(&e, 2024, 6, 30) == EV_PAST, "past once its UNTIL is");
    e.recur.has_until = false;
    CHECK(event_recur_status(&e, 2030, 1, 1) == EV_UPCOMING, "without an UNTIL it never ends");
}

/* A rule on several weekdays, and a daily one: their occurrences, last days, RRULEs and series. */
static void test_recurrence_days(void)
{
    int y, m, d;
    ev_recur wkend = {.freq = EV_WEEKLY, .interval = 1, .days = EV_DAY(6) | EV_DAY(7), .has_until = true,
                      .uy = 2024, .um = 6, .ud = 30};
    CHECK(ev_recur_next(&wkend, 2024, 5, 20, &y, &m, &d) && m == 5 && d == 25, "Saturday and Sunday: first the 25th");
    CHECK(ev_recur_next(&wkend, 2024, 5, 26, &y, &m, &d) && m == 5 && d == 26, "a Sunday is one of its days");
    CHECK(ev_recur_last(&wkend, 2024, 6, 1, &y, &m, &d) && m == 6 && d == 30, "in June: the last is Sunday 30th");
    ev_recur mwf = {.freq = EV_WEEKLY, .interval = 1, .days = EV_DAY(1) | EV_DAY(3) | EV_DAY(5), .has_until = true,
                    .uy = 2024, .um = 6, .ud = 30};
    CHECK(ev_recur_last(&mwf, 2024, 6, 3, &y, &m, &d) && m == 6 && d == 28, "Monday, Wednesday and Friday: Friday 28th");
    CHECK(ev_recur_next(&mwf, 2024, 6, 6, &y, &m, &d) && d == 7, "after Thursday comes Friday");

    /* every other week on Tuesday and Thursday, from Thursday 6 June: the 6th, then the week of
       the 17th (18th, 20th); the Tuesday before the first is no occurrence */
    ev_recur tt2 = {.freq = EV_WEEKLY, .interval = 2, .days = EV_DAY(2) | EV_DAY(4), .has_until = true,
                    .uy = 2024, .um = 6, .ud = 30};
    CHECK(ev_recur_next(&tt2, 2024, 6, 6, &y, &m, &d) && d == 6, "every other Tuesday and Thursday: the 6th");
    CHECK(ev_recur_last(&tt2, 2024, 6, 6, &y, &m, &d) && d == 20, "its last in June the 20th (off week 24-30)");
    tt2.ud = 18;
    CHECK(ev_recur_last(&tt2, 2024, 6, 6, &y, &m, &d) && d == 18, "until the 18th: the 18th");
    tt2.ud = 17;
    CHECK(ev_recur_last(&tt2, 2024, 6, 6, &y, &m, &d) && d == 6, "until the 17th: only the 6th");

    ev_recur daily = {.freq = EV_DAILY, .interval = 1, .has_until = true, .uy = 2024, .um = 7, .ud = 7};
    CHECK(ev_recur_next(&daily, 2024, 7, 1, &y, &m, &d) && m == 7 && d == 1, "daily: the first day is its own");
    CHECK(ev_recur_last(&daily, 2024, 7, 1, &y, &m, &d) && m == 7 && d == 7, "daily until the 7th: the 7th");
    CHECK(!ev_recur_next(&daily, 2024, 7, 8, &y, &m, &d), "and none after it");

    event e = {0};
    e.y = 2024, e.m = 6, e.d = 1;
    e.recur = wkend;
    char buf[128];
    CHECK_STR(event_rrule(&e, buf, sizeof buf), "FREQ=WEEKLY;UNTIL=20240630;BYDAY=SA,SU", "BYDAY lists the days");
    e.recur = daily;
    e.m = 7;
    CHECK_STR(event_rrule(&e, buf, sizeof buf), "FREQ=DAILY;UNTIL=20240707", "a daily rule has no BYDAY");

    event a = {0}, b = {0};
    a.recur = b.recur = wkend;
    a.y = b.y = 2024, a.m = b.m = 6, a.d = 1, b.d = 2;
    CHECK(event_same_series(&a, &b), "a weekend market from Saturday and from Sunday: one series");
    b.d = 9;
    CHECK(event_same_series(&a, &b), "and from the next Sunday");
    a.recur.interval = b.recur.interval = 2;
    CHECK(!event_same_series(&a, &b), "every other weekend from the 1st and from the 9th: two series");
    b.d = 16;
    CHECK(event_same_series(&a, &b), "from the 1st and the 16th: one");
    a.recur = b.recur = daily;
    a.d = 1, b.d = 4;
    CHECK(event_same_series(&a, &b), "daily from the 1st and from the 4th: one");
}

/* A weekly market and the one on its first Saturday are two entries; two reports of one rule
   are one. */
static void test_recurring_distinct(void)
{
    ev_recur sat = {.freq = EV_WEEKLY, .interval = 1, .days = EV_DAY(6)};
    calendar *c = calendar_new();
    event *a = make("festival", 2024, 6, 1, G_DAY, 9, "Corn Exchange", "Leeds", "a");
    a->recur = sat;
    event *b = make("festival", 2024, 6, 1, G_DAY, 9, "Corn Exchange", "Leeds", "b");
    b->recur = sat;
    calendar_add(c, a);
    calendar_add(c, b);
    calendar_add(c, make("festival", 2024, 6, 1, G_DAY, 9, "Corn Exchange", "Leeds", "c"));
    calendar_finish(c);
    CHECK(calendar_count(c) == 2, "the two recurring reports are one, the one-off another");
    calendar_free(c);
}

int main(void)
{
    test_programme_item();
    test_place_words();
    test_merge_month_into_day();
    test_distinct();
    test_name_choice();
    test_uid_stable();
    test_merge_property();
    test_folding();
    test_index_agrees();
    test_source_lookup();
    test_source_room();
    test_has_extra();
    test_recurrence_rules();
    test_recurrence_days();
    test_recurring_distinct();
    return test_report();
}

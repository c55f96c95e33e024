#include <stdbool.h>
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
    e->nsources = 1;
    e->sources = xcalloc(1, sizeof *e->sources);
    e->sources[0].id = xstrdup(src);
    e->sources[0].evidence = xstrdup("evidence");
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

int main(void)
{
    test_merge_month_into_day();
    test_distinct();
    test_uid_stable();
    test_merge_property();
    test_folding();
    return test_report();
}

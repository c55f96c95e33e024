/*
 * fuzz_extract: the whole extraction on arbitrary bytes, as `eventcal -f ...` runs it: the
 * text reader, every pipeline stage with the project's own rules, the calendar, and every
 * emitter.  Checks the outputs stay well formed whatever the article says: the iCalendar
 * parses back with exactly one VEVENT per dated event and no component or property that
 * eventcal did not write, the JSON and jCal parse, and the JSON-LD can sit in a <script>
 * element.
 */
#include <jansson.h>
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "article.h"
#include "calendar.h"
#include "config.h"
#include "date.h"
#include "emit_ics.h"
#include "emit_json.h"
#include "fuzz.h"
#include "pipeline.h"
#include "rules.h"
#include "util.h"

static rules *R;
static pipeline *P;
static const emit_opts EO = {"eventcal", "Europe/London", 1709251200 /* 2024-03-01 */, "fuzz"};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    R = fuzz_project_rules("fuzz_extract");
    static const pipeline_opts po = {.timezone = "Europe/London", .day_first = true, .now = 1709251200, .want_events = true};
    P = pipeline_new(R, &po);
    return 0;
}

static void check_ics(const char *ics, size_t nexpected)
{
    icalcomponent *cal = icalparser_parse_string(ics);
    FUZZ_ASSERT(cal != NULL);
    FUZZ_ASSERT(icalcomponent_isa(cal) == ICAL_VCALENDAR_COMPONENT);
    size_t n = 0;
    for (icalcomponent *ve = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ve;
         ve = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
        n++;
        FUZZ_ASSERT(icalcomponent_count_components(ve, ICAL_ANY_COMPONENT) == 0);
        FUZZ_ASSERT(icalcomponent_count_properties(ve, ICAL_UID_PROPERTY) == 1);
        FUZZ_ASSERT(icalcomponent_count_properties(ve, ICAL_SUMMARY_PROPERTY) <= 1);
        FUZZ_ASSERT(icalcomponent_count_properties(ve, ICAL_DESCRIPTION_PROPERTY) <= 1);
        FUZZ_ASSERT(icalcomponent_count_properties(ve, ICAL_LOCATION_PROPERTY) <= 1);
        /* eventcal's own X- properties only: article text cannot add one */
        for (icalproperty *x = icalcomponent_get_first_property(ve, ICAL_X_PROPERTY); x;
             x = icalcomponent_get_next_property(ve, ICAL_X_PROPERTY))
            FUZZ_ASSERT(strncmp(icalproperty_get_x_name(x), "X-EVENTCAL-", 11) == 0);
        FUZZ_ASSERT(icalcomponent_count_properties(ve, ICAL_XLICERROR_PROPERTY) == 0);
    }
    FUZZ_ASSERT(n == nexpected);
    icalcomponent_free(cal);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536) /* the pipeline is linear, but slow inputs waste the fuzzer's time */
        return 0;
    article a;
    memset(&a, 0, sizeof a);
    ec_error err;
    ec_error_clear(&err);
    if (!article_from_text((const char *)data, size, "fuzz.txt", &a, &err)) {
        article_finish(&a);
        return 0;
    }
    if (a.timezone && !tz_known(a.timezone)) { /* as main.c does */
        free(a.timezone);
        a.timezone = NULL;
    }
    pipeline_result res;
    pipeline_run(P, &a, &res);
    calendar *one = calendar_new();
    for (size_t i = 0; i < res.nevents; i++) {
        char *s = emit_explain(res.events[i]);
        free(s);
        calendar_add(one, res.events[i]);
    }
    free(res.events);
    calendar_finish(one);

    size_t n, dated = 0;
    event **evs = xmalloc((calendar_count(one) + 1) * sizeof *evs);
    for (size_t i = 0; i < calendar_count(one); i++) {
        evs[i] = calendar_get(one, i);
        /* emit_ics leaves out what libical cannot write (years after 2999) */
        const event *e = evs[i];
        dated += event_in_calendar(e) && e->y >= 1 && e->y <= 2999 && (!e->has_end || (e->ey >= 1 && e->ey <= 2999));
    }
    char *s = emit_ics(one, &EO, &n);
    FUZZ_ASSERT(strlen(s) == n);
    check_ics(s, dated);
    free(s);

    s = emit_json(one, &EO, &n);
    json_error_t je;
    json_t *j = json_loads(s, 0, &je);
    FUZZ_ASSERT(j != NULL);
    json_decref(j);
    free(s);

    /* jCal: the .ics's pieces parsed again one at a time; whatever the text, JSON */
    s = emit_jcal(one, &EO, &n);
    FUZZ_ASSERT(strlen(s) == n);
    j = json_loads(s, 0, &je);
    FUZZ_ASSERT(j != NULL && json_is_array(j) && json_array_size(j) == 3);
    json_decref(j);
    free(s);

    s = emit_jsonld(one, &EO, &n);
    FUZZ_ASSERT(strchr(s, '<') == NULL); /* not even "<!--<script>" */
    free(s);
    s = emit_tsv(one, &EO, &n);
    free(s);
    s = emit_events_line(&a, evs, calendar_count(one), &EO);
    FUZZ_ASSERT(strchr(s, '\n') == s + strlen(s) - 1);
    free(s);
    s = emit_timex_line(&a, res.timex, res.ntimex, TX_STYLE_TIMEML);
    free(s);
    s = emit_timex_line(&a, res.timex, res.ntimex, TX_STYLE_INSTANT);
    free(s);
    s = emit_meta_line(&a);
    free(s);
    free(evs);
    calendar_free(one);
    article_finish(&a);
    return 0;
}

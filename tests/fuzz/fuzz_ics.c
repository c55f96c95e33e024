/*
 * fuzz_ics: reading calendars back, as `eventcal merge` and `--update` do.  The input is read
 * as a calendar file (eventcal JSON when its first non-blank byte is '{', iCalendar
 * otherwise, as ics_read_file() decides) and checked with ics_read_check(); a calendar that
 * reads is then merged with a small fixed calendar (eventcal's events, a hand-written one, a
 * VTODO) both ways round, and updated with it as --update would, and every result is written
 * with emit_ics() and emit_json().  Checks that each written .ics parses back with libical
 * with no X-LIC-ERROR anywhere and one VEVENT per event written, and that ics_read accepts
 * it again with as many events (a calendar --update wrote is one --update can read); the
 * calendar as read is also written as jCal, which must hold the .ics's components in order.
 */
#include <jansson.h>
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "emit_ics.h"
#include "emit_json.h"
#include "fuzz.h"
#include "ics_read.h"
#include "merge.h"
#include "util.h"

static const emit_opts EO = {"eventcal", "Europe/London", 1709251200 /* 2024-03-01 */, "fuzz"};

/* The other calendar: one of eventcal's events whose UID is also in the golden calendars, one
   written by hand, and a component eventcal keeps as it is. */
static const char SMALL[] =
    "BEGIN:VCALENDAR\r\n"
    "PRODID:-//eventcal//eventcal 0.1.0//EN\r\n"
    "VERSION:2.0\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:884efb27bbe88e6f@eventcal\r\n"
    "DTSTAMP:20240301T000000Z\r\n"
    "DTSTART;TZID=Europe/London:20240612T200000\r\n"
    "SUMMARY:Meeting\\, Town Hall\\, Manchester\r\n"
    "LOCATION:Town Hall\\, Manchester\r\n"
    "STATUS:CONFIRMED\r\n"
    "SEQUENCE:1\r\n"
    "X-EVENTCAL-CONFIDENCE:0.9\r\n"
    "X-EVENTCAL-TYPE:meeting\r\n"
    "X-EVENTCAL-STATUS:upcoming\r\n"
    "X-EVENTCAL-PRECISION:minute\r\n"
    "X-EVENTCAL-PLACE:Town Hall\r\n"
    "X-EVENTCAL-LOCALITY:Manchester\r\n"
    "X-EVENTCAL-TIMEZONE:Europe/London\r\n"
    "X-EVENTCAL-SOURCE;X-ID=b;X-PUBLISHED=2024-06-05;X-SPAN=0-20;X-TITLE=Update:https://n.example/b\r\n"
    "X-EVENTCAL-EVIDENCE;X-ID=b:The meeting moves to the Town Hall at 8pm.\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:0b2c9f8e1a7d3c55@eventcal\r\n"
    "DTSTAMP:20240301T000000Z\r\n"
    "DTSTART;VALUE=DATE:20240224\r\n"
    "SUMMARY:Protest\\, Bolton\r\n"
    "X-EVENTCAL-CONFIDENCE:0.7\r\n"
    "X-EVENTCAL-TYPE:protest\r\n"
    "X-EVENTCAL-STATUS:upcoming\r\n"
    "X-EVENTCAL-PRECISION:day\r\n"
    "X-EVENTCAL-LOCALITY:Bolton\r\n"
    "X-EVENTCAL-SOURCE;X-ID=c;X-PUBLISHED=2024-02-20:https://n.example/c\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:0000000000000001@eventcal\r\n"
    "DTSTAMP:20240301T120000Z\r\n"
    "DTSTART;VALUE=DATE:20240320\r\n"
    "SUMMARY:An old eventcal entry edited by hand\r\n"
    "SEQUENCE:3\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VTODO\r\n"
    "UID:todo-1@example.org\r\n"
    "DTSTAMP:20240301T120000Z\r\n"
    "SUMMARY:Print leaflets\r\n"
    "END:VTODO\r\n"
    "END:VCALENDAR\r\n";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    /* the fixed calendar must read, or every input would test nothing */
    calendar *c = ics_read_ics("small.ics", SMALL, sizeof SMALL - 1, NULL);
    FUZZ_ASSERT(c != NULL);
    calendar_free(c);
    return 0;
}

/* The input as ics_read_file() would read it; NULL when it is refused. */
static calendar *read_input(const char *text, size_t len)
{
    size_t i = 0;
    while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
        i++;
    if (i < len && text[i] == '{')
        return ics_read_json("fuzz.json", text, len, NULL);
    return ics_read_ics("fuzz.ics", text, len, NULL);
}

static calendar *read_small(void)
{
    calendar *c = ics_read_ics("small.ics", SMALL, sizeof SMALL - 1, NULL);
    FUZZ_ASSERT(c != NULL);
    return c;
}

/* As emit_ics.c decides: an eventcal event is written when it is dated in years 1 to 2999. */
static size_t written_events(const calendar *c)
{
    size_t n = 0;
    for (size_t i = 0; i < calendar_count(c); i++) {
        const event *e = calendar_get(c, i);
        n += e->raw_ics || (event_in_calendar(e) && e->y >= 1 && e->y <= 2999 &&
                            (!e->has_end || (e->ey >= 1 && e->ey <= 2999)));
    }
    return n;
}

static size_t count_errors(icalcomponent *comp)
{
    size_t n = icalcomponent_count_properties(comp, ICAL_XLICERROR_PROPERTY);
    for (icalcomponent *sub = icalcomponent_get_first_component(comp, ICAL_ANY_COMPONENT); sub;
         sub = icalcomponent_get_next_component(comp, ICAL_ANY_COMPONENT))
        n += count_errors(sub);
    return n;
}

/* jCal, written a component at a time, holds the components of the .ics (cal) in its order:
   libical's parser gathers a calendar's VTIMEZONEs first, so they are counted apart. */
static void check_jcal(const calendar *c, icalcomponent *cal)
{
    size_t n;
    char *text = emit_jcal(c, &EO, &n);
    FUZZ_ASSERT(strlen(text) == n);
    json_error_t je;
    json_t *doc = json_loads(text, 0, &je);
    FUZZ_ASSERT(doc != NULL && json_is_array(doc) && json_array_size(doc) == 3);
    FUZZ_ASSERT(json_is_string(json_array_get(doc, 0)) && strcmp(json_string_value(json_array_get(doc, 0)), "vcalendar") == 0);
    json_t *comps = json_array_get(doc, 2);
    FUZZ_ASSERT(json_is_array(comps));
    size_t j = 0, zones = 0, jzones = 0;
    for (icalcomponent *sub = icalcomponent_get_first_component(cal, ICAL_ANY_COMPONENT); sub;
         sub = icalcomponent_get_next_component(cal, ICAL_ANY_COMPONENT)) {
        if (icalcomponent_isa(sub) == ICAL_VTIMEZONE_COMPONENT) {
            zones++;
            continue;
        }
        const char *kind;
        for (;; j++) {
            json_t *jc = json_array_get(comps, j);
            FUZZ_ASSERT(json_is_array(jc) && json_is_string(json_array_get(jc, 0)));
            kind = json_string_value(json_array_get(jc, 0));
            if (strcmp(kind, "vtimezone") != 0)
                break;
            jzones++;
        }
        FUZZ_ASSERT(ascii_strcaseeq(kind, icalcomponent_kind_to_string(icalcomponent_isa(sub))));
        j++;
    }
    for (; j < json_array_size(comps); j++, jzones++)
        FUZZ_ASSERT(strcmp(json_string_value(json_array_get(json_array_get(comps, j), 0)), "vtimezone") == 0);
    FUZZ_ASSERT(zones == jzones);
    json_decref(doc);
    free(text);
}

/* Writes c (finished) and checks what was written, its jCal too when asked (the slowest
   writer, and the merged calendars hold the same kinds of component); frees c. */
static void write_and_check(calendar *c, bool jcal)
{
    calendar_finish(c);
    size_t expected = written_events(c);
    size_t n;
    char *ics = emit_ics(c, &EO, &n);
    FUZZ_ASSERT(strlen(ics) == n);

    icalcomponent *cal = icalparser_parse_string(ics);
    FUZZ_ASSERT(cal != NULL);
    FUZZ_ASSERT(icalcomponent_isa(cal) == ICAL_VCALENDAR_COMPONENT);
    FUZZ_ASSERT(count_errors(cal) == 0);
    FUZZ_ASSERT((size_t)icalcomponent_count_components(cal, ICAL_VEVENT_COMPONENT) == expected);
    if (jcal)
        check_jcal(c, cal);
    icalcomponent_free(cal);

    calendar *again = ics_read_ics("written.ics", ics, n, NULL);
    FUZZ_ASSERT(again != NULL);
    FUZZ_ASSERT(calendar_count(again) == expected);
    calendar_free(again);
    free(ics);

    char *json = emit_json(c, &EO, &n);
    json_error_t je;
    json_t *j = json_loads(json, 0, &je);
    FUZZ_ASSERT(j != NULL);
    json_decref(j);
    free(json);
    calendar_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536)
        return 0;
    const char *text = (const char *)data;

    strbuf problems;
    sb_init(&problems);
    ics_read_check("fuzz.ics", text, size, &problems);
    sb_finish(&problems);

    calendar *in = read_input(text, size);
    if (!in)
        return 0;
    write_and_check(in, true);

    /* eventcal merge INPUT SMALL, and the other way round: the same calendar */
    calendar *ab[2] = {read_input(text, size), read_small()}, *ba[2] = {read_small(), read_input(text, size)};
    calendar *one = merge_all(ab, 2), *other = merge_all(ba, 2);
    calendar_finish(one);
    calendar_finish(other);
    char *s1 = emit_ics(one, &EO, NULL), *s2 = emit_ics(other, &EO, NULL);
    FUZZ_ASSERT(strcmp(s1, s2) == 0);
    free(s1);
    free(s2);
    write_and_check(one, false);
    write_and_check(other, false);

    /* --update INPUT with a run that found SMALL's events */
    calendar *old = read_input(text, size);
    calendar *fresh = read_small();
    calendar_finish(fresh);
    merge_stats st;
    merge_update(old, fresh, 1709337600 /* a day after EO.now */, &st);
    write_and_check(old, false);
    return 0;
}

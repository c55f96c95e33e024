#include "emit_ics.h"

#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"

/* Sources an event's DESCRIPTION lists (the oldest, as calendar_finish sorts them). */
enum { DESCRIPTION_SOURCES = 20 };

/*
 * Article text goes into TEXT properties.  libical escapes , ; \ and newlines; what it cannot
 * make safe are other control characters, so they become spaces here.  CR is dropped so that
 * "\r\nBEGIN:VEVENT" in an article stays text inside one property.
 */
static char *clean_text(const char *s)
{
    strbuf sb;
    sb_init(&sb);
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\r')
            continue;
        if (c < 0x20 && c != '\n')
            c = ' ';
        if (c == 0x7F)
            c = ' ';
        sb_addc(&sb, (char)c);
    }
    return sb_steal(&sb);
}

/*
 * The URL property's value: an http(s) URI (RFC 3986), or NULL when `url` is not one.  Letters
 * outside ASCII (an IRI) are percent-encoded; spaces, quotes, control characters and the other
 * bytes a URI cannot hold mean the text is not a URL at all, and it is left to DESCRIPTION.
 * Returns memory the caller frees.
 */
static char *uri_of(const char *url)
{
    if (!url || (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0))
        return NULL;
    strbuf sb;
    sb_init(&sb);
    for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
        if (*p >= 0x80) {
            sb_printf(&sb, "%%%02X", *p);
        } else if (*p <= 0x20 || *p == 0x7F || strchr("\"<>\\^`{|}", *p)) {
            sb_finish(&sb);
            return NULL;
        } else {
            sb_addc(&sb, (char)*p);
        }
    }
    return sb_steal(&sb);
}

static void add_text(icalcomponent *ve, icalproperty *(*make)(const char *), const char *s)
{
    if (!s || !*s)
        return;
    char *t = clean_text(s);
    icalcomponent_add_property(ve, make(t));
    free(t);
}

static icalproperty *x_prop(const char *name, const char *value)
{
    icalproperty *p = icalproperty_new_x(value);
    icalproperty_set_x_name(p, name);
    return p;
}

/* libical's built-in zones carry a "/freeassociation.sourceforge.net/" TZID that other readers
   reject; the calendar uses the plain IANA name on both the VTIMEZONE and every TZID. */
static icalcomponent *vtimezone_for(const char *tz, int first_year)
{
    icaltimezone *zone = icaltimezone_get_builtin_timezone(tz);
    if (!zone)
        return NULL;
    icalcomponent *vtz = icalcomponent_new_clone(icaltimezone_get_component(zone));
    icalproperty *p = icalcomponent_get_first_property(vtz, ICAL_TZID_PROPERTY);
    if (p)
        icalproperty_set_tzid(p, tz);
    /* the zone's whole history since 1847 helps no reader: keep the rules from the first year
       used on, which is what importers need to place every event */
    struct icaltimetype from = icaltime_null_time();
    from.year = first_year;
    from.month = 1;
    from.day = 1;
    from.zone = icaltimezone_get_utc_timezone();
    icaltimezone_truncate_vtimezone(vtz, from, icaltime_null_time(), 0);
    /* X-LIC-LOCATION is libical's own; keep the file portable */
    icalproperty *x = icalcomponent_get_first_property(vtz, ICAL_X_PROPERTY);
    while (x) {
        icalproperty *next = icalcomponent_get_next_property(vtz, ICAL_X_PROPERTY);
        icalcomponent_remove_property(vtz, x);
        icalproperty_free(x);
        x = next;
    }
    return vtz;
}

/* libical has no built-in UTC zone: its VTIMEZONE is one fixed rule. */
static icalcomponent *vtimezone_utc(const char *name)
{
    icalcomponent *vtz = icalcomponent_new(ICAL_VTIMEZONE_COMPONENT);
    icalcomponent_add_property(vtz, icalproperty_new_tzid(name));
    icalcomponent *std = icalcomponent_new(ICAL_XSTANDARD_COMPONENT);
    struct icaltimetype start = icaltime_null_time();
    start.year = 1970;
    start.month = 1;
    start.day = 1;
    icalcomponent_add_property(std, icalproperty_new_dtstart(start));
    icalcomponent_add_property(std, icalproperty_new_tzoffsetfrom(0));
    icalcomponent_add_property(std, icalproperty_new_tzoffsetto(0));
    icalcomponent_add_property(std, icalproperty_new_tzname("UTC"));
    icalcomponent_add_component(vtz, std);
    return vtz;
}

static struct icaltimetype local_time(int y, int m, int d, int hh, int mm)
{
    struct icaltimetype t = icaltime_null_time();
    t.year = y;
    t.month = m;
    t.day = d;
    t.hour = hh;
    t.minute = mm;
    return t;
}

/* The instant a wall-clock time in zone tz names (tz_local_offset); as UTC when the zone is
   unknown. */
static int64_t local_instant(const char *tz, int y, int m, int d, int hh, int mm)
{
    int64_t t;
    return tz_local_to_utc(tz, y, m, d, hh, mm, &t) ? t : datetime_to_epoch_utc(y, m, d, hh, mm, 0);
}

static struct icaltimetype utc_time(int64_t t)
{
    datetime u;
    datetime_from_epoch_utc(t, &u);
    struct icaltimetype r = local_time(u.y, u.m, u.d, u.hh, u.mm);
    r.zone = icaltimezone_get_utc_timezone();
    return r;
}

static bool shown_twice(const char *tz, const datetime *t)
{
    int off;
    tz_wall wall;
    return tz_local_offset(tz, t->y, t->m, t->d, t->hh, t->mm, &off, &wall) && wall == TZ_WALL_TWICE;
}

static struct icaltimetype date_only(int y, int m, int d)
{
    struct icaltimetype t = icaltime_null_date();
    t.year = y;
    t.month = m;
    t.day = d;
    t.is_date = 1;
    return t;
}

const char *ics_grain_name(tx_grain g)
{
    /* finer than ev_grain_name(), which shows G_POD as "day" */
    return g == G_POD ? "part-of-day" : ev_grain_name(g);
}

static icalproperty *with_tzid(icalproperty *p, const char *tz)
{
    icalproperty_add_parameter(p, icalparameter_new_tzid(tz));
    return p;
}

static void add_x_text(icalcomponent *ve, const char *name, const char *s)
{
    if (!s || !*s)
        return; /* libical refuses an X- property without a value */
    char *t = clean_text(s);
    icalcomponent_add_property(ve, x_prop(name, t));
    free(t);
}

static void add_x_param(icalproperty *p, const char *name, const char *value)
{
    if (!value)
        return;
    char *t = clean_text(value);
    icalparameter *q = icalparameter_new_x(t);
    icalparameter_set_xname(q, name);
    icalproperty_add_parameter(p, q);
    free(t);
}

/*
 * eventcal's own properties: what the JSON carries and RFC 5545 has no property for, so that
 * ics_read can rebuild the event exactly and merge and --update work on .ics files alone.
 * The format is documented in eventcal(1), ROUND TRIP.  Parameter values with quotes or line
 * breaks are written by libical with RFC 6868 escapes.
 */
static void add_roundtrip(icalcomponent *ve, const event *e)
{
    add_x_text(ve, "X-EVENTCAL-TYPE", e->type);
    add_x_text(ve, "X-EVENTCAL-STATUS", ev_status_name(e->status));
    add_x_text(ve, "X-EVENTCAL-PRECISION", ics_grain_name(e->grain));
    add_x_text(ve, "X-EVENTCAL-NAME", e->name);
    add_x_text(ve, "X-EVENTCAL-PLACE", e->loc_name);
    add_x_text(ve, "X-EVENTCAL-LOCALITY", e->loc_locality);
    add_x_text(ve, "X-EVENTCAL-END-POINT", e->end_point);
    add_x_text(ve, "X-EVENTCAL-ORGANISER", e->organiser);
    add_x_text(ve, "X-EVENTCAL-ORIGINAL-DATE", e->original_date);
    add_x_text(ve, "X-EVENTCAL-TIMEZONE", e->timezone);
    if (e->pod[0])
        add_x_text(ve, "X-EVENTCAL-PART-OF-DAY", e->pod);
    if (e->has_end) {
        char end[32];
        if (e->end_has_time)
            snprintf(end, sizeof end, "%04d-%02d-%02dT%02d:%02d", e->ey, e->em, e->ed, e->eh, e->emin);
        else
            snprintf(end, sizeof end, "%04d-%02d-%02d", e->ey, e->em, e->ed);
        add_x_text(ve, "X-EVENTCAL-END", end);
    }
    if (e->has_time && !(e->has_end && e->end_has_time)) {
        char dur[16];
        snprintf(dur, sizeof dur, "%d", e->default_minutes > 0 ? e->default_minutes : 120);
        add_x_text(ve, "X-EVENTCAL-MINUTES", dur);
    }
    if (e->date_inferred)
        add_x_text(ve, "X-EVENTCAL-DATE-INFERRED", "TRUE");
    /* when the reports that gave the time, end, place and town were published */
    const struct { const char *name; int64_t t; } said[] = {
        {"time", e->said_time}, {"end", e->said_end}, {"place", e->said_place}, {"locality", e->said_locality},
        {"recur", e->recur.freq != EV_ONCE ? e->said_recur : 0}};
    strbuf rep;
    sb_init(&rep);
    for (size_t i = 0; i < sizeof said / sizeof *said; i++) {
        if (!said[i].t)
            continue;
        datetime dt;
        datetime_from_epoch_utc(said[i].t, &dt);
        sb_printf(&rep, "%s%s=%04d%02d%02dT%02d%02d%02dZ", rep.len ? "," : "", said[i].name, dt.y, dt.m, dt.d, dt.hh,
                  dt.mm, dt.ss);
    }
    add_x_text(ve, "X-EVENTCAL-REPORTED", rep.s);
    sb_finish(&rep);
    for (size_t i = 0; i < e->nsources; i++) {
        const ev_source *s = &e->sources[i];
        /* a source without a URL (plain text on standard input) is written as "-" */
        char *u = clean_text(s->url && *s->url ? s->url : "-");
        icalproperty *p = x_prop("X-EVENTCAL-SOURCE", u);
        free(u);
        add_x_param(p, "X-ID", s->id);
        add_x_param(p, "X-PUBLISHED", s->published);
        char span[48];
        snprintf(span, sizeof span, "%zu-%zu", s->span_start, s->span_end);
        add_x_param(p, "X-SPAN", span);
        add_x_param(p, "X-TITLE", s->title);
        icalcomponent_add_property(ve, p);
        if (s->evidence && *s->evidence) {
            char *ev = clean_text(s->evidence);
            icalproperty *q = x_prop("X-EVENTCAL-EVIDENCE", ev);
            free(ev);
            add_x_param(q, "X-ID", s->id);
            icalcomponent_add_property(ve, q);
        }
    }
}

/* libical writes a date after the year 3000 as "00000000T000000", which no reader accepts (a
   publication date in year 4048 resolves "on Saturday" there): such events are left out of the
   calendar rather than corrupting it.  The end may be a day or two later than the start. */
static bool year_representable(int y)
{
    return y >= 1 && y <= DATE_YEAR_MAX;
}

static bool ics_representable(const event *e)
{
    return year_representable(e->y) && (!e->has_end || year_representable(e->ey));
}

/* The VEVENT of an event (caller frees), its times in zone tz. */
static icalcomponent *event_vevent(const event *e, const emit_opts *o, const char *tz)
{
    icalcomponent *ve = icalcomponent_new_vevent();
    icalcomponent_add_property(ve, icalproperty_new_uid(e->uid));
    icalcomponent_add_property(ve, icalproperty_new_dtstamp(icaltime_from_timet_with_zone((time_t)o->now, 0, icaltimezone_get_utc_timezone())));
    bool utc = strcmp(tz, "UTC") == 0;
    if (e->has_time) {
        /* the times are local to the event's zone (UTC when libical does not know it): as
           instants, so that a length across a clock change is the time that passes (an hour
           from 00:30 on the March change in London ends at 02:30 BST, not 01:30 BST) */
        const char *own = e->timezone ? e->timezone : o->timezone;
        int64_t ts = local_instant(own, e->y, e->m, e->d, e->hh, e->mm);
        int64_t te = e->has_end && e->end_has_time
                         ? local_instant(own, e->ey, e->em, e->ed, e->eh, e->emin)
                         : ts + (int64_t)(e->default_minutes > 0 ? e->default_minutes : 120) * 60;
        if (e->has_end && !e->end_has_time && date_to_days(e->ey, e->em, e->ed) > date_to_days(e->y, e->m, e->d)) {
            /* "from Friday to Sunday ... It starts at 6pm on the Friday": an hour to start at
               and a last day, which ends with that day */
            ymd after = date_add_days((ymd){e->ey, e->em, e->ed}, 1);
            te = local_instant(own, after.y, after.m, after.d, 0, 0);
        }
        datetime ls, le;
        if (!utc && tz_utc_to_local(tz, ts, &ls) && tz_utc_to_local(tz, te, &le) &&
            !shown_twice(tz, &ls) && !shown_twice(tz, &le)) {
            struct icaltimetype s = local_time(ls.y, ls.m, ls.d, ls.hh, ls.mm);
            struct icaltimetype en = local_time(le.y, le.m, le.d, le.hh, le.mm);
            icalcomponent_add_property(ve, with_tzid(icalproperty_new_dtstart(s), tz));
            icalcomponent_add_property(ve, with_tzid(icalproperty_new_dtend(en), tz));
        } else {
            /* a time the clocks show twice (the hour they go back) is the first of the two
               for RFC 5545 and tzdata, the second for libical and ical.js: UTC says it to
               every reader alike (ics_read gives it back in the event's zone) */
            icalcomponent_add_property(ve, icalproperty_new_dtstart(utc_time(ts)));
            icalcomponent_add_property(ve, icalproperty_new_dtend(utc_time(te)));
        }
    } else {
        struct icaltimetype s = date_only(e->y, e->m, e->d);
        ymd last = e->has_end ? (ymd){e->ey, e->em, e->ed} : (ymd){e->y, e->m, e->d};
        ymd after = date_add_days(last, 1); /* DTEND of an all-day event is exclusive */
        icalcomponent_add_property(ve, icalproperty_new_dtstart(s));
        icalcomponent_add_property(ve, icalproperty_new_dtend(date_only(after.y, after.m, after.d)));
        icalcomponent_add_property(ve, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
    }
    char rrule[128];
    if (event_rrule(e, rrule, sizeof rrule)) {
        /* the rule's text is eventcal's own (event_rrule()), in the order libical prints it */
        struct icalrecurrencetype rt = icalrecurrencetype_from_string(rrule);
        icalcomponent_add_property(ve, icalproperty_new_rrule(rt));
    }
    add_text(ve, icalproperty_new_summary, e->title);
    if (e->loc_name || e->loc_locality) {
        strbuf loc;
        sb_init(&loc);
        if (e->loc_name)
            sb_adds(&loc, e->loc_name);
        if (e->loc_locality && (!e->loc_name || !ascii_strcasestr(e->loc_name, e->loc_locality))) {
            if (loc.len)
                sb_adds(&loc, ", ");
            sb_adds(&loc, e->loc_locality);
        }
        add_text(ve, icalproperty_new_location, loc.s);
        sb_finish(&loc);
    }
    strbuf desc;
    sb_init(&desc);
    /* for people: an event reported by thousands of articles would make a DESCRIPTION of
       megabytes, which calendar apps cut or refuse (and libical reads a value in time
       quadratic in its length); every source is still in X-EVENTCAL-SOURCE and the JSON */
    size_t shown = e->nsources < DESCRIPTION_SOURCES ? e->nsources : DESCRIPTION_SOURCES;
    for (size_t i = 0; i < shown; i++) {
        const ev_source *s = &e->sources[i];
        if (i)
            sb_adds(&desc, "\n\n");
        if (s->evidence)
            sb_printf(&desc, "\"%s\"\n", s->evidence);
        sb_adds(&desc, "Source: ");
        sb_adds(&desc, s->title ? s->title : s->id);
        if (s->published)
            sb_printf(&desc, " (%s)", s->published);
        if (s->url)
            sb_printf(&desc, "\n%s", s->url);
    }
    if (shown < e->nsources)
        sb_printf(&desc, "\n\n(and %zu more reports)", e->nsources - shown);
    if (e->organiser)
        sb_printf(&desc, "\n\nOrganised by %s", e->organiser);
    add_text(ve, icalproperty_new_description, desc.s);
    sb_finish(&desc);
    for (size_t i = 0; i < e->nsources; i++) {
        char *u = uri_of(e->sources[i].url);
        if (u) {
            icalcomponent_add_property(ve, icalproperty_new_url(u));
            free(u);
            break;
        }
    }
    add_text(ve, icalproperty_new_categories, e->type);
    /* a postponed event does not happen on its original day: calendars show it as cancelled
       there, and the new day is an event of its own */
    icalproperty_status st = e->status == EV_CANCELLED || e->status == EV_POSTPONED ? ICAL_STATUS_CANCELLED
                             : e->confidence >= 0.7     ? ICAL_STATUS_CONFIRMED
                                                        : ICAL_STATUS_TENTATIVE;
    icalcomponent_add_property(ve, icalproperty_new_status(st));
    if (e->sequence > 0)
        icalcomponent_add_property(ve, icalproperty_new_sequence(e->sequence));
    if (e->last_modified) {
        /* the same limit for a stamp read from a calendar ("LAST-MODIFIED:40480616T000000Z"
           came back as 00000000T000000, which libical itself then refuses): left out */
        struct icaltimetype lm = icaltime_from_string(e->last_modified);
        if (!icaltime_is_null_time(lm) && year_representable(lm.year))
            icalcomponent_add_property(ve, icalproperty_new_lastmodified(lm));
    }
    char conf[16];
    snprintf(conf, sizeof conf, "%.2f", e->confidence);
    icalcomponent_add_property(ve, x_prop("X-EVENTCAL-CONFIDENCE", conf));
    add_roundtrip(ve, e);
    return ve;
}

/* Appends one logical line, folded: at most 75 octets a line, never inside a UTF-8 sequence,
   each continuation starting with a space, CRLF after each. */
static void fold_line(const char *l, size_t n, strbuf *out)
{
    size_t p = 0, width = 75;
    while (n - p > width) {
        size_t cut = p + width;
        while (cut > p + 1 && ((unsigned char)l[cut] & 0xC0) == 0x80)
            cut--; /* not in the middle of a character */
        sb_add(out, l + p, cut - p);
        sb_add(out, "\r\n ", 3);
        p = cut;
        width = 74; /* the space takes one octet */
    }
    sb_add(out, l + p, n - p);
    sb_add(out, "\r\n", 2);
}

/*
 * libical 3.0 folds some long values wrongly: when the fold falls at the very end of a value
 * ("UID:" and 73 octets) it writes "\r\r\n \n", a doubled CR and a bare LF that parsers refuse
 * (fuzz_ics found it; long URLs and UIDs hit it).  Its output is unfolded here and folded
 * again: one logical line at a time, continuation lines (starting with a space or tab) joined,
 * stray CRs dropped.
 */
static void refold(const char *t, strbuf *out)
{
    strbuf line;
    sb_init(&line);
    bool have = false;
    for (const char *p = t; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        size_t m = n;
        while (m && p[m - 1] == '\r')
            m--;
        if (have && (*p == ' ' || *p == '\t')) {
            sb_add(&line, p + 1, m ? m - 1 : 0);
        } else if (m) {
            if (have)
                fold_line(line.s, line.len, out);
            sb_reset(&line);
            sb_add(&line, p, m);
            have = true;
        }
        p = nl ? nl + 1 : p + n;
    }
    if (have)
        fold_line(line.s, line.len, out);
    sb_finish(&line);
}

void emit_ics_pieces(const calendar *c, const emit_opts *o, strbuf *sb, ics_put_fn put, void *arg)
{
    icalcomponent *cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
    char *prodid = xasprintf("-//eventcal//eventcal %s//EN", o->version);
    icalcomponent_add_property(cal, icalproperty_new_prodid(prodid));
    free(prodid);
    icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
    icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
    icalcomponent_add_property(cal, icalproperty_new_method(ICAL_METHOD_PUBLISH));
    icalcomponent_add_property(cal, x_prop("X-WR-CALNAME", o->calname));
    icalcomponent_add_property(cal, x_prop("X-WR-TIMEZONE", o->timezone));
    /* subscribed feeds: how often clients should fetch again */
    icalproperty *ri = x_prop("REFRESH-INTERVAL", "PT12H");
    icalproperty_add_parameter(ri, icalparameter_new_value(ICAL_VALUE_DURATION));
    icalcomponent_add_property(cal, ri);
    icalcomponent_add_property(cal, x_prop("X-PUBLISHED-TTL", "PT12H"));

    /* one VTIMEZONE per zone used by a timed event; the calendar's own
       zone (X-WR-TIMEZONE) always has one, which also keeps a calendar without events valid
       (RFC 5545 wants at least one component) */
    /* as many as the events use (a cap had written events of later zones in "UTC" with their
       local times); zset finds a zone's place in them */
    const char **zones = xmalloc((calendar_count(c) + 2) * sizeof *zones);
    icalcomponent **vtzs = xmalloc((calendar_count(c) + 2) * sizeof *vtzs); /* their VTIMEZONEs,
                                                                               printed after the calendar's own lines */
    strset zset = {0};
    size_t nz = 0;
    {
        datetime now;
        datetime_from_epoch_utc(o->now, &now);
        int first_year = now.y;
        for (size_t k = 0; k < calendar_count(c); k++) {
            const event *e = calendar_get(c, k);
            if (event_in_calendar(e) && e->y < first_year)
                first_year = e->y;
        }
        bool utc = strcmp(o->timezone, "UTC") == 0 || strcmp(o->timezone, "Etc/UTC") == 0;
        icalcomponent *vtz = utc ? vtimezone_utc(o->timezone) : vtimezone_for(o->timezone, first_year);
        if (vtz) {
            strset_add(&zset, o->timezone, nz, NULL);
            vtzs[nz] = vtz;
            zones[nz++] = o->timezone;
        }
    }
    /* the zones timed events use, each with the first year it is used in and whether its
       VTIMEZONE was tried, found in one pass: looked for again at each event, a zone libical
       does not know (which never gets into zones[]) made N events cost N squared */
    strset used = {0};
    int *used_first_year = xmalloc((calendar_count(c) + 1) * sizeof *used_first_year);
    bool *used_tried = xcalloc(calendar_count(c) + 1, sizeof *used_tried);
    for (size_t k = 0; k < calendar_count(c); k++) {
        const event *o2 = calendar_get(c, k);
        if (!event_in_calendar(o2) || !o2->has_time)
            continue;
        bool added;
        size_t *at = strset_add(&used, o2->timezone ? o2->timezone : o->timezone, used.n, &added);
        if (added || o2->y < used_first_year[*at])
            used_first_year[*at] = o2->y;
    }
    for (size_t i = 0; i < calendar_count(c); i++) {
        const event *e = calendar_get(c, i);
        if (e->raw_ics || !event_in_calendar(e) || !ics_representable(e) || !e->has_time)
            continue;
        const char *tz = e->timezone ? e->timezone : o->timezone;
        bool seen = strset_find(&zset, tz) != NULL;
        const size_t *at = strset_find(&used, tz); /* never NULL: e is a timed event in tz */
        if (!seen && at && !used_tried[*at]) {
            /* the answer for a zone does not change: the same name and the same first year */
            used_tried[*at] = true;
            icalcomponent *vtz = vtimezone_for(tz, used_first_year[*at]);
            if (vtz) {
                strset_add(&zset, tz, nz, NULL);
                vtzs[nz] = vtz;
                zones[nz++] = tz;
            }
        }
    }
    strset_free(&used);
    free(used_first_year);
    free(used_tried);
    /* The calendar's own lines, then its zones and events one at a time: libical prints a
       component as its properties, then its components, so the text is the same as that of
       one tree holding them all, which for 20,000 events held 200 MB at once */
    char *lib = icalcomponent_as_ical_string_r(cal);
    icalcomponent_free(cal);
    size_t from = sb->len;
    refold(lib, sb);
    free(lib);
    /* what eventcal does not understand (hand-written events, their zones, other components)
       goes back as it was read, before the closing line */
    static const char end_cal[] = "END:VCALENDAR\r\n";
    size_t el = sizeof end_cal - 1;
    bool tail = sb->len - from >= el && memcmp(sb->s + sb->len - el, end_cal, el) == 0;
    if (tail)
        sb->s[sb->len -= el] = '\0'; /* written again last */
    /* what a calendar read back says of itself besides (an app's COLOR, X-WR-CALDESC), as it
       was written: libical would unescape a value it does not know the type of */
    for (size_t i = 0; i < calendar_prop_count(c); i++)
        fold_line(calendar_prop(c, i), strlen(calendar_prop(c, i)), sb);
    put(sb, from, ICS_HEAD, arg);
    /* last found first: the order they had when libical's icalcomponent_add_component(), which
       puts a VTIMEZONE before the components already there, gathered them in the calendar */
    for (size_t k = nz; k-- > 0;) {
        char *t = icalcomponent_as_ical_string_r(vtzs[k]);
        icalcomponent_free(vtzs[k]);
        from = sb->len;
        refold(t, sb);
        free(t);
        put(sb, from, ICS_COMPONENT, arg);
    }
    for (size_t i = 0; i < calendar_count(c); i++) {
        const event *e = calendar_get(c, i);
        if (e->raw_ics || !event_in_calendar(e) || !ics_representable(e))
            continue;
        const char *tz = e->timezone ? e->timezone : o->timezone;
        bool known = strset_find(&zset, tz) != NULL;
        /* a zone libical does not know cannot get a VTIMEZONE: write such times in UTC */
        icalcomponent *ve = event_vevent(e, o, known ? tz : "UTC");
        char *t = icalcomponent_as_ical_string_r(ve);
        icalcomponent_free(ve);
        from = sb->len;
        refold(t, sb);
        free(t);
        put(sb, from, ICS_COMPONENT, arg);
    }
    for (int zones_first = 1; zones_first >= 0; zones_first--) {
        for (size_t i = 0; i < calendar_extra_count(c); i++) {
            const char *tzid;
            const char *x = calendar_extra(c, i, &tzid);
            bool ours = tzid && strset_find(&zset, tzid) != NULL;
            if (!ours && (tzid != NULL) == zones_first) {
                from = sb->len;
                sb_adds(sb, x);
                put(sb, from, ICS_COMPONENT, arg);
            }
        }
    }
    for (size_t i = 0; i < calendar_count(c); i++) {
        if (calendar_get(c, i)->raw_ics) {
            from = sb->len;
            sb_adds(sb, calendar_get(c, i)->raw_ics);
            put(sb, from, ICS_COMPONENT, arg);
        }
    }
    if (tail) {
        from = sb->len;
        sb_add(sb, end_cal, el);
        put(sb, from, ICS_END, arg);
    }
    strset_free(&zset);
    free(zones);
    free(vtzs);
}

/* the whole text is kept: each piece stays where it was appended */
static void keep_piece(strbuf *sb, size_t from, ics_piece kind, void *arg)
{
    (void)sb, (void)from, (void)kind, (void)arg;
}

char *emit_ics(const calendar *c, const emit_opts *o, size_t *len)
{
    strbuf sb;
    sb_init(&sb);
    emit_ics_pieces(c, o, &sb, keep_piece, NULL);
    if (len)
        *len = sb.len;
    return sb_steal(&sb);
}

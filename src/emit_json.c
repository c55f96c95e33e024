#include "emit_json.h"

#include <jansson.h>
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "jwrite.h"

static const char *pod_name(const char *pod)
{
    if (!pod || !pod[0])
        return NULL;
    if (strcmp(pod, "MO") == 0)
        return "morning";
    if (strcmp(pod, "AF") == 0)
        return "afternoon";
    if (strcmp(pod, "EV") == 0)
        return "evening";
    if (strcmp(pod, "NI") == 0)
        return "night";
    return NULL;
}

static char *stamp_iso(int64_t t)
{
    datetime dt;
    datetime_from_epoch_utc(t, &dt);
    return xasprintf("%04d-%02d-%02dT%02d:%02d:%02dZ", dt.y, dt.m, dt.d, dt.hh, dt.mm, dt.ss);
}

/* A hand-written event without a date (no DTSTART, or one no calendar date is) stays in the
   .ics as written; the views that say when each event is leave it out. */
static bool has_start(const event *e)
{
    return !e->raw_ics || e->y > 0;
}

/* How e recurs, as the JSON's "recurrence": null for a one-off event, else {"freq",
   "interval", "by_day", "until", "rrule"} (eventcal(1), JSON), "by_day" as iCalendar writes
   its days ("SA", "1SU", "-1FR"; none for a daily rule), "rrule" the .ics's RRULE value. */
static void recurrence_write(jw *w, const event *e)
{
    char rrule[128];
    if (!event_rrule(e, rrule, sizeof rrule)) {
        jw_null(w);
        return;
    }
    const ev_recur *r = &e->recur;
    jw_object(w);
    jw_member_str(w, "freq", r->freq == EV_DAILY ? "daily" : r->freq == EV_WEEKLY ? "weekly" : "monthly");
    jw_member_int(w, "interval", r->interval > 1 ? r->interval : 1);
    jw_key(w, "by_day");
    jw_array(w);
    char days[40];
    ev_recur_byday(r, days, sizeof days);
    for (char *d = days, *comma; *d; d = comma ? comma + 1 : d + strlen(d)) {
        comma = strchr(d, ',');
        jw_string(w, d, comma ? (size_t)(comma - d) : strlen(d));
    }
    jw_end(w);
    char until[16];
    if (r->has_until)
        snprintf(until, sizeof until, "%04d-%02d-%02d", r->uy, r->um, r->ud);
    jw_member_str(w, "until", r->has_until ? until : NULL);
    jw_member_str(w, "rrule", rrule);
    jw_end(w);
}

/* One event as eventcal's JSON (the schema in eventcal(1)). */
static void event_write(jw *w, const event *e)
{
    char sb[48], eb[48];
    jw_object(w);
    jw_member_str(w, "uid", e->uid);
    jw_member_str(w, "title", e->title);
    jw_member_str(w, "type", e->type);
    jw_member_str(w, "status", ev_status_name(e->status));
    jw_member_str(w, "start", event_start_iso(e, sb, sizeof sb));
    jw_member_str(w, "end", event_end_iso(e, eb, sizeof eb));
    jw_member_bool(w, "all_day", !e->has_time);
    jw_member_str(w, "precision", ev_grain_name(e->grain));
    jw_member_str(w, "part_of_day", pod_name(e->pod));
    jw_member_bool(w, "duration_estimated", e->has_time && !e->has_end);
    jw_key(w, "recurrence");
    recurrence_write(w, e);
    jw_member_str(w, "timezone", e->timezone);
    jw_key(w, "location");
    jw_object(w);
    jw_member_str(w, "name", e->loc_name);
    jw_member_str(w, "locality", e->loc_locality);
    if (e->end_point)
        jw_member_str(w, "end_point", e->end_point);
    jw_end(w);
    jw_member_str(w, "organiser", e->organiser);
    if (e->original_date)
        jw_member_str(w, "moved_from", e->original_date); /* a postponed event's first day */
    jw_member_real(w, "confidence", e->confidence);
    jw_member_bool(w, "in_calendar", event_in_calendar(e));
    if (e->sequence)
        jw_member_int(w, "sequence", e->sequence);
    jw_key(w, "sources");
    jw_array(w);
    for (size_t i = 0; i < e->nsources; i++) {
        const ev_source *s = &e->sources[i];
        jw_object(w);
        jw_member_str(w, "id", s->id);
        jw_member_str(w, "url", s->url);
        jw_member_str(w, "title", s->title);
        jw_member_str(w, "published", s->published);
        jw_member_str(w, "evidence", s->evidence);
        jw_key(w, "span");
        jw_array(w);
        jw_int(w, (long long)s->span_start);
        jw_int(w, (long long)s->span_end);
        jw_end(w);
        jw_end(w);
    }
    jw_end(w);
    jw_end(w);
}

/* Ends a document whose text is in sb: every output, whole document or JSON line, ends its
   last line. */
static char *finish(strbuf *sb, size_t *len)
{
    sb_addc(sb, '\n');
    if (len)
        *len = sb->len;
    return sb_steal(sb);
}

/* A member as json_object_set_new(o, key, json_string(s)) keeps it: none for a NULL s. */
static void member_some(jw *w, const char *key, const char *s)
{
    if (s)
        jw_member_str(w, key, s);
}

/*
 * Calendars are written an event at a time, straight into the document's text (jwrite.h):
 * jansson made a tree of each event, or before that of the whole calendar (of 20,000 events,
 * 150 MB of small objects), only to print it and free it again.
 */
char *emit_json(const calendar *c, const emit_opts *o, size_t *len)
{
    strbuf sb;
    sb_init(&sb);
    jw w;
    jw_init(&w, &sb, 2, false, false);
    char *gen = xasprintf("eventcal %s", o->version);
    char *stamp = stamp_iso(o->now);
    jw_object(&w);
    jw_member_str(&w, "generator", gen);
    jw_member_str(&w, "generated", stamp);
    free(gen);
    free(stamp);
    member_some(&w, "calendar", o->calname);
    member_some(&w, "timezone", o->timezone);
    jw_key(&w, "events");
    jw_array(&w);
    for (size_t i = 0; i < calendar_count(c); i++)
        if (has_start(calendar_get(c, i)))
            event_write(&w, calendar_get(c, i));
    jw_end(&w);
    jw_end(&w);
    return finish(&sb, len);
}

static const char *schema_status(ev_status s)
{
    switch (s) {
    case EV_CANCELLED: return "https://schema.org/EventCancelled";
    case EV_POSTPONED: return "https://schema.org/EventPostponed";
    default: return "https://schema.org/EventScheduled";
    }
}

static const char *const SCHEMA_DAYS[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                                           "Sunday"};

/*
 * A recurring event's schema.org eventSchedule: a Schedule of its weekday, or a list of them
 * (byDay's range allows one or several; none for a daily rule), monthly the week of the month
 * (byMonthWeek, -1 the last), its repeatFrequency as an ISO 8601 period (P1D, P1W, P2W, P1M),
 * the days it runs from and to, and each occurrence's hours in its zone.
 */
static void schedule_write(jw *w, const event *e)
{
    const ev_recur *r = &e->recur;
    char buf[64];
    jw_key(w, "eventSchedule");
    jw_object(w);
    jw_member_str(w, "@type", "Schedule");
    int ndays = 0;
    for (int wd = 1; wd <= 7; wd++)
        ndays += (r->days & EV_DAY(wd)) != 0;
    if (r->freq != EV_DAILY && ndays) {
        jw_key(w, "byDay");
        if (ndays > 1)
            jw_array(w);
        for (int wd = 1; wd <= 7; wd++) {
            if (!(r->days & EV_DAY(wd)))
                continue;
            snprintf(buf, sizeof buf, "https://schema.org/%s", SCHEMA_DAYS[wd - 1]);
            jw_string(w, buf, strlen(buf));
        }
        if (ndays > 1)
            jw_end(w);
    }
    if (r->freq == EV_MONTHLY) {
        /* one week of the month, or a list of them ("the first and third Mondays") */
        int nords = 0;
        for (unsigned o = r->ords; o; o &= o - 1)
            nords++;
        jw_key(w, "byMonthWeek");
        if (nords > 1)
            jw_array(w);
        for (int i = 0; i < EV_NORDS; i++) {
            int ord = EV_ORD_AT(i);
            if (r->ords & EV_ORD(ord))
                jw_int(w, ord);
        }
        if (nords > 1)
            jw_end(w);
    }
    snprintf(buf, sizeof buf, "P%d%c", r->interval > 1 ? r->interval : 1,
             r->freq == EV_DAILY ? 'D' : r->freq == EV_WEEKLY ? 'W' : 'M');
    jw_member_str(w, "repeatFrequency", buf);
    snprintf(buf, sizeof buf, "%04d-%02d-%02d", e->y, e->m, e->d);
    jw_member_str(w, "startDate", buf);
    if (r->has_until) {
        snprintf(buf, sizeof buf, "%04d-%02d-%02d", r->uy, r->um, r->ud);
        jw_member_str(w, "endDate", buf);
    }
    if (e->has_time) {
        snprintf(buf, sizeof buf, "%02d:%02d:00", e->hh, e->mm);
        jw_member_str(w, "startTime", buf);
        if (e->has_end && e->end_has_time) {
            snprintf(buf, sizeof buf, "%02d:%02d:00", e->eh, e->emin);
            jw_member_str(w, "endTime", buf);
        }
        member_some(w, "scheduleTimezone", e->timezone);
    }
    jw_end(w);
}

/* One event as a schema.org Event. */
static void jsonld_write(jw *w, const event *e)
{
    char sb[48], eb[48];
    jw_object(w);
    jw_member_str(w, "@context", "https://schema.org");
    jw_member_str(w, "@type", "Event");
    jw_member_str(w, "identifier", e->uid);
    jw_member_str(w, "name", e->title);
    jw_member_str(w, "startDate", event_start_iso(e, sb, sizeof sb));
    member_some(w, "endDate", event_end_iso(e, eb, sizeof eb));
    if (e->recur.freq != EV_ONCE)
        schedule_write(w, e);
    jw_member_str(w, "eventStatus", schema_status(e->status));
    jw_member_str(w, "eventAttendanceMode", "https://schema.org/OfflineEventAttendanceMode");
    jw_key(w, "location");
    jw_object(w);
    jw_member_str(w, "@type", "Place");
    const char *pname = e->loc_name ? e->loc_name : e->loc_locality ? e->loc_locality : "To be announced";
    jw_member_str(w, "name", pname);
    jw_key(w, "address");
    jw_object(w);
    jw_member_str(w, "@type", "PostalAddress");
    jw_member_str(w, "addressLocality", e->loc_locality ? e->loc_locality : pname);
    jw_end(w);
    jw_end(w);
    if (e->nsources) {
        member_some(w, "description", e->sources[0].evidence);
        member_some(w, "url", e->sources[0].url);
    }
    if (e->organiser) {
        jw_key(w, "organizer");
        jw_object(w);
        jw_member_str(w, "@type", "Organization");
        jw_member_str(w, "name", e->organiser);
        jw_end(w);
    }
    jw_end(w);
}

char *emit_jsonld(const calendar *c, const emit_opts *o, size_t *len)
{
    (void)o;
    /* escaped slashes keep "</script>" from closing the element this is pasted into; "<" is
       escaped too, as "<!--<script>" would put the HTML parser in a state where not even the
       page's own "</script>" ends the element.  "<" only occurs inside strings, where
       \u003c means the same character. */
    strbuf sb;
    sb_init(&sb);
    jw w;
    jw_init(&w, &sb, 2, true, true);
    jw_array(&w);
    for (size_t i = 0; i < calendar_count(c); i++)
        if (event_in_calendar(calendar_get(c, i)) && has_start(calendar_get(c, i)))
            jsonld_write(&w, calendar_get(c, i));
    jw_end(&w);
    return finish(&sb, len);
}

/* TSV fields cannot hold tabs or newlines: they become spaces. */
static void tsv_field(strbuf *sb, const char *s)
{
    for (; s && *s; s++)
        sb_addc(sb, (*s == '\t' || *s == '\n' || *s == '\r') ? ' ' : *s);
}

char *emit_tsv(const calendar *c, const emit_opts *o, size_t *len)
{
    strbuf sb;
    sb_init(&sb);
    sb_adds(&sb, "start\tend\ttype\tstatus\ttitle\tlocation\tconfidence\turl\tuid\n");
    for (size_t i = 0; i < calendar_count(c); i++) {
        const event *e = calendar_get(c, i);
        if (!has_start(e))
            continue;
        char s[48], en[48];
        sb_adds(&sb, event_start_iso(e, s, sizeof s));
        sb_addc(&sb, '\t');
        const char *end = event_end_iso(e, en, sizeof en);
        sb_adds(&sb, end ? end : "");
        sb_addc(&sb, '\t');
        tsv_field(&sb, e->type);
        sb_addc(&sb, '\t');
        sb_adds(&sb, ev_status_name(e->status));
        sb_addc(&sb, '\t');
        tsv_field(&sb, e->title);
        sb_addc(&sb, '\t');
        tsv_field(&sb, e->loc_name);
        if (e->loc_name && e->loc_locality)
            sb_adds(&sb, ", ");
        tsv_field(&sb, e->loc_locality);
        sb_printf(&sb, "\t%.2f\t", e->confidence);
        tsv_field(&sb, e->nsources ? e->sources[0].url : NULL);
        sb_addc(&sb, '\t');
        tsv_field(&sb, e->uid);
        sb_addc(&sb, '\n');
    }
    (void)o;
    if (len)
        *len = sb.len;
    return sb_steal(&sb);
}

/* A JSON line {"id": ..., "<list>": [...]}: the record up to its list's first element. */
static void line_begin(strbuf *sb, jw *w, const article *a, const char *list)
{
    sb_init(sb);
    jw_init(w, sb, 0, false, false);
    jw_object(w);
    jw_member_str(w, "id", a->id);
    jw_key(w, list);
    jw_array(w);
}

/* Ends what line_begin() began; returns the line with its newline (caller frees). */
static char *line_end(strbuf *sb, jw *w)
{
    jw_end(w);
    jw_end(w);
    return finish(sb, NULL);
}

char *emit_timex_line(const article *a, const timex *tx, size_t n, tx_style style)
{
    strbuf sb;
    jw w;
    line_begin(&sb, &w, a, "timex");
    for (size_t i = 0; i < n; i++) {
        const timex *t = &tx[i];
        jw_object(&w);
        jw_member_int(&w, "start", (long long)t->start);
        jw_member_int(&w, "end", (long long)t->end);
        jw_member_strn(&w, "text", a->text + t->start, t->end - t->start);
        member_some(&w, "type", tx_type_name(t->type));
        char vb[64];
        member_some(&w, "value", timex_value_styled(t, style, vb, sizeof vb));
        if (t->mod)
            jw_member_str(&w, "mod", t->mod);
        member_some(&w, "rule", rule_name(t->rule));
        jw_end(&w);
    }
    return line_end(&sb, &w);
}

char *emit_meta_line(const article *a)
{
    strbuf sb;
    sb_init(&sb);
    jw w;
    jw_init(&w, &sb, 0, false, false);
    jw_object(&w);
    jw_member_str(&w, "id", a->id);
    jw_member_str(&w, "url", a->url);
    jw_member_str(&w, "title", a->title);
    jw_member_str(&w, "published", a->published);
    jw_member_str(&w, "published_from", a->published_from);
    jw_member_str(&w, "lang", a->lang);
    jw_end(&w);
    return finish(&sb, NULL);
}

char *emit_events_line(const article *a, event *const *events, size_t n, const emit_opts *o)
{
    (void)o;
    strbuf sb;
    jw w;
    line_begin(&sb, &w, a, "events");
    for (size_t i = 0; i < n; i++)
        event_write(&w, events[i]);
    return line_end(&sb, &w);
}

char *emit_explain(const event *e)
{
    strbuf sb;
    sb_init(&sb);
    char s[48];
    sb_printf(&sb, "%s  %s  [%s, confidence %.2f]  uid %s\n", event_start_iso(e, s, sizeof s), e->title,
              ev_status_name(e->status), e->confidence, e->uid);
    for (size_t i = 0; i < e->nreasons; i++) {
        const ev_reason *r = &e->reasons[i];
        sb_printf(&sb, "  %-8s %s bytes %zu-%zu \"%s\"  <- %s\n", r->what, r->source_id, r->start, r->end, r->text,
                  r->rule);
    }
    return sb_steal(&sb);
}

/* ---- jCal (RFC 7265) ---- */

/* jansson's print of a value, every line after its first indented by the depth the value has in
   the document, as jansson indents nested values (jCal's components, below). */
typedef struct sink {
    strbuf *sb;
    int shift; /* spaces added after each newline */
} sink;

static int sink_add(const char *buf, size_t n, void *data)
{
    sink *k = data;
    /* jansson hands over a token or two at a time, not NUL-terminated */
    for (const char *p = buf, *end = buf + n; p < end;) {
        const char *q = memchr(p, '\n', (size_t)(end - p));
        if (!q) {
            sb_add(k->sb, p, (size_t)(end - p));
            break;
        }
        sb_add(k->sb, p, (size_t)(q - p));
        sb_addc(k->sb, '\n');
        for (int i = 0; i < k->shift; i++)
            sb_addc(k->sb, ' ');
        p = q + 1;
    }
    return 0;
}

/* Prints v (taking its reference) through k, as jansson would print it inside a document. */
static void sink_value(sink *k, json_t *v, size_t flags)
{
    if (json_dump_callback(v, sink_add, k, flags | JSON_ENCODE_ANY) != 0) {
        fprintf(stderr, "eventcal: out of memory encoding JSON\n");
        abort();
    }
    json_decref(v);
}


static void lower_copy(char *dst, size_t size, const char *src)
{
    size_t i = 0;
    for (; src && src[i] && i + 1 < size; i++)
        dst[i] = (char)ascii_tolower((unsigned char)src[i]);
    dst[i] = '\0';
}

/* "20240224T130000Z" -> "2024-02-24T13:00:00Z", "20240224" -> "2024-02-24" */
static json_t *jcal_datetime(const char *s)
{
    char out[32];
    size_t n = strlen(s);
    if (n < 8)
        return json_string(s);
    int k = snprintf(out, sizeof out, "%.4s-%.2s-%.2s", s, s + 4, s + 6);
    if (n >= 15 && s[8] == 'T')
        snprintf(out + k, sizeof out - (size_t)k, "T%.2s:%.2s:%.2s%s", s + 9, s + 11, s + 13, n > 15 && s[15] == 'Z' ? "Z" : "");
    return json_string(out);
}

/* One value of a recurrence rule's part `key` (lower case): text for the names of days and
   frequencies, else a number where it is one. */
static json_t *jcal_recur_value(const char *key, const char *v)
{
    if (strcmp(key, "freq") == 0 || strcmp(key, "wkst") == 0 || strcmp(key, "byday") == 0)
        return json_string(v);
    char *end;
    long x = strtol(v, &end, 10);
    return *end || end == v ? json_string(v) : json_integer(x);
}

/* "FREQ=YEARLY;BYDAY=-1SU,2MO;BYMONTH=3" -> {"freq": "YEARLY", "byday": ["-1SU", "2MO"],
   "bymonth": 3} */
static json_t *jcal_recur(const char *s)
{
    json_t *o = json_object();
    char *copy = xstrdup(s), *save = NULL;
    for (char *part = strtok_r(copy, ";", &save); part; part = strtok_r(NULL, ";", &save)) {
        char *eq = strchr(part, '=');
        if (!eq)
            continue;
        *eq = '\0';
        char key[32];
        lower_copy(key, sizeof key, part);
        const char *v = eq + 1;
        json_t *val;
        if (strcmp(key, "until") == 0) {
            val = jcal_datetime(v);
        } else if (strchr(v, ',')) {
            /* a list, "BYDAY=SA,SU": an array, as RFC 7265 3.6.10 writes a part with several
               values */
            val = json_array();
            char *copy2 = xstrdup(v), *save2 = NULL;
            for (char *item = strtok_r(copy2, ",", &save2); item; item = strtok_r(NULL, ",", &save2))
                json_array_append_new(val, jcal_recur_value(key, item));
            free(copy2);
        } else {
            val = jcal_recur_value(key, v);
        }
        json_object_set_new(o, key, val);
    }
    free(copy);
    return o;
}

static char *value_text(icalvalue *v)
{
    /* libical gives NULL for a value it cannot write */
    char *s = v ? icalvalue_as_ical_string_r(v) : NULL;
    return s ? s : xstrdup("");
}

static json_t *jcal_property(icalproperty *p)
{
    char name[64];
    const char *pname = icalproperty_get_property_name(p);
    lower_copy(name, sizeof name, pname);
    json_t *params = json_object();
    for (icalparameter *par = icalproperty_get_first_parameter(p, ICAL_ANY_PARAMETER); par;
         par = icalproperty_get_next_parameter(p, ICAL_ANY_PARAMETER)) {
        icalparameter_kind k = icalparameter_isa(par);
        if (k == ICAL_VALUE_PARAMETER)
            continue; /* the jCal type says it */
        char *text = icalparameter_as_ical_string_r(par);
        char *eq = text ? strchr(text, '=') : NULL;
        if (eq) {
            *eq = '\0';
            char key[64];
            lower_copy(key, sizeof key, text);
            const char *v = eq + 1;
            size_t vl = strlen(v);
            if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"')
                json_object_set_new(params, key, json_stringn(v + 1, vl - 2));
            else
                json_object_set_new(params, key, json_string(v));
        }
        free(text);
    }
    icalvalue *v = icalproperty_get_value(p);
    icalvalue_kind vk = v ? icalvalue_isa(v) : ICAL_NO_VALUE;
    char *raw = NULL; /* the value as iCalendar text, made only where it is used: most are not */
    const char *type = "text";
    json_t *val;
    switch (vk) {
    case ICAL_DATETIME_VALUE:
        type = "date-time";
        raw = value_text(v);
        val = jcal_datetime(raw);
        break;
    case ICAL_DATE_VALUE:
        type = "date";
        raw = value_text(v);
        val = jcal_datetime(raw);
        break;
    case ICAL_UTCOFFSET_VALUE: {
        type = "utc-offset";
        raw = value_text(v);
        char off[16];
        if (strlen(raw) >= 5) /* "+0100" -> "+01:00" */
            snprintf(off, sizeof off, "%.3s:%.2s", raw, raw + 3);
        val = json_string(strlen(raw) >= 5 ? off : raw);
        break;
    }
    case ICAL_RECUR_VALUE:
        type = "recur";
        raw = value_text(v);
        val = jcal_recur(raw);
        break;
    case ICAL_INTEGER_VALUE:
        type = "integer";
        val = json_integer(icalvalue_get_integer(v));
        break;
    case ICAL_DURATION_VALUE:
        type = "duration";
        raw = value_text(v);
        val = json_string(raw);
        break;
    case ICAL_URI_VALUE:
        type = "uri";
        raw = value_text(v);
        val = json_string(raw);
        break;
    case ICAL_TEXT_VALUE:
        val = json_string(icalvalue_get_text(v));
        break;
    default:
        /* X- properties and the like: libical keeps them as text ("unknown" in jCal terms) */
        if (strncmp(name, "x-", 2) == 0 || strcmp(name, "refresh-interval") == 0) {
            type = strcmp(name, "refresh-interval") == 0 ? "duration" : "unknown";
            val = json_string(icalproperty_get_value_as_string(p));
        } else {
            raw = value_text(v);
            val = json_string(raw);
        }
        break;
    }
    free(raw);
    return json_pack("[s,o,s,o]", name, params, type, val);
}

/* The properties of c (none for NULL). */
static json_t *jcal_properties(icalcomponent *c)
{
    json_t *props = json_array();
    for (icalproperty *p = c ? icalcomponent_get_first_property(c, ICAL_ANY_PROPERTY) : NULL; p;
         p = icalcomponent_get_next_property(c, ICAL_ANY_PROPERTY))
        json_array_append_new(props, jcal_property(p));
    return props;
}

static json_t *jcal_component(icalcomponent *c)
{
    char name[64];
    lower_copy(name, sizeof name, icalcomponent_kind_to_string(icalcomponent_isa(c)));
    json_t *props = jcal_properties(c);
    json_t *subs = json_array();
    for (icalcomponent *s = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT); s;
         s = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT))
        json_array_append_new(subs, jcal_component(s));
    return json_pack("[s,o,o]", name, props, subs);
}

/*
 * jCal is made from the very iCalendar text the .ics gets, so the two cannot disagree, and a
 * component at a time: each piece of that text is parsed, turned into JSON, printed and freed
 * (one tree of 20,000 events, libical's and then jansson's, held 450 MB).  The document is
 * jansson's print of ["vcalendar", [properties], [components]], byte for byte: each
 * component's tree is printed through a sink and freed.
 */
typedef struct jcal_doc {
    sink k;
    size_t flags;
    size_t ncomps; /* components printed so far */
    bool closed;
} jcal_doc;

static void jcal_add_component(jcal_doc *j, icalcomponent *c)
{
    sb_adds(j->k.sb, j->ncomps++ ? ",\n    " : "\n    ");
    j->k.shift = 4;
    sink_value(&j->k, jcal_component(c), j->flags);
}

static void jcal_put(strbuf *sb, size_t from, ics_piece kind, void *arg)
{
    jcal_doc *j = arg;
    if (kind == ICS_HEAD) {
        sb_adds(sb, "END:VCALENDAR\r\n"); /* the piece is the calendar without its last line */
        icalcomponent *cal = icalparser_parse_string(sb->s + from);
        sb_adds(j->k.sb, "[\n  \"vcalendar\",\n  ");
        j->k.shift = 2;
        sink_value(&j->k, jcal_properties(cal), j->flags);
        sb_adds(j->k.sb, ",\n  ["); /* its components are the pieces that follow */
        if (cal)
            icalcomponent_free(cal);
    } else if (kind == ICS_COMPONENT) {
        icalcomponent *comp = icalparser_parse_string(sb->s + from);
        if (comp) {
            jcal_add_component(j, comp);
            icalcomponent_free(comp);
        }
    } else {
        sb_adds(j->k.sb, j->ncomps ? "\n  ]\n]" : "]\n]");
        j->closed = true;
    }
    sb_reset(sb);
}

char *emit_jcal(const calendar *c, const emit_opts *o, size_t *len)
{
    strbuf out, piece;
    sb_init(&out);
    sb_init(&piece);
    jcal_doc j = {{&out, 0}, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ESCAPE_SLASH, 0, false};
    emit_ics_pieces(c, o, &piece, jcal_put, &j);
    if (!j.closed)
        jcal_put(&piece, 0, ICS_END, &j);
    sb_finish(&piece);
    return finish(&out, len);
}

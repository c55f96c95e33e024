#include "emit_json.h"

#include <jansson.h>
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"

static json_t *jstr(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *jstrn(const char *s, size_t n)
{
    return json_stringn(s, n);
}

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

static json_t *event_json(const event *e)
{
    char sb[48], eb[48];
    json_t *o = json_object();
    json_object_set_new(o, "uid", jstr(e->uid));
    json_object_set_new(o, "title", jstr(e->title));
    json_object_set_new(o, "type", jstr(e->type));
    json_object_set_new(o, "status", json_string(ev_status_name(e->status)));
    json_object_set_new(o, "start", json_string(event_start_iso(e, sb, sizeof sb)));
    const char *end = event_end_iso(e, eb, sizeof eb);
    json_object_set_new(o, "end", jstr(end));
    json_object_set_new(o, "all_day", json_boolean(!e->has_time));
    json_object_set_new(o, "precision", json_string(ev_grain_name(e->grain)));
    json_object_set_new(o, "part_of_day", jstr(pod_name(e->pod)));
    json_object_set_new(o, "duration_estimated", json_boolean(e->has_time && !e->has_end));
    json_object_set_new(o, "timezone", jstr(e->timezone));
    json_t *loc = json_object();
    json_object_set_new(loc, "name", jstr(e->loc_name));
    json_object_set_new(loc, "locality", jstr(e->loc_locality));
    if (e->end_point)
        json_object_set_new(loc, "end_point", json_string(e->end_point));
    json_object_set_new(o, "location", loc);
    json_object_set_new(o, "organiser", jstr(e->organiser));
    if (e->original_date)
        json_object_set_new(o, "moved_from", json_string(e->original_date)); /* a postponed event's first day */
    json_object_set_new(o, "confidence", json_real(e->confidence));
    json_object_set_new(o, "in_calendar", json_boolean(event_in_calendar(e)));
    if (e->sequence)
        json_object_set_new(o, "sequence", json_integer(e->sequence));
    json_t *srcs = json_array();
    for (size_t i = 0; i < e->nsources; i++) {
        const ev_source *s = &e->sources[i];
        json_t *so = json_object();
        json_object_set_new(so, "id", jstr(s->id));
        json_object_set_new(so, "url", jstr(s->url));
        json_object_set_new(so, "title", jstr(s->title));
        json_object_set_new(so, "published", jstr(s->published));
        json_object_set_new(so, "evidence", jstr(s->evidence));
        /* not json_pack(): it parses its format for each of a merged event's thousands of sources */
        json_t *span = json_array();
        json_array_append_new(span, json_integer((json_int_t)s->span_start));
        json_array_append_new(span, json_integer((json_int_t)s->span_end));
        json_object_set_new(so, "span", span);
        json_array_append_new(srcs, so);
    }
    json_object_set_new(o, "sources", srcs);
    return o;
}

static char *dump(json_t *doc, size_t flags, size_t *len)
{
    char *s = json_dumps(doc, flags);
    json_decref(doc);
    if (!s) {
        fprintf(stderr, "eventcal: out of memory encoding JSON\n");
        abort();
    }
    /* every output, whole document or JSON line, ends its last line; the text is appended to
       in place rather than copied, a calendar's being megabytes */
    size_t n = strlen(s);
    s = xrealloc(s, n + 2);
    s[n] = '\n';
    s[n + 1] = '\0';
    if (len)
        *len = n + 1;
    return s;
}

/*
 * A calendar's document is written an event at a time: jansson makes and prints one event's
 * tree, which is then freed, rather than one tree of the whole calendar (of 20,000 events,
 * 150 MB of small objects to fault in and free again).  The text is
 * jansson's own, byte for byte: each event is printed alone and every line after its first
 * indented by the depth it has in the document, as jansson indents nested values.
 */
typedef struct sink {
    strbuf *sb;
    int shift;     /* spaces added after each newline */
    bool escape_lt; /* "<" as \u003c (JSON-LD, emit_jsonld()) */
} sink;

static int sink_add(const char *buf, size_t n, void *data)
{
    sink *k = data;
    /* jansson hands over a token or two at a time, not NUL-terminated */
    for (const char *p = buf, *end = buf + n; p < end;) {
        const char *q = p;
        while (q < end && *q != '\n' && !(*q == '<' && k->escape_lt))
            q++;
        sb_add(k->sb, p, (size_t)(q - p));
        p = q;
        if (p == end)
            break;
        if (*p == '<') {
            sb_adds(k->sb, "\\u003c");
        } else {
            sb_addc(k->sb, '\n');
            for (int i = 0; i < k->shift; i++)
                sb_addc(k->sb, ' ');
        }
        p++;
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

/* A member of the document's top object, as json_object_set_new() would keep it: not at all
   when v is NULL (a string that is no valid UTF-8). */
static void sink_member(sink *k, const char *key, json_t *v, size_t flags)
{
    if (!v)
        return;
    sb_adds(k->sb, "  ");
    sink_value(k, json_string(key), flags);
    sb_adds(k->sb, ": ");
    sink_value(k, v, flags);
    sb_adds(k->sb, ",\n");
}

/* Ends a document whose text is in sb as dump() ends one. */
static char *sink_finish(strbuf *sb, size_t *len)
{
    sb_addc(sb, '\n');
    if (len)
        *len = sb->len;
    return sb_steal(sb);
}

char *emit_json(const calendar *c, const emit_opts *o, size_t *len)
{
    const size_t flags = JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6);
    strbuf sb;
    sb_init(&sb);
    sink k = {&sb, 0, false};
    char *gen = xasprintf("eventcal %s", o->version);
    char *stamp = stamp_iso(o->now);
    sb_adds(&sb, "{\n");
    sink_member(&k, "generator", json_string(gen), flags);
    sink_member(&k, "generated", json_string(stamp), flags);
    free(gen);
    free(stamp);
    sink_member(&k, "calendar", o->calname ? json_string(o->calname) : NULL, flags);
    sink_member(&k, "timezone", o->timezone ? json_string(o->timezone) : NULL, flags);
    sb_adds(&sb, "  \"events\": [");
    size_t n = calendar_count(c);
    k.shift = 4;
    for (size_t i = 0; i < n; i++) {
        sb_adds(&sb, i ? ",\n    " : "\n    ");
        sink_value(&k, event_json(calendar_get(c, i)), flags);
    }
    sb_adds(&sb, n ? "\n  ]\n}" : "]\n}");
    return sink_finish(&sb, len);
}

static const char *schema_status(ev_status s)
{
    switch (s) {
    case EV_CANCELLED: return "https://schema.org/EventCancelled";
    case EV_POSTPONED: return "https://schema.org/EventPostponed";
    default: return "https://schema.org/EventScheduled";
    }
}

static json_t *event_jsonld(const event *e)
{
    char sb[48], eb[48];
    json_t *o = json_object();
    json_object_set_new(o, "@context", json_string("https://schema.org"));
    json_object_set_new(o, "@type", json_string("Event"));
    json_object_set_new(o, "identifier", jstr(e->uid));
    json_object_set_new(o, "name", jstr(e->title));
    json_object_set_new(o, "startDate", json_string(event_start_iso(e, sb, sizeof sb)));
    const char *end = event_end_iso(e, eb, sizeof eb);
    if (end)
        json_object_set_new(o, "endDate", json_string(end));
    json_object_set_new(o, "eventStatus", json_string(schema_status(e->status)));
    json_object_set_new(o, "eventAttendanceMode", json_string("https://schema.org/OfflineEventAttendanceMode"));
    json_t *pl = json_object();
    json_object_set_new(pl, "@type", json_string("Place"));
    const char *pname = e->loc_name ? e->loc_name : e->loc_locality ? e->loc_locality : "To be announced";
    json_object_set_new(pl, "name", json_string(pname));
    json_t *addr = json_object();
    json_object_set_new(addr, "@type", json_string("PostalAddress"));
    json_object_set_new(addr, "addressLocality", json_string(e->loc_locality ? e->loc_locality : pname));
    json_object_set_new(pl, "address", addr);
    json_object_set_new(o, "location", pl);
    if (e->nsources) {
        const ev_source *s = &e->sources[0];
        if (s->evidence)
            json_object_set_new(o, "description", json_string(s->evidence));
        if (s->url)
            json_object_set_new(o, "url", json_string(s->url));
    }
    if (e->organiser) {
        json_t *org = json_object();
        json_object_set_new(org, "@type", json_string("Organization"));
        json_object_set_new(org, "name", json_string(e->organiser));
        json_object_set_new(o, "organizer", org);
    }
    return o;
}

char *emit_jsonld(const calendar *c, const emit_opts *o, size_t *len)
{
    (void)o;
    /* escaped slashes keep "</script>" from closing the element this is pasted into; "<" is
       escaped too, as "<!--<script>" would put the HTML parser in a state where not even the
       page's own "</script>" ends the element.  "<" only occurs inside strings, where
       \u003c means the same character. */
    const size_t flags = JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ESCAPE_SLASH | JSON_REAL_PRECISION(6);
    strbuf sb;
    sb_init(&sb);
    sink k = {&sb, 2, true};
    sb_addc(&sb, '[');
    size_t n = 0;
    for (size_t i = 0; i < calendar_count(c); i++) {
        const event *e = calendar_get(c, i);
        if (!event_in_calendar(e))
            continue;
        sb_adds(&sb, n++ ? ",\n  " : "\n  ");
        sink_value(&k, event_jsonld(e), flags);
    }
    sb_adds(&sb, n ? "\n]" : "]");
    return sink_finish(&sb, len);
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

char *emit_timex_line(const article *a, const timex *tx, size_t n, tx_style style)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", jstr(a->id));
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        const timex *t = &tx[i];
        json_t *x = json_object();
        json_object_set_new(x, "start", json_integer((json_int_t)t->start));
        json_object_set_new(x, "end", json_integer((json_int_t)t->end));
        json_object_set_new(x, "text", jstrn(a->text + t->start, t->end - t->start));
        json_object_set_new(x, "type", json_string(tx_type_name(t->type)));
        char vb[64];
        json_object_set_new(x, "value", json_string(timex_value_styled(t, style, vb, sizeof vb)));
        if (t->mod)
            json_object_set_new(x, "mod", json_string(t->mod));
        json_object_set_new(x, "rule", json_string(rule_name(t->rule)));
        json_array_append_new(arr, x);
    }
    json_object_set_new(o, "timex", arr);
    return dump(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6), NULL);
}

char *emit_meta_line(const article *a)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", jstr(a->id));
    json_object_set_new(o, "url", jstr(a->url));
    json_object_set_new(o, "title", jstr(a->title));
    json_object_set_new(o, "published", jstr(a->published));
    json_object_set_new(o, "published_from", jstr(a->published_from));
    json_object_set_new(o, "lang", jstr(a->lang));
    return dump(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6), NULL);
}

char *emit_events_line(const article *a, event *const *events, size_t n, const emit_opts *o)
{
    json_t *obj = json_object();
    json_object_set_new(obj, "id", jstr(a->id));
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, event_json(events[i]));
    json_object_set_new(obj, "events", arr);
    (void)o;
    return dump(obj, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6), NULL);
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

/* "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" -> {"freq": "YEARLY", "byday": "-1SU", "bymonth": 3} */
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
        } else if (strcmp(key, "freq") == 0 || strcmp(key, "wkst") == 0 || strcmp(key, "byday") == 0 || strchr(v, ',')) {
            val = json_string(v);
        } else {
            char *end;
            long x = strtol(v, &end, 10);
            val = *end ? json_string(v) : json_integer(x);
        }
        json_object_set_new(o, key, val);
    }
    free(copy);
    return o;
}

static char *value_text(icalvalue *v)
{
    return v ? icalvalue_as_ical_string_r(v) : xstrdup("");
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

static json_t *jcal_component(icalcomponent *c)
{
    char name[64];
    lower_copy(name, sizeof name, icalcomponent_kind_to_string(icalcomponent_isa(c)));
    json_t *props = json_array();
    for (icalproperty *p = icalcomponent_get_first_property(c, ICAL_ANY_PROPERTY); p;
         p = icalcomponent_get_next_property(c, ICAL_ANY_PROPERTY))
        json_array_append_new(props, jcal_property(p));
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
 * jansson's print of ["vcalendar", [properties], [components]], byte for byte, as in
 * emit_json().
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
        json_t *props = json_array();
        for (icalproperty *p = cal ? icalcomponent_get_first_property(cal, ICAL_ANY_PROPERTY) : NULL; p;
             p = icalcomponent_get_next_property(cal, ICAL_ANY_PROPERTY))
            json_array_append_new(props, jcal_property(p));
        sb_adds(j->k.sb, "[\n  \"vcalendar\",\n  ");
        j->k.shift = 2;
        sink_value(&j->k, props, j->flags);
        sb_adds(j->k.sb, ",\n  [");
        for (icalcomponent *s = cal ? icalcomponent_get_first_component(cal, ICAL_ANY_COMPONENT) : NULL; s;
             s = icalcomponent_get_next_component(cal, ICAL_ANY_COMPONENT))
            jcal_add_component(j, s);
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
    jcal_doc j = {{&out, 0, false}, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ESCAPE_SLASH, 0, false};
    emit_ics_pieces(c, o, &piece, jcal_put, &j);
    if (!j.closed)
        jcal_put(&piece, 0, ICS_END, &j);
    sb_finish(&piece);
    return sink_finish(&out, len);
}

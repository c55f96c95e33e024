#include "ics_read.h"

#include <jansson.h>
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "date.h"
#include "emit_ics.h"
#include "jrec.h"

/*
 * Reading goes in two passes.  The scan (ours) splits the text into content lines, keeping
 * each one's line number, checks that every line has the shape NAME;PARAM=V:VALUE, that
 * BEGIN/END nest, and hands property lines to libical's icalproperty_new_from_string() on
 * their own: libical reports no line numbers, so this is how an error gets one (a calendar is
 * read by components first, and line by line only when that finds a problem: see
 * ics_read_ics()).  The parse (libical's icalparser, a top-level component at a time) then
 * builds the components; the scan's record of
 * where each top-level component starts and ends in the file gives the original text that a
 * hand-written event keeps.
 */

typedef struct ics_line {
    char *text;          /* the unfolded line, NUL-terminated, in the scan's buf */
    long lineno;         /* of its first physical line */
    size_t start, end;   /* byte range of its physical lines in the file, newline included */
    size_t comp;         /* index of the top-level component it is in, or SIZE_MAX */
    int depth;           /* nesting depth of the component it belongs to (VCALENDAR is 1) */
    icalproperty *prop;  /* libical's reading of the line; NULL for BEGIN/END and bad lines */
    size_t off;          /* where text is in buf */
} ics_line;

typedef struct ics_comp {
    char kind[32];       /* VEVENT, VTIMEZONE, ... */
    size_t begin, end;   /* line indexes of its BEGIN and END */
} ics_comp;

typedef struct scan {
    const char *name;
    ics_line *lines;
    size_t nlines;
    /* every unfolded line, NUL after each: one block rather than a block a line (a calendar
       of 20,000 events has 800,000 lines).  The last line is at its end, so a folded value
       grows there. */
    strbuf buf;
    ics_comp *comps; /* the children of VCALENDAR, in file order */
    size_t ncomps;
    long *begins;    /* the line number of every BEGIN, in file order */
    size_t nbegins;
    /* where problems go: an error (first one kept), a report, or both */
    ec_error *err;
    strbuf *out;
    size_t problems;
    bool fatal; /* the scan stopped: what it built is incomplete */
    /* the lines inside components are not given to libical one by one (see ics_read_ics());
       their properties are read on demand by line_prop() */
    bool lazy;
} scan;

static void problem(scan *s, long line, const char *fmt, ...) EC_PRINTF(3, 4);
static void problem(scan *s, long line, const char *fmt, ...)
{
    char raw[512], msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    /* a value quoted in the message may hold a line break (libical unescapes "\n" in a UID, a
       TZID's "^n"): a report is one line per problem, and a terminal gets no control bytes */
    size_t k = 0;
    for (const unsigned char *c = (const unsigned char *)raw; *c && k + 5 < sizeof msg; c++) {
        if (*c < 0x20 || *c == 0x7f)
            k += (size_t)snprintf(msg + k, sizeof msg - k, "\\x%02X", *c);
        else
            msg[k++] = (char)*c;
    }
    msg[k] = '\0';
    s->problems++;
    if (s->out)
        sb_printf(s->out, "%s:%ld: %s\n", s->name, line, msg);
    ec_fail(s->err, EC_ERR_INPUT, s->name, line, 0, "%s", msg);
}

static void scan_finish(scan *s)
{
    for (size_t i = 0; i < s->nlines; i++)
        if (s->lines[i].prop)
            icalproperty_free(s->lines[i].prop);
    sb_finish(&s->buf);
    free(s->lines);
    free(s->comps);
    free(s->begins);
}

/* Length of the property or parameter name at p: letters, digits and '-'. */
static size_t name_len(const char *p)
{
    size_t n = 0;
    while (ascii_isalnum((unsigned char)p[n]) || p[n] == '-')
        n++;
    return n;
}

/*
 * True when line is NAME *(;PARAM=VALUE *(,VALUE)) : VALUE, with quoted parameter values
 * that hold no DQUOTE.  *value points after the colon.
 */
static bool content_line(const char *line, const char **value)
{
    const char *p = line;
    size_t n = name_len(p);
    if (!n)
        return false;
    p += n;
    while (*p == ';') {
        p++;
        n = name_len(p);
        if (!n || p[n] != '=')
            return false;
        p += n + 1;
        for (;;) {
            if (*p == '"') {
                const char *q = strchr(p + 1, '"');
                if (!q)
                    return false;
                p = q + 1;
            } else {
                while (*p && *p != ';' && *p != ':' && *p != ',' && *p != '"')
                    p++;
            }
            if (*p != ',')
                break;
            p++;
        }
    }
    if (*p != ':')
        return false;
    *value = p + 1;
    return true;
}

static bool is_name(const char *line, const char *name)
{
    size_t n = strlen(name);
    return ascii_strncaseeq(line, name, n) && (line[n] == ':' || line[n] == ';');
}

/* Shortens s for a message. */
static const char *excerpt(const char *s, char *buf, size_t size)
{
    size_t n = strlen(s);
    if (n < size) {
        memcpy(buf, s, n + 1);
        return buf;
    }
    /* cut at a character boundary so the message stays UTF-8 */
    size_t k = size - 4;
    while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--;
    memcpy(buf, s, k);
    memcpy(buf + k, "...", 4);
    return buf;
}

static bool scan_lines(scan *s, const char *text, size_t len);

/* Splits text into unfolded lines, checks their shape, nesting and libical's reading of each
   property.  Problems go to s; s->fatal is set when the text cannot be read any further. */
static void scan_text(scan *s, const char *text, size_t len)
{
    s->fatal = !scan_lines(s, text, len);
}

/* The first half of scan_lines(): text cut into unfolded lines, kept in s->buf; false (with
   a problem) for bytes no line may hold. */
static bool split_lines(scan *s, const char *text, size_t len)
{
    size_t cap = 0;
    long lineno = 0;
    for (size_t pos = 0; pos < len;) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t eol = nl ? (size_t)(nl - text) : len;
        size_t next = nl ? eol + 1 : len;
        size_t cl = eol - pos;
        if (cl && text[pos + cl - 1] == '\r')
            cl--;
        lineno++;
        for (size_t i = 0; i < cl; i++) {
            unsigned char c = (unsigned char)text[pos + i];
            if ((c < 0x20 && c != '\t') || c == 0x7F) {
                problem(s, lineno, "control character 0x%02X in a line", c);
                return false;
            }
        }
        if ((text[pos] == ' ' || text[pos] == '\t') && cl > 0 && s->nlines > 0) {
            /* a folded continuation: the first space or tab is not part of the value */
            ics_line *l = &s->lines[s->nlines - 1];
            s->buf.len--; /* its NUL, written again after */
            sb_add(&s->buf, text + pos + 1, cl - 1);
            sb_addc(&s->buf, '\0');
            l->end = next;
        } else if (cl > 0) {
            if (s->nlines == cap) {
                cap = cap ? cap * 2 : 256;
                s->lines = xrealloc(s->lines, cap * sizeof *s->lines);
            }
            s->lines[s->nlines++] = (ics_line){NULL, lineno, pos, next, SIZE_MAX, 0, NULL, s->buf.len};
            sb_add(&s->buf, text + pos, cl);
            sb_addc(&s->buf, '\0');
        }
        pos = next;
    }
    /* UTF-8 is checked once lines are unfolded: a fold may fall inside a character (RFC 5545
       3.1), and the unfolded line holds it whole */
    for (size_t i = 0; i < s->nlines; i++) {
        const char *t = s->buf.s + s->lines[i].off;
        size_t n = strlen(t), ok = utf8_valid_prefix(t, n);
        if (ok < n) {
            problem(s, s->lines[i].lineno, "invalid UTF-8 (byte %zu of the line, unfolded)", ok + 1);
            return false;
        }
    }
    return true;
}

static bool scan_lines(scan *s, const char *text, size_t len)
{
    bool split = split_lines(s, text, len);
    for (size_t i = 0; i < s->nlines; i++) /* buf no longer moves */
        s->lines[i].text = s->buf.s + s->lines[i].off;
    if (!split)
        return false;
    if (s->nlines == 0) {
        problem(s, 1, "empty file: no BEGIN:VCALENDAR");
        return false;
    }

    /* the BEGIN lines' names, in the lines' buffer (which no longer moves), whole: a copy cut
       at 31 bytes refused a matching END of a longer X- component */
    const char *stack[16];
    char sbuf[48];
    long stack_line[16];
    int depth = 0;
    bool closed = false;
    size_t ccap = 0, bcap = 0;
    char buf[80];
    for (size_t i = 0; i < s->nlines; i++) {
        ics_line *l = &s->lines[i];
        const char *value;
        if (closed) {
            problem(s, l->lineno, "content after END:VCALENDAR");
            return false;
        }
        if (!content_line(l->text, &value)) {
            if (i + 1 == s->nlines && depth > 0 && text[len - 1] != '\n') {
                problem(s, l->lineno, "truncated file: the last line '%s' is cut short", excerpt(l->text, buf, sizeof buf));
                return false;
            }
            problem(s, l->lineno, "not an iCalendar content line: '%s'", excerpt(l->text, buf, sizeof buf));
            continue;
        }
        l->comp = depth >= 2 ? s->ncomps - 1 : SIZE_MAX;
        if ((is_name(l->text, "BEGIN") && l->text[5] == ';') || (is_name(l->text, "END") && l->text[3] == ';')) {
            /* RFC 5545 gives BEGIN and END no parameters; a component so opened would be
               written back as it came, and other readers take it for no component at all */
            problem(s, l->lineno, "'%s': BEGIN and END take no parameters", excerpt(l->text, buf, sizeof buf));
            return false;
        }
        if (is_name(l->text, "BEGIN")) {
            if (depth == 0 && !ascii_strcaseeq(value, "VCALENDAR")) {
                problem(s, l->lineno, "the file does not start with BEGIN:VCALENDAR");
                return false;
            }
            if (depth == 1 && i > 0 && s->lines[0].lineno != l->lineno && ascii_strcaseeq(value, "VCALENDAR")) {
                problem(s, l->lineno, "BEGIN:VCALENDAR inside a calendar");
                return false;
            }
            if (depth == (int)(sizeof stack / sizeof *stack)) {
                problem(s, l->lineno, "components nested too deeply");
                return false;
            }
            stack[depth] = value;
            stack_line[depth] = l->lineno;
            depth++;
            if (s->nbegins == bcap) {
                bcap = bcap ? bcap * 2 : 64;
                s->begins = xrealloc(s->begins, bcap * sizeof *s->begins);
            }
            s->begins[s->nbegins++] = l->lineno;
            if (depth == 2) {
                if (s->ncomps == ccap) {
                    ccap = ccap ? ccap * 2 : 64;
                    s->comps = xrealloc(s->comps, ccap * sizeof *s->comps);
                }
                ics_comp *c = &s->comps[s->ncomps++];
                str_copy(c->kind, sizeof c->kind, value);
                c->begin = c->end = i;
                l->comp = s->ncomps - 1;
            }
            l->depth = depth;
            continue;
        }
        if (is_name(l->text, "END")) {
            if (depth == 0 || !ascii_strcaseeq(value, stack[depth - 1])) {
                if (depth)
                    problem(s, l->lineno, "END:%s does not close BEGIN:%s (line %ld)", excerpt(value, buf, 40),
                            excerpt(stack[depth - 1], sbuf, 40), stack_line[depth - 1]);
                else
                    problem(s, l->lineno, "END:%s without BEGIN", excerpt(value, buf, 40));
                return false;
            }
            l->depth = depth;
            if (depth == 2)
                s->comps[s->ncomps - 1].end = i;
            depth--;
            closed = depth == 0;
            continue;
        }
        l->depth = depth;
        if (depth == 0) {
            problem(s, l->lineno, "property outside BEGIN:VCALENDAR");
            return false;
        }
        if (is_name(l->text, "X-LIC-ERROR")) {
            problem(s, l->lineno, "X-LIC-ERROR: %s", excerpt(value, buf, sizeof buf));
            continue;
        }
        if (s->lazy && depth >= 2)
            continue; /* read with its component */
        l->prop = icalproperty_new_from_string(l->text);
        if (!l->prop)
            problem(s, l->lineno, "libical cannot parse '%s'", excerpt(l->text, buf, sizeof buf));
    }
    if (depth > 0) {
        excerpt(stack[depth - 1], sbuf, 40);
        problem(s, s->lines[s->nlines - 1].lineno, "missing END:%s for BEGIN:%s on line %ld (truncated file?)", sbuf,
                sbuf, stack_line[depth - 1]);
        return false;
    }
    return true;
}

/* The component's lines as in the file, every line ending turned into CRLF. */
static char *original_text(const char *text, const ics_line *lines, const ics_comp *c)
{
    strbuf sb;
    sb_init(&sb);
    const char *p = text + lines[c->begin].start, *end = text + lines[c->end].end;
    sb_grow(&sb, (size_t)(end - p) + 2);
    while (p < end) {
        /* a line at a time, its CRs left out (usually one, before its LF) */
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        for (const char *cr; (cr = memchr(p, '\r', (size_t)(le - p))) != NULL; p = cr + 1)
            sb_add(&sb, p, (size_t)(cr - p));
        sb_add(&sb, p, (size_t)(le - p));
        if (nl)
            sb_add(&sb, "\r\n", 2);
        p = nl ? nl + 1 : end;
    }
    if (sb.len < 2 || sb.s[sb.len - 1] != '\n')
        sb_adds(&sb, "\r\n");
    return sb_steal(&sb);
}

/* Every X-LIC-ERROR libical put in c or its children is a problem at line (where c begins). */
static void report_lic_errors(scan *s, icalcomponent *c, long line)
{
    for (icalproperty *p = icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY); p;
         p = icalcomponent_get_next_property(c, ICAL_XLICERROR_PROPERTY)) {
        char buf[120];
        problem(s, line, "X-LIC-ERROR in %s: %s", icalcomponent_kind_to_string(icalcomponent_isa(c)),
                excerpt(icalproperty_get_xlicerror(p), buf, sizeof buf));
    }
    for (icalcomponent *k = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT); k;
         k = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT))
        report_lic_errors(s, k, line);
}

/* libical's reading of top-level component j, each on its own so that it lines up with the
   scan (the whole-file parser does not keep the file's order of components).  NULL with a
   problem when libical cannot read it.  Caller frees. */
static icalcomponent *parse_comp(scan *s, const char *text, size_t j)
{
    char *t = original_text(text, s->lines, &s->comps[j]);
    icalcomponent *c = icalcomponent_new_from_string(t);
    free(t);
    long line = s->lines[s->comps[j].begin].lineno;
    if (!c) {
        problem(s, line, "libical cannot parse this %s", s->comps[j].kind);
        return NULL;
    }
    report_lic_errors(s, c, line);
    return c;
}

/* X- values come back with libical's escapes (\n, \\, and \, \; from other writers). */
static char *unescape(const char *s)
{
    strbuf sb;
    sb_init(&sb);
    for (; s && *s; s++) {
        if (*s == '\\' && s[1]) {
            s++;
            sb_addc(&sb, *s == 'n' || *s == 'N' ? '\n' : *s);
        } else {
            sb_addc(&sb, *s);
        }
    }
    return sb_steal(&sb);
}

/* The calendar's own lines (VCALENDAR's properties): its name and zone, and the others eventcal
   does not write itself, kept to be written back (a calendar app's COLOR, X-WR-CALDESC). */
static void read_calendar_props(const scan *s, calendar *cal)
{
    static const char *const OURS[] = {"PRODID", "VERSION", "CALSCALE", "METHOD", "REFRESH-INTERVAL",
                                       "X-PUBLISHED-TTL"};
    char *name = NULL, *zone = NULL;
    for (size_t i = 0; i < s->nlines; i++) {
        const ics_line *l = &s->lines[i];
        if (l->depth != 1 || !l->prop)
            continue;
        const char *pn = icalproperty_get_property_name(l->prop);
        bool ours = false;
        for (size_t k = 0; k < sizeof OURS / sizeof OURS[0] && pn && !ours; k++)
            ours = ascii_strcaseeq(pn, OURS[k]);
        if (ours || !pn)
            continue;
        if (ascii_strcaseeq(pn, "X-WR-CALNAME") && !name)
            name = unescape(icalproperty_get_x(l->prop));
        else if (ascii_strcaseeq(pn, "X-WR-TIMEZONE") && !zone)
            zone = unescape(icalproperty_get_x(l->prop));
        else
            calendar_add_prop(cal, l->text);
    }
    calendar_set_name(cal, name, zone);
    free(name);
    free(zone);
}

static const char *param_name(icalparameter *q)
{
    const char *n = icalparameter_get_xname(q);
    return n ? n : icalparameter_get_iana_name(q);
}

static const char *param_value(icalparameter *q)
{
    const char *v = icalparameter_get_xvalue(q);
    return v ? v : icalparameter_get_iana_value(q);
}

static const char *x_param(icalproperty *p, const char *name)
{
    for (icalparameter *q = icalproperty_get_first_parameter(p, ICAL_ANY_PARAMETER); q;
         q = icalproperty_get_next_parameter(p, ICAL_ANY_PARAMETER)) {
        const char *n = param_name(q);
        if (n && ascii_strcaseeq(n, name))
            return param_value(q);
    }
    return NULL;
}

static bool parse_grain(const char *s, tx_grain *g)
{
    for (int k = G_NONE; k <= G_MINUTE; k++)
        if (strcmp(s, ics_grain_name((tx_grain)k)) == 0) {
            *g = (tx_grain)k;
            return true;
        }
    return false;
}

static bool parse_status(const char *s, ev_status *st)
{
    for (int k = EV_UPCOMING; k <= EV_POSTPONED; k++)
        if (strcmp(s, ev_status_name((ev_status)k)) == 0) {
            *st = (ev_status)k;
            return true;
        }
    return false;
}

/* A UTC stamp ("20240307T000000Z") of a date-time property, or NULL when the value is no real
   date-time (libical hands back a null or out-of-range time for "49788923T000000Z"), so
   that an unreadable LAST-MODIFIED is dropped rather than written back as 00000000T000000. */
static char *stamp_utc(struct icaltimetype t)
{
    if (icaltime_is_null_time(t) || t.is_date || !date_valid(t.year, t.month, t.day) || t.year > 9999 ||
        t.hour < 0 || t.hour > 23 || t.minute < 0 || t.minute > 59 || t.second < 0 || t.second > 60)
        return NULL;
    if (t.zone && t.zone != icaltimezone_get_utc_timezone())
        t = icaltime_convert_to_zone(t, icaltimezone_get_utc_timezone());
    if (!date_valid(t.year, t.month, t.day) || t.year > 9999)
        return NULL;
    return xasprintf("%04d%02d%02dT%02d%02d%02dZ", t.year, t.month, t.day, t.hour, t.minute, t.second);
}

/* Replaces *s by a copy with invalid UTF-8 mended (see utf8_sanitize), when it has any. */
static void mend_utf8(char **s)
{
    if (!*s)
        return;
    size_t n = strlen(*s);
    if (utf8_valid_prefix(*s, n) == n)
        return;
    char *clean = utf8_sanitize(*s, n, NULL, NULL);
    free(*s);
    *s = clean;
}

/*
 * The file is valid UTF-8, but libical's unescaping is not: "\" before a multi-byte character
 * ("\Բ", not an iCalendar escape) keeps only part of it.  Whatever libical hands back is mended
 * before it can reach an output.
 */
static void mend_event_text(event *e)
{
    char **fields[] = {&e->uid, &e->title, &e->name, &e->type, &e->timezone, &e->loc_name, &e->loc_locality,
                       &e->end_point, &e->organiser, &e->original_date, &e->last_modified};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        mend_utf8(fields[i]);
    for (size_t i = 0; i < e->nsources; i++) {
        ev_source *src = &e->sources[i];
        mend_utf8(&src->id);
        mend_utf8(&src->url);
        mend_utf8(&src->title);
        mend_utf8(&src->published);
        mend_utf8(&src->evidence);
    }
}

static bool event_is_ours(icalcomponent *ve)
{
    const char *uid = icalcomponent_get_uid(ve);
    static const char suffix[] = "@eventcal";
    size_t n = uid ? strlen(uid) : 0, k = sizeof suffix - 1;
    if (n < k || strcmp(uid + n - k, suffix) != 0)
        return false;
    for (icalproperty *p = icalcomponent_get_first_property(ve, ICAL_X_PROPERTY); p;
         p = icalcomponent_get_next_property(ve, ICAL_X_PROPERTY))
        if (strcmp(icalproperty_get_x_name(p), "X-EVENTCAL-TYPE") == 0)
            return true;
    return false;
}

/* X-EVENTCAL-REPORTED:time=20240307T000000Z,place=...: unknown names are skipped. */
static void parse_reported(event *e, const char *v)
{
    while (*v) {
        char name[16];
        int y, mo, d, h, mi, sec, n = 0;
        if (sscanf(v, "%15[a-z]=%4d%2d%2dT%2d%2d%2dZ%n", name, &y, &mo, &d, &h, &mi, &sec, &n) != 7 || !n)
            return;
        int64_t t = datetime_to_epoch_utc(y, mo, d, h, mi, sec);
        if (strcmp(name, "time") == 0)
            e->said_time = t;
        else if (strcmp(name, "end") == 0)
            e->said_end = t;
        else if (strcmp(name, "place") == 0)
            e->said_place = t;
        else if (strcmp(name, "locality") == 0)
            e->said_locality = t;
        else if (strcmp(name, "recur") == 0)
            e->said_recur = t;
        v += n;
        if (*v == ',')
            v++;
    }
}

/* Calendars without X-EVENTCAL-REPORTED (and the JSON): the newest source said it all. */
static void default_reported(event *e)
{
    int64_t t = 0;
    for (size_t i = 0; i < e->nsources; i++) {
        int64_t p = calendar_published_time(e->sources[i].published);
        t = p > t ? p : t;
    }
    if (!e->said_time && e->has_time)
        e->said_time = t;
    if (!e->said_end && e->has_end)
        e->said_end = t;
    if (!e->said_place && e->loc_name)
        e->said_place = t;
    if (!e->said_locality && e->loc_locality)
        e->said_locality = t;
    if (!e->said_recur && e->recur.freq != EV_ONCE)
        e->said_recur = t;
}

/* Sets the string field *dst from an X- value. */
static void set_str(char **dst, const char *v)
{
    free(*dst);
    *dst = unescape(v);
}

/* A date (and time) a calendar can hold, as eventcal writes them, for the JSON and the .ics
   readers: sscanf("%d-%d") also reads "404086--12" (a year of six digits, month -12), and
   libical DTSTART:20241399 (month 13, day 99), which later arithmetic cannot take. */
static bool calendar_date_ok(int y, int m, int d, bool timed, int hh, int mm)
{
    return y >= 1 && y <= 9999 && date_valid(y, m, d) && (!timed || (hh >= 0 && hh <= 23 && mm >= 0 && mm <= 59));
}

enum { MAX_EVENT_MINUTES = 366 * 24 * 60 };

/* The line of component j's first `name` property (a content line "NAME;..." or "NAME:...",
   any case) holding `needle` when not NULL, for a problem with it; else the line of its BEGIN. */
static long prop_line(const scan *s, size_t j, const char *name, const char *needle)
{
    size_t n = strlen(name);
    for (size_t i = s->comps[j].begin; i <= s->comps[j].end && i < s->nlines; i++) {
        const char *t = s->lines[i].text;
        if (t && strncasecmp(t, name, n) == 0 && (t[n] == ':' || t[n] == ';') && (!needle || strstr(t, needle)))
            return s->lines[i].lineno;
    }
    return s->lines[s->comps[j].begin].lineno;
}

/* Rebuilds one of eventcal's events, top-level component j, from its properties (eventcal(1),
   ROUND TRIP); NULL with a problem on the line at fault when one cannot be read. */
static event *event_from_ours(scan *s, icalcomponent *ve, size_t j)
{
    long line = s->lines[s->comps[j].begin].lineno;
    event *e = xcalloc(1, sizeof *e);
    e->uid = xstrdup(icalcomponent_get_uid(ve));
    e->grain = G_DAY;
    e->default_minutes = 120;
    bool have_start = false, have_minutes = false, start_utc = false;
    struct icaltimetype dtend = icaltime_null_time();
    char *rrule = NULL; /* read once the event's zone is known: its UNTIL is a day there */
    char *bad = NULL;
    const char *bad_prop = NULL, *bad_value = NULL; /* where the problem is, for its line */
    for (icalproperty *p = icalcomponent_get_first_property(ve, ICAL_ANY_PROPERTY); p && !bad;
         p = icalcomponent_get_next_property(ve, ICAL_ANY_PROPERTY)) {
        switch (icalproperty_isa(p)) {
        case ICAL_DTSTART_PROPERTY: {
            struct icaltimetype t = icalproperty_get_dtstart(p);
            e->y = t.year, e->m = t.month, e->d = t.day;
            if (!t.is_date) {
                e->has_time = true;
                e->hh = t.hour, e->mm = t.minute;
            }
            have_start = !icaltime_is_null_time(t);
            start_utc = icaltime_is_utc(t);
            break;
        }
        case ICAL_DTEND_PROPERTY: dtend = icalproperty_get_dtend(p); break;
        case ICAL_RRULE_PROPERTY:
            if (rrule)
                bad = xasprintf("event %s has two RRULEs", e->uid), bad_prop = "RRULE";
            else
                rrule = icalproperty_get_value_as_string_r(p);
            break;
        case ICAL_SUMMARY_PROPERTY:
            free(e->title);
            e->title = xstrdup(icalproperty_get_summary(p));
            break;
        case ICAL_SEQUENCE_PROPERTY: e->sequence = icalproperty_get_sequence(p); break;
        case ICAL_LASTMODIFIED_PROPERTY:
            free(e->last_modified);
            e->last_modified = stamp_utc(icalproperty_get_lastmodified(p));
            break;
        case ICAL_X_PROPERTY: {
            const char *n = icalproperty_get_x_name(p), *v = icalproperty_get_x(p);
            if (!v || strncmp(n, "X-EVENTCAL-", 11) != 0)
                break;
            n += 11;
            if (strcmp(n, "TYPE") == 0)
                set_str(&e->type, v);
            else if (strcmp(n, "STATUS") == 0) {
                if (!parse_status(v, &e->status))
                    bad = xasprintf("unknown X-EVENTCAL-STATUS '%s'", v), bad_prop = "X-EVENTCAL-STATUS";
            } else if (strcmp(n, "PRECISION") == 0) {
                if (!parse_grain(v, &e->grain))
                    bad = xasprintf("unknown X-EVENTCAL-PRECISION '%s'", v), bad_prop = "X-EVENTCAL-PRECISION";
            } else if (strcmp(n, "CONFIDENCE") == 0)
                e->confidence = strtod(v, NULL);
            else if (strcmp(n, "NAME") == 0)
                set_str(&e->name, v);
            else if (strcmp(n, "PLACE") == 0)
                set_str(&e->loc_name, v);
            else if (strcmp(n, "LOCALITY") == 0)
                set_str(&e->loc_locality, v);
            else if (strcmp(n, "END-POINT") == 0)
                set_str(&e->end_point, v);
            else if (strcmp(n, "ORGANISER") == 0)
                set_str(&e->organiser, v);
            else if (strcmp(n, "ORIGINAL-DATE") == 0)
                set_str(&e->original_date, v);
            else if (strcmp(n, "TIMEZONE") == 0)
                set_str(&e->timezone, v);
            else if (strcmp(n, "PART-OF-DAY") == 0)
                str_copy(e->pod, sizeof e->pod, v);
            else if (strcmp(n, "REPORTED") == 0)
                parse_reported(e, v);
            else if (strcmp(n, "DATE-INFERRED") == 0)
                e->date_inferred = ascii_strcaseeq(v, "TRUE");
            else if (strcmp(n, "MINUTES") == 0) {
                /* a length the event's end can be computed from: at most a year */
                char *end;
                long mins = strtol(v, &end, 10);
                if (*end || end == v || mins < 1 || mins > MAX_EVENT_MINUTES)
                    bad = xasprintf("X-EVENTCAL-MINUTES '%s' is not a length of 1 to %d minutes", v, MAX_EVENT_MINUTES),
                    bad_prop = "X-EVENTCAL-MINUTES";
                else
                    e->default_minutes = (int)mins;
                have_minutes = true;
            } else if (strcmp(n, "END") == 0) {
                int k = sscanf(v, "%d-%d-%dT%d:%d", &e->ey, &e->em, &e->ed, &e->eh, &e->emin);
                if (k != 3 && k != 5)
                    bad = xasprintf("X-EVENTCAL-END '%s' is not YYYY-MM-DD[THH:MM]", v), bad_prop = "X-EVENTCAL-END";
                e->has_end = true;
                e->end_has_time = k == 5;
            } else if (strcmp(n, "SOURCE") == 0) {
                const char *id = x_param(p, "X-ID"), *span = x_param(p, "X-SPAN");
                if (!id) {
                    bad = xasprintf("X-EVENTCAL-SOURCE without X-ID"), bad_prop = "X-EVENTCAL-SOURCE";
                    break;
                }
                if (event_source(e, id))
                    break; /* one article is one source */
                ev_source *src = event_new_source(e);
                src->id = xstrdup(id);
                src->url = strcmp(v, "-") == 0 ? NULL : unescape(v);
                src->published = xstrdup(x_param(p, "X-PUBLISHED"));
                src->title = xstrdup(x_param(p, "X-TITLE"));
                if (span && sscanf(span, "%zu-%zu", &src->span_start, &src->span_end) != 2)
                    bad = xasprintf("X-SPAN '%s' is not START-END", span), bad_prop = "X-EVENTCAL-SOURCE",
                    bad_value = span;
            }
            break;
        }
        default: break;
        }
    }
    /* evidence may come before or after its source: attach it once all sources are known */
    for (icalproperty *p = icalcomponent_get_first_property(ve, ICAL_X_PROPERTY); p && !bad;
         p = icalcomponent_get_next_property(ve, ICAL_X_PROPERTY)) {
        if (strcmp(icalproperty_get_x_name(p), "X-EVENTCAL-EVIDENCE") != 0 || !icalproperty_get_x(p))
            continue;
        ev_source *src = event_source(e, x_param(p, "X-ID"));
        if (!src)
            bad = xasprintf("X-EVENTCAL-EVIDENCE for an unknown source"), bad_prop = "X-EVENTCAL-EVIDENCE";
        else if (!src->evidence)
            src->evidence = unescape(icalproperty_get_x(p));
    }
    if (!bad && rrule && !ev_recur_parse(rrule, e->timezone, &e->recur))
        bad = xasprintf("event %s: RRULE '%s' is not a rule eventcal writes (daily, weekly, or monthly on one weekday)",
                        e->uid, rrule),
        bad_prop = "RRULE";
    icalmemory_free_buffer(rrule);
    if (!bad && !have_start)
        bad = xasprintf("event %s has no DTSTART", e->uid);
    /* libical takes DTSTART:20241399 as month 13, day 99: date arithmetic cannot */
    if (!bad && !calendar_date_ok(e->y, e->m, e->d, e->has_time, e->hh, e->mm))
        bad = xasprintf("event %s: DTSTART %04d-%02d-%02d is not a date", e->uid, e->y, e->m, e->d), bad_prop = "DTSTART";
    if (!bad && e->has_end && !calendar_date_ok(e->ey, e->em, e->ed, e->end_has_time, e->eh, e->emin))
        bad = xasprintf("event %s: X-EVENTCAL-END %d-%d-%d is not a date", e->uid, e->ey, e->em, e->ed),
        bad_prop = "X-EVENTCAL-END";
    if (!bad && (!e->type || !*e->type))
        bad = xasprintf("event %s has an empty X-EVENTCAL-TYPE", e->uid), bad_prop = "X-EVENTCAL-TYPE";
    if (bad) {
        problem(s, bad_prop ? prop_line(s, j, bad_prop, bad_value) : line, "%s", bad);
        free(bad);
        event_free(e);
        return NULL;
    }
    if (e->has_time && !have_minutes && !icaltime_is_null_time(dtend)) {
        /* written before X-EVENTCAL-MINUTES: the length is DTEND - DTSTART, across months too */
        if (calendar_date_ok(dtend.year, dtend.month, dtend.day, true, dtend.hour, dtend.minute)) {
            int64_t m = (datetime_to_epoch_utc(dtend.year, dtend.month, dtend.day, dtend.hour, dtend.minute, 0) -
                         datetime_to_epoch_utc(e->y, e->m, e->d, e->hh, e->mm, 0)) / 60;
            if (m > 0 && m <= MAX_EVENT_MINUTES && !e->has_end)
                e->default_minutes = (int)m;
        }
    }
    datetime local;
    if (e->has_time && start_utc && e->timezone &&
        tz_utc_to_local(e->timezone, datetime_to_epoch_utc(e->y, e->m, e->d, e->hh, e->mm, 0), &local) &&
        calendar_date_ok(local.y, local.m, local.d, true, local.hh, local.mm)) {
        /* emit_ics writes a time its zone's clocks show twice in UTC: the event keeps it as
           its zone's wall-clock time, which reads as the first of the two */
        e->y = local.y, e->m = local.m, e->d = local.d, e->hh = local.hh, e->mm = local.mm;
    }
    event_settle_clock(e);
    e->all_day = !e->has_time;
    default_reported(e);
    return e;
}

/* A hand-written event: kept as text; enough fields for the JSON, TSV and sorting. */
static event *event_from_foreign(icalcomponent *ve, char *raw)
{
    event *e = xcalloc(1, sizeof *e);
    e->raw_ics = raw;
    e->uid = xstrdup(icalcomponent_get_uid(ve));
    icalproperty *rid = icalcomponent_get_first_property(ve, ICAL_RECURRENCEID_PROPERTY);
    if (rid) {
        /* an override of one occurrence: the same UID as its master, and another event */
        char *v = icalproperty_get_value_as_string_r(rid);
        icalparameter *tzp = icalproperty_get_first_parameter(rid, ICAL_TZID_PARAMETER);
        const char *tz = tzp ? icalparameter_get_tzid(tzp) : NULL;
        e->recurrence_id = tz ? xasprintf("%s;%s", v ? v : "", tz) : xstrdup(v ? v : "");
        icalmemory_free_buffer(v);
    }
    const char *sum = icalcomponent_get_summary(ve);
    e->title = xstrdup(sum ? sum : "");
    e->type = xstrdup("other");
    e->confidence = 1.0;
    e->default_minutes = 120;
    e->grain = G_DAY;
    icalproperty *p = icalcomponent_get_first_property(ve, ICAL_DTSTART_PROPERTY);
    if (p) {
        struct icaltimetype t = icalproperty_get_dtstart(p);
        e->y = t.year, e->m = t.month, e->d = t.day;
        if (!t.is_date) {
            e->has_time = true;
            e->hh = t.hour, e->mm = t.minute;
            e->grain = G_MINUTE;
        }
        if (!calendar_date_ok(e->y, e->m, e->d, e->has_time, e->hh, e->mm)) {
            /* kept as written in the .ics; the views that need a date leave it out (y = 0) */
            e->y = e->m = e->d = 0;
            e->has_time = false;
            e->grain = G_DAY;
        }
        icalparameter *tz = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
        if (tz && tz_known(icalparameter_get_tzid(tz)))
            e->timezone = xstrdup(icalparameter_get_tzid(tz));
        else if (t.zone == icaltimezone_get_utc_timezone())
            e->timezone = xstrdup("UTC");
    }
    const char *loc = icalcomponent_get_location(ve);
    e->loc_name = xstrdup(loc && *loc ? loc : NULL);
    if (icalcomponent_get_status(ve) == ICAL_STATUS_CANCELLED)
        e->status = EV_CANCELLED;
    p = icalcomponent_get_first_property(ve, ICAL_SEQUENCE_PROPERTY);
    if (p)
        e->sequence = icalproperty_get_sequence(p);
    e->all_day = !e->has_time;
    return e;
}

/* libical's reading of property line i, made now when a lazy scan left it to the component;
   NULL for BEGIN and END lines.  It lives until scan_finish(). */
static icalproperty *line_prop(scan *s, size_t i)
{
    ics_line *l = &s->lines[i];
    if (!l->prop && s->lazy && l->depth >= 2 && !is_name(l->text, "BEGIN") && !is_name(l->text, "END"))
        l->prop = icalproperty_new_from_string(l->text);
    return l->prop;
}

/* Adds to used the TZID= of every line of component c (in the scan): borrowed from libical's
   properties, which live until scan_finish(). */
static void comp_tzids(scan *s, size_t c, strset *used)
{
    for (size_t i = s->comps[c].begin; i <= s->comps[c].end; i++) {
        icalproperty *p = line_prop(s, i);
        icalparameter *q = p ? icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER) : NULL;
        const char *tzid = q ? icalparameter_get_tzid(q) : NULL;
        if (tzid)
            strset_add(used, tzid, 0, NULL);
    }
}

/* ics_read_ics(), with every property line read by libical on its own first (!lazy), or only
   those of the calendar itself (lazy: the components' lines are read with them). */
static calendar *read_ics(const char *name, const char *text, size_t len, ec_error *err, bool lazy)
{
    scan s = {0};
    s.name = name;
    s.err = err;
    s.lazy = lazy;
    scan_text(&s, text, len);
    if (s.problems) {
        scan_finish(&s);
        return NULL;
    }
    calendar *cal = calendar_new();
    read_calendar_props(&s, cal);
    bool *foreign = xcalloc(s.ncomps + 1, sizeof *foreign);
    for (size_t j = 0; j < s.ncomps && !s.problems; j++) {
        if (ascii_strcaseeq(s.comps[j].kind, "VTIMEZONE"))
            continue; /* below, once it is known which zones hand-written events use */
        icalcomponent *c = parse_comp(&s, text, j);
        if (!c || s.problems) {
            if (c)
                icalcomponent_free(c);
            break;
        }
        if (icalcomponent_isa(c) == ICAL_VEVENT_COMPONENT && event_is_ours(c)) {
            event *e = event_from_ours(&s, c, j);
            if (e) {
                mend_event_text(e);
                calendar_append(cal, e);
            }
        } else if (icalcomponent_isa(c) == ICAL_VEVENT_COMPONENT) {
            event *e = event_from_foreign(c, original_text(text, s.lines, &s.comps[j]));
            mend_event_text(e);
            calendar_append(cal, e);
            foreign[j] = true;
        } else {
            calendar_add_extra(cal, original_text(text, s.lines, &s.comps[j]), NULL);
            foreign[j] = true;
        }
        icalcomponent_free(c);
    }
    /* a VTIMEZONE goes back only for a hand-written component that uses it; eventcal writes
       its own zones again.  The zones they use are gathered once, not looked for in every
       component for each zone (a file of N zones and N events took N squared steps). */
    strset used = {0};
    for (size_t u = 0; u < s.ncomps && !s.problems; u++)
        if (foreign[u])
            comp_tzids(&s, u, &used);
    for (size_t j = 0; j < s.ncomps && !s.problems; j++) {
        if (!ascii_strcaseeq(s.comps[j].kind, "VTIMEZONE"))
            continue;
        icalcomponent *c = parse_comp(&s, text, j);
        icalproperty *tp = c ? icalcomponent_get_first_property(c, ICAL_TZID_PROPERTY) : NULL;
        const char *tzid = tp ? icalproperty_get_tzid(tp) : NULL;
        if (tzid && strset_find(&used, tzid))
            calendar_add_extra(cal, original_text(text, s.lines, &s.comps[j]), tzid);
        if (c)
            icalcomponent_free(c);
    }
    strset_free(&used);
    free(foreign);
    if (s.problems) {
        calendar_free(cal);
        cal = NULL;
    }
    scan_finish(&s);
    return cal;
}

/* Passes over a UTF-8 byte-order mark: RFC 5545 and RFC 8259 allow none, but editors on
   Windows write one, and refusing the file at "line 1" over an invisible character helps no
   one.  Line numbers are unchanged. */
static void skip_bom(const char **text, size_t *len)
{
    size_t bom = utf8_bom_len(*text, *len);
    *text += bom;
    *len -= bom;
}

calendar *ics_read_ics(const char *name, const char *text, size_t len, ec_error *err)
{
    skip_bom(&text, &len);
    /* Handing each property line to libical on its own (icalproperty_new_from_string() runs a
       whole parser for one line) was half the time of reading a large calendar, for the sake
       of the line numbers of errors.  A component libical reads with no X-LIC-ERROR has no
       line it refuses on its own (checked on 130,000 property lines from the fuzz corpus,
       mutated, in four kinds of component), so a calendar is first read by components only;
       at the first problem of any kind it is read again line by line, and the problems and
       their lines are that reading's. */
    calendar *cal = read_ics(name, text, len, NULL, true);
    return cal ? cal : read_ics(name, text, len, err, false);
}

/* ---- eventcal JSON ---- */

static const char *jget_str(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static bool jbad_type(json_t *o, const char *key, json_type want)
{
    json_t *v = json_object_get(o, key);
    return v && !json_is_null(v) && json_typeof(v) != want;
}

static const char *pod_code(const char *name)
{
    static const char *const names[][2] = {{"morning", "MO"}, {"afternoon", "AF"}, {"evening", "EV"}, {"night", "NI"}};
    for (size_t i = 0; name && i < 4; i++)
        if (strcmp(name, names[i][0]) == 0)
            return names[i][1];
    return "";
}

/* Reads one event object; returns NULL with a message in *why (caller frees). */
static event *event_from_json(json_t *o, char **why)
{
    static const char *const strings[] = {"uid", "title", "type", "status", "start", "end", "precision",
                                          "part_of_day", "timezone", "organiser"};
    for (size_t i = 0; i < sizeof strings / sizeof *strings; i++)
        if (jbad_type(o, strings[i], JSON_STRING)) {
            *why = xasprintf("'%s' is not a string", strings[i]);
            return NULL;
        }
    /* a UID is an identity other calendars keep: one that iCalendar cannot carry as written
       (a control character) is refused, not quietly changed into another */
    for (const char *u = jget_str(o, "uid"); u && *u; u++)
        if ((unsigned char)*u < 0x20 || *u == 0x7F) {
            *why = xasprintf("'uid' holds the control character 0x%02X", (unsigned char)*u);
            return NULL;
        }
    const char *type = jget_str(o, "type"), *start = jget_str(o, "start");
    if (!type || !*type || !start) {
        *why = xasprintf("an event needs 'type' and 'start'");
        return NULL;
    }
    event *e = xcalloc(1, sizeof *e);
    e->uid = xstrdup(jget_str(o, "uid"));
    e->title = xstrdup(jget_str(o, "title"));
    e->type = xstrdup(type);
    /* the JSON gives no length ("duration_estimated"): none is known, so that merging a
       calendar with its own JSON keeps the calendar's X-EVENTCAL-MINUTES (the longer of two
       lengths wins a merge, and a guessed 120 beat a vigil's 60) */
    e->default_minutes = 0;
    int k = sscanf(start, "%d-%d-%dT%d:%d", &e->y, &e->m, &e->d, &e->hh, &e->mm);
    /* a month or a day is all the string holds ("2024-06>>>" is neither) */
    if ((k != 2 && k != 3 && k != 5) || (k == 2 && strlen(start) != 7) || (k == 3 && strlen(start) != 10) ||
        !calendar_date_ok(e->y, e->m, k == 2 ? 1 : e->d, k == 5, e->hh, e->mm)) {
        *why = xasprintf("'start' '%s' is not an ISO 8601 date", start);
        goto bad;
    }
    e->has_time = k == 5;
    e->grain = k == 2 ? G_MONTH : k == 3 ? G_DAY : G_MINUTE;
    const char *v = jget_str(o, "precision");
    if (v) {
        bool found = false;
        for (int g = G_NONE; g <= G_MINUTE && !found; g++)
            if (strcmp(v, ev_grain_name((tx_grain)g)) == 0) {
                e->grain = (tx_grain)g;
                found = true;
            }
        if (!found) {
            *why = xasprintf("unknown precision '%s'", v);
            goto bad;
        }
        if (k == 2 && e->grain >= G_DAY) {
            /* a day it does not give: the .ics would hold day 0 */
            *why = xasprintf("'precision' '%s' needs a day, and 'start' '%s' gives none", v, start);
            goto bad;
        }
    }
    if ((v = jget_str(o, "status")) && !parse_status(v, &e->status)) {
        *why = xasprintf("unknown status '%s'", v);
        goto bad;
    }
    if ((v = jget_str(o, "end"))) {
        int n = sscanf(v, "%d-%d-%dT%d:%d", &e->ey, &e->em, &e->ed, &e->eh, &e->emin);
        if ((n != 3 && n != 5) || !calendar_date_ok(e->ey, e->em, e->ed, n == 5, e->eh, e->emin)) {
            *why = xasprintf("'end' '%s' is not an ISO 8601 date", v);
            goto bad;
        }
        e->has_end = true;
        e->end_has_time = n == 5;
    }
    snprintf(e->pod, sizeof e->pod, "%s", pod_code(jget_str(o, "part_of_day")));
    e->timezone = xstrdup(jget_str(o, "timezone"));
    json_t *rec = json_object_get(o, "recurrence");
    if (rec && !json_is_null(rec)) {
        /* its "rrule" says it all; the other members are the same rule spelled out */
        const char *rr = json_is_object(rec) ? jget_str(rec, "rrule") : NULL;
        if (!rr || !ev_recur_parse(rr, e->timezone, &e->recur)) {
            *why = xasprintf("'recurrence' has no 'rrule' eventcal writes (daily, weekly, or monthly on one weekday)");
            goto bad;
        }
    }
    event_settle_clock(e);
    e->organiser = xstrdup(jget_str(o, "organiser"));
    json_t *loc = json_object_get(o, "location");
    if (json_is_object(loc)) {
        e->loc_name = xstrdup(jget_str(loc, "name"));
        e->loc_locality = xstrdup(jget_str(loc, "locality"));
        e->end_point = xstrdup(jget_str(loc, "end_point"));
    }
    e->confidence = json_number_value(json_object_get(o, "confidence"));
    e->sequence = (int)json_integer_value(json_object_get(o, "sequence"));
    e->all_day = !e->has_time;
    json_t *srcs = json_object_get(o, "sources");
    if (srcs && !json_is_array(srcs)) {
        *why = xasprintf("'sources' is not an array");
        goto bad;
    }
    size_t i;
    json_t *so;
    json_array_foreach(srcs, i, so) {
        const char *id = json_is_object(so) ? jget_str(so, "id") : NULL;
        if (!id) {
            *why = xasprintf("source %zu has no 'id'", i);
            goto bad;
        }
        if (event_source(e, id))
            continue;
        ev_source *src = event_new_source(e);
        src->id = xstrdup(id);
        src->url = xstrdup(jget_str(so, "url"));
        src->title = xstrdup(jget_str(so, "title"));
        src->published = xstrdup(jget_str(so, "published"));
        src->evidence = xstrdup(jget_str(so, "evidence"));
        json_t *span = json_object_get(so, "span");
        src->span_start = (size_t)json_integer_value(json_array_get(span, 0));
        src->span_end = (size_t)json_integer_value(json_array_get(span, 1));
    }
    default_reported(e);
    return e;
bad:
    event_free(e);
    return NULL;
}

/* Whether a JSON calendar's "generator" is eventcal's. */
static bool by_eventcal(const char *generator)
{
    return strncmp(generator, "eventcal", 8) == 0;
}

/* events[i] of a JSON calendar (o, borrowed), which starts on `line` (0: not known), as an
   event; NULL, with the error, when it is none. */
static event *event_at(json_t *o, size_t i, long line, const char *name, ec_error *err)
{
    char *why = NULL;
    event *e = json_is_object(o) ? event_from_json(o, &why) : NULL;
    if (!e)
        ec_fail(err, EC_ERR_INPUT, name, line, 0, "events[%zu]: %s", i, why ? why : "not an object");
    free(why);
    return e;
}

/*
 * ics_read_json() a piece at a time: jrec checks the whole document and finds where each
 * event lies, and jansson reads one event at a time, so a calendar of 20,000 events is not
 * first a tree of them all.  PIECES_NO (err untouched) where this does not decide: a
 * document jrec declines, no eventcal generator, an event jansson rejects; the reading of
 * the whole document then reads it again, and words any error as it always has.
 */
typedef enum pieces { PIECES_NO, PIECES_READ, PIECES_BAD } pieces;

static pieces read_json_events(const char *name, const char *text, size_t len, calendar **out, ec_error *err)
{
    static const char *const keys[] = {"generator", "events"};
    jrec_value f[2];
    size_t *items, n;
    if (!jrec_read(text, len, keys, 2, f))
        return PIECES_NO;
    bool ours = f[0].type == JREC_STRING && by_eventcal(f[0].str) &&
                jrec_array_items(text, &f[1], &items, &n);
    jrec_value_finish(&f[0]);
    jrec_value_finish(&f[1]);
    if (!ours)
        return PIECES_NO;
    calendar *cal = calendar_new();
    pieces res = PIECES_READ;
    long line = 1; /* of items[2 * i], counted on from the last event's start */
    size_t counted = 0;
    for (size_t i = 0; i < n && res == PIECES_READ; i++) {
        for (; counted < items[2 * i]; counted++)
            line += text[counted] == '\n';
        json_error_t je;
        json_t *o = json_loadb(text + items[2 * i], items[2 * i + 1] - items[2 * i], JSON_REJECT_DUPLICATES, &je);
        if (!o) {
            res = PIECES_NO;
            break;
        }
        event *e = event_at(o, i, line, name, err);
        json_decref(o);
        if (e)
            calendar_append(cal, e);
        else
            res = PIECES_BAD;
    }
    free(items);
    if (res != PIECES_READ) {
        calendar_free(cal);
        cal = NULL;
    }
    *out = cal;
    return res;
}

calendar *ics_read_json(const char *name, const char *text, size_t len, ec_error *err)
{
    skip_bom(&text, &len);
    calendar *read;
    if (read_json_events(name, text, len, &read, err) != PIECES_NO)
        return read;
    json_error_t je;
    json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!doc) {
        ec_fail(err, EC_ERR_INPUT, name, je.line, je.column, "bad JSON: %s", je.text);
        return NULL;
    }
    const char *gen = jget_str(doc, "generator");
    json_t *events = json_object_get(doc, "events");
    if (!gen || !by_eventcal(gen) || !json_is_array(events)) {
        ec_fail(err, EC_ERR_INPUT, name, 1, 0, "not an eventcal events.json (no \"generator\": \"eventcal ...\" and \"events\")");
        json_decref(doc);
        return NULL;
    }
    calendar *cal = calendar_new();
    size_t i;
    json_t *o;
    json_array_foreach(events, i, o) {
        event *e = event_at(o, i, 0, name, err);
        if (!e) {
            calendar_free(cal);
            json_decref(doc);
            return NULL;
        }
        calendar_append(cal, e);
    }
    json_decref(doc);
    return cal;
}

calendar *ics_read_file(const char *path, size_t max_bytes, ec_error *err)
{
    size_t len;
    char *text = read_file_all(path, max_bytes, &len, err);
    if (!text)
        return NULL;
    const char *t = text;
    size_t i = 0, n = len;
    skip_bom(&t, &n);
    while (i < n && ascii_isspace((unsigned char)t[i]))
        i++;
    calendar *c = i < n && t[i] == '{' ? ics_read_json(path, text, len, err) : ics_read_ics(path, text, len, err);
    free(text);
    return c;
}

/* ---- --check ---- */

/* The instant of a DTSTART/DTEND property, in its TZID's zone when libical knows it. */
static time_t prop_instant(icalproperty *p, struct icaltimetype t)
{
    icalparameter *q = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
    icaltimezone *z = q ? icaltimezone_get_builtin_timezone(icalparameter_get_tzid(q)) : NULL;
    if (!z)
        z = icaltimezone_get_utc_timezone();
    return icaltime_as_timet_with_zone(t, t.zone ? t.zone : z);
}

static size_t check_text(const char *name, const char *text, size_t len, strbuf *out);

typedef struct check_line {
    long line;
    size_t order;
    char *text;
} check_line;

static int cmp_check_line(const void *pa, const void *pb)
{
    const check_line *a = pa, *b = pb;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    return a->order < b->order ? -1 : a->order > b->order;
}

/* The problems in file order: the scan finds line problems first, the event checks later. */
static void sort_report(const char *name, const char *rep, size_t len, strbuf *out)
{
    check_line *ls = NULL;
    size_t n = 0, nl = strlen(name);
    for (size_t pos = 0; pos < len;) {
        const char *e = memchr(rep + pos, '\n', len - pos);
        size_t end = e ? (size_t)(e - rep) + 1 : len;
        ls = xrealloc(ls, (n + 1) * sizeof *ls);
        /* "NAME:LINE: ...": the number is read only from within the line */
        long line = 0;
        for (size_t q = pos + nl + 1; q < end && rep[q] >= '0' && rep[q] <= '9' && line < 100000000; q++)
            line = line * 10 + (rep[q] - '0');
        ls[n] = (check_line){line, n, xstrndup(rep + pos, end - pos)};
        n++;
        pos = end;
    }
    if (n > 1)
        qsort(ls, n, sizeof *ls, cmp_check_line);
    for (size_t i = 0; i < n; i++) {
        sb_adds(out, ls[i].text);
        free(ls[i].text);
    }
    free(ls);
}

size_t ics_read_check(const char *name, const char *text, size_t len, strbuf *out)
{
    skip_bom(&text, &len);
    strbuf rep;
    sb_init(&rep);
    size_t n = check_text(name, text, len, &rep);
    sort_report(name, rep.s ? rep.s : "", rep.len, out);
    sb_finish(&rep);
    return n;
}

static size_t check_text(const char *name, const char *text, size_t len, strbuf *out)
{
    scan s = {0};
    s.name = name;
    s.out = out;
    scan_text(&s, text, len);
    if (s.fatal) {
        size_t n = s.problems;
        scan_finish(&s);
        return n;
    }
    for (size_t j = 0; j < s.ncomps && s.problems == 0; j++) {
        icalcomponent *c = parse_comp(&s, text, j);
        if (c)
            icalcomponent_free(c);
    }
    bool version = false;
    for (size_t i = 0; i < s.nlines; i++)
        if (s.lines[i].depth == 1 && s.lines[i].prop && icalproperty_isa(s.lines[i].prop) == ICAL_VERSION_PROPERTY)
            version = true;
    if (!version)
        problem(&s, s.lines[0].lineno, "the calendar has no VERSION");
    /* zones the file defines (a strset, borrowed from libical's properties: a walk over them
       for every TZID made N zones and N events cost N squared) */
    strset zones = {0};
    for (size_t j = 0; j < s.ncomps; j++) {
        if (!ascii_strcaseeq(s.comps[j].kind, "VTIMEZONE"))
            continue;
        for (size_t i = s.comps[j].begin; i <= s.comps[j].end; i++)
            if (s.lines[i].depth == 2 && s.lines[i].prop && icalproperty_isa(s.lines[i].prop) == ICAL_TZID_PROPERTY) {
                const char *tzid = icalproperty_get_tzid(s.lines[i].prop);
                if (tzid)
                    strset_add(&zones, tzid, 0, NULL);
                break;
            }
    }
    /* every UID seen, with the line it was first on (borrowed from libical's properties) */
    strset uids = {0};
    for (size_t j = 0; j < s.ncomps; j++) {
        const ics_comp *c = &s.comps[j];
        bool vevent = ascii_strcaseeq(c->kind, "VEVENT");
        if (!vevent && !ascii_strcaseeq(c->kind, "VTODO") && !ascii_strcaseeq(c->kind, "VJOURNAL"))
            continue;
        long at = s.lines[c->begin].lineno;
        icalproperty *uid = NULL, *start = NULL, *end = NULL, *stamp = NULL, *rid = NULL;
        long uid_line = at, end_line = at, start_line = at;
        for (size_t i = c->begin; i <= c->end; i++) {
            ics_line *l = &s.lines[i];
            if (!l->prop)
                continue;
            icalparameter *q = icalproperty_get_first_parameter(l->prop, ICAL_TZID_PARAMETER);
            if (q) {
                const char *tz = icalparameter_get_tzid(q);
                if (!strset_find(&zones, tz))
                    problem(&s, l->lineno, "TZID '%s' has no VTIMEZONE in the file", tz);
            }
            if (l->depth != 2)
                continue; /* a VALARM's properties are not the event's */
            switch (icalproperty_isa(l->prop)) {
            case ICAL_UID_PROPERTY: uid = l->prop, uid_line = l->lineno; break;
            case ICAL_DTSTART_PROPERTY: start = l->prop, start_line = l->lineno; break;
            case ICAL_DTEND_PROPERTY: end = l->prop, end_line = l->lineno; break;
            case ICAL_DTSTAMP_PROPERTY: stamp = l->prop; break;
            case ICAL_RECURRENCEID_PROPERTY: rid = l->prop; break;
            default: break;
            }
        }
        if (!uid)
            problem(&s, at, "%s without UID", c->kind);
        if (!stamp)
            problem(&s, at, "%s without DTSTAMP", c->kind);
        if (vevent && !start)
            problem(&s, at, "VEVENT without DTSTART");
        struct icaltimetype tcheck = start ? icalproperty_get_dtstart(start) : icaltime_null_time();
        if (start && !calendar_date_ok(tcheck.year, tcheck.month, tcheck.day, !tcheck.is_date, tcheck.hour, tcheck.minute)) {
            problem(&s, start_line, "DTSTART is not a date a calendar can hold");
            start = NULL; /* nothing to compare DTEND with */
        }
        if (start && end) {
            struct icaltimetype ts = icalproperty_get_dtstart(start), te = icalproperty_get_dtend(end);
            if (ts.is_date != te.is_date)
                problem(&s, end_line, "DTEND is a %s but DTSTART a %s", te.is_date ? "date" : "date-time",
                        ts.is_date ? "date" : "date-time");
            else if (prop_instant(end, te) <= prop_instant(start, ts))
                problem(&s, end_line, "DTEND is not after DTSTART");
        }
        if (uid && !rid) {
            const char *u = icalproperty_get_uid(uid);
            bool added;
            const size_t *first = strset_add(&uids, u, (size_t)uid_line, &added);
            if (!added)
                problem(&s, uid_line, "duplicate UID '%s' (first on line %ld)", u, (long)*first);
        }
    }
    strset_free(&uids);
    strset_free(&zones);
    size_t n = s.problems;
    scan_finish(&s);
    return n;
}

#include "event.h"

#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"

const char *ev_status_name(ev_status s)
{
    switch (s) {
    case EV_UPCOMING: return "upcoming";
    case EV_PAST: return "past";
    case EV_CANCELLED: return "cancelled";
    case EV_POSTPONED: return "postponed";
    }
    return "upcoming";
}

const char *ev_grain_name(tx_grain g)
{
    switch (g) {
    case G_MINUTE: return "minute";
    case G_HOUR: return "hour";
    case G_POD:
    case G_DAY: return "day";
    case G_WEEK: return "week";
    case G_MONTH: return "month";
    case G_SEASON: return "season";
    case G_QUARTER: return "quarter";
    case G_HALF: return "half";
    case G_YEAR: return "year";
    case G_DECADE: return "decade";
    case G_CENTURY: return "century";
    case G_NONE: return "none";
    }
    return "none";
}

bool event_spans_days(const event *e)
{
    return e->has_end && (e->ey != e->y || e->em != e->m || e->ed != e->d);
}

bool event_in_calendar(const event *e)
{
    return e->grain >= G_DAY;
}

/* Sources by id (util's strset, each id with its place in the array); `done` counts the
   sources indexed so far.  The set borrows the ids, which stay put while the event owns them;
   sorting the array moves the structs, so a place that no longer holds its id sends the
   lookup to index them again. */
typedef struct ev_source_index {
    strset ids;
    size_t done;
} ev_source_index;

static const char *source_id(const ev_source *s)
{
    return s->id ? s->id : "";
}

ev_source *event_source(event *e, const char *id)
{
    if (!id)
        id = "";
    if (e->nsources < 8) { /* most events: a walk is cheaper than an index */
        for (size_t i = 0; i < e->nsources; i++)
            if (strcmp(source_id(&e->sources[i]), id) == 0)
                return &e->sources[i];
        return NULL;
    }
    if (!e->source_index)
        e->source_index = xcalloc(1, sizeof *e->source_index);
    ev_source_index *x = e->source_index;
    for (int pass = 0; pass < 2; pass++) {
        if (x->done > e->nsources || pass == 1) { /* reordered, or not this array's: again */
            strset_free(&x->ids);
            x->done = 0;
        }
        for (; x->done < e->nsources; x->done++)
            strset_add(&x->ids, source_id(&e->sources[x->done]), x->done, NULL); /* the first stays */
        const size_t *at = strset_find(&x->ids, id);
        if (!at)
            return NULL;
        if (*at < e->nsources && strcmp(source_id(&e->sources[*at]), id) == 0)
            return &e->sources[*at];
    }
    return NULL;
}

bool event_has_source(event *e, const char *id)
{
    return event_source(e, id) != NULL;
}

void event_free(event *e)
{
    if (!e)
        return;
    free(e->uid);
    free(e->title);
    free(e->name);
    free(e->type);
    free(e->timezone);
    free(e->loc_name);
    free(e->loc_locality);
    free(e->end_point);
    free(e->organiser);
    free(e->original_date);
    free(e->last_modified);
    free(e->raw_ics);
    free(e->recurrence_id);
    for (size_t i = 0; i < e->nsources; i++) {
        free(e->sources[i].id);
        free(e->sources[i].url);
        free(e->sources[i].title);
        free(e->sources[i].published);
        free(e->sources[i].evidence);
    }
    free(e->sources);
    if (e->source_index) {
        strset_free(&e->source_index->ids);
        free(e->source_index);
    }
    event_drop_reasons(e);
    free(e);
}

void event_drop_reasons(event *e)
{
    for (size_t i = 0; i < e->nreasons; i++) {
        free(e->reasons[i].rule);
        free(e->reasons[i].what);
        free(e->reasons[i].text);
        free(e->reasons[i].source_id);
    }
    free(e->reasons);
    e->reasons = NULL;
    e->nreasons = e->reasons_cap = 0;
}

ev_source *event_new_source(event *e)
{
    /* from the count, not the old room: a list someone else allocated to its size, and
       whose room was not recorded, is grown, never overrun */
    if (e->nsources >= e->sources_cap) {
        e->sources_cap = e->nsources ? 2 * e->nsources : 1;
        e->sources = xrealloc(e->sources, e->sources_cap * sizeof *e->sources);
    }
    ev_source *s = &e->sources[e->nsources++];
    memset(s, 0, sizeof *s);
    return s;
}

void event_reserve_reasons(event *e, size_t more)
{
    if (e->nreasons + more <= e->reasons_cap)
        return;
    size_t cap = e->nreasons ? 2 * e->nreasons : 4; /* from the count, as event_new_source() */
    while (cap < e->nreasons + more)
        cap *= 2;
    e->reasons = xrealloc(e->reasons, cap * sizeof *e->reasons);
    e->reasons_cap = cap;
}

event *event_clone(const event *e)
{
    event *c = xmalloc(sizeof *c);
    *c = *e;
    c->source_index = NULL;
    c->uid = xstrdup(e->uid);
    c->title = xstrdup(e->title);
    c->type = xstrdup(e->type);
    c->name = xstrdup(e->name);
    c->timezone = xstrdup(e->timezone);
    c->loc_name = xstrdup(e->loc_name);
    c->loc_locality = xstrdup(e->loc_locality);
    c->end_point = xstrdup(e->end_point);
    c->organiser = xstrdup(e->organiser);
    c->original_date = xstrdup(e->original_date);
    c->last_modified = xstrdup(e->last_modified);
    c->raw_ics = xstrdup(e->raw_ics);
    c->recurrence_id = xstrdup(e->recurrence_id);
    c->sources = e->nsources ? xmalloc(e->nsources * sizeof *c->sources) : NULL;
    c->sources_cap = e->nsources;
    for (size_t i = 0; i < e->nsources; i++) {
        c->sources[i] = e->sources[i];
        c->sources[i].id = xstrdup(e->sources[i].id);
        c->sources[i].url = xstrdup(e->sources[i].url);
        c->sources[i].title = xstrdup(e->sources[i].title);
        c->sources[i].published = xstrdup(e->sources[i].published);
        c->sources[i].evidence = xstrdup(e->sources[i].evidence);
    }
    c->reasons = e->nreasons ? xmalloc(e->nreasons * sizeof *c->reasons) : NULL;
    c->reasons_cap = e->nreasons;
    for (size_t i = 0; i < e->nreasons; i++) {
        c->reasons[i] = e->reasons[i];
        c->reasons[i].rule = xstrdup(e->reasons[i].rule);
        c->reasons[i].what = xstrdup(e->reasons[i].what);
        c->reasons[i].text = xstrdup(e->reasons[i].text);
        c->reasons[i].source_id = xstrdup(e->reasons[i].source_id);
    }
    return c;
}

/* Moves y-m-d hh:mm, a wall-clock time in zone tz, on to what the clocks show at the instant
   it names when they skip it (see event_settle_clock()). */
static void settle(const char *tz, int *y, int *m, int *d, int *hh, int *mm)
{
    int off;
    tz_wall wall;
    if (!tz_local_offset(tz, *y, *m, *d, *hh, *mm, &off, &wall) || wall != TZ_WALL_SKIPPED)
        return;
    datetime t;
    if (!tz_utc_to_local(tz, datetime_to_epoch_utc(*y, *m, *d, *hh, *mm, 0) - (int64_t)off * 60, &t))
        return;
    *y = t.y, *m = t.m, *d = t.d, *hh = t.hh, *mm = t.mm;
}

void event_settle_clock(event *e)
{
    const char *tz = e->timezone ? e->timezone : "UTC"; /* as iso_local() reads it */
    if (e->has_time)
        settle(tz, &e->y, &e->m, &e->d, &e->hh, &e->mm);
    if (e->has_end && e->end_has_time)
        settle(tz, &e->ey, &e->em, &e->ed, &e->eh, &e->emin);
}

static void iso_local(const event *e, int y, int m, int d, int hh, int mm, char *buf, size_t size)
{
    int off = 0;
    if (!tz_offset_for_local(e->timezone ? e->timezone : "UTC", y, m, d, hh, mm, &off))
        off = 0;
    int a = off < 0 ? -off : off;
    snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:00%c%02d:%02d", y, m, d, hh, mm, off < 0 ? '-' : '+', a / 60, a % 60);
}

const char *event_start_iso(const event *e, char *buf, size_t size)
{
    if (e->grain < G_DAY) {
        if (e->grain == G_YEAR)
            snprintf(buf, size, "%04d", e->y);
        else
            snprintf(buf, size, "%04d-%02d", e->y, e->m);
    } else if (e->has_time) {
        iso_local(e, e->y, e->m, e->d, e->hh, e->mm, buf, size);
    } else {
        snprintf(buf, size, "%04d-%02d-%02d", e->y, e->m, e->d);
    }
    return buf;
}

const char *event_end_iso(const event *e, char *buf, size_t size)
{
    if (!e->has_end)
        return NULL;
    if (e->end_has_time)
        iso_local(e, e->ey, e->em, e->ed, e->eh, e->emin, buf, size);
    else
        snprintf(buf, size, "%04d-%02d-%02d", e->ey, e->em, e->ed);
    return buf;
}

/* ---- recurrence ---- */

static const char *const WEEKDAY_CODES[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};

const char *ev_weekday_code(int wd)
{
    return wd >= 1 && wd <= 7 ? WEEKDAY_CODES[wd - 1] : "MO";
}

int ev_days_first(unsigned days)
{
    for (int wd = 1; wd <= 7; wd++)
        if (days & EV_DAY(wd))
            return wd;
    return 0;
}

const char *ev_recur_byday(const ev_recur *r, char *buf, size_t size)
{
    if (size == 0)
        return buf;
    buf[0] = '\0';
    size_t k = 0;
    for (int wd = 1; wd <= 7 && r->freq != EV_DAILY; wd++) {
        if (!(r->days & EV_DAY(wd)))
            continue;
        /* a monthly rule's ordinals in the order of the month: "1MO,3MO", "2TU,-1TU" */
        for (int i = 0; i < (r->freq == EV_MONTHLY ? EV_NORDS : 1); i++) {
            int ord = EV_ORD_AT(i);
            if (r->freq == EV_MONTHLY && !(r->ords & EV_ORD(ord)))
                continue;
            int n = r->freq == EV_MONTHLY
                        ? snprintf(buf + k, size - k, "%s%d%s", k ? "," : "", ord, WEEKDAY_CODES[wd - 1])
                        : snprintf(buf + k, size - k, "%s%s", k ? "," : "", WEEKDAY_CODES[wd - 1]);
            if (n < 0 || (size_t)n >= size - k)
                return buf;
            k += (size_t)n;
        }
    }
    return buf;
}

bool ev_recur_equal(const ev_recur *a, const ev_recur *b)
{
    if (a->freq != b->freq)
        return false;
    if (a->freq == EV_ONCE)
        return true;
    return a->interval == b->interval && a->days == b->days && a->ords == b->ords &&
           a->has_until == b->has_until && (!a->has_until || (a->uy == b->uy && a->um == b->um && a->ud == b->ud));
}

/* The Monday of day's week: RFC 5545 counts a weekly rule's interval in weeks that start on
   its WKST, Monday when none is written, as eventcal's rules never write one. */
static int64_t week_start(int64_t day)
{
    return day - (date_weekday_of_days(day) - 1);
}

/* The first occurrence of a monthly rule in month y-m on or after day `from` (0 when none). */
static int64_t month_occurrence(const ev_recur *r, int y, int m, int64_t from)
{
    int64_t best = 0;
    for (int i = 0; i < EV_NORDS; i++) {
        int ord = EV_ORD_AT(i);
        if (!(r->ords & EV_ORD(ord)))
            continue;
        ymd d = date_nth_weekday(y, m, ev_days_first(r->days), ord);
        int64_t x = d.m == m ? date_to_days(d.y, d.m, d.d) : 0;
        if (x && x >= from && (!best || x < best))
            best = x;
    }
    return best;
}

/* Days: the first occurrence of r on or after `from`, counting the days, weeks or months of its
   interval from `anchor` (an occurrence itself, or from the first occurrence on or after it
   when none is known yet); -1 when the rule has ended or is none. */
static int64_t next_day(const ev_recur *r, int64_t anchor, int64_t from)
{
    int64_t until = r->has_until ? date_to_days(r->uy, r->um, r->ud) : INT64_MAX;
    int step = r->interval > 1 ? r->interval : 1;
    int64_t at = -1;
    unsigned days = r->days & 0x7f;
    if (r->freq == EV_DAILY) {
        at = from <= anchor ? anchor : anchor + ((from - anchor + step - 1) / step) * step;
    } else if (r->freq == EV_WEEKLY && days) {
        /* the first of its days from the anchor is DTSTART: every other week counts from its
           week, whatever weekdays of that week come before it */
        int64_t first = anchor;
        while (!(days & EV_DAY(date_weekday_of_days(first))))
            first++;
        int64_t week0 = week_start(first);
        int64_t x = from > first ? from : first;
        /* off weeks skipped: a whole cycle and one week more is always enough */
        for (int k = 0; k < 7 * step + 7 && at < 0; k++, x++)
            if (((x - week0) / 7) % step == 0 && (days & EV_DAY(date_weekday_of_days(x))))
                at = x;
    } else if (r->freq == EV_MONTHLY && ev_days_first(days) && r->ords) {
        ymd a = date_from_days(anchor), f = date_from_days(from > anchor ? from : anchor);
        long mi = (long)a.y * 12 + (a.m - 1), mf = (long)f.y * 12 + (f.m - 1);
        if (mf > mi)
            mi += ((mf - mi + step - 1) / step) * step;
        for (int k = 0; k < 24 && at < 0; k++, mi += step) {
            int64_t d = month_occurrence(r, (int)(mi / 12), (int)(mi % 12) + 1, from > anchor ? from : anchor);
            if (d)
                at = d;
        }
    }
    return at >= 0 && at <= until ? at : -1;
}

bool ev_recur_next(const ev_recur *r, int y, int m, int d, int *oy, int *om, int *od)
{
    int64_t from = date_to_days(y, m, d);
    int64_t at = next_day(r, from, from);
    if (at < 0)
        return false;
    ymd o = date_from_days(at);
    *oy = o.y, *om = o.m, *od = o.d;
    return true;
}

bool ev_recur_last(const ev_recur *r, int y, int m, int d, int *oy, int *om, int *od)
{
    if (!r->has_until || r->freq == EV_ONCE)
        return false;
    int64_t first = date_to_days(y, m, d), until = date_to_days(r->uy, r->um, r->ud);
    int64_t at = next_day(r, first, first), last = -1;
    int step = r->interval > 1 ? r->interval : 1;
    if (at < 0) {
    } else if (r->freq == EV_DAILY) {
        last = at + (until - at) / step * step;
    } else if (r->freq == EV_WEEKLY) {
        /* the last week of the cycle that starts by the UNTIL, else the one before it: in a
           week cut short by the UNTIL the days left may all come after it */
        int64_t week0 = week_start(at), span = 7 * (int64_t)step;
        for (int64_t w = week0 + (week_start(until) - week0) / span * span; w >= week0 && last < 0; w -= span)
            for (int64_t x = w + 6; x >= w && last < 0; x--)
                if (x <= until && x >= at && (r->days & EV_DAY(date_weekday_of_days(x))))
                    last = x;
    } else {
        /* at most a few years of months: a rule's UNTIL is what an article states */
        for (int k = 0; at >= 0 && k < 1200; k++) {
            last = at;
            at = next_day(r, first, at + 1);
        }
    }
    if (last < 0)
        return false;
    ymd o = date_from_days(last);
    *oy = o.y, *om = o.m, *od = o.d;
    return true;
}

bool event_same_series(const event *a, const event *b)
{
    const ev_recur *x = &a->recur, *y = &b->recur;
    if (x->freq == EV_ONCE || x->freq != y->freq || x->interval != y->interval || x->days != y->days ||
        x->ords != y->ords)
        return false;
    int64_t da = date_to_days(a->y, a->m, a->d), db = date_to_days(b->y, b->m, b->d);
    int step = x->interval > 1 ? x->interval : 1;
    if (x->freq == EV_DAILY) {
        int64_t diff = da > db ? da - db : db - da;
        return diff % step == 0;
    }
    if (x->freq == EV_WEEKLY) {
        /* two first days of one series lie in weeks a whole cycle apart, on days of the rule
           ("every Saturday and Sunday" reported on a Saturday and on the next day) */
        if (!(x->days & EV_DAY(date_weekday_of_days(da))) || !(x->days & EV_DAY(date_weekday_of_days(db))))
            return false;
        int64_t wa = week_start(da), wb = week_start(db), diff = wa > wb ? wa - wb : wb - wa;
        return (diff / 7) % step == 0;
    }
    long months = ((long)a->y * 12 + a->m) - ((long)b->y * 12 + b->m);
    return (months < 0 ? -months : months) % step == 0;
}

/* Moves the first occurrence of recurring event e to y-m-d (one of its days), and its end by
   as many days. */
static void recur_rebase(event *e, int y, int m, int d)
{
    int64_t delta = date_to_days(y, m, d) - date_to_days(e->y, e->m, e->d);
    if (!delta)
        return;
    e->y = y, e->m = m, e->d = d;
    if (e->has_end) {
        ymd end = date_add_days((ymd){e->ey, e->em, e->ed}, delta);
        e->ey = end.y, e->em = end.m, e->ed = end.d;
    }
}

void event_series_align(event *a, event *b)
{
    if (a->recur.freq == EV_ONCE || b->recur.freq == EV_ONCE)
        return;
    if (date_to_days(b->y, b->m, b->d) < date_to_days(a->y, a->m, a->d))
        recur_rebase(a, b->y, b->m, b->d);
    else
        recur_rebase(b, a->y, a->m, a->d);
}

void event_series_rule(event *a, const event *b)
{
    if (b->recur.freq == EV_ONCE)
        return;
    char ra[128], rb[128];
    const char *sa = event_rrule(a, ra, sizeof ra), *sb = event_rrule(b, rb, sizeof rb);
    if (!sa || b->said_recur > a->said_recur || (b->said_recur == a->said_recur && strcmp(sb, sa) < 0)) {
        a->recur = b->recur;
        a->said_recur = b->said_recur;
    }
}

ev_status event_recur_status(const event *e, int y, int m, int d)
{
    int oy, om, od;
    /* from its first day: an interval of two counts from there */
    int64_t from = date_to_days(y, m, d), start = date_to_days(e->y, e->m, e->d);
    if (!e->recur.has_until || from <= start)
        return EV_UPCOMING;
    if (!ev_recur_last(&e->recur, e->y, e->m, e->d, &oy, &om, &od))
        return EV_PAST;
    return date_to_days(oy, om, od) >= from ? EV_UPCOMING : EV_PAST;
}

const char *event_rrule(const event *e, char *buf, size_t size)
{
    const ev_recur *r = &e->recur;
    if (r->freq == EV_ONCE || size == 0)
        return NULL;
    strbuf sb;
    sb_init(&sb);
    sb_adds(&sb, r->freq == EV_DAILY    ? "FREQ=DAILY"
                 : r->freq == EV_WEEKLY ? "FREQ=WEEKLY"
                                        : "FREQ=MONTHLY");
    if (r->has_until && e->has_time) {
        /* the end of the last day, where the event is: a UTC instant, RFC 5545 3.3.10 */
        int64_t t;
        if (!tz_local_to_utc(e->timezone ? e->timezone : "UTC", r->uy, r->um, r->ud, 23, 59, &t))
            t = datetime_to_epoch_utc(r->uy, r->um, r->ud, 23, 59, 0);
        datetime u;
        datetime_from_epoch_utc(t + 59, &u);
        sb_printf(&sb, ";UNTIL=%04d%02d%02dT%02d%02d%02dZ", u.y, u.m, u.d, u.hh, u.mm, u.ss);
    } else if (r->has_until) {
        sb_printf(&sb, ";UNTIL=%04d%02d%02d", r->uy, r->um, r->ud);
    }
    if (r->interval > 1)
        sb_printf(&sb, ";INTERVAL=%d", r->interval);
    char byday[40];
    if (r->freq != EV_DAILY)
        sb_printf(&sb, ";BYDAY=%s", ev_recur_byday(r, byday, sizeof byday));
    str_copy(buf, size, sb.s);
    sb_finish(&sb);
    return buf;
}

/* The ISO weekday of a two-letter iCalendar name, or 0. */
static int weekday_of_code(const char *s, size_t n)
{
    for (int i = 0; n == 2 && i < 7; i++)
        if (ascii_strncaseeq(s, WEEKDAY_CODES[i], 2))
            return i + 1;
    return 0;
}

bool ev_recur_parse(const char *rrule, const char *tz, ev_recur *out)
{
    ev_recur r = {.freq = EV_ONCE, .interval = 1};
    bool by_day = false;
    for (const char *p = rrule; p && *p;) {
        const char *end = strchr(p, ';');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        const char *eq = memchr(p, '=', n);
        if (!eq)
            return false;
        size_t kn = (size_t)(eq - p), vn = n - kn - 1;
        const char *v = eq + 1;
        char val[32];
        if (vn >= sizeof val)
            return false;
        memcpy(val, v, vn);
        val[vn] = '\0';
        if (kn == 4 && ascii_strncaseeq(p, "FREQ", 4)) {
            if (ascii_strcaseeq(val, "DAILY"))
                r.freq = EV_DAILY;
            else if (ascii_strcaseeq(val, "WEEKLY"))
                r.freq = EV_WEEKLY;
            else if (ascii_strcaseeq(val, "MONTHLY"))
                r.freq = EV_MONTHLY;
            else
                return false;
        } else if (kn == 8 && ascii_strncaseeq(p, "INTERVAL", 8)) {
            char *e;
            long x = strtol(val, &e, 10);
            if (*e || x < 1 || x > 2)
                return false;
            r.interval = (int)x;
        } else if (kn == 5 && ascii_strncaseeq(p, "BYDAY", 5)) {
            /* "SA,SU", or one weekday of the month ("1SU", "1MO,3MO"): all of one kind */
            for (char *d = val; d;) {
                char *comma = strchr(d, ',');
                if (comma)
                    *comma = '\0';
                char *e;
                long ord = strtol(d, &e, 10);
                int wd = weekday_of_code(e, strlen(e));
                if (!wd || (e != d && (ord < -1 || ord > 4 || ord == 0)) || (e == d && (*d == '+' || *d == '-')) ||
                    (by_day && (e != d) != (r.ords != 0)))
                    return false;
                if (e != d)
                    r.ords |= EV_ORD((int)ord);
                r.days |= EV_DAY(wd);
                by_day = true;
                d = comma ? comma + 1 : NULL;
            }
        } else if (kn == 5 && ascii_strncaseeq(p, "UNTIL", 5)) {
            int y, m, d, hh = 0, mm = 0, ss = 0;
            char z = 0;
            if (vn == 8 && sscanf(val, "%4d%2d%2d", &y, &m, &d) == 3) {
            } else if (vn == 16 && sscanf(val, "%4d%2d%2dT%2d%2d%2d%c", &y, &m, &d, &hh, &mm, &ss, &z) == 7 && z == 'Z') {
                datetime l;
                if (!date_valid(y, m, d) || hh > 23 || mm > 59 || ss > 60)
                    return false;
                if (tz_utc_to_local(tz ? tz : "UTC", datetime_to_epoch_utc(y, m, d, hh, mm, ss), &l))
                    y = l.y, m = l.m, d = l.d;
            } else {
                return false;
            }
            if (y < 1 || y > 9999 || !date_valid(y, m, d))
                return false;
            r.has_until = true;
            r.uy = y, r.um = m, r.ud = d;
        } else {
            return false; /* COUNT, BYMONTH, WKST, ...: not a rule eventcal writes */
        }
        p = end ? end + 1 : NULL;
    }
    if (r.freq == EV_ONCE || by_day == (r.freq == EV_DAILY) || (r.freq == EV_MONTHLY) != (r.ords != 0) ||
        (r.freq == EV_MONTHLY && r.days != EV_DAY(ev_days_first(r.days))))
        return false;
    *out = r;
    return true;
}

/* ---- assembly ---- */

static bool cue_in_sentence(cue_set *cues, size_t sent, const char *type)
{
    size_t n;
    const cue *c = cues_in(cues, sent, &n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(c[i].type, type) == 0)
            return true;
    return false;
}

/* The sentences whose cues may end in text[from, to) (a cue lies within its sentence), into
   *s0 and *s1. */
static void cue_sentences(const article *a, size_t from, size_t to, size_t *s0, size_t *s1)
{
    *s0 = article_sentence_at(a, from);
    *s1 = article_sentence_at(a, to > from ? to - 1 : from);
}

/*
 * A date right after "since", "until", "for" and the like is a bound of a period, not the day
 * of an event: the cue rules of type "block" mark those words.
 */
static bool cue_right_before(const timex *t, cue_set *cues, const article *a, const char *type);

static bool blocked(const timex *t, cue_set *cues, const article *a)
{
    return cue_right_before(t, cues, a, "block");
}

/* True if a cue of this type ends right before the date, only whitespace between. */
static bool cue_right_before(const timex *t, cue_set *cues, const article *a, const char *type)
{
    /* a block cue counts when only whitespace stands between it and the date.  Cues come in
       text order without overlapping, so those ending in that whitespace are found by binary
       search: a long article costs log n per date, not a scan of every cue and the text
       between (which made it cubic) */
    const char *text = a->text;
    size_t ws = t->start;
    while (ws > 0 && ascii_isspace((unsigned char)text[ws - 1]))
        ws--;
    size_t s0, s1;
    cue_sentences(a, ws ? ws - 1 : 0, t->start, &s0, &s1);
    for (size_t s = s0; s <= s1; s++) {
        size_t n;
        const cue *c = cues_in(cues, s, &n);
        for (size_t i = lower_bound_by(c, n, sizeof *c, offsetof(cue, end), ws); i < n && c[i].end <= t->start; i++)
            if (strcmp(c[i].type, type) == 0 && c[i].start < t->start)
                return true;
    }
    return false;
}

/* True if a cue of this type ends right before the time or inside it: "Doors open at 7pm", and
   "Gates open at 11am and close at 4pm", one time whose rule holds the cue's "open at". */
static bool doors_time(const timex *t, cue_set *cues, const article *a)
{
    if (cue_right_before(t, cues, a, "doors"))
        return true;
    size_t n;
    const cue *c = cues_in(cues, t->sentence, &n);
    for (size_t i = 0; i < n && c[i].start < t->start; i++)
        if (c[i].end > t->start && strcmp(c[i].type, "doors") == 0)
            return true;
    return false;
}

/* "this weekend", "at the weekend": a week's Saturday and Sunday (y, m, d: its Monday). */
static bool weekend(const timex *t)
{
    return t->grain == G_WEEK && strcmp(t->pod, "WE") == 0;
}

static bool usable_date(const timex *t)
{
    return (t->type == TX_DATE || t->type == TX_TIME) && !t->duration_like && t->grain >= G_MONTH &&
           (t->grain != G_WEEK || weekend(t)) && t->value[0] && ascii_isdigit((unsigned char)t->value[0]);
}

/* The cue of sentence `sent` that says an event was moved to another day: a `postponed` cue
   ("has been postponed to", "put back to") or a `moved_from` one ("postponed from",
   "moved from" before a date); the first of them, or NULL. */
static const cue *postponement(cue_set *cues, size_t sent)
{
    size_t n;
    const cue *c = cues_in(cues, sent, &n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(c[i].type, "postponed") == 0 || strcmp(c[i].type, "moved_from") == 0)
            return &c[i];
    return NULL;
}

static bool possessive_after(const article *a, const timex *t);

/* Whether t is the day an event was moved from, by the postponement cue pc of its sentence: a
   date before the cue ("originally planned for Thursday, has been postponed"), right after a
   `moved_from` cue ("postponed from Thursday to 21 March"), or a weekday's possessive right
   after a cue that leads to no new day ("have postponed Sunday's protest": the event's own
   day).  A date after any other is the new day ("postponed to Monday"). */
static bool moved_from_day(const timex *t, const cue *pc, cue_set *cues, const article *a)
{
    if (t->start < pc->start || (strcmp(pc->type, "moved_from") == 0 && cue_right_before(t, cues, a, "moved_from")))
        return true;
    /* "has postponed its strike, originally set for Monday, until further notice": a plan or
       a past right before the date, after the cue, makes it the day planned; not one further
       off ("postponed because the singer was ill and will now take place on March 20") */
    size_t n;
    const cue *c = cues_in(cues, t->sentence, &n), *last = NULL;
    for (size_t i = 0; i < n && c[i].start < t->start; i++)
        if (c[i].start >= pc->end && c[i].end <= t->start)
            last = &c[i];
    if (last && (last->tense == TENSE_PAST || strcmp(last->type, "plan") == 0) && t->start - last->end <= 6) {
        for (size_t k = last->end; k < t->start; k++)
            if (!ascii_isalpha((unsigned char)a->text[k]) && a->text[k] != ' ')
                return false;
        return true;
    }
    return strcmp(pc->type, "postponed") == 0 && pc->arg_end == pc->arg_start && t->start >= pc->end &&
           t->start - pc->end <= 2 && possessive_after(a, t);
}

/* Whether t, a date borrowed from the sentence after one that puts an event back without a
   day ("The vigil has been postponed. It had been due to take place on Sunday."), is the day
   the event was planned for: told in the past tense before it, or as a plan in the past ("It
   was due to take place on Sunday", a `plan` cue), as a plan that no longer holds.  Told only
   in the future ("It will now take place on Sunday") it is the new day. */
static bool planned_day(const timex *t, cue_set *cues)
{
    size_t n;
    const cue *c = cues_in(cues, t->sentence, &n);
    for (size_t i = 0; i < n && c[i].start < t->start; i++)
        if (c[i].tense == TENSE_PAST || strcmp(c[i].type, "plan") == 0)
            return true;
    return false;
}

/* The longest evidence an event carries (bytes): its sentence, or this much of it around the
   trigger and the date. */
enum { EVIDENCE_MAX = 1200 };

static size_t dist(size_t a0, size_t a1, size_t b0, size_t b1)
{
    if (a1 <= b0)
        return b0 - a1;
    if (b1 <= a0)
        return a0 - b1;
    return 0;
}

/* Distance from a trigger to a detail of it: English puts the time and place of an event after
   its name ("the march starts at 2pm at the station"), so what comes before counts double. */
static size_t detail_dist(size_t t0, size_t t1, size_t d0, size_t d1)
{
    return d1 <= t0 ? 2 * (t0 - d1) : dist(t0, t1, d0, d1);
}

static char *capitalise(const char *s)
{
    char *c = xstrdup(s);
    if (c[0] >= 'a' && c[0] <= 'z')
        c[0] = (char)(c[0] - 32);
    return c;
}

/* Kinds of event that are one thing when an article names them on one day: a "march" and a
   "rally" that day are the same gathering (vocabulary `event_family`). */
static bool same_family(const rules *r, const char *a, const char *b)
{
    if (strcmp(a, b) == 0)
        return true;
    const char *fa = rules_vocab_lookup(r, "event_family", a, strlen(a));
    const char *fb = rules_vocab_lookup(r, "event_family", b, strlen(b));
    return fa && fb && strcmp(fa, fb) == 0;
}

static void add_reason(event *e, const char *what, const rule *ru, const article *a, size_t s, size_t en)
{
    event_reserve_reasons(e, 1);
    ev_reason *r = &e->reasons[e->nreasons++];
    r->rule = xasprintf("%s (%s:%d)", rule_name(ru), rule_file(ru), rule_line(ru));
    r->what = xstrdup(what);
    r->text = xstrndup(a->text + s, en - s);
    r->start = s;
    r->end = en;
    r->source_id = xstrdup(a->id);
}

static const char *sentence_org(cue_set *cues, size_t sent, const article *a, arena *ar)
{
    size_t n;
    const cue *c = cues_in(cues, sent, &n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(c[i].type, "organiser") == 0 && c[i].arg_end > c[i].arg_start)
            return arena_strndup(ar, a->text + c[i].arg_start, c[i].arg_end - c[i].arg_start);
    return NULL;
}

void event_set_title(event *e)
{
    strbuf sb;
    sb_init(&sb);
    char *t = capitalise(e->name ? e->name : e->type);
    sb_adds(&sb, t);
    free(t);
    if (e->loc_name) {
        sb_adds(&sb, ", ");
        sb_adds(&sb, e->loc_name);
    }
    if (e->loc_locality && (!e->loc_name || !ascii_strcasestr(e->loc_name, e->loc_locality))) {
        sb_adds(&sb, ", ");
        sb_adds(&sb, e->loc_locality);
    }
    free(e->title);
    e->title = sb_steal(&sb);
}

/*
 * The organisation an article keeps naming: the most frequent pair of capitalised words (not
 * starting with a town, month, day or common word), named at least three times ("Royal Mail",
 * "Network Rail").  Returns a string in the arena, or NULL.
 */
static const char *most_named_organisation(const rules *r, const article *a, arena *ar)
{
    enum { MAXC = 64 };
    struct {
        const char *s;
        size_t n;
        int count;
    } cand[MAXC];
    int nc = 0;
    const char *t = a->text;
    size_t run_from = 1, run_to = 0, w1 = 0, end = 0;
    for (size_t i = 0; i < a->len; i++) {
        if (!(t[i] >= 'A' && t[i] <= 'Z') || (i > 0 && ascii_isalnum((unsigned char)t[i - 1])))
            continue;
        /* a capital after a hyphen starts a name too ("Anglo-American Railways" and "American
           Railways"); every one in a chain of hyphenated words ends where the chain does, so
           the chain and the word after it are measured once, not once per capital in it */
        if (i >= run_from && i < run_to) {
            w1 = run_to;
        } else {
            w1 = i;
            while (w1 < a->len && (ascii_isalpha((unsigned char)t[w1]) || t[w1] == '-'))
                w1++;
            run_from = i;
            run_to = w1;
            end = 0;
        }
        if (w1 + 1 >= a->len || t[w1] != ' ' || !(t[w1 + 1] >= 'A' && t[w1 + 1] <= 'Z'))
            continue;
        if (!end) {
            end = w1 + 1;
            while (end < a->len && (ascii_isalpha((unsigned char)t[end]) || t[end] == '-'))
                end++;
        }
        static const char *const not_first[] = {"locality", "month", "weekday", "not_place", NULL};
        bool skip = false;
        for (int v = 0; not_first[v] && !skip; v++)
            skip = rules_vocab_lookup(r, not_first[v], t + i, w1 - i) != NULL;
        if (skip)
            continue;
        int k = 0;
        while (k < nc && !(cand[k].n == end - i && memcmp(cand[k].s, t + i, end - i) == 0))
            k++;
        if (k == nc) {
            if (nc == MAXC)
                continue;
            cand[nc].s = t + i;
            cand[nc].n = end - i;
            cand[nc].count = 0;
            nc++;
        }
        cand[k].count++;
    }
    int best = -1;
    for (int k = 0; k < nc; k++)
        if (cand[k].count >= 3 && (best < 0 || cand[k].count > cand[best].count))
            best = k;
    return best < 0 ? NULL : arena_strndup(ar, cand[best].s, cand[best].n);
}

/*
 * The workplace an article names most often as "the <workplace>" (vocabulary workplace:
 * "the hospital", "the depot"), named at least twice.  Returns the words as written, in the
 * arena, or NULL.
 */
static const char *most_named_workplace(const rules *r, const article *a, arena *ar)
{
    enum { MAXW = 16 };
    const char *seen[MAXW];
    int count[MAXW], ns = 0;
    const char *t = a->text;
    for (size_t i = 0; i + 4 < a->len; i++) {
        if (!ascii_strncaseeq(t + i, "the ", 4) || (i > 0 && ascii_isalnum((unsigned char)t[i - 1])))
            continue;
        /* one or two words after "the" */
        size_t w = i + 4, e1 = w;
        while (e1 < a->len && ascii_isalpha((unsigned char)t[e1]))
            e1++;
        size_t e2 = e1;
        if (e2 < a->len && t[e2] == ' ') {
            e2++;
            while (e2 < a->len && ascii_isalpha((unsigned char)t[e2]))
                e2++;
        }
        const char *v = e2 > e1 + 1 ? rules_vocab_lookup(r, "workplace", t + w, e2 - w) : NULL;
        size_t len = e2 - w;
        if (!v) {
            v = rules_vocab_lookup(r, "workplace", t + w, e1 - w);
            len = e1 - w;
        }
        if (!v || (t[w] >= 'A' && t[w] <= 'Z'))
            continue; /* "the Hospital" in a name is a named place, which the rules find */
        const char *key = arena_strndup(ar, t + w, len);
        int k = 0;
        while (k < ns && !ascii_strcaseeq(seen[k], key))
            k++;
        if (k == ns) {
            if (ns == MAXW)
                continue;
            seen[ns] = key;
            count[ns++] = 0;
        }
        count[k]++;
    }
    int best = -1;
    for (int k = 0; k < ns; k++)
        if (count[k] >= 2 && (best < 0 || count[k] > count[best]))
            best = k;
    return best < 0 ? NULL : seen[best];
}

/* Bare day numbers a list may add to one trigger ("the 3rd, 9th ... and 30th"). */
enum { MAX_LIST_DAYS = 62 };

/* Everything one article offers to the event assembly. */
typedef struct scene {
    const rules *r;
    const article *a;
    const tx_ref *ref;
    const timex *tx;
    size_t ntx;
    cue_set *cues;
    ev_places *places; /* found on first need: need_places() */
    const event_opts *opts;
    arena *ar;
    const rule_match *trig;
    size_t ntrig;
    const size_t *trig_sent; /* each trigger's sentence, ascending (triggers are in text order) */
    size_t first_new;        /* the first of this article's events in *out */
    bool capped;             /* it has EVENTS_MAX_MENTIONS of them: no more are made */
    /* the dates with a time that time_for() may lend to an event on their day, by day and
       then in text order (timed_index()) */
    const timex **timed;
    size_t ntimed;
    /* per date, the clause about a person it is in (person_clause_elsewhere()): [who, end),
       who = SIZE_MAX for none; found once per date, not once per trigger and date */
    size_t *clause_who, *clause_end;
    bool title_read;        /* title_date() has looked */
    const timex *title_day; /* the day the article's title names, or NULL */
    bool title_weekday;     /* ... by a weekday alone, the nearest one to the reference */
    /* the days of the trigger being read that a list pairs with places of their own ("at the
       library on 12 March and at the community centre on 14 March"): make_event() puts the
       event of pair_date[i] at pair_place[i] */
    const timex **pair_date;
    const place **pair_place;
    size_t npairs;
} scene;

/* add_reason() for what only --explain reads (event_opts.reasons); an event's trigger, which
   assembling reads too, is recorded with add_reason() whatever the run */
static void reason(const scene *sc, event *e, const char *what, const rule *ru, size_t s, size_t en)
{
    if (sc->opts->reasons)
        add_reason(e, what, ru, sc->a, s, en);
}

/*
 * The first date of sentence `sent` or a later one, and the same for places: both arrays are in
 * text order, so a sentence's items sit together and are found by binary search.  Loops over one
 * sentence's dates start here instead of at the article's first, which kept long articles
 * quadratic (every trigger and event walked every date).
 */
static size_t tx_from(const timex *tx, size_t ntx, size_t sent)
{
    return lower_bound_by(tx, ntx, sizeof *tx, offsetof(timex, sentence), sent);
}

static size_t pl_from(const place *pl, size_t npl, size_t sent)
{
    return lower_bound_by(pl, npl, sizeof *pl, offsetof(place, sentence), sent);
}

/* Whether sentence `sent` has a temporal expression. */
static bool sentence_dated(const timex *tx, size_t ntx, size_t sent)
{
    size_t i = tx_from(tx, ntx, sent);
    return i < ntx && tx[i].sentence == sent;
}

/*
 * "on the same day Yorkshire Ambulance Service faces a strike vote": a day that points back
 * ("that day", "the same day") but is followed by the clause that says which day it is.  Such
 * a day is not the one the article last named, and is unknown.
 */
static bool day_of_clause(const scene *sc, const timex *t)
{
    const char *point = t->rule ? rule_set_value(t->rule, "point") : NULL;
    const char *rel = t->rule ? rule_set_value(t->rule, "rel") : NULL;
    if (!point || strcmp(point, "last") != 0 || !rel || strcmp(rel, "0") != 0 || t->grain < G_DAY)
        return false;
    const char *text = sc->a->text;
    size_t k = t->end;
    while (k < sc->a->len && text[k] == ' ')
        k++;
    if (k == t->end || k >= sc->a->len)
        return false;
    size_t w = k;
    while (w < sc->a->len && ascii_isalpha((unsigned char)text[w]))
        w++;
    if (w < sc->a->len && text[w] == ' ' && rules_vocab_lookup(sc->r, "clause_link", text + k, w - k))
        return true; /* "that", "when", ... (vocab/clause_link.vocab) */
    return text[k] >= 'A' && text[k] <= 'Z';
}

/* A date that names its day (or month) itself, rather than a bare time's borrowed day. */
static bool own_date(const scene *sc, const timex *t)
{
    /* "until the strike ends on October 21" is when it ends, not another strike */
    return usable_date(t) && !t->date_from_context && !blocked(t, sc->cues, sc->a) &&
           !cue_right_before(t, sc->cues, sc->a, "end_date") && !day_of_clause(sc, t);
}

/* Whether the date t follows "the" or begins with it: the date rules may take the article into
   a date they read ("the May 14"); "the same day", "the next week" point elsewhere and are no
   attributes. */
static bool after_the(const char *text, const timex *t)
{
    if (!t->relative && t->end - t->start > 4 && ascii_strncaseeq(text + t->start, "the ", 4))
        return true;
    return t->start >= 4 && ascii_strncaseeq(text + t->start - 4, "the ", 4);
}

/*
 * "the May Day festival", "the Easter egg hunt": a holiday at most NAMED_GAP bytes of words
 * before the trigger is part of the event's name; the caller prefers a day the sentence gives
 * the event otherwise ("will be held on Saturday, March 30").
 */
enum { NAMED_GAP = 32 };

static bool attributive_elsewhere(const scene *sc, const timex *t, const rule_match *m)
{
    const char *text = sc->a->text;
    /* "the Christmas market", "the May Day rally": a date the trigger holds names the event */
    if (t->start >= m->start && t->end <= m->end)
        return true;
    /* "killed in Saturday's shooting": a day with 's is the day of the noun after it */
    if (possessive_after(sc->a, t))
        return !(m->start >= t->end && m->start - t->end <= 24);
    if (!after_the(text, t))
        return false;
    if (m->start >= t->end && m->start - t->end <= 40)
        return false; /* "the May 14 march" */
    size_t k = t->end;
    while (k < sc->a->len && text[k] == ' ')
        k++;
    /* followed by a word, not by punctuation: an attribute; a day not by a word that ends a
       phrase ("the first Monday in April in Leeds": vocab/purpose_stop.vocab; not "the last
       minute before", which is no time) */
    size_t w = k;
    while (w < sc->a->len && ascii_isalpha((unsigned char)text[w]))
        w++;
    if (t->grain == G_DAY && w > k && rules_vocab_lookup(sc->r, "purpose_stop", text + k, w - k))
        return false;
    return k < sc->a->len && (ascii_isalpha((unsigned char)text[k]) || (unsigned char)text[k] >= 0xC0);
}

/* Whether t is an attribute of trigger m's noun: "the Nov. 5 general election", the date
   after "the" and the trigger at most three words on, letters and spaces only between. */
static bool attributive_to(const article *a, const timex *t, const rule_match *m)
{
    const char *text = a->text;
    if (t->relative || t->grain < G_DAY || m->start < t->end || m->start - t->end > 32 || !after_the(text, t))
        return false;
    int spaces = 0;
    for (size_t k = t->end; k < m->start; k++) {
        if (text[k] == ' ')
            spaces++;
        else if (!ascii_isalpha((unsigned char)text[k]) && text[k] != '-')
            return false;
    }
    return spaces >= 1 && spaces <= 4;
}

/* Whether t is a named day of vocab/holiday that is an attribute of trigger m's noun, a word
   of its name ("the May Day festival", "a St Patrick's Day march"). */
static bool named_day_of(const scene *sc, const timex *t, const rule_match *m)
{
    const char *text = sc->a->text;
    size_t s = t->start;
    if (t->end - s > 4 && ascii_strncaseeq(text + s, "the ", 4))
        s += 4;
    if (t->end > m->start || m->start - t->end > NAMED_GAP || !rules_vocab_lookup(sc->r, "holiday", text + s, t->end - s))
        return false;
    /* "the Easter egg hunt and family fun day", "the Easter Rising commemoration": words of
       the name between, nothing else; not an article or a verb ("On St Patrick's Day the
       parade will start", "On Easter Monday residents will march") */
    for (size_t k = t->end; k < m->start;) {
        if (text[k] == ' ' || text[k] == '-') {
            k++;
            continue;
        }
        size_t e = k;
        while (e < m->start && ascii_isalpha((unsigned char)text[e]))
            e++;
        if (e == k || rules_vocab_lookup(sc->r, "article", text + k, e - k) ||
            rules_vocab_lookup(sc->r, "tense", text + k, e - k) || rules_vocab_lookup(sc->r, "present_aux", text + k, e - k))
            return false;
        k = e;
    }
    return true;
}

/* The holiday in trigger m's name (in t's sentence) whose day the weekday t ("on Sunday",
   "Sunday at noon") names again, when it falls on that weekday within NAMED_WEEKS weeks of
   it: "The St Patrick's Day parade will take place on Sunday", said on 1 March 2024, is on
   Sunday 17 March, not on the coming Sunday.  NULL otherwise. */
enum { NAMED_WEEKS = 4, HOLIDAY_NAME_MAX = 64 };
static const timex *weekday_of_named(const scene *sc, const timex *t, const rule_match *m)
{
    /* a weekday alone, or with its time ("Sunday at 12 noon") */
    size_t ws, we;
    ascii_word_after(sc->a->text, t->start, t->end, &ws, &we);
    if (!t->relative || t->grain < G_DAY || !rules_vocab_lookup(sc->r, "weekday", sc->a->text + ws, we - ws))
        return NULL;
    /* only the few dates just before the trigger can be in its name (named_day_of(): at most
       NAMED_GAP bytes before it): a list of thousands of weekdays reads them, not the list */
    size_t i = lower_bound_by(sc->tx, sc->ntx, sizeof *sc->tx, offsetof(timex, start), m->start);
    while (i-- > 0 && sc->tx[i].start + NAMED_GAP + HOLIDAY_NAME_MAX >= m->start) {
        const timex *h = &sc->tx[i];
        if (h == t || h->sentence != t->sentence || h->grain < G_DAY || h->relative || !named_day_of(sc, h, m))
            continue;
        int64_t gap = date_to_days(h->y, h->m, h->d) - date_to_days(t->y, t->m, t->d);
        if (gap < 0)
            gap = -gap;
        if (gap <= 7 * NAMED_WEEKS && date_weekday(h->y, h->m, h->d) == date_weekday(t->y, t->m, t->d))
            return h;
    }
    return NULL;
}

/* Whether t is a holiday of vocab/season_holiday ("Christmas", "the Easter"). */
static bool season_named(const scene *sc, const timex *t)
{
    const char *text = sc->a->text;
    size_t s = t->start;
    if (t->end - s > 4 && ascii_strncaseeq(text + s, "the ", 4))
        s += 4;
    return rules_vocab_lookup(sc->r, "season_holiday", text + s, t->end - s) != NULL;
}

/* Whether t is such a season before a noun ("the Christmas parade", "Easter egg hunt"). */
static bool season_attribute(const scene *sc, const timex *t)
{
    const char *text = sc->a->text;
    size_t k = t->end;
    while (k < sc->a->len && text[k] == ' ')
        k++;
    if (k == t->end || k >= sc->a->len || !ascii_isalpha((unsigned char)text[k]) || !season_named(sc, t))
        return false;
    /* after "the", a determiner or a possessive ("the Christmas parade", "Leeds's Christmas
       market"), not "will strike over Christmas for the first time" */
    if (t->end - t->start > 4 && ascii_strncaseeq(text + t->start, "the ", 4))
        return true;
    size_t we = t->start;
    while (we > 0 && text[we - 1] == ' ')
        we--;
    size_t ws = we;
    while (ws > 0 && (ascii_isalpha((unsigned char)text[ws - 1]) || text[ws - 1] == '\''))
        ws--;
    return ws < we && (rules_vocab_lookup(sc->r, "determiner", text + ws, we - ws) ||
                       (we - ws > 2 && text[we - 2] == '\'' && text[we - 1] == 's'));
}

static bool clause_stop(unsigned char c)
{
    return c == ',' || c == ';' || c == '(' || c == ')' || c == '"' || c == ':';
}

/*
 * "Huge turnout expected for Saturday protest" over a text that says only "it will start at
 * noon": the day the title names, which a reader carries into the text as they would a day
 * the text named before; NULL when it names none.  Read once, when an event first needs it
 * (the scanner is then indexed for the title, and again for the text at its next scan).
 */
static const timex *title_date(scene *sc)
{
    if (sc->title_read)
        return sc->title_day;
    sc->title_read = true;
    const char *title = sc->a->title;
    if (!title || !*title || !sc->places || !sc->places->scan)
        return NULL;
    article ta;
    ec_error err;
    ec_error_clear(&err);
    if (!article_from_text(title, strlen(title), "title", &ta, &err))
        return NULL;
    article_split(&ta, sc->r);
    cue_set *cues = cues_new(sc->r, sc->places->scan, &ta, 0, sc->ar);
    timex_opts to = {.holidays = sc->opts->holidays};
    size_t n = 0;
    timex *tx = timex_find(sc->r, sc->places->scan, &ta, cues, sc->ref, &to, sc->ar, &n);
    for (size_t i = 0; i < n && !sc->title_day; i++) {
        const timex *t = &tx[i];
        if (t->type == TX_DATE && t->grain == G_DAY && !t->date_from_context && !t->duration_like &&
            t->value[0] && ascii_isdigit((unsigned char)t->value[0]))
        {
            sc->title_day = t; /* its day only: its offsets are the title's */
            sc->title_weekday = rules_vocab_lookup(sc->r, "weekday", ta.text + t->start, t->end - t->start) != NULL;
        }
    }
    article_finish(&ta);
    return sc->title_day;
}

static void person_clause(const scene *sc, const timex *t, size_t *who_out, size_t *end_out);

/*
 * "a vigil for the man who died on Sunday", "friends of a teenager who died on Friday will
 * hold a vigil": a date in a clause about a person is what that person did or went through,
 * not the event's day, unless the trigger is in that clause too ("students who will march on
 * Saturday", "Livingstone, who was not at Wednesday's hearing, ...").  The clause runs from
 * "who" or "whose" (vocab/person_clause.vocab; with no comma, semicolon, bracket or quotation
 * mark before the date) to
 * the next of those or to the main clause's verb (vocab/clause_verb.vocab: "will", "has", ...).
 */
static bool person_clause_elsewhere(scene *sc, const timex *t, const rule_match *m)
{
    size_t i = (size_t)(t - sc->tx);
    if (!sc->clause_who) {
        sc->clause_who = arena_alloc(sc->ar, (sc->ntx + 1) * sizeof *sc->clause_who);
        sc->clause_end = arena_alloc(sc->ar, (sc->ntx + 1) * sizeof *sc->clause_end);
        for (size_t k = 0; k < sc->ntx; k++)
            sc->clause_end[k] = SIZE_MAX; /* not looked at yet */
    }
    if (sc->clause_end[i] == SIZE_MAX)
        person_clause(sc, t, &sc->clause_who[i], &sc->clause_end[i]);
    size_t who = sc->clause_who[i], end = sc->clause_end[i];
    return who != SIZE_MAX && !(m->start >= who && m->start < end);
}

/* The clause about a person date t is in: [*who_out, *end_out), *who_out = SIZE_MAX (and
   *end_out 0) for none. */
static void person_clause(const scene *sc, const timex *t, size_t *who_out, size_t *end_out)
{
    *who_out = SIZE_MAX;
    *end_out = 0;
    if (t->sentence >= sc->a->nsentences)
        return;
    const char *text = sc->a->text;
    const sentence *st = &sc->a->sentences[t->sentence];
    size_t s0 = st->start, who = SIZE_MAX;
    size_t lo = t->start > s0 + 80 ? t->start - 80 : s0;
    for (size_t k = t->start; k > lo && who == SIZE_MAX; k--) {
        if (clause_stop((unsigned char)text[k - 1]))
            return;
        size_t w = k - 1; /* a word starting at w? */
        if ((w > s0 && ascii_isalpha((unsigned char)text[w - 1])) || text[w] < 'a' || text[w] > 'z')
            continue; /* lower case: not "the World Health Organization (WHO)" */
        size_t we = w;
        while (we < t->start && ascii_isalpha((unsigned char)text[we]))
            we++;
        if (we < t->start && rules_vocab_lookup(sc->r, "person_clause", text + w, we - w))
            who = w;
    }
    if (who == SIZE_MAX)
        return;
    /* read at most 200 bytes on: a date in a "sentence" of megabytes without a comma must not
       cost its length, once per trigger */
    size_t end = t->end, stop = st->end - t->end > 200 ? t->end + 200 : st->end;
    while (end < stop && !clause_stop((unsigned char)text[end])) {
        if (ascii_isalpha((unsigned char)text[end]) && !ascii_isalpha((unsigned char)text[end - 1])) {
            size_t we = end;
            while (we < stop && ascii_isalpha((unsigned char)text[we]))
                we++;
            if (rules_vocab_lookup(sc->r, "clause_verb", text + end, we - end))
                break;
            end = we;
            continue;
        }
        end++;
    }
    *who_out = who;
    *end_out = end;
}

/* A time right after "finishing at", "until", "ends at": the end of an event, not its start. */
static bool end_time(const scene *sc, const timex *t)
{
    /* only cues ending in the 80 bytes before the time can count; they are found by binary
       search, cues being in text order and not overlapping */
    size_t from = t->start > 80 ? t->start - 80 : 0, s0, s1, n = 0, i = 0;
    cue_sentences(sc->a, from ? from - 1 : 0, t->start, &s0, &s1);
    const cue *cs = cues_in(sc->cues, s0, &n);
    for (i = lower_bound_by(cs, n, sizeof *cs, offsetof(cue, end), from);; i++) {
        while (i >= n && s0 < s1) {
            cs = cues_in(sc->cues, ++s0, &n);
            i = 0;
        }
        if (i >= n || cs[i].start > t->start)
            break;
        const cue *c = &cs[i];
        /* "finish at about 1pm": a few bytes of approximation may stand between */
        if (strcmp(c->type, "end") == 0 && c->end <= t->start && t->start - c->end <= 16) {
            bool plain = true;
            for (size_t k = c->end; k < t->start; k++)
                if (!ascii_isspace((unsigned char)sc->a->text[k]) && !ascii_isalpha((unsigned char)sc->a->text[k]))
                    plain = false;
            if (plain)
                return true;
        }
        /* "before finishing at the Central Bank plaza at approximately 4.45 p.m.": an ending
           verb earlier in the same clause */
        if (strcmp(c->type, "end_clause") == 0 && c->end <= t->start && t->start - c->end <= 80) {
            bool same_clause = true;
            for (size_t k = c->end; k < t->start; k++)
                if (sc->a->text[k] == ',' || sc->a->text[k] == ';' || sc->a->text[k] == '(')
                    same_clause = false;
            if (same_clause)
                return true;
        }
    }
    return false;
}

static size_t trig_from(const scene *sc, size_t sent);

/* Whether t heads a paragraph of a programme, a colon or a dash after it: "Saturday: A
   farmers' market ...", "Sunday - Family fun run". */
static bool weekday_heading(const article *a, const timex *t)
{
    const sentence *s = &a->sentences[t->sentence];
    if (t->start > s->start + 2 || (t->sentence > 0 && a->sentences[t->sentence - 1].paragraph == s->paragraph))
        return false;
    size_t k = t->end;
    while (k < a->len && a->text[k] == ' ')
        k++;
    const unsigned char *c = (const unsigned char *)a->text + k;
    return k < a->len && (*c == ':' || *c == '-' ||
                          (k + 2 < a->len && c[0] == 0xe2 && c[1] == 0x80 && (c[2] == 0x93 || c[2] == 0x94)));
}

/* Whether t is a named day in an event's name ("the Adelaide Christmas Pageant") whose
   sentence gives the event another day ("... will roll through the city this Saturday"). */
static bool named_in_dated(const scene *sc, const timex *t)
{
    bool named = false;
    for (size_t k = trig_from(sc, t->sentence); k < sc->ntrig && sc->trig_sent[k] == t->sentence && !named; k++)
        named = sc->trig[k].start >= t->end && named_day_of(sc, t, &sc->trig[k]);
    if (!named)
        return false;
    for (size_t i = tx_from(sc->tx, sc->ntx, t->sentence); i < sc->ntx && sc->tx[i].sentence == t->sentence; i++)
        if (&sc->tx[i] != t && sc->tx[i].grain >= G_DAY && own_date(sc, &sc->tx[i]))
            return true;
    return false;
}

/*
 * The day a bare time in an announcement refers to: the last date the article named before it
 * ("... on Saturday. The march starts at 2pm"), as a reader carries it along.
 */
static const timex *discourse_date_told(const scene *sc, size_t before, tense told)
{
    /* the last date written out ("January 29, 2024") beats the last relative one ("Thursday",
       often an opening-hours aside); one that the tense rules out is passed over: "walked out
       of the meeting shortly before 10pm" is not on the day a rise "will take effect" */
    int64_t rday = date_to_days(sc->ref->y, sc->ref->m, sc->ref->d);
    const timex *best = NULL, *best_rel = NULL;
    for (size_t i = 0; i < sc->ntx && sc->tx[i].start < before; i++) {
        if (!own_date(sc, &sc->tx[i]) || sc->tx[i].grain < G_DAY || season_attribute(sc, &sc->tx[i]) ||
            named_in_dated(sc, &sc->tx[i]))
            continue;
        int64_t day = date_to_days(sc->tx[i].y, sc->tx[i].m, sc->tx[i].d);
        if (sc->ref->known && ((told == TENSE_PAST && day > rday) || (told == TENSE_FUTURE && day < rday)))
            continue;
        if (sc->tx[i].relative)
            best_rel = &sc->tx[i];
        else
            best = &sc->tx[i];
    }
    /* "from Friday 9 August to Sunday 11 August ... Saturday: ... The headline concert is at
       8.30pm": a weekday written after a span of days, one of its days, is the day meant */
    if (best && best_rel && best_rel->start > best->start && best->has_end_date && weekday_heading(sc->a, best_rel)) {
        int64_t d = date_to_days(best_rel->y, best_rel->m, best_rel->d);
        if (d >= date_to_days(best->y, best->m, best->d) && d <= date_to_days(best->ey, best->em_, best->ed))
            return best_rel;
    }
    return best ? best : best_rel;
}

static const timex *discourse_date(const scene *sc, size_t before)
{
    return discourse_date_told(sc, before, TENSE_NONE);
}

static size_t trigger_sentence(const scene *sc, size_t i)
{
    return sc->trig_sent[i];
}

/* The first trigger in sentence `sent` or a later one (a binary search: loops over one
   sentence's triggers start here, not at the article's first). */
static size_t trig_from(const scene *sc, size_t sent)
{
    size_t lo = 0, hi = sc->ntrig;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sc->trig_sent[mid] < sent)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Whether sentence `sent` holds a trigger. */
static bool sentence_has_trigger(const scene *sc, size_t sent)
{
    size_t i = trig_from(sc, sent);
    return i < sc->ntrig && sc->trig_sent[i] == sent;
}

/* Whether text[d1..t0), between a detail and the trigger after it, is a joining word and an
   indefinite article of vocab/coordinator (", and a", "followed by an"): the trigger opens a
   second event of the sentence, and the detail before is the first one's ("and the march"
   names the first again).  A joining word with a value needs that word next ("followed by"). */
static bool coordinated(const rules *r, const char *text, size_t d1, size_t t0)
{
    if (t0 < d1 || t0 - d1 > 24)
        return false;
    int joins = 0, articles = 0;
    const char *needs_next = NULL; /* the word a joining word asks for next */
    for (size_t k = d1; k < t0;) {
        unsigned char c = (unsigned char)text[k];
        if (c == ' ' || c == ',') {
            k++;
            continue;
        }
        size_t e = k;
        while (e < t0 && ascii_isalpha((unsigned char)text[e]))
            e++;
        if (e == k)
            return false;
        const char *v = rules_vocab_lookup(r, "coordinator", text + k, e - k);
        if (needs_next) {
            if (strlen(needs_next) != e - k || !ascii_strncaseeq(text + k, needs_next, e - k))
                return false;
            needs_next = NULL;
        } else if (v && strcmp(v, "indefinite") == 0) {
            if (!joins || articles)
                return false;
            articles++; /* "and a march": another; "and the march" is the one before */
        } else if (v && !articles && !joins) {
            joins++;
            /* a word without a value looks itself up */
            if (*v && !(strlen(v) == e - k && ascii_strncaseeq(v, text + k, e - k)))
                needs_next = v;
        } else {
            return false;
        }
        k = e;
    }
    return joins && articles && !needs_next;
}

/* The trigger nearest to a span within the sentence, by index. */

static size_t nearest_trigger(const scene *sc, size_t sent, size_t s0, size_t s1)
{
    /* Triggers do not overlap and are in text order (events_triggers), so the distance falls
       towards the span and rises past it: the nearest is the last one ending at or before it,
       the first one overlapping it, or the first one starting after it (ties to the earliest,
       as in a walk).  A sentence listing a thousand events would otherwise cost a walk per
       date. */
    size_t lo = trig_from(sc, sent), hi = trig_from(sc, sent + 1);
    size_t after = lo + lower_bound_by(sc->trig + lo, hi - lo, sizeof *sc->trig, offsetof(rule_match, start), s1);
    size_t past_s0 =
        lo + lower_bound_by(sc->trig + lo, after - lo, sizeof *sc->trig, offsetof(rule_match, end), s0 + 1);
    size_t cand[3] = {past_s0 > lo ? past_s0 - 1 : (size_t)-1, past_s0 < after ? past_s0 : (size_t)-1,
                      after < hi ? after : (size_t)-1};
    size_t best = (size_t)-1, bd = (size_t)-1;
    for (int k = 0; k < 3; k++) {
        if (cand[k] == (size_t)-1)
            continue;
        size_t dd = detail_dist(sc->trig[cand[k]].start, sc->trig[cand[k]].end, s0, s1);
        if (s1 <= sc->trig[cand[k]].start && coordinated(sc->r, sc->a->text, s1, sc->trig[cand[k]].start))
            dd = 4 * dd + 64; /* "on Friday at 6pm and a march": the vigil's before it */
        if (dd < bd) {
            bd = dd;
            best = cand[k];
        }
    }
    return best;
}

/* True when only list punctuation separates two spans: "October 1, 13, 20 and 25". */
static bool list_joined(const char *text, size_t from, size_t to)
{
    if (to < from || to - from > 16)
        return false;
    for (size_t k = from; k < to; k++) {
        char c = text[k];
        if (!(ascii_isspace((unsigned char)c) || c == ',' || c == '&' || c == ';' || c == '(' || c == ')' || c == '-'))
            if (!(k + 3 <= to && strncmp(text + k, "and", 3) == 0 && (k += 2, true)))
                if (!(k + 2 <= to && strncmp(text + k, "or", 2) == 0 && (k += 1, true)))
                    return false;
    }
    return true;
}

/* A bare time written right after day `last`, a list's last, with only commas and words of
   vocab/list_time_lead between ("19 at 6 p.m.", "March 7, both at 6 p.m."); or NULL. */
/* Whether text[from, to) holds only spaces, commas and words of vocabulary `vocab`. */
static bool only_words_of(const scene *sc, size_t from, size_t to, const char *vocab)
{
    const char *t = sc->a->text;
    for (size_t k = from; k < to;) {
        if (t[k] == ' ' || t[k] == ',') {
            k++;
            continue;
        }
        size_t we = k;
        while (we < to && ascii_isalpha((unsigned char)t[we]))
            we++;
        if (we == k || !rules_vocab_lookup(sc->r, vocab, t + k, we - k))
            return false;
        k = we;
    }
    return true;
}

static const timex *time_after_list(const scene *sc, const timex *last)
{
    enum { GAP_MAX = 24 };
    for (size_t j = tx_from(sc->tx, sc->ntx, last->sentence); j < sc->ntx && sc->tx[j].sentence == last->sentence; j++) {
        const timex *h = &sc->tx[j];
        if (h->start < last->end || h->start - last->end > GAP_MAX)
            continue;
        if (h->type != TX_TIME || !h->has_time || !h->date_from_context)
            return NULL;
        return only_words_of(sc, last->end, h->start, "list_time_lead") ? h : NULL;
    }
    return NULL;
}

/* A bare time written right before day `first`, a list's first, with only commas and words of
   vocab/list_day_lead between ("at 7pm on Monday 11 March and Wednesday 13 March"); or NULL. */
static const timex *time_before_list(const scene *sc, const timex *first)
{
    enum { GAP_MAX = 16 };
    const timex *h = NULL;
    for (size_t j = tx_from(sc->tx, sc->ntx, first->sentence);
         j < sc->ntx && sc->tx[j].sentence == first->sentence && sc->tx[j].start < first->start; j++)
        if (sc->tx[j].end <= first->start)
            h = &sc->tx[j]; /* the last one before it */
    if (!h || first->start - h->end > GAP_MAX || h->type != TX_TIME || !h->has_time || !h->date_from_context)
        return NULL;
    return only_words_of(sc, h->end, first->start, "list_day_lead") ? h : NULL;
}

/*
 * The hours of each of n days of a list written one after another ("Saturday and Sunday from
 * 10am to 4pm", "March 5, 12 and 19 at 6 p.m.", "on 5, 12 and 19 March at 7.30pm"): the time
 * of the last of them, its own or
 * written right after it (time_after_list()), when the others have none.  NULL otherwise.
 * A range of hours keeps the days apart (one event from Saturday 10am to Sunday 4pm would run
 * through the night).
 */
static const timex *list_hours(const scene *sc, const timex *const *days, size_t n)
{
    const article *a = sc->a;
    const timex *last = days[0], *first = days[0];
    for (size_t k = 1; k < n; k++) {
        if (days[k]->start > last->start)
            last = days[k];
        if (days[k]->start < first->start)
            first = days[k];
    }
    const timex *hours = last->has_time ? last : time_after_list(sc, last);
    if (!hours)
        hours = time_before_list(sc, first); /* "at 7pm on Monday 11 March and Wednesday 13 March" */
    if (!hours || (hours == last && last->date_from_context))
        return NULL;
    for (size_t k = 0; k < n; k++) {
        if (days[k] == last)
            continue;
        if (days[k]->has_time || days[k]->grain != G_DAY)
            return NULL;
        /* the day written next after it, which the list joins to it */
        const timex *next = NULL;
        for (size_t j = 0; j < n; j++)
            if (days[j]->start > days[k]->start && (!next || days[j]->start < next->start))
                next = days[j];
        if (!next || !list_joined(a->text, days[k]->end, next->start))
            return NULL;
    }
    return hours;
}

static const ev_places *need_places(const scene *sc);

/* Whether text[from, to) joins two items of a list: a comma, a semicolon or a word of
   vocab/list_join (", and"), then at most words of vocab/list_day_lead ("on"). */
static bool pair_joiner(const scene *sc, size_t from, size_t to)
{
    const char *t = sc->a->text;
    bool joined = false, lead = false;
    for (size_t k = from; k < to;) {
        if (t[k] == ' ' || ((t[k] == ',' || t[k] == ';') && !lead)) {
            joined = joined || t[k] == ',' || t[k] == ';';
            k++;
            continue;
        }
        size_t we = k;
        while (we < to && ascii_isalpha((unsigned char)t[we]))
            we++;
        if (we == k)
            return false;
        if (!lead && rules_vocab_lookup(sc->r, "list_join", t + k, we - k))
            joined = true;
        else if (joined && only_words_of(sc, k, we, "list_day_lead"))
            lead = true;
        else
            return false;
        k = we;
    }
    return joined;
}

/*
 * "in Bolton on Saturday and in Bury on Sunday", "at the library on 12 March, and at the
 * community centre on 14 March": text[from, to) between two days of sentence `sent` holds the
 * second day's own place and the words that join the pair (*pl, *after false); or "on
 * Saturday in Bolton and on Sunday in Bury": the first day's place after it, then the join
 * (*after true).  One place, nothing else.
 */
static bool paired_gap(const scene *sc, size_t sent, size_t from, size_t to, const place **pl, bool *after)
{
    if (to < from || to - from > 96)
        return false;
    const ev_places *pls = need_places(sc);
    const place *one = NULL;
    for (size_t i = pl_from(pls->pl, pls->n, sent); i < pls->n && pls->pl[i].sentence == sent; i++) {
        const place *p = &pls->pl[i];
        if (p->end <= from || p->start >= to)
            continue;
        if (p->start < from || p->end > to || one || (!p->name && !p->locality) || p->told_of || p->possessive)
            return false;
        one = p;
    }
    if (!one)
        return false;
    const char *t = sc->a->text;
    size_t k = from;
    while (k < one->start && (t[k] == ' ' || t[k] == ','))
        k++;
    if (k == one->start) { /* the place right after the first day: then the join */
        *after = true;
        *pl = one;
        return pair_joiner(sc, one->end, to);
    }
    /* the join, then the place and at most "on" before the second day */
    *after = false;
    *pl = one;
    return pair_joiner(sc, from, one->start) && only_words_of(sc, one->end, to, "list_day_lead");
}

/* The place that follows day d in its sentence with only spaces between, or NULL. */
static const place *place_right_after(const scene *sc, size_t sent, const timex *d)
{
    const ev_places *pls = need_places(sc);
    const char *t = sc->a->text;
    for (size_t i = pl_from(pls->pl, pls->n, sent); i < pls->n && pls->pl[i].sentence == sent; i++) {
        const place *p = &pls->pl[i];
        if (p->start < d->end)
            continue;
        for (size_t k = d->end; k < p->start; k++)
            if (t[k] != ' ' && t[k] != ',')
                return NULL;
        return (p->name || p->locality) && !p->told_of && !p->possessive ? p : NULL;
    }
    return NULL;
}

/*
 * The bare day numbers in a list gap ("November 3, 9, 15 and 24"): each becomes a date in the
 * month of the one before.  Returns false if the gap holds anything but list punctuation and
 * day numbers.  Dates are allocated in the arena; at most `room` are added.
 */
static bool list_days(const scene *sc, const timex *prev, size_t from, size_t to, const timex **out, size_t *n,
                      size_t room)
{
    const char *text = sc->a->text;
    size_t k = from;
    while (k < to) {
        if (ascii_isdigit((unsigned char)text[k])) {
            size_t e = k;
            int day = 0;
            while (e < to && ascii_isdigit((unsigned char)text[e]) && e - k < 3)
                day = day * 10 + (text[e++] - '0');
            if (e < to && ascii_isalnum((unsigned char)text[e]))
                return false; /* "24th", "3pm": not a bare day */
            /* "7.30 for 8pm", "10:00": a time; "10-4" after a day, hours (a range of days
               runs forwards) */
            if (e + 1 < sc->a->len && (text[e] == '.' || text[e] == ':') && ascii_isdigit((unsigned char)text[e + 1]))
                return false;
            if (e + 1 < sc->a->len && text[e] == '-' && ascii_isdigit((unsigned char)text[e + 1])) {
                int end = 0;
                for (size_t q = e + 1; q < sc->a->len && ascii_isdigit((unsigned char)text[q]) && q < e + 4; q++)
                    end = end * 10 + (text[q] - '0');
                if (end <= day)
                    return false;
            }
            if (day < 1 || !date_valid(prev->y, prev->m, day))
                return false;
            if (*n < room) {
                timex *t = arena_alloc(sc->ar, sizeof *t);
                *t = *prev;
                t->d = day;
                t->start = k;
                t->end = e;
                t->has_time = false;
                snprintf(t->value, sizeof t->value, "%04d-%02d-%02d", t->y, t->m, t->d);
                out[(*n)++] = t;
            }
            k = e;
            continue;
        }
        char c = text[k];
        if (ascii_isspace((unsigned char)c) || c == ',' || c == '&' || c == ';' || c == '(' || c == ')' || c == '-')
            k++;
        else if (k + 3 <= to && strncmp(text + k, "and", 3) == 0)
            k += 3;
        else if (k + 2 <= to && strncmp(text + k, "or", 2) == 0)
            k += 2;
        else if (k > from && k + 2 < to && strncmp(text + k, "on ", 3) == 0)
            k += 2; /* "on Tuesday and on Saturday" */
        else if (k > from && k + 4 < to && strncmp(text + k, "from ", 5) == 0)
            k += 4; /* "from 7 to 9 February and from 14 to 16 February" */
        else
            return false;
    }
    return true;
}

/*
 * Where a list of bare day numbers after a date ends: ", 21 and 28." stops before the full
 * stop, ", 9 and 15 after talks" before "after".
 */
static size_t list_tail(const char *text, size_t from, size_t to)
{
    size_t k = from, good = from;
    while (k < to) {
        char c = text[k];
        if (ascii_isdigit((unsigned char)c)) {
            while (k < to && ascii_isdigit((unsigned char)text[k]))
                k++;
            if (k < to && ascii_isalpha((unsigned char)text[k]))
                return good; /* "3pm", "24th": not a bare day */
            good = k;
        } else if (ascii_isspace((unsigned char)c) || c == ',' || c == '&' || c == ';' || c == '(' || c == ')') {
            k++;
        } else if (k + 3 <= to && strncmp(text + k, "and", 3) == 0) {
            k += 3;
        } else if (k + 2 <= to && strncmp(text + k, "or", 2) == 0) {
            k += 2;
        } else {
            break;
        }
    }
    return good;
}

/* Two places joined as a list: "in Bizana and in Durban", "in Leeds, Bradford and York". */
static bool list_joined_places(const char *text, size_t from, size_t to)
{
    if (to < from || to - from > 10)
        return false;
    for (size_t k = from; k < to; k++) {
        if (ascii_isspace((unsigned char)text[k]) || text[k] == ',')
            continue;
        if (k + 3 <= to && strncmp(text + k, "and", 3) == 0) {
            k += 2;
            continue;
        }
        return false;
    }
    return true;
}

/* One number per day (month and day are below 100), ordered as the days are. */
static long day_key(const timex *t)
{
    return (long)t->y * 10000 + t->m * 100 + t->d;
}

static int cmp_timed(const void *a, const void *b)
{
    const timex *x = *(const timex *const *)a, *y = *(const timex *const *)b;
    long kx = day_key(x), ky = day_key(y);
    if (kx != ky)
        return kx < ky ? -1 : 1;
    return x < y ? -1 : x > y; /* one array: text order */
}

/*
 * The dates time_for() may lend their time from, whatever the event: timed, said on their own
 * or anchored, not blocked, not an end time; sorted by day, then in text order.  Looking among
 * them by day keeps an article of many dates and many events linear (every event read every
 * date of the article).
 */
static void timed_index(scene *sc)
{
    sc->timed = arena_alloc(sc->ar, (sc->ntx ? sc->ntx : 1) * sizeof *sc->timed);
    sc->ntimed = 0;
    for (size_t i = 0; i < sc->ntx; i++) {
        const timex *t = &sc->tx[i];
        if (!t->has_time || (t->date_from_context && !t->anchored) || blocked(t, sc->cues, sc->a) ||
            end_time(sc, t))
            continue;
        sc->timed[sc->ntimed++] = t;
    }
    qsort(sc->timed, sc->ntimed, sizeof *sc->timed, cmp_timed);
}

/* True unless both name a part of the day and the parts differ; the evening and the night are
   one ("tonight" is the evening, "tomorrow night at 9" the night). */
static bool pods_agree(const char *a, const char *b)
{
    if (!a[0] || !b[0] || strcmp(a, b) == 0)
        return true;
    bool a_late = strcmp(a, "EV") == 0 || strcmp(a, "NI") == 0;
    bool b_late = strcmp(b, "EV") == 0 || strcmp(b, "NI") == 0;
    return a_late && b_late;
}

/* Whether time t can be in part of the day `pod` (MO, AF, EV, NI): the morning ends at noon,
   the afternoon runs from noon to the evening, the evening from 5pm, the night from 8pm to 5am.
   A time whose half of the day was guessed agrees with any. */
static bool hour_in_pod(const char *pod, int h)
{
    if (strcmp(pod, "MO") == 0)
        return h < 12;
    if (strcmp(pod, "AF") == 0)
        return h >= 12 && h < 19;
    if (strcmp(pod, "EV") == 0)
        return h >= 16 || h == 0;
    if (strcmp(pod, "NI") == 0)
        return h >= 19 || h < 6;
    return true;
}

static bool ampm_agrees(const char *pod, const timex *t)
{
    if (t->ampm_guessed || !pod[0])
        return true;
    /* a range that runs into that part of the day is in it: "every Friday night, from 5pm to
       10pm" */
    return hour_in_pod(pod, t->hh) || (t->has_end_time && hour_in_pod(pod, t->eh));
}

/* True if a time and a day stand next to each other, with white space and at most one short
   word ("on", "at") between them. */
static bool next_to_day(const char *text, const timex *time, const timex *day)
{
    size_t from = time->end <= day->start ? time->end : day->end;
    size_t to = time->end <= day->start ? day->start : time->start;
    return from <= to && ascii_one_short_word(text, from, to, 2);
}

/* Whether another trigger of m's sentence stands between m (trigger mi, or none) and `at`,
   joined on as a second event ("..., followed by a vigil", "and a march"). */
static bool second_event_before(const scene *sc, const rule_match *m, size_t mi, size_t at)
{
    const char *x = sc->a->text;
    size_t sent = article_sentence_at(sc->a, m->start);
    for (size_t j = trig_from(sc, sent); j < trig_from(sc, sent + 1) && sc->trig[j].start < at; j++) {
        if (j == mi || sc->trig[j].start < m->end)
            continue;
        /* the joining words, then up to two words of the second's noun phrase ("followed
           by a candlelit vigil") */
        size_t w = sc->trig[j].start;
        for (int words = 0; words <= 2 && w > m->end; words++) {
            if (coordinated(sc->r, x, m->end, w))
                return true;
            size_t k = w;
            while (k > m->end && x[k - 1] == ' ')
                k--;
            size_t e = k;
            while (k > m->end && (ascii_isalpha((unsigned char)x[k - 1]) || x[k - 1] == '-'))
                k--;
            if (k == e)
                break;
            w = k;
        }
    }
    return false;
}

static const timex *time_for(const scene *sc, const rule_match *m, size_t s0, size_t s1, const timex *date)
{
    /* which of the article's triggers m is, when it is one */
    size_t mi = m >= sc->trig && m < sc->trig + sc->ntrig ? (size_t)(m - sc->trig) : (size_t)-1;
    /* a date with its time ("Saturday at 10am") gives both, but only in the event's own
       sentences: a day carried over from an earlier line keeps its time there; and not when
       the sentence gives m a time of its own, nearer m than to any other event ("will be held
       Thursday, March 7 at 7 p.m., followed by the regular board meeting at 7:30 p.m.") */
    if (date->has_time && !date->date_from_context && date->sentence >= s0 && date->sentence <= s1) {
        if (mi == (size_t)-1 || nearest_trigger(sc, date->sentence, date->start, date->end) == mi)
            return date;
        for (size_t i = tx_from(sc->tx, sc->ntx, date->sentence); i < sc->ntx && sc->tx[i].sentence == date->sentence; i++) {
            const timex *t = &sc->tx[i];
            if (t->has_time && t->date_from_context && t->start > date->end && !blocked(t, sc->cues, sc->a) &&
                !end_time(sc, t) && nearest_trigger(sc, t->sentence, t->start, t->end) == mi)
                return t;
        }
        return date;
    }
    /* a bare time in the event's sentences: the one nearest the trigger; when the doors open
       only if the text says no other ("Doors open at 6.30pm ... the show starts at 7.30pm") */
    const timex *best = NULL, *doors = NULL;
    size_t bd = (size_t)-1, bdd = (size_t)-1;
    for (size_t i = tx_from(sc->tx, sc->ntx, s0); i < sc->ntx && sc->tx[i].sentence <= s1; i++) {
        const timex *t = &sc->tx[i];
        if (!t->has_time || !t->date_from_context || t->sentence < s0 || t->sentence > s1 ||
            blocked(t, sc->cues, sc->a) || end_time(sc, t) || attributive_elsewhere(sc, t, m))
            continue; /* "before the 3pm kick-off": the kick-off's time */
        /* "a stop-work meeting on Tuesday morning, followed by a march ... at 1pm": not a
           time outside the part of the day the date names */
        if (date->grain == G_POD && !ampm_agrees(date->pod, t))
            continue;
        size_t dd = detail_dist(m->start, m->end, t->start, t->end);
        /* "gather at 9am ... for a beach clean, followed by a vigil at 8pm": a time after a
           second event the sentence joins on is that event's, as a day is (nearest_trigger()) */
        if (t->start >= m->end && second_event_before(sc, m, mi, t->start))
            dd = 4 * dd + 64;
        bool at_doors = doors_time(t, sc->cues, sc->a);
        if (at_doors ? dd < bdd : dd < bd) {
            *(at_doors ? &bdd : &bd) = dd;
            *(at_doors ? &doors : &best) = t;
        }
    }
    if (!best)
        best = doors;
    if (best || date->grain < G_DAY)
        return best;
    /* else a time the article gives elsewhere for that very day ("Tuesday, September 28 -
       12:30 to 14:00" above the text), unless it is the time of another kind of event ("a
       rally ... will still go ahead at 12.30pm" is not when the called-off strike starts).
       Elsewhere is before the end of the last paragraph that names an event (and the line
       after it): the dates after it are not read (see tx_cut), and a time given there, once the
       article has moved on from its events, is seldom theirs ("the meeting was held on
       Thursday morning ... he told parliament on Thursday noon") */
    long key = day_key(date);
    size_t lo = 0, hi = sc->ntimed;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (day_key(sc->timed[mid]) < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < sc->ntimed && day_key(sc->timed[i]) == key; i++) {
        const timex *t = sc->timed[i];
        if (attributive_elsewhere(sc, t, m))
            continue;
        /* "at 1:45 this afternoon" is not when the motion of "tonight" is, nor a noon written
           in another sentence ("a walkout on Tuesday morning, followed by a march ... at 1
           p.m." gives the march, whose day is that morning's, its hour) */
        if (date->grain == G_POD &&
            (!pods_agree(date->pod, t->pod) || (t->sentence != date->sentence && !ampm_agrees(date->pod, t))))
            continue;
        size_t owner = nearest_trigger(sc, t->sentence, t->start, t->end);
        if (owner != (size_t)-1 && !same_family(sc->r, rule_type(sc->trig[owner].rule), rule_type(m->rule)))
            continue;
        return t;
    }
    return NULL;
}

/* Whether a `clause` word of vocab/dated_verb_link follows date t ("voted Tuesday to hold",
   "announced on Monday that"). */
static bool clause_after(const scene *sc, const timex *t)
{
    const char *x = sc->a->text;
    size_t k, e;
    ascii_word_after(x, t->end, sc->a->len, &k, &e);
    const char *link = e > k ? rules_vocab_lookup(sc->r, "dated_verb_link", x + k, e - k) : NULL;
    return link && strcmp(link, "clause") == 0;
}

/* Whether sentence `sent` has a day of its own after trigger m; *memo (-1 at first) keeps the
   answer for m, so that a sentence of many dated verbs reads its dates once. */
static bool day_after_m(const scene *sc, size_t sent, const rule_match *m, int *memo)
{
    if (*memo < 0) {
        *memo = 0;
        for (size_t i = tx_from(sc->tx, sc->ntx, sent); i < sc->ntx && sc->tx[i].sentence == sent && !*memo; i++)
            *memo = sc->tx[i].start >= m->end && sc->tx[i].grain >= G_DAY && own_date(sc, &sc->tx[i]);
    }
    return *memo > 0;
}

/* Whether date t follows a word of vocab/dated_verb, maybe behind a `between` word of
   vocab/dated_verb_link ("voted Tuesday", "announced on Monday"): the date of that act. */
static bool verb_dated(const scene *sc, const timex *t)
{
    const char *x = sc->a->text;
    size_t s0 = sc->a->sentences[t->sentence].start, ws, we;
    ascii_word_before(x, s0, t->start, &ws, &we);
    const char *link = ws < we ? rules_vocab_lookup(sc->r, "dated_verb_link", x + ws, we - ws) : NULL;
    if (link && strcmp(link, "between") == 0)
        ascii_word_before(x, s0, ws, &ws, &we);
    return ws < we && rules_vocab_lookup(sc->r, "dated_verb", x + ws, we - ws);
}

/* Whether a phrase of the vocabulary `vocab` (of up to four words) ends at most `gap` words
   before trigger m, letters and single spaces only between (a digit, a date, stops it). */
static bool led_by(const scene *sc, const rule_match *m, const char *vocab, int gap)
{
    enum { LEAD_WORDS = 4 };
    const char *text = sc->a->text;
    size_t ws[16], we[16];
    int n = 0;
    for (size_t e = m->start; n < gap + LEAD_WORDS && n < 16;) {
        if (e == 0 || text[e - 1] != ' ')
            break;
        e--;
        size_t b = e;
        while (b > 0 && (ascii_isalpha((unsigned char)text[b - 1]) || text[b - 1] == '-'))
            b--; /* "run-up" */
        if (b == e)
            break;
        ws[n] = b, we[n] = e;
        n++;
        e = b;
    }
    const rules_vocab *v = n ? rules_vocab_get(sc->r, vocab) : NULL;
    for (int k = 0; v && k < n && k <= gap; k++)
        for (int len = 1; len <= LEAD_WORDS && k + len <= n; len++)
            if (rules_vocab_find(v, text + ws[k + len - 1], we[k] - ws[k + len - 1]))
                return true;
    return false;
}

/* Whether the plural trigger m has a word of vocab/background_lead up to three words before
   it: "amid protests", "amid growing opposition protests" tell why or while, and announce no
   event.  A singular one may be a noun's modifier, the event named further on ("amid election
   campaigning in Serbia for January 21 polls"). */
static bool background(const scene *sc, const rule_match *m)
{
    const char *text = sc->a->text;
    if (m->end == 0 || (text[m->end - 1] != 's' && text[m->end - 1] != 'S'))
        return false;
    return led_by(sc, m, "background_lead", 2);
}

/* A plural trigger in a list of triggers ("demonstrations, vigils and protests") names kinds
   of event, not one event; so does one after a word of vocab/generic_quantifier ("previous
   strikes", "several marches"), and a singular one after such a word marked `any` ("every
   hearing, every meeting and every vote"; "the previous hearing" is one). */
static bool generic_list(const scene *sc, size_t ti)
{
    const rule_match *m = &sc->trig[ti];
    const char *text = sc->a->text;
    bool plural = m->end > 0 && (text[m->end - 1] == 's' || text[m->end - 1] == 'S');
    /* "these meetings are scheduled for ..." points back at events and stays */
    size_t we = m->start;
    while (we > 0 && text[we - 1] == ' ')
        we--;
    size_t ws = we;
    while (ws > 0 && ascii_isalpha((unsigned char)text[ws - 1]))
        ws--;
    const char *q =
        we > ws && we < m->start ? rules_vocab_lookup(sc->r, "generic_quantifier", text + ws, we - ws) : NULL;
    if (q && (plural || strcmp(q, "any") == 0))
        return true;
    if (!plural)
        return false;
    if (ti > 0 && list_joined(text, sc->trig[ti - 1].end, m->start))
        return true;
    return ti + 1 < sc->ntrig && list_joined(text, m->end, sc->trig[ti + 1].start);
}

/* Whether text[from..to) joins a date to the next as another day of the same thing: a few
   words, one of vocab/again_lead among them, and no stop (", and again on"). */
static bool again_between(const rules *r, const char *text, size_t from, size_t to)
{
    if (to <= from || to - from > 24)
        return false;
    bool again = false;
    for (size_t k = from; k < to;) {
        if (text[k] == '.' || text[k] == ';' || text[k] == ':' || text[k] == '\n')
            return false;
        size_t e = k;
        while (e < to && ascii_isalpha((unsigned char)text[e]))
            e++;
        if (e > k && (k == from || !ascii_isalpha((unsigned char)text[k - 1])))
            again = again || rules_vocab_lookup(r, "again_lead", text + k, e - k);
        k = e > k ? e : k + 1;
    }
    return again;
}

/* Whether trigger m names the people of an event ("protesters", vocab/people_trigger), not it. */
static bool people_trigger(const scene *sc, const rule_match *m)
{
    const rule_slot *t = rule_match_slot(m, "trigger");
    size_t s = t ? t->start : m->start, e = t ? t->end : m->end;
    return rules_vocab_lookup(sc->r, "people_trigger", sc->a->text + s, e - s) != NULL;
}

/* "Protesters from Leeds will travel to London for a rally": the people of an event are no
   event of their own when their sentence names one.  A verb that says only that people meet
   ("protesters will gather") names no kind, and the people's word gives it. */
static bool people_of_other(const scene *sc, size_t ti)
{
    if (!people_trigger(sc, &sc->trig[ti]))
        return false;
    /* triggers are in text order: the sentence's are those either side with its number */
    size_t lo = ti, hi = ti + 1, sent = sc->trig_sent[ti];
    while (lo > 0 && sc->trig_sent[lo - 1] == sent)
        lo--;
    while (hi < sc->ntrig && sc->trig_sent[hi] == sent)
        hi++;
    for (size_t j = lo; j < hi; j++)
        if (j != ti && !people_trigger(sc, &sc->trig[j]) && !rule_set_value(sc->trig[j].rule, "verb"))
            return true;
    return false;
}

/* True if sentence `sent` opens with a cue of this type ("Begins at ...", "Starts from ..."). */
static bool starts_with_cue(const scene *sc, size_t sent, const char *type)
{
    size_t st = sc->a->sentences[sent].start, n;
    const cue *c = cues_in(sc->cues, sent, &n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(c[i].type, type) == 0 && c[i].start <= st + 4)
            return true;
    return false;
}

/*
 * The sentence that goes on about the event of sentences sent..last_sent with its time: the
 * next one, when it opens with a `continues` or `doors` cue ("It will begin at 7.30pm", "Doors
 * open at 7pm"), or one of the two after it in the paragraph when those between name no event
 * ("... at Aireville Park. \"We want everyone to come,\" said his friend. It will begin at
 * 7.30pm.").  (size_t)-1 when none.
 */
enum { CONTINUES_REACH = 3 };
static bool sentence_has_other_kind(const scene *sc, size_t sent, const char *type);
static size_t continuing(const scene *sc, const rule_match *m, size_t sent, size_t last_sent)
{
    const article *a = sc->a;
    for (size_t s = last_sent + 1; s < a->nsentences && s <= last_sent + CONTINUES_REACH; s++) {
        if (s > last_sent + 1 && a->sentences[s].paragraph != a->sentences[sent].paragraph)
            return (size_t)-1;
        if (starts_with_cue(sc, s, "continues") || starts_with_cue(sc, s, "doors"))
            return s;
        /* a sentence between may name the event again, but no other and no other day
           ("Friends have organised the vigil at Aireville Park.") */
        if (sentence_has_other_kind(sc, s, rule_type(m->rule)))
            return (size_t)-1;
        for (size_t i = tx_from(sc->tx, sc->ntx, s); i < sc->ntx && sc->tx[i].sentence == s; i++)
            if (sc->tx[i].grain >= G_DAY && !sc->tx[i].date_from_context)
                return (size_t)-1;
    }
    return (size_t)-1;
}

/* Whether one of the two words before t says it starts something (vocab/event_edge's
   `start`: "the music starts at 7.30pm", "opens at 7"), or the noun right after it: "for a
   7.15pm start". */
static bool starts_something(const rules *r, const article *a, const timex *t)
{
    size_t q, qe;
    ascii_word_after(a->text, t->end, a->len, &q, &qe);
    const char *after = qe > q ? rules_vocab_lookup(r, "event_edge", a->text + q, qe - q) : NULL;
    if (after && strcmp(after, "start") == 0)
        return true;
    size_t p = t->start;
    for (int w = 0; w < 2; w++) {
        while (p > 0 && a->text[p - 1] == ' ')
            p--;
        size_t e = p;
        while (p > 0 && ascii_isalpha((unsigned char)a->text[p - 1]))
            p--;
        if (e == p)
            return false;
        const char *v = rules_vocab_lookup(r, "event_edge", a->text + p, e - p);
        if (v && strcmp(v, "start") == 0)
            return true;
    }
    return false;
}

/* The article's places, found the first time an event needs them. */
static const ev_places *need_places(const scene *sc)
{
    ev_places *p = sc->places;
    if (!p->found) {
        p->pl = places_find(sc->r, p->scan, sc->a, p->home_seat, sc->ar, &p->n);
        p->main_locality = places_main_locality(p->pl, p->n, sc->r, p->scan, sc->a, p->home_seat, sc->ar);
        p->found = true;
    }
    return p;
}

/*
 * The place of an event from its sentences s0..s1: the one nearest its trigger.  A named place
 * ("the First Direct stage") beats a generic one ("the city centre", "the town hall steps",
 * written in lower case) in the same sentences, since it says where to go.
 */
/* Whether the possessive place p stands in the trigger m's own noun phrase: before it, with at
   most four words between and no punctuation ("London's New Year's Day Parade"). */
static bool possessive_owns(const char *text, const place *p, const rule_match *m)
{
    if (p->end > m->start || m->start - p->end > 40)
        return false;
    int words = 0;
    for (size_t k = p->end; k < m->start; k++) {
        char c = text[k];
        if (c == ',' || c == '.' || c == ';' || c == ':' || c == '!' || c == '?' || c == '(' || c == ')' || c == '"')
            return false;
        words += c == ' ' && k + 1 < m->start && text[k + 1] != ' ';
    }
    return words <= 4;
}

/* Whether place p ("in Pakistan") stands in what trigger m is for, before the verb of its
   sentence, which a place after gives where: "A vigil for the victims of the flooding in
   Pakistan will be held on Saturday in Bradford" (a word of vocab/purpose_lead between the
   trigger and p, a tense cue after p and another place after that). */
static bool in_cause(const scene *sc, const rule_match *m, const place *p)
{
    const char *t = sc->a->text;
    if (p->start < m->end || p->start - m->end > 80 || !ascii_strncaseeq(t + p->start, "in ", 3))
        return false;
    /* the first tense cue after the trigger (cues are in text order and do not overlap) */
    size_t n, verb = (size_t)-1;
    const cue *c = cues_in(sc->cues, p->sentence, &n);
    for (size_t i = lower_bound_by(c, n, sizeof *c, offsetof(cue, start), m->end); i < n && verb == (size_t)-1; i++) {
        if (c[i].tense == TENSE_NONE)
            continue;
        if (c[i].start < p->start)
            return false; /* the verb comes first: p is where */
        verb = c[i].end;
    }
    if (verb == (size_t)-1)
        return false;
    /* and a place after it (places are in text order: from p on) */
    const ev_places *pls = need_places(sc);
    bool later = false;
    for (size_t i = (size_t)(p - pls->pl) + 1; i < pls->n && pls->pl[i].sentence == p->sentence && !later; i++)
        later = pls->pl[i].start >= verb;
    if (!later)
        return false;
    const rules_vocab *leads = rules_vocab_get(sc->r, "purpose_lead");
    for (size_t k = m->end; k < p->start;) {
        size_t e = k;
        while (e < p->start && ascii_isalpha((unsigned char)t[e]))
            e++;
        if (e > k && rules_vocab_find(leads, t + k, e - k))
            return true;
        k = e > k ? e : k + 1;
    }
    return false;
}

/* The phrase of a second event of trigger m's sentence: the next trigger, when m's own day and
   a joining word come before it ("a vigil ... on Friday 8 March at 6pm and a concert at the
   village hall on Saturday"), up to that trigger's own day: [*lo, *hi).  A place there is the
   second event's; one after its day may be both's ("a protest on Saturday and a vigil on
   Sunday outside the Town Hall").  False when there is none.  Binary searches and one step:
   place_for() asks at every event of a sentence that may name thousands. */
static bool second_event(const scene *sc, const rule_match *m, size_t sent, size_t *lo, size_t *hi)
{
    size_t i = lower_bound_by(sc->trig, sc->ntrig, sizeof *sc->trig, offsetof(rule_match, start), m->end);
    if (i >= sc->ntrig || trigger_sentence(sc, i) != sent)
        return false;
    const rule_match *m2 = &sc->trig[i];
    /* the last date before it, and the first after its start */
    size_t j = lower_bound_by(sc->tx, sc->ntx, sizeof *sc->tx, offsetof(timex, start), m2->start);
    if (j == 0 || j > sc->ntx)
        return false;
    const timex *d = &sc->tx[j - 1];
    if (d->sentence != sent || d->start < m->end || d->end > m2->start || d->grain < G_DAY ||
        !coordinated(sc->r, sc->a->text, d->end, m2->start))
        return false;
    *lo = m2->start;
    *hi = j < sc->ntx && sc->tx[j].sentence == sent ? sc->tx[j].start : sc->a->sentences[sent].end;
    return true;
}

/* Whether one to four words right after text[at] (past spaces and commas) are an entry of
   vocabulary `vocab` ("each day", "both days"). */
static bool phrase_after(const scene *sc, size_t at, const char *vocab)
{
    const char *t = sc->a->text;
    size_t k = at;
    while (k < sc->a->len && (t[k] == ' ' || t[k] == ','))
        k++;
    size_t e = k;
    for (int w = 0; w < 4; w++) {
        size_t we = e;
        while (we < sc->a->len && ascii_isalpha((unsigned char)t[we]))
            we++;
        if (we == e)
            return false;
        if (rules_vocab_lookup(sc->r, vocab, t + k, we - k))
            return true;
        e = we;
        if (e >= sc->a->len || t[e] != ' ')
            return false;
        e++;
    }
    return false;
}

/*
 * "from Friday 12 July to Sunday 14 July, from 10am to 6pm", "Doors will open at noon each
 * day": hours that name no day of their own, a range or said of each day, given to a span of
 * days (at most two weeks), are the hours of every day of it: event e, which make_event() put
 * on the first day at those hours, becomes a daily rule until the last.  A start alone ("It
 * starts at 6pm") is the first day's.
 */
static void daily_hours(const scene *sc, event *e, const timex *date, const timex *time)
{
    /* the hours apart ("... 14 July. Hours are 10am to 6pm"), or written after the span as one
       expression ("Friday 12 July to Sunday 14 July, from 10am to 6pm") */
    if (!time || !(time != date ? time->date_from_context : time->has_time && time->has_end_time) ||
        !date->has_end_date || !e->has_time || e->recur.freq != EV_ONCE || e->y != date->y || e->m != date->m ||
        e->d != date->d)
        return;
    int64_t d0 = date_to_days(date->y, date->m, date->d), d1 = date_to_days(date->ey, date->em_, date->ed);
    if (d1 <= d0 || d1 - d0 > 14)
        return;
    if (!time->has_end_time && !phrase_after(sc, time->end, "each_day"))
        return;
    e->recur = (ev_recur){
        .freq = EV_DAILY, .interval = 1, .has_until = true, .uy = date->ey, .um = date->em_, .ud = date->ed};
    if (e->has_end && !e->end_has_time)
        e->has_end = false; /* the span's last day is the rule's UNTIL; an occurrence lasts its kind's length */
    if (e->status != EV_CANCELLED && e->status != EV_POSTPONED)
        e->status = event_recur_status(e, sc->ref->y, sc->ref->m, sc->ref->d);
}

/* Whether place p stands inside an aside about who runs the event, between commas: "The
   vigil, organised by his schoolmates at St Enda's College, began at 8pm" (where they are,
   not where it is). */
static bool in_by_clause(const scene *sc, const place *p)
{
    const char *t = sc->a->text;
    size_t st = sc->a->sentences[p->sentence].start, c = p->start;
    while (c > st && p->start - c < 96 && t[c - 1] != ',')
        c--;
    if (c == st || t[c - 1] != ',')
        return false;
    size_t e = p->end;
    while (e < sc->a->len && t[e] == ' ')
        e++;
    if (e >= sc->a->len || t[e] != ',')
        return false;
    while (c < p->start && t[c] == ' ')
        c++;
    size_t ve = c;
    while (ve < p->start && ascii_isalpha((unsigned char)t[ve]))
        ve++;
    return ve > c && ve + 4 <= p->start && ascii_strncaseeq(t + ve, " by ", 4) &&
           rules_vocab_lookup(sc->r, "run_by", t + c, ve - c);
}

static const place *place_for(const scene *sc, const rule_match *m, size_t s0, size_t s1, bool want_name)
{
    /* m may be a span made up by the caller, not one of the triggers (compared as integers:
       pointers into different objects have no order in C) */
    size_t second_lo = 0, second_hi = 0, second_sent = (size_t)-1;
    uintptr_t mp = (uintptr_t)m, t0 = (uintptr_t)sc->trig, t1 = (uintptr_t)(sc->trig + sc->ntrig);
    if (sc->ntrig && mp >= t0 && mp < t1) {
        size_t sn = article_sentence_at(sc->a, m->start);
        if (second_event(sc, m, sn, &second_lo, &second_hi))
            second_sent = sn;
    }
    const place *where = NULL;
    size_t best = (size_t)-1;
    bool where_proper = false;
    const ev_places *pls = need_places(sc);
    for (size_t i = pl_from(pls->pl, pls->n, s0); i < pls->n && pls->pl[i].sentence <= s1; i++) {
        const place *p = &pls->pl[i];
        if (p->sentence < s0 || p->sentence > s1 || (want_name ? !p->name : !p->locality))
            continue;
        if (p->sentence == second_sent && p->start >= second_lo && p->end <= second_hi)
            continue; /* the second event's ("... and a concert at the village hall") */
        /* "at the Christmas Market in Fareham": a place that holds the trigger is the event */
        if (want_name && p->start < m->end && m->start < p->end)
            continue;
        /* a town's possessive is where the event is only when it owns the event's own name
           ("Manchester's Pride parade"), not elsewhere in its sentence ("Washington's
           favoured candidate ... a runoff vote") */
        if (p->possessive && !possessive_owns(sc->a->text, p, m))
            continue;
        if (p->told_of || in_cause(sc, m, p) || in_by_clause(sc, p))
            continue; /* "a vigil for the children killed in Gaza" */
        bool proper = !want_name || p->proper;
        size_t dd = detail_dist(m->start, m->end, p->start, p->end);
        if ((proper && !where_proper) || (proper == where_proper && dd < best)) {
            best = dd;
            where = p;
            where_proper = proper;
        }
    }
    return where;
}

/* True if sentence `sent` names an event of another family than `type`. */
static bool sentence_has_other_kind(const scene *sc, size_t sent, const char *type)
{
    for (size_t i = trig_from(sc, sent); i < sc->ntrig && trigger_sentence(sc, i) == sent; i++)
        if (!same_family(sc->r, rule_type(sc->trig[i].rule), type))
            return true;
    return false;
}

/* True if a place's match opens with "to" or "towards": a destination. */
static bool heads_to(const char *s)
{
    return ascii_strncaseeq(s, "to ", 3) || ascii_strncaseeq(s, "towards ", 8) || ascii_strncaseeq(s, "toward ", 7);
}

static double round2(double c)
{
    if (c > 1.0)
        c = 1.0;
    if (c < 0.05)
        c = 0.05;
    return (double)(int)(c * 100 + 0.5) / 100.0;
}

/*
 * The end of the word of a purpose phrase that starts at text[p] (p itself when none does): a
 * run of letters, apostrophes, hyphens, ampersands and digits (non-ASCII bytes count as
 * letters) that starts with a letter ("A&E", "M&S", "Covid-19"), or a number glued by a hyphen
 * to a word ("the 17-year-old").  A bare number ("for 2 hours") is no word of it.
 */
static size_t purpose_word(const char *text, size_t p, size_t len)
{
    size_t w = p;
    bool hyphen_word = false; /* a hyphen followed by a letter */
    while (w < len && (ascii_isalnum((unsigned char)text[w]) || text[w] == '\'' || (unsigned char)text[w] >= 0x80 ||
                       text[w] == '-' || text[w] == '&')) {
        if (text[w] == '-' && w + 1 < len && ascii_isalpha((unsigned char)text[w + 1]))
            hyphen_word = true;
        w++;
    }
    /* a hyphen or ampersand at the end joins nothing ("Gaza -") */
    while (w > p && (text[w - 1] == '-' || text[w - 1] == '&'))
        w--;
    if (w > p && ascii_isdigit((unsigned char)text[p]) && !hyphen_word)
        return p;
    return w;
}

/* Whether c may follow the last word of a purpose phrase: a space or punctuation, not a
   character inside a token ("/", "+", "@"). */
static bool phrase_break(char c)
{
    return c == ' ' || c == ',' || c == '.' || c == ';' || c == ':' || c == '!' || c == '?' || c == ')' || c == '"' ||
           c == '\'' || c == '\n' || c == '\r' || c == '\t' || (unsigned char)c >= 0x80;
}

/* The length of a quotation mark at text[p] (', ", or a typographic one, opening or closing
   as asked), or 0. */
static size_t quote_mark(const char *text, size_t p, size_t len, bool opening)
{
    if (text[p] == '"' || text[p] == '\'')
        return 1;
    /* U+2018, U+201C open; U+2019, U+201D close */
    if (p + 2 < len && (unsigned char)text[p] == 0xE2 && (unsigned char)text[p + 1] == 0x80) {
        unsigned char c = (unsigned char)text[p + 2];
        if (opening ? (c == 0x98 || c == 0x9C) : (c == 0x99 || c == 0x9D))
            return 3;
    }
    return 0;
}

/* Where a quotation that opens before text[p] ends: just after its closing mark, which follows
   a letter and comes before a space, punctuation or the end ("the workers' pay" has one too,
   and ends early), within `words` words, 240 bytes and the line; 0 when it does not. */
static size_t quoted_end(const char *text, size_t p, size_t len, size_t words)
{
    size_t n = 1, stop = len - p > 240 ? p + 240 : len;
    for (size_t x = p; x < stop && text[x] != '\n' && n <= words; x++) {
        if (text[x] == ' ') {
            n++;
            continue;
        }
        size_t q = x > p && ascii_isalnum((unsigned char)text[x - 1]) ? quote_mark(text, x, len, false) : 0;
        if (q && (x + q >= len || phrase_break(text[x + q])))
            return x + q;
    }
    return 0;
}

static char *purpose_phrase(const rules *r, const article *a, const rule_match *m, size_t *at, size_t *phrase_end);

/* Whether trigger ti stands in what the trigger before it, in its sentence, is for ("a forum
   for the local elections", "a rally in support of the strike"): part of that event's name,
   not an event told of there. */
static bool in_purpose(const scene *sc, size_t ti)
{
    if (ti == 0)
        return false;
    const rule_match *m = &sc->trig[ti], *prev = &sc->trig[ti - 1];
    if (prev->end > m->start || m->start - prev->end > 60 ||
        article_sentence_at(sc->a, prev->start) != article_sentence_at(sc->a, m->start))
        return false;
    size_t at = 0, end = 0;
    char *p = purpose_phrase(sc->r, sc->a, prev, &at, &end);
    if (!p)
        return false;
    free(p);
    /* "a ballot for industrial action": a vote is about what heads its phrase */
    if (strcmp(rule_type(prev->rule), "vote") == 0)
        return m->start >= at && m->start < end;
    /* else a phrase that opens with the trigger, after its article, is an event of its own:
       what a verb or a word for people is for ("gather on Saturday for a vigil", "Protesters
       ... for a rally"), or another ("a rally for the strike on 14 March"); words before the
       trigger make it part of the name ("a candidates' forum for the local elections") */
    const char *t = sc->a->text;
    size_t w = at;
    while (w < sc->a->len && ascii_isalpha((unsigned char)t[w]))
        w++;
    if (w < sc->a->len && t[w] == ' ' && rules_vocab_lookup(sc->r, "article", t + at, w - at))
        at = w + 1;
    return m->start > at && m->start < end;
}

/*
 * What an event is for, from the words after its trigger: "vigil [on the steps] for the
 * children killed" gives "for the children killed".  Up to five words after for, against, in
 * support of, in memory of, to remember, or up to eight where the phrase ends there; not across
 * punctuation, and stopping at a preposition or a number.  Returns a new string
 * (caller frees) or NULL; *at receives where its words (after the lead) start, and
 * *phrase_end (when not NULL) where they end.
 */
static char *purpose_phrase(const rules *r, const article *a, const rule_match *m, size_t *at, size_t *phrase_end)
{
    /* the words that open the phrase and those that end it: vocab/purpose_lead.vocab and
       vocab/purpose_stop.vocab */
    const rules_vocab *leads = rules_vocab_get(r, "purpose_lead"), *stops = rules_vocab_get(r, "purpose_stop");
    size_t nleads = rules_vocab_size(leads);
    const char *text = a->text;
    size_t end = m->end, limit = m->end + 60 < a->len ? m->end + 60 : a->len;
    /* words between the trigger and the lead are a place, a time or the verb of the event
       ("a vigil [will be held on the steps] for"), which open with a stop word, a name or a
       number; a lowercase word of anything else is a clause of its own whose "for" is not
       the event's ("the summit meeting [failed to offer hope] for a quick end") */
    size_t f = end;
    while (f < a->len && text[f] == ' ')
        f++;
    size_t fw = purpose_word(text, f, a->len);
    bool skip_ok = fw == f || !(text[f] >= 'a' && text[f] <= 'z') || rules_vocab_find(stops, text + f, fw - f) ||
                   rules_vocab_find(leads, text + f, fw - f);
    for (size_t k = end; k < limit; k++) {
        char c = text[k];
        if (c == '.' || c == ';' || c == ':' || c == '!' || c == '?' || c == '\n' || c == '"')
            return NULL;
        if (k > end && text[k - 1] != ' ')
            continue;
        if (k > f && !skip_ok)
            return NULL;
        unsigned char c0 = ascii_tolower((unsigned char)c);
        for (size_t l = 0; l < nleads; l++) {
            const char *lead = rules_vocab_phrase(leads, l);
            if (ascii_tolower((unsigned char)lead[0]) != c0)
                continue; /* most leads, before their length is even taken (1% of a corpus run) */
            size_t ll = strlen(lead);
            if (k + ll + 1 > a->len || !ascii_strncaseeq(text + k, lead, ll) || text[k + ll] != ' ')
                continue;
            ll++; /* and the space after it */
            /* the phrase: words after the lead, up to a stop.  Five words make a title; a
               phrase that runs on may take up to PURPOSE_MORE more to end where it ends ("for
               the victims of the Southport stabbing"), and one that would run on further is
               cut before its last joining word ("against the closure [of the much loved local
               library]"), not in the middle of a name */
            enum { PURPOSE_WORDS = 5, PURPOSE_MORE = 3 };
            size_t p = k + ll, words = 0, pe = p, last = p;
            size_t cap_pe = p, cap_last = p, join_pe = 0, join_words = 0;
            bool ended = false; /* at a stop, a break or the text's end, not at the cap */
            bool joined = false, names = true; /* a joining word; every word past five a name's */
            while (p < a->len && words < PURPOSE_WORDS + PURPOSE_MORE) {
                size_t qo = quote_mark(text, p, a->len, true);
                if (qo && words >= PURPOSE_WORDS) {
                    ended = true; /* a quotation after a long phrase starts something else */
                    break;
                }
                if (qo) {
                    /* "against 'fire and rehire'": a quoted name is one unit, whole or not at all */
                    size_t qe = quoted_end(text, p + qo, a->len, PURPOSE_WORDS + PURPOSE_MORE - words);
                    if (!qe)
                        return NULL; /* the words before it lead into it: "against what they call" */
                    for (size_t x = p; x < qe; x++)
                        words += text[x] == ' ';
                    words++;
                    last = pe = qe;
                    if (words >= PURPOSE_WORDS && cap_pe == k + ll)
                        cap_pe = cap_last = pe;
                    if (qe >= a->len || text[qe] != ' ') {
                        ended = true;
                        break;
                    }
                    p = qe + 1;
                    continue;
                }
                size_t w = purpose_word(text, p, a->len);
                if (w == p || (w < a->len && !phrase_break(text[w])) || rules_vocab_find(stops, text + p, w - p)) {
                    /* a stop, or a word cut by a character no word has ("Gaza/Palestine"): not half of it */
                    ended = true;
                    break;
                }
                /* "planned for Sunday July 14" is when, not what for */
                static const char *const when[] = {"weekday", "month", "relday", "unit", NULL};
                bool is_when = false;
                for (int q = 0; when[q]; q++)
                    is_when = is_when || rules_vocab_lookup(r, when[q], text + p, w - p);
                if (is_when && words < PURPOSE_WORDS)
                    return NULL;
                if (is_when)
                    break; /* "the victims of the stabbing last July": not a phrase that ends */
                if (words && rules_vocab_lookup(r, "purpose_join", text + p, w - p)) {
                    joined = true;
                    if (words < PURPOSE_WORDS)
                        join_pe = pe, join_words = words;
                }
                if (words >= PURPOSE_WORDS && !(text[p] >= 'A' && text[p] <= 'Z'))
                    names = false;
                last = p;
                pe = w;
                words++;
                if (words == PURPOSE_WORDS)
                    cap_pe = pe, cap_last = last;
                if (w >= a->len || text[w] != ' ') {
                    ended = true;
                    break;
                }
                p = w + 1;
            }
            if (!ended && words == PURPOSE_WORDS + PURPOSE_MORE) {
                size_t w = p < a->len ? purpose_word(text, p, a->len) : p;
                ended = w == p || rules_vocab_find(stops, text + p, w - p);
            }
            /* past five words, a phrase that ends is whole when it completes what a joining
               word began ("the sale of the playing fields") or a name ("President Donald
               Trump"); other words there are a clause running on ("parliament follows a ...") */
            if (words > PURPOSE_WORDS && (!ended || !(joined || names))) {
                /* up to its last joining word, or the five */
                if (join_pe) {
                    pe = join_pe;
                    words = join_words;
                    last = pe; /* not an article: the word before a joining word ends a noun */
                } else {
                    pe = cap_pe;
                    last = cap_last;
                    words = PURPOSE_WORDS;
                }
            }
            /* not "in memory of the" or "for his" where the phrase stops at what the word
               introduces (vocab/noun_lead.vocab) */
            if (words && rules_vocab_lookup(r, "noun_lead", text + last, pe - last)) {
                pe = last > k + ll ? last - 1 : last;
                words--;
            }
            if (!words)
                return NULL;
            *at = k + ll;
            if (phrase_end)
                *phrase_end = pe;
            return xasprintf("%.*s%.*s", (int)ll - 1, text + k, (int)(pe - (k + ll) + 1), text + k + ll - 1);
        }
    }
    return NULL;
}

/*
 * The tense an event is told in by the cues of its sentence: the future or past cue nearest
 * its trigger ("a motion will be put forward", "the vigil took place", "families marched").
 * Used where the date's own tense cannot be trusted (a date in a quotation, whose reporting verb
 * says when the words were spoken) or says nothing.  TENSE_NONE when there is no cue.
 */
static tense trigger_tense(const scene *sc, const rule_match *m, size_t sent)
{
    tense best = TENSE_NONE;
    size_t bd = (size_t)-1, n;
    const cue *cs = cues_in(sc->cues, sent, &n);
    for (size_t i = 0; i < n; i++) {
        const cue *c = &cs[i];
        tense t = c->tense;
        size_t dd = dist(m->start, m->end, c->start, c->end);
        if (t != TENSE_NONE && dd < bd) {
            bd = dd;
            best = t;
        }
    }
    return best;
}

/* The tense of a sentence when its cues agree on one ("walked out of the meeting"), else
   TENSE_NONE ("will join ... the cuts being voted through"). */
static tense sentence_tense_clear(const scene *sc, size_t sent)
{
    bool past = false, future = false;
    size_t n;
    const cue *c = cues_in(sc->cues, sent, &n);
    for (size_t i = 0; i < n; i++) {
        past = past || c[i].tense == TENSE_PAST;
        future = future || c[i].tense == TENSE_FUTURE;
    }
    return past == future ? TENSE_NONE : past ? TENSE_PAST : TENSE_FUTURE;
}

/*
 * The first sentence that opens with one of the labels (NUL-separated, ending with an empty
 * one) and a colon: "When: Thursday 10 October", "Where: ...".  (size_t)-1 when there is none.
 */
static size_t field_sentence(const article *a, const char *labels)
{
    for (size_t sn = 0; sn < a->nsentences; sn++) {
        const char *t = a->text + a->sentences[sn].start;
        size_t n = a->sentences[sn].end - a->sentences[sn].start;
        if (!memchr(t, ':', n < 32 ? n : 32))
            continue; /* a label is short and ends in a colon: most sentences have none */
        for (const char *l = labels; *l; l += strlen(l) + 1) {
            size_t ll = strlen(l);
            if (n > ll && ascii_strncaseeq(t, l, ll) && t[ll] == ':')
                return sn;
        }
    }
    return (size_t)-1;
}

/* True if the date is followed by a possessive "'s" ("Saturday's march", "Tonight's vigil"). */
static bool possessive_after(const article *a, const timex *t)
{
    return possessive_len(a->text + t->end, a->len - t->end) > 0;
}

/* True if a time heads its sentence as in a listing: "11 a.m.: march ...", "Noon - rally ..."
   (not "By 1pm the crowd had grown"). */
static bool listing_head(const article *a, size_t sent, const timex *t)
{
    if (t->start > a->sentences[sent].start + 6)
        return false;
    size_t k = t->end;
    while (k < a->len && (a->text[k] == ' ' || a->text[k] == '\t'))
        k++;
    return k < a->len && (a->text[k] == ':' || a->text[k] == '-' || ascii_strncaseeq(a->text + k, "\xe2\x80\x93", 3) ||
                          ascii_strncaseeq(a->text + k, "\xe2\x80\x94", 3));
}

/* True if offset `at` of sentence `sent` stands inside a quotation opened in that sentence:
   after an unclosed typographic opening quote, or after an odd number of straight ones. */
static bool quoted(const article *a, size_t sent, size_t at)
{
    const unsigned char *t = (const unsigned char *)a->text;
    int curly = 0, straight = 0;
    for (size_t k = a->sentences[sent].start; k < at && k < a->len; k++) {
        if (t[k] == '"')
            straight ^= 1;
        else if (t[k] == 0xE2 && k + 2 < a->len && t[k + 1] == 0x80 && t[k + 2] == 0x9C)
            curly++;
        else if (t[k] == 0xE2 && k + 2 < a->len && t[k + 1] == 0x80 && t[k + 2] == 0x9D && curly > 0)
            curly--;
    }
    return curly > 0 || straight;
}

/* The time expression that starts at byte i, before byte `lim`, in sentence `sent`; or NULL. */
static const timex *time_starting_at(const scene *sc, size_t sent, size_t i, size_t lim)
{
    for (size_t j = tx_from(sc->tx, sc->ntx, sent); j < sc->ntx && sc->tx[j].sentence == sent; j++)
        if (sc->tx[j].start == i && sc->tx[j].end <= lim && sc->tx[j].type == TX_TIME && sc->tx[j].has_time)
            return &sc->tx[j];
    return NULL;
}

/*
 * "from 7am on Friday 27 June until 7am on Wednesday 2 July": a day y later in the sentence of
 * the event's day x is where the event ends when one word of vocabulary range_to ("until",
 * "to") and nothing but times, words of range_filler ("on", "at") and commas stand between
 * them.  *end_time is the end's time (in between, y's own or right after y), or NULL.
 */
/* Whether t is a weekday alone ("Sunday"), which names the coming one only for want of a
   better day to count from. */
static bool bare_weekday(const scene *sc, const timex *t)
{
    return t->relative && t->grain == G_DAY && !t->has_time &&
           rules_vocab_lookup(sc->r, "weekday", sc->a->text + t->start, t->end - t->start) != NULL;
}

/* The link a word of vocabulary range_open before x asks for ("between" ... "and"), past
   times and range_filler words ("between 7am on Tuesday"), or NULL. */
static const char *range_opener(const scene *sc, const timex *x)
{
    enum { WORDS_MAX = 4 };
    const char *t = sc->a->text;
    size_t s0 = sc->a->sentences[x->sentence].start, i = x->start;
    for (int k = 0; k < WORDS_MAX; k++) {
        while (i > s0 && (t[i - 1] == ' ' || t[i - 1] == ','))
            i--;
        /* a time ending here: the last date starting before it (dates do not overlap), found
           by bisection, since range_end() asks at every day of a list */
        const timex *tm = NULL;
        size_t j = lower_bound_by(sc->tx, sc->ntx, sizeof *sc->tx, offsetof(timex, start), i);
        if (j > 0 && sc->tx[j - 1].sentence == x->sentence && sc->tx[j - 1].end == i &&
            sc->tx[j - 1].type == TX_TIME && sc->tx[j - 1].has_time)
            tm = &sc->tx[j - 1];
        if (tm) {
            i = tm->start;
            continue;
        }
        size_t ws = i;
        while (ws > s0 && ascii_isalpha((unsigned char)t[ws - 1]))
            ws--;
        if (ws == i)
            return NULL;
        const char *link = rules_vocab_lookup(sc->r, "range_open", t + ws, i - ws);
        if (link)
            return link;
        if (!rules_vocab_lookup(sc->r, "range_filler", t + ws, i - ws))
            return NULL;
        i = ws;
    }
    return NULL;
}

static bool range_end(const scene *sc, const timex *x, const timex *y, const timex **end_time)
{
    enum { GAP_MAX = 64, AFTER_MAX = 8 };
    if (y->sentence != x->sentence || y->start < x->end || y->start - x->end > GAP_MAX || y->grain < G_DAY ||
        x->grain < G_DAY || x->has_end_date || y->has_end_date || !usable_date(y) || y->date_from_context)
        return false;
    /* "postponed from Saturday to Sunday 17 March" names two days of which it is on one */
    if (postponement(sc->cues, x->sentence))
        return false;
    const char *t = sc->a->text;
    const timex *tm = NULL;
    int links = 0;
    const char *pair = range_opener(sc, x);
    for (size_t i = x->end; i < y->start;) {
        unsigned char c = (unsigned char)t[i];
        if (ascii_isspace(c) || c == ',') {
            i++;
            continue;
        }
        const timex *in = time_starting_at(sc, x->sentence, i, y->start);
        if (in) {
            tm = in;
            i = in->end;
            continue;
        }
        /* a dash between the days, as a listing writes a range ("Friday 22 March – Sunday 24
           March"): a hyphen or an en dash, with a space on each side */
        size_t dash = c == '-' ? 1 : (c == 0xE2 && i + 2 < y->start && (unsigned char)t[i + 1] == 0x80 &&
                                      (unsigned char)t[i + 2] == 0x93) ? 3 : 0;
        if (dash && i > x->end && ascii_isspace((unsigned char)t[i - 1]) && i + dash < y->start &&
            ascii_isspace((unsigned char)t[i + dash])) {
            links++;
            i += dash;
            continue;
        }
        if (!ascii_isalpha(c))
            return false;
        size_t we = i;
        while (we < y->start && ascii_isalpha((unsigned char)t[we]))
            we++;
        if (rules_vocab_lookup(sc->r, "range_to", t + i, we - i) ||
            (pair && strlen(pair) == we - i && ascii_strncaseeq(t + i, pair, we - i)))
            links++;
        else if (!rules_vocab_lookup(sc->r, "range_filler", t + i, we - i))
            return false;
        i = we;
    }
    if (links != 1)
        return false;
    if (!tm && y->has_time)
        tm = y;
    for (size_t i = y->end; !tm && i <= y->end + AFTER_MAX && i < sc->a->len;) {
        /* "until Wednesday 2 July at 7am" */
        unsigned char c = (unsigned char)t[i];
        if (ascii_isspace(c) || c == ',') {
            i++;
            continue;
        }
        tm = time_starting_at(sc, y->sentence, i, sc->a->len);
        if (tm || !ascii_isalpha(c))
            break;
        size_t we = i;
        while (we < sc->a->len && ascii_isalpha((unsigned char)t[we]))
            we++;
        if (!rules_vocab_lookup(sc->r, "range_filler", t + i, we - i))
            break;
        i = we;
    }
    *end_time = tm;
    return true;
}

/*
 * A length the text gives the event m: "a five-day strike", "a 48-hour walkout" (right before
 * its trigger), "will strike for five days", "will last 48 hours" (after it, led by a word of
 * vocabulary event_length_lead, no other trigger between).  Its minutes, or 0.
 */
static long event_length(const scene *sc, const rule_match *m, size_t sent, const timex **which)
{
    enum { AFTER_MAX = 80, DAYS_MAX = 31 };
    const rule_slot *tr = rule_match_slot(m, "trigger");
    size_t ts = tr ? tr->start : m->start, te = tr ? tr->end : m->end;
    const char *t = sc->a->text;
    for (size_t j = tx_from(sc->tx, sc->ntx, sent); j < sc->ntx && sc->tx[j].sentence == sent; j++) {
        const timex *d = &sc->tx[j];
        if (d->type != TX_DURATION || !d->has_span || d->span.vague || d->span.workdays || d->span.y ||
            d->span.q || d->span.mo || d->span.we)
            continue;
        bool ok = false;
        if (d->end <= ts && ts - d->end <= 24) {
            /* adjectival: hyphenated, at most one word ("national") between it and the trigger */
            bool hyphen = memchr(t + d->start, '-', d->end - d->start) != NULL;
            int words = 0;
            for (size_t i = d->end; i < ts; i++)
                if (ascii_isalpha((unsigned char)t[i]) && !ascii_isalpha((unsigned char)t[i - 1]))
                    words++;
                else if (!ascii_isalpha((unsigned char)t[i]) && !ascii_isspace((unsigned char)t[i]))
                    words = 9;
            /* "a 27-day election campaign": the noun after the trigger has the length */
            size_t nw = te;
            while (nw < sc->a->len && ascii_isspace((unsigned char)t[nw]))
                nw++;
            size_t nwe = nw;
            while (nwe < sc->a->len && ascii_isalpha((unsigned char)t[nwe]))
                nwe++;
            ok = hyphen && words <= 1 && !(nwe > nw && rules_vocab_lookup(sc->r, "length_noun", t + nw, nwe - nw));
        } else if (d->start >= te && d->start - te <= AFTER_MAX && !memchr(t + d->start, '-', d->end - d->start)) {
            /* the word that leads it: its own first word ("last 48 hours") or the one before;
               not "for a two-day summit", whose length is the summit's */
            size_t w = d->start, we = w;
            while (we < d->end && ascii_isalpha((unsigned char)t[we]))
                we++;
            ok = we > w && rules_vocab_lookup(sc->r, "event_length_lead", t + w, we - w);
            if (!ok) {
                size_t b = d->start;
                while (b > te && ascii_isspace((unsigned char)t[b - 1]))
                    b--;
                size_t bs = b;
                while (bs > te && ascii_isalpha((unsigned char)t[bs - 1]))
                    bs--;
                ok = bs < b && rules_vocab_lookup(sc->r, "event_length_lead", t + bs, b - bs);
            }
            /* another event named in between has the length: "a rally, then a march for two hours" */
            for (const rule_match *o = m + 1; ok && o < sc->trig + sc->ntrig && o->start < d->start; o++)
                if (o->start >= te)
                    ok = false;
        }
        if (!ok)
            continue;
        long minutes = (((long)d->span.w * 7 + d->span.d) * 24 + d->span.h) * 60 + d->span.mi;
        if (minutes <= 0 || minutes > (long)DAYS_MAX * 24 * 60)
            continue;
        *which = d;
        return minutes;
    }
    return 0;
}

/* The end of event e from its range end y (and that end's time, or NULL). */
static void end_at_day(event *e, const timex *y, const timex *tm)
{
    e->has_end = true;
    if (!e->has_time) {
        e->ey = y->y, e->em = y->m, e->ed = y->d;
        e->end_has_time = false;
        return;
    }
    /* a start time and an end day without one: to the end of that day */
    ymd end = {y->y, y->m, y->d};
    if (!tm)
        end = date_add_days(end, 1);
    e->end_has_time = true;
    e->ey = end.y, e->em = end.m, e->ed = end.d;
    e->eh = tm ? tm->hh : 0;
    e->emin = tm ? tm->mm : 0;
}

/*
 * Whether the day of an event with a length is its last ("a two-day meeting which ended
 * Monday", "concluded a four-day conference here Thursday") rather than its first: the word
 * of vocabulary event_edge nearest before the date, back to the sentence's start, says
 * ("Wrapping a two-day summit which started on Tuesday" starts on Tuesday).
 */
static bool date_is_last_day(const scene *sc, const timex *date)
{
    enum { BACK_MAX = 120 };
    const article *a = sc->a;
    size_t s0 = a->sentences[date->sentence].start, lo = date->start > s0 + BACK_MAX ? date->start - BACK_MAX : s0;
    for (size_t i = date->start; i > lo;) {
        while (i > lo && !ascii_isalpha((unsigned char)a->text[i - 1]))
            i--;
        size_t we = i;
        while (i > lo && ascii_isalpha((unsigned char)a->text[i - 1]))
            i--;
        if (i == we)
            break;
        const char *edge = rules_vocab_lookup(sc->r, "event_edge", a->text + i, we - i);
        if (edge)
            return strcmp(edge, "end") == 0;
    }
    return false;
}

/* Event e runs `minutes` from its start, or up to it when its day is the last: a time, or
   whole days when it has none.  False when the length cannot be put so. */
static bool set_length(event *e, long minutes, bool last_day)
{
    enum { DAY = 24 * 60 };
    ymd day = {e->y, e->m, e->d};
    if (!e->has_time) {
        if (minutes % DAY)
            return false;
        ymd other = date_add_days(day, (last_day ? -1 : 1) * (minutes / DAY - 1));
        ymd first = last_day ? other : day, last = last_day ? day : other;
        e->y = first.y, e->m = first.m, e->d = first.d;
        e->has_end = true;
        e->end_has_time = false;
        e->ey = last.y, e->em = last.m, e->ed = last.d;
        return true;
    }
    long at = (long)e->hh * 60 + e->mm, from = last_day ? at - minutes : at, to = last_day ? at : at + minutes;
    /* floor division: a start before midnight of the day before */
    long fd = from >= 0 ? from / DAY : -((-from + DAY - 1) / DAY);
    ymd first = date_add_days(day, fd), last = date_add_days(day, to / DAY);
    from -= fd * DAY;
    e->y = first.y, e->m = first.m, e->d = first.d;
    e->hh = (int)(from / 60), e->mm = (int)(from % 60);
    e->has_end = true;
    e->end_has_time = true;
    e->ey = last.y, e->em = last.m, e->ed = last.d;
    e->eh = (int)(to % DAY / 60);
    e->emin = (int)(to % 60);
    return true;
}

/* Whether the word text[ws..we) (letters and inner hyphens) can be a word of an event's name
   before its trigger: see name_start().  proper: it and the word after it are capitalised, a
   name's words ("the Chinese New Year festival"), which vocab/title_filler does not stop. */
static bool name_word(const rules *r, const char *text, size_t ws, size_t we, bool proper)
{
    static const char *const plain[] = {"article", "determiner", "noun_lead", "generic_quantifier", "numword",
                                        "ordinal", "weekday",    "month",     "relday"};
    if (text[ws] == '-' || text[we - 1] == '-')
        return false;
    for (size_t i = 0; i < sizeof plain / sizeof *plain; i++)
        if (rules_vocab_lookup(r, plain[i], text + ws, we - ws))
            return false;
    if (!proper && rules_vocab_lookup(r, "title_filler", text + ws, we - ws))
        return false;
    /* a verb ("will", "is"), not a word listed there to say it is none ("United") */
    const char *tv = rules_vocab_lookup(r, "tense", text + ws, we - ws);
    if (tv && strcmp(tv, "none") != 0)
        return false;
    /* each part of "three-day", "all-day": a number or a filler makes the whole one */
    for (size_t ps = ws, pe; ps < we; ps = pe + 1) {
        pe = ps;
        while (pe < we && text[pe] != '-')
            pe++;
        if (pe == ps || (pe < we && (rules_vocab_lookup(r, "numword", text + ps, pe - ps) ||
                                     rules_vocab_lookup(r, "ordinal", text + ps, pe - ps) ||
                                     rules_vocab_lookup(r, "title_filler", text + ps, pe - ps))))
            return false;
    }
    /* a past form or an adverb ("the long-awaited fair", "a monthly market"), unless a noun
       of vocab/ly_noun ("a family fun day") */
    size_t n = we - ws;
    bool lower = text[ws] >= 'a' && text[ws] <= 'z';
    if (lower && n >= 4 && ascii_strncaseeq(text + we - 2, "ed", 2))
        return false;
    if (lower && n >= 4 && ascii_strncaseeq(text + we - 2, "ly", 2) && !rules_vocab_lookup(r, "ly_noun", text + ws, n))
        return false;
    return true;
}

enum { NAME_WORDS = 4 };

/* Where a named day of vocab/holiday ends right before text[at] starts ("the May Day
   festival", "a St Patrick's Day march": at "May", at "St"), one space before it; else at.  Its
   words are months and possessives, which stop a name otherwise. */
static size_t holiday_before(const rules *r, const char *text, size_t at)
{
    if (at < 2 || text[at - 1] != ' ')
        return at;
    size_t best = at, ws = at - 1;
    for (int words = 0; words < 4; words++) {
        size_t we = ws;
        while (ws > 0 && !ascii_isspace((unsigned char)text[ws - 1]))
            ws--;
        if (ws == we)
            break;
        if (rules_vocab_lookup(r, "holiday", text + ws, at - 1 - ws))
            best = ws;
        if (ws < 2 || text[ws - 1] != ' ')
            break;
        ws--;
    }
    return best;
}

/*
 * Where the name of an event its trigger names (a festival's, an other's) starts, the trigger
 * starting at text[at]: at itself, or up to NAME_WORDS words before it, each a single space
 * from the next, that say which kind of event it is ("an antiques fair", "a charity fun run",
 * "Leeds Pride"), as the market rule's own trigger holds "farmers market".  Not determiners,
 * prepositions, verbs, numbers, dates, adverbs or past forms, nor adjectives of
 * vocab/title_filler that add nothing ("the annual fair", "a three-day festival"); a word glued
 * to punctuation or an apostrophe stops the name ("the town's fair", "G7").  A joining word
 * between capitalised words is part of one name ("the Bolton Food and Drink Festival"); where
 * the words run on past a joining word otherwise ("a food and drink festival"), or capitalised
 * past NAME_WORDS, the name began earlier than can be told, and the trigger alone names the
 * event; lower-case
 * words past NAME_WORDS are left out ("[consumer] electronic products trade fair").
 */
static size_t name_start(const rules *r, const char *text, size_t at)
{
    /* a named day is one word of the name, however it is spelt */
    size_t start = holiday_before(r, text, at);
    for (int words = start < at ? 1 : 0; words <= NAME_WORDS; words++) {
        if (start < 2 || text[start - 1] != ' ')
            break;
        size_t we = start - 1, ws = we;
        while (ws > 0 && !ascii_isspace((unsigned char)text[ws - 1]))
            ws--;
        if (ws == we)
            break;
        const char *join = rules_vocab_lookup(r, "title_filler", text + ws, we - ws);
        if (join && strcmp(join, "join") == 0) {
            /* one name of capitalised words on both sides ("the Bolton Food and Drink
               Festival") runs on past it; else the trigger alone names the event */
            size_t pe = ws >= 2 && text[ws - 1] == ' ' ? ws - 1 : 0, ps = pe;
            while (ps > 0 && ascii_isalpha((unsigned char)text[ps - 1]))
                ps--;
            /* not a town before it: "Glastonbury and Leeds Festival" are two */
            if (start < at && text[start] >= 'A' && text[start] <= 'Z' && ps < pe && text[ps] >= 'A' &&
                text[ps] <= 'Z' && (ps == 0 || text[ps - 1] == ' ') && words < NAME_WORDS &&
                !rules_vocab_lookup(r, "locality", text + ps, pe - ps)) {
                start = ws;
                continue;
            }
            return at;
        }
        bool letters = true;
        for (size_t p = ws; p < we && letters; p++)
            letters = ascii_isalpha((unsigned char)text[p]) || text[p] == '-';
        bool proper = text[ws] >= 'A' && text[ws] <= 'Z' && text[start] >= 'A' && text[start] <= 'Z';
        if (!letters || !name_word(r, text, ws, we, proper))
            break;
        if (words == NAME_WORDS)
            return proper ? at : start; /* a name cut short reads wrong; a kind, shorter, does not */
        start = ws;
    }
    return start;
}

/* Whether a named place other than a town starts where a purpose phrase does (after its
   article): "planned for the Assembly Rooms" says where.  A town does not stop a purpose ("a
   vigil for Gaza"). */
static bool purpose_is_place(const scene *sc, size_t at)
{
    const ev_places *pls = need_places(sc);
    const char *t = sc->a->text;
    size_t w = at;
    while (w < sc->a->len && ascii_isalpha((unsigned char)t[w]))
        w++;
    if (w < sc->a->len && t[w] == ' ' && rules_vocab_lookup(sc->r, "article", t + at, w - at))
        at = w + 1;
    for (size_t i = 0; i < pls->n; i++) {
        const place *p = &pls->pl[i];
        if (p->name && strcmp(p->cls, "locality") != 0 && p->start <= at && at < p->end)
            return true;
    }
    return false;
}

/* Whether a stated fixed offset names the clocks of zone tz on y-m-d hh:mm: the offset they
   show then, or their standard one.  "8 p.m. EST" in a New York paper names its own clocks even
   in July, when EST is said loosely for Eastern time; in a Chicago paper it is 7 p.m. */
static bool zone_keeps_offset(const char *tz, int y, int m, int d, int hh, int mm, int off)
{
    int now, jan, jul;
    if (tz_offset_for_local(tz, y, m, d, hh, mm, &now) && now == off)
        return true;
    return tz_offset_for_local(tz, y, 1, 15, 12, 0, &jan) && tz_offset_for_local(tz, y, 7, 15, 12, 0, &jul) &&
           (jan < jul ? jan : jul) == off;
}

/* Moves the wall time y-m-d hh:mm, stated in another zone (a fixed offset, or `from`), on to
   the clocks of zone tz at that instant. */
static void shift_wall(const char *tz, const char *from, int off, int *y, int *m, int *d, int *hh, int *mm)
{
    int64_t t;
    if (from) {
        if (!tz_local_to_utc(from, *y, *m, *d, *hh, *mm, &t))
            return;
    } else {
        t = datetime_to_epoch_utc(*y, *m, *d, *hh, *mm, 0) - (int64_t)off * 60;
    }
    datetime w;
    if (!tz_utc_to_local(tz, t, &w))
        return;
    *y = w.y, *m = w.m, *d = w.d, *hh = w.hh, *mm = w.mm;
}

/* "at 8 p.m. ET", read for a Chicago paper: the event's clock is its zone's, 7 p.m. there.  A
   zone that is the event's own, or an offset it keeps, changes nothing. */
static void apply_stated_zone(event *e, const timex *time)
{
    if (!time->has_tz || !e->has_time)
        return;
    const char *tz = e->timezone ? e->timezone : "UTC";
    if (time->tz_zone ? strcmp(time->tz_zone, tz) == 0 : zone_keeps_offset(tz, e->y, e->m, e->d, e->hh, e->mm, time->tz_offset_min))
        return;
    shift_wall(tz, time->tz_zone, time->tz_offset_min, &e->y, &e->m, &e->d, &e->hh, &e->mm);
    if (e->has_end && e->end_has_time)
        shift_wall(tz, time->tz_zone, time->tz_offset_min, &e->ey, &e->em, &e->ed, &e->eh, &e->emin);
}

static void sentence_triggers(const article *a, const rule_match *trig, size_t ntrig, size_t s, size_t *lo, size_t *hi);

/* Whether sentence `sent` has a cue of tense t. */
static bool cue_in_tense(cue_set *cues, size_t sent, tense t)
{
    size_t n;
    const cue *c = cues_in(cues, sent, &n);
    for (size_t i = 0; i < n; i++)
        if (c[i].tense == t)
            return true;
    return false;
}

/* Whether the sentence before `sent`, in its paragraph, calls off an event of m's kind ("A
   strike by lecturers planned for next week has been called off."): with a cue of type
   `what`, or a postponement when `what` is NULL ("... has been postponed."). */
static bool prev_called_off(const scene *sc, const rule_match *m, size_t sent, const timex *date, const char *what)
{
    const article *a = sc->a;
    if (sent == 0 || sent >= a->nsentences || a->sentences[sent - 1].paragraph != a->sentences[sent].paragraph ||
        !(what ? cue_in_sentence(sc->cues, sent - 1, what) : postponement(sc->cues, sent - 1) != NULL))
        return false;
    /* not where this sentence says an event goes ahead: a future after the date, or a word of
       vocab/go_ahead ("A second strike, which was planned for Wednesday 20 March, will go
       ahead"; "Members voted to strike on 20 March instead"; but "had been due to take place
       on 18 April" is the plan) */
    /* both read within GO_AHEAD_REACH bytes of the date: an endless sentence of a thousand
       events must not be read whole for each */
    enum { GO_AHEAD_REACH = 160 };
    size_t n;
    const cue *c = cues_in(sc->cues, sent, &n);
    for (size_t i = lower_bound_by(c, n, sizeof *c, offsetof(cue, start), date->end);
         i < n && c[i].start < date->end + GO_AHEAD_REACH; i++)
        if (c[i].tense == TENSE_FUTURE)
            return false;
    const rules_vocab *ga = rules_vocab_get(sc->r, "go_ahead");
    const char *t = a->text;
    size_t from = a->sentences[sent].start, to = a->sentences[sent].end;
    if (date->start > from + GO_AHEAD_REACH)
        from = date->start - GO_AHEAD_REACH;
    if (date->end + GO_AHEAD_REACH < to)
        to = date->end + GO_AHEAD_REACH;
    while (from > a->sentences[sent].start && from < to && ascii_isalpha((unsigned char)t[from - 1]))
        from++; /* not the tail of a word cut by the reach */
    for (size_t k = from, se = to; k < se;) {
        size_t e = k;
        while (e < se && ascii_isalpha((unsigned char)t[e]))
            e++;
        if (e > k && rules_vocab_find(ga, t + k, e - k))
            return false;
        k = e > k ? e : k + 1;
    }
    size_t lo, hi;
    sentence_triggers(a, sc->trig, sc->ntrig, sent - 1, &lo, &hi);
    for (size_t i = lo; i < hi; i++)
        if (same_family(sc->r, rule_type(sc->trig[i].rule), rule_type(m->rule)))
            return true;
    return false;
}

/* Whether a rule's `set` value says yes: given, and not "0". */
static bool set_to_yes(const char *v)
{
    return v && strcmp(v, "0") != 0;
}

/* Builds one event from a trigger, its date, its time (may be NULL) and its sentences. */
static event *make_event(const scene *sc, const rule_match *m, size_t sent, size_t last_sent, const timex *date,
                         const timex *time, bool discourse)
{
    const article *a = sc->a;
    event *e = xcalloc(1, sizeof *e);
    e->type = xstrdup(rule_type(m->rule));
    e->weak = rule_set_value(m->rule, "verb") != NULL;
    /* "other" says nothing and "festival" too little: the trigger ("King's Speech", "gala"),
       with the nouns before it ("antiques fair"), names the event; so it does for a rule that
       says so (`set named=1`: "the Essex Senior Cup semi-final", "a memorial football match") */
    const rule_slot *tr = rule_match_slot(m, "trigger");
    size_t ts = tr ? tr->start : m->start, te = tr ? tr->end : m->end;
    bool named = strcmp(e->type, "other") == 0 || strcmp(e->type, "festival") == 0 ||
                 set_to_yes(rule_set_value(m->rule, "named")) ||
                 (tr && rules_vocab_lookup(sc->r, "named_trigger", a->text + ts, te - ts));
    if (named && tr) {
        ts = name_start(sc->r, a->text, ts);
        e->name = xstrndup(a->text + ts, te - ts);
    } else if (tr && rules_vocab_lookup(sc->r, "qualified_trigger", a->text + ts, te - ts)) {
        /* nor does "March", a month as much as a march (vocab/qualified_trigger), where words
           before the noun say which ("a climate march"; "marched" names no march of its own) */
        size_t ns = name_start(sc->r, a->text, ts);
        if (ns < ts)
            e->name = xstrndup(a->text + (ts = ns), te - ns);
    }
    size_t purpose_at = 0;
    char *purpose = purpose_phrase(sc->r, a, m, &purpose_at, NULL);
    if (purpose && purpose_is_place(sc, purpose_at)) {
        free(purpose); /* "a fair is planned for the Town Hall": where, not what for */
        purpose = NULL;
    }
    /* a verb ("marched calling for a ceasefire") names its kind by the type instead, and so
       does a trigger that is the subject of the verb after it in the match ("Councillors will
       meet on Thursday for talks" is no "Councillors for talks") */
    bool verb = purpose && (e->weak || te < m->end ||
                            (te - ts > 3 && (ascii_strncaseeq(a->text + te - 2, "ed", 2) ||
                                             ascii_strncaseeq(a->text + te - 3, "ing", 3))));
    if (verb && m + 1 < sc->trig + sc->ntrig) {
        /* "will gather on Saturday for a rally": what a gathering verb is for may be the event
           itself, the next trigger (m is one of sc->trig), right at the phrase's start or
           after its article */
        size_t w = purpose_at, we = w;
        while (we < a->len && ascii_isalpha((unsigned char)a->text[we]))
            we++;
        if (we < a->len && a->text[we] == ' ' && rules_vocab_lookup(sc->r, "article", a->text + w, we - w))
            w = we + 1;
        if (m[1].start == w) {
            free(purpose);
            purpose = NULL;
        }
    }
    if (purpose) {
        /* "vigil for the children killed": what the event is for makes a better title */
        free(e->name);
        if (verb)
            e->name = xasprintf("%s %s", e->type, purpose);
        else
            e->name = xasprintf("%.*s %s", (int)(te - ts), a->text + ts, purpose);
        free(purpose);
    }
    e->timezone = xstrdup(a->timezone ? a->timezone : sc->opts->timezone);
    e->grain = date->grain >= G_DAY ? G_DAY : date->grain;
    e->vague = date->relative && date->grain < G_DAY;
    e->y = date->y;
    e->m = date->m;
    e->d = date->d;
    if (time) {
        e->has_time = true;
        e->hh = time->hh;
        e->mm = time->mm;
        e->listing = time->sentence == sent && listing_head(a, sent, time);
        /* "the council meeting at 7:30": kinds of event held in the evening (vocabulary
           evening_kind) read an unmarked 7 to 9 as the evening */
        if (time->ampm_guessed && e->hh >= 7 && e->hh <= 9 &&
            rules_vocab_lookup(sc->r, "evening_kind", e->type, strlen(e->type)))
            e->hh += 12;
        bool late = date->grain == G_POD && (strcmp(date->pod, "EV") == 0 || strcmp(date->pod, "NI") == 0);
        /* "at 7 o'clock on Friday evening": the day's part of day says which 7 */
        if (time->ampm_guessed && e->hh >= 1 && e->hh <= 11 && (late || (date->grain == G_POD && strcmp(date->pod, "AF") == 0)))
            e->hh += 12;
        /* "at 12 at night" after "on Friday", "at midnight on Friday night": the small hours
           that end that day are the next day's (a part of the day written next to the time
           only: "work overnight ... close by midnight" says no more than midnight) */
        if (time != date && (time->next_day || (late && e->hh < 5 && next_to_day(a->text, time, date)))) {
            ymd next = date_add_days((ymd){e->y, e->m, e->d}, 1);
            e->y = next.y, e->m = next.m, e->d = next.d;
        }
        e->grain = G_MINUTE;
        if (time->has_end_time) {
            e->has_end = true;
            e->end_has_time = true;
            ymd end = {e->y, e->m, e->d};
            if (time->eh * 60 + time->em <= e->hh * 60 + e->mm)
                end = date_add_days(end, 1); /* ends after midnight */
            e->ey = end.y, e->em = end.m, e->ed = end.d;
            e->eh = time->eh;
            e->emin = time->em;
        }
        apply_stated_zone(e, time);
    } else if (date->pod[0] && date->grain == G_POD) {
        str_copy(e->pod, sizeof e->pod, date->pod);
    }
    if (weekend(date) && !time) {
        /* an event of the weekend: its two days, all day */
        ymd sat = date_add_days((ymd){date->y, date->m, date->d}, 5), sun = date_add_days(sat, 1);
        e->y = sat.y, e->m = sat.m, e->d = sat.d;
        e->grain = G_DAY;
        e->vague = false; /* two days named, not background like "last month" */
        e->has_end = true;
        e->ey = sun.y, e->em = sun.m, e->ed = sun.d;
    }
    if (!e->has_end && date->has_end_date) {
        e->has_end = true;
        e->ey = date->ey;
        e->em = date->em_;
        e->ed = date->ed;
    }
    const timex *end_day = NULL, *end_tm = NULL, *length = NULL;
    timex later; /* a weekday end moved after its start: end_day may point here to the end */
    if (!e->has_end && date->sentence == sent) {
        for (size_t j = tx_from(sc->tx, sc->ntx, sent); j < sc->ntx && sc->tx[j].sentence == sent && !end_day; j++)
            if (range_end(sc, date, &sc->tx[j], &end_tm))
                end_day = &sc->tx[j];
        if (end_day && date_to_days(end_day->y, end_day->m, end_day->d) <= date_to_days(e->y, e->m, e->d) &&
            bare_weekday(sc, end_day)) {
            /* "opens Wednesday and runs through Sunday": the Sunday after the Wednesday, not
               the coming one it read alone */
            long gap = date_to_days(e->y, e->m, e->d) - date_to_days(end_day->y, end_day->m, end_day->d);
            later = *end_day;
            ymd on = date_add_days((ymd){later.y, later.m, later.d}, (int)(7 * (gap / 7 + 1)));
            later.y = on.y, later.m = on.m, later.d = on.d;
            end_day = &later;
        }
        if (end_day && date_to_days(end_day->y, end_day->m, end_day->d) > date_to_days(e->y, e->m, e->d))
            end_at_day(e, end_day, end_tm);
        else
            end_day = end_tm = NULL;
    }
    if (!e->has_end && e->grain >= G_DAY && !e->vague) {
        long minutes = event_length(sc, m, sent, &length);
        if (!minutes || !set_length(e, minutes, date->sentence == sent && date_is_last_day(sc, date)))
            length = NULL;
    }
    e->all_day = !e->has_time;
    /* a rule may know better than its kind ("fun run", "concert": festivals of a few hours) */
    const char *rm = rule_set_value(m->rule, "minutes");
    const char *dm = rm && atoi(rm) > 0 ? rm : rules_vocab_lookup(sc->r, "duration", e->type, strlen(e->type));
    e->default_minutes = dm ? atoi(dm) : 120;

    const place *paired = NULL;
    for (size_t i = 0; i < sc->npairs && !paired; i++)
        if (sc->pair_date[i] == date)
            paired = sc->pair_place[i];
    const place *where = paired && paired->name ? paired : place_for(sc, m, sent, last_sent, true);
    if (!where && last_sent + 1 < a->nsentences && starts_with_cue(sc, last_sent + 1, "continues"))
        where = place_for(sc, m, last_sent + 1, last_sent + 1, true); /* "... march. Begins at the Museum." */
    bool place_lent = false; /* from another sentence: inferred, not stated */
    if (!where && discourse && date->sentence < sent && !sentence_has_other_kind(sc, date->sentence, e->type)) {
        /* "The event, planned for Saturday at the city's main stage, ... The demonstration is
           scheduled for 6:30 p.m.": the sentence that gave the day, about no other kind of
           event and not a listing's header, also gives the place */
        size_t de = a->sentences[date->sentence].end;
        if (de == 0 || a->text[de - 1] != ':')
            where = place_for(sc, &(rule_match){.start = date->start, .end = date->end}, date->sentence, date->sentence,
                              true);
        place_lent = where != NULL;
    }
    const place *dest = NULL;
    if (where && strcmp(e->type, "march") == 0 && !where->end_point && where->start >= m->end &&
        heads_to(a->text + where->start)) {
        /* "start at St Peter's Church and march to West End Park": the place after "march to"
           is where it goes; where it starts is the sentence's other place, if it names one */
        const place *from = NULL;
        size_t bd = (size_t)-1;
        const ev_places *pls = need_places(sc);
        for (size_t i = pl_from(pls->pl, pls->n, sent); i < pls->n && pls->pl[i].sentence <= last_sent; i++) {
            const place *p = &pls->pl[i];
            size_t dd = detail_dist(m->start, m->end, p->start, p->end);
            if (p != where && p->name && p->sentence >= sent && p->sentence <= last_sent &&
                !heads_to(a->text + p->start) && dd < bd) {
                bd = dd;
                from = p;
            }
        }
        if (from) {
            dest = where;
            where = from;
        }
    }
    const place *town = paired && paired->locality ? paired : place_for(sc, m, sent, last_sent, false);
    if (paired && !paired->name && where && where != paired && !where->locality)
        where = NULL; /* "in Bury on Sunday": the other day's venue is not in Bury */
    if (where) {
        e->loc_name = xstrdup(where->name);
        if (where->locality)
            e->loc_locality = xstrdup(where->locality);
        if (where->end_point)
            e->end_point = xstrdup(where->end_point);
        else if (dest)
            e->end_point = xstrdup(dest->name);
    }
    if (!e->loc_locality) {
        const char *loc = town ? town->locality : need_places(sc)->main_locality;
        if (loc && (!e->loc_name || !ascii_strcaseeq(e->loc_name, loc)))
            e->loc_locality = xstrdup(loc);
    }
    if (e->loc_name && e->loc_locality && ascii_strcaseeq(e->loc_name, e->loc_locality)) {
        free(e->loc_name);
        e->loc_name = NULL;
    }
    const char *org = sentence_org(sc->cues, sent, a, sc->ar);
    if (org)
        e->organiser = xstrdup(org);

    /* status: what the text says first, then the date against the publication date */
    const tx_ref *ref = sc->ref;
    tense date_tense = timex_tense(sc->r, a, sc->cues, date);
    int64_t dday = date_to_days(e->y, e->m, e->grain >= G_DAY ? e->d : 1);
    int64_t rday = date_to_days(ref->y, ref->m, ref->d);
    const cue *moved = postponement(sc->cues, sent);
    /* the tense around its date tells when the event is ("opened on Tuesday"), unless the date
       is quoted, where a reporting verb outside the quote ("said: 'Tonight, a motion will
       ...'") misleads; then the cues nearest the trigger tell */
    tense told = date->sentence == sent && !quoted(a, sent, date->start) && !possessive_after(a, date) ? date_tense
                                                                                                     : TENSE_NONE;
    if (told == TENSE_NONE)
        told = trigger_tense(sc, m, sent);
    /* or the tense around its time, when it has a time of its own in a sentence about it
       ("numbers at the rally peaked about 11.30am"), not at the head of a listing's line */
    if (told == TENSE_NONE && time && time != date && time->sentence == sent && !quoted(a, sent, time->start) &&
        time->start > a->sentences[sent].start + 6)
        told = timex_tense(sc->r, a, sc->cues, time);
    bool ongoing = cue_in_sentence(sc->cues, sent, "ongoing");
    /* "has been cancelled and rescheduled for Oct. 24", "called off in January, has been
       rescheduled for March 20": the day it is put back to is still to come */
    /* "Organizers postponed the June 8 parade": a day that is the event's attribute is its old
       day, whatever side of the cue it stands */
    bool old_day = moved && date->sentence == sent && date->start >= moved->end && attributive_to(a, date, m);
    bool moved_to = moved && date->sentence == sent && date->start >= moved->end && !moved_from_day(date, moved, sc->cues, a) &&
                    !old_day;
    /* "called off ... and has been rescheduled for Saturday, Feb. 10": the day it was called
       off on was put back, not lost */
    if (cue_in_sentence(sc->cues, sent, "cancelled") && !moved_to &&
        !(moved && date->sentence == sent && date->end <= moved->start && moved_from_day(date, moved, sc->cues, a)))
        e->status = EV_CANCELLED;
    else if (old_day)
        e->status = EV_POSTPONED;
    else if (!moved && date->sentence == sent && prev_called_off(sc, m, sent, date, "cancelled") && planned_day(date, sc->cues))
        e->status = EV_CANCELLED; /* "... has been called off. GMB members had been due to walk out on 20 December" */
    else if (!moved && date->sentence == sent && prev_called_off(sc, m, sent, date, NULL) && planned_day(date, sc->cues))
        e->status = EV_POSTPONED; /* "... has been postponed. The meeting had been due to take place on 18 April" */
    else if (moved && (date->sentence > sent ? planned_day(date, sc->cues) : moved_from_day(date, moved, sc->cues, a)))
        e->status = EV_POSTPONED; /* the date it was moved from; a date after the cue is the new one */
    else if (!ref->known && (told != TENSE_NONE || ongoing))
        /* no publication date: the day stands in for one, so only the text can say whether it
           was still to come ("will take place") or had happened ("gathered") */
        e->status = told == TENSE_FUTURE ? EV_UPCOMING : EV_PAST;
    else if (e->grain >= G_DAY && dday == rday)
        /* the publication day: a report of it ("marched today", "is currently taking place")
           comes after the start, an announcement ("will gather at 6pm today") before */
        e->status = told == TENSE_PAST || ongoing ? EV_PAST : EV_UPCOMING;
    else if (e->grain >= G_DAY)
        /* begun but running on past the publication day ("opened on 8 November and will run
           until 22 December"): days of it are still ahead */
        e->status = dday < rday && !(e->has_end && date_to_days(e->ey, e->em, e->ed) > rday &&
                                     (told != TENSE_PAST || ongoing || cue_in_tense(sc->cues, sent, TENSE_FUTURE)))
                        ? EV_PAST
                        : EV_UPCOMING;
    else if (e->y * 12 + e->m != ref->y * 12 + ref->m)
        e->status = e->y * 12 + e->m < ref->y * 12 + ref->m ? EV_PAST : EV_UPCOMING;
    else
        e->status = date_tense == TENSE_PAST ? EV_PAST : EV_UPCOMING;

    /* confidence: how much was stated rather than inferred */
    double c = 0.55;
    if (!date->relative)
        c += 0.1;
    if (date->grain >= G_DAY)
        c += 0.1;
    if (e->has_time)
        c += 0.1;
    if (e->loc_name && !place_lent)
        c += 0.1;
    if (date_tense != TENSE_NONE)
        c += 0.05;
    if (last_sent != sent || discourse)
        c -= 0.1;
    if (date->weekday_mismatch)
        c -= 0.25;
    if (date->year_inferred && !rule_match_slot(m, "weekday"))
        c -= 0.02;
    if (!ref->known) {
        c -= 0.2;
        e->date_inferred = true;
    }
    e->confidence = round2(c);

    /* evidence: the sentence (and the next, if the date came from there) */
    size_t ss = a->sentences[sent].start, se = a->sentences[last_sent].end;
    if (se - ss > EVIDENCE_MAX) {
        /* a "sentence" of a list or of text without full stops may run for megabytes, and
           every event in it would carry a copy: keep the words around the trigger (and the
           date, when it is in the same stretch) */
        size_t c0 = m->start, c1 = m->end;
        if (!discourse && date->start >= ss && date->end <= se) {
            c0 = date->start < c0 ? date->start : c0;
            c1 = date->end > c1 ? date->end : c1;
        }
        size_t room = c1 - c0 < EVIDENCE_MAX ? (EVIDENCE_MAX - (c1 - c0)) / 2 : 0;
        size_t w0 = c0 - ss > room ? c0 - room : ss, w1 = se - c1 > room ? c1 + room : se;
        while (w0 > ss && w0 < c0 && !ascii_isspace((unsigned char)a->text[w0 - 1]))
            w0++; /* from a word's start */
        while (w1 < se && w1 > c1 && !ascii_isspace((unsigned char)a->text[w1]))
            w1--; /* to a word's end */
        ss = w0;
        se = w1;
    }
    ev_source *src = event_new_source(e);
    src->id = xstrdup(a->id);
    src->url = xstrdup(a->url);
    src->title = xstrdup(a->title);
    src->published = xstrdup(a->published);
    src->evidence = xstrndup(a->text + ss, se - ss);
    src->span_start = ss;
    src->span_end = se;
    add_reason(e, "trigger", m->rule, a, m->start, m->end);
    reason(sc, e, discourse ? "date (from an earlier sentence)" : "date", date->rule, date->start, date->end);
    if (time && time != date)
        reason(sc, e, "time", time->rule, time->start, time->end);
    if (end_day)
        reason(sc, e, "end", end_day->rule, end_day->start, end_day->end);
    if (end_tm && end_tm != end_day)
        reason(sc, e, "end time", end_tm->rule, end_tm->start, end_tm->end);
    if (length)
        reason(sc, e, "length", length->rule, length->start, length->end);
    if (where)
        reason(sc, e, "place", where->rule, where->start, where->end);
    for (size_t k = sent; k <= last_sent; k++) {
        size_t n;
        const cue *kc = cues_in(sc->cues, k, &n);
        for (size_t i = 0; i < n; i++)
            if (strcmp(kc[i].type, "block") != 0 && kc[i].end > ss && kc[i].start < se)
                reason(sc, e, "cue", kc[i].rule, kc[i].start, kc[i].end);
    }
    event_set_title(e);
    return e;
}

static bool compatible_text(const char *a, const char *b)
{
    return !a || !b || ascii_strcaseeq(a, b) || ascii_strcasestr(a, b) || ascii_strcasestr(b, a);
}

/* Whether name n is m with more words in front ("antiques fair" and "fair"), without case:
   a first mention that names the kind keeps its name when a later one says only "the fair". */
static bool name_extends(const char *n, const char *m)
{
    if (!n || !m)
        return false;
    size_t nl = strlen(n), ml = strlen(m);
    return nl > ml && n[nl - ml - 1] == ' ' && ascii_strncaseeq(n + nl - ml, m, ml);
}

/* Folds b, another mention in the same article, into a; b is freed. The mention with a clock
   time decides the kind, since it is the one that describes the gathering itself. */
static void absorb(event *a, event *b)
{
    if (a->weak && !b->weak) {
        /* "we are gathering at 11" and "the vigil": the noun says what the gathering is, and
           what it is called ("residents will meet ... for a protest against the plans") */
        free(a->type);
        a->type = str_take(&b->type);
        if (b->name) {
            free(a->name);
            a->name = str_take(&b->name);
        }
        a->weak = false;
    }
    if (!a->has_time && b->has_time) {
        if (!b->weak && b->type) {
            free(a->type);
            a->type = str_take(&b->type);
        }
        /* nor a name from a verb's gathering, which has none of its own ("the litter pick ...
           Volunteers will gather in the square at 10am") */
        /* nor none: "their home opener ... Kickoff is set for 7 p.m." keeps its name */
        if (!b->weak && b->name && !name_extends(a->name, b->name)) {
            free(a->name);
            a->name = str_take(&b->name);
        }
        a->has_time = true;
        a->hh = b->hh;
        a->mm = b->mm;
        a->grain = b->grain;
        a->all_day = false;
        if (!b->weak)
            a->default_minutes = b->default_minutes; /* a gathering's length is its kind's */
    }
    if (!a->has_end && b->has_end) {
        a->has_end = true;
        a->end_has_time = b->end_has_time;
        a->ey = b->ey, a->em = b->em, a->ed = b->ed, a->eh = b->eh, a->emin = b->emin;
    }
    if (!a->end_point && b->end_point && (!a->loc_name || !b->loc_name || compatible_text(a->loc_name, b->loc_name)))
        a->end_point = str_take(&b->end_point);
    if (!a->loc_name && b->loc_name)
        a->loc_name = str_take(&b->loc_name);
    else if (a->loc_name && b->loc_name && !a->end_point && !compatible_text(a->loc_name, b->loc_name))
        a->end_point = str_take(&b->loc_name); /* the same gathering named at a second place: where it goes */
    if (!a->loc_locality && b->loc_locality)
        a->loc_locality = str_take(&b->loc_locality);
    if (!a->organiser && b->organiser)
        a->organiser = str_take(&b->organiser);
    if (b->status == EV_CANCELLED || b->status == EV_POSTPONED)
        a->status = b->status;
    if (!a->pod[0] && b->pod[0] && !a->has_time)
        memcpy(a->pod, b->pod, sizeof a->pod);
    if (b->confidence > a->confidence)
        a->confidence = b->confidence;
    event_reserve_reasons(a, b->nreasons);
    for (size_t i = 0; i < b->nreasons; i++) {
        a->reasons[a->nreasons++] = b->reasons[i];
        memset(&b->reasons[i], 0, sizeof b->reasons[i]);
    }
    event_set_title(a);
    event_free(b);
}

/* True if a trigger of x and a trigger of y stand in one sentence of the article (x and y may
   have absorbed other mentions: each keeps its triggers among its reasons). */
static bool share_sentence(const article *art, const event *x, const event *y)
{
    for (size_t i = 0; i < x->nreasons; i++) {
        if (strcmp(x->reasons[i].what, "trigger") != 0)
            continue;
        size_t sx = article_sentence_at(art, x->reasons[i].start);
        for (size_t j = 0; j < y->nreasons; j++)
            if (strcmp(y->reasons[j].what, "trigger") == 0 && article_sentence_at(art, y->reasons[j].start) == sx)
                return true;
    }
    return false;
}

/* Whether vote x is taken at meeting y: "will take a final vote on the ordinance at its meeting
   next Tuesday", the meeting's trigger right after "at its", "at the" or "during its" in the
   vote's sentence, after the vote's. */
static bool vote_at_meeting(const rules *r, const article *art, const event *x, const event *y)
{
    if (strcmp(x->type, "vote") != 0 || strcmp(y->type, "meeting") != 0)
        return false;
    for (size_t i = 0; i < x->nreasons; i++) {
        if (strcmp(x->reasons[i].what, "trigger") != 0)
            continue;
        size_t vx = x->reasons[i].start, sx = article_sentence_at(art, vx);
        for (size_t j = 0; j < y->nreasons; j++) {
            size_t my = y->reasons[j].start;
            if (strcmp(y->reasons[j].what, "trigger") != 0 || my <= vx || article_sentence_at(art, my) != sx)
                continue;
            /* the two words before it, one space apiece (vocab/meeting_at) */
            const char *t = art->text;
            size_t e = my, s = my;
            for (int w = 0; w < 2 && s > 0 && t[s - 1] == ' '; w++) {
                s--;
                while (s > 0 && ascii_isalpha((unsigned char)t[s - 1]))
                    s--;
            }
            if (e > s + 1 && t[e - 1] == ' ' && rules_vocab_lookup(r, "meeting_at", t + s, e - 1 - s))
                return true;
        }
    }
    return false;
}

/* Whether two events' places can be one: the same place, or one's start or end named by the
   other ("march from Church Square to the Union Buildings", "the march to the Union
   Buildings"), in compatible towns. */
static bool places_compatible(const rules *r, const event *a, const event *b)
{
    bool places = compatible_text(a->loc_name, b->loc_name) ||
                  (a->end_point && compatible_text(a->end_point, b->loc_name)) ||
                  (b->end_point && compatible_text(a->loc_name, b->end_point));
    /* a town the vocabulary does not know was guessed from "in Nine Elms": it may be a part
       of the other ("marched through central London", "ended at the embassy in Nine Elms") */
    bool guessed = (a->loc_locality && !rules_vocab_lookup(r, "locality", a->loc_locality, strlen(a->loc_locality))) ||
                   (b->loc_locality && !rules_vocab_lookup(r, "locality", b->loc_locality, strlen(b->loc_locality)));
    return places && (guessed || compatible_text(a->loc_locality, b->loc_locality));
}

static bool same_in_article(const rules *r, const article *art, const event *a, const event *b)
{
    /* "every Saturday" and one Saturday are two entries of a calendar; but "will launch next
       month" and "will run on the first Friday of every month from September" are one, the
       month the one the rule first falls in */
    if (!ev_recur_equal(&a->recur, &b->recur) &&
        !((a->recur.freq == EV_ONCE && a->grain < G_DAY && a->grain >= G_MONTH && b->grain >= G_DAY) ||
          (b->recur.freq == EV_ONCE && b->grain < G_DAY && b->grain >= G_MONTH && a->grain >= G_DAY)))
        return false;
    if (a->y != b->y || a->m != b->m)
        return false;
    if (!same_family(r, a->type, b->type) && !a->weak && !b->weak && !vote_at_meeting(r, art, a, b) &&
        !vote_at_meeting(r, art, b, a))
        return false;
    if ((a->grain >= G_DAY) != (b->grain >= G_DAY))
        /* "converged on Parliament House for the March in March protest" and the day's march
           there: the article's month mention of a kind of event it also dates to a day of that
           month is that event, unless the places differ */
        return places_compatible(r, a, b);
    if (a->grain >= G_DAY && a->d != b->d)
        return false;
    /* "The Cygnet Folk Festival ... from Friday 12 January until Sunday 14 January" and "The
       opening concert begins at 6pm on Friday": a timed item of a programme of several days,
       named otherwise, is an event of its own */
    bool a_days = event_spans_days(a), b_days = event_spans_days(b);
    if (a_days != b_days && (a_days ? b : a)->has_time && a->name && b->name && !compatible_text(a->name, b->name))
        return false;
    /* "The march will finish at the Central Bank at 4.45pm": an end without a start belongs to
       the day's timed gathering of that kind, wherever it ends */
    bool a_end_only = a->has_end && a->end_has_time && !a->has_time;
    bool b_end_only = b->has_end && b->end_has_time && !b->has_time;
    if ((a_end_only && b->has_time) || (b_end_only && a->has_time))
        return true;
    /* "gather at the Custom House at 13:30 and march to Dublin Port": one sentence, one
       gathering, whose second place is where it goes; but "we march in Bizana and in Durban"
       is one in each town */
    if (a->sources[0].span_start == b->sources[0].span_start || share_sentence(art, a, b)) {
        if (!compatible_text(a->loc_locality, b->loc_locality))
            return false;
        if (!a->has_time || !b->has_time || (a->hh == b->hh && a->mm == b->mm))
            return true;
    }
    if (a->has_time && b->has_time) {
        /* a report tells the course of a gathering by its times ("began their march about
           10.45am ... numbers at the rally peaked about 11.30am"); an announcement's times
           are items of a programme */
        bool course = a->status == EV_PAST && b->status == EV_PAST && !a->listing && !b->listing;
        if ((a->hh != b->hh || a->mm != b->mm) && !course)
            return false;
        /* two timed entries of a listing ("1 p.m.: a march ... Protest to begin at Vine
           Street", "1 p.m.: March for health workers") are two events, whatever their kinds:
           a listing names each event once */
        if (a->listing && b->listing && a->sources[0].span_start != b->sources[0].span_start)
            return false;
    }
    return places_compatible(r, a, b);
}

/* What date t bounds of a recurring event, by the words before it (vocabulary
   recur_bound: "starting on", "until", "in"): "start", "end", "within", or NULL. */
static const char *bound_role(const scene *sc, const timex *t)
{
    const char *text = sc->a->text;
    size_t s0 = sc->a->sentences[t->sentence].start;
    size_t e1 = t->start;
    while (e1 > s0 && text[e1 - 1] == ' ')
        e1--;
    size_t b1 = e1;
    while (b1 > s0 && ascii_isalpha((unsigned char)text[b1 - 1]))
        b1--;
    if (b1 == e1)
        return NULL;
    size_t e2 = b1;
    while (e2 > s0 && text[e2 - 1] == ' ')
        e2--;
    size_t b2 = e2;
    while (b2 > s0 && ascii_isalpha((unsigned char)text[b2 - 1]))
        b2--;
    const char *v = b2 < e2 ? rules_vocab_lookup(sc->r, "recur_bound", text + b2, e1 - b2) : NULL;
    return v ? v : rules_vocab_lookup(sc->r, "recur_bound", text + b1, e1 - b1);
}

/* True when date t follows the rule `set` closely, only a bound word between ("daily from 1
   to 7 July", "every Saturday until 31 August"): t bounds that rule, whichever trigger it is
   nearer ("daily from 1 to 7 July, with concerts on the pier"). */
static bool bounds_rule(const scene *sc, const timex *set, const timex *t, size_t sent)
{
    if (t->start < set->end || t->start - set->end > 24 || !bound_role(sc, t))
        return false;
    for (size_t k = trig_from(sc, sent); k < trig_from(sc, sent + 1); k++)
        if (sc->trig[k].start >= set->end && sc->trig[k].start < t->start)
            return false;
    return true;
}

/*
 * "The market is held every Saturday in June", "classes every Tuesday evening ..., starting on
 * 4 June", "on the first Sunday of every month from June", "daily from 1 to 7 July": the event
 * of trigger m (the ti-th, in sentence sent) recurs when its sentence states a rule that
 * repeats on weekdays, or daily with a date that ends it (a SET of timex), nearer m than any
 * other trigger, and announces it: not told in the past ("the
 * vigil was held every Sunday"), not called off.  Dates of the sentence that are m's bound
 * the rule, as the words before them say (bound_role(); a day alone is where it starts, a
 * month alone when it runs).  Fills *rec and *first, the first occurrence on or after both
 * the publication day and the stated start, and returns the SET; NULL when there is no such
 * rule or it ends before it would start, and the event is then read as a one-off.
 */
static const timex *recurrence_of(const scene *sc, const rule_match *m, size_t ti, size_t sent, ev_recur *rec,
                                  ymd *first, const timex **hours)
{
    *hours = NULL;
    const timex *tx = sc->tx, *set = NULL;
    for (size_t i = tx_from(tx, sc->ntx, sent); i < sc->ntx && tx[i].sentence == sent; i++) {
        const timex *t = &tx[i];
        if (t->type != TX_SET || !(t->set_days || t->set_daily) || (t->start < m->end && m->start < t->end) ||
            nearest_trigger(sc, sent, t->start, t->end) != ti)
            continue;
        if (set)
            return NULL; /* two rules: which the event follows is not clear */
        set = t;
    }
    if (!set || sentence_tense_clear(sc, sent) == TENSE_PAST || trigger_tense(sc, m, sent) == TENSE_PAST ||
        cue_in_sentence(sc->cues, sent, "cancelled") || postponement(sc->cues, sent))
        return NULL;
    ev_recur r = {.freq = set->set_ords ? EV_MONTHLY : EV_WEEKLY,
                  .interval = set->set_interval > 1 ? set->set_interval : 1,
                  .days = set->set_days,
                  .ords = set->set_ords};
    if (!set->set_days)
        r = (ev_recur){.freq = EV_DAILY, .interval = 1};
    if (r.freq == EV_MONTHLY && r.days != EV_DAY(ev_days_first(r.days)))
        return NULL; /* "the first Saturday and Sunday of the month": no rule eventcal writes */
    const tx_ref *ref = sc->ref;
    int64_t from = date_to_days(ref->y, ref->m, ref->d), until = INT64_MAX;
    for (size_t i = tx_from(tx, sc->ntx, sent); i < sc->ntx && tx[i].sentence == sent; i++) {
        const timex *t = &tx[i];
        /* a bound may come with the hours written after it: "every Friday through March 22
           from 4:30 to 7 p.m." reads "March 22 from 4:30 to 7 p.m." as one time */
        bool timed = t->type == TX_TIME && t->has_time && t->grain >= G_DAY;
        if (t == set || (t->type != TX_DATE && !timed) || !usable_date(t) || t->date_from_context || weekend(t) ||
            (nearest_trigger(sc, sent, t->start, t->end) != ti && !bounds_rule(sc, set, t, sent)))
            continue;
        const char *role = bound_role(sc, t);
        if (timed && (!role || strcmp(role, "end") != 0))
            continue;
        if (blocked(t, sc->cues, sc->a) && !(role && strcmp(role, "end") == 0))
            continue; /* "since May": no bound of what is to come; "until" is one */
        bool day = t->grain >= G_DAY;
        int64_t lo = date_to_days(t->y, t->m, day ? t->d : 1);
        int64_t hi = t->has_end_date ? date_to_days(t->ey, t->em_, t->ed)
                     : day           ? lo
                                     : date_to_days(t->y, t->m, date_days_in_month(t->y, t->m));
        if (!role)
            role = day && !t->has_end_date ? "start" : "within";
        if (strcmp(role, "end") != 0 && lo > from)
            from = lo;
        if ((strcmp(role, "start") != 0 || t->has_end_date) && hi < until) {
            until = hi;
            *hours = timed ? t : NULL;
        }
    }
    if (until == INT64_MAX && r.freq == EV_DAILY)
        return NULL; /* "they meet every day": an event's days are bounded ("daily until Sunday") */
    if (until != INT64_MAX) {
        ymd u = date_from_days(until);
        r.has_until = true;
        r.uy = u.y, r.um = u.m, r.ud = u.d;
    }
    ymd f = date_from_days(from);
    if (!ev_recur_next(&r, f.y, f.m, f.d, &first->y, &first->m, &first->d))
        return NULL;
    /* "in June" ends with June's last Saturday: the rule says the day itself, so that two
       reports of one rule ("in June", "until 30 June") are one */
    if (r.has_until && !ev_recur_last(&r, first->y, first->m, first->d, &r.uy, &r.um, &r.ud))
        return NULL;
    *rec = r;
    return set;
}

/* A copy of t (in the arena) on day y-m-d, as written there: the hours of one mention on the
   day of another. */
static timex *on_day(arena *ar, const timex *t, int y, int m, int d)
{
    timex *on = arena_alloc(ar, sizeof *on);
    *on = *t;
    on->y = y, on->m = m, on->d = d;
    on->has_end_date = false;
    on->date_from_context = false;
    return on;
}

/*
 * The days of the events found so far in sentence `sent` (out[0..nout), those of this article
 * from sc->first_new), each as a copy of the bare time `bare` on that day, into days (room for
 * `room`): the days "both days" and "each day" speak of.  Their number; fewer than two say
 * nothing to list.
 */
static size_t days_of_sentence(const scene *sc, size_t sent, event *const *out, size_t nout, const timex *bare,
                               const timex **days, size_t room)
{
    size_t n = 0;
    for (size_t i = sc->first_new; i < nout && n < room; i++) {
        const event *e = out[i];
        if (e->grain < G_DAY || !e->nsources || article_sentence_at(sc->a, e->sources[0].span_start) != sent)
            continue;
        bool seen = false;
        for (size_t k = 0; k < n && !seen; k++)
            seen = days[k]->y == e->y && days[k]->m == e->m && days[k]->d == e->d;
        if (seen)
            continue;
        days[n++] = on_day(sc->ar, bare, e->y, e->m, e->d);
    }
    return n;
}

/* An end that a recurring event's first occurrence would reach its next one by is the rule's
   bound, not the occurrence's ("at 6pm every day until Sunday" runs from 6pm, not to Sunday):
   dropped, so the default length applies. */
static void recur_drop_long_end(event *e)
{
    if (!e->has_end)
        return;
    int64_t first = date_to_days(e->y, e->m, e->d), next = next_day(&e->recur, first, first + 1);
    if (next < 0)
        return;
    int64_t end = date_to_days(e->ey, e->em, e->ed);
    int start_min = e->has_time ? e->hh * 60 + e->mm : 0, end_min = e->end_has_time ? e->eh * 60 + e->emin : 24 * 60;
    if (end > next || (end == next && end_min > start_min)) {
        e->has_end = e->end_has_time = false;
        e->ey = e->em = e->ed = e->eh = e->emin = 0;
    }
}

/* Appends e to the article's events; false when it has EVENTS_MAX_MENTIONS already, and then
   e is freed. */
static bool push(scene *sc, event ***out, size_t *nout, size_t *cap, event *e)
{
    if (*nout - sc->first_new >= EVENTS_MAX_MENTIONS) {
        sc->capped = true;
        event_free(e);
        return false;
    }
    if (*nout == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        *out = xrealloc(*out, *cap * sizeof **out);
    }
    (*out)[(*nout)++] = e;
    return true;
}

/* How far before "This year's event" or "Another is planned" the event it speaks of may be
   named: a few sentences. */
enum { ANAPHOR_REACH = 400 };

/*
 * "This year's event will be held on ...", "Another is planned for ...": the mention m of an
 * ANAPHOR rule stands for an event named before it (trig[0..ntrig), in text order) within
 * ANAPHOR_REACH bytes: the first of the last sentence that names one.  m takes that trigger's rule (its kind, and what it sets) and its
 * trigger's words (the event's name), and keeps its own place in the text, where its day,
 * time and place are read.  False when nothing named before is near enough.
 */
static bool anaphor_resolve(const char *text, const rule_match *trig, size_t ntrig, rule_match *m)
{
    if (!ntrig || trig[ntrig - 1].end > m->start || m->start - trig[ntrig - 1].end > ANAPHOR_REACH)
        return false;
    /* of the last sentence that names events (sentences are not split yet: a full stop, a
       question or exclamation mark before a space ends one), the first: its subject, as a
       rule ("Last year's festival was marred by a strike ... This year's event") */
    size_t k = ntrig - 1;
    while (k > 0 && m->start - trig[k - 1].end <= ANAPHOR_REACH) {
        bool ends = false;
        for (size_t p = trig[k - 1].end; p + 1 < trig[k].start && !ends; p++)
            ends = (text[p] == '.' || text[p] == '!' || text[p] == '?') && ascii_isspace((unsigned char)text[p + 1]);
        if (ends)
            break;
        k--;
    }
    const rule_match *ant = &trig[k];
    const rule_slot *at = rule_match_slot(ant, "trigger");
    rule_slot named = {"trigger", at ? at->start : ant->start, at ? at->end : ant->end, at ? at->value : NULL};
    m->rule = ant->rule;
    for (int i = 0; i < m->nslots; i++)
        if (strcmp(m->slots[i].name, "trigger") == 0) {
            m->slots[i] = named;
            return true;
        }
    if (m->nslots >= RULE_MAX_SLOTS)
        return false;
    m->slots[m->nslots++] = named;
    return true;
}

rule_match *events_triggers(const rules *r, rule_scanner *s, const article *a, arena *ar, size_t *n, size_t *needed,
                            bool *capped)
{
    /* all triggers before any event: which date belongs to which trigger, and whether a date
       in the next sentence may be borrowed, depend on the other triggers */
    (void)r;
    /* room is made at the first trigger: a match is 800 bytes, and many texts have none (an
       empty array, not NULL, for callers that take an address in it) */
    size_t ntrig = 0, tcap = 0, line_end = 0;
    rule_match *trig = arena_alloc(ar, 0);
    rule_match mm;
    size_t from = 0;
    *needed = 0;
    *capped = false;
    while (rule_scan_next(s, RK_EVENT, a->text, a->len, from, &mm)) {
        from = mm.end;
        if (strcmp(rule_type(mm.rule), "NONE") == 0)
            continue;
        if (strcmp(rule_type(mm.rule), "ANAPHOR") == 0 && !anaphor_resolve(a->text, trig, ntrig, &mm))
            continue;
        if (ntrig == EVENTS_MAX_TRIGGERS) {
            *capped = true;
            break;
        }
        /* "a protest rally", "the Pride parade": of two triggers in a row the second is the
           head noun and names the event, the first only says what kind it is */
        if (ntrig > 0 && trig[ntrig - 1].end < mm.start) {
            bool adjacent = true;
            for (size_t k = trig[ntrig - 1].end; k < mm.start && adjacent; k++)
                adjacent = a->text[k] == ' ';
            if (adjacent)
                ntrig--;
        }
        trig = arena_grow(ar, trig, ntrig, &tcap, sizeof *trig);
        trig[ntrig++] = mm;
        if (mm.start < line_end)
            continue;
        /* an event takes its date from its own sentence or the next one of its paragraph,
           which ends at a line break (in hard-wrapped prose at a blank line: the pipeline
           reads on to the end of the paragraph) */
        line_end = mm.start;
        while (line_end < a->len && a->text[line_end] != '\n')
            line_end++;
        /* a line that ends in a colon may head a listing whose items follow ("Protests this
           weekend:"): then the whole text may hold events */
        size_t t = line_end;
        while (t > mm.start && ascii_isspace((unsigned char)a->text[t - 1]))
            t--;
        if (t > mm.start && a->text[t - 1] == ':')
            line_end = a->len;
        *needed = line_end;
    }
    *n = ntrig;
    return trig;
}

static bool push(scene *sc, event ***out, size_t *nout, size_t *cap, event *e);

/*
 * "A public meeting ... has been postponed. The meeting had been due to take place on Thursday
 * 18 April. It will now be held on Thursday 2 May at 7pm.": an event put back (postponed on
 * day `was`) whose sentence names no new day gets the one a sentence right after it gives,
 * one of its paragraph without an event of its own, after a postponement cue there.
 */
static void put_back_to(scene *sc, const rule_match *m, size_t sent, size_t last_sent, const timex *was, event ***out,
                        size_t *nout, size_t *cap)
{
    const article *a = sc->a;
    for (size_t s2 = last_sent + 1; s2 < a->nsentences && s2 <= last_sent + 2; s2++) {
        if (a->sentences[s2].paragraph != a->sentences[sent].paragraph || sentence_has_trigger(sc, s2))
            return;
        const cue *pc = postponement(sc->cues, s2);
        if (!pc)
            continue;
        for (size_t i = tx_from(sc->tx, sc->ntx, s2); i < sc->ntx && sc->tx[i].sentence == s2; i++) {
            const timex *d = &sc->tx[i];
            if (d->start < pc->start || d->grain < G_DAY || !own_date(sc, d) ||
                date_to_days(d->y, d->m, d->d) <= date_to_days(was->y, was->m, was->d))
                continue;
            event *e = make_event(sc, m, sent, s2, d, time_for(sc, m, s2, s2, d), true);
            e->original_date = xasprintf("%04d-%02d-%02d", was->y, was->m, was->d);
            if (e->status == EV_POSTPONED)
                e->status = date_to_days(e->y, e->m, e->d) < date_to_days(sc->ref->y, sc->ref->m, sc->ref->d) ? EV_PAST
                                                                                                         : EV_UPCOMING;
            if (e->confidence < sc->opts->min_confidence)
                event_free(e);
            else
                push(sc, out, nout, cap, e);
            return;
        }
    }
}

/* The triggers of sentence s: trig[*lo..*hi), at most KINDS_READ of them (trig is in text
   order). */
enum { KINDS_READ = 8 };
static void sentence_triggers(const article *a, const rule_match *trig, size_t ntrig, size_t s, size_t *lo, size_t *hi)
{
    size_t ss = a->nsentences ? a->sentences[s].start : 0, se = a->nsentences ? a->sentences[s].end : a->len;
    size_t l = 0, h = ntrig;
    while (l < h) {
        size_t mid = l + (h - l) / 2;
        if (trig[mid].start < ss)
            l = mid + 1;
        else
            h = mid;
    }
    *lo = l;
    for (h = l; h < ntrig && trig[h].start < se && h - l < KINDS_READ;)
        h++;
    *hi = h;
}

/* Whether sentences s1 and s2 both name kinds of event and none of s1's is of a family of
   s2's. */
static bool other_kinds(const rules *r, const article *a, const rule_match *trig, size_t ntrig, size_t s1, size_t s2)
{
    size_t l1, h1, l2, h2;
    sentence_triggers(a, trig, ntrig, s1, &l1, &h1);
    sentence_triggers(a, trig, ntrig, s2, &l2, &h2);
    if (l1 == h1 || l2 == h2)
        return false;
    for (size_t i = l1; i < h1; i++)
        for (size_t j = l2; j < h2; j++)
            if (same_family(r, rule_type(trig[i].rule), rule_type(trig[j].rule)))
                return false;
    return true;
}

/*
 * "The march will start on Saturday May 11 ... Organisers say hundreds will join the march on
 * Saturday": a bare weekday a week away from a day the article wrote out with that weekday is
 * that day, as a reader takes it (the temporal rules resolve each mention on its own, by its
 * tense).  Returns the article's dates with such weekdays moved, in the arena (or `tx` itself
 * when none moves).
 */
static const timex *anchor_weekdays(const rules *r, const article *a, const tx_ref *ref, const timex *tx, size_t ntx,
                                    cue_set *cues, const rule_match *trig, size_t ntrig, arena *ar)
{
    timex *moved = NULL;
    const timex *written = NULL; /* the last date written out before tx[j] (a forward pass:
                                    looking back from each weekday was quadratic in a list of them) */
    for (size_t j = 0; j < ntx; j++) {
        if (j > 0) {
            const timex *o = &tx[j - 1];
            if (!o->relative && o->grain >= G_DAY && !o->date_from_context && usable_date(o) &&
                !cue_right_before(o, cues, a, "block"))
                written = o;
        }
        const timex *t = &tx[j];
        if (!t->relative || t->grain < G_DAY || t->date_from_context || (t->type != TX_DATE && t->type != TX_TIME))
            continue;
        size_t w = t->start;
        while (w < t->end && ascii_isalpha((unsigned char)a->text[w]))
            w++;
        if (!rules_vocab_lookup(r, "weekday", a->text + t->start, w - t->start))
            continue; /* "next Saturday", "tomorrow": not a bare weekday */
        int64_t tday = date_to_days(t->y, t->m, t->d), to = tday;
        /* only the last date written out anchors, and not across paragraphs about events of
           other kinds ("A protest is planned for March 9.\n\nThe craft fair runs on Saturday and
           Sunday"; "Nurses will strike on Tuesday, March 12. A rally will be held outside the
           hospital on Tuesday." is that Tuesday) */
        if (written) {
            int64_t oday = date_to_days(written->y, written->m, written->d);
            if ((oday - tday == 7 || tday - oday == 7) &&
                (a->sentences[written->sentence].paragraph == a->sentences[t->sentence].paragraph ||
                 !other_kinds(r, a, trig, ntrig, written->sentence, t->sentence)))
                to = oday;
            /* "runs from Friday 9 August to Sunday 11 August ... Saturday: A farmers' market
               runs in the courtyard": a weekday heading a programme after a span of days (at
               most two weeks) that holds one is that day of it */
            int64_t oend = written->has_end_date ? date_to_days(written->ey, written->em_, written->ed) : oday;
            if (to == tday && oend > oday && oend - oday <= 14 && (tday < oday || tday > oend) &&
                weekday_heading(a, t)) {
                int wd = date_weekday(t->y, t->m, t->d), wd0 = date_weekday(written->y, written->m, written->d);
                int64_t in = oday + (wd - wd0 + 7) % 7;
                if (in <= oend)
                    to = in;
            }
        }
        /* "Saturday's march will start at noon": the temporal rules read a weekday with 's as a
           day something already happened on; in a sentence told only in the future it is the
           coming one */
        bool names_event = false; /* "Saturday's march", not "Saturday's shooting" */
        for (size_t i = 0; i < ntrig && !names_event; i++)
            names_event = trig[i].start >= t->end && trig[i].start - t->end <= 24;
        if (to == tday && names_event && possessive_after(a, t) && tday < date_to_days(ref->y, ref->m, ref->d)) {
            bool past = false, future = false;
            size_t n;
            const cue *c = cues_in(cues, t->sentence, &n);
            for (size_t i = 0; i < n; i++) {
                past = past || c[i].tense == TENSE_PAST;
                future = future || c[i].tense == TENSE_FUTURE;
            }
            if (future && !past)
                to = tday + 7;
        }
        /* "The concert, originally planned for Thursday, has been postponed to 21 March", said on
           a Monday: the day a postponement moves an event from is told in the past tense, but
           a postponement is news before that day, so a weekday of the past week is the coming
           one when the new day, written right after the cue or the old day ("to 21 March",
           "for Friday"), comes after that */
        int64_t rday = date_to_days(ref->y, ref->m, ref->d);
        const cue *pc = to == tday && tday < rday && tday > rday - 7 ? postponement(cues, t->sentence) : NULL;
        if (pc && moved_from_day(t, pc, cues, a)) {
            size_t after = t->start > pc->end ? t->end : pc->end;
            for (size_t k = j + 1; k < ntx && tx[k].sentence == t->sentence; k++) {
                const timex *n = &tx[k];
                if (n->start < after || !usable_date(n) || n->date_from_context || n->grain < G_DAY)
                    continue;
                /* at most a short word between: "to", "until", "for" (8 bytes with its spaces) */
                bool right_after = n->start - after <= 8;
                for (size_t q = after; q < n->start && right_after; q++)
                    right_after = ascii_isalpha((unsigned char)a->text[q]) || a->text[q] == ' ';
                if (right_after && !blocked(n, cues, a) && date_to_days(n->y, n->m, n->d) > tday + 7)
                    to = tday + 7;
                break;
            }
        }
        if (to != tday) {
            if (!moved) {
                moved = arena_alloc(ar, ntx * sizeof *moved);
                memcpy(moved, tx, ntx * sizeof *moved);
            }
            ymd d = date_add_days((ymd){t->y, t->m, t->d}, to - tday);
            moved[j].y = d.y, moved[j].m = d.m, moved[j].d = d.d;
        }
    }
    return moved ? moved : tx;
}

/* "Campaigners had planned a rally on Saturday. The rally has been postponed.": a sentence that
   calls off or puts back an event of a kind without naming a day (m, its trigger, in sentence
   sent) speaks of the last one of that kind the article announced, which keeps its day.  Events
   already over are not the one meant. */
static void called_off_before(const scene *sc, const rule_match *m, size_t sent, event **out, size_t nout)
{
    bool cancelled = cue_in_sentence(sc->cues, sent, "cancelled");
    if (!cancelled && !postponement(sc->cues, sent))
        return;
    const char *type = rule_type(m->rule);
    for (size_t i = nout; i-- > sc->first_new;) {
        event *e = out[i];
        if (strcmp(e->type, type) != 0)
            continue;
        if (e->status == EV_UPCOMING)
            e->status = cancelled ? EV_CANCELLED : EV_POSTPONED;
        return;
    }
}

size_t events_extract(const rules *r, const article *a, const rule_match *trig, size_t ntrig, const tx_ref *ref,
                      const timex *tx, size_t ntx, size_t tx_cut, bool *tx_short, cue_set *cues,
                      ev_places *places, const event_opts *opts, arena *ar, event ***out, size_t *nout, size_t *cap,
                      bool *capped)
{
    size_t first_new = *nout;
    tx = anchor_weekdays(r, a, ref, tx, ntx, cues, trig, ntrig, ar);
    size_t *trig_sent = arena_alloc(ar, (ntrig ? ntrig : 1) * sizeof *trig_sent);
    for (size_t i = 0; i < ntrig; i++)
        trig_sent[i] = article_sentence_at(a, trig[i].start);
    scene sc = {.r = r, .a = a, .ref = ref, .tx = tx, .ntx = ntx, .cues = cues, .places = places, .opts = opts,
                .ar = ar, .trig = trig, .ntrig = ntrig, .trig_sent = trig_sent, .first_new = first_new};
    timed_index(&sc);
    sc.pair_date = arena_alloc(ar, (MAX_LIST_DAYS + 1) * sizeof *sc.pair_date);
    sc.pair_place = arena_alloc(ar, (MAX_LIST_DAYS + 1) * sizeof *sc.pair_place);

    const timex **mine = arena_alloc(ar, (ntx + MAX_LIST_DAYS + 1) * sizeof *mine);
    for (size_t ti = 0; ti < ntrig; ti++) {
        const rule_match *m = &trig[ti];
        size_t sent = article_sentence_at(a, m->start);
        if (cue_in_sentence(cues, sent, "negation"))
            continue; /* "there will be no march" */
        if (generic_list(&sc, ti))
            continue; /* "demonstrations, vigils and protests are scheduled": kinds, not one event */
        if (background(&sc, m))
            continue; /* "the polls opened amid protests" */
        if (people_of_other(&sc, ti))
            continue; /* "protesters ... for a rally" */
        if (in_purpose(&sc, ti))
            continue; /* "a candidates' forum for the local elections": what the forum is for */

        /* "every Saturday in June": one event that recurs, starting on its first day */
        ev_recur rec;
        ymd first;
        const timex *bound_hours;
        const timex *set = recurrence_of(&sc, m, ti, sent, &rec, &first, &bound_hours);
        if (set) {
            timex *on = arena_alloc(ar, sizeof *on);
            *on = *set;
            on->type = TX_DATE;
            on->grain = set->pod[0] ? G_POD : G_DAY; /* "every Tuesday evening": which 7 */
            on->y = first.y, on->m = first.m, on->d = first.d;
            on->relative = on->duration_like = on->has_end_date = on->has_time = false;
            snprintf(on->value, sizeof on->value, "%04d-%02d-%02d", first.y, first.m, first.d);
            /* the hours its sentence states, not those of another event on its first day */
            const timex *time = time_for(&sc, m, sent, sent, on);
            if (time && time->sentence != sent)
                time = NULL;
            if (!time && bound_hours)
                time = on_day(ar, bound_hours, first.y, first.m, first.d); /* each occurrence's hours */
            event *e = make_event(&sc, m, sent, sent, on, time, false);
            e->recur = rec;
            recur_drop_long_end(e);
            if (e->status != EV_CANCELLED && e->status != EV_POSTPONED)
                e->status = event_recur_status(e, ref->y, ref->m, ref->d);
            if (e->confidence < opts->min_confidence)
                event_free(e);
            else
                push(&sc, out, nout, cap, e);
            continue;
        }
        /* the dates of this sentence that are nearer this trigger than any other */
        size_t nmine = 0;
        sc.npairs = 0;
        const timex *nearest = NULL;
        size_t nd = (size_t)-1;
        bool any_time_expr = false;
        /* "teachers will rally on Sept. 21 ahead of the vote": the vote is later than what the
           sentence dates before it ("ahead of the election in December" is dated after it; "ahead
           of the Nov. 5 vote" is no lead: led_by() stops at the date) */
        int later = -1; /* led_by(), asked when a date comes before the trigger */
        int later_day = -1; /* day_after_m(), asked when a date follows a dated verb */
        bool nearest_attr = false;
        /* "The May Day festival will be held on Monday May 6": a named day in the event's name
           names it, and the day the sentence gives it is when it is held */
        bool day_given = false;
        for (size_t i = tx_from(tx, ntx, sent); i < ntx && tx[i].sentence == sent && !day_given; i++)
            day_given = tx[i].grain >= G_DAY && own_date(&sc, &tx[i]) && !named_day_of(&sc, &tx[i], m);
        for (size_t i = tx_from(tx, ntx, sent); i < ntx && tx[i].sentence == sent; i++) {
            const timex *t = &tx[i];
            any_time_expr = true;

            if ((day_given || season_named(&sc, t)) && named_day_of(&sc, t, m))
                continue; /* "the Christmas parade starts at 4.30pm": a season, not a day */
            /* a word read both as the event and as its date ("March") is only one of them */
            if (!own_date(&sc, t) || attributive_elsewhere(&sc, t, m) || person_clause_elsewhere(&sc, t, m) ||
                (t->start < m->end && m->start < t->end))
                continue;
            if (t->end <= m->start && later && (later > 0 || (later = led_by(&sc, m, "ahead_lead", 3))))
                continue;
            /* "voted Tuesday to hold a public meeting ... on July 10": when it was decided,
               when a clause follows or the sentence gives the event a day after it ("The
               board approved March 12 as the date for a public hearing" is the hearing's) */
            if (t->end <= m->start && verb_dated(&sc, t) && (clause_after(&sc, t) || day_after_m(&sc, sent, m, &later_day)))
                continue;
            /* a date nearer another trigger is that trigger's, unless this one has no other
               (nearness as for other details: "rally on Saturday, after the vote" puts the
               date after the rally and before the vote, which counts double) */
            size_t dd = detail_dist(m->start, m->end, t->start, t->end);
            if (nearest_trigger(&sc, sent, t->start, t->end) != ti) {
                /* "other" triggers (a speech, a ceremony) are too loose to borrow a date */
                if (strcmp(rule_type(m->rule), "other") == 0)
                    continue;
                dd += a->len;
            }
            /* a date of its own beats one nearer another trigger ("demonstrations will take
               place that day ... the election last month"); then one that is an attribute of
               the trigger's noun ("early voting for the Nov. 5 general election begins Oct.
               1"); then day precision beats month precision; then nearness */
            bool mine_t = dd < a->len, mine_n = nd < a->len;
            bool attr_t = attributive_to(sc.a, t, m), attr_n = nearest && nearest_attr;
            bool t_day = t->grain >= G_DAY, n_day = nearest && nearest->grain >= G_DAY;
            if (!nearest || (mine_t && !mine_n) ||
                (mine_t == mine_n &&
                 ((attr_t && !attr_n) ||
                  (attr_t == attr_n && ((t_day && !n_day) || (t_day == n_day && dd < nd)))))) {
                nearest = t;
                nd = dd;
                nearest_attr = attr_t;
            }
        }
        size_t last_sent = sent;
        bool discourse = false;
        if (nearest) {
            /* a list ("on October 1, 13, 20 and 25") gives one event per date */
            mine[nmine++] = nearest;
            /* "between Tuesday and Thursday" is a range (range_end()), not a list */
            if (nearest->grain >= G_DAY && nd < a->len && !range_opener(&sc, nearest)) {
                const timex *prev = nearest;
                size_t i = (size_t)(nearest - tx) + 1;
                for (;; i++) {
                    /* bare day numbers between list items, or after the last one */
                    size_t gap_end = i < ntx && tx[i].sentence == sent ? tx[i].start : a->sentences[sent].end;
                    size_t before = nmine;
                    bool joined = list_days(&sc, prev, prev->end, gap_end, mine, &nmine, ntx + MAX_LIST_DAYS);
                    if (!joined) {
                        /* the tail after the list ("... and 30 after talks") ends it */
                        nmine = before;
                        list_days(&sc, prev, prev->end, list_tail(a->text, prev->end, gap_end), mine, &nmine,
                                  ntx + MAX_LIST_DAYS);
                    }
                    if (nmine > before)
                        prev = mine[nmine - 1];
                    const place *pp;
                    bool pl_after;
                    if (!joined && nmine == before && i < ntx && tx[i].sentence == sent && own_date(&sc, &tx[i]) &&
                        tx[i].grain >= G_DAY && nearest_trigger(&sc, sent, tx[i].start, tx[i].end) == ti &&
                        sc.npairs + 2 <= MAX_LIST_DAYS &&
                        paired_gap(&sc, sent, prev->end, tx[i].start, &pp, &pl_after)) {
                        /* "at the library on 12 March, and at the community centre on 14
                           March": a list of days, each at its own place */
                        joined = true;
                        if (!pl_after) {
                            sc.pair_date[sc.npairs] = &tx[i];
                            sc.pair_place[sc.npairs++] = pp;
                        } else {
                            const place *next = place_right_after(&sc, sent, &tx[i]);
                            sc.pair_date[sc.npairs] = prev;
                            sc.pair_place[sc.npairs++] = pp;
                            if (next) {
                                sc.pair_date[sc.npairs] = &tx[i];
                                sc.pair_place[sc.npairs++] = next;
                            }
                        }
                    }
                    if (!joined || i >= ntx || tx[i].sentence != sent || !own_date(&sc, &tx[i]) || tx[i].grain < G_DAY ||
                        nmine >= ntx + MAX_LIST_DAYS)
                        break;
                    /* "yesterday (Thursday)": a weekday after a date of that weekday names it
                       again (a list of weekdays, "Friday and Saturday", stays a list) */
                    if (tx[i].relative && tx[i].rule != mine[nmine - 1]->rule &&
                        date_weekday(prev->y, prev->m, prev->d) == date_weekday(tx[i].y, tx[i].m, tx[i].d))
                        continue;
                    /* "Friday 22 March - Sunday 24 March": the last day of a range, not another
                       day; the list may go on after it ("... and Saturday 16 March - Sunday 17
                       March") */
                    const timex *range_tm;
                    if (range_end(&sc, prev, &tx[i], &range_tm)) {
                        prev = &tx[i];
                        continue;
                    }
                    mine[nmine++] = prev = &tx[i];
                }
                /* "on 12 and 13 March, and again on 20 March": a day after "again" is another
                   day of it, unless it is nearer another trigger */
                size_t k = tx_from(tx, ntx, sent);
                while (k < ntx && tx[k].sentence == sent && tx[k].start < prev->end)
                    k++;
                for (; k < ntx && tx[k].sentence == sent && nmine < ntx + MAX_LIST_DAYS; k++) {
                    if (!own_date(&sc, &tx[k]) || tx[k].grain < G_DAY || !again_between(r, a->text, prev->end, tx[k].start) ||
                        nearest_trigger(&sc, sent, tx[k].start, tx[k].end) != ti)
                        break;
                    mine[nmine++] = prev = &tx[k];
                }
                prev = nearest;
                for (size_t j = (size_t)(nearest - tx); j-- > 0 && tx[j].sentence == sent;) {
                    const timex *range_tm;
                    if (!own_date(&sc, &tx[j]) || tx[j].grain < G_DAY || !list_joined(a->text, tx[j].end, prev->start) ||
                        nmine >= ntx + MAX_LIST_DAYS)
                        break;
                    if (range_end(&sc, &tx[j], prev, &range_tm)) {
                        /* "Fri 22/3 - Sun 24/3: ... Festival": the day nearest the trigger ends
                           a range; its first day stands for it, and make_event() finds the end */
                        for (size_t q = 0; q < nmine; q++)
                            if (mine[q] == prev)
                                mine[q] = &tx[j];
                        prev = &tx[j];
                        continue;
                    }
                    mine[nmine++] = prev = &tx[j];
                }
            }
        } else if (!any_time_expr && sent + 1 < a->nsentences &&
                   a->sentences[sent + 1].paragraph == a->sentences[sent].paragraph) {
            /* "A march is planned. It starts on Saturday.": the next sentence may give the date
               when this one names no time and the next has no event of its own */
            bool next_has_trigger = sentence_has_trigger(&sc, sent + 1);
            /* an event called off or put back is news before its day, so a day already past
               in the next sentence is something else ("The rally has been postponed. The park
               flooded last Thursday.") */
            bool called_off = postponement(cues, sent) || cue_in_sentence(cues, sent, "cancelled");
            int64_t rday = date_to_days(ref->y, ref->m, ref->d);
            /* only a day: "... took part in the ballot. Talks broke down in May." is no
               ballot in May */
            for (size_t i = tx_from(tx, ntx, sent + 1); i < ntx && tx[i].sentence == sent + 1 && !next_has_trigger; i++) {
                const timex *t = &tx[i];
                if (called_off && ref->known && date_to_days(t->y, t->m, t->d) < rday)
                    continue;
                if (t->sentence == sent + 1 && own_date(&sc, t) && t->grain >= G_DAY &&
                    (!nearest || t->grain > nearest->grain))
                    nearest = t;
            }
            if (nearest) {
                mine[nmine++] = nearest;
                last_sent = sent + 1;
            }
        }
        if (!nmine) {
            /* "Stalls were set up every Saturday from 8am": the time of each of the days of a
               rule that recurrence_of() did not take (told in the past, "every day"), none of
               which is the one the article last named */
            bool recurring = false;
            for (size_t i = tx_from(tx, ntx, sent); i < ntx && tx[i].sentence == sent && !recurring; i++)
                recurring = tx[i].type == TX_SET;
            if (recurring)
                continue;
            /* only a bare time here ("the march starts at 2pm"): the day is the one the
               article last named */
            const timex *bare = NULL;
            for (size_t i = tx_from(tx, ntx, sent); i < ntx && tx[i].sentence == sent && !bare; i++)
                if (tx[i].has_time && tx[i].date_from_context &&
                    !blocked(&tx[i], cues, a) && !end_time(&sc, &tx[i]) &&
                    !attributive_elsewhere(&sc, &tx[i], m))
                    bare = &tx[i];
            const timex *end_only = NULL;
            if (!bare) {
                for (size_t i = tx_from(tx, ntx, sent); i < ntx && tx[i].sentence == sent && !end_only; i++)
                    if (tx[i].has_time && tx[i].date_from_context &&
                        !blocked(&tx[i], cues, a))
                        end_only = &tx[i];
                if (!end_only) {
                    /* "The vigil was postponed last year": another occasion */
                    if (!any_time_expr)
                        called_off_before(&sc, m, sent, *out, *nout);
                    continue;
                }
            }
            /* "The march will start at noon. It will leave from Hyde Park Corner on Saturday 16
               March.": a sentence that goes on about the event gives the time's day */
            const timex *next_day = NULL;
            if (bare && sent + 1 < a->nsentences && starts_with_cue(&sc, sent + 1, "continues") &&
                !sentence_has_trigger(&sc, sent + 1))
                for (size_t i = tx_from(tx, ntx, sent + 1); i < ntx && tx[i].sentence == sent + 1 && !next_day; i++)
                    if (own_date(&sc, &tx[i]) && tx[i].grain >= G_DAY)
                        next_day = &tx[i];
            const timex *d = next_day ? NULL : discourse_date_told(&sc, m->start, sentence_tense_clear(&sc, sent));
            if (end_only) {
                /* "The march will finish at about 1pm": the end of the day's march */
                if (!d)
                    continue;
                event *e = make_event(&sc, m, sent, sent, d, NULL, true);
                e->has_end = e->end_has_time = true;
                e->ey = d->y, e->em = d->m, e->ed = d->d;
                e->eh = end_only->hh;
                e->emin = end_only->mm;
                push(&sc, out, nout, cap, e);
                continue;
            }
            if (next_day) {
                timex *on = arena_alloc(ar, sizeof *on);
                *on = *bare;
                on->y = next_day->y, on->m = next_day->m, on->d = next_day->d;
                on->relative = next_day->relative;
                on->date_from_context = false;
                mine[nmine++] = on;
                last_sent = sent + 1;
            } else if (d) {
                /* "Nurses will strike on Wednesday and Thursday. A rally will be held at noon
                   on both days.": each day of the events the last day's sentence named */
                size_t added = bare && cue_in_sentence(cues, sent, "all_days")
                                   ? days_of_sentence(&sc, d->sentence, *out, *nout, bare, mine + nmine, MAX_LIST_DAYS)
                                   : 0;
                if (added >= 2)
                    nmine += added;
                else
                    mine[nmine++] = d;
                discourse = true;
            } else if (title_date(&sc)) {
                /* the title's day, with this time's place in the text; a headline has no tense,
                   so a bare weekday in it ("... protest on Saturday") is the one this
                   sentence's tense points at ("will gather at 11am": the coming one) */
                const timex *td = sc.title_day;
                ymd day = {td->y, td->m, td->d};
                if (sc.title_weekday) {
                    int64_t diff = date_to_days(day.y, day.m, day.d) - date_to_days(ref->y, ref->m, ref->d);
                    tense tn = sentence_tense_clear(&sc, sent);
                    if (tn == TENSE_FUTURE && diff < 0)
                        day = date_add_days(day, 7);
                    else if (tn == TENSE_PAST && diff > 0)
                        day = date_add_days(day, -7);
                }
                timex *on = arena_alloc(ar, sizeof *on);
                *on = *bare;
                on->y = day.y, on->m = day.m, on->d = day.d;
                on->relative = td->relative;
                mine[nmine++] = on;
            } else {
                mine[nmine++] = bare; /* the publication day: "at 7pm" in today's paper */
            }
        }
        /* "The St Patrick's Day parade will take place on Sunday at noon": that Sunday */
        for (size_t k = 0; k < nmine; k++) {
            const timex *holiday = weekday_of_named(&sc, mine[k], m);
            if (holiday) {
                timex *on = arena_alloc(ar, sizeof *on);
                *on = *mine[k];
                on->y = holiday->y, on->m = holiday->m, on->d = holiday->d;
                mine[k] = on;
            }
        }
        /* "Demonstrations will take place that day": a date that points back ("that day", "the
           same day") is the day the article last named, as a reader takes it */
        for (size_t k = 0; k < nmine; k++) {
            const char *point = mine[k]->rule ? rule_set_value(mine[k]->rule, "point") : NULL;
            const char *rel = mine[k]->rule ? rule_set_value(mine[k]->rule, "rel") : NULL;
            if (point && strcmp(point, "last") == 0 && rel && strcmp(rel, "0") == 0 && mine[k]->grain >= G_DAY) {
                const timex *d = discourse_date(&sc, mine[k]->start);
                if (d && d != mine[k])
                    mine[k] = d;
            }
        }
        /* "today, April 29th": two names for one day are one date; so is "yesterday (Thursday)",
           a weekday right after a date of that weekday, however it was resolved on its own */
        for (size_t k = 0; k < nmine; k++)
            for (size_t j = 0; j < nmine;) {
                const timex *x = mine[k], *y = mine[j];
                bool same_day = j > k && y->y == x->y && y->m == x->m && y->d == x->d &&
                                (y->grain >= G_DAY) == (x->grain >= G_DAY);
                /* "yesterday (Thursday)", "on Friday and Saturday (September 30 and October 1)":
                   a weekday next to a date of the same weekday names that date again */
                size_t gap = y->start >= x->end ? y->start - x->end : x->start >= y->end ? x->start - y->end : 0;
                bool apposition = j != k && y->relative && x->grain >= G_DAY && y->grain >= G_DAY && gap <= 40 &&
                                  (!x->relative || y->start > x->start) &&
                                  date_weekday(x->y, x->m, x->d) == date_weekday(y->y, y->m, y->d);
                if (same_day || apposition) {
                    mine[j] = mine[--nmine];
                    if (k == nmine)
                        k = j; /* the survivor moved into the freed slot */
                } else {
                    j++;
                }
            }
        /* "postponed to March 8", "postponed from Thursday to 21 March": the new date after
           the cue (and after the old one) is an event of its own, which remembers the day it
           was moved from */
        const timex *moved_to = NULL;
        const cue *pc = nmine ? postponement(cues, sent) : NULL;
        if (pc && (moved_from_day(mine[0], pc, cues, a) ||
                   (mine[0]->start >= pc->end && attributive_to(a, mine[0], m)))) {
            /* or "postponed the June 8 parade until July 13": the event's own day, then the new */
            size_t after = mine[0]->start > pc->end ? mine[0]->end : pc->end;
            for (size_t j = tx_from(tx, ntx, sent); j < ntx && tx[j].sentence == sent && !moved_to; j++)
                if (tx[j].start >= after && &tx[j] != mine[0] && own_date(&sc, &tx[j]) && tx[j].grain >= G_DAY)
                    moved_to = &tx[j];
        }
        /* "moved from 2 March to 9 March" is read as one date running from the one to the
           other: after a moved_from cue, its two ends are the old day and the new */
        if (pc && !moved_to && strcmp(pc->type, "moved_from") == 0 && mine[0]->has_end_date && !mine[0]->has_time &&
            cue_right_before(mine[0], cues, a, "moved_from")) {
            timex *from = arena_alloc(ar, sizeof *from), *to = arena_alloc(ar, sizeof *to);
            *from = *mine[0];
            from->has_end_date = false;
            *to = *from;
            to->y = mine[0]->ey, to->m = mine[0]->em_, to->d = mine[0]->ed;
            to->grain = G_DAY;
            mine[0] = from;
            moved_to = to;
        }
        for (size_t k = 0; k < nmine && moved_to; k++)
            if (mine[k] == moved_to)
                moved_to = NULL; /* a day of the list already */
        if (moved_to && nmine < ntx + MAX_LIST_DAYS)
            mine[nmine++] = moved_to;
        /* "The festival is on Saturday and Sunday": for kinds that run over several days
           (vocabulary multiday_kind), consecutive days of a list are one event with an end;
           not the day a festival was moved from and the next, to which it was */
        /* "on Saturday and Sunday from 10am to 4pm": hours written after a list of days are
           each day's, and the days stay apart (one event from Saturday 10am to Sunday 4pm
           would run through the night) */
        const timex *hours = nmine > 1 && nmine <= 7 && !moved_to ? list_hours(&sc, mine, nmine) : NULL;
        size_t span_to = 0;
        if (nmine > 1 && !moved_to && !hours && !sc.npairs &&
            rules_vocab_lookup(r, "multiday_kind", rule_type(m->rule), strlen(rule_type(m->rule)))) {
            const timex *lo = mine[0], *hi = mine[0];
            for (size_t k = 1; k < nmine; k++) {
                int64_t dk = date_to_days(mine[k]->y, mine[k]->m, mine[k]->d);
                if (dk < date_to_days(lo->y, lo->m, lo->d))
                    lo = mine[k];
                if (dk > date_to_days(hi->y, hi->m, hi->d))
                    hi = mine[k];
            }
            int64_t span = date_to_days(hi->y, hi->m, hi->d) - date_to_days(lo->y, lo->m, lo->d);
            if (span == (int64_t)nmine - 1 && span <= 14) {
                mine[0] = lo;
                span_to = (size_t)span;
                nmine = 1;
            }
        }
        const timex *new_day = NULL; /* the day of an event put back whose new day is not in its sentence */
        for (size_t k = 0; k < nmine && !sc.capped; k++) {
            const timex *date = mine[k];
            const timex *time = nmine == 1 ? time_for(&sc, m, sent, last_sent, date) : (date->has_time ? date : hours);
            size_t next = !time && nmine == 1 && date->grain >= G_DAY ? continuing(&sc, m, sent, last_sent) : (size_t)-1;
            bool doors_led = next != (size_t)-1 && starts_with_cue(&sc, next, "doors");
            if (next != (size_t)-1) {
                /* "Tonight's vigil has been moved indoors. It will start at 6pm as planned.";
                   "A concert will be held ... on Saturday 16 March. Doors open at 7pm.": after
                   the doors, only a time said to start something ("and the music starts at
                   7.30pm"), not the last entry's or the bar's */
                const timex *doors = NULL;
                for (size_t i = tx_from(tx, ntx, next); i < ntx && tx[i].sentence == next && !time; i++)
                    if (tx[i].has_time && tx[i].date_from_context &&
                        !blocked(&tx[i], cues, a) && !end_time(&sc, &tx[i])) {
                        if (doors_time(&tx[i], cues, a)) {
                            if (!doors)
                                doors = &tx[i];
                        } else if (!doors_led || starts_something(r, a, &tx[i])) {
                            time = &tx[i];
                        }
                    }
                if (!time)
                    time = doors;
            }
            event *e = make_event(&sc, m, sent, last_sent, date, time, discourse);
            daily_hours(&sc, e, date, time);
            if (span_to && !e->has_end) {
                ymd last = date_add_days((ymd){date->y, date->m, date->d}, (int64_t)span_to);
                e->has_end = true;
                e->end_has_time = false;
                e->ey = last.y, e->em = last.m, e->ed = last.d;
                if (e->has_time) /* a time on a multi-day span is the first day's: keep the days */
                    e->has_end = false;
            }
            if (e->status == EV_POSTPONED && !moved_to && !new_day)
                new_day = date;
            if (date == moved_to && mine[0] != moved_to) {
                e->original_date = xasprintf("%04d-%02d-%02d", mine[0]->y, mine[0]->m, mine[0]->d);
                /* the new day of "moved from 2 March to 9 March" stands where the old one does,
                   right after the cue, which make_event() read as the old day's */
                if (e->status == EV_POSTPONED)
                    e->status = date_to_days(e->y, e->m, e->d) < date_to_days(ref->y, ref->m, ref->d) ? EV_PAST
                                                                                                     : EV_UPCOMING;
            }
            if (e->confidence < opts->min_confidence) {
                event_free(e);
                continue;
            }
            if (!push(&sc, out, nout, cap, e))
                continue; /* freed: the article has as many events as are read */
            /* "will run from 10am until 2pm and again from 5pm to 8pm": a second session that
               day, at the hours after "again" */
            for (const timex *t1 = time; t1 && t1->has_time && !sc.capped;) {
                /* one of the article's times, not one made up for a list (compared as
                   integers: pointers into different objects have no order in C) */
                if ((uintptr_t)t1 < (uintptr_t)tx || (uintptr_t)t1 >= (uintptr_t)(tx + ntx))
                    break;
                const timex *t2 = NULL;
                for (size_t i = (size_t)(t1 - tx) + 1; i < ntx && tx[i].sentence == t1->sentence && !t2; i++)
                    if (tx[i].has_time && tx[i].date_from_context && again_between(r, a->text, t1->end, tx[i].start) &&
                        !blocked(&tx[i], cues, a))
                        t2 = &tx[i];
                if (!t2)
                    break;
                event *again = make_event(&sc, m, sent, last_sent, date, t2, discourse);
                if (again->confidence < opts->min_confidence) {
                    event_free(again);
                    break;
                }
                if (!push(&sc, out, nout, cap, again))
                    break; /* freed */
                t1 = t2;
            }
            /* "Tomorrow we march in Bizana and in Durban": a list of towns and no venue is one
               gathering in each town */
            if (!e->loc_name && e->loc_locality) {
                const place *prev = NULL;
                const ev_places *pls = need_places(&sc);
                for (size_t i = pl_from(pls->pl, pls->n, sent); i < pls->n && pls->pl[i].sentence == sent; i++) {
                    const place *p = &pls->pl[i];
                    if (p->name || !p->locality)
                        continue;
                    if (prev && list_joined_places(a->text, prev->end, p->start) &&
                        !ascii_strcaseeq(p->locality, e->loc_locality)) {
                        event *twin = event_clone(e);
                        free(twin->uid);
                        twin->uid = NULL;
                        free(twin->loc_locality);
                        twin->loc_locality = xstrdup(p->locality);
                        event_set_title(twin);
                        push(&sc, out, nout, cap, twin);
                    }
                    prev = p;
                }
            }
        }
        if (new_day && !sc.capped)
            put_back_to(&sc, m, sent, last_sent, new_day, out, nout, cap);
    }
    /*
     * A listing: "Here is a list of protests scheduled Saturday:" and then lines that open with
     * a time ("11 a.m.: ... in Boyle Heights"): each line without a trigger of its own is an
     * event of the header's kind.
     */
    for (size_t ti = 0; ti < ntrig; ti++) {
        size_t h = article_sentence_at(a, trig[ti].start);
        if (ti > 0 && article_sentence_at(a, trig[ti - 1].start) == h)
            continue; /* one header, its first trigger */
        size_t he = a->sentences[h].end;
        if (he == 0 || a->text[he - 1] != ':')
            continue;
        for (size_t sn = h + 1; sn < a->nsentences && !sc.capped; sn++) {
            const sentence *st = &a->sentences[sn];
            if (st->paragraph == a->sentences[sn - 1].paragraph)
                continue; /* the rest of an item's paragraph */
            const timex *lead = NULL;
            for (size_t i = tx_from(tx, ntx, sn); i < ntx && tx[i].sentence == sn && !lead; i++)
                if (tx[i].has_time && tx[i].date_from_context && tx[i].start <= st->start + 6)
                    lead = &tx[i];
            if (!lead)
                break; /* the listing is over */
            if (sentence_has_trigger(&sc, sn))
                continue;
            const timex *d = discourse_date(&sc, st->start);
            if (!d)
                continue;
            event *e = make_event(&sc, &trig[ti], sn, sn, d, lead, true);
            const place *p = place_for(&sc, &(rule_match){.start = st->start, .end = st->start}, sn, sn, true);
            if (p && !e->loc_name) {
                e->loc_name = xstrdup(p->name);
                event_set_title(e);
            }
            push(&sc, out, nout, cap, e);
        }
    }
    /*
     * Dates announced after the event: "Further dates have been announced for strike action.
     * For deliveries, these are November 4, 10 and 16." A trigger sentence with no date that
     * speaks of dates (or ends with a colon) lends its kind to the dates of the next few
     * sentences that have no trigger of their own.
     */
    for (size_t ti = 0; ti < ntrig; ti++) {
        size_t h = article_sentence_at(a, trig[ti].start);
        if ((ti > 0 && article_sentence_at(a, trig[ti - 1].start) == h) || strcmp(rule_type(trig[ti].rule), "other") == 0)
            continue;
        bool dated = sentence_dated(tx, ntx, h);
        const sentence *hs = &a->sentences[h];
        bool speaks_of_dates = cue_in_sentence(cues, h, "dates_follow") || a->text[hs->end - 1] == ':';
        if (dated || !speaks_of_dates)
            continue;
        for (size_t sn = h + 1; sn < a->nsentences && sn <= h + EVENTS_DATE_REACH; sn++) {
            if (tx_cut && a->sentences[sn].end > tx_cut) {
                *tx_short = true; /* its dates were not read */
                break;
            }
            if (sentence_has_trigger(&sc, sn))
                break;
            size_t nd = 0;
            const timex *prev = NULL;
            for (size_t i = tx_from(tx, ntx, sn); i < ntx && tx[i].sentence == sn; i++) {
                const timex *t = &tx[i];
                if (!own_date(&sc, t) || t->grain < G_DAY)
                    continue;
                if (prev)
                    list_days(&sc, prev, prev->end, t->start, mine, &nd, ntx + MAX_LIST_DAYS);
                if (nd >= ntx + MAX_LIST_DAYS)
                    break;
                mine[nd++] = prev = t;
            }
            if (prev)
                list_days(&sc, prev, prev->end, list_tail(a->text, prev->end, a->sentences[sn].end), mine, &nd,
                          ntx + MAX_LIST_DAYS);
            if (!nd)
                continue;
            for (size_t k = 0; k < nd; k++) {
                event *e = make_event(&sc, &trig[ti], sn, sn, mine[k], NULL, true);
                push(&sc, out, nout, cap, e);
            }
        }
    }
    /*
     * An announcement laid out in fields ("When: Thursday 10 October, 7pm-9pm", "Where: Moss
     * Side Community Centre, Manchester") and a sentence naming the event ("Join us for a
     * public meeting ..."): the first kind of event the article names with no date of its own
     * takes the day, time and place of the fields.
     */
    {
        size_t when = field_sentence(a, "when\0date\0date and time\0");
        if (when != (size_t)-1 && tx_cut && a->sentences[when].end > tx_cut) {
            *tx_short = true; /* the field's dates were not read */
            when = (size_t)-1;
        }
        const timex *fd = NULL;
        for (size_t i = when != (size_t)-1 ? tx_from(tx, ntx, when) : ntx; i < ntx && tx[i].sentence == when && !fd; i++)
            if (own_date(&sc, &tx[i]) && tx[i].grain >= G_DAY)
                fd = &tx[i];
        const char *kind = NULL;
        for (size_t ti = 0; ti < ntrig && fd; ti++) {
            const rule_match *m = &trig[ti];
            size_t sent = article_sentence_at(a, m->start);
            bool dated = sent == when || sentence_dated(tx, ntx, sent);
            if (dated || cue_in_sentence(cues, sent, "negation") || strcmp(rule_type(m->rule), "other") == 0 ||
                generic_list(&sc, ti))
                continue;
            if (!kind)
                kind = rule_type(m->rule);
            if (!same_family(r, kind, rule_type(m->rule)))
                continue;
            const timex *ft = fd->has_time ? fd : NULL;
            for (size_t i = tx_from(tx, ntx, when); i < ntx && tx[i].sentence == when && !ft; i++)
                if (tx[i].has_time && tx[i].date_from_context)
                    ft = &tx[i];
            event *e = make_event(&sc, m, sent, sent, fd, ft, true);
            size_t where = field_sentence(a, "where\0venue\0location\0place\0address\0");
            if (!e->loc_name && where != (size_t)-1) {
                const place *p = NULL;
                const ev_places *pls = need_places(&sc);
                for (size_t k = pl_from(pls->pl, pls->n, where); k < pls->n && pls->pl[k].sentence == where && !p; k++)
                    if (pls->pl[k].name)
                        p = &pls->pl[k];
                if (p) {
                    e->loc_name = xstrdup(p->name);
                    if (p->locality) {
                        free(e->loc_locality);
                        e->loc_locality = xstrdup(p->locality);
                    }
                    reason(&sc, e, "place (the Where: line)", p->rule, p->start, p->end);
                    event_set_title(e);
                }
            }
            push(&sc, out, nout, cap, e);
        }
    }
    /*
     * "What I'll remember about Sunday evening, September 14 at the park ... organising this
     * vigil": a kind of event the article names only with "this", "the" or "our" and never
     * with a date of its own happened on the day the article last wrote out before it.
     */
    for (size_t ti = 0; ti < ntrig; ti++) {
        const rule_match *m = &trig[ti];
        size_t sent = article_sentence_at(a, m->start);
        if (m->start < 5 || strcmp(rule_type(m->rule), "other") == 0 || rule_set_value(m->rule, "verb"))
            continue;
        const char *before = a->text + m->start;
        bool definite = (m->start >= 5 && ascii_strncaseeq(before - 5, "this ", 5)) ||
                        (m->start >= 4 && ascii_strncaseeq(before - 4, "the ", 4)) ||
                        (m->start >= 4 && ascii_strncaseeq(before - 4, "our ", 4));
        if (!definite || cue_in_sentence(cues, sent, "negation"))
            continue;
        bool have = false;
        for (size_t i = first_new; i < *nout && !have; i++)
            have = same_family(r, (*out)[i]->type, rule_type(m->rule));
        have = have || sentence_dated(tx, ntx, sent);
        if (have)
            continue;
        const timex *d = NULL;
        for (size_t i = 0; i < ntx && tx[i].start < m->start; i++)
            if (own_date(&sc, &tx[i]) && tx[i].grain >= G_DAY && !tx[i].relative &&
                a->sentences[tx[i].sentence].paragraph + 3 >= a->sentences[sent].paragraph)
                d = &tx[i];
        if (!d)
            continue;
        /* a day the article already gives to an event of another kind is that event's: "The
           election is over" under the date of an assembly is no election on that day */
        bool taken = false;
        for (size_t i = first_new; i < *nout && !taken; i++)
            taken = (*out)[i]->grain >= G_DAY && (*out)[i]->y == d->y && (*out)[i]->m == d->m && (*out)[i]->d == d->d;
        if (taken)
            continue;
        event *e = make_event(&sc, m, sent, sent, d, time_for(&sc, m, sent, sent, d), true);
        /* the place is the one named with that date, if any */
        if (!e->loc_name) {
            const place *p = NULL;
            const ev_places *pls = need_places(&sc);
            for (size_t i = pl_from(pls->pl, pls->n, d->sentence); i < pls->n && pls->pl[i].sentence == d->sentence && !p;
                 i++)
                if (pls->pl[i].name)
                    p = &pls->pl[i];
            if (p) {
                e->loc_name = xstrdup(p->name);
                if (p->locality && !e->loc_locality)
                    e->loc_locality = xstrdup(p->locality);
                event_set_title(e);
            }
        }
        push(&sc, out, nout, cap, e);
    }
    /* "Refuse collectors began a two-week strike today ... until the strike ends on October
       21": a date after an ending verb ends the latest event of that sentence's kind that
       starts before it, has no end and no clock time (a time would make it one timed day) */
    for (size_t i = 0; i < ntx; i++) {
        const timex *t = &tx[i];
        if (!usable_date(t) || t->grain < G_DAY || t->date_from_context ||
            !cue_right_before(t, cues, a, "end_date"))
            continue;
        size_t owner = nearest_trigger(&sc, t->sentence, t->start, t->end);
        if (owner == (size_t)-1)
            continue;
        int64_t tday = date_to_days(t->y, t->m, t->d);
        event *best = NULL;
        for (size_t k = first_new; k < *nout; k++) {
            event *e = (*out)[k];
            int64_t eday = date_to_days(e->y, e->m, e->d);
            if (e->grain >= G_DAY && !e->has_end && !e->has_time && eday < tday &&
                same_family(r, e->type, rule_type(trig[owner].rule)) &&
                (!best || eday > date_to_days(best->y, best->m, best->d)))
                best = e;
        }
        if (best) {
            best->has_end = true;
            best->end_has_time = false;
            best->ey = t->y, best->em = t->m, best->ed = t->d;
            reason(&sc, best, "end date", t->rule, t->start, t->end);
        }
    }
    /* "1:30am" on the night the clocks skip it is the time they show then: one instant, one
       wall-clock time, before mentions are compared and times written */
    for (size_t i = first_new; i < *nout; i++)
        event_settle_clock((*out)[i]);
    /* one event per real-world event: mentions of one gathering in this article merge */
    for (size_t i = first_new; i < *nout; i++) {
        for (size_t j = i + 1; j < *nout;) {
            if (same_in_article(r, a, (*out)[i], (*out)[j])) {
                if (((*out)[i]->grain < G_DAY && (*out)[j]->grain >= G_DAY) ||
                    vote_at_meeting(r, a, (*out)[i], (*out)[j])) {
                    /* the day-precision mention absorbs the month one; the meeting, the vote
                       taken at it */
                    event *t = (*out)[i];
                    (*out)[i] = (*out)[j];
                    (*out)[j] = t;
                }
                absorb((*out)[i], (*out)[j]);
                memmove(&(*out)[j], &(*out)[j + 1], (*nout - j - 1) * sizeof **out);
                (*nout)--;
                j = i + 1; /* what it absorbed (a sentence, a place, a day) may join it to those passed over */
            } else {
                j++;
            }
        }
    }
    /* "the election last month": a past event the article dates only relative to itself, at
       month precision, is background to the news, not a diary entry (unless it merged above
       into a mention that gives its day) */
    for (size_t i = first_new; i < *nout;) {
        if ((*out)[i]->vague && (*out)[i]->status == EV_PAST) {
            event_free((*out)[i]);
            memmove(&(*out)[i], &(*out)[i + 1], (*nout - i - 1) * sizeof **out);
            (*nout)--;
        } else {
            i++;
        }
    }
    /* an end time whose start never turned up is no end: the day alone is the event */
    for (size_t i = first_new; i < *nout; i++)
        if ((*out)[i]->has_end && (*out)[i]->end_has_time && !(*out)[i]->has_time)
            (*out)[i]->has_end = (*out)[i]->end_has_time = false;
    /* "Families marched from Queens Park to the town hall steps": a sentence about the event
       with no date of its own still says where it was; the first such place of the same kind
       of event fills an event that names none, or only a generic one ("town centre") */
    for (size_t i = first_new; i < *nout; i++) {
        event *e = (*out)[i];
        bool generic = e->loc_name && !ascii_isalpha((unsigned char)e->loc_name[0]) ? false
                       : e->loc_name && e->loc_name[0] >= 'a' && e->loc_name[0] <= 'z';
        if (e->loc_name && !generic)
            continue;
        for (size_t ti = 0; ti < ntrig; ti++) {
            size_t ts = article_sentence_at(a, trig[ti].start);
            bool dated = false;
            for (size_t k = tx_from(tx, ntx, ts); k < ntx && tx[k].sentence == ts && !dated; k++)
                if (own_date(&sc, &tx[k]) || tx[k].has_time)
                    dated = true;
            if (dated || !same_family(r, rule_type(trig[ti].rule), e->type))
                continue;
            /* a sentence told in the past is about a gathering that happened, not one to come
               ("126 people were arrested at a counter-protest near the Cenotaph") */
            tense st = sentence_tense_clear(&sc, ts);
            if ((st == TENSE_PAST && e->status == EV_UPCOMING) || (st == TENSE_FUTURE && e->status == EV_PAST))
                continue;
            /* the proper name nearest that trigger ("on the lawns outside Parliament House") */
            const place *p = NULL;
            size_t bd = (size_t)-1;
            const ev_places *pls = need_places(&sc);
            for (size_t k = pl_from(pls->pl, pls->n, ts); k < pls->n && pls->pl[k].sentence == ts; k++) {
                const place *q = &pls->pl[k];
                if (!q->name || (q->name[0] >= 'a' && q->name[0] <= 'z'))
                    continue;
                size_t dd = detail_dist(trig[ti].start, trig[ti].end, q->start, q->end);
                if (dd < bd) {
                    bd = dd;
                    p = q;
                }
            }
            if (!p)
                continue;
            if (e->loc_locality && p->locality && !ascii_strcaseeq(e->loc_locality, p->locality))
                continue;
            /* "the march to the hospital would be the biggest": a place where another event of
               the article starts or ends is that event's, told again */
            bool taken = false;
            for (size_t k = first_new; k < *nout && !taken; k++)
                taken = k != i && (((*out)[k]->loc_name && ascii_strcaseeq((*out)[k]->loc_name, p->name)) ||
                                   ((*out)[k]->end_point && ascii_strcaseeq((*out)[k]->end_point, p->name)));
            if (taken)
                continue;
            free(e->loc_name);
            e->loc_name = xstrdup(p->name);
            if (p->end_point && !e->end_point)
                e->end_point = xstrdup(p->end_point);
            if (!e->loc_locality && p->locality)
                e->loc_locality = xstrdup(p->locality);
            reason(&sc, e, "place (from a sentence without a date)", p->rule, p->start, p->end);
            event_set_title(e);
            break;
        }
    }
    /* A strike happens where people work: for strikes and pickets that name no place, the
       employer the article keeps naming ("Royal Mail", "Network Rail") is the place. */
    const char *employer = NULL;
    for (size_t i = first_new; i < *nout; i++) {
        const char *fam = rules_vocab_lookup(r, "event_family", (*out)[i]->type, strlen((*out)[i]->type));
        if (!(*out)[i]->loc_name && fam && strcmp(fam, "strike") == 0) {
            /* once: both read the whole article, and say the same for every strike in it */
            employer = most_named_organisation(r, a, ar);
            if (!employer)
                employer = most_named_workplace(r, a, ar); /* "the hospital's nurses" */
            break;
        }
    }
    for (size_t i = first_new; i < *nout && employer; i++) {
        event *e = (*out)[i];
        const char *fam = rules_vocab_lookup(r, "event_family", e->type, strlen(e->type));
        if (!e->loc_name && fam && strcmp(fam, "strike") == 0) {
            e->loc_name = xstrdup(employer);
            event_set_title(e);
        }
    }
    /* "There will also be a protest at 5pm": a second gathering that day names no place, so it
       is where the article's other one is.  Not a series ("open Saturdays": its first Saturday
       is no second gathering that day) */
    for (size_t i = first_new; i < *nout; i++) {
        event *e = (*out)[i];
        if (e->loc_name || e->listing || e->recur.freq != EV_ONCE)
            continue; /* an entry of a listing is an event of its own, wherever the others are */
        for (size_t j = first_new; j < *nout; j++) {
            const event *o = (*out)[j];
            if (j == i || !o->loc_name || o->y != e->y || o->m != e->m || o->d != e->d || o->grain < G_DAY ||
                e->grain < G_DAY || !same_family(r, o->type, e->type))
                continue;
            if (e->loc_locality && o->loc_locality && !ascii_strcaseeq(e->loc_locality, o->loc_locality))
                continue;
            e->loc_name = xstrdup(o->loc_name);
            if (!e->loc_locality && o->loc_locality)
                e->loc_locality = xstrdup(o->loc_locality);
            event_set_title(e);
            break;
        }
    }
    /* "First Congregational Church is located at 200 North Main Street in Mount Vernon": where
       the article gives a venue's address anywhere, the event at that venue gets it, and the
       town of the address */
    for (size_t i = first_new; i < *nout; i++) {
        event *e = (*out)[i];
        if (!e->loc_name || strchr(e->loc_name, ','))
            continue;
        size_t n = strlen(e->loc_name);
        const ev_places *pls = need_places(&sc);
        for (size_t k = 0; k < pls->n; k++) {
            const place *p = &pls->pl[k];
            if (!p->name || strlen(p->name) < n + 3 || !ascii_strncaseeq(p->name, e->loc_name, n) ||
                p->name[n] != ',' || !ascii_isdigit((unsigned char)p->name[n + 2]))
                continue;
            free(e->loc_name);
            e->loc_name = xstrdup(p->name);
            if (p->locality) {
                free(e->loc_locality);
                e->loc_locality = xstrdup(p->locality);
            }
            reason(&sc, e, "place (the venue's address)", p->rule, p->start, p->end);
            event_set_title(e);
            break;
        }
    }
    if (capped)
        *capped = sc.capped;
    return *nout - first_new;
}

#include "event.h"

#include <stdio.h>
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

bool event_in_calendar(const event *e)
{
    return e->grain >= G_DAY;
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
    for (size_t i = 0; i < e->nsources; i++) {
        free(e->sources[i].id);
        free(e->sources[i].url);
        free(e->sources[i].title);
        free(e->sources[i].published);
        free(e->sources[i].evidence);
    }
    free(e->sources);
    for (size_t i = 0; i < e->nreasons; i++) {
        free(e->reasons[i].rule);
        free(e->reasons[i].what);
        free(e->reasons[i].text);
        free(e->reasons[i].source_id);
    }
    free(e->reasons);
    free(e);
}

event *event_clone(const event *e)
{
    event *c = xmalloc(sizeof *c);
    *c = *e;
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
    c->sources = e->nsources ? xmalloc(e->nsources * sizeof *c->sources) : NULL;
    for (size_t i = 0; i < e->nsources; i++) {
        c->sources[i] = e->sources[i];
        c->sources[i].id = xstrdup(e->sources[i].id);
        c->sources[i].url = xstrdup(e->sources[i].url);
        c->sources[i].title = xstrdup(e->sources[i].title);
        c->sources[i].published = xstrdup(e->sources[i].published);
        c->sources[i].evidence = xstrdup(e->sources[i].evidence);
    }
    c->reasons = e->nreasons ? xmalloc(e->nreasons * sizeof *c->reasons) : NULL;
    for (size_t i = 0; i < e->nreasons; i++) {
        c->reasons[i] = e->reasons[i];
        c->reasons[i].rule = xstrdup(e->reasons[i].rule);
        c->reasons[i].what = xstrdup(e->reasons[i].what);
        c->reasons[i].text = xstrdup(e->reasons[i].text);
        c->reasons[i].source_id = xstrdup(e->reasons[i].source_id);
    }
    return c;
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

/* ---- assembly ---- */

static bool cue_in_sentence(const cue *cues, size_t n, size_t sent, const char *type)
{
    for (size_t i = 0; i < n; i++)
        if (cues[i].sentence == sent && strcmp(cues[i].type, type) == 0)
            return true;
    return false;
}

/*
 * A date right after "since", "until", "for" and the like is a bound of a period, not the day
 * of an event: the cue rules of type "block" mark those words.
 */
static bool blocked(const timex *t, const cue *cues, size_t n, const char *text)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(cues[i].type, "block") != 0 || cues[i].end > t->start || cues[i].start >= t->start)
            continue;
        bool only_space = true;
        for (size_t k = cues[i].end; k < t->start; k++)
            if (!ascii_isspace((unsigned char)text[k]))
                only_space = false;
        if (only_space)
            return true;
    }
    return false;
}

static bool usable_date(const timex *t)
{
    return (t->type == TX_DATE || t->type == TX_TIME) && !t->duration_like && t->grain >= G_MONTH &&
           t->grain != G_WEEK && t->value[0] && ascii_isdigit((unsigned char)t->value[0]);
}

static size_t dist(size_t a0, size_t a1, size_t b0, size_t b1)
{
    if (a1 <= b0)
        return b0 - a1;
    if (b1 <= a0)
        return a0 - b1;
    return 0;
}

static char *capitalise(const char *s)
{
    char *c = xstrdup(s);
    if (c[0] >= 'a' && c[0] <= 'z')
        c[0] = (char)(c[0] - 32);
    return c;
}

static void add_reason(event *e, const char *what, const rule *ru, const article *a, size_t s, size_t en)
{
    e->reasons = xrealloc(e->reasons, (e->nreasons + 1) * sizeof *e->reasons);
    ev_reason *r = &e->reasons[e->nreasons++];
    r->rule = xasprintf("%s (%s:%d)", rule_name(ru), rule_file(ru), rule_line(ru));
    r->what = xstrdup(what);
    r->text = xstrndup(a->text + s, en - s);
    r->start = s;
    r->end = en;
    r->source_id = xstrdup(a->id);
}

static const char *sentence_org(const cue *cues, size_t n, size_t sent, const article *a, arena *ar)
{
    for (size_t i = 0; i < n; i++)
        if (cues[i].sentence == sent && strcmp(cues[i].type, "organiser") == 0 && cues[i].arg_end > cues[i].arg_start)
            return arena_strndup(ar, a->text + cues[i].arg_start, cues[i].arg_end - cues[i].arg_start);
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

size_t events_extract(const rules *r, rule_scanner *s, const article *a, const tx_ref *ref, const timex *tx,
                      size_t ntx, const cue *cues, size_t ncues, const place *pl, size_t npl,
                      const char *main_locality, const event_opts *opts, arena *ar, event ***out, size_t *nout,
                      size_t *cap)
{
    size_t added = 0;
    size_t first_new = *nout;
    /* all triggers first: whether a date in the next sentence may be borrowed depends on
       whether that sentence has a trigger of its own */
    size_t ntrig = 0, tcap = 16;
    rule_match *trig = arena_alloc(ar, tcap * sizeof *trig);
    {
        rule_match mm;
        size_t from = 0;
        while (rule_scan_next(s, RK_EVENT, a->text, a->len, from, &mm)) {
            from = mm.end;
            if (strcmp(rule_type(mm.rule), "NONE") == 0)
                continue;
            if (ntrig == tcap) {
                rule_match *bigger = arena_alloc(ar, tcap * 2 * sizeof *trig);
                memcpy(bigger, trig, tcap * sizeof *trig);
                trig = bigger;
                tcap *= 2;
            }
            trig[ntrig++] = mm;
        }
    }
    for (size_t ti = 0; ti < ntrig; ti++) {
        const rule_match m = trig[ti];
        size_t sent = article_sentence_at(a, m.start);
        if (cue_in_sentence(cues, ncues, sent, "negation"))
            continue; /* "there will be no march" */
        /* the date: in the trigger's sentence, else the next one */
        const timex *date = NULL, *time = NULL;
        size_t used_last = sent;
        /* the next sentence may give the date only when this one names no time at all and
           the next has no event of its own ("A march is planned. It starts on Saturday.") */
        bool may_borrow = sent + 1 < a->nsentences;
        for (size_t i = 0; i < ntx && may_borrow; i++)
            if (tx[i].sentence == sent)
                may_borrow = false;
        for (size_t i = 0; i < ntrig && may_borrow; i++)
            if (article_sentence_at(a, trig[i].start) == sent + 1)
                may_borrow = false;
        for (int pass = 0; pass < (may_borrow ? 2 : 1) && !date; pass++) {
            size_t want = sent + (size_t)pass;
            size_t best_d = (size_t)-1;
            for (size_t i = 0; i < ntx; i++) {
                const timex *t = &tx[i];
                if (t->sentence != want || !usable_date(t) || blocked(t, cues, ncues, a->text))
                    continue;
                if (t->anchored)
                    continue; /* a bare time: picked up below with its date */
                size_t dd = dist(m.start, m.end, t->start, t->end);
                /* prefer day precision over month, then the nearest */
                if (!date || (t->grain >= G_DAY && date->grain < G_DAY) ||
                    ((t->grain >= G_DAY) == (date->grain >= G_DAY) && dd < best_d)) {
                    date = t;
                    best_d = dd;
                }
            }
            if (date)
                used_last = want;
        }
        if (!date)
            continue;
        /* a time anchored to that date, in the same sentences */
        if (!date->has_time) {
            for (size_t i = 0; i < ntx; i++) {
                const timex *t = &tx[i];
                if (t->has_time && t->anchored && t->sentence >= sent && t->sentence <= used_last &&
                    t->y == date->y && t->m == date->m && t->d == date->d && !blocked(t, cues, ncues, a->text)) {
                    time = t;
                    break;
                }
            }
        }
        /* the place nearest the trigger in those sentences */
        const place *where = NULL;
        size_t best_p = (size_t)-1;
        for (size_t i = 0; i < npl; i++) {
            if (pl[i].sentence < sent || pl[i].sentence > used_last || !pl[i].name)
                continue;
            size_t dd = dist(m.start, m.end, pl[i].start, pl[i].end);
            if (dd < best_p) {
                best_p = dd;
                where = &pl[i];
            }
        }
        const place *town = NULL;
        for (size_t i = 0; i < npl; i++)
            if (pl[i].sentence >= sent && pl[i].sentence <= used_last && pl[i].locality && !town)
                town = &pl[i];

        event *e = xcalloc(1, sizeof *e);
        e->type = xstrdup(rule_type(m.rule));
        if (strcmp(e->type, "other") == 0) {
            /* "other" says nothing: the trigger ("King's Speech") names the event */
            const rule_slot *tr = rule_match_slot(&m, "trigger");
            if (tr)
                e->name = xstrndup(a->text + tr->start, tr->end - tr->start);
        }
        e->timezone = xstrdup(a->timezone ? a->timezone : opts->timezone);
        e->grain = date->grain >= G_DAY ? G_DAY : date->grain;
        e->y = date->y;
        e->m = date->m;
        e->d = date->d;
        const timex *tt = date->has_time ? date : time;
        if (tt) {
            e->has_time = true;
            e->hh = tt->hh;
            e->mm = tt->mm;
            e->grain = G_MINUTE;
            if (tt->has_end_time) {
                e->has_end = true;
                e->end_has_time = true;
                e->ey = e->y;
                e->em = e->m;
                e->ed = e->d;
                e->eh = tt->eh;
                e->emin = tt->em;
                if (e->eh * 60 + e->emin <= e->hh * 60 + e->mm) {
                    ymd nd = date_add_days((ymd){e->y, e->m, e->d}, 1); /* ends after midnight */
                    e->ey = nd.y;
                    e->em = nd.m;
                    e->ed = nd.d;
                }
            }
        } else if (date->pod[0] && date->grain == G_POD) {
            snprintf(e->pod, sizeof e->pod, "%s", date->pod);
        }
        if (!e->has_end && date->has_end_date) {
            e->has_end = true;
            e->ey = date->ey;
            e->em = date->em_;
            e->ed = date->ed;
        }
        e->all_day = !e->has_time;
        const char *dm = rules_vocab_lookup(r, "duration", e->type, strlen(e->type));
        e->default_minutes = dm ? atoi(dm) : 120;
        if (where) {
            e->loc_name = xstrdup(where->name);
            if (where->locality)
                e->loc_locality = xstrdup(where->locality);
        }
        if (!e->loc_locality) {
            const char *loc = town ? town->locality : main_locality;
            if (loc && (!e->loc_name || !ascii_strcaseeq(e->loc_name, loc)))
                e->loc_locality = xstrdup(loc);
        }
        if (e->loc_name && e->loc_locality && ascii_strcaseeq(e->loc_name, e->loc_locality)) {
            free(e->loc_name);
            e->loc_name = NULL;
        }
        const char *org = sentence_org(cues, ncues, sent, a, ar);
        if (org)
            e->organiser = xstrdup(org);

        /* status: what the text says first, then the date against the publication date */
        int64_t dday = date_to_days(e->y, e->m, e->grain >= G_DAY ? e->d : 1);
        int64_t rday = date_to_days(ref->y, ref->m, ref->d);
        if (cue_in_sentence(cues, ncues, sent, "cancelled"))
            e->status = EV_CANCELLED;
        else if (cue_in_sentence(cues, ncues, sent, "postponed"))
            e->status = EV_POSTPONED;
        else if (e->grain >= G_DAY)
            e->status = dday < rday ? EV_PAST : EV_UPCOMING;
        else if (e->y * 12 + e->m != ref->y * 12 + ref->m)
            e->status = e->y * 12 + e->m < ref->y * 12 + ref->m ? EV_PAST : EV_UPCOMING;
        else
            e->status = date->tense == TENSE_PAST ? EV_PAST : EV_UPCOMING;

        /* confidence: how much was stated rather than inferred */
        double c = 0.55;
        if (!date->relative)
            c += 0.1;
        if (date->grain >= G_DAY)
            c += 0.1;
        if (e->has_time)
            c += 0.1;
        if (e->loc_name)
            c += 0.1;
        if (date->tense != TENSE_NONE)
            c += 0.05;
        if (used_last != sent)
            c -= 0.1;
        if (date->weekday_mismatch)
            c -= 0.25;
        if (date->year_inferred && !rule_match_slot(&m, "weekday"))
            c -= 0.02;
        if (!ref->known) {
            c -= 0.2;
            e->date_inferred = true;
        }
        if (c > 1.0)
            c = 1.0;
        if (c < 0.05)
            c = 0.05;
        e->confidence = (double)(int)(c * 100 + 0.5) / 100.0;

        /* evidence: the sentence (and the next, if the date came from there) */
        size_t ss = a->sentences[sent].start, se = a->sentences[used_last].end;
        e->sources = xcalloc(1, sizeof *e->sources);
        e->nsources = 1;
        ev_source *src = &e->sources[0];
        src->id = xstrdup(a->id);
        src->url = xstrdup(a->url);
        src->title = xstrdup(a->title);
        src->published = xstrdup(a->published);
        src->evidence = xstrndup(a->text + ss, se - ss);
        src->span_start = ss;
        src->span_end = se;
        add_reason(e, "trigger", m.rule, a, m.start, m.end);
        add_reason(e, "date", date->rule, a, date->start, date->end);
        if (time)
            add_reason(e, "time", time->rule, a, time->start, time->end);
        if (where)
            add_reason(e, "place", where->rule, a, where->start, where->end);
        for (size_t i = 0; i < ncues; i++)
            if (cues[i].sentence >= sent && cues[i].sentence <= used_last && strcmp(cues[i].type, "block") != 0)
                add_reason(e, "cue", cues[i].rule, a, cues[i].start, cues[i].end);
        event_set_title(e);

        if (e->confidence < opts->min_confidence) {
            event_free(e);
            continue;
        }
        /* one event per real-world event: a second trigger for the same day in this article
           ("the march ... the demonstration") adds nothing */
        bool dup = false;
        for (size_t i = first_new; i < *nout; i++) {
            event *o = (*out)[i];
            if (o->y == e->y && o->m == e->m && o->d == e->d && o->grain == e->grain && strcmp(o->type, e->type) == 0 &&
                o->sources[0].span_start == src->span_start) {
                dup = true;
                break;
            }
            if (o->y == e->y && o->m == e->m && o->d == e->d && o->grain >= G_DAY && e->grain >= G_DAY &&
                o->sources[0].span_start == src->span_start) {
                dup = true; /* two trigger words in one sentence about one day */
                break;
            }
        }
        if (dup) {
            event_free(e);
            continue;
        }
        if (*nout == *cap) {
            *cap = *cap ? *cap * 2 : 16;
            *out = xrealloc(*out, *cap * sizeof **out);
        }
        (*out)[(*nout)++] = e;
        added++;
    }
    return added;
}

#include "merge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"

static int cmp_str0(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

/* The publication date of the event's most recent source ("" when none says). */
static const char *newest(const event *e)
{
    const char *n = "";
    for (size_t i = 0; i < e->nsources; i++)
        if (e->sources[i].published && strcmp(e->sources[i].published, n) > 0)
            n = e->sources[i].published;
    return n;
}

/* What a calendar app shows as the event's "when, where and whether": a change here is a
   change of the event (SEQUENCE + 1). */
static void key_core(const event *e, strbuf *sb)
{
    sb_printf(sb, "%04d-%02d-%02d|%d|%d %02d:%02d|%d %d %04d-%02d-%02d %02d:%02d|%d|%s|", e->y, e->m, e->d,
              (int)e->grain, e->has_time, e->hh, e->mm, e->has_end, e->end_has_time, e->ey, e->em, e->ed, e->eh,
              e->emin, e->default_minutes, ev_status_name(e->status));
    sb_printf(sb, "%s|%s|%s|%s", e->loc_name ? e->loc_name : "", e->loc_locality ? e->loc_locality : "",
              e->end_point ? e->end_point : "", e->type ? e->type : "");
}

static int cmp_src_ptr(const void *pa, const void *pb)
{
    const ev_source *a = *(const ev_source *const *)pa, *b = *(const ev_source *const *)pb;
    return cmp_str0(a->id, b->id);
}

/* Everything the outputs show of the event, but DTSTAMP. */
static void key_full(const event *e, strbuf *sb)
{
    key_core(e, sb);
    sb_printf(sb, "|%s|%s|%s|%s|%s|%s|%.2f|%d|%d|%s\n", e->title ? e->title : "", e->name ? e->name : "",
              e->organiser ? e->organiser : "", e->original_date ? e->original_date : "",
              e->timezone ? e->timezone : "", e->pod, e->confidence, e->date_inferred, e->sequence,
              e->last_modified ? e->last_modified : "");
    const ev_source **s = xmalloc((e->nsources + 1) * sizeof *s);
    for (size_t i = 0; i < e->nsources; i++)
        s[i] = &e->sources[i];
    qsort(s, e->nsources, sizeof *s, cmp_src_ptr);
    for (size_t i = 0; i < e->nsources; i++)
        sb_printf(sb, "%s|%s|%s|%s|%zu-%zu|%s\n", s[i]->id ? s[i]->id : "", s[i]->url ? s[i]->url : "",
                  s[i]->title ? s[i]->title : "", s[i]->published ? s[i]->published : "", s[i]->span_start,
                  s[i]->span_end, s[i]->evidence ? s[i]->evidence : "");
    free(s);
}

/*
 * Which of two versions of one event is the more recent: the one with the newer source, then
 * the higher SEQUENCE, then the later LAST-MODIFIED.  The fields and the UID break the
 * remaining ties, so this is a total order and "take the newer version's value" is
 * associative.  > 0 when a is newer.
 */
static int version_cmp(const event *a, const event *b)
{
    int c = strcmp(newest(a), newest(b));
    if (c)
        return c;
    if (a->sequence != b->sequence)
        return a->sequence > b->sequence ? 1 : -1;
    c = cmp_str0(a->last_modified, b->last_modified);
    if (c)
        return c;
    strbuf ka, kb;
    sb_init(&ka);
    sb_init(&kb);
    key_full(a, &ka);
    key_full(b, &kb);
    c = strcmp(ka.s, kb.s);
    sb_finish(&ka);
    sb_finish(&kb);
    return c ? c : cmp_str0(b->uid, a->uid);
}

static void move_str(char **dst, char **src)
{
    free(*dst);
    *dst = *src;
    *src = NULL;
}

/* The newer version's string when it has one, else the other's (into a). */
static void pick_str(char **a, char **b, bool b_newer)
{
    if (*b && (b_newer || !*a))
        move_str(a, b);
}

/* Two place names: compatible ones ("Queens Park", "Queens Park gates") give the longer,
   then the smaller, whatever the order; a real change of place gives the newer one. */
static void pick_place(char **a, char **b, bool b_newer)
{
    if (!*a || !*b) {
        pick_str(a, b, b_newer);
        return;
    }
    if (ascii_strcaseeq(*a, *b) || ascii_strcasestr(*a, *b) || ascii_strcasestr(*b, *a)) {
        size_t la = strlen(*a), lb = strlen(*b);
        if (lb > la || (lb == la && strcmp(*b, *a) < 0))
            move_str(a, b);
    } else if (b_newer) {
        move_str(a, b);
    }
}

static int status_rank(ev_status s)
{
    return s == EV_CANCELLED ? 2 : s == EV_POSTPONED ? 1 : 0;
}

static bool day_grain(const event *e)
{
    return e->grain >= G_DAY;
}

/* Folds b into a (b is freed).  keep_uid: a's UID stays (--update); otherwise the smaller. */
static void join(event *a, event *b, bool keep_uid)
{
    bool bn = version_cmp(b, a) > 0;
    const event *w = bn ? b : a;
    char *w_name = xstrdup(w->name), *w_place = xstrdup(w->loc_name), *w_town = xstrdup(w->loc_locality);
    char *w_title = xstrdup(w->title);

    if (!keep_uid && b->uid && (!a->uid || strcmp(b->uid, a->uid) < 0))
        move_str(&a->uid, &b->uid);
    /* the date: a day beats a month, then the newer version */
    bool take_date = day_grain(a) != day_grain(b) ? day_grain(b)
                     : !day_grain(a)            ? (b->grain != a->grain ? b->grain > a->grain : bn)
                                                : bn;
    if (take_date)
        a->y = b->y, a->m = b->m, a->d = b->d;
    if (b->has_time && (!a->has_time || bn)) {
        a->has_time = true;
        a->hh = b->hh, a->mm = b->mm;
        a->default_minutes = b->default_minutes;
    }
    a->grain = a->grain > b->grain ? a->grain : b->grain;
    if (b->has_end && (!a->has_end || bn)) {
        a->has_end = true;
        a->end_has_time = b->end_has_time;
        a->ey = b->ey, a->em = b->em, a->ed = b->ed, a->eh = b->eh, a->emin = b->emin;
    }
    a->all_day = !a->has_time;
    if (b->pod[0] && (bn || !a->pod[0]))
        memcpy(a->pod, b->pod, sizeof a->pod);
    pick_place(&a->loc_name, &b->loc_name, bn);
    pick_place(&a->loc_locality, &b->loc_locality, bn);
    pick_str(&a->name, &b->name, bn);
    pick_str(&a->end_point, &b->end_point, bn);
    pick_str(&a->organiser, &b->organiser, bn);
    pick_str(&a->original_date, &b->original_date, bn);
    pick_str(&a->timezone, &b->timezone, bn);
    /* a cancellation or postponement reported anywhere stands */
    int ra = status_rank(a->status), rb = status_rank(b->status);
    if (rb > ra || (rb == ra && bn))
        a->status = b->status;
    a->confidence = a->confidence > b->confidence ? a->confidence : b->confidence;
    a->date_inferred = a->date_inferred && b->date_inferred;
    a->sequence = a->sequence > b->sequence ? a->sequence : b->sequence;
    if (cmp_str0(b->last_modified, a->last_modified) > 0)
        move_str(&a->last_modified, &b->last_modified);
    for (size_t i = 0; i < b->nsources; i++) {
        ev_source *s = &b->sources[i];
        bool have = false;
        for (size_t k = 0; k < a->nsources && !have; k++)
            have = cmp_str0(a->sources[k].id, s->id) == 0;
        if (have)
            continue; /* one article is one source */
        a->sources = xrealloc(a->sources, (a->nsources + 1) * sizeof *a->sources);
        a->sources[a->nsources++] = *s;
        memset(s, 0, sizeof *s);
    }
    if (b->nreasons) {
        a->reasons = xrealloc(a->reasons, (a->nreasons + b->nreasons) * sizeof *a->reasons);
        memcpy(a->reasons + a->nreasons, b->reasons, b->nreasons * sizeof *b->reasons);
        a->nreasons += b->nreasons;
        b->nreasons = 0;
    }
    /* the newer version's title, unless the joined place or name is not the one it names */
    if (cmp_str0(a->name, w_name) == 0 && cmp_str0(a->loc_name, w_place) == 0 &&
        cmp_str0(a->loc_locality, w_town) == 0 && w_title) {
        free(a->title);
        a->title = w_title;
        w_title = NULL;
    } else {
        free(a->title);
        a->title = NULL; /* calendar_finish() builds it again */
    }
    free(w_title);
    free(w_name);
    free(w_place);
    free(w_town);
    calendar_event_free(b);
}

/* The entry of c that e belongs to: the same UID first, then event_same() (a day-precision
   entry before a month one).  Hand-written entries never match. */
static event *find_same(const calendar *c, const event *e, const event *except)
{
    event *target = NULL;
    for (size_t i = 0; i < calendar_count(c); i++) {
        event *x = calendar_get(c, i);
        if (x != except && !x->raw_ics && e->uid && x->uid && strcmp(x->uid, e->uid) == 0)
            return x;
    }
    for (size_t i = 0; i < calendar_count(c); i++) {
        event *x = calendar_get(c, i);
        if (x == except || x->raw_ics || !event_same(x, e))
            continue;
        if (!target || x->grain > target->grain)
            target = x;
    }
    return target;
}

static size_t index_of(const calendar *c, const event *e)
{
    for (size_t i = 0; i < calendar_count(c); i++)
        if (calendar_get(c, i) == e)
            return i;
    return SIZE_MAX;
}

static event *raw_with_uid(const calendar *c, const char *uid)
{
    for (size_t i = 0; uid && i < calendar_count(c); i++) {
        event *x = calendar_get(c, i);
        if (x->raw_ics && x->uid && strcmp(x->uid, uid) == 0)
            return x;
    }
    return NULL;
}

void merge_add(calendar *c, event *e)
{
    if (e->raw_ics) {
        event *x = raw_with_uid(c, e->uid);
        if (!x) {
            calendar_append(c, e);
            return;
        }
        /* one hand-written event twice: the higher SEQUENCE, then the smaller text stays */
        if (e->sequence > x->sequence || (e->sequence == x->sequence && strcmp(e->raw_ics, x->raw_ics) < 0)) {
            calendar_event_free(calendar_remove(c, index_of(c, x)));
            calendar_append(c, e);
        } else {
            calendar_event_free(e);
        }
        return;
    }
    if (raw_with_uid(c, e->uid)) {
        calendar_event_free(e); /* its UID is a hand-written event's: that one stands */
        return;
    }
    event *t = find_same(c, e, NULL);
    if (!t) {
        calendar_append(c, e);
        return;
    }
    join(t, e, false);
    /* the joined entry may now be the same as another one (a month mention became a day):
       join until nothing more matches, so the result does not depend on the order */
    for (event *x; (x = find_same(c, t, t));) {
        calendar_remove(c, index_of(c, x));
        join(t, x, false);
    }
}

void merge_calendars(calendar *dst, calendar *src)
{
    while (calendar_count(src) > 0)
        merge_add(dst, calendar_remove(src, 0));
    for (size_t i = 0; i < calendar_extra_count(src); i++) {
        const char *tzid;
        const char *text = calendar_extra(src, i, &tzid);
        bool have = false;
        for (size_t k = 0; k < calendar_extra_count(dst) && !have; k++)
            have = strcmp(calendar_extra(dst, k, NULL), text) == 0;
        if (!have)
            calendar_add_extra(dst, xstrdup(text), tzid);
    }
    calendar_free(src);
}

static int cmp_newest(const void *pa, const void *pb)
{
    const event *a = *(event *const *)pa, *b = *(event *const *)pb;
    return strcmp(newest(a), newest(b));
}

void merge_update(calendar *cal, calendar *fresh, int64_t now, merge_stats *st)
{
    merge_stats dummy;
    if (!st)
        st = &dummy;
    memset(st, 0, sizeof *st);
    datetime dt;
    datetime_from_epoch_utc(now, &dt);
    char stamp[32];
    snprintf(stamp, sizeof stamp, "%04d%02d%02dT%02d%02d%02dZ", dt.y, dt.m, dt.d, dt.hh, dt.mm, dt.ss);

    /* the older reports first, so that the newest is applied last */
    size_t n = calendar_count(fresh);
    event **evs = xmalloc((n + 1) * sizeof *evs);
    for (size_t i = 0; i < n; i++)
        evs[i] = calendar_remove(fresh, 0);
    calendar_free(fresh);
    for (size_t i = 1; i < n; i++) /* insertion sort: stable */
        for (size_t k = i; k > 0 && cmp_newest(&evs[k - 1], &evs[k]) > 0; k--) {
            event *t = evs[k];
            evs[k] = evs[k - 1];
            evs[k - 1] = t;
        }
    for (size_t i = 0; i < n; i++) {
        event *f = evs[i];
        if (raw_with_uid(cal, f->uid)) {
            st->skipped++;
            calendar_event_free(f);
            continue;
        }
        event *t = find_same(cal, f, NULL);
        if (!t) {
            st->added++;
            calendar_append(cal, f);
            continue;
        }
        strbuf core0, full0, core1, full1;
        sb_init(&core0), sb_init(&full0), sb_init(&core1), sb_init(&full1);
        key_core(t, &core0);
        key_full(t, &full0);
        join(t, f, true);
        if (!t->title)
            event_set_title(t);
        key_core(t, &core1);
        key_full(t, &full1);
        if (strcmp(core0.s, core1.s) != 0) {
            t->sequence++;
            free(t->last_modified);
            t->last_modified = xstrdup(stamp);
            st->changed++;
        } else if (strcmp(full0.s, full1.s) != 0) {
            free(t->last_modified);
            t->last_modified = xstrdup(stamp);
            st->touched++;
        } else {
            st->unchanged++;
        }
        sb_finish(&core0), sb_finish(&full0), sb_finish(&core1), sb_finish(&full1);
    }
    free(evs);
}

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
   change of the event (SEQUENCE + 1).  The length counts only where DTEND is made from it, as
   emit_ics writes it: a stated end hides it, and a calendar read back has 120 there while the
   article read again has its type's length ("from 2pm to 4pm" twice is no change). */
static void key_core(const event *e, strbuf *sb)
{
    int minutes = 0;
    if (e->has_time && !(e->has_end && e->end_has_time))
        minutes = e->default_minutes > 0 ? e->default_minutes : 120; /* no length is the 120 DTEND shows */
    sb_printf(sb, "%04d-%02d-%02d|%d|%d %02d:%02d|%d %d %04d-%02d-%02d %02d:%02d|%d|%s|", e->y, e->m, e->d,
              (int)e->grain, e->has_time, e->hh, e->mm, e->has_end, e->end_has_time, e->ey, e->em, e->ed, e->eh,
              e->emin, minutes,
              e->status == EV_CANCELLED || e->status == EV_POSTPONED ? ev_status_name(e->status) : "-");
    sb_printf(sb, "%s|%s|%s|%s", e->loc_name ? e->loc_name : "", e->loc_locality ? e->loc_locality : "",
              e->end_point ? e->end_point : "", e->type ? e->type : "");
    char rr[128];
    const char *rrule = event_rrule(e, rr, sizeof rr);
    sb_printf(sb, "|%s", rrule ? rrule : "");
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
    sb_printf(sb, "|%s|%lld %lld %lld %lld", ev_status_name(e->status), (long long)e->said_time,
              (long long)e->said_end, (long long)e->said_place, (long long)e->said_locality);
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

static void move_str(char **dst, char **src)
{
    free(*dst);
    *dst = *src;
    *src = NULL;
}

/* Takes b's string when a has none or b's is smaller: a choice that does not depend on the
   order (for the fields that are rarely stated twice). */
static void pick_min(char **a, char **b)
{
    if (*b && (!*a || strcmp(*b, *a) < 0))
        move_str(a, b);
}

/* Equal strings, NULL being "". */
static bool eq0(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

/* A field as a register: the later report wins, then the longer, then the smaller value. */
static bool later_str(int64_t tb, const char *b, int64_t ta, const char *a)
{
    if (!b)
        return false;
    if (!a || tb != ta)
        return !a || tb > ta;
    size_t la = strlen(a), lb = strlen(b);
    return lb != la ? lb > la : strcmp(b, a) < 0;
}

static int status_rank(ev_status s)
{
    /* cancelled or postponed anywhere stands; "past" is the later view of "upcoming" */
    return s == EV_CANCELLED ? 3 : s == EV_POSTPONED ? 2 : s == EV_PAST ? 1 : 0;
}

/* The date part: a day beats a month, then the finer grain, then the earlier date. */
static bool better_date(const event *b, const event *a)
{
    bool ad = a->grain >= G_DAY, bd = b->grain >= G_DAY;
    if (ad != bd)
        return bd;
    if (!ad && a->grain != b->grain)
        return b->grain > a->grain;
    if (a->y != b->y)
        return b->y < a->y;
    if (a->m != b->m)
        return b->m < a->m;
    return bd && b->d < a->d;
}

/*
 * Folds b into a (b is freed).  Every field is joined by a rule that does not depend on which
 * is a and which is b, nor on what was joined before, so the join is commutative, associative
 * and idempotent: the time, end, place and town of the later report (their said_* stamps);
 * the more precise date; the highest status rank, SEQUENCE, LAST-MODIFIED and confidence;
 * the union of sources; the shorter name; the smaller of two other strings.  keep_uid: a's UID stays
 * (--update); otherwise the smaller UID.
 */
static void join(event *a, event *b, bool keep_uid)
{
    /* two reports of one series: as of its first day, before their times and ends are weighed */
    event_series_align(a, b);
    /* which side each of what a title is made of comes from (the rules below), so that the
       title of a side that names exactly what the join keeps can be kept */
    bool name_b = event_name_better(b->name, a->name);
    bool place_b = later_str(b->said_place, b->loc_name, a->said_place, a->loc_name);
    bool town_b = later_str(b->said_locality, b->loc_locality, a->said_locality, a->loc_locality);
    const char *kn = name_b ? b->name : a->name, *kp = place_b ? b->loc_name : a->loc_name,
               *kt = town_b ? b->loc_locality : a->loc_locality;
    bool a_names = eq0(kn, a->name) && eq0(kp, a->loc_name) && eq0(kt, a->loc_locality);
    bool b_names = eq0(kn, b->name) && eq0(kp, b->loc_name) && eq0(kt, b->loc_locality);
    const char *a_title = a_names ? a->title : NULL, *b_title = b_names ? b->title : NULL;
    char *title = a_title && (!b_title || strcmp(a_title, b_title) <= 0) ? str_take(&a->title)
                  : b_title                                             ? str_take(&b->title)
                                                                        : NULL;

    if (!keep_uid && b->uid && (!a->uid || strcmp(b->uid, a->uid) < 0))
        move_str(&a->uid, &b->uid);
    if (better_date(b, a))
        a->y = b->y, a->m = b->m, a->d = b->d;
    if (b->has_time) {
        int ta = a->hh * 60 + a->mm, tb = b->hh * 60 + b->mm;
        if (!a->has_time || b->said_time > a->said_time ||
            (b->said_time == a->said_time && (tb < ta || (tb == ta && b->default_minutes > a->default_minutes)))) {
            a->has_time = true;
            a->hh = b->hh, a->mm = b->mm;
            a->default_minutes = b->default_minutes;
            a->said_time = b->said_time;
        }
    }
    a->grain = a->grain > b->grain ? a->grain : b->grain;
    if (b->has_end) {
        char ea[32], eb[32];
        snprintf(ea, sizeof ea, "%d %04d%02d%02d%02d%02d", a->end_has_time, a->ey, a->em, a->ed, a->eh, a->emin);
        snprintf(eb, sizeof eb, "%d %04d%02d%02d%02d%02d", b->end_has_time, b->ey, b->em, b->ed, b->eh, b->emin);
        if (!a->has_end || b->said_end > a->said_end || (b->said_end == a->said_end && strcmp(eb, ea) < 0)) {
            a->has_end = true;
            a->end_has_time = b->end_has_time;
            a->ey = b->ey, a->em = b->em, a->ed = b->ed, a->eh = b->eh, a->emin = b->emin;
            a->said_end = b->said_end;
        }
    }
    a->all_day = !a->has_time;
    event_series_rule(a, b); /* the rule as a register too */
    if (b->pod[0] && (!a->pod[0] || strcmp(b->pod, a->pod) < 0))
        memcpy(a->pod, b->pod, sizeof a->pod);
    if (place_b) {
        move_str(&a->loc_name, &b->loc_name);
        a->said_place = b->said_place;
    }
    if (town_b) {
        move_str(&a->loc_locality, &b->loc_locality);
        a->said_locality = b->said_locality;
    }
    if (name_b)
        move_str(&a->name, &b->name);
    pick_min(&a->end_point, &b->end_point);
    pick_min(&a->organiser, &b->organiser);
    pick_min(&a->original_date, &b->original_date);
    pick_min(&a->timezone, &b->timezone);
    if (status_rank(b->status) > status_rank(a->status))
        a->status = b->status;
    a->confidence = a->confidence > b->confidence ? a->confidence : b->confidence;
    a->date_inferred = a->date_inferred && b->date_inferred;
    a->sequence = a->sequence > b->sequence ? a->sequence : b->sequence;
    if (cmp_str0(b->last_modified, a->last_modified) > 0)
        move_str(&a->last_modified, &b->last_modified);
    for (size_t i = 0; i < b->nsources; i++) {
        ev_source *src = &b->sources[i];
        if (event_has_source(a, src->id))
            continue; /* one article is one source */
        *event_new_source(a) = *src;
        memset(src, 0, sizeof *src);
    }
    if (b->nreasons) {
        event_reserve_reasons(a, b->nreasons);
        memcpy(a->reasons + a->nreasons, b->reasons, b->nreasons * sizeof *b->reasons);
        a->nreasons += b->nreasons;
        b->nreasons = 0;
    }
    /* a recurring event is past only once its last occurrence is, as of its newest report (a
       report of its first day as past says nothing of the rest); from the joined fields
       alone, so the join stays associative */
    int ny, nm, nd;
    if (a->recur.freq != EV_ONCE && (a->status == EV_UPCOMING || a->status == EV_PAST) &&
        sscanf(newest(a), "%d-%d-%d", &ny, &nm, &nd) == 3 && date_valid(ny, nm, nd))
        a->status = event_recur_status(a, ny, nm, nd);
    /* the title of whichever side names what the join kept (the smaller if both do); if
       neither does, calendar_finish() builds it again */
    free(a->title);
    a->title = title;
    event_free(b);
}

/* Whether x, which has e's UID, is e at another time or place: the UID names the kind, day and
   town, but an entry joined with another keeps the smaller UID of the two (a month mention's,
   a report that named no town), so a UID alone can name an entry of another day or town ("a
   vote in Washington" under the UID of a vote in Tel Aviv), which is no moved event. */
static bool moved(const event *x, const event *e)
{
    bool xt = x->loc_locality != NULL, et = e->loc_locality != NULL;
    return strcmp(x->type, e->type) == 0 && x->grain >= G_DAY && e->grain >= G_DAY && x->y == e->y && x->m == e->m &&
           x->d == e->d && xt == et && (!xt || ascii_strcaseeq(x->loc_locality, e->loc_locality));
}

/*
 * The entry of c that e belongs to: the same UID first (an event moved to another hour keeps
 * its UID), then event_same() (a day-precision entry before a month one).  A UID names the
 * kind, day and town only: where two events of one day share it across calendars (a march at
 * 11am, one at 3pm: in a calendar with both the later is "<hash>-1500", alone it is "<hash>")
 * and the entry with e's UID is not the same as e but another entry is, that other one is e's.
 * Hand-written entries never match.
 */
static event *find_same(calendar *c, const event *e, const event *except)
{
    event *x = calendar_find_uid(c, e->uid, false, except);
    if (x && event_same(x, e))
        return x;
    event *y = calendar_find_same(c, e, except);
    return y ? y : x && moved(x, e) ? x : NULL;
}

void merge_add(calendar *c, event *e)
{
    if (e->raw_ics && !e->uid) {
        /* without a UID, only its text tells one hand-written event twice (a calendar merged
           with itself) from two */
        if (calendar_find_raw_text(c, e->raw_ics, NULL))
            event_free(e);
        else
            calendar_append(c, e);
        return;
    }
    if (e->raw_ics) {
        /* a recurring event's override of one occurrence shares its UID: it is the same
           hand-written event only with the same RECURRENCE-ID */
        event *x = calendar_find_raw(c, e->uid, e->recurrence_id, NULL);
        if (!x) {
            calendar_append(c, e);
            return;
        }
        /* one hand-written event twice: the higher SEQUENCE, then the smaller text stays */
        if (e->sequence > x->sequence || (e->sequence == x->sequence && strcmp(e->raw_ics, x->raw_ics) < 0)) {
            if (!calendar_find_raw(c, e->uid, e->recurrence_id, x)) {
                /* e takes x's place, in constant time (removing x moved every later entry: N
                   replacements took N squared).  Nothing can tell e there from e at the end:
                   no other hand-written entry has its UID and RECURRENCE-ID, so no lookup ties
                   with it, and no entry compares equal to it in calendar_finish's sort (type,
                   UID, text). */
                event_free(calendar_replace(c, calendar_index_of(c, x), e));
            } else {
                /* a calendar that holds the UID and RECURRENCE-ID twice (not built by
                   merge_add): the next lookup must find the other one first, as before */
                event_free(calendar_remove(c, calendar_index_of(c, x)));
                calendar_append(c, e);
            }
        } else {
            event_free(e);
        }
        return;
    }
    if (calendar_find_uid(c, e->uid, true, NULL)) {
        event_free(e); /* its UID is a hand-written event's: that one stands */
        return;
    }
    event *t = find_same(c, e, NULL);
    if (!t) {
        calendar_append(c, e);
        return;
    }
    join(t, e, false);
    calendar_rekey(c, t); /* its UID, year or month may have changed */
    /* the joined entry may now be the same as another one (a month mention became a day):
       join until nothing more matches, so the result does not depend on the order */
    for (event *x; (x = find_same(c, t, t));) {
        calendar_remove(c, calendar_index_of(c, x));
        join(t, x, false);
        calendar_rekey(c, t);
    }
}

typedef struct extra_ref {
    const char *text, *tzid;
} extra_ref;

static int cmp_extras(const void *pa, const void *pb)
{
    const extra_ref *a = pa, *b = pb;
    return strcmp(a->text, b->text);
}

/*
 * Which entry an event joins can depend on what is already there: a 6pm vigil meeting the
 * 7pm one under its UID joins it as a moved time unless another 7pm report came first.  So
 * every event of every calendar is added in one order fixed by the events themselves
 * (event_ptr_cmp), and the result is the same whatever order the calendars come in.
 */
calendar *merge_all(calendar **cals, size_t ncals)
{
    size_t total = 0, nextra = 0;
    for (size_t k = 0; k < ncals; k++) {
        total += calendar_count(cals[k]);
        nextra += calendar_extra_count(cals[k]);
    }
    event **evs = xmalloc((total ? total : 1) * sizeof *evs);
    extra_ref *extras = xmalloc((nextra ? nextra : 1) * sizeof *extras);
    size_t n = 0, ne = 0;
    for (size_t k = 0; k < ncals; k++) {
        size_t m;
        event **some = calendar_take_all(cals[k], &m);
        memcpy(evs + n, some, m * sizeof *evs);
        n += m;
        free(some);
        for (size_t i = 0; i < calendar_extra_count(cals[k]); i++) {
            extras[ne].text = calendar_extra(cals[k], i, &extras[ne].tzid);
            ne++;
        }
    }
    qsort(evs, n, sizeof *evs, event_ptr_cmp);
    qsort(extras, ne, sizeof *extras, cmp_extras);
    calendar *all = calendar_new();
    for (size_t i = 0; i < n; i++)
        merge_add(all, evs[i]);
    for (size_t i = 0; i < ne; i++)
        if (!calendar_has_extra(all, extras[i].text))
            calendar_add_extra(all, xstrdup(extras[i].text), extras[i].tzid);
    free(evs);
    free(extras);
    for (size_t k = 0; k < ncals; k++)
        calendar_free(cals[k]);
    return all;
}

static int cmp_newest(const void *pa, const void *pb)
{
    const event *a = *(event *const *)pa, *b = *(event *const *)pb;
    return strcmp(newest(a), newest(b));
}

/* True when every source of f is already one of t's, as t has it: the same article id and the
   same sentence.  An article edited since ("the vigil has been cancelled" in the story the
   calendar read yesterday), or another file of the same name, says something new. */
static bool sources_known(event *t, const event *f)
{
    for (size_t i = 0; i < f->nsources; i++) {
        const ev_source *k = event_source(t, f->sources[i].id);
        if (!k || cmp_str0(k->evidence, f->sources[i].evidence) != 0)
            return false;
    }
    return true;
}

/* An article the calendar drew on, read again as it is now (edited since): what t keeps of it
   becomes what this run read, and join() then passes over f's copy, now the old one, as a
   source it has.  The id stays in place: t's source index points at it.  Whether any source
   was renewed. */
static bool renew_sources(event *t, event *f)
{
    bool any = false;
    for (size_t i = 0; i < f->nsources; i++) {
        ev_source *k = event_source(t, f->sources[i].id), *n = &f->sources[i];
        if (!k || cmp_str0(k->evidence, n->evidence) == 0)
            continue; /* a new article, or this one as the calendar has it */
        any = true;
        ev_source old = *k;
        k->url = n->url, k->title = n->title, k->published = n->published, k->evidence = n->evidence;
        k->span_start = n->span_start, k->span_end = n->span_end;
        n->url = old.url, n->title = old.title, n->published = old.published, n->evidence = old.evidence;
        n->span_start = old.span_start, n->span_end = old.span_end;
    }
    return any;
}

/* A stable sort by cmp_newest (equal reports keep the order of the run): a bottom-up merge
   sort, since qsort is not stable and a run may hold many thousands of events. */
static void sort_newest_last(event **v, size_t n)
{
    event **tmp = xmalloc((n + 1) * sizeof *tmp), **a = v, **b = tmp;
    for (size_t w = 1; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                b[k++] = cmp_newest(&a[j], &a[i]) < 0 ? a[j++] : a[i++];
            while (i < mid)
                b[k++] = a[i++];
            while (j < hi)
                b[k++] = a[j++];
        }
        event **t = a;
        a = b;
        b = t;
    }
    if (a != v)
        memcpy(v, a, n * sizeof *v);
    free(tmp);
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
    size_t n;
    event **evs = calendar_take_all(fresh, &n);
    calendar_free(fresh);
    sort_newest_last(evs, n);
    for (size_t i = 0; i < n; i++) {
        event *f = evs[i];
        if (calendar_find_uid(cal, f->uid, true, NULL)) {
            st->skipped++;
            event_free(f);
            continue;
        }
        event *t = find_same(cal, f, NULL);
        if (!t) {
            st->added++;
            calendar_append(cal, f);
            continue;
        }
        if (sources_known(t, f)) {
            /* what the run says comes from articles the file already drew on: rereading
               them adds nothing, even the corroboration bonus one run gives its merges */
            st->unchanged++;
            event_free(f);
            continue;
        }
        strbuf core0, full0, core1, full1;
        sb_init(&core0), sb_init(&full0), sb_init(&core1), sb_init(&full1);
        key_core(t, &core0);
        key_full(t, &full0);
        if (renew_sources(t, f)) {
            /* the article as it reads now against what the calendar has from the same day's
               reports, its own earlier text among them: on equal dates the edit wins (a
               vigil moved from 6pm to 7pm in the story moves in the calendar) */
            f->said_time += f->said_time && f->said_time == t->said_time;
            f->said_end += f->said_end && f->said_end == t->said_end;
            f->said_place += f->said_place && f->said_place == t->said_place;
            f->said_locality += f->said_locality && f->said_locality == t->said_locality;
        }
        join(t, f, true);
        calendar_rekey(cal, t);
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

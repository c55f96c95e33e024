#include "calendar.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"

typedef struct cal_extra {
    char *text;
    char *tzid;
} cal_extra;

/* One entry of the index: chained buckets, two nodes per event (its kind key and its UID). */
typedef struct cal_node {
    uint64_t key;
    event *e;
    struct cal_node *next;
} cal_node;

typedef struct cal_index {
    cal_node **b;
    size_t nb, n;
} cal_index;

struct calendar {
    event **items;
    size_t count, cap;
    cal_extra *extras;
    size_t nextras, extras_cap;
    bool extras_indexed; /* extra_texts holds every extra's text (built by the first lookup) */
    strset extra_texts;  /* borrows the texts, which the extras own */
    bool indexed; /* by_kind and by_uid hold every item (built by the first lookup) */
    cal_index by_kind, by_uid;
    char *name, *zone; /* the file's X-WR-CALNAME and X-WR-TIMEZONE */
    char **props;      /* its other calendar-level lines */
    size_t nprops;
};

/* ---- the index ---- */

/* Entries that may be the same event share the kind, year and month (event_same's first
   tests); a hand-written event is never merged, so it has no kind key. */
static uint64_t kind_key(const event *e)
{
    if (e->raw_ics || !e->type)
        return 0;
    if (e->recur.freq != EV_ONCE) {
        /* a series is one whatever its first day (event_same_series): filed by its rule */
        int shape[4] = {(int)e->recur.freq, e->recur.interval, (int)e->recur.days, (int)e->recur.ords};
        return hash64(shape, sizeof shape, hash64(e->type, strlen(e->type), 4)) | 1;
    }
    int ym[2] = {e->y, e->m};
    return hash64(ym, sizeof ym, hash64(e->type, strlen(e->type), 1)) | 1;
}

static uint64_t uid_hash(const char *uid)
{
    return hash64(uid, strlen(uid), 2) | 1;
}

/* A hand-written event without a UID (RFC 5545 wants one; --check says so) is filed under its
   text, so that merging a calendar with itself finds it (calendar_find_raw_text). */
static uint64_t raw_text_hash(const char *raw)
{
    return hash64(raw, strlen(raw), 3) | 1;
}

static uint64_t uid_key(const event *e)
{
    if (!e->uid)
        return e->raw_ics ? raw_text_hash(e->raw_ics) : 0; /* 0: not filed */
    return uid_hash(e->uid);
}

static void index_put(cal_index *x, uint64_t key, event *e)
{
    if (!key)
        return;
    if (x->n >= x->nb) {
        size_t nb = x->nb ? x->nb * 2 : 64;
        cal_node **b = xcalloc(nb, sizeof *b);
        for (size_t i = 0; i < x->nb; i++)
            for (cal_node *nd = x->b[i], *next; nd; nd = next) {
                next = nd->next;
                nd->next = b[nd->key & (nb - 1)];
                b[nd->key & (nb - 1)] = nd;
            }
        free(x->b);
        x->b = b;
        x->nb = nb;
    }
    cal_node *nd = xmalloc(sizeof *nd);
    nd->key = key;
    nd->e = e;
    nd->next = x->b[key & (x->nb - 1)];
    x->b[key & (x->nb - 1)] = nd;
    x->n++;
}

static void index_drop(cal_index *x, uint64_t key, const event *e)
{
    if (!key || !x->nb)
        return;
    for (cal_node **p = &x->b[key & (x->nb - 1)]; *p; p = &(*p)->next)
        if ((*p)->e == e) {
            cal_node *nd = *p;
            *p = nd->next;
            free(nd);
            x->n--;
            return;
        }
}

static void index_clear(cal_index *x)
{
    for (size_t i = 0; i < x->nb; i++)
        for (cal_node *nd = x->b[i], *next; nd; nd = next) {
            next = nd->next;
            free(nd);
        }
    free(x->b);
    memset(x, 0, sizeof *x);
}

static void file_event(calendar *c, event *e)
{
    e->cal_kkey = kind_key(e);
    e->cal_ukey = uid_key(e);
    index_put(&c->by_kind, e->cal_kkey, e);
    index_put(&c->by_uid, e->cal_ukey, e);
}

static void unfile_event(calendar *c, const event *e)
{
    index_drop(&c->by_kind, e->cal_kkey, e);
    index_drop(&c->by_uid, e->cal_ukey, e);
}

static void ensure_indexed(calendar *c)
{
    if (c->indexed)
        return;
    for (size_t i = 0; i < c->count; i++)
        file_event(c, c->items[i]);
    c->indexed = true;
}

static void forget_index(calendar *c)
{
    index_clear(&c->by_kind);
    index_clear(&c->by_uid);
    c->indexed = false;
}

void calendar_rekey(calendar *c, event *e)
{
    if (!c->indexed || calendar_index_of(c, e) == SIZE_MAX)
        return;
    unfile_event(c, e);
    file_event(c, e);
}

/* The earliest entry other than `except` with this UID, hand-written or not as `raw` says;
   with `by_rid`, also with this recurrence_id (NULL matching NULL). */
static event *find_uid(calendar *c, const char *uid, bool raw, bool by_rid, const char *rid, const event *except)
{
    if (!uid)
        return NULL;
    ensure_indexed(c);
    uint64_t key = uid_hash(uid);
    event *best = NULL;
    for (const cal_node *nd = c->by_uid.nb ? c->by_uid.b[key & (c->by_uid.nb - 1)] : NULL; nd; nd = nd->next) {
        event *x = nd->e;
        if (nd->key != key || x == except || !x->raw_ics != !raw || !x->uid || strcmp(x->uid, uid) != 0)
            continue;
        if (by_rid && (!x->recurrence_id != !rid || (rid && strcmp(x->recurrence_id, rid) != 0)))
            continue;
        if (!best || x->cal_pos < best->cal_pos)
            best = x;
    }
    return best;
}

event *calendar_find_uid(calendar *c, const char *uid, bool raw, const event *except)
{
    return find_uid(c, uid, raw, false, NULL, except);
}

event *calendar_find_raw(calendar *c, const char *uid, const char *recurrence_id, const event *except)
{
    return find_uid(c, uid, true, true, recurrence_id, except);
}

event *calendar_find_raw_text(calendar *c, const char *raw, const event *except)
{
    ensure_indexed(c);
    uint64_t key = raw_text_hash(raw);
    for (const cal_node *nd = c->by_uid.nb ? c->by_uid.b[key & (c->by_uid.nb - 1)] : NULL; nd; nd = nd->next) {
        event *x = nd->e;
        if (nd->key == key && x != except && !x->uid && x->raw_ics && strcmp(x->raw_ics, raw) == 0)
            return x;
    }
    return NULL;
}

event *calendar_find_same(calendar *c, const event *e, const event *except)
{
    uint64_t key = kind_key(e);
    if (!key)
        return NULL;
    ensure_indexed(c);
    event *best = NULL;
    for (const cal_node *nd = c->by_kind.nb ? c->by_kind.b[key & (c->by_kind.nb - 1)] : NULL; nd; nd = nd->next) {
        event *x = nd->e;
        if (nd->key != key || x == except || x->raw_ics || !event_same(x, e))
            continue;
        if (!best || x->grain > best->grain || (x->grain == best->grain && x->cal_pos < best->cal_pos))
            best = x;
    }
    return best;
}

calendar *calendar_new(void)
{
    return xcalloc(1, sizeof(calendar));
}

void calendar_free(calendar *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->count; i++)
        event_free(c->items[i]);
    free(c->items);
    forget_index(c);
    for (size_t i = 0; i < c->nextras; i++) {
        free(c->extras[i].text);
        free(c->extras[i].tzid);
    }
    free(c->extras);
    strset_free(&c->extra_texts);
    free(c->name);
    free(c->zone);
    str_list_free(c->props, c->nprops);
    free(c);
}

void calendar_set_name(calendar *c, const char *name, const char *zone)
{
    free(c->name);
    free(c->zone);
    c->name = name ? xstrdup(name) : NULL;
    c->zone = zone ? xstrdup(zone) : NULL;
}

const char *calendar_name(const calendar *c)
{
    return c->name;
}

const char *calendar_zone(const calendar *c)
{
    return c->zone;
}

void calendar_add_prop(calendar *c, const char *line)
{
    c->props = xrealloc(c->props, (c->nprops + 1) * sizeof *c->props);
    c->props[c->nprops++] = xstrdup(line);
}

size_t calendar_prop_count(const calendar *c)
{
    return c->nprops;
}

const char *calendar_prop(const calendar *c, size_t i)
{
    return i < c->nprops ? c->props[i] : NULL;
}

void calendar_append(calendar *c, event *e)
{
    if (c->count == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 32;
        c->items = xrealloc(c->items, c->cap * sizeof *c->items);
    }
    e->cal_pos = c->count;
    c->items[c->count++] = e;
    if (c->indexed)
        file_event(c, e);
}

event *calendar_remove(calendar *c, size_t i)
{
    if (i >= c->count)
        return NULL;
    event *e = c->items[i];
    if (c->indexed)
        unfile_event(c, e);
    memmove(&c->items[i], &c->items[i + 1], (c->count - i - 1) * sizeof *c->items);
    c->count--;
    for (size_t k = i; k < c->count; k++)
        c->items[k]->cal_pos = k;
    return e;
}

event *calendar_replace(calendar *c, size_t i, event *e)
{
    if (i >= c->count)
        return NULL;
    event *old = c->items[i];
    if (c->indexed)
        unfile_event(c, old);
    e->cal_pos = i;
    c->items[i] = e;
    if (c->indexed)
        file_event(c, e);
    return old;
}

event **calendar_take_all(calendar *c, size_t *n)
{
    event **all = c->items ? c->items : xmalloc(sizeof *all);
    *n = c->count;
    c->items = NULL;
    c->count = c->cap = 0;
    forget_index(c);
    return all;
}

size_t calendar_index_of(const calendar *c, const event *e)
{
    return e && e->cal_pos < c->count && c->items[e->cal_pos] == e ? e->cal_pos : SIZE_MAX;
}

void calendar_add_extra(calendar *c, char *text, const char *tzid)
{
    if (c->nextras == c->extras_cap) {
        /* doubled, not one more each time: a calendar of 150,000 to-dos moved its array as
           often, which glibc's MALLOC_PERTURB_ (meson test sets it) made take 20 s */
        c->extras_cap = c->extras_cap ? 2 * c->extras_cap : 16;
        c->extras = xrealloc(c->extras, c->extras_cap * sizeof *c->extras);
    }
    c->extras[c->nextras++] = (cal_extra){text, xstrdup(tzid)};
    if (c->extras_indexed)
        strset_add(&c->extra_texts, text, c->nextras - 1, NULL);
}

bool calendar_has_extra(calendar *c, const char *text)
{
    if (!c->extras_indexed) {
        for (size_t i = 0; i < c->nextras; i++)
            strset_add(&c->extra_texts, c->extras[i].text, i, NULL);
        c->extras_indexed = true;
    }
    return strset_find(&c->extra_texts, text) != NULL;
}

size_t calendar_extra_count(const calendar *c)
{
    return c->nextras;
}

const char *calendar_extra(const calendar *c, size_t i, const char **tzid)
{
    if (i >= c->nextras)
        return NULL;
    if (tzid)
        *tzid = c->extras[i].tzid;
    return c->extras[i].text;
}

size_t calendar_count(const calendar *c)
{
    return c->count;
}

event *calendar_get(const calendar *c, size_t i)
{
    return i < c->count ? c->items[i] : NULL;
}

/* Whether `needle` occurs in `hay` as whole words (ignoring case): "Queens Park" in "Queens
   Park gates", not "Hull" in "Solihull". */
static bool has_words(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    if (!n)
        return false;
    for (const char *p = hay; (p = ascii_strcasestr(p, needle)); p++) {
        bool before = p == hay || !ascii_isalnum((unsigned char)p[-1]);
        bool after = !ascii_isalnum((unsigned char)p[n]);
        if (before && after)
            return true;
    }
    return false;
}

/* Two places one event can have: the same, one unknown, or (a venue) one naming the other
   with more words. */
static bool name_compatible(const char *a, const char *b)
{
    if (!a || !b)
        return true;
    return ascii_strcaseeq(a, b) || has_words(a, b) || has_words(b, a);
}

/* Two towns: the same or one unknown; "York" is not "New York". */
static bool town_compatible(const char *a, const char *b)
{
    return !a || !b || ascii_strcaseeq(a, b);
}

bool event_same(const event *a, const event *b)
{
    if (strcmp(a->type, b->type) != 0)
        return false;
    /* a weekly market and the one on its first Saturday are two entries; two reports of the
       market published a week apart start on two Saturdays of one series */
    if ((a->recur.freq != EV_ONCE) != (b->recur.freq != EV_ONCE))
        return false;
    if (a->recur.freq != EV_ONCE) {
        if (!event_same_series(a, b))
            return false;
    } else {
        if (a->y != b->y || a->m != b->m)
            return false;
        bool ad = a->grain >= G_DAY, bd = b->grain >= G_DAY;
        if (ad && bd && a->d != b->d)
            return false;
        if (!ad && !bd && a->grain != b->grain)
            return false;
    }
    if (a->has_time && b->has_time && (a->hh != b->hh || a->mm != b->mm))
        return false;
    /* a festival of three days and the opening concert at 6pm on its first, named otherwise:
       an item of its programme is an entry of its own */
    bool a_days = event_spans_days(a), b_days = event_spans_days(b);
    if (a_days != b_days && (a_days ? b : a)->has_time && a->name && b->name && !name_compatible(a->name, b->name))
        return false;
    if (!town_compatible(a->loc_locality, b->loc_locality))
        return false;
    if (!name_compatible(a->loc_name, b->loc_name))
        return false;
    return true;
}

int64_t calendar_published_time(const char *published)
{
    datetime dt;
    if (!published || !datetime_parse(published, &dt))
        return 0;
    int64_t t = datetime_to_epoch_utc(dt.y, dt.m, dt.d, dt.hh, dt.mm, dt.ss);
    return dt.has_offset ? t - (int64_t)dt.offset_min * 60 : t;
}

/* A new report: what it states was said when its article was published. */
static void stamp_report(event *e)
{
    if (e->nsources != 1 || e->said_time || e->said_end || e->said_place || e->said_locality || e->said_recur)
        return;
    int64_t t = calendar_published_time(e->sources[0].published);
    e->said_time = e->has_time ? t : 0;
    e->said_end = e->has_end ? t : 0;
    e->said_place = e->loc_name ? t : 0;
    e->said_locality = e->loc_locality ? t : 0;
    e->said_recur = e->recur.freq != EV_ONCE ? t : 0;
}

/* Folds b into a (a keeps its identity); b is freed. */
static void merge_into(event *a, event *b)
{
    /* one series (event_same() joins a recurring event only with one): both as of its
       earlier first day, and the rule of the later report */
    event_series_align(a, b);
    event_series_rule(a, b);
    if (b->grain > a->grain) {
        /* the more precise mention decides the date */
        a->grain = b->grain;
        a->d = b->d;
        a->status = b->status;
    }
    if (!a->has_time && b->has_time) {
        a->has_time = true;
        a->hh = b->hh;
        a->mm = b->mm;
        a->all_day = false;
        a->grain = b->grain;
        a->said_time = b->said_time;
    }
    if (!a->has_end && b->has_end) {
        a->said_end = b->said_end;
        a->has_end = b->has_end;
        a->end_has_time = b->end_has_time;
        a->ey = b->ey, a->em = b->em, a->ed = b->ed, a->eh = b->eh, a->emin = b->emin;
    }
    /* of two compatible names ("Queens Park", "Queens Park gates") the longer says more; taking
       it whichever came first keeps merging independent of input order */
    if (b->loc_name && (!a->loc_name || strlen(b->loc_name) > strlen(a->loc_name) ||
                        (strlen(b->loc_name) == strlen(a->loc_name) && strcmp(b->loc_name, a->loc_name) < 0))) {
        free(a->loc_name);
        a->loc_name = str_take(&b->loc_name);
        a->said_place = b->said_place;
    }
    if (!a->loc_locality && b->loc_locality) {
        a->loc_locality = str_take(&b->loc_locality);
        a->said_locality = b->said_locality;
    }
    /* what the reports call it ("Vigil for the children killed"): the shorter, then the first in
       byte order, so the title does not depend on which report came first */
    if (event_name_better(b->name, a->name)) {
        free(a->name);
        a->name = str_take(&b->name);
    }
    if (!a->organiser && b->organiser)
        a->organiser = str_take(&b->organiser);
    if (!a->end_point && b->end_point)
        a->end_point = str_take(&b->end_point);
    if (b->status == EV_CANCELLED || b->status == EV_POSTPONED)
        a->status = b->status;
    if (!a->pod[0] && b->pod[0])
        memcpy(a->pod, b->pod, sizeof a->pod);
    /* the more certain of the two; what independent reports add is calendar_credit_sources()'s */
    a->confidence = a->confidence > b->confidence ? a->confidence : b->confidence;
    for (size_t i = 0; i < b->nsources; i++) {
        if (event_has_source(a, b->sources[i].id))
            continue;
        *event_new_source(a) = b->sources[i];
        memset(&b->sources[i], 0, sizeof b->sources[i]);
    }
    event_reserve_reasons(a, b->nreasons);
    for (size_t i = 0; i < b->nreasons; i++) {
        a->reasons[a->nreasons++] = b->reasons[i];
        memset(&b->reasons[i], 0, sizeof b->reasons[i]);
    }
    /* a later report of the same value is when that value was last said, whatever the order */
    if (a->has_time && b->has_time && a->hh == b->hh && a->mm == b->mm && b->said_time > a->said_time)
        a->said_time = b->said_time;
    if (a->has_end && b->has_end && a->ey == b->ey && a->em == b->em && a->ed == b->ed && a->eh == b->eh &&
        a->emin == b->emin && b->said_end > a->said_end)
        a->said_end = b->said_end;
    if (a->loc_name && b->loc_name && ascii_strcaseeq(a->loc_name, b->loc_name) && b->said_place > a->said_place)
        a->said_place = b->said_place;
    if (a->loc_locality && b->loc_locality && ascii_strcaseeq(a->loc_locality, b->loc_locality) &&
        b->said_locality > a->said_locality)
        a->said_locality = b->said_locality;
    free(a->title);
    a->title = NULL; /* rebuilt by calendar_finish from the merged fields */
    event_free(b);
}

bool event_name_better(const char *b, const char *a)
{
    if (!b)
        return false;
    if (!a)
        return true;
    /* a name of one word is the kind alone ("fair"): one with more says which ("antiques fair") */
    bool b_one = !strchr(b, ' '), a_one = !strchr(a, ' ');
    if (b_one != a_one)
        return a_one;
    return strlen(b) < strlen(a) || (strlen(b) == strlen(a) && strcmp(b, a) < 0);
}

void calendar_credit_sources(calendar *c)
{
    for (size_t i = 0; i < c->count; i++) {
        event *e = c->items[i];
        if (e->raw_ics || e->nsources < 2)
            continue;
        /* sources are one per article (event_new_source callers skip an id already there) */
        double v = e->confidence + 0.05 * (double)(e->nsources - 1);
        e->confidence = v > 1.0 ? 1.0 : (double)(int)(v * 100 + 0.5) / 100.0;
    }
}

void calendar_add(calendar *c, event *e)
{
    /* a day-precision event beats a month one for the same thing: prefer merging into it */
    if (e->raw_ics) {
        calendar_append(c, e); /* a hand-written event stays as it is */
        return;
    }
    stamp_report(e);
    event *target = calendar_find_same(c, e, NULL); /* merge_into changes no key */
    if (target) {
        merge_into(target, e);
        return;
    }
    calendar_append(c, e);
}

/* n as `width` decimal digits at p (0 <= n < 10^width); the end. */
static char *put_digits(char *p, int n, int width)
{
    for (int i = width - 1; i >= 0; i--, n /= 10)
        p[i] = (char)('0' + n % 10);
    return p + width;
}

char *event_make_uid(const event *e)
{
    /* the hash of "type|YYYY-MM-DD|town" (the town in lower case), written by hand: every
       article's events get one, and printf's formatting was most of their cost */
    size_t tl = strlen(e->type), ll = e->loc_locality ? strlen(e->loc_locality) : 0;
    char small[160], *key = tl + ll + 32 <= sizeof small ? small : xmalloc(tl + ll + 32);
    char *p = key;
    memcpy(p, e->type, tl);
    p += tl;
    if (e->y >= 0 && e->y <= 9999) {
        *p++ = '|';
        p = put_digits(p, e->y, 4);
        *p++ = '-';
        p = put_digits(p, e->m, 2);
        if (e->grain >= G_DAY) {
            *p++ = '-';
            p = put_digits(p, e->d, 2);
        }
        *p++ = '|';
    } else {
        p += sprintf(p, e->grain >= G_DAY ? "|%04d-%02d-%02d|" : "|%04d-%02d|", e->y, e->m, e->d);
    }
    for (size_t i = 0; i < ll; i++)
        *p++ = (char)ascii_tolower((unsigned char)e->loc_locality[i]);
    uint64_t h = hash64(key, (size_t)(p - key), 0);
    if (key != small)
        free(key);
    char *uid = xmalloc(26);
    static const char HEX[] = "0123456789abcdef";
    for (int i = 0; i < 16; i++)
        uid[i] = HEX[(h >> (60 - 4 * i)) & 15];
    memcpy(uid + 16, "@eventcal", 10);
    return uid;
}

static int cmp_str0(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

static int cmp_sources(const void *pa, const void *pb)
{
    const ev_source *a = pa, *b = pb;
    int c = cmp_str0(a->published, b->published);
    if (!c)
        c = cmp_str0(a->id, b->id);
    if (!c)
        c = a->span_start < b->span_start ? -1 : a->span_start > b->span_start;
    return c;
}

static int cmp_reasons(const void *pa, const void *pb)
{
    const ev_reason *a = pa, *b = pb;
    int c = cmp_str0(a->source_id, b->source_id);
    if (!c)
        c = a->start < b->start ? -1 : a->start > b->start;
    if (!c)
        c = cmp_str0(a->what, b->what);
    return c;
}

int event_ptr_cmp(const void *pa, const void *pb)
{
    const event *a = *(event *const *)pa, *b = *(event *const *)pb;
    if (a->y != b->y)
        return a->y < b->y ? -1 : 1;
    if (a->m != b->m)
        return a->m < b->m ? -1 : 1;
    int ad = a->grain >= G_DAY ? a->d : 0, bd = b->grain >= G_DAY ? b->d : 0;
    if (ad != bd)
        return ad < bd ? -1 : 1;
    int at = a->has_time ? a->hh * 60 + a->mm : -1, bt = b->has_time ? b->hh * 60 + b->mm : -1;
    if (at != bt)
        return at < bt ? -1 : 1;
    int t = strcmp(a->type, b->type);
    if (t)
        return t;
    t = strcmp(a->uid ? a->uid : "", b->uid ? b->uid : "");
    if (t)
        return t;
    /* one UID twice (before uids_unique): an order that does not depend on the input's */
    t = cmp_str0(a->loc_name, b->loc_name);
    if (t)
        return t;
    t = cmp_str0(a->nsources ? a->sources[0].id : NULL, b->nsources ? b->sources[0].id : NULL);
    if (t)
        return t;
    return cmp_str0(a->raw_ics, b->raw_ics);
}

/*
 * The UID leaves out the time so that an event whose time changes keeps it; two events of one
 * kind on one day in one town (a march at 11am and another at 1pm) would then share it.  The
 * later of them, in calendar order, gets the time (or a number) added: "<hash>-1300@eventcal".
 * Only UIDs made by this run change; a UID read from a file never does.
 */
static void uids_unique(calendar *c, const bool *made)
{
    /* every UID with the first item that holds it (later holders are the ones renamed, so the
       strings the set borrows stay) */
    strset m = {0};
    for (size_t k = 0; k < c->count; k++)
        if (c->items[k]->uid)
            strset_add(&m, c->items[k]->uid, k, NULL);
    for (size_t i = 1; i < c->count; i++) {
        event *e = c->items[i];
        /* taken: an earlier item holds it */
        if (!made[i] || !e->uid || *strset_find(&m, e->uid) >= i)
            continue;
        const char *at = strchr(e->uid, '@');
        int base = at ? (int)(at - e->uid) : (int)strlen(e->uid);
        char *u = NULL;
        for (int n = 1; !u || strset_find(&m, u); n++) {
            free(u);
            if (n == 1 && e->has_time)
                u = xasprintf("%.*s-%02d%02d@eventcal", base, e->uid, e->hh, e->mm);
            else
                u = xasprintf("%.*s-%d@eventcal", base, e->uid, n);
        }
        free(e->uid);
        e->uid = u;
        strset_add(&m, u, i, NULL);
    }
    strset_free(&m);
}

void calendar_finish(calendar *c)
{
    const event **made = xmalloc((c->count + 1) * sizeof *made);
    size_t nmade = 0;
    for (size_t i = 0; i < c->count; i++) {
        event *e = c->items[i];
        if (e->raw_ics) {
            if (!e->title)
                e->title = xstrdup("");
            continue; /* a hand-written event keeps what it has, UID or not */
        }
        if (!e->uid) {
            e->uid = event_make_uid(e);
            made[nmade++] = e;
        }
        /* sources oldest first, so the output does not depend on the order of the inputs */
        if (e->nsources > 1)
            qsort(e->sources, e->nsources, sizeof *e->sources, cmp_sources);
        if (e->nreasons > 1)
            qsort(e->reasons, e->nreasons, sizeof *e->reasons, cmp_reasons);
        if (!e->title)
            event_set_title(e);
    }
    if (c->count > 1)
        qsort(c->items, c->count, sizeof *c->items, event_ptr_cmp);
    if (nmade) {
        /* which items got their UID here, by their places after the sort */
        for (size_t i = 0; i < c->count; i++)
            c->items[i]->cal_pos = i;
        bool *is_made = xcalloc(c->count + 1, sizeof *is_made);
        for (size_t k = 0; k < nmade; k++)
            is_made[made[k]->cal_pos] = true;
        uids_unique(c, is_made);
        free(is_made);
        if (c->count > 1)
            qsort(c->items, c->count, sizeof *c->items, event_ptr_cmp);
    }
    free(made);
    /* new order, new UIDs: the index is built again if anything looks an entry up */
    forget_index(c);
    for (size_t i = 0; i < c->count; i++)
        c->items[i]->cal_pos = i;
}

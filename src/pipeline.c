#include "pipeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "place.h"

struct pipeline {
    const rules *r;
    pipeline_opts o;
    rule_scanner *scan;
    arena *ar;
    uint64_t articles, no_event, bytes, date_bytes, stage_ns[PS__COUNT]; /* with o.stats */
    size_t dates_to; /* how far the current article's dates have been read (date_bytes) */
};

pipeline *pipeline_new(const rules *r, const pipeline_opts *o)
{
    pipeline *p = xcalloc(1, sizeof *p);
    p->r = r;
    p->o = *o;
    p->scan = rule_scanner_new(r);
    if (o->stats)
        rule_scanner_count(p->scan);
    p->ar = arena_new(256 * 1024);
    return p;
}

/* With --stats: charges the time since *t to `stage` and restarts *t. */
static void lap(pipeline *p, int stage, uint64_t *t)
{
    if (!p->o.stats)
        return;
    uint64_t now = mono_ns();
    p->stage_ns[stage] += now - *t;
    *t = now;
}

void pipeline_free(pipeline *p)
{
    if (!p)
        return;
    rule_scanner_free(p->scan);
    arena_free(p->ar);
    free(p);
}

static void clock_ref(int64_t now, tx_ref *ref)
{
    datetime dt;
    datetime_from_epoch_utc(now, &dt);
    memset(ref, 0, sizeof *ref);
    ref->y = dt.y;
    ref->m = dt.m;
    ref->d = dt.d;
    ref->hh = dt.hh;
    ref->mm = dt.mm;
    ref->has_time = true;
    ref->known = false;
}

/* `cut`, moved to the end of the sentence it falls in (in hard-wrapped prose a line ends
   inside a sentence, and a date's tense comes from its whole sentence). */
static size_t cut_at_sentence_end(const article *a, size_t cut)
{
    if (!a->nsentences || cut == 0 || cut >= a->len)
        return cut;
    const sentence *s = &a->sentences[article_sentence_at(a, cut - 1)];
    return s->end > cut ? s->end : cut;
}

/*
 * The article's dates up to to->cut (0: all of it) into out->timex, and its cues up to there
 * (arena; read when asked); out->timex_cut says whether the search stopped short of the end.
 */
static cue_set *find_dates(pipeline *p, article *a, timex_opts *to, pipeline_result *out)
{
    for (;;) {
        cue_set *cues = cues_new(p->r, p->scan, a, to->cut, p->ar);
        out->timex = timex_find(p->r, p->scan, a, cues, &out->ref, to, p->ar, &out->ntimex);
        out->timex_cut = to->cut && to->cut < a->len;
        size_t read_to = out->timex_cut ? to->cut : a->len;
        if (read_to > p->dates_to) { /* read again further: the text once, as far as it went */
            p->date_bytes += read_to - p->dates_to;
            p->dates_to = read_to;
        }
        if (!out->timex_cut || !timex_cut_open(a->text, a->len, out->timex, out->ntimex, to->cut))
            return cues;
        /* rare: a date read last may run on past the cut; read the whole text rather than
           a line more each time, which text made of such lines would make quadratic */
        to->cut = 0;
    }
}

void pipeline_run(pipeline *p, article *a, pipeline_result *out)
{
    uint64_t clock = p->o.stats ? mono_ns() : 0;
    p->articles++;
    p->bytes += a->len;
    p->dates_to = 0;
    memset(out, 0, sizeof *out);
    arena_reset(p->ar);
    rule_scanner_reset(p->scan); /* a new article may sit where the last one was */
    /* a publication instant ("...T22:00:00Z") is read in the zone the article's events are in:
       its own, or the one --timezone states.  The machine's zone says nothing of where the
       article was written, so without either it stays as written, in its writer's offset. */
    const char *zone = a->timezone ? a->timezone : p->o.timezone_given ? p->o.timezone : NULL;
    if (a->published && tx_ref_parse(a->published, zone, &out->ref)) {
        out->ref_from_article = true;
    } else {
        clock_ref(p->o.now, &out->ref);
    }
    size_t needed = 0, ntrig = 0;
    const rule_match *trig = NULL;
    if (p->o.want_events)
        trig = events_triggers(p->r, p->scan, a, p->ar, &ntrig, &needed, &out->triggers_capped);
    lap(p, PS_TRIGGERS, &clock);
    if (p->o.want_events && !p->o.all_timex && !ntrig) {
        /* nothing here can become an event, and nobody asked for the dates themselves */
        out->timex_skipped = true;
        p->no_event++;
        return;
    }
    /* only now: most articles of a news stream stop above, and need no sentences */
    article_split(a, p->r);
    lap(p, PS_SENTENCES, &clock);
    timex_opts to = {.day_first = p->o.day_first};
    if (!p->o.date_order_forced && a->timezone)
        to.day_first = timex_zone_day_first(a->timezone); /* a British article writes 4/3 for 4 March */
    to.holidays = timex_zone_holidays(p->r, zone); /* and keeps Mothering Sunday as Mother's Day */
    /* Events need no date after the last line that names one, so cues and dates are searched
       only up to there (and the line after, for a date that runs on); not when every date is
       wanted, nor when the text's own dates must stand in for a missing publication date. */
    if (needed && !p->o.all_timex && out->ref_from_article) {
        /* to the end of the paragraph, which in hard-wrapped prose runs over several lines */
        size_t sn = article_sentence_at(a, needed - 1);
        while (sn + 1 < a->nsentences && a->sentences[sn + 1].paragraph == a->sentences[sn].paragraph)
            sn++;
        if (a->nsentences && a->sentences[sn].end > needed)
            needed = a->sentences[sn].end;
        to.cut = cut_at_sentence_end(a, timex_cut(a->text, a->len, needed));
        if (out->triggers_capped && a->nsentences) {
            /* the triggers past the cap are not read, and an event takes its dates from at most
               five sentences after its own ("dates follow:"): without this a text of one
               endless line or paragraph has every date read, 300 bytes each.  A listing under
               one of the triggers read is cut there too, as the events past the cap are. */
            size_t last = article_sentence_at(a, trig[ntrig - 1].start) + EVENTS_DATE_REACH;
            if (last < a->nsentences && (!to.cut || a->sentences[last].end < to.cut))
                to.cut = a->sentences[last].end;
        }
    }
    cue_set *cues = find_dates(p, a, &to, out);
    if (!out->ref_from_article) {
        /* No publication date: the text's own dates with a year ("Tuesday, September 28,
           2010") place it better than the clock does; the latest of them stands in for it,
           and the result is still marked as not known (lower confidence). */
        const timex *best = NULL;
        for (size_t i = 0; i < out->ntimex; i++) {
            const timex *t = &out->timex[i];
            if (t->explicit_year && !t->relative && t->grain >= G_DAY && t->type != TX_DURATION && t->type != TX_SET &&
                t->y >= 1583 && t->y <= DATE_YEAR_MAX && /* a date a calendar can hold, not "August 10, 345 BC" */
                (!best || date_to_days(t->y, t->m, t->d) > date_to_days(best->y, best->m, best->d)))
                best = t;
        }
        if (best) {
            out->ref.y = best->y;
            out->ref.m = best->m;
            out->ref.d = best->d;
            out->ref.has_time = false;
            out->timex = timex_find(p->r, p->scan, a, cues, &out->ref, &to, p->ar, &out->ntimex);
        }
    }
    lap(p, PS_DATES, &clock);
    if (!p->o.want_events)
        return;
    ev_places places = {.scan = p->scan, .home_seat = rules_zone_lookup(p->r, "zone_seat", zone)};
    event_opts eo = {p->o.timezone, p->o.min_confidence, p->o.explain, to.holidays};
    for (;;) {
        size_t cap = 0;
        bool short_read = false, capped = false;
        events_extract(p->r, a, trig, ntrig, &out->ref, out->timex, out->ntimex, out->timex_cut ? to.cut : 0,
                       &short_read, cues, &places, &eo, p->ar, &out->events, &out->nevents, &cap, &capped);
        out->triggers_capped = out->triggers_capped || capped;
        if (!short_read) {
            /* the triggers' reasons (all an event has without --explain) served assembling
               it; kept for a calendar to the end of a run they would weigh on every event */
            if (!p->o.explain)
                for (size_t i = 0; i < out->nevents; i++)
                    event_drop_reasons(out->events[i]);
            lap(p, PS_EVENTS, &clock); /* with the places, and any dates read again */
            break;
        }
        /* an event looks for its dates further on: read them all and assemble again (once:
           without a cut nothing is short) */
        for (size_t i = 0; i < out->nevents; i++)
            event_free(out->events[i]);
        free(out->events);
        out->events = NULL;
        out->nevents = 0;
        to.cut = 0;
        cues = find_dates(p, a, &to, out);
    }
}

pipeline_stats *pipeline_stats_new(const rules *r)
{
    pipeline_stats *st = xcalloc(1, sizeof *st);
    st->r = r;
    for (int k = 0; k < RK__COUNT; k++)
        st->rules[k] = xcalloc(rules_count(r, (rule_kind)k) + 1, sizeof *st->rules[k]);
    return st;
}

void pipeline_stats_free(pipeline_stats *st)
{
    if (!st)
        return;
    for (int k = 0; k < RK__COUNT; k++)
        free(st->rules[k]);
    free(st);
}

void pipeline_stats_add(const pipeline *p, pipeline_stats *sum)
{
    sum->articles += p->articles;
    sum->no_event += p->no_event;
    sum->bytes += p->bytes;
    sum->date_bytes += p->date_bytes;
    for (int i = 0; i < PS__COUNT; i++)
        sum->stage_ns[i] += p->stage_ns[i];
    sum->index_ns += rule_scanner_index_ns(p->scan);
    for (int k = 0; k < RK__COUNT; k++)
        for (size_t i = 0; i < rules_count(p->r, (rule_kind)k); i++) {
            rule_stat x = rule_scanner_stat(p->scan, (rule_kind)k, i);
            sum->rules[k][i].attempts += x.attempts;
            sum->rules[k][i].matches += x.matches;
            sum->rules[k][i].ns += x.ns;
        }
}

typedef struct ranked {
    rule_kind kind;
    size_t index;
    uint64_t ns;
} ranked;

static int cmp_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->ns != y->ns)
        return x->ns < y->ns ? 1 : -1;
    return x->kind != y->kind ? (int)x->kind - (int)y->kind : (x->index > y->index) - (x->index < y->index);
}

void pipeline_stats_format(const pipeline_stats *st, size_t top, strbuf *out)
{
    static const char *const STAGES[PS__COUNT] = {"event triggers", "sentences", "cues and dates",
                                                  "places and events"};
    uint64_t total = 0, attempts = 0, matches = 0, rule_ns = 0;
    for (int i = 0; i < PS__COUNT; i++)
        total += st->stage_ns[i];
    size_t n = 0;
    for (int k = 0; k < RK__COUNT; k++)
        n += rules_count(st->r, (rule_kind)k);
    ranked *all = xcalloc(n + 1, sizeof *all);
    n = 0;
    for (int k = 0; k < RK__COUNT; k++)
        for (size_t i = 0; i < rules_count(st->r, (rule_kind)k); i++) {
            const rule_stat *x = &st->rules[k][i];
            attempts += x->attempts;
            matches += x->matches;
            rule_ns += x->ns;
            all[n++] = (ranked){(rule_kind)k, i, x->ns};
        }
    sb_printf(out, "stats: %llu articles, %.1f ms in the pipeline's stages\n", (unsigned long long)st->articles,
              total / 1e6);
    sb_printf(out, "  %llu of them named no kind of event; dates were read in %.1f of %.1f MB of text\n",
              (unsigned long long)st->no_event, st->date_bytes / 1e6, st->bytes / 1e6);
    for (int i = 0; i < PS__COUNT; i++)
        sb_printf(out, "  %-18s %9.1f ms\n", STAGES[i], st->stage_ns[i] / 1e6);
    sb_printf(out, "  %-18s %9.1f ms  (part of the stages above: it indexes every kind's trigger words once a text)\n",
              "the trigger pass", st->index_ns / 1e6);
    sb_printf(out, "  rules: %llu attempts, %llu matched, %.1f ms in the attempts\n", (unsigned long long)attempts,
              (unsigned long long)matches, rule_ns / 1e6);
    qsort(all, n, sizeof *all, cmp_ranked);
    if (top > n)
        top = n;
    if (top && all[0].ns)
        sb_printf(out, "  %-6s %-28s %10s %9s %9s\n", "kind", "rule", "attempts", "matched", "ms");
    for (size_t j = 0; j < top && all[j].ns; j++) {
        const rule_stat *x = &st->rules[all[j].kind][all[j].index];
        sb_printf(out, "  %-6s %-28s %10llu %9llu %9.1f\n", rule_kind_name(all[j].kind),
                  rule_name(rules_get(st->r, all[j].kind, all[j].index)), (unsigned long long)x->attempts,
                  (unsigned long long)x->matches, x->ns / 1e6);
    }
    free(all);
}

/* ---- executable examples ---- */

static bool check_timex_example(pipeline *p, const rule *ru, const rule_example *ex, strbuf *why)
{
    article a = {0};
    a.text = (char *)ex->text;
    a.len = strlen(ex->text);
    a.id = "example";
    const char *ref = ex->reference ? ex->reference : rule_default_reference(ru);
    a.published = (char *)(ref ? ref : "2024-02-21T12:00");
    pipeline_result res;
    pipeline_run(p, &a, &res);
    free(a.sentences);
    bool none = strcmp(ex->expect, "none") == 0;
    if (none) {
        for (size_t i = 0; i < res.ntimex; i++)
            if (res.timex[i].rule == ru) {
                sb_printf(why, "matched \"%.*s\" (%s), expected no match", (int)(res.timex[i].end - res.timex[i].start),
                          ex->text + res.timex[i].start, res.timex[i].value);
                return false;
            }
        return true;
    }
    /* expect is a value, optionally with the type: "2024-02-24" or "DURATION P3D" */
    const char *want_value = ex->expect;
    char want_type[16] = "";
    const char *sp = strchr(ex->expect, ' ');
    if (sp && (size_t)(sp - ex->expect) < sizeof want_type) {
        memcpy(want_type, ex->expect, (size_t)(sp - ex->expect));
        want_type[sp - ex->expect] = '\0';
        want_value = sp + 1;
    }
    for (size_t i = 0; i < res.ntimex; i++) {
        const timex *t = &res.timex[i];
        if (t->rule != ru)
            continue;
        if (strcmp(t->value, want_value) == 0 && (!want_type[0] || strcmp(tx_type_name(t->type), want_type) == 0))
            return true;
        sb_printf(why, "\"%.*s\" gave %s %s, expected %s", (int)(t->end - t->start), ex->text + t->start,
                  tx_type_name(t->type), t->value, ex->expect);
        return false;
    }
    if (res.ntimex)
        sb_printf(why, "not matched by this rule (rule '%s' took \"%.*s\")", rule_name(res.timex[0].rule),
                  (int)(res.timex[0].end - res.timex[0].start), ex->text + res.timex[0].start);
    else
        sb_adds(why, "no temporal expression found");
    return false;
}

static bool check_match_example(pipeline *p, const rule *ru, const rule_example *ex, strbuf *why)
{
    /* event, place and cue rules: the rule matches somewhere, and the expected value is the
       rule's type (events, cues) or the place's name */
    rule_match m;
    size_t from = 0, len = strlen(ex->text);
    bool none = strcmp(ex->expect, "none") == 0;
    arena_reset(p->ar);
    if (rule_kind_of(ru) == RK_PLACE) {
        article a = {0};
        a.text = (char *)ex->text;
        a.len = len;
        size_t n;
        place *pl = places_find(p->r, p->scan, &a, NULL, p->ar, &n);
        for (size_t i = 0; i < n; i++) {
            if (pl[i].rule != ru)
                continue;
            if (none) {
                sb_printf(why, "matched \"%.*s\", expected no match", (int)(pl[i].end - pl[i].start), ex->text + pl[i].start);
                return false;
            }
            const char *got = pl[i].name ? pl[i].name : pl[i].locality;
            strbuf full;
            sb_init(&full);
            sb_adds(&full, got ? got : "");
            if (pl[i].name && pl[i].locality)
                sb_printf(&full, ", %s", pl[i].locality);
            bool ok = ascii_strcaseeq(full.s, ex->expect) || (got && ascii_strcaseeq(got, ex->expect));
            if (!ok)
                sb_printf(why, "gave '%s', expected '%s'", full.s, ex->expect);
            sb_finish(&full);
            return ok;
        }
        if (none)
            return true;
        sb_adds(why, "no match by this rule");
        return false;
    }
    while (rule_scan_next(p->scan, rule_kind_of(ru), ex->text, len, from, &m)) {
        from = m.end;
        if (m.rule != ru)
            continue;
        if (none) {
            sb_printf(why, "matched \"%.*s\", expected no match", (int)(m.end - m.start), ex->text + m.start);
            return false;
        }
        if (ascii_strcaseeq(rule_type(ru), ex->expect))
            return true;
        const rule_slot *s = rule_match_slot(&m, "org");
        if (!s)
            s = rule_match_slot(&m, "cue");
        if (s && strlen(ex->expect) == s->end - s->start && ascii_strncaseeq(ex->text + s->start, ex->expect, s->end - s->start))
            return true;
        sb_printf(why, "matched \"%.*s\" as %s, expected %s", (int)(m.end - m.start), ex->text + m.start, rule_type(ru),
                  ex->expect);
        return false;
    }
    if (none)
        return true;
    sb_adds(why, "no match by this rule");
    return false;
}

size_t pipeline_check_examples(const rules *r, strbuf *report, size_t *total)
{
    pipeline_opts o = {.timezone = "UTC", .day_first = false, .all_timex = true, .date_order_forced = true}; /* month first */
    pipeline *p = pipeline_new(r, &o);
    size_t failures = 0, count = 0;
    for (int k = 0; k < RK__COUNT; k++) {
        for (size_t i = 0; i < rules_count(r, (rule_kind)k); i++) {
            const rule *ru = rules_get(r, (rule_kind)k, i);
            for (size_t j = 0; j < rule_example_count(ru); j++) {
                const rule_example *ex = rule_example_get(ru, j);
                strbuf why;
                sb_init(&why);
                count++;
                bool ok = k == RK_TIMEX ? check_timex_example(p, ru, ex, &why) : check_match_example(p, ru, ex, &why);
                if (!ok) {
                    failures++;
                    sb_printf(report, "%s:%d: rule '%s': %s\n", rule_file(ru), ex->line, rule_name(ru), why.s ? why.s : "");
                }
                sb_finish(&why);
            }
        }
    }
    pipeline_free(p);
    if (total)
        *total = count;
    return failures;
}

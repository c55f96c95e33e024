/*
 * pipeline: runs the stages on one article (sentences → cues → timex → places → events), with
 * one arena per article that is reset between articles, so memory stays flat over a stream.
 *
 * Ownership: a pipeline borrows its rules (which must outlive it) and owns its scanner and
 * arena.  Results of pipeline_run() live in the arena until the next run or pipeline_free(),
 * except the events, which the caller owns (event_free or calendar_add).
 */
#ifndef EVENTCAL_PIPELINE_H
#define EVENTCAL_PIPELINE_H

#include <stdbool.h>
#include <stdint.h>

#include "article.h"
#include "event.h"
#include "rules.h"
#include "timex.h"

typedef struct pipeline_opts {
    const char *timezone; /* IANA zone for events whose article names none */
    bool timezone_given;  /* that zone was stated (--timezone), not the machine's: a publication
                             time with an offset is read in it (tx_ref_parse) */
    bool day_first;       /* numeric dates are day/month/year */
    double min_confidence;
    int64_t now;          /* the clock (seconds since the epoch, UTC); stands in for an unknown publication date */
    bool want_events;     /* false: stop after the temporal expressions */
    bool all_timex;       /* every temporal expression even where no event can be (--format
                             timex); otherwise an article that names no kind of event is not
                             searched for dates at all */
    bool date_order_forced; /* day_first was given (--date-order): an article's own zone does not change it */
    bool stats;             /* time the stages and count every rule's attempts (--stats) */
    bool explain;           /* events keep every rule that made them (event_opts.reasons);
                               else they keep none */
} pipeline_opts;

typedef struct pipeline_result {
    tx_ref ref;            /* the reference actually used */
    bool ref_from_article; /* false: no publication date; ref is the clock */
    timex *timex;
    size_t ntimex;
    bool timex_skipped; /* no kind of event named and !all_timex: dates not looked for */
    bool timex_cut;     /* dates looked for only up to the last line that names an event */
    bool triggers_capped; /* the article names more than EVENTS_MAX_TRIGGERS events, or lists
                             more than EVENTS_MAX_MENTIONS: only the first were read */
    event **events; /* caller owns the events and the array (free) */
    size_t nevents;
} pipeline_result;

typedef struct pipeline pipeline;

pipeline *pipeline_new(const rules *r, const pipeline_opts *o);
void pipeline_free(pipeline *p);

/*
 * Runs every stage on `a` (splitting it into sentences first).  Never fails on text: an article
 * with nothing temporal gives empty results.
 */
void pipeline_run(pipeline *p, article *a, pipeline_result *out);

/*
 * What --stats reports, summed over the articles of one or more pipelines: the time of each
 * stage, of the trigger pass within them, and each rule's attempts (pipeline_opts.stats).
 * A pipeline_stats is the caller's (pipeline_stats_new/_free) and borrows the rules.
 */
enum { PS_TRIGGERS, PS_SENTENCES, PS_DATES, PS_EVENTS, PS__COUNT };
typedef struct pipeline_stats {
    const rules *r;
    uint64_t articles;
    uint64_t no_event; /* articles that named no kind of event: their dates were not looked for */
    uint64_t bytes, date_bytes; /* text read, and read for dates (up to a cut) */
    uint64_t stage_ns[PS__COUNT];
    uint64_t index_ns; /* the trigger pass, part of the stage that first reads a text */
    rule_stat *rules[RK__COUNT]; /* rules_count() of each kind */
} pipeline_stats;

pipeline_stats *pipeline_stats_new(const rules *r);
void pipeline_stats_free(pipeline_stats *st);
/* Adds what p counted to *sum (which must be for p's rules). */
void pipeline_stats_add(const pipeline *p, pipeline_stats *sum);
/* Appends the report: the stages, then the `top` costliest rules. */
void pipeline_stats_format(const pipeline_stats *st, size_t top, strbuf *out);

/*
 * Runs every `example` line of every rule and appends a line per failure to `report`
 * ("rules/dates.rules:12: rule 'date_mdy': "Saturday February 24" gave 2023-02-24, expected
 * 2024-02-24").  Returns the number of failures; *total receives the number of examples.
 */
size_t pipeline_check_examples(const rules *r, strbuf *report, size_t *total);

#endif

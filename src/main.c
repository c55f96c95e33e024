/*
 * eventcal: reads news articles and writes the events they announce as a calendar.
 * This file parses options and wires the stages together; see pipeline.c for the stages.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "article.h"
#include "batch.h"
#include "calendar.h"
#include "config.h"
#include "date.h"
#include "emit_ics.h"
#include "emit_json.h"
#include "ics_read.h"
#include "merge.h"
#include "pipeline.h"
#include "rules.h"
#include "util.h"

enum { EXIT_OK = 0, EXIT_SOME_FAILED = 1, EXIT_USAGE = 2 };

enum { MAX_JOBS = 256 }; /* -j */

enum {
    OPT_TIMEZONE = 256,
    OPT_PUBLISHED,
    OPT_URL,
    OPT_TITLE,
    OPT_NOW,
    OPT_RULES,
    OPT_DATE_ORDER,
    OPT_TIMEX_STYLE,
    OPT_MIN_CONF,
    OPT_EXPLAIN,
    OPT_TEST_RULES,
    OPT_MAX_SIZE,
    OPT_CALNAME,
    OPT_VERSION,
    OPT_JSONLD,
    OPT_UPDATE,
    OPT_CHECK,
    OPT_STATS,
};

/* The option table is also the --help text (and eventcal.1 is checked against it). */
static const struct opt {
    const char *name;
    int has_arg;
    int val;
    const char *arg;
    const char *help;
} OPTIONS[] = {
    {"input", required_argument, 'i', "FORMAT", "input format: text, html, jsonl or auto (default: guessed from name and content)"},
    {"format", required_argument, 'f', "FORMAT", "standard output: ics, json, jsonld, jcal, tsv, jsonl, timex or meta (default: ics)"},
    {"output", required_argument, 'o', "DIR", "write DIR/events.ics, DIR/events.json and DIR/events.jsonld"},
    {"timezone", required_argument, OPT_TIMEZONE, "ZONE", "IANA zone of the articles' times (default: the machine's)"},
    {"published", required_argument, OPT_PUBLISHED, "DATE", "publication date of the articles (overrides the input)"},
    {"url", required_argument, OPT_URL, "URL", "source URL of the articles (overrides the input)"},
    {"title", required_argument, OPT_TITLE, "TITLE", "title of the articles (overrides the input)"},
    {"now", required_argument, OPT_NOW, "DATETIME", "fix the clock (DTSTAMP, unknown publication dates); also SOURCE_DATE_EPOCH"},
    {"date-order", required_argument, OPT_DATE_ORDER, "ORDER", "numeric dates: dmy (en-GB) or mdy (en-US) (default: mdy, or from a stated zone)"},
    {"timex-style", required_argument, OPT_TIMEX_STYLE, "STYLE", "--format timex values: timeml (TIMEX3) or instant (the point in time meant)"},
    {"min-confidence", required_argument, OPT_MIN_CONF, "X", "drop events with confidence below X (0..1)"},
    {"explain", no_argument, OPT_EXPLAIN, NULL, "print on stderr the rules and spans behind every event"},
    {"stats", no_argument, OPT_STATS, NULL, "print on stderr where the time went: each stage, and the costliest rules"},
    {"rules", required_argument, OPT_RULES, "DIR", "rules directory (default: $EVENTCAL_RULES or the installed rules)"},
    {"test-rules", no_argument, OPT_TEST_RULES, NULL, "run every example line in the rules and report failures"},
    {"max-size", required_argument, OPT_MAX_SIZE, "MB", "largest article, JSON line or calendar accepted (default: 64)"},
    {"calname", required_argument, OPT_CALNAME, "NAME", "calendar name (X-WR-CALNAME; default: eventcal)"},
    {"jsonld", no_argument, OPT_JSONLD, NULL, "same as --format jsonld"},
    {"update", required_argument, OPT_UPDATE, "FILE", "add this run's events to the calendar FILE.ics and rewrite it (and FILE.json)"},
    {"check", required_argument, OPT_CHECK, "FILE", "report the problems of the calendar FILE.ics (and of any files after the options), one line each; exit 1 if any"},
    {"jobs", required_argument, 'j', "N", "N worker threads (default: 1; 0: one per processor); the output is the same, in input order"},
    {"quiet", no_argument, 'q', NULL, "print only errors"},
    {"verbose", no_argument, 'v', NULL, "print a line per article on stderr"},
    {"help", no_argument, 'h', NULL, "show this help"},
    {"version", no_argument, OPT_VERSION, NULL, "show the version"},
};
#define NOPTIONS (sizeof OPTIONS / sizeof *OPTIONS)

typedef enum out_format { OUT_ICS, OUT_JSON, OUT_JSONLD, OUT_TSV, OUT_JSONL, OUT_TIMEX, OUT_META, OUT_JCAL } out_format;

typedef struct config {
    article_format input;
    out_format format;
    bool format_given;
    const char *outdir;
    const char *timezone;
    const char *published, *url, *title;
    const char *rules_dir;
    const char *calname;
    int date_order; /* 0 auto, 1 dmy, 2 mdy */
    bool timezone_given;  /* --timezone was given: its region may decide the date order */
    bool calname_given;   /* --calname was given: it renames a calendar --update reads */
    tx_style timex_style; /* --timex-style */
    double min_conf;
    bool explain, test_rules, stats;
    int verbosity; /* 0 quiet, 1 normal, 2 verbose */
    size_t max_size;
    int64_t now;
    const char *update; /* --update FILE.ics */
    const char *check;  /* --check FILE.ics */
    int jobs;           /* -j N worker threads */
} config;

static void usage(FILE *f)
{
    fprintf(f, "usage: eventcal [OPTIONS] [ARTICLE...]\n"
               "       eventcal merge [OPTIONS] CALENDAR...\n"
               "Reads news articles (text, HTML or JSON Lines; none or '-' for standard input)\n"
               "and writes the events they announce as a calendar.  'merge' combines calendars\n"
               "(.ics or eventcal .json) instead.\n\n");
    for (size_t i = 0; i < NOPTIONS; i++) {
        const struct opt *o = &OPTIONS[i];
        char left[64];
        char shortopt[8] = "    ";
        if (o->val < 256)
            snprintf(shortopt, sizeof shortopt, "-%c, ", o->val);
        snprintf(left, sizeof left, "%s--%s%s%s", shortopt, o->name, o->arg ? " " : "", o->arg ? o->arg : "");
        fprintf(f, "  %-28s %s\n", left, o->help);
    }
    fprintf(f, "\nExit status: 0 success, 1 some input failed, 2 usage or rules error.\n"
               "See eventcal(1) for the input formats and the JSON schema.\n");
}

static int error(const char *fmt, ...) EC_PRINTF(1, 2);
static int error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("eventcal: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return -1;
}

static void report(const ec_error *err)
{
    char buf[1024];
    ec_error_format(err, buf, sizeof buf);
    error("%s", buf);
}

static const char *const FORMAT_NAMES[] = {"ics", "json", "jsonld", "tsv", "jsonl", "timex", "meta", "jcal"};

static const char *format_name(out_format f)
{
    return FORMAT_NAMES[f];
}

static bool parse_format(const char *s, out_format *f)
{
    for (size_t i = 0; i < sizeof FORMAT_NAMES / sizeof *FORMAT_NAMES; i++)
        if (strcmp(s, FORMAT_NAMES[i]) == 0) {
            *f = (out_format)i;
            return true;
        }
    return false;
}

static bool parse_now(const char *s, int64_t *out)
{
    datetime dt;
    if (!datetime_parse(s, &dt))
        return false;
    int64_t t = datetime_to_epoch_utc(dt.y, dt.m, dt.d, dt.hh, dt.mm, dt.ss);
    if (dt.has_offset)
        t -= (int64_t)dt.offset_min * 60;
    *out = t;
    return true;
}

static bool dir_exists(const char *p)
{
    struct stat st;
    return p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Rules come from --rules, then $EVENTCAL_RULES, then the source tree when running from the
   build directory, then the installed copy. */
static const char *find_rules(const char *given)
{
    if (given)
        return given;
    const char *env = getenv("EVENTCAL_RULES");
    if (env && *env)
        return env;
    if (dir_exists(EVENTCAL_RULES_DIR) && !dir_exists(EVENTCAL_SOURCE_RULES_DIR))
        return EVENTCAL_RULES_DIR;
    if (dir_exists(EVENTCAL_SOURCE_RULES_DIR))
        return EVENTCAL_SOURCE_RULES_DIR;
    return EVENTCAL_RULES_DIR;
}

/* Where compiled patterns are kept between runs (eventcal(1), ENVIRONMENT): $EVENTCAL_CACHE
   ("" or "off": nowhere), then $XDG_CACHE_HOME/eventcal, then ~/.cache/eventcal.  Caller
   frees; NULL: no cache. */
static char *cache_dir(void)
{
    const char *env = getenv("EVENTCAL_CACHE");
    if (env)
        return *env && strcmp(env, "off") != 0 ? xstrdup(env) : NULL;
    const char *xdg = getenv("XDG_CACHE_HOME");
    if (xdg && xdg[0] == '/') /* the XDG spec: a relative path is to be ignored */
        return xasprintf("%s/eventcal", xdg);
    const char *home = getenv("HOME");
    if (home && home[0] == '/')
        return xasprintf("%s/.cache/eventcal", home);
    return NULL;
}

/* Whether what was printed on standard output got there (--help > /dev/full must not exit 0). */
static bool stdout_ok(void)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        error("cannot write to standard output: %s", strerror(errno ? errno : EIO));
        return false;
    }
    return true;
}

/* Whether s ends with suf, ASCII case aside: "CAL.JSON" is a .json file. */
static bool has_suffix(const char *s, const char *suf)
{
    size_t l = strlen(s), n = strlen(suf);
    if (l < n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (ascii_tolower((unsigned char)s[l - n + i]) != ascii_tolower((unsigned char)suf[i]))
            return false;
    return true;
}

static int parse_args(int argc, char **argv, config *c)
{
    struct option longopts[NOPTIONS + 1];
    char shortopts[64] = ":"; /* ':' first: a missing argument is told from an unknown option */
    size_t sl = 1;
    for (size_t i = 0; i < NOPTIONS; i++) {
        longopts[i] = (struct option){OPTIONS[i].name, OPTIONS[i].has_arg, NULL, OPTIONS[i].val};
        if (OPTIONS[i].val < 256) {
            shortopts[sl++] = (char)OPTIONS[i].val;
            if (OPTIONS[i].has_arg)
                shortopts[sl++] = ':';
        }
    }
    longopts[NOPTIONS] = (struct option){0, 0, 0, 0};
    int ch;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        char *end;
        switch (ch) {
        case 'i':
            if (!article_format_parse(optarg, &c->input))
                return error("unknown input format '%s' (text, html, jsonl or auto)", optarg);
            break;
        case 'f':
            if (!parse_format(optarg, &c->format))
                return error("unknown format '%s' (ics, json, jsonld, jcal, tsv, jsonl, timex or meta)", optarg);
            c->format_given = true;
            break;
        case OPT_JSONLD:
            c->format = OUT_JSONLD;
            c->format_given = true;
            break;
        case 'o': c->outdir = optarg; break;
        case OPT_TIMEZONE:
            if (!tz_known(optarg))
                return error("unknown time zone '%s' (an IANA name such as Europe/London)", optarg);
            c->timezone = optarg;
            c->timezone_given = true;
            break;
        case OPT_PUBLISHED: {
            datetime dt;
            if (!datetime_parse(optarg, &dt))
                return error("--published: '%s' is not a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM)", optarg);
            c->published = optarg;
            break;
        }
        case OPT_URL: c->url = optarg; break;
        case OPT_TITLE: c->title = optarg; break;
        case OPT_NOW:
            if (!parse_now(optarg, &c->now))
                return error("--now: '%s' is not a date-time (YYYY-MM-DDTHH:MM:SSZ)", optarg);
            break;
        case OPT_RULES: c->rules_dir = optarg; break;
        case OPT_TIMEX_STYLE:
            if (strcmp(optarg, "timeml") == 0)
                c->timex_style = TX_STYLE_TIMEML;
            else if (strcmp(optarg, "instant") == 0)
                c->timex_style = TX_STYLE_INSTANT;
            else
                return error("--timex-style: '%s' is not timeml or instant", optarg);
            break;
        case OPT_DATE_ORDER:
            if (strcmp(optarg, "dmy") == 0)
                c->date_order = 1;
            else if (strcmp(optarg, "mdy") == 0)
                c->date_order = 2;
            else
                return error("--date-order: '%s' is not dmy or mdy", optarg);
            break;
        case OPT_MIN_CONF:
            c->min_conf = strtod(optarg, &end);
            if (*end || end == optarg || !(c->min_conf >= 0 && c->min_conf <= 1)) /* NaN too */
                return error("--min-confidence: '%s' is not a number from 0 to 1", optarg);
            break;
        case OPT_EXPLAIN: c->explain = true; break;
        case OPT_STATS: c->stats = true; break;
        case OPT_TEST_RULES: c->test_rules = true; break;
        case OPT_MAX_SIZE: {
            long mb = strtol(optarg, &end, 10);
            if (*end || mb < 1 || mb > 4096)
                return error("--max-size: '%s' is not a size in MB (1..4096)", optarg);
            c->max_size = (size_t)mb << 20;
            break;
        }
        case OPT_CALNAME:
            c->calname = optarg;
            c->calname_given = true;
            break;
        case OPT_UPDATE:
            c->update = optarg;
            break;
        case OPT_CHECK: c->check = optarg; break;
        case 'j': {
            long n = strtol(optarg, &end, 10);
            if (*end || end == optarg || n < 0 || n > MAX_JOBS)
                return error("--jobs: '%s' is not a number of threads (1..%d, or 0 for one per processor)", optarg,
                             MAX_JOBS);
            c->jobs = n ? (int)n : cpu_count() < MAX_JOBS ? cpu_count() : MAX_JOBS;
            break;
        }
        case 'q': c->verbosity = 0; break;
        case 'v': c->verbosity = 2; break;
        case 'h':
            usage(stdout);
            exit(stdout_ok() ? EXIT_OK : EXIT_SOME_FAILED);
        case OPT_VERSION:
            printf("eventcal %s\n", EVENTCAL_VERSION);
            exit(stdout_ok() ? EXIT_OK : EXIT_SOME_FAILED);
        case ':':
            if (optopt && optopt < 256)
                error("option '-%c' needs an argument (see --help)", optopt);
            else
                error("option '%s' needs an argument (see --help)", argv[optind - 1]);
            return -1;
        case '?':
        default:
            if (optopt && optopt < 256)
                error("unknown option '-%c' (see --help)", optopt);
            else
                error("unknown option '%s' (see --help)", argv[optind - 1]);
            return -1;
        }
    }
    /* text that goes into every calendar written, read back by --update and merge: UTF-8 */
    const char *texts[][2] = {{"--title", c->title}, {"--url", c->url}, {"--calname", c->calname}};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        const char *t = texts[i][1];
        if (t && utf8_valid_prefix(t, strlen(t)) != strlen(t))
            return error("%s: the value is not UTF-8 text", texts[i][0]);
    }
    /* the .json does not keep all the .ics does (eventcal(1), ROUND TRIP) */
    if (c->update && has_suffix(c->update, ".json"))
        return error("--update: '%s': give the .ics; the .json beside it is updated too", c->update);
    /* options that would be ignored without a word: a calendar checked, or merged, is not
       written anywhere else */
    if (c->check && (c->update || c->outdir || c->format_given))
        return error("--check only reads calendars: it takes no %s", c->update ? "--update" : c->outdir ? "-o" : "-f");
    return optind;
}

static bool write_stdout(const char *data, size_t len)
{
    if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
        error("cannot write to standard output: %s", strerror(errno));
        return false;
    }
    return true;
}

static bool streaming(out_format f)
{
    return f == OUT_JSONL || f == OUT_TIMEX || f == OUT_META;
}

typedef struct run {
    config *c;
    batch *b;
    calendar *cal;
    emit_opts eo;
    size_t articles, failed, events;
    bool stdout_failed; /* a line could not be written: the rest are not tried, the run fails */
    /* the progress line: only on a terminal, only once a batch has run a few seconds */
    bool progress, progress_shown;
    double t0, progress_after, last_progress;
    size_t bytes;
    /* the id of each article file read, and the first file that had it (copies, owned here):
       two files of one name in different directories are one source to a calendar */
    strset ids;
    char **id_keys, **id_files;
    size_t nids;
} run;

static double now_seconds(void)
{
    return (double)mono_ns() / 1e9;
}

static void progress_tick(run *r, bool last)
{
    if (!r->progress)
        return;
    double t = now_seconds();
    if (!last && (t - r->t0 < r->progress_after || t - r->last_progress < 0.5))
        return;
    if (last && !r->progress_shown)
        return;
    double rate = t > r->t0 ? (double)r->bytes / 1e6 / (t - r->t0) : 0;
    fprintf(stderr, "\reventcal: %zu articles, %zu events, %.2f MB/s%s", r->articles, r->events, rate,
            last ? "\n" : "\033[K");
    r->last_progress = t;
    r->progress_shown = true;
}

/*
 * What one article gives.  It is computed by article_work() on a worker thread (batch.c) and
 * written by article_done() in input order, so -j N writes what -j 1 writes.
 */
typedef struct article_out {
    strbuf msgs;    /* "eventcal: ..." lines for standard error */
    char *line;     /* the --format meta, timex or jsonl line, or NULL */
    bool counted;   /* false: --format meta, no events looked for */
    event **events; /* owned until article_done() */
    size_t nevents;
    bool bad;     /* the record could not be read (err says why): nothing else is set */
    ec_error err;
} article_out;

static void note(article_out *o, const char *fmt, ...) EC_PRINTF(2, 3);
static void note(article_out *o, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = xmalloc((size_t)(n > 0 ? n : 0) + 1);
    vsnprintf(s, (size_t)(n > 0 ? n : 0) + 1, fmt, ap2);
    va_end(ap2);
    sb_printf(&o->msgs, "eventcal: %s\n", s);
    free(s);
}

/* Runs on a worker: everything about one article but writing and keeping its events. */
static void *article_work(void *ctx, pipeline *p, article *a)
{
    run *r = ctx;
    const config *c = r->c;
    article_out *o = xcalloc(1, sizeof *o);
    sb_init(&o->msgs);
    ec_error_clear(&o->err);
    /* read here, on the worker: the reading thread only cut the record from the input */
    if (!article_parse_deferred(a, &o->err)) {
        o->bad = true;
        return o;
    }
    if (c->published) {
        free(a->published);
        free(a->published_from);
        a->published = xstrdup(c->published);
        a->published_from = xstrdup("option");
    }
    if (c->url) {
        free(a->url);
        a->url = xstrdup(c->url);
    }
    if (c->title) {
        free(a->title);
        a->title = xstrdup(c->title);
    }
    if (a->timezone && !tz_known(a->timezone)) {
        /* a warning, which --quiet keeps: the article is still read, in the run's zone */
        if (c->verbosity > 0 && a->source_line)
            note(o, "%s:%ld: unknown time zone '%s', using %s", a->source, a->source_line, a->timezone, c->timezone);
        else if (c->verbosity > 0)
            note(o, "%s: unknown time zone '%s', using %s", a->source, a->timezone, c->timezone);
        free(a->timezone);
        a->timezone = NULL;
    }
    if (a->bad_bytes && c->verbosity > 0)
        note(o, "%s: %zu bytes that are not UTF-8 text were replaced", a->id, a->bad_bytes);
    if (a->header_unended && c->verbosity > 0)
        note(o, "%s: header lines not ended by a blank line are read as the text's first lines", a->source);
    if (c->format == OUT_META && c->format_given) {
        o->line = emit_meta_line(a);
        /* with a calendar to write (-o, --update) the events are still wanted */
        if (!c->outdir && !c->update)
            return o;
    }
    o->counted = true;
    pipeline_result res;
    pipeline_run(p, a, &res);
    if (!res.ref_from_article && a->published && c->verbosity > 0)
        note(o, "%s: '%s' is not a publication date eventcal can use (YYYY-MM-DD, years 1583 to %d); "
                "relative dates are resolved against %04d-%02d-%02d",
             a->id, a->published, DATE_YEAR_MAX, res.ref.y, res.ref.m, res.ref.d);
    else if (!res.ref_from_article && res.ntimex > 0 && c->verbosity > 0 && c->format != OUT_TIMEX)
        note(o, "%s: no publication date; relative dates are resolved against %04d-%02d-%02d and their events get a lower "
                "confidence (give --published)",
             a->id, res.ref.y, res.ref.m, res.ref.d);
    if (c->format == OUT_TIMEX && c->format_given) {
        size_t nall;
        timex *all = timex_with_list_days(a->text, a->len, res.timex, res.ntimex, &nall);
        o->line = emit_timex_line(a, all, nall, c->timex_style);
        free(all);
    }
    if (c->format == OUT_JSONL && c->format_given) {
        calendar *one = calendar_new();
        for (size_t i = 0; i < res.nevents; i++)
            calendar_add(one, event_clone(res.events[i]));
        calendar_finish(one);
        event **evs = xmalloc((calendar_count(one) + 1) * sizeof *evs);
        for (size_t i = 0; i < calendar_count(one); i++)
            evs[i] = calendar_get(one, i);
        o->line = emit_events_line(a, evs, calendar_count(one), &r->eo);
        free(evs);
        calendar_free(one);
    }
    if (res.triggers_capped && c->verbosity > 0)
        note(o, "%s: names more than %d events; only those up to the %dth were read", a->id, EVENTS_MAX_TRIGGERS,
             EVENTS_MAX_TRIGGERS);
    if (c->verbosity > 1 && res.timex_skipped)
        note(o, "%s: names no kind of event; 0 events", a->id);
    else if (c->verbosity > 1)
        note(o, "%s: %zu temporal expressions%s, %zu events", a->id, res.ntimex,
             res.timex_cut ? " (up to the last paragraph that names an event)" : "", res.nevents);
    o->events = res.events;
    o->nevents = res.nevents;
    return o;
}

/* Says so when a file's article has the id (its name, or its Id: header) of another file's. */
static void check_id(run *r, const article *a)
{
    if (a->source_line || !a->source || strcmp(a->source, "-") == 0 || !a->id)
        return;
    const size_t *at = strset_find(&r->ids, a->id);
    if (!at) {
        r->id_keys = xrealloc(r->id_keys, (r->nids + 1) * sizeof *r->id_keys);
        r->id_files = xrealloc(r->id_files, (r->nids + 1) * sizeof *r->id_files);
        r->id_keys[r->nids] = xstrdup(a->id);
        r->id_files[r->nids] = xstrdup(a->source);
        strset_add(&r->ids, r->id_keys[r->nids], r->nids, NULL);
        r->nids++;
        return;
    }
    if (strcmp(r->id_files[*at], a->source) != 0 && r->c->verbosity > 0)
        error("%s: its id '%s' is %s's too, and a calendar takes two articles of one id for one "
              "(rename one, or give it an Id: header)",
              a->source, a->id, r->id_files[*at]);
}

/* Runs on the main thread, in input order: writes what article_work() made. */
static void article_done(void *ctx, article *a, void *result)
{
    run *r = ctx;
    const config *c = r->c;
    article_out *o = result;
    if (o->bad) {
        report(&o->err);
        r->failed++;
        sb_finish(&o->msgs);
        free(o);
        return;
    }
    if (o->msgs.len)
        fputs(o->msgs.s, stderr);
    check_id(r, a);
    r->articles++;
    r->bytes += a->len;
    if (o->line && !r->stdout_failed)
        r->stdout_failed = !write_stdout(o->line, strlen(o->line));
    r->events += o->nevents;
    /* a stream with nothing but per-article lines keeps no events, so memory stays flat
       however long the stream is; only a calendar to write needs them */
    bool keep = c->outdir || c->update || !(c->format_given && streaming(c->format));
    if (keep && o->nevents) {
        /* the article's calendar, as a map task would write it; the run's is the merge of
           these (merge_all() in main()), so that one run and merged shards of it agree */
        calendar *one = calendar_new();
        for (size_t i = 0; i < o->nevents; i++)
            calendar_add(one, o->events[i]);
        calendar_finish(one);
        size_t n;
        event **evs = calendar_take_all(one, &n);
        for (size_t i = 0; i < n; i++)
            calendar_append(r->cal, evs[i]);
        free(evs);
        calendar_free(one);
    } else {
        for (size_t i = 0; i < o->nevents; i++)
            event_free(o->events[i]);
    }
    free(o->events);
    free(o->line);
    sb_finish(&o->msgs);
    free(o);
    progress_tick(r, false);
}

static void process_file(run *r, const char *path)
{
    ec_error err;
    ec_error_clear(&err);
    article_reader *rd = article_reader_open(path, r->c->input, r->c->max_size, &err);
    if (!rd) {
        batch_flush(r->b); /* messages in input order */
        report(&err);
        r->failed++;
        return;
    }
    for (;;) {
        /* records are cut here and read by the workers (article_work()), whose results,
           errors included, are written in input order */
        article_raw raw;
        ec_error_clear(&err);
        /* a feed between articles: what the workers have finished is written now, not when
           the next article comes */
        if (r->c->jobs > 1 && article_reader_waiting(rd))
            batch_flush(r->b);
        int rc = article_reader_next_raw(rd, &raw, &err);
        if (rc == 0)
            break;
        if (rc < 0) {
            batch_flush(r->b);
            report(&err);
            r->failed++;
            continue;
        }
        article a;
        article_defer(&a, &raw);
        batch_add(r->b, &a);
    }
    article_reader_free(rd);
}

/* An input argument: a file, "-", or a directory of article files (article_dir_paths()). */
static void process_input(run *r, const char *path)
{
    struct stat st;
    if (!*path) {
        /* a variable that was empty ("$FEED"): the message would name nothing */
        batch_flush(r->b);
        error("'': an empty argument is no file name");
        r->failed++;
        return;
    }
    if (strcmp(path, "-") == 0 || stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
        process_file(r, path);
        return;
    }
    ec_error err;
    ec_error_clear(&err);
    size_t n, skipped;
    char **paths = article_dir_paths(path, &n, &skipped, &err);
    if (!paths) {
        batch_flush(r->b); /* messages in input order */
        report(&err);
        r->failed++;
    } else if (skipped && r->c->verbosity > 1) {
        batch_flush(r->b);
        error("%s: %zu other file%s passed over", path, skipped, skipped == 1 ? "" : "s");
    }
    for (size_t i = 0; paths && i < n; i++)
        process_file(r, paths[i]);
    str_list_free(paths, n);
}

static int test_rules(const rules *rs, int verbosity)
{
    strbuf rep;
    sb_init(&rep);
    size_t total = 0;
    size_t failed = pipeline_check_examples(rs, &rep, &total);
    if (rep.len)
        fputs(rep.s, stderr);
    bool slow;
    char *sym = rules_symbol_triggers(rs, &slow);
    if (slow && verbosity > 0)
        error("warning: %zu punctuation triggers (%s): more than the trigger pass compares at once, so every "
              "text's punctuation is looked up byte by byte (rules/README.md, Triggers)",
              strlen(sym), sym);
    free(sym);
    if (verbosity > 0)
        printf("%zu passed, %zu failed\n", total - failed, failed);
    sb_finish(&rep);
    return failed || !stdout_ok() ? EXIT_SOME_FAILED : EXIT_OK;
}

static const char *const OUT_FILES[] = {"events.ics", "events.json", "events.jsonld"};
enum { NOUTS = sizeof OUT_FILES / sizeof OUT_FILES[0] };

/* Whether DIR holds a calendar of an earlier run (any of the files -o writes). */
static bool outputs_exist(const char *dir)
{
    for (size_t i = 0; i < NOUTS; i++) {
        char *path = xasprintf("%s/%s", dir, OUT_FILES[i]);
        struct stat st;
        bool there = lstat(path, &st) == 0;
        free(path);
        if (there)
            return true;
    }
    return false;
}

/* Writes -o DIR's files and, when asked for (or when nothing else is), the chosen format on
   standard output.  `failed` inputs: a calendar already in DIR is kept rather than replaced by
   one that lacks their events (a mistyped or missing feed must not empty a published
   calendar); a new DIR gets what was read. */
static bool write_outputs(const config *c, const calendar *cal, const emit_opts *eo, bool stdout_default,
                          size_t failed)
{
    bool ok = true;
    if (c->outdir && failed && outputs_exist(c->outdir)) {
        error("%s: not replaced: %zu input%s failed, and the calendar there is kept as it was", c->outdir, failed,
              failed == 1 ? "" : "s");
    } else if (c->outdir) {
        if (mkdir(c->outdir, 0755) != 0 && errno != EEXIST) {
            error("cannot create '%s': %s", c->outdir, strerror(errno));
            ok = false;
        } else {
            /* one document at a time: for a large calendar each is tens of megabytes */
            static char *(*const emit[NOUTS])(const calendar *, const emit_opts *, size_t *) = {emit_ics, emit_json,
                                                                                                emit_jsonld};
            /* all three are written before any replaces its old file: a disk that fills up
               on the second leaves the three of the last run, not a mix of two runs */
            staged_file *staged[NOUTS] = {0};
            ec_error err;
            ec_error_clear(&err);
            for (size_t i = 0; i < NOUTS && ok; i++) {
                size_t n;
                char *doc = emit[i](cal, eo, &n);
                char *path = xasprintf("%s/%s", c->outdir, OUT_FILES[i]);
                staged[i] = file_stage(path, doc, n, &err);
                ok = staged[i] != NULL;
                free(path);
                free(doc);
            }
            for (size_t i = 0; i < NOUTS; i++) {
                if (ok)
                    ok = file_commit(staged[i], &err);
                else
                    file_abort(staged[i]);
            }
            if (!ok)
                report(&err);
        }
    }
    if ((c->format_given || (!c->outdir && stdout_default)) && !streaming(c->format)) {
        size_t n = 0;
        char *s = NULL;
        switch (c->format) {
        case OUT_ICS: s = emit_ics(cal, eo, &n); break;
        case OUT_JSON: s = emit_json(cal, eo, &n); break;
        case OUT_JSONLD: s = emit_jsonld(cal, eo, &n); break;
        case OUT_TSV: s = emit_tsv(cal, eo, &n); break;
        case OUT_JCAL: s = emit_jcal(cal, eo, &n); break;
        default: break;
        }
        if (s)
            ok = write_stdout(s, n) && ok;
        free(s);
    }
    return ok;
}

/* --check FILE: the problems of one calendar on standard output, one line each; false when it
   has any or cannot be read. */
static bool check_one(const config *c, const char *path)
{
    ec_error err;
    ec_error_clear(&err);
    size_t len;
    char *text = read_file_all(path, c->max_size, &len, &err);
    if (!text) {
        report(&err);
        return false;
    }
    strbuf out;
    sb_init(&out);
    size_t n = ics_read_check(path, text, len, &out);
    bool ok = write_stdout(out.s ? out.s : "", out.len);
    if (n && c->verbosity > 1)
        error("%s: %zu problems", path, n);
    sb_finish(&out);
    free(text);
    return !n && ok;
}

/* --check FILE [FILE...]: `eventcal --check *.ics` checks every file, not the first alone. */
static int check_calendars(const config *c, char **more, int nmore)
{
    bool ok = check_one(c, c->check);
    for (int i = 0; i < nmore; i++)
        ok = check_one(c, more[i]) && ok;
    return ok ? EXIT_OK : EXIT_SOME_FAILED;
}

/* eventcal merge CALENDAR...: every input is read before anything is written. */
static int merge_files(const config *c, char **files, int nfiles)
{
    if (nfiles == 0) {
        error("merge: no calendars given (see --help)");
        return EXIT_USAGE;
    }
    if (c->format_given && streaming(c->format)) {
        error("merge: -f %s writes a line per article, and merge reads calendars (use ics, json, jsonld, tsv or jcal)",
              format_name(c->format));
        return EXIT_USAGE;
    }
    calendar **cals = xmalloc((size_t)nfiles * sizeof *cals);
    size_t failed = 0, ncals = 0;
    for (int i = 0; i < nfiles; i++) {
        ec_error err;
        ec_error_clear(&err);
        calendar *one = ics_read_file(files[i], c->max_size, &err);
        if (!one) {
            report(&err);
            failed++;
            continue;
        }
        cals[ncals++] = one;
    }
    calendar *all = merge_all(cals, ncals);
    free(cals);
    bool ok = failed == 0;
    if (ok) {
        calendar_finish(all);
        emit_opts eo = {c->calname, c->timezone, c->now, EVENTCAL_VERSION};
        ok = write_outputs(c, all, &eo, true, 0);
    }
    calendar_free(all);
    return ok ? EXIT_OK : EXIT_SOME_FAILED;
}

/* --update FILE.ics reads the calendar first: a file that cannot be read stops the run before
   anything is written.  A missing file is an empty calendar. */
static calendar *update_read(const config *c)
{
    struct stat st;
    if (stat(c->update, &st) != 0 && errno == ENOENT)
        return calendar_new();
    ec_error err;
    ec_error_clear(&err);
    calendar *old = ics_read_file(c->update, c->max_size, &err);
    if (!old) {
        report(&err);
        error("%s: not updated", c->update);
    }
    return old;
}

/* Writes the updated calendar to FILE.ics and, when it exists, to FILE.json beside it. */
static bool update_write(const config *c, const calendar *cal, const emit_opts *eo)
{
    ec_error err;
    ec_error_clear(&err);
    size_t n;
    char *ics = emit_ics(cal, eo, &n);
    staged_file *fi = file_stage(c->update, ics, n, &err), *fj = NULL;
    free(ics);
    bool ok = fi != NULL;
    /* the .json beside it, when there is one, changes with it: both are written first */
    size_t l = strlen(c->update);
    if (ok && l > 4 && has_suffix(c->update, ".ics")) {
        /* CAL.ICS's is CAL.JSON when that is the one there */
        char *jpath = xasprintf("%.*s.json", (int)(l - 4), c->update);
        struct stat st;
        if (stat(jpath, &st) != 0 && c->update[l - 1] == 'S') {
            free(jpath);
            jpath = xasprintf("%.*s.JSON", (int)(l - 4), c->update);
        }
        if (stat(jpath, &st) == 0) {
            char *json = emit_json(cal, eo, &n);
            fj = file_stage(jpath, json, n, &err);
            ok = fj != NULL;
            free(json);
        }
        free(jpath);
    }
    if (ok) {
        ok = file_commit(fi, &err);
        if (fj)
            ok = ok ? file_commit(fj, &err) : (file_abort(fj), false);
    } else {
        file_abort(fi);
        file_abort(fj);
    }
    if (!ok)
        report(&err);
    return ok;
}

/* A signal that ends the run while an output is being written leaves no temporary file
   beside it; then the signal does what it would have done. */
static void on_fatal_signal(int sig)
{
    file_stage_unlink_all();
    raise(sig); /* SA_RESETHAND: the default action now */
}

static void catch_fatal_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal_signal;
    sa.sa_flags = (int)SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
        struct sigaction old;
        /* a signal the caller ignores (nohup, a shell's background job) stays ignored */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        sigaction(sigs[i], &sa, NULL);
    }
}

int main(int argc, char **argv)
{
    heap_prepare();
    catch_fatal_signals();
    config c = {0};
    c.verbosity = 1;
    c.max_size = (size_t)64 << 20;
    c.calname = "eventcal";
    c.now = -1;
    c.jobs = 1;
    uint64_t t_start = mono_ns(); /* --stats: the run's wall time, in its three parts */
    int first = parse_args(argc, argv, &c);
    if (first < 0)
        return EXIT_USAGE;
    if (c.now < 0) {
        const char *sde = getenv("SOURCE_DATE_EPOCH");
        char *end;
        long long v = sde ? strtoll(sde, &end, 10) : 0;
        /* a clock past DATE_YEAR_MAX is refused as --now refuses it: libical writes such a DTSTAMP as
           00000000T000000 */
        bool ok = sde && *sde && !*end && v >= 0 && v < datetime_to_epoch_utc(DATE_YEAR_MAX + 1, 1, 1, 0, 0, 0);
        c.now = ok ? (int64_t)v : (int64_t)time(NULL);
    }
    if (!c.timezone)
        c.timezone = tz_system_default();
    if (!c.format_given && !c.outdir)
        c.format = OUT_ICS;
    if (c.check)
        return check_calendars(&c, argv + first, argc - first);
    if (first < argc && strcmp(argv[first], "merge") == 0) {
        if (c.update) {
            error("merge: --update reads articles, not calendars; merge the calendar in instead: "
                  "eventcal merge -o DIR FILE.ics CALENDAR...");
            return EXIT_USAGE;
        }
        return merge_files(&c, argv + first + 1, argc - first - 1);
    }
    calendar *old = NULL;
    if (c.update && !(old = update_read(&c)))
        return EXIT_SOME_FAILED;
    /* the file's name and zone stand unless the command line gives others: subscribers would
       see the calendar renamed, and a cron job's machine zone is not the calendar's */
    if (old && !c.calname_given && calendar_name(old))
        c.calname = calendar_name(old);
    if (old && !c.timezone_given && calendar_zone(old) && tz_known(calendar_zone(old))) {
        c.timezone = calendar_zone(old);
        c.timezone_given = true;
    }

    ec_error err;
    ec_error_clear(&err);
    /* with worker threads every rule is JIT-compiled at load, beside the loader, rather than
       by the first worker to try it while the others wait (1-3% of a -j 2 run) */
    char *cache = cache_dir();
    rules *rs = rules_load_opts(find_rules(c.rules_dir), &(rules_opts){c.jobs != 1, cache}, &err);
    free(cache);
    uint64_t t_loaded = mono_ns();
    if (!rs) {
        report(&err);
        calendar_free(old);
        return EXIT_USAGE;
    }
    if (c.test_rules) {
        int rc = test_rules(rs, c.verbosity);
        rules_free(rs);
        calendar_free(old);
        return rc;
    }
    /* numeric dates are month-first unless told otherwise or the stated zone is in a region
       that writes them day-first (an article's own zone decides for that article) */
    bool day_first = c.date_order == 1 || (c.date_order == 0 && c.timezone_given && timex_zone_day_first(c.timezone));
    bool timex_out = c.format_given && c.format == OUT_TIMEX;
    pipeline_opts po = {.timezone = c.timezone,
                        .timezone_given = c.timezone_given,
                        .day_first = day_first,
                        .min_confidence = c.min_conf,
                        .now = c.now,
                        .want_events = !(timex_out && !c.outdir && !c.update),
                        .all_timex = timex_out,
                        .date_order_forced = c.date_order != 0,
                        .stats = c.stats,
                        .explain = c.explain};
    run r = {0};
    r.c = &c;
    r.b = batch_new(rs, &po, c.jobs, article_work, article_done, &r);
    if (!r.b) {
        error("cannot start %d threads", c.jobs);
        rules_free(rs);
        calendar_free(old);
        return EXIT_USAGE;
    }
    r.cal = calendar_new();
    r.eo = (emit_opts){c.calname, c.timezone, c.now, EVENTCAL_VERSION};
    r.progress = c.verbosity > 0 && isatty(STDERR_FILENO);
    const char *pa = getenv("EVENTCAL_PROGRESS_AFTER"); /* seconds; for tests */
    r.progress_after = pa && *pa ? atof(pa) : 3.0;
    r.t0 = now_seconds();
    r.last_progress = r.t0 - 1.0;

    if (first >= argc) {
        process_input(&r, "-");
    } else {
        for (int i = first; i < argc; i++)
            process_input(&r, argv[i]);
    }
    batch_flush(r.b);
    progress_tick(&r, true);
    r.cal = merge_all(&r.cal, 1); /* the articles' calendars, joined as `eventcal merge` joins */
    calendar_credit_sources(r.cal);
    calendar_finish(r.cal);
    if (c.stats) {
        pipeline_stats *st = pipeline_stats_new(rs);
        batch_stats_add(r.b, st);
        strbuf sb;
        sb_init(&sb);
        pipeline_stats_format(st, 15, &sb);
        fputs(sb.s ? sb.s : "", stderr);
        sb_finish(&sb);
        pipeline_stats_free(st);
    }

    if (c.explain) {
        for (size_t i = 0; i < calendar_count(r.cal); i++) {
            char *s = emit_explain(calendar_get(r.cal, i));
            fputs(s, stderr);
            free(s);
        }
    }
    bool ok = true;
    if (old) {
        merge_stats st;
        merge_update(old, r.cal, c.now, &st);
        r.cal = old;
        calendar_finish(r.cal);
        ok = update_write(&c, r.cal, &r.eo);
        if (st.skipped && c.verbosity > 0)
            error("%s: %zu events of this run have the UID of an event not written by eventcal (or edited "
                  "by hand); the file's event is kept",
                  c.update, st.skipped);
        if (c.verbosity > 1)
            error("%s: %zu new, %zu changed, %zu with new sources, %zu unchanged events", c.update, st.added,
                  st.changed, st.touched, st.unchanged);
    }
    uint64_t t_write = mono_ns();
    ok = write_outputs(&c, r.cal, &r.eo, !old, r.failed) && ok;
    if (c.stats) {
        /* the stages above leave out the start-up and the writing, which a run of many events
           spends much of its time in */
        uint64_t t_end = mono_ns();
        size_t hits, asked;
        rules_cache_counts(rs, &hits, &asked);
        fprintf(stderr,
                "stats: %.1f ms in all: %.1f loading the rules (%zu of %zu patterns from the cache), %.1f reading "
                "and extracting, %.1f writing the outputs\n",
                (t_end - t_start) / 1e6, (t_loaded - t_start) / 1e6, hits, asked, (t_write - t_loaded) / 1e6,
                (t_end - t_write) / 1e6);
    }
    if (c.verbosity > 1)
        error("%zu articles, %zu events, %zu calendar entries", r.articles, r.events, calendar_count(r.cal));
    calendar_free(r.cal);
    batch_free(r.b);
    strset_free(&r.ids);
    str_list_free(r.id_keys, r.nids);
    str_list_free(r.id_files, r.nids);
    rules_free(rs);
    if (!ok || r.stdout_failed)
        return EXIT_SOME_FAILED;
    return r.failed ? EXIT_SOME_FAILED : EXIT_OK;
}

/*
 * rules: loads the rule files and vocabularies in rules/ (format: rules/README.md), compiles
 * them once with pcre2 (UTF, UCP, caseless, JIT), and finds leftmost-longest matches.
 *
 * Ownership: a `rules` object is immutable after rules_load() and may be shared by threads.
 * Every string a rule or a match points to belongs to the rules object (names, types, values)
 * or to the caller's text (match offsets).  A rule_scanner holds per-thread match data; make
 * one per thread.  All *_free(NULL) are no-ops.
 */
#ifndef EVENTCAL_RULES_H
#define EVENTCAL_RULES_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#include "util.h"

/* What a rule file contributes; each file declares one kind. */
typedef enum rule_kind {
    RK_TIMEX, /* temporal expressions: dates, times, durations, sets */
    RK_EVENT, /* event triggers */
    RK_PLACE, /* places */
    RK_CUE,   /* context cues: tense, cancellation, negation, organiser */
    RK__COUNT
} rule_kind;

typedef struct rules rules;
typedef struct rule rule;

#define RULE_MAX_SLOTS 24

/* A named group that took part in a match, with its text's place and its vocabulary value. */
typedef struct rule_slot {
    const char *name;  /* group name, e.g. "month" */
    size_t start, end; /* byte offsets into the scanned text */
    const char *value; /* the vocabulary value for the text, or NULL (numbers, free text) */
} rule_slot;

typedef struct rule_match {
    const rule *rule;
    size_t start, end;
    int nslots;
    rule_slot slots[RULE_MAX_SLOTS];
} rule_match;

/* One `example` line of a rule. */
typedef struct rule_example {
    const char *text;      /* the input sentence */
    const char *reference; /* reference date-time for timex examples, or NULL for the file's */
    const char *expect;    /* expected value, or "none" */
    int line;
} rule_example;

/*
 * Loads every `*.vocab` and `*.rules` file in dir.  Strict: an unknown %vocabulary, a duplicate
 * rule name, an unknown key, a group name outside the known slots, an unparsable line or a
 * pattern pcre2 rejects stops loading with `file:line:col: message` in err (code EC_ERR_RULES).
 * Returns NULL on error.  The caller frees the result with rules_free().
 */
rules *rules_load(const char *dir, ec_error *err);
/* rules_load(), with every rule JIT-compiled while the rules load (eager: on threads beside
   the loader) or once it has been tried a few times, interpreted until then (a run over one
   article compiles almost nothing); both are eager when EVENTCAL_JIT_EAGER is set.
   Eager suits a run of many articles on several threads, whose workers would otherwise wait
   for each other's first compilations. */
rules *rules_load_jit(const char *dir, bool eager, ec_error *err);
typedef struct rules_opts {
    bool eager_jit;        /* as rules_load_jit()'s `eager` */
    const char *cache_dir; /* where compiled patterns are kept between runs (pcache.h); NULL: none */
} rules_opts;
rules *rules_load_opts(const char *dir, const rules_opts *o, ec_error *err);
/* Of the patterns loading compiled, how many came from the cache of an earlier run. */
void rules_cache_counts(const rules *r, size_t *hits, size_t *asked);
void rules_free(rules *r);

/* The punctuation bytes that are triggers (of `triggers`, `needs`, `starts` or `next`), in
   byte order, as a new string (caller frees); *slow: there are more than the trigger pass
   compares at once (TRIGGER_FAST_SYMBOLS), so it looks up every punctuation byte of every
   text instead (trigger.h).  --test-rules warns then. */
char *rules_symbol_triggers(const rules *r, bool *slow);

/* Number of rules of a kind, and the i-th one in file order. */
size_t rules_count(const rules *r, rule_kind kind);
/* "timex", "event", "place", "cue": the kind as rule files name it. */
const char *rule_kind_name(rule_kind kind);
const rule *rules_get(const rules *r, rule_kind kind, size_t i);
const rule *rules_find(const rules *r, const char *name);

const char *rule_name(const rule *ru);
const char *rule_file(const rule *ru);
/* The rule's pattern after vocabulary expansion (for diagnostics and benchmarks). */
const char *rule_pattern(const rule *ru);
int rule_line(const rule *ru);
rule_kind rule_kind_of(const rule *ru);
/* The rule's `type` (DATE, TIME, DURATION, SET for timex; the event type for triggers; the
 * cue name for cues; the place class for places). */
const char *rule_type(const rule *ru);
/* Value of a fixed slot from the rule's `set` line ("offset=+1 unit=day"), or NULL. */
const char *rule_set_value(const rule *ru, const char *key);
int rule_priority(const rule *ru);
size_t rule_example_count(const rule *ru);
const rule_example *rule_example_get(const rule *ru, size_t i);
/* The file-level `reference` used by examples that do not give one. */
const char *rule_default_reference(const rule *ru);

/*
 * Looks `text` (n bytes) up in vocabulary `vocab`, ignoring case and collapsing whitespace;
 * returns the entry's value (the phrase itself when the entry has none) or NULL.
 * Vocabulary names (here and in rules_vocab_get()) are remembered by their
 * address, per thread: pass a string that keeps its text while the rules live, a literal.
 */
const char *rules_vocab_lookup(const rules *r, const char *vocab, const char *text, size_t n);
bool rules_has_vocab(const rules *r, const char *vocab);
/* Looks an IANA zone up in a vocabulary keyed by zones: the zone whole ("Europe/Dublin"), else
   its area ("Australia" for "Australia/Perth").  NULL for none, or a NULL zone. */
const char *rules_zone_lookup(const rules *r, const char *vocab, const char *zone);

/* A vocabulary looked up once by name, for code that looks many words up in it; NULL if the
   rules have none of that name.  It belongs to the rules object. */
typedef struct rules_vocab rules_vocab;
const rules_vocab *rules_vocab_get(const rules *r, const char *vocab);
/* Like rules_vocab_lookup() in a vocabulary from rules_vocab_get(); NULL when v is NULL. */
const char *rules_vocab_find(const rules_vocab *v, const char *text, size_t n);
/* The phrases of a vocabulary, as written in its file, in file order (0 when v is NULL). */
size_t rules_vocab_size(const rules_vocab *v);
const char *rules_vocab_phrase(const rules_vocab *v, size_t i);

typedef struct rule_scanner rule_scanner;
rule_scanner *rule_scanner_new(const rules *r);
void rule_scanner_free(rule_scanner *s);

/*
 * Finds the next match of any rule of `kind` in text[0..len) that starts at or after `from`:
 * the leftmost start, and at that start the longest match (ties go to the higher priority,
 * then to the earlier rule).  A rule is tried only near its triggers (rules/README.md): from
 * its lookback before each trigger word up to the word.  Returns false when there is none.
 * Matching is bounded by pcre2 match and depth limits; a rule that hits them is not tried
 * again on this text (counted in rule_scanner_limit_hits()).
 *
 * The scanner indexes a text's triggers once and finds the index again by the text's address,
 * length and a fingerprint of its bytes; a caller that rewrites a buffer in place between
 * scans calls rule_scanner_reset() first.
 */
bool rule_scan_next(rule_scanner *s, rule_kind kind, const char *text, size_t len, size_t from, rule_match *out);

/* rule_scan_next(), for a match that starts before `until`: the search of the text's rest
   stops there (the matches found are those rule_scan_next() finds that start before it). */
bool rule_scan_before(rule_scanner *s, rule_kind kind, const char *text, size_t len, size_t from, size_t until,
                      rule_match *out);

/* Forgets the current text's trigger index and per-text state. */
void rule_scanner_reset(rule_scanner *s);

/* Like rule_scan_next, but only the given rule, anchored at `at`. */
bool rule_match_at(rule_scanner *s, const rule *ru, const char *text, size_t len, size_t at, rule_match *out);

/* The slot with this name in a match, or NULL. */
const rule_slot *rule_match_slot(const rule_match *m, const char *name);

/* Turns triggers off (on by default): every rule is tried at every word start.  Slow; it is the
   reference the trigger index must agree with (also EVENTCAL_NO_PREFILTER=1). */
void rule_scanner_use_prefilter(rule_scanner *s, bool on);

unsigned long rule_scanner_limit_hits(const rule_scanner *s);

/* What --stats reports of a rule: anchored attempts, those that matched, and their time. */
typedef struct rule_stat {
    uint64_t attempts, matches, ns;
} rule_stat;

/* Turns counting on (off by default: it reads the clock twice per attempt). */
void rule_scanner_count(rule_scanner *s);
/* The counts of rule `i` of kind `k` so far (zeros when counting is off), and the time spent
   indexing texts' triggers. */
rule_stat rule_scanner_stat(const rule_scanner *s, rule_kind k, size_t i);
uint64_t rule_scanner_index_ns(const rule_scanner *s);

#endif

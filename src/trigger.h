/*
 * trigger: the words that rules are anchored on, and one pass over a text that finds them all.
 *
 * A rule file says which words a rule's match must contain (`triggers` lines, rules/README.md):
 * a month name, a digit run, "vigil".  rules.c adds those words here once at load; for each text
 * trigger_scan() then walks the bytes a single time, looks each word up, and lists where a
 * rule is worth trying, with the kinds of rule each place feeds and, in the set, which rules.
 * The pcre2 rules run only there, so their cost follows the number of candidates, not the
 * length of the text.
 *
 * Words are runs of ASCII letters (compared without case) or runs of digits; any other byte
 * separates words.  A trigger is a whole word, a word prefix ("demonstrat*"), a digit run (any,
 * or of a given length, or followed by a given separator: the shape of a year, a clock time),
 * or one ASCII punctuation byte ("@").
 *
 * Ownership: a trigger_set is filled with trigger_set_add(), then made read-only by
 * trigger_set_freeze() and may be shared by threads.  trigger_hits belong to the caller (one
 * per thread), are reused from text to text, and are released by trigger_hits_finish().  Rule
 * lists of hits are in the set (trigger_set_refs()).  trigger_set_free(NULL) is a no-op.
 */
#ifndef EVENTCAL_TRIGGER_H
#define EVENTCAL_TRIGGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Kinds are the caller's numbers: rules.c uses one per kind of rule, one for the words a
   rule `needs` near its trigger and one for the words its matches start with.  A hit keeps
   its kinds in a byte: at most 8. */
/* A hit names its trigger in 24 bits: a set holds fewer words and prefixes than that (a
   rule file with as many would take minutes to load). */
enum { TRIGGER_KINDS = 6, TRIGGER_MAX_WORD = 32, TRIGGER_MAX_ENTRIES = (1 << 24) - 256 };

typedef struct trigger_set trigger_set;

typedef enum trigger_what {
    TRIGGER_WORD,   /* the word itself */
    TRIGGER_PREFIX, /* any word that starts with it */
    TRIGGER_NUMBER, /* a run of digits; the text narrows it: "" any, "4" of four digits, ":" (or
                       "/", ".", "-") followed by that character, "4-" both */
    TRIGGER_SYMBOL, /* one ASCII punctuation byte */
    TRIGGER_LINE,   /* the first word of the text and of every line (the text is ignored) */
} trigger_what;

trigger_set *trigger_set_new(void);
void trigger_set_free(trigger_set *t);

/*
 * Records that rule number `rule` of kind `kind` may match around the trigger `text` (n bytes:
 * letters for words and prefixes, one punctuation byte for a symbol).  Returns false when the
 * text is not a valid trigger of that sort (empty, longer than TRIGGER_MAX_WORD, not letters),
 * or it is a new word or prefix and the set holds TRIGGER_MAX_ENTRIES of them already.
 * Must not be called after trigger_set_freeze().
 */
bool trigger_set_add(trigger_set *t, trigger_what what, const char *text, size_t n, int kind, uint16_t rule);

/* Sorts and deduplicates every rule list; afterwards the set is read-only. */
void trigger_set_freeze(trigger_set *t);

/* Number of distinct triggers (words, prefixes, the number class, symbols) in the set. */
size_t trigger_set_size(const trigger_set *t);

/* A frozen set's symbol triggers, in byte order, into out (room for 128; not terminated); their
   number.  Up to TRIGGER_FAST_SYMBOLS of them a scan compares with a block's bytes at once;
   with more, it looks up every punctuation byte of every text (2-3% of a corpus run more). */
enum { TRIGGER_FAST_SYMBOLS = 4 };
size_t trigger_set_symbols(const trigger_set *t, char *out);

/* A list of rules of one kind, ascending, in the set. */
typedef struct trigger_rules {
    const uint16_t *idx;
    uint32_t n;
} trigger_rules;

/* Where one trigger's rules of one kind are in that kind's pool (n = 0: none). */
typedef struct trigger_span {
    uint32_t off, n;
} trigger_span;

/*
 * The rules every trigger feeds, a kind at a time: span[k][i] is where trigger i's rules of
 * kind k are in pool[k].  A scan reads one list for every hit it walks, a million a corpus;
 * laid out so, a kind's spans (eight bytes a trigger) and lists stay in the first-level
 * cache, where a trigger's lists of all kinds, each its own allocation, did not.
 */
typedef struct trigger_ref {
    const trigger_span *span[TRIGGER_KINDS];
    const uint16_t *pool[TRIGGER_KINDS];
} trigger_ref;

/*
 * One trigger found in a text: eight bytes, since text dense in triggers has a hit every few
 * bytes, each kept while the text is read.  A hit is recorded once for all the kinds it feeds
 * (a word like "on" feeds three): a pass over a text that indexes every kind but whose caller
 * reads only some of them costs a write per trigger rather than one per trigger and kind.
 */
typedef struct trigger_hit {
    uint32_t start; /* byte offset of the word */
    uint32_t tag;   /* the trigger's number (trigger_set_refs()) << 8 | bit k: it feeds kind k */
} trigger_hit;

static inline bool trigger_hit_feeds(trigger_hit h, int kind)
{
    return (h.tag >> kind) & 1;
}

/* The rules of kind `kind` that hit h is an anchor for, in refs from trigger_set_refs(). */
static inline trigger_rules trigger_hit_rules(const trigger_ref *refs, trigger_hit h, int kind)
{
    trigger_span s = refs->span[kind][h.tag >> 8];
    return (trigger_rules){refs->pool[kind] + s.off, s.n};
}

/* The rule lists hits name; valid once the set is frozen, for as long as the set. */
const trigger_ref *trigger_set_refs(const trigger_set *t);

typedef struct trigger_hits {
    trigger_hit *v;
    size_t n, cap;
} trigger_hits;

/*
 * Finds every trigger in text[0..len) and lists them in text order (a word that is both a
 * whole-word and a prefix trigger gives two hits at the same offset); the hits of one kind are
 * those that feed it, in the same order.  Replaces what `out` held; never fails (out-of-memory
 * aborts).  Offsets are 32-bit: of a text longer than 4 GiB (--max-size stops at 4 GiB of
 * input) only the first 4 GiB are indexed.
 */
void trigger_scan(const trigger_set *t, const char *text, size_t len, trigger_hits *out);

void trigger_hits_finish(trigger_hits *h);

#endif

#define PCRE2_CODE_UNIT_WIDTH 8
#include "rules.h"

#include <pcre2.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pcache.h"
#include "trigger.h"

/* Bounds on every match: no rule and no input can make matching blow up. */
enum {
    MATCH_LIMIT = 200000,
    DEPTH_LIMIT = 2000,
    HEAP_LIMIT_KB = 20000,
    MAX_RULE_FILE = 4 << 20,
    MAX_PATTERN = 1 << 20,
    /* By default, how far before its trigger a match may start: "between 6 and 8pm" is found
       from "8pm".  A file's or a rule's `lookback N` changes it. */
    DEFAULT_LOOKBACK = 24,
    MAX_LOOKBACK = 128,
    MAX_RULES_PER_KIND = 60000, /* rule numbers are 16-bit in the trigger index */
    MAX_NEEDS_WITHIN = 256,
    NEEDS_KIND = RK__COUNT, /* the trigger index's kind for the words rules need */
    STARTS_KIND,            /* ... and for the words their matches start with */
    NEEDS_BLOCK_SHIFT = 6,  /* needs_near()'s blocks: 64 bytes */
};

/*
 * The named groups a rule may use.  They are the interface between the rule files and the
 * code that gives matches a meaning (timex.c, place.c, event.c), so an unknown name is an
 * error rather than a silently ignored capture.
 */
static const char *const KNOWN_SLOTS[] = {
    /* dates and times */
    "year", "year2", "month", "day", "weekday", "days", "recur", "hour", "minute", "second", "ampm", "pod",
    "rel", "n", "unit", "dir", "season", "quarter", "half", "decade", "century", "holiday",
    "tz", "mod", "ord", "ord2", "fy", "ref", "year_rel", "year_hi", "year_lo",
    "year_end", "month_end", "day_end", "weekday_end", "hour_end", "minute_end", "ampm_end",
    "pod_end", "hour_start", "minute_start", "ampm_start",
    "num", "num_end", "numword", "sep", "span",
    /* events and places */
    "trigger", "name", "named", "head", "locality", "org", "verb", "cue", "point", "street", "minutes",
    "tense",
    NULL,
};

typedef struct vocab_entry {
    char *key; /* normalised phrase */
    char *value;
    uint64_t hash; /* hash64() of key: a probe compares it before the key */
    size_t len;    /* of key */
} vocab_entry;

typedef struct vocab {
    char *name;
    char *file;
    vocab_entry *entries; /* open-addressing table */
    size_t cap, count;
    char **phrases; /* raw phrases in file order, for building the alternation */
    size_t nphrases;
    char *alternation; /* (?:...) built lazily */
    char *heads;       /* (?:...) of the phrases' first atoms only, built with it */
    /* a quick no for most words: the key lengths (bit min(len, 63)) and first bytes the
       vocabulary has */
    uint64_t lengths;
    uint8_t first[32];
    size_t max_len; /* of a key */
} vocab;

typedef struct group_vocab {
    char *group;
    const vocab *voc;
} group_vocab;

/* A named group of a compiled rule, resolved once at load so a match costs no name lookups. */
typedef struct rule_group {
    uint32_t number;     /* capture group number */
    const char *name;    /* points into the pattern's name table */
    const vocab *own;    /* (?<g>%NAME): that vocabulary, or NULL */
    const vocab *byname; /* the vocabulary named like the group (without _end/_start), or NULL */
    bool dup;            /* an earlier group has the same name: the first that took part wins */
} rule_group;

/* A `triggers` item as written, with its column, resolved when its file has been read. */
typedef struct trig_item {
    char *text;
    int line;
    long col;
} trig_item;

/*
 * `next ITEM... [past WORD...]`: what every match of a rule has right after one of its
 * triggers (past ASCII white space, and past one of the `past` words).  Checked in a few bytes
 * before pcre2 is entered: most hits of "in" are followed by a word in lower case, and
 * place_locality_guess wants a capital there.  Such attempts fail at their first byte, which
 * JIT code does quickly: on the benchmark corpus a third of all attempts go, 1.5% of the
 * instructions.
 */
typedef struct next_check {
    bool at_hit;       /* the rule's triggers are all #linestart: the word checked is the hit's own */
    bool cap, caps;    /* #Cap: an ASCII capital; #CAPS: a capital and then a capital, ', . or - */
    bool digit;        /* #number, or a vocabulary phrase that begins with a digit */
    uint8_t sym[16];   /* ASCII punctuation items, one bit each */
    char **words;      /* whole words, lower case, sorted (strcmp) */
    size_t nwords;
    char **prefixes;   /* `demonstrat*` items, lower case */
    size_t nprefixes;
    char **past;       /* words passed over once before the check, lower case, sorted */
    size_t npast;
    /* by first byte: `sure`, a token that passes whatever follows (a capital for #Cap, a digit,
       a punctuation item); `maybe`, one that may (a letter some word, prefix or past word
       starts with, in either case): most rejections are a lookup in `maybe` */
    uint8_t sure[16], maybe[16];
} next_check;

static void strv_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static void next_check_free(next_check *c)
{
    if (!c)
        return;
    strv_free(c->words, c->nwords);
    strv_free(c->prefixes, c->nprefixes);
    strv_free(c->past, c->npast);
    free(c);
}

struct rule {
    char *name;
    char *file;
    int line;
    rule_kind kind;
    char *type;
    int priority;
    char *pattern; /* expanded */
    char **set_keys, **set_values;
    size_t nset;
    rule_example *examples;
    size_t nexamples;
    group_vocab *gv;
    size_t ngv;
    trig_item *trig; /* the rule's own `triggers`, or none: the file's */
    size_t ntrig;
    trig_item *needs; /* `needs ... within N`: one of these words starts at most N bytes after */
    size_t nneeds;   /* the trigger (or in the lookback before it), or the rule cannot match */
    int needs_within;
    int needs_id;    /* its number in the trigger index's NEEDS_KIND lists; -1 without `needs` */
    trig_item *starts; /* `starts`: every match begins with one of these words */
    size_t nstarts;
    int starts_id; /* its number in the STARTS_KIND lists; -1 without `starts` */
    trig_item *next; /* `next`, as written, and its `past` words; resolved into next_chk */
    size_t nnext;
    trig_item *past;
    size_t npast;
    next_check *next_chk; /* NULL without `next` */
    int lookback;    /* bytes before a trigger where a match may start; -1 until resolved */
    pcre2_code *anchored;
    atomic_bool jitted;   /* anchored has been JIT-compiled (after some attempts, see rule_jit) */
    bool jit_ok;          /* ... successfully: pcre2_jit_match() may run it directly */
    atomic_uint jit_wait; /* attempts left before it is (interpreted until then) */
    uint8_t first[32];    /* bytes a match can start with (all ones when unknown), from its lines */
    size_t nalts;         /* match lines */
    rule_group *groups;   /* the named groups, in name-table order, with their vocabularies */
    size_t ngroups;
    const char *default_reference;
    size_t index; /* within its kind */
};

/* What rule_scan_before() reads of a rule for every hit that names it, most often only to pass
   it over: side by side for a kind's rules, where each struct rule is a few scattered cache
   lines (with the trigger index's lists laid out a kind at a time, trigger.h, 2.4% of a
   corpus run; either alone gained nothing, each hiding the other's wait) */
typedef struct rule_hot {
    int32_t lookback;
    int32_t needs_within;
    int32_t needs_id, starts_id;
    const next_check *next;
} rule_hot;

typedef struct kind_set {
    rule **items;
    rule_hot *hot; /* hot[i] is items[i]'s, set once every rule is loaded */
    size_t count, cap;
    int max_lookback; /* the largest lookback of the kind's rules */
} kind_set;

struct rules {
    /* a rule is JIT-compiled once tried a few times, under this lock (rule_jit): that and
       its count of attempts (atomic) are all a shared rules object changes after loading */
    pthread_mutex_t lazy_mu;
    bool no_jit; /* EVENTCAL_NO_JIT: the interpreter only (for valgrind) */
    unsigned long serial; /* this object's number among those loaded (find_vocab_by_name) */
    vocab *vocabs;
    size_t nvocabs;
    size_t *vocab_index; /* open addressing by name: 1 + index into vocabs, 0 = empty */
    size_t vocab_index_cap;
    kind_set kinds[RK__COUNT];
    trigger_set *trig; /* every rule's trigger words, and the words rules need and start with */
    size_t nneeds_ids, nstarts_ids;
    char **strings; /* file-level strings (references) owned here */
    size_t nstrings;
    struct jit_queue *jitq; /* while loading, with EVENTCAL_JIT_EAGER: rules to JIT-compile */
    pcache *pc;             /* while loading: the patterns compiled by an earlier run */
    /* while loading: one match data for every rule's empty-string check, which keeps the
       frames pcre2 allocates for a match rather than allocating them anew for each rule */
    pcre2_match_data *check_md;
    size_t cache_hits, cache_asked;
};

/* A stretch of the indexed text where a rule is known not to match (hi < lo: none). */
typedef struct clean_span {
    size_t lo, hi;
} clean_span;

struct rule_scanner {
    const rules *r;
    /* rules that hit a match limit on the current text are not tried again on it: one
       pathological rule costs one bounded attempt per text, not one per position */
    const char *spent_text;
    size_t spent_len;
    uint8_t spent[RK__COUNT][64]; /* the first 512 rules of each kind */
    bool any_spent;               /* some bit of `spent` is set: almost never */
    /* the trigger index of the text being scanned, found again by its address, length and a
       fingerprint of its bytes (rule_scanner_reset() forgets it) */
    const char *idx_text;
    size_t idx_len;
    uint64_t idx_fp;
    bool idx_valid;
    trigger_hits hits;
    /* the hits of each kind, copied out of `hits` when a kind is first asked for on the text
       (bit k of `kinds_built`): a text with no event in it is never asked for its places */
    trigger_hit *khits[TRIGGER_KINDS];
    size_t kn[TRIGGER_KINDS], kcap[TRIGGER_KINDS];
    unsigned kinds_built;
    /* per 64-byte block of the indexed text, bit (id % 64) for each `needs` id one of whose
       words starts there: most needs_near() questions are answered by these few words */
    uint64_t *needs_mask;
    size_t needs_nmask, needs_cap;
    /* bit b: the indexed text's 64-byte block b holds a byte >= 0x80 (built once a text, when
       search_starts() first asks) */
    uint64_t *high_mask;
    size_t high_cap;
    bool high_built;
    size_t hint[2]; /* where needs_near() and search_starts() last found their first hit */
    /* per rule, a stretch of the indexed text where it is known not to match, its two ends
       side by side (read for every hit that names the rule).  Windows of hits close together
       overlap; this keeps each byte from being searched again for the same rule.  Valid while
       scans of one text go forward (reset when `from` goes back or the text changes). */
    clean_span *clean[RK__COUNT];
    size_t last_from[RK__COUNT];
    size_t last_lo[RK__COUNT]; /* the first hit at or after last_from: scans go forward */
    bool no_prefilter;
    pcre2_match_data *md_rule;
    pcre2_match_data *md_best; /* the best match so far */
    pcre2_match_context *mctx;
    pcre2_jit_stack *jit_stack;
    unsigned long limit_hits;
    bool counting; /* rule_scanner_count() */
    rule_stat *stats[RK__COUNT]; /* per rule */
    uint64_t index_ns;           /* in trigger_scan() */
};

static const char *const KIND_NAMES[RK__COUNT] = {"timex", "event", "place", "cue"};

/* ---- vocabularies ---- */

static void normalise_key(const char *s, size_t n, strbuf *out)
{
    sb_reset(out);
    bool space = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (ascii_isspace(c)) {
            space = out->len > 0;
            continue;
        }
        /* typographic apostrophe (U+2019) reads as ' so "King’s" finds "king's" */
        if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 && (unsigned char)s[i + 2] == 0x99) {
            c = '\'';
            i += 2;
        }
        if (space) {
            sb_addc(out, ' ');
            space = false;
        }
        sb_addc(out, (char)ascii_tolower(c));
    }
    if (!out->s)
        sb_grow(out, 0);
}

static void vocab_insert(vocab *v, char *key, char *value)
{
    size_t kl = strlen(key);
    v->lengths |= 1ULL << (kl < 63 ? kl : 63);
    if (kl > v->max_len)
        v->max_len = kl;
    v->first[(unsigned char)key[0] >> 3] |= (uint8_t)(1u << ((unsigned char)key[0] & 7));
    if ((v->count + 1) * 2 > v->cap) {
        size_t ncap = v->cap ? v->cap * 2 : 8;
        vocab_entry *ne = xcalloc(ncap, sizeof *ne);
        for (size_t i = 0; i < v->cap; i++) {
            if (!v->entries[i].key)
                continue;
            size_t h = v->entries[i].hash & (ncap - 1);
            while (ne[h].key)
                h = (h + 1) & (ncap - 1);
            ne[h] = v->entries[i];
        }
        free(v->entries);
        v->entries = ne;
        v->cap = ncap;
    }
    uint64_t full = hash64(key, kl, 0);
    size_t h = full & (v->cap - 1);
    while (v->entries[h].key) {
        if (strcmp(v->entries[h].key, key) == 0) {
            /* first definition wins; later duplicates are redundant spellings */
            free(key);
            free(value);
            return;
        }
        h = (h + 1) & (v->cap - 1);
    }
    v->entries[h].key = key;
    v->entries[h].value = value;
    v->entries[h].hash = full;
    v->entries[h].len = kl;
    v->count++;
}

/* The value of the normalised key (kl bytes; `full` its hash64()), or NULL. */
static const char *vocab_get(const vocab *v, const char *key, size_t kl, uint64_t full)
{
    if (!v->cap)
        return NULL;
    for (size_t h = full & (v->cap - 1); v->entries[h].key; h = (h + 1) & (v->cap - 1)) {
        const vocab_entry *e = &v->entries[h];
        if (e->hash == full && e->len == kl && memcmp(e->key, key, kl) == 0)
            return e->value;
    }
    return NULL;
}

static char *trim(char *s)
{
    while (ascii_isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && ascii_isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

static bool load_vocab(rules *r, const char *dir, const char *fname, ec_error *err)
{
    char *path = xasprintf("%s/%s", dir, fname);
    size_t len;
    char *data = read_file_all(path, MAX_RULE_FILE, &len, err);
    if (!data) {
        free(path);
        return false;
    }
    r->vocabs = xrealloc(r->vocabs, (r->nvocabs + 1) * sizeof *r->vocabs);
    vocab *v = &r->vocabs[r->nvocabs++];
    memset(v, 0, sizeof *v);
    v->name = xstrndup(fname, strlen(fname) - strlen(".vocab"));
    v->file = path;
    strbuf key;
    sb_init(&key);
    int lineno = 0;
    bool ok = true;
    char *p = data;
    while (p && *p) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        lineno++;
        char *line = trim(p);
        p = nl ? nl + 1 : NULL;
        if (!*line || line[0] == '#')
            continue;
        if (utf8_valid_prefix(line, strlen(line)) != strlen(line)) {
            ok = ec_fail(err, EC_ERR_RULES, path, lineno, 1, "invalid UTF-8");
            break;
        }
        char *eq = strstr(line, " = ");
        char *phrase = line, *value = NULL;
        if (eq) {
            *eq = '\0';
            phrase = trim(line);
            value = trim(eq + 3);
            if (!*value) {
                ok = ec_fail(err, EC_ERR_RULES, path, lineno, (long)(eq - line) + 2, "empty value after '='");
                break;
            }
        }
        if (!*phrase) {
            ok = ec_fail(err, EC_ERR_RULES, path, lineno, 1, "empty phrase");
            break;
        }
        normalise_key(phrase, strlen(phrase), &key);
        v->phrases = xrealloc(v->phrases, (v->nphrases + 1) * sizeof *v->phrases);
        v->phrases[v->nphrases++] = xstrdup(phrase);
        vocab_insert(v, xstrdup(key.s), xstrdup(value ? value : phrase));
    }
    sb_finish(&key);
    free(data);
    if (ok && v->nphrases == 0)
        ok = ec_fail(err, EC_ERR_RULES, path, 0, 0, "vocabulary '%s' is empty", v->name);
    return ok;
}

static const vocab *find_vocab(const rules *r, const char *name, size_t n)
{
    if (r->vocab_index) {
        size_t mask = r->vocab_index_cap - 1;
        for (size_t h = hash64(name, n, 0) & mask; r->vocab_index[h]; h = (h + 1) & mask) {
            const vocab *v = &r->vocabs[r->vocab_index[h] - 1];
            if (strlen(v->name) == n && memcmp(v->name, name, n) == 0)
                return v;
        }
        return NULL;
    }
    for (size_t i = 0; i < r->nvocabs; i++)
        if (strlen(r->vocabs[i].name) == n && memcmp(r->vocabs[i].name, name, n) == 0)
            return &r->vocabs[i];
    return NULL;
}

/* Vocabularies by name, for the lookups stages make while matching. */
static void index_vocabs(rules *r)
{
    size_t cap = 16;
    while (cap < r->nvocabs * 4)
        cap *= 2;
    r->vocab_index = xcalloc(cap, sizeof *r->vocab_index);
    r->vocab_index_cap = cap;
    for (size_t i = 0; i < r->nvocabs; i++) {
        size_t h = hash64(r->vocabs[i].name, strlen(r->vocabs[i].name), 0) & (cap - 1);
        while (r->vocab_index[h])
            h = (h + 1) & (cap - 1);
        r->vocab_index[h] = i + 1;
    }
}

/* A trie of a vocabulary's phrases, each edge one regex atom (a character, \s+ or ['’]). */
typedef struct trie_node {
    char unit[12];
    bool terminal;
    size_t child, next; /* first child, next sibling; 0 = none (node 0 is the root) */
} trie_node;

typedef struct trie {
    trie_node *n;
    size_t count, cap;
} trie;

static size_t trie_add_node(trie *t, const char *unit)
{
    if (t->count == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 64;
        t->n = xrealloc(t->n, t->cap * sizeof *t->n);
    }
    trie_node *nd = &t->n[t->count];
    memset(nd, 0, sizeof *nd);
    str_copy(nd->unit, sizeof nd->unit, unit);
    return t->count++;
}

/* The next regex atom of a phrase at *s, advancing it. */
static void next_unit(const char **s, char out[12])
{
    unsigned char c = (unsigned char)**s;
    if (ascii_isspace(c)) {
        while (ascii_isspace((unsigned char)**s))
            (*s)++;
        snprintf(out, 12, "\\s+");
        return;
    }
    if (c == '\'') {
        (*s)++;
        snprintf(out, 12, "['\xE2\x80\x99]"); /* straight or typographic apostrophe */
        return;
    }
    if (c >= 0x80) {
        /* a whole UTF-8 character */
        int k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2, i = 0;
        for (; i < k && (*s)[i]; i++)
            out[i] = (*s)[i];
        out[i] = '\0';
        *s += i;
        return;
    }
    (*s)++;
    c = (unsigned char)ascii_tolower(c);
    /* (not snprintf: once per character of every vocabulary, it was a tenth of a cached start-up) */
    size_t k = 0;
    if (strchr("\\^$.|?*+()[]{}-#/", c))
        out[k++] = '\\';
    out[k++] = (char)c;
    out[k] = '\0';
}

static void trie_insert(trie *t, const char *phrase)
{
    size_t cur = 0;
    const char *p = phrase;
    while (*p) {
        char unit[12];
        next_unit(&p, unit);
        size_t c = t->n[cur].child, prev = 0;
        while (c && strcmp(t->n[c].unit, unit) != 0) {
            prev = c;
            c = t->n[c].next;
        }
        if (!c) {
            c = trie_add_node(t, unit);
            /* keep siblings sorted so the pattern does not depend on the file's order */
            size_t *link = &t->n[cur].child;
            while (*link && strcmp(t->n[*link].unit, unit) < 0)
                link = &t->n[*link].next;
            t->n[c].next = *link;
            *link = c;
            (void)prev;
        }
        cur = c;
    }
    t->n[cur].terminal = true;
}

/* Emits the subtree below `node`: its children as one group, optional when `node` may end. */
static void trie_emit(const trie *t, size_t node, strbuf *sb)
{
    size_t c = t->n[node].child;
    if (!c)
        return;
    bool many = t->n[c].next != 0;
    bool optional = t->n[node].terminal && node != 0;
    if (many || optional)
        sb_adds(sb, "(?:");
    for (size_t k = c; k; k = t->n[k].next) {
        if (k != c)
            sb_addc(sb, '|');
        sb_adds(sb, t->n[k].unit);
        trie_emit(t, k, sb);
    }
    if (many || optional)
        sb_addc(sb, ')');
    if (optional)
        sb_addc(sb, '?'); /* greedy: the longer phrase first, as "sept." before "sep" */
}

/*
 * The vocabulary as a pattern.  Phrases are merged into a trie ("jan|january|june" becomes
 * j(?:an(?:uary)?|une)) so that matching costs one comparison per character rather than one per
 * phrase: the whole scan's speed depends on it.  `heads` asks instead for the alternation of
 * the phrases' first atoms (j), which can start a match with the same bytes and no others.
 */
static const char *vocab_alternation(vocab *v, bool heads)
{
    if (v->alternation)
        return heads ? v->heads : v->alternation;
    trie t = {0};
    trie_add_node(&t, "");
    for (size_t i = 0; i < v->nphrases; i++)
        trie_insert(&t, v->phrases[i]);
    strbuf sb;
    sb_init(&sb);
    sb_adds(&sb, "(?:");
    trie_emit(&t, 0, &sb);
    sb_addc(&sb, ')');
    v->alternation = sb_steal(&sb);
    sb_init(&sb);
    sb_adds(&sb, "(?:");
    for (size_t k = t.n[0].child; k; k = t.n[k].next) {
        if (k != t.n[0].child)
            sb_addc(&sb, '|');
        sb_adds(&sb, t.n[k].unit);
    }
    sb_addc(&sb, ')');
    v->heads = sb_steal(&sb);
    free(t.n);
    return heads ? v->heads : v->alternation;
}

/*
 * Looks text[0..n) up in v.  Keys are normalised into a stack buffer (a key is never longer
 * than its text), so a lookup during matching does not allocate.
 */
static const char *vocab_lookup(const vocab *v, const char *text, size_t n)
{
    /* Most lookups are of one word of plain ASCII (the stages ask, word by word, whether it is
       a tense, a family, a stop) and most find nothing: such a word is its own key, lower-cased,
       so its length and first letter say no before anything is copied or hashed, and a yes
       hashes it in a loop with no normalising to do. */
    if (n && n < 64) {
        size_t i = 0;
        while (i < n && (unsigned char)text[i] > ' ' && (unsigned char)text[i] < 0x80)
            i++;
        if (i == n) {
            if (n > v->max_len + 1)
                return NULL;
            unsigned char f = (unsigned char)ascii_tolower((unsigned char)text[0]);
            bool dot = text[n - 1] == '.' && n > 1;
            if (!(v->first[f >> 3] & (1u << (f & 7))) ||
                !(v->lengths & ((1ULL << n) | (dot ? 1ULL << (n - 1) : 0))))
                return NULL;
            char k[64];
            uint64_t h = hash64_start(0), before_last = h;
            for (i = 0; i < n; i++) {
                k[i] = (char)ascii_tolower((unsigned char)text[i]);
                before_last = h;
                h = hash64_step(h, (unsigned char)k[i]);
            }
            const char *val = (v->lengths >> n) & 1 ? vocab_get(v, k, n, hash64_final(h)) : NULL;
            if (!val && dot)
                val = vocab_get(v, k, n - 1, hash64_final(before_last)); /* "Feb." finds "feb" */
            return val;
        }
    }
    if (n > 3 * (v->max_len + 1) + 16) {
        /* a key keeps every byte but whitespace (a ’ of three becomes one '), and a trailing
           dot may go: a text with more such bytes than that cannot be one, and normalising a
           long span to find out would cost its length at every call */
        size_t solid = 0;
        for (size_t i = 0; i < n && solid <= 3 * (v->max_len + 1); i++)
            solid += !ascii_isspace((unsigned char)text[i]);
        if (solid > 3 * (v->max_len + 1))
            return NULL;
    }
    char small[256];
    strbuf key;
    sb_init(&key);
    char *k = small;
    size_t kl = 0;
    /* the key is hashed as it is built (and the hash without its last byte kept, for the
       retry without a trailing dot below) */
    uint64_t h = hash64_start(0), before_last = h;
    if (n < sizeof small) {
        bool space = false;
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)text[i];
            if (ascii_isspace(c)) {
                space = kl > 0;
                continue;
            }
            if (c == 0xE2 && i + 2 < n && (unsigned char)text[i + 1] == 0x80 && (unsigned char)text[i + 2] == 0x99) {
                c = '\'';
                i += 2;
            }
            if (space) {
                small[kl++] = ' ';
                h = hash64_step(h, ' ');
                space = false;
            }
            unsigned char lc = (unsigned char)ascii_tolower(c);
            small[kl++] = (char)lc;
            before_last = h;
            h = hash64_step(h, lc);
        }
        small[kl] = '\0';
    } else {
        normalise_key(text, n, &key);
        k = key.s;
        kl = key.len;
        for (size_t i = 0; i < kl; i++) {
            before_last = h;
            h = hash64_step(h, (unsigned char)k[i]);
        }
    }
    if (!kl || !(v->first[(unsigned char)k[0] >> 3] & (1u << ((unsigned char)k[0] & 7))) ||
        !(v->lengths & ((1ULL << (kl < 63 ? kl : 63)) | (1ULL << (kl - 1 < 63 ? kl - 1 : 63))))) {
        sb_finish(&key);
        return NULL; /* no key of that length (or one shorter, for a trailing dot) or first byte */
    }
    const char *val = vocab_get(v, k, kl, hash64_final(h));
    if (!val && kl && k[kl - 1] == '.') {
        /* "Feb." finds "feb": abbreviations are written with or without their dot */
        k[--kl] = '\0';
        val = vocab_get(v, k, kl, hash64_final(before_last));
    }
    sb_finish(&key);
    return val;
}

/*
 * The stages name the vocabulary of each lookup ("tense", once per word of a sentence): a
 * name's hash and compare cost more than the lookup itself.  Names are string literals or
 * strings the rules own, so each thread remembers which vocabulary a name's address gave for
 * which rules object; rules objects are told apart by a number taken at load, since a new one
 * may sit where a freed one was.
 */
static atomic_ulong rules_serial;

enum { NAME_CACHE = 64 };

static const vocab *find_vocab_by_name(const rules *r, const char *name)
{
    static _Thread_local struct {
        unsigned long serial;
        const char *name;
        const vocab *v;
    } cache[NAME_CACHE];
    size_t i = ((uintptr_t)name >> 3) & (NAME_CACHE - 1);
    if (cache[i].name == name && cache[i].serial == r->serial)
        return cache[i].v;
    const vocab *v = find_vocab(r, name, strlen(name));
    cache[i].serial = r->serial;
    cache[i].name = name;
    cache[i].v = v;
    return v;
}

const char *rules_vocab_lookup(const rules *r, const char *vname, const char *text, size_t n)
{
    const vocab *v = find_vocab_by_name(r, vname);
    return v ? vocab_lookup(v, text, n) : NULL;
}

bool rules_has_vocab(const rules *r, const char *vname)
{
    return find_vocab(r, vname, strlen(vname)) != NULL;
}

const char *rules_zone_lookup(const rules *r, const char *vname, const char *zone)
{
    if (!zone)
        return NULL;
    const char *v = rules_vocab_lookup(r, vname, zone, strlen(zone));
    const char *slash = strchr(zone, '/');
    return v || !slash ? v : rules_vocab_lookup(r, vname, zone, (size_t)(slash - zone));
}

const rules_vocab *rules_vocab_get(const rules *r, const char *vname)
{
    return (const rules_vocab *)find_vocab_by_name(r, vname);
}

const char *rules_vocab_find(const rules_vocab *v, const char *text, size_t n)
{
    return v ? vocab_lookup((const vocab *)v, text, n) : NULL;
}

size_t rules_vocab_size(const rules_vocab *v)
{
    return v ? ((const vocab *)v)->nphrases : 0;
}

const char *rules_vocab_phrase(const rules_vocab *v, size_t i)
{
    return ((const vocab *)v)->phrases[i];
}

/* ---- rule files ---- */

static bool known_slot(const char *name, size_t n)
{
    for (const char *const *k = KNOWN_SLOTS; *k; k++)
        if (strlen(*k) == n && memcmp(*k, name, n) == 0)
            return true;
    return false;
}

static bool is_ident(int c)
{
    return ascii_isalnum(c) || c == '_';
}

/*
 * Expands %vocab references in a pattern line, checks group names, and records which groups
 * wrap exactly one vocabulary.  `col0` is the column where the pattern starts in its line, so
 * errors point at the right byte.  `heads` gets the same pattern with each vocabulary cut to
 * its phrases' first atoms: a match of it starts with the same bytes, and it compiles in a
 * fraction of the time (the vocabularies of towns and names are most of a rule's pattern).
 */
static bool expand_pattern(rules *r, rule *ru, const char *src, const char *file, int line, long col0,
                           strbuf *out, strbuf *heads, ec_error *err)
{
    size_t n = strlen(src);
    for (size_t i = 0; i < n; i++) {
        char c = src[i];
        if (c == '\\' && i + 1 < n) {
            if (ascii_isdigit((unsigned char)src[i + 1]) && src[i + 1] != '0')
                return ec_fail(err, EC_ERR_RULES, file, line, col0 + (long)i,
                               "numbered back-reference in rule '%s': use a named group and \\k<name>", ru->name);
            sb_add(out, src + i, 2);
            sb_add(heads, src + i, 2);
            i++;
            continue;
        }
        if (c == '%') {
            if (i + 1 < n && src[i + 1] == '%') {
                sb_addc(out, '%');
                sb_addc(heads, '%');
                i++;
                continue;
            }
            size_t j = i + 1;
            while (j < n && is_ident((unsigned char)src[j]))
                j++;
            if (j == i + 1)
                return ec_fail(err, EC_ERR_RULES, file, line, col0 + (long)i, "'%%' must name a vocabulary (write %%%% for a percent sign)");
            vocab *v = (vocab *)find_vocab(r, src + i + 1, j - i - 1);
            if (!v)
                return ec_fail(err, EC_ERR_RULES, file, line, col0 + (long)i, "unknown vocabulary '%.*s' in rule '%s'",
                               (int)(j - i - 1), src + i + 1, ru->name);
            sb_adds(out, vocab_alternation(v, false));
            sb_adds(heads, vocab_alternation(v, true));
            i = j - 1;
            continue;
        }
        if (c == '(' && i + 2 < n && src[i + 1] == '?' &&
            (src[i + 2] == '<' || src[i + 2] == '\'' || (src[i + 2] == 'P' && i + 3 < n && src[i + 3] == '<'))) {
            size_t s = i + (src[i + 2] == 'P' ? 4 : 3);
            if (s < n && (src[s] == '=' || src[s] == '!')) { /* lookbehind, not a name */
                sb_addc(out, c);
                sb_addc(heads, c);
                continue;
            }
            size_t e = s;
            while (e < n && is_ident((unsigned char)src[e]))
                e++;
            if (e == s || !known_slot(src + s, e - s))
                return ec_fail(err, EC_ERR_RULES, file, line, col0 + (long)s, "unknown group name '%.*s' in rule '%s' (see rules/README.md)",
                               (int)(e - s), src + s, ru->name);
            /* remember (?<g>%vocab) so the group's text can be looked up in that vocabulary */
            size_t b = e + 1;
            if (b < n && src[b] == '%') {
                size_t ve = b + 1;
                while (ve < n && is_ident((unsigned char)src[ve]))
                    ve++;
                if (ve < n && src[ve] == ')') {
                    const vocab *v = find_vocab(r, src + b + 1, ve - b - 1);
                    if (v) {
                        ru->gv = xrealloc(ru->gv, (ru->ngv + 1) * sizeof *ru->gv);
                        ru->gv[ru->ngv].group = xstrndup(src + s, e - s);
                        ru->gv[ru->ngv].voc = v;
                        ru->ngv++;
                    }
                }
            }
        }
        sb_addc(out, c);
        sb_addc(heads, c);
    }
    return true;
}

static uint32_t compile_options(void)
{
    return PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS | PCRE2_DUPNAMES | PCRE2_NO_UTF_CHECK;
}

/* Compiles a pattern; `jit` is false for patterns that are only checked, never run. */
static pcre2_code *compile_or_fail(const char *pat, uint32_t extra, bool jit, const char *file, int line,
                                   const char *what, ec_error *err)
{
    int ec;
    PCRE2_SIZE eo;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, compile_options() | extra, &ec, &eo, NULL);
    if (!code) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(ec, msg, sizeof msg);
        ec_fail(err, EC_ERR_RULES, file, line, 0, "%s: %s (at offset %zu of the expanded pattern)", what, (char *)msg,
                (size_t)eo);
        return NULL;
    }
    /* JIT is an optimisation: a platform without it still matches correctly.  EVENTCAL_NO_JIT
       turns it off, for valgrind, which cannot follow JIT code (eventcal(1), ENVIRONMENT). */
    if (jit && !getenv("EVENTCAL_NO_JIT"))
        (void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
    return code;
}

static bool parse_example(rule *ru, char *rest, const char *file, int line, rules *r, ec_error *err)
{
    /* example "TEXT" [@REFERENCE] => EXPECT */
    char *p = trim(rest);
    if (*p != '"')
        return ec_fail(err, EC_ERR_RULES, file, line, 0, "example in rule '%s' must start with a quoted text", ru->name);
    char *q = strrchr(p + 1, '"');
    char *arrow = strstr(p, "=>");
    while (arrow && q && arrow < q)
        arrow = strstr(arrow + 2, "=>");
    if (!q || q == p || !arrow)
        return ec_fail(err, EC_ERR_RULES, file, line, 0, "example in rule '%s' needs \"TEXT\" => VALUE", ru->name);
    *q = '\0';
    char *mid = trim(q + 1);
    char *ref = NULL;
    *arrow = '\0';
    mid = trim(mid);
    if (*mid == '@')
        ref = trim(mid + 1);
    else if (*mid)
        return ec_fail(err, EC_ERR_RULES, file, line, 0, "unexpected '%s' in example of rule '%s'", mid, ru->name);
    char *expect = trim(arrow + 2);
    if (!*expect)
        return ec_fail(err, EC_ERR_RULES, file, line, 0, "example in rule '%s' has no expected value", ru->name);
    ru->examples = xrealloc(ru->examples, (ru->nexamples + 1) * sizeof *ru->examples);
    rule_example *ex = &ru->examples[ru->nexamples++];
    /* examples may use \n for a line break */
    strbuf t;
    sb_init(&t);
    for (const char *s = p + 1; *s; s++) {
        if (s[0] == '\\' && s[1] == 'n') {
            sb_addc(&t, '\n');
            s++;
        } else if (s[0] == '\\' && s[1] == '"') {
            sb_addc(&t, '"');
            s++;
        } else {
            sb_addc(&t, *s);
        }
    }
    ex->text = sb_steal(&t);
    ex->reference = ref && *ref ? xstrdup(ref) : NULL;
    ex->expect = xstrdup(expect);
    ex->line = line;
    (void)r;
    return true;
}

/*
 * The bytes a match of `code` (compiled without ANCHORED) can start with, as pcre2 worked them
 * out when compiling it; false when it could not say (then any byte may start one).
 */
static bool first_bytes(const pcre2_code *code, uint8_t first[32])
{
    const uint8_t *bitmap = NULL;
    uint32_t fct = 0, fcu = 0;
    pcre2_pattern_info(code, PCRE2_INFO_FIRSTCODETYPE, &fct);
    if (fct == 1) {
        pcre2_pattern_info(code, PCRE2_INFO_FIRSTCODEUNIT, &fcu);
        if (fcu >= 256)
            return false;
        memset(first, 0, 32);
        /* the pattern is caseless: a letter may come in either case */
        unsigned lo = (unsigned)ascii_tolower((int)fcu), up = lo >= 'a' && lo <= 'z' ? lo - 32 : lo;
        first[fcu >> 3] |= (uint8_t)(1u << (fcu & 7));
        first[lo >> 3] |= (uint8_t)(1u << (lo & 7));
        first[up >> 3] |= (uint8_t)(1u << (up & 7));
        return true;
    }
    if (pcre2_pattern_info(code, PCRE2_INFO_FIRSTBITMAP, &bitmap) == 0 && bitmap) {
        memcpy(first, bitmap, 32);
        return true;
    }
    return false;
}

/*
 * A lookahead that fails at once where the alternative cannot start: "(?=(?-i:[Rr]))".  pcre2
 * tries a rule's alternatives (its match lines) one after the other at each place, and an
 * alternative that opens with lookbehinds ("not after 'shares '") runs them all before its
 * first letter fails; the guard makes it cost one class test.  It changes no match: the bytes
 * are those pcre2 itself found a match of the line must start with (any non-ASCII character
 * passes, since in UTF mode the bitmap holds lead bytes, not characters).  Appends nothing when
 * the line can start with any ASCII byte but a few.
 */
static void add_guard(strbuf *pat, const uint8_t first[32])
{
    int n = 0;
    for (int c = 0; c < 128; c++)
        n += (first[c >> 3] >> (c & 7)) & 1;
    if (n == 0 || n > 100)
        return;
    bool high = false;
    for (int c = 128; c < 256; c++)
        high = high || ((first[c >> 3] >> (c & 7)) & 1);
    sb_adds(pat, "(?=(?-i:[");
    for (int c = 0; c < 128;) {
        if (!((first[c >> 3] >> (c & 7)) & 1)) {
            c++;
            continue;
        }
        int e = c;
        while (e + 1 < 128 && ((first[(e + 1) >> 3] >> ((e + 1) & 7)) & 1))
            e++;
        sb_printf(pat, e > c ? "\\x{%x}-\\x{%x}" : "\\x{%x}", c, e);
        c = e + 1;
    }
    sb_adds(pat, high ? "])|[^\\x{0}-\\x{7f}])" : "]))");
}

/* Resolves the rule's named groups and their vocabularies once, for fill_slots(). */
static void resolve_groups(const rules *r, rule *ru)
{
    uint32_t count = 0, entry = 0;
    PCRE2_SPTR table;
    pcre2_pattern_info(ru->anchored, PCRE2_INFO_NAMECOUNT, &count);
    pcre2_pattern_info(ru->anchored, PCRE2_INFO_NAMEENTRYSIZE, &entry);
    pcre2_pattern_info(ru->anchored, PCRE2_INFO_NAMETABLE, &table);
    ru->groups = count ? xcalloc(count, sizeof *ru->groups) : NULL;
    ru->ngroups = count;
    for (uint32_t i = 0; i < count; i++) {
        const unsigned char *e = table + (size_t)i * entry;
        rule_group *g = &ru->groups[i];
        g->number = ((uint32_t)e[0] << 8) | e[1];
        g->name = (const char *)e + 2;
        for (uint32_t j = 0; j < i; j++)
            if (strcmp(ru->groups[j].name, g->name) == 0)
                g->dup = true;
        for (size_t k = 0; k < ru->ngv; k++)
            if (strcmp(ru->gv[k].group, g->name) == 0)
                g->own = ru->gv[k].voc; /* the last (?<g>%NAME) of that name, as before */
        /* the vocabulary named like the group, without a trailing _end/_start */
        size_t n = strlen(g->name);
        const char *suf = strstr(g->name, "_end");
        if (!suf)
            suf = strstr(g->name, "_start");
        if (suf)
            n = (size_t)(suf - g->name);
        g->byname = find_vocab(r, g->name, n);
    }
}

static void jit_queue_add(struct jit_queue *q, rule *ru);

/* Attempts a rule makes with the interpreter before it is JIT-compiled (rule_jit()). */
enum { JIT_AFTER = 32 };

/* The match lines of the rule being read, whole, for finish_rule()'s error message. */
typedef struct line_srcs {
    struct line_src {
        int line;
        char *pat;
    } *v;
    size_t n, cap;
} line_srcs;

static void line_srcs_add(line_srcs *l, int line, const char *pat)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = (struct line_src){line, xstrdup(pat)};
}

static void line_srcs_clear(line_srcs *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].pat);
    l->n = 0;
}

static bool finish_rule(rules *r, rule *ru, strbuf *pat, line_srcs *lines, ec_error *err)
{
    if (!pat->len)
        return ec_fail(err, EC_ERR_RULES, ru->file, ru->line, 0, "rule '%s' has no 'match' line", ru->name);
    if (!ru->type)
        return ec_fail(err, EC_ERR_RULES, ru->file, ru->line, 0, "rule '%s' has no 'type' line", ru->name);
    if (pat->len > MAX_PATTERN)
        return ec_fail(err, EC_ERR_RULES, ru->file, ru->line, 0, "rule '%s': pattern longer than %d bytes", ru->name,
                       MAX_PATTERN);
    ru->pattern = xstrdup(pat->s);
    /* NO_START_OPTIMIZE: an attempt at one place must not first scan the text ahead for a
       character the pattern needs, which costs thousands of bytes where that character is rare */
    const uint32_t anchored = PCRE2_ANCHORED | PCRE2_NO_START_OPTIMIZE;
    ru->anchored = pcache_code(r->pc, ru->pattern, compile_options() | anchored);
    if (!ru->anchored) {
        ru->anchored = compile_or_fail(ru->pattern, anchored, false, ru->file, ru->line, ru->name, NULL);
        if (ru->anchored)
            pcache_put_code(r->pc, ru->pattern, compile_options() | anchored, ru->anchored);
    }
    if (!ru->anchored) {
        /* the match lines were checked with their vocabularies cut short: the line that
           fails whole is the one to point at */
        for (size_t i = 0; i < lines->n; i++) {
            pcre2_code *c = compile_or_fail(lines->v[i].pat, 0, false, ru->file, lines->v[i].line, ru->name, err);
            if (!c)
                return false;
            pcre2_code_free(c);
        }
        pcre2_code_free(compile_or_fail(ru->pattern, anchored, false, ru->file, ru->line, ru->name, err));
        return false;
    }
    resolve_groups(r, ru);
    /* a rule that can match the empty string would make every position a match */
    if (!r->check_md)
        r->check_md = pcre2_match_data_create(1, NULL); /* whether, not where: one pair will do */
    int rc = pcre2_match(ru->anchored, (PCRE2_SPTR) "", 0, 0, 0, r->check_md, NULL);
    if (rc >= 0)
        return ec_fail(err, EC_ERR_RULES, ru->file, ru->line, 0, "rule '%s' matches the empty string", ru->name);
    kind_set *ks = &r->kinds[ru->kind];
    if (ks->count == ks->cap) {
        ks->cap = ks->cap ? ks->cap * 2 : 32;
        ks->items = xrealloc(ks->items, ks->cap * sizeof *ks->items);
    }
    atomic_init(&ru->jit_wait, JIT_AFTER);
    ru->index = ks->count;
    ks->items[ks->count++] = ru;
    if (r->jitq)
        jit_queue_add(r->jitq, ru); /* last: a worker may compile ru->anchored from now on */
    return true;
}

static void trig_items_free(trig_item *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(items[i].text);
    free(items);
}

static void rule_destroy(rule *ru)
{
    if (!ru)
        return;
    free(ru->name);
    free(ru->file);
    free(ru->type);
    free(ru->pattern);
    for (size_t i = 0; i < ru->nset; i++) {
        free(ru->set_keys[i]);
        free(ru->set_values[i]);
    }
    free(ru->set_keys);
    free(ru->set_values);
    for (size_t i = 0; i < ru->nexamples; i++) {
        free((char *)ru->examples[i].text);
        free((char *)ru->examples[i].reference);
        free((char *)ru->examples[i].expect);
    }
    free(ru->examples);
    for (size_t i = 0; i < ru->ngv; i++)
        free(ru->gv[i].group);
    free(ru->gv);
    free(ru->groups);
    trig_items_free(ru->trig, ru->ntrig);
    trig_items_free(ru->needs, ru->nneeds);
    trig_items_free(ru->starts, ru->nstarts);
    trig_items_free(ru->next, ru->nnext);
    trig_items_free(ru->past, ru->npast);
    next_check_free(ru->next_chk);
    pcre2_code_free(ru->anchored);
    free(ru);
}

const rule *rules_find(const rules *r, const char *name)
{
    for (int k = 0; k < RK__COUNT; k++)
        for (size_t i = 0; i < r->kinds[k].count; i++)
            if (strcmp(r->kinds[k].items[i]->name, name) == 0)
                return r->kinds[k].items[i];
    return NULL;
}

static bool parse_lookback(const char *rest, const char *file, int line, long col, int *out, ec_error *err)
{
    char *end;
    long v = strtol(rest, &end, 10);
    if (!*rest || *end || v < 0 || v > MAX_LOOKBACK)
        return ec_fail(err, EC_ERR_RULES, file, line, col, "lookback must be a number of bytes in 0..%d", MAX_LOOKBACK);
    *out = (int)v;
    return true;
}

/* The sort of trigger an item is; false when it is none (see rules/README.md, "Triggers"). */
static bool trigger_item_kind(const rules *r, const char *it, trigger_what *what, const vocab **voc)
{
    size_t n = strlen(it);
    *voc = NULL;
    *what = TRIGGER_WORD; /* set on every path: callers that checked the item already ignore the result */
    if (strcmp(it, "#linestart") == 0) {
        *what = TRIGGER_LINE;
        return true;
    }
    if (strncmp(it, "#number", 7) == 0) {
        /* #number, #number4, #number:, #number4- (see trigger.h) */
        const char *sh = it + 7;
        if (*sh >= '1' && *sh <= '9')
            sh++;
        if (*sh && strchr(":/.-", *sh))
            sh++;
        *what = TRIGGER_NUMBER;
        return *sh == '\0';
    }
    if (it[0] == '%') {
        *voc = find_vocab(r, it + 1, n - 1);
        *what = TRIGGER_WORD;
        return *voc != NULL;
    }
    if (n == 1 && !ascii_isalnum((unsigned char)it[0]) && (unsigned char)it[0] > ' ' && (unsigned char)it[0] < 127) {
        *what = TRIGGER_SYMBOL;
        return true;
    }
    size_t letters = n && it[n - 1] == '*' ? n - 1 : n;
    if (letters == 0 || letters > TRIGGER_MAX_WORD)
        return false;
    for (size_t i = 0; i < letters; i++)
        if (!ascii_isalpha((unsigned char)it[i]))
            return false;
    *what = letters < n ? TRIGGER_PREFIX : TRIGGER_WORD;
    return true;
}

/* Reads the items of a `triggers` line, checking each, and appends them to *items. */
static bool collect_triggers(const rules *r, const char *rest, const char *file, int line, long col, trig_item **items,
                             size_t *n, ec_error *err)
{
    const char *p = rest;
    if (!*p)
        return ec_fail(err, EC_ERR_RULES, file, line, col, "'triggers' needs at least one word");
    while (*p) {
        while (*p && ascii_isspace((unsigned char)*p))
            p++;
        const char *b = p;
        while (*p && !ascii_isspace((unsigned char)*p))
            p++;
        if (p == b)
            break;
        char *it = xstrndup(b, (size_t)(p - b));
        trigger_what what;
        const vocab *voc;
        if (!trigger_item_kind(r, it, &what, &voc)) {
            bool unknown_vocab = it[0] == '%';
            ec_fail(err, EC_ERR_RULES, file, line, col + (long)(b - rest),
                    unknown_vocab ? "unknown vocabulary '%s' in triggers"
                                  : "bad trigger '%s': a word of ASCII letters, a prefix like 'demonstrat*', "
                                    "a %%vocabulary, #number (#number4, #number:), #linestart or one punctuation character",
                    unknown_vocab ? it + 1 : it);
            free(it);
            return false;
        }
        *items = xrealloc(*items, (*n + 1) * sizeof **items);
        (*items)[*n] = (trig_item){it, line, col + (long)(b - rest)};
        (*n)++;
    }
    return true;
}

/* `needs WORD... within N`: the words (as in `triggers`) and the distance. */
static bool parse_needs(const rules *r, rule *ru, char *rest, const char *file, int line, long col, ec_error *err)
{
    if (ru->nneeds)
        return ec_fail(err, EC_ERR_RULES, file, line, 1, "a second 'needs' line in rule '%s'", ru->name);
    char *w = strstr(rest, " within ");
    while (w && strstr(w + 1, " within "))
        w = strstr(w + 1, " within ");
    char *end;
    long v = w ? strtol(w + 8, &end, 10) : -1;
    if (!w || end == w + 8 || *end || v < 0 || v > MAX_NEEDS_WITHIN)
        return ec_fail(err, EC_ERR_RULES, file, line, col,
                       "'needs' takes words and then 'within N' (N bytes after the trigger, 0..%d)", MAX_NEEDS_WITHIN);
    *w = '\0';
    ru->needs_within = (int)v;
    return collect_triggers(r, rest, file, line, col, &ru->needs, &ru->nneeds, err);
}

/* Adds the first word of a vocabulary phrase as a trigger of rule `ru`: a match that contains
   the phrase contains its first word.  An article before it ("the town hall") is passed over,
   since "the" would make the rule run at every other sentence; not for STARTS_KIND, where the
   article is the word a match starts with. */
static void add_phrase_trigger(rules *r, int kind, uint16_t id, const char *phrase)
{
    const char *p = phrase;
    while (*p && !ascii_isalnum((unsigned char)*p))
        p++;
    if (!*p)
        return;
    const vocab *articles = find_vocab(r, "article", 7); /* vocab/article.vocab */
    const char *q = p;
    while (ascii_isalpha((unsigned char)*q))
        q++;
    if (kind != STARTS_KIND && articles && ascii_isspace((unsigned char)*q) &&
        vocab_lookup(articles, p, (size_t)(q - p))) {
        while (ascii_isspace((unsigned char)*q))
            q++;
        if (ascii_isalnum((unsigned char)*q))
            p = q;
    }
    const char *b = p;
    if (ascii_isdigit((unsigned char)*p)) {
        trigger_set_add(r->trig, TRIGGER_NUMBER, b, 0, kind, id);
        return;
    }
    while (*p && ascii_isalpha((unsigned char)*p))
        p++;
    /* a word longer than any trigger can be still starts with its first TRIGGER_MAX_WORD
       letters: make that a prefix */
    size_t n = (size_t)(p - b);
    trigger_set_add(r->trig, n > TRIGGER_MAX_WORD ? TRIGGER_PREFIX : TRIGGER_WORD, b,
                    n > TRIGGER_MAX_WORD ? TRIGGER_MAX_WORD : n, kind, id);
}

/* Enters `triggers`, `needs` or `starts` items (checked when read) in the trigger index for `kind`. */
static void add_items(rules *r, const trig_item *items, size_t n, int kind, uint16_t id)
{
    for (size_t i = 0; i < n; i++) {
        trigger_what what;
        const vocab *voc;
        (void)trigger_item_kind(r, items[i].text, &what, &voc);
        if (voc) {
            for (size_t j = 0; j < voc->nphrases; j++)
                add_phrase_trigger(r, kind, id, voc->phrases[j]);
            continue;
        }
        const char *t = items[i].text;
        if (what == TRIGGER_NUMBER)
            t += 7; /* the shape after "#number" */
        size_t tl = strlen(t);
        if (what == TRIGGER_PREFIX)
            tl--;
        trigger_set_add(r->trig, what, t, tl, kind, id);
    }
}

/*
 * Whether the trigger index can find where every match of `ru` starts: the phrases of a
 * %vocabulary in its `starts` must begin with an ASCII letter or a digit, as the words the
 * index sees do (one that begins with "'" or "½" starts where no word does).
 */
static bool starts_findable(const rules *r, const rule *ru, ec_error *err)
{
    for (size_t i = 0; i < ru->nstarts; i++) {
        trigger_what what;
        const vocab *voc;
        (void)trigger_item_kind(r, ru->starts[i].text, &what, &voc);
        for (size_t j = 0; voc && j < voc->nphrases; j++)
            if (!ascii_isalnum((unsigned char)voc->phrases[j][0]))
                return ec_fail(err, EC_ERR_RULES, ru->file, ru->starts[i].line, ru->starts[i].col,
                               "'starts' in rule '%s': %s has \"%s\", which begins with neither an ASCII letter "
                               "nor a digit, so no word the trigger index finds starts it",
                               ru->name, ru->starts[i].text, voc->phrases[j]);
    }
    return true;
}

/* `next ITEM... [past WORD...]` (see next_check): the items as written, checked when the
   rule's triggers are known (resolve_next). */
static bool parse_next(const rules *r, rule *ru, char *rest, const char *file, int line, long col, ec_error *err)
{
    if (ru->nnext)
        return ec_fail(err, EC_ERR_RULES, file, line, 1, "a second 'next' line in rule '%s'", ru->name);
    char *pw = strstr(rest, " past ");
    if (pw) {
        *pw = '\0';
        if (!collect_triggers(r, pw + 6, file, line, col + (long)(pw + 6 - rest), &ru->past, &ru->npast, err))
            return false;
    }
    if (!*rest || strcmp(rest, "past") == 0)
        return ec_fail(err, EC_ERR_RULES, file, line, col, "'next' needs at least one item");
    for (char *p = rest; *p;) {
        while (*p && ascii_isspace((unsigned char)*p))
            p++;
        char *b = p;
        while (*p && !ascii_isspace((unsigned char)*p))
            p++;
        if (p == b)
            break;
        char save = *p;
        *p = '\0';
        bool shape = strcmp(b, "#Cap") == 0 || strcmp(b, "#CAPS") == 0;
        trigger_what what;
        const vocab *voc;
        bool ok = shape || (trigger_item_kind(r, b, &what, &voc) && what != TRIGGER_LINE);
        if (ok) {
            ru->next = xrealloc(ru->next, (ru->nnext + 1) * sizeof *ru->next);
            ru->next[ru->nnext++] = (trig_item){xstrdup(b), line, col + (long)(b - rest)};
        }
        *p = save;
        if (!ok)
            return ec_fail(err, EC_ERR_RULES, file, line, col + (long)(b - rest),
                           "bad 'next' item: a word, a prefix like 'demonstrat*', a %%vocabulary, #number, "
                           "#Cap, #CAPS or one punctuation character");
    }
    return true;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void strv_push(char ***v, size_t *n, const char *s, size_t len)
{
    *v = xrealloc(*v, (*n + 1) * sizeof **v);
    char *w = xstrndup(s, len);
    for (char *q = w; *q; q++)
        *q = (char)ascii_tolower((unsigned char)*q);
    (*v)[(*n)++] = w;
}

/* The first word of a vocabulary phrase, as the check below reads words (articles count). */
static void next_add_phrase(next_check *c, const char *ph)
{
    unsigned char f = (unsigned char)ph[0];
    if (ascii_isdigit(f))
        c->digit = true;
    else if (f > ' ' && f < 127 && !ascii_isalpha(f))
        c->sym[f >> 3] |= (uint8_t)(1u << (f & 7));
    else if (ascii_isalpha(f)) {
        size_t n = 0;
        while (ascii_isalpha((unsigned char)ph[n]))
            n++;
        strv_push(&c->words, &c->nwords, ph, n);
    }
    /* a phrase that begins with a byte >= 0x80 is always let through (next_ok) */
}

static void next_add_items(const rules *r, next_check *c, const trig_item *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *t = items[i].text;
        trigger_what what;
        const vocab *voc;
        if (strcmp(t, "#Cap") == 0) {
            c->cap = true;
            continue;
        }
        if (strcmp(t, "#CAPS") == 0) {
            c->caps = true;
            continue;
        }
        (void)trigger_item_kind(r, t, &what, &voc);
        if (voc) {
            for (size_t j = 0; j < voc->nphrases; j++)
                next_add_phrase(c, voc->phrases[j]);
        } else if (what == TRIGGER_NUMBER) {
            c->digit = true;
        } else if (what == TRIGGER_SYMBOL) {
            unsigned char f = (unsigned char)t[0];
            c->sym[f >> 3] |= (uint8_t)(1u << (f & 7));
        } else if (what == TRIGGER_PREFIX) {
            strv_push(&c->prefixes, &c->nprefixes, t, strlen(t) - 1);
        } else {
            strv_push(&c->words, &c->nwords, t, strlen(t));
        }
    }
}

/* Builds a rule's next_check from its `next` and `past` items.  With #linestart the word
   checked is the line's first; mixed with other triggers, which word would be unclear. */
static bool resolve_next(const rules *r, rule *ru, const trig_item *trig, size_t ntrig, ec_error *err)
{
    size_t lines = 0;
    for (size_t i = 0; i < ntrig; i++)
        lines += strcmp(trig[i].text, "#linestart") == 0;
    if (lines && lines != ntrig)
        return ec_fail(err, EC_ERR_RULES, ru->file, ru->next[0].line, ru->next[0].col,
                       "'next' in rule '%s', whose triggers mix #linestart with words", ru->name);
    for (size_t i = 0; i < ru->npast; i++) {
        trigger_what what;
        const vocab *voc;
        (void)trigger_item_kind(r, ru->past[i].text, &what, &voc);
        if (voc || what != TRIGGER_WORD)
            return ec_fail(err, EC_ERR_RULES, ru->file, ru->past[i].line, ru->past[i].col,
                           "'past' in rule '%s' takes whole words only", ru->name);
    }
    next_check *c = xcalloc(1, sizeof *c);
    c->at_hit = lines > 0;
    next_add_items(r, c, ru->next, ru->nnext);
    for (size_t i = 0; i < ru->npast; i++)
        strv_push(&c->past, &c->npast, ru->past[i].text, strlen(ru->past[i].text));
    if (c->nwords)
        qsort(c->words, c->nwords, sizeof *c->words, cmp_str);
    if (c->npast)
        qsort(c->past, c->npast, sizeof *c->past, cmp_str);
    for (unsigned b = 0; b < 128; b++) {
        bool sure = (c->cap && b >= 'A' && b <= 'Z') || (c->digit && ascii_isdigit((int)b)) ||
                    (!ascii_isalnum((int)b) && ((c->sym[b >> 3] >> (b & 7)) & 1));
        if (sure)
            c->sure[b >> 3] |= (uint8_t)(1u << (b & 7));
    }
    char **lists[] = {c->words, c->prefixes, c->past};
    size_t counts[] = {c->nwords, c->nprefixes, c->npast};
    for (size_t l = 0; l < 3; l++)
        for (size_t i = 0; i < counts[l]; i++) {
            unsigned char f = (unsigned char)lists[l][i][0];
            if (!f) /* an empty prefix ("*" is refused when read, but the check costs nothing) */
                continue;
            unsigned char u = (unsigned char)(f - 'a' + 'A');
            c->maybe[f >> 3] |= (uint8_t)(1u << (f & 7));
            c->maybe[u >> 3] |= (uint8_t)(1u << (u & 7));
        }
    ru->next_chk = c;
    return true;
}

/*
 * Gives a rule its triggers (its own `triggers` line, or its file's) and its lookback (its own,
 * its file's, or DEFAULT_LOOKBACK), and enters them, and its `needs` and `starts` words, in the
 * trigger index.
 */
static bool resolve_triggers(rules *r, rule *ru, const trig_item *file_items, size_t nfile, int file_lookback,
                             ec_error *err)
{
    const trig_item *items = ru->ntrig ? ru->trig : file_items;
    size_t n = ru->ntrig ? ru->ntrig : nfile;
    if (!n)
        return ec_fail(err, EC_ERR_RULES, ru->file, ru->line, 0,
                       "rule '%s' has no triggers: give it or its file a 'triggers' line (rules/README.md)", ru->name);
    if (ru->index >= MAX_RULES_PER_KIND)
        return ec_fail(err, EC_ERR_RULES, ru->file, ru->line, 0, "more than %d rules of one kind", MAX_RULES_PER_KIND);
    if (ru->lookback < 0)
        ru->lookback = file_lookback >= 0 ? file_lookback : DEFAULT_LOOKBACK;
    kind_set *ks = &r->kinds[ru->kind];
    if (ru->lookback > ks->max_lookback)
        ks->max_lookback = ru->lookback;
    add_items(r, items, n, ru->kind, (uint16_t)ru->index);
    if (ru->nneeds) {
        if (r->nneeds_ids >= MAX_RULES_PER_KIND)
            return ec_fail(err, EC_ERR_RULES, ru->file, ru->line, 0, "more than %d rules with 'needs'", MAX_RULES_PER_KIND);
        ru->needs_id = (int)r->nneeds_ids++;
        add_items(r, ru->needs, ru->nneeds, NEEDS_KIND, (uint16_t)ru->needs_id);
    }
    if (ru->nstarts) {
        if (ru->lookback == 0)
            return ec_fail(err, EC_ERR_RULES, ru->file, ru->starts[0].line, ru->starts[0].col,
                           "'starts' in rule '%s' with lookback 0: its matches start at its triggers", ru->name);
        if (!starts_findable(r, ru, err))
            return false;
        if (r->nstarts_ids >= MAX_RULES_PER_KIND)
            return ec_fail(err, EC_ERR_RULES, ru->file, ru->line, 0, "more than %d rules with 'starts'", MAX_RULES_PER_KIND);
        ru->starts_id = (int)r->nstarts_ids++;
        add_items(r, ru->starts, ru->nstarts, STARTS_KIND, (uint16_t)ru->starts_id);
    }
    if (ru->nnext && !resolve_next(r, ru, items, n, err))
        return false;
    return true;
}

static bool load_rule_file(rules *r, const char *dir, const char *fname, ec_error *err)
{
    char *path = xasprintf("%s/%s", dir, fname);
    size_t len;
    char *data = read_file_all(path, MAX_RULE_FILE, &len, err);
    if (!data) {
        free(path);
        return false;
    }
    bool ok = true;
    int kind = -1;
    int lookback = -1; /* the file's `lookback N`; DEFAULT_LOOKBACK when it has none */
    trig_item *file_trig = NULL; /* the file's `triggers`, for rules without their own */
    size_t nfile_trig = 0;
    size_t first_rule = SIZE_MAX; /* index in its kind of the file's first rule */
    const char *reference = NULL;
    rule *cur = NULL;
    strbuf pat;
    sb_init(&pat);
    line_srcs srcs = {0};
    int lineno = 0;
    char *p = data;
    if (utf8_valid_prefix(data, len) != len) {
        ok = ec_fail_at(err, EC_ERR_RULES, path, (long)utf8_valid_prefix(data, len), "invalid UTF-8");
        goto done;
    }
    while (p && *p) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        lineno++;
        char *raw = p;
        p = nl ? nl + 1 : NULL;
        size_t rl = strlen(raw);
        if (rl && raw[rl - 1] == '\r')
            raw[--rl] = '\0';
        char *line = trim(raw);
        if (!*line || line[0] == '#')
            continue;
        bool indented = ascii_isspace((unsigned char)raw[0]);
        char *key = line;
        size_t kl = 0;
        while (key[kl] && !ascii_isspace((unsigned char)key[kl]))
            kl++;
        char *rest = key[kl] ? trim(key + kl + 1) : key + kl;
        key[kl] = '\0';
        long rest_col = (long)(rest - raw) + 1;
        if (!indented) {
            if (cur) {
                ok = finish_rule(r, cur, &pat, &srcs, err);
                if (!ok) {
                    rule_destroy(cur);
                    cur = NULL;
                    goto done;
                }
                cur = NULL;
            }
            if (strcmp(key, "kind") == 0) {
                if (kind >= 0) {
                    ok = ec_fail(err, EC_ERR_RULES, path, lineno, 1, "a second 'kind' line (one per file)");
                    goto done;
                }
                for (int k = 0; k < RK__COUNT; k++)
                    if (strcmp(rest, KIND_NAMES[k]) == 0)
                        kind = k;
                if (kind < 0) {
                    ok = ec_fail(err, EC_ERR_RULES, path, lineno, rest_col,
                                 "unknown kind '%s' (timex, event, place or cue)", rest);
                    goto done;
                }
                first_rule = r->kinds[kind].count;
            } else if (strcmp(key, "prefilter") == 0) {
                ok = ec_fail(err, EC_ERR_RULES, path, lineno, 1,
                             "'prefilter' is now 'triggers': a list of words (rules/README.md)");
                goto done;
            } else if (strcmp(key, "triggers") == 0) {
                if (kind < 0) {
                    ok = ec_fail(err, EC_ERR_RULES, path, lineno, 1, "'triggers' before 'kind'");
                    goto done;
                }
                if (!(ok = collect_triggers(r, rest, path, lineno, rest_col, &file_trig, &nfile_trig, err)))
                    goto done;
            } else if (strcmp(key, "lookback") == 0) {
                if (!(ok = parse_lookback(rest, path, lineno, rest_col, &lookback, err)))
                    goto done;
            } else if (strcmp(key, "reference") == 0) {
                r->strings = xrealloc(r->strings, (r->nstrings + 1) * sizeof *r->strings);
                r->strings[r->nstrings++] = xstrdup(rest);
                reference = r->strings[r->nstrings - 1];
            } else if (strcmp(key, "rule") == 0) {
                if (kind < 0) {
                    ok = ec_fail(err, EC_ERR_RULES, path, lineno, 1, "'rule' before 'kind'");
                    goto done;
                }
                if (!*rest) {
                    ok = ec_fail(err, EC_ERR_RULES, path, lineno, rest_col, "'rule' needs a name");
                    goto done;
                }
                for (const char *c = rest; *c; c++)
                    if (!is_ident((unsigned char)*c)) {
                        ok = ec_fail(err, EC_ERR_RULES, path, lineno, rest_col + (c - rest),
                                     "rule names are letters, digits and '_'");
                        goto done;
                    }
                const rule *dup = rules_find(r, rest);
                if (dup) {
                    ok = ec_fail(err, EC_ERR_RULES, path, lineno, rest_col, "duplicate rule name '%s' (first at %s:%d)",
                                 rest, dup->file, dup->line);
                    goto done;
                }
                cur = xcalloc(1, sizeof *cur);
                cur->name = xstrdup(rest);
                cur->file = xstrdup(path);
                cur->line = lineno;
                cur->kind = (rule_kind)kind;
                cur->default_reference = reference;
                cur->lookback = -1;
                cur->needs_id = -1;
                cur->starts_id = -1;
                sb_reset(&pat);
                line_srcs_clear(&srcs);
            } else {
                ok = ec_fail(err, EC_ERR_RULES, path, lineno, 1,
                             "unknown directive '%s' (kind, reference, triggers, lookback or rule)", key);
                goto done;
            }
            continue;
        }
        if (!cur) {
            ok = ec_fail(err, EC_ERR_RULES, path, lineno, 1, "indented line outside a rule");
            goto done;
        }
        if (strcmp(key, "match") == 0) {
            if (!*rest) {
                ok = ec_fail(err, EC_ERR_RULES, path, lineno, rest_col, "empty pattern");
                goto done;
            }
            /* several match lines are alternatives of one rule */
            strbuf one, heads;
            sb_init(&one);
            sb_init(&heads);
            ok = expand_pattern(r, cur, rest, path, lineno, rest_col, &one, &heads, err);
            uint8_t first[32];
            bool known = false;
            if (ok) {
                /* check this line on its own so a syntax error points at its line; pcre2 also
                   says which bytes a match of it can start with.  With its vocabularies cut
                   to their heads: compiling every line whole cost a third of the start-up.
                   What only the whole line gets wrong (a vocabulary of several lengths in a
                   lookbehind) fails the rule's compile, and finish_rule() finds the line. */
                if (!pcache_first(r->pc, heads.s, compile_options(), &known, first)) {
                    pcre2_code *c = compile_or_fail(heads.s, 0, false, path, lineno, cur->name, err);
                    ok = c != NULL;
                    known = ok && first_bytes(c, first);
                    pcre2_code_free(c);
                    if (ok)
                        pcache_put_first(r->pc, heads.s, compile_options(), known, first);
                }
            }
            sb_finish(&heads);
            if (ok)
                line_srcs_add(&srcs, lineno, one.s);
            if (ok) {
                if (pat.len)
                    sb_addc(&pat, '|');
                /* the rule's first bytes are those of its lines together */
                if (!cur->nalts++)
                    memset(cur->first, 0, sizeof cur->first);
                for (size_t b = 0; b < sizeof first; b++)
                    cur->first[b] |= known ? first[b] : 0xFF;
                if (known)
                    add_guard(&pat, first);
                sb_adds(&pat, "(?:");
                sb_add(&pat, one.s, one.len);
                sb_addc(&pat, ')');
            }
            sb_finish(&one);
            if (!ok)
                goto done;
        } else if (strcmp(key, "type") == 0) {
            free(cur->type);
            cur->type = xstrdup(rest);
        } else if (strcmp(key, "priority") == 0) {
            char *end;
            long v = strtol(rest, &end, 10);
            if (!*rest || *end || v < -1000 || v > 1000) {
                ok = ec_fail(err, EC_ERR_RULES, path, lineno, rest_col, "priority must be an integer in -1000..1000");
                goto done;
            }
            cur->priority = (int)v;
        } else if (strcmp(key, "set") == 0) {
            char *save = NULL;
            for (char *tok = strtok_r(rest, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
                char *eq = strchr(tok, '=');
                if (!eq || eq == tok || !eq[1]) {
                    ok = ec_fail(err, EC_ERR_RULES, path, lineno, rest_col, "'set' takes key=value pairs, got '%s'", tok);
                    goto done;
                }
                *eq = '\0';
                if (!known_slot(tok, strlen(tok))) {
                    ok = ec_fail(err, EC_ERR_RULES, path, lineno, rest_col, "unknown slot '%s' in 'set'", tok);
                    goto done;
                }
                if (strcmp(tok, "minutes") == 0) {
                    char *end;
                    long v = strtol(eq + 1, &end, 10);
                    if (*end || v < 1 || v > 10080) {
                        ok = ec_fail(err, EC_ERR_RULES, path, lineno, rest_col,
                                     "minutes must be a length in minutes, 1..10080 (a week), got '%s'", eq + 1);
                        goto done;
                    }
                }
                if (strcmp(tok, "tense") == 0 && strcmp(eq + 1, "future") != 0 && strcmp(eq + 1, "past") != 0) {
                    ok = ec_fail(err, EC_ERR_RULES, path, lineno, rest_col, "tense must be future or past, got '%s'", eq + 1);
                    goto done;
                }
                cur->set_keys = xrealloc(cur->set_keys, (cur->nset + 1) * sizeof *cur->set_keys);
                cur->set_values = xrealloc(cur->set_values, (cur->nset + 1) * sizeof *cur->set_values);
                cur->set_keys[cur->nset] = xstrdup(tok);
                cur->set_values[cur->nset] = xstrdup(eq + 1);
                cur->nset++;
            }
        } else if (strcmp(key, "triggers") == 0) {
            if (!(ok = collect_triggers(r, rest, path, lineno, rest_col, &cur->trig, &cur->ntrig, err)))
                goto done;
        } else if (strcmp(key, "lookback") == 0) {
            if (!(ok = parse_lookback(rest, path, lineno, rest_col, &cur->lookback, err)))
                goto done;
        } else if (strcmp(key, "needs") == 0) {
            if (!(ok = parse_needs(r, cur, rest, path, lineno, rest_col, err)))
                goto done;
        } else if (strcmp(key, "starts") == 0) {
            if (cur->nstarts) {
                ok = ec_fail(err, EC_ERR_RULES, path, lineno, 1, "a second 'starts' line in rule '%s'", cur->name);
                goto done;
            }
            if (!(ok = collect_triggers(r, rest, path, lineno, rest_col, &cur->starts, &cur->nstarts, err)))
                goto done;
        } else if (strcmp(key, "next") == 0) {
            if (!(ok = parse_next(r, cur, rest, path, lineno, rest_col, err)))
                goto done;
        } else if (strcmp(key, "example") == 0) {
            if (!parse_example(cur, rest, path, lineno, r, err)) {
                ok = false;
                goto done;
            }
        } else {
            ok = ec_fail(err, EC_ERR_RULES, path, lineno, (long)(key - raw) + 1,
                         "unknown key '%s' in rule '%s' (match, type, priority, set, triggers, lookback, needs, starts, next, example)",
                         key, cur->name);
            goto done;
        }
    }
    if (cur) {
        ok = finish_rule(r, cur, &pat, &srcs, err);
        if (!ok)
            rule_destroy(cur);
        cur = NULL;
    }
    if (ok && kind < 0)
        ok = ec_fail(err, EC_ERR_RULES, path, 1, 1, "no 'kind' line");
    if (ok && kind >= 0 && first_rule == SIZE_MAX)
        first_rule = r->kinds[kind].count; /* a file without rules */
    for (size_t i = first_rule; ok && kind >= 0 && i < r->kinds[kind].count; i++)
        ok = resolve_triggers(r, r->kinds[kind].items[i], file_trig, nfile_trig, lookback, err);
done:
    if (cur)
        rule_destroy(cur);
    trig_items_free(file_trig, nfile_trig);
    line_srcs_clear(&srcs);
    free(srcs.v);
    sb_finish(&pat);
    free(data);
    free(path);
    return ok;
}

static bool ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n > m && strcmp(s + n - m, suf) == 0;
}

/* The names in dir that end in `suffix`, sorted (str_list_free()). */
static char **list_dir(const char *dir, const char *suffix, size_t *n, ec_error *err)
{
    size_t all;
    char **names = dir_names(dir, &all);
    if (!names) {
        ec_fail(err, EC_ERR_RULES, dir, 0, 0, "cannot open rules directory");
        return NULL;
    }
    size_t count = 0;
    for (size_t i = 0; i < all; i++) {
        if (ends_with(names[i], suffix))
            names[count++] = names[i];
        else
            free(names[i]);
    }
    *n = count;
    return names;
}

/*
 * Eager JIT (EVENTCAL_JIT_EAGER): each rule the loader finishes goes to a queue, and worker
 * threads JIT-compile from it while the loader parses and compiles the next ones; at the end
 * the loader takes what is left too.  The JIT is most of such a start-up, and the loading
 * leaves the other cores idle.
 */
typedef struct jit_queue {
    pthread_mutex_t mu;
    pthread_cond_t more;
    rule **v;
    size_t n, cap, next;
    bool closed; /* no rule will be added */
    bool no_jit;
    pthread_t th[3];
    size_t nth;
} jit_queue;

static void *jit_worker(void *arg)
{
    jit_queue *q = arg;
    for (;;) {
        pthread_mutex_lock(&q->mu);
        while (q->next == q->n && !q->closed)
            pthread_cond_wait(&q->more, &q->mu);
        rule *ru = q->next < q->n ? q->v[q->next++] : NULL;
        pthread_mutex_unlock(&q->mu);
        if (!ru)
            return NULL;
        /* no lock: each rule is taken by one thread; the loader is done with ru->anchored
           (finish_rule() queues it last), and nothing matches before rules_load() returns */
        ru->jit_ok = !q->no_jit && pcre2_jit_compile(ru->anchored, PCRE2_JIT_COMPLETE) == 0;
        atomic_store_explicit(&ru->jitted, true, memory_order_release);
    }
}

static jit_queue *jit_queue_start(bool no_jit)
{
    jit_queue *q = xcalloc(1, sizeof *q);
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->more, NULL);
    q->no_jit = no_jit;
    int cpus = cpu_count();
    size_t want = cpus > 4 ? 3 : (size_t)cpus - 1;
    while (q->nth < want && pthread_create(&q->th[q->nth], NULL, jit_worker, q) == 0)
        q->nth++;
    return q; /* with no thread, the loader compiles them all at the end */
}

static void jit_queue_add(jit_queue *q, rule *ru)
{
    pthread_mutex_lock(&q->mu);
    if (q->n == q->cap) {
        q->cap = q->cap ? q->cap * 2 : 64;
        q->v = xrealloc(q->v, q->cap * sizeof *q->v);
    }
    q->v[q->n++] = ru;
    pthread_cond_signal(&q->more);
    pthread_mutex_unlock(&q->mu);
}

/* Closes the queue, compiles what is left with the workers and waits for them.  Called before
   the rules are handed out or freed. */
static void jit_queue_finish(jit_queue *q)
{
    if (!q)
        return;
    pthread_mutex_lock(&q->mu);
    q->closed = true;
    pthread_cond_broadcast(&q->more);
    pthread_mutex_unlock(&q->mu);
    jit_worker(q);
    for (size_t t = 0; t < q->nth; t++)
        pthread_join(q->th[t], NULL);
    pthread_cond_destroy(&q->more);
    pthread_mutex_destroy(&q->mu);
    free(q->v);
    free(q);
}

rules *rules_load(const char *dir, ec_error *err)
{
    return rules_load_opts(dir, &(rules_opts){0}, err);
}

rules *rules_load_jit(const char *dir, bool eager, ec_error *err)
{
    return rules_load_opts(dir, &(rules_opts){.eager_jit = eager}, err);
}

rules *rules_load_opts(const char *dir, const rules_opts *o, ec_error *err)
{
    bool eager = o->eager_jit;
    rules *r = xcalloc(1, sizeof *r);
    r->pc = pcache_open(o->cache_dir, dir);
    pthread_mutex_init(&r->lazy_mu, NULL);
    r->serial = atomic_fetch_add(&rules_serial, 1) + 1;
    r->no_jit = getenv("EVENTCAL_NO_JIT") != NULL;
    if (eager || getenv("EVENTCAL_JIT_EAGER"))
        r->jitq = jit_queue_start(r->no_jit);
    r->trig = trigger_set_new();
    size_t nv = 0, nr = 0;
    char *vdir = xasprintf("%s/vocab", dir);
    char **vfiles = list_dir(vdir, ".vocab", &nv, NULL);
    char **rfiles = NULL;
    bool ok = true;
    if (vfiles) {
        for (size_t i = 0; i < nv && ok; i++)
            ok = load_vocab(r, vdir, vfiles[i], err);
    }
    if (ok)
        index_vocabs(r);
    if (ok) {
        rfiles = list_dir(dir, ".rules", &nr, err);
        ok = rfiles != NULL;
        if (ok && nr == 0)
            ok = ec_fail(err, EC_ERR_RULES, dir, 0, 0, "no *.rules files");
    }
    for (size_t i = 0; ok && i < nr; i++)
        ok = load_rule_file(r, dir, rfiles[i], err);
    if (ok) {
        trigger_set_freeze(r->trig);
        for (int k = 0; k < RK__COUNT; k++) {
            kind_set *ks = &r->kinds[k];
            ks->hot = xcalloc(ks->count ? ks->count : 1, sizeof *ks->hot);
            for (size_t i = 0; i < ks->count; i++) {
                const rule *ru = ks->items[i];
                ks->hot[i] = (rule_hot){ru->lookback, ru->needs_within, ru->needs_id, ru->starts_id, ru->next_chk};
            }
        }
    }
    jit_queue_finish(r->jitq);
    r->jitq = NULL;
    /* after the JIT workers: encoding reads the codes they compile into.  Not saved is not
       an error: the next run compiles again. */
    if (ok)
        (void)pcache_save(r->pc, NULL);
    pcache_counts(r->pc, &r->cache_hits, &r->cache_asked);
    pcache_free(r->pc);
    r->pc = NULL;
    pcre2_match_data_free(r->check_md);
    r->check_md = NULL;
    str_list_free(vfiles, nv);
    str_list_free(rfiles, nr);
    free(vdir);
    if (!ok) {
        rules_free(r);
        return NULL;
    }
    return r;
}

void rules_free(rules *r)
{
    if (!r)
        return;
    for (int k = 0; k < RK__COUNT; k++) {
        for (size_t i = 0; i < r->kinds[k].count; i++)
            rule_destroy(r->kinds[k].items[i]);
        free(r->kinds[k].items);
        free(r->kinds[k].hot);
    }
    trigger_set_free(r->trig);
    for (size_t i = 0; i < r->nvocabs; i++) {
        vocab *v = &r->vocabs[i];
        for (size_t j = 0; j < v->cap; j++) {
            free(v->entries[j].key);
            free(v->entries[j].value);
        }
        free(v->entries);
        for (size_t j = 0; j < v->nphrases; j++)
            free(v->phrases[j]);
        free(v->phrases);
        free(v->alternation);
        free(v->heads);
        free(v->name);
        free(v->file);
    }
    free(r->vocabs);
    free(r->vocab_index);
    for (size_t i = 0; i < r->nstrings; i++)
        free(r->strings[i]);
    free(r->strings);
    pthread_mutex_destroy(&r->lazy_mu);
    free(r);
}

const char *rule_kind_name(rule_kind kind)
{
    return kind >= 0 && kind < RK__COUNT ? KIND_NAMES[kind] : "?";
}

char *rules_symbol_triggers(const rules *r, bool *slow)
{
    char *out = xmalloc(129);
    size_t n = trigger_set_symbols(r->trig, out);
    out[n] = '\0';
    *slow = n > TRIGGER_FAST_SYMBOLS;
    return out;
}

size_t rules_count(const rules *r, rule_kind kind)
{
    return r->kinds[kind].count;
}

const rule *rules_get(const rules *r, rule_kind kind, size_t i)
{
    return i < r->kinds[kind].count ? r->kinds[kind].items[i] : NULL;
}

const char *rule_name(const rule *ru)
{
    return ru->name;
}
const char *rule_pattern(const rule *ru)
{
    return ru->pattern;
}
const char *rule_file(const rule *ru)
{
    return ru->file;
}
int rule_line(const rule *ru)
{
    return ru->line;
}
rule_kind rule_kind_of(const rule *ru)
{
    return ru->kind;
}
const char *rule_type(const rule *ru)
{
    return ru->type;
}
int rule_priority(const rule *ru)
{
    return ru->priority;
}
size_t rule_example_count(const rule *ru)
{
    return ru->nexamples;
}
const rule_example *rule_example_get(const rule *ru, size_t i)
{
    return i < ru->nexamples ? &ru->examples[i] : NULL;
}
const char *rule_default_reference(const rule *ru)
{
    return ru->default_reference;
}

const char *rule_set_value(const rule *ru, const char *key)
{
    for (size_t i = 0; i < ru->nset; i++)
        if (ru->set_keys[i][0] == key[0] && strcmp(ru->set_keys[i], key) == 0)
            return ru->set_values[i];
    return NULL;
}

/* ---- matching ---- */

rule_scanner *rule_scanner_new(const rules *r)
{
    rule_scanner *s = xcalloc(1, sizeof *s);
    s->r = r;
    s->md_rule = pcre2_match_data_create(128, NULL);
    s->md_best = pcre2_match_data_create(128, NULL);
    s->mctx = pcre2_match_context_create(NULL);
    pcre2_set_match_limit(s->mctx, MATCH_LIMIT);
    pcre2_set_depth_limit(s->mctx, DEPTH_LIMIT);
    pcre2_set_heap_limit(s->mctx, HEAP_LIMIT_KB);
    s->jit_stack = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
    if (s->jit_stack)
        pcre2_jit_stack_assign(s->mctx, NULL, s->jit_stack);
    for (int k = 0; k < RK__COUNT; k++) {
        size_t n = r->kinds[k].count ? r->kinds[k].count : 1;
        s->clean[k] = xcalloc(n, sizeof *s->clean[k]);
    }
    s->no_prefilter = getenv("EVENTCAL_NO_PREFILTER") != NULL;
    return s;
}

void rule_scanner_free(rule_scanner *s)
{
    if (!s)
        return;
    pcre2_match_data_free(s->md_rule);
    pcre2_match_data_free(s->md_best);
    pcre2_match_context_free(s->mctx);
    pcre2_jit_stack_free(s->jit_stack);
    trigger_hits_finish(&s->hits);
    free(s->needs_mask);
    free(s->high_mask);
    for (int k = 0; k < TRIGGER_KINDS; k++)
        free(s->khits[k]);
    for (int k = 0; k < RK__COUNT; k++) {
        free(s->clean[k]);
        free(s->stats[k]);
    }
    free(s);
}

void rule_scanner_count(rule_scanner *s)
{
    s->counting = true;
    for (int k = 0; k < RK__COUNT; k++)
        if (!s->stats[k])
            s->stats[k] = xcalloc(s->r->kinds[k].count ? s->r->kinds[k].count : 1, sizeof *s->stats[k]);
}

rule_stat rule_scanner_stat(const rule_scanner *s, rule_kind k, size_t i)
{
    if (!s->stats[k] || i >= s->r->kinds[k].count)
        return (rule_stat){0};
    return s->stats[k][i];
}

uint64_t rule_scanner_index_ns(const rule_scanner *s)
{
    return s->index_ns;
}

void rule_scanner_use_prefilter(rule_scanner *s, bool on)
{
    s->no_prefilter = !on;
}

void rule_scanner_reset(rule_scanner *s)
{
    s->idx_valid = false;
    s->spent_text = NULL;
}

unsigned long rule_scanner_limit_hits(const rule_scanner *s)
{
    return s->limit_hits;
}

/* Whether rule `index` of `kind` has been spent on the text (any_spent is set). */
static inline bool spent_at(const rule_scanner *s, int kind, size_t index)
{
    return index < 512 && (s->spent[kind][index >> 3] & (1u << (index & 7)));
}

/* Whether `ru` has been spent on the text the scanner was last given (see spent_rule()). */
static inline bool is_spent(const rule_scanner *s, const rule *ru)
{
    return s->any_spent && spent_at(s, ru->kind, ru->index);
}

/* is_spent(), after forgetting what was spent when the text is a new one. */
static bool spent_rule(rule_scanner *s, const rule *ru, const char *text, size_t len)
{
    if (s->spent_text != text || s->spent_len != len) {
        s->spent_text = text;
        s->spent_len = len;
        memset(s->spent, 0, sizeof s->spent);
        s->any_spent = false;
    }
    return is_spent(s, ru);
}

static void spend_rule(rule_scanner *s, const rule *ru)
{
    if (ru->index < 512) {
        s->spent[ru->kind][ru->index >> 3] |= (uint8_t)(1u << (ru->index & 7));
        s->any_spent = true;
    }
}

/*
 * A rule is interpreted for its first attempts and JIT-compiled once it has made JIT_AFTER of
 * them.  JIT-compiling a rule costs as much as a few hundred interpreted attempts (its
 * vocabularies of towns and names make it large), while most attempts fail within a few
 * characters, where the interpreter is nearly as quick: compiling every rule on first use
 * made a run over one article cost 80M instructions instead of 32.6M.  A rule tried often is
 * compiled early in a long run: 1,500 articles cost the same either way (671.6M, 671.3M).
 * 32 was chosen by those two counts (8: 38.0M for one article; 128: 684M for 1,500).
 * Both give the same matches (pcre2 promises it) but where an attempt reaches the match
 * limits, which the two count differently: pathological text only, as with EVENTCAL_NO_JIT.
 */

/* Compiles ru under the rules' lock, once; no thread runs the JIT code before `jitted` is set,
   so none sees it half-built.  The interpreter may run meanwhile: it is told not to use JIT
   code (PCRE2_NO_JIT), so it never does. */
static void jit_first(const rules *r, rule *ru)
{
    rules *w = (rules *)r;
    pthread_mutex_lock(&w->lazy_mu);
    if (!atomic_load_explicit(&ru->jitted, memory_order_relaxed)) {
        /* an optimisation: without it, pcre2 interprets */
        ru->jit_ok = !r->no_jit && pcre2_jit_compile(ru->anchored, PCRE2_JIT_COMPLETE) == 0;
        atomic_store_explicit(&ru->jitted, true, memory_order_release);
    }
    pthread_mutex_unlock(&w->lazy_mu);
}

/* Whether this attempt of ru may run its JIT code (inline: every attempt asks). */
static inline bool rule_jit(const rules *r, const rule *ru)
{
    if (atomic_load_explicit(&ru->jitted, memory_order_acquire))
        return ru->jit_ok;
    if (r->no_jit)
        return false;
    /* racing threads may take the count past zero: it wraps to a large number and they
       interpret until the flag above is set */
    unsigned left = atomic_fetch_sub_explicit(&((rule *)ru)->jit_wait, 1, memory_order_relaxed);
    if (left > 1)
        return false;
    jit_first(r, (rule *)ru);
    return ru->jit_ok;
}

static bool is_limit_error(int rc)
{
    return rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT ||
           rc == PCRE2_ERROR_JIT_STACKLIMIT || rc == PCRE2_ERROR_NOMEMORY;
}

static void fill_slots(pcre2_match_data *md, const rule *ru, const char *text, rule_match *out)
{
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    uint32_t ovn = pcre2_get_ovector_count(md);
    out->nslots = 0;
    for (size_t i = 0; i < ru->ngroups; i++) {
        const rule_group *g = &ru->groups[i];
        if (g->number >= ovn || ov[2 * g->number] == PCRE2_UNSET)
            continue;
        if (out->nslots >= RULE_MAX_SLOTS)
            continue;
        if (g->dup) {
            /* with duplicate names, the first group that took part wins */
            bool seen = false;
            for (int k = 0; k < out->nslots && !seen; k++)
                seen = strcmp(out->slots[k].name, g->name) == 0;
            if (seen)
                continue;
        }
        rule_slot *sl = &out->slots[out->nslots++];
        sl->name = g->name;
        sl->start = ov[2 * g->number];
        sl->end = ov[2 * g->number + 1];
        const char *val = g->own ? vocab_lookup(g->own, text + sl->start, sl->end - sl->start) : NULL;
        if (!val && g->byname)
            val = vocab_lookup(g->byname, text + sl->start, sl->end - sl->start);
        sl->value = val;
    }
}

/* One anchored attempt of `ru` at `at` into s->md_rule; false when it does not match there. */
static bool attempt_plain(rule_scanner *s, const rule *ru, const char *text, size_t len, size_t at)
{
    pcre2_code *code = ru->anchored;
    /* pcre2_jit_match() skips pcre2_match()'s checks, a good part of the cost of an attempt
       that fails at its first character; the text is valid UTF-8 and `at` a character start */
    int rc = rule_jit(s->r, ru)
                 ? pcre2_jit_match(code, (PCRE2_SPTR)text, len, at, 0, s->md_rule, s->mctx)
                 : pcre2_match(code, (PCRE2_SPTR)text, len, at, PCRE2_NO_UTF_CHECK | PCRE2_NO_JIT, s->md_rule, s->mctx);
    if (rc < 0) {
        if (is_limit_error(rc)) {
            s->limit_hits++;
            spend_rule(s, ru);
        }
        return false;
    }
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md_rule);
    return ov[1] > ov[0];
}

/* attempt_plain(), counted for --stats. */
static bool attempt_counted(rule_scanner *s, const rule *ru, const char *text, size_t len, size_t at)
{
    rule_stat *st = &s->stats[ru->kind][ru->index];
    uint64_t t0 = mono_ns();
    bool ok = attempt_plain(s, ru, text, len, at);
    st->ns += mono_ns() - t0;
    st->attempts++;
    st->matches += ok;
    return ok;
}

static inline bool attempt(rule_scanner *s, const rule *ru, const char *text, size_t len, size_t at)
{
    if (__builtin_expect(!s->counting, 1))
        return attempt_plain(s, ru, text, len, at);
    return attempt_counted(s, ru, text, len, at);
}

bool rule_match_at(rule_scanner *s, const rule *ru, const char *text, size_t len, size_t at, rule_match *out)
{
    if (!attempt(s, ru, text, len, at))
        return false;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md_rule);
    out->rule = ru;
    out->start = ov[0];
    out->end = ov[1];
    fill_slots(s->md_rule, ru, text, out);
    return true;
}

static size_t next_char(const char *text, size_t len, size_t at)
{
    at++;
    while (at < len && ((unsigned char)text[at] & 0xC0) == 0x80)
        at++;
    return at;
}

/* A match starts at a word: after a non-letter, at a letter, digit or apostrophe. */
static bool word_start(const char *text, size_t at)
{
    unsigned char c = (unsigned char)text[at];
    if (!(ascii_isalnum(c) || c == '\'' || c >= 0xC0 || c == '$' || c == '#'))
        return false;
    if (at == 0)
        return true;
    unsigned char p = (unsigned char)text[at - 1];
    if (p < 0x80)
        return !ascii_isalnum(p);
    /* after a non-ASCII character: a word starts unless that character is a letter; quotes,
       dashes and spaces from the punctuation blocks are not */
    size_t b = at - 1;
    while (b > 0 && ((unsigned char)text[b] & 0xC0) == 0x80 && at - b < 4)
        b--;
    uint32_t cp;
    utf8_decode((const unsigned char *)text + b, at - b, &cp);
    return cp < 0xC0 || (cp >= 0x2000 && cp <= 0x2E7F) || (cp >= 0x3000 && cp <= 0x303F) || cp == 0xFEFF;
}

/* A rule's starting words in a window (search_starts()): the STARTS_KIND hits from hit a on. */
typedef struct starts_walk {
    const trigger_hit *h;
    size_t n, a;
    const trigger_ref *refs;
} starts_walk;

static inline bool starts_rule(const trigger_ref *refs, trigger_hit h, int id);

/*
 * The leftmost match of `ru` that starts at a word start in [lo, hi], into s->md_rule: an
 * anchored attempt at each word start whose first byte the rule can begin with (and, with
 * `sw`, where that byte is ASCII, that is one of the rule's starting words).  A window holds a
 * handful of words, and most attempts fail on their first character.
 */
static bool search_window(rule_scanner *s, const rule *ru, const char *text, size_t len, size_t lo, size_t hi,
                          starts_walk *sw)
{
    for (size_t q = lo; q <= hi && q < len; q++) {
        unsigned char c = (unsigned char)text[q];
        if (!(ru->first[c >> 3] & (1u << (c & 7))))
            continue;
        /* most bytes that pass follow a letter, inside a word: say so before the call */
        if (q > 0 && ascii_isalnum((unsigned char)text[q - 1]))
            continue;
        if (sw && c < 0x80) {
            while (sw->a < sw->n && sw->h[sw->a].start < q)
                sw->a++;
            bool mine = false;
            for (size_t b = sw->a; b < sw->n && sw->h[b].start == q && !mine; b++)
                mine = starts_rule(sw->refs, sw->h[b], ru->starts_id);
            if (!mine)
                continue;
        }
        if (!word_start(text, q))
            continue;
        if (attempt(s, ru, text, len, q))
            return true;
        if (is_spent(s, ru))
            return false;
    }
    return false;
}

/* Where a rule without a lookback may start: a word start, or a punctuation character that is
   its trigger.  Not inside a word: "2000" in "CDMA2000" is a trigger-index word (a digit run)
   but no date. */
static bool at_start(const char *text, size_t at)
{
    unsigned char c = (unsigned char)text[at];
    return word_start(text, at) || (c > ' ' && c < 127 && !ascii_isalnum(c));
}

/*
 * Without triggers (EVENTCAL_NO_PREFILTER): every rule of the kind at every word start (rules
 * without a lookback also at punctuation), the longest match at the leftmost place.  Slow; it is the reference the trigger index must agree
 * with.
 */
static bool scan_everywhere(rule_scanner *s, const kind_set *ks, const char *text, size_t len, size_t from,
                            size_t until, rule_match *out)
{
    for (size_t q = from; q < len && q < until; q = next_char(text, len, q)) {
        /* a rule with a lookback starts at a word; one without starts right at its trigger,
           which may be a punctuation character */
        bool at_word = word_start(text, q), at_token = at_start(text, q);
        if (!at_token)
            continue;
        const rule *best = NULL;
        size_t best_end = 0;
        unsigned char c = (unsigned char)text[q];
        for (size_t i = 0; i < ks->count; i++) {
            const rule *ru = ks->items[i];
            if (!(ru->lookback > 0 ? at_word : at_token) || !(ru->first[c >> 3] & (1u << (c & 7))) ||
                spent_rule(s, ru, text, len))
                continue;
            if (!attempt(s, ru, text, len, q))
                continue;
            PCRE2_SIZE e = pcre2_get_ovector_pointer(s->md_rule)[1];
            if (!best || e > best_end || (e == best_end && ru->priority > best->priority)) {
                best = ru;
                best_end = e;
                pcre2_match_data *t = s->md_best;
                s->md_best = s->md_rule;
                s->md_rule = t;
            }
        }
        if (best) {
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md_best);
            out->rule = best;
            out->start = ov[0];
            out->end = ov[1];
            fill_slots(s->md_best, best, text, out);
            return true;
        }
    }
    return false;
}

/* The first of the n hits (in text order) that starts at or after `at`, or n. */
static inline size_t first_hit(const trigger_hit *h, size_t n, size_t at)
{
    /* halving without a branch on the comparison, as article_sentence_at() does */
    if (!n)
        return 0;
    const trigger_hit *base = h;
    while (n > 1) {
        size_t half = n / 2;
        base = base[half].start < at ? base + half : base;
        n -= half;
    }
    return (size_t)(base - h) + (base->start < at);
}

/*
 * first_hit() near where the last search ended (*hint, updated): windows follow the hits
 * being walked, a few hits from one another, so steps of 1, 2, 4 ... from there find a span
 * to bisect sooner than bisecting all the text's hits does.
 */
static size_t first_hit_near(const trigger_hit *h, size_t n, size_t at, size_t *hint)
{
    size_t i = *hint < n ? *hint : n, lo, hi, step = 1;
    if (i < n && h[i].start < at) {
        lo = i + 1; /* h[lo - 1] is before `at` */
        while (lo + step <= n && h[lo + step - 1].start < at) {
            lo += step;
            step *= 2;
        }
        hi = lo + step <= n ? lo + step - 1 : n;
    } else {
        hi = i; /* h[hi] (or the end) is at or after `at` */
        while (hi >= step && h[hi - step].start >= at) {
            hi -= step;
            step *= 2;
        }
        lo = hi >= step ? hi - step + 1 : 0;
    }
    *hint = lo + first_hit(h + lo, hi - lo, at);
    return *hint;
}

/*
 * Whether a word rule `ru` needs starts in [lo, hi] (the hits of NEEDS_KIND list, per word,
 * the rules that need it).
 */
static const trigger_hit *kind_hits(rule_scanner *s, int kind, size_t *n);

static bool needs_near(rule_scanner *s, int needs_id, size_t lo, size_t hi)
{
    size_t n;
    const trigger_hit *h = kind_hits(s, NEEDS_KIND, &n); /* and its mask */
    /* first the blocks: a window spans a few of them, and in most no word it needs starts */
    if (!s->needs_nmask)
        return false;
    size_t b1 = hi >> NEEDS_BLOCK_SHIFT < s->needs_nmask ? hi >> NEEDS_BLOCK_SHIFT : s->needs_nmask - 1;
    uint64_t m = 0;
    for (size_t b = lo >> NEEDS_BLOCK_SHIFT; b <= b1; b++)
        m |= s->needs_mask[b];
    if (!(m & (1ULL << (needs_id & 63))))
        return false;
    const trigger_ref *refs = trigger_set_refs(s->r->trig);
    for (size_t a = first_hit_near(h, n, lo, &s->hint[0]); a < n && h[a].start <= hi; a++) {
        const trigger_rules l = trigger_hit_rules(refs, h[a], NEEDS_KIND);
        for (uint32_t j = 0; j < l.n; j++)
            if (l.idx[j] == (uint16_t)needs_id)
                return true;
    }
    return false;
}

/* Whether text[lo..hi] (hi < len, within the indexed text) holds a byte >= 0x80. */
static bool window_high(rule_scanner *s, const char *text, size_t len, size_t lo, size_t hi)
{
    if (!s->high_built) {
        size_t nb = (len + 63) / 64, nw = (nb + 63) / 64;
        if (nw > s->high_cap) {
            free(s->high_mask);
            s->high_cap = nw;
            s->high_mask = xmalloc(nw * sizeof *s->high_mask);
        }
        memset(s->high_mask, 0, nw * sizeof *s->high_mask);
        for (size_t b = 0; b < nb; b++) {
            size_t p = b * 64, e = p + 64 < len ? p + 64 : len;
            uint64_t acc = 0;
            for (; p + 8 <= e; p += 8) {
                uint64_t w;
                memcpy(&w, text + p, 8);
                acc |= w;
            }
            for (; p < e; p++)
                acc |= (unsigned char)text[p];
            if (acc & 0x8080808080808080ULL)
                s->high_mask[b >> 6] |= 1ULL << (b & 63);
        }
        s->high_built = true;
    }
    for (size_t b = lo >> 6; b <= hi >> 6; b++)
        if (s->high_mask[b >> 6] & (1ULL << (b & 63)))
            return true;
    return false;
}

/* Whether hit h is one of the starting words of the rule whose `starts` number is id. */
static inline bool starts_rule(const trigger_ref *refs, trigger_hit h, int id)
{
    const trigger_rules l = trigger_hit_rules(refs, h, STARTS_KIND);
    for (uint32_t j = 0; j < l.n && l.idx[j] <= (uint16_t)id; j++) /* ascending */
        if (l.idx[j] == (uint16_t)id)
            return true;
    return false;
}

/*
 * search_window() for a rule with `starts`: the word starts in [lo, hi] tried are only those
 * where one of its starting words is, which the trigger pass has found already.  Most word
 * starts in a window are "the", "of", a name: a window of 64 bytes before "days" holds a
 * dozen, and "ago"'s rule can begin at one or two of them.  The index holds ASCII words
 * only, so where the window has other bytes, a word start at one of them ("３" is a digit
 * too) is tried as search_window() would.
 */
static bool search_starts(rule_scanner *s, const rule *ru, const char *text, size_t len, size_t lo, size_t hi)
{
    if (lo >= len)
        return false;
    if (hi >= len)
        hi = len - 1;
    size_t n;
    const trigger_hit *h = kind_hits(s, STARTS_KIND, &n);
    const trigger_ref *refs = trigger_set_refs(s->r->trig);
    size_t a = first_hit_near(h, n, lo, &s->hint[1]);
    if (!window_high(s, text, len, lo, hi)) {
        size_t tried = SIZE_MAX; /* a word that is a word and a prefix trigger is two hits */
        for (; a < n && h[a].start <= hi; a++) {
            size_t q = h[a].start;
            unsigned char c = (unsigned char)text[q];
            if (q == tried || !starts_rule(refs, h[a], ru->starts_id) || !(ru->first[c >> 3] & (1u << (c & 7))) ||
                !word_start(text, q))
                continue;
            tried = q;
            if (attempt(s, ru, text, len, q))
                return true;
            if (is_spent(s, ru))
                return false;
        }
        return false;
    }
    starts_walk sw = {h, n, a, refs};
    return search_window(s, ru, text, len, lo, hi, &sw);
}

/* A cheap fingerprint of a text's bytes, so a new text at the address of an old one of the same
   length is not taken for it: up to 24 of its bytes (first, middle and last), folded
   without a hash, since every rule_scan_next() call checks it. */
static uint64_t fingerprint(const char *text, size_t len)
{
    uint64_t a = 0, b = 0, c = 0;
    if (len >= 8) {
        memcpy(&a, text, 8);
        memcpy(&b, text + len / 2 - 4, 8);
        memcpy(&c, text + len - 8, 8);
    } else if (len) {
        memcpy(&a, text, len);
    }
    return a ^ (b * 0x9e3779b97f4a7c15ULL) ^ (c * 0xc2b2ae3d27d4eb4fULL) ^ len;
}

static void forget_clean(rule_scanner *s, int kind)
{
    size_t n = s->r->kinds[kind].count;
    for (size_t i = 0; i < n; i++) {
        s->clean[kind][i] = (clean_span){1, 0};
    }
    s->last_from[kind] = 0;
    s->last_lo[kind] = 0;
}

/* strcmp() of the ASCII word w[0..n), in lower case, with s. */
static int word_cmp(const unsigned char *w, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++) {
        int d = ascii_tolower(w[i]) - (unsigned char)s[i];
        if (d || !s[i])
            return d ? d : 1;
    }
    return s[n] ? -1 : 0;
}

static bool word_in(char *const *v, size_t nv, const unsigned char *w, size_t n)
{
    size_t lo = 0, hi = nv;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int d = word_cmp(w, n, v[mid]);
        if (!d)
            return true;
        if (d < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return false;
}

/*
 * Whether what follows the trigger hit at `hs` (the hit's own word, for #linestart) passes
 * the rule's `next` check.  Whatever pcre2 could read differently from these ASCII tests (a
 * byte >= 0x80, where \s also holds no-break spaces; the end of the text) lets the rule be tried.
 */
static bool next_ok(const next_check *c, const char *text, size_t len, size_t hs)
{
    const unsigned char *t = (const unsigned char *)text;
    size_t p = hs;
    if (!c->at_hit) {
        if (ascii_isalpha(t[p]))
            while (p < len && ascii_isalpha(t[p]))
                p++;
        else if (ascii_isdigit(t[p]))
            while (p < len && ascii_isdigit(t[p]))
                p++;
        else
            p++;
    }
    for (bool passed = false;; passed = true) {
        while (p < len && ascii_isspace(t[p]))
            p++;
        if (p >= len || t[p] >= 0x80)
            return true;
        unsigned char f = t[p];
        if ((c->sure[f >> 3] >> (f & 7)) & 1)
            return true;
        if (c->caps && f >= 'A' && f <= 'Z' && p + 1 < len &&
            ((t[p + 1] >= 'A' && t[p + 1] <= 'Z') || t[p + 1] == '\'' || t[p + 1] == '.' || t[p + 1] == '-'))
            return true;
        if (!((c->maybe[f >> 3] >> (f & 7)) & 1))
            return false;
        size_t e = p;
        while (e < len && ascii_isalpha(t[e]))
            e++;
        if (word_in(c->words, c->nwords, t + p, e - p))
            return true;
        for (size_t i = 0; i < c->nprefixes; i++) {
            size_t pl = strlen(c->prefixes[i]);
            if (pl <= e - p && word_cmp(t + p, pl, c->prefixes[i]) == 0)
                return true;
        }
        if (passed || !word_in(c->past, c->npast, t + p, e - p))
            return false;
        p = e;
    }
}

/* s->needs_mask for the needs kind's hits h[0..n). */
static void mask_needs(rule_scanner *s, const trigger_hit *h, size_t n)
{
    size_t nb = n ? (h[n - 1].start >> NEEDS_BLOCK_SHIFT) + 1 : 0; /* hits are in text order */
    if (nb > s->needs_cap) {
        s->needs_cap = nb;
        free(s->needs_mask);
        s->needs_mask = xmalloc(nb * sizeof *s->needs_mask);
    }
    if (nb)
        memset(s->needs_mask, 0, nb * sizeof *s->needs_mask);
    s->needs_nmask = nb;
    const trigger_ref *refs = trigger_set_refs(s->r->trig);
    for (size_t i = 0; i < n; i++) {
        const trigger_rules l = trigger_hit_rules(refs, h[i], NEEDS_KIND);
        uint64_t m = 0;
        for (uint32_t j = 0; j < l.n; j++)
            m |= 1ULL << (l.idx[j] & 63);
        s->needs_mask[h[i].start >> NEEDS_BLOCK_SHIFT] |= m;
    }
}

static void ensure_index(rule_scanner *s, const char *text, size_t len)
{
    uint64_t fp = fingerprint(text, len);
    if (s->idx_valid && s->idx_text == text && s->idx_len == len && s->idx_fp == fp)
        return;
    uint64_t t0 = s->counting ? mono_ns() : 0;
    trigger_scan(s->r->trig, text, len, &s->hits);
    s->kinds_built = 0;
    s->high_built = false;
    if (s->counting)
        s->index_ns += mono_ns() - t0;
    s->idx_text = text;
    s->idx_len = len;
    s->idx_fp = fp;
    s->idx_valid = true;
    for (int k = 0; k < RK__COUNT; k++)
        forget_clean(s, k);
}

/* The indexed text's hits of one kind, in text order; *n of them. */
static const trigger_hit *kind_hits(rule_scanner *s, int kind, size_t *n)
{
    if (!(s->kinds_built & (1u << kind))) {
        const trigger_hit *h = s->hits.v;
        size_t all = s->hits.n, m = 0;
        if (all > s->kcap[kind]) {
            s->kcap[kind] = all + all / 2;
            free(s->khits[kind]);
            s->khits[kind] = xmalloc(s->kcap[kind] * sizeof *s->khits[kind]);
        }
        trigger_hit *v = s->khits[kind];
        /* every hit is written and the count moves only past this kind's: no branch to
           mispredict, where kinds alternate at random */
        for (size_t i = 0; i < all; i++) {
            v[m] = h[i];
            m += trigger_hit_feeds(h[i], kind);
        }
        s->kn[kind] = m;
        s->kinds_built |= 1u << kind;
        if (kind == NEEDS_KIND)
            mask_needs(s, v, m);
    }
    *n = s->kn[kind];
    return s->khits[kind];
}

/* Records that rule i has no match starting in [lo, hi]. */
static void mark_clean(rule_scanner *s, int kind, size_t i, size_t lo, size_t hi)
{
    size_t *cl = &s->clean[kind][i].lo, *ch = &s->clean[kind][i].hi;
    if (*ch >= *cl && lo >= *cl && lo <= *ch + 1) {
        if (hi > *ch)
            *ch = hi;
    } else {
        *cl = lo;
        *ch = hi;
    }
}

bool rule_scan_next(rule_scanner *s, rule_kind kind, const char *text, size_t len, size_t from, rule_match *out)
{
    return rule_scan_before(s, kind, text, len, from, len, out);
}

bool rule_scan_before(rule_scanner *s, rule_kind kind, const char *text, size_t len, size_t from, size_t until,
                      rule_match *out)
{
    const kind_set *ks = &s->r->kinds[kind];
    if (!ks->count || from >= len || from >= until)
        return false;
    (void)spent_rule(s, ks->items[0], text, len); /* resets the per-text state for a new text */
    if (s->no_prefilter)
        return scan_everywhere(s, ks, text, len, from, until, out);
    ensure_index(s, text, len);
    if (from < s->last_from[kind])
        forget_clean(s, kind);
    s->last_from[kind] = from;
    size_t n;
    const trigger_hit *hits = kind_hits(s, (int)kind, &n);
    const trigger_ref *refs = trigger_set_refs(s->r->trig);
    /* the first hit at or after `from`: a match that starts there contains no earlier hit.
       Callers scan forward, from one match's end to the next, so it is usually a few hits
       past the last call's */
    size_t lo = s->last_lo[kind];
    for (int step = 0; step < 8 && lo < n && hits[lo].start < from; step++)
        lo++;
    if (lo < n && hits[lo].start < from)
        lo += first_hit(hits + lo, n - lo, from);
    s->last_lo[kind] = lo;
    /*
     * Each rule a hit names may match from `lookback` bytes before the hit up to the hit.  The
     * result is the leftmost such match of any rule, the longest there (then the higher
     * priority, then the earlier rule), as if every rule had been tried at every word start
     * near its triggers.  Hits further on can only start matches later than the best found
     * once they lie more than the kind's largest lookback past it.
     */
    const rule *best = NULL;
    size_t best_q = 0, best_end = 0;
    unsigned char c0;
    for (size_t i = lo; i < n; i++) {
        size_t hs = hits[i].start;
        /* a match starts at most the kind's largest lookback before its hit */
        if ((best && hs > best_q + (size_t)ks->max_lookback) || hs >= until + (size_t)ks->max_lookback)
            break;
        const trigger_rules l = trigger_hit_rules(refs, hits[i], (int)kind);
        for (uint32_t j = 0; j < l.n; j++) {
            size_t ri = l.idx[j]; /* the rule's index in its kind */
            const rule_hot *hr = &ks->hot[ri];
            if (s->any_spent && spent_at(s, kind, ri))
                continue;
            size_t wlo = hs >= (size_t)hr->lookback ? hs - (size_t)hr->lookback : 0;
            size_t whi = best && best_q < hs ? best_q : hs;
            if (wlo < from)
                wlo = from;
            clean_span cs = s->clean[kind][ri];
            if (wlo >= cs.lo && wlo <= cs.hi)
                wlo = cs.hi + 1; /* searched before, in vain */
            if (wlo > whi)
                continue;
            /* what it wants right after the trigger is not there, or a word it needs is not
               near: no match of it has this hit for its trigger.  The window is not marked
               clean: a match may start in it and hold a later trigger that has the word near
               ("Town Hall ... Square, Bolton").  The first check reads bytes at hand, the
               second the needs index: first the cheaper. */
            if (hr->next && !next_ok(hr->next, text, len, hs))
                continue;
            if (hr->needs_id >= 0 && !needs_near(s, hr->needs_id, wlo, hs + (size_t)hr->needs_within))
                continue;
            const rule *ru = ks->items[ri];
            bool found;
            if (hr->lookback == 0) {
                c0 = (unsigned char)text[hs];
                found = (ru->first[c0 >> 3] & (1u << (c0 & 7))) && at_start(text, hs) &&
                        attempt(s, ru, text, len, hs);
            } else if (hr->starts_id >= 0) {
                found = search_starts(s, ru, text, len, wlo, whi);
            } else {
                found = search_window(s, ru, text, len, wlo, whi, NULL);
            }
            if (!found) {
                mark_clean(s, (int)kind, ri, wlo, whi);
                continue;
            }
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md_rule);
            size_t q = ov[0], e = ov[1];
            if (q > wlo)
                mark_clean(s, (int)kind, ri, wlo, q - 1);
            bool better = !best || q < best_q ||
                          (q == best_q && (e > best_end || (e == best_end && (ru->priority > best->priority ||
                                                                              (ru->priority == best->priority &&
                                                                               ru->index < best->index)))));
            if (better) {
                best = ru;
                best_q = q;
                best_end = e;
                pcre2_match_data *t = s->md_best;
                s->md_best = s->md_rule;
                s->md_rule = t;
            }
        }
    }
    if (!best || best_q >= until)
        return false;
    out->rule = best;
    out->start = best_q;
    out->end = best_end;
    fill_slots(s->md_best, best, text, out);
    return true;
}

const rule_slot *rule_match_slot(const rule_match *m, const char *name)
{
    for (int i = 0; i < m->nslots; i++)
        if (m->slots[i].name[0] == name[0] && strcmp(m->slots[i].name, name) == 0)
            return &m->slots[i];
    return NULL;
}

void rules_cache_counts(const rules *r, size_t *hits, size_t *asked)
{
    *hits = r->cache_hits;
    *asked = r->cache_asked;
}

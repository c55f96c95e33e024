#define PCRE2_CODE_UNIT_WIDTH 8
#include "rules.h"

#include <dirent.h>
#include <pcre2.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bounds on every match: no rule and no input can make matching blow up. */
enum {
    MATCH_LIMIT = 200000,
    DEPTH_LIMIT = 2000,
    HEAP_LIMIT_KB = 20000,
    MAX_RULE_FILE = 4 << 20,
    MAX_PATTERN = 1 << 20,
    /* By default, how far before its prefilter hit a match may start: "between 6 and 8pm",
       "the first half of".  A file's `lookback N` changes it. */
    PREFILTER_LOOKBACK = 24,
};

/*
 * The named groups a rule may use.  They are the interface between the rule files and the
 * code that gives matches a meaning (timex.c, place.c, event.c), so an unknown name is an
 * error rather than a silently ignored capture.
 */
static const char *const KNOWN_SLOTS[] = {
    /* dates and times */
    "year", "year2", "month", "day", "weekday", "hour", "minute", "second", "ampm", "pod",
    "rel", "n", "unit", "dir", "season", "quarter", "half", "decade", "century", "holiday",
    "tz", "mod", "ord", "fy", "ref", "year_rel", "year_hi", "year_lo",
    "year_end", "month_end", "day_end", "weekday_end", "hour_end", "minute_end", "ampm_end",
    "pod_end", "hour_start", "minute_start", "ampm_start",
    "num", "num_end", "numword", "sep", "span",
    /* events and places */
    "trigger", "name", "head", "locality", "org", "verb", "cue", "point", "street",
    NULL,
};

typedef struct vocab_entry {
    char *key; /* normalised phrase */
    char *value;
} vocab_entry;

typedef struct vocab {
    char *name;
    char *file;
    vocab_entry *entries; /* open-addressing table */
    size_t cap, count;
    char **phrases; /* raw phrases in file order, for building the alternation */
    size_t nphrases;
    char *alternation; /* (?:...) built lazily */
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
    pcre2_code *anchored;
    atomic_bool jitted;   /* anchored has been JIT-compiled (on first use, see jit_once) */
    uint8_t first[32];    /* bytes a match can start with (all ones when unknown) */
    rule_group *groups;   /* the named groups, in name-table order, with their vocabularies */
    size_t ngroups;
    const char *default_reference;
    size_t index; /* within its kind */
};

typedef struct kind_set {
    rule **items;
    size_t count, cap;
    char *combined_pat;   /* the alternation of every rule of the kind */
    pcre2_code *_Atomic combined; /* unanchored, for kinds without a prefilter and NO_PREFILTER checks; built when first needed */
    pcre2_code *combined_anchored; /* anchored: does any rule match right here? */
    atomic_bool combined_anchored_jitted;
    strbuf prefilter;     /* alternation of the files' `prefilter` patterns */
    bool all_prefiltered; /* every file of this kind has one: the prefilter may be used */
    int files;
    pcre2_code *anchor;   /* compiled prefilter, or NULL */
    int lookback;         /* bytes before a prefilter hit where a match may start; 0: only at the hit */
} kind_set;

struct rules {
    /* compiled patterns are JIT-compiled on first use, under this lock (jit_once); that is
       the only state a shared rules object changes after rules_load() */
    pthread_mutex_t lazy_mu;
    bool no_jit; /* EVENTCAL_NO_JIT: the interpreter only (for valgrind) */
    vocab *vocabs;
    size_t nvocabs;
    kind_set kinds[RK__COUNT];
    char **strings; /* file-level strings (references) owned here */
    size_t nstrings;
};

struct rule_scanner {
    const rules *r;
    /* rules that hit a match limit on the current text are not tried again on it: one
       pathological rule costs one bounded attempt per text, not one per position */
    const char *spent_text;
    size_t spent_len;
    uint8_t spent[RK__COUNT][64];
    unsigned combined_hits[RK__COUNT]; /* limit hits of a kind's combined pattern on this text */
    pcre2_match_data *md_combined;
    pcre2_match_data *md_anchor;
    bool no_prefilter;
    pcre2_match_data *md_rule;
    pcre2_match_data *md_best; /* longest_at: the best match so far */
    pcre2_match_context *mctx;
    pcre2_jit_stack *jit_stack;
    unsigned long limit_hits;
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
    if ((v->count + 1) * 2 > v->cap) {
        size_t ncap = v->cap ? v->cap * 2 : 64;
        vocab_entry *ne = xcalloc(ncap, sizeof *ne);
        for (size_t i = 0; i < v->cap; i++) {
            if (!v->entries[i].key)
                continue;
            size_t h = hash64(v->entries[i].key, strlen(v->entries[i].key), 0) & (ncap - 1);
            while (ne[h].key)
                h = (h + 1) & (ncap - 1);
            ne[h] = v->entries[i];
        }
        free(v->entries);
        v->entries = ne;
        v->cap = ncap;
    }
    size_t h = hash64(key, strlen(key), 0) & (v->cap - 1);
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
    v->count++;
}

static const char *vocab_get(const vocab *v, const char *key)
{
    if (!v->cap)
        return NULL;
    size_t h = hash64(key, strlen(key), 0) & (v->cap - 1);
    while (v->entries[h].key) {
        if (strcmp(v->entries[h].key, key) == 0)
            return v->entries[h].value;
        h = (h + 1) & (v->cap - 1);
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
    for (size_t i = 0; i < r->nvocabs; i++)
        if (strlen(r->vocabs[i].name) == n && memcmp(r->vocabs[i].name, name, n) == 0)
            return &r->vocabs[i];
    return NULL;
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
    snprintf(nd->unit, sizeof nd->unit, "%s", unit);
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
    if (strchr("\\^$.|?*+()[]{}-#/", c))
        snprintf(out, 12, "\\%c", c);
    else
        snprintf(out, 12, "%c", c);
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
 * phrase: the whole scan's speed depends on it.
 */
static const char *vocab_alternation(vocab *v)
{
    if (v->alternation)
        return v->alternation;
    trie t = {0};
    trie_add_node(&t, "");
    for (size_t i = 0; i < v->nphrases; i++)
        trie_insert(&t, v->phrases[i]);
    strbuf sb;
    sb_init(&sb);
    sb_adds(&sb, "(?:");
    trie_emit(&t, 0, &sb);
    sb_addc(&sb, ')');
    free(t.n);
    v->alternation = sb_steal(&sb);
    return v->alternation;
}

/*
 * Looks text[0..n) up in v.  Keys are normalised into a stack buffer (a key is never longer
 * than its text), so a lookup during matching does not allocate.
 */
static const char *vocab_lookup(const vocab *v, const char *text, size_t n)
{
    char small[256];
    strbuf key;
    sb_init(&key);
    char *k = small;
    size_t kl = 0;
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
                space = false;
            }
            small[kl++] = (char)ascii_tolower(c);
        }
        small[kl] = '\0';
    } else {
        normalise_key(text, n, &key);
        k = key.s;
        kl = key.len;
    }
    const char *val = vocab_get(v, k);
    if (!val && kl && k[kl - 1] == '.') {
        /* "Feb." finds "feb": abbreviations are written with or without their dot */
        k[--kl] = '\0';
        val = vocab_get(v, k);
    }
    sb_finish(&key);
    return val;
}

const char *rules_vocab_lookup(const rules *r, const char *vname, const char *text, size_t n)
{
    const vocab *v = find_vocab(r, vname, strlen(vname));
    return v ? vocab_lookup(v, text, n) : NULL;
}

bool rules_has_vocab(const rules *r, const char *vname)
{
    return find_vocab(r, vname, strlen(vname)) != NULL;
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
 * errors point at the right byte.
 */
static bool expand_pattern(rules *r, rule *ru, const char *src, const char *file, int line, long col0,
                           strbuf *out, ec_error *err)
{
    size_t n = strlen(src);
    for (size_t i = 0; i < n; i++) {
        char c = src[i];
        if (c == '\\' && i + 1 < n) {
            if (ascii_isdigit((unsigned char)src[i + 1]) && src[i + 1] != '0')
                return ec_fail(err, EC_ERR_RULES, file, line, col0 + (long)i,
                               "numbered back-reference in rule '%s': use a named group and \\k<name>", ru->name);
            sb_add(out, src + i, 2);
            i++;
            continue;
        }
        if (c == '%') {
            if (i + 1 < n && src[i + 1] == '%') {
                sb_addc(out, '%');
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
            sb_adds(out, vocab_alternation(v));
            i = j - 1;
            continue;
        }
        if (c == '(' && i + 2 < n && src[i + 1] == '?' &&
            (src[i + 2] == '<' || src[i + 2] == '\'' || (src[i + 2] == 'P' && i + 3 < n && src[i + 3] == '<'))) {
            size_t s = i + (src[i + 2] == 'P' ? 4 : 3);
            if (s < n && (src[s] == '=' || src[s] == '!')) { /* lookbehind, not a name */
                sb_addc(out, c);
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

/* The bytes a match of the rule can start with, so a scan skips rules that cannot match
   there.  Computed on the rule's first use (rule_code), since it costs a compile. */
static void compute_first(rule *ru)
{
    /* the pattern without ANCHORED: pcre2 works out its first bytes only then */
    memset(ru->first, 0xFF, sizeof ru->first);
    int ec;
    PCRE2_SIZE eo;
    pcre2_code *free_code = pcre2_compile((PCRE2_SPTR)ru->pattern, PCRE2_ZERO_TERMINATED, compile_options(), &ec, &eo, NULL);
    if (free_code) {
        const uint8_t *bitmap = NULL;
        uint32_t fct = 0, fcu = 0;
        pcre2_pattern_info(free_code, PCRE2_INFO_FIRSTCODETYPE, &fct);
        if (fct == 1) {
            pcre2_pattern_info(free_code, PCRE2_INFO_FIRSTCODEUNIT, &fcu);
            memset(ru->first, 0, sizeof ru->first);
            /* the pattern is caseless: a letter may come in either case */
            if (fcu < 256) {
                ru->first[fcu >> 3] |= (uint8_t)(1u << (fcu & 7));
                unsigned lo = (unsigned)ascii_tolower((int)fcu), up = lo >= 'a' && lo <= 'z' ? lo - 32 : lo;
                ru->first[lo >> 3] |= (uint8_t)(1u << (lo & 7));
                ru->first[up >> 3] |= (uint8_t)(1u << (up & 7));
            } else {
                memset(ru->first, 0xFF, sizeof ru->first);
            }
        } else if (pcre2_pattern_info(free_code, PCRE2_INFO_FIRSTBITMAP, &bitmap) == 0 && bitmap) {
            memcpy(ru->first, bitmap, sizeof ru->first);
        }
        pcre2_code_free(free_code);
    }
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

static bool finish_rule(rules *r, rule *ru, strbuf *pat, ec_error *err)
{
    if (!pat->len)
        return ec_fail(err, EC_ERR_RULES, ru->file, ru->line, 0, "rule '%s' has no 'match' line", ru->name);
    if (!ru->type)
        return ec_fail(err, EC_ERR_RULES, ru->file, ru->line, 0, "rule '%s' has no 'type' line", ru->name);
    if (pat->len > MAX_PATTERN)
        return ec_fail(err, EC_ERR_RULES, ru->file, ru->line, 0, "rule '%s': pattern longer than %d bytes", ru->name,
                       MAX_PATTERN);
    ru->pattern = xstrdup(pat->s);
    ru->anchored = compile_or_fail(ru->pattern, PCRE2_ANCHORED, false, ru->file, ru->line, ru->name, err);
    if (!ru->anchored)
        return false;
    resolve_groups(r, ru);
    /* a rule that can match the empty string would make every position a match */
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(ru->anchored, NULL);
    int rc = pcre2_match(ru->anchored, (PCRE2_SPTR) "", 0, 0, 0, md, NULL);
    pcre2_match_data_free(md);
    if (rc >= 0)
        return ec_fail(err, EC_ERR_RULES, ru->file, ru->line, 0, "rule '%s' matches the empty string", ru->name);
    kind_set *ks = &r->kinds[ru->kind];
    if (ks->count == ks->cap) {
        ks->cap = ks->cap ? ks->cap * 2 : 32;
        ks->items = xrealloc(ks->items, ks->cap * sizeof *ks->items);
    }
    ru->index = ks->count;
    ks->items[ks->count++] = ru;
    return true;
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
    bool has_prefilter = false;
    int lookback = -1; /* `lookback N`; PREFILTER_LOOKBACK when the file has none */
    const char *reference = NULL;
    rule *cur = NULL;
    strbuf pat;
    sb_init(&pat);
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
                ok = finish_rule(r, cur, &pat, err);
                if (!ok) {
                    rule_destroy(cur);
                    cur = NULL;
                    goto done;
                }
                cur = NULL;
            }
            if (strcmp(key, "kind") == 0) {
                kind = -1;
                for (int k = 0; k < RK__COUNT; k++)
                    if (strcmp(rest, KIND_NAMES[k]) == 0)
                        kind = k;
                if (kind < 0) {
                    ok = ec_fail(err, EC_ERR_RULES, path, lineno, rest_col,
                                 "unknown kind '%s' (timex, event, place or cue)", rest);
                    goto done;
                }
            } else if (strcmp(key, "prefilter") == 0) {
                if (kind < 0) {
                    ok = ec_fail(err, EC_ERR_RULES, path, lineno, 1, "'prefilter' before 'kind'");
                    goto done;
                }
                if (has_prefilter) {
                    ok = ec_fail(err, EC_ERR_RULES, path, lineno, 1, "a second 'prefilter' line (one per file)");
                    goto done;
                }
                strbuf one;
                sb_init(&one);
                rule tmp = {0};
                tmp.name = (char *)"prefilter";
                ok = expand_pattern(r, &tmp, rest, path, lineno, rest_col, &one, err);
                if (ok) {
                    pcre2_code *c = compile_or_fail(one.s, 0, false, path, lineno, "prefilter", err);
                    ok = c != NULL;
                    pcre2_code_free(c);
                }
                for (size_t g = 0; g < tmp.ngv; g++)
                    free(tmp.gv[g].group);
                free(tmp.gv);
                if (ok) {
                    kind_set *ks = &r->kinds[kind];
                    if (ks->prefilter.len)
                        sb_addc(&ks->prefilter, '|');
                    sb_printf(&ks->prefilter, "(?:%s)", one.s);
                    has_prefilter = true;
                }
                sb_finish(&one);
                if (!ok)
                    goto done;
            } else if (strcmp(key, "lookback") == 0) {
                char *end;
                long v = strtol(rest, &end, 10);
                if (!*rest || *end || v < 0 || v > 64) {
                    ok = ec_fail(err, EC_ERR_RULES, path, lineno, rest_col, "lookback must be a number of bytes in 0..64");
                    goto done;
                }
                lookback = (int)v;
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
                sb_reset(&pat);
            } else {
                ok = ec_fail(err, EC_ERR_RULES, path, lineno, 1,
                             "unknown directive '%s' (kind, reference, prefilter, lookback or rule)", key);
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
            strbuf one;
            sb_init(&one);
            ok = expand_pattern(r, cur, rest, path, lineno, rest_col, &one, err);
            if (ok) {
                /* check this line on its own so a syntax error points at its line */
                pcre2_code *c = compile_or_fail(one.s, 0, false, path, lineno, cur->name, err);
                ok = c != NULL;
                pcre2_code_free(c);
            }
            if (ok) {
                if (pat.len)
                    sb_addc(&pat, '|');
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
                cur->set_keys = xrealloc(cur->set_keys, (cur->nset + 1) * sizeof *cur->set_keys);
                cur->set_values = xrealloc(cur->set_values, (cur->nset + 1) * sizeof *cur->set_values);
                cur->set_keys[cur->nset] = xstrdup(tok);
                cur->set_values[cur->nset] = xstrdup(eq + 1);
                cur->nset++;
            }
        } else if (strcmp(key, "example") == 0) {
            if (!parse_example(cur, rest, path, lineno, r, err)) {
                ok = false;
                goto done;
            }
        } else {
            ok = ec_fail(err, EC_ERR_RULES, path, lineno, (long)(key - raw) + 1,
                         "unknown key '%s' in rule '%s' (match, type, priority, set, example)", key, cur->name);
            goto done;
        }
    }
    if (cur) {
        ok = finish_rule(r, cur, &pat, err);
        if (!ok)
            rule_destroy(cur);
        cur = NULL;
    }
    if (ok && kind < 0)
        ok = ec_fail(err, EC_ERR_RULES, path, 1, 1, "no 'kind' line");
    if (ok && !has_prefilter && lookback >= 0)
        ok = ec_fail(err, EC_ERR_RULES, path, 1, 1, "'lookback' without 'prefilter'");
    if (ok && !has_prefilter)
        r->kinds[kind].all_prefiltered = false; /* one file without: the kind scans everything */
    if (ok && has_prefilter) {
        int lb = lookback >= 0 ? lookback : PREFILTER_LOOKBACK;
        if (lb > r->kinds[kind].lookback)
            r->kinds[kind].lookback = lb;
    }
    if (ok)
        r->kinds[kind].files++;
done:
    if (cur)
        rule_destroy(cur);
    sb_finish(&pat);
    free(data);
    free(path);
    return ok;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n > m && strcmp(s + n - m, suf) == 0;
}

static char **list_dir(const char *dir, const char *suffix, size_t *n, ec_error *err)
{
    DIR *d = opendir(dir);
    if (!d) {
        ec_fail(err, EC_ERR_RULES, dir, 0, 0, "cannot open rules directory");
        return NULL;
    }
    char **names = NULL;
    size_t count = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' || !ends_with(e->d_name, suffix))
            continue;
        names = xrealloc(names, (count + 1) * sizeof *names);
        names[count++] = xstrdup(e->d_name);
    }
    closedir(d);
    if (count)
        qsort(names, count, sizeof *names, cmp_str);
    *n = count;
    return names ? names : xcalloc(1, sizeof *names);
}

static bool build_combined(rules *r, ec_error *err)
{
    for (int k = 0; k < RK__COUNT; k++) {
        kind_set *ks = &r->kinds[k];
        if (!ks->count)
            continue;
        strbuf sb;
        sb_init(&sb);
        /* one alternation finds the leftmost place where any rule of the kind matches; the
           marks say which alternative, though the scan re-checks every rule there for the
           longest match */
        for (size_t i = 0; i < ks->count; i++) {
            if (i)
                sb_addc(&sb, '|');
            sb_printf(&sb, "(*MARK:%zu)(?:%s)", i, ks->items[i]->pattern);
        }
        /* the anchored alternation is JIT-compiled when first used; the unanchored one is
           needed only without a prefilter (or with EVENTCAL_NO_PREFILTER), and then built */
        bool prefiltered = ks->all_prefiltered && ks->prefilter.len;
        ks->combined_pat = sb_steal(&sb);
        ks->combined_anchored = compile_or_fail(ks->combined_pat, PCRE2_ANCHORED, false, KIND_NAMES[k], 0, "combined pattern", err);
        if (!ks->combined_anchored)
            return false;
        if (!prefiltered || getenv("EVENTCAL_NO_PREFILTER")) {
            pcre2_code *c = compile_or_fail(ks->combined_pat, 0, !r->no_jit, KIND_NAMES[k], 0, "combined pattern", err);
            if (!c)
                return false;
            atomic_store(&ks->combined, c);
        }
        if (prefiltered) {
            ks->anchor = compile_or_fail(ks->prefilter.s, 0, true, KIND_NAMES[k], 0, "prefilter", err);
            if (!ks->anchor)
                return false;
        }
    }
    return true;
}

rules *rules_load(const char *dir, ec_error *err)
{
    rules *r = xcalloc(1, sizeof *r);
    pthread_mutex_init(&r->lazy_mu, NULL);
    r->no_jit = getenv("EVENTCAL_NO_JIT") != NULL;
    for (int k = 0; k < RK__COUNT; k++)
        r->kinds[k].all_prefiltered = true;
    size_t nv = 0, nr = 0;
    char *vdir = xasprintf("%s/vocab", dir);
    char **vfiles = list_dir(vdir, ".vocab", &nv, NULL);
    char **rfiles = NULL;
    bool ok = true;
    if (vfiles) {
        for (size_t i = 0; i < nv && ok; i++)
            ok = load_vocab(r, vdir, vfiles[i], err);
    }
    if (ok) {
        rfiles = list_dir(dir, ".rules", &nr, err);
        ok = rfiles != NULL;
        if (ok && nr == 0)
            ok = ec_fail(err, EC_ERR_RULES, dir, 0, 0, "no *.rules files");
    }
    for (size_t i = 0; ok && i < nr; i++)
        ok = load_rule_file(r, dir, rfiles[i], err);
    if (ok)
        ok = build_combined(r, err);
    for (size_t i = 0; vfiles && i < nv; i++)
        free(vfiles[i]);
    free(vfiles);
    for (size_t i = 0; rfiles && i < nr; i++)
        free(rfiles[i]);
    free(rfiles);
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
        pcre2_code_free(atomic_load(&r->kinds[k].combined));
        free(r->kinds[k].combined_pat);
        pcre2_code_free(r->kinds[k].combined_anchored);
        pcre2_code_free(r->kinds[k].anchor);
        sb_finish(&r->kinds[k].prefilter);
    }
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
        free(v->name);
        free(v->file);
    }
    free(r->vocabs);
    for (size_t i = 0; i < r->nstrings; i++)
        free(r->strings[i]);
    free(r->strings);
    pthread_mutex_destroy(&r->lazy_mu);
    free(r);
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
        if (strcmp(ru->set_keys[i], key) == 0)
            return ru->set_values[i];
    return NULL;
}

/* ---- matching ---- */

rule_scanner *rule_scanner_new(const rules *r)
{
    rule_scanner *s = xcalloc(1, sizeof *s);
    s->r = r;
    s->md_combined = pcre2_match_data_create(64, NULL);
    s->md_anchor = pcre2_match_data_create(4, NULL);
    s->md_rule = pcre2_match_data_create(128, NULL);
    s->md_best = pcre2_match_data_create(128, NULL);
    s->mctx = pcre2_match_context_create(NULL);
    pcre2_set_match_limit(s->mctx, MATCH_LIMIT);
    pcre2_set_depth_limit(s->mctx, DEPTH_LIMIT);
    pcre2_set_heap_limit(s->mctx, HEAP_LIMIT_KB);
    s->jit_stack = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
    if (s->jit_stack)
        pcre2_jit_stack_assign(s->mctx, NULL, s->jit_stack);
    s->no_prefilter = getenv("EVENTCAL_NO_PREFILTER") != NULL;
    return s;
}

void rule_scanner_free(rule_scanner *s)
{
    if (!s)
        return;
    pcre2_match_data_free(s->md_combined);
    pcre2_match_data_free(s->md_anchor);
    pcre2_match_data_free(s->md_rule);
    pcre2_match_data_free(s->md_best);
    pcre2_match_context_free(s->mctx);
    pcre2_jit_stack_free(s->jit_stack);
    free(s);
}

void rule_scanner_use_prefilter(rule_scanner *s, bool on)
{
    s->no_prefilter = !on;
}

unsigned long rule_scanner_limit_hits(const rule_scanner *s)
{
    return s->limit_hits;
}

static bool spent_rule(rule_scanner *s, const rule *ru, const char *text, size_t len)
{
    if (s->spent_text != text || s->spent_len != len) {
        s->spent_text = text;
        s->spent_len = len;
        memset(s->spent, 0, sizeof s->spent);
        memset(s->combined_hits, 0, sizeof s->combined_hits);
    }
    return ru->index < 512 && (s->spent[ru->kind][ru->index >> 3] & (1u << (ru->index & 7)));
}

static void spend_rule(rule_scanner *s, const rule *ru)
{
    if (ru->index < 512)
        s->spent[ru->kind][ru->index >> 3] |= (uint8_t)(1u << (ru->index & 7));
}

/*
 * JIT-compiles `code` the first time a scanner needs it, under the rules' lock, so start-up
 * compiles only what it must and rules that never get a chance to match are never JIT-
 * compiled.  No thread matches with `code` before `done` is set, so none sees it half-built.
 */
static pcre2_code *jit_once(const rules *r, pcre2_code *code, const atomic_bool *done, rule *ru)
{
    if (atomic_load_explicit(done, memory_order_acquire))
        return code;
    rules *w = (rules *)r;
    pthread_mutex_lock(&w->lazy_mu);
    if (!atomic_load_explicit(done, memory_order_relaxed)) {
        if (!r->no_jit)
            (void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE); /* an optimisation: without it, pcre2 interprets */
        if (ru)
            compute_first(ru);
        atomic_store_explicit((atomic_bool *)done, true, memory_order_release);
    }
    pthread_mutex_unlock(&w->lazy_mu);
    return code;
}

static pcre2_code *rule_code(const rules *r, const rule *ru)
{
    return jit_once(r, ru->anchored, &ru->jitted, (rule *)ru);
}

static pcre2_code *kind_anchored(const rules *r, const kind_set *ks)
{
    return jit_once(r, ks->combined_anchored, &ks->combined_anchored_jitted, NULL);
}

/* The unanchored alternation, built on first use when rules_load() did not need it. */
static pcre2_code *kind_combined(const rules *r, const kind_set *ks)
{
    pcre2_code *c = atomic_load_explicit(&ks->combined, memory_order_acquire);
    if (c)
        return c;
    rules *w = (rules *)r;
    pthread_mutex_lock(&w->lazy_mu);
    c = atomic_load_explicit(&ks->combined, memory_order_relaxed);
    if (!c) {
        /* it compiled before, anchored: this cannot fail */
        c = compile_or_fail(ks->combined_pat, 0, !r->no_jit, "combined", 0, "combined pattern", NULL);
        atomic_store_explicit((pcre2_code *_Atomic *)&ks->combined, c, memory_order_release);
    }
    pthread_mutex_unlock(&w->lazy_mu);
    return c;
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

bool rule_match_at(rule_scanner *s, const rule *ru, const char *text, size_t len, size_t at, rule_match *out)
{
    int rc = pcre2_match(rule_code(s->r, ru), (PCRE2_SPTR)text, len, at, PCRE2_NO_UTF_CHECK, s->md_rule, s->mctx);
    if (rc < 0) {
        if (is_limit_error(rc))
            s->limit_hits++;
        return false;
    }
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md_rule);
    if (ov[1] <= ov[0])
        return false;
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

/*
 * At a place where some rule of the kind may match, the longest match of any rule.  The best
 * match so far is kept in its own match data (swapped, not copied), so the winner is not run
 * a second time to read its groups.
 */
static bool longest_at(rule_scanner *s, const kind_set *ks, const char *text, size_t len, size_t at, rule_match *out)
{
    const rule *best = NULL;
    size_t best_end = 0;
    unsigned char c = (unsigned char)text[at];
    for (size_t i = 0; i < ks->count; i++) {
        const rule *ru = ks->items[i];
        pcre2_code *code = rule_code(s->r, ru); /* also makes ru->first */
        if (!(ru->first[c >> 3] & (1u << (c & 7))))
            continue; /* this rule cannot start with this byte */
        if (spent_rule(s, ru, text, len))
            continue;
        int r2 = pcre2_match(code, (PCRE2_SPTR)text, len, at, PCRE2_NO_UTF_CHECK, s->md_rule, s->mctx);
        if (r2 < 0) {
            if (is_limit_error(r2)) {
                s->limit_hits++;
                spend_rule(s, ru);
            }
            continue;
        }
        PCRE2_SIZE e = pcre2_get_ovector_pointer(s->md_rule)[1];
        if (!best || e > best_end || (e == best_end && ru->priority > best->priority)) {
            best = ru;
            best_end = e;
            pcre2_match_data *t = s->md_best;
            s->md_best = s->md_rule;
            s->md_rule = t;
        }
    }
    if (!best || best_end <= at)
        return false; /* only an empty match here (lookaround quirks) */
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md_best);
    if (ov[1] <= ov[0])
        return false;
    out->rule = best;
    out->start = ov[0];
    out->end = ov[1];
    fill_slots(s->md_best, best, text, out);
    return true;
}

/*
 * After a few limit hits of the combined pattern on one text, the kind is scanned rule by rule
 * at word starts: slower, but a rule that hits its limit is then tried once, not at every place.
 */
enum { COMBINED_HITS_BEFORE_FALLBACK = 3 };

static bool degraded(rule_scanner *s, const rule *any, rule_kind kind, const char *text, size_t len)
{
    (void)spent_rule(s, any, text, len); /* resets the per-text state for a new text */
    return s->combined_hits[kind] >= COMBINED_HITS_BEFORE_FALLBACK;
}

static bool scan_rule_by_rule(rule_scanner *s, const kind_set *ks, const char *text, size_t len, size_t from,
                              rule_match *out)
{
    for (size_t q = from; q < len; q++)
        if (word_start(text, q) && longest_at(s, ks, text, len, q, out))
            return true;
    return false;
}

bool rule_scan_next(rule_scanner *s, rule_kind kind, const char *text, size_t len, size_t from, rule_match *out)
{
    const kind_set *ks = &s->r->kinds[kind];
    if (!ks->combined_anchored || !ks->count)
        return false;
    if (degraded(s, ks->items[0], kind, text, len))
        return scan_rule_by_rule(s, ks, text, len, from, out);
    if (!ks->anchor || s->no_prefilter) {
        /* no prefilter: one combined scan finds the leftmost place any rule matches */
        while (from < len) {
            int rc = pcre2_match(kind_combined(s->r, ks), (PCRE2_SPTR)text, len, from, PCRE2_NO_UTF_CHECK, s->md_combined, s->mctx);
            if (rc < 0) {
                if (!is_limit_error(rc))
                    return false;
                s->limit_hits++;
                if (++s->combined_hits[kind] >= COMBINED_HITS_BEFORE_FALLBACK)
                    return scan_rule_by_rule(s, ks, text, len, from, out);
                from = next_char(text, len, from); /* the scan gave up here: step on */
                continue;
            }
            size_t at = pcre2_get_ovector_pointer(s->md_combined)[0];
            if (longest_at(s, ks, text, len, at, out))
                return true;
            from = next_char(text, len, at);
        }
        return false;
    }
    /*
     * With a prefilter: one cheap scan finds the words a match must touch (a digit, a month
     * name...), and the rules are tried only at the few word starts just before each, so the
     * cost of many rules is paid near candidates and not at every byte.
     */
    size_t pos = from;
    while (pos < len) {
        int rc = pcre2_match(ks->anchor, (PCRE2_SPTR)text, len, pos, PCRE2_NO_UTF_CHECK, s->md_anchor, s->mctx);
        if (rc < 0) {
            if (!is_limit_error(rc))
                return false;
            s->limit_hits++;
            pos = next_char(text, len, pos);
            continue;
        }
        PCRE2_SIZE *av = pcre2_get_ovector_pointer(s->md_anchor);
        size_t hs = av[0], he = av[1];
        if (ks->lookback == 0) {
            /* the prefilter matches wherever a match starts: try the hit itself, then look for
               the next hit from the next character, since another may start inside this one */
            rc = pcre2_match(kind_anchored(s->r, ks), (PCRE2_SPTR)text, len, hs, PCRE2_NO_UTF_CHECK, s->md_combined, s->mctx);
            if (rc < 0 && is_limit_error(rc))
                s->limit_hits++;
            if (rc >= 0 && longest_at(s, ks, text, len, hs, out))
                return true;
            pos = next_char(text, len, hs);
            continue;
        }
        size_t ws = hs > from + (size_t)ks->lookback ? hs - (size_t)ks->lookback : from;
        if (ws < pos && pos > from)
            ws = pos; /* the places before pos were tried for the previous hit */
        for (size_t q = ws; q <= hs; q++) {
            if (!word_start(text, q))
                continue;
            /* one JIT call says whether any rule matches here; only then find the longest */
            rc = pcre2_match(kind_anchored(s->r, ks), (PCRE2_SPTR)text, len, q, PCRE2_NO_UTF_CHECK, s->md_combined, s->mctx);
            if (rc < 0) {
                if (!is_limit_error(rc))
                    continue;
                s->limit_hits++;
                if (++s->combined_hits[kind] >= COMBINED_HITS_BEFORE_FALLBACK)
                    return scan_rule_by_rule(s, ks, text, len, q, out);
                /* the rules one by one decide this place */
            }
            if (longest_at(s, ks, text, len, q, out))
                return true;
        }
        pos = he > hs ? he : next_char(text, len, hs);
    }
    return false;
}

const rule_slot *rule_match_slot(const rule_match *m, const char *name)
{
    for (int i = 0; i < m->nslots; i++)
        if (strcmp(m->slots[i].name, name) == 0)
            return &m->slots[i];
    return NULL;
}

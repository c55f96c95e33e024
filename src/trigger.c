#include "trigger.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

typedef struct rule_list {
    uint16_t *idx;
    uint32_t n, cap;
} rule_list;

typedef struct entry {
    uint64_t hash;
    uint8_t len;
    bool prefix;
    char key[TRIGGER_MAX_WORD]; /* lower case, not terminated */
    uint8_t kinds;              /* bit k: rules[k] is not empty (set by freeze_entry) */
    rule_list rules[TRIGGER_KINDS];
    uint32_t ref; /* its number in the set's `refs`, when it has rules (freeze_entry) */
} entry;

_Static_assert(TRIGGER_KINDS <= 8, "a hit's kinds are one byte");

enum { BLOOM_BITS = 15 };

/* A slot of the short-word table: the packed word (0 = empty) and its entry's hit tag (0:
   it feeds no kind), so that finding a word does not touch the entries, which are large and
   out of cache. */
typedef struct short_slot {
    uint64_t key;
    uint32_t tag;
} short_slot;

/* A slot of the table of words of nine to sixteen letters: their first eight letters and the
   rest, packed as short words are (k1 = 0: empty), and the entry's hit tag. */
typedef struct mid_slot {
    uint64_t k1, k2;
    uint32_t tag;
} mid_slot;

/* A slot of the open-addressing table: the entry's hash (0 = empty) and its index. */
typedef struct slot {
    uint64_t hash;
    uint32_t index;
} slot;

enum { FEW_SYMBOLS = TRIGGER_FAST_SYMBOLS, ENTRY_CHUNK = 256 };

/* The set's symbol triggers, when there are at most FEW_SYMBOLS of them (each is compared
   with a block's bytes at once); `n` = -1: more, and every punctuation byte is looked up. */
typedef struct symbol_list {
    int n;
    unsigned char c[FEW_SYMBOLS];
} symbol_list;

struct trigger_set {
    /* ENTRY_CHUNK entries an allocation: an array grown by doubling copied itself at each
       step, and the copies, of 150 bytes an entry, were a tenth of an empty run's page faults */
    entry **chunks;
    size_t count, nchunks;
    slot *slots;
    size_t scap; /* a power of two, at least four times count */
    /* digit runs by shape: [length 1-9, or 0 for any][next byte: 0 any, then : / . -] */
    entry number[10][5];
    entry symbol[128];
    uint8_t is_symbol[128];
    symbol_list few_symbols; /* the same, for the scan (trigger_set_freeze) */
    bool lines;              /* some rule fires on line starts (trigger_set_freeze) */
    entry line; /* words at the start of a line */
    const entry **refs; /* the entries with rules, numbered for hits, while trigger_set_freeze()
                           lays their lists out in `view` (then freed) */
    size_t nrefs, refs_cap;
    trigger_ref view; /* their rule lists, a kind at a time (trigger_set_freeze) */
    uint64_t prefix_lens; /* bit L: some prefix trigger has L letters */
    /* By a word's first three letters (each its low five bits: 1-26, or 0 past a shorter
       word's end, see prefix_lengths()): bit L-1 (L of 1-7), some prefix trigger of L letters
       can begin the word; bit 7, one of eight or more.  Most words begin none, and one byte
       says so: "was" and "way" share "wa" with "walk*", not "wal". */
    uint8_t prefix_at[32 * 32 * 32];
    bool frozen;
    /* Words and prefixes of up to eight letters again, keyed by their letters packed into one
       integer (see pack()), built by trigger_set_freeze(): most words of a text are that short,
       and one multiply and one compare find them, where the FNV table above costs a multiply
       per letter and a memcmp. */
    short_slot *shorts;
    size_t shorts_cap; /* a power of two, at least twice the entries it holds */
    /* one bit per short key's hash (BLOOM_BITS of them): three words in four of a text are no
       trigger, and this small bitmap, which stays in the first-level cache, says so without
       touching the table */
    uint64_t bloom[1u << (BLOOM_BITS - 6)];
    /* Words and prefixes of nine to sixteen letters again, keyed by two packed integers: a
       word that long cost a multiply per letter and a string compare to look up in the FNV
       table, a tenth of indexing a text; a bitmap of their keys' hashes too. */
    mid_slot *mids;
    size_t mids_cap;
    uint64_t mid_bloom[1u << (BLOOM_BITS - 6)];
};

enum { C_OTHER, C_LETTER, C_DIGIT };

/* Byte classes: ASCII letters and digits make words; everything else, UTF-8 included, separates. */
static inline uint8_t byte_class(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        return C_LETTER;
    if (c >= '0' && c <= '9')
        return C_DIGIT;
    return C_OTHER;
}

/* Byte classes as a table for the scan loop (byte_class() says the same). */
static const uint8_t CLASS[256] = {
    ['0'] = C_DIGIT, ['1'] = C_DIGIT, ['2'] = C_DIGIT, ['3'] = C_DIGIT, ['4'] = C_DIGIT, ['5'] = C_DIGIT, ['6'] =
    C_DIGIT, ['7'] = C_DIGIT, ['8'] = C_DIGIT, ['9'] = C_DIGIT,
    ['A'] = C_LETTER, ['B'] = C_LETTER, ['C'] = C_LETTER, ['D'] = C_LETTER, ['E'] = C_LETTER, ['F'] = C_LETTER,
    ['G'] = C_LETTER, ['H'] = C_LETTER, ['I'] = C_LETTER, ['J'] = C_LETTER, ['K'] = C_LETTER, ['L'] = C_LETTER,
    ['M'] = C_LETTER, ['N'] = C_LETTER, ['O'] = C_LETTER, ['P'] = C_LETTER, ['Q'] = C_LETTER, ['R'] = C_LETTER,
    ['S'] = C_LETTER, ['T'] = C_LETTER, ['U'] = C_LETTER, ['V'] = C_LETTER, ['W'] = C_LETTER, ['X'] = C_LETTER,
    ['Y'] = C_LETTER, ['Z'] = C_LETTER,
    ['a'] = C_LETTER, ['b'] = C_LETTER, ['c'] = C_LETTER, ['d'] = C_LETTER, ['e'] = C_LETTER, ['f'] = C_LETTER,
    ['g'] = C_LETTER, ['h'] = C_LETTER, ['i'] = C_LETTER, ['j'] = C_LETTER, ['k'] = C_LETTER, ['l'] = C_LETTER,
    ['m'] = C_LETTER, ['n'] = C_LETTER, ['o'] = C_LETTER, ['p'] = C_LETTER, ['q'] = C_LETTER, ['r'] = C_LETTER,
    ['s'] = C_LETTER, ['t'] = C_LETTER, ['u'] = C_LETTER, ['v'] = C_LETTER, ['w'] = C_LETTER, ['x'] = C_LETTER,
    ['y'] = C_LETTER, ['z'] = C_LETTER,
};

static const char NUMBER_SEPS[] = ":/.-";

static const uint64_t SEED = 0xcbf29ce484222325ULL, PRIME = 0x100000001b3ULL;

/* FNV-1a, one lower-case letter at a time, so every prefix of a word has its hash on the way. */
static inline uint64_t step(uint64_t h, unsigned char lower)
{
    return (h ^ lower) * PRIME;
}

static uint64_t slot_hash(uint64_t h, bool prefix)
{
    /* whole words and prefixes of the same letters are different triggers; 0 marks empty slots */
    h ^= prefix ? 0x9e3779b97f4a7c15ULL : 0;
    return h ? h : 1;
}

enum { SHORT_MAX = 8 };

/* The short-word key of lower-case letters lower[0..n), n <= SHORT_MAX: byte i of the key is
   letter i, so keys of different words differ (no letter is a zero byte); the top bit, free
   since letters are ASCII, marks a prefix. */
static uint64_t pack(const char *lower, size_t n, bool prefix)
{
    uint64_t k = 0;
    for (size_t i = 0; i < n; i++)
        k |= (uint64_t)(unsigned char)lower[i] << (8 * i);
    return k | (prefix ? 1ULL << 63 : 0);
}

/* The low n (0..SHORT_MAX) bytes of a key: its first n letters.  A table: the scan asks once a
   word, and the shift it replaces needed a branch for n = 8. */
static const uint64_t BYTE_MASK[SHORT_MAX + 1] = {
    0, 0xff, 0xffff, 0xffffff, 0xffffffffULL, 0xffffffffffULL, 0xffffffffffffULL, 0xffffffffffffffULL, ~0ULL,
};

static inline uint64_t byte_mask(size_t n)
{
    return BYTE_MASK[n];
}

/* The key of the prefix trigger made of the first n (1..SHORT_MAX) letters of key k. */
static inline uint64_t prefix_key(uint64_t k, size_t n)
{
    return (k & byte_mask(n)) | 1ULL << 63;
}

/* pack() of the n (1..SHORT_MAX) ASCII letters at s, lower-cased, reading 8 bytes at once
   when the text has them. */
static inline uint64_t pack_text(const unsigned char *s, size_t n, size_t avail)
{
    uint64_t mask = byte_mask(n), k = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (avail >= 8) {
        memcpy(&k, s, 8);
        return (k | 0x2020202020202020ULL) & mask;
    }
#endif
    (void)avail;
    for (size_t i = 0; i < n; i++)
        k |= (uint64_t)(s[i] | 0x20u) << (8 * i);
    return k & mask;
}

static inline uint64_t short_hash(uint64_t key)
{
    return key * 0x9e3779b97f4a7c15ULL;
}

static inline size_t short_index(uint64_t h, size_t cap)
{
    return (size_t)(h >> 32) & (cap - 1);
}

static inline void bloom_add(uint64_t *bloom, uint64_t h)
{
    uint64_t b = h >> (64 - BLOOM_BITS);
    bloom[b >> 6] |= 1ULL << (b & 63);
}

static inline bool bloom_has(const uint64_t *bloom, uint64_t h)
{
    uint64_t b = h >> (64 - BLOOM_BITS);
    return (bloom[b >> 6] >> (b & 63)) & 1;
}

static inline uint64_t mid_hash(uint64_t k1, uint64_t k2)
{
    return (k1 * 0x9e3779b97f4a7c15ULL) ^ (k2 * 0xc2b2ae3d27d4eb4fULL);
}

static uint32_t mid_lookup(const trigger_set *t, uint64_t k1, uint64_t k2)
{
    uint64_t h = mid_hash(k1, k2);
    if (!bloom_has(t->mid_bloom, h))
        return 0;
    for (size_t i = short_index(h, t->mids_cap);; i = (i + 1) & (t->mids_cap - 1)) {
        if (t->mids[i].k1 == k1 && t->mids[i].k2 == k2)
            return t->mids[i].tag;
        if (!t->mids[i].k1)
            return 0;
    }
}

static uint32_t short_lookup(const trigger_set *t, uint64_t key)
{
    uint64_t h = short_hash(key);
    if (!bloom_has(t->bloom, h))
        return 0;
    for (size_t i = short_index(h, t->shorts_cap);; i = (i + 1) & (t->shorts_cap - 1)) {
        if (t->shorts[i].key == key)
            return t->shorts[i].tag;
        if (!t->shorts[i].key)
            return 0;
    }
}

trigger_set *trigger_set_new(void)
{
    trigger_set *t = xcalloc(1, sizeof *t);
    t->scap = 256;
    t->slots = xcalloc(t->scap, sizeof *t->slots);
    return t;
}

static inline entry *entry_at(const trigger_set *t, size_t i)
{
    return &t->chunks[i / ENTRY_CHUNK][i % ENTRY_CHUNK];
}

static void entry_finish(entry *e)
{
    for (int k = 0; k < TRIGGER_KINDS; k++)
        free(e->rules[k].idx);
}

void trigger_set_free(trigger_set *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->count; i++)
        entry_finish(entry_at(t, i));
    for (size_t i = 0; i < t->nchunks; i++)
        free(t->chunks[i]);
    free(t->chunks);
    free(t->slots);
    free(t->shorts);
    free(t->mids);
    free(t->refs);
    for (int k = 0; k < TRIGGER_KINDS; k++) {
        free((void *)t->view.span[k]);
        free((void *)t->view.pool[k]);
    }
    for (int l = 0; l < 10; l++)
        for (int c = 0; c < 5; c++)
            entry_finish(&t->number[l][c]);
    for (int c = 0; c < 128; c++)
        entry_finish(&t->symbol[c]);
    entry_finish(&t->line);
    free(t);
}

static void list_add(rule_list *l, uint16_t rule)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 4;
        l->idx = xrealloc(l->idx, l->cap * sizeof *l->idx);
    }
    l->idx[l->n++] = rule;
}

static void rehash(trigger_set *t)
{
    size_t ncap = t->scap * 2;
    slot *ns = xcalloc(ncap, sizeof *ns);
    for (size_t i = 0; i < t->scap; i++) {
        if (!t->slots[i].hash)
            continue;
        size_t h = t->slots[i].hash & (ncap - 1);
        while (ns[h].hash)
            h = (h + 1) & (ncap - 1);
        ns[h] = t->slots[i];
    }
    free(t->slots);
    t->slots = ns;
    t->scap = ncap;
}

static const entry *lookup(const trigger_set *t, uint64_t h, const char *key, size_t n)
{
    size_t i = h & (t->scap - 1);
    while (t->slots[i].hash) {
        if (t->slots[i].hash == h) {
            const entry *e = entry_at(t, t->slots[i].index);
            if (e->len == n && memcmp(e->key, key, n) == 0)
                return e;
        }
        i = (i + 1) & (t->scap - 1);
    }
    return NULL;
}

/* The entry of a word or prefix, made if it is new; NULL when it is new and the set is full. */
static entry *word_entry(trigger_set *t, const char *lower, size_t n, bool prefix)
{
    uint64_t h = SEED;
    for (size_t i = 0; i < n; i++)
        h = step(h, (unsigned char)lower[i]);
    h = slot_hash(h, prefix);
    const entry *found = lookup(t, h, lower, n);
    if (found && found->prefix == prefix)
        return (entry *)found;
    if (t->count >= TRIGGER_MAX_ENTRIES)
        return NULL; /* a hit could not name it */
    /* a prefix and a whole word of the same letters hash apart, but check the flag anyway:
       a collision between the two must not merge them */
    if ((t->count + 1) * 4 > t->scap)
        rehash(t);
    if (t->count == t->nchunks * ENTRY_CHUNK) {
        t->chunks = xrealloc(t->chunks, (t->nchunks + 1) * sizeof *t->chunks);
        t->chunks[t->nchunks++] = xmalloc(ENTRY_CHUNK * sizeof **t->chunks);
    }
    entry *e = entry_at(t, t->count);
    memset(e, 0, sizeof *e);
    e->hash = h;
    e->len = (uint8_t)n;
    e->prefix = prefix;
    memcpy(e->key, lower, n);
    size_t i = h & (t->scap - 1);
    while (t->slots[i].hash)
        i = (i + 1) & (t->scap - 1);
    t->slots[i].hash = h;
    t->slots[i].index = (uint32_t)t->count;
    t->count++;
    return e;
}

bool trigger_set_add(trigger_set *t, trigger_what what, const char *text, size_t n, int kind, uint16_t rule)
{
    if (t->frozen || kind < 0 || kind >= TRIGGER_KINDS)
        return false;
    entry *e = NULL;
    switch (what) {
    case TRIGGER_NUMBER: {
        size_t i = 0;
        int l = 0, c = 0;
        if (i < n && text[i] >= '1' && text[i] <= '9')
            l = text[i++] - '0';
        if (i < n) {
            const char *sep = strchr(NUMBER_SEPS, text[i]);
            if (!sep || !text[i])
                return false;
            c = (int)(sep - NUMBER_SEPS) + 1;
            i++;
        }
        if (i != n)
            return false;
        e = &t->number[l][c];
        break;
    }
    case TRIGGER_LINE:
        e = &t->line;
        break;
    case TRIGGER_SYMBOL: {
        unsigned char c = n == 1 ? (unsigned char)text[0] : 0;
        if (c <= ' ' || c >= 127 || byte_class(c) != C_OTHER)
            return false;
        t->is_symbol[c] = 1;
        e = &t->symbol[c];
        break;
    }
    case TRIGGER_WORD:
    case TRIGGER_PREFIX: {
        if (n == 0 || n > TRIGGER_MAX_WORD)
            return false;
        char lower[TRIGGER_MAX_WORD];
        for (size_t i = 0; i < n; i++) {
            if (byte_class((unsigned char)text[i]) != C_LETTER)
                return false;
            lower[i] = (char)ascii_tolower((unsigned char)text[i]);
        }
        e = word_entry(t, lower, n, what == TRIGGER_PREFIX);
        if (!e)
            return false;
        if (what == TRIGGER_PREFIX) {
            t->prefix_lens |= 1ULL << n;
            /* every cell of a word that begins with these letters: the letters after the
               prefix's (of a one- or two-letter prefix) are any, or none */
            uint8_t bit = (uint8_t)(1u << (n < 8 ? n - 1 : 7));
            unsigned a = (unsigned)lower[0] & 0x1f;
            for (unsigned b = 0; b <= 26; b++) {
                if (n >= 2 && b != ((unsigned)lower[1] & 0x1f))
                    continue;
                for (unsigned c = 0; c <= 26; c++)
                    if (n < 3 || c == ((unsigned)lower[2] & 0x1f))
                        t->prefix_at[a << 10 | b << 5 | c] |= bit;
            }
        }
        break;
    }
    }
    list_add(&e->rules[kind], rule);
    return true;
}

static int cmp_u16(const void *a, const void *b)
{
    uint16_t x = *(const uint16_t *)a, y = *(const uint16_t *)b;
    return x < y ? -1 : x > y;
}

static void freeze_entry(trigger_set *t, entry *e)
{
    e->kinds = 0;
    for (int k = 0; k < TRIGGER_KINDS; k++) {
        rule_list *l = &e->rules[k];
        if (!l->n)
            continue;
        e->kinds |= (uint8_t)(1u << k);
        if (l->n >= 2) {
            qsort(l->idx, l->n, sizeof *l->idx, cmp_u16);
            uint32_t w = 1;
            for (uint32_t i = 1; i < l->n; i++)
                if (l->idx[i] != l->idx[w - 1])
                    l->idx[w++] = l->idx[i];
            l->n = w;
        }
    }
    if (!e->kinds)
        return;
    if (t->nrefs == t->refs_cap) {
        t->refs_cap = t->refs_cap ? t->refs_cap * 2 : 256;
        t->refs = xrealloc(t->refs, t->refs_cap * sizeof *t->refs);
    }
    t->refs[t->nrefs] = e;
    e->ref = (uint32_t)t->nrefs++;
}

/* What a hit on e holds (trigger_hit.tag), or 0 when e feeds no kind; after freeze_entry(). */
static uint32_t entry_tag(const entry *e)
{
    return e->kinds ? e->ref << 8 | e->kinds : 0;
}

void trigger_set_freeze(trigger_set *t)
{
    for (size_t i = 0; i < t->count; i++)
        freeze_entry(t, entry_at(t, i));
    for (int l = 0; l < 10; l++)
        for (int c = 0; c < 5; c++)
            freeze_entry(t, &t->number[l][c]);
    for (int c = 0; c < 128; c++)
        freeze_entry(t, &t->symbol[c]);
    freeze_entry(t, &t->line);
    for (int k = 0; k < TRIGGER_KINDS; k++) {
        size_t total = 0;
        for (size_t r = 0; r < t->nrefs; r++)
            total += t->refs[r]->rules[k].n;
        trigger_span *span = xcalloc(t->nrefs ? t->nrefs : 1, sizeof *span);
        uint16_t *pool = xmalloc((total ? total : 1) * sizeof *pool);
        total = 0;
        for (size_t r = 0; r < t->nrefs; r++) {
            const rule_list *l = &t->refs[r]->rules[k];
            span[r] = (trigger_span){(uint32_t)total, l->n};
            if (l->n)
                memcpy(pool + total, l->idx, l->n * sizeof *pool);
            total += l->n;
        }
        t->view.span[k] = span;
        t->view.pool[k] = pool;
    }
    free(t->refs);
    t->refs = NULL;
    t->lines = t->line.kinds != 0;
    t->few_symbols.n = 0;
    for (int c = 0; c < 128; c++) {
        if (!t->is_symbol[c])
            continue;
        if (t->few_symbols.n < 0 || t->few_symbols.n == FEW_SYMBOLS)
            t->few_symbols.n = -1;
        else
            t->few_symbols.c[t->few_symbols.n++] = (unsigned char)c;
    }
    /* at most three slots in four used, and by the short words only: a smaller table stays
       in a nearer cache, and the bloom filter answers most misses before it is read */
    size_t nshort = 0;
    for (size_t i = 0; i < t->count; i++)
        nshort += entry_at(t, i)->len <= SHORT_MAX;
    t->shorts_cap = 16;
    while (t->shorts_cap * 3 < 4 * nshort)
        t->shorts_cap *= 2;
    t->shorts = xcalloc(t->shorts_cap, sizeof *t->shorts);
    for (size_t i = 0; i < t->count; i++) {
        const entry *e = entry_at(t, i);
        if (e->len > SHORT_MAX)
            continue;
        uint64_t key = pack(e->key, e->len, e->prefix), h = short_hash(key);
        bloom_add(t->bloom, h);
        size_t j = short_index(h, t->shorts_cap);
        while (t->shorts[j].key)
            j = (j + 1) & (t->shorts_cap - 1);
        t->shorts[j].key = key;
        t->shorts[j].tag = entry_tag(e);
    }
    size_t nmid = 0;
    for (size_t i = 0; i < t->count; i++)
        nmid += entry_at(t, i)->len > SHORT_MAX && entry_at(t, i)->len <= 2 * SHORT_MAX;
    t->mids_cap = 16;
    while (t->mids_cap < 2 * nmid)
        t->mids_cap *= 2;
    t->mids = xcalloc(t->mids_cap, sizeof *t->mids);
    for (size_t i = 0; i < t->count; i++) {
        const entry *e = entry_at(t, i);
        if (e->len <= SHORT_MAX || e->len > 2 * SHORT_MAX)
            continue;
        uint64_t k1 = pack(e->key, SHORT_MAX, false), k2 = pack(e->key + SHORT_MAX, e->len - SHORT_MAX, e->prefix);
        uint64_t h = mid_hash(k1, k2);
        bloom_add(t->mid_bloom, h);
        size_t j = short_index(h, t->mids_cap);
        while (t->mids[j].k1)
            j = (j + 1) & (t->mids_cap - 1);
        t->mids[j] = (mid_slot){k1, k2, entry_tag(e)};
    }
    t->frozen = true;
}

size_t trigger_set_symbols(const trigger_set *t, char *out)
{
    size_t n = 0;
    for (int c = 0; c < 128; c++)
        if (t->is_symbol[c])
            out[n++] = (char)c;
    return n;
}

size_t trigger_set_size(const trigger_set *t)
{
    size_t n = t->count;
    for (int l = 0; l < 10; l++)
        for (int c = 0; c < 5; c++)
            for (int k = 0; k < TRIGGER_KINDS; k++)
                if (t->number[l][c].rules[k].n) {
                    n++;
                    break;
                }
    for (int c = 0; c < 128; c++)
        n += t->is_symbol[c];
    for (int k = 0; k < TRIGGER_KINDS; k++)
        if (t->line.rules[k].n) {
            n++;
            break;
        }
    return n;
}

const trigger_ref *trigger_set_refs(const trigger_set *t)
{
    return &t->view;
}

static void grow(trigger_hits *h)
{
    h->cap = h->cap ? h->cap * 2 : 256;
    h->v = xrealloc(h->v, h->cap * sizeof *h->v);
}

static inline void push_tag(trigger_hits *h, size_t start, uint32_t tag)
{
    if (!tag)
        return;
    if (h->n == h->cap)
        grow(h);
    h->v[h->n++] = (trigger_hit){(uint32_t)start, tag};
}

static inline void push_entry(trigger_hits *h, size_t start, const entry *e)
{
    push_tag(h, start, entry_tag(e));
}

/* Where the run of ASCII letters at s[i] ends: eight bytes at a time (one branch per word
   rather than one per letter, which mispredicts at every word's end), then byte by byte. */
static inline size_t letters_end(const unsigned char *s, size_t i, size_t len)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && defined(__GNUC__)
    const uint64_t ones7 = 0x7f7f7f7f7f7f7f7fULL, high = 0x8080808080808080ULL;
    while (i + 8 <= len) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        /* per byte, without carries between bytes: lower-cased 7 bits >= 'a' and <= 'z', and
           an ASCII byte at all */
        uint64_t y = (x | 0x2020202020202020ULL) & ones7;
        uint64_t ge_a = y + 0x1f1f1f1f1f1f1f1fULL;           /* high bit: y >= 0x61 */
        uint64_t le_z = 0xfafafafafafafafaULL - y;           /* high bit: y <= 0x7a */
        uint64_t letter = ge_a & le_z & ~x & high;
        uint64_t other = ~letter & high;
        if (other)
            return i + (size_t)(__builtin_ctzll(other) >> 3);
        i += 8;
    }
#endif
    while (i < len && CLASS[s[i]] == C_LETTER)
        i++;
    return i;
}

/* A text's bytes by class, 64 at a time: bit b of each mask is byte b of the block. */
typedef struct block_masks {
    uint64_t letters, digits;
    uint64_t symbols;  /* bytes that are symbol triggers */
    uint64_t newlines; /* with `lines` only (masks_of()) */
} block_masks;

#if defined(__SSE2__)
/* One 16-byte lane: ASCII letters (lower-cased, then one signed compare for 'a'..'z', which
   bytes >= 0x80 fail), digits, and the set's few symbol triggers (all printable punctuation
   when it has more, to be looked up one by one). */
static inline void lane_masks(__m128i x, const symbol_list *sy, bool lines, uint32_t *l, uint32_t *d, uint32_t *p,
                              uint32_t *nl)
{
    if (lines)
        *nl = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8('\n')));
    __m128i lower = _mm_or_si128(x, _mm_set1_epi8(0x20));
    __m128i letter = _mm_cmplt_epi8(_mm_add_epi8(lower, _mm_set1_epi8((char)(0x80 - 'a'))),
                                    _mm_set1_epi8((char)(-128 + 26)));
    __m128i digit = _mm_cmplt_epi8(_mm_add_epi8(x, _mm_set1_epi8((char)(0x80 - '0'))),
                                   _mm_set1_epi8((char)(-128 + 10)));
    *l = (uint32_t)_mm_movemask_epi8(letter);
    *d = (uint32_t)_mm_movemask_epi8(digit);
    if (sy->n < 0) {
        __m128i print = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8(' ')), _mm_cmplt_epi8(x, _mm_set1_epi8(0x7f)));
        *p = (uint32_t)_mm_movemask_epi8(print) & ~(*l | *d);
        return;
    }
    __m128i sym = _mm_setzero_si128();
    for (int j = 0; j < sy->n; j++)
        sym = _mm_or_si128(sym, _mm_cmpeq_epi8(x, _mm_set1_epi8((char)sy->c[j])));
    *p = (uint32_t)_mm_movemask_epi8(sym);
}
#endif

/* The masks of s[0..n), n <= 64; the bytes past n count as none of the classes. */
static inline block_masks masks_of(const unsigned char *s, size_t n, const symbol_list *sy, bool lines)
{
    block_masks m = {0, 0, 0, 0};
    (void)sy; /* the SSE2 lanes read them; the byte loop below does without */
    (void)lines;
#if defined(__SSE2__)
    if (n == 64) {
        for (int q = 0; q < 4; q++) {
            uint32_t l, d, p, nl = 0;
            lane_masks(_mm_loadu_si128((const __m128i *)(const void *)(s + 16 * q)), sy, lines, &l, &d, &p, &nl);
            m.letters |= (uint64_t)l << (16 * q);
            m.digits |= (uint64_t)d << (16 * q);
            m.symbols |= (uint64_t)p << (16 * q);
            m.newlines |= (uint64_t)nl << (16 * q);
        }
        return m;
    }
#endif
    for (size_t b = 0; b < n; b++) {
        unsigned char c = s[b];
        uint8_t k = CLASS[c];
        if (c == '\n')
            m.newlines |= 1ULL << b;
        if (k == C_LETTER)
            m.letters |= 1ULL << b;
        else if (k == C_DIGIT)
            m.digits |= 1ULL << b;
        else if (c > ' ' && c < 127)
            m.symbols |= 1ULL << b; /* all punctuation: the caller looks each up */
    }
    return m;
}

/* Bit L: a prefix trigger of L letters may begin the word of n letters (L <= n) whose first
   letters are packed in k (pack_text() of min(n, 8) of them).  One table read, its index the
   key's first three bytes' low bits, where reading the word's letters asked for its length
   twice, a branch that mispredicts on the one- and two-letter words ("a", "of") a text is
   full of, and a table of coordinates (0-25, 26 for none) cost three more reads a word. */
static inline uint64_t prefix_lengths(const trigger_set *t, uint64_t k, size_t n)
{
    /* a lower-case letter's low five bits are 1-26, and a zero byte past the word is 0 */
    unsigned cell = t->prefix_at[(k & 0x1f) << 10 | (k >> 3 & 0x3e0) | (k >> 16 & 0x1f)];
    if (!cell)
        return 0;
    uint64_t lens = (uint64_t)(cell & 0x7f) << 1 | (cell & 0x80 ? t->prefix_lens & ~0xffULL : 0);
    return n >= 63 ? lens : lens & ((2ULL << n) - 1);
}

/* The hits of the word (a run of ASCII letters) at s[start..i), in a text of len bytes. */
static inline void scan_word(const trigger_set *t, const unsigned char *s, size_t start, size_t i, size_t len,
                             trigger_hits *out)
{
    size_t n = i - start, m = n < TRIGGER_MAX_WORD ? n : TRIGGER_MAX_WORD;
    uint64_t key = pack_text(s + start, n < SHORT_MAX ? n : SHORT_MAX, len - start);
    uint64_t lens = prefix_lengths(t, key, n); /* of the prefixes to look up */
    if (n <= SHORT_MAX && t->shorts) {
        for (; lens; lens &= lens - 1)
            push_tag(out, start, short_lookup(t, prefix_key(key, (size_t)__builtin_ctzll(lens))));
        push_tag(out, start, short_lookup(t, key));
        return;
    }
    if (n <= 2 * SHORT_MAX && t->mids) {
        /* the same lookups as below, in the same order, on two packed keys */
        uint64_t k1 = key;
        uint64_t k2 = pack_text(s + start + SHORT_MAX, n - SHORT_MAX, len - start - SHORT_MAX);
        for (; lens; lens &= lens - 1) {
            size_t j = (size_t)__builtin_ctzll(lens);
            if (j <= SHORT_MAX)
                push_tag(out, start, short_lookup(t, prefix_key(k1, j)));
            else
                push_tag(out, start, mid_lookup(t, k1, prefix_key(k2, j - SHORT_MAX)));
        }
        push_tag(out, start, mid_lookup(t, k1, k2));
        return;
    }
    if (n > TRIGGER_MAX_WORD && !lens)
        return;
    char lower[TRIGGER_MAX_WORD];
    uint64_t h = SEED;
    for (size_t j = 0; j < m; j++) {
        unsigned char l = s[start + j] | 0x20; /* ASCII letters only here */
        lower[j] = (char)l;
        h = step(h, l);
        if (lens & (1ULL << (j + 1))) {
            const entry *e = lookup(t, slot_hash(h, true), lower, j + 1);
            if (e && e->prefix)
                push_entry(out, start, e);
        }
    }
    if (n <= TRIGGER_MAX_WORD) {
        const entry *e = lookup(t, slot_hash(h, false), lower, n);
        if (e && !e->prefix)
            push_entry(out, start, e);
    }
}

/* The hits of the run of digits at s[start..i), in a text of len bytes. */
static inline void scan_number(const trigger_set *t, const unsigned char *s, size_t start, size_t i, size_t len,
                               trigger_hits *out)
{
    size_t l = i - start <= 9 ? i - start : 0;
    const char *sep = i < len && s[i] ? strchr(NUMBER_SEPS, s[i]) : NULL;
    int after = sep ? (int)(sep - NUMBER_SEPS) + 1 : 0;
    push_entry(out, start, &t->number[0][0]);
    if (after)
        push_entry(out, start, &t->number[0][after]);
    if (l) {
        push_entry(out, start, &t->number[l][0]);
        if (after)
            push_entry(out, start, &t->number[l][after]);
    }
}

/*
 * The text is read 64 bytes at a time as three masks (letters, digits, punctuation), and only
 * the bytes where a token starts are visited: a run of letters or of digits, or a punctuation
 * byte that is a symbol trigger.  The spaces between words, a sixth of a text, cost no branch.
 */
void trigger_scan(const trigger_set *t, const char *text, size_t len, trigger_hits *out)
{
    out->n = 0;
    const unsigned char *s = (const unsigned char *)text;
    if (len > UINT32_MAX)
        len = UINT32_MAX; /* hits hold 32-bit offsets */
    const symbol_list *sy = &t->few_symbols;
    bool lines = t->lines;
    uint64_t last_letter = 0, last_digit = 0; /* the byte before the block, as bit 0 */
    uint64_t last_newline = 1;                /* the text's start begins a line */
    for (size_t base = 0; base < len; base += 64) {
        size_t n = len - base < 64 ? len - base : 64;
        block_masks m = masks_of(s + base, n, sy, lines);
        uint64_t starts = (m.letters & ~(m.letters << 1 | last_letter)) | (m.digits & ~(m.digits << 1 | last_digit));
        /* the tokens that begin a line: after a newline, or the text's first */
        uint64_t line_starts = lines ? starts & (m.newlines << 1 | last_newline) : 0;
        last_letter = m.letters >> 63;
        last_digit = m.digits >> 63;
        last_newline = m.newlines >> 63;
        uint64_t todo = starts | (sy->n ? m.symbols : 0);
        while (todo) {
            size_t b = (size_t)__builtin_ctzll(todo), i = base + b;
            todo &= todo - 1;
            if (!((starts >> b) & 1)) {
                unsigned char c = s[i]; /* punctuation */
                if (t->is_symbol[c])
                    push_entry(out, i, &t->symbol[c]);
                continue;
            }
            if ((line_starts >> b) & 1)
                push_entry(out, i, &t->line);
            size_t e;
            if ((m.digits >> b) & 1) {
                e = i + 1;
                while (e < len && CLASS[s[e]] == C_DIGIT)
                    e++;
                scan_number(t, s, i, e, len, out);
            } else {
                uint64_t rest = ~(m.letters >> b);
                e = rest ? i + (size_t)__builtin_ctzll(rest) : 0;
                if (!rest || e >= base + 64)
                    e = letters_end(s, base + 64 < len ? base + 64 : len, len);
                scan_word(t, s, i, e, len, out);
            }
        }
    }
}

void trigger_hits_finish(trigger_hits *h)
{
    free(h->v);
    h->v = NULL;
    h->n = h->cap = 0;
}

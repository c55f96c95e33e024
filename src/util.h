/*
 * util: memory, errors, growable strings, arenas and UTF-8 helpers shared by every stage.
 *
 * Ownership: x* allocators abort on out-of-memory (printing the size), so their results are
 * never NULL and callers free them with free().  A strbuf owns its buffer until sb_finish()
 * hands it to the caller.  Memory taken from an arena belongs to the arena and is released
 * all at once by arena_reset() or arena_free(); never free() it.
 */
#ifndef EVENTCAL_UTIL_H
#define EVENTCAL_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__GNUC__)
#define EC_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define EC_PRINTF(a, b)
#endif

/* Error kinds; main.c maps them to exit statuses (see eventcal(1)). */
typedef enum ec_code {
    EC_OK = 0,
    EC_ERR_INPUT, /* an article could not be read: bad bytes, bad JSON, missing file */
    EC_ERR_IO,    /* an output could not be written */
    EC_ERR_RULES, /* a rules file is wrong */
    EC_ERR_USAGE, /* bad option or argument value */
    EC_ERR_LIMIT, /* a documented size cap was hit */
} ec_code;

/*
 * An error as a value: where (file, line, column or byte offset) and what.  Functions that can
 * fail take an `ec_error *` last; it may be NULL.  Only the first error is kept, so a caller
 * that tries several things reports the root cause.
 */
typedef struct ec_error {
    ec_code code;
    char file[256];
    long line;   /* 1-based; 0 when not applicable */
    long col;    /* 1-based; 0 when not applicable */
    long offset; /* byte offset; -1 when not applicable */
    char text[512];
} ec_error;

void ec_error_clear(ec_error *err);
/* Records an error unless one is already set.  Always returns false so callers can write
 * `return ec_fail(...)`.  `file` may be NULL. */
bool ec_fail(ec_error *err, ec_code code, const char *file, long line, long col, const char *fmt, ...)
    EC_PRINTF(6, 7);
bool ec_fail_at(ec_error *err, ec_code code, const char *file, long offset, const char *fmt, ...)
    EC_PRINTF(5, 6);
/* Formats `err` git-style ("file:line:col: text") into buf. */
void ec_error_format(const ec_error *err, char *buf, size_t size);

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);           /* NULL in, NULL out */
char *xstrndup(const char *s, size_t n); /* copies at most n bytes and terminates */
char *xasprintf(const char *fmt, ...) EC_PRINTF(1, 2);
/* Copies src into dst[size] (size > 0), cut short to fit and always terminated; returns
   strlen(src), so a result >= size tells the caller it was cut.  For fixed fields such as a
   timex value, where snprintf("%s") makes optimising compilers warn about truncation. */
size_t str_copy(char *dst, size_t size, const char *src);
/* *p, which the caller now owns; *p becomes NULL (moving a field from one struct to another). */
static inline char *str_take(char **p)
{
    char *s = *p;
    *p = NULL;
    return s;
}

/* A growable NUL-terminated byte string. */
typedef struct strbuf {
    char *s;
    size_t len, cap;
} strbuf;

void sb_init(strbuf *sb);
void sb_finish(strbuf *sb); /* frees the buffer; sb may be reused after sb_init() */
void sb_reset(strbuf *sb);  /* empties without freeing */
void sb_grow(strbuf *sb, size_t extra);
void sb_add(strbuf *sb, const char *s, size_t n);
void sb_adds(strbuf *sb, const char *s);
/* Inline: text is built a byte at a time (the HTML reader), and the call cost more than the byte. */
static inline void sb_addc(strbuf *sb, char c)
{
    if (sb->len + 2 > sb->cap)
        sb_grow(sb, 1);
    sb->s[sb->len++] = c;
    sb->s[sb->len] = '\0';
}
void sb_printf(strbuf *sb, const char *fmt, ...) EC_PRINTF(2, 3);
/* Hands the buffer to the caller (free() it) and leaves sb empty. Never NULL. */
char *sb_steal(strbuf *sb);

/* A bump allocator for per-article data. */
typedef struct arena arena;
arena *arena_new(size_t block_size);
void arena_free(arena *a); /* NULL is a no-op */
void arena_reset(arena *a); /* keeps the first block, drops the rest */
void *arena_alloc(arena *a, size_t n); /* 16-byte aligned, zeroed */
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_printf(arena *a, const char *fmt, ...) EC_PRINTF(2, 3);
/*
 * Makes room for one more element in an array that lives in the arena: when count has reached
 * *cap, doubles it and returns where it now is (in place when nothing was allocated after it,
 * else a copy; an old copy stays in the arena until it is reset); otherwise returns items.
 * The array must have been taken as *cap elements of `size` bytes.  Pointers into the old
 * array must be rebased.  The elements past count are not cleared: the callers write each
 * whole element as they add it, and arrays of big elements (a rule match is 800 bytes) cost
 * 3% of a corpus run to clear.
 */
void *arena_grow(arena *a, void *items, size_t count, size_t *cap, size_t size);

/*
 * UTF-8.  utf8_valid_prefix() returns the length of the longest valid prefix, rejecting
 * overlong forms, surrogates and code points above U+10FFFF.  utf8_sanitize() returns a new
 * string (caller frees) where each invalid byte is replaced by U+FFFD and NUL and other C0
 * controls except tab, LF and CR by a space, so later stages can rely on clean text.
 */
size_t utf8_valid_prefix(const char *s, size_t n);
char *utf8_sanitize(const char *s, size_t n, size_t *out_len, size_t *n_replaced);
/* The length of the UTF-8 byte-order mark s starts with: 3, or 0 when it has none.  Editors
   on Windows write one before text, JSON and calendars alike. */
static inline size_t utf8_bom_len(const char *s, size_t n)
{
    return n >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB && (unsigned char)s[2] == 0xBF ? 3 : 0;
}
/* The length of the possessive s[0..left) starts with: 2 for "'s", 4 for "’s" (either case), else 0
   ("Saturday's march", "Kenya’s parliament"). */
static inline size_t possessive_len(const char *s, size_t left)
{
    if (left >= 2 && s[0] == '\'' && (s[1] == 's' || s[1] == 'S'))
        return 2;
    if (left >= 4 && (unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x80 && (unsigned char)s[2] == 0x99 &&
        (s[3] == 's' || s[3] == 'S'))
        return 4;
    return 0;
}
/* Decodes one code point at s (which must be valid UTF-8); returns its length. */
int utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);
void sb_add_utf8(strbuf *sb, uint32_t cp);

/* ASCII helpers that ignore the locale (inline: every stage calls them per byte). */
static inline bool ascii_isspace(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
static inline bool ascii_isalpha(int c)
{
    return (unsigned)((c | 0x20) - 'a') < 26u;
}
static inline bool ascii_isdigit(int c)
{
    return (unsigned)(c - '0') < 10u;
}
static inline bool ascii_isalnum(int c)
{
    return ascii_isalpha(c) || ascii_isdigit(c);
}
static inline int ascii_tolower(int c)
{
    return (unsigned)(c - 'A') < 26u ? c + 32 : c;
}
bool ascii_strcaseeq(const char *a, const char *b);
bool ascii_strncaseeq(const char *a, const char *b, size_t n);
/* Case-insensitive search; returns a pointer into hay or NULL. */
const char *ascii_strcasestr(const char *hay, const char *needle);
/* True if text[from..to) is white space and at most one run of ASCII letters, of at most
   max_word of them ("to", "on"): two expressions that stand side by side. */
bool ascii_one_short_word(const char *text, size_t from, size_t to, size_t max_word);
/* The run of ASCII letters that ends before text[at], past white space, not before lo:
   [*b, *e), empty (*b == *e) if none. */
void ascii_word_before(const char *text, size_t lo, size_t at, size_t *b, size_t *e);
/* The run of ASCII letters that starts at text[at], past white space, before hi: [*b, *e),
   empty (*b == *e) if none. */
void ascii_word_after(const char *text, size_t at, size_t hi, size_t *b, size_t *e);

/*
 * Binary search in an array sorted by a size_t field: the index of the first of the n elements
 * (each `size` bytes, the field `off` bytes in, as offsetof gives) whose field is at least key,
 * or n.  Dates, places and cues are all kept in text order and searched so (trigger hits, whose
 * offsets are 32-bit, by first_hit() in rules.c).
 */
static inline size_t lower_bound_by(const void *base, size_t n, size_t size, size_t off, size_t key)
{
    /* inline: the callers' constant size and offset make the search a few instructions (it
       runs for every word read for a tense and every window a rule is tried in) */
    const char *b = base;
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        size_t v;
        memcpy(&v, b + mid * size + off, sizeof v);
        if (v < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Nanoseconds on the monotonic clock, for durations (--stats). */
uint64_t mono_ns(void);

/*
 * Sets the process's heap up for a run: a few MB at its top, taken from the kernel at once and
 * marked for transparent huge pages where the kernel offers them (madvise mode, Debian's
 * default), and kept rather than given back between articles.  Call first thing in main(),
 * before threads start; without glibc or THP it does what it can and nothing else.
 */
void heap_prepare(void);

/* The number of processors online, at least 1. */
int cpu_count(void);

/*
 * The names in directory `dir`, "." and ".." and hidden ones (a leading '.') left out, sorted
 * bytewise.  Returns an array of *n names that the caller frees with str_list_free(), or NULL
 * with errno set when the directory cannot be read.
 */
char **dir_names(const char *dir, size_t *n);
void str_list_free(char **v, size_t n);

/* 64-bit FNV-1a, for stable identifiers. */
uint64_t hash64(const void *data, size_t n, uint64_t seed);
/* hash64() a byte at a time, for a key that is built as it is hashed: hash64_final(
   hash64_step(...hash64_step(hash64_start(seed), b0)..., bn)) == hash64(b, n, seed). */
static inline uint64_t hash64_start(uint64_t seed)
{
    return 0xcbf29ce484222325ULL ^ seed;
}
static inline uint64_t hash64_step(uint64_t h, unsigned char b)
{
    return (h ^ b) * 0x100000001b3ULL;
}
static inline uint64_t hash64_final(uint64_t h)
{
    /* an avalanche, so short keys spread over all 64 bits */
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

/*
 * A set of strings, each with a number (a line, an index): open addressing over hash64, so a
 * lookup costs the same with a hundred thousand strings as with ten, where a walk over a list
 * makes N lookups cost N squared.  Zero-initialise it ({0}); strset_free() releases it.
 *
 * Ownership: the set borrows its strings; they must stay unchanged while it lives.
 */
typedef struct strset_slot {
    const char *s; /* NULL: empty */
    uint64_t h;
    size_t value;
} strset_slot;

typedef struct strset {
    strset_slot *slots;
    size_t cap, n; /* cap is 0 or a power of two, at most half full */
} strset;

void strset_free(strset *set); /* frees the table, not the strings; the set may be reused */
/* Adds s with value unless s is in the set already.  Returns where the value of s is kept (the
   new one, or the one s had), valid until the next add; *added (may be NULL) says which. */
size_t *strset_add(strset *set, const char *s, size_t value, bool *added);
/* The value of s, or NULL when s is not in the set. */
const size_t *strset_find(const strset *set, const char *s);

/*
 * Reads a whole file (or stdin for "-") into a new NUL-terminated buffer (caller frees).
 * Refuses directories and inputs larger than max_bytes with a clear error.
 */
char *read_file_all(const char *path, size_t max_bytes, size_t *len, ec_error *err);

/*
 * Writes data to path atomically: a temporary file in the same directory, fsync, rename.
 * On any failure the temporary is removed and an existing file at path is left untouched.
 * A symbolic link is followed (its target is replaced, the link stays), and a file replaced
 * keeps its permission bits; a new one gets 0666 less the umask.
 */
bool write_file_atomic(const char *path, const char *data, size_t len, ec_error *err);

/*
 * write_file_atomic() in two steps, for outputs that must change together: file_stage()
 * writes, syncs and closes the temporary file (NULL with err set on failure: nothing is left);
 * file_commit() renames it into place, file_abort() removes it.  Either frees the handle.
 */
typedef struct staged_file staged_file;
staged_file *file_stage(const char *path, const char *data, size_t len, ec_error *err);
bool file_commit(staged_file *f, ec_error *err);
void file_abort(staged_file *f);
/* Removes every staged file not yet committed or aborted; async-signal-safe, for a handler of
   a signal that ends the run (nothing else may use the staging functions after it). */
void file_stage_unlink_all(void);

#endif

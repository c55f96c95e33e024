#include "util.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <limits.h>
#include <unistd.h>

void ec_error_clear(ec_error *err)
{
    if (!err)
        return;
    memset(err, 0, sizeof *err);
    err->offset = -1;
}

static void ec_vset(ec_error *err, ec_code code, const char *file, long line, long col, long offset,
                    const char *fmt, va_list ap) EC_PRINTF(7, 0);
static void ec_vset(ec_error *err, ec_code code, const char *file, long line, long col, long offset,
                    const char *fmt, va_list ap)
{
    if (!err || err->code != EC_OK)
        return; /* keep the first error: it is the root cause */
    err->code = code;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    err->col = col;
    err->offset = offset;
    vsnprintf(err->text, sizeof err->text, fmt, ap);
}

bool ec_fail(ec_error *err, ec_code code, const char *file, long line, long col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ec_vset(err, code, file, line, col, -1, fmt, ap);
    va_end(ap);
    return false;
}

bool ec_fail_at(ec_error *err, ec_code code, const char *file, long offset, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ec_vset(err, code, file, 0, 0, offset, fmt, ap);
    va_end(ap);
    return false;
}

void ec_error_format(const ec_error *err, char *buf, size_t size)
{
    if (!err->file[0])
        snprintf(buf, size, "%s", err->text);
    else if (err->line > 0 && err->col > 0)
        snprintf(buf, size, "%s:%ld:%ld: %s", err->file, err->line, err->col, err->text);
    else if (err->line > 0)
        snprintf(buf, size, "%s:%ld: %s", err->file, err->line, err->text);
    else if (err->offset >= 0)
        snprintf(buf, size, "%s: byte %ld: %s", err->file, err->offset, err->text);
    else
        snprintf(buf, size, "%s: %s", err->file, err->text);
}

static void oom(size_t n)
{
    fprintf(stderr, "eventcal: out of memory allocating %zu bytes\n", n);
    abort();
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom(n);
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom(n * size);
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom(n);
    return q;
}

char *xstrdup(const char *s)
{
    return s ? xstrndup(s, strlen(s)) : NULL;
}

char *xstrndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *p = xmalloc(len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

size_t str_copy(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);
    size_t k = n < size ? n : size - 1;
    memcpy(dst, src, k);
    dst[k] = '\0';
    return n;
}

char *xasprintf(const char *fmt, ...)
{
    strbuf sb;
    sb_init(&sb);
    va_list ap;
    va_start(ap, fmt);
    char tmp[256];
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    if (n >= 0 && (size_t)n < sizeof tmp) {
        sb_add(&sb, tmp, (size_t)n);
    } else if (n >= 0) {
        sb_grow(&sb, (size_t)n + 1);
        vsnprintf(sb.s, (size_t)n + 1, fmt, ap2);
        sb.len = (size_t)n;
    }
    va_end(ap2);
    va_end(ap);
    return sb_steal(&sb);
}

void sb_init(strbuf *sb)
{
    sb->s = NULL;
    sb->len = sb->cap = 0;
}

void sb_finish(strbuf *sb)
{
    free(sb->s);
    sb_init(sb);
}

void sb_reset(strbuf *sb)
{
    sb->len = 0;
    if (sb->s)
        sb->s[0] = '\0';
}

void sb_grow(strbuf *sb, size_t extra)
{
    if (sb->len + extra + 1 <= sb->cap)
        return;
    size_t cap = sb->cap ? sb->cap : 64;
    while (cap < sb->len + extra + 1)
        cap *= 2;
    sb->s = xrealloc(sb->s, cap);
    sb->cap = cap;
    /* a fresh buffer is terminated too, so sb_grow(sb, 0) gives an empty string, not garbage */
    sb->s[sb->len] = '\0';
}

void sb_add(strbuf *sb, const char *s, size_t n)
{
    sb_grow(sb, n);
    memcpy(sb->s + sb->len, s, n);
    sb->len += n;
    sb->s[sb->len] = '\0';
}

void sb_adds(strbuf *sb, const char *s)
{
    sb_add(sb, s, strlen(s));
}

void sb_printf(strbuf *sb, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    sb_grow(sb, 64);
    int n = vsnprintf(sb->s + sb->len, sb->cap - sb->len, fmt, ap);
    if (n >= 0 && sb->len + (size_t)n + 1 > sb->cap) {
        sb_grow(sb, (size_t)n);
        vsnprintf(sb->s + sb->len, sb->cap - sb->len, fmt, ap2);
    }
    if (n > 0)
        sb->len += (size_t)n;
    va_end(ap2);
    va_end(ap);
}

char *sb_steal(strbuf *sb)
{
    if (!sb->s)
        sb_grow(sb, 0);
    sb->s[sb->len] = '\0';
    char *s = sb->s;
    sb_init(sb);
    return s;
}

/* Arena: a list of blocks; big requests get a block of their own. */
struct arena_block {
    struct arena_block *next;
    size_t used, size;
    _Alignas(16) unsigned char data[];
};

struct arena {
    struct arena_block *head;
    size_t block_size;
};

static struct arena_block *arena_block_new(size_t size)
{
    struct arena_block *b = xmalloc(sizeof *b + size);
    b->next = NULL;
    b->used = 0;
    b->size = size;
    return b;
}

arena *arena_new(size_t block_size)
{
    arena *a = xmalloc(sizeof *a);
    a->block_size = block_size ? block_size : 64 * 1024;
    a->head = arena_block_new(a->block_size);
    return a;
}

void arena_free(arena *a)
{
    if (!a)
        return;
    struct arena_block *b = a->head;
    while (b) {
        struct arena_block *n = b->next;
        free(b);
        b = n;
    }
    free(a);
}

void arena_reset(arena *a)
{
    /* keep the oldest block (the tail) so a steady stream of small articles never mallocs */
    struct arena_block *b = a->head;
    while (b && b->next) {
        struct arena_block *n = b->next;
        free(b);
        b = n;
    }
    a->head = b;
    a->head->used = 0;
}

/* n bytes, 16-aligned, not cleared. */
static void *arena_take(arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    struct arena_block *b = a->head;
    if (b->used + n > b->size) {
        size_t size = n > a->block_size ? n : a->block_size;
        struct arena_block *nb = arena_block_new(size);
        /* push in front: the first block stays at the tail, which arena_reset() keeps */
        nb->next = a->head;
        a->head = nb;
        b = nb;
    }
    void *p = b->data + b->used;
    b->used += n;
    return p;
}

void *arena_alloc(arena *a, size_t n)
{
    void *p = arena_take(a, n);
    memset(p, 0, n);
    return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void *arena_grow(arena *a, void *items, size_t count, size_t *cap, size_t size)
{
    if (count < *cap)
        return items;
    size_t ncap = *cap ? *cap * 2 : 16;
    size_t old_bytes = (*cap * size + 15) & ~(size_t)15, new_bytes = (ncap * size + 15) & ~(size_t)15;
    unsigned char *p = items;
    /* Grown where it lies when nothing was taken after it, so a big array does not leave
       every smaller copy of itself behind (an article of a million dates kept twice their
       size): at the top of the current block, if the block has room ... */
    struct arena_block *b = a->head;
    if (p && p + old_bytes == b->data + b->used && b->used - old_bytes + new_bytes <= b->size) {
        b->used += new_bytes - old_bytes;
        *cap = ncap;
        return p;
    }
    /* ... or alone in a block of its own, which realloc() can grow without copying (not the
       oldest block, which arena_reset() keeps for the next article) */
    struct arena_block **link = &a->head;
    while (p && *link && (*link)->data != p)
        link = &(*link)->next;
    if (p && *link && (*link)->used == old_bytes && (*link)->next) {
        struct arena_block *nb = xrealloc(*link, sizeof *nb + new_bytes);
        nb->size = nb->used = new_bytes;
        *link = nb;
        *cap = ncap;
        return nb->data;
    }
    /* else a new copy */
    char *bigger = arena_take(a, ncap * size);
    if (count)
        memcpy(bigger, items, count * size);
    *cap = ncap;
    return bigger;
}

char *arena_printf(arena *a, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    char *p = arena_alloc(a, n > 0 ? (size_t)n + 1 : 1);
    if (n > 0)
        vsnprintf(p, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    va_end(ap);
    return p;
}

/* Length of the valid UTF-8 sequence at s, or 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    if (c < 0xC2)
        return 0; /* continuation byte or overlong 2-byte lead */
    if (c < 0xE0) {
        return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
    }
    if (c < 0xF0) {
        if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
            return 0;
        if (c == 0xE0 && s[1] < 0xA0)
            return 0; /* overlong */
        if (c == 0xED && s[1] >= 0xA0)
            return 0; /* surrogate */
        return 3;
    }
    if (c < 0xF5) {
        if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
            return 0;
        if (c == 0xF0 && s[1] < 0x90)
            return 0; /* overlong */
        if (c == 0xF4 && s[1] >= 0x90)
            return 0; /* above U+10FFFF */
        return 4;
    }
    return 0;
}

size_t utf8_valid_prefix(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        /* eight ASCII bytes at a time: most text, and all markup */
        while (i + 8 <= n) {
            uint64_t x;
            memcpy(&x, p + i, 8);
            if (x & 0x8080808080808080ULL)
                break;
            i += 8;
        }
        if (i >= n)
            break;
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        size_t k = utf8_seq(p + i, n - i);
        if (!k)
            return i;
        i += k;
    }
    return n;
}

char *utf8_sanitize(const char *s, size_t n, size_t *out_len, size_t *n_replaced)
{
    /* bytes copied as they are: printable ASCII, tab, LF, CR */
    static const uint8_t plain[256] = {
        ['\t'] = 1, ['\n'] = 1, ['\r'] = 1,
        [32] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        [64] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        [96] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
    };
    const unsigned char *p = (const unsigned char *)s;
    /* the output is as long as the input except where one bad byte becomes U+FFFD (3 bytes) */
    size_t cap = n + 16, len = 0, bad = 0, i = 0;
    char *out = xmalloc(cap);
    const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
    while (i < n) {
        size_t j = i;
        for (;;) {
#if defined(__SSE2__)
            /* sixteen bytes at a time while none is non-ASCII or a control (both below a
               space as signed chars) or DEL */
            while (j + 16 <= n) {
                __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + j));
                __m128i special = _mm_or_si128(_mm_cmplt_epi8(x, _mm_set1_epi8(0x20)),
                                               _mm_cmpeq_epi8(x, _mm_set1_epi8(0x7f)));
                unsigned m = (unsigned)_mm_movemask_epi8(special);
                if (m) {
                    j += (size_t)__builtin_ctz(m);
                    break;
                }
                j += 16;
            }
#endif
            /* eight bytes at a time while none is non-ASCII, a control or DEL (the tests may
               flag a plain byte after a special one, never miss one: then byte by byte) */
            while (j + 8 <= n) {
                uint64_t x;
                memcpy(&x, p + j, 8);
                uint64_t del = x ^ (ones * 0x7F);
                if (((x | ((x - ones * 0x20) & ~x) | ((del - ones) & ~del)) & high) != 0)
                    break;
                j += 8;
            }
            if (j < n && plain[p[j]]) {
                j++;
                continue;
            }
            break;
        }
        memcpy(out + len, s + i, j - i);
        len += j - i;
        i = j;
        if (i >= n)
            break;
        unsigned c = p[i];
        if (c < 0x80) {
            /* NUL and other controls become spaces, so later stages can rely on clean text */
            out[len++] = ' ';
            bad += c == 0;
            i++;
            continue;
        }
        size_t k = utf8_seq(p + i, n - i);
        if (!k) {
            if (len + 3 + (n - i) > cap) {
                cap = (len + 3 + (n - i)) * 2;
                out = xrealloc(out, cap);
            }
            memcpy(out + len, "\xEF\xBF\xBD", 3);
            len += 3;
            bad++;
            i++;
            continue;
        }
        memcpy(out + len, s + i, k);
        len += k;
        i += k;
    }
    out[len] = '\0';
    if (out_len)
        *out_len = len;
    if (n_replaced)
        *n_replaced = bad;
    return out;
}

int utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (n == 0) {
        *cp = 0;
        return 0;
    }
    unsigned c = s[0];
    if (c < 0x80 || n < 2) {
        *cp = c;
        return 1;
    }
    if (c < 0xE0) {
        *cp = ((c & 0x1Fu) << 6) | (s[1] & 0x3Fu);
        return 2;
    }
    if (c < 0xF0 || n < 4) {
        if (n < 3) {
            *cp = c;
            return 1;
        }
        *cp = ((c & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
        return 3;
    }
    *cp = ((c & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu);
    return 4;
}

void sb_add_utf8(strbuf *sb, uint32_t cp)
{
    char b[4];
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    if (cp < 0x80) {
        sb_addc(sb, (char)cp);
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        sb_add(sb, b, 2);
    } else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        sb_add(sb, b, 3);
    } else {
        b[0] = (char)(0xF0 | (cp >> 18));
        b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (char)(0x80 | (cp & 0x3F));
        sb_add(sb, b, 4);
    }
}


bool ascii_strcaseeq(const char *a, const char *b)
{
    while (*a && *b) {
        if (ascii_tolower((unsigned char)*a) != ascii_tolower((unsigned char)*b))
            return false;
        a++;
        b++;
    }
    return *a == *b;
}

bool ascii_strncaseeq(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (ascii_tolower((unsigned char)a[i]) != ascii_tolower((unsigned char)b[i]))
            return false;
        if (!a[i])
            return true;
    }
    return true;
}

void ascii_word_before(const char *text, size_t lo, size_t at, size_t *b, size_t *e)
{
    size_t p = at;
    while (p > lo && ascii_isspace((unsigned char)text[p - 1]))
        p--;
    *e = p;
    while (p > lo && ascii_isalpha((unsigned char)text[p - 1]))
        p--;
    *b = p;
}

void ascii_word_after(const char *text, size_t at, size_t hi, size_t *b, size_t *e)
{
    size_t p = at;
    while (p < hi && ascii_isspace((unsigned char)text[p]))
        p++;
    *b = p;
    while (p < hi && ascii_isalpha((unsigned char)text[p]))
        p++;
    *e = p;
}

bool ascii_one_short_word(const char *text, size_t from, size_t to, size_t max_word)
{
    size_t p = from, words = 0;
    while (p < to) {
        if (ascii_isspace((unsigned char)text[p])) {
            p++;
            continue;
        }
        size_t w = p;
        while (p < to && ascii_isalpha((unsigned char)text[p]))
            p++;
        if (p == w || p - w > max_word || ++words > 1)
            return false;
    }
    return true;
}

const char *ascii_strcasestr(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    if (!n)
        return hay;
    for (; *hay; hay++)
        if (ascii_strncaseeq(hay, needle, n))
            return hay;
    return NULL;
}

uint64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/*
 * A run's heap grows by ten MB or so in pages of 4 KB, each a page fault when first written:
 * 700 faults before the first article (loading the rules) and 2,800 over the benchmark's
 * corpus, a tenth of its time on a virtual machine, where a fault costs several
 * microseconds.  Memory marked for huge pages faults in 2 MB at a time.  glibc does so itself
 * with GLIBC_TUNABLES=glibc.malloc.hugetlb=1, which a program cannot set for itself; so here
 * the first HEAP_HUGE bytes of the heap are allocated from its top (brk, not mmap: the
 * thresholds below), marked, and freed, and the thresholds keep them from going back to the
 * kernel, so that the mallocs that follow carve them up.  Measured side by side (with the lead
 * held, below): start-up 19.0 -> 10.1 ms, page faults 2,838 -> 929 over the corpus and 705 ->
 * 192-197 for an empty run, whose peak RSS is 6.1 -> about 8 MB (a huge page is resident whole
 * once touched).
 */
enum { HEAP_HUGE = 8 << 20, HUGE_PAGE = 2 << 20 };
/* the heap up to the first huge page, held (heap_prepare()); volatile, or the compiler drops a
   store nothing reads, and leak checkers call the block lost */
static void *volatile heap_lead;

void heap_prepare(void)
{
#if defined(__GLIBC__) && defined(M_TOP_PAD) && defined(M_MMAP_THRESHOLD) && defined(M_TRIM_THRESHOLD)
    /* JIT-compiling a rule takes and frees a few hundred KB at the top of the heap, and glibc
       gave them back to the kernel each time (640 brk calls in a start-up that JIT-compiles
       every rule, a tenth of its time, with the page faults that follow); a little slack at
       the top keeps them */
    mallopt(M_TOP_PAD, 1 << 20);
    /* MALLOC_PERTURB_ (meson test sets it) has glibc fill what it hands out and frees: the
       block would be written whole, twice, for nothing */
    if (getenv("MALLOC_PERTURB_"))
        return;
    /* the block below from the heap; free memory at its top kept up to 32 MB (both fixed
       thresholds, where glibc would move them as large blocks come and go; this applies to
       the worker threads' arenas too).  A glibc that refuses the threshold (32-bit: at most
       32 MB in all) would map the block apart from the heap: then none of this */
    if (!mallopt(M_MMAP_THRESHOLD, 2 * HEAP_HUGE) || !mallopt(M_TRIM_THRESHOLD, 4 * HEAP_HUGE))
        return;
#if defined(MADV_HUGEPAGE)
    char *p = malloc(HEAP_HUGE + HUGE_PAGE);
    if (!p)
        return;
    /* A huge page must lie whole in the marked memory, and the heap's start falls anywhere in
       one: the lead up to the next boundary stays allocated, never written (one 4 KB page of
       it, its header), so that what the heap hands out next starts on a boundary.  Without it
       an empty run took 285 to 600 faults, as the layout fell. */
    uintptr_t a = ((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
    uintptr_t e = ((uintptr_t)p + HEAP_HUGE + HUGE_PAGE) & ~(uintptr_t)(HUGE_PAGE - 1);
    (void)madvise((void *)a, e - a, MADV_HUGEPAGE); /* advice: refused, the run is as before */
    size_t n = (size_t)(a - (uintptr_t)p);
    /* shrinking in place gives the rest back to the top, where it came from */
    char *q = n >= 64 ? realloc(p, n - 32) : NULL;
    if (q)
        heap_lead = q; /* kept, and reachable: no leak */
    else
        free(p);
#endif
#endif
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char **dir_names(const char *dir, size_t *n)
{
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    char **names = NULL;
    size_t count = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (count == cap) {
            cap = cap ? cap * 2 : 16;
            names = xrealloc(names, cap * sizeof *names);
        }
        names[count++] = xstrdup(e->d_name);
    }
    closedir(d);
    if (count)
        qsort(names, count, sizeof *names, cmp_name);
    *n = count;
    return names ? names : xcalloc(1, sizeof *names);
}

void str_list_free(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

int cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > INT_MAX ? INT_MAX : (int)n;
}

uint64_t hash64(const void *data, size_t n, uint64_t seed)
{
    const unsigned char *p = data;
    uint64_t h = hash64_start(seed);
    for (size_t i = 0; i < n; i++)
        h = hash64_step(h, p[i]);
    return hash64_final(h);
}

/* The slot of s (hash h): where it is, or the empty slot where it would go. */
static strset_slot *strset_slot_of(const strset *set, const char *s, uint64_t h)
{
    size_t i = (size_t)h & (set->cap - 1);
    while (set->slots[i].s && (set->slots[i].h != h || strcmp(set->slots[i].s, s) != 0))
        i = (i + 1) & (set->cap - 1);
    return &set->slots[i];
}

void strset_free(strset *set)
{
    free(set->slots);
    memset(set, 0, sizeof *set);
}

size_t *strset_add(strset *set, const char *s, size_t value, bool *added)
{
    if (2 * (set->n + 1) > set->cap) {
        strset bigger = {NULL, set->cap ? 2 * set->cap : 16, set->n};
        bigger.slots = xcalloc(bigger.cap, sizeof *bigger.slots);
        for (size_t i = 0; i < set->cap; i++)
            if (set->slots[i].s)
                *strset_slot_of(&bigger, set->slots[i].s, set->slots[i].h) = set->slots[i];
        free(set->slots);
        *set = bigger;
    }
    uint64_t h = hash64(s, strlen(s), 0);
    strset_slot *slot = strset_slot_of(set, s, h);
    bool fresh = !slot->s;
    if (fresh) {
        *slot = (strset_slot){s, h, value};
        set->n++;
    }
    if (added)
        *added = fresh;
    return &slot->value;
}

const size_t *strset_find(const strset *set, const char *s)
{
    if (!set->n)
        return NULL;
    const strset_slot *slot = strset_slot_of(set, s, hash64(s, strlen(s), 0));
    return slot->s ? &slot->value : NULL;
}

char *read_file_all(const char *path, size_t max_bytes, size_t *len, ec_error *err)
{
    bool is_stdin = strcmp(path, "-") == 0;
    const char *name = is_stdin ? "<stdin>" : path;
    int fd = is_stdin ? 0 : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        ec_fail(err, EC_ERR_INPUT, name, 0, 0, "cannot open: %s", strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        if (!is_stdin)
            close(fd);
        ec_fail(err, EC_ERR_INPUT, name, 0, 0, "is a directory");
        return NULL;
    }
    strbuf sb;
    sb_init(&sb);
    char buf[65536];
    for (;;) {
        ssize_t r = read(fd, buf, sizeof buf);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            ec_fail(err, EC_ERR_INPUT, name, 0, 0, "cannot read: %s", strerror(errno));
            goto fail;
        }
        if (r == 0)
            break;
        if (sb.len + (size_t)r > max_bytes) {
            ec_fail(err, EC_ERR_LIMIT, name, 0, 0, "larger than the %zu MB limit for one input (see --max-size)",
                    max_bytes >> 20);
            goto fail;
        }
        sb_add(&sb, buf, (size_t)r);
    }
    if (!is_stdin)
        close(fd);
    if (len)
        *len = sb.len;
    return sb_steal(&sb);
fail:
    if (!is_stdin)
        close(fd);
    sb_finish(&sb);
    return NULL;
}

/*
 * Where a write to path lands: a symbolic link's target (followed as open() would, to a file
 * that may not exist yet), so that replacing the file keeps the link and updates what it
 * points to.  Returns a new string (caller frees).
 */
static char *link_target(const char *path)
{
    char *p = xstrdup(path);
    for (int hops = 0; hops < 40; hops++) {
        struct stat st;
        if (lstat(p, &st) != 0 || !S_ISLNK(st.st_mode))
            break;
        char buf[PATH_MAX];
        ssize_t n = readlink(p, buf, sizeof buf - 1);
        if (n <= 0)
            break;
        buf[n] = '\0';
        char *next;
        if (buf[0] == '/') {
            next = xstrdup(buf);
        } else {
            char *dup = xstrdup(p);
            next = xasprintf("%s/%s", dirname(dup), buf);
            free(dup);
        }
        free(p);
        p = next;
    }
    return p;
}

/*
 * The temporary files staged and not yet committed, for file_stage_unlink_all() to remove when
 * a signal ends the run: a slot's path is written before it is marked in use, so a handler
 * that sees the mark reads a whole path.  Staging happens on the main thread only.
 */
enum { STAGED_SLOTS = 8 };
static char staged_paths[STAGED_SLOTS][PATH_MAX];
static volatile sig_atomic_t staged_used[STAGED_SLOTS];

static int staged_register(const char *tmp)
{
    for (int i = 0; i < STAGED_SLOTS; i++)
        if (!staged_used[i] && strlen(tmp) < PATH_MAX) {
            memcpy(staged_paths[i], tmp, strlen(tmp) + 1);
            staged_used[i] = 1;
            return i;
        }
    return -1; /* more at once than slots: such a file would be left by a signal, as before */
}

static void staged_unregister(int slot)
{
    if (slot >= 0)
        staged_used[slot] = 0;
}

void file_stage_unlink_all(void)
{
    for (int i = 0; i < STAGED_SLOTS; i++)
        if (staged_used[i])
            unlink(staged_paths[i]); /* async-signal-safe */
}

struct staged_file {
    char *path; /* as given, for messages */
    char *real; /* where it goes: a link's target */
    char *tmp;  /* written, synced and closed, beside it */
    int slot;   /* in staged_paths */
};

staged_file *file_stage(const char *path, const char *data, size_t len, ec_error *err)
{
    char *real = link_target(path);
    /* a new file gets the usual mode for the user's umask; a replaced one keeps its own */
    mode_t mask = umask(0);
    umask(mask);
    mode_t mode = 0666 & ~mask;
    struct stat old;
    if (stat(real, &old) == 0 && S_ISREG(old.st_mode))
        mode = old.st_mode & 07777;
    char *dup = xstrdup(real);
    char *tmpl = xasprintf("%s/.%s.XXXXXX", dirname(dup), strrchr(real, '/') ? strrchr(real, '/') + 1 : real);
    free(dup);
    int fd = mkstemp(tmpl);
    if (fd < 0) {
        ec_fail(err, EC_ERR_IO, path, 0, 0, "cannot create a temporary file beside it: %s", strerror(errno));
        free(tmpl);
        free(real);
        return NULL;
    }
    int slot = staged_register(tmpl);
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            ec_fail(err, EC_ERR_IO, path, 0, 0, "cannot write: %s", strerror(errno));
            goto fail;
        }
        off += (size_t)w;
    }
    if (fsync(fd) != 0 && errno != EINVAL && errno != EROFS) {
        ec_fail(err, EC_ERR_IO, path, 0, 0, "cannot sync: %s", strerror(errno));
        goto fail;
    }
    if (fchmod(fd, mode) != 0) {
        /* mkstemp's 0600 is still better than no calendar: not fatal */
    }
    if (close(fd) != 0) {
        fd = -1;
        ec_fail(err, EC_ERR_IO, path, 0, 0, "cannot close: %s", strerror(errno));
        goto fail;
    }
    staged_file *f = xmalloc(sizeof *f);
    f->path = xstrdup(path);
    f->real = real;
    f->tmp = tmpl;
    f->slot = slot;
    return f;
fail:
    if (fd >= 0)
        close(fd);
    unlink(tmpl);
    staged_unregister(slot);
    free(tmpl);
    free(real);
    return NULL;
}

static void staged_free(staged_file *f)
{
    staged_unregister(f->slot);
    free(f->path);
    free(f->real);
    free(f->tmp);
    free(f);
}

bool file_commit(staged_file *f, ec_error *err)
{
    if (!f)
        return false;
    bool ok = rename(f->tmp, f->real) == 0;
    if (!ok) {
        ec_fail(err, EC_ERR_IO, f->path, 0, 0, "cannot replace: %s", strerror(errno));
        unlink(f->tmp);
    }
    staged_free(f);
    return ok;
}

void file_abort(staged_file *f)
{
    if (!f)
        return;
    unlink(f->tmp);
    staged_free(f);
}

bool write_file_atomic(const char *path, const char *data, size_t len, ec_error *err)
{
    staged_file *f = file_stage(path, data, len, err);
    return f && file_commit(f, err);
}

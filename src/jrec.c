#include "jrec.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

typedef struct cursor {
    const unsigned char *p, *end;
} cursor;

static void skip_ws(cursor *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
        c->p++;
}

/* Length of the valid UTF-8 sequence at p (lead byte >= 0x80), or 0: no overlong forms, no
   surrogates, nothing above U+10FFFF, as jansson checks. */
static size_t utf8_len(const unsigned char *p, const unsigned char *end)
{
    unsigned c = p[0];
    size_t n;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if ((size_t)(end - p) < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

static int hex4(const unsigned char *p)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        unsigned c = p[i];
        int d = c >= '0' && c <= '9' ? (int)(c - '0') : c >= 'a' && c <= 'f' ? (int)(c - 'a' + 10)
              : c >= 'A' && c <= 'F' ? (int)(c - 'A' + 10) : -1;
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

static size_t put_utf8(char *o, uint32_t cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* What each one-letter escape stands for (0: no such escape); a saved page's HTML has one
   every few dozen bytes, and strchr() per escape was a tenth of reading such records. */
static const char UNESCAPE[256] = {['"'] = '"', ['\\'] = '\\', ['/'] = '/', ['b'] = '\b',
                                   ['f'] = '\f', ['n'] = '\n',  ['r'] = '\r', ['t'] = '\t'};

/*
 * Reads a string at c->p (which is at its opening quote).  With `out`, its unescaped text is
 * copied into a new buffer (never longer than the escaped form).  *escaped tells whether it
 * held a backslash.  False when it is not a valid JSON string or holds \u0000.
 */
static bool read_string(cursor *c, char **out, size_t *outlen, bool *escaped)
{
    const unsigned char *start = ++c->p;
    char *o = NULL;
    size_t ol = 0;
    *escaped = false;
    /* a first pass finds the end and checks the bytes; copying follows only when asked */
    /* printable ASCII other than the quote and the backslash: nothing to check */
    static const uint8_t plain[256] = {
        [32] = 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        [64] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
        [96] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    };
    const unsigned char *p = start;
    while (p < c->end) {
#if defined(__SSE2__)
        /* sixteen bytes at a time: a quote, a backslash, or a byte that is negative as a
           signed char or below a space (non-ASCII or a control) stops it */
        while (c->end - p >= 16) {
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
            __m128i special = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
                                                        _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))),
                                           _mm_cmplt_epi8(x, _mm_set1_epi8(0x20)));
            unsigned m = (unsigned)_mm_movemask_epi8(special);
            if (m) {
                p += __builtin_ctz(m);
                break;
            }
            p += 16;
        }
#elif defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        /* eight bytes at a time while none is a quote, a backslash, a control or non-ASCII
           byte (the usual bit tricks: a zero byte of x ^ '"' is a quote) */
        while (c->end - p >= 8) {
            uint64_t x;
            memcpy(&x, p, 8);
            const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
            uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\');
            uint64_t special = ((q - ones) & ~q) | ((b - ones) & ~b) | (x - ones * 0x20) | x;
            if (special & high)
                break;
            p += 8;
        }
#endif
        while (p < c->end && plain[*p])
            p++;
        if (p >= c->end)
            break;
        unsigned ch = *p;
        if (ch == '"')
            break;
        if (ch < 0x20)
            return false;
        if (ch == '\\') {
            *escaped = true;
            if (p + 1 >= c->end)
                return false;
            unsigned e = p[1];
            if (e == 'u') {
                if (c->end - p < 6)
                    return false;
                int v = hex4(p + 2);
                if (v <= 0) /* invalid, or \u0000 */
                    return false;
                p += 6;
                if (v >= 0xDC00 && v <= 0xDFFF)
                    return false; /* a low surrogate alone */
                if (v >= 0xD800 && v <= 0xDBFF) {
                    if (c->end - p < 6 || p[0] != '\\' || p[1] != 'u')
                        return false;
                    int lo = hex4(p + 2);
                    if (lo < 0xDC00 || lo > 0xDFFF)
                        return false;
                    p += 6;
                }
                continue;
            }
            if (!UNESCAPE[e])
                return false;
            p += 2;
            continue;
        }
        if (ch >= 0x80) {
            size_t k = utf8_len(p, c->end);
            if (!k)
                return false;
            p += k;
            continue;
        }
        p++;
    }
    if (p >= c->end)
        return false; /* no closing quote */
    c->p = p + 1;
    if (!out)
        return true;
    size_t raw = (size_t)(p - start);
    o = xmalloc(raw + 1);
    if (!*escaped) {
        memcpy(o, start, raw);
        ol = raw;
    } else {
        for (const unsigned char *q = start; q < p;) {
            if (*q != '\\') {
                const unsigned char *r = memchr(q, '\\', (size_t)(p - q));
                if (!r)
                    r = p;
                memcpy(o + ol, q, (size_t)(r - q));
                ol += (size_t)(r - q);
                q = r;
                continue;
            }
            unsigned e = q[1];
            if (e == 'u') {
                uint32_t cp = (uint32_t)hex4(q + 2);
                q += 6;
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    uint32_t lo = (uint32_t)hex4(q + 2);
                    q += 6;
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                }
                ol += put_utf8(o + ol, cp);
                continue;
            }
            o[ol++] = UNESCAPE[e];
            q += 2;
        }
    }
    o[ol] = '\0';
    *out = o;
    *outlen = ol;
    return true;
}

/*
 * Reads a number.  Integers of up to 18 digits are JREC_INTEGER (text in *out when asked);
 * reals without an exponent and with few digits are JREC_OTHER; anything else is declined, so
 * jansson's range checks never need repeating here.
 */
static bool read_number(cursor *c, jrec_type *type, char **out, size_t *outlen)
{
    const unsigned char *s = c->p, *p = s;
    bool neg = false;
    if (p < c->end && *p == '-') {
        neg = true;
        p++;
    }
    const unsigned char *digits = p;
    if (p >= c->end || *p < '0' || *p > '9')
        return false;
    if (*p == '0')
        p++;
    else
        while (p < c->end && *p >= '0' && *p <= '9')
            p++;
    size_t nint = (size_t)(p - digits);
    bool real = false;
    if (p < c->end && *p == '.') {
        real = true;
        p++;
        const unsigned char *f = p;
        while (p < c->end && *p >= '0' && *p <= '9')
            p++;
        if (p == f || p - f > 15)
            return false;
    }
    if (p < c->end && (*p == 'e' || *p == 'E'))
        return false;
    if (nint > (real ? 15 : 18))
        return false;
    c->p = p;
    *type = real ? JREC_OTHER : JREC_INTEGER;
    if (out && !real) {
        /* "%lld" of the value: the literal itself, but -0 is 0 */
        bool zero = nint == 1 && *digits == '0';
        const unsigned char *b = neg && zero ? digits : s;
        size_t n = (size_t)(p - b);
        *out = xstrndup((const char *)b, n);
        *outlen = n;
    }
    return true;
}

/* The keys of one object so far, to refuse a duplicate as jansson does. */
typedef struct key_set {
    const unsigned char *k[JREC_MAX_KEYS];
    size_t len[JREC_MAX_KEYS], n;
} key_set;

/*
 * Reads a member's key and its colon (c->p at the key's opening quote), into *k and *kl.
 * False for what jrec declines: an escaped key (it might equal another once unescaped), a
 * duplicate (jansson refuses it, with its own message), more than JREC_MAX_KEYS members.
 */
static bool read_key(cursor *c, key_set *seen, const unsigned char **k, size_t *kl)
{
    if (c->p >= c->end || *c->p != '"')
        return false;
    *k = c->p + 1;
    bool esc;
    if (!read_string(c, NULL, NULL, &esc) || esc)
        return false;
    *kl = (size_t)(c->p - 1 - *k);
    if (seen->n == JREC_MAX_KEYS)
        return false;
    for (size_t i = 0; i < seen->n; i++)
        if (seen->len[i] == *kl && memcmp(seen->k[i], *k, *kl) == 0)
            return false;
    seen->k[seen->n] = *k;
    seen->len[seen->n++] = *kl;
    skip_ws(c);
    if (c->p >= c->end || *c->p != ':')
        return false;
    c->p++;
    skip_ws(c);
    return true;
}

static bool skip_value(cursor *c, int depth, jrec_type *type);

/* Steps over an opening brace or bracket: true when `close` follows at once (consumed too). */
static bool opens_empty(cursor *c, char close)
{
    c->p++;
    skip_ws(c);
    if (c->p < c->end && *c->p == close) {
        c->p++;
        return true;
    }
    return false;
}

/* After a member or an element: 1 at the closing `close` (consumed), 0 at a comma (consumed),
   -1 at anything else. */
static int after_item(cursor *c, char close)
{
    skip_ws(c);
    if (c->p >= c->end)
        return -1;
    if (*c->p == close) {
        c->p++;
        return 1;
    }
    if (*c->p != ',')
        return -1;
    c->p++;
    return 0;
}

/* Skips an object (c->p at its '{'), checking its members as jrec_read() checks the record's:
   records from scrapers and news APIs carry nested metadata, and declining them sent every
   such record through jansson, which cost more than extracting its events. */
static bool skip_object(cursor *c, int depth)
{
    key_set seen;
    seen.n = 0;
    if (opens_empty(c, '}'))
        return true;
    for (;;) {
        const unsigned char *k;
        size_t kl;
        jrec_type t;
        if (!read_key(c, &seen, &k, &kl) || !skip_value(c, depth + 1, &t))
            return false;
        int end = after_item(c, '}');
        if (end)
            return end > 0;
        skip_ws(c);
    }
}

/* Skips one value, checking it. */
static bool skip_value(cursor *c, int depth, jrec_type *type)
{
    skip_ws(c);
    if (c->p >= c->end)
        return false;
    bool esc;
    switch (*c->p) {
    case '"':
        *type = JREC_STRING;
        return read_string(c, NULL, NULL, &esc);
    case '{':
        *type = JREC_OTHER;
        return depth < JREC_MAX_DEPTH && skip_object(c, depth);
    case '[': {
        *type = JREC_OTHER;
        if (depth >= JREC_MAX_DEPTH)
            return false;
        if (opens_empty(c, ']'))
            return true;
        for (;;) {
            jrec_type t;
            if (!skip_value(c, depth + 1, &t))
                return false;
            int end = after_item(c, ']');
            if (end)
                return end > 0;
        }
    }
    case 't':
    case 'f':
    case 'n': {
        static const char *const lit[] = {"true", "false", "null"};
        for (int i = 0; i < 3; i++) {
            size_t n = strlen(lit[i]);
            if ((size_t)(c->end - c->p) >= n && memcmp(c->p, lit[i], n) == 0) {
                c->p += n;
                *type = JREC_OTHER;
                return true;
            }
        }
        return false;
    }
    default:
        return read_number(c, type, NULL, NULL);
    }
}

void jrec_value_finish(jrec_value *v)
{
    if (!v)
        return;
    free(v->str);
    memset(v, 0, sizeof *v);
}

static void clear(jrec_value *out, size_t nkeys)
{
    for (size_t i = 0; i < nkeys; i++)
        jrec_value_finish(&out[i]);
}

bool jrec_read(const char *s, size_t n, const char *const *keys, size_t nkeys, jrec_value *out)
{
    for (size_t i = 0; i < nkeys; i++)
        memset(&out[i], 0, sizeof out[i]);
    cursor c = {(const unsigned char *)s, (const unsigned char *)s + n};
    key_set seen;
    seen.n = 0;
    skip_ws(&c);
    if (c.p >= c.end || *c.p != '{')
        goto decline;
    if (opens_empty(&c, '}'))
        goto end;
    for (;;) {
        skip_ws(&c);
        const unsigned char *k;
        size_t kl;
        bool esc;
        if (!read_key(&c, &seen, &k, &kl))
            goto decline;
        size_t want = nkeys;
        for (size_t i = 0; i < nkeys && want == nkeys; i++)
            if (strlen(keys[i]) == kl && memcmp(keys[i], k, kl) == 0)
                want = i;
        if (c.p >= c.end)
            goto decline;
        const unsigned char *at = c.p;
        if (want < nkeys && *c.p == '"') {
            out[want].type = JREC_STRING;
            if (!read_string(&c, &out[want].str, &out[want].len, &esc))
                goto decline;
        } else if (want < nkeys && (*c.p == '-' || (*c.p >= '0' && *c.p <= '9'))) {
            if (!read_number(&c, &out[want].type, &out[want].str, &out[want].len))
                goto decline;
        } else {
            jrec_type t;
            if (!skip_value(&c, 1, &t))
                goto decline;
            if (want < nkeys)
                out[want].type = t;
        }
        if (want < nkeys) {
            out[want].at = (size_t)(at - (const unsigned char *)s);
            out[want].end = (size_t)(c.p - (const unsigned char *)s);
        }
        int end = after_item(&c, '}');
        if (end < 0)
            goto decline;
        if (end)
            break;
    }
end:
    skip_ws(&c);
    if (c.p != c.end)
        goto decline;
    return true;
decline:
    clear(out, nkeys);
    return false;
}

bool jrec_array_items(const char *s, const jrec_value *v, size_t **items, size_t *count)
{
    *items = NULL;
    *count = 0;
    const unsigned char *base = (const unsigned char *)s;
    if (v->type != JREC_OTHER || v->end <= v->at || s[v->at] != '[')
        return false;
    /* jrec_read() has checked the array: here its elements are only delimited */
    cursor c = {base + v->at, base + v->end};
    if (opens_empty(&c, ']'))
        return true;
    size_t *out = NULL, cap = 0, m = 0;
    for (int end = 0; !end;) {
        skip_ws(&c);
        const unsigned char *start = c.p;
        jrec_type t;
        if (!skip_value(&c, 2, &t)) {
            free(out);
            return false;
        }
        if (m + 2 > cap) {
            cap = cap ? cap * 2 : 64;
            out = xrealloc(out, cap * sizeof *out);
        }
        out[m++] = (size_t)(start - base);
        out[m++] = (size_t)(c.p - base);
        if ((end = after_item(&c, ']')) < 0) {
            free(out);
            return false;
        }
    }
    *items = out;
    *count = m / 2;
    return true;
}

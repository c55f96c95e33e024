#include "jwrite.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void jw_init(jw *w, strbuf *out, int indent, bool escape_slash, bool escape_lt)
{
    *w = (jw){.out = out, .indent = indent, .escape_slash = escape_slash, .escape_lt = escape_lt};
}

/* jansson's dump_indent(): a new line indented to depth, or between elements a space, which
   JSON_COMPACT (indent 0 here) leaves out */
static void newline(jw *w, int depth)
{
    if (w->indent <= 0)
        return;
    sb_addc(w->out, '\n');
    size_t n = (size_t)depth * (size_t)w->indent;
    sb_grow(w->out, n);
    memset(w->out->s + w->out->len, ' ', n);
    w->out->len += n;
    w->out->s[w->out->len] = '\0';
}

/* What comes before an element of the innermost container: a new line, and a comma after the
   first. */
static void element(jw *w)
{
    if (w->depth == 0)
        return;
    uint64_t bit = 1ULL << (w->depth - 1);
    if (w->started & bit)
        sb_addc(w->out, ',');
    w->started |= bit;
    newline(w, w->depth);
}

/* Before a value: after a key nothing more, in an array the element's separator. */
static void value(jw *w)
{
    if (w->after_key)
        w->after_key = false;
    else
        element(w);
}

static void open(jw *w, char c, bool array)
{
    value(w);
    sb_addc(w->out, c);
    if (w->depth >= JW_MAX_DEPTH)
        abort(); /* eventcal's documents are a few levels deep: a bug, not an input */
    uint64_t bit = 1ULL << w->depth;
    w->in_array = array ? w->in_array | bit : w->in_array & ~bit;
    w->started &= ~bit;
    w->depth++;
}

void jw_object(jw *w)
{
    open(w, '{', false);
}

void jw_array(jw *w)
{
    open(w, '[', true);
}

void jw_end(jw *w)
{
    if (w->depth == 0)
        abort(); /* nothing open: a bug in the caller */
    uint64_t bit = 1ULL << --w->depth;
    if (w->started & bit) /* an empty one is "{}" or "[]" */
        newline(w, w->depth);
    sb_addc(w->out, w->in_array & bit ? ']' : '}');
}

/* The escapes of jansson's dump_string(), and "<" for a <script> element. */
static void string(jw *w, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    sb_grow(w->out, n + 2);
    sb_addc(w->out, '"');
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\' && !(c == '/' && w->escape_slash) && !(c == '<' && w->escape_lt))
            continue;
        sb_add(w->out, s + run, i - run);
        run = i + 1;
        switch (c) {
        case '"': sb_add(w->out, "\\\"", 2); break;
        case '\\': sb_add(w->out, "\\\\", 2); break;
        case '\b': sb_add(w->out, "\\b", 2); break;
        case '\f': sb_add(w->out, "\\f", 2); break;
        case '\n': sb_add(w->out, "\\n", 2); break;
        case '\r': sb_add(w->out, "\\r", 2); break;
        case '\t': sb_add(w->out, "\\t", 2); break;
        case '/': sb_add(w->out, "\\/", 2); break;
        case '<': sb_add(w->out, "\\u003c", 6); break;
        default: {
            char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            sb_add(w->out, u, 6);
            break;
        }
        }
    }
    sb_add(w->out, s + run, n - run);
    sb_addc(w->out, '"');
}

void jw_key(jw *w, const char *key)
{
    element(w);
    string(w, key, strlen(key));
    if (w->indent > 0)
        sb_add(w->out, ": ", 2);
    else
        sb_addc(w->out, ':');
    w->after_key = true;
}

void jw_null(jw *w)
{
    value(w);
    sb_add(w->out, "null", 4);
}

void jw_bool(jw *w, bool b)
{
    value(w);
    sb_adds(w->out, b ? "true" : "false");
}

void jw_int(jw *w, long long v)
{
    value(w);
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%lld", v);
    sb_add(w->out, buf, (size_t)n);
}

bool jw_real(jw *w, double v)
{
    if (!isfinite(v))
        return false;
    value(w);
    /* jansson's jsonp_dtostr() with precision 6: "%.6g", ".0" when that reads as an integer,
       and the exponent without "+" or leading zeros */
    char buf[48];
    int n = snprintf(buf, sizeof buf, "%.6g", v);
    if (!strchr(buf, '.') && !strchr(buf, 'e')) {
        buf[n++] = '.';
        buf[n++] = '0';
        buf[n] = '\0';
    }
    char *e = strchr(buf, 'e');
    if (e) {
        char *start = e + 1, *end = start + 1;
        if (*start == '-')
            start++;
        while (*end == '0')
            end++;
        if (end != start) {
            memmove(start, end, (size_t)(buf + n - end) + 1);
            n -= (int)(end - start);
        }
    }
    sb_add(w->out, buf, (size_t)n);
    return true;
}

void jw_string(jw *w, const char *s, size_t n)
{
    value(w);
    string(w, s, n);
}

bool jw_valid(const char *s, size_t n)
{
    return utf8_valid_prefix(s, n) == n;
}

void jw_member_strn(jw *w, const char *key, const char *s, size_t n)
{
    if (!jw_valid(s, n))
        return;
    jw_key(w, key);
    jw_string(w, s, n);
}

void jw_member_str(jw *w, const char *key, const char *s)
{
    if (!s) {
        jw_key(w, key);
        jw_null(w);
        return;
    }
    jw_member_strn(w, key, s, strlen(s));
}

void jw_member_int(jw *w, const char *key, long long v)
{
    jw_key(w, key);
    jw_int(w, v);
}

void jw_member_bool(jw *w, const char *key, bool b)
{
    jw_key(w, key);
    jw_bool(w, b);
}

void jw_member_real(jw *w, const char *key, double v)
{
    if (!isfinite(v))
        return;
    jw_key(w, key);
    jw_real(w, v);
}

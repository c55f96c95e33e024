#include <float.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jwrite.h"
#include "test.h"
#include "util.h"

/* jw's text, compared with jansson's print of the same values made as a tree. */

static uint64_t rng = 0x2545F4914F6CDD1DULL;
static unsigned next(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

/* Pieces strings are made of: plain text, everything jansson escapes, UTF-8 of each length,
   and bytes json_string() refuses (a stray continuation byte, an overlong form, a surrogate,
   a byte no UTF-8 has, a sequence cut short). */
static const char *const PIECES[] = {
    "a", "Bolton", " ", "\"", "\\", "/", "</script>", "<!--", "\b", "\f", "\n", "\r", "\t", "\x01", "\x1f", "\x7f",
    "\xc3\xa9", "\xe2\x80\x94", "\xf0\x9f\x98\x80", "\xe2\x80\xa8", "\x80", "\xc0\x80", "\xed\xa0\x80", "\xff",
    "\xe2\x80",
};
enum { NPIECES = sizeof PIECES / sizeof *PIECES, NVALID = 20 };

static char *random_string(bool valid_only)
{
    strbuf sb;
    sb_init(&sb);
    unsigned n = next(6);
    for (unsigned i = 0; i < n; i++)
        sb_adds(&sb, PIECES[next(valid_only ? NVALID : NPIECES)]);
    if (!sb.s)
        sb_adds(&sb, "");
    return sb_steal(&sb);
}

static double random_real(void)
{
    static const double R[] = {0.0, 1.0, 0.5, 0.85, 1.0 / 3, -2.5, 1e-5, 1.5e-7, 1e20, 123456789.0, 1e6, 999999.5,
                               DBL_MAX, -DBL_MIN, 100.0};
    unsigned k = next(17);
    if (k == 15)
        return NAN;
    if (k == 16)
        return INFINITY;
    return R[k];
}

/* A random value of at most `depth` levels, made both ways; NULL when jansson has no value
   for it (a refused string or real), in which case jw wrote nothing either. */
static json_t *random_value(jw *w, int depth, bool member, const char *key);

static json_t *random_object(jw *w, int depth)
{
    json_t *o = json_object();
    jw_object(w);
    unsigned n = next(5);
    for (unsigned i = 0; i < n; i++) {
        char key[16];
        snprintf(key, sizeof key, "k%u%s", i, next(4) == 0 ? "/<\"" : "");
        json_t *v = random_value(w, depth - 1, true, key);
        if (v)
            json_object_set_new(o, key, v);
    }
    jw_end(w);
    return o;
}

static json_t *random_value(jw *w, int depth, bool member, const char *key)
{
    unsigned kind = next(depth > 0 ? 8 : 6);
    switch (kind) {
    case 0:
        if (member)
            jw_key(w, key);
        jw_null(w);
        return json_null();
    case 1: {
        bool b = next(2);
        if (member)
            jw_key(w, key);
        jw_bool(w, b);
        return json_boolean(b);
    }
    case 2: {
        static const long long I[] = {0, 1, -1, 42, 1709251200, LLONG_MAX, LLONG_MIN};
        long long v = I[next(7)];
        if (member)
            jw_key(w, key);
        jw_int(w, v);
        return json_integer(v);
    }
    case 3: {
        double d = random_real();
        json_t *v = json_real(d);
        if (member) {
            jw_member_real(w, key, d);
        } else if (v) {
            CHECK(jw_real(w, d), "jw_real() takes what json_real() takes");
        } else {
            CHECK(!jw_real(w, d), "jw_real() refuses what json_real() refuses");
        }
        return v;
    }
    case 4:
    case 5: {
        /* a member's string may be refused; an element's is valid (eventcal appends none) */
        char *s = random_string(!member);
        json_t *v = json_string(s);
        if (member) {
            jw_member_str(w, key, s);
        } else {
            CHECK(v != NULL, "a valid string is a string");
            jw_string(w, s, strlen(s));
        }
        CHECK(jw_valid(s, strlen(s)) == (v != NULL), "jw_valid() agrees with json_string()");
        free(s);
        return v;
    }
    case 6: {
        if (member)
            jw_key(w, key);
        json_t *a = json_array();
        jw_array(w);
        unsigned n = next(4);
        for (unsigned i = 0; i < n; i++) {
            /* a refused real is no element: jansson does not append it, jw writes nothing */
            json_t *v = random_value(w, depth - 1, false, NULL);
            if (v)
                json_array_append_new(a, v);
        }
        jw_end(w);
        return a;
    }
    default:
        if (member)
            jw_key(w, key);
        return random_object(w, depth);
    }
}

static void replace_lt(strbuf *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '<')
            sb_adds(out, "\\u003c");
        else
            sb_addc(out, *s);
    }
}

static void compare(int indent, bool slash, bool lt, unsigned rounds)
{
    size_t flags = (indent ? JSON_INDENT(indent) : JSON_COMPACT) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6) |
                   (slash ? JSON_ESCAPE_SLASH : 0);
    unsigned same = 0;
    for (unsigned r = 0; r < rounds; r++) {
        strbuf got;
        sb_init(&got);
        jw w;
        jw_init(&w, &got, indent, slash, lt);
        json_t *doc = next(3) ? random_object(&w, 4) : random_value(&w, 4, false, NULL);
        if (!doc) { /* a refused real at the top: neither has a document */
            same += got.len == 0;
            sb_finish(&got);
            continue;
        }
        char *want = json_dumps(doc, flags | JSON_ENCODE_ANY);
        strbuf wl;
        sb_init(&wl);
        if (lt)
            replace_lt(&wl, want);
        const char *w2 = lt ? wl.s : want;
        if (got.s && w2 && strcmp(got.s, w2) == 0) {
            same++;
        } else {
            fprintf(stderr, "indent %d slash %d lt %d round %u:\n--- jansson\n%s\n--- jw\n%s\n", indent, slash, lt, r,
                    w2 ? w2 : "", got.s ? got.s : "");
        }
        free(want);
        sb_finish(&wl);
        sb_finish(&got);
        json_decref(doc);
    }
    CHECK(same == rounds, "jw prints what jansson prints");
}

static void test_examples(void)
{
    /* a few by hand, so that a change in both at once would still show */
    strbuf sb;
    sb_init(&sb);
    jw w;
    jw_init(&w, &sb, 2, false, false);
    jw_object(&w);
    jw_member_str(&w, "title", "Demo \"at\" 1/2\x01");
    jw_member_str(&w, "none", NULL);
    jw_member_str(&w, "bad", "\xff");
    jw_key(&w, "empty");
    jw_array(&w);
    jw_end(&w);
    jw_key(&w, "span");
    jw_array(&w);
    jw_int(&w, 3);
    jw_int(&w, -4);
    jw_end(&w);
    jw_member_real(&w, "c", 1.0);
    jw_member_real(&w, "nan", NAN);
    jw_key(&w, "o");
    jw_object(&w);
    jw_end(&w);
    jw_end(&w);
    CHECK_STR(sb.s,
              "{\n  \"title\": \"Demo \\\"at\\\" 1/2\\u0001\",\n  \"none\": null,\n  \"empty\": [],\n  \"span\": [\n"
              "    3,\n    -4\n  ],\n  \"c\": 1.0,\n  \"o\": {}\n}",
              "an indented object");
    sb_reset(&sb);
    jw_init(&w, &sb, 0, true, true);
    jw_array(&w);
    jw_string(&w, "</script>", 9);
    jw_real(&w, 1e-5);
    jw_real(&w, 2e20);
    jw_bool(&w, false);
    jw_end(&w);
    CHECK_STR(sb.s, "[\"\\u003c\\/script>\",1e-5,2e20,false]", "a compact array, escaping for <script>");
    sb_finish(&sb);
}

int main(void)
{
    test_examples();
    compare(2, false, false, 3000);
    compare(2, true, false, 2000);
    compare(2, true, true, 2000);
    compare(0, false, false, 3000);
    compare(4, false, false, 500);
    return test_report();
}

#include <jansson.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "jrec.h"
#include "test.h"
#include "util.h"

static const char *const KEYS[] = {"id", "text", "n"};
enum { NK = sizeof KEYS / sizeof *KEYS };

/*
 * Reads `json` with jrec; when it accepts, jansson must accept too and agree on every member
 * (strings byte for byte, integers as "%lld", everything else as "other").  Returns whether
 * jrec accepted, with out[] filled (the caller finishes it).
 */
static bool read_and_compare(const char *json, jrec_value *out)
{
    bool ok = jrec_read(json, strlen(json), KEYS, NK, out);
    if (!ok)
        return false;
    json_error_t je;
    json_t *obj = json_loadb(json, strlen(json), JSON_REJECT_DUPLICATES, &je);
    CHECK(obj && json_is_object(obj), json);
    for (size_t i = 0; obj && i < NK; i++) {
        json_t *v = json_object_get(obj, KEYS[i]);
        bool same;
        if (!v) {
            same = out[i].type == JREC_ABSENT;
        } else if (json_is_string(v)) {
            same = out[i].type == JREC_STRING && out[i].len == json_string_length(v) &&
                   memcmp(out[i].str, json_string_value(v), out[i].len) == 0;
        } else if (json_is_integer(v)) {
            char buf[32];
            snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
            same = out[i].type == JREC_INTEGER && strcmp(out[i].str, buf) == 0;
        } else {
            same = out[i].type == JREC_OTHER;
        }
        CHECK(same, "jrec and jansson agree on a member");
        if (!same)
            fprintf(stderr, "  in %s: member %s\n", json, KEYS[i]);
    }
    json_decref(obj);
    return true;
}

static void accepts(const char *json, const char *text, const char *id, const char *what)
{
    jrec_value v[NK];
    bool ok = read_and_compare(json, v);
    CHECK(ok, what);
    if (ok) {
        CHECK_STR(v[1].type == JREC_STRING ? v[1].str : NULL, text, what);
        CHECK_STR(v[0].str, id, what);
    }
    for (size_t i = 0; i < NK; i++)
        jrec_value_finish(&v[i]);
}

static void declines(const char *json, const char *what)
{
    jrec_value v[NK];
    bool ok = read_and_compare(json, v);
    CHECK(!ok, what);
    for (size_t i = 0; i < NK; i++) {
        CHECK(v[i].type == JREC_ABSENT && !v[i].str, "a declined record leaves nothing to free");
        jrec_value_finish(&v[i]);
    }
}

static void test_accepted(void)
{
    accepts("{\"id\": \"a1\", \"text\": \"A vigil.\"}", "A vigil.", "a1", "a plain record");
    accepts(" {\"text\":\"x\",\"id\":7} \t", "x", "7", "an integer id, surrounding whitespace");
    accepts("{\"id\": -0, \"text\": \"\"}", "", "0", "-0 prints as 0, and an empty text is a string");
    accepts("{\"text\": \"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"}", "a\"b\\c/d\b\f\n\r\t", NULL, "every short escape");
    accepts("{\"text\": \"caf\\u00e9 \\u20ac \\ud83d\\ude00 caf\xc3\xa9\"}", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 caf\xc3\xa9",
            NULL, "\\u escapes, a surrogate pair and raw UTF-8");
    accepts("{\"url\": [1, \"two\", [true, null], []], \"n\": 2.5, \"text\": \"t\"}", "t", NULL,
            "other members are skipped, arrays of scalars included");
    accepts("{}", NULL, NULL, "an empty object");
    accepts("{\"meta\": {\"a\": 1, \"text\": \"inner\", \"b\": {}}, \"timex\": [{\"text\": \"Tuesday\", \"start\": 5},"
            " {\"text\": \"June\", \"start\": 9}], \"text\": \"outer\"}",
            "outer", NULL, "nested objects, in arrays too, are checked and skipped; their keys are their own");
    jrec_value v[NK];
    CHECK(read_and_compare("{\"n\": {\"x\": [1]}, \"text\": \"t\"}", v) && v[2].type == JREC_OTHER,
          "a member asked for that is an object is reported as other");
    for (size_t i = 0; i < NK; i++)
        jrec_value_finish(&v[i]);
    CHECK(read_and_compare("{\"n\": false, \"text\": 12}", v) && v[2].type == JREC_OTHER && v[1].type == JREC_INTEGER,
          "members of other types are reported as such");
    for (size_t i = 0; i < NK; i++)
        jrec_value_finish(&v[i]);
}

static void test_declined(void)
{
    declines("", "empty input");
    declines("[1]", "not an object");
    declines("{\"text\": \"x\"} x", "something after the object");
    declines("{\"text\": \"x\"", "no closing brace");
    declines("{\"text\": \"x}", "no closing quote");
    declines("{\"text\": \"a\\u0000b\"}", "\\u0000 (jansson refuses it without JSON_ALLOW_NUL)");
    declines("{\"text\": \"\\ud800\"}", "a lone high surrogate");
    declines("{\"text\": \"\\udc00\"}", "a lone low surrogate");
    declines("{\"text\": \"\\ud800\\u0041\"}", "a high surrogate without its low half");
    declines("{\"text\": \"\\x\"}", "an unknown escape");
    declines("{\"text\": \"\\u12G4\"}", "a bad hex digit");
    declines("{\"text\": \"a\tb\"}", "a raw control character in a string");
    declines("{\"text\": \"\xff\"}", "invalid UTF-8");
    declines("{\"text\": \"\xc0\xaf\"}", "an overlong form");
    declines("{\"text\": \"\xed\xa0\x80\"}", "an encoded surrogate");
    declines("{\"text\": \"a\", \"text\": \"b\"}", "a duplicate key");
    declines("{\"t\\u0065xt\": \"a\", \"text\": \"b\"}", "an escaped key");
    declines("{\"meta\": {\"a\": 1, \"a\": 2}, \"text\": \"b\"}", "a duplicate key in a nested object");
    declines("{\"meta\": [{\"a\": 1}, {\"b\": 1, \"b\": 1}], \"text\": \"b\"}", "a duplicate key in an object in an array");
    declines("{\"meta\": {\"\\u0061\": 1}, \"text\": \"b\"}", "an escaped key in a nested object");
    declines("{\"meta\": {\"a\" 1}, \"text\": \"b\"}", "a nested member without its colon");
    declines("{\"meta\": {\"a\": 1,}, \"text\": \"b\"}", "a trailing comma in a nested object");
    declines("{\"meta\": {\"a\": 1}", "a record cut inside a nested object");
    declines("{\"a\": {\"a\": {\"a\": {\"a\": {\"a\": {\"a\": {\"a\": {\"a\": {\"a\": {\"a\": {\"a\": {\"a\": {\"a\": {\"a\": {"
             "\"a\": {\"a\": {\"a\": {\"a\": {\"a\": {\"a\": {\"a\": {\"a\": {\"a\": {\"a\": {\"a\": {\"a\": {\"a\": {\"a\": {"
             "\"a\": {\"a\": {\"a\": {\"a\": {\"a\": {}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}", "objects nested deeper than JREC_MAX_DEPTH");
    declines("{\"n\": 1e5, \"text\": \"b\"}", "a number with an exponent");
    declines("{\"n\": 1234567890123456789, \"text\": \"b\"}", "an integer of 19 digits");
    declines("{\"n\": 01, \"text\": \"b\"}", "a leading zero");
    declines("{\"n\": 1., \"text\": \"b\"}", "a fraction without digits");
    declines("{\"n\": tru, \"text\": \"b\"}", "a broken literal");
    declines("{\"text\": \"b\",}", "a trailing comma");
    declines("{text: \"b\"}", "an unquoted key");
    declines("{\"a\": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}", "deep nesting");
    jrec_value_finish(NULL);
}

/* Strings are read sixteen bytes at a time (eight without SSE2) up to a byte that needs a
   look: each such byte, at every place in a block of sixteen, is read as it is alone. */
static void test_string_blocks(void)
{
    static const struct {
        const char *raw, *decoded; /* decoded NULL: the record is declined */
    } special[] = {
        {"\\\"", "\""}, {"\\n", "\n"}, {"\\u00e9", "\xc3\xa9"}, {"\xc3\xa9", "\xc3\xa9"}, {"\xe2\x80\x9c", "\xe2\x80\x9c"},
        {"\x7f", "\x7f"},  {"\t", NULL},  {"\x01", NULL},       {"\xff", NULL},         {"\"", NULL},
    };
    static const char pad[] = "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz";
    bool all = true;
    for (size_t k = 0; k < sizeof special / sizeof *special; k++)
        for (int before = 0; before < 40 && all; before++) {
            char json[160], want[160];
            snprintf(json, sizeof json, "{\"text\": \"%.*s%s%.20s\"}", before, pad, special[k].raw, pad);
            snprintf(want, sizeof want, "%.*s%s%.20s", before, pad, special[k].decoded ? special[k].decoded : "", pad);
            jrec_value v[NK];
            bool ok = read_and_compare(json, v);
            all = special[k].decoded ? ok && v[1].type == JREC_STRING && strcmp(v[1].str, want) == 0 : !ok;
            if (!all)
                fprintf(stderr, "  in %s\n", json);
            for (size_t i = 0; i < NK; i++)
                jrec_value_finish(&v[i]);
        }
    CHECK(all, "a string's escapes, UTF-8, controls and end are found wherever they sit");
}

/* The elements jrec_array_items() finds in member `key`, as "start-end" pairs; "declined"
   where jrec_read() declines the text, "no array" where the member is absent or no array. */
static char *items_of(const char *json, const char *key)
{
    const char *keys[] = {key};
    jrec_value v;
    size_t *items, n;
    if (!jrec_read(json, strlen(json), keys, 1, &v))
        return xstrdup("declined");
    bool ok = jrec_array_items(json, &v, &items, &n);
    jrec_value_finish(&v);
    if (!ok)
        return xstrdup("no array");
    strbuf sb;
    sb_init(&sb);
    for (size_t i = 0; i < n; i++)
        sb_printf(&sb, "%s%zu-%zu", i ? " " : "", items[2 * i], items[2 * i + 1]);
    free(items);
    return sb_steal(&sb);
}

static void test_array_items(void)
{
    static const struct {
        const char *json, *key, *want, *what;
    } cases[] = {
        {"{\"a\": 1, \"events\": [ {\"x\": [1, {\"y\": \"]\"}]} , 2,\"s\"\n], \"z\": null}", "events",
         "21-43 46-47 48-51", "each element's bytes, nested arrays and brackets in strings included"},
        {"{\"events\": [\"a\"], \"generator\": \"x\"}", "generator", "no array", "a string member is no array"},
        {"{\"events\": [[1],[2, 3]]}", "events", "12-15 16-22", "arrays of arrays"},
        {"{\"events\": []}", "events", "", "an empty array has no elements"},
        {"{\"events\": [ ]}", "events", "", "nor one with blanks in it"},
        {"{\"a\": [1]}", "events", "no array", "no such member"},
        {"{}", "events", "no array", "an empty object has no such member"},
        {"{\"events\": {}}", "events", "no array", "a member that is no array"},
        {"{\"events\": [1,]}", "events", "declined", "a trailing comma (jansson words the error)"},
        {"{\"events\": [1], \"events\": [2]}", "events", "declined", "a duplicate key"},
        {"{\"events\": [{\"a\": 1, \"a\": 2}]}", "events", "declined", "a duplicate key inside an element"},
        {"{\"events\": [1e5]}", "events", "declined", "a number jrec leaves to jansson"},
        {"{\"events\": [1]} x", "events", "declined", "text after the object"},
        {"[1, 2]", "events", "declined", "no object"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = items_of(cases[i].json, cases[i].key);
        CHECK_STR(got, cases[i].want, cases[i].what);
        free(got);
    }
}

int main(void)
{
    test_accepted();
    test_array_items();
    test_declined();
    test_string_blocks();
    return test_report();
}

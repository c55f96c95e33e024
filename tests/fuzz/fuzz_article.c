/*
 * fuzz_article: the article readers.  The first byte picks the reader (text with an optional
 * header, a saved HTML page, one JSON Lines record); the rest is the input.  Checks that what
 * a reader accepts is clean UTF-8 of the stated length and that sentences stay inside it, and
 * that the fast JSON Lines reader (jrec) never accepts what jansson reads differently, and
 * that a page parses to the same tree with and without its scripts' text (the HTML reader
 * drops it before parsing).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../unit/dom_canon.h"
#include "article.h"
#include "jrec.h"
#include "fuzz.h"
#include "util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    return 0;
}

/* What the fast JSON Lines reader accepts, jansson accepts with the same members. */
static void check_jrec(const char *in, size_t n)
{
    static const char *const keys[] = {"id", "url", "title", "published", "text", "html"};
    enum { NK = sizeof keys / sizeof *keys };
    jrec_value v[NK];
    if (!jrec_read(in, n, keys, NK, v))
        return;
    json_error_t je;
    json_t *obj = json_loadb(in, n, JSON_REJECT_DUPLICATES, &je);
    FUZZ_ASSERT(obj && json_is_object(obj));
    for (size_t i = 0; i < NK; i++) {
        json_t *j = json_object_get(obj, keys[i]);
        if (!j)
            FUZZ_ASSERT(v[i].type == JREC_ABSENT);
        else if (json_is_string(j))
            FUZZ_ASSERT(v[i].type == JREC_STRING && v[i].len == json_string_length(j) &&
                        memcmp(v[i].str, json_string_value(j), v[i].len) == 0);
        else if (json_is_integer(j))
            FUZZ_ASSERT(v[i].type == JREC_INTEGER && strtoll(v[i].str, NULL, 10) == json_integer_value(j));
        else
            FUZZ_ASSERT(v[i].type == JREC_OTHER);
        jrec_value_finish(&v[i]);
    }
    json_decref(obj);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int which = data[0] % 3;
    const char *in = (const char *)data + 1;
    size_t n = size - 1;
    article a;
    memset(&a, 0, sizeof a);
    ec_error err;
    ec_error_clear(&err);
    bool ok;
    switch (which) {
    case 0: ok = article_from_text(in, n, "fuzz.txt", &a, &err); break;
    case 1:
        FUZZ_ASSERT(dom_canon_same(in, n, true));
        FUZZ_ASSERT(dom_canon_same(in, n, false));
        ok = article_from_html(in, n, "fuzz.html", "https://example.org/2024/02/21/a", &a, &err);
        break;
    default:
        check_jrec(in, n);
        ok = article_from_json(in, n, "fuzz.jsonl", 1, &a, &err);
        break;
    }
    if (!ok) {
        FUZZ_ASSERT(err.code != EC_OK);
        article_finish(&a);
        return 0;
    }
    FUZZ_ASSERT(a.text != NULL);
    FUZZ_ASSERT(strlen(a.text) == a.len);
    FUZZ_ASSERT(utf8_valid_prefix(a.text, a.len) == a.len);
    /* metadata reaches pcre2 and every output just like the text */
    const char *meta[] = {a.id, a.url, a.title, a.published, a.timezone, a.lang};
    for (size_t i = 0; i < sizeof meta / sizeof *meta; i++)
        FUZZ_ASSERT(!meta[i] || utf8_valid_prefix(meta[i], strlen(meta[i])) == strlen(meta[i]));
    article_split(&a, NULL);
    for (size_t i = 0; i < a.nsentences; i++) {
        FUZZ_ASSERT(a.sentences[i].start <= a.sentences[i].end);
        FUZZ_ASSERT(a.sentences[i].end <= a.len);
        FUZZ_ASSERT(i == 0 || a.sentences[i].start >= a.sentences[i - 1].end);
    }
    if (a.nsentences)
        FUZZ_ASSERT(article_sentence_at(&a, a.len / 2) < a.nsentences);
    article_finish(&a);
    return 0;
}

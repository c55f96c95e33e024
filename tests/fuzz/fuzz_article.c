/*
 * fuzz_article: the article readers.  The first byte picks the reader (text with an optional
 * header, a saved HTML page, one JSON Lines record); the rest is the input.  Checks that what
 * a reader accepts is clean UTF-8 of the stated length and that sentences stay inside it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "article.h"
#include "fuzz.h"
#include "util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    return 0;
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
    case 1: ok = article_from_html(in, n, "fuzz.html", "https://example.org/2024/02/21/a", &a, &err); break;
    default: ok = article_from_json(in, n, "fuzz.jsonl", 1, &a, &err); break;
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

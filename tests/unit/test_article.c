#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "article.h"
#include "config.h"
#include "test.h"

static void test_header(void)
{
    const char *raw = "Title: A march\nURL: https://example.org/a\nPublished: 2024-02-21\nTimezone: Europe/London\n\n"
                      "Body text. Second sentence.\n";
    article a;
    ec_error err;
    ec_error_clear(&err);
    CHECK(article_from_text(raw, strlen(raw), "dir/a-march.txt", &a, &err), "a text article with a header reads");
    CHECK_STR(a.title, "A march", "title from the header");
    CHECK_STR(a.url, "https://example.org/a", "URL from the header");
    CHECK_STR(a.published, "2024-02-21", "publication date from the header");
    CHECK_STR(a.timezone, "Europe/London", "zone from the header");
    CHECK_STR(a.id, "a-march", "the id is the file name without extension");
    CHECK(strncmp(a.text, "Body text.", 10) == 0, "the text starts after the header");
    article_finish(&a);

    const char *plain = "Title of a kind: not a header\n\nText.";
    CHECK(article_from_text(plain, strlen(plain), "-", &a, &err), "text without a header reads");
    CHECK(a.title == NULL && a.text[0] == 'T', "an unknown key is text, not a header");
    article_finish(&a);
}

/* A header's lines end as the text's do: at LF, CR LF or a bare CR (old Mac files, some CMS
   exports), and a blank line of any of them ends it.  A bare CR had been no line end at all. */
static void test_header_line_ends(void)
{
    static const struct {
        const char *raw;
        size_t header_len;
    } cases[] = {
        {"Published: 2024-02-21\rTitle: Vigil\r\rBody.\r", 36},
        {"Published: 2024-02-21\r\nTitle: Vigil\r\n\r\nBody.\r\n", 39},
        {"Published: 2024-02-21\nTitle: Vigil\n\nBody.\n", 36},
        {"Published: 2024-02-21\r\nTitle: Vigil\r\r\nBody.", 38},
        {"Published: 2024-02-21\nTitle: Vigil\r\n\rBody.", 37},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        article a;
        ec_error err;
        ec_error_clear(&err);
        char what[64];
        snprintf(what, sizeof what, "line ends, case %zu", i);
        CHECK(article_from_text(cases[i].raw, strlen(cases[i].raw), "x.txt", &a, &err), what);
        CHECK_STR(a.published, "2024-02-21", what);
        CHECK_STR(a.title, "Vigil", what);
        CHECK(a.header_len == cases[i].header_len && strncmp(a.text, "Body.", 5) == 0 && !a.header_unended, what);
        article_finish(&a);
    }
}

static void test_bad_bytes(void)
{
    article a;
    ec_error err;
    ec_error_clear(&err);
    const char latin1[] = "Caf\xE9 opens on Saturday.";
    CHECK(article_from_text(latin1, sizeof latin1 - 1, "x.txt", &a, &err), "one bad byte does not lose the article");
    CHECK(a.bad_bytes == 1 && strstr(a.text, "\xEF\xBF\xBD"), "the bad byte becomes U+FFFD");
    article_finish(&a);
    char bin[4096];
    for (size_t i = 0; i < sizeof bin; i++)
        bin[i] = (char)(i * 131 + 7);
    ec_error_clear(&err);
    CHECK(!article_from_text(bin, sizeof bin, "blob.bin", &a, &err) && strstr(err.text, "binary"),
          "binary data is refused as not text");
    ec_error_clear(&err);
    const char u16[] = "\xFF\xFEH\0i\0";
    CHECK(!article_from_text(u16, sizeof u16 - 1, "u16.txt", &a, &err) && strstr(err.text, "UTF-16"),
          "UTF-16 is refused with a hint");
    const char nul[] = "Text with\0a NUL.";
    ec_error_clear(&err);
    CHECK(article_from_text(nul, sizeof nul - 1, "nul.txt", &a, &err) && a.len == sizeof nul - 1 && a.text[9] == ' ',
          "a NUL byte becomes a space and keeps offsets");
    article_finish(&a);
}

static void test_json(void)
{
    article a;
    ec_error err;
    ec_error_clear(&err);
    const char *line = "{\"id\":\"x1\",\"url\":\"https://e.org\",\"title\":\"T\",\"published\":\"2024-02-21T09:00\","
                       "\"text\":\"A vigil on Saturday.\"}";
    CHECK(article_from_json(line, strlen(line), "in.jsonl", 3, &a, &err), "a JSON line reads");
    CHECK_STR(a.id, "x1", "id from JSON");
    CHECK_STR(a.published, "2024-02-21T09:00", "published from JSON");
    CHECK(a.source_line == 3, "the line number is kept");
    article_finish(&a);
    ec_error_clear(&err);
    CHECK(!article_from_json("{\"id\": 1, ", 10, "in.jsonl", 7, &a, &err) && err.line == 7,
          "bad JSON is reported with its line");
    ec_error_clear(&err);
    CHECK(!article_from_json("{\"id\":\"a\"}", 10, "in.jsonl", 2, &a, &err) && strstr(err.text, "no \"text\""),
          "a record without text is refused");
    ec_error_clear(&err);
    const char *html = "{\"id\":\"h\",\"html\":\"<html><head><title>Page</title></head><body><p>A rally on Monday.</p></body></html>\"}";
    CHECK(article_from_json(html, strlen(html), "in.jsonl", 1, &a, &err) && strstr(a.text, "A rally on Monday."),
          "a JSON line may carry HTML");
    article_finish(&a);
}

/* The source tree's rules (every sentence test splits with its abbreviations). */
static rules *load_rules(void)
{
    ec_error err;
    ec_error_clear(&err);
    rules *r = rules_load(EVENTCAL_SOURCE_RULES_DIR, &err);
    CHECK(r != NULL, "rules load");
    return r;
}

/* `text` as an article split into sentences; the caller finishes it. */
static article split(const rules *r, const char *text)
{
    article a = {0};
    a.text = xstrdup(text);
    a.len = strlen(text);
    article_split(&a, r);
    return a;
}

static void test_sentences(void)
{
    rules *r = load_rules();
    article a = split(r, "Mr. Logan spoke on Feb. 24 at St. Mary's. A march follows.\n\n\"It will be big.\" Said Ms Hill.");
    CHECK(a.nsentences == 4, "abbreviations do not end sentences; paragraphs and quotes do");
    if (a.nsentences == 4) {
        CHECK(strncmp(a.text + a.sentences[1].start, "A march follows.", 16) == 0, "the second sentence");
        CHECK(a.sentences[2].paragraph == 1, "the third sentence is in the second paragraph");
    }
    CHECK(article_sentence_at(&a, 3) == 0 && article_sentence_at(&a, a.len - 1) == a.nsentences - 1,
          "offsets map to their sentence");
    article_finish(&a);
    /* every offset of texts of 1 to 40 sentences, against the sentence a linear walk gives:
       the search halves without branches, and an off-by-one shows at some count */
    bool mapped = true;
    for (int count = 1; count <= 40 && mapped; count++) {
        char text[40 * 16 + 8] = "  ";
        for (int k = 0; k < count; k++)
            strcat(text, k % 3 ? "It rained. " : "Go home now. ");
        article b = split(r, text);
        mapped = b.nsentences == (size_t)count;
        for (size_t off = 0; off < b.len && mapped; off++) {
            size_t want = 0;
            for (size_t k = 0; k < b.nsentences; k++)
                if (b.sentences[k].start <= off)
                    want = k;
            mapped = article_sentence_at(&b, off) == want;
        }
        article_finish(&b);
    }
    CHECK(mapped, "every offset maps to the last sentence starting at or before it");
    /* the text is read sixteen bytes at a time (eight without SSE2) up to a possible sentence
       end: each kind of end, a line break too, at every place in a block of sixteen */
    bool all = true;
    const char *ends[] = {". ", "! ", "? ", "\n"};
    for (int pad = 0; pad < 40 && all; pad++)
        for (int k = 0; k < 4 && all; k++) {
            char text[128];
            snprintf(text, sizeof text, "The crowd %.*s grew%sPolice came.", pad, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                     ends[k]);
            article b = split(r, text);
            all = b.nsentences == 2 && b.sentences[1].start == strlen(text) - strlen("Police came.");
            article_finish(&b);
        }
    CHECK(all, "a sentence ends wherever its stop sits");
    rules_free(r);
}

/* Hard-wrapped prose (e-mail, plain-text releases): its single line breaks are spaces. */
static void test_wrapped(void)
{
    rules *r = load_rules();
    const char *text = "Hi all,\n\n"
                       "The tenants' group is planning a picnic in Lister Park for everyone on\n"
                       "the estate, with games for the children and a raffle for the roof fund.\n"
                       "It starts at noon on Sunday and goes on until the food runs out, so\n"
                       "please come along.\n\n"
                       "Short line one\nShort line two\nShort line three\n";
    article a = split(r, text);
    /* "Hi all,"; the two sentences of the wrapped paragraph; three short lines of their own */
    CHECK(a.nsentences == 6, "a wrapped paragraph is two sentences; short lines stay lines");
    if (a.nsentences == 6) {
        CHECK(strncmp(a.text + a.sentences[1].start, "The tenants'", 12) == 0 &&
                  a.text[a.sentences[1].end - 1] == '.' && a.sentences[2].start > a.sentences[1].end,
              "the first sentence runs over two lines and ends at the full stop before a line break");
        CHECK(strncmp(a.text + a.sentences[2].start, "It starts", 9) == 0, "the second sentence starts a line");
        CHECK(a.sentences[1].paragraph == a.sentences[2].paragraph, "one paragraph");
        CHECK(a.sentences[3].paragraph != a.sentences[4].paragraph, "each short line is a paragraph");
    }
    article_finish(&a);

    /* web text with a paragraph per line, each ending its sentence, is not wrapped prose */
    const char *web = "The council meets on Tuesday to set the budget for the coming year.\n"
                      "Opposition members say they will vote against the rise in charges.\n"
                      "The meeting starts at 6pm in the main chamber of the town hall.\n";
    article b = split(r, web);
    CHECK(b.nsentences == 3 && b.sentences[0].paragraph != b.sentences[1].paragraph,
          "a paragraph per line stays a paragraph per line");
    article_finish(&b);
    rules_free(r);
}

static void test_guess(void)
{
    CHECK(article_guess_format("a.html", "x", 1) == AF_HTML, "an .html name is HTML");
    CHECK(article_guess_format(NULL, "  {\"id\":1}", 10) == AF_JSONL, "a leading brace is JSON Lines");
    CHECK(article_guess_format(NULL, "<!DOCTYPE html><p>x", 19) == AF_HTML, "a doctype is HTML");
    CHECK(article_guess_format(NULL, "Plain words.", 12) == AF_TEXT, "anything else is text");
    CHECK(article_guess_format("a.txt", "{Update} x", 10) == AF_TEXT, "a .txt name is text, whatever it starts with");
}

/* The first article a reader in AF_AUTO finds in a file of this name and content; false if
   none was read. */
static bool read_guessed(const char *name, const char *content, article *a)
{
    memset(a, 0, sizeof *a);
    char dir[] = "/tmp/eventcal-guess-XXXXXX";
    if (!mkdtemp(dir))
        return false;
    char *path = xasprintf("%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    bool ok = f && fputs(content, f) >= 0;
    if (f)
        ok = fclose(f) == 0 && ok;
    ec_error err;
    ec_error_clear(&err);
    article_reader *rd = ok ? article_reader_open(path, AF_AUTO, 1 << 20, &err) : NULL;
    ok = rd && article_reader_next(rd, a, &err) == 1;
    article_reader_free(rd);
    unlink(path);
    rmdir(dir);
    free(path);
    return ok;
}

/* A reader guesses from the name before the first bytes: a text that opens with a brace had
   been read as JSON Lines ("bad JSON") though its name said .txt. */
static void test_reader_guess(void)
{
    article a;
    CHECK(read_guessed("brace.txt", "{Update} A vigil on Saturday.\n", &a) && a.format == AF_TEXT &&
              strcmp(a.text, "{Update} A vigil on Saturday.\n") == 0,
          "a .txt that starts with a brace is text");
    article_finish(&a);
    CHECK(read_guessed("brace.html", "{Update}<p>A vigil on Saturday.</p>", &a) && a.format == AF_HTML &&
              strstr(a.text, "A vigil on Saturday."),
          "an .html that starts with a brace is HTML");
    article_finish(&a);
    CHECK(read_guessed("feed", "{\"id\": \"r\", \"text\": \"A vigil on Saturday.\"}\n", &a) && strcmp(a.id, "r") == 0,
          "a name that says nothing: a leading brace is JSON Lines");
    article_finish(&a);
    CHECK(read_guessed("notes.jsonl", "\n{\"id\": \"j\", \"text\": \"A vigil on Saturday.\"}\n", &a) &&
              strcmp(a.id, "j") == 0,
          "a .jsonl is JSON Lines");
    article_finish(&a);
}

/* Records cut by the reading thread and read later by a worker, as -j does: the same
   articles and errors as article_reader_next(), read after the reader is gone, under the
   name the holder of the article kept. */
static void test_deferred(void)
{
    char path[] = "/tmp/eventcal-deferred-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0, "a temporary file");
    if (fd < 0)
        return;
    static const char recs[] = "{\"id\": \"one\", \"text\": \"A vigil on Saturday.\"}\n"
                               "\n"
                               "{\"id\": \"two\", \"text\": }\n"
                               "{\"id\": \"three\", \"html\": \"<p>A march on Sunday.</p>\"}\n";
    CHECK(write(fd, recs, sizeof recs - 1) == (ssize_t)(sizeof recs - 1), "written");
    close(fd);
    ec_error err;
    ec_error_clear(&err);
    article_reader *rd = article_reader_open(path, AF_JSONL, 1 << 20, &err);
    CHECK(rd != NULL, "opened");
    if (!rd) {
        unlink(path);
        return;
    }
    article held[3];
    size_t n = 0;
    article_raw raw;
    while (n < 3 && article_reader_next_raw(rd, &raw, &err) == 1)
        article_defer(&held[n++], &raw);
    CHECK(n == 3 && article_reader_next_raw(rd, &raw, &err) == 0, "three records cut, the blank line passed over");
    article_reader_free(rd);
    static const char kept[] = "kept.jsonl";
    for (size_t i = 0; i < n; i++) {
        CHECK(held[i].unparsed && !held[i].text, "nothing read yet");
        held[i].source = kept; /* as batch_add() does: its own copy */
    }
    ec_error_clear(&err);
    CHECK(n > 0 && article_parse_deferred(&held[0], &err) && strcmp(held[0].id, "one") == 0 &&
              strcmp(held[0].text, "A vigil on Saturday.") == 0 && held[0].source == kept && held[0].source_line == 1,
          "the first record read later");
    CHECK(n > 1 && !article_parse_deferred(&held[1], &err) && err.line == 3 && strcmp(err.file, kept) == 0 &&
              !held[1].unparsed && !held[1].id,
          "a bad record's error names its line, under the kept name");
    ec_error_clear(&err);
    CHECK(n > 2 && article_parse_deferred(&held[2], &err) && strcmp(held[2].text, "A march on Sunday.") == 0,
          "an HTML record read later");
    CHECK(article_parse_deferred(&held[0], &err), "an article read already is left as it is");
    for (size_t i = 0; i < n; i++)
        article_finish(&held[i]);
    /* one never read is freed whole */
    rd = article_reader_open(path, AF_JSONL, 1 << 20, &err);
    if (rd && article_reader_next_raw(rd, &raw, &err) == 1) {
        article a;
        article_defer(&a, &raw);
        article_finish(&a);
        CHECK(!a.unparsed, "an unread record is freed with its article");
    }
    article_reader_free(rd);
    unlink(path);
}

int main(void)
{
    test_header();
    test_header_line_ends();
    test_bad_bytes();
    test_json();
    test_sentences();
    test_wrapped();
    test_guess();
    test_reader_guess();
    test_deferred();
    return test_report();
}

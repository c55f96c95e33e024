/*
 * Unit tests for src/html.c: text extraction, metadata and the publication date.
 * Every page here is written for the test; none is taken from real sites.
 */
#include "html.h"
#include "dom_canon.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int n_pass, n_fail;

#define CHECK(cond, msg)                                                                       \
    do {                                                                                       \
        if (cond) {                                                                            \
            n_pass++;                                                                          \
        } else {                                                                               \
            n_fail++;                                                                          \
            printf("%s:%s:%d: %s\n", __FILE__, __func__, __LINE__, msg);                       \
        }                                                                                      \
    } while (0)

static bool streq(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static bool has(const char *hay, const char *needle)
{
    return hay && strstr(hay, needle) != NULL;
}

/* Parses a NUL-terminated page; aborts the test run when html_read fails. */
static bool read_page(const char *html, const char *url_hint, html_page *p)
{
    ec_error err;
    ec_error_clear(&err);
    bool ok = html_read(html, strlen(html), url_hint, p, &err);
    return ok;
}

/* published must start with the given day */
static bool day_is(const html_page *p, const char *day)
{
    return p->published && strncmp(p->published, day, 10) == 0;
}

static void test_meta_published(void)
{
    const char *page =
        "<!DOCTYPE html><html lang=\"en\"><head>"
        "<meta property=\"article:modified_time\" content=\"2021-06-09T10:00:00+02:00\">"
        "<meta property=\"article:published_time\" content=\"2021-06-04T09:30:00+02:00\">"
        "<title>Harbour festival returns</title></head><body><article>"
        "<h1>Harbour festival returns</h1><p>The harbour festival is back on Saturday with "
        "boats, music and food stalls along the quay.</p></article></body></html>";
    html_page p;
    CHECK(read_page(page, NULL, &p), "html_read failed");
    CHECK(streq(p.published, "2021-06-04T09:30:00+02:00"), "published keeps time and offset");
    CHECK(streq(p.published_from, "meta:article:published_time"), "evidence label");
    CHECK(p.modified && strncmp(p.modified, "2021-06-09", 10) == 0, "modified kept apart");
    CHECK(streq(p.lang, "en"), "lang from <html lang>");
    CHECK(streq(p.title, "Harbour festival returns"), "title from <title>");
    html_page_finish(&p);
}

static void test_utc_offset(void)
{
    const char *page = "<html><head><meta name=\"pubdate\" content=\"2020-02-03T08:15:00Z\">"
                       "</head><body><p>Short note about the library hours.</p></body></html>";
    html_page p;
    CHECK(read_page(page, NULL, &p), "html_read failed");
    CHECK(streq(p.published, "2020-02-03T08:15:00+00:00"), "Z is written as +00:00");
    CHECK(streq(p.published_from, "meta:pubdate"), "evidence label meta:pubdate");
    html_page_finish(&p);
}

static void test_jsonld(void)
{
    const char *page =
        "<html><head><script type=\"application/ld+json\">"
        "{\"@context\":\"https://schema.org\",\"@graph\":["
        "{\"@type\":\"WebSite\",\"name\":\"Town Crier\"},"
        "{\"@type\":\"NewsArticle\",\"headline\":\"Bridge closes\","
        "\"datePublished\":\"2022-09-14T07:00:00+01:00\","
        "\"dateModified\":\"2022-09-20T12:00:00+01:00\"}]}"
        "</script></head><body><article><p>The old bridge closes for repairs next week, the "
        "council said.</p></article></body></html>";
    html_page p;
    CHECK(read_page(page, NULL, &p), "html_read failed");
    CHECK(day_is(&p, "2022-09-14"), "JSON-LD datePublished inside @graph");
    CHECK(streq(p.published_from, "jsonld:datePublished"), "evidence label jsonld");
    CHECK(p.modified && strncmp(p.modified, "2022-09-20", 10) == 0, "JSON-LD dateModified");
    html_page_finish(&p);

    /* an array at the top and a broken object elsewhere */
    const char *page2 =
        "<html><head><script type=\"application/ld+json\">{ broken json, </script>"
        "<script type=\"application/ld+json\">[{\"@type\":\"BlogPosting\","
        "\"datePublished\":\"2018-04-01\"}]</script></head><body><p>Text.</p></body></html>";
    CHECK(read_page(page2, NULL, &p), "html_read failed");
    CHECK(streq(p.published, "2018-04-01"), "JSON-LD in a top-level array, date only");
    html_page_finish(&p);
}

static void test_time_pubdate(void)
{
    const char *page =
        "<html><body><article><header><h1>Garden tips</h1>"
        "<time class=\"entry-date\" datetime=\"2017-05-02T18:00:00-04:00\" pubdate>May 2, "
        "2017</time></header><p>Water the tomatoes in the morning rather than at night.</p>"
        "</article></body></html>";
    html_page p;
    CHECK(read_page(page, NULL, &p), "html_read failed");
    CHECK(streq(p.published, "2017-05-02T18:00:00-04:00"), "time[pubdate] with offset");
    CHECK(p.published_from && has(p.published_from, "time"), "evidence label time");
    CHECK(streq(p.title, "Garden tips"), "title falls back to the first h1");
    html_page_finish(&p);
}

static void test_url_dates(void)
{
    const char *page = "<html><head><link rel=\"canonical\" "
                       "href=\"https://news.example.org/2019/03/12/school-opens\"></head>"
                       "<body><p>The new school opens its doors to pupils.</p></body></html>";
    html_page p;
    CHECK(read_page(page, NULL, &p), "html_read failed");
    CHECK(streq(p.url, "https://news.example.org/2019/03/12/school-opens"), "canonical URL");
    CHECK(streq(p.published, "2019-03-12"), "date from the URL path");
    CHECK(streq(p.published_from, "url"), "evidence label url");
    html_page_finish(&p);

    const char *bare = "<html><body><p>Nothing dated in this page at all.</p></body></html>";
    CHECK(read_page(bare, "https://blog.example.net/posts/20151107/autumn-walk", &p),
          "html_read failed");
    CHECK(streq(p.published, "2015-11-07"), "date from url_hint (YYYYMMDD)");
    CHECK(streq(p.url, "https://blog.example.net/posts/20151107/autumn-walk"), "url from hint");
    html_page_finish(&p);

    const char *relative = "<html><head><link rel=\"canonical\" href=\"/2019/03/12/x\">"
                           "<meta property=\"og:url\" content=\"https://ex.example/a-2010-01-05\">"
                           "</head><body><p>x</p></body></html>";
    CHECK(read_page(relative, NULL, &p), "html_read failed");
    CHECK(streq(p.url, "https://ex.example/a-2010-01-05"), "relative canonical ignored, og:url");
    CHECK(streq(p.published, "2010-01-05"), "date from og:url");
    html_page_finish(&p);
}

/* The page's publication date is `want` (NULL: none). */
static void published_is(const char *page, const char *want, const char *what)
{
    html_page p;
    CHECK(read_page(page, NULL, &p), "html_read failed");
    CHECK(want ? streq(p.published, want) : !p.published, what);
    html_page_finish(&p);
}

static void test_byline_text(void)
{
    const char *page =
        "<html lang=\"en-GB\"><body><div class=\"story\"><h1>Choir wins prize</h1>"
        "<p class=\"byline\">By A. Writer. Published 3 March 2021</p>"
        "<p>The village choir won first prize at the regional contest on 27 February 2021, "
        "beating twelve other choirs.</p></div>"
        "<footer><p>Copyright 2024 Example Media</p></footer></body></html>";
    html_page p;
    CHECK(read_page(page, NULL, &p), "html_read failed");
    CHECK(streq(p.published, "2021-03-03"), "English byline 'Published 3 March 2021'");
    CHECK(streq(p.published_from, "byline text"), "evidence label byline text");
    CHECK(!has(p.text, "Copyright"), "footer text dropped");
    html_page_finish(&p);

    const char *us = "<html lang=\"en-US\"><body><p class=\"date\">Posted on November 15, 2023</p>"
                     "<p>Long article text about the county fair and its many attractions for "
                     "families.</p></body></html>";
    CHECK(read_page(us, NULL, &p), "html_read failed");
    CHECK(streq(p.published, "2023-11-15"), "English 'Posted on November 15, 2023'");
    html_page_finish(&p);

    /* a date has a day or a year: blocks without a digit are passed over, not misread */
    published_is("<html lang=\"en-GB\"><body><p class=\"byline\">Published on Tuesday in March</p>"
                 "<p>Posted: yesterday</p><p>The fair drew crowds.</p></body></html>",
                 NULL, "no date without a digit");
    published_is("<html lang=\"en-GB\"><body><p class=\"byline\">Published on Tuesday, March\n   4, 2025</p>"
                 "<p>The fair drew crowds.</p></body></html>",
                 "2025-03-04", "a date whose digits come late in its block");
}

/* Dates are read from short blocks only (bylines, datelines): a paragraph of 160 bytes is one,
   one of 161 is not, however its text nodes are split. */
static void test_byline_length(void)
{
    for (size_t len = 159; len <= 162; len++) {
        char para[256], page[1024];
        /* the date in a text node too long to be searched on its own (100 bytes), the
           paragraph's last word in another */
        int n = snprintf(para, sizeof para, "The fair of 5 March 2021 drew crowds");
        size_t have = (size_t)n, tail = strlen(" and");
        while (have + 5 + tail <= len) {
            n += snprintf(para + n, sizeof para - (size_t)n, " word");
            have += 5;
        }
        while (have + tail < len) {
            n += snprintf(para + n, sizeof para - (size_t)n, "s");
            have++;
        }
        snprintf(para + n, sizeof para - (size_t)n, "\n  <b>and</b>");
        snprintf(page, sizeof page,
                 "<html lang=\"en-GB\"><body><div><h1>Fair</h1><p>%s</p>"
                 "<p>3 March 2021</p><p>More text about the fair.</p></div></body></html>",
                 para);
        html_page p;
        CHECK(read_page(page, NULL, &p), "html_read failed");
        CHECK(streq(p.published, len <= 160 ? "2021-03-05" : "2021-03-03"),
              len <= 160 ? "a paragraph of up to 160 bytes is a short block" : "a longer one is not");
        html_page_finish(&p);
    }
}

/*
 * Scripts' and style sheets' text is dropped before parsing only where libxml2 builds the same
 * tree otherwise: each page here is parsed both ways and compared, and the ones marked are
 * checked to lose their script text (so that the comparison is not vacuous).
 */
static void test_script_text_dropped(void)
{
    static const struct {
        const char *page;
        bool dropped; /* some text is dropped (as UTF-8) */
    } cases[] = {
        {"<html><head><script>var a = '<p>not a paragraph';</script></head><body><p>Text</p></body></html>", true},
        {"<html><head><script>var a = '<p>not a paragraph</p>';</script></head><body><p>Text</p></body></html>", false},
        {"<p>One</p><SCRIPT type=text/javascript>if (a < b && c > d) x();</SCRIPT><p>Two</p>", true},
        {"<style>p > a { color: red }</style><style media=\"print\">.x{}</style><p>Styled</p>", true},
        /* JSON-LD is read: kept, also when its type hides behind an entity */
        {"<script type=\"application/ld+json\">{\"datePublished\": \"2024-02-01\"}</script><p>A</p>", false},
        {"<script type=\"application/ld&#43;json\">{\"datePublished\": \"2024-02-01\"}</script><p>A</p>", false},
        /* a script ends at the first "</script", in any case, even inside a string */
        {"<script>document.write('</SCRIPT>'); var b = 1;</script><p>after</p>", true},
        /* a "</" in a script's text: libxml2 2.9 may then lose what follows, with the text or
           without it ("</b" right before the end tag): nothing from there on goes */
        {"<script></b</script><p>after</p>", false},
        {"<script>a()</script><script>document.write('</div>')</script><p>after2</p>", true},
        {"<script>a = 1;</scriptx><p>in the script's end tag</p></script><p>B</p>", false},
        {"<script>a = 0;</script><script>a = 1;</scriptx><p>in the script's text</p></script><p>B1</p>", true},
        /* ... and the text goes on after such an end tag: a "<script" there is text too (here
           the text of JSON-LD, which the reader reads) */
        {"<script type=\"application/ld+json\">{\"a\": 1}</scriptz><script>t0()</script>\"}</script><p>B2</p>",
         false},
        {"<script>s1()</script foo=\"bar\"><p>B3</p><style>.b{}</style  ><script>s2()</script/>", true},
        /* "<script" inside a comment, an attribute or a style sheet is no script */
        {"<!-- <script>x()</script> --><p>C</p><script>y()</script>", true},
        {"<a title=\"<script>not one\" href=x>link</a><p>D</p><script>z()</script>", true},
        {"<a title='x > y'>quoted</a><script>w()</script><p>E</p>", true},
        {"<style>a::after { content: \"<script>\" }</style><p>F</p><script>v()</script>", true},
        /* a tag that closes itself has no text; the markup after it is the page's */
        {"<script src=\"a.js\" /><p>G</p><script>u()</script>", true},
        /* irregular markup stops the dropping there: before it, it goes on */
        {"<script>t()</script><div class=a\"b\"><p>H</p></div><script>s()</script>", true},
        {"<script>r()</script><div <p>I</p></div><script>q()</script>", true},
        /* an attribute name libxml2 cannot read whole: it passes over the rest up to a blank,
           quotes and all, and a '>' in quotes may end the tag ("typ@" is "typ" and junk) */
        {"<script typ@=\"a type=\"b><\">t1()</script><p>I2</p>", false},
        {"<script>a()</script><a b@=\"<script>\">x</a><script>b()</script><p>I3</p>", true},
        {"<script 1a=\"x>y\">t2()</script><p>I4</p>", false},
        /* '\f' is no blank to libxml2 inside a tag, but the start of such junk */
        {"<script\ftype=\"a>b\">t3()</script><p>I5</p>", false},
        {"<script data-x.y:z_w=\"v\" _a :b .c>t4()</script><p>I6</p>", true},
        /* a name longer than libxml2's buffer goes on as another attribute: left alone */
        {"<script a23456789a123456789a123456789a123456789a123456789a123456789a123456789a123456789"
         "a123456789a123456789a12=\"x>y\">t5()</script><p>I7</p>", false},
        {"<script>p()</script><_x><script>o()</script>", true},
        {"<!-- unterminated <script>n()</script><p>J</p>", false},
        {"<!-- a --!> <script>m()</script> --><p>K</p>", false},
        {"<script>never ends <p>L</p>", false},
        {"<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\">"
         "<html><body><script>l()</script><p>M</p></body></html>", true},
        {"<?xml version=\"1.0\" encoding=\"UTF-8\"?><html><body><script>k()</script><p>N</p></body></html>", true},
        {"<p>O</p></div data-x=\"a>b\"><script>j()</script>", false},
        /* "<!" that begins no comment or doctype is text to libxml2: a tag after it is one */
        {"<!<script type=\"application/ld+json\"><script=\"\">{}</script><p>O2</p>", false},
        {"<!x><script>j2()</script><p>O3</p>", true},
        /* bytes libxml2 might decode differently are not dropped */
        {"<script>var s = '\xff\xfe';</script><p>caf\xc3\xa9 P</p>", false},
        {"<script>var s = 'caf\xc3\xa9';</script><p>Q</p>", true},
        /* past a byte that is not UTF-8 libxml2 reads on as Latin-1: nothing after it goes */
        {"<p title=\"\xff\">x</p><script>a()</script><p>Q2</p>", false},
        {"<script>a()</script><p title=\"\xff\">x</p><script>b()</script><p>Q3</p>", true},
        {"<script>i()</script><p>R</p><script>h()", true},
        {"<p>S</p><script></script><style></style>", false},
        /* elements whose text some parsers do not read as markup: libxml2 does, or the
           comparison says otherwise */
        {"<title>a <script>t1()</script> b</title><p>U</p>", true},
        {"<textarea>a <script>t2()</script> b</textarea><p>V</p>", true},
        {"<xmp>a <script>t3()</script> b</xmp><p>W</p>", true},
        {"<iframe>a <script>t4()</script> b</iframe><p>X</p>", true},
        {"<noscript>a <script>t5()</script> b</noscript><p>Y</p>", true},
        {"<noembed>a <script>t6()</script></noembed><noframes><script>t7()</script></noframes>", true},
        {"<plaintext>a <script>t8()</script> b<p>Z</p>", true},
        {"<svg><style>.a{}</style><script>t9()</script></svg><math><script>t10()</script></math>", true},
        {"<table><script>t11()</script><tr><td>cell</td></tr></table><select><script>t12()</script></select>", true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *pg = cases[i].page;
        size_t len = strlen(pg), plen = 0;
        for (int utf8 = 0; utf8 <= 1; utf8++)
            CHECK(dom_canon_same(pg, len, utf8), pg);
        char *plain = html_drop_script_text(pg, len, true, &plen);
        CHECK((plain != NULL) == (cases[i].dropped && LIBXML_VERSION < 21400), pg);
        free(plain);
    }
    /* the written tree leaves out script text and nothing else */
    char *x = dom_canon("<p>a</p><script>1</script>", 26, "UTF-8"), *y = dom_canon("<p>a</p><script>2</script>", 26, "UTF-8"),
         *z = dom_canon("<p>b</p><script>1</script>", 26, "UTF-8");
    CHECK(strcmp(x, y) == 0 && strcmp(x, z) != 0, "script text alone is left out of the written tree");
    free(x);
    free(y);
    free(z);
    /* a NUL ends a script in libxml2: nothing is dropped from such a page */
    static const char nul[] = "<script>a()\0b()</script><p>T</p>";
    size_t plen = 0;
    CHECK(!html_drop_script_text(nul, sizeof nul - 1, true, &plen), "a NUL byte");
    /* and the page read is the same */
    const char *page = "<html><head><title>Fair</title><script>var t = '<p>2 March 2020</p>';</script></head>"
                       "<body><article><h1>Fair</h1><p>Published 3 March 2021</p><p>The fair opened.</p>"
                       "<script>document.write('<p>1 January 2000</p>')</script></article></body></html>";
    html_page p;
    CHECK(read_page(page, NULL, &p), "html_read failed");
    CHECK(streq(p.published, "2021-03-03") && has(p.text, "The fair opened.") && !has(p.text, "2000") &&
              !has(p.text, "2020"),
          "a page read without its scripts' text");
    html_page_finish(&p);
}

static void test_german(void)
{
    const char *page =
        "<html lang=\"de\"><head><meta charset=\"utf-8\"></head><body><main>"
        "<h1>Stadtfest in Neustadt</h1><div class=\"meta\">Veröffentlicht am 3. März 2021</div>"
        "<p>Das Stadtfest findet am 12. Juni 2021 statt, teilte die Stadt mit.</p>"
        "</main></body></html>";
    html_page p;
    CHECK(read_page(page, NULL, &p), "html_read failed");
    CHECK(streq(p.published, "2021-03-03"), "German '3. März 2021'");
    CHECK(streq(p.lang, "de"), "lang de");
    html_page_finish(&p);

    published_is("<html lang=\"de\"><body><p>Stand: 15.11.2023</p><p>Ein kurzer Text über "
                 "den Wochenmarkt.</p></body></html>",
                 "2023-11-15", "German numeric 15.11.2023");
    published_is("<html lang=\"fr\"><body><p class=\"date\">Publié le 29 juin 2019</p>"
                 "<p>Un texte sur le marché du dimanche.</p></body></html>",
                 "2019-06-29", "French 'Publié le 29 juin 2019'");
    /* month names are ruled out by their first two letters: a capital or a non-ASCII second
       letter must still be found */
    published_is("<html lang=\"fr\"><body><p class=\"date\">Publié le 2 Février 2024</p>"
                 "<p>Un texte sur le marché du dimanche.</p></body></html>",
                 "2024-02-02", "French 'Publié le 2 Février 2024'");
    published_is("<html><body><p class=\"date\">PUBLISHED MAY 5, 2020</p>"
                 "<p>A short text about the Sunday market.</p></body></html>",
                 "2020-05-05", "'PUBLISHED MAY 5, 2020' in capitals");
}

static void test_published_vs_modified(void)
{
    /* only modified markers: published stays unknown rather than taking them */
    const char *page =
        "<html><head><meta property=\"article:modified_time\" content=\"2022-01-10T10:00:00Z\">"
        "<meta property=\"og:updated_time\" content=\"2022-01-10T10:00:00Z\">"
        "<meta name=\"dc.date.issued\" content=\"2021-12-24\"></head>"
        "<body><p>Winter opening hours of the swimming pool.</p></body></html>";
    html_page p;
    CHECK(read_page(page, NULL, &p), "html_read failed");
    CHECK(streq(p.published, "2021-12-24"), "published chosen over modified");
    CHECK(p.modified && strncmp(p.modified, "2022-01-10", 10) == 0, "modified recorded");
    html_page_finish(&p);
}

static void test_related_link_date(void)
{
    const char *page =
        "<html><body><article><h1>Library extends hours</h1>"
        "<time itemprop=\"datePublished\" datetime=\"2020-10-05\">5 October 2020</time>"
        "<p>The central library will stay open until nine on weekdays from next month.</p>"
        "<aside class=\"related-articles\"><ul>"
        "<li><a href=\"/2019/01/01/old\"><time datetime=\"2019-01-01\">1 January 2019</time> "
        "Library closes for a week</a></li></ul></aside></article></body></html>";
    html_page p;
    CHECK(read_page(page, NULL, &p), "html_read failed");
    CHECK(streq(p.published, "2020-10-05"), "own date, not the related article's");
    CHECK(!has(p.text, "closes for a week"), "related block dropped from text");
    html_page_finish(&p);

    /* the only <time> sits in a related block: not evidence from the page's own markers or
     * byline (only the raw-markup last resort may still guess it, and says so) */
    const char *page2 =
        "<html><body><p>An undated opinion piece about bicycles in cities.</p>"
        "<div class=\"related\"><a href=\"/x\"><time datetime=\"2019-01-01\">1 Jan 2019</time> "
        "Other story</a></div></body></html>";
    CHECK(read_page(page2, NULL, &p), "html_read failed");
    CHECK(p.published == NULL || (p.published_from && strncmp(p.published_from, "markup", 6) == 0),
          "related date is at most a labelled markup guess");
    html_page_finish(&p);

    const char *page3 = "<html><body><p>An undated note about bicycles in cities.</p>"
                        "<footer>&copy; 2021 Example. Copyright 2021.</footer></body></html>";
    CHECK(read_page(page3, NULL, &p), "html_read failed");
    CHECK(p.published == NULL, "copyright year gives no date");
    html_page_finish(&p);
}

static void test_entities_and_scripts(void)
{
    const char *page =
        "<html><head><style>p { color: red }</style><script>var secret = 'hidden code';"
        "</script></head><body><p>Fish &amp; chips at the caf&eacute; &#8212; it&#8217;s "
        "open.</p><script>document.write('injected')</script><noscript>enable js</noscript>"
        "<p>Second   paragraph\n  with\tspaces.</p></body></html>";
    html_page p;
    CHECK(read_page(page, NULL, &p), "html_read failed");
    CHECK(has(p.text, "Fish & chips at the caf\xC3\xA9 \xE2\x80\x94 it\xE2\x80\x99s open."),
          "entities decoded");
    CHECK(!has(p.text, "secret") && !has(p.text, "injected") && !has(p.text, "color"),
          "script and style absent");
    CHECK(!has(p.text, "enable js"), "noscript absent");
    CHECK(streq(p.text, "Fish & chips at the caf\xC3\xA9 \xE2\x80\x94 it\xE2\x80\x99s open.\n\n"
                        "Second paragraph with spaces."),
          "paragraphs joined by a blank line, spaces collapsed");
    CHECK(p.text_len == strlen(p.text), "text_len matches");
    html_page_finish(&p);
}

/* White space is collapsed the same way whether a text node has no-break spaces (the byte
   loop) or not (the branch-free copy): across inline elements, at a paragraph's ends. */
static void test_white_space(void)
{
    const char *page = "<html><body><p>  Lead<b>ing</b>  and\n<i> trailing </i>\t</p>"
                       "<p>a&nbsp;&nbsp;b <span>&nbsp;c</span> d</p><p> \r\n\v\f </p>"
                       "<p>one<span> </span><span>two</span><span>\n</span></p></body></html>";
    html_page p;
    CHECK(read_page(page, NULL, &p), "html_read failed");
    CHECK(streq(p.text, "Leading and trailing\n\na b c d\n\none two"), "white space collapsed");
    if (!streq(p.text, "Leading and trailing\n\na b c d\n\none two"))
        fprintf(stderr, "  got [%s]\n", p.text);
    html_page_finish(&p);
}

/* A text node is copied sixteen bytes at a time where it holds only words and single spaces:
   each kind of white space, and runs of it, at every place in such a block, collapse as the
   byte loop collapses them. */
static void test_white_space_blocks(void)
{
    /* (no form feed or vertical tab: libxml2 drops them from text, so "a\fb" reads "ab") */
    static const char *gaps[] = {" ", "  ", "\t", "\n", " \r\n ", "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t"};
    static const char words[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop";
    bool all = true;
    for (size_t g = 0; g < sizeof gaps / sizeof *gaps && all; g++)
        for (int at = 0; at < 40 && all; at++)
            for (int lead = 0; lead < 2 && all; lead++) {
                /* twelve words of five letters with single spaces, but the first separator
                   at or after byte `at` is this gap; the text has every word, one space apart */
                char node[256], want[256];
                size_t n = 0, w = 0;
                bool gapped = false;
                if (lead)
                    n += (size_t)snprintf(node, sizeof node, "%s", gaps[g]);
                for (int word = 0; word < 12; word++) {
                    if (word) {
                        const char *sep = !gapped && (int)n >= at ? gaps[g] : " ";
                        gapped = gapped || sep != gaps[0];
                        n += (size_t)snprintf(node + n, sizeof node - n, "%s", sep);
                        want[w++] = ' ';
                    }
                    for (int c = 0; c < 5; c++, n++, w++)
                        node[n] = want[w] = words[(word * 5 + c) % (sizeof words - 1)];
                }
                node[n] = '\0';
                want[w] = '\0';
                char page[512];
                snprintf(page, sizeof page, "<html><body><p>%s</p></body></html>", node);
                html_page p;
                if (!read_page(page, NULL, &p)) {
                    all = false;
                    break;
                }
                all = streq(p.text, want);
                if (!all)
                    fprintf(stderr, "  node [%s]\n  got  [%s]\n  want [%s]\n", node, p.text, want);
                html_page_finish(&p);
            }
    CHECK(all, "white space collapsed wherever it falls in a block of sixteen");
}

static void test_boilerplate(void)
{
    const char *page =
        "<html><body><nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav>"
        "<header><div class=\"logo\">Daily Example</div></header>"
        "<div class=\"breadcrumb\">Home &gt; Local</div>"
        "<div class=\"content\"><h1>Road works on Main Street</h1>"
        "<p>Main Street will be closed for two weeks while the water pipes are replaced.</p>"
        "<p>ALSO READ: Council approves new budget</p>"
        "<p><a href=\"/other\">Ten things to do this weekend</a></p>"
        "<p>READ MORE: Parking rules change</p>"
        "<p>Related: Bus routes change</p>"
        "<p>Drivers are asked to use the bypass.</p>"
        "<div class=\"share-buttons\">Share on social media</div>"
        "<div id=\"comments\">Comment from a reader</div>"
        "<div class=\"cookie-banner\">We use cookies</div>"
        "<div role=\"navigation\">Next page</div>"
        "</div><footer><p>Contact us</p></footer></body></html>";
    html_page p;
    CHECK(read_page(page, NULL, &p), "html_read failed");
    CHECK(has(p.text, "Main Street will be closed"), "article text kept");
    CHECK(has(p.text, "Drivers are asked to use the bypass."), "last paragraph kept");
    CHECK(!has(p.text, "Home"), "nav and breadcrumb dropped");
    CHECK(!has(p.text, "Daily Example"), "header dropped");
    CHECK(!has(p.text, "ALSO READ") && !has(p.text, "READ MORE") && !has(p.text, "Related:"),
          "link teasers dropped");
    CHECK(!has(p.text, "Ten things"), "link-only paragraph dropped");
    CHECK(!has(p.text, "Share on") && !has(p.text, "reader") && !has(p.text, "cookies") &&
              !has(p.text, "Next page") && !has(p.text, "Contact"),
          "share/comments/cookie/navigation/footer dropped");
    html_page_finish(&p);
}

static void test_article_preference(void)
{
    const char *page =
        "<html><body><div class=\"page has-sidebar\"><div class=\"intro\">Welcome to the "
        "portal with lots of words that are not part of the article at all, really.</div>"
        "<article class=\"post\"><h1>Zoo welcomes twin pandas</h1><p>Two panda cubs were born "
        "at the city zoo this week, keepers said on Tuesday.</p><p>The cubs are healthy.</p>"
        "</article><div itemprop=\"articleBody\"><p>Short.</p></div></div></body></html>";
    html_page p;
    CHECK(read_page(page, NULL, &p), "html_read failed");
    CHECK(has(p.text, "Two panda cubs"), "article text present");
    CHECK(!has(p.text, "Welcome to the portal"), "text outside the article dropped");
    CHECK(!has(p.text, "Short."), "the article root with the most text wins");
    html_page_finish(&p);

    /* a wrapper whose class names a sidebar must not swallow the whole page */
    const char *page2 = "<html><body><div class=\"wrapper with-sidebar\"><h1>Title</h1><p>Body "
                        "text of the page.</p></div></body></html>";
    CHECK(read_page(page2, NULL, &p), "html_read failed");
    CHECK(has(p.text, "Body text of the page."), "protected wrapper kept");
    html_page_finish(&p);

    /* an article of 500 bytes or more is the text however much else the page holds; a shorter
       one only when it holds a fifth of the page's text */
    char words[1200] = "", page3[8192];
    for (int i = 0; i < 30; i++)
        strcat(words, "Other text of the page. ");
    for (int alen = 480; alen <= 520; alen += 40) {
        char art[600] = "";
        while (strlen(art) + 11 <= (size_t)alen)
            strcat(art, "Story text ");
        snprintf(page3, sizeof page3,
                 "<html><body><div class=\"portal\"><p>%s</p><p>%s</p><p>%s</p></div><article><p>%s</p></article>"
                 "</body></html>",
                 words, words, words, art);
        CHECK(read_page(page3, NULL, &p), "html_read failed");
        CHECK(has(p.text, "Story text"), "the article's text is there");
        CHECK(alen >= 500 ? !has(p.text, "Other text") : has(p.text, "Other text"),
              alen >= 500 ? "an article of 500 bytes is the page's text" : "a short one is not, beside a long page");
        html_page_finish(&p);
    }
}

static void test_title_lang(void)
{
    const char *page =
        "<html><head><title>Flood warning lifted | Valley News</title>"
        "<meta property=\"og:site_name\" content=\"Valley News\">"
        "<meta property=\"og:locale\" content=\"en_GB\"></head><body><p>x</p></body></html>";
    html_page p;
    CHECK(read_page(page, NULL, &p), "html_read failed");
    CHECK(streq(p.title, "Flood warning lifted"), "site-name suffix stripped");
    CHECK(streq(p.lang, "en-GB"), "og:locale en_GB becomes en-GB");
    html_page_finish(&p);

    const char *page2 =
        "<html><head><title>Dogs - and cats - Pet Corner</title>"
        "<meta property=\"og:site_name\" content=\"Other Name\">"
        "<meta http-equiv=\"content-language\" content=\"fr\"></head><body><p>x</p></body></html>";
    CHECK(read_page(page2, NULL, &p), "html_read failed");
    CHECK(streq(p.title, "Dogs - and cats - Pet Corner"), "suffix kept when not the site name");
    CHECK(streq(p.lang, "fr"), "content-language");
    html_page_finish(&p);

    const char *page3 =
        "<html><head><meta property=\"og:title\" content=\"OG wins\">"
        "<meta name=\"twitter:title\" content=\"Twitter\"><title>Plain</title></head>"
        "<body><h1>H1</h1></body></html>";
    CHECK(read_page(page3, NULL, &p), "html_read failed");
    CHECK(streq(p.title, "OG wins"), "og:title first");
    html_page_finish(&p);
}

static void test_latin1(void)
{
    const char *page = "<html><head><meta http-equiv=\"Content-Type\" "
                       "content=\"text/html; charset=iso-8859-1\"><title>Caf\xE9</title></head>"
                       "<body><p>Le caf\xE9 ouvre \xE0 8 heures.</p></body></html>";
    html_page p;
    CHECK(read_page(page, NULL, &p), "html_read failed");
    CHECK(streq(p.text, "Le caf\xC3\xA9 ouvre \xC3\xA0 8 heures."), "Latin-1 byte becomes UTF-8");
    CHECK(streq(p.title, "Caf\xC3\xA9"), "Latin-1 title");
    html_page_finish(&p);

    /* undeclared charset: UTF-8; stray bytes do not break the output */
    const char *utf = "<html><body><p>na\xC3\xAFve \xFF\xFE end</p></body></html>";
    CHECK(read_page(utf, NULL, &p), "html_read failed");
    CHECK(has(p.text, "na\xC3\xAFve"), "UTF-8 assumed");
    CHECK(utf8_valid_prefix(p.text, p.text_len) == p.text_len, "output is valid UTF-8");
    html_page_finish(&p);
}

static void test_sanity_bounds(void)
{
    const char *page = "<html><head><meta property=\"article:published_time\" "
                       "content=\"1970-01-01T00:00:00Z\"></head><body><p>Old?</p></body></html>";
    html_page p;
    CHECK(read_page(page, NULL, &p), "html_read failed");
    CHECK(p.published == NULL, "dates before 1995 rejected");
    html_page_finish(&p);

    /* a date in the text later than every marker is not the publication date */
    const char *page2 =
        "<html><head><meta property=\"article:modified_time\" content=\"2020-05-01\"></head>"
        "<body><p>The concert is planned for 12 December 2020 in the park.</p></body></html>";
    CHECK(read_page(page2, NULL, &p), "html_read failed");
    CHECK(p.published == NULL, "future text date after all markers rejected");
    CHECK(p.modified && strncmp(p.modified, "2020-05-01", 10) == 0, "modified still reported");
    html_page_finish(&p);
}

static void test_empty_and_junk(void)
{
    html_page p;
    ec_error err;
    ec_error_clear(&err);
    CHECK(html_read("", 0, NULL, &p, &err), "empty input accepted");
    CHECK(p.text && p.text_len == 0, "empty input gives empty text");
    CHECK(p.published == NULL && p.title == NULL, "empty input has no metadata");
    html_page_finish(&p);

    unsigned char junk[4096];
    unsigned v = 12345;
    for (size_t i = 0; i < sizeof junk; i++) {
        v = v * 1103515245u + 12345u;
        junk[i] = (unsigned char)(v >> 16);
    }
    CHECK(html_read((const char *)junk, sizeof junk, NULL, &p, &err), "binary junk accepted");
    CHECK(p.text && utf8_valid_prefix(p.text, p.text_len) == p.text_len, "junk: valid UTF-8");
    html_page_finish(&p);

    const char *broken = "<html><body><p>Unclosed <b>bold <i>italic</p><div><p>next</table>"
                         "</body></html></html><<>>&&;;</p>";
    CHECK(html_read(broken, strlen(broken), NULL, &p, &err), "broken markup accepted");
    CHECK(has(p.text, "Unclosed bold italic"), "broken markup text");
    html_page_finish(&p);

    html_page zero;
    memset(&zero, 0, sizeof zero);
    html_page_finish(&zero);
    CHECK(zero.text == NULL, "finishing a zeroed page is safe");
}

static void nested_page(strbuf *sb, size_t depth)
{
    sb_reset(sb);
    sb_adds(sb, "<html><body>");
    for (size_t i = 0; i < depth; i++)
        sb_adds(sb, "<div>");
    sb_adds(sb, "deep text");
    for (size_t i = 0; i < depth; i++)
        sb_adds(sb, "</div>");
    sb_adds(sb, "<p>after</p></body></html>");
}

static void test_deep_nesting(void)
{
    strbuf sb;
    sb_init(&sb);
    html_page p;
    ec_error err;
    ec_error_clear(&err);

    /* within libxml2's depth limit the text is there */
    nested_page(&sb, 200);
    CHECK(html_read(sb.s, sb.len, NULL, &p, &err), "nested page accepted");
    CHECK(streq(p.text, "deep text\n\nafter"), "nested text");
    html_page_finish(&p);

    /* far beyond it: no crash, no stack overflow, valid output (libxml2 drops what is past
     * its depth limit) */
    nested_page(&sb, 100000);
    CHECK(html_read(sb.s, sb.len, NULL, &p, &err), "deeply nested page accepted");
    CHECK(p.text != NULL && utf8_valid_prefix(p.text, p.text_len) == p.text_len,
          "deep page has a valid text");
    html_page_finish(&p);
    sb_finish(&sb);
}

static void test_many_scripts(void)
{
    strbuf sb;
    sb_init(&sb);
    sb_adds(&sb, "<html><body><p>Visible words.</p>");
    for (size_t i = 0; i < 100000; i++)
        sb_adds(&sb, "<script>var a = 1;</script>");
    sb_adds(&sb, "<p>Last words.</p></body></html>");
    html_page p;
    ec_error err;
    ec_error_clear(&err);
    CHECK(html_read(sb.s, sb.len, NULL, &p, &err), "page with 100000 scripts accepted");
    CHECK(has(p.text, "Visible words.") && !has(p.text, "var a"), "scripts skipped");
    html_page_finish(&p);
    sb_finish(&sb);
}

static void test_sniff(void)
{
    CHECK(html_sniff("<!DOCTYPE html><html>", 21), "doctype");
    CHECK(html_sniff("\xEF\xBB\xBF  \n<HTML lang=en>", 21), "BOM, spaces, upper case");
    CHECK(html_sniff("<p>hello</p>", 12), "<p>");
    CHECK(html_sniff("<div class=x>", 13), "<div");
    CHECK(html_sniff("<meta charset=utf-8>", 20), "<meta");
    CHECK(!html_sniff("Just some plain text.", 21), "plain text");
    CHECK(!html_sniff("{\"id\": \"<p>\"", 5), "JSON start");
    CHECK(!html_sniff("<paragraph>", 11), "<paragraph> is not <p>");
    CHECK(!html_sniff("", 0), "empty");
    CHECK(!html_sniff(NULL, 0), "NULL");
}

int main(void)
{
    test_meta_published();
    test_utc_offset();
    test_jsonld();
    test_time_pubdate();
    test_url_dates();
    test_byline_text();
    test_white_space_blocks();
    test_byline_length();
    test_script_text_dropped();
    test_german();
    test_published_vs_modified();
    test_related_link_date();
    test_entities_and_scripts();
    test_white_space();
    test_boilerplate();
    test_article_preference();
    test_title_lang();
    test_latin1();
    test_sanity_bounds();
    test_empty_and_junk();
    test_deep_nesting();
    test_many_scripts();
    test_sniff();
    printf("%d passed, %d failed\n", n_pass, n_fail);
    return n_fail ? 1 : 0;
}

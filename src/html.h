/*
 * html: turns a saved web page into article text and the metadata the page states about itself.
 *
 * Ownership: html_read() fills an html_page whose strings are heap-allocated and owned by the
 * page; html_page_finish() frees them (a zeroed page is safe to finish).  Nothing is printed.
 */
#ifndef EVENTCAL_HTML_H
#define EVENTCAL_HTML_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

typedef struct html_page {
    char *text;           /* visible article text, UTF-8, paragraphs separated by "\n\n" */
    size_t text_len;
    char *title;          /* og:title, else <title>, else first <h1>; NULL if none */
    char *url;            /* canonical link, else og:url; NULL if none */
    char *published;      /* original publication date or date-time, ISO 8601; NULL if unknown */
    char *published_from; /* the evidence: "meta:article:published_time", "jsonld:datePublished",
                             "time[datetime]", "url", "byline text", ... ; NULL if unknown */
    char *modified;       /* last-modified date when stated; NULL otherwise */
    char *lang;           /* BCP 47 tag from <html lang>, og:locale or content-language; NULL */
} html_page;

/*
 * Parses `len` bytes of HTML (any charset declared in the page is honoured; without one UTF-8
 * is assumed) and fills `page`.  `url_hint` (may be NULL) is the page's address when known from
 * elsewhere; it is used as evidence for the date but never overrides the page's own markers.
 * Returns false only when the page is larger than 2 GB or no parser can be made; bytes libxml2
 * builds no document from are a page with no text, as is a page with no text: text_len == 0
 * and true (with the url hint as its url, when it is one).
 */
bool html_read(const char *data, size_t len, const char *url_hint, html_page *page, ec_error *err);
void html_page_finish(html_page *page);

/*
 * The page's len bytes without the text of its scripts and style sheets (JSON-LD kept), as
 * html_read() hands them to libxml2, in a new string the caller frees (*out_len its length);
 * NULL when the page is parsed as it is: nothing to drop, or markup too irregular to be sure
 * libxml2 would build the same tree from both but for those texts.  `utf8`: the page is read
 * as UTF-8 (else as windows-1252).  Exposed for tests.
 */
char *html_drop_script_text(const char *data, size_t len, bool utf8, size_t *out_len);

/* The libxml2 parser options (htmlParserOption) html_read() parses pages with.  For tests. */
int html_parse_options(void);

/* True if the buffer looks like HTML (a doctype or an <html>/<head>/<body>/<p> tag near the start). */
bool html_sniff(const char *data, size_t len);

#endif

/*
 * dom_canon: the tree libxml2 builds from a page, written out as a string, for tests that a
 * page and its copy without script text (html_drop_script_text()) parse alike.  The text of
 * scripts and style sheets is left out (JSON-LD kept, as the reader keeps it); everything else
 * libxml2 builds is written: elements, attributes, text, comments, in order.
 */
#ifndef EVENTCAL_DOM_CANON_H
#define EVENTCAL_DOM_CANON_H

#include <stdbool.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "html.h"
#include "util.h"

static bool dom_canon_raw(xmlNode *n)
{
    if (!n->name)
        return false;
    if (xmlStrcasecmp(n->name, BAD_CAST "style") == 0)
        return true;
    if (xmlStrcasecmp(n->name, BAD_CAST "script") != 0)
        return false;
    xmlChar *type = xmlGetProp(n, BAD_CAST "type");
    bool ld = type && ascii_strcasestr((const char *)type, "ld+json");
    xmlFree(type);
    return !ld;
}

static void dom_canon_nodes(xmlNode *n, strbuf *out)
{
    for (; n; n = n->next) {
        switch (n->type) {
        case XML_ELEMENT_NODE:
            sb_printf(out, "<%s", (const char *)n->name);
            for (xmlAttr *a = n->properties; a; a = a->next) {
                xmlChar *v = xmlNodeListGetString(n->doc, a->children, 1);
                sb_printf(out, " %s=[%s]", (const char *)a->name, v ? (const char *)v : "");
                xmlFree(v);
            }
            sb_addc(out, '>');
            if (!dom_canon_raw(n))
                dom_canon_nodes(n->children, out);
            sb_printf(out, "</%s>", (const char *)n->name);
            break;
        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE:
            sb_printf(out, "T[%s]", n->content ? (const char *)n->content : "");
            break;
        case XML_COMMENT_NODE:
            sb_printf(out, "C[%s]", n->content ? (const char *)n->content : "");
            break;
        default:
            sb_printf(out, "N%d", (int)n->type);
            if (n->children && n->type != XML_DTD_NODE && n->type != XML_ENTITY_REF_NODE)
                dom_canon_nodes(n->children, out);
            break;
        }
    }
}

/* The page's tree as html_read() parses it with encoding `enc`, written out; the caller
   frees it.  "(none)" when libxml2 builds nothing. */
static char *dom_canon(const char *data, size_t len, const char *enc)
{
    strbuf sb;
    sb_init(&sb);
    htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
    htmlDocPtr doc = ctxt ? htmlCtxtReadMemory(ctxt, data, (int)len, NULL, enc, html_parse_options()) : NULL;
    if (doc)
        dom_canon_nodes(doc->children, &sb);
    else
        sb_add(&sb, "(none)", 6);
    xmlFreeDoc(doc);
    htmlFreeParserCtxt(ctxt);
    return sb_steal(&sb);
}

/* Whether the page parses as its copy without script text does (true when none is made). */
static bool dom_canon_same(const char *data, size_t len, bool utf8)
{
    size_t plen = 0;
    char *plain = html_drop_script_text(data, len, utf8, &plen);
    if (!plain)
        return true;
    const char *enc = utf8 ? "UTF-8" : "windows-1252";
    char *a = dom_canon(data, len, enc), *b = dom_canon(plain, plen, enc);
    bool same = strcmp(a, b) == 0;
    free(a);
    free(b);
    free(plain);
    return same;
}

#endif

/*
 * html: article text and self-described metadata from a saved web page (libxml2's HTML parser).
 *
 * The tree is walked without recursion (parent/next pointers), so deep nesting costs no stack.
 * Publication date: structured markers first (meta, JSON-LD, <time>), then the URL, then dated
 * byline text; the last-modified date is kept apart and never used as the publication date.
 */
#include "html.h"

#include <jansson.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* ------------------------------------------------------------------------------------------ */
/* small string helpers                                                                        */

static const char *node_name(const xmlNode *n)
{
    return n && n->name ? (const char *)n->name : "";
}

static bool name_is(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && ascii_strcaseeq(node_name(n), name);
}

/* Whether name is one of list's, which are in lower case: their first letters rule out most
   before a comparison (every element of a page asks two or three such lists). */
static bool name_in(const char *name, const char *const *list)
{
    int c0 = ascii_tolower((unsigned char)name[0]);
    for (size_t i = 0; list[i]; i++)
        if ((unsigned char)list[i][0] == c0 && ascii_strcaseeq(name, list[i]))
            return true;
    return false;
}

/* Attribute value (caller frees with xmlFree) or NULL; attribute names compared case-blind. */
static char *attr_get(const xmlNode *n, const char *name)
{
    for (const xmlAttr *a = n->properties; a; a = a->next) {
        if (a->name && ascii_strcaseeq((const char *)a->name, name)) {
            xmlChar *v = xmlNodeGetContent((const xmlNode *)a);
            return v ? (char *)v : (char *)xmlStrdup((const xmlChar *)"");
        }
    }
    return NULL;
}

static bool attr_has(const xmlNode *n, const char *name)
{
    for (const xmlAttr *a = n->properties; a; a = a->next)
        if (a->name && ascii_strcaseeq((const char *)a->name, name))
            return true;
    return false;
}

/* Collapses runs of whitespace into single spaces and trims; returns a new string. */
static char *collapse_ws(const char *s)
{
    strbuf sb;
    sb_init(&sb);
    bool space = false;
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
        if (ascii_isspace(*p) || (p[0] == 0xC2 && p[1] == 0xA0)) {
            if (p[0] == 0xC2)
                p++;
            space = sb.len > 0;
            continue;
        }
        if (space)
            sb_addc(&sb, ' ');
        space = false;
        sb_addc(&sb, (char)*p);
    }
    return sb_steal(&sb);
}

/* Clean UTF-8 copy (invalid bytes replaced), whitespace collapsed; NULL for empty. */
static char *clean_text(const char *s)
{
    if (!s)
        return NULL;
    size_t n;
    char *u = utf8_sanitize(s, strlen(s), &n, NULL);
    char *c = collapse_ws(u);
    free(u);
    if (!c[0]) {
        free(c);
        return NULL;
    }
    return c;
}

/* ------------------------------------------------------------------------------------------ */
/* sniffing                                                                                    */

bool html_sniff(const char *data, size_t len)
{
    if (!data)
        return false;
    size_t i = utf8_bom_len(data, len);
    while (i < len && ascii_isspace((unsigned char)data[i]))
        i++;
    size_t end = len < i + 1024 ? len : i + 1024;
    static const char *const marks[] = {"<!doctype html", "<html", "<head", "<body", "<meta",
                                        "<p>", "<div", NULL};
    for (size_t p = i; p < end; p++) {
        if (data[p] != '<')
            continue;
        for (size_t k = 0; marks[k]; k++) {
            size_t ml = strlen(marks[k]);
            if (p + ml <= len && ascii_strncaseeq(data + p, marks[k], ml)) {
                if (k == 5) /* "<p>" */
                    return true;
                char c = p + ml < len ? data[p + ml] : ' ';
                if (k == 0 || ascii_isspace((unsigned char)c) || c == '>' || c == '/')
                    return true;
            }
        }
    }
    return false;
}

/* ------------------------------------------------------------------------------------------ */
/* dates                                                                                       */

typedef struct pdate {
    int y, m, d;
    int hh, mi, ss;
    bool has_time;
    bool has_tz;
    int tz_min; /* offset east of UTC in minutes */
} pdate;

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int mdays(int y, int m)
{
    static const int md[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : md[m - 1];
}

static bool ymd_ok(int y, int m, int d)
{
    return y >= 1900 && y <= 2200 && m >= 1 && m <= 12 && d >= 1 && d <= mdays(y, m);
}

static long day_number(int y, int m, int d) /* days since 1970-01-01 */
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void from_day_number(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long yy = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

static long pdate_day(const pdate *p)
{
    return day_number(p->y, p->m, p->d);
}

static int read_num(const char *s, int maxdig, int *out)
{
    int n = 0, v = 0;
    while (n < maxdig && ascii_isdigit((unsigned char)s[n])) {
        v = v * 10 + (s[n] - '0');
        n++;
    }
    *out = v;
    return n;
}

/* Parses the time part after 'T' or ' ': HH:MM[:SS[.fff]][Z|+HH[:MM]|-HHMM]. */
static void parse_time_part(const char *s, pdate *p)
{
    int hh, mi, ss = 0;
    if (read_num(s, 2, &hh) != 2 || s[2] != ':' || read_num(s + 3, 2, &mi) != 2)
        return;
    s += 5;
    if (*s == ':' && read_num(s + 1, 2, &ss) == 2)
        s += 3;
    if (hh > 23 || mi > 59 || ss > 60)
        return;
    if (*s == '.' || *s == ',') {
        s++;
        while (ascii_isdigit((unsigned char)*s))
            s++;
    }
    p->hh = hh;
    p->mi = mi;
    p->ss = ss > 59 ? 59 : ss;
    p->has_time = true;
    while (*s == ' ')
        s++;
    if (*s == 'Z' || *s == 'z' || ascii_strncaseeq(s, "UTC", 3) || ascii_strncaseeq(s, "GMT", 3)) {
        p->has_tz = true;
        p->tz_min = 0;
        if (*s != 'Z' && *s != 'z')
            s += 3;
        else
            return;
        if (*s != '+' && *s != '-')
            return;
    }
    if (*s == '+' || *s == '-') {
        int sign = *s == '-' ? -1 : 1, th, tm = 0;
        s++;
        int n = read_num(s, 2, &th);
        if (n != 2) {
            if (n == 1 && !ascii_isdigit((unsigned char)s[1]))
                n = 1;
            else
                return;
        }
        s += n;
        if (*s == ':')
            s++;
        if (ascii_isdigit((unsigned char)*s) && read_num(s, 2, &tm) != 2)
            return;
        if (th > 14 || tm > 59)
            return;
        p->has_tz = true;
        p->tz_min = sign * (th * 60 + tm);
    }
}

/* MN(): a name with its length, so matching takes no strlen() */
#define MN(name, month) {name, sizeof name - 1, month}
static const struct month_name {
    const char *name;
    size_t len;
    int month;
} month_names[] = {
    /* English */
    MN("january", 1), MN("february", 2), MN("march", 3), MN("april", 4), MN("may", 5), MN("june", 6),
    MN("july", 7), MN("august", 8), MN("september", 9), MN("october", 10), MN("november", 11),
    MN("december", 12), MN("jan", 1), MN("feb", 2), MN("mar", 3), MN("apr", 4), MN("jun", 6), MN("jul", 7),
    MN("aug", 8), MN("sept", 9), MN("sep", 9), MN("oct", 10), MN("nov", 11), MN("dec", 12),
    /* German */
    MN("januar", 1), MN("jänner", 1), MN("februar", 2), MN("märz", 3), MN("maerz", 3), MN("mai", 5),
    MN("juni", 6), MN("juli", 7), MN("oktober", 10), MN("dezember", 12), MN("okt", 10), MN("dez", 12),
    /* French */
    MN("janvier", 1), MN("février", 2), MN("fevrier", 2), MN("mars", 3), MN("avril", 4), MN("juin", 6),
    MN("juillet", 7), MN("août", 8), MN("aout", 8), MN("septembre", 9), MN("octobre", 10),
    MN("novembre", 11), MN("décembre", 12), MN("decembre", 12),
    /* Spanish */
    MN("enero", 1), MN("febrero", 2), MN("marzo", 3), MN("abril", 4), MN("mayo", 5), MN("junio", 6),
    MN("julio", 7), MN("agosto", 8), MN("septiembre", 9), MN("setiembre", 9), MN("octubre", 10),
    MN("noviembre", 11), MN("diciembre", 12),
    /* Italian */
    MN("gennaio", 1), MN("febbraio", 2), MN("aprile", 4), MN("maggio", 5), MN("giugno", 6),
    MN("luglio", 7), MN("settembre", 9), MN("ottobre", 10), MN("dicembre", 12),
    /* Portuguese */
    MN("janeiro", 1), MN("fevereiro", 2), MN("março", 3), MN("marco", 3), MN("maio", 5), MN("junho", 6),
    MN("julho", 7), MN("setembro", 9), MN("outubro", 10), MN("novembro", 11), MN("dezembro", 12),
    {NULL, 0, 0},
};
#undef MN

/* The names above by their first letter, built once: most words of a text start with a letter
   no name starts with, and the others need compare only the few names that do. */
enum { MONTHS_PER_LETTER = 24 };
static struct {
    uint8_t n[26];
    uint8_t idx[26][MONTHS_PER_LETTER];
    /* per first letter, the second bytes its names have: bit 0-25 a letter, bit 26 a byte of
       a non-ASCII character ("märz").  Most words that share a first letter with some name
       differ in the second ("and", "also" against "april", "august"; "most" against "march",
       "may", "mai") */
    uint32_t second[26];
} month_index;
static pthread_once_t month_index_once = PTHREAD_ONCE_INIT;

/* The bit of month_index.second for a second byte; 0 when no name has such a byte there. */
static uint32_t second_bit(unsigned char c)
{
    c = (unsigned char)ascii_tolower(c);
    if (c >= 'a' && c <= 'z')
        return 1u << (c - 'a');
    return c >= 0x80 ? 1u << 26 : 0;
}

static void month_index_build(void)
{
    for (uint8_t i = 0; month_names[i].name; i++) {
        int c = month_names[i].name[0] - 'a'; /* each name starts with a lower-case ASCII letter */
        if (c >= 0 && c < 26 && month_index.n[c] < MONTHS_PER_LETTER) {
            month_index.idx[c][month_index.n[c]++] = i;
            month_index.second[c] |= second_bit((unsigned char)month_names[i].name[1]);
        }
    }
}

static bool word_byte(unsigned char c)
{
    return ascii_isalpha(c) || c >= 0x80;
}

/* Month name at s (case-blind for ASCII letters; a trailing '.' allowed); returns length. */
static int match_month(const char *s, int *month)
{
    int c0 = ascii_tolower((unsigned char)s[0]) - 'a';
    if (c0 < 0 || c0 >= 26)
        return 0;
    pthread_once(&month_index_once, month_index_build);
    if (!(month_index.second[c0] & second_bit((unsigned char)s[1])))
        return 0; /* every name is longer than one byte, so s[1] is read only when s[0] is not NUL */
    int best = 0;
    for (int k = 0; k < month_index.n[c0]; k++) {
        const struct month_name *m = &month_names[month_index.idx[c0][k]];
        size_t n = m->len;
        if ((int)n <= best || !ascii_strncaseeq(s, m->name, n))
            continue;
        if (word_byte((unsigned char)s[n]))
            continue;
        best = (int)n;
        *month = m->month;
    }
    if (best && s[best] == '.')
        best++;
    return best;
}

static void skip_ws(const char **s)
{
    for (;;) {
        const unsigned char *p = (const unsigned char *)*s;
        if (ascii_isspace(*p))
            (*s)++;
        else if (p[0] == 0xC2 && p[1] == 0xA0)
            *s += 2;
        else
            return;
    }
}

/*
 * Tries to read a date starting exactly at s.  Accepted: ISO (YYYY-MM-DD[Thh:mm...]),
 * YYYY/MM/DD, YYYYMMDD (only when `compact`), D.M.YYYY / D/M/YYYY (M/D/YYYY when `us`),
 * "15 November 2023", "15. November 2023", "15 de noviembre de 2023", "November 15, 2023",
 * optionally preceded by a weekday.  Returns the number of bytes read, 0 when none.
 */
static size_t parse_date_at(const char *s, bool us, bool compact, pdate *out)
{
    pdate p;
    memset(&p, 0, sizeof p);
    const char *start = s;
    int a, b, c, n1, n2, n3, mon;
    n1 = read_num(s, 4, &a);
    if (n1 == 4 && !ascii_isdigit((unsigned char)s[4])) {
        char sep = s[4];
        if ((sep == '-' || sep == '/' || sep == '.') && (n2 = read_num(s + 5, 2, &b)) >= 1 &&
            s[5 + n2] == sep && (n3 = read_num(s + 6 + n2, 2, &c)) >= 1 &&
            !ascii_isdigit((unsigned char)s[6 + n2 + n3])) {
            if (!ymd_ok(a, b, c))
                return 0;
            p.y = a;
            p.m = b;
            p.d = c;
            const char *t = s + 6 + n2 + n3;
            if ((*t == 'T' || *t == ' ') && ascii_isdigit((unsigned char)t[1]))
                parse_time_part(t + 1, &p);
            *out = p;
            return (size_t)(t - start);
        }
        return 0;
    }
    if (n1 == 4 && compact) {
        int y, m, d;
        if (read_num(s, 8, &y) == 8 && !ascii_isdigit((unsigned char)s[8])) {
            m = (y / 100) % 100;
            d = y % 100;
            y /= 10000;
            if (!ymd_ok(y, m, d))
                return 0;
            p.y = y;
            p.m = m;
            p.d = d;
            *out = p;
            return 8;
        }
        return 0;
    }
    if (n1 >= 1 && n1 <= 2) {
        const char *t = s + n1;
        char sep = *t;
        if ((sep == '.' || sep == '/' || sep == '-') && (n2 = read_num(t + 1, 2, &b)) >= 1 &&
            t[1 + n2] == sep && read_num(t + 2 + n2, 4, &c) == 4 &&
            !ascii_isdigit((unsigned char)t[6 + n2])) {
            int d = a, m = b;
            if (sep == '/' && us && a <= 12)
                d = b, m = a;
            if (sep == '/' && !us && b > 12 && a <= 12)
                d = b, m = a;
            if (!ymd_ok(c, m, d))
                return 0;
            p.y = c;
            p.m = m;
            p.d = d;
            t += 6 + n2;
            if ((*t == ' ' || *t == ',') && (t[1] == ' ' || ascii_isdigit((unsigned char)t[1]))) {
                const char *u = t + 1;
                skip_ws(&u);
                if (ascii_isdigit((unsigned char)*u))
                    parse_time_part(u, &p);
                p.has_tz = false; /* visible times carry no reliable zone */
            }
            *out = p;
            return (size_t)(t - start);
        }
        /* D[.] [de] Month [de|,] YYYY */
        if (*t == '.')
            t++;
        if (!(ascii_isspace((unsigned char)*t) || (t[0] == '\xC2' && t[1] == '\xA0')))
            return 0;
        skip_ws(&t);
        if (ascii_strncaseeq(t, "de ", 3))
            t += 3;
        int ml = match_month(t, &mon);
        if (!ml)
            return 0;
        t += ml;
        if (*t == ',')
            t++;
        skip_ws(&t);
        if (ascii_strncaseeq(t, "de ", 3))
            t += 3;
        if (read_num(t, 4, &c) != 4 || ascii_isdigit((unsigned char)t[4]))
            return 0;
        if (!ymd_ok(c, mon, a))
            return 0;
        p.y = c;
        p.m = mon;
        p.d = a;
        *out = p;
        return (size_t)(t + 4 - start);
    }
    if (n1 == 0) {
        /* Month D[st|nd|rd|th][,] YYYY */
        int ml = match_month(s, &mon);
        if (!ml)
            return 0;
        const char *t = s + ml;
        skip_ws(&t);
        int d;
        int nd = read_num(t, 2, &d);
        if (nd == 0 || ascii_isdigit((unsigned char)t[nd]))
            return 0;
        t += nd;
        if (ascii_strncaseeq(t, "st", 2) || ascii_strncaseeq(t, "nd", 2) ||
            ascii_strncaseeq(t, "rd", 2) || ascii_strncaseeq(t, "th", 2))
            t += 2;
        if (*t == ',')
            t++;
        skip_ws(&t);
        if (read_num(t, 4, &c) != 4 || ascii_isdigit((unsigned char)t[4]))
            return 0;
        if (!ymd_ok(c, mon, d))
            return 0;
        p.y = c;
        p.m = mon;
        p.d = d;
        *out = p;
        return (size_t)(t + 4 - start);
    }
    return 0;
}

/* Parses a whole attribute value (leading spaces and a weekday allowed). */
static bool parse_date_value(const char *s, bool us, pdate *out)
{
    if (!s)
        return false;
    skip_ws(&s);
    /* Unix time in seconds or milliseconds */
    int nd = 0;
    while (ascii_isdigit((unsigned char)s[nd]))
        nd++;
    if ((nd == 10 || nd == 13) && !s[nd]) {
        long long v = strtoll(s, NULL, 10);
        if (nd == 13)
            v /= 1000;
        long day = (long)(v / 86400);
        memset(out, 0, sizeof *out);
        from_day_number(day, &out->y, &out->m, &out->d);
        return true;
    }
    for (int tries = 0; tries < 3; tries++) {
        if (parse_date_at(s, us, true, out))
            return true;
        /* skip a weekday or other leading word ("Mon, 15 Nov 2023", "Wednesday 15 ...") */
        const char *t = s;
        while (*t && word_byte((unsigned char)*t))
            t++;
        if (t == s)
            return false;
        if (*t == ',' || *t == '.')
            t++;
        skip_ws(&t);
        s = t;
    }
    return false;
}

static void format_pdate(const pdate *p, char *buf, size_t size)
{
    if (!p->has_time) {
        snprintf(buf, size, "%04d-%02d-%02d", p->y, p->m, p->d);
    } else if (!p->has_tz) {
        snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d", p->y, p->m, p->d, p->hh, p->mi, p->ss);
    } else {
        int off = p->tz_min < 0 ? -p->tz_min : p->tz_min;
        snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", p->y, p->m, p->d, p->hh,
                 p->mi, p->ss, p->tz_min < 0 ? '-' : '+', off / 60, off % 60);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* date candidates                                                                             */

enum { SRC_META = 0, SRC_JSONLD, SRC_ITEMPROP, SRC_TIME_PUB, SRC_TIME, SRC_URL, SRC_TEXT_KEY,
       SRC_TEXT, SRC_TEXT_UPDATED, SRC_COUNT };

typedef struct dcand {
    pdate d;
    int src;
    int rank; /* lower is better within a source */
    long order;
    char *from;
} dcand;

typedef struct dlist {
    dcand *v;
    size_t n, cap;
} dlist;

static void dlist_add(dlist *l, const pdate *d, int src, int rank, long order, const char *from)
{
    if (l->n >= 4096)
        return;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    dcand *c = &l->v[l->n++];
    c->d = *d;
    c->src = src;
    c->rank = rank;
    c->order = order;
    c->from = xstrdup(from);
}

static void dlist_free(dlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].from);
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* meta names that state the original publication date, best first */
static const char *const meta_pub[] = {
    "article:published_time", "og:article:published_time", "og:published_time",
    "article:published", "datepublished", "article.published", "published_time",
    "parsely-pub-date", "sailthru.date", "dc.date.issued", "dcterms.issued", "dc.date.created",
    "dcterms.created", "dc.created", "citation_publication_date", "citation_date",
    "prism.publicationdate", "publishdate", "publish-date", "publish_date", "published-date",
    "published_date", "publication_date", "pubdate", "og:pubdate", "article_date_original",
    "original-publish-date", "originalpublicationdate", "cxenseparse:recs:publishtime",
    "date_published", "datecreated", "article.created", "release_date", "pub_date",
    "iso-8601-publish-date", "dc.date", "dc:date", "dcterms.date", "date", "displaydate",
    "article:post_date", "bt:pubdate", "rnews:datepublished", "datepublished", NULL,
};

static const char *const meta_mod[] = {
    "article:modified_time", "og:updated_time", "article:modified", "datemodified",
    "dcterms.modified", "dc.date.modified", "modified_time", "last-modified", "lastmod",
    "article.updated", "revised", "dateupdated", "parsely-updated", NULL,
};

static int list_index(const char *name, const char *const *list)
{
    for (int i = 0; list[i]; i++)
        if (ascii_strcaseeq(name, list[i]))
            return i;
    return -1;
}

/* ------------------------------------------------------------------------------------------ */
/* JSON-LD                                                                                     */

static int jsonld_type_rank(json_t *obj)
{
    json_t *t = json_object_get(obj, "@type");
    const char *names[8];
    size_t n = 0;
    if (json_is_string(t)) {
        names[n++] = json_string_value(t);
    } else if (json_is_array(t)) {
        for (size_t i = 0; i < json_array_size(t) && n < 8; i++)
            if (json_is_string(json_array_get(t, i)))
                names[n++] = json_string_value(json_array_get(t, i));
    }
    int best = 3;
    for (size_t i = 0; i < n; i++) {
        const char *s = names[i];
        if (ascii_strcasestr(s, "Article") || ascii_strcasestr(s, "BlogPosting") ||
            ascii_strcasestr(s, "Report") || ascii_strcaseeq(s, "LiveBlogPosting") ||
            ascii_strcaseeq(s, "Posting") || ascii_strcaseeq(s, "SocialMediaPosting"))
            best = best < 0 ? best : 0;
        else if (ascii_strcasestr(s, "WebPage") || ascii_strcaseeq(s, "CreativeWork"))
            best = best < 1 ? best : 1;
        else if (ascii_strcasestr(s, "Video") || ascii_strcasestr(s, "Image") ||
                 ascii_strcasestr(s, "Organization") || ascii_strcasestr(s, "Person") ||
                 ascii_strcasestr(s, "Event"))
            best = best < 4 ? best : 4;
    }
    return best;
}

static void jsonld_walk(json_t *j, int depth, dlist *pub, dlist *mod, long *order)
{
    if (depth > 24 || !j)
        return;
    if (json_is_array(j)) {
        for (size_t i = 0; i < json_array_size(j); i++)
            jsonld_walk(json_array_get(j, i), depth + 1, pub, mod, order);
        return;
    }
    if (!json_is_object(j))
        return;
    int tr = jsonld_type_rank(j);
    json_t *v = json_object_get(j, "datePublished");
    pdate d;
    if (json_is_string(v) && parse_date_value(json_string_value(v), false, &d))
        dlist_add(pub, &d, SRC_JSONLD, tr * 100 + (depth < 99 ? depth : 99), (*order)++,
                  "jsonld:datePublished");
    v = json_object_get(j, "dateCreated");
    if (json_is_string(v) && parse_date_value(json_string_value(v), false, &d))
        dlist_add(pub, &d, SRC_JSONLD, 50 + tr * 100 + (depth < 49 ? depth : 49), (*order)++,
                  "jsonld:dateCreated");
    v = json_object_get(j, "dateModified");
    if (json_is_string(v) && parse_date_value(json_string_value(v), false, &d))
        dlist_add(mod, &d, SRC_JSONLD, tr, (*order)++, "jsonld:dateModified");
    /* descend, but not into lists of other works */
    const char *key;
    json_t *val;
    json_object_foreach(j, key, val)
    {
        if (!json_is_object(val) && !json_is_array(val))
            continue;
        if (ascii_strcaseeq(key, "@graph") || ascii_strcaseeq(key, "mainEntity") ||
            ascii_strcaseeq(key, "mainEntityOfPage"))
            jsonld_walk(val, depth + 1, pub, mod, order);
        else if (ascii_strcaseeq(key, "itemListElement") || ascii_strcaseeq(key, "hasPart") ||
                 ascii_strcaseeq(key, "relatedLink") || ascii_strcaseeq(key, "isPartOf") ||
                 ascii_strcaseeq(key, "liveBlogUpdate") || ascii_strcaseeq(key, "comment") ||
                 ascii_strcaseeq(key, "video") || ascii_strcaseeq(key, "image") ||
                 ascii_strcaseeq(key, "author") || ascii_strcaseeq(key, "publisher") ||
                 ascii_strcaseeq(key, "citation") || ascii_strcaseeq(key, "review"))
            continue;
        else
            jsonld_walk(val, depth + 3, pub, mod, order);
    }
}

/* When the JSON does not parse: look for "datePublished": "..." in the raw text. */
static void jsonld_scan_raw(const char *s, dlist *pub, dlist *mod, long *order)
{
    static const char *const keys[] = {"\"datePublished\"", "\"dateModified\"", NULL};
    for (int k = 0; keys[k]; k++) {
        const char *p = strstr(s, keys[k]);
        if (!p)
            continue;
        p += strlen(keys[k]);
        while (ascii_isspace((unsigned char)*p))
            p++;
        if (*p != ':')
            continue;
        p++;
        while (ascii_isspace((unsigned char)*p))
            p++;
        if (*p != '"')
            continue;
        char buf[64];
        size_t i = 0;
        p++;
        while (*p && *p != '"' && i + 1 < sizeof buf)
            buf[i++] = *p++;
        buf[i] = '\0';
        pdate d;
        if (parse_date_value(buf, false, &d)) {
            if (k == 0)
                dlist_add(pub, &d, SRC_JSONLD, 500, (*order)++, "jsonld:datePublished");
            else
                dlist_add(mod, &d, SRC_JSONLD, 0, (*order)++, "jsonld:dateModified");
        }
    }
}

static void jsonld_read(const char *text, dlist *pub, dlist *mod, long *order)
{
    if (!text)
        return;
    const char *s = text;
    while (ascii_isspace((unsigned char)*s))
        s++;
    /* wrappers some CMSs put around the JSON */
    if (!strncmp(s, "<!--", 4))
        s += 4;
    if (!strncmp(s, "//<![CDATA[", 11))
        s += 11;
    else if (!strncmp(s, "<![CDATA[", 9))
        s += 9;
    size_t len = strlen(s);
    while (len && (ascii_isspace((unsigned char)s[len - 1]) || s[len - 1] == ';'))
        len--;
    if (len >= 3 && !strncmp(s + len - 3, "-->", 3))
        len -= 3;
    if (len >= 5 && !strncmp(s + len - 5, "//]]>", 5))
        len -= 5;
    else if (len >= 3 && !strncmp(s + len - 3, "]]>", 3))
        len -= 3;
    json_error_t jerr;
    json_t *j = json_loadb(s, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
    if (j) {
        jsonld_walk(j, 0, pub, mod, order);
        json_decref(j);
    } else {
        jsonld_scan_raw(s, pub, mod, order);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* boilerplate detection                                                                       */

static const char *const drop_tags[] = {
    "script", "style", "noscript", "template", "svg", "iframe", "form", "button", "select",
    "nav", "header", "footer", "aside", "head", "textarea", "object", "embed", "canvas",
    "math", "map", "dialog", "menu", "input", "video", "audio", "picture", "title", NULL,
};

static const char *const block_tags[] = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "br", "tr", "table",
    "section", "article", "blockquote", "figcaption", "figure", "main", "dl", "dt", "dd",
    "pre", "hr", "address", "caption", "center", "details", "summary", "header", "footer",
    "tbody", "thead", "body", "html", "hgroup", "fieldset", "legend", NULL,
};

static const char *const boiler_words[] = {
    "related", "share", "sharing", "social", "comment", "cookie", "footer", "nav", "menu",
    "breadcrumb", "promo", "newsletter", "advert", "sidebar", "teaser", "recommend", "popular",
    "trending", "subscribe", "signup", "outbrain", "taboola", "masthead", NULL,
};

/* Does one part of a class/id token (split at - _ and spaces) name boilerplate? */
static bool boiler_part(const char *p, size_t n)
{
    if (n < 3)
        return false;
    for (size_t i = 0; boiler_words[i]; i++) {
        size_t wl = strlen(boiler_words[i]);
        if (n >= wl && ascii_strncaseeq(p, boiler_words[i], wl)) {
            /* "nav" must not match "navy"; "comment" allows "comments", "commentary" not */
            if (!strcmp(boiler_words[i], "nav") && n > 3 &&
                !ascii_strncaseeq(p, "navbar", 6) && !ascii_strncaseeq(p, "navigation", 10) &&
                !ascii_strncaseeq(p, "navlinks", 8) && !ascii_strncaseeq(p, "navmenu", 7))
                continue;
            if (!strcmp(boiler_words[i], "comment") && n > 8)
                continue;
            if (!strcmp(boiler_words[i], "share") && n > 6 && ascii_strncaseeq(p, "shared", 6))
                continue;
            return true;
        }
    }
    return false;
}

static bool boiler_value(const char *v)
{
    if (!v)
        return false;
    const char *p = v;
    while (*p) {
        while (*p && ascii_isspace((unsigned char)*p))
            p++;
        const char *tok = p;
        while (*p && !ascii_isspace((unsigned char)*p))
            p++;
        size_t tl = (size_t)(p - tok);
        if (!tl)
            break;
        /* WordPress-style taxonomy classes name topics, not page parts */
        if ((tl > 4 && ascii_strncaseeq(tok, "tag-", 4)) ||
            (tl > 9 && ascii_strncaseeq(tok, "category-", 9)) ||
            (tl > 3 && ascii_strncaseeq(tok, "has-", 4)) ||
            (tl > 3 && ascii_strncaseeq(tok, "is-", 3)))
            continue;
        const char *q = tok;
        bool modifier = false; /* after "has"/"with"/"no"/"is": "layout--has-sidebar" */
        while (q < p) {
            const char *part = q;
            while (q < p && *q != '-' && *q != '_')
                q++;
            size_t pl = (size_t)(q - part);
            if (!modifier && boiler_part(part, pl))
                return true;
            modifier = (pl == 3 && ascii_strncaseeq(part, "has", 3)) ||
                       (pl == 4 && ascii_strncaseeq(part, "with", 4)) ||
                       (pl == 2 && (ascii_strncaseeq(part, "no", 2) || ascii_strncaseeq(part, "is", 2)));
            while (q < p && (*q == '-' || *q == '_'))
                q++;
        }
    }
    return false;
}

/*
 * Each node's _private holds (visible text bytes under it << NODE_SHIFT) | boilerplate << 3 |
 * boilerplate-known << 2 | holds-main << 1 | holds-h1.
 * A node is protected when it holds the page's first <h1> or much of its text: class names on
 * such wrappers ("has-sidebar", "paywall-container", ASP.NET's page-wide <form>) do not make
 * the whole page boilerplate.  Layout tags (<header>, <button>...) that broken markup made
 * the parent of <main> are kept too.
 */
enum { NODE_SHIFT = 4 };
#define NODE_FLAGS ((uintptr_t)(1u << NODE_SHIFT) - 1)
#define NODE_LEN(n) ((size_t)((uintptr_t)(n)->_private >> NODE_SHIFT))
#define NODE_PROT(n) (((uintptr_t)(n)->_private & 1u) != 0)
#define NODE_MAIN(n) (((uintptr_t)(n)->_private & 2u) != 0)
#define NODE_BOILER_KNOWN 4u
#define NODE_BOILER 8u

static void compute_lengths(xmlNode *root)
{
    xmlNode *n = root;
    for (;;) {
        n->_private = NULL;
        if (n->type == XML_ELEMENT_NODE && n->children && !ascii_strcaseeq(node_name(n), "script") &&
            !ascii_strcaseeq(node_name(n), "style")) {
            n = n->children;
            continue;
        }
        if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && n->content) {
            size_t k = 0;
            for (const xmlChar *c = n->content; *c; c++)
                k += !ascii_isspace(*c);
            n->_private = (void *)(uintptr_t)(k << NODE_SHIFT);
        }
        for (;;) {
            if (n == root)
                return;
            xmlNode *p = n->parent;
            p->_private = (void *)((uintptr_t)p->_private + ((uintptr_t)n->_private & ~NODE_FLAGS));
            if (n->next) {
                n = n->next;
                break;
            }
            n = p;
        }
    }
}

static void protect_up(xmlNode *n, uintptr_t bit)
{
    for (; n && n->type == XML_ELEMENT_NODE; n = n->parent)
        n->_private = (void *)((uintptr_t)n->_private | bit);
}

/* The body's text length is kept in the document's _private. */
static bool is_protected(const xmlNode *n)
{
    size_t body_len = n->doc ? (size_t)(uintptr_t)n->doc->_private : 0;
    return NODE_PROT(n) || (body_len > 0 && NODE_LEN(n) * 2 > body_len);
}

/* First element with the given name in document order, or NULL. */
static xmlNode *find_first(xmlNode *root, const char *name)
{
    xmlNode *n = root;
    while (n) {
        if (name_is(n, name))
            return n;
        if (n->type == XML_ELEMENT_NODE && n->children) {
            n = n->children;
            continue;
        }
        while (n != root && !n->next)
            n = n->parent;
        if (n == root)
            return NULL;
        n = n->next;
    }
    return NULL;
}

static bool boiler_of(const xmlNode *n)
{
    const char *nm = node_name(n);
    static const char *const layout_tags[] = {"header", "nav", "footer", "aside", "button",
                                              "select", "menu", "dialog", NULL};
    if (ascii_strcaseeq(nm, "form"))
        return !is_protected(n);
    if (NODE_MAIN(n) && name_in(nm, layout_tags))
        return false;
    if (name_in(nm, drop_tags))
        return true;
    if (ascii_strcaseeq(nm, "html") || ascii_strcaseeq(nm, "body") || ascii_strcaseeq(nm, "main"))
        return false;
    if (is_protected(n))
        return false;
    char *v = attr_get(n, "role");
    bool b = false;
    if (v && (ascii_strcaseeq(v, "navigation") || ascii_strcaseeq(v, "banner") ||
              ascii_strcaseeq(v, "contentinfo") || ascii_strcaseeq(v, "complementary") ||
              ascii_strcaseeq(v, "menu") || ascii_strcaseeq(v, "menubar") ||
              ascii_strcaseeq(v, "dialog") || ascii_strcaseeq(v, "search")))
        b = true;
    xmlFree(v);
    if (!b) {
        v = attr_get(n, "hidden");
        b = v != NULL;
        xmlFree(v);
    }
    if (!b) {
        v = attr_get(n, "aria-hidden");
        b = v && ascii_strcaseeq(v, "true");
        xmlFree(v);
    }
    if (!b) {
        v = attr_get(n, "class");
        b = boiler_value(v);
        xmlFree(v);
    }
    if (!b) {
        v = attr_get(n, "id");
        b = boiler_value(v);
        xmlFree(v);
    }
    return b;
}

/* Whether an element is boilerplate (boiler_of()), kept in the node once known: a page is
   walked four times and each walk asks of every element, fetching its attributes anew. */
static bool is_boiler(const xmlNode *n)
{
    if (n->type != XML_ELEMENT_NODE)
        return false;
    uintptr_t p = (uintptr_t)n->_private;
    if (p & NODE_BOILER_KNOWN)
        return (p & NODE_BOILER) != 0;
    bool b = boiler_of(n);
    ((xmlNode *)n)->_private = (void *)(p | NODE_BOILER_KNOWN | (b ? NODE_BOILER : 0));
    return b;
}

/* ------------------------------------------------------------------------------------------ */
/* text extraction                                                                             */

typedef struct textx {
    strbuf out;  /* finished paragraphs */
    strbuf para; /* current paragraph */
    size_t para_link; /* bytes of the current paragraph that came from inside <a> */
    bool space;
    /* when set, dates in short paragraphs (bylines) are collected here, and that is all the
       walk is for: no text is kept, and a paragraph is copied only while it may still be short
       enough to be searched (BLOCK_DATE_MAX) */
    dlist *dates;
    bool us;      /* read 1/2/2020 as January 2 */
    long n_para;
    bool minimal; /* drop only what is never shown (scripts, styles, templates) */
} textx;

/* The longest paragraph (a byline, a dateline) whose dates are collected. */
enum { BLOCK_DATE_MAX = 160 };

static void text_dates(const char *text, size_t limit, bool us, dlist *out, long base);

static bool teaser_para(const char *s)
{
    static const char *const heads[] = {"also read", "read also", "read more", "related",
                                        "see also", "more from", "recommended", "watch",
                                        "listen", "more", "lesen sie auch", "mehr zum thema",
                                        "lire aussi", "à lire aussi", "leer más", NULL};
    for (size_t i = 0; heads[i]; i++) {
        size_t n = strlen(heads[i]);
        if (!ascii_strncaseeq(s, heads[i], n))
            continue;
        const char *p = s + n;
        while (*p == ' ')
            p++;
        if (*p != ':')
            continue;
        /* "Related: ..." in any case; WATCH/MORE/LISTEN only in capitals */
        if (i >= 5 && i <= 9) {
            bool caps = true;
            for (size_t k = 0; k < n; k++)
                if (ascii_isalpha((unsigned char)s[k]) && (s[k] < 'A' || s[k] > 'Z'))
                    caps = false;
            if (!caps)
                continue;
        }
        return true;
    }
    return false;
}

static void tx_flush(textx *t)
{
    size_t len = t->para.len;
    while (len && t->para.s[len - 1] == ' ')
        len--;
    if (len) {
        t->para.s[len] = '\0';
        if (t->dates && len <= BLOCK_DATE_MAX && t->dates->n < 200 && (t->para_link < len || t->minimal))
            text_dates(t->para.s, len, t->us, t->dates, t->n_para * 1000);
        t->n_para++;
        bool only_link = t->para_link >= len;
        if (!t->dates && !only_link && !teaser_para(t->para.s)) {
            if (t->out.len)
                sb_add(&t->out, "\n\n", 2);
            sb_add(&t->out, t->para.s, len);
        }
    }
    sb_reset(&t->para);
    t->para_link = 0;
    t->space = false;
}

/*
 * tx_text()'s copy of s[0..n) to o + *k without a branch per byte: a space is written before
 * a word that follows white space (*pending), once the paragraph has something in it (*some);
 * every other byte that is not white space is copied.  Returns n.
 */
static inline size_t copy_collapsed(const unsigned char *s, size_t n, char *o, size_t *k, unsigned *pending,
                                    unsigned *some)
{
    size_t kk = *k;
    unsigned pend = *pending, any = *some;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = s[i];
        unsigned ws = ascii_isspace(c);
        o[kk] = ' ';
        kk += pend & !ws & any;
        o[kk] = (char)c;
        kk += !ws;
        any |= !ws;
        pend = ws;
    }
    *k = kk;
    *pending = pend;
    *some = any;
    return n;
}

static void tx_text(textx *t, const char *s, bool in_link)
{
    size_t before = t->para.len, sl = strlen(s);
    if (t->dates && t->dates->n < 200 && (!in_link || t->minimal) && sl <= 100)
        text_dates(s, sl, t->us, t->dates, t->n_para * 1000 + 500);
    if (t->dates && before > BLOCK_DATE_MAX)
        return; /* a paragraph only grows: it will not be searched, and only its being there counts */
    if (!memchr(s, 0xC2, sl)) {
        /* No no-break space: the same as the loop below, without a branch per byte (that
           loop's word ends mispredicted once a word, a tenth of reading an HTML page).  A
           space is written before a word that follows white space, once the paragraph has
           something in it; every other byte that is not white space is copied.  (Testing for
           C2 A0 in this loop too, for one loop instead of two, made pages 3-8% slower.) */
        sb_grow(&t->para, 2 * sl);
        char *o = t->para.s;
        size_t k = t->para.len;
        unsigned pending = t->space, some = k > 0;
        size_t i = 0;
#if defined(__SSE2__)
        /* Sixteen bytes at a time where they are words and single spaces, neither first nor
           last (most of a page's text): then the loop below would copy them as they are, after
           the space owed from before. */
        while (i + 16 <= sl) {
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
            __m128i sp = _mm_cmpeq_epi8(x, _mm_set1_epi8(' '));
            /* \t \n \v \f \r are 9-13 */
            __m128i ctl = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8(8)), _mm_cmplt_epi8(x, _mm_set1_epi8(14)));
            unsigned spaces = (unsigned)_mm_movemask_epi8(sp), other = (unsigned)_mm_movemask_epi8(ctl);
            if (other || (spaces & 0x8001u) || (spaces & (spaces >> 1))) {
                i += copy_collapsed((const unsigned char *)s + i, 16, o, &k, &pending, &some);
                continue;
            }
            o[k] = ' ';
            k += pending & some;
            memcpy(o + k, s + i, 16);
            k += 16;
            pending = 0;
            some = 1;
            i += 16;
        }
#endif
        copy_collapsed((const unsigned char *)s + i, sl - i, o, &k, &pending, &some);
        o[k] = '\0';
        t->para.len = k;
        t->space = sl ? pending : t->space;
        if (in_link)
            t->para_link += t->para.len - before;
        return;
    }
    /* runs of white space (no-break spaces too) become one space; the words between are
       copied a run at a time */
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        if (ascii_isspace(*p) || (p[0] == 0xC2 && p[1] == 0xA0)) {
            p += p[0] == 0xC2 ? 2 : 1;
            t->space = true;
            continue;
        }
        const unsigned char *q = p + 1;
        while (*q && !ascii_isspace(*q) && !(q[0] == 0xC2 && q[1] == 0xA0))
            q++;
        if (t->space && t->para.len)
            sb_addc(&t->para, ' ');
        t->space = false;
        sb_add(&t->para, (const char *)p, (size_t)(q - p));
        p = q;
    }
    if (in_link)
        t->para_link += t->para.len - before;
}

/* Walks the subtree under root (iteratively), skipping boilerplate; `keep_header` keeps
 * <header> elements (used for the byline search). */
static void extract_text(xmlNode *root, textx *t, bool keep_header)
{
    if (!root)
        return;
    xmlNode *n = root;
    int link_depth = 0;
    for (;;) {
        bool descend = false;
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (n->content)
                tx_text(t, (const char *)n->content, link_depth > 0);
        } else if (n->type == XML_ELEMENT_NODE) {
            static const char *const hidden_tags[] = {"script", "style", "noscript", "template",
                                                      "head", "title", NULL};
            bool skip = n != root && (t->minimal ? name_in(node_name(n), hidden_tags) : is_boiler(n));
            if (skip && keep_header && name_is(n, "header"))
                skip = false;
            if (!skip) {
                const char *nm = node_name(n);
                if (name_in(nm, block_tags))
                    tx_flush(t);
                else if (ascii_strcaseeq(nm, "td") || ascii_strcaseeq(nm, "th"))
                    t->space = true;
                if (ascii_strcaseeq(nm, "a"))
                    link_depth++;
                if (n->children)
                    descend = true;
                else if (ascii_strcaseeq(nm, "a"))
                    link_depth--;
            }
        }
        if (descend) {
            n = n->children;
            continue;
        }
        /* leave finished elements */
        while (n != root && !n->next) {
            n = n->parent;
            if (!n)
                return;
            if (n->type == XML_ELEMENT_NODE) {
                const char *nm = node_name(n);
                if (ascii_strcaseeq(nm, "a") && link_depth > 0)
                    link_depth--;
                if (name_in(nm, block_tags))
                    tx_flush(t);
            }
        }
        if (n == root)
            break;
        n = n->next;
    }
    tx_flush(t);
}

static char *node_text(xmlNode *n)
{
    textx t;
    memset(&t, 0, sizeof t);
    sb_init(&t.out);
    sb_init(&t.para);
    extract_text(n, &t, true);
    sb_finish(&t.para);
    /* join paragraphs with spaces */
    for (size_t i = 0; i < t.out.len; i++)
        if (t.out.s[i] == '\n')
            t.out.s[i] = ' ';
    char *s = clean_text(t.out.s ? t.out.s : "");
    sb_finish(&t.out);
    return s;
}

/* ------------------------------------------------------------------------------------------ */
/* the document walk                                                                           */

#define MAX_ROOTS 16

typedef struct walk {
    char *og_title, *tw_title, *title, *h1, *site_name;
    char *canonical, *og_url;
    char *html_lang, *og_locale, *content_lang;
    xmlNode *body;
    xmlNode *roots[MAX_ROOTS];
    size_t n_roots;
    dlist pub, mod;
    long order;
    /* <time> elements: kept as candidates with their context */
} walk;

static bool class_has(const char *v, const char *word)
{
    return v && ascii_strcasestr(v, word);
}

static bool is_article_root(xmlNode *n)
{
    if (name_is(n, "article"))
        return true;
    char *v = attr_get(n, "itemprop");
    bool r = v && ascii_strcaseeq(v, "articleBody");
    xmlFree(v);
    if (r)
        return true;
    static const char *const marks[] = {"article-body", "article__body", "story-body",
                                        "entry-content", "post-content", "articlebody",
                                        "article-content", "story-content", NULL};
    for (int k = 0; k < 2 && !r; k++) {
        v = attr_get(n, k ? "id" : "class");
        for (size_t i = 0; v && marks[i] && !r; i++)
            r = ascii_strcasestr(v, marks[i]) != NULL;
        xmlFree(v);
    }
    return r;
}

static void take(char **slot, const char *v)
{
    if (*slot || !v)
        return;
    *slot = clean_text(v);
}

static void handle_meta(walk *w, xmlNode *n)
{
    char *content = attr_get(n, "content");
    if (!content) {
        char *dt = attr_get(n, "datetime");
        content = dt;
    }
    if (!content)
        return;
    static const char *const keys[] = {"property", "name", "itemprop", "http-equiv", NULL};
    for (int k = 0; keys[k]; k++) {
        char *key = attr_get(n, keys[k]);
        if (!key)
            continue;
        char *kc = collapse_ws(key);
        xmlFree(key);
        if (ascii_strcaseeq(kc, "og:title"))
            take(&w->og_title, content);
        else if (ascii_strcaseeq(kc, "twitter:title"))
            take(&w->tw_title, content);
        else if (ascii_strcaseeq(kc, "og:site_name"))
            take(&w->site_name, content);
        else if (ascii_strcaseeq(kc, "og:url"))
            take(&w->og_url, content);
        else if (ascii_strcaseeq(kc, "og:locale"))
            take(&w->og_locale, content);
        else if (ascii_strcaseeq(kc, "content-language") || ascii_strcaseeq(kc, "language") ||
                 ascii_strcaseeq(kc, "dc.language"))
            take(&w->content_lang, content);
        int i = list_index(kc, meta_pub);
        pdate d;
        if (i >= 0 && parse_date_value(content, false, &d)) {
            char *from = xasprintf("meta:%s", kc);
            dlist_add(&w->pub, &d, SRC_META, i, w->order++, from);
            free(from);
        }
        i = list_index(kc, meta_mod);
        if (i >= 0 && parse_date_value(content, false, &d)) {
            char *from = xasprintf("meta:%s", kc);
            dlist_add(&w->mod, &d, SRC_META, i, w->order++, from);
            free(from);
        }
        free(kc);
    }
    xmlFree(content);
}

/* A <time> or an element with itemprop=datePublished outside <head>. */
static void handle_dated_element(walk *w, xmlNode *n, bool in_boiler, bool in_root_ctx)
{
    char *ip = attr_get(n, "itemprop");
    bool is_time = name_is(n, "time");
    bool ip_pub = ip && ascii_strcaseeq(ip, "datePublished");
    bool ip_mod = ip && ascii_strcaseeq(ip, "dateModified");
    xmlFree(ip);
    if (!is_time && !ip_pub && !ip_mod)
        return;
    char *val = attr_get(n, "datetime");
    if (!val && !is_time)
        val = attr_get(n, "content");
    bool from_text = false;
    if (!val) {
        /* a date is a few dozen characters: a <time> around a whole section is no date, and
           copying the text of every one of 250 nested ones cost their depth times the text */
        if (NODE_LEN(n) > 256)
            return;
        xmlChar *c = xmlNodeGetContent(n);
        val = (char *)c;
        from_text = true;
    }
    pdate d;
    if (!val || !parse_date_value(val, false, &d)) {
        xmlFree(val);
        return;
    }
    xmlFree(val);
    if (from_text)
        d.has_tz = false;
    if (ip_mod) {
        dlist_add(&w->mod, &d, SRC_ITEMPROP, 0, w->order++, "itemprop:dateModified");
        return;
    }
    if (ip_pub) {
        dlist_add(&w->pub, &d, SRC_ITEMPROP, in_boiler ? 10 : 0, w->order++,
                  "itemprop:datePublished");
        return;
    }
    char *cls = attr_get(n, "class");
    bool pubish = attr_has(n, "pubdate") || class_has(cls, "publish") ||
                  class_has(cls, "posted") || class_has(cls, "entry-date") ||
                  class_has(cls, "pubdate") || class_has(cls, "created");
    bool modish = class_has(cls, "updated") || class_has(cls, "modified");
    xmlFree(cls);
    if (in_boiler)
        return;
    if (modish && !pubish) {
        dlist_add(&w->mod, &d, SRC_TIME, 0, w->order++, "time[datetime]");
        return;
    }
    if (pubish)
        dlist_add(&w->pub, &d, SRC_TIME_PUB, 0, w->order++, "time[pubdate]");
    else
        dlist_add(&w->pub, &d, SRC_TIME, in_root_ctx ? 0 : 1, w->order++, "time[datetime]");
}

static bool bylineish(xmlNode *n)
{
    if (name_is(n, "header") || name_is(n, "article"))
        return true;
    bool r = false;
    for (int k = 0; k < 2 && !r; k++) {
        char *v = attr_get(n, k ? "id" : "class");
        r = v && (ascii_strcasestr(v, "byline") || ascii_strcasestr(v, "meta") ||
                  ascii_strcasestr(v, "dateline") || ascii_strcasestr(v, "article") ||
                  ascii_strcasestr(v, "story") || ascii_strcasestr(v, "post"));
        xmlFree(v);
    }
    return r;
}

static void walk_doc(walk *w, xmlNode *root)
{
    xmlNode *n = root;
    /* depth of the outermost boilerplate / byline-context ancestor, 0 when none */
    int depth = 0, boiler_at = 0, ctx_at = 0, head_at = 0;
    while (n) {
        bool descend = false;
        if (n->type == XML_ELEMENT_NODE) {
            const char *nm = node_name(n);
            if (ascii_strcaseeq(nm, "meta")) {
                handle_meta(w, n);
            } else if (ascii_strcaseeq(nm, "link")) {
                char *rel = attr_get(n, "rel");
                if (rel && ascii_strcaseeq(rel, "canonical")) {
                    char *href = attr_get(n, "href");
                    take(&w->canonical, href);
                    xmlFree(href);
                }
                xmlFree(rel);
            } else if (ascii_strcaseeq(nm, "html")) {
                char *l = attr_get(n, "lang");
                if (!l)
                    l = attr_get(n, "xml:lang");
                take(&w->html_lang, l);
                xmlFree(l);
            } else if (ascii_strcaseeq(nm, "body") && !w->body) {
                w->body = n;
            } else if (ascii_strcaseeq(nm, "title") && !w->title) {
                xmlChar *c = xmlNodeGetContent(n);
                take(&w->title, (const char *)c);
                xmlFree(c);
            } else if (ascii_strcaseeq(nm, "h1") && !w->h1 && !boiler_at) {
                char *c = node_text(n);
                w->h1 = c;
            } else if (ascii_strcaseeq(nm, "script")) {
                char *type = attr_get(n, "type");
                if (type && ascii_strcasestr(type, "ld+json")) {
                    xmlChar *c = xmlNodeGetContent(n);
                    jsonld_read((const char *)c, &w->pub, &w->mod, &w->order);
                    xmlFree(c);
                }
                xmlFree(type);
            }
            if (!ascii_strcaseeq(nm, "meta") && !ascii_strcaseeq(nm, "script") &&
                !ascii_strcaseeq(nm, "style"))
                handle_dated_element(w, n, boiler_at > 0, ctx_at > 0);
            if (!ascii_strcaseeq(nm, "script") && !ascii_strcaseeq(nm, "style") &&
                n->children) {
                descend = true;
                depth++;
                if (!boiler_at && !ascii_strcaseeq(nm, "header") &&
                    !ascii_strcaseeq(nm, "head") && is_boiler(n))
                    boiler_at = depth;
                if (!ctx_at && bylineish(n))
                    ctx_at = depth;
                if (!head_at && ascii_strcaseeq(nm, "head"))
                    head_at = depth;
                if (w->n_roots < MAX_ROOTS && !boiler_at && is_article_root(n))
                    w->roots[w->n_roots++] = n;
            }
        }
        if (descend) {
            n = n->children;
            continue;
        }
        while (n && !n->next) {
            n = n->parent;
            if (!n || n == root->parent)
                return;
            if (boiler_at == depth)
                boiler_at = 0;
            if (ctx_at == depth)
                ctx_at = 0;
            if (head_at == depth)
                head_at = 0;
            depth--;
        }
        if (!n || n == root)
            return;
        n = n->next;
    }
}

/* ------------------------------------------------------------------------------------------ */
/* dates from the URL and the visible text                                                     */

static bool url_date(const char *url, pdate *out)
{
    if (!url)
        return false;
    const char *p = strstr(url, "://");
    p = p ? strchr(p + 3, '/') : strchr(url, '/');
    if (!p)
        return false;
    for (; *p && *p != '?' && *p != '#'; p++) {
        if (!ascii_isdigit((unsigned char)*p) || (p[-1] != '/' && p[-1] != '-' && p[-1] != '_'))
            continue;
        int y, m, d;
        if (read_num(p, 4, &y) == 4 && (p[4] == '/' || p[4] == '-' || p[4] == '_')) {
            const char *q = p + 5;
            int n2 = read_num(q, 2, &m);
            if (n2 >= 1 && (q[n2] == p[4] || q[n2] == '/')) {
                char sep = q[n2];
                q += n2 + 1;
                int n3 = read_num(q, 2, &d);
                if (n3 >= 1 && !ascii_isdigit((unsigned char)q[n3]) &&
                    (q[n3] == sep || q[n3] == '/' || q[n3] == '-' || q[n3] == '.' ||
                     q[n3] == '_' || !q[n3] || q[n3] == '?' || q[n3] == '#') &&
                    ymd_ok(y, m, d) && y >= 1995) {
                    memset(out, 0, sizeof *out);
                    out->y = y, out->m = m, out->d = d;
                    return true;
                }
            }
        }
        if (read_num(p, 4, &y) == 4 && p[4] == '/' && ascii_isalpha((unsigned char)p[5])) {
            int ml = match_month(p + 5, &m);
            if (ml >= 3 && ml <= 4 && p[5 + ml] == '/' && read_num(p + 6 + ml, 2, &d) == 2 &&
                !ascii_isdigit((unsigned char)p[8 + ml]) && ymd_ok(y, m, d) && y >= 1995) {
                memset(out, 0, sizeof *out);
                out->y = y, out->m = m, out->d = d;
                return true;
            }
        }
        if (read_num(p, 8, &y) == 8 && !ascii_isdigit((unsigned char)p[8]) &&
            (p[8] == '/' || p[8] == '-' || p[8] == '_' || p[8] == '.' || !p[8])) {
            d = y % 100;
            m = (y / 100) % 100;
            y /= 10000;
            if (ymd_ok(y, m, d) && y >= 1995) {
                memset(out, 0, sizeof *out);
                out->y = y, out->m = m, out->d = d;
                return true;
            }
        }
    }
    return false;
}

/* Words that introduce a publication date in a byline. */
static const char *const pub_words[] = {
    "published", "posted", "veröffentlicht", "publié", "publicado", "pubblicato",
    "erstellt", "publiziert", "first published", "date:", "datum:", "on ", "erschienen", "publicación", NULL,
};

static bool is_us_lang(const char *lang)
{
    return !lang || ascii_strcaseeq(lang, "en-US") || ascii_strcaseeq(lang, "en");
}

/* Finds dates in visible text.  Keyword-introduced ones get SRC_TEXT_KEY, the first few
 * others SRC_TEXT (with their position as rank). */
static void text_dates(const char *text, size_t limit, bool us, dlist *out, long base)
{
    /* every date parse_date_at() reads has a digit, its day or its year: most short blocks
       (headings, links, a word in bold) have none, and trying each of their words cost more
       than the rest of the search */
    if (!strpbrk(text, "0123456789"))
        return;
    size_t found = 0;
    for (const char *p = text; *p && (size_t)(p - text) < limit && found < 40; p++) {
        if (p > text && (word_byte((unsigned char)p[-1]) || ascii_isdigit((unsigned char)p[-1])))
            continue;
        if (!ascii_isdigit((unsigned char)*p) && !ascii_isalpha((unsigned char)*p))
            continue;
        pdate d;
        size_t n = parse_date_at(p, us, false, &d);
        if (!n)
            continue;
        if (ascii_isdigit((unsigned char)p[n]) || ascii_isalpha((unsigned char)p[n]))
            continue;
        d.has_tz = false;
        /* keyword in the 40 bytes before? */
        bool key = false;
        size_t back = (size_t)(p - text) < 40 ? (size_t)(p - text) : 40;
        char win[48];
        memcpy(win, p - back, back);
        win[back] = '\0';
        for (size_t k = 0; pub_words[k] && !key; k++) {
            /* the keyword must lead up to the date: "Published: 3 May", "Posted on May 3" */
            const char *kw = NULL, *q = win;
            while ((q = ascii_strcasestr(q, pub_words[k])) != NULL)
                kw = q++;
            if (!kw)
                continue;
            size_t gap = back - (size_t)(kw - win) - strlen(pub_words[k]);
            if (gap <= 14 && !memchr(kw, '.', (size_t)(win + back - kw)) &&
                !memchr(kw, ';', (size_t)(win + back - kw)))
                key = true;
        }
        bool upd = false;
        {
            /* "Updated May 6, 2019" / "aktualisiert am": a shown date, but not the first one */
            const char *u = ascii_strcasestr(win, "updat");
            const char *m = ascii_strcasestr(win, "aktualisiert");
            if ((u || m) && !ascii_strcasestr(win, "publi") && !ascii_strcasestr(win, "posted")) {
                key = false;
                upd = true;
            }
        }
        dlist_add(out, &d, key ? SRC_TEXT_KEY : upd ? SRC_TEXT_UPDATED : SRC_TEXT, (int)found, base + (long)(p - text),
                  "byline text");
        found++;
        p += n - 1;
    }
}

/* ------------------------------------------------------------------------------------------ */

static void noop_error(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

static void noop_structured(void *ctx, xmlErrorPtr e)
{
    (void)ctx;
    (void)e;
}

/* libxml2 keeps its error handlers per thread, so they are set on every call (cheap). */
static void init_libxml(void)
{
    xmlInitParser();
    xmlSetGenericErrorFunc(NULL, noop_error);
    xmlSetStructuredErrorFunc(NULL, noop_structured);
}

/* A byte of a name as libxml2 reads tag names (and a charset's name): a letter, a digit, or
   one of : - _ . */
static bool name_byte(unsigned char c)
{
    return ascii_isalnum(c) || c == ':' || c == '-' || c == '_' || c == '.';
}

/* libxml2 2.9 reads at most 100 bytes of a tag's or an attribute's name (its buffer): the
   rest of a longer one is read as what follows the name */
enum { HTML_NAME_MAX = 100 };

/*
 * The charset a <meta> tag declares (charset=... or http-equiv content-type), copied into out;
 * false when the head declares none.  Only <meta> tags before <body> count, so "charset" in a
 * script or in the text does not.
 */
static bool declared_charset(const char *data, size_t len, char *out, size_t size)
{
    size_t lim = len < 262144 ? len : 262144;
    for (size_t i = 0; i + 5 < lim; i++) {
        if (data[i] != '<')
            continue;
        if (ascii_strncaseeq(data + i, "<body", 5))
            return false;
        if (!ascii_strncaseeq(data + i, "<meta", 5) || !ascii_isspace((unsigned char)data[i + 5]))
            continue;
        size_t end = i + 5;
        while (end < lim && data[end] != '>' && end - i < 1024)
            end++;
        for (size_t j = i + 5; j + 7 < end; j++) {
            if (!ascii_strncaseeq(data + j, "charset", 7))
                continue;
            size_t k = j + 7;
            while (k < end && ascii_isspace((unsigned char)data[k]))
                k++;
            if (k >= end || data[k] != '=')
                continue;
            k++;
            while (k < end && (ascii_isspace((unsigned char)data[k]) || data[k] == '"' ||
                               data[k] == '\'' || data[k] == '&'))
                k++;
            size_t n = 0;
            while (k < end && n + 1 < size && name_byte((unsigned char)data[k]))
                out[n++] = data[k++];
            out[n] = '\0';
            if (n)
                return true;
        }
        i = end;
    }
    return false;
}

/* The encoding to hand to libxml2: browsers read Latin-1 as windows-1252 and so do we. */
static const char *pick_encoding(const char *data, size_t len)
{
    char cs[64];
    if (!declared_charset(data, len, cs, sizeof cs))
        return "UTF-8";
    if (ascii_strcaseeq(cs, "utf-8") || ascii_strcaseeq(cs, "utf8"))
        return "UTF-8";
    if (ascii_strcaseeq(cs, "iso-8859-1") || ascii_strcaseeq(cs, "latin1") ||
        ascii_strcaseeq(cs, "iso8859-1") || ascii_strcaseeq(cs, "us-ascii") ||
        ascii_strcaseeq(cs, "windows-1252") || ascii_strcaseeq(cs, "cp1252") ||
        ascii_strcaseeq(cs, "iso_8859-1"))
        return "windows-1252";
    return NULL; /* another declared charset: libxml2 finds and honours the declaration */
}

static bool http_url(const char *s)
{
    return s && (ascii_strncaseeq(s, "http://", 7) || ascii_strncaseeq(s, "https://", 8)) &&
           !strchr(s, ' ');
}

static char *norm_lang(const char *s)
{
    if (!s)
        return NULL;
    strbuf sb;
    sb_init(&sb);
    for (const char *p = s; *p && *p != ',' && *p != ';' && sb.len < 35; p++) {
        if (ascii_isalnum((unsigned char)*p))
            sb_addc(&sb, *p);
        else if ((*p == '_' || *p == '-') && sb.len)
            sb_addc(&sb, '-');
        else if (*p == ' ' && !sb.len)
            continue;
        else
            break;
    }
    while (sb.len && sb.s[sb.len - 1] == '-')
        sb.s[--sb.len] = '\0';
    if (sb.len < 2) {
        sb_finish(&sb);
        return NULL;
    }
    return sb_steal(&sb);
}

static char *pick_title(walk *w)
{
    if (w->og_title)
        return xstrdup(w->og_title);
    if (w->tw_title)
        return xstrdup(w->tw_title);
    if (w->title) {
        char *t = xstrdup(w->title);
        if (w->site_name) {
            static const char *const seps[] = {" | ", " - ", " – ", " — ", " :: ", " · ", NULL};
            for (size_t i = 0; seps[i]; i++) {
                char *p = NULL, *q = t;
                while ((q = strstr(q, seps[i])) != NULL)
                    p = q++;
                if (p && p != t && ascii_strcaseeq(p + strlen(seps[i]), w->site_name)) {
                    *p = '\0';
                    break;
                }
            }
        }
        return t;
    }
    return xstrdup(w->h1);
}

static int cmp_cand(const dcand *a, const dcand *b)
{
    if (a->src != b->src)
        return a->src < b->src ? -1 : 1;
    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    if (a->order != b->order)
        return a->order < b->order ? -1 : 1;
    return 0;
}

static const dcand *best_cand(const dlist *l, long lo, long hi)
{
    const dcand *best = NULL;
    for (size_t i = 0; i < l->n; i++) {
        long day = pdate_day(&l->v[i].d);
        if (day < lo || day > hi)
            continue;
        if (!best || cmp_cand(&l->v[i], best) < 0)
            best = &l->v[i];
    }
    return best;
}

/*
 * Last resorts on the raw markup: a JSON key naming the publication ("publishedDate":
 * "2016-11-04T..."), then the first ISO date-time, then the first ISO date or dated path.
 */
static bool raw_key_date(const char *data, size_t len, long lo, long hi, pdate *out)
{
    static const char *const keys[] = {"publishedDate", "datePublished", "published_at",
                                       "publishedAt", "publish_date", "publishDate",
                                       "date_published", "publicationDate", "firstPublished",
                                       "pubDate", "createdAt", "created_at", NULL};
    const char *end = data + len;
    for (const char *p = data; p < end; p++) {
        if (*p != '"')
            continue;
        for (size_t k = 0; keys[k]; k++) {
            size_t kl = strlen(keys[k]);
            if ((size_t)(end - p) < kl + 16 || strncmp(p + 1, keys[k], kl) || p[1 + kl] != '"')
                continue;
            const char *q = p + 2 + kl;
            while (q < end && (*q == ' ' || *q == ':'))
                q++;
            if (q < end && *q == '"') {
                char buf[40];
                size_t n = 0;
                q++;
                while (q < end && *q != '"' && n + 1 < sizeof buf)
                    buf[n++] = *q++;
                buf[n] = '\0';
                if (parse_date_value(buf, false, out) && pdate_day(out) >= lo &&
                    pdate_day(out) <= hi)
                    return true;
            }
        }
    }
    return false;
}

static bool raw_first_date(const char *data, size_t len, long lo, long hi, bool need_time,
                           pdate *out)
{
    char buf[40];
    for (size_t i = 0; i + 10 <= len; i++) {
        if (!ascii_isdigit((unsigned char)data[i]) || (i && ascii_isalnum((unsigned char)data[i - 1])))
            continue;
        if (!(data[i + 4] == '-' || (!need_time && data[i + 4] == '/')))
            continue;
        size_t n = len - i < sizeof buf - 1 ? len - i : sizeof buf - 1;
        memcpy(buf, data + i, n);
        buf[n] = '\0';
        pdate d;
        if (!parse_date_at(buf, false, false, &d) || (need_time && !d.has_time))
            continue;
        if (pdate_day(&d) < lo || pdate_day(&d) > hi)
            continue;
        *out = d;
        return true;
    }
    return false;
}

/* "This page was last edited on 25 October 2020": wikis and static pages state only that. */
static bool last_edited_date(const char *text, bool us, long lo, long hi, pdate *out)
{
    static const char *const keys[] = {"last edited", "last modified", "last updated",
                                       "zuletzt bearbeitet", "zuletzt geändert",
                                       "letzte änderung", "dernière modification", NULL};
    for (size_t k = 0; keys[k]; k++) {
        const char *p = text;
        while ((p = ascii_strcasestr(p, keys[k])) != NULL) {
            p += strlen(keys[k]);
            for (const char *q = p; *q && q < p + 24; q++) {
                if (q > p && (ascii_isalnum((unsigned char)q[-1]) || (unsigned char)q[-1] >= 0x80))
                    continue;
                if (parse_date_at(q, us, false, out) && pdate_day(out) >= lo && pdate_day(out) <= hi) {
                    out->has_tz = false;
                    return true;
                }
            }
        }
    }
    return false;
}

static const dcand *labelled_date(const dlist *vis, long lo, long hi)
{
    for (size_t i = 0; i < vis->n && i < 12; i++) {
        long dd = pdate_day(&vis->v[i].d);
        if (dd >= lo && dd <= hi && (vis->v[i].src == SRC_TEXT_KEY || vis->v[i].src == SRC_TEXT_UPDATED))
            return &vis->v[i];
    }
    return NULL;
}

static bool weak_source(const dcand *c)
{
    if (c->src == SRC_TIME)
        return true;
    if (c->src != SRC_META)
        return false;
    const char *n = c->from + 5; /* after "meta:" */
    return ascii_strcaseeq(n, "date") || ascii_strcaseeq(n, "dc.date") ||
           ascii_strcaseeq(n, "dc:date") || ascii_strcaseeq(n, "dcterms.date") ||
           ascii_strcaseeq(n, "displaydate");
}

static bool vis_has(const dlist *vis, long day, long lo, long hi)
{
    (void)lo;
    (void)hi;
    for (size_t i = 0; i < vis->n; i++)
        if (pdate_day(&vis->v[i].d) == day)
            return true;
    return false;
}

/* The best candidate of l whose day is shown in the page. */
static const dcand *best_visible(const dlist *l, const dlist *vis, long lo, long hi)
{
    const dcand *best = NULL;
    for (size_t i = 0; i < l->n; i++) {
        long day = pdate_day(&l->v[i].d);
        if (day < lo || day > hi || !vis_has(vis, day, lo, hi))
            continue;
        /* plain <time> elements and creation dates are too weak to override the pick */
        if (l->v[i].src > SRC_TIME_PUB || strstr(l->v[i].from, "Created"))
            continue;
        if (!best || cmp_cand(&l->v[i], best) < 0)
            best = &l->v[i];
    }
    return best;
}

int html_parse_options(void)
{
    return HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_NOBLANKS |
           HTML_PARSE_COMPACT;
}

/* ---- scripts and style sheets, before parsing ---- */

/* A blank inside a tag, as libxml2 2.9 reads one: not '\f', which it takes for the start of a
   name it cannot read, and passes over with what follows up to a blank or '>' */
static bool markup_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The first "</" + `name` (any case, as a prefix: libxml2 ends a script there) at or after
   `from`, or len; *other says whether a "</" comes before it. */
static size_t raw_text_end(const char *d, size_t len, size_t from, const char *name, bool *other)
{
    size_t n = strlen(name);
    *other = false;
    for (size_t i = from; i + 1 < len;) {
        const char *lt = memchr(d + i, '<', len - i - 1);
        if (!lt)
            break;
        i = (size_t)(lt - d);
        if (d[i + 1] == '/') {
            if (len - i - 2 >= n && ascii_strncaseeq(d + i + 2, name, n))
                return i;
            *other = true;
        }
        i++;
    }
    return len;
}

/* The first occurrence of the n bytes of `pat` in d[from, len), or len. */
static size_t find_bytes(const char *d, size_t len, size_t from, const char *pat, size_t n)
{
    for (size_t i = from; i + n <= len;) {
        const char *c = memchr(d + i, pat[0], len - i - n + 1);
        if (!c)
            break;
        i = (size_t)(c - d);
        if (memcmp(d + i, pat, n) == 0)
            return i;
        i++;
    }
    return len;
}

/*
 * Reads the attributes of a start tag from d[i] (just after its name) to its '>': *end is
 * that '>', *empty says the tag closes itself ("<script src=x />"), *ld that a type attribute
 * names JSON-LD.  False for anything but plain markup: an attribute name libxml2 would not
 * read whole, a quote or '<' where an unquoted value should be, a quote left open, no '>'.
 */
static bool start_tag_end(const char *d, size_t len, size_t i, size_t *end, bool *empty, bool *ld)
{
    *empty = *ld = false;
    for (;;) {
        while (i < len && markup_space((unsigned char)d[i]))
            i++;
        if (i >= len)
            return false;
        if (d[i] == '>') {
            *end = i;
            return true;
        }
        if (d[i] == '/' && i + 1 < len && d[i + 1] == '>') {
            *end = i + 1;
            *empty = true;
            return true;
        }
        /* libxml2 2.9 reads a name of a letter, '_', ':' or '.' and then name bytes, up to
           HTML_NAME_MAX of them; at any other byte it passes over the rest up to a space or
           '>', quotes and all ("typ@=\"a b=\"c>\"" is two attributes there, and the '>' in
           quotes ends no tag) */
        size_t ns = i;
        if (!ascii_isalpha((unsigned char)d[i]) && d[i] != '_' && d[i] != ':' && d[i] != '.')
            return false;
        while (i < len && name_byte((unsigned char)d[i]))
            i++;
        if (i - ns >= HTML_NAME_MAX || (i < len && !markup_space((unsigned char)d[i]) && d[i] != '>' && d[i] != '=' &&
                                        !(d[i] == '/' && i + 1 < len && d[i + 1] == '>')))
            return false;
        bool type = i - ns == 4 && ascii_strncaseeq(d + ns, "type", 4);
        size_t j = i;
        while (j < len && markup_space((unsigned char)d[j]))
            j++;
        if (j >= len || d[j] != '=')
            continue; /* an attribute without a value */
        j++;
        while (j < len && markup_space((unsigned char)d[j]))
            j++;
        if (j >= len)
            return false;
        size_t vs, ve;
        if (d[j] == '"' || d[j] == '\'') {
            const char *q = memchr(d + j + 1, d[j], len - j - 1);
            if (!q)
                return false;
            vs = j + 1;
            ve = (size_t)(q - d);
            i = ve + 1;
        } else {
            vs = j;
            while (j < len && !markup_space((unsigned char)d[j]) && d[j] != '>') {
                if (d[j] == '"' || d[j] == '\'' || d[j] == '<' || d[j] == '`' || d[j] == '=')
                    return false;
                j++;
            }
            ve = i = j;
        }
        /* an entity in the type might spell "ld+json" once libxml2 has read it */
        if (type && memchr(d + vs, '&', ve - vs))
            *ld = true;
        for (size_t k = vs; type && k + 7 <= ve; k++)
            *ld = *ld || ascii_strncaseeq(d + k, "ld+json", 7);
    }
}

/* Whether the page has a byte windows-1252 leaves undefined: libxml2's conversion stops at
   it, a block of text at a time, so what is lost depends on where the blocks fall. */
static bool cp1252_undefined(const char *d, size_t len)
{
    for (size_t k = 0; k < len; k++) {
        unsigned char c = (unsigned char)d[k];
        if (c == 0x81 || c == 0x8D || c == 0x8F || c == 0x90 || c == 0x9D)
            return true;
    }
    return false;
}

/* Longer texts are left: libxml2 stops at a text of 10 MB without XML_PARSE_HUGE, and a
   page should not parse further because one was taken out. */
enum { RAW_TEXT_MAX = 1 << 20 };

char *html_drop_script_text(const char *d, size_t len, bool utf8, size_t *out_len)
{
#if LIBXML_VERSION >= 21400
    /* libxml2 2.14 reads HTML as HTML5 does (a title's text is not markup, a script ends
       otherwise): the rules below are libxml2 2.9-2.13's */
    (void)d, (void)len, (void)utf8, (void)out_len;
    return NULL;
#endif
    if (!d || !len || memchr(d, '\0', len))
        return NULL; /* libxml2 ends a script at a NUL byte */
    if (!utf8 && cp1252_undefined(d, len))
        return NULL;
    char *out = NULL;
    size_t o = 0, copied = 0; /* d[copied, i) is still to be copied */
    size_t i = 0, valid = 0; /* d[0, valid) is known to be valid UTF-8 */
    /* Up to each '<' read as markup here, libxml2 and this scan agree on where they are.  At
       anything this scan is not sure libxml2 reads as it does, it stops, and the rest of the
       page is parsed as it is: the tree up to there is the same. */
    while (i < len) {
        const char *lt = memchr(d + i, '<', len - i);
        if (!lt || (size_t)(lt - d) + 1 >= len)
            break;
        i = (size_t)(lt - d);
        char c1 = d[i + 1];
        if (c1 == '!' && len - i >= 4 && d[i + 2] == '-' && d[i + 3] == '-') {
            /* a comment ends at the first "-->" (libxml2 may end one sooner, never later):
               a "<script" inside is not one */
            size_t e = find_bytes(d, len, i + 4, "-->", 3);
            if (e == len || find_bytes(d, e, i + 4, "--!>", 4) != e)
                break;
            i = e + 3;
            continue;
        }
        if (c1 == '!' && len - i >= 3 && d[i + 2] == '[')
            break; /* "<![CDATA[": where libxml2 ends it is not plain */
        if (c1 == '!' || c1 == '/' || c1 == '?') {
            /* a doctype, an end tag, a processing instruction: to its '>', which must be the
               same whether quotes are read as strings (a doctype's identifiers) or not */
            size_t e = i + 2, q = i + 2;
            while (e < len && d[e] != '>')
                e++;
            while (q < len && d[q] != '>') {
                if (d[q] == '"' || d[q] == '\'') {
                    const char *cq = memchr(d + q + 1, d[q], len - q - 1);
                    q = cq ? (size_t)(cq - d) : len;
                    if (q == len)
                        break;
                }
                q++;
            }
            /* ... and with no '<' before it: libxml2 reads "<!" that begins no comment or
               doctype as text, so a tag after it is a tag ("<!<script>") */
            if (e >= len || q != e || (c1 == '?' && d[e - 1] != '?') || memchr(d + i + 1, '<', e - i - 1))
                break;
            i = e + 1;
            continue;
        }
        if (c1 == '_' || c1 == ':')
            break; /* a tag to libxml2, text to a stricter reader */
        if (!ascii_isalpha((unsigned char)c1)) {
            i++;
            continue;
        }
        size_t ns = i + 1, ne = ns;
        while (ne < len && name_byte((unsigned char)d[ne]))
            ne++;
        size_t gt;
        bool empty, ld;
        if (!start_tag_end(d, len, ne, &gt, &empty, &ld))
            break;
        i = gt + 1;
        const char *raw = ne - ns == 6 && ascii_strncaseeq(d + ns, "script", 6)  ? "script"
                          : ne - ns == 5 && ascii_strncaseeq(d + ns, "style", 5) ? "style"
                                                                                 : NULL;
        if (!raw || empty)
            continue;
        bool other;
        size_t e = raw_text_end(d, len, i, raw, &other);
        if (e == len || other)
            break; /* a script to the end of the page; or one with "</" in its text, after which
                      libxml2 2.9 may lose the rest of the page ("<script></b</script>x") */
        /* "</scriptx>" stops libxml2's reading of the script's text, but closes nothing: the
           text goes on after it, and this scan would take it for markup */
        size_t after = e + 2 + strlen(raw);
        if (after < len && name_byte((unsigned char)d[after]))
            break;
        if (utf8 && valid < e) {
            /* past a byte that is not UTF-8 libxml2 reads the page as Latin-1, and from there
               on it is not sure to build the same tree: the rest is parsed as it is */
            if (utf8_valid_prefix(d + valid, e - valid) != e - valid)
                break;
            valid = e;
        }
        if (!ld && e - i <= RAW_TEXT_MAX && e > i) {
            if (!out)
                out = xmalloc(len + 1);
            memcpy(out + o, d + copied, i - copied);
            o += i - copied;
            copied = e;
        }
        i = e;
    }
    if (!out)
        return NULL;
    memcpy(out + o, d + copied, len - copied);
    o += len - copied;
    out[o] = '\0';
    *out_len = o;
    return out;
}

bool html_read(const char *data, size_t len, const char *url_hint, html_page *page, ec_error *err)
{
    memset(page, 0, sizeof *page);
    if (!data)
        len = 0;
    init_libxml();
    if (len > (size_t)INT32_MAX)
        return ec_fail(err, EC_ERR_INPUT, NULL, 0, 0, "page too large (%zu bytes)", len);
    /* skip a UTF-8 BOM; libxml2 would handle it, but the charset scan should not see it */
    size_t bom = utf8_bom_len(data, len);
    data += bom;
    len -= bom;
    const char *enc = pick_encoding(data, len);
    int opts = html_parse_options();
    htmlDocPtr doc = NULL;
    if (len > 0) {
        htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
        if (!ctxt)
            return ec_fail(err, EC_ERR_INPUT, NULL, 0, 0, "cannot create HTML parser");
        /* scripts and style sheets are never read but cost libxml2 the most (it reads them a
           character at a time): it parses the page without their text when that gives the
           same tree otherwise */
        size_t plen = 0;
        char *plain = enc ? html_drop_script_text(data, len, strcmp(enc, "UTF-8") == 0, &plen) : NULL;
        doc = plain ? htmlCtxtReadMemory(ctxt, plain, (int)plen, NULL, enc, opts)
                    : htmlCtxtReadMemory(ctxt, data, (int)len, NULL, enc, opts);
        free(plain);
        htmlFreeParserCtxt(ctxt);
    }
    page->text = xstrdup("");
    if (!doc) {
        if (len == 0 || !data)
            return true;
        page->url = http_url(url_hint) ? xstrdup(url_hint) : NULL;
        return true; /* nothing parseable: an empty page, not an error */
    }

    walk w;
    memset(&w, 0, sizeof w);
    xmlNode *root = xmlDocGetRootElement(doc);
    if (root) {
        compute_lengths(root);
        xmlNode *b = find_first(root, "body");
        doc->_private = (void *)(uintptr_t)NODE_LEN(b ? b : root);
        protect_up(find_first(b ? b : root, "h1"), 1u);
        protect_up(find_first(b ? b : root, "main"), 2u);
        walk_doc(&w, root);
    }

    /* article text: the article candidate with the most text, else the body */
    char *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < w.n_roots; i++) {
        textx t;
        memset(&t, 0, sizeof t);
        extract_text(w.roots[i], &t, false);
        sb_finish(&t.para);
        if (t.out.len > best_len || (!best && t.out.s)) {
            free(best);
            best_len = t.out.len;
            best = sb_steal(&t.out);
        } else {
            sb_finish(&t.out);
        }
    }
    xmlNode *body_root = w.body ? w.body : root;
    char *body_text = NULL;
    size_t body_len = 0;
    /* the body's text is needed only to judge a short candidate (below): a candidate of 500
       bytes or more is taken whatever the body holds, and walking the body again was a
       quarter of reading a page's text */
    if (!best || best_len < 500) {
        textx t;
        memset(&t, 0, sizeof t);
        extract_text(body_root, &t, false);
        sb_finish(&t.para);
        body_len = t.out.len;
        body_text = sb_steal(&t.out);
    }
    const char *chosen = body_text;
    size_t chosen_len = body_len;
    if (best && best_len > 0 && (best_len * 5 >= body_len || best_len >= 500)) {
        chosen = best;
        chosen_len = best_len;
    }
    free(page->text);
    size_t out_len = 0;
    page->text = utf8_sanitize(chosen, chosen_len, &out_len, NULL);
    page->text_len = out_len;

    /* metadata */
    char *tt = pick_title(&w);
    page->title = tt ? clean_text(tt) : NULL;
    free(tt);
    if (http_url(w.canonical))
        page->url = xstrdup(w.canonical);
    else if (http_url(w.og_url))
        page->url = xstrdup(w.og_url);
    else if (url_hint && *url_hint)
        page->url = clean_text(url_hint);
    page->lang = norm_lang(w.html_lang);
    if (!page->lang)
        page->lang = norm_lang(w.og_locale);
    if (!page->lang)
        page->lang = norm_lang(w.content_lang);

    /* dates */
    long lo = day_number(1995, 1, 1);
    time_t now = time(NULL);
    long hi = (long)(now / 86400) + 2;
    long latest = -1;
    for (size_t i = 0; i < w.pub.n; i++) {
        long dd = pdate_day(&w.pub.v[i].d);
        if (dd >= lo && dd <= hi && dd > latest)
            latest = dd;
    }
    for (size_t i = 0; i < w.mod.n; i++) {
        long dd = pdate_day(&w.mod.v[i].d);
        if (dd >= lo && dd <= hi && dd > latest)
            latest = dd;
    }
    const dcand *pc = best_cand(&w.pub, lo, hi);
    const dcand *mc = best_cand(&w.mod, lo, hi);
    bool us = is_us_lang(page->lang);
    pdate found;
    const char *from = NULL;
    char label[96];
    /* the dates shown in short blocks (bylines, datelines) of the visible page */
    dlist vis;
    memset(&vis, 0, sizeof vis);
    {
        textx t;
        memset(&t, 0, sizeof t);
        t.dates = &vis;
        t.us = us;
        extract_text(body_root, &t, true);
        sb_finish(&t.para);
        sb_finish(&t.out);
    }
    dlist vis_all;
    memset(&vis_all, 0, sizeof vis_all);
    if (pc) {
        textx t;
        memset(&t, 0, sizeof t);
        t.dates = &vis_all;
        t.us = us;
        t.minimal = true;
        extract_text(body_root, &t, true);
        sb_finish(&t.para);
        sb_finish(&t.out);
    }
    if (pc) {
        found = pc->d;
        from = pc->from;
        if (!vis_has(&vis, pdate_day(&pc->d), lo, hi)) {
            const dcand *alt = best_visible(&w.pub, &vis, lo, hi);
            const dcand *malt = best_visible(&w.mod, &vis, lo, hi);
            const dcand *near = NULL;
            if (pc->d.has_time)
                for (size_t i = 0; i < vis.n && i < 12 && !near; i++) {
                    long dd = pdate_day(&vis.v[i].d);
                    long pd = pdate_day(&pc->d);
                    /* a UTC stamp late in the evening in Asia or early in the morning UTC */
                    if (pc->d.has_tz && pc->d.tz_min == 0 &&
                        ((dd == pd - 1 && pc->d.hh < 9) || (dd == pd + 1 && pc->d.hh >= 15)))
                        near = &vis.v[i];
                }
            if (alt) {
                found = alt->d;
                from = alt->from;
            } else if (malt) {
                /* the page shows only its update date: that is the date it goes by */
                found = malt->d;
                snprintf(label, sizeof label, "shown %s", malt->from);
                from = label;
            } else if (near) {
                found = near->d;
                from = "byline text";
            } else if (!vis_has(&vis_all, pdate_day(&pc->d), lo, hi) && labelled_date(&vis, lo, hi)) {
                /* the page shows a labelled date ("Published ...", "Updated ...") but never
                 * the marker's: the page is right about itself */
                found = labelled_date(&vis, lo, hi)->d;
                from = "byline text";
            } else if (weak_source(pc) && !vis_has(&vis_all, pdate_day(&pc->d), lo, hi)) {
                /* a generic "date" marker the page does not show anywhere: trust a shown
                 * date close to it (a byline beats a CMS's indexing date) */
                long pd = pdate_day(&pc->d);
                for (size_t i = 0; i < vis.n; i++) {
                    long dd = pdate_day(&vis.v[i].d);
                    if (dd >= lo && dd <= hi && dd >= pd - 31 && dd <= pd + 31) {
                        found = vis.v[i].d;
                        from = "byline text";
                        break;
                    }
                }
            }
        }
    }
    pdate ud;
    const char *u = page->url ? page->url : url_hint;
    if (!from && url_date(u, &ud) && pdate_day(&ud) >= lo && pdate_day(&ud) <= hi) {
        found = ud;
        from = "url";
    }
    if (!from && url_hint && u != url_hint && url_date(url_hint, &ud) && pdate_day(&ud) >= lo &&
        pdate_day(&ud) <= hi) {
        found = ud;
        from = "url";
    }
    dlist td;
    memset(&td, 0, sizeof td);
    if (!from) {
        long thi = latest >= 0 ? latest + 1 : hi;
        char *txt = node_text(body_root);
        if (txt)
            text_dates(txt, 50000, us, &td, 0);
        free(txt);
        const dcand *tc = best_cand(&td, lo, thi);
        if (tc && tc->src == SRC_TEXT_KEY) {
            found = tc->d;
            from = "byline text";
        }
        /* the first date standing alone in a short block */
        for (size_t i = 0; i < vis.n && !from; i++) {
            long dd = pdate_day(&vis.v[i].d);
            if (dd >= lo && dd <= thi) {
                found = vis.v[i].d;
                from = "byline text";
            }
        }
        for (size_t i = 0; i <= w.n_roots && !from; i++) {
            for (size_t k = 0; k < td.n; k++)
                free(td.v[k].from);
            td.n = 0;
            xmlNode *r = i < w.n_roots ? w.roots[i] : body_root;
            txt = node_text(r);
            if (txt)
                text_dates(txt, 20000, us, &td, 0);
            free(txt);
            tc = best_cand(&td, lo, thi);
            if (tc && (i == w.n_roots || tc->order < 2000)) {
                found = tc->d;
                from = "byline text";
            }
        }
    }
    dlist_free(&td);
    dlist_free(&vis);
    dlist_free(&vis_all);
    if (!from) {
        textx t;
        memset(&t, 0, sizeof t);
        t.minimal = true;
        extract_text(body_root, &t, true);
        sb_finish(&t.para);
        if (t.out.s && last_edited_date(t.out.s, us, lo, latest >= 0 ? latest + 1 : hi, &found))
            from = "last edited text";
        sb_finish(&t.out);
    }
    /* last resorts on the raw markup; not when the page states only a modified date, which
     * the scan would find and pass off as the publication */
    if (!from && !mc) {
        long rhi = latest >= 0 ? latest + 1 : hi;
        if (raw_key_date(data, len, lo, rhi, &found))
            from = "markup:json";
        else if (raw_first_date(data, len, lo, rhi, true, &found))
            from = "markup:datetime";
        else if (raw_first_date(data, len, lo, rhi, false, &found))
            from = "markup:date";
    }
    if (from) {
        char buf[64];
        format_pdate(&found, buf, sizeof buf);
        page->published = xstrdup(buf);
        page->published_from = xstrdup(from);
    }
    if (mc) {
        char buf[64];
        format_pdate(&mc->d, buf, sizeof buf);
        page->modified = xstrdup(buf);
    }

    free(best);
    free(body_text);
    free(w.og_title);
    free(w.tw_title);
    free(w.title);
    free(w.h1);
    free(w.site_name);
    free(w.canonical);
    free(w.og_url);
    free(w.html_lang);
    free(w.og_locale);
    free(w.content_lang);
    dlist_free(&w.pub);
    dlist_free(&w.mod);
    xmlFreeDoc(doc);
    return true;
}

void html_page_finish(html_page *page)
{
    if (!page)
        return;
    free(page->text);
    free(page->title);
    free(page->url);
    free(page->published);
    free(page->published_from);
    free(page->modified);
    free(page->lang);
    memset(page, 0, sizeof *page);
}

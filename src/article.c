#include "article.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <errno.h>
#include <poll.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "date.h"
#include "html.h"
#include "jrec.h"

/* input is read in blocks of this size (and a format is guessed from the first) */
enum { READ_BLOCK = 1 << 16 };

struct article_reader {
    FILE *f;
    bool own;
    char *name;
    article_format format;
    size_t max_bytes;
    long line;
    bool done;
    char *buf; /* the current line, reused */
    size_t cap;
    char *rbuf; /* a block of input not yet split into lines */
    size_t rpos, rlen;
    int rerr;   /* errno of a read that failed, or 0 */
    bool regular; /* a regular file: reading never waits for a writer */
};

/*
 * What the input holds now, up to cap bytes: 0 at its end (or after an error, in r->rerr).
 * read(2), not fread(): fread waits for a whole block, so a record written alone into a pipe
 * (a feed that sends an article as it comes) was not read, nor its events written, until 64 KB
 * more had come or the feed had ended.
 */
static size_t read_some(article_reader *r, char *buf, size_t cap)
{
    if (r->rerr)
        return 0;
    for (;;) {
        ssize_t k = read(fileno(r->f), buf, cap);
        if (k >= 0)
            return (size_t)k;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            /* a descriptor left non-blocking by whoever opened it: wait as a blocking one would */
            struct pollfd pf = {.fd = fileno(r->f), .events = POLLIN};
            if (poll(&pf, 1, -1) >= 0 || errno == EINTR)
                continue;
        }
        if (errno != EINTR) {
            r->rerr = errno;
            return 0;
        }
    }
}

/* Makes r->rbuf hold input not taken yet; false at the input's end (or after an error). */
static bool refill(article_reader *r)
{
    if (r->rpos < r->rlen)
        return true;
    if (!r->rbuf)
        r->rbuf = xmalloc(READ_BLOCK);
    r->rpos = 0;
    r->rlen = read_some(r, r->rbuf, READ_BLOCK);
    return r->rlen > 0;
}

void article_finish(article *a)
{
    if (!a)
        return;
    free(a->id);
    free(a->url);
    free(a->title);
    free(a->published);
    free(a->published_from);
    free(a->timezone);
    free(a->lang);
    free(a->text);
    free(a->sentences);
    if (a->unparsed) {
        free(a->unparsed->data);
        free(a->unparsed);
    }
    memset(a, 0, sizeof *a);
}

bool article_format_parse(const char *s, article_format *out)
{
    static const struct {
        const char *name;
        article_format f;
    } names[] = {{"auto", AF_AUTO}, {"text", AF_TEXT}, {"txt", AF_TEXT}, {"html", AF_HTML}, {"jsonl", AF_JSONL}};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(s, names[i].name) == 0) {
            *out = names[i].f;
            return true;
        }
    return false;
}

static bool has_ext(const char *name, const char *ext)
{
    size_t n = strlen(name), m = strlen(ext);
    return n > m && ascii_strcaseeq(name + n - m, ext);
}

/* Not .json: in a directory that is a document (package.json, a page's metadata), which read
   as JSON Lines gives an error for every line; named on its own, it is read. */
static const char *const ARTICLE_EXTS[] = {".txt", ".text", ".html", ".htm", ".xhtml", ".jsonl", ".ndjson"};

static bool article_file_name(const char *name)
{
    for (size_t i = 0; i < sizeof ARTICLE_EXTS / sizeof *ARTICLE_EXTS; i++)
        if (has_ext(name, ARTICLE_EXTS[i]))
            return true;
    return false;
}

/* Deeper than this, a tree is not an archive of articles but a mistake or a trap. */
enum { DIR_MAX_DEPTH = 32 };

/* Adds the article files under dir to v (see article_dir_paths()); false when dir itself
   cannot be listed. */
static bool dir_walk(const char *dir, int depth, char ***v, size_t *n, size_t *cap, size_t *skipped)
{
    size_t count;
    char **names = dir_names(dir, &count);
    if (!names)
        return false;
    const char *sep = dir[strlen(dir) - 1] == '/' ? "" : "/";
    for (size_t i = 0; i < count; i++) {
        char *path = xasprintf("%s%s%s", dir, sep, names[i]);
        struct stat lst, st;
        bool keep = false;
        if (lstat(path, &lst) != 0)
            ++*skipped; /* gone since the listing */
        else if (S_ISDIR(lst.st_mode) && depth + 1 >= DIR_MAX_DEPTH)
            ++*skipped;
        else if (S_ISDIR(lst.st_mode))
            keep = !dir_walk(path, depth + 1, v, n, cap, skipped); /* unlistable: opening it says why */
        else if (article_file_name(names[i]) &&
                 (S_ISREG(lst.st_mode) || (S_ISLNK(lst.st_mode) && stat(path, &st) == 0 && S_ISREG(st.st_mode))))
            keep = true; /* a file, or a symbolic link to one */
        else
            ++*skipped; /* any other file, a FIFO, a symbolic link to a directory (not followed) */
        if (keep) {
            if (*n == *cap) {
                *cap = *cap ? *cap * 2 : 64;
                *v = xrealloc(*v, *cap * sizeof **v);
            }
            (*v)[(*n)++] = path;
        } else {
            free(path);
        }
    }
    str_list_free(names, count);
    return true;
}

char **article_dir_paths(const char *dir, size_t *n, size_t *skipped, ec_error *err)
{
    char **v = NULL;
    size_t cap = 0;
    *n = *skipped = 0;
    if (!dir_walk(dir, 0, &v, n, &cap, skipped)) {
        ec_fail(err, EC_ERR_INPUT, dir, 0, 0, "cannot read the directory: %s", strerror(errno));
        return NULL;
    }
    if (!*n) {
        strbuf which;
        sb_init(&which);
        for (size_t i = 0; i < sizeof ARTICLE_EXTS / sizeof *ARTICLE_EXTS; i++)
            sb_printf(&which, "%s*%s", i ? ", " : "", ARTICLE_EXTS[i]);
        ec_fail(err, EC_ERR_INPUT, dir, 0, 0, "no article files in it (%s)", which.s);
        sb_finish(&which);
        return NULL;
    }
    return v;
}

/* The format a file name states, or AF_AUTO when it states none (standard input, no or an
   unknown extension, and .json, which may or may not be one object per line). */
static article_format format_of_name(const char *name)
{
    if (!name)
        return AF_AUTO;
    if (has_ext(name, ".html") || has_ext(name, ".htm") || has_ext(name, ".xhtml"))
        return AF_HTML;
    if (has_ext(name, ".jsonl") || has_ext(name, ".ndjson"))
        return AF_JSONL;
    if (has_ext(name, ".txt") || has_ext(name, ".text"))
        return AF_TEXT;
    return AF_AUTO;
}

article_format article_guess_format(const char *name, const char *data, size_t len)
{
    article_format f = format_of_name(name);
    if (f != AF_AUTO)
        return f;
    if (name && has_ext(name, ".json"))
        return AF_JSONL;
    size_t i = utf8_bom_len(data, len);
    while (i < len && ascii_isspace((unsigned char)data[i]))
        i++;
    if (i < len && data[i] == '{')
        return AF_JSONL;
    if (html_sniff(data, len))
        return AF_HTML;
    return AF_TEXT;
}

/* The file name without directories and extension, as a default article id. */
static char *id_from_name(const char *source)
{
    if (!source || strcmp(source, "-") == 0)
        return xstrdup("stdin");
    const char *base = strrchr(source, '/');
    base = base ? base + 1 : source;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    return xstrndup(base, n);
}

/*
 * Copies `n` bytes of text into the article, refusing input that is not text at all.  A few
 * bad bytes (a stray Latin-1 character, a NUL) are replaced so one broken character does not
 * cost the whole article; offsets then refer to the cleaned text, an invalid byte counting as
 * the three bytes of its U+FFFD (as eventcal.1 says), so that the evidence written with a span
 * is that span of this text.
 */
static bool set_text(article *out, const char *s, size_t n, size_t base, const char *source, ec_error *err)
{
    if (n >= 2 && (((unsigned char)s[0] == 0xFF && (unsigned char)s[1] == 0xFE) ||
                   ((unsigned char)s[0] == 0xFE && (unsigned char)s[1] == 0xFF)))
        return ec_fail_at(err, EC_ERR_INPUT, source, (long)base, "UTF-16 text is not supported: convert it to UTF-8 (iconv -f UTF-16 -t UTF-8)");
    size_t bom = utf8_bom_len(s, n);
    s += bom;
    n -= bom;
    base += bom;
    size_t bad = 0;
    size_t clean_len;
    char *clean = utf8_sanitize(s, n, &clean_len, &bad);
    if (bad > 16 && bad * 10 > n) {
        free(clean);
        size_t first = utf8_valid_prefix(s, n);
        const char *nul = memchr(s, '\0', n);
        if (nul && (size_t)(nul - s) < first)
            first = (size_t)(nul - s);
        return ec_fail_at(err, EC_ERR_INPUT, source, (long)(base + first), "not UTF-8 text (binary data?)");
    }
    /* a line that ends in a bare CR (old Mac files, some CMS exports) is a line like any
       other: without this the whole text was one line and one sentence; same length, so
       offsets still point into what was read */
    for (char *cr = memchr(clean, '\r', clean_len); cr; cr = memchr(cr + 1, '\r', clean_len - (size_t)(cr + 1 - clean)))
        if ((size_t)(cr + 1 - clean) >= clean_len || cr[1] != '\n')
            *cr = '\n';
    free(out->text);
    out->text = clean;
    out->len = clean_len;
    out->bad_bytes = bad;
    return true;
}

static bool header_key(const char *line, size_t n, const char *key, const char **val, size_t *vlen)
{
    size_t k = strlen(key);
    if (n <= k || !ascii_strncaseeq(line, key, k) || line[k] != ':')
        return false;
    size_t i = k + 1;
    while (i < n && (line[i] == ' ' || line[i] == '\t'))
        i++;
    size_t e = n;
    while (e > i && ascii_isspace((unsigned char)line[e - 1]))
        e--;
    *val = line + i;
    *vlen = e - i;
    return true;
}

/*
 * Where the line that starts at data[p] ends, and in *next where the line after it starts (len
 * if none does).  A line ends at LF, CR LF or a bare CR, as set_text() reads the text: a header
 * written with bare CRs had been one line, its first value holding the whole file.
 */
static size_t line_end(const char *data, size_t len, size_t p, size_t *next)
{
    const char *nl = memchr(data + p, '\n', len - p);
    size_t e = nl ? (size_t)(nl - data) : len;
    /* as far as the LF only: a text without CRs is not searched to its end for every line */
    const char *cr = memchr(data + p, '\r', e - p);
    if (cr)
        e = (size_t)(cr - data);
    *next = e == len ? len : e + (cr && e + 1 < len && data[e + 1] == '\n' ? 2 : 1);
    return e;
}

bool article_from_text(const char *data, size_t len, const char *source, article *out, ec_error *err)
{
    memset(out, 0, sizeof *out);
    out->format = AF_TEXT;
    out->source = source;
    size_t off = utf8_bom_len(data, len);
    /* A header is a run of "Key: value" lines with known keys, ended by a blank line. */
    static const char *const keys[] = {"Title", "URL", "Published", "Timezone", "Id", "Date", NULL};
    size_t p = off;
    bool any = false;
    while (p < len) {
        size_t next;
        size_t e = line_end(data, len, p, &next);
        const char *line = data + p;
        size_t n = e - p;
        if (n == 0) {
            if (any)
                off = next;
            break;
        }
        const char *val;
        size_t vlen;
        int which = -1;
        for (int k = 0; keys[k]; k++)
            if (header_key(line, n, keys[k], &val, &vlen)) {
                which = k;
                break;
            }
        if (which < 0) {
            /* no blank line ends these: they are the text's first lines ("Date: Tuesday" in
               a note), not a header, and say nothing about the article */
            if (any) {
                char **slots[] = {&out->title, &out->url, &out->published, &out->timezone, &out->id};
                for (size_t k = 0; k < sizeof slots / sizeof *slots; k++) {
                    free(*slots[k]);
                    *slots[k] = NULL;
                }
                any = false;
                out->header_unended = true;
            }
            break;
        }
        any = true;
        /* header values reach pcre2 (the title is scanned for places) and every output, so
           they get the same cleaning as the text: valid UTF-8, no control characters */
        char *v = utf8_sanitize(val, vlen, NULL, NULL);
        char **slot = NULL;
        switch (which) {
        case 0: slot = &out->title; break;
        case 1: slot = &out->url; break;
        case 2: case 5: slot = &out->published; break;
        case 3: slot = &out->timezone; break;
        case 4: slot = &out->id; break;
        }
        free(*slot);
        *slot = v;
        if (e == len) {
            off = len;
            break;
        }
        p = next;
    }
    if (!any)
        off = utf8_bom_len(data, len);
    if (out->published)
        out->published_from = xstrdup("header");
    out->header_len = off;
    if (!out->id)
        out->id = id_from_name(source);
    if (!set_text(out, data + off, len - off, off, source, err)) { /* offsets in the file */
        article_finish(out);
        return false;
    }
    return true;
}

bool article_from_html(const char *data, size_t len, const char *source, const char *url_hint, article *out,
                       ec_error *err)
{
    memset(out, 0, sizeof *out);
    out->format = AF_HTML;
    out->source = source;
    html_page page = {0};
    if (!html_read(data, len, url_hint, &page, err)) {
        html_page_finish(&page);
        if (err && !err->file[0] && source) /* html_read does not know the file's name */
            str_copy(err->file, sizeof err->file, source);
        return false;
    }
    out->title = page.title;
    out->url = page.url;
    out->published = page.published;
    out->published_from = page.published_from;
    out->lang = page.lang;
    out->text = page.text ? page.text : xstrdup("");
    out->len = page.text ? page.text_len : 0;
    free(page.modified);
    out->id = id_from_name(source);
    return true;
}

/* The members of a JSON Lines record that eventcal reads. */
enum { F_ID, F_URL, F_TITLE, F_PUBLISHED, F_DCT, F_TIMEZONE, F_TEXT, F_HTML, F__COUNT };
static const char *const FIELD_NAMES[F__COUNT] = {"id", "url", "title", "published", "dct", "timezone", "text", "html"};

/* A member as text, the way a record's metadata is read: a non-empty string, or an integer. */
static char *field_str(const jrec_value *v)
{
    if ((v->type == JREC_STRING && v->len > 0) || v->type == JREC_INTEGER)
        return xstrndup(v->str, v->len);
    return NULL;
}

/* The same members read through jansson, for records jrec declines (and to word errors). */
static bool fields_from_jansson(const char *text, size_t len, const char *source, long line, jrec_value *f,
                                ec_error *err)
{
    json_error_t je;
    json_t *obj = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!obj)
        return ec_fail(err, EC_ERR_INPUT, source, line, je.column > 0 ? je.column : 0, "bad JSON: %s", je.text);
    if (!json_is_object(obj)) {
        json_decref(obj);
        return ec_fail(err, EC_ERR_INPUT, source, line, 1, "expected a JSON object per line");
    }
    for (int i = 0; i < F__COUNT; i++) {
        json_t *v = json_object_get(obj, FIELD_NAMES[i]);
        memset(&f[i], 0, sizeof f[i]);
        if (!v)
            continue;
        if (json_is_string(v)) {
            f[i].type = JREC_STRING;
            f[i].len = json_string_length(v);
            f[i].str = xmalloc(f[i].len + 1);
            memcpy(f[i].str, json_string_value(v), f[i].len);
            f[i].str[f[i].len] = '\0';
        } else if (json_is_integer(v)) {
            f[i].type = JREC_INTEGER;
            f[i].str = xasprintf("%lld", (long long)json_integer_value(v));
            f[i].len = strlen(f[i].str);
        } else {
            f[i].type = JREC_OTHER;
        }
    }
    json_decref(obj);
    return true;
}

bool article_from_json(const char *text, size_t len, const char *source, long line, article *out, ec_error *err)
{
    memset(out, 0, sizeof *out);
    jrec_value f[F__COUNT];
    /* the fast reader takes ordinary records; anything else goes through jansson */
    if (!jrec_read(text, len, FIELD_NAMES, F__COUNT, f) && !fields_from_jansson(text, len, source, line, f, err))
        return false;
    bool ok = false;
    char *url = field_str(&f[F_URL]);
    if (f[F_TEXT].type == JREC_STRING) {
        out->format = AF_TEXT;
        if (!set_text(out, f[F_TEXT].str, f[F_TEXT].len, 0, source, err)) {
            free(url);
            err->line = line;
            goto done;
        }
        out->url = url;
    } else if (f[F_HTML].type == JREC_STRING) {
        if (!article_from_html(f[F_HTML].str, f[F_HTML].len, source, url, out, err)) {
            free(url);
            goto done;
        }
        if (url) {
            free(out->url);
            out->url = url;
        }
    } else {
        free(url);
        ec_fail(err, EC_ERR_INPUT, source, line, 1, "the object has no \"text\" or \"html\" string");
        goto done;
    }
    out->source = source;
    out->source_line = line;
    free(out->id);
    out->id = field_str(&f[F_ID]);
    if (!out->id)
        out->id = xasprintf("%s:%ld", source && strcmp(source, "-") ? source : "stdin", line);
    char *title = field_str(&f[F_TITLE]);
    if (title) {
        free(out->title);
        out->title = title;
    }
    char *pub = field_str(&f[F_PUBLISHED]);
    if (!pub)
        pub = field_str(&f[F_DCT]);
    if (pub) {
        free(out->published);
        free(out->published_from);
        out->published = pub;
        out->published_from = xstrdup("jsonl");
    }
    char *tz = field_str(&f[F_TIMEZONE]);
    if (tz) {
        free(out->timezone);
        out->timezone = tz;
    }
    ok = true;
done:
    if (!ok)
        article_finish(out);
    for (int i = 0; i < F__COUNT; i++)
        jrec_value_finish(&f[i]);
    return ok;
}

article_reader *article_reader_open(const char *path, article_format format, size_t max_bytes, ec_error *err)
{
    bool is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        ec_fail(err, EC_ERR_INPUT, path, 0, 0, "cannot open: %s", strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        if (!is_stdin)
            fclose(f);
        ec_fail(err, EC_ERR_INPUT, path, 0, 0, "is a directory");
        return NULL;
    }
    article_reader *r = xcalloc(1, sizeof *r);
    r->f = f;
    r->regular = fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode);
    r->own = !is_stdin;
    r->name = xstrdup(path);
    r->max_bytes = max_bytes;
    /* the name first: a .txt whose text opens with "{Update}" had been read as JSON Lines */
    if (format == AF_AUTO)
        format = format_of_name(path);
    r->format = format;
    if (format == AF_AUTO) {
        /* peek at the first block without consuming it: JSON Lines must stream, and a text's
           offsets count from its first byte, blank lines included.  Both readers below start
           from this block. */
        r->rbuf = xmalloc(READ_BLOCK);
        size_t i = 0, k;
        while (r->rlen < READ_BLOCK && (k = read_some(r, r->rbuf + r->rlen, READ_BLOCK - r->rlen)) > 0) {
            r->rlen += k;
            if (i == 0)
                i = utf8_bom_len(r->rbuf, r->rlen);
            while (i < r->rlen && ascii_isspace((unsigned char)r->rbuf[i]))
                i++;
            bool part_of_mark = r->rlen < 3 && (unsigned char)r->rbuf[0] == 0xEF;
            if (i < r->rlen && !part_of_mark)
                break; /* the first byte that tells is here */
        }
        if (i < r->rlen && r->rbuf[i] == '{')
            r->format = AF_JSONL;
    }
    return r;
}

bool article_reader_waiting(const article_reader *r)
{
    if (r->regular || r->done || r->rerr || r->rpos < r->rlen)
        return false;
    struct pollfd pf = {.fd = fileno(r->f), .events = POLLIN};
    return poll(&pf, 1, 0) == 0;
}

void article_reader_free(article_reader *r)
{
    if (!r)
        return;
    if (r->own && r->f)
        fclose(r->f);
    free(r->name);
    free(r->buf);
    free(r->rbuf);
    free(r);
}

/*
 * Reads one line of at most max bytes into r->buf; a longer line is consumed and reported.
 * Input comes through a block buffer and memchr, not a byte at a time.
 */
static long read_line(article_reader *r, size_t *len, bool *too_long)
{
    size_t n = 0;
    bool consumed = false; /* any byte of this line, its newline included */
    *too_long = false;
    while (refill(r)) {
        const char *start = r->rbuf + r->rpos;
        size_t avail = r->rlen - r->rpos;
        const char *nl = memchr(start, '\n', avail);
        size_t take = nl ? (size_t)(nl - start) : avail;
        consumed = true;
        if (!*too_long && n + take > r->max_bytes)
            *too_long = true; /* drain the rest of the line so the next one is read whole */
        if (!*too_long) {
            if (n + take + 2 > r->cap) {
                while (n + take + 2 > r->cap)
                    r->cap = r->cap ? r->cap * 2 : 4096;
                r->buf = xrealloc(r->buf, r->cap);
            }
            memcpy(r->buf + n, start, take);
            n += take;
        }
        r->rpos += take + (nl ? 1 : 0);
        if (nl)
            break;
    }
    if (!consumed)
        return -1;
    if (!r->buf) {
        r->cap = 16;
        r->buf = xmalloc(r->cap);
    }
    if (*too_long)
        n = 0;
    r->buf[n] = '\0';
    *len = n;
    return (long)n;
}

int article_reader_next_raw(article_reader *r, article_raw *out, ec_error *err)
{
    memset(out, 0, sizeof *out);
    out->source = r->name;
    if (r->done)
        return 0;
    if (r->format == AF_JSONL) {
        for (;;) {
            size_t n;
            bool too_long;
            if (read_line(r, &n, &too_long) < 0) {
                r->done = true;
                if (r->rerr) {
                    ec_fail(err, EC_ERR_INPUT, r->name, r->line + 1, 0, "cannot read: %s", strerror(r->rerr));
                    return -1;
                }
                return 0;
            }
            r->line++;
            if (too_long) {
                ec_fail(err, EC_ERR_LIMIT, r->name, r->line, 0, "line longer than the %zu MB limit (see --max-size)",
                        r->max_bytes >> 20);
                return -1;
            }
            size_t i = 0, skip = 0;
            /* a byte-order mark before the first record (Windows tools write one) */
            if (r->line == 1)
                i = skip = utf8_bom_len(r->buf, n);
            while (i < n && ascii_isspace((unsigned char)r->buf[i]))
                i++;
            if (i == n)
                continue; /* blank lines are allowed between records */
            out->data = xmalloc(n - skip + 1); /* the line buffer is the reader's, reused */
            memcpy(out->data, r->buf + skip, n - skip);
            out->data[n - skip] = '\0';
            out->len = n - skip;
            out->format = AF_JSONL;
            out->line = r->line;
            return 1;
        }
    }
    r->done = true;
    strbuf sb;
    sb_init(&sb);
    /* from what the format's peek read first, if it did, then the rest */
    while (refill(r)) {
        size_t got = r->rlen - r->rpos;
        if (sb.len + got > r->max_bytes) {
            sb_finish(&sb);
            ec_fail(err, EC_ERR_LIMIT, r->name, 0, 0, "larger than the %zu MB limit for one article (see --max-size)",
                    r->max_bytes >> 20);
            return -1;
        }
        sb_add(&sb, r->rbuf + r->rpos, got);
        r->rpos = r->rlen;
    }
    if (r->rerr) {
        sb_finish(&sb);
        ec_fail(err, EC_ERR_INPUT, r->name, 0, 0, "cannot read: %s", strerror(r->rerr));
        return -1;
    }
    out->len = sb.len;
    out->data = sb_steal(&sb);
    out->format = r->format;
    return 1;
}

bool article_from_raw(article_raw *raw, article *out, ec_error *err)
{
    memset(out, 0, sizeof *out);
    bool ok;
    if (raw->format == AF_JSONL) {
        ok = article_from_json(raw->data, raw->len, raw->source, raw->line, out, err);
    } else {
        article_format f =
            raw->format == AF_AUTO ? article_guess_format(raw->source, raw->data, raw->len) : raw->format;
        if (f == AF_HTML)
            ok = article_from_html(raw->data, raw->len, raw->source, NULL, out, err);
        else if (f == AF_JSONL)
            /* read whole, not line by line: JSON the reader did not take for JSON Lines (a
               .json that is an array) is no article text either */
            ok = ec_fail(err, EC_ERR_INPUT, raw->source, 0, 0,
                         "looks like JSON but is not read as JSON Lines: give --input jsonl, one object per line");
        else
            ok = article_from_text(raw->data, raw->len, raw->source, out, err);
        if (ok)
            out->source = raw->source;
    }
    free(raw->data);
    raw->data = NULL;
    return ok;
}

int article_reader_next(article_reader *r, article *out, ec_error *err)
{
    memset(out, 0, sizeof *out);
    article_raw raw;
    int rc = article_reader_next_raw(r, &raw, err);
    if (rc <= 0)
        return rc;
    return article_from_raw(&raw, out, err) ? 1 : -1;
}

void article_defer(article *a, article_raw *raw)
{
    memset(a, 0, sizeof *a);
    a->unparsed = xmalloc(sizeof *a->unparsed);
    *a->unparsed = *raw;
    a->source = raw->source; /* which a holder of the article may copy, as batch_add() does */
    memset(raw, 0, sizeof *raw);
}

bool article_parse_deferred(article *a, ec_error *err)
{
    article_raw *raw = a->unparsed;
    if (!raw)
        return true;
    a->unparsed = NULL;
    if (a->source)
        raw->source = a->source; /* the reader, whose name raw borrowed, may be gone by now */
    bool ok = article_from_raw(raw, a, err);
    free(raw);
    if (!ok)
        article_finish(a);
    return ok;
}

/* ---- sentences ---- */

static bool is_abbrev(const article *a, size_t word_start, size_t dot, const rules *r)
{
    if (!r || dot <= word_start)
        return false;
    /* single capital letters ("J. Smith") are initials */
    if (dot - word_start == 1 && a->text[word_start] >= 'A' && a->text[word_start] <= 'Z')
        return true;
    return rules_vocab_lookup(r, "abbrev", a->text + word_start, dot - word_start + 1) != NULL;
}

static void add_sentence(article *a, size_t *cap, size_t s, size_t e, size_t para)
{
    while (s < e && ascii_isspace((unsigned char)a->text[s]))
        s++;
    while (e > s && ascii_isspace((unsigned char)a->text[e - 1]))
        e--;
    if (e <= s)
        return;
    if (a->nsentences == *cap) {
        *cap = *cap ? *cap * 2 : 32;
        a->sentences = xrealloc(a->sentences, *cap * sizeof *a->sentences);
    }
    a->sentences[a->nsentences++] = (sentence){s, e, para};
}

/* Where the block of lines that starts at `p` ends: at a blank line (a line of spaces only) or
   the text's end. */
static size_t block_end(const char *t, size_t n, size_t p)
{
    for (;;) {
        const char *nl = memchr(t + p, '\n', n - p);
        if (!nl)
            return n;
        size_t q = (size_t)(nl - t) + 1;
        while (q < n && (t[q] == ' ' || t[q] == '\t' || t[q] == '\r'))
            q++;
        if (q >= n || t[q] == '\n')
            return (size_t)(nl - t);
        p = q;
    }
}

/*
 * True if the block t[s, e) is prose broken into lines of one width, as e-mail and plain-text
 * press releases are written: three lines or more, all but the last between 40 and 100 bytes
 * and within 25 of the longest, and most of them ending inside a sentence.  Its single line
 * breaks are then spaces.  A list, a headline over its paragraph, or web text with a paragraph
 * per line does not look like that.
 */
static bool block_wrapped(const char *t, size_t s, size_t e)
{
    size_t lines = 0, longest = 0, shortest = (size_t)-1, open_ends = 0;
    for (size_t p = s; p < e;) {
        const char *nl = memchr(t + p, '\n', e - p);
        size_t q = nl ? (size_t)(nl - t) : e;
        if (!nl)
            break; /* the last line may be short */
        size_t end = q;
        while (end > p && ascii_isspace((unsigned char)t[end - 1]))
            end--;
        size_t len = end - p;
        lines++;
        longest = len > longest ? len : longest;
        shortest = len < shortest ? len : shortest;
        unsigned char last = end > p ? (unsigned char)t[end - 1] : '.';
        if (!strchr(".!?:;\"')", last) && last < 0x80)
            open_ends++;
        p = q + 1;
    }
    return lines >= 2 && shortest >= 40 && longest <= 100 && longest - shortest <= 25 && open_ends * 2 > lines;
}

/* The first byte at or after i that is a line break, '.', '!' or '?' (n if none): eight bytes
   at a time, a zero byte of x ^ c marking c. */
static size_t next_end_byte(const char *t, size_t i, size_t n)
{
#if defined(__SSE2__)
    /* sixteen at a time where there is SSE2: most of a text is passed over here */
    const __m128i nl = _mm_set1_epi8('\n'), dot = _mm_set1_epi8('.'), bang = _mm_set1_epi8('!'),
                  ask = _mm_set1_epi8('?');
    while (i + 16 <= n) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(t + i));
        __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, nl), _mm_cmpeq_epi8(x, dot)),
                                   _mm_or_si128(_mm_cmpeq_epi8(x, bang), _mm_cmpeq_epi8(x, ask)));
        unsigned m = (unsigned)_mm_movemask_epi8(hit);
        if (m)
            return i + (size_t)__builtin_ctz(m);
        i += 16;
    }
#elif defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
    while (i + 8 <= n) {
        uint64_t x, hit = 0;
        memcpy(&x, t + i, 8);
        const uint64_t keys[4] = {ones * '\n', ones * '.', ones * '!', ones * '?'};
        for (int k = 0; k < 4; k++) {
            uint64_t y = x ^ keys[k];
            hit |= (y - ones) & ~y;
        }
        if (hit & high)
            break; /* in these eight (or a false alarm after one): byte by byte */
        i += 8;
    }
#endif
    static const uint8_t ends[256] = {['\n'] = 1, ['.'] = 1, ['!'] = 1, ['?'] = 1};
    while (i < n && !ends[(unsigned char)t[i]])
        i++;
    return i;
}

void article_split(article *a, const rules *r)
{
    free(a->sentences);
    a->sentences = NULL;
    a->nsentences = 0;
    size_t cap = 0, para = 0, start = 0;
    const char *t = a->text;
    size_t n = a->len;
    /* only the bytes that may end a sentence stop the scan (next_end_byte) */
    size_t block_to = 0; /* the current block of lines ends here */
    bool wrapped = false; /* ... and is hard-wrapped prose (block_wrapped()) */
    for (size_t i = 0; i < n; i++) {
        if (i >= block_to) {
            block_to = block_end(t, n, i);
            wrapped = block_wrapped(t, i, block_to);
        }
        i = next_end_byte(t, i, n);
        if (i >= n)
            break;
        char c = t[i];
        if (c == '\n' && wrapped && i < block_to)
            continue; /* a line break inside wrapped prose is a space */
        if (c == '\n') {
            /* a blank line ends a paragraph; a single line break in news text usually does too */
            add_sentence(a, &cap, start, i, para);
            size_t j = i;
            while (j + 1 < n && (t[j + 1] == '\n' || t[j + 1] == '\r' || t[j + 1] == ' ' || t[j + 1] == '\t'))
                j++;
            para++;
            start = j + 1;
            i = j;
            continue;
        }
        if (c != '.' && c != '!' && c != '?')
            continue;
        /* the end of a sentence: punctuation, closing quotes/brackets, space, then a capital,
           digit or opening quote */
        size_t j = i + 1;
        while (j < n && (t[j] == '"' || t[j] == '\'' || t[j] == ')' || t[j] == '.' || t[j] == '!' || t[j] == '?'))
            j++;
        if (j + 2 < n && (unsigned char)t[j] == 0xE2 && (unsigned char)t[j + 1] == 0x80 &&
            ((unsigned char)t[j + 2] == 0x9D || (unsigned char)t[j + 2] == 0x99))
            j += 3; /* ” or ’ */
        /* in wrapped prose a sentence may end at the end of a line */
        bool soft_break = wrapped && j < block_to && (t[j] == '\n' || t[j] == '\r');
        /* what follows the run of punctuation decides for every mark in it, so when it says no
           the run is passed over at once (a run of 100,000 dots was read 100,000 times) */
        size_t run_end = j > i + 1 ? j - 1 : i;
        if (j >= n || (t[j] != ' ' && !soft_break)) {
            i = run_end;
            continue;
        }
        size_t k = j;
        while (k < n && (t[k] == ' ' || (soft_break && k < block_to && (t[k] == '\n' || t[k] == '\r'))))
            k++;
        if (k >= n) {
            i = run_end;
            continue;
        }
        unsigned char nx = (unsigned char)t[k];
        bool opener = (nx >= 'A' && nx <= 'Z') || ascii_isdigit(nx) || nx == '"' || nx == '\'' || nx == '(' ||
                      nx == 0xE2 /* “ ‘ */ || nx >= 0xC3;
        if (!opener) {
            i = run_end;
            continue;
        }
        if (c == '.') {
            size_t w = i;
            while (w > start && !ascii_isspace((unsigned char)t[w - 1]) && t[w - 1] != '(' && t[w - 1] != '"')
                w--;
            if (is_abbrev(a, w, i, r))
                continue;
        }
        add_sentence(a, &cap, start, j, para);
        start = k;
        i = k - 1;
    }
    add_sentence(a, &cap, start, n, para);
}

size_t article_sentence_at(const article *a, size_t off)
{
    /* halving without a branch on the comparison, which mispredicts half the time: the
       stages ask this for every trigger, date and place */
    const sentence *base = a->sentences;
    size_t n = a->nsentences;
    if (!n)
        return 0;
    while (n > 1) {
        size_t half = n / 2;
        base = base[half].start <= off ? base + half : base;
        n -= half;
    }
    return (size_t)(base - a->sentences);
}

/*
 * article: reads articles (plain text with an optional header, saved HTML pages, JSON Lines),
 * their metadata, and splits their text into sentences.
 *
 * Ownership: an article's strings are owned by the article; article_finish() frees them and
 * leaves it zeroed.  An article_reader owns its input stream and frees it in
 * article_reader_free().  Nothing here prints.
 */
#ifndef EVENTCAL_ARTICLE_H
#define EVENTCAL_ARTICLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "rules.h"
#include "util.h"

typedef enum article_format {
    AF_AUTO,
    AF_TEXT,
    AF_HTML,
    AF_JSONL,
} article_format;

typedef struct sentence {
    size_t start, end; /* byte offsets into article.text, end exclusive, trimmed */
    size_t paragraph;  /* 0-based paragraph number */
} sentence;

/* A plain record: every stage reads it, so its fields are public. */
typedef struct article {
    char *id;             /* from JSON Lines, else the file name without directory and extension */
    char *url;            /* NULL if unknown */
    char *title;          /* NULL if unknown */
    char *published;      /* ISO date or date-time as read (reference for relative dates); NULL if unknown */
    char *published_from; /* where `published` came from: "header", "jsonl", "option", "meta:...", ... */
    char *timezone;       /* IANA zone from the input, or NULL (then the run's --timezone) */
    char *lang;           /* language tag if stated */
    char *text;           /* UTF-8, NUL-terminated, sanitised (see utf8_sanitize) */
    size_t len;
    size_t header_len;    /* bytes of the "Title:/URL:/Published:" header in the raw file, for offsets */
    size_t bad_bytes;     /* invalid UTF-8 or NUL bytes replaced while reading */
    bool header_unended;  /* text that began with header lines no blank line ended: read as text */
    const char *source;   /* input name ("-" for stdin); borrowed from the reader */
    long source_line;     /* line in a JSON Lines input; 0 otherwise */
    article_format format;
    sentence *sentences;  /* filled by article_split() */
    size_t nsentences;
    struct article_raw *unparsed; /* a record not read yet: article_parse_deferred() reads it */
} article;

void article_finish(article *a);

typedef struct article_reader article_reader;

/*
 * Opens `path` ("-" for standard input) for reading articles in `format` (AF_AUTO guesses from
 * the name, and from the first bytes only when the name says nothing: see
 * article_guess_format()).  Returns NULL with err set if the file cannot be opened, is a
 * directory, or is not a regular file or stream.
 * `max_bytes` caps one article (and one JSON line).
 */
article_reader *article_reader_open(const char *path, article_format format, size_t max_bytes, ec_error *err);
void article_reader_free(article_reader *r);

/*
 * Reads the next article into `out` (which the caller then owns and finishes).  Returns 1 when
 * an article was read, 0 at the end of the input, and -1 when this record is bad (err says
 * where); after -1 the caller may call again to continue with the next record (JSON Lines) or
 * will get 0 (single-article formats).
 */
int article_reader_next(article_reader *r, article *out, ec_error *err);

/*
 * A record as cut from the input and not yet read: with several threads the reading thread
 * only cuts records and each worker reads its own (reading an HTML page costs more than the
 * extraction from it).  article_reader_next() is article_reader_next_raw() and then
 * article_from_raw().
 */
typedef struct article_raw {
    char *data; /* owned */
    size_t len;
    article_format format; /* AF_JSONL for a JSON Lines record; AF_AUTO: guessed from name and data */
    const char *source;    /* borrowed from the reader, as article.source is */
    long line;             /* of a JSON Lines record; 0 otherwise */
} article_raw;

/* Like article_reader_next(), but the record is cut, not read (an article too large, or input
   that cannot be read, is still reported here); the caller owns out->data. */
int article_reader_next_raw(article_reader *r, article_raw *out, ec_error *err);
/* Whether the next record may have to wait for input that has not come yet: nothing is
   buffered and a pipe or terminal has nothing ready (a feed between articles).  Never for a
   regular file.  A caller holding finished results writes them out before it reads on. */
bool article_reader_waiting(const article_reader *r);
/* Reads a record into *out (the caller's, to finish); false with err set when it is bad.
   Frees raw->data either way. */
bool article_from_raw(article_raw *raw, article *out, ec_error *err);
/* An article that holds only `raw` (moved into it) and its source, to be read later on
   whatever thread then has it: article_parse_deferred(), which reads it as coming from
   a->source then (a copy a holder made of it outlives the reader). */
void article_defer(article *a, article_raw *raw);
/* Reads a deferred record into *a; true at once when there is none.  False with err set (and
   *a empty) when the record is bad. */
bool article_parse_deferred(article *a, ec_error *err);

/*
 * The article files under directory `dir`: names ending in .txt, .text, .html, .htm, .xhtml,
 * .jsonl or .ndjson (in any case; not .json, a document), in its subdirectories too, depth first and sorted by
 * name within each directory; hidden names and symbolic links to directories are passed over,
 * and a subdirectory that cannot be read is listed itself, so that opening it reports why.
 * Returns an array of *n paths ("dir/name") that the caller frees with str_list_free(), and
 * counts the other files in *skipped; NULL with err set when dir cannot be read or holds no
 * article file.
 */
char **article_dir_paths(const char *dir, size_t *n, size_t *skipped, ec_error *err);

/* Guesses the format of a buffer from its name (.txt, .html, .jsonl and their kin; `name` may be
   NULL), else from its data: JSON Lines if it starts with '{' (or the name ends in .json), HTML
   by html_sniff(), text otherwise. */
article_format article_guess_format(const char *name, const char *data, size_t len);
bool article_format_parse(const char *s, article_format *out);

/*
 * Builds an article from one JSON object text (a JSON Lines record):
 * {"id", "url", "title", "published", "timezone", "text" | "html"}.
 */
bool article_from_json(const char *json, size_t len, const char *source, long line, article *out, ec_error *err);
/* Builds an article from a whole text file, reading an optional header block. */
bool article_from_text(const char *data, size_t len, const char *source, article *out, ec_error *err);
/* Builds an article from a saved HTML page. */
bool article_from_html(const char *data, size_t len, const char *source, const char *url_hint, article *out,
                       ec_error *err);

/*
 * Splits the text into sentences: at . ! ? followed by space and a capital, a digit or a quote,
 * and at paragraph breaks; not after abbreviations listed in the rules' `abbrev` vocabulary
 * ("Feb.", "Mr.", "St.").  `r` may be NULL (no abbreviations).
 */
void article_split(article *a, const rules *r);

/* Index of the sentence containing byte offset `off`, or the last one before it. */
size_t article_sentence_at(const article *a, size_t off);

#endif

/*
 * jwrite: JSON text written straight into a strbuf, for eventcal's outputs.
 *
 * The text is what jansson's json_dumps() prints for the same values with the flags eventcal
 * gives it (JSON_INDENT(n) or JSON_COMPACT, JSON_PRESERVE_ORDER, JSON_REAL_PRECISION(6),
 * optionally JSON_ESCAPE_SLASH), byte for byte, without a tree of the values to build and free
 * (for a calendar's events, most of the time of writing them; test_jwrite compares the two on
 * random documents).  jansson stays the reference, and writes what is not eventcal's own
 * (jCal's values come from libical).
 *
 * A jw writes into a strbuf the caller owns; it holds no memory of its own, so there is no
 * jw_finish().  Values go where a value is due: at the top, as an element of the array being
 * written, or after jw_key().
 */
#ifndef EVENTCAL_JWRITE_H
#define EVENTCAL_JWRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

enum { JW_MAX_DEPTH = 64 };

typedef struct jw {
    strbuf *out;
    int indent;        /* spaces a level (JSON_INDENT); 0 is JSON_COMPACT */
    bool escape_slash; /* "/" as "\/" (JSON_ESCAPE_SLASH) */
    bool escape_lt;    /* "<" as "\u003c" anywhere, as JSON-LD in a <script> element needs */
    int depth;         /* containers open */
    uint64_t in_array; /* bit d: the container at depth d is an array */
    uint64_t started;  /* bit d: the container at depth d has an element */
    bool after_key;    /* a member's key is written and its value is due */
} jw;

/* Starts a document at the current end of out. */
void jw_init(jw *w, strbuf *out, int indent, bool escape_slash, bool escape_lt);

void jw_object(jw *w); /* an object begins */
void jw_array(jw *w);  /* an array begins */
void jw_end(jw *w);    /* the innermost object or array ends */
void jw_key(jw *w, const char *key);

void jw_null(jw *w);
void jw_bool(jw *w, bool b);
void jw_int(jw *w, long long v);
/* As json_real() and its printing; false (and nothing written) for NaN or an infinity, which
   json_real() refuses. */
bool jw_real(jw *w, double v);
/* s[0..n) must be valid UTF-8 (jw_valid() says): json_string() refuses anything else. */
void jw_string(jw *w, const char *s, size_t n);

/* Whether jansson takes s[0..n) as a string: valid UTF-8 (no NUL check: C strings have none). */
bool jw_valid(const char *s, size_t n);

/*
 * Members as json_object_set_new(o, key, json_string(s)) keeps them: a NULL s is null (as
 * eventcal's jstr() made it), and a string that is not valid UTF-8, which json_string()
 * refuses, is no member at all.
 */
void jw_member_str(jw *w, const char *key, const char *s);
void jw_member_strn(jw *w, const char *key, const char *s, size_t n);
void jw_member_int(jw *w, const char *key, long long v);
void jw_member_bool(jw *w, const char *key, bool b);
void jw_member_real(jw *w, const char *key, double v);

#endif

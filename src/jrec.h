/*
 * jrec: a fast, strict reader for the flat JSON objects of JSON Lines input.
 *
 * A JSON Lines record is one object whose interesting members are a few strings ("id",
 * "text", ...).  jansson builds a tree of the whole object, which costs more than the rest of
 * reading a news article; this reader walks the bytes once, checks them as strictly as jansson
 * does, and copies out only the members asked for; nested objects and arrays are checked and
 * skipped.  Whatever it does not handle itself (any invalid JSON, so that jansson can word
 * the error; duplicate or escaped keys in any object; numbers with an exponent or too many
 * digits; nesting deeper than JREC_MAX_DEPTH; an object of more than JREC_MAX_KEYS members)
 * it declines, and the caller falls back to jansson: the two never disagree on a record this
 * reader accepts.
 *
 * Ownership: values are copied into the caller's jrec_value buffers, which jrec_value_finish()
 * frees; jrec_value_finish(NULL) is a no-op.
 */
#ifndef EVENTCAL_JREC_H
#define EVENTCAL_JREC_H

#include <stdbool.h>
#include <stddef.h>

enum { JREC_MAX_DEPTH = 32, JREC_MAX_KEYS = 64 };

typedef enum jrec_type {
    JREC_ABSENT,  /* no member of that name */
    JREC_STRING,  /* str/len hold the unescaped string (valid UTF-8, no NUL) */
    JREC_INTEGER, /* str holds the integer in decimal, as jansson prints it */
    JREC_OTHER,   /* a real number, true, false, null, an array or an object */
} jrec_type;

typedef struct jrec_value {
    jrec_type type;
    char *str; /* NUL-terminated; owned by the value */
    size_t len;
    size_t at, end; /* where the member's value lies in the text (any type) */
} jrec_value;

/*
 * Reads the JSON text s[0..n) (one object, nothing after it but whitespace) and fills
 * out[i] for the member named keys[i], i < nkeys.  Returns false when the text is not a
 * record this reader handles (see above); out is then left all JREC_ABSENT with nothing to
 * free.  On true the caller frees each out[i] with jrec_value_finish().
 */
bool jrec_read(const char *s, size_t n, const char *const *keys, size_t nkeys, jrec_value *out);

void jrec_value_finish(jrec_value *v);

/*
 * The place of each element of the array v, a member jrec_read() found in the text s: *items
 * gets 2 * *count offsets into s, each element's start and end (a new array, caller frees;
 * NULL when the array is empty).  For reading a large document a piece at a time (a
 * calendar's "events": each event handed to jansson alone rather than the whole tree at
 * once).  False, with nothing to free, when v is no array.
 */
bool jrec_array_items(const char *s, const jrec_value *v, size_t **items, size_t *count);

#endif

/*
 * emit_json: writes a calendar as eventcal's JSON (schema in eventcal(1)), as schema.org Event
 * JSON-LD, or as tab-separated lines; and per-article JSON Lines records.
 *
 * Ownership: every function returns a new NUL-terminated string (caller frees).  JSON-LD escapes
 * "/" and "<" so "</script>" or "<!--<script>" in article text cannot end or derail an enclosing
 * <script> element.
 */
#ifndef EVENTCAL_EMIT_JSON_H
#define EVENTCAL_EMIT_JSON_H

#include <stddef.h>

#include "article.h"
#include "calendar.h"
#include "emit_ics.h"
#include "timex.h"

char *emit_json(const calendar *c, const emit_opts *o, size_t *len);
char *emit_jsonld(const calendar *c, const emit_opts *o, size_t *len);
char *emit_tsv(const calendar *c, const emit_opts *o, size_t *len);
/* jCal (RFC 7265): the same calendar as emit_ics(), as JSON. */
char *emit_jcal(const calendar *c, const emit_opts *o, size_t *len);

/* One JSON line (with its newline) for `--format timex`: {"id", "timex": [...]}, values in `style`. */
char *emit_timex_line(const article *a, const timex *tx, size_t n, tx_style style);
/* One JSON line for `--format meta`: {"id", "url", "title", "published", "published_from", "lang"}. */
char *emit_meta_line(const article *a);
/* One JSON line for `--format jsonl`: {"id", "events": [...]} for the events of one article. */
char *emit_events_line(const article *a, event *const *events, size_t n, const emit_opts *o);
/* The explanation of one event for --explain (plain text, several lines). */
char *emit_explain(const event *e);

#endif

/*
 * pcache: compiled patterns kept on disk between runs, so that a run does not compile again
 * what the last run with the same rules compiled (most of the start-up; eventcal is often run
 * once an article).  A cache, nothing more: a missing, stale, foreign or damaged file is
 * passed over without a word and written anew; a file that cannot be written is not an error.
 *
 * One file per rules directory, in a directory the caller names.  Entries are keyed by
 * their pattern's text and compile options, so a rule that changed simply misses.  The file
 * holds pcre2's own serialised code (pcre2_serialize_encode(): no JIT code, and tied to the
 * pcre2 build that wrote it, which pcre2 checks) and the first bytes of each match line, with
 * a checksum over all of it: a file cut short or changed is never decoded.  pcre2 trusts the
 * code it decodes, so a file that is not the user's own, or that others may write, is not
 * read; the file is written 0600.
 *
 * Ownership: pcache_code() hands the caller a code it then frees; the codes given to
 * pcache_put_code() stay the caller's and must live until pcache_save().  Not thread-safe:
 * one loader uses one cache.
 */
#ifndef EVENTCAL_PCACHE_H
#define EVENTCAL_PCACHE_H

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

typedef struct pcache pcache;

/* The cache of the rules in rules_dir, read from cache_dir if it holds one.  A NULL or empty
   cache_dir gives a cache that never hits and never writes.  Caller frees with pcache_free(). */
pcache *pcache_open(const char *cache_dir, const char *rules_dir);
void pcache_free(pcache *c);

/* The first bytes recorded for a match line's pattern: true and *known, first[] set (first is
   meaningful only when *known) when the file had them.  The caller, on false, works them out
   and records them with pcache_put_first().  The file is written with what this run asked
   for, so entries of rules that changed do not pile up. */
bool pcache_first(pcache *c, const char *pat, uint32_t options, bool *known, uint8_t first[32]);
void pcache_put_first(pcache *c, const char *pat, uint32_t options, bool known, const uint8_t first[32]);

/* A code for pat compiled with options, decoded from the file (caller frees, after
   pcache_save()), or NULL: the caller then compiles it and records it with pcache_put_code(). */
pcre2_code *pcache_code(pcache *c, const char *pat, uint32_t options);
void pcache_put_code(pcache *c, const char *pat, uint32_t options, const pcre2_code *code);

/* Writes the file (a temporary file renamed into place) when this run compiled anything;
   false with err set when that failed.  No-op for a disabled cache. */
bool pcache_save(pcache *c, ec_error *err);

/* A cache file's bytes for its body (all that follows the header: the records and the codes),
   with the header and the body's checksum put in front; *file_len of them.  pcache_save()
   writes files so; the fuzz target seals what it reads, to reach past the checksum.  Caller
   frees. */
unsigned char *pcache_seal(const void *body, size_t len, size_t *file_len);

/* Of the patterns this run asked for, how many came from the file. */
void pcache_counts(const pcache *c, size_t *hits, size_t *asked);

#endif

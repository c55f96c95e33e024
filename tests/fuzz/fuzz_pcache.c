/*
 * fuzz_pcache: the reader of the compiled-pattern cache (src/pcache.c).  A file whose checksum
 * fails is never parsed, so most inputs are sealed first (pcache_seal(): header and checksum
 * put in front): the fuzzer then reaches the record counts, keys, the blob's size and the
 * lookups.  pcre2 trusts the code it decodes (a cache file is the user's own, 0600), so the
 * blob is not the fuzzer's: a genuine one, serialised here, is put after the input's records.
 *
 * The input's first byte chooses: bit 1 set, the rest is written as it is, unsealed (the
 * header and checksum checks); otherwise the rest is the body's records, the genuine blob
 * (with its size) follows, and the whole is sealed.  The cache is then opened, its two
 * patterns asked for, the codes it hands out run, and the cache saved and read back.
 *
 * Seeds: FUZZ_PCACHE_SEED=FILE fuzz_pcache -runs=0 writes the records of a genuine cache.
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "fuzz.h"
#include "pcache.h"
#include "util.h"

enum { NPAT = 2 };
static const char *const PAT[NPAT] = {"(?i)s(?<day>at|un)urday", "\\b(?<n>\\d{1,2})(?:st|nd|rd|th)\\b"};
static const uint32_t OPT[NPAT] = {PCRE2_UTF | PCRE2_ANCHORED, PCRE2_UTF | PCRE2_UCP};
static const char RULES[] = "/nonexistent/eventcal-fuzz-rules";

static char dir[64];
static char *path;               /* the cache file pcache_open(dir, RULES) reads */
static pcre2_code *mine[NPAT];   /* compiled here: given to the cache on a miss */
static uint8_t *blob;            /* mine[], serialised */
static PCRE2_SIZE blob_len;
static pcre2_match_data *md;

static void cleanup(void)
{
    unlink(path);
    rmdir(dir);
    free(path);
    for (int i = 0; i < NPAT; i++)
        pcre2_code_free(mine[i]);
    pcre2_serialize_free(blob);
    pcre2_match_data_free(md);
}

static void put_file(const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || (n && fwrite(data, 1, n, f) != n) || fclose(f) != 0)
        abort();
}

static char *slurp(const char *p, size_t *n)
{
    ec_error err;
    ec_error_clear(&err);
    return read_file_all(p, (size_t)64 << 20, n, &err);
}

/* Opens the cache, asks for every pattern as the rules loader does, runs what it hands out,
   saves.  Returns how many codes came from the file. */
static int use_cache(void)
{
    pcache *c = pcache_open(dir, RULES);
    pcre2_code *got[NPAT] = {NULL};
    int hits = 0;
    for (int i = 0; i < NPAT; i++) {
        bool known = false;
        uint8_t first[32];
        if (!pcache_first(c, PAT[i], OPT[i], &known, first))
            pcache_put_first(c, PAT[i], OPT[i], false, first);
        got[i] = pcache_code(c, PAT[i], OPT[i]);
        if (got[i]) {
            hits++;
            static const char text[] = "on Saturday the 24th";
            int rc = pcre2_match(got[i], (PCRE2_SPTR)text, sizeof text - 1, 0, 0, md, NULL);
            FUZZ_ASSERT(rc >= 0 || rc == PCRE2_ERROR_NOMATCH);
        } else {
            pcache_put_code(c, PAT[i], OPT[i], mine[i]);
        }
    }
    ec_error err;
    ec_error_clear(&err);
    (void)pcache_save(c, &err); /* a cache that cannot be written is not an error */
    for (int i = 0; i < NPAT; i++)
        pcre2_code_free(got[i]);
    pcache_free(c);
    return hits;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    snprintf(dir, sizeof dir, "/tmp/eventcal-fuzz-pcache.XXXXXX");
    if (!mkdtemp(dir))
        abort();
    for (int i = 0; i < NPAT; i++) {
        int ec;
        PCRE2_SIZE eo;
        mine[i] = pcre2_compile((PCRE2_SPTR)PAT[i], PCRE2_ZERO_TERMINATED, OPT[i], &ec, &eo, NULL);
        if (!mine[i])
            abort();
    }
    if (pcre2_serialize_encode((const pcre2_code **)mine, NPAT, &blob, &blob_len, NULL) != NPAT)
        abort();
    md = pcre2_match_data_create(8, NULL);
    /* a genuine cache, written by pcache itself: its one file is where pcache reads */
    (void)use_cache();
    DIR *d = opendir(dir);
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL)
        if (de->d_name[0] != '.')
            path = xasprintf("%s/%s", dir, de->d_name);
    if (d)
        closedir(d);
    if (!path || use_cache() != NPAT)
        abort(); /* the round trip itself must hit */
    const char *seed = getenv("FUZZ_PCACHE_SEED");
    if (seed) {
        /* mode byte 0, then the body's records: all but the 32-byte header and the blob */
        size_t n = 0;
        char *file = slurp(path, &n);
        size_t records = n - 32 - 8 - blob_len;
        FILE *f = fopen(seed, "wb");
        if (!file || n < 32 + 8 + blob_len || !f || fputc(0, f) == EOF || fwrite(file + 32, 1, records, f) != records ||
            fclose(f) != 0)
            abort();
        free(file);
    }
    atexit(cleanup);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > ((size_t)1 << 20))
        return 0;
    uint8_t mode = data[0];
    data++;
    size--;
    if (mode & 2) {
        put_file(data, size);
    } else {
        strbuf body;
        sb_init(&body);
        sb_add(&body, (const char *)data, size);
        uint64_t n = blob_len;
        sb_add(&body, (const char *)&n, 8);
        sb_add(&body, (const char *)blob, blob_len);
        size_t file_len;
        unsigned char *file = pcache_seal(body.s, body.len, &file_len);
        sb_finish(&body);
        put_file(file, file_len);
        free(file);
    }
    (void)use_cache();
    /* what the run above saved, it reads back whole */
    FUZZ_ASSERT(use_cache() == NPAT);
    return 0;
}

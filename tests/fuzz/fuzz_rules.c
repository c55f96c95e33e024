/*
 * fuzz_rules: the rules loader.  The input is written as a rules file (and, after a line
 * "----vocab----", a vocabulary file fz.vocab) into a private directory on tmpfs beside a
 * copy of the project's vocabularies (fixed for the run), then loaded.  Rules that load are run on a fixed text and
 * their example lines are checked, so compiled patterns, slots and limits get exercised too.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "fuzz.h"
#include "pipeline.h"
#include "rules.h"
#include "util.h"

static char dir[256];

/* the project's vocabularies, copied once: rules that refer to %month or %locality load */
static char **vocabs;
static size_t nvocabs;

static const char TEXT[] = "A protest will be held in Bolton on Saturday February 24 at 1pm, two days after "
                           "the vote on 21/02/2024. Feb. 3rd aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab. Mr. Smith "
                           "met the first of March, next week, 12:30 to 3 p.m. Ün café — “quoted” ﬁ.";

static void cleanup(void)
{
    char p[400];
    for (size_t i = 0; i < nvocabs; i++) {
        snprintf(p, sizeof p, "%s/vocab/%s", dir, vocabs[i]);
        unlink(p);
        free(vocabs[i]);
    }
    free(vocabs);
    snprintf(p, sizeof p, "%s/vocab/fz.vocab", dir);
    unlink(p);
    snprintf(p, sizeof p, "%s/fz.rules", dir);
    unlink(p);
    snprintf(p, sizeof p, "%s/vocab", dir);
    rmdir(p);
    rmdir(dir);
}

static void put(const char *path, const char *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    if (n && fwrite(data, 1, n, f) != n)
        abort();
    fclose(f);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    /* tmpfs keeps a file write per input cheap; fall back to /tmp where /dev/shm is missing */
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(dir, sizeof dir, "%s/eventcal-fuzz-rules-%ld", base, (long)getpid());
    char sub[300];
    snprintf(sub, sizeof sub, "%s/vocab", dir);
    mkdir(dir, 0700);
    mkdir(sub, 0700);
    DIR *d = opendir(EVENTCAL_SOURCE_RULES_DIR "/vocab");
    if (!d)
        abort();
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (e->d_name[0] == '.' || n < 7 || strcmp(e->d_name + n - 6, ".vocab") != 0 ||
            strcmp(e->d_name, "fz.vocab") == 0)
            continue;
        char *src = xasprintf("%s/vocab/%s", EVENTCAL_SOURCE_RULES_DIR, e->d_name);
        char *dst = xasprintf("%s/%s", sub, e->d_name);
        size_t len;
        char *data = read_file_all(src, 1 << 20, &len, NULL);
        if (!data)
            abort();
        put(dst, data, len);
        free(data);
        free(src);
        free(dst);
        vocabs = xrealloc(vocabs, (nvocabs + 1) * sizeof *vocabs);
        vocabs[nvocabs++] = xstrdup(e->d_name);
    }
    closedir(d);
    atexit(cleanup);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 16384) /* patterns compile in more than linear time: keep inputs small */
        return 0;
    const char *in = (const char *)data;
    static const char SEP[] = "----vocab----\n";
    const char *sep = NULL;
    for (size_t i = 0; i + sizeof SEP - 1 <= size; i++)
        if (memcmp(in + i, SEP, sizeof SEP - 1) == 0) {
            sep = in + i;
            break;
        }
    char rpath[300], vpath[300];
    snprintf(rpath, sizeof rpath, "%s/fz.rules", dir);
    snprintf(vpath, sizeof vpath, "%s/vocab/fz.vocab", dir);
    put(rpath, in, sep ? (size_t)(sep - in) : size);
    if (sep)
        put(vpath, sep + sizeof SEP - 1, size - (size_t)(sep - in) - (sizeof SEP - 1));
    else
        unlink(vpath);

    ec_error err;
    ec_error_clear(&err);
    rules *r = rules_load(dir, &err);
    if (!r) {
        FUZZ_ASSERT(err.code == EC_ERR_RULES);
        return 0;
    }
    rule_scanner *s = rule_scanner_new(r);
    size_t len = sizeof TEXT - 1;
    for (int k = 0; k < RK__COUNT; k++) {
        size_t from = 0;
        rule_match m;
        while (from <= len && rule_scan_next(s, (rule_kind)k, TEXT, len, from, &m)) {
            FUZZ_ASSERT(m.start >= from && m.start < m.end && m.end <= len);
            FUZZ_ASSERT(m.nslots >= 0 && m.nslots <= RULE_MAX_SLOTS);
            for (int i = 0; i < m.nslots; i++)
                FUZZ_ASSERT(m.slots[i].start <= m.slots[i].end && m.slots[i].end <= len);
            from = m.end;
        }
    }
    rule_scanner_free(s);
    strbuf rep;
    sb_init(&rep);
    size_t total = 0;
    (void)pipeline_check_examples(r, &rep, &total);
    sb_finish(&rep);
    rules_free(r);
    return 0;
}

#include "pcache.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/*
 * The file, in the byte order of the machine that wrote it (a marker tells):
 *   "eventcal pcache\n" (16 bytes), u32 format, u32 0x01020304, u64 checksum of the rest
 *   u32 nfirst, then nfirst of: u64 hash, u32 length, u32 options, u8 known, u8 first[32]
 *   u32 ncode,  then ncode of:  u64 hash, u32 length, u32 options
 *   u64 size, then the codes as one pcre2_serialize_encode() blob, in the order above
 * An entry's hash is sum64() of its pattern with its options as the seed; the length is
 * compared too.
 */
#define MAGIC "eventcal pcache\n"
/* FORMAT: bump it when what an entry holds changes meaning (how first bytes are worked out) */
enum { FORMAT = 1, MAX_FILE = 64 << 20, FIRST_REC = 8 + 4 + 4 + 1 + 32, CODE_REC = 8 + 4 + 4 };

/* A cache file is one rules directory's, and directories come and go (a checkout in a CI job's
   scratch space, a release unpacked and removed): files of any other directory not used for
   PRUNE_AGE seconds are removed when a cache is written, and reading one marks it used when
   its stamp is older than KEEP_FRESH. */
enum { KEEP_FRESH = 24 * 3600, PRUNE_AGE = 30 * 24 * 3600 };

typedef struct pc_key {
    uint64_t hash;
    uint32_t len, options;
} pc_key;

typedef struct pc_first {
    pc_key key;
    bool known;
    uint8_t first[32];
} pc_first;

typedef struct pc_code {
    pc_key key;
    pcre2_code *code; /* decoded from the file; NULL once handed out */
} pc_code;

struct pcache {
    char *path; /* NULL: disabled */
    pc_first *old_first;
    size_t nold_first;
    pc_code *old_code;
    size_t nold_code;
    /* what this run used, for the next file */
    pc_first *first;
    size_t nfirst, cap_first;
    struct {
        pc_key key;
        const pcre2_code *code;
        const char *pat; /* the caller's, alive until pcache_save() */
        bool from_file;
    } *code;
    size_t ncode, cap_code;
    size_t hits, asked;
};

/* A hash eight bytes at a step: the keys and the checksum cover a few hundred kilobytes, which
   util's hash64(), a byte at a step, made a tenth of a cached start-up.  Against accidents
   (a file cut short, a rule edited), not against someone who can write the file. */
static uint64_t sum64(const void *data, size_t n, uint64_t seed)
{
    const unsigned char *p = data;
    uint64_t h = seed ^ (n * 0x9E3779B97F4A7C15ULL);
    for (; n >= 8; p += 8, n -= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
        h ^= h >> 32;
    }
    uint64_t w = 0;
    memcpy(&w, p, n);
    h = (h ^ w) * 0xC4CEB9FE1A85EC53ULL;
    return h ^ (h >> 29);
}

static pc_key key_of(const char *pat, uint32_t options)
{
    size_t n = strlen(pat);
    return (pc_key){sum64(pat, n, options), n > UINT32_MAX ? UINT32_MAX : (uint32_t)n, options};
}

static bool key_eq(pc_key a, pc_key b)
{
    return a.hash == b.hash && a.len == b.len && a.options == b.options;
}

/* A reader over the file that refuses to run past its end. */
typedef struct rd {
    const unsigned char *p, *end;
    bool ok;
} rd;

static void get(rd *r, void *out, size_t n)
{
    if (!r->ok || (size_t)(r->end - r->p) < n) {
        r->ok = false;
        memset(out, 0, n);
        return;
    }
    memcpy(out, r->p, n);
    r->p += n;
}

static uint32_t get32(rd *r)
{
    uint32_t v;
    get(r, &v, 4);
    return v;
}

static uint64_t get64(rd *r)
{
    uint64_t v;
    get(r, &v, 8);
    return v;
}

static pc_key get_key(rd *r)
{
    pc_key k;
    k.hash = get64(r);
    k.len = get32(r);
    k.options = get32(r);
    return k;
}

/* Reads the file's entries into c; on anything amiss c keeps none of them. */
static void load(pcache *c, const unsigned char *data, size_t len)
{
    rd r = {data, data + len, true};
    char magic[16];
    get(&r, magic, sizeof magic);
    uint32_t format = get32(&r), order = get32(&r);
    uint64_t sum = get64(&r);
    if (!r.ok || memcmp(magic, MAGIC, 16) != 0 || format != FORMAT || order != 0x01020304 ||
        sum != sum64(r.p, (size_t)(r.end - r.p), FORMAT))
        return;
    uint32_t nf = get32(&r);
    if (!r.ok || (size_t)(r.end - r.p) / FIRST_REC < nf)
        return;
    pc_first *f = calloc(nf ? nf : 1, sizeof *f);
    if (!f)
        return;
    for (uint32_t i = 0; i < nf; i++) {
        f[i].key = get_key(&r);
        uint8_t known;
        get(&r, &known, 1);
        f[i].known = known != 0;
        get(&r, f[i].first, 32);
    }
    uint32_t nc = get32(&r);
    if (!r.ok || (size_t)(r.end - r.p) / CODE_REC < nc || nc > INT32_MAX) {
        free(f);
        return;
    }
    pc_code *k = calloc(nc ? nc : 1, sizeof *k);
    pcre2_code **codes = calloc(nc ? nc : 1, sizeof *codes);
    for (uint32_t i = 0; k && codes && i < nc; i++)
        k[i].key = get_key(&r);
    uint64_t size = get64(&r);
    /* the blob runs to the end; pcre2 reads it without being told its size, which is why
       the checksum above must hold first */
    bool decoded = k && codes && r.ok && size == (uint64_t)(r.end - r.p) &&
                   (nc == 0 || (pcre2_serialize_get_number_of_codes(r.p) == (int32_t)nc &&
                                pcre2_serialize_decode(codes, (int32_t)nc, r.p, NULL) == (int32_t)nc));
    if (!decoded) {
        free(f);
        free(k);
        free(codes);
        return;
    }
    for (uint32_t i = 0; i < nc; i++)
        k[i].code = codes[i];
    free(codes);
    c->old_first = f;
    c->nold_first = nf;
    c->old_code = k;
    c->nold_code = nc;
}

/*
 * The file at path (caller frees), or NULL: missing, too large, or one that someone else could
 * have written.  pcre2 does not check the code it decodes, and the checksum guards against
 * accidents only: like ssh with its keys, a file not the user's own, or that others may
 * write, is not read (EVENTCAL_CACHE may name any directory).
 */
static char *read_own_file(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat st;
    char *data = NULL;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
        !(st.st_mode & (S_IWGRP | S_IWOTH)) && st.st_size > 0 && st.st_size <= MAX_FILE) {
        size_t n = (size_t)st.st_size, got = 0;
        /* a file in use is marked so, at most once a day, for pcache_save()'s pruning */
        if (time(NULL) - st.st_mtime > KEEP_FRESH)
            (void)futimens(fd, NULL);
        data = xmalloc(n);
        while (got < n) {
            ssize_t r = read(fd, data + got, n - got);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0)
                break;
            got += (size_t)r;
        }
        if (got != n) {
            free(data);
            data = NULL;
        }
        *len = got;
    }
    close(fd);
    return data;
}

pcache *pcache_open(const char *cache_dir, const char *rules_dir)
{
    pcache *c = xcalloc(1, sizeof *c);
    if (!cache_dir || !*cache_dir)
        return c;
    /* one file per rules directory, named by where it is */
    char *real = realpath(rules_dir, NULL);
    const char *name = real ? real : rules_dir;
    c->path = xasprintf("%s/rules-%016llx.pcache", cache_dir,
                        (unsigned long long)hash64(name, strlen(name), (uint64_t)PCRE2_MAJOR << 16 | PCRE2_MINOR));
    free(real);
    size_t len;
    char *data = read_own_file(c->path, &len);
    if (data)
        load(c, (const unsigned char *)data, len);
    free(data);
    return c;
}

void pcache_free(pcache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nold_code; i++)
        pcre2_code_free(c->old_code[i].code);
    free(c->old_code);
    free(c->old_first);
    free(c->first);
    free(c->code);
    free(c->path);
    free(c);
}

bool pcache_first(pcache *c, const char *pat, uint32_t options, bool *known, uint8_t first[32])
{
    c->asked++;
    if (!c->nold_first)
        return false;
    pc_key k = key_of(pat, options);
    /* a file's entries come in the order the loader asks for them: look there first */
    size_t n = c->nold_first, at = c->nfirst < n ? c->nfirst : 0;
    for (size_t j = 0; j < n; j++) {
        const pc_first *f = &c->old_first[(at + j) % n];
        if (key_eq(f->key, k)) {
            *known = f->known;
            memcpy(first, f->first, 32);
            c->hits++;
            pcache_put_first(c, pat, options, f->known, f->first);
            return true;
        }
    }
    return false;
}

void pcache_put_first(pcache *c, const char *pat, uint32_t options, bool known, const uint8_t first[32])
{
    if (!c->path)
        return;
    if (c->nfirst == c->cap_first) {
        c->cap_first = c->cap_first ? c->cap_first * 2 : 256;
        c->first = xrealloc(c->first, c->cap_first * sizeof *c->first);
    }
    pc_first *f = &c->first[c->nfirst++];
    f->key = key_of(pat, options);
    f->known = known;
    memcpy(f->first, first, 32);
}

pcre2_code *pcache_code(pcache *c, const char *pat, uint32_t options)
{
    c->asked++;
    if (!c->nold_code)
        return NULL;
    pc_key k = key_of(pat, options);
    size_t n = c->nold_code, at = c->ncode < n ? c->ncode : 0;
    for (size_t j = 0; j < n; j++) {
        pc_code *e = &c->old_code[(at + j) % n];
        if (e->code && key_eq(e->key, k)) {
            pcre2_code *code = e->code;
            e->code = NULL;
            c->hits++;
            pcache_put_code(c, pat, options, code);
            c->code[c->ncode - 1].from_file = true;
            return code;
        }
    }
    return NULL;
}

void pcache_put_code(pcache *c, const char *pat, uint32_t options, const pcre2_code *code)
{
    if (!c->path || !code)
        return;
    if (c->ncode == c->cap_code) {
        c->cap_code = c->cap_code ? c->cap_code * 2 : 256;
        c->code = xrealloc(c->code, c->cap_code * sizeof *c->code);
    }
    c->code[c->ncode].key = key_of(pat, options);
    c->code[c->ncode].code = code;
    c->code[c->ncode].pat = pat;
    c->code[c->ncode].from_file = false;
    c->ncode++;
}

static void put(strbuf *b, const void *p, size_t n)
{
    sb_add(b, p, n);
}

static void put_key(strbuf *b, pc_key k)
{
    put(b, &k.hash, 8);
    put(b, &k.len, 4);
    put(b, &k.options, 4);
}

/* mkdir -p, private: the cache says which rules a user runs */
static bool make_dirs(const char *dir)
{
    char *d = xstrdup(dir);
    bool ok = true;
    for (char *s = d + 1; ok; s++) {
        bool end = *s == '\0';
        if (*s == '/' || end) {
            *s = '\0';
            ok = mkdir(d, 0700) == 0 || errno == EEXIST;
            if (end)
                break;
            *s = '/';
        }
    }
    free(d);
    return ok;
}

unsigned char *pcache_seal(const void *body, size_t len, size_t *file_len)
{
    strbuf file;
    sb_init(&file);
    put(&file, MAGIC, 16);
    uint32_t format = FORMAT, order = 0x01020304;
    uint64_t sum = sum64(body, len, FORMAT);
    put(&file, &format, 4);
    put(&file, &order, 4);
    put(&file, &sum, 8);
    put(&file, body, len);
    *file_len = file.len;
    return (unsigned char *)file.s;
}

/* Removes from dir the cache files, and temporary files left by writes cut short (a crash,
   a full disk), that the user owns and nobody has used for PRUNE_AGE; `self` (a name in dir)
   is kept whatever its age.  Failures are passed over: this is housekeeping. */
static void prune(const char *dir, const char *self)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    time_t now = time(NULL);
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        const char *name = de->d_name;
        /* "rules-<hash>.pcache", or write_file_atomic()'s ".rules-<hash>.pcache.XXXXXX" */
        const char *base = name[0] == '.' ? name + 1 : name;
        if (strncmp(base, "rules-", 6) != 0 || !strstr(base, ".pcache") || strcmp(name, self) == 0)
            continue;
        struct stat st;
        if (fstatat(dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
            st.st_uid == geteuid() && now - st.st_mtime > PRUNE_AGE)
            (void)unlinkat(dirfd(d), name, 0);
    }
    closedir(d);
}

bool pcache_save(pcache *c, ec_error *err)
{
    if (!c || !c->path || c->hits == c->asked)
        return true;
    if (c->ncode > INT32_MAX)
        return ec_fail(err, EC_ERR_IO, c->path, 0, 0, "too many patterns to cache");
    /* Codes serialised together must share their character tables (else
       PCRE2_ERROR_MIXEDTABLES): those decoded from the file have the file's copy, those
       compiled in this run pcre2's built-in ones.  When this run has both (its rules changed
       since the file was written), the decoded ones are compiled again for the file: once,
       after a change. */
    const pcre2_code **codes = xcalloc(c->ncode ? c->ncode : 1, sizeof *codes);
    pcre2_code **again = xcalloc(c->ncode ? c->ncode : 1, sizeof *again);
    bool mixed = false;
    for (size_t i = 0; i < c->ncode; i++)
        mixed = mixed || c->code[i].from_file;
    int32_t rc = 0;
    for (size_t i = 0; i < c->ncode; i++) {
        codes[i] = c->code[i].code;
        if (mixed && c->code[i].from_file) {
            int ec;
            PCRE2_SIZE eo;
            again[i] = pcre2_compile((PCRE2_SPTR)c->code[i].pat, PCRE2_ZERO_TERMINATED, c->code[i].key.options, &ec,
                                     &eo, NULL);
            if (!again[i])
                rc = ec < 0 ? ec : -1;
            codes[i] = again[i];
        }
    }
    uint8_t *blob = NULL;
    PCRE2_SIZE blob_len = 0;
    if (rc == 0 && c->ncode)
        rc = pcre2_serialize_encode(codes, (int32_t)c->ncode, &blob, &blob_len, NULL);
    for (size_t i = 0; i < c->ncode; i++)
        pcre2_code_free(again[i]);
    free(again);
    free(codes);
    if (rc < 0)
        return ec_fail(err, EC_ERR_IO, c->path, 0, 0, "cannot serialise the compiled patterns (pcre2 error %d)", rc);
    strbuf body;
    sb_init(&body);
    uint32_t n = (uint32_t)c->nfirst;
    put(&body, &n, 4);
    for (size_t i = 0; i < c->nfirst; i++) {
        put_key(&body, c->first[i].key);
        uint8_t known = c->first[i].known;
        put(&body, &known, 1);
        put(&body, c->first[i].first, 32);
    }
    n = (uint32_t)c->ncode;
    put(&body, &n, 4);
    for (size_t i = 0; i < c->ncode; i++)
        put_key(&body, c->code[i].key);
    uint64_t size = blob_len;
    put(&body, &size, 8);
    if (blob_len)
        put(&body, blob, blob_len);
    pcre2_serialize_free(blob);
    size_t file_len;
    unsigned char *file = pcache_seal(body.s, body.len, &file_len);
    sb_finish(&body);
    char *dir = xstrdup(c->path);
    *strrchr(dir, '/') = '\0';
    /* 0600 whatever the umask or the file replaced: read_own_file() passes over a file
       others may write */
    bool ok = make_dirs(dir) && write_file_atomic(c->path, (const char *)file, file_len, err) &&
              chmod(c->path, 0600) == 0;
    if (!ok && err && !err->code)
        ec_fail(err, EC_ERR_IO, dir, 0, 0, "cannot create the cache directory: %s", strerror(errno));
    if (ok)
        prune(dir, strrchr(c->path, '/') + 1);
    free(dir);
    free(file);
    return ok;
}

void pcache_counts(const pcache *c, size_t *hits, size_t *asked)
{
    *hits = c ? c->hits : 0;
    *asked = c ? c->asked : 0;
}

/* Unit tests for util: bounded copies, UTF-8 checks, case-insensitive compares, the arena,
   the sorted-array search every stage uses, the string set and directory listings. */
#include <stdbool.h>
#include <stddef.h>
#include <dirent.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test.h"
#include "util.h"

static void test_str_copy(void)
{
    char small[4];
    CHECK(str_copy(small, sizeof small, "ab") == 2, "a short string is copied whole");
    CHECK_STR(small, "ab", "short copy");
    CHECK(str_copy(small, sizeof small, "morning") == 7, "the source's length is returned when cut");
    CHECK_STR(small, "mor", "a long string is cut to fit and terminated");
    CHECK(str_copy(small, sizeof small, "") == 0, "empty source");
    CHECK_STR(small, "", "empty copy");
    char one[1];
    str_copy(one, sizeof one, "x");
    CHECK(one[0] == '\0', "a one-byte field holds only the terminator");
}

static void test_utf8(void)
{
    CHECK(utf8_valid_prefix("caf\xc3\xa9", 5) == 5, "a two-byte character is valid");
    CHECK(utf8_valid_prefix("ab\xc0\xafz", 5) == 2, "an overlong form stops the valid prefix");
    CHECK(utf8_valid_prefix("a\xed\xa0\x80", 4) == 1, "a surrogate is refused");
    size_t n = 0, bad = 0;
    char *s = utf8_sanitize("a\xffz\x01", 4, &n, &bad);
    CHECK_STR(s, "a\xef\xbf\xbdz ", "an invalid byte becomes U+FFFD and a control a space");
    CHECK(n == 6 && bad == 1, "the new length and the count of replaced bytes");
    free(s);
}

/* utf8_sanitize reads eight bytes at a time where it can: texts of random tokens, each with a
   known result, put every kind of byte at every place in a word of eight. */
static void test_utf8_sanitize_long(void)
{
    static const struct {
        const char *in, *out;
        size_t n;
        int bad;
    } tok[] = {
        {"a", "a", 1, 0},     {" ", " ", 1, 0},       {"\t", "\t", 1, 0},           {"\n", "\n", 1, 0},
        {"\x01", " ", 1, 0}, {"\x7f", " ", 1, 0},    {"\xc3\xa9", "\xc3\xa9", 2, 0}, {"\xff", "\xef\xbf\xbd", 1, 1},
        {"\0", " ", 1, 1},   {"\x80", "\xef\xbf\xbd", 1, 1},
    };
    unsigned seed = 12345;
    bool all_ok = true;
    for (int round = 0; round < 2000 && all_ok; round++) {
        char in[200], want[400];
        size_t n = 0, wn = 0, wbad = 0, ntok = 1 + (size_t)(round % 60);
        for (size_t t = 0; t < ntok; t++) {
            seed = seed * 1103515245u + 12345u;
            /* mostly letters, as text is */
            size_t k = (seed >> 16) % 20;
            k = k < 10 ? 0 : k - 10;
            memcpy(in + n, tok[k].in, tok[k].n);
            n += tok[k].n;
            size_t ol = strlen(tok[k].out);
            memcpy(want + wn, tok[k].out, ol);
            wn += ol;
            wbad += (size_t)tok[k].bad;
        }
        size_t gn = 0, gbad = 0;
        char *got = utf8_sanitize(in, n, &gn, &gbad);
        all_ok = gn == wn && gbad == wbad && memcmp(got, want, wn) == 0;
        free(got);
    }
    CHECK(all_ok, "long texts are cleaned byte for byte as short ones");
}

static void test_case(void)
{
    CHECK(ascii_strcaseeq("Saturday", "SATURDAY"), "case is ignored");
    CHECK(!ascii_strcaseeq("Sat", "Saturday"), "a prefix is not equal");
    CHECK(ascii_strncaseeq("Queens Park", "queens", 6), "the first n bytes");
    const char *hay = "held at Queens Park";
    CHECK(ascii_strcasestr(hay, "QUEENS") == hay + 8, "found where it starts");
    CHECK(ascii_strcasestr(hay, "bolton") == NULL, "not found");
    const char *gap = "Saturday to Monday, then until next week";
    CHECK(ascii_one_short_word(gap, 8, 12, 2), "one short word between two days");
    CHECK(ascii_one_short_word(gap, 8, 9, 0), "white space alone");
    CHECK(!ascii_one_short_word(gap, 8, 12, 1), "a word longer than allowed");
    CHECK(!ascii_one_short_word(gap, 19, 31, 5), "two words");
    CHECK(!ascii_one_short_word(gap, 18, 20, 5), "punctuation is no word");
    size_t b, e;
    ascii_word_after(gap, 8, strlen(gap), &b, &e);
    CHECK(b == 9 && e == 11, "the word after, past the space");
    ascii_word_after(gap, 18, strlen(gap), &b, &e);
    CHECK(b == 18 && e == 18, "punctuation: no word after");
    ascii_word_after(gap, 8, 10, &b, &e);
    CHECK(b == 9 && e == 10, "cut at hi");
    ascii_word_before(gap, 0, 12, &b, &e);
    CHECK(b == 9 && e == 11, "the word before, past the space");
}

typedef struct item {
    int tag;
    size_t pos;
} item;

static void test_lower_bound(void)
{
    item v[] = {{0, 3}, {1, 7}, {2, 7}, {3, 12}};
    size_t n = sizeof v / sizeof *v, off = offsetof(item, pos);
    CHECK(lower_bound_by(v, n, sizeof *v, off, 0) == 0, "before all");
    CHECK(lower_bound_by(v, n, sizeof *v, off, 7) == 1, "the first of equal keys");
    CHECK(lower_bound_by(v, n, sizeof *v, off, 8) == 3, "between keys");
    CHECK(lower_bound_by(v, n, sizeof *v, off, 13) == n, "after all");
    CHECK(lower_bound_by(v, 0, sizeof *v, off, 5) == 0, "empty array");
}

static void test_arena(void)
{
    arena *a = arena_new(64);
    char *p = arena_alloc(a, 10);
    CHECK(((size_t)p & 15) == 0 && p[0] == 0 && p[9] == 0, "aligned and zeroed");
    char *big = arena_alloc(a, 1000); /* larger than a block */
    CHECK(big && big[999] == 0, "a request larger than the block size");
    CHECK_STR(arena_printf(a, "%d-%02d", 2024, 2), "2024-02", "printf into the arena");
    CHECK_STR(arena_strndup(a, "Bolton town", 6), "Bolton", "strndup stops at n");
    arena_free(a);
    /* arena_grow copies the items, on memory a reset left dirty (the room it adds is not
       cleared: its callers write every element they add) */
    a = arena_new(4096);
    memset(arena_alloc(a, 4000), 0xAB, 4000);
    arena_reset(a);
    int *v = arena_alloc(a, 0);
    size_t cap = 0, n = 0;
    for (int i = 0; i < 40; i++) {
        v = arena_grow(a, v, n, &cap, sizeof *v);
        v[n++] = i + 1;
    }
    bool kept = cap >= 40;
    for (size_t i = 0; i < n; i++)
        kept = kept && v[i] == (int)i + 1;
    CHECK(kept, "grown arrays keep their items");
    for (size_t i = n; i < cap; i++)
        v[i] = -1; /* the room is the array's to write (ASan and valgrind would say otherwise) */
    /* nothing taken after it: the array grows where it is, in its block and then (past the
       block size) alone in a block of its own, with its items kept */
    arena_reset(a);
    (void)arena_alloc(a, 16); /* the array is not at a block's start */
    size_t *w = arena_alloc(a, 16 * sizeof *w), *first = w;
    size_t wcap = 16, wn = 0;
    bool stayed = true, kept_all = true;
    for (size_t i = 0; i < 100000; i++) {
        size_t *before = w;
        w = arena_grow(a, w, wn, &wcap, sizeof *w);
        if (wcap * sizeof *w <= 2048)
            stayed = stayed && w == before; /* in the first block */
        w[wn++] = i * 7;
    }
    for (size_t i = 0; i < wn; i++)
        kept_all = kept_all && w[i] == i * 7;
    CHECK(stayed && first != NULL, "an array at the top of its block grows in place");
    CHECK(kept_all && wcap >= 100000, "an array grown past the block size keeps its items");
    /* with something taken after it, it is copied, and the other allocation is untouched */
    int *u = arena_alloc(a, 16 * sizeof *u);
    size_t ucap = 16, un = 0;
    for (; un < 16; un++)
        u[un] = (int)un;
    char *after = arena_strndup(a, "kept", 4);
    int *u2 = arena_grow(a, u, un, &ucap, sizeof *u);
    bool copied = u2 != u && ucap == 32 && strcmp(after, "kept") == 0;
    for (size_t i = 0; i < 16; i++)
        copied = copied && u2[i] == (int)i;
    for (size_t i = 16; i < 32; i++)
        u2[i] = -1;
    copied = copied && strcmp(after, "kept") == 0; /* writing the room left the string alone */
    CHECK(copied, "an array with allocations after it is copied");
    arena_reset(a);
    CHECK(arena_alloc(a, 8) != NULL, "usable after a reset");
    arena_free(a);
    arena_free(NULL);
}

/* The string set: values kept for the first add, found again after the table grows, and
   strings that differ only after a shared prefix kept apart. */
static void test_strset(void)
{
    strset set = {0};
    CHECK(strset_find(&set, "a") == NULL, "an empty set finds nothing");
    enum { N = 5000 };
    static char keys[N][16];
    bool all_added = true;
    for (size_t i = 0; i < N; i++) {
        snprintf(keys[i], sizeof keys[i], "zone-%zu", i);
        bool added = false;
        size_t *v = strset_add(&set, keys[i], i, &added);
        all_added = all_added && added && *v == i;
    }
    CHECK(all_added, "each new string is added with its value");
    CHECK(set.n == N && 2 * set.n <= set.cap, "the table grows to stay at most half full");
    size_t wrong = 0;
    for (size_t i = 0; i < N; i++) {
        char probe[16];
        snprintf(probe, sizeof probe, "zone-%zu", i); /* another copy: found by content */
        const size_t *v = strset_find(&set, probe);
        wrong += !v || *v != i;
    }
    CHECK(wrong == 0, "every string is found with its value after the table grew");
    bool added = true;
    size_t *v = strset_add(&set, "zone-7", 99, &added);
    CHECK(!added && *v == 7, "adding a string again keeps the first value");
    *v = 70;
    CHECK(*strset_find(&set, "zone-7") == 70, "the value can be changed through the pointer");
    CHECK(strset_find(&set, "zone-") == NULL && strset_find(&set, "zone-50000") == NULL,
          "a prefix or an extension of a member is not a member");
    CHECK(strset_add(&set, "", 1, &added) && added && *strset_find(&set, "") == 1, "the empty string");
    strset_free(&set);
    CHECK(set.n == 0 && strset_find(&set, "zone-1") == NULL, "a freed set is empty and reusable");
    strset_add(&set, "again", 3, NULL);
    CHECK(*strset_find(&set, "again") == 3, "added after a free");
    strset_free(&set);
}

static void test_dir_names(void)
{
    char tmpl[] = "/tmp/eventcal-dirnames-XXXXXX";
    char *dir = mkdtemp(tmpl);
    CHECK(dir != NULL, "a temporary directory");
    if (!dir)
        return;
    static const char *const make[] = {"b.txt", "a.txt", ".hidden", "C.txt"};
    char path[256];
    for (size_t i = 0; i < sizeof make / sizeof *make; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, make[i]);
        FILE *f = fopen(path, "w");
        if (f)
            fclose(f);
    }
    size_t n = 0;
    char **names = dir_names(dir, &n);
    CHECK(names && n == 3, "three names: the hidden one and . and .. are left out");
    if (names && n == 3) {
        CHECK_STR(names[0], "C.txt", "sorted bytewise: capitals first");
        CHECK_STR(names[1], "a.txt", "then a");
        CHECK_STR(names[2], "b.txt", "then b");
    }
    str_list_free(names, n);
    for (size_t i = 0; i < sizeof make / sizeof *make; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, make[i]);
        remove(path);
    }
    names = dir_names(dir, &n);
    CHECK(names && n == 0, "an empty directory gives an empty list, not an error");
    str_list_free(names, n);
    rmdir(dir);
    CHECK(dir_names(dir, &n) == NULL, "a directory that is not there gives NULL");
}

static char *slurp(const char *path)
{
    ec_error err;
    ec_error_clear(&err);
    size_t n;
    return read_file_all(path, 1 << 20, &n, &err);
}

static void test_staged_files(void)
{
    char dir[] = "/tmp/eventcal-test-XXXXXX";
    CHECK(mkdtemp(dir) != NULL, "a scratch directory");
    char *a = xasprintf("%s/a.ics", dir), *b = xasprintf("%s/b.json", dir);
    ec_error err;
    ec_error_clear(&err);
    CHECK(write_file_atomic(a, "old a", 5, &err) && write_file_atomic(b, "old b", 5, &err), "two files written");
    /* staged and abandoned: both keep their old text, and no temporary file is left */
    staged_file *fa = file_stage(a, "new a", 5, &err), *fb = file_stage(b, "new b", 5, &err);
    CHECK(fa && fb, "two files staged");
    file_abort(fa);
    file_abort(fb);
    char *ta = slurp(a), *tb = slurp(b);
    CHECK(ta && tb && strcmp(ta, "old a") == 0 && strcmp(tb, "old b") == 0, "an abandoned stage changes nothing");
    free(ta);
    free(tb);
    DIR *d = opendir(dir);
    int entries = 0;
    for (struct dirent *de; d && (de = readdir(d));)
        entries += de->d_name[0] != '.' || (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0);
    if (d)
        closedir(d);
    CHECK(entries == 2, "and leaves no temporary file");
    /* committed: both replaced */
    fa = file_stage(a, "new a", 5, &err);
    fb = file_stage(b, "new b", 5, &err);
    CHECK(file_commit(fa, &err) && file_commit(fb, &err), "two staged files committed");
    ta = slurp(a);
    tb = slurp(b);
    CHECK(ta && tb && strcmp(ta, "new a") == 0 && strcmp(tb, "new b") == 0, "a commit replaces the file");
    free(ta);
    free(tb);
    /* what a fatal signal's handler does: the staged files go, the committed ones stay */
    fa = file_stage(a, "newer a", 7, &err);
    CHECK(fa != NULL, "a file staged again");
    file_stage_unlink_all();
    d = opendir(dir);
    entries = 0;
    for (struct dirent *de; d && (de = readdir(d));)
        entries += strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
    if (d)
        closedir(d);
    CHECK(entries == 2, "file_stage_unlink_all() removes what is staged");
    file_abort(fa); /* its temporary is gone already: nothing else to remove */
    ta = slurp(a);
    CHECK(ta && strcmp(ta, "new a") == 0, "and leaves the file in place");
    free(ta);
    /* a file in a directory that does not exist cannot be staged, and says where */
    char *c = xasprintf("%s/missing/c.ics", dir);
    ec_error_clear(&err);
    CHECK(file_stage(c, "x", 1, &err) == NULL && err.code == EC_ERR_IO, "staging where no file can be made fails");
    unlink(a);
    unlink(b);
    rmdir(dir);
    free(a);
    free(b);
    free(c);
}

int main(void)
{
    test_staged_files();
    test_str_copy();
    test_utf8();
    test_utf8_sanitize_long();
    test_case();
    test_lower_bound();
    test_arena();
    test_strset();
    test_dir_names();
    return test_report();
}

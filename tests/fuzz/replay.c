/*
 * replay: runs a fuzz target's LLVMFuzzerTestOneInput on files, without libFuzzer, so inputs
 * kept in regressions/ (and the seed corpus) are tests of the normal gcc build.
 *   replay_<target> FILE|DIR...    every regular file given or inside a given directory
 * A missing directory counts as empty (git does not keep empty ones).  Exit 0 when every
 * input ran; a crash is the failure signal, as under the fuzzer.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"
#include "util.h"

static size_t run_file(const char *path)
{
    ec_error err;
    ec_error_clear(&err);
    size_t len = 0;
    char *data = read_file_all(path, (size_t)64 << 20, &len, &err);
    if (!data) {
        fprintf(stderr, "replay: %s: %s\n", path, err.text);
        exit(1);
    }
    /* a copy of exactly len bytes, so reading past the input is caught as under the fuzzer */
    uint8_t *copy = xmalloc(len ? len : 1);
    memcpy(copy, data, len);
    free(data);
    LLVMFuzzerTestOneInput(copy, len);
    free(copy);
    return 1;
}

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static size_t run_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return 0;
    if (!S_ISDIR(st.st_mode))
        return run_file(path);
    DIR *d = opendir(path);
    if (!d)
        return 0;
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        names = xrealloc(names, (n + 1) * sizeof *names);
        names[n++] = xasprintf("%s/%s", path, e->d_name);
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp);
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        count += run_path(names[i]);
        free(names[i]);
    }
    free(names);
    return count;
}

int main(int argc, char **argv)
{
    LLVMFuzzerInitialize(&argc, &argv);
    size_t count = 0;
    for (int i = 1; i < argc; i++)
        count += run_path(argv[i]);
    printf("replay: %zu inputs\n", count);
    return 0;
}

/*
 * The libFuzzer entry points every fuzz_<stage>.c defines.  The same sources are linked into
 * libFuzzer executables (-Dfuzz=true, clang) and into replay.c, which feeds them files so that
 * every crash kept in regressions/ is a test of the normal build.
 *
 * A target must not leak across calls (the harness runs with leak detection) and must not
 * print: a crash, an abort or a sanitizer report is the only signal.
 */
#ifndef EVENTCAL_FUZZ_H
#define EVENTCAL_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "config.h"
#include "rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Called once before the first input; every target defines it (it may do nothing). */
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* An invariant that must hold whatever the input: abort() so the fuzzer keeps the input. */
#define FUZZ_ASSERT(cond)                                                                              \
    do {                                                                                               \
        if (!(cond)) {                                                                                 \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond);             \
            abort();                                                                                   \
        }                                                                                              \
    } while (0)

/* The project's own rules, for a target named `who`; aborts when they do not load. */
static inline rules *fuzz_project_rules(const char *who)
{
    ec_error err;
    ec_error_clear(&err);
    rules *r = rules_load(EVENTCAL_SOURCE_RULES_DIR, &err);
    if (!r) {
        char buf[1024];
        ec_error_format(&err, buf, sizeof buf);
        fprintf(stderr, "%s: %s\n", who, buf);
        abort();
    }
    return r;
}

#endif

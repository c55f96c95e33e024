/*
 * A minimal test harness: CHECK(cond, "sentence") records a failure with file:func:line and
 * goes on; TEST_MAIN prints "N passed, M failed" and sets the exit status.
 */
#ifndef EVENTCAL_TEST_H
#define EVENTCAL_TEST_H

#include <stdio.h>
#include <string.h>

static int test_passed, test_failed;

#define CHECK(cond, msg)                                                                          \
    do {                                                                                          \
        if (cond) {                                                                               \
            test_passed++;                                                                        \
        } else {                                                                                  \
            test_failed++;                                                                        \
            fprintf(stderr, "%s:%s:%d: %s\n", __FILE__, __func__, __LINE__, msg);                 \
        }                                                                                         \
    } while (0)

#define CHECK_STR(got, want, msg)                                                                 \
    do {                                                                                          \
        const char *g_ = (got), *w_ = (want);                                                     \
        bool ok_ = (g_ == NULL && w_ == NULL) || (g_ && w_ && strcmp(g_, w_) == 0);              \
        if (ok_) {                                                                                \
            test_passed++;                                                                        \
        } else {                                                                                  \
            test_failed++;                                                                        \
            fprintf(stderr, "%s:%s:%d: %s: got '%s', want '%s'\n", __FILE__, __func__, __LINE__, \
                    msg, g_ ? g_ : "(null)", w_ ? w_ : "(null)");                                 \
        }                                                                                         \
    } while (0)

static inline int test_report(void)
{
    printf("%d passed, %d failed\n", test_passed, test_failed);
    return test_failed ? 1 : 0;
}

#endif

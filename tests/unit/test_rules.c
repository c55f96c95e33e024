#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "rules.h"
#include "test.h"

/* Makes a throwaway rules directory with one vocabulary and one rule file. */
static char *make_dir(const char *rules_text)
{
    char tmpl[] = "/tmp/eventcal-rules-XXXXXX";
    char *dir = mkdtemp(tmpl);
    if (!dir)
        return NULL;
    char *res = xstrdup(dir);
    char *p = xasprintf("%s/vocab", res);
    mkdir(p, 0755);
    free(p);
    p = xasprintf("%s/vocab/month.vocab", res);
    FILE *f = fopen(p, "w");
    fputs("# months\njanuary = 1\nfeb = 2\nsept. = 9\n", f);
    fclose(f);
    free(p);
    p = xasprintf("%s/test.rules", res);
    f = fopen(p, "w");
    fputs(rules_text, f);
    fclose(f);
    free(p);
    return res;
}

static void remove_dir(char *dir)
{
    char *cmd = xasprintf("rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    free(cmd);
    free(dir);
}

/* Loads rules_text and checks the error message contains `want` (or loading succeeds if NULL). */
static void expect_load(const char *rules_text, const char *want, const char *what)
{
    char *dir = make_dir(rules_text);
    ec_error err;
    ec_error_clear(&err);
    rules *r = rules_load(dir, &err);
    char msg[1024];
    ec_error_format(&err, msg, sizeof msg);
    if (!want) {
        CHECK(r != NULL, what);
        if (!r)
            fprintf(stderr, "  error: %s\n", msg);
    } else {
        CHECK(r == NULL && err.code == EC_ERR_RULES && strstr(msg, want), what);
        if (!(r == NULL && strstr(msg, want)))
            fprintf(stderr, "  got: %s\n  want: ...%s...\n", r ? "(loaded)" : msg, want);
    }
    rules_free(r);
    remove_dir(dir);
}

static void test_loader_errors(void)
{
    expect_load("kind timex\nrule a\n  match (?<month>%month)\n  type DATE\n", NULL, "a valid file loads");
    expect_load("kind timex\nrule a\n  match (?<month>%mnth)\n  type DATE\n", "test.rules:3:18: unknown vocabulary 'mnth'",
                "an unknown vocabulary is reported with line and column");
    expect_load("kind timex\nrule a\n  match x\n  type DATE\nrule a\n  match y\n  type DATE\n", "duplicate rule name 'a'",
                "a duplicate rule name is refused");
    expect_load("kind timex\nrule a\n  match (?<monht>x)\n  type DATE\n", "unknown group name 'monht'",
                "an unknown group name is refused");
    expect_load("kind timex\nrule a\n  match (x\n  type DATE\n", "test.rules:3:", "a pcre2 syntax error names its line");
    expect_load("kind timex\nrule a\n  match x?\n  type DATE\n", "matches the empty string",
                "a rule that matches nothing is refused");
    expect_load("kind timex\nrule a\n  match (x)\\1\n  type DATE\n", "numbered back-reference",
                "numbered back-references are refused");
    expect_load("kind timex\nrule a\n  mtach x\n  type DATE\n", "unknown key 'mtach'", "an unknown key is refused");
    expect_load("rule a\n  match x\n  type DATE\n", "'rule' before 'kind'", "a rule needs a kind");
    expect_load("kind nonsense\n", "unknown kind 'nonsense'", "an unknown kind is refused");
    expect_load("kind timex\nrule a\n  type DATE\n", "has no 'match' line", "a rule without a pattern is refused");
    expect_load("kind timex\nrule a\n  match x\n  type DATE\n  example \"x\"\n", "needs \"TEXT\" => VALUE",
                "an example without an expectation is refused");
    expect_load("kind timex\nrule a\n  match x\n  type DATE\n  set bogus=1\n", "unknown slot 'bogus'",
                "an unknown slot in 'set' is refused");
    expect_load("kind timex\nrule a\n  match 50%%\n  type DATE\n", NULL, "%% is a literal percent sign");
}

static void test_missing_dir(void)
{
    ec_error err;
    ec_error_clear(&err);
    rules *r = rules_load("/nonexistent/eventcal/rules", &err);
    CHECK(r == NULL && err.code == EC_ERR_RULES, "a missing rules directory is an error");
}

static void test_matching(void)
{
    ec_error err;
    ec_error_clear(&err);
    rules *r = rules_load(EVENTCAL_SOURCE_RULES_DIR, &err);
    CHECK(r != NULL, "the project's rules load");
    if (!r) {
        fprintf(stderr, "  %s\n", err.text);
        return;
    }
    CHECK_STR(rules_vocab_lookup(r, "month", "Feb.", 4), "2", "'Feb.' finds 'feb'");
    CHECK_STR(rules_vocab_lookup(r, "month", "SEPTEMBER", 9), "9", "lookup ignores case");
    CHECK(rules_vocab_lookup(r, "month", "Febuary", 7) == NULL, "a misspelling is not a month");
    rule_scanner *s = rule_scanner_new(r);
    const char *text = "Another demonstration will be held on Saturday February 24, starting at 1pm.";
    rule_match m;
    CHECK(rule_scan_next(s, RK_TIMEX, text, strlen(text), 0, &m), "a date is found");
    CHECK(m.start == 38 && strncmp(text + m.end - 11, "February 24", 11) == 0,
          "the longest match at the leftmost place wins (weekday and date together)");
    const rule_slot *wd = rule_match_slot(&m, "weekday");
    CHECK(wd && wd->value && strcmp(wd->value, "6") == 0, "the weekday slot carries its vocabulary value");
    CHECK(rule_scan_next(s, RK_TIMEX, text, strlen(text), m.end, &m) && strncmp(text + m.start, "1pm", 3) == 0,
          "scanning goes on after the first match");
    CHECK(!rule_scan_next(s, RK_TIMEX, text, strlen(text), m.end, &m), "and ends");
    /* a long run of digits and punctuation is bounded, not slow */
    size_t n = 1 << 20;
    char *junk = xmalloc(n + 1);
    for (size_t i = 0; i < n; i++)
        junk[i] = "1/2.3-4 "[i % 8];
    junk[n] = '\0';
    size_t from = 0, count = 0;
    while (rule_scan_next(s, RK_TIMEX, junk, n, from, &m)) {
        from = m.end;
        count++;
    }
    CHECK(from <= n, "scanning a megabyte of digit soup terminates");
    free(junk);
    rule_scanner_free(s);
    rules_free(r);
}

int main(void)
{
    test_loader_errors();
    test_missing_dir();
    test_matching();
    return test_report();
}

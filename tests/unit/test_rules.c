#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

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
    p = xasprintf("%s/vocab/quoted.vocab", res);
    f = fopen(p, "w");
    fputs("few\n'twas\n", f);
    fclose(f);
    free(p);
    p = xasprintf("%s/vocab/quantity.vocab", res);
    f = fopen(p, "w");
    fputs("two\na few\n", f);
    fclose(f);
    free(p);
    p = xasprintf("%s/vocab/article.vocab", res); /* passed over in triggers, not in `starts` */
    f = fopen(p, "w");
    fputs("a\nan\nthe\n", f);
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
    expect_load("kind timex\ntriggers x\nrule a\n  match (?<month>%month)\n  type DATE\n", NULL, "a valid file loads");
    expect_load("kind timex\ntriggers x\nrule a\n  match (?<month>%mnth)\n  type DATE\n", "test.rules:4:18: unknown vocabulary 'mnth'",
                "an unknown vocabulary is reported with line and column");
    expect_load("kind timex\ntriggers x\nrule a\n  match x\n  type DATE\nrule a\n  match y\n  type DATE\n", "duplicate rule name 'a'",
                "a duplicate rule name is refused");
    expect_load("kind timex\ntriggers x\nrule a\n  match (?<monht>x)\n  type DATE\n", "unknown group name 'monht'",
                "an unknown group name is refused");
    expect_load("kind timex\ntriggers x\nrule a\n  match (x\n  type DATE\n", "test.rules:4:", "a pcre2 syntax error names its line");
    expect_load("kind timex\ntriggers x\nrule a\n  match x?\n  type DATE\n", "matches the empty string",
                "a rule that matches nothing is refused");
    expect_load("kind timex\ntriggers x\nrule a\n  match (x)\\1\n  type DATE\n", "numbered back-reference",
                "numbered back-references are refused");
#if PCRE2_MAJOR == 10 && PCRE2_MINOR < 43
    /* a match line is checked alone with its vocabularies cut to their first letters; what
       only the whole line gets wrong (a lookbehind of several lengths, before pcre2 10.43)
       must still be reported at that line, not at the rule's */
    expect_load("kind timex\ntriggers x\nrule a\n  match x\n  match (?<!%month )y\n  type DATE\n",
                "test.rules:5: a: lookbehind", "a line's error found only by the rule's compile points at the line");
#endif
    expect_load("kind timex\ntriggers x\nrule a\n  mtach x\n  type DATE\n", "unknown key 'mtach'", "an unknown key is refused");
    expect_load("rule a\n  match x\n  type DATE\n", "'rule' before 'kind'", "a rule needs a kind");
    expect_load("kind nonsense\n", "unknown kind 'nonsense'", "an unknown kind is refused");
    expect_load("kind timex\ntriggers x\nrule a\n  type DATE\n", "has no 'match' line", "a rule without a pattern is refused");
    expect_load("kind timex\ntriggers x\nrule a\n  match x\n  type DATE\n  example \"x\"\n", "needs \"TEXT\" => VALUE",
                "an example without an expectation is refused");
    expect_load("kind timex\ntriggers x\nrule a\n  match x\n  type DATE\n  set bogus=1\n", "unknown slot 'bogus'",
                "an unknown slot in 'set' is refused");
    expect_load("kind event\ntriggers x\nrule a\n  match x\n  type vigil\n  set minutes=0\n",
                "minutes must be a length in minutes", "a length of no minutes is refused");
    expect_load("kind event\ntriggers x\nrule a\n  match x\n  type vigil\n  set minutes=2h\n",
                "minutes must be a length in minutes", "a length that is not a number is refused");
    expect_load("kind cue\ntriggers x\nrule a\n  match x\n  type doors\n  set tense=present\n",
                "tense must be future or past", "a tense a cue cannot tell is refused");
    expect_load("kind timex\ntriggers x\nrule a\n  match 50%%\n  type DATE\n", NULL, "%% is a literal percent sign");
}

static void test_trigger_lines(void)
{
    expect_load("kind timex\nrule a\n  match x\n  type DATE\n", "test.rules:2: rule 'a' has no triggers",
                "a rule needs triggers, its own or its file's");
    expect_load("kind timex\nrule a\n  triggers x #number #number4 #number: #number2- %month demonstrat* @\n"
                "  lookback 8\n  match x\n  type DATE\n",
                NULL, "words, numbers (and their shapes), vocabularies, prefixes and symbols are triggers");
    expect_load("kind timex\ntriggers #number0\nrule a\n  match x\n  type DATE\n", "bad trigger '#number0'",
                "a number shape is a length 1-9 and/or one of : / . -");
    expect_load("kind timex\ntriggers foo bar-baz\nrule a\n  match x\n  type DATE\n",
                "test.rules:2:14: bad trigger 'bar-baz'", "a trigger is one word, and the error points at it");
    expect_load("kind timex\ntriggers %mnth\nrule a\n  match x\n  type DATE\n", "test.rules:2:10: unknown vocabulary 'mnth'",
                "an unknown vocabulary in triggers is refused");
    expect_load("kind timex\nrule a\n  triggers\n  match x\n  type DATE\n", "needs at least one word",
                "an empty triggers line is refused");
    expect_load("kind timex\nprefilter \\d+\nrule a\n  match x\n  type DATE\n", "'prefilter' is now 'triggers'",
                "the old prefilter line says what replaced it");
    expect_load("kind timex\ntriggers x\nlookback 129\nrule a\n  match x\n  type DATE\n", "lookback must be",
                "a lookback is bounded");
    expect_load("kind timex\ntriggers x\nkind cue\nrule a\n  match x\n  type DATE\n", "a second 'kind' line",
                "a file has one kind");
    expect_load("kind timex\nrule a\n  triggers x\n  needs y %month #number within 40\n  match x\n  type DATE\n", NULL,
                "a rule may need words near its trigger");
    expect_load("kind timex\nrule a\n  triggers x\n  needs y\n  match x\n  type DATE\n", "'needs' takes words and then 'within N'",
                "'needs' says how near");
    expect_load("kind timex\nrule a\n  triggers x\n  needs y within 999\n  match x\n  type DATE\n", "'within N'",
                "'within' is bounded");
    expect_load("kind timex\nrule a\n  triggers x\n  needs y-z within 9\n  match x\n  type DATE\n", "bad trigger 'y-z'",
                "needed words are checked like triggers");
}

/* Loads one rules file from text; NULL (and a failed check) when it does not load. */
static rules *load_text(const char *rules_text, char **dir)
{
    *dir = make_dir(rules_text);
    ec_error err;
    ec_error_clear(&err);
    rules *r = rules_load(*dir, &err);
    CHECK(r != NULL, "the test rules load");
    if (!r)
        fprintf(stderr, "  %s\n", err.text);
    return r;
}

/* Every match of kind timex in text, as "start-end:rule" lines, with or without triggers. */
static void all_matches(rule_scanner *s, const char *text, strbuf *out)
{
    rule_match m;
    size_t from = 0;
    sb_reset(out);
    while (rule_scan_next(s, RK_TIMEX, text, strlen(text), from, &m)) {
        sb_printf(out, "%zu-%zu:%s\n", m.start, m.end, rule_name(m.rule));
        from = m.end;
    }
    if (!out->s)
        sb_adds(out, "");
}

static void test_trigger_matching(void)
{
    char *dir;
    rules *r = load_text("kind timex\n"
                         "rule ahead\n  triggers night\n  lookback 10\n  match last\\s+night\n  type DATE\n"
                         "rule exact\n  triggers noon\n  lookback 0\n  match \\bnoon\\b\n  type TIME\n"
                         "rule prefix\n  triggers demonstrat*\n  lookback 0\n  match demonstrat\\w+\n  type DATE\n"
                         "rule digits\n  triggers #number\n  lookback 0\n  match \\d+h\n  type TIME\n"
                         "rule handle\n  triggers (\n  lookback 0\n  match \\(@\\w+\\)\n  type DATE\n"
                         "rule far\n  triggers zz\n  lookback 3\n  match abcdef\\s+zz\n  type DATE\n"
                         "rule long1\n  triggers aa\n  lookback 0\n  match \\baa\\b\n  type DATE\n"
                         "rule long2\n  triggers bb\n  lookback 8\n  match aa\\s+bb\n  type DATE\n"
                         "rule need\n  triggers qq\n  lookback 0\n  needs zz within 8\n  match qq\\s+\\w+\\s+zz\n  type DATE\n",
                         &dir);
    if (!r) {
        remove_dir(dir);
        return;
    }
    rule_scanner *s = rule_scanner_new(r);
    strbuf got, ref;
    sb_init(&got);
    sb_init(&ref);
    all_matches(s, "LAST  Night at NOON", &got);
    CHECK_STR(got.s, "0-11:ahead\n15-19:exact\n", "a match may start within its lookback before the trigger, in any case");
    all_matches(s, "Demonstrators came (@someone) at 14h", &got);
    CHECK_STR(got.s, "0-13:prefix\n19-29:handle\n33-36:digits\n", "prefixes, symbols and digit runs trigger");
    all_matches(s, "abcdef zz", &got);
    CHECK_STR(got.s, "", "a match that starts before the lookback is not tried");
    all_matches(s, "CDMA2000h and 14h", &got);
    CHECK_STR(got.s, "14-17:digits\n", "a rule without a lookback does not start inside a word either");
    all_matches(s, "xaa bb", &got);
    CHECK_STR(got.s, "", "rules start at words: 'aa' inside 'xaa' is not a match");
    all_matches(s, "aa bb", &got);
    CHECK_STR(got.s, "0-5:long2\n", "a later trigger's longer match at the same start wins");
    all_matches(s, "qq yy zz and qq yyyyyyyy zz", &got);
    CHECK_STR(got.s, "0-8:need\n", "a rule is tried only when a word it needs is near enough");
    /* the needed word in the next 64-byte block of the text than the trigger, and one beyond
       `within` that the blocks alone would let through */
    all_matches(s, "...........................................................qq y zz; qq yyyyyyyy zz", &got);
    CHECK_STR(got.s, "59-66:need\n", "a needed word in the next block of the text counts, one too far does not");
    const char *texts[] = {"aa bb and last night at noon", "demonstration (@x) 12h", "naa bb noonday", "qq y zz", ""};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        all_matches(s, texts[i], &got);
        rule_scanner_use_prefilter(s, false);
        all_matches(s, texts[i], &ref);
        rule_scanner_use_prefilter(s, true);
        CHECK_STR(got.s, ref.s, "the trigger index finds what trying every rule everywhere finds");
    }
    /* a search bounded at `until` finds the matches that start before it, with and without
       the index; one whose trigger lies past `until` but starts before it too ("long2") */
    const char *bounded = "LAST night at noon, aa bb and 14h";
    for (size_t until = 0; until <= strlen(bounded); until++) {
        for (int pre = 1; pre >= 0; pre--) {
            rule_scanner_use_prefilter(s, pre);
            all_matches(s, bounded, &ref);
            strbuf want;
            sb_init(&want);
            for (const char *l = ref.s; *l;) {
                const char *nl = strchr(l, '\n');
                if (strtoul(l, NULL, 10) < until)
                    sb_add(&want, l, (size_t)(nl - l) + 1);
                l = nl + 1;
            }
            sb_reset(&got);
            rule_match m;
            for (size_t from = 0; rule_scan_before(s, RK_TIMEX, bounded, strlen(bounded), from, until, &m); from = m.end)
                sb_printf(&got, "%zu-%zu:%s\n", m.start, m.end, rule_name(m.rule));
            CHECK_STR(got.s ? got.s : "", want.s ? want.s : "", "a bounded search finds the matches before its bound");
            sb_finish(&want);
        }
    }
    rule_scanner_use_prefilter(s, true);
    sb_finish(&got);
    sb_finish(&ref);
    rule_scanner_free(s);
    rules_free(r);
    remove_dir(dir);
}

static void test_next(void)
{
    expect_load("kind timex\nrule a\n  triggers x\n  next #Cap #CAPS #number %month pre* , the past a an\n  match x\n  type DATE\n",
                NULL, "'next' takes shapes, words, prefixes, vocabularies, digits and punctuation, and 'past' words");
    expect_load("kind timex\nrule a\n  triggers x\n  next #Capital\n  match x\n  type DATE\n",
                "test.rules:4:8: bad 'next' item", "an unknown shape is refused where it is written");
    expect_load("kind timex\nrule a\n  triggers x\n  next\n  match x\n  type DATE\n", "'next' needs at least one item",
                "an empty 'next' is refused");
    expect_load("kind timex\nrule a\n  triggers x\n  next y\n  next z\n  match x\n  type DATE\n", "a second 'next' line",
                "one 'next' line a rule");
    expect_load("kind timex\nrule a\n  triggers x\n  next y past %month\n  match x\n  type DATE\n",
                "'past' in rule 'a' takes whole words only", "'past' words are words");
    expect_load("kind timex\nrule a\n  triggers x #linestart\n  next y\n  match x\n  type DATE\n",
                "mix #linestart with words", "'next' after a line start or after a word, not both");

    char *dir;
    rules *r = load_text("kind timex\n"
                         "rule nx\n  triggers kk\n  lookback 0\n  next #Cap ( #number past the\n  match kk\\s+\\S+\n  type DATE\n"
                         "rule line\n  triggers #linestart\n  lookback 0\n  next #CAPS\n  match (?m)^\\w+\\s+-\n  type DATE\n"
                         "rule nd\n  triggers #number\n  lookback 0\n  next h hrs min*\n  match \\d+\\s*[a-z]+\n  type TIME\n",
                         &dir);
    if (!r) {
        remove_dir(dir);
        return;
    }
    rule_scanner *s = rule_scanner_new(r);
    strbuf got, ref;
    sb_init(&got);
    sb_init(&ref);
    all_matches(s, "kk Foo. kk the Foo. kk foo. kk the the Foo. kk (x. kk 7", &got);
    CHECK_STR(got.s, "0-7:nx\n8-14:nx\n44-50:nx\n51-55:nx\n",
              "a rule is tried where the word after its trigger, or after one 'past' word, is what it names");
    all_matches(s, "kk \xc3\xa9t\xc3\xa9 kk\xc2\xa0" "foo", &got);
    CHECK_STR(got.s, "0-8:nx\n9-16:nx\n", "a byte over 0x7f after the trigger lets the rule be tried");
    all_matches(s, "LEEDS - a\nLeeds - b\nUK - c\nO'NEILL - d", &got);
    CHECK_STR(got.s, "0-7:line\n20-24:line\n", "with #linestart the line's first word is the one checked");
    all_matches(s, "12 hrs, 3h, 4 minutes, 5 days, 6MINS", &got);
    CHECK_STR(got.s, "0-6:nd\n8-10:nd\n12-21:nd\n31-36:nd\n", "after digits, words and prefixes in any case");
    const char *texts[] = {"kk Foo kk the bar kk the Bar", "LEEDS - a\nLeeds - b", "1 h 2 day 3MIN", "kk", ""};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        rule_scanner_use_prefilter(s, false);
        all_matches(s, texts[i], &ref);
        rule_scanner_use_prefilter(s, true);
        all_matches(s, texts[i], &got);
        if (i < 3)
            CHECK(strcmp(got.s, ref.s) != 0, "'next' is a promise about the rule's matches: where it is broken, matches are lost");
    }
    sb_finish(&got);
    sb_finish(&ref);
    rule_scanner_free(s);
    rules_free(r);
    remove_dir(dir);
}

static void test_starts_loading(void)
{
    expect_load("kind timex\nrule a\n  triggers x\n  lookback 9\n  starts the #number %month pre* @\n  match x\n  type DATE\n",
                NULL, "'starts' takes what 'triggers' takes");
    expect_load("kind timex\nrule a\n  triggers x\n  lookback 0\n  starts y\n  match x\n  type DATE\n",
                "test.rules:5:10: 'starts' in rule 'a' with lookback 0", "a rule that starts at its trigger has no 'starts'");
    expect_load("kind timex\nlookback 0\nrule a\n  triggers x\n  starts y\n  match x\n  type DATE\n", "with lookback 0",
                "... nor with its file's lookback 0");
    expect_load("kind timex\nrule a\n  triggers x\n  lookback 9\n  starts y\n  starts z\n  match x\n  type DATE\n",
                "a second 'starts' line", "one 'starts' line a rule");
    expect_load("kind timex\nrule a\n  triggers x\n  lookback 9\n  starts y-z\n  match x\n  type DATE\n", "bad trigger 'y-z'",
                "starting words are checked like triggers");
    expect_load("kind timex\nrule a\n  triggers x\n  lookback 9\n  starts %quoted\n  match x\n  type DATE\n",
                "test.rules:5:10: 'starts' in rule 'a': %quoted has \"'twas\"",
                "a vocabulary phrase that begins where no word does is refused");
}

/* Every match of the one timex rule "cnt" in texts, with `starts` and without the index. */
static void test_starts_matching(void)
{
    char *dir;
    rules *r = load_text("kind timex\n"
                         "rule cnt\n  triggers days\n  lookback 24\n  starts about the #number %quantity\n"
                         "  match \\b(?:about\\s+)?(?:the\\s+)?(?:\\d+|%quantity)\\s+days\\b\n  type DURATION\n",
                         &dir);
    if (!r) {
        remove_dir(dir);
        return;
    }
    rule_scanner *s = rule_scanner_new(r);
    rule_scanner_count(s);
    strbuf got, ref;
    sb_init(&got);
    sb_init(&ref);
    all_matches(s, "we waited of it then 3 days", &got);
    CHECK_STR(got.s, "21-27:cnt\n", "a rule with 'starts' finds its match");
    rule_stat st = rule_scanner_stat(s, RK_TIMEX, 0);
    CHECK(st.attempts == 1, "... tried only at its starting words, not at the five words before them");
    if (st.attempts != 1)
        fprintf(stderr, "  %llu attempts\n", (unsigned long long)st.attempts);
    /* a starting word in the window that does not start this match; one in each case; a
       phrase's article; digits the index does not see (fullwidth), and a curly quote near */
    const char *texts[] = {"the end came two days later",   "ABOUT THE 12 days",          "a few days",
                           "after \xe2\x80\x9cthe 2 days\xe2\x80\x9d", "waited \xef\xbc\x93 days", "x3 days, 3x days, 4 days",
                           "about about 4 days",            "the the two days and a few days"};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        all_matches(s, texts[i], &got);
        rule_scanner_use_prefilter(s, false);
        all_matches(s, texts[i], &ref);
        rule_scanner_use_prefilter(s, true);
        CHECK_STR(got.s, ref.s, "with 'starts' a rule finds what trying it at every word start finds");
        CHECK(ref.s[0] != '\0', "... and each text has a match to find");
    }
    sb_finish(&got);
    sb_finish(&ref);
    rule_scanner_free(s);
    rules_free(r);
    remove_dir(dir);
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
    bool slow = true;
    char *sym = rules_symbol_triggers(r, &slow);
    CHECK(!slow, "the project's punctuation triggers are few enough to be compared at once (rules/README.md)");
    free(sym);
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
    /* --stats: nothing is counted until asked; then the rule that matched has its attempt */
    rule_scan_next(s, RK_TIMEX, text, strlen(text), 0, &m);
    const rule *date_rule = m.rule;
    size_t di = 0;
    while (di < rules_count(r, RK_TIMEX) && rules_get(r, RK_TIMEX, di) != date_rule)
        di++;
    CHECK(rule_scanner_stat(s, RK_TIMEX, di).attempts == 0 && rule_scanner_index_ns(s) == 0,
          "a scanner counts nothing by default");
    rule_scanner_count(s);
    rule_scanner_reset(s);
    rule_scan_next(s, RK_TIMEX, text, strlen(text), 0, &m);
    rule_stat st = rule_scanner_stat(s, RK_TIMEX, di);
    CHECK(m.rule == date_rule && st.attempts >= 1 && st.matches >= 1 && st.matches <= st.attempts,
          "counting, the rule that matched has attempts and a match");
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

/* Every match of every kind in `text`, as "kind rule start-end;" lines. */
static char *every_kind_matches(const rules *r, const char *text)
{
    rule_scanner *s = rule_scanner_new(r);
    strbuf out;
    sb_init(&out);
    size_t len = strlen(text);
    for (int k = 0; k < RK__COUNT; k++) {
        rule_match m;
        for (size_t from = 0; rule_scan_next(s, (rule_kind)k, text, len, from, &m); from = m.end)
            sb_printf(&out, "%d %s %zu-%zu;", k, rule_name(m.rule), m.start, m.end);
    }
    rule_scanner_free(s);
    return sb_steal(&out);
}

static void test_eager_jit(void)
{
    /* EVENTCAL_JIT_EAGER compiles every rule at load on several threads: the rules must
       match as they do when each is compiled on first use */
    const char *text = "Unions said a march will be held in Bolton on Saturday February 24, starting at 1pm on "
                       "Queens Park, two weeks after the vote last Tuesday.  Talks ended 3 days ago; a rally "
                       "is planned for 10:30 a.m. next month at the Town Hall in Leeds.";
    ec_error err;
    ec_error_clear(&err);
    rules *lazy = rules_load(EVENTCAL_SOURCE_RULES_DIR, &err);
    setenv("EVENTCAL_JIT_EAGER", "1", 1);
    rules *eager = rules_load(EVENTCAL_SOURCE_RULES_DIR, &err);
    unsetenv("EVENTCAL_JIT_EAGER");
    CHECK(lazy && eager, "the rules load with and without EVENTCAL_JIT_EAGER");
    if (lazy && eager) {
        char *a = every_kind_matches(lazy, text), *b = every_kind_matches(eager, text);
        CHECK(strstr(a, "date_") && strstr(a, " ev_") && strstr(a, "place_"), "the text has dates, events and places");
        CHECK_STR(b, a, "rules JIT-compiled at load match as those compiled on first use");
        free(a);
        free(b);
    }
    rules_free(lazy);
    rules_free(eager);
    /* the same asked for directly, as main.c does for -j: the variable is not needed */
    rules *asked = rules_load_jit(EVENTCAL_SOURCE_RULES_DIR, true, &err);
    lazy = rules_load_jit(EVENTCAL_SOURCE_RULES_DIR, false, &err);
    CHECK(asked && lazy, "rules_load_jit() loads eager and lazy");
    if (asked && lazy) {
        char *a = every_kind_matches(lazy, text), *b = every_kind_matches(asked, text);
        CHECK_STR(b, a, "rules_load_jit(eager) matches as lazy rules do");
        free(a);
        free(b);
    }
    /* a long text: the lazy rules are interpreted for their first attempts and JIT-compiled
       on the way (rule_jit), the eager ones JIT-compiled throughout */
    if (asked && lazy) {
        strbuf longer;
        sb_init(&longer);
        for (int i = 0; i < 60; i++)
            sb_printf(&longer, "%s ", text);
        char *a = every_kind_matches(lazy, longer.s), *b = every_kind_matches(asked, longer.s);
        CHECK(strlen(a) > 60 * 40, "the long text has many matches");
        CHECK_STR(b, a, "rules interpreted, then JIT-compiled on the way, match as rules JIT-compiled at load do");
        free(a);
        free(b);
        sb_finish(&longer);
    }
    rules_free(asked);
    rules_free(lazy);
    /* a load that fails after rules went to the JIT threads: they are stopped before the
       rules are freed (the sanitizer builds run this) */
    setenv("EVENTCAL_JIT_EAGER", "1", 1);
    expect_load("kind timex\ntriggers x\nrule a\n  match (?<month>%month)\n  type DATE\n"
                "rule b\n  match \\d+ days?\n  type DURATION\nrule c\n  match (x\n  type DATE\n",
                "test.rules:10:", "an error after rules were queued for the JIT is reported");
    expect_load("kind timex\ntriggers x\nrule a\n  match (?<month>%month)\n  type DATE\n", NULL,
                "a valid file loads with EVENTCAL_JIT_EAGER");
    unsetenv("EVENTCAL_JIT_EAGER");
}

static rules *load_cached(const char *dir, const char *cache, bool eager, size_t *hits, size_t *asked)
{
    ec_error err;
    ec_error_clear(&err);
    rules *r = rules_load_opts(dir, &(rules_opts){eager, cache}, &err);
    if (!r)
        fprintf(stderr, "  %s\n", err.text);
    *hits = *asked = 0;
    if (r)
        rules_cache_counts(r, hits, asked);
    return r;
}

/* The one file in dir (the cache of one rules directory), as a new path, or NULL. */
static char *only_file(const char *dir)
{
    char *cmd = xasprintf("ls '%s'", dir);
    FILE *p = popen(cmd, "r");
    free(cmd);
    char name[256] = "";
    bool one = p && fgets(name, sizeof name, p) && !fgets((char[256]){0}, 256, p);
    if (p)
        pclose(p);
    name[strcspn(name, "\n")] = '\0';
    return one && *name ? xasprintf("%s/%s", dir, name) : NULL;
}

static void test_cache(void)
{
    const char *text = "Unions said a march will be held in Bolton on Saturday February 24, starting at 1pm on "
                       "Queens Park.  A rally is planned for 10:30 a.m. next month at the Town Hall in Leeds.";
    char tmpl[] = "/tmp/eventcal-cache-XXXXXX";
    char *top = mkdtemp(tmpl);
    CHECK(top != NULL, "a temporary directory");
    if (!top)
        return;
    char *cache = xasprintf("%s/a/b", top); /* made as needed */
    size_t hits, asked;
    rules *plain = load_cached(EVENTCAL_SOURCE_RULES_DIR, NULL, false, &hits, &asked);
    char *want = plain ? every_kind_matches(plain, text) : xstrdup("");
    CHECK(plain && hits == 0 && asked > 200, "without a cache every pattern is compiled");
    rules_free(plain);

    rules *r = load_cached(EVENTCAL_SOURCE_RULES_DIR, cache, false, &hits, &asked);
    CHECK(r && hits == 0, "a first run finds no cache");
    rules_free(r);
    char *file = only_file(cache);
    CHECK(file != NULL, "the first run leaves one cache file");
    r = load_cached(EVENTCAL_SOURCE_RULES_DIR, cache, false, &hits, &asked);
    CHECK(r && hits == asked && asked > 200, "a second run takes every pattern from the cache");
    if (r) {
        char *got = every_kind_matches(r, text);
        CHECK_STR(got, want, "rules from the cache match as compiled ones do");
        free(got);
    }
    rules_free(r);
    r = load_cached(EVENTCAL_SOURCE_RULES_DIR, cache, true, &hits, &asked);
    CHECK(r && hits == asked, "eager JIT over cached patterns");
    if (r) {
        char *got = every_kind_matches(r, text);
        CHECK_STR(got, want, "cached patterns JIT-compiled at load match as compiled ones do");
        free(got);
    }
    rules_free(r);

    /* damage: a flipped byte, then a file cut short */
    for (int damage = 0; file && damage < 2; damage++) {
        FILE *f = fopen(file, "r+b");
        CHECK(f != NULL, "the cache file opens");
        if (!f)
            break;
        fseek(f, 0, SEEK_END);
        long size = ftell(f);
        if (damage == 0) {
            /* a byte of the first match line's first bytes, which pcre2 never sees: only the
               checksum can tell (the header is 36 bytes, the line's first bytes start at 17) */
            fseek(f, 36 + 17 + 3, SEEK_SET);
            int c = fgetc(f);
            fseek(f, 36 + 17 + 3, SEEK_SET);
            fputc(c ^ 0x5a, f);
            fclose(f);
        } else {
            fclose(f);
            CHECK(truncate(file, size / 2) == 0, "the cache file is cut short");
        }
        r = load_cached(EVENTCAL_SOURCE_RULES_DIR, cache, false, &hits, &asked);
        CHECK(r && hits == 0, damage ? "a cache file cut short is not used" : "a changed cache file is not used");
        if (r) {
            char *got = every_kind_matches(r, text);
            CHECK_STR(got, want, "after a damaged cache the rules match as before");
            free(got);
        }
        rules_free(r);
        r = load_cached(EVENTCAL_SOURCE_RULES_DIR, cache, false, &hits, &asked);
        CHECK(r && hits == asked, "a damaged cache file is written anew");
        rules_free(r);
    }

    /* a file others may write is not read (pcre2 trusts the code it decodes), and the file
       written instead is the user's alone */
    if (file) {
        CHECK(chmod(file, 0666) == 0, "the cache file's mode changes");
        r = load_cached(EVENTCAL_SOURCE_RULES_DIR, cache, false, &hits, &asked);
        CHECK(r && hits == 0, "a cache file that others may write is not used");
        rules_free(r);
        struct stat st;
        CHECK(stat(file, &st) == 0 && (st.st_mode & 0777) == 0600, "the cache file is written anew as 0600");
        r = load_cached(EVENTCAL_SOURCE_RULES_DIR, cache, false, &hits, &asked);
        CHECK(r && hits == asked, "and used again");
        rules_free(r);
    }

    /* a rule that changed misses; the others hit; the new rule is the one that matches */
    char *dir = make_dir("kind timex\ntriggers x\nrule a\n  match x(?<month>%month)\n  type DATE\n"
                         "rule b\n  triggers #number\n  lookback 0\n  match \\d+ days?\n  type DURATION\n");
    r = load_cached(dir, cache, false, &hits, &asked);
    CHECK(r && hits == 0 && asked == 4, "another rules directory has its own cache");
    rules_free(r);
    char *path = xasprintf("%s/test.rules", dir);
    FILE *f = fopen(path, "w");
    if (f) {
        fputs("kind timex\ntriggers x\nrule a\n  match x(?<month>%month)\n  type DATE\n"
              "rule b\n  triggers #number\n  lookback 0\n  match \\d+ weeks?\n  type DURATION\n", f);
        fclose(f);
    }
    r = load_cached(dir, cache, false, &hits, &asked);
    CHECK(r && hits == 2 && asked == 4, "of a changed rules file only the changed rule is compiled");
    if (r) {
        char *got = every_kind_matches(r, "x 3 weeks, 4 days");
        CHECK(strstr(got, " b 2-9;") != NULL && !strstr(got, " b 11-"), "the changed rule matches as it now reads");
        if (!strstr(got, " b 2-9;"))
            fprintf(stderr, "  got: %s\n", got);
        free(got);
    }
    rules_free(r);
    r = load_cached(dir, cache, false, &hits, &asked);
    CHECK(r && hits == 4 && asked == 4, "the cache of a changed rules file is written anew, all of it");
    rules_free(r);
    free(path);
    remove_dir(dir);

    /* a cache that cannot be written: the rules load all the same */
    char *blocked = xasprintf("%s/file", top);
    f = fopen(blocked, "w");
    if (f)
        fclose(f);
    char *under = xasprintf("%s/cache", blocked);
    r = load_cached(EVENTCAL_SOURCE_RULES_DIR, under, false, &hits, &asked);
    CHECK(r && hits == 0, "a cache directory that cannot be made is passed over");
    rules_free(r);
    free(under);
    free(blocked);
    free(file);
    free(want);
    free(cache);
    remove_dir(xstrdup(top));
}

int main(void)
{
    test_loader_errors();
    test_trigger_lines();
    test_trigger_matching();
    test_next();
    test_starts_loading();
    test_starts_matching();
    test_missing_dir();
    test_matching();
    test_eager_jit();
    test_cache();
    return test_report();
}

/*
 * fuzz_triggers: the trigger index against trying every rule everywhere.  Each rule says which
 * words its matches contain (`triggers`) and begin with (`starts`); a word left out of either
 * loses matches without an error wherever no test text reaches.  On any text, the matches of
 * every kind found with the index must be those found by trying each rule at every word start
 * (EVENTCAL_NO_PREFILTER's reference), with the project's own rules.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "config.h"
#include "fuzz.h"
#include "rules.h"
#include "util.h"

static rules *R;
static rule_scanner *With, *Without;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    R = fuzz_project_rules("fuzz_triggers");
    With = rule_scanner_new(R);
    Without = rule_scanner_new(R);
    rule_scanner_use_prefilter(Without, false);
    return 0;
}

/*
 * text as the index is meant to read it (frees text): every character Unicode reads as an
 * ASCII letter or digit becomes "~", a run of white space its first character, and a word
 * its first ten bytes.
 */
static char *neutral(char *text, size_t *len)
{
    static pcre2_code *re;
    static pcre2_match_data *md;
    if (!re) {
        int rc;
        PCRE2_SIZE off;
        static const char pat[] = "\\x{17F}|\\x{212A}|(?=\\d)[^\\x00-\\x7F]" /* read as ASCII */
                                  "|(\\s)\\s+";                             /* keep the first */
        re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_UCP, &rc, &off, NULL);
        md = pcre2_match_data_create(2, NULL);
        if (!re || !md)
            abort();
    }
    strbuf out;
    sb_init(&out);
    size_t at = 0;
    while (pcre2_match(re, (PCRE2_SPTR)text, *len, at, 0, md, NULL) > 0) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        sb_add(&out, text + at, ov[0] - at);
        if (ov[2] != PCRE2_UNSET)
            sb_add(&out, text + ov[2], ov[3] - ov[2]);
        else
            sb_addc(&out, '~');
        at = ov[1];
    }
    sb_add(&out, text + at, *len - at);
    free(text);
    /* then every run of bytes between ASCII white space (a rule's "word" may hold dashes and
       dots) cut to its first ten bytes, at a character's start */
    char *t = out.s ? out.s : xstrdup("");
    size_t n = out.len, w = 0, run = 0;
    bool keep = true; /* the character whose bytes follow was kept */
    for (size_t r = 0; r < n; r++) {
        unsigned char c = (unsigned char)t[r];
        if ((c & 0xC0) == 0x80) {
            if (keep)
                t[w++] = (char)c;
            continue;
        }
        if (ascii_isspace(c)) {
            run = 0;
        } else {
            size_t cl = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
            keep = run + cl <= 10;
            if (!keep) {
                run = 10;
                continue;
            }
            run += cl;
        }
        keep = true;
        t[w++] = (char)c;
    }
    t[w] = '\0';
    *len = w;
    return t;
}

/* Every match of one kind in text, as "start-end:rule\n" lines (caller frees). */
static char *matches(rule_scanner *s, rule_kind k, const char *text, size_t len)
{
    strbuf out;
    sb_init(&out);
    rule_match m;
    for (size_t from = 0; rule_scan_next(s, k, text, len, from, &m); from = m.end)
        sb_printf(&out, "%zu-%zu:%s\n", m.start, m.end, rule_name(m.rule));
    return out.s ? out.s : xstrdup("");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* the reference tries some hundreds of rules at every word: keep each input quick */
    if (size > 1024)
        size = 1024;
    size_t len;
    char *text = utf8_sanitize((const char *)data, size, &len, NULL); /* as the readers do */
    /* The index reads ASCII words and digits (rules/README.md); the patterns match without case
       in Unicode, where "ſ" is an "s" and the Kelvin sign a "k", and \d is any script's digit.
       A word or number spelled with those is not the index's to find.  And a rule's lookback
       and `needs ... within` are bytes sized for words of ordinary length one space apart:
       "the third" and "quarter" eighty spaces apart, or a name of a hundred letters before
       "Street", are further apart than they reach. */
    text = neutral(text, &len);
    rule_scanner_reset(With);
    rule_scanner_reset(Without);
    for (int k = 0; k < RK__COUNT; k++) {
        char *a = matches(With, (rule_kind)k, text, len), *b = matches(Without, (rule_kind)k, text, len);
        if (strcmp(a, b) != 0) {
            fprintf(stderr, "kind %d: with the index:\n%swithout:\n%s", k, a, b);
            FUZZ_ASSERT(!"the trigger index changes the matches");
        }
        free(a);
        free(b);
    }
    free(text);
    return 0;
}

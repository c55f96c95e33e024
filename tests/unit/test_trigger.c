#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "trigger.h"
#include "util.h"

/* The hits of one kind as "start:rule,rule " so a test reads as one string. */
static const char *hits_of(const trigger_set *t, const trigger_hits *h, int kind, strbuf *sb)
{
    sb_reset(sb);
    for (size_t i = 0; i < h->n; i++) {
        const trigger_hit *x = &h->v[i];
        if (!trigger_hit_feeds(*x, kind))
            continue;
        const trigger_rules l = trigger_hit_rules(trigger_set_refs(t), *x, kind);
        CHECK(l.n > 0, "a hit feeds a kind only with some rules of it");
        sb_printf(sb, "%u:", (unsigned)x->start);
        for (uint32_t j = 0; j < l.n; j++)
            sb_printf(sb, j ? ",%u" : "%u", (unsigned)l.idx[j]);
        sb_addc(sb, ' ');
    }
    if (!sb->s)
        sb_adds(sb, "");
    return sb->s;
}

static void scan(const trigger_set *t, const char *text, trigger_hits *h)
{
    trigger_scan(t, text, strlen(text), h);
}

static void test_words(void)
{
    trigger_set *t = trigger_set_new();
    CHECK(trigger_set_add(t, TRIGGER_WORD, "Vigil", 5, 1, 3), "a word is a trigger");
    CHECK(trigger_set_add(t, TRIGGER_WORD, "vigil", 5, 1, 1), "the same word for another rule");
    CHECK(trigger_set_add(t, TRIGGER_WORD, "vigil", 5, 1, 3), "the same rule twice");
    CHECK(trigger_set_add(t, TRIGGER_WORD, "march", 5, 0, 7), "a word for another kind");
    CHECK(trigger_set_add(t, TRIGGER_PREFIX, "march", 5, 1, 2), "a prefix of the same letters");
    CHECK(trigger_set_add(t, TRIGGER_NUMBER, "", 0, 0, 9), "digit runs");
    CHECK(trigger_set_add(t, TRIGGER_SYMBOL, "@", 1, 3, 4), "a punctuation character");
    CHECK(!trigger_set_add(t, TRIGGER_WORD, "sit-in", 6, 1, 0), "a word is letters only");
    CHECK(!trigger_set_add(t, TRIGGER_WORD, "", 0, 1, 0), "an empty word is refused");
    CHECK(!trigger_set_add(t, TRIGGER_SYMBOL, "a", 1, 1, 0), "a letter is not a symbol");
    CHECK(!trigger_set_add(t, TRIGGER_WORD, "x", 1, TRIGGER_KINDS, 0), "the kind is checked");
    char longw[TRIGGER_MAX_WORD + 2];
    memset(longw, 'a', sizeof longw);
    CHECK(!trigger_set_add(t, TRIGGER_WORD, longw, sizeof longw, 1, 0), "a word longer than the limit is refused");
    trigger_set_freeze(t);
    CHECK(!trigger_set_add(t, TRIGGER_WORD, "late", 4, 1, 0), "a frozen set takes nothing more");
    CHECK(trigger_set_size(t) == 5, "five distinct triggers: vigil, march, march*, numbers, @");

    trigger_hits h = {0};
    strbuf sb;
    sb_init(&sb);
    scan(t, "A VIGIL, then vigils; Marching on 24th March (@x)", &h);
    CHECK_STR(hits_of(t, &h, 1, &sb), "2:1,3 22:2 39:2 ", "whole words only, any case, rules sorted and unique; prefixes");
    CHECK_STR(hits_of(t, &h, 0, &sb), "34:9 39:7 ", "numbers and words of another kind, in text order");
    CHECK_STR(hits_of(t, &h, 3, &sb), "46:4 ", "a symbol");
    scan(t, "", &h);
    CHECK(h.n == 0, "an empty text has no hits, and old hits are gone");
    scan(t, "vigil\xC3\xA9 caf\xC3\xA9vigil \xE2\x80\x9Cvigil\xE2\x80\x9D", &h);
    CHECK_STR(hits_of(t, &h, 1, &sb), "0:1,3 13:1,3 22:1,3 ",
              "UTF-8 bytes separate words: 'vigilé' holds 'vigil', and so does 'cafévigil'");
    /* a word longer than any trigger is looked up by its prefixes only */
    char text[80];
    memcpy(text, "march", 5);
    memcpy(text + 5, longw, sizeof longw);
    strcpy(text + 5 + sizeof longw, " vigil");
    scan(t, text, &h);
    CHECK_STR(hits_of(t, &h, 1, &sb), "0:2 40:1,3 ", "a very long word still matches a prefix");
    trigger_hits_finish(&h);
    sb_finish(&sb);
    trigger_set_free(t);
    trigger_set_free(NULL);
}

/* Words that share a prefix's first two letters but not its third are no hits; a two-letter
   prefix is found whatever the third letter. */
static void test_prefix_letters(void)
{
    trigger_set *t = trigger_set_new();
    CHECK(trigger_set_add(t, TRIGGER_PREFIX, "walk", 4, 1, 1), "a prefix of four letters");
    CHECK(trigger_set_add(t, TRIGGER_PREFIX, "mid", 3, 1, 2), "one of three");
    CHECK(trigger_set_add(t, TRIGGER_PREFIX, "ab", 2, 1, 3), "one of two");
    CHECK(trigger_set_add(t, TRIGGER_PREFIX, "abcdefghijk", 11, 1, 4), "a long one sharing those two letters");
    trigger_set_freeze(t);
    trigger_hits h = {0};
    strbuf sb;
    sb_init(&sb);
    const char *text = "was way walk Walkout wa mid Midmorning mix mi ab Abx abcdefghijklmnop a ax walked";
    scan(t, text, &h);
    CHECK_STR(hits_of(t, &h, 1, &sb), "8:1 13:1 24:2 28:2 46:3 49:3 53:3 53:4 75:1 ",
              "a prefix is found by its letters, not by words that share only its first two");
    trigger_hits_finish(&h);
    sb_finish(&sb);
    trigger_set_free(t);
}

/* A word that feeds several kinds is one hit, read by each kind with its own rules. */
static void test_kinds_share_hits(void)
{
    trigger_set *t = trigger_set_new();
    CHECK(trigger_set_add(t, TRIGGER_WORD, "on", 2, 0, 5), "a word of one kind");
    CHECK(trigger_set_add(t, TRIGGER_WORD, "on", 2, 2, 1), "the same word of another");
    CHECK(trigger_set_add(t, TRIGGER_WORD, "on", 2, 4, 8), "and of a third");
    CHECK(trigger_set_add(t, TRIGGER_WORD, "in", 2, 2, 2), "another word, one kind");
    trigger_set_freeze(t);
    trigger_hits h = {0};
    strbuf sb;
    sb_init(&sb);
    scan(t, "on in On", &h);
    CHECK(h.n == 3, "one hit per trigger found, whatever the kinds it feeds");
    CHECK_STR(hits_of(t, &h, 0, &sb), "0:5 6:5 ", "the first kind's rules");
    CHECK_STR(hits_of(t, &h, 2, &sb), "0:1 3:2 6:1 ", "the second's, with the other word's");
    CHECK_STR(hits_of(t, &h, 4, &sb), "0:8 6:8 ", "the third's");
    CHECK_STR(hits_of(t, &h, 1, &sb), "", "a kind no trigger feeds has no hits");
    trigger_hits_finish(&h);
    sb_finish(&sb);
    trigger_set_free(t);
}

static void test_number_shapes(void)
{
    trigger_set *t = trigger_set_new();
    CHECK(trigger_set_add(t, TRIGGER_NUMBER, "", 0, 0, 1), "any digit run");
    CHECK(trigger_set_add(t, TRIGGER_NUMBER, "4", 1, 0, 2), "four digits");
    CHECK(trigger_set_add(t, TRIGGER_NUMBER, ":", 1, 0, 3), "digits before a colon");
    CHECK(trigger_set_add(t, TRIGGER_NUMBER, "4-", 2, 0, 4), "four digits before a hyphen");
    CHECK(!trigger_set_add(t, TRIGGER_NUMBER, "0", 1, 0, 5), "a length is 1 to 9");
    CHECK(!trigger_set_add(t, TRIGGER_NUMBER, "4x", 2, 0, 5), "only : / . - may follow");
    CHECK(!trigger_set_add(t, TRIGGER_NUMBER, "4--", 3, 0, 5), "one separator");
    trigger_set_freeze(t);
    trigger_hits h = {0};
    strbuf sb;
    sb_init(&sb);
    scan(t, "At 13:30 on 2024-02-24, 28,000 in 1990", &h);
    CHECK_STR(hits_of(t, &h, 0, &sb), "3:1 3:3 6:1 12:1 12:2 12:4 17:1 20:1 24:1 27:1 34:1 34:2 ",
              "each digit run fires 'any', and the shapes it has");
    trigger_hits_finish(&h);
    sb_finish(&sb);
    trigger_set_free(t);
}

static void test_many_words(void)
{
    /* enough words to make the table grow several times; each still finds its rule */
    trigger_set *t = trigger_set_new();
    char w[8];
    for (int i = 0; i < 3000; i++) {
        snprintf(w, sizeof w, "%c%c%c", 'a' + i % 26, 'a' + i / 26 % 26, 'a' + i / 676);
        CHECK(trigger_set_add(t, TRIGGER_WORD, w, strlen(w), 2, (uint16_t)i), "added");
    }
    trigger_set_freeze(t);
    trigger_hits h = {0};
    bool all = true;
    for (int i = 0; i < 3000; i += 7) {
        snprintf(w, sizeof w, "%c%c%c", 'a' + i % 26, 'a' + i / 26 % 26, 'a' + i / 676);
        trigger_scan(t, w, strlen(w), &h);
        all = all && h.n == 1 && trigger_hit_feeds(h.v[0], 2);
        if (h.n == 1) {
            const trigger_rules l = trigger_hit_rules(trigger_set_refs(t), h.v[0], 2);
            all = all && l.n == 1 && l.idx[0] == i;
        }
    }
    CHECK(all, "every word of a large set is found with its rule");
    trigger_scan(t, "zzzz qqqq", 9, &h);
    CHECK(h.n == 0, "words not in the set are not hits");
    trigger_hits_finish(&h);
    trigger_set_free(t);
}

/* Words and prefixes of every length are found by the same rules whichever table holds them
   (up to 8 letters, 9 to 16, longer), at the end of a text or before more of it, in any case. */
static void test_word_lengths(void)
{
    static const char base[] = "abcdefghijklmnopqrstuvwx";
    static const size_t words[] = {3, 8, 9, 12, 16, 17, 20}, prefixes[] = {2, 8, 9, 10, 16, 17};
    trigger_set *t = trigger_set_new();
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        CHECK(trigger_set_add(t, TRIGGER_WORD, base, words[i], 1, (uint16_t)words[i]), "a word");
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
        CHECK(trigger_set_add(t, TRIGGER_PREFIX, base, prefixes[i], 1, (uint16_t)(100 + prefixes[i])), "a prefix");
    trigger_set_freeze(t);
    trigger_hits h = {0};
    strbuf sb, want;
    sb_init(&sb);
    sb_init(&want);
    for (size_t len = 1; len < sizeof base; len++) {
        sb_reset(&want);
        for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
            if (prefixes[i] <= len)
                sb_printf(&want, "2:%zu ", 100 + prefixes[i]);
        for (size_t i = 0; i < sizeof words / sizeof *words; i++)
            if (words[i] == len)
                sb_printf(&want, "2:%zu ", len);
        if (!want.s)
            sb_adds(&want, "");
        for (int tail = 0; tail < 2; tail++) {
            for (int upper = 0; upper < 2; upper++) {
                char text[64] = "x ";
                for (size_t k = 0; k < len; k++)
                    text[2 + k] = (char)(upper ? base[k] - 32 : base[k]);
                strcpy(text + 2 + len, tail ? " and more text after it" : "");
                scan(t, text, &h);
                CHECK_STR(hits_of(t, &h, 1, &sb), want.s, text);
            }
        }
    }
    trigger_hits_finish(&h);
    sb_finish(&sb);
    sb_finish(&want);
    trigger_set_free(t);
}

/* The scan reads 64-byte blocks: a token is found the same wherever it falls against their
   edges, at the start of a block, across one, or ending right at one; with few symbol
   triggers (compared with every byte at once) and with many (each punctuation byte looked
   up). */
static void test_block_edges(void)
{
    for (int many = 0; many < 2; many++) {
        trigger_set *t = trigger_set_new();
        CHECK(trigger_set_add(t, TRIGGER_WORD, "vigil", 5, 1, 1), "a word");
        CHECK(trigger_set_add(t, TRIGGER_PREFIX, "march", 5, 1, 2), "a prefix");
        CHECK(trigger_set_add(t, TRIGGER_NUMBER, "4-", 2, 1, 3), "four digits and a dash");
        CHECK(trigger_set_add(t, TRIGGER_SYMBOL, "(", 1, 1, 4), "a symbol");
        CHECK(trigger_set_add(t, TRIGGER_LINE, "", 0, 1, 5), "line starts");
        const char *more = "@#$%&";
        for (int k = 0; many && more[k]; k++)
            CHECK(trigger_set_add(t, TRIGGER_SYMBOL, more + k, 1, 1, (uint16_t)(6 + k)), "more symbols");
        trigger_set_freeze(t);
        static const char tail[] = "vigil 2024-(Marching)\nvigils,vigil@";
        trigger_hits h = {0};
        strbuf sb, want;
        sb_init(&sb);
        sb_init(&want);
        for (size_t pad = 0; pad < 140; pad++) {
            for (int filler = 0; filler < 4; filler++) {
                /* spaces and punctuation, a long word that runs up to the tokens, or one
                   that runs into the first ("zzzvigil" is no vigil) */
                char text[256];
                for (size_t k = 0; k < pad; k++)
                    text[k] = filler == 0 ? ' ' : filler == 1 ? ".,;'\"! "[k % 7] : 'z';
                bool glued = filler == 3 && pad;
                if (filler == 2 && pad)
                    text[pad - 1] = ' ';
                strcpy(text + pad, tail);
                sb_reset(&want);
                size_t p = pad;
                /* a word at the text's start is also a line start, a hit of its own first */
                if (pad == 0 || (filler == 2 && pad > 1) || glued)
                    sb_printf(&want, "0:5 ");
                if (!glued)
                    sb_printf(&want, "%zu:1 ", p);
                sb_printf(&want, "%zu:3 %zu:4 %zu:2 %zu:5 %zu:1 ", p + 6, p + 11, p + 12, p + 22, p + 29);
                if (many)
                    sb_printf(&want, "%zu:6 ", p + 34);
                scan(t, text, &h);
                CHECK_STR(hits_of(t, &h, 1, &sb), want.s, text);
            }
        }
        trigger_hits_finish(&h);
        sb_finish(&sb);
        sb_finish(&want);
        trigger_set_free(t);
    }
}

int main(void)
{
    test_words();
    test_prefix_letters();
    test_word_lengths();
    test_kinds_share_hits();
    test_number_shapes();
    test_many_words();
    test_block_edges();
    return test_report();
}

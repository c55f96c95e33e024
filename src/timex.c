#include "timex.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <limits.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"

#define NONE INT_MIN

const char *tx_type_name(tx_type t)
{
    switch (t) {
    case TX_DATE: return "DATE";
    case TX_TIME: return "TIME";
    case TX_DURATION: return "DURATION";
    case TX_SET: return "SET";
    }
    return "DATE";
}

bool tx_ref_parse(const char *s, const char *tz, tx_ref *out)
{
    datetime dt, local;
    memset(out, 0, sizeof *out);
    if (!datetime_parse(s, &dt))
        return false;
    if (dt.has_offset && tz) {
        int64_t t = datetime_to_epoch_utc(dt.y, dt.m, dt.d, dt.hh, dt.mm, dt.ss) - (int64_t)dt.offset_min * 60;
        /* kept as written where the zone's day is one datetime_parse() would refuse */
        if (tz_utc_to_local(tz, t, &local) && local.y >= 1583 && local.y <= DATE_YEAR_MAX)
            dt = local;
    }
    out->y = dt.y;
    out->m = dt.m;
    out->d = dt.d;
    out->hh = dt.hh;
    out->mm = dt.mm;
    out->ss = dt.ss;
    out->has_time = dt.has_time;
    out->known = true;
    return true;
}

/* ---- cues ---- */

struct cue_set {
    const rules *r;
    rule_scanner *s;
    const article *a;
    arena *ar;
    size_t cut;    /* cues start before it */
    size_t nsent;  /* the article's sentences (one for a text not split) */
    cue **v;       /* each sentence's cues, and how many, once read */
    size_t *n;
    bool *done;
};

cue_set *cues_new(const rules *r, rule_scanner *s, const article *a, size_t cut, arena *ar)
{
    cue_set *cs = arena_alloc(ar, sizeof *cs);
    cs->r = r;
    cs->s = s;
    cs->a = a;
    cs->ar = ar;
    cs->cut = cut && cut < a->len ? cut : a->len;
    cs->nsent = a->nsentences ? a->nsentences : 1;
    cs->v = arena_alloc(ar, cs->nsent * sizeof *cs->v);
    cs->n = arena_alloc(ar, cs->nsent * sizeof *cs->n);
    cs->done = arena_alloc(ar, cs->nsent * sizeof *cs->done);
    return cs;
}

/* Reads the cues of sentence `sent`: those that start from its start (the text's for the first)
   to the next sentence's. */
static void cues_read(cue_set *cs, size_t sent)
{
    const article *a = cs->a;
    size_t from = sent && a->nsentences ? a->sentences[sent].start : 0;
    size_t next = sent + 1 < a->nsentences ? a->sentences[sent + 1].start : a->len;
    size_t until = next < cs->cut ? next : cs->cut;
    size_t cap = 0, count = 0;
    cue *out = NULL;
    rule_match m;
    while (from < until && rule_scan_before(cs->s, RK_CUE, a->text, a->len, from, until, &m)) {
        if (m.end > next)
            break; /* a cue lies within its sentence: the lookups by position rely on it */
        if (!out) {
            cap = 4;
            out = arena_alloc(cs->ar, cap * sizeof *out);
        }
        out = arena_grow(cs->ar, out, count, &cap, sizeof *out);
        cue *c = &out[count++];
        c->start = m.start;
        c->end = m.end;
        c->rule = m.rule;
        c->type = rule_type(m.rule);
        /* the tense code asks for every word it reads: not by comparing strings.  A cue of
           another kind may tell a tense too (`set tense=future`: "Doors open at 7pm" announces) */
        const char *tv = strcmp(c->type, "future") == 0 || strcmp(c->type, "past") == 0 ? c->type
                                                                                          : rule_set_value(m.rule, "tense");
        c->tense = !tv ? TENSE_NONE : strcmp(tv, "future") == 0 ? TENSE_FUTURE : TENSE_PAST;
        const rule_slot *arg = rule_match_slot(&m, "org");
        if (!arg)
            arg = rule_match_slot(&m, "cue");
        c->arg_start = arg ? arg->start : 0;
        c->arg_end = arg ? arg->end : 0;
        from = m.end;
    }
    cs->v[sent] = out;
    cs->n[sent] = count;
    cs->done[sent] = true;
}

const cue *cues_in(cue_set *cs, size_t sent, size_t *n)
{
    *n = 0;
    if (!cs || sent >= cs->nsent)
        return NULL;
    if (!cs->done[sent])
        cues_read(cs, sent);
    *n = cs->n[sent];
    return cs->v[sent];
}

/* True if the word at text[ws..we) is "next" used as a place ("next to the embassy"). */
static bool next_to(const char *text, size_t ws, size_t we, size_t se)
{
    if (we - ws != 4 || !ascii_strncaseeq(text + ws, "next", 4))
        return false;
    size_t p = we;
    while (p < se && ascii_isspace((unsigned char)text[p]))
        p++;
    return p + 2 <= se && ascii_strncaseeq(text + p, "to", 2) && (p + 2 == se || !ascii_isalpha((unsigned char)text[p + 2]));
}

/* True if the word before text[ws] (within the clause starting at lo) is `w`. */
static bool after_word(const char *txt, size_t lo, size_t ws, const char *w)
{
    size_t p, e;
    ascii_word_before(txt, lo, ws, &p, &e);
    return e - p == strlen(w) && ascii_strncaseeq(txt + p, w, e - p);
}

/* True if the word before text[ws] is an article or a determiner, so that an "-ed" word at ws
   is an adjective ("a still unspecified date", "the proposed merger"), not a past tense. */
static bool after_determiner(const rules *r, const char *txt, size_t lo, size_t ws)
{
    const rules_vocab *det = rules_vocab_get(r, "determiner"), *ly_noun = rules_vocab_get(r, "ly_noun");
    size_t p, e;
    ascii_word_before(txt, lo, ws, &p, &e);
    if (e - p > 4 && txt[e - 2] == 'l' && txt[e - 1] == 'y' && !rules_vocab_find(ly_noun, txt + p, e - p))
        ascii_word_before(txt, lo, p, &p, &e); /* past an adverb: "the hastily planned trip" */
    return e > p && rules_vocab_find(det, txt + p, e - p) != NULL;
}

/* A stretch of a sentence whose words tell nothing of a date's tense: [start, end). */
typedef struct aside {
    size_t start, end;
} aside;

enum { RESTRICTIVE_REACH = 48 };

/* Whether the word after the comma or semicolon at txt[p] (before hi) is in the vocabulary: one
   that opens a relative clause (vocab/relative_clause.vocab: ", who died on Saturday,"), or
   that resumes the main clause after one (vocab/aside_resume.vocab). */
static bool opens_relative(const rules_vocab *rel_clause, const char *txt, size_t p, size_t hi)
{
    size_t ws = p + 1;
    while (ws < hi && ascii_isspace((unsigned char)txt[ws]))
        ws++;
    size_t we = ws;
    while (we < hi && ascii_isalpha((unsigned char)txt[we]))
        we++;
    return we > ws && rules_vocab_find(rel_clause, txt + ws, we - ws) != NULL;
}

/*
 * The tense around a span of a sentence: of the tense evidence in the sentence, the item nearest
 * to the span wins, words after the span counting at three times their distance.  Evidence is a future or past cue (cue rules), a word of the `tense`
 * vocabulary ("said = past", "will = future", "need = none" for words that only look like
 * verbs), and otherwise any lower-case word of five letters or more that ends in "-ed" (a
 * past tense or participle).  News reports what happened, so a bare "Friday" next to "said" is
 * the last Friday, while "will" next to it makes it the coming one.  TENSE_NONE when the
 * sentence has no evidence.
 */
/* Whether txt[ws..we), after a date ending at `end`, is a verb of vocab/reporting_verb that
   closes an attribution of the sentence: after a comma, before a comma or the sentence's end
   (", the network said."; not "In September, it announced plans"). */
static bool attribution_after(const rules *r, const char *txt, size_t end, size_t ws, size_t we, size_t se)
{
    if (!memchr(txt + end, ',', ws - end) || !rules_vocab_lookup(r, "reporting_verb", txt + ws, we - ws))
        return false;
    while (we < se && txt[we] == ' ')
        we++;
    return we >= se || txt[we] == ',' || txt[we] == '.' || txt[we] == ';';
}

static tense tense_between(const rules *r, const article *a, const cue *cues, size_t ncues, size_t sent, size_t start,
                           size_t end, size_t lo, size_t hi, const aside *skip, size_t nskip, bool *present);

enum { TENSE_REACH = 600 };

/* Whether txt[p..e) is an event noun of vocab/event_noun, or the plural of one. */
static bool is_event_noun(const rules *r, const char *txt, size_t p, size_t e)
{
    return e > p && (rules_vocab_lookup(r, "event_noun", txt + p, e - p) ||
                     (e - p > 2 && (txt[e - 1] == 's' || txt[e - 1] == 'S') &&
                      rules_vocab_lookup(r, "event_noun", txt + p, e - p - 1)));
}

/* Whether one of the three words from txt[p] (before se) is a noun of vocab/event_noun, a
   plural too, with only words between: "Saturday's march", "Saturday's planned anti-war march". */
static bool event_noun_after(const rules *r, const char *txt, size_t p, size_t se)
{
    for (int w = 0; w < 3; w++) {
        while (p < se && txt[p] == ' ')
            p++;
        size_t e = p;
        while (e < se && (ascii_isalpha((unsigned char)txt[e]) || txt[e] == '-'))
            e++;
        if (e == p)
            return false;
        if (is_event_noun(r, txt, p, e))
            return true;
        /* "Tuesday's residents' meeting": past a plural's apostrophe */
        if (e < se && txt[e] == '\'')
            e++;
        else if (e + 3 <= se && memcmp(txt + e, "\xE2\x80\x99", 3) == 0)
            e += 3;
        p = e;
    }
    return false;
}

static tense tense_near(const rules *r, const article *a, cue_set *cs, size_t sent, size_t start, size_t end,
                        bool *present)
{
    *present = false;
    if (!a->nsentences || sent >= a->nsentences)
        return TENSE_NONE;
    size_t ncues;
    const cue *cues = cues_in(cs, sent, &ncues);
    size_t ss = a->sentences[sent].start, se = a->sentences[sent].end;
    const char *txt = a->text;
    /* "Thursday's closing price", "Wednesday's ruling": a day with something that already
       happened on it is past; "Saturday's march" may be to come, and the verbs tell */
    size_t pl = end < se ? possessive_len(txt + end, se - end) : 0;
    if (pl && !event_noun_after(r, txt, end + pl, se))
        return TENSE_PAST;
    /* evidence is looked for within TENSE_REACH bytes of the date, from a word's start to a
       word's end: further is another clause (a "sentence" of a list, or of text without full
       stops, may run for megabytes, and each of its dates read all of it) */
    if (start > ss + TENSE_REACH) {
        ss = start - TENSE_REACH;
        while (ss < start && ascii_isalpha((unsigned char)txt[ss - 1]) && ascii_isalpha((unsigned char)txt[ss]))
            ss++;
    }
    if (end + TENSE_REACH < se) {
        se = end + TENSE_REACH;
        while (se > end && ascii_isalpha((unsigned char)txt[se - 1]) && ascii_isalpha((unsigned char)txt[se]))
            se--;
    }
    /* a quotation mark between a word and the date puts them in different clauses: the
       reporting verb ("... Thursday,'' Castro said") does not tell the tense of the quote */
    size_t lo = ss, hi = se;
    for (size_t p = start; p > ss; p--)
        if (txt[p - 1] == '"' || (txt[p - 1] == '`' && p >= 2 && txt[p - 2] == '`') ||
            (txt[p - 1] == '\'' && p >= 2 && txt[p - 2] == '\'')) {
            lo = p;
            break;
        }
    for (size_t p = end; p < se; p++)
        if (txt[p] == '"' || (txt[p] == '\'' && p + 1 < se && txt[p + 1] == '\'') ||
            (txt[p] == '`' && p + 1 < se && txt[p + 1] == '`')) {
            hi = p;
            break;
        }
    /* a relative clause the date stands in (", where the Aug. 7 blasts killed ...") has its
       own verb: the tense of the clause before it is only a fallback */
    const rules_vocab *rel_clause = rules_vocab_get(r, "relative_clause");
    for (size_t p = start; rel_clause && p > lo + 2; p--) {
        if (txt[p - 1] != ',' && txt[p - 1] != ';')
            continue;
        size_t ws = p;
        while (ws < start && ascii_isspace((unsigned char)txt[ws]))
            ws++;
        size_t we = ws;
        while (we < start && ascii_isalpha((unsigned char)txt[we]))
            we++;
        if (we > ws && rules_vocab_find(rel_clause, txt + ws, we - ws)) {
            size_t ce = end; /* the clause ends at the next comma ("who is to take office in
                                January, said ...") */
            while (ce < hi && txt[ce] != ',' && txt[ce] != ';')
                ce++;
            tense t = tense_between(r, a, cues, ncues, sent, start, end, ws, ce, NULL, 0, present);
            if (t != TENSE_NONE)
                return t;
        }
        break; /* only the clause the date stands in */
    }
    /* a clause with no commas to set it off ("Nurses who walked out on Tuesday will strike
       again"): its verb, between the word of vocab/relative_clause and the date, tells the
       date's tense; the main verb after it does not.  Only within RESTRICTIVE_REACH bytes,
       with no punctuation between. */
    for (size_t p = start; rel_clause && p > lo && start - p < RESTRICTIVE_REACH; p--) {
        unsigned char c = (unsigned char)txt[p - 1];
        if (c == ',' || c == ';' || c == ':' || c == '(' || c == '.')
            break;
        if (!ascii_isalpha(c) || (p - 1 > lo && ascii_isalpha((unsigned char)txt[p - 2])))
            continue;
        size_t we = p - 1;
        while (we < start && ascii_isalpha((unsigned char)txt[we]))
            we++;
        if (rules_vocab_find(rel_clause, txt + p - 1, we - (p - 1))) {
            tense t = tense_between(r, a, cues, ncues, sent, start, end, we, end, NULL, 0, present);
            if (t != TENSE_NONE)
                return t;
            break;
        }
    }
    /* a relative clause set off by commas before the date's clause is about someone or
       something else, and its verb tells nothing of the date's tense ("A vigil will be held for
       Sam Jones, who died on Saturday, at the church on Thursday"), when the main clause
       resumes after it (vocab/aside_resume.vocab), not where the comma is one of a list in
       the clause (", who stepped down as chairman, president and chief executive in March").
       One after the date is weighed as it was: it is three times as far, and often tells of
       the event itself ("a conference in June 2004, where ministers adopted ...") */
    aside skip;
    size_t nskip = 0;
    size_t c2 = start;
    while (c2 > lo && txt[c2 - 1] != ',' && txt[c2 - 1] != ';')
        c2--;
    const rules_vocab *resume = rules_vocab_get(r, "aside_resume");
    if (rel_clause && resume && c2 > lo && opens_relative(resume, txt, c2 - 1, start)) {
        size_t c1 = c2 - 1;
        while (c1 > lo && txt[c1 - 1] != ',' && txt[c1 - 1] != ';')
            c1--;
        if (c1 > lo && opens_relative(rel_clause, txt, c1 - 1, c2)) {
            skip = (aside){c1 - 1, c2};
            nskip = 1;
        }
    }
    return tense_between(r, a, cues, ncues, sent, start, end, lo, hi, nskip ? &skip : NULL, nskip, present);
}

/* Whether txt[ws..we) lies in one of the asides. */
static bool in_aside(const aside *skip, size_t nskip, size_t ws, size_t we)
{
    for (size_t i = 0; i < nskip; i++)
        if (ws >= skip[i].start && we <= skip[i].end)
            return true;
    return false;
}

/* A byte of a word as tense_between reads words: a letter, or an apostrophe inside a word
   ("rock'n'roll"), not the first of a doubled one ('' is a closing quote in agency copy). */
static bool tense_word_byte(const char *txt, size_t p, size_t hi)
{
    return ascii_isalpha((unsigned char)txt[p]) || (txt[p] == '\'' && (p + 1 >= hi || txt[p + 1] != '\''));
}

/* Whether one of the sentence's cues, of a tense, covers txt[ws..we).  Cues do not overlap and
   are in text order, so only the first that ends at or after we can. */
static bool in_tense_cue(const cue *cues, size_t ncues, size_t ws, size_t we)
{
    size_t i = lower_bound_by(cues, ncues, sizeof *cues, offsetof(cue, end), we);
    return i < ncues && cues[i].start <= ws && cues[i].tense != TENSE_NONE;
}

/*
 * The tense the word txt[ws..we) (in txt[lo..hi) of a sentence ending at se) gives; *evidence
 * is false when the word tells none.
 */
static tense word_tense(const rules *r, const char *txt, const cue *cues, size_t ncues, size_t ws,
                        size_t we, size_t lo, size_t hi, size_t se, bool *evidence, bool *present)
{
    *evidence = false;
    size_t n = we - ws;
    const rules_vocab *tense_vocab = rules_vocab_get(r, "tense");
    const char *v = rules_vocab_find(tense_vocab, txt + ws, n);
    bool ed = n >= 5 && txt[we - 2] == 'e' && txt[we - 1] == 'd';
    if (!v && !ed)
        return TENSE_NONE; /* most words: neither listed nor a past form, whatever the tests
                              below would say; this is the cheap one */
    if (next_to(txt, ws, we, se))
        return TENSE_NONE;
    /* a word inside a tense cue was weighed with the cue ("had been due to": past, not the
       future of "due"; "were planning to": future, not the past of "were") */
    if (in_tense_cue(cues, ncues, ws, we))
        return TENSE_NONE;
    tense t = TENSE_NONE;
    if (v && ed && after_determiner(r, txt, lo, ws))
        return TENSE_NONE; /* "the planned merger": an adjective */
    if (v && !ed && txt[we - 1] == 's' && strcmp(v, "future") == 0) {
        /* "against plans to close", "the council's plans": a noun, after a determiner or a
           word of vocab/purpose_lead */
        size_t pb, pe;
        ascii_word_before(txt, lo, ws, &pb, &pe);
        if (after_determiner(r, txt, lo, ws) || (pe > pb && rules_vocab_lookup(r, "purpose_lead", txt + pb, pe - pb)))
            return TENSE_NONE;
    }
    if (v)
        t = strcmp(v, "past") == 0 || strcmp(v, "called_off") == 0 ? TENSE_PAST
            : strcmp(v, "future") == 0 || strcmp(v, "moved") == 0 ? TENSE_FUTURE
                                                                   : TENSE_NONE;
    else if (ed && txt[ws] >= 'a' && txt[ws] <= 'z' &&
             !after_determiner(r, txt, lo, ws) && !(we < hi && txt[we] == '-'))
        t = TENSE_PAST; /* not "closed-door", "armed-forces": the first half of a compound */
    if (t == TENSE_PAST && (after_word(txt, lo, ws, "be") || after_word(txt, lo, ws, "being")))
        return TENSE_NONE; /* "would be paid", "is being held": a participle; the word before "be"
                              tells the tense */
    if (t != TENSE_NONE && n >= 4 && txt[we - 2] == 'e' && txt[we - 1] == 'd') {
        /* "as expected", "as previously planned": a participle that tells no tense (not "as
           last week") */
        size_t pb, pe;
        ascii_word_before(txt, lo, ws, &pb, &pe);
        if (pe - pb > 4 && txt[pe - 2] == 'l' && txt[pe - 1] == 'y')
            ascii_word_before(txt, lo, pb, &pb, &pe);
        if (pe > pb && rules_vocab_lookup(r, "participle_lead", txt + pb, pe - pb))
            return TENSE_NONE;
    }
    if (t == TENSE_PAST) {
        /* "when the case is heard": a participle after a present "is" or "are", which tells
           the tense itself; "will last", "expected to last": a word of the past list after
           "will" or "to" is a verb's plain form, and the word before tells the tense */
        size_t pb, pe;
        ascii_word_before(txt, lo, ws, &pb, &pe);
        const char *pv = pe > pb ? rules_vocab_find(tense_vocab, txt + pb, pe - pb) : NULL;
        if (pv && strcmp(pv, "present") == 0)
            return TENSE_NONE;
        if (v && ((pv && strcmp(pv, "future") == 0) ||
                  (pe > pb && rules_vocab_lookup(r, "plain_form_lead", txt + pb, pe - pb)))) {
            /* but "to last night": before a unit, pod, weekday or month it is the adjective */
            size_t nb = we, ne;
            while (nb < se && txt[nb] == ' ')
                nb++;
            for (ne = nb; ne < se && ascii_isalpha((unsigned char)txt[ne]);)
                ne++;
            static const char *const dated[] = {"unit", "pod", "weekday", "month"};
            bool adjective = false;
            for (size_t i = 0; i < sizeof dated / sizeof *dated && ne > nb && !adjective; i++)
                adjective = rules_vocab_lookup(r, dated[i], txt + nb, ne - nb) != NULL;
            if (!adjective)
                return TENSE_NONE;
        }
    }
    if (t == TENSE_NONE && (!v || strcmp(v, "present") != 0))
        return TENSE_NONE; /* no verb, or a word listed only to say it is not one */
    *evidence = true;
    *present = t == TENSE_NONE;
    return t;
}

/*
 * The tense of the evidence nearest to txt[start..end) within txt[lo..hi) of sentence `sent`
 * (whose cues are `cues`), outside the `nskip` asides `skip` (may be NULL), as tense_near
 * weighs it; TENSE_NONE when that stretch holds none.
 * Of equally near items a cue beats a word, the earlier of two cues wins, and a word before
 * the expression beats one after it.  Words are read outwards from the expression, nearest
 * first, and the reading stops once no word left can be nearer than the evidence found: a date
 * in a long sentence costs the few words around it.
 */
enum { PRESENT_REACH = 40 };

enum { PUT_OFF_WORDS = 6 };

/* Whether the date at `at` is led by a word of vocab/moved_on ("on Tuesday", "in January"). */
static bool led_on(const rules *r, const char *txt, size_t lo, size_t at)
{
    size_t pb, pe;
    ascii_word_before(txt, lo, at, &pb, &pe);
    if (pe == pb || !rules_vocab_lookup(r, "moved_on", txt + pb, pe - pb))
        return false;
    for (size_t e = pe; e < at; e++)
        if (txt[e] != ' ')
            return false;
    return true;
}

/* Whether txt[ws..we) is a word vocab/tense calls `called_off`. */
static bool called_off_word(const rules *r, const char *txt, size_t ws, size_t we)
{
    const char *v = rules_vocab_lookup(r, "tense", txt + ws, we - ws);
    return v && strcmp(v, "called_off") == 0;
}

/* Whether txt[ws..we) is a word vocab/tense calls `moved`. */
static bool moved_word(const rules *r, const char *txt, size_t ws, size_t we)
{
    const char *v = rules_vocab_lookup(r, "tense", txt + ws, we - ws);
    return v && strcmp(v, "moved") == 0;
}

/* Whether the date at `at` comes after a verb ending at `we`, in its clause (at most
   PUT_OFF_WORDS words on, no punctuation between), led by a word of the vocabulary `leads`. */
static bool led_after(const rules *r, const char *txt, size_t we, size_t at, const char *leads)
{
    if (at < we)
        return false;
    size_t pb, pe;
    ascii_word_before(txt, we, at, &pb, &pe);
    if (pe == pb || !rules_vocab_lookup(r, leads, txt + pb, pe - pb))
        return false;
    for (size_t e = pe; e < at; e++)
        if (txt[e] != ' ')
            return false;
    int words = 0;
    for (size_t k = we; k < pb; k++) {
        char c = txt[k];
        if (c == ',' || c == ';' || c == ':' || c == '(' || c == '"')
            return false;
        words += c == ' ' && k + 1 < pb && txt[k + 1] != ' ';
    }
    return words <= PUT_OFF_WORDS;
}

/* Whether txt[ws..we) is a word of vocab/tense valued `moved` ("adjourned", "postponed") and
   the date at `at` comes after it in its clause, led by a word of vocab/moved_on ("on"): when
   it was put off ("adjourned on Tuesday", "postponed the meeting on Tuesday"), where a day
   the word does not lead is the plan's ("adjourned until Tuesday"). */
static bool put_off_on(const rules *r, const char *txt, size_t ws, size_t we, size_t at)
{
    return moved_word(r, txt, ws, we) && led_after(r, txt, we, at, "moved_on");
}

/* How a word of vocab/tense valued `called_off` ("cancelled", "moved") before a date at
   [at, end) tells its tense: the new day it leads to is ahead ("moved to 1 June", vocab/
   moved_to), the day of the event it names right after it is the plan's, whichever year is
   nearer (TENSE_NONE and *evidence false: "cancelled the June 8 festival", "cancelled the 24
   February rally", said on 1 March), and any other is when it was done, a past ("moved off
   from Hyde Park shortly after noon on Saturday", "cancelled during Tuesday's strike"). */
static tense called_off_tense(const rules *r, const char *txt, size_t len, size_t we, size_t at, size_t end,
                              bool *evidence)
{
    *evidence = true;
    if (led_after(r, txt, we, at, "moved_to"))
        return TENSE_FUTURE;
    bool determiners = at > we;
    for (size_t k = we; k < at && determiners;) {
        if (txt[k] == ' ') {
            k++;
            continue;
        }
        size_t e = k;
        while (e < at && ascii_isalpha((unsigned char)txt[e]))
            e++;
        determiners = e > k && rules_vocab_lookup(r, "determiner", txt + k, e - k);
        k = e;
    }
    if (determiners && end + 1 < len && txt[end] == ' ' && txt[end + 1] >= 'a' && txt[end + 1] <= 'z') {
        *evidence = false;
        return TENSE_NONE;
    }
    return TENSE_PAST;
}

static tense tense_between(const rules *r, const article *a, const cue *cues, size_t ncues, size_t sent, size_t start,
                           size_t end, size_t lo, size_t hi, const aside *skip, size_t nskip, bool *present)
{
    *present = false;
    const char *txt = a->text;
    size_t se = a->sentences[sent].end;
    tense best = TENSE_NONE;
    size_t best_dist = (size_t)-1;
    /* the sentence's cues are in text order and do not overlap: begin with the first that ends
       inside the stretch */
    for (size_t i = lower_bound_by(cues, ncues, sizeof *cues, offsetof(cue, end), lo + 1);
         i < ncues && cues[i].start < hi; i++) {
        tense t = cues[i].tense;
        if (t == TENSE_NONE || (cues[i].start < end && cues[i].end > start) || cues[i].end <= lo ||
            cues[i].start >= hi || in_aside(skip, nskip, cues[i].start, cues[i].end) ||
            next_to(a->text, cues[i].start, cues[i].end, se))
            continue;
        size_t dist = cues[i].start >= end ? 3 * (cues[i].start - end) : start - cues[i].end;
        if (dist < best_dist) {
            best_dist = dist;
            best = t;
        }
    }
    /* Words are runs of word bytes; one that overlaps the expression is part of it.  A date
       usually belongs to the verb before it ("said Friday", "will meet on Monday"): words
       after it count three times their distance. */
    size_t lp = start < hi ? start : hi, rp = end > lo ? end : lo;
    if (lp > lo && lp < hi && tense_word_byte(txt, lp, hi) && tense_word_byte(txt, lp - 1, hi))
        while (lp > lo && tense_word_byte(txt, lp - 1, hi))
            lp--; /* a word running into the expression */
    if (rp < hi && rp > lo && tense_word_byte(txt, rp - 1, hi) && tense_word_byte(txt, rp, hi))
        while (rp < hi && tense_word_byte(txt, rp, hi))
            rp++;
    size_t lws = 0, lwe = 0, rws = 0, rwe = 0;
    bool have_l = false, have_r = false;
    for (;;) {
        if (!have_l) {
            while (lp > lo && !tense_word_byte(txt, lp - 1, hi))
                lp--;
            if (lp > lo) {
                lwe = lp;
                while (lp > lo && tense_word_byte(txt, lp - 1, hi))
                    lp--;
                lws = lp;
                have_l = true;
            }
        }
        if (!have_r) {
            while (rp < hi && !tense_word_byte(txt, rp, hi))
                rp++;
            if (rp < hi) {
                rws = rp;
                while (rp < hi && tense_word_byte(txt, rp, hi))
                    rp++;
                rwe = rp;
                have_r = true;
            }
        }
        size_t ld = have_l ? start - lwe : (size_t)-1, rd = have_r ? 3 * (rws - end) : (size_t)-1;
        bool left = have_l && ld <= rd;
        size_t dist = left ? ld : rd;
        if ((!have_l && !have_r) || dist >= best_dist)
            break;
        bool evidence = false, word_present = false;
        tense t = TENSE_NONE;
        if (!(left ? in_aside(skip, nskip, lws, lwe) : in_aside(skip, nskip, rws, rwe)))
            t = left ? word_tense(r, txt, cues, ncues, lws, lwe, lo, hi, se, &evidence, &word_present)
                     : word_tense(r, txt, cues, ncues, rws, rwe, lo, hi, se, &evidence, &word_present);
        if (left && t == TENSE_FUTURE && put_off_on(r, txt, lws, lwe, start))
            t = TENSE_PAST; /* "adjourned on Tuesday": when it was put off */
        if (left && evidence && called_off_word(r, txt, lws, lwe))
            t = called_off_tense(r, txt, a->len, lwe, start, end, &evidence);
        if (!left && t == TENSE_FUTURE && moved_word(r, txt, rws, rwe) && led_on(r, txt, lo, start))
            t = TENSE_PAST; /* "In January, the firm brought in ...", "On Tuesday the council
                               postponed ...": the day is when it was done ("Tuesday's meeting
                               has been postponed" is the plan's) */
        if (!left && evidence && t == TENSE_PAST && attribution_after(r, txt, end, rws, rwe, se))
            evidence = false; /* "... on Tuesday, the network said": when it was said */
        if (left)
            have_l = false;
        else
            have_r = false;
        if (evidence) {
            best_dist = dist;
            best = t;
            /* a present verb looks ahead only when it governs the date: just before it, in
               its clause ("is in Leeds on Friday"), not after it ("Friday and is now") */
            *present = word_present && left && start - lwe <= PRESENT_REACH && !memchr(txt + lwe, ',', start - lwe);
        }
    }
    return best;
}

/*
 * How the word right before a date (in its sentence) changes the sentence's tense `t` for it,
 * from the `tense_lead` vocabulary: after an "open" word ("through January", "until Tuesday")
 * a past tense says nothing, since the date ends a stretch that may run on past the reference
 * ("the banks extended the loans through January"); after a "firm" one ("in December") a
 * past tense weighs more (*firm), since the date tells when the past event happened.
 */
static tense tense_lead(const rules *r, const article *a, size_t sent, size_t start, tense t, bool *firm)
{
    *firm = false;
    if (t != TENSE_PAST || !a->nsentences || sent >= a->nsentences)
        return t;
    size_t b, e;
    ascii_word_before(a->text, a->sentences[sent].start, start, &b, &e);
    const char *v = e > b ? rules_vocab_lookup(r, "tense_lead", a->text + b, e - b) : NULL;
    if (v && strcmp(v, "open") == 0)
        return TENSE_NONE;
    *firm = v && strcmp(v, "firm") == 0;
    return t;
}

/* The tense around t as resolve() weighs it: tense_near(), then tense_lead(). */
static tense tense_compute(const rules *r, const article *a, cue_set *cues, const timex *t, bool *firm, bool *present)
{
    tense tn = tense_near(r, a, cues, t->sentence, t->tense_at, t->tense_end, present);
    return tense_lead(r, a, t->sentence, t->tense_lead_at, tn, firm);
}

tense timex_tense(const rules *r, const article *a, cue_set *cues, const timex *t)
{
    if (t->tense_known)
        return t->tense;
    bool firm, present;
    return tense_compute(r, a, cues, t, &firm, &present);
}

/* ---- reading slots ---- */

typedef struct fields {
    const rules *r;
    const rule_match *m;
    const char *text;
    const article *a; /* with the cues, for the tense */
    cue_set *cues;
} fields;

/* The tense of t (kept in it once read): reading the words around a date costs as much as
   the rest of its resolution, and a date that names its year needs none. */
static tense tense_of(const fields *f, timex *t)
{
    if (!t->tense_known) {
        t->tense = tense_compute(f->r, f->a, f->cues, t, &t->tense_firm, &t->tense_present);
        t->tense_known = true;
    }
    return t->tense;
}

/* The text of a slot, or the rule's fixed `set` value, or NULL. */
static const char *field_value(const fields *f, const char *name, char *buf, size_t size)
{
    const rule_slot *sl = rule_match_slot(f->m, name);
    if (sl) {
        if (sl->value)
            return sl->value;
        size_t n = sl->end - sl->start;
        if (n >= size)
            n = size - 1;
        memcpy(buf, f->text + sl->start, n);
        buf[n] = '\0';
        return buf;
    }
    return rule_set_value(f->m->rule, name);
}

static bool has_field(const fields *f, const char *name)
{
    return rule_match_slot(f->m, name) || rule_set_value(f->m->rule, name);
}

/* A number from a slot: digits ("24th" reads 24), a vocabulary value, or a number word. */
static int field_int(const fields *f, const char *name)
{
    char buf[64];
    const char *v = field_value(f, name, buf, sizeof buf);
    if (!v)
        return NONE;
    const char *p = v;
    while (*p == ' ' || *p == '\'' || *p == '#')
        p++;
    int sign = 1;
    if (*p == '+')
        p++;
    else if (*p == '-') {
        sign = -1;
        p++;
    }
    if (ascii_isdigit((unsigned char)*p)) {
        long x = 0;
        while (ascii_isdigit((unsigned char)*p) && x < 100000000)
            x = x * 10 + (*p++ - '0');
        return sign * (int)x;
    }
    static const char *const number_vocabs[] = {"numword", "ordinal"};
    for (size_t i = 0; i < 2; i++) {
        const char *w = rules_vocab_lookup(f->r, number_vocabs[i], v, strlen(v));
        if (w && (ascii_isdigit((unsigned char)w[0]) || w[0] == '-'))
            return atoi(w);
    }
    /* "ninety-six", "twenty first", "o five": tens and units, each a number word */
    const char *split = strpbrk(v, "- ");
    if (split) {
        const char *u = split + 1;
        while (*u == ' ' || *u == '-')
            u++;
        size_t tn = (size_t)(split - v);
        int tens = NONE, units = NONE;
        if (tn == 1 && (v[0] == 'o' || v[0] == 'O'))
            tens = 0;
        for (size_t i = 0; i < 2 && tens == NONE; i++) {
            const char *w = rules_vocab_lookup(f->r, number_vocabs[i], v, tn);
            if (w && ascii_isdigit((unsigned char)w[0]))
                tens = atoi(w);
        }
        for (size_t i = 0; i < 2 && units == NONE; i++) {
            const char *w = rules_vocab_lookup(f->r, number_vocabs[i], u, strlen(u));
            if (w && ascii_isdigit((unsigned char)w[0]))
                units = atoi(w);
        }
        if (tens != NONE && units != NONE && tens % 10 == 0 && units >= 1 && units <= 9)
            return tens + units;
    }
    return NONE;
}

/*
 * The year slot's number.  A year written with BC or BCE counts back, numbered as ISO 8601
 * does (1 BC is year 0, so 345 BC is -344); *era says that BC, BCE, AD or CE was written.
 */
static int field_year(const fields *f, bool *era)
{
    *era = false;
    int y = field_int(f, "year");
    const rule_slot *sl = rule_match_slot(f->m, "year");
    if (!sl || y == NONE)
        return y;
    bool bc = false;
    for (size_t p = sl->start; p < sl->end; p++) {
        char c = f->text[p];
        if (c == 'B' || c == 'b')
            bc = *era = true;
        else if (c == 'A' || c == 'a' || c == 'C' || c == 'c')
            *era = true;
    }
    return bc ? 1 - y : y;
}

static bool field_is(const fields *f, const char *name, const char *want)
{
    char buf[64];
    const char *v = field_value(f, name, buf, sizeof buf);
    return v && ascii_strcaseeq(v, want);
}

/* Whether t is a holiday of vocab/season_holiday naming what follows it after "the" or a
   determiner ("The Christmas parade starts at 4.30pm"): a season, whose day a bare time after
   it does not take. */
static bool season_attribute_tx(const fields *f, const timex *t)
{
    const char *x = f->text;
    size_t s = t->start, len = f->a->len;
    bool the = t->end - s > 4 && ascii_strncaseeq(x + s, "the ", 4);
    if (the)
        s += 4;
    if (!rules_vocab_lookup(f->r, "season_holiday", x + s, t->end - s))
        return false;
    size_t k = t->end;
    while (k < len && x[k] == ' ')
        k++;
    if (k == t->end || k >= len || !ascii_isalpha((unsigned char)x[k]))
        return false;
    size_t pb, pe;
    ascii_word_before(x, 0, t->start, &pb, &pe);
    return the || (pe > pb && rules_vocab_lookup(f->r, "determiner", x + pb, pe - pb));
}

/* ---- year inference ---- */

enum { DONE_WORDS = 8 };

/*
 * Whether t, told in the past (tn), is told as something that happened: a word of
 * vocab/done_verb among the DONE_WORDS words before it in its clause ("They marched on 3 May",
 * "A rally was held in Cardiff on 15 January", "In January, doctors held their first strike"
 * reads on past the comma that follows a leading date).  A plan told in the past ("was set
 * for Nov. 21") is not: news tells in the past what is still to come.
 */
/* Whether the word txt[ws..we) of a done_verb tells that something happened there: not a
   passive to come ("to be held", "was to be held", "being held"). */
static bool done_word(const fields *f, size_t lo, size_t ws, size_t we)
{
    if (!rules_vocab_lookup(f->r, "done_verb", f->text + ws, we - ws))
        return false;
    size_t pb, pe;
    ascii_word_before(f->text, lo, ws, &pb, &pe);
    return !(pe > pb && (rules_vocab_lookup(f->r, "be_form", f->text + pb, pe - pb)));
}

static bool told_done(const fields *f, const timex *t, tense tn)
{
    if (tn != TENSE_PAST)
        return false;
    const article *a = f->a;
    const char *x = f->text;
    size_t ss = a->nsentences && t->sentence < a->nsentences ? a->sentences[t->sentence].start : 0;
    size_t se = a->nsentences && t->sentence < a->nsentences ? a->sentences[t->sentence].end : a->len;
    const rules_vocab *stop = rules_vocab_get(f->r, "done_stop");
    /* "started on November 7 and ends on November 20 this year": the year is said (a word of
       vocab/rel valued 0, then vocab/unit's year) */
    size_t q, qe, u, ue;
    ascii_word_after(x, t->end, se, &q, &qe);
    const char *rel = qe > q ? rules_vocab_lookup(f->r, "rel", x + q, qe - q) : NULL;
    if (rel && strcmp(rel, "0") == 0) {
        ascii_word_after(x, qe, se, &u, &ue);
        const char *unit = ue > u ? rules_vocab_lookup(f->r, "unit", x + u, ue - u) : NULL;
        if (unit && strcmp(unit, "year") == 0)
            return false;
    }
    /* before the date, to its clause's start, an aim ("to") or an event noun ("marched ahead
       of a strike on 14 March") */
    size_t k = t->start;
    for (int w = 0; w < DONE_WORDS && k > ss;) {
        char c = x[k - 1];
        if (c == ',' || c == ';' || c == ':' || c == '"' || c == '(')
            break;
        if (!ascii_isalpha((unsigned char)c)) {
            k--;
            continue;
        }
        size_t we = k;
        while (k > ss && ascii_isalpha((unsigned char)x[k - 1]))
            k--;
        if (done_word(f, ss, k, we))
            return true;
        if (rules_vocab_find(stop, x + k, we - k) || is_event_noun(f->r, x, k, we))
            return false;
        w++;
    }
    /* a date that leads its sentence ("In January, ..."): the clause after it */
    if (k > ss + 4)
        return false;
    k = t->end;
    for (int w = 0; w < DONE_WORDS && k < se;) {
        char c = x[k];
        if (c == ';' || c == ':' || c == '"' || c == '(')
            break;
        if (!ascii_isalpha((unsigned char)c)) {
            k++;
            continue;
        }
        size_t ws = k;
        while (k < se && ascii_isalpha((unsigned char)x[k]))
            k++;
        if (done_word(f, ss, ws, k))
            return true;
        if (rules_vocab_find(stop, x + ws, k - ws))
            return false;
        w++;
    }
    return false;
}

/*
 * Chooses the year for a month and day written without one: among the years around the
 * reference, the one whose date is nearest to it, after pushing dates on the wrong side of the
 * reference for the sentence's tense half a year away.  A stated weekday must fit, which
 * usually leaves one candidate ("Saturday February 24" near 2024 is 2024; near 2020, 2018).
 */
static int infer_year(int m, int d, int weekday, const tx_ref *ref, tense t, bool done, bool *mismatch)
{
    int64_t r = date_to_days(ref->y, ref->m, ref->d);
    int best = ref->y;
    int64_t best_score = INT64_MAX;
    /* a weekday repeats on a date every 5, 6 or 11 years; February 29 comes every 4 years,
       and 8 around a century that is not a leap year (1900, 2100) */
    int span = weekday > 0 ? 6 : m == 2 && d == 29 ? 8 : 1;
    for (int y = ref->y - span; y <= ref->y + span; y++) {
        int dd = d;
        if (!date_valid(y, m, dd)) {
            if (m == 2 && d == 29)
                continue;
            dd = date_days_in_month(y, m);
        }
        if (weekday > 0 && date_weekday(y, m, dd) != weekday)
            continue;
        int64_t diff = date_to_days(y, m, dd) - r;
        int64_t score = diff < 0 ? -diff : diff;
        /* the future tense all but rules out the past; the past tense only weighs against the
           future, since news reports in the past what is still to come ("was set for Nov. 21"
           said on November 2 is this month's, not last year's) */
        if (t == TENSE_FUTURE && diff < 0)
            score = score <= 2 ? 4 * score + 30 : score + 400; /* a day or two back: a story dated after its deadline */
        if (t == TENSE_PAST && diff > 0)
            score = done ? score + 400 : score * 3; /* unless it tells what happened ("marched") */
        if (t == TENSE_NONE && diff < 0)
            score += 1; /* an even tie goes to the future: announcements look ahead */
        if (score < best_score) {
            best_score = score;
            best = y;
        }
    }
    if (best_score == INT64_MAX && weekday > 0) {
        /* the weekday fits no nearby year: keep the nearest year and say so */
        if (mismatch)
            *mismatch = true;
        return infer_year(m, d, 0, ref, t, done, NULL);
    }
    return best; /* without a weekday there is always a candidate */
}

/* The nearest year for a month (or season/quarter start) without a day. */
static int infer_year_month(int m, const tx_ref *ref, tense t, bool firm, bool done)
{
    int best = ref->y;
    int best_score = INT_MAX;
    for (int y = ref->y - 1; y <= ref->y + 1; y++) {
        int diff = (y - ref->y) * 12 + (m - ref->m);
        int score = diff < 0 ? -diff : diff;
        if (t == TENSE_FUTURE && diff < 0)
            score += 13;
        if (t == TENSE_PAST && diff > 0)
            /* the past tense weighs: a month ahead counts four times its distance, six after
               "in" ("changed to a calendar year in December", said in October: last December) */
            score = done ? score + 13 : score * (firm ? 6 : 4) + 1;
        if (t == TENSE_NONE && diff < 0)
            score += 1; /* half a year either way: an announcement looks ahead */
        if (score < best_score) {
            best_score = score;
            best = y;
        }
    }
    return best;
}

/* The date of a weekday relative to the reference: rel -1 last, 0 this/nearest, +1 next. */
static ymd resolve_weekday(const ymd base, int weekday, int rel, bool has_rel, tense t)
{
    int bw = date_weekday(base.y, base.m, base.d);
    int fwd = (weekday - bw + 7) % 7;  /* days to the next such day (0 = today) */
    int back = (bw - weekday + 7) % 7; /* days since the last one (0 = today) */
    if (has_rel) {
        if (rel > 1) /* "next Saturday": the Saturday of next week (Monday to Sunday), since
                        "this Saturday" names the coming one */
            return date_add_days(base, 7 - (bw - 1) + (weekday - 1));
        if (rel > 0)
            return date_add_days(base, fwd == 0 ? 7 : fwd); /* "the coming Saturday", "the following Saturday" */
        if (rel < 0)
            return date_add_days(base, back == 0 ? -7 : -back);
        return date_add_days(base, fwd); /* "this Saturday" */
    }
    if (t == TENSE_PAST)
        return date_add_days(base, -back);
    if (t == TENSE_FUTURE)
        return date_add_days(base, fwd);
    /* no tense: the nearest, ties to the future */
    return back < fwd ? date_add_days(base, -back) : date_add_days(base, fwd);
}

static int two_digit_year(int yy, int ref_year)
{
    /* '24 near 2024 is 2024; '98 near 2024 is 1998: the century that puts it within 50 years */
    int c = ref_year - ref_year % 100;
    int y = c + yy;
    if (y > ref_year + 50)
        y -= 100;
    else if (y < ref_year - 50)
        y += 100;
    return y;
}

/* A holiday spec from the holiday vocabulary: "12-25", "easter+1", "11:4:4" (4th Thursday of
   November), "5:-1:1" (last Monday of May), "11:1:1+1" (the day after November's first
   Monday). */
static bool holiday_date(const char *spec, int y, ymd *out)
{
    if (strncmp(spec, "easter", 6) == 0) {
        int off = atoi(spec + 6);
        *out = date_add_days(date_easter(y), off);
        return true;
    }
    int a, b, c, k = 0;
    if (sscanf(spec, "%d:%d:%d", &a, &b, &c) == 3) {
        const char *plus = strchr(spec, '+');
        if (plus)
            k = atoi(plus + 1);
        *out = date_add_days(date_nth_weekday(y, a, c, b), k);
        return true;
    }
    if (sscanf(spec, "%d-%d", &a, &b) == 2 && date_valid(y, a, b)) {
        *out = (ymd){y, a, b};
        return true;
    }
    return false;
}

static void set_day(timex *t, ymd d)
{
    t->y = d.y;
    t->m = d.m;
    t->d = d.d;
    t->grain = G_DAY;
}

/*
 * "Workers will walk off the job at 12:01 a.m. Monday" in an article of Monday 9am: t, a time
 * on a bare weekday that a future tense put on the reference's own day (future_today), is
 * next week's when that time has gone by the reference's clock, since what "will" happen is
 * ahead.  A time still to come, or whose stated end is (an event under way), stays; so do the
 * small hours after the day (next_day), and a reference with no time of day.  The caller
 * leaves out times with a zone of their own, which the reference's clock, the article's zone's,
 * cannot be compared with.
 */
static void gone_to_next_week(timex *t, const tx_ref *ref)
{
    if (!t->future_today || !t->has_time || t->next_day || !ref->known || !ref->has_time)
        return;
    int now = ref->hh * 60 + ref->mm, at = t->hh * 60 + t->mm, end = t->eh * 60 + t->em;
    if (at >= now || (t->has_end_time && end >= at && end > now))
        return;
    ymd d = date_add_days((ymd){t->y, t->m, t->d}, 7);
    t->y = d.y, t->m = d.m, t->d = d.d;
    t->future_today = false;
}

/* A date and a time of day in seconds, for moving by spans. */
typedef struct moment {
    ymd day;
    int64_t secs; /* 0 .. 86399 */
} moment;

/* Moves a moment by a span (sign +1 or -1): months and years first, keeping the day where the
   month has it ("January 31 + 1 month" is February's last day), then days, then the clock. */
static moment moment_shift(moment at, const tx_span *sp, int sign)
{
    int months = sp->y * 12 + sp->q * 3 + sp->mo;
    if (months)
        at.day = date_add_months(at.day, sign * months);
    int64_t days = (int64_t)sp->w * 7 + (int64_t)sp->we * 7 + sp->d;
    int64_t secs = at.secs + sign * ((int64_t)sp->h * 3600 + (int64_t)sp->mi * 60 + sp->s);
    int64_t carry = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
    secs -= carry * 86400;
    at.day = date_add_days(at.day, sign * days + carry);
    at.secs = secs;
    return at;
}

static bool span_has_clock(const tx_span *sp)
{
    return sp->h || sp->mi || sp->s || (sp->vague && (sp->vague_unit == 'h' || sp->vague_unit == 'm' || sp->vague_unit == 's'));
}

/* The instant a moment stands for: a date, with its time when `with_time`. */
static void set_instant(timex *t, moment at, bool with_time)
{
    t->has_instant = true;
    t->iy = at.day.y;
    t->im = at.day.m;
    t->id = at.day.d;
    t->inst_time = with_time;
    t->ih = (int)(at.secs / 3600);
    t->imin = (int)(at.secs / 60 % 60);
    t->isec = (int)(at.secs % 60);
    t->inst_sec = with_time && t->isec != 0;
}

/* The reference as a moment; noon when it has no time of day. */
static moment ref_moment(const tx_ref *ref)
{
    moment m = {{ref->y, ref->m, ref->d}, ref->has_time ? ref->hh * 3600 + ref->mm * 60 + ref->ss : 12 * 3600};
    return m;
}

/* A year as TIMEX3 writes it: "2024", "0008", and "BC0345" for 345 BC (year -344 here, where
   1 BC is year 0 as in ISO 8601). */
static const char *timeml_year(int y, char *buf, size_t size)
{
    if (y <= 0)
        snprintf(buf, size, "BC%04d", 1 - y);
    else
        snprintf(buf, size, "%04d", y);
    return buf;
}

/* Writes the two digits of x (0-99) at p; the next byte. */
static char *two_digits(char *p, int x)
{
    p[0] = (char)('0' + x / 10);
    p[1] = (char)('0' + x % 10);
    return p + 2;
}

/* The common values (a year of four digits, to the month, day or minute) without snprintf(),
   which was two calls and 1.5% of a corpus run; false for the others. */
static bool write_value_fast(timex *t)
{
    bool minute = (t->grain == G_HOUR || t->grain == G_MINUTE) && !t->has_seconds;
    if (t->y < 1 || t->y > 9999 || (unsigned)t->m > 99 || (unsigned)t->d > 99 || (unsigned)t->hh > 99 ||
        (unsigned)t->mm > 99 ||
        !(t->grain == G_YEAR || (t->grain == G_MONTH && !t->day_unknown) || t->grain == G_DAY || minute))
        return false;
    char *p = two_digits(two_digits(t->value, t->y / 100), t->y % 100);
    if (t->grain != G_YEAR) {
        *p++ = '-';
        p = two_digits(p, t->m);
    }
    if (t->grain == G_DAY || minute) {
        *p++ = '-';
        p = two_digits(p, t->d);
    }
    if (minute) {
        *p++ = 'T';
        p = two_digits(p, t->hh);
        *p++ = ':';
        p = two_digits(p, t->mm);
    }
    *p = '\0';
    return true;
}

static void write_value(timex *t)
{
    if (write_value_fast(t))
        return;
    char *v = t->value;
    size_t n = sizeof t->value;
    char yb[16];
    const char *ys = timeml_year(t->y, yb, sizeof yb);
    switch (t->grain) {
    case G_NONE: break;
    case G_CENTURY: snprintf(v, n, "%02d", t->y / 100); break;
    case G_DECADE: snprintf(v, n, "%03d", t->y / 10); break;
    case G_YEAR: snprintf(v, n, "%s", ys); break;
    case G_HALF: snprintf(v, n, "%s-H%d", ys, t->m <= 6 ? 1 : 2); break;
    case G_QUARTER: snprintf(v, n, "%s-Q%d", ys, (t->m - 1) / 3 + 1); break;
    case G_SEASON: {
        static const char *const names[] = {"WI", "WI", "SP", "SP", "SP", "SU", "SU", "SU", "FA", "FA", "FA", "WI"};
        snprintf(v, n, "%s-%s", ys, names[(t->m - 1) % 12]);
        break;
    }
    case G_MONTH:
        if (t->day_unknown) /* a day of that month: "that same day" after "last October" */
            snprintf(v, n, "%s-%02d-XX", ys, t->m);
        else
            snprintf(v, n, "%s-%02d", ys, t->m);
        break;
    case G_WEEK: {
        int wy, w;
        date_iso_week(t->y, t->m, t->d, &wy, &w);
        if (t->pod[0] == 'W')
            snprintf(v, n, "%04d-W%02d-WE", wy, w);
        else
            snprintf(v, n, "%04d-W%02d", wy, w);
        break;
    }
    case G_DAY: snprintf(v, n, "%s-%02d-%02d", ys, t->m, t->d); break;
    case G_POD: snprintf(v, n, "%s-%02d-%02dT%s", ys, t->m, t->d, t->pod); break;
    case G_HOUR:
    case G_MINUTE:
        if (t->has_seconds)
            snprintf(v, n, "%s-%02d-%02dT%02d:%02d:%02d", ys, t->m, t->d, t->hh, t->mm, t->ss);
        else
            snprintf(v, n, "%s-%02d-%02dT%02d:%02d", ys, t->m, t->d, t->hh, t->mm);
        break;
    }
}

/* The hour a part of the day stands for as an instant (chrono's choice, and a plain one). */
static int pod_hour(const char *pod)
{
    if (strcmp(pod, "MO") == 0)
        return 6;
    if (strcmp(pod, "MI") == 0)
        return 12;
    if (strcmp(pod, "AF") == 0)
        return 15;
    if (strcmp(pod, "EV") == 0)
        return 20;
    if (strcmp(pod, "NI") == 0)
        return 22;
    return 12;
}

/*
 * Gives a resolved date or time the instant it points at when resolving did not: the first
 * day of its period, with its time of day when it has one.
 */
static void finish_instant(timex *t)
{
    if (t->has_instant || t->type == TX_DURATION || t->type == TX_SET || t->grain == G_NONE)
        return;
    moment at = {{t->y, t->m >= 1 ? t->m : 1, t->d >= 1 ? t->d : 1}, 0};
    bool with_time = false;
    switch (t->grain) {
    case G_NONE: return;
    case G_CENTURY:
    case G_DECADE:
    case G_YEAR:
        at.day.m = 1;
        at.day.d = 1;
        break;
    case G_HALF:
    case G_QUARTER:
    case G_SEASON:
    case G_MONTH: at.day.d = 1; break;
    case G_WEEK:
        if (t->pod[0] == 'W')
            at.day = date_add_days(at.day, 5); /* a weekend starts on its Saturday */
        break;
    case G_DAY: break;
    case G_POD:
        with_time = true;
        at.secs = pod_hour(t->pod) * 3600;
        break;
    case G_HOUR:
    case G_MINUTE:
        with_time = true;
        at.secs = t->hh * 3600 + t->mm * 60 + (t->has_seconds ? t->ss : 0);
        break;
    }
    set_instant(t, at, with_time);
    t->inst_sec = with_time && t->has_seconds;
}

const char *timex_value_styled(const timex *t, tx_style style, char *buf, size_t size)
{
    if (style != TX_STYLE_INSTANT || !t->has_instant) {
        snprintf(buf, size, "%s", t->value);
        return buf;
    }
    char yb[16];
    if (t->iy < 0)
        snprintf(yb, sizeof yb, "-%04d", -t->iy);
    else if (t->iy > 9999)
        snprintf(yb, sizeof yb, "+%d", t->iy);
    else
        snprintf(yb, sizeof yb, "%04d", t->iy);
    if (!t->inst_time)
        snprintf(buf, size, "%s-%02d-%02d", yb, t->im, t->id);
    else if (t->inst_sec)
        snprintf(buf, size, "%s-%02d-%02dT%02d:%02d:%02d", yb, t->im, t->id, t->ih, t->imin, t->isec);
    else
        snprintf(buf, size, "%s-%02d-%02dT%02d:%02d", yb, t->im, t->id, t->ih, t->imin);
    return buf;
}

/* The unit slot's canonical name ("day", "week", ...) or its text in buf, or NULL. */
static const char *unit_of(const fields *f, char *buf, size_t size)
{
    return field_value(f, "unit", buf, size);
}

/* ---- lengths of time ---- */

static const struct span_unit {
    const char *name;
    char code;         /* the unit's letter in tx_span.vague_unit */
    int mul;           /* how many of the span field one unit is */
    const char *finer; /* where a fraction goes, and how many of those one unit holds */
    int finer_mul;
} SPAN_UNITS[] = {
    {"century", 'C', 100, "year", 100}, {"decade", 'E', 10, "year", 10}, {"year", 'Y', 1, "month", 12},
    {"quarter", 'Q', 1, "month", 3},    {"month", 'M', 1, "day", 30},    {"fortnight", 'W', 2, "day", 14},
    {"week", 'W', 1, "day", 7},         {"weekend", 'K', 1, NULL, 0},    {"day", 'D', 1, "hour", 24},
    {"night", 'D', 1, "hour", 24},      {"hour", 'h', 1, "minute", 60},  {"minute", 'm', 1, "second", 60},
    {"second", 's', 1, NULL, 0},
};

static const struct span_unit *span_unit_find(const char *name)
{
    for (size_t i = 0; name && i < sizeof SPAN_UNITS / sizeof *SPAN_UNITS; i++)
        if (strcmp(SPAN_UNITS[i].name, name) == 0)
            return &SPAN_UNITS[i];
    return NULL;
}

static int *span_field(tx_span *sp, char code)
{
    switch (code) {
    case 'C':
    case 'E':
    case 'Y': return &sp->y;
    case 'Q': return &sp->q;
    case 'M': return &sp->mo;
    case 'W': return &sp->w;
    case 'K': return &sp->we;
    case 'D': return &sp->d;
    case 'h': return &sp->h;
    case 'm': return &sp->mi;
    default: return &sp->s;
    }
}

/*
 * Adds v (>= 0) units to a span, carrying a fraction into the next finer unit: "1.5 hours" is 1
 * hour 30 minutes, "2 1/2 years" 2 years 6 months, "half a day" 12 hours.  A fortnight is two
 * weeks, a decade ten years.  False for a unit that is not one.
 */
static bool span_add(tx_span *sp, const char *unit, double v)
{
    const struct span_unit *u = span_unit_find(unit);
    if (!u || v < 0 || v > 100000)
        return false;
    long whole = (long)v;
    double frac = v - (double)whole;
    if (frac > 0.999) {
        whole++;
        frac = 0;
    }
    int *fld = span_field(sp, u->code);
    /* fortnights count in weeks; their fraction in days.  A text can repeat parts without
       end ("9999 centuries, 9999 centuries, ..."): past a million of a unit it is no length */
    if ((long)*fld + whole * u->mul > 1000000)
        return false;
    *fld += (int)whole * u->mul;
    if (frac > 0.001 && u->finer)
        return span_add(sp, u->finer, frac * u->finer_mul);
    return true;
}

/* True if the span holds no time at all (and is not vague). */
static bool span_empty(const tx_span *sp)
{
    return !sp->vague && !sp->y && !sp->q && !sp->mo && !sp->w && !sp->we && !sp->d && !sp->h && !sp->mi && !sp->s;
}

/* The value of a number word or phrase from the numword and ordinal vocabularies: its
   number, or -2 for a vague count ("several"; *estimate then gets the hint in "X3" or 0), or -1. */
static double number_word(const rules *r, const char *w, size_t n, int *estimate)
{
    const char *v = rules_vocab_lookup(r, "numword", w, n);
    if (!v)
        return -1;
    if (v[0] == 'X') {
        *estimate = atoi(v + 1);
        return -2;
    }
    if (!ascii_isdigit((unsigned char)v[0]))
        return -1;
    return atof(v);
}

/*
 * Reads a written length of time: counts and units in words or digits, with fractions and
 * abbreviations ("two weeks", "1 day 21 hours", "1d, 2hr and 5min", "2 1/2 years", "1.5
 * hours", "a minute and a half", "half an hour", "twenty-four hours", "several days").
 * Units come from the `unit` vocabulary, then `unit_abbr`.  *smallest gets the finest unit
 * named.  False when the text holds no count with a unit, or a word that is neither.
 */
static bool span_read(const rules *r, const char *s, size_t n, tx_span *out, const char **smallest)
{
    memset(out, 0, sizeof *out);
    *smallest = NULL;
    double pend = -1;     /* a count read and waiting for its unit */
    bool vague = false;   /* the waiting count is vague */
    int estimate = 0;
    bool after_half = false; /* "half an hour": the article after "half" is not a count */
    const char *last_unit = NULL;
    size_t p = 0;
    while (p < n) {
        unsigned char c = (unsigned char)s[p];
        if (ascii_isspace(c) || c == ',' || c == '+' || c == '~' || c == '-' || c == '.' || c == '\'' || c == '(' ||
            c == ')') {
            p++;
            continue;
        }
        if (c == 0xC2 && p + 1 < n && (unsigned char)s[p + 1] == 0xBD) { /* ½ */
            pend = (pend < 0 ? 0 : pend) + 0.5;
            p += 2;
            continue;
        }
        if (ascii_isdigit(c)) {
            double v = 0;
            while (p < n && ascii_isdigit((unsigned char)s[p]))
                v = v * 10 + (s[p++] - '0');
            if (p + 1 < n && s[p] == '.' && ascii_isdigit((unsigned char)s[p + 1])) {
                double scale = 0.1;
                for (p++; p < n && ascii_isdigit((unsigned char)s[p]); p++, scale /= 10)
                    v += (s[p] - '0') * scale;
            }
            if (p + 1 < n && s[p] == '/' && ascii_isdigit((unsigned char)s[p + 1])) {
                /* "1/2": a fraction, alone or after a whole number ("2 1/2") */
                double den = 0;
                for (p++; p < n && ascii_isdigit((unsigned char)s[p]);)
                    den = den * 10 + (s[p++] - '0');
                if (den <= 0)
                    return false;
                v = v / den;
                pend = (pend < 0 ? 0 : pend) + v;
            } else {
                pend = v;
            }
            vague = false;
            continue;
        }
        if (!ascii_isalpha(c))
            return false;
        size_t ws = p;
        while (p < n && ascii_isalpha((unsigned char)s[p]))
            p++;
        size_t wn = p - ws;
        const char *w = s + ws;
        if (wn == 3 && ascii_strncaseeq(w, "and", 3)) {
            /* "a minute and a half", "two and a half years" */
            size_t q = p;
            while (q < n && ascii_isspace((unsigned char)s[q]))
                q++;
            if (q + 6 <= n && ascii_strncaseeq(s + q, "a half", 6)) {
                if (pend >= 0)
                    pend += 0.5;
                else if (!last_unit || !span_add(out, last_unit, 0.5))
                    return false;
                p = q + 6;
            }
            continue;
        }
        if (wn == 4 && ascii_strncaseeq(w, "half", 4)) {
            pend = (pend < 0 ? 0 : pend) + 0.5;
            after_half = true;
            continue;
        }
        if (after_half && ((wn == 1 && (w[0] == 'a' || w[0] == 'A')) || (wn == 2 && ascii_strncaseeq(w, "an", 2)))) {
            after_half = false;
            continue;
        }
        after_half = false;
        /* words between a count and its unit: "20 more years", "eight trading days" */
        const char *between = rules_vocab_lookup(r, "count_between", w, wn);
        if (between && (pend >= 0 || vague)) {
            if (strcmp(between, "workdays") == 0)
                out->workdays = true;
            continue;
        }
        /* a unit? */
        const char *u = rules_vocab_lookup(r, "unit", w, wn);
        if (!u && pend >= 0)
            u = rules_vocab_lookup(r, "unit_abbr", w, wn);
        if (u && (pend >= 0 || vague)) {
            const struct span_unit *su = span_unit_find(u);
            if (!su)
                return false;
            if (vague) {
                out->vague = true;
                out->vague_unit = su->code;
                out->estimate = estimate;
            } else if (!span_add(out, u, pend)) {
                return false;
            }
            if (!*smallest || span_unit_find(*smallest) < su)
                *smallest = su->name;
            last_unit = su->name;
            pend = -1;
            vague = false;
            continue;
        }
        /* a number word, or a phrase of up to three ("a couple of", "a few") */
        double v = -1;
        int est = 0;
        size_t best_end = 0;
        size_t q = p;
        for (int words = 1; words <= 3; words++) {
            double x = number_word(r, w, q - ws, &est);
            if (x != -1) {
                v = x;
                best_end = q;
                estimate = est;
            }
            while (q < n && ascii_isspace((unsigned char)s[q]))
                q++;
            if (q >= n || !ascii_isalpha((unsigned char)s[q]))
                break;
            while (q < n && ascii_isalpha((unsigned char)s[q]))
                q++;
        }
        if (v == -1)
            return false;
        p = best_end;
        if (v == -2) {
            vague = true;
            pend = -1;
        } else if (pend >= 20 && pend < 100 && (long)pend % 10 == 0 && v >= 1 && v <= 9) {
            pend += v; /* "twenty-four" */
        } else if (v == 100 && pend > 0) {
            pend *= 100; /* "two hundred" */
        } else {
            pend = v;
            vague = false;
        }
    }
    return *smallest != NULL && (out->vague || !span_empty(out));
}

/* Writes a span as a TIMEX3 duration: "P1DT21H", "P2W", "PT1H30M", "P2Y6M", "PXD", "PTXH". */
static void span_value(const tx_span *sp, char *v, size_t size)
{
    if (sp->vague) {
        const char *suffix = "Y";
        switch (sp->vague_unit) {
        case 'C': suffix = "CE"; break;
        case 'E': suffix = "DE"; break;
        case 'K': suffix = "WE"; break;
        case 'Q': suffix = "Q"; break;
        case 'M': suffix = "M"; break;
        case 'W': suffix = "W"; break;
        case 'D': suffix = "D"; break;
        case 'h': suffix = "H"; break;
        case 'm': suffix = "M"; break;
        case 's': suffix = "S"; break;
        default: break;
        }
        bool timepart = sp->vague_unit == 'h' || sp->vague_unit == 'm' || sp->vague_unit == 's';
        snprintf(v, size, "P%sX%s", timepart ? "T" : "", suffix);
        return;
    }
    int y = sp->y, q = sp->q, mo = sp->mo, w = sp->w, d = sp->d;
    if (sp->we && !y && !q && !mo && !w && !d && !sp->h && !sp->mi && !sp->s) {
        snprintf(v, size, "P%dWE", sp->we);
        return;
    }
    d += sp->we * 2;
    /* ISO 8601 writes weeks alone; quarters (a TimeML unit) too */
    if (w && (y || q || mo || d))
        d += 7 * w, w = 0;
    if (q && (y || mo || w || d))
        mo += 3 * q, q = 0;
    strbuf sb;
    sb_init(&sb);
    sb_addc(&sb, 'P');
    if (y)
        sb_printf(&sb, "%dY", y);
    if (q)
        sb_printf(&sb, "%dQ", q);
    if (mo)
        sb_printf(&sb, "%dM", mo);
    if (w)
        sb_printf(&sb, "%dW", w);
    if (d)
        sb_printf(&sb, "%dD", d);
    if (sp->h || sp->mi || sp->s) {
        sb_addc(&sb, 'T');
        if (sp->h)
            sb_printf(&sb, "%dH", sp->h);
        if (sp->mi)
            sb_printf(&sb, "%dM", sp->mi);
        if (sp->s)
            sb_printf(&sb, "%dS", sp->s);
    }
    if (sb.len == 1)
        sb_adds(&sb, "0D");
    snprintf(v, size, "%s", sb.s);
    sb_finish(&sb);
}

/*
 * The direction a length is counted in, from its `dir` slot or, failing that, from the word
 * before it: "in/within/for/after two weeks" and "next two weeks" look ahead (+1), "last/past
 * two weeks" back (-1).  0 when nothing says.
 */
static int span_direction(const fields *f)
{
    int dir = field_int(f, "dir");
    if (dir == 1 || dir == -1)
        return dir;
    if (!rule_match_slot(f->m, "span") && !rule_match_slot(f->m, "n"))
        return 0; /* a fixed length ("the year ended ...") is no count from the reference */
    /* the word before, past "about", "around", "at least", ... (vocab/length_lead.vocab) */
    const rules_vocab *lead = rules_vocab_get(f->r, "length_lead");
    size_t p = f->m->start;
    for (int words = 0; words < 4; words++) {
        while (p > 0 && (ascii_isspace((unsigned char)f->text[p - 1]) || f->text[p - 1] == '~'))
            p--;
        size_t we = p;
        while (p > 0 && ascii_isalpha((unsigned char)f->text[p - 1]))
            p--;
        if (p == we || (p > 0 && (ascii_isalnum((unsigned char)f->text[p - 1]) || (unsigned char)f->text[p - 1] >= 0x80)))
            return 0;
        const char *v = rules_vocab_find(lead, f->text + p, we - p);
        if (v && strcmp(v, "ahead") == 0)
            return 1;
        if (!v || strcmp(v, "skip") != 0)
            return 0;
    }
    return 0;
}

/*
 * Reads the length a match states: its `span` slot, or its `n` and `unit` ("set n=X" or a
 * vague number word makes it vague).  False when it states none.
 */
static bool read_span(const fields *f, tx_span *sp, const char **smallest)
{
    const rule_slot *sl = rule_match_slot(f->m, "span");
    if (sl)
        return span_read(f->r, f->text + sl->start, sl->end - sl->start, sp, smallest);
    char ubuf[32];
    const char *u = unit_of(f, ubuf, sizeof ubuf);
    const struct span_unit *su = span_unit_find(u);
    if (!su)
        return false;
    memset(sp, 0, sizeof *sp);
    *smallest = su->name;
    int n = field_int(f, "n");
    char nb[32];
    const char *nv = field_value(f, "n", nb, sizeof nb);
    if (n == NONE && nv && ascii_strcaseeq(nv, "the"))
        n = 1; /* "the min before": one */
    if (n == NONE && nv) {
        /* "X", or a number word the vocabulary calls vague ("X3": about three) */
        const char *w = rules_vocab_lookup(f->r, "numword", nv, strlen(nv));
        sp->vague = true;
        sp->vague_unit = su->code;
        sp->estimate = w && w[0] == 'X' ? atoi(w + 1) : 0;
        return true;
    }
    return span_add(sp, su->name, n == NONE ? 1 : n);
}

static void resolve_duration(const fields *f, timex *t, const tx_ref *ref)
{
    tx_span sp;
    const char *smallest;
    if (!read_span(f, &sp, &smallest)) {
        snprintf(t->value, sizeof t->value, "PX");
        return;
    }
    span_value(&sp, t->value, sizeof t->value);
    t->has_span = true;
    t->span = sp;
    t->span_dir = span_direction(f);
    if (!t->span_dir || sp.workdays)
        return; /* no direction, or days the calendar does not count */
    /* the instant: the reference moved by the length ("within 10 days", "for 5 minutes") */
    tx_span use = sp;
    if (sp.vague) {
        if (!sp.estimate)
            return;
        tx_span est = {0};
        const struct span_unit *su = NULL;
        for (size_t i = 0; i < sizeof SPAN_UNITS / sizeof *SPAN_UNITS; i++)
            if (SPAN_UNITS[i].code == sp.vague_unit)
                su = &SPAN_UNITS[i];
        if (!su || !span_add(&est, su->name, sp.estimate))
            return;
        use = est;
    }
    moment at = moment_shift(ref_moment(ref), &use, t->span_dir);
    set_instant(t, at, ref->has_time || span_has_clock(&use));
}

/* The weekdays named in slot `days` ("Saturday and Sunday", "Tuesdays, Thursdays"), each word
   looked up in the weekday and weekday_plural vocabularies, as bits (1 << (wd - 1)); 0 for
   none or when a word of the list is no weekday but a joining one. */
static unsigned field_days(const fields *f)
{
    const rule_slot *sl = rule_match_slot(f->m, "days");
    if (!sl)
        return 0;
    unsigned days = 0;
    for (size_t i = sl->start; i < sl->end;) {
        if (!ascii_isalpha((unsigned char)f->text[i])) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < sl->end && ascii_isalpha((unsigned char)f->text[j]))
            j++;
        const char *v = rules_vocab_lookup(f->r, "weekday", f->text + i, j - i);
        if (!v)
            v = rules_vocab_lookup(f->r, "weekday_plural", f->text + i, j - i);
        int wd = v ? atoi(v) : 0;
        if (wd >= 1 && wd <= 7)
            days |= 1u << (wd - 1);
        i = j;
    }
    return days;
}

static void resolve_set(const fields *f, timex *t, const tx_ref *ref)
{
    int wd = field_int(f, "weekday");
    unsigned days = field_days(f);
    char buf[16];
    const char *pod = field_value(f, "pod", buf, sizeof buf);
    if (wd >= 1 && wd <= 7)
        days |= 1u << (wd - 1);
    t->set_daily = field_is(f, "recur", "daily");
    if (days) {
        int n = field_int(f, "n");
        if (pod && strlen(pod) == 2)
            str_copy(t->pod, sizeof t->pod, pod);
        t->set_days = days;
        t->set_ords = 0;
        /* "the first and third Mondays": ord and ord2 */
        for (int i = 0; i < 2; i++) {
            int ord = field_int(f, i ? "ord2" : "ord");
            if (ord == -1 || (ord >= 1 && ord <= 4))
                t->set_ords |= ord < 0 ? 1u << 5 : 1u << ord;
        }
        t->set_interval = n == 2 ? 2 : 1;
        /* TIMEX3 has no value for a weekday of every month, every other week or several
           weekdays: the set is monthly, or two-weekly, or weekly */
        if (t->set_ords || t->set_interval == 2 || (days & (days - 1))) {
            str_copy(t->value, sizeof t->value, t->set_ords ? "P1M" : t->set_interval == 2 ? "P2W" : "P1W");
            return;
        }
        for (wd = 1; !(days & (1u << (wd - 1))); wd++)
            ;
        if (pod) /* "Tuesday nights": every Tuesday night */
            snprintf(t->value, sizeof t->value, "XXXX-WXX-%dT%s", wd, pod);
        else
            snprintf(t->value, sizeof t->value, "XXXX-WXX-%d", wd);
        return;
    }
    if (pod && !has_field(f, "unit")) {
        snprintf(t->value, sizeof t->value, "XXXX-XX-XXT%s", pod);
        return;
    }
    int month = field_int(f, "month");
    if (month >= 1 && month <= 12) { /* "each July" */
        snprintf(t->value, sizeof t->value, "XXXX-%02d", month);
        return;
    }
    resolve_duration(f, t, ref);
    t->has_instant = false; /* a set is no one instant */
}

/* How many lines above an item of a listing its header may be. */
enum { LISTING_REACH = 40 };

/* True if text[p] starts a line, past spaces and tabs. */
static bool line_start(const char *text, size_t p)
{
    while (p > 0 && (text[p - 1] == ' ' || text[p - 1] == '\t'))
        p--;
    return p == 0 || text[p - 1] == '\n';
}

/*
 * True when the sentence of `t` is an item of a listing of what is to come: a line of its own
 * (as is every line between) under a header that ends with a colon and tells the future
 * ("What's on this weekend:", "Coming up:", a `future` cue).  An item ("Makers' market, Corn
 * Exchange, Saturday 10am-3pm.") has often no verb to tell its tense, and the listing's is its.
 */
static bool listing_ahead(const fields *f, const timex *t)
{
    const article *a = f->a;
    for (size_t s = t->sentence, k = 0; s > 0 && s < a->nsentences && k < LISTING_REACH; s--, k++) {
        if (!line_start(a->text, a->sentences[s].start))
            return false;
        const sentence *h = &a->sentences[s - 1];
        if (h->end > h->start && a->text[h->end - 1] == ':') {
            size_t n;
            const cue *c = cues_in(f->cues, s - 1, &n);
            for (size_t i = 0; i < n; i++)
                if (c[i].tense == TENSE_FUTURE)
                    return true;
            return false;
        }
    }
    return false;
}

/*
 * True when the sentence of `t` announces something: the tense around it is the future, or the
 * sentence has a cancelled or postponed cue ("Lessons have been cancelled Monday to Friday").
 */
static bool announces(const fields *f, timex *t)
{
    if (tense_of(f, t) == TENSE_FUTURE)
        return true;
    size_t n;
    const cue *c = cues_in(f->cues, t->sentence, &n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(c[i].type, "cancelled") == 0 || strcmp(c[i].type, "postponed") == 0)
            return true;
    return false;
}

/* The end of t's sentence (the text's end without sentences). */
static size_t t_sentence_end(const fields *f, const timex *t)
{
    const article *a = f->a;
    return a->nsentences && t->sentence < a->nsentences ? a->sentences[t->sentence].end : a->len;
}

/* Where the word after t's possessive starts ("Monday's clashes": at "clashes"), or 0 when t
   is no possessive. */
static size_t possessive_day(const fields *f, const timex *t)
{
    size_t e = t->end, se = t_sentence_end(f, t);
    size_t pl = e < se ? possessive_len(f->text + e, se - e) : 0;
    return pl ? e + pl : 0;
}

/* Whether a word of vocab/cause_lead stands in the 40 bytes before t ("after Monday's
   clashes", "because of the storm on Monday"). */
static bool cause_before(const fields *f, const timex *t)
{
    size_t from = t->start > 40 ? t->start - 40 : 0;
    const char *x = f->text;
    for (size_t k = from; k < t->start;) {
        size_t e = k;
        while (e < t->start && ascii_isalpha((unsigned char)x[e]))
            e++;
        if (e > k && (k == from ? from == 0 || !ascii_isalpha((unsigned char)x[k - 1]) : true) &&
            rules_vocab_lookup(f->r, "cause_lead", x + k, e - k))
            return true;
        k = e > k ? e : k + 1;
    }
    return false;
}


/*
 * Whether t's sentence calls an event off or puts it back in the present or the perfect
 * ("Organisers have cancelled Saturday's march", "Tuesday's meeting has been postponed"): what
 * is called off is still to come, so a bare weekday there is the coming one.  Not in the past
 * ("Saturday's march was cancelled" may be told after the day).
 */
static bool called_off_now(const fields *f, const timex *t)
{
    size_t n;
    const cue *c = cues_in(f->cues, t->sentence, &n);
    const char *x = f->text;
    for (size_t i = 0; i < n; i++) {
        bool off = strcmp(c[i].type, "cancelled") == 0, back = strcmp(c[i].type, "postponed") == 0;
        if (!off && !back)
            continue;
        /* the cancelled cue begins with its auxiliary ("has been cancelled"); a postponement's
           stands before it ("has been postponed"), maybe behind "been" (vocab/present_aux) */
        size_t ss = f->a->nsentences ? f->a->sentences[t->sentence].start : 0, ws, we;
        if (off) {
            ws = we = c[i].start;
            while (we < c[i].end && ascii_isalpha((unsigned char)x[we]))
                we++;
        } else {
            ascii_word_before(x, ss, c[i].start, &ws, &we);
        }
        const char *v = we > ws ? rules_vocab_lookup(f->r, "present_aux", x + ws, we - ws) : NULL;
        if (v && strcmp(v, "through") == 0 && !off) {
            ascii_word_before(x, ss, ws, &ws, &we);
            v = we > ws ? rules_vocab_lookup(f->r, "present_aux", x + ws, we - ws) : NULL;
        }
        if (v && strcmp(v, "aux") == 0)
            return true;
    }
    return false;
}

/* Whether the words of txt[from..to) tell a past: a word vocab/tense calls past, or an "-ed"
   form not after a determiner ("took place", "was held", "drew", "passed off"); not a verb of
   vocab/reporting_verb (", the union said": when it was said), nor one after a word of
   vocab/cause_lead ("after talks broke down": why, not when). */
static bool past_told(const rules *r, const char *txt, size_t lo, size_t from, size_t to)
{
    const rules_vocab *tv = rules_vocab_get(r, "tense"), *rv = rules_vocab_get(r, "reporting_verb"),
                      *cv = rules_vocab_get(r, "cause_lead");
    for (size_t k = from; k < to;) {
        size_t e = k;
        while (e < to && ascii_isalpha((unsigned char)txt[e]))
            e++;
        if (e == k) {
            k++;
            continue;
        }
        const char *v = rules_vocab_find(tv, txt + k, e - k);
        if (rules_vocab_find(cv, txt + k, e - k))
            return false; /* the rest is the cause's */
        if (rules_vocab_find(rv, txt + k, e - k)) {
            k = e;
            continue;
        }
        if (v ? strcmp(v, "past") == 0
              : e - k >= 5 && txt[e - 2] == 'e' && txt[e - 1] == 'd' && txt[k] >= 'a' && txt[k] <= 'z' &&
                    !after_determiner(r, txt, lo, k))
            return true;
        k = e;
    }
    return false;
}

/*
 * Whether t's sentence announces an event in the present or the perfect, before t: "Unions
 * have called a strike on Monday", "The RMT has announced a walkout on Saturday", "A march has
 * been organised for Saturday".  What is announced so is still to come, so a bare weekday
 * there is the coming one, as after a calling-off.  An auxiliary of vocab/present_aux ("have",
 * "has been"), a verb of vocab/announce_verb, and an event noun (vocab/event_noun): between the
 * verb and t, or for a passive ("has been organised") before the auxiliary.  Not a weekday
 * right after an active verb ("has announced on Monday that it will strike", when it was said),
 * nor one of a sentence that tells a past after the verb ("have confirmed that a protest took
 * place on Saturday", "the march on Saturday passed off peacefully"), nor of a reported clause
 * ("announced that ...", whose own verbs tell).  The words read are the ANNOUNCE_REACH bytes
 * before t, once, and as many after it: a long sentence costs no more.
 */
enum { ANNOUNCE_REACH = 160 };

static bool announced_now(const fields *f, const timex *t)
{
    const article *a = f->a;
    const char *x = f->text;
    size_t ss = a->nsentences && t->sentence < a->nsentences ? a->sentences[t->sentence].start : 0;
    size_t se = t_sentence_end(f, t);
    size_t from = t->start > ss + ANNOUNCE_REACH ? t->start - ANNOUNCE_REACH : ss;
    bool noun = false;       /* an event noun so far */
    size_t verb_end = 0;     /* after the last announcing verb, active, that wants a noun after it */
    size_t announced = 0;    /* after the verb of an announcement found whole */
    for (size_t k = from; k < t->start;) {
        size_t e = k;
        while (e < t->start && ascii_isalpha((unsigned char)x[e]))
            e++;
        if (e == k) {
            k++;
            continue;
        }
        if (k == from && from > ss && ascii_isalpha((unsigned char)x[k - 1])) {
            k = e; /* the tail of a word cut by the reach */
            continue;
        }
        if (is_event_noun(f->r, x, k, e)) {
            noun = true;
            if (verb_end)
                announced = verb_end;
        } else if (rules_vocab_lookup(f->r, "announce_verb", x + k, e - k)) {
            /* its auxiliary before it, maybe behind "been" or "being" (present_aux's
               `through`), which make it a passive */
            size_t ws, we;
            ascii_word_before(x, ss, k, &ws, &we);
            const char *v = we > ws ? rules_vocab_lookup(f->r, "present_aux", x + ws, we - ws) : NULL;
            bool passive = v && strcmp(v, "through") == 0;
            if (passive) {
                ascii_word_before(x, ss, ws, &ws, &we);
                v = we > ws ? rules_vocab_lookup(f->r, "present_aux", x + ws, we - ws) : NULL;
            }
            if (v && strcmp(v, "aux") == 0) {
                if (passive && noun)
                    announced = e;
                else
                    verb_end = e; /* the noun must come between it and t */
            }
        }
        k = e;
    }
    if (!announced)
        return false;
    size_t ws, we;
    ascii_word_after(x, announced, se, &ws, &we);
    if (we > ws && rules_vocab_lookup(f->r, "clause_link", x + ws, we - ws))
        return false; /* "announced that": the clause's own verbs tell */
    /* the past that would be the event's is near the date: a long sentence is not read to its end
       for every date in it */
    return !past_told(f->r, x, ss, announced, t->end + ANNOUNCE_REACH < se ? t->end + ANNOUNCE_REACH : se);
}

/*
 * Whether `t`, a bare weekday, is the new day of a postponement, and if so the day after which
 * it falls (*after): a `postponed` cue ends right before it with the word that leads to the
 * day, its `cue` slot ("postponed to Monday", "moved to Monday"; not "delayed Sunday"), or a
 * `moved_from` cue ends right before `last`, the last date mentioned, and at most a short word
 * stands between that date and t ("moved from Saturday to Monday").  An event is moved to a
 * later day: after the day it was moved from, and after the reference, so that a weekday said
 * on that weekday is a week on (an event moved to the day the news of it appears would be
 * moved to "today").
 */
static bool moved_to_after(const fields *f, const timex *t, const timex *last, const tx_ref *ref, ymd *after)
{
    size_t n;
    const cue *c = cues_in(f->cues, t->sentence, &n);
    *after = (ymd){ref->y, ref->m, ref->d};
    for (size_t i = 0; i < n && c[i].end <= t->start; i++) {
        if (strcmp(c[i].type, "postponed") == 0 && c[i].arg_end == c[i].end && c[i].arg_end > c[i].arg_start &&
            ascii_one_short_word(f->text, c[i].end, t->start, 0))
            return true;
        if (strcmp(c[i].type, "moved_from") == 0 && last && last->sentence == t->sentence && last->start >= c[i].end &&
            last->end <= t->start && last->grain >= G_DAY && ascii_one_short_word(f->text, c[i].end, last->start, 0) &&
            ascii_one_short_word(f->text, last->end, t->start, 5)) {
            if (date_to_days(last->y, last->m, last->d) > date_to_days(ref->y, ref->m, ref->d))
                *after = (ymd){last->y, last->m, last->d};
            return true;
        }
    }
    return false;
}

/* True for the evening or the night, after which a time in the small hours is the next day's. */
static bool late_pod(const char *pod)
{
    return strcmp(pod, "EV") == 0 || strcmp(pod, "NI") == 0;
}

/*
 * The hour of clock hour h said with no am or pm but with its part of the day `pod`: the later
 * half in the afternoon, the evening or the night ("eight tonight" is 20), but not the small
 * hours of the night ("2 at night"); twelve in the evening or the night is the midnight that
 * ends the day (0, and *midnight set).  Hours past twelve are as written.
 */
static int hour_in_pod(const char *pod, int h, bool *midnight)
{
    *midnight = false;
    bool late = late_pod(pod);
    if (h < 12 && (late || strcmp(pod, "AF") == 0) && !(strcmp(pod, "NI") == 0 && h < 5))
        return h + 12;
    if (h == 12 && late) {
        *midnight = true;
        return 0;
    }
    return h;
}

/*
 * Applies hour, minute and am/pm slots; returns false if there is no valid time.  Sets
 * *past_midnight (when not NULL) for twelve with the evening or the night and no am or pm ("12
 * tonight", "half past twelve at night"): that is the midnight that ends the day, read as 00:00
 * (and on) of the next day, where the caller moves the date.
 */
static bool read_time(const fields *f, const char *hk, const char *mk, const char *ak, const char *pk, int *hh,
                      int *mm, bool *had_ampm, bool *past_midnight)
{
    if (past_midnight)
        *past_midnight = false;
    int h = field_int(f, hk);
    if (h == NONE)
        return false;
    int m = field_int(f, mk);
    if (m == NONE)
        m = 0;
    char buf[16];
    const char *ap = field_value(f, ak, buf, sizeof buf);
    char pbuf[16];
    const char *pod = field_value(f, pk, pbuf, sizeof pbuf);
    *had_ampm = ap != NULL;
    if (m < 0 || m > 59 || h < 0 || h > 24)
        return false;
    if (ap) {
        if (h < 1 || h > 12)
            return false; /* "25pm", "0am" */
        bool pm = ap[0] == 'p' || ap[0] == 'P';
        if (pm && h < 12)
            h += 12;
        else if (!pm && h == 12)
            h = 0;
    } else if (pod) {
        bool midnight;
        h = hour_in_pod(pod, h, &midnight);
        if (past_midnight)
            *past_midnight = midnight;
    }
    if (h == 24) {
        if (m)
            return false;
        h = 0;
    }
    *hh = h;
    *mm = m;
    return true;
}

/*
 * True for a quarter still running or to come at the reference ("a fourth-quarter charge"
 * foreseen in October), unless told in the past tense ("reported fourth-quarter earnings" of
 * a fiscal year that ended in September).  Such a quarter is not the one a results story
 * reports, so "the latest quarter" and "a year ago" are not counted from it.
 */
static bool quarter_to_come(const fields *f, const timex *q, const tx_ref *ref)
{
    if (q->grain != G_QUARTER || timex_tense(f->r, f->a, f->cues, q) == TENSE_PAST)
        return false;
    ymd qend = date_add_months((ymd){q->y, q->m, 1}, 3);
    return date_to_days(qend.y, qend.m, qend.d) > date_to_days(ref->y, ref->m, ref->d);
}

/*
 * Gives a match its meaning: the rule's slots and fixed values are read as date and time
 * fields and resolved against the reference, the last date mentioned (`last`) and the tense.
 */
static bool resolve(const fields *f, timex *t, const tx_ref *ref, const timex *last, const timex *last_any,
                    const timex *last_month, const timex *last_quarter, bool months_named_last,
                    const timex_opts *opts)
{
    const char *type = rule_type(f->m->rule);
    t->type = strcmp(type, "TIME") == 0 ? TX_TIME
              : strcmp(type, "DURATION") == 0 ? TX_DURATION
              : strcmp(type, "SET") == 0 ? TX_SET
                                         : TX_DATE;
    char modbuf[16];
    const char *mod = field_value(f, "mod", modbuf, sizeof modbuf);
    static const char *const MODS[] = {"EARLY", "LATE", "MID", "APPROX", "START", "END", "BEFORE", "AFTER",
                                       "ON_OR_BEFORE", "ON_OR_AFTER", "LESS_THAN", "MORE_THAN", "EQUAL_OR_LESS",
                                       "EQUAL_OR_MORE", NULL};
    t->mod = NULL;
    for (int i = 0; mod && MODS[i]; i++)
        if (ascii_strcaseeq(mod, MODS[i]))
            t->mod = MODS[i];
    if (t->type == TX_DURATION) {
        resolve_duration(f, t, ref);
        t->duration_like = true;
        return true;
    }
    if (t->type == TX_SET) {
        resolve_set(f, t, ref);
        t->duration_like = true;
        return true;
    }
    char buf[64];
    const char *refv = field_value(f, "ref", buf, sizeof buf);
    if (refv && (strcmp(refv, "PRESENT_REF") == 0 || strcmp(refv, "PAST_REF") == 0 || strcmp(refv, "FUTURE_REF") == 0)) {
        str_copy(t->value, sizeof t->value, refv);
        t->grain = G_NONE;
        t->relative = true;
        if (strcmp(refv, "PRESENT_REF") == 0) /* "now": the reference itself */
            set_instant(t, ref_moment(ref), ref->has_time);
        return true;
    }

    char unitbuf[32];
    const char *unit = unit_of(f, unitbuf, sizeof unitbuf);

    /*
     * The base for relative expressions: the reference, or with point=last the last date
     * mentioned that is at least as precise as the unit ("the next day" needs a day, "that
     * year" or "the year-ago quarter" any date within a year or a quarter).
     */
    ymd base = {ref->y, ref->m, ref->d};
    bool point_latest = field_is(f, "point", "latest");
    bool point_last = point_latest || field_is(f, "point", "last");
    t->point_next = field_is(f, "point", "next");
    const timex *anchor = NULL;
    if (point_last) {
        tx_grain need = G_DAY;
        if (unit && strcmp(unit, "year") == 0)
            need = G_YEAR;
        else if (unit && strcmp(unit, "quarter") == 0)
            need = G_QUARTER;
        else if (unit && strcmp(unit, "month") == 0)
            need = G_MONTH;
        if (need >= G_DAY)
            anchor = last;
        else if (last_any && (need == G_QUARTER ? last_any->grain == G_QUARTER : last_any->grain >= need) &&
                 last_any->grain != G_WEEK)
            anchor = last_any;
        /* "On May 22, 1995 ... the following year": a day written later than the last
           stated period holds the year (or month) too */
        if (need < G_DAY && need != G_QUARTER && last && (!anchor || last->start > anchor->start))
            anchor = last;
        /* "the latest quarter" has ended */
        if (point_latest && anchor && quarter_to_come(f, anchor, ref))
            anchor = NULL;
        /* "the year-ago period" is a year before the quarter reported, not before one still
           to come ("losses through the third quarter of 1990") */
        int back = field_int(f, "rel");
        if (need == G_QUARTER && back != NONE && back < 0 && anchor && quarter_to_come(f, anchor, ref))
            anchor = last_quarter;
        if (anchor && anchor->grain >= need)
            base = (ymd){anchor->y, anchor->m, anchor->d ? anchor->d : 1};
        else if (unit && strcmp(unit, "quarter") == 0)
            base = date_add_months((ymd){ref->y, ref->m, 1}, -3); /* "the quarter": the last one reported */
    }
    int rel = field_int(f, "rel");
    int dir = field_int(f, "dir");
    bool today_ahead = false; /* a bare weekday resolved to the reference's day by a future tense */
    if (rel == NONE && point_last && dir != NONE && unit && strcmp(unit, "day") == 0) {
        /* "the day before", "the day after": a day from the last one, or from the day named
           right after it ("the day before last Tuesday"), or the day it stands beside */
        rel = dir;
        t->day_step = dir;
    }
    int weekday = field_int(f, "weekday");
    /* weekdays alone as a range ("from Monday to Friday"); with point=announced only where the
       sentence announces something, else the first weekday alone, and timex_find reads on
       from its end ("is closed Monday to Friday" names closing days, not a closure) */
    int weekday_end = field_int(f, "weekday_end");
    bool span_weekdays = weekday != NONE && weekday_end >= 1 && weekday_end <= 7;
    bool announced = false;
    if (span_weekdays && field_is(f, "point", "announced")) {
        announced = announces(f, t);
        const rule_slot *ws = rule_match_slot(f->m, "weekday");
        if (!announced && ws) {
            t->end = t->tense_end = ws->end;
            t->tense_known = false; /* the tense of the weekday alone, as the rule weekday's */
            span_weekdays = false;
        }
    }
    bool era = false;
    int year = field_year(f, &era);
    int year2 = field_int(f, "year2");
    int year_rel = field_int(f, "year_rel");
    int month = field_int(f, "month");
    int day = field_int(f, "day");
    int num = field_int(f, "num"), num2 = field_int(f, "num_end");
    int ord = field_int(f, "ord"); /* of a weekday in a month: 1 to 4, -1 the last */
    const char *season = field_value(f, "season", buf, sizeof buf);
    char qbuf[16], hbuf[32], pbuf[8];
    int quarter = field_int(f, "quarter");
    int half = field_int(f, "half");
    int decade = field_int(f, "decade");
    int century = field_int(f, "century");
    const char *holiday = field_value(f, "holiday", hbuf, sizeof hbuf);
    if (holiday && opts && opts->holidays) {
        /* the same name, another day in the article's country ("Mother's Day" in Britain,
           "Labour Day" in Canada) */
        const rule_slot *hs = rule_match_slot(f->m, "holiday");
        const char *own = hs ? rules_vocab_lookup(f->r, opts->holidays, f->text + hs->start, hs->end - hs->start) : NULL;
        if (own)
            holiday = own;
    }
    const char *pod = field_value(f, "pod", pbuf, sizeof pbuf);
    (void)qbuf;

    /* numeric dates (24/02/2024, 2/24/2024): the option decides which number is the day */
    if (num != NONE && num2 != NONE && month == NONE && day == NONE) {
        int a = num, b = num2;
        if (opts && opts->day_first) {
            day = a;
            month = b;
        } else {
            month = a;
            day = b;
        }
        if (month > 12 && day <= 12) { /* 24/02 can only be day-first */
            int x = month;
            month = day;
            day = x;
        }
    }
    if (year == NONE && year2 != NONE)
        year = two_digit_year(year2, ref->y);
    int year_hi = field_int(f, "year_hi"), year_lo = field_int(f, "year_lo");
    if (year == NONE && year_hi != NONE) /* "nineteen ninety-six", "two thousand and one" */
        year = year_hi * 100 + (year_lo == NONE ? 0 : year_lo);
    if (year == NONE && year_rel != NONE) /* "June last year", "next year's first quarter" */
        year = ref->y + year_rel;
    if (month > 12 && month <= 31 && day != NONE && day >= 1 && day <= 12) {
        int x = month; /* 2024/13/1 can only be the 13th of January */
        month = day;
        day = x;
    }
    if (month != NONE && (month < 1 || month > 12))
        return false;
    if (day != NONE && (day < 1 || day > 31))
        return false;
    if (weekday != NONE && (weekday < 1 || weekday > 7))
        weekday = NONE;
    t->explicit_year = year != NONE;

    if (year != NONE && quarter == NONE && point_last && unit && strcmp(unit, "quarter") == 0) {
        /* "the 1988 period": the quarter the story is about, in that year; after "the first
           nine months" those months, so the year.  Either is read off another mention, so it
           does not become the story's quarter ("the year-ago results" after it) */
        if (!last_quarter && !months_named_last)
            return false;
        if (!months_named_last)
            quarter = (last_quarter->m - 1) / 3 + 1;
        unit = NULL;
        t->relative = true;
    }

    bool have_date = false;
    /* where a relative expression counts from: the reference's clock when it is the base */
    bool from_ref = !point_last || !anchor;
    moment base_at = {base, from_ref && ref->has_time ? ref->hh * 3600 + ref->mm * 60 + ref->ss : 12 * 3600};
    bool keep_clock = from_ref && ref->has_time;
    bool counted = rule_match_slot(f->m, "span") || (unit && has_field(f, "n"));
    if (counted && month == NONE && day == NONE && !holiday) {
        /* a length from the base: "two days ago", "in three weeks", "1 day 21 hours ago",
           "+2 months"; the finest unit named is the grain of the value */
        tx_span sp;
        const char *small;
        if (!read_span(f, &sp, &small))
            return false;
        int sign = dir == -1 ? -1 : 1;
        t->relative = true;
        t->has_span = true;
        t->span = sp;
        t->span_dir = sign;
        /* "three days later", "a day earlier": counted from the story's last event rather than
           from the publication date, which TimeML writes as a DURATION of the count alone ("a
           year earlier", comparing results, stays a date); and "in two weeks" in a past-tense
           sentence ("the second letter in two weeks was published") is a length, not a day */
        const rule_slot *ds = rule_match_slot(f->m, "dir"), *ss = rule_match_slot(f->m, "span");
        bool finer_than_month = sp.w || sp.we || sp.d || sp.h || sp.mi || sp.s ||
                                (sp.vague && strchr("WKDhms", sp.vague_unit));
        bool narrative = ds && ss && finer_than_month &&
                         ((ds->end - ds->start == 5 && ascii_strncaseeq(f->text + ds->start, "later", 5)) ||
                          (ds->end - ds->start == 7 && ascii_strncaseeq(f->text + ds->start, "earlier", 7)));
        bool in_past = ss && !ds && tense_of(f, t) == TENSE_PAST && f->m->end - f->m->start > 3 &&
                       ascii_strncaseeq(f->text + f->m->start, "in", 2) && ascii_isspace((unsigned char)f->text[f->m->start + 2]);
        if (narrative || in_past) {
            t->type = TX_DURATION;
            t->grain = G_NONE;
            t->relative = false;
            t->duration_like = true;
            span_value(&sp, t->value, sizeof t->value);
            if (narrative)
                t->end = ss->end;
            else
                t->start = ss->start;
            tx_span use = sp;
            if (sp.vague) {
                memset(&use, 0, sizeof use);
                for (size_t i = 0; sp.estimate && i < sizeof SPAN_UNITS / sizeof *SPAN_UNITS; i++)
                    if (SPAN_UNITS[i].code == sp.vague_unit) {
                        span_add(&use, SPAN_UNITS[i].name, sp.estimate);
                        break;
                    }
            }
            if (!span_empty(&use))
                set_instant(t, moment_shift(base_at, &use, sign), keep_clock || span_has_clock(&use));
            return true;
        }
        if (sp.vague) {
            /* "a few days ago": some time before the reference */
            snprintf(t->value, sizeof t->value, "%s", sign < 0 ? "PAST_REF" : "FUTURE_REF");
            t->grain = G_NONE;
            if (sp.estimate) {
                tx_span est = {0};
                for (size_t i = 0; i < sizeof SPAN_UNITS / sizeof *SPAN_UNITS; i++)
                    if (SPAN_UNITS[i].code == sp.vague_unit) {
                        span_add(&est, SPAN_UNITS[i].name, sp.estimate);
                        break;
                    }
                set_instant(t, moment_shift(base_at, &est, sign), keep_clock || span_has_clock(&est));
            }
            return true;
        }
        bool years_only = sp.y && !sp.q && !sp.mo && !sp.w && !sp.we && !sp.d && !sp.h && !sp.mi && !sp.s;
        /* a time of day when hours, minutes or seconds were written, not when a fraction of a
           day carried into them ("in two and a half weeks" is a day) */
        bool clock_unit = strcmp(small, "hour") == 0 || strcmp(small, "minute") == 0 || strcmp(small, "second") == 0;
        if (weekday != NONE && strcmp(small, "week") == 0) {
            /* "a week on Friday": the coming Friday, then that many weeks on */
            ymd d = resolve_weekday(base, weekday, 0, true, tense_of(f, t));
            set_day(t, date_add_days(d, (int64_t)sign * 7 * sp.w));
        } else if (years_only && strcmp(small, "year") == 0 && last_quarter && !months_named_last) {
            /* "a year earlier" in a story about "the third quarter": the same quarter a year
               before, however far back the quarter was named (results stories name it once) */
            t->y = last_quarter->y + sign * sp.y;
            t->m = last_quarter->m;
            t->d = 1;
            t->grain = G_QUARTER;
        } else {
            moment at = moment_shift(base_at, &sp, sign);
            t->y = at.day.y;
            t->m = at.day.m;
            t->d = at.day.d;
            if (strcmp(small, "century") == 0) {
                t->grain = G_CENTURY;
            } else if (strcmp(small, "decade") == 0) {
                t->grain = G_DECADE;
            } else if (strcmp(small, "year") == 0) {
                t->grain = G_YEAR;
            } else if (strcmp(small, "quarter") == 0) {
                t->grain = G_QUARTER;
            } else if (strcmp(small, "month") == 0) {
                t->grain = G_MONTH;
            } else if (strcmp(small, "weekend") == 0) {
                int wd = date_weekday(at.day.y, at.day.m, at.day.d);
                ymd mon = date_add_days(at.day, 1 - wd);
                t->y = mon.y;
                t->m = mon.m;
                t->d = mon.d;
                t->grain = G_WEEK;
                snprintf(t->pod, sizeof t->pod, "WE");
            } else if (clock_unit) {
                /* "in 5 minutes", "an hour ago": from the reference's time of day (noon if it has none) */
                t->hh = (int)(at.secs / 3600);
                t->mm = (int)(at.secs / 60 % 60);
                t->ss = (int)(at.secs % 60);
                t->has_seconds = t->ss != 0 || strcmp(small, "second") == 0;
                t->has_time = true;
                t->grain = G_MINUTE;
                t->type = TX_TIME;
            } else {
                t->grain = G_DAY; /* "in two weeks", "three days ago": a day */
            }
            set_instant(t, at, keep_clock || clock_unit);
            t->inst_sec = t->inst_sec || (t->has_seconds && t->type == TX_TIME);
        }
        have_date = true;
    } else if (unit && rel != NONE && month == NONE && day == NONE && !holiday) {
        /* relative: "next week", "last month", "tomorrow" */
        int off = rel;
        t->relative = true;
        have_date = true;
        if (strcmp(unit, "workday") == 0) {
            /* "the next business day": the next Monday to Friday after the base */
            ymd d = base;
            int step = off < 0 ? -1 : 1;
            do
                d = date_add_days(d, step);
            while (date_weekday(d.y, d.m, d.d) > 5);
            set_day(t, d);
        } else if (point_last && off == 0 && strcmp(unit, "day") == 0 && last_month &&
                   (!anchor || last_month->start > anchor->start)) {
            /* "that same day" when the story last named a month ("last October"): a day of
               that month, not the day named before it */
            t->y = last_month->y;
            t->m = last_month->m;
            t->d = 1;
            t->grain = G_MONTH;
            t->day_unknown = true;
        } else if (strcmp(unit, "day") == 0 || strcmp(unit, "night") == 0) {
            set_day(t, date_add_days(base, off));
            set_instant(t, (moment){date_add_days(base, off), base_at.secs}, keep_clock);
        } else if (strcmp(unit, "week") == 0 || strcmp(unit, "fortnight") == 0 || strcmp(unit, "weekend") == 0) {
            int k = strcmp(unit, "fortnight") == 0 ? 2 : 1;
            ymd d = date_add_days(base, (int64_t)off * 7 * k);
            int wd = date_weekday(d.y, d.m, d.d);
            ymd mon = date_add_days(d, 1 - wd);
            t->y = mon.y;
            t->m = mon.m;
            t->d = mon.d;
            t->grain = G_WEEK;
            if (strcmp(unit, "weekend") == 0) {
                snprintf(t->pod, sizeof t->pod, "WE");
                /* the instant of a weekend is its Saturday; "this weekend" on a Sunday is today */
                ymd sat = date_add_days(mon, 5);
                if (off == 0 && date_to_days(d.y, d.m, d.d) > date_to_days(sat.y, sat.m, sat.d))
                    sat = d;
                set_instant(t, (moment){sat, 12 * 3600}, false);
            } else {
                /* "next week": a week on from the reference; "this week": the reference */
                set_instant(t, (moment){d, base_at.secs}, keep_clock);
            }
        } else if (strcmp(unit, "month") == 0) {
            ymd d = date_add_months(base, off);
            t->y = d.y;
            t->m = d.m;
            t->d = 1;
            t->grain = G_MONTH;
            /* "next month" keeps the reference's day; "this month" is the month's first day */
            set_instant(t, (moment){off ? d : (ymd){d.y, d.m, 1}, base_at.secs}, keep_clock);
        } else if (strcmp(unit, "quarter") == 0) {
            ymd d = date_add_months((ymd){base.y, base.m, 1}, off * 3);
            t->y = d.y;
            t->m = d.m;
            t->d = 1;
            t->grain = G_QUARTER;
            set_instant(t, (moment){off ? date_add_months(base, off * 3) : d, base_at.secs}, keep_clock);
        } else if (strcmp(unit, "year") == 0) {
            t->y = base.y + off;
            t->m = 1;
            t->d = 1;
            t->grain = G_YEAR;
            set_instant(t, (moment){off ? date_add_months(base, off * 12) : (ymd){t->y, 1, 1}, base_at.secs}, keep_clock);
        } else if (strcmp(unit, "decade") == 0) {
            t->y = base.y + off * 10;
            t->y -= ((t->y % 10) + 10) % 10;
            t->grain = G_DECADE;
        } else if (strcmp(unit, "century") == 0) {
            t->y = base.y + off * 100;
            t->grain = G_CENTURY;
        } else if (strcmp(unit, "hour") == 0 || strcmp(unit, "minute") == 0 || strcmp(unit, "second") == 0) {
            tx_span one = {0};
            span_add(&one, unit, 1);
            moment at = off ? moment_shift(base_at, &one, off) : base_at;
            set_day(t, at.day);
            t->hh = (int)(at.secs / 3600);
            t->mm = (int)(at.secs / 60 % 60);
            t->ss = (int)(at.secs % 60);
            t->has_seconds = strcmp(unit, "second") == 0;
            t->has_time = true;
            t->grain = G_MINUTE;
            t->type = TX_TIME;
        } else {
            return false;
        }
        if (weekday != NONE && t->grain == G_WEEK) {
            /* "Monday next week" */
            set_day(t, date_add_days((ymd){t->y, t->m, t->d}, weekday - 1));
            t->has_instant = false;
        }
    } else if (unit && strcmp(unit, "weekend") == 0 && month == NONE && day == NONE) {
        /* "the weekend": the one the tense points at, like a bare weekday */
        ymd sat = resolve_weekday(base, 6, 0, false, tense_of(f, t));
        ymd mon = date_add_days(sat, -5);
        t->y = mon.y;
        t->m = mon.m;
        t->d = mon.d;
        t->grain = G_WEEK;
        snprintf(t->pod, sizeof t->pod, "WE");
        t->relative = true;
        have_date = true;
    } else if (holiday) {
        int y = year != NONE ? year : NONE;
        ymd hd;
        if (y == NONE) {
            /* the nearest occurrence for the tense */
            int best = ref->y;
            int64_t bs = INT64_MAX;
            int64_t r = date_to_days(ref->y, ref->m, ref->d);
            for (int yy = ref->y - 1; yy <= ref->y + 1; yy++) {
                if (!holiday_date(holiday, yy, &hd))
                    return false;
                int64_t diff = date_to_days(hd.y, hd.m, hd.d) - r;
                int64_t sc = diff < 0 ? -diff : diff;
                /* what "will" happen on a holiday is seldom one gone by ("will begin with a
                   dawn service" on Waitangi Day, said in April), unless just gone ("will review
                   footage from the New Year's Eve celebrations", said on 3 January); a past may
                   be told of a holiday just ahead when the reference is only a guess */
                if (tense_of(f, t) == TENSE_FUTURE && diff < 0)
                    sc += diff < -45 ? 366 : 183;
                else if (tense_of(f, t) == TENSE_PAST && diff > 0)
                    sc += 183;
                if (sc < bs) {
                    bs = sc;
                    best = yy;
                }
            }
            y = best;
            t->year_inferred = true;
        }
        if (!holiday_date(holiday, y, &hd))
            return false;
        set_day(t, hd);
        have_date = true;
    } else if (month != NONE && day != NONE) {
        int y = year;
        int mend0 = field_int(f, "month_end");
        if (y != NONE && mend0 != NONE && mend0 < month)
            y--; /* "Dec 20 - Jan 5, 2014": the year is the end's */
        if (y == NONE && rel != NONE) {
            /* "last Oct. 23": the latest such day before the reference; "next May 1" the first after */
            bool before = month < ref->m || (month == ref->m && day < ref->d);
            bool after = month > ref->m || (month == ref->m && day > ref->d);
            y = rel < 0 ? (before ? ref->y : ref->y - 1) : rel > 0 ? (after ? ref->y : ref->y + 1) : ref->y;
            t->relative = true;
        } else if (y == NONE) {
            /* "The general election is Nov. 5": a day told in the present is the coming one, as
               a timetable tells it (a weekday too, below) */
            tense tn = tense_of(f, t);
            if (tn == TENSE_NONE && t->tense_present)
                tn = TENSE_FUTURE;
            y = infer_year(month, day, weekday != NONE ? weekday : 0, ref, tn, told_done(f, t, tn), &t->weekday_mismatch);
            t->year_inferred = true;
        }
        if (!date_valid(y, month, day))
            return false; /* February 30 */
        if (weekday != NONE && date_weekday(y, month, day) != weekday)
            t->weekday_mismatch = true;
        set_day(t, (ymd){y, month, day});
        if (unit && strcmp(unit, "week") == 0) {
            /* "the week of March 6": the week (Monday to Sunday) that holds the day */
            set_day(t, date_add_days((ymd){y, month, day}, 1 - date_weekday(y, month, day)));
            t->grain = G_WEEK;
        }
        have_date = true;
        int dend = field_int(f, "day_end");
        int mend = field_int(f, "month_end");
        if (dend != NONE) {
            int me = mend != NONE ? mend : month;
            int ye = y + (me < month ? 1 : 0);
            if (date_valid(ye, me, dend) && date_to_days(ye, me, dend) > date_to_days(y, month, day)) {
                t->has_end_date = true;
                t->ey = ye;
                t->em_ = me;
                t->ed = dend;
            }
        }
    } else if (month != NONE && weekday != NONE && day == NONE && (ord == -1 || (ord >= 1 && ord <= 4))) {
        /* "the first Monday in April", "the last Saturday of March" */
        int y = year;
        if (y == NONE) {
            tense tn = tense_of(f, t); /* before tense_firm, which it sets */
            y = infer_year_month(month, ref, tn, t->tense_firm, told_done(f, t, tn));
            t->year_inferred = true;
        }
        set_day(t, date_nth_weekday(y, month, weekday, ord));
        have_date = true;
    } else if (day != NONE && month == NONE && year == NONE && !unit) {
        /* "the 24th": this month, or the next if that day has passed in future tense */
        ymd d = {ref->y, ref->m, day};
        tense tn = tense_of(f, t);
        if (tn == TENSE_FUTURE && day < ref->d)
            d = date_add_months((ymd){ref->y, ref->m, 1}, 1), d.d = day;
        else if (tn == TENSE_PAST && day > ref->d)
            d = date_add_months((ymd){ref->y, ref->m, 1}, -1), d.d = day;
        if (weekday >= 1 && weekday <= 7 && (!date_valid(d.y, d.m, d.d) || date_weekday(d.y, d.m, d.d) != weekday)) {
            /* "Saturday 2nd", said on 18 October: the month whose 2nd is a Saturday, the
               nearest of last, this and next month the tense allows */
            int64_t r = date_to_days(ref->y, ref->m, ref->d), best = INT64_MAX;
            for (int k = -1; k <= 1; k++) {
                ymd c = date_add_months((ymd){ref->y, ref->m, 1}, k);
                c.d = day;
                if (!date_valid(c.y, c.m, c.d) || date_weekday(c.y, c.m, c.d) != weekday)
                    continue;
                int64_t diff = date_to_days(c.y, c.m, c.d) - r;
                if ((tn == TENSE_FUTURE && diff < 0) || (tn == TENSE_PAST && diff > 0))
                    continue;
                int64_t score = (diff < 0 ? -diff : diff) + (diff < 0); /* a tie goes ahead */
                if (score < best)
                    best = score, d = c;
            }
        }
        if (!date_valid(d.y, d.m, d.d))
            return false;
        set_day(t, d);
        t->relative = true;
        have_date = true;
    } else if (month != NONE) {
        int y = year;
        if (y == NONE && rel != NONE) {
            /* "last May": the latest May before the reference; "next May" the first after */
            if (rel < 0)
                y = month < ref->m ? ref->y : ref->y - 1;
            else if (rel > 0)
                y = month > ref->m ? ref->y : ref->y + 1;
            else
                y = ref->y;
            t->relative = true;
        } else if (y == NONE) {
            tense tn = tense_of(f, t); /* before tense_firm, which it sets */
            y = infer_year_month(month, ref, tn, t->tense_firm, told_done(f, t, tn));
            t->year_inferred = true;
        } else {
            int mend = field_int(f, "month_end");
            if (mend != NONE && mend < month)
                y--; /* "from December to May 2022": the year is May's */
        }
        t->y = y;
        t->m = month;
        t->d = 1;
        t->grain = G_MONTH;
        have_date = true;
    } else if (season) {
        static const struct {
            const char *code;
            int month;
        } seasons[] = {{"SP", 3}, {"SU", 6}, {"FA", 9}, {"WI", 12}};
        int sm = 0;
        for (size_t i = 0; i < 4; i++)
            if (ascii_strcaseeq(season, seasons[i].code))
                sm = seasons[i].month;
        if (!sm)
            return false;
        int y = year;
        if (y == NONE && rel != NONE) {
            /* "last spring" said in October is this year's; "next summer" said in February
               is this year's too (winter is named by the year of its December) */
            if (rel < 0)
                y = sm + 2 < ref->m ? ref->y : ref->y - 1;
            else if (rel > 0)
                y = sm > ref->m ? ref->y : ref->y + 1;
            else
                y = ref->y;
        } else if (y == NONE) {
            tense tn = tense_of(f, t); /* before tense_firm, which it sets */
            y = infer_year_month(sm + 1, ref, tn, t->tense_firm, told_done(f, t, tn));
            t->year_inferred = true;
        }
        t->y = y;
        t->m = sm;
        t->d = 1;
        t->grain = G_SEASON;
        have_date = true;
    } else if (quarter != NONE || half != NONE) {
        int qm = quarter != NONE ? (quarter - 1) * 3 + 1 : (half - 1) * 6 + 1;
        if (qm < 1 || qm > 12)
            return false;
        int y = year;
        if (y == NONE) {
            y = ref->y;
            /* "the fourth quarter" said in January in the past tense is last year's */
            if (tense_of(f, t) != TENSE_FUTURE && qm > ref->m)
                y = ref->y - 1;
            if (rel != NONE)
                y = ref->y + rel;
        }
        t->y = y;
        t->m = qm;
        t->d = 1;
        t->grain = quarter != NONE ? G_QUARTER : G_HALF;
        have_date = true;
    } else if (decade != NONE) {
        int dc = decade;
        if (dc < 100) /* the '90s, the nineties */
            dc = two_digit_year(dc, ref->y);
        t->y = dc - dc % 10;
        t->grain = G_DECADE;
        have_date = true;
    } else if (century != NONE) {
        t->y = (century - 1) * 100;
        t->grain = G_CENTURY;
        have_date = true;
    } else if (year != NONE) {
        if (!era && (year < 1000 || year > 2999))
            return false;
        t->y = year;
        t->m = 1;
        t->d = 1;
        t->grain = G_YEAR;
        have_date = true;
    } else if (weekday != NONE) {
        today_ahead = rel == NONE && !span_weekdays && !point_last;
        /* "next" with a weekday skips this week; "coming" and "following" do not */
        const rule_slot *rs = rule_match_slot(f->m, "rel");
        bool next_word = rs && rs->end - rs->start == 4 && ascii_strncaseeq(f->text + rs->start, "next", 4) && !point_last;
        tense wt = tense_of(f, t);
        /* "The rally is in Leeds on Friday": a weekday told in the present is the coming one, as
           a timetable tells it */
        if (wt == TENSE_NONE && t->tense_present)
            wt = TENSE_FUTURE;
        /* "What's on this weekend:\nMakers' market, Corn Exchange, Saturday 10am-3pm.": so is
           one in an item of a listing of what is to come */
        if (wt == TENSE_NONE && rel == NONE && listing_ahead(f, t))
            wt = TENSE_FUTURE;
        /* a range of weekdays is said before it starts ("Lessons run from Monday to Friday" on
           a Wednesday: the coming Monday), unless told in the past; one that is announced is
           ahead even after a perfect ("have been cancelled Monday to Friday") */
        if (span_weekdays && rel == NONE && (announced || wt != TENSE_PAST))
            wt = TENSE_FUTURE;
        /* the day of what is called off or announced, not of what it is called off for
           ("cancelled after Monday's clashes", "because of clashes on Monday") */
        if (!span_weekdays && rel == NONE && !point_last && wt != TENSE_FUTURE &&
            (called_off_now(f, t) || announced_now(f, t)) &&
            !cause_before(f, t) && (!possessive_day(f, t) || event_noun_after(f->r, f->text, possessive_day(f, t), t_sentence_end(f, t))))
            wt = TENSE_FUTURE;
        ymd d = resolve_weekday(base, weekday, rel == NONE ? 0 : (rel > 0 && next_word ? 2 : rel), rel != NONE, wt);
        ymd after;
        if (rel == NONE && !span_weekdays && !point_last && moved_to_after(f, t, last, ref, &after)) {
            int ahead = (weekday - date_weekday(after.y, after.m, after.d) + 7) % 7;
            d = date_add_days(after, ahead ? ahead : 7);
            today_ahead = false;
        }
        /* only a future the words tell, not one read into a present or a listing */
        today_ahead = today_ahead && tense_of(f, t) == TENSE_FUTURE && d.y == ref->y && d.m == ref->m && d.d == ref->d;
        t->future_today = today_ahead;
        set_day(t, d);
        t->relative = true;
        have_date = true;
    }
    /* "from Monday to Friday": the range ends on the first such weekday after its start */
    if (have_date && span_weekdays && t->grain == G_DAY &&
        !t->has_end_date) {
        ymd start = {t->y, t->m, t->d};
        int gap = (weekday_end - date_weekday(start.y, start.m, start.d) + 7) % 7;
        if (gap > 0) {
            ymd end = date_add_days(start, gap);
            t->has_end_date = true;
            t->ey = end.y;
            t->em_ = end.m;
            t->ed = end.d;
        }
    }

    /* the time of day */
    int hh, mm;
    bool had_ampm = false;
    bool past_midnight = false;
    if (read_time(f, "hour", "minute", "ampm", "pod", &hh, &mm, &had_ampm, &past_midnight)) {
        int eh, em2;
        bool end_ampm = false, ampm_from_end = false;
        /* "10 - 11 at night": the part of the day named once holds for both ends */
        const char *end_pod = has_field(f, "pod_end") ? "pod_end" : "pod";
        if (read_time(f, "hour_end", "minute_end", "ampm_end", end_pod, &eh, &em2, &end_ampm, NULL)) {
            /* "1-3pm": the end's am/pm carries to the start when that keeps the start first */
            if (!had_ampm && end_ampm && eh >= 12 && hh < 12 && hh + 12 <= eh) {
                hh += 12;
                ampm_from_end = true;
            } else if (!had_ampm && end_ampm && eh < 12 && hh <= eh) {
                ampm_from_end = true; /* "6-8 a.m.": the morning's 6, not the evening's */
            }
            /* "opens at 10 and closes at 4": with no am or pm either side, an end hour of a
               12-hour clock before the start is in the afternoon, not the next night (a
               24-hour clock writes 04:00) */
            char eb[8];
            const char *etext = field_value(f, "hour_end", eb, sizeof eb);
            if (!end_ampm && etext && etext[0] != '0' && eh >= 1 && eh < 12 && eh < hh && eh + 12 > hh)
                eh += 12; /* and "begins at 7:30 p.m. and will end around 9": the evening's 9 */
            t->has_end_time = true;
            t->eh = eh;
            t->em = em2;
        }
        char hb[8];
        const char *htext = field_value(f, "hour", hb, sizeof hb);
        /* "at 7:30" with no am or pm: a 12-hour clock that left the half of the day unsaid (a
           24-hour clock writes 07:30); the event stage may read it by the kind of event, and a
           part of the day written next to it says which half it is */
        t->ampm_guessed = !had_ampm && !ampm_from_end && !pod && hh >= 1 && hh <= 12 && htext && htext[0] != '0';
        if (t->ampm_guessed && hh <= 6 && !field_is(f, "sep", ":")) {
            /* "doors open at 6.30": announcements mean the evening; 24-hour clocks write 06:30 */
            hh += 12;
        }
        if (!have_date) {
            t->date_from_context = true;
            if (last && last->grain >= G_DAY && last->sentence == t->sentence && !last->duration_like &&
                !season_attribute_tx(f, last)) {
                t->y = last->y;
                t->m = last->m;
                t->d = last->d;
                t->anchored = true;
            } else {
                t->y = ref->y;
                t->m = ref->m;
                t->d = ref->d;
                t->relative = true;
            }
        }
        if (past_midnight) {
            ymd next = date_add_days((ymd){t->y, t->m, t->d}, 1);
            t->y = next.y;
            t->m = next.m;
            t->d = next.d;
            t->next_day = true;
        }
        t->hh = hh;
        t->mm = mm;
        int sec = field_int(f, "second");
        if (sec >= 0 && sec <= 59) {
            t->ss = sec;
            t->has_seconds = true;
        }
        t->has_time = true;
        t->grain = G_MINUTE;
        t->type = TX_TIME;
        t->has_instant = false; /* the stated time, not the reference's */
        have_date = true;
        if (today_ahead && !has_field(f, "tz"))
            gone_to_next_week(t, ref);
    } else if (pod && t->grain == G_DAY) {
        str_copy(t->pod, sizeof t->pod, pod);
        t->grain = G_POD;
        t->type = TX_TIME;
        t->has_instant = false;
    } else if (pod && !have_date) {
        /* "this morning": today's */
        t->y = ref->y;
        t->m = ref->m;
        t->d = ref->d;
        str_copy(t->pod, sizeof t->pod, pod);
        t->grain = G_POD;
        t->type = TX_TIME;
        t->relative = true;
        have_date = true;
    }
    if (!have_date)
        return false;
    if (t->grain == G_MINUTE && t->pod[0] == '\0' && pod)
        str_copy(t->pod, sizeof t->pod, pod);

    char tzbuf[64];
    const char *tz = field_value(f, "tz", tzbuf, sizeof tzbuf);
    if (tz && t->has_time) {
        if (tz[0] == '+' || tz[0] == '-') {
            int oh = 0, om = 0;
            if (sscanf(tz + 1, "%d:%d", &oh, &om) >= 1) {
                t->has_tz = true;
                t->tz_offset_min = (tz[0] == '-' ? -1 : 1) * (oh * 60 + om);
            }
        } else if (strchr(tz, '/')) {
            t->tz_zone = rule_set_value(f->m->rule, "tz") ? rule_set_value(f->m->rule, "tz") : NULL;
            if (!t->tz_zone) {
                const rule_slot *sl = rule_match_slot(f->m, "tz");
                t->tz_zone = sl ? sl->value : NULL;
            }
            t->has_tz = t->tz_zone != NULL;
        }
    }
    write_value(t);
    finish_instant(t);
    return true;
}

/* True if text[from..to) holds only spaces, commas and, if `word` is not NULL, that word once. */
/* Whether text[from, to) holds a blank line (two line breaks). */
static bool blank_line(const char *text, size_t from, size_t to)
{
    int n = 0;
    for (size_t p = from; p < to; p++)
        if (text[p] == '\n' && ++n > 1)
            return true;
    return false;
}

static bool gap_is(const char *text, size_t from, size_t to, const char *word)
{
    size_t p = from;
    /* spaces, commas, and the separators of listings and feeds ("8:23 AM · Jul 9") */
    for (;;) {
        if (p < to && (ascii_isspace((unsigned char)text[p]) || text[p] == ',' || text[p] == '|'))
            p++;
        else if (p + 1 < to && (unsigned char)text[p] == 0xC2 && (unsigned char)text[p + 1] == 0xB7) /* · */
            p += 2;
        else if (p + 2 < to && (unsigned char)text[p] == 0xE2 &&
                 (((unsigned char)text[p + 1] == 0x88 && (unsigned char)text[p + 2] == 0x99) ||  /* ∙ */
                  ((unsigned char)text[p + 1] == 0x80 && (unsigned char)text[p + 2] == 0xA2))) /* • */
            p += 3;
        else
            break;
    }
    size_t n = word ? strlen(word) : 0;
    if (word && p < to) {
        if (to - p < n || !ascii_strncaseeq(text + p, word, n))
            return false;
        p += n;
        while (p < to && ascii_isspace((unsigned char)text[p]))
            p++;
    }
    return p == to && to - from <= 6 + n;
}

/* True if t is a point an offset can be counted from: a day or finer, or "now". */
static bool offset_anchor(const timex *t)
{
    if (t->type != TX_DATE && t->type != TX_TIME)
        return false;
    if (t->grain == G_NONE)
        return strcmp(t->value, "PRESENT_REF") == 0;
    return t->grain >= G_DAY && t->grain != G_POD && !t->duration_like && !t->has_end_date && !t->has_end_time;
}

/* True if the text of t starts with a count ("2 weeks", "a week"), not with "the next", "last"
   (vocab/not_count.vocab). */
static bool starts_with_count(const rules *r, const char *text, const timex *t)
{
    size_t p = t->start, e = p;
    while (e < t->end && ascii_isalpha((unsigned char)text[e]))
        e++;
    return e == p || !rules_vocab_lookup(r, "not_count", text + p, e - p);
}

/*
 * Counts a length from the date written next to it, making one date of the two: "2 weeks
 * after yesterday", "two days before Christmas", "2 months before 02/02" (length, then
 * after/before/from, then the day), and "next Tuesday +10 days", "now + 40 minutes" (the day,
 * then a signed length).  The result keeps the day's precision, or becomes a TIME when the
 * length or the day has a clock.  Returns the new count.
 */
static size_t combine_offsets(const rules *r, const char *text, timex *tx, size_t n, const tx_ref *ref)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        if (i + 1 < n && tx[i].day_step && offset_anchor(&tx[i + 1]) && tx[i + 1].grain >= G_DAY &&
            tx[i + 1].start > tx[i].end) {
            /* "the day before last Tuesday", "the day after Christmas": a day from the one named */
            size_t p = tx[i].end;
            while (p < tx[i + 1].start && ascii_isspace((unsigned char)text[p]))
                p++;
            if (p == tx[i + 1].start) {
                timex j = tx[i + 1];
                ymd d = date_add_days((ymd){j.y, j.m, j.d}, tx[i].day_step);
                j.start = tx[i].start;
                j.rule = tx[i].rule;
                j.y = d.y;
                j.m = d.m;
                j.d = d.d;
                j.day_step = 0;
                j.has_instant = false;
                write_value(&j);
                finish_instant(&j);
                tx[w++] = j;
                i++;
                continue;
            }
        }
        if (tx[i].day_step_lost)
            continue;
        if (i + 1 < n) {
            timex *a = &tx[i], *b = &tx[i + 1];
            const timex *len = NULL, *day = NULL;
            int sign = 0;
            if (a->type == TX_DURATION && a->has_span && !a->span.vague && !a->span.workdays && offset_anchor(b) &&
                starts_with_count(r, text, a)) {
                if (gap_is(text, a->end, b->start, "after") && !gap_is(text, a->end, b->start, NULL))
                    sign = 1;
                else if (gap_is(text, a->end, b->start, "from") && !gap_is(text, a->end, b->start, NULL) &&
                         !after_word(text, 0, a->start, "for") &&
                         !(b->date_from_context && i + 2 < n && gap_is(text, b->end, tx[i + 2].start, "on")))
                    sign = 1; /* not "for five days from June 27" (a length that starts then), nor a
                                 clock whose day follows ("from 7am on June 27") */
                else if (gap_is(text, a->end, b->start, "before") && !gap_is(text, a->end, b->start, NULL))
                    sign = -1;
                len = a, day = b;
            } else if (offset_anchor(a) && b->has_span && !b->span.vague && !b->span.workdays && b->type != TX_DURATION &&
                       b->type != TX_SET && b->span_dir && b->start > a->end) {
                /* the sign stands between them: "2023-12-29 -10days" */
                size_t p = a->end, signs = 0;
                bool ok = true;
                for (; p < b->start && ok; p++) {
                    if (text[p] == '+' || text[p] == '-')
                        signs++;
                    else if (!ascii_isspace((unsigned char)text[p]))
                        ok = false;
                }
                if (ok && signs == 1)
                    sign = b->span_dir, len = b, day = a;
            }
            if (sign && len && day) {
                bool now = day->grain == G_NONE;
                moment at;
                bool with_time;
                if (now) {
                    at = ref_moment(ref);
                    with_time = ref->has_time;
                } else if (day->has_instant) {
                    at = (moment){{day->iy, day->im, day->id}, day->ih * 3600 + day->imin * 60 + day->isec};
                    with_time = day->inst_time;
                } else {
                    at = (moment){{day->y, day->m, day->d}, day->hh * 3600 + day->mm * 60 + day->ss};
                    with_time = day->has_time;
                }
                bool clock = span_has_clock(&len->span);
                if (clock && !with_time && !now) {
                    tx[w++] = tx[i]; /* "3 hours after Tuesday": no clock to count from */
                    continue;
                }
                timex j = *day;
                j.start = a->start;
                j.end = b->end;
                j.rule = len->rule;
                j.has_span = true;
                j.span = len->span;
                j.span_dir = sign;
                moment to = moment_shift(at, &len->span, sign);
                bool timed = clock || (day->has_time && !now);
                j.y = to.day.y;
                j.m = to.day.m;
                j.d = to.day.d;
                j.type = timed ? TX_TIME : TX_DATE;
                j.grain = timed ? G_MINUTE : G_DAY;
                j.has_time = timed;
                j.hh = (int)(to.secs / 3600);
                j.mm = (int)(to.secs / 60 % 60);
                j.ss = (int)(to.secs % 60);
                j.has_seconds = timed && j.ss != 0;
                j.pod[0] = '\0';
                j.relative = now || day->relative;
                j.duration_like = false;
                j.date_from_context = false;
                write_value(&j);
                set_instant(&j, to, with_time || clock);
                j.inst_sec = j.inst_sec || j.has_seconds;
                tx[w++] = j;
                i++;
                continue;
            }
        }
        tx[w++] = tx[i];
    }
    return w;
}

/*
 * Joins a bare time and the day written right next to it into one TIME: "10 p.m. Wednesday",
 * "noon Thursday", "5 p.m. EST, Nov. 9", "Jan 1 2025, 9:30", "12 July at 19:00".  TimeML
 * marks these as one expression, and the time belongs to that day rather than to the last
 * date or the reference.  A day with its part of the day is one too ("twenty to nine this
 * evening", "tonight at 8pm"), which says which half of the day a time with no am or pm is in,
 * and puts midnight and the small hours after the evening or the night on the next day
 * ("midnight tonight").  Returns the new count.
 */
static size_t join_day_and_time(const char *text, timex *tx, size_t n, const tx_ref *ref)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        if (i + 1 < n) {
            timex *a = &tx[i], *b = &tx[i + 1];
            timex *tm = NULL, *day = NULL;
            /* a day, or a day's part ("tonight", "Friday evening") */
            bool a_day = (a->type == TX_DATE && a->grain == G_DAY) || (a->type == TX_TIME && a->grain == G_POD);
            bool b_day = (b->type == TX_DATE && b->grain == G_DAY) || (b->type == TX_TIME && b->grain == G_POD);
            /* a time and the day after it, not across a blank line, where a listing's next day
               begins ("... Morton Park, 2.10pm\n\nSunday, April 7"); a day heading a listing
               and its first item's time are joined below */
            if (a->type == TX_TIME && a->date_from_context && b_day && gap_is(text, a->end, b->start, NULL) &&
                !blank_line(text, a->end, b->start))
                tm = a, day = b;
            else if (a_day && b->type == TX_TIME && b->date_from_context &&
                     (gap_is(text, a->end, b->start, NULL) || gap_is(text, a->end, b->start, "at") ||
                      gap_is(text, a->end, b->start, "after") || gap_is(text, a->end, b->start, "from") ||
                      gap_is(text, a->end, b->start, "by") || gap_is(text, a->end, b->start, "around")))
                tm = b, day = a;
            if (tm) {
                timex j = *tm;
                j.start = a->start;
                j.end = b->end;
                if (day->grain == G_POD) {
                    /* as read_time() reads an hour with its part of the day ("at twenty to
                       nine this evening"), in place of the evening guessed for a bare hour up
                       to six ("at 6.30 this morning") */
                    str_copy(j.pod, sizeof j.pod, day->pod);
                    bool late = late_pod(day->pod), midnight;
                    if (j.ampm_guessed)
                        j.hh = hour_in_pod(day->pod, j.hh > 12 ? j.hh - 12 : j.hh, &midnight);
                    j.ampm_guessed = false;
                    if (late && j.hh < 5)
                        j.next_day = true; /* "midnight tonight", "1am Friday night" */
                }
                /* "Friday at 12 at night": the midnight that ends that day */
                ymd on = date_add_days((ymd){day->y, day->m, day->d}, j.next_day ? 1 : 0);
                j.y = on.y;
                j.m = on.m;
                j.d = on.d;
                j.relative = day->relative;
                j.year_inferred = day->year_inferred;
                j.explicit_year = day->explicit_year;
                j.weekday_mismatch = day->weekday_mismatch;
                j.has_end_date = day->has_end_date; /* "22-23 Feb at 7pm" */
                j.ey = day->ey;
                j.em_ = day->em_;
                j.ed = day->ed;
                j.anchored = false;
                j.date_from_context = false;
                j.future_today = day->future_today;
                if (!j.has_tz)
                    gone_to_next_week(&j, ref);
                write_value(&j);
                j.has_instant = false;
                finish_instant(&j);
                tx[w++] = j;
                i++;
                continue;
            }
        }
        tx[w++] = tx[i];
    }
    return w;
}

/*
 * A bare time whose day comes after a parenthesis: "at 10:35 a.m. (0735 GMT) Friday", "at 4
 * in the morning (4 a.m. EDT Thursday)".  The time had no day before it in its sentence and
 * took the reference's; it takes that day instead.  Spans stay apart, as TimeML has them.
 * ("from 10am on Friday" is left to the event stage, which pairs such times with their days
 * itself.)
 */
static void date_after_parenthesis(const char *text, timex *tx, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++) {
        timex *t = &tx[i];
        const timex *d = &tx[i + 1];
        if (t->type != TX_TIME || !t->date_from_context || t->anchored || d->sentence != t->sentence ||
            d->grain < G_DAY || d->date_from_context || d->duration_like || d->start < t->end ||
            d->start - t->end > 30)
            continue;
        bool paren = false;
        for (size_t p = t->end; p < d->start && !paren; p++)
            paren = text[p] == '(';
        size_t p = t->end;
        while (p < d->start && ascii_isspace((unsigned char)text[p]))
            p++;
        if (!paren || text[p] != '(')
            continue;
        t->y = d->y;
        t->m = d->m;
        t->d = d->d;
        t->relative = d->relative;
        t->date_from_context = false;
        write_value(t);
        t->has_instant = false;
        finish_instant(t);
    }
}

/*
 * The order of numeric dates the document itself shows: a date such as 25/12/2023 can only be
 * day-first and 12/25/2023 only month-first.  Returns 1 for day-first, -1 for month-first, 0
 * when the document has no such date (or has both).
 */
static int document_date_order(const char *text, size_t len)
{
    int day_first = 0, month_first = 0;
    for (size_t p = 0; p + 5 <= len; p++) {
#if defined(__SSE2__)
        /* prose is mostly letters: sixteen bytes at a time up to the next digit */
        while (p + 21 <= len) {
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(text + p));
            __m128i digit = _mm_cmplt_epi8(_mm_add_epi8(x, _mm_set1_epi8((char)(0x80 - '0'))),
                                           _mm_set1_epi8((char)(-128 + 10)));
            unsigned mask = (unsigned)_mm_movemask_epi8(digit);
            if (mask) {
                p += (size_t)__builtin_ctz(mask);
                break;
            }
            p += 16;
        }
#elif defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        /* prose is mostly letters: eight bytes at a time up to the next that may be a digit
           (a word with a byte 0x30-0x3f or a non-ASCII one stops; the test below decides) */
        while (p + 13 <= len) {
            uint64_t x, m = 0x7f7f7f7f7f7f7f7fULL;
            memcpy(&x, text + p, 8);
            uint64_t y = (x & m) ^ 0x3030303030303030ULL; /* a digit's top bits become 0 */
            if ((((y & 0x7070707070707070ULL) + m) & ~x & 0x8080808080808080ULL) != 0x8080808080808080ULL)
                break;
            p += 8;
        }
#endif
        if (!ascii_isdigit((unsigned char)text[p]) || (p > 0 && (ascii_isdigit((unsigned char)text[p - 1]) ||
                                                                   strchr("/.-", text[p - 1]))))
            continue;
        size_t q = p;
        int a = 0, b = 0, na = 0, nb = 0;
        while (q < len && ascii_isdigit((unsigned char)text[q]) && na < 3)
            a = a * 10 + (text[q++] - '0'), na++;
        if (na > 2 || q >= len || (text[q] != '/' && text[q] != '-' && text[q] != '.'))
            continue;
        char sep = text[q++];
        while (q < len && ascii_isdigit((unsigned char)text[q]) && nb < 3)
            b = b * 10 + (text[q++] - '0'), nb++;
        if (nb == 0 || nb > 2 || q >= len || text[q] != sep || q + 1 >= len || !ascii_isdigit((unsigned char)text[q + 1]))
            continue;
        if (a > 12 && a <= 31 && b >= 1 && b <= 12)
            day_first++;
        else if (b > 12 && b <= 31 && a >= 1 && a <= 12)
            month_first++;
    }
    return day_first && !month_first ? 1 : month_first && !day_first ? -1 : 0;
}

timex *timex_find(const rules *r, rule_scanner *s, const article *a, cue_set *cues,
                  const tx_ref *ref, const timex_opts *opts_in, arena *ar, size_t *n)
{
    /* the document's own unambiguous numeric dates decide the order of its ambiguous ones */
    timex_opts local = opts_in ? *opts_in : (timex_opts){0};
    int order = document_date_order(a->text, a->len);
    if (order)
        local.day_first = order > 0;
    const timex_opts *opts = &local;
    size_t cap = 16, count = 0;
    timex *out = arena_alloc(ar, cap * sizeof *out);
    rule_match m;
    size_t from = 0;
    const timex *last_date = NULL; /* the last day (or finer) mentioned: "the next day" */
    const timex *last_any = NULL;  /* the last stated period (year to month): "the quarter" */
    const timex *last_quarter = NULL; /* the last quarter named: "a year earlier" */
    const timex *last_month = NULL;   /* the last month named, "last October" too: "that same day" */
    /* where the last "the nine months" (a run of months a results story reports) began: after
       it, "a year earlier" compares those months, a year, not the last quarter */
    size_t months_at = (size_t)-1;
    size_t cut = opts->cut ? opts->cut : a->len;
    while (rule_scan_next(s, RK_TIMEX, a->text, a->len, from, &m) && m.start < cut) {
        from = m.end;
        if (strcmp(rule_type(m.rule), "NONE") == 0)
            continue; /* a negative rule: it consumed text that is not a temporal expression */
        if (count == cap) {
            const timex *bigger_old = out;
            out = arena_grow(ar, out, count, &cap, sizeof *out);
            /* the anchors point into the old array: find them again in the new one */
            if (last_date)
                last_date = &out[last_date - bigger_old];
            if (last_any)
                last_any = &out[last_any - bigger_old];
            if (last_quarter)
                last_quarter = &out[last_quarter - bigger_old];
            if (last_month)
                last_month = &out[last_month - bigger_old];
        }
        timex *t = &out[count];
        memset(t, 0, sizeof *t);
        t->start = m.start;
        t->end = m.end;
        t->rule = m.rule;
        t->sentence = a->nsentences ? article_sentence_at(a, m.start) : 0;
        t->tense_at = m.start;
        t->tense_end = m.end;
        /* "until 9 a.m. Tuesday": the day's lead word is the one before its time */
        t->tense_lead_at = m.start;
        if (count > 0 && out[count - 1].type == TX_TIME && out[count - 1].end <= m.start &&
            gap_is(a->text, out[count - 1].end, m.start, NULL))
            t->tense_lead_at = out[count - 1].start;
        fields f = {r, &m, a->text, a, cues};
        bool months_last = months_at != (size_t)-1 && (!last_quarter || months_at > last_quarter->start);
        if (!resolve(&f, t, ref, last_date, last_any, last_month, last_quarter, months_last, opts))
            continue;
        if (t->end < m.end && field_is(&f, "point", "announced"))
            from = t->end; /* a range cut to its first weekday: the rest is read again */
        bool object_follows =
            t->day_step && t->end + 1 < a->len && a->text[t->end] == ' ' && ascii_isalpha((unsigned char)a->text[t->end + 1]);
        /* "the day after the inauguration" in a story that has named no day: a day nobody can
           count, unless a date follows ("the day after Christmas", joined later) */
        t->day_step_lost = object_follows && !last_date;
        if (object_follows && count > 0 && out[count - 1].grain >= G_DAY && out[count - 1].end < t->start &&
            a->text[out[count - 1].end] == ',' && gap_is(a->text, out[count - 1].end, t->start, NULL)) {
            /* "on Oct. 12, the day before the crash": the day beside it, before an event */
            const timex *d = &out[count - 1];
            t->y = d->y;
            t->m = d->m;
            t->d = d->d;
            t->grain = G_DAY;
            t->has_instant = false;
            write_value(t);
            finish_instant(t);
        }
        if (t->type == TX_DURATION && t->has_span && t->span.mo > 0 && !t->span.y && !t->span.q && !t->span.w &&
            !t->span.d && ((m.end - m.start > 4 && ascii_strncaseeq(a->text + m.start, "the ", 4)) ||
                           (m.start >= 4 && ascii_strncaseeq(a->text + m.start - 4, "the ", 4))))
            months_at = t->start;
        if (count > 0 && out[count - 1].point_next && out[count - 1].sentence == t->sentence && t->grain >= G_DAY &&
            t->start >= out[count - 1].end && t->start - out[count - 1].end <= 12) {
            /* "the quarter ended Sept. 30": the quarter that date closes */
            timex *q = &out[count - 1];
            q->y = t->y;
            q->m = (t->m - 1) / 3 * 3 + 1;
            q->d = 1;
            q->relative = t->relative;
            write_value(q);
            q->has_instant = false;
            finish_instant(q);
        }
        if (t->type == TX_DATE || t->type == TX_TIME) {
            if (t->grain >= G_DAY && !t->anchored && !t->date_from_context)
                last_date = t;
            if (t->grain != G_NONE && t->grain < G_DAY && !t->relative)
                last_any = t; /* a stated period, for "the quarter" and "that year" */
            if (t->grain == G_QUARTER && !t->relative && !quarter_to_come(&f, t, ref))
                last_quarter = t;
            if (t->grain == G_MONTH && !t->day_unknown)
                last_month = t;
        }
        count++;
    }
    count = combine_offsets(r, a->text, out, count, ref);
    *n = join_day_and_time(a->text, out, count, ref);
    date_after_parenthesis(a->text, out, *n);
    return out;
}

/* The end of the first line with text that starts at or after `p` (len at the end). */
static size_t next_line_end(const char *text, size_t len, size_t p)
{
    while (p < len && ascii_isspace((unsigned char)text[p]))
        p++;
    while (p < len && text[p] != '\n')
        p++;
    return p;
}

/* Reads the list of bare day numbers at `p` after a day (", 9 and 17."): their values into days
   (at most 31); returns how many, 0 when the text there is no such list. */
static size_t list_days_after(const char *text, size_t len, size_t p, const timex *day, size_t limit, int *days)
{
    size_t nd = 0;
    bool joined = false; /* the last number came after "and" or "or" */
    while (p < limit && nd < 31) {
        size_t q = p;
        bool sep = false, conj = false;
        for (;;) {
            while (q < limit && text[q] == ' ')
                q++;
            if (q < limit && text[q] == ',') {
                q++;
                sep = true;
            } else if (q + 4 <= limit && strncmp(text + q, "and ", 4) == 0) {
                q += 3;
                sep = conj = true;
            } else if (q + 3 <= limit && strncmp(text + q, "or ", 3) == 0) {
                q += 2;
                sep = conj = true;
            } else {
                break;
            }
        }
        size_t e = q;
        int d = 0;
        while (e < limit && ascii_isdigit((unsigned char)text[e]) && e - q < 3)
            d = d * 10 + (text[e++] - '0');
        if (!sep || e == q || e - q > 2 || (e < len && (ascii_isalnum((unsigned char)text[e]) || text[e] == '%')) ||
            (e + 1 < len && (text[e] == ',' || text[e] == '.') && ascii_isdigit((unsigned char)text[e + 1])) ||
            d < 1 || !date_valid(day->y, day->m, d))
            break;
        days[nd++] = d;
        joined = conj;
        p = e;
    }
    /* the list ends at punctuation or the end of the text, its last number after "and"/"or";
       not before a year, which the first day was read without ("August 6 and 9, 1945") */
    if (!nd || !joined || (p < len && !strchr(".,;:)!?\n", text[p])))
        return 0;
    size_t y = p;
    while (y < len && (text[y] == ',' || text[y] == ' '))
        y++;
    if (y > p && y < len && ascii_isdigit((unsigned char)text[y]))
        return 0;
    return nd;
}

timex *timex_with_list_days(const char *text, size_t len, const timex *tx, size_t n, size_t *nout)
{
    size_t cap = n + 1, k = 0;
    timex *out = xmalloc(cap * sizeof *out);
    for (size_t i = 0; i < n; i++) {
        out[k++] = tx[i];
        const timex *t = &tx[i];
        /* a day whose text ends with its day number: not "April 24, 1999 and 25" */
        if (t->type != TX_DATE || t->grain != G_DAY || t->has_end_date || t->end == 0 ||
            !ascii_isdigit((unsigned char)text[t->end - 1]))
            continue;
        size_t s = t->end;
        while (s > t->start && ascii_isdigit((unsigned char)text[s - 1]))
            s--;
        if (atoi(text + s) != t->d)
            continue;
        int days[31];
        size_t limit = i + 1 < n ? tx[i + 1].start : len;
        size_t nd = list_days_after(text, len, t->end, t, limit, days);
        if (!nd)
            continue;
        cap += nd;
        out = xrealloc(out, cap * sizeof *out);
        size_t p = t->end;
        for (size_t j = 0; j < nd; j++) {
            /* find the number again for its offsets */
            while (p < limit && !ascii_isdigit((unsigned char)text[p]))
                p++;
            size_t e = p;
            while (e < limit && ascii_isdigit((unsigned char)text[e]))
                e++;
            timex d = *t;
            d.start = p;
            d.end = e;
            d.d = days[j];
            d.has_time = false;
            d.has_instant = false;
            write_value(&d);
            finish_instant(&d);
            out[k++] = d;
            p = e;
        }
    }
    *nout = k;
    return out;
}

size_t timex_cut(const char *text, size_t len, size_t needed)
{
    if (needed >= len)
        return len;
    size_t p = needed;
    while (p < len && text[p] != '\n')
        p++;
    return next_line_end(text, len, p);
}

bool timex_cut_open(const char *text, size_t len, const timex *tx, size_t n, size_t cut)
{
    if (cut >= len || n == 0)
        return false;
    size_t end = 0;
    for (size_t i = 0; i < n; i++)
        if (tx[i].end > end)
            end = tx[i].end;
    if (end >= cut)
        return true;
    /* what may stand between two expressions that post-processing reads as one: separators
       (gap_is(), with "·" and bullets), at most one word ("at", "after", "from"), or a sign
       ("2023-12-29 -10days") */
    size_t p = end;
    for (int part = 0; part < 3 && p < cut; part++) {
        if (part == 1) {
            while (p < cut && ascii_isalpha((unsigned char)text[p]))
                p++;
            continue;
        }
        while (p < cut && (ascii_isspace((unsigned char)text[p]) || (text[p] && strchr(",|+-", text[p])) ||
                           (unsigned char)text[p] >= 0x80))
            p++;
    }
    return p >= cut;
}

const char *timex_zone_holidays(const rules *r, const char *zone)
{
    const char *v = rules_zone_lookup(r, "zone_holidays", zone);
    return v && rules_has_vocab(r, v) ? v : NULL;
}

bool timex_zone_day_first(const char *zone)
{
    if (!zone)
        return false;
    /* where 4/3 is April 3: the United States and Canada (America/), the Philippines, and
       East Asia (which writes years first, and month before day) */
    static const char *const day_first_americas[] = {
        "America/Argentina/", "America/Asuncion", "America/Bogota", "America/Caracas", "America/Guayaquil",
        "America/La_Paz", "America/Lima", "America/Mexico_City", "America/Montevideo", "America/Santiago",
        "America/Sao_Paulo", "America/Havana", "America/Guatemala", "America/Cancun", "America/Monterrey",
        NULL,
    };
    for (int i = 0; day_first_americas[i]; i++)
        if (strncmp(zone, day_first_americas[i], strlen(day_first_americas[i])) == 0)
            return true;
    static const char *const month_first_asia[] = {"Asia/Manila", "Asia/Tokyo", "Asia/Seoul", "Asia/Shanghai",
                                                    "Asia/Taipei", "Asia/Chongqing", "Asia/Harbin", NULL};
    for (int i = 0; month_first_asia[i]; i++)
        if (strcmp(zone, month_first_asia[i]) == 0)
            return false;
    static const char *const day_first[] = {"Europe/", "Africa/", "Asia/", "Australia/", "Indian/", "Atlantic/",
                                            "Pacific/Auckland", "Pacific/Fiji", "GB", "Eire", "NZ", NULL};
    for (int i = 0; day_first[i]; i++)
        if (strncmp(zone, day_first[i], strlen(day_first[i])) == 0)
            return true;
    return false;
}

#include "place.h"

#include <stdlib.h>
#include <string.h>

/* Copies a slot's text, dropping a leading article and collapsing whitespace. */
static const char *clean_name(arena *ar, const char *s, size_t n)
{
    while (n && ascii_isspace((unsigned char)*s))
        s++, n--;
    if (n > 4 && ascii_strncaseeq(s, "the ", 4))
        s += 4, n -= 4;
    while (n && (ascii_isspace((unsigned char)s[n - 1]) || s[n - 1] == ',' || s[n - 1] == '.'))
        n--;
    char *out = arena_alloc(ar, n + 1);
    size_t k = 0;
    bool space = false;
    for (size_t i = 0; i < n; i++) {
        if (ascii_isspace((unsigned char)s[i])) {
            space = k > 0;
            continue;
        }
        if (space)
            out[k++] = ' ';
        space = false;
        out[k++] = s[i];
    }
    out[k] = '\0';
    return out;
}

/*
 * A name written in capitals ("PRESTONSBURG", "NEW YORK", as datelines do) in title case; any
 * other name is returned as it is.  The result is in the arena (or is `s`).
 */
static const char *title_case(arena *ar, const char *s)
{
    size_t n = strlen(s), letters = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] >= 'a' && s[i] <= 'z')
            return s;
        letters += s[i] >= 'A' && s[i] <= 'Z';
    }
    if (letters < 2)
        return s;
    char *out = arena_alloc(ar, n + 1);
    for (size_t i = 0; i <= n; i++) {
        bool first = i == 0 || s[i - 1] == ' ' || s[i - 1] == '-';
        out[i] = (char)(!first && s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
    }
    return out;
}

/*
 * The length of the slot text[s0..s1) cut back to the end of the sentence its match starts in
 * (at `from`): a name never runs on into the next sentence or line ("the University of
 * Manchester.\nNoon: ..." is a name and the first word of the next entry).  0 when nothing of
 * the slot is left in that sentence.
 */
static size_t slot_len(const article *a, size_t from, size_t s0, size_t s1)
{
    size_t e = s1;
    if (a->nsentences) {
        size_t se = a->sentences[article_sentence_at(a, from)].end;
        if (se > from && se < e)
            e = se;
    }
    return e > s0 ? e - s0 : 0;
}

/* True if what follows text[p] (a town after a place) ends the place: a line's end, a
   punctuation mark, or a comma before a word in lower case ("North Parade, Bath, at noon"),
   not a word or a capital that goes on with a list ("Gateshead, Sunderland and Newcastle",
   "Gateshead, Sunderland, Newcastle"). */
static bool closes_place(const char *text, size_t len, size_t p)
{
    while (p < len && (text[p] == ' ' || text[p] == '\t'))
        p++;
    if (p >= len || text[p] == '\n' || text[p] == '\r')
        return true;
    if (text[p] != ',')
        return text[p] == '.' || text[p] == ';' || text[p] == ':' || text[p] == '!' || text[p] == '?' || text[p] == ')';
    p++;
    while (p < len && (text[p] == ' ' || text[p] == '\t'))
        p++;
    return p >= len || !(text[p] >= 'A' && text[p] <= 'Z');
}

/* A town the locality vocabulary does not know, after a venue: ", Ludlow" at text[from], one
   capitalised word that is no weekday, month or word of vocab/not_place, then the place's end
   (closes_place()) or a word of vocab/town_next ("the Corn Exchange, Ludlow on 14 March").
   Its name in the arena, *end past it; NULL when what follows reads otherwise ("the Town
   Hall, Smith said"). */
static const char *town_guess_after(arena *ar, const rules *r, const article *a, size_t from, size_t *end)
{
    const char *t = a->text;
    size_t k = from;
    while (k < a->len && t[k] == ' ')
        k++;
    if (k >= a->len || t[k] != ',')
        return NULL;
    k++;
    while (k < a->len && t[k] == ' ')
        k++;
    size_t q = k;
    while (q < a->len && ascii_isalpha((unsigned char)t[q]))
        q++;
    if (q - k < 3 || !(t[k] >= 'A' && t[k] <= 'Z') || !(t[k + 1] >= 'a' && t[k + 1] <= 'z'))
        return NULL;
    if (q < a->len && (t[q] == '-' || t[q] == '\'' || (unsigned char)t[q] >= 0x80))
        return NULL; /* "Smith's", "Stratford-upon-Avon": more than one word to guess */
    static const char *const not[] = {"not_place", "weekday", "month", "tense"};
    for (size_t i = 0; i < sizeof not / sizeof *not; i++)
        if (rules_vocab_lookup(r, not[i], t + k, q - k))
            return NULL;
    bool ok = closes_place(t, a->len, q);
    if (!ok && q < a->len && t[q] == ' ') {
        size_t ws = q + 1, we = ws;
        while (we < a->len && ascii_isalpha((unsigned char)t[we]))
            we++;
        ok = we > ws && (rules_vocab_lookup(r, "town_next", t + ws, we - ws) ||
                         rules_vocab_lookup(r, "weekday", t + ws, we - ws) ||
                         rules_vocab_lookup(r, "month", t + ws, we - ws));
    }
    if (!ok)
        return NULL;
    *end = q;
    return clean_name(ar, t + k, q - k);
}

/*
 * The town written after a place and a comma ("Victoria Square, Bolton"), or with `in` also
 * after the word "in" ("parliament in Athens"): one to three capitalised words that the
 * locality vocabulary knows, longest first.  Returns the vocabulary's spelling and moves *end
 * past the town, or returns NULL; *named (may be NULL) says whether capitalised words followed
 * "in" at all, known or not.  (The place rules once matched this themselves, but an
 * alternation of every town in five rules made the combined pattern too large for PCRE2.)
 */
static const char *town_after(const rules *r, const article *a, size_t from, bool in, size_t *end, bool *named)
{
    const char *t = a->text;
    size_t k = from;
    if (named)
        *named = false;
    while (k < a->len && t[k] == ' ')
        k++;
    bool after_in = false;
    if (k < a->len && t[k] == ',') {
        k++;
    } else if (in && k + 3 <= a->len && t[k] == 'i' && t[k + 1] == 'n' && t[k + 2] == ' ') {
        k += 3;
        after_in = true;
    } else {
        return NULL;
    }
    while (k < a->len && (t[k] == ' ' || t[k] == '\t'))
        k++;
    /* after a comma a capitalised word is as often the next clause's ("the House of Commons,
       Mr Logan said") */
    if (named && after_in && k < a->len && t[k] >= 'A' && t[k] <= 'Z') {
        size_t q = k;
        while (q < a->len && ascii_isalpha((unsigned char)t[q]))
            q++;
        /* "in Parliament in June" names a time, not a town */
        *named = !rules_vocab_lookup(r, "month", t + k, q - k) && !rules_vocab_lookup(r, "weekday", t + k, q - k);
    }
    size_t w[3], nw = 0, p = k;
    while (nw < 3 && p < a->len && t[p] >= 'A' && t[p] <= 'Z') {
        size_t q = p;
        while (q < a->len && (ascii_isalpha((unsigned char)t[q]) || t[q] == '-' || t[q] == '\'' || t[q] == '.'))
            q++;
        while (q > p && t[q - 1] == '.')
            q--; /* "Bolton." ends a sentence */
        w[nw++] = q;
        if (q >= a->len || t[q] != ' ')
            break;
        p = q + 1;
    }
    for (size_t i = nw; i-- > 0;) {
        const char *v = rules_vocab_lookup(r, "locality", t + k, w[i] - k);
        if (v) {
            *end = w[i];
            return v;
        }
    }
    return NULL;
}


/*
 * A street written after a venue and a comma, before its town: ", Church Street" in "the Red
 * Lion, Church Street, Ashbourne".  One to three capitalised words, the last of
 * vocab/street_suffix, then another comma.  Its first byte in *s0 and its end returned (the
 * comma after it is the town's); 0 when what follows is no such street.
 */
static size_t street_after(const rules *r, const article *a, size_t from, size_t *s0)
{
    const char *t = a->text;
    size_t k = from;
    while (k < a->len && t[k] == ' ')
        k++;
    if (k >= a->len || t[k] != ',')
        return 0;
    k++;
    while (k < a->len && t[k] == ' ')
        k++;
    *s0 = k;
    for (int words = 0; words < 3 && k < a->len && t[k] >= 'A' && t[k] <= 'Z'; words++) {
        size_t q = k;
        while (q < a->len && (ascii_isalpha((unsigned char)t[q]) || t[q] == '\'' || t[q] == '.'))
            q++;
        if (words > 0 && rules_vocab_lookup(r, "street_suffix", t + k, q - k)) {
            size_t c = q;
            while (c < a->len && t[c] == ' ')
                c++;
            return c < a->len && t[c] == ',' ? q : 0;
        }
        if (q >= a->len || t[q] != ' ')
            return 0;
        k = q + 1;
    }
    return 0;
}

/*
 * The town a venue's own name starts with, when the rest of the name is a head of
 * vocab/town_venue: "Cardiff Castle" is in Cardiff, "Newcastle upon Tyne Crown Court" in
 * Newcastle upon Tyne, whatever other town the article names.  The locality vocabulary's
 * spelling, or NULL.  "London Road" and "Leicester Square" are not: their heads are not there.
 */
static const char *town_in_name(const rules *r, const char *name)
{
    /* "Sheffield's Peace Gardens": a town's possessive that opens the name is its town */
    size_t w0 = 0;
    while (name[w0] && name[w0] != ' ')
        w0++;
    size_t stem = w0 >= 3 && name[w0 - 2] == '\'' && name[w0 - 1] == 's'   ? w0 - 2
                  : w0 >= 5 && memcmp(name + w0 - 4, "\xE2\x80\x99s", 4) == 0 ? w0 - 4
                                                                            : 0;
    const char *own = stem && name[w0] ? rules_vocab_lookup(r, "locality", name, stem) : NULL;
    if (own)
        return own;
    const char *best = NULL;
    for (size_t e = 0, words = 0; name[e] && words < 4; words++) {
        while (name[e] && name[e] != ' ')
            e++;
        if (!name[e])
            break;
        /* the longest town that leaves a head: "Newcastle upon Tyne", not "Newcastle" */
        const char *town = rules_vocab_lookup(r, "locality", name, e);
        const char *rest = name + e + 1;
        const char *kind = town ? rules_vocab_lookup(r, "name_town", name, e) : NULL;
        if (town && !(kind && strcmp(kind, "name") == 0) && rules_vocab_lookup(r, "town_venue", rest, strlen(rest)))
            best = town;
        e++;
    }
    return best;
}

/* Whether the word before `at` is one of vocab/place_not_after ("killed [in Gaza]"). */
static bool after_told_of(const rules *r, const char *t, size_t at)
{
    size_t ws, we;
    ascii_word_before(t, 0, at, &ws, &we);
    return ws < we && rules_vocab_lookup(r, "place_not_after", t + ws, we - ws);
}

enum { SEAT_REACH = 200 };

/* Whether text[p..s1) starts with a word (or two) of vocab/seat_member, after any spaces. */
static bool member_at(const rules *r, const char *text, size_t p, size_t s1)
{
    while (p < s1 && text[p] == ' ')
        p++;
    size_t e1 = p;
    while (e1 < s1 && ascii_isalpha((unsigned char)text[e1]))
        e1++;
    if (e1 == p)
        return false;
    for (size_t e = e1, w = 0; w < 3 && e < s1; w++) { /* "members of parliament" */
        if (text[e] != ' ')
            break;
        size_t f = e + 1;
        while (f < s1 && ascii_isalpha((unsigned char)text[f]))
            f++;
        if (f == e + 1)
            break;
        if (rules_vocab_lookup(r, "seat_member", text + p, f - p))
            return true;
        e = f;
    }
    return rules_vocab_lookup(r, "seat_member", text + p, e1 - p) != NULL;
}

/* Whether town is where a country's national institutions sit (a value of vocab/nationality):
   "Parliament | Westminster" is a guess of whose parliament, "Leeds Castle | Maidstone" no
   guess at all. */
static bool national_seat(const rules *r, const char *town)
{
    const rules_vocab *v = rules_vocab_get(r, "nationality");
    for (size_t i = 0; i < rules_vocab_size(v); i++) {
        const char *ph = rules_vocab_phrase(v, i), *val = rules_vocab_find(v, ph, strlen(ph));
        if (val && ascii_strcaseeq(val, town))
            return true;
    }
    return false;
}

/* Whether a venue's name is a chamber that every country has one of (a word of
   vocab/seat_member: "Parliament", "the Senate"), not "the White House" or "Downing Street". */
static bool chamber(const rules *r, const char *name)
{
    if (ascii_strncaseeq(name, "the ", 4))
        name += 4;
    return rules_vocab_lookup(r, "seat_member", name, strlen(name)) != NULL;
}

/*
 * Whose members or chamber text[s0..s1) speaks of ("Kenyan MPs", "Kenya's parliament": a word
 * of vocab/nationality before one of vocab/seat_member): 1 when of a country whose
 * institutions sit in `seat`, -1 when only of others, 0 when of none.  A country named
 * otherwise may be only the subject ("MPs will debate the Indian trade deal in Parliament").
 * Capitalised words only: "turkey" and "china" are other things.
 */
static int seat_named(const rules *r, const char *text, size_t s0, size_t s1, const char *seat)
{
    bool other = false;
    for (size_t i = s0; i < s1; i++) {
        if (!(text[i] >= 'A' && text[i] <= 'Z') || (i > s0 && ascii_isalpha((unsigned char)text[i - 1])))
            continue;
        /* one word, or two ("South African", "New Zealand"), the longer first */
        size_t e1 = i;
        while (e1 < s1 && ascii_isalpha((unsigned char)text[e1]))
            e1++;
        size_t e2 = e1;
        if (e1 + 1 < s1 && text[e1] == ' ' && text[e1 + 1] >= 'A' && text[e1 + 1] <= 'Z') {
            e2 = e1 + 1;
            while (e2 < s1 && ascii_isalpha((unsigned char)text[e2]))
                e2++;
        }
        const char *v = e2 > e1 ? rules_vocab_lookup(r, "nationality", text + i, e2 - i) : NULL;
        size_t end = v ? e2 : e1;
        if (!v)
            v = rules_vocab_lookup(r, "nationality", text + i, e1 - i);
        if (v) {
            size_t q = end + (end < s1 ? possessive_len(text + end, s1 - end) : 0); /* "Kenya's" */
            if (member_at(r, text, q, s1)) {
                if (ascii_strcaseeq(v, seat))
                    return 1;
                other = true;
            }
        }
        i = e1;
    }
    return other ? -1 : 0;
}

/* True if a word of the name is a place head ("University of Manchester", "Queens Park"). */
static bool has_head(const rules *r, const char *name)
{
    for (const char *w = name; *w;) {
        size_t n = 0;
        while (w[n] && w[n] != ' ')
            n++;
        if (n && rules_vocab_lookup(r, "place_head", w, n))
            return true;
        w += n;
        while (*w == ' ')
            w++;
    }
    return false;
}

place *places_find(const rules *r, rule_scanner *s, const article *a, const char *home_seat, arena *ar, size_t *n)
{
    size_t cap = 16, count = 0;
    place *out = arena_alloc(ar, cap * sizeof *out);
    rule_match m;
    size_t from = 0;
    while (rule_scan_next(s, RK_PLACE, a->text, a->len, from, &m)) {
        from = m.end;
        /* a match that runs past its sentence's end ("on Saturday.\n\nYork's Christmas market")
           is cut there below; the next sentence's own places are still looked for */
        if (a->nsentences) {
            size_t se = a->sentences[article_sentence_at(a, m.start)].end;
            if (se > m.start && se < m.end)
                from = se;
        }
        if (strcmp(rule_type(m.rule), "NONE") == 0)
            continue;
        const rule_slot *name = rule_match_slot(&m, "name");
        const rule_slot *loc = rule_match_slot(&m, "locality");
        if (!name && !loc)
            continue;
        /* a bare dateline ("LEEDS - ...") is a town only if the vocabulary knows it */
        bool dateline = strcmp(rule_type(m.rule), "dateline") == 0;
        if (dateline && (!loc || !loc->value))
            continue;
        /* a town's or a venue's possessive is the place of the event it names only
           ("Manchester's Pride parade", "Calder High School's open evening") */
        bool venue_possessive = strcmp(rule_type(m.rule), "venue_possessive") == 0;
        bool possessive = venue_possessive || strcmp(rule_type(m.rule), "possessive") == 0;
        out = arena_grow(ar, out, count, &cap, sizeof *out);
        place *p = &out[count++];
        *p = (place){0}; /* the slot of a place dropped below may be reused */
        p->start = m.start;
        p->end = m.end;
        p->possessive = possessive;
        p->told_of = after_told_of(r, a->text, m.start);
        p->cls = venue_possessive ? "venue" : dateline || p->possessive ? "locality" : rule_type(m.rule);
        p->rule = m.rule;
        if (name && name->value) {
            /* a known venue: the vocabulary gives its usual spelling and, after " | ", its town
               ("House of Commons | Westminster") */
            const char *bar = strstr(name->value, " | ");
            size_t nl = bar ? (size_t)(bar - name->value) : strlen(name->value);
            p->name = clean_name(ar, name->value, nl);
            /* a generic spelling ("civic centre") for a name the text capitalises ("the Civic
               Centre") takes the text's */
            size_t k = name->start + (ascii_strncaseeq(a->text + name->start, "the ", 4) ? 4 : 0);
            if (p->name[0] >= 'a' && p->name[0] <= 'z' && k < a->len && a->text[k] >= 'A' && a->text[k] <= 'Z')
                p->name = clean_name(ar, a->text + name->start, slot_len(a, m.start, name->start, name->end));
            if (bar && !loc) {
                /* "in parliament in Athens": the town written after the venue, when there is
                   one, is where it is; a capitalised name the vocabulary does not know still
                   says the vocabulary's town is not it */
                bool named;
                p->locality = town_after(r, a, m.end, true, &p->end, &named);
                const char *seat = bar + 3;
                /* the sentence may say whose parliament it is; not the headline, which in a
                   British report may well speak of another country's government.  Within
                   SEAT_REACH of the venue: a text of one endless sentence naming parliament
                   at every line must not read all of it at each */
                size_t s0 = 0, s1 = a->len;
                if (a->nsentences) {
                    const sentence *sn = &a->sentences[article_sentence_at(a, m.start)];
                    s0 = sn->start;
                    s1 = sn->end;
                }
                if (m.start > s0 + SEAT_REACH)
                    s0 = m.start - SEAT_REACH;
                if (m.end + SEAT_REACH < s1)
                    s1 = m.end + SEAT_REACH;
                /* without a word on it, the article's country says whose it is */
                int whose = seat_named(r, a->text, s0, s1, seat);
                bool abroad = whose < 0 || (whose == 0 && home_seat && !ascii_strcaseeq(home_seat, seat) &&
                                            chamber(r, p->name) && national_seat(r, seat));
                if (!p->locality && !named && !abroad) {
                    p->locality = clean_name(ar, seat, strlen(seat));
                    p->implied = true;
                }
            }
        } else if (name) {
            size_t nl = slot_len(a, m.start, name->start, name->end);
            p->name = clean_name(ar, a->text + name->start, nl);
            /* a town whose name ends in a place head ("in Hebden Bridge", "in Haywards Heath")
               is the town, not a venue in another */
            const char *town = !loc && strcmp(p->cls, "venue") == 0 && name->start + nl == name->end
                                   ? rules_vocab_lookup(r, "locality", p->name, strlen(p->name))
                                   : NULL;
            if (town) {
                p->name = NULL;
                p->locality = town;
                p->cls = "locality";
            }
            /* cut at the sentence end, a venue's name must still have its head ("on Tuesday.
               The ministry said" is no place "Tuesday"; a street needs none) */
            if (name->start + nl < name->end && strcmp(p->cls, "venue") == 0 && !has_head(r, p->name))
                p->name = NULL;
        }
        if (loc) {
            /* the vocabulary's spelling is the canonical one ("Queen's Park" for "Queens Park") */
            p->locality = loc->value ? loc->value
                                     : clean_name(ar, a->text + loc->start, slot_len(a, m.start, loc->start, loc->end));
            if (!loc->value)
                p->locality = title_case(ar, p->locality); /* a dateline's "PRESTONSBURG" */
        }
        if (!p->locality && p->name && strcmp(p->cls, "locality") != 0) {
            p->locality = town_after(r, a, m.end, false, &p->end, NULL);
            /* and a town the vocabulary does not know, after a venue or a numbered address
               ("at 14 Church Street, Ilkley, on Saturday") */
            if (!p->locality && (strcmp(p->cls, "venue") == 0 ||
                                 (strcmp(p->cls, "street") == 0 && ascii_isdigit((unsigned char)p->name[0]))))
                p->locality = town_guess_after(ar, r, a, m.end, &p->end);
            /* or after the venue's street ("the Red Lion, Church Street, Ashbourne"), which
               then belongs to its name */
            size_t st0, st1;
            if (!p->locality && strcmp(p->cls, "venue") == 0 && !rule_match_slot(&m, "street") &&
                (st1 = street_after(r, a, m.end, &st0)) != 0) {
                p->locality = town_after(r, a, st1, false, &p->end, NULL);
                if (!p->locality)
                    p->locality = town_guess_after(ar, r, a, st1, &p->end);
                if (p->locality)
                    p->name = arena_printf(ar, "%s, %s", p->name, clean_name(ar, a->text + st0, st1 - st0));
            }
            if (!p->locality && strcmp(p->cls, "street") != 0)
                p->locality = town_in_name(r, p->name);
        }
        else if (loc && !loc->value && !name && strcmp(p->cls, "locality") == 0) {
            /* a town guessed from its capital, with one the vocabulary knows after a comma, is
               a street or a square of that town ("in North Parade, Bath", "in Briggate, Leeds"),
               unless that town goes on with a list ("across Gateshead, Sunderland and
               Newcastle") */
            size_t end;
            const char *town = town_after(r, a, m.end, false, &end, NULL);
            if (town && !ascii_strcaseeq(town, p->locality) && closes_place(a->text, a->len, end)) {
                p->name = p->locality;
                p->locality = town;
                p->end = end;
                p->cls = "street";
                p->proper = true;
            }
        }
        const rule_slot *street = rule_match_slot(&m, "street");
        if (street && p->name) {
            /* "Children's Memorial Park, 4875 N 15th Pl": the address belongs to the name */
            p->name = arena_printf(ar, "%s, %s", p->name,
                                   clean_name(ar, a->text + street->start, street->end - street->start));
        }
        const rule_slot *point = rule_match_slot(&m, "point");
        if (point)
            p->end_point = point->value ? clean_name(ar, point->value, strcspn(point->value, "|"))
                                        : clean_name(ar, a->text + point->start,
                                                     slot_len(a, m.start, point->start, point->end));
        p->sentence = a->nsentences ? article_sentence_at(a, m.start) : 0;
        if (name) {
            /* as written: a vocabulary spelling ("town hall") may hide "the Town Hall" */
            size_t k = name->start;
            if (k + 4 <= a->len && ascii_strncaseeq(a->text + k, "the ", 4))
                k += 4;
            p->proper =
                k < a->len && ((a->text[k] >= 'A' && a->text[k] <= 'Z') || ascii_isdigit((unsigned char)a->text[k]));
        }
        /* what the sentence end cut away entirely is not there */
        if (p->name && !*p->name)
            p->name = NULL;
        if (p->locality && !*p->locality)
            p->locality = NULL;
        if (p->end_point && !*p->end_point)
            p->end_point = NULL;
        if (!p->name && !p->locality)
            count--;
    }
    *n = count;
    return out;
}

/*
 * A town the locality vocabulary knows, named in a headline as what it is about: "Sheffield
 * residents to discuss library closure", "Bolton: road to close".  Its name must be followed
 * by a word in lower case, a colon, a comma or a possessive, or end the headline: in "Victoria
 * Beckham opens ..." or "Washington Post says" the capitalised word after it makes it part of
 * another name.  NULL when there is none.
 */
static const char *title_town(const rules *r, const char *t)
{
    size_t n = strlen(t);
    for (size_t i = 0; i < n; i++) {
        if (!(t[i] >= 'A' && t[i] <= 'Z') || (i > 0 && (ascii_isalpha((unsigned char)t[i - 1]) || t[i - 1] == '-')))
            continue;
        /* after a capitalised word it is the end of another name ("Queen Victoria statue") */
        size_t pw = i;
        while (pw > 0 && t[pw - 1] == ' ')
            pw--;
        size_t pws = pw;
        while (pws > 0 && ascii_isalpha((unsigned char)t[pws - 1]))
            pws--;
        if (pw < i && pws < pw && t[pws] >= 'A' && t[pws] <= 'Z') {
            while (i + 1 < n && ascii_isalpha((unsigned char)t[i + 1]))
                i++;
            continue;
        }
        /* up to three words ("Milton Keynes", "Stoke-on-Trent"), the longest first */
        size_t ends[3], nw = 0;
        for (size_t q = i; nw < 3;) {
            while (q < n && (ascii_isalpha((unsigned char)t[q]) || t[q] == '-'))
                q++;
            ends[nw++] = q;
            if (q + 1 >= n || t[q] != ' ' || !(t[q + 1] >= 'A' && t[q + 1] <= 'Z'))
                break;
            q++;
        }
        for (size_t w = nw; w-- > 0;) {
            const char *v = rules_vocab_lookup(r, "locality", t + i, ends[w] - i);
            if (!v)
                continue;
            size_t e = ends[w];
            /* a possessive, "'s" or "’s", before a word in lower case ("Bolton's new
               market", not "Victoria's Secret") */
            size_t pl = possessive_len(t + e, n - e), q = e + pl;
            bool possessive = pl && (q >= n || (t[q] == ' ' && q + 1 < n && !(t[q + 1] >= 'A' && t[q + 1] <= 'Z')));
            bool alone = e >= n || t[e] == ':' || t[e] == ',' || possessive ||
                         (t[e] == ' ' && e + 1 < n && !(t[e + 1] >= 'A' && t[e + 1] <= 'Z'));
            /* a town named like a person or a word is not read from a headline alone */
            if (alone && !rules_vocab_lookup(r, "name_town", t + i, e - i))
                return v;
        }
        while (i + 1 < n && ascii_isalpha((unsigned char)t[i + 1]))
            i++;
    }
    return NULL;
}

static int cmp_locality(const void *x, const void *y)
{
    const place *a = *(const place *const *)x, *b = *(const place *const *)y;
    int c = strcmp(a->locality, b->locality);
    return c ? c : (a < b ? -1 : a > b);
}

const char *places_main_locality(const place *p, size_t n, const rules *r, rule_scanner *s, const article *a,
                                 const char *home_seat, arena *ar)
{
    /* sort the places that name a locality (by name, then position) and count each run, so a
       long article with thousands of places costs n log n, not n^2 */
    const char *best = NULL;
    int best_count = 0;
    size_t best_first = 0;
    const place **with = arena_alloc(ar, (n ? n : 1) * sizeof *with);
    size_t m = 0;
    /* a town the venue vocabulary supplies is a guess about the venue, not what the article is
       about: "presented in parliament" in a report from Colombo says nothing of Westminster;
       nor is a possessive, as often a government ("Moscow's objections") */
    for (size_t i = 0; i < n; i++)
        if (p[i].locality && !p[i].implied && !p[i].possessive && !p[i].told_of)
            with[m++] = &p[i];
    qsort(with, m, sizeof *with, cmp_locality);
    for (size_t i = 0; i < m;) {
        size_t j = i + 1;
        while (j < m && strcmp(with[j]->locality, with[i]->locality) == 0)
            j++;
        int c = (int)(j - i);
        /* a locality in the headline is what the article is about */
        if (a->title && ascii_strcasestr(a->title, with[i]->locality))
            c += 2;
        /* ties go to the locality named first, as a scan in text order would */
        size_t first = (size_t)(with[i] - p);
        if (c > best_count || (c == best_count && best && first < best_first)) {
            best_count = c;
            best = with[i]->locality;
            best_first = first;
        }
        i = j;
    }
    if (a->title && r && s && best_count < 2) {
        /* a town the headline places something in ("What's on in Bolton this weekend") that
           the text does not name as a place, only in names ("Bolton Folk Club"), outweighs a
           town the text names once, often guessed from a street ("St Peter's Church,
           Churchgate") */
        article t = {0};
        t.text = a->title;
        t.len = strlen(a->title);
        size_t k;
        place *tp = places_find(r, s, &t, home_seat, ar, &k);
        const char *any = NULL;
        for (size_t i = 0; i < k; i++) {
            if (!tp[i].locality)
                continue;
            if (!any)
                any = tp[i].locality;
            if (!tp[i].implied && !tp[i].possessive && !tp[i].told_of &&
                (!best || !ascii_strcaseeq(best, tp[i].locality))) {
                best = tp[i].locality;
                break;
            }
        }
        /* nothing in the text: any town the headline names, or one it is about without "in"
           before it */
        if (!best)
            best = any ? any : title_town(r, a->title);
    }
    return best;
}

/*
 * place: finds places ("on Queens Park", "outside the BBC", "in Bolton") with the place rules,
 * and the locality an article is about.
 *
 * Ownership: arrays and strings returned here live in the caller's arena.  Nothing prints.
 */
#ifndef EVENTCAL_PLACE_H
#define EVENTCAL_PLACE_H

#include <stdbool.h>
#include <stddef.h>

#include "article.h"
#include "rules.h"
#include "util.h"

typedef struct place {
    size_t start, end;     /* the whole match, including its preposition */
    const char *cls;       /* the place rule's type: venue, street, locality, building, ... */
    const char *name;      /* "Queens Park", "town hall steps" (a leading "the" dropped) */
    const char *locality;  /* "Bolton" when the match names one ("Queen's Park, Bolton") */
    const char *end_point; /* where a route ends ("from Queens Park to the town hall steps") */
    const rule *rule;
    size_t sentence;
    bool proper;           /* the text names it with a capital ("the Town Hall", "Queens Park"), not
                              generically ("the town hall steps", "the city's main stage") */
    bool implied;          /* the locality is the venue vocabulary's ("Parliament | Westminster"),
                              not written in the text */
    bool told_of;          /* after a word of vocab/place_not_after ("the children killed in
                              Gaza"): where something happened to someone, not where an event
                              is, nor what the article is about */
    bool possessive;       /* a town's possessive ("Manchester's Pride parade"): the place of what
                              follows it only, and no evidence of the article's town, since
                              "Washington's favoured candidate" means a government */
} place;

/*
 * The places of article a, in text order, in the arena (*n of them).  home_seat, when not NULL,
 * is the town the national institutions of the article's country sit in (vocab/zone_seat): a
 * venue whose town the vocabulary only guesses ("Parliament | Westminster") is not put there
 * when that town is another, unless its sentence says whose it is.
 */
place *places_find(const rules *r, rule_scanner *s, const article *a, const char *home_seat, arena *ar, size_t *n);

/*
 * The locality the article is about: the most often named locality, counting the title twice;
 * NULL when none is named.  The result points into the places array or the arena.
 */
const char *places_main_locality(const place *p, size_t n, const rules *r, rule_scanner *s, const article *a,
                                 const char *home_seat, arena *ar);

#endif

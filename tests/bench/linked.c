/*
 * The start-up floor: a program that does nothing, linked with the libraries eventcal is linked
 * with (libical and its ICU, libxml2, jansson, pcre2).  The dynamic loader maps and relocates
 * them before main(), in every run; the benchmark prints this beside eventcal's start-up.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <jansson.h>
#include <libical/ical.h>
#include <libxml/HTMLparser.h>
#include <pcre2.h>

int main(int argc, char **argv)
{
    (void)argv;
    /* referenced, never called: the linker keeps each library, as it does for eventcal */
    void (*volatile keep[])(void) = {
        (void (*)(void))icalcomponent_new, (void (*)(void))json_object, (void (*)(void))pcre2_compile,
        (void (*)(void))htmlReadMemory,
    };
    return argc > 99 && keep[0] == 0;
}

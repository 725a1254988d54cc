/* sentences.c - paragraph and sentence boundaries for the segment stage. */
#include "config.h"

#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sentences.h"
#include "util/scan.h"

/* Words after which a '.' does not end a sentence, lower case, of at most six bytes. */
static const char *const abbreviations[] = {
    "a.m",  "al",   "approx", "apr",  "aug", "ave",  "b.a", "blvd", "cf",  "ch",  "co",
    "corp", "dec",  "dept",   "dr",   "e.g", "ed",   "eds", "eg",   "est", "etc", "feb",
    "fig",  "gen",  "gov",    "hon",  "i.e", "ie",   "inc", "jan",  "jr",  "ltd", "m.a",
    "m.sc", "mar",  "max",    "min",  "mr",  "mrs",  "ms",  "mss",  "mt",  "no",  "nos",
    "nov",  "oct",  "p.m",    "ph.d", "pp",  "prof", "rd",  "rep",  "rev", "sec", "sen",
    "sep",  "sept", "sr",     "st",   "u.k", "u.s",  "vol", "vs",
};

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

/* Trims whitespace and reports a non-empty span. Returns the callback's result. */
static int emit(const char *text, size_t a, size_t b, span_fn fn, void *ctx)
{
    while (a < b && is_space((unsigned char)text[a]))
        a++;
    while (b > a && is_space((unsigned char)text[b - 1]))
        b--;
    return a < b ? fn(ctx, a, b) : 0;
}

/* Returns the end of the blank line run starting at i (a newline, whitespace, a
 * newline), or 0 when there is none. */
static size_t blank_line_end(const char *text, size_t i, size_t end)
{
    if (text[i] != '\n')
        return 0;
    size_t k = i + 1;
    while (k < end && text[k] != '\n' && is_space((unsigned char)text[k]))
        k++;
    return k < end && text[k] == '\n' ? k + 1 : 0;
}

int qp_split_paragraphs(const char *text, size_t start, size_t end, span_fn fn, void *ctx)
{
    size_t from = start;
    for (size_t i = start; i < end; i++) {
        size_t after = blank_line_end(text, i, end);
        if (!after)
            continue;
        int rc = emit(text, from, i, fn, ctx);
        if (rc)
            return rc;
        from = i = after;
        i--; /* the loop's i++ */
    }
    return emit(text, from, end, fn, ctx);
}

/* The abbreviations packed as words of up to eight bytes, in a table of
 * ABBREV_SLOTS by hash; built once. */
#define ABBREV_SLOTS 256
static uint64_t abbrev_table[ABBREV_SLOTS];
static pthread_once_t abbrev_once = PTHREAD_ONCE_INIT;

static uint64_t pack_word(const char *s, size_t n)
{
    uint64_t w = 0;
    memcpy(&w, s, n);
    return w;
}

static size_t abbrev_slot(uint64_t w)
{
    return (size_t)((w * 0x9e3779b97f4a7c15ull) >> 56);
}

static void build_abbreviations(void)
{
    for (size_t i = 0; i < sizeof abbreviations / sizeof abbreviations[0]; i++) {
        uint64_t w = pack_word(abbreviations[i], strlen(abbreviations[i]));
        size_t k = abbrev_slot(w);
        while (abbrev_table[k])
            k = (k + 1) % ABBREV_SLOTS;
        abbrev_table[k] = w;
    }
}

/* Returns 1 when the word ending just before text[dot] (a '.') is an abbreviation
 * or a single initial. */
static int abbreviation_before(const char *text, size_t start, size_t dot)
{
    size_t a = dot;
    while (a > start && (isalpha((unsigned char)text[a - 1]) || text[a - 1] == '.'))
        a--;
    size_t n = dot - a;
    if (n == 0 || n > 6)
        return 0;
    if (n == 1 && isupper((unsigned char)text[a]))
        return 1; /* an initial: "J. Smith" */
    char word[8];
    for (size_t i = 0; i < n; i++)
        word[i] = (char)tolower((unsigned char)text[a + i]);
    pthread_once(&abbrev_once, build_abbreviations);
    uint64_t w = pack_word(word, n);
    for (size_t k = abbrev_slot(w); abbrev_table[k]; k = (k + 1) % ABBREV_SLOTS)
        if (abbrev_table[k] == w)
            return 1;
    return 0;
}

/* Returns 1 when text[i] starts a new sentence: an upper-case letter, a digit, an
 * opening quote or bracket, or any non-ASCII letter (taken as capitalised). */
static int starts_sentence(const char *text, size_t i)
{
    unsigned char c = (unsigned char)text[i];
    return isupper(c) || isdigit(c) || c == '"' || c == '\'' || c == '(' || c == '[' || c >= 0x80;
}

/* Bytes where a sentence may end or a paragraph break may begin: '.', '!', '?',
 * a newline, and the lead byte of U+2026 (ellipsis). */
static const unsigned char interesting[] = {'.', '!', '?', '\n', 0xE2};

int qp_split_sentences(const char *text, size_t start, size_t end, span_fn fn, void *ctx)
{
    size_t from = start;
    for (size_t i = start; i < end; i++) {
        i = qp_scan_to((const unsigned char *)text, i, end, interesting, sizeof interesting, 0, 0);
        if (i >= end)
            break;
        size_t after = blank_line_end(text, i, end);
        if (after) {
            int rc = emit(text, from, i, fn, ctx);
            if (rc)
                return rc;
            from = after;
            i = after - 1;
            continue;
        }
        char c = text[i];
        int ellipsis = (c == '.' && i + 2 < end && text[i + 1] == '.' && text[i + 2] == '.') ||
                       (i + 2 < end && memcmp(text + i, "\xE2\x80\xA6", 3) == 0);
        if (ellipsis) {
            while (i + 1 < end && (text[i + 1] == '.' || (unsigned char)text[i + 1] >= 0x80))
                i++;
            continue;
        }
        if (c != '.' && c != '!' && c != '?')
            continue;
        size_t k = i + 1;
        while (k < end && (text[k] == '.' || text[k] == '!' || text[k] == '?'))
            k++;
        /* Closing quotes and brackets stay with the sentence. */
        while (k < end && (text[k] == '"' || text[k] == '\'' || text[k] == ')' || text[k] == ']' ||
                           (k + 2 < end && (memcmp(text + k, "\xE2\x80\x9D", 3) == 0 ||
                                            memcmp(text + k, "\xE2\x80\x99", 3) == 0))))
            k += (unsigned char)text[k] >= 0x80 ? 3 : 1;
        if (k < end && !is_space((unsigned char)text[k]))
            continue; /* "3.5", "U.S.A", "e.g.,": not an end */
        size_t next = k;
        while (next < end && is_space((unsigned char)text[next]))
            next++;
        if (next < end && !starts_sentence(text, next))
            continue;
        if (c == '.' && abbreviation_before(text, from, i))
            continue; /* checked last: most full stops end sentences */
        int rc = emit(text, from, k, fn, ctx);
        if (rc)
            return rc;
        from = k;
        i = k - 1;
    }
    return emit(text, from, end, fn, ctx);
}

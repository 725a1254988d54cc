/* sentences.c - paragraph and sentence boundaries for the segment stage. */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "sentences.h"

/* Words after which a '.' does not end a sentence, lower case, sorted for bsearch. */
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

static int compare_words(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
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
    word[n] = '\0';
    const char *key = word;
    return bsearch(&key, abbreviations, sizeof abbreviations / sizeof abbreviations[0],
                   sizeof abbreviations[0], compare_words) != NULL;
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
static const unsigned char interesting[256] = {
    ['.'] = 1, ['!'] = 1, ['?'] = 1, ['\n'] = 1, [0xE2] = 1,
};

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Returns the first i in [from, end) where text[i] is interesting, or end;
 * sixteen bytes at a time where SSE2 is there. */
static size_t next_interesting(const char *text, size_t from, size_t end)
{
    size_t i = from;
#ifdef __SSE2__
    const __m128i dot = _mm_set1_epi8('.'), bang = _mm_set1_epi8('!'), ask = _mm_set1_epi8('?'),
                  newline = _mm_set1_epi8('\n'), e2 = _mm_set1_epi8((char)0xE2);
    for (; i + 16 <= end; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(text + i));
        __m128i hit =
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, dot), _mm_cmpeq_epi8(v, bang)),
                         _mm_or_si128(_mm_cmpeq_epi8(v, ask), _mm_cmpeq_epi8(v, newline)));
        unsigned mask = (unsigned)_mm_movemask_epi8(_mm_or_si128(hit, _mm_cmpeq_epi8(v, e2)));
        if (mask)
            return i + (size_t)__builtin_ctz(mask);
    }
#endif
    while (i < end && !interesting[(unsigned char)text[i]])
        i++;
    return i;
}

int qp_split_sentences(const char *text, size_t start, size_t end, span_fn fn, void *ctx)
{
    size_t from = start;
    for (size_t i = start; i < end; i++) {
        i = next_interesting(text, i, end);
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

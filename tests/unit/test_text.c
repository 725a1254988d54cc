/* test_text.c - token rules, UTF-8 checks, case folding and globs. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/text.h"

/* Tokenises s and joins the tokens with '|' into out. Returns the token count. */
static size_t tokens_of(const char *s, char *out, size_t size)
{
    size_t pos = 0, start, end, n = 0;
    out[0] = '\0';
    while (qp_token_next(s, strlen(s), &pos, &start, &end)) {
        snprintf(out + strlen(out), size - strlen(out), "%s%.*s", n ? "|" : "", (int)(end - start),
                 s + start);
        n++;
    }
    return n;
}

Test(tokens, ascii_words_and_punctuation)
{
    char out[256];
    cr_assert_eq(tokens_of("We met, again... and (again)!", out, sizeof out), 5);
    cr_assert_str_eq(out, "We|met|again|and|again");
}

Test(tokens, in_word_apostrophes_and_hyphens_join)
{
    char out[256];
    tokens_of("Fellow-Citizens, we didn't co-design it - 'really' -x y- it\xE2\x80\x99s", out,
              sizeof out);
    cr_assert_str_eq(out, "Fellow-Citizens|we|didn't|co-design|it|really|x|y|it\xE2\x80\x99s");
}

Test(tokens, digits_and_unicode_letters)
{
    char out[256];
    tokens_of("In 2019 the \xC3\xA9quipe (\xE6\x9D\xB1\xE4\xBA\xAC) met 3.5 times", out,
              sizeof out);
    cr_assert_str_eq(out, "In|2019|the|\xC3\xA9quipe|\xE6\x9D\xB1\xE4\xBA\xAC|met|3|5|times");
}

Test(tokens, empty_and_separator_only_text)
{
    char out[64];
    cr_assert_eq(tokens_of("", out, sizeof out), 0);
    cr_assert_eq(tokens_of(" \n\t--- ... ''", out, sizeof out), 0);
}

Test(text_check, accepts_utf8_and_names_the_first_bad_byte)
{
    size_t at = 99;
    const char *why = NULL;
    cr_assert_eq(qp_text_check("caf\xC3\xA9 ok", 8, &at, &why), 0);
    cr_assert_eq(qp_text_check("abc\xFF"
                               "def",
                               7, &at, &why),
                 -1);
    cr_assert_eq(at, 3);
    cr_assert_str_eq(why, "invalid UTF-8");
    cr_assert_eq(qp_text_check("ab\0cd", 5, &at, &why), -1);
    cr_assert_eq(at, 2);
    cr_assert_str_eq(why, "NUL byte");
    /* A truncated multi-byte sequence at the end. */
    cr_assert_eq(qp_text_check("ab\xE2\x80", 4, &at, &why), -1);
    cr_assert_eq(at, 2);
}

Test(text_check, line_numbers)
{
    cr_assert_eq(qp_text_line_of("a\nb\nc", 4), 3);
    cr_assert_eq(qp_text_line_of("abc", 0), 1);
}

/* Returns the folded form of s (static buffer). */
static const char *fold(const char *s, int case_sensitive)
{
    static char out[256];
    qp_buf b = {0};
    cr_assert_eq(qp_fold_append(&b, s, strlen(s), case_sensitive), 0);
    snprintf(out, sizeof out, "%s", b.data);
    qp_buf_free(&b);
    return out;
}

Test(fold, ascii_and_unicode_case_folding)
{
    cr_assert_str_eq(fold("LeaDerShip", 0), "leadership");
    cr_assert_str_eq(fold("\xC3\x89"
                          "COLE",
                          0),
                     "\xC3\xA9"
                     "cole"); /* ÉCOLE -> école */
    cr_assert_str_eq(fold("Stra\xC3\x9F"
                          "e",
                          0),
                     "strasse");                                                       /* Straße */
    cr_assert_str_eq(fold("\xCE\xA3\xCE\x9F\xCE\xA6", 0), "\xCF\x83\xCE\xBF\xCF\x86"); /* ΣΟΦ */
    /* NFC: e + combining acute becomes é. */
    cr_assert_str_eq(fold("E\xCC\x81", 0), "\xC3\xA9");
    cr_assert_str_eq(fold("LeaDer", 1), "LeaDer");
}

Test(glob, star_and_question_mark)
{
    cr_assert(qp_glob_match("lead*", 5, "leadership", 10));
    cr_assert(qp_glob_match("lead*", 5, "lead", 4));
    cr_assert_not(qp_glob_match("lead*", 5, "mislead", 7));
    cr_assert(qp_glob_match("organi?ation", 12, "organisation", 12));
    cr_assert(qp_glob_match("organi?ation", 12, "organization", 12));
    cr_assert_not(qp_glob_match("organi?ation", 12, "organiation", 11));
    cr_assert(qp_glob_match("*ing", 4, "learning", 8));
    cr_assert(qp_glob_match("co*ion", 6, "collaboration", 13));
    cr_assert_not(qp_glob_match("co*ion", 6, "collaborations", 14));
    /* ? is one character, not one byte. */
    cr_assert(qp_glob_match("caf?", 4, "caf\xC3\xA9", 5));
    cr_assert_not(qp_glob_match("caf??", 5, "caf\xC3\xA9", 5));
}

/* Asserts that qp_tokens_all finds in text[0, len) exactly the tokens
 * qp_token_next finds, one at a time (spans and cap: the scratch it grows). */
static void expect_same_tokens(const char *text, size_t len, uint32_t **spans, size_t *cap,
                               int round)
{
    long n = qp_tokens_all(text, len, spans, cap);
    size_t pos = 0, start, end, k = 0;
    while (qp_token_next(text, len, &pos, &start, &end)) {
        cr_assert_lt((long)k, n, "round %d: too few tokens in \"%s\"", round, text);
        cr_assert_eq((*spans)[2 * k], start, "round %d: \"%s\" token %zu", round, text, k);
        cr_assert_eq((*spans)[2 * k + 1], end, "round %d: \"%s\" token %zu", round, text, k);
        k++;
    }
    cr_assert_eq((long)k, n, "round %d: \"%s\"", round, text);
}

/* qp_tokens_all (64 bytes at a time for ASCII text) finds exactly the tokens
 * qp_token_next does, joiners at block edges included. */
Test(text, all_tokens_at_once_match_one_at_a_time)
{
    static const char alphabet[] = "ab1Z '-.,\n";
    unsigned seed = 12345;
    uint32_t *spans = NULL;
    size_t cap = 0;
    char text[400];
    for (int round = 0; round < 3000; round++) {
        size_t len = (size_t)(round % 300);
        for (size_t i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            text[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
        }
        text[len] = '\0';
        expect_same_tokens(text, len, &spans, &cap, round);
    }
    free(spans);
}

/* The same on text where non-ASCII letters, joiners and separators fall among
 * ASCII runs, at every place relative to the 64-byte blocks and to white space. */
Test(text, all_tokens_at_once_match_one_at_a_time_in_mixed_text)
{
    static const char *const pieces[] = {"a",
                                         "b",
                                         "1",
                                         "Z",
                                         " ",
                                         "'",
                                         "-",
                                         ".",
                                         "\n",
                                         " ",
                                         "\t",
                                         "\xC3\xA9",
                                         "\xE2\x80\x99",
                                         "\xE2\x80\x94",
                                         "\xC3\x89"};
    unsigned seed = 777;
    uint32_t *spans = NULL;
    size_t cap = 0;
    char text[1400];
    for (int round = 0; round < 3000; round++) {
        size_t len = 0, pieces_wanted = (size_t)(round % 400);
        for (size_t i = 0; i < pieces_wanted; i++) {
            seed = seed * 1103515245u + 12345u;
            const char *piece = pieces[(seed >> 16) % (sizeof pieces / sizeof pieces[0])];
            memcpy(text + len, piece, strlen(piece));
            len += strlen(piece);
        }
        text[len] = '\0';
        expect_same_tokens(text, len, &spans, &cap, round);
    }
    free(spans);
}

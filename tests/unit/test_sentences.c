/* test_sentences.c - where sentences and paragraphs end, on real sentences. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "../../plugins/segment/sentences.h"

typedef struct collect {
    const char *text;
    char out[2048];
    int n;
} collect;

static int add(void *ctx, size_t start, size_t end)
{
    collect *c = ctx;
    snprintf(c->out + strlen(c->out), sizeof c->out - strlen(c->out), "%s%.*s", c->n++ ? "|" : "",
             (int)(end - start), c->text + start);
    return 0;
}

static const char *sentences(const char *text)
{
    static collect c;
    memset(&c, 0, sizeof c);
    c.text = text;
    qp_split_sentences(text, 0, strlen(text), add, &c);
    return c.out;
}

static const char *paragraphs(const char *text)
{
    static collect c;
    memset(&c, 0, sizeof c);
    c.text = text;
    qp_split_paragraphs(text, 0, strlen(text), add, &c);
    return c.out;
}

Test(sentences, ends_at_full_stops_questions_and_exclamations)
{
    cr_assert_str_eq(sentences("We met. It went well! Did it help? Yes."),
                     "We met.|It went well!|Did it help?|Yes.");
}

Test(sentences, abbreviations_and_initials_do_not_end_a_sentence)
{
    cr_assert_str_eq(sentences("Dr. Smith and Mrs. Jones came. We talked to J. Brown later."),
                     "Dr. Smith and Mrs. Jones came.|We talked to J. Brown later.");
    cr_assert_str_eq(sentences("Some tools, e.g. the screener, etc. were new. Then we stopped."),
                     "Some tools, e.g. the screener, etc. were new.|Then we stopped.");
}

Test(sentences, decimals_and_inner_dots_do_not_end_a_sentence)
{
    cr_assert_str_eq(sentences("Scores rose 3.5 points in the U.S.A. region. Good news."),
                     "Scores rose 3.5 points in the U.S.A. region.|Good news.");
}

Test(sentences, ellipses_are_pauses)
{
    cr_assert_str_eq(sentences("I was... I don't know. It was hard\xE2\x80\xA6 Really hard."),
                     "I was... I don't know.|It was hard\xE2\x80\xA6 Really hard.");
}

Test(sentences, closing_quotes_stay_with_the_sentence)
{
    cr_assert_str_eq(sentences("She said, \"we're done.\" Then she left. (It was late.) Fine."),
                     "She said, \"we're done.\"|Then she left.|(It was late.)|Fine.");
}

Test(sentences, lower_case_after_a_stop_continues)
{
    cr_assert_str_eq(sentences("It was the no. one issue. ok so then we met."),
                     "It was the no. one issue. ok so then we met.");
}

Test(sentences, blank_lines_end_sentences_and_paragraphs)
{
    cr_assert_str_eq(sentences("No stop here\n\nNew paragraph. Two"),
                     "No stop here|New paragraph.|Two");
    cr_assert_str_eq(paragraphs("One. Two.\nStill one.\n \t\nThree.\n\n\n"),
                     "One. Two.\nStill one.|Three.");
}

Test(sentences, empty_and_blank_text)
{
    cr_assert_str_eq(sentences(""), "");
    cr_assert_str_eq(sentences("  \n\n  "), "");
}

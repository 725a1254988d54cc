/* test_matcher.c - each pattern kind on real sentences, case folding, exclusions,
 * the longest-match rule within a code, and near-misses that must not code. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "codebook/codebook.h"
#include "core/doc.h"
#include "../../plugins/code/matcher.h"
#include "util/text.h"

static qp_codebook *cb;
static matcher *m;
static match_scratch *scratch;
/* Loads a codebook whose codes are given as JSON code objects. */
static void load(const char *codes_json)
{
    char json[4096];
    snprintf(json, sizeof json,
             "{\"qualpipe_codebook\":1,\"name\":\"t\",\"version\":\"1\",\"codes\":[%s]}",
             codes_json);
    qp_error err = {{0}};
    cb = qp_codebook_parse_json("t.json", json, strlen(json), &err);
    cr_assert_not_null(cb, "%s", err.message);
    m = matcher_new(cb);
    scratch = match_scratch_new(10);
    cr_assert(m && scratch);
}

static void unload(void)
{
    match_scratch_free(scratch);
    matcher_free(m);
    qp_codebook_free(cb);
}

static int add_to_doc(void *doc, const qp_hit *hit)
{
    return qp_doc_add_hit(doc, hit);
}

/* The token style of code(): qualpipe's own, or quanteda's. */
static int (*next_token)(const char *, size_t, size_t *, size_t *, size_t *) = qp_token_next;

/* Returns a document (caller frees) of text, tokenised in the style of
 * next_token, with the n units whose byte spans `units` gives. */
static qp_doc *tokenised(const char *text, const uint32_t (*units)[2], size_t n)
{
    qp_doc *doc = qp_doc_new("test");
    qp_doc_take_text(doc, strdup(text), strlen(text));
    for (size_t u = 0; u < n; u++)
        cr_assert_eq(qp_doc_add_segment(doc, units[u][0], units[u][1], NULL), QP_OK);
    size_t pos = 0, s, e;
    while (next_token(doc->text, doc->text_len, &pos, &s, &e))
        qp_doc_add_token(doc, (uint32_t)s, (uint32_t)e);
    return doc;
}

/* Codes text in the given units; returns the document (caller frees) with its hits. */
static qp_doc *code_units(const char *text, const uint32_t (*units)[2], size_t n)
{
    qp_doc *doc = tokenised(text, units, n);
    qp_error err;
    cr_assert_eq(matcher_run(m, scratch, NULL, doc, add_to_doc, doc, &err), QP_OK, "%s",
                 err.message);
    return doc;
}

/* Codes text as one unit; returns the document (caller frees) with its hits. */
static qp_doc *code(const char *text)
{
    return code_units(text, NULL, 0);
}

/* Returns "code:matched text|..." for the document's hits, in a static buffer. */
static const char *hits_of(const char *text)
{
    static char out[2048];
    qp_doc *doc = code(text);
    out[0] = '\0';
    for (size_t i = 0; i < doc->n_hits; i++)
        snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s:%.*s", i ? "|" : "",
                 doc->hits[i].code, (int)(doc->hits[i].end - doc->hits[i].start),
                 doc->text + doc->hits[i].start);
    qp_doc_free(doc);
    return out;
}

TestSuite(matcher, .fini = unload);

Test(matcher, word_matches_whole_tokens_only)
{
    load("{\"id\":\"team\",\"patterns\":[\"team\"]}");
    cr_assert_str_eq(hits_of("The team met; our TEAM grew."), "team:team|team:TEAM");
    cr_assert_str_eq(hits_of("Teamwork and steam are not a team-building word."), "");
}

Test(matcher, glob_prefix_and_inner_wildcards)
{
    load("{\"id\":\"lead\",\"patterns\":[\"lead*\"]},"
         "{\"id\":\"org\",\"patterns\":[\"organi?ation*\"]},"
         "{\"id\":\"ing\",\"patterns\":[\"*ning\"]}");
    cr_assert_str_eq(hits_of("Leaders lead; a leadership organisation, two organizations."),
                     "lead:Leaders|lead:lead|lead:leadership|org:organisation|org:organizations");
    cr_assert_str_eq(hits_of("Learning and planning, misleading"), "ing:Learning|ing:planning");
}

Test(matcher, phrase_with_glob_inside)
{
    load("{\"id\":\"data\",\"patterns\":[\"shared data\", \"free* up time\"]}");
    cr_assert_str_eq(hits_of("We had Shared   data. They freed up time, and frees up time."),
                     "data:Shared   data|data:freed up time|data:frees up time");
    /* Near-misses: words apart, or in another order. */
    cr_assert_str_eq(hits_of("Shared our data; data shared; freed some time."), "");
}

Test(matcher, phrase_ending_in_a_glob)
{
    /* The only way on from "improvement" is a glob. */
    load("{\"id\":\"plan\",\"patterns\":[\"improvement plan*\"]}");
    cr_assert_str_eq(hits_of("The improvement plan, improvement planning; an improvement."),
                     "plan:improvement plan|plan:improvement planning");
}

Test(matcher, only_tokens_wholly_inside_a_unit_are_coded)
{
    load("{\"id\":\"w\",\"patterns\":[\"alpha\", \"beta\", \"gamma\", \"delta\", \"eps\"]}");
    /* "beta" runs past the end of the first unit; "gamma" lies between units. */
    static const uint32_t units[][2] = {{0, 8}, {17, 22}, {23, 26}};
    qp_doc *doc = code_units("alpha beta gamma delta eps", units, 3);
    char out[256] = "";
    for (size_t i = 0; i < doc->n_hits; i++)
        snprintf(out + strlen(out), sizeof out - strlen(out), "%s%.*s/%u", i ? "|" : "",
                 (int)(doc->hits[i].end - doc->hits[i].start), doc->text + doc->hits[i].start,
                 doc->hits[i].segment);
    cr_assert_str_eq(out, "alpha/0|delta/1|eps/2");
    qp_doc_free(doc);
}

Test(matcher, words_and_prefixes_longer_than_a_key)
{
    /* Tokens are keyed by their first 16 bytes: longer words, and globs whose
     * literal is 8, 9, 16 or 17 bytes long, must still compare in full. */
    load("{\"id\":\"long\",\"patterns\":[\"internationalisation\", \"counterrevolutionary\"]},"
         "{\"id\":\"pre\",\"patterns\":[\"abcdefgh*\", \"abcdefghi*\", "
         "\"abcdefghijklmnop*\", \"abcdefghijklmnopq*\"]}");
    cr_assert_str_eq(hits_of("internationalisation internationalisations internationalisatio"),
                     "long:internationalisation");
    cr_assert_str_eq(hits_of("counterrevolutionary counterrevolutionarx"),
                     "long:counterrevolutionary");
    cr_assert_str_eq(hits_of("abcdefg abcdefgh abcdefghi abcdefghijklmnop abcdefghijklmnopqrs"),
                     "pre:abcdefgh|pre:abcdefghi|pre:abcdefghijklmnop|pre:abcdefghijklmnopqrs");
    cr_assert_str_eq(hits_of("abcdefgx abcdefgi abcdefgxijklmnopq"), "");
}

Test(matcher, phrase_spans_punctuation_between_tokens)
{
    load("{\"id\":\"data\",\"patterns\":[\"shared data\"]}");
    cr_assert_str_eq(hits_of("it was shared. Data came later"), "data:shared. Data");
}

Test(matcher, regex_over_text_case_insensitive)
{
    load("{\"id\":\"wrong\",\"patterns\":[\"/\\\\bwent (badly )?wrong\\\\b/\"]}");
    cr_assert_str_eq(hits_of("It Went wrong. It went badly wrong. Wrongly went."),
                     "wrong:Went wrong|wrong:went badly wrong");
}

Test(matcher, unicode_case_folding)
{
    load("{\"id\":\"school\",\"patterns\":[\"\xC3\xA9"
         "cole\", \"stra\xC3\x9F"
         "e\"]}");
    cr_assert_str_eq(hits_of("\xC3\x89"
                             "COLE and \xC3\xA9"
                             "cole, STRASSE"),
                     "school:\xC3\x89"
                     "COLE|school:\xC3\xA9"
                     "cole|school:STRASSE");
}

Test(matcher, case_sensitive_codebook)
{
    char json[] = "{\"qualpipe_codebook\":1,\"name\":\"t\",\"version\":\"1\",\"case_sensitive\":"
                  "true,\"codes\":[{\"id\":\"pln\",\"patterns\":[\"PLN\"]}]}";
    qp_error err;
    cb = qp_codebook_parse_json("t.json", json, strlen(json), &err);
    m = matcher_new(cb);
    scratch = match_scratch_new(10);
    cr_assert_str_eq(hits_of("The PLN, a pln, the Pln."), "pln:PLN");
}

Test(matcher, exclusion_drops_covered_hits_of_its_code_only)
{
    load("{\"id\":\"pay\",\"patterns\":[\"pay\"],\"exclude\":[\"pay attention\"]},"
         "{\"id\":\"attention\",\"patterns\":[\"pay\"]}");
    cr_assert_str_eq(hits_of("Pay attention to pay."), "attention:Pay|pay:pay|attention:pay");
}

Test(matcher, longer_match_wins_within_a_code_every_code_counts)
{
    load("{\"id\":\"future\",\"patterns\":[\"look forward\", \"forward*\"]},"
         "{\"id\":\"motion\",\"patterns\":[\"forward\"]}");
    cr_assert_str_eq(hits_of("We look forward. Forwarding it."),
                     "future:look forward|motion:forward|future:Forwarding");
}

Test(matcher, same_span_from_two_patterns_counts_once)
{
    load("{\"id\":\"lead\",\"patterns\":[\"leader\", \"lead*\", \"/leader/\"]}");
    qp_doc *doc = code("A leader.");
    cr_assert_eq(doc->n_hits, 1);
    cr_assert_str_eq(doc->hits[0].rule, "leader", "the first pattern in the codebook wins");
    qp_doc_free(doc);
}

/* Runs the statements once in each token style. */
#define IN_BOTH_TOKEN_STYLES(...)                                                                  \
    for (int style = 0; style < 2; style++) {                                                      \
        next_token = style ? qp_token_next_quanteda : qp_token_next;                               \
        __VA_ARGS__                                                                                \
    }

/* The cases below are quanteda's tokens_lookup (nested_scope = "key"): within a
 * code each token serves at most one match, longest (in tokens) first, then
 * leftmost. */
Test(matcher, a_token_serves_one_match_of_a_code)
{
    load("{\"id\":\"no\",\"patterns\":[\"no no\"]}");
    IN_BOTH_TOKEN_STYLES(cr_assert_str_eq(hits_of("No, no, no"), "no:No, no");
                         cr_assert_str_eq(hits_of("no no no no"), "no:no no|no:no no");)
}

Test(matcher, partly_overlapping_phrases_leftmost_wins_then_shorter_patterns)
{
    load("{\"id\":\"x\",\"patterns\":[\"a b\", \"b c\", \"c*\"]}");
    IN_BOTH_TOKEN_STYLES(cr_assert_str_eq(hits_of("a b c"), "x:a b|x:c");)
}

Test(matcher, longest_in_tokens_wins_even_when_it_starts_later)
{
    load("{\"id\":\"x\",\"patterns\":[\"a b\", \"b c d\", \"a\"]}");
    IN_BOTH_TOKEN_STYLES(cr_assert_str_eq(hits_of("a b c d"), "x:a|x:b c d");)
}

Test(matcher, nested_phrases_across_codes_each_count)
{
    load("{\"id\":\"us\",\"patterns\":[\"united states\"]},"
         "{\"id\":\"usa\",\"patterns\":[\"united states of america\"]},"
         "{\"id\":\"state\",\"patterns\":[\"states\", \"united states\"]}");
    IN_BOTH_TOKEN_STYLES(
        cr_assert_str_eq(hits_of("The United States of America."),
                         "usa:United States of America|us:United States|state:United States");)
}

Test(matcher, globs_inside_phrases_take_their_tokens)
{
    load("{\"id\":\"time\",\"patterns\":[\"free* up time\", \"up*\", \"time\"]},"
         "{\"id\":\"pair\",\"patterns\":[\"free* up\", \"up tim*\"]}");
    IN_BOTH_TOKEN_STYLES(cr_assert_str_eq(hits_of("Freeing up time, then up."),
                                          "time:Freeing up time|pair:Freeing up|time:up");)
}

Test(matcher, a_match_never_crosses_a_unit_so_units_do_not_compete)
{
    load("{\"id\":\"no\",\"patterns\":[\"no no\"]}");
    static const uint32_t units[][2] = {{0, 6}, {7, 12}};
    qp_doc *doc = code_units("no no. no no", units, 2);
    cr_assert_eq(doc->n_hits, 2, "one per sentence, not the pair across the stop");
    cr_assert_eq(doc->hits[0].segment, 0);
    cr_assert_eq(doc->hits[1].start, 7);
    qp_doc_free(doc);
    /* Without units the middle pair is a match too, but its tokens are taken. */
    cr_assert_str_eq(hits_of("no no. no no"), "no:no no|no:no no");
}

Test(matcher, regexes_and_proximity_take_tokens_too)
{
    load("{\"id\":\"quit\",\"patterns\":[\"/abandon/\", \"abandon*\"]},"
         "{\"id\":\"trust\",\"patterns\":[\"data NEAR/3 trust*\", \"data\", \"shared\"]},"
         "{\"id\":\"bang\",\"patterns\":[\"/!!/\", \"/!+/\"]}");
    IN_BOTH_TOKEN_STYLES(cr_assert_str_eq(hits_of("They abandoned it"), "quit:abandoned",
                                          "the regex's part of the token loses to the whole");
                         cr_assert_str_eq(hits_of("We shared the data we trust."),
                                          "trust:shared|trust:data we trust",
                                          "the words between the sides of NEAR stay free");)
    cr_assert_str_eq(hits_of("Wow!!! So!!"), "bang:!!!|bang:!!",
                     "a match between tokens competes with its own kind");
}

Test(matcher, hits_record_span_and_rule)
{
    load("{\"id\":\"a\",\"patterns\":[\"network*\"]}");
    qp_doc *doc = code("Our networks help.");
    cr_assert_eq(doc->n_hits, 1);
    cr_assert_eq(doc->hits[0].start, 4);
    cr_assert_eq(doc->hits[0].end, 12);
    cr_assert_str_eq(doc->hits[0].rule, "network*");
    cr_assert_str_eq(doc->hits[0].code, "a");
    qp_doc_free(doc);
}

Test(matcher, regex_match_limit_skips_the_document_by_name)
{
    load("{\"id\":\"slow\",\"patterns\":[\"/(a+)+$/\", \"aaa*\"]}");
    char text[64];
    memset(text, 'a', 40);
    strcpy(text + 40, "b");
    qp_doc *doc = tokenised(text, NULL, 0);
    qp_error err;
    /* Counting the other pattern's hits alone would give the document short counts. */
    cr_assert_eq(matcher_run(m, scratch, NULL, doc, add_to_doc, doc, &err), QP_ERR_PLUGIN);
    cr_assert(strstr(err.message, "pattern \"/(a+)+$/\" of code \"slow\" stopped"), "%s",
              err.message);
    cr_assert_eq(doc->n_hits, 0, "no hit of a document that is skipped");
    qp_doc_free(doc);
}

/* Loads a codebook with top-level options and codes. */
static void load_with(const char *options, const char *codes_json)
{
    char json[4096];
    snprintf(json, sizeof json,
             "{\"qualpipe_codebook\":1,\"name\":\"t\",\"version\":\"1\",%s\"codes\":[%s]}", options,
             codes_json);
    qp_error err = {{0}};
    cb = qp_codebook_parse_json("t.json", json, strlen(json), &err);
    cr_assert_not_null(cb, "%s", err.message);
    m = matcher_new(cb);
    scratch = match_scratch_new(10);
    cr_assert(m && scratch);
}

Test(matcher, case_sensitive_code_beside_folded_ones)
{
    load("{\"id\":\"acronym\",\"case_sensitive\":true,\"patterns\":[\"IT\", \"PD*\"]},"
         "{\"id\":\"word\",\"patterns\":[\"it\"]}");
    cr_assert_str_eq(hits_of("IT said it. PDSA and pdsa."),
                     "acronym:IT|word:IT|word:it|acronym:PDSA");
}

Test(matcher, stemmed_code_matches_word_variants)
{
    load_with(
        "\"language\":\"english\",",
        "{\"id\":\"facilitate\",\"stem\":true,\"patterns\":[\"facilitation\", \"lead* the way\"]},"
        "{\"id\":\"exact\",\"patterns\":[\"facilitation\"]}");
    cr_assert_str_eq(
        hits_of("She facilitated; facilitating helps. Facilitation too. Leading the way."),
        "facilitate:facilitated|facilitate:facilitating|facilitate:Facilitation|"
        "exact:Facilitation|facilitate:Leading the way");
    cr_assert_str_eq(hits_of("The facility was new."), "", "near-miss: a different stem");
}

Test(matcher, unknown_stemming_language_is_refused)
{
    const char json[] = "{\"qualpipe_codebook\":1,\"name\":\"t\",\"version\":\"1\","
                        "\"language\":\"klingon\",\"codes\":[{\"id\":\"a\"}]}";
    qp_error err;
    cr_assert_null(qp_codebook_parse_json("t.json", json, strlen(json), &err));
    cr_assert(strstr(err.message, "no stemmer for language \"klingon\""), "%s", err.message);
    cr_assert(strstr(err.message, "english"), "%s", err.message);
}

Test(matcher, near_either_order_within_distance)
{
    load("{\"id\":\"data_trust\",\"patterns\":[\"data NEAR/3 trust*\"]}");
    cr_assert_str_eq(hits_of("We trusted the data."), "data_trust:trusted the data");
    cr_assert_str_eq(hits_of("Data we could really trust."),
                     "data_trust:Data we could really trust", "three tokens between");
    cr_assert_str_eq(hits_of("Data came first and only much later did we trust it."), "",
                     "near-miss: too far apart");
}

Test(matcher, before_keeps_the_order)
{
    load("{\"id\":\"shared_then_data\",\"patterns\":[\"shared BEFORE/2 data\"]}");
    cr_assert_str_eq(hits_of("We shared our data. The data was shared."),
                     "shared_then_data:shared our data");
}

Test(matcher, with_means_the_same_segment)
{
    load("{\"id\":\"pair\",\"patterns\":[\"principal WITH timetable\"]}");
    static const uint32_t units[][2] = {{0, 42}, {43, 64}};
    qp_doc *doc =
        code_units("The principal changed the whole timetable. The timetable stayed.", units, 2);
    cr_assert_eq(doc->n_hits, 1);
    cr_assert_eq(doc->hits[0].start, 4);
    cr_assert_eq(doc->hits[0].end, 41);
    cr_assert_eq(doc->hits[0].segment, 0);
    qp_doc_free(doc);
}

Test(matcher, negation_drop)
{
    load(
        "{\"id\":\"shared_data\",\"negation\":{\"mode\":\"drop\"},\"patterns\":[\"shared data\"]}");
    cr_assert_str_eq(hits_of("We didn't have shared data."), "");
    cr_assert_str_eq(hits_of("We never really had shared data."), "");
    cr_assert_str_eq(hits_of("Shared data helped."), "shared_data:Shared data");
    cr_assert_str_eq(hits_of("No. Shared data helped."), "shared_data:Shared data",
                     "a negator in another sentence does not count");
    cr_assert_str_eq(hits_of("Not at all, in the end the shared data helped."),
                     "shared_data:shared data", "outside the window of 3 tokens");
}

Test(matcher, negation_separate_and_curly_apostrophes)
{
    load("{\"id\":\"support\",\"negation\":{\"mode\":\"separate\",\"window\":2},"
         "\"patterns\":[\"support*\"]}");
    cr_assert_str_eq(hits_of("They didn\xE2\x80\x99t support us. They supported us."),
                     "support_negated:support|support:supported");
}

Test(matcher, regexes_find_matches_across_the_stretches_searched_per_call)
{
    /* Regexes are searched a stretch of start positions at a time (2,049 bytes:
     * 0-2048, 2049-4097...): a match that starts before a stretch's end and
     * runs past it (4090), one that starts first in the next with a lookbehind
     * reaching back over the edge (x at 2048, yz at 2049), and the others are
     * all found. */
    load("{\"id\":\"r\",\"patterns\":[\"/(?<=x)yz/\",\"/\\\\bq[a-z]+q\\\\b/\"]}");
    static char text[9000];
    memset(text, ' ', sizeof text - 1);
    size_t at[] = {2030, 2048, 4090, 5000, 6000};
    for (size_t i = 0; i < sizeof at / sizeof *at; i++)
        memcpy(text + at[i], i % 2 ? "xyz" : "qlongwordq", i % 2 ? 3 : 10);
    qp_doc *doc = code(text);
    cr_assert_eq(doc->n_hits, 5);
    for (size_t i = 0; i < 5; i++)
        cr_assert_eq(doc->hits[i].start, at[i] + (i % 2), "hit %zu", i);
    qp_doc_free(doc);
}

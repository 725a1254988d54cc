/* test_codebook.c - the JSON codebook format: what it accepts, and errors that
 * name the file, the line and the reason. */
#include <criterion/criterion.h>
#include <string.h>

#include "codebook/codebook.h"

static qp_error err;

static qp_codebook *parse(const char *json)
{
    memset(&err, 0, sizeof err);
    return qp_codebook_parse_json("cb.json", json, strlen(json), &err);
}

Test(codebook, parses_codes_patterns_and_tree)
{
    qp_codebook *cb = parse("{\"qualpipe_codebook\": 1, \"name\": \"T\", \"version\": \"2\",\n"
                            " \"citation\": \"Someone (2020)\", \"codes\": [\n"
                            "  {\"id\": \"a\", \"label\": \"A\", \"patterns\": [\"lead*\", "
                            "\"shared data\", \"/go+d/\", \"team\"],\n"
                            "   \"exclude\": [\"lead time\"],\n"
                            "   \"codes\": [{\"id\": \"a.b\", \"patterns\": [\"organi?ation\"]}]}\n"
                            "]}\n");
    cr_assert_not_null(cb, "%s", err.message);
    cr_assert_str_eq(cb->name, "T");
    cr_assert_str_eq(cb->version, "2");
    cr_assert_str_eq(cb->citation, "Someone (2020)");
    cr_assert_eq(cb->n_codes, 2);
    cr_assert_eq(cb->codes[1].parent, 0);
    cr_assert_eq(cb->codes[1].depth, 1);
    cr_assert_str_eq(cb->codes[1].label, "a.b", "label defaults to the id");
    cr_assert_eq(cb->n_patterns, 6);
    cr_assert_eq(cb->patterns[0].kind, QP_PAT_GLOB);
    cr_assert_eq(cb->patterns[1].kind, QP_PAT_PHRASE);
    cr_assert_eq(cb->patterns[1].n_parts, 2);
    cr_assert_eq(cb->patterns[2].kind, QP_PAT_REGEX);
    cr_assert_not_null(cb->patterns[2].regex);
    cr_assert_eq(cb->patterns[3].kind, QP_PAT_WORD);
    cr_assert_eq(cb->patterns[4].exclusion, 1);
    cr_assert_eq(cb->codes[0].n_patterns, 4);
    cr_assert_eq(cb->codes[0].n_exclusions, 1);
    cr_assert_eq(strlen(cb->sha256), 64);
    qp_codebook_free(cb);
}

Test(codebook, patterns_are_case_folded_unless_case_sensitive)
{
    qp_codebook *cb = parse("{\"qualpipe_codebook\":1,\"name\":\"T\",\"version\":\"1\","
                            "\"codes\":[{\"id\":\"a\",\"patterns\":[\"PLN\",\"\xC3\x89"
                            "cole\"]}]}");
    cr_assert_not_null(cb, "%s", err.message);
    cr_assert_str_eq(cb->patterns[0].parts[0].folded, "pln");
    cr_assert_str_eq(cb->patterns[1].parts[0].folded, "\xC3\xA9"
                                                      "cole");
    qp_codebook_free(cb);
    cb = parse("{\"qualpipe_codebook\":1,\"name\":\"T\",\"version\":\"1\",\"case_sensitive\":true,"
               "\"codes\":[{\"id\":\"a\",\"patterns\":[\"PLN\"]}]}");
    cr_assert_not_null(cb, "%s", err.message);
    cr_assert_str_eq(cb->patterns[0].parts[0].folded, "PLN");
    qp_codebook_free(cb);
}

Test(codebook, json_syntax_error_names_line_and_column)
{
    cr_assert_null(parse("{\"qualpipe_codebook\": 1,\n \"name\": \"T\",\n \"version\" \"1\"}"));
    cr_assert(strncmp(err.message, "cb.json:3:", 10) == 0, "%s", err.message);
}

Test(codebook, bad_regex_gives_pcre2_message_offset_and_line)
{
    cr_assert_null(parse("{\"qualpipe_codebook\": 1, \"name\": \"T\", \"version\": \"1\",\n"
                         "\"codes\": [\n{\"id\": \"a\",\n \"patterns\": [\"ok\",\n"
                         "   \"/(unclosed/\"]}]}"));
    cr_assert(strncmp(err.message, "cb.json:5: ", 11) == 0, "%s", err.message);
    cr_assert(strstr(err.message, "regex error at offset 9"), "%s", err.message);
    cr_assert(strstr(err.message, "missing closing parenthesis"), "%s", err.message);
}

Test(codebook, rejects_unknown_fields_with_the_known_ones)
{
    cr_assert_null(parse("{\"qualpipe_codebook\": 1, \"name\": \"T\", \"version\": \"1\",\n"
                         "\"codes\": [{\"id\": \"a\",\n \"pattern\": [\"x\"]}]}"));
    cr_assert(strncmp(err.message, "cb.json:3: ", 11) == 0, "%s", err.message);
    cr_assert(strstr(err.message, "unknown field \"pattern\""), "%s", err.message);
    cr_assert(strstr(err.message, "patterns"), "%s", err.message);
}

Test(codebook, rejects_duplicate_ids_and_missing_header_fields)
{
    cr_assert_null(parse("{\"qualpipe_codebook\":1,\"name\":\"T\",\"version\":\"1\",\"codes\":"
                         "[{\"id\":\"a\"},\n{\"id\":\"a\"}]}"));
    cr_assert(strstr(err.message, "used twice"), "%s", err.message);
    cr_assert_null(parse("{\"name\":\"T\",\"version\":\"1\",\"codes\":[{\"id\":\"a\"}]}"));
    cr_assert(strstr(err.message, "not a qualpipe codebook"), "%s", err.message);
    cr_assert_null(
        parse("{\"qualpipe_codebook\":2,\"name\":\"T\",\"version\":\"1\",\"codes\":[]}"));
    cr_assert(strstr(err.message, "reads format 1"), "%s", err.message);
    cr_assert_null(parse("{\"qualpipe_codebook\":1,\"version\":\"1\",\"codes\":[{\"id\":\"a\"}]}"));
    cr_assert(strstr(err.message, "\"name\" is missing"), "%s", err.message);
    cr_assert_null(
        parse("{\"qualpipe_codebook\":1,\"name\":\"T\",\"version\":\"1\",\"codes\":[]}"));
    cr_assert(strstr(err.message, "non-empty array"), "%s", err.message);
}

Test(codebook, rejects_patterns_that_can_never_match)
{
    cr_assert_null(parse("{\"qualpipe_codebook\":1,\"name\":\"T\",\"version\":\"1\",\"codes\":"
                         "[{\"id\":\"a\",\"patterns\":[\"e.g.\"]}]}"));
    cr_assert(strstr(err.message, "not one word"), "%s", err.message);
    cr_assert_null(parse("{\"qualpipe_codebook\":1,\"name\":\"T\",\"version\":\"1\",\"codes\":"
                         "[{\"id\":\"a\",\"patterns\":[\"*\"]}]}"));
    cr_assert(strstr(err.message, "matches every word"), "%s", err.message);
    cr_assert_null(parse("{\"qualpipe_codebook\":1,\"name\":\"T\",\"version\":\"1\",\"codes\":"
                         "[{\"id\":\"a\",\"patterns\":[\"  \"]}]}"));
    cr_assert(strstr(err.message, "empty pattern"), "%s", err.message);
    cr_assert_null(parse("{\"qualpipe_codebook\":1,\"name\":\"T\",\"version\":\"1\",\"codes\":"
                         "[{\"id\":\"a\",\"patterns\":[\"/abc/x\"]}]}"));
    cr_assert(strstr(err.message, "closing /"), "%s", err.message);
}

Test(codebook, rejects_bad_code_ids)
{
    cr_assert_null(parse("{\"qualpipe_codebook\":1,\"name\":\"T\",\"version\":\"1\",\"codes\":"
                         "[{\"id\":\"has space\"}]}"));
    cr_assert(strstr(err.message, "not usable"), "%s", err.message);
}

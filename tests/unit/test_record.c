/* test_record.c - document records as JSON Lines: written, read back, and checked. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "core/doc.h"
#include "core/record.h"

static qp_doc *from_line(const char *line, const char **why)
{
    static char buf[512];
    json_error_t jerr;
    json_t *v = json_loads(line, 0, &jerr);
    cr_assert_not_null(v, "%s", jerr.text);
    qp_doc *doc = qp_record_from_json(v, "in:1", why, buf, sizeof buf);
    json_decref(v);
    return doc;
}

Test(record, round_trip)
{
    qp_doc *doc = qp_doc_new("x");
    qp_doc_set_id(doc, "P01");
    char *text = strdup("Lead \"us\"\n");
    qp_doc_take_text(doc, text, strlen(text));
    json_object_set_new(doc->meta, "role", json_string("school leader"));
    qp_doc_add_token(doc, 0, 4);
    qp_doc_add_token(doc, 6, 8);
    qp_hit h = {.code = "lead", .rule = "lead*", .start = 0, .end = 4, .segment = QP_NO_SEGMENT};
    qp_doc_add_hit(doc, &h);
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    cr_assert_eq(qp_record_write(f, doc), 0);
    fclose(f);
    cr_assert_str_eq(out, "{\"v\":1,\"id\":\"P01\",\"meta\":{\"role\":\"school leader\"},"
                          "\"text\":\"Lead \\\"us\\\"\\n\",\"tokens\":[[0,4],[6,8]],"
                          "\"codes\":[{\"code\":\"lead\",\"end\":4,\"rule\":\"lead*\","
                          "\"start\":0}]}\n");
    const char *why;
    qp_doc *back = from_line(out, &why);
    cr_assert_null(why, "%s", why);
    cr_assert_str_eq(back->id, "P01");
    cr_assert_eq(back->text_len, strlen("Lead \"us\"\n"));
    cr_assert_eq(back->n_tokens, 2);
    cr_assert_eq(back->tokens[1].start, 6);
    cr_assert_eq(back->n_hits, 1);
    cr_assert_str_eq(back->hits[0].rule, "lead*");
    cr_assert_str_eq(json_string_value(json_object_get(back->meta, "role")), "school leader");
    qp_doc_free(back);
    qp_doc_free(doc);
    free(out);
}

Test(record, invalid_records_come_back_skipped_with_a_reason)
{
    static const struct {
        const char *line, *reason;
    } cases[] = {
        {"{\"id\":\"a\"}", "no \"text\""},
        {"{\"text\":\"t\"}", "no \"id\""},
        {"[1,2]", "JSON object"},
        {"{\"id\":\"a\",\"text\":\"abc\",\"tokens\":[[0,9]]}", "token 0"},
        {"{\"id\":\"a\",\"text\":\"abc\",\"tokens\":[[1,2],[0,1]]}", "token 1"},
        {"{\"id\":\"a\",\"text\":\"abc\",\"codes\":[{\"code\":\"x\",\"start\":0,\"end\":2}]}",
         "hit 0"},
        {"{\"id\":\"a\",\"text\":\"abc\",\"role\":\"x\"}", "unknown field \"role\""},
        {"{\"id\":\"a\",\"text\":\"abc\",\"meta\":[]}", "\"meta\" must be an object"},
        {"{\"v\":2,\"id\":\"a\",\"text\":\"abc\"}", "version"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *why;
        qp_doc *doc = from_line(cases[i].line, &why);
        cr_assert_not_null(why, "case %zu accepted", i);
        cr_assert(strstr(why, cases[i].reason), "case %zu: %s", i, why);
        qp_doc_free(doc);
    }
}

Test(record, skipped_record_passes_through)
{
    const char *why;
    qp_doc *doc = from_line("{\"v\":1,\"id\":\"b\",\"meta\":{},\"skipped\":{\"reason\":\"bad\","
                            "\"stage\":\"read\"}}",
                            &why);
    cr_assert_null(why);
    cr_assert_str_eq(doc->skipped, "bad");
    cr_assert_str_eq(doc->skipped_stage, "read");
    qp_doc_free(doc);
}

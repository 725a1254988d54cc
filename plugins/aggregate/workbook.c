/* workbook.c - the result as an Excel workbook (see workbook.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xlsxwriter.h>

#include "results/result.h"
#include "workbook.h"
#include "xlsx_sheet.h"

int list_codes(const json_t *result, code_list *c)
{
    const json_t *books = json_object_get(json_object_get(result, "provenance"), "codebooks");
    size_t b, i, n = 0;
    json_t *book, *id;
    json_array_foreach(books, b, book) n += json_array_size(json_object_get(book, "codes"));
    c->ids = calloc(n + 1, sizeof *c->ids);
    c->books = calloc(n + 1, sizeof *c->books);
    c->n = 0;
    if (!c->ids || !c->books)
        return -1;
    json_array_foreach(books, b, book) json_array_foreach(json_object_get(book, "codes"), i, id)
    {
        c->books[c->n] = json_string_value(json_object_get(book, "name"));
        c->ids[c->n++] = json_string_value(id);
    }
    return 0;
}

/* What the documents sheet needs while the rows stream past. */
typedef struct doc_rows {
    sheet *s;
    const code_list *codes;
    const char *const *by;
    size_t n_by;
    enum csv_values values;
} doc_rows;

static int put_document(void *ctx, const char *id, const char *row, size_t len)
{
    doc_rows *d = ctx;
    sheet *s = d->s;
    json_t *r = json_loadb(row, len, 0, NULL);
    if (!r)
        return QP_ERR_NOMEM;
    json_int_t tokens = json_integer_value(json_object_get(r, "tokens"));
    put_text(s, id);
    put_member(s, r, "tokens");
    put_member(s, r, "segments");
    put_member(s, r, "hits");
    for (size_t b = 0; b < d->n_by; b++)
        put_text(s, json_string_value(json_object_get(json_object_get(r, "groups"), d->by[b])));
    for (size_t c = 0; c < d->codes->n; c++) {
        const char *code = d->codes->ids[c];
        json_int_t hits = json_integer_value(json_object_get(json_object_get(r, "codes"), code));
        double v =
            d->values == VALUES_PCT       ? qp_result_pct(hits, tokens)
            : d->values == VALUES_PER1000 ? qp_result_per1000(hits, tokens)
            : d->values == VALUES_UNITS
                ? (double)json_integer_value(json_object_get(json_object_get(r, "units"), code))
                : (double)hits;
        put_number(s, v);
    }
    end_row(s);
    json_decref(r);
    return s->error ? QP_ERR_IO : QP_OK;
}

/* The documents sheet: one row per document, as the wide CSV. */
static int documents_sheet(sheet *s, doctable *docs, const code_list *codes, const char *const *by,
                           size_t n_by, enum csv_values values, qp_error *err)
{
    size_t n = 4 + n_by + codes->n;
    const char **header = calloc(n, sizeof *header);
    if (!header)
        return QP_ERR_NOMEM;
    static const char *const fixed[] = {"document", "tokens", "segments", "hits"};
    memcpy(header, fixed, sizeof fixed);
    memcpy(header + 4, by, n_by * sizeof *by);
    memcpy(header + 4 + n_by, codes->ids, codes->n * sizeof *codes->ids);
    begin_sheet(s, "documents", header, n);
    doc_rows d = {s, codes, by, n_by, values};
    int rc = s->error ? QP_ERR_IO : doctable_each(docs, put_document, &d, err);
    /* Later parts of the sheet write their header again: keep it until the end. */
    s->header = NULL;
    free(header);
    return rc;
}

int workbook_write(const char *path, const char *name, const json_t *result, doctable *docs,
                   const char *const *by, size_t n_by, enum csv_values values, qp_error *err)
{
    lxw_workbook_options options = {.constant_memory = LXW_TRUE};
    sheet s = {.book = workbook_new_opt(path, &options)};
    code_list codes = {0};
    if (!s.book || list_codes(result, &codes) < 0) {
        snprintf(err->message, sizeof err->message, "%s: cannot make the workbook", name);
        if (s.book)
            workbook_close(s.book);
        free(codes.ids);
        free(codes.books);
        return QP_ERR_IO;
    }
    /* A fixed date, as the REFI-QDA export has: the same result, the same bytes. */
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    lxw_doc_properties props = {.title = "qualpipe result",
                                .author = "qualpipe " PACKAGE_VERSION,
                                .created = epoch && *epoch ? (time_t)strtoll(epoch, NULL, 10)
                                                           : (time_t)315532800};
    workbook_set_properties(s.book, &props);
    s.bold = workbook_add_format(s.book);
    format_set_bold(s.bold);
    int rc = documents_sheet(&s, docs, &codes, by, n_by, values, err);
    if (rc == QP_OK) {
        codes_sheet(&s, result, &codes);
        groups_sheet(&s, result, &codes);
        tests_sheet(&s, result, &codes);
        cooccurrence_sheet(&s, result);
        terms_sheet(&s, result, &codes);
        quotes_sheet(&s, result, &codes);
        skipped_sheet(&s, result);
        provenance_sheet(&s, result);
    }
    lxw_error closed = workbook_close(s.book);
    if (rc == QP_OK && (s.error || closed)) {
        snprintf(err->message, sizeof err->message, "%s: cannot write the workbook: %s", name,
                 lxw_strerror(s.error ? s.error : closed));
        rc = QP_ERR_IO;
    }
    if (rc == QP_OK && s.cut)
        fprintf(stderr,
                "qualpipe: aggregate: %s: %zu text%s longer than Excel's 32,767 characters "
                "cut to fit (the JSON result has them whole)\n",
                name, s.cut, s.cut == 1 ? " was" : "s were");
    free(codes.ids);
    free(codes.books);
    return rc;
}

/* What the codes and groups sheets give of each code, as the result names it. */
static const char *const measures[] = {"hits", "documents",       "segments",
                                       "pct",  "per_1000_tokens", "share_of_documents"};
#define N_MEASURES (sizeof measures / sizeof *measures)
static const char *const subtree[] = {"share_of_segments", "subtree_hits", "subtree_documents",
                                      "subtree_segments", "subtree_pct"};
#define N_SUBTREE (sizeof subtree / sizeof *subtree)

void codes_sheet(sheet *s, const json_t *result, const code_list *codes)
{
    const char *header[4 + N_MEASURES + N_SUBTREE] = {"codebook", "code", "label", "parent"};
    memcpy(header + 4, measures, sizeof measures);
    memcpy(header + 4 + N_MEASURES, subtree, sizeof subtree);
    begin_sheet(s, "codes", header, sizeof header / sizeof *header);
    const json_t *all = json_object_get(result, "codes");
    for (size_t c = 0; c < codes->n && !s->error; c++) {
        const json_t *code = json_object_get(all, codes->ids[c]);
        put_text(s, codes->books[c]);
        put_text(s, codes->ids[c]);
        put_text(s, json_string_value(json_object_get(code, "label")));
        put_text(s, json_string_value(json_object_get(code, "parent")));
        for (size_t k = 0; k < N_MEASURES; k++)
            put_member(s, code, measures[k]);
        for (size_t k = 0; k < N_SUBTREE; k++)
            put_member(s, code, subtree[k]);
        end_row(s);
    }
}

/* Writes one group's rows: the group's size, then each code in it with the
 * residual and p of the code's test by documents. */
static void group_rows(sheet *s, const char *field, const char *name, const json_t *group,
                       const json_t *tests, const code_list *codes)
{
    for (size_t c = 0; c < codes->n && !s->error; c++) {
        const json_t *code = json_object_get(json_object_get(group, "codes"), codes->ids[c]);
        const json_t *test = json_object_get(tests, codes->ids[c]);
        put_text(s, field);
        put_text(s, name);
        put_member(s, group, "documents");
        put_member(s, group, "tokens");
        put_text(s, codes->ids[c]);
        for (size_t k = 0; k < N_MEASURES; k++)
            put_member(s, code, measures[k]);
        put_member(s, json_object_get(test, "residuals"), name);
        put_member(s, test, "p");
        end_row(s);
    }
}

void groups_sheet(sheet *s, const json_t *result, const code_list *codes)
{
    const char *header[5 + N_MEASURES + 2] = {"field", "group", "group_documents", "group_tokens",
                                              "code"};
    memcpy(header + 5, measures, sizeof measures);
    header[5 + N_MEASURES] = "residual";
    header[6 + N_MEASURES] = "p";
    begin_sheet(s, "groups", header, sizeof header / sizeof *header);
    const json_t *fields = json_object_get(result, "groups");
    size_t n_fields, n_groups;
    const char **names = sorted_keys(fields, &n_fields);
    for (size_t f = 0; names && f < n_fields && !s->error; f++) {
        const json_t *groups = json_object_get(fields, names[f]);
        const json_t *tests = json_object_get(
            json_object_get(json_object_get(json_object_get(result, "tests"), names[f]),
                            "documents"),
            "codes");
        const char **values = sorted_keys(groups, &n_groups);
        for (size_t g = 0; values && g < n_groups; g++)
            group_rows(s, names[f], values[g], json_object_get(groups, values[g]), tests, codes);
        free(values);
    }
    free(names);
}

/* Writes one test's row. */
static void test_row(sheet *s, const char *field, const char *unit, const char *code,
                     const json_t *test)
{
    static const char *const numbers[] = {"chi_square", "df",           "p",       "cramers_v",
                                          "n",          "min_expected", "fisher_p"};
    put_text(s, field);
    put_text(s, unit);
    put_text(s, code);
    for (size_t k = 0; k < sizeof numbers / sizeof *numbers; k++)
        put_member(s, test, numbers[k]);
    end_row(s);
}

void tests_sheet(sheet *s, const json_t *result, const code_list *codes)
{
    static const char *const header[] = {"field", "unit",      "code", "chi_square",   "df",
                                         "p",     "cramers_v", "n",    "min_expected", "fisher_p"};
    static const char *const units[] = {"documents", "segments"};
    begin_sheet(s, "tests", header, sizeof header / sizeof *header);
    const json_t *tests = json_object_get(result, "tests");
    size_t n_fields;
    const char **fields = sorted_keys(tests, &n_fields);
    for (size_t f = 0; fields && f < n_fields && !s->error; f++)
        for (size_t u = 0; u < 2; u++) {
            const json_t *t = json_object_get(json_object_get(tests, fields[f]), units[u]);
            const json_t *by_code = json_object_get(t, "codes");
            for (size_t c = 0; c < codes->n; c++) {
                const json_t *test = json_object_get(by_code, codes->ids[c]);
                if (test)
                    test_row(s, fields[f], units[u], codes->ids[c], test);
            }
            if (json_is_object(json_object_get(t, "table")))
                test_row(s, fields[f], units[u], "(all codes)", json_object_get(t, "table"));
        }
    free(fields);
}

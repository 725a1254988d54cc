/* group_tests.c - the result's "tests": for each --by field, whether codes occur
 * alike across its groups (see result.h). Computed from the counts alone, in
 * sorted group order, so a merged result has the same bytes as one run. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "contingency.h"
#include "result.h"

/* Fisher's exact test replaces chi-square's p for a 2 x 2 table with an
 * expected count below this (Cochran's rule). */
#define SMALL_EXPECTED 5.0

/* Returns the units (documents, segments) of `code` with it: over its subtree
 * when `subtree` and it has one, else its own patterns'. */
static double with_code(const json_t *code, const char *unit, int subtree)
{
    char key[64];
    snprintf(key, sizeof key, "subtree_%s", unit);
    const json_t *sub = subtree ? json_object_get(code, key) : NULL;
    return (double)json_integer_value(sub ? sub : json_object_get(code, unit));
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Returns the test as JSON: statistic, df, p, Cramér's V, n, the smallest
 * expected count, and Fisher's p for a 2 x 2 table with a small one. */
static json_t *test_json(const qp_chisq *t, const double *counts, size_t rows, size_t cols)
{
    json_t *o = json_pack("{s:f, s:I, s:f, s:f, s:I, s:f}", "chi_square", t->statistic, "df",
                          (json_int_t)t->df, "p", t->p, "cramers_v", t->cramers_v, "n",
                          (json_int_t)t->n, "min_expected", t->min_expected);
    if (o && rows == 2 && cols == 2 && t->min_expected < SMALL_EXPECTED)
        json_object_set_new(o, "fisher_p",
                            json_real(qp_fisher_2x2((long)counts[0], (long)counts[1],
                                                    (long)counts[2], (long)counts[3])));
    return o;
}

/* Tests each code alone: the 2 x G table of units with and without it across
 * the field's groups. Returns the object of codes (those that are in some but
 * not all units), or NULL when out of memory. */
static json_t *code_tests(const json_t *groups, const char **names, size_t n_groups,
                          const json_t *order, const char *unit)
{
    json_t *out = json_object();
    double *counts = malloc(2 * n_groups * sizeof *counts),
           *resid = malloc(2 * n_groups * sizeof *resid);
    size_t b, i;
    json_t *book, *id;
    json_array_foreach(order, b, book) json_array_foreach(json_object_get(book, "codes"), i, id)
    {
        if (!out || !counts || !resid)
            break;
        const char *code = json_string_value(id);
        for (size_t g = 0; g < n_groups; g++) {
            const json_t *grp = json_object_get(groups, names[g]);
            double all = (double)json_integer_value(json_object_get(grp, unit));
            counts[g] = with_code(json_object_get(json_object_get(grp, "codes"), code), unit, 1);
            counts[n_groups + g] = all - counts[g];
        }
        qp_chisq t;
        if (qp_chisq_test(counts, 2, n_groups, &t, resid) < 0)
            continue; /* in no unit, or in every one: nothing to test */
        json_t *o = test_json(&t, counts, 2, n_groups), *r = json_object();
        for (size_t g = 0; o && r && g < n_groups; g++)
            json_object_set_new(r, names[g], json_real(resid[g]));
        json_object_set_new(o, "residuals", r);
        json_object_set_new(out, code, o);
    }
    free(counts);
    free(resid);
    return out;
}

/* Tests the code x group table of units with each code's own patterns (codes in
 * no unit left out). Returns the test, json null when fewer than two codes or
 * groups remain, or NULL when out of memory. */
static json_t *table_test(const json_t *groups, const char **names, size_t n_groups,
                          const json_t *order, const char *unit)
{
    size_t n_codes = 0, b, i, rows = 0;
    json_t *book, *id;
    json_array_foreach(order, b, book) n_codes += json_array_size(json_object_get(book, "codes"));
    double *counts = calloc(n_codes * n_groups + 1, sizeof *counts);
    double *resid = calloc(n_codes * n_groups + 1, sizeof *resid);
    const char **kept = calloc(n_codes + 1, sizeof *kept);
    json_t *out = NULL;
    if (!counts || !resid || !kept)
        goto done;
    json_array_foreach(order, b, book) json_array_foreach(json_object_get(book, "codes"), i, id)
    {
        double total = 0;
        for (size_t g = 0; g < n_groups; g++) {
            const json_t *grp = json_object_get(groups, names[g]);
            counts[rows * n_groups + g] = with_code(
                json_object_get(json_object_get(grp, "codes"), json_string_value(id)), unit, 0);
            total += counts[rows * n_groups + g];
        }
        if (total > 0)
            kept[rows++] = json_string_value(id);
    }
    qp_chisq t;
    if (qp_chisq_test(counts, rows, n_groups, &t, resid) < 0) {
        out = json_null();
        goto done;
    }
    out = test_json(&t, counts, rows, n_groups);
    json_t *codes = json_array(), *r = json_object();
    for (size_t c = 0; out && codes && r && c < rows; c++) {
        json_array_append_new(codes, json_string(kept[c]));
        json_t *row = json_object();
        for (size_t g = 0; row && g < n_groups; g++)
            json_object_set_new(row, names[g], json_real(resid[c * n_groups + g]));
        json_object_set_new(r, kept[c], row);
    }
    json_object_set_new(out, "codes", codes);
    json_object_set_new(out, "residuals", r);
done:
    free(counts);
    free(resid);
    free(kept);
    return out;
}

/* Returns the tests of one field for one unit, or NULL when out of memory. */
static json_t *unit_tests(const json_t *groups, const char **names, size_t n, const json_t *order,
                          const char *unit)
{
    return json_pack("{s:o*, s:o*}", "codes", code_tests(groups, names, n, order, unit), "table",
                     table_test(groups, names, n, order, unit));
}

int qp_result_group_tests(json_t *result)
{
    const json_t *order = json_object_get(json_object_get(result, "provenance"), "codebooks");
    json_t *tests = json_object();
    const char *field;
    json_t *groups;
    json_object_foreach(json_object_get(result, "groups"), field, groups)
    {
        size_t n = json_object_size(groups), k = 0;
        if (!tests || n < 2)
            continue;
        const char **names = malloc(n * sizeof *names);
        const char *value;
        json_t *g;
        if (!names) {
            json_decref(tests);
            return -1;
        }
        json_object_foreach(groups, value, g) names[k++] = value;
        qsort(names, n, sizeof *names, by_name);
        json_t *groups_list = json_array();
        for (size_t i = 0; groups_list && i < n; i++)
            json_array_append_new(groups_list, json_string(names[i]));
        json_t *t = json_pack("{s:o*, s:o*, s:o*}", "groups", groups_list, "documents",
                              unit_tests(groups, names, n, order, "documents"), "segments",
                              unit_tests(groups, names, n, order, "segments"));
        free(names);
        if (!t || json_object_set_new(tests, field, t) < 0) {
            json_decref(tests);
            return -1;
        }
    }
    if (!tests)
        return -1;
    if (!json_object_size(tests)) {
        json_decref(tests);
        json_object_del(result, "tests");
        return 0;
    }
    return json_object_set_new(result, "tests", tests);
}

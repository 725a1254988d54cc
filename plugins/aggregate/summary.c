/* summary.c - the few lines a researcher reads after a run, on standard error. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "output.h"

typedef struct ranked {
    const char *id;
    json_int_t hits;
    json_int_t documents;
} ranked;

/* Most hits first, then most documents, then by id, so the summary is as
 * deterministic as the result. */
static int by_hits(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->hits != y->hits)
        return x->hits < y->hits ? 1 : -1;
    if (x->documents != y->documents)
        return x->documents < y->documents ? 1 : -1;
    return strcmp(x->id, y->id);
}

static json_int_t int_at(const json_t *obj, const char *key)
{
    return json_integer_value(json_object_get(obj, key));
}

/* Returns the number of codes above `id` (its depth in the tree). */
static int depth_of(const json_t *codes, const char *id)
{
    int depth = 0;
    const char *parent = json_string_value(json_object_get(json_object_get(codes, id), "parent"));
    while (parent && depth < 32) {
        depth++;
        parent = json_string_value(json_object_get(json_object_get(codes, parent), "parent"));
    }
    return depth;
}

/* Returns the documents with the code or a code below it. */
static json_int_t docs_with(const json_t *code)
{
    const json_t *sub = json_object_get(code, "subtree_documents");
    return json_integer_value(sub ? sub : json_object_get(code, "documents"));
}

#define MAX_COLUMNS 8

/* Prints, for each codebook's codes in tree order, the documents that have the code
 * overall and in each group of the first --by field; "-" marks absence. */
/* The columns of the code x group table: up to MAX_COLUMNS groups by name. */
typedef struct columns {
    const char *names[MAX_COLUMNS];
    const json_t *groups[MAX_COLUMNS];
    size_t n;
    int width;
} columns;

/* Fills cols with the groups of one --by field, sorted by name. */
static void collect_columns(const json_t *groups, columns *cols)
{
    const char *key;
    json_t *g;
    cols->n = 0;
    json_object_foreach((json_t *)groups, key, g) if (cols->n < MAX_COLUMNS)
    {
        cols->names[cols->n] = key;
        cols->groups[cols->n++] = g;
    }
    /* jansson keeps insertion order; sort the columns by name for a stable table. */
    for (size_t i = 1; i < cols->n; i++)
        for (size_t k = i; k > 0 && strcmp(cols->names[k - 1], cols->names[k]) > 0; k--) {
            const char *tn = cols->names[k];
            cols->names[k] = cols->names[k - 1];
            cols->names[k - 1] = tn;
            const json_t *tc = cols->groups[k];
            cols->groups[k] = cols->groups[k - 1];
            cols->groups[k - 1] = tc;
        }
    cols->width = cols->n <= 4 ? 17 : 12;
}

/* The tests of the field whose table is printed (the result's tests.FIELD.documents). */
typedef struct field_tests {
    const json_t *codes; /* code -> test, or NULL */
    const json_t *table;
} field_tests;

/* Prints the two header lines (group names broken at a space) and the documents. */
static void print_head(FILE *out, const columns *cols, const json_t *result, int with_p)
{
    int w = cols->width;
    char head[2][MAX_COLUMNS][32];
    for (size_t i = 0; i < cols->n; i++) {
        const char *name = cols->names[i];
        size_t len = strlen(name), cut = len;
        if (len > (size_t)w) {
            cut = (size_t)w;
            while (cut > 0 && name[cut] != ' ')
                cut--;
            if (cut == 0)
                cut = (size_t)w;
        }
        snprintf(head[0][i], sizeof head[0][i], "%.*s", (int)cut, name);
        snprintf(head[1][i], sizeof head[1][i], "%.*s", w, name + cut + (name[cut] == ' '));
    }
    for (int line = 0; line < 2; line++) {
        fprintf(out, "  %-30s %6s %6s %6s", "", line ? "" : "hits", line ? "" : "pct",
                line ? "" : "all");
        for (size_t i = 0; i < cols->n; i++)
            fprintf(out, " %*s", w, head[line][i]);
        if (with_p && !line)
            fprintf(out, " %8s", "p");
        fputc('\n', out);
    }
    fprintf(out, "  %-30s %6s %6s %6lld", "(documents)", "", "",
            (long long)json_integer_value(
                json_object_get(json_object_get(result, "totals"), "documents")));
    for (size_t i = 0; i < cols->n; i++)
        fprintf(out, " %*lld", w,
                (long long)json_integer_value(json_object_get(cols->groups[i], "documents")));
    fputc('\n', out);
}

/* Returns the mark of a cell whose adjusted residual is beyond +-1.96: more (+)
 * or fewer (-) documents than independence would give; "" otherwise. */
static const char *mark_of(const json_t *test, const char *group)
{
    double r = json_real_value(json_object_get(json_object_get(test, "residuals"), group));
    return r >= 1.96 ? "+" : r <= -1.96 ? "-" : "";
}

/* Prints a p-value in 8 columns: Fisher's when the test has one (marked F). */
static void print_p(FILE *out, const json_t *test)
{
    const json_t *fisher = json_object_get(test, "fisher_p");
    double p = json_real_value(fisher ? fisher : json_object_get(test, "p"));
    char cell[16];
    if (!test)
        snprintf(cell, sizeof cell, "-");
    else if (p < 0.001)
        snprintf(cell, sizeof cell, "<0.001%s", fisher ? "F" : "");
    else
        snprintf(cell, sizeof cell, "%.3f%s", p, fisher ? "F" : "");
    fprintf(out, " %8s", cell);
}

/* Prints one code's row: its hits, their share of the tokens, documents with it,
 * and per group (marked where the test finds more or fewer than expected). */
static void print_code_row(FILE *out, const columns *cols, const json_t *codes, const char *code,
                           const field_tests *tests)
{
    char label[64];
    snprintf(label, sizeof label, "%*s%s", 2 + 2 * depth_of(codes, code), "", code);
    const json_t *entry = json_object_get(codes, code);
    const json_t *sub = json_object_get(entry, "subtree_hits");
    json_int_t hits = json_integer_value(sub ? sub : json_object_get(entry, "hits"));
    double pct = json_real_value(json_object_get(entry, sub ? "subtree_pct" : "pct"));
    json_int_t all = docs_with(entry);
    const json_t *test = tests->codes ? json_object_get(tests->codes, code) : NULL;
    if (all)
        fprintf(out, "  %-30s %6lld %6.2f %6lld", label, (long long)hits, pct, (long long)all);
    else
        fprintf(out, "  %-30s %6s %6s %6s", label, "-", "-", "-");
    for (size_t k = 0; k < cols->n; k++) {
        json_int_t d = docs_with(json_object_get(json_object_get(cols->groups[k], "codes"), code));
        char cell[32];
        if (d)
            snprintf(cell, sizeof cell, "%lld%s", (long long)d, mark_of(test, cols->names[k]));
        else
            snprintf(cell, sizeof cell, "-");
        fprintf(out, " %*s", cols->width, cell);
    }
    if (tests->codes)
        print_p(out, test);
    fputc('\n', out);
}

/* Prints what the marks and p mean, and the test of the whole table. */
static void print_legend(FILE *out, const char *field, const field_tests *tests)
{
    fprintf(out,
            "  pct: hits as a percentage of tokens. p: chi-square test of documents with and\n"
            "  without the code across %s (F: Fisher's exact test, for 2 groups with an\n"
            "  expected count under 5); + or -: more or fewer documents than expected\n"
            "  (adjusted residual beyond 1.96)\n",
            field);
    const json_t *t = tests->table;
    if (json_is_object(t))
        fprintf(out,
                "  codes x %s, documents with each code: chi-square %.2f, df %lld, p %.3f, "
                "Cramer's V %.2f\n",
                field, json_real_value(json_object_get(t, "chi_square")),
                (long long)json_integer_value(json_object_get(t, "df")),
                json_real_value(json_object_get(t, "p")),
                json_real_value(json_object_get(t, "cramers_v")));
}

/* Prints the code x group table of the first --by field, when there is one. */
static void print_matrix(FILE *out, const json_t *result, const char *field)
{
    const json_t *groups = json_object_get(json_object_get(result, "groups"), field);
    if (!field || !json_object_size(groups))
        return;
    columns cols;
    collect_columns(groups, &cols);
    const json_t *docs_tests =
        json_object_get(json_object_get(json_object_get(result, "tests"), field), "documents");
    field_tests tests = {json_object_get(docs_tests, "codes"),
                         json_object_get(docs_tests, "table")};
    fprintf(out, "  hits, and documents with each code, by %s%s:\n", field,
            json_object_size(groups) > cols.n ? " (first groups only; see the result)" : "");
    print_head(out, &cols, result, tests.codes != NULL);
    const json_t *codes = json_object_get(result, "codes");
    size_t b, i;
    json_t *book, *id;
    json_array_foreach(json_object_get(json_object_get(result, "provenance"), "codebooks"), b, book)
    {
        fprintf(out, "  %s\n", json_string_value(json_object_get(book, "name")));
        json_array_foreach(json_object_get(book, "codes"), i, id)
            print_code_row(out, &cols, codes, json_string_value(id), &tests);
    }
    if (tests.codes)
        print_legend(out, field, &tests);
}

void output_print_summary(FILE *out, const json_t *result, const char *where, const char *by)
{
    const json_t *totals = json_object_get(result, "totals");
    const json_t *codes = json_object_get(result, "codes");
    json_int_t tokens = int_at(totals, "tokens"), hits = int_at(totals, "hits");
    fprintf(out, "qualpipe: result written to %s\n", where);
    fprintf(out, "  documents  %lld coded, %lld skipped", (long long)int_at(totals, "documents"),
            (long long)int_at(totals, "skipped"));
    const char *stage;
    const json_t *dropped;
    if (int_at(totals, "dropped")) { /* on purpose, by a filter: say which */
        fprintf(out, ", %lld dropped (by", (long long)int_at(totals, "dropped"));
        json_object_foreach((json_t *)json_object_get(result, "dropped"), stage, dropped)
            fprintf(out, " %s: %lld", stage, (long long)json_integer_value(dropped));
        fputc(')', out);
    }
    fputc('\n', out);
    fprintf(out, "  tokens     %lld\n", (long long)tokens);
    fprintf(out, "  hits       %lld (%.1f per 1,000 tokens, %.2f%% of tokens)\n", (long long)hits,
            tokens ? 1000.0 * (double)hits / (double)tokens : 0.0,
            tokens ? 100.0 * (double)hits / (double)tokens : 0.0);
    if (json_object_size(json_object_get(result, "groups"))) {
        print_matrix(out, result, by);
    } else {
        size_t n = json_object_size(codes), k = 0;
        ranked *r = n ? calloc(n, sizeof *r) : NULL;
        const char *id;
        json_t *c;
        json_object_foreach((json_t *)codes, id, c)
        {
            if (!r)
                break;
            r[k].id = id;
            r[k].hits = int_at(c, "hits");
            r[k].documents = int_at(c, "documents");
            k++;
        }
        if (r) {
            qsort(r, k, sizeof *r, by_hits);
            const char *label = "top codes";
            for (size_t i = 0; i < k && i < 5 && r[i].hits > 0; i++, label = "")
                fprintf(out, "  %-10s %s: %lld hit%s (%.2f%% of tokens) in %lld document%s\n",
                        label, r[i].id, (long long)r[i].hits, r[i].hits == 1 ? "" : "s",
                        tokens ? 100.0 * (double)r[i].hits / (double)tokens : 0.0,
                        (long long)r[i].documents, r[i].documents == 1 ? "" : "s");
        }
        free(r);
    }
    const json_t *none = json_object_get(result, "codes_without_hits");
    if (json_array_size(none)) {
        fprintf(out, "  no hits    ");
        size_t i;
        json_t *v;
        json_array_foreach(none, i, v) fprintf(out, "%s%s", i ? ", " : "", json_string_value(v));
        fputc('\n', out);
    }
}

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
static void print_matrix(FILE *out, const json_t *result)
{
    const json_t *prov = json_object_get(result, "provenance");
    const json_t *stages = json_object_get(prov, "stages");
    const json_t *by = json_object_get(
        json_object_get(json_array_get(stages, json_array_size(stages) - 1), "options"), "by");
    const char *field = json_string_value(json_array_get(by, 0));
    const json_t *groups = json_object_get(json_object_get(result, "groups"), field);
    if (!field || !json_object_size(groups))
        return;
    const char *names[MAX_COLUMNS];
    const json_t *cols[MAX_COLUMNS];
    size_t n = 0;
    const char *key;
    json_t *g;
    json_object_foreach((json_t *)groups, key, g)
    {
        if (n < MAX_COLUMNS) {
            names[n] = key;
            cols[n++] = g;
        }
    }
    /* jansson keeps insertion order; sort the columns by name for a stable table. */
    for (size_t i = 1; i < n; i++)
        for (size_t k = i; k > 0 && strcmp(names[k - 1], names[k]) > 0; k--) {
            const char *tn = names[k];
            names[k] = names[k - 1];
            names[k - 1] = tn;
            const json_t *tc = cols[k];
            cols[k] = cols[k - 1];
            cols[k - 1] = tc;
        }
    fprintf(out, "  hits, and documents with each code, by %s%s:\n", field,
            json_object_size(groups) > n ? " (first groups only; see the result)" : "");
    int w = n <= 4 ? 17 : 12; /* column width */
    /* Group names may take two header lines, broken at a space. */
    char head[2][MAX_COLUMNS][32];
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(names[i]), cut = len;
        if (len > (size_t)w) {
            cut = (size_t)w;
            while (cut > 0 && names[i][cut] != ' ')
                cut--;
            if (cut == 0)
                cut = (size_t)w;
        }
        snprintf(head[0][i], sizeof head[0][i], "%.*s", (int)cut, names[i]);
        snprintf(head[1][i], sizeof head[1][i], "%.*s", w, names[i] + cut + (names[i][cut] == ' '));
    }
    for (int line = 0; line < 2; line++) {
        fprintf(out, "  %-30s %6s %6s", "", line ? "" : "hits", line ? "" : "all");
        for (size_t i = 0; i < n; i++)
            fprintf(out, " %*s", w, head[line][i]);
        fputc('\n', out);
    }
    fprintf(out, "  %-30s %6s %6lld", "(documents)", "",
            (long long)json_integer_value(
                json_object_get(json_object_get(result, "totals"), "documents")));
    for (size_t i = 0; i < n; i++)
        fprintf(out, " %*lld", w,
                (long long)json_integer_value(json_object_get(cols[i], "documents")));
    fputc('\n', out);
    const json_t *codes = json_object_get(result, "codes");
    size_t b;
    json_t *book;
    json_array_foreach(json_object_get(prov, "codebooks"), b, book)
    {
        fprintf(out, "  %s\n", json_string_value(json_object_get(book, "name")));
        size_t i;
        json_t *id;
        json_array_foreach(json_object_get(book, "codes"), i, id)
        {
            const char *code = json_string_value(id);
            char label[64];
            int depth = depth_of(codes, code);
            snprintf(label, sizeof label, "%*s%s", 2 + 2 * depth, "", code);
            const json_t *entry = json_object_get(codes, code);
            const json_t *sub = json_object_get(entry, "subtree_hits");
            json_int_t hits = json_integer_value(sub ? sub : json_object_get(entry, "hits"));
            json_int_t all = docs_with(entry);
            if (all)
                fprintf(out, "  %-30s %6lld %6lld", label, (long long)hits, (long long)all);
            else
                fprintf(out, "  %-30s %6s %6s", label, "-", "-");
            for (size_t k = 0; k < n; k++) {
                json_int_t d = docs_with(json_object_get(json_object_get(cols[k], "codes"), code));
                if (d)
                    fprintf(out, " %*lld", w, (long long)d);
                else
                    fprintf(out, " %*s", w, "-");
            }
            fputc('\n', out);
        }
    }
}

void output_print_summary(FILE *out, const json_t *result, const char *where)
{
    const json_t *totals = json_object_get(result, "totals");
    const json_t *codes = json_object_get(result, "codes");
    json_int_t tokens = int_at(totals, "tokens"), hits = int_at(totals, "hits");
    fprintf(out, "qualpipe: result written to %s\n", where);
    fprintf(out, "  documents  %lld coded, %lld skipped\n", (long long)int_at(totals, "documents"),
            (long long)int_at(totals, "skipped"));
    fprintf(out, "  tokens     %lld\n", (long long)tokens);
    fprintf(out, "  hits       %lld (%.1f per 1,000 tokens)\n", (long long)hits,
            tokens ? 1000.0 * (double)hits / (double)tokens : 0.0);
    if (json_object_size(json_object_get(result, "groups"))) {
        print_matrix(out, result);
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
                fprintf(out, "  %-10s %s: %lld hit%s in %lld document%s\n", label, r[i].id,
                        (long long)r[i].hits, r[i].hits == 1 ? "" : "s", (long long)r[i].documents,
                        r[i].documents == 1 ? "" : "s");
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

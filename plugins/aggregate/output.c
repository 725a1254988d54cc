/* output.c - the aggregate's result as a wide CSV table. */
#include "config.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static json_int_t int_of(const json_t *obj, const char *key)
{
    return json_integer_value(json_object_get(obj, key));
}

/* Returns a document's value of a --by field, or "" without one. */
static const char *group_of(const json_t *doc, const char *field)
{
    const char *v = json_string_value(json_object_get(json_object_get(doc, "groups"), field));
    return v ? v : "";
}

/* Writes one CSV field (quoted when needed) and a separator or the line end. */
static int csv_field(FILE *out, const char *s, int last)
{
    return csv_fwrite(out, s, strlen(s)) == 0 && fputc(last ? '\n' : ',', out) != EOF ? 0 : -1;
}

int output_write_csv(FILE *out, const json_t *result, const char *const *by, size_t n_by)
{
    const json_t *prov = json_object_get(result, "provenance");
    json_t *codes = json_array();
    size_t b, i;
    json_t *book, *id;
    json_array_foreach(json_object_get(prov, "codebooks"), b, book)
        json_array_foreach(json_object_get(book, "codes"), i, id) json_array_append(codes, id);
    int bad = 0;
    for (const char *const *h =
             (const char *const[]){"document", "tokens", "segments", "hits", NULL};
         *h && !bad; h++)
        bad = csv_field(out, *h, 0);
    for (size_t f = 0; f < n_by && !bad; f++)
        bad = csv_field(out, by[f], 0);
    json_array_foreach(codes, i, id) if (!bad) bad =
        csv_field(out, json_string_value(id), i + 1 == json_array_size(codes));
    const char *doc;
    json_t *d;
    /* Documents in id order, like the JSON. */
    size_t n = json_object_size(json_object_get(result, "documents")), k = 0;
    const char **ids = calloc(n ? n : 1, sizeof *ids);
    if (!ids) {
        json_decref(codes);
        return -1;
    }
    json_object_foreach(json_object_get(result, "documents"), doc, d) ids[k++] = doc;
    qsort(ids, k, sizeof *ids, compare_strings);
    for (size_t r = 0; r < k && !bad; r++) {
        d = json_object_get(json_object_get(result, "documents"), ids[r]);
        bad = csv_field(out, ids[r], 0) ||
              fprintf(out, "%lld,%lld,%lld,", (long long)int_of(d, "tokens"),
                      (long long)int_of(d, "segments"), (long long)int_of(d, "hits")) < 0;
        for (size_t f = 0; f < n_by && !bad; f++)
            bad = csv_field(out, group_of(d, by[f]), 0);
        json_array_foreach(codes, i, id) if (!bad) bad =
            fprintf(out, "%lld%c",
                    (long long)int_of(json_object_get(d, "codes"), json_string_value(id)),
                    i + 1 == json_array_size(codes) ? '\n' : ',') < 0;
    }
    free(ids);
    json_decref(codes);
    return bad || ferror(out) ? -1 : 0;
}

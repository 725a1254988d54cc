/* summary.c - the few lines a researcher reads after a run. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "commands.h"

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

void qp_print_summary(FILE *out, const json_t *result, const char *where)
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
    const json_t *none = json_object_get(result, "codes_without_hits");
    if (json_array_size(none)) {
        fprintf(out, "  no hits    ");
        size_t i;
        json_t *v;
        json_array_foreach(none, i, v) fprintf(out, "%s%s", i ? ", " : "", json_string_value(v));
        fputc('\n', out);
    }
}

/* cooccur.c - counting codes that occur in the same document or segment. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cooccur.h"
#include "util/grow.h"

int cooccur_init(cooccur *c, size_t n_codes)
{
    memset(c, 0, sizeof *c);
    c->n_codes = n_codes;
    if (n_codes > COOCCUR_MAX_CODES || n_codes == 0)
        return 0;
    c->documents = calloc(n_codes * n_codes, sizeof *c->documents);
    c->segments = calloc(n_codes * n_codes, sizeof *c->segments);
    return c->documents && c->segments ? 0 : -1;
}

void cooccur_free(cooccur *c)
{
    free(c->documents);
    free(c->segments);
    free(c->keys);
}

int cooccur_add(cooccur *c, const unsigned char *present, const uint64_t *segs, size_t n_segs,
                int grouped)
{
    if (!c->documents)
        return 0;
    size_t n = c->n_codes;
    for (size_t a = 0; a < n; a++)
        if (present[a])
            for (size_t b = a + 1; b < n; b++)
                c->documents[a * n + b] += present[b];
    if (qp_grow(&c->keys, &c->keys_cap, 2 * n_segs + 1, sizeof *c->keys, 256) < 0)
        return -1;
    for (size_t i = 0; i < n_segs; i++)
        c->keys[i] = (qp_keyed){segs[i], 0};
    if (!grouped)
        qp_radix_sort(c->keys, c->keys + n_segs, n_segs);
    /* Runs of one segment: every pair of distinct codes in it, once. */
    for (size_t i = 0; i < n_segs;) {
        size_t j = i;
        while (j < n_segs && c->keys[j].key >> 32 == c->keys[i].key >> 32)
            j++;
        for (size_t x = i; x < j; x++) {
            if (x > i && c->keys[x].key == c->keys[x - 1].key)
                continue;
            for (size_t y = x + 1; y < j; y++) {
                if (c->keys[y].key == c->keys[y - 1].key)
                    continue;
                size_t a = c->keys[x].key & 0xffffffffu, b = c->keys[y].key & 0xffffffffu;
                c->segments[(a < b ? a : b) * n + (a < b ? b : a)]++;
            }
        }
        i = j;
    }
    return 0;
}

/* Returns one matrix as nested objects of the pairs seen. */
static json_t *matrix_json(const uint64_t *m, size_t n, const char *const *ids)
{
    json_t *out = json_object();
    for (size_t a = 0; out && a < n; a++) {
        json_t *row = NULL;
        for (size_t b = a + 1; b < n; b++) {
            if (!m[a * n + b])
                continue;
            if (!row)
                row = json_object();
            json_object_set_new(row, ids[b], json_pack("{s:I}", "count", (json_int_t)m[a * n + b]));
        }
        if (row)
            json_object_set_new(out, ids[a], row);
    }
    return out;
}

json_t *cooccur_json(const cooccur *c, const char *const *ids)
{
    if (!c->documents)
        return json_pack("{s:s}", "omitted",
                         c->n_codes ? "more codes than the matrices are kept for (2000)"
                                    : "no codes");
    return json_pack("{s:o, s:o}", "documents", matrix_json(c->documents, c->n_codes, ids),
                     "segments", matrix_json(c->segments, c->n_codes, ids));
}

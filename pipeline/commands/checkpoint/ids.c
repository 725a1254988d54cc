/* ids.c - an open-addressing table of document-id hashes (see ids.h). */
#include "config.h"

#include <stdlib.h>

#include "ids.h"
#include "util/hash.h"

/* Returns the hash of id, never 0 (an empty slot). */
static uint64_t hash_id(const char *id)
{
    uint64_t h = qp_hash_string(id);
    return h ? h : 1;
}

/* Puts (h, part) in the first free slot of its probe sequence. */
static void place(ck_ids *ids, uint64_t h, uint32_t part)
{
    size_t i = (size_t)h & (ids->cap - 1);
    while (ids->hash[i])
        i = (i + 1) & (ids->cap - 1);
    ids->hash[i] = h;
    ids->part[i] = part;
}

/* Doubles the table (or makes its first). Returns 0, or -1 when out of memory. */
static int grow(ck_ids *ids)
{
    size_t cap = ids->cap ? ids->cap * 2 : 1024;
    ck_ids bigger = {calloc(cap, sizeof *bigger.hash), calloc(cap, sizeof *bigger.part), ids->n,
                     cap};
    if (!bigger.hash || !bigger.part) {
        ck_ids_free(&bigger);
        return -1;
    }
    for (size_t i = 0; i < ids->cap; i++)
        if (ids->hash[i])
            place(&bigger, ids->hash[i], ids->part[i]);
    ck_ids_free(ids);
    *ids = bigger;
    return 0;
}

int ck_ids_add(ck_ids *ids, const char *id, uint32_t part)
{
    if ((ids->n + 1) * 4 > ids->cap * 3 && grow(ids) < 0)
        return -1;
    place(ids, hash_id(id), part);
    ids->n++;
    return 0;
}

int ck_ids_each_match(const ck_ids *ids, const char *id, int (*found)(void *ctx, uint32_t part),
                      void *ctx)
{
    if (!ids->cap)
        return 0;
    uint64_t h = hash_id(id);
    int rc = 0;
    for (size_t i = (size_t)h & (ids->cap - 1); ids->hash[i] && !rc; i = (i + 1) & (ids->cap - 1))
        if (ids->hash[i] == h)
            rc = found(ctx, ids->part[i]);
    return rc;
}

void ck_ids_free(ck_ids *ids)
{
    free(ids->hash);
    free(ids->part);
    ids->hash = NULL;
    ids->part = NULL;
    ids->n = ids->cap = 0;
}

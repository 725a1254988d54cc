/* cooccur.h - code x code co-occurrence counts, by document and by segment. A
 * code is present in a unit when it or a code below it has a hit there. */
#ifndef QP_COOCCUR_H
#define QP_COOCCUR_H

#include <stddef.h>
#include <stdint.h>

#include <qualpipe/plugin.h>

#include "util/radix.h"

/* Past this many codes the matrices are left out (they grow with its square). */
#define COOCCUR_MAX_CODES 2000

typedef struct cooccur {
    size_t n_codes;
    uint64_t *documents, *segments; /* [a * n + b] for a < b; NULL when left out */
    qp_keyed *keys;
    size_t keys_cap;
} cooccur;

/* Prepares the matrices. Returns 0, or -1 when out of memory. */
int cooccur_init(cooccur *c, size_t n_codes);
void cooccur_free(cooccur *c);

/* Counts one document: present[k] says code k is in it; segs holds one key
 * (segment << 32 | code) per code present in a segment, each once, in any order,
 * or with `grouped` already grouped by segment. Returns 0, or -1 when out of
 * memory. */
int cooccur_add(cooccur *c, const unsigned char *present, const uint64_t *segs, size_t n_segs,
                int grouped);

/* Returns {"documents": {A: {B: {"count": n}}}, "segments": {...}} with A before
 * B in codebook order and only pairs seen, or {"omitted": why}. */
json_t *cooccur_json(const cooccur *c, const char *const *ids);

#endif

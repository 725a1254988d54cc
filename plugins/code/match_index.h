/* match_index.h - a codebook's word and glob patterns indexed once per token
 * form: a hash table of whole words and a trie of glob prefixes, each pointing at
 * the patterns whose first part they are. Read-only once built, so any number of
 * matcher instances may share it. */
#ifndef QP_MATCH_INDEX_H
#define QP_MATCH_INDEX_H

#include <stdint.h>

#include "codebook/codebook.h"

typedef struct match_index match_index;

/* Builds the index for every word, glob, phrase and proximity pattern of cb (the
 * first part of each decides where it is filed). Returns it, or NULL when out of
 * memory. */
match_index *match_index_new(const qp_codebook *cb);
void match_index_free(match_index *x);

/* Returns 1 when some pattern compares tokens in this form. */
int match_index_uses(const match_index *x, qp_form form);

/* Calls found(ctx, pattern) for every pattern whose first part matches the token
 * whose form is s[0, len) with hash `hash` (see match_hash): whole words first,
 * then globs. Returns 0, or the first non-zero value found returned. */
int match_index_lookup(const match_index *x, const qp_codebook *cb, qp_form form, const char *s,
                       uint32_t len, uint64_t hash, int (*found)(void *ctx, uint32_t pattern),
                       void *ctx);

/* The token hash: bytes packed eight to a word, each word mixed in. match_hash
 * gives the same value as feeding the bytes one at a time through
 * match_hash_byte and finishing with match_hash_end. */
uint64_t match_hash(const char *s, size_t n);

static inline uint64_t match_hash_mix(uint64_t h, uint64_t w)
{
    h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
    return h ^ (h >> 29);
}

static inline uint64_t match_hash_end(uint64_t h, uint64_t w, size_t n)
{
    h = match_hash_mix(h, w) ^ n;
    h *= 0xff51afd7ed558ccdull;
    return h ^ (h >> 32);
}

#define MATCH_HASH_SEED 0x9e3779b97f4a7c15ull

#endif

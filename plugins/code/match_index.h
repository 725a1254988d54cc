/* match_index.h - a codebook's word, glob, phrase and proximity patterns indexed
 * once per token form as a trie over tokens: from each node, a token leads on by
 * a hash probe (whole words) and by one walk of a character trie (glob prefixes),
 * and a node lists the patterns whose parts end there. A phrase is found by
 * following its words one token at a time, so a token tries only the patterns
 * that can still match: "not" leads to one node, from which the next token is
 * looked up once, however many phrases begin with "not". Read-only once built, so
 * any number of matcher instances may share it. */
#ifndef QP_MATCH_INDEX_H
#define QP_MATCH_INDEX_H

#include <stdint.h>

#include "codebook/codebook.h"

typedef struct match_index match_index;

/* One token in one form: its bytes at base + off, and the hash of those bytes
 * (match_hash). */
typedef struct token_form {
    uint32_t off, len;
    uint64_t hash;
} token_form;

/* The tokens of one document in one form, and the unit each is in: the index
 * follows a phrase only while the unit stays the same. */
typedef struct match_tokens {
    const char *base;
    int padded; /* base holds 16 readable bytes past the end of every token */
    const token_form *forms;
    const uint32_t *unit;
    size_t n;
} match_tokens;

/* Builds the index for every word, glob, phrase and proximity pattern of cb (its
 * parts, or for proximity patterns the first operand's). Returns it, or NULL
 * when out of memory. */
match_index *match_index_new(const qp_codebook *cb);
void match_index_free(match_index *x);

/* Returns 1 when some pattern compares tokens in this form. */
int match_index_uses(const match_index *x, qp_form form);

/* A memo of where tokens lead, one per thread that walks (see match_index.c):
 * NULL when out of memory. */
typedef struct match_memo match_memo;
match_memo *match_memo_new(void);
void match_memo_free(match_memo *m);

/* Calls found(ctx, pattern, last) for every pattern whose parts match tokens
 * i..last of t (all in token i's unit), for each `last` they match, using and
 * filling `memo` (which may be NULL; it belongs to this index). Returns 0, or the
 * first non-zero value found returned. */
int match_index_walk(const match_index *x, qp_form form, const match_tokens *t, size_t i,
                     match_memo *memo, int (*found)(void *ctx, uint32_t pattern, size_t last),
                     void *ctx);

/* The token hash: bytes packed eight to a word, each word mixed in. match_hash
 * gives the same value as feeding the bytes one at a time through
 * match_hash_mix and finishing with match_hash_end. */
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

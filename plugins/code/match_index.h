/* match_index.h - a codebook's word, glob, phrase and proximity patterns indexed
 * once per token form as a trie over tokens: from each node, a token leads on by
 * one probe of the edge table for its whole word and one for each glob prefix
 * length ("literal*"), by a walk of a character trie for other globs, and a node
 * lists the patterns whose parts end there. A phrase is found by
 * following its words one token at a time, so a token tries only the patterns
 * that can still match: "not" leads to one node, from which the next token is
 * looked up once, however many phrases begin with "not". Read-only once built, so
 * any number of matcher instances may share it. */
#ifndef QP_MATCH_INDEX_H
#define QP_MATCH_INDEX_H

#include <stdint.h>
#include <string.h>

#include "codebook/codebook.h"

typedef struct match_index match_index;

/* The bytes of a token kept in its key: longer tokens are keyed by their first
 * MATCH_KEY bytes and compared in full where needed. */
#define MATCH_KEY 16

/* One token in one form: its bytes at base + off, and its key: the first
 * MATCH_KEY of them, zero-padded, as two little-endian words (match_key). */
typedef struct token_form {
    uint32_t off, len;
    uint64_t key[2];
} token_form;

/* Sets key to the first MATCH_KEY bytes of s[0, n), zero-padded. */
static inline void match_key(const char *s, size_t n, uint64_t key[2])
{
    unsigned char b[MATCH_KEY] = {0};
    memcpy(b, s, n < MATCH_KEY ? n : MATCH_KEY);
    memcpy(key, b, MATCH_KEY);
}

/* The tokens of one document in one form, and the unit each is in: the index
 * follows a phrase only while the unit stays the same. */
typedef struct match_tokens {
    const char *base;
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

/* Calls found(ctx, pattern, first, last) for every pattern whose parts match
 * tokens first..last of t (all in one unit; tokens whose unit is QP_NO_SEGMENT
 * are passed over), for each first in text order and each `last` they match,
 * using and filling `memo` (which may be NULL; it belongs to this index).
 * Returns 0, or the first non-zero value found returned. */
int match_index_walk(const match_index *x, qp_form form, const match_tokens *t, match_memo *memo,
                     int (*found)(void *ctx, uint32_t pattern, size_t first, size_t last),
                     void *ctx);

/* The hash of an edge's or a memo entry's key: the node it leaves, the length
 * (with any flag), and the key's two words. */
static inline uint64_t match_hash(uint32_t node, uint32_t len, uint64_t k0, uint64_t k1)
{
    uint64_t h = (k0 ^ ((uint64_t)node << 32 | len)) * 0x9e3779b97f4a7c15ull;
    h = (h ^ (h >> 31) ^ k1) * 0xc4ceb9fe1a85ec53ull;
    return h ^ (h >> 29);
}

#endif

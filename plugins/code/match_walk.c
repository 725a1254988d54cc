/* match_walk.c - walking the trie over tokens from one token, through a memo of
 * where tokens lead. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "match_index_impl.h"
#include "util/text.h"

/* A memo of where tokens lead: most tokens of a text are common words, so the
 * nodes a token reaches from a node (by its word edge, its glob prefixes and
 * every other glob its walk of the character trie matches) are kept, keyed by
 * the node and the token's bytes, and a repeated token costs one probe.
 * Direct-mapped; a newer entry replaces an older one. */
#define MEMO_BITS 13
#define MEMO_REACH 2 /* tokens reaching more nodes are not kept */

typedef struct memo_entry {
    uint64_t key[2]; /* the token's bytes, zero-padded */
    uint32_t node;
    uint8_t len; /* 0: unused */
    uint8_t n;
    uint16_t pad;
    uint32_t reach[MEMO_REACH];
} memo_entry;

struct match_memo {
    memo_entry e[1u << MEMO_BITS];
};

match_memo *match_memo_new(void)
{
    return calloc(1, sizeof(match_memo));
}

void match_memo_free(match_memo *m)
{
    free(m);
}

/* The state of one walk. */
typedef struct walk {
    const match_index *x;
    const match_tokens *t;
    match_memo *memo;
    size_t first; /* the token the walk began at */
    uint32_t unit;
    int (*found)(void *, uint32_t, size_t, size_t);
    void *ctx;
} walk;

static int step(const walk *w, uint32_t node, size_t j);
static int step_direct(const walk *w, uint32_t node, size_t j);

/* Token j reached node `node`: reports the patterns that end there and goes on
 * with the next token of the same unit. Returns 0 or found's first non-zero. */
static int reached(const walk *w, uint32_t node, size_t j)
{
    const pnode *n = &w->x->nodes[node];
    for (uint32_t k = 0; k < n->n_terms; k++) {
        int rc =
            w->found(w->ctx, n->n_terms == 1 ? n->term : w->x->terms[n->term + k], w->first, j);
        if (rc)
            return rc;
    }
    if (n->leads && j + 1 < w->t->n && w->t->unit[j + 1] == w->unit)
        return step(w, node, j + 1);
    return 0;
}

/* Returns the node the word edge from `node` by token f (bytes s) leads to, or 0. */
static inline uint32_t word_lead(const match_index *x, uint32_t node, const token_form *f,
                                 const char *s)
{
    return edge_child_of(x, node, f->len, f->key, s);
}

/* Returns the prefix lengths of the edges from node n that token f is long enough
 * for, as bits (bit l: length l). */
static inline uint32_t prefix_lens(const node_edges *n, const token_form *f)
{
    return f->len >= 31 ? n->prefix_lens : n->prefix_lens & ((2u << f->len) - 1);
}

/* Returns the node the prefix edge of length l from `node` leads to when token f
 * begins with its literal, or 0. */
static inline uint32_t prefix_lead(const match_index *x, uint32_t node, const token_form *f,
                                   uint32_t l)
{
    uint64_t key[2] = {l >= 8 ? f->key[0] : f->key[0] & ((1ull << (8 * l)) - 1),
                       l >= 16  ? f->key[1]
                       : l <= 8 ? 0
                                : f->key[1] & ((1ull << (8 * (l - 8))) - 1)};
    return edge_child_of(x, node, PREFIX_EDGE | l, key, ""); /* (never a long word) */
}

/* Follows the glob edges at character node c that token s[0, len) matches. */
static int glob_edges(const walk *w, const cnode *c, const char *s, uint32_t len, size_t j)
{
    for (uint32_t k = 0; k < c->n_edges; k++) {
        const qp_pattern_part *part = c->edges[k].part;
        if (part->prefix_only || qp_glob_match(part->folded, part->len, s, len)) {
            int rc = reached(w, c->edges[k].child, j);
            if (rc)
                return rc;
        }
    }
    return 0;
}

/* Follows every edge from `node` that token j matches: its word edge, its prefix
 * edges (one probe each), then the other glob edges along one walk of the
 * character trie. */
static int step_direct(const walk *w, uint32_t node, size_t j)
{
    const match_index *x = w->x;
    const node_edges *n = &x->edges_of[node];
    const token_form *f = &w->t->forms[j];
    const char *s = w->t->base + f->off;
    int rc = 0;
    uint32_t child;
    if (n->n_words && (child = word_lead(x, node, f, s)) && (rc = reached(w, child, j)))
        return rc;
    for (uint32_t lens = prefix_lens(n, f); lens; lens &= lens - 1)
        if ((child = prefix_lead(x, node, f, (uint32_t)__builtin_ctz(lens))) &&
            (rc = reached(w, child, j)))
            return rc;
    uint32_t c = n->glob_root;
    for (uint32_t depth = 0; c && !rc; depth++) {
        const cnode *cn = &x->chars[c];
        if (cn->n_edges)
            rc = glob_edges(w, cn, s, f->len, j);
        if (depth == f->len)
            break;
        c = cn->table ? cn->table[(unsigned char)s[depth]]
                      : char_child(x, c, (unsigned char)s[depth]);
    }
    return rc;
}

/* Fills out[0, max) with the nodes token f (bytes s) leads to from `node`, in
 * step_direct's order. Returns how many, or -1 when there are more than max. */
static int collect(const match_index *x, uint32_t node, const token_form *f, const char *s,
                   uint32_t *out, int max)
{
    const node_edges *n = &x->edges_of[node];
    int k = 0;
    uint32_t child;
    if (n->n_words && (child = word_lead(x, node, f, s)))
        out[k++] = child;
    for (uint32_t lens = prefix_lens(n, f); lens; lens &= lens - 1)
        if ((child = prefix_lead(x, node, f, (uint32_t)__builtin_ctz(lens)))) {
            if (k == max)
                return -1;
            out[k++] = child;
        }
    uint32_t c = n->glob_root;
    for (uint32_t depth = 0; c; depth++) {
        const cnode *cn = &x->chars[c];
        for (uint32_t i = 0; i < cn->n_edges; i++) {
            const qp_pattern_part *part = cn->edges[i].part;
            if (part->prefix_only || qp_glob_match(part->folded, part->len, s, f->len)) {
                if (k == max)
                    return -1;
                out[k++] = cn->edges[i].child;
            }
        }
        if (depth == f->len)
            break;
        c = cn->table ? cn->table[(unsigned char)s[depth]]
                      : char_child(x, c, (unsigned char)s[depth]);
    }
    return k;
}

/* As step_direct, through the memo: a token of up to MATCH_KEY bytes seen before
 * from this node costs one probe. */
static int step(const walk *w, uint32_t node, size_t j)
{
    const token_form *f = &w->t->forms[j];
    if (!w->memo || f->len > MATCH_KEY)
        return step_direct(w, node, j);
    uint64_t h = match_hash(node, f->len, f->key[0], f->key[1]);
    memo_entry *e = &w->memo->e[h >> (64 - MEMO_BITS)];
    if (!(e->key[0] == f->key[0] && e->key[1] == f->key[1] && e->node == node &&
          e->len == f->len)) {
        int n = collect(w->x, node, f, w->t->base + f->off, e->reach, MEMO_REACH);
        if (n < 0) {
            e->len = 0;
            return step_direct(w, node, j);
        }
        e->key[0] = f->key[0];
        e->key[1] = f->key[1];
        e->node = node;
        e->len = (uint8_t)f->len;
        e->n = (uint8_t)n;
    }
    uint32_t reach[MEMO_REACH];
    int n = e->n;
    memcpy(reach, e->reach, sizeof reach); /* reached() may walk on and reuse the slot */
    for (int k = 0; k < n; k++) {
        int rc = reached(w, reach[k], j);
        if (rc)
            return rc;
    }
    return 0;
}

int match_index_walk(const match_index *x, qp_form form, const match_tokens *t, match_memo *memo,
                     int (*found)(void *ctx, uint32_t pattern, size_t first, size_t last),
                     void *ctx)
{
    if (!x->root[form])
        return 0;
    const uint64_t *filter = x->first_two[form];
    walk w = {x, t, memo, 0, 0, found, ctx};
    for (size_t i = 0; i < t->n; i++) {
        if (t->unit[i] == QP_NO_SEGMENT)
            continue; /* outside every unit: not coded */
        const token_form *f = &t->forms[i];
        if (filter) {
            const unsigned char *s = (const unsigned char *)t->base + f->off;
            unsigned pair = (unsigned)s[0] << 8 | (f->len > 1 ? s[1] : 0);
            if (!(filter[pair >> 6] >> (pair & 63) & 1))
                continue;
        }
        w.first = i;
        w.unit = t->unit[i];
        int rc = step(&w, x->root[form], i);
        if (rc)
            return rc;
    }
    return 0;
}

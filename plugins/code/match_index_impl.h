/* match_index_impl.h - the trie over tokens as match_index.c builds it and
 * match_walk.c walks it. Not part of any interface. */
#ifndef QP_MATCH_INDEX_IMPL_H
#define QP_MATCH_INDEX_IMPL_H

#include <string.h>

#include "match_index.h"

/* A node: the parts matched so far. What a walk needs when it reaches one is
 * kept small (pnode), apart from how edges leave it (node_edges): by whole word
 * and by glob prefix (both in the edge table) or by other globs (its character
 * trie). */
typedef struct pnode {
    uint32_t term;         /* its one pattern; with several, the first's index in terms */
    uint32_t n_terms : 31; /* the patterns that end here */
    uint32_t leads : 1;    /* edges leave it: a walk goes on with the next token */
} pnode;

typedef struct node_edges {
    uint32_t glob_root;   /* character-trie node of its other glob edges, 0 for none */
    uint32_t n_words;     /* word edges that leave it */
    uint32_t prefix_lens; /* bit l: a prefix edge of length l leaves it */
} node_edges;

/* A pattern ending at a node, while the index is built. */
typedef struct node_term {
    uint32_t node, pattern;
} node_term;

/* An edge of the table: from `parent`, a token equal to the key (a word edge, len
 * its length) or beginning with it (a prefix edge, for a glob "literal*" of up to
 * MATCH_KEY bytes: len is PREFIX_EDGE | the literal's length), to `child`. */
typedef struct edge {
    uint64_t key[2]; /* the first MATCH_KEY bytes, zero-padded */
    uint32_t parent, child;
    uint32_t len;       /* 0: an empty slot */
    uint32_t long_word; /* a word longer than MATCH_KEY: its index in long_words, else 0 */
} edge;

#define PREFIX_EDGE 0x80000000u
#define EDGE_FILTER_BITS 20 /* 128 KiB */

/* A glob edge: a token matching `part` leads to `child`. */
typedef struct glob_edge {
    const qp_pattern_part *part;
    uint32_t child;
} glob_edge;

/* A character-trie node: children by byte, and the glob edges whose literal
 * prefix (the part before the first * or ?) ends here. */
typedef struct cnode {
    unsigned char *labels;
    uint32_t *children;
    uint32_t n_children;
    uint32_t *table; /* children by byte, for nodes with many (see WIDE_NODE) */
    glob_edge *edges;
    uint32_t n_edges;
} cnode;

/* A node with more children than this gets a table indexed by byte. */
#define WIDE_NODE 4

struct match_index {
    /* Per form, the first two bytes of every token that can leave the root: a
     * token whose first two bytes are not among them matches nothing, and is
     * passed over with one load from an 8 KiB table. NULL: every token may match
     * (a glob with nothing before its first * or ?). */
    uint64_t *first_two[QP_N_FORMS];
    pnode *nodes;
    node_edges *edges_of; /* by node, as nodes */
    size_t n_nodes, nodes_cap, edges_of_cap;
    uint32_t *terms;     /* the patterns of nodes with several, node by node */
    node_term *building; /* (node, pattern) in the order patterns were added */
    size_t n_building, building_cap;
    uint32_t root[QP_N_FORMS]; /* each form's root node, 0 when the form is unused */
    edge *edges;
    size_t edges_cap, n_edges; /* edges_cap: a power of two */
    /* One bit per hash of every edge (a Bloom filter with one function): a
     * clear bit means no such edge. */
    uint64_t *edge_filter;
    const char **long_words; /* [0] is unused */
    size_t n_long_words, long_words_cap;
    cnode *chars; /* [0] is unused, so 0 means "none" */
    size_t n_chars, chars_cap;
};

/* Returns the slot of the edge from `parent` with this length and key (for a
 * word longer than MATCH_KEY, `s` is the whole word), or the empty slot it would
 * take. */
static inline edge *edge_slot(const match_index *x, uint32_t parent, uint32_t len,
                              const uint64_t key[2], const char *s)
{
    size_t mask = x->edges_cap - 1;
    for (size_t i = match_hash(parent, len, key[0], key[1]) & mask;; i = (i + 1) & mask) {
        edge *e = &x->edges[i];
        if (!e->len ||
            (e->key[0] == key[0] && e->key[1] == key[1] && e->parent == parent && e->len == len &&
             (!e->long_word || memcmp(x->long_words[e->long_word], s, len) == 0)))
            return e;
    }
}

/* The bit of the edge filter for an edge's hash. */
static inline size_t filter_bit(uint64_t hash)
{
    return (size_t)(hash >> (64 - EDGE_FILTER_BITS));
}

/* Returns the child the edge from `parent` with this length and key leads to,
 * or 0 when there is none: most lookups of a token that leads nowhere stop at
 * the filter, which is small enough to stay in cache, instead of the table. */
static inline uint32_t edge_child_of(const match_index *x, uint32_t parent, uint32_t len,
                                     const uint64_t key[2], const char *s)
{
    size_t bit = filter_bit(match_hash(parent, len, key[0], key[1]));
    if (!(x->edge_filter[bit >> 6] >> (bit & 63) & 1))
        return 0;
    const edge *e = edge_slot(x, parent, len, key, s);
    return e->len ? e->child : 0;
}

/* Returns the child of character node c by byte b, or 0. */
static inline uint32_t char_child(const match_index *x, uint32_t c, unsigned char b)
{
    const cnode *n = &x->chars[c];
    if (n->table)
        return n->table[b];
    for (uint32_t i = 0; i < n->n_children; i++)
        if (n->labels[i] == b)
            return n->children[i];
    return 0;
}

#endif

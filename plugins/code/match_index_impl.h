/* match_index_impl.h - the trie over tokens as match_index.c builds it and
 * match_walk.c walks it. Not part of any interface. */
#ifndef QP_MATCH_INDEX_IMPL_H
#define QP_MATCH_INDEX_IMPL_H

#include <string.h>

#include "match_index.h"

/* A node: the parts matched so far. Edges leave it by whole word (the hash table)
 * or by glob (its character trie); `terms` are the patterns that end here. */
typedef struct pnode {
    uint32_t glob_root; /* character-trie node of its glob edges, 0 for none */
    uint32_t n_words;   /* word edges that leave it */
    uint32_t *terms;
    uint32_t n_terms;
    size_t terms_cap;
} pnode;

/* A word edge: from `parent` by the token `key` to `child`. */
typedef struct word_edge {
    const char *key; /* NULL: empty slot */
    uint32_t len;
    uint32_t parent, child;
    uint64_t hash;
} word_edge;

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
    size_t n_nodes, nodes_cap;
    uint32_t root[QP_N_FORMS]; /* each form's root node, 0 when the form is unused */
    word_edge *words;
    size_t words_cap, n_words; /* words_cap: a power of two */
    cnode *chars;              /* [0] is unused, so 0 means "none" */
    size_t n_chars, chars_cap;
};

/* Returns the slot of edge (parent, key), or the empty slot it would take. */
static inline word_edge *word_slot(const match_index *x, uint32_t parent, const char *key,
                                   size_t len, uint64_t h)
{
    size_t mask = x->words_cap - 1;
    for (size_t i = (h ^ (parent * 0x9e3779b97f4a7c15ull)) & mask;; i = (i + 1) & mask) {
        word_edge *e = &x->words[i];
        if (!e->key ||
            (e->hash == h && e->parent == parent && e->len == len && memcmp(e->key, key, len) == 0))
            return e;
    }
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

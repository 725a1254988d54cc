/* match_index.c - building the trie over tokens: nodes, word and glob-prefix
 * edges in one hash table, other glob edges in character tries, and the
 * first-two-bytes filter. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "match_index_impl.h"
#include "util/grow.h"

/* Returns a new node's index, or 0 when out of memory. */
static uint32_t new_node(match_index *x)
{
    if (qp_grow(&x->nodes, &x->nodes_cap, x->n_nodes + 1, sizeof *x->nodes, 64) < 0 ||
        qp_grow(&x->edges_of, &x->edges_of_cap, x->n_nodes + 1, sizeof *x->edges_of, 64) < 0)
        return 0;
    memset(&x->nodes[x->n_nodes], 0, sizeof x->nodes[x->n_nodes]);
    memset(&x->edges_of[x->n_nodes], 0, sizeof x->edges_of[x->n_nodes]);
    return (uint32_t)x->n_nodes++;
}

/* Returns a new character node's index, or 0 when out of memory. */
static uint32_t new_char(match_index *x)
{
    if (qp_grow(&x->chars, &x->chars_cap, x->n_chars + 1, sizeof *x->chars, 64) < 0)
        return 0;
    memset(&x->chars[x->n_chars], 0, sizeof x->chars[x->n_chars]);
    return (uint32_t)x->n_chars++;
}

/* Doubles the edge table. Returns 0, or -1 when out of memory. */
static int grow_edges(match_index *x)
{
    edge *old = x->edges;
    size_t old_cap = x->edges_cap;
    x->edges_cap = old_cap ? 2 * old_cap : 64;
    if (!(x->edges = calloc(x->edges_cap, sizeof *x->edges))) {
        x->edges = old;
        x->edges_cap = old_cap;
        return -1;
    }
    for (size_t i = 0; i < old_cap; i++)
        if (old[i].len) {
            const char *s = old[i].long_word ? x->long_words[old[i].long_word] : NULL;
            *edge_slot(x, old[i].parent, old[i].len, old[i].key, s) = old[i];
        }
    free(old);
    return 0;
}

/* Returns the node the edge from `from` by (len, bytes s) leads to, adding it;
 * 0 when out of memory. */
static uint32_t edge_child(match_index *x, uint32_t from, uint32_t len, const char *s)
{
    if (4 * (x->n_edges + 1) > 3 * x->edges_cap && grow_edges(x) < 0) /* at most 3/4 full */
        return 0;
    uint64_t key[2];
    size_t n = len & ~PREFIX_EDGE;
    match_key(s, n, key);
    edge *e = edge_slot(x, from, len, key, s);
    if (e->len)
        return e->child;
    uint32_t long_word = 0;
    if (n > MATCH_KEY) {
        if (qp_grow(&x->long_words, &x->long_words_cap, x->n_long_words + 2, sizeof *x->long_words,
                    16) < 0)
            return 0;
        if (!x->n_long_words)
            x->n_long_words = 1; /* [0] means "none" */
        long_word = (uint32_t)x->n_long_words;
        x->long_words[x->n_long_words++] = s;
    }
    uint32_t child = new_node(x);
    if (!child)
        return 0;
    *e = (edge){{key[0], key[1]}, from, child, len, long_word};
    x->n_edges++;
    size_t bit = filter_bit(match_hash(from, len, key[0], key[1]));
    x->edge_filter[bit >> 6] |= 1ull << (bit & 63);
    if (len & PREFIX_EDGE)
        x->edges_of[from].prefix_lens |= 1u << n;
    else
        x->edges_of[from].n_words++;
    return child;
}

/* Returns the character node for `prefix` below c, adding nodes; 0 when out of
 * memory. */
static uint32_t char_path(match_index *x, uint32_t c, const char *prefix, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char b = (unsigned char)prefix[i];
        uint32_t next = char_child(x, c, b);
        if (!next) {
            if (!(next = new_char(x)))
                return 0;
            cnode *n = &x->chars[c];
            unsigned char *l = realloc(n->labels, n->n_children + 1);
            if (l)
                n->labels = l;
            uint32_t *ch = realloc(n->children, (n->n_children + 1) * sizeof *ch);
            if (ch)
                n->children = ch;
            if (!l || !ch)
                return 0;
            n->labels[n->n_children] = b;
            n->children[n->n_children++] = next;
        }
        c = next;
    }
    return c;
}

/* Returns the node a glob part leads to from `from`, adding it (two parts with
 * the same glob share the node); 0 when out of memory. */
static uint32_t glob_child(match_index *x, uint32_t from, const qp_pattern_part *part)
{
    if (part->prefix_only && part->len - 1 <= MATCH_KEY) /* "literal*": a prefix edge */
        return edge_child(x, from, PREFIX_EDGE | (uint32_t)(part->len - 1), part->folded);
    if (!x->edges_of[from].glob_root) {
        uint32_t r = new_char(x);
        if (!r)
            return 0;
        x->edges_of[from].glob_root = r;
    }
    uint32_t c =
        char_path(x, x->edges_of[from].glob_root, part->folded, strcspn(part->folded, "*?"));
    if (!c)
        return 0;
    cnode *n = &x->chars[c];
    for (uint32_t i = 0; i < n->n_edges; i++)
        if (n->edges[i].part->len == part->len &&
            memcmp(n->edges[i].part->folded, part->folded, part->len) == 0)
            return n->edges[i].child;
    uint32_t child = new_node(x);
    glob_edge *e = child ? realloc(n->edges, (n->n_edges + 1) * sizeof *e) : NULL;
    if (!e)
        return 0;
    n->edges = e;
    n->edges[n->n_edges++] = (glob_edge){part, child};
    return child;
}

/* Adds pattern p of cb under its parts. Returns 0, or -1 when out of memory. */
static int insert(match_index *x, const qp_pattern *p, uint32_t pattern)
{
    qp_form form = p->parts[0].form;
    if (!x->root[form] && !(x->root[form] = new_node(x)))
        return -1;
    uint32_t node = x->root[form];
    for (size_t k = 0; k < p->n_parts && node; k++)
        node = p->parts[k].is_glob
                   ? glob_child(x, node, &p->parts[k])
                   : edge_child(x, node, (uint32_t)p->parts[k].len, p->parts[k].folded);
    if (!node)
        return -1;
    if (qp_grow(&x->building, &x->building_cap, x->n_building + 1, sizeof *x->building, 64) < 0)
        return -1;
    x->building[x->n_building++] = (node_term){node, pattern};
    x->nodes[node].n_terms++;
    return 0;
}

/* Gives every node its patterns, in the order they were added: the one pattern
 * itself, or several as a run of terms; and marks the nodes edges leave. Returns
 * 0, or -1 when out of memory. */
static int lay_out_terms(match_index *x)
{
    uint32_t *filled = calloc(x->n_nodes, sizeof *filled);
    if (!filled || !(x->terms = malloc((x->n_building + 1) * sizeof *x->terms))) {
        free(filled);
        return -1;
    }
    uint32_t at = 0;
    for (size_t i = 0; i < x->n_nodes; i++) {
        pnode *n = &x->nodes[i];
        const node_edges *e = &x->edges_of[i];
        n->leads = e->n_words || e->prefix_lens || e->glob_root;
        if (n->n_terms > 1) {
            n->term = at;
            at += n->n_terms;
        }
    }
    for (size_t i = 0; i < x->n_building; i++) {
        pnode *n = &x->nodes[x->building[i].node];
        if (n->n_terms == 1)
            n->term = x->building[i].pattern;
        else
            x->terms[n->term + filled[x->building[i].node]++] = x->building[i].pattern;
    }
    free(filled);
    free(x->building);
    x->building = NULL;
    return 0;
}

/* Gives character nodes with many children a table by byte, so a walk costs one
 * load per byte. Returns 0, or -1 when out of memory. */
static int widen(match_index *x)
{
    for (size_t i = 1; i < x->n_chars; i++) {
        cnode *n = &x->chars[i];
        if (n->n_children <= WIDE_NODE)
            continue;
        if (!(n->table = calloc(256, sizeof *n->table)))
            return -1;
        for (uint32_t c = 0; c < n->n_children; c++)
            n->table[n->labels[c]] = n->children[c];
    }
    return 0;
}

/* Marks in `bits` the first two bytes of tokens that `lead` (a word, or a glob's
 * part before its first * or ?, of length n) can match; a shorter lead marks
 * every second byte. Returns 0, or -1 when a lead is empty (no filter). */
static int mark_lead(uint64_t *bits, const char *lead, size_t n)
{
    if (n == 0)
        return -1;
    unsigned b0 = (unsigned char)lead[0];
    unsigned first = n == 1 ? 0 : (unsigned char)lead[1], last = n == 1 ? 255 : first;
    for (unsigned b1 = first; b1 <= last; b1++)
        bits[(b0 << 8 | b1) >> 6] |= 1ull << ((b0 << 8 | b1) & 63);
    return 0;
}

/* Builds each used form's table of first two bytes (see first_two). Returns 0,
 * or -1 when out of memory. */
static int build_filters(match_index *x, const qp_codebook *cb)
{
    int open[QP_N_FORMS] = {0};
    for (int k = 0; k < QP_N_FORMS; k++)
        if (x->root[k] && !(x->first_two[k] = calloc(65536 / 64, sizeof(uint64_t))))
            return -1;
    for (size_t i = 0; i < cb->n_patterns; i++) {
        const qp_pattern *p = &cb->patterns[i];
        if (p->kind == QP_PAT_REGEX)
            continue;
        const qp_pattern_part *first = &p->parts[0];
        size_t n = first->is_glob ? strcspn(first->folded, "*?") : first->len;
        if (mark_lead(x->first_two[first->form], first->folded, n) < 0)
            open[first->form] = 1;
    }
    for (int k = 0; k < QP_N_FORMS; k++)
        if (open[k]) {
            free(x->first_two[k]);
            x->first_two[k] = NULL;
        }
    return 0;
}

match_index *match_index_new(const qp_codebook *cb)
{
    match_index *x = calloc(1, sizeof *x);
    if (!x)
        return NULL;
    /* Index 0 of nodes and of character nodes means "none". */
    new_node(x);
    new_char(x);
    x->edge_filter = calloc(((size_t)1 << EDGE_FILTER_BITS) / 64, sizeof *x->edge_filter);
    if (x->n_nodes != 1 || x->n_chars != 1 || !x->edge_filter)
        goto fail;
    for (size_t i = 0; i < cb->n_patterns; i++)
        if (cb->patterns[i].kind != QP_PAT_REGEX && insert(x, &cb->patterns[i], (uint32_t)i) < 0)
            goto fail;
    if (lay_out_terms(x) < 0 || widen(x) < 0 || build_filters(x, cb) < 0)
        goto fail;
    return x;
fail:
    match_index_free(x);
    return NULL;
}

void match_index_free(match_index *x)
{
    if (!x)
        return;
    for (int k = 0; k < QP_N_FORMS; k++)
        free(x->first_two[k]);
    free(x->terms);
    free(x->building);
    for (size_t i = 0; i < x->n_chars; i++) {
        free(x->chars[i].labels);
        free(x->chars[i].children);
        free(x->chars[i].table);
        free(x->chars[i].edges);
    }
    free(x->nodes);
    free(x->edges_of);
    free(x->chars);
    free(x->edges);
    free(x->edge_filter);
    free(x->long_words);
    free(x);
}

int match_index_uses(const match_index *x, qp_form form)
{
    return x->root[form] != 0;
}

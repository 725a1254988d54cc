/* match_index.c - the trie over tokens: nodes, word edges in one hash table,
 * glob edges in character tries, and the walk that follows them. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "match_index.h"
#include "util/grow.h"
#include "util/text.h"

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

uint64_t match_hash(const char *s, size_t n)
{
    uint64_t h = MATCH_HASH_SEED, w = 0;
    for (size_t i = 0; i < n; i++) {
        w |= (uint64_t)(unsigned char)s[i] << (8 * (i & 7));
        if ((i & 7) == 7) {
            h = match_hash_mix(h, w);
            w = 0;
        }
    }
    return match_hash_end(h, w, n);
}

/* Returns the slot of edge (parent, key), or the empty slot it would take. */
static word_edge *word_slot(const match_index *x, uint32_t parent, const char *key, size_t len,
                            uint64_t h)
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
static uint32_t char_child(const match_index *x, uint32_t c, unsigned char b)
{
    const cnode *n = &x->chars[c];
    if (n->table)
        return n->table[b];
    for (uint32_t i = 0; i < n->n_children; i++)
        if (n->labels[i] == b)
            return n->children[i];
    return 0;
}

/* Returns a new node's index, or 0 when out of memory. */
static uint32_t new_node(match_index *x)
{
    if (qp_grow(&x->nodes, &x->nodes_cap, x->n_nodes + 1, sizeof *x->nodes, 64) < 0)
        return 0;
    memset(&x->nodes[x->n_nodes], 0, sizeof x->nodes[x->n_nodes]);
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

/* Doubles the word table. Returns 0, or -1 when out of memory. */
static int grow_words(match_index *x)
{
    word_edge *old = x->words;
    size_t old_cap = x->words_cap;
    x->words_cap = old_cap ? 2 * old_cap : 64;
    if (!(x->words = calloc(x->words_cap, sizeof *x->words))) {
        x->words = old;
        x->words_cap = old_cap;
        return -1;
    }
    for (size_t i = 0; i < old_cap; i++)
        if (old[i].key)
            *word_slot(x, old[i].parent, old[i].key, old[i].len, old[i].hash) = old[i];
    free(old);
    return 0;
}

/* Returns the node a word part leads to from `from`, adding it; 0 when out of
 * memory. */
static uint32_t word_child(match_index *x, uint32_t from, const qp_pattern_part *part)
{
    if (2 * (x->n_words + 1) > x->words_cap && grow_words(x) < 0)
        return 0;
    uint64_t h = match_hash(part->folded, part->len);
    word_edge *e = word_slot(x, from, part->folded, part->len, h);
    if (e->key)
        return e->child;
    uint32_t child = new_node(x);
    if (!child)
        return 0;
    *e = (word_edge){part->folded, (uint32_t)part->len, from, child, h};
    x->n_words++;
    x->nodes[from].n_words++;
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
    if (!x->nodes[from].glob_root) {
        uint32_t r = new_char(x);
        if (!r)
            return 0;
        x->nodes[from].glob_root = r;
    }
    uint32_t c = char_path(x, x->nodes[from].glob_root, part->folded, strcspn(part->folded, "*?"));
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
        node = p->parts[k].is_glob ? glob_child(x, node, &p->parts[k])
                                   : word_child(x, node, &p->parts[k]);
    if (!node)
        return -1;
    pnode *n = &x->nodes[node];
    if (qp_grow(&n->terms, &n->terms_cap, n->n_terms + 1, sizeof *n->terms, 2) < 0)
        return -1;
    n->terms[n->n_terms++] = pattern;
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
    for (unsigned b1 = 0; b1 < 256; b1++)
        if (n == 1 || b1 == (unsigned char)lead[1])
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
    if (x->n_nodes != 1 || x->n_chars != 1)
        goto fail;
    for (size_t i = 0; i < cb->n_patterns; i++)
        if (cb->patterns[i].kind != QP_PAT_REGEX && insert(x, &cb->patterns[i], (uint32_t)i) < 0)
            goto fail;
    if (widen(x) < 0 || build_filters(x, cb) < 0)
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
    for (size_t i = 0; i < x->n_nodes; i++)
        free(x->nodes[i].terms);
    for (size_t i = 0; i < x->n_chars; i++) {
        free(x->chars[i].labels);
        free(x->chars[i].children);
        free(x->chars[i].table);
        free(x->chars[i].edges);
    }
    free(x->nodes);
    free(x->chars);
    free(x->words);
    free(x);
}

int match_index_uses(const match_index *x, qp_form form)
{
    return x->root[form] != 0;
}

/* A memo of where tokens lead: most tokens of a text are common words, so the
 * nodes a token reaches from a node (by its word edge and by every glob its walk
 * of the character trie matches) are kept, keyed by the node and the token's
 * bytes, and a repeated token costs one probe. Direct-mapped; a newer entry
 * replaces an older one. */
#define MEMO_BITS 13
#define MEMO_KEY 8   /* longer tokens are not kept (most words are shorter) */
#define MEMO_REACH 2 /* tokens reaching more nodes are not kept */

typedef struct memo_entry {
    uint64_t hash;
    uint64_t key; /* the token's bytes, zero-padded */
    uint32_t node;
    uint8_t len, n, used, pad;
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
    uint32_t unit;
    int (*found)(void *, uint32_t, size_t);
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
        int rc = w->found(w->ctx, n->terms[k], j);
        if (rc)
            return rc;
    }
    if ((n->n_words || n->glob_root) && j + 1 < w->t->n && w->t->unit[j + 1] == w->unit)
        return step(w, node, j + 1);
    return 0;
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

/* Follows every edge from `node` that token j matches: its word edge (one
 * probe), then the glob edges along one walk of the character trie. */
static int step_direct(const walk *w, uint32_t node, size_t j)
{
    const match_index *x = w->x;
    const pnode *n = &x->nodes[node];
    const token_form *f = &w->t->forms[j];
    const char *s = w->t->base + f->off;
    int rc = 0;
    if (n->n_words) {
        const word_edge *e = word_slot(x, node, s, f->len, f->hash);
        if (e->key && (rc = reached(w, e->child, j)))
            return rc;
    }
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

/* Fills out[0, max) with the nodes token s leads to from `node`. Returns how
 * many, or -1 when there are more than max. */
static int collect(const match_index *x, uint32_t node, const char *s, uint32_t len, uint64_t hash,
                   uint32_t *out, int max)
{
    const pnode *n = &x->nodes[node];
    int k = 0;
    if (n->n_words) {
        const word_edge *e = word_slot(x, node, s, len, hash);
        if (e->key)
            out[k++] = e->child;
    }
    uint32_t c = n->glob_root;
    for (uint32_t depth = 0; c; depth++) {
        const cnode *cn = &x->chars[c];
        for (uint32_t i = 0; i < cn->n_edges; i++) {
            const qp_pattern_part *part = cn->edges[i].part;
            if (part->prefix_only || qp_glob_match(part->folded, part->len, s, len)) {
                if (k == max)
                    return -1;
                out[k++] = cn->edges[i].child;
            }
        }
        if (depth == len)
            break;
        c = cn->table ? cn->table[(unsigned char)s[depth]]
                      : char_child(x, c, (unsigned char)s[depth]);
    }
    return k;
}

/* As step_direct, through the memo: a token seen before from this node costs
 * one probe. */
static int step(const walk *w, uint32_t node, size_t j)
{
    const token_form *f = &w->t->forms[j];
    const char *s = w->t->base + f->off;
    if (!w->memo || f->len > MEMO_KEY)
        return step_direct(w, node, j);
    uint64_t mixed = (f->hash ^ (node * 0x9e3779b97f4a7c15ull)) * 0xff51afd7ed558ccdull;
    memo_entry *e = &w->memo->e[mixed >> (64 - MEMO_BITS)];
    uint64_t key = 0;
    memcpy(&key, s, f->len);
    if (!(e->used && e->hash == f->hash && e->key == key && e->node == node &&
          e->len == f->len)) {
        int n = collect(w->x, node, s, f->len, f->hash, e->reach, MEMO_REACH);
        if (n < 0) {
            e->used = 0;
            return step_direct(w, node, j);
        }
        e->used = 1;
        e->hash = f->hash;
        e->node = node;
        e->len = (uint8_t)f->len;
        e->n = (uint8_t)n;
        e->key = key;
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

int match_index_walk(const match_index *x, qp_form form, const match_tokens *t, size_t i,
                     match_memo *memo, int (*found)(void *ctx, uint32_t pattern, size_t last),
                     void *ctx)
{
    if (!x->root[form])
        return 0;
    const uint64_t *filter = x->first_two[form];
    if (filter) {
        const token_form *f = &t->forms[i];
        const unsigned char *s = (const unsigned char *)t->base + f->off;
        unsigned pair = (unsigned)s[0] << 8 | (f->len > 1 ? s[1] : 0);
        if (!(filter[pair >> 6] >> (pair & 63) & 1))
            return 0;
    }
    walk w = {x, t, memo, t->unit[i], found, ctx};
    return step(&w, x->root[form], i);
}

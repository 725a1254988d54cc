/* match_index.c - hash tables of words and tries of glob prefixes, per token form. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "util/grow.h"
#include "match_index.h"
#include "util/text.h"

/* One slot of a word table: a word in some form and the patterns whose first part
 * it is (a run of `entries`). */
typedef struct word_slot {
    const char *key; /* NULL: empty slot */
    uint32_t len;
    uint32_t first, count;
    uint64_t hash;
} word_slot;

/* One trie node: edges by byte, and the glob patterns whose literal prefix ends here. */
typedef struct trie_node {
    unsigned char *labels;
    uint32_t *children;
    uint32_t n_children;
    uint32_t first, count;
    uint32_t *table; /* children by byte, for nodes with many (see WIDE_NODE) */
} trie_node;

/* A node with more children than this gets a table indexed by byte. */
#define WIDE_NODE 8

typedef struct form_index {
    word_slot *words;
    size_t words_cap; /* a power of two */
    trie_node *trie;
    size_t n_trie, trie_cap;
    uint32_t root_child[256]; /* the root's edges by byte, 0 for none */
    int used;
} form_index;

struct match_index {
    form_index forms[QP_N_FORMS];
    uint32_t *entries; /* pattern indices, grouped per word slot and trie node */
    size_t n_entries;
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

/* Returns the slot holding key, or the empty one it would take. */
static word_slot *find_slot(const form_index *f, const char *key, size_t len, uint64_t h)
{
    size_t mask = f->words_cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        word_slot *s = &f->words[i];
        if (!s->key || (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0))
            return s;
    }
}

/* Returns the child of node by byte c, or 0 (the root is never a child). */
static uint32_t trie_child(const form_index *f, uint32_t node, unsigned char c)
{
    if (node == 0)
        return f->root_child[c];
    const trie_node *t = &f->trie[node];
    if (t->table)
        return t->table[c];
    for (uint32_t i = 0; i < t->n_children; i++)
        if (t->labels[i] == c)
            return t->children[i];
    return 0;
}

/* Sets *out to the node for prefix, adding nodes as needed. Returns 0, or -1. */
static int trie_insert(form_index *f, const char *prefix, size_t len, uint32_t *out)
{
    uint32_t node = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)prefix[i];
        uint32_t child = trie_child(f, node, c);
        if (!child) {
            if (qp_grow(&f->trie, &f->trie_cap, f->n_trie + 1, sizeof *f->trie, 64) < 0)
                return -1;
            trie_node *t = &f->trie[node];
            unsigned char *l = realloc(t->labels, t->n_children + 1);
            if (l)
                t->labels = l;
            uint32_t *ch = realloc(t->children, (t->n_children + 1) * sizeof *ch);
            if (ch)
                t->children = ch;
            if (!l || !ch)
                return -1;
            child = (uint32_t)f->n_trie++;
            memset(&f->trie[child], 0, sizeof f->trie[child]);
            t->labels[t->n_children] = c;
            t->children[t->n_children++] = child;
            if (node == 0)
                f->root_child[c] = child;
        }
        node = child;
    }
    *out = node;
    return 0;
}

void match_index_free(match_index *x)
{
    if (!x)
        return;
    for (int k = 0; k < QP_N_FORMS; k++) {
        form_index *f = &x->forms[k];
        for (size_t i = 0; i < f->n_trie; i++) {
            free(f->trie[i].labels);
            free(f->trie[i].children);
            free(f->trie[i].table);
        }
        free(f->trie);
        free(f->words);
    }
    free(x->entries);
    free(x);
}

/* A (form, key, pattern) triple while building. */
typedef struct pending {
    const char *key;
    uint32_t len;
    uint32_t pattern;
    int form, glob;
} pending;

/* Orders by form, words before globs, key, then pattern, so each key's patterns
 * are contiguous and in codebook order. */
static int by_key(const void *a, const void *b)
{
    const pending *x = a, *y = b;
    if (x->form != y->form)
        return x->form - y->form;
    if (x->glob != y->glob)
        return x->glob - y->glob;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->key, y->key, n);
    if (c)
        return c;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    return x->pattern < y->pattern ? -1 : x->pattern > y->pattern;
}

match_index *match_index_new(const qp_codebook *cb)
{
    match_index *x = calloc(1, sizeof *x);
    size_t n = cb->n_patterns, n_pending = 0, n_words[QP_N_FORMS] = {0};
    pending *p = calloc(n ? n : 1, sizeof *p);
    if (!x || !p || !(x->entries = calloc(n ? n : 1, sizeof *x->entries)))
        goto fail;
    for (size_t i = 0; i < n; i++) {
        const qp_pattern *pat = &cb->patterns[i];
        if (pat->kind == QP_PAT_REGEX)
            continue;
        const qp_pattern_part *first = &pat->parts[0];
        pending e = {first->folded, (uint32_t)first->len, (uint32_t)i, first->form, first->is_glob};
        if (e.glob)
            e.len = (uint32_t)strcspn(first->folded, "*?");
        else
            n_words[e.form]++;
        p[n_pending++] = e;
    }
    qsort(p, n_pending, sizeof *p, by_key);
    for (int k = 0; k < QP_N_FORMS; k++) {
        form_index *f = &x->forms[k];
        f->words_cap = 16;
        while (f->words_cap < 2 * n_words[k])
            f->words_cap *= 2;
        f->trie_cap = 16;
        f->n_trie = 1; /* the root */
        if (!(f->words = calloc(f->words_cap, sizeof *f->words)) ||
            !(f->trie = calloc(f->trie_cap, sizeof *f->trie)))
            goto fail;
    }
    for (size_t i = 0; i < n_pending; i++) {
        form_index *f = &x->forms[p[i].form];
        f->used = 1;
        uint32_t *first, *count;
        if (!p[i].glob) {
            uint64_t h = match_hash(p[i].key, p[i].len);
            word_slot *s = find_slot(f, p[i].key, p[i].len, h);
            if (!s->key)
                *s = (word_slot){p[i].key, p[i].len, (uint32_t)x->n_entries, 0, h};
            first = &s->first;
            count = &s->count;
        } else {
            uint32_t node;
            if (trie_insert(f, p[i].key, p[i].len, &node) < 0)
                goto fail;
            trie_node *t = &f->trie[node];
            if (!t->count)
                t->first = (uint32_t)x->n_entries;
            first = &t->first;
            count = &t->count;
        }
        (void)first;
        (*count)++;
        x->entries[x->n_entries++] = p[i].pattern;
    }
    /* Wide nodes get a table, so a walk costs one load per byte. */
    for (int k = 0; k < QP_N_FORMS; k++) {
        form_index *f = &x->forms[k];
        for (size_t i = 1; i < f->n_trie; i++) {
            trie_node *t = &f->trie[i];
            if (t->n_children <= WIDE_NODE)
                continue;
            if (!(t->table = calloc(256, sizeof *t->table)))
                goto fail;
            for (uint32_t c = 0; c < t->n_children; c++)
                t->table[t->labels[c]] = t->children[c];
        }
    }
    free(p);
    return x;
fail:
    free(p);
    match_index_free(x);
    return NULL;
}

int match_index_uses(const match_index *x, qp_form form)
{
    return x->forms[form].used;
}

/* Calls found for each glob filed at trie node `node` that matches s. */
static int try_globs(const match_index *x, const qp_codebook *cb, const trie_node *t, const char *s,
                     uint32_t len, int (*found)(void *, uint32_t), void *ctx)
{
    for (uint32_t k = 0; k < t->count; k++) {
        uint32_t pat = x->entries[t->first + k];
        const qp_pattern_part *part = &cb->patterns[pat].parts[0];
        if (part->prefix_only || qp_glob_match(part->folded, part->len, s, len)) {
            int rc = found(ctx, pat);
            if (rc)
                return rc;
        }
    }
    return 0;
}

int match_index_lookup(const match_index *x, const qp_codebook *cb, qp_form form, const char *s,
                       uint32_t len, uint64_t hash, int (*found)(void *ctx, uint32_t pattern),
                       void *ctx)
{
    const form_index *f = &x->forms[form];
    if (!f->used)
        return 0;
    word_slot *w = find_slot(f, s, len, hash);
    for (uint32_t k = 0; w->key && k < w->count; k++) {
        int rc = found(ctx, x->entries[w->first + k]);
        if (rc)
            return rc;
    }
    int rc = f->trie[0].count ? try_globs(x, cb, &f->trie[0], s, len, found, ctx) : 0;
    uint32_t node = len ? f->root_child[(unsigned char)s[0]] : 0;
    for (uint32_t depth = 1; node && !rc; depth++) {
        if (f->trie[node].count)
            rc = try_globs(x, cb, &f->trie[node], s, len, found, ctx);
        if (depth == len)
            break;
        node = trie_child(f, node, (unsigned char)s[depth]);
    }
    return rc;
}

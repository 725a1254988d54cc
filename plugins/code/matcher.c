/* matcher.c - indexing a codebook's patterns and matching documents against them. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "matcher.h"
#include "text.h"

#define REGEX_MATCH_LIMIT 10000000u
#define REGEX_DEPTH_LIMIT 10000u
#define REGEX_HEAP_LIMIT_KIB 65536u
#define PLUGIN_RULE UINT32_MAX
/* A token's segment when the document has none: the whole text is one unit. */
#define WHOLE_TEXT (QP_NO_SEGMENT - 1)

/* One slot of the word table: a normalised word and the patterns whose first part
 * it is (indices into `entries`). */
typedef struct word_slot {
    const char *key; /* NULL: empty slot */
    uint32_t len;
    uint32_t first, count;
    uint64_t hash;
} word_slot;

/* One trie node: edges to children by byte, and the glob patterns whose literal
 * prefix ends here (indices into `entries`). */
typedef struct trie_node {
    unsigned char *labels;
    uint32_t *children;
    uint32_t n_children;
    uint32_t first, count;
} trie_node;

struct matcher {
    const qp_codebook *cb;
    word_slot *words;
    size_t words_cap; /* power of two */
    trie_node *trie;
    size_t n_trie, trie_cap;
    uint32_t *entries; /* pattern indices, grouped per word slot and trie node */
    size_t n_entries;
    uint32_t *regexes; /* indices of regex patterns */
    size_t n_regexes;
    uint32_t root_child[256]; /* the root's edges by byte, 0 for none */
};

typedef struct token_form {
    uint32_t off, len; /* into the scratch's folded buffer */
    uint64_t hash;     /* of the form, as hash_bytes */
} token_form;

typedef struct match_hit {
    uint32_t code, pattern, start, end, segment;
    const char *rule; /* for plugin hits */
    int exclusion;
} match_hit;

struct match_scratch {
    qp_buf folded;
    token_form *forms;
    size_t forms_cap;
    uint32_t *seg_of; /* each token's segment, or QP_NO_SEGMENT when outside all */
    size_t seg_cap;
    match_hit *hits;
    size_t n_hits, hits_cap;
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    pcre2_jit_stack *jit;
    /* Set while a plugin matcher runs. */
    const matcher *m;
    const qp_doc *doc;
    int failed;
};

/* The token hash: bytes are packed eight to a 64-bit word, and each full word
 * is mixed in with a multiply and xor-shift. hash_bytes and the fused loop in
 * fold_tokens must agree byte for byte. */
static inline uint64_t hash_mix(uint64_t h, uint64_t w)
{
    h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
    return h ^ (h >> 29);
}

static inline uint64_t hash_final(uint64_t h, uint64_t w, size_t n)
{
    h = hash_mix(h, w) ^ n;
    h *= 0xff51afd7ed558ccdull;
    return h ^ (h >> 32);
}

/* Returns the hash of s[0, n). */
static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 0x9e3779b97f4a7c15ull, w = 0;
    for (size_t i = 0; i < n; i++) {
        w |= (uint64_t)(unsigned char)s[i] << (8 * (i & 7));
        if ((i & 7) == 7) {
            h = hash_mix(h, w);
            w = 0;
        }
    }
    return hash_final(h, w, n);
}

/* A (key, pattern) pair while building. */
typedef struct pending {
    const char *key;
    uint32_t len;
    uint32_t pattern;
} pending;

static int by_key_then_pattern(const void *a, const void *b)
{
    const pending *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->key, y->key, n);
    if (c)
        return c;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    return x->pattern < y->pattern ? -1 : x->pattern > y->pattern;
}

/* Returns the slot for key: the one holding it, or the empty one it would take. */
static word_slot *find_slot(const matcher *m, const char *key, size_t len, uint64_t h)
{
    size_t mask = m->words_cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        word_slot *s = &m->words[i];
        if (!s->key || (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0))
            return s;
    }
}

/* Returns the child of node by byte c, or 0 (the root is never a child). */
static uint32_t trie_child(const matcher *m, uint32_t node, unsigned char c)
{
    const trie_node *t = &m->trie[node];
    for (uint32_t i = 0; i < t->n_children; i++)
        if (t->labels[i] == c)
            return t->children[i];
    return 0;
}

/* Returns the node for prefix, creating nodes as needed; 0 on no memory (callers
 * check m->trie allocation separately). */
static int trie_insert(matcher *m, const char *prefix, size_t len, uint32_t *out)
{
    uint32_t node = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)prefix[i];
        uint32_t child = trie_child(m, node, c);
        if (!child) {
            if (qp_grow(&m->trie, &m->trie_cap, m->n_trie + 1, sizeof *m->trie, 64) < 0)
                return -1;
            trie_node *t = &m->trie[node];
            unsigned char *l = realloc(t->labels, t->n_children + 1);
            if (l)
                t->labels = l;
            uint32_t *ch = realloc(t->children, (t->n_children + 1) * sizeof *ch);
            if (ch)
                t->children = ch;
            if (!l || !ch)
                return -1;
            child = (uint32_t)m->n_trie++;
            memset(&m->trie[child], 0, sizeof m->trie[child]);
            t->labels[t->n_children] = c;
            t->children[t->n_children++] = child;
            if (node == 0)
                m->root_child[c] = child;
        }
        node = child;
    }
    *out = node;
    return 0;
}

void matcher_free(matcher *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n_trie; i++) {
        free(m->trie[i].labels);
        free(m->trie[i].children);
    }
    free(m->trie);
    free(m->words);
    free(m->entries);
    free(m->regexes);
    free(m);
}

/* Returns the length of a glob's literal prefix (the bytes before * or ?). */
static size_t literal_prefix(const qp_pattern_part *p)
{
    return strcspn(p->folded, "*?");
}

/* Returns the matcher for cb, or NULL when out of memory. */
matcher *matcher_new(const qp_codebook *cb)
{
    matcher *m = calloc(1, sizeof *m);
    size_t n = cb->n_patterns;
    pending *words = calloc(n ? n : 1, sizeof *words);
    pending *globs = calloc(n ? n : 1, sizeof *globs);
    size_t n_words = 0, n_globs = 0;
    if (!m || !words || !globs)
        goto fail;
    m->cb = cb;
    m->entries = calloc(n ? n : 1, sizeof *m->entries);
    m->regexes = calloc(n ? n : 1, sizeof *m->regexes);
    m->trie_cap = 64;
    m->trie = calloc(m->trie_cap, sizeof *m->trie);
    if (!m->entries || !m->regexes || !m->trie)
        goto fail;
    m->n_trie = 1; /* the root */
    for (size_t i = 0; i < n; i++) {
        const qp_pattern *p = &cb->patterns[i];
        if (p->kind == QP_PAT_REGEX) {
            m->regexes[m->n_regexes++] = (uint32_t)i;
            continue;
        }
        const qp_pattern_part *first = &p->parts[0];
        pending e = {first->folded, (uint32_t)first->len, (uint32_t)i};
        if (first->is_glob) {
            e.len = (uint32_t)literal_prefix(first);
            globs[n_globs++] = e;
        } else {
            words[n_words++] = e;
        }
    }
    /* Words: sort so each key's patterns are contiguous, in codebook order. */
    qsort(words, n_words, sizeof *words, by_key_then_pattern);
    m->words_cap = 16;
    while (m->words_cap < 2 * n_words)
        m->words_cap *= 2;
    m->words = calloc(m->words_cap, sizeof *m->words);
    if (!m->words)
        goto fail;
    for (size_t i = 0; i < n_words; i++) {
        uint64_t h = hash_bytes(words[i].key, words[i].len);
        word_slot *s = find_slot(m, words[i].key, words[i].len, h);
        if (!s->key) {
            s->key = words[i].key;
            s->len = words[i].len;
            s->hash = h;
            s->first = (uint32_t)m->n_entries;
        }
        s->count++;
        m->entries[m->n_entries++] = words[i].pattern;
    }
    /* Globs: one trie node per literal prefix. */
    qsort(globs, n_globs, sizeof *globs, by_key_then_pattern);
    for (size_t i = 0; i < n_globs; i++) {
        uint32_t node;
        if (trie_insert(m, globs[i].key, globs[i].len, &node) < 0)
            goto fail;
        trie_node *t = &m->trie[node];
        if (!t->count)
            t->first = (uint32_t)m->n_entries;
        t->count++;
        m->entries[m->n_entries++] = globs[i].pattern;
    }
    free(words);
    free(globs);
    return m;
fail:
    free(words);
    free(globs);
    matcher_free(m);
    return NULL;
}

/* Returns new scratch with PCRE2 limits set, or NULL when out of memory. */
match_scratch *match_scratch_new(void)
{
    match_scratch *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->md = pcre2_match_data_create(1, NULL);
    s->mctx = pcre2_match_context_create(NULL);
    s->jit = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
    if (!s->md || !s->mctx || !s->jit) {
        match_scratch_free(s);
        return NULL;
    }
    pcre2_set_match_limit(s->mctx, REGEX_MATCH_LIMIT);
    pcre2_set_depth_limit(s->mctx, REGEX_DEPTH_LIMIT);
    pcre2_set_heap_limit(s->mctx, REGEX_HEAP_LIMIT_KIB);
    pcre2_jit_stack_assign(s->mctx, NULL, s->jit);
    return s;
}

void match_scratch_free(match_scratch *s)
{
    if (!s)
        return;
    qp_buf_free(&s->folded);
    free(s->forms);
    free(s->seg_of);
    free(s->hits);
    pcre2_match_data_free(s->md);
    pcre2_match_context_free(s->mctx);
    pcre2_jit_stack_free(s->jit);
    free(s);
}

/* Records a hit. Returns 0, or -1 when out of memory. */
static int push_hit(match_scratch *s, uint32_t code, uint32_t pattern, uint32_t start, uint32_t end,
                    uint32_t segment, const char *rule, int exclusion)
{
    if (qp_grow(&s->hits, &s->hits_cap, s->n_hits + 1, sizeof *s->hits, 256) < 0)
        return -1;
    s->hits[s->n_hits++] = (match_hit){code, pattern, start, end, segment, rule, exclusion};
    return 0;
}

/* Returns 1 when token i's normal form matches the part. */
static int part_matches(const match_scratch *s, const qp_pattern_part *part, size_t i)
{
    const char *form = s->folded.data + s->forms[i].off;
    uint32_t len = s->forms[i].len;
    if (part->is_glob)
        return qp_glob_match(part->folded, part->len, form, len);
    return part->len == len && memcmp(part->folded, form, len) == 0;
}

/* Pattern p's first part matched token i; checks the rest of a phrase and records
 * the hit. Returns 0, or -1 when out of memory. */
static int try_pattern(const matcher *m, match_scratch *s, const qp_doc *doc, uint32_t pattern,
                       size_t i)
{
    const qp_pattern *p = &m->cb->patterns[pattern];
    size_t last = i + p->n_parts - 1;
    if (last >= doc->n_tokens || s->seg_of[last] != s->seg_of[i])
        return 0; /* a phrase stays inside one segment */
    for (size_t k = 1; k < p->n_parts; k++)
        if (!part_matches(s, &p->parts[k], i + k))
            return 0;
    return push_hit(s, (uint32_t)p->code, pattern, doc->tokens[i].start, doc->tokens[last].end,
                    s->seg_of[i], NULL, p->exclusion);
}

/* Normalises and hashes every token once, in one pass over its bytes: an ASCII
 * token's form is written lowered (or as it is, for a case-sensitive codebook)
 * at its own offset in the scratch copy of the text; a token with other
 * characters is folded by utf8proc and its form appended after the copy.
 * Returns 0, or -1 when out of memory. */
static int fold_tokens(const matcher *m, match_scratch *s, const qp_doc *doc)
{
    static const unsigned char lower[128] = {
#define R(c) [c] = (c) + ('a' - 'A')
        R('A'), R('B'), R('C'), R('D'), R('E'), R('F'), R('G'), R('H'), R('I'),
        R('J'), R('K'), R('L'), R('M'), R('N'), R('O'), R('P'), R('Q'), R('R'),
        R('S'), R('T'), R('U'), R('V'), R('W'), R('X'), R('Y'), R('Z'),
#undef R
    };
    int sensitive = m->cb->case_sensitive;
    if (doc->n_tokens > s->forms_cap) {
        token_form *f = realloc(s->forms, doc->n_tokens * sizeof *f);
        if (!f)
            return -1;
        s->forms = f;
        s->forms_cap = doc->n_tokens;
    }
    s->folded.len = 0;
    if (qp_buf_reserve(&s->folded, doc->text_len + 1) < 0)
        return -1;
    s->folded.len = doc->text_len + 1;
    const unsigned char *in = (const unsigned char *)doc->text;
    for (size_t i = 0; i < doc->n_tokens; i++) {
        const qp_span *t = &doc->tokens[i];
        unsigned char *out = (unsigned char *)s->folded.data;
        uint64_t h = 0x9e3779b97f4a7c15ull, w = 0;
        unsigned high = 0;
        for (uint32_t k = t->start, j = 0; k < t->end; k++, j++) {
            unsigned char c = in[k];
            high |= c;
            c = (c < 128 && lower[c] && !sensitive) ? lower[c] : c;
            out[k] = c;
            w |= (uint64_t)c << (8 * (j & 7));
            if ((j & 7) == 7) {
                h = hash_mix(h, w);
                w = 0;
            }
        }
        if (!(high & 0x80) || sensitive) {
            s->forms[i].off = t->start;
            s->forms[i].len = t->end - t->start;
            s->forms[i].hash = hash_final(h, w, t->end - t->start);
            continue;
        }
        size_t off = s->folded.len;
        if (qp_fold_append(&s->folded, doc->text + t->start, t->end - t->start, 0) < 0 &&
            qp_fold_append(&s->folded, doc->text + t->start, t->end - t->start, 1) < 0)
            return -1; /* (not UTF-8: a hand-edited record; its bytes are kept as they are) */
        s->forms[i].off = (uint32_t)off;
        s->forms[i].len = (uint32_t)(s->folded.len - off);
        s->forms[i].hash = hash_bytes(s->folded.data + off, s->forms[i].len);
        s->folded.len++; /* keep the NUL as a separator */
    }
    return 0;
}

/* Finds each token's segment: tokens and segments are both in text order. A
 * document without segments is one segment, numbered QP_NO_SEGMENT. Returns 0,
 * or -1 when out of memory. */
static int map_segments(match_scratch *s, const qp_doc *doc)
{
    if (qp_grow(&s->seg_of, &s->seg_cap, doc->n_tokens + 1, sizeof *s->seg_of, 256) < 0)
        return -1;
    size_t g = 0;
    for (size_t i = 0; i < doc->n_tokens; i++) {
        if (!doc->n_segments) {
            s->seg_of[i] = WHOLE_TEXT; /* one segment, inside */
            continue;
        }
        while (g < doc->n_segments && doc->segments[g].end <= doc->tokens[i].start)
            g++;
        s->seg_of[i] = g < doc->n_segments && doc->segments[g].start <= doc->tokens[i].start &&
                               doc->tokens[i].end <= doc->segments[g].end
                           ? (uint32_t)g
                           : QP_NO_SEGMENT;
    }
    return 0;
}

/* Matches word, glob and phrase patterns at every token. Returns 0 or -1 (memory). */
static int match_tokens(const matcher *m, match_scratch *s, const qp_doc *doc)
{
    const trie_node *root = &m->trie[0];
    for (size_t i = 0; i < doc->n_tokens; i++) {
        if (s->seg_of[i] == QP_NO_SEGMENT)
            continue; /* outside every segment: not coded */
        const char *form = s->folded.data + s->forms[i].off;
        uint32_t len = s->forms[i].len;
        word_slot *w = find_slot(m, form, len, s->forms[i].hash);
        for (uint32_t k = 0; w->key && k < w->count; k++)
            if (try_pattern(m, s, doc, m->entries[w->first + k], i) < 0)
                return -1;
        /* Globs: walk the trie along the token, trying the globs filed at each node. */
        for (uint32_t k = 0; k < root->count; k++) {
            uint32_t pat = m->entries[root->first + k];
            if (part_matches(s, &m->cb->patterns[pat].parts[0], i) &&
                try_pattern(m, s, doc, pat, i) < 0)
                return -1;
        }
        uint32_t node = len ? m->root_child[(unsigned char)form[0]] : 0;
        for (size_t depth = 1; node; depth++) {
            const trie_node *t = &m->trie[node];
            for (uint32_t k = 0; k < t->count; k++) {
                uint32_t pat = m->entries[t->first + k];
                if (part_matches(s, &m->cb->patterns[pat].parts[0], i) &&
                    try_pattern(m, s, doc, pat, i) < 0)
                    return -1;
            }
            if (depth == len)
                break;
            node = trie_child(m, node, (unsigned char)form[depth]);
        }
    }
    return 0;
}

/* Runs one regex over text[from, to), recording hits in segment `segment`.
 * Returns 0, 1 when the regex hit a limit (its hits in this document are then
 * dropped and reported), or -1 when out of memory. */
static int match_regex_span(const matcher *m, match_scratch *s, const qp_doc *doc, uint32_t r,
                            size_t from, size_t to, uint32_t segment,
                            void (*warn)(const char *, const char *, ...))
{
    const qp_pattern *p = &m->cb->patterns[r];
    size_t offset = from;
    while (offset <= to) {
        int rc = pcre2_match(p->regex, (PCRE2_SPTR)doc->text, to, offset, PCRE2_NO_UTF_CHECK, s->md,
                             s->mctx);
        if (rc == PCRE2_ERROR_NOMATCH)
            return 0;
        if (rc < 0) {
            PCRE2_UCHAR msg[256];
            pcre2_get_error_message(rc, msg, sizeof msg);
            warn("code",
                 "%s (document %s): pattern \"%s\" of code \"%s\" stopped: %s; its "
                 "hits in this document are not counted",
                 doc->origin, doc->id, p->text, m->cb->codes[p->code].id, (char *)msg);
            return 1;
        }
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
        if (ov[1] > ov[0] && push_hit(s, (uint32_t)p->code, r, (uint32_t)ov[0], (uint32_t)ov[1],
                                      segment, NULL, p->exclusion) < 0)
            return -1;
        offset = ov[1] > ov[0] ? ov[1] : ov[1] + 1;
        while (offset < to && ((unsigned char)doc->text[offset] & 0xc0) == 0x80)
            offset++; /* never start inside a UTF-8 character */
    }
    return 0;
}

/* Runs every regex over the text, segment by segment when there are segments.
 * Returns 0, or -1 when out of memory. */
static int match_regexes(const matcher *m, match_scratch *s, const qp_doc *doc,
                         void (*warn)(const char *, const char *, ...))
{
    for (size_t r = 0; r < m->n_regexes; r++) {
        size_t mark = s->n_hits;
        int rc = 0;
        if (!doc->n_segments)
            rc = match_regex_span(m, s, doc, m->regexes[r], 0, doc->text_len, WHOLE_TEXT, warn);
        for (size_t g = 0; g < doc->n_segments && rc == 0; g++)
            rc = match_regex_span(m, s, doc, m->regexes[r], doc->segments[g].start,
                                  doc->segments[g].end, (uint32_t)g, warn);
        if (rc < 0)
            return -1;
        if (rc > 0)
            s->n_hits = mark;
    }
    return 0;
}

/* The hit callback given to a plugin matcher (see qp_hit_fn). */
static int plugin_hit(void *sink, const char *code, const char *rule, uint32_t start, uint32_t end)
{
    match_scratch *s = sink;
    long c = code ? qp_codebook_find(s->m->cb, code) : -1;
    if (c < 0 || start >= end || end > s->doc->text_len || !rule) {
        s->failed = 1;
        return QP_ERR_PLUGIN;
    }
    uint32_t segment = WHOLE_TEXT;
    if (s->doc->n_segments) {
        /* The segment holding the hit; a hit outside every segment is not coded. */
        size_t lo = 0, hi = s->doc->n_segments;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (s->doc->segments[mid].end <= start)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo == s->doc->n_segments || s->doc->segments[lo].start > start ||
            s->doc->segments[lo].end < end)
            return QP_OK;
        segment = (uint32_t)lo;
    }
    return push_hit(s, (uint32_t)c, PLUGIN_RULE, start, end, segment, rule, 0) < 0 ? QP_ERR_NOMEM
                                                                                   : QP_OK;
}

/* Orders hits by code, start, longest first, then rule order. */
static int by_code_span(const void *a, const void *b)
{
    const match_hit *x = a, *y = b;
    if (x->code != y->code)
        return x->code < y->code ? -1 : 1;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end > y->end ? -1 : 1;
    return x->pattern < y->pattern ? -1 : x->pattern > y->pattern;
}

/* Orders hits as the document reads: by start, longest first, then codebook order. */
static int by_text_order(const void *a, const void *b)
{
    const match_hit *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end > y->end ? -1 : 1;
    if (x->code != y->code)
        return x->code < y->code ? -1 : 1;
    return x->pattern < y->pattern ? -1 : x->pattern > y->pattern;
}

/* Applies exclusions and the longest-match rule within each code, in place.
 * Returns the number of hits kept at the front of s->hits. */
static size_t resolve_hits(match_scratch *s)
{
    qsort(s->hits, s->n_hits, sizeof *s->hits, by_code_span);
    size_t kept = 0;
    for (size_t i = 0; i < s->n_hits;) {
        size_t j = i;
        while (j < s->n_hits && s->hits[j].code == s->hits[i].code)
            j++;
        /* Within [i, j), sorted by start: an exclusion covers a hit when one that
         * starts at or before it ends at or after it. A hit is inside a kept hit
         * under the same rule: both sweeps track the furthest end so far. */
        uint32_t excl_end = 0, kept_end = 0;
        int any_excl = 0, any_kept = 0;
        size_t e = i;
        for (size_t k = i; k < j; k++) {
            match_hit h = s->hits[k];
            if (h.exclusion)
                continue;
            for (; e < j && s->hits[e].start <= h.start; e++)
                if (s->hits[e].exclusion && (!any_excl || s->hits[e].end > excl_end)) {
                    excl_end = s->hits[e].end;
                    any_excl = 1;
                }
            if (any_excl && excl_end >= h.end)
                continue;
            if (any_kept && kept_end >= h.end)
                continue;
            kept_end = h.end > kept_end || !any_kept ? h.end : kept_end;
            any_kept = 1;
            s->hits[kept++] = h;
        }
        i = j;
    }
    qsort(s->hits, kept, sizeof *s->hits, by_text_order);
    return kept;
}

/* Returns QP_OK, QP_ERR_NOMEM, or QP_ERR_PLUGIN with err filled. */
int matcher_run(const matcher *m, match_scratch *s, void *plugin, const qp_doc *doc, hit_adder add,
                void *add_ctx, void (*warn)(const char *stage, const char *fmt, ...), qp_error *err)
{
    s->n_hits = 0;
    if (map_segments(s, doc) < 0 || fold_tokens(m, s, doc) < 0 || match_tokens(m, s, doc) < 0 ||
        match_regexes(m, s, doc, warn) < 0)
        return QP_ERR_NOMEM;
    const qp_codebook_descriptor *d = m->cb->plugin;
    if (d && d->match) {
        s->m = m;
        s->doc = doc;
        s->failed = 0;
        err->message[0] = '\0';
        int rc = d->match(plugin, doc, plugin_hit, s, err);
        if (rc != QP_OK || s->failed) {
            if (!err->message[0])
                snprintf(err->message, sizeof err->message, "the codebook plugin's matcher %s",
                         s->failed ? "reported a hit for an unknown code or outside the text"
                                   : "failed");
            return QP_ERR_PLUGIN;
        }
    }
    size_t n = resolve_hits(s);
    for (size_t i = 0; i < n; i++) {
        const match_hit *h = &s->hits[i];
        qp_hit hit = {.code = m->cb->codes[h->code].id,
                      .rule =
                          h->pattern == PLUGIN_RULE ? h->rule : m->cb->patterns[h->pattern].text,
                      .start = h->start,
                      .end = h->end,
                      .segment = h->segment == WHOLE_TEXT ? QP_NO_SEGMENT : h->segment};
        if (add(add_ctx, &hit) != QP_OK)
            return QP_ERR_NOMEM;
    }
    return QP_OK;
}

/* forms.c - each token's forms (folded eight bytes at a time, as written, stemmed)
 * and the unit each token is in. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "matcher_impl.h"
#include "util/grow.h"
#include "util/spans.h"

/* Bytes kept past the folded text, for the loads of a token's key. */
#define FOLD_SLACK MATCH_KEY

/* Makes sure the form arrays hold n tokens. Returns 0, or -1. */
static int reserve_forms(match_scratch *s, size_t n)
{
    for (int k = 0; k < QP_N_FORMS; k++)
        if (qp_grow(&s->forms[k], &s->forms_cap[k], n + 1, sizeof *s->forms[k], 256) < 0)
            return -1;
    return 0;
}

/* Lower-cases the ASCII letters of eight bytes at once (bytes with the high bit
 * set are left as they are; the caller folds those tokens with utf8proc). */
static inline uint64_t ascii_lower8(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
    uint64_t low7 = w & ~high;
    uint64_t ge_a = low7 + (0x80 - 'A') * ones, gt_z = low7 + (0x80 - 'Z' - 1) * ones;
    uint64_t upper = ge_a & ~gt_z & ~w & high;
    return w | (upper >> 2);
}

/* Lower-cases the ASCII letters of in[0, n) into out, eight bytes at a time
 * (out has eight bytes to spare). Returns 1 when some byte is not ASCII. */
static int fold_text(const unsigned char *in, size_t n, unsigned char *out)
{
    uint64_t any = 0, w;
    size_t k = 0;
    for (; k + 8 <= n; k += 8) {
        memcpy(&w, in + k, 8);
        any |= w;
        w = ascii_lower8(w);
        memcpy(out + k, &w, 8);
    }
    w = 0;
    memcpy(&w, in + k, n - k);
    any |= w;
    w = ascii_lower8(w);
    memcpy(out + k, &w, 8);
    return (any & 0x8080808080808080ull) != 0;
}

/* Returns 1 when token bytes s[0, len) are all ASCII. */
static int token_ascii(const unsigned char *s, size_t len)
{
    for (size_t k = 0; k < len; k++)
        if (s[k] & 0x80)
            return 0;
    return 1;
}

/* Sets the key of a token of `len` bytes at p, in a buffer with MATCH_KEY bytes
 * to spare past it: two loads, masked. */
static inline void padded_key(const unsigned char *p, size_t len, uint64_t key[2])
{
    static const uint64_t low[9] = {0,
                                    0xffull,
                                    0xffffull,
                                    0xffffffull,
                                    0xffffffffull,
                                    0xffffffffffull,
                                    0xffffffffffffull,
                                    0xffffffffffffffull,
                                    ~0ull};
    size_t n0 = len < 8 ? len : 8, n1 = len < 8 ? 0 : len - 8 < 8 ? len - 8 : 8;
    memcpy(key, p, MATCH_KEY);
    key[0] &= low[n0];
    key[1] &= low[n1];
}

/* Computes each token's forms once: the folded form (the text lower-cased eight
 * bytes at a time, tokens that are not ASCII folded again by utf8proc), and where
 * patterns need them the form as written and the stem. Returns 0, or -1 when out
 * of memory. */
int make_forms(const matcher *m, match_scratch *s, const qp_doc *doc)
{
    int need_raw = match_index_uses(m->index, QP_FORM_RAW);
    int need_stem = match_index_uses(m->index, QP_FORM_STEM);
    if (reserve_forms(s, doc->n_tokens) < 0)
        return -1;
    s->folded.len = 0;
    if (qp_buf_reserve(&s->folded, doc->text_len + FOLD_SLACK) < 0)
        return -1;
    const unsigned char *in = (const unsigned char *)doc->text;
    unsigned char *out = (unsigned char *)s->folded.data;
    int high = fold_text(in, doc->text_len, out);
    memset(out + doc->text_len, 0, FOLD_SLACK);
    s->folded.len = doc->text_len + FOLD_SLACK;
    for (size_t i = 0; i < doc->n_tokens; i++) {
        const qp_span *t = &doc->tokens[i];
        token_form *f = &s->forms[QP_FORM_FOLD][i];
        uint32_t len = t->end - t->start;
        f->off = t->start;
        f->len = len;
        padded_key((const unsigned char *)s->folded.data + t->start, len, f->key);
        /* Folding keeps the high bit of every byte, so the key shows whether the
         * token's first 16 bytes are ASCII. */
        if (high &&
            (((f->key[0] | f->key[1]) & 0x8080808080808080ull) ||
             (len > MATCH_KEY && !token_ascii(in + t->start + MATCH_KEY, len - MATCH_KEY)))) {
            size_t off = s->folded.len;
            if (qp_fold_append(&s->folded, doc->text + t->start, len, 0) < 0 &&
                qp_fold_append(&s->folded, doc->text + t->start, len, 1) < 0)
                return -1; /* (not UTF-8: a hand-edited record; bytes are kept as they are) */
            *f = (token_form){(uint32_t)off, (uint32_t)(s->folded.len - off), {0, 0}};
            match_key(s->folded.data + off, f->len, f->key);
            s->folded.len++; /* keep the NUL as a separator */
        }
        if (need_raw) {
            token_form *r = &s->forms[QP_FORM_RAW][i];
            *r = (token_form){t->start, len, {0, 0}};
            match_key(doc->text + t->start, len, r->key);
        }
    }
    if (!need_stem)
        return 0;
    if (!s->stemmer || strcmp(s->stemmer_language, m->cb->language) != 0) {
        if (s->stemmer)
            sb_stemmer_delete(s->stemmer);
        free(s->stemmer_language);
        s->stemmer = sb_stemmer_new(m->cb->language, "UTF_8");
        s->stemmer_language = strdup(m->cb->language);
        if (!s->stemmer || !s->stemmer_language)
            return -1;
    }
    s->stems.len = 0;
    for (size_t i = 0; i < doc->n_tokens; i++) {
        const token_form *f = &s->forms[QP_FORM_FOLD][i];
        const sb_symbol *stem =
            sb_stemmer_stem(s->stemmer, (const sb_symbol *)s->folded.data + f->off, (int)f->len);
        size_t n = stem ? (size_t)sb_stemmer_length(s->stemmer) : 0;
        if (!stem || qp_buf_reserve(&s->stems, n + 1) < 0)
            return -1;
        size_t off = s->stems.len;
        memcpy(s->stems.data + off, stem, n);
        s->stems.data[off + n] = '\0';
        s->stems.len += n + 1;
        token_form *stem_form = &s->forms[QP_FORM_STEM][i];
        *stem_form = (token_form){(uint32_t)off, (uint32_t)n, {0, 0}};
        match_key(s->stems.data + off, n, stem_form->key);
    }
    return 0;
}

/* Finds each token's segment: tokens and segments are both in text order, so a
 * segment's tokens are a run, found by two searches and filled at once; a token
 * outside every segment, or crossing a segment's end, is in none. A document
 * without segments is one segment, WHOLE_TEXT. Returns 0, or -1. */
int map_segments(match_scratch *s, const qp_doc *doc)
{
    if (qp_grow(&s->seg_of, &s->seg_cap, doc->n_tokens + 1, sizeof *s->seg_of, 256) < 0)
        return -1;
    size_t n = doc->n_tokens;
    if (!doc->n_segments) {
        for (size_t i = 0; i < n; i++)
            s->seg_of[i] = WHOLE_TEXT;
        return 0;
    }
    size_t at = 0;
    for (size_t g = 0; g < doc->n_segments; g++) {
        const qp_segment *seg = &doc->segments[g];
        size_t lo = qp_span_at(doc->tokens, n, at, seg->start);
        size_t hi = qp_span_at(doc->tokens, n, lo, seg->end);
        for (size_t i = at; i < lo; i++)
            s->seg_of[i] = QP_NO_SEGMENT;
        for (size_t i = lo; i < hi; i++)
            s->seg_of[i] = (uint32_t)g;
        if (hi > lo && doc->tokens[hi - 1].end > seg->end)
            s->seg_of[hi - 1] = QP_NO_SEGMENT;
        at = hi;
    }
    for (size_t i = at; i < n; i++)
        s->seg_of[i] = QP_NO_SEGMENT;
    return 0;
}

/* forms.c - each token's forms (folded eight bytes at a time, as written, stemmed)
 * and the unit each token is in. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "matcher_impl.h"
#include "util/grow.h"

/* Bytes kept readable past the folded text and past its last token. */
#define FOLD_SLACK 16

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

/* Loads up to eight bytes of p[0, n) into a word, little-endian, zero-padded. */
static inline uint64_t load8(const unsigned char *p, size_t n)
{
    uint64_t w = 0;
    memcpy(&w, p, n < 8 ? n : 8);
    return w;
}

/* Folds ASCII token bytes in[start, end) into out at the same offsets, eight at
 * a time, and returns their hash (as match_hash of the folded bytes); sets *high
 * when a byte is not ASCII (the result is then to be redone by utf8proc). */
static uint64_t fold_ascii(const unsigned char *in, size_t text_len, unsigned char *out,
                           uint32_t start, uint32_t end, int *high)
{
    uint64_t h = MATCH_HASH_SEED, w = 0, any = 0;
    size_t n = end - start;
    for (size_t k = 0; k < n; k += 8) {
        size_t take = n - k < 8 ? n - k : 8;
        w = start + k + 8 <= text_len ? load8(in + start + k, 8) : load8(in + start + k, take);
        if (take < 8)
            w &= (1ull << (8 * take)) - 1;
        any |= w;
        w = ascii_lower8(w);
        memcpy(out + start + k, &w, 8); /* the buffer has 8 bytes to spare */
        if (take == 8) {
            h = match_hash_mix(h, w);
            w = 0;
        }
    }
    *high = (any & 0x8080808080808080ull) != 0;
    return match_hash_end(h, w, n);
}

/* Computes each token's forms once: the folded form (lower-cased and hashed
 * eight bytes at a time; folded by utf8proc when not ASCII), and where patterns
 * need them the form as written and the stem. Returns 0, or -1 when out of
 * memory. */
int make_forms(const matcher *m, match_scratch *s, const qp_doc *doc)
{
    int need_raw = match_index_uses(m->index, QP_FORM_RAW);
    int need_stem = match_index_uses(m->index, QP_FORM_STEM);
    if (reserve_forms(s, doc->n_tokens) < 0)
        return -1;
    s->folded.len = 0;
    if (qp_buf_reserve(&s->folded, doc->text_len + FOLD_SLACK) < 0)
        return -1;
    s->folded.len = doc->text_len + FOLD_SLACK; /* room for eight-byte stores past the text */
    const unsigned char *in = (const unsigned char *)doc->text;
    for (size_t i = 0; i < doc->n_tokens; i++) {
        const qp_span *t = &doc->tokens[i];
        int high;
        uint64_t h =
            fold_ascii(in, doc->text_len, (unsigned char *)s->folded.data, t->start, t->end, &high);
        token_form *f = &s->forms[QP_FORM_FOLD][i];
        if (!high) {
            *f = (token_form){t->start, t->end - t->start, h};
        } else {
            size_t off = s->folded.len;
            if (qp_fold_append(&s->folded, doc->text + t->start, t->end - t->start, 0) < 0 &&
                qp_fold_append(&s->folded, doc->text + t->start, t->end - t->start, 1) < 0)
                return -1; /* (not UTF-8: a hand-edited record; bytes are kept as they are) */
            *f = (token_form){(uint32_t)off, (uint32_t)(s->folded.len - off), 0};
            f->hash = match_hash(s->folded.data + off, f->len);
            s->folded.len++; /* keep the NUL as a separator */
        }
        if (need_raw)
            s->forms[QP_FORM_RAW][i] = (token_form){
                t->start, t->end - t->start, match_hash(doc->text + t->start, t->end - t->start)};
    }
    /* Sixteen readable bytes past every token (see match_tokens.padded). */
    if (qp_buf_reserve(&s->folded, FOLD_SLACK) < 0)
        return -1;
    memset(s->folded.data + s->folded.len, 0, FOLD_SLACK);
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
        s->forms[QP_FORM_STEM][i] =
            (token_form){(uint32_t)off, (uint32_t)n, match_hash(s->stems.data + off, n)};
    }
    return 0;
}

/* Finds each token's segment: tokens and segments are both in text order. A
 * document without segments is one segment, WHOLE_TEXT. Returns 0, or -1. */
int map_segments(match_scratch *s, const qp_doc *doc)
{
    if (qp_grow(&s->seg_of, &s->seg_cap, doc->n_tokens + 1, sizeof *s->seg_of, 256) < 0)
        return -1;
    size_t g = 0;
    for (size_t i = 0; i < doc->n_tokens; i++) {
        if (!doc->n_segments) {
            s->seg_of[i] = WHOLE_TEXT;
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

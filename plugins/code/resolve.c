/* resolve.c - what is left of a document's hits: negation, then exclusions and
 * the longest match within each code, in reading order. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "matcher_impl.h"
#include "util/grow.h"

/* Returns 1 when a negator stands within the code's window before the hit's first
 * token, in the same segment and sentence (no '.', '!', '?' or ';' between). */
static int negated(const matcher *m, const match_scratch *s, const qp_doc *doc, const match_hit *h)
{
    const qp_code *c = &m->cb->codes[h->code];
    if (h->tok == NO_TOKEN)
        return 0;
    for (uint32_t d = 1; d <= c->negation_window && d <= h->tok; d++) {
        uint32_t k = h->tok - d;
        if (s->seg_of[k] != s->seg_of[h->tok])
            return 0;
        for (uint32_t b = doc->tokens[k].end; b < doc->tokens[k + 1].start; b++)
            if (strchr(".!?;", doc->text[b]))
                return 0;
        const token_form *f = &s->forms[QP_FORM_FOLD][k];
        for (size_t n = 0; n < m->cb->n_negators; n++)
            if (strlen(m->cb->negators[n]) == f->len &&
                memcmp(m->cb->negators[n], s->folded.data + f->off, f->len) == 0)
                return 1;
    }
    return 0;
}

/* Applies each code's negation rule: a negated hit is dropped, or moved to the
 * code's "_negated" sibling. */
void apply_negation(const matcher *m, match_scratch *s, const qp_doc *doc)
{
    size_t kept = 0;
    for (size_t i = 0; i < s->n_hits; i++) {
        match_hit h = s->hits[i];
        const qp_code *c = &m->cb->codes[h.code];
        if (!h.exclusion && c->negation != QP_NEGATION_NONE && negated(m, s, doc, &h)) {
            if (c->negation == QP_NEGATION_DROP)
                continue;
            h.code = (uint32_t)c->negated_code;
        }
        s->hits[kept++] = h;
    }
    s->n_hits = kept;
}

/* Reorders s->hits by two keys: by `primary`, and where equal by `secondary`
 * (both stable). Returns 0, or -1 when out of memory. */
static int sort_hits(match_scratch *s, uint64_t (*primary)(const match_hit *),
                     uint64_t (*secondary)(const match_hit *))
{
    size_t n = s->n_hits;
    if (qp_grow(&s->keys, &s->keys_cap, 2 * n + 1, sizeof *s->keys, 256) < 0 ||
        qp_grow(&s->spare, &s->spare_cap, n + 1, sizeof *s->spare, 256) < 0)
        return -1;
    qp_keyed *k = s->keys, *tmp = s->keys + n;
    for (size_t i = 0; i < n; i++)
        k[i] = (qp_keyed){secondary(&s->hits[i]), (uint32_t)i};
    qp_radix_sort(k, tmp, n);
    for (size_t i = 0; i < n; i++)
        k[i].key = primary(&s->hits[k[i].index]);
    qp_radix_sort(k, tmp, n);
    for (size_t i = 0; i < n; i++)
        s->spare[i] = s->hits[k[i].index];
    match_hit *t = s->hits;
    s->hits = s->spare;
    s->spare = t;
    size_t c = s->hits_cap;
    s->hits_cap = s->spare_cap;
    s->spare_cap = c;
    return 0;
}

/* Keys of the one order hits are put in: as the document reads (by start,
 * longest first), then in codebook order (code, then rule). */
static uint64_t start_then_longest(const match_hit *h)
{
    return (uint64_t)h->start << 32 | (UINT32_MAX - h->end);
}

static uint64_t code_then_rule(const match_hit *h)
{
    return (uint64_t)h->code << 32 | h->pattern;
}

/* Returns 1 when hit a comes before hit b in that order. */
static int hit_before(const match_hit *a, const match_hit *b)
{
    uint64_t pa = start_then_longest(a), pb = start_then_longest(b);
    return pa < pb || (pa == pb && code_then_rule(a) < code_then_rule(b));
}

/* Puts s->hits in reading order. Hits are found token by token, so they are
 * nearly in order already: a few hundred are sorted by insertion, more by two
 * stable radix passes. Returns 0, or -1 when out of memory. */
static int order_hits(match_scratch *s)
{
    if (s->n_hits > 512)
        return sort_hits(s, start_then_longest, code_then_rule);
    for (size_t i = 1; i < s->n_hits; i++) {
        match_hit h = s->hits[i];
        size_t j = i;
        for (; j > 0 && hit_before(&h, &s->hits[j - 1]); j--)
            s->hits[j] = s->hits[j - 1];
        s->hits[j] = h;
    }
    return 0;
}

/* Per-code state of the sweep in resolve_hits, valid when stamp == the sweep's. */
typedef struct code_sweep {
    uint32_t stamp;
    uint32_t excl_end, kept_end;
    unsigned char any_excl, any_kept;
} code_sweep;

/* Drops the exclusions and the hits they cover, in place, in one sweep of the
 * hits in reading order: an exclusion covers a hit of its code when one that
 * starts at or before it ends at or after it. Returns the number of hits kept,
 * and sets *overlap when two kept hits of one code share a byte. */
static size_t drop_excluded(match_scratch *s, int *overlap)
{
    if (++s->stamp == 0) { /* wrapped: forget every code's state */
        memset(s->sweep, 0, s->sweep_cap * sizeof *s->sweep);
        s->stamp = 1;
    }
    size_t kept = 0;
    *overlap = 0;
    for (size_t i = 0; i < s->n_hits;) {
        size_t j = i; /* [i, j): the hits that start here */
        while (j < s->n_hits && s->hits[j].start == s->hits[i].start)
            j++;
        for (size_t k = i; k < j; k++) { /* exclusions first: start <= the hit's */
            const match_hit *h = &s->hits[k];
            code_sweep *c = &s->sweep[h->code];
            if (c->stamp != s->stamp)
                *c = (code_sweep){s->stamp, 0, 0, 0, 0};
            if (h->exclusion && (!c->any_excl || h->end > c->excl_end)) {
                c->excl_end = h->end;
                c->any_excl = 1;
            }
        }
        for (size_t k = i; k < j; k++) {
            match_hit h = s->hits[k];
            code_sweep *c = &s->sweep[h.code];
            if (h.exclusion || (c->any_excl && c->excl_end >= h.end))
                continue;
            *overlap |= c->any_kept && c->kept_end > h.start;
            if (!c->any_kept || h.end > c->kept_end)
                c->kept_end = h.end;
            c->any_kept = 1;
            s->hits[kept++] = h;
        }
        i = j;
    }
    return kept;
}

/* Returns the number of tokens hit h takes. */
static uint32_t tokens_taken(const match_hit *h)
{
    return h->a_end - h->a_first + h->b_end - h->b_first;
}

/* Returns 1 when a token of [first, end) is taken under `stamp`. */
static int any_taken(const uint32_t *taken, uint32_t first, uint32_t end, uint32_t stamp)
{
    for (uint32_t t = first; t < end; t++)
        if (taken[t] == stamp)
            return 1;
    return 0;
}

/* Marks the tokens of [first, end) taken under `stamp`. */
static void take(uint32_t *taken, uint32_t first, uint32_t end, uint32_t stamp)
{
    for (uint32_t t = first; t < end; t++)
        taken[t] = stamp;
}

/* Sets `dropped` on every hit that loses to another of its code: within a
 * code, hits are taken longest first (in tokens), then leftmost, then longest
 * in bytes, then in codebook order, and a hit with a token an earlier one took
 * is dropped; a hit that takes no token (a regex between words) is dropped when
 * it overlaps an earlier such hit of its code. s->hits must be in reading order.
 * Returns 0, or -1 when out of memory. */
static int take_longest(match_scratch *s, size_t n_tokens)
{
    size_t n = s->n_hits, taken_cap = s->taken_cap;
    if (qp_grow(&s->keys, &s->keys_cap, 2 * n + 1, sizeof *s->keys, 256) < 0 ||
        qp_grow(&s->taken, &s->taken_cap, n_tokens + 1, sizeof *s->taken, 256) < 0)
        return -1;
    if (s->taken_cap != taken_cap) /* no stamp is 0: grown tokens are free */
        memset(s->taken, 0, s->taken_cap * sizeof *s->taken);
    qp_keyed *k = s->keys;
    for (size_t i = 0; i < n; i++) /* stable: reading order breaks the ties */
        k[i] =
            (qp_keyed){(uint64_t)s->hits[i].code << 32 | (UINT32_MAX - tokens_taken(&s->hits[i])),
                       (uint32_t)i};
    qp_radix_sort(k, k + n, n);
    uint32_t code = UINT32_MAX, stamp = 0, untoken_end = 0;
    int any_untoken = 0;
    for (size_t i = 0; i < n; i++) {
        match_hit *h = &s->hits[k[i].index];
        if (h->code != code) { /* a fresh stamp per code: no clearing */
            code = h->code;
            any_untoken = 0;
            if ((stamp = ++s->taken_stamp) == 0) {
                memset(s->taken, 0, s->taken_cap * sizeof *s->taken);
                stamp = s->taken_stamp = 1;
            }
        }
        if (!tokens_taken(h)) {
            h->dropped = any_untoken && h->start < untoken_end;
            if (!h->dropped && (!any_untoken || h->end > untoken_end))
                untoken_end = h->end;
            any_untoken = 1;
            continue;
        }
        h->dropped = any_taken(s->taken, h->a_first, h->a_end, stamp) ||
                     any_taken(s->taken, h->b_first, h->b_end, stamp);
        if (!h->dropped) {
            take(s->taken, h->a_first, h->a_end, stamp);
            take(s->taken, h->b_first, h->b_end, stamp);
        }
    }
    return 0;
}

/* Applies exclusions and the longest-match rule within each code, in place:
 * what is left of s->hits is each code's hits as quanteda's tokens_lookup
 * counts them (each token serves at most one match of a code), in reading
 * order. Returns the number of hits kept at the front of s->hits, or -1 when
 * out of memory. */
long resolve_hits(match_scratch *s, size_t n_codes, size_t n_tokens)
{
    if (order_hits(s) < 0 ||
        qp_grow(&s->sweep, &s->sweep_cap, n_codes + 1, sizeof *s->sweep, 64) < 0)
        return -1;
    int overlap;
    s->n_hits = drop_excluded(s, &overlap);
    if (!overlap) /* the usual case: no two hits of a code compete */
        return (long)s->n_hits;
    if (take_longest(s, n_tokens) < 0)
        return -1;
    size_t kept = 0;
    for (size_t i = 0; i < s->n_hits; i++)
        if (!s->hits[i].dropped)
            s->hits[kept++] = s->hits[i];
    s->n_hits = kept;
    return (long)kept;
}

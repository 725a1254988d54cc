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

/* Applies exclusions and the longest-match rule within each code, in place, in
 * one sweep of the hits in reading order: an exclusion covers a hit of its code
 * when one that starts at or before it ends at or after it; a hit inside a kept
 * hit of its code is dropped. Returns the number of hits kept at the front of
 * s->hits, or -1 when out of memory. */
long resolve_hits(match_scratch *s, size_t n_codes)
{
    if (order_hits(s) < 0 ||
        qp_grow(&s->sweep, &s->sweep_cap, n_codes + 1, sizeof *s->sweep, 64) < 0)
        return -1;
    if (++s->stamp == 0) { /* wrapped: forget every code's state */
        memset(s->sweep, 0, s->sweep_cap * sizeof *s->sweep);
        s->stamp = 1;
    }
    size_t kept = 0;
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
            if (h.exclusion || (c->any_excl && c->excl_end >= h.end) ||
                (c->any_kept && c->kept_end >= h.end))
                continue;
            if (!c->any_kept || h.end > c->kept_end)
                c->kept_end = h.end;
            c->any_kept = 1;
            s->hits[kept++] = h;
        }
        i = j;
    }
    s->n_hits = kept;
    return (long)kept;
}

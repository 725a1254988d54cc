/* spans.h - a document's spans (tokens, segments), which come in text order
 * without overlapping: finding positions among them, and growing arrays of them. */
#ifndef QP_SPANS_H
#define QP_SPANS_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <qualpipe/plugin.h>

/* Returns the first i in [from, n) with spans[i].start >= pos, or n: a galloping
 * search from `from`, so walking positions in order costs little per step. */
static inline size_t qp_span_at(const qp_span *spans, size_t n, size_t from, uint32_t pos)
{
    size_t lo = from, step = 1, hi = from;
    while (hi < n && spans[hi].start < pos) {
        lo = hi + 1;
        hi += step;
        step *= 2;
    }
    if (hi > n)
        hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (spans[mid].start < pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Appends span [start, end) as token n to *spans (two numbers a token), growing
 * it (of *cap numbers) as needed. Returns 0, or -1 when out of memory. */
static inline int qp_put_span(uint32_t **spans, size_t *cap, size_t n, size_t start, size_t end)
{
    if (2 * (n + 1) > *cap) {
        size_t want = *cap ? 2 * *cap : 512;
        uint32_t *grown = realloc(*spans, want * sizeof *grown);
        if (!grown)
            return -1;
        *spans = grown;
        *cap = want;
    }
    (*spans)[2 * n] = (uint32_t)start;
    (*spans)[2 * n + 1] = (uint32_t)end;
    return 0;
}

#endif

/* spans.h - finding positions among a document's spans (tokens, segments), which
 * come in text order without overlapping. */
#ifndef QP_SPANS_H
#define QP_SPANS_H

#include <stddef.h>
#include <stdint.h>

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

#endif

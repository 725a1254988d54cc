/* scan.h - finding the first byte of a small set in a text, sixteen bytes at a
 * time where SSE2 is there: the inner loops of the sentence splitter, the UTF-8
 * check and the JSON Lines scanner. */
#ifndef QP_SCAN_H
#define QP_SCAN_H

#include <stddef.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Returns the first i in [from, end) where p[i] is one of set[0, n), is below
 * `below` (0: no such bound), or with `high` is not ASCII; or end. Inlined with
 * constant arguments, this is a few compares per sixteen bytes. */
static inline size_t qp_scan_to(const unsigned char *p, size_t from, size_t end,
                                const unsigned char *set, int n, unsigned char below, int high)
{
    size_t i = from;
#ifdef __SSE2__
    const __m128i floor = _mm_set1_epi8((char)(below ? below - 1 : 0));
    for (; i + 16 <= end; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
        __m128i hit = below ? _mm_cmpeq_epi8(_mm_min_epu8(v, floor), v) : _mm_setzero_si128();
        if (high)
            hit = _mm_or_si128(hit, v);
        for (int k = 0; k < n; k++)
            hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8((char)set[k])));
        unsigned mask = (unsigned)_mm_movemask_epi8(hit);
        if (mask)
            return i + (size_t)__builtin_ctz(mask);
    }
#endif
    for (; i < end; i++)
        if (p[i] < below || (high && p[i] >= 0x80) || memchr(set, p[i], (size_t)n))
            return i;
    return end;
}

#endif

/* radix.h - a stable sort of 64-bit keys, for the many small arrays of hits that
 * every document produces, where a comparison sort costs more than the matching. */
#ifndef QP_RADIX_H
#define QP_RADIX_H

#include <stddef.h>
#include <stdint.h>

typedef struct qp_keyed {
    uint64_t key;
    uint32_t index; /* what the key belongs to, carried along */
} qp_keyed;

/* Sorts a[0, n) by key, keeping the order of equal keys (LSD radix, 8 bits a
 * pass, passes over bytes that are the same in every key skipped). tmp must hold
 * n elements. The result is in a. */
void qp_radix_sort(qp_keyed *a, qp_keyed *tmp, size_t n);

#endif

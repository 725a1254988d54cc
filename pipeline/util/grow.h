/* grow.h - growing a malloc'd array by doubling. */
#ifndef QP_GROW_H
#define QP_GROW_H

#include <stdlib.h>

/* Makes *array hold at least `need` elements of `size` bytes, doubling from
 * `first`. Returns 0, or -1 when out of memory (the array is then unchanged). */
static inline int qp_grow(void *array, size_t *cap, size_t need, size_t size, size_t first)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : first;
    while (n < need)
        n *= 2;
    void *p = realloc(*(void **)array, n * size);
    if (!p)
        return -1;
    *(void **)array = p;
    *cap = n;
    return 0;
}

#endif

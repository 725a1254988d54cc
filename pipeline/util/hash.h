/* hash.h - a hash of strings for the tables that look documents up by id. */
#ifndef QP_HASH_H
#define QP_HASH_H

#include <stdint.h>

/* Returns the 64-bit FNV-1a hash of the NUL-terminated s, finished with a
 * multiply-xorshift so that its low bits index a table well. */
static inline uint64_t qp_hash_string(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    return h ^ (h >> 33);
}

#endif

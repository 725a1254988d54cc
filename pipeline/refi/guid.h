/* guid.h - GUIDs made from names, so the same input always gives the same
 * REFI-QDA file. */
#ifndef QP_GUID_H
#define QP_GUID_H

#include <stddef.h>

#define QP_GUID_LEN 36

/* Writes to out (QP_GUID_LEN characters and a NUL) the GUID of the n strings in
 * parts, taken together: the first 128 bits of their SHA-256 (each part ended by
 * a NUL, so "a","bc" and "ab","c" differ), marked as an RFC 4122 name-based
 * GUID. Cannot fail. */
void qp_guid_of(char out[QP_GUID_LEN + 1], const char *const *parts, size_t n);

#endif

/* keys.h - an object's keys in a fixed order: the workbook and the report list
 * groups and pairs so, whatever order the result was built in. */
#ifndef QP_KEYS_H
#define QP_KEYS_H

#include <stddef.h>

#include <jansson.h>

/* Returns obj's keys sorted bytewise (malloc'd, *n of them; the strings are
 * obj's), or NULL when out of memory. */
const char **sorted_keys(const json_t *obj, size_t *n);

#endif

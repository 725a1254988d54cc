/* keys.c - an object's keys in a fixed order (see keys.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "keys.h"

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

const char **sorted_keys(const json_t *obj, size_t *n)
{
    *n = json_object_size(obj);
    const char **keys = malloc((*n ? *n : 1) * sizeof *keys);
    size_t k = 0;
    const char *key;
    json_t *v;
    if (!keys)
        return NULL;
    json_object_foreach((json_t *)obj, key, v) keys[k++] = key;
    qsort(keys, *n, sizeof *keys, by_name);
    return keys;
}

/* fuzz_merge.c - qualpipe merge's input: two results (the input cut at its first
 * newline), each checked, the second merged into the first. */
#include "config.h"

#include <jansson.h>

#include "fuzz.h"
#include "results/result.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size);
    size_t first = nl ? (size_t)(nl - data) : size;
    json_t *a = json_loadb((const char *)data, first, 0, NULL);
    json_t *b = nl ? json_loadb((const char *)nl + 1, size - first - 1, 0, NULL) : NULL;
    qp_error err = {{0}};
    if (a && qp_result_check(a, "a.json", &err) == 0 && b &&
        qp_result_check(b, "b.json", &err) == 0)
        qp_result_merge(a, b, "a.json", "b.json", &err);
    json_decref(a);
    json_decref(b);
    return 0;
}

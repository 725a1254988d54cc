/* fuzz.h - what the libFuzzer harnesses share: the entry point's declaration
 * and a NUL-terminated copy of the input. */
#ifndef QP_FUZZ_H
#define QP_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Returns a malloc'd copy of data[0, size) with a NUL after it (the caller
 * frees it); aborts when out of memory, which a fuzzer reports. */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* A warning callback that says nothing. */
static inline void fuzz_quiet(const char *stage, const char *fmt, ...)
{
    (void)stage, (void)fmt;
}

#endif

/* guid.c - name-based GUIDs from nettle's SHA-256. */
#include "config.h"

#include <nettle/sha2.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "guid.h"

void qp_guid_of(char out[QP_GUID_LEN + 1], const char *const *parts, size_t n)
{
    struct sha256_ctx ctx;
    uint8_t d[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    for (size_t i = 0; i < n; i++)
        sha256_update(&ctx, strlen(parts[i]) + 1, (const uint8_t *)parts[i]);
    sha256_digest(&ctx, sizeof d, d);
    d[6] = (uint8_t)((d[6] & 0x0f) | 0x50); /* version 5 style */
    d[8] = (uint8_t)((d[8] & 0x3f) | 0x80); /* RFC 4122 variant */
    snprintf(out, QP_GUID_LEN + 1,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", d[0], d[1],
             d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11], d[12], d[13], d[14],
             d[15]);
}

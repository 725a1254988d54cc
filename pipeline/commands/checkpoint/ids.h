/* ids.h - the ids of the documents earlier parts of a checkpointed run hold, as
 * 64-bit hashes with the part each came from: 12 bytes a document, whatever the
 * length of the ids. A hash that matches is only a hint; the part's file says
 * for sure (checkpoint.c). */
#ifndef QP_CHECKPOINT_IDS_H
#define QP_CHECKPOINT_IDS_H

#include <stddef.h>
#include <stdint.h>

typedef struct ck_ids {
    uint64_t *hash; /* 0: an empty slot */
    uint32_t *part;
    size_t n, cap;
} ck_ids;

/* Adds document id of part `part`. Returns 0, or -1 when out of memory. */
int ck_ids_add(ck_ids *ids, const char *id, uint32_t part);

/* Calls found(ctx, part) for each part whose document hashes as id does, until
 * it returns nonzero. Returns what it returned last, or 0. */
int ck_ids_each_match(const ck_ids *ids, const char *id, int (*found)(void *ctx, uint32_t part),
                      void *ctx);

/* Frees the table. */
void ck_ids_free(ck_ids *ids);

#endif

/* parts.h - the checkpoint folder of `run --checkpoint DIR`: checkpoint.json,
 * the command line the folder belongs to, and the parts, part-NNNNNN.json (a
 * mergeable result of the next `every` documents) with part-NNNNNN.NAME beside
 * it when the sink writes a joined table (--hits: part-NNNNNN.hits). Every file is written whole:
 * under a temporary name, synced, renamed, and the folder synced. */
#ifndef QP_CHECKPOINT_PARTS_H
#define QP_CHECKPOINT_PARTS_H

#include <stddef.h>

#include <jansson.h>
#include <qualpipe/plugin.h>

#define CK_MANIFEST "checkpoint.json"

/* Returns the path of part k's file with extension ext ("json", "hits") in
 * dir (malloc'd), or NULL when out of memory. */
char *ck_part_path(const char *dir, size_t k, const char *ext);

/* Makes folder dir when it is missing and removes the temporary files a killed
 * run left in it. Returns 0, or -1 with err naming dir. */
int ck_dir_prepare(const char *dir, qp_error *err);

/* Writes `manifest` to dir when dir holds none yet. Returns 0 when dir's
 * manifest is (now) this one, 1 when it belongs to another run (err says what
 * differs), or -1 with err. */
int ck_manifest_check(const char *dir, const json_t *manifest, qp_error *err);

/* Syncs folder dir, so the renames into it survive a power loss. Returns 0, or
 * -1 with err. */
int ck_dir_sync(const char *dir, qp_error *err);

/* Loads part k of dir. Returns it; NULL with *missing set when there is no such
 * part, or NULL with err saying why it is damaged. */
json_t *ck_part_load(const char *dir, size_t k, int *missing, qp_error *err);

/* Removes part k's files (its joined table's, part-NNNNNN.JOINED, when joined
 * is not NULL) and every later part's: they are coded again. */
void ck_parts_remove_from(const char *dir, size_t k, const char *joined);

/* Removes the manifest and the parts, and dir itself when nothing else is in it. */
void ck_dir_clear(const char *dir);

#endif

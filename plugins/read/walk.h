/* walk.h - walking the folders given as inputs: each folder read once (by device
 * and inode), symbolic links followed only when asked, only regular files read,
 * and what was passed over named at the end. */
#ifndef QP_WALK_H
#define QP_WALK_H

#include <stddef.h>
#include <sys/types.h>

/* What the walk passed over, by kind: how many, and the first. */
enum { PASSED_LINK, PASSED_SPECIAL, PASSED_AGAIN, N_PASSED };

typedef struct walk_state {
    /* What was met: folders, and with --follow-links files (a hash table). */
    dev_t *dev;
    ino_t *ino;
    unsigned char *used;
    size_t n_met, cap;
    size_t passed[N_PASSED];
    char first[N_PASSED][512];
} walk_state;

struct read_ctx;

/* Reads the folder `dir` (the input as given, without a trailing '/'): *.txt files
 * as documents (id: the path below `dir`, without .txt), *.jsonl and *.ndjson as
 * record files, sub-folders in sorted order; hidden entries and other files are
 * left alone. Returns 0 or -1 (stop). */
int walk_folder(struct read_ctx *r, const char *dir);

/* Prints one warning per kind of entry the walks passed over. */
void walk_report(struct read_ctx *r);

void walk_free(walk_state *w);

#endif

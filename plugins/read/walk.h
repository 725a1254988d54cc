/* walk.h - walking the folders given as inputs: each folder read once (by device
 * and inode), symbolic links followed only when asked, only regular files read,
 * and what was passed over named at the end. */
#ifndef QP_WALK_H
#define QP_WALK_H

#include <stddef.h>
#include <sys/types.h>

/* What the walk passed over, by kind: how many, and the first. */
enum { PASSED_LINK, PASSED_SPECIAL, PASSED_AGAIN, N_PASSED };

/* Files no reader takes, counted by extension (lower case, ".mp3"; "" for none):
 * the first MAX_EXTENSIONS kinds by name, the rest together. */
#define MAX_EXTENSIONS 16
typedef struct unread {
    char ext[MAX_EXTENSIONS][16];
    size_t count[MAX_EXTENSIONS];
    size_t kinds, others, total;
} unread;

typedef struct walk_state {
    /* What was met: folders, and with --follow-links files (a hash table). */
    dev_t *dev;
    ino_t *ino;
    unsigned char *used;
    size_t n_met, cap;
    size_t passed[N_PASSED];
    char first[N_PASSED][512];
    unread unread;
    dev_t meta_dev; /* the --meta file, which is read, not a file passed over */
    ino_t meta_ino;
    const char *meta_base;
} walk_state;

struct read_ctx;

/* Reads the folder `dir` (the input as given, without a trailing '/'): *.txt files
 * as documents (id: the path below `dir`, without .txt), *.jsonl and *.ndjson as
 * record files, sub-folders in sorted order; hidden entries are left alone and
 * other files counted as not read. A folder with nothing to read is a skipped
 * entry of its own. Returns 0 or -1 (stop). */
int walk_folder(struct read_ctx *r, const char *dir);

/* Prints one warning per kind of entry the walks passed over, and one line
 * counting the files no reader takes by extension. */
void walk_report(struct read_ctx *r);

/* Notes the --meta file, so that a walk does not count it as not read. */
void walk_note_meta(walk_state *w, const char *meta_path);

void walk_free(walk_state *w);

#endif

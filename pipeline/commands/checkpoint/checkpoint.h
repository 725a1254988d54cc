/* checkpoint.h - `qualpipe run --checkpoint DIR`: the sink's result written
 * part by part into DIR as the run goes (every `every` documents a mergeable
 * partial result, whole or not at all), so that a run killed at any point, even
 * by SIGKILL or a power loss, is resumed by the same command and gives the bytes
 * an uninterrupted run gives. The checkpoint stands in for the sink: it creates
 * one instance of the sink per part, and at the end one more that takes in
 * every part (the sink's absorb callback) and writes the result.
 *
 * Ownership: the checkpoint owns its sink instances, the saved stream header
 * and its copies of the option values; the session and its runner must outlive
 * it. */
#ifndef QP_CHECKPOINT_H
#define QP_CHECKPOINT_H

#include <stddef.h>

#include "../session.h"

typedef struct qp_checkpoint qp_checkpoint;

/* Puts a checkpoint in DIR in place of the session's sink (the last stage the
 * session added to its runner): a new folder, or one a run of the same command
 * line left, whose parts are checked and whose documents the runner then passes
 * over unread. Returns the checkpoint, or NULL after printing why (another
 * run's folder, standard input, an output that cannot be resumed, a sink
 * without absorb). */
qp_checkpoint *qp_checkpoint_start(qp_session *s, const char *dir, size_t every);

/* Returns the documents the parts of the run it resumes hold (0 for a new run). */
size_t qp_checkpoint_resumed(const qp_checkpoint *ck);

/* Returns the folder. */
const char *qp_checkpoint_dir(const qp_checkpoint *ck);

/* Removes the folder's parts and manifest (and the folder when nothing else is
 * in it): call it once the result is published. */
void qp_checkpoint_clear(qp_checkpoint *ck);

/* Frees the checkpoint and its sink instances; the parts stay in the folder. */
void qp_checkpoint_free(qp_checkpoint *ck);

#endif

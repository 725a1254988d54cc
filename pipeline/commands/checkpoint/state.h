/* state.h - what a checkpoint holds (checkpoint.h), shared by its setup
 * (checkpoint.c) and the sink it stands in for (sink.c). */
#ifndef QP_CHECKPOINT_STATE_H
#define QP_CHECKPOINT_STATE_H

#include "checkpoint.h"
#include "ids.h"

struct qp_checkpoint {
    qp_stage_descriptor desc; /* the sink's own, with the callbacks of sink.c */
    const qp_stage_descriptor *sink;
    qp_host_impl *host;     /* the run's: the final instance writes to its output */
    qp_host_impl part_host; /* the same, its output a part's file */
    qp_option_value *part_opts, *final_opts; /* the sink's options, for each */
    size_t n_part_opts, n_final_opts;
    qp_option_value *part_hits; /* in part_opts: the joined table into the folder, or NULL */
    const char *joined_ext;     /* its option's name: the parts' are part-NNNNNN.NAME */
    char *part_hits_path;
    const char *hits; /* the run's joined table (QP_OPT_JOINED_FILE: --hits), or NULL */
    char *dir;
    size_t every;   /* documents a part */
    size_t parts;   /* parts in the folder, of this run or the one it resumes */
    size_t in_part; /* documents the current part has seen */
    size_t resumed; /* documents the resumed run's parts hold */
    void *part;     /* the sink instance of the current part */
    void *final;    /* the one that takes in every part and writes the result */
    json_t *header; /* the stream header the sink was begun with */
    ck_ids ids;     /* the documents of the finished parts */
    json_t *looked; /* the part last read to confirm an id, and its number */
    size_t looked_part;
    qp_atomic_file hits_out;
};

/* The sink callbacks (sink.c): the checkpoint is their context. */
int ck_sink_begin(void *ctx, json_t *header, qp_error *err);
int ck_sink_process(void *ctx, qp_doc *doc, qp_error *err);
int ck_sink_finish(void *ctx, json_t **result, qp_error *err);
int ck_sink_write(void *ctx, const json_t *result, qp_error *err);
int ck_sink_publish(void *ctx, qp_error *err);

/* Adds the ids of part k's documents to ck->ids. Returns QP_OK or QP_ERR_NOMEM. */
int ck_note_ids(qp_checkpoint *ck, const json_t *part, size_t k);

#endif

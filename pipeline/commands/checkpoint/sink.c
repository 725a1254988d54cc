/* sink.c - the checkpoint as the run's sink: each document goes to the sink
 * instance of the current part; every `every` documents that part's result is
 * written into the folder and a new instance begun; at the end one more
 * instance takes in every part and writes the result (see checkpoint.h). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/chain.h"
#include "parts.h"
#include "results/result.h"
#include "state.h"

/* What the aggregate says of a document whose id an earlier one had: the same
 * words, so that a resumed run's result has the bytes of one run. */
#define SECOND_ID "a second document with this id (ids must be unique)"

/* Creates a sink instance with opts on host and begins it with a copy of the
 * saved header. Returns QP_OK with *inst set, or an error status with err. */
static int begin_instance(qp_checkpoint *ck, qp_host_impl *host, const qp_option_value *opts,
                          size_t n, void **inst, qp_error *err)
{
    *inst = NULL;
    int st = ck->sink->create(&host->pub, opts, n, inst, err);
    if (st != QP_OK) {
        *inst = NULL;
        return st;
    }
    json_t *header = json_deep_copy(ck->header);
    if (!header)
        return QP_ERR_NOMEM;
    st = ck->sink->begin ? ck->sink->begin(*inst, header, err) : QP_OK;
    json_decref(header);
    return st;
}

/* Begins the instance of part ck->parts. Returns QP_OK or an error status. */
static int begin_part(qp_checkpoint *ck, qp_error *err)
{
    if (ck->part_hits) {
        free(ck->part_hits_path);
        if (!(ck->part_hits_path = ck_part_path(ck->dir, ck->parts, ck->joined_ext)))
            return QP_ERR_NOMEM;
        ck->part_hits->value = ck->part_hits_path;
    }
    ck->in_part = 0;
    return begin_instance(ck, &ck->part_host, ck->part_opts, ck->n_part_opts, &ck->part, err);
}

/* Writes the current part's result into the folder, whole (its hits file first:
 * a part's JSON file says both are there), and ends its instance. Returns QP_OK,
 * or an error status with err. */
static int commit_part(qp_checkpoint *ck, qp_error *err)
{
    json_t *result = NULL;
    qp_atomic_file af = {0};
    char *path = ck_part_path(ck->dir, ck->parts, "json");
    int st = path ? ck->sink->finish(ck->part, &result, err) : QP_ERR_NOMEM;
    if (st == QP_OK && qp_atomic_open(&af, path, err) < 0)
        st = QP_ERR_IO;
    if (st == QP_OK) {
        qp_host_set_output(&ck->part_host, af.fp, af.tmp_path, path);
        ck->part_host.output.terminal = 0; /* no summary for a part */
        errno = 0;
        st = ck->sink->write                         ? ck->sink->write(ck->part, result, err)
             : qp_result_write(af.fp, result, 1) < 0 ? QP_ERR_IO
                                                     : QP_OK;
        if (st == QP_ERR_IO && !err->message[0])
            snprintf(err->message, sizeof err->message, "%s: cannot write: %s", path,
                     strerror(errno));
    }
    if (st == QP_OK && qp_atomic_close(&af, err) < 0)
        st = QP_ERR_IO;
    if (st == QP_OK && ck->sink->publish && ck->sink->publish(ck->part, err) != QP_OK)
        st = QP_ERR_IO;
    if (st == QP_OK && (ck_dir_sync(ck->dir, err) < 0 || qp_atomic_publish(&af, err) < 0 ||
                        ck_dir_sync(ck->dir, err) < 0))
        st = QP_ERR_IO;
    if (st != QP_OK && af.fp)
        qp_atomic_abort(&af);
    json_decref(result);
    free(path);
    ck->sink->destroy(ck->part);
    ck->part = NULL;
    if (st == QP_OK)
        ck->parts++;
    return st;
}

int ck_sink_begin(void *ctx, json_t *header, qp_error *err)
{
    qp_checkpoint *ck = ctx;
    if (!(ck->header = json_deep_copy(header)))
        return QP_ERR_NOMEM;
    return begin_part(ck, err);
}

/* What search_part looks for: the checkpoint, and a document's id. */
typedef struct id_search {
    qp_checkpoint *ck;
    const char *id;
} id_search;

/* Returns 1 when finished part k holds the document (ck_ids_each_match's
 * found): a hash that matched is confirmed by the part's file, the part last
 * read kept for the next. */
static int search_part(void *ctx, uint32_t k)
{
    id_search *q = ctx;
    qp_checkpoint *ck = q->ck;
    if (k >= ck->parts)
        return 0; /* the current part: the sink sees its own duplicates */
    if (!ck->looked || ck->looked_part != k) {
        qp_error err;
        int missing;
        json_decref(ck->looked);
        ck->looked = ck_part_load(ck->dir, k, &missing, &err);
        ck->looked_part = k;
    }
    return json_object_get(json_object_get(ck->looked, "documents"), q->id) != NULL;
}

int ck_sink_process(void *ctx, qp_doc *doc, qp_error *err)
{
    qp_checkpoint *ck = ctx;
    if (ck->in_part == ck->every) {
        int st = commit_part(ck, err);
        if (st == QP_OK)
            st = begin_part(ck, err);
        if (st != QP_OK)
            return st;
    }
    if (!qp_doc_set_aside(doc) && doc->id &&
        ck_ids_each_match(&ck->ids, doc->id, search_part, &(id_search){ck, doc->id}))
        ck->host->pub.doc_skip(doc, ck->sink->name, SECOND_ID);
    ck->in_part++;
    int st = ck->sink->process(ck->part, doc, err);
    if (st == QP_OK && !qp_doc_set_aside(doc) && doc->id &&
        ck_ids_add(&ck->ids, doc->id, (uint32_t)ck->parts) < 0)
        st = QP_ERR_NOMEM;
    return st;
}

int ck_sink_finish(void *ctx, json_t **result, qp_error *err)
{
    qp_checkpoint *ck = ctx;
    int st = QP_OK;
    if (ck->in_part || !ck->parts) {
        st = commit_part(ck, err);
    } else {
        ck->sink->destroy(ck->part); /* begun after the last part, and given nothing */
        ck->part = NULL;
    }
    json_decref(ck->looked);
    ck->looked = NULL;
    if (st == QP_OK)
        st = begin_instance(ck, ck->host, ck->final_opts, ck->n_final_opts, &ck->final, err);
    for (size_t k = 0; k < ck->parts && st == QP_OK; k++) {
        int missing;
        json_t *part = ck_part_load(ck->dir, k, &missing, err);
        if (!part && missing) {
            char *path = ck_part_path(ck->dir, k, "json");
            snprintf(err->message, sizeof err->message, "%s: removed while the run went on",
                     path ? path : ck->dir);
            free(path);
        }
        st = part ? ck->sink->absorb(ck->final, part, err) : QP_ERR_IO;
        json_decref(part);
    }
    return st == QP_OK ? ck->sink->finish(ck->final, result, err) : st;
}

int ck_sink_write(void *ctx, const json_t *result, qp_error *err)
{
    qp_checkpoint *ck = ctx;
    if (ck->sink->write)
        return ck->sink->write(ck->final, result, err);
    return qp_result_write(ck->host->output.stream, result, 0) < 0 ? QP_ERR_IO : QP_OK;
}

/* Copies part k's hits file to out, without its header line unless k is 0.
 * Returns 0, or -1 with err. */
static int copy_hits(const qp_checkpoint *ck, size_t k, FILE *out, qp_error *err)
{
    char *path = ck_part_path(ck->dir, k, ck->joined_ext);
    FILE *in = path ? fopen(path, "rb") : NULL;
    int c = 0;
    if (in && k > 0)
        while ((c = getc(in)) != EOF && c != '\n')
            ;
    char buf[1 << 16];
    size_t n;
    int bad = !in;
    while (!bad && (n = fread(buf, 1, sizeof buf, in)) > 0)
        bad = fwrite(buf, 1, n, out) != n;
    bad |= in && ferror(in);
    if (bad)
        snprintf(err->message, sizeof err->message, "%s: %s", path ? path : ck->dir,
                 strerror(errno ? errno : EIO));
    if (in)
        fclose(in);
    free(path);
    return bad ? -1 : 0;
}

int ck_sink_publish(void *ctx, qp_error *err)
{
    qp_checkpoint *ck = ctx;
    if (ck->sink->publish && ck->sink->publish(ck->final, err) != QP_OK)
        return QP_ERR_IO;
    if (!ck->hits)
        return QP_OK;
    if (qp_atomic_open(&ck->hits_out, ck->hits, err) < 0)
        return QP_ERR_IO;
    for (size_t k = 0; k < ck->parts; k++)
        if (copy_hits(ck, k, ck->hits_out.fp, err) < 0) {
            qp_atomic_abort(&ck->hits_out);
            return QP_ERR_IO;
        }
    if (qp_atomic_close(&ck->hits_out, err) < 0 || qp_atomic_publish(&ck->hits_out, err) < 0)
        return QP_ERR_IO;
    return QP_OK;
}

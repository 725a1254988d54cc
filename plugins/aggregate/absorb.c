/* absorb.c - an earlier part's result taken into the aggregate (run --checkpoint):
 * its documents' rows go to the row table, the rest waits in `absorbed` and is
 * merged with this instance's own counts when the result is made. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "results/result.h"

/* The flags the rows are stored with (as count.c writes them). */
#define ROW_FLAGS (JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(10))

/* Moves the documents of `result` into the row table; a document this instance
 * already holds is an error, as when merging shards that share one. Returns
 * QP_OK, QP_ERR_USAGE, QP_ERR_IO or QP_ERR_NOMEM. */
static int absorb_documents(aggregate_ctx *a, const json_t *documents, qp_error *err)
{
    const char *id;
    json_t *row;
    json_object_foreach((json_t *)documents, id, row)
    {
        int seen = doctable_has(a->docs, id);
        if (seen) {
            snprintf(err->message, sizeof err->message,
                     seen < 0 ? "cannot read the documents' rows back from their temporary file"
                              : "document \"%.200s\" is in two parts of the run",
                     id);
            return seen < 0 ? QP_ERR_IO : QP_ERR_USAGE;
        }
        char *s = json_dumps(row, ROW_FLAGS);
        int rc = s ? doctable_add(a->docs, id, s, strlen(s), err) : QP_ERR_NOMEM;
        free(s);
        if (rc != QP_OK)
            return rc;
    }
    return QP_OK;
}

int aggregate_absorb(void *ctx, json_t *result, qp_error *err)
{
    aggregate_ctx *a = ctx;
    if (!result) { /* can this instance be resumed? */
        if (a->format != FORMAT_SQLITE && !a->tables.db)
            return QP_OK;
        snprintf(err->message, sizeof err->message,
                 "a SQLite database (--sqlite, --format sqlite) is not written part by part: "
                 "write the JSON, CSV or workbook with --checkpoint, or run without it");
        return QP_ERR_USAGE;
    }
    if (qp_result_check(result, "an earlier part", err) < 0)
        return QP_ERR_USAGE;
    int rc = absorb_documents(a, json_object_get(result, "documents"), err);
    if (rc != QP_OK)
        return rc;
    json_t *rest = json_copy(result);
    if (!rest || json_object_set_new(rest, "documents", json_object()) < 0) {
        json_decref(rest);
        return QP_ERR_NOMEM;
    }
    if (!a->absorbed) {
        a->absorbed = rest;
        return QP_OK;
    }
    rc = qp_result_merge(a->absorbed, rest, "the earlier parts", "an earlier part", err) < 0
             ? QP_ERR_USAGE
             : QP_OK;
    json_decref(rest);
    return rc;
}

int aggregate_join_absorbed(aggregate_ctx *a, json_t **result, qp_error *err)
{
    if (!a->absorbed)
        return QP_OK;
    if (qp_result_merge(a->absorbed, *result, "the earlier parts", "this part", err) < 0)
        return QP_ERR_USAGE;
    json_decref(*result);
    *result = a->absorbed;
    a->absorbed = NULL;
    /* The writer streams the documents in from the row table. */
    json_object_del(*result, "documents");
    return QP_OK;
}

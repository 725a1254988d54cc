/* doc.c - the document record's storage: growable token and hit arrays, owned
 * strings, and the JSON value a parsed record borrows its strings from. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "util/grow.h"

typedef struct doc_storage {
    qp_doc pub; /* first, so a qp_doc * is a doc_storage * */
    size_t tokens_cap;
    size_t hits_cap;
    size_t segments_cap;
    char *id;
    char *origin;
    char *text;                   /* owned text, or NULL when borrowed */
    json_t *backing;              /* JSON value the borrowed strings live in */
    void (*release)(void *block); /* a source's shared block the text lies in */
    void *block;
    char *skipped;
    char *skipped_stage;
    char *dropped_by;
    json_t *meta;    /* owned; pub.meta points here */
    int report_skip; /* skipped in this process, not yet reported */
} doc_storage;

static doc_storage *storage(qp_doc *doc)
{
    return (doc_storage *)doc;
}

/* Gives back the shared block the text lay in, if any. */
static void release_block(doc_storage *d)
{
    if (d->release)
        d->release(d->block);
    d->release = NULL;
    d->block = NULL;
}

/* Returns a new empty document, or NULL when out of memory. */
qp_doc *qp_doc_new(const char *origin)
{
    doc_storage *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->origin = strdup(origin ? origin : "");
    d->id = strdup("");
    d->pub.meta = d->meta = json_object();
    if (!d->origin || !d->id || !d->meta) {
        qp_doc_free(&d->pub);
        return NULL;
    }
    d->pub.origin = d->origin;
    d->pub.id = d->id;
    d->pub.text = "";
    return &d->pub;
}

/* Frees the document and all it owns; NULL is ignored. */
void qp_doc_free(qp_doc *doc)
{
    if (!doc)
        return;
    doc_storage *d = storage(doc);
    free((void *)d->pub.tokens);
    free((void *)d->pub.hits);
    for (size_t i = 0; i < d->pub.n_segments; i++)
        free((void *)d->pub.segments[i].speaker);
    free((void *)d->pub.segments);
    free(d->id);
    free(d->origin);
    free(d->text);
    release_block(d);
    free(d->skipped);
    free(d->skipped_stage);
    free(d->dropped_by);
    json_decref(d->meta);
    json_decref(d->backing);
    free(d);
}

/* Returns QP_OK, or QP_ERR_NOMEM leaving the old id in place. */
int qp_doc_set_id(qp_doc *doc, const char *id)
{
    doc_storage *d = storage(doc);
    char *copy = strdup(id);
    if (!copy)
        return QP_ERR_NOMEM;
    free(d->id);
    d->id = copy;
    d->pub.id = copy;
    return QP_OK;
}

/* Returns QP_OK; text is owned by the document from now on. */
int qp_doc_take_text(qp_doc *doc, char *text, size_t len)
{
    doc_storage *d = storage(doc);
    release_block(d);
    free(d->text);
    d->text = text;
    d->pub.text = text;
    d->pub.text_len = len;
    return QP_OK;
}

/* Returns QP_OK; the document calls release(block) once it no longer needs the
 * text. */
int qp_doc_share_text(qp_doc *doc, const char *text, size_t len, void (*release)(void *block),
                      void *block)
{
    doc_storage *d = storage(doc);
    release_block(d);
    free(d->text);
    d->text = NULL;
    d->release = release;
    d->block = block;
    d->pub.text = text;
    d->pub.text_len = len;
    return QP_OK;
}

/* Points the text into `owner`, which the document keeps alive. */
void qp_doc_borrow_text(qp_doc *doc, const char *text, size_t len, json_t *owner)
{
    doc_storage *d = storage(doc);
    release_block(d);
    free(d->text);
    d->text = NULL;
    qp_doc_keep(doc, owner);
    d->pub.text = text;
    d->pub.text_len = len;
}

/* Holds a reference to owner for the document's lifetime (replacing any earlier one). */
void qp_doc_keep(qp_doc *doc, json_t *owner)
{
    doc_storage *d = storage(doc);
    json_incref(owner);
    json_decref(d->backing);
    d->backing = owner;
}

/* Replaces the metadata object; the reference is stolen. */
void qp_doc_set_meta(qp_doc *doc, json_t *meta)
{
    doc_storage *d = storage(doc);
    json_decref(d->meta);
    d->pub.meta = d->meta = meta;
}

/* Returns QP_OK, or QP_ERR_NOMEM; a NULL value removes the field. */
int qp_doc_set_meta_field(qp_doc *doc, const char *key, json_t *value)
{
    doc_storage *d = storage(doc);
    if (!value) {
        json_object_del(d->meta, key);
        return QP_OK;
    }
    return json_object_set_new(d->meta, key, value) == 0 ? QP_OK : QP_ERR_NOMEM;
}

/* Returns QP_OK, or QP_ERR_NOMEM when the token array cannot grow. */
int qp_doc_add_token(qp_doc *doc, uint32_t start, uint32_t end)
{
    doc_storage *d = storage(doc);
    qp_span *t = (qp_span *)d->pub.tokens;
    if (qp_grow(&t, &d->tokens_cap, d->pub.n_tokens + 1, sizeof *t, 256) < 0)
        return QP_ERR_NOMEM;
    t[d->pub.n_tokens].start = start;
    t[d->pub.n_tokens].end = end;
    d->pub.tokens = t;
    d->pub.n_tokens++;
    return QP_OK;
}

/* Returns QP_OK, or QP_ERR_NOMEM when the token array cannot grow. */
int qp_doc_add_tokens(qp_doc *doc, const qp_span *tokens, size_t n)
{
    doc_storage *d = storage(doc);
    qp_span *t = (qp_span *)d->pub.tokens;
    /* A document's tokens usually come in one call: fit the first array to them,
     * as the documents in flight hold most of a run's memory. */
    size_t need = d->pub.n_tokens + n, first = d->tokens_cap || need < 256 ? 256 : need;
    if (qp_grow(&t, &d->tokens_cap, need, sizeof *t, first) < 0)
        return QP_ERR_NOMEM;
    if (n)
        memcpy(t + d->pub.n_tokens, tokens, n * sizeof *t);
    d->pub.tokens = t;
    d->pub.n_tokens += n;
    return QP_OK;
}

/* Returns QP_OK, or QP_ERR_NOMEM when the hit array cannot grow. */
int qp_doc_add_hit(qp_doc *doc, const qp_hit *hit)
{
    doc_storage *d = storage(doc);
    qp_hit *h = (qp_hit *)d->pub.hits;
    if (qp_grow(&h, &d->hits_cap, d->pub.n_hits + 1, sizeof *h, 64) < 0)
        return QP_ERR_NOMEM;
    h[d->pub.n_hits] = *hit;
    d->pub.hits = h;
    d->pub.n_hits++;
    return QP_OK;
}

/* Returns QP_OK, QP_ERR_USAGE for a span out of order or outside the text, or
 * QP_ERR_NOMEM. */
int qp_doc_add_segment(qp_doc *doc, uint32_t start, uint32_t end, const char *speaker)
{
    doc_storage *d = storage(doc);
    size_t n = d->pub.n_segments;
    if (start > end || end > doc->text_len || (n && start < d->pub.segments[n - 1].end))
        return QP_ERR_USAGE;
    qp_segment *s = (qp_segment *)d->pub.segments;
    if (qp_grow(&s, &d->segments_cap, n + 1, sizeof *s, 64) < 0)
        return QP_ERR_NOMEM;
    d->pub.segments = s;
    char *copy = speaker ? strdup(speaker) : NULL;
    if (speaker && !copy)
        return QP_ERR_NOMEM;
    s[n] = (qp_segment){start, end, copy, NULL};
    d->pub.n_segments++;
    return QP_OK;
}

void qp_doc_clear_hits(qp_doc *doc)
{
    doc->n_hits = 0;
}

/* Returns the hit array for in-place changes (NULL when there are none). */
qp_hit *qp_doc_hits_mut(qp_doc *doc)
{
    return (qp_hit *)doc->hits;
}

void qp_doc_truncate_hits(qp_doc *doc, size_t n)
{
    if (n < doc->n_hits)
        doc->n_hits = n;
}

/* Returns QP_OK, or QP_ERR_NOMEM (the document is then still marked, reason unknown). */
int qp_doc_mark_skipped(qp_doc *doc, const char *stage, const char *reason)
{
    doc_storage *d = storage(doc);
    free(d->skipped);
    free(d->skipped_stage);
    d->skipped = strdup(reason);
    d->skipped_stage = strdup(stage);
    d->pub.skipped = d->skipped ? d->skipped : "out of memory";
    d->pub.skipped_stage = d->skipped_stage ? d->skipped_stage : "?";
    return d->skipped && d->skipped_stage ? QP_OK : QP_ERR_NOMEM;
}

/* Returns QP_OK, or QP_ERR_NOMEM (the document is then still dropped, by "?"). */
int qp_doc_mark_dropped(qp_doc *doc, const char *stage)
{
    doc_storage *d = storage(doc);
    free(d->dropped_by);
    d->dropped_by = strdup(stage);
    d->pub.dropped_by = d->dropped_by ? d->dropped_by : "?";
    return d->dropped_by ? QP_OK : QP_ERR_NOMEM;
}

int qp_doc_defer(qp_doc *doc)
{
    doc->pending = 1;
    return QP_OK;
}

void qp_doc_want_report(qp_doc *doc)
{
    storage(doc)->report_skip = 1;
}

int qp_doc_take_report(qp_doc *doc)
{
    doc_storage *d = storage(doc);
    int r = d->report_skip;
    d->report_skip = 0;
    return r;
}

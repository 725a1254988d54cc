/* record.c - one JSON Lines record of a corpus file as a document: "id" (string
 * or number), "text", "meta" (object), any other field joining meta. The common
 * shape goes through the fast scanner (jsonl_scan.c); anything else, and any line
 * the scanner is unsure of, through jansson, so results and messages are the
 * same either way. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "jsonl_scan.h"
#include "read.h"

/* Names doc `id` and marks it skipped for reason. Returns 0, or -1 (memory). */
static int skip(read_ctx *r, qp_doc *doc, const char *id, const char *reason)
{
    if (r->host->doc_set_id(doc, id) != QP_OK)
        return -1;
    r->host->doc_skip(doc, STAGE, "%s", reason);
    return 0;
}

/* Sets doc's metadata from a scanned record: "meta" first, then the other fields,
 * as the full parse does. */
static void scanned_meta(read_ctx *r, qp_doc *doc, const jsonl_record *rec, json_t **values)
{
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < rec->n_fields; i++) {
            int is_meta = rec->values[i].s == rec->meta.s;
            const char *key;
            json_t *val;
            if (pass == 0 && is_meta)
                json_object_foreach(values[i], key, val)
                    r->host->doc_set_meta(doc, key, json_incref(val));
            if (pass == 1 && !is_meta) {
                char name[1024];
                snprintf(name, sizeof name, "%.*s", (int)rec->keys[i].len, rec->keys[i].s);
                r->host->doc_set_meta(doc, name, json_incref(values[i]));
            }
        }
}

/* Fills doc from a record the scanner read. Returns 0, -1 (memory), or 1 when a
 * value needs the full parse after all (rec->text is then freed). */
static int fill_scanned(read_ctx *r, qp_doc *doc, jsonl_record *rec)
{
    json_t *values[JSONL_MAX_FIELDS] = {NULL};
    int again = 0;
    for (size_t i = 0; i < rec->n_fields && !again; i++)
        again = !(values[i] = json_loadb(rec->values[i].s, rec->values[i].len,
                                         JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, NULL));
    char id[4096];
    const char *reason = NULL;
    snprintf(id, sizeof id, "%.*s", rec->has_id ? (int)rec->id.len : 0, rec->id.s);
    if (!rec->has_id) {
        snprintf(id, sizeof id, "%s", doc->origin);
        __atomic_add_fetch(&r->without_id, 1, __ATOMIC_RELAXED);
    } else if (!rec->id.len)
        reason = "\"id\" must be a non-empty string or a number";
    else if (!rec->text)
        reason = "no \"text\" string";
    for (size_t i = 0; i < rec->n_fields && !reason && !again; i++)
        if (rec->values[i].s == rec->meta.s && !json_is_object(values[i]))
            reason = "\"meta\" must be an object";
    int rc = again;
    if (!again && reason)
        rc = skip(r, doc, rec->id.len ? id : doc->origin, reason);
    else if (!again && r->host->doc_set_id(doc, id) != QP_OK)
        rc = -1;
    else if (!again)
        scanned_meta(r, doc, rec, values);
    for (size_t i = 0; i < rec->n_fields; i++)
        json_decref(values[i]);
    if (rc != 0 || reason) {
        free(rec->text);
        return rc;
    }
    if (r->meta)
        read_attach_meta(r, doc, NULL);
    return read_fill_text(r, doc, rec->text, rec->text_len, 1);
}

/* Returns the reason a parsed record cannot be a document, or NULL; sets *id. */
static const char *check_parsed(const json_t *v, const char *origin, char *idbuf, size_t size,
                                const char **id)
{
    const json_t *jid = json_object_get(v, "id"), *meta = json_object_get(v, "meta");
    *id = origin;
    if (json_is_string(jid) && json_string_length(jid))
        *id = json_string_value(jid);
    else if (json_is_integer(jid)) {
        snprintf(idbuf, size, "%lld", (long long)json_integer_value(jid));
        *id = idbuf;
    }
    if (jid && *id == origin)
        return "\"id\" must be a non-empty string or a number";
    if (!json_is_string(json_object_get(v, "text")))
        return "no \"text\" string";
    if (meta && !json_is_object(meta))
        return "\"meta\" must be an object";
    return NULL;
}

/* Fills doc from a record parsed whole by jansson. Returns 0, or -1 (memory). */
static int fill_parsed(read_ctx *r, qp_doc *doc, const char *line, size_t len)
{
    json_error_t jerr;
    json_t *v = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!v || !json_is_object(v)) {
        char reason[512];
        if (v)
            snprintf(reason, sizeof reason, "a record must be a JSON object");
        else
            snprintf(reason, sizeof reason, "malformed JSON at column %d: %s", jerr.column,
                     jerr.text);
        json_decref(v);
        return skip(r, doc, doc->origin, reason);
    }
    char idbuf[64];
    const char *id;
    const char *reason = check_parsed(v, doc->origin, idbuf, sizeof idbuf, &id);
    if (!reason && !json_object_get(v, "id"))
        __atomic_add_fetch(&r->without_id, 1, __ATOMIC_RELAXED);
    if (reason || r->host->doc_set_id(doc, id) != QP_OK) {
        int rc = reason ? skip(r, doc, id, reason) : -1;
        json_decref(v);
        return rc;
    }
    const char *key;
    json_t *val, *text = json_object_get(v, "text");
    json_object_foreach(json_object_get(v, "meta"), key, val)
        r->host->doc_set_meta(doc, key, json_incref(val));
    json_object_foreach(v, key,
                        val) if (strcmp(key, "id") && strcmp(key, "text") && strcmp(key, "meta"))
        r->host->doc_set_meta(doc, key, json_incref(val));
    if (r->meta)
        read_attach_meta(r, doc, NULL);
    size_t n = json_string_length(text);
    char *copy = malloc(n + 1);
    if (copy)
        memcpy(copy, json_string_value(text), n + 1);
    json_decref(v);
    return copy ? read_fill_text(r, doc, copy, n, 1) : -1;
}

int read_fill_record(read_ctx *r, qp_doc *doc, const char *line, size_t len)
{
    jsonl_record rec;
    int scanned = jsonl_scan(line, len, &rec);
    if (scanned < 0)
        return -1;
    if (scanned == 0 && (scanned = fill_scanned(r, doc, &rec)) != 1)
        return scanned;
    return fill_parsed(r, doc, line, len);
}

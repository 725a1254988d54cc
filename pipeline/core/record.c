/* record.c - document records and stream headers as JSON Lines. */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "doc.h"
#include "record.h"

/* Writes value compactly; returns 0 or -1. */
static int put_json(FILE *out, const json_t *value)
{
    return json_dumpf(value, out, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS) == 0 ? 0 : -1;
}

/* Writes s[0, len) as a JSON string; returns 0 or -1. */
static int put_string(FILE *out, const char *s, size_t len)
{
    json_t *v = json_stringn_nocheck(s, len);
    int rc = v ? put_json(out, v) : -1;
    json_decref(v);
    return rc;
}

/* Writes an unsigned number; returns 0 or -1. */
static int put_uint(FILE *out, uint32_t n)
{
    char buf[16];
    size_t i = sizeof buf;
    do {
        buf[--i] = (char)('0' + n % 10);
        n /= 10;
    } while (n);
    return fwrite(buf + i, 1, sizeof buf - i, out) == sizeof buf - i ? 0 : -1;
}

/* Returns 0 when the record went out whole, -1 on a stream error. */
int qp_record_write(FILE *out, const qp_doc *doc)
{
    int bad = fputs("{\"v\":1,\"id\":", out) < 0 || put_string(out, doc->id, strlen(doc->id));
    bad |= fputs(",\"meta\":", out) < 0 || put_json(out, doc->meta);
    if (doc->skipped) {
        bad |= fputs(",\"skipped\":{\"reason\":", out) < 0 ||
               put_string(out, doc->skipped, strlen(doc->skipped)) ||
               fputs(",\"stage\":", out) < 0 ||
               put_string(out, doc->skipped_stage, strlen(doc->skipped_stage)) ||
               fputs("}}\n", out) < 0;
        return bad || ferror(out) ? -1 : 0;
    }
    if (doc->dropped_by) {
        bad |= fputs(",\"dropped\":{\"stage\":", out) < 0 ||
               put_string(out, doc->dropped_by, strlen(doc->dropped_by)) || fputs("}}\n", out) < 0;
        return bad || ferror(out) ? -1 : 0;
    }
    bad |= fputs(",\"text\":", out) < 0 || put_string(out, doc->text, doc->text_len);
    bad |= fputs(",\"tokens\":[", out) < 0;
    for (size_t i = 0; i < doc->n_tokens && !bad; i++) {
        bad |= fputs(i ? ",[" : "[", out) < 0 || put_uint(out, doc->tokens[i].start) ||
               putc(',', out) == EOF || put_uint(out, doc->tokens[i].end) || putc(']', out) == EOF;
    }
    bad |= fputs("]", out) < 0;
    if (doc->n_segments) {
        bad |= fputs(",\"segments\":[", out) < 0;
        for (size_t i = 0; i < doc->n_segments && !bad; i++) {
            const qp_segment *g = &doc->segments[i];
            bad |= fputs(i ? ",[" : "[", out) < 0 || put_uint(out, g->start) ||
                   putc(',', out) == EOF || put_uint(out, g->end) || putc(',', out) == EOF;
            if (!bad && g->speaker)
                bad |= put_string(out, g->speaker, strlen(g->speaker));
            else if (!bad)
                bad |= fputs("null", out) < 0;
            bad |= putc(']', out) == EOF;
        }
        bad |= putc(']', out) == EOF;
    }
    bad |= fputs(",\"codes\":[", out) < 0;
    for (size_t i = 0; i < doc->n_hits && !bad; i++) {
        const qp_hit *h = &doc->hits[i];
        bad |= fputs(i ? ",{\"code\":" : "{\"code\":", out) < 0 ||
               put_string(out, h->code, strlen(h->code)) || fputs(",\"end\":", out) < 0 ||
               put_uint(out, h->end) || fputs(",\"rule\":", out) < 0 ||
               put_string(out, h->rule, strlen(h->rule)) || fputs(",\"start\":", out) < 0 ||
               put_uint(out, h->start);
        if (!bad && h->segment != QP_NO_SEGMENT)
            bad |= fputs(",\"segment\":", out) < 0 || put_uint(out, h->segment);
        bad |= putc('}', out) == EOF;
    }
    bad |= fputs("]}\n", out) < 0;
    return bad || ferror(out) ? -1 : 0;
}

int qp_header_write(FILE *out, const json_t *header)
{
    return put_json(out, header) < 0 || putc('\n', out) == EOF ? -1 : 0;
}

json_t *qp_header_new(void)
{
    return json_pack("{s:i, s:s, s:[]}", "qualpipe_stream", 1, "qualpipe_version", PACKAGE_VERSION,
                     "stages");
}

int qp_is_header(const json_t *value)
{
    return json_is_object(value) && json_object_get(value, "qualpipe_stream") != NULL;
}

/* Formats the reason into why_buf; returns -1 for the caller. */
__attribute__((format(printf, 3, 4))) static int reject(char *buf, size_t size, const char *fmt,
                                                        ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return -1;
}

/* Reads a [start, end] pair within a text of len bytes; returns 0 or -1. */
static int read_span(json_t *start, json_t *end, size_t len, uint32_t *s, uint32_t *e)
{
    if (!json_is_integer(start) || !json_is_integer(end))
        return -1;
    json_int_t a = json_integer_value(start), b = json_integer_value(end);
    if (a < 0 || b < a || (size_t)b > len)
        return -1;
    *s = (uint32_t)a;
    *e = (uint32_t)b;
    return 0;
}

/* Adds the "tokens" array to doc. Returns 0, or -1 with the reason in buf. */
static int fill_tokens(qp_doc *doc, const json_t *tokens, size_t len, char *buf, size_t size)
{
    json_t *t;
    size_t i;
    uint32_t prev_end = 0;
    if (tokens && !json_is_array(tokens))
        return reject(buf, size, "\"tokens\" must be an array of [start, end] pairs");
    json_array_foreach(tokens, i, t)
    {
        uint32_t s, e;
        if (!json_is_array(t) || json_array_size(t) != 2 ||
            read_span(json_array_get(t, 0), json_array_get(t, 1), len, &s, &e) < 0 ||
            s < prev_end || s == e)
            return reject(buf, size,
                          "token %zu is not a [start, end] pair of byte offsets inside the text, "
                          "after the previous token",
                          i);
        if (qp_doc_add_token(doc, s, e) < 0)
            return reject(buf, size, "out of memory");
        prev_end = e;
    }
    return 0;
}

/* Adds the "segments" array to doc. Returns 0, or -1 with the reason in buf. */
static int fill_segments(qp_doc *doc, const json_t *segments, size_t len, char *buf, size_t size)
{
    json_t *g;
    size_t i;
    if (segments && !json_is_array(segments))
        return reject(buf, size, "\"segments\" must be an array of [start, end, speaker]");
    json_array_foreach(segments, i, g)
    {
        uint32_t s, e;
        json_t *speaker = json_array_get(g, 2);
        if (!json_is_array(g) || json_array_size(g) != 3 ||
            read_span(json_array_get(g, 0), json_array_get(g, 1), len, &s, &e) < 0 ||
            !(json_is_string(speaker) || json_is_null(speaker)) ||
            qp_doc_add_segment(doc, s, e, json_string_value(speaker)) != QP_OK)
            return reject(buf, size,
                          "segment %zu is not [start, end, speaker] inside the text, after the "
                          "previous segment",
                          i);
    }
    return 0;
}

/* Adds the "codes" array (the hits) to doc. Returns 0, or -1 with the reason in buf. */
static int fill_hits(qp_doc *doc, const json_t *codes, size_t len, char *buf, size_t size)
{
    json_t *c;
    size_t i;
    if (codes && !json_is_array(codes))
        return reject(buf, size, "\"codes\" must be an array of hits");
    json_array_foreach(codes, i, c)
    {
        qp_hit h = {.segment = QP_NO_SEGMENT};
        h.code = json_string_value(json_object_get(c, "code"));
        h.rule = json_string_value(json_object_get(c, "rule"));
        json_t *seg = json_object_get(c, "segment");
        if (!h.code || !h.rule ||
            read_span(json_object_get(c, "start"), json_object_get(c, "end"), len, &h.start,
                      &h.end) < 0 ||
            (seg && (!json_is_integer(seg) || json_integer_value(seg) < 0 ||
                     json_integer_value(seg) >= UINT32_MAX)))
            return reject(buf, size,
                          "hit %zu needs \"code\", \"rule\", and \"start\" and \"end\" inside "
                          "the text",
                          i);
        if (seg && (size_t)json_integer_value(seg) >= doc->n_segments)
            return reject(buf, size, "hit %zu names segment %lld, which does not exist", i,
                          (long long)json_integer_value(seg));
        if (seg)
            h.segment = (uint32_t)json_integer_value(seg);
        if (qp_doc_add_hit(doc, &h) < 0)
            return reject(buf, size, "out of memory");
    }
    return 0;
}

/* Fills doc from a record object. Returns 0, or -1 with the reason in buf. */
static int fill(qp_doc *doc, json_t *v, char *buf, size_t size)
{
    static const char *const known[] = {"v",     "id",       "meta",    "text",    "tokens",
                                        "codes", "segments", "skipped", "dropped", NULL};
    const char *key;
    json_t *val;
    json_object_foreach(v, key, val)
    {
        int ok = 0;
        for (const char *const *k = known; *k && !ok; k++)
            ok = strcmp(*k, key) == 0;
        if (!ok)
            return reject(buf, size,
                          "unknown field \"%s\" (a record has v, id, meta, text, segments, tokens, "
                          "codes, skipped, dropped; put fields of your own inside meta)",
                          key);
    }
    json_t *ver = json_object_get(v, "v");
    if (ver && (!json_is_integer(ver) || json_integer_value(ver) != 1))
        return reject(buf, size, "record version is not 1");
    json_t *meta = json_object_get(v, "meta");
    if (meta && !json_is_object(meta))
        return reject(buf, size, "\"meta\" must be an object");
    if (meta)
        qp_doc_set_meta(doc, json_incref(meta));
    json_t *skipped = json_object_get(v, "skipped");
    if (skipped) {
        const char *reason = json_string_value(json_object_get(skipped, "reason"));
        const char *stage = json_string_value(json_object_get(skipped, "stage"));
        if (!reason || !stage)
            return reject(buf, size, "\"skipped\" needs a \"stage\" and a \"reason\"");
        qp_doc_mark_skipped(doc, stage, reason);
        return 0;
    }
    json_t *dropped = json_object_get(v, "dropped");
    if (dropped) {
        const char *stage = json_string_value(json_object_get(dropped, "stage"));
        if (!stage)
            return reject(buf, size, "\"dropped\" needs a \"stage\"");
        return qp_doc_mark_dropped(doc, stage) == QP_OK ? 0 : reject(buf, size, "out of memory");
    }
    json_t *text = json_object_get(v, "text");
    if (!json_is_string(text))
        return reject(buf, size, "no \"text\" string");
    size_t len = json_string_length(text);
    if (len >= UINT32_MAX)
        return reject(buf, size, "text longer than 4 GiB");
    qp_doc_borrow_text(doc, json_string_value(text), len, v);
    if (fill_tokens(doc, json_object_get(v, "tokens"), len, buf, size) < 0 ||
        fill_segments(doc, json_object_get(v, "segments"), len, buf, size) < 0 ||
        fill_hits(doc, json_object_get(v, "codes"), len, buf, size) < 0)
        return -1;
    return 0;
}

/* Returns the document made from the record; invalid records come back skipped. */
qp_doc *qp_record_from_json(json_t *value, const char *origin, const char **why, char *why_buf,
                            size_t why_size)
{
    *why = NULL;
    qp_doc *doc = qp_doc_new(origin);
    if (!doc)
        return NULL;
    qp_doc_keep(doc, value);
    json_t *id = json_is_object(value) ? json_object_get(value, "id") : NULL;
    if (json_is_string(id) && json_string_length(id) > 0)
        qp_doc_set_id(doc, json_string_value(id));
    else
        qp_doc_set_id(doc, origin);
    if (!json_is_object(value))
        reject(why_buf, why_size, "a record must be a JSON object");
    else if (!json_is_string(id) || json_string_length(id) == 0)
        reject(why_buf, why_size, "no \"id\" string");
    else if (fill(doc, value, why_buf, why_size) == 0)
        return doc;
    qp_doc_clear_hits(doc);
    *why = why_buf;
    return doc;
}

/* jsonl_scan.h - a fast reader of the usual JSON Lines record, {"id": ...,
 * "text": "...", "meta": {...}, ...}: the text is unescaped straight into its
 * own buffer, without building a JSON tree of the line. Anything it is not sure
 * of (a malformed line, an escape in a key, an id that is neither a plain string
 * nor an integer, invalid UTF-8, a NUL) it leaves to jansson, so every line gets
 * the same result and the same message as a full parse would give. */
#ifndef QP_JSONL_SCAN_H
#define QP_JSONL_SCAN_H

#include <stddef.h>

#define JSONL_MAX_FIELDS 32

/* A span of the line. */
typedef struct jsonl_span {
    const char *s;
    size_t len;
} jsonl_span;

/* What the scanner found in one record. Spans point into the line. */
typedef struct jsonl_record {
    jsonl_span id; /* the id's characters (a string) or digits (an integer) */
    int id_is_string, has_id;
    char *text; /* unescaped and NUL-terminated, malloc'd; NULL when absent */
    size_t text_len;
    jsonl_span meta;                     /* the "meta" value as written, or {NULL, 0} */
    jsonl_span keys[JSONL_MAX_FIELDS];   /* the other fields, in record order */
    jsonl_span values[JSONL_MAX_FIELDS]; /* their values as written */
    size_t n_fields;
} jsonl_record;

/* Scans line[0, len) (no line end). Returns 0 with rec filled (rec->text is the
 * caller's to free), 1 when the line must be parsed by jansson instead (rec holds
 * nothing to free), or -1 when out of memory. */
int jsonl_scan(const char *line, size_t len, jsonl_record *rec);

#endif

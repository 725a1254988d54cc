/* record.h - the document record as one line of JSON (format v1), and the stream
 * header line that carries provenance and the codebook between processes.
 *
 *   {"qualpipe_stream":1,"qualpipe_version":"..","stages":[..],"codebook":{..}}
 *   {"v":1,"id":"P01","meta":{..},"text":"..","tokens":[[0,4],..],
 *    "codes":[{"code":"..","rule":"..","start":0,"end":4}, ..]}
 *   {"v":1,"id":"P02","meta":{..},"skipped":{"stage":"read","reason":".."}}
 */
#ifndef QP_RECORD_H
#define QP_RECORD_H

#include <stdio.h>

#include <qualpipe/plugin.h>

/* Writes doc as one line. Returns 0, or -1 when the stream reports an error. */
int qp_record_write(FILE *out, const qp_doc *doc);

/* Writes the stream header as one line. Returns 0, or -1 on a stream error. */
int qp_header_write(FILE *out, const json_t *header);

/* Returns a new, empty stream header, or NULL when out of memory. */
json_t *qp_header_new(void);

/* Returns 1 when `value` (a parsed line) is a stream header, else 0. */
int qp_is_header(const json_t *value);

/* Turns one parsed line into a document named `origin`. Returns the document; a
 * line that is not a valid record gives a document marked skipped with the reason
 * in *why (the caller reports it). NULL only when out of memory. */
qp_doc *qp_record_from_json(json_t *value, const char *origin, const char **why, char *why_buf,
                            size_t why_size);

#endif

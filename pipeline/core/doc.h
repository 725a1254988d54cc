/* doc.h - making, filling and freeing document records (see qualpipe/plugin.h). */
#ifndef QP_DOC_H
#define QP_DOC_H

#include <qualpipe/plugin.h>

/* A new empty document; origin is copied. NULL when out of memory. */
qp_doc *qp_doc_new(const char *origin);
/* Free a document and everything it owns. NULL is a no-op. */
void qp_doc_free(qp_doc *doc);
/* Set the id (copied). QP_OK or QP_ERR_NOMEM. */
int qp_doc_set_id(qp_doc *doc, const char *id);
/* Take ownership of a malloc'd text of len bytes followed by a NUL. QP_OK, or
 * QP_ERR_NOMEM after freeing text. */
int qp_doc_take_text(qp_doc *doc, char *text, size_t len);
/* Point the text at memory owned by `owner`, a JSON value the document keeps a
 * reference to (and, with it, the strings hits borrow from it). */
void qp_doc_borrow_text(qp_doc *doc, const char *text, size_t len, json_t *owner);
/* Points the text into a block a source shares (see qp_host.doc_share_text). QP_OK. */
int qp_doc_share_text(qp_doc *doc, const char *text, size_t len, void (*release)(void *block),
                      void *block);
/* Keep a reference to `owner` so strings borrowed from it outlive the document's use. */
void qp_doc_keep(qp_doc *doc, json_t *owner);
/* Replace the metadata object (reference stolen). */
void qp_doc_set_meta(qp_doc *doc, json_t *meta);
/* Set metadata field key to value (stolen; NULL removes it). QP_OK or QP_ERR_NOMEM. */
int qp_doc_set_meta_field(qp_doc *doc, const char *key, json_t *value);
/* Append a token span. QP_OK or QP_ERR_NOMEM. */
int qp_doc_add_token(qp_doc *doc, uint32_t start, uint32_t end);
/* Append n token spans (copied). QP_OK or QP_ERR_NOMEM. */
int qp_doc_add_tokens(qp_doc *doc, const qp_span *tokens, size_t n);
/* Append a hit (strings borrowed). QP_OK or QP_ERR_NOMEM. */
int qp_doc_add_hit(qp_doc *doc, const qp_hit *hit);
/* Drop every hit. */
void qp_doc_clear_hits(qp_doc *doc);
/* Mutable view of the hits, for stages that sort or filter them in place. */
qp_hit *qp_doc_hits_mut(qp_doc *doc);
/* Keep only the first n hits. */
void qp_doc_truncate_hits(qp_doc *doc, size_t n);
/* Append a segment (speaker copied). QP_OK, QP_ERR_USAGE when out of order or
 * outside the text, or QP_ERR_NOMEM. */
int qp_doc_add_segment(qp_doc *doc, uint32_t start, uint32_t end, const char *speaker);
/* Mark the document skipped by stage for reason (both copied). QP_OK or QP_ERR_NOMEM. */
int qp_doc_mark_skipped(qp_doc *doc, const char *stage, const char *reason);

/* Asks for the document's skip to be reported when it leaves the chain. */
void qp_doc_want_report(qp_doc *doc);
/* Returns 1 (once) when the document's skip is still to be reported, else 0. */
int qp_doc_take_report(qp_doc *doc);
/* Leave the document for its source's prepare callback (pending = 1). QP_OK. */
int qp_doc_defer(qp_doc *doc);
/* Mark the document dropped on purpose by stage (copied). QP_OK or QP_ERR_NOMEM. */
int qp_doc_mark_dropped(qp_doc *doc, const char *stage);

#endif

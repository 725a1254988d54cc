/* quotes.h - the coded quotes kept for each code: up to K, the first by document
 * id and position, so shards' quotes merge to the same choice. */
#ifndef QP_QUOTES_H
#define QP_QUOTES_H

#include <stddef.h>
#include <stdint.h>

#include <qualpipe/plugin.h>

/* Bytes of text around a hit in a keyword-in-context quote, each side. */
#define QUOTE_CONTEXT 80
/* Longest segment quoted whole. */
#define QUOTE_MAX 400

typedef struct quote {
    char *doc, *speaker, *rule, *text;
    uint32_t start, end;
} quote;

typedef struct quotes {
    size_t k, n_codes;
    quote *q;     /* [code * k + i], sorted */
    size_t *used; /* per code */
    /* Per code, the document (by the stamp quotes_offer is given) whose id sorts
     * after every quote kept, once the code has k: its other hits are passed over
     * without comparing. */
    uint64_t *late;
} quotes;

/* Prepares room for k quotes per code. Returns 0, or -1 when out of memory. */
int quotes_init(quotes *q, size_t n_codes, size_t k);
void quotes_free(quotes *q);

/* Offers a hit of code `code` in doc, whose hits are offered under one `stamp`
 * (different for each document, never 0); it is kept when among the first k by
 * (doc id, start, end, rule). The text is the hit's segment, or a
 * keyword-in-context window. Returns 0, or -1 when out of memory. */
int quotes_offer(quotes *q, size_t code, const qp_doc *doc, uint64_t stamp, const qp_hit *hit);

/* Returns the code's quotes as a JSON array, in order. */
json_t *quotes_json(const quotes *q, size_t code);

#endif

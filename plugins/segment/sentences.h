/* sentences.h - where sentences and paragraphs end. */
#ifndef QP_SENTENCES_H
#define QP_SENTENCES_H

#include <stddef.h>

/* Called with each unit's span [start, end), whitespace trimmed. Returns 0 to go
 * on, or non-zero to stop. */
typedef int (*span_fn)(void *ctx, size_t start, size_t end);

/* Splits text[start, end) into paragraphs at blank lines. Returns 0, or what the
 * callback returned to stop. */
int qp_split_paragraphs(const char *text, size_t start, size_t end, span_fn fn, void *ctx);

/* Splits text[start, end) into sentences. A sentence ends at '.', '!' or '?' (or a
 * run of them), after any closing quotes or brackets, when whitespace and then an
 * upper-case letter, a digit or an opening quote follow, or the text ends; and at
 * every blank line. A '.' does not end one after a known abbreviation ("Dr.",
 * "e.g.", "etc."), a single initial ("J. Smith") or inside a number ("3.5"); an
 * ellipsis ("..." or U+2026) marks a pause, not an end. Returns 0, or what the
 * callback returned to stop. */
int qp_split_sentences(const char *text, size_t start, size_t end, span_fn fn, void *ctx);

#endif

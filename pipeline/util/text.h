/* text.h - the text rules every stage agrees on: what a valid document text is,
 * what a token is, and how a token is normalised for matching. */
#ifndef QP_TEXT_H
#define QP_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* Checks that text[0, len) is UTF-8 without NUL bytes. Returns 0 when it is;
 * otherwise -1 with *bad_offset set to the first offending byte and *why to a
 * static reason ("invalid UTF-8" or "NUL byte"). */
int qp_text_check(const char *text, size_t len, size_t *bad_offset, const char **why);

/* Returns the 1-based line number of byte offset `at` in text. */
size_t qp_text_line_of(const char *text, size_t at);

/* Turns every carriage return that is not followed by a line feed (the line
 * ends of old Mac files) into a line feed, in place: the length and every
 * offset stay as they were. Returns how many were turned. */
size_t qp_text_lone_cr_to_lf(char *text, size_t len);

/* Finds the next token in text[0, len) at or after *pos. A token is a run of
 * letters, marks and digits (Unicode categories L, M, N), which may be joined by a
 * single apostrophe (' or U+2019) or hyphen (-, U+2010, U+2011) standing between
 * two such characters: "don't", "Fellow-Citizens", "co-design". Returns 1 with
 * [*start, *end) set and *pos moved past the token, or 0 at the end of the text.
 * Invalid UTF-8 bytes are treated as separators. */
int qp_token_next(const char *text, size_t len, size_t *pos, size_t *start, size_t *end);

/* Finds every token of text[0, len) as qp_token_next would, storing token k's
 * span as (*spans)[2k], (*spans)[2k + 1] and growing *spans (of *cap numbers) as
 * needed. Returns the number of tokens, or -1 when out of memory. */
long qp_tokens_all(const char *text, size_t len, uint32_t **spans, size_t *cap);

/* As qp_tokens_all, in the quanteda style (qp_token_next_quanteda). */
long qp_tokens_all_quanteda(const char *text, size_t len, uint32_t **spans, size_t *cap);

/* Like qp_token_next, but following quanteda's tokens(x, remove_punct = TRUE),
 * which uses ICU word boundaries: besides in-word apostrophes and hyphens, a '.'
 * joins letters to letters and digits to digits ("U.S.A", "e.g", "3.5"), ',' and
 * ';' join digits ("1,000"), ':' joins letters, '_' joins anything; and each
 * symbol (currency, maths, emoji: Unicode category S) is a token of its own, as
 * quanteda keeps symbols unless remove_symbols is set. Punctuation is dropped. */
int qp_token_next_quanteda(const char *text, size_t len, size_t *pos, size_t *start, size_t *end);

/* A growable byte buffer. */
typedef struct qp_buf {
    char *data;
    size_t len;
    size_t cap;
} qp_buf;

/* Makes room for `more` bytes after len. Returns 0, or -1 when out of memory. */
int qp_buf_reserve(qp_buf *b, size_t more);
/* Appends s[0, n) and a NUL after it (not counted). Returns 0, or -1 when out of
 * memory. */
int qp_buf_append(qp_buf *b, const char *s, size_t n);
/* Frees the buffer's memory and empties it. */
void qp_buf_free(qp_buf *b);

/* Appends the match form of s[0, len) to out: Unicode case folding (utf8proc,
 * NFC) unless case_sensitive, with a table-driven path for ASCII. A NUL is
 * appended after it but not counted. Returns 0, or -1 when out of memory or the
 * bytes are not UTF-8. */
int qp_fold_append(qp_buf *out, const char *s, size_t len, int case_sensitive);

/* Returns 1 when folded text s[0, len) matches glob g[0, glen), in which `*`
 * matches any run of characters and `?` exactly one (UTF-8) character; else 0. */
int qp_glob_match(const char *g, size_t glen, const char *s, size_t len);

#endif

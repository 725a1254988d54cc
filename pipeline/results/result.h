/* result.h - the result as a mergeable partial result. Every count in it is a sum
 * over documents; the rest (rates, the codes without hits) is derived from the
 * counts by qp_result_derive, so the results of shards merged in any order give
 * the result of one run over all of them, byte for byte. */
#ifndef QP_RESULT_H
#define QP_RESULT_H

#include <stdio.h>

#include <qualpipe/plugin.h>

/* Sets the derived fields from the counts: per_1000_tokens of the totals, of each
 * code (and subtree_per_1000_tokens where it has children), of each group and its
 * codes; codes_without_hits overall and per group, in codebook order (a code is
 * without hits when neither it nor any code below it has one). Returns 0, or -1
 * when out of memory. */
int qp_result_derive(json_t *result);

/* Sets result.tests: for each --by field with two groups or more, and for both
 * units (documents, segments), each code tested alone (the 2 x G table of units
 * with and without it, or a code below it, across the groups: chi-square,
 * df, p, Cramér's V, the adjusted standardized residual of each group, and
 * Fisher's exact p for a 2 x 2 table with an expected count below 5) and the
 * code x group table of units with each code's own patterns tested as a whole
 * (with the residual of each cell). Returns 0, or -1 when out of memory. */
int qp_result_group_tests(json_t *result);

/* Returns hits as a percentage of tokens, as LIWC reports a category, rounded
 * to 4 decimals (0 when there are no tokens). */
double qp_result_pct(long long hits, long long tokens);

/* Returns hits per 1,000 tokens, rounded to 4 decimals (0 without tokens). */
double qp_result_per1000(long long hits, long long tokens);

/* Adds result `from` to `into`: counts summed, documents and skipped documents
 * joined, derived fields recomputed. Returns 0; or -1 with err naming both results
 * and what differs when they come from different codebooks (by hash), options or
 * qualpipe versions, or share a document. */
/* Checks that r has the shape of a result wherever merging reads it (quotes with
 * doc, rule, text, start and end; skipped entries with id, stage and reason).
 * Returns 0, or -1 with err naming the file and the field. */
int qp_result_check(const json_t *r, const char *name, qp_error *err);

int qp_result_merge(json_t *into, const json_t *from, const char *into_name, const char *from_name,
                    qp_error *err);

/* Returns a new array of the skipped entries of `skipped` ({id, stage, reason})
 * sorted by id, stage and reason, so shards merge in any order to the same bytes;
 * NULL when out of memory. */
json_t *qp_result_sorted_skips(const json_t *skipped);

/* Writes a result: indented with sorted keys, or on one line when `compact`.
 * Returns 0, or -1 with errno set. */
int qp_result_write(FILE *out, const json_t *result, int compact);

#endif

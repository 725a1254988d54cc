/* report.h - the result as one self-contained HTML page (--report FILE.html):
 * no script, no network, no font or style from elsewhere: inline CSS and SVG,
 * readable from the disk in any browser. Totals; per code its hits, pct and a
 * bar chart of the documents with it in each group of the first --by field;
 * the codes never found; the group tests with the cells beyond +-1.96 marked;
 * the co-occurrence heatmap; quotes with the rule that fired; provenance. */
#ifndef QP_REPORT_H
#define QP_REPORT_H

#include <stdio.h>

#include <jansson.h>

/* Writes the page for `result` (grouped by field `by`, or NULL) to out. Returns
 * 0, or -1 on a write error. */
int report_write(FILE *out, const json_t *result, const char *by);

/* What report.c and report_svg.c share. */

/* Writes s with & < > " ' escaped. */
void html_text(FILE *out, const char *s);

/* Writes the bar chart of one code: for each group (names, n of them), the share
 * of its documents with the code (or a code below it). */
void svg_bars(FILE *out, const json_t *groups, const char *const *names, size_t n,
              const char *code);

/* Writes the co-occurrence heatmap of the codes given (ids, n of them): each
 * cell the units with both, shaded by the Jaccard index. */
void svg_heatmap(FILE *out, const json_t *matrix, const char *const *ids, size_t n);

/* The sections of report_sections.c: the tests of field `by` (nothing without
 * one), the heatmap of segments, the quotes, the provenance. */
void tests_section(FILE *out, const json_t *result, const char *by);
void heatmap_section(FILE *out, const json_t *result);
void quotes_section(FILE *out, const json_t *result);
void provenance_section(FILE *out, const json_t *result);

#endif

/* contingency.h - tests of independence on a table of counts, computed as R
 * computes them (R's own mathematics library, Rmath): Pearson's chi-square
 * without continuity correction (R: chisq.test(m, correct = FALSE)), Cramér's V,
 * the adjusted standardized residuals (chisq.test()$stdres), and Fisher's exact
 * test of a 2 x 2 table (fisher.test()$p.value). */
#ifndef QP_CONTINGENCY_H
#define QP_CONTINGENCY_H

#include <stddef.h>

typedef struct qp_chisq {
    double statistic, p, cramers_v;
    double min_expected; /* the smallest expected count */
    long df;
    double n;
} qp_chisq;

/* Tests the rows x cols table `counts` (row-major; every row and column total
 * above 0, rows and cols at least 2) and, when `residuals` is not NULL, fills
 * it (rows x cols) with the adjusted standardized residuals. Returns 0, or -1
 * when the table cannot be tested (a total of 0, fewer than 2 rows or columns). */
int qp_chisq_test(const double *counts, size_t rows, size_t cols, qp_chisq *out, double *residuals);

/* Returns the two-sided p-value of Fisher's exact test of the 2 x 2 table
 * {{a, b}, {c, d}}, summing the probabilities of the tables with the observed
 * margins that are no more likely than it, as R's fisher.test does. */
double qp_fisher_2x2(long a, long b, long c, long d);

#endif

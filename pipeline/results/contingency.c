/* contingency.c - chi-square and Fisher's exact tests (see contingency.h). */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#define MATHLIB_STANDALONE
#include <Rmath.h>

#include "contingency.h"

int qp_chisq_test(const double *counts, size_t rows, size_t cols, qp_chisq *out, double *residuals)
{
    if (rows < 2 || cols < 2)
        return -1;
    double *row_sum = calloc(rows, sizeof *row_sum), *col_sum = calloc(cols, sizeof *col_sum);
    if (!row_sum || !col_sum) {
        free(row_sum);
        free(col_sum);
        return -1;
    }
    double n = 0;
    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < cols; j++) {
            row_sum[i] += counts[i * cols + j];
            col_sum[j] += counts[i * cols + j];
            n += counts[i * cols + j];
        }
    int empty = n <= 0;
    for (size_t i = 0; i < rows; i++)
        empty |= row_sum[i] <= 0;
    for (size_t j = 0; j < cols; j++)
        empty |= col_sum[j] <= 0;
    if (empty) {
        free(row_sum);
        free(col_sum);
        return -1;
    }
    double x2 = 0, min_e = INFINITY;
    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < cols; j++) {
            double e = row_sum[i] * col_sum[j] / n, d = counts[i * cols + j] - e;
            x2 += d * d / e;
            min_e = e < min_e ? e : min_e;
            if (residuals)
                residuals[i * cols + j] = d / sqrt(e * (1 - row_sum[i] / n) * (1 - col_sum[j] / n));
        }
    size_t k = rows < cols ? rows : cols;
    out->statistic = x2;
    out->df = (long)((rows - 1) * (cols - 1));
    out->p = pchisq(x2, (double)out->df, 0, 0);
    out->cramers_v = sqrt(x2 / (n * (double)(k - 1)));
    out->min_expected = min_e;
    out->n = n;
    free(row_sum);
    free(col_sum);
    return 0;
}

double qp_fisher_2x2(long a, long b, long c, long d)
{
    /* R: m = the first column's total, n = the second's, k = the first row's; x
     * (cell a) runs over [lo, hi] with the margins fixed. */
    double m = (double)(a + c), n = (double)(b + d), k = (double)(a + b);
    long lo = (long)fmax(0, k - n), hi = (long)fmin(k, m);
    if (hi < lo)
        return 1;
    size_t span = (size_t)(hi - lo + 1);
    double *logd = malloc(span * sizeof *logd);
    if (!logd)
        return NAN;
    double top = -INFINITY;
    for (size_t i = 0; i < span; i++) {
        logd[i] = dhyper((double)(lo + (long)i), m, n, k, 1);
        top = logd[i] > top ? logd[i] : top;
    }
    double sum = 0, observed = 0;
    for (size_t i = 0; i < span; i++) {
        logd[i] = exp(logd[i] - top);
        sum += logd[i];
    }
    observed = logd[a - lo];
    double p = 0;
    const double rel_err = 1 + 1e-7; /* R's tolerance for ties */
    for (size_t i = 0; i < span; i++)
        if (logd[i] <= observed * rel_err)
            p += logd[i];
    free(logd);
    return p / sum;
}

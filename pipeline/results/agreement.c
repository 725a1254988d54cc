/* agreement.c - Krippendorff's alpha, Cohen's kappa and precision/recall, as
 * defined in Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability",
 * and Cohen (1960). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "agreement.h"

/* Returns the largest value in the table, or -1 when every value is missing. */
static int max_value(const int *values, size_t n)
{
    int max = -1;
    for (size_t i = 0; i < n; i++)
        if (values[i] > max)
            max = values[i];
    return max;
}

int qp_alpha_nominal(const int *values, size_t units, size_t coders, double *alpha,
                     const char **why)
{
    int k = max_value(values, units * coders) + 1;
    if (k <= 0) {
        *why = "no values";
        return -1;
    }
    /* The coincidence matrix: o[c][d] sums, over units with m >= 2 values, the
     * ordered pairs of values (c, d) from different coders divided by m - 1. */
    double *o = calloc((size_t)k * (size_t)k, sizeof *o);
    if (!o) {
        *why = "out of memory";
        return -1;
    }
    for (size_t u = 0; u < units; u++) {
        const int *row = values + u * coders;
        size_t m = 0;
        for (size_t c = 0; c < coders; c++)
            m += row[c] != QP_MISSING;
        if (m < 2)
            continue;
        for (size_t a = 0; a < coders; a++)
            for (size_t b = 0; b < coders; b++)
                if (a != b && row[a] != QP_MISSING && row[b] != QP_MISSING)
                    o[row[a] * k + row[b]] += 1.0 / (double)(m - 1);
    }
    double n = 0, disagree = 0, expected = 0;
    double *nc = calloc((size_t)k, sizeof *nc);
    if (!nc) {
        free(o);
        *why = "out of memory";
        return -1;
    }
    for (int c = 0; c < k; c++)
        for (int d = 0; d < k; d++) {
            nc[c] += o[c * k + d];
            if (c != d)
                disagree += o[c * k + d];
        }
    for (int c = 0; c < k; c++)
        n += nc[c];
    for (int c = 0; c < k; c++)
        for (int d = 0; d < k; d++)
            if (c != d)
                expected += nc[c] * nc[d];
    free(o);
    free(nc);
    if (n < 2) {
        *why = "fewer than two pairable values";
        return -1;
    }
    if (expected == 0) {
        *why = "no variation: every value is the same";
        return -1;
    }
    *alpha = 1.0 - (n - 1.0) * disagree / expected;
    return 0;
}

int qp_kappa(const int *values, size_t units, size_t coders, size_t a, size_t b, double *kappa,
             double *observed, const char **why)
{
    int k = max_value(values, units * coders) + 1;
    if (k <= 0) {
        *why = "no values";
        return -1;
    }
    double *pa = calloc((size_t)k, sizeof *pa), *pb = calloc((size_t)k, sizeof *pb);
    if (!pa || !pb) {
        free(pa);
        free(pb);
        *why = "out of memory";
        return -1;
    }
    size_t n = 0, agree = 0;
    for (size_t u = 0; u < units; u++) {
        int x = values[u * coders + a], y = values[u * coders + b];
        if (x == QP_MISSING || y == QP_MISSING)
            continue;
        n++;
        agree += x == y;
        pa[x]++;
        pb[y]++;
    }
    double pe = 0;
    for (int c = 0; c < k && n; c++)
        pe += (pa[c] / (double)n) * (pb[c] / (double)n);
    free(pa);
    free(pb);
    if (n == 0) {
        *why = "no unit coded by both";
        return -1;
    }
    *observed = (double)agree / (double)n;
    if (pe >= 1.0) {
        *why = "chance agreement is 1: both coders used one value throughout";
        return -1;
    }
    *kappa = (*observed - pe) / (1.0 - pe);
    return 0;
}

qp_confusion qp_confusion_of(const int *values, size_t units, size_t coders, size_t ref,
                             size_t other)
{
    qp_confusion c = {0, 0, 0, 0};
    for (size_t u = 0; u < units; u++) {
        int r = values[u * coders + ref], o = values[u * coders + other];
        if (r == QP_MISSING || o == QP_MISSING)
            continue;
        if (r && o)
            c.tp++;
        else if (!r && o)
            c.fp++;
        else if (r && !o)
            c.fn++;
        else
            c.tn++;
    }
    return c;
}

void qp_prf(qp_confusion c, double *precision, double *recall, double *f1)
{
    *precision = c.tp + c.fp ? (double)c.tp / (double)(c.tp + c.fp) : -1;
    *recall = c.tp + c.fn ? (double)c.tp / (double)(c.tp + c.fn) : -1;
    *f1 = (*precision > 0 && *recall > 0) ? 2 * *precision * *recall / (*precision + *recall)
          : (c.tp + c.fp + c.fn)          ? 0
                                          : -1;
}

/* bootstrap.c - how sure the agreement figures are: percentile bootstrap
 * intervals, units drawn with replacement (Efron & Tibshirani 1993, ch. 13), the
 * same draws for every code of one replicate, from a seeded generator so the
 * report is the same at every run. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "agree.h"
#include "results/agreement.h"

/* splitmix64 (Steele, Lea & Flood 2014): a small generator whose every seed
 * gives a good stream. */
static uint64_t next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* The statistics one replicate gives: alpha over all coders, then per coder
 * kappa, precision, recall and F1 against the reference (NAN where undefined). */
enum { ALPHA, KAPPA, PRECISION, RECALL, F1, N_STATS };

/* Fills out[N_STATS * nc] from the (unit x coder) values of n units. */
static void statistics(const int *v, size_t n, size_t nc, size_t ref, double *out)
{
    for (size_t i = 0; i < N_STATS * nc; i++)
        out[i] = NAN;
    double a;
    const char *why;
    if (qp_alpha_nominal(v, n, nc, &a, &why) == 0)
        out[ALPHA] = a;
    for (size_t c = 0; c < nc; c++) {
        if (c == ref)
            continue;
        double k, observed, p, r, f1;
        if (qp_kappa(v, n, nc, ref, c, &k, &observed, &why) == 0)
            out[c * N_STATS + KAPPA] = k;
        qp_prf(qp_confusion_of(v, n, nc, ref, c), &p, &r, &f1);
        out[c * N_STATS + PRECISION] = p >= 0 ? p : NAN;
        out[c * N_STATS + RECALL] = r >= 0 ? r : NAN;
        out[c * N_STATS + F1] = f1 >= 0 ? f1 : NAN;
    }
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Returns [low, high]: the 2.5th and 97.5th percentiles (R's type 7) of the
 * defined values among reps[i * stride] (sorted in place in scratch), or null
 * when none is defined. */
static json_t *interval(const double *reps, size_t n, size_t stride, double *scratch)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(reps[i * stride]))
            scratch[m++] = reps[i * stride];
    if (!m)
        return json_null();
    qsort(scratch, m, sizeof *scratch, by_value);
    double q[2] = {0.025, 0.975};
    json_t *a = json_array();
    for (int j = 0; j < 2; j++) {
        double h = (double)(m - 1) * q[j];
        size_t lo = (size_t)floor(h);
        double x =
            scratch[lo] + (lo + 1 < m ? (h - (double)lo) * (scratch[lo + 1] - scratch[lo]) : 0);
        json_array_append_new(a, agree_stat(x, 1, NULL, NULL, NULL));
    }
    return a;
}

int bootstrap_code(const agree_state *st, const int *values, size_t ref, json_t *entry)
{
    size_t nu = st->n_units, nc = st->n_coders, reps = st->bootstrap;
    int *draw = malloc((nu ? nu : 1) * nc * sizeof *draw);
    double *stats = malloc(reps * N_STATS * nc * sizeof *stats);
    double *scratch = malloc((reps ? reps : 1) * sizeof *scratch);
    if (!draw || !stats || !scratch) {
        free(draw), free(stats), free(scratch);
        return -1;
    }
    for (size_t b = 0; b < reps; b++) {
        uint64_t s = st->seed * 0x100000001b3ULL + b; /* replicate b draws alike for every code */
        for (size_t i = 0; i < nu; i++) {
            size_t u = (size_t)(((next(&s) >> 32) * (uint64_t)nu) >> 32);
            memcpy(draw + i * nc, values + u * nc, nc * sizeof *draw);
        }
        statistics(draw, nu, nc, ref, stats + b * N_STATS * nc);
    }
    size_t row = N_STATS * nc;
    json_object_set_new(entry, "alpha_ci", interval(stats + ALPHA, reps, row, scratch));
    static const char *const names[] = {NULL, "kappa_ci", "precision_ci", "recall_ci", "f1_ci"};
    for (size_t c = 0; c < nc; c++) {
        json_t *cmp =
            json_object_get(json_object_get(entry, "compared_with_reference"), st->coders[c].name);
        for (int k = KAPPA; cmp && c != ref && k < N_STATS; k++)
            json_object_set_new(cmp, names[k],
                                interval(stats + c * N_STATS + k, reps, row, scratch));
    }
    free(draw), free(stats), free(scratch);
    return 0;
}

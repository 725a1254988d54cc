/* test_agreement.c - the agreement statistics against published worked examples,
 * and their edge cases. */
#include <criterion/criterion.h>
#include <math.h>

#include "results/agreement.h"

#define M QP_MISSING

/* Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg
 * School for Communication, University of Pennsylvania, section C: 4 observers
 * (A-D) and 12 units, values 1-5, with missing values. Published: nominal
 * alpha = 0.743. Rows here are units, columns observers A, B, C, D. */
static const int krippendorff_2011[12 * 4] = {
    1, 1, M, 1, /* unit 1 */
    2, 2, 3, 2, /* 2 */
    3, 3, 3, 3, /* 3 */
    3, 3, 3, 3, /* 4 */
    2, 2, 2, 2, /* 5 */
    1, 2, 3, 4, /* 6 */
    4, 4, 4, 4, /* 7 */
    1, 1, 2, 1, /* 8 */
    2, 2, 2, 2, /* 9 */
    M, 5, 5, 5, /* 10 */
    M, M, 1, 1, /* 11 */
    M, 3, M, M, /* 12: one value, not pairable */
};

Test(alpha, krippendorff_2011_nominal_reliability_data)
{
    double alpha;
    const char *why;
    cr_assert_eq(qp_alpha_nominal(krippendorff_2011, 12, 4, &alpha, &why), 0);
    cr_assert_float_eq(round(alpha * 1000) / 1000, 0.743, 1e-9, "alpha = %.6f", alpha);
}

/* The worked examples of Cohen's kappa in Wikipedia's "Cohen's kappa" article
 * (two raters, 50 items, yes/no): 20 yes-yes, 5 yes-no, 10 no-yes, 15 no-no gives
 * observed 0.7, chance 0.5, kappa 0.4; and the pair with the same observed
 * agreement 0.60 but kappa 0.1304 (45, 15, 25, 15) and 0.2593 (25, 35, 5, 35). */
static void table(int *v, int yy, int yn, int ny, int nn)
{
    int k = 0;
    for (int i = 0; i < yy; i++, k += 2)
        v[k] = 1, v[k + 1] = 1;
    for (int i = 0; i < yn; i++, k += 2)
        v[k] = 1, v[k + 1] = 0;
    for (int i = 0; i < ny; i++, k += 2)
        v[k] = 0, v[k + 1] = 1;
    for (int i = 0; i < nn; i++, k += 2)
        v[k] = 0, v[k + 1] = 0;
}

Test(kappa, textbook_two_raters)
{
    int v[200];
    double kappa, observed;
    const char *why;
    table(v, 20, 5, 10, 15);
    cr_assert_eq(qp_kappa(v, 50, 2, 0, 1, &kappa, &observed, &why), 0);
    cr_assert_float_eq(observed, 0.7, 1e-12);
    cr_assert_float_eq(kappa, 0.4, 1e-12);
    table(v, 45, 15, 25, 15);
    cr_assert_eq(qp_kappa(v, 100, 2, 0, 1, &kappa, &observed, &why), 0);
    cr_assert_float_eq(round(kappa * 10000) / 10000, 0.1304, 1e-9, "kappa = %.6f", kappa);
    table(v, 25, 35, 5, 35);
    cr_assert_eq(qp_kappa(v, 100, 2, 0, 1, &kappa, &observed, &why), 0);
    cr_assert_float_eq(round(kappa * 10000) / 10000, 0.2593, 1e-9, "kappa = %.6f", kappa);
}

Test(edges, perfect_and_complete_disagreement)
{
    const int perfect[] = {1, 1, 0, 0, 1, 1, 0, 0};
    const int opposite[] = {1, 0, 0, 1, 1, 0, 0, 1};
    double a, k, o;
    const char *why;
    cr_assert_eq(qp_alpha_nominal(perfect, 4, 2, &a, &why), 0);
    cr_assert_float_eq(a, 1.0, 1e-12);
    cr_assert_eq(qp_kappa(perfect, 4, 2, 0, 1, &k, &o, &why), 0);
    cr_assert_float_eq(k, 1.0, 1e-12);
    cr_assert_eq(qp_alpha_nominal(opposite, 4, 2, &a, &why), 0);
    cr_assert(a < 0, "systematic disagreement is below zero: %f", a);
    cr_assert_eq(qp_kappa(opposite, 4, 2, 0, 1, &k, &o, &why), 0);
    cr_assert_float_eq(k, -1.0, 1e-12);
    cr_assert_float_eq(o, 0.0, 1e-12);
}

Test(edges, a_code_nobody_used_has_no_alpha_or_kappa)
{
    const int none[] = {0, 0, 0, 0, 0, 0};
    double a, k, o;
    const char *why = NULL;
    cr_assert_eq(qp_alpha_nominal(none, 3, 2, &a, &why), -1);
    cr_assert_str_eq(why, "no variation: every value is the same");
    cr_assert_eq(qp_kappa(none, 3, 2, 0, 1, &k, &o, &why), -1);
    cr_assert_float_eq(o, 1.0, 1e-12, "they still agree on every unit");
    qp_confusion c = qp_confusion_of(none, 3, 2, 0, 1);
    double p, r, f;
    qp_prf(c, &p, &r, &f);
    cr_assert(p < 0 && r < 0 && f < 0, "nothing to measure");
}

Test(edges, a_code_one_coder_never_used)
{
    const int v[] = {1, 0, 1, 0, 0, 0, 0, 0}; /* the reference coded 2 of 4; the other none */
    double a, k, o, p, r, f;
    const char *why;
    cr_assert_eq(qp_kappa(v, 4, 2, 0, 1, &k, &o, &why), 0);
    cr_assert_float_eq(k, 0.0, 1e-12);
    cr_assert_eq(qp_alpha_nominal(v, 4, 2, &a, &why), 0);
    cr_assert(a < 0.5);
    qp_confusion c = qp_confusion_of(v, 4, 2, 0, 1);
    cr_assert_eq(c.fn, 2);
    cr_assert_eq(c.tn, 2);
    qp_prf(c, &p, &r, &f);
    cr_assert(p < 0, "no positives: precision undefined");
    cr_assert_float_eq(r, 0.0, 1e-12);
    cr_assert_float_eq(f, 0.0, 1e-12);
}

Test(edges, single_unit_and_missing_units)
{
    const int one[] = {1, 1};
    double a, k, o;
    const char *why;
    cr_assert_eq(qp_alpha_nominal(one, 1, 2, &a, &why), -1, "one unit, one value: no variation");
    const int gaps[] = {1, M, M, 0, 1, 1, 0, 0}; /* two units missing for one coder each */
    cr_assert_eq(qp_kappa(gaps, 4, 2, 0, 1, &k, &o, &why), 0);
    cr_assert_float_eq(o, 1.0, 1e-12, "only the two units both coded count");
    qp_confusion c = qp_confusion_of(gaps, 4, 2, 0, 1);
    cr_assert_eq(c.tp + c.fp + c.fn + c.tn, 2);
    const int all_missing[] = {M, M, M, M};
    cr_assert_eq(qp_alpha_nominal(all_missing, 2, 2, &a, &why), -1);
}

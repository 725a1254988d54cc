/* test_contingency.c - the group tests against R 4.2.2 on fixed tables. The
 * worked values came from:
 *
 *   show <- function(m) { t <- suppressWarnings(chisq.test(m, correct = FALSE))
 *     print(c(t$statistic, t$p.value, t$parameter,
 *             sqrt(t$statistic / (sum(m) * (min(dim(m)) - 1)))), digits = 17)
 *     print(as.vector(t(t$stdres)), digits = 17) }
 *   show(matrix(c(10,2,4,1, 1,0,0,1), nrow = 2, byrow = TRUE))      # a
 *   show(matrix(c(12,5,7, 3,9,4, 6,2,11), nrow = 3, byrow = TRUE))  # b
 *   show(matrix(c(12,2, 5,9), nrow = 2, byrow = TRUE))              # c
 *   show(matrix(c(120,30, 40,110), nrow = 2, byrow = TRUE))         # e
 *   fisher.test(matrix(c(12,2, 5,9), nrow = 2, byrow = TRUE))$p.value  # and d, e, f
 */
#include <criterion/criterion.h>
#include <math.h>

#include "results/contingency.h"

/* Equal to R's value within 1e-9 of it (relative: p-values reach 1e-20). */
static void near(double got, double want, const char *what)
{
    double tol = 1e-9 * fabs(want);
    cr_expect(fabs(got - want) <= tol, "%s: got %.17g, R gives %.17g", what, got, want);
}

static void check(const double *m, size_t rows, size_t cols, double x2, double p, long df, double v,
                  const double *stdres)
{
    qp_chisq t;
    double resid[16];
    cr_assert_eq(qp_chisq_test(m, rows, cols, &t, resid), 0);
    near(t.statistic, x2, "chi-square");
    near(t.p, p, "p");
    cr_expect_eq(t.df, df);
    near(t.cramers_v, v, "Cramér's V");
    for (size_t i = 0; i < rows * cols; i++)
        near(resid[i], stdres[i], "adjusted residual");
}

Test(contingency, two_by_four)
{
    static const double m[] = {10, 2, 4, 1, 1, 0, 0, 1};
    static const double r[] = {0.23906569477261200,  0.51281164041654981,  0.77206115779292306,
                               -1.92304365156206192, -0.23906569477261336, -0.51281164041654981,
                               -0.77206115779292306, 1.92304365156206192};
    check(m, 2, 4, 4.0387700534759361, 0.25730798297088542, 3, 0.46104972065904792, r);
}

Test(contingency, three_by_three)
{
    static const double m[] = {12, 5, 7, 3, 9, 4, 6, 2, 11};
    static const double r[] = {1.91388167658442954,  -0.89925352794996272, -1.06824778429600675,
                               -1.64826662675668878, 3.07022540794166776,  -1.19063206252073650,
                               -0.44384392277012885, -1.97577704218887895, 2.25589554780742318};
    check(m, 3, 3, 13.282382981601732, 0.0099753528291466713, 4, 0.33550345399219461, r);
}

Test(contingency, two_by_two)
{
    static const double m[] = {12, 2, 5, 9};
    static const double r[] = {2.7086709648316321, -2.7086709648316321, -2.7086709648316321,
                               2.7086709648316321};
    check(m, 2, 2, 7.3368983957219243, 0.0067553297623645318, 1, 0.51189069688899147, r);
}

Test(contingency, tiny_p)
{
    static const double m[] = {120, 30, 40, 110};
    static const double r[] = {9.2582009977255133, -9.2582009977255133, -9.2582009977255133,
                               9.2582009977255133};
    check(m, 2, 2, 85.714285714285722, 2.0790548718607231e-20, 1, 0.53452248382484879, r);
}

Test(contingency, fisher_as_r)
{
    near(qp_fisher_2x2(12, 2, 5, 9), 0.018306636155606383, "fisher c");
    near(qp_fisher_2x2(3, 1, 1, 3), 0.48571428571428582, "fisher d");
    near(qp_fisher_2x2(120, 30, 40, 110), 6.4611295689610441e-21, "fisher e");
    near(qp_fisher_2x2(0, 5, 6, 1), 0.015151515151515155, "fisher f");
}

Test(contingency, untestable_tables_refused)
{
    qp_chisq t;
    static const double zero_row[] = {3, 4, 0, 0};
    static const double one_row[] = {3, 4};
    cr_expect_eq(qp_chisq_test(zero_row, 2, 2, &t, NULL), -1);
    cr_expect_eq(qp_chisq_test(one_row, 1, 2, &t, NULL), -1);
}

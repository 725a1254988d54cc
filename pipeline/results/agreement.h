/* agreement.h - agreement between codings: Krippendorff's alpha (nominal, any
 * number of coders, missing values allowed), Cohen's kappa, and precision, recall
 * and F1 against a reference. Pure functions over small integer values. */
#ifndef QP_AGREEMENT_H
#define QP_AGREEMENT_H

#include <stddef.h>

/* A value no coder gave: the unit is missing for that coder. */
#define QP_MISSING (-1)

/* Krippendorff's alpha for nominal data. values[u * coders + c] is coder c's value
 * for unit u (a small non-negative integer), or QP_MISSING. Units with fewer than
 * two values are not pairable and are left out. Returns 0 with *alpha set; -1
 * when alpha is undefined (fewer than two pairable values, or no variation at
 * all: every value the same), with *why saying which. */
int qp_alpha_nominal(const int *values, size_t units, size_t coders, double *alpha,
                     const char **why);

/* Cohen's kappa between coders a and b of the same layout, over the units both
 * coded. Sets *observed to the share of those units they agree on. Returns 0 with
 * *kappa set; -1 when kappa is undefined (no unit both coded, or chance agreement
 * of 1), with *why saying which. */
int qp_kappa(const int *values, size_t units, size_t coders, size_t a, size_t b, double *kappa,
             double *observed, const char **why);

/* Confusion counts of a yes/no coding (value 1 = coded) against a reference, over
 * the units both coded. */
typedef struct qp_confusion {
    size_t tp, fp, fn, tn;
} qp_confusion;

/* Counts the confusion of coder `other` against coder `ref`. */
qp_confusion qp_confusion_of(const int *values, size_t units, size_t coders, size_t ref,
                             size_t other);

/* Precision, recall and F1 from confusion counts; each is -1 when undefined (a
 * zero denominator). */
void qp_prf(qp_confusion c, double *precision, double *recall, double *f1);

#endif

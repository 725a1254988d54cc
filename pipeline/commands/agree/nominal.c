/* nominal.c - `qualpipe agree --nominal`: the codes without children are the
 * mutually exclusive values of one variable (a unit is A, B or C), each unit
 * gets at most one value from each coder, and a unit a coder gave no value is
 * missing for that coder, as in Krippendorff's (2011) reliability data. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "agree.h"
#include "results/agreement.h"

/* Returns 1 when code k has no child among the codes. */
static int is_leaf(const agree_state *st, size_t k)
{
    for (size_t j = 0; j < st->n_codes; j++)
        if (st->parent[j] == (long)k)
            return 0;
    return 1;
}

/* Returns the value (a leaf code) coder c gave unit u, -1 for none, or -2 when
 * it gave two, with the two in *a and *b. */
static long value_of(const agree_state *st, const unsigned char *marks, size_t u, size_t *a,
                     size_t *b)
{
    long found = -1;
    for (size_t k = 0; k < st->n_codes; k++) {
        if (!marks[u * st->n_codes + k] || !is_leaf(st, k))
            continue;
        if (found >= 0) {
            *a = (size_t)found;
            *b = k;
            return -2;
        }
        found = (long)k;
    }
    return found;
}

int nominal_prepare(agree_state *st, unsigned char **marks, qp_error *err)
{
    for (size_t c = 0; c < st->n_coders; c++)
        for (size_t u = 0; u < st->n_units; u++) {
            size_t a = 0, b = 0;
            long v = value_of(st, marks[c], u, &a, &b);
            if (v == -2) {
                const unit *x = &st->units[u];
                snprintf(err->message, sizeof err->message,
                         "agree --nominal: %.300s gives the %s at bytes %u-%u of document "
                         "\"%.200s\" two values, %.100s and %.100s: a variable has one value a "
                         "unit (leave out --nominal to compare each code on its own)",
                         st->coders[c].path, st->unit_name, x->start, x->end, st->docs[x->doc].id,
                         st->codes[a], st->codes[b]);
                return -1;
            }
            if (v < 0)
                st->coders[c].unit_missing[u] = 1;
        }
    return 0;
}

json_t *nominal_report(const agree_state *st, unsigned char **marks, size_t ref)
{
    size_t nc = st->n_coders, nu = st->n_units;
    int *values = malloc((nu ? nu : 1) * nc * sizeof *values);
    json_t *v = json_object(), *names = json_array(), *compared = json_object();
    if (!values || !v || !names || !compared) {
        free(values);
        json_decref(v), json_decref(names), json_decref(compared);
        return NULL;
    }
    for (size_t k = 0; k < st->n_codes; k++)
        if (is_leaf(st, k))
            json_array_append_new(names, json_string(st->codes[k]));
    for (size_t u = 0; u < nu; u++)
        for (size_t c = 0; c < nc; c++) {
            size_t a, b;
            long value = value_of(st, marks[c], u, &a, &b);
            values[u * nc + c] =
                unit_is_missing(st, &st->coders[c], u) || value < 0 ? QP_MISSING : (int)value;
        }
    double alpha, kappa, observed = 0;
    const char *why = NULL;
    int ok = qp_alpha_nominal(values, nu, nc, &alpha, &why) == 0;
    json_object_set_new(v, "values", names);
    json_object_set_new(v, "alpha", agree_stat(alpha, ok, v, "alpha_note", why));
    for (size_t c = 0; c < nc; c++) {
        if (c == ref)
            continue;
        json_t *cmp = json_object();
        why = NULL;
        ok = qp_kappa(values, nu, nc, ref, c, &kappa, &observed, &why) == 0;
        json_object_set_new(cmp, "kappa", agree_stat(kappa, ok, cmp, "kappa_note", why));
        json_object_set_new(cmp, "observed_agreement", agree_stat(observed, 1, cmp, NULL, NULL));
        json_object_set_new(compared, st->coders[c].name, cmp);
    }
    json_object_set_new(v, "compared_with_reference", compared);
    free(values);
    return v;
}

void nominal_print(FILE *out, const agree_state *st, const json_t *variable, size_t ref)
{
    const json_t *alpha = json_object_get(variable, "alpha");
    fprintf(out, "qualpipe: one variable of %zu values, by %s: alpha ",
            json_array_size(json_object_get(variable, "values")), st->unit_name);
    if (json_is_number(alpha))
        fprintf(out, "%.3f\n", json_number_value(alpha));
    else
        fprintf(out, "- (%s)\n", json_string_value(json_object_get(variable, "alpha_note")));
    const json_t *cmp = json_object_get(variable, "compared_with_reference");
    for (size_t c = 0; c < st->n_coders; c++) {
        const json_t *e = json_object_get(cmp, st->coders[c].name);
        const json_t *kappa = json_object_get(e, "kappa");
        if (c == ref || !e)
            continue;
        fprintf(out, "  %s with %s: observed %.3f, kappa ", st->coders[c].name,
                st->coders[ref].name, json_number_value(json_object_get(e, "observed_agreement")));
        if (json_is_number(kappa))
            fprintf(out, "%.3f\n", json_number_value(kappa));
        else
            fprintf(out, "- (%s)\n", json_string_value(json_object_get(e, "kappa_note")));
    }
}

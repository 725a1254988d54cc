/* report.c - the agreement report of `qualpipe agree`: units marked per coder,
 * the statistics per code, quotes of disagreements, and the terminal table. */
#include "config.h"

#include <csv.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "agree.h"
#include "core/doc.h"
#include "core/host.h"
#include "results/agreement.h"
#include "util/fileio.h"
#include "util/grow.h"

/* ---- units coded, statistics, quotes ------------------------------------------ */

/* marks[c][u * n_codes + k] is 1 when coder c coded unit u with code k or a code
 * below it. Returns the marks of coder c, or NULL when out of memory. */
int span_overlaps(const span *sp, const unit *x)
{
    return sp->start == sp->end ? x->start <= sp->start && sp->start < x->end
                                : sp->start < x->end && x->start < sp->end;
}

unsigned char *mark_units(const agree_state *st, const coder *c)
{
    unsigned char *m = calloc(st->n_units * st->n_codes + 1, 1);
    if (!m)
        return NULL;
    for (size_t i = 0; i < c->n_spans; i++) {
        const span *sp = &c->spans[i];
        const corpus_doc *d = &st->docs[sp->doc];
        /* A span codes every unit it overlaps (a zero-length span, the unit it is in). */
        for (size_t u = d->first_unit; u < d->first_unit + d->n_units; u++) {
            if (!span_overlaps(sp, &st->units[u]))
                continue;
            for (long k = (long)sp->code; k >= 0; k = st->parent[k])
                m[u * st->n_codes + (size_t)k] = 1;
        }
    }
    return m;
}

int unit_is_missing(const agree_state *st, const coder *c, size_t u)
{
    return c->missing[st->units[u].doc] || c->unit_missing[u];
}

json_t *agree_stat(double value, int defined, json_t *obj, const char *note_key, const char *why)
{
    if (!defined) {
        if (why)
            json_object_set_new(obj, note_key, json_string(why));
        return json_null();
    }
    return json_real(round(value * 10000) / 10000);
}

/* Returns one quote of unit u: document, span, speaker, text (cut at a character
 * boundary) and, when given, the rule that fired. */
static json_t *quote(const agree_state *st, size_t u, const char *rule)
{
    const unit *x = &st->units[u];
    const corpus_doc *d = &st->docs[x->doc];
    size_t len = x->end - x->start;
    int cut = len > QUOTE_BYTES;
    if (cut) {
        len = QUOTE_BYTES;
        while (len && ((unsigned char)d->text[x->start + len] & 0xc0) == 0x80)
            len--;
    }
    char *text = malloc(len + 4);
    memcpy(text, d->text + x->start, len);
    memcpy(text + len, cut ? "..." : "", cut ? 4 : 1);
    json_t *q = json_pack("{s:s, s:I, s:I, s:s?, s:s}", "doc", d->id, "start", (json_int_t)x->start,
                          "end", (json_int_t)x->end, "speaker", x->speaker, "text", text);
    free(text);
    if (rule)
        json_object_set_new(q, "rule", json_string(rule));
    return q;
}

/* Returns the first rule of coder c that coded unit u with code k (or below). */
static const char *rule_for(const agree_state *st, const coder *c, size_t u, size_t k)
{
    const unit *x = &st->units[u];
    for (size_t i = 0; i < c->n_spans; i++) {
        const span *sp = &c->spans[i];
        if (sp->doc != x->doc || !(sp->start < x->end && x->start < sp->end) || !sp->rule)
            continue;
        for (long p = (long)sp->code; p >= 0; p = st->parent[p])
            if ((size_t)p == k)
                return sp->rule;
    }
    return NULL;
}

/* Totals over the codes of each coder's comparison with the reference. */
typedef struct totals {
    qp_confusion *all;
    double *f1_sum;
    size_t *f1_n;
} totals;

/* Returns the coders as JSON: name, path and how many documents each left out. */
static json_t *coders_json(const agree_state *st)
{
    json_t *coders = json_array();
    for (size_t c = 0; c < st->n_coders; c++) {
        size_t missing = 0;
        for (size_t d = 0; d < st->n_docs; d++)
            missing += st->coders[c].missing[d];
        json_array_append_new(coders, json_pack("{s:s, s:s, s:I}", "name", st->coders[c].name,
                                                "path", st->coders[c].path, "documents_missing",
                                                (json_int_t)missing));
    }
    return coders;
}

/* Returns coder c against the reference on code k (values: unit x coder), with
 * the disagreements quoted in document and text order; adds to t. */
static json_t *compare_code(const agree_state *st, const int *values, size_t k, size_t ref,
                            size_t c, size_t max_quotes, totals *t)
{
    size_t nc = st->n_coders, nu = st->n_units;
    json_t *cmp = json_object();
    double kappa, observed = 0, p, r, f1;
    const char *why = NULL;
    int ok = qp_kappa(values, nu, nc, ref, c, &kappa, &observed, &why) == 0;
    json_object_set_new(cmp, "kappa", agree_stat(kappa, ok, cmp, "kappa_note", why));
    json_object_set_new(cmp, "observed_agreement", agree_stat(observed, 1, cmp, NULL, NULL));
    qp_confusion cf = qp_confusion_of(values, nu, nc, ref, c);
    t->all[c].tp += cf.tp, t->all[c].fp += cf.fp, t->all[c].fn += cf.fn, t->all[c].tn += cf.tn;
    qp_prf(cf, &p, &r, &f1);
    if (f1 >= 0)
        t->f1_sum[c] += f1, t->f1_n[c]++;
    json_object_set_new(cmp, "precision", agree_stat(p, p >= 0, cmp, NULL, NULL));
    json_object_set_new(cmp, "recall", agree_stat(r, r >= 0, cmp, NULL, NULL));
    json_object_set_new(cmp, "f1", agree_stat(f1, f1 >= 0, cmp, NULL, NULL));
    json_object_set_new(cmp, "confusion",
                        json_pack("{s:I, s:I, s:I, s:I}", "tp", (json_int_t)cf.tp, "fp",
                                  (json_int_t)cf.fp, "fn", (json_int_t)cf.fn, "tn",
                                  (json_int_t)cf.tn));
    json_t *fps = json_array(), *fns = json_array();
    for (size_t u = 0; u < nu; u++) {
        int rv = values[u * nc + ref], ov = values[u * nc + c];
        if (rv == 0 && ov == 1 && json_array_size(fps) < max_quotes)
            json_array_append_new(fps, quote(st, u, rule_for(st, &st->coders[c], u, k)));
        if (rv == 1 && ov == 0 && json_array_size(fns) < max_quotes)
            json_array_append_new(fns, quote(st, u, NULL));
    }
    json_object_set_new(cmp, "false_positives", fps);
    json_object_set_new(cmp, "false_negatives", fns);
    return cmp;
}

/* Returns code k's entry: alpha over every coder, units each coded, and each
 * coder against the reference. Fills values (unit x coder) and the code's part
 * of pooled (code x unit x coder). */
static json_t *code_entry(const agree_state *st, unsigned char **marks, size_t k, size_t ref,
                          size_t max_quotes, int *values, int *pooled, totals *t)
{
    size_t nc = st->n_coders, nu = st->n_units;
    json_t *entry = json_object(), *used = json_object(), *compared = json_object();
    for (size_t u = 0; u < nu; u++)
        for (size_t c = 0; c < nc; c++) {
            int v =
                unit_is_missing(st, &st->coders[c], u) ? QP_MISSING : marks[c][u * st->n_codes + k];
            values[u * nc + c] = v;
            pooled[(k * nu + u) * nc + c] = v;
        }
    for (size_t c = 0; c < nc; c++) {
        size_t n = 0;
        for (size_t u = 0; u < nu; u++)
            n += values[u * nc + c] == 1;
        json_object_set_new(used, st->coders[c].name, json_integer((json_int_t)n));
    }
    double alpha;
    const char *why = NULL;
    int ok = qp_alpha_nominal(values, nu, nc, &alpha, &why) == 0;
    json_object_set_new(entry, "alpha", agree_stat(alpha, ok, entry, "alpha_note", why));
    for (size_t c = 0; c < nc; c++) {
        if (c == ref)
            continue;
        json_t *cmp = compare_code(st, values, k, ref, c, max_quotes, t);
        json_t *rules = rule_diagnostics(st, &st->coders[c], &st->coders[ref], marks[ref], k);
        if (rules)
            json_object_set_new(cmp, "rules", rules);
        json_object_set_new(compared, st->coders[c].name, cmp);
    }
    json_object_set_new(entry, "units_coded", used);
    json_object_set_new(entry, "compared_with_reference", compared);
    if (st->bootstrap && bootstrap_code(st, values, ref, entry) < 0) {
        json_decref(entry);
        return NULL;
    }
    return entry;
}

/* Returns the overall entry: alpha pooled over codes, micro and macro figures. */
static json_t *overall_json(const agree_state *st, const int *pooled, size_t ref, const totals *t)
{
    json_t *overall = json_object(), *compared = json_object();
    double alpha;
    const char *why = NULL;
    int ok = qp_alpha_nominal(pooled, st->n_units * st->n_codes, st->n_coders, &alpha, &why) == 0;
    json_object_set_new(overall, "alpha", agree_stat(alpha, ok, overall, "alpha_note", why));
    for (size_t c = 0; c < st->n_coders; c++) {
        if (c == ref)
            continue;
        double p, r, f1;
        qp_prf(t->all[c], &p, &r, &f1);
        json_t *cmp = json_pack("{s:I, s:I, s:I, s:I}", "tp", (json_int_t)t->all[c].tp, "fp",
                                (json_int_t)t->all[c].fp, "fn", (json_int_t)t->all[c].fn, "tn",
                                (json_int_t)t->all[c].tn);
        json_object_set_new(cmp, "micro_precision", agree_stat(p, p >= 0, cmp, NULL, NULL));
        json_object_set_new(cmp, "micro_recall", agree_stat(r, r >= 0, cmp, NULL, NULL));
        json_object_set_new(cmp, "micro_f1", agree_stat(f1, f1 >= 0, cmp, NULL, NULL));
        double macro = t->f1_n[c] ? t->f1_sum[c] / (double)t->f1_n[c] : 0;
        json_object_set_new(cmp, "macro_f1", agree_stat(macro, t->f1_n[c] > 0, cmp, NULL, NULL));
        json_object_set_new(compared, st->coders[c].name, cmp);
    }
    json_object_set_new(overall, "compared_with_reference", compared);
    return overall;
}

json_t *report(agree_state *st, unsigned char **marks, size_t ref, size_t max_quotes,
               const char *unit_name)
{
    size_t nc = st->n_coders, nu = st->n_units, items = nu * st->n_codes;
    int *values = malloc((nu ? nu : 1) * nc * sizeof *values);
    int *pooled = malloc((items ? items : 1) * nc * sizeof *pooled);
    totals t = {calloc(nc, sizeof *t.all), calloc(nc, sizeof *t.f1_sum),
                calloc(nc, sizeof *t.f1_n)};
    json_t *codes = json_object(), *r = NULL;
    if (values && pooled && t.all && t.f1_sum && t.f1_n && codes) {
        for (size_t k = 0; k < st->n_codes; k++)
            json_object_set_new(codes, st->codes[k],
                                code_entry(st, marks, k, ref, max_quotes, values, pooled, &t));
        json_t *overall = overall_json(st, pooled, ref, &t);
        r = json_pack("{s:i, s:s, s:I, s:I, s:o, s:s, s:O, s:o}", "qualpipe_agreement", 1, "unit",
                      unit_name, "units", (json_int_t)nu, "documents", (json_int_t)st->n_docs,
                      "coders", coders_json(st), "reference", st->coders[ref].name, "codes", codes,
                      "overall", overall);
        if (r && st->nominal)
            json_object_set_new(r, "variable", nominal_report(st, marks, ref));
        if (r && st->bootstrap)
            json_object_set_new(r, "bootstrap",
                                json_pack("{s:I, s:I, s:f, s:s}", "replicates",
                                          (json_int_t)st->bootstrap, "seed", (json_int_t)st->seed,
                                          "level", 0.95, "method",
                                          "percentile; units drawn with replacement"));
    }
    json_decref(codes);
    free(values), free(pooled), free(t.all), free(t.f1_sum), free(t.f1_n);
    return r;
}

/* Prints a statistic for the table: 3 decimals, or "-" when undefined. */
static void cell(FILE *out, const json_t *v)
{
    if (json_is_number(v))
        fprintf(out, " %6.3f", json_number_value(v));
    else
        fprintf(out, " %6s", "-");
}

/* Prints a bootstrap interval as " [0.123,0.456]", or " [  -  ,  -  ]". */
static void interval_cell(FILE *out, const json_t *ci)
{
    if (json_array_size(ci) == 2)
        fprintf(out, " [%.3f,%.3f]", json_number_value(json_array_get(ci, 0)),
                json_number_value(json_array_get(ci, 1)));
    else
        fprintf(out, " %13s", "-");
}

/* Prints, per code, the rules of coder `name` that brought false positives,
 * the worst three first, then how many rules never fired. */
static void print_rules(FILE *out, const agree_state *st, const json_t *r, const char *name)
{
    size_t never = 0, header = 0;
    for (size_t k = 0; k < st->n_codes; k++) {
        const json_t *e,
            *cmp = json_object_get(
                json_object_get(json_object_get(json_object_get(r, "codes"), st->codes[k]),
                                "compared_with_reference"),
                name);
        size_t shown = 0, i;
        json_array_foreach(json_object_get(cmp, "rules"), i, e)
        {
            json_int_t fp = json_integer_value(json_object_get(e, "false_positives"));
            never += json_integer_value(json_object_get(e, "hits")) == 0;
            if (fp == 0 || shown == 3)
                continue;
            if (!header++)
                fprintf(out, "  rules with the most false positives: hits, false positives, "
                             "precision\n");
            fprintf(out, "  %-26.26s %s: %lld, %lld,", shown++ ? "" : st->codes[k],
                    json_string_value(json_object_get(e, "rule")),
                    (long long)json_integer_value(json_object_get(e, "hits")), (long long)fp);
            cell(out, json_object_get(e, "precision"));
            fputc('\n', out);
        }
    }
    if (never)
        fprintf(out,
                "  %zu rule%s of the codebooks never fired (\"rules\" in the report lists "
                "each code's)\n",
                never, never == 1 ? "" : "s");
}

/* Prints, per code, the patterns agree --suggest found for coder `name`. */
static void print_suggestions(FILE *out, const agree_state *st, const json_t *r, const char *name)
{
    int header = 0;
    for (size_t k = 0; k < st->n_codes; k++) {
        const json_t *e,
            *cmp = json_object_get(
                json_object_get(json_object_get(json_object_get(r, "codes"), st->codes[k]),
                                "compared_with_reference"),
                name);
        size_t i;
        json_array_foreach(json_object_get(cmp, "suggestions"), i, e)
        {
            if (!header++)
                fprintf(out, "  patterns to try, from the units missed: G2, misses it would "
                             "recover, false positives it would add\n");
            fprintf(out, "  %-26.26s \"%s\": %.1f, %lld, %lld\n", i ? "" : st->codes[k],
                    json_string_value(json_object_get(e, "pattern")),
                    json_real_value(json_object_get(e, "g2")),
                    (long long)json_integer_value(json_object_get(e, "would_recover")),
                    (long long)json_integer_value(json_object_get(e, "would_add_false_positives")));
        }
    }
}

void print_table(FILE *out, const agree_state *st, const json_t *r, size_t ref)
{
    for (size_t c = 0; c < st->n_coders; c++) {
        if (c == ref)
            continue;
        const char *name = st->coders[c].name;
        fprintf(out, "qualpipe: agreement of %s with %s, by %s (%lld units)\n", name,
                st->coders[ref].name, json_string_value(json_object_get(r, "unit")),
                (long long)json_integer_value(json_object_get(r, "units")));
        fprintf(out, "  %-26s %5s %5s %5s %5s %5s %6s %6s %6s %6s %6s", "code", "ref", "this", "tp",
                "fp", "fn", "prec", "recall", "f1", "kappa", "alpha");
        if (st->bootstrap)
            fprintf(out, " %13s %13s", "f1 95% CI", "alpha 95% CI");
        fputc('\n', out);
        for (size_t k = 0; k < st->n_codes; k++) {
            const json_t *e = json_object_get(json_object_get(r, "codes"), st->codes[k]);
            const json_t *cmp =
                json_object_get(json_object_get(e, "compared_with_reference"), name);
            const json_t *cf = json_object_get(cmp, "confusion");
            const json_t *used = json_object_get(e, "units_coded");
            fprintf(out, "  %-26.26s %5lld %5lld %5lld %5lld %5lld", st->codes[k],
                    (long long)json_integer_value(json_object_get(used, st->coders[ref].name)),
                    (long long)json_integer_value(json_object_get(used, name)),
                    (long long)json_integer_value(json_object_get(cf, "tp")),
                    (long long)json_integer_value(json_object_get(cf, "fp")),
                    (long long)json_integer_value(json_object_get(cf, "fn")));
            cell(out, json_object_get(cmp, "precision"));
            cell(out, json_object_get(cmp, "recall"));
            cell(out, json_object_get(cmp, "f1"));
            cell(out, json_object_get(cmp, "kappa"));
            cell(out, json_object_get(e, "alpha"));
            if (st->bootstrap) {
                interval_cell(out, json_object_get(cmp, "f1_ci"));
                interval_cell(out, json_object_get(e, "alpha_ci"));
            }
            fputc('\n', out);
        }
        const json_t *o = json_object_get(
            json_object_get(json_object_get(r, "overall"), "compared_with_reference"), name);
        fprintf(out, "  %-26s %5s %5s %5lld %5lld %5lld", "(all codes, micro)", "", "",
                (long long)json_integer_value(json_object_get(o, "tp")),
                (long long)json_integer_value(json_object_get(o, "fp")),
                (long long)json_integer_value(json_object_get(o, "fn")));
        cell(out, json_object_get(o, "micro_precision"));
        cell(out, json_object_get(o, "micro_recall"));
        cell(out, json_object_get(o, "micro_f1"));
        fprintf(out, " %6s", "");
        cell(out, json_object_get(json_object_get(r, "overall"), "alpha"));
        fputc('\n', out);
        print_rules(out, st, r, name);
        print_suggestions(out, st, r, name);
    }
}

/* rules.c - which rules of a code are wrong: each pattern's hits in a coding
 * (qualpipe's), judged unit by unit against the reference, so the rules that
 * bring the most false positives come first, and the rules that never fired are
 * named. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "agree.h"

/* Judges span sp of code k: 1 when the reference coded a unit it overlaps with
 * k, 0 when it coded none of them, -1 when the reference left them all
 * uncoded (missing). */
static int judge(const agree_state *st, const coder *ref, const unsigned char *ref_marks,
                 const span *sp, size_t k)
{
    const corpus_doc *d = &st->docs[sp->doc];
    int seen = 0;
    for (size_t u = d->first_unit; u < d->first_unit + d->n_units; u++) {
        if (!span_overlaps(sp, &st->units[u]) || unit_is_missing(st, ref, u))
            continue;
        if (ref_marks[u * st->n_codes + k])
            return 1;
        seen = 1;
    }
    return seen ? 0 : -1;
}

/* Orders rule entries: most false positives, then most hits, then by rule. */
static int by_false_positives(const void *a, const void *b)
{
    const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    json_int_t fx = json_integer_value(json_object_get(x, "false_positives"));
    json_int_t fy = json_integer_value(json_object_get(y, "false_positives"));
    if (fx != fy)
        return fx > fy ? -1 : 1;
    json_int_t hx = json_integer_value(json_object_get(x, "hits"));
    json_int_t hy = json_integer_value(json_object_get(y, "hits"));
    if (hx != hy)
        return hx > hy ? -1 : 1;
    return strcmp(json_string_value(json_object_get(x, "rule")),
                  json_string_value(json_object_get(y, "rule")));
}

/* Returns the entries of `by_rule` (rule -> [hits, tp, fp]) as a sorted array;
 * NULL when out of memory. */
static json_t *sorted_entries(const json_t *by_rule)
{
    size_t n = json_object_size(by_rule), i = 0;
    json_t **items = calloc(n + 1, sizeof *items), *a = json_array();
    const char *rule;
    json_t *v;
    json_object_foreach((json_t *)by_rule, rule, v)
    {
        json_int_t hits = json_integer_value(json_array_get(v, 0));
        json_int_t tp = json_integer_value(json_array_get(v, 1));
        json_int_t fp = json_integer_value(json_array_get(v, 2));
        json_t *e = items ? json_pack("{s:s, s:I, s:I, s:I}", "rule", rule, "hits", hits,
                                      "true_positives", tp, "false_positives", fp)
                          : NULL;
        if (e)
            json_object_set_new(e, "precision",
                                agree_stat(tp + fp ? (double)tp / (double)(tp + fp) : 0,
                                           tp + fp > 0, NULL, NULL, NULL));
        if (items && e)
            items[i++] = e;
        else if (a)
            json_decref(a), a = NULL;
    }
    if (items)
        qsort(items, i, sizeof *items, by_false_positives);
    for (size_t j = 0; j < i; j++) {
        if (!a) {
            json_decref(items[j]);
        } else if (json_array_append_new(a, items[j]) < 0) { /* it takes the item either way */
            json_decref(a);
            a = NULL;
        }
    }
    free(items);
    return a;
}

/* Counts span sp (judged `verdict`, see judge) under its rule in by_rule.
 * Returns 0, or -1 when out of memory. */
static int count(json_t *by_rule, const char *rule, int verdict)
{
    json_t *v = json_object_get(by_rule, rule);
    if (!v && (json_object_set_new(by_rule, rule, json_pack("[i,i,i]", 0, 0, 0)) < 0 ||
               !(v = json_object_get(by_rule, rule))))
        return -1;
    int at[] = {0, verdict == 1 ? 1 : 2};
    for (int i = 0; i < (verdict < 0 ? 1 : 2); i++)
        json_array_set_new(v, (size_t)at[i],
                           json_integer(json_integer_value(json_array_get(v, (size_t)at[i])) + 1));
    return 0;
}

json_t *rule_diagnostics(const agree_state *st, const coder *c, const coder *ref,
                         const unsigned char *ref_marks, size_t k)
{
    int has_rules = 0;
    for (size_t i = 0; i < c->n_spans && !has_rules; i++)
        has_rules = c->spans[i].rule != NULL;
    if (!has_rules)
        return NULL;
    json_t *by_rule = json_object();
    int bad = !by_rule;
    for (size_t i = 0; i < c->n_spans && !bad; i++) {
        const span *sp = &c->spans[i];
        if (sp->code == k && sp->rule)
            bad = count(by_rule, sp->rule, judge(st, ref, ref_marks, sp, k)) < 0;
    }
    size_t i;
    json_t *pattern;
    json_array_foreach(json_object_get(st->patterns, st->codes[k]), i, pattern)
    {
        const char *p = json_string_value(pattern);
        if (!bad && p && !json_object_get(by_rule, p))
            bad = json_object_set_new(by_rule, p, json_pack("[i,i,i]", 0, 0, 0)) < 0;
    }
    json_t *a = bad ? NULL : sorted_entries(by_rule);
    json_decref(by_rule);
    return a;
}

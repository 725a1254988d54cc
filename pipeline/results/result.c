/* result.c - deriving rates and absences from counts, and merging results. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "result.h"

double qp_result_per1000(long long hits, long long tokens)
{
    return tokens ? round(1e7 * (double)hits / (double)tokens) / 1e4 : 0.0;
}

static json_t *rate(json_int_t hits, json_int_t tokens)
{
    return json_real(qp_result_per1000(hits, tokens));
}

double qp_result_pct(long long hits, long long tokens)
{
    return tokens ? round(1e6 * (double)hits / (double)tokens) / 1e4 : 0.0;
}

static json_t *pct(json_int_t hits, json_int_t tokens)
{
    return json_real(qp_result_pct(hits, tokens));
}

static json_int_t int_of(const json_t *obj, const char *key)
{
    return json_integer_value(json_object_get(obj, key));
}

/* Returns part / whole rounded to 4 decimals (0 when whole is 0). */
static json_t *share(json_int_t part, json_int_t whole)
{
    return json_real(whole ? round(1e4 * (double)part / (double)whole) / 1e4 : 0.0);
}

/* Returns the units with the code: rolled up over its subtree when it has one. */
static json_int_t units_with(const json_t *code, const char *unit)
{
    char key[64];
    snprintf(key, sizeof key, "subtree_%s", unit);
    const json_t *sub = json_object_get(code, key);
    return json_integer_value(sub ? sub : json_object_get(code, unit));
}

/* Sets the Jaccard index of each pair in one co-occurrence matrix: the units with
 * both over the units with either. */
static void derive_jaccard(json_t *matrix, const json_t *codes, const char *unit)
{
    const char *a, *b;
    json_t *row, *cell;
    json_object_foreach(matrix, a, row)
    {
        json_int_t na = units_with(json_object_get(codes, a), unit);
        json_object_foreach(row, b, cell)
        {
            json_int_t both = json_integer_value(json_object_get(cell, "count"));
            json_int_t nb = units_with(json_object_get(codes, b), unit);
            json_object_set_new(cell, "jaccard", share(both, na + nb - both));
        }
    }
}

/* Sets the rates of each code in `codes` for `tokens` tokens and its shares of the
 * `documents` and `segments`, and returns the ids of those without hits in
 * codebook order (`order`: the codebooks' code lists). */
static json_t *derive_codes(json_t *codes, json_int_t tokens, json_int_t documents,
                            json_int_t segments, const json_t *order)
{
    json_t *none = json_array();
    size_t b, i;
    json_t *book, *id;
    json_array_foreach(order, b, book) json_array_foreach(json_object_get(book, "codes"), i, id)
    {
        json_t *c = json_object_get(codes, json_string_value(id));
        if (!c)
            continue;
        json_object_set_new(c, "per_1000_tokens", rate(int_of(c, "hits"), tokens));
        json_object_set_new(c, "pct", pct(int_of(c, "hits"), tokens));
        json_object_set_new(c, "share_of_documents", share(int_of(c, "documents"), documents));
        json_object_set_new(c, "share_of_segments", share(int_of(c, "segments"), segments));
        json_t *sub = json_object_get(c, "subtree_hits");
        if (sub) {
            json_object_set_new(c, "subtree_per_1000_tokens",
                                rate(json_integer_value(sub), tokens));
            json_object_set_new(c, "subtree_pct", pct(json_integer_value(sub), tokens));
            json_object_set_new(c, "subtree_share_of_documents",
                                share(int_of(c, "subtree_documents"), documents));
            json_object_set_new(c, "subtree_share_of_segments",
                                share(int_of(c, "subtree_segments"), segments));
        }
        if ((sub ? json_integer_value(sub) : int_of(c, "hits")) == 0)
            json_array_append(none, id);
    }
    return none;
}

int qp_result_derive(json_t *result)
{
    const json_t *order = json_object_get(json_object_get(result, "provenance"), "codebooks");
    json_t *totals = json_object_get(result, "totals");
    json_int_t tokens = int_of(totals, "tokens");
    if (json_object_set_new(totals, "per_1000_tokens", rate(int_of(totals, "hits"), tokens)) < 0 ||
        json_object_set_new(totals, "pct", pct(int_of(totals, "hits"), tokens)) < 0)
        return -1;
    json_t *none = derive_codes(json_object_get(result, "codes"), tokens,
                                int_of(totals, "documents"), int_of(totals, "segments"), order);
    if (!none || json_object_set_new(result, "codes_without_hits", none) < 0)
        return -1;
    const char *field, *value;
    json_t *groups, *g;
    json_object_foreach(json_object_get(result, "groups"), field, groups)
    {
        json_object_foreach(groups, value, g)
        {
            json_int_t t = int_of(g, "tokens");
            json_object_set_new(g, "per_1000_tokens", rate(int_of(g, "hits"), t));
            json_object_set_new(g, "pct", pct(int_of(g, "hits"), t));
            json_t *gnone = derive_codes(json_object_get(g, "codes"), t, int_of(g, "documents"),
                                         int_of(g, "segments"), order);
            if (!gnone || json_object_set_new(g, "codes_without_hits", gnone) < 0)
                return -1;
        }
    }
    json_t *co = json_object_get(result, "cooccurrence");
    derive_jaccard(json_object_get(co, "documents"), json_object_get(result, "codes"), "documents");
    derive_jaccard(json_object_get(co, "segments"), json_object_get(result, "codes"), "segments");
    return qp_result_group_tests(result);
}

/* Checks that obj has a string at each of `strings` and an integer at each of
 * `integers` (NULL-terminated lists). Returns NULL, or the first key that has not. */
static const char *missing_key(const json_t *obj, const char *const *strings,
                               const char *const *integers)
{
    for (; strings && *strings; strings++)
        if (!json_is_string(json_object_get(obj, *strings)))
            return *strings;
    for (; integers && *integers; integers++)
        if (!json_is_integer(json_object_get(obj, *integers)))
            return *integers;
    return NULL;
}

int qp_result_check(const json_t *r, const char *name, qp_error *err)
{
    static const char *const quote_strings[] = {"doc", "rule", "text", NULL};
    static const char *const quote_integers[] = {"start", "end", NULL};
    static const char *const skip_strings[] = {"id", "stage", "reason", NULL};
    if (json_integer_value(json_object_get(r, "qualpipe_result")) != 1 ||
        !json_is_object(json_object_get(r, "totals")) ||
        !json_is_object(json_object_get(r, "codes")) ||
        !json_is_object(json_object_get(r, "provenance"))) {
        snprintf(err->message, sizeof err->message,
                 "%.600s: not a qualpipe result (no qualpipe_result 1, totals, codes and "
                 "provenance)",
                 name);
        return -1;
    }
    const char *id, *bad;
    json_t *code, *q;
    size_t i;
    json_object_foreach((json_t *)json_object_get(r, "codes"), id, code)
    {
        const json_t *quotes = json_object_get(code, "quotes");
        if (quotes && !json_is_array(quotes)) {
            snprintf(err->message, sizeof err->message, "%.400s: codes.%.200s.quotes: not a list",
                     name, id);
            return -1;
        }
        json_array_foreach(quotes, i, q) if ((bad = missing_key(q, quote_strings, quote_integers)))
        {
            snprintf(err->message, sizeof err->message,
                     "%.400s: codes.%.200s.quotes[%zu]: no \"%s\" %s", name, id, i, bad,
                     strcmp(bad, "start") && strcmp(bad, "end") ? "string" : "number");
            return -1;
        }
    }
    const json_t *skipped = json_object_get(r, "skipped");
    if (skipped && !json_is_array(skipped)) {
        snprintf(err->message, sizeof err->message, "%.600s: skipped: not a list", name);
        return -1;
    }
    json_array_foreach(skipped, i, q) if ((bad = missing_key(q, skip_strings, NULL)))
    {
        snprintf(err->message, sizeof err->message, "%.600s: skipped[%zu]: no \"%s\" string", name,
                 i, bad);
        return -1;
    }
    const json_t *docs = json_object_get(r, "documents");
    if (docs && !json_is_object(docs)) {
        snprintf(err->message, sizeof err->message, "%.600s: documents: not an object", name);
        return -1;
    }
    return 0;
}

/* Orders two quotes by document, start, end and rule. */
static int quote_order(const void *x, const void *y)
{
    const json_t *a = *(json_t *const *)x, *b = *(json_t *const *)y;
    int c = strcmp(json_string_value(json_object_get(a, "doc")),
                   json_string_value(json_object_get(b, "doc")));
    if (c)
        return c;
    json_int_t sa = json_integer_value(json_object_get(a, "start")),
               sb = json_integer_value(json_object_get(b, "start"));
    json_int_t ea = json_integer_value(json_object_get(a, "end")),
               eb = json_integer_value(json_object_get(b, "end"));
    if (sa != sb)
        return sa < sb ? -1 : 1;
    if (ea != eb)
        return ea < eb ? -1 : 1;
    return strcmp(json_string_value(json_object_get(a, "rule")),
                  json_string_value(json_object_get(b, "rule")));
}

/* Keeps, for each code, the first k of both results' quotes. Returns 0 or -1. */
static int merge_quotes(json_t *into, const json_t *from)
{
    size_t k = (size_t)json_integer_value(json_object_get(into, "quotes_per_code"));
    const char *id;
    json_t *code;
    json_object_foreach(json_object_get(into, "codes"), id, code)
    {
        json_t *mine = json_object_get(code, "quotes");
        const json_t *theirs =
            json_object_get(json_object_get(json_object_get(from, "codes"), id), "quotes");
        if (!mine || !theirs)
            continue;
        size_t n = json_array_size(mine) + json_array_size(theirs), m = 0;
        json_t **all = calloc(n ? n : 1, sizeof *all), *kept = json_array();
        if (!all || !kept) {
            free(all);
            json_decref(kept);
            return -1;
        }
        size_t i;
        json_t *q;
        json_array_foreach(mine, i, q) all[m++] = q;
        json_array_foreach(theirs, i, q) all[m++] = q;
        if (n > 1)
            qsort(all, n, sizeof *all, quote_order);
        for (i = 0; i < n && i < k; i++)
            json_array_append(kept, all[i]);
        free(all);
        json_object_set_new(code, "quotes", kept);
    }
    return 0;
}

/* Adds the integer counts of `from` to `into`, recursively; objects only in `from`
 * are copied; strings must agree and are kept. Derived values are skipped (they
 * are recomputed). Returns 0, or -1 when out of memory. */
static int add_counts(json_t *into, const json_t *from)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)from, key, v)
    {
        json_t *mine = json_object_get(into, key);
        if (json_is_real(v) || strcmp(key, "codes_without_hits") == 0)
            continue;
        if (!mine) {
            if (json_object_set_new(into, key, json_deep_copy(v)) < 0)
                return -1;
        } else if (json_is_integer(v) && json_is_integer(mine)) {
            json_integer_set(mine, json_integer_value(mine) + json_integer_value(v));
        } else if (json_is_object(v) && json_is_object(mine)) {
            if (add_counts(mine, v) < 0)
                return -1;
        }
    }
    return 0;
}

/* Orders skipped entries by id, then stage and reason. */
static int by_id(const void *x, const void *y)
{
    static const char *const keys[] = {"id", "stage", "reason"};
    const json_t *a = *(json_t *const *)x, *b = *(json_t *const *)y;
    for (int k = 0; k < 3; k++) {
        int c = strcmp(json_string_value(json_object_get(a, keys[k])),
                       json_string_value(json_object_get(b, keys[k])));
        if (c)
            return c;
    }
    return 0;
}

json_t *qp_result_sorted_skips(const json_t *skipped)
{
    size_t n = json_array_size(skipped);
    json_t **items = calloc(n ? n : 1, sizeof *items), *sorted = json_array();
    if (!items || !sorted) {
        free(items);
        json_decref(sorted);
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        items[i] = json_array_get(skipped, i);
    if (n > 1)
        qsort(items, n, sizeof *items, by_id);
    for (size_t i = 0; i < n; i++)
        json_array_append(sorted, items[i]);
    free(items);
    return sorted;
}

/* Fills err with what differs between two provenances. */
static void explain_difference(const json_t *a, const json_t *b, const char *an, const char *bn,
                               qp_error *err)
{
    const json_t *ca = json_object_get(a, "codebooks"), *cb = json_object_get(b, "codebooks");
    if (!json_equal(ca, cb)) {
        char ha[300] = "", hb[300] = "";
        size_t i;
        json_t *x;
        json_array_foreach(ca, i, x)
            snprintf(ha + strlen(ha), sizeof ha - strlen(ha), "%s%s %.12s", i ? ", " : "",
                     json_string_value(json_object_get(x, "name")),
                     json_string_value(json_object_get(x, "sha256")));
        json_array_foreach(cb, i, x)
            snprintf(hb + strlen(hb), sizeof hb - strlen(hb), "%s%s %.12s", i ? ", " : "",
                     json_string_value(json_object_get(x, "name")),
                     json_string_value(json_object_get(x, "sha256")));
        snprintf(err->message, sizeof err->message,
                 "%.200s and %.200s were coded with different codebooks (%.250s; %.250s): "
                 "merge results of one codebook",
                 an, bn, ha, hb);
        return;
    }
    char *sa = json_dumps(json_object_get(a, "stages"), JSON_COMPACT | JSON_SORT_KEYS);
    char *sb = json_dumps(json_object_get(b, "stages"), JSON_COMPACT | JSON_SORT_KEYS);
    if (sa && sb && strcmp(sa, sb) != 0)
        snprintf(err->message, sizeof err->message,
                 "%.200s and %.200s were made with different stages or options (%.250s; %.250s): "
                 "run every shard with the same options",
                 an, bn, sa, sb);
    else
        snprintf(err->message, sizeof err->message,
                 "%.200s and %.200s were made by different qualpipe versions (%s; %s)", an, bn,
                 json_string_value(json_object_get(a, "qualpipe_version")),
                 json_string_value(json_object_get(b, "qualpipe_version")));
    free(sa);
    free(sb);
}

int qp_result_merge(json_t *into, const json_t *from, const char *into_name, const char *from_name,
                    qp_error *err)
{
    if (qp_result_check(from, from_name, err) < 0)
        return -1;
    const json_t *pa = json_object_get(into, "provenance"),
                 *pb = json_object_get(from, "provenance");
    if (!json_equal(pa, pb)) {
        explain_difference(pa, pb, into_name, from_name, err);
        return -1;
    }
    const char *id;
    json_t *d;
    json_t *docs = json_object_get(into, "documents");
    json_object_foreach(json_object_get(from, "documents"), id, d)
    {
        if (json_object_get(docs, id)) {
            snprintf(err->message, sizeof err->message,
                     "document \"%.200s\" is in both %.200s and %.200s: merge results of disjoint "
                     "shards",
                     id, into_name, from_name);
            return -1;
        }
        json_object_set(docs, id, d);
    }
    if (merge_quotes(into, from) < 0)
        goto nomem;
    for (const char *const *k =
             (const char *const[]){"totals", "codes", "groups", "cooccurrence", "dropped", NULL};
         *k; k++) {
        json_t *mine = json_object_get(into, *k), *theirs = json_object_get(from, *k);
        if (!mine && theirs && json_object_set_new(into, *k, json_deep_copy(theirs)) < 0)
            goto nomem;
        if (mine && theirs && add_counts(mine, theirs) < 0)
            goto nomem;
    }
    json_t *skipped = json_object_get(into, "skipped");
    json_array_extend(skipped, json_object_get(from, "skipped"));
    json_t *sorted = qp_result_sorted_skips(skipped);
    if (!sorted)
        goto nomem;
    json_object_set_new(into, "skipped", sorted);
    if (qp_result_derive(into) < 0)
        goto nomem;
    return 0;
nomem:
    snprintf(err->message, sizeof err->message, "out of memory");
    return -1;
}

int qp_result_write(FILE *out, const json_t *result, int compact)
{
    size_t flags =
        JSON_SORT_KEYS | JSON_REAL_PRECISION(10) | (compact ? JSON_COMPACT : JSON_INDENT(2));
    if (json_dumpf(result, out, flags) < 0)
        return -1;
    return fputc('\n', out) == EOF ? -1 : 0;
}

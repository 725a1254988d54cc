/* output.c - the aggregate's result on its output: JSON with the documents
 * streamed in from the row table, byte for byte what jansson would write for the
 * whole result, and the wide CSV table. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "csvcell.h"
#include "results/result.h"
#include "output.h"
#include "util/scan.h"

#define DUMP_FLAGS (JSON_SORT_KEYS | JSON_REAL_PRECISION(10))

static json_int_t int_of(const json_t *obj, const char *key)
{
    return json_integer_value(json_object_get(obj, key));
}

/* Writes s, with `indent` spaces after every line break (jansson indents a value
 * dumped alone from column 0). Strings never hold a raw line break. Returns 0, or
 * -1 on a write error. */
static int put_indented(FILE *out, const char *s, int indent)
{
    for (const char *nl; (nl = strchr(s, '\n')); s = nl + 1)
        if (fwrite(s, 1, (size_t)(nl - s) + 1, out) != (size_t)(nl - s) + 1 ||
            fprintf(out, "%*s", indent, "") < 0)
            return -1;
    return fputs(s, out) < 0 ? -1 : 0;
}

/* Writes value v as jansson would inside an object at depth `depth` (0: the top
 * level's members). Returns 0, or -1. */
static int put_value(FILE *out, const json_t *v, int compact, int depth)
{
    char *s =
        json_dumps(v, DUMP_FLAGS | JSON_ENCODE_ANY | (compact ? JSON_COMPACT : JSON_INDENT(2)));
    int rc = s ? put_indented(out, s, compact ? 0 : 2 * (depth + 1)) : -1;
    free(s);
    return rc;
}

/* Writes a member's key and separator at depth `depth`. Returns 0, or -1. */
static int put_key(FILE *out, const char *key, int first, int compact, int depth)
{
    json_t *k = json_string(key);
    char *s = k ? json_dumps(k, JSON_ENCODE_ANY) : NULL;
    json_decref(k);
    int rc =
        !s || (compact ? fprintf(out, "%s%s:", first ? "" : ",", s)
                       : fprintf(out, "%s\n%*s%s: ", first ? "" : ",", 2 * (depth + 1), "", s)) < 0
            ? -1
            : 0;
    free(s);
    return rc;
}

/* Returns the end of the JSON string that opens at row[at] (just past its
 * closing quote, or len). */
static size_t string_end(const char *row, size_t at, size_t len)
{
    static const unsigned char stops[] = {'"', '\\'};
    size_t k = at + 1;
    for (;;) {
        k = qp_scan_to((const unsigned char *)row, k, len, stops, sizeof stops, 0, 0);
        if (k < len && row[k] == '\\') {
            k = k + 2 < len ? k + 2 : len;
            continue;
        }
        return k < len ? k + 1 : len;
    }
}

/* Writes a row (JSON as jansson writes it with JSON_COMPACT) as jansson writes
 * it indented by two, nested `base` spaces deep: the same bytes as parsing it and
 * dumping it again, without either; the bytes between the marks that change are
 * copied in runs. Returns 0, or -1 on a write error. */
static int put_row_indented(FILE *out, const char *row, size_t len, int base)
{
    static const unsigned char marks[] = {'"', '{', '[', '}', ']', ',', ':'};
    int depth = 0;
    size_t i = 0;
    while (i < len) {
        size_t j = qp_scan_to((const unsigned char *)row, i, len, marks, sizeof marks, 0, 0);
        if (j > i && fwrite(row + i, 1, j - i, out) != j - i)
            return -1;
        if (j == len)
            break;
        char c = row[j];
        i = j + 1;
        int rc = 0;
        if (c == '"') {
            i = string_end(row, j, len);
            rc = fwrite(row + j, 1, i - j, out) != i - j;
        } else if ((c == '{' || c == '[') && i < len && row[i] == (c == '{' ? '}' : ']')) {
            rc = fputs(c == '{' ? "{}" : "[]", out) < 0;
            i++;
        } else if (c == '{' || c == '[') {
            depth++;
            rc = fprintf(out, "%c\n%*s", c, base + 2 * depth, "") < 0;
        } else if (c == '}' || c == ']') {
            depth--;
            rc = fprintf(out, "\n%*s%c", base + 2 * depth, "", c) < 0;
        } else if (c == ',') {
            rc = fprintf(out, ",\n%*s", base + 2 * depth, "") < 0;
        } else {
            rc = fputs(": ", out) < 0;
        }
        if (rc)
            return -1;
    }
    return 0;
}

/* What streaming the documents needs. */
typedef struct doc_writer {
    FILE *out;
    int compact, first;
} doc_writer;

/* Writes one document's row as a member of "documents". */
static int write_doc(void *ctx, const char *id, const char *row, size_t len)
{
    doc_writer *w = ctx;
    if (put_key(w->out, id, w->first, w->compact, 1) < 0)
        return QP_ERR_IO;
    w->first = 0;
    if (w->compact)
        return fwrite(row, 1, len, w->out) == len ? QP_OK : QP_ERR_IO;
    return put_row_indented(w->out, row, len, 4) == 0 ? QP_OK : QP_ERR_IO;
}

/* Writes the "documents" object from the table. Returns QP_OK or an error. */
static int put_documents(FILE *out, doctable *docs, int compact, qp_error *err)
{
    if (!doctable_count(docs))
        return fputs("{}", out) < 0 ? QP_ERR_IO : QP_OK;
    doc_writer w = {out, compact, 1};
    if (fputc('{', out) == EOF)
        return QP_ERR_IO;
    int rc = doctable_each(docs, write_doc, &w, err);
    if (rc == QP_OK && (compact ? fputc('}', out) : fprintf(out, "\n  }")) < 0)
        rc = QP_ERR_IO;
    return rc;
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int output_write_json(FILE *out, const json_t *result, doctable *docs, int compact, qp_error *err)
{
    size_t n = json_object_size(result) + 1, k = 0;
    const char **keys = malloc(n * sizeof *keys);
    if (!keys)
        return QP_ERR_NOMEM;
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)result, key, v) keys[k++] = key;
    keys[k++] = "documents";
    qsort(keys, k, sizeof *keys, compare_strings);
    int rc = fputc('{', out) == EOF ? QP_ERR_IO : QP_OK;
    for (size_t i = 0; i < k && rc == QP_OK; i++) {
        if (put_key(out, keys[i], i == 0, compact, 0) < 0)
            rc = QP_ERR_IO;
        else if (strcmp(keys[i], "documents") == 0)
            rc = put_documents(out, docs, compact, err);
        else if (put_value(out, json_object_get(result, keys[i]), compact, 0) < 0)
            rc = QP_ERR_IO;
    }
    free(keys);
    if (rc == QP_OK && fputs(compact ? "}\n" : "\n}\n", out) < 0)
        rc = QP_ERR_IO;
    return rc;
}

/* What a CSV row needs. */
typedef struct csv_writer {
    FILE *out;
    const json_t *codes; /* ids in codebook order */
    const char *const *by;
    size_t n_by;
    int guard; /* see csv_text */
    enum csv_values values;
} csv_writer;

/* Writes one document's CSV row. */
static int csv_doc(void *ctx, const char *id, const char *row, size_t len)
{
    csv_writer *w = ctx;
    json_t *d = json_loadb(row, len, 0, NULL), *code;
    size_t i;
    size_t n_codes = json_array_size(w->codes);
    int bad = !d || csv_text(w->out, id, strlen(id), 0, w->guard) ||
              fprintf(w->out, "%lld,%lld,%lld%c", (long long)int_of(d, "tokens"),
                      (long long)int_of(d, "segments"), (long long)int_of(d, "hits"),
                      w->n_by + n_codes ? ',' : '\n') < 0;
    for (size_t f = 0; f < w->n_by && !bad; f++) {
        const char *v = json_string_value(json_object_get(json_object_get(d, "groups"), w->by[f]));
        bad =
            csv_text(w->out, v ? v : "", v ? strlen(v) : 0, f + 1 == w->n_by && !n_codes, w->guard);
    }
    json_int_t tokens = int_of(d, "tokens");
    json_array_foreach(w->codes, i, code) if (!bad)
    {
        const char *code_id = json_string_value(code);
        char end = i + 1 == json_array_size(w->codes) ? '\n' : ',';
        json_int_t hits = int_of(json_object_get(d, "codes"), code_id);
        if (w->values == VALUES_COUNT || w->values == VALUES_UNITS)
            bad = fprintf(w->out, "%lld%c",
                          (long long)(w->values == VALUES_COUNT
                                          ? hits
                                          : int_of(json_object_get(d, "units"), code_id)),
                          end) < 0;
        else
            bad = fprintf(w->out, "%.10g%c",
                          w->values == VALUES_PCT ? qp_result_pct(hits, tokens)
                                                  : qp_result_per1000(hits, tokens),
                          end) < 0;
    }
    json_decref(d);
    return bad ? QP_ERR_IO : QP_OK;
}

int output_write_csv(FILE *out, const json_t *result, doctable *docs, const char *const *by,
                     size_t n_by, int guard, enum csv_values values, qp_error *err)
{
    const json_t *prov = json_object_get(result, "provenance");
    json_t *codes = json_array();
    size_t b, i;
    json_t *book, *id;
    json_array_foreach(json_object_get(prov, "codebooks"), b, book)
        json_array_foreach(json_object_get(book, "codes"), i, id) json_array_append(codes, id);
    /* The header's cells, each followed by ',' or, after the last, '\n'. */
    size_t n_codes = json_array_size(codes);
    int bad = 0;
    static const char *const fixed[] = {"document", "tokens", "segments", "hits"};
    for (size_t h = 0; h < 4 && !bad; h++)
        bad = csv_text(out, fixed[h], strlen(fixed[h]), h == 3 && !n_by && !n_codes, guard);
    for (size_t f = 0; f < n_by && !bad; f++)
        bad = csv_text(out, by[f], strlen(by[f]), f + 1 == n_by && !n_codes, guard);
    json_array_foreach(codes, i, id) if (!bad) bad =
        csv_text(out, json_string_value(id), strlen(json_string_value(id)),
                 i + 1 == json_array_size(codes), guard);
    csv_writer w = {out, codes, by, n_by, guard, values};
    int rc = bad ? QP_ERR_IO : doctable_each(docs, csv_doc, &w, err);
    json_decref(codes);
    return rc == QP_OK && ferror(out) ? QP_ERR_IO : rc;
}

/* terms.c - the words that fired, per code and rule (see terms.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "csvcell.h"
#include "terms.h"

/* Puts in scratch the term of text[0, len): case folded, each run of white space
 * one space. Returns 0, or -1 when out of memory (bytes that are not UTF-8 are
 * kept as they are). */
static int term_of(const char *text, size_t len, qp_buf *scratch)
{
    qp_buf spaced = {0};
    for (size_t i = 0; i < len;) {
        size_t j = i;
        while (j < len && !strchr(" \t\r\n\f\v", text[j]))
            j++;
        if (qp_buf_append(&spaced, text + i, j - i) < 0) {
            qp_buf_free(&spaced);
            return -1;
        }
        while (j < len && strchr(" \t\r\n\f\v", text[j]))
            j++;
        if (j < len && spaced.len && qp_buf_append(&spaced, " ", 1) < 0) {
            qp_buf_free(&spaced);
            return -1;
        }
        i = j;
    }
    scratch->len = 0;
    int rc = qp_fold_append(scratch, spaced.data ? spaced.data : "", spaced.len, 0);
    if (rc < 0) { /* not UTF-8: as it is */
        scratch->len = 0;
        rc = qp_buf_append(scratch, spaced.data ? spaced.data : "", spaced.len);
    }
    qp_buf_free(&spaced);
    return rc;
}

int terms_count(json_t *terms, const char *rule, const char *text, size_t len, qp_buf *scratch)
{
    if (term_of(text, len, scratch) < 0)
        return QP_ERR_NOMEM;
    json_t *of_rule = json_object_get(terms, rule ? rule : "");
    if (!of_rule) {
        of_rule = json_object();
        if (!of_rule || json_object_set_new(terms, rule ? rule : "", of_rule) < 0)
            return QP_ERR_NOMEM;
    }
    json_t *n = json_object_get(of_rule, scratch->data);
    if (n)
        return json_integer_set(n, json_integer_value(n) + 1) == 0 ? QP_OK : QP_ERR_NOMEM;
    return json_object_set_new(of_rule, scratch->data, json_integer(1)) == 0 ? QP_OK : QP_ERR_NOMEM;
}

/* Most hits first, then by term, then by rule. */
static int by_hits(const void *x, const void *y)
{
    const term_row *a = x, *b = y;
    if (a->hits != b->hits)
        return a->hits < b->hits ? 1 : -1;
    int c = strcmp(a->term, b->term);
    return c ? c : strcmp(a->rule, b->rule);
}

term_row *terms_sorted(const json_t *code, size_t *n)
{
    const json_t *terms = json_object_get(code, "terms");
    size_t k = 0;
    const char *rule, *term;
    json_t *of_rule, *hits;
    *n = 0;
    json_object_foreach((json_t *)terms, rule, of_rule)
    {
        *n += json_object_size(of_rule);
    }
    term_row *rows = malloc((*n ? *n : 1) * sizeof *rows);
    if (!rows)
        return NULL;
    json_object_foreach((json_t *)terms, rule, of_rule) json_object_foreach(of_rule, term, hits)
        rows[k++] = (term_row){rule, term, json_integer_value(hits)};
    qsort(rows, *n, sizeof *rows, by_hits);
    return rows;
}

/* Writes one code's rows. Returns 0, or -1 on a write error or out of memory. */
static int write_code(FILE *out, const char *code, const json_t *entry, int guard)
{
    size_t n;
    term_row *rows = terms_sorted(entry, &n);
    if (!rows)
        return -1;
    json_int_t own = json_integer_value(json_object_get(entry, "hits"));
    int bad = 0;
    for (size_t i = 0; i < n && !bad; i++)
        bad = csv_text(out, code, strlen(code), 0, guard) ||
              csv_text(out, rows[i].rule, strlen(rows[i].rule), 0, guard) ||
              csv_text(out, rows[i].term, strlen(rows[i].term), 0, guard) ||
              fprintf(out, "%lld,%.4f\n", (long long)rows[i].hits,
                      own ? (double)rows[i].hits / (double)own : 0.0) < 0;
    free(rows);
    return bad ? -1 : 0;
}

int terms_write_csv(FILE *out, const json_t *result, int guard)
{
    const json_t *codes = json_object_get(result, "codes");
    size_t b, i;
    json_t *book, *id;
    if (fputs("code,rule,term,hits,share\n", out) < 0)
        return QP_ERR_IO;
    json_array_foreach(json_object_get(json_object_get(result, "provenance"), "codebooks"), b, book)
        json_array_foreach(json_object_get(book, "codes"), i, id)
    {
        const char *code = json_string_value(id);
        if (write_code(out, code, json_object_get(codes, code), guard) < 0)
            return QP_ERR_IO;
    }
    return fflush(out) == 0 && !ferror(out) ? QP_OK : QP_ERR_IO;
}

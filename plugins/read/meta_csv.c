/* meta_csv.c - the --meta CSV sidecar, parsed with libcsv. */
#include "config.h"

#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/fileio.h"
#include "util/grow.h"
#include "meta_csv.h"

typedef struct meta_row {
    char *key;
    json_t *fields;
    int used;
} meta_row;

struct meta_table {
    meta_row *rows;
    size_t n, cap;
};

/* Parser state while libcsv calls back field by field. */
typedef struct csv_state {
    meta_table *t;
    json_t *header; /* array of column names */
    json_t *row;    /* fields of the row being read */
    size_t row_no;  /* 1 = the header */
    char error[512];
} csv_state;

static void on_field(void *data, size_t len, void *ud)
{
    csv_state *st = ud;
    if (st->error[0])
        return;
    json_t *v = json_stringn(data ? data : "", len);
    if (!v) {
        snprintf(st->error, sizeof st->error, "row %zu: a field is not valid UTF-8",
                 st->row_no + 1);
        return;
    }
    json_array_append_new(st->row_no == 0 ? st->header : st->row, v);
}

static int by_key(const void *a, const void *b)
{
    return strcmp(((const meta_row *)a)->key, ((const meta_row *)b)->key);
}

static void on_row(int terminator, void *ud)
{
    (void)terminator;
    csv_state *st = ud;
    if (st->error[0])
        return;
    st->row_no++;
    if (st->row_no == 1) {
        if (json_array_size(st->header) < 2)
            snprintf(st->error, sizeof st->error,
                     "row 1: the header needs the id column and at least one field");
        return;
    }
    size_t want = json_array_size(st->header), got = json_array_size(st->row);
    if (got != want) {
        if (!(got == 1 && json_string_length(json_array_get(st->row, 0)) == 0))
            snprintf(st->error, sizeof st->error, "row %zu has %zu fields, the header has %zu",
                     st->row_no, got, want);
        json_array_clear(st->row);
        return;
    }
    const char *key = json_string_value(json_array_get(st->row, 0));
    if (!*key) {
        snprintf(st->error, sizeof st->error, "row %zu: the first column (the id) is empty",
                 st->row_no);
        return;
    }
    meta_table *t = st->t;
    if (qp_grow(&t->rows, &t->cap, t->n + 1, sizeof *t->rows, 64) < 0) {
        snprintf(st->error, sizeof st->error, "out of memory");
        return;
    }
    json_t *fields = json_object();
    for (size_t i = 1; i < want; i++)
        json_object_set(fields, json_string_value(json_array_get(st->header, i)),
                        json_array_get(st->row, i));
    t->rows[t->n].key = strdup(key);
    t->rows[t->n].fields = fields;
    t->rows[t->n].used = 0;
    t->n++;
    json_array_clear(st->row);
}

/* Returns the table, or NULL with err filled. */
meta_table *meta_table_load(const char *path, qp_error *err)
{
    char *text;
    size_t len;
    if (qp_read_file(path, (size_t)1 << 30, &text, &len, err) < 0)
        return NULL;
    meta_table *t = calloc(1, sizeof *t);
    csv_state st = {.t = t, .header = json_array(), .row = json_array()};
    struct csv_parser p;
    if (!t || csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        snprintf(err->message, sizeof err->message, "%s: out of memory", path);
        free(text);
        free(t);
        json_decref(st.header);
        json_decref(st.row);
        return NULL;
    }
    size_t skip = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0; /* BOM */
    if (csv_parse(&p, text + skip, len - skip, on_field, on_row, &st) != len - skip ||
        csv_fini(&p, on_field, on_row, &st) != 0) {
        if (!st.error[0])
            snprintf(st.error, sizeof st.error, "row %zu: %s", st.row_no + 1,
                     csv_strerror(csv_error(&p)));
    }
    csv_free(&p);
    free(text);
    json_decref(st.row);
    json_decref(st.header);
    if (!st.error[0] && t->n == 0)
        snprintf(st.error, sizeof st.error, "no rows after the header");
    if (!st.error[0] && t->n) {
        qsort(t->rows, t->n, sizeof *t->rows, by_key);
        for (size_t i = 1; i < t->n; i++)
            if (strcmp(t->rows[i].key, t->rows[i - 1].key) == 0) {
                snprintf(st.error, sizeof st.error, "document \"%s\" has two rows", t->rows[i].key);
                break;
            }
    }
    if (st.error[0]) {
        snprintf(err->message, sizeof err->message, "%s: %s", path, st.error);
        meta_table_free(t);
        return NULL;
    }
    return t;
}

void meta_table_free(meta_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++) {
        free(t->rows[i].key);
        json_decref(t->rows[i].fields);
    }
    free(t->rows);
    free(t);
}

/* Returns the first matching row's fields, marking it used, or NULL. */
json_t *meta_table_find(meta_table *t, const char *const *keys, size_t n_keys)
{
    for (size_t k = 0; k < n_keys; k++) {
        meta_row probe = {.key = (char *)keys[k]};
        meta_row *r = bsearch(&probe, t->rows, t->n, sizeof *t->rows, by_key);
        if (r) {
            r->used = 1;
            return r->fields;
        }
    }
    return NULL;
}

size_t meta_table_unused(const meta_table *t, const char **first)
{
    size_t n = 0;
    *first = NULL;
    for (size_t i = 0; i < t->n; i++)
        if (!t->rows[i].used && n++ == 0)
            *first = t->rows[i].key;
    return n;
}

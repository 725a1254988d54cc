/* import_dicx.c - LIWC-22 dictionaries (.dicx): CSV, an X under each category. */
#include "config.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "import.h"

/* Parser state for a .dicx. */
typedef struct dicx_state {
    qp_codebook *cb;
    const char *path;
    qp_warn_fn warn;
    size_t row, col;
    size_t warned_row; /* the last row named for a mark with no entry */
    long *codes;       /* column -> code */
    size_t n_cols;
    char *entry;
    int failed;
    char error[512];
} dicx_state;

static void dicx_field(void *data, size_t len, void *ud)
{
    dicx_state *st = ud;
    const char *s = data ? data : "";
    if (st->failed)
        return;
    if (st->row == 0) {
        if (st->col > 0) {
            char id[256], name[256];
            snprintf(name, sizeof name, "%.*s", (int)len, s);
            long code = qp_codebook_add_code(st->cb, NULL, qp_import_code_id(name, id, sizeof id),
                                             name, "");
            long *c = realloc(st->codes, (st->col + 1) * sizeof *c);
            if (c)
                st->codes = c; /* freed by the caller, whatever happens next */
            if (code < 0 || !c) {
                snprintf(st->error, sizeof st->error, "row 1: %.480s",
                         code < 0 ? st->cb->error : "out of memory");
                st->failed = 1;
                return;
            }
            st->codes[st->col] = code;
            st->n_cols = st->col + 1;
        }
    } else if (st->col == 0) {
        free(st->entry);
        st->entry = strndup(s, len);
    } else if (len && (s[0] == 'X' || s[0] == 'x') && (!st->entry || !*st->entry)) {
        if (st->warned_row != st->row)
            st->warn("codebook", "%s: row %zu: a mark with no entry in the first column; left out",
                     st->path, st->row + 1);
        st->warned_row = st->row;
    } else if (len && (s[0] == 'X' || s[0] == 'x')) {
        if (st->col >= st->n_cols) {
            st->warn("codebook", "%s: row %zu: a mark outside the categories; left out", st->path,
                     st->row + 1);
        } else if (qp_import_pattern(st->cb, (size_t)st->codes[st->col], st->entry, st->path,
                                     st->row + 1, st->warn) < 0) {
            snprintf(st->error, sizeof st->error, "out of memory");
            st->failed = 1;
        }
    }
    st->col++;
}

static void dicx_row(int c, void *ud)
{
    (void)c;
    dicx_state *st = ud;
    st->row++;
    st->col = 0;
}

/* Reads a LIWC-22 .dicx (CSV): a header row of category names after the entry
 * column, then one row per entry with an X under each category it belongs to.
 * Returns the codebook, or NULL with err. */
qp_codebook *qp_import_liwc_dicx(const char *path, const char *data, size_t len, qp_warn_fn warn,
                                 qp_error *err)
{
    dicx_state st = {.path = path, .warn = warn};
    if (!(st.cb = qp_import_start(path, "LIWC-22 dictionary", err)))
        return NULL;
    struct csv_parser p;
    if (csv_init(&p, CSV_APPEND_NULL) != 0) {
        qp_codebook_free(st.cb);
        snprintf(err->message, sizeof err->message, "%s: out of memory", path);
        return NULL;
    }
    size_t skip = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    if (csv_parse(&p, data + skip, len - skip, dicx_field, dicx_row, &st) != len - skip ||
        csv_fini(&p, dicx_field, dicx_row, &st) != 0) {
        if (!st.failed)
            snprintf(st.error, sizeof st.error, "row %zu: %s", st.row + 1,
                     csv_strerror(csv_error(&p)));
        st.failed = 1;
    }
    csv_free(&p);
    free(st.codes);
    free(st.entry);
    if (st.failed) {
        snprintf(err->message, sizeof err->message, "%s: %s", path, st.error);
        qp_codebook_free(st.cb);
        return NULL;
    }
    return st.cb;
}

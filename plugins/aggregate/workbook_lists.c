/* workbook_lists.c - the workbook's long sheets: co-occurrence, terms, quotes,
 * skipped documents and provenance (see workbook.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "terms.h"
#include "xlsx_sheet.h"

void cooccurrence_sheet(sheet *s, const json_t *result)
{
    static const char *const header[] = {"unit", "code_a", "code_b", "count", "jaccard"};
    static const char *const units[] = {"documents", "segments"};
    begin_sheet(s, "cooccurrence", header, sizeof header / sizeof *header);
    const json_t *co = json_object_get(result, "cooccurrence");
    for (size_t u = 0; u < 2 && !s->error; u++) {
        const json_t *matrix = json_object_get(co, units[u]);
        size_t n_a, n_b;
        const char **as = sorted_keys(matrix, &n_a);
        for (size_t a = 0; as && a < n_a; a++) {
            const json_t *row = json_object_get(matrix, as[a]);
            const char **bs = sorted_keys(row, &n_b);
            for (size_t b = 0; bs && b < n_b; b++) {
                put_text(s, units[u]);
                put_text(s, as[a]);
                put_text(s, bs[b]);
                put_member(s, json_object_get(row, bs[b]), "count");
                put_member(s, json_object_get(row, bs[b]), "jaccard");
                end_row(s);
            }
            free(bs);
        }
        free(as);
    }
}

void terms_sheet(sheet *s, const json_t *result, const code_list *codes)
{
    static const char *const header[] = {"code", "rule", "term", "hits", "share"};
    begin_sheet(s, "terms", header, sizeof header / sizeof *header);
    const json_t *all = json_object_get(result, "codes");
    for (size_t c = 0; c < codes->n && !s->error; c++) {
        const json_t *code = json_object_get(all, codes->ids[c]);
        json_int_t own = json_integer_value(json_object_get(code, "hits"));
        size_t n;
        term_row *rows = terms_sorted(code, &n);
        for (size_t i = 0; rows && i < n; i++) {
            put_text(s, codes->ids[c]);
            put_text(s, rows[i].rule);
            put_text(s, rows[i].term);
            put_number(s, (double)rows[i].hits);
            put_number(s, own ? (double)rows[i].hits / (double)own : 0.0);
            end_row(s);
        }
        free(rows);
    }
}

void quotes_sheet(sheet *s, const json_t *result, const code_list *codes)
{
    static const char *const header[] = {"code", "doc", "start", "end", "speaker", "rule", "text"};
    begin_sheet(s, "quotes", header, sizeof header / sizeof *header);
    const json_t *all = json_object_get(result, "codes");
    for (size_t c = 0; c < codes->n && !s->error; c++) {
        size_t i;
        json_t *q;
        json_array_foreach(json_object_get(json_object_get(all, codes->ids[c]), "quotes"), i, q)
        {
            put_text(s, codes->ids[c]);
            put_text(s, json_string_value(json_object_get(q, "doc")));
            put_member(s, q, "start");
            put_member(s, q, "end");
            put_text(s, json_string_value(json_object_get(q, "speaker")));
            put_text(s, json_string_value(json_object_get(q, "rule")));
            put_text(s, json_string_value(json_object_get(q, "text")));
            end_row(s);
        }
    }
}

void skipped_sheet(sheet *s, const json_t *result)
{
    static const char *const header[] = {"id", "stage", "reason"};
    begin_sheet(s, "skipped", header, sizeof header / sizeof *header);
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(result, "skipped"), i, e)
    {
        put_text(s, json_string_value(json_object_get(e, "id")));
        put_text(s, json_string_value(json_object_get(e, "stage")));
        put_text(s, json_string_value(json_object_get(e, "reason")));
        end_row(s);
    }
}

/* Writes one provenance row: what it is about, which one, the field, its value
 * (a text, or compact JSON for anything else). */
static void provenance_row(sheet *s, const char *kind, const char *name, const char *field,
                           const json_t *value)
{
    put_text(s, kind);
    put_text(s, name);
    put_text(s, field);
    if (json_is_string(value)) {
        put_text(s, json_string_value(value));
    } else {
        char *text =
            value ? json_dumps(value, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY) : NULL;
        put_text(s, text ? text : "");
        free(text);
    }
    end_row(s);
}

void provenance_sheet(sheet *s, const json_t *result)
{
    static const char *const header[] = {"kind", "name", "field", "value"};
    static const char *const book_fields[] = {"version", "citation", "source", "sha256"};
    begin_sheet(s, "provenance", header, sizeof header / sizeof *header);
    const json_t *prov = json_object_get(result, "provenance");
    provenance_row(s, "qualpipe", "", "version", json_object_get(prov, "qualpipe_version"));
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(prov, "codebooks"), i, e)
    {
        const char *name = json_string_value(json_object_get(e, "name"));
        for (size_t k = 0; k < sizeof book_fields / sizeof *book_fields; k++)
            if (json_object_get(e, book_fields[k]))
                provenance_row(s, "codebook", name, book_fields[k],
                               json_object_get(e, book_fields[k]));
    }
    json_array_foreach(json_object_get(prov, "stages"), i, e)
    {
        const char *name = json_string_value(json_object_get(e, "name"));
        provenance_row(s, "stage", name, "version", json_object_get(e, "version"));
        if (json_object_size(json_object_get(e, "options")))
            provenance_row(s, "stage", name, "options", json_object_get(e, "options"));
    }
    const json_t *totals = json_object_get(result, "totals");
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)totals, key, v) provenance_row(s, "totals", "", key, v);
}

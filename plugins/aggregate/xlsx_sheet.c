/* xlsx_sheet.c - a sheet written row by row (see xlsx_sheet.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "xlsx_sheet.h"

/* Writes the header row of the current part. */
static void put_header(sheet *s)
{
    for (size_t i = 0; i < s->n_header && !s->error; i++)
        s->error = worksheet_write_string(s->ws, 0, (lxw_col_t)i, s->header[i], s->bold);
    s->row = 1;
    s->col = 0;
}

/* Starts sheet `name` with the header cells given (n of them). */
void begin_sheet(sheet *s, const char *name, const char *const *header, size_t n)
{
    s->name = name;
    s->header = header;
    s->n_header = n;
    s->part = 1;
    if (!s->error && !(s->ws = workbook_add_worksheet(s->book, name)))
        s->error = LXW_ERROR_MEMORY_MALLOC_FAILED;
    if (!s->error) {
        worksheet_freeze_panes(s->ws, 1, 0);
        put_header(s);
    }
}

/* Ends a row; a sheet full to Excel's limit goes on in "NAME (2)". */
void end_row(sheet *s)
{
    s->row++;
    s->col = 0;
    if (s->row < LXW_ROW_MAX || s->error)
        return;
    char name[48]; /* Excel allows 31 characters: 20, " (", a few digits, ")" */
    snprintf(name, sizeof name, "%.20s (%d)", s->name, ++s->part);
    if (!(s->ws = workbook_add_worksheet(s->book, name)))
        s->error = LXW_ERROR_MEMORY_MALLOC_FAILED;
    else
        put_header(s);
}

/* Writes a text cell (cut at a character boundary when Excel cannot hold it). */
void put_text(sheet *s, const char *text)
{
    if (s->error)
        return;
    text = text ? text : "";
    size_t len = strlen(text);
    if (len <= CELL_MAX) {
        s->error = worksheet_write_string(s->ws, s->row, s->col++, text, NULL);
        return;
    }
    size_t n = CELL_MAX;
    while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
        n--;
    char *head = strndup(text, n);
    s->error = head ? worksheet_write_string(s->ws, s->row, s->col++, head, NULL)
                    : LXW_ERROR_MEMORY_MALLOC_FAILED;
    free(head);
    s->cut++;
}

void put_number(sheet *s, double v)
{
    if (!s->error)
        s->error = worksheet_write_number(s->ws, s->row, s->col++, v, NULL);
}

/* Writes member `key` of obj as a number, or an empty cell when it has none. */
void put_member(sheet *s, const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    if (json_is_number(v))
        put_number(s, json_number_value(v));
    else
        s->col++;
}

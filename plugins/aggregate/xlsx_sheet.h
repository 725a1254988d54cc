/* xlsx_sheet.h - writing a workbook's sheets row by row (libxlsxwriter's
 * constant-memory mode writes each sheet in order), shared by the sheets of
 * workbook.c and workbook_lists.c. A failure is kept in the sheet and every
 * later call does nothing, so a sheet is written without a check per cell. */
#ifndef QP_XLSX_SHEET_H
#define QP_XLSX_SHEET_H

#include <jansson.h>
#include <xlsxwriter.h>

#include "keys.h"

#define CELL_MAX 32767 /* Excel's longest text in a cell */

typedef struct sheet {
    lxw_workbook *book;
    lxw_worksheet *ws;
    lxw_format *bold;
    const char *name;
    const char *const *header;
    size_t n_header;
    int part; /* 1, then 2... when a sheet outgrows Excel's rows */
    lxw_row_t row;
    lxw_col_t col;
    lxw_error error; /* the first failure */
    size_t cut;      /* texts cut to CELL_MAX */
} sheet;

/* The ids of the codes in codebook order, with the codebook of each. */
typedef struct code_list {
    const char **ids, **books;
    size_t n;
} code_list;

/* Fills c from the result's provenance. Returns 0, or -1 when out of memory. */
int list_codes(const json_t *result, code_list *c);

/* Starts sheet `name` with the n header cells given (borrowed until the next
 * begin_sheet). */
void begin_sheet(sheet *s, const char *name, const char *const *header, size_t n);
/* Ends a row; a sheet full to Excel's limit goes on in "NAME (2)". */
void end_row(sheet *s);
/* Writes a text cell, cut at a character boundary when Excel cannot hold it. */
void put_text(sheet *s, const char *text);
void put_number(sheet *s, double v);
/* Writes member `key` of obj as a number, or an empty cell when it has none. */
void put_member(sheet *s, const json_t *obj, const char *key);

/* The sheets after the documents (workbook.c, workbook_lists.c). */
void codes_sheet(sheet *s, const json_t *result, const code_list *codes);
void groups_sheet(sheet *s, const json_t *result, const code_list *codes);
void tests_sheet(sheet *s, const json_t *result, const code_list *codes);
void cooccurrence_sheet(sheet *s, const json_t *result);
void terms_sheet(sheet *s, const json_t *result, const code_list *codes);
void quotes_sheet(sheet *s, const json_t *result, const code_list *codes);
void skipped_sheet(sheet *s, const json_t *result);
void provenance_sheet(sheet *s, const json_t *result);

#endif

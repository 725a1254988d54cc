/* csvcell.h - writing the cells of the CSV tables (--format csv, --hits): text
 * quoted by libcsv and, unless asked not to, kept from being read as a formula
 * by a spreadsheet. */
#ifndef QP_CSVCELL_H
#define QP_CSVCELL_H

#include <stddef.h>
#include <stdio.h>

/* Writes s[0, len) as one quoted cell, then a comma or (last) the line end.
 * With `guard`, a cell that starts with = + - @, a tab or a carriage return
 * gets a leading ' (as OWASP recommends against CSV injection), so that Excel
 * and LibreOffice show it as text instead of running it. Returns 0, or -1 on a
 * write error (errno set) or when out of memory. */
int csv_text(FILE *f, const char *s, size_t len, int last, int guard);

/* Writes n, then a comma or (last) the line end. Returns 0, or -1. */
int csv_number(FILE *f, unsigned long long n, int last);

#endif

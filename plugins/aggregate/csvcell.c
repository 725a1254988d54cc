/* csvcell.c - the cells of the CSV tables (see csvcell.h). */
#include "config.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "csvcell.h"

/* Returns 1 when a spreadsheet would take a cell starting this way for a
 * formula. */
static int starts_formula(const char *s, size_t len)
{
    return len && s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
}

int csv_text(FILE *f, const char *s, size_t len, int last, int guard)
{
    int rc;
    if (guard && starts_formula(s, len)) {
        char *marked = malloc(len + 1);
        if (!marked)
            return -1;
        marked[0] = '\'';
        memcpy(marked + 1, s, len);
        rc = csv_fwrite(f, marked, len + 1);
        free(marked);
    } else {
        rc = csv_fwrite(f, s, len);
    }
    return rc == 0 && fputc(last ? '\n' : ',', f) != EOF ? 0 : -1;
}

int csv_number(FILE *f, unsigned long long n, int last)
{
    return fprintf(f, "%llu%c", n, last ? '\n' : ',') < 0 ? -1 : 0;
}

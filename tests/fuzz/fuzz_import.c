/* fuzz_import.c - the dictionary importers, one format a run: FUZZ_FORMAT names
 * it by extension (FUZZ_FORMAT=dic, dicx, cat, tsv, qdc, lc3, ykd or yml), as
 * tests/fuzz/run.sh sets it. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "codebook/import.h"
#include "fuzz.h"

static char fuzz_path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *format = getenv("FUZZ_FORMAT");
    if (!format || snprintf(fuzz_path, sizeof fuzz_path, "fuzz.%s", format) >= 60 ||
        !qp_import_format_known(fuzz_path)) {
        fprintf(stderr, "fuzz_import: set FUZZ_FORMAT to a dictionary extension (dic, cat...)\n");
        exit(2);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size); /* the importers get a whole file, as read */
    qp_error err = {{0}};
    qp_codebook_free(qp_import_text(fuzz_path, text, size, fuzz_quiet, &err));
    free(text);
    return 0;
}

/* fuzz_import.c - one dictionary importer (IMPORTER, built once per format with
 * -DIMPORTER=qp_import_liwc_dic and a file name FUZZ_PATH for its messages). */
#include "config.h"

#include "codebook/import.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size); /* the importers get a whole file, as read */
    qp_error err = {{0}};
    qp_codebook_free(IMPORTER(FUZZ_PATH, text, size, fuzz_quiet, &err));
    free(text);
    return 0;
}

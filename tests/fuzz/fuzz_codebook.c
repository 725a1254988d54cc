/* fuzz_codebook.c - a qualpipe JSON codebook: parsing, every pattern compiled,
 * and the matcher's index built over them. */
#include "config.h"

#include "codebook/codebook.h"
#include "fuzz.h"
#include "../../plugins/code/matcher.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    qp_error err = {{0}};
    qp_codebook *cb = qp_codebook_parse_json("fuzz.json", (const char *)data, size, &err);
    if (cb)
        matcher_free(matcher_new(cb));
    qp_codebook_free(cb);
    return 0;
}

/* fuzz_qdpx.c - REFI-QDA projects (.qdpx) as agree and codebook import read
 * them: the zip, project.qde, its users, codes, sources and selections, and the
 * code tree made a codebook. */
#include "config.h"

#include <stdlib.h>

#include "codebook/import.h"
#include "fuzz.h"
#include "refi/qdpx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    qdpx_project p;
    qp_error err = {{0}};
    if (qdpx_project_read("fuzz.qdpx", (const char *)data, size, (size_t)16 << 20, &p, &err) < 0)
        return 0;
    json_t *order = json_array();
    qp_codebook_free(qp_import_project_codes("fuzz.qdpx", qdpx_project_root(&p), order, &err));
    json_decref(order);
    for (size_t i = 0; i < p.n_codings; i++) { /* positions as agree converts them */
        const qdpx_source *s = &p.sources[p.codings[i].source];
        if (s->text)
            qdpx_byte_offset(s->text, s->text_len, p.codings[i].end, p.crlf_one_char);
    }
    qdpx_project_free(&p);
    return 0;
}

/* fuzz_jsonl.c - one JSON Lines record: the fast scanner, and the full parse
 * into a document that records between stages get. */
#include "config.h"

#include <jansson.h>

#include "core/doc.h"
#include "core/record.h"
#include "fuzz.h"
#include "../../plugins/read/jsonl_scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *line = fuzz_text(data, size);
    jsonl_record rec;
    if (jsonl_scan(line, size, &rec) == 0)
        free(rec.text);
    json_t *v = json_loadb(line, size, JSON_REJECT_DUPLICATES, NULL);
    if (v && json_is_object(v) && !qp_is_header(v)) {
        const char *why = NULL;
        char why_buf[512];
        qp_doc_free(qp_record_from_json(v, "fuzz:1", &why, why_buf, sizeof why_buf));
    }
    json_decref(v);
    free(line);
    return 0;
}

/* fuzz_chain.c - raw text through segment, tokenise and code as the stages do
 * it: the text check, sentences (and paragraphs), tokens, and every pattern kind
 * of a fixed codebook (words, globs, phrases, proximity, a regex, negation,
 * exclusions). */
#include "config.h"

#include "codebook/codebook.h"
#include "core/doc.h"
#include "fuzz.h"
#include "util/text.h"
#include "../../plugins/code/matcher.h"
#include "../../plugins/segment/sentences.h"

static const char book[] =
    "{\"qualpipe_codebook\":1,\"name\":\"fuzz\",\"version\":\"1\",\"codes\":["
    "{\"id\":\"trust\",\"patterns\":[\"trust*\",\"rely on\",\"faith NEAR/3 leader*\",\"data "
    "BEFORE/2 use\"],"
    "\"exclude\":[\"trust fund\"],\"negation\":{\"mode\":\"drop\",\"window\":3}},"
    "{\"id\":\"data\",\"patterns\":[\"data\",\"shared dat?\",\"/\\\\bdata[- ]use\\\\b/\"],"
    "\"codes\":[{\"id\":\"tools\",\"patterns\":[\"dashboard*\",\"spread sheet*\"]}]},"
    "{\"id\":\"ecole\",\"patterns\":[\"école*\",\"naïve\"],\"case_sensitive\":true}]}";

static qp_codebook *cb;
static matcher *m;
static match_scratch *scratch;

/* Adds one sentence as a segment of the document. */
static int add_unit(void *doc, size_t start, size_t end)
{
    return qp_doc_add_segment(doc, (uint32_t)start, (uint32_t)end, NULL) != QP_OK;
}

static int add_hit(void *doc, const qp_hit *hit)
{
    return qp_doc_add_hit(doc, hit);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!cb) {
        qp_error err = {{0}};
        cb = qp_codebook_parse_json("fuzz.json", book, sizeof book - 1, &err);
        m = cb ? matcher_new(cb) : NULL;
        scratch = match_scratch_new(10);
        if (!cb || !m || !scratch)
            abort(); /* the fixed codebook must load */
    }
    size_t bad;
    const char *why;
    if (size > UINT32_MAX / 2 || qp_text_check((const char *)data, size, &bad, &why) < 0)
        return 0; /* the read stage skips such a document */
    char *text = fuzz_text(data, size);
    qp_text_lone_cr_to_lf(text, size);
    qp_doc *doc = qp_doc_new("fuzz");
    if (!doc || qp_doc_take_text(doc, text, size) != QP_OK)
        abort();
    int half = size && (data[0] & 1); /* paragraphs or sentences, as --unit says */
    (half ? qp_split_paragraphs : qp_split_sentences)(doc->text, 0, size, add_unit, doc);
    uint32_t *spans = NULL;
    size_t cap = 0;
    long n = qp_tokens_all(doc->text, size, &spans, &cap);
    if (n > 0)
        qp_doc_add_tokens(doc, (const qp_span *)spans, (size_t)n);
    free(spans);
    qp_error err = {{0}};
    matcher_run(m, scratch, NULL, doc, add_hit, doc, &err);
    qp_doc_free(doc);
    return 0;
}

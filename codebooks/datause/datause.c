/*
 * datause.c - an example codebook plugin: how school teams talk about using data.
 *
 * Copy this file to start a codebook of your own. It shows both things a codebook
 * plugin can do: define codes and patterns in C (the same pattern language as a
 * JSON codebook), and add a matcher of its own for what patterns cannot express,
 * here figures quoted as evidence ("42%", "3 out of 10").
 *
 * Build a copy outside the qualpipe tree with:
 *   cc -shared -fPIC $(pkg-config --cflags qualpipe) -o codebook_mine.so mine.c
 * and use it with:  qualpipe run -c ./codebook_mine.so corpus/
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <qualpipe/codebook.h>

/* Each code: id, parent (NULL for top level), label, definition, patterns. */
typedef struct code_def {
    const char *id, *parent, *label, *definition;
    const char *patterns[12];
    const char *exclusions[4];
} code_def;

static const code_def codes[] = {
    {"data_use", NULL, "Data use", "Talk about using evidence to make decisions.", {NULL}, {NULL}},
    {"data_sources",
     "data_use",
     "Data sources",
     "Naming the kinds of data a team looks at.",
     {"data", "assessment*", "survey*", "attendance", "test scores", "/\\bdashboards?\\b/", NULL},
     {"data entry", NULL}},
    {"data_routines",
     "data_use",
     "Data routines",
     "Regular, shared practices for looking at data together.",
     {"data meeting*", "data team*", "look* at the data", "inquiry cycle*", "PDSA", NULL},
     {NULL}},
    {"quantified_evidence",
     "data_use",
     "Quantified evidence",
     "A figure quoted as evidence: a percentage or an 'N out of M' count (found by this "
     "plugin's own matcher).",
     {NULL},
     {NULL}},
};

/* Defines the codes and their patterns. Returns QP_OK, or the api's error. */
static int datause_define(const qp_codebook_api *api, qp_codebook_builder *b, qp_error *err)
{
    (void)err;
    int rc = api->set_info(b, "Data use (example plugin)", "1.0.0",
                           "Example codebook plugin shipped with qualpipe.");
    for (size_t i = 0; rc == QP_OK && i < sizeof codes / sizeof codes[0]; i++) {
        const code_def *c = &codes[i];
        rc = api->add_code(b, c->parent, c->id, c->label, c->definition);
        for (size_t k = 0; rc == QP_OK && c->patterns[k]; k++)
            rc = api->add_pattern(b, c->id, c->patterns[k]);
        for (size_t k = 0; rc == QP_OK && c->exclusions[k]; k++)
            rc = api->add_exclusion(b, c->id, c->exclusions[k]);
    }
    return rc;
}

/* This matcher keeps no state, but one instance per code stage is made so a
 * matcher that does (a model, a cache) needs no global variables. */
static int datause_match_create(void **matcher, qp_error *err)
{
    (void)err;
    *matcher = NULL;
    return QP_OK;
}

/* Returns 1 when token t of doc is all ASCII digits. */
static int is_number(const qp_doc *doc, size_t t)
{
    for (uint32_t i = doc->tokens[t].start; i < doc->tokens[t].end; i++)
        if (doc->text[i] < '0' || doc->text[i] > '9')
            return 0;
    return 1;
}

/* Returns 1 when token t of doc is the word w (ASCII, any case). */
static int is_word(const qp_doc *doc, size_t t, const char *w)
{
    size_t n = doc->tokens[t].end - doc->tokens[t].start;
    return n == strlen(w) && strncasecmp(doc->text + doc->tokens[t].start, w, n) == 0;
}

/* Adds a quantified_evidence hit for "N%", "N percent" and "N out of M". Returns
 * QP_OK, or the error `add` returned. */
static int datause_match(void *matcher, const qp_doc *doc, qp_hit_fn add, void *sink, qp_error *err)
{
    (void)matcher;
    (void)err;
    for (size_t t = 0; t < doc->n_tokens; t++) {
        if (!is_number(doc, t))
            continue;
        uint32_t start = doc->tokens[t].start, end = doc->tokens[t].end;
        int rc = QP_OK;
        if (end < doc->text_len && doc->text[end] == '%')
            rc = add(sink, "quantified_evidence", "N%", start, end + 1);
        else if (t + 1 < doc->n_tokens && is_word(doc, t + 1, "percent"))
            rc = add(sink, "quantified_evidence", "N percent", start, doc->tokens[t + 1].end);
        else if (t + 3 < doc->n_tokens && is_word(doc, t + 1, "out") && is_word(doc, t + 2, "of") &&
                 is_number(doc, t + 3))
            rc = add(sink, "quantified_evidence", "N out of M", start, doc->tokens[t + 3].end);
        if (rc != QP_OK)
            return rc;
    }
    return QP_OK;
}

static void datause_match_destroy(void *matcher)
{
    free(matcher);
}

const qp_codebook_descriptor qualpipe_codebook_descriptor = {
    .abi_major = QP_CODEBOOK_ABI_MAJOR,
    .abi_minor = QP_CODEBOOK_ABI_MINOR,
    .name = "datause",
    .version = "1.0.0",
    .description = "example plugin: data sources, data routines, quantified evidence",
    .define = datause_define,
    .match_create = datause_match_create,
    .match = datause_match,
    .match_destroy = datause_match_destroy,
};

/* aggregate.c - the aggregate stage: its options, the codebook read from the
 * stream header, and the result written in the format asked for. The counting
 * is in count.c; rates and the codes without hits are derived from the sums at
 * the end (results/result.c), so shards merge. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qualpipe/stage.h>

#include "aggregate.h"
#include "output.h"
#include "result_files.h"
#include "terms.h"
#include "workbook.h"
#include "results/result.h"

static const char *const formats[] = {"json", "csv", "sqlite", "xlsx", NULL};
static const char *const values[] = {"count", "pct", "per1000", "units", NULL}; /* csv_values */

static const qp_option_spec aggregate_options[] = {
    {.name = "by",
     .flags = QP_OPT_REPEAT,
     .arg_name = "FIELD",
     .help = "also count per value of metadata field FIELD (e.g. role); FIELD,FIELD crosses "
             "fields (district,year)"},
    {.name = "hits",
     .flags = QP_OPT_OUTPUT_FILE | QP_OPT_JOINED_FILE,
     .arg_name = "FILE.csv",
     .help = "also write every hit to FILE.csv: doc, code, start, end, segment, speaker, rule, "
             "the --by fields, text"},
    {.name = "sqlite",
     .flags = QP_OPT_OUTPUT_FILE,
     .arg_name = "FILE.db",
     .help = "also write documents, metadata, segments, codes and hits to a SQLite database"},
    {.name = "terms",
     .flags = QP_OPT_OUTPUT_FILE | QP_OPT_PRESENTATION,
     .arg_name = "FILE.csv",
     .help = "also write the words that fired to FILE.csv: code, rule, term (the matched "
             "words, case folded), hits, share of the code's hits"},
    {.name = "report",
     .flags = QP_OPT_OUTPUT_FILE | QP_OPT_PRESENTATION,
     .arg_name = "FILE.html",
     .help = "also write a report to FILE.html, one page with everything inline (open it in "
             "any browser): totals, codes with bar charts by the first --by group, codes never "
             "found, the group tests, the co-occurrence heatmap, quotes, provenance"},
    {.name = "quotes",
     .type = QP_TYPE_INTEGER,
     .min = 0,
     .max = 1000,
     .default_value = "5",
     .arg_name = "K",
     .help = "keep up to K quotes per code, the first by document id and position (0: none)"},
    {.name = "format",
     .flags = QP_OPT_PRESENTATION,
     .type = QP_TYPE_ENUM,
     .choices = formats,
     .default_value = "json",
     .arg_name = "FORMAT",
     .help = "json; csv: one row per document, a column per code; sqlite: a database (with -o "
             "FILE.db); xlsx: an Excel workbook, a sheet each for documents, codes, groups, "
             "tests, co-occurrence, terms, quotes, skipped documents and provenance (with -o "
             "FILE.xlsx)"},
    {.name = "values",
     .flags = QP_OPT_PRESENTATION,
     .type = QP_TYPE_ENUM,
     .choices = values,
     .default_value = "count",
     .arg_name = "WHAT",
     .help = "what --format csv and --format xlsx put in each code's column: count (hits), "
             "pct (hits as a percentage of the document's tokens, as LIWC reports), per1000 "
             "(hits per 1,000 tokens) or units (units with the code)"},
    {.name = "csv-raw",
     .flags = QP_OPT_PRESENTATION,
     .type = QP_TYPE_FLAG,
     .help = "write CSV text cells exactly as they are; without it a cell starting with = + - "
             "or @ gets a leading ' so spreadsheets do not run it as a formula"},
    {.name = "compact",
     .flags = QP_OPT_PRESENTATION,
     .type = QP_TYPE_FLAG,
     .help = "write the JSON result on one line (as a Hadoop Streaming mapper must)"},
    {.name = "summary",
     .flags = QP_OPT_PRESENTATION,
     .type = QP_TYPE_FLAG,
     .help = "print a summary table on standard error (the default when standard output is a "
             "terminal)"},
    {.name = "quiet",
     .short_name = 'q',
     .flags = QP_OPT_PRESENTATION,
     .type = QP_TYPE_FLAG,
     .help = "print no summary, even on a terminal"},
    {0},
};

static void aggregate_destroy(void *ctx)
{
    aggregate_ctx *a = ctx;
    if (!a)
        return;
    for (size_t i = 0; i < a->n_by; i++) {
        for (size_t g = 0; g < a->by[i].n_groups; g++)
            free(a->by[i].groups[g].codes);
        free(a->by[i].groups);
        json_decref(a->by[i].index);
    }
    free(a->ids);
    free(a->labels);
    free(a->parent);
    free(a->has_children);
    free(a->codes);
    for (size_t c = 0; a->terms && c < a->n_codes; c++)
        json_decref(a->terms[c]);
    free(a->terms);
    qp_buf_free(&a->term_scratch);
    result_files_abort(&a->result_files);
    free(a->doc_hits);
    free(a->hit_code);
    free(a->doc_sub);
    free(a->doc_segs);
    free(a->last_seg);
    free(a->last_sub_seg);
    free(a->doc_sub_segs);
    free(a->pairs);
    free(a->segs);
    cooccur_free(&a->co);
    quotes_free(&a->quotes);
    tables_abort(&a->tables);
    json_decref(a->codebooks);
    json_decref(a->code_index);
    json_decref(a->provenance);
    doctable_free(a->docs);
    json_decref(a->skipped);
    json_decref(a->dropped);
    json_decref(a->absorbed);
    free(a);
}

/* Checks that the output suits --format: a database needs -o FILE. Returns QP_OK,
 * or QP_ERR_USAGE with err saying what to give. */
static int check_format(const aggregate_ctx *a, int side_db, qp_error *err)
{
    if (a->format != FORMAT_SQLITE && a->format != FORMAT_XLSX)
        return QP_OK;
    if (!a->host->output || !a->host->output->path) {
        snprintf(err->message, sizeof err->message,
                 a->format == FORMAT_SQLITE
                     ? "--format sqlite: a database is a file; name it with -o FILE.db"
                     : "--format xlsx: a workbook is a file; name it with -o FILE.xlsx");
        return QP_ERR_USAGE;
    }
    if (a->format == FORMAT_XLSX)
        return QP_OK;
    if (side_db) {
        snprintf(err->message, sizeof err->message,
                 "--format sqlite: give either it or --sqlite FILE.db, not both");
        return QP_ERR_USAGE;
    }
    return QP_OK;
}

/* Returns QP_OK with an instance, QP_ERR_USAGE for too many --by or a format the
 * output cannot take, or QP_ERR_NOMEM. */
static int aggregate_create(const qp_host *host, const qp_option_value *opts, size_t n_opts,
                            void **ctx, qp_error *err)
{
    aggregate_ctx *a = calloc(1, sizeof *a);
    if (!a)
        return QP_ERR_NOMEM;
    a->host = host;
    a->quotes_k = 5;
    for (size_t i = 0; i < n_opts; i++) {
        const char *name = opts[i].name;
        if (strcmp(name, "quotes") == 0)
            a->quotes_k = (size_t)opts[i].number;
        else if (strcmp(name, "format") == 0)
            a->format = (int)opts[i].number;
        else if (strcmp(name, "values") == 0)
            a->values = (int)opts[i].number;
        a->compact |= strcmp(name, "compact") == 0;
        a->summary |= strcmp(name, "summary") == 0;
        a->quiet |= strcmp(name, "quiet") == 0;
        a->csv_raw |= strcmp(name, "csv-raw") == 0;
        if (strcmp(name, "by") != 0)
            continue;
        int dup = 0;
        for (size_t k = 0; k < a->n_by; k++)
            dup |= strcmp(a->by[k].name, opts[i].value) == 0;
        if (dup)
            continue;
        if (a->n_by == MAX_BY) {
            snprintf(err->message, sizeof err->message, "at most %d --by fields", MAX_BY);
            aggregate_destroy(a);
            return QP_ERR_USAGE;
        }
        a->by[a->n_by].name = opts[i].value;
        a->by[a->n_by].index = json_object();
        a->n_by++;
    }
    a->docs = doctable_new();
    a->skipped = json_array();
    a->dropped = json_object();
    const qp_option_value *hits = host->option(opts, n_opts, "hits");
    const qp_option_value *db = host->option(opts, n_opts, "sqlite");
    for (size_t b = 0; b < a->n_by; b++)
        a->by_names[b] = a->by[b].name;
    const qp_option_value *values_opt = host->option(opts, n_opts, "values");
    int rc = check_format(a, db != NULL, err);
    if (rc == QP_OK && values_opt && values_opt->given && a->format != FORMAT_CSV &&
        a->format != FORMAT_XLSX) {
        snprintf(err->message, sizeof err->message,
                 "--values says what --format csv or xlsx writes in each code's column: add "
                 "--format csv or xlsx (the JSON has every measure)");
        rc = QP_ERR_USAGE;
    }
    if (rc == QP_OK)
        rc = tables_open(&a->tables, hits ? hits->value : NULL,
                         a->format == FORMAT_SQLITE ? host->output->path
                         : db                       ? db->value
                                                    : NULL,
                         a->format == FORMAT_SQLITE, a->by_names, a->n_by, !a->csv_raw, err);
    if (rc == QP_OK)
        rc = result_files_open(&a->result_files, host, opts, n_opts, err);
    if (rc != QP_OK) {
        aggregate_destroy(a);
        return rc;
    }
    *ctx = a;
    return QP_OK;
}

/* Reads the code trees of every codebook in the stream header. Returns QP_OK,
 * QP_ERR_USAGE when the stream carries no codebook, or QP_ERR_NOMEM. */
static int aggregate_begin(void *ctx, json_t *header, qp_error *err)
{
    aggregate_ctx *a = ctx;
    json_t *books = json_object_get(header, "codebooks"), *book;
    size_t b;
    if (!json_is_array(books) || json_array_size(books) == 0) {
        snprintf(err->message, sizeof err->message,
                 "the input carries no codebook: put 'qualpipe stage code -c CODEBOOK' before "
                 "'qualpipe stage aggregate' (and keep the first line, the stream header, "
                 "when filtering with grep or jq)");
        return QP_ERR_USAGE;
    }
    a->codebooks = json_incref(books);
    json_array_foreach(books, b, book) a->n_codes +=
        json_array_size(json_object_get(book, "codes"));
    size_t n = a->n_codes ? a->n_codes : 1;
    a->ids = calloc(n, sizeof *a->ids);
    a->labels = calloc(n, sizeof *a->labels);
    a->parent = calloc(n, sizeof *a->parent);
    a->has_children = calloc(n, sizeof *a->has_children);
    a->codes = calloc(n, sizeof *a->codes);
    a->doc_hits = calloc(n, sizeof *a->doc_hits);
    a->doc_sub = calloc(n, sizeof *a->doc_sub);
    a->doc_segs = calloc(n, sizeof *a->doc_segs);
    a->doc_sub_segs = calloc(n, sizeof *a->doc_sub_segs);
    a->last_seg = calloc(n, sizeof *a->last_seg);
    a->last_sub_seg = calloc(n, sizeof *a->last_sub_seg);
    a->terms = calloc(n, sizeof *a->terms);
    for (size_t c = 0; a->terms && c < a->n_codes; c++)
        if (!(a->terms[c] = json_object()))
            return QP_ERR_NOMEM;
    a->code_index = json_object();
    json_t *provenance_books = json_array();
    if (!a->ids || !a->labels || !a->parent || !a->has_children || !a->codes || !a->doc_hits ||
        !a->doc_sub || !a->doc_segs || !a->doc_sub_segs || !a->last_seg || !a->last_sub_seg ||
        !a->terms || !a->code_index || !provenance_books) {
        json_decref(provenance_books);
        return QP_ERR_NOMEM;
    }
    size_t k = 0;
    json_array_foreach(books, b, book)
    {
        size_t i;
        json_t *c;
        json_array_foreach(json_object_get(book, "codes"), i, c)
        {
            a->ids[k] = json_string_value(json_object_get(c, "id"));
            a->labels[k] = json_string_value(json_object_get(c, "label"));
            if (!a->ids[k] || json_object_get(a->code_index, a->ids[k])) {
                snprintf(err->message, sizeof err->message,
                         "the stream header's codebooks are damaged or share code \"%s\"",
                         a->ids[k] ? a->ids[k] : "?");
                json_decref(provenance_books);
                return QP_ERR_USAGE;
            }
            json_object_set_new(a->code_index, a->ids[k], json_integer((json_int_t)k));
            /* A parent comes before its children: so no code is its own ancestor. */
            const char *parent = json_string_value(json_object_get(c, "parent"));
            json_t *p = parent ? json_object_get(a->code_index, parent) : NULL;
            if (parent && (!p || (size_t)json_integer_value(p) == k)) {
                snprintf(err->message, sizeof err->message,
                         "the stream header's codebooks are damaged: the parent \"%.200s\" of "
                         "code \"%.200s\" does not come before it",
                         parent, a->ids[k]);
                json_decref(provenance_books);
                return QP_ERR_USAGE;
            }
            a->parent[k] = p ? (long)json_integer_value(p) : -1;
            if (p)
                a->has_children[a->parent[k]] = 1;
            k++;
        }
        /* Provenance keeps the codebook's code ids, in codebook order. */
        json_t *info = json_deep_copy(book), *ids = json_array();
        json_array_foreach(json_object_get(book, "codes"), i, c)
            json_array_append(ids, json_object_get(c, "id"));
        json_object_set_new(info, "codes", ids);
        json_array_append_new(provenance_books, info);
    }
    if (cooccur_init(&a->co, a->n_codes) < 0 ||
        quotes_init(&a->quotes, a->n_codes, a->quotes_k) < 0)
        return QP_ERR_NOMEM;
    int rc = tables_codes(&a->tables, books, err);
    if (rc != QP_OK)
        return rc;
    a->provenance = json_pack("{s:O?, s:o, s:O}", "qualpipe_version",
                              json_object_get(header, "qualpipe_version"), "codebooks",
                              provenance_books, "stages", json_object_get(header, "stages"));
    return a->provenance ? QP_OK : QP_ERR_NOMEM;
}

/* Writes the result in the format asked for, then the summary when wanted.
 * Returns QP_OK, or QP_ERR_IO with errno kept. */
static int aggregate_write(void *ctx, const json_t *result, qp_error *err)
{
    aggregate_ctx *a = ctx;
    const qp_output *out = a->host->output;
    int rc = QP_OK;
    if (a->format == FORMAT_CSV)
        rc = output_write_csv(out->stream, result, a->docs, a->by_names, a->n_by, !a->csv_raw,
                              (enum csv_values)a->values, err);
    else if (a->format == FORMAT_JSON)
        rc = output_write_json(out->stream, result, a->docs, a->compact, err);
    else if (a->format == FORMAT_XLSX)
        rc = workbook_write(out->path, out->name, result, a->docs, a->by_names, a->n_by,
                            (enum csv_values)a->values, err);
    if (rc == QP_ERR_IO && !err->message[0])
        snprintf(err->message, sizeof err->message, "cannot write %s", out->name);
    if (rc != QP_OK)
        return rc;
    rc = result_files_write(&a->result_files, result, !a->csv_raw, a->n_by ? a->by_names[0] : NULL,
                            err);
    if (rc != QP_OK)
        return rc;
    if (a->summary || (!a->quiet && out->terminal)) {
        if (fflush(out->stream) != 0)
            return QP_ERR_IO;
        output_print_summary(stderr, result, out->name, a->n_by ? a->by_names[0] : NULL);
    }
    return QP_OK;
}

/* Moves the --hits CSV and the --sqlite database into place, just before the
 * host publishes the result. Returns QP_OK, or QP_ERR_IO with err. */
static int aggregate_publish(void *ctx, qp_error *err)
{
    aggregate_ctx *a = ctx;
    int rc = tables_publish(&a->tables, err);
    return rc == QP_OK ? result_files_publish(&a->result_files, err) : rc;
}

const qp_stage_descriptor qualpipe_stage_descriptor = {
    .abi_major = QP_STAGE_ABI_MAJOR,
    .abi_minor = QP_STAGE_ABI_MINOR,
    .kind = QP_STAGE_SINK,
    .name = STAGE,
    .version = PACKAGE_VERSION,
    .description = "counts hits per code, document and group into the JSON result",
    .options = aggregate_options,
    .create = aggregate_create,
    .begin = aggregate_begin,
    .process = aggregate_process,
    .finish = aggregate_finish,
    .destroy = aggregate_destroy,
    .write = aggregate_write,
    .publish = aggregate_publish,
    .absorb = aggregate_absorb,
};

/* runner.c - moving documents through a chain of stages, in memory or between
 * processes as JSON Lines, and keeping count of what was skipped. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "host.h"
#include "record.h"
#include "interrupt.h"
#include "runner.h"
#include "util/lines.h"

/* Returns 0 with the stage appended, or -1 when the chain is full. */
int qp_runner_add(qp_runner *r, const qp_stage_descriptor *desc, const char *path,
                  const qp_option_value *opts, size_t n_opts)
{
    if (r->n_stages == QP_MAX_STAGES)
        return -1;
    qp_stage_inst *s = &r->stages[r->n_stages++];
    memset(s, 0, sizeof *s);
    s->desc = desc;
    s->path = path;
    s->opts = opts;
    s->n_opts = n_opts;
    return 0;
}

/* The result of a command's own sink: an empty object. */
static int host_sink_finish(void *ctx, json_t **result, qp_error *err)
{
    (void)ctx, (void)err;
    *result = json_object();
    return *result ? QP_OK : QP_ERR_NOMEM;
}

int qp_runner_add_host_sink(qp_runner *r, const char *name, qp_sink_begin_fn begin,
                            qp_sink_fn process, void *ctx)
{
    r->host_sink = (qp_stage_descriptor){
        .abi_major = QP_STAGE_ABI_MAJOR,
        .abi_minor = QP_STAGE_ABI_MINOR,
        .kind = QP_STAGE_SINK,
        .name = name,
        .version = PACKAGE_VERSION,
        .begin = begin,
        .process = process,
        .finish = host_sink_finish,
    };
    if (qp_runner_add(r, &r->host_sink, "(qualpipe)", NULL, 0) < 0)
        return -1;
    r->stages[r->n_stages - 1].ctx = ctx;
    r->stages[r->n_stages - 1].host_owned = 1;
    return 0;
}

/* Returns the stage's options as JSON: a flag is true, a repeatable option an
 * array of strings, any other option a string. Operands (the inputs) are left
 * out, so that results of shards of one corpus can be merged. */
json_t *qp_stage_provenance(const qp_stage_inst *s)
{
    json_t *options = json_object();
    for (const qp_option_spec *spec = s->desc->options; options && spec && spec->name; spec++) {
        if (spec->flags & (QP_OPT_OPERANDS | QP_OPT_PRESENTATION))
            continue; /* inputs differ between shards of one corpus; results count them */
        int many = spec->flags & (QP_OPT_REPEAT | QP_OPT_OPERANDS);
        json_t *values = many ? json_array() : NULL;
        json_t *single = NULL;
        for (size_t i = 0; i < s->n_opts; i++) {
            if (strcmp(s->opts[i].name, spec->name) != 0 || !s->opts[i].given)
                continue;
            json_t *v = spec->type != QP_TYPE_FLAG ? json_string(s->opts[i].value) : json_true();
            if (many)
                json_array_append_new(values, v);
            else {
                json_decref(single);
                single = v;
            }
        }
        if (many && json_array_size(values))
            json_object_set_new(options, spec->name, values);
        else
            json_decref(values);
        if (single)
            json_object_set_new(options, spec->name, single);
    }
    return json_pack("{s:s, s:s, s:o}", "name", s->desc->name, "version",
                     s->desc->version ? s->desc->version : "", "options",
                     options ? options : json_object());
}

/* Records a stage's error as "STAGE: message" and returns the status. */
static int stage_failed(qp_runner *r, const qp_stage_inst *s, int status, const qp_error *e)
{
    snprintf(r->error.message, sizeof r->error.message, "%.64s: %.900s", s->desc->name,
             e->message[0] ? e->message : "failed");
    r->failed = 1;
    if (!r->failure)
        r->failure = status < 0 ? status : QP_ERR_PLUGIN;
    return status < 0 ? status : QP_ERR_PLUGIN;
}

/* Counts doc as skipped (or dropped) here when it became so in this process. */
static void count_skip(qp_runner *r, qp_stage_inst *s, const qp_doc *doc, int was_set_aside)
{
    if (was_set_aside)
        return;
    if (doc->skipped) {
        if (s)
            s->skipped++;
        r->counts.skipped_here++;
    } else if (doc->dropped_by && s) {
        s->dropped++;
    }
}

/* Passes doc through every stage after `from` and to the sink or the output, then
 * frees it. Returns QP_OK, QP_STOP when the output is closed, or an error. */
static int pass_on(qp_runner *r, size_t from, qp_doc *doc)
{
    int rc = QP_OK;
    for (size_t i = from; i < r->n_stages && rc == QP_OK; i++) {
        qp_stage_inst *s = &r->stages[i];
        if (qp_doc_set_aside(doc) && s->desc->kind != QP_STAGE_SINK)
            continue;
        int was_skipped = qp_doc_set_aside(doc);
        qp_error e = {{0}};
        int st = s->desc->process(s->ctx, doc, &e);
        if (st < 0)
            rc = stage_failed(r, s, st, &e);
        count_skip(r, s, doc, was_skipped);
    }
    if (rc == QP_OK) {
        r->counts.docs_seen++;
        r->counts.skipped_seen += doc->skipped != NULL;
        qp_stage_inst *last = &r->stages[r->n_stages - 1];
        if (last->desc->kind != QP_STAGE_SINK && qp_record_write(r->out, doc) < 0) {
            if (errno == EPIPE) {
                r->output_closed = 1;
                rc = QP_STOP;
            } else {
                snprintf(r->error.message, sizeof r->error.message, "cannot write the output: %s",
                         strerror(errno));
                r->failed = 1;
                if (!r->failure)
                    r->failure = QP_ERR_IO;
                rc = QP_ERR_IO;
            }
        }
    }
    qp_doc_report(doc);
    qp_doc_free(doc);
    return rc;
}

/* The host's emit: a source stage's document enters the chain after stage 0. */
int qp_runner_emit(qp_emitter *out, qp_doc *doc)
{
    qp_runner *r = (qp_runner *)out;
    if (r->skip_first && !r->failed) {
        /* Coded by the run this one resumes: the source only had to walk past it. */
        r->skip_first--;
        qp_doc_free(doc);
        return QP_OK;
    }
    if (qp_interrupted() && !r->failed) {
        snprintf(r->error.message, sizeof r->error.message, "interrupted");
        r->failed = 1;
        r->failure = QP_ERR_IO;
    }
    if (r->par && !r->failed)
        return qp_parallel_emit(r->par, doc);
    if (r->failed || r->output_closed) {
        qp_doc_free(doc);
        return r->output_closed ? QP_STOP : QP_ERR_PLUGIN;
    }
    if (doc->pending) {
        qp_error e = {{0}};
        int st = qp_stage_prepare(&r->stages[0], doc, &e);
        if (st != QP_OK) {
            qp_doc_free(doc);
            return stage_failed(r, &r->stages[0], st, &e);
        }
    }
    count_skip(r, &r->stages[0], doc, 0);
    return pass_on(r, 1, doc);
}

/* The longest line of a stream between stages that is read: a document of the
 * largest size --max-doc-bytes allows, with its tokens, segments and hits. */
#define STREAM_LINE_MAX ((size_t)1 << 30)

/* The JSON Lines input, and a line read ahead while looking for the header. */
typedef struct stream_in {
    line_reader lr;
    char *line;
    size_t len;
    int pending; /* what line_next returned for a line read ahead, not yet handled */
} stream_in;

/* Returns the next line of the input as line_next does, the read-ahead first. */
static int next_line(stream_in *in)
{
    if (in->pending) {
        int got = in->pending;
        in->pending = 0;
        return got;
    }
    line_block *block;
    return line_next(&in->lr, &in->line, &in->len, &block);
}

/* Hands on a document that only says why line `origin` could not be read.
 * Returns pass_on's status, or QP_ERR_NOMEM. */
static int pass_on_skipped(qp_runner *r, const char *origin, const char *why)
{
    qp_doc *doc = qp_doc_new(origin);
    if (!doc || qp_doc_set_id(doc, origin) != QP_OK) {
        qp_doc_free(doc);
        snprintf(r->error.message, sizeof r->error.message, "out of memory");
        return QP_ERR_NOMEM;
    }
    qp_doc_skip_report(doc, r->stages[0].desc->name, why);
    count_skip(r, NULL, doc, 0);
    return pass_on(r, 0, doc);
}

/* Handles one record line of the input. Returns QP_OK, QP_STOP, or an error. */
static int take_record(qp_runner *r, const char *line, size_t len, const char *origin)
{
    json_error_t jerr;
    json_t *v = json_loadb(line, len, 0, &jerr);
    if (v && qp_is_header(v)) {
        int same = json_equal(v, r->header);
        json_decref(v);
        if (same)
            return QP_OK;
        snprintf(r->error.message, sizeof r->error.message,
                 "%s: a second, different stream header: streams from different runs "
                 "cannot be mixed; run each on its own",
                 origin);
        return QP_ERR_USAGE;
    }
    if (!v) {
        char why[512];
        snprintf(why, sizeof why, "malformed JSON at column %d: %s", jerr.column, jerr.text);
        return pass_on_skipped(r, origin, why);
    }
    const char *why = NULL;
    char why_buf[512];
    qp_doc *doc = qp_record_from_json(v, origin, &why, why_buf, sizeof why_buf);
    json_decref(v);
    if (!doc) {
        snprintf(r->error.message, sizeof r->error.message, "out of memory");
        return QP_ERR_NOMEM;
    }
    int was_skipped = qp_doc_set_aside(doc);
    if (why)
        qp_doc_skip_report(doc, r->stages[0].desc->name, why);
    count_skip(r, NULL, doc, was_skipped);
    return pass_on(r, 0, doc);
}

/* Reads the JSON Lines input: the header (optional, first line) and the records.
 * A line too long, or binary data, is passed on as a skipped document, named
 * by line. Returns QP_OK or an error status with r->error filled. */
static int read_input(qp_runner *r, int header_only, stream_in *in)
{
    int got;
    while ((got = next_line(in)) > 0) {
        char origin[512];
        snprintf(origin, sizeof origin, "%s:%zu", r->in_name, in->lr.lineno);
        int rc = QP_OK;
        if (header_only && (got != 1 || in->len)) {
            json_t *v = got == 1 ? json_loadb(in->line, in->len, 0, NULL) : NULL;
            if (v && qp_is_header(v)) {
                json_decref(r->header);
                r->header = v;
            } else {
                json_decref(v);
                in->pending = got; /* not a header: handled below */
            }
            return QP_OK;
        }
        if (got == 3) {
            rc = pass_on_skipped(r, origin,
                                 "a NUL byte: binary data, not a JSON Lines stream; the rest "
                                 "of the input is not read");
            return rc == QP_STOP ? QP_OK : rc;
        }
        if (got == 2) {
            char why[128];
            snprintf(why, sizeof why,
                     "a line of %zu bytes, longer than the %zu a stream line may be", in->len,
                     STREAM_LINE_MAX);
            rc = pass_on_skipped(r, origin, why);
        } else if (in->len == 0) {
            continue;
        } else {
            rc = take_record(r, in->line, in->len, origin);
        }
        if (rc == QP_STOP)
            return QP_OK;
        if (rc != QP_OK)
            return rc;
    }
    if (got < 0) {
        snprintf(r->error.message, sizeof r->error.message, "%s: %s", r->in_name,
                 errno == EINTR ? "interrupted" : strerror(errno));
        return QP_ERR_IO;
    }
    return QP_OK;
}

/* Returns QP_OK once every document went through, or an error status. */
int qp_runner_run(qp_runner *r)
{
    int rc = QP_OK;
    stream_in in = {.pending = 0};
    line_reader_init(&in.lr, r->in ? fileno(r->in) : -1, STREAM_LINE_MAX);
    in.lr.stopped = qp_interrupted;
    for (size_t i = 0; i < r->n_stages && rc == QP_OK; i++) {
        qp_stage_inst *s = &r->stages[i];
        if (s->host_owned)
            continue;
        qp_error e = {{0}};
        int st = s->desc->create(r->host, s->opts, s->n_opts, &s->ctx, &e);
        if (st != QP_OK) {
            s->ctx = NULL;
            rc = stage_failed(r, s, st, &e);
        }
    }
    r->header = qp_header_new();
    if (rc == QP_OK && !r->header)
        rc = QP_ERR_NOMEM;
    int from_input = r->n_stages && r->stages[0].desc->kind != QP_STAGE_SOURCE;
    if (rc == QP_OK && from_input)
        rc = read_input(r, 1, &in);
    json_t *before[QP_MAX_STAGES] = {NULL};
    int parallel = r->jobs > 1 && !from_input && r->n_stages > 2 &&
                   r->stages[r->n_stages - 1].desc->kind == QP_STAGE_SINK;
    for (size_t i = 0; i < r->n_stages && rc == QP_OK; i++) {
        qp_stage_inst *s = &r->stages[i];
        if (parallel && !(before[i] = json_deep_copy(r->header)))
            rc = QP_ERR_NOMEM;
        json_t *stages = json_object_get(r->header, "stages");
        if (!json_is_array(stages)) {
            stages = json_array();
            json_object_set_new(r->header, "stages", stages);
        }
        json_array_append_new(stages, qp_stage_provenance(s));
        qp_error e = {{0}};
        int st = s->desc->begin ? s->desc->begin(s->ctx, r->header, &e) : QP_OK;
        if (st != QP_OK)
            rc = stage_failed(r, s, st, &e);
    }
    qp_stage_inst *last = &r->stages[r->n_stages - 1];
    if (rc == QP_OK && last->desc->kind != QP_STAGE_SINK && qp_header_write(r->out, r->header) < 0)
        r->output_closed = errno == EPIPE;
    if (rc == QP_OK && parallel) {
        rc = qp_parallel_start(&r->par, r->host, r->stages, r->n_stages, r->jobs, before,
                               &r->counts, &r->error);
        r->failed |= rc != QP_OK;
    }
    for (size_t i = 0; i < r->n_stages; i++)
        json_decref(before[i]);
    if (rc == QP_OK && !r->output_closed) {
        if (from_input) {
            rc = read_input(r, 0, &in);
        } else {
            qp_error e = {{0}};
            int st = r->stages[0].desc->produce(r->stages[0].ctx, (qp_emitter *)r, &e);
            int pst = r->par ? qp_parallel_finish(r->par, &r->error) : QP_OK;
            if (r->failed)
                rc = r->failure ? r->failure : QP_ERR_PLUGIN;
            else if (pst != QP_OK)
                rc = pst;
            else if (st < 0)
                rc = stage_failed(r, &r->stages[0], st, &e);
        }
    }
    line_reader_done(&in.lr);
    if (r->failed && rc == QP_OK)
        rc = r->failure ? r->failure : QP_ERR_PLUGIN;
    if (rc == QP_OK && last->desc->kind == QP_STAGE_SINK) {
        qp_error e = {{0}};
        int st = last->desc->finish(last->ctx, &r->result, &e);
        if (st != QP_OK)
            rc = stage_failed(r, last, st, &e);
    }
    if (rc == QP_ERR_NOMEM && !r->error.message[0])
        snprintf(r->error.message, sizeof r->error.message, "out of memory");
    return rc;
}

void qp_runner_free(qp_runner *r)
{
    qp_parallel_free(r->par);
    r->par = NULL;
    for (size_t i = 0; i < r->n_stages; i++)
        if (r->stages[i].ctx && !r->stages[i].host_owned)
            r->stages[i].desc->destroy(r->stages[i].ctx);
    json_decref(r->header);
    json_decref(r->result);
    r->header = r->result = NULL;
}

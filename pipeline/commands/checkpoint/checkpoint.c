/* checkpoint.c - setting up `run --checkpoint DIR` (see checkpoint.h): the
 * folder and its manifest, the parts a killed run left, and the options of the
 * sink instances the checkpoint makes. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../commands.h"
#include "parts.h"
#include "state.h"

/* Returns the spec of option `name` in specs, or NULL. */
static const qp_option_spec *spec_of(const qp_option_spec *specs, const char *name)
{
    for (; specs && specs->name; specs++)
        if (strcmp(specs->name, name) == 0)
            return specs;
    return NULL;
}

/* Returns the command line the checkpoint belongs to: every option given that
 * changes what the parts hold (not -j, -o, how the result is presented), with
 * the size and time of each input, and the part size. NULL when out of memory. */
static json_t *manifest_new(const qp_session *s, size_t every)
{
    static const char *const free_to_change[] = {"jobs", "output", "checkpoint", "plugin-dir",
                                                 NULL};
    json_t *options = json_array(), *inputs = json_array();
    for (size_t t = 0; t < s->n_tables && options && inputs; t++)
        for (size_t i = 0; i < s->parsed[t].n; i++) {
            const qp_option_value *v = &s->parsed[t].values[i];
            const qp_option_spec *spec = spec_of(s->tables[t].specs, v->name);
            int skip = !v->given || (spec && (spec->flags & QP_OPT_PRESENTATION));
            for (size_t k = 0; t == 0 && free_to_change[k]; k++)
                skip |= strcmp(v->name, free_to_change[k]) == 0;
            if (skip)
                continue;
            json_array_append_new(
                options, json_sprintf("%s.%s=%s", s->tables[t].owner ? s->tables[t].owner : "run",
                                      v->name, v->value));
            struct stat st;
            if (spec && (spec->flags & (QP_OPT_OPERANDS | QP_OPT_INPUT_FILE)) &&
                stat(v->value, &st) == 0)
                json_array_append_new(inputs, json_pack("{s:s, s:I, s:I}", "path", v->value,
                                                        "bytes", (json_int_t)st.st_size, "modified",
                                                        (json_int_t)st.st_mtime));
        }
    return json_pack("{s:i, s:s, s:I, s:o*, s:o*}", "qualpipe_checkpoint", 1, "qualpipe_version",
                     PACKAGE_VERSION, "documents_per_part", (json_int_t)every, "options", options,
                     "inputs", inputs);
}

/* Refuses what a checkpoint cannot resume: standard input (it cannot be read
 * again), a file the sink writes beside the result other than --hits, and a
 * result that is a database. Returns 0, or -1 after printing why. */
static int check_resumable(const qp_session *s)
{
    const qp_stage_inst *sink = &s->runner.stages[s->runner.n_stages - 1];
    if (sink->desc->kind != QP_STAGE_SINK || sink->desc->abi_minor < 3 || !sink->desc->absorb) {
        qp_errorf("run: --checkpoint: the sink %s cannot resume a run (it takes in no earlier "
                  "result)",
                  sink->desc->name);
        return -1;
    }
    for (size_t i = 0; i < s->parsed[1].n; i++) {
        const qp_option_value *v = &s->parsed[1].values[i];
        const qp_option_spec *spec = spec_of(s->tables[1].specs, v->name);
        if (spec && (spec->flags & QP_OPT_OPERANDS) && strcmp(v->value, "-") == 0) {
            qp_errorf("run: --checkpoint: standard input cannot be read again to resume; save it "
                      "to a file and name the file");
            return -1;
        }
    }
    size_t joined = 0;
    for (size_t i = 0; i < sink->n_opts; i++) {
        const qp_option_value *v = &sink->opts[i];
        const qp_option_spec *spec = spec_of(sink->desc->options, v->name);
        unsigned flags = spec ? spec->flags : 0;
        /* A joined table is joined from the parts'; a presentation file (the
         * report) is made from the final result; any other file cannot be. */
        joined += (flags & QP_OPT_JOINED_FILE) != 0;
        if ((flags & QP_OPT_OUTPUT_FILE) &&
            ((!(flags & (QP_OPT_JOINED_FILE | QP_OPT_PRESENTATION))) || joined > 1)) {
            qp_errorf("run: --checkpoint: --%s %s cannot be resumed part by part; run without "
                      "--checkpoint to write it",
                      v->name, v->value);
            return -1;
        }
    }
    /* The sink says whether its options allow it (absorb with no result). */
    void *probe = NULL;
    qp_error e = {{0}};
    int st = sink->desc->create(&s->host.pub, sink->opts, sink->n_opts, &probe, &e);
    if (st == QP_OK)
        st = sink->desc->absorb(probe, NULL, &e);
    if (probe)
        sink->desc->destroy(probe);
    if (st != QP_OK) {
        qp_errorf("run: --checkpoint: %s", e.message[0] ? e.message : "the sink cannot resume");
        return -1;
    }
    return 0;
}

/* Sets the option values of the part instances (presentation dropped, the
 * joined table into the folder) and of the final one (the joined table dropped:
 * the checkpoint joins the parts'). Returns 0, or -1 when out of memory. */
static int sink_options(qp_checkpoint *ck, const qp_stage_inst *sink)
{
    ck->part_opts = calloc(sink->n_opts + 1, sizeof *ck->part_opts);
    ck->final_opts = calloc(sink->n_opts + 1, sizeof *ck->final_opts);
    if (!ck->part_opts || !ck->final_opts)
        return -1;
    for (size_t i = 0; i < sink->n_opts; i++) {
        const qp_option_value *v = &sink->opts[i];
        const qp_option_spec *spec = spec_of(sink->desc->options, v->name);
        unsigned flags = spec ? spec->flags : 0;
        int joined = (flags & QP_OPT_JOINED_FILE) != 0;
        if (joined) {
            ck->hits = v->value;
            ck->joined_ext = v->name;
        } else {
            ck->final_opts[ck->n_final_opts++] = *v;
        }
        if (flags & QP_OPT_PRESENTATION)
            continue;
        if (joined)
            ck->part_hits = &ck->part_opts[ck->n_part_opts];
        ck->part_opts[ck->n_part_opts++] = *v;
    }
    return 0;
}

int ck_note_ids(qp_checkpoint *ck, const json_t *part, size_t k)
{
    const char *id;
    json_t *row;
    json_object_foreach((json_t *)json_object_get(part, "documents"), id, row)
    {
        if (ck_ids_add(&ck->ids, id, (uint32_t)k) < 0)
            return QP_ERR_NOMEM;
    }
    return QP_OK;
}

/* Returns the documents a part's result accounts for: coded, skipped, dropped. */
static size_t documents_of(const json_t *part)
{
    const json_t *totals = json_object_get(part, "totals");
    return (size_t)(json_integer_value(json_object_get(totals, "documents")) +
                    json_integer_value(json_object_get(totals, "skipped")) +
                    json_integer_value(json_object_get(totals, "dropped")));
}

/* Takes stock of the parts in the folder: the unbroken run of sound ones from
 * the first (with their hits files when the run writes hits); a damaged part and
 * those after it are removed, to be coded again. Returns 0, or -1 when out of
 * memory. */
static int take_stock(qp_checkpoint *ck)
{
    for (size_t k = 0;; k++) {
        int missing;
        qp_error err = {{0}};
        json_t *part = ck_part_load(ck->dir, k, &missing, &err);
        char *hits = ck->hits ? ck_part_path(ck->dir, k, ck->joined_ext) : NULL;
        if (part && hits && access(hits, R_OK) != 0) {
            snprintf(err.message, sizeof err.message, "%s: %s", hits, strerror(errno));
            json_decref(part);
            part = NULL;
        }
        free(hits);
        if (!part) {
            if (!missing)
                qp_errorf("run: --checkpoint: %s; coding its documents again", err.message);
            ck_parts_remove_from(ck->dir, k, ck->joined_ext);
            return 0;
        }
        int st = ck_note_ids(ck, part, k);
        ck->resumed += documents_of(part);
        ck->parts++;
        json_decref(part);
        if (st != QP_OK)
            return -1;
    }
}

qp_checkpoint *qp_checkpoint_start(qp_session *s, const char *dir, size_t every)
{
    if (check_resumable(s) < 0)
        return NULL;
    qp_checkpoint *ck = calloc(1, sizeof *ck);
    qp_stage_inst *sink = &s->runner.stages[s->runner.n_stages - 1];
    json_t *manifest = ck ? manifest_new(s, every) : NULL;
    qp_error err = {{0}};
    if (!ck || !manifest || !(ck->dir = strdup(dir)) || sink_options(ck, sink) < 0) {
        qp_errorf("out of memory");
        goto fail;
    }
    ck->sink = sink->desc;
    ck->host = &s->host;
    ck->part_host = s->host;
    qp_host_set_output(&ck->part_host, NULL, NULL, dir); /* each part's file, once written */
    ck->part_host.output.terminal = 0;
    ck->every = every;
    int rc = ck_dir_prepare(dir, &err) < 0 ? -1 : ck_manifest_check(dir, manifest, &err);
    if (rc != 0) {
        qp_errorf("run: --checkpoint: %s%s", err.message,
                  rc > 0 ? " (give another folder, or remove this one to start again)" : "");
        goto fail;
    }
    if (take_stock(ck) < 0) {
        qp_errorf("out of memory");
        goto fail;
    }
    json_decref(manifest);
    ck->desc = *sink->desc;
    ck->desc.create = NULL;
    ck->desc.destroy = NULL;
    ck->desc.begin = ck_sink_begin;
    ck->desc.process = ck_sink_process;
    ck->desc.finish = ck_sink_finish;
    ck->desc.write = ck_sink_write;
    ck->desc.publish = ck_sink_publish;
    ck->desc.absorb = NULL;
    sink->desc = &ck->desc;
    sink->ctx = ck;
    sink->host_owned = 1;
    s->runner.skip_first = ck->parts * every;
    if (ck->parts)
        qp_errorf("resuming from %s: %zu document%s coded before, in %zu part%s", dir, ck->resumed,
                  ck->resumed == 1 ? "" : "s", ck->parts, ck->parts == 1 ? "" : "s");
    return ck;
fail:
    json_decref(manifest);
    qp_checkpoint_free(ck);
    return NULL;
}

size_t qp_checkpoint_resumed(const qp_checkpoint *ck)
{
    return ck->resumed;
}

const char *qp_checkpoint_dir(const qp_checkpoint *ck)
{
    return ck->dir;
}

void qp_checkpoint_clear(qp_checkpoint *ck)
{
    ck_dir_clear(ck->dir);
}

void qp_checkpoint_free(qp_checkpoint *ck)
{
    if (!ck)
        return;
    if (ck->part)
        ck->sink->destroy(ck->part);
    if (ck->final)
        ck->sink->destroy(ck->final);
    if (ck->hits_out.fp || ck->hits_out.tmp_path)
        qp_atomic_abort(&ck->hits_out);
    ck_ids_free(&ck->ids);
    json_decref(ck->looked);
    json_decref(ck->header);
    free(ck->part_opts);
    free(ck->final_opts);
    free(ck->part_hits_path);
    free(ck->dir);
    free(ck);
}

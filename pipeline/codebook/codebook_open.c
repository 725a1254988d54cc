/* codebook_open.c - turning what -c names into a codebook: a JSON file, a shipped
 * codebook by name, or a codebook plugin defined through qp_codebook_api. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <qualpipe/stage.h>

#include "codebook.h"
#include "util/fileio.h"
#include "import.h"

struct qp_codebook_builder {
    qp_codebook *cb;
};

static int api_set_info(qp_codebook_builder *b, const char *name, const char *version,
                        const char *citation)
{
    qp_codebook *cb = b->cb;
    free(cb->name);
    free(cb->version);
    free(cb->citation);
    cb->name = strdup(name ? name : "");
    cb->version = strdup(version ? version : "");
    cb->citation = strdup(citation ? citation : "");
    if (!cb->name || !cb->version || !cb->citation) {
        snprintf(cb->error, sizeof cb->error, "out of memory");
        return QP_ERR_NOMEM;
    }
    return QP_OK;
}

static int api_add_code(qp_codebook_builder *b, const char *parent_id, const char *id,
                        const char *label, const char *definition)
{
    return qp_codebook_add_code(b->cb, parent_id, id, label, definition) < 0 ? QP_ERR_CODEBOOK
                                                                             : QP_OK;
}

/* Adds a pattern (exclusion when `exclusion`) to the code named code_id. */
static int add_to_code(qp_codebook_builder *b, const char *code_id, const char *pattern,
                       int exclusion)
{
    long code = qp_codebook_find(b->cb, code_id ? code_id : "");
    if (code < 0) {
        snprintf(b->cb->error, sizeof b->cb->error, "pattern \"%s\" for unknown code \"%s\"",
                 pattern ? pattern : "", code_id ? code_id : "");
        return QP_ERR_CODEBOOK;
    }
    return qp_codebook_add_pattern(b->cb, (size_t)code, pattern ? pattern : "", exclusion) < 0
               ? QP_ERR_CODEBOOK
               : QP_OK;
}

static int api_add_pattern(qp_codebook_builder *b, const char *code_id, const char *pattern)
{
    return add_to_code(b, code_id, pattern, 0);
}

static int api_add_exclusion(qp_codebook_builder *b, const char *code_id, const char *pattern)
{
    return add_to_code(b, code_id, pattern, 1);
}

static const qp_codebook_api builder_api = {
    .abi_major = QP_CODEBOOK_ABI_MAJOR,
    .abi_minor = QP_CODEBOOK_ABI_MINOR,
    .doc_abi_major = QP_STAGE_ABI_MAJOR,
    .doc_abi_minor = QP_STAGE_ABI_MINOR,
    .set_info = api_set_info,
    .add_code = api_add_code,
    .add_pattern = api_add_pattern,
    .add_exclusion = api_add_exclusion,
};

/* Returns the codebook the plugin defines, or NULL with err filled. */
qp_codebook *qp_codebook_from_plugin(const qp_codebook_descriptor *desc, const char *path,
                                     qp_error *err)
{
    qp_codebook *cb = qp_codebook_new();
    if (!cb) {
        snprintf(err->message, sizeof err->message, "%s: out of memory", path);
        return NULL;
    }
    qp_codebook_builder b = {cb};
    cb->plugin = desc;
    err->message[0] = '\0';
    int rc = desc->define ? desc->define(&builder_api, &b, err) : QP_ERR_PLUGIN;
    if (rc == QP_OK && cb->n_codes == 0) {
        snprintf(cb->error, sizeof cb->error, "it defined no codes");
        rc = QP_ERR_CODEBOOK;
    }
    if (rc == QP_OK && !cb->name) {
        rc = api_set_info(&b, desc->name, desc->version, "");
    }
    if (rc != QP_OK) {
        char why[1024];
        snprintf(why, sizeof why, "%s", cb->error[0] ? cb->error : err->message);
        snprintf(err->message, sizeof err->message, "%.400s: codebook plugin \"%.64s\": %.500s",
                 path, desc->name ? desc->name : "?", why[0] ? why : "define() failed");
        qp_codebook_free(cb);
        return NULL;
    }
    /* The module file identifies the codes and the matcher code together. */
    char *bytes;
    size_t len;
    qp_error ignored;
    if (qp_read_file(path, (size_t)1 << 30, &bytes, &len, &ignored) == 0) {
        qp_codebook_hash(cb, bytes, len);
        free(bytes);
    }
    cb->source = strdup(path);
    if (!cb->source) {
        snprintf(err->message, sizeof err->message, "%s: out of memory", path);
        qp_codebook_free(cb);
        return NULL;
    }
    return cb;
}

/* Returns 1 when s ends with suffix. */
static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Returns the codebook -c names, or NULL with err filled. Order: an existing file
 * (a module when it ends in .so or .la; a dictionary to import when it ends in
 * .dic, .dicx, .cat, .tsv or .qdc; else a JSON codebook), NAME.json in the
 * codebook folders, then a codebook plugin module called codebook_NAME. */
/* Finds the shipped codebook called name. Returns 1 with its file in path, or 0. */
static int shipped_codebook(const qp_host *host, const char *name, char *path, size_t size)
{
    if (strchr(name, '/'))
        return 0;
    /* Installed codebooks lie flat (DIR/NAME.json); in the source tree each has a
     * folder of its own with its README (DIR/NAME/NAME.json). */
    for (const char *const *dir = host->data_dirs; dir && *dir; dir++) {
        snprintf(path, size, "%s/codebooks/%s.json", *dir, name);
        if (access(path, F_OK) == 0)
            return 1;
        snprintf(path, size, "%s/codebooks/%s/%s.json", *dir, name, name);
        if (access(path, F_OK) == 0)
            return 1;
    }
    return 0;
}

/* Returns 1 when the file name ends in .json, or has no extension (a JSON
 * codebook saved without one). */
static int json_or_no_extension(const char *path)
{
    const char *base = strrchr(path, '/');
    const char *dot = strrchr(base ? base + 1 : path, '.');
    return !dot || dot == (base ? base + 1 : path) || strcasecmp(dot, ".json") == 0;
}

qp_codebook *qp_codebook_open(const qp_host *host, const char *spec, const char *encoding,
                              qp_error *err)
{
    int is_module = ends_with(spec, ".so") || ends_with(spec, ".la");
    char path[4096];
    if (!is_module && access(spec, F_OK) == 0) {
        if (shipped_codebook(host, spec, path, sizeof path))
            host->warn("code",
                       "-c %s: using the file %s in this folder, not the shipped codebook of "
                       "that name (%s); rename the file, or write -c ./%s to mean it",
                       spec, spec, path, spec);
        if (qp_import_format_known(spec))
            return qp_import(spec, encoding, host->warn, err);
        if (!json_or_no_extension(spec)) {
            char known[256];
            snprintf(err->message, sizeof err->message,
                     "%.300s: format not supported: -c takes qualpipe's .json codebooks, %s "
                     "dictionaries and .qdpx projects",
                     spec, qp_import_formats(known, sizeof known));
            return NULL;
        }
        return qp_codebook_load_file(spec, encoding, err);
    }
    if (!is_module && shipped_codebook(host, spec, path, sizeof path))
        return qp_codebook_load_file(path, NULL, err);
    const char *module = NULL;
    qp_error lerr;
    const qp_codebook_descriptor *desc = host->load_plugin(host, "codebook", spec, &module, &lerr);
    if (desc)
        return qp_codebook_from_plugin(desc, module, err);
    if (is_module || strchr(spec, '/'))
        snprintf(err->message, sizeof err->message, "%s", lerr.message);
    else
        snprintf(err->message, sizeof err->message,
                 "codebook \"%.200s\" not found: it is not a file, not a shipped codebook, "
                 "and %.600s. Give a path to a .json codebook, or see 'qualpipe plugins'",
                 spec, lerr.message);
    return NULL;
}

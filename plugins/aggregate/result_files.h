/* result_files.h - the files the aggregate writes from the result beside its
 * output: the terms table (--terms) and the HTML report (--report). Each is
 * opened when the stage is made (a path that cannot be written fails before a
 * document is read), written once the result is, and published with it, so the
 * outputs of a run appear together or not at all. */
#ifndef QP_RESULT_FILES_H
#define QP_RESULT_FILES_H

#include <jansson.h>
#include <qualpipe/plugin.h>

#include "util/fileio.h"

enum { RESULT_FILE_TERMS, RESULT_FILE_REPORT, N_RESULT_FILES };

typedef struct result_files {
    qp_atomic_file file[N_RESULT_FILES];
    int open[N_RESULT_FILES];
} result_files;

/* Opens the files the options ask for. Returns QP_OK, or QP_ERR_IO with err. */
int result_files_open(result_files *f, const qp_host *host, const qp_option_value *opts,
                      size_t n_opts, qp_error *err);

/* Writes each open file from `result` (with csv_guard, CSV text cells a
 * spreadsheet would run as formulas are marked; `by`: the field the report
 * groups by, or NULL) and writes it out under its temporary name. Returns
 * QP_OK, or QP_ERR_IO with err naming the file. */
int result_files_write(result_files *f, const json_t *result, int csv_guard, const char *by,
                       qp_error *err);

/* Moves the written files into place. Returns QP_OK, or QP_ERR_IO with err. */
int result_files_publish(result_files *f, qp_error *err);

/* Removes whatever was not published. */
void result_files_abort(result_files *f);

#endif

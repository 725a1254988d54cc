/* result_files.c - the terms table and the report (see result_files.h). */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "report.h"
#include "result_files.h"
#include "terms.h"

static const char *const option_of[N_RESULT_FILES] = {"terms", "report"};

int result_files_open(result_files *f, const qp_host *host, const qp_option_value *opts,
                      size_t n_opts, qp_error *err)
{
    memset(f, 0, sizeof *f);
    for (int k = 0; k < N_RESULT_FILES; k++) {
        const qp_option_value *v = host->option(opts, n_opts, option_of[k]);
        if (!v)
            continue;
        if (qp_atomic_open(&f->file[k], v->value, err) < 0)
            return QP_ERR_IO;
        f->open[k] = 1;
    }
    return QP_OK;
}

int result_files_write(result_files *f, const json_t *result, int csv_guard, const char *by,
                       qp_error *err)
{
    for (int k = 0; k < N_RESULT_FILES; k++) {
        if (!f->open[k])
            continue;
        errno = 0;
        int bad = k == RESULT_FILE_TERMS
                      ? terms_write_csv(f->file[k].fp, result, csv_guard) != QP_OK
                      : report_write(f->file[k].fp, result, by) < 0;
        if (bad) {
            snprintf(err->message, sizeof err->message, "%s: cannot write: %s",
                     f->file[k].final_path, strerror(errno ? errno : EIO));
            return QP_ERR_IO;
        }
        f->open[k] = 0; /* closed: published or removed below */
        if (qp_atomic_close(&f->file[k], err) < 0)
            return QP_ERR_IO;
        f->open[k] = 2;
    }
    return QP_OK;
}

int result_files_publish(result_files *f, qp_error *err)
{
    for (int k = 0; k < N_RESULT_FILES; k++) {
        if (f->open[k] != 2)
            continue;
        f->open[k] = 0;
        if (qp_atomic_publish(&f->file[k], err) < 0)
            return QP_ERR_IO;
    }
    return QP_OK;
}

void result_files_abort(result_files *f)
{
    for (int k = 0; k < N_RESULT_FILES; k++)
        if (f->open[k]) {
            qp_atomic_abort(&f->file[k]);
            f->open[k] = 0;
        }
}

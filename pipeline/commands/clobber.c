/* clobber.c - refusing a command line whose outputs would destroy its inputs or
 * each other: options flagged QP_OPT_OUTPUT_FILE against QP_OPT_INPUT_FILE ones,
 * in every table of the session, before anything is read or written. */
#include "config.h"

#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "session.h"

/* One file named on the command line. */
typedef struct named {
    const char *path;
    const char *option;
} named;

/* Collects every value of the options with `flag` into out (at most max). */
static size_t collect(const qp_session *s, uint32_t flag, named *out, size_t max)
{
    size_t n = 0;
    for (size_t t = 0; t < s->n_tables; t++)
        for (size_t i = 0; i < s->parsed[t].n; i++) {
            const qp_option_value *v = &s->parsed[t].values[i];
            for (const qp_option_spec *spec = s->tables[t].specs; spec && spec->name; spec++)
                if (strcmp(spec->name, v->name) == 0 && (spec->flags & flag) && v->given &&
                    strcmp(v->value, "-") != 0 && n < max)
                    out[n++] = (named){v->value, spec->name};
        }
    return n;
}

/* Writes where path is or would be, its folder resolved, into buf. Returns buf,
 * or the path as given when its folder does not exist. */
static const char *where(const char *path, char *buf, size_t size)
{
    char dir[PATH_MAX], base[PATH_MAX], real[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    snprintf(base, sizeof base, "%s", path);
    if (!realpath(dirname(dir), real))
        return path;
    snprintf(buf, size, "%s/%s", real, basename(base));
    return buf;
}

/* Returns 1 when a and b are the same existing file, or would be. */
static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    if (stat(a, &sa) == 0 && stat(b, &sb) == 0)
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    char ba[2 * PATH_MAX], bb[2 * PATH_MAX];
    return strcmp(where(a, ba, sizeof ba), where(b, bb, sizeof bb)) == 0;
}

/* Returns 1 when the output `out` is, or would be, a file below the folder `in`
 * (which the reader walks: the output, or its temporary file, would be read or
 * would replace what is read). */
static int inside_folder(const char *out, const char *in)
{
    struct stat st;
    char real[PATH_MAX], buf[2 * PATH_MAX];
    if (stat(in, &st) != 0 || !S_ISDIR(st.st_mode) || !realpath(in, real))
        return 0;
    const char *w = where(out, buf, sizeof buf);
    size_t n = strlen(real);
    return strncmp(w, real, n) == 0 && (w[n] == '/' || (n == 1 && real[0] == '/'));
}

/* Returns 1 when path exists and is not a regular file (written in place). */
static int special(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && !S_ISREG(st.st_mode);
}

int qp_session_check_files(const qp_session *s)
{
    named in[256], out[64];
    size_t n_in = collect(s, QP_OPT_INPUT_FILE, in, 256);
    size_t n_out = collect(s, QP_OPT_OUTPUT_FILE, out, 64);
    for (size_t o = 0; o < n_out; o++) {
        if (special(out[o].path))
            continue; /* a device or FIFO is written in place: nothing is replaced */
        for (size_t i = 0; i < n_in; i++)
            if (same_file(out[o].path, in[i].path)) {
                qp_errorf("%s: --%s %s is also an input (%s): writing it would replace what is "
                          "read; write it elsewhere",
                          s->command, out[o].option, out[o].path, in[i].option);
                return -1;
            }
        for (size_t i = 0; i < n_in; i++)
            if (inside_folder(out[o].path, in[i].path)) {
                qp_errorf("%s: --%s %s is inside the folder %s (%s), which is read: write it "
                          "elsewhere",
                          s->command, out[o].option, out[o].path, in[i].path, in[i].option);
                return -1;
            }
        for (size_t k = o + 1; k < n_out; k++)
            if (same_file(out[o].path, out[k].path)) {
                qp_errorf("%s: --%s and --%s both name %s: give each output a file of its own",
                          s->command, out[o].option, out[k].option, out[o].path);
                return -1;
            }
    }
    return 0;
}

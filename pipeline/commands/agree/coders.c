/* coders.c - who the codings of `qualpipe agree` are: each CODING operand is
 * one coder, or a REFI-QDA project one per user who coded in it, named by the
 * --coder names in order or by default by its path (PATH:USER for a project's). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "agree.h"
#include "codebook/import.h"
#include "core/host.h"
#include "util/grow.h"

/* Returns 1 when name is among names[0, n). */
static int name_taken_in(const char *const *names, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return 1;
    return 0;
}

/* Returns 1 when a coder before st->coders[upto] is called name. */
static int name_taken(const agree_state *st, size_t upto, const char *name)
{
    for (size_t j = 0; j < upto; j++)
        if (strcmp(st->coders[j].name, name) == 0)
            return 1;
    return 0;
}

/* Adds a coder reading `path` (project user `user` of `project`, or -1),
 * named `name` or, by default, `dflt`; the same name again gets #2, #3...
 * Returns 0, or -1 after printing why. */
static int add_coder(agree_state *st, const char *path, long project, long user, const char *name,
                     const char *dflt)
{
    if (qp_grow(&st->coders, &st->coders_cap, st->n_coders + 1, sizeof *st->coders, 8) < 0) {
        qp_errorf("out of memory");
        return -1;
    }
    coder *c = &st->coders[st->n_coders];
    memset(c, 0, sizeof *c);
    c->path = path;
    c->project = project;
    c->user = user;
    if (!name && !(c->own_name = strdup(dflt))) {
        qp_errorf("out of memory");
        return -1;
    }
    c->name = name ? name : c->own_name;
    for (unsigned n = 2; name_taken(st, st->n_coders, c->name); n++) {
        char *again;
        if (asprintf(&again, "%s#%u", dflt, n) < 0) {
            qp_errorf("out of memory");
            free(c->own_name);
            return -1;
        }
        free(c->own_name);
        c->name = c->own_name = again;
    }
    st->n_coders++;
    return 0;
}

/* Adds a coder for each user who coded text in the project at path, named by
 * the next --coder names or "PATH:USER". Returns 0, or -1 after printing why. */
static int add_project_coders(agree_state *st, const char *path, const char **names, size_t n_names,
                              size_t *k)
{
    qp_error err;
    long pi = project_open(st, path, &err);
    if (pi < 0) {
        qp_errorf("%s", err.message);
        return -1;
    }
    const project_file *pf = &st->projects[pi];
    long *users = malloc((pf->p.n_users + 1) * sizeof *users);
    if (!users) {
        qp_errorf("out of memory");
        return -1;
    }
    size_t n = project_coders(pf, users);
    if (!n)
        qp_errorf("agree: %s: the project holds no coded text selections", path);
    int rc = n ? 0 : -1;
    for (size_t i = 0; i < n && rc == 0; i++) {
        char *dflt;
        const char *who = users[i] >= 0 ? pf->p.users[users[i]].name : "(no user)";
        if (asprintf(&dflt, "%s:%s", path, who) < 0) {
            qp_errorf("out of memory");
            rc = -1;
            break;
        }
        rc = add_coder(st, path, pi, users[i], *k < n_names ? names[*k] : NULL, dflt);
        (*k)++;
        free(dflt);
    }
    free(users);
    return rc;
}

int name_coders(agree_state *st, const qp_parsed *own)
{
    const char **names = calloc(own->n + 1, sizeof *names);
    size_t n_names = 0, k = 0;
    if (!names) {
        qp_errorf("out of memory");
        return -1;
    }
    for (size_t i = 0; i < own->n; i++)
        if (strcmp(own->values[i].name, "coder") == 0) {
            if (name_taken_in(names, n_names, own->values[i].value)) {
                qp_errorf("agree: --coder %s: given twice; every coding needs a name of its own",
                          own->values[i].value);
                free(names);
                return -1;
            }
            names[n_names++] = own->values[i].value;
        }
    int rc = 0;
    for (size_t i = 0; i < own->n && rc == 0; i++) {
        const qp_option_value *v = &own->values[i];
        if (strcmp(v->name, "coding") != 0)
            continue;
        if (qp_import_is_qdpx(v->value)) {
            rc = add_project_coders(st, v->value, names, n_names, &k);
        } else {
            rc = add_coder(st, v->value, -1, -1, k < n_names ? names[k] : NULL, v->value);
            k++;
        }
    }
    free(names);
    if (rc < 0)
        return -1;
    if (n_names > st->n_coders) {
        qp_errorf("agree: %zu --coder names for %zu codings: give one name per coding, in the "
                  "order of the codings",
                  n_names, st->n_coders);
        return -1;
    }
    if (st->n_coders < 2) {
        qp_errorf("agree: give two or more codings to compare (try 'qualpipe agree --help')");
        return -1;
    }
    return 0;
}

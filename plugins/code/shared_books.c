/* shared_books.c - codebooks loaded once per process (see shared_books.h). */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "shared_books.h"

/* A loaded codebook, the spec and encoding it was opened by, and how many
 * instances use it. */
typedef struct entry {
    shared_book book; /* first, so a shared_book * is an entry * */
    char *spec, *encoding;
    size_t users;
    struct entry *next;
} entry;

static entry *entries;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* Frees a codebook nobody uses. */
static void free_entry(entry *e)
{
    matcher_free(e->book.m);
    qp_codebook_free(e->book.cb);
    free(e->spec);
    free(e->encoding);
    free(e);
}

/* Loads and indexes `spec`, read in `encoding`. Returns the entry, or NULL
 * with *status set. */
static entry *load(const qp_host *host, const char *spec, const char *encoding, qp_error *err,
                   int *status)
{
    entry *e = calloc(1, sizeof *e);
    if (!e || !(e->spec = strdup(spec)) || (encoding && !(e->encoding = strdup(encoding)))) {
        if (e)
            free_entry(e);
        *status = QP_ERR_NOMEM;
        return NULL;
    }
    if (!(e->book.cb = qp_codebook_open(host, spec, encoding, err))) {
        free_entry(e);
        *status = QP_ERR_CODEBOOK;
        return NULL;
    }
    if (!(e->book.m = matcher_new(e->book.cb))) {
        free_entry(e);
        *status = QP_ERR_NOMEM;
        return NULL;
    }
    e->users = 1;
    return e;
}

const shared_book *shared_book_open(const qp_host *host, const char *spec, const char *encoding,
                                    qp_error *err, int *status)
{
    pthread_mutex_lock(&lock); /* held while loading: a second instance waits for the first */
    entry *e = entries;
    while (e && (strcmp(e->spec, spec) != 0 || !e->encoding != !encoding ||
                 (encoding && strcmp(e->encoding, encoding) != 0)))
        e = e->next;
    if (e) {
        e->users++;
    } else if ((e = load(host, spec, encoding, err, status))) {
        e->next = entries;
        entries = e;
    }
    pthread_mutex_unlock(&lock);
    return e ? &e->book : NULL;
}

void shared_book_close(const shared_book *b)
{
    if (!b)
        return;
    pthread_mutex_lock(&lock);
    entry **at = &entries;
    while (*at && &(*at)->book != b)
        at = &(*at)->next;
    entry *e = *at;
    if (e && --e->users == 0)
        *at = e->next;
    else
        e = NULL;
    pthread_mutex_unlock(&lock);
    if (e)
        free_entry(e);
}

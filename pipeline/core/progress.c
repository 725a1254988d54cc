/* progress.c - the progress line on a terminal (see progress.h). */
#include "config.h"

#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"

#define REDRAW_NS 250000000LL /* a quarter of a second */
#define MAX_DEPTH 64

static struct {
    pthread_mutex_t lock;
    atomic_int on; /* read without the lock: the common case is off */
    int drawn;
    uint64_t total, bytes, docs;
    long long started, last; /* monotonic nanoseconds */
} progress = {.lock = PTHREAD_MUTEX_INITIALIZER};

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int qp_progress_start(uint64_t total_bytes)
{
    pthread_mutex_lock(&progress.lock);
    progress.on = isatty(STDERR_FILENO);
    progress.total = total_bytes;
    progress.bytes = progress.docs = 0;
    progress.started = now_ns();
    progress.last = progress.started - REDRAW_NS; /* the first document draws it */
    pthread_mutex_unlock(&progress.lock);
    return progress.on;
}

/* Draws the line. Called with the lock held. */
static void draw(long long t)
{
    double seconds = (double)(t - progress.started) / 1e9;
    double mb = (double)progress.bytes / 1e6;
    double rate = seconds > 0 ? mb / seconds : 0;
    char tail[64] = "";
    if (progress.total && progress.bytes <= progress.total && rate > 0) {
        double left = ((double)(progress.total - progress.bytes) / 1e6) / rate;
        snprintf(tail, sizeof tail, ", %.0f%%, %d:%02d left",
                 100.0 * (double)progress.bytes / (double)progress.total, (int)(left / 60),
                 (int)left % 60);
    }
    fprintf(stderr, "\r\033[K  %llu document%s, %.1f MB, %.1f MB/s%s",
            (unsigned long long)progress.docs, progress.docs == 1 ? "" : "s", mb, rate, tail);
    fflush(stderr);
    progress.drawn = 1;
    progress.last = t;
}

void qp_progress_document(size_t bytes)
{
    if (!progress.on)
        return;
    pthread_mutex_lock(&progress.lock);
    progress.docs++;
    progress.bytes += bytes;
    long long t = now_ns();
    if (progress.on && t - progress.last >= REDRAW_NS)
        draw(t);
    pthread_mutex_unlock(&progress.lock);
}

void qp_progress_clear(void)
{
    if (!progress.on)
        return;
    pthread_mutex_lock(&progress.lock);
    if (progress.drawn) {
        fputs("\r\033[K", stderr);
        progress.drawn = 0;
    }
    pthread_mutex_unlock(&progress.lock);
}

void qp_progress_stop(void)
{
    qp_progress_clear();
    pthread_mutex_lock(&progress.lock);
    progress.on = 0;
    pthread_mutex_unlock(&progress.lock);
}

/* Adds the sizes of the regular files below dir. */
static uint64_t folder_bytes(const char *dir, int depth)
{
    DIR *d = depth < MAX_DEPTH ? opendir(dir) : NULL;
    if (!d)
        return 0;
    uint64_t sum = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        struct stat st;
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= sizeof path ||
            lstat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            sum += folder_bytes(path, depth + 1);
        else if (S_ISREG(st.st_mode))
            sum += (uint64_t)st.st_size;
    }
    closedir(d);
    return sum;
}

uint64_t qp_progress_input_bytes(const char *const *paths, size_t n)
{
    uint64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (strcmp(paths[i], "-") == 0)
            return 0;
        if (stat(paths[i], &st) != 0)
            continue;
        sum += S_ISDIR(st.st_mode)   ? folder_bytes(paths[i], 0)
               : S_ISREG(st.st_mode) ? (uint64_t)st.st_size
                                     : 0;
    }
    return sum;
}

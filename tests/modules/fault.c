/* fault.c - an LD_PRELOAD shim for tests/e2e/faults.sh and checkpoint.sh: makes
 * the Nth call of one function fail, as a dying disk or a full one would.
 * QP_FAULT=NAME:N picks it: fsync or rename (EIO), pwrite64 (ENOSPC: SQLite
 * writes its pages so); QP_FAULT=NAME:N:kill instead kills the process there
 * with SIGKILL, as a crash or a power cut would. Each injected fault is said on
 * standard error ("fault: fsync 1"), so a test knows it happened. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

static char fault_name[32];
static long fault_nth;
static int fault_kills; /* ":kill": SIGKILL instead of an error */
static atomic_long fault_calls;

/* Reads QP_FAULT once, before main. */
__attribute__((constructor)) static void fault_init(void)
{
    const char *spec = getenv("QP_FAULT");
    const char *colon = spec ? strchr(spec, ':') : NULL;
    if (!colon || (size_t)(colon - spec) >= sizeof fault_name)
        return;
    memcpy(fault_name, spec, (size_t)(colon - spec));
    char *end;
    fault_nth = strtol(colon + 1, &end, 10);
    fault_kills = strcmp(end, ":kill") == 0;
}

/* Returns 1 when this call of `name` is the one to fail (and says so on fd 2
 * by the system call itself, which no shim sees). */
static int fault_now(const char *name)
{
    if (!fault_nth || strcmp(name, fault_name) != 0)
        return 0;
    if (atomic_fetch_add(&fault_calls, 1) + 1 != fault_nth)
        return 0;
    char note[64];
    int n = snprintf(note, sizeof note, "fault: %s %ld\n", name, fault_nth);
    syscall(SYS_write, 2, note, (size_t)n);
    if (fault_kills)
        syscall(SYS_kill, getpid(), SIGKILL);
    return 1;
}

/* Each wrapper finds the real function on first use. */
#define REAL(type, name, args)                                                                     \
    static type(*real) args;                                                                       \
    if (!real)                                                                                     \
    real = (type(*) args)dlsym(RTLD_NEXT, name)

int fsync(int fd)
{
    REAL(int, "fsync", (int));
    if (fault_now("fsync")) {
        errno = EIO;
        return -1;
    }
    return real(fd);
}

int rename(const char *from, const char *to)
{
    REAL(int, "rename", (const char *, const char *));
    if (fault_now("rename")) {
        errno = EIO;
        return -1;
    }
    return real(from, to);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t at)
{
    REAL(ssize_t, "pwrite64", (int, const void *, size_t, off_t));
    if (fault_now("pwrite64")) {
        errno = ENOSPC;
        return -1;
    }
    return real(fd, buf, n, at);
}

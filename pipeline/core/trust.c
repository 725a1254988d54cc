/* trust.c - where a module may be loaded from (see trust.h). */
#include "config.h"

#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "trust.h"

/* Returns 0 when path is missing or safe; -1 with why filled when not. */
static int unsafe(const char *path, char *why, size_t size)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return 0;
    if (st.st_mode & S_IWOTH) {
        snprintf(why, size, "%s is writable by anyone", path);
        return -1;
    }
    /* A group-writable file is safe only in a group of the owner's own (the
     * private group a umask of 002 goes with). */
    const struct passwd *owner = getpwuid(st.st_uid);
    if ((st.st_mode & S_IWGRP) && st.st_uid != 0 && (!owner || owner->pw_gid != st.st_gid)) {
        snprintf(why, size, "%s is writable by its group (%u)", path, (unsigned)st.st_gid);
        return -1;
    }
    if (st.st_uid != 0 && st.st_uid != geteuid()) {
        snprintf(why, size, "%s is owned by another user (%u)", path, (unsigned)st.st_uid);
        return -1;
    }
    return 0;
}

int qp_module_untrusted(const char *dir, const char *stem, char *why, size_t size)
{
    char so[PATH_MAX], la[PATH_MAX], libs[PATH_MAX], built[PATH_MAX];
    snprintf(so, sizeof so, "%s/%s.so", dir, stem);
    snprintf(la, sizeof la, "%s/%s.la", dir, stem);
    snprintf(libs, sizeof libs, "%s/.libs", dir);
    snprintf(built, sizeof built, "%s/.libs/%s.so", dir, stem);
    return unsafe(dir, why, size) < 0 || unsafe(so, why, size) < 0 || unsafe(la, why, size) < 0 ||
                   unsafe(libs, why, size) < 0 || unsafe(built, why, size) < 0
               ? -1
               : 0;
}

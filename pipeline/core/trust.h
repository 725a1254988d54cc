/* trust.h - whether a plugin module may be loaded from where it lies: code that
 * anyone (or a group) could have put there is refused, as ssh refuses such keys. */
#ifndef QP_TRUST_H
#define QP_TRUST_H

#include <stddef.h>

/* Checks folder dir and the files of module `stem` in it (stem.so, stem.la, and a
 * build tree's .libs/stem.so). Returns 0 when all are safe; -1 with why filled
 * ("PATH is writable by anyone", "...by its group", "...owned by user N") when
 * one of them may be written by someone other than its owner and root, or is
 * owned by someone other than root and the user running qualpipe. */
int qp_module_untrusted(const char *dir, const char *stem, char *why, size_t size);

#endif

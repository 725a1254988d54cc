/* aborts.c - a module that kills the process as it loads (its constructor
 * aborts): `qualpipe plugins` must list it as broken and go on. */
#include <stdlib.h>

__attribute__((constructor)) static void crash_on_load(void)
{
    abort();
}

/* interrupt.h - SIGINT and SIGTERM during a run: the first asks the run to stop at
 * the next document (so its outputs are removed, not left half-written); a
 * second ends the process at once. */
#ifndef QP_INTERRUPT_H
#define QP_INTERRUPT_H

/* Catches SIGINT and SIGTERM for the rest of the process. */
void qp_interrupt_catch(void);

/* Returns the signal that asked the run to stop, or 0. */
int qp_interrupted(void);

#endif

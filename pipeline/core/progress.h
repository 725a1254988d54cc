/* progress.h - the one line a long run shows on a terminal while it works:
 * documents, megabytes of text, MB/s, and, when the size of the input is known,
 * the percentage done and the time left. It is drawn on standard error at most
 * four times a second, only when qp_progress_start found a terminal there, and
 * erased before any other line is printed (qp_progress_clear), so messages stay
 * whole. One per process: stderr is one. */
#ifndef QP_PROGRESS_H
#define QP_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

/* Starts the display when standard error is a terminal; `total_bytes` is the
 * size of the input (0: unknown). Returns 1 when it is shown, 0 when not. */
int qp_progress_start(uint64_t total_bytes);

/* Counts one document of `bytes` bytes of text as done, and redraws the line
 * when a quarter of a second has passed. Thread-safe. */
void qp_progress_document(size_t bytes);

/* Erases the line (it comes back at the next redraw). Thread-safe. */
void qp_progress_clear(void);

/* Erases the line for good. */
void qp_progress_stop(void);

/* Returns the bytes of the regular files below the paths (folders walked,
 * hidden entries and links passed over as the reader passes them over), or 0
 * when a path is standard input ("-") and the size cannot be known. */
uint64_t qp_progress_input_bytes(const char *const *paths, size_t n);

#endif

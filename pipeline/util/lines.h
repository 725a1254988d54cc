/* lines.h - reading a JSON Lines stream in large blocks that its documents share:
 * each line is handed on where it lies in its block, so the reader copies
 * nothing and the worker that parses a line reads it from the block. A block is
 * freed when the reader and every document in it are done with it. */
#ifndef QP_LINES_H
#define QP_LINES_H

#include <stddef.h>

typedef struct line_block line_block;

typedef struct line_reader {
    int fd;
    size_t max_line; /* longer lines are passed over, never held whole */
    /* NULL, or asked before each read: nonzero ends reading (as EINTR), so an
     * endless stream can still be stopped by Ctrl-C. */
    int (*stopped)(void);
    size_t lineno; /* of the line last returned, from 1 */
    line_block *block;
    size_t start, scanned, have; /* the next line; how far it was searched; bytes held */
    int eof;
    int line_has_nul; /* the line being read holds a NUL byte */
} line_reader;

/* Starts reading fd; lines longer than max_line bytes are passed over. */
void line_reader_init(line_reader *lr, int fd, size_t max_line);
/* Gives back the reader's block. */
void line_reader_done(line_reader *lr);

/* The next line, without its newline (or a CR before it) and with a NUL after
 * it. Returns 1 with *line, *len and the *block it lies in (see
 * line_block_hold), 2 for a line longer than max_line (passed over: *len is
 * how long it was), 3 when a line longer than 64 KiB or than max_line holds a
 * NUL byte (binary data, not text, whose "line" may never end: reading should
 * stop; lineno is that line's), 0 at the end of the stream, or -1 when reading failed (errno
 * says why; EINTR when stopped) or memory ran out (errno ENOMEM). */
int line_next(line_reader *lr, char **line, size_t *len, line_block **block);

/* Counts one more user of block b (a document whose text lies in it). */
void line_block_hold(line_block *b);
/* Counts one user less; the last frees the block. Any thread may call it. */
void line_block_release(void *b);

#endif

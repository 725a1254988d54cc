/* lines.c - JSON Lines in shared blocks (see lines.h). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lines.h"

#define BLOCK_BYTES ((size_t)1 << 20)  /* read at a time, and the size of a block */
#define BINARY_LINE ((size_t)64 << 10) /* a line this long with a NUL in it is binary */

struct line_block {
    size_t users; /* atomic: the reader while it fills the block, and documents */
    size_t cap;
    char data[]; /* cap bytes and one for a NUL */
};

void line_block_hold(line_block *b)
{
    __atomic_add_fetch(&b->users, 1, __ATOMIC_RELAXED);
}

void line_block_release(void *block)
{
    line_block *b = block;
    if (b && __atomic_sub_fetch(&b->users, 1, __ATOMIC_ACQ_REL) == 0)
        free(b);
}

void line_reader_init(line_reader *lr, int fd, size_t max_line)
{
    memset(lr, 0, sizeof *lr);
    lr->fd = fd;
    lr->max_line = max_line;
}

void line_reader_done(line_reader *lr)
{
    line_block_release(lr->block);
    lr->block = NULL;
}

/* Moves the unread part [start, have) to the front of a new block of at least
 * `cap` bytes. Returns 0, or -1 when out of memory. */
static int new_block(line_reader *lr, size_t cap)
{
    line_block *b = malloc(sizeof *b + cap + 1);
    if (!b)
        return -1;
    b->users = 1;
    b->cap = cap;
    size_t keep = lr->have - lr->start;
    if (keep)
        memcpy(b->data, lr->block->data + lr->start, keep);
    line_block_release(lr->block);
    lr->block = b;
    lr->scanned -= lr->start;
    lr->have = keep;
    lr->start = 0;
    return 0;
}

/* Reads more of the stream after what the block holds. Returns 0 (lr->eof set at
 * the end), or -1 with errno set. */
static int fill(line_reader *lr)
{
    if (lr->stopped && lr->stopped()) {
        errno = EINTR;
        return -1;
    }
    size_t keep = lr->have - lr->start;
    if (!lr->block || lr->have == lr->block->cap) {
        size_t cap = keep < BLOCK_BYTES / 2 ? BLOCK_BYTES : 2 * keep;
        if (new_block(lr, cap) < 0) {
            errno = ENOMEM;
            return -1;
        }
    }
    /* A read a signal interrupts (EINTR) ends the stream: qualpipe catches only
     * SIGINT and SIGTERM, which ask the run to stop. */
    ssize_t n = read(lr->fd, lr->block->data + lr->have, lr->block->cap - lr->have);
    if (n < 0)
        return -1;
    if (n == 0)
        lr->eof = 1;
    lr->have += (size_t)(n > 0 ? n : 0);
    return 0;
}

/* Hands out the line [start, end) and steps past `next`. Returns 1. */
static int give(line_reader *lr, size_t end, size_t next, char **line, size_t *len,
                line_block **block)
{
    char *d = lr->block->data;
    d[end] = '\0';
    if (end > lr->start && d[end - 1] == '\r')
        d[--end] = '\0';
    *line = d + lr->start;
    *len = end - lr->start;
    *block = lr->block;
    lr->start = lr->scanned = next;
    lr->line_has_nul = 0;
    lr->lineno++;
    return 1;
}

/* Ends the stream at binary data: this and every later call finds no more
 * lines. Returns 3. */
static int binary_data(line_reader *lr)
{
    lr->start = lr->scanned = lr->have;
    lr->eof = 1;
    lr->line_has_nul = 0;
    lr->lineno++;
    return 3;
}

/* Passes over the rest of a line too long to hold, and what was held of it.
 * Returns 2 with *len its length, 3 at a NUL byte in it (*len: how much was
 * passed over), or -1 with errno set. */
static int pass_over(line_reader *lr, size_t *len)
{
    size_t n = 0;
    for (;;) {
        char *from = lr->block->data + lr->start;
        char *nl = memchr(from, '\n', lr->have - lr->start);
        if (memchr(from, '\0', (size_t)((nl ? nl : lr->block->data + lr->have) - from))) {
            *len = n; /* binary data (/dev/zero, an image): its "line" may never end */
            return binary_data(lr);
        }
        if (nl) {
            n += (size_t)(nl - (lr->block->data + lr->start));
            lr->start = lr->scanned = (size_t)(nl - lr->block->data) + 1;
            break;
        }
        n += lr->have - lr->start;
        lr->start = lr->scanned = lr->have; /* (earlier lines of the block stay as they are) */
        if (lr->eof)
            break;
        if (fill(lr) < 0)
            return -1;
    }
    *len = n;
    lr->line_has_nul = 0;
    lr->lineno++;
    return 2;
}

int line_next(line_reader *lr, char **line, size_t *len, line_block **block)
{
    for (;;) {
        if (lr->block) {
            char *d = lr->block->data;
            char *nl = memchr(d + lr->scanned, '\n', lr->have - lr->scanned);
            if (nl && (size_t)(nl - d) - lr->start > lr->max_line)
                return pass_over(lr, len);
            if (nl)
                return give(lr, (size_t)(nl - d), (size_t)(nl - d) + 1, line, len, block);
            /* A long line with a NUL byte is binary data (/dev/zero): said before
             * it is held up to max_line. A short one is the caller's to judge. */
            lr->line_has_nul |= memchr(d + lr->scanned, '\0', lr->have - lr->scanned) != NULL;
            lr->scanned = lr->have;
            if (lr->line_has_nul && lr->have - lr->start > BINARY_LINE) {
                *len = lr->have - lr->start;
                return binary_data(lr);
            }
            if (lr->have - lr->start > lr->max_line)
                return pass_over(lr, len);
            if (lr->eof)
                return lr->start < lr->have ? give(lr, lr->have, lr->have, line, len, block) : 0;
        }
        if (fill(lr) < 0)
            return -1;
    }
}

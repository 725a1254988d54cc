/* test_lines.c - the JSON Lines block reader: lines across blocks, lines longer
 * than a block, lines too long to hold (passed over, reading goes on), CR LF,
 * a last line without a newline, and blocks that stay intact while documents
 * still point into them. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../pipeline/util/lines.h"

/* Returns a file descriptor reading bytes s[0, n) (from a temporary file). */
static int fd_of(const char *s, size_t n)
{
    FILE *f = tmpfile();
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(s, 1, n, f), n);
    fflush(f);
    int fd = dup(fileno(f));
    fclose(f);
    cr_assert_geq(fd, 0);
    lseek(fd, 0, SEEK_SET);
    return fd;
}

Test(lines, many_lines_across_blocks_and_blocks_stay_intact)
{
    size_t n_lines = 30000, cap = 16 << 20, n = 0;
    char *text = malloc(cap);
    unsigned seed = 99;
    for (size_t i = 0; i < n_lines; i++) {
        seed = seed * 1103515245u + 12345u;
        size_t len = (seed >> 16) % 400;
        n += (size_t)sprintf(text + n, "%zu:", i);
        memset(text + n, 'a' + (int)(i % 26), len);
        n += len;
        n += (size_t)sprintf(text + n, "%s", i % 7 == 0 ? "\r\n" : "\n");
    }
    cr_assert_gt(n, (size_t)3 << 20, "more than three blocks");
    int fd = fd_of(text, n);
    line_reader lr;
    line_reader_init(&lr, fd, 1 << 20);
    char *line, *kept[64];
    size_t len, expect_len[64], n_kept = 0;
    line_block *block, *blocks[64];
    for (size_t i = 0; i < n_lines; i++) {
        cr_assert_eq(line_next(&lr, &line, &len, &block), 1, "line %zu", i);
        cr_assert_eq(lr.lineno, i + 1);
        char head[32];
        int h = sprintf(head, "%zu:", i);
        cr_assert(len >= (size_t)h && memcmp(line, head, (size_t)h) == 0, "line %zu", i);
        cr_assert_eq(line[len], '\0');
        for (size_t k = (size_t)h; k < len; k++)
            cr_assert_eq(line[k], 'a' + (int)(i % 26), "line %zu byte %zu", i, k);
        if (i % 500 == 0 && n_kept < 64) {
            line_block_hold(block);
            blocks[n_kept] = block;
            kept[n_kept] = line;
            expect_len[n_kept++] = len;
        }
    }
    cr_assert_eq(line_next(&lr, &line, &len, &block), 0);
    line_reader_done(&lr);
    for (size_t k = 0; k < n_kept; k++) { /* still there after the reader went on */
        char head[32];
        int h = sprintf(head, "%zu:", 500 * k);
        cr_assert(memcmp(kept[k], head, (size_t)h) == 0 && strlen(kept[k]) == expect_len[k],
                  "kept line %zu", k);
        line_block_release(blocks[k]);
    }
    close(fd);
    free(text);
}

Test(lines, too_long_lines_are_passed_over_and_reading_goes_on)
{
    size_t big = (size_t)3 << 20, n = 0;
    char *text = malloc(big + 10000);
    n += (size_t)sprintf(text + n, "a\n");
    memset(text + n, 'x', 5000);
    n += 5000;
    text[n++] = '\n';
    n += (size_t)sprintf(text + n, "b\n");
    memset(text + n, 'y', big);
    n += big;
    n += (size_t)sprintf(text + n, "\nc");
    int fd = fd_of(text, n);
    line_reader lr;
    line_reader_init(&lr, fd, 1000);
    char *line;
    size_t len;
    line_block *block;
    cr_assert_eq(line_next(&lr, &line, &len, &block), 1);
    cr_assert_str_eq(line, "a");
    cr_assert_eq(line_next(&lr, &line, &len, &block), 2);
    cr_assert_eq(len, 5000);
    cr_assert_eq(lr.lineno, 2);
    cr_assert_eq(line_next(&lr, &line, &len, &block), 1);
    cr_assert_str_eq(line, "b");
    char *b = line; /* a document's text: passing over what follows must leave it */
    line_block *b_block = block;
    line_block_hold(b_block);
    cr_assert_eq(line_next(&lr, &line, &len, &block), 2);
    cr_assert_eq(len, big);
    cr_assert_eq(line_next(&lr, &line, &len, &block), 1, "the last line, without a newline");
    cr_assert_str_eq(line, "c");
    cr_assert_eq(lr.lineno, 5);
    cr_assert_eq(line_next(&lr, &line, &len, &block), 0);
    line_reader_done(&lr);
    cr_assert_str_eq(b, "b");
    line_block_release(b_block);
    close(fd);
    free(text);
}

Test(lines, a_line_longer_than_a_block_comes_whole)
{
    size_t big = (size_t)5 << 19; /* 2.5 MiB */
    char *text = malloc(big + 4);
    memset(text, 'z', big);
    memcpy(text + big, "\nq\n", 3);
    int fd = fd_of(text, big + 3);
    line_reader lr;
    line_reader_init(&lr, fd, (size_t)8 << 20);
    char *line;
    size_t len;
    line_block *block;
    cr_assert_eq(line_next(&lr, &line, &len, &block), 1);
    cr_assert_eq(len, big);
    cr_assert(line[0] == 'z' && line[big - 1] == 'z' && line[big] == '\0');
    cr_assert_eq(line_next(&lr, &line, &len, &block), 1);
    cr_assert_str_eq(line, "q");
    cr_assert_eq(line_next(&lr, &line, &len, &block), 0);
    line_reader_done(&lr);
    close(fd);
    free(text);
}

Test(lines, empty_stream_and_empty_lines)
{
    int fd = fd_of("", 0);
    line_reader lr;
    line_reader_init(&lr, fd, 100);
    char *line;
    size_t len;
    line_block *block;
    cr_assert_eq(line_next(&lr, &line, &len, &block), 0);
    line_reader_done(&lr);
    close(fd);
    fd = fd_of("\n\r\nx\n", 5);
    line_reader_init(&lr, fd, 100);
    cr_assert_eq(line_next(&lr, &line, &len, &block), 1);
    cr_assert_eq(len, 0);
    cr_assert_eq(line_next(&lr, &line, &len, &block), 1);
    cr_assert_eq(len, 0, "a CR before the newline is not part of the line");
    cr_assert_eq(line_next(&lr, &line, &len, &block), 1);
    cr_assert_str_eq(line, "x");
    cr_assert_eq(line_next(&lr, &line, &len, &block), 0);
    line_reader_done(&lr);
    close(fd);
}

Test(lines, a_nul_in_a_line_passed_over_is_binary_data)
{
    /* A short line with a NUL is the caller's to judge; a long one ends reading,
     * as /dev/zero would never end it. A NUL after the long line's end is not
     * its. */
    char text[4000];
    size_t n = (size_t)sprintf(text, "ok\n");
    memset(text + n, 'x', 1500);
    n += 1500;
    text[n++] = '\n';
    memcpy(text + n, "a\0b\n", 4);
    n += 4;
    memset(text + n, 'y', 1500);
    text[n + 700] = '\0';
    n += 1500;
    int fd = fd_of(text, n);
    line_reader lr;
    line_reader_init(&lr, fd, 1000);
    char *line;
    size_t len;
    line_block *block;
    cr_assert_eq(line_next(&lr, &line, &len, &block), 1);
    cr_assert_eq(line_next(&lr, &line, &len, &block), 2, "long, and no NUL of its own");
    cr_assert_eq(line_next(&lr, &line, &len, &block), 1);
    cr_assert_eq(len, 3, "the short line with its NUL, whole");
    cr_assert_eq(line_next(&lr, &line, &len, &block), 3);
    cr_assert_eq(lr.lineno, 4, "the binary line is named");
    cr_assert_eq(line_next(&lr, &line, &len, &block), 0, "and the stream ends there");
    line_reader_done(&lr);
    close(fd);
}

static int stop_now(void)
{
    return 1;
}

Test(lines, a_stopped_reader_reads_no_more)
{
    int fd = fd_of("a\nb\n", 4);
    line_reader lr;
    line_reader_init(&lr, fd, 1000);
    lr.stopped = stop_now;
    char *line;
    size_t len;
    line_block *block;
    errno = 0;
    cr_assert_eq(line_next(&lr, &line, &len, &block), -1);
    cr_assert_eq(errno, EINTR);
    line_reader_done(&lr);
    close(fd);
}

Test(lines, a_long_line_with_a_nul_is_binary_before_it_is_held_whole)
{
    /* With room for a 1 GiB line, 100 KiB of zero bytes (the start of /dev/zero)
     * are already binary data: nothing waits for the line to end. */
    size_t n = 100 << 10;
    char *zeros = calloc(n, 1);
    int fd = fd_of(zeros, n);
    line_reader lr;
    line_reader_init(&lr, fd, (size_t)1 << 30);
    char *line;
    size_t len;
    line_block *block;
    cr_assert_eq(line_next(&lr, &line, &len, &block), 3);
    cr_assert_eq(lr.lineno, 1);
    line_reader_done(&lr);
    close(fd);
    free(zeros);
}

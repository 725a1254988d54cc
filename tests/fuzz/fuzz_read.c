/* fuzz_read.c - a raw file as the read stage takes it: read whole (with the size
 * check), checked as text, line ends mended, and read again as JSON Lines
 * through the shared-block line reader with a small line limit. */
#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "fuzz.h"
#include "util/fileio.h"
#include "util/lines.h"
#include "util/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[] = "/tmp/qualpipe-fuzz-read.XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0 || write(fd, data, size) != (ssize_t)size)
        abort();
    char *text;
    size_t len, bad;
    const char *why;
    qp_error err;
    if (qp_read_file_as(path, 1 << 16, 1, &text, &len, &err) == 0) {
        if (qp_text_check(text, len, &bad, &why) == 0)
            qp_text_lone_cr_to_lf(text, len);
        else
            qp_text_line_of(text, bad);
        free(text);
    }
    lseek(fd, 0, SEEK_SET);
    line_reader lr;
    line_reader_init(&lr, fd, 256);
    char *line;
    line_block *block;
    while (line_next(&lr, &line, &len, &block) > 0)
        ;
    line_reader_done(&lr);
    close(fd);
    unlink(path);
    return 0;
}

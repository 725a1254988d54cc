/* encoding.h - reading a text file that may not be UTF-8: what the codebook
 * and dictionary readers use, so a file in another encoding is converted when
 * its encoding is named, and refused with a reason when it is not. */
#ifndef QP_ENCODING_H
#define QP_ENCODING_H

#include <stddef.h>

#include <qualpipe/stage.h>

/* Reads the file at path (at most max bytes) as UTF-8 text into *text (malloc'd,
 * NUL-terminated; caller frees) and *len. With encoding NULL the file must be
 * UTF-8; a leading byte order mark is dropped. With an encoding (any name
 * iconv knows: windows-1252, iso-8859-1, shift_jis, euc-jp, utf-16...) the
 * file is converted from it. Returns 0, or -1 with err naming the file, and the
 * line and byte that are not UTF-8 (with a word on --encoding). */
int qp_read_text_file(const char *path, size_t max, const char *encoding, char **text, size_t *len,
                      qp_error *err);

/* Makes the bytes of a text file UTF-8 in place of *text (malloc'd, NUL after
 * *len bytes; replaced by a new buffer when converted): from `encoding` when
 * one is named (and not UTF-8), from UTF-16 when the bytes start with a UTF-16
 * byte order mark, and without a leading UTF-8 byte order mark. Whether the
 * result is valid UTF-8 is the caller's to check. Returns 0, or -1 with err
 * saying "NAME:LINE: byte N is not ENCODING" or naming an encoding iconv does
 * not know (*text is then freed and NULL). */
int qp_text_to_utf8(const char *name, const char *encoding, char **text, size_t *len,
                    qp_error *err);

/* Returns 0 when iconv can convert from `encoding` to UTF-8, or -1 with err
 * saying, of `option` (as "--encoding"), what to give instead. */
int qp_encoding_check(const char *option, const char *encoding, qp_error *err);

#endif

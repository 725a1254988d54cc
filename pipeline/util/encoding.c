/* encoding.c - text files in any encoding, converted to UTF-8 with iconv. */
#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "encoding.h"
#include "fileio.h"
#include "text.h"

/* Returns 1 when the name means UTF-8. */
static int is_utf8(const char *encoding)
{
    return strcasecmp(encoding, "utf-8") == 0 || strcasecmp(encoding, "utf8") == 0;
}

/* Drops a UTF-8 byte order mark from the start of text. */
static void drop_bom(char *text, size_t *len)
{
    if (*len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        memmove(text, text + 3, *len - 3 + 1);
        *len -= 3;
    }
}

/* Checks that text is UTF-8. Returns 0, or -1 with err saying where it is not
 * and what to do. */
static int check_utf8(const char *path, const char *text, size_t len, qp_error *err)
{
    size_t bad;
    const char *why;
    if (qp_text_check(text, len, &bad, &why) == 0 || strcmp(why, "NUL byte") == 0)
        return 0; /* a NUL byte is the reader's to name */
    int utf16 = len >= 2 && ((unsigned char)text[0] == 0xFF || (unsigned char)text[0] == 0xFE) &&
                ((unsigned char)text[1] == 0xFF || (unsigned char)text[1] == 0xFE);
    if (utf16)
        snprintf(err->message, sizeof err->message,
                 "%s: the file is UTF-16 (it starts with a UTF-16 byte order mark): give "
                 "--encoding utf-16, or save it as UTF-8",
                 path);
    else
        snprintf(err->message, sizeof err->message,
                 "%s:%zu: not UTF-8 (byte %zu is 0x%02X): if the file is in another encoding, "
                 "name it with --encoding (for example --encoding windows-1252, iso-8859-1, "
                 "shift_jis or euc-jp), or save it as UTF-8",
                 path, qp_text_line_of(text, bad), bad + 1, (unsigned char)text[bad]);
    return -1;
}

/* Converts in[0, len) from `encoding` to UTF-8 in *out (malloc'd, NUL-terminated).
 * Returns 0, or -1 with err filled. */
static int convert(const char *path, const char *encoding, const char *in, size_t len, char **out,
                   size_t *out_len, qp_error *err)
{
    iconv_t cd = iconv_open("UTF-8", encoding);
    if (cd == (iconv_t)-1)
        return qp_encoding_check("--encoding", encoding, err);
    size_t cap = 4 * len + 16; /* no encoding takes more than 4 UTF-8 bytes per input byte */
    char *buf = malloc(cap);
    char *src = (char *)in, *dst = buf;
    size_t left = len, room = cap - 1;
    int rc = 0;
    if (!buf) {
        snprintf(err->message, sizeof err->message, "%s: out of memory", path);
        rc = -1;
    } else if (iconv(cd, &src, &left, &dst, &room) == (size_t)-1 ||
               iconv(cd, NULL, NULL, &dst, &room) == (size_t)-1) {
        snprintf(err->message, sizeof err->message, "%s:%zu: byte %zu is not %s%.100s", path,
                 qp_text_line_of(in, (size_t)(src - in)), (size_t)(src - in) + 1,
                 errno == EINVAL ? "complete " : "", encoding);
        rc = -1;
    }
    iconv_close(cd);
    if (rc < 0) {
        free(buf);
        return -1;
    }
    *dst = '\0';
    *out = buf;
    *out_len = (size_t)(dst - buf);
    return 0;
}

/* Returns 1 when the bytes start with a UTF-16 byte order mark. */
static int utf16_bom(const char *text, size_t len)
{
    return len >= 2 && (((unsigned char)text[0] == 0xFF && (unsigned char)text[1] == 0xFE) ||
                        ((unsigned char)text[0] == 0xFE && (unsigned char)text[1] == 0xFF));
}

int qp_encoding_check(const char *option, const char *encoding, qp_error *err)
{
    iconv_t cd = iconv_open("UTF-8", encoding);
    if (cd == (iconv_t)-1) {
        snprintf(err->message, sizeof err->message,
                 "%s %.100s: not an encoding this system knows (`iconv --list` shows "
                 "them; for example windows-1252, iso-8859-1, shift_jis, euc-jp, utf-16)",
                 option, encoding);
        return -1;
    }
    iconv_close(cd);
    return 0;
}

int qp_text_to_utf8(const char *name, const char *encoding, char **text, size_t *len, qp_error *err)
{
    const char *from = encoding && !is_utf8(encoding)        ? encoding
                       : !encoding && utf16_bom(*text, *len) ? "UTF-16"
                                                             : NULL;
    if (from) {
        char *utf8 = NULL;
        size_t n = 0;
        int rc = convert(name, from, *text, *len, &utf8, &n, err);
        free(*text);
        *text = rc == 0 ? utf8 : NULL;
        *len = rc == 0 ? n : 0;
        if (rc < 0)
            return -1;
    }
    drop_bom(*text, len);
    return 0;
}

int qp_read_text_file(const char *path, size_t max, const char *encoding, char **text, size_t *len,
                      qp_error *err)
{
    if (qp_read_file(path, max, text, len, err) < 0)
        return -1;
    if (encoding && !is_utf8(encoding) && qp_text_to_utf8(path, encoding, text, len, err) < 0)
        return -1;
    drop_bom(*text, len);
    if (check_utf8(path, *text, *len, err) < 0) {
        free(*text);
        *text = NULL;
        return -1;
    }
    return 0;
}

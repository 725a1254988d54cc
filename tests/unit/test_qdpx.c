/* test_qdpx.c - REFI-QDA character positions made byte offsets, and GUIDs made
 * from names. */
#include <criterion/criterion.h>
#include <string.h>

#include "refi/guid.h"
#include "refi/qdpx.h"

/* "Zoë — coach": Z o ë(2 bytes) space —(3 bytes) space c... */
static const char text[] = "Zo\xC3\xAB \xE2\x80\x94 coach";

Test(qdpx, positions_count_code_points)
{
    size_t len = strlen(text);
    cr_assert_eq(qdpx_byte_offset(text, len, 0, 0), 0);
    cr_assert_eq(qdpx_byte_offset(text, len, 3, 0), 4, "after the ë");
    cr_assert_eq(qdpx_byte_offset(text, len, 5, 0), 8, "after the dash");
    cr_assert_eq(qdpx_byte_offset(text, len, 11, 0), (long)len, "the end");
    cr_assert_eq(qdpx_byte_offset(text, len, 12, 0), -1, "past the end");
}

Test(qdpx, crlf_is_one_character_only_when_asked)
{
    const char *t = "a\r\nb";
    cr_assert_eq(qdpx_byte_offset(t, 4, 3, 0), 3, "CR and LF are two characters");
    cr_assert_eq(qdpx_byte_offset(t, 4, 2, 1), 3, "CR LF as one (ATLAS.ti)");
    cr_assert_eq(qdpx_byte_offset(t, 4, 3, 1), 4);
    cr_assert_eq(qdpx_byte_offset("a\rb", 3, 2, 1), 2, "a lone CR is a character");
}

Test(qdpx, guids_are_names)
{
    char a[QP_GUID_LEN + 1], b[QP_GUID_LEN + 1], c[QP_GUID_LEN + 1];
    qp_guid_of(a, (const char *[]){"a", "bc"}, 2);
    qp_guid_of(b, (const char *[]){"a", "bc"}, 2);
    qp_guid_of(c, (const char *[]){"ab", "c"}, 2);
    cr_assert_str_eq(a, b, "the same names, the same GUID");
    cr_assert_str_neq(a, c, "parts are kept apart");
    cr_assert_eq(strlen(a), QP_GUID_LEN);
    cr_assert_eq(a[14], '5', "a name-based GUID");
    cr_assert(strchr("89ab", a[19]), "the RFC 4122 variant");
}

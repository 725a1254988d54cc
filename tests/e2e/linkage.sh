# linkage.sh - each stage module records only the libraries it uses: the tokenise
# stage needs utf8proc and the C library, not the codebook's or the results'.
. "$SRCDIR/tests/e2e/lib.sh"
set -o pipefail
MOD="$BUILDDIR/plugins/.libs/stage_tokenise.so"
command -v readelf > /dev/null || fail "readelf is needed: apt-get install binutils"
readelf -d "$MOD" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort > needed.txt
expect_status "readelf" $? 0
expect_grep "tokenise uses utf8proc" "^libutf8proc\.so" needed.txt
expect_grep "and the C library" "^libc\.so" needed.txt
others=$(grep -Ev '^(libutf8proc|libc|libasan|libubsan|libtsan|libm|libgcc_s)\.so' needed.txt | tr '\n' ' ')
expect_eq "tokenise needs nothing else" "$others" ""
for lib in libxml2 libicu libnettle libstemmer libsqlite3 libpcre2 libcsv; do
    ! grep -q "^$lib" needed.txt || fail "stage_tokenise.so needs $lib"
    CHECKS=$((CHECKS + 1))
done
# The codebook stage does need the codebook's libraries.
readelf -d "$BUILDDIR/plugins/.libs/stage_code.so" | grep -q 'libpcre2-8' ||
    fail "stage_code.so does not record libpcre2-8"
CHECKS=$((CHECKS + 1))
done_checks

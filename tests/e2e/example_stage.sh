# example_stage.sh - the example filter stage as a stranger would use it: copied
# out of an installed tree, built with the installed header, pkg-config and one
# cc line, and run inside `qualpipe run --stages` and in a shell pipeline, with the
# same bytes. Also: a module whose own library is missing is named with the cause.
. "$SRCDIR/tests/e2e/lib.sh"
set -o pipefail
CC=${CC:-cc}
command -v "$CC" > /dev/null || fail "no C compiler ($CC): apt-get install build-essential"
command -v pkg-config > /dev/null || fail "no pkg-config: apt-get install pkg-config"

D="$WORK/root"
"${MAKE:-make}" -C "$BUILDDIR" install DESTDIR="$D" > install.log 2>&1 ||
    { tail -20 install.log >&2; fail "make install DESTDIR=$D"; }
pc=$(find "$D" -name qualpipe.pc)
template=$(find "$D" -path '*/examples/minlength.c')
expect_eq "pkg-config file installed" "$(basename "$pc")" "qualpipe.pc"
expect_eq "template installed" "$(basename "$template")" "minlength.c"
mkdir mine
cp "$template" mine/mystage.c
cflags=$(PKG_CONFIG_SYSROOT_DIR="$D" PKG_CONFIG_PATH="$(dirname "$pc")" pkg-config --cflags qualpipe)
expect_status "pkg-config --cflags qualpipe" $? 0
case "$cflags" in *"$D"*) ;; *) fail "cflags do not name the installed headers: $cflags" ;; esac
# shellcheck disable=SC2086
"$CC" -shared -fPIC $cflags -o mine/stage_minlength.so mine/mystage.c 2> cc.txt
expect_status "one cc line builds the stage" $? 0
"$QUALPIPE" plugins --plugin-dir mine > list.txt
expect_grep "the copy is found first" "^  stage +minlength +1\.0\.0 +mine/stage_minlength\.so" list.txt

CORPUS="$SRCDIR/corpora/inaugural/inaugural.jsonl"
CHAIN=read,segment,tokenise,minlength,code,aggregate
"$QUALPIPE" run -q --plugin-dir mine --stages "$CHAIN" --min-tokens 1000 -c example --by Party \
    -o run.json "$CORPUS"
expect_status "run with the stage in the chain" $? 0
"$QUALPIPE" stage read "$CORPUS" | "$QUALPIPE" stage segment | "$QUALPIPE" stage tokenise |
    "$QUALPIPE" stage minlength --plugin-dir mine --min-tokens 1000 |
    "$QUALPIPE" stage code -c example | "$QUALPIPE" stage aggregate --by Party > shell.json
expect_status "the same stages in a shell pipeline" $? 0
cmp run.json shell.json || fail "run --stages and the shell pipeline differ"
CHECKS=$((CHECKS + 1))

# Dropped documents are counted, by stage, and nothing else changes.
"$QUALPIPE" stage read "$CORPUS" | "$QUALPIPE" stage tokenise > tokens.jsonl
short=$("$JQ" -s '[.[1:][] | select((.tokens | length) < 1000)] | length' tokens.jsonl)
all=$("$JQ" -s '.[1:] | length' tokens.jsonl)
[ "$short" -gt 0 ] && [ "$short" -lt "$all" ] || fail "the corpus needs short and long documents"
expect_eq "dropped by minlength" "$(jqr '.dropped.minlength' run.json)" "$short"
expect_eq "dropped in the totals" "$(jqr '.totals.dropped' run.json)" "$short"
expect_eq "documents coded" "$(jqr '.totals.documents' run.json)" "$((all - short))"
expect_eq "not skipped" "$(jqr '.totals.skipped' run.json)" 0
"$QUALPIPE" run -q -c example --by Party -o plain.json "$CORPUS"
expect_eq "no dropped field without a dropping stage" "$(jqr 'has("dropped")' plain.json)" false

# Metadata is set through the host.
"$QUALPIPE" stage minlength --plugin-dir mine --count-field ntokens < tokens.jsonl > counted.jsonl
expect_status "stage minlength --count-field" $? 0
expect_eq "every record carries its token count" \
    "$("$JQ" -s '[.[1:][] | select(.meta.ntokens != (.tokens | length))] | length' counted.jsonl)" 0

# A module whose own dependency is missing: the loader says which library.
mkdir lib deps
"$CC" -shared -fPIC -o lib/libqpdep.so "$SRCDIR/tests/modules/dep.c" &&
    "$CC" -shared -fPIC $cflags -o deps/stage_needsdep.so "$SRCDIR/tests/modules/needs_dep.c" \
        -Llib -lqpdep
expect_status "build a module with a dependency" $? 0
"$QUALPIPE" stage needsdep --plugin-dir deps < /dev/null 2> err.txt
expect_status "missing dependency refused" $? 3
expect_grep "names the missing library" "stage_needsdep.*libqpdep\.so: cannot open shared object file" \
    err.txt
done_checks

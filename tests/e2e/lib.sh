# lib.sh - helpers for the end-to-end tests: a scratch folder, assertions that
# say what they expected, and the fixture paths.
set -u -o pipefail # a pipeline fails when any command in it does
FIX="$SRCDIR/tests/fixtures"
if [ -z "${JQ:-}" ]; then
    echo "FAIL: jq is needed by the end-to-end tests: apt-get install jq, then ./configure" >&2
    exit 1
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/qualpipe-test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 99
CHECKS=0

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# expect_eq WHAT ACTUAL EXPECTED
expect_eq() {
    CHECKS=$((CHECKS + 1))
    [ "$2" = "$3" ] || fail "$1: expected '$3', got '$2'"
}

# expect_grep WHAT PATTERN FILE: FILE has a line matching PATTERN (extended regex)
expect_grep() {
    CHECKS=$((CHECKS + 1))
    grep -Eq -- "$2" "$3" || { cat "$3" >&2; fail "$1: no line matching '$2' in $3"; }
}

# expect_status WHAT ACTUAL EXPECTED
expect_status() {
    expect_eq "$1 (exit status)" "$2" "$3"
}

# jqr FILTER FILE: one jq result, raw
jqr() {
    "$JQ" -r "$1" "$2"
}

done_checks() {
    echo "ok: $CHECKS checks"
}

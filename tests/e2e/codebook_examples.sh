# codebook_examples.sh - every shipped codebook keeps its word: each example
# sentence is coded with its code (or a code below it), and no near-miss is.
. "$SRCDIR/tests/e2e/lib.sh"

for cb in "$SRCDIR"/codebooks/*/*.json; do
    name=$(basename "$cb" .json)
    "$QUALPIPE" codebook check "$cb" > /dev/null
    expect_status "$name is valid" $? 0
    # One document per example and near-miss, naming the code it tests.
    "$JQ" -c '.. | objects | select(has("id") and has("label")) | . as $c
        | (($c.examples // []) | to_entries[]
            | {id: "\($c.id) example \(.key + 1)", text: .value, meta: {code: $c.id, want: true}}),
          (($c.near_misses // []) | to_entries[]
            | {id: "\($c.id) near-miss \(.key + 1)", text: .value, meta: {code: $c.id, want: false}})' \
        "$cb" > "$name-examples.jsonl"
    expect_eq "$name has examples" "$([ -s "$name-examples.jsonl" ] && echo yes)" yes
    "$QUALPIPE" stage read "$name-examples.jsonl" | "$QUALPIPE" stage tokenise \
        | "$QUALPIPE" stage code -c "$cb" > "$name-coded.jsonl"
    # A hit counts for its code and every code above it.
    "$JQ" -rs '([.[0].codebooks[].codes[]] | map({(.id): .parent}) | add) as $parent
        | def up: if . == null then empty else ., ($parent[.] | up) end;
        .[1:][] | . as $doc | ([.codes[].code | up] | unique) as $coded
        | select((($coded | index($doc.meta.code)) != null) != $doc.meta.want)
        | "\(.id): \(if .meta.want then "not coded" else "coded" end) as \(.meta.code) (\(.text))"' \
        "$name-coded.jsonl" > "$name-wrong.txt"
    CHECKS=$((CHECKS + $(wc -l < "$name-examples.jsonl")))
    if [ -s "$name-wrong.txt" ]; then
        cat "$name-wrong.txt" >&2
        fail "$name: $(wc -l < "$name-wrong.txt") example(s) coded wrongly"
    fi
done
done_checks

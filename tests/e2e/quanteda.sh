# quanteda.sh - with --tokens quanteda --unit document, per-document counts on the
# inaugural addresses are those of quanteda's
#   tokens_lookup(tokens(data_corpus_inaugural, remove_punct = TRUE), dict)
# for the dictionary in tests/fixtures/quanteda-dict.json (globs by default,
# case-insensitive, a phrase as space-separated values, nested_scope = "key").
#
# The expected numbers were worked out from those semantics, not from qualpipe:
# - tokens: letters and digits, in-word apostrophes and hyphens kept (quanteda's
#   split_hyphens = FALSE), punctuation removed; so "Fellow-Citizens" is ONE token,
#   which citizen* does not match (1789-Washington and 1861-Lincoln each open
#   with it), and "God's" (2009-Obama) is one token that the word god does not match;
# - free* matches freedom, freely, free, freemen...; liberty and liberties exactly;
# - "united states" counts the two adjacent tokens, and union the word alone;
# - token counts are the number of words so defined in each address.
. "$SRCDIR/tests/e2e/lib.sh"
"$QUALPIPE" run -q --tokens quanteda --unit document -c "$FIX/quanteda-dict.json" \
    -o q.json "$SRCDIR/corpora/inaugural/inaugural.jsonl"
expect_status "run" $? 0

check() { # DOC TOKENS CITIZENS FREEDOM UNION GOD
    expect_eq "$1" \
        "$(jqr ".documents[\"$1\"] | [.tokens, (.codes.citizens // 0), (.codes.freedom // 0), (.codes.union // 0), (.codes.god // 0)] | map(tostring) | join(\" \")" q.json)" \
        "$2 $3 $4 $5 $6"
}
check 1789-Washington 1430 4 6 4 0
check 1861-Lincoln 3634 6 3 25 0
check 1933-Roosevelt 1880 1 0 2 2
check 2009-Obama 2390 2 7 1 3
check 2025-Trump 2913 8 9 7 4

# The quanteda style keeps numbers and abbreviations whole and symbols as tokens.
printf 'U.S.A. pays $100, i.e. 1,000 times 3.5 today.\n' > t.txt
"$QUALPIPE" stage read t.txt | "$QUALPIPE" stage tokenise --tokens quanteda | tail -1 > q.jsonl
expect_eq "quanteda tokens" "$("$JQ" -r '.text as $t | [.tokens[] | $t[.[0]:.[1]]] | join("|")' q.jsonl)" \
    'U.S.A|pays|$|100|i.e|1,000|times|3.5|today'
"$QUALPIPE" stage read t.txt | "$QUALPIPE" stage tokenise | tail -1 > d.jsonl
expect_eq "qualpipe tokens" "$("$JQ" -r '.text as $t | [.tokens[] | $t[.[0]:.[1]]] | join("|")' d.jsonl)" \
    'U|S|A|pays|100|i|e|1|000|times|3|5|today'

# quanteda removes punctuation before matching phrases, so a phrase crosses a full
# stop; qualpipe's default sentence units do not.
printf 'They united. States followed.\n' > p.txt
"$QUALPIPE" run -q --tokens quanteda --unit document -c "$FIX/quanteda-dict.json" -o p1.json p.txt
expect_eq "phrase across a stop, as quanteda" "$(jqr '.codes.union.hits' p1.json)" 1
"$QUALPIPE" run -q -c "$FIX/quanteda-dict.json" -o p2.json p.txt
expect_eq "phrase inside a sentence, by default" "$(jqr '.codes.union.hits' p2.json)" 0
# Each token serves one match of a key, longest first, then leftmost: quanteda
# counts "no no" once in "No, no, no", and "a b" and "c" (not "b c") in "a b c".
cat > overlap.json <<'EOF'
{"qualpipe_codebook": 1, "name": "overlap", "version": "1",
 "codes": [{"id": "nono", "patterns": ["no no"]},
           {"id": "abc", "patterns": ["a b", "b c", "c*"]}]}
EOF
printf 'No, no, no\n' > n.txt
printf 'a b c\n' > a.txt
for style in quanteda qualpipe; do
    "$QUALPIPE" run -q --tokens $style --unit document -c overlap.json --hits h.csv \
        -o o.json n.txt a.txt
    expect_status "overlap, $style tokens" $? 0
    expect_eq "no no once, $style tokens" "$(jqr '.codes.nono.hits' o.json)" 1
    expect_eq "the rules that count, $style tokens" "$(cut -d, -f7 h.csv | tr '\n' ' ')" \
        'rule "no no" "a b" "c*" '
done
"$QUALPIPE" run -q --tokens spacy -c "$FIX/quanteda-dict.json" p.txt 2> err.txt > /dev/null
expect_status "unknown style" $? 2
expect_grep "names the styles" "--tokens spacy: give qualpipe or quanteda" err.txt
done_checks

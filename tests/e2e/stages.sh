# stages.sh - the chain as data: --stages for run, kwic and agree, a stage's
# options on the command line and as --STAGE.OPTION, names two stages share,
# chains of the wrong shape, help for the chain it would run, and output
# options that belong to the sink.
. "$SRCDIR/tests/e2e/lib.sh"
set -o pipefail
MODS="$BUILDDIR/tests/modules"
CORPUS="$SRCDIR/corpora/pln-interviews"
DEFAULT=read,segment,tokenise,code,aggregate

"$QUALPIPE" run -q -c edmondson -o default.json "$CORPUS"
"$QUALPIPE" run -q --stages "$DEFAULT" -c edmondson -o named.json "$CORPUS"
expect_status "the default chain named" $? 0
cmp default.json named.json || fail "--stages with the default chain changes the result"
CHECKS=$((CHECKS + 1))

# A stage option given as --STAGE.OPTION is the same option.
"$QUALPIPE" run -q --code.codebook edmondson --segment.unit paragraph -o q.json "$CORPUS"
"$QUALPIPE" run -q -c edmondson --unit paragraph -o p.json "$CORPUS"
cmp q.json p.json || fail "--STAGE.OPTION differs from --OPTION"
CHECKS=$((CHECKS + 1))

# Two stages declaring one name: refused naming both; qualified names work.
CLASH=read,segment,clash,tokenise,code,aggregate
"$QUALPIPE" run -q --plugin-dir "$MODS" --stages "$CLASH" -c edmondson --unit paragraph \
    "$CORPUS" > /dev/null 2> err.txt
expect_status "shared name refused" $? 2
expect_grep "names both stages" "--unit is an option of both stage segment and stage clash: say --segment.unit or --clash.unit" err.txt
"$QUALPIPE" run -q --plugin-dir "$MODS" --stages "$CLASH" -c edmondson --segment.unit paragraph \
    --clash.unit x -o clash.json "$CORPUS"
expect_status "qualified names" $? 0
expect_eq "segment got its unit" "$(jqr '.provenance.stages[1].options.unit' clash.json)" paragraph
expect_eq "clash got its own" "$(jqr '.provenance.stages[2].options.unit' clash.json)" x
"$QUALPIPE" run --plugin-dir "$MODS" --stages "$CLASH" --help > help.txt
expect_grep "help shows the qualified name" "^ +--clash\.unit WORD" help.txt
expect_grep "help shows each stage" "^ Stage clash:" help.txt

# The help of a chain shows its stages' options.
"$QUALPIPE" run --stages read,segment,tokenise,minlength,code,aggregate --help > help.txt
expect_status "run --help with --stages" $? 0
expect_grep "a stage's option in run --help" "--min-tokens N" help.txt
expect_grep "defaults are shown" "\\(0: none\\) \\(default: 5\\)" help.txt
"$QUALPIPE" run --stages read,nosuch,aggregate --help > help.txt 2> err.txt
expect_status "help when a stage is missing" $? 0
expect_grep "still lists run's own options" "--stages LIST" help.txt
expect_grep "names the missing stage" "no stage module 'stage_nosuch'" err.txt

# Chains of the wrong shape.
"$QUALPIPE" run --stages tokenise,aggregate -c edmondson "$CORPUS" 2> err.txt > /dev/null
expect_status "no source" $? 3
expect_grep "says the first must be a source" "tokenise: the first stage must be a source" err.txt
"$QUALPIPE" run --stages read,tokenise -c edmondson "$CORPUS" 2> err.txt > /dev/null
expect_status "no sink" $? 3
expect_grep "says the last must be a sink" "tokenise: the last stage must be a sink" err.txt
"$QUALPIPE" run --stages read,tokenise,tokenise,aggregate "$CORPUS" 2> err.txt > /dev/null
expect_status "a stage twice" $? 3
expect_grep "says twice" "tokenise is named twice" err.txt

# Output formats belong to the sink that declares them.
"$QUALPIPE" stage read "$CORPUS/P01.txt" | "$QUALPIPE" stage tokenise --format sqlite \
    > /dev/null 2> err.txt
expect_status "tokenise has no --format" $? 2
expect_grep "refused, not ignored" "stage tokenise: unknown option --format" err.txt
"$QUALPIPE" stage read "$CORPUS" | "$QUALPIPE" stage segment | "$QUALPIPE" stage tokenise |
    "$QUALPIPE" stage code -c edmondson > coded.jsonl
"$QUALPIPE" stage aggregate -q --format csv < coded.jsonl > stage.csv
expect_status "stage aggregate -q --format csv" $? 0
"$QUALPIPE" run -q -c edmondson --format csv "$CORPUS" > run.csv
cmp stage.csv run.csv || fail "stage aggregate --format csv differs from run --format csv"
CHECKS=$((CHECKS + 1))
# Hits need not come in text order: the same stream with each document's hits
# sorted by rule counts the same (segments, co-occurrence and quotes included).
"$QUALPIPE" stage aggregate -q < coded.jsonl > ordered.json
jq -c 'if has("codes") then .codes |= sort_by(.rule, .start) else . end' coded.jsonl > reordered.jsonl
expect_status "reorder the hits" $? 0
cmp -s coded.jsonl reordered.jsonl && fail "no hits were reordered"
"$QUALPIPE" stage aggregate -q < reordered.jsonl > reordered.json
expect_status "stage aggregate on reordered hits" $? 0
cmp ordered.json reordered.json || fail "hits out of text order count differently"
CHECKS=$((CHECKS + 1))
"$QUALPIPE" stage aggregate --format sqlite < coded.jsonl > /dev/null 2> err.txt
expect_status "a database needs a file" $? 2
expect_grep "says so before reading" "a database is a file; name it with -o FILE.db" err.txt

# kwic and agree build their chains the same way.
"$QUALPIPE" kwic -c edmondson --code deviance --tsv "$CORPUS" > k1.tsv
"$QUALPIPE" kwic --stages read,segment,tokenise,code -c edmondson --code deviance --tsv \
    "$CORPUS" > k2.tsv
expect_status "kwic --stages" $? 0
cmp k1.tsv k2.tsv || fail "kwic --stages with its default chain differs"
CHECKS=$((CHECKS + 1))
"$QUALPIPE" kwic --stages read,segment,tokenise,minlength,code --min-tokens 1200 -c edmondson \
    --code deviance --tsv "$CORPUS" > k3.tsv
expect_status "kwic with a filter" $? 0
[ "$(wc -l < k3.tsv)" -lt "$(wc -l < k1.tsv)" ] || fail "kwic: minlength dropped nothing"
CHECKS=$((CHECKS + 1))
"$QUALPIPE" kwic --stages read,segment,tokenise,code,aggregate -c edmondson --code deviance \
    "$CORPUS" > /dev/null 2> err.txt
expect_status "kwic brings its own sink" $? 3
expect_grep "says so" "aggregate: this command brings its own sink" err.txt
"$QUALPIPE" agree -q --stages read,segment --corpus "$CORPUS" -c edmondson \
    "$SRCDIR/corpora/reference/pln-interviews.jsonl" coded.jsonl > a.json
expect_status "agree --stages" $? 0
expect_eq "units named from the stream" "$(jqr '.unit' a.json)" sentence
"$QUALPIPE" agree -q --reference 1x --corpus "$CORPUS" coded.jsonl coded.jsonl 2> err.txt
expect_status "agree --reference 1x" $? 2
expect_grep "checked like every number" "--reference 1x: give a whole number from 1 to" err.txt
done_checks

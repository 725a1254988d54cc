# kwic.sh - `qualpipe kwic`: context cut to the width in display columns (wide
# characters count two), the keyword column aligned, a parent code showing its
# children's hits, speakers, TSV columns, and the errors.
. "$SRCDIR/tests/e2e/lib.sh"

cat > cb.json <<'JSON'
{
  "qualpipe_codebook": 1,
  "name": "KWIC test",
  "version": "1",
  "codes": [
    {"id": "fail", "codes": [
      {"id": "process", "patterns": ["shared data"]},
      {"id": "luck", "patterns": ["bad luck"]}
    ]}
  ]
}
JSON
mkdir corpus
printf 'Alpha line.\nThe network had no shared data at all.' > corpus/a.txt
printf 'Bad luck again' > corpus/b.txt
printf '数据共享 shared data' > corpus/c.txt
printf 'Interviewer: What went wrong?\nP07: We had no shared data, and bad luck.' > corpus/d.txt

# Ten columns each side: "rk had no " is the last ten before the hit on line 2
# of a.txt; the line break before "The" is out of reach. In c.txt four wide
# characters and a space take nine columns, so one space pads them.
"$QUALPIPE" kwic -c cb.json --code process -w 10 corpus > process.txt
expect_status "kwic" $? 0
expect_eq "one line per hit, in corpus order, keyword in column 11" "$(cat process.txt)" \
"rk had no [shared data] at all.  (a:2)
 数据共享 [shared data]  (c:1)
We had no [shared data], and bad   (d:2)"

# A parent code shows the hits of the codes below it, naming each; a hit at the
# start of a document is padded to the keyword column.
"$QUALPIPE" kwic -c cb.json --code fail -w 10 --speakers corpus > fail.txt
expect_status "kwic of a parent code" $? 0
expect_eq "children's hits, with speaker and code" "$(sed -n '2p;5p' fail.txt)" \
"          [Bad luck] again  (b:1, luck)
data, and [bad luck].  (d:2, P07, luck)"
expect_eq "five hits under fail" "$(wc -l < fail.txt | tr -d ' ')" 5

# The same lines on several threads.
"$QUALPIPE" kwic -j 3 -c cb.json --code fail -w 10 --speakers corpus > fail-j3.txt
expect_eq "same output on three threads" "$(cat fail-j3.txt)" "$(cat fail.txt)"

# TSV: a header, then one row per hit with byte spans into the text.
"$QUALPIPE" kwic -c cb.json --code luck --tsv -w 5 --speakers corpus > luck.tsv
expect_eq "TSV header" "$(head -n 1 luck.tsv)" \
    "$(printf 'doc\tline\tstart\tend\tcode\trule\tspeaker\tleft\tmatch\tright')"
expect_eq "TSV row" "$(sed -n 3p luck.tsv)" \
    "$(printf 'd\t2\t62\t70\tluck\tbad luck\tP07\t and \tbad luck\t.')"
expect_eq "bytes 62..70 of d.txt" "$(tail -c +63 corpus/d.txt | head -c 8)" "bad luck"

# Errors: an unknown code, no --code, a bad width. No hits is not an error.
"$QUALPIPE" kwic -c cb.json --code nope corpus > /dev/null 2> err.txt
expect_status "unknown code" $? 2
expect_grep "names the code" "kwic: --code nope: no such code" err.txt
"$QUALPIPE" kwic -c cb.json corpus > /dev/null 2> err.txt
expect_status "no --code" $? 2
expect_grep "asks for --code" "--code ID is required" err.txt
"$QUALPIPE" kwic -c cb.json --code luck -w lots corpus > /dev/null 2> err.txt
expect_status "bad width" $? 2
expect_grep "names the width" "--width lots: give a whole number from 0 to 1000" err.txt
"$QUALPIPE" kwic -c cb.json --code luck corpus/a.txt > none.txt 2> err.txt
expect_status "no hits" $? 0
expect_grep "says there were none" "chosen code has no hits in 1 document" err.txt

# The context of a hit never shows the words of a speaker the filters left out.
printf 'Ana: First we met. Then the shared data helped us. It was good.\nDan: Shared data? I never saw it.\nAna: We had shared data.\n' > turns.txt
printf '{"qualpipe_codebook":1,"name":"d","version":"1","codes":[{"id":"d","patterns":["shared data"]}]}' > d.json
"$QUALPIPE" kwic -c d.json --code d --speakers-exclude Dan turns.txt > turns.out
expect_status "kwic with a speaker left out" $? 0
expect_eq "Ana's hits only, in Ana's words" "$(sed 's/^ *//' turns.out)" \
    "$(printf 'First we met. Then the [shared data] helped us. It was good.  (turns:1, Ana)\nWe had [shared data].  (turns:3, Ana)')"
CHECKS=$((CHECKS + 1))
! grep -q "never saw" turns.out || fail "Dan's words shown in a context"
done_checks

# segment.sh - speaker turns and units on real transcripts: the PDPilot interviews
# against their turns file, speaker filters, units, and what segments do to coding.
. "$SRCDIR/tests/e2e/lib.sh"
PD="$SRCDIR/corpora/pdpilot"

# Paragraph units with speakers: one per turns-file line, same text, same speaker;
# an unlabelled paragraph continues the current speaker's turn.
"$QUALPIPE" stage read "$PD/transcripts" | "$QUALPIPE" stage segment --unit paragraph --speakers \
    > paragraphs.jsonl
expect_status "segment pdpilot" $? 0
expect_eq "885 paragraphs" "$(tail -n +2 paragraphs.jsonl | "$JQ" '.segments | length' | "$JQ" -s add)" 885
: > ours.tsv
tail -n +2 paragraphs.jsonl | while read -r record; do
    id=$(printf '%s' "$record" | "$JQ" -r .id)
    printf '%s' "$record" | "$JQ" -j .text > "text-$id"
    printf '%s' "$record" | "$JQ" -r '.segments[] | "\(.[0])\t\(.[1])\t\(.[2])"' |
        while IFS="$(printf '\t')" read -r s e speaker; do
            printf '%s\t%s\t%s\n' "$id" "$speaker" \
                "$(tail -c +"$((s + 1))" "text-$id" | head -c "$((e - s))" | base64 -w0)" >> ours.tsv
        done
done
"$JQ" -r '[.doc, (.speaker // "-"), (.text | @base64)] | @tsv' "$PD/pdpilot_turns.jsonl" > theirs.tsv
expect_eq "same texts in the same order" "$(cut -f1,3 ours.tsv | md5sum)" "$(cut -f1,3 theirs.tsv | md5sum)"
expect_eq "labelled paragraphs keep their speaker" \
    "$(paste ours.tsv theirs.tsv | awk -F'\t' '$5 != "-" && $2 != $5' | wc -l)" 0
expect_eq "continuations take the current speaker" \
    "$(paste ours.tsv theirs.tsv | awk -F'\t' '$5 == "-" { n++; if ($2 != prev) bad++ } { prev = $2 } END { print n "/" bad + 0 }')" \
    "51/0"
expect_eq "the typo is a speaker of its own" "$(cut -f2 ours.tsv | grep -c '^Particpant$')" 1

# Turns: each labelled paragraph opens one; continuations join it.
"$QUALPIPE" stage read "$PD/transcripts" | "$QUALPIPE" stage segment --unit turn > turns.jsonl
expect_eq "834 turns" "$(tail -n +2 turns.jsonl | "$JQ" '.segments | length' | "$JQ" -s add)" 834
expect_eq "turn speakers" \
    "$(tail -n +2 turns.jsonl | "$JQ" -r '.segments[][2]' | sort | uniq -c | awk '{print $2 "=" $1}' | tr '\n' ' ')" \
    "Dan=416 Participant=417 Particpant=1 "

# Sentences: every one lies inside one of those paragraphs, with its speaker.
"$QUALPIPE" stage read "$PD/transcripts" | "$QUALPIPE" stage segment --unit sentence --speakers \
    > sentences.jsonl
expect_eq "sentences never cross a paragraph or turn" \
    "$("$JQ" -s --slurpfile p paragraphs.jsonl '
        [.[1:][] | {id, s: .segments}] as $a | [$p[1:][] | {id, p: .segments}] as $b
        | [range(0; $a | length) as $d | $a[$d].s[] as $x
           | select([$b[$d].p[] | select(.[0] <= $x[0] and $x[1] <= .[1] and .[2] == $x[2])] | length != 1)]
        | length' sentences.jsonl)" 0
expect_eq "more sentences than paragraphs" \
    "$(tail -n +2 sentences.jsonl | "$JQ" '.segments | length' | "$JQ" -s 'add > 885')" true

# Only what participants said.
"$QUALPIPE" stage read "$PD/transcripts" \
    | "$QUALPIPE" stage segment --speakers-exclude 'dan, Particpant' > participant.jsonl
expect_eq "no interviewer sentences" \
    "$(tail -n +2 participant.jsonl | "$JQ" -r '.segments[][2]' | sort -u | tr '\n' ' ')" "Participant "
"$QUALPIPE" stage read "$PD/transcripts" | "$QUALPIPE" stage segment --speakers-include dan > dan.jsonl
expect_eq "only the interviewer" \
    "$(tail -n +2 dan.jsonl | "$JQ" -r '.segments[][2]' | sort -u | tr '\n' ' ')" "Dan "

# What segments do to coding and counting.
printf 'Interviewer: Did the leaders help?\n\nP1: The leaders met. It was shared. Data came later.\n\nNo label here, our leadership again.\n' > talk.txt
"$QUALPIPE" run -q -c "$FIX/pln.json" -o all.json talk.txt
expect_eq "interviewer included" "$(jqr '.codes.leadership.hits' all.json)" 3
expect_eq "sentences counted" "$(jqr ".totals.segments" all.json)" 5
expect_eq "segments with the code" "$(jqr '.codes.leadership.segments' all.json)" 3
expect_eq "a phrase stays inside its sentence" "$(jqr '.codes.shared_data.hits' all.json)" 0
"$QUALPIPE" run -q -c "$FIX/pln.json" --unit document -o whole.json talk.txt
expect_eq "without segments the phrase crosses the stop" "$(jqr '.codes.shared_data.hits' whole.json)" 1
expect_eq "a document is one segment" "$(jqr '.totals.segments' whole.json)" 1
"$QUALPIPE" run -q -c "$FIX/pln.json" --speakers-exclude Interviewer -o part.json talk.txt
expect_eq "interviewer left out" "$(jqr '.codes.leadership.hits' part.json)" 2
expect_eq "only participant tokens counted" "$(jqr ".totals.tokens" part.json)" 15
"$QUALPIPE" stage read talk.txt | "$QUALPIPE" stage segment --speakers-exclude Interviewer \
    | "$QUALPIPE" stage tokenise | "$QUALPIPE" stage code -c "$FIX/pln.json" > coded.jsonl
expect_eq "hits name their segment" "$(tail -1 coded.jsonl | "$JQ" -c '[.codes[].segment]')" "[0,3]"
"$QUALPIPE" run -q -c "$FIX/pln.json" --unit regex --delimiter '[;.]' -o parts.json talk.txt
expect_eq "regex units" "$(jqr ".totals.segments" parts.json)" 4

# Turns on consecutive lines, with no blank line between them, are told apart;
# a label in the middle of a line is not a turn.
printf 'Interviewer: Did the leaders help?\nP1: Yes. Note: they led.\nInterviewer: How?\n' > lines.txt
"$QUALPIPE" stage read lines.txt | "$QUALPIPE" stage segment --unit turn > lines.jsonl
expect_eq "three turns, one per labelled line" \
    "$(tail -1 lines.jsonl | "$JQ" -c '[.segments[][2]]')" '["Interviewer","P1","Interviewer"]'
expect_eq "the P1 turn runs to its line's end" \
    "$(tail -1 lines.jsonl | "$JQ" -r '.text[.segments[1][0]:.segments[1][1]]')" "Yes. Note: they led."

# Leaving out the only speaker leaves nothing to code: the document is dropped
# on purpose (and said to be), not coded whole.
printf 'Interviewer: How do leaders lead?\nInterviewer: And failure?\n' > only.txt
printf 'Interviewer: How do leaders lead?\nP1: Leaders lead by sharing data.\n' > both.txt
"$QUALPIPE" run -c "$FIX/pln.json" --speakers-exclude Interviewer --summary -o only.json \
    only.txt both.txt 2> summary.txt
expect_status "excluding the only speaker" $? 0
expect_eq "that document is dropped by segment" "$(jqr '[.totals.dropped, .dropped.segment] | @csv' only.json)" "1,1"
expect_eq "only the other is coded" "$(jqr '[.totals.documents, .totals.tokens] | @csv' only.json)" "1,5"
expect_eq "the interviewer's lead is not counted" "$(jqr '.codes.leadership.hits' only.json)" 2
expect_grep "the summary says what was dropped" "1 coded, 0 skipped, 1 dropped \(by segment: 1\)" summary.txt

# Old Mac line ends (CR alone) end lines too: turns are found as with LF.
printf 'Interviewer: How do leaders lead?\rP1: Leaders lead by sharing data.\r' > cr.txt
"$QUALPIPE" run -q -c "$FIX/pln.json" --speakers-include P1 -o cr.json cr.txt
expect_status "a CR-only transcript" $? 0
"$QUALPIPE" run -q -c "$FIX/pln.json" --speakers-include P1 -o lf.json both.txt
expect_eq "CR alone: the same turns and hits as LF" \
    "$(jqr '[.totals.segments, .totals.tokens, .totals.hits] | @csv' cr.json)" \
    "$(jqr '[.totals.segments, .totals.tokens, .totals.hits] | @csv' lf.json)"
expect_eq "CR alone: only P1's words" "$(jqr '.totals.tokens' cr.json)" 5

# Option errors, before any document is read.
"$QUALPIPE" run -c "$FIX/pln.json" --unit chapter talk.txt 2> err.txt > /dev/null
expect_status "unknown unit" $? 2
expect_grep "lists the units" "--unit chapter: give sentence, paragraph, turn, regex or document" err.txt
"$QUALPIPE" run -c "$FIX/pln.json" --unit regex talk.txt 2> err.txt > /dev/null
expect_status "regex unit without delimiter" $? 2
"$QUALPIPE" run -c "$FIX/pln.json" --speaker-label '(oops' talk.txt 2> err.txt > /dev/null
expect_status "bad speaker label" $? 2
expect_grep "PCRE2's message" "--speaker-label \\(oops: not a regular expression: missing closing parenthesis at character 6" err.txt

# Speakers from a field: JSON Lines records of one turn each, {"speaker": ...}.
turns="$SRCDIR/corpora/pdpilot/pdpilot_turns.jsonl"
"$QUALPIPE" run -q -c pdpilot -o all.json "$turns"
"$QUALPIPE" run -q -c pdpilot --speakers-include Participant -o in.json "$turns"
expect_status "include by the speaker field" $? 0
"$QUALPIPE" run -q -c pdpilot --speakers-exclude Participant -o out.json "$turns"
participant=$("$JQ" -c 'select(.speaker == "Participant")' "$turns" | wc -l)
expect_eq "only the participant's turns are coded" "$(jqr .totals.documents in.json)" "$participant"
expect_eq "the others are left out" "$(jqr .totals.dropped in.json)" "$(($(jqr .totals.documents all.json) - participant))"
expect_eq "include and exclude split the hits" \
    "$(($(jqr .totals.hits in.json) + $(jqr .totals.hits out.json)))" "$(jqr .totals.hits all.json)"
expect_eq "their segments carry the speaker" \
    "$(jqr '[.codes[].quotes // [] | .[].speaker] | unique | join(",")' in.json)" Participant
"$QUALPIPE" run -q -c pdpilot --unit turn --speakers -o turn.json "$turns"
expect_eq "--unit turn: a record is one turn" "$(jqr .totals.segments turn.json)" "$(jqr .totals.documents turn.json)"
# A record whose text has labels is split by them, whatever its field says.
printf '%s\n' '{"id": "r1", "speaker": "P07", "text": "Interviewer: What went wrong?\nP07: Nobody owned the handoff."}' > labelled.jsonl
"$QUALPIPE" stage read labelled.jsonl | "$QUALPIPE" stage segment --speakers-exclude Interviewer |
    sed -n 2p | "$JQ" -c '[.segments[][2]]' > sp.txt
expect_eq "the labels win over the field" "$(cat sp.txt)" '["P07"]'
printf '%s\n' '{"id": "r2", "who": "P07", "text": "Nobody owned the handoff."}' > who.jsonl
"$QUALPIPE" stage read who.jsonl | "$QUALPIPE" stage segment --speakers-include P07 \
    --speaker-field who | sed -n 2p | "$JQ" -c '[.segments[][2]]' > sp.txt
expect_eq "--speaker-field names the field" "$(cat sp.txt)" '["P07"]'
"$QUALPIPE" stage read who.jsonl | "$QUALPIPE" stage segment --speakers-include P07 |
    sed -n 2p | "$JQ" -r '.dropped.stage' > sp.txt
expect_eq "another field is not a speaker" "$(cat sp.txt)" segment
done_checks

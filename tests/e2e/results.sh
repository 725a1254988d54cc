# results.sh - the measures of a result on a corpus small enough to work out by
# hand: shares of units coded, roll-up, co-occurrence, crossed groups, quotes.
. "$SRCDIR/tests/e2e/lib.sh"
cat > corpus.jsonl <<'J'
{"id": "D1", "text": "We shared data. Leaders lead. The data helped.", "meta": {"district": "A", "year": 2019}}
{"id": "D2", "text": "Leaders met.", "meta": {"district": "B", "year": 2019}}
{"id": "D3", "text": "No data here. Nothing else.", "meta": {"district": "A", "year": 2020}}
J
cat > cb.json <<'J'
{"qualpipe_codebook": 1, "name": "r", "version": "1", "codes": [
  {"id": "talk", "codes": [{"id": "data", "patterns": ["data"]}, {"id": "lead", "patterns": ["lead*"]}]},
  {"id": "none", "patterns": ["zzz"]}]}
J
"$QUALPIPE" run -q -c cb.json --by district,year --quotes 2 -o r.json corpus.jsonl
expect_status "run" $? 0
# Sentences: D1 "We shared data." (data) "Leaders lead." (lead x2) "The data helped." (data);
# D2 "Leaders met." (lead); D3 "No data here." (data) "Nothing else.": 6 segments.
expect_eq "totals" "$(jqr '.totals | "\(.documents) \(.segments) \(.hits)"' r.json)" "3 6 6"
expect_eq "data: hits, documents, segments" "$(jqr '.codes.data | "\(.hits) \(.documents) \(.segments)"' r.json)" "3 2 3"
expect_eq "data: shares 2/3 and 3/6" "$(jqr '.codes.data | "\(.share_of_documents) \(.share_of_segments)"' r.json)" "0.6667 0.5"
expect_eq "lead: two hits in one sentence count one segment" \
    "$(jqr '.codes.lead | "\(.hits) \(.segments) \(.share_of_segments)"' r.json)" "3 2 0.3333"
# talk rolls up data and lead, counting a unit once though both fire in D1.
expect_eq "roll-up" "$(jqr '.codes.talk | "\(.subtree_hits) \(.subtree_documents) \(.subtree_segments) \(.subtree_share_of_segments)"' r.json)" \
    "6 3 5 0.8333"
expect_eq "absent" "$(jqr '.codes_without_hits | join(",")' r.json)" "none"
# Documents: data and lead meet in D1 only: 1 / (2 + 2 - 1); talk and data in D1, D3: 2 / (3 + 2 - 2).
expect_eq "documents: data x lead" "$(jqr '.cooccurrence.documents.data.lead | "\(.count) \(.jaccard)"' r.json)" "1 0.3333"
expect_eq "documents: talk x data" "$(jqr '.cooccurrence.documents.talk.data | "\(.count) \(.jaccard)"' r.json)" "2 0.6667"
# Segments: data and lead never share a sentence; talk and data share 3: 3 / (5 + 3 - 3).
expect_eq "segments: data x lead" "$(jqr '.cooccurrence.segments.data.lead' r.json)" "null"
expect_eq "segments: talk x data" "$(jqr '.cooccurrence.segments.talk.data | "\(.count) \(.jaccard)"' r.json)" "3 0.6"
expect_eq "segments: talk x lead" "$(jqr '.cooccurrence.segments.talk.lead | "\(.count) \(.jaccard)"' r.json)" "2 0.4"
# Crossed groups.
expect_eq "crossed groups" "$(jqr '.groups["district,year"] | keys | join(";")' r.json)" "A | 2019;A | 2020;B | 2019"
expect_eq "a crossed group's counts" \
    "$(jqr '.groups["district,year"]["A | 2019"] | "\(.documents) \(.segments) \(.codes.data.hits) \(.codes.data.share_of_segments)"' r.json)" \
    "1 3 2 0.6667"
expect_eq "absent in a group" "$(jqr '.groups["district,year"]["B | 2019"].codes_without_hits | join(",")' r.json)" "data,none"
# Quotes: the first two by document and position, each its sentence.
expect_eq "data quotes" "$(jqr '[.codes.data.quotes[] | "\(.doc) \(.text)"] | join(";")' r.json)" \
    "D1 We shared data.;D1 The data helped."
expect_eq "lead quotes: both in D1" "$(jqr '[.codes.lead.quotes[] | "\(.doc):\(.start) \(.rule)"] | join(";")' r.json)" \
    "D1:16 lead*;D1:24 lead*"
"$QUALPIPE" run -q -c cb.json --quotes 0 -o q0.json corpus.jsonl
expect_eq "--quotes 0" "$(jqr '.codes.data | has("quotes")' q0.json)" false
"$QUALPIPE" run -q -c cb.json --unit document -o doc.json corpus.jsonl
expect_eq "a quote without segments is a window" "$(jqr '.codes.data.quotes[0].text' doc.json)" \
    "We shared data. Leaders lead. The data helped."
"$QUALPIPE" run -q -c cb.json --quotes many corpus.jsonl 2> err.txt > /dev/null
expect_status "bad --quotes" $? 2
expect_grep "says what it takes" "--quotes many: give a whole number from 0 to 1000" err.txt

# Each document's row is written indented without parsing it again: the bytes
# must be jansson's (here compared with Python's, which formats the same), whatever
# the ids and groups hold.
cat > tricky.jsonl <<'J'
{"id": "a\"b\\c{d}[e],f:g", "text": "We shared data.", "meta": {"district": "x\"y\\z:{,}[]\u00e9"}}
{"id": "plain", "text": "Leaders met.", "meta": {"district": "\u0001 \t"}}
J
"$QUALPIPE" run -q -c cb.json --by district -o tricky.json tricky.jsonl
expect_status "run on tricky ids" $? 0
sed -n '/^  "documents": {/,/^  },/p' tricky.json | sed '$s/},$/}/' > rows.txt
# (Python's json writes reals as jansson does, 50.0 where jq writes 50.)
python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
s = json.dumps({"documents": d["documents"]}, indent=2, sort_keys=True, ensure_ascii=False)
print("\n".join(s.split("\n")[1:-1]))' tricky.json > rows.jq
[ -s rows.txt ] || fail "no documents in the result"
cmp rows.txt rows.jq || fail "documents' rows are not indented as jansson writes them"
CHECKS=$((CHECKS + 1))
done_checks

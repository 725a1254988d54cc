# refi_project.sh - the round trip through a QDA program: a coded corpus
# exported as a REFI-QDA project (.qdpx) that validates against Project.xsd, and
# projects (qualpipe's own, and one in the shape NVivo writes) read back by
# agree and codebook import.
. "$SRCDIR/tests/e2e/lib.sh"
[ -n "${XMLLINT:-}" ] || fail "xmllint is needed: apt-get install libxml2-utils, then ./configure"
command -v python3 > /dev/null || fail "python3 is needed to pack and unpack zip files"
RF="$FIX/refi"

# unzip_to DIR ARCHIVE / zip_from DIR ARCHIVE: with Python's zipfile
unzip_to() { python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[2]).extractall(sys.argv[1])' "$1" "$2"; }
zip_from() {
    python3 - "$1" "$2" <<'P'
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as z:
    for root, dirs, files in os.walk(sys.argv[1]):
        dirs.sort()
        for f in sorted(files):
            p = os.path.join(root, f)
            z.write(p, os.path.relpath(p, sys.argv[1]))
P
}
# stream CODEBOOK INPUT: the coding `run` would count, as a stream
stream() {
    "$QUALPIPE" stage read "$2" | "$QUALPIPE" stage segment | "$QUALPIPE" stage tokenise |
        "$QUALPIPE" stage code -c "$1"
}

# Every shipped codebook's export of its bundled corpus validates, codes what
# the run codes (alpha 1.0 against the stream that made it, each code's hits
# the same), and gives back the same codebook.
for pair in iparihs:pln-interviews edmondson:pln-interviews brown-flood:pln-interviews \
    distributed-leadership:pln-interviews nsi:nsi-districts example:inaugural \
    pdpilot:pdpilot/transcripts; do
    cb=${pair%%:*} corpus="$SRCDIR/corpora/${pair#*:}"
    "$QUALPIPE" export --qdpx "$cb.qdpx" -c "$cb" "$corpus" 2> err.txt
    expect_status "$cb: export" $? 0
    rm -rf "$cb.d" && unzip_to "$cb.d" "$cb.qdpx"
    CHECKS=$((CHECKS + 1))
    "$XMLLINT" --noout --schema "$RF/Project.xsd" "$cb.d/project.qde" 2> xsd.txt ||
        fail "$cb.qdpx does not validate: $(cat xsd.txt)"
    stream "$cb" "$corpus" > "$cb.jsonl"
    expect_status "$cb: the stream" $? 0
    "$QUALPIPE" agree -q -c "$cb" --corpus "$corpus" "$cb.jsonl" "$cb.qdpx" -o "$cb.agree.json"
    expect_status "$cb: agree with the project" $? 0
    expect_eq "$cb: alpha of the project with its run" "$(jqr '.overall.alpha' "$cb.agree.json")" 1
    expect_eq "$cb: F1 of the project with its run" \
        "$(jqr '.overall.compared_with_reference[] | .micro_f1' "$cb.agree.json")" 1
    expect_eq "$cb: one coding per hit" "$(grep -c '<Coding ' "$cb.d/project.qde")" \
        "$("$JQ" -s '[.[] | .codes // [] | length] | add' "$cb.jsonl")"
    "$QUALPIPE" codebook import "$cb.qdpx" > "$cb.back.json"
    expect_status "$cb: codebook import of the project" $? 0
    CHECKS=$((CHECKS + 1))
    cmp -s <("$JQ" -S . "$SRCDIR/codebooks/$cb/$cb.json") <("$JQ" -S . "$cb.back.json") ||
        fail "$cb: the project's codebook is not the codebook"
done

# The same input gives the same bytes, at any -j; the metadata become variables
# of one case per document.
PLN="$SRCDIR/corpora/pln-interviews"
"$QUALPIPE" export -j1 --qdpx j1.qdpx -c iparihs --meta "$PLN/metadata.csv" "$PLN"
"$QUALPIPE" export -j2 --qdpx j2.qdpx -c iparihs --meta "$PLN/metadata.csv" "$PLN"
CHECKS=$((CHECKS + 1))
cmp -s j1.qdpx j2.qdpx || fail "exports at -j1 and -j2 differ"
"$QUALPIPE" export -j2 --qdpx j3.qdpx -c iparihs --meta "$PLN/metadata.csv" "$PLN"
CHECKS=$((CHECKS + 1))
cmp -s j1.qdpx j3.qdpx || fail "two exports differ"
unzip_to j1.d j1.qdpx
n_docs=$(ls "$PLN"/*.txt | wc -l)
expect_eq "a source per document" "$(grep -c '<TextSource ' j1.d/project.qde)" "$n_docs"
expect_eq "a case per document" "$(grep -c '<Case ' j1.d/project.qde)" "$n_docs"
expect_eq "a text file per source" "$(ls j1.d/sources | wc -l)" "$n_docs"
expect_grep "metadata as variables" '<Variable guid="[-0-9a-f]+" name="role" typeOfVariable="Text"/>' \
    j1.d/project.qde
expect_grep "the coder is qualpipe" '<User guid="[-0-9a-f]+" name="qualpipe [0-9.]+"/>' j1.d/project.qde
expect_grep "the rule in the note" '<PlainTextContent>rule [^<]+ matched &quot;' j1.d/project.qde
"$XMLLINT" --noout --schema "$RF/Project.xsd" j1.d/project.qde 2> xsd.txt ||
    fail "the export with metadata does not validate: $(cat xsd.txt)"

# Positions are characters, not bytes: each selection of the first source
# covers, in characters of its text, the words its note says matched.
python3 - j1.d <<'P' > positions.txt
import re, sys, html
d = sys.argv[1]
x = open(d + "/project.qde", encoding="utf-8").read()
bad = 0
notes = dict(re.findall(r'<Note guid="([^"]+)"[^>]*>\s*<PlainTextContent>([^<]*)<', x))
for src, body in re.findall(r'<TextSource guid="([^"]+)"[^>]*>(.*?)</TextSource>', x, re.S):
    text = open(f"{d}/sources/{src}.txt", encoding="utf-8").read()
    for a, b, note in re.findall(r'startPosition="(\d+)" endPosition="(\d+)".*?<NoteRef targetGUID="([^"]+)"', body, re.S):
        words = re.search(r'matched "(.*)"$', html.unescape(notes[note]), re.S).group(1)
        bad += text[int(a):int(b)] != words
print(bad)
P
expect_eq "every selection covers its words, in characters" "$(cat positions.txt)" 0
printf 'Zoë’s coach — Renée — is our facilitator.\n' > nonascii.txt
"$QUALPIPE" export --qdpx na.qdpx -c iparihs nonascii.txt
unzip_to na.d na.qdpx
expect_grep "a position after non-ASCII text counts characters" \
    'startPosition="6" endPosition="11"' na.d/project.qde

# --scope unit: a coding covers the whole unit the code fired in, once per unit
# and code, and agrees with the run unit by unit.
"$QUALPIPE" export --scope unit --qdpx unit.qdpx -c iparihs "$PLN"
expect_status "export --scope unit" $? 0
unzip_to unit.d unit.qdpx
"$XMLLINT" --noout --schema "$RF/Project.xsd" unit.d/project.qde 2> xsd.txt ||
    fail "the unit export does not validate: $(cat xsd.txt)"
stream iparihs "$PLN" > iparihs.jsonl
"$QUALPIPE" agree -q -c iparihs --corpus "$PLN" iparihs.jsonl unit.qdpx -o unit.agree.json
expect_eq "unit scope: alpha with the run" "$(jqr '.overall.alpha' unit.agree.json)" 1
expect_eq "unit scope: one coding per unit and code" "$(grep -c '<Coding ' unit.d/project.qde)" \
    "$("$JQ" -s '[.[] | select(.codes) | [.codes[] | [.segment, .code]] | unique | length] | add' iparihs.jsonl)"

# A project in the shape NVivo writes (tests/fixtures/refi/two-coders, see its
# README): two coders, nested codes, a category, cases with variables, sources
# named after their .docx or not at all like the document, CR LF in a source's
# text, a coding of a case, a comment without a coding, a source the corpus lacks.
zip_from "$RF/two-coders" two.qdpx
"$QUALPIPE" agree -c iparihs --corpus "$RF/corpus" two.qdpx -o two.json 2> two.err
expect_status "agree on a two-coder project" $? 0
expect_eq "two codings, one per user" "$(jqr '[.coders[].name] | join(",")' two.json)" \
    "two.qdpx:Ana,two.qdpx:Ben"
expect_eq "Ben coded one of the two documents" "$(jqr '.coders[1].documents_missing' two.json)" 1
expect_grep "the source the corpus lacks is named" '1 source matches no document .*"Field memo"' two.err
expect_grep "the code the codebook lacks is named" '1 coding by two.qdpx:Ana .*"Emotion" \(1\)' two.err
expect_eq "the two agree where both coded" "$(jqr '.overall.alpha' two.json)" 1
# Ana's coding, as byte spans worked out from the words in the corpus's text:
# the project's character positions (CR LF in the source, non-ASCII before the
# words) must land on the same bytes.
python3 - "$RF/corpus" <<'P' > ana.jsonl
import json, sys
for doc, words, code in [("Interview A", "the coach", "facilitation_role"),
                         ("Interview A", "The district office", "context_organisational"),
                         ("Interview B", "the liaison", "facilitation_role"),
                         ("Interview B", "the district", "context_organisational")]:
    t = open(f"{sys.argv[1]}/{doc}.txt", "rb").read()
    a = t.index(words.encode())
    print(json.dumps({"doc": doc, "start": a, "end": a + len(words.encode()), "code": code}))
P
"$QUALPIPE" agree -q -c iparihs --corpus "$RF/corpus" ana.jsonl two.qdpx --coder ref --coder Ana \
    --coder Ben -o ana.json 2> /dev/null
expect_status "agree of Ana's bytes with the project" $? 0
# (4 spans, each also its parent's: 8 unit-codes, none more, none missed.)
expect_eq "Ana's codings land on the same units" \
    "$(jqr '.overall.compared_with_reference.Ana | [.tp, .fp, .fn] | join(" ")' ana.json)" "8 0 0"
"$QUALPIPE" codebook import two.qdpx > two.cb.json
expect_status "codebook import of a two-coder project" $? 0
expect_eq "its code tree" "$("$JQ" -r '[.codes[] | .label + "(" + ([.codes[]?.label] | join(",")) + ")"] | join(" ")' two.cb.json)" \
    "Facilitation(Facilitator role,Facilitation activity) Context(Organisational context) Emotion()"

# A source saved with a byte order mark (as Windows programs do) is the same
# text: positions count from after the mark.
mkdir bom && cp -r "$RF/two-coders/." bom/
for f in bom/Sources/*.txt; do printf '\xEF\xBB\xBF' | cat - "$f" > "$f.new" && mv "$f.new" "$f"; done
zip_from bom bom.qdpx
"$QUALPIPE" agree -q -c iparihs --corpus "$RF/corpus" ana.jsonl bom.qdpx --coder ref --coder Ana \
    --coder Ben -o bom.json 2> /dev/null
expect_status "agree with a project whose texts have a BOM" $? 0
expect_eq "a BOM moves no position" \
    "$(jqr '.overall.compared_with_reference.Ana | [.tp, .fp, .fn] | join(" ")' bom.json)" "8 0 0"

# The same project as ATLAS.ti writes it: a "sources" folder, and positions that
# count a CR LF as one character.
zip_from "$RF/atlas" atlas.qdpx
"$QUALPIPE" agree -q -c iparihs --corpus "$RF/corpus" ana.jsonl atlas.qdpx --coder ref --coder Ana \
    --coder Ben -o atlas.json 2> /dev/null
expect_status "agree of Ana's bytes with the ATLAS.ti project" $? 0
expect_eq "ATLAS.ti's positions land on the same units" \
    "$(jqr '.overall.compared_with_reference.Ana | [.tp, .fp, .fn] | join(" ")' atlas.json)" "8 0 0"
expect_eq "a code's colour comes with it" "$(jqr '.codes[0].color' two.cb.json)" "#3366CC"

# Colours: a code's own goes out (and its children take it), the others get one
# colour per branch of the tree.
cat > coloured.json <<'J'
{"qualpipe_codebook": 1, "name": "c", "version": "1", "codes": [
 {"id": "a", "color": "#AA3377", "patterns": ["coach"], "codes": [{"id": "a1", "patterns": ["facilitator"]}]},
 {"id": "b", "patterns": ["Renée"]}]}
J
"$QUALPIPE" export --qdpx col.qdpx -c coloured.json nonascii.txt
unzip_to col.d col.qdpx
expect_eq "colours of the tree" "$(grep -o 'name="[ab]1\?" isCodable="true" color="#[0-9A-F]*"' col.d/project.qde |
    sed 's/ isCodable="true"//' | tr '\n' ' ')" 'name="a" color="#AA3377" name="a1" color="#AA3377" name="b" color="#EE6677" '
printf '{"qualpipe_codebook": 1, "name": "c", "version": "1", "codes": [{"id": "a", "color": "red"}]}' > badcolor.json
"$QUALPIPE" codebook check badcolor.json > /dev/null 2> err.txt
expect_status "a colour that is not #RRGGBB" $? 3
expect_grep "says what a colour is" 'colour "red" is not #RRGGBB' err.txt

# A colour a project's code gives that is not the standard's #RRGGBB is named
# (with its line), not dropped.
sed 's/color="#3366CC"/color="#4477AI"/' "$RF/two-coders/project.qde" > badcolor.qde
mkdir bc && cp -r "$RF/two-coders/Sources" bc/ && cp badcolor.qde bc/project.qde && zip_from bc bc.qdpx
"$QUALPIPE" codebook import bc.qdpx > /dev/null 2> err.txt
expect_status "a bad colour in a project" $? 3
expect_grep "names the code and line" 'bc.qdpx:[0-9]+: code "Facilitation": colour "#4477AI" is not #RRGGBB' err.txt

# Bad projects get one clear error naming the file.
printf 'PK\003\004' > broken.qdpx
"$QUALPIPE" agree -c iparihs --corpus "$RF/corpus" ana.jsonl broken.qdpx > /dev/null 2> err.txt
expect_status "a broken zip" $? 2
expect_grep "names the file" "broken.qdpx: not a readable REFI-QDA project" err.txt
mkdir empty && echo hi > empty/readme.txt && zip_from empty noqde.qdpx
"$QUALPIPE" codebook import noqde.qdpx > /dev/null 2> err.txt
expect_status "a zip with no project" $? 3
expect_grep "says what is missing" "noqde.qdpx: not a REFI-QDA project: the archive holds no project.qde" err.txt
mkfifo fifo.qdpx
"$QUALPIPE" export --qdpx fifo.qdpx -c iparihs nonascii.txt > /dev/null 2> err.txt
expect_status "a FIFO is not replaced" $? 2
expect_grep "refused" "fifo.qdpx: not a regular file" err.txt
[ -p fifo.qdpx ] || fail "the FIFO was replaced"
CHECKS=$((CHECKS + 1))
"$QUALPIPE" export --qdpx nonascii.txt -c iparihs nonascii.txt > /dev/null 2> err.txt
expect_status "the project cannot be an input" $? 2
done_checks

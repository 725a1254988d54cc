# dictionaries.sh - LIWC .dic and .dicx, WordStat .cat and .tsv dictionaries
# imported and used directly, and codebooks exchanged as REFI-QDA .qdc.
. "$SRCDIR/tests/e2e/lib.sh"
D="$FIX/dict"
printf 'I am happy and sad, a good friend, kind of sad. Friends help.\n' > emo.txt

tree() { "$QUALPIPE" codebook check "$1" 2> /dev/null | grep -E '^ +[├└│]' | sed 's/^ *//'; }

# LIWC .dic: legend, multi-category entries, phrases; bad entries named and left out.
"$QUALPIPE" codebook import "$D/sample.dic" > liwc.json 2> warn.txt
expect_status "import .dic" $? 0
expect_grep "emoticon left out, with line" 'sample.dic:11: entry ":\)" left out' warn.txt
expect_grep "unknown category named" 'sample.dic:12: entry "help": "99" is not a category number' warn.txt
expect_eq "posemo entries" "$(jqr '.codes[0].patterns | join(",")' liwc.json)" "happy,good,friend*,kind of"
expect_eq "an entry in two categories" "$(jqr '.codes[2].patterns | join(",")' liwc.json)" "friend*,help"
"$QUALPIPE" run -q -c "$D/sample.dic" -o dic.json emo.txt 2> /dev/null
expect_eq "-c takes a .dic" "$(jqr '[.codes[] | .hits] | join(",")' dic.json)" "2,5,3"
"$QUALPIPE" run -q -c liwc.json -o json.json emo.txt
expect_eq "the converted codebook codes the same" "$(jqr '.codes | map_values(.hits)' json.json)" \
    "$(jqr '.codes | map_values(.hits)' dic.json)"
expect_eq "CRLF line ends" "$(tree "$D/crlf.dic")" "$(printf '├─ posemo  (1 pattern)\n└─ negemo  (1 pattern)')"
expect_eq "bare CR line ends" "$(tree "$D/cr.dic")" "$(tree "$D/crlf.dic")"

# LIWC 2007 conditional entries: "(02 134)125/464" files "like" under 125 after a
# word of 02 or 134, else under 464, and "<of>131/125" files "kind" under 131
# when "of" follows, else under 125; the condition's numbers are never the word's
# categories (the shapes of the "like" and "kind" entries of LIWC2007_English.dic).
printf 'I like it. Like, it was like a dream. We would like more. We like happy days.\n' > like.txt
printf 'It was kind of odd. A kind man.\n' > kind.txt
"$QUALPIPE" run -q -j 2 -c "$D/liwc2007-shape.dic" --hits like.csv -o like.json like.txt kind.txt 2> warn.txt
expect_status "a .dic with conditions" $? 0
expect_eq "conditional categories" "$(jqr '.codes | to_entries | map("\(.key)=\(.value.hits)") | join(",")' like.json)" \
    "affect=5,cogmech=1,discrep=1,filler=2,posemo=5,pronoun=3,relativ=5,tentat=1"
expect_eq "the rule says which word came before" \
    "$(grep '"like","affect"' like.csv | cut -d, -f7 | tr '\n' ' ')" '"i like" "would like" "we like" "happy" '
expect_eq "and which came after" "$(grep '"kind",' like.csv | cut -d, -f2,7 | tr '\n' ' ')" \
    '"cogmech","kind of" "tentat","kind of" "affect","kind" "posemo","kind" '
expect_grep "a condition that cannot be read is named and left out" \
    'liwc2007-shape.dic:18: entry "maybe": the condition "\(99\)135" is not' warn.txt
expect_eq "one warning, with two workers" "$(wc -l < warn.txt)" 1

# LIWC 2015 legends nest by tabs; a legend line without a number is a parent.
"$QUALPIPE" codebook import "$D/liwc2015-shape.dic" > l15.json 2> warn.txt
expect_status "a nested legend" $? 0
expect_eq "nested codes" "$("$JQ" -r '[.. | objects | select(has("id")) | .id] | join(",")' l15.json)" \
    "function,function.pronoun,function.pronoun.ppron,function.article,affect,affect.posemo,affect.negemo,affect.else,affect.else.other"
expect_grep "the unnumbered line is named" 'liwc2015-shape.dic:9: category "else" has no number' warn.txt
printf '%%\n1\ta\n\t\t\t2\tb\n%%\n' > deep.dic
"$QUALPIPE" codebook import deep.dic > /dev/null 2> err.txt
expect_status "a legend line too deep" $? 3
expect_grep "names the line" 'deep.dic:3: category "b" is indented deeper than the one above it' err.txt

# LIWC-22 .dicx.
"$QUALPIPE" run -q -c "$D/sample.dicx" -o dicx.json emo.txt
expect_status "-c takes a .dicx" $? 0
expect_eq ".dicx categories and counts" \
    "$(jqr '.codes | to_entries | map("\(.key)=\(.value.hits)") | join(",")' dicx.json)" \
    "Negative=2,Positive=4,Social=2"

# A .dicx row marked under a category with no entry is named, not dropped silently.
printf 'DicTerm,Pos\nhappy,X\n,X\n' > empty.dicx
"$QUALPIPE" codebook import empty.dicx > /dev/null 2> warn.txt
expect_status "a row without an entry" $? 0
expect_grep "names the row" 'empty.dicx: row 3: a mark with no entry in the first column; left out' warn.txt

# WordStat .cat: nested categories, weights, underscores for spaces, CRLF.
expect_eq ".cat tree" "$(tree "$D/sample.cat" | tr '\n' ';')" \
    '├─ EMOTION  (0 patterns);│  ├─ EMOTION.POSITIVE "POSITIVE"  (2 patterns);│  └─ EMOTION.NEGATIVE "NEGATIVE"  (2 patterns);└─ SOCIAL  (1 pattern);'
# Tabs after spaces, as in quanteda's tests/data/dictionaries/issue-459.cat: the
# tabs give the depth.
expect_eq ".cat indented by spaces and tabs" "$(tree "$D/spaced-tabs.cat" | tr '\n' ';')" \
    '└─ REGION  (0 patterns);├─ REGION.NORTH "NORTH"  (2 patterns);└─ REGION.SOUTH "SOUTH"  (2 patterns);'
printf 'We were fed up, not good, good enough.\n' > fed.txt
"$QUALPIPE" run -q -c "$D/sample.cat" -o cat.json fed.txt
expect_eq ".cat phrase from underscores" "$(jqr '.codes["EMOTION.NEGATIVE"].hits' cat.json)" 1
expect_eq ".cat roll-up" "$(jqr '.codes.EMOTION.subtree_hits' cat.json)" 3

# The shape of Laver & Garry's (2000) WordStat dictionary, which quanteda's tests
# read: +STATE+, =STATE= and -STATE- under one parent, and CONSERVATIVE under two.
# Ids are paths, so each is its own code.
"$QUALPIPE" codebook import "$D/laver-garry-shape.cat" > lg.json
expect_status "import the Laver-Garry shape" $? 0
expect_eq "ids from paths" "$("$JQ" -r '[.. | objects | select(has("id")) | .id] | join(",")' lg.json)" \
    "CULTURE,CULTURE.CULTURE-HIGH,CULTURE.SPORT,ECONOMY,ECONOMY.plus_STATE_plus,ECONOMY.eq_STATE_eq,ECONOMY.-STATE-,INSTITUTIONS,INSTITUTIONS.CONSERVATIVE,INSTITUTIONS.RADICAL,VALUES,VALUES.CONSERVATIVE,VALUES.LIBERAL"
expect_eq "labels as written" "$("$JQ" -r '.codes[1].codes[0].label' lg.json)" "+STATE+"
printf 'Subsidies and public services, the budget, privatisation; tradition and family.\n' > lg.txt
"$QUALPIPE" run -q -c "$D/laver-garry-shape.cat" -o lg-run.json lg.txt
expect_eq "each code counts its own" \
    "$(jqr '.codes | to_entries | map(select(.value.hits > 0) | "\(.key)=\(.value.hits)") | join(",")' lg-run.json)" \
    "ECONOMY.-STATE-=1,ECONOMY.eq_STATE_eq=1,ECONOMY.plus_STATE_plus=2,INSTITUTIONS.CONSERVATIVE=1,VALUES.CONSERVATIVE=1"
# One name under two parents in a .tsv is two codes too; a path given again is the same one.
printf 'a/x\tone\nb/x\ttwo\na/x\tthree\n' > two.tsv
expect_eq ".tsv paths" "$("$QUALPIPE" codebook import two.tsv | "$JQ" -r '[.. | objects | select(has("id")) | "\(.id):\(.patterns // [] | join("+"))"] | join(",")')" \
    "a:,a.x:one+three,b:,b.x:two"

# Lexicoder .lc3 (the format LSD2015 ships in), Yoshikoder .ykd and quanteda's
# YAML: fixtures of the same shapes as LSD2015.lc3 (category lines carry
# Lexicoder's colour, "+negative#AA0000"; entries such as "heckl**" and
# "bull's eye"), quanteda's laver_garry.ykd and what quanteda's as.yaml() writes
# (the '' key of its tests/data/dictionaries/newsmap2.yml holds a parent's own).
expect_eq ".lc3 tree" "$(tree "$D/lsd-shape.lc3" | tr '\n' ';')" \
    "├─ negative  (4 patterns);├─ positive  (4 patterns);└─ neg_positive  (2 patterns);"
printf 'Not good at all, but the best of times; they abandoned it.\n' > lsd.txt
"$QUALPIPE" run -q -c "$D/lsd-shape.lc3" -o lsd.json lsd.txt
expect_eq ".lc3 counts" "$(jqr '.codes | to_entries | map("\(.key)=\(.value.hits)") | join(",")' lsd.json)" \
    "neg_positive=1,negative=2,positive=2"
expect_eq ".ykd ids" "$("$QUALPIPE" codebook import "$D/laver-garry-shape.ykd" | "$JQ" -r '[.. | objects | select(has("id")) | .id] | join(",")')" \
    "Economy,Economy.plus_State_plus,Economy.eq_State_eq,Economy.-State-,Institutions,Institutions.Conservative,Values,Values.Conservative"
"$QUALPIPE" run -q -c "$D/laver-garry-shape.ykd" -o ykd.json lg.txt
expect_eq ".ykd counts" "$(jqr '[.codes[] | .hits] | add' ykd.json)" 6
"$QUALPIPE" codebook import "$D/quanteda-shape.yml" > yml.json
expect_status "import YAML" $? 0
expect_eq "YAML tree" "$("$JQ" -r '[.. | objects | select(has("id")) | "\(.id):\(.patterns | join("+"))"] | join(",")' yml.json)" \
    "christmas:Christmas+Santa+holiday*,economy:economy,economy.taxing:tax*+public spending,economy.trade:tariff*,places:capital,places.north:Oslo"
printf 'pos:\n  - happy\n bad: [\n' > broken.yml
"$QUALPIPE" codebook import broken.yml > /dev/null 2> err.txt
expect_status "broken YAML" $? 3
expect_grep "names the file and line" "broken.yml:3: not YAML" err.txt
printf '<words><cnode name="a"/></words>\n' > wrong.ykd
"$QUALPIPE" codebook import wrong.ykd > /dev/null 2> err.txt
expect_status "not a Yoshikoder file" $? 3
expect_grep "says what it expected" "wrong.ykd: not a Yoshikoder dictionary: the root element is not <dictionary>" err.txt

# A file of a format qualpipe does not read is named, with the formats it knows,
# never read as JSON.
printf 'PK\003\004' > project.nvp
"$QUALPIPE" run -c project.nvp emo.txt > /dev/null 2> err.txt
expect_status "-c an unknown format" $? 3
expect_grep "format not supported" "project.nvp: format not supported: -c takes qualpipe's .json codebooks, .dic, .dicx, .cat, .tsv, .qdc, .lc3, .ykd, .yml, .yaml dictionaries and .qdpx projects" err.txt
"$QUALPIPE" codebook import project.nvp > /dev/null 2> err.txt
expect_status "import an unknown format" $? 3
expect_grep "import names the formats" "project.nvp: format not supported: qualpipe imports .dic," err.txt

# Dictionaries in other encodings: refused with the line, byte and --encoding
# named; read with --encoding (a Windows-1252 .cat, a Shift-JIS .dic, UTF-16).
printf 'Un café naïve.\n' > cafe.txt
"$QUALPIPE" run -q -c "$D/cp1252.cat" -o enc.json cafe.txt 2> err.txt
expect_status "a Windows-1252 file without --encoding" $? 3
expect_grep "says where and what to do" "cp1252.cat:3: not UTF-8 \\(byte 26 is 0xC9\\): if the file is in another encoding, name it with --encoding" err.txt
"$QUALPIPE" run -q --encoding windows-1252 -c "$D/cp1252.cat" -o enc.json cafe.txt
expect_status "--encoding windows-1252" $? 0
expect_eq "its entries code" "$(jqr '.codes["EMOTION.POSITIVE"].hits' enc.json)" 2
expect_eq "Shift-JIS entries" \
    "$("$QUALPIPE" codebook import --encoding shift_jis "$D/shift-jis.dic" | "$JQ" -r '.codes[0].patterns | join(",")')" \
    "嬉しい,楽しい"
printf '今日は 嬉しい です。\n' > ja.txt
"$QUALPIPE" run -q --encoding shift_jis -c "$D/shift-jis.dic" -o ja.json ja.txt
expect_eq "a Shift-JIS dictionary codes UTF-8 text" "$(jqr '.codes.positive.hits' ja.json)" 1
printf '%%\n1\tpos\n%%\nhappy\t1\n' | iconv -f UTF-8 -t UTF-16 > utf16.dic
"$QUALPIPE" codebook import utf16.dic > /dev/null 2> err.txt
expect_status "UTF-16 without --encoding" $? 3
expect_grep "names UTF-16" "utf16.dic: the file is UTF-16 \\(it starts with a UTF-16 byte order mark\\): give --encoding utf-16" err.txt
expect_eq "UTF-16 with --encoding" \
    "$("$QUALPIPE" codebook import --encoding utf-16 utf16.dic | "$JQ" -r '.codes[0].patterns[0]')" happy
"$QUALPIPE" codebook check --encoding klingon "$D/shift-jis.dic" > /dev/null 2> err.txt
expect_status "an unknown encoding" $? 3
expect_grep "says so" "--encoding klingon: not an encoding this system knows" err.txt
printf '%%\n1\tpos\n%%\nna\xefve\t1\n' > bad1252.dic
"$QUALPIPE" codebook import --encoding utf-8 bad1252.dic > /dev/null 2> err.txt
expect_status "--encoding utf-8 still checks" $? 3

# category<TAB>pattern with parent/child paths.
expect_eq ".tsv tree" "$(tree "$D/sample.tsv" | tr '\n' ';')" \
    '├─ emotion  (0 patterns);│  ├─ emotion.positive "positive"  (2 patterns);│  └─ emotion.negative "negative"  (1 pattern);└─ social  (2 patterns);'

# Dictionary errors name the file and line, before any document is read.
printf 'happy\t1\n' > nolegend.dic
"$QUALPIPE" run -c nolegend.dic emo.txt > /dev/null 2> err.txt
expect_status "no legend" $? 3
expect_grep "says what a .dic starts with" "nolegend.dic:1: a LIWC dictionary starts with a line holding %" err.txt
printf 'social friend*\n' > notab.tsv
"$QUALPIPE" codebook import notab.tsv > /dev/null 2> err.txt
expect_status "tsv without tab" $? 3
expect_grep "tsv line named" 'notab.tsv:1: a line is "category<TAB>pattern"' err.txt

# REFI-QDA: export, read back, same tree; the same codebook gives the same bytes.
"$QUALPIPE" codebook export edmondson > edm.qdc
expect_status "export" $? 0
expect_grep "namespace" '<CodeBook .*xmlns="urn:QDA-XML:codebook:1.0"' edm.qdc
expect_eq "a Code per code" "$(grep -c '<Code ' edm.qdc)" 12
"$QUALPIPE" codebook export edmondson > edm2.qdc
CHECKS=$((CHECKS + 1))
cmp edm.qdc edm2.qdc || fail "two exports differ"
expect_eq "labels survive the round trip" \
    "$("$QUALPIPE" codebook import edm.qdc | "$JQ" -r '[.. | objects | select(has("label")) | .label] | join(";")')" \
    "$("$JQ" -r '[.. | objects | select(has("label")) | .label] | join(";")' "$SRCDIR/codebooks/edmondson/edmondson.json")"
"$QUALPIPE" codebook import "$D/qualcoder.qdc" > qc.json
expect_status "import a QualCoder codebook" $? 0
expect_eq "names become ids, repeats numbered" \
    "$("$JQ" -r '[.. | objects | select(has("id")) | .id] | join(",")' qc.json)" \
    "Barriers,Time,Time_2,Enablers_and_supports"
expect_eq "descriptions kept" "$(jqr '.codes[0].definition' qc.json)" "Things that got in the way."
# Repeats are numbered on from the last number given, past ids already taken.
printf '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>%s%s%s%s</Codes></CodeBook>\n' \
    '<Code guid="a" name="Same"/>' '<Code guid="b" name="Same_2"/>' \
    '<Code guid="c" name="Same"/>' '<Code guid="d" name="Same"/>' > same.qdc
expect_eq "repeats numbered past a taken id" \
    "$("$QUALPIPE" codebook import same.qdc | "$JQ" -r '[.codes[].id] | join(",")')" \
    "Same,Same_2,Same_3,Same_4"
# Every shipped codebook goes out as a .qdc that validates against the standard's
# schema and comes back the same codebook, every field kept.
[ -n "${XMLLINT:-}" ] || fail "xmllint is needed: apt-get install libxml2-utils, then ./configure"
for cb in edmondson iparihs brown-flood distributed-leadership nsi pdpilot example; do
    "$QUALPIPE" codebook export "$cb" > "$cb.qdc"
    CHECKS=$((CHECKS + 2))
    "$XMLLINT" --noout --schema "$FIX/refi/Codebook.xsd" "$cb.qdc" 2> xsd.txt ||
        fail "$cb.qdc does not validate: $(cat xsd.txt)"
    "$QUALPIPE" codebook import "$cb.qdc" > "$cb.back.json"
    cmp -s <("$JQ" -S . "$SRCDIR/codebooks/$cb/$cb.json") <("$JQ" -S . "$cb.back.json") ||
        fail "$cb: export then import is not the same codebook"
done
"$QUALPIPE" run -q -c edm.qdc -o edm-run.json emo.txt
"$QUALPIPE" run -q -c edmondson -o edm-json.json emo.txt
expect_eq "a qualpipe .qdc codes as its codebook does" "$(jqr '.codes | map_values(.hits)' edm-run.json)" \
    "$(jqr '.codes | map_values(.hits)' edm-json.json)"

# A code a reviewer adds in their QDA program comes in by name, beside the
# codes that kept their rules; a damaged rules block is named.
sed 's|<Codes>|<Codes><Code guid="0b7f1c2e-1111-4222-8333-944455556666" name="Blame culture" isCodable="true"><Description>Added in review.</Description></Code>|' \
    edmondson.qdc > reviewed.qdc
"$QUALPIPE" codebook import reviewed.qdc > reviewed.json
expect_eq "the new code, with its description" \
    "$("$JQ" -r '.codes[0] | "\(.id)|\(.label)|\(.definition)|\(.patterns // [] | length)"' reviewed.json)" \
    "Blame_culture|Blame culture|Added in review.|0"
expect_eq "the others keep their rules" "$("$JQ" -S '.codes[1:]' reviewed.json)" \
    "$("$JQ" -S '.codes' "$SRCDIR/codebooks/edmondson/edmondson.json")"
sed '0,/&quot;id&quot;:/s//\&quot;id\&quot;/' edmondson.qdc > damaged.qdc
"$QUALPIPE" codebook import damaged.qdc > /dev/null 2> err.txt
expect_status "a damaged rules block" $? 3
expect_grep "names the code and what to do" 'damaged.qdc:[0-9]+: Preventable \(blameworthy\) failures: the lines after .* are not the JSON qualpipe wrote' err.txt

# A codebook with codes and no patterns (a .qdc from a QDA program) codes
# nothing: run refuses it, saying so, unless told it is on purpose.
"$QUALPIPE" run -q -c "$D/qualcoder.qdc" -o none.json emo.txt 2> err.txt
expect_status "run with a .qdc's codes alone" $? 3
expect_grep "says it has no rules" "qualcoder.qdc: its 4 codes have no patterns, so nothing would be coded" err.txt
"$QUALPIPE" run -q --allow-no-patterns -c "$D/qualcoder.qdc" -o none.json emo.txt
expect_status "--allow-no-patterns" $? 0
expect_eq "no hits, as asked" "$(jqr '.totals.hits' none.json)" 0

# The namespaces programs write: NVivo 12 for Mac's urn:QDA-XML:codebook:1:0 (a
# colon for the dot), an older 0.4, a project's, and none; another is refused.
for ns in 'xmlns="urn:QDA-XML:codebook:1:0"' 'xmlns="urn:QDA-XML:codebook:0:4"' \
    'xmlns="urn:QDA-XML:project:1.0"' ''; do
    printf '<CodeBook %s origin="NVivo 12 For Mac"><Codes><Code guid="a" name="Trust" isCodable="true"/></Codes></CodeBook>\n' "$ns" > ns.qdc
    expect_eq "namespace ${ns:-none}" "$("$QUALPIPE" codebook import ns.qdc | "$JQ" -r '.codes[0].id')" Trust
done
printf '<CodeBook xmlns="urn:example:other"><Codes><Code guid="a" name="x" isCodable="true"/></Codes></CodeBook>\n' > other.qdc
"$QUALPIPE" codebook import other.qdc > /dev/null 2> err.txt
expect_status "another namespace" $? 3
expect_grep "says what it looked for" "other.qdc: not a REFI-QDA codebook" err.txt
printf '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code name="x"' > broken.qdc
"$QUALPIPE" codebook import broken.qdc > /dev/null 2> err.txt
expect_status "broken XML" $? 3
expect_grep "names the file" "broken.qdc:1: not well-formed XML" err.txt

# A .dicx naming one category twice is refused by name (it was a double free).
printf 'DicTerm,Positive,Negative,Positive\nhappy,X,,\nsad*,,X,X\n' > twice.dicx
"$QUALPIPE" codebook import twice.dicx > /dev/null 2> err.txt
expect_status "a category named twice" $? 3
expect_grep "names the category" 'twice.dicx: row 1: code id "Positive" is used twice' err.txt

# A .qdc Code with two Descriptions keeps both (one was dropped and leaked).
cat > two.qdc <<'X'
<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="test"><Codes>
<Code guid="11111111-1111-1111-1111-111111111111" name="Lead" isCodable="true">
<Description>first</Description><Description>second</Description></Code>
</Codes></CodeBook>
X
"$QUALPIPE" codebook import two.qdc > two.json
expect_status "two Descriptions" $? 0
expect_eq "both kept" "$(jqr '.codes[0].definition' two.json)" "first

second"
done_checks

# report.sh - --report FILE.html: one page that needs nothing from elsewhere,
# rendered by a real browser (headless Chromium): the screenshot is not blank,
# and the DOM Chromium built holds the charts, the tests, the quotes and the
# provenance; a second run writes the same bytes.
. "$SRCDIR/tests/e2e/lib.sh"
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || fail "Chromium is needed by this test: apt-get install chromium"
PY=$(command -v /usr/bin/python3 || command -v python3)
OPTS=(-c edmondson -c iparihs --meta "$SRCDIR/corpora/pln-interviews/metadata.csv" --by role)
"$QUALPIPE" run -q "${OPTS[@]}" --report report.html -o r.json "$SRCDIR/corpora/pln-interviews"
expect_status "run with --report" $? 0
"$QUALPIPE" run -q "${OPTS[@]}" --report again.html -o r2.json "$SRCDIR/corpora/pln-interviews"
expect_eq "the same bytes again" "$(cmp report.html again.html && echo same)" same
expect_eq "--report leaves the result as it is" "$(cmp r.json r2.json && echo same)" same

# Nothing from elsewhere: no script, no link, no address.
expect_eq "self-contained" "$(grep -ciE '<script|<link|<img|https?://|url\(' report.html)" 0
expect_grep "the codes never found" "<code>hypothesis_testing</code>" report.html

# browser ARGS...: headless Chromium (as root it needs --no-sandbox), at most 2 minutes.
browser() {
    HOME=$PWD timeout 120 "$CHROMIUM" --headless=new --no-sandbox --disable-gpu \
        --hide-scrollbars --no-first-run --user-data-dir="$PWD/profile" "$@" 2> chromium.log
}
browser --dump-dom "file://$PWD/report.html" > dom.html
expect_status "Chromium read the page" $? 0
codes=$(jqr '.codes | length' r.json)
expect_eq "a bar chart per code" "$(grep -o '<svg class="bars"' dom.html | wc -l)" "$codes"
expect_eq "one bar per group in each" "$(grep -o 'class="bar"' dom.html | wc -l)" $((codes * 4))
expect_eq "the heatmap" "$(grep -o '<svg class="heatmap"' dom.html | wc -l)" 1
tested=$(jqr '.tests.role.documents.codes | length' r.json)
expect_eq "a row per tested code" "$(grep -o '<tr><td class="l">[a-z_]*</td><td class="' dom.html | wc -l)" "$tested"
expect_eq "a marked cell where the residual is beyond 1.96" \
    "$(grep -o '<td class="fewer">' dom.html | wc -l)" \
    "$(jqr '[.tests.role.documents.codes[].residuals[] | select(. <= -1.96)] | length' r.json)"
expect_eq "every quote" "$(grep -o '<blockquote class="quote">' dom.html | wc -l)" \
    "$(jqr '[.codes[].quotes // [] | length] | add' r.json)"
expect_grep "provenance" "$(jqr '.provenance.codebooks[0].sha256' r.json)" dom.html

browser --window-size=1280,2400 --screenshot="$PWD/shot.png" "file://$PWD/report.html"
expect_status "Chromium drew the page" $? 0
# Decodes the PNG (zlib, with its row filters undone) and counts its colours and
# how much of it is not background.
"$PY" - shot.png > shot.txt <<'P'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n"
pos, idat, width = 8, b"", 0
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        width, height, depth, ctype = struct.unpack(">IIBB", body[:10])
        assert depth == 8 and ctype in (2, 6), (depth, ctype)
        bpp = 3 if ctype == 2 else 4
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
raw, stride = zlib.decompress(idat), width * bpp
prev, colours, ink = bytearray(stride), set(), 0
for y in range(height):
    f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b, c = prev[i], prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for x in range(0, stride, bpp * 4):
        px = bytes(line[x:x + 3])
        colours.add(px)
        ink += px != b"\xff\xff\xff"
    prev = line
print(len(colours), ink * 4 * bpp * 100 // (stride * height))
P
read -r colours ink < shot.txt
expect_eq "the screenshot has colours (charts, text)" "$((colours > 50))" 1
expect_eq "and is not blank (over 5% of it drawn)" "$((ink > 5))" 1
done_checks

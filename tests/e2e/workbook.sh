# workbook.sh - --format xlsx: the workbook, opened again with another reader
# (Python's openpyxl), says what the JSON result says, sheet by sheet; a text
# that looks like a formula stays text; the same run gives the same bytes; a
# workbook needs -o FILE.
. "$SRCDIR/tests/e2e/lib.sh"
PY=
for p in python3 /usr/bin/python3; do
    "$p" -c 'import openpyxl' 2> /dev/null && PY=$p && break
done
[ -n "$PY" ] || fail "Python's openpyxl is needed by this test: apt-get install python3-openpyxl"
cp -r "$SRCDIR/corpora/pln-interviews" corpus
printf 'Interviewer: What went wrong?\nP99: The process broke; nobody owned it.\n' > 'corpus/=1+1.txt'
OPTS=(-c edmondson -c iparihs --meta corpus/metadata.csv --by role)
"$QUALPIPE" run -q "${OPTS[@]}" -o r.json corpus 2> /dev/null
expect_status "json" $? 0
"$QUALPIPE" run -q "${OPTS[@]}" --format xlsx -o r.xlsx corpus 2> /dev/null
expect_status "xlsx" $? 0
"$QUALPIPE" run -q "${OPTS[@]}" --format xlsx -o again.xlsx corpus 2> /dev/null
expect_eq "the same bytes again" "$(cmp r.xlsx again.xlsx && echo same)" same

# Every check prints "ok NAME" or "FAIL NAME: why"; the test counts them.
"$PY" - r.xlsx r.json > checks.txt <<'P'
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
r = json.load(open(sys.argv[2]))
def close(a, b):  # the JSON keeps 10 significant digits, the workbook all of them
    return abs(a - b) <= 1e-9 * max(1.0, abs(b))
def check(name, ok, why=""):
    print(("ok " if ok else "FAIL ") + name + ("" if ok else ": " + why))
def rows(sheet):
    ws = wb[sheet]
    head = [c.value for c in ws[1]]
    return [dict(zip(head, [c.value for c in row])) for row in ws.iter_rows(min_row=2)]
check("sheets", wb.sheetnames == ["documents", "codes", "groups", "tests", "cooccurrence",
      "terms", "quotes", "skipped", "provenance"], str(wb.sheetnames))
docs = rows("documents")
check("a row per document", len(docs) == r["totals"]["documents"], str(len(docs)))
check("document ids and tokens", {d["document"]: d["tokens"] for d in docs} ==
      {k: v["tokens"] for k, v in r["documents"].items()})
check("a code's column adds up", sum(d["uncertainty"] or 0 for d in docs) == r["codes"]["uncertainty"]["hits"])
check("the role column", all(d["role"] == r["documents"][d["document"]]["groups"]["role"] for d in docs))
cell = [c for c in wb["documents"]["A"] if c.value == "=1+1"]
check("a formula-like id is a text cell", len(cell) == 1 and cell[0].data_type == "s",
      str([(c.value, c.data_type) for c in cell]))
codes = {c["code"]: c for c in rows("codes")}
check("codes", all(codes[k]["hits"] == v["hits"] and codes[k]["documents"] == v["documents"]
      and close(codes[k]["pct"], v["pct"]) for k, v in r["codes"].items()))
groups = rows("groups")
g = [x for x in groups if x["group"] == "school leader" and x["code"] == "task_challenge"][0]
jg = r["groups"]["role"]["school leader"]
check("a group's code", g["hits"] == jg["codes"]["task_challenge"]["hits"] and g["group_documents"] == jg["documents"])
t = r["tests"]["role"]["documents"]["codes"]["task_challenge"]
check("the group's residual and p", close(g["residual"], t["residuals"]["school leader"]) and close(g["p"], t["p"]))
tests = rows("tests")
tt = [x for x in tests if x["unit"] == "segments" and x["code"] == "(all codes)"][0]
jt = r["tests"]["role"]["segments"]["table"]
check("the table's test", tt["df"] == jt["df"] and close(tt["chi_square"], jt["chi_square"]),
      "%r %r" % (tt["chi_square"], jt["chi_square"]))
co = rows("cooccurrence")
pair = [x for x in co if x["unit"] == "segments" and x["code_a"] == "task_challenge" and x["code_b"] == "facilitation"]
check("co-occurrence", len(pair) == 1 and pair[0]["count"] == r["cooccurrence"]["segments"]["task_challenge"]["facilitation"]["count"])
terms = rows("terms")
check("terms add up", sum(x["hits"] for x in terms if x["code"] == "context_organisational") == r["codes"]["context_organisational"]["hits"])
quotes = rows("quotes")
jq = r["codes"]["process_inadequacy"]["quotes"]
wq = [x for x in quotes if x["code"] == "process_inadequacy"]
check("quotes", [(x["doc"], x["start"], x["text"]) for x in wq] == [(q["doc"], q["start"], q["text"]) for q in jq])
prov = rows("provenance")
check("provenance", any(x["kind"] == "codebook" and x["name"] == "i-PARIHS" and x["field"] == "sha256"
      and x["value"] == r["provenance"]["codebooks"][1]["sha256"] for x in prov))
P
expect_status "the workbook read back" $? 0
while read -r word name; do
    CHECKS=$((CHECKS + 1))
    [ "$word" = ok ] || fail "workbook: $name"
done < checks.txt
expect_eq "every sheet checked" "$(grep -c '^ok ' checks.txt)" 14

"$QUALPIPE" run -q -c edmondson --format xlsx corpus > out.bin 2> err.txt
expect_status "a workbook on standard output" $? 2
expect_grep "says to name a file" "a workbook is a file; name it with -o FILE.xlsx" err.txt
expect_eq "nothing written" "$(wc -c < out.bin)" 0
"$QUALPIPE" run -q "${OPTS[@]}" --format xlsx --values pct -o pct.xlsx corpus 2> /dev/null
"$PY" -c 'import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["documents"]
head = [c.value for c in ws[1]]
row = [[c.value for c in r] for r in ws.iter_rows(min_row=2) if r[0].value == "P01"][0]
print(row[head.index("task_challenge")])' pct.xlsx > pct.txt
expect_eq "--values pct in the documents sheet" "$(cat pct.txt)" "$(jqr '.documents.P01.pct.task_challenge' r.json)"
done_checks

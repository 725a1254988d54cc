# plugins.sh - `qualpipe plugins`, the loader's refusals from the command line, the
# plugin search order, and the example codebook plugin at work.
. "$SRCDIR/tests/e2e/lib.sh"
MODS="$BUILDDIR/tests/modules"

"$QUALPIPE" plugins > list.txt
expect_status "plugins" $? 0
for s in read tokenise code aggregate; do
    expect_grep "lists stage $s" "^  stage +$s +[0-9.]+ +$BUILDDIR/plugins/.libs/stage_$s.so" list.txt
done
expect_grep "lists the codebook plugin" "^  codebook +datause +1.0.0 +.*codebook_datause.so" list.txt
expect_grep "lists the build tree first" "^  1. $BUILDDIR/plugins$" list.txt

"$QUALPIPE" plugins --plugin-dir "$MODS" > bad-list.txt
expect_status "plugins with broken modules" $? 3
expect_grep "broken module explained" "unusable: .*stage_wrongmajor.*ABI 3\.[0-9]+.*ABI 2\.[0-9]+" bad-list.txt
expect_grep "a module that aborts as it loads is named, not fatal" \
    "unusable: .*stage_aborts: crashed while loading \(Aborted\)" bad-list.txt
expect_grep "and the list goes on past it" "stage_wrongmajor" bad-list.txt

# Modules in a folder others may write to are refused, naming the folder; a
# module that replaces a built-in stage is named.
mkdir open && cp "$BUILDDIR/plugins/.libs/stage_minlength.so" open/ && chmod 777 open
QUALPIPE_PLUGIN_PATH=open "$QUALPIPE" run -q --stages read,segment,tokenise,minlength,code,aggregate \
    -c example -o open.json "$FIX/datause.txt" 2> err.txt
expect_status "a module in a world-writable folder" $? 3
expect_grep "refused, saying why" \
    "refusing to load stage module 'stage_minlength' from open: open is writable by anyone" err.txt
chmod 755 open && chmod 666 open/stage_minlength.so
QUALPIPE_PLUGIN_PATH=open "$QUALPIPE" plugins > open-list.txt
expect_grep "plugins says so too" "open/stage_minlength.so is writable by anyone" open-list.txt
chmod 644 open/stage_minlength.so
QUALPIPE_PLUGIN_PATH=open "$QUALPIPE" run -q --stages read,segment,tokenise,minlength,code,aggregate \
    -c example -o open.json "$FIX/datause.txt" 2> err.txt
expect_status "a safe folder" $? 0
expect_grep "the replaced built-in is named" \
    "stage module 'stage_minlength' from open, not the built-in one in $BUILDDIR/plugins" err.txt

# A bare -c NAME that is both a file here and a shipped codebook says which it used.
cp "$FIX/pln.json" edmondson
"$QUALPIPE" run -q -c edmondson -o named.json "$FIX/datause.txt" 2> err.txt
expect_status "-c NAME, both a file and shipped" $? 0
expect_grep "says it used the file" "-c edmondson: using the file edmondson in this folder, not the shipped codebook" err.txt
expect_eq "and did" "$(jqr '.provenance.codebooks[0].name' named.json)" "PLN test codebook"

"$QUALPIPE" stage wrongmajor --plugin-dir "$MODS" < /dev/null 2> err.txt
expect_status "wrong major refused" $? 3
expect_grep "names file, symbol, versions, fix" \
    "stage_wrongmajor.*'qualpipe_stage_descriptor' was built for ABI 3\.[0-9]+, but this qualpipe .* speaks ABI 2\.[0-9]+.*Rebuild" err.txt
QUALPIPE_PLUGIN_PATH="$MODS" "$QUALPIPE" stage nosymbol < /dev/null 2> err.txt
expect_status "missing symbol refused (found through QUALPIPE_PLUGIN_PATH)" $? 3
expect_grep "names the symbol" "stage_nosymbol.*no symbol 'qualpipe_stage_descriptor'" err.txt
"$QUALPIPE" run -c wrongmajor --plugin-dir "$MODS" "$FIX/datause.txt" 2> err.txt
expect_status "codebook plugin of another ABI refused" $? 3
expect_grep "names the codebook symbol" "'qualpipe_codebook_descriptor' was built for ABI 3\.0" err.txt

# --plugin-dir comes before QUALPIPE_PLUGIN_PATH.
mkdir first
cp "$BUILDDIR/plugins/.libs/stage_tokenise.so" first/
QUALPIPE_PLUGIN_PATH="$MODS" "$QUALPIPE" plugins --plugin-dir first > order.txt
expect_grep "order: --plugin-dir" "^  1. first$" order.txt
expect_grep "order: environment" "^  2. $MODS$" order.txt
expect_grep "shadowed module" "not used: first/stage_tokenise.so comes first" order.txt

# The example codebook plugin: patterns, an exclusion, and its own matcher.
"$QUALPIPE" run -q -c datause -o datause.json "$FIX/datause.txt"
expect_status "codebook plugin by name" $? 0
expect_eq "its matcher's hits" \
    "$(jqr '.codes.quantified_evidence.hits' datause.json)" 3
expect_eq "its patterns' hits (data x3, attendance; not data entry)" \
    "$(jqr '.codes.data_sources.hits' datause.json)" 3
expect_eq "phrase with glob" "$(jqr '.codes.data_routines.hits' datause.json)" 1
expect_eq "plugin provenance" "$(jqr '.provenance.codebooks[0].name' datause.json)" \
    "Data use (example plugin)"
"$QUALPIPE" run -q -c "$BUILDDIR/codebooks/.libs/codebook_datause.so" -o bypath.json \
    "$FIX/datause.txt"
expect_status "codebook plugin by path" $? 0
expect_eq "same codes by path" "$(jqr '.codes | map_values(.hits)' bypath.json)" \
    "$(jqr '.codes | map_values(.hits)' datause.json)"
# A listing opens each module to describe it and closes it again, so a folder of
# 300 modules lists them all (at most 256 may be open at once); 70 folders are all
# searched (the path is not cut short).
mkdir many
for i in $(seq 1 300); do cp "$BUILDDIR/codebooks/.libs/codebook_datause.so" "many/codebook_c$i.so"; done
chmod 755 many && chmod 644 many/*.so
"$QUALPIPE" plugins --plugin-dir many > many.txt
expect_status "plugins over 300 modules" $? 0
expect_eq "all 300 listed and usable" "$(grep -c '^  codebook  *c[0-9]* .*many/codebook_c' many.txt)" 300
dirs=""
for i in $(seq 1 70); do mkdir "d$i"; dirs="$dirs --plugin-dir d$i"; done
cp "$BUILDDIR/codebooks/.libs/codebook_datause.so" d70/codebook_last.so
chmod 644 d70/codebook_last.so
"$QUALPIPE" plugins $dirs > dirs.txt
expect_grep "the 70th folder searched" "^  70. .*d70$" dirs.txt
expect_grep "and its module found" "^  codebook +last " dirs.txt
done_checks

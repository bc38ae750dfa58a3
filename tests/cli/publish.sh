# checks: 23
# The bundled report as a reader's tools see it: a tagged PDF with an outline of
# its sections, every font embedded, no page more than a quarter empty but the
# last, the same bytes twice under SOURCE_DATE_EPOCH; and the two-page report of
# doc/lua-api.md on the bundled data is two pages.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
D=data/cica-digest-2023q2.csv

O=$T/q
run run scripts/quarterly.lua --data "$D" --quarter 2023Q2 --out "$O"
pdf=$O/report.pdf
if [ "$rc" -eq 0 ] && pdfinfo "$pdf" 2>/dev/null | grep -q '^Tagged: *yes'; then ok "quarterly: the PDF is tagged"
else notok "quarterly: the PDF is tagged" "rc=$rc"; fi

structure=$(pdfinfo -struct "$pdf" 2>/dev/null | tr -s ' \n' ' ')
if printf '%s' "$structure" | grep -q 'Document H1' && printf '%s' "$structure" | grep -q 'Figure Caption' \
	&& printf '%s' "$structure" | grep -q 'H2'; then ok "quarterly: headings, figures with captions in the structure"
else notok "quarterly: headings, figures with captions in the structure"; fi

outline=$(pdftohtml -xml -i -stdout "$pdf" 2>/dev/null | sed -n '/<outline>/,/<\/outline>/p')
miss=""
for s in "CICA Digest: the quarter in numbers" "What the activities were about" "Where" "How and who" "All items"; do
	printf '%s' "$outline" | grep -qF ">$s<" || miss="$miss '$s'"
done
if [ -z "$miss" ]; then ok "quarterly: the outline lists the title and every section"
else notok "quarterly: the outline lists the title and every section" "missing$miss"; fi

bad=$(pdffonts "$pdf" 2>/dev/null | tail -n +3 | awk '$(NF-4) != "yes"' | wc -l)
n=$(pdffonts "$pdf" 2>/dev/null | tail -n +3 | wc -l)
if [ "$n" -gt 0 ] && [ "$bad" -eq 0 ]; then ok "quarterly: all $n fonts embedded"
else notok "quarterly: all fonts embedded" "$bad of $n not embedded"; fi

# Ink on each page: the lowest row of non-white pixels above the footer, as a
# share of the content area; every page but the last reaches three quarters down.
pdftoppm -r 20 -gray "$pdf" "$T/pg" 2>/dev/null
cat >"$T/fill.lua" <<'LUA'
local f = assert(io.open(arg[1], "rb"))
local magic, w, h, max, px = f:read("a"):match("^(P5)%s+(%d+)%s+(%d+)%s+(%d+)%s(.*)$")
w, h = tonumber(w), tonumber(h)
local top, bottom = math.floor(48 / 841.89 * h + 0.5), math.floor(785.9 / 841.89 * h + 0.5)
local low = top
for y = top, bottom - 1 do
	for x = 1, w do
		if px:byte(y * w + x) < 200 then low = y break end
	end
end
print(math.floor(100 * (low - top) / (bottom - top) + 0.5))
LUA
pages=$(ls "$T"/pg-*.pgm 2>/dev/null | sort)
last=$(printf '%s\n' "$pages" | tail -n 1); short=""
for f in $pages; do
	[ "$f" = "$last" ] && continue
	# P5 header: width height maxval, then rows; content runs from 48 to 785.9 pt of 841.89
	fill=$("$TALLY" run --unsafe "$T/fill.lua" -- "$f")
	[ "$fill" -ge 75 ] || short="$short $(basename "$f"):$fill%"
done
if [ -n "$pages" ] && [ -z "$short" ]; then ok "quarterly: no page but the last is more than a quarter empty"
else notok "quarterly: no page but the last is more than a quarter empty" "$short"; fi

run run scripts/quarterly.lua --data "$D" --quarter 2023Q2 --out "$T/q2"
if cmp -s "$pdf" "$T/q2/report.pdf"; then ok "quarterly: the same bytes twice under SOURCE_DATE_EPOCH"
else notok "quarterly: the same bytes twice under SOURCE_DATE_EPOCH"; fi

awk '/^### Reports:/ { f = 1 } f && /^```lua/ { g = 1; next } g && /^```/ { exit } g' doc/lua-api.md >"$T/two.lua"
run run "$T/two.lua" --data "$D" --out "$T/two"
same_pages=$(pdfinfo "$T/two/report.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
if [ "$rc" -eq 0 ] && [ "$same_pages" = 2 ]; then ok "doc: the two-page report example is two pages on the bundled data"
else notok "doc: the two-page report example is two pages on the bundled data" "rc=$rc pages=$same_pages"; printf '%s\n' "$err" | sed 's/^/# /'; fi

# The chart files are for the web: 1200 x 675 pixels, 2400 x 1350 with --scale 2
# (width and height are bytes 17-24 of a PNG, in the IHDR chunk).
png_size() { od -An -tu1 -j16 -N8 "$1" 2>/dev/null | awk '{ printf "%d x %d", $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8 }'; }
bad=""
for f in "$O"/charts/*.png; do [ "$(png_size "$f")" = "1200 x 675" ] || bad="$bad $(basename "$f"):$(png_size "$f")"; done
if [ -z "$bad" ] && [ -n "$(ls "$O"/charts/*.png 2>/dev/null)" ]; then ok "quarterly: chart files are 1200 x 675"
else notok "quarterly: chart files are 1200 x 675" "$bad"; fi
run run scripts/quarterly.lua --data "$D" --quarter 2023Q2 --scale 2 --out "$T/s2"
if [ "$rc" -eq 0 ] && [ "$(png_size "$T/s2/charts/by-month.png")" = "2400 x 1350" ]; then ok "quarterly: --scale 2 gives 2400 x 1350"
else notok "quarterly: --scale 2 gives 2400 x 1350" "rc=$rc $(png_size "$T/s2/charts/by-month.png")"; fi

# compare.lua: the change tables in the text face (no monospace font), changes
# with a true minus sign and percentages with their sign.
C=$T/cmp
run run scripts/compare.lua --data "$FIX/compare-2023h1.csv" --quarter 2023Q2 --base 2023Q1 --out "$C"
if [ "$rc" -eq 0 ] && ! pdffonts "$C/compare.pdf" 2>/dev/null | grep -qi mono; then ok "compare: no monospace font"
else notok "compare: no monospace font" "rc=$rc"; fi
ct=$(pdftotext -q "$C/compare.pdf" - 2>/dev/null)
if printf '%s' "$ct" | grep -q '−1' && printf '%s' "$ct" | grep -q '−100%' && printf '%s' "$ct" | grep -q '+60%' \
	&& ! printf '%s' "$ct" | grep -qE '(^|[ (])-[0-9]'; then ok "compare: changes signed with a true minus, percentages with %"
else notok "compare: changes signed with a true minus, percentages with %"; fi
# another language's edition goes beside the English one in the same DIR
run run scripts/compare.lua --lang ru --data "$FIX/compare-2023h1.csv" --quarter 2023Q2 --base 2023Q1 --out "$C"
if [ "$rc" -eq 0 ] && pdftotext -q "$C/compare.ru.pdf" - | grep -q 'кв' && [ -f "$C/charts.ru/compare-month.png" ] &&
	[ "$(pdftotext -q "$C/compare.pdf" -)" = "$ct" ]; then ok "compare --lang ru: compare.ru.pdf and charts.ru/ beside the English edition"
else notok "compare --lang ru: compare.ru.pdf and charts.ru/ beside the English edition" "rc=$rc $(ls "$C")"; fi

# --- languages -------------------------------------------------------------------
# quarterly.lua --lang ru / zh: the words from the catalogs (po/), the country
# names from iso-codes, the month names from the C library; the CSV tables the
# same bytes as in English.
R=$T/ru
run run scripts/quarterly.lua --lang ru --data "$D" --quarter 2023Q2 --out "$R"
rt=$(pdftotext -q "$R/report.ru.pdf" - 2>/dev/null | tr -s ' \n\f' '  ')
if [ "$rc" -eq 0 ] && printf '%s' "$rt" | grep -qF "Дайджест СВМДА: квартал в цифрах" \
	&& printf '%s' "$rt" | grep -qF "Страница 1 из 7" && printf '%s' "$rt" | grep -qF "Казахстан" \
	&& printf '%s' "$rt" | grep -qF "Апрель"; then ok "quarterly --lang ru: Russian words, country and month names"
else notok "quarterly --lang ru: Russian words, country and month names" "rc=$rc"; printf '%s\n' "$err" | sed 's/^/# /'; fi
if diff -r "$O/tables" "$R/tables" >/dev/null 2>&1; then ok "quarterly --lang ru: the CSV tables are the same bytes as in English"
else notok "quarterly --lang ru: the CSV tables are the same bytes as in English"; fi
run run scripts/quarterly.lua --lang zh --data "$D" --quarter 2023Q2 --out "$T/zh"
zt=$(pdftotext -q "$T/zh/report.zh.pdf" - 2>/dev/null | tr -s ' \n\f' '  ')
bad=$(pdffonts "$T/zh/report.zh.pdf" 2>/dev/null | tail -n +3 | awk '$(NF-4) != "yes"' | wc -l)
if [ "$rc" -eq 0 ] && printf '%s' "$zt" | grep -qF "亚信摘要" && printf '%s' "$zt" | grep -qF "哈萨克斯坦" && [ "$bad" -eq 0 ]
then ok "quarterly --lang zh: Chinese words and country names, fonts embedded"
else notok "quarterly --lang zh: Chinese words and country names, fonts embedded" "rc=$rc bad=$bad"; fi

# Display numbers follow the language, machine output stays C: a Russian table
# chart says 55,6 %; Lua's tostring and tally count's CSV say 51.3.
run chart table --lang ru --by countries "$D" -o "$T/t.pdf"
tt=$(pdftotext -q "$T/t.pdf" - 2>/dev/null)
if [ "$rc" -eq 0 ] && printf '%s' "$tt" | grep -qF "55,6%" && printf '%s' "$tt" | grep -qF "Все материалы"; then ok "chart --lang ru: decimal comma and Russian words"
else notok "chart --lang ru: decimal comma and Russian words" "rc=$rc"; fi
run eval --lang ru 'print(tostring(51.3), tally.number(51.3, "percent"), tally._("Total"), tally.lang())'
same_out=$(printf '51.3\t51,3%%\tВсего\tru\tfalse')
if [ "$rc" -eq 0 ] && [ "$out" = "$same_out" ]; then ok "eval --lang ru: tostring stays C, tally.number and tally._ follow the language"
else notok "eval --lang ru: tostring stays C, tally.number and tally._ follow the language" "got: $out"; fi
LC_ALL=ru_RU.UTF-8 run eval 'print(tally.lang())'
if [ "$out" = "$(printf 'ru\tfalse')" ]; then ok "the language follows LC_ALL when --lang is not given"
else notok "the language follows LC_ALL when --lang is not given" "got: $out"; fi
expect_fail "--lang xx is refused with the list" 1 "unknown language 'xx': use one of en, ru, zh, ar, fr, es" \
	chart bar --lang xx --by dimension "$D" -o "$T/x.png"

# --- right to left -----------------------------------------------------------------
# quarterly.lua --lang ar: the sheet is laid out from the right. pdftotext -bbox
# gives each word's box: the title ends at the right margin (56 pt from the edge
# of 595) and starts well inside; the largest bar's figure stands at the far
# left, where its bar ends (in English it is at the right).
run run scripts/quarterly.lua --lang ar --data "$D" --quarter 2023Q2 --out "$T/ar"
A=$T/ar/report.ar.pdf
edges=$(pdftotext -bbox -f 1 -l 1 "$A" - 2>/dev/null | awk -F'"' '/<word/ && $4 + 0 < 60 {
	if (min == "" || $2 + 0 < min) min = $2 + 0; if ($6 + 0 > max) max = $6 + 0 } END { printf "%d %d", min, max }')
set -- $edges
if [ "$rc" -eq 0 ] && [ "${2:-0}" -ge 530 ] && [ "${2:-0}" -le 540 ] && [ "${1:-0}" -ge 150 ]; then
	ok "quarterly --lang ar: the title is set flush right ($edges)"
else notok "quarterly --lang ar: the title is set flush right" "rc=$rc left/right edges: $edges"; fi
fig() { pdftotext -bbox -f 2 -l 2 "$1" - 2>/dev/null | awk -F'"' '/<word/ && />14</ { printf "%d", $2; exit }'; }
ar14=$(fig "$A"); en14=$(fig "$pdf")
if [ -n "$ar14" ] && [ -n "$en14" ] && [ "$ar14" -lt 150 ] && [ "$en14" -gt 400 ]; then
	ok "quarterly --lang ar: bars grow to the left from an axis on the right (figure at x=$ar14, English $en14)"
else notok "quarterly --lang ar: bars grow to the left from an axis on the right" "ar=$ar14 en=$en14"; fi
# a right-to-left table keeps its figures flush right, units under units (the
# right edges of 20 and 2 in the Items column agree), and heads its label
# column in the reader's language
run chart table --by countries --lang ar "$D" -o "$T/tab-ar.pdf"
edges=$(pdftotext -bbox "$T/tab-ar.pdf" - 2>/dev/null | awk -F'"' '/<word/ && (/>20</ || />2</) { printf "%d ", $6 }')
set -- $edges
if [ "$rc" -eq 0 ] && [ $# -ge 2 ] && [ "$1" = "$2" ]; then ok "chart table --lang ar: figures flush right in their cells ($edges)"
else notok "chart table --lang ar: figures flush right in their cells" "rc=$rc right edges: $edges"; fi
if [ "$rc" -eq 0 ] && ! pdftotext "$T/tab-ar.pdf" - | grep -q Countries && pdftotext "$T/tab-ar.pdf" - | grep -q 'الدول'; then
	ok "chart table --lang ar: the label column is headed in Arabic"
else notok "chart table --lang ar: the label column is headed in Arabic" "$(pdftotext "$T/tab-ar.pdf" - | head -3)"; fi
bad=$(pdffonts "$A" 2>/dev/null | tail -n +3 | awk '$(NF-4) != "yes"' | wc -l)
if pdfinfo "$A" 2>/dev/null | grep -q '^Tagged: *yes' && [ "$bad" -eq 0 ]; then ok "quarterly --lang ar: tagged, every font embedded"
else notok "quarterly --lang ar: tagged, every font embedded" "not embedded: $bad"; fi

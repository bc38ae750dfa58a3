# One tool, one voice (issue 15): what tally prints for people reads the same way
# wherever it appears.
# checks: 23
. tests/lib.sh

# tally check: the date span in one precision (days), whatever precisions the cells
# have, and how many cells have each.
printf 'id,date\n1,2023-Q2\n2,2023-06\n3,2023-05-03\n' >"$T/mixed.csv"
run check "$T/mixed.csv"
echo "$out" | grep -qx 'dates     2023-04-01 .. 2023-06-30 (date: 1 to the day, 1 to the month, 1 to the quarter)' &&
	ok "check: a span over a quarter, a month and a day is written in days" || notok "check: mixed span" "$out"
printf 'id,date\n1,2024-02\n2,2023\n' >"$T/years.csv"
run check "$T/years.csv"
echo "$out" | grep -qx 'dates     2023-01-01 .. 2024-02-29 (date: 1 to the month, 1 to the year)' &&
	ok "check: a year starts on 1 January and a leap February ends on the 29th" || notok "check: year span" "$out"
printf 'id,date\n1,\n' >"$T/none.csv"
run check "$T/none.csv"
echo "$out" | grep -qx 'dates     none (date)' && ok "check: a date column with no date says so" || notok "check: no dates" "$out"

# --from/--to keep a record when its whole date lies in the range, as --help says:
# a quarter that starts before the range is left out, a month inside it kept.
printf 'id,date\n1,2023-Q2\n2,2023-06\n3,2023-05-03\n4,2023-04-30\n' >"$T/range.csv"
run count --help
echo "$out" | grep -q -- '--from DATE *keep records whose whole date lies on or after DATE' &&
echo "$out" | grep -q -- '--to DATE *keep records whose whole date lies on or before DATE' &&
	ok "count --help: --from/--to keep records whose whole date lies in the range" || notok "count --help wording" "$out"
expect_out "count --from/--to: the whole date lies in the range" "$(printf 'date,count\n2023-05-03,1\n2023-06,1')" \
	count --by date --sort key --from 2023-05-01 --to 2023-06-30 --format csv "$T/range.csv"

# Field and period labels for people (data/labels.tsv, Date:label): default titles
# say "event type", not event_type, and "Q2 2023", not 2023Q2.
D=data/cica-digest-2023q2.csv
run chart bar --by event_type --quarter 2023Q2 "$D" -o "$T/et.pdf"
txt=$(pdftotext "$T/et.pdf" - 2>/dev/null)
[ "$rc" -eq 0 ] && echo "$txt" | grep -qx 'Records by event type' && echo "$txt" | grep -qx 'Q2 2023' &&
	ok "chart: the default title and subtitle use the field's label and the quarter as people write it" || notok "chart: labels" "rc=$rc $txt"
run chart bar --by countries,dimension --from 2023-04-01 --to 2023-05-31 "$D" -o "$T/cd.pdf"
txt=$(pdftotext "$T/cd.pdf" - 2>/dev/null)
[ "$rc" -eq 0 ] && echo "$txt" | grep -qx 'Records by country and CICA dimension' && echo "$txt" | grep -qx '1 April 2023 to 31 May 2023' &&
	ok "chart: a cross-tab title names both labels; a date range reads as days" || notok "chart: cross-tab labels" "rc=$rc $txt"
expect_out "lua: tally.label and Date:label" "event type|partner organisations|ActionGeo CountryCode|Q2 2023|April 2023|10 April 2023|2023" \
	eval 'table.concat({tally.label("event_type"), tally.label("organizations", true), tally.label("ActionGeo_CountryCode"), tally.date("2023Q2"):label(), tally.date("2023-04"):label(), tally.date("2023-04-10"):label(), tally.date("2023"):label()}, "|")' --data "$D"
# the labels are data: a copy of the data directory with another label is used
mkdir -p "$T/home"; cp -r data plugins "$T/home/"
sed -i 's/^event_type\tevent type\tevent types$/event_type\tkind of activity\tkinds of activity/' "$T/home/data/labels.tsv"
TALLY_HOME=$T/home run chart bar --by event_type "$D" -o "$T/et2.pdf"
pdftotext "$T/et2.pdf" - 2>/dev/null | grep -qx 'Records by kind of activity' && ok "labels: data/labels.tsv under TALLY_HOME is the one used" || notok "labels: TALLY_HOME" "rc=$rc $err"
printf 'event_type\tonly two fields\n' >"$T/home/data/labels.tsv"
TALLY_HOME=$T/home run chart bar --by event_type "$D" -o "$T/et3.pdf"
[ "$rc" -eq 0 ] && pdftotext "$T/et3.pdf" - 2>/dev/null | grep -qx 'Records by event type' &&
	echo "$err" | grep -q "warning: .*/data/labels.tsv:1:3: expected field<TAB>label<TAB>plural (titles use field names)" &&
	ok "labels: a malformed labels.tsv is a warning naming its line, and titles use field names" || notok "labels: malformed" "rc=$rc $err"
# compare.lua: "Activities per country", not "Activities per countries"
run run scripts/compare.lua --data "$D" tests/fixtures/compare-2023q1.csv --quarter 2023Q2 --base 2023Q1 --by countries --out "$T/cmp"
[ "$rc" -eq 0 ] && pdftotext "$T/cmp/compare.pdf" - 2>/dev/null | grep -qx 'Activities per country' &&
	ok "compare.lua --by countries: the chart is titled per country" || notok "compare.lua title" "rc=$rc $err"
# its two tables: the country rows add up to more than all items and say so; the
# month rows, by the same --by countries, do not, and say only what the last row is
notes=$(pdftotext "$T/cmp/compare.pdf" - 2>/dev/null | tr '\n' ' ' | grep -o 'The last row counts all items[^.]*\.')
[ "$notes" = "$(printf '%s\n' 'The last row counts all items; an item may name several countries, so the rows above add up to more.' 'The last row counts all items.')" ] \
	&& ok "compare.lua: 'the rows above add up to more' only under the table whose rows do" || notok "compare notes" "$notes"

# tally chart takes --where as count does: the same records, the same checks, and
# the subtitle says what was kept; --size takes the names Lua's size= takes.
run count --by dimension --where countries=Kazakhstan --where countries=China --quarter 2023Q2 --format csv "$D"
want=$(echo "$out" | sed 1d | tr ',' ' ')
run chart bar --by dimension --where countries=Kazakhstan --where countries=China --quarter 2023Q2 --horizontal "$D" -o "$T/w.pdf"
# the bars read labels.tsv's words for the values ("Institutional"), count's CSV the values
got=$(pdftotext -layout "$T/w.pdf" - 2>/dev/null | awk 'NF >= 2 && $1 ~ /^[A-Za-z]/ && $NF ~ /^[0-9]+$/ {
	l = $1; for (i = 2; i < NF; i++) l = l "-" $i; print tolower(l), $NF }')
[ "$rc" -eq 0 ] && [ -n "$want" ] && [ "$got" = "$want" ] &&
	pdftotext "$T/w.pdf" - | grep -qx 'Q2 2023; country: Kazakhstan or China' &&
	ok "chart --where: the bars are count's numbers for the same filter, and the subtitle names it" || notok "chart --where" "rc=$rc got=$got want=$want"
expect_fail "chart --where: a misspelt country is an error with a suggestion" 1 "unknown country 'Uzbekstan' \(did you mean 'Uzbekistan'\?\)" \
	chart bar --by dimension --where countries=Uzbekstan "$D" -o "$T/x.png"
[ ! -e "$T/x.png" ] && ok "chart --where: nothing is written when the filter is refused" || notok "chart --where wrote a file"
run chart bar --by dimension --size a4 "$D" -o "$T/a4.pdf"
[ "$rc" -eq 0 ] && pdfinfo "$T/a4.pdf" | grep -q 'Page size: *841.89 x 595.28 pts (A4)' && ok "chart --size a4: an A4 landscape page" || notok "chart --size a4" "rc=$rc $err"
expect_fail "chart --size: a bad size names the forms it takes" 1 "--size takes web, a4, a5 or WxH" chart bar --by dimension --size letter "$D" -o "$T/x.png"

# p:text: markup with a bare "&" is still markup (no literal <i> on the page);
# tags that do not parse are an error naming the script's line, not plain text.
cat >"$T/amp.lua" <<'LUA'
local r = tally.report{title = "Notes"}
local p = r:page()
p:text("<i>Note:</i> A & B, R&D; &amp; stays")
assert(r:save(tally.args.out .. "/amp.pdf"))
LUA
run run "$T/amp.lua" --out "$T/amp"
txt=$(pdftotext "$T/amp/amp.pdf" - 2>/dev/null)
[ "$rc" -eq 0 ] && echo "$txt" | grep -qx 'Note: A & B, R&D; & stays' && ! echo "$txt" | grep -q '<i>' &&
	ok "report: markup with a bare ampersand keeps its markup" || notok "report: bare ampersand" "rc=$rc $txt $err"
printf 'local r = tally.report{title = "x"}\nlocal p = r:page()\np:text("<i>Note: unclosed")\n' >"$T/bad.lua"
expect_fail "report: markup that does not parse is an error at the script's line" 3 "bad.lua:3: .*markup error: .*write &lt; for a literal <" run "$T/bad.lua" --out "$T/bad"

# An unknown font is an error with a suggestion, not another font drawn quietly.
expect_fail "chart --font: an unknown family is refused with a suggestion" 1 "unknown font 'DejaVu Sanz' \(did you mean 'DejaVu Sans'\?\)" \
	chart bar --by dimension --font 'DejaVu Sanz' "$D" -o "$T/f.png"
run eval 'tally.chart.bar{data = ds:count("dimension"), theme = {font = "DejaVu Sanz"}} return "drawn"' --data "$D"
[ "$rc" -eq 3 ] && echo "$err" | grep -q "theme.font: unknown font 'DejaVu Sanz' (did you mean 'DejaVu Sans'?)" &&
	ok "lua theme.font: an unknown family is an error naming it" || notok "lua theme.font" "rc=$rc $err"
expect_true "chart --font: an installed family in another case is taken" "$TALLY" chart bar --by dimension --font 'dejavu serif' "$D" -o "$T/f2.png"

# p:table given a Lua list: the label column has no "Count" heading of its own.
cat >"$T/tb.lua" <<'LUA'
local r = tally.report{title = "Tables"}
local p = r:page()
p:table({{"Kazakhstan", 3}, {"China", 2}})
p:table(tally.data():count("dimension"))
assert(r:save(tally.args.out .. "/t.pdf"))
LUA
run run "$T/tb.lua" --data "$D" --out "$T/tb"
txt=$(pdftotext -layout "$T/tb/t.pdf" - 2>/dev/null)
[ "$rc" -eq 0 ] && [ "$(echo "$txt" | grep -c 'Count')" -eq 1 ] && ! echo "$txt" | grep -q 'Count *Count' &&
	echo "$txt" | grep -q '^ *Dimension *Items' &&
	ok "report: a table of a Lua list heads only its value column Count; a count's table names its field" || notok "report: table headings" "rc=$rc $txt"

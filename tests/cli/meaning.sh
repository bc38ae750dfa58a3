# What the numbers mean (README): one definition of counting a list field, top N,
# shares that add up, and items dated only to the quarter, pinned through the
# command line, the Lua API and the charts on a dataset small enough to count by
# hand (written here, below).
# checks: 45
. tests/lib.sh

H=id,date,title,dimension,countries,organizations,event_type,format,lead,participants,kind
# Ten items. Countries: Kazakhstan 3 (item 1 names it twice, as name and alpha-3),
# China 2, India 2, Iran 2, Türkiye 2; items 5 and 10 name none: 11 mentions.
# Dimensions: human 3, economic 3, environmental 2, institutional 2. Dated only
# to the quarter: items 4, 5 and 9 (all economic or environmental).
cat >"$T/m.csv" <<EOF
$H
1,2023-04-03,a,human,Kazakhstan;KAZ,,meeting,online,SG,,article
2,2023-04-10,b,human,China;India,,meeting,online,SG,,article
3,2023-05-01,c,economic,China;India;Iran,,meeting,online,SG,,article
4,2023-Q2,d,economic,Iran,,meeting,online,SG,,article
5,2023-Q2,e,environmental,,,meeting,online,SG,,article
6,2023-06,f,institutional,Kazakhstan,,meeting,online,DSG,,article
7,2023-06-15,g,human,Kazakhstan,,meeting,online,DSG,,article
8,2023-06-20,h,environmental,Türkiye,,meeting,online,DSG,,article
9,2023-Q2,i,economic,Türkiye,,meeting,online,Expert,,article
10,2023-05-20,j,institutional,,,meeting,online,Expert,,article
EOF
M=$T/m.csv

# --- case 3: a list field counts items, with the mentions beside
expect_out "a value named twice in one cell counts once" "$(printf 'countries,count\nKazakhstan,3\nChina,2\nIndia,2\nIran,2\nTürkiye,2')" \
	count --by countries --format csv "$M"
run count --by countries "$M"
echo "$out" | grep -q '^10 items, 11 mentions; shares are of the items$' && ok "the total names both units: 10 items, 11 mentions" \
	|| notok "units in the total" "$out"
echo "$out" | grep -q '^Kazakhstan *3   30.0%' && ok "a share is of the items (3 of 10), not of the mentions (3 of 11)" \
	|| notok "share of the items" "$out"
echo "$out" | grep -q 'An item may name several countries, so the counts' && echo "$out" | grep -q '^2 items name no countries' \
	&& ok "the table says why its shares add up to more than 100%" || notok "why over 100%" "$out"
run count --by country "$M"
printf '%s' "$out" | tr '\n' ' ' | grep -q 'An item may name several countries, so the counts' && ! printf '%s' "$out" | grep -q 'several country' \
	&& ok "by the role word country: the note says several countries" || notok "several country" "$out"
run count --by country,dimension "$M"
printf '%s' "$out" | tr '\n' ' ' | grep -q 'An item may name several countries, so it may count in several rows' \
	&& ok "cross-tab by country: several countries, several rows" || notok "xtab several country" "$out"
run eval 'local c = ds:count("countries"); return c:share("Kazakhstan"), c:items(), c:total(), c:info().mentions' --data "$M"
[ "$out" = "$(printf '0.3\n10\n11\n11')" ] && ok "Lua: share(v) = items naming v over the items in the view" || notok "Lua share" "$out $err"
run eval 'return ds:where{dimension = "human"}:count("countries"):share("China")' --data "$M"
[ "$out" = "0.33333333333333" ] && ok "Lua: a view's share is of the view's items (1 of 3)" || notok "Lua view share" "$out $err"

# --- case 6: top N, one meaning
expect_out "--top never cuts a tie; Other counts items once (5, not 8)" \
	"$(printf 'countries,count\nKazakhstan,3\nOther (4 values),5')" count --by countries --top 2 --format csv "$M"
expect_out "--top: a single leftover keeps its name" "$(printf 'lead,count\nSG,5\nDSG,3\nExpert,2')" \
	count --by lead --top 2 --format csv "$M"
expect_out "--top: a single-valued field's Other sums" "$(printf 'dimension,count\neconomic,3\nhuman,3\nOther (2 values),4')" \
	count --by dimension --top 3 --format csv "$M"
expect_fail "--top 0 is a usage error" 1 "--top takes a whole number of rows" count --by countries --top 0 "$M"
run eval 'local t = {} for k, n in ds:count("countries"):top(2):pairs() do t[#t + 1] = k .. "=" .. n end return table.concat(t, " ")' --data "$M"
[ "$out" = "Kazakhstan=3 Other (4 values)=5" ] && ok "Lua c:top(2) is the CLI's --top 2" || notok "Lua top" "$out $err"
run eval 'local t = ds:crosstab("countries", "quarter"):top(2) return t:get("Other (4 values)", "2023-Q2")' --data "$M"
[ "$out" = "5" ] && ok "Lua t:top(2): Other's cell counts items once" || notok "Lua table top" "$out $err"
run eval 'local c = ds:count("lead"):top(2) return #c' --data "$M"
[ "$out" = "3" ] && ok "Lua top: a single leftover is named, not 'Other (1 values)'" || notok "Lua single leftover" "$out $err"
"$TALLY" chart bar --by countries --top 2 "$M" -o "$T/top.pdf" 2>/dev/null
txt=$(pdftotext -q "$T/top.pdf" - 2>/dev/null)
printf '%s' "$txt" | grep -q 'Other (4 values)' && printf '%s' "$txt" | grep -qx '5' && ! printf '%s' "$txt" | grep -q China \
	&& ok "chart --top 2: one named bar and Other (4 values) of 5 items" || notok "chart top" "$txt"
cat >"$T/limit.lua" <<'EOF'
local c = tally.data():count("countries")
assert(tally.chart.bar{data = c, limit = 2, title = "Countries"}:save(tally.args.out .. "/limit.pdf"))
EOF
run run "$T/limit.lua" --data "$M" --out "$T/o"
txt=$(pdftotext -q "$T/o/limit.pdf" - 2>/dev/null)
printf '%s' "$txt" | grep -q 'Other (4 values)' && ! printf '%s' "$txt" | grep -q China \
	&& ok "chart option limit = 2 is top 2 too" || notok "chart limit" "rc=$rc $err $txt"

# --- case 7: parts of a whole add up to 100 (largest remainder); equal counts
# show equal shares; a list field is no whole
row() { printf '%s,2023-04-01,x,human,,,meeting,%s,SG,,article\n' "$1" "$2"; }
{ echo "$H"; row 1 in-person; row 2 online; row 3 hybrid; } >"$T/thirds.csv"
"$TALLY" chart donut --by format "$T/thirds.csv" -o "$T/d.pdf" 2>/dev/null
txt=$(pdftotext -q "$T/d.pdf" - 2>/dev/null)
[ "$(printf '%s\n' "$txt" | grep -c '^33%$')" -ge 3 ] && ! printf '%s\n' "$txt" | grep -q '^34%$' \
	&& ok "donut: three equal thirds are 33% each, not one of them 34%" || notok "donut thirds" "$txt"
run count --by format "$T/thirds.csv"
[ "$(echo "$out" | grep -c ' 33.3%')" = 3 ] && ok "count table: three equal thirds are 33.3% each" \
	|| notok "count table thirds" "$out"
# 2, 3 and 4 items of 9: rounded alone 22.2 + 33.3 + 44.4 = 99.9; the missing
# tenth goes to the largest remainder (44.44...)
{ echo "$H"; for i in 1 2; do row a$i in-person; done; for i in 1 2 3; do row b$i online; done
  for i in 1 2 3 4; do row c$i hybrid; done; } >"$T/ninths.csv"
run count --by format "$T/ninths.csv"
echo "$out" | grep -q '^hybrid  *4   44.5%' && echo "$out" | grep -q '^online  *3   33.3%' && echo "$out" | grep -q '^in-person  *2   22.2%' \
	&& ok "count table: 2, 3, 4 of 9 add up to 100.0% (44.5%)" || notok "count table 100" "$out"
"$TALLY" chart donut --by format "$T/ninths.csv" -o "$T/d9.pdf" 2>/dev/null
txt=$(pdftotext -q "$T/d9.pdf" - 2>/dev/null)
printf '%s\n' "$txt" | grep -q '^45%$' && printf '%s\n' "$txt" | grep -q '^33%$' && printf '%s\n' "$txt" | grep -q '^22%$' \
	&& ok "donut: 2, 3, 4 of 9 are 22% 33% 45%, adding up to 100" || notok "donut 100" "$txt"
# the Digest's dimensions: two of 36 items each is 5.6% twice (rounded alike,
# the table adds up to 100.1%), not 5.6% and 5.5%
run count --by dimension data/cica-digest-2023q2.csv
[ "$(echo "$out" | grep -c '  2    5.6%')" = 2 ] && ! echo "$out" | grep -q '5.5%' \
	&& ok "equal counts of the Digest show equal shares" || notok "equal counts" "$out"
expect_fail "donut of a list field is refused" 1 "a donut shows the parts of a whole, and countries is a list field" \
	chart donut --by countries "$M" -o "$T/no.png"
[ ! -e "$T/no.png" ] && ok "the refused donut writes nothing" || notok "refused donut wrote a file"

# --- case 5: items dated only to the quarter
run count --by month "$M"
echo "$out" | grep -q '^3 items dated only to the quarter are in no month.$' && ok "month table says how many it leaves out" \
	|| notok "month note" "$out"
run count --by month --format csv "$M"
[ "$rc" -eq 0 ] && printf '%s' "$err" | grep -q 'note: 3 items dated only to the quarter are in no month' \
	&& ! printf '%s' "$out" | grep -q note && ok "csv stays data; the note goes to stderr" || notok "csv note" "$out $err"
expect_out "cross-tab rows by what is shown (economic has 3 items, 1 in a month)" \
	"$(printf 'dimension,2023-04,2023-05,2023-06\nhuman,2,0,1\ninstitutional,0,1,1\neconomic,0,1,0\nenvironmental,0,0,1')" \
	count --by dimension,month --format csv "$M"
run count --by dimension,month "$M"
echo "$out" | grep -q '3 items dated only to the quarter are in no month column' && ok "cross-tab by month says what it leaves out" \
	|| notok "xtab note" "$out"
run eval 'local i = ds:count("month"):info() return i.coarse_quarter, i.note' --data "$M"
[ "$out" = "$(printf '3\n3 items dated only to the quarter are in no month.')" ] && ok "Lua: info() counts the coarse dates and says so" \
	|| notok "Lua coarse" "$out $err"
"$TALLY" chart bar --by dimension,month --stacked "$M" -o "$T/s.pdf" 2>/dev/null
pdftotext -q "$T/s.pdf" - 2>/dev/null | tr '\n' ' ' | grep -q '3 items dated only to the quarter are in no month column' \
	&& ok "stacked month chart says what it leaves out" || notok "chart month note"

# the dimension x countries grid has items in no column (no country): no crash, a note
run count --by dimension,countries "$M"
[ "$rc" -eq 0 ] && echo "$out" | grep -q '2 items name no countries' && ok "cross-tab with items in no column" || notok "xtab no column" "rc=$rc $out"

# --- a list field most items leave empty: its mentions (22 organisations in 13
# of the Digest's 36 items) add up to less than the items, so the note says
# "more than the items that name one", in the table, a chart and the report
run count --by organizations data/cica-digest-2023q2.csv
printf '%s' "$out" | tr '\n' ' ' | grep -q 'so the counts add up to more than the 13 items that name one\.' \
	&& ! printf '%s' "$out" | grep -q 'more than the 36' \
	&& ok "organizations: 22 mentions add up to more than the 13 items that name one, not the 36" || notok "organizations note" "$out"
"$TALLY" chart bar --by organizations --lang fr data/cica-digest-2023q2.csv -o "$T/org-fr.pdf" 2>/dev/null
pdftotext -q "$T/org-fr.pdf" - 2>/dev/null | tr '\n' ' ' | grep -q 'la somme dépasse donc 13, le nombre d’éléments qui en citent au moins un' \
	&& ok "chart --lang fr: the same note from the catalog" || notok "chart fr note" "$(pdftotext -q "$T/org-fr.pdf" - 2>/dev/null)"
{ echo "$H"; echo "1,2023-04-03,a,human,Kazakhstan;China,,meeting,online,SG,,article"
  for i in 2 3 4 5; do echo "$i,2023-05-0$i,x,human,,,meeting,online,SG,,article"; done; } >"$T/few.csv"
run run scripts/quarterly.lua --data "$T/few.csv" --quarter 2023Q2 --out "$T/few"
txt=$(pdftotext -q "$T/few/report.pdf" - 2>/dev/null | tr '\n' ' ')
printf '%s' "$txt" | grep -q 'so the bars add up to more than the 1 item that names one' \
	&& ! printf '%s' "$txt" | grep -q 'more than the 5 items' \
	&& ok "report: 2 mentions in 1 of 5 items add up to more than the item that names one" || notok "report few" "rc=$rc $err"

# --- rows that are not the whole (32 of the 36 items have no participants) are
# each rounded alone: 2 items are 5.6%, not 5.5% to round an unshown 88.9% up
run count --by participants data/cica-digest-2023q2.csv
echo "$out" | grep -q '^80  *2    5.6%' && echo "$out" | grep -q '^40  *1    2.8%' \
	&& ok "participants: 2 of 36 items is 5.6% when the items with none are not shown" || notok "unshown part" "$out"

# --- a donut's shares are of the items it shows: 19 of the 33 items with a lead
# is 58%, where the table's 52.8% is of all 36, and the note says which whole
"$TALLY" chart donut --by lead data/cica-digest-2023q2.csv -o "$T/lead.pdf" 2>/dev/null
txt=$(pdftotext -q "$T/lead.pdf" - 2>/dev/null | tr '\n' ' ')
printf '%s' "$txt" | grep -q 'Shares are of the 33 items shown\. 3 items have no lead\.' && printf '%s' "$txt" | grep -q '58%' \
	&& ok "donut with items of no value: shares of the 33 shown, and it says so" || notok "donut whole" "$txt"
"$TALLY" chart donut --by format data/cica-digest-2023q2.csv -o "$T/format.pdf" 2>/dev/null
pdftotext -q "$T/format.pdf" - 2>/dev/null | grep -q 'Shares are of' \
	&& notok "donut of every item: no note of its whole" || ok "donut of every item: no note of its whole"

# --- a date range leaves out the items whose date only overlaps it, and says how
# many: of the Digest's items, 15 April to 10 May holds 2 dated to the day (19
# April, 3 May); 4 dated only to April, 7 only to May and 7 only to Q2 overlap it
run count --by dimension --from 2023-04-15 --to 2023-05-10 data/cica-digest-2023q2.csv
printf '%s' "$out" | grep -q '^2 items; shares are of the items$' \
	&& printf '%s' "$out" | tr '\n' ' ' | grep -q '18 items are left out because their dates (a month, quarter or year) are only partly inside the period asked for\.' \
	&& ok "--from/--to: 2 items in, 18 that only overlap the range said to be left out" || notok "edge count" "$out"
run count --by dimension --from 2023-04-15 --to 2023-05-10 --format csv data/cica-digest-2023q2.csv
[ "$out" = "$(printf 'dimension,count\ninstitutional,2')" ] && printf '%s' "$err" | grep -q '^tally count: note: 18 items are left out' \
	&& ok "--format csv: the data alone, the left-out items on stderr" || notok "edge csv" "$out $err"
"$TALLY" chart bar --by dimension --from 2023-04-15 --lang fr data/cica-digest-2023q2.csv -o "$T/edge.pdf" 2>/dev/null
pdftotext -q "$T/edge.pdf" - 2>/dev/null | tr '\n' ' ' | grep -q '11 éléments sont laissés de côté' \
	&& ok "chart --lang fr: the left-out items in the reader's language" || notok "edge chart fr"
run eval 'local v = ds:where{from = "2023-04-15", to = "2023-05-10"}
	local a = v:filter(function(r) return r.kind == "article" end)
	return #v, v:count("dimension"):info().edge, a:count("kind"):info().edge, v:where{kind = "photo"}:count("kind"):info().edge' \
	--data data/cica-digest-2023q2.csv
[ "$out" = "$(printf '2\n18\n11\n7')" ] && ok "Lua: where and filter carry the left-out items (18; 11 articles, 7 photos)" || notok "edge Lua" "$out $err"
# the quarterly report of a file with an item dated only to the year: the item
# overlaps the quarter without lying in it, and the report says so
{ cat data/cica-digest-2023q2.csv; echo "2023X-001,2023,y,human,Kazakhstan,,meeting,online,SG,,article"; } >"$T/year.csv"
run run scripts/quarterly.lua --data "$T/year.csv" --quarter 2023Q2 --out "$T/year"
pdftotext -q "$T/year/report.pdf" - 2>/dev/null | tr '\n' ' ' | grep -q '1 item dated only to 2023 is not counted in this quarter' \
	&& ok "report: the item dated only to 2023 is said not to be counted in Q2" || notok "report edge" "rc=$rc $err"
run run compare-quarters --data "$T/year.csv" tests/fixtures/compare-2023q1.csv --quarter 2023Q2
printf '%s' "$out" | grep -q '2023Q2 leaves out 1 item dated only to the year\.' && ! printf '%s' "$out" | grep -q '2023Q1 leaves out' \
	&& ok "compare-quarters: the quarter with an item dated only to the year says it leaves it out" || notok "compare-quarters edge" "$out $err"
run run scripts/compare.lua --data "$T/year.csv" tests/fixtures/compare-2023q1.csv --quarter 2023Q2 --base 2023Q1 --out "$T/cmpy"
[ "$(pdftotext -q "$T/cmpy/compare.pdf" - 2>/dev/null | tr '\n' ' ' | grep -o 'Q2 2023 leaves out 1 item dated only to the year\.' | wc -l)" = 2 ] \
	&& ok "compare.lua: under both change tables" || notok "compare.lua edge" "rc=$rc $err"

# --- count --top on a cross-tab cuts its rows as c:top does (it was ignored): 20
# items name Kazakhstan, then four countries tie at 2, so one named row and Other;
# 10 institutional items name a country other than Kazakhstan (counted by hand in Lua)
run count --by countries,dimension --top 2 --format csv data/cica-digest-2023q2.csv
hand=$("$TALLY" eval 'local n = 0; for r in ds:records() do if r.dimension == "institutional" then local any = false
	for _, c in ipairs(r.countries or {}) do any = any or c ~= "Kazakhstan" end; if any then n = n + 1 end end end; return n' \
	--data data/cica-digest-2023q2.csv)
[ "$(printf '%s\n' "$out" | wc -l)" = 3 ] && printf '%s\n' "$out" | grep -q '^Kazakhstan,7,' \
	&& printf '%s\n' "$out" | grep -q "^Other (15 values),$hand," \
	&& ok "count --by a,b --top 2: Kazakhstan and Other (15 values), $hand institutional" || notok "xtab top" "$out hand=$hand"

# The report scripts through the command line, as a user runs them:
# checks: 37
# scripts/quarterly.lua on the bundled data (PDF pages, title, headline numbers,
# every chart as PNG and SVG, counts as tally count gives them) and
# scripts/compare.lua on a two-quarter fixture (change tables checked against
# counts made independently). A bad quarter fails with status 3 and no files.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
D=data/cica-digest-2023q2.csv
Q=2023Q2
H1=$FIX/compare-2023h1.csv

# flat FILE [FIRST LAST]: the PDF's text (pages FIRST to LAST) on one line
flat() {
	pdftotext -q ${2:+-f "$2" -l "$3"} "$1" - 2>/dev/null | tr -s ' \n\f' '  '
}

# has NAME TEXT STRING...: TEXT contains every STRING
has() {
	name=$1 txt=$2; shift 2; miss=""
	for s in "$@"; do printf '%s' "$txt" | grep -qF -- "$s" || miss="$miss '$s'"; done
	if [ -z "$miss" ]; then ok "$name"; else notok "$name" "missing$miss"; fi
}

# same NAME WANT GOT: two texts are equal
same() {
	if [ "$2" = "$3" ]; then ok "$1"
	else notok "$1"; printf '  want: %s\n  got:  %s\n' "$2" "$3" | sed 's/^/# /'; fi
}

# pages FILE: the page count pdfinfo gives
pages() { pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ { print $2 }'; }

# --- quarterly.lua on the bundled data -------------------------------------------
O=$T/q
run run scripts/quarterly.lua --data "$D" --quarter "$Q" --out "$O"
if [ "$rc" -eq 0 ] && [ -s "$O/report.pdf" ]; then ok "quarterly: writes report.pdf"
else notok "quarterly: writes report.pdf" "rc=$rc"; printf '%s\n' "$err" | sed 's/^/# /'; fi
same "quarterly: 7 A4 pages (cover, 3 chart pages, 3 pages of items)" 7 "$(pages "$O/report.pdf")"
same "quarterly: pages are A4" "595.28 x 841.89" \
	"$(pdfinfo "$O/report.pdf" 2>/dev/null | awk '/^Page size:/ { print $3 " x " $5 }')"

# The headline numbers, counted here without the script: records whose date lies
# in the quarter (mlr), and the distinct countries and partners (tally count).
n=$(mlr --icsv --onidx filter '$date =~ "^2023-(0[456]|Q2)"' then count "$D")
nc=$(( $("$TALLY" count --by countries --quarter "$Q" --format csv "$D" | wc -l) - 1 ))
no=$(( $("$TALLY" count --by organizations --quarter "$Q" --format csv "$D" | wc -l) - 1 ))
p1=$(flat "$O/report.pdf" 1 1)
has "quarterly: the title" "$p1" "CICA Digest: the quarter in numbers" "Q2 2023 · April–June 2023"
has "quarterly: headline numbers ($n activities, $nc countries, $no partners)" "$p1" \
	"$n $nc $no activities reported countries engaged partner organisations" "reports $n activities"
# The lead officials line says what its numbers count: items, and those with none.
sg=$("$TALLY" count --by lead --quarter "$Q" --format csv "$D" | awk -F, '$1 == "SG" { print $2 }')
nl=$(mlr --icsv --onidx filter '$date =~ "^2023-(0[456]|Q2)" && $lead == ""' then count "$D")
has "quarterly: lead officials counted in items ($sg led by the SG, $nl with none)" "$p1" \
	"Items by lead official: Secretary General $sg," "; $nl items name no lead official."
all=$(flat "$O/report.pdf")
has "quarterly: source lines name the quarter" "$all" "Source: CICA Digest, Q2 2023"
has "quarterly: every section" "$all" "Activities per month" "Activities per CICA dimension" \
	"Types of event" "The 5 countries named most often; 11 more named once" "Countries by month" "Formats" \
	"Lead officials" "Partner organisations" "All items"
first=$(mlr --icsv --onidx head -n 1 then cut -f title "$D")
last=$(mlr --icsv --onidx tail -n 1 then cut -f id "$D")
has "quarterly: the list of items runs from the first to the last" "$all" "$first" "$last"
has "quarterly: running footer with page numbers" "$all" "CICA Digest · Q2 2023 Page 1 of 7" "Page 7 of 7"
# whole words only: "Manila" and "Nanjing" are places, "nil", "NaN" and "inf" leaks
if printf '%s' "$all" | grep -qiE 'lorem|TODO|XXX' || printf '%s' "$all" | grep -qE '(^|[^[:alnum:]])(nil|NaN|nan|-?inf)([^[:alnum:]]|$)'; then notok "quarterly: no placeholder, nil or NaN in the text"
else ok "quarterly: no placeholder, nil or NaN in the text"; fi

missing=""
for c in by-month by-dimension by-event-type top-countries country-month by-format by-lead partners; do
	head -c 8 "$O/charts/$c.png" 2>/dev/null | od -An -c | grep -q 'P   N   G' || missing="$missing $c.png"
	grep -q '<svg' "$O/charts/$c.svg" 2>/dev/null || missing="$missing $c.svg"
done
same "quarterly: every chart as PNG and SVG" "" "$missing"

for f in month dimension countries organizations event_type format lead kind; do
	same "quarterly: tables/$f.csv is tally count --by $f" \
		"$("$TALLY" count --by "$f" --quarter "$Q" --sort key --format csv "$D" | sort)" \
		"$(sort "$O/tables/$f.csv" 2>/dev/null)"
done

O2=$T/latest
run run scripts/quarterly.lua --data "$D" --out "$O2"
if [ "$rc" -eq 0 ] && cmp -s "$O/charts/by-dimension.svg" "$O2/charts/by-dimension.svg" \
	&& flat "$O2/report.pdf" 1 1 | grep -qF "Q2 2023 · April–June 2023"; then
	ok "quarterly: without --quarter, the latest quarter in the data"
else notok "quarterly: without --quarter, the latest quarter in the data" "rc=$rc"; fi

expect_fail "quarterly: --quarter 2023Q5 is a usage error, no traceback" 1 "--quarter: '2023Q5' is not a quarter" \
	run scripts/quarterly.lua --data "$D" --quarter 2023Q5 --out "$T/bad"
expect_true "quarterly: --quarter 2023Q5 leaves no files" test ! -e "$T/bad"
expect_fail "quarterly: a quarter without records is a data error" 2 "no records in Q1 2022" \
	run scripts/quarterly.lua --data "$D" --quarter 2022Q1 --out "$T/bad"
expect_true "quarterly: a quarter without records leaves no files" test ! -e "$T/bad"

# --- compare.lua on a two-quarter fixture -------------------------------------------
# want_change FIELD Q BASE: field,before,after,change,percent from tally count per quarter
want_change() {
	"$TALLY" count --by "$1" --quarter "$3" --format csv "$H1" | tail -n +2 >"$T/before"
	"$TALLY" count --by "$1" --quarter "$2" --format csv "$H1" | tail -n +2 >"$T/after"
	awk -F, -v f="$1" 'NR == FNR { b[$1] = $2; next } { a[$1] = $2 }
		END {
			print f ",before,after,change,percent"
			for (k in a) seen[k]; for (k in b) seen[k]
			for (k in seen) {
				x = b[k] + 0; y = a[k] + 0
				printf "%s,%d,%d,%d,%s\n", k, x, y, y - x, x ? sprintf("%.1f", (y - x) * 100 / x) : ""
			}
		}' "$T/before" "$T/after" | sort
}

C=$T/cmp
run run scripts/compare.lua --data "$H1" --quarter 2023Q2 --base 2023Q1 --out "$C"
if [ "$rc" -eq 0 ] && [ "$(pages "$C/compare.pdf")" = 2 ]; then ok "compare: writes a two-page compare.pdf"
else notok "compare: writes a two-page compare.pdf" "rc=$rc"; printf '%s\n' "$err" | sed 's/^/# /'; fi
same "compare: change per dimension (Counts:diff) as counted per quarter" \
	"$(want_change dimension 2023Q2 2023Q1)" "$(sort "$C/tables/change-dimension.csv" 2>/dev/null)"
m() { "$TALLY" count --by month --quarter "$1" --sort key --format csv "$H1" | sed -n "$(( $2 + 1 ))p" | cut -d, -f2; }
undated() { mlr --icsv --onidx filter "\$date == \"$1\"" then count "$H1"; }
wantm="month,before,after,change,percent"
for i in 1 2 3; do
	b=$(m 2023Q1 "$i") a=$(m 2023Q2 "$i")
	wantm="$wantm
month-$i,$b,$a,$((a - b)),$(awk -v x="$b" -v y="$a" 'BEGIN { if (x) printf "%.1f", (y - x) * 100 / x }')"
done
qb=$(undated 2023-Q1) qa=$(undated 2023-Q2)
wantm="$wantm
quarter-only,${qb:-0},${qa:-0},$(( ${qa:-0} - ${qb:-0} )),"
same "compare: change per month of the quarter" "$wantm" "$(cat "$C/tables/change-month.csv" 2>/dev/null)"
ct=$(flat "$C/compare.pdf")
has "compare: title, totals and source" "$ct" "CICA Digest: Q2 2023 against Q1 2023" \
	"$(mlr --icsv --onidx filter '$date =~ "^2023-(0[123]|Q1)"' then count "$H1") items in Q1 2023" \
	"$(mlr --icsv --onidx filter '$date =~ "^2023-(0[456]|Q2)"' then count "$H1") items in Q2 2023" \
	"Source: CICA Digest, Q1 2023 and Q2 2023"
missing=""
for c in compare-dimension compare-month; do
	[ -s "$C/charts/$c.png" ] && grep -q '<svg' "$C/charts/$c.svg" 2>/dev/null || missing="$missing $c"
done
same "compare: both charts as PNG and SVG" "" "$missing"

run run scripts/compare.lua --data "$H1" "$FIX/compare-2023q1.csv" --quarter 2023Q2 --base 2023Q1 --out "$T/cmp2"
if [ "$rc" -eq 0 ] && cmp -s "$C/tables/change-dimension.csv" "$T/cmp2/tables/change-dimension.csv" \
	&& cmp -s "$C/tables/change-month.csv" "$T/cmp2/tables/change-month.csv"; then
	ok "compare: the base quarter from a second --data file gives the same changes"
else notok "compare: the base quarter from a second --data file gives the same changes" "rc=$rc"; fi

run run scripts/compare.lua --data "$H1" --by event_type --out "$T/cmp3"
same "compare: --by event_type, --quarter the latest, --base the one before" \
	"$(want_change event_type 2023Q2 2023Q1)" "$(sort "$T/cmp3/tables/change-event_type.csv" 2>/dev/null)"

expect_fail "compare: --base 2023-Q9 is a usage error" 1 "--base: '2023-Q9' is not a quarter" \
	run scripts/compare.lua --data "$H1" --quarter 2023Q2 --base 2023-Q9 --out "$T/bad"
expect_true "compare: a bad --base leaves no files" test ! -e "$T/bad"
expect_fail "compare: a base quarter without records is a data error naming it" 2 "no records in Q1 2023, the base period, in $D" \
	run scripts/compare.lua --data "$D" --quarter 2023Q2 --out "$T/bad"
expect_true "compare: a base quarter without records leaves no files" test ! -e "$T/bad"
expect_fail "compare: an unknown --by field is a usage error" 1 "--by colour: .* has no field 'colour'" \
	run scripts/compare.lua --data "$H1" --by colour --out "$T/bad"

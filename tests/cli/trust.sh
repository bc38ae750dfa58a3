# Numbers a publication can trust (issue 9, the cases of trust-a): a typo is an
# error with "did you mean", never a count of zero; plugins and scripts check
# their options; comparisons take their periods by one rule and name every tie;
# a ragged row is a field count; --by month is in time order.
# checks: 41
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
D=data/cica-digest-2023q2.csv
Q1=$FIX/ties-2023q1.csv
Q2=$FIX/ties-2023q2.csv

# no_trace NAME: the last run printed no Lua traceback
no_trace() {
	if printf '%s' "$err" | grep -q 'traceback'; then notok "$1" "$err"; else ok "$1"; fi
}

# --- "did you mean": one rule for fields, plugins and options
expect_fail "count: unknown field suggests the field" 1 "no field 'dimensions' \(did you mean 'dimension'\?\)" \
	count --by dimensions "$D"
expect_fail "count: the date parts are fields too" 1 "no field 'quater' \(did you mean 'quarter'\?\).*month, quarter, year" \
	count --by quater "$D"
expect_fail "run: unknown plugin suggests the plugin" 1 "no script or plugin named 'by-dimensions' \(did you mean 'by-dimension'\?\)" \
	run by-dimensions --data "$D"

# --- plugins declare their options
expect_fail "plugin: a misspelt option is an error with a suggestion" 1 \
	"by-dimension: unknown option --quater \(did you mean --quarter\?\)" run by-dimension --data "$D" --quater 2023Q1
expect_fail "plugin: an option of another plugin is refused" 1 "by-month: unknown option --top" \
	run by-month --data "$D" --top 3
expect_fail "plugin: a quarter option is checked" 1 "by-country: --quarter: '2023-2' is not a quarter \(expected 2023Q2 or 2023-Q2\)" \
	run by-country --data "$D" --quarter 2023-2
no_trace "plugin: an option error prints no traceback"
expect_fail "plugin: a whole-number option is checked" 1 "by-country: --top wants a whole number, not 'ten'" \
	run by-country --data "$D" --top ten
run run by-country --help
if [ "$rc" -eq 0 ] && printf '%s' "$out" | grep -q -- '--top N .*(default: 15)' && printf '%s' "$out" | grep -q -- '--quarter QUARTER'
then ok "plugin: tally run NAME --help prints its options"; else notok "plugin: tally run NAME --help prints its options" "rc=$rc $out"; fi
run run scripts/compare.lua --help
if [ "$rc" -eq 0 ] && printf '%s' "$out" | grep -q -- '--allow-empty-base' && [ -z "$err" ]
then ok "script: tally run SCRIPT --help prints its options"; else notok "script: tally run SCRIPT --help prints its options" "rc=$rc $err"; fi
expect_fail "script: a misspelt option is an error with a suggestion" 1 \
	"compare.lua: unknown option --qaurter \(did you mean --quarter\?\)" run scripts/compare.lua --data "$D" --qaurter 2023Q2 --out "$T/x"
expect_true "script: a refused option leaves no files" test ! -e "$T/x"
expect_fail "script: a bad --quarter names the option" 1 "--quarter: '2023-2' is not a quarter" \
	run scripts/quarterly.lua --data "$D" --quarter 2023-2 --out "$T/x"
no_trace "script: an error raised on purpose by a helper prints no traceback"

# --- comparisons: compare.lua's rule in the compare-quarters plugin
run run compare-quarters --data "$Q2" "$Q1" --quarter 2023Q2
want='economic            1      2      +1   +100.0%'
if [ "$rc" -eq 0 ] && printf '%s\n' "$out" | grep -qF "$want"; then ok "compare-quarters: two files, the base from the second"
else notok "compare-quarters: two files, the base from the second" "rc=$rc $out $err"; fi
if printf '%s\n' "$out" | grep -qE 'environmental +0 +1 +\+1 +new$'; then ok "compare-quarters: a change from 0 is new, not a percentage"
else notok "compare-quarters: a change from 0 is new, not a percentage" "$out"; fi
has_line() { if printf '%s\n' "$out" | grep -qF -- "$2"; then ok "$1"; else notok "$1" "$out"; fi; }
has_line "compare-quarters: every value tied for the largest fall is named" \
	"the largest fall, 2 each, is shared by human (3 to 1) and institutional (3 to 1)"
has_line "compare-quarters: every value tied for the largest rise is named" \
	"The largest rise, 1 each, is shared by economic (1 to 2) and environmental (0 to 1)"
expect_fail "compare-quarters: a base quarter without records is an error naming it" 2 \
	"no records in Q1 2023, the base period, in $D" run compare-quarters --data "$D" --quarter 2023Q2
run run compare-quarters --data "$D" --quarter 2023Q2 --allow-empty-base
if [ "$rc" -eq 0 ] && printf '%s\n' "$out" | grep -qE '^institutional +0 +14 +\+14 +new$'; then ok "compare-quarters: --allow-empty-base compares with nothing"
else notok "compare-quarters: --allow-empty-base compares with nothing" "rc=$rc $err"; fi
expect_fail "compare-quarters: an item in both periods is an error" 2 "item U-01 is in both Q2 2023 .* it would be counted twice" \
	run compare-quarters --data "$Q2" "$Q2" --quarter 2023Q2 --base 2023Q2
expect_fail "compare-quarters: more than two files is refused" 1 "one or two --data files, not 3" \
	run compare-quarters --data "$Q2" "$Q1" "$D" --quarter 2023Q2
run run scripts/compare.lua --data "$Q2" "$Q1" --quarter 2023Q2 --base 2023Q1 --out "$T/cmp"
txt=$(pdftotext -q -f 1 -l 1 "$T/cmp/compare.pdf" - 2>/dev/null | tr -s ' \n' '  ')
if [ "$rc" -eq 0 ] && printf '%s' "$txt" | grep -qF "the largest fall, 2 each, is shared by human (3 to 1) and institutional (3 to 1)"
then ok "compare.lua: the page names every value tied for the largest fall"
else notok "compare.lua: the page names every value tied for the largest fall" "rc=$rc $err"; fi

# --- filter values are checked (case 1), in count and chart
expect_fail "count: a misspelt country in --where is a usage error with did you mean" 1 \
	"unknown country 'Uzbekstan' \(did you mean 'Uzbekistan'\?\)" count --by dimension --where countries=Uzbekstan "$D"
expect_fail "count: a misspelt dimension in --where is a usage error with did you mean" 1 \
	"unknown dimension 'economics' \(did you mean 'economic'\?\)" count --by dimension --where dimension=economics "$D"
expect_fail "count: a value no record holds names the nearest held" 1 \
	"no record has event_type 'meetings' \(nearest values held: 'meeting'.*--allow-empty" count --by dimension --where event_type=meetings "$D"
run count --by dimension --where event_type=meetings --allow-empty --format csv "$D"
if [ "$rc" -eq 0 ] && [ "$out" = "dimension,count" ]; then ok "count: --allow-empty counts the empty result"
else notok "count: --allow-empty counts the empty result" "rc=$rc $out $err"; fi
run count --by dimension --where countries=Japan --format csv "$D"
if [ "$rc" -eq 0 ] && [ "$out" = "dimension,count" ]; then ok "count: a real country no record names counts 0"
else notok "count: a real country no record names counts 0" "rc=$rc $out $err"; fi
expect_fail "count: a quarter no record is in is an error naming the span" 1 \
	"no record is dated in quarter 2023Q1: the dates run from" count --by dimension --quarter 2023Q1 "$D"
expect_fail "count: a misspelt option says did you mean" 1 "unknown option '--qaurter' \(did you mean '--quarter'\?\)" \
	count --by kind --qaurter 2023Q2 "$D"
expect_fail "chart: a quarter no record is in is an error" 1 "no record is dated in quarter 2023Q1" \
	chart bar --by dimension --quarter 2023Q1 -o "$T/c.png" "$D"
expect_true "chart: nothing written for it" test ! -e "$T/c.png"
expect_fail "chart: an unknown chart type says did you mean" 1 "unknown chart type 'donught' \(did you mean 'donut'\?\)" \
	chart donught --by dimension -o "$T/c.png" "$D"
expect_fail "run: a where in a plugin is checked too" 1 "where: no record is dated in quarter 2022Q1" \
	run by-dimension --data "$D" --quarter 2022Q1
run run by-dimension --data "$D" --quarter 2022Q1 --allow-empty
if [ "$rc" -eq 0 ] && printf '%s' "$out" | grep -q '^0 items'; then ok "run: --allow-empty lets a plugin count an empty quarter"
else notok "run: --allow-empty lets a plugin count an empty quarter" "rc=$rc $out $err"; fi

# --- --by month|quarter|year in time order by default (case 10), as the report's tables
run count --by month --format csv "$D"
if [ "$rc" -eq 0 ] && [ "$out" = "$(printf 'month,count\n2023-04,11\n2023-05,15\n2023-06,3')" ]; then ok "count: --by month is in time order"
else notok "count: --by month is in time order" "rc=$rc $out"; fi
run run scripts/quarterly.lua --data "$D" --out "$T/rep"
if [ "$rc" -eq 0 ] && [ "$("$TALLY" count --by month --quarter 2023Q2 --format csv "$D")" = "$(cat "$T/rep/tables/month.csv")" ]
then ok "count --by month --format csv is the report's tables/month.csv"; else notok "count --by month --format csv is the report's tables/month.csv" "rc=$rc"; fi
run count --by month --sort count --format csv "$D"
if [ "$rc" -eq 0 ] && [ "$(printf '%s\n' "$out" | sed -n 2p)" = "2023-05,15" ]; then ok "count: --sort count still sorts months by count"
else notok "count: --sort count still sorts months by count" "$out"; fi
expect_fail "tally: an unknown command says did you mean" 1 "unknown command 'cuont' \(did you mean 'count'\?\)" cuont --by kind "$D"
run run compare-quarters --help
if [ "$rc" -eq 0 ] && printf '%s' "$out" | grep -q -- '--allow-empty-base' && printf '%s' "$out" | grep -q -- '--by VALUE .*(default: dimension)'
then ok "compare-quarters --help lists its options"; else notok "compare-quarters --help lists its options" "$out"; fi
# a value held only by a row --skip-bad rejected is not held
printf 'id,kind\n1,article\n2,photo,extra\n' > "$T/skipped.csv"
expect_fail "count: a value only a skipped row had is not held" 1 "no record has kind 'photo'" \
	count --by kind --where kind=photo --skip-bad "$T/skipped.csv"

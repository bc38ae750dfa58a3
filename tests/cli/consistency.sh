# One tool, one voice (issue 15): what tally prints for people reads the same way
# wherever it appears.
# checks: 5
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

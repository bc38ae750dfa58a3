. tests/lib.sh
# checks: 5
# The coded CICA Digest Q2 2023 (data/cica-digest-2023q2.csv, manual in data/README.md).
# The expected numbers below were counted by reading the newsletter, not derived
# from the CSV: April section 11 articles, May section 15, June section 3, and
# 7 photo-caption items at the end, none of them dated more precisely than the quarter.
D=data/cica-digest-2023q2.csv

run check "$D"
if [ "$rc" -eq 0 ]; then ok "dataset: $D passes tally check"
else notok "dataset: $D passes tally check" "rc=$rc"; [ -z "$err" ] || printf '%s\n' "$err" | sed 's/^/# /'; fi

expect_out "dataset: articles per month match the newsletter sections" \
"month,count
2023-04,11
2023-05,15
2023-06,3" \
	count --by month --sort key --format csv --where kind=article "$D"

expect_out "dataset: article/photo split" \
"kind,count
article,29
photo,7" \
	count --by kind --format csv "$D"

expect_out "dataset: photo items are dated to the quarter" \
"quarter,count
2023-Q2,7" \
	count --by quarter --sort key --format csv --where kind=photo "$D"

expect_out "dataset: whole issue is 36 records in 2023-Q2" \
"quarter,count
2023-Q2,36" \
	count --by quarter --sort key --format csv "$D"

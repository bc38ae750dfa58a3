# The two-core load: the file is split at a line boundary near the middle; when
# checks: 7
# the split falls inside a quoted field, the second half must be parsed again.
. tests/lib.sh
export TALLY_NO_CACHE=1
# ~12 MB of records whose titles span lines that look like records themselves
awk 'BEGIN {
	print "id,date,title,dimension,countries,kind"
	split("human economic environmental institutional", d, " ")
	split("Kazakhstan China India Türkiye", c, " ")
	for (i = 1; i <= 90000; i++) {
		printf "%d,2023-%02d-%02d,\"Line one, with comma\n%d,2023-01-01,fake,military-political,Iran,fake\nend \"\"quoted\"\"\",%s,%s;%s,article\n", \
			i, i % 12 + 1, i % 28 + 1, i, d[i % 4 + 1], c[i % 4 + 1], c[(i + 1) % 4 + 1]
	}
}' > "$T/multi.csv"
for by in dimension countries month countries,month; do
	run count --by $by --format csv --threads 1 "$T/multi.csv"; one=$out
	run count --by $by --format csv --threads 2 "$T/multi.csv"; two=$out
	[ -n "$one" ] && [ "$one" = "$two" ] && ! echo "$two" | grep -q 'Iran\|military' && ok "two threads count like one: $by (split inside quotes)" || notok "parallel $by" "$two"
done
# a clean file, where the split lands on a record boundary
awk 'BEGIN { print "id,date,dimension,countries"; for (i = 1; i <= 400000; i++) printf "%d,2023-%02d-01,%s,%s\n", i, i % 12 + 1, (i % 3 ? "human" : "economic"), (i % 5 ? "China" : "India;Kazakhstan") }' > "$T/flat.csv"
run count --by countries,dimension --format csv --threads 2 "$T/flat.csv"
[ "$out" = "$(printf 'countries,human,economic\nChina,213333,106667\nIndia,53334,26666\nKazakhstan,53334,26666')" ] && ok "two threads: cross-tab of a clean file" || notok "parallel flat" "$out"
# errors in the second half keep their physical line numbers
sed '300002s/human/humane/' "$T/flat.csv" > "$T/flat-bad.csv"
expect_fail "an error in the second half names its line" 2 "flat-bad.csv:300002:3: unknown dimension 'humane'" count --by countries --threads 2 "$T/flat-bad.csv"
run count --by dimension --skip-bad --threads 2 "$T/flat-bad.csv"
echo "$err" | grep -q 'flat-bad.csv:300002:3' && echo "$out" | grep -q '^399999 items' && ok "--skip-bad in the second half" || notok "skip-bad parallel" "$err $out"

# The structural scanner against libcsv alone (TALLY_SCANNER=off): the same
# counts, the same `check` summary, the same errors and exit statuses on every
# fixture and on generated files. (tests/unit/test_scan.c does the same for
# stores, block edges and mutants.)
# checks: 28
. tests/lib.sh
export TALLY_NO_CACHE=1

# same NAME ARGS...: stdout, stderr and status agree with and without the scanner
same() {
	name=$1; shift
	"$TALLY" "$@" >"$T/a.out" 2>"$T/a.err"; ra=$?
	TALLY_SCANNER=off "$TALLY" "$@" >"$T/b.out" 2>"$T/b.err"; rb=$?
	if [ "$ra" = "$rb" ] && cmp -s "$T/a.out" "$T/b.out" && cmp -s "$T/a.err" "$T/b.err"; then ok "$name"
	else notok "$name" "status $ra vs $rb"; diff "$T/b.out" "$T/a.out" | head -n 5 | sed 's/^/# /'; diff "$T/b.err" "$T/a.err" | head -n 5 | sed 's/^/# /'; fi
}

# every fixture, every way it is read
for f in $FIX/*.csv $FIX/external/*.csv; do
	b=$(basename "$f")
	fails=0
	for args in "count --by dimension" "count --by countries --skip-bad" "count --by month --skip-bad" "check" "check --skip-bad"; do
		# shellcheck disable=SC2086
		"$TALLY" $args --no-cache "$f" >"$T/a.out" 2>"$T/a.err"; ra=$?
		# shellcheck disable=SC2086
		TALLY_SCANNER=off "$TALLY" $args --no-cache "$f" >"$T/b.out" 2>"$T/b.err"; rb=$?
		if [ "$ra" != "$rb" ] || ! cmp -s "$T/a.out" "$T/b.out" || ! cmp -s "$T/a.err" "$T/b.err"; then
			fails=$((fails + 1)); echo "# $b: $args differs"
		fi
	done
	[ "$fails" = 0 ] && ok "scanner and libcsv agree on $b" || notok "scanner and libcsv agree on $b" "$fails commands differ"
done

# generated: quoted titles with commas and doubled quotes, CRLF, UTF-8, blanks
awk 'BEGIN {
	print "id,date,title,dimension,countries,organizations,event_type,format,lead,participants,kind"
	split("human economic environmental institutional", d, " ")
	split("Kazakhstan|China|Türkiye|Russian Federation", c, "|")
	for (i = 1; i <= 20000; i++) {
		t = i % 3 == 0 ? "\"Talks on \"\"security\"\", " i "\"" : i % 3 == 1 ? "\"Visit, Türkiye\"" : " plain " i " "
		printf "%d,2023-%02d-%02d,%s,%s,%s;%s,,meeting, online ,SG,%s,article%s\n", i, i % 12 + 1, i % 28 + 1, t,
			d[i % 4 + 1], c[i % 4 + 1], c[(i + 1) % 4 + 1], (i % 7 ? i % 500 : ""), (i % 5 ? "" : "\r")
	}
}' > "$T/gen.csv"
same "generated: count --by dimension" count --by dimension --format csv "$T/gen.csv"
same "generated: count --by countries" count --by countries --format csv "$T/gen.csv"
same "generated: count --by title" count --by title --format csv --top 20 "$T/gen.csv"
same "generated: cross-tab" count --by countries,month --format csv "$T/gen.csv"
same "generated: check" check "$T/gen.csv"
# odd rows in the middle: a bare CR, a stray quote, a ragged row, bad UTF-8
sed -e '5001s/plain/pl\rain/' -e '9000s/,SG,/,S"G,/' -e '12000s/,article/,article,extra/' -e '15000s/meeting/meet\xffing/' "$T/gen.csv" > "$T/odd.csv"
same "odd rows: strict error" count --by dimension "$T/odd.csv"
same "odd rows: --skip-bad report" count --by dimension --format csv --skip-bad "$T/odd.csv"
sed -e '9000s/,S"G,/,SG,/' "$T/odd.csv" > "$T/odd2.csv"
same "odd rows but no stray quote: --skip-bad" count --by countries --format csv --skip-bad "$T/odd2.csv"

# dates are parsed once per distinct text (ISO days through a table by their
# digits): repeated good and bad dates give what each would give alone
awk 'BEGIN {
	n = split("2023-02-28 2023-02-29 2024-02-29 2023-13-01 2023-04-31 1899-12-31 2156-01-01 2023-04 2023-Q2 2023-00-10", d, " ")
	print "id,date,dimension"
	for (i = 0; i < 3000; i++) printf "%d,%s,human\n", i + 1, d[i % n + 1]
}' > "$T/dates.csv"
run count --by month --sort key --format csv --skip-bad "$T/dates.csv"
[ "$rc" = 0 ] && echo "$err" | grep -q 'skipped 1200 bad rows' && echo "$err" | grep -q 'dates.csv:3:2: impossible date' &&
	[ "$(echo "$out" | awk -F, '$2 > 0' | tr '\n' ' ')" = "month,count 1899-12,300 2023-02,300 2023-04,300 2024-02,300 2156-01,300 " ] &&
	ok "repeated dates: each bad one rejected, each good one counted" || notok "repeated dates" "$err"
same "repeated dates: scanner and libcsv agree" count --by quarter --format csv --skip-bad "$T/dates.csv"

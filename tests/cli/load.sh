# Loading under attack and faults (issue 10): bytes and dates that are not what
# they claim, empty text cells, wide headers, a failing pthread_create and a file
# truncated during the load (both injected by build/fault/libfault.so).
# checks: 21
. tests/lib.sh
export TALLY_NO_CACHE=1
FAULT=build/fault/libfault.so
# a sanitizer binary accepts a preloaded library only when told to
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
# run_with VAR=VALUE... ARGS...: run, with variables set for this run only
run_with() {
	env "$@" >"$T/out" 2>"$T/err"; rc=$?
	out=$(cat "$T/out"); err=$(cat "$T/err")
}

# --- bytes
printf 'id,title\n1,ok\n2,\370abc\n' > "$T/f8.csv"
expect_fail "byte F8 is not a UTF-8 lead byte" 2 "f8.csv:3:2: invalid UTF-8 at byte 1" count --by title "$T/f8.csv"
printf 'id,title\n1,\365\200\200\200\n' > "$T/f5.csv"
expect_fail "byte F5 is not a UTF-8 lead byte" 2 "f5.csv:2:2: invalid UTF-8 at byte 1" count --by title "$T/f5.csv"
printf 'id,title\n1,ab\n2,a\000b\n3,a\000c\n' > "$T/nul.csv"
expect_fail "a NUL byte in a cell is an error" 2 "nul.csv:3:2: NUL byte at byte 2 of the field" count --by title "$T/nul.csv"
printf 'id,ti\000tle\n1,ab\n' > "$T/nulhdr.csv"
expect_fail "a NUL byte in the header is an error" 2 "nulhdr.csv:1:2: invalid UTF-8 or a NUL byte in the header" count --by id "$T/nulhdr.csv"
run count --by title --format csv --skip-bad "$T/nul.csv"
[ "$rc" -eq 0 ] && [ "$out" = "$(printf 'title,count\nab,1')" ] && echo "$err" | grep -q 'skipped 2 bad rows' &&
	ok "--skip-bad drops rows with NUL bytes and says so" || notok "--skip-bad with NUL bytes" "rc=$rc out=$out err=$err"

# --- split dates: every part is checked, whatever the year
M="--map year=y --map month=m --map day=d"
printf 'id,y,m,d\n1,2023,4,1\n2,0,13,45\n' > "$T/y0.csv"
expect_fail "split date: year 0 is an error" 2 "y0.csv:3:2: year 0 in a split date" count $M --by month "$T/y0.csv"
printf 'id,y,m,d\n1,2023,4,1\n2,,13,45\n' > "$T/ynone.csv"
expect_fail "split date: month without a year is an error" 2 "ynone.csv:3:3: a month or day without a year" count $M --by month "$T/ynone.csv"
printf 'id,y,m,d\n1,2023,4,1\n2,2023,4,0\n' > "$T/d0.csv"
expect_fail "split date: day 0 is not a month-only date" 2 "d0.csv:3:4: day 0 in a split date" count $M --by month "$T/d0.csv"
printf 'id,y,m,d\n1,2023,13,1\n' > "$T/m13.csv"
expect_fail "split date: month 13" 2 "m13.csv:2:3: month out of range" count $M --by month "$T/m13.csv"
printf 'id,y,m,d\n1,2023,2,29\n' > "$T/feb29.csv"
expect_fail "split date: 29 February 2023" 2 "feb29.csv:2:4: impossible date" count $M --by month "$T/feb29.csv"
printf 'id,y,m,d\n1,2023,4,\n2,,,\n3,2023,4,30\n4,2024,,\n' > "$T/partial.csv"
expect_out "split date: missing parts are unknown, not zero" "date,count
2023-04,1
2023-04-30,1
2024,1" count $M --by date --sort key --format csv "$T/partial.csv"
printf 'id,y,m,d\n1,2023,4,1\n2,2023,4,45\n' > "$T/d45.csv"
expect_fail "split date checked when the date is not counted" 2 "d45.csv:3:4: impossible date" count $M --by id "$T/d45.csv"

# --- date formats
printf 'id,date\n1,1700000000\n2,67768036191676799\n' > "$T/epoch.csv"
expect_fail "%s with a huge number is out of range" 2 "epoch.csv:3:2: year out of range" count --date-format %s --by month "$T/epoch.csv"
printf 'id,date\n1,2024-366\n2,2023-060\n3,2023-366\n' > "$T/yday.csv"
expect_fail "%j: day 366 of 2023 does not exist" 2 "yday.csv:4:2: impossible date \(no such day in that year\)" count --date-format %Y-%j --by date "$T/yday.csv"
head -3 "$T/yday.csv" > "$T/yday2.csv"
expect_out "%j: day 366 of 2024 is 31 December" "date,count
2023-03-01,1
2024-12-31,1" count --date-format %Y-%j --by date --sort key --format csv "$T/yday2.csv"

# --- an empty first text cell (the sanitizer build aborted on it)
printf 'id,title\n1,\n2,\n3,hello\n' > "$T/emptytext.csv"
expect_out "empty first text cells load" "title,count
hello,1" count --by title --format csv "$T/emptytext.csv"

# --- a header of 100k columns: duplicates are found by hashing
awk 'BEGIN { for (i = 1; i <= 100000; i++) printf "c%d,", i; print "c7" }' > "$T/wide.csv"
expect_fail "duplicate column among 100k names" 2 "wide.csv:1:100001: duplicate column name 'c7' \(also column 7\)" count --by c1 "$T/wide.csv"

# --- faults: the body is over 8 MiB, so a load uses two threads
awk 'BEGIN { print "id,kind,title"; for (i = 0; i < 300000; i++) printf "%d,%s,title of row %d\n", i, i % 3 ? "a" : "b", i }' > "$T/big.csv"
want="$(printf 'kind,count\na,200000\nb,100000')"
run count --threads 2 --by kind --format csv "$T/big.csv"
[ "$rc" -eq 0 ] && [ "$out" = "$want" ] && ok "two-thread load counts every row" || notok "two-thread load" "rc=$rc out=$out err=$err"
run_with FAULT_PTHREAD_CREATE=1 LD_PRELOAD=$FAULT "$TALLY" count --threads 2 --by kind --format csv "$T/big.csv"
[ "$rc" -eq 0 ] && [ "$out" = "$want" ] && ok "pthread_create failing: one thread loads every row" || notok "pthread_create failing" "rc=$rc out=$out err=$err"
for th in 1 2; do
	cp "$T/big.csv" "$T/shrink.csv"
	run_with FAULT_TRUNCATE_CSV=5000000 LD_PRELOAD=$FAULT "$TALLY" count --threads $th --by kind --format csv "$T/shrink.csv"
	[ "$rc" -eq 2 ] && [ -z "$out" ] && echo "$err" | grep -q 'shrink.csv:[0-9]*: the file shrank while it was read' &&
		ok "file truncated during a $th-thread load: a data error" || notok "file truncated during a $th-thread load" "rc=$rc out=$out err=$err"
done

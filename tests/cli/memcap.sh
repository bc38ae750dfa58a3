# --max-memory during a load (issue 10, item 4): what a load allocates (columns,
# dictionaries, the loader's memos, libcsv's buffer) is counted as it grows, in the
# context's tl_mem, so a file too big for the cap stops early with the memory-limit
# error (exit 3, pcall cannot catch it) instead of after it is in memory whole;
# count, check and chart take the same cap for their load (exit 2).
# The behaviour is checked in both builds; peak RSS (/usr/bin/time) only in the
# plain build, where it means what it says.
# checks: 14 (sanitizer build: 13)
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh

# 800k records, every title different: a store of about 70 MB
awk 'BEGIN { print "id,date,title,countries,kind"
	for (i = 1; i <= 800000; i++)
		printf "%d,2023-%02d-%02d,Title number %d of a long series of meetings and other events,China;Kazakhstan,article\n", i, i % 12 + 1, i % 28 + 1, i }' >"$T/big.csv"
# the store's size as tally check reports it, in whole MB (N)
N=$("$TALLY" check --no-cache "$T/big.csv" | awk '$1 == "memory" { printf "%d", $2 }')
if [ "${N:-0}" -ge 40 ]; then ok "the big file's store is $N MB"; else notok "the big file's store is about 70 MB" "got '$N'"; N=64; fi
CAP=$((N / 4))

printf 'local ds = tally.data()\nprint(#ds)\n' >"$T/data.lua"
printf 'print(pcall(tally.load, tally.args.file, {no_cache = true}))\nprint("caught")\n' >"$T/load.lua"
expect_fail "--data: a store of $N MB under --max-memory ${CAP}M ends the run" 3 \
	"^tally: .*data.lua: memory limit exceeded \(--max-memory ${CAP}M\)$" run "$T/data.lua" --data "$T/big.csv" --no-cache --max-memory ${CAP}M
expect_fail "tally.load: the same under pcall, which cannot catch it" 3 \
	"^tally: .*load.lua: memory limit exceeded \(--max-memory ${CAP}M\)$" run "$T/load.lua" --file "$T/big.csv" --allow-read "$T" --max-memory ${CAP}M

# the counting is right both ways: a store that fits loads, and a freed store gives
# its memory back (two loads of the same 1/3 of the file, one after the other, fit
# under a cap that cannot hold both at once)
head -n 266667 "$T/big.csv" >"$T/third.csv"
printf 'local a = tally.load(tally.args.file, {no_cache = true})\nlocal n = #a\na = nil\ncollectgarbage()\nlocal b = tally.load(tally.args.file, {no_cache = true})\nprint(n + #b)\n' >"$T/twice.lua"
printf 'local a = tally.load(tally.args.file, {no_cache = true})\nlocal b = tally.load(tally.args.file, {no_cache = true})\nprint(#a + #b)\n' >"$T/both.lua"
expect_out "a freed store gives its memory back to the cap" 533332 run "$T/twice.lua" --file "$T/third.csv" --allow-read "$T" --max-memory $((N * 3 / 4))M
expect_fail "two stores held at once pass the same cap" 3 "memory limit exceeded \(--max-memory $((N * 3 / 4))M\)" \
	run "$T/both.lua" --file "$T/third.csv" --allow-read "$T" --max-memory $((N * 3 / 4))M
expect_out "no cap: the whole file loads" 800000 run "$T/data.lua" --data "$T/big.csv" --no-cache --max-memory 0
# the cache's reader is counted too: a cached entry too big for the cap is refused,
# and not taken for a damaged one (the next run without the cap still reads it)
export TALLY_CACHE_DIR="$T/cache" TALLY_CACHE_MIN=0
run run "$T/data.lua" --data "$T/big.csv"
expect_fail "a cached store under --max-memory ${CAP}M ends the run" 3 "memory limit exceeded \(--max-memory ${CAP}M\)" \
	run "$T/data.lua" --data "$T/big.csv" --max-memory ${CAP}M
before=$(find "$T/cache" -type f | wc -l)
expect_out "the refused cache entry is kept" 800000 run "$T/data.lua" --data "$T/big.csv"
unset TALLY_CACHE_DIR

# count, check and chart take the cap too: the load stops (exit 2, nothing written),
# a count that holds little under it still runs, and a bad size is a usage error
expect_fail "check: a store of $N MB under --max-memory ${CAP}M stops the load" 2 \
	"big.csv:[0-9]*: memory limit exceeded while loading \(--max-memory ${CAP}M\)" check --no-cache --max-memory ${CAP}M "$T/big.csv"
expect_fail "count --by title: the same" 2 "memory limit exceeded while loading \(--max-memory ${CAP}M\)" \
	count --no-cache --by title --max-memory ${CAP}M "$T/big.csv"
run chart bar --no-cache --by title --top 5 --max-memory ${CAP}M -o "$T/capped.png" "$T/big.csv"
[ "$rc" -eq 2 ] && [ ! -e "$T/capped.png" ] && echo "$err" | grep -q 'memory limit exceeded while loading' &&
	ok "chart: the same, and no PNG" || notok "chart under --max-memory" "rc=$rc err=$err"
expect_out "count --by kind holds one byte a row: it fits under ${CAP}M" "$(printf 'kind,count\narticle,800000')" \
	count --no-cache --by kind --format csv --max-memory ${CAP}M "$T/big.csv"
expect_fail "--max-memory takes a size" 1 "--max-memory wants a size such as 512M or 1G, not 'lots'" \
	count --by kind --max-memory lots "$T/big.csv"

# peak RSS: the capped load stops near the cap; a load of the whole file holds it all
case "$TALLY" in */san/*) exit 0 ;; esac
if [ -x /usr/bin/time ]; then
	/usr/bin/time -f %M -o "$T/rss" "$TALLY" run "$T/data.lua" --data "$T/big.csv" --no-cache --max-memory ${CAP}M >/dev/null 2>&1
	capped=$(tail -n 1 "$T/rss")
	/usr/bin/time -f %M -o "$T/rss" "$TALLY" run "$T/data.lua" --data "$T/big.csv" --no-cache --max-memory 0 >/dev/null 2>&1
	whole=$(tail -n 1 "$T/rss")
	echo "# peak RSS: ${capped} KB under --max-memory ${CAP}M, ${whole} KB without a cap (store $N MB)"
	if [ "$capped" -lt $((N * 1024 / 2)) ] && [ "$whole" -gt $((N * 1024)) ]; then
		ok "peak RSS under the cap stays under half the store ($capped KB < $((N * 512)) KB; whole load $whole KB)"
	else notok "peak RSS under the cap stays under half the store" "capped $capped KB, whole $whole KB, store $N MB"; fi
else notok "peak RSS" "/usr/bin/time is missing (scripts/deps.sh installs the time package)"; fi

# The sandbox under attack (issue 10): freed objects reached from finalisers and
# __close, reads outside the allowed roots through a link and "..", time that the
# count hook cannot see, memory allocated in C, values cairo cannot draw.
# checks: 19
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
D=$FIX/lua-digest.csv
OUT=$T/outdir

# script NAME BODY: writes $T/NAME.lua
script() { printf '%s\n' "$2" >"$T/$1.lua"; }

# --- 1. use after free --------------------------------------------------------------
script meta 'local ds = tally.data()
local c, x = ds:count("kind"), ds:crosstab("kind", "format")
local ch = tally.chart.bar{data = c}
print(getmetatable(ds), getmetatable(c), getmetatable(x), getmetatable(ch), getmetatable(tally.report{title = "r"}))
print(getmetatable(c).__gc, pcall(setmetatable, c, nil))'
run run "$T/meta.lua" --data "$D"
same_meta=$(printf 'tally.Dataset\ttally.Counts\ttally.Table\ttally.Chart\ttally.Report')
if [ "$rc" -eq 0 ] && [ "$(printf '%s\n' "$out" | head -1)" = "$same_meta" ] &&
   printf '%s\n' "$out" | tail -1 | grep -q '^nil	false	'; then ok "use after free: getmetatable gives names, never __gc"
else notok "use after free: getmetatable gives names, never __gc" "rc=$rc $out $err"; fi

# the exploit of the issue: a finaliser calling __gc while keys() and rows() run in C
script exploit 'local c = tally.data():count("countries")
local gc = getmetatable(c).__gc
setmetatable({}, {__gc = function() gc(c) end})
collectgarbage("incremental", 1, 1000)
for i = 1, 50 do c:keys(); c:rows() end
print("survived")'
# getmetatable gives a string, its "__gc" is nil: the finaliser fails (a warning)
expect_out "use after free: the exploit cannot reach __gc" "survived" run "$T/exploit.lua" --data "$D"

# a Counts resurrected after its __gc ran: its methods raise, nothing is read
script resurrect 'local RES
do
	local c = tally.data():count("kind")
	setmetatable({}, {__gc = function() RES = c end})
end
collectgarbage(); collectgarbage()
print(RES ~= nil, pcall(RES.keys, RES))
print(pcall(RES.rows, RES))'
run run "$T/resurrect.lua" --data "$D"
if [ "$rc" -eq 0 ] && [ "$(printf '%s\n' "$out" | grep -c 'Counts already collected')" -eq 2 ]; then
	ok "use after free: a resurrected Counts raises"
else notok "use after free: a resurrected Counts raises" "rc=$rc $out $err"; fi

# __close from inside a call: an options table whose __index closes the chart, a
# box whose __index closes the report
script closing 'local ch = tally.chart.bar{data = {{"a", 1}}}
print(pcall(ch.set, ch, setmetatable({}, {__index = function(t, k) local x <close> = ch end})))
local r = tally.report{title = "r"}
local p = r:page()
print(pcall(p.text, p, "hello", setmetatable({}, {__index = function(t, k) local x <close> = r end})))'
run run "$T/closing.lua" --out "$OUT"
if [ "$rc" -eq 0 ] && printf '%s\n' "$out" | head -1 | grep -q '^false	.*chart is closed' &&
   printf '%s\n' "$out" | tail -1 | grep -q "^false	.*the page's report is closed"; then
	ok "use after free: closing an object during its own call raises"
else notok "use after free: closing an object during its own call raises" "rc=$rc $out $err"; fi

# --- 2. reading outside the sandbox through link/.. ---------------------------------
mkdir -p "$T/allowed" "$T/outside/sub"
printf 'id,date\nS-1,2023-01-02\n' >"$T/outside/secret.csv"
printf 'return "secret chunk"\n' >"$T/outside/secret.lua"
ln -s "$T/outside/sub" "$T/allowed/link"
printf 'id,date\nA-1,2023-01-02\n' >"$T/allowed/secret.csv"   # what the name says
for how in "io.open(P):read('a')" "io.lines(P)()" "loadfile(P)()" "dofile(P)" "tally.load(P):records()().id"; do
	case $how in *file*) f=secret.lua ;; *) f=secret.csv ;; esac
	script escape "local P = '$T/allowed/link/../$f'
local ok, v = pcall(function() return $how end)
print(ok, v)"
	run run "$T/escape.lua" --allow-read "$T/allowed"
	case $out in
	*S-1*|*"secret chunk"*) notok "link/..: $how reads outside the sandbox" "$out" ;;
	*) ok "link/..: $how does not read outside the sandbox" ;;
	esac
done
# the same path where the link stays inside reads what the kernel opens
mkdir -p "$T/allowed/in/sub"; ln -s "$T/allowed/in/sub" "$T/allowed/inlink"
printf 'id,date\nI-1,2023-01-02\n' >"$T/allowed/in/inner.csv"
script inside "print(tally.load('$T/allowed/inlink/../inner.csv'):records()().id)"
expect_out "link/..: a link that stays inside reads the file it leads to" "I-1" run "$T/inside.lua" --allow-read "$T/allowed"

# --- 3. time the hook cannot see ----------------------------------------------------
script gcloop 'setmetatable({}, {__gc = function() while true do end end})
collectgarbage()'
expect_fail "timeout: an endless __gc loop ends at --timeout" 3 "time limit exceeded \(--timeout 1 s\)" run "$T/gcloop.lua" --timeout 1
script pattern 'print(("a"):rep(40):find(("a*"):rep(20) .. "b"))'
expect_fail "timeout: catastrophic backtracking ends at --timeout" 3 "time limit exceeded \(--timeout 1 s\)" run "$T/pattern.lua" --timeout 1
script errgc 'setmetatable({}, {__gc = function() while true do end end})
error("first")'
expect_fail "timeout: a __gc loop after an error still ends" 3 "time limit exceeded|first" run "$T/errgc.lua" --timeout 1

# --- 4. memory allocated in C, and a message pcall cannot catch --------------------
script bigchart 'local c = tally.chart.bar{data = {{"a", 1}}, width = 4000, height = 4000, scale = 1.2}
print(c:save(tally.args.out .. "/big.png"))'
expect_fail "memory: a PNG larger than --max-memory is refused" 3 "memory limit exceeded \(--max-memory 16M\)" run "$T/bigchart.lua" --out "$OUT" --max-memory 16M
[ ! -e "$OUT/big.png" ] && ok "memory: no PNG written" || notok "memory: no PNG written"
# 3000 records with distinct ids and titles: a 3000 x 3000 cross-tab is 72 MB of cells
awk 'BEGIN { print "id,date,title"; for (i = 1; i <= 3000; i++) printf "R-%d,2023-01-02,title %d\n", i, i }' >"$T/wide.csv"
script xtab 'local ds = tally.data()
local small = ds:count("id")
print(pcall(ds.crosstab, ds, "id", "title"))'
expect_fail "memory: a cross-tab past --max-memory is refused before it is made" 3 "memory limit exceeded \(--max-memory 16M\)" run "$T/xtab.lua" --data "$T/wide.csv" --max-memory 16M
script pcallmem 'local ds = tally.data()
local keep = {}
print(pcall(function() for i = 1, 1e6 do keep[i] = ds:count("id") end end))
print("caught")'
run run "$T/pcallmem.lua" --data "$T/wide.csv" --max-memory 16M
if [ "$rc" -eq 3 ] && [ -z "$out" ] && printf '%s' "$err" | grep -q '^tally: .*pcallmem.lua: memory limit exceeded (--max-memory 16M)$' &&
   ! printf '%s' "$err" | grep -q "invalid option"; then ok "memory: pcall does not catch the C memory limit; the message is whole"
else notok "memory: pcall does not catch the C memory limit" "rc=$rc out=$out err=$err"; fi
awk 'BEGIN { print "id,date,title"; for (i = 1; i <= 60000; i++) printf "R-%d,2023-01-02,a title that is different: %d\n", i, i }' >"$T/long.csv"
script loadbig 'print(pcall(tally.load, tally.args.file))'
expect_fail "memory: a dataset larger than --max-memory ends the run, pcall or not" 3 "memory limit exceeded \(--max-memory 2M\)" run "$T/loadbig.lua" --file "$T/long.csv" --allow-read "$T" --max-memory 2M

# --- 5. values cairo cannot draw -----------------------------------------------------
script donut 'print(pcall(tally.chart.donut, {data = {{"a", 5e307}, {"b", 1}}}))'
run run "$T/donut.lua" --timeout 10
if [ "$rc" -eq 0 ] && printf '%s' "$out" | grep -q 'out of range'; then ok "a donut of 5e307 is refused, not drawn forever"
else notok "a donut of 5e307 is refused" "rc=$rc $out $err"; fi

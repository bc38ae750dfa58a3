#!/bin/sh
# checks: 106
# tally run / eval / plugins through the command line: the sandbox refuses every
# escape with a clear message, exit status 3 and no side effect; limits end a
# script; outputs appear only when a script succeeds; Lua counts as tally count.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
D=$FIX/lua-digest.csv
OUT=$T/outdir

# script NAME CODE: writes CODE to $T/NAME.lua
script() { printf '%s\n' "$2" >"$T/$1.lua"; }

# refused NAME PATTERN CODE [ARGS...]: the sandboxed script fails with status 3
# and a message matching PATTERN, prints nothing, and leaves $T/pwned absent.
refused() {
	name=$1 pat=$2 code=$3; shift 3
	script refused "$code"
	rm -f "$T/pwned"
	expect_fail "sandbox: $name" 3 "$pat" run "$T/refused.lua" --data "$D" --out "$OUT" "$@"
	if [ -e "$T/pwned" ]; then notok "sandbox: $name: no side effect"; else ok "sandbox: $name: no side effect"; fi
}

# --- the same numbers as tally count ------------------------------------------
run count --by dimension "$D"; want=$out
expect_out "eval: a Counts prints as tally count" "$want" eval 'ds:count("dimension")' --data "$D"
run count --by dimension --quarter 2023Q2 "$D"; want=$out
script tenline '-- counts per dimension in one quarter
local tally = require "tally"
local ds = tally.data()
local q = tally.args.quarter or "2023Q2"
local view = ds:where{quarter = q}
local c = view:count("dimension")
c:print()'
expect_out "run: a ten-line script counts as tally count --quarter" "$want" run "$T/tenline.lua" --data "$D" --quarter 2023Q2
expect_out "run: the by-dimension plugin counts as tally count" "$want" run by-dimension --data "$D" --quarter 2023Q2
run count --by countries,month "$D"; want=$out
expect_out "eval: a Table prints as tally count" "$want" eval 'ds:crosstab("countries", "month")' --data "$D"
expect_out "eval: an expression" "15" eval '#ds' --data "$D"
expect_out "eval: a chunk" "9" eval 'local q = ds:where{quarter = "2023Q2"} print(#q)' --data "$D"
expect_out "eval: without data" "2023-06-30" eval 'select(2, tally.quarter("2023Q2"))'
expect_out "eval: a table prints key and value in key order" "$(printf 'alpha2\tTR\ncica\tmember\ncode\tTUR\niso_name\tTürkiye\nname\tTürkiye')" eval 'tally.country("Turkey")'

# --- the command line inside a script -------------------------------------------
script args 'print(#tally.args.data, tally.args.data[2], tally.args.quarter, tally.args.top_n, tally.args.flag, arg[1], arg[2], #arg)'
expect_out "run: tally.args and arg" "2	$D	2023Q2	5	true	x	y z	2" \
	run "$T/args.lua" --data "$D" "$D" --quarter 2023Q2 --top-n=5 --flag -- x "y z"
script out 'print(tally.args.out == nil)'
expect_out "run: no --out, no tally.args.out" "true" run "$T/out.lua"
script loadopts 'print(#tally.data(), #tally.data(2))'
run run "$T/loadopts.lua" --data "$FIX/bad-date.csv" "$D" --skip-bad
if [ "$rc" -eq 0 ] && [ "$out" = "1	15" ] && printf '%s' "$err" | grep -q 'bad-date.csv:3:2'; then ok "run: loading options apply to --data (--skip-bad)"
else notok "run: loading options apply to --data (--skip-bad)" "rc=$rc out=$out err=$err"; fi

# --- plugins ----------------------------------------------------------------------
run plugins
for p in by-dimension by-country by-month country-month partners compare-quarters; do
	if [ "$rc" -eq 0 ] && printf '%s\n' "$out" | grep -q "^$p  *analysis  *[a-z]"; then ok "plugins: lists $p"
	else notok "plugins: lists $p" "rc=$rc"; fi
done
for p in by-dimension by-country by-month country-month partners compare-quarters; do
	run run "$p" --data "$D" --quarter 2023Q2 --out "$OUT"
	if [ "$rc" -eq 0 ] && [ -s "$OUT/$p.csv" ] && [ -s "$OUT/$p.png" ] && [ -n "$out" ]; then ok "plugin $p: prints, writes $p.csv and $p.png"
	else notok "plugin $p: prints, writes $p.csv and $p.png" "rc=$rc err=$err"; fi
done
expect_fail "plugin: a plugin that needs data says so" 1 "by-month needs data" run by-month
expect_fail "plugin: compare-quarters needs --quarter" 1 "needs --quarter" run compare-quarters --data "$D"
mkdir -p "$T/plugins"
cat >"$T/plugins/hello.lua" <<'EOF'
return {name = "hello", description = "says hello", kind = "report",
	run = function(ctx, args)
		local ok, msg = pcall(error, "caught inside the plugin")
		ctx.log("pcall gave", ok)
		print("hello", args[1], #ctx.datasets, tally.plugin("by-month").name, msg:match("caught") ~= nil)
	end}
EOF
cat >"$T/plugins/broken.lua" <<'EOF'
return {name = "broken", description = "fails", kind = "analysis",
	run = function(ctx, args)
		local t = nil
		return t.field
	end}
EOF
cat >"$T/plugins/gives.lua" <<'EOF'
return {name = "gives", description = "returns values", kind = "analysis",
	run = function(ctx, args)
		local months = tally.plugin("by-month").run(ctx, args)
		return nil, months:get("2023-05"), "end"
	end}
EOF
cat >"$T/plugins/dots.lua" <<'EOF'
return {name = "dots", description = "a chart type of one's own", kind = "chart",
	chart = function(opts) return tally.chart.donut{data = opts.data, title = "Dots"} end}
EOF
cat >"$T/plugins/nochart.lua" <<'EOF'
return {name = "nochart", description = "returns no chart", kind = "chart",
	chart = function(opts) return 42 end}
EOF
cat >"$T/charts.lua" <<'EOF'
local c = tally.data():count("countries")
local r = tally.chart.ranked{data = c, top = 2}
assert(r:save(tally.args.out .. "/ranked.png"))
print(tostring(r):match("%((%d+) categories"), #c:top(2))
print(tostring(tally.chart.dots{data = tally.data():count("dimension")}):match("^tally.Chart: (%a+) \"(%a+)\""))
print(select(2, pcall(function() return tally.chart.nochart{data = c} end)))
print(select(2, pcall(function() return tally.chart["by-month"] end)))
EOF
cat >"$T/plugins/returns.lua" <<'EOF'
return {name = "returns", description = "shows ctx.options and args", kind = "analysis",
	run = function(ctx, args)
		print(ctx.options, args.quarter)
	end}
EOF
export TALLY_PLUGIN_PATH="$T/plugins"
expect_out "plugin: the command line's options are in args, not in ctx too" \
	"nil	2023Q2" run returns --data "$D" --quarter 2023Q2
expect_out "plugin: from TALLY_PLUGIN_PATH; an error caught by the plugin's pcall is only caught" \
	"hello	world	1	by-month	true" run hello --data "$D" -- world
may=$("$TALLY" count --by month --where month=2023-05 --format csv "$D" | sed -n 's/^2023-05,//p')
expect_out "plugin: run's results are printed by tally run (nil skipped); a caller's plugin prints nothing" \
	"$(printf '%s\nend' "$may")" run gives --data "$D"
want=$("$TALLY" count --by dimension --quarter 2023Q2 "$D")
expect_out "plugin: tally run prints the Counts by-dimension returns, as tally count prints it" "$want" \
	run by-dimension --data "$D" --quarter 2023Q2
want=$("$TALLY" count --by countries,month --quarter 2023Q2 "$D" 2>/dev/null | head -n 1)
run run country-month --data "$D" --quarter 2023Q2
[ "$rc" -eq 0 ] && [ "$(printf '%s\n' "$out" | head -n 1)" = "$want" ] &&
	ok "plugin: tally run prints the Table country-month returns" || notok "country-month printed" "rc=$rc $out"
run run "$T/charts.lua" --data "$D" --out "$T/charts" --allow-read "$T/plugins"
line() { printf '%s\n' "$out" | sed -n "$1p"; }
n=$(line 1 | cut -f2)
[ "$rc" -eq 0 ] && [ -n "$n" ] && [ "$(line 1)" = "$(printf '%s\t%s' "$n" "$n")" ] && [ -s "$T/charts/ranked.png" ] &&
	ok "chart plugin: tally.chart.ranked draws c:top(n)'s rows, from a sandboxed script" || notok "tally.chart.ranked" "rc=$rc $out $err"
[ "$(line 2)" = "$(printf 'donut\tDots')" ] && ok "chart plugin: one's own on TALLY_PLUGIN_PATH is a chart type by its name" ||
	notok "own chart plugin" "$(line 2)"
case $(line 3) in *"tally.chart.nochart: the chart plugin's chart function must return a tally.Chart, not number"*)
	ok "chart plugin: a chart function that gives no Chart is an error naming it" ;; *) notok "nochart" "$(line 3)" ;; esac
case $(line 4) in *"no chart type 'by-month' (the plugin by-month is of kind analysis, not chart)"*)
	ok "chart plugin: an analysis plugin is no chart type" ;; *) notok "analysis as chart" "$(line 4)" ;; esac
expect_fail "chart plugin: tally run of a chart type says how to draw it" 1 \
	"ranked is a chart type: a script draws it with tally.chart.ranked" run ranked --data "$D"
expect_fail "importer: tally run of an importer points to tally import" 1 \
	"digest-import is an importer: run it with tally import" run digest-import --data "$D"
printf 'Astana, 3 May 2023. A meeting.\n' >"$T/in.txt"
expect_fail "importer: tally import runs only importers" 1 \
	"the plugin by-month is of kind analysis: tally import runs importers" import "$T/in.txt" -o "$T/draft.csv" --plugin by-month
run plugins
if printf '%s\n' "$out" | grep -q '^hello  *report  *says hello'; then ok "plugins: lists TALLY_PLUGIN_PATH"; else notok "plugins: lists TALLY_PLUGIN_PATH"; fi
expect_fail "plugin: an error names the plugin's file and line" 3 "broken.lua:4: attempt to index a nil value" run broken
printf '%s' "$err" | grep -q "^stack traceback:" && ok "plugin: an error comes with a traceback" || notok "plugin: an error comes with a traceback"
unset TALLY_PLUGIN_PATH
expect_fail "plugin: an unknown name is a usage error" 1 "no script or plugin named 'nope'" run nope

# --- the sandbox: every escape refused, nothing done ------------------------------
refused "os.execute" "os.execute is not allowed in the sandbox" "os.execute('touch $T/pwned')"
refused "io.popen" "io.popen is not allowed in the sandbox" "io.popen('touch $T/pwned')"
refused "os.remove" "os.remove is not allowed" "os.remove('$D')"
refused "os.exit" "os.exit is not allowed" "os.exit(0)"
refused "reading /etc/passwd" "cannot read '/etc/passwd'" "print(io.open('/etc/passwd'):read('a'))"
refused "io.lines on /etc/passwd" "cannot read '/etc/passwd'" "for l in io.lines('/etc/passwd') do print(l) end"
refused "dofile outside the data" "cannot read '/etc/passwd'" "dofile('/etc/passwd')"
refused "tally.load outside the data" "cannot read '/etc/passwd'" "tally.load('/etc/passwd')"
refused "writing outside --out" "cannot write '$T/pwned': scripts write only under --out" "io.open('$T/pwned', 'w'):write('x')"
refused "writing outside --out with .." "scripts write only under --out" "io.open(tally.args.out .. '/../pwned', 'w'):write('x')"
refused "to_csv outside --out" "scripts write only under --out" "tally.data():count('kind'):to_csv('$T/pwned')"
refused "io.output outside --out" "scripts write only under --out" "io.output('$T/pwned')"
mkdir -p "$OUT" && ln -s "$T" "$OUT/link"
refused "writing through a link out of --out" "scripts write only under --out" "io.open(tally.args.out .. '/link/pwned', 'w'):write('x')"
rm -f "$OUT/link"
script nowrite "io.open('$T/pwned', 'w')"
expect_fail "sandbox: writing with no --out at all" 3 "no --out was given" run "$T/nowrite.lua"
refused "string.dump then load" "binary chunks are not allowed" \
	"local f = assert(load(string.dump(function() return 1 end))) f()"
refused "load of a binary chunk through a reader" "attempt to load a binary chunk" \
	"local s = string.dump(function() end) local f = assert(load(function() local r = s s = nil return r end)) f()"
refused "package.loadlib" "package.loadlib is not allowed in the sandbox" "package.loadlib('libc.so.6', 'system')('touch $T/pwned')"
refused "require of a C module" "module 'lfs' not found: require loads only Lua files from the plugin directories" "require 'lfs'"
mkdir -p "$T/mylib" && printf 'return {twice = function(n) return 2 * n end}\n' >"$T/mylib/helper.lua"
script helper 'print(require("helper").twice(21), type(require("digest").check_quarter))'
export TALLY_LIB_PATH="$T/mylib"
expect_out "require: helpers in TALLY_LIB_PATH and the bundled lib/ (digest)" "42	function" run "$T/helper.lua"
unset TALLY_LIB_PATH
refused "require of a path" "module '../../etc/passwd' not found" "require '../../etc/passwd'"
refused "debug" "the debug library is not available in the sandbox" "debug.sethook()"
refused "an undefined global" "undefined global 'undefined_thing'" "undefined_thing()"

# --- limits -----------------------------------------------------------------------
script loop 'local n = 0
while true do n = n + 1 end'
start=$(date +%s)
expect_fail "limit: an endless loop ends at --timeout" 3 "loop.lua:2: time limit exceeded \(--timeout 1 s\)" run "$T/loop.lua" --timeout 1
[ $(( $(date +%s) - start )) -le 5 ] && ok "limit: the time-out is prompt" || notok "limit: the time-out is prompt"
script pcallloop 'for i = 1, 3 do pcall(function() while true do end end) end
print("escaped")'
expect_fail "limit: pcall does not catch the time-out" 3 "time limit exceeded" run "$T/pcallloop.lua" --timeout 1
script bomb 'local t = {}
for i = 1, 1e9 do t[i] = ("x"):rep(1000) .. i end'
expect_fail "limit: a memory bomb ends at --max-memory" 3 "memory limit exceeded \(--max-memory 32M\)" run "$T/bomb.lua" --max-memory 32M
script pcallbomb 'local ok = pcall(function() local s = "x" while true do s = s .. s end end)
print("escaped", ok)'
expect_fail "limit: pcall does not catch the memory limit" 3 "memory limit exceeded" run "$T/pcallbomb.lua" --max-memory 16M
expect_fail "limit: a bad --max-memory" 1 "--max-memory wants a size" run "$T/loop.lua" --max-memory lots
expect_fail "limit: a bad --timeout" 1 "--timeout wants a number" run "$T/loop.lua" --timeout soon

# --- outputs: written on success, none on failure ---------------------------------
rm -rf "$OUT"
script writes 'local out = tally.args.out
tally.data():count("kind"):to_csv(out .. "/sub/kind.csv")
local f = assert(io.open(out .. "/note.txt", "w"))
f:write("written")
f:close()
assert(io.open(out .. "/note.txt"):read("a") == "written")
if arg[1] == "fail" then error("failed after writing") end'
expect_fail "outputs: a failing script" 3 "writes.lua:7: failed after writing" run "$T/writes.lua" --data "$D" --out "$OUT" -- fail
[ ! -e "$OUT" ] && ok "outputs: a failing script leaves nothing (not even --out)" || notok "outputs: a failing script leaves nothing" "$(ls -RA "$OUT")"
expect_out "outputs: a succeeding script" "" run "$T/writes.lua" --data "$D" --out "$OUT"
if [ "$(cat "$OUT/sub/kind.csv")" = "$(printf 'kind,count\narticle,13\nphoto,2')" ] && [ "$(cat "$OUT/note.txt")" = written ]; then
	ok "outputs: renamed into place"; else notok "outputs: renamed into place"; fi
[ -z "$(find "$OUT" -name '.*tmp')" ] && ok "outputs: no temporary files left" || notok "outputs: no temporary files left"
echo old >"$OUT/note.txt"
expect_fail "outputs: a failure keeps the previous file" 3 "failed after writing" run "$T/writes.lua" --data "$D" --out "$OUT" -- fail
[ "$(cat "$OUT/note.txt")" = old ] && ok "outputs: the previous file is untouched" || notok "outputs: the previous file is untouched"

# --- exit statuses ----------------------------------------------------------------
script syntax 'local x = = 1'
expect_fail "status: a syntax error is 3 with file and line" 3 "syntax.lua:1:" run "$T/syntax.lua"
script needdata 'print(#tally.data())'
expect_fail "status: a missing --data file is a data error (2)" 2 "no-such.csv: No such file or directory" run "$T/needdata.lua" --data "$T/no-such.csv"
expect_fail "status: no --data at all is a data error (2)" 2 "no data: give a file with --data" run "$T/needdata.lua"
expect_fail "status: run without a script is a usage error (1)" 1 "run needs a script" run
expect_fail "status: a script that does not exist (1)" 1 "cannot open $T/none.lua" run "$T/none.lua"
expect_fail "status: eval of nonsense is 3" 3 "eval:1:" eval 'ds:::'
expect_fail "status: eval of a bad field is 3" 3 "no field 'nope'" eval 'ds:count("nope")' --data "$D"

# --- --unsafe lifts the sandbox, explicitly -----------------------------------------
script unsafe "os.execute('touch $T/unsafe-ran') print(io.open('/etc/passwd') ~= nil, debug ~= nil)"
expect_out "unsafe: the sandbox is lifted" "true	true" run --unsafe "$T/unsafe.lua"
[ -e "$T/unsafe-ran" ] && ok "unsafe: os.execute ran" || notok "unsafe: os.execute ran"

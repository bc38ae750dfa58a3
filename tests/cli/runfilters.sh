# tally run and tally eval take count's filters (--where, --from, --to, --quarter)
# and narrow what tally.data() gives the script exactly as count narrows its
# records; a script that declares a period option keeps it as its own; the Lua
# API takes the command line's names (load options, where's allow_empty).
# checks: 16
. tests/lib.sh
D=data/cica-digest-2023q2.csv

# total FILTERS...: the number of items count keeps with those filters (its total line,
# not a note of the items it leaves out)
total() { "$TALLY" count "$D" --by dimension "$@" | sed -n 's/^\([0-9][0-9]*\) items*; shares are.*/\1/p'; }
# same NAME FILTERS...: eval's #ds and #tally.data() with the filters equal count's total
same() {
	name=$1; shift
	want=$(total "$@")
	run eval '#ds .. " " .. #tally.data()' --data "$D" "$@"
	if [ "$rc" -eq 0 ] && [ -n "$want" ] && [ "$out" = "$want $want" ]; then ok "$name ($want records)"
	else notok "$name" "rc=$rc count=$want eval=$out $err"; fi
}
all=$(total)
same "eval --where keeps what count --where keeps" --where dimension=human
same "a field repeated means any of its values, as in count" --where dimension=human --where dimension=economic
same "two fields must both hold" --where dimension=human --where countries=Kazakhstan
same "--from/--to keep whole dates in the range, as in count" --from 2023-05-01 --to 2023-05-31
H=$FIX/compare-2023h1.csv
q1=$("$TALLY" count "$H" --by dimension --quarter 2023-Q1 | sed -n 's/^\([0-9][0-9]*\) item.*/\1/p')
expect_out "--quarter keeps one quarter, as in count ($q1 records)" "$q1 $q1" eval '#ds .. " " .. #tally.data()' --data "$H" --quarter 2023-Q1
h=$("$TALLY" count "$H" --by dimension --where quarter=2023Q2 --where dimension=economic | sed -n 's/^\([0-9][0-9]*\) item.*/\1/p')
expect_out "--where quarter=... with another field, as in count ($h records)" "$h" eval '#ds' --data "$H" --where quarter=2023Q2 --where dimension=economic
same "--where month=... as in count" --where month=2023-05
n=$(total --where dimension=human)
[ "$n" -lt "$all" ] && ok "the filters keep out records ($n of $all)" || notok "filters keep out records" "$n of $all"

# a plugin counts what tally.data() holds: its table equals count's
want=$("$TALLY" count "$D" --by dimension --where countries=Kazakhstan)
expect_out "tally run by-dimension --where prints count's table" "$want" run by-dimension --data "$D" --where countries=Kazakhstan

# a value no record holds fails as count's does, unless --allow-empty
expect_fail "run --where with a value nothing holds names the values held" 1 "no record has event_type 'xyz' \(nearest values held: .*--allow-empty" \
	eval '#ds' --data "$D" --where event_type=xyz
expect_out "run --where with --allow-empty gives an empty view" "0" eval '#ds' --data "$D" --where event_type=xyz --allow-empty
expect_fail "--where without '=' is a usage error" 1 "--where takes FIELD=VALUE" eval '#ds' --data "$D" --where human

# tally.where() is the filter; a declared period is the script's own, unfiltered
cat >"$T/declares.lua" <<'LUA'
local tally = require "tally"
local args = tally.options{ { name = "quarter", type = "quarter", help = "the quarter to report" } }
local w = tally.where()
print(#tally.data(), args.quarter, w.quarter, type(w.dimension) == "table" and table.concat(w.dimension, "+"))
LUA
expect_out "a script declaring --quarter keeps it (tally.args), tally.data() keeps --where" \
	"$(total --where dimension=human --where dimension=economic)	2023Q2	nil	human+economic" \
	run "$T/declares.lua" --data "$D" --quarter 2023-Q2 --where dimension=human --where dimension=economic
cat >"$T/late.lua" <<'LUA'
local tally = require "tally"
local n = #tally.data()
tally.options{ { name = "quarter", type = "quarter", help = "q" } }
LUA
expect_fail "declaring --quarter after tally.data() applied it is a script error" 3 \
	"declares --quarter after tally.data\(\) applied it as a filter" run "$T/late.lua" --data "$D" --quarter 2023Q2

# the Lua API takes the command line's names: load options dashed or not, threads;
# where's allow_empty as --allow-empty
cat >"$T/names.lua" <<LUA
local tally = require "tally"
local a = assert(tally.load("$D", {threads = 1, ["no-cache"] = true, country_codes = "name"}))
local b = assert(tally.load("$D", {["skip-bad"] = true, no_cache = true}))
local e = a:where({event_type = "xyz"}, {allow_empty = true})
print(#a, #b, #e, #tally.data())
LUA
expect_out "tally.load takes threads and dashed names; where takes allow_empty; tally.load is not filtered" \
	"$all	$all	0	$n" run "$T/names.lua" --data "$D" --where dimension=human
expect_fail "an unknown load option suggests the name" 3 "unknown option 'thread' \(did you mean 'threads'\?\)" \
	eval 'tally.load(tally.args.data[1], {thread = 1})' --data "$D"

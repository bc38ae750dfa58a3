# tally.so: make install DESTDIR=... PREFIX=/usr/local installs the Lua module beside
# the program, and a stock lua5.4 loads it from there, finds tally's home from the
# module's own location (nothing set in the environment but LUA_CPATH) and counts
# what `tally count` counts.
# checks: 12 (sanitizer build: 0, it skips this suite: an ASan module cannot load into lua5.4)
. tests/lib.sh
case "$TALLY" in */san/*) exit 0 ;; esac
if ! command -v lua5.4 >/dev/null; then notok "lua5.4 is installed (scripts/deps.sh)"; exit 0; fi
if make -s install PREFIX=/usr/local DESTDIR="$T/root" >"$T/log" 2>&1; then ok "make install DESTDIR PREFIX=/usr/local"
else notok "make install" "$(tail -3 "$T/log")"; exit 0; fi
P=$T/root/usr/local
missing=""
for f in bin/tally lib/lua/5.4/tally.so share/tally/plugins/by-month.lua share/tally/lib/digest.lua \
	share/tally/data/cica-digest-2023q2.csv share/tally/data/country-aliases.tsv \
	share/man/man1/tally.1 share/bash-completion/completions/tally; do
	[ -s "$P/$f" ] || missing="$missing $f"
done
[ -z "$missing" ] && ok "install puts the binary, tally.so, plugins, lib, data, man page and completion under PREFIX" ||
	notok "installed files" "missing:$missing"

# lua5.4 in a directory of its own, with only LUA_CPATH pointing at the installed module
mkdir -p "$T/work"
lua() { (cd "$T/work" && env -u TALLY_HOME -u TALLY_PLUGIN_PATH -u TALLY_LIB_PATH \
	LUA_CPATH="$P/lib/lua/5.4/?.so" LUA_PATH="" lua5.4 -e "$1" 2>&1); }
DATA=$P/share/tally/data/cica-digest-2023q2.csv
for field in dimension countries; do
	want=$("$TALLY" count --by "$field" --format csv "$DATA" 2>/dev/null | sed 1d)
	got=$(lua "local tally = require 'tally'
		local ds = assert(tally.load('$DATA'))
		for k, n in ds:count('$field'):pairs() do print(k .. ',' .. n) end")
	[ -n "$want" ] && [ "$got" = "$want" ] && ok "stock lua5.4 counts $field as tally count does" ||
		notok "lua5.4 count $field" "got [$got] want [$want]"
done
got=$(lua "local tally = require 'tally'; print(#assert(tally.load('$DATA')))")
want=$("$TALLY" eval '#ds' --data "$DATA" 2>&1)
[ -n "$got" ] && [ "$got" = "$want" ] && ok "#ds in lua5.4 is tally eval's" || notok "#ds" "got $got want $want"
got=$(lua "local tally = require 'tally'; local c = tally.country('Turkey'); print(c.name, c.cica)")
[ "$got" = "$(printf 'Türkiye\tmember')" ] && ok "the module finds the installed vocabulary by its own location" ||
	notok "installed vocabulary" "$got"
got=$(lua "local tally = require 'tally'
	local p = tally.plugin('by-month'); print(p.kind, type(require('digest').check_quarter))")
[ "$got" = "$(printf 'analysis\tfunction')" ] && ok "tally.plugin and require find the installed plugins and lib/" ||
	notok "installed plugins and lib" "$got"
got=$(lua "local tally = require 'tally'
	local c = assert(tally.load('$DATA')):count('countries')
	print(tostring(tally.chart.ranked{data = c, top = 3}):match('%((%d+) categories'), #c:top(3))")
[ "$got" = "$(printf '%s\t%s' "${got%%	*}" "${got%%	*}")" ] && [ -n "${got%%	*}" ] &&
	ok "the installed chart plugin ranked is tally.chart.ranked in lua5.4" || notok "installed chart plugin" "$got"
# outputs are written where the script says, each renamed into place when complete
got=$(lua "local tally = require 'tally'
	local ds = assert(tally.load('$DATA'))
	assert(tally.chart.bar{data = ds:count('dimension')}:save('out/dims.png'))
	assert(ds:count('dimension'):to_csv('out/dims.csv'))
	print(io.open('out/dims.csv'):read('l'))")
[ "$got" = "dimension,count" ] && [ "$(head -c 4 "$T/work/out/dims.png" | od -An -c | tr -d ' ')" = "211PNG" ] &&
	[ "$(ls -A "$T/work/out" | wc -l)" -eq 2 ] && ok "chart:save and to_csv write their files, nothing else" ||
	notok "module outputs" "$got; $(ls -A "$T/work/out")"
got=$(lua "local tally = require 'tally'
	local ds = assert(tally.load('$DATA'))
	local r = tally.report{title = 'From lua5.4'}
	local p = r:page()
	p:heading('Dimensions')
	p:chart(tally.chart.bar{data = ds:count('dimension'), title = 'By dimension'})
	assert(r:save('out/report.pdf'))
	print(#r)")
pages=$(pdfinfo "$T/work/out/report.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
[ -n "$got" ] && [ "$pages" = "$got" ] && pdftotext "$T/work/out/report.pdf" - 2>/dev/null | grep -q '^Dimensions$' &&
	ok "a report from lua5.4: its PDF has the pages #r says and the heading" || notok "module report" "got $got pages $pages"
# a data error is nil and a message, as in the command; a wrong argument raises
got=$(lua "local tally = require 'tally'
	local ds, msg = tally.load('no-such.csv'); print(ds, msg ~= nil, pcall(tally.load, {}))")
case $got in "nil	true	false	"*"bad argument #1"*) ok "errors in the module: nil+message for data, raise for arguments" ;;
	*) notok "module errors" "$got" ;; esac
# the rockspec: luarocks make in a copy of the tree (no build/), into a scratch rock
# tree; the rock's module finds the rock's own share/tally
if ! command -v luarocks >/dev/null; then notok "luarocks is installed (scripts/deps.sh)"; exit 0; fi
mkdir -p "$T/src"
git ls-files -co --exclude-standard | grep -v '^reports/' | tar cf - -T - | tar xf - -C "$T/src"
if (cd "$T/src" && luarocks --lua-version 5.4 --tree "$T/rocks" make tally-0.1.0-1.rockspec) >"$T/rock.log" 2>&1; then
	rockdata=$(ls -d "$T"/rocks/lib/luarocks/rocks-5.4/tally/*/share/tally/data)/cica-digest-2023q2.csv
	got=$(cd "$T/work" && env -u TALLY_HOME LUA_CPATH="$T/rocks/lib/lua/5.4/?.so" lua5.4 -e "
		local tally = require 'tally'
		local ds = assert(tally.load('$rockdata'))
		print(#ds, ds:count('dimension'):get('human'), tally.country('Turkey').name)" 2>&1)
	want=$(printf '%s\t%s\tTürkiye' "$("$TALLY" eval '#ds' --data "$DATA")" \
		"$("$TALLY" count --by dimension --where dimension=human --format csv "$DATA" | sed -n 's/^human,//p')")
	[ "$got" = "$want" ] && ok "luarocks make builds tally.so from the rockspec, and it counts" ||
		notok "rock module" "got [$got] want [$want]"
else
	notok "luarocks make tally-0.1.0-1.rockspec" "$(tail -5 "$T/rock.log")"
fi

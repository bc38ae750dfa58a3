# make install: an installed tally finds its data and plugins under $(PREFIX)/share/tally.
# checks: 5 (sanitizer build: 0, it skips this suite)
. tests/lib.sh
case "$TALLY" in */san/*) exit 0 ;; esac
if make -s install PREFIX=/opt/tally DESTDIR="$T/root" >"$T/log" 2>&1; then ok "make install"; else notok "make install" "$(tail -3 "$T/log")"; exit 0; fi
bin="$T/root/opt/tally/bin/tally"
[ -x "$bin" ] && [ -f "$T/root/opt/tally/share/tally/data/country-aliases.tsv" ] && [ -f "$T/root/opt/tally/share/tally/plugins/by-dimension.lua" ] &&
	ok "install puts the binary, data and plugins under PREFIX" || notok "install layout"
cp data/cica-digest-2023q2.csv "$T/d.csv"
out=$(cd "$T" && env -u TALLY_HOME "$bin" count --by countries --where countries=Turkey --format csv d.csv 2>&1)
[ "$out" = "$(printf 'countries,count\nTürkiye,2')" ] && ok "the installed tally reads its aliases" || notok "installed aliases" "$out"
out=$(cd "$T" && env -u TALLY_HOME "$bin" plugins 2>&1)
echo "$out" | grep -q '^by-dimension' && ok "the installed tally lists its plugins" || notok "installed plugins" "$out"
out=$(cd "$T" && env -u TALLY_HOME -u TALLY_LIB_PATH "$bin" eval 'type(require("digest").check_quarter)' 2>&1)
[ "$out" = "function" ] && ok "the installed tally's require finds the helpers in lib/" || notok "installed lib/" "$out"

# The oracle: seeded random digest datasets (tests/oracle/gen.lua), each counted
# by tally through the Lua API in one process (tests/oracle/driver.lua) and by an
# independent implementation in SQL on sqlite3 (tests/oracle/oracle.sql), and
# every line compared: counts, totals, shares, top N, cross-tabs, filters and
# quarter comparisons. 200 datasets, 20 under the sanitizers. A failure names its
# seed; ORACLE_SEEDS="17 18" replays those alone.
# checks: 200 (sanitizer build: 20)
. tests/lib.sh
command -v sqlite3 >/dev/null || { notok "oracle: sqlite3 is installed (scripts/deps.sh)"; exit 0; }
case $TALLY in
*/build/san/tally) last=20 ;;
*) last=200 ;;
esac
seeds=${ORACLE_SEEDS:-$(seq 1 "$last")}
set -- $seeds
"$TALLY" run --unsafe tests/oracle/gen.lua -- "$T" "$1" "$(echo "$seeds" | tr ' ' '\n' | sort -n | tail -n 1)" \
	|| { notok "oracle: the generator ran"; exit 0; }
schema='CREATE TABLE items(id INTEGER, prec TEXT, y INT, m INT, q INT, dimension TEXT, lead TEXT);
CREATE TABLE countries(id INTEGER, name TEXT); CREATE TABLE orgs(id INTEGER, name TEXT);'
for s in $seeds; do
	{ echo "$schema"; cat "$T/$s.sql" tests/oracle/oracle.sql; } | sqlite3 -batch | LC_ALL=C sort >"$T/want"
	"$TALLY" run tests/oracle/driver.lua --data "$T/$s.csv" --no-cache >"$T/got.raw" 2>"$T/err"; rc=$?
	LC_ALL=C sort "$T/got.raw" >"$T/got"
	if [ "$rc" -eq 0 ] && [ -s "$T/want" ] && cmp -s "$T/want" "$T/got"; then
		ok "oracle: seed $s ($(wc -l <"$T/want") numbers agree with SQL)"
	else
		notok "oracle: seed $s (replay: ORACLE_SEEDS=$s sh tests/cli/oracle.sh)" "rc=$rc $(head -c 300 "$T/err")"
		diff "$T/want" "$T/got" | head -n 20 | sed 's/^/#   /'
	fi
done

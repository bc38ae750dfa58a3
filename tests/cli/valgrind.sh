# The command line under valgrind: no invalid reads or writes, no definite leaks.
# checks: 9 (sanitizer build: 0, it skips this suite)
# Runs for the plain binary only (the sanitizer build has its own checks).
. tests/lib.sh
case "$TALLY" in */san/*) exit 0 ;; esac
command -v valgrind >/dev/null || { notok "valgrind is installed"; exit 0; }
export TALLY_CACHE_DIR="$T/vcache" TALLY_CACHE_MIN=0
# vg NAME RC ARGS...: tally ARGS under valgrind exits RC with no valgrind report
vg() {
	name=$1 want=$2; shift 2
	valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
		"$TALLY" "$@" >"$T/vout" 2>"$T/verr"
	vrc=$?
	if [ "$vrc" -eq "$want" ] && ! grep -q '==[0-9]*==' "$T/verr"; then ok "valgrind: $name"
	else notok "valgrind: $name" "rc=$vrc want $want"; sed 's/^/# /' "$T/verr" | head -20; fi
}
vg "count (cold, fills the cache)" 0 count --by countries $FIX/mixed.csv
vg "count (warm, from the cache)" 0 count --by countries $FIX/mixed.csv
vg "cross-tab json with filters" 0 count --by countries,month --where kind=article --quarter 2023Q2 --format json $FIX/mixed.csv
vg "check" 0 check $FIX/mixed.csv
vg "check (another layout)" 0 check $FIX/external/nuclear_explosions_1945_1998.csv
vg "files with different columns" 2 check $FIX/mixed.csv $FIX/external/nuclear_explosions_1945_1998.csv
vg "strict error" 2 count --by kind $FIX/bad-country.csv
vg "--skip-bad" 0 count --by kind --skip-bad --no-cache $FIX/ragged.csv
vg "split dates" 0 count --by year --map year=Date.Year,month=Date.Month,day=Date.Day $FIX/external/nuclear_explosions_1945_1998.csv

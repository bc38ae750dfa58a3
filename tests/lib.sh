# Helpers for command-line tests. Source it: . tests/lib.sh
# $TALLY is the binary under test (set by tests/run); each check prints one
# "ok - NAME" or "not ok - NAME" line.
: "${TALLY:=./tally}"
FIX=tests/fixtures
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT

ok()    { echo "ok - $1"; }
notok() { echo "not ok - $1${2:+: $2}"; }

# run ARGS...: runs tally, leaving $out, $err and $rc. A tally killed by a signal
# is a failed check of its own, whatever the test goes on to expect
# (SIGNAL_OK=1 for the few tests that kill tally on purpose).
run() {
	"$TALLY" "$@" >"$T/out" 2>"$T/err"; rc=$?
	out=$(cat "$T/out"); err=$(cat "$T/err")
	if [ "$rc" -gt 128 ] && [ -z "${SIGNAL_OK:-}" ]; then
		notok "tally $* died by signal $((rc - 128))"
	fi
}

# expect_out NAME EXPECTED ARGS...: exit 0 and stdout exactly EXPECTED
expect_out() {
	name=$1 want=$2; shift 2; run "$@"
	if [ "$rc" -eq 0 ] && [ "$out" = "$want" ]; then ok "$name"
	else notok "$name" "rc=$rc"; printf '  want: %s\n  got:  %s\n  err:  %s\n' "$want" "$out" "$err" | sed 's/^/# /'; fi
}

# expect_fail NAME RC PATTERN ARGS...: exit RC, stderr matches grep -E PATTERN, stdout empty
expect_fail() {
	name=$1 wantrc=$2 pat=$3; shift 3; run "$@"
	if [ "$rc" -eq "$wantrc" ] && printf '%s' "$err" | grep -Eq -- "$pat" && [ -z "$out" ]; then ok "$name"
	else notok "$name" "rc=$rc want $wantrc"; printf '  pattern: %s\n  err: %s\n  out: %s\n' "$pat" "$err" "$out" | sed 's/^/# /'; fi
}

# expect_true NAME COMMAND...: the shell command succeeds
expect_true() {
	name=$1; shift
	if "$@" >/dev/null 2>&1; then ok "$name"; else notok "$name" "$*"; fi
}

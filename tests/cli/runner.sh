# The test runner itself: a suite that crashes, exits non-zero, leaves a sanitizer
# report or prints fewer checks than it declares fails the run, however many of
# its lines say "ok". Each case runs tests/run on one made-up suite.
# checks: 8
. tests/lib.sh
[ -n "${TALLY_RUNNER_NESTED:-}" ] && exit 0   # the made-up suites run under tests/run, not this file
export TALLY_RUNNER_NESTED=1

# judge NAME WANT-RC PATTERN SUITE-BODY: writes the suite, runs the runner on it
judge() {
	name=$1 wantrc=$2 pat=$3 body=$4
	printf '%s\n' "$body" >"$T/suite.sh"
	TALLY_TEST_SUITES="$T/suite.sh" tests/run "$TALLY" >"$T/run.out" 2>&1; got=$?
	if [ "$got" -eq "$wantrc" ] && grep -Eq -- "$pat" "$T/run.out"; then ok "runner: $name"
	else notok "runner: $name" "exit $got, want $wantrc"; sed 's/^/#   /' "$T/run.out"; fi
}

judge "a clean suite passes" 0 '^2 passed, 0 failed$' '# checks: 2
echo "ok - one"; echo "ok - two"'
judge "a suite killed by SIGSEGV fails" 1 'suite.sh: killed by signal 11' '# checks: 1
echo "ok - before the crash"; kill -SEGV $$'
judge "a suite that aborts fails" 1 'suite.sh: killed by signal 6' '# checks: 1
echo "ok - before the abort"; kill -ABRT $$'
judge "a non-zero exit fails" 1 'suite.sh: exited with status 3' '# checks: 1
echo "ok - then exit 3"; exit 3'
judge "a short count fails" 1 'suite.sh: printed 1 checks, declares at least 3' '# checks: 3
echo "ok - only one of three"'
judge "a suite without a declared count fails" 1 "suite.sh: declares no 'checks: N' line" 'echo "ok - undeclared"'
# The sanitizers write to log_path files the runner owns: a report there fails the
# suite even when the test itself swallowed tally's stderr.
judge "a sanitizer report in a log file fails" 1 'suite.sh: sanitizer report' '# checks: 1
p=${ASAN_OPTIONS##*log_path=}; p=${p%%:*}; echo "ERROR: AddressSanitizer: heap-use-after-free" >"$p.4242"
echo "ok - looks fine"'
# lib.sh: a tally that dies by a signal is a failed check even when rc was expected
cat >"$T/crasher" <<'EOF'
#!/bin/sh
kill -SEGV $$
EOF
chmod +x "$T/crasher"
judge "lib.sh run() reports a tally killed by a signal" 1 'not ok - tally count x died by signal 11' "# checks: 1
. tests/lib.sh
TALLY=$T/crasher
run count x
[ \"\$rc\" -ne 0 ] && ok 'tally failed as expected'"

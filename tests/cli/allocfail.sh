# Allocation-failure injection, a short slice: count, check, chart and run with the
# Nth allocation of tally's own code failing for every 97th N and for the first and
# last 12 (start-up and output, where the full sweep found its bugs: make faults
# runs every N). Each run ends in a clean error (exit 2 or 3 with a message) or in the
# unchanged output; never a signal, a sanitizer report or a leak. Only the
# sanitizer build carries the injector (tests/fault/nth_alloc.c).
# checks: 0 (sanitizer build: 6)
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
case "$TALLY" in */san/*) ;; *) exit 0 ;; esac
FAULT_EDGE=12 tests/fault/sweep "$TALLY" 97

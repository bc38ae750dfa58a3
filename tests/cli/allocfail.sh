# Allocation-failure injection, a short slice: count, check, chart and run with the
# Nth allocation of tally's own code failing for every 97th N (make faults runs
# every N). Each run ends in a clean error (exit 2 or 3 with a message) or in the
# unchanged output; never a signal, a sanitizer report or a leak. Only the
# sanitizer build carries the injector (tests/fault/nth_alloc.c).
# checks: 0 (sanitizer build: 6)
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
case "$TALLY" in */san/*) ;; *) exit 0 ;; esac
tests/fault/sweep "$TALLY" 97

# Replays the fuzz corpora and every input that once crashed (tests/fuzz/NAME/
# corpus and crashers) through the harnesses, built with the binary under test:
# build/rel/fuzz/replay-NAME beside ./tally, build/san/fuzz/replay-NAME beside
# the sanitizer build. A crash, an abort of a harness's own check or a sanitizer
# report fails the suite.
# checks: 5
. tests/lib.sh
case $TALLY in
*/build/san/tally) B=build/san ;;
*) B=build/rel ;;
esac
for d in tests/fuzz/*/; do
	h=$(basename "$d")
	for sub in corpus crashers; do
		[ -d "$d$sub" ] || continue
		if [ -x "$B/fuzz/replay-$h" ]; then "$B/fuzz/replay-$h" "$d$sub"
		else notok "fuzz $h: $B/fuzz/replay-$h is not built"; fi
	done
done

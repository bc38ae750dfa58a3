# I/O faults: standard output on a full device, outputs to a full file system, to
# a file-size limit and to a directory that cannot be written, and kill -9 at
# random points during a report. Every failure exits non-zero with a message and
# leaves the previous file (or none) at the final path, never a partial one.
# checks: 23
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
D=$FIX/lua-digest.csv
Q=data/cica-digest-2023q2.csv

# temps DIR: the hidden temporaries (".NAME.tally-PID-SEQ.tmp") anywhere under DIR
temps() { find "$1" -name '.*.tally-*.tmp' | wc -l; }

# --- standard output on a full device: status 2 and a message, for every command
printf 'print("a line")\n' >"$T/print.lua"
stdout_full() {
	name=$1; shift
	"$TALLY" "$@" >/dev/full 2>"$T/err"; rc=$?
	if [ "$rc" -eq 2 ] && grep -q '^tally: cannot write to standard output: ' "$T/err"; then ok "stdout full: $name"
	else notok "stdout full: $name" "rc=$rc $(cat "$T/err")"; fi
}
stdout_full "count" count --by countries "$D"
stdout_full "count, a cross-tab as CSV" count --by countries,kind --format csv "$D"
stdout_full "check" check "$D"
stdout_full "eval" eval 'ds:count("kind")' --data "$D"
stdout_full "run" run "$T/print.lua"
stdout_full "plugins" plugins
stdout_full "--help" --help

# fail_keeps NAME FILE ARGS...: tally ARGS fails with "cannot write", FILE keeps "old"
fail_keeps() {
	name=$1 f=$2; shift 2; run "$@"
	if [ "$rc" -eq 2 ] && printf '%s' "$err" | grep -q 'cannot write' && [ "$(cat "$f" 2>/dev/null)" = old ] &&
	   [ "$(temps "$(dirname "$f")")" -eq 0 ]; then ok "$name"
	else notok "$name" "rc=$rc $err"; ls -la "$(dirname "$f")" | sed 's/^/# /'; fi
}

# --- a file-size limit (works without privileges): writes fail with EFBIG --------
# SIGXFSZ ignored, so the write returns an error instead of killing the process
L=$T/limited; mkdir -p "$L"; echo old >"$L/note.txt"
for ext in png pdf svg; do
	echo old >"$L/c.$ext"
	(trap '' XFSZ; ulimit -f 8; fail_keeps "file-size limit: a .$ext chart fails, the old file stays" \
		"$L/c.$ext" chart bar --by countries "$D" -o "$L/c.$ext")
done
printf 'local f = assert(io.open(tally.args.out .. "/note.txt", "w"))\nf:write(("x"):rep(100000))\nf:close()\n' >"$T/big.lua"
# script_keeps NAME DIR: big.lua's note.txt in DIR fails, the old one stays
script_keeps() {
	run run "$T/big.lua" --out "$2"
	if [ "$rc" -ne 0 ] && [ "$(cat "$2/note.txt")" = old ] && [ "$(temps "$2")" -eq 0 ]; then ok "$1"
	else notok "$1" "rc=$rc $err"; fi
}
# report_fails NAME DIR: the quarterly report into DIR fails whole: no report.pdf
report_fails() {
	run run scripts/quarterly.lua --data "$Q" --quarter 2023Q2 --out "$2/rep"
	if [ "$rc" -ne 0 ] && [ ! -e "$2/rep/report.pdf" ] && [ "$(temps "$2")" -eq 0 ]; then ok "$1"
	else notok "$1" "rc=$rc $err"; fi
}
(trap '' XFSZ; ulimit -f 8; script_keeps "file-size limit: a script's output fails, the old file stays" "$L")
(trap '' XFSZ; ulimit -f 8; report_fails "file-size limit: a report fails whole" "$L")

# --- a full file system: a 64 KiB tmpfs when mounting works here, else a size
# limit again (CI containers often cannot mount)
M=$T/tiny; mkdir -p "$M"
if mount -t tmpfs -o size=64k tmpfs "$M" 2>/dev/null; then
	trap 'umount "$M" 2>/dev/null; rm -rf "$T"' EXIT
	full() { "$@"; }
	echo old >"$M/c.png"; echo old >"$M/c.pdf"; echo old >"$M/c.svg"; echo old >"$M/note.txt"
	head -c 200000 /dev/zero >"$M/fill" 2>/dev/null
else
	full() { (trap '' XFSZ; ulimit -f 8; "$@"); }
	echo old >"$M/c.png"; echo old >"$M/c.pdf"; echo old >"$M/c.svg"; echo old >"$M/note.txt"
fi
for ext in png pdf svg; do
	full fail_keeps "full disk: a .$ext chart fails, the old file stays" "$M/c.$ext" \
		chart bar --by countries "$D" -o "$M/c.$ext"
done
full script_keeps "full disk: a script's output fails, the old file stays" "$M"
full report_fails "full disk: a report fails whole, no report.pdf" "$M"

# --- a directory that cannot be written: read-only for an unprivileged user; root
# writes anywhere, so as root a read-only tmpfs when mounting works
R=$T/ro; mkdir -p "$R"; echo old >"$R/c.png"
if [ "$(id -u)" -ne 0 ]; then chmod 555 "$R"; ro=1
elif mount -t tmpfs -o size=64k tmpfs "$R" 2>/dev/null; then
	echo old >"$R/c.png"; mount -o remount,ro "$R" && ro=1 || ro=0
	trap 'umount "$M" 2>/dev/null; umount "$R" 2>/dev/null; rm -rf "$T"' EXIT
else ro=0
fi
if [ "$ro" -eq 1 ]; then
	run chart bar --by countries "$D" -o "$R/c.png"
	if [ "$rc" -eq 2 ] && printf '%s' "$err" | grep -qE 'c.png: cannot write: (Permission denied|Read-only file system)' &&
	   [ "$(cat "$R/c.png")" = old ]; then ok "unwritable directory: the chart fails, the old file stays"
	else notok "unwritable directory: the chart fails, the old file stays" "rc=$rc $err"; fi
	run run scripts/quarterly.lua --data "$Q" --quarter 2023Q2 --out "$R/rep"
	if [ "$rc" -ne 0 ] && printf '%s' "$err" | grep -qE 'Permission denied|Read-only file system' && [ ! -e "$R/rep" ]; then
		ok "unwritable directory: a report fails with the reason"
	else notok "unwritable directory: a report fails with the reason" "rc=$rc $err"; fi
else
	# no way to make one here: /proc refuses new files to everyone
	expect_fail "unwritable directory: the chart fails" 2 "cannot create its directory" \
		chart bar --by countries "$D" -o /proc/tally-nope/c.png
	expect_fail "unwritable directory: a report fails" 3 "cannot" \
		run scripts/quarterly.lua --data "$Q" --quarter 2023Q2 --out /proc/tally-nope
fi

# --- kill -9 at random points during a report: every file is the old one or the
# new one, whole; the next run removes the temporaries the killed ones left ----
NEW=$T/new
run run scripts/quarterly.lua --data "$Q" --quarter 2023Q2 --out "$NEW"
[ "$rc" -eq 0 ] && ok "kill -9: the reference report" || notok "kill -9: the reference report" "rc=$rc $err"
K=$T/killed
(cd "$NEW" && find . -type d) | while read -r d; do mkdir -p "$K/$d"; done
(cd "$NEW" && find . -type f) | while read -r f; do echo old >"$K/$f"; done
bad=""
# (no leak check in the killed runs: the sanitizer build's report takes about
# 0.6 s, so a kill can land in the exit-time check, whose tracer then reports the
# threads it lost, "Unable to get registers from thread N")
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		"$TALLY" run scripts/quarterly.lua --data "$Q" --quarter 2023Q2 --out "$K" >/dev/null 2>&1 &
	pid=$!
	sleep "0.$(awk -v s="$i$$" 'BEGIN { srand(s); printf "%03d", rand() * 600 }')"
	kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
	for f in $(cd "$K" && find . -type f ! -name '.*'); do
		[ "$(cat "$K/$f")" = old ] || cmp -s "$K/$f" "$NEW/$f" || bad="$bad $i:$f"
	done
done
[ -z "$bad" ] && ok "kill -9: every file is the old or the new one, never partial" || notok "kill -9: partial files" "$bad"
run run scripts/quarterly.lua --data "$Q" --quarter 2023Q2 --out "$K"
if [ "$rc" -eq 0 ] && [ "$(temps "$K")" -eq 0 ] && diff -r "$K" "$NEW" >/dev/null; then
	ok "kill -9: the next run cleans the temporaries up and writes the report"
else notok "kill -9: the next run cleans up" "rc=$rc temps=$(temps "$K")"; fi
# a temporary of a live process is not touched
sleep 30 & live=$!
touch "$K/.report.pdf.tally-$live-1.tmp"
run run scripts/quarterly.lua --data "$Q" --quarter 2023Q2 --out "$K"
[ -e "$K/.report.pdf.tally-$live-1.tmp" ] && ok "a live process's temporary is left alone" || notok "a live process's temporary is left alone"
kill "$live"; wait "$live" 2>/dev/null || true

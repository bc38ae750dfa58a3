# tally.1 is kept in step with the option table: every option a command's --help
# lists is in the man page under that command, and the page names no option that
# no command takes.
# checks: 8
. tests/lib.sh
MAN=tally.1
for cmd in count check chart run eval plugins import; do
	# the section of the page from ".SS cmd" to the next .SS or .SH
	sect=$(awk -v c="$cmd" '$0 == ".SS " c {on = 1; next} /^\.S[SH] / {on = 0} on' "$MAN" | sed 's/\\-/-/g')
	run "$cmd" --help
	missing=""
	for o in $(printf '%s\n' "$out" | sed -n 's/^  \(--[a-z][a-z-]*\).*/\1/p'); do
		printf '%s\n' "$sect" | grep -q -- "^\.B $o\( \|,\|$\)" || missing="$missing $o"
	done
	[ "$rc" -eq 0 ] && [ -n "$sect" ] && [ -z "$missing" ] && ok "tally.1 lists every option of tally $cmd --help" ||
		notok "tally.1 and tally $cmd --help" "rc=$rc; not in the page:${missing:- (no section)}"
done
all=$(for cmd in count check chart run eval plugins import; do "$TALLY" "$cmd" --help; done | sed -n 's/^  \(--[a-z][a-z-]*\).*/\1/p' | sort -u)
extra=""
for o in $(sed 's/\\-/-/g' "$MAN" | sed -n 's/^\.B \(--[a-z][a-z-]*\).*/\1/p' | sort -u); do
	printf '%s\n' "$all" | grep -qx -- "$o" || extra="$extra $o"
done
[ -z "$extra" ] && ok "tally.1 names no option that no command takes" || notok "tally.1 has options no command takes:$extra"

# The bash completion: commands, a command's options from its --help, field names
# of the file on the line, plugin names.
# checks: 4
. tests/lib.sh
complete_words() {   # complete_words WORD...: what completing the last word offers
	PATH="$(dirname "$TALLY"):$PATH" bash -c '. completions/tally.bash
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _tally; printf "%s\n" "${COMPREPLY[@]}"' tally "$@"
}
D=data/cica-digest-2023q2.csv
out=$(complete_words tally co)
[ "$out" = "count" ] && ok "completion: commands" || notok "completion: commands" "$out"
out=$(complete_words tally count --wh)
[ "$out" = "--where" ] && ok "completion: a command's options, from its --help" || notok "completion: options" "$out"
out=$(complete_words tally count "$D" --by dim)
[ "$out" = "dimension" ] && ok "completion: --by offers the file's fields" || notok "completion: fields" "$out"
out=$(complete_words tally run by-d)
printf '%s\n' "$out" | grep -qx by-dimension && ok "completion: run offers plugin names" || notok "completion: plugins" "$out"

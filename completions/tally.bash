# bash completion for tally: commands, each command's options (asked of
# `tally CMD --help`, so they follow the option table), plugin names after `run`,
# field names of the file on the line after --by and --where, chart types.
_tally_fields()
{
	local w f
	for w in "${COMP_WORDS[@]:2}"; do
		case $w in *.csv|*.tsv) [ -f "$w" ] && f=$w ;; esac
	done
	[ -n "$f" ] || return
	tally check "$f" 2>/dev/null | awk 'p && NF {print $1} /^field /{p = 1}'
	printf '%s\n' month quarter year
}

_tally()
{
	local cur prev cmd
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	if [ "$COMP_CWORD" -eq 1 ]; then
		COMPREPLY=($(compgen -W "count check chart run eval plugins import --help --version" -- "$cur"))
		return
	fi
	cmd=${COMP_WORDS[1]}
	case $prev in
	--by)
		local IFS=$'\n'
		COMPREPLY=($(compgen -W "$(_tally_fields)" -- "${cur##*,}"))
		[ "$cur" != "${cur##*,}" ] && COMPREPLY=("${COMPREPLY[@]/#/${cur%,*},}")
		return ;;
	--where)
		local IFS=$'\n'
		COMPREPLY=($(compgen -S = -W "$(_tally_fields)" -- "$cur"))
		compopt -o nospace 2>/dev/null
		return ;;
	--format) COMPREPLY=($(compgen -W "table csv json" -- "$cur")); return ;;
	--country-codes) COMPREPLY=($(compgen -W "name iso2 iso3 fips raw" -- "$cur")); return ;;
	-o|--output|--out|--data|--merge|--allow-read) COMPREPLY=($(compgen -f -- "$cur")); return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(tally "$cmd" --help 2>/dev/null | sed -n 's/^  \(--[a-z][a-z-]*\)\(, \(-[a-z]\)\)\{0,1\}.*/\1 \3/p')" -- "$cur"))
		return
	fi
	if [ "$cmd" = run ] && [ "$COMP_CWORD" -eq 2 ]; then
		COMPREPLY=($(compgen -W "$(tally plugins 2>/dev/null | awk '{print $1}')" -- "$cur") $(compgen -f -X '!*.lua' -- "$cur"))
		return
	fi
	if [ "$cmd" = chart ] && [ "$COMP_CWORD" -eq 2 ]; then
		COMPREPLY=($(compgen -W "bar line donut heatmap table" -- "$cur"))
		return
	fi
	COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -F _tally tally

# --help says what the options do; this suite holds every command to it. The
# table below names, for each command, each option with a check that runs it for
# real and looks at its effect (a value, a file, an exit status). The options a
# command's --help lists (it is written from the option table) must be exactly
# the options the table gives for it: a new option without a behaviour check here
# fails the suite, and so does a check for an option --help no longer lists.
# checks: 111
. tests/lib.sh
D=data/cica-digest-2023q2.csv
H=$FIX/compare-2023h1.csv
I=$FIX/import

# command option check: the check is a function called as CHECK CMD OPT
TABLE='
count --by by
count --where where
count --from from
count --to to
count --quarter quarter
count --allow-empty allow_empty
count --format count_format
count --sort count_sort
count --top count_top
count --help help
count --map l_map
count --date-format l_date_format
count --na l_na
count --country-codes l_country_codes
count --skip-bad l_skip_bad
count --no-cache l_no_cache
count --threads l_threads
count --max-memory l_max_memory
check --help help
check --map l_map
check --date-format l_date_format
check --na l_na
check --country-codes l_country_codes
check --skip-bad l_skip_bad
check --no-cache l_no_cache
check --threads l_threads
check --max-memory l_max_memory
chart --by by
chart --where where
chart --from from
chart --to to
chart --quarter quarter
chart --allow-empty allow_empty
chart --sort chart_sort
chart --top chart_top
chart --output chart_output
chart --title chart_text
chart --subtitle chart_text
chart --source chart_text
chart --horizontal chart_orientation
chart --vertical chart_orientation
chart --stacked chart_stacked
chart --scale chart_scale
chart --size chart_size
chart --font chart_font
chart --no-values chart_no_values
chart --lang chart_lang
chart --help help
chart --map l_map
chart --date-format l_date_format
chart --na l_na
chart --country-codes l_country_codes
chart --skip-bad l_skip_bad
chart --no-cache l_no_cache
chart --threads l_threads
chart --max-memory l_max_memory
run --where where
run --from from
run --to to
run --quarter quarter
run --allow-empty allow_empty
run --lang lua_lang
run --data lua_data
run --out lua_out
run --unsafe lua_unsafe
run --timeout lua_timeout
run --max-memory lua_max_memory
run --allow-read lua_allow_read
run --help help
run --map l_map
run --date-format l_date_format
run --na l_na
run --country-codes l_country_codes
run --skip-bad l_skip_bad
run --no-cache l_no_cache
run --threads l_threads
eval --where where
eval --from from
eval --to to
eval --quarter quarter
eval --allow-empty allow_empty
eval --lang lua_lang
eval --data lua_data
eval --out lua_out
eval --unsafe lua_unsafe
eval --timeout lua_timeout
eval --max-memory lua_max_memory
eval --allow-read lua_allow_read
eval --help help
eval --map l_map
eval --date-format l_date_format
eval --na l_na
eval --country-codes l_country_codes
eval --skip-bad l_skip_bad
eval --no-cache l_no_cache
eval --threads l_threads
plugins --help help
import --output import_output
import --as import_as
import --issue import_issue
import --merge import_merge
import --threshold import_threshold
import --plugin import_plugin
import --help help
'
CMDS="count check chart run eval plugins import"

# ------------------------------------------------------------ the observations

# obs CMD FILE FIELD [ARGS...]: what CMD shows of FIELD in FILE, in $out (rc in $rc):
# count's table; the chart's text (a PDF through pdftotext -layout); the table a
# script or eval prints of tally.data():count(FIELD); check's line for FIELD.
cat >"$T/by.lua" <<'EOF'
local tally = require "tally"
tally.data():count(arg[1]):print()
EOF
obs() {
	cmd=$1 file=$2 field=$3; shift 3
	case $cmd in
	count) run count --by "$field" "$@" "$file" ;;
	chart)
		rm -f "$T/o.pdf"
		run chart bar --by "$field" "$@" "$file" -o "$T/o.pdf"
		[ "$rc" -eq 0 ] && out=$(pdftotext -layout "$T/o.pdf" - 2>/dev/null) ;;
	run) run run "$T/by.lua" --data "$file" "$@" -- "$field" ;;
	eval) run eval "ds:count('$field')" --data "$file" "$@" ;;
	check)
		run check "$@" "$file"
		[ "$rc" -eq 0 ] && out=$(printf '%s\n' "$out" | awk -v f="$field" '$1 == f') ;;
	esac
}
# has WORD: the observation shows WORD (a whole word)
has() { printf '%s\n' "$out" | grep -qw -- "$1"; }
# n_items: the total a count or chart reports ("36 items")
n_items() { printf '%s\n' "$out" | sed -n 's/^\([0-9][0-9]*\) items\{0,1\}[;,].*/\1/p' | head -1; }
# count_of FILE ARGS...: the total tally count keeps
count_of() { "$TALLY" count --by dimension "$@" | sed -n 's/^\([0-9][0-9]*\) items\{0,1\}[;,].*/\1/p'; }
# total CMD FILE ARGS...: the number of records CMD keeps with ARGS, in $n
total() {
	cmd=$1 file=$2; shift 2
	case $cmd in
	count) run count --by dimension "$@" "$file"; n=$(n_items) ;;
	chart)
		# the rows of a table chart of the dimensions, added up
		run chart table --by dimension "$@" "$file" -o "$T/t.pdf"
		n=""
		[ "$rc" -eq 0 ] && n=$(pdftotext -layout "$T/t.pdf" - |
			awk 'NF >= 3 && $1 != "All" && $(NF - 1) ~ /^[0-9]+$/ && $NF ~ /^[0-9.]+%$/ {s += $(NF - 1)} END {print s + 0}') ;;
	run|eval) run eval '#ds' --data "$file" "$@"; n=$out ;;
	esac
}
# png_size FILE: "W x H" from the PNG header
png_size() { od -An -tu1 -j16 -N8 "$1" | awk '{print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 " x " $5 * 16777216 + $6 * 65536 + $7 * 256 + $8}'; }
# pass NAME COND-RESULT DETAIL: prints the check line
pass() { if [ "$2" -eq 0 ]; then ok "$1"; else notok "$1" "$3"; fi; }

# ------------------------------------------------------------ the checks

help() {
	run "$1" --help
	first=$(printf '%s\n' "$out" | head -1)
	case $first in "usage: tally $1"*) r=0 ;; *) r=1 ;; esac
	[ "$rc" -eq 0 ] && [ -z "$err" ] || r=1
	pass "$1 --help prints the usage on stdout, status 0" $r "rc=$rc first line: $first"
}

by() {
	obs "$1" "$D" dimension
	if [ "$1" = chart ]; then has Institutional && has Human && has Military-political   # display labels
	else has institutional && has human && has military-political; fi; r=$?
	case $1 in count) printf '%s\n' "$out" | grep -Eq '^institutional +14 ' || r=1 ;; esac
	pass "$1 --by dimension shows each dimension" $r "rc=$rc $out"
}

# the filters: the records kept equal count's, and the filter keeps some out
where() {
	want=$(count_of "$D" --where dimension=human --where countries=Kazakhstan)
	total "$1" "$D" --where dimension=human --where countries=Kazakhstan
	[ "$n" = "$want" ] && [ "$want" -gt 0 ] && [ "$want" -lt 36 ]
	pass "$1 --where keeps the records count --where keeps ($want)" $? "rc=$rc got '$n' $err"
}
from() {
	# a record counts from its whole date: 2023-05-01 on keeps May and June
	want=$(( $("$TALLY" count --by month "$D" | awk '$1 == "2023-05" || $1 == "2023-06" {s += $2} END {print s}') ))
	total "$1" "$D" --from 2023-05-01
	[ "$n" = "$want" ] && [ "$want" -gt 0 ]
	pass "$1 --from keeps records whose whole date is on or after it ($want)" $? "rc=$rc got '$n' $err"
}
to() {
	want=$("$TALLY" count --by month "$D" | awk '$1 == "2023-04" {print $2}')
	total "$1" "$D" --to 2023-04-30
	[ "$n" = "$want" ] && [ "$want" -gt 0 ]
	pass "$1 --to keeps records whose whole date is on or before it ($want)" $? "rc=$rc got '$n' $err"
}
quarter() {
	want=$("$TALLY" count --by quarter "$H" | awk '$1 == "2023-Q1" {print $2}')
	total "$1" "$H" --quarter 2023Q1
	[ "$n" = "$want" ] && [ "$want" -gt 0 ] && [ "$want" -lt 13 ]
	pass "$1 --quarter keeps one quarter ($want of 13)" $? "rc=$rc got '$n' $err"
}
allow_empty() {
	case $1 in
	chart) a="--quarter 2023Q1" ;;
	*) a="--where event_type=xyz" ;;
	esac
	total "$1" "$D" $a; rc1=$rc
	total "$1" "$D" $a --allow-empty
	[ "$rc1" -eq 1 ] && [ "$rc" -eq 0 ] && { [ "$1" = chart ] || [ "$n" = 0 ]; }
	pass "$1 --allow-empty: a filter no record matches is 0, not an error (without: status $rc1)" $? "rc=$rc n=$n $err"
}

count_format() {
	run count --by dimension --format csv "$D"; csv=$out
	run count --by dimension --format json "$D"
	printf '%s\n' "$csv" | sed -n 1p | grep -q '^dimension,' && printf '%s\n' "$csv" | grep -qx 'institutional,14' &&
		printf '%s\n' "$out" | grep -q '^\[{"dimension": "institutional", "count": 14},$' && printf '%s\n' "$out" | tail -1 | grep -q '}]$'
	pass "count --format csv and json write the counts (institutional,14)" $? "$csv $out"
}
count_sort() {
	run count --by dimension --sort key "$D"
	first=$(printf '%s\n' "$out" | sed -n 2p | awk '{print $1}')
	[ "$first" = economic ]
	pass "count --sort key puts the keys in order (economic first)" $? "$out"
}
count_top() {
	run count --by dimension --top 2 "$D"
	printf '%s\n' "$out" | grep -Eq '^Other \(4 values\) +13 '
	pass "count --top 2 folds the other 4 values (13 items) into Other" $? "$out"
}

chart_sort() {
	# vertical bars: the labels on one line, left to right
	obs chart "$D" format --vertical --sort label
	line=$(printf '%s\n' "$out" | grep -w Online | head -1)
	obs chart "$D" format --vertical --sort desc
	line2=$(printf '%s\n' "$out" | grep -w Online | head -1)
	# the labels, split where two spaces or more part them
	labels() { printf '%s\n' "$1" | sed 's/^ *//; s/ *$//' | awk -F '  +' '{for (i = 1; i <= NF; i++) print $i}'; }
	a=$(labels "$line" | tr '\n' '|') b=$(labels "$line2" | tr '\n' '|')
	[ "$a" != "$b" ] && [ "$(labels "$line" | LC_ALL=C sort | tr '\n' '|')" = "$a" ]
	pass "chart --sort label orders the bars by label (desc: by value)" $? "label: $line / desc: $line2"
}
chart_top() {
	obs chart "$D" dimension --top 2
	has Other && has Institutional && ! has Environmental
	pass "chart --top 2 draws two bars and Other" $? "$out"
}
chart_output() {
	for e in svg pdf png; do rm -f "$T/c.$e"; "$TALLY" chart bar --by dimension "$D" --output "$T/c.$e" 2>/dev/null; done
	head -c 200 "$T/c.svg" | grep -q '<svg' && head -c 5 "$T/c.pdf" | grep -q '%PDF' && [ "$(png_size "$T/c.png")" = "1200 x 675" ]
	pass "chart --output writes the format its extension names (.svg, .pdf, .png 1200x675)" $? "$(png_size "$T/c.png")"
}
chart_text() {
	w=$(printf '%s' "$2" | sed 's/^--//')
	obs chart "$D" dimension "$2" "Text of the $w"
	has "$w" && printf '%s\n' "$out" | grep -q "Text of the $w"
	pass "chart $2 T draws T" $? "$out"
}
chart_orientation() {
	# horizontal bars: a label per line; vertical: the labels side by side
	obs chart "$D" format "$2"
	lines=$(printf '%s\n' "$out" | grep -Ec '(^| )(In person|Online|Hybrid)( |$)')
	if [ "$2" = --horizontal ]; then [ "$lines" -ge 2 ]; else [ "$lines" -eq 1 ]; fi
	pass "chart $2 lays the bars out so ($lines lines of labels)" $? "$out"
}
chart_stacked() {
	# stacked, institutional's bar carries its total (14); grouped, no bar is 14
	obs chart "$D" dimension,format --stacked; stacked=$out
	obs chart "$D" dimension,format
	printf '%s\n' "$stacked" | grep -qw 14 && ! has 14 && has 11
	pass "chart --stacked stacks the series of a two-field chart (a total of 14)" $? "$stacked"
}
chart_scale() {
	"$TALLY" chart bar --by dimension "$D" --scale 2 -o "$T/s.png"
	[ "$(png_size "$T/s.png")" = "2400 x 1350" ]
	pass "chart --scale 2 draws 2400x1350 pixels" $? "$(png_size "$T/s.png")"
}
chart_size() {
	"$TALLY" chart bar --by dimension "$D" --size a4 -o "$T/a4.pdf" && "$TALLY" chart bar --by dimension "$D" --size 300x200 -o "$T/p.pdf"
	pdfinfo "$T/a4.pdf" | grep -Eq 'Page size: +841\.[0-9]+ x 595\.[0-9]+' && pdfinfo "$T/p.pdf" | grep -Eq 'Page size: +300 x 200 pts'
	pass "chart --size a4 and WxH set the page (842x595, 300x200 points)" $? "$(pdfinfo "$T/a4.pdf" | grep 'Page size')"
}
chart_font() {
	"$TALLY" chart bar --by dimension "$D" --font "DejaVu Serif" -o "$T/f.pdf"
	pdffonts "$T/f.pdf" | grep -q 'DejaVuSerif' && ! pdffonts "$T/f.pdf" | grep -q 'DejaVuSans '
	pass "chart --font draws in that family" $? "$(pdffonts "$T/f.pdf")"
}
chart_no_values() {
	obs chart "$D" dimension --vertical; with=$out
	obs chart "$D" dimension --vertical --no-values
	printf '%s\n' "$with" | grep -qw 14 && ! has 14
	pass "chart --no-values leaves out the value labels (14)" $? "$out"
}
chart_lang() {
	obs chart "$D" countries --top 2 --lang ru
	has Прочие && ! has Other
	pass "chart --lang ru writes its words in Russian (Прочие for Other)" $? "$out"
}

# lua CMD EXPR ARGS...: eval EXPR, or run a script printing it; $out, $err, $rc
lua() {
	cmd=$1 expr=$2; shift 2
	if [ "$cmd" = run ]; then
		printf 'print(%s)\n' "$expr" >"$T/expr.lua"
		run run "$T/expr.lua" "$@"
	else
		run eval "$expr" "$@"
	fi
}
lua_lang() {
	lua "$1" 'tally.lang() .. " " .. tally.date("2023-04-05"):format("%d %B")' --lang ru
	[ "$out" = "ru 05 апреля" ]
	pass "$1 --lang ru: tally.lang() and month names" $? "rc=$rc $out $err"
}
lua_data() {
	lua "$1" '#tally.data(1) .. " " .. #tally.data(2)' --data "$D" "$H"
	[ "$out" = "36 13" ]
	pass "$1 --data FILE FILE: tally.data(1), tally.data(2)" $? "rc=$rc $out $err"
}
lua_out() {
	rm -rf "$T/out-$1"
	lua "$1" 'assert(io.open(tally.args.out .. "/x.txt", "w")):write("written") and "done"' --out "$T/out-$1"
	[ "$rc" -eq 0 ] && [ "$(cat "$T/out-$1/x.txt" 2>/dev/null)" = written ]
	pass "$1 --out DIR: the script writes under DIR" $? "rc=$rc $err"
}
lua_unsafe() {
	lua "$1" 'os.execute("true")'; rc1=$rc
	lua "$1" 'os.execute("true")' --unsafe
	[ "$rc1" -eq 3 ] && [ "$rc" -eq 0 ]
	pass "$1 --unsafe lifts the sandbox (os.execute: status $rc1 without)" $? "rc=$rc $err"
}
lua_timeout() {
	lua "$1" '(function() while true do end end)()' --timeout 0.5
	[ "$rc" -eq 3 ] && printf '%s' "$err" | grep -q 'time limit'
	pass "$1 --timeout stops a script that runs longer" $? "rc=$rc $err"
}
lua_max_memory() {
	lua "$1" '#string.rep("x", 64 << 20)' --max-memory 16M; rc1=$rc e1=$err
	lua "$1" '#string.rep("x", 64 << 20)' --max-memory 256M
	[ "$rc1" -eq 3 ] && printf '%s' "$e1" | grep -q 'memory limit exceeded (--max-memory 16M)' && [ "$rc" -eq 0 ]
	pass "$1 --max-memory caps the script's memory" $? "rc=$rc1/$rc $e1"
}
lua_allow_read() {
	mkdir -p "$T/readable"; echo secret >"$T/readable/f.txt"
	code='assert(io.open("'"$T"'/readable/f.txt")):read("l")'
	lua "$1" "$code"; rc1=$rc
	lua "$1" "$code" --allow-read "$T/readable"
	[ "$rc1" -ne 0 ] && [ "$out" = secret ]
	pass "$1 --allow-read DIR lets the script read under DIR (status $rc1 without)" $? "rc=$rc $out $err"
}

# ------------------------------------------------------------ loading options

printf 'id,place,kind\n1,Turkey,a\n2,Kazakhstan,b\n3,Turkey,a\n' >"$T/map.csv"
l_map() {
	obs "$1" "$T/map.csv" place; before=$out
	obs "$1" "$T/map.csv" place --map country=place
	if [ "$1" = check ]; then printf '%s\n' "$out" | grep -qw country && ! printf '%s\n' "$before" | grep -qw country
	else has Türkiye && ! has Turkey && printf '%s\n' "$before" | grep -qw Turkey; fi
	pass "$1 --map country=place reads place as countries" $? "rc=$rc $out $err"
}
printf 'id,date,kind\n1,05.04.2023,a\n2,10.05.2023,b\n' >"$T/df.csv"
l_date_format() {
	obs "$1" "$T/df.csv" kind; rc1=$rc
	case $1 in check) f=date ;; *) f=month ;; esac
	obs "$1" "$T/df.csv" $f --date-format %d.%m.%Y
	case $1 in
	check) printf '%s\n' "$out" | grep -Eq '^date +date ' ;;
	chart) has Apr && has May ;;
	*) has 2023-04 && has 2023-05 ;;
	esac
	r=$?
	[ "$rc1" -eq 2 ] || r=1
	pass "$1 --date-format %d.%m.%Y reads 05.04.2023 (without: status $rc1)" $r "rc=$rc $out $err"
}
l_na() {
	obs "$1" "$FIX/na-tokens.csv" country; before=$out
	obs "$1" "$FIX/na-tokens.csv" country --na NA
	if [ "$1" = check ]; then
		[ "$(printf '%s\n' "$before" | awk '{print $(NF-1), $NF}')" = "3 0" ] && [ "$(printf '%s\n' "$out" | awk '{print $(NF-1), $NF}')" = "2 1" ]
	else printf '%s\n' "$before" | grep -qw NA && ! has NA && has NI; fi
	pass "$1 --na NA reads NA as missing" $? "rc=$rc $before / $out"
}
printf 'id,countries,kind\n1,KZ,a\n2,TR,b\n3,KZ,a\n' >"$T/cc.csv"
l_country_codes() {
	obs "$1" "$T/cc.csv" countries; rc1=$rc
	obs "$1" "$T/cc.csv" countries --country-codes iso2
	if [ "$1" = check ]; then printf '%s\n' "$out" | grep -qw country
	else has Kazakhstan && has Türkiye; fi
	r=$?
	[ "$rc1" -eq 2 ] || r=1
	pass "$1 --country-codes iso2 reads KZ as Kazakhstan (without: status $rc1)" $r "rc=$rc $out $err"
}
l_skip_bad() {
	obs "$1" "$FIX/bad-dimension.csv" dimension; rc1=$rc
	obs "$1" "$FIX/bad-dimension.csv" dimension --skip-bad
	[ "$rc1" -eq 2 ] && [ "$rc" -eq 0 ] && printf '%s' "$err" | grep -q 'bad-dimension.csv:3'
	pass "$1 --skip-bad skips the bad row, reported on stderr (without: status $rc1)" $? "rc=$rc $err"
}
l_no_cache() {
	# a file at least TALLY_CACHE_MIN bytes is cached unless --no-cache
	c=$T/cache-$1
	rm -rf "$c"
	TALLY_CACHE_DIR=$c TALLY_CACHE_MIN=0 obs "$1" "$D" dimension --no-cache
	n1=$(find "$c" -type f 2>/dev/null | wc -l)
	TALLY_CACHE_DIR=$c TALLY_CACHE_MIN=0 obs "$1" "$D" dimension
	n2=$(find "$c" -type f 2>/dev/null | wc -l)
	[ "$n1" -eq 0 ] && [ "$n2" -gt 0 ]
	pass "$1 --no-cache neither writes nor reads the cache ($n1 files with it, $n2 without)" $? "rc=$rc $err"
}
l_threads() {
	obs "$1" "$D" dimension; before=$out
	obs "$1" "$D" dimension --threads 1; one=$out rc1=$rc
	obs "$1" "$D" dimension --threads 0
	[ "$rc1" -eq 0 ] && [ "$one" = "$before" ] && [ "$rc" -eq 1 ] && printf '%s' "$err" | grep -q 'threads'
	pass "$1 --threads 1 parses to the same result; --threads 0 is a usage error" $? "rc=$rc1/$rc $err"
}
l_max_memory() {
	obs "$1" "$D" dimension; before=$out
	obs "$1" "$D" dimension --max-memory 64M; big=$out rc1=$rc
	# one byte: even the one column a count reads from the cache does not fit
	obs "$1" "$D" dimension --max-memory 1
	[ "$rc1" -eq 0 ] && [ "$big" = "$before" ] && [ "$rc" -eq 2 ] &&
		printf '%s' "$err" | grep -q 'memory limit exceeded while loading (--max-memory 1)'
	pass "$1 --max-memory 64M loads the digest as without; 1 byte stops the load (status $rc)" $? "rc=$rc1/$rc $err"
}

# ------------------------------------------------------------ import

import_output() {
	rm -f "$T/d.csv" "$T/d.review.csv"
	run import "$I/digest.txt" --output "$T/d.csv"
	[ "$rc" -eq 0 ] && head -1 "$T/d.csv" | grep -q '^id,date,' && [ -s "$T/d.review.csv" ] && "$TALLY" check "$T/d.csv" >/dev/null
	pass "import --output writes the draft and its review file" $? "rc=$rc $err"
}
rows() { tail -n +2 "$1" | wc -l; }
import_as() {
	run import "$I/release-mongolia.txt" --as release -o "$T/r.csv"; r1=$rc n1=$(rows "$T/r.csv")
	run import "$I/digest.txt" --as digest -o "$T/g.csv"; n2=$(rows "$T/g.csv")
	run import "$I/digest.txt" -o "$T/g2.csv"
	[ "$r1" -eq 0 ] && [ "$n1" -eq 1 ] && [ "$n2" -gt 1 ] && cmp -s "$T/g.csv" "$T/g2.csv"
	pass "import --as release makes one item of a file, --as digest many ($n2)" $? "rc=$rc $n1 $n2 $err"
}
import_issue() {
	run import "$I/digest.txt" --issue 2031Q1 -o "$T/i.csv"
	ids=$(cut -d, -f1 "$T/i.csv" | tail -n +2)
	[ "$rc" -eq 0 ] && [ -n "$ids" ] && ! printf '%s\n' "$ids" | grep -vq '^2031Q1-'
	pass "import --issue 2031Q1 numbers the items 2031Q1-NNN" $? "rc=$rc $ids"
}
import_merge() {
	run import "$I/digest.txt" -o "$T/m.csv"
	id=$(sed -n 2p "$T/m.csv" | cut -d, -f1)
	awk -F, -v id="$id" 'BEGIN{OFS=","} $1 == id {$4 = "environmental"} {print}' "$T/m.csv" >"$T/rev.csv"
	cp "$T/m.review.csv" "$T/rev.review.csv"
	run import "$I/digest.txt" -o "$T/m2.csv" --merge "$T/rev.csv"
	[ "$rc" -eq 0 ] && [ "$(awk -F, -v id="$id" '$1 == id {print $4}' "$T/m2.csv")" = environmental ]
	pass "import --merge keeps a cell a person changed" $? "rc=$rc $err"
}
import_threshold() {
	run import "$I/digest.txt" -o "$T/t1.csv"; n1=$(printf '%s\n' "$err" | grep -c '] to review:')
	run import "$I/digest.txt" -o "$T/t2.csv" --threshold 0
	n2=$(printf '%s\n' "$err" | grep -c '] to review:')
	[ "$n1" -gt 0 ] && [ "$n2" -eq 0 ]
	pass "import --threshold 0 leaves nothing to review ($n1 lines at the default)" $? "rc=$rc $n1 $n2"
}
import_plugin() {
	mkdir -p "$T/plug"
	cat >"$T/plug/one-line.lua" <<'EOF'
return {
	name = "one-line", kind = "importer", description = "a test importer",
	run = function(ctx, args)
		local f = assert(io.open(args.output, "w"))
		f:write("id,title\n1,", #args, " files\n")
		f:close()
	end,
}
EOF
	TALLY_PLUGIN_PATH=$T/plug "$TALLY" import "$I/digest.txt" --plugin one-line -o "$T/p.csv" 2>"$T/perr"; rc=$?
	[ "$rc" -eq 0 ] && [ "$(sed -n 2p "$T/p.csv" 2>/dev/null)" = "1,1 files" ]
	pass "import --plugin NAME imports with that plugin" $? "rc=$rc $(cat "$T/perr")"
}

# ------------------------------------------------------------ the table against --help

for cmd in $CMDS; do
	listed=$("$TALLY" "$cmd" --help | sed -n 's/^  \(--[a-z][a-z-]*\).*/\1/p' | sort -u | tr '\n' ' ')
	tested=$(printf '%s\n' "$TABLE" | awk -v c="$cmd" '$1 == c {print $2}' | sort -u | tr '\n' ' ')
	[ -n "$listed" ] && [ "$listed" = "$tested" ]
	pass "tally $cmd --help lists exactly the options this suite exercises" $? "--help: $listed; tested: $tested"
done
printf '%s\n' "$TABLE" | while read -r cmd opt check; do
	[ -z "$cmd" ] || "$check" "$cmd" "$opt"
done

# Command-line tests of tally chart: every type on the bundled data, long labels
# checks: 66
# and right-to-left labels; PNG size, PDF text and fonts, identical bytes twice.
. tests/lib.sh
D=data/cica-digest-2023q2.csv

# png_size FILE: "WIDTHxHEIGHT" from the IHDR chunk
png_size() {
	set -- $(od -An -tu1 -j16 -N8 "$1")
	echo "$(( ($1 << 24) + ($2 << 16) + ($3 << 8) + $4 ))x$(( ($5 << 24) + ($6 << 16) + ($7 << 8) + $8 ))"
}

# temps DIR: how many hidden temporaries (".NAME.tally-PID-SEQ.tmp") DIR holds
temps() { ls -A "$1" | grep -c '^\..*\.tally-[0-9]*-[0-9]*\.tmp$'; }

# chart_ok NAME OUT ARGS...: exit 0, nothing on stdout, OUT written, no temporary left
chart_ok() {
	name=$1 o=$2; shift 2; run chart "$@" -o "$o"
	if [ "$rc" -eq 0 ] && [ -z "$out" ] && [ -s "$o" ] && [ "$(temps "$(dirname "$o")")" -eq 0 ]; then ok "$name"
	else notok "$name" "rc=$rc"; printf '  err: %s\n' "$err" | sed 's/^/# /'; fi
}

# pdf_has NAME FILE STRING...: pdftotext finds every string
pdf_has() {
	name=$1 f=$2; shift 2
	txt=$(pdftotext -q "$f" - 2>/dev/null); miss=""
	for s in "$@"; do printf '%s' "$txt" | grep -qF -- "$s" || miss="$miss '$s'"; done
	if [ -z "$miss" ]; then ok "$name"; else notok "$name" "missing$miss"; fi
}

# fonts_embedded NAME FILE: pdffonts lists fonts, every one embedded
fonts_embedded() {
	n=$(pdffonts "$2" 2>/dev/null | tail -n +3 | wc -l)
	bad=$(pdffonts "$2" 2>/dev/null | tail -n +3 | awk '{ if ($(NF-4) != "yes") print }' | wc -l)
	if [ "$n" -gt 0 ] && [ "$bad" -eq 0 ]; then ok "$1"; else notok "$1" "$n fonts, $bad not embedded"; fi
}

# twice NAME OUT ARGS...: two runs give byte-identical files
twice() {
	name=$1 o=$2; shift 2
	"$TALLY" chart "$@" -o "$T/a-$o" 2>/dev/null && "$TALLY" chart "$@" -o "$T/b-$o" 2>/dev/null \
		&& cmp -s "$T/a-$o" "$T/b-$o" && ok "$name" || notok "$name"
}

# --- every type on the bundled data, as PNG (1200x675) and PDF (text, fonts)
for spec in "bar:countries" "bar:dimension" "line:month" "donut:dimension" "heatmap:countries,month" \
            "table:countries" "bar:dimension,month" "line:month,dimension"; do
	type=${spec%%:*} by=${spec#*:} f=$(echo "$type-$by" | tr ',' '-')
	chart_ok "$type --by $by: png" "$T/$f.png" "$type" --by "$by" "$D"
	s=$(png_size "$T/$f.png")
	[ "$s" = 1200x675 ] && ok "$type --by $by: png is 1200x675" || notok "$type --by $by: png is 1200x675" "$s"
	chart_ok "$type --by $by: pdf" "$T/$f.pdf" "$type" --by "$by" "$D"
	fonts_embedded "$type --by $by: fonts embedded" "$T/$f.pdf"
done
pdf_has "bar: title, labels, values" "$T/bar-countries.pdf" "Records by country" Kazakhstan Türkiye 20 "Source: cica-digest-2023q2.csv"
pdf_has "line: months" "$T/line-month.pdf" "Apr 2023" "May 2023" "Jun 2023" 15
pdf_has "donut: slices and total" "$T/donut-dimension.pdf" Institutional Human Total 36
pdf_has "heatmap: rows and columns" "$T/heatmap-countries-month.pdf" Kazakhstan Uzbekistan "Apr 2023"
pdf_has "table: shares of the 36 items, not of the 39 mentions, and why they add up to more" "$T/table-countries.pdf" \
	Kazakhstan 20 "55.6%" "All items" 36 "An item may name several countries"
pdf_has "bar of a list field: an item may count under several bars" "$T/bar-countries.pdf" "An item may name several countries"
pdf_has "stacked months: the items dated only to the quarter are counted out loud" "$T/bar-dimension-month.pdf" \
	"7 items dated only to the quarter are in no month column"
pdf_has "grouped bars: legend" "$T/bar-dimension-month.pdf" "Apr 2023" "Jun 2023" Institutional

# --- options
chart_ok "svg output" "$T/c.svg" bar --by dimension "$D"
head -c 200 "$T/c.svg" | grep -q '<svg' && ok "svg is svg" || notok "svg is svg"
chart_ok "scale 2" "$T/c2.png" bar --by dimension --scale 2 "$D"
[ "$(png_size "$T/c2.png")" = 2400x1350 ] && ok "scale 2 gives 2400x1350" || notok "scale 2 gives 2400x1350" "$(png_size "$T/c2.png")"
chart_ok "titles" "$T/t.pdf" bar --by countries --top 5 --title "Activities by country" \
	--subtitle "Q2 2023" --source "Source: CICA Digest, Q2 2023" --sort desc "$D"
pdf_has "titles and Other" "$T/t.pdf" "Activities by country" "Q2 2023" "Source: CICA Digest, Q2 2023" "Other (11 values)"
chart_ok "stacked, quarter filter" "$T/s.png" bar --by dimension,month --stacked --quarter 2023Q2 "$D"
chart_ok "directories are created" "$T/sub/dir/c.png" donut --by dimension "$D"
chart_ok "font option" "$T/f.pdf" bar --by dimension --font "Noto Sans" "$D"
pdffonts "$T/f.pdf" 2>/dev/null | grep -q NotoSans && ok "font option is used" || notok "font option is used"

# --- long labels and right-to-left labels
printf 'name,n\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n' \
	'"Economic dimension: trade, investment and the CICA Business Council",1' \
	'"Human dimension: youth, volunteering and culture",1' 'القاهرة,1' 'الإمارات العربية المتحدة,1' \
	'Москва,1' '北京,1' 'İstanbul,1' > "$T/labels.csv"
chart_ok "long and rtl labels" "$T/labels.pdf" bar --by name "$T/labels.csv"
pdf_has "long and rtl labels: text" "$T/labels.pdf" "Москва" "北京" "İstanbul" "Economic dimension"
fonts_embedded "long and rtl labels: fonts embedded" "$T/labels.pdf"
chart_ok "long and rtl labels: png" "$T/labels.png" bar --by name "$T/labels.csv"

# --- determinism
twice "png byte-identical twice" c.png bar --by countries "$D"
twice "pdf byte-identical twice" c.pdf heatmap --by countries,month "$D"
twice "svg byte-identical twice" c.svg line --by month,dimension "$D"

# --- errors: usage 1, data 2; no output file left behind
run chart --help; [ "$rc" -eq 0 ] && echo "$out" | grep -q -- '--by' && ok "chart --help" || notok "chart --help"
expect_fail "no type" 1 "chart type is required" chart
expect_fail "unknown type" 1 "unknown chart type 'pie'" chart pie --by dimension "$D" -o "$T/x.png"
expect_fail "no --by" 1 "--by FIELD is required" chart bar "$D" -o "$T/x.png"
expect_fail "no -o" 1 "-o OUT is required" chart bar --by dimension "$D"
expect_fail "bad extension" 1 "use .png, .pdf or .svg" chart bar --by dimension "$D" -o "$T/x.gif"
expect_fail "unknown field" 1 "no field 'colour' \\(fields: id, date, title" chart bar --by colour "$D" -o "$T/x.png"
expect_fail "bad --scale" 1 "--scale takes" chart bar --by dimension --scale 0 "$D" -o "$T/x.png"
expect_fail "missing file" 2 "nope.csv: No such file or directory" chart bar --by dimension "$T/nope.csv" -o "$T/x.png"
expect_fail "unwritable output" 2 "cannot create its directory" chart bar --by dimension "$D" -o /proc/nope/x.png
# a directory where the file should go: the chart is drawn, the rename fails
mkdir -p "$T/isdir.png"
expect_fail "output path is a directory" 2 "isdir.png: cannot write: Is a directory" chart bar --by dimension "$D" -o "$T/isdir.png"
[ ! -e "$T/x.png" ] && [ "$(temps "$T")" -eq 0 ] && ok "nothing written on failure" || notok "nothing written on failure" "$(ls -A "$T")"

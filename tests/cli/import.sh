# tally import: a small Digest issue and press releases written for these tests
# (tests/fixtures/import), the same issue rendered to PDF by tally's own report
# engine, the seed issue as text and as PDF, bad inputs, and the review loop.
# checks: 51
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
I=$FIX/import
SEED=../shared/seeds/000_42258f4242562ee1.txt

# field FILE ID COLUMN: one cell of a draft (columns by name; through tally's
# own CSV reader, so quoting is read as tally reads it)
field() {
	"$TALLY" eval "(function() for r in ds:where{id = '$2'}:records() do
		local v = r['$3']; if type(v) == 'table' then return table.concat(v, ';') end
		return tostring(v or '') end end)()" --data "$1" 2>/dev/null
}
# same NAME WANT GOT
same() {
	if [ "$2" = "$3" ]; then ok "$1"
	else notok "$1" "want '$2', got '$3'"; fi
}
# months FILE: articles per month as "2023-04=11 2023-05=15 ..."
months() {
	"$TALLY" count --by month --where kind=article --sort key --format csv "$1" 2>/dev/null | tail -n +2 | tr ',\n' '= ' | sed 's/ $//'
}

# ---------------------------------------------------------------- the test issue
run import $I/digest.txt -o $T/draft.csv
if [ "$rc" -eq 0 ] && "$TALLY" check $T/draft.csv >/dev/null 2>&1; then ok "import digest.txt: draft passes tally check"
else notok "import digest.txt: draft passes tally check" "rc=$rc $err"; fi
same "articles per month" "2031-04=2 2031-05=2 2031-06=1" "$(months $T/draft.csv)"
same "photo captions" "2" "$("$TALLY" count --by kind --where kind=photo --format csv $T/draft.csv | tail -1 | cut -d, -f2)"
same "ids in order" "2031Q2-001 2031Q2-007" "$(cut -d, -f1 $T/draft.csv | sed -n '2p;$p' | tr '\n' ' ' | sed 's/ $//')"
same "date: the day the text gives" "2031-04-14" "$(field $T/draft.csv 2031Q2-001 date)"
same "date: a range's first day" "2031-04-20" "$(field $T/draft.csv 2031Q2-002 date)"
same "date: not the next meeting's day" "2031-05-18" "$(field $T/draft.csv 2031Q2-004 date)"
same "date: no day -> the section's month" "2031-05" "$(field $T/draft.csv 2031Q2-003 date)"
same "date: caption -> the quarter" "2031-Q2" "$(field $T/draft.csv 2031Q2-006 date)"
same "countries: counterpart and headquarters" "Mongolia;Kazakhstan" "$(field $T/draft.csv 2031Q2-001 countries)"
same "countries: the organiser of an online seminar" "Tajikistan" "$(field $T/draft.csv 2031Q2-002 countries)"
same "countries: a city (zone.tab) -> its country" "Thailand" "$(field $T/draft.csv 2031Q2-006 countries)"
same "countries: visit to Tashkent, not the Uzbek adjective twice" "Uzbekistan" "$(field $T/draft.csv 2031Q2-003 countries)"
same "format online / hybrid / in-person" "online hybrid in-person" \
	"$(field $T/draft.csv 2031Q2-002 format) $(field $T/draft.csv 2031Q2-004 format) $(field $T/draft.csv 2031Q2-005 format)"
same "lead SG / Expert / DSG / none" "SG Expert DSG -" \
	"$(field $T/draft.csv 2031Q2-001 lead) $(field $T/draft.csv 2031Q2-002 lead) $(field $T/draft.csv 2031Q2-003 lead) $(field $T/draft.csv 2031Q2-004 lead | sed 's/^$/-/')"
same "event types" "meeting workshop visit multilateral-meeting cultural-event conference" \
	"$(for n in 1 2 3 4 5 6; do field $T/draft.csv 2031Q2-00$n event_type; done | tr '\n' ' ' | sed 's/ $//')"
same "dimensions" "economic environmental institutional institutional human" \
	"$(for n in 1 2 3 4 5; do field $T/draft.csv 2031Q2-00$n dimension; done | tr '\n' ' ' | sed 's/ $//')"
same "participants: a stated number" "45" "$(field $T/draft.csv 2031Q2-002 participants)"
rows=$(tail -n +2 $T/draft.review.csv | wc -l)
same "review: a row per coded cell (7 items x 10 fields)" "70" "$rows"
if printf '%s' "$err" | grep -Eq "to review: tests/fixtures/import/digest.txt:[0-9]+: 2031Q2-00[0-9] [a-z_]+ = "; then
	ok "stderr lists cells to review with file:line"
else notok "stderr lists cells to review with file:line" "$err"; fi

# the same issue as a PDF, rendered by tally.report
"$TALLY" run --unsafe tests/render-digest.lua -- $I/digest.txt $T/digest.pdf >/dev/null 2>&1
run import $T/digest.pdf -o $T/draft-pdf.csv
if [ "$rc" -eq 0 ] && cmp -s $T/draft.csv $T/draft-pdf.csv; then ok "the PDF of the issue gives the same draft as its text"
else notok "the PDF of the issue gives the same draft as its text" "rc=$rc $(diff $T/draft.csv $T/draft-pdf.csv | head -5)"; fi

# ------------------------------------------------------------------ the seed issue
if [ -f "$SEED" ]; then
	run import "$SEED" -o $T/seed.csv
	if [ "$rc" -eq 0 ] && "$TALLY" check $T/seed.csv >/dev/null 2>&1; then ok "seed text: draft passes tally check"
	else notok "seed text: draft passes tally check" "rc=$rc"; fi
	same "seed text: 11, 15, 3 articles in April, May, June" "2023-04=11 2023-05=15 2023-06=3" "$(months $T/seed.csv)"
	"$TALLY" run --unsafe tests/render-digest.lua -- "$SEED" $T/seed.pdf >/dev/null 2>&1
	run import $T/seed.pdf -o $T/seed-pdf.csv
	if [ "$rc" -eq 0 ] && "$TALLY" check $T/seed-pdf.csv >/dev/null 2>&1; then ok "seed PDF: draft passes tally check"
	else notok "seed PDF: draft passes tally check" "rc=$rc"; fi
	same "seed PDF: 11, 15, 3 articles in April, May, June" "2023-04=11 2023-05=15 2023-06=3" "$(months $T/seed-pdf.csv)"
	same "seed PDF: 7 photo captions" "7" "$("$TALLY" count --by kind --where kind=photo --format csv $T/seed-pdf.csv | tail -1 | cut -d, -f2)"
else
	for n in 1 2 3 4 5; do notok "seed check $n" "no $SEED"; done
fi

# --------------------------------------------------------------------- releases
run import $I/release-mongolia.txt $I/release-webinar.html -o $T/rel.csv
if [ "$rc" -eq 0 ] && "$TALLY" check $T/rel.csv >/dev/null 2>&1; then ok "releases: .txt and .html give a draft that passes check"
else notok "releases: .txt and .html give a draft that passes check" "rc=$rc $err"; fi
same "release: the dateline's day" "2031-03-02" "$(field $T/rel.csv 2031Q1-001 date)"
same "html: the headline is the page's h1, not its title" "Experts discuss countering terrorism online" "$(field $T/rel.csv 2031Q1-002 title)"
same "html: date, organiser, format, lead, dimension" "2031-03-14 Pakistan online Expert new-challenges-and-threats" \
	"$(for f in date countries format lead dimension; do field $T/rel.csv 2031Q1-002 $f; done | tr '\n' ' ' | sed 's/ $//')"
run import --issue 2031Q1 $I/release-fr.txt -o $T/fr.csv
if [ "$rc" -eq 0 ] && printf '%s' "$err" | grep -q "does not read as English"; then ok "text in another language: a warning"
else notok "text in another language: a warning" "rc=$rc $err"; fi

# ------------------------------------------------------------------- bad inputs
echo "plain words, not a PDF" > $T/fake.pdf
expect_fail "not a PDF: exit 2" 2 "fake.pdf: not a PDF" import $T/fake.pdf -o $T/bad.csv
if command -v qpdf >/dev/null; then
	qpdf --encrypt secret owner 256 -- $T/digest.pdf $T/locked.pdf
	expect_fail "encrypted PDF: exit 2" 2 "locked.pdf: the PDF is encrypted" import $T/locked.pdf -o $T/bad.csv
	# a page that only draws a rectangle: a PDF without a text layer
	printf '%%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]/Contents 4 0 R>>endobj\n4 0 obj<</Length 17>>stream\n0 0 100 100 re f\nendstream\nendobj\ntrailer<</Root 1 0 R>>\n%%%%EOF\n' > $T/raw.pdf
	qpdf $T/raw.pdf $T/scan.pdf 2>/dev/null
	expect_fail "PDF without a text layer: exit 2" 2 "scan.pdf: the PDF has no text layer" import $T/scan.pdf -o $T/bad.csv
else
	notok "encrypted PDF: exit 2" "qpdf missing (scripts/deps.sh installs it)"
	notok "PDF without a text layer: exit 2" "qpdf missing"
fi
: > $T/empty.txt
expect_fail "empty file: exit 2" 2 "empty.txt: the file is empty" import $T/empty.txt -o $T/bad.csv
expect_fail "HTML without an article: exit 2" 2 "no-article.html: no article in the page" import $I/no-article.html -o $T/bad.csv
if [ ! -e $T/bad.csv ]; then ok "bad input: nothing written"; else notok "bad input: nothing written"; fi
expect_fail "no -o: usage error" 1 "-o DRAFT.csv is required" import $I/digest.txt
expect_fail "--as takes digest or release" 1 "--as takes digest or release" import --as book $I/digest.txt -o $T/x.csv
expect_fail "a missing input: exit 2" 2 "cannot open input" import $T/nothing.txt -o $T/x.csv

# ------------------------------------------------------------ the review loop
# A person corrects two cells; a corrected issue (one date changed) and one more
# press release come in; the merge keeps the person's cells and ids, takes the
# machine's new date, appends the new item.
awk -F, 'BEGIN{OFS=","} $1=="2031Q2-003"{$4="human"} $1=="2031Q2-001"{$5="Mongolia"} {print}' \
	$T/draft.csv > $T/reviewed.csv
cp $T/draft.review.csv $T/reviewed.review.csv
sed 's/on 20-21 April 2031/on 22-23 April 2031/' $I/digest.txt > $T/corrected.txt
run import $T/corrected.txt $I/release-mongolia.txt --issue 2031Q2 -o $T/merged.csv --merge $T/reviewed.csv
if [ "$rc" -eq 0 ] && "$TALLY" check $T/merged.csv >/dev/null 2>&1; then ok "merge: draft passes check"
else notok "merge: draft passes check" "rc=$rc $err"; fi
same "merge: a person's dimension kept" "human" "$(field $T/merged.csv 2031Q2-003 dimension)"
same "merge: a person's countries kept" "Mongolia" "$(field $T/merged.csv 2031Q2-001 countries)"
same "merge: the machine's cells follow the corrected text" "2031-04-22" "$(field $T/merged.csv 2031Q2-002 date)"
same "merge: ids kept, the new release appended as 008" "2031Q2-001 2031Q2-008" "$(cut -d, -f1 $T/merged.csv | sed -n '2p;$p' | tr '\n' ' ' | sed 's/ $//')"
same "merge: the new item is the release" "CICA Secretary General holds talks with Ambassador of Mongolia" "$(field $T/merged.csv 2031Q2-008 title)"
# merging again with the merged draft: the person's cells are still theirs
run import $T/corrected.txt $I/release-mongolia.txt --issue 2031Q2 -o $T/merged2.csv --merge $T/merged.csv
same "merge twice: still the person's cells" "human Mongolia" "$(field $T/merged2.csv 2031Q2-003 dimension) $(field $T/merged2.csv 2031Q2-001 countries)"
# an input left out: its items are reported and kept, not deleted
run import $I/release-mongolia.txt --issue 2031Q2 -o $T/merged3.csv --merge $T/merged.csv
if [ "$rc" -eq 0 ] && printf '%s' "$err" | grep -q "2031Q2-003 is no longer found" && [ "$(field $T/merged3.csv 2031Q2-003 dimension)" = human ]; then
	ok "merge: items no longer found are reported and kept"
else notok "merge: items no longer found are reported and kept" "rc=$rc $err"; fi
rm $T/merged.review.csv
expect_fail "merge without the review file: exit 2" 2 "without the review file" import $I/release-mongolia.txt -o $T/m4.csv --merge $T/merged.csv

# ------------------------------------------------------------ the Lua helpers
same "tally.import.fold: accents, case, typographic quotes" "turkiye's almaty" \
	"$("$TALLY" eval "tally.import.fold('Türkiye’s ALMATY')" 2>&1)"
same "tally.import.places: a subdivision and a zone city" "KZ TH" \
	"$("$TALLY" eval "tally.import.places()['almaty'] .. ' ' .. tally.import.places()['bangkok']" 2>&1)"

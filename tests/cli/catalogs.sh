# checks: 19
# The message catalogs: po/tally.pot is the template the sources and
# data/labels.tsv give today (scripts/mkpot.sh), and every po/LANG.po translates
# every message of it, none fuzzy, plural forms checked by msgfmt. A message added
# to a script without its translations fails here, not in front of a reader.
# Then the words that used to slip through in English: country names iso-codes'
# catalogs lack, month names in mid-sentence case, value labels of labels.tsv.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
D=data/cica-digest-2023q2.csv

# the messages, not where they are: a line moved in a source is no change
msgids() { msgcat --no-location --no-wrap --sort-output "$1" 2>/dev/null | grep -v '^#'; }
if scripts/mkpot.sh "$T/tally.pot" 2>"$T/pot.err" && [ "$(msgids "$T/tally.pot")" = "$(msgids po/tally.pot)" ]; then
	ok "po/tally.pot holds the messages scripts/mkpot.sh finds in the sources (make pot)"
else
	notok "po/tally.pot holds the messages scripts/mkpot.sh finds in the sources (make pot)" "$(head -c 300 "$T/pot.err")"
	msgids po/tally.pot >"$T/old.ids"; msgids "$T/tally.pot" >"$T/new.ids"
	diff "$T/old.ids" "$T/new.ids" | head -20 | sed 's/^/# /'
fi
for l in ar es fr ru zh; do
	msgmerge -q --no-fuzzy-matching -o "$T/$l.po" "po/$l.po" "$T/tally.pot" 2>/dev/null
	stats=$(msgfmt --check --statistics -o /dev/null "$T/$l.po" 2>&1)
	if [ $? -eq 0 ] && printf '%s' "$stats" | grep -q 'translated message' \
		&& ! printf '%s' "$stats" | grep -qE 'untranslated|fuzzy'; then
		ok "po/$l.po: every message translated, none fuzzy ($stats)"
	else
		notok "po/$l.po: every message translated, none fuzzy" "$stats"
		msgattrib --untranslated --only-fuzzy "$T/$l.po" 2>/dev/null | grep '^msgid' | head -5 | sed 's/^/# /'
		msgattrib --untranslated "$T/$l.po" 2>/dev/null | grep '^msgid' | head -5 | sed 's/^/# /'
	fi
	if msgattrib --only-obsolete "po/$l.po" 2>/dev/null | grep -q '^#~ msgid'; then
		notok "po/$l.po: no message the sources no longer use" "$(msgattrib --only-obsolete "po/$l.po" | grep -m1 '^#~ msgid')"
	else ok "po/$l.po: no message the sources no longer use"; fi
done

# Türkiye: iso-codes 4.15's Russian, Arabic, French and Spanish catalogs lack the
# new name; Iran's short name is translated nowhere but in Chinese.
run eval --lang ru 'print(tally.country_name("Türkiye"), tally.country_name("Iran"), tally.country_name("Kazakhstan"))'
if [ "$out" = "$(printf 'Турция\tИран\tКазахстан')" ]; then ok "country names: Türkiye and Iran in Russian"
else notok "country names: Türkiye and Iran in Russian" "got: $out"; fi
run eval --lang ar 'print(tally.country_name("Türkiye"), tally.country_name("Iran"))'
if [ "$out" = "$(printf 'تركيا\tإيران')" ]; then ok "country names: Türkiye and Iran in Arabic"
else notok "country names: Türkiye and Iran in Arabic" "got: $out"; fi

# Months from the C library: Russian mid-sentence in lower case (nominative and
# genitive), capitalised to start a heading; English keeps its capital.
run eval --lang ru 'print(tally.month_name(4), tally.month_name(4, "genitive"), tally.month_name(5, "standalone", true))'
if [ "$out" = "$(printf 'апрель\tапреля\tМай')" ]; then ok "month names: Russian in mid-sentence case, capitalised on demand"
else notok "month names: Russian in mid-sentence case, capitalised on demand" "got: $out"; fi
run eval 'print(tally.month_name(4), tally.value_label("event_type", "cultural-event"), tally.value_label("event_type", "nope"))'
if [ "$out" = "$(printf 'April\tcultural event\tnil')" ]; then ok "English months capitalised; value labels from labels.tsv"
else notok "English months capitalised; value labels from labels.tsv" "got: $out"; fi

# The Russian report: no capitalised month after a dash, values and Türkiye in
# Russian; the CLI chart's title, bars and source in Russian too.
run run scripts/quarterly.lua --lang ru --data "$D" --quarter 2023Q2 --out "$T/ru"
rt=$(pdftotext -q "$T/ru/report.ru.pdf" - 2>/dev/null | tr -s ' \n\f' '  ')
bad=$(printf '%s' "$rt" | grep -oE 'Türkiye|institutional|Institutional|— (Апрель|Май|Июнь)' | sort -u | tr '\n' ' ')
if [ "$rc" -eq 0 ] && [ -z "$bad" ] && printf '%s' "$rt" | grep -qF 'Турция' && printf '%s' "$rt" | grep -qF 'институциональное'; then
	ok "quarterly --lang ru: Турция, values in Russian, months lower case mid-sentence"
else notok "quarterly --lang ru: Турция, values in Russian, months lower case mid-sentence" "rc=$rc left: $bad"; fi
run chart bar --lang ru --by event_type "$D" -o "$T/ev.pdf"
ct=$(pdftotext -q "$T/ev.pdf" - 2>/dev/null)
if [ "$rc" -eq 0 ] && printf '%s' "$ct" | grep -qF 'Записи по признаку «тип мероприятия»' \
	&& printf '%s' "$ct" | grep -qF 'Культурное мероприятие' && printf '%s' "$ct" | grep -qF 'Источник:' \
	&& ! printf '%s' "$ct" | grep -qE 'Records|cultural|Source'; then ok "chart --lang ru: title, bars and source in Russian"
else notok "chart --lang ru: title, bars and source in Russian" "rc=$rc"; printf '%s\n' "$ct" | head -5 | sed 's/^/# /'; fi

# The subtitle's period in the reader's words: "2-й кв. 2023", "1 апреля 2023 — май 2023".
run chart bar --lang ru --by dimension --quarter 2023Q2 "$D" -o "$T/q.pdf"
q=$(pdftotext -q "$T/q.pdf" - 2>/dev/null)
if [ "$rc" -eq 0 ] && printf '%s' "$q" | grep -qx '2-й кв. 2023'; then ok "chart --lang ru --quarter: the quarter in Russian"
else notok "chart --lang ru --quarter: the quarter in Russian" "rc=$rc"; fi
run chart bar --lang ru --by dimension --from 2023-04-01 --to 2023-05 "$D" -o "$T/r.pdf"
q=$(pdftotext -q "$T/r.pdf" - 2>/dev/null)
if [ "$rc" -eq 0 ] && printf '%s' "$q" | grep -qx '1 апреля 2023 — май 2023'; then ok "chart --lang ru --from --to: dates in Russian, the month lower case mid-line"
else notok "chart --lang ru --from --to: dates in Russian, the month lower case mid-line" "rc=$rc"; printf '%s\n' "$q" | head -3 | sed 's/^/# /'; fi

# A cross-tab's note and its month columns: the count room's English sentences
# stay with tally count; a Russian chart says them in Russian.
run chart heatmap --lang ru --by countries,month "$D" -o "$T/h.pdf"
q=$(pdftotext -q "$T/h.pdf" - 2>/dev/null | tr -s ' \n' '  ')
if [ "$rc" -eq 0 ] && printf '%s' "$q" | grep -qF '7 материалов датированы лишь кварталом' && printf '%s' "$q" | grep -qF 'Апрель 2023' \
	&& ! printf '%s' "$q" | grep -qE 'items|Apr'; then ok "chart heatmap --lang ru: the note and the months in Russian"
else notok "chart heatmap --lang ru: the note and the months in Russian" "rc=$rc"; fi

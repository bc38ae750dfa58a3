# Command-line tests of loading and counting: bad input, formats, filters, roles.
# checks: 70
. tests/lib.sh
# real public exports, copied byte for byte (tests/fixtures/external/SOURCES.md)
G=$FIX/external/gdelt_westafrica_conflict_1997.csv
N=$FIX/external/nuclear_explosions_1945_1998.csv

# --- usage and help
run --version;            [ "$rc" -eq 0 ] && echo "$out" | grep -q '^tally [0-9]' && ok "--version" || notok "--version"
run --help;               [ "$rc" -eq 0 ] && echo "$out" | grep -q '^  count     counts per field' && echo "$out" | grep -q '^  plugins   lists the plugins' && ok "--help" || notok "--help"
run count --help;         [ "$rc" -eq 0 ] && echo "$out" | grep -q -- '--where' && ok "count --help" || notok "count --help"
expect_fail "unknown command is a usage error" 1 "unknown command 'frobnicate'" frobnicate
expect_fail "count without --by" 1 "--by FIELD is required" count $FIX/mixed.csv
expect_fail "unknown option" 1 "unknown option '--frob'" count --by dimension --frob $FIX/mixed.csv
expect_fail "bad --format" 1 "--format takes table, csv or json" count --by kind --format xml $FIX/mixed.csv
expect_fail "unknown field names the fields" 1 "no field 'colour' \(fields: .*dimension" count --by colour $FIX/mixed.csv
expect_fail "missing file" 2 "nope.csv: No such file" count --by kind $FIX/nope.csv

# --- bad input: status 2, file:line:column and the reason, nothing on stdout
expect_fail "empty file" 2 "empty.csv:1: empty file" count --by kind $FIX/empty.csv
expect_fail "duplicate header" 2 "dup-header.csv:1:4: duplicate column name 'date' \(also column 2\)" count --by title $FIX/dup-header.csv
expect_fail "ragged row" 2 "ragged.csv:3:8: row has 8 fields, the header has 11" count --by kind $FIX/ragged.csv
expect_fail "invalid UTF-8" 2 "bad-utf8.csv:3:3: invalid UTF-8" count --by kind $FIX/bad-utf8.csv
expect_fail "unknown dimension" 2 "bad-dimension.csv:3:4: unknown dimension 'cultural'" count --by kind $FIX/bad-dimension.csv
expect_fail "unknown country with suggestion" 2 "bad-country.csv:3:5: unknown country 'Uzbekstan' \(did you mean 'Uzbekistan'\?\)" count --by countries $FIX/bad-country.csv
expect_fail "strict load checks fields not counted" 2 "bad-country.csv:3:5: unknown country" count --by kind $FIX/bad-country.csv
expect_fail "impossible date 2023-02-30" 2 "bad-date.csv:3:2: impossible date .*2023-02-30" count --by month $FIX/bad-date.csv
expect_fail "line numbers count newlines inside quotes" 2 "newline-in-quotes.csv:5:4: unknown dimension 'economics'" count --by kind $FIX/newline-in-quotes.csv
printf 'a,b\n1,"unterminated\n' > "$T/unterminated.csv"
expect_fail "unterminated quote" 2 "unterminated.csv:2:2: unterminated quoted field" count --by a "$T/unterminated.csv"
printf 'a,b\n1,x"y\n' > "$T/stray.csv"
expect_fail "stray quote" 2 "stray.csv:2:.*malformed CSV" count --by a "$T/stray.csv"
{ printf 'id,title\n1,short\n2,"'; head -c 10485760 /dev/zero | tr '\0' a; printf '"\n'; } > "$T/big.csv"
expect_fail "10 MB field" 2 "big.csv:3:2: field longer than the 1 MiB limit" count --by id "$T/big.csv"

# --- --skip-bad: the rest loads, every skipped row is reported
run count --by month --sort key --format csv --skip-bad $FIX/bad-date.csv
[ "$rc" -eq 0 ] && [ "$out" = "$(printf 'month,count\n2023-04,1')" ] && echo "$err" | grep -q 'skipped 1 bad row' &&
	echo "$err" | grep -q 'bad-date.csv:3:2: impossible date' && ok "--skip-bad loads the rest and reports" || notok "--skip-bad" "$out / $err"
cat $FIX/bad-date.csv $FIX/ragged.csv | sed '5d' > "$T/two-bad.csv"
run count --by kind --format csv --skip-bad "$T/two-bad.csv"
[ "$rc" -eq 0 ] && echo "$err" | grep -q 'skipped 3 bad rows' && ok "--skip-bad counts every bad row" || notok "--skip-bad counts" "$err"

# --- formats that load
expect_out "BOM is skipped" "$(printf 'dimension,count\neconomic,1\nhuman,1')" count --by dimension --format csv $FIX/bom.csv
expect_out "CRLF line ends" "$(printf 'countries,count\nKazakhstan,1\nTürkiye,1')" count --by countries --format csv $FIX/crlf.csv
expect_out "quoted field with newline, comma and quotes" "$(printf 'dimension,count\neconomic,1\nhuman,1')" count --by dimension --format csv --skip-bad $FIX/newline-in-quotes.csv
printf 'a,b\r1,x\r2,y\r' > "$T/cr.csv"
expect_out "CR-only line ends" "$(printf 'b,count\nx,1\ny,1')" count --by b --format csv "$T/cr.csv"
expect_out "header only: no rows" "dimension,count" count --by dimension --format csv $FIX/header-only.csv

# --- counting
expect_out "dimension aliases normalise" "$(printf 'dimension,count\ninstitutional,2\neconomic,2\nenvironmental,1\nhuman,2\nmilitary-political,1\nnew-challenges-and-threats,1' | { IFS= read -r h; echo "$h"; sort -t, -k2,2nr -k1,1; })" count --by dimension --format csv $FIX/mixed.csv
expect_out "list field counts each value" "$(printf 'countries,count\nKazakhstan,5\nBangladesh,1\nChina,1\nIndia,1\nRussian Federation,1\nTürkiye,1\nViet Nam,1')" count --by countries --format csv $FIX/mixed.csv
run count --by countries $FIX/mixed.csv
echo "$out" | grep -q '^9 items, 11 mentions; shares are of the items$' && echo "$out" | grep -q '^1 item names no countries' \
	&& ok "table reports items beside mentions" || notok "items and mentions" "$out"
echo "$out" | grep -q '^Kazakhstan *5   55.6%  ████' && ok "table has shares of the items and aligned bars" || notok "table bars" "$out"
expect_out "months in range with zeros, key order" "$(printf 'month,count\n2023-01,1\n2023-02,0\n2023-03,1\n2023-04,2\n2023-05,2\n2023-06,1\n2023-07,0\n2023-08,1')" count --by month --sort key --format csv $FIX/mixed.csv
expect_out "quarters count month and quarter dates" "$(printf 'quarter,count\n2023-Q1,2\n2023-Q2,6\n2023-Q3,1')" count --by quarter --sort key --format csv $FIX/mixed.csv
expect_out "year" "$(printf 'year,count\n2023,9')" count --by year --format csv $FIX/mixed.csv
expect_out "--quarter filters" "$(printf 'dimension,count\nhuman,2\ninstitutional,2\nenvironmental,1\nnew-challenges-and-threats,1')" count --by dimension --quarter 2023Q2 --format csv $FIX/mixed.csv
expect_out "--quarter 2023-Q2 form" "$(printf 'kind,count\narticle,5\nphoto,1')" count --by kind --quarter 2023-Q2 --format csv $FIX/mixed.csv
expect_out "--from/--to" "$(printf 'kind,count\narticle,3')" count --by kind --from 2023-03-01 --to 2023-04-30 --format csv $FIX/mixed.csv
expect_out "--where with alias (Turkey = Türkiye)" "$(printf 'title,count\nAnkara visit,1')" count --by title --where countries=Turkey --format csv $FIX/mixed.csv
expect_out "--where repeated field means any" "$(printf 'lead,count\nSG,2\nDSG,1')" count --by lead --where dimension=institutional --where dimension=NCT --format csv $FIX/mixed.csv
expect_out "--where two fields means all" "$(printf 'title,count\nDelhi talks,1')" count --by title --where dimension=institutional --where lead=SG --where countries=India --format csv $FIX/mixed.csv
expect_out "--where month=" "$(printf 'title,count\nAnkara visit,1\nUN Women talks,1')" count --by title --where month=2023-04 --sort key --format csv $FIX/mixed.csv
expect_out "cross-tab csv" "$(printf 'format,2023-Q1,2023-Q2,2023-Q3\nin-person,1,5,0\nonline,0,1,1\nhybrid,1,0,0')" count --by format,quarter --format csv $FIX/mixed.csv
expect_out "json" '[{"kind": "article", "count": 8},
 {"kind": "photo", "count": 1}]' count --by kind --format json $FIX/mixed.csv
expect_out "--top folds the rest into Other" "$(printf 'countries,count\nKazakhstan,5\nOther (6 values),6')" count --by countries --top 1 --format csv $FIX/mixed.csv
expect_out "integers count as values" "$(printf 'participants,count\n120,1\n60,1')" count --by participants --format csv $FIX/mixed.csv
expect_out "several files add up" "$(printf 'kind,count\narticle,10\nphoto,1')" count --by kind --format csv $FIX/mixed.csv $FIX/bom.csv

# --- roles on other people's CSVs
expect_out "--na reads a token as missing" "$(printf 'country,count\nNI,2\nAG,1')" count --by country --na NA --format csv $FIX/na-tokens.csv
expect_fail "codes are not guessed as names" 2 "na-tokens.csv:2:2: unknown country 'NI'" count --by country --map country=country --na NA $FIX/na-tokens.csv
expect_out "--country-codes iso2 is ISO, said explicitly" "$(printf 'country,count\nNicaragua,2\nAntigua and Barbuda,1')" count --by country --map country=country --country-codes iso2 --na NA --format csv $FIX/na-tokens.csv
expect_out "--country-codes raw keeps cells" "$(printf 'country,count\nNI,2\nAG,1')" count --by country --map country=country --country-codes raw --na NA --format csv $FIX/na-tokens.csv
expect_out "--map date with --date-format" "$(printf 'month,count\n2023-01,1\n2023-02,2\n2023-03,1')" count --by month --sort key --map date=when --date-format %Y%m%d --format csv $FIX/na-tokens.csv
expect_fail "--map names a missing column" 2 "--map date=nowhere: the header has no column 'nowhere'" count --by month --map date=nowhere $FIX/na-tokens.csv
printf 'y,m,d,n\n2001,2,3,a\n2001,2,,b\n2002,,,c\n' > "$T/parts.csv"
expect_out "split date columns" "$(printf 'date,count\n2001-02,1\n2001-02-03,1\n2002,1')" count --by date --sort key --map year=y,month=m,day=d --format csv "$T/parts.csv"
printf 'y,m,d\n2001,2,30\n' > "$T/parts-bad.csv"
expect_fail "impossible split date" 2 "parts-bad.csv:2:3: impossible date" count --by year --map year=y,month=m,day=d "$T/parts-bad.csv"

# --- the real external files, against counts computed here with Miller
if command -v mlr >/dev/null; then
	want=$(mlr --icsv --ocsv count -g ActionGeo_CountryCode then sort -nr count -f ActionGeo_CountryCode "$G")
	expect_out "GDELT by country code = mlr" "$want" count --by ActionGeo_CountryCode --format csv "$G"
	want=$(mlr --icsv --ocsv put '$month = sub(string($SQLDATE), "^([0-9]{4})([0-9]{2})[0-9]{2}$", "\1-\2")' then count -g month then sort -f month "$G")
	expect_out "GDELT by month (--map date=SQLDATE) = mlr" "$want" count --map date=SQLDATE --date-format %Y%m%d --by month --sort key --format csv "$G"
	# top 5 and the rest as Other (no tie at the cut in either file; a single-valued field sums)
	top5() { awk -F, 'NR == 1 { print; next } NR <= 6 { print; next } { k++; s += $2 } END { printf "Other (%d values),%d\n", k, s }'; }
	want=$(mlr --icsv --ocsv filter '$Actor1CountryCode != "NA"' then count -g Actor1CountryCode then sort -nr count -f Actor1CountryCode "$G" | top5)
	expect_out "GDELT --na NA = mlr" "$want" count --by Actor1CountryCode --na NA --top 5 --format csv "$G"
	want=$(mlr --icsv --ocsv count -g Date.Year then sort -nr count -f Date.Year then rename Date.Year,year "$N" | top5)
	expect_out "nuclear tests by year from split columns = mlr" "$want" count --map year=Date.Year,month=Date.Month,day=Date.Day --by year --top 5 --format csv "$N"
else
	notok "mlr is installed (scripts/deps.sh)"
fi

# --- check
run check $FIX/mixed.csv
[ "$rc" -eq 0 ] && echo "$out" | grep -q '^records   9$' && echo "$out" | grep -q 'dates     2023-01-15 .. 2023-08-01' &&
	echo "$out" | grep -Eq '^countries +list +country +7 +1$' && ok "check summarises" || notok "check" "$out"
echo "$out" | grep -Eq '^memory    0\.[0-9]{3} MB$' && ! echo "$out" | grep -q '^memory    0\.000' && ok "check: a small file's store in MB to three places, not 0.0 MB" \
	|| notok "check memory" "$out"
expect_fail "check reports the error" 2 "ragged.csv:3:8" check $FIX/ragged.csv

# --- the columnar cache: identical counts, never stale
export TALLY_CACHE_DIR="$T/cache" TALLY_CACHE_MIN=0   # the fixtures are small: cache them anyway
cp $FIX/mixed.csv "$T/c.csv"
run count --by countries,month --format csv --no-cache "$T/c.csv"; fresh=$out
run count --by countries,month --format csv "$T/c.csv"; first=$out
run count --by countries,month --format csv "$T/c.csv"; second=$out
[ -n "$(ls "$T/cache" 2>/dev/null)" ] && ok "a load fills the cache" || notok "a load fills the cache"
[ "$fresh" = "$first" ] && [ "$first" = "$second" ] && ok "cached and uncached loads count the same" || notok "cache counts" "$first / $second"
run count --by dimension --format csv "$T/c.csv"
[ "$out" = "$(printf 'dimension,count\neconomic,2\nhuman,2\ninstitutional,2\nenvironmental,1\nmilitary-political,1\nnew-challenges-and-threats,1')" ] && ok "a column missing from the cache is parsed" || notok "cache partial" "$out"
# same size, same mtime, different content: still not served from the cache
sed 's/^9,2023-08-01,Summer,economic/9,2023-08-01,Summer,military-political/' "$T/c.csv" > "$T/c2.csv"
touch -r "$T/c.csv" "$T/c2.csv"; cat "$T/c2.csv" > "$T/c.csv"; touch -r "$T/c2.csv" "$T/c.csv"
run count --by dimension --format csv "$T/c.csv"
echo "$out" | grep -q '^military-political,2$' && echo "$out" | grep -q '^economic,1$' && ok "a changed file is never served from a stale cache" || notok "stale cache" "$out"
printf 'garbage' > "$T/cache/$(ls "$T/cache" | head -1)/meta"
run count --by dimension --format csv "$T/c.csv"
[ "$rc" -eq 0 ] && echo "$out" | grep -q '^economic,1$' && ok "a corrupt cache entry is ignored" || notok "corrupt cache" "$out"
cp $FIX/bad-date.csv "$T/b.csv"
run count --by kind --skip-bad "$T/b.csv"; run count --by kind --skip-bad "$T/b.csv"
echo "$err" | grep -q 'skipped 1 bad row' && echo "$err" | grep -q 'b.csv:3:2: impossible date' && ok "a cached --skip-bad load repeats the report" || notok "cached skip report" "$err"
mkdir -p "$T/cache-small"
TALLY_CACHE_MIN= TALLY_CACHE_DIR="$T/cache-small" "$TALLY" count --by kind "$T/c.csv" >/dev/null 2>&1
[ -z "$(ls "$T/cache-small")" ] && ok "small files are parsed, not cached" || notok "small files are parsed, not cached"
expect_out "cross-tab --sort key sorts its rows" "$(printf 'countries,2023-Q1,2023-Q2\nBangladesh,0,1\nChina,1,0\nIndia,0,1\nKazakhstan,2,3\nRussian Federation,0,1\nTürkiye,0,1')" count --by countries,quarter --from 2023-01-01 --to 2023-06-30 --sort key --format csv $FIX/mixed.csv

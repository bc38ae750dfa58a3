# --country-codes fips: GDELT's FIPS 10-4 codes read as countries through
# data/fips-iso.tsv, every entry checked against iso-codes, codes without an ISO
# country refused by name, and the table part of the cache key.
# checks: 9
. tests/lib.sh
G=$FIX/external/gdelt_westafrica_conflict_1997.csv

# Every mapped entry is checked against iso-codes: the FIPS name beside the code,
# read as a country name (iso-codes' names and tally's aliases), must be the
# country the ISO code gives. Names that iso-codes spells otherwise ("Burma",
# "Korea, South") are not read, but most are, and none may disagree.
{ echo "n,fips,name"; grep -v '^#' data/fips-iso.tsv | awk -F'\t' '$2 != "-" { printf "%d,%s,\"%s\"\n", NR, $1, $3 }'; } >"$T/pairs.csv"
cat >"$T/pairs.lua" <<'EOF'
local file = tally.args[1]
local byfips = assert(tally.load(file, {map = "country=fips", country_codes = "fips"}))
local byname = assert(tally.load(file, {map = "country=name", skip_bad = true}))
local function one(v) return type(v) == "table" and v[1] or v end   -- a list column or a single one
local want, named, wrong = {}, 0, {}
for r in byfips:records() do want[r.n] = one(r.fips) end
for r in byname:records() do
	named = named + 1
	if want[r.n] ~= one(r.name) then wrong[#wrong + 1] = r.n .. " " .. tostring(want[r.n]) .. "/" .. one(r.name) end
end
print(#byfips, named, #wrong, table.concat(wrong, "; "))
EOF
run run --unsafe "$T/pairs.lua" -- "$T/pairs.csv"
set -- $out
if [ "$rc" -eq 0 ] && [ "${1:-0}" -gt 250 ] && [ "${2:-0}" -gt 200 ] && [ "${3:-1}" -eq 0 ]; then
	ok "fips: the $2 entries whose name iso-codes knows all map to that country ($1 mapped)"
else notok "fips: entries against iso-codes" "rc=$rc $out"; fi

# Every code marked "-" is refused with its name, file, line and column.
none=$(grep -v '^#' data/fips-iso.tsv | awk -F'\t' '$2 == "-"' | wc -l)
bad=0
grep -v '^#' data/fips-iso.tsv | awk -F'\t' '$2 == "-" { print $1 "\t" $3 }' >"$T/none.tsv"
while IFS="$(printf '\t')" read -r code name; do
	printf 'id,where\n1,%s\n' "$code" >"$T/one.csv"
	run count --map country=where --country-codes fips --by where "$T/one.csv"
	case $err in *"one.csv:2:2: FIPS 10-4 code '$code' ($name) names no ISO 3166-1 country"*) [ "$rc" -eq 2 ] || bad=$((bad + 1)) ;;
	*) bad=$((bad + 1)); echo "# $code: rc=$rc $err" ;; esac
done <"$T/none.tsv"
[ "$none" -ge 10 ] && [ "$bad" -eq 0 ] && ok "fips: the $none codes without an ISO country are refused by name" || notok "fips: codes without ISO country" "$bad of $none"

# The GDELT export: its country column reads as names (counts as its SOURCES.md gives).
expect_out "fips: GDELT's top countries by name" "$(printf 'ActionGeo_CountryCode,count\nAlgeria,3789\nNigeria,2844\nSierra Leone,1562\nOther (17 values),3911')" \
	count --map country=ActionGeo_CountryCode --country-codes fips --by ActionGeo_CountryCode --top 3 --format csv "$G"
run count --map country=ActionGeo_CountryCode --country-codes fips --by ActionGeo_CountryCode --format csv "$G"
[ "$rc" -eq 0 ] && [ "$(echo "$out" | sed 1d | awk -F, '{ s += $2 } END { print s }')" = 12106 ] &&
	ok "fips: every one of the 12106 GDELT records has its country" || notok "fips: GDELT total" "rc=$rc"

# Codes are never guessed across systems: NI is Nigeria in FIPS, Nicaragua in ISO.
printf 'id,where\n1,NI\n2,NU\n' >"$T/ni.csv"
expect_out "fips: NI is Nigeria and NU Nicaragua" "$(printf 'where,count\nNicaragua,1\nNigeria,1')" \
	count --map country=where --country-codes fips --by where --sort key --format csv "$T/ni.csv"
expect_out "iso2: NI is Nicaragua" "$(printf 'where,count\nNicaragua,1')" \
	count --map country=where --country-codes iso2 --where where=Nicaragua --by where --format csv "$T/ni.csv"
expect_fail "fips: an unknown code is an error naming its kind" 2 "ni.csv:3:2: unknown FIPS 10-4 country code 'ZZ'" \
	count --map country=where --country-codes fips --by where "$(printf 'id,where\n1,NI\n2,ZZ\n' >"$T/ni.csv"; echo "$T/ni.csv")"
expect_fail "fips: the mode is named in the usage error" 1 "iso2, iso3, fips, name or raw" \
	count --country-codes fibs --by where "$T/ni.csv"

# The table is part of the cache key: a changed table gives a new answer, not the
# cached one.
mkdir -p "$T/home"; cp -r data plugins "$T/home/"
TALLY_HOME=$T/home run count --map country=ActionGeo_CountryCode --country-codes fips --by ActionGeo_CountryCode --top 1 --format csv "$G"
sed -i 's/^AG\tDZ\t/AG\tFR\t/' "$T/home/data/fips-iso.tsv"
TALLY_HOME=$T/home run count --map country=ActionGeo_CountryCode --country-codes fips --by ActionGeo_CountryCode --top 1 --format csv "$G"
[ "$rc" -eq 0 ] && [ "$out" = "$(printf 'ActionGeo_CountryCode,count\nFrance,3789\nOther (19 values),8317')" ] &&
	ok "fips: an edited fips-iso.tsv is not served from the cache" || notok "fips: cache key" "rc=$rc out=$out"

# The cache serves a second run (issue 13): the same file counted again, by the
# same or another field, is read from the entry the first run wrote, not parsed
# again. A miss always rewrites the entry's meta file (a new file renamed over
# the old one), so an unchanged meta (same inode, same mtime) and no second
# entry are what a run served from the cache leaves behind.
# checks: 8
. tests/lib.sh
export TALLY_CACHE_DIR="$T/cache" TALLY_CACHE_MIN=0

# Records as the shared generator writes them: every title quoted, some with a
# comma or doubled quotes, UTF-8 names, a tenth of participants empty.
awk 'BEGIN {
	print "id,date,title,dimension,countries,organizations,event_type,format,participants"
	split("China;India;Russia;Việt Nam;Türkiye;Lao People\342\200\231s Democratic Republic;Kazakhstan", c, ";")
	split("military-political,economic,human,institutional,environmental,new-challenges-and-threats", d, ",")
	for (i = 1; i <= 3000; i++) {
		t = i % 5 == 0 ? "Talks, round " i : i % 7 == 0 ? "The \"\"" i "\"\" forum" : "Meeting " i
		cs = c[i % 7 + 1]; if (i % 3 == 0) cs = cs ";" c[(i + 2) % 7 + 1]
		printf "R%07d,%04d-%02d-%02d,\"%s\",%s,%s,CICA Secretariat,meeting,online,%s\n",
			i, 2015 + i % 10, i % 12 + 1, i % 28 + 1, t, d[i % 6 + 1], cs, i % 10 == 0 ? "" : i % 1500 + 5
	}
}' > "$T/py.csv"

entries() { ls "$TALLY_CACHE_DIR" 2>/dev/null | wc -l; }
meta_id() { stat -c '%i %Y.%y' "$TALLY_CACHE_DIR"/*/meta 2>/dev/null; }

run count --by dimension --format csv "$T/py.csv"; dim1=$out
[ "$rc" -eq 0 ] && [ "$(entries)" -eq 1 ] && ok "a first count writes one cache entry" || notok "first entry" "rc=$rc entries=$(entries) $err"
m=$(meta_id)
run count --by dimension --format csv "$T/py.csv"
[ "$rc" -eq 0 ] && [ "$out" = "$dim1" ] && [ "$(meta_id)" = "$m" ] && [ "$(entries)" -eq 1 ] &&
	ok "a second count is served from the cache" || notok "second count from the cache" "entries=$(entries) meta $m -> $(meta_id)"

run count --by country --format csv --no-cache "$T/py.csv"; fresh=$out
[ "$(meta_id)" = "$m" ] && ok "--no-cache leaves the entry alone" || notok "--no-cache wrote the cache"
run count --by country --format csv "$T/py.csv"
[ "$rc" -eq 0 ] && [ "$out" = "$fresh" ] && [ "$(entries)" -eq 1 ] &&
	ok "another field is added to the same entry" || notok "another field" "entries=$(entries) $err"
m=$(meta_id)
for i in 1 2 3; do run count --by country --format csv "$T/py.csv"; [ "$out" = "$fresh" ] || break; done
[ "$out" = "$fresh" ] && [ "$(meta_id)" = "$m" ] && [ "$(entries)" -eq 1 ] &&
	ok "three warm country counts are served from the cache" || notok "warm country counts" "entries=$(entries) meta $m -> $(meta_id)"

run count --by month --format csv "$T/py.csv"; m=$(meta_id)
run count --by month --format csv "$T/py.csv"; month2=$out
run count --by month --format csv --no-cache "$T/py.csv"
[ "$out" = "$month2" ] && [ "$(meta_id)" = "$m" ] && [ "$(entries)" -eq 1 ] &&
	ok "a warm month count is served from the cache and counts the same" || notok "warm month count" "entries=$(entries)"

# a load with two threads writes what a load with one reads
rm -rf "$TALLY_CACHE_DIR"
run count --by country,month --format csv --threads 2 "$T/py.csv"; two=$out; m=$(meta_id)
run count --by country,month --format csv --threads 1 "$T/py.csv"
[ "$out" = "$two" ] && [ "$(meta_id)" = "$m" ] && [ "$(entries)" -eq 1 ] &&
	ok "the thread count is not part of the key" || notok "threads in the key" "entries=$(entries)"

# a copy of the file is another file: its own entry, the same counts
cp "$T/py.csv" "$T/copy.csv"
run count --by country,month --format csv "$T/copy.csv"
[ "$out" = "$two" ] && [ "$(entries)" -eq 2 ] && ok "a copy of the file gets its own entry" || notok "copy" "entries=$(entries)"

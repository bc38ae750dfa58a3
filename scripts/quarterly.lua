-- The quarterly report of a CICA Digest dataset: a multi-page A4 PDF and every
-- chart in it as PNG and SVG, with the counts behind them as CSV.
--
--   tally run scripts/quarterly.lua --data FILE [--quarter 2023Q2] --out DIR
--
-- --data    a digest CSV (see data/README.md); only the first file is read.
-- --quarter the quarter to report (2023Q2 or 2023-Q2); default: the latest
--           quarter with records in the data.
-- --out     where DIR/report.pdf, DIR/charts/NAME.{png,svg} and
--           DIR/tables/NAME.csv go.
--
-- Every number in the text is counted from the data: nothing is typed in.
-- Fields a dataset lacks (format, lead, kind, ...) leave out their chart.
local tally = require "tally"
local D = require "digest"
local pretty, words, esc, pt, has_field = D.pretty, D.words, D.esc, D.pt, D.has_field
local tr, trn, _ = D.tr, D.trn, tally._
local check_quarter, latest_quarter, label_of = D.check_quarter, D.latest_quarter, D.label_of

local args = tally.options{
	description = "The quarterly report of a CICA Digest dataset: a multi-page A4 PDF (DIR/report.pdf),\n"
		.. "every chart in it as PNG and SVG (DIR/charts) and the counts behind them as CSV (DIR/tables).",
	{ name = "quarter", type = "quarter", help = "the quarter to report (default: the latest with records)" },
	{ name = "scale", type = "number", default = 1, help = "PNG pixel density of the chart files: 2 for high-density screens (2400 × 1350)" },
}
local OUT = args.out or tally.fail("quarterly.lua writes a report: give --out DIR", "usage")

-- ---------------------------------------------------------------------------
-- Words
-- ---------------------------------------------------------------------------

local MUTED = "#5F6368"
local ACCENT = "#0072B2"          -- Okabe–Ito blue, the engine's first colour






local series_words = D.series_words     -- "a, b and c" in the reader's language
local LANG = tally.lang()
local SUFFIX = LANG == "en" and "" or "." .. LANG   -- report.ru.pdf, charts.ru/

local function pct(part, whole)
	return whole > 0 and math.floor(100 * part / whole + 0.5) or 0
end

-- ---------------------------------------------------------------------------
-- The quarter
-- ---------------------------------------------------------------------------

local all = tally.data()




local quarter = args.quarter and check_quarter("quarter", args.quarter) or latest_quarter(all)
	or tally.fail("no dated records in the data: nothing to report", "data")
local qfrom, qto = tally.quarter(quarter)
local qlabel = label_of(quarter)                                       -- "Q2 2023"
-- the months' names standing alone, as the language writes them mid-line
-- (Russian "апрель–июнь 2023", not "апреля" nor "Апрель")
local months_label = tr("{from}–{to} {year}", { from = tally.month_name(qfrom:month()),
	to = tally.month_name(qto:month()), year = qto:year() })               -- "April–June 2023"
local SOURCE = tr("Source: CICA Digest, {quarter}", { quarter = qlabel })

local ds = all:where({ quarter = quarter }, { strict = false })
if #ds == 0 then
	local first, last = all:span()
	tally.fail(("no records in %s: the data runs from %s to %s"):format(qlabel,
		first and first:key("quarter") or "?", last and last:key("quarter") or "?"), "data")
end

-- ---------------------------------------------------------------------------
-- Counting
-- ---------------------------------------------------------------------------

local N = #ds
local C = {}                      -- field -> Counts, for the fields the data has
for _i, f in ipairs{ "dimension", "countries", "organizations", "event_type", "format", "lead", "kind" } do
	if has_field(ds, f) then
		C[f] = ds:count(f)
		assert(C[f]:to_csv(OUT .. "/tables/" .. f .. ".csv"))
	end
end
C.month = ds:count("month")
assert(C.month:to_csv(OUT .. "/tables/month.csv"))

local function distinct(field)
	local c = C[field]
	return c and #c or 0
end

-- ---------------------------------------------------------------------------
-- Charts: one size for the page and the files, saved as PNG and SVG
-- ---------------------------------------------------------------------------

local report = tally.report{
	title = _("CICA Digest: the quarter in numbers"),
	subtitle = qlabel .. " · " .. months_label,
	author = _("CICA Secretariat"),
	date = trn("counted from the {n} item of the {quarter} issue", "counted from the {n} items of the {quarter} issue",
		N, { quarter = qlabel }),
	footer = tr("CICA Digest · {quarter}", { quarter = qlabel }),
	subject = tr("Activities reported in the CICA Digest, {quarter}", { quarter = qlabel }),
	page_format = _("Page {page} of {pages}"),
}
local W = report:geometry().width   -- the sheet's content width, in points
local saved = {}

-- --scale 2 doubles the pixels of the PNG files for high-density screens.
local SCALE = args.scale
if SCALE < 1 or SCALE > 4 then
	tally.fail(("--scale wants a number from 1 to 4, not '%s'"):format(tostring(args.scale)), "usage")
end

-- A chart for the page, sized by its box, and the same chart for the web in
-- charts/NAME.png and .svg at 600 × 337.5 points (a PNG of 1200 × 675 pixels,
-- times --scale).
local function chart(kind, name, opts, box)
	opts.source = opts.source or SOURCE
	local web = {}
	for k, v in pairs(opts) do web[k] = v end
	web.width, web.height, web.scale = 600, 337.5, SCALE
	local file = tally.chart[kind](web)
	assert(file:save(OUT .. "/charts" .. SUFFIX .. "/" .. name .. ".png"))
	assert(file:save(OUT .. "/charts" .. SUFFIX .. "/" .. name .. ".svg"))
	saved[#saved + 1] = name
	opts.width = box and box.w or W
	opts.height = box and box.h or math.floor(W * 9 / 16)
	return tally.chart[kind](opts)
end

-- A Counts as {label, n} pairs with readable labels, optionally with the
-- records lacking the field as one more row.
local function pairs_of(field, missing_label)
	local list = {}
	for key, n in C[field]:pairs() do
		list[#list + 1] = { pretty(field, key), n }
	end
	local missing = C[field]:info().missing
	if missing_label and missing > 0 then
		list[#list + 1] = { missing_label, missing }
	end
	return list
end

-- A section heading (in the PDF's outline, kept with what follows) and its lead.
local function heading(page, title, text)
	page:heading(title)
	if text and text ~= "" then page:text(text) end
end

-- ---------------------------------------------------------------------------
-- Page 1: the cover
-- ---------------------------------------------------------------------------

local cover = report:page()
local headline = {
	{ N, tally.ngettext("activity reported", "activities reported", N) },
	{ distinct("countries"), tally.ngettext("country engaged", "countries engaged", distinct("countries")) },
	{ distinct("organizations"), tally.ngettext("partner organisation named", "partner organisations named", distinct("organizations")) },
}
do
	local cells = { gap = 8 }
	for i, h in ipairs(headline) do
		cells[i] = ('<span size="%d" weight="bold" foreground="%s">%d</span>\n<span size="%d">%s</span>')
			:format(pt(40), ACCENT, h[1], pt(12), h[2])
	end
	cover:columns(cells)
end

-- What the quarter was: sentences built from the counts.
-- The rows of a Counts in tiers of equal count, largest first:
-- {{count = 14, keys = {"institutional"}}, {count = 9, keys = {...}}, ...}
local function tiers(c)
	local out = {}
	for key, n in c:pairs() do
		local t = out[#out]
		if not t or t.count ~= n then
			t = { count = n, keys = {} }
			out[#out + 1] = t
		end
		t.keys[#t.keys + 1] = key
	end
	table.sort(out, function(a, b) return a.count > b.count end)
	return out
end

local function names(field, keys, bold)
	local list = {}
	for i, k in ipairs(keys) do
		list[i] = bold and "**" .. words(field, k) .. "**" or words(field, k)
	end
	return series_words(list)
end

local para = {}
do
	local s = trn("The {quarter} issue of the CICA Digest reports **{n} activity**",
		"The {quarter} issue of the CICA Digest reports **{n} activities**", N, { quarter = qlabel })
	if C.kind then
		local parts = {}
		for key, n in C.kind:pairs() do
			parts[#parts + 1] = key == "photo" and trn("{n} photo caption", "{n} photo captions", n)
				or key == "article" and trn("{n} article", "{n} articles", n)
				or tr("{kind}: {n}", { kind = words("kind", key), n = n })
		end
		s = tr("{sentence} ({parts})", { sentence = s, parts = series_words(parts) })
	end
	local t = tiers(C.month)
	local function month_names(keys)
		local l = {}
		for i, k in ipairs(keys) do l[i] = tally.month_name(tally.date(k):month()) end
		return series_words(l)
	end
	local parts = { s }
	if #t == 1 and t[1].count > 0 then
		parts[#parts + 1] = tr("Items were spread evenly over the months, {n} a month", { n = t[1].count })
	elseif #t[1].keys == 1 then
		parts[#parts + 1] = trn("The busiest month was {month}, with {n} item", "The busiest month was {month}, with {n} items",
			t[1].count, { month = month_names(t[1].keys) })
	elseif t[1].count > 0 then
		parts[#parts + 1] = trn("The busiest months were {months}, with {n} item each",
			"The busiest months were {months}, with {n} items each", t[1].count, { months = month_names(t[1].keys) })
	end
	local undated = C.month:info().coarse_quarter   -- within the quarter: no month, no year-only
	if undated > 0 then
		parts[#parts] = tr("{sentence}; {rest}", { sentence = parts[#parts],
			rest = trn("{n} item is dated only to the quarter", "{n} items are dated only to the quarter", undated) })
	end
	-- items dated only to the year overlap the quarter without lying in it: not
	-- counted, and said
	local edge = C.month:info().edge
	if edge > 0 then
		parts[#parts + 1] = trn("{n} item dated only to {year} is not counted in this quarter",
			"{n} items dated only to {year} are not counted in this quarter", edge, { year = qto:year() })
	end
	for _i, p in ipairs(parts) do para[#para + 1] = D.sentence(p) end
end
if C.dimension and #C.dimension > 0 then
	local t = tiers(C.dimension)
	local s
	if #t[1].keys == 1 then
		s = trn("{dimension} was the leading dimension with {n} item ({share}%)",
			"{dimension} was the leading dimension with {n} items ({share}%)", t[1].count,
			{ dimension = names("dimension", t[1].keys, true), share = pct(t[1].count, N) })
		if t[2] then
			s = #t[2].keys > 1 and tr("{sentence}, followed by {names} with {n} each",
				{ sentence = s, names = names("dimension", t[2].keys), n = t[2].count })
				or tr("{sentence}, followed by {names} with {n}",
				{ sentence = s, names = names("dimension", t[2].keys), n = t[2].count })
		end
	elseif #t == 1 then
		s = trn("The items are spread over {n} dimension, {each} each", "The items are spread over {n} dimensions, {each} each",
			#C.dimension, { each = t[1].count })
	else
		s = trn("{names} lead with {n} item each", "{names} lead with {n} items each", t[1].count,
			{ names = names("dimension", t[1].keys, true) })
	end
	para[#para + 1] = D.sentence(s)
end
if C.countries and #C.countries > 0 then
	local t = tiers(C.countries)
	local s
	if #t[1].keys == 1 then
		s = trn("{country} appears in {n} item", "{country} appears in {n} items", t[1].count,
			{ country = words("countries", t[1].keys[1]) })
		if t[2] then
			s = tr("{sentence}; {rest}", { sentence = s, rest = #t[2].keys == 1
				and trn("next comes {names} ({n} item)", "next comes {names} ({n} items)", t[2].count,
					{ names = names("countries", t[2].keys) })
				or trn("next come {names} ({n} item each)", "next come {names} ({n} items each)", t[2].count,
					{ names = names("countries", t[2].keys) }) })
		end
	else
		s = tr("{names} appear in most items ({n} each)", { names = names("countries", t[1].keys), n = t[1].count })
	end
	para[#para + 1] = D.sentence(s)
end
if C.organizations and #C.organizations > 0 then
	local i = C.organizations:info()
	local t = tiers(C.organizations)
	local s = trn("{n} item names a partner organisation", "{n} items name a partner organisation", i.records)
	if #t == 1 and t[1].count == 1 then
		s = tr("{sentence}, each organisation once", { sentence = s })
	elseif #t[1].keys == 1 then
		s = tr("{sentence}; {rest}", { sentence = s, rest = trn("{name} is the most frequent, in {n} item",
			"{name} is the most frequent, in {n} items", t[1].count, { name = t[1].keys[1] }) })
	else
		s = tr("{sentence}; {rest}", { sentence = s, rest = trn("{names} are the most frequent, in {n} item each",
			"{names} are the most frequent, in {n} items each", t[1].count, { names = names("organizations", t[1].keys) }) })
	end
	para[#para + 1] = D.sentence(s)
end
if C.lead and #C.lead > 0 then
	local parts = {}
	for key, n in C.lead:pairs() do
		parts[#parts + 1] = ("%s %d"):format(words("lead", key), n)
	end
	local s = tr("Items by lead official: {list}", { list = table.concat(parts, tr("{a}, {b}", { a = "", b = "" })) })
	local missing = C.lead:info().missing
	if missing > 0 then
		s = tr("{sentence}; {rest}", { sentence = s, rest = trn("{n} item names no lead official",
			"{n} items name no lead official", missing) })
	end
	para[#para + 1] = D.sentence(s)
end
cover:text(table.concat(para, _(" ")))   -- the space between sentences (none in Chinese)

do
	local undated = C.month:info().coarse_quarter
	local monthly = {}
	for key, n in C.month:pairs() do
		monthly[#monthly + 1] = { tally.month_name(tally.date(key):month(), "standalone", true), n }
	end
	cover:chart(chart("bar", "by-month", {
		data = monthly,
		title = _("Activities per month"),
		subtitle = undated > 0 and trn("Items by the month of their date; {n} item dated only to the quarter not shown",
			"Items by the month of their date; {n} items dated only to the quarter not shown", undated)
			or _("Items by the month of their date"),
		orientation = "vertical",
	}), { min_h = 220, max_h = 420 })   -- fills what the cover leaves
end

-- ---------------------------------------------------------------------------
-- Page 2: what the activities were about
-- ---------------------------------------------------------------------------

local function chart_h(nbars)               -- a horizontal bar chart's height for n bars
	return math.max(200, math.min(330, 110 + 19 * nbars))
end

-- A box of height h that may give a fifth of it to what follows on the sheet, or
-- grow by a third into room left at the foot.
local function flex(h)
	return { w = W, h = h, min_h = math.floor(h * 0.8), max_h = math.floor(h * 4 / 3) }
end

if C.dimension or C.event_type then
	local p = report:page()
	heading(p, _("What the activities were about"),
		C.dimension and C.event_type and _("Each item is coded with one CICA dimension and one type of event.")
			or C.dimension and _("Each item is coded with one CICA dimension.")
			or _("Each item is coded with one type of event."))
	if C.dimension then
		p:chart(chart("bar", "by-dimension", {
			data = pairs_of("dimension"),
			title = _("Activities per CICA dimension"),
			subtitle = trn("{n} item; each item counts once", "{n} items; each item counts once", N),
			orientation = "horizontal", sort = "desc",
		}, { w = W, h = chart_h(#C.dimension) }), flex(chart_h(#C.dimension)))
	end
	if C.event_type and C.event_type:total() > 0 then
		p:chart(chart("bar", "by-event-type", {
			data = pairs_of("event_type"),
			title = _("Types of event"),
			subtitle = trn("{types} of {n} item", "{types} of {n} items", C.event_type:total(),
				{ types = trn("{n} type", "{n} types", #C.event_type) }),
			orientation = "horizontal", sort = "desc",
		}, { w = W, h = chart_h(#C.event_type) }), flex(chart_h(#C.event_type)))
	end
end

-- ---------------------------------------------------------------------------
-- Page 3: where
-- ---------------------------------------------------------------------------

local TOP_COUNTRIES = 10          -- rows of the bar chart and the heatmap; the rest is Other

if C.countries and #C.countries > 0 then
	local p = report:page()
	local info = C.countries:info()
	local text = trn("{countries} are named in {records} of the {n} item: the place of the activity and the countries whose officials took part as counterparts.",
		"{countries} are named in {records} of the {n} items: the place of the activity and the countries whose officials took part as counterparts.",
		N, { countries = trn("{n} country", "{n} countries", #C.countries), records = info.records })
	if info.missing > 0 then
		text = text .. _(" ") .. trn("{n} item names no country.", "{n} items name no country.", info.missing)
	end
	heading(p, _("Where"), text)

	-- Top N as everywhere (never cut inside a tie; Other counts its items once),
	-- and the title from the rows actually shown.
	local list, shown, nrest = D.top_list(C.countries, TOP_COUNTRIES, function(key) return pretty("countries", key) end,
		function(k) return trn("{n} other country", "{n} other countries", k) end)
	local named, folded = #shown, {}
	for key in C.countries:pairs() do
		local listed = false
		for _i, k in ipairs(shown) do listed = listed or k == key end
		if not listed then folded[#folded + 1] = key end
	end
	local title = _("Countries named")
	if nrest > 0 then
		local first_rest = C.countries:rows()[named + 1].count
		title = tr("{sentence}; {rest}", {
			sentence = trn("The {n} country named most often", "The {n} countries named most often", named),
			rest = first_rest == 1 and trn("{n} more named once", "{n} more named once", nrest)
			                        or trn("{n} more under Other", "{n} more under Other", nrest) })
	end
	-- "more than the items" only where it is so: many items naming no country
	-- can leave the mentions under the items of the quarter
	local subtitle = _("Items naming each country")
	if info.mentions > N then
		subtitle = trn("Items naming each country; an item may name several, so the bars add up to more than the {n} item",
			"Items naming each country; an item may name several, so the bars add up to more than the {n} items", N)
	elseif info.mentions > info.records then
		subtitle = trn("Items naming each country; an item may name several, so the bars add up to more than the {n} item that names one",
			"Items naming each country; an item may name several, so the bars add up to more than the {n} items that name one",
			info.records)
	end
	p:chart(chart("bar", "top-countries", {
		data = list,
		title = title,
		subtitle = subtitle,
		orientation = "horizontal",
	}, { w = W, h = chart_h(#list) }), flex(chart_h(#list)))

	-- Country × month: the months of the quarter, and a column for items dated
	-- only to the quarter, so that each row adds up to its bar above.
	local t = ds:crosstab("countries", "month")
	local months = {}
	for i = 0, 2 do
		months[#months + 1] = tally.date(qfrom:year(), qfrom:month() + i)
	end
	local labels, series = {}, {}
	for j, d in ipairs(months) do
		series[j] = { name = d:format(_("%b")), values = {} }
	end
	local qonly = { name = _("Quarter only"), values = {} }
	local any_qonly = false
	-- the Other row counts the items naming any folded country once, per month
	local other_months = #folded > 0 and ds:where{countries = folded}:count("month") or nil
	for i, row in ipairs(list) do
		labels[i] = row[1]
		local inmonths = 0
		for j, d in ipairs(months) do
			local v = i <= #shown and t:get(shown[i], d:key("month")) or other_months:get(d:key("month"))
			series[j].values[i] = v
			inmonths = inmonths + v
		end
		qonly.values[i] = row[2] - inmonths
		any_qonly = any_qonly or row[2] > inmonths
	end
	if any_qonly then series[#series + 1] = qonly end
	p:chart(chart("heatmap", "country-month", {
		data = { labels = labels, series = series },
		title = _("Countries by month"),
		subtitle = any_qonly and _("Items naming each country per month; “Quarter only”: items dated only to the quarter")
			or _("Items naming each country per month"),
	}, { w = W, h = math.max(200, 110 + 18 * #labels) }), flex(math.max(200, 110 + 18 * #labels)))
end

-- ---------------------------------------------------------------------------
-- Page 4: how and who
-- ---------------------------------------------------------------------------

local has_format = C.format and C.format:total() > 0
local has_lead = C.lead and C.lead:total() > 0
local has_orgs = C.organizations and #C.organizations > 0
if has_format or has_lead or has_orgs then
	local p = report:page()
	local bits = {}
	if has_format then
		local online = C.format:get("online") + C.format:get("hybrid")
		bits[#bits + 1] = trn("{online} of the {n} item took place online or in hybrid format.",
			"{online} of the {n} items took place online or in hybrid format.", N, { online = online })
	end
	if has_lead then
		local top = C.lead:rows()[1]
		bits[#bits + 1] = trn("The {lead} led {n} item.", "The {lead} led {n} items.", top.count,
			{ lead = words("lead", top.key) })
	end
	heading(p, _("How and who"), table.concat(bits, _(" ")))
	if has_format or has_lead then
		-- side by side when both are there; the pair may grow into room left below
		local cols = { gap = 16 }
		local w = (has_format and has_lead) and (W - 16) / 2 or W
		if has_format then
			cols[#cols + 1] = { chart = chart("donut", "by-format", {
				data = pairs_of("format"),
				title = _("Formats"),
				subtitle = _("In person unless the text says online or hybrid"),
			}, { w = w, h = 240 }), h = 240, max_h = 300 }
		end
		if has_lead then
			cols[#cols + 1] = { chart = chart("bar", "by-lead", {
				data = pairs_of("lead", _("No official named")),
				title = _("Lead officials"),
				subtitle = _("The CICA official leading each item"),
				orientation = "horizontal",
				theme = { label_max = 0.55 },   -- long titles ("заместитель Генерального секретаря") wrap, not cut
			}, { w = w, h = 240 }), h = 240, max_h = 300 }
		end
		p:columns(cols)
	end
	if has_orgs then
		-- As many organisations as fit in the room left at 16 points a bar; the rest as Other.
		local room = p:remaining()
		local fit = math.max(3, math.floor((room - 110) / 16))
		local n = #C.organizations
		local list, named, rest = D.top_list(C.organizations, n <= fit and n or fit - 1, function(key) return key end,
			function(k) return trn("{n} other organisation", "{n} other organisations", k) end)
		local shown = #named
		local sub = trn("{organisations} named in {n} item", "{organisations} named in {n} items",
			C.organizations:info().records, { organisations = trn("{n} organisation", "{n} organisations", n) })
		if rest > 0 then sub = tr("The {shown} named most often of {rest}", { shown = shown, rest = sub }) end
		if C.organizations:total() > C.organizations:info().records then
			sub = sub .. _("; an item may name several, so the bars add up to more")
		end
		local h = math.min(room, 110 + 16 * #list)
		p:chart(chart("bar", "partners", {
			data = list,
			title = _("Partner organisations"),
			subtitle = sub,
			orientation = "horizontal",
			theme = { label_max = 0.5 },
		}, { w = W, h = h }), { h = h, max_h = math.max(h, room) })
	end
end

-- ---------------------------------------------------------------------------
-- The items
-- ---------------------------------------------------------------------------

do
	local groups, order = {}, {}
	for rec in ds:records() do
		local d = rec.date
		local key = (d:precision() == "day" or d:precision() == "month") and d:key("month") or "quarter"
		if not groups[key] then
			groups[key] = {}
			order[#order + 1] = key
		end
		table.insert(groups[key], rec)
	end
	table.sort(order, function(a, b)
		if a == "quarter" or b == "quarter" then return b == "quarter" and a ~= "quarter" end
		return a < b
	end)
	local p = report:page()
	heading(p, _("All items"), trn("The {n} item of the {quarter} issue, by the month of its date, in the order printed.",
		"The {n} items of the {quarter} issue, by the month of their date, in the order printed.", N, { quarter = qlabel }))
	-- The date column is as wide as the widest date; titles and their details
	-- hang from one edge after it.
	local function when_of(d)
		-- strftime formats from the catalog: "%e %b" in English, "%-m月%-d日" in Chinese
		return d:precision() == "day" and (d:format(_("%e %b")):gsub("^ ", ""))
			or d:precision() == "month" and d:format(_("%b")) or qlabel
	end
	local hang = 0
	for rec in ds:records() do
		hang = math.max(hang, (p:measure("<b>" .. esc(when_of(rec.date)) .. "</b>")))
	end
	hang = math.ceil(hang) + 10
	local links = has_field(ds, "url")
	for _i, key in ipairs(order) do
		local g = groups[key]
		local name = key == "quarter" and tr("Dated only to the quarter ({n})", { n = #g })
			or tr("{month} ({n})", { month = tally.capitalize(tally.date(key):format(_("%OB %Y"))), n = #g })
		p:subheading(('<span foreground="%s">%s</span>'):format(ACCENT, esc(name)))
		for _i, rec in ipairs(g) do
			local meta = {}
			if rec.dimension then meta[#meta + 1] = pretty("dimension", rec.dimension) end
			if rec.event_type then meta[#meta + 1] = words("event_type", rec.event_type) end
			if rec.format and rec.format ~= "in-person" then meta[#meta + 1] = words("format", rec.format) end
			if rec.countries and #rec.countries > 0 then
				local l = {}
				for i, c in ipairs(rec.countries) do l[i] = pretty("countries", c) end
				meta[#meta + 1] = D.list_words(l)
			end
			if rec.organizations and #rec.organizations > 0 then meta[#meta + 1] = D.list_words(rec.organizations) end
			if rec.lead then
				meta[#meta + 1] = rec.lead == "Director" and _("led by a director")
					or rec.lead == "Expert" and _("led by an expert")
					or tr("led by the {lead}", { lead = words("lead", rec.lead) })
			end
			if rec.participants then
				meta[#meta + 1] = trn("{n} participant", "{n} participants", rec.participants)
			end
			p:text(('<b>%s</b>\t%s\n\t<span size="%d" foreground="%s">%s%s</span>'):format(esc(when_of(rec.date)),
				esc(rec.title or rec.id or _("(no title)")), pt(8.5), MUTED,
				rec.id and esc(rec.id) .. " · " or "", esc(table.concat(meta, " · "))),
				{ hang = hang, link = links and rec.url or nil })
		end
	end
end

assert(report:save(OUT .. "/report" .. SUFFIX .. ".pdf"))
print(("%s: %d items, %d charts (PNG and SVG) in %s/charts%s"):format(OUT .. "/report" .. SUFFIX .. ".pdf",
	N, #saved, OUT, SUFFIX))

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
local D = require "_digest"
local pretty, esc, pt, plural, has_field = D.pretty, D.esc, D.pt, D.plural, D.has_field
local check_quarter, latest_quarter, label_of = D.check_quarter, D.latest_quarter, D.label_of
local LEADS = D.LEADS

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






-- "a, b and c"
local function series_words(list)
	if #list <= 1 then return list[1] or "" end
	return table.concat(list, ", ", 1, #list - 1) .. " and " .. list[#list]
end

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
local qlabel = ("Q%d %d"):format(qfrom:quarter(), qfrom:year())      -- "Q2 2023"
local months_label = qfrom:format("%B") .. "–" .. qto:format("%B %Y")  -- "April–June 2023"
local SOURCE = "Source: CICA Digest, " .. qlabel

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
for _, f in ipairs{ "dimension", "countries", "organizations", "event_type", "format", "lead", "kind" } do
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
	title = "CICA Digest: the quarter in numbers",
	subtitle = qlabel .. " · " .. months_label,
	author = "CICA Secretariat",
	date = "counted from the " .. plural(N, "item") .. " of the " .. qlabel .. " issue",
	footer = "CICA Digest · " .. qlabel,
	subject = "Activities reported in the CICA Digest, " .. qlabel,
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
	assert(file:save(OUT .. "/charts/" .. name .. ".png"))
	assert(file:save(OUT .. "/charts/" .. name .. ".svg"))
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
	{ N, N == 1 and "activity reported" or "activities reported" },
	{ distinct("countries"), distinct("countries") == 1 and "country engaged" or "countries engaged" },
	{ distinct("organizations"), distinct("organizations") == 1 and "partner organisation" or "partner organisations" },
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
		list[i] = bold and "**" .. pretty(field, k) .. "**" or pretty(field, k)
	end
	return series_words(list)
end

local para = {}
do
	local s = ("The %s issue of the CICA Digest reports **%s**"):format(qlabel, plural(N, "activity", "activities"))
	if C.kind then
		local parts = {}
		for key, n in C.kind:pairs() do
			parts[#parts + 1] = key == "photo" and plural(n, "photo caption")
				or key == "article" and plural(n, "article") or plural(n, key)
		end
		s = s .. " (" .. series_words(parts) .. ")"
	end
	local t = tiers(C.month)
	local function month_names(keys)
		local l = {}
		for i, k in ipairs(keys) do l[i] = tally.date(k):format("%B") end
		return series_words(l)
	end
	if #t == 1 and t[1].count > 0 then
		s = s .. (". Items were spread evenly over the months, %d a month"):format(t[1].count)
	elseif #t[1].keys == 1 then
		s = s .. (". The busiest month was %s, with %s"):format(month_names(t[1].keys), plural(t[1].count, "item"))
	elseif t[1].count > 0 then
		s = s .. (". The busiest months were %s, with %s each"):format(month_names(t[1].keys), plural(t[1].count, "item"))
	end
	local undated = C.month:info().missing
	if undated > 0 then
		s = s .. ("; %s dated only to the quarter"):format(undated == 1 and "1 item is" or undated .. " items are")
	end
	para[#para + 1] = s .. "."
end
if C.dimension and #C.dimension > 0 then
	local t = tiers(C.dimension)
	local s
	if #t[1].keys == 1 then
		s = ("%s was the leading dimension with %s (%d%%)"):format(names("dimension", t[1].keys, true),
			plural(t[1].count, "item"), pct(t[1].count, N))
		if t[2] then
			s = s .. (", followed by %s with %d%s"):format(names("dimension", t[2].keys):lower(), t[2].count,
				#t[2].keys > 1 and " each" or "")
		end
	elseif #t == 1 then
		s = ("The items are spread over %s, %d each"):format(plural(#C.dimension, "dimension"), t[1].count)
	else
		s = ("%s lead with %s each"):format(names("dimension", t[1].keys, true), plural(t[1].count, "item"))
	end
	para[#para + 1] = s .. "."
end
if C.countries and #C.countries > 0 then
	local t = tiers(C.countries)
	local s
	if #t[1].keys == 1 then
		s = ("%s appears in %s"):format(t[1].keys[1], plural(t[1].count, "item"))
		if t[2] then
			s = s .. ("; next come%s %s (%s%s)"):format(#t[2].keys == 1 and "s" or "", names("countries", t[2].keys),
				plural(t[2].count, "item"), #t[2].keys > 1 and " each" or "")
		end
	else
		s = ("%s appear in most items (%d each)"):format(names("countries", t[1].keys), t[1].count)
	end
	para[#para + 1] = s .. "."
end
if C.organizations and #C.organizations > 0 then
	local i = C.organizations:info()
	local t = tiers(C.organizations)
	local s = ("%s a partner organisation"):format(i.records == 1 and "1 item names" or i.records .. " items name")
	if #t == 1 and t[1].count == 1 then
		s = s .. ", each organisation once"
	elseif #t[1].keys == 1 then
		s = s .. ("; %s is the most frequent, in %s"):format(t[1].keys[1], plural(t[1].count, "item"))
	else
		s = s .. ("; %s are the most frequent, in %s each"):format(names("organizations", t[1].keys), plural(t[1].count, "item"))
	end
	para[#para + 1] = s .. "."
end
if C.lead and #C.lead > 0 then
	local parts = {}
	for key, n in C.lead:pairs() do
		parts[#parts + 1] = ("%s %d"):format(pretty("lead", key), n)
	end
	para[#para + 1] = "Lead officials: " .. table.concat(parts, ", ") .. "."
end
cover:text(table.concat(para, " "))

do
	local undated = C.month:info().missing
	local monthly = {}
	for key, n in C.month:pairs() do
		monthly[#monthly + 1] = { tally.date(key):format("%B"), n }
	end
	cover:chart(chart("bar", "by-month", {
		data = monthly,
		title = "Activities per month",
		subtitle = undated > 0 and ("Items by the month of their date; %s dated only to the quarter not shown")
			:format(undated == 1 and "1 item" or undated .. " items") or "Items by the month of their date",
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
	heading(p, "What the activities were about",
		C.dimension and C.event_type and "Each item is coded with one CICA dimension and one type of event."
			or C.dimension and "Each item is coded with one CICA dimension."
			or "Each item is coded with one type of event.")
	if C.dimension then
		p:chart(chart("bar", "by-dimension", {
			data = pairs_of("dimension"),
			title = "Activities per CICA dimension",
			subtitle = ("%s; each item counts once"):format(plural(N, "item")),
			orientation = "horizontal", sort = "desc",
		}, { w = W, h = chart_h(#C.dimension) }), flex(chart_h(#C.dimension)))
	end
	if C.event_type and C.event_type:total() > 0 then
		p:chart(chart("bar", "by-event-type", {
			data = pairs_of("event_type"),
			title = "Types of event",
			subtitle = ("%s of %s"):format(plural(#C.event_type, "type"), plural(C.event_type:total(), "item")),
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
	local text = ("%s are named in %s of the %s: the place of the activity and the countries whose officials took part as counterparts.")
		:format(plural(#C.countries, "country", "countries"), info.records, plural(N, "item"))
	if info.missing > 0 then
		text = text .. (" %s no country."):format(info.missing == 1 and "1 item names" or info.missing .. " items name")
	end
	heading(p, "Where", text)

	-- The first TOP_COUNTRIES keys, and a label for the rest when there is one.
	local shown, rest_label = {}, nil
	for key in C.countries:pairs() do
		if #shown < TOP_COUNTRIES then shown[#shown + 1] = key end
	end
	local nrest = #C.countries - #shown
	if nrest > 0 then
		rest_label = ("%s other %s"):format(nrest, nrest == 1 and "country" or "countries")
	end

	local list = {}
	for key, n in C.countries:top(#shown, rest_label):pairs() do
		list[#list + 1] = { key, n }
	end
	p:chart(chart("bar", "top-countries", {
		data = list,
		title = nrest > 0 and ("The %d countries named most often"):format(#shown) or "Countries named",
		subtitle = "Items naming each country; an item may name several",
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
		series[j] = { name = d:format("%b"), values = {} }
	end
	local qonly = { name = "Quarter only", values = {} }
	local any_qonly = false
	for i, row in ipairs(list) do
		labels[i] = row[1]
		local keys = i <= #shown and { shown[i] } or {}
		if i > #shown then
			for key in C.countries:pairs() do
				local listed = false
				for _, k in ipairs(shown) do listed = listed or k == key end
				if not listed then keys[#keys + 1] = key end
			end
		end
		local inmonths = 0
		for j, d in ipairs(months) do
			local v = 0
			for _, key in ipairs(keys) do v = v + t:get(key, d:key("month")) end
			series[j].values[i] = v
			inmonths = inmonths + v
		end
		qonly.values[i] = row[2] - inmonths
		any_qonly = any_qonly or row[2] > inmonths
	end
	if any_qonly then series[#series + 1] = qonly end
	p:chart(chart("heatmap", "country-month", {
		data = { labels = labels, series = series },
		title = "Countries by month",
		subtitle = any_qonly and "Items naming each country per month; “Quarter only”: items dated only to the quarter"
			or "Items naming each country per month",
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
		bits[#bits + 1] = ("%d of the %s took place online or in hybrid format."):format(online, plural(N, "item"))
	end
	if has_lead then
		local top = C.lead:rows()[1]
		bits[#bits + 1] = ("The %s led %s."):format(pretty("lead", top.key), plural(top.count, "item"))
	end
	heading(p, "How and who", table.concat(bits, " "))
	if has_format or has_lead then
		-- side by side when both are there; the pair may grow into room left below
		local cols = { gap = 16 }
		local w = (has_format and has_lead) and (W - 16) / 2 or W
		if has_format then
			cols[#cols + 1] = { chart = chart("donut", "by-format", {
				data = pairs_of("format"),
				title = "Formats",
				subtitle = "In person unless the text says online or hybrid",
			}, { w = w, h = 240 }), h = 240, max_h = 300 }
		end
		if has_lead then
			cols[#cols + 1] = { chart = chart("bar", "by-lead", {
				data = pairs_of("lead", "No official named"),
				title = "Lead officials",
				subtitle = "The CICA official leading each item",
				orientation = "horizontal",
			}, { w = w, h = 240 }), h = 240, max_h = 300 }
		end
		p:columns(cols)
	end
	if has_orgs then
		-- As many organisations as fit in the room left at 16 points a bar; the rest as Other.
		local room = p:remaining()
		local fit = math.max(3, math.floor((room - 110) / 16))
		local n = #C.organizations
		local shown = n <= fit and n or fit - 1
		local rest = n - shown
		local list = {}
		for key, k in C.organizations:top(shown, rest > 0 and ("%d other organisations"):format(rest) or nil):pairs() do
			list[#list + 1] = { key, k }
		end
		local sub = ("%s named in %s"):format(plural(n, "organisation"), plural(C.organizations:info().records, "item"))
		if rest > 0 then sub = ("The %d named most often of %s"):format(shown, sub) end
		local h = math.min(room, 110 + 16 * #list)
		p:chart(chart("bar", "partners", {
			data = list,
			title = "Partner organisations",
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
	heading(p, "All items", ("The %s of the %s issue, by the month of their date, in the order printed.")
		:format(plural(N, "item"), qlabel))
	-- The date column is as wide as the widest date; titles and their details
	-- hang from one edge after it.
	local function when_of(d)
		return d:precision() == "day" and d:format("%e %b"):gsub("^ ", "")
			or d:precision() == "month" and d:format("%b") or qlabel
	end
	local hang = 0
	for rec in ds:records() do
		hang = math.max(hang, (p:measure("<b>" .. esc(when_of(rec.date)) .. "</b>")))
	end
	hang = math.ceil(hang) + 10
	local links = has_field(ds, "url")
	for _, key in ipairs(order) do
		local g = groups[key]
		local name = key == "quarter" and ("Dated only to the quarter (%d)"):format(#g)
			or ("%s (%d)"):format(tally.date(key):format("%B %Y"), #g)
		p:subheading(('<span foreground="%s">%s</span>'):format(ACCENT, esc(name)))
		for _, rec in ipairs(g) do
			local meta = {}
			if rec.dimension then meta[#meta + 1] = pretty("dimension", rec.dimension) end
			if rec.event_type then meta[#meta + 1] = pretty("event_type", rec.event_type):lower() end
			if rec.format and rec.format ~= "in-person" then meta[#meta + 1] = rec.format end
			if rec.countries and #rec.countries > 0 then meta[#meta + 1] = table.concat(rec.countries, ", ") end
			if rec.organizations and #rec.organizations > 0 then meta[#meta + 1] = table.concat(rec.organizations, ", ") end
			if rec.lead then
				local who = LEADS[rec.lead] and rec.lead or pretty("lead", rec.lead)
				meta[#meta + 1] = "led by " .. (who == "Director" and "a director" or who == "Expert" and "an expert" or "the " .. who)
			end
			if rec.participants then meta[#meta + 1] = plural(rec.participants, "participant") end
			p:text(('<b>%s</b>\t%s\n\t<span size="%d" foreground="%s">%s%s</span>'):format(esc(when_of(rec.date)),
				esc(rec.title or rec.id or "(no title)"), pt(8.5), MUTED,
				rec.id and esc(rec.id) .. " · " or "", esc(table.concat(meta, " · "))),
				{ hang = hang, link = links and rec.url or nil })
		end
	end
end

assert(report:save(OUT .. "/report.pdf"))
print(("%s: %s, %d charts (PNG and SVG) in %s/charts"):format(OUT .. "/report.pdf",
	plural(N, "item"), #saved, OUT))

-- Two quarters of the CICA Digest side by side: grouped bars per dimension and
-- per month of the quarter, and a table of the changes.
--
--   tally run scripts/compare.lua --data a.csv [b.csv] [--quarter 2023Q2] [--base 2023Q1]
--                                 [--by dimension] --out reports/compare
--
-- --data    one digest CSV holding both quarters, or two: --quarter is counted in
--           the first file, --base in the second (--data a.csv --data b.csv works too).
-- --quarter the quarter to report (2023Q2 or 2023-Q2); default: the latest
--           quarter with records in the first file.
-- --base    the quarter to compare it with; default: the quarter before --quarter.
-- --by      the field of the first chart and change table (default: dimension;
--           any field works, e.g. event_type, format, countries).
-- --out     where DIR/compare.pdf, DIR/charts/NAME.{png,svg} (compare.ru.pdf and
--           charts.ru/ in another language: one DIR holds every edition) and the change
--           tables DIR/tables/change-FIELD.csv and DIR/tables/change-month.csv go.
--
-- Change tables: field,before,after,change,percent; percent is empty where the
-- base quarter had none (the PDF says "new").
local tally = require "tally"
local D = require "digest"
local pretty, esc, pt, has_field = D.pretty, D.esc, D.pt, D.has_field
local latest_quarter, label_of = D.latest_quarter, D.label_of
local tr, trn, _ = D.tr, D.trn, tally._
local function N_(s) return s end          -- a message for the catalogs, translated where used

local args = tally.options{
	description = "Two quarters of the CICA Digest side by side: DIR/compare.pdf, its charts (DIR/charts)\n"
		.. "and the change tables (DIR/tables). One --data file holds both quarters, or two:\n"
		.. "--quarter is counted in the first file, --base in the second.",
	{ name = "quarter", type = "quarter", help = "the quarter to report (default: the latest with records)" },
	{ name = "base", type = "quarter", help = "the quarter to compare with (default: the one before)" },
	{ name = "by", type = "string", default = "dimension", help = "the field of the first chart and change table" },
	{ name = "allow_empty_base", type = "flag", help = "compare even when the base quarter has no records" },
	{ name = "scale", type = "number", default = 1, help = "PNG pixel density of the chart files: 2 for high-density screens (2400 × 1350)" },
}
local OUT = args.out or tally.fail("compare.lua writes a report: give --out DIR", "usage")
local BY = args.by
local LANG = tally.lang()
local SUFFIX = LANG == "en" and "" or "." .. LANG   -- compare.ru.pdf, charts.ru/

-- ---------------------------------------------------------------------------
-- Words
-- ---------------------------------------------------------------------------

local MUTED = "#5F6368"
local BEFORE_COLOUR, AFTER_COLOUR = "#56B4E9", "#0072B2"   -- Okabe–Ito sky blue, blue (bars)
-- Text needs 4.5:1 on white (3:1 when large): sky blue has 2.3, so the base
-- quarter's figure is set in grey and the report quarter's in blue (5.1:1).
local BEFORE_TEXT, AFTER_TEXT = "#5F6368", "#0072B2"

local function signed(n)      -- "+3", "−11" (a true minus), "0", as the charts print them
	return tally.number(n, "signed")
end

-- The percent change as Counts:diff gives it (nil: nothing before).
local function percent(before, after)
	if before == 0 then return nil end
	return (after - before) * 100 / before
end

local function percent_text(p, before, after)
	if p == nil then return after > 0 and _("new") or "–" end
	return tally.number(math.floor(p * 10 + 0.5) / 10, "change")   -- "+60%", "−12.5%"
end

-- ---------------------------------------------------------------------------
-- The two quarters
-- ---------------------------------------------------------------------------



local files = args.data or {}
if #files == 0 then tally.fail("compare.lua needs data: --data FILE [FILE2]", "usage") end
if #files > 2 then
	tally.fail(("compare.lua compares two quarters: give one or two --data files, not %d"):format(#files), "usage")
end
local now_all = tally.data(1)
local base_all = #files == 2 and tally.data(2) or now_all

local quarter = args.quarter or latest_quarter(now_all)
	or tally.fail("no dated records in " .. files[1], "data")
local base = args.base or D.previous(quarter)

local now_label, base_label = label_of(quarter), label_of(base)
if now_label == base_label then            -- one quarter in two files: name the files
	now_label = now_label .. " (" .. files[1]:match("[^/]+$") .. ")"
	base_label = base_label .. " (" .. (files[2] or files[1]):match("[^/]+$") .. ")"
	if now_label == base_label then
		tally.fail(("--quarter and --base are both %s of the same data: nothing to compare"):format(label_of(quarter)), "usage")
	end
end

for i, ds in ipairs{ now_all, base_all } do
	if not has_field(ds, BY) then
		tally.fail(("--by %s: %s has no field '%s'"):format(BY, files[i] or files[1], BY), "usage")
	end
end

local now, before = D.periods({ now_all, #files == 2 and base_all or nil }, files, quarter, base,
	args.allow_empty_base)

local SOURCE = tr("Source: CICA Digest, {base} and {now}", { base = base_label, now = now_label })

-- ---------------------------------------------------------------------------
-- Counting: per field with Counts:diff, per month position by hand (the
-- months of two quarters have different keys)
-- ---------------------------------------------------------------------------

local count_now, count_base = now:count(BY), before:count(BY)
local diff = count_now:diff(count_base)
local LIST_BY = count_now:info().list   -- an item may have several values of BY
-- items dated only to the year overlap a quarter without lying in it: in neither
-- column, and said under each table
local EDGE = { { count_base:info().edge, base_label }, { count_now:info().edge, now_label } }
assert(diff:to_csv(OUT .. "/tables/change-" .. BY .. ".csv"))

local ORD = { N_("1st month ({base} / {now})"), N_("2nd month ({base} / {now})"), N_("3rd month ({base} / {now})") }
local function by_position(view)
	local c = view:count("month")
	local out = {}
	for i, key in ipairs(c:keys()) do out[i] = { key = key, n = c:get(key) } end
	out.undated = c:info().coarse_quarter   -- in the quarter, but in no month of it
	return out
end
local mnow, mbase = by_position(now), by_position(before)
local months = {}                          -- {label =, key =, before =, after =, change =, pct =}
for i = 1, 3 do
	local a, b = mnow[i], mbase[i]
	months[i] = {
		key = "month-" .. i,
		label = tr(ORD[i], { base = tally.date(b.key):format(_("%b")), now = tally.date(a.key):format(_("%b")) }),
		before = b.n, after = a.n,
	}
end
if mnow.undated + mbase.undated > 0 then
	months[#months + 1] = { key = "quarter-only", label = _("Dated only to the quarter"),
		before = mbase.undated, after = mnow.undated }
end
do
	local f = assert(io.open(OUT .. "/tables/change-month.csv", "w"))
	f:write("month,before,after,change,percent\n")
	for _, m in ipairs(months) do
		m.change = m.after - m.before
		m.pct = percent(m.before, m.after)
		f:write(("%s,%d,%d,%d,%s\n"):format(m.key, m.before, m.after, m.change,
			m.pct and ("%.1f"):format(m.pct) or ""))
	end
	f:close()
end

-- ---------------------------------------------------------------------------
-- Charts
-- ---------------------------------------------------------------------------

local report = tally.report{
	title = tr("CICA Digest: {now} against {base}", { now = now_label, base = base_label }),
	subtitle = _("Two quarters side by side"),
	author = _("CICA Secretariat"),
	date = tr("counted from {before} and {after}", { before = trn("{n} item", "{n} items", #before),
		after = trn("{n} item", "{n} items", #now) }),
	footer = tr("CICA Digest · {now} against {base}", { now = now_label, base = base_label }),
	page_format = _("Page {page} of {pages}"),
}
local W = report:geometry().width          -- the sheet's content width, in points
local saved = {}
-- The page's chart, and the same for the web in charts/NAME.png and .svg at
-- 600 × 337.5 points (a PNG of 1200 × 675 pixels, times --scale).
local SCALE = args.scale
if SCALE < 1 or SCALE > 4 then
	tally.fail(("--scale wants a number from 1 to 4, not '%s'"):format(tostring(args.scale)), "usage")
end
local function grouped(name, opts)
	opts.source = SOURCE
	opts.theme = { palette = { BEFORE_COLOUR, AFTER_COLOUR } }
	local web = {}
	for k, v in pairs(opts) do web[k] = v end
	web.width, web.height, web.scale = 600, 337.5, SCALE
	local file = tally.chart.bar(web)
	assert(file:save(OUT .. "/charts" .. SUFFIX .. "/" .. name .. ".png"))
	assert(file:save(OUT .. "/charts" .. SUFFIX .. "/" .. name .. ".svg"))
	saved[#saved + 1] = name
	opts.width, opts.height = W, opts.height or 300
	return tally.chart.bar(opts)
end

local field_rows = diff:rows()
local labels, was, is = {}, {}, {}
for i, r in ipairs(field_rows) do
	labels[i], was[i], is[i] = pretty(BY, r.key), r.before, r.after
end
local BY_WORDS = tally.label(BY)   -- "CICA dimension", "country", "event type"
local field_chart = grouped("compare-" .. BY, {
	data = { labels = labels, series = { { name = base_label, values = was }, { name = now_label, values = is } } },
	title = tr("Activities per {field}", { field = BY_WORDS }),
	subtitle = tr("{now} against {base}", { now = now_label, base = base_label }),
	orientation = "horizontal",
	height = math.max(240, math.min(420, 130 + 30 * #labels)),
})

local mlabels, mwas, mis = {}, {}, {}
for i, m in ipairs(months) do
	mlabels[i], mwas[i], mis[i] = m.label, m.before, m.after
end
local month_chart = grouped("compare-month", {
	data = { labels = mlabels, series = { { name = base_label, values = mwas }, { name = now_label, values = mis } } },
	title = _("Activities per month of the quarter"),
	subtitle = tr("{now} against {base}, by the month of each item's date", { now = now_label, base = base_label }),
	orientation = "vertical",
})

-- ---------------------------------------------------------------------------
-- The change table: a table block in the text face, figures right-aligned in
-- columns (tabular figures), changes signed and percentages with their sign
-- ---------------------------------------------------------------------------

local function change_table(head, rows, total)
	local labels, before, after, change, pctv = {}, {}, {}, {}, {}
	local all = {}
	for _, r in ipairs(rows) do all[#all + 1] = r end
	if total then all[#all + 1] = total end
	for i, r in ipairs(all) do
		labels[i], before[i], after[i], change[i] = r.label, r.before, r.after, r.change
		pctv[i] = r.pct or false                -- false: no base to compare with ("–")
	end
	local notes = {}
	if total then
		-- "add up to more" only where a column of the rows does
		local sb, sa = 0, 0
		for _i, r in ipairs(rows) do sb, sa = sb + r.before, sa + r.after end
		notes[1] = D.sentence(LIST_BY and (sb > total.before or sa > total.after)
			and tr("The last row counts all items; an item may name several {things}, so the rows above add up to more",
				{ things = tally.label(BY, true) })
			or _("The last row counts all items"))
	end
	for _i, e in ipairs(EDGE) do
		if e[1] > 0 then
			notes[#notes + 1] = D.sentence(trn("{quarter} leaves out {n} item dated only to the year",
				"{quarter} leaves out {n} items dated only to the year", e[1], { quarter = e[2] }))
		end
	end
	notes[#notes + 1] = D.sentence(tr("–: none in {base}", { base = base_label }))
	notes[#notes + 1] = D.sentence(SOURCE)
	return {
		data = { labels = labels, series = {
			{ name = base_label, values = before },
			{ name = now_label, values = after },
			{ name = _("Change"), values = change, format = "signed" },
			{ name = _("Percent"), values = pctv, format = "change" },
		} },
		options = { title = head, totals = false,
			source = table.concat(notes, _(" ")) },
	}
end

local total = { label = _("All items"), before = #before, after = #now }
total.change = total.after - total.before
total.pct = percent(total.before, total.after)

local rows = {}
for i, r in ipairs(field_rows) do
	rows[i] = { key = r.key, label = pretty(BY, r.key), before = r.before, after = r.after, change = r.change, pct = r.pct }
end

-- ---------------------------------------------------------------------------
-- The report
-- ---------------------------------------------------------------------------


local p = report:page()
local heads = {
	{ #before, trn("item in {quarter}", "items in {quarter}", #before, { quarter = base_label }) },
	{ #now, trn("item in {quarter}", "items in {quarter}", #now, { quarter = now_label }) },
	{ signed(total.change), total.pct and tr("change ({percent})", { percent = percent_text(total.pct) }) or _("change") },
}
local cells = { gap = 8 }
for i, h in ipairs(heads) do
	cells[i] = ('<span size="%d" weight="bold" foreground="%s">%s</span>\n<span size="%d">%s</span>')
		:format(pt(34), i == 1 and BEFORE_TEXT or AFTER_TEXT, h[1], pt(11), esc(h[2]))
end
p:columns(cells)

-- The largest rise and fall, in words: every value tied for either is named.
do
	local s = D.sentence(trn("the digest reports {n} item in {now} against {before} in {base} ({change})",
		"the digest reports {n} items in {now} against {before} in {base} ({change})", #now,
		{ now = now_label, before = trn("{n} item", "{n} items", #before), base = base_label,
		  change = total.pct and percent_text(total.pct) or signed(total.change) }))
	local moves = D.rise_and_fall(rows, function(r) return "**" .. esc(D.words(BY, r.key)) .. "**" end)
	if moves ~= "" then s = s .. _(" ") .. moves end
	p:text(s)
end
p:chart(field_chart, { min_h = 200 })
local t = change_table(tally.capitalize(BY_WORDS), rows, total)
p:table(t.data, nil, t.options)

local p2 = report:page()
p2:heading(_("Month by month"))
p2:chart(month_chart, { min_h = 220, max_h = 420 })
local mrows = {}
for i, m in ipairs(months) do mrows[i] = m end
t = change_table(_("Month of the quarter"), mrows, total)
p2:table(t.data, nil, t.options)

assert(report:save(OUT .. "/compare" .. SUFFIX .. ".pdf"))
print(("%s: %s against %s, %d charts (PNG and SVG)"):format(OUT .. "/compare" .. SUFFIX .. ".pdf", now_label, base_label, #saved))
diff:print()

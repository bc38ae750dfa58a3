-- Words and quarters the report scripts and plugins share (scripts/quarterly.lua,
-- compare.lua, plugins/compare-quarters.lua): a helper in lib/, where require finds it.
local tally = require "tally"

local M = {}

-- Words in the reader's language (tally run --lang): a message of po/LANG.po with
-- {name} fields filled from vars, so that a translation may put them in
-- any order. tr("{n} of {total}", {n = 3, total = 36})
function M.tr(msgid, vars)
	return (tally._(msgid):gsub("{([%w_]+)}", function(k)
		local v = vars and vars[k]
		return v ~= nil and tostring(v) or nil
	end))
end

-- The form for n: trn("{n} item", "{n} items", 3) -> "3 items" ("3 записи").
function M.trn(one, many, n, vars)
	vars = vars or {}
	vars.n = vars.n or n
	return (tally.ngettext(one, many, n):gsub("{([%w_]+)}", function(k)
		local v = vars[k]
		return v ~= nil and tostring(v) or nil
	end))
end

-- A value's words in the reader's language, as they read mid-sentence: the label
-- data/labels.tsv gives it ("cultural-event" -> "cultural event", through the
-- catalogs), a country by iso-codes, anything else as it is written.
function M.words(field, key)
	if field == "countries" then return tally.country_name(key) end
	return tally.value_label(field, key) or key
end

-- The same standing alone (a bar, a row, the start of a sentence): "Cultural event".
function M.pretty(field, key)
	return tally.capitalize(M.words(field, key))
end

-- A sentence with its full stop, its first letter capitalised after any
-- markup ("**human** was ..." -> "**Human** was ..."): values read in lower
-- case where the language writes them so, and only the finished sentence knows
-- which word comes first.
function M.sentence(s)
	local lead, rest = s:match("^([%p%s]*)(.*)$")
	return M.tr("{sentence}.", { sentence = lead .. tally.capitalize(rest) })
end

-- Text for pango markup.
function M.esc(s)
	return (tostring(s):gsub("[&<>]", { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;" }))
end

-- Pango markup sizes are in 1024ths of a point.
function M.pt(n)
	return math.floor(n * 1024 + 0.5)
end

-- "a, b, c" in the reader's language (Arabic "a، b، c"; Chinese "a、b" is the
-- translator's to choose).
function M.list_words(list)
	local s = list[1] or ""
	for i = 2, #list do s = M.tr("{a}, {b}", { a = s, b = list[i] }) end
	return s
end

-- "a, b and c" in the reader's language.
function M.series_words(list)
	if #list <= 1 then return list[1] or "" end
	local head = list[1]
	for i = 2, #list - 1 do head = M.tr("{a}, {b}", { a = head, b = list[i] }) end
	return M.tr("{a} and {b}", { a = head, b = list[#list] })
end

function M.has_field(ds, name)
	for _, f in ipairs(ds:fields()) do
		if f == name then return true end
	end
	return false
end

-- "2023Q2" or "2023-Q2" -> "2023Q2", or a usage error naming the option.
function M.check_quarter(opt, q)
	if type(q) ~= "string" or not pcall(tally.quarter, q) then
		tally.fail(("--%s: '%s' is not a quarter (expected 2023Q2 or 2023-Q2)"):format(opt, tostring(q)), "usage")
	end
	return (q:gsub("%-", ""))
end

-- The last quarter with records, or nil.
function M.latest_quarter(ds)
	local last
	for key, n in ds:count("quarter"):pairs() do
		if n > 0 then last = key end
	end
	return last and last:gsub("%-", "")
end

-- "2023Q2" -> "Q2 2023" (in the reader's language)
function M.label_of(q)
	local from = tally.quarter(q)
	return M.tr("Q{q} {year}", { q = from:quarter(), year = from:year() })
end

-- "2023Q2" -> "2023Q1", "2023Q1" -> "2022Q4"
function M.previous(q)
	local from = tally.quarter(q)
	local y, n = from:year(), from:quarter()
	return n == 1 and ("%dQ4"):format(y - 1) or ("%dQ%d"):format(y, n - 1)
end

-- The two periods of a comparison, one rule for compare.lua and the
-- compare-quarters plugin: with one dataset both periods come from it; with two,
-- the quarter from the first and the base from the second. names are the files,
-- for messages. A quarter without records is an error, and so is a base without
-- records unless allow_empty_base (then every change reads "new"); an item id in
-- both periods is an error, as it would be counted twice.
function M.periods(datasets, names, quarter, base, allow_empty_base)
	if #datasets == 0 then tally.fail("no data: give --data FILE [FILE2]", "usage") end
	if #datasets > 2 then
		tally.fail(("a comparison takes one or two --data files, not %d"):format(#datasets), "usage")
	end
	local now_all, base_all = datasets[1], datasets[2] or datasets[1]
	local now_file, base_file = names[1] or "the data", names[2] or names[1] or "the data"
	local now = now_all:where({ quarter = quarter }, { strict = false })
	local before = base_all:where({ quarter = base }, { strict = false })
	if #now == 0 then
		tally.fail(("no records in %s in %s"):format(M.label_of(quarter), now_file), "data")
	end
	if #before == 0 and not allow_empty_base then
		tally.fail(("no records in %s, the base period, in %s: every change would read \"new\" "
			.. "(--base QUARTER picks another; --allow-empty-base compares with nothing)")
			:format(M.label_of(base), base_file), "data")
	end
	if M.has_field(now, "id") and M.has_field(before, "id") then
		local seen = {}
		for rec in now:records() do
			if rec.id then seen[rec.id] = true end
		end
		for rec in before:records() do
			if rec.id and seen[rec.id] then
				tally.fail(("item %s is in both %s (%s) and %s (%s): it would be counted twice")
					:format(rec.id, M.label_of(quarter), now_file, M.label_of(base), base_file), "data")
			end
		end
	end
	return now, before
end

-- The rows tied for the largest rise and for the largest fall: rows are tables
-- with .change; either list may be empty.
function M.extremes(rows)
	local up, down = {}, {}
	for _, r in ipairs(rows) do
		if r.change > 0 then
			if not up[1] or r.change > up[1].change then up = { r }
			elseif r.change == up[1].change then up[#up + 1] = r end
		elseif r.change < 0 then
			if not down[1] or r.change < down[1].change then down = { r }
			elseif r.change == down[1].change then down[#down + 1] = r end
		end
	end
	return up, down
end

-- A sentence naming every value tied for the largest rise and fall, or "":
-- "The largest rise is in A (3 to 5); the largest fall, 5 each, is shared by B
-- (14 to 9) and C (9 to 4)." name(row) gives a row's words (markup allowed).
function M.rise_and_fall(rows, name)
	local up, down = M.extremes(rows)
	local function words(list)
		local w = {}
		for i, r in ipairs(list) do
			w[i] = M.tr("{name} ({before} to {after})", { name = name(r), before = r.before, after = r.after })
		end
		return w
	end
	local s = {}
	if up[1] then
		s[#s + 1] = #up == 1 and M.tr("the largest rise is in {what}", { what = words(up)[1] })
			or M.trn("the largest rise, {n} each, is shared by {what}", "the largest rise, {n} each, is shared by {what}",
				up[1].change, { what = M.series_words(words(up)) })
	end
	if down[1] then
		s[#s + 1] = #down == 1 and M.tr("the largest fall is in {what}", { what = words(down)[1] })
			or M.trn("the largest fall, {n} each, is shared by {what}", "the largest fall, {n} each, is shared by {what}",
				-down[1].change, { what = M.series_words(words(down)) })
	end
	if #s == 0 then return "" end
	local text = #s == 2 and M.tr("{sentence}; {rest}", { sentence = s[1], rest = s[2] }) or s[1]
	return M.sentence(text)
end

-- The rows of counts:top(n) for a chart or a list: {label(key), value} for each
-- value named, {other(k), value} for the Other row folding k values. Returns the
-- rows, the keys named, and k (0 when nothing was folded).
function M.top_list(counts, n, label, other)
	local rows, named, folded = {}, {}, 0
	for key, v in counts:top(n):pairs() do
		local k = key:match("^Other %((%d+) values%)$")
		if k then
			folded = tonumber(k)
			rows[#rows + 1] = { other(folded), v }
		else
			named[#named + 1] = key
			rows[#rows + 1] = { label(key), v }
		end
	end
	return rows, named, folded
end

return M

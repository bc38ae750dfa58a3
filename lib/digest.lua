-- Words and quarters the report scripts and plugins share (scripts/quarterly.lua,
-- compare.lua, plugins/compare-quarters.lua): a helper in lib/, where require finds it.
local tally = require "tally"

local M = {}

M.DIMENSIONS = {
	["military-political"] = "Military-political",
	["new-challenges-and-threats"] = "New challenges and threats",
	economic = "Economic", environmental = "Environmental",
	human = "Human", institutional = "Institutional",
}
M.LEADS = {
	SG = "Secretary General", DSG = "Deputy Secretary General",
	Director = "Director", Expert = "Expert",
}

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

-- "cultural-event" -> "Cultural event"; dimensions and leads by name; countries
-- by iso-codes in the reader's language; other names as they are.
function M.pretty(field, key)
	if field == "dimension" and M.DIMENSIONS[key] then return tally._(M.DIMENSIONS[key]) end
	if field == "lead" and M.LEADS[key] then return tally._(M.LEADS[key]) end
	if field == "countries" then return tally.country_name(key) end
	if field == "organizations" or field == "lead" then return key end
	local s = key:gsub("[%-_]", " ")
	return tally._((s:gsub("^%l", string.upper)))
end

-- Text for pango markup.
function M.esc(s)
	return (tostring(s):gsub("[&<>]", { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;" }))
end

-- Pango markup sizes are in 1024ths of a point.
function M.pt(n)
	return math.floor(n * 1024 + 0.5)
end

function M.plural(n, one, many)
	return M.trn("{n} " .. one, "{n} " .. (many or one .. "s"), n)
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

-- "a, b and c"
function M.series(list)
	if #list <= 1 then return list[1] or "" end
	return table.concat(list, ", ", 1, #list - 1) .. " and " .. list[#list]
end

-- A sentence naming every value tied for the largest rise and fall, or "":
-- "The largest rise is in A (3 to 5); the largest fall, 5 each, in B (14 to 9)
-- and C (9 to 4)." name(row) gives a row's words (markup allowed).
function M.rise_and_fall(rows, name)
	local up, down = M.extremes(rows)
	local function part(list, what)
		local words = {}
		for i, r in ipairs(list) do
			words[i] = ("%s (%d to %d)"):format(name(r), r.before, r.after)
		end
		local by = math.abs(list[1].change)
		if #list == 1 then
			return ("the largest %s is in %s"):format(what, words[1])
		end
		return ("the largest %s, %d each, is shared by %s"):format(what, by, M.series(words))
	end
	local s = {}
	if up[1] then s[#s + 1] = part(up, "rise") end
	if down[1] then s[#s + 1] = part(down, "fall") end
	if #s == 0 then return "" end
	local text = table.concat(s, "; ")
	return text:gsub("^%l", string.upper) .. "."
end

return M

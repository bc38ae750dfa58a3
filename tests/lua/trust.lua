-- checks: 23
-- Filter values are checked (issue 9): ds:where on tests/fixtures/lua-digest.csv
-- (15 records, 2023-01..2023-06). A value outside a vocabulary, a malformed date
-- part or (unless {strict = false}) a value no record holds raises, naming the
-- function, the value and what was meant; errors name where and what.
local H = ...
local tally = require "tally"
local err = H.err
local ds = assert(tally.load(H.digest))
local q2 = ds:where{quarter = "2023Q2"}

return {
	{"where: a misspelt country says did you mean", function() ds:where{countries = "Uzbekstan"} end,
		err("where: unknown country 'Uzbekstan' (did you mean 'Uzbekistan'?)")},
	{"where: the same rule as tally.country", function()
		local c, msg = tally.country("Uzbekstan")
		return c == nil and tostring(msg):find("did you mean Uzbekistan", 1, true) ~= nil or {c, msg}
	end},
	{"where: a country no record names is an empty view, not an error", function()
		return #ds:where{countries = "Japan"}
	end, 0},
	{"where: a misspelt dimension says did you mean", function() ds:where{dimension = "economics"} end,
		err("where: unknown dimension 'economics' (did you mean 'economic'?)")},
	{"where: a value no record holds names the nearest held", function() ds:where{event_type = "meetings"} end,
		err("where: no record has event_type 'meetings' (nearest values held: 'meeting'")},
	{"where: the error says how to ask for an empty view", function() ds:where{kind = "video"} end,
		err("{strict = false}")},
	{"where: {strict = false} gives the empty view", function()
		return #ds:where({kind = "video"}, {strict = false})
	end, 0},
	{"where: the options are checked too", function() ds:where({kind = "photo"}, {strcit = false}) end,
		err("where: unknown option 'strcit' (did you mean 'strict'?)")},
	{"where: a column named strict would stay filterable", function()
		return #ds:where({kind = "photo"}, {strict = true})
	end, 2},
	{"where: a held value in a view that lacks it is fine", function()
		return #q2:where{kind = "photo"}:where{quarter = "2023Q1"}
	end, 0},
	{"where: checked against the whole dataset, not the view", function()
		return #q2:where{event_type = "seminar"}
	end, 0},
	{"where: a quarter no record is in raises, naming the span", function() ds:where{quarter = "2022Q4"} end,
		err("where: no record is dated in quarter 2022Q4: the dates run from 2023-01-12 to 2023-06-28")},
	{"where: a malformed quarter names function, argument and form", function() ds:where{quarter = "2023-2"} end,
		err("where: unknown quarter '2023-2' (expected 2023Q2 or 2023-Q2)")},
	{"where: a malformed month names function, argument and form", function() ds:where{month = "2023-4"} end,
		err("where: unknown month '2023-4' (expected 2023-04)")},
	{"where: a bad from names the key", function() ds:where{from = "2023-02-30"} end,
		err("where: from: '2023-02-30': impossible date")},
	{"where: the error says where in the script", function() ds:where{quarter = "2023-2"} end,
		err("trust.lua:")},
	{"where: month as a tally.Date", function() return #ds:where{month = tally.date("2023-05")} end, 4},
	{"where: a year view counts all its months, January to December", function()
		return #ds:where{year = "2023"}:count("month")
	end, 12},
	{"count: an unknown field names the function and suggests", function() ds:count("dimensions") end,
		err("count: no field 'dimensions' (did you mean 'dimension'?)")},
	{"tally.chart: an unknown chart type suggests", function() return tally.chart.donught end,
		err("tally.chart: no chart type 'donught' (did you mean 'donut'?)")},
	{"tally.chart: an unknown option suggests", function() tally.chart.bar{data = {{"a", 1}}, titel = "x"} end,
		err("unknown chart option 'titel' (did you mean 'title'?)")},
	{"suggest: one rule in Lua", function()
		return {tally.suggest("quater", {"month", "quarter", "year"}), tally.suggest("colour", {"month"})}
	end, {"quarter"}},
	{"fail: a usage failure carries its message", function() tally.fail("no such thing", "usage") end,
		err("no such thing")},
}

-- checks: 117
-- The tally module on tests/fixtures/lua-digest.csv (15 records, 2023-01..2023-06):
-- every function with real values, and the errors a wrong argument raises.
local H = ...
local tally = require "tally"
local err = H.err
local ds = assert(tally.load(H.digest))
local q2 = ds:where{quarter = "2023Q2"}

-- {key, n} pairs of a Counts, in its order
local function pairs_of(c)
	local t = {}
	for k, n in c:pairs() do
		t[#t + 1] = {k, n}
	end
	return t
end

local function ids(view)
	local t = {}
	for rec in view:records() do
		t[#t + 1] = rec.id
	end
	return t
end

local function slurp(path)
	local f = assert(io.open(path))
	local s = f:read("a")
	f:close()
	return s
end

return {
	-- loading
	{"require gives the preloaded module", function() return require("tally") == tally end},
	{"load: #ds", function() return #ds end, 15},
	{"load: fields", function() return ds:fields() end,
		{"id", "date", "title", "dimension", "countries", "organizations", "event_type", "format", "lead",
		 "participants", "kind"}},
	{"load: a bad date is nil + file:line:column", function()
		local d, msg = tally.load(H.fixtures .. "/bad-date.csv")
		return {d, msg:match("bad%-date%.csv:3:2:") ~= nil}
	end, {nil, true}},
	{"load: a missing file is nil + message", function()
		local d, msg = tally.load(H.fixtures .. "/no-such-file.csv")
		return {d, type(msg)}
	end, {nil, "string"}},
	{"load: an unknown option raises", function() tally.load(H.digest, {colour = "red"}) end,
		err("unknown option 'colour'")},
	{"load: a bad country_codes raises", function() tally.load(H.digest, {country_codes = "iso9"}) end,
		err("country_codes wants")},
	{"load: map as a string", function()
		return #assert(tally.load(H.digest, {map = "date=date,country=countries"}))
	end, 15},
	{"data: without --data is a data error", function() tally.data() end, err("no data: give a file with --data")},
	{"args: data is a list", function() return type(tally.args.data) end, "table"},
	{"version", function() return type(tally.version) end, "string"},

	-- counting
	{"count: dimension", function() return pairs_of(ds:count("dimension")) end,
		{{"human", 4}, {"institutional", 4}, {"economic", 2}, {"military-political", 2},
		 {"new-challenges-and-threats", 2}, {"environmental", 1}}},
	{"count: a list field counts mentions", function()
		local c = ds:count("countries")
		return {c:total(), c:get("Kazakhstan"), c:info().records, c:info().mentions}
	end, {32, 8, 15, 32}},
	{"count: month in time order", function() return pairs_of(ds:count("month")) end,
		{{"2023-01", 2}, {"2023-02", 2}, {"2023-03", 2}, {"2023-04", 3}, {"2023-05", 4}, {"2023-06", 2}}},
	{"count: quarter", function() return pairs_of(ds:count("quarter")) end, {{"2023-Q1", 6}, {"2023-Q2", 9}}},
	{"count: year", function() return pairs_of(ds:count("year")) end, {{"2023", 15}}},
	{"count: missing values", function()
		local i = ds:count("organizations"):info()
		return {i.records, i.mentions, i.missing}
	end, {4, 5, 11}},
	{"count: an unknown field raises", function() ds:count("nope") end, err("no field 'nope'")},
	{"count: the field must be a string", function() ds:count({}) end, err("bad argument #1 to 'count'")},
	{"crosstab: cells", function()
		local t = ds:crosstab("countries", "month")
		return {#t, t:get("Kazakhstan", "2023-04"), t:get("China", "2023-05"), t:cols()[1], t:total()}
	end, {6, 3, 2, "2023-01", 32}},
	{"crosstab: rows", function()
		local r = ds:crosstab("dimension", "quarter"):rows()[1]
		return r
	end, {key = "human", total = 4, cells = {["2023-Q1"] = 1, ["2023-Q2"] = 3}}},
	{"crosstab: pairs", function()
		local seen = {}
		for key, total, cells in ds:crosstab("kind", "format"):pairs() do
			seen[#seen + 1] = {key, total, cells["in-person"], cells.online}
		end
		return seen
	end, {{"article", 13, 9, 4}, {"photo", 2, 2, 0}}},
	{"crosstab: top folds rows", function()
		-- China and Türkiye tie for second place: the cut moves above them; Other's
		-- cell counts the items of the quarter naming any of the five once
		local t = ds:crosstab("countries", "quarter"):top(2, "Other")
		return {#t, t:rows()[2].key, t:get("Other (5 values)", "2023-Q2")}
	end, {2, "Other (5 values)", 8}},
	{"crosstab: sorted by key", function() return ds:crosstab("countries", "kind"):sorted("key"):rows()[1].key end,
		"Azerbaijan"},
	{"crosstab: share", function() return ds:crosstab("kind", "format"):share("photo") end, 2 / 15},
	{"crosstab: top's Other row over a list field shares the items naming any folded key (11 of 15, not the 3 with a partner)", function()
		local t = ds:crosstab("countries", "organizations"):top(2)
		local n = 0
		for rec in ds:records() do
			local any = false
			for _, c in ipairs(rec.countries or {}) do
				any = any or c == "Azerbaijan" or c == "China" or c == "India" or c == "Iran"
			end
			if any then n = n + 1 end
		end
		return {t:rows()[2].key, t:share("Other (4 values)"), n}
	end, {"Other (4 values)", 11 / 15, 11}},
	{"crosstab: share of a row over list columns is of its items, not its cells (26 mentions of 13 articles)", function()
		return {ds:crosstab("kind", "countries"):share("article"), ds:crosstab("kind", "month"):share("article")}
	end, {13 / 15, 13 / 15}},
	{"crosstab: a Table has the methods of a Counts (keys, info of its rows)", function()
		local t = ds:crosstab("kind", "format"):sorted("key")
		return {t:keys(), t:info().field, t:info().rows}
	end, {{"article", "photo"}, "kind", 2}},
	{"crosstab: a Counts has no columns, a Table no diff", function()
		return {ds:count("kind").cols, ds:crosstab("kind", "format").diff}
	end, {}},
	{"diff: a Diff is its own type", function()
		local c = ds:count("kind")
		return tostring(c:diff(c)):match("^tally%.Diff")
	end, "tally.Diff"},
	{"crosstab: an unknown field raises", function() ds:crosstab("countries", "nope") end, err("no field 'nope'")},

	-- views
	{"where: quarter", function() return #q2 end, 9},
	{"where: quarter counts like tally count --quarter", function() return pairs_of(q2:count("dimension")) end,
		{{"human", 3}, {"institutional", 3}, {"economic", 1}, {"military-political", 1},
		 {"new-challenges-and-threats", 1}}},
	{"where: a view counts the months of its quarter", function() return pairs_of(q2:count("month")) end,
		{{"2023-04", 3}, {"2023-05", 4}, {"2023-06", 2}}},
	{"where: field and quarter", function() return #ds:where{countries = "China", quarter = "2023Q2"} end, 4},
	{"where: a list of values", function() return #ds:where{dimension = {"human", "economic"}} end, 6},
	{"where: aliases of dimensions and countries", function()
		return {#ds:where{dimension = "NCT"}, #ds:where{countries = "Turkey"}}
	end, {2, 6}},
	{"where: from and to", function() return ids(ds:where{from = "2023-03-01", to = "2023-04-30"}) end,
		{"L-05", "L-06", "L-07", "L-08", "L-09"}},
	{"where: dates as tally.date", function()
		return #ds:where{from = tally.date("2023-06-01"), to = tally.date("2023-06-30")}
	end, 2},
	{"where: month", function() return #ds:where{month = "2023-05"} end, 4},
	{"where: a view of a view", function() return ids(q2:where{kind = "photo"}) end, {"L-08", "L-14"}},
	{"where: nothing matches (a quarter without photos)", function()
		local v = ds:where{kind = "photo", quarter = "2023Q1"}
		return {#v, v:count("dimension"):total()}
	end, {0, 0}},
	{"where: a bad quarter raises", function() ds:where{quarter = "2023Q5"} end, err("where: unknown quarter '2023Q5' (expected 2023Q2 or 2023-Q2)")},
	{"where: a bad date raises", function() ds:where{from = "2023-02-30"} end, err("impossible date")},
	{"where: an unknown field raises", function() ds:where{colour = "red"} end, err("no field 'colour'")},
	{"where: wants a table", function() ds:where("human") end, err("where: wants a table of filters")},
	{"filter: by a Lua function", function() return ids(ds:filter(function(rec) return #rec.countries >= 3 end)) end,
		{"L-05", "L-08", "L-13", "L-15"}},
	{"filter: integers and missing values", function()
		return #ds:filter(function(rec) return rec.participants and rec.participants > 50 end)
	end, 4},
	{"filter: a view counts in C", function()
		return ds:filter(function(rec) return rec.lead == "SG" end):count("format"):get("in-person")
	end, 8},
	{"filter: on a view", function() return #q2:filter(function(rec) return rec.kind == "photo" end) end, 2},
	{"filter: an error in the function propagates", function() ds:filter(function() error("inside") end) end,
		err("inside")},
	{"records: fields of a record", function()
		local it = ds:records()
		local r1, r2 = it(), it()
		return {r1.id, r1.countries, r1.participants, r2.participants, r1.dimension, tostring(r1.date)}
	end, {"L-01", {"Kazakhstan"}, nil, 40, "institutional", "2023-01-12"}},
	{"records: a record is a copy", function()
		for rec in ds:records() do rec.id = "changed" end
		return ds:records()().id
	end, "L-01"},
	{"records: month precision dates", function()
		local d = ds:where{month = "2023-05"}:filter(function(r) return r.id == "L-13" end):records()().date
		return {d:precision(), d:month(), d:day()}
	end, {"month", 5, nil}},
	{"span: first and last date", function()
		local a, b = ds:span()
		return {tostring(a), tostring(b)}
	end, {"2023-01-12", "2023-06-28"}},
	{"span: of a view", function()
		local a, b = ds:where{quarter = "2023Q1"}:span()
		return {tostring(a), tostring(b)}
	end, {"2023-01-12", "2023-03-17"}},
	{"span: nil for no records", function() return {ds:where{kind = "photo", quarter = "2023Q1"}:span()} end, {}},
	{"tostring of Dataset and view", function()
		return {tostring(ds):match("^tally.Dataset: 15 records"), tostring(q2)}
	end, {"tally.Dataset: 15 records", "tally.View: 9 of 15 records"}},
	{"a view outlives its variable", function()
		local v = tally.load(H.digest):where{kind = "photo"}
		collectgarbage()
		collectgarbage()
		return #v, v:count("kind"):get("photo")
	end, 2},

	-- Counts
	{"sorted: by key", function() return ds:count("countries"):sorted("key"):keys() end,
		{"Azerbaijan", "China", "India", "Iran", "Kazakhstan", "Türkiye"}},
	{"sorted: by key descending", function() return ds:count("countries"):sorted("key", true):keys()[1] end, "Türkiye"},
	{"sorted: by count ascending", function() return ds:count("dimension"):sorted("count", false):keys()[1] end,
		"environmental"},
	{"sorted: months by count", function() return ds:count("month"):sorted():keys()[1] end, "2023-05"},
	{"sorted: a bad order raises", function() ds:count("kind"):sorted("colour") end, err("invalid option 'colour'")},
	{"top: never cut inside a tie", function() return pairs_of(ds:count("countries"):top(2)) end,
		{{"Kazakhstan", 8}, {"Other (5 values)", 13}}},
	{"top: Other counts the items naming any folded country once (7, not 4 + 4 + 4)", function()
		return pairs_of(ds:count("countries"):top(3, "Other")) end,
		{{"Kazakhstan", 8}, {"China", 6}, {"Türkiye", 6}, {"Other (3 values)", 7}}},
	{"top: more than there are", function() return #ds:count("kind"):top(10, "Other") end, 2},
	{"top: a negative n raises", function() ds:count("kind"):top(-1) end, err("n must be 1 or more")},
	{"total", function() return ds:count("dimension"):total() end, 15},
	{"share: of the items, not of the mentions", function() return ds:count("countries"):share("Kazakhstan") end, 8 / 15},
	{"share: of a country no item names", function() return ds:count("countries"):share("Japan") end, 0},
	{"share and get: a country by its alias or code, as where takes it", function()
		local c = ds:count("countries")
		return {c:get("KAZ"), c:get("Turkey"), c:share("Turkey"), c:get("Türkiye")}
	end, {8, 6, 6 / 15, 6}},
	{"get: an unknown country raises, not a count of 0", function() ds:count("countries"):get("Atlantis") end,
		err("get: unknown country 'Atlantis' (not a country name, alias or ISO alpha-3 code)")},
	{"share: a misspelt dimension raises with a suggestion", function() ds:count("dimension"):share("humann") end,
		err("share: unknown dimension 'humann' (did you mean 'human'?)")},
	{"get: a table's column of dimensions is checked too", function() ds:crosstab("countries", "dimension"):get("China", "humann") end,
		err("get: unknown dimension 'humann'")},
	{"get: a quarter as --quarter and where take it (2023Q2 is the row 2023-Q2)", function()
		local q = ds:count("quarter")
		return {q:get("2023Q2"), q:get("2023-Q2"), q:share("2023Q1"), q:get("2024Q1")}
	end, {9, 9, 6 / 15, 0}},
	{"get: a month, a year and a date in another accepted form", function()
		return {ds:count("month"):get("2023-05"), ds:count("year"):get("2023"), ds:crosstab("dimension", "quarter"):get("human", "2023Q2")}
	end, {4, 15, 3}},
	{"get: a month key that is no month raises, not a count of 0", function() ds:count("month"):get("April") end,
		err("get: 'April' is not a month (expected 2023-04)")},
	{"share: a quarter key that is no quarter raises", function() ds:count("quarter"):share("2023-2") end,
		err("share: unknown quarter '2023-2' (expected 2023Q2 or 2023-Q2)")},
	{"get: a value the Dataset holds but the view has none of is 0", function()
		return ds:where{kind = "article"}:count("kind"):get("photo")
	end, 0},
	{"get: a value data/labels.tsv names is 0 where no record holds it (no hybrid item here)", function()
		return {ds:count("format"):get("hybrid"), ds:count("lead"):get("Expert")}
	end, {0, 0}},
	{"get: a value no record holds and no label names raises, as where does", function()
		ds:count("format"):get("in person")
	end, err("get: no record has format 'in person' (nearest values held: 'in-person'")},
	{"share: the same for a table's rows", function() ds:crosstab("kind", "format"):share("videos") end,
		err("share: no record has kind 'videos'")},
	{"get", function() return {ds:count("kind"):get("photo"), ds:count("lead"):get("SG")} end, {2, 8}},
	{"len", function() return #ds:count("dimension") end, 6},
	{"pairs: the __pairs metamethod", function()
		local t = {}
		for k, n in pairs(ds:count("kind")) do t[k] = n end
		return t
	end, {article = 13, photo = 2}},
	{"rows", function() return ds:count("kind"):rows()[2] end, {"photo", 2, key = "photo", count = 2, share = 2 / 15}},
	{"to_csv", function()
		local path = H.tmpdir() .. "/kind.csv"
		assert(ds:count("kind"):to_csv(path))
		return slurp(path)
	end, "kind,count\narticle,13\nphoto,2\n"},
	{"to_csv: quoting", function()
		local path = H.tmpdir() .. "/t.csv"
		assert(ds:where{kind = "photo"}:count("title"):sorted("key"):to_csv(path))
		return slurp(path)
	end, "title,count\nIftar at the Secretariat,1\nTourism and culture week,1\n"},
	{"to_csv: an unwritable path is nil + message", function()
		local ok, msg = ds:count("kind"):to_csv(H.digest .. "/y.csv")
		return {ok, type(msg)}
	end, {nil, "string"}},
	{"diff: change and percent", function()
		local d = q2:count("dimension"):diff(ds:where{quarter = "2023Q1"}:count("dimension"))
		local t = {}
		for k, change, pct in d:pairs() do t[k] = {change, pct} end
		return t
	end, {human = {2, 200.0}, institutional = {2, 200.0}, economic = {0, 0.0}, ["military-political"] = {0, 0.0},
	      ["new-challenges-and-threats"] = {0, 0.0}, environmental = {-1, -100.0}}},
	{"diff: rows", function()
		local d = q2:count("kind"):diff(ds:where{quarter = "2023Q1"}:count("kind"))
		return d:rows()
	end, {{"article", 1, key = "article", count = 1, before = 6, after = 7, change = 1, pct = 100 / 6},
	      {"photo", 2, key = "photo", count = 2, before = 0, after = 2, change = 2}}},
	{"diff: to_csv", function()
		local path = H.tmpdir() .. "/d.csv"
		assert(q2:count("kind"):diff(ds:where{quarter = "2023Q1"}:count("kind")):to_csv(path))
		return slurp(path)
	end, "kind,before,after,change,percent\narticle,6,7,1,16.7\nphoto,0,2,2,\n"},
	{"diff: info() gives the totals of the two counts compared, not their difference", function()
		local i = q2:count("countries"):diff(ds:where{quarter = "2023Q1"}:count("countries")):info()
		return {i.before.items, i.after.items, i.before.mentions, i.after.mentions, i.items, i.note}
	end, {6, 9, 11, 21, nil, ""}},
	{"diff: info() of its top keeps the two totals", function()
		local i = q2:count("countries"):diff(ds:where{quarter = "2023Q1"}:count("countries")):top(2):info()
		return {i.before.items, i.after.items}
	end, {6, 9}},
	{"diff: share raises (a change over the net change is no share)", function()
		q2:count("kind"):diff(ds:where{quarter = "2023Q1"}:count("kind")):share("photo")
	end, err("share: a comparison has no base for a share of 'photo'")},
	{"diff: items raises", function()
		q2:count("kind"):diff(ds:where{quarter = "2023Q1"}:count("kind")):items()
	end, err("items: a comparison counts no items itself")},
	{"diff: a chart of one raises (its changes would be drawn as items, with shares)", function()
		tally.chart.table{data = q2:count("kind"):diff(ds:where{quarter = "2023Q1"}:count("kind"))}
	end, err("chart: data is a comparison (a:diff(b)), whose rows are changes, not counts of items")},
	{"diff: of a diff raises", function()
		local c = ds:count("kind")
		c:diff(c):diff(c)
	end, err("cannot be diffed again")},
	{"diff: wants a Counts", function() ds:count("kind"):diff(ds) end, err("tally.Counts expected")},

	-- dates, quarters, countries
	{"date: parts", function()
		local d = tally.date("2023-04-10")
		return {d:year(), d:quarter(), d:month(), d:day(), d:precision()}
	end, {2023, 2, 4, 10, "day"}},
	{"date: from numbers", function() return tostring(tally.date(2023, 4)) end, "2023-04"},
	{"date: format", function()
		local d = tally.date("2023-04-10")
		return {d:format(), d:format("%d %b %Y"), d:key("month"), d:key("quarter"), d:key("year")}
	end, {"2023-04-10", "10 Apr 2023", "2023-04", "2023-Q2", "2023"}},
	{"date: comparison", function()
		local a, b = tally.date("2023-04-10"), tally.date("2023-05-01")
		return {a < b, b <= a, a == tally.date("2023-04-10"), a < "2023-04-11", "x" .. a}
	end, {true, false, true, true, "x2023-04-10"}},
	{"date: quarter precision", function()
		local d = tally.date("2023-Q3")
		return {d:quarter(), d:month() == nil, d:precision()}
	end, {3, true, "quarter"}},
	{"date: an impossible date raises", function() tally.date("2023-02-30") end, err("impossible date")},
	{"date: not a date raises", function() tally.date("soon") end, err("not a date")},
	{"quarter: from and to", function()
		local a, b = tally.quarter("2023Q2")
		return {tostring(a), tostring(b)}
	end, {"2023-04-01", "2023-06-30"}},
	{"quarter: 2023-Q4 spelling", function() return tostring(select(2, tally.quarter("2023-Q4"))) end, "2023-12-31"},
	{"quarter: a bad quarter raises, naming the function", function() tally.quarter("2023Q0") end, err("tally.quarter: unknown quarter '2023Q0' (expected 2023Q2 or 2023-Q2)")},
	{"country: Turkey", function()
		local c = tally.country("Turkey")
		return {c.code, c.name, c.cica, c.alpha2}
	end, {"TUR", "Türkiye", "member", "TR"}},
	{"country: an alpha-3 code", function() return tally.country("KAZ").name end, "Kazakhstan"},
	{"country: unknown is nil + message", function()
		local c, msg = tally.country("Atlantis")
		return {c, msg:match("^unknown country 'Atlantis'") ~= nil}
	end, {nil, true}},
	{"country: not a member", function() return tally.country("France").cica == nil end},

	-- plugins
	{"plugin: loads a plugin table", function()
		local p = tally.plugin("by-dimension")
		return {p.name, p.kind, type(p.run)}
	end, {"by-dimension", "analysis", "function"}},
	{"plugin: cached", function() return tally.plugin("by-month") == tally.plugin("by-month") end},
	{"plugin: an unknown plugin raises", function() tally.plugin("no-such-plugin") end, err("no plugin named 'no-such-plugin'")},
}

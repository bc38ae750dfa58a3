-- The oracle's tally side: every count, cross-tab, filter, share, top N and
-- quarter comparison of one dataset through the Lua API, one line each, in the
-- words tests/oracle/oracle.sql prints them. One tally process per dataset.
--   tally run tests/oracle/driver.lua --data SEED.csv
local ds = tally.data()
local out = {}
local function put(...) out[#out + 1] = table.concat({...}, " ") end

local FIELDS = {"dimension", "countries", "organizations", "lead", "month", "quarter", "year"}
for _, f in ipairs(FIELDS) do
	local c = ds:count(f)
	local info = c:info()
	put("items", f, c:items())
	put("mentions", f, c:total())
	put("missing", f, info.missing)
	for key, n in c:pairs() do
		if n > 0 then
			put("count", f, key, n)
			put("share", f, key, ("%.6f"):format(c:share(key)))
		end
	end
	for n = 1, 4 do
		for key, k in c:top(n):pairs() do put("top", f, n, key, k) end
	end
end

-- cross-tabs: the cells that are not zero
for _, p in ipairs{{"dimension", "countries"}, {"countries", "quarter"}, {"dimension", "month"}, {"countries", "organizations"}} do
	for key, _, cells in ds:crosstab(p[1], p[2]):pairs() do
		for col, n in pairs(cells) do
			if n > 0 then put("xtab", p[1], p[2], key, col, n) end
		end
	end
end

-- filters by every value held, alone and with each quarter held
local quarters = {}
for q, n in ds:count("quarter"):pairs() do
	if n > 0 then quarters[#quarters + 1] = q end
end
for _, f in ipairs{"countries", "dimension"} do
	for v, n in ds:count(f):pairs() do
		if n > 0 then
			local view = ds:where{[f] = v}
			put("where", f, v, #view)
			for key, k in view:count(f == "countries" and "dimension" or "countries"):pairs() do
				put("within", f, v, key, k)
			end
			for _, q in ipairs(quarters) do put("whereq", f, v, q, #ds:where{[f] = v, quarter = q}) end
		end
	end
end

-- each quarter against the one before, when both hold items
local held = {}
for _, q in ipairs(quarters) do held[q] = true end
for _, q in ipairs(quarters) do
	local y, n = q:match("^(%d+)%-Q(%d)$")
	y, n = tonumber(y), tonumber(n)
	local prev = n == 1 and ("%d-Q4"):format(y - 1) or ("%d-Q%d"):format(y, n - 1)
	if held[prev] then
		local now, before = ds:where{quarter = q}:count("dimension"), ds:where{quarter = prev}:count("dimension")
		for _, r in ipairs(now:diff(before):rows()) do put("diff", q, r.key, r.before, r.after, r.change) end
	end
end
io.write(table.concat(out, "\n"), "\n")

-- One quarter against another, per dimension (or --by FIELD): before, after, the
-- change and the percent change. --quarter 2023Q2 [--base 2023Q1]; the base
-- defaults to the quarter before.
local common = require "_common"
local tally = require "tally"

-- "2023Q2" -> "2023Q1", "2023Q1" -> "2022Q4"
local function previous(q)
	local from = tally.quarter(q)
	local y, n = from:year(), from:quarter()
	if n == 1 then
		return ("%dQ4"):format(y - 1)
	end
	return ("%dQ%d"):format(y, n - 1)
end

return {
	name = "compare-quarters",
	description = "a quarter against the one before, per dimension (--quarter Q [--base Q] [--by FIELD])",
	kind = "analysis",
	run = function(ctx, args)
		local q = args.quarter or error("compare-quarters needs --quarter (e.g. --quarter 2023Q2)", 0)
		local base = args.base or previous(q)
		local by = args.by or "dimension"
		local ds = ctx.data or error("compare-quarters needs data: --data FILE", 0)
		local now = ds:where{quarter = q}:count(by)
		local before = ds:where{quarter = base}:count(by)
		local d = now:diff(before)
		print(("%s: %s against %s"):format(by, q, base))
		d:print()
		if ctx.out then
			assert(d:to_csv(ctx.out .. "/compare-quarters.csv"))
			if tally.chart and tally.chart.bar then
				local labels, was, is = {}, {}, {}
				for i, row in ipairs(d:rows()) do
					labels[i], was[i], is[i] = row.key, row.before, row.after
				end
				tally.chart.bar{
					data = {labels = labels, series = {{name = base, values = was}, {name = q, values = is}}},
					title = ("Records by %s, %s against %s"):format(by, q, base),
				}:save(ctx.out .. "/compare-quarters.png")
			end
		end
		return d
	end,
}

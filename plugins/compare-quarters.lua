-- One quarter against another, per dimension (or --by FIELD): before, after, the
-- change and the percent change ("new" where the base had none). The periods follow
-- compare.lua's rule: with one --data file both quarters come from it; with two,
-- --quarter from the first and --base from the second.
local D = require "digest"
local tally = require "tally"

return {
	name = "compare-quarters",
	description = "a quarter against the one before, per dimension (--quarter Q [--base Q] [--by FIELD])",
	kind = "analysis",
	options = {
		{ name = "quarter", type = "quarter", help = "the quarter to report (2023Q2 or 2023-Q2)" },
		{ name = "base", type = "quarter", help = "the quarter to compare with (default: the one before --quarter)" },
		{ name = "by", type = "string", default = "dimension", help = "the field to compare per" },
		{ name = "allow_empty_base", type = "flag", help = "compare even when the base quarter has no records" },
	},
	run = function(ctx, args)
		local q = args.quarter or tally.fail("compare-quarters needs --quarter (e.g. --quarter 2023Q2)", "usage")
		local base = args.base or D.previous(q)
		local by = args.by
		local files = tally.args.data or {}
		local now, before = D.periods(ctx.datasets or {}, files, q, base, args.allow_empty_base)
		for i, ds in ipairs{ now, before } do
			if not D.has_field(ds, by) then
				tally.fail(("--by %s: %s has no field '%s'"):format(by, files[i] or files[1] or "the data", by), "usage")
			end
		end
		local cnow, cbase = now:count(by), before:count(by)
		local d = cnow:diff(cbase)
		print(("%s: %s against %s%s"):format(by, q, base, files[2] and (" (%s against %s)"):format(files[1], files[2]) or ""))
		local text = D.rise_and_fall(d:rows(), function(r) return r.key end)
		-- items dated only to the year overlap a quarter without lying in it
		for _i, v in ipairs{ { q, cnow }, { base, cbase } } do
			local e = v[2]:info().edge
			if e > 0 then
				text = text .. (text ~= "" and " " or "") .. ("%s leaves out %d item%s dated only to the year."):format(
					v[1], e, e == 1 and "" or "s")
			end
		end
		if ctx.out then
			assert(d:to_csv(ctx.out .. "/compare-quarters.csv"))
			if tally.chart and tally.chart.bar then
				local labels, was, is = {}, {}, {}
				for i, row in ipairs(d:rows()) do
					labels[i], was[i], is[i] = row.key, row.before, row.after
				end
				tally.chart.bar{
					data = { labels = labels, series = { { name = base, values = was }, { name = q, values = is } } },
					title = ("Records by %s, %s against %s"):format(tally.label(by),
						tally.date(q):label(), tally.date(base):label()),
				}:save(ctx.out .. "/compare-quarters.png")
			end
		end
		-- tally run prints both: the table, then what rose and fell most
		return d, text ~= "" and text or nil
	end,
}

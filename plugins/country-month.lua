-- Cross-tab: countries (rows, top N) by month (columns).
local common = require "_common"
local tally = require "tally"

return {
	name = "country-month",
	description = "cross-tab of countries by month (--top N rows, default 10; --quarter)",
	kind = "analysis",
	options = common.options{
		{ name = "top", type = "int", default = 10, help = "country rows shown by name; the rest are folded into Other" },
	},
	run = function(ctx, args)
		local t = common.dataset(ctx, args):crosstab("countries", "month"):top(common.int(args, "top", 10), "Other")
		if ctx.out then
			assert(t:to_csv(ctx.out .. "/country-month.csv"))
			if tally.chart and tally.chart.heatmap then
				tally.chart.heatmap{data = t, title = common.title("Countries by month", args)}
					:save(ctx.out .. "/country-month.png")
			end
		end
		return t
	end,
}

-- Mentions per country; the smaller ones folded into "Other" (--top N, default 15).
local common = require "_common"

return {
	name = "by-country",
	description = "records per country, top N with the rest as Other (--top N, --quarter)",
	kind = "analysis",
	options = common.options{
		{ name = "top", type = "int", default = 15, help = "at most N countries by name (a tie is never split); the rest as Other (k values)" },
	},
	run = function(ctx, args)
		local c = common.dataset(ctx, args):count("countries"):top(common.int(args, "top", 15), "Other")
		common.output(ctx, c, "by-country", "bar", common.title("Records by country", args))
		return c
	end,
}

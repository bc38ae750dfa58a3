-- Partner organisations: how many records mention each (--top N, default 15).
local common = require "_common"

return {
	name = "partners",
	description = "records per partner organisation, top N with the rest as Other (--top N, --quarter)",
	kind = "analysis",
	options = common.options{
		{ name = "top", type = "int", default = 15, help = "at most N organisations by name (a tie is never split); the rest as Other (k values)" },
	},
	run = function(ctx, args)
		local c = common.dataset(ctx, args):count("organizations"):top(common.int(args, "top", 15))
		common.output(ctx, c, "partners", "bar", common.title("Partner organisations", args))
		return c
	end,
}

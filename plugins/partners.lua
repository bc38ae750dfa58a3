-- Partner organisations: how many records mention each (--top N, default 15).
local common = require "_common"

return {
	name = "partners",
	description = "records per partner organisation, top N (--top N, --quarter)",
	kind = "analysis",
	options = common.options{
		{ name = "top", type = "int", default = 15, help = "organisations shown" },
	},
	run = function(ctx, args)
		local c = common.dataset(ctx, args):count("organizations"):top(common.int(args, "top", 15))
		common.output(ctx, c, "partners", "bar", common.title("Partner organisations", args))
		return c
	end,
}

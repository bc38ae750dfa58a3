-- Records per CICA dimension.
local common = require "_common"

return {
	name = "by-dimension",
	description = "records per CICA dimension (--quarter, --from, --to narrow the period)",
	kind = "analysis",
	options = common.options(),
	run = function(ctx, args)
		local c = common.dataset(ctx, args):count("dimension")
		common.output(ctx, c, "by-dimension", "bar", common.title("Records by dimension", args))
		return c
	end,
}

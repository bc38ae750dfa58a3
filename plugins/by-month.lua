-- Records per month, in time order, months without records included.
local common = require "_common"

return {
	name = "by-month",
	description = "records per month in time order (--quarter, --from, --to)",
	kind = "analysis",
	options = common.options(),
	run = function(ctx, args)
		local c = common.dataset(ctx, args):count("month")
		common.output(ctx, c, "by-month", "line", common.title("Records by month", args))
		return c
	end,
}

-- Helpers the bundled plugins share: which records to count and where results go.
-- (A module, not a plugin: `tally plugins` skips files whose name starts with "_".)
local tally = require "tally"

local M = {}

-- The options of the period every counting plugin narrows to, for a plugin's
-- options list: M.options{ {name = "top", ...} } adds them after its own.
M.PERIOD = {
	{ name = "quarter", type = "quarter", help = "count one quarter (2023Q2 or 2023-Q2)" },
	{ name = "from", type = "date", help = "count records dated from DATE on" },
	{ name = "to", type = "date", help = "count records dated up to DATE" },
}

function M.options(own)
	local list = {}
	for _, o in ipairs(M.PERIOD) do list[#list + 1] = o end
	for _, o in ipairs(own or {}) do list[#list + 1] = o end
	return list
end

-- The first dataset, narrowed by --quarter, --from and --to when given.
function M.dataset(ctx, args)
	local ds = ctx.data
	if not ds then
		tally.fail(ctx.name .. " needs data: tally run " .. ctx.name .. " --data FILE", "usage")
	end
	if args.quarter then
		ds = ds:where{quarter = args.quarter}
	end
	if args.from or args.to then
		ds = ds:where{from = args.from, to = args.to}
	end
	return ds
end

-- A title naming the period counted, as people write it ("Q2 2023").
function M.title(what, args)
	if args.quarter then
		return what .. ", " .. tally.date(args.quarter):label()
	end
	return what
end

-- With --out, writes c as NAME.csv and, when charts are built in, NAME.png drawn
-- by tally.chart[kind]. (The plugin returns c: `tally run` prints it, a Lua caller
-- of tally.plugin(NAME).run gets it without anything printed.)
function M.output(ctx, c, name, kind, title)
	if not ctx.out then
		return
	end
	assert(c:to_csv(ctx.out .. "/" .. name .. ".csv"))
	local chart = tally.chart and tally.chart[kind]
	if chart then
		chart{data = c, title = title}:save(ctx.out .. "/" .. name .. ".png")
	end
end

-- A positive integer option, or the default.
function M.int(args, key, default)
	local v = args[key]
	if v == nil then
		return default
	end
	local n = math.tointeger(tonumber(v))
	if not n or n < 1 then
		tally.fail(("--%s wants a positive whole number, not '%s'"):format(key, tostring(v)), "usage")
	end
	return n
end

return M

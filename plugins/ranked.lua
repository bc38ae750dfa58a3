-- A chart type, kind "chart": tally.chart.ranked{data = c, top = 10, ...} draws
-- the largest values of a Counts (or the largest rows of a Table) as horizontal
-- bars, largest first, and the rest as one "Other (k values)" bar. The cut is
-- c:top's: never inside a tie, and for a list field Other counts each item once.
-- Every other option is the bar chart's.
local tally = require "tally"

return {
	name = "ranked",
	description = "chart type tally.chart.ranked{data = c, top = 10}: the largest values as bars, the rest as Other",
	kind = "chart",
	chart = function(opts)
		if type(opts) ~= "table" then
			error("tally.chart.ranked: the options must be a table such as {data = ds:count(\"countries\")}", 3)
		end
		local o = {}
		for k, v in pairs(opts) do o[k] = v end
		local top = o.top or 10
		o.top = nil
		if math.type(top) ~= "integer" or top < 1 then
			error(("tally.chart.ranked: top must be a positive whole number, not %s"):format(tostring(top)), 3)
		end
		local mt = getmetatable(o.data)
		if mt ~= "tally.Counts" and mt ~= "tally.Table" then
			error("tally.chart.ranked: data must be a Counts or a Table (ds:count(field))", 3)
		end
		o.data = o.data:top(top)
		o.orientation = o.orientation or "horizontal"
		return tally.chart.bar(o)
	end,
}

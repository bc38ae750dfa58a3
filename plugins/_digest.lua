-- Words and quarters the report scripts share (scripts/quarterly.lua, compare.lua).
-- A module, not a plugin: `tally plugins` skips files whose name starts with "_".
local tally = require "tally"

local M = {}

M.DIMENSIONS = {
	["military-political"] = "Military-political",
	["new-challenges-and-threats"] = "New challenges and threats",
	economic = "Economic", environmental = "Environmental",
	human = "Human", institutional = "Institutional",
}
M.LEADS = {
	SG = "Secretary General", DSG = "Deputy Secretary General",
	Director = "Director", Expert = "Expert",
}

-- "cultural-event" -> "Cultural event"; dimensions and leads by name; names as they are.
function M.pretty(field, key)
	if field == "dimension" and M.DIMENSIONS[key] then return M.DIMENSIONS[key] end
	if field == "lead" and M.LEADS[key] then return M.LEADS[key] end
	if field == "countries" or field == "organizations" or field == "lead" then return key end
	local s = key:gsub("[%-_]", " ")
	return (s:gsub("^%l", string.upper))
end

-- Text for pango markup.
function M.esc(s)
	return (tostring(s):gsub("[&<>]", { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;" }))
end

-- Pango markup sizes are in 1024ths of a point.
function M.pt(n)
	return math.floor(n * 1024 + 0.5)
end

function M.plural(n, one, many)
	return ("%d %s"):format(n, n == 1 and one or (many or one .. "s"))
end

function M.has_field(ds, name)
	for _, f in ipairs(ds:fields()) do
		if f == name then return true end
	end
	return false
end

-- "2023Q2" or "2023-Q2" -> "2023Q2", or an error naming the option.
function M.check_quarter(opt, q)
	if type(q) ~= "string" or not pcall(tally.quarter, q) then
		error(("--%s: '%s' is not a quarter (write it as 2023Q2)"):format(opt, tostring(q)), 0)
	end
	return (q:gsub("%-", ""))
end

-- The last quarter with records, or nil.
function M.latest_quarter(ds)
	local last
	for key, n in ds:count("quarter"):pairs() do
		if n > 0 then last = key end
	end
	return last and last:gsub("%-", "")
end

-- "2023Q2" -> "Q2 2023"
function M.label_of(q)
	local from = tally.quarter(q)
	return ("Q%d %d"):format(from:quarter(), from:year())
end

return M

-- The data files of the importer: cue lexicons (one per column), country forms,
-- places, partners, officials. Read once; every cue becomes a Lua pattern over
-- folded text that matches whole words.
local tally = require "tally"
local fold = tally.import.fold

local _, here = ...
local DIR = (here or "plugins/import/lexicon.lua"):match("^(.*)/[^/]*$") or "."

local M = {dir = DIR}

local function lines(name)
	local path = DIR .. "/" .. name
	local f, err = io.open(path)
	if not f then error("importer data file missing: " .. tostring(err), 0) end
	local out, n = {}, 0
	for line in f:lines() do
		n = n + 1
		if not line:match("^%s*#") and line:match("%S") then
			local fields = {}
			for v in (line .. "\t"):gmatch("([^\t]*)\t") do fields[#fields + 1] = v end
			out[#out + 1] = {fields = fields, line = n, file = name}
		end
	end
	f:close()
	return out
end
M.lines = lines

-- "terroris*" -> a pattern over folded text with word edges at both ends.
function M.pattern(cue)
	local star = cue:sub(-1) == "*"
	if star then cue = cue:sub(1, -2) end
	local p = {}
	for i = 1, #cue do
		local c = cue:sub(i, i)
		if c == " " then p[#p + 1] = "%s+"
		elseif c == "*" then p[#p + 1] = "[%w%-']*%s+[%w%-']*"   -- "briefing for * media"
		elseif c:match("%w") then p[#p + 1] = c
		else p[#p + 1] = "%" .. c end
	end
	local body = table.concat(p)
	local first = cue:sub(1, 1):match("[%w]") and "%f[%w]" or ""
	local last = star and "[%w%-]*" or (cue:sub(-1):match("[%w]") and "%f[^%w]" or "")
	return first .. body .. last
end

-- value, weight, cue  ->  {value =, weight =, cue =, pat =}
local function cues(name)
	local out = {}
	for _, l in ipairs(lines(name)) do
		local v, w, c = l.fields[1], tonumber(l.fields[2]), l.fields[3]
		if not (v and w and c) then
			error(("%s:%d: a cue line is value<TAB>weight<TAB>cue"):format(name, l.line), 0)
		end
		out[#out + 1] = {value = v, weight = w, cue = c, pat = M.pattern(fold(c))}
	end
	return out
end

function M.load(aliases_path)
	if M.loaded then return M end
	M.dimension = cues("dimension.tsv")
	M.event_type = cues("event_type.tsv")
	M.format = cues("format.tsv")
	M.lead = cues("lead.tsv")
	M.officials = {}
	for _, l in ipairs(lines("officials.tsv")) do
		M.officials[#M.officials + 1] = {value = l.fields[1], pat = M.pattern(fold(l.fields[2])), cue = l.fields[2]}
	end
	M.orgs = {}
	for _, l in ipairs(lines("organizations.tsv")) do
		M.orgs[#M.orgs + 1] = {value = l.fields[1], pat = M.pattern(fold(l.fields[2])), cue = l.fields[2]}
	end
	-- countries: tally's vocabulary, its alias table, then our forms
	local names, by_alpha2 = tally.import.countries()
	local function code(c)
		local r = tally.country(c)
		if not r then error("importer data: unknown country code " .. c, 0) end
		return r.name
	end
	if aliases_path then
		local f = io.open(aliases_path)
		if f then
			local section = "alias"
			for line in f:lines() do
				local s = line:match("^%[(%a+)%]")
				if s then section = s
				elseif section == "alias" and not line:match("^%s*#") then
					local a, c = line:match("^%s*([^\t#]-)%s*\t%s*(%u%u%u)")
					if a and a ~= "" then names[fold(a)] = code(c) end
				end
			end
			f:close()
		end
	end
	for _, l in ipairs(lines("countries.tsv")) do names[fold(l.fields[1])] = code(l.fields[2]) end
	M.countries = names
	M.by_alpha2 = by_alpha2
	-- places: packaged subdivisions and zone cities, then our file
	local places = {}
	for name, a2 in pairs(tally.import.places()) do
		if by_alpha2[a2] and not names[name] then places[name] = by_alpha2[a2] end
	end
	for _, l in ipairs(lines("places.tsv")) do
		if l.fields[1] == "-" then places[fold(l.fields[2])] = nil
		else places[fold(l.fields[1])] = code(l.fields[2]) end
	end
	M.places = places
	M.loaded = true
	return M
end

return M

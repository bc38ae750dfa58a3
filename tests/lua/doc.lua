-- checks: 39
-- Runs every ```lua example of doc/lua-api.md as a sandboxed report script on
-- tests/fixtures/lua-digest.csv; an example passes when it exits 0 (its asserts
-- hold). An example after <!-- example: plugin NAME --> is installed as plugin NAME
-- in a TALLY_PLUGIN_PATH directory and run by name.
local H = ...
local doc = "doc/lua-api.md"

local examples = {}
local lineno, block, start, marker, heading = 0, nil, 0, nil, "top"
for line in io.lines(doc) do
	lineno = lineno + 1
	if block then
		if line:match("^```%s*$") then
			examples[#examples + 1] = {code = table.concat(block, "\n") .. "\n", line = start, plugin = marker, heading = heading}
			block, marker = nil, nil
		else
			block[#block + 1] = line
		end
	elseif line:match("^```lua%s*$") then
		block, start = {}, lineno
	else
		local p = line:match("^<!%-%- example: plugin ([%w_-]+) %-%->$")
		if p then
			marker = p
		elseif line:match("^#+ ") then
			heading = line:gsub("^#+ ", "")
		end
	end
end

local cases = {
	{"the doc has examples", function() return #examples >= 30 end},
}
local args = "--data " .. H.digest .. " --allow-read " .. H.fixtures
for i, ex in ipairs(examples) do
	cases[#cases + 1] = {("example %d (line %d, %s)"):format(i, ex.line, ex.heading), function()
		local rc, _, err
		local out = H.tmpdir() .. "/out"
		if ex.plugin then
			local dir = H.tmpdir()
			local f = assert(io.open(dir .. "/" .. ex.plugin .. ".lua", "w"))
			f:write(ex.code)
			f:close()
			rc, _, err = H.run("run " .. ex.plugin .. " " .. args .. " --out " .. out, nil, "TALLY_PLUGIN_PATH=" .. dir)
		else
			rc, _, err = H.run("run %s " .. args .. " --out " .. out, ex.code)
		end
		return rc == 0 or ("exit " .. tostring(rc) .. ": " .. err)
	end}
end
return cases

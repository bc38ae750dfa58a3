-- Renders a Digest issue written as plain text (paragraphs separated by blank
-- lines) into a PDF with tally's own report engine, so that the importer's PDF
-- path is tested on text we know: tally run --unsafe tests/render-digest.lua -- IN.txt OUT.pdf
local tally = require "tally"
local input, output = arg[1], arg[2]
assert(input and output, "usage: render-digest.lua IN.txt OUT.pdf")
local f = assert(io.open(input))
local text = f:read("a")
f:close()
local r = tally.report{title = "Digest", subtitle = "rendered for the import tests", date = "test"}
local p = r:page()
-- a paragraph is a run of lines; a list item ("- ...") is a paragraph of its own
local para = {}
local function flush()
	local t = table.concat(para, " "):gsub("^%s+", ""):gsub("%s+$", "")
	if t ~= "" then p:text(t) end
	para = {}
end
for line in (text:gsub("\r", "") .. "\n"):gmatch("([^\n]*)\n") do
	if line:match("^%s*$") then flush()
	else
		if line:match("^%s*[-•] ") then flush() end
		para[#para + 1] = line
	end
end
flush()
assert(r:save(output))
